package web

import (
	"errors"
	"net/http"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
)

type errorPage struct {
	Status      int
	Heading     string
	Text        string
	HomeURL     string
	HomeLinkTxt string
}

// notFound answers 404 with a page in lang, inside the site's usual frame.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, lang string) {
	s.errorPage(w, r, lang, http.StatusNotFound, "error.404_title", "error.404_text")
}

// fail answers an error the visitor cannot fix: 503 when the database is away, 500 otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	if errors.Is(err, alliance.ErrUnavailable) {
		s.log.Warn("database unavailable", "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "10")
		s.errorPage(w, r, lang, http.StatusServiceUnavailable, "error.503_title", "error.503_text")
		return
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	s.errorPage(w, r, lang, http.StatusInternalServerError, "error.500_title", "error.500_text")
}

// errorPage renders an error in lang. When the frame itself cannot be loaded (the database is
// away), it renders a bare page that needs nothing from the store.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, lang string, status int, titleKey, textKey string) {
	l, ok := locale.Get(lang)
	if !ok {
		l, lang = locale.MustGet("en"), "en"
	}
	rc, err := s.newRequest(r, lang, nil)
	if err != nil {
		// The site's name as last read: the title names the site even when its store is away.
		name := ""
		if n := s.siteName.Load(); n != nil {
			name = *n
		}
		rc = &request{Lang: lang, L: l, Site: &alliance.Site{Name: name, Languages: []string{lang}}, Base: s.baseURL(r)}
	}
	v := s.newView(r, rc, l.T(titleKey), func(lg string) translation { return translation{URL: "/" + lg + "/", Exists: false} })
	v.Canonical, v.Alternates, v.XDefault = "", nil, ""
	v.path = "" // an error is no page of the menu, even at a path under one
	// What a search result or a shared link would show of the page: what happened.
	v.Description = l.T(textKey)
	p := &errorPage{Status: status, Heading: l.T(titleKey), Text: l.T(textKey), HomeURL: "/" + lang + "/", HomeLinkTxt: l.T("error.404_home")}
	if err != nil {
		v.Footer = []link{}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, v, errorContent(p))
}
