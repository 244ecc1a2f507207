package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
)

// Paging: a page holds limit items, 20 unless asked otherwise, at most 100.
const (
	defaultLimit = 20
	maxLimit     = 100
	// maxPage bounds page so that (page-1)*limit cannot overflow; beyond it every listing is
	// past its end.
	maxPage = 1 << 20
)

// itemJSON is an item as the API writes it, in the language asked for.
type itemJSON struct {
	Kind       alliance.Kind `json:"kind"`
	Key        string        `json:"key"`
	SourceLang string        `json:"source_lang"`
	// Translations are the languages the item has a text in.
	Translations []string `json:"translations"`
	Updated      string   `json:"updated"`
	// Status is an event's (upcoming, past), a call's or an application window's (upcoming,
	// open, closed) at the instant of the request.
	Status string `json:"status,omitempty"`
	// The instants the item's listings sort and filter on, when it has them.
	Starts string `json:"starts,omitempty"`
	Ends   string `json:"ends,omitempty"`
	Opens  string `json:"opens,omitempty"`
	Closes string `json:"closes,omitempty"`
	// Text is the text shown to a visitor asking for the language: the item's text in it,
	// else in its source language (then Fallback is true).
	Text   *textJSON       `json:"text"`
	Fields alliance.Shared `json:"fields"`
	// URL is the item's public page in the language asked for, URLs its page in each of the
	// site's languages (a fallback page where it has no text); both absent for kinds shown
	// only within other pages (people, sessions, terms).
	URL    string            `json:"url,omitempty"`
	URLs   map[string]string `json:"urls,omitempty"`
	APIURL string            `json:"api_url"`
	// Media are the files the item's fields name, with what is known of them.
	Media []mediaJSON `json:"media"`
	// Sessions are an event's programme, soonest first (only on GET of one event).
	Sessions []*itemJSON `json:"sessions,omitempty"`
}

// textJSON is one text of an item.
type textJSON struct {
	Lang     string `json:"lang"`
	Fallback bool   `json:"fallback"`
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	// The body, on GET of one item: the Markdown written and the HTML the page shows.
	BodyMarkdown *string `json:"body_markdown,omitempty"`
	BodyHTML     *string `json:"body_html,omitempty"`
	Fields       any     `json:"fields"`
}

// mediaJSON is a media file's metadata.
type mediaJSON struct {
	Field       string `json:"field,omitempty"`
	Path        string `json:"path"`
	URL         string `json:"url"`
	APIURL      string `json:"api_url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Updated is the file's last change; absent on an item's media (the store's MediaInfo,
	// which reads a page's files in one query, does not read it).
	Updated string `json:"updated,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
}

// listJSON is a page of a listing.
type listJSON struct {
	Items []*itemJSON `json:"items"`
	// Total counts the items of every page; Pages is how many pages of Limit they make.
	Total int       `json:"total"`
	Page  int       `json:"page"`
	Pages int       `json:"pages"`
	Limit int       `json:"limit"`
	Links listLinks `json:"links"`
}

// listLinks are the URLs of the listing's pages, with the same filters and limit.
type listLinks struct {
	Self  string `json:"self"`
	First string `json:"first"`
	Last  string `json:"last"`
	Prev  string `json:"prev,omitempty"`
	Next  string `json:"next,omitempty"`
}

// view is what the items of a response are written for: the language asked for, the base of
// absolute URLs, the site's languages, and what the items' links need.
type view struct {
	lang  string
	base  string
	site  *alliance.Site
	now   time.Time
	pages map[string]*alliance.Item // the shown menu pages, by key, for their URLs
	media map[string]*alliance.Media
}

// params are a request's query parameters, checked: each at most once, and only those the
// endpoint knows.
type params struct {
	values  url.Values
	invalid []InvalidParam
}

func readParams(r *http.Request, known ...string) *params {
	p := &params{}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p.invalid = append(p.invalid, InvalidParam{Name: "", Reason: "the query string is malformed"})
		return p
	}
	p.values = v
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		switch {
		case !contains(known, name):
			p.invalid = append(p.invalid, InvalidParam{Name: name, Reason: "unknown parameter"})
		case len(v[name]) > 1:
			p.invalid = append(p.invalid, InvalidParam{Name: name, Reason: "given more than once"})
		}
	}
	return p
}

func (p *params) get(name string) string { return p.values.Get(name) }

func (p *params) bad(name, format string, args ...any) {
	p.invalid = append(p.invalid, InvalidParam{Name: name, Reason: fmt.Sprintf(format, args...)})
}

// lang reads ?lang=, a language of the site; the site's first language by default.
func (p *params) lang(site *alliance.Site) string {
	lang := p.get("lang")
	if lang == "" {
		return site.DefaultLanguage()
	}
	if !site.HasLanguage(lang) {
		p.bad("lang", "not a language of the site (%v)", site.Languages)
	}
	return lang
}

// number reads a positive integer parameter, def when absent, at most limit.
func (p *params) number(name string, def, limit int) int {
	s := p.get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > limit {
		p.bad(name, "must be a whole number from 1 to %d", limit)
		return def
	}
	return n
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// handleList serves GET /api/v1/{collection}: a page of the shown items of a kind.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	c, ok := collectionNamed(r.PathValue("collection"))
	if !ok {
		s.notFound(w, r, "No such collection: the collections are listed at "+Prefix+"site.")
		return
	}
	tag := s.etag(r)
	if notModified(w, r, tag) {
		return
	}
	known := []string{"lang", "page", "limit"}
	for _, f := range c.filters {
		known = append(known, f.name)
	}
	p := readParams(r, known...)
	ctx := r.Context()
	site, err := s.db.Site(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := p.lang(site)
	page := p.number("page", 1, maxPage+1)
	limit := p.number("limit", defaultLimit, maxLimit)
	now := s.now()
	q := store.Query{Kind: c.kind, Order: c.order, NoBody: true}
	callStatus := ""
	for _, f := range c.filters {
		v := p.get(f.name)
		if v == "" {
			continue
		}
		switch f.typ {
		case refFilter:
			found, err := s.db.ByKeys(ctx, f.ref, []string{v}, site.DefaultLanguage())
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if found[v] == nil {
				p.bad(f.name, "no %s has the key %q", f.ref, v)
				continue
			}
			q.Facets = append(q.Facets, alliance.Facet{Name: f.name, Value: v})
		case enumFilter:
			if !contains(f.enum, v) {
				p.bad(f.name, "must be one of %v", f.enum)
				continue
			}
			q.Facets = append(q.Facets, alliance.Facet{Name: f.name, Value: v})
		case facetFilter:
			values, err := s.db.FacetValues(ctx, c.kind, f.name)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if !contains(values, v) {
				p.bad(f.name, "must be one of %v", values)
				continue
			}
			q.Facets = append(q.Facets, alliance.Facet{Name: f.name, Value: v})
		case whenFilter:
			if !contains(f.enum, v) {
				p.bad(f.name, "must be one of %v", f.enum)
			}
		case statusFilter:
			if !contains(f.enum, v) {
				p.bad(f.name, "must be one of %v", f.enum)
			}
			callStatus = v
		case openFilter:
			switch v {
			case "true":
				q.OpenAt = now
			case "false":
			default:
				p.bad(f.name, "must be true or false")
			}
		}
	}
	if c.kind == alliance.KindEvent {
		// Upcoming events until they end, soonest first; past ones latest first, as the
		// public listing has them.
		if p.get("when") == "past" {
			q.EndsBefore, q.Order = now, store.Newest
		} else {
			q.EndsAfter = now
		}
	}
	if len(p.invalid) > 0 {
		s.badRequest(w, r, p.invalid)
		return
	}
	var items []*alliance.Item
	var total int
	if c.kind == alliance.KindCall {
		items, total, err = s.calls(ctx, q, callStatus, now, page, limit)
	} else {
		q.Limit, q.Offset = limit, (page-1)*limit
		if total, err = s.db.Count(ctx, q); err == nil && (q.Offset < total || total == 0) {
			items, err = s.db.List(ctx, q)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pages := max(1, (total+limit-1)/limit)
	if page > pages {
		s.notFound(w, r, fmt.Sprintf("Page %d is past the last page of this listing, %d.", page, pages))
		return
	}
	v, err := s.newView(ctx, r, site, lang, c, items)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := &listJSON{Items: make([]*itemJSON, 0, len(items)), Total: total, Page: page, Pages: pages, Limit: limit}
	for _, it := range items {
		j, err := v.item(it, false)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out.Items = append(out.Items, j)
	}
	at := func(n int) string { return v.listURL(c, p, n, limit) }
	out.Links = listLinks{Self: at(page), First: at(1), Last: at(pages)}
	if page > 1 {
		out.Links.Prev = at(page - 1)
	}
	if page < pages {
		out.Links.Next = at(page + 1)
	}
	writeOK(w, tag, out)
}

// calls reads a page of calls as the public listing orders them: open ones first, closing
// soonest first, then upcoming ones by opening, then closed ones latest first; status keeps
// one of those. Their order depends on the clock, so they are sorted here, as the public
// listing does: an alliance has tens of calls, not thousands.
func (s *Server) calls(ctx context.Context, q store.Query, status string, now time.Time, page, limit int) ([]*alliance.Item, int, error) {
	all, err := s.db.List(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	rank := map[string]int{alliance.StatusOpen: 0, alliance.StatusUpcoming: 1, alliance.StatusClosed: 2}
	kept := all[:0]
	for _, it := range all {
		if status == "" || alliance.WindowStatus(it.Opens, it.Closes, now) == status {
			kept = append(kept, it)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		sa, sb := alliance.WindowStatus(a.Opens, a.Closes, now), alliance.WindowStatus(b.Opens, b.Closes, now)
		if sa != sb {
			return rank[sa] < rank[sb]
		}
		switch sa {
		case alliance.StatusOpen:
			return a.Closes.Before(b.Closes)
		case alliance.StatusUpcoming:
			return a.Opens.Before(b.Opens)
		default:
			return a.Closes.After(b.Closes)
		}
	})
	from := min((page-1)*limit, len(kept))
	return kept[from:min(from+limit, len(kept))], len(kept), nil
}

// handleItem serves GET /api/v1/{collection}/{key}: one shown item with all its fields.
func (s *Server) handleItem(w http.ResponseWriter, r *http.Request) {
	c, ok := collectionNamed(r.PathValue("collection"))
	if !ok {
		s.notFound(w, r, "No such collection: the collections are listed at "+Prefix+"site.")
		return
	}
	tag := s.etag(r)
	if notModified(w, r, tag) {
		return
	}
	p := readParams(r, "lang")
	ctx := r.Context()
	site, err := s.db.Site(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := p.lang(site)
	if len(p.invalid) > 0 {
		s.badRequest(w, r, p.invalid)
		return
	}
	key := r.PathValue("key")
	missing := fmt.Sprintf("No %s has the key %q, or it is not published.", c.kind, key)
	if !alliance.ValidKey(key) {
		s.notFound(w, r, missing)
		return
	}
	// ByKeys reads only what the site shows at its clock, as every public read does: a draft,
	// or an item outside its publication window, does not exist for visitors. Without a
	// language it reads every text with its body.
	found, err := s.db.ByKeys(ctx, c.kind, []string{key}, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	it := found[key]
	if it == nil {
		s.notFound(w, r, missing)
		return
	}
	items := []*alliance.Item{it}
	var sessions []*alliance.Item
	if c.kind == alliance.KindEvent {
		sessions, err = s.db.List(ctx, store.Query{Kind: alliance.KindSession, Order: store.Soonest,
			Facets: []alliance.Facet{{Name: "event", Value: it.Key}}})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		items = append(items, sessions...)
	}
	v, err := s.newView(ctx, r, site, lang, c, items)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := v.item(it, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.kind == alliance.KindEvent {
		out.Sessions = make([]*itemJSON, 0, len(sessions))
		for _, se := range sessions {
			j, err := v.item(se, true)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			out.Sessions = append(out.Sessions, j)
		}
	}
	writeOK(w, tag, out)
}

// newView prepares the writing of items in lang: the media their fields name, read in one
// query, and for menu pages the other pages their URLs are made of.
func (s *Server) newView(ctx context.Context, r *http.Request, site *alliance.Site, lang string, c *collection, items []*alliance.Item) (*view, error) {
	v := &view{lang: lang, base: s.baseURL(r), site: site, now: s.now()}
	var paths []string
	for _, it := range items {
		shared, err := sharedOf(it)
		if err != nil {
			return nil, err
		}
		for _, ref := range alliance.MediaRefs(shared) {
			paths = append(paths, ref.Key)
		}
	}
	var err error
	if v.media, err = s.db.MediaInfo(ctx, paths); err != nil {
		return nil, err
	}
	if c.kind == alliance.KindPage {
		pages, err := s.db.List(ctx, store.Query{Kind: alliance.KindPage, NoBody: true})
		if err != nil {
			return nil, err
		}
		v.pages = make(map[string]*alliance.Item, len(pages))
		for _, p := range pages {
			v.pages[p.Key] = p
		}
	}
	return v, nil
}

// item writes it in the view's language; withBody adds its body, Markdown and HTML.
func (v *view) item(it *alliance.Item, withBody bool) (*itemJSON, error) {
	c := collectionOf(it.Kind)
	shared, err := sharedOf(it)
	if err != nil {
		return nil, err
	}
	j := &itemJSON{Kind: it.Kind, Key: it.Key, SourceLang: it.SourceLang, Translations: make([]string, 0, len(it.Texts)),
		Updated: instant(it.Updated), Fields: shared, APIURL: v.base + Prefix + c.name + "/" + it.Key, Media: []mediaJSON{}}
	for _, t := range it.Texts {
		j.Translations = append(j.Translations, t.Lang)
	}
	// In the site's order of languages, as the language switcher lists them.
	sort.SliceStable(j.Translations, func(a, b int) bool {
		return langIndex(v.site, j.Translations[a]) < langIndex(v.site, j.Translations[b])
	})
	if t, fallback := it.Best(v.lang); t != nil {
		fields, err := textFieldsOf(it.Kind, it.Key, t)
		if err != nil {
			return nil, err
		}
		j.Text = &textJSON{Lang: t.Lang, Fallback: fallback, Slug: t.Slug, Title: t.Title, Summary: t.Summary, Fields: fields}
		if withBody {
			body, html := t.Body, t.HTML
			j.Text.BodyMarkdown, j.Text.BodyHTML = &body, &html
		}
	}
	switch it.Kind {
	case alliance.KindEvent:
		// An event is past from the instant it ends (the public listing's rule).
		end := it.Ends
		if end.IsZero() {
			end = it.Starts
		}
		j.Status = "upcoming"
		if !v.now.Before(end) {
			j.Status = "past"
		}
	case alliance.KindCall:
		j.Status = alliance.WindowStatus(it.Opens, it.Closes, v.now)
	case alliance.KindLearning:
		if !it.Opens.IsZero() {
			j.Status = alliance.WindowStatus(it.Opens, it.Closes, v.now)
		}
	}
	// Sessions hold wall-clock times as UTC instants (their zone is their event's): their
	// fields say when they are, not these columns.
	if it.Kind != alliance.KindSession {
		j.Starts, j.Ends, j.Opens, j.Closes = instant(it.Starts), instant(it.Ends), instant(it.Opens), instant(it.Closes)
	}
	if c.section != "" || it.Kind == alliance.KindPage {
		j.URLs = make(map[string]string, len(v.site.Languages))
		for _, lang := range v.site.Languages {
			if u := v.pageURL(c, it, lang); u != "" {
				j.URLs[lang] = u
			}
		}
		j.URL = j.URLs[v.lang]
	}
	for _, ref := range alliance.MediaRefs(shared) {
		if m := v.media[ref.Key]; m != nil {
			j.Media = append(j.Media, v.mediaOf(ref.Field, m))
		}
	}
	return j, nil
}

// pageURL is the absolute URL of it's public page in lang, as the public site links to it:
// a section's item by the slug of the text shown in lang, a menu page by the chain of its
// ancestors' slugs. Empty when a menu page's chain is broken (an ancestor not shown).
func (v *view) pageURL(c *collection, it *alliance.Item, lang string) string {
	if it.Kind == alliance.KindPage {
		var chain []string
		for p, depth := it, 0; p != nil && depth < 10; depth++ {
			t, _ := p.Best(lang)
			if t == nil {
				return ""
			}
			chain = append(chain, t.Slug)
			if p.Parent == "" {
				break
			}
			if p = v.pages[p.Parent]; p == nil {
				return ""
			}
		}
		u := v.base + "/" + lang + "/"
		for i := len(chain) - 1; i >= 0; i-- {
			u += url.PathEscape(chain[i]) + "/"
		}
		return u
	}
	t, _ := it.Best(lang)
	if t == nil {
		return ""
	}
	return v.base + "/" + lang + "/" + locale.MustGet(lang).SectionSlug(c.section) + "/" + url.PathEscape(t.Slug) + "/"
}

// mediaOf writes m, named by field of an item ("" on its own).
func (v *view) mediaOf(field string, m *alliance.Media) mediaJSON {
	escaped := (&url.URL{Path: m.Path}).EscapedPath()
	return mediaJSON{Field: field, Path: m.Path, URL: v.base + "/media/" + escaped, APIURL: v.base + Prefix + "media?" + url.Values{"path": {m.Path}}.Encode(),
		ContentType: m.ContentType, Size: m.Size, SHA256: m.SHA256, Updated: instant(m.Updated), Width: m.Width, Height: m.Height}
}

// listURL is the absolute URL of page n of a listing: its filters in the collection's order,
// then lang, limit when not the default, and page after the first; nothing else of the
// request's query.
func (v *view) listURL(c *collection, p *params, n, limit int) string {
	q := url.Values{}
	for _, f := range c.filters {
		if val := p.get(f.name); val != "" {
			q.Set(f.name, val)
		}
	}
	q.Set("lang", v.lang)
	if limit != defaultLimit {
		q.Set("limit", strconv.Itoa(limit))
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return v.base + Prefix + c.name + "?" + q.Encode()
}

// langIndex is the position of lang among the site's languages (after them when absent).
func langIndex(site *alliance.Site, lang string) int {
	for i, l := range site.Languages {
		if l == lang {
			return i
		}
	}
	return len(site.Languages)
}

// instant formats t as RFC 3339 in UTC; empty for the zero time.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
