package main

import (
	"context"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
)

// The JSON-LD blocks are <script> elements under a policy of script-src 'none': a data block
// is not script, so Chromium must load a story, an event of each attendance mode, a learning
// opportunity and a member's page, with script allowed in the tab, and report no violation of
// the policy or any other complaint.
func TestBrowserStructuredDataKeepsThePolicy(t *testing.T) {
	path := chromiumPath(t)
	browser := startChromium(t, path)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	t.Cleanup(cancel)
	m := startSiteOn(t, "", true)
	base := m.URL()
	var pages []string
	for _, lang := range []string{"en", "el", "ro"} {
		pages = append(pages, itemPath(firstItem(t, m, alliance.KindStory), lang, "news"),
			itemPath(firstItem(t, m, alliance.KindLearning), lang, "learn"),
			itemPath(firstItem(t, m, alliance.KindMember), lang, "members"))
		for _, key := range []string{"meridia-days-2026", "open-labs-forum-2027", "digital-teaching-webinar-2027"} {
			ev, err := m.DB.Item(context.Background(), alliance.KindEvent, key)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, itemPath(ev, lang, "events"))
		}
	}
	reader := newVisitor(t, ctx, "reader", "en", true)
	for _, p := range pages {
		reader.open(base+p, 200)
	}
	reqs, logged := reader.offSite(base)
	if len(reqs) > 0 {
		t.Errorf("requests to another host: %q", reqs)
	}
	if len(logged) > 0 {
		t.Errorf("the browser complained: %q", logged)
	}
	all, _ := reader.requests()
	t.Logf("%d pages, %d requests, no complaint", len(pages), len(all))
}
