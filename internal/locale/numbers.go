package locale

import (
	"math"
	"strconv"
)

// appendGrouped writes the ASCII digits d with the language's group separator
// every three digits, unless there are fewer than 3+minimumGroupingDigits of
// them (CLDR: Spanish writes "1234" but "12.345").
func (l *Locale) appendGrouped(b, d []byte) []byte {
	n := len(d)
	if n < 3+l.d.num.minGroup {
		return append(b, d...)
	}
	head := n % 3
	if head == 0 {
		head = 3
	}
	b = append(b, d[:head]...)
	for i := head; i < n; i += 3 {
		b = append(b, l.d.num.group...)
		b = append(b, d[i:i+3]...)
	}
	return b
}

func (l *Locale) appendInt(b []byte, n int64) []byte {
	var digits [20]byte
	if n < 0 {
		b = append(b, l.d.num.minus...)
	}
	return l.appendGrouped(b, strconv.AppendUint(digits[:0], abs(n), 10))
}

// Int formats n with the language's grouping and minus sign: 1,234 (en),
// 1 234 (fr, U+202F), 1.234 (de, el, it, ro), 1234 and 12.345 (es),
// 1 234 (sv, U+00A0).
func (l *Locale) Int(n int) string {
	var buf [40]byte
	return string(l.appendInt(buf[:0], int64(n)))
}

// Number formats f in its shortest form with at most two decimals, with the
// language's decimal and group symbols: 2.5 is "2.5" in English and "2,5" in
// French; 12345.5 is "12.345,5" in German. Halves round to even, ICU's
// default, and values that round to zero lose their sign.
func (l *Locale) Number(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return l.d.num.minus + "∞"
	}
	var tmp [48]byte
	s := strconv.AppendFloat(tmp[:0], math.Abs(f), 'f', 2, 64)
	dot := len(s) - 3 // 'f' with precision 2 always ends in ".dd"
	intPart, frac := s[:dot], s[dot+1:]
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	var buf [64]byte
	b := buf[:0]
	if f < 0 && !(len(frac) == 0 && len(intPart) == 1 && intPart[0] == '0') {
		b = append(b, l.d.num.minus...)
	}
	b = l.appendGrouped(b, intPart)
	if len(frac) > 0 {
		b = append(b, l.d.num.decimal...)
		b = append(b, frac...)
	}
	return string(b)
}

// FileSize formats a download's size in decimal units (1 kB = 1000 bytes):
// kilobytes rounded to an integer, megabytes and gigabytes with one decimal,
// with CLDR's short unit symbols: "399 kB" and "1.2 MB" in English, "399 ko"
// and "1,2 Mo" in French (octets), "399 kB" in the other six languages.
//
// The number and unit are joined by a no-break space (U+00A0) so a link
// never wraps between them. Any non-empty file shows at least "1 kB";
// zero or negative sizes show "0 kB".
func (l *Locale) FileSize(bytes int64) string {
	var buf [48]byte
	b := buf[:0]
	unit := l.d.units[0]
	switch kb := roundDiv(bytes, 1000); {
	case bytes <= 0:
		b = append(b, '0')
	case kb < 1:
		b = append(b, '1')
	case kb < 1000:
		b = l.appendInt(b, kb)
	default:
		// Tenths of a megabyte, then of a gigabyte once that reaches 1000 MB.
		tenths, u := roundDiv(bytes, 100_000), 1
		if tenths >= 10_000 {
			tenths, u = roundDiv(bytes, 100_000_000), 2
		}
		unit = l.d.units[u]
		b = l.appendInt(b, tenths/10)
		b = append(b, l.d.num.decimal...)
		b = append(b, byte('0'+tenths%10))
	}
	b = append(b, "\u00a0"...)
	b = append(b, unit...)
	return string(b)
}

// roundDiv divides a non-negative n by d, rounding halves up, without the
// overflow that (n+d/2)/d has near math.MaxInt64.
func roundDiv(n, d int64) int64 {
	q := n / d
	if r := n % d; r >= d-r {
		q++
	}
	return q
}
