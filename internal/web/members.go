package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// memberPage is the data of a member university's page.
type memberPage struct {
	Summary     string
	Logo        string
	ShortName   string
	City        string // in the content's language
	Country     string
	Website     string
	WebsiteHost string
	Membership  string // full or associate member
	Associate   bool
	Body        string // sanitized HTML
	Learning    []card
	LearningURL string // the catalogue filtered by the member, when it has more than shown
	Events      []card
}

// memberListLimit is how many learning opportunities and events a member's page lists.
const memberListLimit = 6

// memberList serves /{lang}/members/: the member universities in their order, by country.
func (s *Server) memberList(w http.ResponseWriter, r *http.Request, rc *request) {
	q := r.URL.Query()
	page, ok := pageNumber(q)
	if !ok {
		s.badRequest(w, r, rc.Lang)
		return
	}
	codes, err := s.db.FacetValues(r.Context(), alliance.KindMember, "country")
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	countries := make([]option, len(codes))
	for i, c := range codes {
		countries[i] = option{Value: c, Label: rc.L.CountryName(c)}
	}
	sort.SliceStable(countries, func(i, j int) bool { return countries[i].Label < countries[j].Label })
	f, country, err := selectFilter(q, "country", rc.L.T("member.country"), rc.L.T("filter.any"), countries)
	if err != nil {
		s.badRequest(w, r, rc.Lang)
		return
	}
	query := store.Query{Kind: alliance.KindMember, Order: store.ByPosition, Limit: pageSize, Offset: (page - 1) * pageSize, NoBody: true, Lang: rc.Lang}
	if country != "" {
		query.Facets = []alliance.Facet{{Name: "country", Value: country}}
	}
	s.renderListing(w, r, rc, "members", query, page, []filter{f}, func(it *store.Card) card { return s.memberCard(rc, it) }, nil)
}

// memberCard makes the card of a member university: logo, city and country, associate badge.
func (s *Server) memberCard(rc *request, it *store.Card) card {
	t, tf := textOf[alliance.MemberText](it)
	m := dataOf[alliance.Member](it)
	c := card{URL: rc.itemURL("members", it), Title: t.Title, Summary: t.Summary, Lang: langIfOther(t.Lang, rc.Lang)}
	if m.Logo != "" {
		// The logo repeats the name in the heading next to it: decorative.
		c.Image = mediaPath(m.Logo)
	}
	if tf.City != "" {
		c.Meta = append(c.Meta, tf.City)
	}
	if m.Country != "" {
		c.Meta = append(c.Meta, rc.L.CountryName(m.Country))
	}
	if m.Associate {
		c.Badge, c.BadgeClass = rc.L.T("member.associate"), "associate"
	}
	return c
}

// memberPage serves /{lang}/members/{slug}/.
func (s *Server) memberPage(w http.ResponseWriter, r *http.Request, rc *request, it *store.Detail) {
	ctx := r.Context()
	t, tf := textOf[alliance.MemberText](&it.Card)
	m := dataOf[alliance.Member](&it.Card)
	p := &memberPage{Summary: t.Summary, ShortName: m.ShortName, City: tf.City, Website: m.Website,
		Associate: m.Associate, Body: it.HTML}
	if m.Logo != "" {
		p.Logo = mediaPath(m.Logo)
	}
	if m.Country != "" {
		p.Country = rc.L.CountryName(m.Country)
	}
	if m.Website != "" {
		if u, err := url.Parse(m.Website); err == nil {
			p.WebsiteHost = strings.TrimPrefix(u.Host, "www.")
		}
	}
	if m.Associate {
		p.Membership = rc.L.T("member.associate")
	} else {
		p.Membership = rc.L.T("member.full")
	}
	byMember := []alliance.Facet{{Name: "member", Value: it.Key}}
	learning, err := s.db.Cards(ctx, rc.Lang, store.Query{Kind: alliance.KindLearning, Facets: byMember, Order: store.Soonest,
		Limit: memberListLimit + 1})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	if len(learning) > memberListLimit {
		learning = learning[:memberListLimit]
		p.LearningURL = rc.sectionURL(rc.Lang, "learn") + "?member=" + url.QueryEscape(it.Key)
	}
	for i := range learning {
		p.Learning = append(p.Learning, s.learningCard(rc, &learning[i]))
	}
	events, err := s.db.Cards(ctx, rc.Lang, store.Query{Kind: alliance.KindEvent, Facets: byMember, Order: store.Newest,
		Limit: memberListLimit})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	for i := range events {
		p.Events = append(p.Events, s.eventCard(rc, &events[i]))
	}
	v := s.newView(r, rc, t.Title, itemEverywhere("members", it))
	v.setContent(t.Lang)
	v.Section = "members"
	v.Description = t.Summary
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}, {Title: rc.L.T("section.members"), Href: rc.sectionURL(rc.Lang, "members")}}
	v.LD = memberLD(rc.ld(), memberIn{URL: v.Canonical, Name: t.Title, Description: t.Summary, Lang: t.Lang, Member: m, City: tf.City})
	s.render(w, r, http.StatusOK, v, memberContent(v, p))
}
