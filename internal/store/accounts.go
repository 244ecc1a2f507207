package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
)

// ErrExists is returned when a user with the same address already exists.
var ErrExists = errors.New("already exists")

// UpdateAccounts runs fn in a write transaction that changes no content (users, sessions,
// tokens, the audit log): unlike Update, it leaves the content version and the outline alone,
// so that signing in drops no cached page. The Tx's clock is now.
func (db *DB) UpdateAccounts(ctx context.Context, now time.Time, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", markUnavailable(err))
	}
	if err := fn(&Tx{tx: &stmtTx{Tx: sqlTx}, db: db, now: now}); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", markUnavailable(err))
	}
	return nil
}

const userColumns = `id, email, name, role, member, languages, lang, disabled, created`

func scanUser(r interface{ Scan(...any) error }, extra ...any) (*alliance.User, error) {
	u := &alliance.User{}
	var role, langs, created string
	var disabled int
	dest := append([]any{&u.ID, &u.Email, &u.Name, &role, &u.Member, &langs, &u.Lang, &disabled, &created}, extra...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	u.Role, u.Disabled = alliance.Role(role), disabled != 0
	if langs != "" {
		u.Languages = strings.Split(langs, ",")
	}
	u.Created, _ = time.Parse(timeLayout, created)
	return u, nil
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, alliance.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// User returns the user with id.
func (db *DB) User(ctx context.Context, id int64) (*alliance.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("user %d", id))
	}
	return u, nil
}

// UserByEmail returns the user with the address (any case) and their password's hash, "" when
// they have not set one yet.
func (db *DB) UserByEmail(ctx context.Context, email string) (*alliance.User, string, error) {
	var password string
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+`, password FROM users WHERE email = $1`,
		alliance.NormalizeEmail(email)), &password)
	if err != nil {
		return nil, "", notFound(err, "user "+email)
	}
	return u, password, nil
}

// Users returns every user, by address.
func (db *DB) Users(ctx context.Context) ([]*alliance.User, error) {
	rows, err := db.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []*alliance.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// CountUsers returns how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateUser adds u (its address normalized) and sets its ID and Created. It returns ErrExists
// when the address is taken.
func (tx *Tx) CreateUser(ctx context.Context, u *alliance.User) error {
	u.Email = alliance.NormalizeEmail(u.Email)
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE email = $1`, u.Email).Scan(&n); err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, markUnavailable(err))
	}
	if n > 0 {
		return fmt.Errorf("user %s: %w", u.Email, ErrExists)
	}
	u.Created = tx.now.UTC().Truncate(time.Second)
	err := tx.tx.QueryRowContext(ctx, `
		INSERT INTO users (email, name, role, member, languages, lang, disabled, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		u.Email, u.Name, string(u.Role), u.Member, strings.Join(u.Languages, ","), u.Lang, draftFlag(u.Disabled),
		formatTime(u.Created)).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, markUnavailable(err))
	}
	return nil
}

// SaveUser writes u's name, role, member, languages, language and whether it is disabled.
// Disabling a user ends their sessions and revokes their API tokens, mailed links and preview
// links.
func (tx *Tx) SaveUser(ctx context.Context, u *alliance.User) error {
	res, err := tx.tx.ExecContext(ctx, `
		UPDATE users SET name = $2, role = $3, member = $4, languages = $5, lang = $6, disabled = $7
		WHERE id = $1`,
		u.ID, u.Name, string(u.Role), u.Member, strings.Join(u.Languages, ","), u.Lang, draftFlag(u.Disabled))
	if err != nil {
		return fmt.Errorf("save user %s: %w", u.Email, markUnavailable(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("save user %s: %w", u.Email, alliance.ErrNotFound)
	}
	if u.Disabled {
		for _, q := range []string{`DELETE FROM sessions WHERE user_id = $1`, `DELETE FROM api_tokens WHERE user_id = $1`,
			`DELETE FROM user_tokens WHERE user_id = $1`, `DELETE FROM preview_tokens WHERE user_id = $1`} {
			if _, err := tx.tx.ExecContext(ctx, q, u.ID); err != nil {
				return fmt.Errorf("disable user %s: %w", u.Email, markUnavailable(err))
			}
		}
	}
	return nil
}

// SetPassword stores a password's hash for the user. Unless keepSession is set (a rehash at
// sign-in), it ends every session of the user, so that a changed password locks out whoever
// knew the old one; keepSession names the one to keep ("" for none).
func (tx *Tx) SetPassword(ctx context.Context, userID int64, hash, keepSession string) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE users SET password = $2 WHERE id = $1`, userID, hash); err != nil {
		return fmt.Errorf("set password: %w", markUnavailable(err))
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND hash <> $2`, userID, keepSession); err != nil {
		return fmt.Errorf("set password: %w", markUnavailable(err))
	}
	return nil
}

// RehashPassword replaces a user's password hash by one with newer parameters, keeping every
// session: the password itself has not changed.
func (tx *Tx) RehashPassword(ctx context.Context, userID int64, hash string) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE users SET password = $2 WHERE id = $1`, userID, hash); err != nil {
		return fmt.Errorf("rehash password: %w", markUnavailable(err))
	}
	return nil
}

// Session is a signed-in browser. Its token is only ever stored hashed.
type Session struct {
	Hash    string // SHA-256 of the cookie's token, hex
	UserID  int64
	CSRF    string // the token its forms carry
	Created time.Time
	Expires time.Time
}

// CreateSession stores s, and removes expired sessions on the way (so they never pile up).
func (tx *Tx) CreateSession(ctx context.Context, s *Session) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires <= $1`, formatTime(tx.now)); err != nil {
		return fmt.Errorf("create session: %w", markUnavailable(err))
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, csrf, created, expires) VALUES ($1, $2, $3, $4, $5)`,
		s.Hash, s.UserID, s.CSRF, formatTime(s.Created), formatTime(s.Expires))
	if err != nil {
		return fmt.Errorf("create session: %w", markUnavailable(err))
	}
	return nil
}

// Session returns the session whose token hashes to hash and its user, when it has not expired
// at now and the user is not disabled; else an error wrapping alliance.ErrNotFound.
func (db *DB) Session(ctx context.Context, hash string, now time.Time) (*alliance.User, *Session, error) {
	s := &Session{Hash: hash}
	var created, expires string
	u, err := scanUser(db.queryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.member, u.languages, u.lang, u.disabled, u.created,
			s.user_id, s.csrf, s.created, s.expires
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = $1 AND s.expires > $2 AND u.disabled = 0`, hash, formatTime(now)),
		&s.UserID, &s.CSRF, &created, &expires)
	if err != nil {
		return nil, nil, notFound(err, "session")
	}
	s.Created, _ = time.Parse(timeLayout, created)
	s.Expires, _ = time.Parse(timeLayout, expires)
	return u, s, nil
}

// DeleteSession ends the session whose token hashes to hash.
func (tx *Tx) DeleteSession(ctx context.Context, hash string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("delete session: %w", markUnavailable(err))
	}
	return nil
}

// APIToken is a user's token for the API, stored hashed.
type APIToken struct {
	ID       int64
	UserID   int64
	Name     string
	Created  time.Time
	LastUsed time.Time // zero until used
}

// CreateAPIToken stores a token whose secret hashes to hash, and sets t.ID and t.Created.
func (tx *Tx) CreateAPIToken(ctx context.Context, hash string, t *APIToken) error {
	t.Created = tx.now.UTC().Truncate(time.Second)
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO api_tokens (hash, user_id, name, created) VALUES ($1, $2, $3, $4) RETURNING id`,
		hash, t.UserID, t.Name, formatTime(t.Created)).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("create API token: %w", markUnavailable(err))
	}
	return nil
}

// RevokeAPIToken deletes the user's token id.
func (tx *Tx) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return fmt.Errorf("revoke API token: %w", markUnavailable(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("API token %d: %w", id, alliance.ErrNotFound)
	}
	return nil
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.query(ctx, `SELECT id, user_id, name, created, last_used FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var created string
		var used sql.NullString
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created, &used); err != nil {
			return nil, fmt.Errorf("list API tokens: %w", err)
		}
		t.Created, _ = time.Parse(timeLayout, created)
		t.LastUsed = parseTime(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// UserByAPIToken returns the user of the token whose secret hashes to hash, unless disabled,
// and records the token's use at now (to the minute, so that a busy client does not write on
// every request).
func (db *DB) UserByAPIToken(ctx context.Context, hash string, now time.Time) (*alliance.User, *APIToken, error) {
	t := &APIToken{}
	var created string
	var used sql.NullString
	u, err := scanUser(db.queryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.member, u.languages, u.lang, u.disabled, u.created,
			t.id, t.user_id, t.name, t.created, t.last_used
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1 AND u.disabled = 0`, hash), &t.ID, &t.UserID, &t.Name, &created, &used)
	if err != nil {
		return nil, nil, notFound(err, "API token")
	}
	t.Created, _ = time.Parse(timeLayout, created)
	t.LastUsed = parseTime(used)
	if now.Sub(t.LastUsed) >= time.Minute {
		t.LastUsed = now.UTC().Truncate(time.Second)
		if _, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used = $2 WHERE id = $1`, t.ID, formatTime(t.LastUsed)); err != nil {
			return nil, nil, fmt.Errorf("record API token use: %w", markUnavailable(err))
		}
	}
	return u, t, nil
}

// The purposes of mailed single-use links.
const (
	PurposeReset  = "reset"
	PurposeInvite = "invite"
)

// CreateUserToken stores a single-use link's token (hashed) for purpose, valid until expires.
// A new link replaces the user's earlier ones of the same purpose.
func (tx *Tx) CreateUserToken(ctx context.Context, hash, purpose string, userID int64, expires time.Time) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM user_tokens WHERE user_id = $1 AND purpose = $2`, userID, purpose); err != nil {
		return fmt.Errorf("create %s link: %w", purpose, markUnavailable(err))
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO user_tokens (hash, user_id, purpose, created, expires) VALUES ($1, $2, $3, $4, $5)`,
		hash, userID, purpose, formatTime(tx.now), formatTime(expires))
	if err != nil {
		return fmt.Errorf("create %s link: %w", purpose, markUnavailable(err))
	}
	return nil
}

// UserToken returns the user of a valid (unused, unexpired at now) link of purpose, without
// using it: for showing its form.
func (db *DB) UserToken(ctx context.Context, hash, purpose string, now time.Time) (*alliance.User, error) {
	u, err := scanUser(db.queryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.member, u.languages, u.lang, u.disabled, u.created
		FROM user_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = $1 AND t.purpose = $2 AND t.expires > $3 AND u.disabled = 0`, hash, purpose, formatTime(now)))
	if err != nil {
		return nil, notFound(err, purpose+" link")
	}
	return u, nil
}

// UseUserToken deletes a link of purpose and returns its user's id when it was valid at the
// Tx's time: a link works once.
func (tx *Tx) UseUserToken(ctx context.Context, hash, purpose string) (int64, error) {
	var userID int64
	var expires string
	err := tx.tx.QueryRowContext(ctx, `DELETE FROM user_tokens WHERE hash = $1 AND purpose = $2 RETURNING user_id, expires`,
		hash, purpose).Scan(&userID, &expires)
	if err != nil {
		return 0, notFound(markUnavailable(err), purpose+" link")
	}
	if exp, _ := time.Parse(timeLayout, expires); !tx.now.Before(exp) {
		return 0, fmt.Errorf("%s link expired: %w", purpose, alliance.ErrNotFound)
	}
	return userID, nil
}

// SignInFailures counts the failed sign-ins after since for the address email and from the
// network address addr.
func (db *DB) SignInFailures(ctx context.Context, email, addr string, since time.Time) (byEmail, byAddr int, err error) {
	err = db.queryRow(ctx, `SELECT
			(SELECT count(*) FROM signin_failures WHERE email = $1 AND at > $3),
			(SELECT count(*) FROM signin_failures WHERE addr = $2 AND at > $3)`,
		alliance.NormalizeEmail(email), addr, formatTime(since)).Scan(&byEmail, &byAddr)
	if err != nil {
		return 0, 0, fmt.Errorf("count sign-in failures: %w", err)
	}
	return byEmail, byAddr, nil
}

// RecordSignInFailure counts a failed sign-in at the Tx's time, and forgets those older than
// forget (which no longer count).
func (tx *Tx) RecordSignInFailure(ctx context.Context, email, addr string, forget time.Time) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE at < $1`, formatTime(forget)); err != nil {
		return fmt.Errorf("record sign-in failure: %w", markUnavailable(err))
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO signin_failures (email, addr, at) VALUES ($1, $2, $3)`,
		alliance.NormalizeEmail(email), addr, formatTime(tx.now))
	if err != nil {
		return fmt.Errorf("record sign-in failure: %w", markUnavailable(err))
	}
	return nil
}

// ClearSignInFailures forgets the failures of an account, after it signed in.
func (tx *Tx) ClearSignInFailures(ctx context.Context, email string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE email = $1`, alliance.NormalizeEmail(email)); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", markUnavailable(err))
	}
	return nil
}

// SetCreator records that user created the item itemID (an organiser owns what they created).
func (tx *Tx) SetCreator(ctx context.Context, itemID, userID int64) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO item_creators (item_id, user_id) VALUES ($1, $2)
		ON CONFLICT (item_id) DO UPDATE SET user_id = excluded.user_id`, itemID, userID)
	if err != nil {
		return fmt.Errorf("record creator: %w", markUnavailable(err))
	}
	return nil
}

// Creator returns the user who created the item in the back office, 0 when none did.
func (db *DB) Creator(ctx context.Context, itemID int64) (int64, error) {
	var id int64
	err := db.queryRow(ctx, `SELECT user_id FROM item_creators WHERE item_id = $1`, itemID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read creator: %w", err)
	}
	return id, nil
}

// MemberName is a member university's key and name, for the back office's choices.
type MemberName struct {
	Key, Name string
}

// MemberNames lists every member university (drafts included) with its title in lang, else
// in its source language, by key. The back office offers them for a member editor.
func (db *DB) MemberNames(ctx context.Context, lang string) ([]MemberName, error) {
	rows, err := db.query(ctx, `
		SELECT i.key, COALESCE(
			(SELECT t.title FROM texts t WHERE t.item_id = i.id AND t.lang = $1),
			(SELECT t.title FROM texts t WHERE t.item_id = i.id AND t.lang = i.source_lang),
			i.key)
		FROM items i WHERE i.kind = $2 ORDER BY i.key`, lang, string(alliance.KindMember))
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []MemberName
	for rows.Next() {
		var m MemberName
		if err := rows.Scan(&m.Key, &m.Name); err != nil {
			return nil, fmt.Errorf("list members: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Invited returns the users who have not yet set a password (their invitation is pending).
func (db *DB) Invited(ctx context.Context) (map[int64]bool, error) {
	rows, err := db.query(ctx, `SELECT id FROM users WHERE password = ''`)
	if err != nil {
		return nil, fmt.Errorf("list invited users: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list invited users: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Ownership returns an item's id and shared fields (raw JSON) by kind and key, drafts included,
// for deciding who may change it; an error wrapping alliance.ErrNotFound when there is none.
func (db *DB) Ownership(ctx context.Context, kind alliance.Kind, key string) (int64, []byte, error) {
	var id int64
	var shared string
	err := db.queryRow(ctx, `SELECT id, shared FROM items WHERE kind = $1 AND key = $2`, string(kind), key).Scan(&id, &shared)
	if err != nil {
		return 0, nil, notFound(err, string(kind)+" "+key)
	}
	return id, []byte(shared), nil
}
