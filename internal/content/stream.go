package content

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/media"
	"github.com/alliance-platform/alliance/internal/store"
)

// An import streams: a folder of 100,000 items (380,000 files) held in memory took 10 GB. It
// reads the folder three times and holds only names between the passes:
//
//  1. names: the folder's shape (folders, file names, languages, links) and the key of every
//     item, which references may name;
//  2. checks: every item's files parsed and merged and checked as Load checks them (fields,
//     references against the keys of pass 1 and the store, slugs unique in the folder),
//     then dropped, keeping the references between the folder's items; a problem anywhere
//     stops the import here, having written nothing;
//  3. saves: the items in an order where an item comes after those it refers to (items that
//     refer to each other in a circle, such as related stories, in the same batch), in batches
//     of batchSize items, each batch one transaction through the write path (store.Tx.Save),
//     which checks them again. The media files go first, the site's settings with them.
//
// A batch is a transaction of its own so that a running server's editors are not locked out
// of saving for the whole import (SQLite has one writer), and so that the transaction stays
// small. A folder of up to batchSize items is thus still imported all or nothing; a larger one
// whose batch the store refuses (what only the store can tell, such as a slug taken by a stored
// item the folder does not hold) keeps the batches before it, each whole and referring only to
// what is stored, and importing again completes it.

// batchSize is the number of items an import saves per transaction, unless Options say.
const batchSize = 1000

// mediaBatchBytes bounds the bytes of media files saved per transaction.
const mediaBatchBytes = 64 << 20

// entry is what an import keeps of an item between its passes.
type entry struct {
	ki    int8 // index in alliance.Kinds
	key   string
	langs uint64  // the languages of its files, as bits of the site's languages
	refs  []int32 // the items of the folder it refers to
}

type itemKey struct {
	kind alliance.Kind
	key  string
}

// plan is what the first two passes learn of a folder.
type plan struct {
	fsys    fs.FS
	site    *alliance.Site // the folder's site.yaml; nil when it has none
	langs   []string       // the site's languages, the folder's or else the store's
	entries []entry
	index   map[itemKey]int32
	media   []string // paths under media/, in the folder's order
	ex      *Existing
	batch   int // items per transaction
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
	p, err := scan(fsys, ex)
	if err != nil {
		return Stats{}, nil, err
	}
	p.batch = opt.BatchSize
	if p.batch <= 0 {
		p.batch = batchSize
	}
	return p.save(ctx, db, opt.Prune)
}

// scan runs the first two passes: it returns the folder's plan, or Problems.
func scan(fsys fs.FS, ex *Existing) (*plan, error) {
	var ps Problems
	p := &plan{fsys: fsys, index: map[itemKey]int32{}, ex: ex}
	if data, err := fs.ReadFile(fsys, "site.yaml"); err == nil {
		p.site = parseSite(data, &ps)
	} else if ex.Site == nil || len(ex.Site.Languages) == 0 {
		ps = append(ps, Problem{Path: "site.yaml", Message: "missing: the folder must say the site's name and languages"})
	}
	site := p.site
	if site == nil {
		site = ex.Site
	}
	if site == nil {
		site = &alliance.Site{}
	}
	p.langs = site.Languages
	if len(p.langs) > 64 {
		return nil, fmt.Errorf("import: a site of %d languages; at most 64", len(p.langs))
	}
	langBit := map[string]uint64{}
	for i, l := range p.langs {
		langBit[l] = 1 << i
	}
	kindIndex := map[alliance.Kind]int8{}
	for i, ki := range alliance.Kinds {
		kindIndex[ki.Kind] = int8(i)
	}

	// Pass 1: names.
	err := walkFolder(fsys, site, &ps, func(_, rest string) {
		p.media = append(p.media, rest)
	}, func(_ string, ki alliance.KindInfo, key, lang string) {
		k := itemKey{ki.Kind, key}
		i, ok := p.index[k]
		if !ok {
			i = int32(len(p.entries))
			p.index[k] = i
			p.entries = append(p.entries, entry{ki: kindIndex[ki.Kind], key: key})
		}
		p.entries[i].langs |= langBit[lang]
	})
	if err != nil {
		return nil, err
	}

	// Pass 2: checks.
	mediaSet := make(map[string]bool, len(p.media))
	for _, m := range p.media {
		data, err := fs.ReadFile(fsys, "media/"+m)
		if err != nil {
			ps = append(ps, Problem{Path: "media/" + m, Message: err.Error()})
			continue
		}
		if inspectMedia("media/"+m, m, data, &ps) != nil {
			mediaSet[m] = true
		}
	}
	known := func(k alliance.Kind, key string) bool {
		_, ok := p.index[itemKey{k, key}]
		return ok || ex.Keys[k][key]
	}
	hasMedia := func(m string) bool { return mediaSet[m] || ex.Media[m] }
	// Slugs are kept as hashes of kind, language and slug: 380,000 of them as strings took
	// tens of MB.
	type slugOwner struct {
		item int32
		lang int8
	}
	slugs := map[[16]byte]slugOwner{}
	for i := range p.entries {
		e := &p.entries[i]
		ki := alliance.Kinds[e.ki]
		it, fl := p.build(int32(i), &ps, known, hasMedia)
		if it == nil {
			continue
		}
		for j := range it.Texts {
			t := &it.Texts[j]
			if t.Slug == "" {
				continue
			}
			sum := sha256.Sum256([]byte(string(ki.Kind) + "\x00" + t.Lang + "\x00" + t.Slug))
			h := [16]byte(sum[:16])
			if other, dup := slugs[h]; dup {
				line := fl[j].lines["slug"]
				if line == 0 {
					line = fl[j].lines["title"] // the slug was made from the title
				}
				ps = append(ps, Problem{Path: fl[j].path, Line: line, Field: "slug", Message: fmt.Sprintf("%q is already the slug of %s", t.Slug, p.path(other.item, p.langs[other.lang]))})
				continue
			}
			slugs[h] = slugOwner{int32(i), int8(langIndex(p.langs, t.Lang))}
		}
		for _, r := range it.Data.Refs() {
			if j, ok := p.index[itemKey{r.Kind, r.Key}]; ok && j != int32(i) {
				e.refs = append(e.refs, j)
			}
		}
	}
	if len(ps) > 0 {
		return nil, ps.sorted()
	}
	return p, nil
}

func langIndex(langs []string, lang string) int {
	for i, l := range langs {
		if l == lang {
			return i
		}
	}
	return -1
}

// path is the file of item i in lang.
func (p *plan) path(i int32, lang string) string {
	e := &p.entries[i]
	return alliance.Kinds[e.ki].Dir + "/" + e.key + "." + lang + ".md"
}

// build reads, parses and merges the files of item i, as Load does; nil when they have
// problems, which are added to ps.
func (p *plan) build(i int32, ps *Problems, known func(alliance.Kind, string) bool, hasMedia func(string) bool) (*alliance.Item, []*file) {
	e := &p.entries[i]
	ki := alliance.Kinds[e.ki]
	var fl []*file
	for j, lang := range p.langs { // the site's order, as Load sorts them
		if e.langs&(1<<j) == 0 {
			continue
		}
		path := p.path(i, lang)
		data, err := fs.ReadFile(p.fsys, path)
		if err != nil {
			*ps = append(*ps, Problem{Path: path, Message: err.Error()})
			continue
		}
		if f := parseFile(path, ki, e.key, lang, data, ps); f != nil {
			fl = append(fl, f)
		}
	}
	if len(fl) == 0 {
		return nil, nil
	}
	it := buildItem(ki, e.key, fl, p.ex, ps, known, hasMedia)
	return it, fl
}

// order returns the folder's items in batches: every item after the items of the folder it
// refers to, except that items referring to each other in a circle are in one batch. It is
// Tarjan's algorithm, which finds the strongly connected components of the references, each
// after those it refers to.
func (p *plan) order() [][]int32 {
	n := len(p.entries)
	index := make([]int32, n) // 0: not visited; else visit number + 1
	low := make([]int32, n)
	onStack := make([]bool, n)
	var stack []int32
	var next int32
	var batches [][]int32
	var batch []int32
	var visit func(v int32)
	visit = func(v int32) {
		next++
		index[v], low[v] = next, next
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range p.entries[v].refs {
			if index[w] == 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		for { // v is the root of a component: it and what is above it on the stack
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			batch = append(batch, w)
			if w == v {
				break
			}
		}
		if len(batch) >= p.batch {
			batches = append(batches, batch)
			batch = nil
		}
	}
	// Kind by kind, key by key: referred kinds come first in alliance.Kinds.
	roots := make([]int32, n)
	for i := range roots {
		roots[i] = int32(i)
	}
	sort.Slice(roots, func(a, b int) bool {
		ea, eb := &p.entries[roots[a]], &p.entries[roots[b]]
		if ea.ki != eb.ki {
			return ea.ki < eb.ki
		}
		return ea.key < eb.key
	})
	for _, v := range roots {
		if index[v] == 0 {
			visit(v)
		}
	}
	if len(batch) > 0 {
		batches = append(batches, batch)
	}
	return batches
}

// counts is what one transaction of an import did, for its audit line and the stats.
type counts struct {
	items, created, changed, texts, media int
}

// save runs pass 3.
func (p *plan) save(ctx context.Context, db *store.DB, prune bool) (Stats, []string, error) {
	var st Stats
	var removedTexts []string
	change := alliance.ImportChange()
	change.Counted = true // one audit line per transaction, below
	audit := func(tx *store.Tx, c counts) error {
		detail := fmt.Sprintf("%d items (%d created, %d changed), %d media files", c.items, c.created, c.changed, c.media)
		return tx.Audit(ctx, store.AuditEntry{Actor: change.UserName, Action: store.AuditItemsImported, Subject: "import", Detail: detail})
	}

	// The site's settings and the media files first: items refer to them.
	first := true
	for start := 0; start < len(p.media) || (first && p.site != nil); {
		var c counts
		err := db.Update(ctx, func(tx *store.Tx) error {
			if first && p.site != nil {
				if err := tx.SaveSite(ctx, p.site); err != nil {
					return err
				}
			}
			bytes := 0
			for i := start; i < len(p.media) && bytes < mediaBatchBytes; i++ {
				data, err := fs.ReadFile(p.fsys, "media/"+p.media[i])
				if err != nil {
					return Problems{{Path: "media/" + p.media[i], Message: err.Error()}}
				}
				if _, err := tx.PutMedia(ctx, p.media[i], data, media.DefaultLimits); err != nil {
					return err
				}
				bytes += len(data)
				c.media++
			}
			if c.media == 0 {
				return nil
			}
			return audit(tx, c)
		})
		if err != nil {
			return Stats{}, nil, importError(err)
		}
		first = false
		start += c.media
		st.Media += c.media
	}

	noProblem := func(alliance.Kind, string) bool { return true }
	noMedia := func(string) bool { return true }
	analyzed := p.batch / 2
	for _, batch := range p.order() {
		var c counts
		var removed []string
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, i := range batch {
				var ps Problems
				// Checked in pass 2: the references are checked again by Save.
				it, fl := p.build(i, &ps, noProblem, noMedia)
				if len(ps) > 0 {
					return ps.sorted() // changed since pass 2
				}
				stored, err := tx.Item(ctx, it.Kind, it.Key)
				if err != nil && !errors.Is(err, alliance.ErrNotFound) {
					return err
				}
				if stored != nil {
					// Save replaces an item's texts: the folder may give only some of them, and
					// the others stay, unless the import prunes them.
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
				rev, err := tx.Save(ctx, it, change)
				if err != nil {
					return problems(fl, err)
				}
				c.items++
				c.texts += len(it.Texts)
				switch {
				case stored == nil:
					c.created++
				case rev.Number != stored.Revision:
					c.changed++
				}
			}
			return audit(tx, c)
		})
		if err != nil {
			var ve *alliance.ValidationError
			if errors.As(err, &ve) { // a reference left open at the end of the batch
				var ps Problems
				if i, ok := p.index[itemKey{ve.Kind, ve.Key}]; ok {
					_, fl := p.build(i, &ps, noProblem, noMedia)
					err = problems(fl, err)
				}
			}
			return Stats{}, nil, importError(err)
		}
		st.Items += c.items
		st.Texts += c.texts
		removedTexts = append(removedTexts, removed...)
		if st.Items >= analyzed*2 {
			// The tables doubled since the planner last counted them (store.Analyze).
			if err := db.Analyze(ctx); err != nil {
				return Stats{}, nil, err
			}
			analyzed = st.Items
		}
	}
	if st.Items > analyzed && st.Items > 1000 {
		// Once more for the last half: statistics, and SQLite's search index merged.
		if err := db.Analyze(ctx); err != nil {
			return Stats{}, nil, err
		}
	}
	if !prune {
		return st, nil, nil
	}

	// What the folder does not hold goes, in one last transaction: items first, then
	// translations (removed above), then media.
	var gone []string
	err := db.Update(ctx, func(tx *store.Tx) error {
		gone = nil
		keys, err := tx.Keys(ctx)
		if err != nil {
			return err
		}
		for _, ki := range alliance.Kinds {
			for _, key := range keys[ki.Kind] {
				if _, ok := p.index[itemKey{ki.Kind, key}]; !ok {
					if err := tx.Delete(ctx, ki.Kind, key, alliance.ImportChange()); err != nil { // audited
						return err
					}
					gone = append(gone, fmt.Sprintf("%s %s", ki.Kind, key))
				}
			}
		}
		gone = append(gone, removedTexts...)
		paths, err := tx.MediaPaths(ctx)
		if err != nil {
			return err
		}
		inFolder := make(map[string]bool, len(p.media))
		for _, m := range p.media {
			inFolder[m] = true
		}
		for _, path := range paths {
			if !inFolder[path] {
				if err := tx.DeleteMedia(ctx, path); err != nil {
					return err
				}
				gone = append(gone, "media "+path)
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, nil, importError(err)
	}
	return st, gone, nil
}

func importError(err error) error {
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	return fmt.Errorf("import: %w", err)
}

// problems turns the store's refusal of the item of the files fl into Problems at their lines,
// when it is a *alliance.ValidationError (a field "texts.{lang}.{name}" is in that language's
// file, any other in the file that gives the shared fields); other errors are returned as
// they are.
func problems(fl []*file, err error) error {
	var ve *alliance.ValidationError
	if !errors.As(err, &ve) || len(fl) == 0 {
		return err
	}
	var ps Problems
	for _, fe := range ve.Errors {
		f, field := fl[0], fe.Field
		for _, g := range fl {
			if len(g.sharedKeys) > 0 {
				f = g
				break
			}
		}
		if rest, ok := strings.CutPrefix(fe.Field, "texts."); ok {
			lang, name, _ := strings.Cut(rest, ".")
			field = name
			for _, g := range fl {
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
