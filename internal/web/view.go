package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/web/ui"
)

// view is what the layout shows around every page.
type view struct {
	*request
	// Copied from request, for the components' brevity.
	Lang string
	L    *locale.Locale
	Site *alliance.Site

	Title       string // the page's h1 and the start of <title>
	Description string
	Canonical   string
	Alternates  []link // hreflang alternates: the languages the page really exists in
	XDefault    string
	Feeds       []feedLink // the page's feeds and calendar, for <link rel="alternate">
	Switcher    []langLink
	Menu        []menuEntry
	Crumbs      []link
	Footer      []link
	Section     string // active section, for the menu
	path        string // the URL path, for aria-current in the menu; "" for none
	self        string // the page's path, unescaped; its canonical URL is Base + self + query
	query       string // the parameters the page understands, encoded: a filtered or later page
	Fallback    string // notice shown when the content is in another language
	ContentLang string // lang of the content when it differs from the page's
	OGType      string
	Social      socialImage // the image link previews show
	Published   string      // article:published_time of a story, with its offset
	Modified    string      // article:modified_time
	// LD is the page's main schema.org entity, if any; render adds the breadcrumbs' list.
	LD          any
	ldBlocks    []any
	CSS         string
	listing     *listing // the page's listing, when it is one: its query names the page
	sections    []link   // the links to the sections, once made (sectionLinks)
	Robots      string   // the robots meta tag's content: "noindex" on search results
	SearchQuery string   // what the header's search box holds: the query on the search page
}

type link struct {
	Lang, Href, Title string
	Current           string // aria-current's value in the menu, if any
}

type langLink struct {
	Lang, Name, Href string
	Current          bool
	Missing          bool // shown in a fallback language there
}

// menuEntry is a page in the menu tree: a top-level section page, or one of its children.
type menuEntry struct {
	Title, URL string
	Lang       string // lang of the title when it is not in the page's language
	Children   []menuEntry
}

// translation says how a page exists in one language: its URL and whether it is translated.
type translation struct {
	URL    string
	Exists bool
}

// newView fills the common parts of a page. urlIn gives the page's URL and existence in each
// language.
func (s *Server) newView(r *http.Request, rc *request, title string, urlIn func(lang string) translation) *view {
	v := &view{request: rc, Lang: rc.Lang, L: rc.L, Site: rc.Site, Title: title, CSS: s.assets.cssURL, OGType: "website",
		Social: rc.siteCard()}
	self := urlIn(rc.Lang)
	// The page's own URL, without a query: parameters the page does not understand stay out
	// of every link it writes. A listing adds those it does understand (renderWith).
	v.Canonical, v.self = rc.Base+self.URL, self.URL
	v.Switcher = make([]langLink, 0, len(rc.Site.Languages))
	v.Alternates = make([]link, 0, len(rc.Site.Languages))
	var def translation
	for _, lang := range rc.Site.Languages {
		t := self
		if lang != rc.Lang {
			t = urlIn(lang)
		}
		if lang == rc.Site.DefaultLanguage() {
			def = t
		}
		v.Switcher = append(v.Switcher, langLink{Lang: lang, Name: locale.Autonym(lang), Href: t.URL, Current: lang == rc.Lang, Missing: !t.Exists})
		if t.Exists {
			v.Alternates = append(v.Alternates, link{Lang: lang, Href: rc.Base + t.URL})
		}
	}
	if def.Exists {
		v.XDefault = rc.Base + def.URL
	} else if len(v.Alternates) > 0 {
		v.XDefault = v.Alternates[0].Href
	}
	v.path = r.URL.Path
	// Two levels, as the header shows them: the sections and their pages. Deeper pages are
	// reached from their parent's page, which lists its children.
	top := rc.children("")
	v.Menu = make([]menuEntry, 0, len(top))
	for _, p := range top {
		e := v.menuEntry(p)
		children := rc.children(p.Key)
		if len(children) > 0 {
			e.Children = make([]menuEntry, 0, len(children))
		}
		for _, c := range children {
			e.Children = append(e.Children, v.menuEntry(c))
		}
		v.Menu = append(v.Menu, e)
	}
	return v
}

// robots is the robots meta tag's content: "noindex" for an editor's preview, whatever the page
// asks (a draft must never be indexed), else the page's own (Robots).
func (v *view) robots() string {
	if v.preview != nil {
		return "noindex"
	}
	return v.Robots
}

func (v *view) menuEntry(p *alliance.Item) menuEntry {
	t, _ := p.Best(v.Lang)
	return menuEntry{Title: t.Title, URL: v.pageURLIn(v.Lang, p.Key), Lang: langIfOther(t.Lang, v.Lang)}
}

// currentness is the aria-current value of a link to url: "page" on that very page, "true" on
// a page under it (a section's page, an item of a listing), else "".
func (v *view) currentness(url string) string {
	switch {
	case v.path == "":
		return ""
	case v.path == url && v.query == "":
		return "page"
	case strings.HasPrefix(v.path, url):
		return "true"
	}
	return ""
}

// SectionHref is the URL of a section's listing in the page's language.
func (v *view) SectionHref(section string) string { return v.sectionURL(v.Lang, section) }

// sameEverywhere is the urlIn of pages that exist in every language at the same path shape,
// such as listings.
func sameEverywhere(section string, rc *request) func(string) translation {
	return func(lang string) translation { return translation{URL: rc.sectionURL(lang, section), Exists: true} }
}

// itemEverywhere is the urlIn of an item's page.
func itemEverywhere(section string, d *store.Detail) func(string) translation {
	return func(lang string) translation {
		slug, translated := d.SlugIn(lang)
		return translation{URL: slugURL(lang, section, slug), Exists: translated}
	}
}

// setContent records the language of the text the page shows, and the fallback notice when it
// is not the visitor's.
func (v *view) setContent(lang string) {
	if lang == v.Lang {
		return
	}
	v.ContentLang = lang
	v.Fallback = v.L.T("fallback.notice", "language", v.L.LanguageName(v.Lang), "original", v.L.LanguageName(lang))
}

// render writes a page whose content is content inside the layout, keeping it in the page
// cache when it may be.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, v *view, content templ.Component) {
	if v.Footer == nil {
		v.Footer = s.footer(r, v.request)
	}
	if l := v.listing; l != nil && status == http.StatusOK {
		// Filtered and paged listings are their own pages, named by what they understood.
		if v.query = l.query().Encode(); v.query != "" {
			v.Canonical += "?" + v.query
		}
	}
	if v.LD != nil {
		v.ldBlocks = append(v.ldBlocks, v.LD)
	}
	if len(v.Crumbs) > 0 && status == http.StatusOK {
		v.ldBlocks = append(v.ldBlocks, breadcrumbsLD(v.ld(), v.Crumbs, v.Title, v.Canonical))
	}
	buf := ui.Buffer()
	defer ui.Release(buf)
	// Rendered into memory, whole: a request's cancellation must not cut an error page short.
	if err := layout(v, content).Render(context.Background(), buf); err != nil {
		s.log.Error("render", "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang)
	// Pages must show content changes at once: browsers revalidate every time.
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	if status == http.StatusOK && v.cacheKey != (pageKey{}) {
		// Only a page asked for by its canonical URL is kept: the cache then holds the site's
		// own pages, each once, and junk parameters, however many, cannot fill it.
		if notModified(w, r, v.cacheKey, true) {
			return
		}
		if s.cache != nil && v.cacheKey.uri == v.requestURI() {
			e := s.cache.put(v.cacheKey, buf.Bytes(), v.Lang, htmlType, nil)
			e.write(w, r)
			return
		}
		h["ETag"] = []string{v.cacheKey.etag(acceptsGzip(r))}
	}
	writeBody(w, r, status, buf.Bytes())
}

// requestURI is the page's canonical URL as a client sends it: path escaped, and the query.
func (v *view) requestURI() string {
	u := (&url.URL{Path: v.self}).EscapedPath()
	if v.query != "" {
		u += "?" + v.query
	}
	return u
}

// writeBody writes body, gzipped when the client accepts it.
func writeBody(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	if acceptsGzip(r) && len(body) > 1024 {
		zw := gzipPool.Get().(*gzip.Writer)
		var zb bytes.Buffer
		zw.Reset(&zb)
		zw.Write(body)
		zw.Close()
		gzipPool.Put(zw)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(zb.Len()))
		w.WriteHeader(status)
		w.Write(zb.Bytes())
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

// footer lists the member universities.
func (s *Server) footer(r *http.Request, rc *request) []link {
	out := make([]link, 0, len(rc.members))
	for _, m := range rc.members {
		t, _ := m.Best(rc.Lang)
		out = append(out, link{Title: t.Title, Href: rc.entryURL("members", m), Lang: langIfOther(t.Lang, rc.Lang)})
	}
	return out
}

// langIfOther returns lang when it differs from the page's, for a lang attribute.
func langIfOther(lang, page string) string {
	if lang == page {
		return ""
	}
	return lang
}
