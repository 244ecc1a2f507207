package web

import (
	"net/http"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// Previews. An editor sees an item before visitors do, at its public URL, rendered by its
// section's own detail handler, with a banner saying so. The back office's session cookie is
// limited to /admin/, so it is never sent here: the back office checks the editor's rights,
// mints a short-lived token naming the item and the revision, and redirects to the page with
// ?preview=TOKEN. This package does not know the back office: the PreviewCheck given to New
// says what a token grants, asking again, on every request, whether the editor may still see
// the item (and, in the back office's check, whether the browser holds the cookie bound to
// the token, which the back office set for this path: a URL passed on previews nothing). A URL with preview= is never answered from, nor kept in, the page cache, and its
// answer, whoever asks, is private and not stored; without a valid token it is exactly the
// public answer (the published page, or 404).

// PreviewGrant is what a valid preview token lets its bearer see: an item as it stands
// (Revision 0) or one of its revisions, and the back office's page to go back to.
type PreviewGrant struct {
	Kind     alliance.Kind
	Key      string
	Revision int
	EditURL  string
}

// PreviewCheck reports what the preview token of r (its query's preview=, and whatever binds
// it to the editor's browser) grants now: nil (and no error) when it grants nothing —
// unknown, expired, not bound to this browser, or its user disabled or no longer allowed to
// edit or translate the item.
type PreviewCheck func(r *http.Request) (*PreviewGrant, error)

// Option configures a Server.
type Option func(*Server)

// WithPreview lets editors preview items at their public URLs, checking tokens with check.
func WithPreview(check PreviewCheck) Option {
	return func(s *Server) { s.previewCheck = check }
}

// previewParam is the query parameter that carries a preview token.
const previewParam = "preview"

// asksPreview reports whether r's query carries a preview token, without parsing it on the
// path of every other request.
func asksPreview(r *http.Request) bool {
	q := r.URL.RawQuery
	return q != "" && strings.Contains(q, previewParam+"=") && r.URL.Query().Has(previewParam)
}

// previewBanner is what the banner of a preview says.
type previewBanner struct {
	Revision int // 0: the item as it stands
	EditURL  string
}

// preview serves the page of the item a grant names at its public URL, when the URL's slug
// is one of the item's (as it stands or in the revision) in the section's kind, and reports
// whether it did; when it did not, the public answer follows.
func (s *Server) preview(w http.ResponseWriter, r *http.Request, lang string, sec *section, slug string) bool {
	if s.previewCheck == nil {
		return false
	}
	ctx := r.Context()
	g, err := s.previewCheck(r)
	if err != nil {
		s.log.Warn("preview check", "path", r.URL.Path, "err", err)
		return false // the public answer: a failing check shows nothing unpublished
	}
	if g == nil || g.Kind != sec.kind {
		return false
	}
	it, err := s.db.Preview(ctx, g.Kind, g.Key, g.Revision)
	if err != nil {
		if !store.IsNotFound(err) {
			s.log.Warn("preview", "path", r.URL.Path, "err", err)
		}
		return false
	}
	found := false
	for _, t := range it.Texts {
		found = found || t.Slug == slug
	}
	if !found {
		return false
	}
	d, err := store.DetailOf(it, lang, func(md string) string {
		html, err := s.md.Render(md)
		if err != nil {
			return ""
		}
		return string(html)
	})
	if err != nil {
		s.fail(w, r, lang, err)
		return true
	}
	rc, err := s.newRequest(r, lang, nil, sec.vocabularies...)
	if err != nil {
		return false
	}
	// rc.cacheKey stays zero: the page is neither kept nor given an ETag.
	rc.preview = &previewBanner{Revision: g.Revision, EditURL: g.EditURL}
	sec.detail(s, w, r, rc, d)
	return true
}

// privateWriter makes every answer to a URL that asks for a preview private and unstored,
// whatever handler writes it: no shared cache may keep an editor's preview, nor a visitor's
// public answer under that URL, and nothing there sets a cookie or is indexed.
type privateWriter struct {
	http.ResponseWriter
	wrote bool
}

var (
	privateNoStore = []string{"private, no-store"}
	noIndex        = []string{"noindex"}
)

func (p *privateWriter) WriteHeader(code int) {
	if !p.wrote {
		p.wrote = true
		h := p.Header()
		h["Cache-Control"] = privateNoStore
		h["X-Robots-Tag"] = noIndex
		delete(h, "Etag")
		delete(h, "Last-Modified")
		delete(h, "Set-Cookie")
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *privateWriter) Write(b []byte) (int, error) {
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the connection's writer (write deadlines).
func (p *privateWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }
