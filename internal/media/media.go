// Package media decides what a file is and whether the site may keep it: an editor's upload in
// the back office, a file of an imported content folder. A file's type comes from its bytes,
// never from its name alone; an image is measured before it is decoded, so that a small file
// cannot ask for gigabytes of pixels; an SVG document is refused when it could run script or
// fetch from elsewhere once opened from the site. It also makes the smaller copies of a raster
// image that pages offer through srcset.
package media

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // registers GIF for image.DecodeConfig and image.Decode
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"path"
	"strings"

	_ "golang.org/x/image/webp" // WebP uploads are measured and resized like the others
)

// Types maps the extensions of the files the site keeps to the type it serves them with. The
// table is fixed, rather than taken from the system's MIME database, so that every machine
// serves the same headers.
var types = map[string]string{
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".webp": "image/webp", ".avif": "image/avif", ".gif": "image/gif",
	".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".zip":  "application/zip",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
}

// TypeByName returns the type a file named name is served with, from its extension;
// application/octet-stream for an extension the site does not know.
func TypeByName(name string) string {
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// Limits bound what an upload may be.
type Limits struct {
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// MaxPixels is the largest image accepted, in width × height: decoding needs memory in
	// proportion to it, whatever the file's size.
	MaxPixels int
}

// DefaultLimits accept a 24-megapixel photograph (6000 × 4000) and a 50 MB document: what
// a camera or a report gives, while a decoded image stays under about 100 MB.
var DefaultLimits = Limits{MaxBytes: 50 << 20, MaxPixels: 24_000_000}

// Info is what Inspect learned of a file.
type Info struct {
	ContentType string
	// Width and Height are an image's size in pixels (CSS pixels for SVG); 0 when not an image
	// or, for SVG, when its root gives no size.
	Width, Height int
}

// Problem is why a file was refused. Code names the reason for a message in the editor's
// language (catalogue key "media.<code>"); Detail says it in English for logs and the CLI.
type Problem struct {
	Code   string
	Detail string
}

func (p *Problem) Error() string { return p.Detail }

func problem(code, format string, args ...any) *Problem {
	return &Problem{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Inspect checks a file named name, whose bytes are data, against lim: its type must be one
// the site keeps and agree with its bytes, its size and (for an image) its pixel count within
// the limits, and an SVG document must be inert. It returns a *Problem when the file is refused.
func Inspect(name string, data []byte, lim Limits) (Info, error) {
	if int64(len(data)) > lim.MaxBytes {
		return Info{}, problem("too_large", "%s is %d bytes; the largest file accepted is %d bytes", name, len(data), lim.MaxBytes)
	}
	if len(data) == 0 {
		return Info{}, problem("empty", "%s is empty", name)
	}
	declared := TypeByName(name)
	if declared == "application/octet-stream" {
		return Info{}, problem("type", "%s: the site keeps images (JPEG, PNG, GIF, WebP, AVIF, SVG) and documents (PDF, text, CSV, ZIP, Word, Excel, PowerPoint, OpenDocument), named by their extension", name)
	}
	info := Info{ContentType: declared}
	if !bytesAgree(declared, data) {
		return Info{}, problem("mismatch", "%s does not hold what its name says (%s)", name, declared)
	}
	switch {
	case declared == "image/svg+xml":
		w, h, err := checkSVG(data)
		if err != nil {
			return Info{}, problem("svg", "%s: %v", name, err)
		}
		info.Width, info.Height = w, h
	case declared == "image/avif":
		// No maintained pure-Go decoder reads AVIF's header here: kept, unmeasured, unresized.
	case strings.HasPrefix(declared, "image/"):
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return Info{}, problem("unreadable", "%s is not a readable image: %v", name, err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > lim.MaxPixels/max(cfg.Height, 1) {
			return Info{}, problem("too_many_pixels", "%s is %d × %d pixels; the largest image accepted has %d megapixels", name, cfg.Width, cfg.Height, lim.MaxPixels/1_000_000)
		}
		info.Width, info.Height = cfg.Width, cfg.Height
	}
	return info, nil
}

// bytesAgree reports whether data starts as files of type t do. Text types only need to be
// text; the Office formats are ZIP files.
func bytesAgree(t string, data []byte) bool {
	sniffed := http.DetectContentType(data)
	switch {
	case t == "image/svg+xml":
		return strings.HasPrefix(sniffed, "text/xml") || strings.HasPrefix(sniffed, "text/plain") || strings.HasPrefix(sniffed, "image/svg")
	case t == "image/avif":
		return len(data) > 12 && string(data[4:8]) == "ftyp" && (string(data[8:12]) == "avif" || string(data[8:12]) == "avis")
	case strings.HasPrefix(t, "text/"):
		return strings.HasPrefix(sniffed, "text/plain")
	case t == "application/pdf", t == "application/zip", strings.HasPrefix(t, "image/"):
		return sniffed == t
	case strings.HasPrefix(t, "application/vnd.openxmlformats"), strings.HasPrefix(t, "application/vnd.oasis"):
		return sniffed == "application/zip"
	}
	return false
}

// Size returns the width and height of an image kept by the site, in CSS pixels, read from
// its first bytes: PNG, JPEG, GIF and WebP from their headers, SVG from its root element's
// width and height, else its viewBox. It returns 0, 0 for anything else or what it cannot
// read, and pages then write no size.
func Size(contentType string, data []byte) (width, height int) {
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
