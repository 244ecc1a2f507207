package web

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
)

// A page rendered from data older than the cache's keeps no place in it and drops nothing;
// a newer version empties the cache; the limits hold.
func TestPageCacheVersionsAndLimits(t *testing.T) {
	c := newPageCache(2, 1<<20)
	hit := func(key pageKey) bool {
		return c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", key.uri, nil), key)
	}
	v2a, v2b, v2c := pageKey{2, 0, false, "h", "/a/"}, pageKey{2, 0, false, "h", "/b/"}, pageKey{2, 0, false, "h", "/c/"}
	c.put(v2a, []byte("a"), "en", htmlType, nil)
	c.put(pageKey{1, 0, false, "h", "/old/"}, []byte("old"), "en", htmlType, nil)
	if !hit(v2a) || hit(pageKey{1, 0, false, "h", "/old/"}) {
		t.Error("a page of an older version replaced the newer ones")
	}
	c.put(v2b, []byte("b"), "en", htmlType, nil)
	c.put(v2c, []byte("c"), "en", htmlType, nil) // over the limit of 2: starts afresh
	if hit(v2a) || !hit(v2c) {
		t.Error("the cache went over its entry limit")
	}
	c.put(pageKey{3, 0, false, "h", "/a/"}, []byte("a3"), "en", htmlType, nil)
	if hit(v2c) || !hit(pageKey{3, 0, false, "h", "/a/"}) {
		t.Error("a new version left older pages reachable")
	}
	rec := httptest.NewRecorder()
	c.serve(rec, httptest.NewRequest("GET", "/a/", nil), pageKey{3, 0, false, "h", "/a/"})
	if rec.Body.String() != "a3" || rec.Header().Get("Content-Language") != "en" || rec.Header().Get("Content-Length") != "2" {
		t.Errorf("served %q with %v", rec.Body.String(), rec.Header())
	}
}

// Pages carry absolute links, so one reached over https is kept apart from the same URL over http.
func TestPageCacheKeySeparatesSchemes(t *testing.T) {
	plain := httptest.NewRequest("GET", "/en/", nil)
	proxied := httptest.NewRequest("GET", "/en/", nil)
	proxied.Header.Set("X-Forwarded-Proto", "https")
	if cacheKey(1, 0, plain) == cacheKey(1, 0, proxied) {
		t.Error("http and https requests share a cache key")
	}
	if cacheKey(1, 0, plain) != cacheKey(1, 0, httptest.NewRequest("GET", "/en/", nil)) {
		t.Error("the same request gives two keys")
	}
}

// Every byte an entry holds counts against the cap (the page, its gzipped copy, the key's
// strings, the entry's overhead): 20,000 distinct keys with long URIs and hosts, and pages
// that compress poorly, never take the count over the cap, and the count is exactly what the
// entries kept hold.
func TestPageCacheCountsEveryByte(t *testing.T) {
	const maxBytes = 2 << 20
	c := newPageCache(4000, maxBytes)
	rng := rand.New(rand.NewPCG(1, 2))
	body := make([]byte, 8<<10)
	for j := range body {
		body[j] = byte(rng.Uint32()) // random bytes: the gzip copy is as large as the page
	}
	for i := range 20000 {
		key := pageKey{version: 1, host: strings.Repeat("h", rng.IntN(4<<10)), uri: fmt.Sprintf("/en/news/?junk=%d&%s", i, strings.Repeat("j", rng.IntN(16<<10)))}
		from := rng.IntN(len(body))
		c.put(key, body[from:from+rng.IntN(len(body)-from+1)], "en", htmlType, nil)
		n, counted := c.size()
		if counted > maxBytes {
			t.Fatalf("after %d pages the cache counts %d bytes, over its cap of %d", i+1, counted, maxBytes)
		}
		if i%997 == 0 {
			held := 0
			c.entries.Load().Range(func(k, v any) bool {
				key, e := k.(pageKey), v.(*cached)
				held += len(e.body) + len(e.gz) + len(key.host) + len(key.uri) + entryOverhead
				if len(e.gz) == 0 {
					t.Error("an entry without its gzipped copy: that copy would be made later, uncounted")
				}
				n--
				return true
			})
			if held != counted || n != 0 {
				t.Fatalf("the cache counts %d bytes; its entries hold %d (%d entries unaccounted)", counted, held, n)
			}
		}
	}
	// A page larger than the whole cache is served but not kept.
	big := pageKey{version: 1, host: "h", uri: "/big/"}
	c.put(big, make([]byte, maxBytes), "en", htmlType, nil)
	if _, ok := c.entries.Load().Load(big); ok {
		t.Error("a page larger than the cache was kept")
	}
}
