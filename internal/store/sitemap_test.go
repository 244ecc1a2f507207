package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// SitemapItems streams the shown items of the kinds asked in id order across its batches (of
// 500), a part given by offset and limit being exactly that slice of the whole, each with the
// slugs of its texts.
func TestSitemapItemsStreamInParts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		langs := [][]string{{"en"}, {"fr", "en"}, {"de", "el", "it"}}
		var items []*alliance.Item
		drafts := map[string]bool{}
		for i := range 1203 {
			key := fmt.Sprintf("s%04d", i)
			it := story(key, "2026-01-02", "news", langs[i%3]...)
			if i%97 == 0 {
				it.Draft = true // not shown: not in the sitemap
				drafts[key] = true
			}
			items = append(items, it)
		}
		// Between the stories, more than a batch of items of a kind not asked for (menu
		// pages): a batch may hold none of the kinds, and the part goes on after it.
		var pages []*alliance.Item
		raw, _ := json.Marshal(&alliance.Page{})
		for i := range 1100 {
			key := fmt.Sprintf("p%04d", i)
			pages = append(pages, &alliance.Item{Kind: alliance.KindPage, Key: key, SourceLang: "en", Shared: raw,
				Texts: []alliance.Text{{Lang: "en", Slug: key, Title: key, Fields: json.RawMessage(`{}`)}}})
		}
		save(t, db, items[:600]...)
		save(t, db, pages...)
		save(t, db, items[600:]...)
		kinds := []alliance.Kind{alliance.KindStory, alliance.KindEvent}
		n, err := db.SitemapCount(ctx, kinds)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(items) - len(drafts); n != want {
			t.Fatalf("SitemapCount = %d, want %d", n, want)
		}
		read := func(offset, limit int) (ids []int64, keys []string) {
			t.Helper()
			err := db.SitemapItems(ctx, kinds, offset, limit, func(e *store.SitemapEntry) error {
				ids = append(ids, e.ID)
				keys = append(keys, e.Key)
				var i int
				fmt.Sscanf(e.Key, "s%04d", &i)
				want := slices.Clone(langs[i%3])
				slices.Sort(want)
				if !slices.Equal(e.Langs, want) || len(e.Slugs) != len(want) || e.Slugs[0] != e.Key+"-"+want[0] {
					t.Errorf("%s: langs %v slugs %v, want %v", e.Key, e.Langs, e.Slugs, want)
				}
				if e.Updated.IsZero() || e.Kind != alliance.KindStory {
					t.Errorf("%s: kind %s updated %v", e.Key, e.Kind, e.Updated)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return ids, keys
		}
		all, keys := read(0, 0)
		if len(all) != n || !slices.IsSorted(all) {
			t.Fatalf("read %d items (sorted: %v), want %d by id", len(all), slices.IsSorted(all), n)
		}
		for _, k := range keys {
			if drafts[k] {
				t.Errorf("draft %s in the sitemap", k)
			}
		}
		for _, p := range []struct{ offset, limit int }{{0, 10}, {499, 3}, {495, 510}, {1000, 500}, {n - 1, 5}, {n, 5}} {
			got, _ := read(p.offset, p.limit)
			want := all[min(p.offset, n):min(p.offset+p.limit, n)]
			if !slices.Equal(got, want) {
				t.Errorf("offset %d limit %d: %d items %v…, want %d", p.offset, p.limit, len(got), got[:min(3, len(got))], len(want))
			}
		}
	})
}
