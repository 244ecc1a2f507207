package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/alliance-platform/alliance"
)

// The outline is what the frame of every page shows of the site: the menu pages, the member
// universities and the terms of every vocabulary, with their key, parent, position, and the slug
// and title of their texts. Reading it from items and texts costs a few hundred rows and columns
// per request; so Update writes it, per language, into one row of the outlines table in the same
// transaction as the change (as a text's HTML is written when the text is saved). It is part of
// the data, never stale, and needs no invalidation. Drafts are left out of it; an item with a
// publication window is written with its window, and left out when the outline is read outside
// it (parseOutline), so that the outline changes with the clock without being written again.

// outlineKinds are the kinds the outline holds.
var outlineKinds = []alliance.Kind{
	alliance.KindPage, alliance.KindMember,
	alliance.KindCategory, alliance.KindTheme, alliance.KindResourceType, alliance.KindAudience, alliance.KindChallenge,
}

// Frame returns the site's settings and its outline in lang: the items of outlineKinds (of kinds
// only, when given), by position then key, each with its texts in lang and in its source language
// (slug and title only). One query reads both.
func (db *DB) Frame(ctx context.Context, lang string, kinds ...alliance.Kind) (*alliance.Site, []*alliance.Item, error) {
	var outline sql.NullString
	if err := db.queryRow(ctx, `SELECT data FROM outlines WHERE lang = $1`, lang).Scan(&outline); err != nil && !IsNotFound(err) {
		return nil, nil, fmt.Errorf("read frame: %w", err)
	}
	return db.frame(ctx, lang, outline, kinds)
}

// frame is Frame's result from the outline row read in lang, NULL when there is none.
func (db *DB) frame(ctx context.Context, lang string, outline sql.NullString, kinds []alliance.Kind) (*alliance.Site, []*alliance.Item, error) {
	if !outline.Valid {
		// A language the site does not have, or a database without content yet.
		site, err := db.Site(ctx)
		return site, nil, err
	}
	site, items, err := parseOutline(lang, outline.String, kinds, db.nowText())
	if err != nil {
		return nil, nil, fmt.Errorf("read outline %s: %w", lang, err)
	}
	return site, items, nil
}

// rebuildOutlines writes the outline of every language of the site.
func (tx *Tx) rebuildOutlines(ctx context.Context) error {
	var siteData string
	if err := tx.tx.QueryRowContext(ctx, `SELECT data FROM site WHERE id = 1`).Scan(&siteData); err != nil {
		return fmt.Errorf("outline: %w", err)
	}
	var site alliance.Site
	if err := json.Unmarshal([]byte(siteData), &site); err != nil {
		return fmt.Errorf("outline: %w", err)
	}
	kinds := make([]string, len(outlineKinds))
	for i, k := range outlineKinds {
		kinds[i] = string(k)
	}
	in, args := placeholders(nil, kinds)
	rows, err := tx.tx.QueryContext(ctx, `SELECT i.kind, i.key, i.parent, i.position, i.source_lang, t.lang, t.slug,
			COALESCE(i.publish_at, ''), COALESCE(i.unpublish_at, ''), t.title
		FROM items i JOIN texts t ON t.item_id = i.id
		WHERE i.kind IN (`+in+`) AND i.draft = 0 ORDER BY i.position, i.key, i.kind, t.lang`, args...)
	if err != nil {
		return fmt.Errorf("outline: %w", err)
	}
	type entry struct {
		kind, key, parent, source, lang, slug, from, until, title string
		position                                                  int
	}
	var all []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.kind, &e.key, &e.parent, &e.position, &e.source, &e.lang, &e.slug, &e.from, &e.until, &e.title); err != nil {
			rows.Close()
			return fmt.Errorf("outline: %w", err)
		}
		all = append(all, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("outline: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM outlines`); err != nil {
		return fmt.Errorf("outline: %w", err)
	}
	for _, lang := range site.Languages {
		var b strings.Builder
		// The first line holds the site's settings as a page in lang needs them.
		for i, f := range []string{site.Name, strings.Join(site.Languages, " "), site.Tagline[lang]} {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(escapeField(f))
		}
		b.WriteByte('\n')
		for _, e := range all {
			if e.lang != lang && e.lang != e.source {
				continue
			}
			for i, f := range []string{e.kind, e.key, e.parent, strconv.Itoa(e.position), e.source, e.lang, e.slug, e.from, e.until, e.title} {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(escapeField(f))
			}
			b.WriteByte('\n')
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO outlines (lang, data) VALUES ($1, $2)`, lang, b.String()); err != nil {
			return fmt.Errorf("outline %s: %w", lang, err)
		}
	}
	return nil
}

// The outline is lines of tab-separated fields; a tab, newline or backslash inside a field is
// written as \t, \n or \\.
var (
	fieldEscaper   = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`)
	fieldUnescaper = strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n")
)

func escapeField(s string) string {
	if !strings.ContainsAny(s, "\\\t\n") {
		return s
	}
	return fieldEscaper.Replace(s)
}

func unescapeField(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return fieldUnescaper.Replace(s)
}

// parseOutline reads an outline written by rebuildOutlines: the site's settings, then the
// items of the kinds given (all when none are) shown at now (formatted as stored).
func parseOutline(lang, data string, kinds []alliance.Kind, now string) (*alliance.Site, []*alliance.Item, error) {
	head, data, _ := strings.Cut(data, "\n")
	name, rest, _ := strings.Cut(head, "\t")
	langs, tagline, _ := strings.Cut(rest, "\t")
	site := &alliance.Site{Name: unescapeField(name), Languages: strings.Fields(langs)}
	if tagline != "" {
		// The tagline in lang only: the one a page in lang shows.
		site.Tagline = map[string]string{lang: unescapeField(tagline)}
	}
	// One allocation for all items and one for all texts, each of the lines' number at most: a
	// frame is read with every page.
	n := strings.Count(data, "\n") + 1
	store := make([]alliance.Item, 0, n)
	texts := make([]alliance.Text, 0, n)
	items := make([]*alliance.Item, 0, n)
	var it *alliance.Item
	var f [10]string
	for data != "" {
		line, rest, _ := strings.Cut(data, "\n")
		data = rest
		if line == "" {
			continue
		}
		rest = line
		for i := range f {
			if i == len(f)-1 {
				f[i] = rest
				break
			}
			tab := strings.IndexByte(rest, '\t')
			if tab < 0 {
				return nil, nil, fmt.Errorf("malformed line %q", line)
			}
			f[i], rest = rest[:tab], rest[tab+1:]
		}
		kind := alliance.Kind(f[0])
		if len(kinds) > 0 && !containsKind(kinds, kind) {
			continue
		}
		// Outside its window (as visible says in SQL): times are stored text that compares.
		if (f[7] != "" && f[7] > now) || (f[8] != "" && f[8] <= now) {
			continue
		}
		key := unescapeField(f[1])
		if it == nil || it.Kind != kind || it.Key != key {
			pos, err := strconv.Atoi(f[3])
			if err != nil {
				return nil, nil, fmt.Errorf("malformed position in %q", line)
			}
			if it != nil {
				it.Texts = texts[:len(texts):len(texts)]
				texts = texts[len(texts):]
			}
			store = append(store, alliance.Item{Kind: kind, Key: key, Parent: unescapeField(f[2]), Position: pos, SourceLang: f[4]})
			it = &store[len(store)-1]
			items = append(items, it)
		}
		texts = append(texts, alliance.Text{Lang: f[5], Slug: unescapeField(f[6]), Title: unescapeField(f[9])})
	}
	if it != nil {
		it.Texts = texts[:len(texts):len(texts)]
	}
	return site, items, nil
}

func containsKind(kinds []alliance.Kind, k alliance.Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}
