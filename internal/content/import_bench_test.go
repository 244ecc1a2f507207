package content_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/generate"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// BenchmarkImport imports a generated site into a new database per iteration, per dialect:
// the folder of ALLIANCE_BENCH_DIR, else the demo plus 1,000 generated items (seed 7). It
// reports this process's CPU per import (cpu-s/op), which the machine's load changes less than
// the time; on PostgreSQL the server's share is not in it. With -cpuprofile, where an import's
// time goes:
//
//	ALLIANCE_BENCH_DIR=DIR go test -run '^$' -bench Import -benchtime 1x -cpuprofile cpu.prof ./internal/content/
func BenchmarkImport(b *testing.B) {
	dir := os.Getenv("ALLIANCE_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "site")
		if _, err := generate.Site(dir, demo.Content(), generate.Options{Items: 1000, Seed: 7}); err != nil {
			b.Fatalf("generate: %v", err)
		}
	}
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			var cpu time.Duration
			for range b.N {
				b.StopTimer()
				db := storetest.New(b, d)
				before := cpuTime()
				b.StartTimer()
				if _, _, err := content.ImportDir(ctx, db, dir, content.Options{}); err != nil {
					b.Fatalf("import: %v", err)
				}
				b.StopTimer()
				cpu += cpuTime() - before
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// cpuTime is this process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
