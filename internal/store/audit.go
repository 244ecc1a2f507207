package store

import (
	"context"
	"fmt"
	"time"
)

// The actions the audit log records. The values are stored; they never change.
const (
	AuditSignIn          = "sign-in"
	AuditSignInFailure   = "sign-in-failure"
	AuditSignOut         = "sign-out"
	AuditUserInvited     = "user-invited"
	AuditUserChanged     = "user-changed" // name, member, languages
	AuditRoleChanged     = "role-changed"
	AuditUserDisabled    = "user-disabled"
	AuditUserEnabled     = "user-enabled"
	AuditPasswordChanged = "password-changed"
	AuditPasswordReset   = "password-reset-requested"
	AuditAPITokenCreated = "api-token-created"
	AuditAPITokenRevoked = "api-token-revoked"
	// Item changes, written by the content write path in the transaction of the change.
	AuditItemCreated     = "item-created"
	AuditItemSaved       = "item-saved"
	AuditItemTranslated  = "item-translated"
	AuditItemPublished   = "item-published"
	AuditItemUnpublished = "item-unpublished"
	AuditItemScheduled   = "item-scheduled"
	AuditItemDeleted     = "item-deleted"
	// An import's transaction, audited once with its counts (alliance.Change.Counted).
	AuditItemsImported = "item-imported"
)

// AuditActions lists every action the audit log records.
var AuditActions = []string{AuditSignIn, AuditSignInFailure, AuditSignOut, AuditUserInvited, AuditUserChanged,
	AuditRoleChanged, AuditUserDisabled, AuditUserEnabled, AuditPasswordChanged, AuditPasswordReset,
	AuditAPITokenCreated, AuditAPITokenRevoked, AuditItemCreated, AuditItemSaved, AuditItemTranslated,
	AuditItemPublished, AuditItemUnpublished, AuditItemScheduled, AuditItemDeleted, AuditItemRestored,
	AuditMediaUploaded, AuditMediaDeleted, AuditItemsImported}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID      int64
	At      time.Time // when; the Tx's time when zero
	ActorID int64     // the user who acted; 0 for the command line or an unknown address
	Actor   string    // their address at the time, or what acted ("command line")
	Action  string    // one of the Audit* constants
	Subject string    // what was acted on: a user's address, an item's kind/key
	Detail  string    // more, such as a role change's old and new roles
	Addr    string    // the network address the request came from
}

// Audit adds e to the audit log, in the transaction of the change it records: the log has a
// line for a change exactly when the change is committed.
func (tx *Tx) Audit(ctx context.Context, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO audit (at, actor_id, actor, action, subject, detail, addr) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		formatTime(e.At), e.ActorID, e.Actor, e.Action, e.Subject, e.Detail, e.Addr)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, markUnavailable(err))
	}
	return nil
}

// AuditQuery selects a page of the audit log.
type AuditQuery struct {
	Before int64 // only entries older than this one (its ID); 0 for the newest
	Limit  int   // at most this many; 50 when 0
	Action string
	Actor  int64
}

// AuditLog returns entries of the audit log, newest first. A next page starts Before the last
// entry returned.
func (db *DB) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	before := q.Before
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := db.query(ctx, `SELECT id, at, actor_id, actor, action, subject, detail, addr FROM audit
		WHERE id < $1 AND ($2 = '' OR action = $2) AND ($3 = 0 OR actor_id = $3)
		ORDER BY id DESC LIMIT $4`, before, q.Action, q.Actor, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.Action, &e.Subject, &e.Detail, &e.Addr); err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		e.At, _ = time.Parse(timeLayout, at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}
