package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
)

// What a page shows depends on the clock as well as on the content: a call is open until its
// deadline, an event is upcoming until its end, an item is shown within its publication window.
// Every such status changes at an instant held in one of the items' time columns (or, for
// learning opportunities without an application window, a day after their end). So a page
// rendered at one instant stays true until the earliest of those instants after it: the site's
// next transition, which Moment tells and caches key on.

// SetClock sets the clock public reads show the site at: items are visible or not as that clock
// says (time.Now by default; tests set a clock of their own). Call it before serving.
func (db *DB) SetClock(clock func() time.Time) { db.clock = clock }

func (db *DB) now() time.Time {
	if db.clock != nil {
		return db.clock()
	}
	return time.Now()
}

// clockText is the clock's second, formatted as times are stored.
type clockText struct {
	unix int64
	text string
}

// nowText is the clock formatted as times are stored, to the second, which public reads compare
// with the items' windows. A page's reads each need it: it is formatted once a second.
func (db *DB) nowText() string {
	t := db.now()
	sec := t.Unix()
	if c := db.clockText.Load(); c != nil && c.unix == sec {
		return c.text
	}
	s := formatTime(t)
	db.clockText.Store(&clockText{unix: sec, text: s})
	return s
}

// Never is the transition of a site whose statuses no longer change with time.
var Never = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// transition is the site's next transition after an instant, at a content version.
type transition struct {
	version    int64
	from, next time.Time // computed at from, valid for from <= now < next
}

// transitionSQL reads the site's next transition after $1, and the smallest end after $2
// (nextTransition). Each minimum is one seek of an index read in order, whatever the site's
// size: a column's minimum over every item, without an index that starts with it, read the
// whole table (half a second at 100,000 items, after every save), so the indexed columns are
// read kind by kind through their (kind, column) indexes; an application opens before it
// closes (both are required, in that order), so the opening ahead is in the range of the
// deadlines ahead; scheduled publication has partial indexes of its own (migration 0022).
var transitionSQL = func() string {
	var b strings.Builder
	b.WriteString("SELECT (SELECT MIN(x) FROM (")
	for i, ki := range alliance.Kinds {
		k := "'" + string(ki.Kind) + "'" // the registry's own names: letters and hyphens
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&b, "SELECT MIN(starts) AS x FROM items WHERE kind = %[1]s AND starts > $1"+
			" UNION ALL SELECT MIN(ends) FROM items WHERE kind = %[1]s AND ends > $1"+
			" UNION ALL SELECT MIN(closes) FROM items WHERE kind = %[1]s AND closes > $1"+
			" UNION ALL SELECT MIN(opens) FROM items WHERE kind = %[1]s AND closes > $1 AND opens > $1", k)
	}
	b.WriteString(" UNION ALL SELECT MIN(publish_at) FROM items WHERE publish_at > $1" +
		" UNION ALL SELECT MIN(unpublish_at) FROM items WHERE unpublish_at > $1) t), (SELECT MIN(x) FROM (")
	for i, ki := range alliance.Kinds {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&b, "SELECT MIN(ends) AS x FROM items WHERE kind = '%s' AND ends > $2", ki.Kind)
	}
	b.WriteString(") e)")
	return b.String()
}()

// transitionRetry is how long a transition that could not be read (the database away) is taken
// to be: pages rendered meanwhile (none, without a database) are kept no longer than that.
const transitionRetry = time.Second

// Moment returns the content version and the site's next transition after now: the earliest
// instant after now at which any status a page shows may change (Never when none will). A page
// rendered at now, at that version, stays true until then; a cache keyed on both never serves
// a status the clock has passed. It reads the database only when the version moves on or the
// transition passes, and otherwise costs an atomic load.
func (db *DB) Moment(ctx context.Context, now time.Time) (version int64, next time.Time) {
	version = db.Version()
	if t := db.transition.Load(); t != nil && t.version == version && !now.Before(t.from) && now.Before(t.next) {
		return version, t.next
	}
	db.transitionMu.Lock()
	defer db.transitionMu.Unlock()
	// Another request may have read it while this one waited.
	if t := db.transition.Load(); t != nil && t.version == version && !now.Before(t.from) && now.Before(t.next) {
		return version, t.next
	}
	next, err := db.nextTransition(ctx, now)
	if err != nil {
		next = now.Add(transitionRetry)
	}
	db.transition.Store(&transition{version: version, from: now, next: next})
	return version, next
}

// nextTransition reads the earliest instant after now at which a status may change: the
// smallest time column greater than now (the columns hold whole seconds and every status
// changes at the start of its second, so no instant at or before now can come back, which
// would flush a cache forever), or a day after the smallest end within the last day (learning
// without an application window takes applications until the day after its last day). It is
// conservative: every item counts, shown or not, of every kind, whether a page tests its
// column or not. A page flushed early is rendered again; one flushed late would lie.
func (db *DB) nextTransition(ctx context.Context, now time.Time) (time.Time, error) {
	at := formatTime(now)
	dayBefore := formatTime(now.Add(-24 * time.Hour))
	var next, lastEnd sql.NullString
	err := db.queryRow(ctx, transitionSQL, at, dayBefore).Scan(&next, &lastEnd)
	if err != nil {
		return time.Time{}, fmt.Errorf("next transition: %w", err)
	}
	out := Never
	if t := parseTime(next); next.Valid && t.Before(out) {
		out = t
	}
	if t := parseTime(lastEnd).Add(24 * time.Hour); lastEnd.Valid && t.Before(out) {
		out = t
	}
	return out, nil
}
