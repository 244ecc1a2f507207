package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

var accountsNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func addUser(t *testing.T, db *store.DB, u *alliance.User) {
	t.Helper()
	err := db.UpdateAccounts(context.Background(), accountsNow, func(tx *store.Tx) error { return tx.CreateUser(context.Background(), u) })
	if err != nil {
		t.Fatal(err)
	}
}

func TestUsers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		v := db.Version()
		ana := &alliance.User{Email: " Ana@Example.EU ", Name: "Ana", Role: alliance.RoleTranslator, Languages: []string{"el", "de"}, Lang: "el"}
		addUser(t, db, ana)
		if ana.ID == 0 || ana.Email != "ana@example.eu" || !ana.Created.Equal(accountsNow) {
			t.Fatalf("created %+v", ana)
		}
		err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error {
			return tx.CreateUser(ctx, &alliance.User{Email: "ANA@example.eu", Role: alliance.RoleEditor})
		})
		if !errors.Is(err, store.ErrExists) {
			t.Errorf("second user with the same address: %v, want ErrExists", err)
		}
		got, hash, err := db.UserByEmail(ctx, "ana@EXAMPLE.eu")
		if err != nil || hash != "" || fmt.Sprint(got) != fmt.Sprint(ana) {
			t.Errorf("UserByEmail = %+v, %q, %v; want %+v", got, hash, err, ana)
		}
		if _, _, err := db.UserByEmail(ctx, "nobody@example.eu"); !store.IsNotFound(err) {
			t.Errorf("unknown address: %v", err)
		}
		ana.Role, ana.Member, ana.Languages = alliance.RoleMemberEditor, "genil", nil
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error {
			if err := tx.SetPassword(ctx, ana.ID, "$argon2id$x", ""); err != nil {
				return err
			}
			return tx.SaveUser(ctx, ana)
		}); err != nil {
			t.Fatal(err)
		}
		got, err = db.User(ctx, ana.ID)
		if err != nil || got.Role != alliance.RoleMemberEditor || got.Member != "genil" || got.Languages != nil {
			t.Errorf("after save: %+v, %v", got, err)
		}
		if _, hash, _ := db.UserByEmail(ctx, ana.Email); hash != "$argon2id$x" {
			t.Errorf("password hash %q", hash)
		}
		addUser(t, db, &alliance.User{Email: "bo@example.eu", Role: alliance.RoleEditor})
		users, err := db.Users(ctx)
		if err != nil || len(users) != 2 || users[0].Email != "ana@example.eu" || users[1].Email != "bo@example.eu" {
			t.Errorf("Users = %v, %v", users, err)
		}
		if n, err := db.CountUsers(ctx); n != 2 || err != nil {
			t.Errorf("CountUsers = %d, %v", n, err)
		}
		if db.Version() != v {
			t.Errorf("accounts changed the content version: %d, was %d", db.Version(), v)
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		u := &alliance.User{Email: "ana@example.eu", Role: alliance.RoleEditor}
		addUser(t, db, u)
		s := &store.Session{Hash: "h1", UserID: u.ID, CSRF: "c1", Created: accountsNow, Expires: accountsNow.Add(time.Hour)}
		s2 := &store.Session{Hash: "h2", UserID: u.ID, CSRF: "c2", Created: accountsNow, Expires: accountsNow.Add(time.Hour)}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error {
			if err := tx.CreateSession(ctx, s); err != nil {
				return err
			}
			return tx.CreateSession(ctx, s2)
		}); err != nil {
			t.Fatal(err)
		}
		got, gs, err := db.Session(ctx, "h1", accountsNow)
		if err != nil || got.ID != u.ID || gs.CSRF != "c1" || !gs.Expires.Equal(s.Expires) {
			t.Fatalf("Session = %+v %+v %v", got, gs, err)
		}
		if _, _, err := db.Session(ctx, "h1", accountsNow.Add(time.Hour)); !store.IsNotFound(err) {
			t.Errorf("expired session: %v", err)
		}
		if _, _, err := db.Session(ctx, "nope", accountsNow); !store.IsNotFound(err) {
			t.Errorf("unknown session: %v", err)
		}
		// A new password ends the other sessions, not the one it is set from.
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.SetPassword(ctx, u.ID, "x", "h2") }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Session(ctx, "h1", accountsNow); !store.IsNotFound(err) {
			t.Errorf("session h1 outlived a password change: %v", err)
		}
		if _, _, err := db.Session(ctx, "h2", accountsNow); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		// Disabling a user ends their sessions.
		u.Disabled = true
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.SaveUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Session(ctx, "h2", accountsNow); !store.IsNotFound(err) {
			t.Errorf("a disabled user's session: %v", err)
		}
		// Sign-out deletes.
		u.Disabled = false
		s3 := &store.Session{Hash: "h3", UserID: u.ID, CSRF: "c3", Created: accountsNow, Expires: accountsNow.Add(time.Hour)}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error {
			if err := tx.SaveUser(ctx, u); err != nil {
				return err
			}
			return tx.CreateSession(ctx, s3)
		}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Session(ctx, "h3", accountsNow); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.DeleteSession(ctx, "h3") }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Session(ctx, "h3", accountsNow); !store.IsNotFound(err) {
			t.Errorf("session after sign-out: %v", err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		u := &alliance.User{Email: "ana@example.eu", Role: alliance.RoleEditor}
		addUser(t, db, u)
		tok := &store.APIToken{UserID: u.ID, Name: "newsroom sync"}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.CreateAPIToken(ctx, "th", tok) }); err != nil {
			t.Fatal(err)
		}
		got, gt, err := db.UserByAPIToken(ctx, "th", accountsNow.Add(time.Hour))
		if err != nil || got.ID != u.ID || gt.Name != "newsroom sync" {
			t.Fatalf("UserByAPIToken = %+v %+v %v", got, gt, err)
		}
		list, err := db.APITokens(ctx, u.ID)
		if err != nil || len(list) != 1 || !list[0].LastUsed.Equal(accountsNow.Add(time.Hour)) || !list[0].Created.Equal(accountsNow) {
			t.Errorf("APITokens = %+v, %v", list, err)
		}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, u.ID+1, tok.ID) }); !store.IsNotFound(err) {
			t.Errorf("revoking another user's token: %v", err)
		}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.RevokeAPIToken(ctx, u.ID, tok.ID) }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UserByAPIToken(ctx, "th", accountsNow); !store.IsNotFound(err) {
			t.Errorf("revoked token: %v", err)
		}
	})
}

func TestUserTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		u := &alliance.User{Email: "ana@example.eu", Role: alliance.RoleEditor}
		addUser(t, db, u)
		create := func(hash, purpose string) {
			t.Helper()
			if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error {
				return tx.CreateUserToken(ctx, hash, purpose, u.ID, accountsNow.Add(time.Hour))
			}); err != nil {
				t.Fatal(err)
			}
		}
		use := func(hash, purpose string, at time.Time) (int64, error) {
			var id int64
			err := db.UpdateAccounts(ctx, at, func(tx *store.Tx) (err error) {
				id, err = tx.UseUserToken(ctx, hash, purpose)
				return err
			})
			return id, err
		}
		create("r1", store.PurposeReset)
		create("r2", store.PurposeReset) // replaces r1
		create("i1", store.PurposeInvite)
		if _, err := use("r1", store.PurposeReset, accountsNow); !store.IsNotFound(err) {
			t.Errorf("a replaced link: %v", err)
		}
		if _, err := use("i1", store.PurposeReset, accountsNow); !store.IsNotFound(err) {
			t.Errorf("an invitation used as a reset: %v", err)
		}
		if got, err := db.UserToken(ctx, "r2", store.PurposeReset, accountsNow); err != nil || got.ID != u.ID {
			t.Errorf("UserToken = %v, %v", got, err)
		}
		if id, err := use("r2", store.PurposeReset, accountsNow); err != nil || id != u.ID {
			t.Errorf("first use: %d, %v", id, err)
		}
		if _, err := use("r2", store.PurposeReset, accountsNow); !store.IsNotFound(err) {
			t.Errorf("second use: %v", err)
		}
		if _, err := db.UserToken(ctx, "i1", store.PurposeInvite, accountsNow.Add(time.Hour)); !store.IsNotFound(err) {
			t.Errorf("expired link shown: %v", err)
		}
		if _, err := use("i1", store.PurposeInvite, accountsNow.Add(time.Hour)); !store.IsNotFound(err) {
			t.Errorf("expired link used: %v", err)
		}
	})
}

func TestSignInFailures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		fail := func(email, addr string, at time.Time) {
			t.Helper()
			if err := db.UpdateAccounts(ctx, at, func(tx *store.Tx) error {
				return tx.RecordSignInFailure(ctx, email, addr, at.Add(-time.Hour))
			}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			fail("Ana@example.eu", "192.0.2.1", accountsNow.Add(time.Duration(i)*time.Minute))
		}
		fail("bo@example.eu", "192.0.2.1", accountsNow)
		fail("ana@example.eu", "192.0.2.9", accountsNow)
		e, a, err := db.SignInFailures(ctx, "ana@example.eu", "192.0.2.1", accountsNow.Add(-time.Second))
		if err != nil || e != 4 || a != 4 {
			t.Errorf("failures = %d by account, %d by address, %v; want 4, 4", e, a, err)
		}
		e, a, _ = db.SignInFailures(ctx, "ana@example.eu", "192.0.2.1", accountsNow.Add(90*time.Second))
		if e != 1 || a != 1 {
			t.Errorf("failures in the last part of the window = %d, %d; want 1, 1", e, a)
		}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.ClearSignInFailures(ctx, "ANA@example.eu") }); err != nil {
			t.Fatal(err)
		}
		e, a, _ = db.SignInFailures(ctx, "ana@example.eu", "192.0.2.1", accountsNow.Add(-time.Second))
		if e != 0 || a != 1 {
			t.Errorf("after clearing: %d, %d; want 0, 1", e, a)
		}
	})
}

func TestAuditLog(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		for i := range 7 {
			action := store.AuditSignIn
			if i%2 == 1 {
				action = store.AuditRoleChanged
			}
			if err := db.UpdateAccounts(ctx, accountsNow.Add(time.Duration(i)*time.Second), func(tx *store.Tx) error {
				return tx.Audit(ctx, store.AuditEntry{ActorID: int64(i % 3), Actor: "a@example.eu", Action: action, Subject: fmt.Sprint(i), Addr: "192.0.2.1"})
			}); err != nil {
				t.Fatal(err)
			}
		}
		// A change rolled back leaves no line.
		boom := errors.New("boom")
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error {
			if err := tx.Audit(ctx, store.AuditEntry{Action: store.AuditSignOut, Subject: "rolled back"}); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatal(err)
		}
		subjects := func(es []store.AuditEntry) string {
			s := ""
			for _, e := range es {
				s += e.Subject
			}
			return s
		}
		page1, err := db.AuditLog(ctx, store.AuditQuery{Limit: 3})
		if err != nil || subjects(page1) != "654" || !page1[0].At.Equal(accountsNow.Add(6*time.Second)) || page1[0].Addr != "192.0.2.1" {
			t.Fatalf("first page: %+v, %v", page1, err)
		}
		page2, _ := db.AuditLog(ctx, store.AuditQuery{Limit: 3, Before: page1[2].ID})
		page3, _ := db.AuditLog(ctx, store.AuditQuery{Limit: 3, Before: page2[2].ID})
		if subjects(page2) != "321" || subjects(page3) != "0" {
			t.Errorf("pages %q %q, want 321 0", subjects(page2), subjects(page3))
		}
		roles, _ := db.AuditLog(ctx, store.AuditQuery{Action: store.AuditRoleChanged})
		byActor, _ := db.AuditLog(ctx, store.AuditQuery{Actor: 2})
		if subjects(roles) != "531" || subjects(byActor) != "52" {
			t.Errorf("filtered: %q by action, %q by actor; want 531, 52", subjects(roles), subjects(byActor))
		}
	})
}

func TestCreator(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		u := &alliance.User{Email: "org@example.eu", Role: alliance.RoleOrganiser}
		addUser(t, db, u)
		it := story("s1", "2026-01-02", "research", "en")
		save(t, db, it)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.SetCreator(ctx, it.ID, u.ID)
		}); err != nil {
			t.Fatal(err)
		}
		if id, err := db.Creator(ctx, it.ID); err != nil || id != u.ID {
			t.Errorf("Creator = %d, %v; want %d", id, err, u.ID)
		}
		if id, err := db.Creator(ctx, it.ID+100); err != nil || id != 0 {
			t.Errorf("Creator of an imported item = %d, %v; want 0", id, err)
		}
	})
}

func TestMemberNames(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		m1 := &alliance.Item{Kind: alliance.KindMember, Key: "genil", SourceLang: "en", Shared: []byte(`{"short_name":"Genil","country":"ES"}`),
			Texts: []alliance.Text{{Lang: "en", Slug: "genil", Title: "University of Genil"}, {Lang: "de", Slug: "genil", Title: "Universität Genil"}}}
		m2 := &alliance.Item{Kind: alliance.KindMember, Key: "auenwald", SourceLang: "de", Shared: []byte(`{"short_name":"Auenwald","country":"DE"}`),
			Texts: []alliance.Text{{Lang: "de", Slug: "auenwald", Title: "Universität Auenwald"}}}
		save(t, db, m1, m2, story("s1", "2026-01-02", "research", "en"))
		got, err := db.MemberNames(ctx, "en")
		if err != nil || fmt.Sprint(got) != "[{auenwald Universität Auenwald} {genil University of Genil}]" {
			t.Errorf("MemberNames(en) = %v, %v", got, err)
		}
		if got, _ := db.MemberNames(ctx, "de"); fmt.Sprint(got) != "[{auenwald Universität Auenwald} {genil Universität Genil}]" {
			t.Errorf("MemberNames(de) = %v", got)
		}
	})
}
