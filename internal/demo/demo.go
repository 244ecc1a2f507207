// Package demo embeds the demo site: the fictional Meridia alliance, in the content format of
// docs/content-format.md. A new database is filled with it on first start.
package demo

import (
	"embed"
	"io/fs"
)

//go:embed all:content
var files embed.FS

// Content returns the demo content folder.
func Content() fs.FS {
	sub, err := fs.Sub(files, "content")
	if err != nil {
		panic(err) // the folder is embedded at build time; it cannot be missing
	}
	return sub
}
