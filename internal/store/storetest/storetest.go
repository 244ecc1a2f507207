// Package storetest gives tests real, fresh databases of every dialect the store speaks, so that
// one test suite runs against each: always an SQLite file in the test's temporary folder, and a
// new PostgreSQL schema (dropped afterwards) whenever ALLIANCE_TEST_DATABASE_URL names a server.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/alliance-platform/alliance/internal/store"
)

// EnvURL is the variable naming the PostgreSQL server tests may use, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvURL = "ALLIANCE_TEST_DATABASE_URL"

// Dialects returns the dialects to test: SQLite, and PostgreSQL when EnvURL is set.
func Dialects() []string {
	if os.Getenv(EnvURL) != "" {
		return []string{store.SQLite, store.Postgres}
	}
	return []string{store.SQLite}
}

// Run runs fn once per dialect, as subtests named after them, each with the URL of a new, empty
// database.
func Run(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, NewURL(t, d)) })
	}
}

// EachDialect runs fn once per dialect, as subtests named after them, for tests that open
// several databases with New.
func EachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// NewURL returns the URL of a new, empty database of dialect, removed when the test ends.
func NewURL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == store.SQLite {
		return filepath.Join(t.TempDir(), "alliance.db")
	}
	admin := os.Getenv(EnvURL)
	if admin == "" {
		t.Fatalf("a PostgreSQL test needs %s", EnvURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvURL, err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		// Connections a failed test left open would hold locks the drop waits for.
		conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, schema)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	q := u.Query()
	// Every connection of this test works in its schema, and names itself after it so that a
	// test can cut exactly its own connections.
	q.Set("search_path", schema)
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates the database at dbURL, closed when the test ends.
func Open(t testing.TB, dbURL string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// New opens a new, empty, migrated database of dialect.
func New(t testing.TB, dialect string) *store.DB {
	t.Helper()
	return Open(t, NewURL(t, dialect))
}
