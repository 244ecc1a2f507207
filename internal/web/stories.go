package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// storyPage is the data of a story's page.
type storyPage struct {
	Date, DateISO string
	Category      string
	CategoryURL   string
	Image         *figure
	Summary       string
	Body          template.HTML
	Authors       []string
	Tags          []string
	Older, Newer  *card
	Related       []card
}

type figure struct {
	Src, Alt, Caption, Credit string
	Width, Height             int
}

// storyCard makes the card of a story in the visitor's language.
func (s *Server) storyCard(rc *request, it *alliance.Item, categories map[string]string) card {
	t, _ := it.Best(rc.Lang)
	st := decode[alliance.Story](it.Shared)
	c := card{URL: rc.itemURL("news", it), Title: t.Title, Summary: t.Summary, Lang: langIfOther(t.Lang, rc.Lang),
		Date: rc.L.Date(it.Starts), DateISO: isoDate(it.Starts)}
	if st.Image != "" {
		c.Image, c.ImageAlt = "/media/"+st.Image, textFields[alliance.StoryText](t).Alt
	}
	if cat := categories[st.Category]; cat != "" {
		c.Meta = []string{cat}
	}
	return c
}

// storyList serves /{lang}/news/: stories, newest first, filtered by category.
func (s *Server) storyList(w http.ResponseWriter, r *http.Request, rc *request) {
	q := r.URL.Query()
	page, ok := pageNumber(q)
	if !ok {
		s.badRequest(w, r, rc.Lang)
		return
	}
	opts, labels, err := s.termOptions(r, rc, alliance.KindCategory)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	f, category, err := selectFilter(q, "category", rc.L.T("filter.category"), rc.L.T("filter.any"), opts)
	if err != nil {
		s.badRequest(w, r, rc.Lang)
		return
	}
	query := store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: pageSize, Offset: (page - 1) * pageSize, NoBody: true, Lang: rc.Lang}
	if category != "" {
		query.Facets = []alliance.Facet{{Name: "category", Value: category}}
	}
	s.renderListing(w, r, rc, "news", query, page, []filter{f}, func(it *alliance.Item) card { return s.storyCard(rc, it, labels) }, nil)
}

// renderListing runs a listing query and renders the listing page.
func (s *Server) renderListing(w http.ResponseWriter, r *http.Request, rc *request, section string, query store.Query, page int, filters []filter, toCard func(*alliance.Item) card, extra any) {
	total, err := s.db.Count(r.Context(), query)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	if page > 1 && (page-1)*pageSize >= total {
		s.notFound(w, r, rc.Lang)
		return
	}
	items, err := s.db.List(r.Context(), query)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	base := rc.sectionURL(rc.Lang, section)
	l := &listing{Intro: rc.L.T("section." + section + "_intro"), Filters: filters, ResetURL: base, Extra: extra}
	for _, f := range filters {
		for _, o := range f.Options {
			if o.Selected && o.Value != "" {
				l.Filtered = true
			}
		}
		l.Filtered = l.Filtered || f.Checked
	}
	l.Count = rc.L.N("results.count", total)
	for _, it := range items {
		c := toCard(it)
		c.H2 = true // the cards sit right under the h1
		l.Cards = append(l.Cards, c)
	}
	l.Pager = paginate(rc, base, filters, page, total)
	v := s.newView(r, rc, rc.L.T("section."+section), sameEverywhere(section, rc))
	v.Section = section
	v.Description = l.Intro
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}}
	v.Main = l
	s.render(w, r, http.StatusOK, "listing", v)
}

// storyPage serves /{lang}/news/{slug}/.
func (s *Server) storyPage(w http.ResponseWriter, r *http.Request, rc *request, it *alliance.Item) {
	ctx := r.Context()
	t, _ := it.Best(rc.Lang)
	st := decode[alliance.Story](it.Shared)
	tf := textFields[alliance.StoryText](t)
	_, categories, err := s.termOptions(r, rc, alliance.KindCategory)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	p := &storyPage{Date: rc.L.Date(it.Starts), DateISO: isoDate(it.Starts), Category: categories[st.Category],
		CategoryURL: rc.sectionURL(rc.Lang, "news") + "?category=" + st.Category,
		Summary:     t.Summary, Body: template.HTML(t.HTML), Tags: tf.Tags}
	if st.Image != "" {
		p.Image = &figure{Src: "/media/" + st.Image, Alt: tf.Alt, Caption: tf.Caption, Credit: st.Credit}
		// The image's own size, recorded when it was saved, lets the browser reserve its box;
		// it is read with the story's row (Item.Image).
		p.Image.Width, p.Image.Height = it.ImageWidth, it.ImageHeight
	}
	// Everything the page shows beside the story, in one query: its authors, the stories before
	// and after it, its related stories, and the newest of its category to make up three (the
	// import checks that related stories exist, so only that many are read).
	const nRelated = 3
	others := 0 // related stories other than this one
	for _, k := range st.Related {
		if k != it.Key {
			others++
		}
	}
	more := store.Keys(alliance.KindStory) // none
	if n := nRelated - others; n > 0 {
		more = store.Select(store.Query{Kind: alliance.KindStory, Facets: []alliance.Facet{{Name: "category", Value: st.Category}},
			Exclude: []int64{it.ID}, Order: store.Newest, Limit: n}, st.Related...)
	}
	parts, err := s.db.Batch(ctx, rc.Lang,
		store.Keys(alliance.KindPerson, st.Authors...),
		store.Older(it), store.Newer(it),
		store.Keys(alliance.KindStory, st.Related...),
		more)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	people, explicit := byKey(parts[0]), byKey(parts[3])
	for _, k := range st.Authors {
		if pp := people[k]; pp != nil {
			p.Authors = append(p.Authors, decode[alliance.Person](pp.Shared).Name)
		}
	}
	if len(parts[1]) > 0 {
		c := s.storyCard(rc, parts[1][0], categories)
		p.Older = &c
	}
	if len(parts[2]) > 0 {
		c := s.storyCard(rc, parts[2][0], categories)
		p.Newer = &c
	}
	var related []*alliance.Item
	for _, k := range st.Related {
		if rel := explicit[k]; rel != nil && rel.ID != it.ID {
			related = append(related, rel)
		}
	}
	for _, more := range parts[4] {
		if len(related) >= nRelated {
			break
		}
		related = append(related, more)
	}
	for _, rel := range related {
		p.Related = append(p.Related, s.storyCard(rc, rel, categories))
	}
	v := s.newView(r, rc, t.Title, itemEverywhere("news", rc, it))
	v.setContent(it, t)
	v.Section = "news"
	v.Description = t.Summary
	v.OGType = "article"
	if p.Image != nil {
		v.OGImage = rc.Base + p.Image.Src
	}
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}, {Title: rc.L.T("section.news"), Href: rc.sectionURL(rc.Lang, "news")}}
	v.Main = p
	s.renderWith(w, r, http.StatusOK, v, func(b *bytes.Buffer) error {
		writeStory(markup{b, v.L}, v, p)
		return nil
	})
}

// writeStory writes a story page's content. It is the most read page of a site, so it is
// written in Go like the layout (see frame.go) rather than through a template.
func writeStory(m markup, v *view, p *storyPage) {
	// Links and dates in the page's language inside content in another one.
	uiLang := ""
	if v.ContentLang != "" {
		uiLang = v.Lang
	}
	m.raw("\n<article class=\"story\"").lang(v.ContentLang).raw(">\n<header class=\"item-head\">\n<p class=\"meta\">").
		raw(`<a class="tag" href="`).text(p.CategoryURL).raw(`"`).lang(uiLang).raw(">").text(p.Category).raw("</a> ").
		raw(`<time datetime="`).text(p.DateISO).raw(`"`).lang(uiLang).raw(">").text(p.Date).raw("</time></p>\n<h1>").text(v.Title).raw("</h1>")
	if p.Summary != "" {
		m.raw("\n<p class=\"lead\">").text(p.Summary).raw("</p>")
	}
	if len(p.Authors) > 0 {
		m.raw("\n<p class=\"byline\"><span").lang(uiLang).raw(">").text(v.L.T("story.by")).raw("</span> ")
		for i, a := range p.Authors {
			if i > 0 {
				m.raw(", ")
			}
			m.text(a)
		}
		m.raw("</p>")
	}
	m.raw("\n</header>")
	if f := p.Image; f != nil {
		m.raw("\n<figure class=\"lead-image\">\n<img src=\"").text(f.Src).raw(`" alt="`).text(f.Alt).raw(`"`)
		if f.Width > 0 && f.Height > 0 { // else unknown: no size is better than a wrong one
			m.raw(` width="`).raw(strconv.Itoa(f.Width)).raw(`" height="`).raw(strconv.Itoa(f.Height)).raw(`"`)
		}
		m.raw(` fetchpriority="high">`)
		if f.Caption != "" || f.Credit != "" {
			m.raw("\n<figcaption>").text(f.Caption)
			if f.Credit != "" {
				// As the editor wrote it: a "©" only when they mean one (a CC licence is no copyright notice).
				m.raw(` <span class="credit">`).text(f.Credit).raw("</span>")
			}
			m.raw("</figcaption>")
		}
		m.raw("\n</figure>")
	}
	m.raw("\n<div class=\"prose\">").raw(string(p.Body)).raw("</div>")
	if len(p.Tags) > 0 {
		m.raw("\n<p class=\"tags\"><span class=\"visually-hidden\"").lang(uiLang).raw(">").text(v.L.T("story.tags")).raw(":</span> ")
		for _, t := range p.Tags {
			m.raw(`<span class="tag">`).text(t).raw("</span> ")
		}
		m.raw("</p>")
	}
	m.raw("\n</article>")
	if p.Older != nil || p.Newer != nil {
		prev, next := v.L.T("story.prev"), v.L.T("story.next")
		m.raw("\n<nav class=\"prevnext\" aria-label=\"").text(prev).raw(" / ").text(next).raw("\">")
		neighbour := func(c *card, class, rel, label string) {
			m.raw("\n<a class=\""+class+"\" href=\"").text(c.URL).raw("\" rel=\""+rel+"\"><span class=\"dir\">").text(label).
				raw("</span> <span class=\"t\">").foreign(c.Lang, c.Title).raw("</span></a>")
		}
		if p.Older != nil {
			neighbour(p.Older, "prev", "prev", prev)
		}
		if p.Newer != nil {
			neighbour(p.Newer, "next", "next", next)
		}
		m.raw("\n</nav>")
	}
	if len(p.Related) > 0 {
		m.raw("\n<section class=\"related\" aria-labelledby=\"related-h\">\n<h2 id=\"related-h\">").text(v.L.T("story.related")).
			raw("</h2>\n\n<div class=\"cards\">")
		for i := range p.Related {
			writeCard(m, &p.Related[i])
		}
		m.raw("</div>\n\n</section>")
	}
	m.raw("\n")
}

// byKey indexes items by their key.
func byKey(items []*alliance.Item) map[string]*alliance.Item {
	m := make(map[string]*alliance.Item, len(items))
	for _, it := range items {
		m[it.Key] = it
	}
	return m
}
