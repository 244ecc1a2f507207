package search

import (
	"strings"
	"unicode/utf8"
)

// greekEndings are the inflectional endings greekStem strips, folded (no accents, σ for ς),
// longest first so that "-ιων" is tried before "-ων". They are the common endings of nouns and
// adjectives of the three genders, and a few of verbs: enough that the forms of a word a
// visitor types and a text holds meet on one stem (TestGreekAgreesWithSnowball checks that
// against Snowball's Greek stemmer on the demo's words).
var greekEndings = func() []string {
	e := strings.Fields(`
		ιοτητασ ιοτητεσ ιοτητων ιοτητα οτητασ οτητεσ οτητων οτητα
		ικοσ ικου ικο ικοι ικων ικουσ ικη ικησ ικεσ ικα
		ατοσ ατων ατα
		εων ειτε
		ειων ειου ειασ ειεσ ειουσ εια ειο ειοι
		ιουσ ιων ιου ιεσ ιασ ιοι ια ιο
		ουσ ουν ουμε ετε ουνε εισ
		οσ ου ων ασ εσ ησ ισ οι ει αι
		α ο η ι ε ω υ`)
	// Longest first: a longer ending is the better cut.
	for i := 1; i < len(e); i++ {
		for j := i; j > 0 && len([]rune(e[j])) > len([]rune(e[j-1])); j-- {
			e[j], e[j-1] = e[j-1], e[j]
		}
	}
	return e
}()

// greekMinStem is the fewest letters a Greek stem keeps: a shorter word keeps its ending.
const greekMinStem = 3

// greekStem strips the longest known ending from a folded Greek word, keeping a stem of at
// least greekMinStem letters. It is deliberately light: it cuts inflection, not derivation.
func greekStem(w string) string {
	n := utf8.RuneCountInString(w)
	for _, e := range greekEndings {
		if strings.HasSuffix(w, e) && n-utf8.RuneCountInString(e) >= greekMinStem {
			return w[:len(w)-len(e)]
		}
	}
	return w
}
