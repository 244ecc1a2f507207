package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"unicode/utf8"
)

// stringField returns the string value of key in the JSON object raw, or "" when the object
// has no such key or its value is not a string, as decoding raw into a struct with a string
// field of that name would.
//
// Cards need two or three fields of each listed item's JSON; encoding/json decodes a whole
// object through reflection, which cost a tenth of a story page's time for its seven cards. This
// reads the object once, without allocating for values free of escapes, and leaves anything it
// does not expect to encoding/json.
func stringField(raw []byte, key string) string {
	s := jsonScanner{b: raw}
	if !s.consume('{') {
		return slowStringField(raw, key)
	}
	value := ""
	if s.consume('}') {
		return ""
	}
	for {
		k, ok := s.str()
		if !ok || !s.consume(':') {
			return slowStringField(raw, key)
		}
		if string(k) == key {
			// The last of duplicate keys wins, as in encoding/json; a value of another type
			// (null among them) leaves the field as it was.
			s.space()
			if s.i < len(s.b) && s.b[s.i] == '"' {
				v, ok := s.str()
				if !ok || !utf8.Valid(v) {
					// encoding/json replaces invalid UTF-8.
					return slowStringField(raw, key)
				}
				value = string(v)
			} else if !s.skip() {
				return slowStringField(raw, key)
			}
		} else if bytes.EqualFold(k, []byte(key)) {
			// encoding/json matches keys without regard to case too.
			return slowStringField(raw, key)
		} else if !s.skip() {
			return slowStringField(raw, key)
		}
		if s.consume(',') {
			continue
		}
		if s.consume('}') {
			break
		}
		return slowStringField(raw, key)
	}
	s.space()
	if s.i != len(s.b) {
		return slowStringField(raw, key)
	}
	return value
}

// slowStringField is stringField through encoding/json, for what the scanner leaves to it
// (escapes, keys matched without regard to case, malformed input): it decodes raw into a struct
// with one string field tagged key, as decode does, ignoring errors as decode does. key is a
// plain field name, as in the kinds' struct tags.
func slowStringField(raw []byte, key string) string {
	t := reflect.StructOf([]reflect.StructField{{Name: "V", Type: reflect.TypeFor[string](), Tag: reflect.StructTag(`json:"` + key + `"`)}})
	v := reflect.New(t)
	json.Unmarshal(raw, v.Interface())
	return v.Elem().Field(0).String()
}

// jsonScanner reads the parts of JSON that stringField needs. Every method reports false on
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
		start := s.i
		for s.i < len(s.b) {
			c := s.b[s.i]
			if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				break
			}
			s.i++
		}
		switch tok := s.b[start:s.i]; string(tok) {
		case "true", "false", "null":
			return true
		default:
			return isNumber(tok)
		}
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
