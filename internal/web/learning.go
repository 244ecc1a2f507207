package web

import (
	"net/http"
	"sort"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// learningPage is the data of a learning opportunity's page.
type learningPage struct {
	Kind, KindURL string
	Summary       string
	Challenge     string
	Coordinator   *memberRef
	Partners      []memberRef
	External      string
	Physical      *physicalPart
	Virtual       []virtualPart
	ECTS          string
	EQF           string
	Level         string
	Languages     []string
	Seats         string
	Window        *itemWindow
	ApplyURL      string // only while applications are open
	Outcomes      string // sanitized HTML
	Assessment    string
	Eligibility   string
	Body          string // sanitized HTML
	Contact       *itemPerson
}

// physicalPart is the on-site component of a learning opportunity.
type physicalPart struct {
	Dates, StartISO string
	City            string
	Host            *memberRef
}

// virtualPart is a virtual component, placed before or after the physical one.
type virtualPart struct {
	Dates, StartISO string
	When            string
}

// itemWindow is an application window or the opening and deadline of a call, in the item's zone.
type itemWindow struct {
	Opens, Deadline itemMoment
	Status          string // alliance.StatusOpen, …
	Badge           string
}

// itemMoment is an instant shown with its date, time and zone.
type itemMoment struct {
	Date, Time, ISO string
	Zone            string
}

// moment describes t (in the zone of its item) for the page's language.
func (rc *request) moment(t time.Time) itemMoment {
	return itemMoment{Date: rc.L.Date(t), Time: rc.L.Time(t), Zone: rc.L.Zone(t), ISO: t.Format("2006-01-02T15:04-07:00")}
}

// learningStatus is the badge of each status of an application window.
var learningStatus = map[string]string{
	alliance.StatusOpen:     "learn.open_now",
	alliance.StatusUpcoming: "learn.not_yet",
	alliance.StatusClosed:   "learn.closed",
}

// learningList serves /{lang}/learn/: the catalogue, soonest first, filtered by kind, level,
// language of instruction, member university and open applications.
func (s *Server) learningList(w http.ResponseWriter, r *http.Request, rc *request) {
	q := r.URL.Query()
	page, ok := pageNumber(q)
	if !ok {
		s.badRequest(w, r, rc.Lang)
		return
	}
	query := store.Query{Kind: alliance.KindLearning, Order: store.Soonest, Limit: pageSize, Offset: (page - 1) * pageSize, NoBody: true, Lang: rc.Lang}
	var filters []filter
	add := func(name, label string, opts []option) bool {
		f, val, err := selectFilter(q, name, label, rc.L.T("filter.any"), opts)
		if err != nil {
			s.badRequest(w, r, rc.Lang)
			return false
		}
		if val != "" {
			query.Facets = append(query.Facets, alliance.Facet{Name: name, Value: val})
		}
		filters = append(filters, f)
		return true
	}
	kinds := make([]option, len(alliance.LearningKinds))
	for i, k := range alliance.LearningKinds {
		kinds[i] = option{Value: k, Label: rc.L.T("learn.kind." + k)}
	}
	if !add("kind", rc.L.T("filter.kind"), kinds) {
		return
	}
	levels := make([]option, len(alliance.LearningLevels))
	for i, k := range alliance.LearningLevels {
		levels[i] = option{Value: k, Label: rc.L.T("learn.level." + k)}
	}
	if !add("level", rc.L.T("filter.level"), levels) {
		return
	}
	codes, err := s.db.FacetValues(r.Context(), alliance.KindLearning, "language")
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	languages := make([]option, len(codes))
	for i, c := range codes {
		languages[i] = option{Value: c, Label: capitalizeFirst(rc.L.LanguageName(c))}
	}
	sort.SliceStable(languages, func(i, j int) bool { return languages[i].Label < languages[j].Label })
	if !add("language", rc.L.T("filter.language"), languages) {
		return
	}
	// Members are loaded with the frame, in their order.
	members := make([]option, 0, len(rc.members))
	for _, m := range rc.members {
		if t, _ := m.Best(rc.Lang); t != nil {
			members = append(members, option{Value: m.Key, Label: t.Title})
		}
	}
	if !add("member", rc.L.T("filter.member"), members) {
		return
	}
	open := filter{Name: "open", Label: rc.L.T("filter.open"), Checkbox: true}
	switch q.Get("open") {
	case "":
	case "1":
		open.Checked = true
		query.OpenAt = s.now()
	default:
		s.badRequest(w, r, rc.Lang)
		return
	}
	filters = append(filters, open)
	s.renderListing(w, r, rc, "learn", query, page, filters, func(it *store.Card) card { return s.learningCard(rc, it) }, nil)
}

// capitalizeFirst upper-cases the first letter of a name for a menu or a heading: CLDR writes
// language names and weekdays in lower case in most languages, as they are used in running text.
func capitalizeFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// learningCard makes the card of a learning opportunity: kind, dates and application status.
func (s *Server) learningCard(rc *request, it *store.Card) card {
	t, _ := textOf[alliance.LearningText](it)
	l := dataOf[alliance.Learning](it)
	c := card{URL: rc.itemURL("learn", it), Title: t.Title, Summary: t.Summary, Lang: langIfOther(t.Lang, rc.Lang)}
	if start, end := l.Span(); start != "" {
		c.Date, c.DateISO = rc.L.DateRange(start.Time(), end.Time()), string(start)
	}
	if l.Kind != "" {
		c.Meta = append(c.Meta, rc.L.T("learn.kind."+l.Kind))
	}
	if l.Application != nil && !it.Opens.IsZero() {
		status := alliance.WindowStatus(it.Opens, it.Closes, s.now())
		c.Badge, c.BadgeClass = rc.L.T(learningStatus[status]), status
	}
	return c
}

// learningPage serves /{lang}/learn/{slug}/.
func (s *Server) learningPage(w http.ResponseWriter, r *http.Request, rc *request, it *store.Detail) {
	ctx := r.Context()
	t, tf := textOf[alliance.LearningText](&it.Card)
	l := dataOf[alliance.Learning](&it.Card)
	base := rc.sectionURL(rc.Lang, "learn")
	p := &learningPage{Summary: t.Summary, Body: it.HTML, Coordinator: rc.member(l.Coordinator),
		External: l.ExternalAlliance, Assessment: tf.Assessment, Eligibility: tf.Eligibility, Outcomes: string(s.md.HTML(tf.Outcomes))}
	if l.Kind != "" {
		p.Kind, p.KindURL = rc.L.T("learn.kind."+l.Kind), base+"?kind="+l.Kind
	}
	if l.Level != "" {
		p.Level = rc.L.T("learn.level." + l.Level)
	}
	if l.Challenge != "" {
		_, challenges, err := s.termOptions(r, rc, alliance.KindChallenge)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		p.Challenge = challenges[l.Challenge]
	}
	for _, k := range l.Partners {
		if m := rc.member(k); m != nil {
			p.Partners = append(p.Partners, *m)
		}
	}
	if ph := l.Physical; ph != nil {
		p.Physical = &physicalPart{Dates: rc.L.DateRange(ph.Start.Time(), ph.End.Time()), StartISO: string(ph.Start), City: ph.City, Host: rc.member(ph.Host)}
	}
	for _, v := range l.Virtual {
		vp := virtualPart{Dates: rc.L.DateRange(v.Start.Time(), v.End.Time()), StartISO: string(v.Start)}
		if l.Physical != nil {
			if v.End < l.Physical.Start {
				vp.When = rc.L.T("learn.virtual_before")
			} else if v.Start > l.Physical.End {
				vp.When = rc.L.T("learn.virtual_after")
			}
		}
		p.Virtual = append(p.Virtual, vp)
	}
	if l.ECTS > 0 {
		p.ECTS = rc.L.Number(l.ECTS)
	}
	if l.EQF > 0 {
		p.EQF = strconv.Itoa(l.EQF)
	}
	for _, code := range l.Languages {
		// A list in running text: "English, French", "anglais, français", "αγγλικά, γαλλικά".
		p.Languages = append(p.Languages, rc.L.LanguageName(code))
	}
	if l.Seats > 0 {
		p.Seats = rc.L.Int(l.Seats)
	}
	if a := l.Application; a != nil {
		loc := l.Location()
		opens, deadline := a.Opens.In(loc), a.Deadline.In(loc)
		status := alliance.WindowStatus(opens, deadline, s.now())
		p.Window = &itemWindow{Opens: rc.moment(opens), Deadline: rc.moment(deadline), Status: status, Badge: rc.L.T(learningStatus[status])}
		if status == alliance.StatusOpen {
			p.ApplyURL = l.ApplyURL
		}
	} else if _, end := l.Span(); end == "" || s.now().Before(end.Time().AddDate(0, 0, 1)) {
		// No window: applications are handled at the link until the end of its last day (UTC),
		// an instant the site's next transition counts (store.DB.Moment).
		p.ApplyURL = l.ApplyURL
	}
	if l.Contact != "" {
		people, err := s.db.CardsByKey(ctx, alliance.KindPerson, rc.Lang, l.Contact)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		p.Contact = rc.personOf(people, l.Contact)
	}
	v := s.newView(r, rc, t.Title, itemEverywhere("learn", it))
	v.setContent(t.Lang)
	v.Section = "learn"
	v.Description = t.Summary
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}, {Title: rc.L.T("section.learn"), Href: base}}
	v.LD = learningLD(rc.ld(), learningIn{URL: v.Canonical, Name: t.Title, Description: t.Summary, Lang: t.Lang,
		Learning: l, Level: p.Level, Kind: p.Kind, ApplyURL: p.ApplyURL})
	s.render(w, r, http.StatusOK, v, learningContent(v, p))
}
