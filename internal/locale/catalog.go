package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

//go:embed catalog/*.json
var catalogFS embed.FS

// message is a catalogue string split at its {placeholders} once, at init.
type message struct {
	text  string // the string as written
	parts []part // nil when there is no placeholder: T returns text as is
	size  int    // bytes of literal text, to size the output once
}

// part is a literal run, or a placeholder when arg is set.
type part struct {
	lit string
	arg string
}

// pluralMessage holds the variants of a plural key, by category.
type pluralMessage [numCategories]*message

type catalog struct {
	msgs    map[string]*message       // every key as written, "results.count#one" included
	plurals map[string]*pluralMessage // plural keys by base key, "results.count"
	keys    []string                  // sorted, for Keys
}

func loadCatalog(lang string, d *langData) (catalog, error) {
	raw, err := catalogFS.ReadFile("catalog/" + lang + ".json")
	if err != nil {
		return catalog{}, fmt.Errorf("locale: catalogue for %q: %w", lang, err)
	}
	var flat map[string]string
	if err := json.Unmarshal(raw, &flat); err != nil {
		return catalog{}, fmt.Errorf("locale: catalog/%s.json: %w", lang, err)
	}
	c := catalog{
		msgs:    make(map[string]*message, len(flat)),
		plurals: map[string]*pluralMessage{},
		keys:    make([]string, 0, len(flat)),
	}
	for key, text := range flat {
		m := parseMessage(text)
		c.msgs[key] = m
		c.keys = append(c.keys, key)
		base, cat, isPlural := strings.Cut(key, "#")
		if !isPlural {
			continue
		}
		pc, ok := parseCategory(cat)
		if !ok || !slices.Contains(d.categories, pc) {
			return catalog{}, fmt.Errorf("locale: catalog/%s.json: %q: %q is not a plural category of %s", lang, key, cat, lang)
		}
		pm := c.plurals[base]
		if pm == nil {
			pm = new(pluralMessage)
			c.plurals[base] = pm
		}
		pm[pc] = m
	}
	for base, pm := range c.plurals {
		if pm[other] == nil {
			return catalog{}, fmt.Errorf("locale: catalog/%s.json: %q has no #other form", lang, base)
		}
	}
	slices.Sort(c.keys)
	return c, nil
}

// isArgByte reports whether c may appear in a placeholder name.
func isArgByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// parseMessage splits s at {name} placeholders. Braces that do not enclose a
// valid name stay literal text.
func parseMessage(s string) *message {
	m := &message{text: s}
	var parts []part
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		j := i + 1
		for j < len(s) && isArgByte(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != '}' {
			continue
		}
		if start < i {
			parts = append(parts, part{lit: s[start:i]})
			m.size += i - start
		}
		parts = append(parts, part{arg: s[i+1 : j]})
		start = j + 1
		i = j
	}
	if parts == nil {
		return m
	}
	if start < len(s) {
		parts = append(parts, part{lit: s[start:]})
		m.size += len(s) - start
	}
	m.parts = parts
	return m
}

// T returns the UI string for key, with {name} placeholders replaced by the
// following name, value pairs: T("fallback.notice", "language", "Deutsch",
// "original", "English"). Integer values are formatted as quantities with
// Int and floats with Number, so pass years and identifiers as strings
// (German would write the int 2026 as "2.026"). A missing key returns the key
// itself, and a placeholder with no value is left as written, so a gap shows
// on the page instead of failing.
func (l *Locale) T(key string, args ...any) string {
	m, ok := l.cat.msgs[key]
	if !ok {
		return key
	}
	return l.render(m, args, "")
}

// N returns the plural variant of key that the language's CLDR rules choose
// for n ("results.count#one", "#few", "#many" or "#other"), with {n} replaced
// by Int(n) and other placeholders as in T. A key without variants is used as
// is; a missing key returns the key itself.
func (l *Locale) N(key string, n int, args ...any) string {
	var m *message
	if pm, ok := l.cat.plurals[key]; ok {
		if m = pm[l.d.plural(abs(int64(n)))]; m == nil {
			m = pm[other]
		}
	} else if m, ok = l.cat.msgs[key]; !ok {
		return key
	}
	if m.parts == nil {
		return m.text
	}
	return l.render(m, args, l.Int(n))
}

// Has reports whether the catalogue has key (a plural key counts by its base
// name, "results.count").
func (l *Locale) Has(key string) bool {
	if _, ok := l.cat.msgs[key]; ok {
		return true
	}
	_, ok := l.cat.plurals[key]
	return ok
}

// render fills m's placeholders. nValue, when set, is the value of {n}.
func (l *Locale) render(m *message, args []any, nValue string) string {
	if m.parts == nil {
		return m.text
	}
	var b strings.Builder
	b.Grow(m.size + 16*(len(m.parts)-1))
	for _, p := range m.parts {
		if p.arg == "" {
			b.WriteString(p.lit)
			continue
		}
		if nValue != "" && p.arg == "n" {
			b.WriteString(nValue)
			continue
		}
		v, ok := lookupArg(args, p.arg)
		if !ok {
			b.WriteByte('{')
			b.WriteString(p.arg)
			b.WriteByte('}')
			continue
		}
		l.writeValue(&b, v)
	}
	return b.String()
}

func lookupArg(args []any, name string) (any, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok && k == name {
			return args[i+1], true
		}
	}
	return nil, false
}

// writeValue formats an argument without reflection for the common types.
func (l *Locale) writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		b.WriteString(v)
	case int:
		b.WriteString(l.Int(v))
	case int64:
		var buf [40]byte
		b.Write(l.appendInt(buf[:0], v))
	case int32:
		b.WriteString(l.Int(int(v)))
	case uint:
		var buf, digits [40]byte
		b.Write(l.appendGrouped(buf[:0], strconv.AppendUint(digits[:0], uint64(v), 10)))
	case float64:
		b.WriteString(l.Number(v))
	case float32:
		b.WriteString(l.Number(float64(v)))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case fmt.Stringer:
		b.WriteString(v.String())
	case error:
		b.WriteString(v.Error())
	default:
		fmt.Fprint(b, v)
	}
}

// Keys returns every key of lang's catalogue as written (plural variants
// with their "#category" suffix), sorted; nil for an unsupported language.
func Keys(lang string) []string {
	l, ok := Get(lang)
	if !ok {
		return nil
	}
	return slices.Clone(l.cat.keys)
}
