package web

import (
	"net/http/httptest"
	"testing"
)

// A page rendered before the site's last transition is not kept once pages of the next one are,
// and the first page after a transition drops every older one, as a new version does.
func TestPageCacheFollowsTransitions(t *testing.T) {
	c := newPageCache(10, 1<<20)
	hit := func(key pageKey) bool {
		return c.serve(httptest.NewRecorder(), httptest.NewRequest("GET", key.uri, nil), key)
	}
	before, after := pageKey{version: 2, until: 100, host: "h", uri: "/a/"}, pageKey{version: 2, until: 200, host: "h", uri: "/a/"}
	c.put(before, []byte("open"), "en", htmlType, nil)
	c.put(after, []byte("closed"), "en", htmlType, nil)
	if hit(before) || !hit(after) {
		t.Error("a page of the next transition left the older one reachable")
	}
	c.put(pageKey{version: 2, until: 100, host: "h", uri: "/b/"}, []byte("late"), "en", htmlType, nil)
	if hit(pageKey{version: 2, until: 100, host: "h", uri: "/b/"}) || !hit(after) {
		t.Error("a page rendered before the transition was kept after it")
	}
	// A content change may bring the next transition nearer: the new version wins all the same.
	sooner := pageKey{version: 3, until: 50, host: "h", uri: "/a/"}
	c.put(sooner, []byte("changed"), "en", htmlType, nil)
	if hit(after) || !hit(sooner) {
		t.Error("a new version with a nearer transition did not replace the older pages")
	}
}
