package ui

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/alliance-platform/alliance/internal/media"
)

// Img is an image of the media library as a page shows it: the original's URL and what the
// img element needs around it. The smaller copies made when the image was saved
// (media.Variants) are offered in srcset, read at /media/{path}?w={width}.
type Img struct {
	Src  string // the original's URL, "/media/" and its path
	Alt  string
	Lang string // the alt text's language when it is not the page's
	// Width and Height are the width and height attributes, 0 for none. With Natural they are
	// the image's own size, and srcset offers exactly the copies narrower than it, with the
	// original; without (a card's box, whose image's size the listing does not read), it offers
	// every width copies are made at, and the media handler serves the original at a width the
	// image has no copy of.
	Width, Height int
	Natural       bool
	Sizes         string // how wide the image is shown, for the browser's choice in srcset
	Class         string
	Lazy          bool // below the fold: loading=lazy, decoding=async
	First         bool // the page's main image: fetchpriority=high
}

// The sizes of the site's images, from the style sheet: the page's column is 72rem wide less
// 1.25rem padding on each side; cards fill a grid of columns at least 17rem wide, 1.25rem apart
// (three from 56rem, two from 37.75rem, else one).
const (
	SizesColumn = "(min-width: 72rem) 69.5rem, calc(100vw - 2.5rem)"
	SizesCard   = "(min-width: 72rem) 22.4rem, (min-width: 56rem) calc((100vw - 5rem) / 3), (min-width: 37.75rem) calc((100vw - 3.75rem) / 2), calc(100vw - 2.5rem)"
)

// maxOffered is the widest original srcset offers beside its copies: a camera's photograph
// 6000 pixels wide would be what a wide screen at twice the density picks, megabytes for
// nothing its 1600-pixel copy does not show.
const maxOffered = 2400

// Image writes im as an img element with its srcset.
func Image(im Img) templ.Component { return image(im, im.srcset()) }

// srcset lists the copies of the image (and the original, when its width is known and not
// much wider than the widest copy); "" for an image without copies (SVG, AVIF, a document).
// candidateEscaper escapes what would end a srcset candidate in a path written as it is stored:
// a space or a comma. It is made once: a Replacer builds its tables on first use.
var candidateEscaper = strings.NewReplacer(" ", "%20", ",", "%2C")

func (im Img) srcset() string {
	ctype := media.TypeByName(im.Src)
	if im.Src == "" || !media.Resizable(ctype) {
		return ""
	}
	widths := media.Widths
	if im.Natural {
		if im.Width <= 0 {
			return ""
		}
		widths = media.CopyWidths(ctype, im.Width)
	}
	src := candidateEscaper.Replace(im.Src)
	var b strings.Builder
	for _, w := range widths {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(src + "?w=" + strconv.Itoa(w) + " " + strconv.Itoa(w) + "w")
	}
	if im.Natural && (im.Width <= maxOffered || b.Len() == 0) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(src + " " + strconv.Itoa(im.Width) + "w")
	}
	return b.String()
}

func (im Img) size(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}
