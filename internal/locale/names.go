package locale

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// LanguageName returns the name of the language code (any ISO 639-1 or BCP 47
// code) in this locale's language, as running text writes it mid-sentence:
// "German" in English, "Deutsch" in German (nouns are capitalised),
// "allemand" in French, "γερμανικά" in Greek ("στα γερμανικά"). The names
// are golang.org/x/text/language/display's (CLDR), whose Greek names are
// capitalised as a menu shows them; Greek is lowered here. A list or menu
// that shows a name on its own capitalises it (capitalizeFirst in the web
// package, Autonym). An unknown code is returned as is.
func (l *Locale) LanguageName(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	name := l.languages.Name(tag)
	if name == "" {
		return code
	}
	if l.d.lowerLanguageNames {
		r, size := utf8.DecodeRuneInString(name)
		if low := unicode.ToLower(r); low != r {
			return string(low) + name[size:]
		}
	}
	return name
}

// CountryName returns the name of an ISO 3166-1 alpha-2 region code in this
// locale's language: "RO" is "Romania", "Rumänien", "Ρουμανία". An unknown
// code is returned as is.
func (l *Locale) CountryName(code string) string {
	region, err := language.ParseRegion(code)
	if err != nil || region.String() == "ZZ" { // ZZ: x/text's "Unknown Region"
		return code
	}
	if name := l.regions.Name(region); name != "" {
		return name
	}
	return code
}

// autonyms caches Autonym for the supported languages, which the language
// menu asks for on every page. Read-only after init.
var autonyms = map[string]string{}

func initAutonyms() {
	for _, lang := range supported {
		autonyms[lang] = autonym(lang)
	}
}

// Autonym returns a language's name in that language with its first letter
// capitalised, as a language menu shows it: "Deutsch", "Français",
// "Ελληνικά", "Svenska", "Română". An unknown code is returned as is.
func Autonym(code string) string {
	if name, ok := autonyms[code]; ok {
		return name
	}
	return autonym(code)
}

func autonym(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	name := display.Self.Name(tag)
	if name == "" {
		return code
	}
	r, size := utf8.DecodeRuneInString(name)
	if up := unicode.ToTitle(r); up != r {
		return string(up) + name[size:]
	}
	return name
}

// Name returns the autonym of the locale's own language, for the menu.
func (l *Locale) Name() string { return Autonym(l.Lang) }

// matcher picks a supported language from a visitor's preferences. Built once
// from the private copy of Supported, so its indexes follow that copy.
var matcher = language.NewMatcher(func() []language.Tag {
	tags := make([]language.Tag, len(supported))
	for i, s := range supported {
		tags[i] = language.MustParse(s)
	}
	return tags
}())

// Match returns the supported language that best serves an Accept-Language
// header: "de-AT,de;q=0.9" gives "de", "ro-MD" gives "ro". Anything without a
// real match ("pt-BR", "*", an empty or malformed header) gives Default.
// Close relatives count as matches where CLDR says readers understand them
// (Galician is served Spanish).
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(supported) {
		return Default
	}
	return supported[i]
}
