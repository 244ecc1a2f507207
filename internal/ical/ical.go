// Package ical writes iCalendar (RFC 5545) documents: content lines folded at 75 octets
// without splitting a UTF-8 sequence, text values escaped, CRLF line ends, dates and times in
// the forms the RFC gives, and VTIMEZONE components generated from Go's time zone database.
//
// It writes only; the site never reads calendars. A writer of our own rather than a library:
// what the site needs is small (a few properties of VEVENT and VTIMEZONE), and folding by
// octets on rune boundaries and time zones derived from the tz database are the two parts a
// library must get right anyway, so they are here with their tests.
package ical

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Writer builds a calendar in memory. Its methods never fail: a Writer writes to a buffer.
type Writer struct {
	buf bytes.Buffer
}

// Bytes returns what has been written.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// Begin opens a component ("VCALENDAR", "VEVENT" …).
func (w *Writer) Begin(name string) { w.Line("BEGIN", name) }

// End closes a component.
func (w *Writer) End(name string) { w.Line("END", name) }

// Line writes the content line "name:value", folded. name may carry parameters
// ("DTSTART;TZID=Europe/Paris"); value is written as it is: escape text values with Text.
func (w *Writer) Line(name, value string) {
	w.buf.WriteString(Fold(name + ":" + value))
}

// Text writes a property whose value is TEXT, escaped; nothing when value is empty.
func (w *Writer) Text(name, value string) {
	if value == "" {
		return
	}
	w.Line(name, Escape(value))
}

// maxLine is the longest a content line may be, in octets, not counting its CRLF (RFC 5545
// section 3.1).
const maxLine = 75

// Fold returns line as folded content lines ending in CRLF: each physical line at most 75
// octets, continuation lines starting with a space (which counts in their 75), a break never
// inside a UTF-8 sequence.
func Fold(line string) string {
	if len(line) <= maxLine {
		return line + "\r\n"
	}
	var b strings.Builder
	b.Grow(len(line) + len(line)/maxLine*3 + 2)
	limit := maxLine
	for len(line) > limit {
		cut := limit
		// Back up to the start of a rune: never split a multi-byte sequence.
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}

// Escape escapes a TEXT value: backslash, semicolon, comma, and line breaks as \n (RFC 5545
// section 3.3.11). A CR LF pair or a lone CR is one line break.
func Escape(s string) string {
	if !strings.ContainsAny(s, "\\;,\n\r") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// UTC formats t as a DATE-TIME in UTC ("20260315T090000Z"): DTSTAMP, LAST-MODIFIED.
func UTC(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Local formats t as a local DATE-TIME in its own location ("20260315T100000"), for a
// property with the TZID of that location.
func Local(t time.Time) string { return t.Format("20060102T150405") }

// Date formats t's day as a DATE ("20260315").
func Date(t time.Time) string { return t.Format("20060102") }

// ZonedTime writes name (DTSTART, DTEND) as t in its location: with the location's TZID, whose
// VTIMEZONE the calendar must hold, or in UTC when t is in UTC.
func (w *Writer) ZonedTime(name string, t time.Time) {
	loc := t.Location()
	if loc == time.UTC || loc.String() == "UTC" {
		w.Line(name, UTC(t))
		return
	}
	w.Line(name+";TZID="+paramValue(loc.String()), Local(t))
}

// paramValue quotes a parameter value when it holds a character a bare one may not.
func paramValue(v string) string {
	if strings.ContainsAny(v, ";:,") {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}
