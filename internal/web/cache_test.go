package web

import (
	"net/http/httptest"
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
	c.put(v2a, []byte("a"), "en")
	c.put(pageKey{1, 0, false, "h", "/old/"}, []byte("old"), "en")
	if !hit(v2a) || hit(pageKey{1, 0, false, "h", "/old/"}) {
		t.Error("a page of an older version replaced the newer ones")
	}
	c.put(v2b, []byte("b"), "en")
	c.put(v2c, []byte("c"), "en") // over the limit of 2: starts afresh
	if hit(v2a) || !hit(v2c) {
		t.Error("the cache went over its entry limit")
	}
	c.put(pageKey{3, 0, false, "h", "/a/"}, []byte("a3"), "en")
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
