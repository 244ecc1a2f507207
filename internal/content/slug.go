package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// greek transliterates Greek letters (after accents are removed) following ELOT 743, simplified.
var greek = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i",
	'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s",
	'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

// other letters that do not decompose into a base letter and a mark.
var special = map[rune]string{'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'ł': "l", 'đ': "d", 'þ': "th", 'ı': "i"}

// Slugify makes a URL slug from a title: lowercase ASCII letters and digits separated by single
// hyphens, with accents removed and Greek transliterated.
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(strings.ToLower(title)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		var s string
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			s = string(r)
		case greek[r] != "":
			s = greek[r]
		case special[r] != "":
			s = special[r]
		}
		if s == "" {
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(s)
	}
	out := b.String()
	if len(out) > 80 {
		out = strings.TrimRight(out[:80], "-")
		if i := strings.LastIndexByte(out, '-'); i > 40 {
			out = out[:i]
		}
	}
	return out
}
