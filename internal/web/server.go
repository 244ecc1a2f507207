// Package web serves the public site: it routes every URL to a handler (one file per kind of
// page, one row per section in sections.go), loads what the page shows from the store, and
// renders it with templ components (*.templ, compiled into *_templ.go) in the visitor's
// language. Rendered pages are kept in memory until the content changes.
package web

//go:generate go run github.com/a-h/templ/cmd/templ@v0.3.1118 generate -path .

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/markdown"
	"github.com/alliance-platform/alliance/internal/store"
)

// Server is the public site's HTTP handler.
type Server struct {
	cfg    *alliance.Config
	db     *store.DB
	log    *slog.Logger
	md     *markdown.Renderer
	assets *assets
	cache  *pageCache
	mux    *http.ServeMux
	// previewCheck says what a preview token grants (preview.go); nil: no previews.
	previewCheck PreviewCheck
	// siteName is the site's name as last read from the store, for the title of the error
	// page rendered when the store cannot be read.
	siteName atomic.Pointer[string]
	// sitemapMaxURLs and sitemapMaxBytes are the limits of one sitemap file (sitemaps.org's;
	// tests set smaller ones to see the index, while it serves).
	sitemapMaxURLs, sitemapMaxBytes atomic.Int64
	// calendarLimit is how many items of each kind /{lang}/calendar.ics holds at most
	// (calendarMaxItems; a test sets a smaller one).
	calendarLimit atomic.Int64
}

// New prepares the assets and routes.
func New(cfg *alliance.Config, db *store.DB, opts ...Option) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Server{cfg: cfg, db: db, log: log, md: markdown.New(), mux: http.NewServeMux()}
	for _, o := range opts {
		o(s)
	}
	s.SetSitemapLimits(sitemapMaxURLs, sitemapMaxBytes)
	s.SetCalendarLimit(calendarMaxItems)
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if cfg.PageCache {
		s.cache = newPageCache(4000, 256<<20)
	}
	// The store shows items within their publication window at the site's clock.
	db.SetClock(cfg.Clock)
	s.routes()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if site, err := db.Site(ctx); err == nil {
		s.rememberSite(site)
	}
	return s, nil
}

// CacheSize reports how many pages the page cache holds and the bytes it counts for them
// (zero without the cache).
func (s *Server) CacheSize() (pages, bytes int) {
	if s.cache == nil {
		return 0, 0
	}
	return s.cache.size()
}

// rememberSite keeps the name of the site for the pages rendered without the store.
func (s *Server) rememberSite(site *alliance.Site) {
	if old := s.siteName.Load(); old == nil || *old != site.Name {
		name := site.Name
		s.siteName.Store(&name)
	}
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.handleRoot)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /static/{file}", s.handleStatic)
	s.mux.HandleFunc("GET /favicon.ico", s.handleFavicon)
	s.mux.HandleFunc("GET /robots.txt", s.handleRobots)
	s.mux.HandleFunc("GET /sitemap.xml", s.handleSitemap)
	s.mux.HandleFunc("GET /media/{path...}", s.handleMedia)
	s.mux.HandleFunc("GET /{lang}", s.handleLanguageRoot)
	s.mux.HandleFunc("GET /{lang}/{path...}", s.handleLocalized)
	s.mux.HandleFunc("/", s.handleUnknown)
}

// ServeHTTP serves the site.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Public pages set no cookie and call no other host; these headers hold the browser to it.
	h := w.Header()
	h["X-Content-Type-Options"] = nosniff
	h["Referrer-Policy"] = referrerPolicy
	h["Content-Security-Policy"] = contentSecurityPolicy
	if s.overHTTPS(r) {
		h["Strict-Transport-Security"] = strictTransportSecurity
	}
	// The site only reads: every other method is refused before anything else is read.
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h["Allow"] = allowedMethods
		s.errorPage(w, r, s.errorLang(r), http.StatusMethodNotAllowed, "error.405_title", "error.405_text")
		return
	}
	// No URL of the site comes near this length; a longer one is junk, refused before it is
	// parsed, copied or rendered.
	if len(r.RequestURI) > maxRequestURI {
		s.errorPage(w, r, s.errorLang(r), http.StatusRequestURITooLong, "error.414_title", "error.414_text")
		return
	}
	// The router would redirect an unclean path (/en//x, /en/../x) itself, copying the query
	// as it came; its redirect goes through redirect() instead.
	if p := r.URL.Path; p != "" && p[0] == '/' && unclean(p) {
		if clean := cleanPath(p); clean != p {
			redirect(w, clean, r.URL.RawQuery, http.StatusMovedPermanently)
			return
		}
	}
	// A URL asking for a preview is answered privately, never from the cache (preview.go).
	previewing := asksPreview(r)
	if previewing {
		w = &privateWriter{ResponseWriter: w}
	}
	// Most requests are for a page rendered before at the same content version: answer those
	// before routing. A page is only ever cached under the URL it was rendered for, so this
	// answers exactly what the route would.
	if s.cache != nil && !previewing && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		s.cache.serve(w, r, s.pageKey(r)) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Header values set on every response, built once (see pageCache for why they are shared).
var (
	nosniff               = []string{"nosniff"}
	referrerPolicy        = []string{"strict-origin-when-cross-origin"}
	contentSecurityPolicy = []string{"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"}
	// A year, the usual value; not includeSubDomains, which would bind other hosts of the
	// university's domain that this site knows nothing of.
	strictTransportSecurity = []string{"max-age=31536000"}
	allowedMethods          = []string{"GET, HEAD"}
)

// maxRequestURI is the longest request URI served (414 beyond): as long as nginx's default
// request line, far beyond any filtered listing's URL.
const maxRequestURI = 8 << 10

// overHTTPS reports whether the response goes to the visitor over https: the site's base URL
// says so, or the request came over TLS or through a proxy that terminated it.
func (s *Server) overHTTPS(r *http.Request) bool {
	return strings.HasPrefix(s.cfg.BaseURL, "https://") || isHTTPS(r)
}

// pageKey is the key, and the source of the ETag, of the page r asks for at the current
// content version and until the site's next transition in time (store.DB.Moment), so that no
// cached page or 304 confirms a status the clock has passed. With a base URL configured, links do not depend on the request's host or
// scheme, so these stay out of the key: a forged Host then cannot add copies of a page.
func (s *Server) pageKey(r *http.Request) pageKey {
	version, next := s.db.Moment(r.Context(), s.now())
	k := cacheKey(version, next.Unix(), r)
	if s.cfg.BaseURL != "" {
		k.https, k.host = false, ""
	}
	return k
}

// errorLang is the language of an error page answered before routing: the URL's when it
// starts with one of the site's languages, else the visitor's.
func (s *Server) errorLang(r *http.Request) string {
	site, err := s.db.Site(r.Context())
	if err != nil {
		return "en"
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if site.HasLanguage(first) {
		return first
	}
	return s.visitorLang(r, site)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unavailable","database":"down"}` + "\n"))
		return
	}
	w.Write([]byte(`{"status":"ok","database":"up"}` + "\n"))
}

// handleRoot sends the visitor to the home page in the best of the site's languages.
func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) {
	site, err := s.db.Site(r.Context())
	if err != nil {
		s.fail(w, r, "en", err)
		return
	}
	lang := s.visitorLang(r, site)
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("Cache-Control", "no-cache")
	redirect(w, "/"+lang+"/", "", http.StatusFound)
}

// visitorLang picks the site language closest to the visitor's Accept-Language.
func (s *Server) visitorLang(r *http.Request, site *alliance.Site) string {
	best := locale.Match(r.Header.Get("Accept-Language"))
	if site.HasLanguage(best) {
		return best
	}
	return site.DefaultLanguage()
}

// handleUnknown answers URLs outside every route with a 404 in the visitor's language.
func (s *Server) handleUnknown(w http.ResponseWriter, r *http.Request) {
	site, err := s.db.Site(r.Context())
	if err != nil {
		s.fail(w, r, "en", err)
		return
	}
	s.notFound(w, r, s.visitorLang(r, site))
}

// handleLanguageRoot sends /en to /en/, and answers 404 for anything else of one segment.
func (s *Server) handleLanguageRoot(w http.ResponseWriter, r *http.Request) {
	site, err := s.db.Site(r.Context())
	if err != nil {
		s.fail(w, r, "en", err)
		return
	}
	if n, ok := sitemapPart(r.PathValue("lang")); ok {
		s.serveSitemap(w, r, n)
		return
	}
	if lang := r.PathValue("lang"); site.HasLanguage(lang) {
		redirect(w, "/"+lang+"/", r.URL.RawQuery, http.StatusMovedPermanently)
		return
	}
	s.notFound(w, r, s.visitorLang(r, site))
}

// handleLocalized serves every page under /{lang}/.
func (s *Server) handleLocalized(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	rest := r.PathValue("path")
	l, ok := locale.Get(lang)
	if !ok || !ourPath(rest) {
		// No page of the site has such a path: answer here rather than redirect to it.
		s.handleUnknown(w, r)
		return
	}
	if s.serveDocument(w, r, l, rest) {
		return
	}
	if rest != "" && !strings.HasSuffix(rest, "/") {
		// One URL per page: /en/news/x and /en/news/x/ would otherwise both answer.
		redirect(w, "/"+lang+"/"+rest+"/", r.URL.RawQuery, http.StatusMovedPermanently)
		return
	}
	// Read before the page's data: a change committed meanwhile makes this key stale at once.
	// A URL asking for a preview has none: its answer is neither kept nor revalidated.
	var key pageKey
	previewing := asksPreview(r)
	if !previewing {
		key = s.pageKey(r)
		if notModified(w, r, key, false) {
			return
		}
	}
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	if rest == "" {
		segs = nil
	}
	var sec *section
	if len(segs) > 0 {
		if id, ok := l.SectionBySlug(segs[0]); ok {
			sec = sectionByID(id)
		}
	}
	var extra []alliance.Kind
	switch {
	case sec != nil:
		extra = sec.vocabularies
	case len(segs) == 0:
		extra = homeVocabularies
	}
	if previewing && sec != nil && len(segs) == 2 && s.preview(w, r, lang, sec, segs[1]) {
		return
	}
	var n *namedItem
	if sec != nil && len(segs) == 2 {
		n = &namedItem{kind: sec.kind, slug: segs[1]}
	}
	rc, err := s.newRequest(r, lang, n, extra...)
	if err != nil {
		if errors.Is(err, errUnknownLanguage) {
			s.handleUnknown(w, r)
			return
		}
		s.fail(w, r, lang, err)
		return
	}
	rc.cacheKey = key
	if sec != nil && len(segs) == 1 && r.URL.RawQuery != "" {
		// A listing reads its filters from the query: one it cannot read must not show
		// everything unfiltered as if nothing were asked.
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			s.badRequest(w, r, lang)
			return
		}
	}
	switch {
	case len(segs) == 0:
		s.home(w, r, rc)
	case sec == nil && len(segs) == 1 && l.SectionSlug(searchSection) == segs[0]:
		s.searchPage(w, r, rc)
	case sec == nil:
		s.page(w, r, rc, segs)
	case len(segs) == 1:
		sec.list(s, w, r, rc)
	case len(segs) == 2:
		if it, ok := s.findBySlug(w, r, rc, sec, segs[1]); ok {
			sec.detail(s, w, r, rc, it)
		}
	default:
		s.notFound(w, r, lang)
	}
}

// findBySlug loads the item a detail URL names. A slug of another language's text redirects to
// the URL in the visitor's language when the item has a text in it.
func (s *Server) findBySlug(w http.ResponseWriter, r *http.Request, rc *request, sec *section, slug string) (*store.Detail, bool) {
	kind := sec.kind
	var it *store.Detail
	var matched string
	var err error
	if n := rc.named; n != nil && n.kind == kind && n.slug == slug {
		it, matched = n.item, n.matched // read with the frame
		if it == nil {
			err = alliance.ErrNotFound
		}
	} else {
		it, matched, err = s.db.Detail(r.Context(), kind, rc.Lang, slug)
	}
	if store.IsNotFound(err) {
		s.notFound(w, r, rc.Lang)
		return nil, false
	}
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return nil, false
	}
	if want := detailURLIn(rc.Lang, sec.id, it); matched != rc.Lang && want != r.URL.Path {
		redirect(w, want, "", http.StatusMovedPermanently)
		return nil, false
	}
	return it, true
}

// ourPath reports whether a path under /{lang}/ can be one of the site's: slugs never hold a
// backslash or a control character, which browsers would read as a "/" or drop.
func ourPath(p string) bool {
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// redirect sends the visitor to path, a path of this site, with rawQuery. Every redirect of the
// site goes through here: the Location is written escaped, so that nothing a request brought
// can make a browser read it as another host (a leading "//", or "/\" and "/<tab>/", which
// browsers read as "//"). A path that is not ours is a bug, answered 404 rather than sent on.
func redirect(w http.ResponseWriter, path, rawQuery string, code int) {
	loc := (&url.URL{Path: path}).EscapedPath()
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
		http.NotFound(w, nil)
		return
	}
	if rawQuery != "" {
		loc += "?" + escapeQuery(rawQuery)
	}
	h := w.Header()
	h.Set("Location", loc)
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
}

// escapeQuery percent-encodes what a query may not hold as it stands (controls, spaces, "\\",
// quotes, non-ASCII), leaving its meaning unchanged.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte(`\"<>^`+"`{|}", c) >= 0 {
			if b.Len() == 0 {
				b.Grow(len(q) + 8)
				b.WriteString(q[:i])
			}
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return q
	}
	return b.String()
}

// unclean reports whether p has an empty, "." or ".." segment, without allocating.
func unclean(p string) bool {
	return strings.Contains(p, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") ||
		strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
}

// cleanPath is p without empty, "." and ".." segments, keeping its trailing slash, as the
// router would have it.
func cleanPath(p string) string {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}
