package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// decodeJSON decodes the JSON object raw into v, a pointer to a struct, as json.Unmarshal
// would, errors ignored as decode ignores them.
//
// Pages decode the JSON fields of every item they show: a story page, its story and the seven
// around it. encoding/json does so through its reflection-driven state machine, which cost a
// tenth of a story page's time. Most kinds' fields are flat — strings and lists of strings — and
// such an object is read here in one pass; anything else (numbers, nested objects, escapes,
// keys that match only without regard to case) is left to encoding/json, so the two always
// agree, which a fuzz test checks.
func decodeJSON(raw []byte, v any) {
	if !decodeFlat(raw, v) {
		json.Unmarshal(raw, v)
	}
}

// flatField is a field decodeFlat can fill: a string or a list of strings.
type flatField struct {
	name  string
	index int
	list  bool
}

// flatFields returns the fields of struct type t, or ok false when a field is not flat or
// encoding/json would decode t or a field through its own methods.
func flatFields(t reflect.Type) (fields []flatField, ok bool) {
	if customDecoding(t) {
		return nil, false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous || customDecoding(f.Type) {
			return nil, false
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if strings.Contains(opts, "string") || !isASCII(name) {
			return nil, false
		}
		switch {
		case f.Type.Kind() == reflect.String:
			fields = append(fields, flatField{name: name, index: i})
		case f.Type.Kind() == reflect.Slice && stringsType.ConvertibleTo(f.Type):
			fields = append(fields, flatField{name: name, index: i, list: true})
		default:
			return nil, false
		}
	}
	return fields, true
}

// flatTypes memoizes flatFields by type: what reflection says of a type never changes, and
// asking it took most of a small object's decoding time. It holds nothing of any site.
var flatTypes sync.Map // reflect.Type → []flatField, nil when not flat

// decodeFlat decodes raw into v when v's fields and raw's values are all flat, and reports
// whether it did; when it did not, v is as it was.
func decodeFlat(raw []byte, v any) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return false
	}
	st := rv.Elem()
	t := st.Type()
	known, found := flatTypes.Load(t)
	if !found {
		fields, ok := flatFields(t)
		if !ok {
			fields = nil
		} else if fields == nil {
			fields = []flatField{}
		}
		known, _ = flatTypes.LoadOrStore(t, fields)
	}
	fields := known.([]flatField)
	if fields == nil {
		return false
	}
	// Read everything first, set the fields only once the whole object has been read.
	type set struct {
		f    *flatField
		s    string
		list []string
		null bool
	}
	var setsBuf [12]set
	sets := setsBuf[:0]
	s := jsonScanner{b: raw}
	if !s.consume('{') {
		return false
	}
	// The values are cut out of one copy of raw: one allocation rather than one per value.
	src := string(raw)
	if !s.consume('}') {
		for {
			k, ok := s.str()
			if !ok || !s.consume(':') {
				return false
			}
			if !isASCII(string(k)) {
				return false // let encoding/json fold it
			}
			var f *flatField
			for i := range fields {
				if string(k) == fields[i].name {
					f = &fields[i]
				} else if f == nil && bytes.EqualFold(k, []byte(fields[i].name)) {
					return false // encoding/json would match it without regard to case
				}
			}
			s.space()
			switch {
			case f == nil:
				if !s.skip() {
					return false
				}
			case s.literal("null"):
				sets = append(sets, set{f: f, null: true})
			case f.list:
				list, ok := s.strings(src)
				if !ok {
					return false
				}
				sets = append(sets, set{f: f, list: list})
			default:
				v, ok := s.str()
				if !ok || !utf8.Valid(v) {
					return false
				}
				sets = append(sets, set{f: f, s: s.cut(src, v)})
			}
			if s.consume(',') {
				continue
			}
			if s.consume('}') {
				break
			}
			return false
		}
	}
	s.space()
	if s.i != len(s.b) {
		return false
	}
	// In the object's order, so that the last of duplicate keys wins, as in encoding/json.
	for _, x := range sets {
		fv := st.Field(x.f.index)
		switch {
		case x.null && x.f.list:
			fv.SetZero() // null empties a list and leaves a string as it was
		case x.null:
		case x.f.list:
			fv.Set(reflect.ValueOf(x.list).Convert(fv.Type()))
		default:
			fv.SetString(x.s)
		}
	}
	return true
}

var (
	stringType      = reflect.TypeFor[string]()
	stringsType     = reflect.TypeFor[[]string]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// customDecoding reports whether encoding/json would decode t through its own methods. A
// pointer's method set holds its type's, and types without methods, which most fields' are, need
// no look-up.
func customDecoding(t reflect.Type) bool {
	if t == stringType || t == stringsType {
		return false
	}
	p := reflect.PointerTo(t)
	return p.NumMethod() > 0 && (p.Implements(unmarshalerType) || p.Implements(textType))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// jsonScanner reads the parts of JSON that decodeFlat needs. Every method reports false on
// input it does not handle, which sends the caller to encoding/json.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScanner) consume(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// literal consumes lit (true, false, null) when it comes next as a whole token.
func (s *jsonScanner) literal(lit string) bool {
	end := s.i + len(lit)
	if end > len(s.b) || string(s.b[s.i:end]) != lit {
		return false
	}
	if end < len(s.b) && !isDelimiter(s.b[end]) {
		return false
	}
	s.i = end
	return true
}

func isDelimiter(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// str reads a string without escapes or control characters and returns its bytes.
func (s *jsonScanner) str() ([]byte, bool) {
	s.space()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return s.b[start:j], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// cut returns the part of src, a copy of s.b, that v (a part of s.b) holds.
func (s *jsonScanner) cut(src string, v []byte) string {
	end := s.i - 1 // v ends just before the closing quote str consumed
	return src[end-len(v) : end]
}

// strings reads an array of strings, in valid UTF-8, cut out of src, a copy of s.b.
func (s *jsonScanner) strings(src string) ([]string, bool) {
	if !s.consume('[') {
		return nil, false
	}
	list := []string{}
	if s.consume(']') {
		return list, true
	}
	for {
		v, ok := s.str()
		if !ok || !utf8.Valid(v) {
			return nil, false
		}
		list = append(list, s.cut(src, v))
		if s.consume(',') {
			continue
		}
		return list, s.consume(']')
	}
}

// skip passes over one value: a string, number, literal, array or object.
func (s *jsonScanner) skip() bool {
	s.space()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, ok := s.str()
		return ok
	case c == '[':
		s.i++
		if s.consume(']') {
			return true
		}
		for {
			if !s.skip() {
				return false
			}
			if s.consume(',') {
				continue
			}
			return s.consume(']')
		}
	case c == '{':
		s.i++
		if s.consume('}') {
			return true
		}
		for {
			if _, ok := s.str(); !ok || !s.consume(':') || !s.skip() {
				return false
			}
			if s.consume(',') {
				continue
			}
			return s.consume('}')
		}
	default:
		if s.literal("true") || s.literal("false") || s.literal("null") {
			return true
		}
		start := s.i
		for s.i < len(s.b) && !isDelimiter(s.b[s.i]) {
			s.i++
		}
		return isNumber(s.b[start:s.i])
	}
}

// isNumber reports whether b is a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isNumber(b []byte) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}
