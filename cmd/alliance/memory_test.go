package main

import (
	"testing"

	"github.com/alliance-platform/alliance"
)

func TestCollectorFor(t *testing.T) {
	tests := []struct {
		name      string
		pageCache bool
		env       map[string]string
		percent   int
		limit     int64
		ok        bool
	}{
		{"cached", true, nil, 200, 0, true},
		{"uncached", false, nil, -1, uncachedHeap, true},
		{"GOGC wins", false, map[string]string{"GOGC": "100"}, 0, 0, false},
		{"GOMEMLIMIT wins", false, map[string]string{"GOMEMLIMIT": "1GiB"}, 0, 0, false},
		{"GOGC wins, cached", true, map[string]string{"GOGC": "off"}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			percent, limit, ok := collectorFor(&alliance.Config{PageCache: tt.pageCache}, env)
			if percent != tt.percent || limit != tt.limit || ok != tt.ok {
				t.Errorf("collectorFor = %d, %d, %v; want %d, %d, %v", percent, limit, ok, tt.percent, tt.limit, tt.ok)
			}
		})
	}
}
