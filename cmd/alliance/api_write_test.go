package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// eventBody is a new event hosted by host, published unless draft, with an English text whose
// slug is its key.
func eventBody(key, host string, draft bool) map[string]any {
	return map[string]any{
		"key": key, "source_lang": "en", "draft": draft,
		"fields": map[string]any{"host": host, "timezone": "Europe/Madrid", "start": "2027-05-03T09:30",
			"end": "2027-05-03T17:00", "attendance": "onsite"},
		"texts": map[string]any{"en": map[string]any{"slug": key, "title": "Workshop " + key,
			"summary": "A day of work on " + key + ".", "body_markdown": "We meet at **nine**."}},
	}
}

// invalidNames lists the names of a problem's invalid_params.
func invalidNames(r apiResponse) []string {
	var out []string
	list, _ := r.json["invalid_params"].([]any)
	for _, p := range list {
		if m, ok := p.(map[string]any); ok {
			out = append(out, fmt.Sprint(m["name"]))
		}
	}
	return out
}

func hasName(names []string, want string) bool {
	for _, n := range names {
		if n == want {
			return true
		}
	}
	return false
}

// The life of an item written through the API by an editor, on both databases: created (201,
// Location, ETag of its revision), seen by the very next API read and public page, read for
// editing, replaced with If-Match (and refused without it, 428, or with a stale one, 412),
// deleted, and gone from the next read. Every request and response is checked against the
// document.
func TestAPIWriteLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		spec := newAPISpec(t, m)
		addAPIUser(t, m, "editor@example.eu", "--role", "editor")
		auth := "Bearer " + apiToken(t, m, "editor@example.eu")

		body := eventBody("api-workshop", "genil", false)
		r := spec.send(t, m, "POST", "/api/v1/events", jsonBody(t, body), "Authorization", auth)
		wantStatus(t, "create", r, http.StatusCreated)
		if r.header.Get("ETag") != `"rev-1"` || !strings.HasSuffix(r.header.Get("Location"), "/api/v1/events/api-workshop") {
			t.Errorf("create: ETag %q, Location %q", r.header.Get("ETag"), r.header.Get("Location"))
		}
		if r.json["revision"] != float64(1) || r.json["key"] != "api-workshop" {
			t.Errorf("create answered %v", r.json)
		}

		// The very next read sees it: the API's and the public page.
		read := spec.get(t, m, "GET", "/api/v1/events/api-workshop?lang=en")
		wantStatus(t, "read after create", read, http.StatusOK)
		page := get(t, m, apiPath(t, m, read.json["url"].(string)))
		if page.status != http.StatusOK || !strings.Contains(page.body, "Workshop api-workshop") {
			t.Fatalf("public page after create = %d", page.status)
		}

		// Replace needs If-Match: absent 428, a read's weak tag or an old revision 412.
		edit := spec.send(t, m, "GET", "/api/v1/events/api-workshop/edit", nil, "Authorization", auth)
		wantStatus(t, "edit read", edit, http.StatusOK)
		src := edit.json
		src["texts"].(map[string]any)["en"].(map[string]any)["title"] = "Workshop renamed"
		r = spec.send(t, m, "PUT", "/api/v1/events/api-workshop", jsonBody(t, src), "Authorization", auth)
		wantStatus(t, "replace without If-Match", r, http.StatusPreconditionRequired)
		r = spec.send(t, m, "PUT", "/api/v1/events/api-workshop", jsonBody(t, src), "Authorization", auth, "If-Match", read.header.Get("ETag"))
		wantStatus(t, "replace with a read's tag", r, http.StatusPreconditionFailed)
		r = spec.send(t, m, "PUT", "/api/v1/events/api-workshop", jsonBody(t, src), "Authorization", auth, "If-Match", edit.header.Get("ETag"))
		wantStatus(t, "replace", r, http.StatusOK)
		if r.header.Get("ETag") != `"rev-2"` {
			t.Errorf("replace: ETag %q, want rev-2", r.header.Get("ETag"))
		}
		// The same change again from the old revision: the second of two writers is refused,
		// told the current revision, and nothing is lost.
		src["texts"].(map[string]any)["en"].(map[string]any)["title"] = "Workshop lost"
		r = spec.send(t, m, "PUT", "/api/v1/events/api-workshop", jsonBody(t, src), "Authorization", auth, "If-Match", edit.header.Get("ETag"))
		wantStatus(t, "stale replace", r, http.StatusPreconditionFailed)
		if r.header.Get("ETag") != `"rev-2"` {
			t.Errorf("stale replace: ETag %q, want the current rev-2", r.header.Get("ETag"))
		}
		page = get(t, m, apiPath(t, m, read.json["url"].(string)))
		if !strings.Contains(page.body, "Workshop renamed") || strings.Contains(page.body, "Workshop lost") {
			t.Error("the public page does not show the replaced title, or shows the refused one")
		}

		// A draft is not public, but is there for editing.
		src["draft"] = true
		src["texts"].(map[string]any)["en"].(map[string]any)["title"] = "Workshop renamed"
		r = spec.send(t, m, "PUT", "/api/v1/events/api-workshop", jsonBody(t, src), "Authorization", auth, "If-Match", `"rev-2"`)
		wantStatus(t, "unpublish", r, http.StatusOK)
		wantStatus(t, "read of a draft", spec.get(t, m, "GET", "/api/v1/events/api-workshop"), http.StatusNotFound)
		if p := get(t, m, apiPath(t, m, read.json["url"].(string))); p.status != http.StatusNotFound {
			t.Errorf("public page of a draft = %d, want 404", p.status)
		}
		wantStatus(t, "edit read of a draft", spec.send(t, m, "GET", "/api/v1/events/api-workshop/edit", nil, "Authorization", auth), http.StatusOK)

		// Delete: If-Match as for replace; then gone.
		wantStatus(t, "delete without If-Match", spec.send(t, m, "DELETE", "/api/v1/events/api-workshop", nil, "Authorization", auth), http.StatusPreconditionRequired)
		wantStatus(t, "stale delete", spec.send(t, m, "DELETE", "/api/v1/events/api-workshop", nil, "Authorization", auth, "If-Match", `"rev-2"`), http.StatusPreconditionFailed)
		r = spec.send(t, m, "DELETE", "/api/v1/events/api-workshop", nil, "Authorization", auth, "If-Match", `"rev-3"`)
		wantStatus(t, "delete", r, http.StatusNoContent)
		wantStatus(t, "edit read after delete", spec.send(t, m, "GET", "/api/v1/events/api-workshop/edit", nil, "Authorization", auth), http.StatusNotFound)
		wantStatus(t, "replace after delete", spec.send(t, m, "PUT", "/api/v1/events/api-workshop", jsonBody(t, src), "Authorization", auth, "If-Match", `"rev-3"`), http.StatusNotFound)

		// Each write is in the audit log, with who made it.
		entries, err := m.DB.AuditLog(context.Background(), store.AuditQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if e.Subject == "event/api-workshop" && e.Actor == "editor@example.eu" {
				actions = append(actions, e.Action)
			}
		}
		if got, want := strings.Join(actions, " "), "item-deleted item-unpublished item-saved item-created"; got != want {
			t.Errorf("audit log of the event, newest first: %q, want %q", got, want)
		}

		// An item others refer to is not deleted: an event with sessions.
		edit = spec.send(t, m, "GET", "/api/v1/events/open-labs-forum-2027/edit", nil, "Authorization", auth)
		r = spec.send(t, m, "DELETE", "/api/v1/events/open-labs-forum-2027", nil, "Authorization", auth, "If-Match", edit.header.Get("ETag"))
		wantStatus(t, "delete of a referenced event", r, http.StatusConflict)
		if d, _ := r.json["detail"].(string); !strings.Contains(d, "session olf2027-keynote") {
			t.Errorf("409 does not name the sessions: %q", d)
		}
		wantStatus(t, "the referenced event stays", spec.get(t, m, "GET", "/api/v1/events/open-labs-forum-2027"), http.StatusOK)
	})
}

// What a write refuses for its form or content, with the status and the fields that say why;
// nothing refused is saved.
func TestAPIWriteRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		spec := newAPISpec(t, m)
		addAPIUser(t, m, "editor@example.eu", "--role", "editor")
		auth := "Bearer " + apiToken(t, m, "editor@example.eu")
		with := func(change func(b map[string]any)) []byte {
			b := eventBody("api-refused", "genil", false)
			change(b)
			return jsonBody(t, b)
		}
		tests := []struct {
			name   string
			body   []byte
			header []string
			status int
			fields []string // in invalid_params
		}{
			{"bad JSON", []byte(`{"key": "api-refused", "texts": {`), nil, http.StatusBadRequest, []string{"body"}},
			{"not an object", []byte(`[1, 2]`), nil, http.StatusBadRequest, []string{"body"}},
			{"unknown member", with(func(b map[string]any) { b["colour"] = "red" }), nil, http.StatusBadRequest, []string{"body"}},
			{"two values", append(with(func(map[string]any) {}), []byte(` {}`)...), nil, http.StatusBadRequest, []string{"body"}},
			{"not JSON", []byte(`key=x`), []string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType, nil},
			{"no key", with(func(b map[string]any) { delete(b, "key") }), nil, http.StatusUnprocessableEntity, []string{"key"}},
			{"bad key", with(func(b map[string]any) { b["key"] = "Not A Key" }), nil, http.StatusUnprocessableEntity, []string{"key"}},
			{"taken key", with(func(b map[string]any) { b["key"] = "open-labs-forum-2027" }), nil, http.StatusConflict, []string{"key"}},
			{"fields wrong", with(func(b map[string]any) {
				f := b["fields"].(map[string]any)
				f["attendance"], f["host"], f["end"] = "by-pigeon", "atlantis", "2027-05-02T09:00"
				delete(f, "timezone")
				b["texts"].(map[string]any)["en"].(map[string]any)["title"] = ""
				b["texts"].(map[string]any)["xx"] = map[string]any{"title": "x", "slug": "x"}
				b["source_lang"] = "en"
			}), nil, http.StatusUnprocessableEntity,
				[]string{"fields.attendance", "fields.timezone", "fields.end", "texts.en.title", "texts.xx"}},
			{"unknown shared field", with(func(b map[string]any) { b["fields"].(map[string]any)["colour"] = "red" }), nil, http.StatusUnprocessableEntity, []string{"fields"}},
			{"unknown reference", with(func(b map[string]any) { b["fields"].(map[string]any)["host"] = "atlantis" }), nil, http.StatusUnprocessableEntity, []string{"fields.host"}},
			{"slug taken", with(func(b map[string]any) {
				b["texts"].(map[string]any)["en"].(map[string]any)["slug"] = "open-labs-forum-2027"
			}), nil, http.StatusUnprocessableEntity, []string{"texts.en.slug"}},
			{"bad schedule", with(func(b map[string]any) { b["publish_at"] = "tomorrow" }), nil, http.StatusUnprocessableEntity, []string{"publish_at"}},
			{"no token", with(func(map[string]any) {}), []string{"Authorization", ""}, http.StatusUnauthorized, nil},
			{"basic auth", with(func(map[string]any) {}), []string{"Authorization", "Basic ZWRpdG9yOng="}, http.StatusUnauthorized, nil},
			{"unknown token", with(func(map[string]any) {}), []string{"Authorization", "Bearer alliance_" + strings.Repeat("A", 43)}, http.StatusUnauthorized, nil},
			{"unknown collection", with(func(map[string]any) {}), []string{"path", "/api/v1/nothing"}, http.StatusNotFound, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				path := "/api/v1/events"
				header := []string{"Authorization", auth}
				for i := 0; i+1 < len(tt.header); i += 2 {
					if tt.header[i] == "path" {
						path = tt.header[i+1]
						continue
					}
					header = append(header, tt.header[i], tt.header[i+1])
				}
				var r apiResponse
				if path == "/api/v1/nothing" {
					// The document has no such path: check the problem only.
					r = apiResponse{response: requestBody(t, m, "POST", path, tt.body, header...)}
				} else {
					r = spec.send(t, m, "POST", path, tt.body, header...)
				}
				wantStatus(t, tt.name, r, tt.status)
				names := invalidNames(r)
				for _, f := range tt.fields {
					if !hasName(names, f) {
						t.Errorf("%s: invalid_params %v lack %q\n%s", tt.name, names, f, r.body)
					}
				}
				// A refusal by validation names each problem for clients to translate.
				if tt.status == http.StatusUnprocessableEntity && strings.Count(r.body, `"problem":"`) != len(names) {
					t.Errorf("%s: not every invalid_param names its problem:\n%s", tt.name, r.body)
				}
				if tt.name == "slug taken" && !strings.Contains(r.body, `"problem":"slug_taken"`) {
					t.Errorf("slug taken: problem is not slug_taken:\n%s", r.body)
				}
			})
		}
		wantStatus(t, "nothing refused was saved", spec.send(t, m, "GET", "/api/v1/events/api-refused/edit", nil, "Authorization", auth), http.StatusNotFound)
	})
}

// requestBody sends method path with a JSON body and header pairs ("" deletes a header).
func requestBody(t testing.TB, m *Main, method, path string, body []byte, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, m.URL()+path, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: b.String()}
}

// BenchmarkAPIReplace measures a PUT of an event through the real program on SQLite: the
// token's check, the authorization, the write path and the answer, each round alternating the
// title so that every save records a revision.
func BenchmarkAPIReplace(b *testing.B) {
	m := startSiteWith(b, "", func(*alliance.Config) {})
	spec := newAPISpec(b, m)
	out, err := cliB(m, "user", "add", "bench@example.eu", "--role", "editor")
	if err != nil {
		b.Fatal(out, err)
	}
	out, err = cliB(m, "user", "token", "bench@example.eu")
	if err != nil {
		b.Fatal(err)
	}
	auth := "Bearer " + tokenPattern.FindString(out)
	r := spec.send(b, m, "GET", "/api/v1/events/open-labs-forum-2027/edit", nil, "Authorization", auth)
	src, tag := r.json, r.header.Get("ETag")
	en := src["texts"].(map[string]any)["en"].(map[string]any)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		en["title"] = fmt.Sprintf("Open Labs Forum 2027 (%d)", i)
		res := requestBody(b, m, "PUT", "/api/v1/events/open-labs-forum-2027", jsonBody(b, src), "Authorization", auth, "If-Match", tag)
		if res.status != http.StatusOK {
			b.Fatalf("PUT = %d: %s", res.status, res.body)
		}
		tag = res.header.Get("ETag")
	}
}

// cliB runs the real command line against m's database, for benchmarks.
func cliB(m *Main, args ...string) (string, error) {
	var out bytes.Buffer
	args = append([]string{"--data", m.Config.DataDir, "--database", m.Config.DatabaseURL, "--base-url", m.URL()}, args...)
	err := run(context.Background(), args, &out, io.Discard)
	return out.String(), err
}

// Two writers racing with the same If-Match: exactly one is saved, the other gets 412, on both
// databases (the revision is checked again in the write's transaction). Also: a body over the
// limit is 413, and a script of another origin is allowed to send the writes.
func TestAPIWriteRaceLimitAndPreflight(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		spec := newAPISpec(t, m)
		addAPIUser(t, m, "editor@example.eu", "--role", "editor")
		auth := "Bearer " + apiToken(t, m, "editor@example.eu")
		const path = "/api/v1/events/open-labs-forum-2027"
		edit := spec.send(t, m, "GET", path+"/edit", nil, "Authorization", auth)
		tag := edit.header.Get("ETag")
		const writers = 4
		statuses := make(chan int, writers)
		for i := 0; i < writers; i++ {
			src := map[string]any{}
			for k, v := range edit.json {
				src[k] = v
			}
			fields := map[string]any{}
			for k, v := range edit.json["fields"].(map[string]any) {
				fields[k] = v
			}
			fields["registration_url"] = fmt.Sprintf("https://events.meridia.example.org/writer-%d", i)
			src["fields"] = fields
			body := jsonBody(t, src)
			go func() {
				statuses <- requestBody(t, m, "PUT", path, body, "Authorization", auth, "If-Match", tag).status
			}()
		}
		count := map[int]int{}
		for i := 0; i < writers; i++ {
			count[<-statuses]++
		}
		if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != writers-1 {
			t.Errorf("racing writers got %v, want one 200 and %d 412", count, writers-1)
		}
		after := spec.send(t, m, "GET", path+"/edit", nil, "Authorization", auth)
		if after.json["revision"] != edit.json["revision"].(float64)+1 {
			t.Errorf("revision %v after the race from %v, want one more", after.json["revision"], edit.json["revision"])
		}

		huge := []byte(`{"key": "x", "source_lang": "en", "texts": {"en": {"body_markdown": "` + strings.Repeat("a", 5<<20) + `"}}}`)
		wantStatus(t, "a body over 4 MiB", apiResponse{response: requestBody(t, m, "POST", "/api/v1/events", huge, "Authorization", auth)}, http.StatusRequestEntityTooLarge)

		r := spec.get(t, m, "OPTIONS", path, "Origin", "https://genil.example.eu",
			"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "authorization, content-type, if-match")
		for _, want := range []string{"PUT", "DELETE", "POST"} {
			if !strings.Contains(r.header.Get("Access-Control-Allow-Methods"), want) {
				t.Errorf("preflight does not allow %s: %q", want, r.header.Get("Access-Control-Allow-Methods"))
			}
		}
		for _, want := range []string{"Authorization", "Content-Type", "If-Match"} {
			if !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), want) {
				t.Errorf("preflight does not allow %s: %q", want, r.header.Get("Access-Control-Allow-Headers"))
			}
		}
	})
}
