package web

import (
	"net/http"
	"time"

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
	Body          string // sanitized HTML
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
func (s *Server) storyCard(rc *request, it *store.Card, categories map[string]string) card {
	t, tf := textOf[alliance.StoryText](it)
	st := dataOf[alliance.Story](it)
	c := card{URL: rc.itemURL("news", it), Title: t.Title, Summary: t.Summary, Lang: langIfOther(t.Lang, rc.Lang),
		Date: rc.L.Date(it.Starts), DateISO: isoDate(it.Starts)}
	if st.Image != "" {
		c.Image, c.ImageAlt = mediaPath(st.Image), tf.Alt
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
	s.renderListing(w, r, rc, "news", query, page, []filter{f}, func(it *store.Card) card { return s.storyCard(rc, it, labels) }, nil)
}

// renderListing runs a listing query and renders the listing page.
func (s *Server) renderListing(w http.ResponseWriter, r *http.Request, rc *request, section string, query store.Query, page int, filters []filter, toCard func(*store.Card) card, extra any) {
	total, err := s.db.Count(r.Context(), query)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	if page > 1 && (page-1)*pageSize >= total {
		s.notFound(w, r, rc.Lang)
		return
	}
	items, err := s.db.Cards(r.Context(), rc.Lang, query)
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
	for i := range items {
		c := toCard(&items[i])
		c.H2 = true // the cards sit right under the h1
		l.Cards = append(l.Cards, c)
	}
	l.Pager = paginate(rc, base, filters, page, total)
	v := s.newView(r, rc, rc.L.T("section."+section), sameEverywhere(section, rc))
	v.Section = section
	v.Description = l.Intro
	v.Feeds = feedLinks(rc, section)
	if section == "events" {
		v.Feeds = append(v.Feeds, calendarLink(rc))
	}
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}}
	v.listing = l
	s.render(w, r, http.StatusOK, v, listingContent(v, l))
}

// storyPage serves /{lang}/news/{slug}/.
func (s *Server) storyPage(w http.ResponseWriter, r *http.Request, rc *request, it *store.Detail) {
	ctx := r.Context()
	t, tf := textOf[alliance.StoryText](&it.Card)
	st := dataOf[alliance.Story](&it.Card)
	_, categories, err := s.termOptions(r, rc, alliance.KindCategory)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	p := &storyPage{Date: rc.L.Date(it.Starts), DateISO: isoDate(it.Starts), Category: categories[st.Category],
		CategoryURL: rc.sectionURL(rc.Lang, "news") + "?category=" + st.Category,
		Summary:     t.Summary, Body: it.HTML, Tags: tf.Tags}
	if st.Image != "" {
		p.Image = &figure{Src: mediaPath(st.Image), Alt: tf.Alt, Caption: tf.Caption, Credit: st.Credit}
		// The image's own size, recorded when it was saved, lets the browser reserve its box;
		// it is read with the story's row.
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
	parts, err := s.db.CardParts(ctx, rc.Lang,
		store.Keys(alliance.KindPerson, st.Authors...),
		store.Older(&it.Card), store.Newer(&it.Card),
		store.Keys(alliance.KindStory, st.Related...),
		more)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	people, explicit := byKey(parts[0]), byKey(parts[3])
	ld := rc.ld()
	var authors []ldPerson
	for _, k := range st.Authors {
		if pp := people[k]; pp != nil {
			ps := dataOf[alliance.Person](pp)
			p.Authors = append(p.Authors, ps.Name)
			_, ptf := textOf[alliance.PersonText](pp)
			authors = append(authors, personLD(ld, ps, ptf.Role, ptf.Affiliation))
		}
	}
	if len(parts[1]) > 0 {
		c := s.storyCard(rc, &parts[1][0], categories)
		p.Older = &c
	}
	if len(parts[2]) > 0 {
		c := s.storyCard(rc, &parts[2][0], categories)
		p.Newer = &c
	}
	var related []*store.Card
	for _, k := range st.Related {
		if rel := explicit[k]; rel != nil && rel.ID != it.ID {
			related = append(related, rel)
		}
	}
	for i := range parts[4] {
		if len(related) >= nRelated {
			break
		}
		related = append(related, &parts[4][i])
	}
	for _, rel := range related {
		p.Related = append(p.Related, s.storyCard(rc, rel, categories))
	}
	v := s.newView(r, rc, t.Title, itemEverywhere("news", it))
	v.setContent(t.Lang)
	v.Section = "news"
	v.Description = t.Summary
	v.OGType = "article"
	if p.Image != nil {
		v.Social = rc.mediaImage(st.Image, p.Image.Alt, p.Image.Width, p.Image.Height)
	}
	published := it.Starts
	v.Published = published.Format(time.RFC3339)
	a := articleLD(ld, articleIn{URL: v.Canonical, Headline: t.Title, Description: t.Summary, Lang: t.Lang,
		Published: published, Modified: it.Updated, Authors: authors, Section: p.Category, Keywords: tf.Tags})
	a.Image = []ldImage{*v.Social.ld()}
	v.Modified = a.DateModified
	v.LD = a
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}, {Title: rc.L.T("section.news"), Href: rc.sectionURL(rc.Lang, "news")}}
	s.render(w, r, http.StatusOK, v, storyContent(v, p))
}

// byKey indexes cards by their key.
func byKey(cards []store.Card) map[string]*store.Card {
	m := make(map[string]*store.Card, len(cards))
	for i := range cards {
		m[cards[i].Key] = &cards[i]
	}
	return m
}
