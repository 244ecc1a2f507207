package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/alliance-platform/alliance/internal/locale"
)

// serveDocument serves the feeds and calendars under /{lang}/, and reports whether rest (the
// path after the language) named one. Their last segment holds a dot, which no slug does, so
// none of these paths can be a page's:
//
//	{section}/feed.atom, {section}/feed.json   the section's feeds (feeds.go)
//	calendar.ics                               the calendar to subscribe to (calendar.go)
//	{events}/{event}.ics                       an event and its sessions
//	{events}/{event}/{session}.ics             one session
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, l *locale.Locale, rest string) bool {
	if !strings.Contains(rest, ".") {
		return false
	}
	segs := strings.Split(rest, "/")
	last := segs[len(segs)-1]
	var serve func(rc *request)
	switch {
	case len(segs) == 1 && last == "calendar.ics":
		serve = func(rc *request) { s.siteCalendar(w, r, rc) }
	case len(segs) == 2 && (last == "feed.atom" || last == "feed.json"):
		id, ok := l.SectionBySlug(segs[0])
		fs := feedSectionByID(id)
		if !ok || fs == nil {
			return false
		}
		format := strings.TrimPrefix(last, "feed.")
		serve = func(rc *request) { s.serveFeed(w, r, rc, fs, format) }
	case (len(segs) == 2 || len(segs) == 3) && strings.HasSuffix(last, ".ics"):
		if id, ok := l.SectionBySlug(segs[0]); !ok || id != "events" {
			return false
		}
		slug, session := strings.TrimSuffix(last, ".ics"), ""
		if len(segs) == 3 {
			slug, session = segs[1], strings.TrimSuffix(last, ".ics")
		}
		if slug == "" || (len(segs) == 3 && session == "") {
			return false
		}
		serve = func(rc *request) { s.eventCalendar(w, r, rc, slug, session) }
	default:
		return false
	}
	lang := l.Lang
	// Read before the data: a change committed meanwhile makes this key stale at once.
	key := s.pageKey(r)
	if notModified(w, r, key, false) {
		return true
	}
	rc, err := s.newRequest(r, lang, nil)
	if err != nil {
		if errors.Is(err, errUnknownLanguage) {
			s.handleUnknown(w, r)
		} else {
			s.fail(w, r, lang, err)
		}
		return true
	}
	rc.cacheKey = key
	serve(rc)
	return true
}
