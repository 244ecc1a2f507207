package alliance

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTextValidateRefusesBadBytes(t *testing.T) {
	fields, _ := json.Marshal(map[string]string{"alt": "a\x00b"})
	cases := []struct {
		name  string
		text  Text
		field string // "" with want "": valid
		want  string
	}{
		{"valid", Text{Title: "Ημέρες — Għaqda", Body: "Текст\n", Fields: json.RawMessage(`{"alt":"x"}`)}, "", ""},
		{"NUL in title", Text{Title: "a\x00b"}, "title", "NUL"},
		{"Latin-1 in body", Text{Body: "caf\xe9\n"}, "body", "byte 0xE9 is not valid UTF-8"},
		{"truncated sequence in summary", Text{Summary: "\xc3"}, "summary", "byte 0xC3"},
		{"NUL in translated fields", Text{Fields: fields}, "", "NUL"},
	}
	for _, c := range cases {
		var ch Check
		c.text.Validate(&ch)
		if c.want == "" {
			if len(ch.Errors) > 0 {
				t.Errorf("%s: %v", c.name, ch.Errors)
			}
			continue
		}
		if len(ch.Errors) != 1 || ch.Errors[0].Field != c.field || !strings.Contains(ch.Errors[0].Message, c.want) {
			t.Errorf("%s: errors %v, want one on %q with %q", c.name, ch.Errors, c.field, c.want)
		}
	}
	if i, _ := BadByte([]byte("ok\nstill ok\x00")); i != 11 {
		t.Errorf("BadByte found the NUL at %d, want 11", i)
	}
}
