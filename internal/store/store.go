// Package store keeps the site's content in a SQL database: SQLite (embedded, the default) today,
// PostgreSQL through the same queries later. It owns the schema and its migrations, and every SQL
// statement of the program. Queries are written by hand with $N placeholders, which both dialects
// accept.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alliance-platform/alliance"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations
var migrations embed.FS

// DB is the content store. Reads go through a pool of connections; writes go through a single
// connection, as SQLite allows one writer at a time and queuing them in Go is cheaper than
// retrying on SQLITE_BUSY.
type DB struct {
	read    *sql.DB
	write   *sql.DB
	dialect string // "sqlite"
	path    string

	// stmts caches prepared read statements by their SQL: parsing SQL is a quarter of the cost
	// of a small query otherwise.
	stmts sync.Map // string → *sql.Stmt

	// version counts committed content changes seen by this process; caches key on it.
	version atomic.Int64
	stop    chan struct{}
	done    chan struct{}
}

// Open opens (creating when needed) the database named by dsn: a file path, "sqlite:PATH" or
// "file:PATH". It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return nil, fmt.Errorf("open %s: PostgreSQL is not supported yet", redact(dsn))
	case strings.HasPrefix(dsn, "sqlite://"):
		dsn = strings.TrimPrefix(dsn, "sqlite://")
	case strings.HasPrefix(dsn, "sqlite:"):
		dsn = strings.TrimPrefix(dsn, "sqlite:")
	case strings.HasPrefix(dsn, "file:"):
		dsn = strings.TrimPrefix(dsn, "file:")
	}
	if dsn == "" {
		return nil, errors.New("open database: empty path")
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	// WAL lets readers proceed while the writer commits; busy_timeout makes a second process
	// (alliance import while the server runs) wait instead of failing; synchronous=NORMAL is
	// durable in WAL mode except against power loss of the last commit.
	params := "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	write, err := sql.Open("sqlite", "file:"+dsn+params+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", "file:"+dsn+params+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	n := max(4, 2*runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db := &DB{read: read, write: write, dialect: "sqlite", path: dsn, stop: make(chan struct{}), done: make(chan struct{})}
	if err := write.PingContext(ctx); err != nil {
		db.closePools()
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	return db, nil
}

func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn, "://"); j > 0 && j < i {
			return dsn[:j+3] + "…" + dsn[i:]
		}
	}
	return dsn
}

// Path returns the database file.
func (db *DB) Path() string { return db.path }

// Close stops background work and closes the connections.
func (db *DB) Close() error {
	select {
	case <-db.stop:
	default:
		close(db.stop)
	}
	return db.closePools()
}

// query runs a read query through a cached prepared statement.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := db.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow is query for a single row.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := db.prepared(ctx, q)
	if err != nil {
		// Let Scan report the error: a Row from a query that cannot be prepared.
		return db.read.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (db *DB) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (db *DB) closePools() error {
	db.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	return errors.Join(db.read.Close(), db.write.Close())
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Migrate applies the embedded migrations not yet applied, each in its own transaction.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations/" + db.dialect
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		num, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: %s: name must start with a number", name)
		}
		var n int
		if err := db.write.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, num).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		script, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)`, num, formatTime(time.Now())); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return db.loadVersion(ctx)
}

func (db *DB) loadVersion(ctx context.Context) error {
	var v int64
	if err := db.read.QueryRowContext(ctx, `SELECT version FROM site WHERE id = 1`).Scan(&v); err != nil {
		return fmt.Errorf("read content version: %w", err)
	}
	db.version.Store(v)
	return nil
}

// Version is a number that changes whenever content changes; caches of rendered pages key on it.
// Changes made through this DB show at once; changes made by another process (alliance import
// while the server runs) show once WatchVersion has seen them.
func (db *DB) Version() int64 { return db.version.Load() }

// WatchVersion polls the stored version every interval until Close, so that writes made by other
// processes invalidate this process's caches.
func (db *DB) WatchVersion(interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-db.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), interval)
				var v int64
				if err := db.read.QueryRowContext(ctx, `SELECT version FROM site WHERE id = 1`).Scan(&v); err == nil && v > db.version.Load() {
					db.version.Store(v)
				}
				cancel()
			}
		}
	}()
}

const timeLayout = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(timeLayout, s.String)
	return t
}

// IsNotFound reports whether err means that nothing was found.
func IsNotFound(err error) bool {
	return errors.Is(err, alliance.ErrNotFound) || errors.Is(err, sql.ErrNoRows)
}
