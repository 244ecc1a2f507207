package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// saveStory stores a published story by author directly, as an import would.
func saveStory(t *testing.T, m *Main, key, author string) {
	t.Helper()
	it := &alliance.Item{Kind: alliance.KindStory, Key: key, SourceLang: "en",
		Data:  &alliance.Story{Date: "2026-01-05", Category: "research", Authors: []string{author}},
		Texts: []alliance.Text{{Lang: "en", Slug: key, Title: "Story " + key, Data: &alliance.StoryText{}}}}
	err := m.DB.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Save(context.Background(), it, alliance.Change{UserName: "test"})
		return err
	})
	if err != nil {
		t.Fatalf("save %s: %v", key, err)
	}
}

// saveEvent stores an event hosted by host directly.
func saveEvent(t *testing.T, m *Main, key, host string) {
	t.Helper()
	it := &alliance.Item{Kind: alliance.KindEvent, Key: key, SourceLang: "en",
		Data:  &alliance.Event{Host: host, Timezone: "Europe/Madrid", Start: "2027-05-01T09:00", End: "2027-05-01T17:00", Attendance: "onsite"},
		Texts: []alliance.Text{{Lang: "en", Slug: key, Title: "Event " + key, Data: &alliance.EventText{}}}}
	err := m.DB.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Save(context.Background(), it, alliance.Change{UserName: "test"})
		return err
	})
	if err != nil {
		t.Fatalf("save %s: %v", key, err)
	}
}

// Every role × list, open, save, delete × an item of one's own (university, or creation) and
// another's, through the back office's pages.
func TestItemsAuthorizationMatrix(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		admin := invite(t, m, "admin@example.eu", goodPassword, "--role", "administrator")
		const ok, no, done = http.StatusOK, http.StatusForbidden, http.StatusSeeOther
		type want struct{ list, openOwn, openOther, saveOwn, saveOther, delOwn, delOther int }
		roles := []struct {
			role  string
			flags []string
			kind  alliance.Kind
			want  want
		}{
			{"administrator", nil, alliance.KindStory, want{ok, ok, ok, done, done, done, done}},
			{"editor", nil, alliance.KindStory, want{ok, ok, ok, done, done, done, done}},
			{"member-editor", []string{"--member", "genil"}, alliance.KindStory, want{ok, ok, no, done, no, done, no}},
			{"member-editor", []string{"--member", "genil"}, alliance.KindEvent, want{ok, ok, no, done, no, done, no}},
			{"organiser", nil, alliance.KindEvent, want{ok, ok, no, done, no, done, no}},
			{"organiser", nil, alliance.KindStory, want{no, no, no, no, no, no, no}},
			{"translator", []string{"--languages", "el"}, alliance.KindStory, want{ok, no, no, no, no, no, no}},
		}
		for i, tt := range roles {
			name := fmt.Sprintf("%s/%s", tt.role, tt.kind)
			b := invite(t, m, fmt.Sprintf("user%d@example.eu", i), goodPassword, append([]string{"--role", tt.role}, tt.flags...)...)
			own, other := fmt.Sprintf("own-%d", i), fmt.Sprintf("other-%d", i)
			switch {
			case tt.kind == alliance.KindStory:
				saveStory(t, m, own, "ines-navarro")         // genil
				saveStory(t, m, other, "maria-konstantinou") // thermaic
			case tt.role == "organiser":
				// Their own event is one they created.
				f := url.Values{"key": {own}, "source_lang": {"en"}, "langs": {"en"}, "base": {"0"}, "timezone": {"Europe/Madrid"},
					"start": {"2027-05-01T09:00"}, "end": {"2027-05-01T17:00"}, "attendance": {"onsite"},
					"texts.en.title": {"Own event"}, "texts.en.slug": {own}, "do": {"save"}}
				if r := b.submit("/admin/items/event/new", "/admin/items/event/new", f); r.status != done {
					t.Fatalf("%s: create an event = %d:\n%s", name, r.status, r.body)
				}
				saveEvent(t, m, other, "genil")
			default:
				saveEvent(t, m, own, "genil")
				saveEvent(t, m, other, "thermaic")
			}
			csrf := b.form("/admin/")
			check := func(action string, got, want int) {
				t.Helper()
				if got != want {
					t.Errorf("%s: %s = %d, want %d", name, action, got, want)
				}
			}
			check("list", b.get("/admin/items/"+string(tt.kind)+"/").status, tt.want.list)
			check("open own", b.get(itemURL(tt.kind, own)).status, tt.want.openOwn)
			check("open other", b.get(itemURL(tt.kind, other)).status, tt.want.openOther)
			for _, c := range []struct {
				key    string
				action string
				want   int
			}{{own, "save own", tt.want.saveOwn}, {other, "save other", tt.want.saveOther}} {
				f := formValues(t, admin, itemURL(tt.kind, c.key))
				f.Set("csrf", csrf)
				f.Set("do", "save")
				f.Set("texts.en.summary", "Changed by "+tt.role)
				check(c.action, b.post(itemURL(tt.kind, c.key), f).status, c.want)
			}
			check("delete other", b.post(itemURL(tt.kind, other)+"delete", url.Values{"csrf": {csrf}}).status, tt.want.delOther)
			check("delete own", b.post(itemURL(tt.kind, own)+"delete", url.Values{"csrf": {csrf}}).status, tt.want.delOwn)
			if _, err := m.DB.Edit(context.Background(), tt.kind, other); (err == nil) != (tt.want.delOther == no) {
				t.Errorf("%s: after deleting another's item: %v", name, err)
			}
		}
	})
}

func itemURL(k alliance.Kind, key string) string {
	return "/admin/items/" + string(k) + "/" + key + "/"
}
