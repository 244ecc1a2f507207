package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/alliance-platform/alliance"
)

// Keys returns the keys of every item, by kind, as the transaction sees them.
func (tx *Tx) Keys(ctx context.Context) (map[alliance.Kind][]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT kind, key FROM items ORDER BY kind, key`)
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", markUnavailable(err))
	}
	defer rows.Close()
	out := map[alliance.Kind][]string{}
	for rows.Next() {
		var kind, key string
		if err := rows.Scan(&kind, &key); err != nil {
			return nil, fmt.Errorf("list keys: %w", markUnavailable(err))
		}
		out[alliance.Kind(kind)] = append(out[alliance.Kind(kind)], key)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list keys: %w", markUnavailable(err))
	}
	return out, nil
}

// MediaPaths returns the paths of every media file, sorted, as the transaction sees them.
func (tx *Tx) MediaPaths(ctx context.Context) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT path FROM media`)
	if err != nil {
		return nil, fmt.Errorf("list media: %w", markUnavailable(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("list media: %w", markUnavailable(err))
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list media: %w", markUnavailable(err))
	}
	sort.Strings(out)
	return out, nil
}

// DeleteItem removes an item with its texts and facets. Nothing checks references here: the
// caller validates that what stays refers only to what stays.
func (tx *Tx) DeleteItem(ctx context.Context, kind alliance.Kind, key string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM items WHERE kind = $1 AND key = $2`, string(kind), key); err != nil {
		return fmt.Errorf("delete %s %s: %w", kind, key, markUnavailable(err))
	}
	return nil
}

// DeleteOtherTexts removes the texts of the saved item it (it.ID set by Save) in languages
// it.Texts does not hold, and returns those languages, sorted.
func (tx *Tx) DeleteOtherTexts(ctx context.Context, it *alliance.Item) ([]string, error) {
	langs := make([]string, len(it.Texts))
	for i, t := range it.Texts {
		langs[i] = t.Lang
	}
	in, args := placeholders([]any{it.ID}, langs)
	rows, err := tx.tx.QueryContext(ctx, `DELETE FROM texts WHERE item_id = $1 AND lang NOT IN (`+in+`) RETURNING lang`, args...)
	if err != nil {
		return nil, fmt.Errorf("delete texts of %s %s: %w", it.Kind, it.Key, markUnavailable(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, fmt.Errorf("delete texts of %s %s: %w", it.Kind, it.Key, markUnavailable(err))
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delete texts of %s %s: %w", it.Kind, it.Key, markUnavailable(err))
	}
	sort.Strings(out)
	return out, nil
}

// DeleteMedia removes a media file.
func (tx *Tx) DeleteMedia(ctx context.Context, path string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM media WHERE path = $1`, path); err != nil {
		return fmt.Errorf("delete media %s: %w", path, markUnavailable(err))
	}
	return nil
}
