package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store/storetest"
	"github.com/alliance-platform/alliance/internal/web"
)

// BenchmarkJunkURLs asks for six clean pages, which the page cache keeps, then sends, per
// iteration, 20,000 distinct URLs with random 7 KB query strings
// (just under the 8 KiB limit) to the cached site's pages, 4 at a time, then 200 with 600 KB
// ones (refused with 414), and reports the page cache's pages and bytes and the process's
// resident memory: peak (VmHWM) and at the end (VmRSS). Run it alone, once:
//
//	go test -run '^$' -bench BenchmarkJunkURLs -benchtime 1x ./cmd/alliance
func BenchmarkJunkURLs(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			m := startSiteOn(b, storetest.NewURL(b, d), true)
			h := m.server.Handler
			story := itemPath(firstItemB(m, alliance.KindStory), "en", "news")
			pages := []string{"/en/", "/en/news/", "/en/news/?page=2", "/de/news/?category=research", story, "/en/learn/?kind=bip"}
			const junkURLs, hugeURLs = 20000, 200
			for _, p := range pages {
				serveBench(b, h, p, http.StatusOK) // the clean pages, kept in the cache
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				var wg sync.WaitGroup
				for w := range 4 {
					wg.Go(func() {
						rng := rand.New(rand.NewPCG(uint64(w), 7))
						junk := make([]byte, 7<<10)
						for i := w; i < junkURLs; i += 4 {
							for j := range junk {
								junk[j] = "abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)]
							}
							p := pages[i%len(pages)]
							sep := "?"
							if strings.Contains(p, "?") {
								sep = "&"
							}
							serveBench(b, h, p+sep+"j"+strconv.Itoa(i)+"="+string(junk), http.StatusOK)
						}
					})
				}
				wg.Wait()
				huge := "/en/news/?x=" + strings.Repeat("y", 600<<10)
				for i := range hugeURLs {
					serveBench(b, h, huge+strconv.Itoa(i), http.StatusRequestURITooLong)
				}
			}
			b.StopTimer()
			n, bytes := h.(*web.Server).CacheSize()
			b.ReportMetric(float64(n), "cached-pages")
			b.ReportMetric(float64(bytes)/(1<<20), "cached-MB")
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-MB")
			if hwm, rss, err := residentMemory(); err == nil {
				b.ReportMetric(hwm/(1<<20), "peak-RSS-MB")
				b.ReportMetric(rss/(1<<20), "RSS-MB")
			}
			if n != len(pages) {
				b.Errorf("the cache holds %d pages; %d clean pages were asked for", n, len(pages))
			}
		})
	}
}

func serveBench(b *testing.B, h http.Handler, target string, want int) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Errorf("GET %.60s… = %d, want %d", target, rec.Code, want)
	}
}

// residentMemory reads the process's peak and current resident memory, in bytes, on Linux.
func residentMemory() (peak, now float64, err error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb float64
		if name, val, ok := strings.Cut(sc.Text(), ":"); ok && (name == "VmHWM" || name == "VmRSS") {
			if _, err := fmt.Sscanf(strings.TrimSpace(val), "%g kB", &kb); err != nil {
				return 0, 0, err
			}
			if name == "VmHWM" {
				peak = kb * 1024
			} else {
				now = kb * 1024
			}
		}
	}
	return peak, now, sc.Err()
}
