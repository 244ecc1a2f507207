package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/alliance-platform/alliance"
)

// What the history of items adds to the write path (Save calls recordChange): whether each
// translation is up to date with its source text, and an audit line for every change.
//
// A text's source_hash is the hash of its item's source text (title, summary, body, translated
// fields: what a translator translates) as it was when the text was last saved with changes,
// or marked up to date. The source text's own source_hash is the hash of itself. A translation
// whose source_hash differs from its source text's is outdated: the texts' outdated column
// says so, derived in the same transaction, so that the dashboard reads it from an index.

// AuditItemRestored is the audit action of a restore of an earlier revision.
const AuditItemRestored = "item-restored"

// recordChange is called by Save after a changed item's rows and revision are written: stored
// is the item as it was (nil when new), it and snap as saved.
func (tx *Tx) recordChange(ctx context.Context, stored, it *alliance.Item, snap *alliance.Snapshot, c alliance.Change) error {
	var old *alliance.Snapshot
	if stored != nil {
		old = stored.Snapshot()
	}
	if err := tx.trackSource(ctx, it.ID, old, snap); err != nil {
		return fmt.Errorf("save %s %s: translation state: %w", it.Kind, it.Key, err)
	}
	if c.Counted { // the writer audits the transaction as a whole
		return nil
	}
	return tx.auditChange(ctx, old, snap, it.Revision, c)
}

// sourceHash is the hash of the translatable content of s's text in lang ("" when it has none):
// the part of the source a translation follows. Its slug is left out: a new address in the
// source language asks nothing of a translator.
func sourceHash(s *alliance.Snapshot, lang string) string {
	t := snapshotText(s, lang)
	if t == nil {
		return ""
	}
	data, _ := json.Marshal([]any{t.Title, t.Summary, t.Body, t.Fields})
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

func snapshotText(s *alliance.Snapshot, lang string) *alliance.SnapshotText {
	if s == nil {
		return nil
	}
	for i := range s.Texts {
		if s.Texts[i].Lang == lang {
			return &s.Texts[i]
		}
	}
	return nil
}

// sameTranslation reports whether a text's translatable content is unchanged.
func sameTranslation(a, b *alliance.SnapshotText) bool {
	return a != nil && b != nil && a.Title == b.Title && a.Summary == b.Summary && a.Body == b.Body && string(a.Fields) == string(b.Fields)
}

// trackSource writes the source_hash and outdated columns of the texts of the item id, saved
// as now (was old, nil when new). A text takes the source's current hash when it is the source
// text, is new, or changed in this save (its translator saved it against the source as it is
// now; an import of a changed file counts as such); an unchanged text keeps its hash.
func (tx *Tx) trackSource(ctx context.Context, id int64, old, now *alliance.Snapshot) error {
	current := sourceHash(now, now.SourceLang)
	if old == nil {
		_, err := tx.tx.ExecContext(ctx, `UPDATE texts SET source_hash = $2, outdated = 0 WHERE item_id = $1`, id, current)
		return markUnavailable(err)
	}
	type state struct {
		hash     string
		outdated bool
	}
	stored := map[string]state{}
	rows, err := tx.tx.QueryContext(ctx, `SELECT lang, source_hash, outdated FROM texts WHERE item_id = $1`, id)
	if err != nil {
		return markUnavailable(err)
	}
	for rows.Next() {
		var lang string
		var s state
		var outdated int
		if err := rows.Scan(&lang, &s.hash, &outdated); err != nil {
			rows.Close()
			return markUnavailable(err)
		}
		s.outdated = outdated != 0
		stored[lang] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return markUnavailable(err)
	}
	// '' is a text stored before the item's translations were tracked (migration 0011): it
	// was taken as up to date with the source as it stood, which old holds.
	previous := sourceHash(old, old.SourceLang)
	for _, t := range now.Texts {
		was := snapshotText(old, t.Lang)
		hash := current
		if t.Lang != now.SourceLang && sameTranslation(was, &t) {
			hash = stored[t.Lang].hash
			if hash == "" {
				hash = previous
			}
		}
		outdated := hash != current
		if s, ok := stored[t.Lang]; ok && s.hash == hash && s.outdated == outdated {
			continue
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE texts SET source_hash = $3, outdated = $4 WHERE item_id = $1 AND lang = $2`,
			id, t.Lang, hash, draftFlag(outdated)); err != nil {
			return markUnavailable(err)
		}
	}
	return nil
}

// MarkTranslated records that the translation of an item into lang is up to date with its
// source text as it is now, without changing the text (a translator checked it and found
// nothing to change). It is audited; alliance.ErrNotFound when the item has no text in lang.
func (tx *Tx) MarkTranslated(ctx context.Context, kind alliance.Kind, key, lang string, c alliance.Change) error {
	it, err := tx.stored(ctx, kind, key)
	if err != nil {
		return err
	}
	if it == nil {
		return fmt.Errorf("%s %s: %w", kind, key, alliance.ErrNotFound)
	}
	snap := it.Snapshot()
	if snapshotText(snap, lang) == nil {
		return fmt.Errorf("%s %s has no text in %s: %w", kind, key, lang, alliance.ErrNotFound)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE texts SET source_hash = $3, outdated = 0 WHERE item_id = $1 AND lang = $2`,
		it.ID, lang, sourceHash(snap, it.SourceLang)); err != nil {
		return fmt.Errorf("mark %s %s (%s) translated: %w", kind, key, lang, markUnavailable(err))
	}
	return tx.auditItem(ctx, AuditItemTranslated, kind, key, "up to date: "+lang, c)
}

// Delete removes an item (with its texts, facets and revisions) and audits it, in tx: the way
// the back office and the importer delete. alliance.ErrNotFound when there is no such item.
func (tx *Tx) Delete(ctx context.Context, kind alliance.Kind, key string, c alliance.Change) error {
	var id int64
	err := tx.tx.QueryRowContext(ctx, `DELETE FROM items WHERE kind = $1 AND key = $2 RETURNING id`, string(kind), key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("delete %s %s: %w", kind, key, alliance.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("delete %s %s: %w", kind, key, markUnavailable(err))
	}
	return tx.auditItem(ctx, AuditItemDeleted, kind, key, "", c)
}

// auditChange writes the audit line of a save from old (nil: created) to now, revision rev.
// The action says what the save did, most telling first: a restore, a creation, a publication
// or withdrawal, a new schedule, a translation only (no shared field, schedule or source text
// changed), else a save. The detail is the revision and the fields that changed.
func (tx *Tx) auditChange(ctx context.Context, old, now *alliance.Snapshot, rev int, c alliance.Change) error {
	action := AuditItemSaved
	detail := "revision " + strconv.Itoa(rev)
	var fields []string
	for _, d := range alliance.Diff(old, now) {
		fields = append(fields, d.Field)
	}
	switch {
	case c.Restored != 0:
		action = AuditItemRestored
		detail += " from revision " + strconv.Itoa(c.Restored)
	case old == nil:
		action = AuditItemCreated
		fields = nil
	case old.Draft && !now.Draft:
		action = AuditItemPublished
	case !old.Draft && now.Draft:
		action = AuditItemUnpublished
	case old.PublishAt != now.PublishAt || old.UnpublishAt != now.UnpublishAt:
		action = AuditItemScheduled
	case translationOnly(fields, now.SourceLang):
		action = AuditItemTranslated
	}
	if len(fields) > 0 {
		list := strings.Join(fields, ", ")
		if len(list) > 500 {
			list = list[:strings.LastIndex(list[:500], ", ")] + ", …"
		}
		detail += ": " + list
	}
	return tx.auditItem(ctx, action, now.Kind, now.Key, detail, c)
}

// translationOnly reports whether every changed field is a text's other than the source's.
func translationOnly(fields []string, source string) bool {
	if len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		if !strings.HasPrefix(f, "texts.") || strings.HasPrefix(f, "texts."+source+".") {
			return false
		}
	}
	return true
}

// auditItem writes an audit line about an item. The actor is the user's address, as the
// sign-ins' lines name them, else what acted ("import").
func (tx *Tx) auditItem(ctx context.Context, action string, kind alliance.Kind, key, detail string, c alliance.Change) error {
	actor := c.UserName
	if c.UserID != 0 {
		var email string
		err := tx.tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, c.UserID).Scan(&email)
		switch {
		case err == nil:
			actor = email
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("audit %s: %w", action, markUnavailable(err))
		}
	}
	return tx.Audit(ctx, AuditEntry{ActorID: c.UserID, Actor: actor, Action: action, Subject: string(kind) + "/" + key, Detail: detail, Addr: c.Addr})
}

// copyTranslationState gives the texts of the item dstID of tx's database the translation
// state of the item srcID's in src (Copy writes rows as stored, not through Save).
func (tx *Tx) copyTranslationState(ctx context.Context, src *DB, srcID, dstID int64) error {
	rows, err := src.query(ctx, `SELECT lang, source_hash, outdated FROM texts WHERE item_id = $1`, srcID)
	if err != nil {
		return fmt.Errorf("copy: read translation state: %w", err)
	}
	type state struct {
		lang, hash string
		outdated   int
	}
	var states []state
	for rows.Next() {
		var s state
		if err := rows.Scan(&s.lang, &s.hash, &s.outdated); err != nil {
			rows.Close()
			return fmt.Errorf("copy: read translation state: %w", err)
		}
		states = append(states, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("copy: read translation state: %w", markUnavailable(err))
	}
	for _, s := range states {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE texts SET source_hash = $3, outdated = $4 WHERE item_id = $1 AND lang = $2`,
			dstID, s.lang, s.hash, s.outdated); err != nil {
			return fmt.Errorf("copy: translation state: %w", markUnavailable(err))
		}
	}
	return nil
}
