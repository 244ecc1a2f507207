package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/markdown"
)

// Save is the one way an item is written, whoever writes it (the importer, the back office, the
// API): in the transaction of tx, it
//
//  1. decodes the item's shared and translated fields into the kind's Go types (or, when Data
//     is set, encodes Data into them), so that what is stored is what the types hold;
//  2. refuses a save that names a revision (c.Base) other than the stored one, with a
//     *alliance.ConflictError carrying the stored item;
//  3. validates it (validate), refusing it with an *alliance.ValidationError listing every
//     problem by field;
//  4. renders each text's Markdown to HTML and fills the index columns and facets (Index);
//  5. writes it — the texts it holds replace those stored, so a text it lacks is removed — and,
//     when anything changed, records a new revision with its snapshot.
//
// Update then checks the references left open (to items saved later in the same transaction),
// writes the outline and bumps the content version, once per transaction. A refused save writes
// nothing; the caller rolls the transaction back by returning the error from Update's function.
//
// It returns the item's revision: a new one when the item changed, else the stored one.
func (tx *Tx) Save(ctx context.Context, it *alliance.Item, c alliance.Change) (*alliance.Revision, error) {
	ki, ok := alliance.InfoOf(it.Kind)
	if !ok {
		return nil, &alliance.ValidationError{Kind: it.Kind, Key: it.Key, Errors: []alliance.FieldError{{Field: "kind", Problem: alliance.ProblemChoice, Value: string(it.Kind), Message: fmt.Sprintf("unknown kind %q", it.Kind)}}}
	}
	if !alliance.ValidKey(it.Key) { // no item can have it: not a conflict
		return nil, &alliance.ValidationError{Kind: it.Kind, Key: it.Key, Errors: []alliance.FieldError{{Field: "key", Problem: alliance.ProblemSlug, Value: it.Key, Message: fmt.Sprintf("%q must be lowercase ASCII letters, digits and single hyphens", it.Key)}}}
	}
	stored, err := tx.stored(ctx, it.Kind, it.Key)
	if err != nil {
		return nil, err
	}
	if !c.Blind {
		switch {
		case stored == nil && c.Base != 0:
			return nil, &alliance.ConflictError{Kind: it.Kind, Key: it.Key, Base: c.Base}
		case stored != nil && stored.Revision != c.Base:
			return nil, &alliance.ConflictError{Kind: it.Kind, Key: it.Key, Base: c.Base, Revision: stored.Revision, Current: stored}
		}
	}
	var check alliance.Check
	var pending []pendingRef
	typed(ki, it, &check)
	if len(check.Errors) == 0 {
		if pending, err = tx.validate(ctx, ki, it, &check); err != nil {
			return nil, err
		}
	}
	if len(check.Errors) > 0 {
		return nil, &alliance.ValidationError{Kind: it.Kind, Key: it.Key, Errors: check.Errors}
	}
	// From here on the item is written: its open references are the transaction's to check.
	tx.pending = append(tx.pending, pending...)
	md := tx.db.renderer()
	for i := range it.Texts {
		t := &it.Texts[i]
		html, err := md.Render(t.Body)
		if err != nil { // validate checked the limits
			return nil, fmt.Errorf("save %s %s (%s): %w", it.Kind, it.Key, t.Lang, err)
		}
		t.HTML = string(html)
	}
	it.Facets, it.Position, it.Parent, it.Image = nil, 0, "", ""
	it.Starts, it.Ends, it.Opens, it.Closes = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	it.Data.Index(it)
	if err := tx.indexMembers(ctx, it); err != nil {
		return nil, err
	}

	expect := anyRevision
	if !c.Blind {
		expect = 0
		if stored != nil {
			expect = stored.Revision
		}
	}
	snap := it.Snapshot()
	rev := &alliance.Revision{Kind: it.Kind, Key: it.Key, UserID: c.UserID, UserName: c.UserName, Created: tx.now.UTC().Truncate(time.Second)}
	updated := tx.now
	if stored != nil && stored.Snapshot().Equal(snap) {
		// Nothing an editor writes changed (an import of the same folder): no revision, and the
		// item keeps its time of change. Its rows are written all the same, so that derived data
		// follows the code that derives it.
		it.Revision, updated = stored.Revision, stored.Updated
		rev.Number, rev.UserID, rev.UserName = stored.Revision, 0, ""
		if err := tx.saveItem(ctx, it, updated, expect); err != nil {
			return nil, tx.changed(ctx, it, c, err)
		}
		rev.ItemID = it.ID
		return rev, nil
	}
	if stored != nil {
		it.Revision = stored.Revision + 1
	} else {
		it.Revision = 1
	}
	if err := tx.saveItem(ctx, it, updated, expect); err != nil {
		return nil, tx.changed(ctx, it, c, err)
	}
	if err := tx.reindexAuthored(ctx, stored, it); err != nil {
		return nil, err
	}
	if err := tx.deleteOtherTexts(ctx, it); err != nil {
		return nil, err
	}
	data, err := json.Marshal(snap)
	if err != nil {
		return nil, fmt.Errorf("save %s %s: snapshot: %w", it.Kind, it.Key, err)
	}
	rev.ItemID, rev.Number = it.ID, it.Revision
	var user any
	if c.UserID != 0 {
		user = c.UserID
	}
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO revisions (item_id, number, user_id, user_name, created, snapshot) VALUES ($1, $2, $3, $4, $5, $6)`,
		it.ID, it.Revision, user, c.UserName, formatTime(rev.Created), string(data)); err != nil {
		return nil, fmt.Errorf("save %s %s: revision: %w", it.Kind, it.Key, markUnavailable(err))
	}
	// Which translations this leaves outdated, and the change's audit line: in the transaction
	// of the revision, for every writer (history.go).
	if err := tx.recordChange(ctx, stored, it, snap, c); err != nil {
		return nil, err
	}
	rev.Snapshot = snap
	return rev, nil
}

// changed turns saveItem's errChanged (another transaction saved the item between Save's read
// and its write) into a ConflictError with the item as stored now; other errors pass.
func (tx *Tx) changed(ctx context.Context, it *alliance.Item, c alliance.Change, err error) error {
	if !errors.Is(err, errChanged) {
		return err
	}
	current, err := tx.stored(ctx, it.Kind, it.Key)
	if err != nil {
		return err
	}
	conflict := &alliance.ConflictError{Kind: it.Kind, Key: it.Key, Base: c.Base, Current: current}
	if current != nil {
		conflict.Revision = current.Revision
	}
	return conflict
}

// Restore saves revision number of an item again, as a new revision: c.Base is the revision the
// editor saw, as for Save.
func (tx *Tx) Restore(ctx context.Context, kind alliance.Kind, key string, number int, c alliance.Change) (*alliance.Revision, error) {
	var data string
	err := tx.tx.QueryRowContext(ctx, `SELECT r.snapshot FROM revisions r JOIN items i ON i.id = r.item_id
		WHERE i.kind = $1 AND i.key = $2 AND r.number = $3`, string(kind), key, number).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("restore %s %s revision %d: %w", kind, key, number, alliance.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("restore %s %s revision %d: %w", kind, key, number, markUnavailable(err))
	}
	var snap alliance.Snapshot
	if err := json.Unmarshal([]byte(data), &snap); err != nil {
		return nil, fmt.Errorf("restore %s %s revision %d: %w", kind, key, number, err)
	}
	it, err := snap.Item()
	if err != nil {
		return nil, err
	}
	c.Restored = number // audited as a restore (history.go)
	return tx.Save(ctx, it, c)
}

// stored returns the item of kind and key as the transaction sees it, with all its texts, or nil.
func (tx *Tx) stored(ctx context.Context, kind alliance.Kind, key string) (*alliance.Item, error) {
	items, err := tx.db.queryItems(ctx, load{body: true, tx: tx.tx}, "SELECT i.* FROM items i WHERE i.kind = $1 AND i.key = $2", string(kind), key)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", kind, key, err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	it := items[0]
	for i := range it.Texts {
		it.Texts[i].HTML = "" // derived, not the editor's
	}
	return it, nil
}

// Item returns the item of kind and key as the transaction sees it, typed (Data set), or
// alliance.ErrNotFound.
func (tx *Tx) Item(ctx context.Context, kind alliance.Kind, key string) (*alliance.Item, error) {
	it, err := tx.stored(ctx, kind, key)
	if err != nil {
		return nil, err
	}
	if it == nil {
		return nil, fmt.Errorf("%s %s: %w", kind, key, alliance.ErrNotFound)
	}
	if err := decodeItem(it); err != nil {
		return nil, err
	}
	return it, nil
}

// typed makes Data and Shared (and each text's Data and Fields) agree: Data, when set, is
// encoded; otherwise the JSON is decoded into the kind's type, strictly, so that a field the
// type does not know is refused rather than dropped. Problems are recorded in check.
func typed(ki alliance.KindInfo, it *alliance.Item, check *alliance.Check) {
	if it.Data == nil {
		it.Data = ki.NewShared()
		if len(it.Shared) > 0 {
			if err := strictJSON(it.Shared, it.Data); err != nil {
				check.Add("shared", alliance.ProblemFormat, "", "%v", err)
			}
		}
	}
	if data, err := json.Marshal(it.Data); err != nil {
		check.Add("shared", alliance.ProblemFormat, "", "%v", err)
	} else {
		it.Shared = data
	}
	for i := range it.Texts {
		t := &it.Texts[i]
		if t.Data == nil {
			t.Data = ki.NewText()
			if len(t.Fields) > 0 {
				if err := strictJSON(t.Fields, t.Data); err != nil {
					check.Add("texts."+t.Lang, alliance.ProblemFormat, "", "%v", err)
				}
			}
		}
		if data, err := json.Marshal(t.Data); err != nil {
			check.Add("texts."+t.Lang, alliance.ProblemFormat, "", "%v", err)
		} else {
			t.Fields = data
		}
	}
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// validate records in check every reason not to store it: the kind's rules (Validate), the texts'
// (required title and slug, bytes, Markdown limits, the kind's rules on translated fields), slugs
// unique per kind and language, the schedule, and references. A reference to an item or a media
// file not stored yet is checked again when the transaction ends (Update), so that a transaction
// may save items in any order: it returns those. It returns an error only when the database fails.
func (tx *Tx) validate(ctx context.Context, ki alliance.KindInfo, it *alliance.Item, check *alliance.Check) (pending []pendingRef, _ error) {
	site, err := tx.site(ctx)
	if err != nil {
		return nil, err
	}
	if it.SourceLang == "" {
		check.Add("source_lang", alliance.ProblemRequired, "", "is required")
	} else if len(site.Languages) > 0 && !site.HasLanguage(it.SourceLang) {
		check.Add("source_lang", alliance.ProblemLanguage, it.SourceLang, "%q is not one of the site's languages (%s)", it.SourceLang, strings.Join(site.Languages, ", "))
	}
	it.Data.Validate(check)
	if len(it.Texts) == 0 {
		check.Add("texts", alliance.ProblemRequired, "", "at least one text is required")
	}
	if !it.PublishAt.IsZero() && !it.UnpublishAt.IsZero() && !it.UnpublishAt.After(it.PublishAt) {
		check.Add("unpublish_at", alliance.ProblemAfter, "", "must come after publish_at")
	}
	seen := map[string]bool{}
	for i := range it.Texts {
		t := &it.Texts[i]
		prefix := "texts." + t.Lang + "."
		if seen[t.Lang] {
			check.Add("texts."+t.Lang, alliance.ProblemDuplicate, t.Lang, "is given twice")
		}
		seen[t.Lang] = true
		if len(site.Languages) > 0 && !site.HasLanguage(t.Lang) {
			check.Add("texts."+t.Lang, alliance.ProblemLanguage, t.Lang, "%q is not one of the site's languages (%s)", t.Lang, strings.Join(site.Languages, ", "))
		}
		var tc alliance.Check
		t.Validate(&tc)
		if ki.Titled {
			tc.Required("title", t.Title)
			if t.Slug == "" {
				tc.Add("slug", alliance.ProblemRequired, "", "is required")
			} else if !alliance.ValidKey(t.Slug) {
				tc.Add("slug", alliance.ProblemSlug, t.Slug, "%q must be lowercase ASCII letters, digits and single hyphens", t.Slug)
			}
		}
		if p, ok := it.Data.(*alliance.Page); ok && p.Parent == "" && t.Slug != "" {
			if l, ok := locale.Get(t.Lang); ok {
				if section, taken := l.SectionBySlug(t.Slug); taken {
					tc.Add("slug", alliance.ProblemSlugSection, t.Slug, "%q is the address of the %s section in this language; choose another slug for a top-level page", t.Slug, section)
				}
			}
		}
		if err := markdown.Check(t.Body); err != nil {
			tc.Add("body", alliance.ProblemMarkdown, "", "%v", err)
		}
		if v, ok := it.Data.(alliance.TextValidator); ok {
			v.ValidateText(t.Data, &tc)
		}
		for _, e := range tc.Errors {
			e.Field = strings.TrimSuffix(prefix+e.Field, ".")
			check.Errors = append(check.Errors, e)
		}
		if t.Slug != "" {
			// slug <> '' lets the unique partial index texts_slug answer: without it SQLite
			// read every text of the kind and language through texts_translation, which made
			// a save cost in proportion to the site (and an import of 100,000 items quadratic).
			var other string
			err := tx.tx.QueryRowContext(ctx, `SELECT i.key FROM texts t JOIN items i ON i.id = t.item_id
				WHERE t.kind = $1 AND t.lang = $2 AND t.slug = $3 AND t.slug <> '' AND i.key <> $4`, string(it.Kind), t.Lang, t.Slug, it.Key).Scan(&other)
			switch {
			case err == nil:
				check.Add(prefix+"slug", alliance.ProblemSlugTaken, t.Slug, "%q is already the slug of %s %s", t.Slug, it.Kind, other)
			case !errors.Is(err, sql.ErrNoRows):
				return nil, fmt.Errorf("check slug %s: %w", t.Slug, markUnavailable(err))
			}
		}
	}
	for _, r := range it.Data.Refs() {
		if r.Kind == it.Kind && r.Key == it.Key {
			check.Add(r.Field, alliance.ProblemSelfRef, "", "an item cannot refer to itself")
			continue
		}
		ok, err := tx.exists(ctx, r, false)
		if err != nil {
			return nil, err
		}
		if !ok {
			pending = append(pending, pendingRef{from: it.Kind, key: it.Key, ref: r})
		}
	}
	for _, r := range alliance.MediaRefs(it.Data) {
		if !alliance.ValidMediaPath(r.Key) {
			check.Add(r.Field, alliance.ProblemUnknownMedia, r.Key, "%q is not a valid media path", r.Key)
			continue
		}
		ok, err := tx.exists(ctx, r, true)
		if err != nil {
			return nil, err
		}
		if !ok {
			pending = append(pending, pendingRef{from: it.Kind, key: it.Key, ref: r, media: true})
		}
	}
	return pending, nil
}

// pendingRef is a reference Save could not resolve yet: checked again at the end of Update.
type pendingRef struct {
	from  alliance.Kind
	key   string
	ref   alliance.Ref
	media bool
}

func (tx *Tx) exists(ctx context.Context, r alliance.Ref, media bool) (bool, error) {
	var n int
	var err error
	if media {
		err = tx.tx.QueryRowContext(ctx, `SELECT 1 FROM media WHERE path = $1`, r.Key).Scan(&n)
	} else {
		err = tx.tx.QueryRowContext(ctx, `SELECT 1 FROM items WHERE kind = $1 AND key = $2`, string(r.Kind), r.Key).Scan(&n)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check reference %s %s: %w", r.Kind, r.Key, markUnavailable(err))
	}
	return true, nil
}

// checkPending checks the references Save left open, now that the transaction has saved what it
// saves: a reference still unresolved refuses the transaction with a *alliance.ValidationError
// (the first item's, with every problem of that item).
func (tx *Tx) checkPending(ctx context.Context) error {
	var bad *alliance.ValidationError
	for _, p := range tx.pending {
		ok, err := tx.exists(ctx, p.ref, p.media)
		if err != nil {
			return err
		}
		if ok {
			continue
		}
		if bad == nil {
			bad = &alliance.ValidationError{Kind: p.from, Key: p.key}
		} else if bad.Kind != p.from || bad.Key != p.key {
			continue
		}
		if p.media {
			bad.Errors = append(bad.Errors, alliance.FieldError{Field: p.ref.Field, Problem: alliance.ProblemUnknownMedia, Value: p.ref.Key, Message: fmt.Sprintf("unknown media file %q", p.ref.Key)})
		} else {
			bad.Errors = append(bad.Errors, alliance.FieldError{Field: p.ref.Field, Problem: alliance.ProblemUnknownRef, Value: p.ref.Key, Message: fmt.Sprintf("unknown %s %q", p.ref.Kind, p.ref.Key)})
		}
	}
	tx.pending = nil
	if bad != nil {
		return bad
	}
	return nil
}

// site returns the site's settings as the transaction sees them, read once.
func (tx *Tx) site(ctx context.Context) (*alliance.Site, error) {
	if tx.siteSettings != nil {
		return tx.siteSettings, nil
	}
	var data string
	if err := tx.tx.QueryRowContext(ctx, `SELECT data FROM site WHERE id = 1`).Scan(&data); err != nil {
		return nil, fmt.Errorf("read site: %w", markUnavailable(err))
	}
	s := &alliance.Site{}
	if err := json.Unmarshal([]byte(data), s); err != nil {
		return nil, fmt.Errorf("read site: %w", err)
	}
	tx.siteSettings = s
	return s, nil
}

// deleteOtherTexts removes the stored texts of it in languages it does not hold.
func (tx *Tx) deleteOtherTexts(ctx context.Context, it *alliance.Item) error {
	_, err := tx.DeleteOtherTexts(ctx, it)
	return err
}

// Revisions returns the revisions of an item, newest first, without their snapshots.
func (db *DB) Revisions(ctx context.Context, kind alliance.Kind, key string) ([]alliance.Revision, error) {
	rows, err := db.query(ctx, `SELECT r.item_id, r.number, COALESCE(r.user_id, 0), r.user_name, r.created
		FROM revisions r JOIN items i ON i.id = r.item_id WHERE i.kind = $1 AND i.key = $2 ORDER BY r.number DESC`, string(kind), key)
	if err != nil {
		return nil, fmt.Errorf("revisions of %s %s: %w", kind, key, err)
	}
	defer rows.Close()
	var out []alliance.Revision
	for rows.Next() {
		r := alliance.Revision{Kind: kind, Key: key}
		var created string
		if err := rows.Scan(&r.ItemID, &r.Number, &r.UserID, &r.UserName, &created); err != nil {
			return nil, fmt.Errorf("revisions of %s %s: %w", kind, key, err)
		}
		r.Created, _ = time.Parse(timeLayout, created)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("revisions of %s %s: %w", kind, key, err)
	}
	return out, nil
}

// Revision returns one revision of an item with its snapshot, or alliance.ErrNotFound.
func (db *DB) Revision(ctx context.Context, kind alliance.Kind, key string, number int) (*alliance.Revision, error) {
	r := &alliance.Revision{Kind: kind, Key: key, Number: number}
	var created, data string
	err := db.queryRow(ctx, `SELECT r.item_id, COALESCE(r.user_id, 0), r.user_name, r.created, r.snapshot
		FROM revisions r JOIN items i ON i.id = r.item_id WHERE i.kind = $1 AND i.key = $2 AND r.number = $3`,
		string(kind), key, number).Scan(&r.ItemID, &r.UserID, &r.UserName, &created, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %s revision %d: %w", kind, key, number, alliance.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s revision %d: %w", kind, key, number, err)
	}
	r.Created, _ = time.Parse(timeLayout, created)
	r.Snapshot = &alliance.Snapshot{}
	if err := json.Unmarshal([]byte(data), r.Snapshot); err != nil {
		return nil, fmt.Errorf("%s %s revision %d: %w", kind, key, number, err)
	}
	return r, nil
}

// decodeItem fills it.Data and each text's Data from their JSON, with errors naming the item.
func decodeItem(it *alliance.Item) error {
	ki, ok := alliance.InfoOf(it.Kind)
	if !ok {
		return fmt.Errorf("%s %s: unknown kind", it.Kind, it.Key)
	}
	it.Data = ki.NewShared()
	if err := json.Unmarshal(it.Shared, it.Data); err != nil {
		return fmt.Errorf("decode %s %s: shared fields: %w", it.Kind, it.Key, err)
	}
	for i := range it.Texts {
		t := &it.Texts[i]
		t.Data = ki.NewText()
		if len(t.Fields) > 0 {
			if err := json.Unmarshal(t.Fields, t.Data); err != nil {
				return fmt.Errorf("decode %s %s (%s): fields: %w", it.Kind, it.Key, t.Lang, err)
			}
		}
	}
	return nil
}

// renderer returns the DB's Markdown renderer, made on first use: building one costs more than
// rendering a text.
func (db *DB) renderer() *markdown.Renderer {
	db.mdOnce.Do(func() { db.md = markdown.New() })
	return db.md
}

// The members facet. A story's or resource's member universities are its authors': the kinds
// have no member field of their own. Filtering the back office's list by member once read
// every author's JSON for every item of the kind (138 ms at 2,000 items on SQLite); instead the
// index step derives facets the list reads from facets_listing like any other:
//
//   - a person: "member", their university;
//   - a story or resource: "author", each author's key, and "member", each author's member.
//
// A story saved before its author (an import saves in any order) gets that author's member
// when the person is saved; a person whose member changes moves the items naming them as an
// author (reindexAuthored). Every writer goes through Save, so the facets follow every write;
// migration 0014 derived them for the rows stored before.

// indexMembers adds the facets above to it, after its kind's Index.
func (tx *Tx) indexMembers(ctx context.Context, it *alliance.Item) error {
	var authors []string
	switch d := it.Data.(type) {
	case *alliance.Person:
		it.Facets = append(it.Facets, alliance.Facet{Name: "member", Value: d.Member})
		return nil
	case *alliance.Story:
		authors = d.Authors
	case *alliance.Resource:
		authors = d.Authors
	default:
		return nil
	}
	for _, a := range authors {
		if a == "" {
			continue
		}
		it.Facets = append(it.Facets, alliance.Facet{Name: "author", Value: a})
		var member string
		err := tx.tx.QueryRowContext(ctx, `SELECT f.value FROM items p JOIN facets f ON f.item_id = p.id AND f.name = 'member'
			WHERE p.kind = 'person' AND p.key = $1`, a).Scan(&member)
		switch {
		case err == nil:
			it.Facets = append(it.Facets, alliance.Facet{Name: "member", Value: member})
		case !errors.Is(err, sql.ErrNoRows): // none: not stored yet, or without a member
			return fmt.Errorf("save %s %s: member of author %s: %w", it.Kind, it.Key, a, markUnavailable(err))
		}
	}
	return nil
}

// reindexAuthored derives again the member facets of the items naming the person it among
// their authors, when it is new (items saved before it in the transaction named it) or its
// member changed. Other kinds pass.
func (tx *Tx) reindexAuthored(ctx context.Context, stored, it *alliance.Item) error {
	p, ok := it.Data.(*alliance.Person)
	if !ok {
		return nil
	}
	if stored != nil {
		var was alliance.Person
		if json.Unmarshal(stored.Shared, &was) == nil && was.Member == p.Member {
			return nil
		}
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM facets WHERE name = 'member' AND item_id IN
		(SELECT item_id FROM facets WHERE name = 'author' AND value = $1)`, it.Key); err != nil {
		return fmt.Errorf("save %s %s: members of their items: %w", it.Kind, it.Key, markUnavailable(err))
	}
	// Each item authored by the person, each of its authors, each author's member.
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO facets (item_id, name, value, kind, starts, draft, publish_at, unpublish_at)
		SELECT DISTINCT x.item_id, 'member', m.value, x.kind, x.starts, x.draft, x.publish_at, x.unpublish_at
		FROM facets a
		JOIN facets x ON x.item_id = a.item_id AND x.name = 'author'
		JOIN items p ON p.kind = 'person' AND p.key = x.value
		JOIN facets m ON m.item_id = p.id AND m.name = 'member'
		WHERE a.name = 'author' AND a.value = $1`, it.Key); err != nil {
		return fmt.Errorf("save %s %s: members of their items: %w", it.Kind, it.Key, markUnavailable(err))
	}
	return nil
}
