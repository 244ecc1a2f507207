package locale_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance/internal/locale"
)

// readCatalog parses catalog/{lang}.json straight from disk, independently of
// the package's loader, and fails on duplicate keys, which encoding/json
// would otherwise resolve silently.
func readCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("catalog", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s.json: want a JSON object, got %v %v", lang, tok, err)
	}
	out := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		key := tok.(string)
		var val string
		if err := dec.Decode(&val); err != nil {
			t.Fatalf("%s.json: %q: value must be a string: %v", lang, key, err)
		}
		if _, dup := out[key]; dup {
			t.Errorf("%s.json: duplicate key %q", lang, key)
		}
		out[key] = val
	}
	return out
}

var placeholderRE = regexp.MustCompile(`\{([A-Za-z0-9_.-]+)\}`)

func placeholderSet(s string) []string {
	var names []string
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// splitCatalog separates plain keys from plural keys (base -> category -> text).
func splitCatalog(cat map[string]string) (plain map[string]string, plurals map[string]map[string]string) {
	plain, plurals = map[string]string{}, map[string]map[string]string{}
	for k, v := range cat {
		base, form, ok := strings.Cut(k, "#")
		if !ok {
			plain[k] = v
			continue
		}
		if plurals[base] == nil {
			plurals[base] = map[string]string{}
		}
		plurals[base][form] = v
	}
	return plain, plurals
}

func diff(want, got []string) (missing, extra []string) {
	for _, k := range want {
		if !slices.Contains(got, k) {
			missing = append(missing, k)
		}
	}
	for _, k := range got {
		if !slices.Contains(want, k) {
			extra = append(extra, k)
		}
	}
	return missing, extra
}

func TestCataloguesMatchEnglish(t *testing.T) {
	enPlain, enPlurals := splitCatalog(readCatalog(t, "en"))
	enKeys := slices.Sorted(maps.Keys(enPlain))
	enBases := slices.Sorted(maps.Keys(enPlurals))
	if len(enKeys) < 150 || len(enBases) == 0 {
		t.Fatalf("en.json looks truncated: %d keys, %d plural keys", len(enKeys), len(enBases))
	}

	for _, lang := range locale.Supported {
		t.Run(lang, func(t *testing.T) {
			cat := readCatalog(t, lang)
			plain, plurals := splitCatalog(cat)

			missing, extra := diff(enKeys, slices.Sorted(maps.Keys(plain)))
			for _, k := range missing {
				t.Errorf("missing key %q", k)
			}
			for _, k := range extra {
				t.Errorf("key %q is not in en.json", k)
			}
			missing, extra = diff(enBases, slices.Sorted(maps.Keys(plurals)))
			for _, k := range missing {
				t.Errorf("missing plural key %q", k)
			}
			for _, k := range extra {
				t.Errorf("plural key %q is not in en.json", k)
			}

			for k, v := range cat {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%q is empty", k)
				}
				if v != strings.TrimSpace(v) {
					t.Errorf("%q has leading or trailing space: %q", k, v)
				}
			}

			// Placeholders must survive translation, or values go missing.
			for k, v := range plain {
				if en, ok := enPlain[k]; ok && !slices.Equal(placeholderSet(en), placeholderSet(v)) {
					t.Errorf("%q: placeholders %v, en has %v", k, placeholderSet(v), placeholderSet(en))
				}
			}
			wantForms := locale.PluralCategories(lang)
			for base, forms := range plurals {
				got := slices.Sorted(maps.Keys(forms))
				if want := slices.Sorted(slices.Values(wantForms)); !slices.Equal(got, want) {
					t.Errorf("%q has forms %v, %s's CLDR rules need %v", base, got, lang, want)
				}
				enOther := enPlurals[base]["other"]
				for form, v := range forms {
					if !slices.Equal(placeholderSet(enOther), placeholderSet(v)) {
						t.Errorf("%s#%s: placeholders %v, en has %v", base, form, placeholderSet(v), placeholderSet(enOther))
					}
				}
			}

			// What the package loaded is what is on disk.
			if got, want := locale.Keys(lang), slices.Sorted(maps.Keys(cat)); !slices.Equal(got, want) {
				t.Errorf("Keys(%q) differs from catalog/%s.json", lang, lang)
			}
		})
	}
}

func TestCatalogueScripts(t *testing.T) {
	// Romanian is written with comma-below ș and ț; the cedilla forms are a
	// legacy encoding accident that renders wrongly in many fonts.
	for k, v := range readCatalog(t, "ro") {
		if strings.ContainsAny(v, "şţŞŢ") {
			t.Errorf("ro %q uses a cedilla ş/ţ: %q", k, v)
		}
	}
	// Greek must be in Greek script, not transliterated.
	greek := regexp.MustCompile(`\p{Greek}`)
	for k, v := range readCatalog(t, "el") {
		if !greek.MatchString(v) && !strings.Contains(v, "{") {
			t.Errorf("el %q has no Greek letter: %q", k, v)
		}
	}
}

func TestPluralCategories(t *testing.T) {
	want := map[string][]string{
		"en": {"one", "other"}, "de": {"one", "other"}, "el": {"one", "other"}, "sv": {"one", "other"},
		"fr": {"one", "many", "other"}, "it": {"one", "many", "other"}, "es": {"one", "many", "other"},
		"ro": {"one", "few", "other"},
	}
	for _, lang := range locale.Supported {
		if got := locale.PluralCategories(lang); !slices.Equal(got, want[lang]) {
			t.Errorf("PluralCategories(%q) = %v, want %v", lang, got, want[lang])
		}
	}
	if got := locale.PluralCategories("pt"); got != nil {
		t.Errorf("PluralCategories(pt) = %v, want nil", got)
	}
}

func TestT(t *testing.T) {
	en, de, fr := locale.MustGet("en"), locale.MustGet("de"), locale.MustGet("fr")
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"plain", en.T("site.skip"), "Skip to main content"},
		{"translated", de.T("site.skip"), "Zum Hauptinhalt springen"},
		{"missing key", de.T("no.such.key"), "no.such.key"},
		{"missing key with args", de.T("no.such.key", "a", 1), "no.such.key"},
		{"empty key", en.T(""), ""},
		{"args", en.T("fallback.notice", "language", "German", "original", "English"),
			"This content is not available in German. It is shown in English."},
		{"args any order", de.T("fallback.notice", "original", "Englisch", "language", "Deutsch"),
			"Dieser Inhalt ist nicht auf Deutsch verfügbar. Er wird auf Englisch angezeigt."},
		{"missing arg stays visible", en.T("fallback.notice", "language", "German"),
			"This content is not available in German. It is shown in {original}."},
		{"odd args", en.T("resource.download", "title"), "Download {title}"},
		{"non-string name ignored", en.T("resource.download", 1, "x", "title", "Report"), "Download Report"},
		{"ints are localised", de.T("pager.page", "n", 1234, "total", 2000), "Seite 1.234 von 2.000"},
		{"floats are localised", fr.T("pager.page", "n", 2.5, "total", int64(12345)), "Page 2,5 sur 12\u202f345"},
		{"stringer", en.T("member.visit", "name", stringer("Uni")), "Visit the website of Uni"},
		{"plural variant by full key", en.T("results.count#other"), "{n} results"},
		{"nbsp before colon in French", fr.T("event.times_note", "zone", "EEST (UTC+3)"),
			"Tous les horaires sont indiqués à l’heure locale du lieu\u00a0: EEST (UTC+3)."},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !en.Has("results.count") || !en.Has("site.skip") || en.Has("nope") {
		t.Error("Has is wrong")
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestN(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 results"},
		{"en", 1, "1 result"},
		{"en", 2, "2 results"},
		{"en", 1234, "1,234 results"},
		{"en", -1, "-1 result"},
		{"fr", 0, "0 résultat"},
		{"fr", 1, "1 résultat"},
		{"fr", 2, "2 résultats"},
		{"fr", 1000000, "1\u202f000\u202f000 de résultats"},
		{"fr", 1000001, "1\u202f000\u202f001 résultats"},
		{"de", 1, "1 Ergebnis"},
		{"de", 7, "7 Ergebnisse"},
		{"el", 1, "1 αποτέλεσμα"},
		{"el", 3, "3 αποτελέσματα"},
		{"it", 1, "1 risultato"},
		{"it", 0, "0 risultati"},
		{"it", 2000000, "2.000.000 di risultati"},
		{"es", 1, "1 resultado"},
		{"es", 1234, "1234 resultados"},
		{"es", 12345, "12.345 resultados"},
		{"es", 1000000, "1.000.000 de resultados"},
		{"sv", 1, "1 resultat"},
		{"sv", 10, "10 resultat"},
		{"ro", 0, "0 rezultate"},
		{"ro", 1, "1 rezultat"},
		{"ro", 2, "2 rezultate"},
		{"ro", 19, "19 rezultate"},
		{"ro", 20, "20 de rezultate"},
		{"ro", 101, "101 de rezultate"},
		{"ro", 102, "102 rezultate"},
		{"ro", 1000, "1.000 de rezultate"},
	}
	for _, tt := range tests {
		if got := locale.MustGet(tt.lang).N("results.count", tt.n); got != tt.want {
			t.Errorf("%s N(results.count, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	en := locale.MustGet("en")
	if got := en.N("no.such.key", 3); got != "no.such.key" {
		t.Errorf("N missing key = %q", got)
	}
	if got := en.N("pager.page", 3, "total", 9); got != "Page 3 of 9" {
		t.Errorf("N on a plain key = %q", got)
	}
	if got := locale.MustGet("ro").N("learn.days", 21); got != "21 de zile" {
		t.Errorf("ro learn.days 21 = %q", got)
	}
}

func ExampleLocale_N() {
	es := locale.MustGet("es")
	for _, n := range []int{0, 1, 3, 1000000} {
		fmt.Println(es.N("results.count", n))
	}
	// Output:
	// 0 resultados
	// 1 resultado
	// 3 resultados
	// 1.000.000 de resultados
}
