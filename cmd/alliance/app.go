package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/admin"
	"github.com/alliance-platform/alliance/internal/api"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/mail"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/web"
)

// Main is the running program: the store and the HTTP server. Tests start it in-process.
type Main struct {
	Config *alliance.Config
	DB     *store.DB
	server *http.Server
	site   *web.Server // the public site, behind the server's mux
	ln     net.Listener
	served chan error
}

// NewMain returns a program for cfg.
func NewMain(cfg *alliance.Config) *Main {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Main{Config: cfg}
}

// Run opens and migrates the database, loads the demo content into a new one, and starts
// serving. It returns once the server listens.
func (m *Main) Run(ctx context.Context) error {
	log := m.Config.Logger
	mailer, err := mail.Parse(m.Config.SMTP)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, m.Config)
	if err != nil {
		return err
	}
	m.DB = db
	if m.Config.Demo {
		empty, err := db.Empty(ctx)
		if err != nil {
			return err
		}
		if empty {
			st, err := content.Import(ctx, db, demo.Content())
			if err != nil {
				return fmt.Errorf("load demo content: %w", err)
			}
			log.Info("loaded demo content", "what", st.String())
		}
	}
	db.WatchVersion(500 * time.Millisecond)
	if _, err := m.Config.Location(); err != nil {
		return err
	}
	// The back office tells the site what a preview link grants (web.WithPreview): the site
	// does not know the back office's sessions.
	office := admin.New(m.Config, db, mailer)
	h, err := web.New(m.Config, db, web.WithPreview(office.CheckPreview))
	if err != nil {
		return err
	}
	m.site = h
	apiHandler, err := api.New(m.Config, db)
	if err != nil {
		return err
	}
	m.ln, err = net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The public site answers every path; the back office and the API are mounted beside it
	// on their own prefixes, so that public pages never carry their cookies or headers.
	mounts := []mount{{api.Prefix, apiHandler}, {"/admin/", office}}
	m.server = &http.Server{
		Handler:           front(h, mounts),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.server.Serve(m.ln) }()
	if mailer == nil {
		log.Info("serving", "url", m.URL(), "database", db.Path(), "mail", "none")
	} else {
		log.Info("serving", "url", m.URL(), "database", db.Path(), "mail", mailer.String())
	}
	return nil
}

// mount is a handler answering every path under prefix (which ends with a slash), and the
// prefix itself without the slash.
type mount struct {
	prefix  string
	handler http.Handler
}

// front sends each request to the mount its path is under, else to the site. It is not an
// http.ServeMux, which cleans unclean paths (/en//x, /en/../x) and redirects them itself,
// copying the query as it came: the site redirects those through its own checks.
func front(site http.Handler, mounts []mount) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, mt := range mounts {
			if underPrefix(mt.prefix, r.URL.Path) {
				mt.handler.ServeHTTP(w, r)
				return
			}
		}
		site.ServeHTTP(w, r)
	})
}

// URL is where the site answers.
func (m *Main) URL() string {
	if m.ln == nil {
		return ""
	}
	return "http://" + m.ln.Addr().String()
}

// Close stops accepting requests, lets those in flight finish (up to 10 s), and closes the store.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.server.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	m.Config.Logger.Info("stopped")
	return errors.Join(errs...)
}

// underPrefix reports whether path p belongs to what is mounted at prefix ("/admin/"): the
// prefix itself, with or without its slash, or a clean path under it. An unclean one
// ("/admin//users", "/admin/../en/") goes to the public site, which redirects it to its clean
// form without copying anything unsafe into the Location.
func underPrefix(prefix, p string) bool {
	if p == prefix || p == strings.TrimSuffix(prefix, "/") {
		return true
	}
	if !strings.HasPrefix(p, prefix) {
		return false
	}
	clean := path.Clean(p)
	return clean == p || clean+"/" == p
}
