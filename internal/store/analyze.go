package store

import (
	"context"
	"fmt"
)

// Analyze refreshes PostgreSQL's statistics of the content tables; on SQLite it does nothing
// (its planner runs without statistics, which the queries are written for). An import calls it
// as the tables grow: without statistics, or with those of a much smaller table, PostgreSQL read
// an item by kind and key with a scan of the whole table instead of its unique index, and an
// import of 100,000 items into a server without autovacuum slowed to 15 items a second.
func (db *DB) Analyze(ctx context.Context) error {
	if db.dialect != Postgres {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE items, texts, facets, revisions`); err != nil {
		return fmt.Errorf("analyze: %w", markUnavailable(err))
	}
	return nil
}
