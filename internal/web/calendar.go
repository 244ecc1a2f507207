package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/ical"
	"github.com/alliance-platform/alliance/internal/store"
)

// Calendars (RFC 5545): /{lang}/{events slug}/{event slug}.ics (the event and a VEVENT per
// session), /{lang}/{events slug}/{event slug}/{session slug}.ics (one session), and
// /{lang}/calendar.ics, the calendar to subscribe to: upcoming events, and the deadlines of
// calls and of applications to learning opportunities still ahead.
//
// UIDs are "{kind}-{key}@{host}" (a deadline's "{kind}-{key}-deadline@{host}"): keys never
// change, so a calendar client updates the event it has rather than adding another. SEQUENCE is
// the item's revision, which every save that changes the item raises; DTSTAMP and
// LAST-MODIFIED are the item's last change, so the same content is the same bytes.
// A deadline is a zero-duration event at the deadline's instant (DTSTART = DTEND, transparent):
// a deadline has a time of day in its zone, which an all-day event would lose for a subscriber
// in another zone.

var calendarContentType = []string{"text/calendar; charset=utf-8"}

// calendarMaxItems is how many items of each kind the subscribable calendar holds at most:
// upcoming events, calls' deadlines and applications' deadlines, the soonest first. Each is one
// range of an index (store.Ending, store.Closing), so the cost is what is written, not what the
// site holds; the limit is the document's size. A VEVENT is about 600 bytes (a long summary
// makes it 1 KB), so 5,000 of each kind is at most 15,000 VEVENTs, 9–15 MB, 1–2 MB gzipped: a
// document a calendar client still reads, which holds years of an alliance's events ahead.
const calendarMaxItems = 5000

// SetCalendarLimit sets how many items of each kind /{lang}/calendar.ics holds at most
// (calendarMaxItems by default); a test sets a small one. Set it before the calendar is asked
// for: a calendar already in the page cache stays there until the content or the clock moves on.
func (s *Server) SetCalendarLimit(n int) { s.calendarLimit.Store(int64(n)) }

// icsDoc collects the events of a calendar and the zones their times are in.
type icsDoc struct {
	rc     *request
	host   string
	events ical.Writer
	zones  map[string]*zoneSpan
	order  []string
}

type zoneSpan struct {
	loc      *time.Location
	from, to time.Time
}

func newICS(rc *request) *icsDoc {
	return &icsDoc{rc: rc, host: hostOf(rc.Base), zones: map[string]*zoneSpan{}}
}

// use records that a time is written in t's zone.
func (d *icsDoc) use(t time.Time) {
	loc := t.Location()
	if loc == time.UTC || loc.String() == "UTC" {
		return
	}
	z := d.zones[loc.String()]
	if z == nil {
		z = &zoneSpan{loc: loc, from: t, to: t}
		d.zones[loc.String()] = z
		d.order = append(d.order, loc.String())
	}
	if t.Before(z.from) {
		z.from = t
	}
	if t.After(z.to) {
		z.to = t
	}
}

// text writes a TEXT property with the LANGUAGE of the text it comes from.
func (d *icsDoc) text(name, lang, value string) {
	if value == "" {
		return
	}
	d.events.Text(name+";LANGUAGE="+lang, value)
}

// vevent writes the common head of a VEVENT.
func (d *icsDoc) vevent(uid string, updated time.Time, revision int, start, end time.Time) {
	w := &d.events
	w.Begin("VEVENT")
	w.Line("UID", uid)
	w.Line("DTSTAMP", ical.UTC(updated))
	w.Line("LAST-MODIFIED", ical.UTC(updated))
	w.Line("SEQUENCE", strconv.Itoa(revision))
	d.use(start)
	d.use(end)
	w.ZonedTime("DTSTART", start)
	w.ZonedTime("DTEND", end)
}

// event writes an event's VEVENT.
func (d *icsDoc) event(e *store.Detail) string {
	t, tf := textOf[alliance.EventText](&e.Card)
	ev := dataOf[alliance.Event](&e.Card)
	loc := ev.Location()
	uid := "event-" + e.Key + "@" + d.host
	d.vevent(uid, e.Updated, e.Revision, ev.Start.In(loc), ev.End.In(loc))
	d.text("SUMMARY", t.Lang, t.Title)
	d.text("DESCRIPTION", t.Lang, t.Summary)
	d.text("LOCATION", t.Lang, joinNonEmpty(", ", tf.Venue, tf.Address))
	d.events.Line("URL;VALUE=URI", d.rc.Base+detailURLIn(d.rc.Lang, "events", e))
	d.events.End("VEVENT")
	return uid
}

// session writes a session's VEVENT, in its event's zone, at the venue of ev.
func (d *icsDoc) session(se *store.Detail, ev *store.Detail, eventUID string) {
	t, tf := textOf[alliance.SessionText](&se.Card)
	sh := dataOf[alliance.Session](&se.Card)
	evd := dataOf[alliance.Event](&ev.Card)
	_, etf := textOf[alliance.EventText](&ev.Card)
	loc := evd.Location()
	d.vevent("session-"+se.Key+"@"+d.host, se.Updated, se.Revision, sh.Start.In(loc), sh.End.In(loc))
	d.text("SUMMARY", t.Lang, t.Title)
	d.text("DESCRIPTION", t.Lang, t.Summary)
	d.text("LOCATION", t.Lang, joinNonEmpty(", ", tf.Room, etf.Venue, etf.Address))
	d.events.Line("URL;VALUE=URI", d.rc.Base+detailURLIn(d.rc.Lang, "events", ev)+"#"+t.Slug)
	if eventUID != "" {
		d.events.Line("RELATED-TO;RELTYPE=PARENT", eventUID)
	}
	if sh.Livestream != "" && sh.Livestream != alliance.LivestreamSoon {
		d.events.Line("CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL="+paramText(d.rc.L.T("calendar.livestream")), sh.Livestream)
	}
	d.events.End("VEVENT")
}

// deadline writes the zero-duration VEVENT of a deadline.
func (d *icsDoc) deadline(it *store.Detail, section string, at time.Time, label string) {
	d.vevent(string(it.Kind)+"-"+it.Key+"-deadline@"+d.host, it.Updated, it.Revision, at, at)
	d.text("SUMMARY", it.Text.Lang, d.rc.L.T(label, "title", it.Text.Title))
	d.text("DESCRIPTION", it.Text.Lang, it.Text.Summary)
	d.events.Line("URL;VALUE=URI", d.rc.Base+detailURLIn(d.rc.Lang, section, it))
	d.events.Line("TRANSP", "TRANSPARENT")
	d.events.End("VEVENT")
}

// bytes is the whole VCALENDAR: its properties, the VTIMEZONE of every zone used, the events.
func (d *icsDoc) bytes(name string) []byte {
	var w ical.Writer
	w.Begin("VCALENDAR")
	w.Line("VERSION", "2.0")
	w.Text("PRODID", "-//"+d.rc.Site.Name+"//"+strings.ToUpper(d.rc.Lang))
	w.Line("CALSCALE", "GREGORIAN")
	w.Line("METHOD", "PUBLISH")
	if name != "" {
		w.Text("NAME", name)
		w.Text("X-WR-CALNAME", name)
		w.Line("REFRESH-INTERVAL;VALUE=DURATION", "PT6H")
		w.Line("X-PUBLISHED-TTL", "PT6H")
	}
	for _, id := range d.order {
		z := d.zones[id]
		w.Timezone(z.loc, z.from, z.to)
	}
	out := append(w.Bytes(), d.events.Bytes()...)
	return append(out, ical.Fold("END:VCALENDAR")...)
}

// eventCalendar serves an event's .ics (session == "") or one session's.
func (s *Server) eventCalendar(w http.ResponseWriter, r *http.Request, rc *request, slug, session string) {
	ctx := r.Context()
	ev, matched, err := s.db.Detail(ctx, alliance.KindEvent, rc.Lang, slug)
	if store.IsNotFound(err) {
		s.notFound(w, r, rc.Lang)
		return
	}
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	page := detailURLIn(rc.Lang, "events", ev)
	if matched != rc.Lang && session == "" {
		if want := strings.TrimSuffix(page, "/") + ".ics"; want != r.URL.Path {
			redirect(w, want, "", http.StatusMovedPermanently)
			return
		}
	}
	sessions, err := s.db.Details(ctx, rc.Lang, store.Query{Kind: alliance.KindSession,
		Facets: []alliance.Facet{{Name: "event", Value: ev.Key}}, Order: store.Soonest})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	d := newICS(rc)
	filename := slug
	if session == "" {
		uid := d.event(ev)
		for i := range sessions {
			if sessions[i].Text != nil {
				d.session(&sessions[i], ev, uid)
			}
		}
	} else {
		var found *store.Detail
		for i := range sessions {
			if sessions[i].Text != nil && sessions[i].Text.Slug == session {
				found = &sessions[i]
			}
		}
		if found == nil {
			s.notFound(w, r, rc.Lang)
			return
		}
		d.session(found, ev, "event-"+ev.Key+"@"+d.host)
		filename = session
	}
	// Kept in the page cache with this header, under the page key: the content version and the
	// site's next transition (what the file shows does not depend on the clock, but whether the
	// event and its sessions are shown does, by their publication window).
	w.Header()["Content-Disposition"] = []string{`inline; filename="` + filename + `.ics"`}
	s.writeDocument(w, r, rc, d.bytes(""), calendarContentType)
}

// siteCalendar serves /{lang}/calendar.ics.
func (s *Server) siteCalendar(w http.ResponseWriter, r *http.Request, rc *request) {
	ctx := r.Context()
	now := s.now()
	limit := int(s.calendarLimit.Load())
	// Soonest end (deadline) first: each read is a range of an index from now on, which stops
	// at the limit (migration 0020). The calendar shows no body: none is read.
	events, err := s.db.Details(ctx, rc.Lang, store.Query{Kind: alliance.KindEvent, EndsAfter: now, Order: store.Ending, Limit: limit, NoBody: true})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	calls, err := s.db.Details(ctx, rc.Lang, store.Query{Kind: alliance.KindCall, ClosesAfter: now, Order: store.Closing, Limit: limit, NoBody: true})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	learning, err := s.db.Details(ctx, rc.Lang, store.Query{Kind: alliance.KindLearning, ClosesAfter: now, Order: store.Closing, Limit: limit, NoBody: true})
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	d := newICS(rc)
	for i := range events {
		if events[i].Text != nil {
			d.event(&events[i])
		}
	}
	for i := range calls {
		c := &calls[i]
		if c.Text != nil {
			cl := dataOf[alliance.Call](&c.Card)
			d.deadline(c, "calls", cl.Deadline.In(cl.Location()), "calendar.deadline")
		}
	}
	for i := range learning {
		l := &learning[i]
		if ld := dataOf[alliance.Learning](&l.Card); l.Text != nil && ld.Application != nil {
			d.deadline(l, "learn", ld.Application.Deadline.In(ld.Location()), "calendar.application_deadline")
		}
	}
	s.writeDocument(w, r, rc, d.bytes(rc.L.T("calendar.title")+" · "+rc.Site.Name), calendarContentType)
}

// calendarLink is the head link to the calendar of rc's language.
func calendarLink(rc *request) feedLink {
	return feedLink{Type: "text/calendar", Title: rc.L.T("calendar.title"), Href: rc.Base + "/" + rc.Lang + "/calendar.ics"}
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// paramText makes text a quoted parameter value: DQUOTE and control characters cannot be in one.
func paramText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}
