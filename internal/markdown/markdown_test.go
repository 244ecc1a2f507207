package markdown

import (
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	r := New()
	cases := []struct{ in, want, notWant string }{
		{"## Title\n\nText with **bold**.", "<h2", ""},
		{"| a | b |\n|---|---|\n| 1 | 2 |\n", "<table>", ""},
		{"<script>alert(1)</script>\n\nok", "ok", "<script"},
		{"[x](javascript:alert(1))", "x", "javascript:"},
		{"<img src=x onerror=alert(1)>", "", "onerror"},
		{"> A quote", "<blockquote>", ""},
	}
	for _, c := range cases {
		got := string(r.HTML(c.in))
		if c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("HTML(%q) = %q, want it to contain %q", c.in, got, c.want)
		}
		if c.notWant != "" && strings.Contains(got, c.notWant) {
			t.Errorf("HTML(%q) = %q, must not contain %q", c.in, got, c.notWant)
		}
	}
	if r.HTML("") != "" {
		t.Error("empty Markdown gives HTML")
	}
}
