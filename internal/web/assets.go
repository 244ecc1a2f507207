package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/media"
	"github.com/alliance-platform/alliance/internal/store"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files: the style sheet and the icon.
type assets struct {
	css    []byte
	cssURL string // with a content hash, so that it can be cached for a year
	icon   []byte
	card   []byte // the site's card for link previews (PNG)
	logo   []byte // the square logo structured data names (PNG)
}

func loadAssets() (*assets, error) {
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		return nil, fmt.Errorf("load style sheet: %w", err)
	}
	icon, err := staticFS.ReadFile("static/icon.svg")
	if err != nil {
		return nil, fmt.Errorf("load icon: %w", err)
	}
	card, err := staticFS.ReadFile("static/card.png")
	if err != nil {
		return nil, fmt.Errorf("load card: %w", err)
	}
	logo, err := staticFS.ReadFile("static/logo.png")
	if err != nil {
		return nil, fmt.Errorf("load logo: %w", err)
	}
	sum := sha256.Sum256(css)
	return &assets{css: css, cssURL: "/static/style.css?v=" + hex.EncodeToString(sum[:6]), icon: icon, card: card, logo: logo}, nil
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	var body []byte
	var ctype string
	switch r.PathValue("file") {
	case "style.css":
		body, ctype = s.assets.css, "text/css; charset=utf-8"
	case "icon.svg":
		body, ctype = s.assets.icon, "image/svg+xml"
	case "card.png":
		body, ctype = s.assets.card, "image/png"
	case "logo.png":
		body, ctype = s.assets.logo, "image/png"
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
	// The sitemap's address is absolute, as robots.txt requires.
	w.Write([]byte("User-agent: *\nAllow: /\n\nSitemap: " + s.baseURL(r) + "/sitemap.xml\n"))
}

// handleMedia serves an image or document from the store, with its type, a strong validator
// (the file's sha256) and a day of caching (media paths are stable but a file may be replaced
// under the same name). The bytes are read a chunk at a time (store.MediaReader), so a request
// holds one chunk in memory whatever the file's size, and a 304 or HEAD reads none;
// http.ServeContent answers Range, If-Range, If-None-Match (weak, lists, *) and
// If-Modified-Since. Each write moves the connection's write deadline on (mediaStall), so a
// slow but progressing download is never cut while a stalled one still times out.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("path")
	if !alliance.ValidMediaPath(p) {
		s.handleUnknown(w, r)
		return
	}
	m, err := s.db.Media(r.Context(), p)
	if store.IsNotFound(err) {
		s.handleUnknown(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, "en", err)
		return
	}
	if q := r.URL.Query(); q.Has("w") {
		width, err := strconv.Atoi(q.Get("w"))
		if err != nil || !media.IsWidth(width) || !strings.HasPrefix(m.ContentType, "image/") {
			s.handleUnknown(w, r)
			return
		}
		if s.serveVariant(w, r, m, width) {
			return
		}
		// No copy at that width (the image is narrower, an SVG, an animation, or stored
		// before copies were made): the original is the best there is.
	}
	etag := `"` + m.SHA256 + `"`
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=86400")
	if strings.HasPrefix(m.ContentType, "image/svg") {
		// An SVG opened on its own must not run script.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	}
	if !strings.HasPrefix(m.ContentType, "image/") {
		name := p[strings.LastIndexByte(p, '/')+1:]
		h.Set("Content-Disposition", "inline; filename="+strconv.Quote(name))
	}
	body := s.db.MediaReader(r.Context(), m)
	if compressible(m.ContentType) {
		h.Set("Vary", "Accept-Encoding")
		// Small text (SVG) goes gzipped in one piece when the whole file is asked for; ranges
		// and HEAD are answered on the bytes as stored, below.
		if m.Size <= maxGzipMedia && r.Method == http.MethodGet && r.Header.Get("Range") == "" && acceptsGzip(r) {
			h.Set("Last-Modified", m.Updated.UTC().Format(http.TimeFormat))
			if mediaNotModified(r, etag, m.Updated) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			data, err := io.ReadAll(body)
			if err != nil {
				s.fail(w, r, "en", err)
				return
			}
			writeBody(w, r, http.StatusOK, data)
			return
		}
	}
	stall := mediaStall
	if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.WriteTimeout > 0 {
		stall = srv.WriteTimeout
	}
	http.ServeContent(progressWriter{w, http.NewResponseController(w), stall}, r, "", m.Updated, body)
}

// serveVariant serves the copy of the image m that is width pixels wide (?w=width, as
// ui.Image writes srcset), and reports false when there is none. The copy is made from the
// original's bytes, so the original's sha256 and the width make its strong validator, and it
// is cached as the original is. Its bytes are read only for a 200 answer.
func (s *Server) serveVariant(w http.ResponseWriter, r *http.Request, m *alliance.Media, width int) bool {
	size, ctype, found, err := s.db.VariantInfo(r.Context(), m.Path, width)
	if err != nil {
		s.fail(w, r, "en", err)
		return true
	}
	if !found {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", `"`+m.SHA256+"-w"+strconv.Itoa(width)+`"`)
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", m.Updated, &variantReader{s: s, ctx: r, path: m.Path, width: width, size: size})
	return true
}

// variantReader reads a copy's bytes at its first Read, not when http.ServeContent only seeks
// to learn the size: a 304 or a HEAD reads nothing.
type variantReader struct {
	s     *Server
	ctx   *http.Request
	path  string
	width int
	size  int64
	off   int64
	data  []byte // nil until read
}

func (v *variantReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += v.off
	case io.SeekEnd:
		offset += v.size
	}
	if offset < 0 {
		return 0, errors.New("media: negative position")
	}
	v.off = offset
	return offset, nil
}

func (v *variantReader) Read(p []byte) (int, error) {
	if v.data == nil {
		data, err := v.s.db.Variant(v.ctx.Context(), v.path, v.width)
		if err != nil {
			return 0, err
		}
		if int64(len(data)) != v.size {
			return 0, fmt.Errorf("media %s at %d pixels: the copy changed while it was read", v.path, v.width)
		}
		v.data = data
	}
	if v.off >= v.size {
		return 0, io.EOF
	}
	n := copy(p, v.data[v.off:])
	v.off += int64(n)
	return n, nil
}

// maxGzipMedia is the largest compressible media file served gzipped (read whole to compress).
const maxGzipMedia = 1 << 20

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "image/svg") || strings.HasPrefix(contentType, "text/")
}

// mediaNotModified reports whether r's validators match the file's, as http.ServeContent decides:
// If-None-Match (weak comparison, a list or *) when present, else If-Modified-Since.
func mediaNotModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !modified.Truncate(time.Second).After(ims)
}

// mediaStall is how long a media download may go without the client taking a write (of at
// most 32 KiB, io.Copy's buffer) before its connection is closed, when the server sets no
// WriteTimeout; when it does, that is the stall allowed. 32 KiB a minute is slower than any link
// still worth serving, and a client that stops reading is dropped as the write timeout would.
const mediaStall = 60 * time.Second

// progressWriter extends the connection's write deadline before each write, so that the
// deadline measures a stall, not the length of the whole download.
type progressWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
}

func (w progressWriter) Write(p []byte) (int, error) {
	// Where the writer cannot (a recorder in a test), the server's WriteTimeout stays.
	w.rc.SetWriteDeadline(time.Now().Add(w.stall))
	return w.ResponseWriter.Write(p)
}

// mediaPath is the site path of the media file at p, as handleMedia serves it: every page,
// feed and structured-data block links a file by this one form, escaped.
func mediaPath(p string) string {
	return "/media/" + (&url.URL{Path: p}).EscapedPath()
}
