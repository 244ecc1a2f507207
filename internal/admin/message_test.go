package admin

import (
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
)

// Every problem validation can report has its own message in each back office language, so an
// editor never reads the English one (only ProblemInvalid, "anything else", quotes it).
func TestEveryProblemHasAMessage(t *testing.T) {
	for _, lang := range []string{"en", "de", "el"} {
		l := locale.MustGet(lang)
		fallback := l.B("err.invalid", "message", "ENGLISH")
		for _, p := range alliance.Problems {
			got := message(l, alliance.FieldError{Problem: p, Value: "xx-value", Message: "ENGLISH"})
			if p == alliance.ProblemInvalid {
				if got != fallback {
					t.Errorf("%s %s = %q, want the English message quoted", lang, p, got)
				}
				continue
			}
			if !l.HasBackoffice("err." + string(p)) {
				t.Errorf("%s: no message err.%s", lang, p)
			}
			if strings.Contains(got, "ENGLISH") || strings.HasPrefix(got, "err.") {
				t.Errorf("%s %s = %q", lang, p, got)
			}
			if strings.Contains(l.B("err."+string(p)), "{value}") && !strings.Contains(got, "xx-value") {
				t.Errorf("%s %s = %q, without the refused value", lang, p, got)
			}
		}
	}
}
