package media

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// Widths are the widths, in pixels, of the smaller copies made of a raster image, which pages
// offer in srcset: a phone, a column of a laptop's page, and a wide screen at twice the density.
var Widths = []int{480, 960, 1600}

// Variant is a smaller copy of an image.
type Variant struct {
	Width, Height int
	ContentType   string
	Data          []byte
}

// Variants makes a copy of a raster image at each of widths narrower than it, keeping its
// proportions: JPEG for an opaque image, PNG for one with transparency (no maintained pure-Go
// library encodes WebP or AVIF; browsers take JPEG and PNG everywhere). An SVG, an AVIF or a
// document has none. info must come from Inspect, which has bounded the image's pixels, so the
// decoded image's memory is bounded too.
func Variants(info Info, data []byte, widths []int) ([]Variant, error) {
	wanted := copyWidths(info.ContentType, info.Width, widths)
	if len(wanted) == 0 {
		return nil, nil
	}
	if info.ContentType == "image/gif" {
		// An animation would be copied as its first frame: pages show the original.
		if g, err := gif.DecodeAll(bytes.NewReader(data)); err != nil || len(g.Image) > 1 {
			return nil, nil
		}
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("resize: %w", err)
	}
	opaque := isOpaque(src)
	out := make([]Variant, len(wanted))
	// Widest first, each copy scaled from the one before rather than from the original: a
	// 24-megapixel photograph is read once, not once per width, which took the copies of one
	// from 3.4 s to about a third of that (bench/README.md).
	from := src
	for i := len(wanted) - 1; i >= 0; i-- {
		w := wanted[i]
		h := max(1, (info.Height*w+info.Width/2)/info.Width)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), from, from.Bounds(), draw.Src, nil)
		from = dst
		var buf bytes.Buffer
		v := Variant{Width: w, Height: h}
		if opaque {
			v.ContentType = "image/jpeg"
			err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82})
		} else {
			v.ContentType = "image/png"
			err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, dst)
		}
		if err != nil {
			return nil, fmt.Errorf("resize to %d pixels: %w", w, err)
		}
		v.Data = buf.Bytes()
		out[i] = v
	}
	return out, nil
}

// Resizable reports whether images of type contentType get smaller copies: the raster
// images Go decodes (JPEG, PNG, GIF, WebP), not SVG (drawn at any size), AVIF (no decoder) nor
// documents.
func Resizable(contentType string) bool {
	switch contentType {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return true
	}
	return false
}

// CopyWidths returns the widths of the copies Variants makes of an image of type contentType
// that is width pixels wide: those of Widths narrower than it, narrowest first. Pages write
// srcset from it without asking the database which copies exist (an animated GIF, which has
// none, is served whole at each; see the media handler).
func CopyWidths(contentType string, width int) []int {
	return copyWidths(contentType, width, Widths)
}

func copyWidths(contentType string, width int, widths []int) []int {
	if !Resizable(contentType) || width <= 0 {
		return nil
	}
	var out []int
	for _, w := range widths {
		if w < width {
			out = append(out, w)
		}
	}
	return out
}

// IsWidth reports whether w is one of Widths: the media handler answers 404 for any other.
func IsWidth(w int) bool {
	for _, x := range Widths {
		if x == w {
			return true
		}
	}
	return false
}

// isOpaque reports whether every pixel of img is opaque.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
