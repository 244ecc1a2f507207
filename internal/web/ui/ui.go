// Package ui holds what every page of the site and of the back office renders alike: the
// marker of a text in another language, the one insertion of HTML that is not escaped (an
// item's sanitized body), and the pooled buffer a page is rendered into. Pages are templ
// components (https://templ.guide): compiled, type-checked Go that escapes every value it
// writes by construction. After changing a .templ file, run `go generate ./internal/web/`
// (docs/architecture.md says how CI checks the generated files are current).
package ui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/alliance-platform/alliance/internal/locale"
)

// SanitizedHTML inserts html as it is, unescaped. It is the only such insertion of the site,
// and html must be what internal/markdown made: Markdown rendered by goldmark with raw HTML
// dropped, then sanitized by bluemonday. An item's body is rendered so when it is saved
// (alliance.Text.HTML) and a page inserts it here; a field rendered so at request time (a
// learning opportunity's outcomes) may come here too. Nothing else may.
func SanitizedHTML(html string) templ.Component {
	return sanitizedHTML(html)
}

// sanitizedHTML is a string that renders itself: a component without a closure to allocate.
type sanitizedHTML string

func (h sanitizedHTML) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, string(h))
	return err
}

// Foreign is text that may be in another language than the page's, l's: an item's title in
// a link, say, when the item has no text in the page's language. With lang set, the text
// carries it and is followed by the language's marker (foreignText); with lang empty, the
// common case, it is the text alone. It is a value rather than a generated component so that
// the common case costs no closure and no context: the layout writes some eighty such titles.
func Foreign(l *locale.Locale, lang, text string) ForeignText {
	return ForeignText{l: l, lang: lang, text: text}
}

// ForeignText is what Foreign returns: a templ.Component.
type ForeignText struct {
	l          *locale.Locale
	lang, text string
}

// Render writes the text, escaped as templ escapes every text, and its marker when it is in
// another language.
func (f ForeignText) Render(ctx context.Context, w io.Writer) error {
	if f.lang == "" {
		_, err := io.WriteString(w, templ.EscapeString(f.text))
		return err
	}
	return foreignText(f.l, f.lang, f.text).Render(ctx, w)
}

// Upper is the language code as the marker shows it ("EN").
func Upper(lang string) string { return strings.ToUpper(lang) }

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Buffer returns an empty pooled buffer to render a page into; give it back with Release
// once its bytes are written (or copied).
func Buffer() *bytes.Buffer {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	// A new buffer (the pool is emptied by the garbage collector) takes a page's size at once
	// rather than doubling its way there, copying at each step.
	b.Grow(pageSize)
	return b
}

// pageSize is room for most pages: the story page is about 20 kB.
const pageSize = 32 << 10

// Release returns a buffer from Buffer to the pool.
func Release(b *bytes.Buffer) { buffers.Put(b) }

// languageIn is "in English" in l's language, for the marker of a text in lang.
func languageIn(l *locale.Locale, lang string) string {
	if l == nil {
		return ""
	}
	return l.T("lang.in", "language", l.LanguageName(lang))
}

// Text is s as text, escaped as templ escapes every text: `@ui.Text(s)` writes what `{ s }`
// does. The layout, the cards and the story page, which hold most of the site's rendered
// values, write their text with it, because templ's `{ s }` formats each value with
// fmt.Sprint, a copy of the string and a tenth of the uncached story page's rendering.
type Text string

// Render writes the text, escaped.
func (t Text) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, templ.EscapeString(string(t)))
	return err
}
