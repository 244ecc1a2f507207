package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

type sitemapDoc struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			HrefLang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

func readSitemap(t *testing.T, m *Main, path string) sitemapDoc {
	t.Helper()
	r := get(t, m, path)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s = %d", path, r.status)
	}
	var d sitemapDoc
	if err := xml.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return d
}

// Past its limit of URLs, /sitemap.xml is an index of numbered parts, each within the limit,
// which together list exactly the pages the whole sitemap lists; every URL names its
// translations and x-default.
func TestSitemapBecomesAnIndexPastItsLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		site, err := m.DB.Site(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		whole := readSitemap(t, m, "/sitemap.xml")
		if whole.XMLName.Local != "urlset" || len(whole.URLs) == 0 {
			t.Fatalf("/sitemap.xml is a %s of %d URLs, want the whole urlset", whole.XMLName.Local, len(whole.URLs))
		}
		want := map[string]bool{}
		for _, u := range whole.URLs {
			if want[u.Loc] {
				t.Errorf("%s listed twice", u.Loc)
			}
			want[u.Loc] = true
			var self, xdef bool
			for _, l := range u.Links {
				self = self || l.Href == u.Loc
				xdef = xdef || l.HrefLang == "x-default"
				if l.Rel != "alternate" {
					t.Errorf("%s: link rel %q", u.Loc, l.Rel)
				}
			}
			if !self || !xdef {
				t.Errorf("%s: alternates %+v lack itself or x-default", u.Loc, u.Links)
			}
		}
		// Every story's translation is there, with its lastmod.
		stories, err := m.DB.List(context.Background(), store.Query{Kind: alliance.KindStory})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stories {
			for _, tx := range st.Texts {
				loc := m.URL() + "/" + tx.Lang + "/" + locale.MustGet(tx.Lang).SectionSlug("news") + "/" + tx.Slug + "/"
				if !want[loc] {
					t.Errorf("sitemap lacks %s", loc)
				}
			}
		}
		if n := len(site.Languages); !want[m.URL()+"/"+site.Languages[n-1]+"/"] {
			t.Errorf("sitemap lacks the home page in %s", site.Languages[n-1])
		}

		const limit = 10
		m.site.SetSitemapLimits(limit, 50<<20)
		index := readSitemap(t, m, "/sitemap.xml")
		if index.XMLName.Local != "sitemapindex" || len(index.Sitemaps) < 2 {
			t.Fatalf("with a limit of %d, /sitemap.xml is a %s of %d sitemaps", limit, index.XMLName.Local, len(index.Sitemaps))
		}
		got := map[string]bool{}
		for i, sm := range index.Sitemaps {
			path := "/sitemap-" + strconv.Itoa(i+1) + ".xml"
			if sm.Loc != m.URL()+path {
				t.Errorf("index entry %d is %s, want %s", i, sm.Loc, m.URL()+path)
			}
			part := readSitemap(t, m, path)
			if len(part.URLs) == 0 || len(part.URLs) > limit {
				t.Errorf("%s holds %d URLs, want 1…%d", path, len(part.URLs), limit)
			}
			for _, u := range part.URLs {
				if got[u.Loc] {
					t.Errorf("%s listed twice", u.Loc)
				}
				got[u.Loc] = true
			}
		}
		if len(got) != len(want) {
			t.Errorf("the parts list %d URLs, the whole sitemap %d", len(got), len(want))
		}
		for loc := range want {
			if !got[loc] {
				t.Errorf("the parts lack %s", loc)
			}
		}
		if r := get(t, m, "/sitemap-"+strconv.Itoa(len(index.Sitemaps)+1)+".xml"); r.status != http.StatusNotFound {
			t.Errorf("the part after the last answers %d", r.status)
		}
		// The limit of bytes holds too: parts within it, whatever the URLs' count.
		const maxBytes = 200 << 10
		m.site.SetSitemapLimits(50000, maxBytes)
		byBytes := readSitemap(t, m, "/sitemap.xml")
		if len(byBytes.Sitemaps) < 2 {
			t.Errorf("with a limit of %d bytes, /sitemap.xml is not an index", maxBytes)
		}
		for i := range byBytes.Sitemaps {
			path := "/sitemap-" + strconv.Itoa(i+1) + ".xml"
			if r := get(t, m, path); r.status != http.StatusOK || len(r.body) > maxBytes {
				t.Errorf("%s: %d, %d bytes (limit %d)", path, r.status, len(r.body), maxBytes)
			}
		}
		m.site.SetSitemapLimits(50000, 50<<20)
		if r := get(t, m, "/sitemap-1.xml"); r.status != http.StatusNotFound {
			t.Errorf("/sitemap-1.xml of a site within the limits answers %d", r.status)
		}
	})
}

type jsonFeedDoc struct {
	Language string `json:"language"`
	Items    []struct {
		ID            string `json:"id"`
		URL           string `json:"url"`
		Title         string `json:"title"`
		Language      string `json:"language"`
		DatePublished string `json:"date_published"`
		DateModified  string `json:"date_modified"`
		Image         string `json:"image"`
	} `json:"items"`
}

func readJSONFeed(t *testing.T, m *Main, path string) jsonFeedDoc {
	t.Helper()
	r := get(t, m, path)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s = %d", path, r.status)
	}
	var f jsonFeedDoc
	if err := json.Unmarshal([]byte(r.body), &f); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return f
}

var atomEntryLang = regexp.MustCompile(`<entry xml:lang="([a-z]+)"><id>([^<]+)</id>`)

// In every language, the stories' feeds hold every story newest first; a story without a text
// in the feed's language is there in its source language, marked with that language (JSON
// Feed's language, Atom's xml:lang), at its URL in the feed's language.
func TestFeedsOrderAndMarkFallbacks(t *testing.T) {
	m := startSiteOn(t, storetest.NewURL(t, store.SQLite), true)
	ctx := context.Background()
	site, _ := m.DB.Site(ctx)
	stories, err := m.DB.List(ctx, store.Query{Kind: alliance.KindStory})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]*alliance.Item{}
	for _, st := range stories {
		byKey[st.Key] = st
	}
	fallbacks := 0
	for _, lang := range site.Languages {
		base := "/" + lang + "/" + locale.MustGet(lang).SectionSlug("news") + "/"
		f := readJSONFeed(t, m, base+"feed.json")
		if f.Language != lang {
			t.Errorf("%s: language %q", lang, f.Language)
		}
		if len(f.Items) != min(len(stories), 50) {
			t.Errorf("%s: %d items, want %d", lang, len(f.Items), min(len(stories), 50))
		}
		if !sort.SliceIsSorted(f.Items, func(i, j int) bool { return f.Items[i].DatePublished > f.Items[j].DatePublished }) &&
			!sort.SliceIsSorted(f.Items, func(i, j int) bool { return f.Items[i].DatePublished >= f.Items[j].DatePublished }) {
			t.Errorf("%s: items not newest first", lang)
		}
		for i := 1; i < len(f.Items); i++ {
			a, _ := time.Parse(time.RFC3339, f.Items[i-1].DatePublished)
			b, _ := time.Parse(time.RFC3339, f.Items[i].DatePublished)
			if b.After(a) {
				t.Errorf("%s: item %d (%s) is newer than the one before", lang, i, f.Items[i].ID)
			}
		}
		atom := get(t, m, base+"feed.atom").body
		atomLangs := map[string]string{}
		for _, e := range atomEntryLang.FindAllStringSubmatch(atom, -1) {
			atomLangs[e[2]] = e[1]
		}
		for _, it := range f.Items {
			// tag:host,2026:story/{key}/{lang}
			parts := strings.Split(it.ID, "/")
			st := byKey[parts[len(parts)-2]]
			if st == nil {
				t.Errorf("%s: item %s names no story", lang, it.ID)
				continue
			}
			text, _ := st.Best(lang)
			if it.Language != text.Lang || it.Title != text.Title {
				t.Errorf("%s: item %s in %q titled %q, want %q %q", lang, it.ID, it.Language, it.Title, text.Lang, text.Title)
			}
			if text.Lang != lang {
				fallbacks++
			}
			if atomLangs[it.ID] != text.Lang {
				t.Errorf("%s: Atom entry %s has xml:lang %q, want %q", lang, it.ID, atomLangs[it.ID], text.Lang)
			}
			if want := m.URL() + base + text.Slug + "/"; it.URL != want {
				t.Errorf("%s: item %s url %s, want %s", lang, it.ID, it.URL, want)
			}
			if _, err := time.Parse(time.RFC3339, it.DateModified); err != nil {
				t.Errorf("%s: item %s date_modified %q: %v", lang, it.ID, it.DateModified, err)
			}
			if dataImage(st) != "" && !strings.HasPrefix(it.Image, m.URL()+"/media/") {
				t.Errorf("%s: item %s image %q, want an absolute media URL", lang, it.ID, it.Image)
			}
		}
	}
	if fallbacks == 0 {
		t.Error("no story shown in a fallback language: the demo should have some, or this test checks nothing")
	}
}

func dataImage(it *alliance.Item) string {
	var st alliance.Story
	json.Unmarshal(it.Shared, &st)
	return st.Image
}

var sequenceLine = regexp.MustCompile(`(?m)^SEQUENCE:(\d+)\r$`)

// Saving an event raises the SEQUENCE of its VEVENT in its .ics, and the calendar shows the
// change on the next request, page cache on. The .ics is kept in the page cache, with the
// Content-Disposition that names its file.
func TestCalendarSequenceRisesWhenAnEventChanges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		m := startSiteOn(t, dbURL, true)
		ev := firstItem(t, m, alliance.KindEvent)
		path := strings.TrimSuffix(itemPath(ev, "en", "events"), "/") + ".ics"
		seq := func() (int, string) {
			t.Helper()
			pages, _ := m.site.CacheSize()
			r := get(t, m, path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d", path, r.status)
			}
			kept, _ := m.site.CacheSize()
			again := get(t, m, path)
			// One more page, or the only one when the content changed since the cache filled.
			if after, _ := m.site.CacheSize(); (kept != pages+1 && kept != 1) || after != kept || again.body != r.body {
				t.Errorf("GET %s twice: the cache held %d, %d, then %d pages (want one more, then the same), same bytes %v",
					path, pages, kept, after, again.body == r.body)
			}
			for _, h := range []http.Header{r.header, again.header} {
				if want := `inline; filename="` + ev.Texts[0].Slug + `.ics"`; h.Get("Content-Disposition") == "" || h.Get("Content-Type") != "text/calendar; charset=utf-8" {
					t.Errorf("GET %s: Content-Disposition %q (want like %q), Content-Type %q", path, h.Get("Content-Disposition"), want, h.Get("Content-Type"))
				}
			}
			// The event's VEVENT comes first, before its sessions'.
			mm := sequenceLine.FindStringSubmatch(r.body)
			if mm == nil {
				t.Fatalf("GET %s: no SEQUENCE:\n%s", path, r.body)
			}
			n, _ := strconv.Atoi(mm[1])
			return n, r.body
		}
		before, _ := seq()
		it, err := m.DB.Edit(ctx, alliance.KindEvent, ev.Key)
		if err != nil {
			t.Fatal(err)
		}
		it.Text("en").Summary = "A changed summary, with a comma; and a semicolon."
		it.Text("en").Data = nil
		if err := m.DB.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Save(ctx, it, alliance.Change{UserName: "test", Base: it.Revision})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		after, body := seq()
		if after != before+1 {
			t.Errorf("SEQUENCE %d after a save, was %d: want %d", after, before, before+1)
		}
		if !strings.Contains(body, `DESCRIPTION;LANGUAGE=en:A changed summary\, with a comma\; and a semicolon.`) {
			t.Errorf("the changed summary is not in the calendar, escaped:\n%s", body)
		}
	})
}

// A story scheduled for later enters the feeds on the first request after its time, with the
// page cache on and no other change.
func TestScheduledStoryEntersTheFeedOnTime(t *testing.T) {
	ctx := context.Background()
	clock := &settableClock{t: testNow}
	m := startSiteWithClock(t, storetest.NewURL(t, store.SQLite), clock)
	at := testNow.Add(time.Hour)
	st := &alliance.Item{Kind: alliance.KindStory, Key: "scheduled-feed-story", SourceLang: "en", PublishAt: at,
		Data:  &alliance.Story{Date: alliance.Date(testNow.Format("2006-01-02")), Category: "alliance"},
		Texts: []alliance.Text{{Lang: "en", Slug: "scheduled-feed-story", Title: "A story scheduled for the feed", Summary: "Out at its time."}}}
	if err := m.DB.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Save(ctx, st, alliance.Change{UserName: "test"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/en/news/feed.atom", "/en/news/feed.json", "/fr/actualites/feed.atom"} {
		expectPage(t, m, "before its time", p, http.StatusOK, nil, []string{"A story scheduled for the feed"})
	}
	clock.Set(at.Add(-time.Second))
	expectPage(t, m, "a second before", "/en/news/feed.atom", http.StatusOK, nil, []string{"A story scheduled for the feed"})
	clock.Set(at)
	for _, p := range []string{"/en/news/feed.atom", "/en/news/feed.json", "/fr/actualites/feed.atom"} {
		expectPage(t, m, "at its time", p, http.StatusOK, []string{"A story scheduled for the feed"}, nil)
	}
}

// A session's calendar: its own .ics, linked from the event's page in every language, holds the
// session in the venue's zone with that zone's VTIMEZONE, its parent event, and its livestream
// as a CONFERENCE; the event's .ics holds the event and every session.
func TestSessionCalendarInEveryLanguage(t *testing.T) {
	ctx := context.Background()
	m := startSiteOn(t, storetest.NewURL(t, store.SQLite), true)
	ev, err := m.DB.Item(ctx, alliance.KindEvent, "meridia-days-2026")
	if err != nil {
		t.Skipf("the demo's annual days are gone: %v", err)
	}
	se, err := m.DB.Item(ctx, alliance.KindSession, "md2026-opening")
	if err != nil {
		t.Fatal(err)
	}
	site, _ := m.DB.Site(ctx)
	for _, lang := range site.Languages {
		page := itemPath(ev, lang, "events")
		body := get(t, m, page).body
		st, _ := se.Best(lang)
		sessionICS := page + st.Slug + ".ics"
		eventICS := strings.TrimSuffix(page, "/") + ".ics"
		for _, link := range []string{sessionICS, eventICS} {
			if !strings.Contains(body, `href="`+link+`"`) {
				t.Errorf("%s: no link to %s", page, link)
			}
		}
		r := get(t, m, sessionICS)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("GET %s = %d %s", sessionICS, r.status, r.header.Get("Content-Type"))
		}
		unfolded := strings.ReplaceAll(r.body, "\r\n ", "")
		for _, want := range []string{
			"BEGIN:VTIMEZONE\r\nTZID:Europe/Bucharest\r\n",
			"UID:session-md2026-opening@127.0.0.1\r\n",
			"DTSTART;TZID=Europe/Bucharest:20260610T093000\r\n",
			"DTEND;TZID=Europe/Bucharest:20260610T103000\r\n",
			"RELATED-TO;RELTYPE=PARENT:event-meridia-days-2026@127.0.0.1\r\n",
			"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=\"" + locale.MustGet(lang).T("calendar.livestream") + "\":https://video.example.org/meridia/days-2026-opening\r\n",
			"SUMMARY;LANGUAGE=" + st.Lang + ":",
			"URL;VALUE=URI:" + m.URL() + page + "#" + st.Slug + "\r\n",
		} {
			if !strings.Contains(unfolded, want) {
				t.Errorf("%s lacks %q:\n%s", sessionICS, want, r.body)
			}
		}
		if n := strings.Count(r.body, "BEGIN:VEVENT"); n != 1 {
			t.Errorf("%s: %d VEVENTs, want 1", sessionICS, n)
		}
		all := get(t, m, eventICS).body
		sessions, _ := m.DB.List(ctx, store.Query{Kind: alliance.KindSession, Facets: []alliance.Facet{{Name: "event", Value: ev.Key}}})
		if n := strings.Count(all, "BEGIN:VEVENT"); n != 1+len(sessions) {
			t.Errorf("%s: %d VEVENTs, want the event and %d sessions", eventICS, n, len(sessions))
		}
		if home := get(t, m, "/"+lang+"/").body; !strings.Contains(home, `type="text/calendar" title="`) ||
			strings.Count(home, `type="application/atom+xml"`) != 4 || strings.Count(home, `type="application/feed+json"`) != 4 {
			t.Errorf("/%s/: the head does not link the four feeds in both formats and the calendar", lang)
		}
	}
	if r := get(t, m, "/en/events/meridia-days-2026/no-such-session.ics"); r.status != http.StatusNotFound {
		t.Errorf("an unknown session's calendar answers %d", r.status)
	}
}
