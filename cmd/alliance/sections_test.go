package main

import (
	"strings"
	"testing"

	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store/storetest"
	"github.com/alliance-platform/alliance/internal/web"
)

// Every section of the registry (internal/web/sections.go) is whole in every language: it has
// a slug there that leads back to it, its title and intro in the catalogue, a listing that
// answers under its slug with its own title, a link in the menu and the footer of every page,
// and a page for an item of its kind under it, where the menu marks the section current. A
// section half-added — a row without a slug, a text, a handler or an item page — fails here.
func TestEverySectionIsWholeInEveryLanguage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		site, err := m.DB.Site(bgctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(web.Sections()) == 0 {
			t.Fatal("the registry lists no section")
		}
		for _, lang := range site.Languages {
			l := locale.MustGet(lang)
			home := get(t, m, "/"+lang+"/")
			checkPage(t, "/"+lang+"/", home, lang)
			menu := between(home.body, `<ul class="menu-sections">`, "</ul>")
			footer := between(home.body, `<h2 id="footer-more">`, "</ul>")
			previous := "" // the listing of the section above in the registry
			for _, sec := range web.Sections() {
				if !l.HasSection(sec.ID) {
					t.Errorf("%s: section %q has no slug", lang, sec.ID)
					continue
				}
				slug := l.SectionSlug(sec.ID)
				if back, ok := l.SectionBySlug(slug); !ok || back != sec.ID {
					t.Errorf("%s: slug %q leads to %q, %v, want section %q", lang, slug, back, ok, sec.ID)
				}
				for _, key := range []string{"section." + sec.ID, "section." + sec.ID + "_intro"} {
					if !l.Has(key) {
						t.Errorf("%s: no catalogue text %q", lang, key)
					}
				}
				title := htmlEscape(l.T("section." + sec.ID))
				listing := "/" + lang + "/" + slug + "/"
				link := `<li><a href="` + listing + `">` + title + `</a></li>`
				if !strings.Contains(menu, link) {
					t.Errorf("%s: the menu has no %s", lang, link)
				}
				if !strings.Contains(footer, link) {
					t.Errorf("%s: the footer has no %s", lang, link)
				}
				// In the registry's order, in the menu as in the footer.
				for _, list := range []string{menu, footer} {
					if previous != "" && strings.Index(list, `"`+listing+`"`) < strings.Index(list, `"`+previous+`"`) {
						t.Errorf("%s: %s comes before %s, the section above it in the registry", lang, listing, previous)
					}
				}
				previous = listing
				r := get(t, m, listing)
				checkPage(t, listing, r, lang)
				if !strings.Contains(r.body, "<h1>"+title+"</h1>") {
					t.Errorf("GET %s: no <h1>%s</h1>: the section's listing did not answer", listing, title)
				}
				item := itemPath(firstItem(t, m, sec.Kind), lang, sec.ID)
				r = get(t, m, item)
				checkPage(t, item, r, lang)
				current := `<a href="` + listing + `" aria-current="true">` + title + `</a>`
				if !strings.Contains(between(r.body, `<ul class="menu-sections">`, "</ul>"), current) {
					t.Errorf("GET %s: the menu does not mark its section: no %s", item, current)
				}
			}
		}
	})
}

// between is the part of s after the first start and before the next end ("" without start).
func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	before, _, _ := strings.Cut(after, end)
	return before
}
