package locale

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Supported lists the languages of the UI, in menu order.
//
// It is exported for templates and routers to range over; the package keeps
// its own copy, so changing this slice does not change what Get accepts.
var Supported = []string{"en", "fr", "de", "el", "it", "es", "sv", "ro"}

// Default is the language used when nothing better is known.
const Default = "en"

// supported is the package's private copy of Supported.
var supported = append([]string(nil), Supported...)

// Locale bundles everything language-specific for one UI language. Values are
// built once at init and shared: a *Locale is safe for concurrent use, and
// its exported fields are for reading only.
type Locale struct {
	Lang string       // ISO 639-1 code, as in Supported: "de"
	Tag  language.Tag // the same language as a BCP 47 tag

	d   *langData
	cat catalog

	// Compiled CLDR patterns.
	full, long, medium, monthYear, timeShort pattern
	rangeDay, rangeMonth, rangeYear          [2]pattern
	timeRange, timeRangePeriod               [2]pattern

	languages display.Namer
	regions   display.Namer
	bySlug    map[string]string
}

// registry holds one Locale per supported language. Read-only after init.
var registry = map[string]*Locale{}

func init() {
	for _, lang := range supported {
		l, err := build(lang)
		if err != nil {
			// The data and catalogues are compiled into the binary, so an
			// error here is a build defect that the tests catch first.
			panic(err)
		}
		registry[lang] = l
	}
	initAutonyms()
}

func build(lang string) (*Locale, error) {
	d, ok := data[lang]
	if !ok {
		return nil, fmt.Errorf("locale: no CLDR data for %q", lang)
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return nil, err
	}
	l := &Locale{Lang: lang, Tag: tag, d: d}

	c := &d.cal
	for _, p := range []struct {
		dst *pattern
		src string
	}{
		{&l.full, c.full}, {&l.long, c.long}, {&l.medium, c.medium},
		{&l.monthYear, c.monthYear}, {&l.timeShort, c.timeShort},
	} {
		if *p.dst, err = compile(p.src); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct {
		dst *[2]pattern
		src string
	}{
		{&l.rangeDay, c.rangeDay}, {&l.rangeMonth, c.rangeMonth}, {&l.rangeYear, c.rangeYear},
		{&l.timeRange, c.timeRange}, {&l.timeRangePeriod, c.timeRangePeriod},
	} {
		whole, err := compile(p.src)
		if err != nil {
			return nil, err
		}
		if p.dst[0], p.dst[1], err = splitInterval(whole); err != nil {
			return nil, fmt.Errorf("%w: %q (%s)", err, p.src, lang)
		}
	}

	if l.cat, err = loadCatalog(lang, d); err != nil {
		return nil, err
	}

	l.languages = display.Languages(tag)
	l.regions = display.Regions(tag)

	l.bySlug = make(map[string]string, len(d.slugs))
	for s, slug := range d.slugs {
		if prev, dup := l.bySlug[slug]; dup {
			return nil, fmt.Errorf("locale: %s: slug %q used by %q and %q", lang, slug, prev, s)
		}
		l.bySlug[slug] = s
	}
	return l, nil
}

// Get returns the shared Locale of a supported language ("de"; case does not
// matter). Region subtags are not accepted: use Match for visitor input.
func Get(lang string) (*Locale, bool) {
	if l, ok := registry[lang]; ok {
		return l, true
	}
	l, ok := registry[strings.ToLower(lang)]
	return l, ok
}

// MustGet is Get for languages known to be supported, such as constants and
// values already checked by the router. It panics otherwise.
func MustGet(lang string) *Locale {
	l, ok := Get(lang)
	if !ok {
		panic(fmt.Sprintf("locale: unsupported language %q", lang))
	}
	return l
}

// String returns the language code, so a *Locale prints usefully in logs.
func (l *Locale) String() string { return l.Lang }
