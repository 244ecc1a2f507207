package store

import (
	"bytes"
	"encoding/xml"
	"image"
	_ "image/gif" // registers GIF for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"math"
	"strconv"
	"strings"
)

// ImageSize returns the width and height of an image in CSS pixels, read from its first bytes:
// PNG, JPEG and GIF from their headers, SVG from its root element's width and height, else its
// viewBox. It returns 0, 0 for anything else or what it cannot read, and pages then write no
// size. Pages write these sizes into img attributes, so the browser reserves the image's box
// before it loads (no layout shift).
func ImageSize(contentType string, data []byte) (width, height int) {
	switch {
	case strings.HasPrefix(contentType, "image/svg"):
		return svgSize(data)
	case strings.HasPrefix(contentType, "image/"):
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return 0, 0
		}
		return cfg.Width, cfg.Height
	}
	return 0, 0
}

// svgSize reads the size of an SVG document from its root element.
func svgSize(data []byte) (width, height int) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return 0, 0
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if el.Name.Local != "svg" {
			return 0, 0
		}
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
