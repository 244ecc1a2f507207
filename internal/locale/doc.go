// Package locale holds everything language-specific that the public site
// needs for its eight UI languages (en, fr, de, el, it, es, sv, ro): UI
// strings, dates and times, time zones, numbers, file sizes, language and
// country names, visitor language matching and localised URL section names.
//
// # Choices
//
// Formats follow CLDR for each language. The data (month and weekday names,
// date, time and interval patterns, number symbols, plural rules) is copied
// into data.go and plural.go in CLDR's own pattern syntax, so each entry can
// be checked against CLDR, and compiled once at init. Formatting then walks
// precompiled tokens into a stack buffer: the returned string is normally the
// only allocation. golang.org/x/text supplies what it has current data for:
// language and country names and Accept-Language matching. Its number and
// plural tables date from CLDR 32, older than the French narrow no-break
// space and the "many" plural category of fr, it and es, hence our own.
//
// English is British English (CLDR en-GB): "28 June 2024", a 24-hour clock,
// day before month. The product is European and so are its readers.
//
// Every *Locale is built at init, shared and immutable; there is no mutable
// package state. Methods format t in t's own location, so callers convert to
// the venue's zone (t.In) first. time/tzdata is linked in so zones resolve
// without system zoneinfo.
//
// # Catalogues
//
// UI strings live in catalog/{lang}.json, one flat JSON object per language
// mapping a key to a string, embedded in the binary. Keys are grouped by a
// dotted prefix ("site.", "event.", "learn.", ...). Placeholders are written
// {name} and filled from T's name, value arguments. A plural key has one
// entry per CLDR category of the language, "results.count#one",
// "results.count#other", plus "#few" in Romanian and "#many" in French,
// Italian and Spanish; N picks the variant and fills {n}. en.json is the
// reference: the tests require every other catalogue to have exactly its
// keys, non-empty and with the same placeholders.
//
// # Adding a language
//
//  1. Add its code to Supported (locale.go) in menu order.
//  2. Add a langData entry to data.go from CLDR's ca-gregorian.json and
//     numbers.json for it (months, weekdays, full/long/medium/short patterns,
//     yMMMM, the yMMMMd or yMMMd and Hm/hm intervalFormats, symbols,
//     minimumGroupingDigits), its URL slugs and its plural rule from
//     plurals.xml (plural.go).
//  3. Translate en.json into catalog/{code}.json with the plural categories
//     of the new rule.
//  4. Add the language to the test tables; go test reports any key,
//     placeholder or plural form that is missing.
package locale
