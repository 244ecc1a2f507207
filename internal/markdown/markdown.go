// Package markdown turns the Markdown bodies of content items into safe HTML.
package markdown

import (
	"bytes"
	"html/template"
	"strings"

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

// Render renders src, or returns a *LimitError when src is beyond the limits (Check). Whatever
// saves a text renders it with Render, so no text beyond the limits is ever stored.
func (r *Renderer) Render(src string) (template.HTML, error) {
	if err := Check(src); err != nil {
		return "", err
	}
	return r.render(src), nil
}

// HTML renders src. A text beyond the limits, which no writer stores, is shown as escaped text
// rather than parsed, so that it cannot cost seconds.
func (r *Renderer) HTML(src string) template.HTML {
	if Check(src) != nil {
		return template.HTML("<p>" + strings.ReplaceAll(template.HTMLEscapeString(src), "\n", "<br>") + "</p>")
	}
	return r.render(src)
}

func (r *Renderer) render(src string) template.HTML {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes()))
}
