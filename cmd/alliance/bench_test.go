package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// benchPage renders path through the real handler, without the network, b.N times, once per
// database dialect (PostgreSQL when ALLIANCE_TEST_DATABASE_URL is set), on a new demo site; with
// ALLIANCE_BENCH_ITEMS, on the demo plus that many generated items, as BenchmarkDiscovery
// (largeSiteURL: ALLIANCE_BENCH_DIR and ALLIANCE_BENCH_{SQLITE,POSTGRES} reuse a folder and a
// database), to see whether a page stays flat as the site grows.
func benchPage(b *testing.B, pageCache bool, path func(m *Main) string) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			dbURL := storetest.NewURL(b, d)
			if n, ok := benchItems(b); ok {
				dbURL = largeSiteURL(b, d, n)
			}
			benchPageOn(b, dbURL, pageCache, path)
		})
	}
}

// benchItems is ALLIANCE_BENCH_ITEMS, the size of the generated site to measure on, if set.
func benchItems(b *testing.B) (int, bool) {
	s := os.Getenv("ALLIANCE_BENCH_ITEMS")
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		b.Fatalf("ALLIANCE_BENCH_ITEMS=%q: %v", s, err)
	}
	return n, true
}

func benchPageOn(b *testing.B, dbURL string, pageCache bool, path func(m *Main) string) {
	m := startSiteOn(b, dbURL, pageCache)
	p := path(m)
	h := m.server.Handler
	req := httptest.NewRequest("GET", p, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s = %d", p, rec.Code)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	before := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
			if rec.Code != http.StatusOK {
				b.Errorf("GET %s = %d", p, rec.Code)
			}
		}
	})
	// The process's CPU per page (SQLite's work included; PostgreSQL's server not), which a
	// machine loaded by other work inflates far less than the wall time.
	b.ReportMetric(float64((cpuTime()-before).Microseconds())/float64(b.N), "cpu-µs/op")
}

func storyPath(m *Main) string {
	it, err := m.DB.Item(bgctx, alliance.KindStory, "meridia-days-2026-recap")
	if err != nil {
		// Any story will do when the demo's annual-days story is renamed.
		it = firstItemB(m, alliance.KindStory)
	}
	return itemPath(it, "en", "news")
}

// BenchmarkStoryPage renders a story page from the database on every request (no page cache).
func BenchmarkStoryPage(b *testing.B) { benchPage(b, false, storyPath) }

// BenchmarkStoryPageCached serves a story page from the page cache.
func BenchmarkStoryPageCached(b *testing.B) { benchPage(b, true, storyPath) }

// BenchmarkFilteredListing renders the learning catalogue filtered by kind and language.
func BenchmarkFilteredListing(b *testing.B) {
	benchPage(b, false, func(*Main) string { return "/en/learn/?kind=bip&language=en" })
}

// BenchmarkFilteredNewsListing renders a news listing filtered by category.
func BenchmarkFilteredNewsListing(b *testing.B) {
	benchPage(b, false, func(*Main) string { return "/de/news/?category=research" })
}
