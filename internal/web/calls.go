package web

import (
	"net/http"
	"sort"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// callPage is the data of a call's page.
type callPage struct {
	Summary   string
	Window    itemWindow
	Audiences []string
	Documents []itemFile
	ApplyURL  string // only while the call is open
	Body      string // sanitized HTML
}

// callStatuses are the values of the status filter, in the order a visitor cares about them.
var callStatuses = []string{alliance.StatusOpen, alliance.StatusUpcoming, alliance.StatusClosed}

// callList serves /{lang}/calls/: open calls first (closing soonest first), then upcoming ones
// (opening soonest first), then closed ones (most recent first); filtered by status.
//
// The status depends on two instants, which store.Query cannot express for upcoming and closed
// calls; calls are few, so they are filtered, sorted and paged here.
func (s *Server) callList(w http.ResponseWriter, r *http.Request, rc *request) {
	q := r.URL.Query()
	page, ok := pageNumber(q)
	if !ok {
		s.badRequest(w, r, rc.Lang)
		return
	}
	opts := make([]option, len(callStatuses))
	for i, st := range callStatuses {
		opts[i] = option{Value: st, Label: rc.L.T("call.status." + st)}
	}
	f, status, err := selectFilter(q, "status", rc.L.T("filter.status"), rc.L.T("filter.any"), opts)
	if err != nil {
		s.badRequest(w, r, rc.Lang)
		return
	}
	all, err := s.db.Cards(r.Context(), rc.Lang, store.Query{Kind: alliance.KindCall, Order: store.Soonest})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	now := s.now()
	rank := map[string]int{alliance.StatusOpen: 0, alliance.StatusUpcoming: 1, alliance.StatusClosed: 2}
	type entry struct {
		it     *store.Card
		status string
	}
	var kept []entry
	for i := range all {
		it := &all[i]
		st := alliance.WindowStatus(it.Opens, it.Closes, now)
		if status == "" || st == status {
			kept = append(kept, entry{it, st})
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.status != b.status {
			return rank[a.status] < rank[b.status]
		}
		switch a.status {
		case alliance.StatusOpen:
			return a.it.Closes.Before(b.it.Closes)
		case alliance.StatusUpcoming:
			return a.it.Opens.Before(b.it.Opens)
		default:
			return a.it.Closes.After(b.it.Closes)
		}
	})
	total := len(kept)
	from := (page - 1) * pageSize
	if page > 1 && from >= total {
		s.notFound(w, r, rc.Lang)
		return
	}
	kept = kept[from:min(total, from+pageSize)]

	base := rc.sectionURL(rc.Lang, "calls")
	l := &listing{Intro: rc.L.T("section.calls_intro"), Filters: []filter{f}, Filtered: status != "", ResetURL: base,
		Count: rc.L.N("results.count", total), Pager: paginate(rc, base, []filter{f}, page, total)}
	for _, e := range kept {
		c := s.callCard(rc, e.it)
		c.H2 = true // the cards sit right under the h1
		l.Cards = append(l.Cards, c)
	}
	v := s.newView(r, rc, rc.L.T("section.calls"), sameEverywhere("calls", rc))
	v.Feeds = append(feedLinks(rc, "calls"), calendarLink(rc))
	v.Section = "calls"
	v.Description = l.Intro
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}}
	v.listing = l
	s.render(w, r, http.StatusOK, v, listingContent(v, l))
}

// callCard makes the card of a call: its status and the dates it is open.
func (s *Server) callCard(rc *request, it *store.Card) card {
	t, _ := textOf[alliance.NoText](it)
	cl := dataOf[alliance.Call](it)
	loc := cl.Location()
	opens, deadline := cl.Opens.In(loc), cl.Deadline.In(loc)
	status := alliance.WindowStatus(opens, deadline, s.now())
	c := card{URL: rc.itemURL("calls", it), Title: t.Title, Summary: t.Summary, Lang: langIfOther(t.Lang, rc.Lang),
		Date: rc.L.DateRange(opens, deadline), DateISO: isoDate(opens),
		Badge: rc.L.T("call.status." + status), BadgeClass: status}
	// Audience titles are at hand when the frame loaded them (on the calls' own pages).
	c.Meta = rc.termTitles(alliance.KindAudience, cl.Audiences)
	return c
}

// callPage serves /{lang}/calls/{slug}/.
func (s *Server) callPage(w http.ResponseWriter, r *http.Request, rc *request, it *store.Detail) {
	t, _ := textOf[alliance.NoText](&it.Card)
	cl := dataOf[alliance.Call](&it.Card)
	loc := cl.Location()
	opens, deadline := cl.Opens.In(loc), cl.Deadline.In(loc)
	status := alliance.WindowStatus(opens, deadline, s.now())
	p := &callPage{Summary: t.Summary, Body: it.HTML,
		Window: itemWindow{Opens: rc.moment(opens), Deadline: rc.moment(deadline), Status: status, Badge: rc.L.T("call.status." + status)}}
	if status == alliance.StatusOpen {
		p.ApplyURL = cl.ApplyURL
	}
	if len(cl.Audiences) > 0 {
		_, audiences, err := s.termOptions(r, rc, alliance.KindAudience)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		for _, k := range cl.Audiences {
			if a := audiences[k]; a != "" {
				p.Audiences = append(p.Audiences, a)
			}
		}
	}
	docs, err := s.itemFiles(r.Context(), rc, cl.Documents, t.Title)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	p.Documents = docs
	v := s.newView(r, rc, t.Title, itemEverywhere("calls", it))
	v.setContent(t.Lang)
	v.Section = "calls"
	v.Description = t.Summary
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}, {Title: rc.L.T("section.calls"), Href: rc.sectionURL(rc.Lang, "calls")}}
	s.render(w, r, http.StatusOK, v, callContent(v, p))
}
