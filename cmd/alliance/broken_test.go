package main

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// lockedBuffer is a log's buffer written by the server and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// An item whose stored fields no longer decode into its kind's type is a logged 500, on its own
// page and on the pages that show it as a card, never a page with the item half shown.
func TestBrokenItemIsALogged500(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.db")
	var logs lockedBuffer
	cfg := &alliance.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: path, Demo: true,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return testNow }}
	m := NewMain(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	// The newest story: on the listing's first page too.
	newest, err := m.DB.List(context.Background(), store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 1})
	if err != nil || len(newest) == 0 {
		t.Fatal(err)
	}
	st := newest[0]
	page := itemPath(st, "en", "news")
	if r := get(t, m, page); r.status != http.StatusOK {
		t.Fatalf("GET %s = %d before the damage", page, r.status)
	}
	// Damage the story's row behind the store's back: a category must be a string.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE items SET shared = '{"category": 5}' WHERE kind = 'story' AND key = ?`, st.Key); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{page, "/en/news/"} {
		r := get(t, m, p)
		if r.status != http.StatusInternalServerError {
			t.Errorf("GET %s of a broken story = %d, want 500", p, r.status)
		}
		if strings.Contains(r.body, "<article") {
			t.Errorf("GET %s shows half a page", p)
		}
	}
	if l := logs.String(); !strings.Contains(l, "request failed") || !strings.Contains(l, st.Key) {
		t.Errorf("the failure is not logged with the item's key:\n%s", l)
	}
}
