package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/alliance-platform/alliance"
)

// ErrNotEmpty is returned by Copy when the destination already holds a site.
var ErrNotEmpty = errors.New("the database already holds a site")

// CopyStats counts what Copy wrote.
type CopyStats struct {
	Items, Texts, Media int
}

func (s CopyStats) String() string {
	return fmt.Sprintf("%d items, %d translations, %d media files", s.Items, s.Texts, s.Media)
}

// Copy writes the whole site held by src — settings, every item with its translations and
// facets, every media file — into dst, in one transaction of dst: an error leaves dst as it was.
// dst must hold no item unless replace is set, in which case its items and media are removed
// first. Items are written in the order src created them, so that everything ordered by age
// (previous and next story among same-day stories) stays the same.
func Copy(ctx context.Context, dst, src *DB, replace bool) (CopyStats, error) {
	var st CopyStats
	if !replace {
		empty, err := dst.Empty(ctx)
		if err != nil {
			return st, err
		}
		if !empty {
			return st, fmt.Errorf("copy: %s: %w", dst.Path(), ErrNotEmpty)
		}
	}
	site, err := src.Site(ctx)
	if err != nil {
		return st, err
	}
	items, err := src.queryItems(ctx, load{body: true, order: "i.id"}, "SELECT i.* FROM items i")
	if err != nil {
		return st, fmt.Errorf("copy: read items: %w", err)
	}
	facets, err := src.allFacets(ctx)
	if err != nil {
		return st, err
	}
	paths, err := src.MediaPaths(ctx)
	if err != nil {
		return st, err
	}
	err = dst.Update(ctx, func(tx *Tx) error {
		if replace {
			for _, q := range []string{`DELETE FROM items`, `DELETE FROM media`} {
				if _, err := tx.tx.ExecContext(ctx, q); err != nil {
					return fmt.Errorf("copy: empty the destination: %w", err)
				}
			}
		}
		if err := tx.SaveSite(ctx, site); err != nil {
			return err
		}
		for _, it := range items {
			srcID := it.ID
			it.Facets = facets[it.ID]
			// As stored, derived data and revision number included: a copy is not an edit.
			if err := tx.saveItem(ctx, it, it.Updated, anyRevision); err != nil {
				return err
			}
			if err := tx.copyRevisions(ctx, src, srcID, it.ID); err != nil {
				return err
			}
			if err := tx.copyTranslationState(ctx, src, srcID, it.ID); err != nil { // history.go
				return err
			}
			st.Items++
			st.Texts += len(it.Texts)
		}
		// A chunk in memory at a time: media can be large.
		for _, p := range paths {
			m, err := src.Media(ctx, p)
			if err != nil {
				return err
			}
			if err := tx.SaveMediaFrom(ctx, m, src.MediaReader(ctx, m)); err != nil {
				return err
			}
			if err := tx.copyVariants(ctx, src, p); err != nil {
				return err
			}
			st.Media++
		}
		return nil
	})
	return st, err
}

// allFacets returns every item's facets, by item ID.
func (db *DB) allFacets(ctx context.Context) (map[int64][]alliance.Facet, error) {
	rows, err := db.query(ctx, `SELECT item_id, name, value FROM facets ORDER BY item_id, name, value`)
	if err != nil {
		return nil, fmt.Errorf("read facets: %w", err)
	}
	defer rows.Close()
	out := map[int64][]alliance.Facet{}
	for rows.Next() {
		var id int64
		var f alliance.Facet
		if err := rows.Scan(&id, &f.Name, &f.Value); err != nil {
			return nil, fmt.Errorf("read facets: %w", err)
		}
		out[id] = append(out[id], f)
	}
	return out, markUnavailable(rows.Err())
}

// copyRevisions copies the revisions of the item srcID of src to the item dstID of tx's database.
func (tx *Tx) copyRevisions(ctx context.Context, src *DB, srcID, dstID int64) error {
	rows, err := src.query(ctx, `SELECT number, user_id, user_name, created, snapshot FROM revisions WHERE item_id = $1 ORDER BY number`, srcID)
	if err != nil {
		return fmt.Errorf("copy: read revisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var number int
		var user sql.NullInt64
		var name, created, snapshot string
		if err := rows.Scan(&number, &user, &name, &created, &snapshot); err != nil {
			return fmt.Errorf("copy: read revisions: %w", err)
		}
		var userID any
		if user.Valid {
			userID = user.Int64
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO revisions (item_id, number, user_id, user_name, created, snapshot) VALUES ($1, $2, $3, $4, $5, $6)`,
			dstID, number, userID, name, created, snapshot); err != nil {
			return fmt.Errorf("copy: write revisions: %w", markUnavailable(err))
		}
	}
	return rows.Err()
}
