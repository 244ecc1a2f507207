// Package markdown turns the Markdown bodies of content items into safe HTML.
package markdown

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Renderer converts Markdown (CommonMark with tables and strikethrough) to HTML. Raw HTML in the
// source is dropped by goldmark, and the output is sanitized again by bluemonday, so that a
// mistake in either cannot let script into a page. A Renderer is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("table", "th", "td")
	return &Renderer{
		md:     goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)),
		policy: p,
	}
}

// HTML renders src.
func (r *Renderer) HTML(src string) template.HTML {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes()))
}
