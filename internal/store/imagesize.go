package store

import "github.com/alliance-platform/alliance/internal/media"

// ImageSize returns the width and height of an image in CSS pixels, read from its first bytes
// (see media.Size). Pages write these sizes into img attributes, so the browser reserves the
// image's box before it loads (no layout shift).
func ImageSize(contentType string, data []byte) (width, height int) {
	return media.Size(contentType, data)
}
