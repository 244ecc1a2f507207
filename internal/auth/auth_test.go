package auth_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// cheap keeps the tests fast; the parameters' effect is tested with Current below.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestPasswordHash(t *testing.T) {
	h, err := auth.Current.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Errorf("hash %q is not a PHC string of the current parameters", h)
	}
	h2, _ := auth.Current.Hash("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tt := range []struct {
		params        auth.Params
		pw            string
		ok, rehash    bool
		wantMalformed bool
		hash          string
	}{
		{auth.Current, "correct horse battery", true, false, false, h},
		{auth.Current, "correct horse batterx", false, false, false, h},
		{auth.Current, "", false, false, false, h},
		{cheap, "correct horse battery", true, true, false, h}, // parameters changed: rehash
		{auth.Current, "x", false, false, true, "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA"},
		{auth.Current, "x", false, false, true, "plain"},
		{auth.Current, "x", false, false, true, "$argon2id$v=19$m=1,t=0,p=1$AAAA$AAAA"},
	} {
		ok, rehash, err := tt.params.Verify(tt.hash, tt.pw)
		if ok != tt.ok || rehash != tt.rehash || (err != nil) != tt.wantMalformed {
			t.Errorf("Verify(%q, %q) = %v, %v, %v; want %v, %v, error %v", tt.hash, tt.pw, ok, rehash, err, tt.ok, tt.rehash, tt.wantMalformed)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, want := range map[string]error{
		"short":                         auth.ErrPasswordTooShort,
		"ελληνικά1234":                  nil, // 12 characters, more bytes
		"ελληνικά123":                   auth.ErrPasswordTooShort,
		strings.Repeat("a", 1025):       auth.ErrPasswordTooLong,
		"a long enough passphrase here": nil,
	} {
		if err := auth.CheckPassword(pw); err != want {
			t.Errorf("CheckPassword(%.20q) = %v, want %v", pw, err, want)
		}
	}
}

func TestTokens(t *testing.T) {
	a, b := auth.NewToken(), auth.NewToken()
	if a == b || len(a) != 43 {
		t.Errorf("tokens %q %q", a, b)
	}
	if h := auth.HashToken(a); len(h) != 64 || h == a || h != auth.HashToken(a) {
		t.Errorf("hash %q", h)
	}
	if auth.SameToken("", "") || !auth.SameToken(a, a) || auth.SameToken(a, b) {
		t.Error("SameToken")
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, tt := range []struct {
		origin, fetchSite, site string
		ok                      bool
	}{
		{"", "", "", true}, // not a browser: the form's token still decides
		{"http://example.eu", "same-origin", "", true},
		{"http://example.eu", "", "", true},
		{"https://evil.example", "cross-site", "", false},
		{"", "cross-site", "", false},
		{"", "same-site", "", false}, // another host of the university
		{"https://evil.example", "", "", false},
		{"null", "", "", false},
		{"https://alliance.example.eu", "same-origin", "https://alliance.example.eu", true},
		{"http://alliance.example.eu", "same-origin", "https://alliance.example.eu", false},
	} {
		r := httptest.NewRequest("POST", "http://example.eu/admin/signin", nil)
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		if tt.fetchSite != "" {
			r.Header.Set("Sec-Fetch-Site", tt.fetchSite)
		}
		if err := auth.CheckOrigin(r, tt.site); (err == nil) != tt.ok {
			t.Errorf("Origin %q, Sec-Fetch-Site %q, site %q: %v, want ok %v", tt.origin, tt.fetchSite, tt.site, err, tt.ok)
		}
	}
}

// clock is a test's movable time.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(0, c.t.Load()).UTC() }
func (c *clock) add(d time.Duration) { c.t.Add(int64(d)) }
func newClock(t time.Time) *clock    { c := &clock{}; c.t.Store(t.UnixNano()); return c }

func service(t *testing.T, dbURL string) (*auth.Service, *clock) {
	t.Helper()
	db := storetest.Open(t, dbURL)
	c := newClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	s := auth.New(db, c.now)
	s.Params = cheap
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSite(ctx, &alliance.Site{Name: "Meridia", Languages: []string{"en", "de", "el"}}); err != nil {
			return err
		}
		_, err := tx.Save(ctx, &alliance.Item{Kind: alliance.KindMember, Key: "genil", SourceLang: "en",
			Shared: []byte(`{"short_name":"Genil","country":"ES"}`),
			Texts:  []alliance.Text{{Lang: "en", Slug: "genil", Title: "University of the Genil"}}}, alliance.Change{UserName: "test", Blind: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return s, c
}

// member invites and accepts a user with password pw.
func member(t *testing.T, s *auth.Service, email, pw string) *alliance.User {
	t.Helper()
	ctx := context.Background()
	u := &alliance.User{Email: email, Role: alliance.RoleMemberEditor, Member: "genil"}
	tok, err := s.Invite(ctx, auth.Actor{}, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseLink(ctx, tok, store.PurposeInvite, "Ana", pw, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignInAndRateLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s, c := service(t, dbURL)
		member(t, s, "ana@example.eu", "a good long password")
		in, err := s.SignIn(ctx, "ANA@example.eu", "a good long password", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		u, sess, err := s.Session(ctx, in.Token)
		if err != nil || u.Email != "ana@example.eu" || sess.CSRF != in.Session.CSRF || u.Name != "Ana" {
			t.Fatalf("Session = %+v %+v %v", u, sess, err)
		}
		if _, _, err := s.Session(ctx, in.Session.Hash); !store.IsNotFound(err) {
			t.Errorf("the stored hash works as a token: %v", err)
		}
		if _, err := s.SignIn(ctx, "nobody@example.eu", "a good long password", "192.0.2.1"); err != auth.ErrBadCredentials {
			t.Errorf("unknown address: %v", err)
		}
		for i := range 4 { // 1 failure above + 4 = the account's limit of 5
			if _, err := s.SignIn(ctx, "ana@example.eu", "wrong", "192.0.2."+string(rune('2'+i))); err != auth.ErrBadCredentials {
				t.Fatalf("failure %d: %v", i, err)
			}
		}
		if _, err := s.SignIn(ctx, "nobody@example.eu", "x", "192.0.2.1"); err != auth.ErrBadCredentials {
			t.Errorf("another account is not limited by ana's failures: %v", err)
		}
		// The account's limit holds even with the right password, from any address.
		if _, err := s.SignIn(ctx, "ana@example.eu", "wrong", "192.0.2.9"); err != auth.ErrBadCredentials {
			t.Errorf("5th failure: %v", err)
		}
		if _, err := s.SignIn(ctx, "ana@example.eu", "a good long password", "198.51.100.1"); err != auth.ErrLimited {
			t.Errorf("after 5 failures: %v, want ErrLimited", err)
		}
		c.add(auth.DefaultLimit.Window)
		if _, err := s.SignIn(ctx, "ana@example.eu", "a good long password", "198.51.100.1"); err != nil {
			t.Errorf("after the window: %v", err)
		}
		// The address's limit.
		for i := range auth.DefaultLimit.PerAddress {
			s.SignIn(ctx, "guess"+string(rune('a'+i%26))+"@example.eu", "x", "203.0.113.7")
		}
		if _, err := s.SignIn(ctx, "ana@example.eu", "a good long password", "203.0.113.7"); err != auth.ErrLimited {
			t.Errorf("from an address that failed %d times: %v", auth.DefaultLimit.PerAddress, err)
		}
		log, _ := s.DB.AuditLog(ctx, store.AuditQuery{Action: store.AuditSignInFailure, Limit: 1000})
		if len(log) != 7+auth.DefaultLimit.PerAddress {
			t.Errorf("%d failures audited, want %d", len(log), 7+auth.DefaultLimit.PerAddress)
		}
	})
}

func TestDisabledAndSignOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s, _ := service(t, dbURL)
		u := member(t, s, "ana@example.eu", "a good long password")
		in, err := s.SignIn(ctx, "ana@example.eu", "a good long password", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SignOut(ctx, auth.Actor{User: in.User}, in.Session); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Session(ctx, in.Token); !store.IsNotFound(err) {
			t.Errorf("session after sign-out: %v", err)
		}
		in, _ = s.SignIn(ctx, "ana@example.eu", "a good long password", "192.0.2.1")
		u.Disabled = true
		admin := &alliance.User{ID: 99, Email: "admin@example.eu", Role: alliance.RoleAdministrator}
		if err := s.SaveUser(ctx, auth.Actor{User: admin}, u); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Session(ctx, in.Token); !store.IsNotFound(err) {
			t.Errorf("a disabled user's session: %v", err)
		}
		if _, err := s.SignIn(ctx, "ana@example.eu", "a good long password", "192.0.2.1"); err != auth.ErrDisabled {
			t.Errorf("a disabled user signs in: %v", err)
		}
		if _, _, err := s.ResetLink(ctx, "ana@example.eu", ""); !store.IsNotFound(err) {
			t.Errorf("a disabled user gets a reset link: %v", err)
		}
		log, _ := s.DB.AuditLog(ctx, store.AuditQuery{Action: store.AuditUserDisabled})
		if len(log) != 1 || log[0].Actor != "admin@example.eu" || log[0].Subject != "ana@example.eu" {
			t.Errorf("audit of disabling: %+v", log)
		}
	})
}

func TestLinks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s, c := service(t, dbURL)
		var verr *auth.ValidationError
		_, err := s.Invite(ctx, auth.Actor{}, &alliance.User{Email: "x@example.eu", Role: alliance.RoleMemberEditor, Member: "nowhere"})
		if !errors.As(err, &verr) || !strings.Contains(err.Error(), `member: no member university has the key "nowhere"`) {
			t.Errorf("invite with an unknown member: %v", err)
		}
		_, err = s.Invite(ctx, auth.Actor{}, &alliance.User{Email: "x@example.eu", Role: alliance.RoleTranslator, Languages: []string{"fi"}})
		if !errors.As(err, &verr) || !strings.Contains(err.Error(), `"fi" is not a language of the site`) {
			t.Errorf("invite with a language not the site's: %v", err)
		}
		u := &alliance.User{Email: "tr@example.eu", Role: alliance.RoleTranslator, Languages: []string{"el"}}
		tok, err := s.Invite(ctx, auth.Actor{}, u)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Invite(ctx, auth.Actor{}, &alliance.User{Email: "TR@example.eu", Role: alliance.RoleEditor}); !errors.Is(err, store.ErrExists) {
			t.Errorf("second invitation of one address: %v", err)
		}
		if got, err := s.LinkUser(ctx, tok, store.PurposeInvite); err != nil || got.ID != u.ID {
			t.Errorf("LinkUser = %v, %v", got, err)
		}
		if _, err := s.LinkUser(ctx, tok, store.PurposeReset); err != auth.ErrBadLink {
			t.Errorf("an invitation as a reset link: %v", err)
		}
		// A refused password leaves the link usable.
		if _, err := s.UseLink(ctx, tok, store.PurposeInvite, "Eleni", "short", ""); err != auth.ErrPasswordTooShort {
			t.Errorf("short password: %v", err)
		}
		if _, err := s.UseLink(ctx, tok, store.PurposeInvite, "Eleni", "a good long password", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseLink(ctx, tok, store.PurposeInvite, "Eleni", "a good long password", ""); err != auth.ErrBadLink {
			t.Errorf("second use: %v", err)
		}
		old, _ := s.SignIn(ctx, "tr@example.eu", "a good long password", "")
		_, reset, err := s.ResetLink(ctx, "tr@example.eu", "")
		if err != nil {
			t.Fatal(err)
		}
		c.add(auth.ResetTTL)
		if _, err := s.UseLink(ctx, reset, store.PurposeReset, "", "another long password", ""); err != auth.ErrBadLink {
			t.Errorf("expired reset link: %v", err)
		}
		_, reset, _ = s.ResetLink(ctx, "tr@example.eu", "")
		in, err := s.UseLink(ctx, reset, store.PurposeReset, "", "another long password", "")
		if err != nil || in.User.Name != "Eleni" {
			t.Fatalf("reset: %+v, %v", in, err)
		}
		if _, _, err := s.Session(ctx, old.Token); !store.IsNotFound(err) {
			t.Errorf("a session from before the reset: %v", err)
		}
		if _, err := s.SignIn(ctx, "tr@example.eu", "a good long password", ""); err != auth.ErrBadCredentials {
			t.Errorf("old password after reset: %v", err)
		}
		if _, err := s.SignIn(ctx, "tr@example.eu", "another long password", ""); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}

func TestRehashOnSignIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s, _ := service(t, dbURL)
		member(t, s, "ana@example.eu", "a good long password")
		s.Params.Time = 2 // the site raised its parameters
		in, err := s.SignIn(ctx, "ana@example.eu", "a good long password", "")
		if err != nil {
			t.Fatal(err)
		}
		_, hash, _ := s.DB.UserByEmail(ctx, "ana@example.eu")
		if !strings.Contains(hash, "m=64,t=2,p=1") {
			t.Errorf("hash after sign-in: %s", hash)
		}
		if _, _, err := s.Session(ctx, in.Token); err != nil {
			t.Errorf("the rehash ended the session: %v", err)
		}
	})
}
