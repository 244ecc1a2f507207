package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// discoverySite is the demo plus n generated items (ALLIANCE_BENCH_ITEMS, default 1000) in a
// new database of dialect, served without the page cache: what feeds and sitemaps cost when
// rendered. ALLIANCE_BENCH_DIR and ALLIANCE_BENCH_{SQLITE,POSTGRES} reuse a generated folder
// and an imported database, as largeSite does.
func discoverySite(b *testing.B, dialect string) *Main {
	b.Helper()
	n, ok := benchItems(b)
	if !ok {
		n = 1000
	}
	ctx := context.Background()
	dbURL := largeSiteURL(b, dialect, n)
	m := NewMain(&alliance.Config{Addr: "127.0.0.1:0", DataDir: b.TempDir(), DatabaseURL: dbURL,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return testNow }})
	if err := m.Run(ctx); err != nil {
		b.Fatalf("start: %v", err)
	}
	b.Cleanup(func() { m.Close() })
	return m
}

// BenchmarkDiscovery renders feeds, the calendar and the sitemap (a part of it, when it is an
// index) on every request, per dialect.
func BenchmarkDiscovery(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			m := discoverySite(b, d)
			h := m.server.Handler
			paths := []string{"/en/news/feed.atom", "/en/events/feed.json", "/de/lernen/feed.atom", "/el/proskliseis/feed.json", "/fr/calendar.ics", "/sitemap.xml"}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/sitemap.xml", nil))
			if strings.Contains(rec.Body.String(), "<sitemapindex") {
				paths = append(paths, "/sitemap-2.xml")
			}
			for _, p := range paths {
				b.Run(strings.NewReplacer("/", "_").Replace(strings.Trim(p, "/")), func(b *testing.B) {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("GET %s = %d", p, rec.Code)
					}
					b.SetBytes(int64(rec.Body.Len()))
					b.ReportAllocs()
					// The process's CPU time per request, beside the wall time: on a machine
					// shared with other work the wall time grows with the load, this does not
					// (PostgreSQL's own time is not in it).
					before := cpuTime()
					for b.Loop() {
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
						if rec.Code != http.StatusOK {
							b.Fatalf("GET %s = %d", p, rec.Code)
						}
					}
					b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
				})
			}
		})
	}
}
