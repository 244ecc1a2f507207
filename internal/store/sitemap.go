package store

import (
	"context"
	"fmt"
	"time"

	"github.com/alliance-platform/alliance"
)

// SitemapEntry is an item the site shows, as a sitemap lists it: its page in every language it
// has a text in, and when it last changed.
type SitemapEntry struct {
	ID         int64
	Kind       alliance.Kind
	Key        string
	SourceLang string
	Updated    time.Time
	// Langs and Slugs are the languages of its texts with a slug, in order, and those slugs.
	Langs, Slugs []string
}

// sitemapBatch is how many items one query of SitemapItems reads: a batch's rows, some
// thousands, are all a sitemap holds in memory however many items the site has.
const sitemapBatch = 500

// SitemapCount returns how many items of kinds the site shows.
func (db *DB) SitemapCount(ctx context.Context, kinds []alliance.Kind) (int, error) {
	return db.Count(ctx, Query{Kind: kinds[0], Also: kinds[1:]})
}

// SitemapItems calls fn with the items of kinds the site shows, by id, skipping the first
// offset and stopping after limit (none when limit <= 0). It reads them in batches by id (each
// batch starting after the last id of the one before), so a whole site streams through one
// batch of memory. fn must not keep the entry it is given.
func (db *DB) SitemapItems(ctx context.Context, kinds []alliance.Kind, offset, limit int, fn func(*SitemapEntry) error) error {
	now := db.shownAt(false)
	var after int64 = -1
	if offset > 0 {
		// The id the part starts after: one read of the id index, offset rows long.
		q := Query{Kind: kinds[0], Also: kinds[1:]}
		from, args, _ := q.from(nil, now, false)
		var id int64
		err := db.queryRow(ctx, fmt.Sprintf("SELECT i.id FROM %s ORDER BY i.id LIMIT 1 OFFSET %d", from, offset-1), args...).Scan(&id)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sitemap: find offset %d: %w", offset, err)
		}
		after = id
	}
	done := 0
	batch := make([]SitemapEntry, 0, sitemapBatch)
	for {
		n := sitemapBatch
		if limit > 0 && limit-done < n {
			n = limit - done
		}
		if n <= 0 {
			return nil
		}
		// The batch's items, by id from the primary key, of every kind: the kinds are kept
		// here rather than asked of the database, where they made SQLite (without statistics)
		// read every item of the kinds through an index on kind and sort them all, for each
		// batch — 0.45–0.6 s of CPU for a sitemap part at 100,000 items, against a few
		// milliseconds for a range of the primary key (bench/README.md). Then their texts' slugs
		// by a range of the texts' primary key (item_id, lang). Two reads, each bounded by the
		// batch, rather than a join a planner may answer by scanning every text.
		vis, args := visible(nil, now)
		var ph string
		args, ph = bind(args, after)
		rows, err := db.query(ctx, fmt.Sprintf(`SELECT i.id, i.kind, i.key, i.source_lang, i.updated FROM items i
			WHERE %s AND i.id > %s ORDER BY i.id LIMIT %d`, vis, ph, sitemapBatch), args...)
		if err != nil {
			return fmt.Errorf("sitemap: read items: %w", err)
		}
		batch = batch[:0]
		read := 0
		for rows.Next() {
			var e SitemapEntry
			var kind, updated string
			if err := rows.Scan(&e.ID, &kind, &e.Key, &e.SourceLang, &updated); err != nil {
				rows.Close()
				return fmt.Errorf("sitemap: read items: %w", err)
			}
			read++
			after = e.ID
			e.Kind = alliance.Kind(kind)
			if !containsKind(kinds, e.Kind) || len(batch) == n {
				continue
			}
			e.Updated, _ = time.Parse(timeLayout, updated)
			batch = append(batch, e)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("sitemap: read items: %w", err)
		}
		if len(batch) == 0 {
			if read < sitemapBatch {
				return nil // no more items
			}
			continue // a batch of other kinds only
		}
		rows, err = db.query(ctx, `SELECT item_id, lang, slug FROM texts WHERE item_id >= $1 AND item_id <= $2 AND slug <> '' ORDER BY item_id, lang`,
			batch[0].ID, batch[len(batch)-1].ID)
		if err != nil {
			return fmt.Errorf("sitemap: read slugs: %w", err)
		}
		// Both are in id order: walk them together. Texts of items the batch does not hold
		// (drafts, other kinds) are passed over.
		k := 0
		for rows.Next() {
			var id int64
			var lang, slug string
			if err := rows.Scan(&id, &lang, &slug); err != nil {
				rows.Close()
				return fmt.Errorf("sitemap: read slugs: %w", err)
			}
			for k < len(batch) && batch[k].ID < id {
				k++
			}
			if k < len(batch) && batch[k].ID == id {
				batch[k].Langs = append(batch[k].Langs, lang)
				batch[k].Slugs = append(batch[k].Slugs, slug)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("sitemap: read slugs: %w", err)
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		done += len(batch)
		if read < sitemapBatch || done == limit {
			return nil
		}
	}
}
