package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// settableClock is a clock a test moves by hand, read by the running site.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settableClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// startSiteWithClock runs the real program with the page cache on and a clock the test moves.
func startSiteWithClock(t *testing.T, dbURL string, clock *settableClock) *Main {
	t.Helper()
	m := NewMain(&alliance.Config{
		Addr: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: dbURL, PageCache: true, Demo: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:    clock.Now,
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// expectPage asks for path twice (the second answer comes from the page cache when the first
// was kept) and checks that each answer holds, or lacks, every string given.
func expectPage(t *testing.T, m *Main, when, path string, status int, holds, lacks []string) {
	t.Helper()
	for i := 0; i < 2; i++ {
		r := get(t, m, path)
		if r.status != status {
			t.Errorf("%s: GET %s = %d, want %d", when, path, r.status, status)
			continue
		}
		for _, s := range holds {
			if !strings.Contains(r.body, s) {
				t.Errorf("%s: GET %s lacks %q", when, path, s)
			}
		}
		for _, s := range lacks {
			if strings.Contains(r.body, s) {
				t.Errorf("%s: GET %s still shows %q", when, path, s)
			}
		}
	}
}

// With the page cache on, every status that depends on the clock changes on the very request
// after the instant it changes at, without any content change: a call closes at its deadline,
// an event leaves the upcoming ones at its end, a learning opportunity opens for applications.
func TestStatusesFollowTheClockThroughTheCache(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := &settableClock{t: testNow}
		m := startSiteWithClock(t, dbURL, clock)
		second := time.Second

		// A call open now closes at its deadline.
		calls, err := m.DB.List(ctx, store.Query{Kind: alliance.KindCall, OpenAt: testNow, Order: store.Soonest, Limit: 1})
		if err != nil || len(calls) == 0 {
			t.Fatalf("no open call in the demo (err %v)", err)
		}
		call := calls[0]
		cl := itemPath(call, "en", "calls")
		var shared alliance.Call
		json.Unmarshal(call.Shared, &shared)
		clock.Set(call.Closes.Add(-second))
		expectPage(t, m, "a second before the deadline", cl, http.StatusOK, []string{`class="badge open"`, shared.ApplyURL}, nil)
		expectPage(t, m, "a second before the deadline", "/en/calls/", http.StatusOK, []string{cl}, nil)
		clock.Set(call.Closes)
		expectPage(t, m, "at the deadline", cl, http.StatusOK, []string{`class="badge closed"`}, []string{`class="badge open"`, shared.ApplyURL})

		// The soonest upcoming event is on the home page and the upcoming events until it ends.
		events, err := m.DB.List(ctx, store.Query{Kind: alliance.KindEvent, EndsAfter: testNow, Order: store.Soonest, Limit: 1})
		if err != nil || len(events) == 0 {
			t.Fatalf("no upcoming event in the demo (err %v)", err)
		}
		ev := events[0]
		evPath := itemPath(ev, "en", "events")
		clock.Set(ev.Ends.Add(-second))
		expectPage(t, m, "a second before the event ends", "/en/", http.StatusOK, []string{evPath}, nil)
		expectPage(t, m, "a second before the event ends", "/en/events/", http.StatusOK, []string{evPath}, nil)
		clock.Set(ev.Ends)
		expectPage(t, m, "when the event ends", "/en/", http.StatusOK, nil, []string{evPath})
		expectPage(t, m, "when the event ends", "/en/events/", http.StatusOK, nil, []string{evPath})
		expectPage(t, m, "when the event ends", "/en/events/?when=past", http.StatusOK, []string{evPath}, nil)

		// A learning opportunity whose applications open later opens at that instant.
		all, err := m.DB.All(ctx, alliance.KindLearning)
		if err != nil {
			t.Fatal(err)
		}
		var learning *alliance.Item
		for _, it := range all {
			if !it.Opens.IsZero() && (learning == nil || it.Opens.After(learning.Opens)) {
				learning = it
			}
		}
		if learning == nil {
			t.Fatal("no learning opportunity with an application window in the demo")
		}
		lp := itemPath(learning, "en", "learn")
		clock.Set(learning.Opens.Add(-second))
		expectPage(t, m, "a second before applications open", lp, http.StatusOK, []string{`class="badge upcoming"`}, []string{`class="badge open"`})
		clock.Set(learning.Opens)
		expectPage(t, m, "when applications open", lp, http.StatusOK, []string{`class="badge open"`}, []string{`class="badge upcoming"`})
	})
}

// A scheduled story appears on the news listing, the home page, its own address and as the
// neighbour of the story before it exactly when the clock reaches publish_at, and leaves them
// at unpublish_at; a draft is nowhere. The page cache is on, and no content changes meanwhile.
func TestScheduledStoryAndDraftThroughTheCache(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := &settableClock{t: testNow}
		m := startSiteWithClock(t, dbURL, clock)

		newest, err := m.DB.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 1})
		if err != nil || len(newest) == 0 {
			t.Fatalf("no story in the demo (err %v)", err)
		}
		before, err := m.DB.Item(ctx, alliance.KindStory, newest[0].Key)
		if err != nil {
			t.Fatal(err)
		}
		// Two stories newer than every other, made from the newest one: the scheduled one a
		// day after it, the draft two days after.
		copyStory := func(key, title string, days int) *alliance.Item {
			var st alliance.Story
			if err := json.Unmarshal(before.Shared, &st); err != nil {
				t.Fatal(err)
			}
			st.Date = alliance.Date(before.Starts.AddDate(0, 0, days).Format(time.DateOnly))
			raw, _ := json.Marshal(&st)
			it := &alliance.Item{Kind: alliance.KindStory, Key: key, SourceLang: before.SourceLang, Shared: raw}
			for _, tx := range before.Texts {
				tx.Slug, tx.Title = key, title
				it.Texts = append(it.Texts, tx)
			}
			st.Index(it)
			return it
		}
		publish := testNow.Add(time.Hour)
		scheduled := copyStory("scheduled-story", "A story for later", 1)
		scheduled.PublishAt, scheduled.UnpublishAt = publish, publish.Add(24*time.Hour)
		draft := copyStory("draft-story", "A story in the making", 2)
		draft.Draft = true
		if err := m.DB.Update(ctx, func(tx *store.Tx) error {
			if _, err := tx.Save(ctx, scheduled, alliance.Change{UserName: "test"}); err != nil {
				return err
			}
			_, err := tx.Save(ctx, draft, alliance.Change{UserName: "test"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		sp, dp, bp := "/en/news/scheduled-story/", "/en/news/draft-story/", itemPath(before, "en", "news")
		hidden := func(when string) {
			t.Helper()
			for _, p := range []string{"/en/", "/en/news/", bp} {
				expectPage(t, m, when, p, http.StatusOK, nil, []string{sp, dp, "A story for later", "A story in the making"})
			}
			expectPage(t, m, when, sp, http.StatusNotFound, nil, nil)
			expectPage(t, m, when, dp, http.StatusNotFound, nil, nil)
		}
		clock.Set(publish.Add(-time.Second))
		hidden("a second before publish_at")
		clock.Set(publish)
		for _, p := range []string{"/en/", "/en/news/", bp} { // the story before it links to it as the next one
			expectPage(t, m, "at publish_at", p, http.StatusOK, []string{sp}, []string{dp})
		}
		expectPage(t, m, "at publish_at", sp, http.StatusOK, []string{"A story for later", bp}, []string{dp})
		clock.Set(scheduled.UnpublishAt)
		hidden("at unpublish_at")
	})
}
