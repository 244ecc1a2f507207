package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// storyForm is a whole new story as the back office's form posts it.
func storyForm(key, title string, authors ...string) url.Values {
	v := url.Values{
		"key": {key}, "source_lang": {"en"}, "langs": {"en"}, "base": {"0"},
		"date": {"2026-03-02"}, "category": {"research"},
		"texts.en.title": {title}, "texts.en.slug": {key}, "texts.en.summary": {"A summary of " + title},
		"texts.en.body": {"Some **bold** words."}, "do": {"save"},
	}
	for _, a := range authors {
		v.Add("authors", a)
	}
	return v
}

// formValues returns the values of the form at path as the page shows them (inputs, selected
// options, checked boxes and textareas), with its token, as a browser would post them back.
func formValues(t *testing.T, b *browser, path string) url.Values {
	t.Helper()
	r := b.get(path)
	if r.status != 200 {
		t.Fatalf("GET %s = %d:\n%s", path, r.status, r.body)
	}
	return parseForm(r.body)
}

var (
	inputRE    = regexp.MustCompile(`<input([^>]*)>`)
	textareaRE = regexp.MustCompile(`(?s)<textarea([^>]*)>(.*?)</textarea>`)
	selectRE   = regexp.MustCompile(`(?s)<select([^>]*)>(.*?)</select>`)
	optionRE   = regexp.MustCompile(`<option([^>]*)>`)
	attrRE     = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
)

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		out[m[1]] = htmlUnescape(m[2])
	}
	return out
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
}

func parseForm(body string) url.Values {
	v := url.Values{}
	if i := strings.Index(body, `id="item-form"`); i >= 0 {
		body = body[i:]
		if j := strings.Index(body, "</form>"); j >= 0 {
			body = body[:j]
		}
	}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		a := attrs(m[1])
		if a["name"] == "" {
			continue
		}
		if a["type"] == "checkbox" {
			if _, ok := a["checked"]; !ok {
				continue
			}
		}
		v.Add(a["name"], a["value"])
	}
	for _, m := range textareaRE.FindAllStringSubmatch(body, -1) {
		v.Add(attrs(m[1])["name"], htmlUnescape(strings.TrimPrefix(m[2], "\n")))
	}
	for _, m := range selectRE.FindAllStringSubmatch(body, -1) {
		name := attrs(m[1])["name"]
		for _, o := range optionRE.FindAllStringSubmatch(m[2], -1) {
			a := attrs(o[1])
			if _, ok := a["selected"]; ok {
				v.Set(name, a["value"])
			}
		}
	}
	return v
}

// public gets a page of the public site, as a visitor.
func public(t *testing.T, m *Main, path string) int {
	t.Helper()
	res, err := http.Get(m.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// An editor creates a story, sees a validation error with everything typed kept, previews,
// publishes, schedules and deletes it; a translator translates it into Greek only.
func TestItemsCreateEditPublishTranslateDelete(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		clock := newAdminClock()
		m := startAdmin(t, dbURL, "", clock)
		ed := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")

		home := ed.get("/admin/")
		if !strings.Contains(home.body, `href="/admin/items/story/"`) {
			t.Fatalf("home links no stories:\n%s", home.body)
		}
		list := ed.get("/admin/items/story/")
		if list.status != 200 || !strings.Contains(list.body, "climate-pledge") {
			t.Fatalf("story list = %d:\n%s", list.status, list.body)
		}

		// A story without its date: refused, shown again with the message by the field and
		// every value typed.
		v := storyForm("lab-notes", "Lab notes from Granada", "ines-navarro")
		v.Del("date")
		v.Set("texts.en.body", "Typed *body* kept")
		v.Set("csrf", ed.form("/admin/items/story/new"))
		r := ed.post("/admin/items/story/new", v)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("story without date = %d:\n%s", r.status, r.body)
		}
		for _, want := range []string{`href="#f-date"`, `id="f-date-error"`, `aria-describedby="f-date-help f-date-error"`,
			`value="Lab notes from Granada"`, "Typed *body* kept", `value="ines-navarro" checked`, `class="summary"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("refused form lacks %q", want)
			}
		}
		// Preview renders the body with the site's renderer and saves nothing.
		v.Set("do", "preview")
		if r := ed.post("/admin/items/story/new", v); r.status != 200 || !strings.Contains(r.body, "<em>body</em>") {
			t.Errorf("preview = %d, want the body rendered:\n%s", r.status, r.body)
		}
		v = storyForm("lab-notes", "Lab notes from Granada", "ines-navarro")
		v.Set("csrf", ed.form("/admin/items/story/new"))
		r = ed.post("/admin/items/story/new", v)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/items/story/lab-notes/?done=created" {
			t.Fatalf("create = %d %s:\n%s", r.status, r.header.Get("Location"), r.body)
		}
		if s := public(t, m, "/en/news/lab-notes/"); s != 404 {
			t.Errorf("a new story (a draft) is public: %d", s)
		}

		// Publish now: on the public site at the very next request.
		f := formValues(t, ed, "/admin/items/story/lab-notes/")
		f.Set("do", "publish")
		if r := ed.post("/admin/items/story/lab-notes/", f); r.status != http.StatusSeeOther {
			t.Fatalf("publish = %d:\n%s", r.status, r.body)
		}
		if s := public(t, m, "/en/news/lab-notes/"); s != 200 {
			t.Errorf("published story = %d", s)
		}
		// Unpublish, then schedule an hour ahead in the site's zone.
		f = formValues(t, ed, "/admin/items/story/lab-notes/")
		f.Set("do", "unpublish")
		if r := ed.post("/admin/items/story/lab-notes/", f); r.status != http.StatusSeeOther {
			t.Fatalf("unpublish = %d:\n%s", r.status, r.body)
		}
		if s := public(t, m, "/en/news/lab-notes/"); s != 404 {
			t.Errorf("unpublished story = %d", s)
		}
		brussels, _ := time.LoadLocation("Europe/Brussels")
		f = formValues(t, ed, "/admin/items/story/lab-notes/")
		f.Set("do", "schedule")
		f.Set("publish_at", clock.now().Add(time.Hour).In(brussels).Format("2006-01-02T15:04"))
		f.Set("unpublish_at", "")
		if r := ed.post("/admin/items/story/lab-notes/", f); r.status != http.StatusSeeOther {
			t.Fatalf("schedule = %d:\n%s", r.status, r.body)
		}
		if s := public(t, m, "/en/news/lab-notes/"); s != 404 {
			t.Errorf("scheduled story before its time = %d", s)
		}
		if r := ed.get("/admin/items/story/?status=scheduled"); !strings.Contains(r.body, "lab-notes") {
			t.Errorf("scheduled filter lacks the story:\n%s", r.body)
		}
		clock.add(61 * time.Minute)
		if s := public(t, m, "/en/news/lab-notes/"); s != 200 {
			t.Errorf("scheduled story at its time = %d", s)
		}

		// A translator into Greek translates, and may do nothing else.
		tr := invite(t, m, "translator@example.eu", goodPassword, "--role", "translator", "--languages", "el")
		el := formValues(t, tr, "/admin/items/story/lab-notes/translate/el")
		if !strings.Contains(tr.get("/admin/items/story/lab-notes/translate/el").body, "Lab notes from Granada") {
			t.Error("the translation page does not show the source text")
		}
		el.Set("texts.el.title", "Σημειώσεις εργαστηρίου")
		el.Set("texts.el.slug", "simeioseis-ergastiriou")
		el.Set("texts.el.summary", "Περίληψη")
		el.Set("texts.el.body", "Κείμενο")
		if r := tr.post("/admin/items/story/lab-notes/translate/el", el); r.status != http.StatusSeeOther {
			t.Fatalf("translate into el = %d:\n%s", r.status, r.body)
		}
		if s := public(t, m, "/el/nea/simeioseis-ergastiriou/"); s != 200 {
			t.Errorf("Greek translation on the site = %d", s)
		}
		el = formValues(t, tr, "/admin/items/story/lab-notes/translate/el")
		el.Set("date", "2020-01-01") // a shared field: refused, whatever the form shows
		if r := tr.post("/admin/items/story/lab-notes/translate/el", el); r.status != http.StatusForbidden {
			t.Errorf("translator posting a shared field = %d", r.status)
		}
		el.Del("date")
		el.Set("texts.en.title", "Hijacked")
		if r := tr.post("/admin/items/story/lab-notes/translate/el", el); r.status != http.StatusForbidden {
			t.Errorf("translator posting the English title = %d", r.status)
		}
		for _, path := range []string{"/admin/items/story/lab-notes/translate/de", "/admin/items/story/lab-notes/translate/en", "/admin/items/story/lab-notes/"} {
			if r := tr.get(path); r.status != http.StatusForbidden {
				t.Errorf("translator GET %s = %d", path, r.status)
			}
		}
		stored, err := m.DB.Edit(context.Background(), alliance.KindStory, "lab-notes")
		if err != nil || stored.Text("el") == nil || stored.Text("en").Title != "Lab notes from Granada" || string(stored.Data.(*alliance.Story).Date) != "2026-03-02" {
			t.Errorf("after translation: %+v, %v", stored, err)
		}

		// The audit log has a line for each change.
		log, err := m.DB.AuditLog(context.Background(), store.AuditQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range log {
			if e.Subject == "story/lab-notes" {
				seen[e.Action] = true
			}
		}
		for _, a := range []string{store.AuditItemCreated, store.AuditItemPublished, store.AuditItemUnpublished, store.AuditItemScheduled, store.AuditItemTranslated} {
			if !seen[a] {
				t.Errorf("audit log lacks %s for the story: %v", a, seen)
			}
		}

		// Delete, after a confirmation page.
		if r := ed.get("/admin/items/story/lab-notes/delete"); r.status != 200 || !strings.Contains(r.body, `<form method="post"`) {
			t.Fatalf("delete confirmation = %d", r.status)
		}
		r = ed.submit("/admin/items/story/lab-notes/delete", "/admin/items/story/lab-notes/delete", url.Values{})
		if r.status != http.StatusSeeOther {
			t.Fatalf("delete = %d:\n%s", r.status, r.body)
		}
		if s := public(t, m, "/en/news/lab-notes/"); s != 404 {
			t.Errorf("deleted story = %d", s)
		}
		if r := ed.get("/admin/items/story/lab-notes/"); r.status != 404 {
			t.Errorf("deleted story's form = %d", r.status)
		}
		// An item others refer to is not deleted.
		r = ed.submit("/admin/items/person/claire-dubois/delete", "/admin/items/person/claire-dubois/delete", url.Values{})
		if r.status != http.StatusConflict || !strings.Contains(r.body, "story/climate-pledge") {
			t.Errorf("deleting a referred person = %d:\n%s", r.status, r.body)
		}
	})
}

// Two editors open the same story; the second save is refused with both versions shown and the
// second editor's text kept, and saving again from there succeeds.
func TestItemsConflictBetweenTwoEditors(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		a := invite(t, m, "a@example.eu", goodPassword, "--role", "editor")
		b := invite(t, m, "b@example.eu", goodPassword, "--role", "editor")
		fa := formValues(t, a, "/admin/items/story/climate-pledge/")
		fb := formValues(t, b, "/admin/items/story/climate-pledge/")
		fa.Set("texts.en.title", "Title by A")
		if r := a.post("/admin/items/story/climate-pledge/", fa); r.status != http.StatusSeeOther {
			t.Fatalf("first save = %d:\n%s", r.status, r.body)
		}
		fb.Set("texts.en.title", "Title by B")
		r := b.post("/admin/items/story/climate-pledge/", fb)
		if r.status != http.StatusConflict {
			t.Fatalf("second save = %d:\n%s", r.status, r.body)
		}
		for _, want := range []string{`value="Title by B"`, "Title by A", "texts.en.title", "Name of a@example.eu"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("conflict page lacks %q:\n%s", want, r.body)
			}
		}
		again := parseForm(r.body)
		again.Set("do", "save")
		if r := b.post("/admin/items/story/climate-pledge/", again); r.status != http.StatusSeeOther {
			t.Fatalf("saving again after the conflict = %d:\n%s", r.status, r.body)
		}
		it, err := m.DB.Edit(context.Background(), alliance.KindStory, "climate-pledge")
		if err != nil || it.Text("en").Title != "Title by B" {
			t.Errorf("after the conflict: %v, %v", it.Text("en"), err)
		}
	})
}

// A refused save is explained in the editor's language, naming what was refused, for problems
// found by the kind's rules and by the store alike.
func TestValidationMessagesInTheEditorsLanguage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		ed := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		taken := "meridia-signs-a-partnership-with-four-african-universities"
		for _, c := range []struct{ lang, slugTaken, required string }{
			{"en", "“" + taken + "” is already the address of another item", "Please fill this in."},
			{"de", "„" + taken + "“ ist bereits die Adresse eines anderen Eintrags", "Bitte füllen Sie dieses Feld aus."},
			{"el", "Το «" + taken + "» είναι ήδη η διεύθυνση άλλου στοιχείου", "Συμπληρώστε αυτό το πεδίο."},
		} {
			v := storyForm("twice-told", "A story told twice", "ines-navarro")
			v.Set("texts.en.slug", taken)
			v.Del("category")
			v.Set("csrf", ed.form("/admin/items/story/new"))
			r := ed.post("/admin/items/story/new", v, "Accept-Language", c.lang)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("%s: a taken slug = %d:\n%s", c.lang, r.status, r.body)
			}
			page := htmlUnescape(r.body)
			for _, want := range []string{c.slugTaken, c.required} {
				if !strings.Contains(page, want) {
					t.Errorf("%s: the refused form lacks %q", c.lang, want)
				}
			}
			if strings.Contains(page, "is already the slug of") {
				t.Errorf("%s: the form shows the English message of the store", c.lang)
			}
		}
	})
}
