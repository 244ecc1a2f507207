package store

import (
	"context"
	"fmt"
	"time"

	"github.com/alliance-platform/alliance"
)

// The translation dashboard's reads: per language and kind, how many items lack a text in the
// language and how many texts are outdated (history.go), and a page of either. Counts read the
// index texts_translation (lang, kind, outdated, item_id) and the items' (kind, …) indexes: a
// missing translation is an item of the kind less a text of the kind in the language, so no
// item is compared with its texts to count them.

// TranslationCount is the state of one kind's translations into one language.
type TranslationCount struct {
	Lang     string
	Kind     alliance.Kind
	Items    int // items of the kind
	Missing  int // items without a text in Lang
	Outdated int // texts in Lang whose source text changed since they were translated
}

// TranslationCounts returns the counts of every kind (in alliance.Kinds' order) for each of
// langs, language by language.
func (db *DB) TranslationCounts(ctx context.Context, langs []string) ([]TranslationCount, error) {
	items := map[alliance.Kind]int{}
	rows, err := db.query(ctx, `SELECT kind, COUNT(*) FROM items GROUP BY kind`)
	if err != nil {
		return nil, fmt.Errorf("count items: %w", err)
	}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count items: %w", err)
		}
		items[alliance.Kind(kind)] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count items: %w", markUnavailable(err))
	}
	type lk struct {
		lang string
		kind alliance.Kind
	}
	texts, outdated := map[lk]int{}, map[lk]int{}
	for _, lang := range langs {
		rows, err := db.query(ctx, `SELECT kind, outdated, COUNT(*) FROM texts WHERE lang = $1 GROUP BY kind, outdated`, lang)
		if err != nil {
			return nil, fmt.Errorf("count texts in %s: %w", lang, err)
		}
		for rows.Next() {
			var kind string
			var o, n int
			if err := rows.Scan(&kind, &o, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("count texts in %s: %w", lang, err)
			}
			texts[lk{lang, alliance.Kind(kind)}] += n
			if o != 0 {
				outdated[lk{lang, alliance.Kind(kind)}] += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("count texts in %s: %w", lang, markUnavailable(err))
		}
	}
	var out []TranslationCount
	for _, lang := range langs {
		for _, ki := range alliance.Kinds {
			k := lk{lang, ki.Kind}
			out = append(out, TranslationCount{Lang: lang, Kind: ki.Kind, Items: items[ki.Kind],
				Missing: items[ki.Kind] - texts[k], Outdated: outdated[k]})
		}
	}
	return out, nil
}

// TranslationItem is one item of a dashboard list: its key, source language, title in the
// source language, when it was last changed.
type TranslationItem struct {
	Key        string
	SourceLang string
	Title      string
	Updated    time.Time
}

// Untranslated returns a page of the items of kind without a text in lang, by key.
func (db *DB) Untranslated(ctx context.Context, lang string, kind alliance.Kind, offset, limit int) ([]TranslationItem, error) {
	return db.translationItems(ctx, `SELECT i.key, i.source_lang, COALESCE(s.title, ''), i.updated FROM items i
		LEFT JOIN texts s ON s.item_id = i.id AND s.lang = i.source_lang
		WHERE i.kind = $1 AND NOT EXISTS (SELECT 1 FROM texts t WHERE t.item_id = i.id AND t.lang = $2)
		ORDER BY i.key LIMIT $3 OFFSET $4`, string(kind), lang, limit, offset)
}

// Outdated returns a page of the items of kind whose text in lang is outdated, in the order
// they were first stored (the index's).
func (db *DB) Outdated(ctx context.Context, lang string, kind alliance.Kind, offset, limit int) ([]TranslationItem, error) {
	return db.translationItems(ctx, `SELECT i.key, i.source_lang, COALESCE(s.title, ''), i.updated FROM texts t
		JOIN items i ON i.id = t.item_id
		LEFT JOIN texts s ON s.item_id = i.id AND s.lang = i.source_lang
		WHERE t.lang = $2 AND t.kind = $1 AND t.outdated = 1
		ORDER BY t.item_id LIMIT $3 OFFSET $4`, string(kind), lang, limit, offset)
}

func (db *DB) translationItems(ctx context.Context, q string, args ...any) ([]TranslationItem, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("translation dashboard: %w", err)
	}
	defer rows.Close()
	var out []TranslationItem
	for rows.Next() {
		var it TranslationItem
		var updated string
		if err := rows.Scan(&it.Key, &it.SourceLang, &it.Title, &updated); err != nil {
			return nil, fmt.Errorf("translation dashboard: %w", err)
		}
		it.Updated, _ = time.Parse(timeLayout, updated)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("translation dashboard: %w", markUnavailable(err))
	}
	return out, nil
}

// TranslationState returns, for each language of an item's texts, whether it is outdated.
func (db *DB) TranslationState(ctx context.Context, kind alliance.Kind, key string) (map[string]bool, error) {
	rows, err := db.query(ctx, `SELECT t.lang, t.outdated FROM texts t JOIN items i ON i.id = t.item_id WHERE i.kind = $1 AND i.key = $2`, string(kind), key)
	if err != nil {
		return nil, fmt.Errorf("translation state of %s %s: %w", kind, key, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var lang string
		var o int
		if err := rows.Scan(&lang, &o); err != nil {
			return nil, fmt.Errorf("translation state of %s %s: %w", kind, key, err)
		}
		out[lang] = o != 0
	}
	return out, markUnavailable(rows.Err())
}
