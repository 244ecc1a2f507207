package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// Stats counts what an import or export handled.
type Stats struct {
	Items, Texts, Media int
}

func (s Stats) String() string {
	return fmt.Sprintf("%d items, %d translations, %d media files", s.Items, s.Texts, s.Media)
}

// Options change what an import does.
type Options struct {
	// Prune makes the site match the folder exactly: the items, translations and media files the
	// store holds and the folder does not are removed, in the import's transaction. The folder must
	// then be complete: its references are checked against itself only.
	Prune bool
	// BatchSize is the number of items saved per transaction (see stream.go); 1000 when 0.
	BatchSize int
}

// Import validates the folder fsys and saves it into db in one transaction: either every file is
// imported or, when any is invalid, none (the error is then Problems). Items are matched by kind
// and key, so importing again updates rather than duplicates.
func Import(ctx context.Context, db *store.DB, fsys fs.FS) (Stats, error) {
	st, _, err := ImportWith(ctx, db, fsys, Options{})
	return st, err
}

// ImportDir imports the folder dir as ImportWith does, reading it through an os.Root so that no
// path, link or "..", can lead the import to a file outside it; links inside it are refused too.
func ImportDir(ctx context.Context, db *store.DB, dir string, opt Options) (st Stats, removed []string, err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Stats{}, nil, fmt.Errorf("import: %w", err)
	}
	defer root.Close()
	return ImportWith(ctx, db, root.FS(), opt)
}

func existing(ctx context.Context, db *store.DB) (*Existing, error) {
	site, err := db.Site(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := db.Keys(ctx)
	if err != nil {
		return nil, err
	}
	paths, err := db.MediaPaths(ctx)
	if err != nil {
		return nil, err
	}
	media := make(map[string]bool, len(paths))
	for _, p := range paths {
		media[p] = true
	}
	return &Existing{Site: site, Keys: keys, Media: media, Item: func(k alliance.Kind, key string) *alliance.Item {
		if !keys[k][key] {
			return nil
		}
		it, err := db.Item(ctx, k, key)
		if err != nil {
			return nil
		}
		return it
	}}, nil
}

// Export writes the whole site into dir (created when missing) in the content format. Files of
// the same names are overwritten; other files in dir are left alone.
func Export(ctx context.Context, db *store.DB, dir string) (Stats, error) {
	var st Stats
	site, err := db.Site(ctx)
	if err != nil {
		return st, err
	}
	write := func(rel string, data []byte) error {
		return writeFile(dir, rel, bytes.NewReader(data))
	}
	siteYAML, err := marshalSite(site)
	if err != nil {
		return st, err
	}
	if err := write("site.yaml", siteYAML); err != nil {
		return st, err
	}
	for _, ki := range alliance.Kinds {
		items, err := db.Export(ctx, ki.Kind)
		if err != nil {
			return st, err
		}
		for _, it := range items {
			files, err := ItemFiles(ki, it)
			if err != nil {
				return st, err
			}
			for name, data := range files {
				if err := write(ki.Dir+"/"+name, data); err != nil {
					return st, err
				}
			}
			st.Items++
			st.Texts += len(it.Texts)
		}
	}
	paths, err := db.MediaPaths(ctx)
	if err != nil {
		return st, err
	}
	for _, p := range paths {
		m, err := db.Media(ctx, p)
		if err != nil {
			return st, err
		}
		if err := writeFile(dir, "media/"+p, db.MediaReader(ctx, m)); err != nil { // a chunk at a time
			return st, err
		}
		st.Media++
	}
	return st, nil
}

// writeFile writes the file rel of dir (with its folders) from r.
func writeFile(dir, rel string, r io.Reader) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("export %s: %w", rel, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// ItemFiles renders an item as its content files, by file name ("{key}.{lang}.md"). The shared
// fields go into the source language's file only.
func ItemFiles(ki alliance.KindInfo, it *alliance.Item) (map[string][]byte, error) {
	out := map[string][]byte{}
	hasSource := it.Text(it.SourceLang) != nil
	for i, t := range it.Texts {
		var shared alliance.Shared
		var sched *schedule
		if t.Lang == it.SourceLang || (!hasSource && i == 0) {
			sched = scheduleOf(it)
			shared = it.Data
			if shared == nil {
				shared = ki.NewShared()
				if err := json.Unmarshal(it.Shared, shared); err != nil {
					return nil, fmt.Errorf("export %s %s: %w", ki.Kind, it.Key, err)
				}
			}
		}
		text := t.Data
		if text == nil {
			text = ki.NewText()
		}
		if t.Data == nil && len(t.Fields) > 0 {
			if err := json.Unmarshal(t.Fields, text); err != nil {
				return nil, fmt.Errorf("export %s %s (%s): %w", ki.Kind, it.Key, t.Lang, err)
			}
		}
		var c *common
		if ki.Titled {
			c = &common{Title: t.Title, Slug: t.Slug, Summary: t.Summary}
		}
		front, err := encodeFrontMatter(sched, shared, c, text)
		if err != nil {
			return nil, fmt.Errorf("export %s %s (%s): %w", ki.Kind, it.Key, t.Lang, err)
		}
		var buf bytes.Buffer
		buf.Write(front)
		if t.Body != "" {
			buf.WriteString("\n")
			buf.WriteString(t.Body)
		}
		out[it.Key+"."+t.Lang+".md"] = buf.Bytes()
	}
	return out, nil
}

func marshalSite(s *alliance.Site) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("export site.yaml: %w", err)
	}
	enc.Close()
	return []byte(strings.TrimLeft(buf.String(), "\n")), nil
}
