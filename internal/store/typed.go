package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/alliance-platform/alliance"
)

// The typed reads. Each returns what one use needs, decoded into the kinds' Go types, with a
// decoding error (naming the kind and key) rather than raw JSON: Cards for listings and the
// items a page shows beside its own, Detail for an item's own page, Edit and Export for the back
// office, the API and export (everything, hidden items included). What a read does not load is
// not in its type (a Card has no body), and a missing translation is a nil text.
//
// The public pages read only these. The raw reads (List, Batch, ByKeys, Item, All) return
// alliance.Item with Shared and Fields as JSON, for the API (which re-encodes them), the typed
// reads themselves and the importer.

// Card is what a listing, or a page beside its own item, shows of an item: no body.
type Card struct {
	ID                          int64
	Kind                        alliance.Kind
	Key                         string
	SourceLang                  string
	Data                        alliance.Shared
	Starts, Ends, Opens, Closes time.Time
	// Text is the text a page in the asked language shows: in that language, else in the
	// source language; nil when the item has neither.
	Text *CardText
}

// CardText is a text as a card shows it.
type CardText struct {
	Lang, Slug, Title, Summary string
	Data                       any // the kind's NewText type
}

// Fallback reports whether the card's text is not in lang.
func (c *Card) Fallback(lang string) bool { return c.Text == nil || c.Text.Lang != lang }

// Detail is an item as its own page shows it, in one language.
type Detail struct {
	Card
	// HTML is Text's body, rendered when it was saved.
	HTML     string
	Position int
	Parent   string
	Updated  time.Time
	Revision int
	// ImageWidth and ImageHeight are the size of the item's lead image (Item.Image), read with
	// its row; zero when it has none or the size is unknown.
	ImageWidth, ImageHeight int
	// Slugs holds the slug of every text the item has, by language: the page's links to its
	// translations. Details of a listing (Details) leave it nil.
	Slugs map[string]string
}

// SlugIn is the slug of the item's page in lang — its text's in lang, else its source
// language's — and whether it has a text in lang.
func (d *Detail) SlugIn(lang string) (slug string, translated bool) {
	if s, ok := d.Slugs[lang]; ok {
		return s, true
	}
	if s, ok := d.Slugs[d.SourceLang]; ok {
		return s, false
	}
	if d.Text != nil {
		return d.Text.Slug, false
	}
	return "", false
}

// Cards returns the items q selects as cards in lang, without bodies.
func (db *DB) Cards(ctx context.Context, lang string, q Query) ([]Card, error) {
	q.Lang, q.NoBody = lang, true
	items, err := db.List(ctx, q)
	if err != nil {
		return nil, err
	}
	return cardsOf(items)
}

// Details returns the items q selects as their pages show them in lang, with their body's HTML
// (unless q.NoBody: a calendar shows none) and without Slugs: the sessions an event's page
// shows whole.
func (db *DB) Details(ctx context.Context, lang string, q Query) ([]Detail, error) {
	q.Lang = lang
	items, err := db.List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]Detail, len(items))
	for i, it := range items {
		d, err := detailOf(it, lang, false)
		if err != nil {
			return nil, err
		}
		d.Slugs = nil
		out[i] = *d
	}
	return out, nil
}

// CardParts is Batch with cards.
func (db *DB) CardParts(ctx context.Context, lang string, parts ...Part) ([][]Card, error) {
	lists, err := db.Batch(ctx, lang, parts...)
	if err != nil {
		return nil, err
	}
	out := make([][]Card, len(lists))
	for i, items := range lists {
		if out[i], err = cardsOf(items); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CardsByKey returns the cards in lang of the items of kind with the given keys that the site
// shows, by key; unknown keys are absent: the people a page names.
func (db *DB) CardsByKey(ctx context.Context, kind alliance.Kind, lang string, keys ...string) (map[string]*Card, error) {
	out := make(map[string]*Card, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	parts, err := db.CardParts(ctx, lang, Keys(kind, keys...))
	if err != nil {
		return nil, err
	}
	for i := range parts[0] {
		out[parts[0][i].Key] = &parts[0][i]
	}
	return out, nil
}

// Detail returns the item of kind the site shows whose text in lang has slug (or, failing that,
// any language's: matched names it): the text a page in lang shows of it (in lang, else in its
// source language) with its body's HTML, and the slug of every other text, for the page's links
// to its translations.
func (db *DB) Detail(ctx context.Context, kind alliance.Kind, lang, slug string) (d *Detail, matched string, err error) {
	it, matched, err := db.bySlug(ctx, load{lang: lang, html: true, slugs: true, image: true}, kind, slug)
	if err != nil {
		return nil, "", err
	}
	if d, err = detailOf(it, lang, false); err != nil {
		return nil, "", err
	}
	return d, matched, nil
}

// FrameDetail is Frame and Detail in one query, for the page of one item: one round trip to
// PostgreSQL instead of two. d is nil when no item has the slug; the frame is read all the same,
// for the page that says so.
func (db *DB) FrameDetail(ctx context.Context, lang string, frameKinds []alliance.Kind, kind alliance.Kind, slug string) (site *alliance.Site, frame []*alliance.Item, d *Detail, matched string, err error) {
	at := db.frameMoment(ctx)
	held := db.heldFrame(lang, at)
	var outline sql.NullString
	l := load{lang: lang, html: true, slugs: true, image: true}
	if held == nil {
		l.outline = &outline // the frame read in the item's statement: one round trip
	}
	it, matched, err := db.bySlug(ctx, l, kind, slug)
	if errors.Is(err, alliance.ErrNotFound) {
		// No row, so no outline either: the frame on its own.
		site, frame, err = db.Frame(ctx, lang, frameKinds...)
		return site, frame, nil, "", err
	}
	if err != nil {
		return nil, nil, nil, "", err
	}
	if d, err = detailOf(it, lang, false); err != nil {
		return nil, nil, nil, "", err
	}
	if held != nil {
		return held.site, held.of(frameKinds), d, matched, nil
	}
	site, frame, err = db.frame(ctx, lang, outline, at, frameKinds)
	return site, frame, d, matched, err
}

// DetailByKey returns the item of kind with key, as Detail does, when the site shows it: a
// menu page, found in the outline by its path.
func (db *DB) DetailByKey(ctx context.Context, kind alliance.Kind, lang, key string) (*Detail, error) {
	inner, args := Keys(kind, key).sql(nil, "i.*", db.shownAt(false))
	items, err := db.queryItems(ctx, load{lang: lang, html: true, slugs: true, image: true}, inner, args...)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s %s: %w", kind, key, alliance.ErrNotFound)
	}
	return detailOf(items[0], lang, false)
}

// DetailOf is the page in lang of a whole item (every text with its body), as Detail reads a
// stored one: the preview of a draft or of a revision, whose bodies render must give as HTML
// when the item holds none (a revision keeps Markdown only).
func DetailOf(it *alliance.Item, lang string, render func(markdown string) string) (*Detail, error) {
	d, err := detailOf(it, lang, true)
	if err != nil {
		return nil, err
	}
	if d.HTML == "" && d.Text != nil {
		if t := it.Text(d.Text.Lang); t != nil && t.Body != "" {
			d.HTML = render(t.Body)
		}
	}
	return d, nil
}

// detailOf makes the Detail in lang of it, read with the texts a page needs: whole says its
// texts are all whole; otherwise the text shown is whole and the others hold their language and
// slug only (their Fields empty, where a whole text has at least "{}").
func detailOf(it *alliance.Item, lang string, whole bool) (*Detail, error) {
	d := &Detail{Position: it.Position, Parent: it.Parent, Updated: it.Updated, Revision: it.Revision,
		ImageWidth: it.ImageWidth, ImageHeight: it.ImageHeight, Slugs: make(map[string]string, len(it.Texts))}
	for _, t := range it.Texts {
		d.Slugs[t.Lang] = t.Slug
	}
	var shown *alliance.Text
	if t := it.Text(lang); t != nil && (whole || len(t.Fields) > 0) {
		shown = t
	} else if t := it.Text(it.SourceLang); t != nil && (whole || len(t.Fields) > 0) {
		shown = t
	}
	c, err := cardOf(it, shown)
	if err != nil {
		return nil, err
	}
	d.Card = c
	if shown != nil {
		d.HTML = shown.HTML
	}
	return d, nil
}

// EditBySlug returns the item of kind, shown or not, whose text in lang has slug (else the
// first whose text in any language has it), as Edit does: the item a preview at its public URL
// shows.
func (db *DB) EditBySlug(ctx context.Context, kind alliance.Kind, lang, slug string) (*alliance.Item, error) {
	var key string
	err := db.queryRow(ctx, `SELECT i.key FROM items i WHERE i.id = COALESCE(
		(SELECT item_id FROM texts WHERE kind = $1 AND lang = $3 AND slug = $2 AND slug <> ''),
		(SELECT item_id FROM texts WHERE kind = $1 AND slug = $2 ORDER BY lang LIMIT 1))`, string(kind), slug, lang).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %s/%s: %w", kind, lang, slug, alliance.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("find %s %s/%s: %w", kind, lang, slug, markUnavailable(err))
	}
	return db.Edit(ctx, kind, key)
}

// MenuTexts returns the menu pages and the members, by position then key, each with the
// language, slug and title of every text: what a menu page links its translations with (the
// outline holds the visitor's language and the source languages only).
func (db *DB) MenuTexts(ctx context.Context) ([]*alliance.Item, error) {
	items, err := db.List(ctx, Query{Kind: alliance.KindPage, Also: []alliance.Kind{alliance.KindMember}, NoBody: true})
	for _, it := range items {
		it.Shared = nil // an outline's entry, as Frame's: no fields
	}
	return items, err
}

// Edit returns the item of kind and key, shown or not, with every text whole (Markdown and
// HTML), Data and each text's Data decoded, and its revision: what an editor starts from.
func (db *DB) Edit(ctx context.Context, kind alliance.Kind, key string) (*alliance.Item, error) {
	it, err := db.Item(ctx, kind, key)
	if err != nil {
		return nil, err
	}
	if err := decodeItem(it); err != nil {
		return nil, err
	}
	return it, nil
}

// Export returns every item of kind as Edit does, by position then key.
func (db *DB) Export(ctx context.Context, kind alliance.Kind) ([]*alliance.Item, error) {
	items, err := db.All(ctx, kind)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if err := decodeItem(it); err != nil {
			return nil, err
		}
	}
	return items, nil
}

func cardsOf(items []*alliance.Item) ([]Card, error) {
	out := make([]Card, len(items))
	for i, it := range items {
		var t *alliance.Text
		if len(it.Texts) > 0 {
			t = &it.Texts[0] // the one text a read in a language loads
		}
		c, err := cardOf(it, t)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func cardOf(it *alliance.Item, t *alliance.Text) (Card, error) {
	ki, ok := alliance.InfoOf(it.Kind)
	if !ok {
		return Card{}, fmt.Errorf("%s %s: unknown kind", it.Kind, it.Key)
	}
	c := Card{ID: it.ID, Kind: it.Kind, Key: it.Key, SourceLang: it.SourceLang, Data: ki.NewShared(),
		Starts: it.Starts, Ends: it.Ends, Opens: it.Opens, Closes: it.Closes}
	if err := json.Unmarshal(it.Shared, c.Data); err != nil {
		return Card{}, fmt.Errorf("decode %s %s: shared fields: %w", it.Kind, it.Key, err)
	}
	if t != nil {
		ct := &CardText{Lang: t.Lang, Slug: t.Slug, Title: t.Title, Summary: t.Summary, Data: ki.NewText()}
		if len(t.Fields) > 0 {
			if err := json.Unmarshal(t.Fields, ct.Data); err != nil {
				return Card{}, fmt.Errorf("decode %s %s (%s): fields: %w", it.Kind, it.Key, t.Lang, err)
			}
		}
		c.Text = ct
	}
	return c, nil
}
