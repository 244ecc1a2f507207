package locale

import (
	"fmt"
	"strconv"
	"time"
)

// A small compiler for the subset of CLDR date patterns (UTS #35) used in
// data.go. Compiling at init means formatting is a walk over a short token
// slice appending into a stack buffer: no parsing, maps or reflection per call.

type field uint8

const (
	fLiteral        field = iota
	fDay                  // d
	fDay2                 // dd
	fMonth                // M
	fMonth2               // MM
	fMonthAbbr            // MMM
	fMonthWide            // MMMM
	fMonthStandWide       // LLLL
	fYear                 // y
	fYear2                // yy
	fWeekday              // EEEE, cccc
	fHour24               // H
	fHour24_2             // HH
	fHour12               // h
	fHour12_2             // hh
	fMinute               // m
	fMinute2              // mm
	fPeriod               // a
)

// group says which calendar field a token shows. Interval patterns are split
// where a group repeats (TR35 "Interval formats"), so M and L must agree.
func (f field) group() byte {
	switch f {
	case fDay, fDay2:
		return 'd'
	case fMonth, fMonth2, fMonthAbbr, fMonthWide, fMonthStandWide:
		return 'M'
	case fYear, fYear2:
		return 'y'
	case fWeekday:
		return 'E'
	case fHour24, fHour24_2, fHour12, fHour12_2:
		return 'h'
	case fMinute, fMinute2:
		return 'm'
	case fPeriod:
		return 'a'
	}
	return 0
}

type token struct {
	f   field
	lit string
}

type pattern []token

// fieldFor maps a run of one pattern letter to a field.
func fieldFor(letter byte, n int) (field, bool) {
	switch {
	case letter == 'd' && n == 1:
		return fDay, true
	case letter == 'd' && n == 2:
		return fDay2, true
	case letter == 'M' && n == 1:
		return fMonth, true
	case letter == 'M' && n == 2:
		return fMonth2, true
	case letter == 'M' && n == 3:
		return fMonthAbbr, true
	case letter == 'M' && n == 4:
		return fMonthWide, true
	case letter == 'L' && n == 4:
		return fMonthStandWide, true
	case letter == 'y' && n == 2:
		return fYear2, true
	case letter == 'y':
		return fYear, true
	case (letter == 'E' || letter == 'c') && n == 4:
		return fWeekday, true
	case letter == 'H' && n == 1:
		return fHour24, true
	case letter == 'H' && n == 2:
		return fHour24_2, true
	case letter == 'h' && n == 1:
		return fHour12, true
	case letter == 'h' && n == 2:
		return fHour12_2, true
	case letter == 'm' && n == 1:
		return fMinute, true
	case letter == 'm' && n == 2:
		return fMinute2, true
	case letter == 'a' && n <= 3:
		return fPeriod, true
	}
	return 0, false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// compile parses a CLDR pattern. Text in single quotes is literal and ”
// is an apostrophe. An unsupported letter is a bug in data.go, so it is
// reported as an error that init turns into a panic.
func compile(src string) (pattern, error) {
	var p pattern
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			p = append(p, token{f: fLiteral, lit: string(lit)})
			lit = lit[:0]
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\'':
			if i+1 < len(src) && src[i+1] == '\'' {
				lit = append(lit, '\'')
				i += 2
				continue
			}
			j := i + 1
			for ; j < len(src); j++ {
				if src[j] == '\'' {
					if j+1 < len(src) && src[j+1] == '\'' {
						lit = append(lit, '\'')
						j++
						continue
					}
					break
				}
				lit = append(lit, src[j])
			}
			if j >= len(src) {
				return nil, fmt.Errorf("locale: unterminated quote in pattern %q", src)
			}
			i = j + 1
		case isLetter(c):
			j := i
			for j < len(src) && src[j] == c {
				j++
			}
			f, ok := fieldFor(c, j-i)
			if !ok {
				return nil, fmt.Errorf("locale: unsupported field %q in pattern %q", src[i:j], src)
			}
			flush()
			p = append(p, token{f: f})
			i = j
		default:
			lit = append(lit, c)
			i++
		}
	}
	flush()
	return p, nil
}

// splitInterval cuts an interval pattern where its first repeated field
// begins: the first part formats the start, the rest the end.
func splitInterval(p pattern) (first, second pattern, err error) {
	var seen [256]bool
	for i, t := range p {
		g := t.f.group()
		if g == 0 {
			continue
		}
		if seen[g] {
			return p[:i:i], p[i:], nil
		}
		seen[g] = true
	}
	return nil, nil, fmt.Errorf("locale: interval pattern without a repeated field")
}

// stamp holds the calendar fields of one instant, computed once per call.
type stamp struct {
	year, month, day int
	weekday          time.Weekday
	hour, minute     int
}

func stampOf(t time.Time) stamp {
	y, m, d := t.Date()
	h, mi, _ := t.Clock()
	return stamp{year: y, month: int(m), day: d, weekday: t.Weekday(), hour: h, minute: mi}
}

func appendPadded(b []byte, v int) []byte {
	if v >= 0 && v < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(v), 10)
}

func (p pattern) appendTo(b []byte, s *stamp, c *calendarData) []byte {
	for _, t := range p {
		switch t.f {
		case fLiteral:
			b = append(b, t.lit...)
		case fDay:
			b = strconv.AppendInt(b, int64(s.day), 10)
		case fDay2:
			b = appendPadded(b, s.day)
		case fMonth:
			b = strconv.AppendInt(b, int64(s.month), 10)
		case fMonth2:
			b = appendPadded(b, s.month)
		case fMonthAbbr:
			b = append(b, c.monthsAbbr[s.month-1]...)
		case fMonthWide:
			b = append(b, c.monthsWide[s.month-1]...)
		case fMonthStandWide:
			b = append(b, c.monthsStandalone[s.month-1]...)
		case fYear:
			b = strconv.AppendInt(b, int64(s.year), 10)
		case fYear2:
			b = appendPadded(b, ((s.year%100)+100)%100)
		case fWeekday:
			b = append(b, c.weekdays[s.weekday]...)
		case fHour24:
			b = strconv.AppendInt(b, int64(s.hour), 10)
		case fHour24_2:
			b = appendPadded(b, s.hour)
		case fHour12, fHour12_2:
			h := s.hour % 12
			if h == 0 {
				h = 12
			}
			if t.f == fHour12_2 {
				b = appendPadded(b, h)
			} else {
				b = strconv.AppendInt(b, int64(h), 10)
			}
		case fMinute:
			b = strconv.AppendInt(b, int64(s.minute), 10)
		case fMinute2:
			b = appendPadded(b, s.minute)
		case fPeriod:
			if s.hour < 12 {
				b = append(b, c.am...)
			} else {
				b = append(b, c.pm...)
			}
		}
	}
	return b
}
