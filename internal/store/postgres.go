package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/alliance-platform/alliance"
)

// openPostgres opens a pool on a PostgreSQL database. Several instances may share it: each
// commit notifies the others (see listen), and migrations take an advisory lock.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// Without a timeout a request would hang on an unreachable server instead of answering 503.
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgxpool's default is the number of CPUs, too few when statements wait on the network.
		cfg.MaxConns = int32(max(8, 4*runtime.NumCPU()))
	}
	// Recycled now and then, so that a pool follows a failover or a changed server setting.
	cfg.MaxConnLifetime = 30 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	// Reads use pgx directly: through database/sql, every value of every row is converted to a
	// driver.Value and then again to its destination, and each statement passes database/sql's
	// locks — a third of what a page cost us beside PostgreSQL's own work. Transactions and
	// migrations, rare and shared with SQLite, go through database/sql on the same connections.
	sqlDB := stdlib.OpenDBFromPool(pool)
	db := &DB{read: sqlDB, write: sqlDB, pg: pool, dialect: Postgres, path: redact(dsn), dsn: dsn, stop: make(chan struct{})}
	if err := pool.Ping(ctx); err != nil {
		db.closePools()
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	return db, nil
}

// redact hides the password of a database URL, for logs and errors.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn, "://"); j > 0 && j < i {
			if k := strings.Index(dsn[j+3:i], ":"); k >= 0 {
				return dsn[:j+3+k] + ":…" + dsn[i:]
			}
		}
	}
	return dsn
}

// notifyChannel is the SQL naming the channel a commit notifies: one per schema, so that sites
// sharing a database in schemas of their own hear only their own changes.
const notifyChannel = `current_schema() || '.alliance_content'`

// listen holds a connection that LISTENs for the notification every commit sends (see Update),
// and raises the version to the one notified, until Close. When the connection breaks (the
// server restarts), it reconnects every second, and reads the version again once it listens,
// as notifications sent meanwhile are lost.
func (db *DB) listen(interval time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-db.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	retry := min(interval, time.Second)
	for ctx.Err() == nil {
		err := db.listenOnce(ctx)
		db.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		_ = err // the server is away; polling covers the gap and the next attempt reconnects
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}

func (db *DB) listenOnce(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var channel string
	if err := conn.QueryRow(ctx, `SELECT `+notifyChannel).Scan(&channel); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	if err := db.loadVersion(ctx); err != nil {
		return err
	}
	db.listening.Store(true)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if v, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
			db.raiseVersion(v)
		}
	}
}

// Listening reports whether this DB currently receives other instances' change notifications
// (always false on SQLite, where WatchVersion polls).
func (db *DB) Listening() bool { return db.listening.Load() }

// Unavailable reports whether err means that the database cannot be reached right now (it is
// restarting, the network is down, the connection was cut), as opposed to a bad query or
// missing data: the visitor should be told to come back shortly (503), not that the site broke.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, alliance.ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08: connection exception; 57P01-03: the server is shutting down or starting;
		// 53300: too many connections.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || pe.Code == "53300"
	}
	var ne net.Error
	return errors.As(err, &ne)
}
