package locale_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/alliance-platform/alliance/internal/locale"
)

// The back office is complete in English, German and Greek: the same keys and placeholders.
func TestBackofficeCatalogues(t *testing.T) {
	en := locale.BackofficeKeys("en")
	if len(en) == 0 {
		t.Fatal("no English back office catalogue")
	}
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	placeholders := func(l *locale.Locale, key string) []string {
		p := placeholder.FindAllString(l.B(key), -1)
		slices.Sort(p)
		return p
	}
	for _, lang := range []string{"de", "el"} {
		if got := locale.BackofficeKeys(lang); !slices.Equal(got, en) {
			t.Errorf("%s back office keys differ from English:\n%v\n%v", lang, got, en)
		}
		l := locale.MustGet(lang)
		for _, k := range en {
			if l.B(k) == "" {
				t.Errorf("%s %s is empty", lang, k)
			}
			if got, want := placeholders(l, k), placeholders(locale.MustGet("en"), k); !slices.Equal(got, want) {
				t.Errorf("%s %s has placeholders %v, English %v", lang, k, got, want)
			}
		}
	}
}

// Every site language shows the back office, in English where its own catalogue lacks a key.
func TestBackofficeFallback(t *testing.T) {
	for _, lang := range locale.Supported {
		l := locale.MustGet(lang)
		got := l.B("signin.title")
		switch lang {
		case "de":
			if got != "Anmelden" {
				t.Errorf("de: %q", got)
			}
		case "el":
			if got != "Σύνδεση" {
				t.Errorf("el: %q", got)
			}
		case "en":
			if got != "Sign in" {
				t.Errorf("en: %q", got)
			}
		default:
			if !l.HasBackoffice("signin.title") && got != "Sign in" {
				t.Errorf("%s falls back to %q, want English", lang, got)
			}
		}
	}
	if got := locale.MustGet("de").B("home.hello", "name", "Ana"); got != "Guten Tag, Ana." {
		t.Errorf("placeholder: %q", got)
	}
	if got := locale.MustGet("en").B("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}
