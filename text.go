package alliance

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// BadByte returns the offset of the first byte in data that no text may hold — a NUL, or a byte
// that is not part of valid UTF-8 — and why, or -1. SQLite stores such bytes but PostgreSQL
// refuses them, so they are refused on every database, before anything is written.
func BadByte(data []byte) (int, string) {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				return i, "a NUL byte (U+0000) is not allowed in text"
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i, fmt.Sprintf("byte 0x%02X is not valid UTF-8 (save the file as UTF-8)", c)
		}
		i += size
	}
	return -1, ""
}

// Validate records a problem for each field of the text holding a byte BadByte refuses. The
// shared and translated fields are JSON, where a NUL is written \u0000.
func (t *Text) Validate(c *Check) {
	for _, f := range []struct{ name, value string }{
		{"slug", t.Slug}, {"title", t.Title}, {"summary", t.Summary}, {"body", t.Body},
	} {
		if i, why := BadByte([]byte(f.value)); i >= 0 {
			c.Add(f.name, ProblemText, "", "%s", why)
		}
	}
	if i, why := BadByte(t.Fields); i >= 0 {
		c.Add("", ProblemText, "", "%s", why)
	} else if bytes.Contains(t.Fields, []byte(`\u0000`)) {
		c.Add("", ProblemText, "", "a NUL byte (U+0000) is not allowed in text")
	}
}
