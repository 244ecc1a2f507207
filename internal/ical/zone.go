package ical

import (
	"fmt"
	"time"
)

// epoch is the DTSTART of the one observance of a zone that never changed its offset.
var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// Timezone writes the VTIMEZONE of loc for the span from…to: the observance in effect at from
// and one observance per transition up to to, each a STANDARD or DAYLIGHT with its own DTSTART
// and no RRULE. Read from Go's tz database (time.Time.ZoneBounds), it is exact for that span
// whatever rules the zone followed, including years a country changed them, where an RRULE
// states only the current rule. Nothing is written for UTC, whose times are written with "Z".
func (w *Writer) Timezone(loc *time.Location, from, to time.Time) {
	if loc == nil || loc == time.UTC || loc.String() == "UTC" {
		return
	}
	w.Begin("VTIMEZONE")
	w.Line("TZID", loc.String())
	t := from.In(loc)
	name, offset := t.Zone()
	start, end := t.ZoneBounds()
	before := offset
	if start.IsZero() {
		start = epoch
	} else {
		_, before = start.Add(-time.Second).In(loc).Zone()
	}
	w.observance(t.IsDST(), name, start, before, offset)
	// A zone changes its offset a few times a year at most; the bound keeps a broken database
	// from looping for long.
	for n := 0; !end.IsZero() && !end.After(to) && n < 1000; n++ {
		t = end.In(loc)
		next, nextOffset := t.Zone()
		w.observance(t.IsDST(), next, end, offset, nextOffset)
		offset = nextOffset
		_, end = t.ZoneBounds()
	}
	w.End("VTIMEZONE")
}

// observance writes one STANDARD or DAYLIGHT sub-component starting at the instant at, whose
// DTSTART is the local time as the offset before it (from) reads it, as RFC 5545 asks.
func (w *Writer) observance(dst bool, name string, at time.Time, from, to int) {
	kind := "STANDARD"
	if dst {
		kind = "DAYLIGHT"
	}
	w.Begin(kind)
	w.Line("DTSTART", Local(at.UTC().Add(time.Duration(from)*time.Second)))
	w.Line("TZOFFSETFROM", Offset(from))
	w.Line("TZOFFSETTO", Offset(to))
	if name != "" {
		w.Text("TZNAME", name)
	}
	w.End(kind)
}

// Offset formats a UTC offset in seconds as a UTC-OFFSET value: "+0100", "-0330", "+013045".
func Offset(seconds int) string {
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	h, m, s := seconds/3600, seconds/60%60, seconds%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
