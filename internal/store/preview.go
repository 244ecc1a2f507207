package store

import (
	"context"
	"fmt"
	"time"

	"github.com/alliance-platform/alliance"
)

// PreviewToken is an editor's permission to see one item at its public URL before visitors
// do: as it stands (Revision 0) or as one of its revisions. Its token is only ever stored
// hashed; it is not used up by a request, so that the editor may reload the page, and it ends
// when it expires.
type PreviewToken struct {
	UserID   int64
	Kind     alliance.Kind
	Key      string
	Revision int
	// Binding is the SHA-256 (hex) of the secret that the editor's browser holds in a cookie:
	// the token previews only with it.
	Binding string
}

// CreatePreviewToken stores a preview token whose secret hashes to hash, valid until
// expires, and removes expired ones on the way (so they never pile up).
func (tx *Tx) CreatePreviewToken(ctx context.Context, hash string, p PreviewToken, expires time.Time) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM preview_tokens WHERE expires <= $1`, formatTime(tx.now)); err != nil {
		return fmt.Errorf("create preview token: %w", markUnavailable(err))
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO preview_tokens (hash, user_id, kind, key, revision, binding, created, expires)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		hash, p.UserID, string(p.Kind), p.Key, p.Revision, p.Binding, formatTime(tx.now), formatTime(expires))
	if err != nil {
		return fmt.Errorf("create preview token: %w", markUnavailable(err))
	}
	return nil
}

// PreviewTokenUser returns the preview token whose secret hashes to hash and its user, when
// it has not expired at now and the user is not disabled; else an error wrapping
// alliance.ErrNotFound. Whether the user may still see the item is the caller's to ask.
func (db *DB) PreviewTokenUser(ctx context.Context, hash string, now time.Time) (*alliance.User, *PreviewToken, error) {
	p := &PreviewToken{}
	var kind string
	u, err := scanUser(db.queryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.member, u.languages, u.lang, u.disabled, u.created,
			p.user_id, p.kind, p.key, p.revision, p.binding
		FROM preview_tokens p JOIN users u ON u.id = p.user_id
		WHERE p.hash = $1 AND p.expires > $2 AND u.disabled = 0`, hash, formatTime(now)),
		&p.UserID, &kind, &p.Key, &p.Revision, &p.Binding)
	if err != nil {
		return nil, nil, notFound(markUnavailable(err), "preview token")
	}
	p.Kind = alliance.Kind(kind)
	return u, p, nil
}

// Preview returns the item of kind and key as an editor previews it: as it stands (revision
// 0, what Edit reads, shown or not) or as its revision number, rebuilt from the revision's
// snapshot with the columns a page reads (dates, image) derived as a save derives them, and
// the stored item's id. Texts of a revision have no HTML: store.DetailOf renders their bodies.
func (db *DB) Preview(ctx context.Context, kind alliance.Kind, key string, revision int) (*alliance.Item, error) {
	stored, err := db.Edit(ctx, kind, key)
	if err != nil || revision == 0 || revision == stored.Revision {
		return stored, err
	}
	rev, err := db.Revision(ctx, kind, key, revision)
	if err != nil {
		return nil, err
	}
	it, err := rev.Snapshot.Item()
	if err != nil {
		return nil, err
	}
	if err := decodeItem(it); err != nil {
		return nil, err
	}
	it.ID, it.Revision, it.Updated = stored.ID, revision, rev.Created
	it.Data.Index(it)
	if it.Image == stored.Image {
		it.ImageWidth, it.ImageHeight = stored.ImageWidth, stored.ImageHeight
	}
	return it, nil
}
