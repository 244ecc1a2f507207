package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/search"
)

// The search index. Every text of an item of a searchable kind is one document: its terms
// (internal/search's analysis of its title, summary and body, in the text's language, with the
// unaccented variants) and three kinds of tag —
//
//   - l_{lang}: the text's language;
//   - f_{lang}_{text lang}: the text is the one shown in lang, a language the item has no
//     text in (the source language's text, as Item.Best falls back), one tag rather than two
//     so that a search reads one list per fallback language instead of two long ones;
//   - k_{kind}: the item's kind, for the filter by kind.
//
// A search in language L matches the documents tagged l_L whose terms hold every query word
// analyzed in L, or those tagged f_L_X whose terms hold every query word analyzed in X, for
// each other language X (analyzing the few query words with eight stemmers costs
// microseconds, and one document per text, rather than one per text and language shown in,
// keeps the index at the size of the texts). Each query word also
// matches the indexed terms one edit away from its own (search_vocab, search_typos).
//
// The order is the same on both databases because it is computed the same way, not by either
// engine's relevance: the number of query words found in the title (most first), then the
// item's date (newest first, undated last), then kind and key.

// SearchKinds are the kinds the search finds: those with a page of their own.
var SearchKinds = []alliance.Kind{alliance.KindStory, alliance.KindEvent, alliance.KindLearning,
	alliance.KindResource, alliance.KindCall, alliance.KindMember, alliance.KindPage}

// Search limits: a longer query is refused (ErrQueryTooLong) before anything is read.
const (
	MaxQueryBytes = 200
	MaxQueryWords = 12
	snippetRunes  = 240
)

// ErrQueryTooLong refuses a query of more than MaxQueryBytes bytes or MaxQueryWords words.
var ErrQueryTooLong = errors.New("search query too long")

// SearchQuery is a visitor's search.
type SearchQuery struct {
	Lang   string // the page's language
	Text   string // as typed
	Kind   alliance.Kind
	Limit  int
	Offset int
}

// SearchHit is one result: the text shown of an item in the query's language.
type SearchHit struct {
	Kind     alliance.Kind
	Key      string
	Lang     string // the text's language: not the query's when shown as a fallback
	Slug     string
	Title    string
	Snippet  string // plain text
	Starts   time.Time
	Parent   string
	Fallback bool
}

// SearchResult is a page of results, with how many items of each kind match.
type SearchResult struct {
	Hits   []SearchHit
	Counts map[alliance.Kind]int // every kind's matches, whatever Kind asked
	Total  int                   // matches of the kind asked (all kinds when none)
	// Capped says there were more matches than SearchCap (Counts and Total count the
	// SearchCap ranked); KindCapped says so of the kind asked.
	Capped, KindCapped bool
	// Terms are the terms the query matched on (typo candidates included): a snippet's word
	// is highlighted when its term is one of them.
	Terms map[string]bool
}

// Search finds the items visible now whose text shown in q.Lang holds every word of q.Text.
// A query with no word finds nothing (and reads nothing).
func (db *DB) Search(ctx context.Context, q SearchQuery) (*SearchResult, error) {
	if len(q.Text) > MaxQueryBytes {
		return nil, ErrQueryTooLong
	}
	words := search.Words(q.Text)
	if len(words) > MaxQueryWords {
		return nil, ErrQueryTooLong
	}
	res := &SearchResult{Counts: map[alliance.Kind]int{}, Terms: map[string]bool{}}
	type word struct{ own, any []string }
	var ws []word
	var typoable []string
	for _, w := range words {
		own := search.Variants(q.Lang, w)
		if len(own) == 0 {
			continue // a letter alone
		}
		var all []string
		for _, l := range search.Languages {
			for _, t := range search.Variants(l, w) {
				if !slices.Contains(all, t) {
					all = append(all, t)
				}
			}
		}
		for _, t := range own {
			if !slices.Contains(all, t) {
				all = append(all, t)
			}
		}
		if utf8.RuneCountInString(w) >= search.TypoMin+1 {
			typoable = append(typoable, all...)
		}
		ws = append(ws, word{own, all})
	}
	if len(ws) == 0 {
		return res, nil
	}
	near, err := db.typoCandidates(ctx, typoable)
	if err != nil {
		return nil, err
	}
	expand := func(terms []string, typos bool) []string {
		out := slices.Clone(terms)
		for _, t := range terms {
			if typos {
				for _, c := range near[t] {
					if !slices.Contains(out, c) {
						out = append(out, c)
					}
				}
			}
		}
		return out
	}
	// The match: the texts in L holding every word analyzed in L, or the texts shown in L as
	// a fallback, in language X, holding every word analyzed in X.
	and, or := " AND ", " OR "
	if db.dialect == Postgres {
		and, or = " & ", " | "
	}
	typos := len(near) > 0
	// The languages whose analysis gives the same terms share a branch, their tags any of
	// (most do for most words: "university" is the same term in seven): ('l_en' | 'f_en_fr')
	// & …. The same texts match, and the engines test a tree a few times smaller:
	// PostgreSQL's GIN index spent 3.6 ms of CPU on the eight branches of "university" at
	// 1,000 items, 0.7 ms on the two they make.
	type branch struct {
		tags  []string
		words string
	}
	var branches []branch
	for i, l := range append([]string{q.Lang}, search.Languages...) {
		if l == q.Lang && i > 0 {
			continue
		}
		tag := quote(db.dialect, "f_"+q.Lang+"_"+l)
		if i == 0 {
			tag = quote(db.dialect, "l_"+l)
		}
		var parts []string
		for _, w := range words {
			terms := expand(search.Variants(l, w), typos)
			if len(terms) == 0 {
				continue
			}
			parts = append(parts, group(db.dialect, terms))
		}
		ws := strings.Join(parts, and)
		if j := slices.IndexFunc(branches, func(b branch) bool { return b.words == ws }); j >= 0 {
			branches[j].tags = append(branches[j].tags, tag)
		} else {
			branches = append(branches, branch{[]string{tag}, ws})
		}
	}
	var ors []string
	for _, b := range branches {
		tags := b.tags[0]
		if len(b.tags) > 1 {
			tags = "(" + strings.Join(b.tags, or) + ")"
		}
		ors = append(ors, "("+tags+and+b.words+")")
	}
	match := strings.Join(ors, or)
	args := []any{match}
	vis, args := visible(args, db.nowText())

	wordTerms := make([][]string, len(ws)) // each word's terms, typo candidates included
	for i, w := range ws {
		wordTerms[i] = expand(w.any, typos)
		for _, t := range wordTerms[i] {
			res.Terms[t] = true
		}
	}
	all, err := db.searchCandidates(ctx, match, vis, args, "")
	if err != nil {
		return nil, err
	}
	limit := db.searchLimit()
	res.Capped = len(all) > limit
	all = all[:min(len(all), limit)]
	for _, c := range all {
		res.Counts[c.kind]++
	}
	cands := all
	if q.Kind != "" && !res.Capped {
		// Every match was read: the kind's are among them.
		cands = slices.DeleteFunc(slices.Clone(all), func(c searchCandidate) bool { return c.kind != q.Kind })
	} else if q.Kind != "" {
		// The kind is a tag of the match, so the index finds the kind's texts itself rather
		// than the database testing the matches of every kind one by one (on PostgreSQL a
		// condition of its own: see searchCandidates).
		kindMatch := match
		if db.dialect == SQLite {
			kindMatch = quote(db.dialect, "k_"+string(q.Kind)) + and + "(" + match + ")"
		}
		if cands, err = db.searchCandidates(ctx, kindMatch, vis, args, q.Kind); err != nil {
			return nil, err
		}
		res.KindCapped = len(cands) > limit
		cands = cands[:min(len(cands), limit)]
	}
	res.Total = len(cands)
	if res.Total == 0 || q.Offset >= res.Total || q.Limit <= 0 {
		return res, nil
	}
	// The order: words of the query in the title (most first), then the date (newest first,
	// undated last), then kind and key. Computed here, so both databases give the same.
	for i := range cands {
		c := &cands[i]
		for _, terms := range wordTerms {
			for _, t := range terms {
				if strings.Contains(c.title, " "+t+" ") {
					c.score++
					break
				}
			}
		}
	}
	slices.SortFunc(cands, func(a, b searchCandidate) int {
		switch {
		case a.score != b.score:
			return b.score - a.score
		case a.starts != b.starts:
			if a.starts == "" || b.starts == "" { // undated last
				return len(b.starts) - len(a.starts)
			}
			return strings.Compare(b.starts, a.starts)
		case a.kind != b.kind:
			return strings.Compare(string(a.kind), string(b.kind))
		}
		return strings.Compare(a.key, b.key)
	})
	page := cands[q.Offset:min(len(cands), q.Offset+q.Limit)]
	// One placeholder per id, their number rounded up (the last id repeated), so that the
	// statement has a few shapes, each prepared once.
	n := padded(len(page))
	ids, phs := make([]any, n), make([]string, n)
	at := make(map[int64]int, len(page))
	for i := range n {
		c := page[min(i, len(page)-1)]
		ids[i], phs[i] = c.id, placeholder(i+1)
		at[c.id] = min(i, len(page)-1)
	}
	res.Hits = make([]SearchHit, len(page))
	rows, err := db.query(ctx, `SELECT d.id, i.kind, i.key, i.starts, i.parent, d.lang, d.snippet, t.slug, t.title
		FROM search_docs d JOIN items i ON i.id = d.item_id JOIN texts t ON t.item_id = d.item_id AND t.lang = d.lang
		WHERE d.id IN (`+strings.Join(phs, ", ")+`)`, ids...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SearchHit
		var id int64
		var kind string
		var starts sql.NullString
		if err := rows.Scan(&id, &kind, &h.Key, &starts, &h.Parent, &h.Lang, &h.Snippet, &h.Slug, &h.Title); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Kind, h.Starts, h.Fallback = alliance.Kind(kind), parseTime(starts), h.Lang != q.Lang
		res.Hits[at[id]] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// SearchCap is how many texts a search ranks at most: the most recently indexed of its
// matches (written last: new or changed most recently). A word most texts hold matches tens
// of thousands at 100,000 items; ranking them all would cost in proportion, and even a
// thousand cost 17 ms of CPU on SQLite at that size (each candidate is two lookups in a
// database of gigabytes). Two hundred are seventeen pages of results, more than a visitor
// reads; reading the matches newest first and stopping there keeps a search within a few
// milliseconds at any size. Up to the cap, both databases find and order the same texts; past
// it they may pick different ones when a write was rolled back on one (PostgreSQL does not
// reuse the ids a rolled back write took; SQLite does), which only a query matching more than
// the cap can notice.
const SearchCap = 200

// SetSearchCap sets how many matches a search ranks at most (SearchCap unless set): tests
// lower it to check the cap on a few texts rather than writing hundreds. Call it before
// serving.
func (db *DB) SetSearchCap(n int) { db.searchCap = n }

// searchLimit is the cap of a search: SetSearchCap's, else SearchCap.
func (db *DB) searchLimit() int {
	if db.searchCap > 0 {
		return db.searchCap
	}
	return SearchCap
}

// searchCandidate is a text matching a search, with what orders it.
type searchCandidate struct {
	id          int64
	kind        alliance.Kind
	key, starts string
	title       string // the title's terms, " a b c "
	score       int
}

// searchCandidates reads up to the cap + 1 visible texts matching match (of kind, when not
// empty), most recently indexed first; args are the search's, the match first.
func (db *DB) searchCandidates(ctx context.Context, match, vis string, args []any, kind alliance.Kind) ([]searchCandidate, error) {
	args = slices.Clone(args)
	args[0] = match
	// statement is the query and its arguments; on PostgreSQL, of the texts in ranges (a
	// tsquery of range tags, see pgTerms), or of every text when ranges is empty.
	statement := func(ranges string) (string, []any) {
		args := slices.Clone(args)
		from := `search_fts f JOIN search_docs d ON d.id = f.rowid`
		cond, order := `search_fts MATCH $1`, `f.rowid DESC`
		if db.dialect == Postgres {
			// The matches' ids come from the GIN index alone, sorted, and only then joined
			// to their items until the cap: ordered by the id itself, the planner walks the
			// primary key backwards and tests each text's tsvector (decompressing it: 5-30 µs
			// a text, ~1,800 texts for 200 matches of a word one text in eight holds), which
			// it takes for cheap. id + 0 is an order no index gives, so the matches are read
			// through the GIN index and sorted, and the subquery's order is the outer one, so
			// the join stops at the cap. The ranges, and the kind's tag, are conditions of
			// their own: the GIN scan takes each as a key and skips, in each, what another
			// excludes (ANDed into the match, a kind's tag cost a search at 264,110 texts
			// 3.0–3.3 ms of the server's CPU in the index, apart 1.7–2.3 ms).
			within := ""
			if ranges != "" {
				var ph string
				args, ph = bind(args, ranges)
				within = ` AND ` + pgTerms + ` @@ ` + ph + `::tsquery`
			}
			if kind != "" {
				var ph string
				args, ph = bind(args, quote(Postgres, "k_"+string(kind)))
				within += ` AND ` + pgTerms + ` @@ ` + ph + `::tsquery`
			}
			from = `(SELECT id + 0 AS o, id, item_id, title_terms FROM search_docs WHERE ` + pgTerms +
				` @@ $1::tsquery` + within + ` ORDER BY o DESC OFFSET 0) d`
			cond, order = `TRUE`, `d.o DESC`
		}
		from += ` JOIN items i ON i.id = d.item_id`
		where := cond + " AND " + vis
		if kind != "" {
			var ph string
			args, ph = bind(args, string(kind))
			where += " AND i.kind = " + ph
		}
		return `SELECT d.id, i.kind, i.key, i.starts, d.title_terms FROM ` + from + ` WHERE ` + where +
			` ORDER BY ` + order + fmt.Sprintf(` LIMIT %d`, db.searchLimit()+1), args
	}
	if db.dialect == SQLite {
		q, args := statement("")
		rows, err := db.query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		return scanCandidates(rows)
	}
	// Never by reading the whole table: the planner takes @@ for cheap, but each row's
	// tsvector is decompressed to test it (half a second for 3,000 texts on this machine
	// under load, against 20 ms through the index), so sequential scans are off for these
	// statements. And planned once per connection, not for each query's values: the plan is
	// the same whatever they are (the GIN index, the sort, the join until the cap), and
	// planning each statement anew was a third of the server's CPU for a search at 10,000
	// items (bench/README.md).
	tx, err := db.pg.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", markUnavailable(err))
	}
	defer tx.Rollback(ctx) // a read: nothing to commit
	// The settings and the newest id in one round trip.
	var newest int64
	b := &pgx.Batch{}
	b.Queue(`SET LOCAL enable_seqscan = off`)
	b.Queue(`SET LOCAL plan_cache_mode = force_generic_plan`)
	b.Queue(`SELECT COALESCE(MAX(id), 0) FROM search_docs`).QueryRow(func(r pgx.Row) error { return r.Scan(&newest) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("search: %w", markUnavailable(err))
	}
	// Read whole, the matches of a word most texts hold are tens of thousands at 100,000
	// items (130–220 ms): so the newest texts are read first, searchWindow texts per result
	// of the cap, then wider windows, and every text only when a window holds no more
	// visible matches than the cap. The newest matches of a window are the
	// newest of all, so the result is the one read whole gives.
	limit := db.searchLimit()
	for window := int64(searchWindow * limit); ; {
		lo, ranges := newest-window, ""
		if lo > 0 {
			ranges = searchRanges(lo, newest)
		}
		q, args := statement(ranges)
		r, err := tx.Query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("search: %w", markUnavailable(err))
		}
		out, err := scanCandidates(pgRows{r})
		if err != nil || len(out) > limit || ranges == "" {
			return out, err
		}
		// The next window holds, at this one's density of matches, the cap and half as many
		// again: each text read past the cap is a row of the heap fetched and sorted for
		// nothing (a window eight times wider read 1,291 matches of "climate research" for
		// 45 more at 10,000 items). Twice this one at least, searchGrowth times at most.
		read := newest - lo>>searchRangeBits<<searchRangeBits + 1
		grow := int64(searchGrowth)
		if len(out) > 0 {
			grow = min(max(int64(3*(limit+1)/(2*len(out)))+1, 2), searchGrowth)
		}
		window = read * grow
	}
}

// PostgreSQL's search reads the newest texts first, by ranges of ids the GIN index knows:
// pgTerms, the expression migration 0024 indexes, is a text's terms with the tag of its
// range of ids, n_{id >> searchRangeBits}. A window of the newest texts is the tsquery of its
// ranges' tags (searchRanges), a second condition on the same index, which the index scan
// intersects with the match's entries itself, skipping the rest: a common word's window
// reads a few hundred matches rather than tens of thousands, and no text's terms are
// decompressed (walking the ids and testing each text, as before, cost about 18 ms for the
// 3,200 texts of a window at 100,000 items). The expression must be written as the index's
// for the planner to use it (its 10 is searchRangeBits).
const (
	pgTerms         = `(terms || array_to_tsvector(ARRAY['n_' || (id >> 10)::text]))`
	searchRangeBits = 10
)

// searchWindow is the first window of a PostgreSQL search, in texts per result of the cap
// (3,200 texts for 200): a word one text in eight holds (the demo's and the generated sites'
// commonest) fills the cap in it. searchGrowth is how much wider a next window is at most.
const (
	searchWindow = 16
	searchGrowth = 16
)

// searchRanges is the tsquery of the range tags (pgTerms) of the ids from lo to hi: whole
// ranges, so from lo's range start.
func searchRanges(lo, hi int64) string {
	var b strings.Builder
	for r := lo >> searchRangeBits; r <= hi>>searchRangeBits; r++ {
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		b.WriteString("'n_" + strconv.FormatInt(r, 10) + "'")
	}
	return b.String()
}

// scanCandidates reads searchCandidates' rows, and closes them.
func scanCandidates(rows rowSet) ([]searchCandidate, error) {
	defer rows.Close()
	var out []searchCandidate
	for rows.Next() {
		var c searchCandidate
		var k string
		var starts sql.NullString
		if err := rows.Scan(&c.id, &k, &c.key, &starts, &c.title); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		c.kind, c.starts = alliance.Kind(k), starts.String
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// padded is n rounded up to a power of two (from 16): the number of placeholders of a list,
// so that statements of lists come in a few shapes, each prepared and cached once.
func padded(n int) int {
	p := 16
	for p < n {
		p *= 2
	}
	return p
}

// group is the match of one query word: any of its terms.
func group(dialect string, terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = quote(dialect, t)
	}
	if dialect == Postgres {
		return "(" + strings.Join(q, " | ") + ")"
	}
	return "(" + strings.Join(q, " OR ") + ")"
}

// quote is a term as a literal of the match syntax: FTS5's "…" or tsquery's '…'. Terms are
// letters and digits (and the tags' underscore), so there is nothing to escape; the doubling is
// there all the same.
func quote(dialect, term string) string {
	if dialect == Postgres {
		return "'" + strings.ReplaceAll(term, "'", "''") + "'"
	}
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}

// typoCandidates returns, for each term, the indexed terms one edit away from it (itself
// excepted): those of which it is a deletion (a letter missing from the query), those sharing a
// deletion with it (a letter replaced), and its own deletions that are terms (a letter too
// many). One query for all of a search's terms.
func (db *DB) typoCandidates(ctx context.Context, terms []string) (map[string][]string, error) {
	out := map[string][]string{}
	var keys []string
	dels := map[string][]string{} // a key → the query terms it stands for
	for _, t := range terms {
		if utf8.RuneCountInString(t) < search.TypoMin {
			continue
		}
		for _, k := range append([]string{t}, search.Deletions(t)...) {
			if !slices.Contains(dels[k], t) {
				dels[k] = append(dels[k], t)
			}
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return out, nil
	}
	for n := padded(len(keys)); len(keys) < n; {
		keys = append(keys, keys[len(keys)-1])
	}
	in, args := placeholders(nil, keys)
	rows, err := db.query(ctx, `SELECT del, term FROM search_typos WHERE del IN (`+in+`)
		UNION ALL SELECT term, term FROM search_vocab WHERE term IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search typos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var del, term string
		if err := rows.Scan(&del, &term); err != nil {
			return nil, fmt.Errorf("search typos: %w", err)
		}
		for _, t := range dels[del] {
			if term != t && !slices.Contains(out[t], term) {
				// A vocabulary row (del = term) is a candidate only as a deletion of t.
				out[t] = append(out[t], term)
			}
		}
	}
	return out, rows.Err()
}

// indexSearch writes the search documents of the item it, just written with all its texts:
// in the transaction of the write, so the index never disagrees with the content.
func (tx *Tx) indexSearch(ctx context.Context, it *alliance.Item) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM search_docs WHERE item_id = $1`, it.ID); err != nil {
		return fmt.Errorf("search index %s %s: %w", it.Kind, it.Key, markUnavailable(err))
	}
	if !slices.Contains(SearchKinds, it.Kind) {
		return nil
	}
	insert := `INSERT INTO search_docs (item_id, lang, title_terms, snippet) VALUES ($1, $2, $3, $4) RETURNING id`
	if tx.db.dialect == Postgres {
		insert = `INSERT INTO search_docs (item_id, lang, title_terms, snippet, terms)
			VALUES ($1, $2, $3, $4, array_to_tsvector(string_to_array($5, ' '))) RETURNING id`
	}
	for _, t := range it.Texts {
		terms := []string{"l_" + t.Lang, "k_" + string(it.Kind)}
		if t.Lang == it.SourceLang {
			for _, l := range search.Languages {
				if it.Text(l) == nil {
					terms = append(terms, "f_"+l+"_"+t.Lang)
				}
			}
		}
		seen := map[string]bool{}
		var title []string
		add := func(text string, inTitle bool) error {
			for _, w := range search.Words(text) {
				vs, err := tx.variants(ctx, t.Lang, w)
				if err != nil {
					return err
				}
				for _, v := range vs {
					if inTitle && !slices.Contains(title, v) {
						title = append(title, v)
					}
					if seen[v] {
						continue
					}
					seen[v] = true
					terms = append(terms, v)
				}
			}
			return nil
		}
		if err := add(t.Title, true); err != nil {
			return err
		}
		if err := add(t.Summary, false); err != nil {
			return err
		}
		body := plainText(t.HTML)
		if err := add(body, false); err != nil {
			return err
		}
		snippet := t.Summary
		if strings.TrimSpace(snippet) == "" {
			snippet = body
		}
		args := []any{it.ID, t.Lang, " " + strings.Join(title, " ") + " ", cut(snippet, snippetRunes)}
		if tx.db.dialect == Postgres {
			args = append(args, strings.Join(terms, " "))
		}
		var id int64
		if err := tx.tx.QueryRowContext(ctx, insert, args...).Scan(&id); err != nil {
			return fmt.Errorf("search index %s %s (%s): %w", it.Kind, it.Key, t.Lang, markUnavailable(err))
		}
		tx.ginPending = tx.db.dialect == Postgres
		if tx.db.dialect == SQLite {
			// Written when the transaction ends (flushSearch): see ftsPending.
			tx.fts = append(tx.fts, ftsDoc{id, strings.Join(terms, " ")})
			tx.ftsBytes += len(tx.fts[len(tx.fts)-1].terms)
			if tx.ftsBytes >= ftsFlushBytes {
				return tx.flushSearch(ctx)
			}
		}
	}
	return nil
}

// variants is search.Variants, remembered for the transaction: an import's texts repeat the
// same few thousand words of each language, and stemming was half of indexing them. A word's
// terms go to the vocabulary (addVocabulary) when the transaction first analyzes it, rather
// than at each of its occurrences.
func (tx *Tx) variants(ctx context.Context, lang, word string) ([]string, error) {
	byWord := tx.analyzed[lang]
	if v, ok := byWord[word]; ok {
		return v, nil
	}
	if tx.analyzed == nil || tx.nAnalyzed > 1<<18 { // bounded, whatever the transaction
		tx.analyzed, tx.nAnalyzed = make(map[string]map[string][]string), 0
		byWord = nil
	}
	if byWord == nil {
		byWord = make(map[string][]string)
		tx.analyzed[lang] = byWord
	}
	v := search.Variants(lang, word)
	byWord[word] = v
	tx.nAnalyzed++
	for _, t := range v {
		if err := tx.addVocabulary(ctx, t); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// addVocabulary records a term long enough for typos, with its deletions: the term is
// queued for flushSearch unless this transaction queued it already or the database is known to
// hold it (DB.vocab: terms seen committed). An import's texts repeat the same words; a
// statement per term and batch, as before, was most of the import's statements.
func (tx *Tx) addVocabulary(ctx context.Context, term string) error {
	if utf8.RuneCountInString(term) < search.TypoMin || tx.vocab[term] || tx.db.vocab.has(term) {
		return nil
	}
	if tx.vocab == nil {
		tx.vocab = map[string]bool{}
	}
	tx.vocab[term] = true
	tx.newTerms = append(tx.newTerms, term)
	if len(tx.newTerms) >= vocabFlushTerms {
		return tx.flushVocabulary(ctx)
	}
	return nil
}

// Flush sizes: a statement per this many queued terms, or texts' terms of this many bytes
// (FTS5), whichever the transaction reaches first; bounded so a long transaction (a migration
// reindexing every item) holds little. The queued terms are copied twice on the way (JSON, then
// SQLite's copy of the argument): with 4 MB the import of 3,154 items peaked at 178 MiB against
// 111 before the queue; with 1 MB, 116 MiB, for the same CPU.
const (
	vocabFlushTerms = 4096
	ftsFlushBytes   = 1 << 20
)

// ftsDoc is a search document's terms, queued for search_fts (SQLite).
//
// FTS5 writes its pending terms to a new segment of the index at the start of every
// statement of the transaction that opens a statement journal (most writes: an upsert, a
// delete with a trigger), so a text written straight into search_fts was a segment of its
// own, and FTS5 spent a sixth of an import merging them. Queued and written in a few
// statements at the end of the transaction, a thousand items make one or a few segments.
type ftsDoc struct {
	id    int64
	terms string
}

// flushSearch writes what the transaction queued for the search index: the vocabulary's new
// terms, and on SQLite the FTS5 terms of the documents written. Update calls it before it
// commits; anything writing search documents outside Update must call it before committing.
func (tx *Tx) flushSearch(ctx context.Context) error {
	if err := tx.flushVocabulary(ctx); err != nil {
		return err
	}
	if tx.ginPending {
		// The GIN indexes of search_docs take new entries in their pending list (migration
		// 0019: fastupdate), merged into the index here, in bulk, before the commit: a search
		// never finds a pending list to read whole (one no vacuum merged held megabytes on a
		// server without autovacuum), and the write costs a fifth of entering each text's few
		// hundred terms into the index one by one (3,154 items: 41 s of the server's CPU for
		// search_docs' inserts, 7 s). Only the index's owner may merge: for another role the
		// pending list is merged when it outgrows gin_pending_list_limit.
		if _, err := tx.tx.ExecContext(ctx, `SELECT gin_clean_pending_list(i.indexrelid)
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
			WHERE i.indrelid = 'search_docs'::regclass AND a.amname = 'gin' AND pg_has_role(c.relowner, 'USAGE')`); err != nil {
			return fmt.Errorf("search index: %w", markUnavailable(err))
		}
		tx.ginPending = false
	}
	if len(tx.fts) == 0 {
		return nil
	}
	// A document deleted since it was queued (its item saved again or deleted in the same
	// transaction) is not written: search_docs' ids are never reused (AUTOINCREMENT), and
	// the join skips it.
	docs := make([][2]any, len(tx.fts))
	for i, d := range tx.fts {
		docs[i] = [2]any{d.id, d.terms}
	}
	arg, err := json.Marshal(docs)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, terms)
		SELECT d.id, j.value ->> 1 FROM json_each($1) j JOIN search_docs d ON d.id = j.value ->> 0
		ORDER BY d.id`, string(arg)); err != nil {
		return fmt.Errorf("search index: %w", markUnavailable(err))
	}
	tx.fts, tx.ftsBytes = tx.fts[:0], 0
	return nil
}

// flushVocabulary inserts the queued terms, and the deletions of those the database did not
// hold yet: two statements, whatever their number.
func (tx *Tx) flushVocabulary(ctx context.Context) error {
	if len(tx.newTerms) == 0 {
		return nil
	}
	var added []string
	err := func() error {
		q := `INSERT INTO search_vocab (term) SELECT value FROM json_each($1) WHERE true
			ON CONFLICT DO NOTHING RETURNING term`
		arg := any(nil)
		if tx.db.dialect == Postgres {
			q = `INSERT INTO search_vocab (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING term`
			arg = tx.newTerms
		} else {
			b, err := json.Marshal(tx.newTerms)
			if err != nil {
				return err
			}
			arg = string(b)
		}
		rows, err := tx.tx.QueryContext(ctx, q, arg)
		if err != nil {
			return markUnavailable(err)
		}
		defer rows.Close()
		for rows.Next() {
			var t string
			if err := rows.Scan(&t); err != nil {
				return err
			}
			added = append(added, t)
		}
		return rows.Err()
	}()
	if err != nil {
		return fmt.Errorf("search vocabulary: %w", err)
	}
	tx.newTerms = tx.newTerms[:0]
	if len(added) == 0 {
		return nil
	}
	var dels, terms []string // PostgreSQL: two arrays; SQLite: pairs (del, term)
	var pairs [][2]string
	for _, t := range added {
		for _, d := range search.Deletions(t) {
			if tx.db.dialect == Postgres {
				dels, terms = append(dels, d), append(terms, t)
			} else {
				pairs = append(pairs, [2]string{d, t})
			}
		}
	}
	var args []any
	q := `INSERT INTO search_typos (del, term) SELECT value ->> 0, value ->> 1 FROM json_each($1)
		WHERE true ON CONFLICT DO NOTHING`
	if tx.db.dialect == Postgres {
		q = `INSERT INTO search_typos (del, term) SELECT unnest($1::text[]), unnest($2::text[]) ON CONFLICT DO NOTHING`
		args = []any{dels, terms}
	} else {
		b, err := json.Marshal(pairs)
		if err != nil {
			return fmt.Errorf("search vocabulary: %w", err)
		}
		args = []any{string(b)}
	}
	if _, err := tx.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("search vocabulary: %w", markUnavailable(err))
	}
	return nil
}

// vocabCache is the search vocabulary's terms known to be stored: those of transactions
// that committed (terms are never removed from search_vocab, so a term once committed stays
// known). Filled only after a commit, so that a rolled back transaction cannot leave it
// claiming a term the database does not hold. Bounded: emptied when full, which costs only
// statements that change nothing.
type vocabCache struct {
	mu    sync.RWMutex
	terms map[string]struct{}
}

const vocabCacheMax = 1 << 20

func (c *vocabCache) has(term string) bool {
	c.mu.RLock()
	_, ok := c.terms[term]
	c.mu.RUnlock()
	return ok
}

// add records the terms of a committed transaction.
func (c *vocabCache) add(terms map[string]bool) {
	if len(terms) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.terms == nil || len(c.terms)+len(terms) > vocabCacheMax {
		c.terms = make(map[string]struct{}, len(terms))
	}
	for t := range terms {
		c.terms[t] = struct{}{}
	}
}

// plainText is the text of sanitized HTML (a text's rendered body): its tags dropped, its
// entities decoded, its blocks separated by spaces.
func plainText(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	in := false
	for i := 0; i < len(h); i++ {
		switch c := h[i]; {
		case c == '<':
			in = true
		case c == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteByte(c)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// cut shortens s to at most n runes, at a space, with an ellipsis when it cut.
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n]
	if i := strings.LastIndexByte(string(rs), ' '); i > 0 {
		return string(rs)[:i] + "…"
	}
	return string(rs) + "…"
}

// reindexSearch writes the search documents of every item: after migration 0016, for the
// items stored before it.
func (tx *Tx) reindexSearch(ctx context.Context) error {
	items, err := tx.db.queryItems(ctx, load{body: true, tx: tx.tx}, "SELECT i.* FROM items i")
	if err != nil {
		return fmt.Errorf("search reindex: %w", err)
	}
	md := tx.db.renderer()
	for _, it := range items {
		for i := range it.Texts {
			if it.Texts[i].HTML == "" {
				h, err := md.Render(it.Texts[i].Body)
				if err == nil {
					it.Texts[i].HTML = string(h)
				}
			}
		}
		if err := tx.indexSearch(ctx, it); err != nil {
			return err
		}
	}
	return tx.flushSearch(ctx)
}
