// Package api serves the site's published content as JSON under /api/v1/: the site's settings,
// pages of items of each kind with the public listings' filters, one item with all its fields,
// and media metadata, in any of the site's languages with the fallback flags the pages use. The
// OpenAPI 3.1 document describing every response is served at /api/v1/openapi.json.
//
// Its reads are open to everyone and show only what the public site shows at the instant of
// the request: no drafts, nothing outside its publication window. Its writes (write.go) need
// a user's token (tokens.go) and go through the one write path and authorization rule.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// Prefix is the path the API is mounted at.
const Prefix = "/api/v1/"

// Server is the API's HTTP handler.
type Server struct {
	cfg *alliance.Config
	db  *store.DB
	log *slog.Logger
	mux *http.ServeMux
	// document is the OpenAPI document, served as it is.
	document []byte
}

// New returns the API's handler over db. It shows the site at cfg's clock, as the public site
// does (both set the store's clock to the same function).
func New(cfg *alliance.Config, db *store.DB) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Server{cfg: cfg, db: db, log: log, mux: http.NewServeMux(), document: openAPIDocument}
	db.SetClock(cfg.Clock)
	s.mux.HandleFunc("GET "+Prefix+"openapi.json", s.handleDocument)
	s.mux.HandleFunc("GET "+Prefix+"site", s.handleSite)
	s.mux.HandleFunc("GET "+Prefix+"media", s.handleMedia)
	s.mux.HandleFunc("GET "+Prefix+"{collection}", s.handleList)
	s.mux.HandleFunc("GET "+Prefix+"{collection}/{key}", s.handleItem)
	s.mux.HandleFunc("GET "+Prefix+"{collection}/{key}/edit", s.handleEdit)
	s.mux.HandleFunc("POST "+Prefix+"{collection}", s.handleCreate)
	s.mux.HandleFunc("PUT "+Prefix+"{collection}/{key}", s.handleReplace)
	s.mux.HandleFunc("DELETE "+Prefix+"{collection}/{key}", s.handleDelete)
	// The other writes of a collection or an item: 405 saying which there are.
	s.mux.HandleFunc("POST "+Prefix+"{collection}/{key}", s.methodNotAllowed("GET, HEAD, PUT, DELETE, OPTIONS"))
	s.mux.HandleFunc("PUT "+Prefix+"{collection}", s.methodNotAllowed("GET, HEAD, POST, OPTIONS"))
	s.mux.HandleFunc("DELETE "+Prefix+"{collection}", s.methodNotAllowed("GET, HEAD, POST, OPTIONS"))
	s.mux.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, r, http.StatusNotFound, "No such resource: the collections are listed at "+Prefix+"site, and described at "+Prefix+"openapi.json.", nil)
	})
	return s, nil
}

// Header values of every response.
var (
	nosniff = []string{"nosniff"}
	// A JSON response is never a document to render or frame.
	contentSecurityPolicy = []string{"default-src 'none'; frame-ancestors 'none'"}
	anyOrigin             = []string{"*"}
	// What a script of another origin may read beyond the safelisted headers: the validator to
	// send back in If-None-Match.
	exposedHeaders = []string{"ETag, Retry-After, Location, WWW-Authenticate"}
	allowedMethods = []string{"GET, HEAD, POST, PUT, DELETE, OPTIONS"}
	// The headers a script of another origin may send: the validators, the token of writes,
	// and a write's JSON body.
	allowedHeaders = []string{"If-None-Match, If-Match, Authorization, Content-Type"}
	preflightAge   = []string{"86400"}
	noCache        = []string{"no-cache"}
	// A year, as the public pages have it.
	strictTransportSecurity = []string{"max-age=31536000"}
	jsonType                = []string{"application/json"}
	problemType             = []string{"application/problem+json"}
)

// ServeHTTP serves the API: every response may be read by a script of any origin (the content
// is public, and no cookie is read, so nothing of a visitor's can leak: writes are authorized by
// a token the script must hold), and GET, HEAD, the writes and the CORS preflight are answered.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["X-Content-Type-Options"] = nosniff
	h["Content-Security-Policy"] = contentSecurityPolicy
	h["Access-Control-Allow-Origin"] = anyOrigin
	h["Access-Control-Expose-Headers"] = exposedHeaders
	if strings.HasPrefix(s.baseURL(r), "https://") {
		// As on the public pages (without includeSubDomains, which would bind the
		// university's other hosts).
		h["Strict-Transport-Security"] = strictTransportSecurity
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete:
	case http.MethodOptions:
		// A preflight: a script sending If-None-Match (not a safelisted header) asks first.
		h["Allow"] = allowedMethods
		h["Access-Control-Allow-Methods"] = allowedMethods
		h["Access-Control-Allow-Headers"] = allowedHeaders
		h["Access-Control-Max-Age"] = preflightAge
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		h["Allow"] = allowedMethods
		s.problem(w, r, http.StatusMethodNotAllowed, "The API reads with GET, and writes with POST, PUT and DELETE.", nil)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// methodNotAllowed answers 405 with the methods the resource has.
func (s *Server) methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		s.problem(w, r, http.StatusMethodNotAllowed, "This resource answers "+allow+".", nil)
	}
}

func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = jsonType
	// The document changes only with the program.
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Length", strconv.Itoa(len(s.document)))
	w.Write(s.document)
}

// InvalidParam is one query parameter a request got wrong.
type InvalidParam struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
	// Problem names a validation problem apart from its English reason (alliance.Problem), so
	// that a client can say it in its own words; only on 422.
	Problem string `json:"problem,omitempty"`
}

// problemDetails is an error response (RFC 9457). The type is always about:blank: the status
// says what happened, and detail says what to do about it.
type problemDetails struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail"`
	Instance      string         `json:"instance"`
	InvalidParams []InvalidParam `json:"invalid_params,omitempty"`
}

// problem answers an error as application/problem+json.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, status int, detail string, invalid []InvalidParam) {
	h := w.Header()
	h["Content-Type"] = problemType
	h["Cache-Control"] = []string{"no-store"}
	p := problemDetails{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail,
		Instance: r.URL.RequestURI(), InvalidParams: invalid}
	writeJSON(w, status, &p)
}

// fail answers an error the client cannot fix: 503 when the database is away, 500 otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, alliance.ErrUnavailable) {
		s.log.Warn("database unavailable", "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "10")
		s.problem(w, r, http.StatusServiceUnavailable, "The database cannot be reached; try again shortly.", nil)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.Error("api request failed", "path", r.URL.Path, "err", err)
	s.problem(w, r, http.StatusInternalServerError, "The server failed to answer; the failure is logged.", nil)
}

// badRequest answers a request whose parameters are wrong, naming each.
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, invalid []InvalidParam) {
	s.problem(w, r, http.StatusBadRequest, "A query parameter is not understood; see invalid_params.", invalid)
}

// notFound answers a resource that does not exist, or is not published now.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, detail string) {
	s.problem(w, r, http.StatusNotFound, detail, nil)
}

// now is the request's clock.
func (s *Server) now() time.Time { return s.cfg.Clock() }

// baseURL is scheme://host of the public site's absolute URLs: the configured base URL, else
// the request's own.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
