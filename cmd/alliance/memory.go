package main

import (
	"runtime/debug"

	"github.com/alliance-platform/alliance"
)

// uncachedHeap is the Go memory an uncached server may reach before it collects. Its live heap
// is a few megabytes (the kept outlines, the connections' buffers), so collecting in proportion
// to it, as GOGC does, runs a collection every few hundred pages; with this budget the process
// stays under the 150 MB RSS target (about 125 MB under load, SQLite's own memory included).
const uncachedHeap = 96 << 20

// collectorFor returns the garbage collector's settings for serving with cfg: the GOGC
// percentage (-1: off) and the soft memory limit in bytes (0: none); ok is false when GOGC or
// GOMEMLIMIT in the environment (read through env) choose instead.
//
// With the page cache on, the live heap is the cache (up to 256 MB) and a page allocates little:
// collecting when the heap has tripled (200) keeps the RSS in proportion to what is cached.
// With it off, every request renders a page (about 120 kB of short-lived allocations) over a
// live heap of a few megabytes: collecting only when the process's Go memory reaches
// uncachedHeap takes most of the collector's work off the requests (bench/README.md, "the
// collector of the uncached server"). A live heap above the limit (a 24-megapixel upload being
// scaled) makes the runtime collect often, at most half of the CPU, until it is freed again.
func collectorFor(cfg *alliance.Config, env func(string) (string, bool)) (percent int, limit int64, ok bool) {
	_, gogc := env("GOGC")
	_, gomemlimit := env("GOMEMLIMIT")
	switch {
	case gogc || gomemlimit:
		return 0, 0, false
	case cfg.PageCache:
		return 200, 0, true
	default:
		return -1, uncachedHeap, true
	}
}

// setCollector applies collectorFor(cfg) to the process.
func setCollector(cfg *alliance.Config, env func(string) (string, bool)) {
	percent, limit, ok := collectorFor(cfg, env)
	if !ok {
		return
	}
	debug.SetGCPercent(percent)
	if limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}
