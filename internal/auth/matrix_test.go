package auth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

var matrixNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// TestAuthorizationMatrixOnStoredItems is the authorization matrix on the demo site as stored,
// on each database: every role × every action × an item of the user's own university (or
// created by them) and another's, for each kind a narrower role may hold. The ownership facts
// come from the store (auth.Owned): an event's host, a learning opportunity's coordinator, a
// story's or resource's authors' universities, a session's event, and item_creators.
func TestAuthorizationMatrixOnStoredItems(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := storetest.Open(t, dbURL)
		if _, err := content.Import(ctx, db, demo.Content()); err != nil {
			t.Fatal(err)
		}
		users := map[alliance.Role]*alliance.User{}
		for _, role := range alliance.Roles {
			u := &alliance.User{Email: string(role) + "@example.eu", Role: role}
			switch role {
			case alliance.RoleMemberEditor:
				u.Member = "genil"
			case alliance.RoleTranslator:
				u.Languages = []string{"el"}
			}
			if err := db.UpdateAccounts(ctx, matrixNow, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
				t.Fatal(err)
			}
			users[role] = u
		}
		// The organiser created the Open Labs Forum and the data literacy micro-credential.
		for _, k := range []struct {
			kind alliance.Kind
			key  string
		}{{alliance.KindEvent, "open-labs-forum-2027"}, {alliance.KindLearning, "mc-data-literacy"}} {
			id, _, err := db.Ownership(ctx, k.kind, k.key)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.UpdateAccounts(ctx, matrixNow, func(tx *store.Tx) error {
				return tx.SetCreator(ctx, id, users[alliance.RoleOrganiser].ID)
			}); err != nil {
				t.Fatal(err)
			}
		}
		columns := []alliance.Action{
			alliance.Do(alliance.VerbCreate), alliance.Do(alliance.VerbEdit), alliance.Translate("el"), alliance.Translate("fr"),
			alliance.Do(alliance.VerbPublish), alliance.Do(alliance.VerbDelete), alliance.Do(alliance.VerbUsers), alliance.Do(alliance.VerbAudit),
		}
		admin := "YY YY YY YY YY YY YY YY"
		editor := "YY YY YY YY YY YY NN NN"
		member := "YN YN YN YN YN YN NN NN"
		translator := "NN NN YY NN NN NN NN NN"
		none := "NN NN NN NN NN NN NN NN"
		tests := []struct {
			kind       alliance.Kind
			own, other string // keys
			members    string // the own item's members, as stored
			organiser  string // the organiser's row; the other roles' rows are the same for every kind
		}{
			// create     edit  el   fr  publish delete users audit
			{alliance.KindEvent, "open-labs-forum-2027", "digital-teaching-webinar-2027", "[genil]", "YY YN YN YN YN YN NN NN"},
			{alliance.KindSession, "olf2027-keynote", "dtw2027-panel", "[genil]", "YN YN YN YN YN YN NN NN"},
			{alliance.KindLearning, "mc-data-literacy", "bip-democracy-lab", "[genil]", "YY YN YN YN YN YN NN NN"},
			{alliance.KindStory, "open-labs-forum-2027-granada", "africa-europe-partnership", "[genil]", none},
			{alliance.KindResource, "digital-teaching-toolkit", "democracy-in-europe-seminar-pack", "[genil]", none},
		}
		for _, tt := range tests {
			own, err := auth.Owned(ctx, db, tt.kind, tt.own)
			if err != nil {
				t.Fatal(err)
			}
			other, err := auth.Owned(ctx, db, tt.kind, tt.other)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(own.Members) != tt.members || strings.Contains(fmt.Sprint(other.Members), "genil") {
				t.Fatalf("%s: own %s belongs to %v, other %s to %v", tt.kind, tt.own, own.Members, tt.other, other.Members)
			}
			rows := map[alliance.Role]string{
				alliance.RoleAdministrator: admin, alliance.RoleEditor: editor, alliance.RoleMemberEditor: member,
				alliance.RoleOrganiser: tt.organiser, alliance.RoleTranslator: translator,
			}
			for _, role := range alliance.Roles {
				want := strings.ReplaceAll(rows[role], " ", "")
				for i, a := range columns {
					for j, it := range []alliance.Owned{own, other} {
						if got := alliance.Can(users[role], a, it); got != (want[2*i+j] == 'Y') {
							t.Errorf("%s may %s%s the %s %s: %v, want %v", role, a.Verb, a.Lang, tt.kind, []string{tt.own, tt.other}[j], got, !got)
						}
					}
				}
			}
		}
		if _, err := auth.Owned(ctx, db, alliance.KindStory, "no-such-story"); !store.IsNotFound(err) {
			t.Errorf("ownership of a missing item: %v", err)
		}
	})
}
