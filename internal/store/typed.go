package store

import (
	"context"
	"encoding/json"
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
// The raw reads (List, Batch, BySlug, FrameBySlug…) still return alliance.Item with Shared and
// Fields as JSON for the public pages while they move to these.

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
	// Slugs holds the slug of every text the item has, by language: the page's links to its
	// translations.
	Slugs map[string]string
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

// Detail returns the item of kind the site shows whose text in lang has slug (or, failing that,
// any language's: matched names it), as BySlug finds it.
func (db *DB) Detail(ctx context.Context, kind alliance.Kind, lang, slug string) (d *Detail, matched string, err error) {
	it, matched, err := db.BySlug(ctx, kind, lang, slug)
	if err != nil {
		return nil, "", err
	}
	d = &Detail{Position: it.Position, Parent: it.Parent, Updated: it.Updated, Revision: it.Revision, Slugs: map[string]string{}}
	for _, t := range it.Texts {
		d.Slugs[t.Lang] = t.Slug
	}
	// BySlug holds the text shown whole and the others' language and slug only.
	var shown *alliance.Text
	// (their Fields empty: a whole text has at least "{}").
	if t := it.Text(lang); t != nil && len(t.Fields) > 0 {
		shown = t
	} else if t := it.Text(it.SourceLang); t != nil && len(t.Fields) > 0 {
		shown = t
	}
	c, err := cardOf(it, shown)
	if err != nil {
		return nil, "", err
	}
	d.Card = c
	if shown != nil {
		d.HTML = shown.HTML
	}
	return d, matched, nil
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
