package alliance

import (
	"log/slog"
	"time"
)

// Config is the whole configuration of a running site, filled from flags and ALLIANCE_*
// environment variables by the command and passed down to every package that needs a part of it.
type Config struct {
	Addr        string // listen address, e.g. 127.0.0.1:8080
	DataDir     string // where the SQLite database lives
	DatabaseURL string // SQLite path or URL; empty means DataDir/alliance.db
	// BaseURL is the public origin (https://alliance.example.eu) used in canonical and alternate
	// links; empty means the scheme and host of each request.
	BaseURL string
	// PageCache keeps rendered pages in memory until the content changes.
	PageCache bool
	// Demo loads the embedded demo content into a new, empty database.
	Demo bool
	// SMTP is the mail server the back office sends through, as a URL
	// (smtp://user:password@host:587?from=noreply@example.eu, see internal/mail); empty means
	// no mail: the back office says so and the command line prints links instead.
	SMTP string

	Logger *slog.Logger
	// Now tells the time; tests fix it so that "open" and "upcoming" stay put.
	Now func() time.Time
}

// Clock returns c.Now, or time.Now when unset.
func (c *Config) Clock() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
