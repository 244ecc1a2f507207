package content

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/media"
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

// ImportWith is Import with options. removed lists what Prune removed, one "kind key",
// "kind key (lang)" (a translation) or "media path" a line, in that order.
func ImportWith(ctx context.Context, db *store.DB, fsys fs.FS, opt Options) (st Stats, removed []string, err error) {
	ex, err := existing(ctx, db)
	if err != nil {
		return Stats{}, nil, err
	}
	if opt.Prune {
		// What the folder does not hold is about to go: only the folder itself may be referred to.
		ex = &Existing{Site: ex.Site, Pruned: ex.Keys, PrunedMedia: ex.Media}
	}
	b, err := Load(fsys, ex)
	if err != nil {
		return Stats{}, nil, err
	}
	return save(ctx, db, b, opt.Prune)
}

// Save writes a loaded bundle in one transaction.
func Save(ctx context.Context, db *store.DB, b *Bundle) (Stats, error) {
	st, _, err := save(ctx, db, b, false)
	return st, err
}

func save(ctx context.Context, db *store.DB, b *Bundle, prune bool) (Stats, []string, error) {
	var st Stats
	var removed []string
	err := db.Update(ctx, func(tx *store.Tx) error {
		if b.Site != nil {
			if err := tx.SaveSite(ctx, b.Site); err != nil {
				return err
			}
		}
		for _, m := range b.Media {
			if _, err := tx.PutMedia(ctx, m.Path, m.Data, media.DefaultLimits); err != nil {
				return err
			}
		}
		keep := map[alliance.Kind]map[string]bool{}
		for _, it := range b.Items {
			stored, err := tx.Item(ctx, it.Kind, it.Key)
			if err != nil && !errors.Is(err, alliance.ErrNotFound) {
				return err
			}
			if stored != nil {
				// Save replaces an item's texts: the folder may give only some of them, and the
				// others stay, unless the import prunes them.
				for _, t := range stored.Texts {
					if it.Text(t.Lang) != nil {
						continue
					}
					if prune {
						removed = append(removed, fmt.Sprintf("%s %s (%s)", it.Kind, it.Key, t.Lang))
					} else {
						it.Texts = append(it.Texts, t)
					}
				}
			}
			if _, err := tx.Save(ctx, it, alliance.ImportChange()); err != nil {
				return b.problems(it, err)
			}
			st.Texts += len(it.Texts)
			if keep[it.Kind] == nil {
				keep[it.Kind] = map[string]bool{}
			}
			keep[it.Kind][it.Key] = true
		}
		if !prune {
			return nil
		}
		keys, err := tx.Keys(ctx)
		if err != nil {
			return err
		}
		var gone []string
		for _, ki := range alliance.Kinds {
			for _, key := range keys[ki.Kind] {
				if !keep[ki.Kind][key] {
					if err := tx.Delete(ctx, ki.Kind, key, alliance.ImportChange()); err != nil { // audited
						return err
					}
					gone = append(gone, fmt.Sprintf("%s %s", ki.Kind, key))
				}
			}
		}
		// Items first, then translations, then media.
		removed = append(gone, removed...)
		paths, err := tx.MediaPaths(ctx)
		if err != nil {
			return err
		}
		inFolder := make(map[string]bool, len(b.Media))
		for _, m := range b.Media {
			inFolder[m.Path] = true
		}
		for _, p := range paths {
			if !inFolder[p] {
				if err := tx.DeleteMedia(ctx, p); err != nil {
					return err
				}
				removed = append(removed, "media "+p)
			}
		}
		return nil
	})
	var ps Problems
	if errors.As(err, &ps) {
		return Stats{}, nil, ps
	}
	if err != nil {
		return Stats{}, nil, fmt.Errorf("import: %w", err)
	}
	st.Items, st.Media = len(b.Items), len(b.Media)
	return st, removed, nil
}

// problems turns the store's refusal of it into Problems at the lines of its files, when it is a
// *alliance.ValidationError (a field "texts.{lang}.{name}" is in that language's file, any other
// in the file that gives the shared fields); other errors are returned as they are.
func (b *Bundle) problems(it *alliance.Item, err error) error {
	var ve *alliance.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	files := b.files[it]
	if len(files) == 0 {
		return err
	}
	var ps Problems
	for _, fe := range ve.Errors {
		f, field := files[0], fe.Field
		for _, g := range files {
			if len(g.sharedKeys) > 0 {
				f = g
				break
			}
		}
		if rest, ok := strings.CutPrefix(fe.Field, "texts."); ok {
			lang, name, _ := strings.Cut(rest, ".")
			field = name
			for _, g := range files {
				if g.lang == lang {
					f = g
				}
			}
		}
		line := f.lines[field]
		if line == 0 && field == "slug" {
			line = f.lines["title"] // the slug was made from the title
		}
		if line == 0 {
			line = 1
		}
		ps = append(ps, Problem{Path: f.path, Line: line, Field: field, Message: fe.Message})
	}
	return ps.sorted()
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
