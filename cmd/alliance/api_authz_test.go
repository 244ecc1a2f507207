package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// The authorization table of the API's writes, on both databases: each role × create, replace
// and delete × an event of the user's own university (for an organiser: one they created) and
// one of another's. Every cell is a real request with the role's token; a refused write (403)
// leaves the item as it was, an allowed one shows on the next public read.
func TestAPIWriteAuthorizationTable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		spec := newAPISpec(t, m)
		roles := []struct {
			role  string
			flags []string
			// allowed: create, replace, delete; own then other
			allowed string
		}{
			{"administrator", nil, "YY YY YY"},
			{"editor", nil, "YY YY YY"},
			{"member-editor", []string{"--member", "genil"}, "YN YN YN"},
			{"organiser", nil, "YY YN YN"},
			{"translator", []string{"--languages", "el"}, "NN NN NN"},
		}
		tokens := map[string]string{}
		for _, r := range roles {
			email := r.role + "@example.eu"
			addAPIUser(t, m, email, append([]string{"--role", r.role}, r.flags...)...)
			tokens[r.role] = "Bearer " + apiToken(t, m, email)
		}
		admin := tokens["administrator"]
		// fixture creates an event for a cell: hosted by genil (own) or thermaic (other),
		// created by the organiser for their own cells, else by the administrator.
		fixture := func(key, role string, own bool) {
			t.Helper()
			host, by := "thermaic", admin
			if own {
				host = "genil"
				if role == "organiser" {
					by = tokens["organiser"]
				}
			}
			r := spec.send(t, m, "POST", "/api/v1/events", jsonBody(t, eventBody(key, host, false)), "Authorization", by)
			wantStatus(t, "fixture "+key, r, http.StatusCreated)
		}
		revision := func(key string) (map[string]any, string) {
			t.Helper()
			r := spec.send(t, m, "GET", "/api/v1/events/"+key+"/edit", nil, "Authorization", admin)
			if r.status != http.StatusOK {
				return nil, ""
			}
			return r.json, r.header.Get("ETag")
		}
		actions := []string{"create", "replace", "delete"}
		for _, r := range roles {
			cells := strings.Fields(r.allowed)
			for i, action := range actions {
				for j, own := range []bool{true, false} {
					whose := map[bool]string{true: "own", false: "other"}[own]
					allowed := cells[i][j] == 'Y'
					t.Run(fmt.Sprintf("%s/%s/%s", r.role, action, whose), func(t *testing.T) {
						key := fmt.Sprintf("authz-%s-%s-%s", r.role, action, whose)
						tok := tokens[r.role]
						var res apiResponse
						want := http.StatusForbidden
						switch action {
						case "create":
							host := map[bool]string{true: "genil", false: "thermaic"}[own]
							res = spec.send(t, m, "POST", "/api/v1/events", jsonBody(t, eventBody(key, host, false)), "Authorization", tok)
							if allowed {
								want = http.StatusCreated
							}
						case "replace":
							fixture(key, r.role, own)
							src, tag := revision(key)
							src["fields"].(map[string]any)["attendance"] = "mixed"
							src["texts"].(map[string]any)["en"].(map[string]any)["title"] = "Replaced " + key
							res = spec.send(t, m, "PUT", "/api/v1/events/"+key, jsonBody(t, src), "Authorization", tok, "If-Match", tag)
							if allowed {
								want = http.StatusOK
							}
						case "delete":
							fixture(key, r.role, own)
							_, tag := revision(key)
							res = spec.send(t, m, "DELETE", "/api/v1/events/"+key, nil, "Authorization", tok, "If-Match", tag)
							if allowed {
								want = http.StatusNoContent
							}
						}
						wantStatus(t, action, res, want)
						// What the next public read shows.
						read := spec.get(t, m, "GET", "/api/v1/events/"+key+"?lang=en")
						switch {
						case action == "create" && allowed, action == "replace":
							wantStatus(t, "read", read, http.StatusOK)
						default:
							wantStatus(t, "read", read, map[bool]int{true: http.StatusNotFound, false: http.StatusOK}[action == "delete" && allowed || action == "create"])
						}
						if action == "replace" && read.status == http.StatusOK {
							title := read.json["text"].(map[string]any)["title"]
							if changed := title == "Replaced "+key; changed != allowed {
								t.Errorf("after the replace (allowed %v) the title is %q", allowed, title)
							}
							if _, tag := revision(key); (tag == `"rev-2"`) != allowed {
								t.Errorf("after the replace (allowed %v) the revision is %s", allowed, tag)
							}
						}
					})
				}
			}
		}
	})
}

// A translator writes their languages' texts and nothing else; a member editor cannot give
// their university's item to another. Each refusal is a 403 naming the fields.
func TestAPIWriteTranslatorAndOwnership(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		spec := newAPISpec(t, m)
		addAPIUser(t, m, "tr@example.eu", "--role", "translator", "--languages", "el")
		addAPIUser(t, m, "me@example.eu", "--role", "member-editor", "--member", "genil")
		tr := "Bearer " + apiToken(t, m, "tr@example.eu")
		me := "Bearer " + apiToken(t, m, "me@example.eu")
		const path = "/api/v1/events/open-labs-forum-2027"
		read := func(tok string) (map[string]any, string) {
			t.Helper()
			r := spec.send(t, m, "GET", path+"/edit", nil, "Authorization", tok)
			wantStatus(t, "edit read", r, http.StatusOK)
			return r.json, r.header.Get("ETag")
		}
		texts := func(src map[string]any) map[string]any { return src["texts"].(map[string]any) }

		src, tag := read(tr)
		if texts(src)["el"] != nil {
			t.Fatal("the demo event already has a Greek text; the test needs one to add")
		}
		refusals := []struct {
			name   string
			change func(src map[string]any)
			field  string
		}{
			{"shared field", func(s map[string]any) { s["fields"].(map[string]any)["attendance"] = "online" }, "fields.attendance"},
			{"source text", func(s map[string]any) { texts(s)["en"].(map[string]any)["title"] = "Renamed" }, "texts.en.title"},
			{"other language", func(s map[string]any) { texts(s)["fr"].(map[string]any)["summary"] = "Autre" }, "texts.fr.summary"},
			{"remove a text", func(s map[string]any) { delete(texts(s), "it") }, "texts.it"},
			{"unpublish", func(s map[string]any) { s["draft"] = true }, "draft"},
		}
		for _, rf := range refusals {
			src, _ := read(tr)
			rf.change(src)
			r := spec.send(t, m, "PUT", path, jsonBody(t, src), "Authorization", tr, "If-Match", tag)
			wantStatus(t, "translator: "+rf.name, r, http.StatusForbidden)
			if names := invalidNames(r); !hasName(names, rf.field) {
				t.Errorf("translator: %s: invalid_params %v lack %s", rf.name, names, rf.field)
			}
		}
		// Their own language: allowed, and on the Greek page at the next request.
		src, _ = read(tr)
		texts(src)["el"] = map[string]any{"slug": "forum-anoichton-ergastirion-2027", "title": "Φόρουμ Ανοιχτών Εργαστηρίων 2027",
			"summary": "Δύο μέρες στη Γρανάδα.", "body_markdown": "Το φόρουμ.",
			// The event has an image: its alt text is required in every language it is shown in.
			"fields": map[string]any{"alt": "Πεταλοειδή τόξα σε πρώτο πλάνο, ένα κόκκινο τείχος φρουρίου και χιονισμένες κορυφές πίσω"}}
		r := spec.send(t, m, "PUT", path, jsonBody(t, src), "Authorization", tr, "If-Match", tag)
		wantStatus(t, "translator: Greek text", r, http.StatusOK)
		el := spec.get(t, m, "GET", path+"?lang=el")
		if txt := el.json["text"].(map[string]any); txt["lang"] != "el" || txt["fallback"] != false {
			t.Errorf("Greek read after the translation: %v", txt)
		}
		if page := get(t, m, apiPath(t, m, el.json["url"].(string))); page.status != http.StatusOK || !strings.Contains(page.body, "Φόρουμ Ανοιχτών Εργαστηρίων 2027") {
			t.Errorf("Greek page after the translation = %d", page.status)
		}
		wantStatus(t, "translator creates", spec.send(t, m, "POST", "/api/v1/events", jsonBody(t, eventBody("tr-new", "genil", true)), "Authorization", tr), http.StatusForbidden)

		// The member editor may change their university's event, but not give it away.
		src, tag = read(me)
		src["fields"].(map[string]any)["host"] = "thermaic"
		r = spec.send(t, m, "PUT", path, jsonBody(t, src), "Authorization", me, "If-Match", tag)
		wantStatus(t, "member editor gives the event away", r, http.StatusForbidden)
		if names := invalidNames(r); !hasName(names, "fields.host") {
			t.Errorf("invalid_params %v lack fields.host", names)
		}
		src, tag = read(me)
		src["fields"].(map[string]any)["attendance"] = "mixed"
		wantStatus(t, "member editor edits", spec.send(t, m, "PUT", path, jsonBody(t, src), "Authorization", me, "If-Match", tag), http.StatusOK)
		wantStatus(t, "member editor reads another's", spec.send(t, m, "GET", "/api/v1/events/digital-teaching-webinar-2027/edit", nil, "Authorization", me), http.StatusForbidden)

		// A disabled user's token stops working at once.
		if _, err := cli(t, m, "user", "disable", "me@example.eu"); err != nil {
			t.Fatal(err)
		}
		r = spec.send(t, m, "GET", path+"/edit", nil, "Authorization", me)
		wantStatus(t, "disabled user's token", r, http.StatusUnauthorized)
		if !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Errorf("WWW-Authenticate = %q", r.header.Get("WWW-Authenticate"))
		}
	})
}

// A write through one instance's API is served by another instance on the same PostgreSQL
// database, by its API and its cached public page, as soon as it hears of the commit.
func TestAPIWriteSeenByAnotherInstance(t *testing.T) {
	needPostgres(t)
	dbURL := storetest.NewURL(t, store.Postgres)
	a := startAdmin(t, dbURL, "", newAdminClock())
	b := startAdmin(t, dbURL, "", newAdminClock())
	eventually(t, 5*time.Second, "instance b never listened for changes", b.DB.Listening)
	spec := newAPISpec(t, a)
	addAPIUser(t, a, "editor@example.eu", "--role", "editor")
	auth := "Bearer " + apiToken(t, a, "editor@example.eu")
	const path = "/api/v1/events/open-labs-forum-2027"
	before := spec.get(t, b, "GET", path+"?lang=en")
	page := apiPath(t, b, before.json["url"].(string))
	get(t, b, page) // in b's page cache

	edit := spec.send(t, a, "GET", path+"/edit", nil, "Authorization", auth)
	edit.json["texts"].(map[string]any)["en"].(map[string]any)["title"] = "Written through instance a"
	wantStatus(t, "replace on a", spec.send(t, a, "PUT", path, jsonBody(t, edit.json), "Authorization", auth, "If-Match", edit.header.Get("ETag")), http.StatusOK)
	eventually(t, 200*time.Millisecond, "instance b did not see a's commit", func() bool { return b.DB.Version() == a.DB.Version() })
	if r := spec.get(t, b, "GET", path+"?lang=en"); r.json["text"].(map[string]any)["title"] != "Written through instance a" {
		t.Errorf("b's API still serves the old title")
	}
	if r := get(t, b, page); !strings.Contains(r.body, "Written through instance a") {
		t.Errorf("b still serves the old page")
	}
}
