package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// eventPage is the data of an event's page.
type eventPage struct {
	Summary     string
	Image       *figure // the lead image, as a story's
	Edition     string  // "Edition 2026"
	Theme       string  // the edition's theme, in the content's language
	Dates       string
	StartISO    string
	Venue       string
	Address     string
	Host        *memberRef
	Attendance  string
	Audiences   []string
	Challenge   string
	RegisterURL string // only while the event has not ended
	CalendarURL string // the event's .ics, its sessions included
	Body        string // sanitized HTML
	TimesNote   string
	Days        []agendaDay
}

// agendaDay is one day of an event's programme, in the venue's time zone.
type agendaDay struct {
	ID, Heading, ISO string
	Sessions         []agendaSession
}

// agendaSession is a session on an event's page.
type agendaSession struct {
	ID, Title      string
	Lang           string // lang of the session's text when not the page's
	Time           string
	Zone           string
	StartISO       string
	Type, Room     string
	Body           string // sanitized HTML
	Speakers       []itemPerson
	Moderators     []itemPerson
	Participants   []itemPerson
	Livestream     string
	LivestreamSoon bool
	Recording      bool   // the event is over: the livestream's link is its recording
	CalendarURL    string // the session's own .ics
}

// itemPerson is a person named on a page: an author, speaker, moderator or contact.
type itemPerson struct {
	Name        string
	Role        string // position, e.g. "Vice-Rector for International Relations"
	RoleLang    string // lang attribute of Role, when it differs from its container's
	Affiliation string // the member university, or the free-text affiliation
	AffLang     string
	Online      bool   // a speaker taking part remotely
	Part        string // the moderator's part: "Chair", "Rapporteur" …

	roleLang, affLang string // the languages Role and Affiliation are in
}

// in sets the lang attributes of p for showing it inside an element in lang container.
func (p itemPerson) in(container string) itemPerson {
	p.RoleLang, p.AffLang = "", ""
	if p.Role != "" {
		p.RoleLang = langIfOther(p.roleLang, container)
	}
	if p.Affiliation != "" {
		p.AffLang = langIfOther(p.affLang, container)
	}
	return p
}

// memberRef is a link to a member university's page.
type memberRef struct {
	Title, Href, Lang string
}

// member returns the link to the member with key, from the members loaded with the frame.
func (rc *request) member(key string) *memberRef {
	if key == "" {
		return nil
	}
	for _, m := range rc.members {
		if m.Key == key {
			t, _ := m.Best(rc.Lang)
			if t == nil {
				return nil
			}
			return &memberRef{Title: t.Title, Href: rc.entryURL("members", m), Lang: langIfOther(t.Lang, rc.Lang)}
		}
	}
	return nil
}

// personOf describes the person with key among people (read with CardsByKey), for a page in
// the visitor's language: the affiliation is the member's title when the person belongs to a
// member university, else the person's own affiliation text.
func (rc *request) personOf(people map[string]*store.Card, key string) *itemPerson {
	it := people[key]
	if it == nil {
		return nil
	}
	ps := dataOf[alliance.Person](it)
	p := &itemPerson{Name: ps.Name}
	t, tf := textOf[alliance.PersonText](it)
	if it.Text != nil {
		p.Role, p.roleLang = tf.Role, t.Lang
	}
	if m := rc.member(ps.Member); m != nil {
		p.Affiliation, p.affLang = m.Title, rc.Lang
		if m.Lang != "" {
			p.affLang = m.Lang
		}
	} else if it.Text != nil {
		p.Affiliation, p.affLang = tf.Affiliation, t.Lang
	}
	in := p.in(rc.Lang)
	return &in
}

// eventList serves /{lang}/events/: upcoming events, soonest first, or past ones, newest first.
func (s *Server) eventList(w http.ResponseWriter, r *http.Request, rc *request) {
	q := r.URL.Query()
	page, ok := pageNumber(q)
	if !ok {
		s.badRequest(w, r, rc.Lang)
		return
	}
	// The empty value, the default, means upcoming events.
	f, when, err := selectFilter(q, "when", rc.L.T("filter.when"), rc.L.T("filter.upcoming"),
		[]option{{Value: "past", Label: rc.L.T("filter.past")}})
	if err != nil {
		s.badRequest(w, r, rc.Lang)
		return
	}
	query := store.Query{Kind: alliance.KindEvent, Limit: pageSize, Offset: (page - 1) * pageSize, NoBody: true, Lang: rc.Lang}
	now := s.now()
	if when == "past" {
		query.EndsBefore, query.Order = now, store.Newest
	} else {
		query.EndsAfter, query.Order = now, store.Soonest
	}
	s.renderListing(w, r, rc, "events", query, page, []filter{f}, func(it *store.Card) card { return s.eventCard(rc, it) }, nil)
}

// eventCard makes the card of an event: its dates in the venue's zone and its format.
func (s *Server) eventCard(rc *request, it *store.Card) card {
	t, tf := textOf[alliance.EventText](it)
	ev := dataOf[alliance.Event](it)
	loc := ev.Location()
	start, end := ev.Start.In(loc), ev.End.In(loc)
	c := card{URL: rc.itemURL("events", it), Title: t.Title, Summary: t.Summary, Lang: langIfOther(t.Lang, rc.Lang),
		Date: rc.L.DateRange(start, end), DateISO: isoDate(start)}
	if ev.Image != "" {
		c.Image, c.ImageAlt = mediaPath(ev.Image), tf.Alt
	}
	if ev.Attendance != "" {
		c.Meta = append(c.Meta, rc.L.T("event.attendance."+ev.Attendance))
	}
	return c
}

// eventPage serves /{lang}/events/{slug}/: the event and its programme, day by day.
func (s *Server) eventPage(w http.ResponseWriter, r *http.Request, rc *request, it *store.Detail) {
	ctx := r.Context()
	t, tf := textOf[alliance.EventText](&it.Card)
	ev := dataOf[alliance.Event](&it.Card)
	loc := ev.Location()
	start, end := ev.Start.In(loc), ev.End.In(loc)
	p := &eventPage{Summary: t.Summary, Theme: tf.Theme, Venue: tf.Venue, Address: tf.Address,
		Dates: rc.L.DateRange(start, end), StartISO: isoDate(start), Host: rc.member(ev.Host), Body: it.HTML,
		TimesNote: rc.L.T("event.times_note", "zone", rc.L.Zone(start))}
	if ev.Edition > 0 {
		p.Edition = rc.L.T("event.edition", "edition", strconv.Itoa(ev.Edition))
	}
	if ev.Image != "" {
		// Its size is read with the event's row (Event.Index sets the item's image).
		p.Image = &figure{Src: mediaPath(ev.Image), Alt: tf.Alt, Width: it.ImageWidth, Height: it.ImageHeight}
	}
	if ev.Attendance != "" {
		p.Attendance = rc.L.T("event.attendance." + ev.Attendance)
	}
	if len(ev.Audiences) > 0 {
		_, audiences, err := s.termOptions(r, rc, alliance.KindAudience)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		for _, k := range ev.Audiences {
			if a := audiences[k]; a != "" {
				p.Audiences = append(p.Audiences, a)
			}
		}
	}
	if ev.Challenge != "" {
		_, challenges, err := s.termOptions(r, rc, alliance.KindChallenge)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		p.Challenge = challenges[ev.Challenge]
	}
	pageURL := detailURLIn(rc.Lang, "events", it)
	p.CalendarURL = strings.TrimSuffix(pageURL, "/") + ".ics"
	if ev.RegistrationURL != "" && end.After(s.now()) {
		p.RegisterURL = ev.RegistrationURL
	}

	sessions, err := s.db.Details(ctx, rc.Lang, store.Query{Kind: alliance.KindSession, Facets: []alliance.Facet{{Name: "event", Value: it.Key}},
		Order: store.Soonest})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	shared := make([]*alliance.Session, len(sessions))
	var keys []string
	for i := range sessions {
		shared[i] = dataOf[alliance.Session](&sessions[i].Card)
		for _, sp := range shared[i].Speakers {
			keys = append(keys, sp.Person)
		}
		for _, m := range shared[i].Moderators {
			keys = append(keys, m.Person)
		}
		keys = append(keys, shared[i].Participants...)
	}
	people, err := s.db.CardsByKey(ctx, alliance.KindPerson, rc.Lang, keys...)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	// Once the event is over, no livestream link will come, and a link given is the recording's.
	over := !end.After(s.now())
	// Session slugs are their anchors; they must not clash with each other or the frame's ids.
	ids := map[string]bool{"main": true, "footer-members": true, "footer-about": true, "footer-more": true, "agenda-h": true}
	ld := rc.ld()
	ldSessions := make([]sessionIn, 0, len(sessions))
	for i := range sessions {
		se := &sessions[i]
		sh := shared[i]
		if se.Text == nil {
			continue
		}
		st, stf := textOf[alliance.SessionText](&se.Card)
		// Session times are wall-clock times at the venue.
		from, to := sh.Start.In(loc), sh.End.In(loc)
		a := agendaSession{ID: uniqueAnchor(ids, st.Slug), Title: st.Title, Lang: langIfOther(st.Lang, rc.Lang),
			Time: rc.L.TimeRange(from, to), Zone: rc.L.Zone(from), StartISO: from.Format("2006-01-02T15:04-07:00"),
			Room: stf.Room, Body: se.HTML, CalendarURL: pageURL + st.Slug + ".ics"}
		if sh.Type != "" {
			a.Type = rc.L.T("session.type." + sh.Type)
		}
		for _, sp := range sh.Speakers {
			if pp := rc.personOf(people, sp.Person); pp != nil {
				pp.Online = sp.Online
				a.Speakers = append(a.Speakers, *pp)
			}
		}
		for _, m := range sh.Moderators {
			if pp := rc.personOf(people, m.Person); pp != nil {
				if m.Role != "" {
					pp.Part = rc.L.T("session.role." + m.Role)
				}
				a.Moderators = append(a.Moderators, *pp)
			}
		}
		for _, k := range sh.Participants {
			if pp := rc.personOf(people, k); pp != nil {
				a.Participants = append(a.Participants, *pp)
			}
		}
		switch sh.Livestream {
		case "":
		case alliance.LivestreamSoon:
			a.LivestreamSoon = !over
		default:
			a.Livestream, a.Recording = sh.Livestream, over
		}
		lds := sessionIn{Anchor: a.ID, Name: st.Title, Lang: st.Lang, Start: from, End: to, Room: stf.Room}
		if sh.Livestream != alliance.LivestreamSoon {
			lds.Livestream = sh.Livestream
		}
		for _, k := range performerKeys(sh) {
			if pc := people[k]; pc != nil {
				_, ptf := textOf[alliance.PersonText](pc)
				lds.Performers = append(lds.Performers, personLD(ld, dataOf[alliance.Person](pc), ptf.Role, ptf.Affiliation))
			}
		}
		ldSessions = append(ldSessions, lds)
		day := isoDate(from)
		if n := len(p.Days); n == 0 || p.Days[n-1].ISO != day {
			p.Days = append(p.Days, agendaDay{ID: uniqueAnchor(ids, "day-"+day), ISO: day, Heading: capitalizeFirst(rc.L.DateWeekday(from))})
		}
		d := &p.Days[len(p.Days)-1]
		d.Sessions = append(d.Sessions, a)
	}

	v := s.newView(r, rc, t.Title, itemEverywhere("events", it))
	v.setContent(t.Lang)
	v.Section = "events"
	v.Description = t.Summary
	if p.Image != nil {
		v.Social = rc.mediaImage(ev.Image, p.Image.Alt, p.Image.Width, p.Image.Height)
	}
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}, {Title: rc.L.T("section.events"), Href: rc.sectionURL(rc.Lang, "events")}}
	v.LD = eventLD(ld, eventIn{URL: v.Canonical, Name: t.Title, Description: t.Summary, Lang: t.Lang, Event: ev,
		Venue: tf.Venue, Address: tf.Address, RegisterURL: p.RegisterURL, Image: v.Social.ld(), Sessions: ldSessions})
	s.render(w, r, http.StatusOK, v, eventContent(v, p))
}

// performerKeys are the people a session's structured data names as its performers: its
// speakers, then its moderators, as the page lists them.
func performerKeys(sh *alliance.Session) []string {
	keys := make([]string, 0, len(sh.Speakers)+len(sh.Moderators))
	for _, sp := range sh.Speakers {
		keys = append(keys, sp.Person)
	}
	for _, m := range sh.Moderators {
		keys = append(keys, m.Person)
	}
	return keys
}

// uniqueAnchor returns id, or id with a number appended when ids already has it, and records it.
func uniqueAnchor(ids map[string]bool, id string) string {
	if id == "" {
		id = "s"
	}
	out := id
	for n := 2; ids[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
	}
	ids[out] = true
	return out
}
