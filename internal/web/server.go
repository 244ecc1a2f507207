// Package web serves the public site: it routes every URL to a handler (one file per kind of
// page), loads what the page shows from the store, and renders it with html/template in the
// visitor's language. Rendered pages are kept in memory until the content changes.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
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
	pages  map[string]*template.Template
	assets *assets
	cache  *pageCache
	mux    *http.ServeMux
}

// New prepares the templates and routes.
func New(cfg *alliance.Config, db *store.DB) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Server{cfg: cfg, db: db, log: log, md: markdown.New(), mux: http.NewServeMux()}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = parseTemplates(s.assets); err != nil {
		return nil, err
	}
	if cfg.PageCache {
		s.cache = newPageCache(4000, 256<<20)
	}
	// The store shows items within their publication window at the site's clock.
	db.SetClock(cfg.Clock)
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.handleRoot)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /static/{file}", s.handleStatic)
	s.mux.HandleFunc("GET /favicon.ico", s.handleFavicon)
	s.mux.HandleFunc("GET /robots.txt", s.handleRobots)
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
	// Most requests are for a page rendered before at the same content version: answer those
	// before routing. A page is only ever cached under the URL it was rendered for, so this
	// answers exactly what the route would.
	if s.cache != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		s.cache.serve(w, r, s.cacheKey(r)) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// cacheKey is the page cache's key of r's response now: at the content version, and until the
// site's next transition in time, so that no cached page shows a status the clock has passed.
func (s *Server) cacheKey(r *http.Request) pageKey {
	version, next := s.db.Moment(r.Context(), s.now())
	return cacheKey(version, next.Unix(), r)
}

// Header values set on every response, built once (see pageCache for why they are shared).
var (
	nosniff               = []string{"nosniff"}
	referrerPolicy        = []string{"strict-origin-when-cross-origin"}
	contentSecurityPolicy = []string{"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"}
)

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
	http.Redirect(w, r, "/"+lang+"/", http.StatusFound)
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
	if lang := r.PathValue("lang"); site.HasLanguage(lang) {
		http.Redirect(w, r, "/"+lang+"/", http.StatusMovedPermanently)
		return
	}
	s.notFound(w, r, s.visitorLang(r, site))
}

// handleLocalized serves every page under /{lang}/.
func (s *Server) handleLocalized(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	rest := r.PathValue("path")
	if rest != "" && !strings.HasSuffix(rest, "/") {
		// One URL per page: /en/news/x and /en/news/x/ would otherwise both answer.
		target := "/" + lang + "/" + rest + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	var key pageKey
	if s.cache != nil {
		// Read before the page's data: a change committed meanwhile makes this key stale at once.
		key = s.cacheKey(r)
	}
	l, ok := locale.Get(lang)
	if !ok {
		s.handleUnknown(w, r)
		return
	}
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	if rest == "" {
		segs = nil
	}
	section, isSection := "", false
	if len(segs) > 0 {
		section, isSection = l.SectionBySlug(segs[0])
	}
	var extra []alliance.Kind
	if isSection || len(segs) == 0 {
		extra = vocabularies[section]
	}
	var n *namedItem
	if isSection && len(segs) == 2 {
		if kind, ok := alliance.KindBySection(section); ok {
			n = &namedItem{kind: kind, slug: segs[1]}
		}
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
	switch {
	case len(segs) == 0:
		s.home(w, r, rc)
	default:
		if isSection {
			switch len(segs) {
			case 1:
				s.listing(w, r, rc, section)
			case 2:
				s.detail(w, r, rc, section, segs[1])
			default:
				s.notFound(w, r, lang)
			}
			return
		}
		s.page(w, r, rc, segs)
	}
}

func (s *Server) listing(w http.ResponseWriter, r *http.Request, rc *request, section string) {
	switch section {
	case "news":
		s.storyList(w, r, rc)
	case "resources":
		s.resourceList(w, r, rc)
	case "events":
		s.eventList(w, r, rc)
	case "learn":
		s.learningList(w, r, rc)
	case "calls":
		s.callList(w, r, rc)
	case "members":
		s.memberList(w, r, rc)
	default:
		s.notFound(w, r, rc.Lang)
	}
}

func (s *Server) detail(w http.ResponseWriter, r *http.Request, rc *request, section, slug string) {
	kind, ok := alliance.KindBySection(section)
	if !ok {
		s.notFound(w, r, rc.Lang)
		return
	}
	it, ok := s.findBySlug(w, r, rc, kind, section, slug)
	if !ok {
		return
	}
	switch kind {
	case alliance.KindStory:
		s.storyPage(w, r, rc, it)
	case alliance.KindResource:
		s.resourcePage(w, r, rc, it)
	case alliance.KindEvent:
		s.eventPage(w, r, rc, it)
	case alliance.KindLearning:
		s.learningPage(w, r, rc, it)
	case alliance.KindCall:
		s.callPage(w, r, rc, it)
	case alliance.KindMember:
		s.memberPage(w, r, rc, it)
	default:
		s.notFound(w, r, rc.Lang)
	}
}

// findBySlug loads the item a detail URL names. A slug of another language's text redirects to
// the URL in the visitor's language when the item has a text in it.
func (s *Server) findBySlug(w http.ResponseWriter, r *http.Request, rc *request, kind alliance.Kind, section, slug string) (*alliance.Item, bool) {
	var it *alliance.Item
	var matched string
	var err error
	if n := rc.named; n != nil && n.kind == kind && n.slug == slug {
		it, matched = n.item, n.matched // read with the frame
		if it == nil {
			err = alliance.ErrNotFound
		}
	} else {
		it, matched, err = s.db.BySlug(r.Context(), kind, rc.Lang, slug)
	}
	if store.IsNotFound(err) {
		s.notFound(w, r, rc.Lang)
		return nil, false
	}
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return nil, false
	}
	if want := rc.itemURL(section, it); matched != rc.Lang && want != r.URL.Path {
		http.Redirect(w, r, want, http.StatusMovedPermanently)
		return nil, false
	}
	return it, true
}
