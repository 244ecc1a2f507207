package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
)

// Order is the order of a listing.
type Order int

const (
	ByPosition Order = iota // position, then key: members, pages, terms
	Newest                  // latest start first: stories, resources, past events
	Soonest                 // earliest start first: upcoming events, sessions, programmes
	// Ending is earliest end first, and Closing earliest deadline (closes) first: the calendar's
	// events not yet ended and deadlines still ahead, each read as a range of an index on
	// (kind, ends, id) or (kind, closes, id) (migration 0020). Items without an end, or without
	// a deadline, are not in these orders: with Ending, EndsAfter tests the end alone.
	Ending
	Closing
)

// Query selects items of one kind for a listing.
type Query struct {
	Kind alliance.Kind
	// Also adds kinds to select, for a page that needs several small lists at once.
	Also   []alliance.Kind
	Facets []alliance.Facet // every one must match
	// EndsAfter keeps items that end (or, without an end, start) after the instant;
	// EndsBefore keeps those that end at or before it. Used for upcoming and past events: an
	// event is past from the instant it ends, the instant the site's next transition names
	// (see Moment).
	EndsAfter, EndsBefore time.Time
	// OpenAt keeps items whose window (opens, closes) contains the instant.
	OpenAt time.Time
	// ClosesAfter keeps items whose window closes after the instant: deadlines still ahead.
	ClosesAfter time.Time
	Exclude     []int64
	Order       Order
	Limit       int
	Offset      int
	NoBody      bool // leave Text.Body empty, for listings
	// excludeKeys leaves out items with these keys (see Select).
	excludeKeys []string
	// startsAfter and startsBefore, when set, are a range of starts that holds every item
	// EndsAfter or EndsBefore selects, which the read walks instead of the whole kind (see
	// DB.bound).
	startsAfter, startsBefore time.Time
	// dialect is the database's, when a read must say something its way (see from).
	dialect string
	// Lang, when set, loads only the texts in Lang and in each item's source language: what a
	// page in Lang shows of items it lists.
	Lang string
	// Hidden also selects the items visitors do not see: drafts, and items outside their
	// publication window (export, the back office). Without it, a query selects what the site
	// shows at the store's clock.
	Hidden bool
}

// from returns the FROM and WHERE clauses of a statement selecting q's items as i, after the
// parameters args, and the ORDER BY clause of q's order.
//
// A query with facets reads the first facet's index (name, value, kind, starts, item_id) and
// joins the items to it: in Newest or Soonest order, it reads the index in that order and stops
// at the limit. Walking the items of the kind by date instead and testing each for the facet
// cost more than the rest of a story page's surroundings.
//
// now is the instant whose visible items it selects (see visible); empty selects them all.
//
// Facets carry their item's kind, start and publication state (migrations 0004 and 0023), so
// a query with facets tests those on the facet's index; withItems false (a count) leaves the
// items out of the statement when no other condition needs them, and counts from the index.
func (q *Query) from(args []any, now string, withItems bool) (from string, _ []any, order string) {
	arg := func(v any) string {
		var ph string
		args, ph = bind(args, v)
		return ph
	}
	kinds := arg(string(q.Kind))
	for _, k := range q.Also {
		kinds += ", " + arg(string(k))
	}
	// row is the table whose columns the conditions test where facets and items both have them.
	from, order, row := "items i", orderBy(q.Order), "i"
	idOf := "i.id"
	facets := q.Facets
	var conds []string
	needItems := withItems // whether a condition needs a column facets lack
	if len(facets) > 0 {
		f := facets[0]
		facets = facets[1:]
		row, idOf = "f0", "f0.item_id"
		conds = append(conds, "f0.name = "+arg(f.Name), "f0.value = "+arg(f.Value))
		switch q.Order {
		case Newest:
			order = "f0.starts DESC NULLS LAST, f0.item_id DESC"
		case Soonest:
			order = "f0.starts ASC NULLS FIRST, f0.item_id ASC"
		}
	}
	if len(q.Also) > 0 {
		conds = append(conds, row+".kind IN ("+kinds+")")
	} else {
		conds = append(conds, row+".kind = "+kinds)
	}
	// A Query can exclude items by key too (in a Batch, whose other parts are not known yet).
	for _, k := range q.excludeKeys {
		conds = append(conds, "i.key <> "+arg(k))
		needItems = true
	}
	// Each further facet is looked up by the item's primary key, (item_id, name, value). On
	// PostgreSQL, OFFSET 0 keeps the test a lookup per row: a prepared statement's generic plan
	// takes the first facet for one row and scanned the second facet's whole range for each of
	// its rows instead (824 × 965 index entries, 130–170 ms, for the BIP taught in English at
	// 100,000 items). SQLite tests EXISTS per row in any case.
	fence := ""
	if q.dialect == Postgres {
		fence = " OFFSET 0"
	}
	for _, f := range facets {
		conds = append(conds, "EXISTS (SELECT 1 FROM facets f WHERE f.item_id = "+idOf+" AND f.name = "+arg(f.Name)+" AND f.value = "+arg(f.Value)+fence+")")
	}
	if !q.EndsAfter.IsZero() || !q.EndsBefore.IsZero() || !q.OpenAt.IsZero() || !q.ClosesAfter.IsZero() || q.Order == Ending || q.Order == Closing {
		needItems = true // ends, opens, closes
	}
	if !q.EndsAfter.IsZero() {
		if q.Order == Ending {
			// The index's column itself, so that the condition is the start of its range.
			conds = append(conds, "i.ends > "+arg(formatTime(q.EndsAfter)))
		} else {
			conds = append(conds, "COALESCE(i.ends, i.starts) > "+arg(formatTime(q.EndsAfter)))
		}
	}
	if !q.EndsBefore.IsZero() {
		conds = append(conds, "COALESCE(i.ends, i.starts) <= "+arg(formatTime(q.EndsBefore)))
	}
	// The column of the index walked, so that each is a bound of its range.
	if !q.startsAfter.IsZero() {
		conds = append(conds, row+".starts > "+arg(formatTime(q.startsAfter)))
	}
	if !q.startsBefore.IsZero() {
		conds = append(conds, row+".starts <= "+arg(formatTime(q.startsBefore)))
	}
	if !q.OpenAt.IsZero() {
		t := arg(formatTime(q.OpenAt))
		conds = append(conds, "i.opens <= "+t+" AND i.closes > "+t)
	}
	if !q.ClosesAfter.IsZero() {
		conds = append(conds, "i.closes > "+arg(formatTime(q.ClosesAfter)))
	}
	// Items without the column an order sorts on are not in it, on both databases alike (they
	// would sort first on SQLite, last on PostgreSQL).
	if q.Order == Ending && q.EndsAfter.IsZero() {
		conds = append(conds, "i.ends IS NOT NULL")
	}
	if q.Order == Closing && q.ClosesAfter.IsZero() {
		conds = append(conds, "i.closes IS NOT NULL")
	}
	for _, id := range q.Exclude {
		conds = append(conds, idOf+" <> "+arg(id))
	}
	if now != "" {
		var cond string
		cond, args = visibleOn(row, args, now)
		conds = append(conds, cond)
	}
	if row == "f0" {
		from = "facets f0"
		if needItems {
			from += " JOIN items i ON i.id = f0.item_id"
		}
	}
	return from + " WHERE " + strings.Join(conds, " AND "), args, order
}

// selectSQL is the statement selecting cols of q's items i in q's order, within its limit and
// offset, after the parameters args.
func (q *Query) selectSQL(args []any, cols, now string) (string, []any) {
	from, args, order := q.from(args, now, true)
	s := "SELECT " + cols + " FROM " + from + " ORDER BY " + order
	if q.Limit > 0 {
		s += fmt.Sprintf(" LIMIT %d OFFSET %d", q.Limit, max(0, q.Offset))
	}
	return s, args
}

const itemColumns = `i.id, i.kind, i.key, i.source_lang, i.shared, i.starts, i.ends, i.opens, i.closes, i.position, i.parent, i.updated, i.draft, i.publish_at, i.unpublish_at, i.revision, i.image`

// visible is the condition on items i that a visitor sees them at now (formatted as stored,
// to the second: truncating the clock shows an item from the second of its publish_at, as
// Item.Shown does): not a draft, published, not yet unpublished.
//
// The condition is the same for every query whose clock is bound at one placeholder: it is
// written once per placeholder (visibleAt), rather than concatenated in each part of a Batch.
func visible(args []any, now string) (string, []any) { return visibleOn("i", args, now) }

// visibleOn is visible's condition on the columns of table t: items i, or a facet f0, which
// carries its item's.
func visibleOn(t string, args []any, now string) (string, []any) {
	args, n := bind(args, now)
	if i, err := strconv.Atoi(n[1:]); err == nil && i < len(visibleAt) {
		if t == "i" {
			return visibleAt[i], args
		}
		if t == "f0" {
			return visibleAtFacet[i], args
		}
	}
	return visibleCond(t, n), args
}

func visibleCond(t, n string) string {
	return t + ".draft = 0 AND (" + t + ".publish_at IS NULL OR " + t + ".publish_at <= " + n + ") AND (" + t + ".unpublish_at IS NULL OR " + t + ".unpublish_at > " + n + ")"
}

// visibleAt and visibleAtFacet hold visibleOn's condition with the clock at $1 … $31: tables
// of constants.
var visibleAt, visibleAtFacet = visibleTable("i"), visibleTable("f0")

func visibleTable(t string) (out [32]string) {
	for i := 1; i < len(out); i++ {
		out[i] = visibleCond(t, "$"+strconv.Itoa(i))
	}
	return out
}

// shownAt is the instant a read selects the visible items of, formatted as stored; "" (every
// item) when q asks for hidden ones too.
func (db *DB) shownAt(hidden bool) string {
	if hidden {
		return ""
	}
	return db.nowText()
}

// cardColumns are the item columns a page shows of the items around its own (Batch): each value
// read costs SQLite and the driver a few hundred nanoseconds.
const cardColumns = `i.id, i.kind, i.key, i.source_lang, i.shared, i.starts, i.ends, i.opens, i.closes`

// orderBy is the order o in SQL. Items without a date come as the zero time does in less: first
// of the soonest, last of the newest. SQLite sorts NULL first and PostgreSQL last, so both are
// told; the indexes on starts put NULL first on both (migration 0006), and read forwards or
// backwards give either order.
func orderBy(o Order) string {
	switch o {
	case Newest:
		return "i.starts DESC NULLS LAST, i.id DESC"
	case Soonest:
		return "i.starts ASC NULLS FIRST, i.id ASC"
	case Ending:
		return "i.ends ASC, i.id ASC"
	case Closing:
		return "i.closes ASC, i.id ASC"
	default:
		return "i.position ASC, i.key ASC"
	}
}

// less is the order o, in Go.
func less(o Order) func(a, b *alliance.Item) bool {
	switch o {
	case Newest:
		return func(a, b *alliance.Item) bool {
			return a.Starts.After(b.Starts) || (a.Starts.Equal(b.Starts) && a.ID > b.ID)
		}
	case Soonest:
		return func(a, b *alliance.Item) bool {
			return a.Starts.Before(b.Starts) || (a.Starts.Equal(b.Starts) && a.ID < b.ID)
		}
	case Ending:
		return func(a, b *alliance.Item) bool {
			return a.Ends.Before(b.Ends) || (a.Ends.Equal(b.Ends) && a.ID < b.ID)
		}
	case Closing:
		return func(a, b *alliance.Item) bool {
			return a.Closes.Before(b.Closes) || (a.Closes.Equal(b.Closes) && a.ID < b.ID)
		}
	default:
		return func(a, b *alliance.Item) bool {
			return a.Position < b.Position || (a.Position == b.Position && a.Key < b.Key)
		}
	}
}

// List returns the items q selects, with their texts.
func (db *DB) List(ctx context.Context, q Query) ([]*alliance.Item, error) {
	q.dialect = db.dialect
	if err := db.bound(ctx, &q); err != nil {
		return nil, err
	}
	inner, args := q.selectSQL(nil, "i.*", db.shownAt(q.Hidden))
	l := load{lang: q.Lang, order: orderBy(q.Order)}
	if !q.NoBody {
		if q.Lang != "" {
			l.html = true
		} else {
			l.body = true
		}
	}
	return db.queryItems(ctx, l, inner, args...)
}

// Count returns how many items q selects, ignoring its limit and offset.
func (db *DB) Count(ctx context.Context, q Query) (int, error) {
	q.dialect = db.dialect
	if err := db.bound(ctx, &q); err != nil {
		return 0, err
	}
	from, args, _ := q.from(nil, db.shownAt(q.Hidden), false)
	var n int
	if err := db.queryRow(ctx, "SELECT count(*) FROM "+from, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", q.Kind, err)
	}
	return n, nil
}

// All returns every item of kind, by position then key, drafts and unpublished items included.
func (db *DB) All(ctx context.Context, kind alliance.Kind) ([]*alliance.Item, error) {
	return db.List(ctx, Query{Kind: kind, Hidden: true})
}

// Item returns the item of kind with key, shown or not.
func (db *DB) Item(ctx context.Context, kind alliance.Kind, key string) (*alliance.Item, error) {
	items, err := db.queryItems(ctx, load{body: true}, "SELECT i.* FROM items i WHERE i.kind = $1 AND i.key = $2", string(kind), key)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s %s: %w", kind, key, alliance.ErrNotFound)
	}
	return items[0], nil
}

// ByKeys returns the items of kind with the given keys that the site shows, by key; unknown
// keys are absent. With
// lang set, only the texts in lang and in each item's source language are loaded, without
// their bodies.
func (db *DB) ByKeys(ctx context.Context, kind alliance.Kind, keys []string, lang string) (map[string]*alliance.Item, error) {
	out := make(map[string]*alliance.Item, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	l := load{body: lang == "", lang: lang}
	inner, args := Keys(kind, keys...).sql(nil, "i.*", db.shownAt(false))
	items, err := db.queryItems(ctx, l, inner, args...)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		out[it.Key] = it
	}
	return out, nil
}

// bySlug reads, with l, the item of kind whose text in l.lang has slug, shown at the store's
// clock; when no text in l.lang has the slug, an item whose text in another language has it (a
// visitor following a link from another language's page). matched tells which language's slug
// matched.
func (db *DB) bySlug(ctx context.Context, l load, kind alliance.Kind, slug string) (it *alliance.Item, matched string, err error) {
	lang := l.lang
	// The slug in lang first, through the unique index; only when it is not there, any
	// language's (COALESCE stops at its first value in both databases).
	cond, args := visible([]any{string(kind), slug, lang}, db.shownAt(false))
	items, err := db.queryItems(ctx, l, `SELECT i.* FROM items i WHERE i.id = COALESCE(
		(SELECT item_id FROM texts WHERE kind = $1 AND lang = $3 AND slug = $2 AND slug <> ''),
		(SELECT item_id FROM texts WHERE kind = $1 AND slug = $2 ORDER BY lang LIMIT 1)) AND `+cond, args...)
	if err != nil {
		return nil, "", fmt.Errorf("find %s %s/%s: %w", kind, lang, slug, err)
	}
	if len(items) == 0 {
		return nil, "", fmt.Errorf("%s %s/%s: %w", kind, lang, slug, alliance.ErrNotFound)
	}
	it = items[0]
	if t := it.Text(lang); t != nil && t.Slug == slug {
		return it, lang, nil
	}
	for _, t := range it.Texts {
		if t.Slug == slug {
			return it, t.Lang, nil
		}
	}
	return it, "", nil
}

// FacetValues returns the distinct values of a facet among the items of kind the site shows,
// for filter menus.
func (db *DB) FacetValues(ctx context.Context, kind alliance.Kind, name string) ([]string, error) {
	// From the facets' index alone: facets carry their item's publication state.
	cond, args := visibleOn("f0", []any{string(kind), name}, db.shownAt(false))
	rows, err := db.query(ctx, `SELECT DISTINCT f0.value FROM facets f0
		WHERE f0.name = $2 AND f0.kind = $1 AND `+cond+` ORDER BY f0.value`, args...)
	if err != nil {
		return nil, fmt.Errorf("facet values %s.%s: %w", kind, name, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Site returns the site's settings.
func (db *DB) Site(ctx context.Context) (*alliance.Site, error) {
	var data string
	if err := db.queryRow(ctx, `SELECT data FROM site WHERE id = 1`).Scan(&data); err != nil {
		return nil, fmt.Errorf("read site: %w", err)
	}
	s := &alliance.Site{}
	if err := json.Unmarshal([]byte(data), s); err != nil {
		return nil, fmt.Errorf("read site: %w", err)
	}
	return s, nil
}

// Empty reports whether the store holds no item yet.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM items LIMIT 1) x`).Scan(&n); err != nil {
		return false, fmt.Errorf("count items: %w", err)
	}
	return n == 0, nil
}

// load says what queryItems loads with the items.
type load struct {
	body bool // Markdown bodies and their HTML: for export and editing
	// html loads, with lang, the rendered body of the text shown: what an item's own page needs.
	html  bool
	lang  string // only the text a page in lang shows: in lang, else in the source language
	order string // the order of the inner query, repeated outside the join
	parts bool   // the inner query starts with a part column (Batch)
	// slugs adds, with l.lang, the language and slug of the item's other texts (see BySlug).
	slugs bool
	// outline, with l.lang, reads the outline in that language into itself, in the same row
	// (see FrameBySlug).
	outline *sql.NullString
	// image, with l.lang, reads the size of the item's lead image (Item.Image) with its row.
	image bool
	// tx, when set, runs the query in that transaction (Save reads the stored item).
	tx *stmtTx
}

// bind appends v to args, unless an equal value is there already, and returns its placeholder.
// The SQLite driver copies every value bound into memory of its own under a lock, and the parts
// of a Batch repeat their kind, date and ids: a story's surroundings bind half as many values.
func bind(args []any, v any) ([]any, string) {
	for i, a := range args {
		if a == v {
			return args, placeholder(i + 1)
		}
	}
	args = append(args, v)
	return args, placeholder(len(args))
}

// placeholder returns "$n", without allocating for the first ones.
func placeholder(n int) string {
	if n < len(placeholderNames) {
		return placeholderNames[n]
	}
	return "$" + strconv.Itoa(n)
}

// placeholderNames holds "$0" … "$63": a table of constants.
var placeholderNames = func() (out [64]string) {
	for i := range out {
		out[i] = "$" + strconv.Itoa(i)
	}
	return out
}()

// placeholders appends values to args and returns their placeholders, "$4, $5, $6": a
// placeholder per value rather than one JSON list read by a table function, which costs as much
// as the rest of a small query; the few statement shapes (one per number of values) are cached.
// With no values it returns NULL, which matches nothing.
func placeholders(args []any, values []string) (string, []any) {
	if len(values) == 0 {
		return "NULL", args
	}
	ph := make([]string, len(values))
	for i, v := range values {
		args, ph[i] = bind(args, v)
	}
	return strings.Join(ph, ", "), args
}

// A Part is one list of items a page shows beside its own (the stories before and after it, its
// related stories, its authors), to be read together with the others in one query by Batch.
type Part struct {
	// sql is a SELECT of cols over items i, with args before its own parameters, of the items
	// visible at now (see visible; all of them when now is empty).
	sql  func(args []any, cols, now string) (string, []any)
	sort func(a, b *alliance.Item) bool // the order of its items, when it has one
}

// Keys is the part of the items of kind with the given keys, in the order of their keys;
// unknown keys are absent.
func Keys(kind alliance.Kind, keys ...string) Part {
	return Part{sort: func(a, b *alliance.Item) bool { return a.Key < b.Key }, sql: func(args []any, cols, now string) (string, []any) {
		args, k := bind(args, string(kind))
		in, args := placeholders(args, keys)
		s := "SELECT " + cols + " FROM items i WHERE i.kind = " + k + " AND i.key IN (" + in + ")"
		if now != "" {
			var cond string
			cond, args = visible(args, now)
			s += " AND " + cond
		}
		return s, args
	}}
}

// Older is the part of the item of c's kind just before it in Newest order (none for the first).
func Older(c *Card) Part { return neighbour(c, "<", Newest) }

// Newer is the part of the item of c's kind just after it in Newest order (none for the last).
func Newer(c *Card) Part { return neighbour(c, ">", Soonest) }

func neighbour(c *Card, cmp string, o Order) Part {
	return Part{sql: func(args []any, cols, now string) (string, []any) {
		args, k := bind(args, string(c.Kind))
		args, st := bind(args, formatTime(c.Starts))
		args, id := bind(args, c.ID)
		// A row comparison, which both databases match against the (kind, starts, id) index;
		// items hidden at now are passed over on the way.
		s := "SELECT " + cols + " FROM items i WHERE i.kind = " + k + " AND (i.starts, i.id) " + cmp + " (" + st + ", " + id + ")"
		if now != "" {
			var cond string
			cond, args = visible(args, now)
			s += " AND " + cond
		}
		return s + " ORDER BY " + orderBy(o) + " LIMIT 1", args
	}}
}

// Select is the part of the items q selects (its kind, facets, windows, exclusions, order
// and limit), leaving out those with the keys in except.
func Select(q Query, except ...string) Part {
	q.excludeKeys = except
	return Part{sort: less(q.Order), sql: func(args []any, cols, now string) (string, []any) {
		if q.Hidden {
			now = ""
		}
		return q.selectSQL(args, cols, now)
	}}
}

// Batch reads several parts in one query, of the items the site shows, each item with the text a page in lang shows of it
// (see queryParts), without its body: what a page in lang shows of the items around its own. One round
// trip instead of one per part matters most on PostgreSQL. The result holds one list per part,
// in the parts' order.
func (db *DB) Batch(ctx context.Context, lang string, parts ...Part) ([][]*alliance.Item, error) {
	out := make([][]*alliance.Item, len(parts))
	if len(parts) == 0 {
		return out, nil
	}
	// The parts read the card columns of their items, numbered by part, and the texts are
	// joined to them once. The rows come unsorted, one per item: sorting the whole at the end
	// cost a third more on SQLite.
	// Room for the parameters of a story page's parts: growing the slice cost an allocation a part.
	args := make([]any, 0, 16)
	var b strings.Builder
	b.Grow(2048) // a story page's parts in one allocation
	now := db.shownAt(false)
	for n, p := range parts {
		var inner string
		inner, args = p.sql(args, cardColumns, now)
		if n > 0 {
			b.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&b, "SELECT %d AS part, p.* FROM (%s) p", n, inner)
	}
	l := load{lang: lang, parts: true}
	items, err := db.queryParts(ctx, l, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	for _, it := range items {
		out[it.part] = append(out[it.part], it.Item)
	}
	// Sorting a handful of items here is cheaper than numbering every part's rows in SQL.
	for n, p := range parts {
		if p.sort != nil {
			sort.SliceStable(out[n], func(i, j int) bool { return p.sort(out[n][i], out[n][j]) })
		}
	}
	return out, nil
}

// queryItems runs inner (a SELECT i.* over items) joined to the items' texts, in one query.
func (db *DB) queryItems(ctx context.Context, l load, inner string, args ...any) ([]*alliance.Item, error) {
	parted, err := db.queryParts(ctx, l, inner, args...)
	if err != nil {
		return nil, err
	}
	items := make([]*alliance.Item, len(parted))
	for i, p := range parted {
		items[i] = p.Item
	}
	return items, nil
}

// partItem is an item read by Batch, with the number of its part.
type partItem struct {
	*alliance.Item
	part int
}

// queryParts is queryItems for inner queries that may start with a part column (l.parts).
//
// With l.lang set, each item comes in one row with the one text a page in that language shows
// of it (Item.Best): its text in l.lang, or else its source language's. Joining the texts in
// either language instead (t.lang = $1 OR t.lang = i.source_lang) cost SQLite an index merge
// per item, a sixth of the query; the second join here seeks only when the first found nothing.
// Without l.lang, every text comes, one row each.
func (db *DB) queryParts(ctx context.Context, l load, inner string, args ...any) ([]partItem, error) {
	var b strings.Builder
	b.Grow(len(inner) + 1024) // the statement in one allocation
	b.WriteString("SELECT ")
	if l.parts {
		b.WriteString("i.part, " + cardColumns + ", ")
	} else {
		b.WriteString(itemColumns + ", ")
	}
	best := l.lang != ""
	withBody, withHTML := l.body, l.body || l.html
	// The text's columns. In best mode, of t, the text in l.lang, when there is one (its
	// columns are NOT NULL), else of s, the source language's: one set of columns for the
	// drivers to convert rather than two, one of them NULL.
	sc := &scanRow{}
	textCols, textDest := sc.text.columns(withBody, withHTML)
	for i, c := range textCols {
		if i > 0 {
			b.WriteString(", ")
		}
		if best {
			b.WriteString("COALESCE(t." + c + ", s." + c + ")")
		} else {
			b.WriteString("t." + c)
		}
	}
	if best {
		if l.slugs {
			// Every text's language and slug in one value, "en a-slug fr un-slug": one row
			// rather than one per language (slugs and language codes have no spaces).
			b.WriteString(", (SELECT string_agg(x.lang || ' ' || x.slug, ' ') FROM texts x WHERE x.item_id = i.id)")
		}
		var lang string
		args, lang = bind(args, l.lang)
		if l.outline != nil {
			b.WriteString(", (SELECT data FROM outlines WHERE lang = " + lang + ")")
		}
		if l.image {
			b.WriteString(", m.width, m.height")
		}
		b.WriteString(" FROM (" + inner + ") i" +
			" LEFT JOIN texts t ON t.item_id = i.id AND t.lang = " + lang +
			" LEFT JOIN texts s ON s.item_id = i.id AND s.lang = CASE WHEN t.item_id IS NULL THEN i.source_lang END")
		if l.image {
			b.WriteString(" LEFT JOIN media m ON m.path = i.image")
		}
	} else {
		b.WriteString(" FROM (" + inner + ") i LEFT JOIN texts t ON t.item_id = i.id")
	}
	// A Batch's parts each have their own order, restored by Batch: its rows need none.
	if !best || !l.parts {
		b.WriteString(" ORDER BY ")
		if l.parts {
			b.WriteString("i.part, ")
		}
		if l.order != "" {
			b.WriteString(l.order + ", ")
		}
		b.WriteString("i.id")
		if !best {
			b.WriteString(", t.lang")
		}
	}
	var rows rowSet
	var err error
	if l.tx != nil {
		var r *sql.Rows
		r, err = l.tx.QueryContext(ctx, b.String(), args...)
		if err == nil {
			rows = sqlRows{r}
		}
	} else {
		rows, err = db.query(ctx, b.String(), args...)
	}
	if err != nil {
		return nil, fmt.Errorf("query items: %w", markUnavailable(err))
	}
	defer rows.Close()
	var items []partItem
	var it *alliance.Item
	prevPart := -1
	// One set of destinations for all rows, in one allocation (a variable per column, each
	// escaping through Scan's []any, cost twenty per query): Scan fills each afresh.
	r := &sc.dest
	dest := r.slots[:0]
	if l.parts {
		dest = append(dest, &r.part)
	}
	dest = append(dest, &r.id, &r.kind, &r.key, &r.source, &r.shared, &r.starts, &r.ends, &r.opens, &r.closes)
	if !l.parts {
		dest = append(dest, &r.position, &r.parent, &r.updated, &r.draft, &r.publishAt, &r.unpublishAt, &r.revision, &r.image)
	}
	dest = append(dest, textDest...)
	if best {
		if l.slugs {
			dest = append(dest, &r.slugs)
		}
		if l.outline != nil {
			dest = append(dest, l.outline)
		}
		if l.image {
			dest = append(dest, &r.imageWidth, &r.imageHeight)
		}
	}
	txt := &sc.text
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan item: %w", markUnavailable(err))
		}
		if it == nil || it.ID != r.id || r.part != prevPart {
			it = &alliance.Item{ID: r.id, Kind: alliance.Kind(r.kind), Key: r.key, SourceLang: r.source, Shared: json.RawMessage(r.shared), Position: r.position, Parent: r.parent}
			it.Starts, it.Ends, it.Opens, it.Closes = parseTime(r.starts), parseTime(r.ends), parseTime(r.opens), parseTime(r.closes)
			if r.updated != "" { // not read by a Batch
				it.Updated, _ = time.Parse(timeLayout, r.updated)
			}
			it.Draft, it.PublishAt, it.UnpublishAt = r.draft != 0, parseTime(r.publishAt), parseTime(r.unpublishAt)
			it.Revision, it.Image = r.revision, r.image
			it.ImageWidth, it.ImageHeight = int(r.imageWidth.Int64), int(r.imageHeight.Int64)
			items = append(items, partItem{it, r.part})
			prevPart = r.part
		}
		if txt.lang.Valid {
			it.Texts = append(it.Texts, txt.text())
		}
		if r.slugs.Valid {
			addSlugs(it, r.slugs.String)
		}
	}
	return items, markUnavailable(rows.Err())
}

// addSlugs adds to it the texts listed in slugs ("en a-slug fr un-slug") that it does not hold
// yet, with their language and slug only, and sorts its texts by language.
func addSlugs(it *alliance.Item, slugs string) {
	f := strings.Fields(slugs)
	for i := 0; i+1 < len(f); i += 2 {
		if it.Text(f[i]) == nil {
			it.Texts = append(it.Texts, alliance.Text{Lang: f[i], Slug: f[i+1]})
		}
	}
	sort.Slice(it.Texts, func(i, j int) bool { return it.Texts[i].Lang < it.Texts[j].Lang })
}

// scanRow holds the destinations of queryParts' rows.
type scanRow struct {
	dest struct {
		id                                                  int64
		part, position, draft, revision                     int
		kind, key, source, shared, parent, updated, image   string
		imageWidth, imageHeight                             sql.NullInt64
		starts, ends, opens, closes, publishAt, unpublishAt sql.NullString
		slugs                                               sql.NullString
		slots                                               [32]any
	}
	text nullText
}

// nullText is a text scanned from a LEFT JOIN: all its columns are NULL when it is absent.
type nullText struct {
	lang, slug, title, summary, body, html, fields sql.NullString
}

// columns returns the names of the texts table's columns a query reads into t, and their
// destinations, in the same order.
func (t *nullText) columns(body, html bool) (names []string, dest []any) {
	names = []string{"lang", "slug", "title", "summary", "fields"}
	dest = []any{&t.lang, &t.slug, &t.title, &t.summary, &t.fields}
	if body {
		names, dest = append(names, "body"), append(dest, &t.body)
	}
	if html {
		names, dest = append(names, "html"), append(dest, &t.html)
	}
	return names, dest
}

func (t *nullText) text() alliance.Text {
	return alliance.Text{Lang: t.lang.String, Slug: t.slug.String, Title: t.title.String, Summary: t.summary.String,
		Body: t.body.String, HTML: t.html.String, Fields: json.RawMessage(t.fields.String)}
}

// Keys returns the keys of every item, by kind, for reference checks.
func (db *DB) Keys(ctx context.Context) (map[alliance.Kind]map[string]bool, error) {
	rows, err := db.query(ctx, `SELECT kind, key FROM items`)
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	defer rows.Close()
	out := map[alliance.Kind]map[string]bool{}
	for rows.Next() {
		var kind, key string
		if err := rows.Scan(&kind, &key); err != nil {
			return nil, err
		}
		k := alliance.Kind(kind)
		if out[k] == nil {
			out[k] = map[string]bool{}
		}
		out[k][key] = true
	}
	return out, rows.Err()
}
