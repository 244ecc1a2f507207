package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

var revokeID = regexp.MustCompile(`name="id" value="(\d+)"`)

// A signed-in user creates an API token in the back office (shown once), uses it, sees when it
// was last used, and revokes it; the revoked token is refused at once. Another user cannot
// revoke it. Both changes are in the audit log. On both databases, through the real program.
func TestAdminAPITokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		spec := newAPISpec(t, m)
		b := invite(t, m, "ana@example.eu", goodPassword, "--role", "member-editor", "--member", "genil")
		other := invite(t, m, "bo@example.eu", goodPassword, "--role", "editor")

		home := b.get("/admin/")
		if !strings.Contains(home.body, `href="/admin/tokens"`) {
			t.Fatal("the home does not link to the tokens page")
		}
		page := b.get("/admin/tokens")
		if page.status != http.StatusOK || !strings.Contains(page.body, "You have no API token.") {
			t.Fatalf("tokens page = %d:\n%s", page.status, page.body)
		}
		// Without the form's token nothing is created.
		r := b.post("/admin/tokens", url.Values{"do": {"create"}, "name": {"newsletter"}, "csrf": {"forged"}})
		if r.status != http.StatusForbidden || tokenPattern.MatchString(r.body) {
			t.Fatalf("forged create = %d", r.status)
		}
		r = b.submit("/admin/tokens", "/admin/tokens", url.Values{"do": {"create"}, "name": {"  "}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Give the token a name") {
			t.Fatalf("create without a name = %d", r.status)
		}
		r = b.submit("/admin/tokens", "/admin/tokens", url.Values{"do": {"create"}, "name": {"newsletter"}})
		secret := tokenPattern.FindString(r.body)
		if r.status != http.StatusOK || secret == "" || !strings.Contains(r.body, "newsletter") {
			t.Fatalf("create = %d, token shown: %v", r.status, secret != "")
		}
		again := b.get("/admin/tokens")
		if tokenPattern.MatchString(again.body) || !strings.Contains(again.body, "newsletter") || !strings.Contains(again.body, "never") {
			t.Fatal("the token list shows the secret again, or lacks the token")
		}
		// The token carries the user's role.
		auth := "Bearer " + secret
		wantStatus(t, "own event", spec.send(t, m, "GET", "/api/v1/events/open-labs-forum-2027/edit", nil, "Authorization", auth), http.StatusOK)
		wantStatus(t, "another's event", spec.send(t, m, "GET", "/api/v1/events/digital-teaching-webinar-2027/edit", nil, "Authorization", auth), http.StatusForbidden)
		if used := b.get("/admin/tokens"); strings.Contains(used.body, ">never<") {
			t.Error("the token's use is not shown")
		}
		id := revokeID.FindStringSubmatch(again.body)[1]

		// Another user's revocation of it is refused, and the token still works.
		r = other.submit("/admin/tokens", "/admin/tokens", url.Values{"do": {"revoke"}, "id": {id}})
		if r.status != http.StatusNotFound {
			t.Errorf("another user's revoke = %d, want 404", r.status)
		}
		wantStatus(t, "after another's revoke", spec.send(t, m, "GET", "/api/v1/events/open-labs-forum-2027/edit", nil, "Authorization", auth), http.StatusOK)

		r = b.submit("/admin/tokens", "/admin/tokens", url.Values{"do": {"revoke"}, "id": {id}})
		if r.status != http.StatusOK || !strings.Contains(r.body, "is revoked") || !strings.Contains(r.body, "You have no API token.") {
			t.Fatalf("revoke = %d:\n%s", r.status, r.body)
		}
		res := spec.send(t, m, "PUT", "/api/v1/events/open-labs-forum-2027", []byte(`{}`), "Authorization", auth, "If-Match", `"rev-1"`)
		wantStatus(t, "revoked token", res, http.StatusUnauthorized)

		entries, err := m.DB.AuditLog(context.Background(), store.AuditQuery{Actor: 0, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range entries {
			if e.Actor == "ana@example.eu" && e.Detail == "newsletter" {
				seen[e.Action] = true
			}
		}
		if !seen[store.AuditAPITokenCreated] || !seen[store.AuditAPITokenRevoked] {
			t.Errorf("audit log lacks the token's creation or revocation: %v", seen)
		}
	})
}
