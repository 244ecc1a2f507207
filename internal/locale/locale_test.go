package locale_test

import (
	"slices"
	"testing"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/alliance-platform/alliance/internal/locale"
)

func TestGet(t *testing.T) {
	for _, lang := range locale.Supported {
		l, ok := locale.Get(lang)
		if !ok || l.Lang != lang || l.Tag.String() != lang {
			t.Fatalf("Get(%q) = %v, %v", lang, l, ok)
		}
		if again, _ := locale.Get(lang); again != l {
			t.Errorf("Get(%q) returned a different *Locale", lang)
		}
	}
	if l, ok := locale.Get("DE"); !ok || l.Lang != "de" {
		t.Errorf("Get is case-sensitive")
	}
	for _, bad := range []string{"", "pt", "de-AT", "english"} {
		if _, ok := locale.Get(bad); ok {
			t.Errorf("Get(%q) succeeded", bad)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MustGet(pt) did not panic")
		}
	}()
	locale.MustGet("pt")
}

func TestSupportedIsACopy(t *testing.T) {
	// Callers may reslice or sort the exported tables; lookups must not move.
	saved := slices.Clone(locale.Supported)
	locale.Supported[0], locale.Supported[1] = locale.Supported[1], locale.Supported[0]
	defer copy(locale.Supported, saved)
	if got := locale.Match("de"); got != "de" {
		t.Errorf("Match(de) = %q after Supported was reordered", got)
	}
	if got := locale.Match("pt"); got != "en" {
		t.Errorf("Match(pt) = %q after Supported was reordered", got)
	}
}

func TestMatch(t *testing.T) {
	tests := map[string]string{
		"de-AT,de;q=0.9":                   "de",
		"de":                               "de",
		"fr-CH, fr;q=0.9, en;q=0.8":        "fr",
		"en-US,en;q=0.9":                   "en",
		"el-GR":                            "el",
		"el-CY":                            "el",
		"it-IT":                            "it",
		"es-419":                           "es",
		"sv-FI":                            "sv",
		"ro-RO":                            "ro",
		"ro-MD":                            "ro",
		"fr;q=0.5, de;q=0.7":               "de",
		"pt-BR,pt;q=0.9,it;q=0.5":          "it",
		"pt-BR":                            "en",
		"zh-CN":                            "en",
		"*":                                "en",
		"":                                 "en",
		"garbage!!":                        "en",
		";;;,,,q=":                         "en",
		"de;q=0":                           "en",
		"xx-invalid-tag-way-too-long-1234": "en",
	}
	for header, want := range tests {
		if got := locale.Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestSections(t *testing.T) {
	// Section ids and their slugs, by language (the list of sections is internal/web's registry).
	want := map[string]map[string]string{
		"en": {"news": "news", "resources": "resources", "events": "events", "learn": "learn", "calls": "calls", "members": "members"},
		"fr": {"news": "actualites", "resources": "ressources", "events": "evenements", "learn": "apprendre", "calls": "appels", "members": "membres"},
		"de": {"news": "news", "resources": "ressourcen", "events": "veranstaltungen", "learn": "lernen", "calls": "ausschreibungen", "members": "mitglieder"},
		"el": {"news": "nea", "resources": "poroi", "events": "ekdiloseis", "learn": "mathisi", "calls": "proskliseis", "members": "meli"},
		"it": {"news": "notizie", "resources": "risorse", "events": "eventi", "learn": "imparare", "calls": "bandi", "members": "membri"},
		"es": {"news": "noticias", "resources": "recursos", "events": "eventos", "learn": "aprender", "calls": "convocatorias", "members": "miembros"},
		"sv": {"news": "nyheter", "resources": "resurser", "events": "evenemang", "learn": "lara", "calls": "utlysningar", "members": "medlemmar"},
		"ro": {"news": "stiri", "resources": "resurse", "events": "evenimente", "learn": "invata", "calls": "apeluri", "members": "membri"},
	}
	for _, lang := range locale.Supported {
		l := locale.MustGet(lang)
		seen := map[string]string{}
		for section, wantSlug := range want[lang] {
			slug := l.SectionSlug(section)
			if slug != wantSlug || !l.HasSection(section) {
				t.Errorf("%s SectionSlug(%q) = %q, want %q", lang, section, slug, wantSlug)
			}
			if prev, dup := seen[slug]; dup {
				t.Errorf("%s: slug %q used by %q and %q", lang, slug, prev, section)
			}
			seen[slug] = section
			if back, ok := l.SectionBySlug(slug); !ok || back != section {
				t.Errorf("%s SectionBySlug(%q) = %q, %v, want %q", lang, slug, back, ok, section)
			}
			if !l.Has("section." + section) {
				t.Errorf("%s has no title for section %q", lang, section)
			}
		}
		if _, ok := l.SectionBySlug("nope"); ok {
			t.Errorf("%s SectionBySlug(nope) matched", lang)
		}
		if got := l.SectionSlug("unknown"); got != "unknown" || l.HasSection("unknown") {
			t.Errorf("%s SectionSlug(unknown) = %q", lang, got)
		}
	}
	if _, ok := locale.MustGet("fr").SectionBySlug("news"); ok {
		t.Error("fr accepted the English slug")
	}
}

func TestNames(t *testing.T) {
	langName := map[string]string{
		"en": "German", "fr": "allemand", "de": "Deutsch", "el": "γερμανικά",
		"it": "tedesco", "es": "alemán", "sv": "tyska", "ro": "germană",
	}
	country := map[string]string{
		"en": "Romania", "fr": "Roumanie", "de": "Rumänien", "el": "Ρουμανία",
		"it": "Romania", "es": "Rumanía", "sv": "Rumänien", "ro": "România",
	}
	autonym := map[string]string{
		"en": "English", "fr": "Français", "de": "Deutsch", "el": "Ελληνικά",
		"it": "Italiano", "es": "Español", "sv": "Svenska", "ro": "Română",
	}
	for _, lang := range locale.Supported {
		l := locale.MustGet(lang)
		if got := l.LanguageName("de"); got != langName[lang] {
			t.Errorf("%s LanguageName(de) = %q, want %q", lang, got, langName[lang])
		}
		if got := l.CountryName("RO"); got != country[lang] {
			t.Errorf("%s CountryName(RO) = %q, want %q", lang, got, country[lang])
		}
		if got := locale.Autonym(lang); got != autonym[lang] {
			t.Errorf("Autonym(%q) = %q, want %q", lang, got, autonym[lang])
		}
		if l.Name() != autonym[lang] {
			t.Errorf("%s Name() = %q", lang, l.Name())
		}
	}
	en := locale.MustGet("en")
	for code, want := range map[string]string{"pt": "Portuguese", "fi": "Finnish", "ga": "Irish", "??": "??"} {
		if got := en.LanguageName(code); got != want {
			t.Errorf("en LanguageName(%q) = %q, want %q", code, got, want)
		}
	}
	if got := locale.Autonym("pl"); got != "Polski" {
		t.Errorf("Autonym(pl) = %q", got)
	}
	if got := en.CountryName("ZZZ"); got != "ZZZ" {
		t.Errorf("CountryName(ZZZ) = %q", got)
	}
	if got := locale.MustGet("de").CountryName("gr"); got != "Griechenland" {
		t.Errorf("de CountryName(gr) = %q", got)
	}
}

// TestPluralRulesAgreeWithXText checks our integer rules against
// golang.org/x/text/feature/plural (CLDR 32) everywhere except the two
// documented changes of later CLDR: "many" for exact millions in fr, it, es,
// and Romanian "few" no longer covering 101, 201, ...
func TestPluralRulesAgreeWithXText(t *testing.T) {
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two", plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	var ns []int
	for n := 0; n <= 2100; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 1_000_000, 1_000_001, 2_000_000, 10_000_101, 1_000_000_000)
	for _, lang := range locale.Supported {
		l := locale.MustGet(lang)
		tag := language.MustParse(lang)
		for _, n := range ns {
			got := l.PluralCategory(n)
			want := names[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]
			switch {
			case (lang == "fr" || lang == "it" || lang == "es") && n != 0 && n%1_000_000 == 0:
				want = "many"
			case lang == "ro" && n != 1 && n%100 == 1:
				want = "other"
			}
			if got != want {
				t.Errorf("%s PluralCategory(%d) = %s, want %s", lang, n, got, want)
			}
		}
		if got := l.PluralCategory(-1); got != "one" {
			t.Errorf("%s PluralCategory(-1) = %s, want one", lang, got)
		}
	}
}

// The formatters run on every page: keep them to the one allocation of the
// returned string, and T of a plain key to none.
func TestAllocations(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("instrumentation adds allocations")
	}
	de := locale.MustGet("de")
	d := time.Date(2026, time.March, 23, 9, 0, 0, 0, time.UTC)
	e := d.AddDate(0, 0, 4)
	checks := []struct {
		name string
		max  float64
		f    func()
	}{
		{"T plain", 0, func() { _ = de.T("site.skip") }},
		{"T missing", 0, func() { _ = de.T("no.such.key") }},
		{"Date", 1, func() { _ = de.Date(d) }},
		{"DateWeekday", 1, func() { _ = de.DateWeekday(d) }},
		{"DateRange", 1, func() { _ = de.DateRange(d, e) }},
		{"TimeRange", 1, func() { _ = de.TimeRange(d, e) }},
		{"Int", 1, func() { _ = de.Int(1234567) }},
		{"Number", 1, func() { _ = de.Number(12345.5) }},
		{"FileSize", 1, func() { _ = de.FileSize(1_234_567) }},
		{"Zone", 1, func() { _ = de.Zone(d) }},
	}
	for _, c := range checks {
		if got := testing.AllocsPerRun(100, c.f); got > c.max {
			t.Errorf("%s: %v allocations per call, want at most %v", c.name, got, c.max)
		}
	}
}

func BenchmarkDate(b *testing.B) {
	l := locale.MustGet("el")
	t := time.Date(2026, time.June, 11, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = l.Date(t)
	}
}

func BenchmarkDateRange(b *testing.B) {
	l := locale.MustGet("es")
	a := time.Date(2026, time.March, 30, 9, 0, 0, 0, time.UTC)
	z := time.Date(2026, time.April, 2, 17, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		_ = l.DateRange(a, z)
	}
}

func BenchmarkT(b *testing.B) {
	l := locale.MustGet("fr")
	b.ReportAllocs()
	for b.Loop() {
		_ = l.T("site.skip")
	}
}

func BenchmarkTArgs(b *testing.B) {
	l := locale.MustGet("fr")
	b.ReportAllocs()
	for b.Loop() {
		_ = l.T("fallback.notice", "language", "allemand", "original", "anglais")
	}
}

func BenchmarkN(b *testing.B) {
	l := locale.MustGet("ro")
	b.ReportAllocs()
	for b.Loop() {
		_ = l.N("results.count", 1234)
	}
}

func TestOGLocale(t *testing.T) {
	for lang, want := range map[string]string{"en": "en_GB", "fr": "fr_FR", "de": "de_DE", "el": "el_GR",
		"it": "it_IT", "es": "es_ES", "sv": "sv_SE", "ro": "ro_RO", "xx": "xx_XX"} {
		if got := locale.OGLocale(lang); got != want {
			t.Errorf("OGLocale(%q) = %q, want %q", lang, got, want)
		}
	}
}
