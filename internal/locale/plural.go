package locale

// pluralCategory is a CLDR plural category.
type pluralCategory uint8

const (
	zero pluralCategory = iota
	one
	two
	few
	many
	other
	numCategories
)

var categoryNames = [numCategories]string{"zero", "one", "two", "few", "many", "other"}

func (c pluralCategory) String() string { return categoryNames[c] }

func parseCategory(s string) (pluralCategory, bool) {
	for i, name := range categoryNames {
		if name == s {
			return pluralCategory(i), true
		}
	}
	return other, false
}

// The rules below are CLDR's cardinal rules (supplemental/plurals.xml)
// restricted to integers, where the operands reduce to n = i and v = 0.
// They are written out rather than taken from golang.org/x/text/feature/plural
// because that package ships CLDR 32, which predates two changes these
// languages need: the "many" category of fr, it and es (exact millions:
// "1 000 000 de résultats"), and Romanian's narrowing of "few" to
// n % 100 = 2..19 (so "101 de rezultate"). The tests compare these rules
// with x/text on every number where the two CLDR versions agree.

// en, de, sv ("i = 1 and v = 0") and el ("n = 1") coincide on integers.
func pluralOneIsOne(n uint64) pluralCategory {
	if n == 1 {
		return one
	}
	return other
}

// isMillions is the integer part of the "many" rule shared by fr, it and es:
// e = 0 and i != 0 and i % 1000000 = 0 and v = 0.
func isMillions(n uint64) bool { return n != 0 && n%1000000 == 0 }

// fr: one "i = 0,1".
func pluralFrench(n uint64) pluralCategory {
	switch {
	case n <= 1:
		return one
	case isMillions(n):
		return many
	}
	return other
}

// it: one "i = 1 and v = 0".
func pluralItalian(n uint64) pluralCategory {
	switch {
	case n == 1:
		return one
	case isMillions(n):
		return many
	}
	return other
}

// es: one "n = 1".
func pluralSpanish(n uint64) pluralCategory { return pluralItalian(n) }

// ro: one "i = 1 and v = 0"; few "v != 0 or n = 0 or n % 100 = 2..19".
func pluralRomanian(n uint64) pluralCategory {
	switch r := n % 100; {
	case n == 1:
		return one
	case n == 0 || (r >= 2 && r <= 19):
		return few
	}
	return other
}

// abs returns |n| as an unsigned value; plural rules use the absolute value.
func abs(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1 // no overflow for math.MinInt64
	}
	return uint64(n)
}

// PluralCategory returns the CLDR plural category ("one", "few", "many",
// "other", ...) of the integer n in this language.
func (l *Locale) PluralCategory(n int) string {
	return l.d.plural(abs(int64(n))).String()
}

// PluralCategories returns the categories the language's CLDR rules use for
// integers, in CLDR order; every plural key of its catalogue has exactly these.
func PluralCategories(lang string) []string {
	l, ok := Get(lang)
	if !ok {
		return nil
	}
	out := make([]string, len(l.d.categories))
	for i, c := range l.d.categories {
		out[i] = c.String()
	}
	return out
}
