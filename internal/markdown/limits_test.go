package markdown

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	indented := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(strings.Repeat("  ", i) + "- item\n")
		}
		return b.String()
	}
	cases := []struct {
		name, src string
		line      int // 0: accepted
		message   string
	}{
		{"plain text", "# Title\n\nSome *text*.\n", 0, ""},
		{"lists at the limit", strings.Repeat("- ", 32) + "x\n" + strings.Repeat("> ", 32) + "x\n" + indented(32), 0, ""},
		{"ordered lists nested by four columns", func() string {
			var b strings.Builder
			for i := 0; i < 32; i++ {
				b.WriteString(strings.Repeat("    ", i) + "10. item\n")
			}
			return b.String()
		}(), 0, ""},
		{"thematic breaks and emphasis", "* * *\n- - -\n*not a list*\n-not either\n2024 was a year.\n", 0, ""},
		{"deep indented code", "```\n" + strings.Repeat(" ", 100) + "code\n```\n", 0, ""},
		{"50,000 nested items", strings.Repeat("- ", 50000) + "x\n", 1, "nested 50000 deep; at most 32"},
		{"33 quotes, on line 3", "a\n\n" + strings.Repeat(">", 33) + " x\n", 3, "nested 33 deep"},
		{"mixed markers", "x\n" + strings.Repeat("> 1. - ", 11) + "x\n", 2, "nested 33 deep"},
		{"nested by indentation", indented(40), 33, "nested 33 deep"},
		{"tabs", strings.Repeat("\t", 40) + "- x\n", 1, "nested 41 deep"},
		// A lazy line makes the stack forget, but the indentation still counts.
		{"lazy lines between", func() string {
			var b strings.Builder
			for i := 0; i < 200; i++ {
				b.WriteString(strings.Repeat("  ", i) + "- item\nlazy\n")
			}
			return b.String()
		}(), 0, "deep"},
		{"1,000 links in a paragraph", strings.Repeat("[a](https://x.example) ", 1000) + "\n\n" + strings.Repeat("[b]\n", 1000), 0, ""},
		{"unclosed links on one line", "Intro.\n\n" + strings.Repeat("[a](", 1001) + "\n", 3, "more than 1000 links or brackets"},
		{"brackets over many lines", "a\n\n" + strings.Repeat("[a]\n", 999) + "  \t\n" + strings.Repeat("[a]\n", 999) + "x\n[a][b]\n", 2003, "more than 1000"},
		{"too large", strings.Repeat("a", MaxSize+1), 1, "at most 1048576 (1 MiB)"},
		{"largest allowed", strings.Repeat("a", MaxSize), 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.src)
			if c.message == "" {
				if err != nil {
					t.Fatalf("Check refused: %v", err)
				}
				return
			}
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("Check = %v, want a *LimitError", err)
			}
			if (c.line != 0 && le.Line != c.line) || !strings.Contains(le.Message, c.message) {
				t.Errorf("Check = line %d %q, want line %d and %q", le.Line, le.Message, c.line, c.message)
			}
		})
	}
}

// TestRenderRefusesDeepNesting: 50,000 nested list items took 5.4 s to render; Render refuses
// them and HTML shows them as text, both without parsing.
func TestRenderRefusesDeepNesting(t *testing.T) {
	r := New()
	deep := strings.Repeat("- ", 50000) + "<b>x</b>\n"
	if _, err := r.Render(deep); err == nil {
		t.Fatal("Render accepted 50,000 nested lists")
	}
	got := string(r.HTML(deep))
	if strings.Contains(got, "<li>") || strings.Contains(got, "<b>") || !strings.HasPrefix(got, "<p>- - ") {
		t.Errorf("HTML of a text beyond the limits = %.60q…, want it as escaped text", got)
	}
	if html, err := r.Render("- a\n  - b\n"); err != nil || !strings.Contains(string(html), "<li>b</li>") {
		t.Errorf("Render of a nested list = %q, %v", html, err)
	}
}

// BenchmarkCheckDeep: refusing 50,000 nested lists (5.4 s to render) takes one pass.
func BenchmarkCheckDeep(b *testing.B) {
	src := strings.Repeat("- ", 50000) + "x\n"
	for b.Loop() {
		if Check(src) == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkRenderWorstAllowed renders 1 MiB of the slowest Markdown found within the limits.
func BenchmarkRenderWorstAllowed(b *testing.B) {
	texts := map[string]string{
		"unclosed-links": strings.Repeat(strings.Repeat("![a](", MaxBrackets)+"\n\n", MaxSize/(5*MaxBrackets+2)),
		"lists-32-deep":  strings.Repeat(strings.Repeat("- ", MaxDepth)+"x\n", MaxSize/(2*MaxDepth+2)),
	}
	r := New()
	for name, src := range texts {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := r.Render(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
