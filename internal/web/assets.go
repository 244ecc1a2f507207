package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

//go:embed templates static
var templateFS embed.FS

// assets are the embedded static files: the style sheet and the icon.
type assets struct {
	css    []byte
	cssURL string // with a content hash, so that it can be cached for a year
	icon   []byte
}

func loadAssets() (*assets, error) {
	css, err := templateFS.ReadFile("static/style.css")
	if err != nil {
		return nil, fmt.Errorf("load style sheet: %w", err)
	}
	icon, err := templateFS.ReadFile("static/icon.svg")
	if err != nil {
		return nil, fmt.Errorf("load icon: %w", err)
	}
	sum := sha256.Sum256(css)
	return &assets{css: css, cssURL: "/static/style.css?v=" + hex.EncodeToString(sum[:6]), icon: icon}, nil
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	var body []byte
	var ctype string
	switch r.PathValue("file") {
	case "style.css":
		body, ctype = s.assets.css, "text/css; charset=utf-8"
	case "icon.svg":
		body, ctype = s.assets.icon, "image/svg+xml"
	default:
		s.handleUnknown(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	writeBody(w, r, http.StatusOK, body)
}

func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(s.assets.icon)
}

func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\nAllow: /\n"))
}

// handleMedia serves an image or document from the store, with its type, a validator and a
// day of caching (media paths are stable but a file may be replaced under the same name).
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("path")
	if !alliance.ValidMediaPath(p) {
		s.handleUnknown(w, r)
		return
	}
	m, err := s.db.MediaFile(r.Context(), p)
	if store.IsNotFound(err) {
		s.handleUnknown(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, "en", err)
		return
	}
	etag := `"` + m.SHA256[:16] + `"`
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Last-Modified", m.Updated.UTC().Format(http.TimeFormat))
	if strings.HasPrefix(m.ContentType, "image/svg") {
		// An SVG opened on its own must not run script.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	}
	if !strings.HasPrefix(m.ContentType, "image/") {
		name := p[strings.LastIndexByte(p, '/')+1:]
		h.Set("Content-Disposition", "inline; filename="+strconv.Quote(name))
	}
	if match := r.Header.Get("If-None-Match"); match == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && r.Header.Get("If-None-Match") == "" && !m.Updated.Truncate(time.Second).After(ims) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if strings.HasPrefix(m.ContentType, "image/svg") || strings.HasPrefix(m.ContentType, "text/") {
		writeBody(w, r, http.StatusOK, m.Data)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(m.Data)))
	w.Write(m.Data)
}
