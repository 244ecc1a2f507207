package web

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/media"
	"github.com/alliance-platform/alliance/internal/store"
)

// Feeds: Atom 1.0 and JSON Feed 1.1 of four sections, per language, at
// /{lang}/{section slug}/feed.atom and …/feed.json. An item's slug is lowercase letters, digits
// and hyphens, never a dot, so "feed.atom" cannot be an item's page.

// feedSize is how many items a feed holds.
const feedSize = 50

// feedSection is a section that has feeds, and the items they hold at an instant.
type feedSection struct {
	id    string
	query func(now time.Time) store.Query
}

// feedSections are the sections with feeds, in menu order: stories (newest first), upcoming
// events (soonest first), learning open for application and open calls (soonest first).
var feedSections = []feedSection{
	{"news", func(time.Time) store.Query {
		return store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: feedSize}
	}},
	{"events", func(now time.Time) store.Query {
		return store.Query{Kind: alliance.KindEvent, EndsAfter: now, Order: store.Soonest, Limit: feedSize}
	}},
	{"learn", func(now time.Time) store.Query {
		return store.Query{Kind: alliance.KindLearning, OpenAt: now, Order: store.Soonest, Limit: feedSize}
	}},
	{"calls", func(now time.Time) store.Query {
		return store.Query{Kind: alliance.KindCall, OpenAt: now, Order: store.Soonest, Limit: feedSize}
	}},
}

func feedSectionByID(id string) *feedSection {
	for i := range feedSections {
		if feedSections[i].id == id {
			return &feedSections[i]
		}
	}
	return nil
}

// Feed formats and their media types.
const (
	atomType     = "application/atom+xml"
	jsonFeedType = "application/feed+json"
)

var (
	atomContentType     = []string{atomType + "; charset=utf-8"}
	jsonFeedContentType = []string{jsonFeedType + "; charset=utf-8"}
)

// feedLink is a <link rel="alternate"> to a feed in a page's head.
type feedLink struct {
	Type, Title, Href string
}

// feedLinks are the head links to the feeds of sections (Atom first, then JSON Feed).
func feedLinks(rc *request, ids ...string) []feedLink {
	var out []feedLink
	for _, id := range ids {
		if feedSectionByID(id) == nil {
			continue
		}
		title := rc.L.T("feed.title." + id)
		base := rc.Base + rc.sectionURL(rc.Lang, id)
		out = append(out,
			feedLink{Type: atomType, Title: rc.L.T("feed.link", "title", title, "format", "Atom"), Href: base + "feed.atom"},
			feedLink{Type: jsonFeedType, Title: rc.L.T("feed.link", "title", title, "format", "JSON Feed"), Href: base + "feed.json"})
	}
	return out
}

// feedEntry is an item of a feed, whatever its format.
type feedEntry struct {
	ID, URL, Title, Summary, HTML, Lang string
	Published, Updated                  time.Time
	Authors                             []string
	Image, ImageType                    string
}

// feed is a feed's content, whatever its format.
type feed struct {
	ID, Title, Lang, Self, Home, Site string
	Updated                           time.Time
	Entries                           []feedEntry
}

// serveFeed serves the feed of section id in rc's language in format ("atom" or "json").
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, rc *request, fs *feedSection, format string) {
	ctx := r.Context()
	items, err := s.db.Details(ctx, rc.Lang, fs.query(s.now()))
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	var people map[string]*store.Card
	if fs.id == "news" {
		var keys []string
		for i := range items {
			keys = append(keys, dataOf[alliance.Story](&items[i].Card).Authors...)
		}
		if people, err = s.db.CardsByKey(ctx, alliance.KindPerson, rc.Lang, keys...); err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
	}
	zone := s.siteZone()
	host := hostOf(rc.Base)
	f := feed{
		ID:    rc.Base + rc.sectionURL(rc.Lang, fs.id),
		Title: rc.L.T("feed.title."+fs.id) + " · " + rc.Site.Name,
		Lang:  rc.Lang, Site: rc.Site.Name,
		Self: rc.Base + rc.sectionURL(rc.Lang, fs.id) + "feed." + format,
		Home: rc.Base + rc.sectionURL(rc.Lang, fs.id),
	}
	for i := range items {
		d := &items[i]
		if d.Text == nil {
			continue // neither in the language nor in its source language: nothing to show
		}
		e := feedEntry{
			ID:  "tag:" + host + ",2026:" + string(d.Kind) + "/" + d.Key + "/" + rc.Lang,
			URL: rc.Base + rc.itemURL(fs.id, &d.Card), Title: d.Text.Title, Summary: d.Text.Summary,
			HTML: d.HTML, Lang: d.Text.Lang, Updated: d.Updated.In(zone),
		}
		var image string
		if st, ok := d.Data.(*alliance.Story); ok {
			e.Published = d.Starts.In(zone)
			for _, k := range st.Authors {
				if p := people[k]; p != nil {
					e.Authors = append(e.Authors, dataOf[alliance.Person](p).Name)
				}
			}
			image = st.Image
		}
		if ev, ok := d.Data.(*alliance.Event); ok {
			image = ev.Image
		}
		if image != "" {
			e.Image, e.ImageType = rc.Base+mediaPath(image), media.TypeByName(image)
		}
		if e.Updated.After(f.Updated) {
			f.Updated = e.Updated
		}
		f.Entries = append(f.Entries, e)
	}
	if f.Updated.IsZero() {
		// An empty feed: no content says when it changed; the epoch is as stable as any.
		f.Updated = time.Unix(0, 0).In(zone)
	}
	var body []byte
	var ctype []string
	if format == "atom" {
		body, err = f.atom()
		ctype = atomContentType
	} else {
		body, err = f.jsonFeed()
		ctype = jsonFeedContentType
	}
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	s.writeDocument(w, r, rc, body, ctype)
}

// writeDocument writes a feed or calendar rendered in full, kept in the page cache under the
// request's key like a page (its Moment makes it right on the request after a status changes).
func (s *Server) writeDocument(w http.ResponseWriter, r *http.Request, rc *request, body []byte, ctype []string) {
	h := w.Header()
	h["Content-Type"] = ctype
	h.Set("Content-Language", rc.Lang)
	h["Cache-Control"] = noCache
	h["Vary"] = varyEncoding
	if rc.cacheKey != (pageKey{}) {
		if notModified(w, r, rc.cacheKey, true) {
			return
		}
		// Kept only when asked for by its own URL, without a query: junk parameters, however
		// many, cannot fill the cache (as for pages, see render).
		if s.cache != nil && r.URL.RawQuery == "" && rc.cacheKey.uri == r.URL.EscapedPath() {
			// An event's .ics names its file: the cache keeps that header with the bytes.
			s.cache.put(rc.cacheKey, body, rc.Lang, ctype, h["Content-Disposition"]).write(w, r)
			return
		}
		h["ETag"] = []string{rc.cacheKey.etag(acceptsGzip(r))}
	}
	writeBody(w, r, http.StatusOK, body)
}

// siteZone is the zone feeds write their dates in (with its offset): the site's.
func (s *Server) siteZone() *time.Location {
	if loc, err := s.cfg.Location(); err == nil {
		return loc
	}
	return time.UTC
}

// hostOf is the host of a base URL ("https://example.eu" → "example.eu").
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Hostname()
	}
	return strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
}

// Atom 1.0 (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	// Lang is the entry's own language: the feed's, or the language its text falls back to.
	Lang      string       `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published,omitempty"`
	Authors   []atomPerson `xml:"author"`
	Links     []atomLink   `xml:"link"`
	Summary   *atomText    `xml:"summary"`
	Content   *atomText    `xml:"content"`
}

func (f *feed) atom() ([]byte, error) {
	a := atomFeed{Lang: f.Lang, ID: f.ID, Title: f.Title, Updated: f.Updated.Format(time.RFC3339),
		Links:  []atomLink{{Rel: "self", Type: atomType, Href: f.Self}, {Rel: "alternate", Type: "text/html", Href: f.Home}},
		Author: atomPerson{Name: f.Site}}
	for _, e := range f.Entries {
		ae := atomEntry{Lang: e.Lang, ID: e.ID, Title: e.Title, Updated: e.Updated.Format(time.RFC3339),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: e.URL, HrefLang: f.Lang}}}
		if !e.Published.IsZero() {
			ae.Published = e.Published.Format(time.RFC3339)
		}
		for _, name := range e.Authors {
			ae.Authors = append(ae.Authors, atomPerson{Name: name})
		}
		if e.Image != "" {
			ae.Links = append(ae.Links, atomLink{Rel: "enclosure", Type: e.ImageType, Href: e.Image})
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Text: e.Summary}
		}
		if e.HTML != "" {
			ae.Content = &atomText{Type: "html", Text: e.HTML}
		}
		a.Entries = append(a.Entries, ae)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Language    string         `json:"language"`
	Authors     []jsonAuthor   `json:"authors"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary,omitempty"`
	ContentHTML   string       `json:"content_html"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Language      string       `json:"language"`
}

func (f *feed) jsonFeed() ([]byte, error) {
	j := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: f.Title, HomePageURL: f.Home, FeedURL: f.Self,
		Language: f.Lang, Authors: []jsonAuthor{{Name: f.Site}}, Items: []jsonFeedItem{}}
	for _, e := range f.Entries {
		it := jsonFeedItem{ID: e.ID, URL: e.URL, Title: e.Title, Summary: e.Summary, ContentHTML: e.HTML,
			Image: e.Image, DateModified: e.Updated.Format(time.RFC3339), Language: e.Lang}
		if it.ContentHTML == "" {
			// Every item needs a content: the summary, escaped, when the body is empty.
			it.ContentHTML = "<p>" + xmlEscape(e.Summary) + "</p>"
		}
		if !e.Published.IsZero() {
			it.DatePublished = e.Published.Format(time.RFC3339)
		}
		for _, name := range e.Authors {
			it.Authors = append(it.Authors, jsonAuthor{Name: name})
		}
		j.Items = append(j.Items, it)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // content_html is a string in JSON, not markup in a page
	enc.SetIndent("", "  ")
	if err := enc.Encode(j); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
