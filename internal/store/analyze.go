package store

import (
	"context"
	"fmt"
)

// Analyze refreshes PostgreSQL's statistics of the content tables (SQLite's planner runs
// without statistics, which the queries are written for). An import calls it
// as the tables grow: without statistics, or with those of a much smaller table, PostgreSQL read
// an item by kind and key with a scan of the whole table instead of its unique index, and an
// import of 100,000 items into a server without autovacuum slowed to 15 items a second.
//
// On SQLite it merges the search index's segments into one (FTS5 'optimize'): an import writes
// it a thousand items a transaction, and each segment left is one more place every term of a
// search is looked up in.
func (db *DB) Analyze(ctx context.Context) error {
	if db.dialect != Postgres {
		if _, err := db.write.ExecContext(ctx, `INSERT INTO search_fts (search_fts) VALUES ('optimize')`); err != nil {
			return fmt.Errorf("optimize the search index: %w", markUnavailable(err))
		}
		return nil
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE items, texts, facets, revisions, search_docs`); err != nil {
		return fmt.Errorf("analyze: %w", markUnavailable(err))
	}
	return nil
}
