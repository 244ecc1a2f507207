package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/store"
)

// TokenPrefix starts every API token, so that a token pasted where it should not be (a
// repository, a ticket) is recognisable as one by people and by secret scanners.
const TokenPrefix = "alliance_"

// MaxTokenName bounds the name a user gives a token ("newsletter", "Genil's CMS").
const MaxTokenName = 100

// ErrTokenName is returned by IssueToken for an empty or overlong name.
var ErrTokenName = errors.New("a token needs a name of 1 to 100 characters")

// IssueToken creates an API token named name for u, acting as actor (u themself in the back
// office, the command line otherwise), and audits it in the same transaction. It returns the
// secret, which is shown once and never stored: the database keeps its hash only.
func IssueToken(ctx context.Context, db *store.DB, now time.Time, actor auth.Actor, u *alliance.User, name string) (string, *store.APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxTokenName {
		return "", nil, ErrTokenName
	}
	if u == nil || u.Disabled {
		return "", nil, fmt.Errorf("issue API token: %w", auth.ErrDisabled)
	}
	secret := TokenPrefix + auth.NewToken()
	t := &store.APIToken{UserID: u.ID, Name: name}
	err := db.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
		if err := tx.CreateAPIToken(ctx, auth.HashToken(secret), t); err != nil {
			return err
		}
		return tx.Audit(ctx, auditEntry(actor, store.AuditAPITokenCreated, u.Email, name))
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// RevokeToken deletes u's token id and audits it; an error wrapping alliance.ErrNotFound when
// u has no such token (another user's tokens are not u's to revoke).
func RevokeToken(ctx context.Context, db *store.DB, now time.Time, actor auth.Actor, u *alliance.User, id int64, name string) error {
	return db.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
		if err := tx.RevokeAPIToken(ctx, u.ID, id); err != nil {
			return err
		}
		return tx.Audit(ctx, auditEntry(actor, store.AuditAPITokenRevoked, u.Email, name))
	})
}

// auditEntry is a line of the audit log written by actor (nil user: the command line).
func auditEntry(a auth.Actor, action, subject, detail string) store.AuditEntry {
	e := store.AuditEntry{Action: action, Subject: subject, Detail: detail, Addr: a.Addr, Actor: "command line"}
	if a.User != nil {
		e.ActorID, e.Actor = a.User.ID, a.User.Email
	}
	return e
}

// bearer reads the request's token and returns its user. Without a usable token it answers
// 401 with a challenge (RFC 6750) and returns nil: no Authorization header, another scheme, a
// token that is unknown or revoked, or whose user is disabled — the answer does not say which,
// so that it tells a guesser nothing.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) *alliance.User {
	h := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if h == "" || !strings.EqualFold(scheme, "Bearer") || token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
		s.problem(w, r, http.StatusUnauthorized, "This request needs an API token, sent as Authorization: Bearer followed by the token. A signed-in user creates one in the back office.", nil)
		return nil
	}
	u, _, err := s.db.UserByAPIToken(r.Context(), auth.HashToken(token), s.now())
	switch {
	case store.IsNotFound(err):
		w.Header().Set("WWW-Authenticate", `Bearer realm="api", error="invalid_token", error_description="unknown, revoked, or of a disabled user"`)
		s.problem(w, r, http.StatusUnauthorized, "The API token is unknown, was revoked, or its user is disabled.", nil)
		return nil
	case err != nil:
		s.fail(w, r, err)
		return nil
	}
	return u
}
