package media

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// An SVG document is a web page of its own when opened at its URL: it may hold script, event
// handlers, links that run script, and references that make the browser fetch from elsewhere.
// The site serves uploads from its own origin, so an SVG that did any of this would run as the
// site. Rather than rewrite documents (and risk missing a trick), the site refuses any SVG that
// holds one of these; drawings from illustration programs hold none.

// forbiddenElements run script or embed other documents.
var forbiddenElements = map[string]bool{
	"script": true, "foreignobject": true, "iframe": true, "embed": true, "object": true,
	"handler": true, "listener": true, "set": true, "animate": true, "animatemotion": true,
	"animatetransform": true, // animation can rewrite an href into javascript:
}

// maxSVGDepth bounds nesting, so that a document cannot make a reader recurse without end.
const maxSVGDepth = 256

// checkSVG reads an SVG document whole and returns its size (see svgRootSize), or why it is
// refused: not well-formed XML, not an svg root, a DOCTYPE (entity expansion), script or
// event handlers, a link or reference to anything but a fragment of the document itself or
// an embedded raster image, or CSS that imports or fetches.
func checkSVG(data []byte) (width, height int, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth, root := 0, true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root {
				return 0, 0, fmt.Errorf("no svg element")
			}
			return width, height, nil
		}
		if err != nil {
			return 0, 0, fmt.Errorf("not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return 0, 0, fmt.Errorf("a DOCTYPE or other declaration is not accepted")
		case xml.ProcInst:
			if t.Target != "xml" {
				return 0, 0, fmt.Errorf("the processing instruction <?%s?> is not accepted", t.Target)
			}
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root {
				if name != "svg" {
					return 0, 0, fmt.Errorf("the root element is <%s>, not <svg>", t.Name.Local)
				}
				width, height = svgRootSize(t)
				root = false
			}
			if depth++; depth > maxSVGDepth {
				return 0, 0, fmt.Errorf("elements nested more than %d deep", maxSVGDepth)
			}
			if forbiddenElements[name] {
				return 0, 0, fmt.Errorf("the element <%s> is not accepted", t.Name.Local)
			}
			for _, a := range t.Attr {
				if err := checkSVGAttr(a); err != nil {
					return 0, 0, fmt.Errorf("<%s>: %v", t.Name.Local, err)
				}
			}
			if name == "style" {
				css, err := elementText(d)
				if err != nil {
					return 0, 0, err
				}
				if err := checkCSS(css); err != nil {
					return 0, 0, fmt.Errorf("<style>: %v", err)
				}
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
}

func checkSVGAttr(a xml.Attr) error {
	name := strings.ToLower(a.Name.Local)
	v := strings.TrimSpace(a.Value)
	switch {
	case strings.HasPrefix(name, "on"):
		return fmt.Errorf("the event handler %s is not accepted", a.Name.Local)
	case name == "href" || name == "src":
		if strings.HasPrefix(v, "#") || strings.HasPrefix(v, "data:image/png;") ||
			strings.HasPrefix(v, "data:image/jpeg;") || strings.HasPrefix(v, "data:image/gif;") ||
			strings.HasPrefix(v, "data:image/webp;") {
			return nil
		}
		return fmt.Errorf("%s=%q refers to something outside the document", a.Name.Local, truncate(v))
	case name == "style":
		return checkCSS(v)
	}
	// Presentation attributes (fill="url(#g)", say) may only refer inside the document.
	if strings.Contains(strings.ToLower(v), "url(") {
		return checkCSS(v)
	}
	return nil
}

// checkCSS accepts url() only for fragments of the document and refuses @import and
// expression(): the ways CSS in an SVG fetches or runs something.
func checkCSS(css string) error {
	lower := strings.ToLower(css)
	if strings.Contains(lower, "@import") || strings.Contains(lower, "expression(") || strings.Contains(lower, "javascript:") {
		return fmt.Errorf("CSS that imports or runs something is not accepted")
	}
	for rest := lower; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return nil
		}
		rest = strings.TrimLeft(rest[i+4:], " \t\n\r'\"")
		if !strings.HasPrefix(rest, "#") {
			return fmt.Errorf("CSS url() may only refer to the document itself (url(#id))")
		}
	}
}

// elementText reads the text of the element just started, up to its end.
func elementText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", fmt.Errorf("not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			return b.String(), nil
		case xml.StartElement:
			return "", fmt.Errorf("<style> holds an element <%s>", t.Name.Local)
		}
	}
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// svgRootSize reads the size of an SVG document from its root element: its width and height,
// else what its viewBox gives them. Pages write it into img attributes, so the browser reserves
// the image's box before it loads.
func svgRootSize(el xml.StartElement) (width, height int) {
	var w, h, vw, vh float64
	for _, a := range el.Attr {
		switch a.Name.Local {
		case "width":
			w = svgLength(a.Value)
		case "height":
			h = svgLength(a.Value)
		case "viewBox":
			f := strings.FieldsFunc(a.Value, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == '\r' })
			if len(f) == 4 {
				vw, vh = svgLength(f[2]), svgLength(f[3])
			}
		}
	}
	switch {
	case w > 0 && h > 0:
	case w > 0 && vw > 0 && vh > 0:
		h = w * vh / vw
	case h > 0 && vw > 0 && vh > 0:
		w = h * vw / vh
	case vw > 0 && vh > 0:
		w, h = vw, vh
	default:
		return 0, 0
	}
	return int(math.Round(w)), int(math.Round(h))
}

// svgLength parses a length in user units or pixels; other units (%, em, mm…) give 0, as
// their size in pixels depends on where the image is shown.
func svgLength(s string) float64 {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) || v > 1e6 {
		return 0
	}
	return v
}

// svgSize reads the size of an SVG document from its root element, without checking the rest
// (for files already kept). It returns 0, 0 when the document starts with anything else.
func svgSize(data []byte) (width, height int) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return 0, 0
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local != "svg" {
				return 0, 0
			}
			return svgRootSize(el)
		}
	}
}
