package web

import (
	"path"
	"strings"

	"github.com/alliance-platform/alliance/internal/locale"
)

// socialImage is the image that link previews (Open Graph, Twitter cards) and structured data
// show of a page: always a raster image, which social sites show and SVG is not.
type socialImage struct {
	URL           string // absolute
	Width, Height int
	Alt           string
	Own           bool // the page's own image, not the site's card
}

// The site card (static/card.png) and logo (static/logo.png), made from the site's icon by
// scripts/rasterize-demo.sh.
const (
	cardPath, cardWidth, cardHeight = "/static/card.png", 1200, 630
	logoPath, logoSize              = "/static/logo.png", 512
)

// siteCard is the image of pages without one of their own: the site's card.
func (rc *request) siteCard() socialImage {
	return socialImage{URL: rc.Base + cardPath, Width: cardWidth, Height: cardHeight, Alt: rc.Site.Name}
}

// rasterTypes are the extensions of the images social sites show.
var rasterTypes = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true}

// isRaster reports whether the media file at p is an image social sites show.
func isRaster(p string) bool { return rasterTypes[strings.ToLower(path.Ext(p))] }

// mediaImage is the social image of the media file p (a path under /media/) with its size,
// or the site's card when p is empty or an image social sites do not show (SVG).
func (rc *request) mediaImage(p, alt string, width, height int) socialImage {
	if p == "" || !isRaster(p) {
		return rc.siteCard()
	}
	return socialImage{URL: rc.ld().mediaURL(p), Width: width, Height: height, Alt: alt, Own: true}
}

// ldImage is the image as structured data names it.
func (i socialImage) ld() *ldImage {
	return &ldImage{Type: "ImageObject", URL: i.URL, Width: i.Width, Height: i.Height}
}

// TwitterCard is the kind of Twitter card: a large image for a page with its own image.
func (v *view) TwitterCard() string {
	if v.Social.Own {
		return "summary_large_image"
	}
	return "summary"
}

// OGLocale is og:locale: the page's language as Open Graph names locales (fr_FR).
func (v *view) OGLocale() string { return locale.OGLocale(v.Lang) }

// OGAlternates are og:locale:alternate: the locales of the page's other translations.
func (v *view) OGAlternates() []string {
	var out []string
	for _, a := range v.Alternates {
		if a.Lang != v.Lang {
			out = append(out, locale.OGLocale(a.Lang))
		}
	}
	return out
}

// ld is what structured data needs of the site for this request.
func (rc *request) ld() *ldSite {
	return &ldSite{Base: rc.Base,
		Alliance: &ldOrg{Type: "Organization", Name: rc.Site.Name, URL: rc.Base + "/" + rc.Lang + "/",
			Logo: &ldImage{Type: "ImageObject", URL: rc.Base + logoPath, Width: logoSize, Height: logoSize}},
		member: func(key string) *ldOrg {
			m := rc.member(key)
			if m == nil {
				return nil
			}
			return &ldOrg{Type: "CollegeOrUniversity", Name: m.Title, URL: rc.Base + m.Href}
		}}
}
