// Package search is the site's text analyzer: the one place that turns a text, or a visitor's
// query, into the terms both databases index and match. The store feeds its output to SQLite's
// FTS5 and PostgreSQL's tsvector alike, so that both see the same terms and match the same rows.
//
// A word becomes a term in four steps: it is cut out of the text as a run of Unicode letters and
// digits (with the combining marks inside it), lower-cased, stemmed with its language's stemmer
// (Snowball for seven languages, a light stemmer of our own for Greek), then stripped of its
// accents (NFD, combining marks dropped). Stemming comes before folding because the Snowball
// stemmers expect accents ("université" and "universités" stem alike only with their é).
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/romanian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/swedish"
	"golang.org/x/text/unicode/norm"
)

// Languages are the languages the analyzer stems, in the site's order.
var Languages = []string{"en", "fr", "de", "el", "it", "es", "sv", "ro"}

// snowballs are the Snowball stemmers by language.
var snowballs = map[string]func(*snowball.Env) bool{
	"en": english.Stem, "fr": french.Stem, "de": german.Stem, "it": italian.Stem,
	"es": spanish.Stem, "sv": swedish.Stem, "ro": romanian.Stem,
}

// Token is a word of a text: its bytes text[Start:End] and its term.
type Token struct {
	Start, End int
	Term       string
}

// Tokens returns the words of text, in order, each with its term in language lang (a language
// the analyzer does not know is only lower-cased and folded). Used to highlight a snippet: a
// word is marked when its term is one the query asked for.
func Tokens(lang, text string) []Token {
	var out []Token
	eachWord(text, func(start, end int) {
		if t := Term(lang, text[start:end]); t != "" {
			out = append(out, Token{Start: start, End: end, Term: t})
		}
	})
	return out
}

// Terms returns the terms of text in language lang, in order, repeated as the words are.
func Terms(lang, text string) []string {
	var out []string
	eachWord(text, func(start, end int) {
		if t := Term(lang, text[start:end]); t != "" {
			out = append(out, t)
		}
	})
	return out
}

// Words returns the words of a text as typed, in order: a query's words.
func Words(text string) []string {
	var out []string
	eachWord(text, func(start, end int) { out = append(out, text[start:end]) })
	return out
}

// eachWord calls fn with the byte range of each word of text: a run of letters, digits and
// the combining marks that follow a letter (a text typed in decomposed form keeps its words
// whole). Everything else separates words, apostrophes included, so that French "l'université"
// is "l" and "université".
func eachWord(text string, fn func(start, end int)) {
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && unicode.In(r, unicode.Mn, unicode.Mc))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			fn(start, i)
			start = -1
		}
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

// Term returns the term of one word in language lang: lower-cased, stemmed, folded. It is ""
// for a word of one letter (French "l'", "d'"), which would match nearly every text.
func Term(lang, word string) string {
	w := strings.ToLower(norm.NFC.String(word))
	if utf8.RuneCountInString(w) < 2 {
		return ""
	}
	return stem(lang, w)
}

// Variants returns the terms a word is indexed and searched under: its Term and, when it
// differs, the term of the word without its accents. A stemmer that expects accents stems a
// word typed without them differently (French "universites" is "universit", "universités" is
// "univers"); indexing the text's words under both, and searching a query's words under both,
// makes matching accent-insensitive whichever way either was typed.
func Variants(lang, word string) []string {
	w := strings.ToLower(norm.NFC.String(word))
	if utf8.RuneCountInString(w) < 2 {
		return nil
	}
	t := stem(lang, w)
	if f := fold(w); f != w {
		if alt := stem(lang, f); alt != t {
			return []string{t, alt}
		}
	}
	return []string{t}
}

// stem is Term of a lower-cased word of two letters or more.
func stem(lang, w string) string {
	switch lang {
	case "el":
		// Our Greek stemmer works on folded words: tonos and dialytika, and the final sigma,
		// would otherwise double every ending it strips.
		return greekStem(fold(w))
	case "ro":
		// Romanian is written with ș and ț (comma below) and, from older keyboards, with ş
		// and ţ (cedilla). The Snowball stemmer of snowballstem v0.9.0 knows only the cedilla
		// forms, so both are given to it as cedilla; folding then drops either mark.
		w = strings.NewReplacer("ș", "ş", "ț", "ţ", "Ș", "ş", "Ț", "ţ").Replace(w)
	}
	if stem, ok := snowballs[lang]; ok {
		env := snowball.NewEnv(w)
		stem(env)
		w = env.Current()
	}
	return fold(w)
}

// fold strips a lower-cased word of its accents: decomposed (NFD), its combining marks dropped
// (Greek tonos and dialytika among them), and a Greek final sigma made a plain one.
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range norm.NFD.String(w) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ς':
			b.WriteRune('σ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TypoMin is the length, in letters, from which a term is matched with one typo: the stem of
// a word of six letters or more.
const TypoMin = 5

// Deletions returns the distinct terms made by deleting one letter of term: its deletion
// neighbourhood. Two terms are within one edit (a letter inserted, deleted or replaced) when one
// is the other, or one is in the other's neighbourhood, or their neighbourhoods meet.
func Deletions(term string) []string {
	rs := []rune(term)
	out := make([]string, 0, len(rs))
	seen := make(map[string]bool, len(rs))
	for i := range rs {
		d := string(rs[:i]) + string(rs[i+1:])
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// Folded returns the words of a text lower-cased and without accents, as written otherwise
// (unstemmed): what the back office's list matches the words typed in its filter against, as
// the starts of its titles' words.
func Folded(text string) []string {
	var out []string
	eachWord(text, func(start, end int) {
		out = append(out, fold(strings.ToLower(norm.NFC.String(text[start:end]))))
	})
	return out
}
