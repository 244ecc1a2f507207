package locale_test

import (
	"math"
	"testing"
	"time"

	"github.com/alliance-platform/alliance/internal/locale"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func at(h, m int) time.Time { return time.Date(2026, time.June, 11, h, m, 0, 0, time.UTC) }

// byLang is a table with one expected value per supported language.
type byLang map[string]string

func checkAll(t *testing.T, what string, want byLang, f func(*locale.Locale) string) {
	t.Helper()
	if len(want) != len(locale.Supported) {
		t.Fatalf("%s: table has %d languages, want %d", what, len(want), len(locale.Supported))
	}
	for _, lang := range locale.Supported {
		if got := f(locale.MustGet(lang)); got != want[lang] {
			t.Errorf("%s [%s] = %q, want %q", what, lang, got, want[lang])
		}
	}
}

func TestDate(t *testing.T) {
	checkAll(t, "Date(2024-06-28)", byLang{
		"en": "28 June 2024", "de": "28. Juni 2024", "fr": "28 juin 2024", "el": "28 Ιουνίου 2024",
		"it": "28 giugno 2024", "es": "28 de junio de 2024", "sv": "28 juni 2024", "ro": "28 iunie 2024",
	}, func(l *locale.Locale) string { return l.Date(day(2024, time.June, 28)) })

	checkAll(t, "Date(2026-05-01)", byLang{
		"en": "1 May 2026", "de": "1. Mai 2026", "fr": "1 mai 2026", "el": "1 Μαΐου 2026",
		"it": "1 maggio 2026", "es": "1 de mayo de 2026", "sv": "1 maj 2026", "ro": "1 mai 2026",
	}, func(l *locale.Locale) string { return l.Date(day(2026, time.May, 1)) })
}

func TestDateUsesLocation(t *testing.T) {
	// 23:30 UTC on 31 December is already 1 January in Bucharest.
	buc, err := time.LoadLocation("Europe/Bucharest")
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2026, time.December, 31, 23, 30, 0, 0, time.UTC)
	if got := locale.MustGet("ro").Date(ts.In(buc)); got != "1 ianuarie 2027" {
		t.Errorf("got %q", got)
	}
}

func TestDateWeekday(t *testing.T) {
	// CLDR's full patterns: en-GB and de, es, ro put a comma after the weekday.
	checkAll(t, "DateWeekday(2026-06-11)", byLang{
		"en": "Thursday, 11 June 2026", "de": "Donnerstag, 11. Juni 2026", "fr": "jeudi 11 juin 2026",
		"el": "Πέμπτη 11 Ιουνίου 2026", "it": "giovedì 11 giugno 2026", "es": "jueves, 11 de junio de 2026",
		"sv": "torsdag 11 juni 2026", "ro": "joi, 11 iunie 2026",
	}, func(l *locale.Locale) string { return l.DateWeekday(day(2026, time.June, 11)) })
}

func TestMonthYear(t *testing.T) {
	checkAll(t, "MonthYear(2026-06)", byLang{
		"en": "June 2026", "de": "Juni 2026", "fr": "juin 2026", "el": "Ιούνιος 2026",
		"it": "giugno 2026", "es": "junio de 2026", "sv": "juni 2026", "ro": "iunie 2026",
	}, func(l *locale.Locale) string { return l.MonthYear(day(2026, time.June, 11)) })
}

func TestDateShort(t *testing.T) {
	checkAll(t, "DateShort(2024-06-28)", byLang{
		"en": "28 Jun 2024", "de": "28.06.2024", "fr": "28 juin 2024", "el": "28 Ιουν 2024",
		"it": "28 giu 2024", "es": "28 jun 2024", "sv": "28 juni 2024", "ro": "28 iun. 2024",
	}, func(l *locale.Locale) string { return l.DateShort(day(2024, time.June, 28)) })

	checkAll(t, "DateShort(2024-09-03)", byLang{
		"en": "3 Sept 2024", "de": "03.09.2024", "fr": "3 sept. 2024", "el": "3 Σεπ 2024",
		"it": "3 set 2024", "es": "3 sept 2024", "sv": "3 sep. 2024", "ro": "3 sept. 2024",
	}, func(l *locale.Locale) string { return l.DateShort(day(2024, time.September, 3)) })
}

func TestDateRange(t *testing.T) {
	tests := []struct {
		name string
		a, b time.Time
		want byLang
	}{
		{"same month", day(2026, time.March, 23), day(2026, time.March, 27), byLang{
			"en": "23–27 March 2026", "de": "23.–27. März 2026", "fr": "23–27 mars 2026",
			"el": "23–27 Μαρτίου 2026", "it": "23–27 marzo 2026", "es": "23–27 de marzo de 2026",
			"sv": "23–27 mars 2026", "ro": "23–27 martie 2026",
		}},
		// Italian's CLDR interval pads days to two digits.
		{"same month, one-digit days", day(2026, time.March, 2), day(2026, time.March, 5), byLang{
			"en": "2–5 March 2026", "de": "2.–5. März 2026", "fr": "2–5 mars 2026",
			"el": "2–5 Μαρτίου 2026", "it": "02–05 marzo 2026", "es": "2–5 de marzo de 2026",
			"sv": "2–5 mars 2026", "ro": "2–5 martie 2026",
		}},
		{"cross month", day(2026, time.March, 30), day(2026, time.April, 2), byLang{
			"en": "30 March – 2 April 2026", "de": "30. März – 2. April 2026", "fr": "30 mars – 2 avril 2026",
			"el": "30 Μαρτίου – 2 Απριλίου 2026", "it": "30 marzo – 02 aprile 2026",
			"es": "30 de marzo – 2 de abril de 2026", "sv": "30 mars–2 april 2026",
			"ro": "30 martie – 2 aprilie 2026",
		}},
		{"cross year", day(2026, time.December, 30), day(2027, time.January, 2), byLang{
			"en": "30 December 2026 – 2 January 2027", "de": "30. Dezember 2026 – 2. Januar 2027",
			"fr": "30 décembre 2026 – 2 janvier 2027", "el": "30 Δεκεμβρίου 2026 – 2 Ιανουαρίου 2027",
			"it": "30 dicembre 2026 – 02 gennaio 2027", "es": "30 de diciembre de 2026 – 2 de enero de 2027",
			"sv": "30 december 2026–2 januari 2027", "ro": "30 decembrie 2026 – 2 ianuarie 2027",
		}},
		{"same day", time.Date(2026, time.June, 11, 9, 0, 0, 0, time.UTC), time.Date(2026, time.June, 11, 17, 0, 0, 0, time.UTC), byLang{
			"en": "11 June 2026", "de": "11. Juni 2026", "fr": "11 juin 2026", "el": "11 Ιουνίου 2026",
			"it": "11 giugno 2026", "es": "11 de junio de 2026", "sv": "11 juni 2026", "ro": "11 iunie 2026",
		}},
		{"reversed", day(2026, time.March, 27), day(2026, time.March, 23), byLang{
			"en": "23–27 March 2026", "de": "23.–27. März 2026", "fr": "23–27 mars 2026",
			"el": "23–27 Μαρτίου 2026", "it": "23–27 marzo 2026", "es": "23–27 de marzo de 2026",
			"sv": "23–27 mars 2026", "ro": "23–27 martie 2026",
		}},
	}
	for _, tt := range tests {
		checkAll(t, "DateRange "+tt.name, tt.want, func(l *locale.Locale) string { return l.DateRange(tt.a, tt.b) })
	}
}

func TestTime(t *testing.T) {
	checkAll(t, "Time(09:00)", byLang{
		"en": "09:00", "de": "09:00", "fr": "09:00", "el": "9:00 π.μ.",
		"it": "09:00", "es": "9:00", "sv": "09:00", "ro": "09:00",
	}, func(l *locale.Locale) string { return l.Time(at(9, 0)) })

	el := locale.MustGet("el")
	for _, tt := range []struct {
		h, m int
		want string
	}{{0, 30, "12:30 π.μ."}, {12, 0, "12:00 μ.μ."}, {14, 5, "2:05 μ.μ."}, {23, 59, "11:59 μ.μ."}} {
		if got := el.Time(at(tt.h, tt.m)); got != tt.want {
			t.Errorf("el Time(%02d:%02d) = %q, want %q", tt.h, tt.m, got, tt.want)
		}
	}
	if got := locale.MustGet("es").Time(at(14, 5)); got != "14:05" {
		t.Errorf("es Time(14:05) = %q", got)
	}
}

func TestTimeRange(t *testing.T) {
	checkAll(t, "TimeRange(09:00, 10:30)", byLang{
		"en": "09:00–10:30", "de": "09:00–10:30 Uhr", "fr": "09:00 – 10:30", "el": "9:00–10:30 π.μ.",
		"it": "09:00–10:30", "es": "9:00–10:30", "sv": "09:00–10:30", "ro": "09:00–10:30",
	}, func(l *locale.Locale) string { return l.TimeRange(at(9, 0), at(10, 30)) })

	checkAll(t, "TimeRange(11:00, 13:30)", byLang{
		"en": "11:00–13:30", "de": "11:00–13:30 Uhr", "fr": "11:00 – 13:30", "el": "11:00 π.μ. – 1:30 μ.μ.",
		"it": "11:00–13:30", "es": "11:00–13:30", "sv": "11:00–13:30", "ro": "11:00–13:30",
	}, func(l *locale.Locale) string { return l.TimeRange(at(11, 0), at(13, 30)) })

	checkAll(t, "TimeRange equal", byLang{
		"en": "09:00", "de": "09:00", "fr": "09:00", "el": "9:00 π.μ.",
		"it": "09:00", "es": "9:00", "sv": "09:00", "ro": "09:00",
	}, func(l *locale.Locale) string { return l.TimeRange(at(9, 0), at(9, 0)) })

	// The end is read in the start's zone.
	buc, _ := time.LoadLocation("Europe/Bucharest")
	a := time.Date(2026, time.June, 11, 9, 0, 0, 0, buc)
	b := time.Date(2026, time.June, 11, 7, 30, 0, 0, time.UTC) // 10:30 in Bucharest
	if got := locale.MustGet("en").TimeRange(a, b); got != "09:00–10:30" {
		t.Errorf("cross-zone TimeRange = %q", got)
	}
}

func TestZone(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatalf("LoadLocation(%q): %v", name, err)
		}
		return loc
	}
	tests := []struct {
		zone string
		when time.Time
		want string
	}{
		{"Europe/Bucharest", day(2026, time.June, 15), "EEST (UTC+3)"},
		{"Europe/Bucharest", day(2026, time.January, 15), "EET (UTC+2)"},
		{"Europe/Berlin", day(2026, time.June, 15), "CEST (UTC+2)"},
		{"Asia/Kolkata", day(2026, time.June, 15), "IST (UTC+5:30)"},
		{"America/St_Johns", day(2026, time.January, 15), "NST (UTC-3:30)"},
		{"Asia/Kathmandu", day(2026, time.June, 15), "UTC+5:45"}, // IANA abbreviation "+0545"
		{"America/Sao_Paulo", day(2026, time.June, 15), "UTC-3"}, // IANA abbreviation "-03"
		{"Europe/Istanbul", day(2026, time.June, 15), "UTC+3"},   // IANA abbreviation "+03"
		{"Europe/London", day(2026, time.January, 15), "GMT (UTC)"},
		{"UTC", day(2026, time.January, 15), "UTC"},
	}
	en := locale.MustGet("en")
	for _, tt := range tests {
		if got := en.Zone(tt.when.In(load(tt.zone))); got != tt.want {
			t.Errorf("Zone(%s, %s) = %q, want %q", tt.zone, tt.when.Format("Jan"), got, tt.want)
		}
	}

	summer := day(2026, time.June, 15).In(load("Europe/Bucharest"))
	checkAll(t, "Zone(Bucharest, June)", byLang{
		"en": "EEST (UTC+3)", "de": "EEST (UTC+3)", "fr": "EEST (UTC+3)", "el": "EEST (UTC+3)",
		"it": "EEST (UTC+3)", "es": "EEST (UTC+3)", "sv": "EEST (UTC+3)", "ro": "EEST (UTC+3)",
	}, func(l *locale.Locale) string { return l.Zone(summer) })
	// Swedish writes negative offsets with a real minus sign.
	if got := locale.MustGet("sv").Zone(day(2026, time.June, 15).In(load("America/Sao_Paulo"))); got != "UTC\u22123" {
		t.Errorf("sv Zone(Sao_Paulo) = %q", got)
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		n    int
		want byLang
	}{
		{0, byLang{"en": "0", "fr": "0", "de": "0", "el": "0", "it": "0", "es": "0", "sv": "0", "ro": "0"}},
		{999, byLang{"en": "999", "fr": "999", "de": "999", "el": "999", "it": "999", "es": "999", "sv": "999", "ro": "999"}},
		{1234, byLang{"en": "1,234", "fr": "1\u202f234", "de": "1.234", "el": "1.234", "it": "1.234",
			"es": "1234", "sv": "1\u00a0234", "ro": "1.234"}},
		{12345, byLang{"en": "12,345", "fr": "12\u202f345", "de": "12.345", "el": "12.345", "it": "12.345",
			"es": "12.345", "sv": "12\u00a0345", "ro": "12.345"}},
		{1234567, byLang{"en": "1,234,567", "fr": "1\u202f234\u202f567", "de": "1.234.567", "el": "1.234.567",
			"it": "1.234.567", "es": "1.234.567", "sv": "1\u00a0234\u00a0567", "ro": "1.234.567"}},
		{-1234, byLang{"en": "-1,234", "fr": "-1\u202f234", "de": "-1.234", "el": "-1.234", "it": "-1.234",
			"es": "-1234", "sv": "\u22121\u00a0234", "ro": "-1.234"}},
	}
	for _, tt := range tests {
		checkAll(t, "Int", tt.want, func(l *locale.Locale) string { return l.Int(tt.n) })
	}
	if got := locale.MustGet("en").Int(math.MinInt64); got != "-9,223,372,036,854,775,808" {
		t.Errorf("Int(MinInt64) = %q", got)
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		f    float64
		want byLang
	}{
		{2.5, byLang{"en": "2.5", "fr": "2,5", "de": "2,5", "el": "2,5", "it": "2,5", "es": "2,5", "sv": "2,5", "ro": "2,5"}},
		{1234, byLang{"en": "1,234", "fr": "1\u202f234", "de": "1.234", "el": "1.234", "it": "1.234",
			"es": "1234", "sv": "1\u00a0234", "ro": "1.234"}},
		{12345.5, byLang{"en": "12,345.5", "fr": "12\u202f345,5", "de": "12.345,5", "el": "12.345,5",
			"it": "12.345,5", "es": "12.345,5", "sv": "12\u00a0345,5", "ro": "12.345,5"}},
		// Halves round to even, as in ICU's default rounding mode.
		{0.125, byLang{"en": "0.12", "fr": "0,12", "de": "0,12", "el": "0,12", "it": "0,12", "es": "0,12", "sv": "0,12", "ro": "0,12"}},
		{-7.25, byLang{"en": "-7.25", "fr": "-7,25", "de": "-7,25", "el": "-7,25", "it": "-7,25", "es": "-7,25", "sv": "\u22127,25", "ro": "-7,25"}},
	}
	for _, tt := range tests {
		checkAll(t, "Number", tt.want, func(l *locale.Locale) string { return l.Number(tt.f) })
	}
	en := locale.MustGet("en")
	for f, want := range map[float64]string{3: "3", 3.10: "3.1", 1.999: "2", -0.001: "0", 1e6: "1,000,000"} {
		if got := en.Number(f); got != want {
			t.Errorf("en Number(%v) = %q, want %q", f, got, want)
		}
	}
	if got := en.Number(math.NaN()); got != "NaN" {
		t.Errorf("Number(NaN) = %q", got)
	}
	if got := en.Number(math.Inf(-1)); got != "-∞" {
		t.Errorf("Number(-Inf) = %q", got)
	}
}

func TestFileSize(t *testing.T) {
	const nb = "\u00a0"
	tests := []struct {
		bytes int64
		want  byLang
	}{
		{399_000, byLang{"en": "399" + nb + "kB", "fr": "399" + nb + "ko", "de": "399" + nb + "kB", "el": "399" + nb + "kB",
			"it": "399" + nb + "kB", "es": "399" + nb + "kB", "sv": "399" + nb + "kB", "ro": "399" + nb + "kB"}},
		{1_234_567, byLang{"en": "1.2" + nb + "MB", "fr": "1,2" + nb + "Mo", "de": "1,2" + nb + "MB", "el": "1,2" + nb + "MB",
			"it": "1,2" + nb + "MB", "es": "1,2" + nb + "MB", "sv": "1,2" + nb + "MB", "ro": "1,2" + nb + "MB"}},
		{2_500_000_000, byLang{"en": "2.5" + nb + "GB", "fr": "2,5" + nb + "Go", "de": "2,5" + nb + "GB", "el": "2,5" + nb + "GB",
			"it": "2,5" + nb + "GB", "es": "2,5" + nb + "GB", "sv": "2,5" + nb + "GB", "ro": "2,5" + nb + "GB"}},
	}
	for _, tt := range tests {
		checkAll(t, "FileSize", tt.want, func(l *locale.Locale) string { return l.FileSize(tt.bytes) })
	}
	en := locale.MustGet("en")
	for b, want := range map[int64]string{
		0: "0", -5: "0", 1: "1", 499: "1", 500: "1", 1499: "1", 1500: "2", 999_499: "999",
		999_500: "1.0", 1_000_000: "1.0", 1_049_999: "1.0", 1_050_000: "1.1", 999_949_999: "999.9",
		999_950_000: "1.0", math.MaxInt64: "9,223,372,036.9",
	} {
		got := en.FileSize(b)
		if got[:len(got)-len(nb)-2] != want {
			t.Errorf("en FileSize(%d) = %q, want %q and a unit", b, got, want)
		}
	}
}
