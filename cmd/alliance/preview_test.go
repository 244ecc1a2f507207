package main

import (
	"context"
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// The previews' tests: an editor sees an unpublished item, or a past revision, at its public
// URL through the back office's preview link; nobody else does, and no cache keeps it.

const (
	draftKey    = "preview-draft"
	draftMarker = "Text of a draft nobody has published yet"
	oldMarker   = "A sentence that only the second revision had"
)

// addDraft saves a copy of the history story as a new draft that was never published, with a
// slug of its own in every language and draftMarker in every body.
func addDraft(t *testing.T, m *Main) *alliance.Item {
	t.Helper()
	ctx := context.Background()
	it, err := m.DB.Edit(ctx, alliance.KindStory, historyStory)
	if err != nil {
		t.Fatal(err)
	}
	it.ID, it.Key, it.Draft, it.Revision = 0, draftKey, true, 0
	for i := range it.Texts {
		it.Texts[i].Slug += "-preview"
		it.Texts[i].Body = draftMarker + " (" + it.Texts[i].Lang + ").\n"
	}
	if err := m.DB.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Save(ctx, it, alliance.Change{UserName: "test"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return it
}

// previewURL follows the back office's preview link of kind/key as b and returns the public
// URL it redirects to (with the token), checking the redirect.
func previewURL(t *testing.T, b *browser, key, lang string, rev int) string {
	t.Helper()
	path := "/admin/preview/story/" + key + "?lang=" + lang
	if rev > 0 {
		path += "&rev=" + strconv.Itoa(rev)
	}
	r := b.get(path)
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/"+lang+"/"+locale.MustGet(lang).SectionSlug("news")+"/") || !strings.Contains(loc, "?preview=") {
		t.Fatalf("GET %s = %d %q:\n%s", path, r.status, loc, r.body)
	}
	return loc
}

// checkPrivate asserts the headers of every answer to a URL asking for a preview.
func checkPrivate(t *testing.T, what string, r response) {
	t.Helper()
	if cc := r.header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("%s: Cache-Control %q", what, cc)
	}
	if x := r.header.Get("X-Robots-Tag"); x != "noindex" {
		t.Errorf("%s: X-Robots-Tag %q", what, x)
	}
	if e := r.header.Get("ETag"); e != "" {
		t.Errorf("%s: ETag %q", what, e)
	}
	if c := r.header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s: Set-Cookie %q", what, c)
	}
}

// An editor previews a draft never published, in every language, with the banner in that
// language; a visitor with the same URL gets the localized 404; the link expires.
func TestPreviewDraft(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		clock := newAdminClock()
		m := startAdmin(t, dbURL, "", clock)
		editor := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		addDraft(t, m)

		site, err := m.DB.Site(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var enURL string
		for _, lang := range site.Languages {
			l := locale.MustGet(lang)
			u := previewURL(t, editor, draftKey, lang, 0)
			if lang == "en" {
				enURL = u
			}
			r := editor.get(u)
			checkPrivate(t, "editor's preview in "+lang, r)
			for _, want := range []string{
				draftMarker + " (" + lang + ")",
				html.EscapeString(l.T("preview.current")),
				html.EscapeString(l.T("preview.hidden")),
				`aria-label="` + html.EscapeString(l.T("preview.label")) + `"`,
				`href="/admin/items/story/` + draftKey + `/"`,
				`<meta name="robots" content="noindex">`,
			} {
				if r.status != http.StatusOK || !strings.Contains(r.body, want) {
					t.Fatalf("preview in %s = %d, no %q:\n%s", lang, r.status, want, r.body)
				}
			}
			// A visitor with the very same URL: the public answer, a 404 in the language.
			v := get(t, m, u)
			checkPrivate(t, "visitor's "+lang, v)
			if v.status != http.StatusNotFound || strings.Contains(v.body, draftMarker) || strings.Contains(v.body, "preview-bar") ||
				!strings.Contains(v.body, html.EscapeString(l.T("error.404_title"))) {
				t.Fatalf("visitor at %s = %d:\n%s", u, v.status, v.body)
			}
		}

		// The link works for its time only.
		clock.add(29 * time.Minute)
		if r := editor.get(enURL); r.status != http.StatusOK || !strings.Contains(r.body, draftMarker) {
			t.Fatalf("preview after 29 minutes = %d", r.status)
		}
		clock.add(2 * time.Minute)
		if r := editor.get(enURL); r.status != http.StatusNotFound || strings.Contains(r.body, draftMarker) {
			t.Fatalf("preview after 31 minutes = %d:\n%s", r.status, r.body)
		}
	})
}

// A past revision of a published story previews at its URL with the revision's text; the page
// cache, on, never keeps the preview: visitors get the published page, before and after.
func TestPreviewRevisionNeverCached(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		editor := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		saveAsUser(t, m, "editor@example.eu", func(it *alliance.Item) {
			textIn(it, "en").Body += "\n\n" + oldMarker + "\n"
		})
		saveAsUser(t, m, "editor@example.eu", func(it *alliance.Item) {
			en := textIn(it, "en")
			en.Body = strings.Replace(en.Body, oldMarker, "", 1)
		})
		ctx := context.Background()
		revs, err := m.DB.Revisions(ctx, alliance.KindStory, historyStory)
		if err != nil || len(revs) < 3 {
			t.Fatalf("revisions %v, %v", revs, err)
		}
		old := revs[1].Number // the one with the marker
		stored, _ := m.DB.Edit(ctx, alliance.KindStory, historyStory)
		public := itemPath(stored, "en", "news")

		// The revisions page links each revision's preview.
		r := editor.get("/admin/items/story/" + historyStory + "/revisions/")
		if want := html.EscapeString("/admin/preview/story/" + historyStory + "?lang=en&rev=" + strconv.Itoa(old)); !strings.Contains(r.body, want) {
			t.Fatalf("revisions page has no %q:\n%s", want, r.body)
		}
		// The form links the item's preview as it stands.
		r = editor.get("/admin/items/story/" + historyStory + "/")
		if want := html.EscapeString("/admin/preview/story/" + historyStory + "?lang=en"); !strings.Contains(r.body, want+`"`) {
			t.Fatalf("item form has no %q:\n%s", want, r.body)
		}

		// A visitor fills the cache with the published page first.
		if v := get(t, m, public); v.status != http.StatusOK || strings.Contains(v.body, oldMarker) {
			t.Fatalf("public page = %d", v.status)
		}
		pages, _ := m.site.CacheSize()
		u := previewURL(t, editor, historyStory, "en", old)
		if !strings.HasPrefix(u, public+"?preview=") {
			t.Fatalf("preview of revision %d at %s, not at %s", old, u, public)
		}
		for range 2 { // the second would be a hit, if the first were kept
			p := editor.get(u, "Accept-Encoding", "identity")
			checkPrivate(t, "revision preview", p)
			banner := html.EscapeString(locale.MustGet("en").T("preview.revision", "n", old))
			if p.status != http.StatusOK || !strings.Contains(p.body, oldMarker) || !strings.Contains(p.body, banner) ||
				!strings.Contains(p.body, `href="/admin/items/story/`+historyStory+`/revisions/"`) {
				t.Fatalf("preview of revision %d = %d:\n%s", old, p.status, p.body)
			}
		}
		if after, _ := m.site.CacheSize(); after != pages {
			t.Errorf("the cache holds %d pages after previews, %d before", after, pages)
		}
		// The same URL and the canonical one, as a visitor: the published page.
		v := get(t, m, u)
		checkPrivate(t, "visitor with a preview URL", v)
		if v.status != http.StatusOK || strings.Contains(v.body, oldMarker) || strings.Contains(v.body, "preview-bar") {
			t.Fatalf("visitor with the preview URL = %d:\n%s", v.status, v.body)
		}
		v = get(t, m, public)
		if v.status != http.StatusOK || strings.Contains(v.body, oldMarker) || strings.Contains(v.body, "preview-bar") || v.header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("public page after previews = %d %q:\n%s", v.status, v.header.Get("Cache-Control"), v.body)
		}
		// An unknown revision has no preview.
		if r := editor.get("/admin/preview/story/" + historyStory + "?lang=en&rev=999"); r.status != http.StatusNotFound {
			t.Errorf("preview of revision 999 = %d", r.status)
		}
	})
}

// Only who may edit or translate the item previews it: a member editor of another university
// is refused the link, and a token of theirs shows the public page (404 for a draft); a
// disabled editor's link stops working at once.
func TestPreviewRights(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		editor := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		other := invite(t, m, "genil@example.eu", goodPassword, "--role", "member-editor", "--member", "genil")
		own := invite(t, m, "dambovita@example.eu", goodPassword, "--role", "member-editor", "--member", "dambovita")
		addDraft(t, m)

		if r := other.get("/admin/preview/story/" + draftKey + "?lang=en"); r.status != http.StatusForbidden {
			t.Fatalf("another university's member editor asking a preview = %d", r.status)
		}
		// Their own university's member editor may (the draft's author is at Dâmbovița).
		if r := own.get(previewURL(t, own, draftKey, "en", 0)); r.status != http.StatusOK || !strings.Contains(r.body, draftMarker) {
			t.Fatalf("own member editor's preview = %d", r.status)
		}
		// A token minted for the other member editor, with its cookie: still the public 404.
		ctx := context.Background()
		u, _, err := m.DB.UserByEmail(ctx, "genil@example.eu")
		if err != nil {
			t.Fatal(err)
		}
		tok, secret := auth.NewToken(), auth.NewToken()
		if err := m.DB.UpdateAccounts(ctx, m.Config.Clock(), func(tx *store.Tx) error {
			return tx.CreatePreviewToken(ctx, auth.HashToken(tok), store.PreviewToken{UserID: u.ID, Kind: alliance.KindStory, Key: draftKey, Binding: auth.HashToken(secret)},
				m.Config.Clock().Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
		draft, _ := m.DB.Edit(ctx, alliance.KindStory, draftKey)
		path := itemPath(draft, "en", "news") + "?preview=" + tok
		r := get(t, m, path, "Cookie", "alliance_preview_"+auth.HashToken(tok)[:16]+"="+secret)
		checkPrivate(t, "other member editor's token", r)
		if r.status != http.StatusNotFound || strings.Contains(r.body, draftMarker) {
			t.Fatalf("other member editor's token = %d:\n%s", r.status, r.body)
		}
		// The same request with the right cookie but a wrong token, or no cookie: 404 too.
		if r := get(t, m, itemPath(draft, "en", "news")+"?preview=x"+tok, "Cookie", "alliance_preview_"+auth.HashToken(tok)[:16]+"="+secret); r.status != http.StatusNotFound {
			t.Errorf("wrong token = %d", r.status)
		}

		// The editor's link works until they are disabled.
		link := previewURL(t, editor, draftKey, "de", 0)
		if r := editor.get(link); r.status != http.StatusOK || !strings.Contains(r.body, draftMarker) {
			t.Fatalf("editor's preview = %d", r.status)
		}
		// The link with a cookie of the right name but another secret: the public 404.
		tokOf := strings.SplitN(link, "?preview=", 2)[1]
		if r := get(t, m, link, "Cookie", "alliance_preview_"+auth.HashToken(tokOf)[:16]+"="+auth.NewToken()); r.status != http.StatusNotFound {
			t.Errorf("editor's link with another secret = %d", r.status)
		}
		if _, err := cli(t, m, "user", "disable", "editor@example.eu"); err != nil {
			t.Fatal(err)
		}
		if r := editor.get(link); r.status != http.StatusNotFound || strings.Contains(r.body, draftMarker) {
			t.Fatalf("disabled editor's preview = %d:\n%s", r.status, r.body)
		}
	})
}

// The story form (and the event form) offers the media library for its image, without script (a datalist of the
// library's images and a link to the library), and names the people it offers as authors,
// with their keys beside; in each language of the back office.
func TestItemFormMediaAndAuthorNames(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		editor := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		for _, lang := range []string{"en", "de", "el"} {
			l := locale.MustGet(lang)
			for _, path := range []string{"/admin/items/story/" + historyStory + "/", "/admin/items/story/new"} {
				r := editor.get(path, "Accept-Language", lang)
				for _, want := range []string{
					`id="f-image" name="image" type="text" value="`,
					`list="media-images"`,
					`<datalist id="media-images"><option value="`,
					`<option value="images/stories/africa-europe-partnership.svg"></option>`,
					`<a href="/admin/media/">` + html.EscapeString(l.B("items.media_library")) + `</a>`,
					`value="andrei-ionescu"`,
					`Andrei Ionescu <span class="key">(andrei-ionescu)</span>`,
				} {
					if r.status != http.StatusOK || !strings.Contains(r.body, want) {
						t.Fatalf("%s in %s = %d, no %q:\n%s", path, lang, r.status, want, r.body)
					}
				}
				// Documents are not offered as images.
				if strings.Contains(r.body, `<option value="docs/`) {
					t.Errorf("%s in %s offers documents as images", path, lang)
				}
				if path != "/admin/items/story/new" {
					want := `href="` + html.EscapeString("/admin/preview/story/"+historyStory+"?lang="+lang) + `">` + html.EscapeString(l.B("items.preview_public"))
					if !strings.Contains(r.body, want) {
						t.Errorf("%s in %s has no %q", path, lang, want)
					}
				}
			}
		}
		// An event's image is offered the same way, with its alt text in each language.
		for _, path := range []string{"/admin/items/event/new", "/admin/items/event/open-labs-forum-2027/"} {
			r := editor.get(path)
			for _, want := range []string{
				`id="f-image" name="image" type="text" value="`,
				`list="media-images"`,
				`<datalist id="media-images"><option value="`,
				`<option value="images/stories/open-labs-forum-2027-granada.jpg"></option>`,
				`.alt" type="text"`,
			} {
				if r.status != http.StatusOK || !strings.Contains(r.body, want) {
					t.Errorf("%s = %d, no %q", path, r.status, want)
				}
			}
		}
	})
}
