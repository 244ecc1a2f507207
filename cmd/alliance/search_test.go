package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

var (
	searchResultRe = regexp.MustCompile(`<li><h2><a href="([^"]+)">`)
	searchBoxRe    = regexp.MustCompile(`<form class="search-box" role="search" method="get" action="([^"]+)"><label class="visually-hidden" for="site-search">([^<]+)</label> <input type="search" id="site-search" name="q"`)
)

func searchPath(lang, q string, extra ...string) string {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/" + lang + "/" + locale.MustGet(lang).SectionSlug("search") + "/?" + v.Encode()
}

// The box is in the header of every page, in every language: the home page and a story's.
func TestSearchBoxOnEveryPage(t *testing.T) {
	m := startSiteOn(t, storetest.NewURL(t, store.SQLite), true)
	st := firstItem(t, m, alliance.KindStory)
	for _, lang := range locale.Supported {
		l := locale.MustGet(lang)
		for _, p := range []string{"/" + lang + "/", itemPath(st, lang, "news")} {
			r := get(t, m, p)
			checkPage(t, p, r, lang)
			box := searchBoxRe.FindStringSubmatch(r.body)
			if box == nil {
				t.Errorf("GET %s: no search box", p)
				continue
			}
			if want := "/" + lang + "/" + l.SectionSlug("search") + "/"; box[1] != want || box[2] != htmlEscape(l.T("search.label")) {
				t.Errorf("GET %s: box goes to %s labelled %q, want %s labelled %q", p, box[1], box[2], want, l.T("search.label"))
			}
			if !strings.Contains(r.body, `<button type="submit">`+htmlEscape(l.T("search.button"))+`</button></form>`) {
				t.Errorf("GET %s: the box has no button %q", p, l.T("search.button"))
			}
		}
	}
}

// The search page through the real router, on both databases.
func TestSearchPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		ctx := context.Background()

		// Results in the visitor's language, words marked, the page kept out of indexes.
		for _, c := range []struct{ lang, q, mark string }{
			{"en", "universities", "universities"},
			{"de", "Universitäten", "Universitäten"},
			{"el", "πανεπιστήμια", "πανεπιστήμιο"},
			{"fr", "universites", "universités"},
			{"ro", "universităţile", "universități"},
		} {
			p := searchPath(c.lang, c.q)
			r := get(t, m, p)
			checkPage(t, p, r, c.lang)
			if !strings.Contains(r.body, `<meta name="robots" content="noindex">`) {
				t.Errorf("GET %s: not noindex", p)
			}
			if n := len(searchResultRe.FindAllString(r.body, -1)); n == 0 {
				t.Errorf("GET %s: no result", p)
			}
			if !strings.Contains(strings.ToLower(r.body), "<mark>"+strings.ToLower(c.mark)) {
				t.Errorf("GET %s: %q not marked", p, c.mark)
			}
			if !strings.Contains(r.body, `name="q" value="`+htmlEscape(c.q)+`"`) {
				t.Errorf("GET %s: the box does not hold the query", p)
			}
			if r.header.Get("ETag") != "" {
				t.Errorf("GET %s: results have an ETag, as if cached", p)
			}
		}

		// A story without a Greek text is found in Greek, in its own language, marked so.
		stories, err := m.DB.All(ctx, alliance.KindStory)
		if err != nil {
			t.Fatal(err)
		}
		var foreign *alliance.Item
		for _, st := range stories {
			if st.Text("el") == nil && !st.Draft {
				foreign = st
				break
			}
		}
		if foreign == nil {
			t.Fatal("every story has a Greek text: the demo must have a fallback")
		}
		src, _ := foreign.Best("el")
		words := strings.Fields(src.Title)
		p := searchPath("el", strings.Join(words[:min(4, len(words))], " "))
		r := get(t, m, p)
		link := `<a href="` + itemPath(foreign, "el", "news") + `"><span lang="` + src.Lang + `">` + htmlEscape(src.Title) + `</span>&nbsp;<span class="lang-mark">`
		if !strings.Contains(r.body, link) {
			t.Errorf("GET %s: no result marked as %s: want %s", p, src.Lang, link)
		}
		if !strings.Contains(r.body, `<p class="snippet" lang="`+src.Lang+`">`) {
			t.Errorf("GET %s: the snippet is not marked lang=%s", p, src.Lang)
		}

		// The filter by kind: only members, and the link to all of them says how many.
		p = searchPath("en", "university", "kind", "member")
		r = get(t, m, p)
		results := searchResultRe.FindAllStringSubmatch(r.body, -1)
		if len(results) == 0 {
			t.Errorf("GET %s: no member found", p)
		}
		for _, res := range results {
			if !strings.HasPrefix(res[1], "/en/members/") {
				t.Errorf("GET %s: %s is not a member", p, res[1])
			}
		}
		if !regexp.MustCompile(`aria-current="true">Member universities ?<span class="n">\([0-9]+\)</span></a>`).MatchString(r.body) {
			t.Errorf("GET %s: the members' link is not current", p)
		}

		// Pages: the second exists and links back, one past the end is not found.
		p = searchPath("en", "university")
		r = get(t, m, p)
		if !strings.Contains(r.body, `rel="next"`) {
			t.Fatalf("GET %s: one page only; the test needs more", p)
		}
		first := searchResultRe.FindAllStringSubmatch(r.body, -1)
		p2 := searchPath("en", "university", "page", "2")
		r2 := get(t, m, p2)
		if r2.status != http.StatusOK || !strings.Contains(r2.body, `rel="prev"`) {
			t.Errorf("GET %s = %d, or no previous page", p2, r2.status)
		}
		if second := searchResultRe.FindAllStringSubmatch(r2.body, -1); len(second) == 0 || second[0][1] == first[0][1] {
			t.Errorf("GET %s: the second page repeats the first", p2)
		}
		if r := get(t, m, searchPath("en", "university", "page", "500")); r.status != http.StatusNotFound {
			t.Errorf("page 500 = %d, want 404", r.status)
		}

		// Nothing found, said so in the visitor's language; a query too long, said so too.
		for _, lang := range []string{"en", "de", "el"} {
			l := locale.MustGet(lang)
			p := searchPath(lang, "qqxqqzz")
			r := get(t, m, p)
			checkPage(t, p, r, lang)
			if !strings.Contains(r.body, htmlEscape(l.T("search.none", "q", "qqxqqzz"))) {
				t.Errorf("GET %s: does not say nothing matches", p)
			}
			p = searchPath(lang, strings.Repeat("word ", 13))
			r = get(t, m, p)
			checkPage(t, p, r, lang)
			if !strings.Contains(r.body, htmlEscape(l.T("search.too_long", "words", "12", "chars", "200"))) {
				t.Errorf("GET %s: does not say the query is too long", p)
			}
			p = searchPath(lang, "")
			r = get(t, m, p)
			checkPage(t, p, r, lang)
			if strings.Contains(r.body, `class="search-results"`) || !strings.Contains(r.body, htmlEscape(l.T("search.intro"))) {
				t.Errorf("GET %s: an empty query shows results, or no introduction", p)
			}
		}
		if r := get(t, m, searchPath("en", "university", "kind", "nonsense")); r.status != http.StatusBadRequest {
			t.Errorf("unknown kind = %d, want 400", r.status)
		}

		// A story saved is found on the next request, page cache on.
		p = searchPath("en", "volcanology")
		if n := len(searchResultRe.FindAllString(get(t, m, p).body, -1)); n != 0 {
			t.Fatalf("GET %s: %d results before the story exists", p, n)
		}
		raw, _ := json.Marshal(&alliance.Story{Date: "2026-11-01", Category: "research"})
		it := &alliance.Item{Kind: alliance.KindStory, Key: "volcanology-school", SourceLang: "en", Shared: raw,
			Texts: []alliance.Text{{Lang: "en", Slug: "volcanology-school", Title: "A volcanology school", Summary: "Lava and ash.", Body: "Lava.", Fields: json.RawMessage(`{}`)}}}
		if err := m.DB.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Save(ctx, it, alliance.ImportChange())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r = get(t, m, p)
		if !strings.Contains(r.body, `<a href="/en/news/volcanology-school/">A <mark>volcanology</mark> school</a>`) &&
			!strings.Contains(r.body, `<a href="/en/news/volcanology-school/">A volcanology school</a>`) {
			t.Errorf("GET %s: the new story is not found:\n%s", p, r.body)
		}
	})
}
