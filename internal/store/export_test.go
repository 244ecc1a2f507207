package store

import "context"

// MigrateTo applies the migrations numbered up to last: a database as an older release left it.
func (db *DB) MigrateTo(ctx context.Context, last int) error { return db.migrate(ctx, last) }

// Exec runs a statement on the write connection, for writing what an older release wrote.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}
