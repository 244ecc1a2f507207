package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// Errors of signing in and of mailed links. Callers show them to the user.
var (
	// ErrBadCredentials does not say whether the address is known: that would tell a guesser
	// which addresses to try.
	ErrBadCredentials = errors.New("wrong e-mail address or password")
	ErrLimited        = errors.New("too many failed sign-ins; try again later")
	ErrDisabled       = errors.New("this account is disabled")
	ErrBadLink        = errors.New("this link has expired or was already used")
)

// Limit is the rate limit of sign-in: at most PerAccount failures for one address and
// PerAddress failures from one network address within Window; beyond either, sign-in is
// refused (even with the right password) until the oldest failure leaves the window.
type Limit struct {
	Window     time.Duration
	PerAccount int
	PerAddress int
}

// DefaultLimit lets a person mistype a few times, and stops guessing at 20 passwords an hour
// per account; the limit per address is wider, for a university's offices behind one address.
var DefaultLimit = Limit{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 50}

// How long things last.
const (
	SessionTTL = 12 * time.Hour     // a working day; then sign in again
	ResetTTL   = time.Hour          // a password reset link
	InviteTTL  = 7 * 24 * time.Hour // an invitation
)

// Service signs users in and out and keeps their accounts, writing each change and its audit
// line in one transaction.
type Service struct {
	DB     *store.DB
	Now    func() time.Time
	Params Params
	Limit  Limit
}

// New returns a service on db with the current parameters and limits; now tells the time.
func New(db *store.DB, now func() time.Time) *Service {
	return &Service{DB: db, Now: now, Params: Current, Limit: DefaultLimit}
}

// CommandLine is the audit log's actor for changes made with the alliance command.
const CommandLine = "command line"

// Actor says who acts, for the audit log: a signed-in user, or nil for the command line.
type Actor struct {
	User *alliance.User
	Addr string // the request's network address
}

func (a Actor) entry(action, subject, detail string) store.AuditEntry {
	e := store.AuditEntry{Action: action, Subject: subject, Detail: detail, Addr: a.Addr, Actor: CommandLine}
	if a.User != nil {
		e.ActorID, e.Actor = a.User.ID, a.User.Email
	}
	return e
}

// SignedIn is a new session: the token for the cookie and what the store keeps.
type SignedIn struct {
	User    *alliance.User
	Token   string
	Session *store.Session
}

// dummyHash is verified when the address is unknown, so that an unknown address takes as long
// to refuse as a wrong password.
var dummyHash, _ = Current.Hash("not a password of anyone")

// SignIn checks an address and password from addr and opens a session.
func (s *Service) SignIn(ctx context.Context, email, password, addr string) (*SignedIn, error) {
	now := s.Now()
	email = alliance.NormalizeEmail(email)
	byAccount, byAddr, err := s.DB.SignInFailures(ctx, email, addr, now.Add(-s.Limit.Window))
	if err != nil {
		return nil, err
	}
	if byAccount >= s.Limit.PerAccount || byAddr >= s.Limit.PerAddress {
		return nil, ErrLimited
	}
	u, hash, err := s.DB.UserByEmail(ctx, email)
	if err != nil && !store.IsNotFound(err) {
		return nil, err
	}
	ok, rehash := false, false
	if u != nil && hash != "" {
		ok, rehash, err = s.Params.Verify(hash, password)
		if err != nil {
			return nil, fmt.Errorf("sign in %s: %w", email, err)
		}
	} else {
		s.Params.Verify(dummyHash, password)
	}
	if !ok {
		err := s.DB.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
			if err := tx.RecordSignInFailure(ctx, email, addr, now.Add(-s.Limit.Window)); err != nil {
				return err
			}
			return tx.Audit(ctx, Actor{Addr: addr}.entry(store.AuditSignInFailure, email, ""))
		})
		if err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	if u.Disabled {
		return nil, ErrDisabled
	}
	var in *SignedIn
	err = s.DB.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
		if rehash {
			h, err := s.Params.Hash(password)
			if err != nil {
				return err
			}
			if err := tx.RehashPassword(ctx, u.ID, h); err != nil {
				return err
			}
		}
		if err := tx.ClearSignInFailures(ctx, email); err != nil {
			return err
		}
		in, err = s.openSession(ctx, tx, u, now)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, Actor{User: u, Addr: addr}.entry(store.AuditSignIn, u.Email, ""))
	})
	return in, err
}

func (s *Service) openSession(ctx context.Context, tx *store.Tx, u *alliance.User, now time.Time) (*SignedIn, error) {
	tok := NewToken()
	sess := &store.Session{Hash: HashToken(tok), UserID: u.ID, CSRF: NewToken(), Created: now.UTC().Truncate(time.Second),
		Expires: now.Add(SessionTTL).UTC().Truncate(time.Second)}
	if err := tx.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	return &SignedIn{User: u, Token: tok, Session: sess}, nil
}

// Session returns the user and session of a cookie's token, or an error wrapping
// alliance.ErrNotFound when it is unknown, expired, signed out or its user disabled.
func (s *Service) Session(ctx context.Context, token string) (*alliance.User, *store.Session, error) {
	if token == "" {
		return nil, nil, fmt.Errorf("session: %w", alliance.ErrNotFound)
	}
	return s.DB.Session(ctx, HashToken(token), s.Now())
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, a Actor, sess *store.Session) error {
	return s.DB.UpdateAccounts(ctx, s.Now(), func(tx *store.Tx) error {
		if err := tx.DeleteSession(ctx, sess.Hash); err != nil {
			return err
		}
		return tx.Audit(ctx, a.entry(store.AuditSignOut, a.User.Email, ""))
	})
}

// Invite adds the user u and returns the secret of their invitation link, valid InviteTTL.
// u is validated first; a member editor's member must exist.
func (s *Service) Invite(ctx context.Context, a Actor, u *alliance.User) (string, error) {
	u.Email = alliance.NormalizeEmail(u.Email)
	if err := s.check(ctx, u); err != nil {
		return "", err
	}
	now := s.Now()
	tok := NewToken()
	err := s.DB.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.CreateUserToken(ctx, HashToken(tok), store.PurposeInvite, u.ID, now.Add(InviteTTL)); err != nil {
			return err
		}
		return tx.Audit(ctx, a.entry(store.AuditUserInvited, u.Email, describe(u)))
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// Reinvite returns the secret of a new invitation link for a user who has not yet accepted
// theirs (earlier links stop working).
func (s *Service) Reinvite(ctx context.Context, a Actor, u *alliance.User) (string, error) {
	now := s.Now()
	tok := NewToken()
	err := s.DB.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
		if err := tx.CreateUserToken(ctx, HashToken(tok), store.PurposeInvite, u.ID, now.Add(InviteTTL)); err != nil {
			return err
		}
		return tx.Audit(ctx, a.entry(store.AuditUserInvited, u.Email, "again"))
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// ValidationError lists what is wrong with a user's fields, by field.
type ValidationError struct{ Errors []alliance.FieldError }

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return strings.Join(msgs, "; ")
}

// check validates u on its own and against the site (its member exists, its languages are
// the site's).
func (s *Service) check(ctx context.Context, u *alliance.User) error {
	var c alliance.Check
	u.Validate(&c)
	if u.Member != "" && alliance.ValidKey(u.Member) {
		members, err := s.DB.MemberNames(ctx, "")
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(members, func(m store.MemberName) bool { return m.Key == u.Member }) {
			c.Add("member", alliance.ProblemUnknownRef, u.Member, "no member university has the key %q", u.Member)
		}
	}
	if len(u.Languages) > 0 {
		site, err := s.DB.Site(ctx)
		if err != nil {
			return err
		}
		for _, l := range u.Languages {
			if !site.HasLanguage(l) {
				c.Add("languages", alliance.ProblemLanguage, l, "%q is not a language of the site (%s)", l, strings.Join(site.Languages, ", "))
			}
		}
	}
	if len(c.Errors) > 0 {
		return &ValidationError{Errors: c.Errors}
	}
	return nil
}

// describe is a user's role and scope, for the audit log.
func describe(u *alliance.User) string {
	d := string(u.Role)
	if u.Member != "" {
		d += " member=" + u.Member
	}
	if len(u.Languages) > 0 {
		d += " languages=" + strings.Join(u.Languages, ",")
	}
	return d
}

// SaveUser writes the changes an administrator made to a user (name, role, member, languages,
// disabled), with one audit line per kind of change.
func (s *Service) SaveUser(ctx context.Context, a Actor, u *alliance.User) error {
	before, err := s.DB.User(ctx, u.ID)
	if err != nil {
		return err
	}
	u.Email = before.Email
	if err := s.check(ctx, u); err != nil {
		return err
	}
	return s.DB.UpdateAccounts(ctx, s.Now(), func(tx *store.Tx) error {
		if err := tx.SaveUser(ctx, u); err != nil {
			return err
		}
		var lines []store.AuditEntry
		if before.Role != u.Role {
			lines = append(lines, a.entry(store.AuditRoleChanged, u.Email, string(before.Role)+" → "+string(u.Role)))
		}
		if before.Member != u.Member || !slices.Equal(before.Languages, u.Languages) || before.Name != u.Name || before.Lang != u.Lang {
			lines = append(lines, a.entry(store.AuditUserChanged, u.Email, describe(before)+" → "+describe(u)))
		}
		switch {
		case u.Disabled && !before.Disabled:
			lines = append(lines, a.entry(store.AuditUserDisabled, u.Email, ""))
		case !u.Disabled && before.Disabled:
			lines = append(lines, a.entry(store.AuditUserEnabled, u.Email, ""))
		}
		for _, l := range lines {
			if err := tx.Audit(ctx, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// ResetLink returns the user of an address and the secret of a password reset link, valid
// ResetTTL. It returns an error wrapping alliance.ErrNotFound for an unknown or disabled
// address; callers tell the visitor the same in both cases.
func (s *Service) ResetLink(ctx context.Context, email, addr string) (*alliance.User, string, error) {
	u, _, err := s.DB.UserByEmail(ctx, email)
	if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		return nil, "", fmt.Errorf("user %s is disabled: %w", u.Email, alliance.ErrNotFound)
	}
	now := s.Now()
	tok := NewToken()
	err = s.DB.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
		if err := tx.CreateUserToken(ctx, HashToken(tok), store.PurposeReset, u.ID, now.Add(ResetTTL)); err != nil {
			return err
		}
		return tx.Audit(ctx, Actor{Addr: addr}.entry(store.AuditPasswordReset, u.Email, ""))
	})
	if err != nil {
		return nil, "", err
	}
	return u, tok, nil
}

// LinkUser returns the user of a valid link of purpose (store.PurposeReset or
// store.PurposeInvite), without using it up; ErrBadLink otherwise.
func (s *Service) LinkUser(ctx context.Context, token, purpose string) (*alliance.User, error) {
	u, err := s.DB.UserToken(ctx, HashToken(token), purpose, s.Now())
	if store.IsNotFound(err) {
		return nil, ErrBadLink
	}
	return u, err
}

// UseLink uses a link of purpose once: it sets the password (and, for an invitation, the name,
// when given), ends the user's other sessions and signs them in. The password is checked
// first, so a refused password leaves the link usable.
func (s *Service) UseLink(ctx context.Context, token, purpose, name, password, addr string) (*SignedIn, error) {
	if err := CheckPassword(password); err != nil {
		return nil, err
	}
	hash, err := s.Params.Hash(password)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	var in *SignedIn
	err = s.DB.UpdateAccounts(ctx, now, func(tx *store.Tx) error {
		id, err := tx.UseUserToken(ctx, HashToken(token), purpose)
		if store.IsNotFound(err) {
			return ErrBadLink
		}
		if err != nil {
			return err
		}
		u, err := s.DB.User(ctx, id)
		if err != nil {
			return err
		}
		if u.Disabled {
			return ErrBadLink
		}
		if purpose == store.PurposeInvite && strings.TrimSpace(name) != "" {
			u.Name = strings.TrimSpace(name)
			if err := tx.SaveUser(ctx, u); err != nil {
				return err
			}
		}
		if err := tx.SetPassword(ctx, u.ID, hash, ""); err != nil {
			return err
		}
		if err := tx.ClearSignInFailures(ctx, u.Email); err != nil {
			return err
		}
		if in, err = s.openSession(ctx, tx, u, now); err != nil {
			return err
		}
		return tx.Audit(ctx, Actor{User: u, Addr: addr}.entry(store.AuditPasswordChanged, u.Email, purpose))
	})
	return in, err
}
