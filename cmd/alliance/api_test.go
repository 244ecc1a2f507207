package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// The tests of the JSON API under /api/v1/. Every response goes through apiSpec.get, which
// checks it against the OpenAPI document the program serves.

// apiPath turns an absolute URL the API wrote into a path and query of m, failing when it
// points elsewhere.
func apiPath(t testing.TB, m *Main, abs string) string {
	t.Helper()
	if !strings.HasPrefix(abs, m.URL()+"/") {
		t.Fatalf("URL %q is not an absolute URL of the site %s", abs, m.URL())
	}
	return strings.TrimPrefix(abs, m.URL())
}

// list is a page of a listing, decoded.
type apiList struct {
	Items []apiItem `json:"items"`
	Total int       `json:"total"`
	Page  int       `json:"page"`
	Pages int       `json:"pages"`
	Limit int       `json:"limit"`
	Links struct {
		Self, First, Last, Prev, Next string
	} `json:"links"`
}

// apiItem is what the tests read of an item.
type apiItem struct {
	Kind         string          `json:"kind"`
	Key          string          `json:"key"`
	SourceLang   string          `json:"source_lang"`
	Translations []string        `json:"translations"`
	Status       string          `json:"status"`
	Fields       json.RawMessage `json:"fields"`
	URL          string          `json:"url"`
	URLs         map[string]string
	APIURL       string `json:"api_url"`
	Text         *struct {
		Lang, Slug, Title, Summary string
		Fallback                   bool
		BodyMarkdown               *string `json:"body_markdown"`
		BodyHTML                   *string `json:"body_html"`
	} `json:"text"`
	Media []struct {
		Path, URL string
		APIURL    string `json:"api_url"`
	} `json:"media"`
	Sessions []apiItem `json:"sessions"`
}

func decodeInto(t testing.TB, r apiResponse, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %.200s: %v", r.body, err)
	}
}

// wantStatus fails the test unless r has status.
func wantStatus(t testing.TB, what string, r apiResponse, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s = %d, want %d\n%.1000s", what, r.status, status, r.body)
	}
}

// listAll reads every page of a listing, following its next links, and checks the pages
// agree with each other: the same total, every item once.
func listAll(t testing.TB, spec *apiSpec, m *Main, path string) []apiItem {
	t.Helper()
	var items []apiItem
	seen := map[string]bool{}
	total, pages := -1, 0
	for next := path; next != ""; {
		r := spec.get(t, m, "GET", next)
		wantStatus(t, "GET "+next, r, http.StatusOK)
		var l apiList
		decodeInto(t, r, &l)
		if total >= 0 && l.Total != total {
			t.Errorf("GET %s: total %d, the first page said %d", next, l.Total, total)
		}
		total = l.Total
		pages++
		if l.Page != pages {
			t.Errorf("GET %s: page %d, want %d", next, l.Page, pages)
		}
		for _, it := range l.Items {
			if seen[it.Key] {
				t.Errorf("GET %s: %s again", next, it.Key)
			}
			seen[it.Key] = true
			items = append(items, it)
		}
		next = ""
		if l.Links.Next != "" {
			next = apiPath(t, m, l.Links.Next)
		}
		if pages > 1000 {
			t.Fatal("more than 1000 pages")
		}
	}
	if len(items) != total {
		t.Errorf("GET %s: %d items over %d pages, total says %d", path, len(items), pages, total)
	}
	return items
}

// checkText checks the fallback flags of an item written for lang against the store's item.
func checkText(t testing.TB, what string, got apiItem, want *alliance.Item, lang string) {
	t.Helper()
	best, fallback := want.Best(lang)
	if got.Text == nil {
		t.Errorf("%s: no text", what)
		return
	}
	if got.Text.Lang != best.Lang || got.Text.Fallback != fallback || got.Text.Title != best.Title || got.Text.Slug != best.Slug {
		t.Errorf("%s in %s: text %s (fallback %v) %q, want %s (fallback %v) %q", what, lang,
			got.Text.Lang, got.Text.Fallback, got.Text.Title, best.Lang, fallback, best.Title)
	}
	var langs []string
	for _, tx := range want.Texts {
		langs = append(langs, tx.Lang)
	}
	a, b := slices.Clone(got.Translations), slices.Clone(langs)
	sort.Strings(a)
	sort.Strings(b)
	if !slices.Equal(a, b) {
		t.Errorf("%s: translations %v, want %v", what, got.Translations, langs)
	}
}

// The crawl: every endpoint, in every language of the demo site, every collection to its last
// page a few items at a time, every item and every media file an item names, and every value
// of every filter. Each response is checked against the document, so a change of the JSON the
// document does not follow fails here; and each item against the store.
func TestAPICrawlMatchesTheDocument(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		m := startSiteOn(t, dbURL, false)
		spec := newAPISpec(t, m)
		r := spec.get(t, m, "GET", "/api/v1/site")
		wantStatus(t, "GET /api/v1/site", r, http.StatusOK)
		var site struct {
			Languages   []struct{ Code string }
			Sections    []struct{ URL string }
			Collections []struct {
				Name, Kind string
				APIURL     string `json:"api_url"`
				Filters    []string
			}
		}
		decodeInto(t, r, &site)
		if len(site.Languages) != 8 || len(site.Collections) != len(alliance.Kinds) {
			t.Fatalf("site: %d languages, %d collections", len(site.Languages), len(site.Collections))
		}
		for _, s := range site.Sections {
			if p := apiPath(t, m, s.URL); get(t, m, p).status != http.StatusOK {
				t.Errorf("section %s does not answer 200", p)
			}
		}
		media := map[string]bool{}
		requests := 0
		for _, l := range site.Languages {
			lang := l.Code
			wantStatus(t, "site in "+lang, spec.get(t, m, "GET", "/api/v1/site?lang="+lang), http.StatusOK)
			for _, c := range site.Collections {
				kind := alliance.Kind(c.Kind)
				base := apiPath(t, m, c.APIURL)
				items := listAll(t, spec, m, base+"?limit=5&lang="+lang)
				requests += len(items)/5 + 1
				if kind != alliance.KindEvent && kind != alliance.KindCall {
					n, err := m.DB.Count(ctx, store.Query{Kind: kind})
					if err != nil {
						t.Fatal(err)
					}
					if len(items) != n {
						t.Errorf("%s in %s: %d items, the store shows %d", c.Name, lang, len(items), n)
					}
				}
				for _, it := range items {
					d := spec.get(t, m, "GET", apiPath(t, m, it.APIURL)+"?lang="+lang)
					requests++
					wantStatus(t, "GET "+it.APIURL, d, http.StatusOK)
					var full apiItem
					decodeInto(t, d, &full)
					want, err := m.DB.Item(ctx, kind, it.Key)
					if err != nil {
						t.Fatal(err)
					}
					checkText(t, c.Name+"/"+it.Key, full, want, lang)
					best, _ := want.Best(lang)
					if full.Text == nil || full.Text.BodyMarkdown == nil || *full.Text.BodyMarkdown != best.Body || *full.Text.BodyHTML != best.HTML {
						t.Errorf("%s/%s in %s: the body is not the text's", c.Name, it.Key, lang)
					}
					if it.Text == nil || it.Text.BodyMarkdown != nil {
						t.Errorf("%s/%s: a listing carries the body", c.Name, it.Key)
					}
					if lang == "en" {
						// The public pages the item links to, in every language, exist.
						for l, u := range full.URLs {
							if r := get(t, m, apiPath(t, m, u)); r.status != http.StatusOK {
								t.Errorf("%s/%s: its page in %s, %s, answers %d", c.Name, it.Key, l, u, r.status)
							}
						}
					}
					for _, md := range full.Media {
						media[apiPath(t, m, md.APIURL)] = true
					}
					if kind == alliance.KindEvent && lang == "en" {
						for _, se := range full.Sessions {
							var f alliance.Session
							json.Unmarshal(se.Fields, &f)
							if f.Event != it.Key {
								t.Errorf("event %s lists session %s of %q", it.Key, se.Key, f.Event)
							}
						}
					}
				}
				for _, name := range c.Filters {
					values := filterValues(t, m, kind, name)
					if len(values) == 0 {
						t.Errorf("%s: no value of filter %s in the demo", c.Name, name)
					}
					for _, v := range values {
						p := base + "?" + url.Values{name: {v}, "lang": {lang}, "limit": {"100"}}.Encode()
						r := spec.get(t, m, "GET", p)
						requests++
						wantStatus(t, "GET "+p, r, http.StatusOK)
					}
				}
			}
		}
		for p := range media {
			r := spec.get(t, m, "GET", p)
			wantStatus(t, "GET "+p, r, http.StatusOK)
			if u, _ := r.json["url"].(string); get(t, m, apiPath(t, m, u)).status != http.StatusOK {
				t.Errorf("the file of %s does not answer 200", p)
			}
		}
		if len(media) == 0 {
			t.Error("no media named by any item")
		}
		t.Logf("%d requests checked", requests+len(media))
	})
}

// filterValues are the values a filter of a kind's listing takes in the demo.
func filterValues(t testing.TB, m *Main, kind alliance.Kind, name string) []string {
	t.Helper()
	switch {
	case kind == alliance.KindEvent && name == "when":
		return []string{"upcoming", "past"}
	case kind == alliance.KindCall && name == "status":
		return []string{alliance.StatusOpen, alliance.StatusUpcoming, alliance.StatusClosed}
	case kind == alliance.KindLearning && name == "open":
		return []string{"true", "false"}
	}
	values, err := m.DB.FacetValues(context.Background(), kind, name)
	if err != nil {
		t.Fatal(err)
	}
	return values
}

// An item not translated into German or Greek is written in its source language with the
// fallback flag, as its public page shows it; a translated one in the language asked for. The
// URL of each is the public page in that language, which shows the same title.
func TestAPIFallbackInGermanAndGreek(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		m := startSiteOn(t, dbURL, false)
		spec := newAPISpec(t, m)
		stories, err := m.DB.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest})
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"de", "el"} {
			var translated, fallback *alliance.Item
			for _, st := range stories {
				if st.Text(lang) != nil && translated == nil {
					translated = st
				}
				if st.Text(lang) == nil && fallback == nil {
					fallback = st
				}
			}
			if translated == nil || fallback == nil {
				t.Fatalf("the demo needs a story in %s and one without %s", lang, lang)
			}
			for _, it := range []*alliance.Item{translated, fallback} {
				r := spec.get(t, m, "GET", "/api/v1/stories/"+it.Key+"?lang="+lang)
				wantStatus(t, "story "+it.Key, r, http.StatusOK)
				var got apiItem
				decodeInto(t, r, &got)
				checkText(t, it.Key, got, it, lang)
				if want := it.Text(lang) == nil; got.Text.Fallback != want {
					t.Errorf("%s in %s: fallback %v, want %v", it.Key, lang, got.Text.Fallback, want)
				}
				if got.Text.Fallback && got.Text.Lang != it.SourceLang {
					t.Errorf("%s in %s: fallback text in %s, want its source language %s", it.Key, lang, got.Text.Lang, it.SourceLang)
				}
				if got.URL != got.URLs[lang] || !strings.Contains(got.URL, "/"+lang+"/") {
					t.Errorf("%s in %s: url %s, urls %v", it.Key, lang, got.URL, got.URLs)
				}
				page := get(t, m, apiPath(t, m, got.URL))
				if page.status != http.StatusOK || !strings.Contains(page.body, htmlEscape(got.Text.Title)) {
					t.Errorf("%s in %s: the public page %s (%d) does not show %q", it.Key, lang, got.URL, page.status, got.Text.Title)
				}
				if len(got.URLs) != 8 {
					t.Errorf("%s: public pages in %d languages, want 8", it.Key, len(got.URLs))
				}
			}
			// The listing gives the same flags.
			var l apiList
			decodeInto(t, spec.get(t, m, "GET", "/api/v1/stories?limit=100&lang="+lang), &l)
			for _, it := range l.Items {
				for _, st := range stories {
					if st.Key == it.Key {
						checkText(t, "listed "+it.Key, it, st, lang)
					}
				}
			}
		}
	})
}

// A draft is never in the API; a scheduled story appears in the listing and at its address
// exactly at publish_at and leaves them at unpublish_at, with the fixed clock moved by hand and
// no content change meanwhile; a validator given before publish_at is not honoured after it.
func TestAPIHidesDraftsAndScheduledItemsUntilTheirTime(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := &settableClock{t: testNow}
		m := startSiteWithClock(t, dbURL, clock)
		spec := newAPISpec(t, m)
		newest, err := m.DB.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 1})
		if err != nil || len(newest) == 0 {
			t.Fatalf("no story (err %v)", err)
		}
		before, err := m.DB.Item(ctx, alliance.KindStory, newest[0].Key)
		if err != nil {
			t.Fatal(err)
		}
		copyStory := func(key string, days int) *alliance.Item {
			var st alliance.Story
			if err := json.Unmarshal(before.Shared, &st); err != nil {
				t.Fatal(err)
			}
			st.Date = alliance.Date(before.Starts.AddDate(0, 0, days).Format(time.DateOnly))
			raw, _ := json.Marshal(&st)
			it := &alliance.Item{Kind: alliance.KindStory, Key: key, SourceLang: before.SourceLang, Shared: raw}
			for _, tx := range before.Texts {
				tx.Slug = key
				it.Texts = append(it.Texts, tx)
			}
			st.Index(it)
			return it
		}
		publish := testNow.Add(time.Hour)
		scheduled := copyStory("scheduled-story", 1)
		scheduled.PublishAt, scheduled.UnpublishAt = publish, publish.Add(24*time.Hour)
		draft := copyStory("draft-story", 2)
		draft.Draft = true
		if err := m.DB.Update(ctx, func(tx *store.Tx) error {
			c := alliance.Change{UserName: "test", Blind: true}
			if _, err := tx.Save(ctx, scheduled, c); err != nil {
				return err
			}
			_, err := tx.Save(ctx, draft, c)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		listed := func(when string) []string {
			t.Helper()
			r := spec.get(t, m, "GET", "/api/v1/stories?limit=100")
			wantStatus(t, when+": stories", r, http.StatusOK)
			var l apiList
			decodeInto(t, r, &l)
			var keys []string
			for _, it := range l.Items {
				keys = append(keys, it.Key)
			}
			if slices.Contains(keys, "draft-story") {
				t.Errorf("%s: the draft is listed", when)
			}
			if got := spec.get(t, m, "GET", "/api/v1/stories/draft-story"); got.status != http.StatusNotFound {
				t.Errorf("%s: the draft answers %d", when, got.status)
			}
			return keys
		}
		expect := func(when string, shown bool) {
			t.Helper()
			want := http.StatusNotFound
			if shown {
				want = http.StatusOK
			}
			if got := spec.get(t, m, "GET", "/api/v1/stories/scheduled-story?lang=de"); got.status != want {
				t.Errorf("%s: the scheduled story answers %d, want %d", when, got.status, want)
			}
			if got := slices.Contains(listed(when), "scheduled-story"); got != shown {
				t.Errorf("%s: the scheduled story listed: %v, want %v", when, got, shown)
			}
		}
		clock.Set(publish.Add(-time.Second))
		expect("a second before publish_at", false)
		early := spec.get(t, m, "GET", "/api/v1/stories?limit=100")
		clock.Set(publish)
		if r := spec.get(t, m, "GET", "/api/v1/stories?limit=100", "If-None-Match", early.header.Get("ETag")); r.status != http.StatusOK {
			t.Errorf("at publish_at, the listing's validator of a second before answers %d, want 200", r.status)
		}
		expect("at publish_at", true)
		clock.Set(scheduled.UnpublishAt.Add(-time.Second))
		expect("a second before unpublish_at", true)
		clock.Set(scheduled.UnpublishAt)
		expect("at unpublish_at", false)
	})
}

// Filters narrow listings as the public listings do, pages split a listing without losing or
// repeating an item, and whatever is not understood answers 400 naming the parameter.
func TestAPIFiltersPagingAndBadRequests(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		m := startSiteOn(t, dbURL, false)
		spec := newAPISpec(t, m)

		all := listAll(t, spec, m, "/api/v1/stories?limit=100")
		paged := listAll(t, spec, m, "/api/v1/stories?limit=2")
		if len(all) < 3 || len(paged) != len(all) {
			t.Fatalf("%d stories by 100, %d by 2", len(all), len(paged))
		}
		for i := range all {
			if all[i].Key != paged[i].Key {
				t.Errorf("story %d: %s by 100, %s by 2", i, all[i].Key, paged[i].Key)
			}
		}

		// Every filter value gives the items of the store with that facet.
		for _, f := range []struct {
			collection string
			kind       alliance.Kind
			name       string
		}{
			{"stories", alliance.KindStory, "category"},
			{"resources", alliance.KindResource, "theme"},
			{"resources", alliance.KindResource, "type"},
			{"learning", alliance.KindLearning, "level"},
			{"learning", alliance.KindLearning, "language"},
			{"learning", alliance.KindLearning, "member"},
			{"members", alliance.KindMember, "country"},
			{"sessions", alliance.KindSession, "event"},
		} {
			values := filterValues(t, m, f.kind, f.name)
			sum := 0
			for _, v := range values {
				items := listAll(t, spec, m, "/api/v1/"+f.collection+"?"+f.name+"="+url.QueryEscape(v))
				n, err := m.DB.Count(ctx, store.Query{Kind: f.kind, Facets: []alliance.Facet{{Name: f.name, Value: v}}})
				if err != nil {
					t.Fatal(err)
				}
				if len(items) != n || n == 0 {
					t.Errorf("%s?%s=%s: %d items, the store has %d", f.collection, f.name, v, len(items), n)
				}
				sum += n
			}
			if total := len(listAll(t, spec, m, "/api/v1/"+f.collection+"?limit=100")); sum < total && f.name != "category" {
				t.Logf("%s by %s: %d of %d items have a value", f.collection, f.name, sum, total)
			}
		}

		// Events: upcoming and past split them at the clock, each with its status.
		upcoming := listAll(t, spec, m, "/api/v1/events?when=upcoming")
		past := listAll(t, spec, m, "/api/v1/events?when=past")
		byDefault := listAll(t, spec, m, "/api/v1/events")
		n, _ := m.DB.Count(ctx, store.Query{Kind: alliance.KindEvent})
		if len(upcoming) == 0 || len(past) == 0 || len(upcoming)+len(past) != n || len(byDefault) != len(upcoming) {
			t.Errorf("events: %d upcoming, %d past, %d by default, of %d", len(upcoming), len(past), len(byDefault), n)
		}
		for _, e := range upcoming {
			if e.Status != "upcoming" {
				t.Errorf("upcoming event %s has status %s", e.Key, e.Status)
			}
		}
		for _, e := range past {
			if e.Status != "past" {
				t.Errorf("past event %s has status %s", e.Key, e.Status)
			}
		}
		// Calls: each status keeps its own, and together they are all the calls.
		calls := 0
		for _, st := range []string{"open", "upcoming", "closed"} {
			for _, c := range listAll(t, spec, m, "/api/v1/calls?status="+st) {
				calls++
				if c.Status != st {
					t.Errorf("calls?status=%s lists %s, %s", st, c.Key, c.Status)
				}
			}
		}
		if all := listAll(t, spec, m, "/api/v1/calls"); calls != len(all) || len(all) == 0 {
			t.Errorf("%d calls by status, %d in all", calls, len(all))
		}
		for _, l := range listAll(t, spec, m, "/api/v1/learning?open=true") {
			if l.Status != "open" {
				t.Errorf("learning?open=true lists %s, %q", l.Key, l.Status)
			}
		}

		for _, bad := range []struct{ path, param string }{
			{"/api/v1/stories?category=no-such-category", "category"},
			{"/api/v1/stories?category=a&category=b", "category"},
			{"/api/v1/stories?colour=red", "colour"},
			{"/api/v1/stories?lang=xx", "lang"},
			{"/api/v1/stories?limit=0", "limit"},
			{"/api/v1/stories?limit=101", "limit"},
			{"/api/v1/stories?page=0", "page"},
			{"/api/v1/stories?page=two", "page"},
			{"/api/v1/events?when=later", "when"},
			{"/api/v1/events?attendance=teleport", "attendance"},
			{"/api/v1/calls?status=maybe", "status"},
			{"/api/v1/learning?open=1", "open"},
			{"/api/v1/learning?language=tlh", "language"},
			{"/api/v1/members?country=XX", "country"},
			{"/api/v1/stories/" + all[0].Key + "?lang=klingon", "lang"},
			{"/api/v1/site?lang=zz", "lang"},
			{"/api/v1/media", "path"},
			{"/api/v1/stories?%zz", ""},
		} {
			r := spec.get(t, m, "GET", bad.path)
			if r.status != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", bad.path, r.status)
				continue
			}
			params, _ := r.json["invalid_params"].([]any)
			found := false
			for _, p := range params {
				if p, _ := p.(map[string]any); p["name"] == bad.param {
					found = true
				}
			}
			if !found {
				t.Errorf("GET %s: invalid_params %v do not name %q", bad.path, params, bad.param)
			}
		}
		if r := spec.get(t, m, "GET", "/api/v1/stories?limit=2&page=1000"); r.status != http.StatusNotFound {
			t.Errorf("a page past the end = %d, want 404", r.status)
		}
	})
}

// Unknown things answer 404 and other methods 405, as problems; a CORS preflight is answered
// for any origin.
func TestAPINotFoundMethodsAndCORS(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		spec := newAPISpec(t, m)
		story := firstItem(t, m, alliance.KindStory)
		for _, p := range []string{
			"/api/v1/",
			"/api/v1/nothing",
			"/api/v1/nothing/here",
			"/api/v1/stories/no-such-story",
			"/api/v1/stories/Not_A_Key",
			"/api/v1/events/" + story.Key, // a key of another kind
			"/api/v1/media?path=images/none.svg",
			"/api/v1/media?path=../secret",
			"/api/v1/stories/" + story.Key + "/more",
		} {
			if r := spec.get(t, m, "GET", p); r.status != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, r.status)
			}
		}
		// The writes need a token (api_write_test.go); other methods answer 405 with those a
		// resource has.
		item := "/api/v1/stories/" + story.Key
		for _, c := range []struct {
			method, path string
			status       int
			allow        string
		}{
			{"POST", item, http.StatusMethodNotAllowed, "GET, HEAD, PUT, DELETE, OPTIONS"},
			{"PATCH", item, http.StatusMethodNotAllowed, "GET, HEAD, POST, PUT, DELETE, OPTIONS"},
			{"PUT", "/api/v1/stories", http.StatusMethodNotAllowed, "GET, HEAD, POST, OPTIONS"},
			{"DELETE", "/api/v1/stories", http.StatusMethodNotAllowed, "GET, HEAD, POST, OPTIONS"},
			{"PUT", item, http.StatusUnauthorized, ""},
			{"DELETE", item, http.StatusUnauthorized, ""},
			{"POST", "/api/v1/stories", http.StatusUnauthorized, ""},
		} {
			r := spec.get(t, m, c.method, c.path)
			if r.status != c.status || r.header.Get("Allow") != c.allow {
				t.Errorf("%s %s = %d, Allow %q; want %d and %q", c.method, c.path, r.status, r.header.Get("Allow"), c.status, c.allow)
			}
		}
		r := spec.get(t, m, "OPTIONS", "/api/v1/stories", "Origin", "https://elsewhere.example",
			"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match")
		if r.status != http.StatusNoContent || !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "If-None-Match") ||
			!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("preflight = %d %v", r.status, r.header)
		}
		r = spec.get(t, m, "GET", "/api/v1/stories", "Origin", "https://elsewhere.example")
		if !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "ETag") {
			t.Errorf("ETag not exposed to scripts: %v", r.header)
		}
		if r := spec.get(t, m, "HEAD", "/api/v1/stories/"+story.Key); r.status != http.StatusOK || r.body != "" {
			t.Errorf("HEAD = %d with %d bytes", r.status, len(r.body))
		}
		// The public site is unchanged beside it.
		if r := get(t, m, "/en/"); r.status != http.StatusOK {
			t.Errorf("GET /en/ = %d", r.status)
		}
	})
}

// Responses carry a weak ETag: sent back, it gets a 304 without a body until the content
// changes; it differs between languages and between URLs.
func TestAPIETagRevalidates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		spec := newAPISpec(t, m)
		story := firstItem(t, m, alliance.KindStory)
		p := "/api/v1/stories/" + story.Key + "?lang=fr"
		r := spec.get(t, m, "GET", p)
		tag := r.header.Get("ETag")
		if r.status != http.StatusOK || !strings.HasPrefix(tag, `W/"`) || r.header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("GET %s = %d, ETag %q, Cache-Control %q", p, r.status, tag, r.header.Get("Cache-Control"))
		}
		for _, inm := range []string{tag, strings.TrimPrefix(tag, "W/"), `"other", ` + tag} {
			r := spec.get(t, m, "GET", p, "If-None-Match", inm)
			if r.status != http.StatusNotModified || r.body != "" || r.header.Get("ETag") != tag {
				t.Errorf("If-None-Match %s = %d (%d bytes, ETag %q), want 304", inm, r.status, len(r.body), r.header.Get("ETag"))
			}
		}
		if r := spec.get(t, m, "GET", p, "If-None-Match", "*"); r.status != http.StatusOK {
			t.Errorf("If-None-Match * = %d, want 200", r.status)
		}
		other := spec.get(t, m, "GET", "/api/v1/stories/"+story.Key+"?lang=de")
		if other.header.Get("ETag") == tag {
			t.Error("the same ETag in French and German")
		}
		if err := retitle(t, m, story.Key, "Retitled for the API"); err != nil {
			t.Fatal(err)
		}
		r = spec.get(t, m, "GET", "/api/v1/stories/"+story.Key+"?lang=en", "If-None-Match", tag)
		if r.status != http.StatusOK || r.header.Get("ETag") == tag {
			t.Fatalf("after a change: %d, ETag %q", r.status, r.header.Get("ETag"))
		}
		var got apiItem
		decodeInto(t, r, &got)
		if got.Text.Title != "Retitled for the API" {
			t.Errorf("after a change the title is %q", got.Text.Title)
		}
		if r := spec.get(t, m, "GET", p, "If-None-Match", tag); r.status != http.StatusOK {
			t.Errorf("the validator of before the change = %d, want 200", r.status)
		}
	})
}

// An event comes with its programme: its sessions soonest first, each with its text in the
// language asked for.
func TestAPIEventWithItsSessions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		m := startSiteOn(t, dbURL, false)
		spec := newAPISpec(t, m)
		events, err := m.DB.List(ctx, store.Query{Kind: alliance.KindEvent})
		if err != nil {
			t.Fatal(err)
		}
		withSessions := 0
		for _, ev := range events {
			want, err := m.DB.List(ctx, store.Query{Kind: alliance.KindSession, Order: store.Soonest,
				Facets: []alliance.Facet{{Name: "event", Value: ev.Key}}})
			if err != nil {
				t.Fatal(err)
			}
			r := spec.get(t, m, "GET", "/api/v1/events/"+ev.Key+"?lang=el")
			wantStatus(t, "event "+ev.Key, r, http.StatusOK)
			var got apiItem
			decodeInto(t, r, &got)
			if len(got.Sessions) != len(want) {
				t.Errorf("event %s: %d sessions, want %d", ev.Key, len(got.Sessions), len(want))
				continue
			}
			for i, se := range got.Sessions {
				if se.Key != want[i].Key {
					t.Errorf("event %s: session %d is %s, want %s", ev.Key, i, se.Key, want[i].Key)
				}
				checkText(t, "session "+se.Key, se, want[i], "el")
			}
			if len(want) > 0 {
				withSessions++
			}
		}
		if withSessions == 0 {
			t.Error("no event of the demo has sessions")
		}
	})
}

// With the database away, the API answers 503 problems with Retry-After, and recovers.
func TestAPIAnswers503WithoutTheDatabase(t *testing.T) {
	needPostgres(t)
	proxy, viaProxy := storetest.NewProxy(t, storetest.NewURL(t, store.Postgres))
	m := startSiteOn(t, viaProxy, false)
	spec := newAPISpec(t, m)
	story := firstItem(t, m, alliance.KindStory)
	paths := []string{"/api/v1/site", "/api/v1/stories?lang=de", "/api/v1/stories/" + story.Key, "/api/v1/learning?member=genil"}
	for _, p := range paths {
		wantStatus(t, p, spec.get(t, m, "GET", p), http.StatusOK)
	}
	proxy.Stop()
	for _, p := range paths {
		r := spec.get(t, m, "GET", p)
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
			t.Errorf("GET %s with the database away = %d (Retry-After %q), want 503", p, r.status, r.header.Get("Retry-After"))
		}
	}
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the API did not recover", func() bool {
		return request(t, m, "GET", paths[2]).status == http.StatusOK
	})
}

// With a base URL configured, every absolute URL the API writes is on it, whatever host the
// request came to, and responses carry HSTS when it is https.
func TestAPIUsesTheBaseURL(t *testing.T) {
	m := startSiteWith(t, storetest.NewURL(t, store.SQLite), func(c *alliance.Config) { c.BaseURL = "https://alliance.example.eu" })
	spec := newAPISpec(t, m)
	story := firstItem(t, m, alliance.KindStory)
	r := spec.get(t, m, "GET", "/api/v1/stories/"+story.Key+"?lang=it")
	wantStatus(t, "story", r, http.StatusOK)
	var got apiItem
	decodeInto(t, r, &got)
	urls := []string{got.APIURL, got.URL}
	for _, u := range got.URLs {
		urls = append(urls, u)
	}
	for _, md := range got.Media {
		urls = append(urls, md.URL, md.APIURL)
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, "https://alliance.example.eu/") {
			t.Errorf("URL %q is not on the base URL", u)
		}
	}
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS on an https site")
	}
}
