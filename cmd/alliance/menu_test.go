package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// element is a parsed HTML element, enough to check the structure of the menu.
type element struct {
	name     string
	attrs    map[string]string
	children []*element
	text     string // the text directly inside
}

// parseFragment reads well-formed markup (the menu, which layout.templ writes) into elements.
func parseFragment(t *testing.T, s string) *element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict, d.Entity = true, xml.HTMLEntity
	root := &element{}
	stack := []*element{root}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("menu is not well-formed: %v\n%s", err, s)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			top.children = append(top.children, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(tok)
		}
	}
	return root
}

func (e *element) find(match func(*element) bool) *element {
	for _, c := range e.children {
		if match(c) {
			return c
		}
		if f := c.find(match); f != nil {
			return f
		}
	}
	return nil
}

func (e *element) childrenNamed(name string) []*element {
	var out []*element
	for _, c := range e.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// linkTitle is the title a link of the menu shows: its text, or that of the span that gives a
// title in another language its lang.
func linkTitle(a *element) string {
	if sp := a.childrenNamed("span"); len(sp) > 0 && sp[0].attrs["lang"] != "" {
		return sp[0].text
	}
	return strings.TrimSpace(a.text)
}

// menuPage is a page of the demo's tree, as the content says it should be.
type menuPage struct {
	item     *alliance.Item
	order    int
	children []*menuPage
}

func contentTree(t *testing.T, m *Main) []*menuPage {
	t.Helper()
	items, err := m.DB.All(context.Background(), alliance.KindPage)
	if err != nil {
		t.Fatal(err)
	}
	byParent := map[string][]*menuPage{}
	for _, it := range items {
		var p alliance.Page
		if err := json.Unmarshal(it.Shared, &p); err != nil {
			t.Fatal(err)
		}
		byParent[p.Parent] = append(byParent[p.Parent], &menuPage{item: it, order: p.Order})
	}
	for _, ps := range byParent {
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].order < ps[j].order })
		for _, p := range ps {
			p.children = byParent[p.item.Key]
		}
	}
	return byParent[""]
}

// The header menu is the page tree: the top-level pages (the sections) in order, each with its
// own pages in a list nested in its item, linked at their place in the URL tree.
func TestMenuShowsSectionsWithTheirPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		want := contentTree(t, m)
		if len(want) != 5 {
			t.Fatalf("the demo has %d top-level pages, want the 5 sections", len(want))
		}
		for _, lang := range []string{"en", "de", "el"} {
			r := get(t, m, "/"+lang+"/")
			checkPage(t, "/"+lang+"/", r, lang)
			start := strings.Index(r.body, `<nav class="menu"`)
			end := strings.Index(r.body[max(start, 0):], "</nav>")
			if start < 0 || end < 0 {
				t.Fatalf("/%s/: no menu", lang)
			}
			nav := parseFragment(t, r.body[start:start+end+len("</nav>")])
			tree := nav.find(func(e *element) bool { return e.name == "ul" && e.attrs["class"] == "menu-tree" })
			if tree == nil {
				t.Fatalf("/%s/: no menu tree", lang)
			}
			sections := tree.childrenNamed("li")
			if len(sections) != len(want) {
				t.Fatalf("/%s/: menu has %d top-level entries, want %d", lang, len(sections), len(want))
			}
			for i, li := range sections {
				wp := want[i]
				wt, _ := wp.item.Best(lang)
				a := li.childrenNamed("a")
				if len(a) != 1 || linkTitle(a[0]) != wt.Title {
					t.Errorf("/%s/: section %d is %v, want a link %q", lang, i+1, a, wt.Title)
					continue
				}
				href := a[0].attrs["href"]
				lists := li.childrenNamed("ul")
				if len(wp.children) == 0 {
					continue
				}
				if len(lists) != 1 {
					t.Errorf("/%s/: section %q has %d nested lists, want 1", lang, wt.Title, len(lists))
					continue
				}
				kids := lists[0].childrenNamed("li")
				if len(kids) != len(wp.children) {
					t.Errorf("/%s/: section %q has %d pages, want %d", lang, wt.Title, len(kids), len(wp.children))
					continue
				}
				for j, kid := range kids {
					ct, _ := wp.children[j].item.Best(lang)
					ka := kid.childrenNamed("a")
					if len(ka) != 1 || linkTitle(ka[0]) != ct.Title {
						t.Errorf("/%s/: page %d of %q is %v, want a link %q", lang, j+1, wt.Title, ka, ct.Title)
						continue
					}
					if kh := ka[0].attrs["href"]; kh != href+ct.Slug+"/" {
						t.Errorf("/%s/: %q links to %s, want %s", lang, ct.Title, kh, href+ct.Slug+"/")
					}
					// A title shown in another language says so, for screen readers' pronunciation
					// (the link's lang, and the marker: TestFallbackTextsAreMarked).
					if ct.Lang != lang {
						if sp := ka[0].childrenNamed("span"); len(sp) == 0 || sp[0].attrs["lang"] != ct.Lang {
							t.Errorf("/%s/: %q is in %s but not marked lang=%s", lang, ct.Title, ct.Lang, ct.Lang)
						}
					}
					if r := get(t, m, ka[0].attrs["href"]); r.status != 200 {
						t.Errorf("/%s/: menu link %s = %d", lang, ka[0].attrs["href"], r.status)
					}
				}
			}
		}
	})
}

// The menu marks where the visitor is: the page itself, and the section it is in.
func TestMenuMarksTheCurrentPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		want := contentTree(t, m)
		sec := want[0]
		if len(sec.children) == 0 {
			t.Fatal("the first section has no pages")
		}
		st, _ := sec.item.Best("en")
		ct, _ := sec.children[0].item.Best("en")
		path := "/en/" + st.Slug + "/" + ct.Slug + "/"
		r := get(t, m, path)
		checkPage(t, path, r, "en")
		if !strings.Contains(r.body, `href="/en/`+st.Slug+`/" aria-current="true">`) {
			t.Errorf("GET %s: section link not marked aria-current=true", path)
		}
		if !strings.Contains(r.body, `href="`+path+`" aria-current="page">`) {
			t.Errorf("GET %s: page link not marked aria-current=page", path)
		}
		if n := strings.Count(r.body, `aria-current="page"`); n != 2 { // the menu and the breadcrumb
			t.Errorf("GET %s: %d links marked as the current page, want 2", path, n)
		}
		// A listing is its own page; an item of it is in its section.
		r = get(t, m, "/en/news/")
		if !strings.Contains(r.body, `href="/en/news/" aria-current="page">`) {
			t.Error("news listing: its menu link is not marked aria-current=page")
		}
		story := firstItem(t, m, alliance.KindStory)
		r = get(t, m, itemPath(story, "en", "news"))
		if !strings.Contains(r.body, `href="/en/news/" aria-current="true">`) {
			t.Error("story: the news link is not marked aria-current=true")
		}
		// The accessibility statement and privacy notice are linked from every page's footer.
		footer := r.body[strings.Index(r.body, "<footer"):]
		for _, key := range []string{"accessibility", "privacy"} {
			it, err := m.DB.Item(context.Background(), alliance.KindPage, key)
			if err != nil {
				t.Fatal(err)
			}
			pt, _ := it.Best("en")
			if !strings.Contains(footer, ">"+htmlEscape(pt.Title)+"</a>") {
				t.Errorf("the footer does not link to %q", pt.Title)
			}
		}
	})
}
