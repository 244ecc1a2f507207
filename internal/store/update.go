package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/alliance-platform/alliance"
)

// Tx is a write transaction. Everything saved through one Tx is committed together or not at all.
type Tx struct {
	tx  *stmtTx
	db  *DB
	now time.Time
	// pending holds the references Save could not resolve yet, checked when fn returns.
	pending []pendingRef
	// siteSettings is the site as the transaction read it, for validation.
	siteSettings *alliance.Site
	// vocab holds the search terms this transaction added to the typo vocabulary (search.go);
	// newTerms those of them not written yet, fts the documents' FTS5 terms not written yet
	// (flushSearch).
	vocab    map[string]bool
	newTerms []string
	fts      []ftsDoc
	ftsBytes int
	// ginPending says this transaction wrote search documents on PostgreSQL (flushSearch).
	ginPending bool
	// analyzed remembers the analyzer's terms of the words this transaction indexed, by
	// language and word; nAnalyzed counts them.
	analyzed  map[string]map[string][]string
	nAnalyzed int
}

// Update runs fn in a write transaction and commits it when fn returns nil. A commit changes
// the content version, so that every cache sees the change on its next request.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", markUnavailable(err))
	}
	tx := &Tx{tx: &stmtTx{Tx: sqlTx}, db: db, now: db.now()}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.checkPending(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.flushSearch(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.rebuildOutlines(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	var v int64
	if err := sqlTx.QueryRowContext(ctx, `UPDATE site SET version = version + 1 WHERE id = 1 RETURNING version`).Scan(&v); err != nil {
		sqlTx.Rollback()
		return fmt.Errorf("bump content version: %w", err)
	}
	if db.dialect == Postgres {
		// Delivered to every listening instance when, and only if, the transaction commits.
		if _, err := sqlTx.ExecContext(ctx, `SELECT pg_notify(`+notifyChannel+`, $1)`, strconv.FormatInt(v, 10)); err != nil {
			sqlTx.Rollback()
			return fmt.Errorf("notify content change: %w", err)
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", markUnavailable(err))
	}
	db.raiseVersion(v)
	db.vocab.add(tx.vocab)
	return nil
}

// SaveSite replaces the site's settings.
func (tx *Tx) SaveSite(ctx context.Context, s *alliance.Site) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("save site: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE site SET data = $1 WHERE id = 1`, string(data)); err != nil {
		return fmt.Errorf("save site: %w", err)
	}
	tx.siteSettings = nil
	return nil
}

// saveItem inserts or updates the rows of the item with it.Kind and it.Key, as they are: its
// shared fields, its derived columns and facets, its revision number, and the texts it carries.
// Texts in other languages already stored are kept. It validates nothing: outside the store,
// items are written through Save, which validates and derives what saveItem writes.
//
// expect, when not anyRevision, is the revision the stored row must be at (0: there must be
// none): the row is written only then, else saveItem returns errChanged. Save reads the stored
// revision first, but on PostgreSQL another transaction may commit between that read and
// this write; the condition is checked on the row as it is when written.
func (tx *Tx) saveItem(ctx context.Context, it *alliance.Item, updated time.Time, expect int) error {
	spanToEnd, spanToDeadline := spansOf(it)
	err := tx.tx.QueryRowContext(ctx, `
		INSERT INTO items (kind, key, source_lang, shared, starts, ends, opens, closes, position, parent, updated, draft, publish_at, unpublish_at, revision, image, titles, langs, ends_span, closes_span)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $18, $19, $20, $21)
		ON CONFLICT (kind, key) DO UPDATE SET
			source_lang = excluded.source_lang, shared = excluded.shared,
			starts = excluded.starts, ends = excluded.ends, opens = excluded.opens, closes = excluded.closes,
			position = excluded.position, parent = excluded.parent, updated = excluded.updated,
			draft = excluded.draft, publish_at = excluded.publish_at, unpublish_at = excluded.unpublish_at,
			revision = excluded.revision, image = excluded.image, titles = excluded.titles, langs = excluded.langs,
			ends_span = excluded.ends_span, closes_span = excluded.closes_span
		WHERE $17 < 0 OR items.revision = $17
		RETURNING id`,
		string(it.Kind), it.Key, it.SourceLang, string(it.Shared),
		nullTime(it.Starts), nullTime(it.Ends), nullTime(it.Opens), nullTime(it.Closes),
		it.Position, it.Parent, formatTime(updated), draftFlag(it.Draft), nullTime(it.PublishAt), nullTime(it.UnpublishAt), it.Revision, it.Image, expect,
		editTitles(it.Texts), editLangs(it.Texts), spanToEnd, spanToDeadline).Scan(&it.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return errChanged
	}
	if err != nil {
		return fmt.Errorf("save %s %s: %w", it.Kind, it.Key, err)
	}
	for _, t := range it.Texts {
		fields := string(t.Fields)
		if fields == "" {
			fields = "{}"
		}
		_, err := tx.tx.ExecContext(ctx, `
			INSERT INTO texts (item_id, kind, lang, slug, title, summary, body, html, fields)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (item_id, lang) DO UPDATE SET
				slug = excluded.slug, title = excluded.title, summary = excluded.summary,
				body = excluded.body, html = excluded.html, fields = excluded.fields`,
			it.ID, string(it.Kind), t.Lang, t.Slug, t.Title, t.Summary, t.Body, t.HTML, fields)
		if err != nil {
			return fmt.Errorf("save %s %s (%s): %w", it.Kind, it.Key, t.Lang, err)
		}
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM facets WHERE item_id = $1`, it.ID); err != nil {
		return fmt.Errorf("save %s %s facets: %w", it.Kind, it.Key, err)
	}
	seen := map[alliance.Facet]bool{}
	for _, f := range it.Facets {
		if seen[f] || f.Value == "" {
			continue
		}
		seen[f] = true
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO facets (item_id, name, value, kind, starts, draft, publish_at, unpublish_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			it.ID, f.Name, f.Value, string(it.Kind), nullTime(it.Starts), draftFlag(it.Draft), nullTime(it.PublishAt), nullTime(it.UnpublishAt)); err != nil {
			return fmt.Errorf("save %s %s facets: %w", it.Kind, it.Key, err)
		}
	}
	if err := tx.indexTitleWords(ctx, it); err != nil {
		return err
	}
	return tx.indexSearch(ctx, it)
}

// anyRevision is saveItem's expect for a write whatever the stored revision.
const anyRevision = -1

// errChanged is saveItem's refusal of a row whose revision is not the expected one.
var errChanged = errors.New("changed meanwhile")

// draftFlag is the draft column's value: an integer on both databases.
func draftFlag(draft bool) int {
	if draft {
		return 1
	}
	return 0
}

// stmtTx is a transaction whose statements are prepared once each: an import runs the same
// few statements for every item, and parsing them again each time cost a fifth of it.
// Statements prepared on a transaction are closed when it ends.
type stmtTx struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
}

func (t *stmtTx) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	st, err := t.Tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *stmtTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *stmtTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (t *stmtTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := t.prepared(ctx, q)
	if err != nil {
		return t.Tx.QueryRowContext(ctx, q, args...) // its Scan reports the error
	}
	return st.QueryRowContext(ctx, args...)
}
