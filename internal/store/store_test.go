package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

func open(t *testing.T, dbURL string) *store.DB {
	t.Helper()
	db := storetest.Open(t, dbURL)
	// Migrating again is a no-op.
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	return db
}

// story builds a story item as the content package would.
func story(key, date, category string, langs ...string) *alliance.Item {
	shared := &alliance.Story{Date: alliance.Date(date), Category: category}
	raw, _ := json.Marshal(shared)
	it := &alliance.Item{Kind: alliance.KindStory, Key: key, SourceLang: langs[0], Shared: raw}
	for _, l := range langs {
		it.Texts = append(it.Texts, alliance.Text{Lang: l, Slug: key + "-" + l, Title: key + " in " + l, Body: "Body " + l, HTML: "<p>Body " + l + "</p>", Fields: json.RawMessage(`{}`)})
	}
	shared.Index(it)
	return it
}

// save saves items through the one write path, as the importer does, with the taxonomy terms
// they refer to that the store lacks.
func save(t *testing.T, db *store.DB, items ...*alliance.Item) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for _, it := range items {
			if err := saveTerms(ctx, tx, it); err != nil {
				return err
			}
			if _, err := tx.Save(ctx, it, alliance.ImportChange()); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// saveTerms saves the terms it refers to that are not stored yet.
func saveTerms(ctx context.Context, tx *store.Tx, it *alliance.Item) error {
	ki, _ := alliance.InfoOf(it.Kind)
	shared := ki.NewShared()
	if err := json.Unmarshal(it.Shared, shared); err != nil {
		return err
	}
	for _, r := range shared.Refs() {
		if r.Kind != alliance.KindCategory {
			continue
		}
		if _, err := tx.Item(ctx, r.Kind, r.Key); err == nil {
			continue
		}
		// A draft, which no outline shows.
		term := &alliance.Item{Kind: r.Kind, Key: r.Key, SourceLang: it.SourceLang, Shared: json.RawMessage(`{}`), Draft: true,
			Texts: []alliance.Text{{Lang: it.SourceLang, Slug: r.Key, Title: r.Key}}}
		if _, err := tx.Save(ctx, term, alliance.ImportChange()); err != nil {
			return err
		}
	}
	return nil
}

func TestSaveListAndFilter(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		v0 := db.Version()
		save(t, db,
			story("a", "2026-01-01", "research", "en", "fr"),
			story("b", "2026-02-01", "education", "en"),
			story("c", "2026-03-01", "research", "fr", "en", "de"),
		)
		if db.Version() <= v0 {
			t.Errorf("version did not move: %d → %d", v0, db.Version())
		}
		all, err := db.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].Key != "c" || all[2].Key != "a" {
			t.Fatalf("newest first = %v", keys(all))
		}
		if len(all[0].Texts) != 3 || all[0].Text("de").HTML == "" || all[0].Text("de").Body == "" {
			t.Errorf("c texts = %+v", all[0].Texts)
		}
		research, err := db.List(ctx, store.Query{Kind: alliance.KindStory, Facets: []alliance.Facet{{Name: "category", Value: "research"}}, Order: store.Soonest})
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(research); len(got) != 2 || got[0] != "a" || got[1] != "c" {
			t.Errorf("research, soonest first = %v", got)
		}
		if n, err := db.Count(ctx, store.Query{Kind: alliance.KindStory, Facets: []alliance.Facet{{Name: "category", Value: "education"}}}); err != nil || n != 1 {
			t.Errorf("count education = %d, %v", n, err)
		}
		// A listing in German loads the text it shows of each item, without its body: the
		// German one, or else the source language's.
		de, err := db.List(ctx, store.Query{Kind: alliance.KindStory, Lang: "de", NoBody: true, Order: store.Newest, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(de) != 2 || len(de[0].Texts) != 1 || de[0].Texts[0].Lang != "de" || de[0].Texts[0].Body != "" || de[0].Texts[0].Title != "c in de" ||
			len(de[1].Texts) != 1 || de[1].Texts[0].Lang != "en" {
			t.Errorf("German listing texts: %+v / %+v", de[0].Texts, de[1].Texts)
		}
		page2, err := db.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 2, Offset: 2})
		if err != nil || len(page2) != 1 || page2[0].Key != "a" {
			t.Errorf("second page = %v, %v", keys(page2), err)
		}
	})
}

func TestSlugsAndNeighbours(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		save(t, db, story("a", "2026-01-01", "x", "en", "fr"), story("b", "2026-02-01", "x", "en"), story("c", "2026-03-01", "x", "en"))
		// b2 starts with b and is saved after it: of two stories of one day, the later saved is the newer.
		save(t, db, story("b2", "2026-02-01", "x", "en"))
		d, matched, err := db.Detail(ctx, alliance.KindStory, "fr", "a-fr")
		if err != nil || d.Key != "a" || matched != "fr" {
			t.Fatalf("Detail fr = %v %q %v", d, matched, err)
		}
		// The text a French page shows, with its HTML; of the others, what links to them: the slug.
		if d.Text == nil || d.Text.Lang != "fr" || d.HTML == "" || d.Text.Title != "a in fr" ||
			len(d.Slugs) != 2 || d.Slugs["en"] != "a-en" || d.Slugs["fr"] != "a-fr" {
			t.Errorf("a French page: %+v %+v", d, d.Text)
		}
		d, matched, err = db.Detail(ctx, alliance.KindStory, "de", "b-en")
		if err != nil || d.Key != "b" || matched != "en" {
			t.Errorf("Detail of an English slug on a German page = %v %q %v", d, matched, err)
		}
		// Without a German text, a German page shows the source language's.
		if d.Text == nil || d.Text.Lang != "en" || d.HTML == "" || d.Text.Title != "b in en" || len(d.Slugs) != 1 {
			t.Errorf("b on a German page: %+v %+v", d, d.Text)
		}
		if slug, translated := d.SlugIn("de"); slug != "b-en" || translated {
			t.Errorf("b's slug in German = %q %v", slug, translated)
		}
		if _, _, err := db.Detail(ctx, alliance.KindStory, "en", "nothing"); !errors.Is(err, alliance.ErrNotFound) {
			t.Errorf("unknown slug: %v", err)
		}
		neighbours := func(key string) (older, newer string) {
			c := cardOf(t, db, key)
			parts, err := db.CardParts(ctx, "en", store.Older(c), store.Newer(c))
			if err != nil {
				t.Fatal(err)
			}
			if len(parts[0]) > 0 {
				older = parts[0][0].Key
			}
			if len(parts[1]) > 0 {
				newer = parts[1][0].Key
			}
			return older, newer
		}
		if older, newer := neighbours("b"); older != "a" || newer != "b2" {
			t.Errorf("neighbours of b = %v, %v", older, newer)
		}
		if older, newer := neighbours("b2"); older != "b" || newer != "c" {
			t.Errorf("neighbours of b2 = %v, %v", older, newer)
		}
		if older, newer := neighbours("a"); older != "" || newer != "b" {
			t.Errorf("neighbours of a = %v, %v", older, newer)
		}
	})
}

// An item without a date sorts as the zero time does in Go (store.less): first of the soonest,
// last of the newest, on both databases (SQLite sorts NULL first, PostgreSQL last), in a plain
// listing and in one filtered by a facet. The orders by end and by deadline leave out the
// items without one.
func TestUndatedItemsSortAlikeOnBothDatabases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		// A course without components has no date, like a joint master's without one.
		course := func(key string, start alliance.Date) *alliance.Item {
			l := &alliance.Learning{Kind: "course", Level: "master", Languages: []string{"en"}}
			if start != "" {
				l.Physical = &alliance.Physical{Start: start, End: start}
			}
			raw, _ := json.Marshal(l)
			return &alliance.Item{Kind: alliance.KindLearning, Key: key, SourceLang: "en", Shared: raw,
				Texts: []alliance.Text{{Lang: "en", Slug: key, Title: key}}}
		}
		save(t, db, course("b", "2026-02-01"), course("undated", ""), course("a", "2026-01-01"))
		for _, c := range []struct {
			order  store.Order
			facets []alliance.Facet
			want   string
		}{
			{store.Soonest, nil, "undated a b"},
			{store.Newest, nil, "b a undated"},
			{store.Soonest, []alliance.Facet{{Name: "kind", Value: "course"}}, "undated a b"},
			{store.Newest, []alliance.Facet{{Name: "kind", Value: "course"}}, "b a undated"},
			// By end and by deadline: items without one are not in those orders, on both databases.
			{store.Ending, nil, "a b"},
			{store.Closing, nil, ""},
		} {
			items, err := db.List(ctx, store.Query{Kind: alliance.KindLearning, Order: c.order, Facets: c.facets})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(keys(items), " "); got != c.want {
				t.Errorf("order %v, facets %v = %q, want %q", c.order, c.facets, got, c.want)
			}
		}
		after, err := db.List(ctx, store.Query{Kind: alliance.KindLearning, Order: store.Ending, EndsAfter: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(keys(after), " "); got != "b" {
			t.Errorf("ending after 15 January = %q, want b", got)
		}
	})
}

func TestUpdateReplacesTextsAndRollsBack(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		save(t, db, story("a", "2026-01-01", "x", "en", "fr"))
		// A save holds the whole item: the French text it lacks is removed (the importer adds
		// the stored texts a folder does not give before saving).
		save(t, db, story("a", "2026-01-05", "y", "en"))
		a, err := db.Item(ctx, alliance.KindStory, "a")
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Texts) != 1 || a.Starts.Format("2006-01-02") != "2026-01-05" {
			t.Errorf("after update: %d texts, starts %v", len(a.Texts), a.Starts)
		}
		if n, _ := db.Count(ctx, store.Query{Kind: alliance.KindStory, Facets: []alliance.Facet{{Name: "category", Value: "x"}}}); n != 0 {
			t.Error("the old facet is still there")
		}
		// A failing transaction leaves nothing behind and does not move the version.
		v := db.Version()
		err = db.Update(ctx, func(tx *store.Tx) error {
			if _, err := tx.Save(ctx, story("z", "2026-01-01", "x", "en"), alliance.ImportChange()); err != nil {
				return err
			}
			return errors.New("stop")
		})
		if err == nil || db.Version() != v {
			t.Errorf("failed update: err %v, version %d → %d", err, v, db.Version())
		}
		if _, err := db.Item(ctx, alliance.KindStory, "z"); !errors.Is(err, alliance.ErrNotFound) {
			t.Errorf("rolled-back item exists: %v", err)
		}
		// Two items of a kind cannot share a slug in a language.
		dup := story("d", "2026-01-01", "x", "en")
		dup.Texts[0].Slug = "a-en"
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Save(ctx, dup, alliance.ImportChange())
			return err
		}); err == nil {
			t.Error("a duplicate slug was saved")
		}
	})
}

func TestWindowsAndMedia(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		call := func(key, opens, deadline string) *alliance.Item {
			c := &alliance.Call{Timezone: "Europe/Brussels", Opens: alliance.DateTime(opens), Deadline: alliance.DateTime(deadline)}
			raw, _ := json.Marshal(c)
			it := &alliance.Item{Kind: alliance.KindCall, Key: key, SourceLang: "en", Shared: raw,
				Texts: []alliance.Text{{Lang: "en", Slug: key, Title: key}}}
			c.Index(it)
			return it
		}
		save(t, db, call("past", "2026-01-01T00:00", "2026-03-01T17:00"), call("now", "2026-10-01T00:00", "2027-01-31T17:00"), call("later", "2027-02-01T00:00", "2027-04-01T17:00"))
		now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		open, err := db.List(ctx, store.Query{Kind: alliance.KindCall, OpenAt: now})
		if err != nil || len(open) != 1 || open[0].Key != "now" {
			t.Errorf("open calls = %v %v", keys(open), err)
		}
		// Deadlines are instants in the call's zone: 17:00 in Brussels in winter is 16:00 UTC.
		if got := open[0].Closes.UTC().Format(time.RFC3339); got != "2027-01-31T16:00:00Z" {
			t.Errorf("deadline = %s", got)
		}
		m := &alliance.Media{Path: "docs/a.pdf", ContentType: "application/pdf", Size: 4, SHA256: "abcd", Data: []byte("%PDF")}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SaveMedia(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.Media(ctx, "docs/a.pdf")
		if err != nil || got.ContentType != "application/pdf" || got.Size != 4 {
			t.Fatalf("media = %+v, %v", got, err)
		}
		if data, err := io.ReadAll(db.MediaReader(ctx, got)); err != nil || string(data) != "%PDF" {
			t.Errorf("media bytes = %q, %v", data, err)
		}
		info, err := db.MediaInfo(ctx, []string{"docs/a.pdf", "docs/none.pdf"})
		if err != nil || len(info) != 1 || info["docs/a.pdf"].Size != 4 {
			t.Errorf("media info = %v, %v", info, err)
		}
		if _, err := db.Media(ctx, "none"); !errors.Is(err, alliance.ErrNotFound) {
			t.Errorf("missing media: %v", err)
		}
	})
}

// Two handles on one database stand for two processes or instances: a change committed through
// one must reach the other's version, which its page cache keys on.
func TestVersionSeenByAnotherProcess(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		a, b := open(t, dbURL), open(t, dbURL)
		b.WatchVersion(20 * time.Millisecond)
		waitVersion(t, b, a, func() {
			if err := a.Update(context.Background(), func(tx *store.Tx) error {
				return tx.SaveSite(context.Background(), &alliance.Site{Name: "Test", Languages: []string{"en"}})
			}); err != nil {
				t.Fatal(err)
			}
		})
		waitVersion(t, b, a, func() { save(t, a, story("a", "2026-01-01", "x", "en")) })
		// b keeps its parsed frame for its version: a menu page a adds is in b's next frame
		// once b has a's version, whether read alone or with an item.
		ctx := context.Background()
		if _, items, err := b.Frame(ctx, "en"); err != nil || len(items) != 0 {
			t.Fatalf("b's frame before = %v, %v", keys(items), err)
		}
		raw, _ := json.Marshal(&alliance.Page{})
		waitVersion(t, b, a, func() {
			save(t, a, &alliance.Item{Kind: alliance.KindPage, Key: "about", SourceLang: "en", Shared: raw,
				Texts: []alliance.Text{{Lang: "en", Slug: "about", Title: "About", Fields: json.RawMessage(`{}`)}}})
		})
		if _, items, err := b.Frame(ctx, "en"); err != nil || strings.Join(keys(items), " ") != "about" {
			t.Errorf("b's frame after = %v, %v", keys(items), err)
		}
		if _, items, d, _, err := b.FrameDetail(ctx, "en", nil, alliance.KindStory, "a-en"); err != nil || d == nil ||
			strings.Join(keys(items), " ") != "about" {
			t.Errorf("b's frame with an item after = %v, %+v, %v", keys(items), d, err)
		}
	})
}

// On PostgreSQL the change arrives as a notification: with polling too slow to matter, the
// other instance still sees it at once.
func TestChangeNotifiedToOtherInstances(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), store.Postgres) {
		t.Skip("needs PostgreSQL: set " + storetest.EnvURL)
	}
	dbURL := storetest.NewURL(t, store.Postgres)
	a, b := open(t, dbURL), open(t, dbURL)
	b.WatchVersion(time.Hour)
	deadline := time.Now().Add(5 * time.Second)
	for !b.Listening() {
		if time.Now().After(deadline) {
			t.Fatal("the listener never connected")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for i := range 3 {
		waitVersion(t, b, a, func() { save(t, a, story(fmt.Sprint("n", i), "2026-01-01", "x", "en")) })
	}
}

// waitVersion runs change through a and waits (a few seconds at most) until b has a's new version.
func waitVersion(t *testing.T, b, a *store.DB, change func()) {
	t.Helper()
	before := b.Version()
	change()
	if a.Version() == before {
		t.Fatal("the change did not move the version of the instance that made it")
	}
	deadline := time.Now().Add(5 * time.Second)
	for b.Version() != a.Version() {
		if time.Now().After(deadline) {
			t.Fatalf("the other instance still has version %d, want %d", b.Version(), a.Version())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func keys(items []*alliance.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Key
	}
	return out
}

// Instances started together on one database migrate it once: the others wait for the lock and
// find nothing left to do.
func TestConcurrentMigrationsApplyOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		const n = 4
		dbs := make([]*store.DB, n)
		for i := range dbs {
			db, err := store.Open(ctx, dbURL)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		errs := make(chan error, n)
		for _, db := range dbs {
			go func() { errs <- db.Migrate(ctx) }()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("migrate: %v", err)
			}
		}
		// Every instance sees one schema, with the site row created once.
		save(t, dbs[0], story("a", "2026-01-01", "x", "en"))
		for i, db := range dbs {
			if c, err := db.Count(ctx, store.Query{Kind: alliance.KindStory}); err != nil || c != 1 {
				t.Errorf("instance %d counts %d stories (err %v), want 1", i, c, err)
			}
		}
	})
}

// The outline read with every page follows each change in the same transaction, holds the
// texts in the asked language and in each item's source language, and keeps titles with any
// character intact.
func TestFrameFollowsChanges(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.SaveSite(ctx, &alliance.Site{Name: "Test", Languages: []string{"en", "fr", "de"}})
		}); err != nil {
			t.Fatal(err)
		}
		page := func(key, parent string, order int, titles map[string]string) *alliance.Item {
			shared := &alliance.Page{Parent: parent, Order: order}
			raw, _ := json.Marshal(shared)
			it := &alliance.Item{Kind: alliance.KindPage, Key: key, SourceLang: "en", Shared: raw}
			for _, l := range []string{"en", "fr", "de"} {
				if titles[l] != "" {
					it.Texts = append(it.Texts, alliance.Text{Lang: l, Slug: key + "-" + l, Title: titles[l], Fields: json.RawMessage(`{}`)})
				}
			}
			shared.Index(it)
			return it
		}
		save(t, db,
			page("learn", "", 2, map[string]string{"en": "Learn", "fr": "Apprendre"}),
			page("discover", "", 1, map[string]string{"en": "Discover\ttabs\\and\nlines", "fr": "Découvrir"}),
			page("bip", "learn", 1, map[string]string{"en": "BIPs"}),
			story("s", "2026-01-01", "x", "en"))
		site, items, err := db.Frame(ctx, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if site.Name != "Test" {
			t.Errorf("site = %+v", site)
		}
		if got := keys(items); strings.Join(got, " ") != "bip discover learn" {
			t.Errorf("outline keys = %v, want pages by position then key, without the story", got)
		}
		byKey := map[string]*alliance.Item{}
		for _, it := range items {
			byKey[it.Key] = it
		}
		if tx, fallback := byKey["bip"].Best("fr"); !fallback || tx.Lang != "en" || byKey["bip"].Parent != "learn" {
			t.Errorf("untranslated page: %+v", byKey["bip"])
		}
		if d := byKey["discover"]; d.Text("fr").Title != "Découvrir" || d.Text("en").Title != "Discover\ttabs\\and\nlines" || d.Text("de") != nil {
			t.Errorf("discover texts = %+v", d.Texts)
		}
		// A detail page reads the frame with its item, in one query: the same frame as Frame's,
		// and the item as Detail finds it.
		site2, items2, d, matched, err := db.FrameDetail(ctx, "fr", nil, alliance.KindStory, "s-en")
		if err != nil || d == nil || d.Key != "s" || matched != "en" || d.Text == nil || d.Text.Lang != "en" || d.HTML == "" ||
			site2 == nil || site2.Name != "Test" || strings.Join(keys(items2), " ") != "bip discover learn" {
			t.Errorf("FrameDetail = %+v, %v, %+v, %q, %v", site2, keys(items2), d, matched, err)
		}
		// No item has the slug: no item, no error, and the frame all the same, for the page that says so.
		_, items3, d, _, err := db.FrameDetail(ctx, "fr", nil, alliance.KindStory, "nothing")
		if err != nil || d != nil || strings.Join(keys(items3), " ") != "bip discover learn" {
			t.Errorf("FrameDetail of no item = %v, %+v, %v", keys(items3), d, err)
		}
		// A new translation is in the very next read.
		save(t, db, page("bip", "learn", 1, map[string]string{"en": "BIPs", "fr": "PIM"}))
		_, items, _ = db.Frame(ctx, "fr")
		for _, it := range items {
			if it.Key == "bip" && (it.Text("fr") == nil || it.Text("fr").Title != "PIM") {
				t.Errorf("after the change, bip = %+v", it.Texts)
			}
		}
		// Kinds narrow it.
		if _, only, _ := db.Frame(ctx, "fr", alliance.KindMember); len(only) != 0 {
			t.Errorf("members only: %v", keys(only))
		}
	})
}

// Batch reads several lists in one query and gives each back in its own order, as the queries
// it stands for would.
func TestBatchMatchesSeparateQueries(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		save(t, db,
			story("a", "2026-01-01", "x", "en", "fr"), story("b", "2026-02-01", "x", "en"), story("c", "2026-03-01", "y", "en"),
			story("d", "2026-04-01", "x", "en", "fr"), story("e", "2026-05-01", "x", "fr"))
		b := cardOf(t, db, "b")
		parts, err := db.Batch(ctx, "fr",
			store.Older(b), store.Newer(b),
			store.Keys(alliance.KindStory, "d", "nothing", "a"),
			store.Select(store.Query{Kind: alliance.KindStory, Facets: []alliance.Facet{{Name: "category", Value: "x"}}, Exclude: []int64{b.ID}, Order: store.Newest, Limit: 3}, "d"),
			store.Keys(alliance.KindPerson),
			store.Older(b)) // the same item in two parts
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"a"}, {"c"}, {"a", "d"}, {"e", "a"}, {}, {"a"}}
		for i, w := range want {
			if got := keys(parts[i]); strings.Join(got, " ") != strings.Join(w, " ") {
				t.Errorf("part %d = %v, want %v", i, got, w)
			}
		}
		// The text a page in French shows, without its body: the French one, or else the
		// source language's.
		if a := parts[0][0]; len(a.Texts) != 1 || a.Texts[0].Lang != "fr" || a.Texts[0].Title != "a in fr" || a.Texts[0].Body != "" {
			t.Errorf("texts of a = %+v", a.Texts)
		}
		if c := parts[1][0]; len(c.Texts) != 1 || c.Texts[0].Lang != "en" || c.Texts[0].Title != "c in en" {
			t.Errorf("texts of c = %+v", c.Texts)
		}
		// CardParts decodes the same parts.
		cards, err := db.CardParts(ctx, "fr", store.Older(b), store.Keys(alliance.KindStory, "d", "a"))
		if err != nil || len(cards[0]) != 1 || cards[0][0].Key != "a" || cards[0][0].Text.Lang != "fr" || len(cards[1]) != 2 ||
			cards[1][0].Data.(*alliance.Story).Category != "x" {
			t.Errorf("CardParts = %+v, %v", cards, err)
		}
	})
}

// A database from before facets carried their item's kind and start gets them from its items
// when migrated, so that its filtered listings and filter menus find what they found before.
func TestMigrationFillsFacetKindAndStart(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.MigrateTo(ctx, 3); err != nil {
			t.Fatal(err)
		}
		// Three stories as the release before migration 0004 wrote them.
		for i, s := range []struct{ key, starts, category string }{
			{"a", "2026-01-01T00:00:00Z", "x"}, {"b", "2026-02-01T00:00:00Z", "x"}, {"c", "2026-03-01T00:00:00Z", "y"},
		} {
			for _, stmt := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO items (id, kind, key, source_lang, shared, starts, updated) VALUES ($1, 'story', $2, 'en', '{}', $3, $3)`, []any{i + 1, s.key, s.starts}},
				{`INSERT INTO texts (item_id, kind, lang, slug, title, summary, body, fields) VALUES ($1, 'story', 'en', $2, $2, '', '', '{}')`, []any{i + 1, s.key}},
				{`INSERT INTO facets (item_id, name, value) VALUES ($1, 'category', $2)`, []any{i + 1, s.category}},
			} {
				if err := db.Exec(ctx, stmt.sql, stmt.args...); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		q := store.Query{Kind: alliance.KindStory, Facets: []alliance.Facet{{Name: "category", Value: "x"}}, Order: store.Newest}
		items, err := db.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(keys(items), " "); got != "b a" {
			t.Errorf("category x, newest first = %q, want \"b a\"", got)
		}
		if n, err := db.Count(ctx, q); err != nil || n != 2 {
			t.Errorf("count category x = %d (err %v), want 2", n, err)
		}
		values, err := db.FacetValues(ctx, alliance.KindStory, "category")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(values, " "); got != "x y" {
			t.Errorf("category values = %q, want \"x y\"", got)
		}
	})
}

// cardOf is the story with key as a card in English.
func cardOf(t *testing.T, db *store.DB, key string) *store.Card {
	t.Helper()
	cards, err := db.CardsByKey(context.Background(), alliance.KindStory, "en", key)
	if err != nil || cards[key] == nil {
		t.Fatalf("card of %s: %v, %v", key, cards, err)
	}
	return cards[key]
}

// Upcoming items (not yet ended, soonest first) and past ones (ended, latest first) are read as
// a range of starts bounded by the longest span of their kind: an item that lasts long is still
// listed while it runs, and a save that lengthens or shortens one moves the bound on the next
// read, with or without a facet and in a count.
func TestUpcomingAndPastFollowTheLongestSpan(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		course := func(key string, start, end alliance.Date) *alliance.Item {
			l := &alliance.Learning{Kind: "course", Level: "master", Languages: []string{"en"}}
			if start != "" {
				l.Physical = &alliance.Physical{Start: start, End: end}
				// Applications open a year before the start and close on its last day.
				opens, _ := time.Parse("2006-01-02", string(start))
				l.Timezone = "Europe/Athens"
				l.Application = &alliance.Window{Opens: alliance.DateTime(opens.AddDate(-1, 0, 0).Format("2006-01-02T15:04")),
					Deadline: alliance.DateTime(string(end) + "T12:00")}
			}
			raw, _ := json.Marshal(l)
			return &alliance.Item{Kind: alliance.KindLearning, Key: key, SourceLang: "en", Shared: raw,
				Texts: []alliance.Text{{Lang: "en", Slug: key, Title: key}}}
		}
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		check := func(step, upcoming, past, open string) {
			t.Helper()
			for _, facets := range [][]alliance.Facet{nil, {{Name: "kind", Value: "course"}}} {
				for _, c := range []struct {
					q    store.Query
					want string
				}{
					{store.Query{EndsAfter: now, Order: store.Soonest}, upcoming},
					{store.Query{EndsBefore: now, Order: store.Newest}, past},
					{store.Query{OpenAt: now, Order: store.Soonest}, open},
				} {
					c.q.Kind, c.q.Facets = alliance.KindLearning, facets
					items, err := db.List(ctx, c.q)
					if err != nil {
						t.Fatal(err)
					}
					if got := strings.Join(keys(items), " "); got != c.want {
						t.Errorf("%s, facets %v, ends after %v before %v = %q, want %q", step, facets, !c.q.EndsAfter.IsZero(), !c.q.EndsBefore.IsZero(), got, c.want)
					}
					n, err := db.Count(ctx, c.q)
					if err != nil {
						t.Fatal(err)
					}
					if want := len(strings.Fields(c.want)); n != want {
						t.Errorf("%s, facets %v: count %d, want %d", step, facets, n, want)
					}
				}
			}
		}
		save(t, db,
			course("long", "2025-01-01", "2026-12-31"), course("ended", "2026-01-01", "2026-01-02"),
			course("soon", "2026-07-01", "2026-07-02"), course("running", "2026-05-31", "2026-06-02"),
			course("undated", "", ""))
		check("first", "long running soon", "ended", "long running soon")
		save(t, db, course("long", "2026-05-01", "2026-05-02"))
		check("the long one shortened", "running soon", "long ended", "running soon")
		// Now the longest span is two days: a bound kept from before this save would leave out
		// the one that runs for three years from now on.
		save(t, db, course("ended", "2024-01-01", "2027-01-01"))
		check("another lengthened", "ended running soon", "long", "ended running soon")
	})
}

// A listing filtered by a facet counts and lists what visitors see from the facets alone,
// which carry their item's publication state: a draft, an item scheduled later and one
// unpublished are left out, and a save that changes the state changes the facets with it.
func TestFilteredListingsFollowPublication(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		draft := story("draft", "2026-01-03", "x", "en")
		draft.Draft = true
		later := story("later", "2026-01-04", "x", "en")
		later.PublishAt = now.Add(time.Hour)
		gone := story("gone", "2026-01-05", "x", "en")
		gone.UnpublishAt = now.Add(-time.Hour)
		save(t, db, story("shown", "2026-01-01", "x", "en"), story("other", "2026-01-02", "y", "en"), draft, later, gone)
		check := func(step, want string) {
			t.Helper()
			x := alliance.Facet{Name: "category", Value: "x"}
			for _, q := range []store.Query{
				{Order: store.Newest, Facets: []alliance.Facet{x}},
				{Order: store.Soonest, Facets: []alliance.Facet{x}},
				// A second facet is tested per item (EXISTS).
				{Order: store.Newest, Facets: []alliance.Facet{x, x}},
			} {
				q.Kind = alliance.KindStory
				items, err := db.List(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				got := keys(items)
				slices.Sort(got)
				if strings.Join(got, " ") != want {
					t.Errorf("%s: listed %q, want %q", step, got, want)
				}
				n, err := db.Count(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(strings.Fields(want)) {
					t.Errorf("%s: counted %d, want %d", step, n, len(strings.Fields(want)))
				}
			}
		}
		check("first", "shown")
		draft.Draft = false
		save(t, db, draft)
		check("the draft published", "draft shown")
		now = now.Add(2 * time.Hour)
		check("the scheduled time passed", "draft later shown")
		gone.UnpublishAt = time.Time{}
		save(t, db, gone)
		check("the unpublished one back", "draft gone later shown")
	})
}
