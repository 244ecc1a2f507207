package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"time"

	"github.com/alliance-platform/alliance"
)

// Listings by start select items by another of their times: upcoming events until they end
// (Query.EndsAfter), learning and calls while their application is open (Query.OpenAt). Read
// by start alone, every item whose time has passed comes first and is passed over one by one:
// the events of a site that has run for years. But an item not yet ended started at most the
// longest span from start to end of its kind ago, and one still open closes at most the
// longest span from start to deadline after its start; and an item that has ended started
// before it ended. So each such read is a range of (kind, starts, id). Each item's two spans
// are stored with it (migration 0021), and the longest of a kind is one read of a partial
// index, kept per content version.

// A spanColumn is a stored span: seconds from an item's start to another of its times.
type spanColumn string

const (
	endsSpan   spanColumn = "ends_span"   // to its end
	closesSpan spanColumn = "closes_span" // to its deadline: negative when it closes before it starts
)

// unbounded is the span stored for an item that no range of starts holds (see spans): its
// kind is read without the bound.
const unbounded = 1_000_000_000_000

// spansOf are the ends_span and closes_span columns of it. An item without an end is selected
// by its start (EndsAfter compares the end, else the start), so its ends_span is 0; one
// without a deadline is never open, so its closes_span is NULL. An item with an end or a
// deadline but no start, or an end before its start (which no write allows, but which a range
// of starts would lose), has an unbounded span.
func spansOf(it *alliance.Item) (ends, closes any) {
	since := func(t time.Time) any {
		if it.Starts.IsZero() {
			return int64(unbounded)
		}
		// Whole seconds, as the columns hold them.
		return t.Unix() - it.Starts.Unix()
	}
	switch {
	case it.Ends.IsZero():
		if !it.Starts.IsZero() {
			ends = int64(0)
		}
	case it.Ends.Before(it.Starts):
		ends = int64(unbounded)
	default:
		ends = since(it.Ends)
	}
	if !it.Closes.IsZero() {
		closes = since(it.Closes)
	}
	return ends, closes
}

// spans holds the longest span of the kinds read at a content version. It is not changed once
// stored: a read that adds a kind stores a copy.
type spans struct {
	version int64
	longest map[spanKey]spanBound
}

type spanKey struct {
	column spanColumn
	kind   alliance.Kind
}

type spanBound struct {
	span time.Duration
	ok   bool // a range of starts holds every item of the kind (see unbounded)
	none bool // no item of the kind has the span
}

// longest returns the longest span in column of the items of kinds, whether a range of starts
// holds them all, and whether any has it; read once per kind and content version. The version
// is read before the span: the span read sees at least that version's items, and a later
// write changes the version, after which the span is read again.
func (db *DB) longest(ctx context.Context, column spanColumn, kinds []alliance.Kind) (spanBound, error) {
	version := db.Version()
	out := spanBound{ok: true, none: true}
	for _, k := range kinds {
		key := spanKey{column, k}
		s := db.spans.Load()
		b, known := spanBound{}, false
		if s != nil && s.version == version {
			b, known = s.longest[key]
		}
		if !known {
			var span sql.NullInt64
			err := db.queryRow(ctx, `SELECT MAX(`+string(column)+`) FROM items WHERE kind = $1 AND `+string(column)+` IS NOT NULL`, string(k)).Scan(&span)
			if err != nil {
				return spanBound{}, fmt.Errorf("longest %s of %s: %w", column, k, err)
			}
			b = spanBound{span: time.Duration(span.Int64) * time.Second, ok: span.Int64 < unbounded, none: !span.Valid}
			next := &spans{version: version, longest: map[spanKey]spanBound{key: b}}
			if s != nil && s.version == version {
				maps.Copy(next.longest, s.longest)
				next.longest[key] = b
			}
			// Two reads may race to store: the loser's kind is read again next time.
			db.spans.Store(next)
		}
		if b.none {
			continue
		}
		if out.none || b.span > out.span {
			out.span = b.span
		}
		out.ok = out.ok && b.ok
		out.none = false
	}
	return out, nil
}

// bound sets the range of starts that holds every item q selects by its end or its deadline,
// when there is one: q.startsAfter, q.startsBefore. Reads in the order of the end or the
// deadline (Ending, Closing) walk an index of their own and take no bound.
func (db *DB) bound(ctx context.Context, q *Query) error {
	byTime := !q.EndsAfter.IsZero() || !q.EndsBefore.IsZero() || !q.OpenAt.IsZero() || !q.ClosesAfter.IsZero()
	if !byTime || q.Order == Ending || q.Order == Closing {
		return nil // most reads: nothing to bound, and nothing to allocate
	}
	kinds := append([]alliance.Kind{q.Kind}, q.Also...)
	after := func(column spanColumn, t time.Time) error {
		b, err := db.longest(ctx, column, kinds)
		if err != nil || !b.ok {
			return err
		}
		// Without any item that has the span, nothing is selected: any bound will do.
		if lo := t.Add(-b.span); q.startsAfter.IsZero() || lo.After(q.startsAfter) {
			q.startsAfter = lo
		}
		return nil
	}
	if !q.EndsAfter.IsZero() {
		if err := after(endsSpan, q.EndsAfter); err != nil {
			return err
		}
	}
	for _, t := range []time.Time{q.OpenAt, q.ClosesAfter} {
		if !t.IsZero() {
			if err := after(closesSpan, t); err != nil {
				return err
			}
		}
	}
	if !q.EndsBefore.IsZero() {
		b, err := db.longest(ctx, endsSpan, kinds)
		if err != nil {
			return err
		}
		if b.ok {
			q.startsBefore = q.EndsBefore
		}
	}
	return nil
}
