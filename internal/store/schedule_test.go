package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func at(s string) time.Time          { t, _ := time.Parse(time.RFC3339, s); return t }
func has(items []*alliance.Item, key string) bool {
	for _, it := range items {
		if it.Key == key {
			return true
		}
	}
	return false
}

// A draft is in no public read, and a scheduled item is in every one exactly within its
// window, as the store's clock tells it; export's reads (All, Item) see both always.
func TestDraftsAndPublicationWindows(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		clock := &fakeClock{t: at("2026-05-01T06:59:59Z")}
		db.SetClock(clock.Now)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.SaveSite(ctx, &alliance.Site{Name: "Test", Languages: []string{"en"}})
		}); err != nil {
			t.Fatal(err)
		}
		draft := story("draft", "2026-02-15", "x", "en")
		draft.Draft = true
		scheduled := story("scheduled", "2026-02-20", "y", "en")
		scheduled.PublishAt, scheduled.UnpublishAt = at("2026-05-01T07:00:00Z"), at("2026-06-01T00:00:00Z")
		menu := func(key string, publish time.Time, draft bool) *alliance.Item {
			raw, _ := json.Marshal(&alliance.Page{})
			return &alliance.Item{Kind: alliance.KindPage, Key: key, SourceLang: "en", Shared: raw, PublishAt: publish, Draft: draft,
				Texts: []alliance.Text{{Lang: "en", Slug: key, Title: key, Fields: json.RawMessage(`{}`)}}}
		}
		save(t, db, story("a", "2026-01-01", "x", "en"), draft, scheduled, story("c", "2026-03-01", "x", "en"),
			menu("about", time.Time{}, false), menu("hidden-page", time.Time{}, true), menu("later-page", at("2026-05-01T07:00:00Z"), false))
		ca, cc := cardOf(t, db, "a"), cardOf(t, db, "c")

		// shown lists where the draft and the scheduled story appear in every public read.
		shown := func(key string) []string {
			t.Helper()
			var where []string
			q := store.Query{Kind: alliance.KindStory, Order: store.Newest, Lang: "en"}
			items, err := db.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if has(items, key) {
				where = append(where, "list")
			}
			// The pager counts what the listing shows.
			if n, err := db.Count(ctx, q); err != nil || n != len(items) {
				t.Errorf("Count = %d (err %v), List has %d", n, err, len(items))
			}
			if d, _, err := db.Detail(ctx, alliance.KindStory, "en", key+"-en"); err == nil && d.Key == key {
				where = append(where, "slug")
			}
			if _, _, d, _, err := db.FrameDetail(ctx, "en", nil, alliance.KindStory, key+"-en"); err == nil && d != nil {
				where = append(where, "frame-slug")
			}
			// c is newer than both, a older: each one's neighbour is the hidden story when it shows.
			if parts, err := db.CardParts(ctx, "en", store.Older(cc), store.Newer(ca)); err != nil {
				t.Fatal(err)
			} else {
				if len(parts[0]) > 0 && parts[0][0].Key == key {
					where = append(where, "neighbour")
				}
				if len(parts[1]) > 0 && parts[1][0].Key == key {
					where = append(where, "neighbour")
				}
			}
			parts, err := db.Batch(ctx, "en", store.Keys(alliance.KindStory, key), store.Select(store.Query{Kind: alliance.KindStory, Order: store.Newest}))
			if err != nil {
				t.Fatal(err)
			}
			if has(parts[0], key) || has(parts[1], key) {
				where = append(where, "batch")
			}
			if m, err := db.ByKeys(ctx, alliance.KindStory, []string{key}, "en"); err != nil {
				t.Fatal(err)
			} else if m[key] != nil {
				where = append(where, "keys")
			}
			// The scheduled story alone has category y (the draft shares x with a and c).
			if key == "scheduled" {
				if values, err := db.FacetValues(ctx, alliance.KindStory, "category"); err != nil {
					t.Fatal(err)
				} else if strings.Contains(strings.Join(values, " "), "y") {
					where = append(where, "facet")
				}
			}
			return where
		}
		outline := func() string {
			_, items, err := db.Frame(ctx, "en")
			if err != nil {
				t.Fatal(err)
			}
			return strings.Join(keys(items), " ")
		}
		all := "list slug frame-slug neighbour neighbour batch keys"
		for _, step := range []struct {
			now              string
			draft, scheduled string
			outline          string
		}{
			{"2026-05-01T06:59:59Z", "", "", "about"},
			{"2026-05-01T07:00:00Z", "", all + " facet", "about later-page"},
			{"2026-05-31T23:59:59Z", "", all + " facet", "about later-page"},
			{"2026-06-01T00:00:00Z", "", "", "about later-page"},
		} {
			clock.Set(at(step.now))
			if got := strings.Join(shown("draft"), " "); got != step.draft {
				t.Errorf("at %s the draft is in %q, want %q", step.now, got, step.draft)
			}
			if got := strings.Join(shown("scheduled"), " "); got != step.scheduled {
				t.Errorf("at %s the scheduled story is in %q, want %q", step.now, got, step.scheduled)
			}
			if got := outline(); got != step.outline {
				t.Errorf("at %s the outline holds %q, want %q", step.now, got, step.outline)
			}
		}
		// What export reads holds everything, with the schedule.
		everything, err := db.All(ctx, alliance.KindStory)
		if err != nil || len(everything) != 4 {
			t.Fatalf("All = %v, %v", keys(everything), err)
		}
		d, err := db.Item(ctx, alliance.KindStory, "draft")
		if err != nil || !d.Draft {
			t.Errorf("Item(draft) = %+v, %v", d, err)
		}
		s, _ := db.Item(ctx, alliance.KindStory, "scheduled")
		if !s.PublishAt.Equal(scheduled.PublishAt) || !s.UnpublishAt.Equal(scheduled.UnpublishAt) || s.Draft {
			t.Errorf("scheduled reads back as %v … %v (draft %v)", s.PublishAt, s.UnpublishAt, s.Draft)
		}
		// alliance copy carries them to another database.
		dst := storetest.Open(t, storetest.NewURL(t, store.SQLite))
		if _, err := store.Copy(ctx, dst, db, false); err != nil {
			t.Fatal(err)
		}
		if d, err := dst.Item(ctx, alliance.KindStory, "draft"); err != nil || !d.Draft {
			t.Errorf("copied draft = %+v, %v", d, err)
		}
		if s, err := dst.Item(ctx, alliance.KindStory, "scheduled"); err != nil || !s.PublishAt.Equal(scheduled.PublishAt) || !s.UnpublishAt.Equal(scheduled.UnpublishAt) {
			t.Errorf("copied scheduled story = %+v, %v", s, err)
		}
	})
}

// Moment names the earliest instant after now at which a status may change: never one at or
// before now (a cache keyed on it would be flushed on every request), and a new one when the
// content changes.
func TestMomentIsTheNextTransition(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		call := func(key, opens, closes string) *alliance.Item {
			wall := func(s string) alliance.DateTime { return alliance.DateTime(at(s).Format("2006-01-02T15:04")) }
			raw, _ := json.Marshal(&alliance.Call{Timezone: "UTC", Opens: wall(opens), Deadline: wall(closes)})
			return &alliance.Item{Kind: alliance.KindCall, Key: key, SourceLang: "en", Shared: raw,
				Texts: []alliance.Text{{Lang: "en", Slug: key, Title: key, Fields: json.RawMessage(`{}`)}}}
		}
		save(t, db, call("one", "2026-03-01T09:00:00Z", "2026-04-15T17:00:00Z"))
		v := db.Version()
		for _, step := range []struct{ now, next string }{
			{"2026-01-01T00:00:00Z", "2026-03-01T09:00:00Z"},
			{"2026-03-01T08:59:59.5Z", "2026-03-01T09:00:00Z"},
			{"2026-03-01T09:00:00Z", "2026-04-15T17:00:00Z"}, // at the instant, the next one
			{"2026-03-01T09:00:00.5Z", "2026-04-15T17:00:00Z"},
			{"2026-04-15T17:00:00Z", store.Never.Format(time.RFC3339)},
			{"2026-02-01T00:00:00Z", "2026-03-01T09:00:00Z"}, // a clock set back
		} {
			now, _ := time.Parse(time.RFC3339Nano, step.now)
			version, next := db.Moment(ctx, now)
			if version != v || !next.Equal(at(step.next)) {
				t.Errorf("Moment(%s) = %d, %s; want %d, %s", step.now, version, next.Format(time.RFC3339), v, step.next)
			}
			if !next.After(now) {
				t.Errorf("Moment(%s) names %s, not after now", step.now, next)
			}
		}
		// Content changes: a call whose window opens sooner is the next transition at once.
		save(t, db, call("two", "2026-02-10T00:00:00Z", "2026-02-20T00:00:00Z"))
		if version, next := db.Moment(ctx, at("2026-02-01T00:00:00Z")); version == v || !next.Equal(at("2026-02-10T00:00:00Z")) {
			t.Errorf("after a change, Moment = %d, %s", version, next)
		}
		// A learning opportunity without a window takes applications until the day after its end.
		raw, _ := json.Marshal(&alliance.Learning{Kind: "course", Level: "master", Languages: []string{"en"},
			Physical: &alliance.Physical{Start: "2026-07-01", End: "2026-07-10"}})
		save(t, db, &alliance.Item{Kind: alliance.KindLearning, Key: "l", SourceLang: "en", Shared: raw,
			Texts: []alliance.Text{{Lang: "en", Slug: "l", Title: "l", Fields: json.RawMessage(`{}`)}}})
		if _, next := db.Moment(ctx, at("2026-07-10T12:00:00Z")); !next.Equal(at("2026-07-11T00:00:00Z")) {
			t.Errorf("Moment during the last day of a learning opportunity = %s, want its end", next)
		}
		// Drafts and windows count too.
		hidden := story("hidden", "2026-01-01", "x", "en")
		hidden.PublishAt, hidden.UnpublishAt = at("2026-08-01T10:00:00Z"), at("2026-08-02T10:00:00Z")
		save(t, db, hidden)
		for now, want := range map[string]string{"2026-07-20T00:00:00Z": "2026-08-01T10:00:00Z", "2026-08-01T10:00:00Z": "2026-08-02T10:00:00Z"} {
			if _, next := db.Moment(ctx, at(now)); !next.Equal(at(want)) {
				t.Errorf("Moment(%s) = %s, want %s", now, next, want)
			}
		}
	})
}
