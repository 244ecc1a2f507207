package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// serve sends one request through the real router without the network, so that a test can
// send request targets (such as `/\evil`) that a client library would refuse or rewrite.
func serve(m *Main, method, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	m.server.Handler.ServeHTTP(rec, req)
	return rec
}

// sameOrigin reports why a Location header could take a browser to another host, or "".
// Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\evil` and `/<tab>/evil`
// are both `//evil`: another host.
func sameOrigin(loc string) string {
	if loc == "" {
		return "no Location"
	}
	for _, c := range loc {
		if c < 0x20 || c == 0x7f {
			return "a control character"
		}
	}
	if strings.Contains(loc, `\`) {
		return "a backslash"
	}
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
		return "not a path of this site"
	}
	base, _ := url.Parse("https://site.example/en/news/x/")
	u, err := url.Parse(loc)
	if err != nil {
		return err.Error()
	}
	if got := base.ResolveReference(u); got.Host != "site.example" || got.Scheme != "https" {
		return "resolves to " + got.String()
	}
	return ""
}

// Every redirect the site makes (trailing slash, /en → /en/, / → language, a slug of another
// language, a menu page's slug of another language, the router's cleaning of paths) keeps the
// visitor on the site whatever the request's path and query hold.
func TestRedirectsStayOnSite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		ctx := context.Background()
		story := firstItem(t, m, alliance.KindStory)
		var foreignStory string // a story's French slug asked in English: redirects
		for _, it := range mustList(t, m, alliance.KindStory) {
			if fr, en := it.Text("fr"), it.Text("en"); fr != nil && en != nil && fr.Slug != en.Slug {
				foreignStory = "/en/news/" + fr.Slug + "/"
				break
			}
		}
		var foreignPage string // a menu page's German slug asked in English
		pages, err := m.DB.List(ctx, store.Query{Kind: alliance.KindPage})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if de, en := p.Text("de"), p.Text("en"); p.Parent == "" && de != nil && en != nil && de.Slug != en.Slug {
				foreignPage = "/en/" + de.Slug + "/"
				break
			}
		}
		if foreignStory == "" || foreignPage == "" {
			t.Fatal("the demo has no slug that differs between languages")
		}
		// Sources that do redirect, each checked for its target.
		redirects := map[string]string{
			"/":                 "/en/",
			"/en":               "/en/",
			"/en/news":          "/en/news/",
			"/en/news?page=2":   "/en/news/?page=2",
			foreignStory:        "",
			foreignPage:         "",
			"/en//news/":        "/en/news/",
			"/en/news/../news/": "/en/news/",
			strings.TrimSuffix(itemPath(story, "en", "news"), "/"): itemPath(story, "en", "news"),
		}
		hostile := []string{
			`/%5Cevil.example/x`, `/%5Cevil.example`, `/%5C%5Cevil.example/x`, `/%5C/evil.example/x`,
			`/\evil.example/x`, `/\\evil.example/x`, `/%09/evil.example`, `/%09/evil.example/x`,
			`/%0A/evil.example/x`, `/%0D%0A/evil.example/x`, `/%00/evil.example/x`, `/%7F/evil.example/x`,
			`//evil.example/x`, `///evil.example/x`, `/%2F%2Fevil.example/x`, `/%2F/evil.example/x`,
			`/.//evil.example/x`, `/en/..//evil.example/x`, `/en/../%5Cevil.example/x`, `/x/../%5Cevil.example`,
			`/en/%5Cevil.example`, `/en/%5C%5Cevil.example/x`, `/en/%09/evil.example`, `/en/news/%5Cevil.example`,
			`/en/%2F%2Fevil.example`, `/en/news/%2F%2Fevil.example`, `/en%5C/evil.example/x`, `/en%09/evil.example`,
			`/en?%5C%5Cevil.example`, `/en/news?//evil.example`, `/en/news?a=%09%5C%5Cevil.example`,
			`/en/news?\\evil.example`, `/%E2%80%A8/evil.example/x`, `/%C2%A0/evil.example/x`,
		}
		sent := 0
		check := func(target string, want string) {
			t.Helper()
			rec := serve(m, "GET", target, "Accept-Language", "en")
			loc := rec.Header().Get("Location")
			if rec.Code >= 300 && rec.Code < 400 {
				sent++
				if why := sameOrigin(loc); why != "" {
					t.Errorf("GET %s → %d Location %q: %s", target, rec.Code, loc, why)
				}
			} else if loc != "" {
				t.Errorf("GET %s → %d with Location %q", target, rec.Code, loc)
			}
			if want != "" && loc != want {
				t.Errorf("GET %s → %d %q, want a redirect to %s", target, rec.Code, loc, want)
			}
		}
		for src, want := range redirects {
			check(src, want)
			if rec := serve(m, "GET", src); rec.Code < 300 || rec.Code >= 400 {
				t.Errorf("GET %s = %d: no longer a redirect, the table tests nothing", src, rec.Code)
			}
		}
		for _, h := range hostile {
			check(h, "")
			// The same path under each redirecting source, and as its query.
			for src := range redirects {
				check(strings.TrimSuffix(src, "/")+h, "")
				check(src+"?"+url.QueryEscape(h)+"="+h, "")
			}
		}
		t.Logf("%d redirects checked", sent)
	})
}

func mustList(t *testing.T, m *Main, kind alliance.Kind) []*alliance.Item {
	t.Helper()
	items, err := m.DB.List(context.Background(), store.Query{Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

var linksWithQuery = regexp.MustCompile(`(?:href|content)="[^"]*\?[^"]*"`)

// A parameter no page understands changes nothing in a page: its canonical, og:url, hreflang,
// pager and filter links are those of the clean URL, so the page is byte for byte the page of
// the clean URL, and parameters the page understands come in one canonical order.
func TestLinksKeepOnlyUnderstoodParameters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		story := itemPath(firstItem(t, m, alliance.KindStory), "en", "news")
		junk := "utm_source=" + strings.Repeat("j", 2000) + "&x%5B%5D=1&page2=3&=empty&JUNK"
		cases := []struct{ clean, dirty string }{
			{"/en/news/", "/en/news/?" + junk},
			{"/en/news/?page=2", "/en/news/?" + junk + "&page=2"},
			{"/en/news/?page=2", "/en/news/?page=02&category="},
			{"/en/news/?category=research", "/en/news/?category=research&category=education&" + junk},
			{"/en/learn/?kind=bip&level=staff", "/en/learn/?level=staff&kind=bip&member=&open=&" + junk},
			{"/en/learn/?open=1", "/en/learn/?" + junk + "&open=1"},
			{"/en/events/?when=past", "/en/events/?when=past&" + junk},
			{"/en/calls/", "/en/calls/?status=&" + junk},
			{"/en/", "/en/?" + junk},
			{story, story + "?" + junk},
		}
		for _, tc := range cases {
			clean, dirty := get(t, m, tc.clean), get(t, m, tc.dirty)
			if clean.status != 200 || dirty.status != 200 {
				t.Errorf("GET %s = %d, GET %s = %d", tc.clean, clean.status, tc.dirty, dirty.status)
				continue
			}
			if dirty.body != clean.body {
				t.Errorf("GET %.80s… differs from GET %s", tc.dirty, tc.clean)
			}
			if strings.Contains(dirty.body, "utm_source") || strings.Contains(dirty.body, "jjjj") || strings.Contains(dirty.body, "JUNK") {
				t.Errorf("GET %.80s… copies a parameter it does not understand into the page", tc.dirty)
			}
			for _, l := range linksWithQuery.FindAllString(dirty.body, -1) {
				if strings.Contains(l, "page=1&") || strings.HasSuffix(l, "page=1\"") {
					t.Errorf("GET %s: a link to page 1 names it: %s", tc.dirty, l)
				}
			}
		}
		r := get(t, m, "/en/learn/?level=staff&kind=bip")
		if !strings.Contains(r.body, `<link rel="canonical" href="`+m.URL()+`/en/learn/?kind=bip&amp;level=staff">`) {
			t.Error("the canonical link of a filtered listing does not name its filters in order")
		}
	})
}

// Requests with parameters no page understands are rendered but never kept: 2,000 distinct
// junk URLs leave the page cache holding only the clean pages (BenchmarkJunkURLs sends 20,000
// and reports the memory taken; TestPageCacheCountsEveryByte checks the accounting).
func TestJunkURLsStayOutOfThePageCache(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		w := m.site
		story := itemPath(firstItem(t, m, alliance.KindStory), "en", "news")
		clean := []string{"/en/", "/en/news/", "/en/news/?page=2", story, "/fr/"}
		for _, p := range clean {
			if r := serve(m, "GET", p); r.Code != 200 {
				t.Fatalf("GET %s = %d", p, r.Code)
			}
		}
		entries, bytes := w.CacheSize()
		if entries != len(clean) || bytes == 0 {
			t.Fatalf("the cache holds %d pages (%d bytes) after %d clean pages", entries, bytes, len(clean))
		}
		n := 2000
		if testing.Short() {
			n = 500
		}
		for i := range n {
			p := clean[i%len(clean)]
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			junk := fmt.Sprintf("%s%s%d=%s", p, sep, i, strings.Repeat("x", 1000))
			if r := serve(m, "GET", junk); r.Code != 200 {
				t.Fatalf("GET %.60s… = %d", junk, r.Code)
			}
		}
		if e, b := w.CacheSize(); e != entries || b != bytes {
			t.Errorf("after %d junk URLs the cache holds %d pages, %d bytes; before, %d pages, %d bytes", n, e, b, entries, bytes)
		}
		// The clean pages are still served from the cache.
		for _, p := range clean {
			if r := serve(m, "GET", p); r.Code != 200 {
				t.Errorf("GET %s = %d", p, r.Code)
			}
		}
		if e, _ := w.CacheSize(); e != entries {
			t.Errorf("clean pages were dropped: %d pages, want %d", e, entries)
		}
	})
}

// Only GET and HEAD are answered: other methods get 405 with Allow, in the visitor's language.
func TestOtherMethodsAnswer405(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		cases := []struct{ method, path, accept, lang string }{
			{"POST", "/en/news/", "", "en"},
			{"PUT", "/de/", "", "de"},
			{"DELETE", "/fr/actualites/", "", "fr"},
			{"PATCH", "/", "el", "el"},
			{"OPTIONS", "/nowhere", "it", "it"},
			{"POST", "/media/nothing.png", "sv", "sv"},
			{"PROPFIND", "/ro/", "", "ro"},
		}
		for _, tc := range cases {
			rec := serve(m, tc.method, tc.path, "Accept-Language", tc.accept)
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s = %d, Allow %q; want 405 with Allow: GET, HEAD", tc.method, tc.path, rec.Code, rec.Header().Get("Allow"))
				continue
			}
			title := locale.MustGet(tc.lang).T("error.405_title")
			if body := rec.Body.String(); !strings.Contains(body, htmlEscape(title)) || !strings.Contains(body, `<html lang="`+tc.lang+`">`) {
				t.Errorf("%s %s: the 405 page is not in %s", tc.method, tc.path, tc.lang)
			}
		}
		for _, method := range []string{"GET", "HEAD"} {
			if rec := serve(m, method, "/en/news/"); rec.Code != 200 {
				t.Errorf("%s /en/news/ = %d", method, rec.Code)
			}
		}
	})
}

// Page numbers and query strings the site cannot read answer 404 (past the end) or 400 in the
// visitor's language, never a listing of everything or a page "9,223,372,036,854,775,807 of 3".
func TestListingQueriesAreReadSafely(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		cases := []struct {
			path   string
			status int
			lang   string
		}{
			{"/en/news/?page=9223372036854775807", 404, "en"},
			{"/en/news/?page=9223372036854775806", 404, "en"},
			{"/en/news/?page=1000000000", 404, "en"},
			{"/en/calls/?page=9223372036854775807", 404, "en"},
			{"/de/veranstaltungen/?page=4611686018427387904", 404, "de"},
			{"/en/news/?page=99999999999999999999", 400, "en"},
			{"/en/news/?page=0", 400, "en"},
			{"/en/news/?page=-1", 400, "en"},
			{"/de/news/?category=%zz", 400, "de"},
			{"/fr/actualites/?category=research;", 400, "fr"},
			{"/en/news/?a;b", 400, "en"},
			{"/el/nea/?page=1%", 400, "el"},
			{"/en/learn/?kind=%G0", 400, "en"},
			{"/en/members/?country=%", 400, "en"},
		}
		for _, tc := range cases {
			r := get(t, m, tc.path)
			if r.status != tc.status {
				t.Errorf("GET %s = %d, want %d", tc.path, r.status, tc.status)
				continue
			}
			key := fmt.Sprintf("error.%d_title", tc.status)
			if !strings.Contains(r.body, htmlEscape(locale.MustGet(tc.lang).T(key))) || !strings.Contains(r.body, `<html lang="`+tc.lang+`">`) {
				t.Errorf("GET %s: the %d page is not in %s", tc.path, tc.status, tc.lang)
			}
			if strings.Contains(r.body, "9,223") || strings.Contains(r.body, "9.223") {
				t.Errorf("GET %s shows an overflowed page number", tc.path)
			}
		}
	})
}

// Pages carry an ETag of what makes their bytes: a client that revalidates (Cache-Control:
// no-cache) gets 304 until the content changes, from the page cache and without it.
func TestPagesRevalidateWithETag(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		for _, cached := range []bool{true, false} {
			m := startSiteOn(t, dbURL, cached)
			ctx := context.Background()
			story := firstItem(t, m, alliance.KindStory)
			paths := []string{itemPath(story, "en", "news"), "/en/news/?page=2", "/de/", "/en/news/?utm=x"}
			for _, p := range paths {
				for _, enc := range []string{"gzip", ""} {
					first := get(t, m, p, "Accept-Encoding", enc)
					tag := first.header.Get("ETag")
					if first.status != 200 || tag == "" {
						t.Errorf("cache %v: GET %s = %d with ETag %q", cached, p, first.status, tag)
						continue
					}
					for _, inm := range []string{tag, `"other", ` + tag, strings.TrimPrefix(tag, "W/"), "*"} {
						again := get(t, m, p, "Accept-Encoding", enc, "If-None-Match", inm, "Cache-Control", "no-cache")
						if again.status != http.StatusNotModified || again.body != "" || again.header.Get("ETag") != tag {
							t.Errorf("cache %v: GET %s with If-None-Match %s = %d, ETag %q; want 304", cached, p, inm, again.status, again.header.Get("ETag"))
						}
					}
					if other := get(t, m, p, "Accept-Encoding", enc, "If-None-Match", `"nothing"`); other.status != 200 {
						t.Errorf("cache %v: GET %s with a foreign ETag = %d", cached, p, other.status)
					}
				}
			}
			gz, plain := get(t, m, paths[0], "Accept-Encoding", "gzip"), get(t, m, paths[0], "Accept-Encoding", "")
			if gz.header.Get("ETag") == plain.header.Get("ETag") {
				t.Error("the gzipped and plain representations share an ETag")
			}
			if r := get(t, m, "/en/nowhere/", "If-None-Match", "*"); r.status != 404 {
				t.Errorf("a missing page with If-None-Match: * = %d", r.status)
			}
			before := get(t, m, paths[0]).header.Get("ETag")
			it, err := m.DB.Item(ctx, alliance.KindStory, story.Key)
			if err != nil {
				t.Fatal(err)
			}
			it.Text("en").Title = "Changed since the last visit"
			if err := m.DB.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.Save(ctx, it, alliance.Change{UserName: "test", Base: it.Revision})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			after := get(t, m, paths[0], "If-None-Match", before)
			if after.status != 200 || !strings.Contains(after.body, "Changed since the last visit") || after.header.Get("ETag") == before {
				t.Errorf("cache %v: after a change, revalidation = %d with ETag %q (was %q)", cached, after.status, after.header.Get("ETag"), before)
			}
		}
	})
}

// Strict-Transport-Security goes with every response served over https (directly, through a
// proxy, or when the site's base URL is https), never over plain http.
func TestHSTSOverHTTPS(t *testing.T) {
	m := startSiteOn(t, storetest.NewURL(t, store.SQLite), true)
	const hsts = "Strict-Transport-Security"
	if r := get(t, m, "/en/"); r.header.Get(hsts) != "" {
		t.Errorf("plain http sends %s", hsts)
	}
	for _, p := range []string{"/en/", "/en/", "/static/nothing", "/"} { // the second from the cache
		if r := get(t, m, p, "X-Forwarded-Proto", "https"); !strings.Contains(r.header.Get(hsts), "max-age=") {
			t.Errorf("GET %s over https: %s = %q", p, hsts, r.header.Get(hsts))
		}
	}
	based := startSiteWith(t, storetest.NewURL(t, store.SQLite), func(c *alliance.Config) { c.BaseURL = "https://alliance.example" })
	if r := get(t, based, "/en/news/"); !strings.Contains(r.header.Get(hsts), "max-age=") {
		t.Errorf("a site whose base URL is https sends no %s", hsts)
	}
}

// When the store fails, the error page's title still names the site.
func TestErrorPageNamesTheSiteWithoutTheStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		site, err := m.DB.Site(context.Background())
		if err != nil || site.Name == "" {
			t.Fatalf("site %v, err %v", site, err)
		}
		m.DB.Close()
		r := get(t, m, "/de/news/")
		if r.status < 500 {
			t.Fatalf("GET /de/news/ without the store = %d", r.status)
		}
		title := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(r.body)
		if title == nil || !strings.Contains(title[1], htmlEscape(site.Name)) {
			t.Errorf("the %d page's title %q does not name the site %q", r.status, title, site.Name)
		}
	})
}

// A request URI longer than any of the site's is refused before anything reads it.
func TestLongRequestURIAnswers414(t *testing.T) {
	m := startSiteOn(t, storetest.NewURL(t, store.SQLite), true)
	r := get(t, m, "/de/news/?x="+strings.Repeat("a", 600<<10))
	if r.status != http.StatusRequestURITooLong || !strings.Contains(r.body, htmlEscape(locale.MustGet("de").T("error.414_title"))) {
		t.Errorf("a 600 KB query = %d, want a German 414 page", r.status)
	}
	if len(r.body) > 64<<10 {
		t.Errorf("the 414 page is %d bytes", len(r.body))
	}
}

// startSiteWith is startSiteOn with the page cache on and a change to the configuration.
func startSiteWith(t testing.TB, dbURL string, change func(*alliance.Config)) *Main {
	t.Helper()
	cfg := &alliance.Config{
		Addr: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: dbURL, PageCache: true, Demo: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return testNow },
	}
	change(cfg)
	m := NewMain(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}
