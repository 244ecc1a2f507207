package locale

import (
	"strconv"
	"time"

	// Zone and the tests rely on IANA data; embedding it keeps them working
	// in minimal containers that have no /usr/share/zoneinfo.
	_ "time/tzdata"
)

// All date and time methods show the wall clock of t's own location: load
// the venue's time zone into t (t.In) before formatting an event.

// bufSize covers every formatted date and range in the eight languages, so
// the stack buffer is never outgrown and the result string is the only
// allocation.
const bufSize = 128

func (l *Locale) format(p pattern, t time.Time) string {
	var buf [bufSize]byte
	s := stampOf(t)
	return string(p.appendTo(buf[:0], &s, &l.d.cal))
}

func (l *Locale) formatRange(p *[2]pattern, a, b time.Time) string {
	var buf [bufSize]byte
	sa, sb := stampOf(a), stampOf(b)
	out := p[0].appendTo(buf[:0], &sa, &l.d.cal)
	out = p[1].appendTo(out, &sb, &l.d.cal)
	return string(out)
}

// Date formats t with the CLDR long date format: "28 June 2024",
// "28. Juni 2024", "28 Ιουνίου 2024", "28 de junio de 2024".
func (l *Locale) Date(t time.Time) string { return l.format(l.long, t) }

// DateWeekday formats t with the CLDR full date format, which adds the
// weekday: "Thursday, 11 June 2026", "jeudi 11 juin 2026".
func (l *Locale) DateWeekday(t time.Time) string { return l.format(l.full, t) }

// MonthYear formats the month and year of t (CLDR yMMMM), with the
// stand-alone month name where the language has one: "June 2026",
// "Ιούνιος 2026", "junio de 2026".
func (l *Locale) MonthYear(t time.Time) string { return l.format(l.monthYear, t) }

// DateShort formats t with the CLDR medium date format, for lists and
// tables: "28 Jun 2024", "28.06.2024", "28 juin 2024".
func (l *Locale) DateShort(t time.Time) string { return l.format(l.medium, t) }

// DateRange formats the days from a to b with CLDR's interval formats for
// the long date: "23–27 March 2026", "30 March – 2 April 2026",
// "30 December 2026 – 2 January 2027", or a single Date when both fall on the
// same day. b is read in a's location, and the two are swapped if b is the
// earlier, so an event stored with end before start still reads sensibly.
func (l *Locale) DateRange(a, b time.Time) string {
	b = b.In(a.Location())
	if b.Before(a) {
		a, b = b, a
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	switch {
	case ay != by:
		return l.formatRange(&l.rangeYear, a, b)
	case am != bm:
		return l.formatRange(&l.rangeMonth, a, b)
	case ad != bd:
		return l.formatRange(&l.rangeDay, a, b)
	}
	return l.Date(a)
}

// Time formats the wall-clock time of t with the CLDR short time format:
// "09:00" in most languages, "9:00" in Spanish, "9:00 π.μ." in Greek.
func (l *Locale) Time(t time.Time) string { return l.format(l.timeShort, t) }

// TimeRange formats the times from a to b with CLDR's time interval formats:
// "09:00–10:30", "09:00 – 10:30" in French, "09:00–10:30 Uhr" in German,
// "11:00 π.μ. – 1:30 μ.μ." in Greek. b is read in a's location. The order is
// kept as given, since a session may run past midnight; equal times give a
// single Time.
func (l *Locale) TimeRange(a, b time.Time) string {
	b = b.In(a.Location())
	ah, am, _ := a.Clock()
	bh, bm, _ := b.Clock()
	switch {
	case ah == bh && am == bm:
		return l.Time(a)
	case (ah < 12) != (bh < 12):
		return l.formatRange(&l.timeRangePeriod, a, b)
	}
	return l.formatRange(&l.timeRange, a, b)
}

// Zone names t's time zone at that instant, from the IANA data carried by its
// location: "EEST (UTC+3)" for Bucharest in summer, "EET (UTC+2)" in winter,
// "IST (UTC+5:30)" for Kolkata. Zones whose IANA abbreviation is only an
// offset ("+03") show just "UTC+3"; UTC itself shows "UTC".
func (l *Locale) Zone(t time.Time) string {
	name, offset := t.Zone()
	var buf [48]byte
	b := buf[:0]
	numeric := name == "" || name[0] == '+' || name[0] == '-'
	if numeric || name == l.d.utc && offset == 0 {
		return string(l.appendUTCOffset(b, offset))
	}
	b = append(b, name...)
	b = append(b, " ("...)
	b = l.appendUTCOffset(b, offset)
	b = append(b, ')')
	return string(b)
}

// appendUTCOffset writes "UTC", "UTC+3", "UTC+5:30" or "UTC-3" (with the
// language's minus sign). Seconds, which only historic local mean times
// have, are dropped.
func (l *Locale) appendUTCOffset(b []byte, offset int) []byte {
	b = append(b, l.d.utc...)
	if offset/60 == 0 {
		return b
	}
	if offset < 0 {
		b = append(b, l.d.num.minus...)
		offset = -offset
	} else {
		b = append(b, '+')
	}
	b = strconv.AppendInt(b, int64(offset/3600), 10)
	if m := offset % 3600 / 60; m != 0 {
		b = append(b, ':')
		b = appendPadded(b, m)
	}
	return b
}
