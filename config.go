package alliance

import (
	"fmt"
	"log/slog"
	"time"
)

// DefaultTimezone is the site's zone when none is configured.
const DefaultTimezone = "Europe/Brussels"

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
	// Timezone is the site's zone (an IANA name), in which the back office shows and reads the
	// times editors schedule; empty means DefaultTimezone. Times are stored in UTC.
	Timezone string

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

// Location returns the site's zone (Timezone, else DefaultTimezone), or an error naming a zone
// that does not exist.
func (c *Config) Location() (*time.Location, error) {
	name := c.Timezone
	if name == "" {
		name = DefaultTimezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("unknown time zone %q (use an IANA name such as Europe/Brussels)", name)
	}
	return loc, nil
}
