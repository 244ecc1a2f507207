package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// testNow is the clock of every test: calls and applications keep the status the demo gives them.
var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// startSiteOn runs the real program in-process on the database at dbURL (an SQLite file or a
// PostgreSQL URL from storetest), loading the demo content into it when it is new.
func startSiteOn(t testing.TB, dbURL string, pageCache bool) *Main {
	t.Helper()
	cfg := &alliance.Config{
		Addr:        "127.0.0.1:0",
		DataDir:     t.TempDir(),
		DatabaseURL: dbURL,
		PageCache:   pageCache,
		Demo:        true,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:         func() time.Time { return testNow },
	}
	m := NewMain(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

type response struct {
	status int
	header http.Header
	body   string
}

var client = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       20 * time.Second,
}

func get(t testing.TB, m *Main, path string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest("GET", m.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Header.Get("Set-Cookie"); c != "" {
		t.Errorf("GET %s set a cookie: %s", path, c)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// itemPath is the URL of an item's page in lang, as a visitor would follow it.
func itemPath(it *alliance.Item, lang, section string) string {
	t, _ := it.Best(lang)
	return "/" + lang + "/" + locale.MustGet(lang).SectionSlug(section) + "/" + t.Slug + "/"
}

func firstItem(t *testing.T, m *Main, kind alliance.Kind) *alliance.Item {
	t.Helper()
	items, err := m.DB.List(context.Background(), store.Query{Kind: kind, Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("no %s in the demo (err %v)", kind, err)
	}
	return items[0]
}

var (
	htmlLang   = regexp.MustCompile(`<html lang="([a-z]+)">`)
	h1         = regexp.MustCompile(`<h1[ >]`)
	canonical  = regexp.MustCompile(`<link rel="canonical" href="http://[^"]+">`)
	thirdParty = regexp.MustCompile(`(?:src|href)="(?:https?:)?//(?:[^"/]+)`)
)

// checkPage asserts what every page must have.
func checkPage(t *testing.T, path string, r response, lang string) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Errorf("GET %s = %d, want 200", path, r.status)
		return
	}
	if m := htmlLang.FindStringSubmatch(r.body); m == nil || m[1] != lang {
		t.Errorf("GET %s: html lang = %v, want %s", path, m, lang)
	}
	if n := len(h1.FindAllString(r.body, -1)); n != 1 {
		t.Errorf("GET %s: %d h1 elements, want 1", path, n)
	}
	if !canonical.MatchString(r.body) {
		t.Errorf("GET %s: no absolute canonical link", path)
	}
	if !strings.Contains(r.body, `hreflang="x-default"`) {
		t.Errorf("GET %s: no x-default alternate", path)
	}
	skip := locale.MustGet(lang).T("site.skip")
	if !strings.Contains(r.body, `href="#main">`+htmlEscape(skip)+`</a>`) {
		t.Errorf("GET %s: no skip link %q", path, skip)
	}
	for _, m := range thirdParty.FindAllString(r.body, -1) {
		if strings.Contains(m, "src=") || strings.Contains(r.body, `<link rel="stylesheet" `+m) {
			t.Errorf("GET %s: loads from another host: %s", path, m)
		}
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestEveryPageTypeInEveryLanguage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		ctx := context.Background()
		site, err := m.DB.Site(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(site.Languages) != 8 {
			t.Fatalf("demo has %d languages, want 8", len(site.Languages))
		}
		story := firstItem(t, m, alliance.KindStory)
		details := map[string]*alliance.Item{
			"news":      story,
			"resources": firstItem(t, m, alliance.KindResource),
			"learn":     firstItem(t, m, alliance.KindLearning),
			"calls":     firstItem(t, m, alliance.KindCall),
			"members":   firstItem(t, m, alliance.KindMember),
		}
		days, err := m.DB.Item(ctx, alliance.KindEvent, "meridia-days-2026")
		if err != nil {
			t.Fatal(err)
		}
		details["events"] = days
		var page *alliance.Item // a top-level menu page
		pages, err := m.DB.All(ctx, alliance.KindPage)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			var info alliance.Page
			json.Unmarshal(p.Shared, &info)
			if info.Parent == "" {
				page = p
				break
			}
		}
		for _, lang := range site.Languages {
			l := locale.MustGet(lang)
			paths := []string{"/" + lang + "/"}
			for _, section := range locale.Sections {
				paths = append(paths, "/"+lang+"/"+l.SectionSlug(section)+"/")
				paths = append(paths, itemPath(details[section], lang, section))
			}
			pt, _ := page.Best(lang)
			paths = append(paths, "/"+lang+"/"+pt.Slug+"/")
			for _, p := range paths {
				r := get(t, m, p)
				checkPage(t, p, r, lang)
			}
			// Localized dates: the story's date and the annual days' range and zone.
			r := get(t, m, itemPath(story, lang, "news"))
			if want := l.Date(story.Starts); !strings.Contains(r.body, htmlEscape(want)) {
				t.Errorf("%s: story page does not show its date as %q", lang, want)
			}
			ev := decodeEvent(t, days)
			loc := ev.Location()
			r = get(t, m, itemPath(days, lang, "events"))
			if want := l.DateRange(ev.Start.In(loc), ev.End.In(loc)); !strings.Contains(r.body, htmlEscape(want)) {
				t.Errorf("%s: event page does not show its dates as %q", lang, want)
			}
			if !strings.Contains(r.body, "EEST (UTC+3)") {
				t.Errorf("%s: event page does not show Bucharest summer time as EEST (UTC+3)", lang)
			}
			if strings.Contains(r.body, "EET (") {
				t.Errorf("%s: event page shows winter time EET in June", lang)
			}
			// Alternates name every translation of the item.
			for _, tr := range days.Texts {
				href := `hreflang="` + tr.Lang + `" href="` + m.URL() + itemPath(days, tr.Lang, "events") + `"`
				if !strings.Contains(r.body, href) {
					t.Errorf("%s: event page lacks alternate %s", lang, href)
				}
			}
		}
	})
}

func decodeEvent(t *testing.T, it *alliance.Item) *alliance.Event {
	t.Helper()
	var ev alliance.Event
	if err := json.Unmarshal(it.Shared, &ev); err != nil {
		t.Fatal(err)
	}
	return &ev
}

func TestFallbackNoticeWhenTranslationMissing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		ctx := context.Background()
		stories, err := m.DB.All(ctx, alliance.KindStory)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, st := range stories {
			for _, lang := range []string{"el", "sv", "ro"} {
				if st.Text(lang) != nil {
					continue
				}
				found++
				l := locale.MustGet(lang)
				src, _ := st.Best(lang)
				p := itemPath(st, lang, "news")
				r := get(t, m, p)
				checkPage(t, p, r, lang)
				notice := l.T("fallback.notice", "language", l.LanguageName(lang), "original", l.LanguageName(src.Lang))
				if !strings.Contains(r.body, htmlEscape(notice)) {
					t.Errorf("GET %s: no fallback notice %q", p, notice)
				}
				if !strings.Contains(r.body, `<article class="story" lang="`+src.Lang+`">`) {
					t.Errorf("GET %s: story content not marked lang=%s", p, src.Lang)
				}
				if strings.Contains(r.body, `<link rel="alternate" hreflang="`+lang+`"`) {
					t.Errorf("GET %s: claims a %s alternate that does not exist", p, lang)
				}
			}
		}
		if found == 0 {
			t.Fatal("every story is translated into el, sv and ro; the demo must show a fallback")
		}
	})
}

var countRe = regexp.MustCompile(`<p class="count" role="status">([^<]*)</p>`)

// count reads the number of results a listing announces.
func count(t *testing.T, m *Main, path string) int {
	t.Helper()
	r := get(t, m, path)
	if r.status != 200 {
		t.Fatalf("GET %s = %d", path, r.status)
	}
	mm := countRe.FindStringSubmatch(r.body)
	if mm == nil {
		t.Fatalf("GET %s: no result count", path)
	}
	n, err := strconv.Atoi(strings.Fields(mm[1])[0])
	if err != nil {
		t.Fatalf("GET %s: count %q", path, mm[1])
	}
	return n
}

func TestFiltersNarrowResults(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		cases := []struct {
			all, filtered string
		}{
			{"/en/news/", "/en/news/?category=research"},
			{"/fr/actualites/", "/fr/actualites/?category=education"},
			{"/en/resources/", "/en/resources/?theme=climate"},
			{"/en/resources/", "/en/resources/?type=handbook"},
			{"/en/resources/", "/en/resources/?audience=students"},
			{"/en/learn/", "/en/learn/?kind=bip"},
			{"/en/learn/", "/en/learn/?level=staff"},
			{"/en/learn/", "/en/learn/?language=fr"},
			{"/en/learn/", "/en/learn/?member=genil"},
			{"/en/learn/", "/en/learn/?open=1"},
			{"/en/calls/", "/en/calls/?status=open"},
		}
		for _, tc := range cases {
			all, filtered := count(t, m, tc.all), count(t, m, tc.filtered)
			if filtered == 0 || filtered >= all {
				t.Errorf("%s has %d results, %s has %d: the filter should narrow to some", tc.all, all, tc.filtered, filtered)
			}
		}
		if up, past := count(t, m, "/en/events/"), count(t, m, "/en/events/?when=past"); up == 0 || past == 0 {
			t.Errorf("events: %d upcoming, %d past; the demo has both", up, past)
		}
		// Stories paginate, 12 to a page.
		r := get(t, m, "/en/news/?page=2")
		if r.status != 200 || !strings.Contains(r.body, `aria-current="page">2</a>`) {
			t.Errorf("second page of news: %d", r.status)
		}
		if r := get(t, m, "/en/news/?page=99"); r.status != 404 {
			t.Errorf("page 99 of news = %d, want 404", r.status)
		}
		if r := get(t, m, "/de/news/?category=nonsense"); r.status != 400 || !strings.Contains(r.body, htmlEscape(locale.MustGet("de").T("error.400_title"))) {
			t.Errorf("unknown category = %d, want a German 400 page", r.status)
		}
	})
}

func TestNotFoundIsLocalized(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		cases := []struct{ path, lang, accept string }{
			{"/fr/nulle-part/", "fr", ""},
			{"/de/news/gibt-es-nicht/", "de", ""},
			{"/el/nea/kati-allo/", "el", ""},
			{"/ro/a/b/c/d/", "ro", ""},
			{"/xx/", "sv", "sv-SE,sv;q=0.9"},
			{"/no-such-thing", "it", "it"},
			{"/media/nothing.png", "es", "es-ES"},
		}
		for _, tc := range cases {
			r := get(t, m, tc.path, "Accept-Language", tc.accept)
			if r.status != 404 {
				t.Errorf("GET %s = %d, want 404", tc.path, r.status)
				continue
			}
			title := locale.MustGet(tc.lang).T("error.404_title")
			if !strings.Contains(r.body, htmlEscape(title)) || !strings.Contains(r.body, `<html lang="`+tc.lang+`">`) {
				t.Errorf("GET %s: 404 page is not in %s (want %q)", tc.path, tc.lang, title)
			}
		}
	})
}

func TestRootRedirectsToVisitorLanguage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		for accept, want := range map[string]string{"de-AT,de;q=0.9,en;q=0.5": "/de/", "el": "/el/", "pt-BR": "/en/", "": "/en/", "ro-RO": "/ro/"} {
			r := get(t, m, "/", "Accept-Language", accept)
			if r.status != http.StatusFound || r.header.Get("Location") != want {
				t.Errorf("Accept-Language %q: %d → %q, want %s", accept, r.status, r.header.Get("Location"), want)
			}
		}
		if r := get(t, m, "/en/news"); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/en/news/" {
			t.Errorf("/en/news without slash: %d %s", r.status, r.header.Get("Location"))
		}
	})
}

func TestChangedContentShowsOnNextRequest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		ctx := context.Background()
		newest, err := m.DB.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 1})
		if err != nil || len(newest) == 0 {
			t.Fatal(err)
		}
		story := newest[0]
		p := itemPath(story, "en", "news")
		before := get(t, m, p)
		again := get(t, m, p) // served from the page cache
		if before.body != again.body {
			t.Fatal("two requests for the same page differ")
		}
		it, err := m.DB.Item(ctx, alliance.KindStory, story.Key)
		if err != nil {
			t.Fatal(err)
		}
		it.Text("en").Title = "A title changed a moment ago"
		if err := m.DB.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Save(ctx, it, alliance.Change{UserName: "test", Base: it.Revision})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		after := get(t, m, p)
		if !strings.Contains(after.body, "A title changed a moment ago") {
			t.Error("the changed title is not on the next request")
		}
		// Pages that only show the story in a list change too.
		if home := get(t, m, "/en/news/"); !strings.Contains(home.body, "A title changed a moment ago") {
			t.Error("the news listing still shows the old title")
		}
	})
}

func TestHealthMediaAndHeaders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		if r := get(t, m, "/healthz"); r.status != 200 || !strings.Contains(r.body, `"ok"`) {
			t.Errorf("healthz = %d %s", r.status, r.body)
		}
		ctx := context.Background()
		paths, err := m.DB.MediaPaths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{".svg": "image/svg+xml", ".pdf": "application/pdf"}
		seen := map[string]bool{}
		for _, p := range paths {
			ext := filepath.Ext(p)
			if want[ext] == "" || seen[ext] {
				continue
			}
			seen[ext] = true
			r := get(t, m, "/media/"+(&url.URL{Path: p}).EscapedPath())
			if r.status != 200 || r.header.Get("Content-Type") != want[ext] {
				t.Errorf("/media/%s: %d %q", p, r.status, r.header.Get("Content-Type"))
			}
			if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
				t.Errorf("/media/%s: Cache-Control %q", p, cc)
			}
			etag := r.header.Get("ETag")
			if r2 := get(t, m, "/media/"+p, "If-None-Match", etag); r2.status != http.StatusNotModified {
				t.Errorf("/media/%s with its ETag = %d, want 304", p, r2.status)
			}
		}
		if len(seen) != 2 {
			t.Errorf("demo media lacks an SVG or a PDF: %v", seen)
		}
		r := get(t, m, "/en/", "Accept-Encoding", "gzip")
		if r.header.Get("Content-Encoding") != "gzip" {
			t.Error("home page not compressed for a client accepting gzip")
		}
		if csp := get(t, m, "/en/").header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("CSP = %q", csp)
		}
	})
}

func TestVersionCommand(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"version"}, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "alliance ") {
		t.Errorf("version: %q %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command succeeded")
	}
	if err := run(context.Background(), []string{"import"}, io.Discard, io.Discard); err == nil {
		t.Error("import without a folder succeeded")
	}
}

func TestImportExportCommands(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		dir := t.TempDir()
		db := storetest.NewURL(t, dialect)
		out := filepath.Join(dir, "out")
		var stdout strings.Builder
		// A new database via the server's path gets the demo; export it, import it into another.
		m := startSiteOn(t, storetest.NewURL(t, dialect), true)
		if err := run(context.Background(), []string{"export", "--database", m.Config.DatabaseURL, out}, &stdout, io.Discard); err != nil {
			t.Fatalf("export: %v", err)
		}
		if err := run(context.Background(), []string{"import", "--database", db, out}, &stdout, io.Discard); err != nil {
			t.Fatalf("import: %v", err)
		}
		if !strings.Contains(stdout.String(), "imported ") {
			t.Errorf("output: %s", stdout.String())
		}
		bad := filepath.Join(dir, "bad")
		if err := run(context.Background(), []string{"import", "--database", db, bad}, io.Discard, io.Discard); err == nil {
			t.Error("import of a missing folder succeeded")
		}
		if err := run(context.Background(), []string{"migrate", "--database", db}, io.Discard, io.Discard); err != nil {
			t.Errorf("migrate: %v", err)
		}
	})
}

var bgctx = context.Background()

func firstItemB(m *Main, kind alliance.Kind) *alliance.Item {
	items, err := m.DB.List(bgctx, store.Query{Kind: kind, Limit: 1})
	if err != nil || len(items) == 0 {
		panic("no " + string(kind) + " in the demo")
	}
	return items[0]
}

func TestImportPruneCommand(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir()
		db := storetest.NewURL(t, dialect)
		m := startSiteOn(t, storetest.NewURL(t, dialect), true)
		if err := run(ctx, []string{"export", "--database", m.Config.DatabaseURL, dir}, io.Discard, io.Discard); err != nil {
			t.Fatalf("export: %v", err)
		}
		if err := run(ctx, []string{"import", "--database", db, dir}, io.Discard, io.Discard); err != nil {
			t.Fatalf("import: %v", err)
		}
		// A story whose files are gone, and a media file nothing refers to.
		stories, _ := filepath.Glob(filepath.Join(dir, "stories", "*.md"))
		var gone []string
		for _, p := range stories {
			if strings.HasPrefix(filepath.Base(p), "digital-teaching-webinar-2027.") {
				gone = append(gone, p)
			}
		}
		if len(gone) == 0 {
			t.Fatal("the demo has no story digital-teaching-webinar-2027; pick another")
		}
		for _, p := range gone {
			os.Remove(p)
		}
		if err := os.WriteFile(filepath.Join(dir, "media", "extra.txt"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := run(ctx, []string{"import", "--database", db, dir}, io.Discard, io.Discard); err != nil {
			t.Fatalf("import: %v", err)
		}
		os.Remove(filepath.Join(dir, "media", "extra.txt"))
		var stdout strings.Builder
		if err := run(ctx, []string{"import", "--prune", "--database", db, dir}, &stdout, io.Discard); err != nil {
			t.Fatalf("import --prune: %v", err)
		}
		for _, want := range []string{"removed story digital-teaching-webinar-2027\n", "removed media extra.txt\n", "imported "} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("import --prune output lacks %q:\n%s", want, stdout.String())
			}
		}
		// A link out of the folder is refused, naming the file.
		if err := os.Symlink("/etc/passwd", filepath.Join(dir, "media", "passwd.txt")); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
		err := run(ctx, []string{"import", "--database", db, dir}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "media/passwd.txt: symbolic link refused") {
			t.Errorf("import of a folder with a link: %v", err)
		}
	})
}
