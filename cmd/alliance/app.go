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
	site   *web.Server // the public site, beside the back office (see prefixes)
	server *http.Server
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
	h, err := web.New(m.Config, db)
	if err != nil {
		return err
	}
	m.site = h
	m.ln, err = net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The public site answers every path; the back office and the API are mounted beside it
	// on their own prefixes, so that public pages never carry their cookies or headers.
	mux := &prefixes{site: h, admin: admin.New(m.Config, db, mailer)}
	m.server = &http.Server{
		Handler:           mux,
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

// prefixes sends /admin and the clean paths under /admin/ to the back office, and everything
// else to the public site. It is not an http.ServeMux, which would clean and redirect paths
// itself, copying the query as it came: the public site redirects unclean paths its own, safe
// way (see web's redirect), so they reach it untouched.
type prefixes struct {
	site, admin http.Handler
}

func (p *prefixes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isAdminPath(r.URL.Path) {
		p.admin.ServeHTTP(w, r)
		return
	}
	p.site.ServeHTTP(w, r)
}

// isAdminPath reports whether a path is the back office's: /admin, or a clean path under
// /admin/ (an unclean one goes to the public site, which redirects it to its clean form).
func isAdminPath(p string) bool {
	if p == "/admin" || p == "/admin/" {
		return true
	}
	if !strings.HasPrefix(p, "/admin/") {
		return false
	}
	clean := path.Clean(p)
	return clean == p || clean+"/" == p
}
