package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Slugs are ASCII (docs/content-format.md, "Slugs"): a URL that every visitor can type, read
// aloud and paste anywhere. Latin letters lose their accents, except where a language writes
// them otherwise in ASCII; Greek follows ELOT 743 and Cyrillic the Bulgarian Streamlined System,
// the official romanizations of the two non-Latin scripts of the EU's languages.

// byLanguage holds the letters a language writes otherwise than without their accent: German
// "Grüße" is "gruesse", not "gruse"; Danish "Året" is "aaret".
var byLanguage = map[string]*strings.Replacer{
	"de": strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss"),
	"da": strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa"),
	"hr": strings.NewReplacer("đ", "dj"),
}

// special holds the Latin letters that do not decompose into a base letter and a mark.
var special = map[rune]string{
	'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'ł': "l", 'đ': "d", 'þ': "th", 'ð': "d", 'ı': "i",
	'ħ': "h", // Maltese: "għ" becomes "gh", "Ħal" "hal"
	'ĳ': "ij",
}

// cyrillic follows the Bulgarian Streamlined System (2009); letters of other languages written in
// Cyrillic are romanized alike.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
	'т': "t", 'у': "u", 'ф': "f", 'х': "h", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "sht", 'ъ': "a",
	'ь': "y", 'ю': "yu", 'я': "ya",
	'ё': "yo", 'ы': "y", 'э': "e", 'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u",
}

// greek follows ELOT 743 (ISO 843 type 1) letter by letter; greekWord applies its pairs.
var greek = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i",
	'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s",
	'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

// greekVoiceless are the letters before which αυ, ευ, ηυ are read af, ef, if (else av, ev, iv).
const greekVoiceless = "θκξπστφχψ"

// Slugify makes a URL slug from a title written in lang: lowercase ASCII letters and digits
// separated by single hyphens, at most 80 characters.
func Slugify(lang, title string) string {
	s := norm.NFC.String(strings.ToLower(title))
	if r := byLanguage[lang]; r != nil {
		s = r.Replace(s)
	}
	var b strings.Builder
	hyphen := false
	emit := func(t string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(t)
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.Is(unicode.Greek, r) && unicode.IsLetter(r):
			j := i
			for j < len(rs) && unicode.Is(unicode.Greek, rs[j]) && unicode.IsLetter(rs[j]) {
				j++
			}
			emit(greekWord(rs[i:j]))
			i = j
			continue
		case cyrillic[r] != "":
			t := cyrillic[r]
			// "ия" ending a word is "ia": България, Bulgaria; София, Sofia.
			if r == 'и' && i+1 < len(rs) && rs[i+1] == 'я' && (i+2 == len(rs) || !unicode.IsLetter(rs[i+2])) {
				t, i = "ia", i+1
			}
			emit(t)
		case special[r] != "":
			emit(special[r])
		default:
			var t strings.Builder
			for _, d := range norm.NFD.String(string(r)) {
				if d < 128 && (unicode.IsLetter(d) || unicode.IsDigit(d)) {
					t.WriteRune(d)
				}
			}
			switch {
			case t.Len() > 0:
				emit(t.String())
			case !unicode.IsMark(r):
				hyphen = true
			}
		}
		i++
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

// greekWord romanizes one lowercase Greek word by ELOT 743: the letter table, and the pairs αυ ευ
// ηυ (av/af, ev/ef, iv/if), ου (ou), γγ γξ γχ (ng, nx, nch) and μπ (b starting or ending the
// word, mp inside it, as Greek passports write). A diaeresis (ϊ, ϋ) keeps two vowels apart.
func greekWord(word []rune) string {
	type letter struct {
		r         rune
		diaeresis bool
	}
	ls := make([]letter, 0, len(word))
	for _, r := range word {
		var l letter
		for _, d := range norm.NFD.String(string(r)) {
			switch {
			case d == '\u0308':
				l.diaeresis = true
			case !unicode.IsMark(d):
				l.r = d
			}
		}
		if l.r != 0 {
			ls = append(ls, l)
		}
	}
	at := func(i int) rune {
		if i < len(ls) {
			return ls[i].r
		}
		return 0
	}
	var b strings.Builder
	for i := 0; i < len(ls); i++ {
		r, next := ls[i].r, at(i+1)
		nextPlain := next != 0 && !ls[i+1].diaeresis
		switch {
		case (r == 'α' || r == 'ε' || r == 'η') && next == 'υ' && nextPlain:
			b.WriteString(greek[r])
			if after := at(i + 2); after == 0 || strings.ContainsRune(greekVoiceless, after) {
				b.WriteString("f")
			} else {
				b.WriteString("v")
			}
			i++
		case r == 'ο' && next == 'υ' && nextPlain:
			b.WriteString("ou")
			i++
		case r == 'γ' && next == 'γ':
			b.WriteString("ng")
			i++
		case r == 'γ' && next == 'ξ':
			b.WriteString("nx")
			i++
		case r == 'γ' && next == 'χ':
			b.WriteString("nch")
			i++
		case r == 'μ' && next == 'π' && (i == 0 || i+2 == len(ls)):
			b.WriteString("b")
			i++
		default:
			b.WriteString(greek[r])
		}
	}
	return b.String()
}
