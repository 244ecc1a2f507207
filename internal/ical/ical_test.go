package ical

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name string
		line string
	}{
		{"short", "SUMMARY:Hello"},
		{"exactly 75", "SUMMARY:" + strings.Repeat("a", 67)},
		{"76", "SUMMARY:" + strings.Repeat("a", 68)},
		{"long ASCII", "DESCRIPTION:" + strings.Repeat("abcdefghij", 30)},
		// "é" is two octets; placed so that octet 75 is its second byte.
		{"two-octet rune at the boundary", "SUMMARY:" + strings.Repeat("a", 66) + "é" + strings.Repeat("b", 80)},
		{"Greek", "SUMMARY:" + strings.Repeat("πανεπιστήμιο ", 20)},
		{"three-octet runes", "SUMMARY:" + strings.Repeat("€", 60)},
		{"four-octet runes", "SUMMARY:" + strings.Repeat("😀", 40)},
		{"Romanian comma below", "DESCRIPTION:" + strings.Repeat("mobilității ", 15)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Fold(tt.line)
			if !strings.HasSuffix(out, "\r\n") {
				t.Fatalf("no CRLF at the end: %q", out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
			for i, l := range lines {
				if len(l) > 75 {
					t.Errorf("line %d is %d octets: %q", i, len(l), l)
				}
				if i > 0 && !strings.HasPrefix(l, " ") {
					t.Errorf("continuation line %d does not start with a space: %q", i, l)
				}
				if !utf8.ValidString(l) {
					t.Errorf("line %d splits a UTF-8 sequence: %q", i, l)
				}
				if strings.ContainsAny(l, "\r\n") {
					t.Errorf("line %d holds a bare line break", i)
				}
			}
			// Unfolding gives the line back.
			if got := strings.ReplaceAll(strings.TrimSuffix(out, "\r\n"), "\r\n ", ""); got != tt.line {
				t.Errorf("unfolded %q, want %q", got, tt.line)
			}
			if len(tt.line) > 75 && len(lines) < 2 {
				t.Errorf("a %d-octet line was not folded", len(tt.line))
			}
		})
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a, b; c", `a\, b\; c`},
		{`back\slash`, `back\\slash`},
		{"two\nlines", `two\nlines`},
		{"crlf\r\nline", `crlf\nline`},
		{"cr\rline", `cr\nline`},
		{"Université: Paris", "Université: Paris"}, // a colon needs no escape in a value
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOffset(t *testing.T) {
	for sec, want := range map[int]string{0: "+0000", 3600: "+0100", 7200: "+0200", -12600: "-0330", 3600 + 30*60 + 45: "+013045", 19800: "+0530"} {
		if got := Offset(sec); got != want {
			t.Errorf("Offset(%d) = %q, want %q", sec, got, want)
		}
	}
}

// observance is a parsed STANDARD or DAYLIGHT sub-component.
type observance struct{ kind, start, from, to, name string }

func parseZone(t *testing.T, out string) (tzid string, obs []observance) {
	t.Helper()
	var cur *observance
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		k, v, _ := strings.Cut(l, ":")
		switch {
		case k == "TZID":
			tzid = v
		case k == "BEGIN" && (v == "STANDARD" || v == "DAYLIGHT"):
			obs = append(obs, observance{kind: v})
			cur = &obs[len(obs)-1]
		case cur != nil && k == "DTSTART":
			cur.start = v
		case cur != nil && k == "TZOFFSETFROM":
			cur.from = v
		case cur != nil && k == "TZOFFSETTO":
			cur.to = v
		case cur != nil && k == "TZNAME":
			cur.name = v
		}
	}
	return tzid, obs
}

func TestTimezoneTransitions(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		zone     string
		from, to string
		want     []observance
	}{
		{"Europe/Paris", "2026-06-01T00:00:00Z", "2026-06-30T00:00:00Z", []observance{
			// Summer time in effect since the last Sunday of March, 02:00 CET.
			{"DAYLIGHT", "20260329T020000", "+0100", "+0200", "CEST"},
		}},
		{"Europe/Paris", "2026-03-01T00:00:00Z", "2026-11-30T00:00:00Z", []observance{
			{"STANDARD", "20251026T030000", "+0200", "+0100", "CET"},
			{"DAYLIGHT", "20260329T020000", "+0100", "+0200", "CEST"},
			{"STANDARD", "20261025T030000", "+0200", "+0100", "CET"},
		}},
		{"Europe/Athens", "2026-10-01T00:00:00Z", "2027-04-01T00:00:00Z", []observance{
			{"DAYLIGHT", "20260329T030000", "+0200", "+0300", "EEST"},
			{"STANDARD", "20261025T040000", "+0300", "+0200", "EET"},
			{"DAYLIGHT", "20270328T030000", "+0200", "+0300", "EEST"},
		}},
		{"Europe/Lisbon", "2026-01-10T00:00:00Z", "2026-02-10T00:00:00Z", []observance{
			{"STANDARD", "20251026T020000", "+0100", "+0000", "WET"},
		}},
		{"Europe/Istanbul", "2026-01-10T00:00:00Z", "2026-12-10T00:00:00Z", []observance{
			// No daylight saving time since 2016: one observance for the span.
			{"STANDARD", "20160907T000000", "+0300", "+0300", "+03"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.from[:7]+"…"+tt.to[:7], func(t *testing.T) {
			var w Writer
			w.Timezone(load(tt.zone), utc(tt.from), utc(tt.to))
			tzid, obs := parseZone(t, string(w.Bytes()))
			if tzid != tt.zone {
				t.Errorf("TZID %q, want %q", tzid, tt.zone)
			}
			if len(obs) != len(tt.want) {
				t.Fatalf("observances %+v, want %+v", obs, tt.want)
			}
			for i := range obs {
				if obs[i] != tt.want[i] {
					t.Errorf("observance %d: %+v, want %+v", i, obs[i], tt.want[i])
				}
			}
		})
	}
	// UTC needs no VTIMEZONE: its times are written with Z.
	var w Writer
	w.Timezone(time.UTC, utc("2026-01-01T00:00:00Z"), utc("2027-01-01T00:00:00Z"))
	if len(w.Bytes()) != 0 {
		t.Errorf("UTC wrote %q", w.Bytes())
	}
}

func TestZonedTime(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	var w Writer
	w.ZonedTime("DTSTART", time.Date(2026, 5, 4, 9, 30, 0, 0, paris))
	w.ZonedTime("DTEND", time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC))
	want := "DTSTART;TZID=Europe/Paris:20260504T093000\r\nDTEND:20260504T093000Z\r\n"
	if got := string(w.Bytes()); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
