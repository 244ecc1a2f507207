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
// batch of memory. The Entry given to fn is reused: fn must not keep it.
func (db *DB) SitemapItems(ctx context.Context, kinds []alliance.Kind, offset, limit int, fn func(*SitemapEntry) error) error {
	now := db.shownAt(false)
	var after int64 = -1
	if offset > 0 {
		// The id the part starts after: one read of the id index, offset rows long.
		q := Query{Kind: kinds[0], Also: kinds[1:]}
		from, args, _ := q.from(nil, now)
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
	e := &SitemapEntry{}
	for {
		n := sitemapBatch
		if limit > 0 && limit-done < n {
			n = limit - done
		}
		if n <= 0 {
			return nil
		}
		q := Query{Kind: kinds[0], Also: kinds[1:]}
		from, args, _ := q.from(nil, now)
		var ph string
		args, ph = bind(args, after)
		stmt := fmt.Sprintf(`SELECT x.id, x.kind, x.key, x.source_lang, x.updated, t.lang, t.slug
			FROM (SELECT i.id, i.kind, i.key, i.source_lang, i.updated FROM %s AND i.id > %s ORDER BY i.id LIMIT %d) x
			JOIN texts t ON t.item_id = x.id AND t.slug <> ''
			ORDER BY x.id, t.lang`, from, ph, n)
		rows, err := db.query(ctx, stmt, args...)
		if err != nil {
			return fmt.Errorf("sitemap: read items: %w", err)
		}
		items := 0
		var cur int64 = -1
		flush := func() error {
			if cur < 0 {
				return nil
			}
			items++
			return fn(e)
		}
		for rows.Next() {
			var id int64
			var kind, key, source, updated, lang, slug string
			if err := rows.Scan(&id, &kind, &key, &source, &updated, &lang, &slug); err != nil {
				rows.Close()
				return fmt.Errorf("sitemap: read items: %w", err)
			}
			if id != cur {
				if err := flush(); err != nil {
					rows.Close()
					return err
				}
				cur = id
				e.ID, e.Kind, e.Key, e.SourceLang = id, alliance.Kind(kind), key, source
				e.Updated, _ = time.Parse(timeLayout, updated)
				e.Langs, e.Slugs = e.Langs[:0], e.Slugs[:0]
			}
			e.Langs = append(e.Langs, lang)
			e.Slugs = append(e.Slugs, slug)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("sitemap: read items: %w", err)
		}
		if err := flush(); err != nil {
			return err
		}
		// An item without a slug in any language (none of the site's kinds with pages) is not
		// in the join: the batch may give fewer items than it read, so go on from its last id.
		if cur < 0 {
			return nil
		}
		done += items
		after = cur
		if items == 0 {
			return nil
		}
	}
}
