package api

import (
	"net/http"
	"testing"

	"github.com/alliance-platform/alliance"
)

// If-Match names a revision only by our strong tag: a weak tag, "*" or a read's tag is
// present but names none (412), and no header at all is 428.
func TestIfMatch(t *testing.T) {
	tests := []struct {
		header      []string
		rev         int
		present, ok bool
	}{
		{nil, 0, false, false},
		{[]string{`"rev-3"`}, 3, true, true},
		{[]string{`W/"api-1-2-3", "rev-12"`}, 12, true, true},
		{[]string{`W/"rev-3"`}, 0, true, false},
		{[]string{`*`}, 0, true, false},
		{[]string{`"rev-0"`}, 0, true, false},
		{[]string{`"rev-x"`}, 0, true, false},
		{[]string{`W/"api-1-2-3"`}, 0, true, false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("PUT", "/", nil)
		for _, v := range tt.header {
			r.Header.Add("If-Match", v)
		}
		rev, present, ok := ifMatch(r)
		if rev != tt.rev || present != tt.present || ok != tt.ok {
			t.Errorf("If-Match %q = %d %v %v, want %d %v %v", tt.header, rev, present, ok, tt.rev, tt.present, tt.ok)
		}
	}
}

// A refused save's fields are named as the body names them.
func TestBodyField(t *testing.T) {
	for field, want := range map[string]string{
		"date":           "fields.date",
		"venue.city":     "fields.venue.city",
		"shared":         "fields",
		"source_lang":    "source_lang",
		"texts":          "texts",
		"texts.el":       "texts.el",
		"texts.el.title": "texts.el.title",
		"texts.el.slug":  "texts.el.slug",
		"texts.el.body":  "texts.el.body_markdown",
		"texts.el.alt":   "texts.el.fields.alt",
		"unpublish_at":   "unpublish_at",
	} {
		if got := bodyField(field); got != want {
			t.Errorf("bodyField(%q) = %q, want %q", field, got, want)
		}
	}
}

// The translator's refusal, judged on snapshots: the same item sent back with its shared
// fields spelled differently compares equal.
func TestNormalizedIgnoresSpelling(t *testing.T) {
	a := &alliance.Item{Kind: alliance.KindCategory, Key: "x", SourceLang: "en", Shared: []byte(`{"order": 2}`),
		Texts: []alliance.Text{{Lang: "en", Title: "X", Slug: "x"}}}
	b := &alliance.Item{Kind: alliance.KindCategory, Key: "x", SourceLang: "en", Shared: []byte(`{ "order":2 }`),
		Texts: []alliance.Text{{Lang: "en", Title: "X", Slug: "x", Fields: []byte(`{}`)}}}
	sa, okA := normalized(a)
	sb, okB := normalized(b)
	if !okA || !okB {
		t.Fatal("not decoded")
	}
	if d := alliance.Diff(sa, sb); len(d) != 0 {
		t.Errorf("differences: %v", d)
	}
	c := &alliance.Item{Kind: alliance.KindCategory, Key: "x", SourceLang: "en", Shared: []byte(`{"nope": 1}`)}
	if _, ok := normalized(c); ok {
		t.Error("an unknown field decoded")
	}
}
