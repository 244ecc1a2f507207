package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

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
// Each language's outline, once parsed, serves the next pages until the content version or the
// clock moves past it (parsedFrame).

// outlineKinds are the kinds the outline holds.
var outlineKinds = []alliance.Kind{
	alliance.KindPage, alliance.KindMember,
	alliance.KindCategory, alliance.KindTheme, alliance.KindResourceType, alliance.KindAudience, alliance.KindChallenge,
}

// Frame returns the site's settings and its outline in lang: the items of outlineKinds (of kinds
// only, when given), by position then key, each with its texts in lang and in its source language
// (slug and title only). The items and the site are shared by every page of the language while
// the frame holds (parsedFrame): callers read them and never change them.
func (db *DB) Frame(ctx context.Context, lang string, kinds ...alliance.Kind) (*alliance.Site, []*alliance.Item, error) {
	at := db.frameMoment(ctx)
	if f := db.heldFrame(lang, at); f != nil {
		return f.site, f.of(kinds), nil
	}
	var outline sql.NullString
	if err := db.queryRow(ctx, `SELECT data FROM outlines WHERE lang = $1`, lang).Scan(&outline); err != nil && !IsNotFound(err) {
		return nil, nil, fmt.Errorf("read frame: %w", err)
	}
	return db.frame(ctx, lang, outline, at, kinds)
}

// parsedFrame is a language's outline as parseOutline made it, with every kind, kept for the
// content version and the span of time it was parsed in. Every page shows the frame, and
// parsing the same few kilobytes for each page cost a tenth of an uncached story page's CPU
// (bench/README.md). It holds as long as a page cached by the page cache would: the next
// commit (the version) or the next instant any item's status changes (Moment) ends it.
type parsedFrame struct {
	moment
	site  *alliance.Site
	items []*alliance.Item
}

// moment is the content version and the span of time [from, next) in which nothing shown
// changes by the clock alone.
type moment struct {
	version   int64
	now, next time.Time
}

// frameMoment is the moment of a frame read now.
func (db *DB) frameMoment(ctx context.Context) moment {
	now := db.now()
	version, next := db.Moment(ctx, now)
	return moment{version: version, now: now, next: next}
}

// heldFrame is lang's parsed frame when it still holds at m, else nil.
func (db *DB) heldFrame(lang string, m moment) *parsedFrame {
	v, ok := db.frames.Load(lang)
	if !ok {
		return nil
	}
	f := v.(*parsedFrame)
	if f.version != m.version || m.now.Before(f.now) || !m.now.Before(f.next) {
		return nil
	}
	return f
}

// of is the frame's items of kinds (all when none), in the outline's order.
func (f *parsedFrame) of(kinds []alliance.Kind) []*alliance.Item {
	if len(kinds) == 0 {
		return f.items
	}
	out := make([]*alliance.Item, 0, len(f.items))
	for _, it := range f.items {
		if containsKind(kinds, it.Kind) {
			out = append(out, it)
		}
	}
	return out
}

// frame is Frame's result from the outline row read in lang at m, NULL when there is none;
// the parse is kept for the next pages of the language (the version was read before the
// outline, so a commit between the two can only make the kept outline newer than its version).
func (db *DB) frame(ctx context.Context, lang string, outline sql.NullString, m moment, kinds []alliance.Kind) (*alliance.Site, []*alliance.Item, error) {
	if !outline.Valid {
		// A language the site does not have, or a database without content yet.
		site, err := db.Site(ctx)
		return site, nil, err
	}
	site, items, err := parseOutline(lang, outline.String, nil, formatTime(m.now))
	if err != nil {
		return nil, nil, fmt.Errorf("read outline %s: %w", lang, err)
	}
	f := &parsedFrame{moment: m, site: site, items: items}
	db.frames.Store(lang, f)
	return site, f.of(kinds), nil
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
		// The second line counts the lines of each kind, "page 12 member 9 …", so that a page
		// reading a few kinds sizes its items without scanning the outline twice.
		counts := map[string]int{}
		var order []string
		for _, e := range all {
			if e.lang == lang || e.lang == e.source {
				if counts[e.kind] == 0 {
					order = append(order, e.kind)
				}
				counts[e.kind]++
			}
		}
		for i, k := range order {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(k + " " + strconv.Itoa(counts[k]))
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
	// The line counts per kind (see rebuildOutlines): the items' number is at most the lines'
	// of the kinds asked for. An Item is some 400 bytes, and most lines are of vocabularies a
	// page does not show.
	countLine, data, _ := strings.Cut(data, "\n")
	n := 0
	for rest := countLine; rest != ""; {
		var k, c string
		k, rest, _ = strings.Cut(rest, " ")
		c, rest, _ = strings.Cut(rest, " ")
		if len(kinds) == 0 || containsKind(kinds, alliance.Kind(k)) {
			v, err := strconv.Atoi(c)
			if err != nil {
				return nil, nil, fmt.Errorf("malformed counts %q", countLine)
			}
			n += v
		}
	}
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
		// Lines of kinds not asked for are passed over before their fields are split: a page
		// asks for a few of the vocabularies the outline holds.
		if len(kinds) > 0 {
			tab := strings.IndexByte(line, '\t')
			if tab < 0 {
				return nil, nil, fmt.Errorf("malformed line %q", line)
			}
			if !containsKind(kinds, alliance.Kind(line[:tab])) {
				continue
			}
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
