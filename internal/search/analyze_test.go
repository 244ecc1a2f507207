package search

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSameTerm holds pairs of words that must meet on one term in their language: the forms a
// visitor types and the forms a text holds.
func TestSameTerm(t *testing.T) {
	for _, c := range []struct{ lang, a, b string }{
		{"en", "universities", "University"},
		{"en", "mobility", "mobilities"},
		{"en", "researchers", "research"},
		{"fr", "universités", "université"},
		{"fr", "étudiants", "étudiant"},
		{"de", "Programme", "Programmen"},
		{"de", "Universitäten", "Universität"},
		{"de", "Studierenden", "studierende"},
		{"el", "πανεπιστήμια", "πανεπιστήμιο"},
		{"el", "ΠΑΝΕΠΙΣΤΗΜΙΟ", "πανεπιστημίου"},
		{"el", "φοιτητές", "φοιτητών"},
		{"el", "έρευνα", "έρευνας"},
		{"it", "università", "universita"},
		{"it", "studenti", "studente"},
		{"es", "universidades", "universidad"},
		{"sv", "universitet", "universiteten"},
		{"sv", "studenter", "studenterna"},
		{"ro", "mobilităţii", "mobilitate"},  // cedilla
		{"ro", "mobilităţii", "mobilității"}, // cedilla and comma below
		{"ro", "universitățile", "universitate"},
	} {
		ta, tb := Term(c.lang, c.a), Term(c.lang, c.b)
		if ta != tb || ta == "" {
			t.Errorf("%s: %q → %q, %q → %q: want one term", c.lang, c.a, ta, c.b, tb)
		}
	}
}

// TestVariantsAccentInsensitive: a word typed without its accents shares a variant with the
// word as written, in every language.
func TestVariantsAccentInsensitive(t *testing.T) {
	for _, c := range []struct{ lang, typed, written string }{
		{"fr", "universites", "universités"},
		{"fr", "ETUDIANTS", "étudiants"},
		{"es", "investigacion", "investigación"},
		{"de", "Universitaten", "Universitäten"},
		{"it", "universita", "università"},
		{"sv", "hogskolor", "högskolor"},
		{"ro", "mobilitatii", "mobilității"},
		{"el", "πανεπιστημια", "πανεπιστήμιο"},
		{"en", "cafe", "café"},
	} {
		a, b := Variants(c.lang, c.typed), Variants(c.lang, c.written)
		if !slices.ContainsFunc(a, func(s string) bool { return slices.Contains(b, s) }) {
			t.Errorf("%s: %q → %q and %q → %q share no term", c.lang, c.typed, a, c.written, b)
		}
	}
}

func TestTermsFoldAndSplit(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		want       []string
	}{
		{"fr", "L'université d’été", []string{"univers", "ete"}},
		{"de", "Straße-Programm 2026", []string{"strass", "programm", "2026"}},
		{"el", "Ερασμος+ κινητικότητα", []string{"ερασμ", "κινητικ"}},
		{"fr", "e\u0301tudes", []string{"etud"}}, // decomposed é stays in its word
		{"xx", "Ünknown Łanguage", []string{"unknown", "łanguage"}},
		{"en", "", nil},
	} {
		if got := Terms(c.lang, c.text); !slices.Equal(got, c.want) {
			t.Errorf("Terms(%s, %q) = %q, want %q", c.lang, c.text, got, c.want)
		}
	}
}

func TestTokensOffsets(t *testing.T) {
	text := "Les universités d'Europe"
	var got []string
	for _, tk := range Tokens("fr", text) {
		got = append(got, text[tk.Start:tk.End]+"="+tk.Term)
	}
	want := []string{"Les=le", "universités=univers", "Europe=europ"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}

func TestDeletions(t *testing.T) {
	got := Deletions("mobil")
	want := []string{"obil", "mbil", "moil", "mobl", "mobi"}
	if !slices.Equal(got, want) {
		t.Errorf("Deletions = %q, want %q", got, want)
	}
	if got := Deletions("πανεπ"); len(got) != 5 || got[0] != "ανεπ" {
		t.Errorf("Deletions of Greek = %q: want whole letters", got)
	}
	if got := Deletions("aab"); !slices.Equal(got, []string{"ab", "aa"}) {
		t.Errorf("Deletions(aab) = %q: want each once", got)
	}
}

// TestGreekAgreesWithSnowball checks our light Greek stemmer against Snowball's Greek stemmer
// (testdata/greek_stems.tsv, written by scripts/greek_stems.py from the demo's Greek texts):
// words to which Snowball gives one stem must get one stem from ours too, since that is what
// makes them find each other.
func TestGreekAgreesWithSnowball(t *testing.T) {
	f, err := os.Open("testdata/greek_stems.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	groups := map[string][]string{} // Snowball's stem → words
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		word, stem, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("bad line %q", sc.Text())
		}
		groups[stem] = append(groups[stem], word)
		n++
	}
	if n < 200 {
		t.Fatalf("fixture has %d words, want 200 or more", n)
	}
	multi := 0
	for stem, words := range groups {
		if len(words) < 2 {
			continue
		}
		multi++
		ours := map[string][]string{}
		for _, w := range words {
			ours[Term("el", w)] = append(ours[Term("el", w)], w)
		}
		if len(ours) > 1 && !greekKnownSplits[stem] {
			t.Errorf("Snowball stems %q as %q; ours splits them: %q", words, stem, ours)
		}
	}
	if multi < 40 {
		t.Errorf("only %d groups of several forms: the fixture tests too little", multi)
	}
}

// greekKnownSplits are Snowball stems whose forms ours keeps apart, each for a reason.
// Snowball cuts short words and derivations further than a light stemmer may without merging
// unrelated words: one-syllable roots (ένας, τρία, έχει, κάθε), and derivations (πολιτισμός
// and πολιτών, συντονίζει and συντονιστή), and a root ending in -ικ- that ours takes for the
// adjectives' ending (κάτοικοι).
var greekKnownSplits = map[string]bool{"εν": true, "τρ": true, "καθ": true, "εχ": true, "πολιτ": true, "συντον": true, "κατοικ": true}

func TestHighlight(t *testing.T) {
	terms := map[string]bool{}
	for _, v := range Variants("fr", "universites") {
		terms[v] = true
	}
	got := Highlight("fr", "Les universités <b>&</b> l'Université.", terms)
	want := []Segment{{"Les ", false}, {"universités", true}, {" <b>&</b> l'", false}, {"Université", true}, {".", false}}
	if !slices.Equal(got, want) {
		t.Errorf("Highlight = %v, want %v", got, want)
	}
	if got := Highlight("fr", "rien", terms); !slices.Equal(got, []Segment{{"rien", false}}) {
		t.Errorf("Highlight without a match = %v", got)
	}
}

// Folded keeps words whole (no stemming) and drops case and accents, Greek's and a final
// sigma included: the back office's list matches typed words against their starts.
func TestFolded(t *testing.T) {
	got := Folded("Le 100% CLIMAT, l'Université — ΕΥΡΩΠΑΪΚΟΣ Mobilității")
	want := []string{"le", "100", "climat", "l", "universite", "ευρωπαικοσ", "mobilitatii"}
	if !slices.Equal(got, want) {
		t.Errorf("Folded = %q, want %q", got, want)
	}
}
