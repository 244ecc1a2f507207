package web

import (
	"net/http"

	"github.com/alliance-platform/alliance"
)

// menuPage is the data of a free page.
type menuPage struct {
	Summary  string
	Body     string // sanitized HTML
	Children []card
}

// page serves a free page of the menu tree: /{lang}/{slug}/{child slug}/…
func (s *Server) page(w http.ResponseWriter, r *http.Request, rc *request, segs []string) {
	if err := s.loadPages(r, rc); err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	parent := ""
	var cur *alliance.Item
	foreign := false
	var crumbs []link
	for _, seg := range segs {
		var found *alliance.Item
		for _, c := range rc.children(parent) {
			if t, _ := c.Best(rc.Lang); t.Slug == seg {
				found = c
				break
			}
		}
		if found == nil {
			// A slug of another language: the visitor switched language on a page.
			for _, c := range rc.children(parent) {
				for _, t := range c.Texts {
					if t.Slug == seg {
						found, foreign = c, true
					}
				}
			}
		}
		if found == nil {
			s.notFound(w, r, rc.Lang)
			return
		}
		if cur != nil {
			t, _ := cur.Best(rc.Lang)
			crumbs = append(crumbs, link{Title: t.Title, Href: rc.pageURLIn(rc.Lang, cur.Key), Lang: langIfOther(t.Lang, rc.Lang)})
		}
		cur, parent = found, found.Key
	}
	if foreign {
		redirect(w, rc.pageURLIn(rc.Lang, cur.Key), "", http.StatusMovedPermanently)
		return
	}
	it, err := s.db.DetailByKey(r.Context(), alliance.KindPage, rc.Lang, cur.Key)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	t, _ := textOf[alliance.NoText](&it.Card)
	p := &menuPage{Summary: t.Summary, Body: it.HTML}
	for _, c := range rc.children(it.Key) {
		ct, _ := c.Best(rc.Lang)
		p.Children = append(p.Children, card{URL: rc.pageURLIn(rc.Lang, c.Key), Title: ct.Title, Summary: ct.Summary, Lang: langIfOther(ct.Lang, rc.Lang)})
	}
	v := s.newView(r, rc, t.Title, func(lang string) translation {
		_, translated := it.SlugIn(lang)
		return translation{URL: rc.pageURLIn(lang, it.Key), Exists: translated}
	})
	v.setContent(t.Lang)
	v.Description = t.Summary
	v.Crumbs = append([]link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}}, crumbs...)
	s.render(w, r, http.StatusOK, v, menuPageContent(v, p))
}
