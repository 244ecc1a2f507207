package api

import (
	"net/http"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/web"
)

// siteJSON is the site's settings and what the API lists.
type siteJSON struct {
	Name            string            `json:"name"`
	Lang            string            `json:"lang"`
	DefaultLanguage string            `json:"default_language"`
	Languages       []languageJSON    `json:"languages"`
	Tagline         map[string]string `json:"tagline"`
	// Sections are the public site's listings, in its menu's order, named in lang.
	Sections    []sectionJSON    `json:"sections"`
	Collections []collectionJSON `json:"collections"`
}

type languageJSON struct {
	Code string `json:"code"`
	// Name is the language's name in itself, as the language switcher shows it.
	Name string `json:"name"`
	// URL is the site's home page in the language.
	URL string `json:"url"`
}

type sectionJSON struct {
	Section    string            `json:"section"`
	Title      string            `json:"title"`
	Kind       alliance.Kind     `json:"kind"`
	Collection string            `json:"collection"`
	URL        string            `json:"url"`
	URLs       map[string]string `json:"urls"`
}

type collectionJSON struct {
	Name    string        `json:"name"`
	Kind    alliance.Kind `json:"kind"`
	APIURL  string        `json:"api_url"`
	Filters []string      `json:"filters"`
}

// handleSite serves GET /api/v1/site.
func (s *Server) handleSite(w http.ResponseWriter, r *http.Request) {
	tag := s.etag(r)
	if notModified(w, r, tag) {
		return
	}
	p := readParams(r, "lang")
	site, err := s.db.Site(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := p.lang(site)
	if len(p.invalid) > 0 {
		s.badRequest(w, r, p.invalid)
		return
	}
	base := s.baseURL(r)
	out := &siteJSON{Name: site.Name, Lang: lang, DefaultLanguage: site.DefaultLanguage(), Tagline: site.Tagline,
		Languages: []languageJSON{}, Sections: []sectionJSON{}, Collections: []collectionJSON{}}
	if out.Tagline == nil {
		out.Tagline = map[string]string{}
	}
	for _, l := range site.Languages {
		out.Languages = append(out.Languages, languageJSON{Code: l, Name: locale.Autonym(l), URL: base + "/" + l + "/"})
	}
	// The public site's registry of sections says which exist, in menu order.
	for _, sec := range web.Sections() {
		section, kind := sec.ID, sec.Kind
		sj := sectionJSON{Section: section, Title: locale.MustGet(lang).T("section." + section), Kind: kind,
			Collection: collectionOf(kind).name, URLs: map[string]string{}}
		for _, l := range site.Languages {
			sj.URLs[l] = base + "/" + l + "/" + locale.MustGet(l).SectionSlug(section) + "/"
		}
		sj.URL = sj.URLs[lang]
		out.Sections = append(out.Sections, sj)
	}
	for _, c := range collections {
		cj := collectionJSON{Name: c.name, Kind: c.kind, APIURL: base + Prefix + c.name, Filters: []string{}}
		for _, f := range c.filters {
			cj.Filters = append(cj.Filters, f.name)
		}
		out.Collections = append(out.Collections, cj)
	}
	writeOK(w, tag, out)
}

// handleMedia serves GET /api/v1/media?path=images/x.svg: a media file's metadata, with the URL
// of its bytes. The path is a query parameter rather than the rest of the URL's path: an
// OpenAPI path parameter is one segment, and media paths have several.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	tag := s.etag(r)
	if notModified(w, r, tag) {
		return
	}
	p := readParams(r, "path")
	path := p.get("path")
	if path == "" && len(p.invalid) == 0 {
		p.bad("path", "is required: the path of a media file, such as images/logo.svg")
	}
	if len(p.invalid) > 0 {
		s.badRequest(w, r, p.invalid)
		return
	}
	if !alliance.ValidMediaPath(path) {
		s.notFound(w, r, "No media file has this path.")
		return
	}
	m, err := s.db.Media(r.Context(), path)
	if store.IsNotFound(err) {
		s.notFound(w, r, "No media file has this path.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &view{base: s.baseURL(r)}
	writeOK(w, tag, v.mediaOf("", m))
}
