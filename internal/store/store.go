// Package store keeps the site's content in a SQL database: SQLite (embedded, the default) or
// PostgreSQL (several instances on one database). It owns the schema and its migrations, and every
// SQL statement of the program. Queries are written by hand with $N placeholders, which both
// dialects accept; what differs (migrations, the migration lock, change notifications) is chosen
// by the DB's dialect.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/markdown"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations
var migrations embed.FS

// The dialects the store speaks. Their names are the folders of their migrations.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the content store. On SQLite, reads go through a pool of connections and writes through a
// single connection, as SQLite allows one writer at a time and queuing them in Go is cheaper than
// retrying on SQLITE_BUSY. On PostgreSQL both are the same pool.
type DB struct {
	read    *sql.DB
	write   *sql.DB
	pg      *pgxpool.Pool // PostgreSQL: reads go through pgx itself (see openPostgres)
	dialect string        // SQLite or Postgres
	path    string        // the file, or the URL without its password: for logs
	dsn     string        // PostgreSQL: what the change listener connects to

	// stmts caches prepared read statements by their SQL: parsing SQL is a quarter of the cost
	// of a small query otherwise.
	stmts sync.Map // string → *sql.Stmt

	// md renders texts' Markdown when they are saved (see renderer).
	md     *markdown.Renderer
	mdOnce sync.Once

	// clock tells the time public reads show the site at (see SetClock); transition holds the
	// site's next change in time (see Moment).
	clock        func() time.Time
	clockText    atomic.Pointer[clockText] // the clock's last second, formatted (nowText)
	transition   atomic.Pointer[transition]
	transitionMu sync.Mutex
	// frames holds each language's parsed outline while it holds (see parsedFrame).
	frames sync.Map // lang → *parsedFrame
	// spans holds the longest span of the kinds read since the last content change (spans.go).
	spans atomic.Pointer[spans]

	searchCap int // how many matches a search ranks at most (SetSearchCap); 0: SearchCap

	// vocab is the search vocabulary's terms known stored (search.go).
	vocab vocabCache

	// version counts committed content changes; caches key on it.
	version   atomic.Int64
	listening atomic.Bool // PostgreSQL: the change listener is connected
	stop      chan struct{}
	wg        sync.WaitGroup // background watchers
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL, or an SQLite file
// path, "sqlite:PATH" or "file:PATH" (created when needed). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite://"):
		dsn = strings.TrimPrefix(dsn, "sqlite://")
	case strings.HasPrefix(dsn, "sqlite:"):
		dsn = strings.TrimPrefix(dsn, "sqlite:")
	case strings.HasPrefix(dsn, "file:"):
		dsn = strings.TrimPrefix(dsn, "file:")
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: empty path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	// WAL lets readers proceed while the writer commits; busy_timeout makes a second process
	// (alliance import while the server runs) wait instead of failing; synchronous=NORMAL is
	// durable in WAL mode except against power loss of the last commit.
	params := "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	write, err := sql.Open("sqlite", "file:"+path+params+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", "file:"+path+params+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	n := max(4, 2*runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db := &DB{read: read, write: write, dialect: SQLite, path: path, stop: make(chan struct{})}
	if err := write.PingContext(ctx); err != nil {
		db.closePools()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Path returns the database file, or its URL without the password.
func (db *DB) Path() string { return db.path }

// Close stops background work and closes the connections.
func (db *DB) Close() error {
	select {
	case <-db.stop:
	default:
		close(db.stop)
	}
	db.wg.Wait()
	return db.closePools()
}

// rowSet is what a read query returns: database/sql's rows on SQLite, pgx's on PostgreSQL.
type rowSet interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// query runs a read query through a cached prepared statement: database/sql's on SQLite,
// pgx's own statement cache on PostgreSQL.
func (db *DB) query(ctx context.Context, q string, args ...any) (rowSet, error) {
	if db.pg != nil {
		rows, err := db.pg.Query(ctx, q, args...)
		if err != nil {
			return nil, markUnavailable(err)
		}
		return pgRows{rows}, nil
	}
	st, err := db.prepared(ctx, q)
	if err != nil {
		return nil, markUnavailable(err)
	}
	rows, err := st.QueryContext(sqliteReadContext(ctx), args...)
	if err != nil {
		return nil, markUnavailable(err)
	}
	return sqlRows{rows}, nil
}

// queryRow is query for a single row.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) row {
	if db.pg != nil {
		return row{pg: db.pg.QueryRow(ctx, q, args...)}
	}
	st, err := db.prepared(ctx, q)
	if err != nil {
		// Let Scan report the error: a Row from a query that cannot be prepared.
		return row{sql: db.read.QueryRowContext(ctx, q, args...)}
	}
	return row{sql: st.QueryRowContext(sqliteReadContext(ctx), args...)}
}

// sqliteReadContext is the context an SQLite read runs under. Such a read takes microseconds
// and waits for no lock (WAL), and a cancellable context costs each statement two goroutines
// (database/sql's and the driver's, each waiting to interrupt it): a tenth of a small page's
// time. So SQLite reads run to the end even when the visitor has gone. On PostgreSQL, where a
// statement may wait on the network, the request's context still bounds it.
func sqliteReadContext(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// row is a single row whose Scan tells an unreachable database from other errors, and answers
// sql.ErrNoRows for no row on both databases.
type row struct {
	sql *sql.Row
	pg  pgx.Row
}

func (r row) Scan(dest ...any) error {
	if r.pg == nil {
		return markUnavailable(r.sql.Scan(dest...))
	}
	err := r.pg.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	return markUnavailable(err)
}

// pgRows is pgx's rows as a rowSet. pgx reports a connection lost after the query was sent
// from Next, Scan or Err, not from Query: those errors are marked too, so that every read that
// loses the database answers 503.
type pgRows struct{ pgx.Rows }

func (r pgRows) Close() error {
	r.Rows.Close()
	return nil
}

func (r pgRows) Scan(dest ...any) error { return markUnavailable(r.Rows.Scan(dest...)) }
func (r pgRows) Err() error             { return markUnavailable(r.Rows.Err()) }

// sqlRows is database/sql's rows as a rowSet, its errors marked as pgRows' are.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Scan(dest ...any) error { return markUnavailable(r.Rows.Scan(dest...)) }
func (r sqlRows) Err() error             { return markUnavailable(r.Rows.Err()) }

// markUnavailable adds alliance.ErrUnavailable to an error that means the database cannot be
// reached, so that callers answer 503 without knowing the drivers' errors.
func markUnavailable(err error) error {
	if err == nil || errors.Is(err, alliance.ErrUnavailable) || !Unavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", alliance.ErrUnavailable, err)
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
	if db.pg != nil {
		defer db.pg.Close()
	}
	db.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	if db.read == db.write {
		return db.read.Close()
	}
	return errors.Join(db.read.Close(), db.write.Close())
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return markUnavailable(db.read.PingContext(ctx)) }

// Migrate applies the embedded migrations not yet applied, all in one transaction: a failing
// migration leaves the schema as it was. The transaction first takes the dialect's lock (an
// advisory lock on PostgreSQL, the write lock on SQLite), so instances starting together on one
// database migrate once: the others wait, then find nothing left to do.
func (db *DB) Migrate(ctx context.Context) error { return db.migrate(ctx, math.MaxInt) }

// migrate applies the migrations numbered up to last (tests start from an older schema).
func (db *DB) migrate(ctx context.Context, last int) error {
	dir := "migrations/" + db.dialect
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied, newest, searchAdded, wordsAdded := 0, 0, false, false
	for _, e := range entries {
		name := e.Name()
		num, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: %s: name must start with a number", name)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, num).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		newest = max(newest, num)
		if n > 0 || num > last {
			continue
		}
		script, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			return fmt.Errorf("migrate %s/%s: %w", db.dialect, name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)`, num, formatTime(time.Now())); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		applied++
		searchAdded = searchAdded || num == 16
		wordsAdded = wordsAdded || num == 18
	}
	// A schema left before the newest migration (tests of older releases' data) cannot hold
	// the outline the code writes: it is written when the rest is applied.
	if applied > 0 && last >= newest {
		// What the store derives when it writes (the outline) may be new or have changed shape.
		if err := (&Tx{tx: &stmtTx{Tx: tx}, db: db, now: time.Now()}).rebuildOutlines(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if searchAdded { // the search index, for the items stored before it
			if err := (&Tx{tx: &stmtTx{Tx: tx}, db: db, now: time.Now()}).reindexSearch(ctx); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
		}
		if wordsAdded { // the titles' words, for the items stored before
			if err := (&Tx{tx: &stmtTx{Tx: tx}, db: db, now: time.Now()}).reindexTitleWords(ctx); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
		}
		var chunked int // migration 0007 added the image sizes to fill (tests may stop before)
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = 7`).Scan(&chunked); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if chunked > 0 {
			if err := fillMediaSizes(ctx, tx); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return db.loadVersion(ctx)
}

// migrateLock is the advisory lock key that serializes migrations on one PostgreSQL database
// (the first bytes of "alliance" as a number: any constant would do, as long as it never changes).
const migrateLock int64 = 0x616c6c69616e6365

func (db *DB) loadVersion(ctx context.Context) error {
	var v int64
	if err := db.read.QueryRowContext(ctx, `SELECT version FROM site WHERE id = 1`).Scan(&v); err != nil {
		return fmt.Errorf("read content version: %w", err)
	}
	db.raiseVersion(v)
	return nil
}

// raiseVersion moves the version to v unless it is already there or beyond: notifications and
// commits may arrive out of order, and the version never moves backwards.
func (db *DB) raiseVersion(v int64) {
	for {
		cur := db.version.Load()
		if v <= cur || db.version.CompareAndSwap(cur, v) {
			return
		}
	}
}

// Version is a number that changes whenever content changes; caches of rendered pages key on it.
// Changes made through this DB show at once; changes made by another process or instance show
// once WatchVersion has seen them.
func (db *DB) Version() int64 { return db.version.Load() }

// WatchVersion keeps the version current with writes made by other processes and instances,
// until Close. It polls the stored version every interval; on PostgreSQL it also listens for
// the notification every commit sends, so that other instances see a change within
// milliseconds, and polling only covers the moments the listening connection is down.
func (db *DB) WatchVersion(interval time.Duration) {
	db.wg.Add(1)
	go func() {
		defer db.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-db.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), interval)
				db.loadVersion(ctx) // an error (database away) is retried on the next tick
				cancel()
			}
		}
	}()
	if db.dialect == Postgres {
		db.wg.Add(1)
		go func() {
			defer db.wg.Done()
			db.listen(interval)
		}()
	}
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
