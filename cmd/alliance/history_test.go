package main

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// historyStory is the demo story the history tests edit.
const historyStory = "africa-europe-partnership"

// saveAsUser saves the demo story changed by change, as the back office's form saves it: by
// the user with email, from the stored revision.
func saveAsUser(t *testing.T, m *Main, email string, change func(it *alliance.Item)) {
	t.Helper()
	ctx := context.Background()
	u, _, err := m.DB.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	it, err := m.DB.Edit(ctx, alliance.KindStory, historyStory)
	if err != nil {
		t.Fatal(err)
	}
	change(it)
	if err := m.DB.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Save(ctx, it, alliance.Change{UserID: u.ID, UserName: u.Name, Base: it.Revision, Addr: "127.0.0.1"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func textIn(it *alliance.Item, lang string) *alliance.Text {
	for i := range it.Texts {
		if it.Texts[i].Lang == lang {
			return &it.Texts[i]
		}
	}
	return nil
}

// A source edit makes the translations outdated on the dashboard, which a translator sees in
// their languages only, with links to translate; saving the translation clears it.
func TestTranslationDashboard(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		translator := invite(t, m, "greek@example.eu", goodPassword, "--role", "translator", "--languages", "el")

		outdatedList := "/admin/translations/?kind=story&lang=el&list=outdated"
		r := translator.get("/admin/translations/")
		if r.status != 200 || !strings.Contains(r.body, `id="lang-el"`) || strings.Contains(r.body, `id="lang-de"`) || strings.Contains(r.body, `id="lang-en"`) {
			t.Fatalf("dashboard for a Greek translator = %d:\n%s", r.status, r.body)
		}
		if strings.Contains(r.body, html.EscapeString(outdatedList)) {
			t.Errorf("outdated stories before any edit:\n%s", r.body)
		}

		saveAsUser(t, m, "editor@example.eu", func(it *alliance.Item) {
			textIn(it, "en").Body += "\n\nA paragraph added in the source."
		})
		r = translator.get("/admin/translations/")
		if !strings.Contains(r.body, html.EscapeString(outdatedList)) {
			t.Fatalf("no outdated stories after a source edit:\n%s", r.body)
		}
		r = translator.get(outdatedList)
		translate := `href="/admin/items/story/` + historyStory + `/translate/el"`
		if r.status != 200 || !strings.Contains(r.body, translate) || !strings.Contains(r.body, "Meridia signs a partnership with four African universities") {
			t.Fatalf("outdated list = %d:\n%s", r.status, r.body)
		}
		for _, tt := range []struct {
			path   string
			status int
		}{
			{"/admin/translations/?kind=story&lang=de&list=outdated", http.StatusForbidden}, // not their language
			{"/admin/translations/?kind=story&lang=el&list=late", http.StatusBadRequest},
			{"/admin/translations/?kind=nothing&lang=el&list=missing", http.StatusBadRequest},
			{"/admin/translations/?kind=story&lang=el&list=outdated&page=9", http.StatusNotFound},
		} {
			if r := translator.get(tt.path); r.status != tt.status {
				t.Errorf("%s = %d, want %d", tt.path, r.status, tt.status)
			}
		}

		saveAsUser(t, m, "greek@example.eu", func(it *alliance.Item) {
			textIn(it, "el").Body += "\n\nΜια παράγραφος που προστέθηκε."
		})
		r = translator.get(outdatedList)
		if r.status != 200 || strings.Contains(r.body, translate) {
			t.Errorf("outdated list after the translation was saved = %d:\n%s", r.status, r.body)
		}
		// The German translation is still outdated: an editor sees every language.
		editor := newBrowser(t, m)
		editor.signIn("editor@example.eu", goodPassword)
		r = editor.get("/admin/translations/?kind=story&lang=de&list=outdated")
		if r.status != 200 || !strings.Contains(r.body, `/translate/de"`) {
			t.Errorf("German outdated list for an editor = %d:\n%s", r.status, r.body)
		}
		// An item without a Greek text is listed as missing.
		ctx := context.Background()
		it, err := m.DB.Edit(ctx, alliance.KindStory, historyStory)
		if err != nil {
			t.Fatal(err)
		}
		it.Key = "only-in-english"
		it.Texts = []alliance.Text{*textIn(it, "en")}
		it.Texts[0].Slug = "only-in-english"
		it.Texts[0].Title = "Only in English"
		if err := m.DB.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Save(ctx, it, alliance.Change{UserName: "test"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r = translator.get("/admin/translations/?kind=story&lang=el&list=missing")
		if r.status != 200 || !strings.Contains(r.body, `href="/admin/items/story/only-in-english/translate/el"`) {
			t.Errorf("missing list = %d:\n%s", r.status, r.body)
		}
	})
}

var revisionRows = regexp.MustCompile(`<th scope="row">(\d+)`)

// An item's revisions are listed newest first with who saved them; the difference of two shows
// the changed field only; a restore brings the old text back as a new revision, audited; the
// audit log is for administrators only.
func TestRevisionsDiffRestoreAndAudit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		admin := invite(t, m, "admin@example.eu", goodPassword, "--role", "administrator")
		editor := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		translator := invite(t, m, "greek@example.eu", goodPassword, "--role", "translator", "--languages", "el")
		ctx := context.Background()
		before, err := m.DB.Edit(ctx, alliance.KindStory, historyStory)
		if err != nil {
			t.Fatal(err)
		}
		oldTitle := textIn(before, "en").Title
		saveAsUser(t, m, "editor@example.eu", func(it *alliance.Item) { textIn(it, "en").Title = "A new title" })
		saveAsUser(t, m, "editor@example.eu", func(it *alliance.Item) {
			textIn(it, "en").Body = strings.Replace(textIn(it, "en").Body, "Five years", "Six years", 1)
		})

		path := "/admin/items/story/" + historyStory + "/revisions/"
		r := editor.get(path)
		var numbers []string
		for _, m := range revisionRows.FindAllStringSubmatch(r.body, -1) {
			numbers = append(numbers, m[1])
		}
		if r.status != 200 || strings.Join(numbers, " ") != "3 2 1" || !strings.Contains(r.body, "Name of editor@example.eu") || !strings.Contains(r.body, "<td>import</td>") {
			t.Fatalf("revisions = %d %v:\n%s", r.status, numbers, r.body)
		}

		r = editor.get(path + "?from=1&to=2")
		if r.status != 200 || !strings.Contains(r.body, "<code>title</code>") || strings.Contains(r.body, "<code>body</code>") ||
			!strings.Contains(r.body, html.EscapeString(oldTitle)) || !strings.Contains(r.body, "A new title") {
			t.Fatalf("diff 1→2 = %d:\n%s", r.status, r.body)
		}
		r = editor.get(path + "?from=2&to=3")
		if !strings.Contains(r.body, "<code>body</code>") || strings.Contains(r.body, "<code>title</code>") ||
			!regexp.MustCompile(`<del><span class="visually-hidden">removed: </span><span lang="en">## Five years`).MatchString(r.body) ||
			!regexp.MustCompile(`<ins><span class="visually-hidden">added: </span><span lang="en">## Six years`).MatchString(r.body) {
			t.Fatalf("diff 2→3 = %d:\n%s", r.status, r.body)
		}
		if r := editor.get(path + "?from=1&to=99"); r.status != 404 {
			t.Errorf("diff with an unknown revision = %d", r.status)
		}

		// Restoring: refused without the form's token and to a translator.
		restore := path + "1/restore"
		if r := editor.post(restore, url.Values{"base": {"3"}}); r.status != http.StatusForbidden {
			t.Errorf("restore without a token = %d", r.status)
		}
		if r := translator.get(path); r.status != 200 || strings.Contains(r.body, "/restore") {
			t.Errorf("a translator's revisions page = %d:\n%s", r.status, r.body)
		}
		if r := translator.submit(path, restore, url.Values{"base": {"3"}}); r.status != http.StatusForbidden {
			t.Errorf("restore by a translator = %d", r.status)
		}
		if r := editor.submit(path, restore, url.Values{"base": {"2"}}); r.status != http.StatusConflict {
			t.Errorf("restore from a stale revision = %d:\n%s", r.status, r.body)
		}
		r = editor.submit(path, restore, url.Values{"base": {"3"}})
		if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "done=restored") {
			t.Fatalf("restore = %d %s:\n%s", r.status, r.header.Get("Location"), r.body)
		}
		after, err := m.DB.Edit(ctx, alliance.KindStory, historyStory)
		if err != nil {
			t.Fatal(err)
		}
		if after.Revision != 4 || textIn(after, "en").Title != oldTitle || textIn(after, "en").Body != textIn(before, "en").Body {
			t.Errorf("after the restore: revision %d, title %q", after.Revision, textIn(after, "en").Title)
		}
		r = editor.get(r.header.Get("Location"))
		if !strings.Contains(r.body, "Revision 1 is restored, as revision 4.") || !strings.Contains(r.body, `<th scope="row">4`) {
			t.Errorf("revisions after the restore:\n%s", r.body)
		}
		if r := admin.get(path); r.status != 200 {
			t.Errorf("revisions for an administrator = %d", r.status)
		}

		// The audit log: for administrators only, the restore in it, filtered by action and user.
		for _, b := range []*browser{editor, translator} {
			if r := b.get("/admin/audit/"); r.status != http.StatusForbidden {
				t.Errorf("audit log for a non-administrator = %d", r.status)
			}
		}
		r = admin.get("/admin/audit/")
		if r.status != 200 || !strings.Contains(r.body, "revision restored") || !strings.Contains(r.body, "story/"+historyStory) ||
			!strings.Contains(r.body, "revision 4 from revision 1") || !strings.Contains(r.body, "set a password") {
			t.Fatalf("audit log = %d:\n%s", r.status, r.body)
		}
		r = admin.get("/admin/audit/?action=item-restored")
		if strings.Count(r.body, "revision restored</td>") != 1 || strings.Contains(r.body, "signed in</td>") {
			t.Errorf("audit log of restores:\n%s", r.body)
		}
		u, _, _ := m.DB.UserByEmail(ctx, "editor@example.eu")
		r = admin.get("/admin/audit/?user=" + strconv.FormatInt(u.ID, 10))
		if !strings.Contains(r.body, "editor@example.eu") || strings.Contains(r.body, "<td>admin@example.eu</td>") {
			t.Errorf("audit log of the editor:\n%s", r.body)
		}
		if r := admin.get("/admin/audit/?action=nothing"); r.status != http.StatusBadRequest {
			t.Errorf("unknown action = %d", r.status)
		}
	})
}
