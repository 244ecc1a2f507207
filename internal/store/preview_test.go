package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// A preview token is found by its hash until it expires, and not once its user is disabled;
// Preview gives a past revision with its dates derived and its Markdown unrendered, and the
// item as it stands, draft or not.
func TestPreviewTokensAndRevisions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		ed := &alliance.User{Email: "ed@example.eu", Name: "Ed", Role: alliance.RoleEditor}
		addUser(t, db, ed)

		it := typedStory("preview-me", "First title")
		if _, err := saveAs(db, it, alliance.Change{UserID: ed.ID, UserName: ed.Name}); err != nil {
			t.Fatal(err)
		}
		it, _ = db.Edit(ctx, alliance.KindStory, "preview-me")
		it.Draft = true
		it.Data.(*alliance.Story).Date = "2026-04-02"
		it.Texts[0].Title, it.Texts[0].Body = "Second title", "Changed *news*."
		if _, err := saveAs(db, it, alliance.Change{UserID: ed.ID, UserName: ed.Name, Base: it.Revision}); err != nil {
			t.Fatal(err)
		}

		first, err := db.Preview(ctx, alliance.KindStory, "preview-me", 1)
		if err != nil {
			t.Fatal(err)
		}
		if first.Revision != 1 || first.Draft || first.ID == 0 || first.Text("en").Title != "First title" ||
			!first.Starts.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || first.Text("en").HTML != "" {
			t.Errorf("revision 1 = rev %d draft %v id %d %q starts %v html %q", first.Revision, first.Draft, first.ID, first.Text("en").Title, first.Starts, first.Text("en").HTML)
		}
		d, err := store.DetailOf(first, "en", func(md string) string { return "<p>" + md + "</p>" })
		if err != nil || d.HTML != "<p>Some *news*.</p>" || d.Text.Title != "First title" {
			t.Errorf("DetailOf revision 1 = %+v, %v", d, err)
		}
		now, err := db.Preview(ctx, alliance.KindStory, "preview-me", 0)
		if err != nil || now.Revision != 2 || !now.Draft || now.Text("en").Title != "Second title" || !strings.Contains(now.Text("en").HTML, "<em>news</em>") {
			t.Errorf("current = %+v, %v", now, err)
		}
		if _, err := db.Preview(ctx, alliance.KindStory, "preview-me", 9); !store.IsNotFound(err) {
			t.Errorf("revision 9: %v", err)
		}
		if _, err := db.Preview(ctx, alliance.KindStory, "nothing", 0); !store.IsNotFound(err) {
			t.Errorf("unknown item: %v", err)
		}

		expires := accountsNow.Add(30 * time.Minute)
		p := store.PreviewToken{UserID: ed.ID, Kind: alliance.KindStory, Key: "preview-me", Revision: 1, Binding: "b1"}
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.CreatePreviewToken(ctx, "h1", p, expires) }); err != nil {
			t.Fatal(err)
		}
		u, got, err := db.PreviewTokenUser(ctx, "h1", expires.Add(-time.Second))
		if err != nil || u.ID != ed.ID || *got != p {
			t.Errorf("token = %+v %+v, %v", u, got, err)
		}
		if _, _, err := db.PreviewTokenUser(ctx, "h1", expires); !store.IsNotFound(err) {
			t.Errorf("token at its expiry: %v", err)
		}
		if _, _, err := db.PreviewTokenUser(ctx, "h2", accountsNow); !store.IsNotFound(err) {
			t.Errorf("unknown token: %v", err)
		}
		ed.Disabled = true
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.SaveUser(ctx, ed) }); err != nil {
			t.Fatal(err)
		}
		// Disabling revokes the user's tokens: enabled again, the token stays gone.
		ed.Disabled = false
		if err := db.UpdateAccounts(ctx, accountsNow, func(tx *store.Tx) error { return tx.SaveUser(ctx, ed) }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.PreviewTokenUser(ctx, "h1", accountsNow); !store.IsNotFound(err) {
			t.Errorf("disabled user's token after enabling them again: %v", err)
		}
		// Creating a token removes the expired ones.
		for _, h := range []string{"h4", "h5"} {
			at := accountsNow
			if h == "h5" {
				at = expires
			}
			if err := db.UpdateAccounts(ctx, at, func(tx *store.Tx) error { return tx.CreatePreviewToken(ctx, h, p, expires) }); err != nil {
				t.Fatal(err)
			}
		}
		// Asked at a time it was valid, h4 is gone: h5's creation at its expiry removed it.
		if _, _, err := db.PreviewTokenUser(ctx, "h4", accountsNow); !store.IsNotFound(err) {
			t.Errorf("expired token kept after a new one: %v", err)
		}
	})
}
