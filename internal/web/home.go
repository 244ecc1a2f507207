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
		card func(*store.Card) card
	}{
		{store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 6}, &p.Stories, func(it *store.Card) card { return s.storyCard(rc, it, categories) }},
		{store.Query{Kind: alliance.KindEvent, EndsAfter: now, Order: store.Soonest, Limit: 3}, &p.Events, func(it *store.Card) card { return s.eventCard(rc, it) }},
		{store.Query{Kind: alliance.KindLearning, OpenAt: now, Order: store.Soonest, Limit: 4}, &p.Learning, func(it *store.Card) card { return s.learningCard(rc, it) }},
		{store.Query{Kind: alliance.KindCall, OpenAt: now, Order: store.Soonest, Limit: 3}, &p.Calls, func(it *store.Card) card { return s.callCard(rc, it) }},
	}
	for _, l := range lists {
		items, err := s.db.Cards(ctx, rc.Lang, l.q)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		for i := range items {
			*l.dst = append(*l.dst, l.card(&items[i]))
		}
	}
	v := s.newView(r, rc, rc.Site.Name, func(lang string) translation { return translation{URL: "/" + lang + "/", Exists: true} })
	v.Description = p.Tagline
	v.Feeds = append(feedLinks(rc, "news", "events", "learn", "calls"), calendarLink(rc))
	s.render(w, r, http.StatusOK, v, homeContent(v, p))
}
