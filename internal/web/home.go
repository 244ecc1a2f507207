package web

import (
	"net/http"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// homePage is the data of the home page.
type homePage struct {
	Tagline  string
	Stories  []card
	Events   []card
	Learning []card
	Calls    []card
	Members  []card
}

// home serves /{lang}/.
func (s *Server) home(w http.ResponseWriter, r *http.Request, rc *request) {
	ctx := r.Context()
	now := s.now()
	p := &homePage{Tagline: rc.Site.Tagline[rc.Lang]}
	_, categories, err := s.termOptions(r, rc, alliance.KindCategory)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	lists := []struct {
		q    store.Query
		dst  *[]card
		card func(*alliance.Item) card
	}{
		{store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 6, NoBody: true, Lang: rc.Lang}, &p.Stories, func(it *alliance.Item) card { return s.storyCard(rc, it, categories) }},
		{store.Query{Kind: alliance.KindEvent, EndsAfter: now, Order: store.Soonest, Limit: 3, NoBody: true, Lang: rc.Lang}, &p.Events, func(it *alliance.Item) card { return s.eventCard(rc, it) }},
		{store.Query{Kind: alliance.KindLearning, OpenAt: now, Order: store.Soonest, Limit: 4, NoBody: true, Lang: rc.Lang}, &p.Learning, func(it *alliance.Item) card { return s.learningCard(rc, it) }},
		{store.Query{Kind: alliance.KindCall, OpenAt: now, Order: store.Soonest, Limit: 3, NoBody: true, Lang: rc.Lang}, &p.Calls, func(it *alliance.Item) card { return s.callCard(rc, it) }},
	}
	for _, l := range lists {
		items, err := s.db.List(ctx, l.q)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		for _, it := range items {
			*l.dst = append(*l.dst, l.card(it))
		}
	}
	v := s.newView(r, rc, rc.Site.Name, func(lang string) translation { return translation{URL: "/" + lang + "/", Exists: true} })
	v.Description = p.Tagline
	s.render(w, r, http.StatusOK, v, homeContent(v, p))
}
