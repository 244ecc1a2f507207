package content

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/markdown"
	"github.com/alliance-platform/alliance/internal/media"
)

// Bundle is a validated content folder, ready to be saved.
type Bundle struct {
	Site  *alliance.Site // nil when the folder has no site.yaml
	Items []*alliance.Item
	Media []*alliance.Media
}

// Existing describes what the store already holds, so that a folder may refer to items and media
// it does not contain (a folder with only new stories, say).
type Existing struct {
	Site  *alliance.Site
	Keys  map[alliance.Kind]map[string]bool
	Media map[string]bool
	// Item returns a stored item, used when a folder only adds translations to it.
	Item func(kind alliance.Kind, key string) *alliance.Item
	// Pruned and PrunedMedia are what the store holds when an import with Prune is to remove
	// what the folder lacks: not referable, but named in the problem of a reference to them.
	Pruned      map[alliance.Kind]map[string]bool
	PrunedMedia map[string]bool
}

// Load reads and validates a content folder. When anything is wrong it returns Problems listing
// every problem found, and no bundle.
func Load(fsys fs.FS, ex *Existing) (*Bundle, error) {
	if ex == nil {
		ex = &Existing{}
	}
	var ps Problems
	b := &Bundle{}
	files := map[alliance.Kind]map[string][]*file{} // kind → key → files
	mediaSet := map[string]bool{}

	if data, err := fs.ReadFile(fsys, "site.yaml"); err == nil {
		b.Site = parseSite(data, &ps)
	} else if ex.Site == nil || len(ex.Site.Languages) == 0 {
		ps = append(ps, Problem{Path: "site.yaml", Message: "missing: the folder must say the site's name and languages"})
	}
	site := b.Site
	if site == nil {
		site = ex.Site
	}
	if site == nil {
		site = &alliance.Site{}
	}

	err := walkFolder(fsys, site, &ps, func(p, rest string) {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			ps = append(ps, Problem{Path: p, Message: err.Error()})
			return
		}
		if m := inspectMedia(p, rest, data, &ps); m != nil {
			b.Media = append(b.Media, m)
			mediaSet[rest] = true
		}
	}, func(p string, ki alliance.KindInfo, key, lang string) {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			ps = append(ps, Problem{Path: p, Message: err.Error()})
			return
		}
		if f := parseFile(p, ki, key, lang, data, &ps); f != nil {
			if files[ki.Kind] == nil {
				files[ki.Kind] = map[string][]*file{}
			}
			files[ki.Kind][key] = append(files[ki.Kind][key], f)
		}
	})
	if err != nil {
		return nil, err
	}

	// Everything the folder and the store hold, for reference checks.
	known := func(k alliance.Kind, key string) bool {
		return len(files[k][key]) > 0 || ex.Keys[k][key]
	}
	hasMedia := func(p string) bool { return mediaSet[p] || ex.Media[p] }
	langOrder := map[string]int{}
	for i, l := range site.Languages {
		langOrder[l] = i
	}

	type slugKey struct {
		kind       alliance.Kind
		lang, slug string
	}
	slugs := map[slugKey]string{} // → path of the file that has it
	for _, ki := range alliance.Kinds {
		keys := make([]string, 0, len(files[ki.Kind]))
		for k := range files[ki.Kind] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			fl := files[ki.Kind][key]
			sort.Slice(fl, func(i, j int) bool { return langOrder[fl[i].lang] < langOrder[fl[j].lang] })
			it := buildItem(ki, key, fl, ex, &ps, known, hasMedia)
			if it == nil {
				continue
			}
			for i := range it.Texts {
				t := &it.Texts[i]
				if t.Slug == "" {
					continue
				}
				sk := slugKey{ki.Kind, t.Lang, t.Slug}
				if other, dup := slugs[sk]; dup {
					line := fl[i].lines["slug"]
					if line == 0 {
						line = fl[i].lines["title"] // the slug was made from the title
					}
					ps = append(ps, Problem{Path: fl[i].path, Line: line, Field: "slug", Message: fmt.Sprintf("%q is already the slug of %s", t.Slug, other)})
				}
				slugs[sk] = fl[i].path
			}
			b.Items = append(b.Items, it)
		}
	}
	if len(ps) > 0 {
		return nil, ps.sorted()
	}
	sort.Slice(b.Media, func(i, j int) bool { return b.Media[i].Path < b.Media[j].Path })
	return b, nil
}

// buildItem merges the files of one item into an Item, reporting problems.
func buildItem(ki alliance.KindInfo, key string, fl []*file, ex *Existing, ps *Problems,
	known func(alliance.Kind, string) bool, hasMedia func(string) bool) *alliance.Item {
	before := len(*ps)
	add := func(f *file, field, format string, args ...any) {
		line := 1
		if l, ok := f.lines[field]; ok {
			line = l
		}
		*ps = append(*ps, Problem{Path: f.path, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	sharedFields := fieldsOf(ki.NewShared())
	shared := ki.NewShared()
	owner := map[string]*file{} // shared field → file that gave it
	var source *file
	for _, f := range fl {
		for _, name := range f.sharedKeys {
			v := f.shared[name]
			if first, ok := owner[name]; ok {
				if !sameValue(ki, sharedFields[name], first.shared[name], v) {
					add(f, name, "differs from the value in %s; shared fields must be identical in every language", first.path)
				}
				continue
			}
			owner[name] = f
			decodeField(shared, sharedFields[name], v, f.path, f.lines[name], name, ps)
		}
		if source == nil && len(f.sharedKeys) > 0 {
			source = f
		}
	}
	it := &alliance.Item{Kind: ki.Kind, Key: key}
	sched := buildSchedule(fl, it, ps)
	if source == nil {
		// A folder that only adds translations keeps the stored shared fields (and schedule,
		// unless it gives one).
		if ex.Item != nil {
			if stored := ex.Item(ki.Kind, key); stored != nil {
				if err := json.Unmarshal(stored.Shared, shared); err == nil {
					it.SourceLang = stored.SourceLang
					if sched == nil {
						it.Draft, it.PublishAt, it.UnpublishAt = stored.Draft, stored.PublishAt, stored.UnpublishAt
					}
				}
			}
		}
		if it.SourceLang == "" {
			source = fl[0]
		}
	}
	if source != nil {
		it.SourceLang = source.lang
	}
	// Problems of shared fields are reported in the file that holds them, or the source file.
	at := func(field string) *file {
		if f, ok := owner[field]; ok {
			return f
		}
		if source != nil {
			return source
		}
		return fl[0]
	}
	var c alliance.Check
	shared.Validate(&c)
	for _, e := range c.Errors {
		add(at(e.Field), e.Field, "%s", e.Message)
	}
	for _, r := range shared.Refs() {
		if !known(r.Kind, r.Key) {
			info, _ := alliance.InfoOf(r.Kind)
			if ex.Pruned[r.Kind][r.Key] {
				add(at(r.Field), r.Field, "%s %q has no file %s/%s.*.md in the folder, so --prune would remove it while this item refers to it: keep its files or remove the reference", r.Kind, r.Key, info.Dir, r.Key)
			} else {
				add(at(r.Field), r.Field, "unknown %s %q (no file %s/%s.*.md)", r.Kind, r.Key, info.Dir, r.Key)
			}
		}
		if r.Kind == ki.Kind && r.Key == key {
			add(at(r.Field), r.Field, "an item cannot refer to itself")
		}
	}
	for _, r := range alliance.MediaRefs(shared) {
		if !alliance.ValidMediaPath(r.Key) || !hasMedia(r.Key) {
			if ex.PrunedMedia[r.Key] {
				add(at(r.Field), r.Field, "media file %q is not in the folder (no file media/%s), so --prune would remove it while this item refers to it", r.Key, r.Key)
			} else {
				add(at(r.Field), r.Field, "unknown media file %q (no file media/%s)", r.Key, r.Key)
			}
		}
	}
	sharedJSON, err := json.Marshal(shared)
	if err != nil {
		add(fl[0], "", "cannot store shared fields: %v", err)
	}
	it.Shared = sharedJSON

	for _, f := range fl {
		// The limits are checked here for their line in the file; the store's Save renders.
		var limit *markdown.LimitError
		if errors.As(markdown.Check(f.body), &limit) {
			*ps = append(*ps, Problem{Path: f.path, Line: f.bodyLine + limit.Line - 1, Field: "body", Message: limit.Message})
		}
		t := alliance.Text{Lang: f.lang, Title: strings.TrimSpace(f.common.Title), Slug: f.common.Slug, Summary: strings.TrimSpace(f.common.Summary), Body: f.body}
		if ki.Titled {
			if t.Title == "" {
				add(f, "title", "is required")
			}
			if t.Slug == "" {
				t.Slug = Slugify(f.lang, t.Title)
			}
			if !alliance.ValidKey(t.Slug) {
				add(f, "slug", "%q must be lowercase ASCII letters, digits and single hyphens", t.Slug)
			}
			if ki.Kind == alliance.KindPage {
				if p := shared.(*alliance.Page); p.Parent == "" {
					if l, ok := locale.Get(f.lang); ok {
						if s, taken := l.SectionBySlug(t.Slug); taken {
							add(f, "slug", "%q is the address of the %s section in this language; choose another slug for a top-level page", t.Slug, s)
						}
					}
				}
			}
		}
		// Rules of the translated fields that depend on the shared ones (an image's alt text).
		if v, ok := shared.(alliance.TextValidator); ok {
			var vc alliance.Check
			v.ValidateText(f.text, &vc)
			for _, e := range vc.Errors {
				add(f, e.Field, "%s", e.Message)
			}
		}
		fields, err := json.Marshal(f.text)
		if err != nil {
			add(f, "", "cannot store translated fields: %v", err)
		}
		t.Fields = fields
		var tc alliance.Check
		t.Validate(&tc)
		for _, e := range tc.Errors {
			add(f, e.Field, "%s", e.Message)
		}
		it.Texts = append(it.Texts, t)
	}
	if len(*ps) > before {
		return nil
	}
	it.Data = shared
	return it
}

// buildSchedule reads the schedule fields of an item's files into it: like shared fields, they
// may be given in any of its files, identical wherever repeated (export writes them in the
// source language's). It returns the schedule, nil when no file gives one.
func buildSchedule(fl []*file, it *alliance.Item, ps *Problems) *schedule {
	sc := &schedule{}
	owner := map[string]*file{}
	for _, f := range fl {
		for name, v := range f.sched {
			line := f.lines[name]
			if o, ok := owner[name]; ok {
				if v.Value != o.sched[name].Value {
					*ps = append(*ps, Problem{Path: f.path, Line: line, Field: name, Message: fmt.Sprintf("differs from the value in %s; it must be identical in every language", o.path)})
				}
				continue
			}
			owner[name] = f
			decodeField(sc, scheduleFields[name], v, f.path, line, name, ps)
		}
	}
	if len(owner) == 0 {
		return nil
	}
	instant := func(name, value string) time.Time {
		if value == "" {
			return time.Time{}
		}
		t, err := parseInstant(value)
		if err != nil {
			*ps = append(*ps, Problem{Path: owner[name].path, Line: owner[name].lines[name], Field: name, Message: err.Error()})
		}
		return t.UTC().Truncate(time.Second) // stored to the second, as every time
	}
	it.Draft = sc.Draft
	it.PublishAt = instant("publish_at", sc.PublishAt)
	it.UnpublishAt = instant("unpublish_at", sc.UnpublishAt)
	if !it.PublishAt.IsZero() && !it.UnpublishAt.IsZero() && !it.UnpublishAt.After(it.PublishAt) {
		f := owner["unpublish_at"]
		*ps = append(*ps, Problem{Path: f.path, Line: f.lines["unpublish_at"], Field: "unpublish_at", Message: "must come after publish_at"})
	}
	return sc
}

func parseSite(data []byte, ps *Problems) *alliance.Site {
	if i, why := alliance.BadByte(data); i >= 0 {
		*ps = append(*ps, Problem{Path: "site.yaml", Line: lineAt(data, i), Message: why})
		return nil
	}
	var n yaml.Node
	s := &alliance.Site{}
	if err := yaml.Unmarshal(data, &n); err != nil {
		line, msg := yamlError(err)
		*ps = append(*ps, Problem{Path: "site.yaml", Line: line - frontMatterStart + 1, Message: "invalid YAML: " + msg})
		return nil
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		*ps = append(*ps, Problem{Path: "site.yaml", Line: 1, Message: "must be a mapping with name and languages"})
		return nil
	}
	root := n.Content[0]
	known := fieldsOf(s)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		idx, ok := known[k.Value]
		if !ok {
			*ps = append(*ps, Problem{Path: "site.yaml", Line: k.Line, Field: k.Value, Message: "unknown field"})
			continue
		}
		fv := reflect.ValueOf(s).Elem().Field(idx)
		if err := v.Decode(fv.Addr().Interface()); err != nil {
			_, msg := yamlError(err)
			*ps = append(*ps, Problem{Path: "site.yaml", Line: k.Line, Field: k.Value, Message: msg})
		}
	}
	line := func(field string) int {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == field {
				return root.Content[i].Line
			}
		}
		return 1
	}
	if strings.TrimSpace(s.Name) == "" {
		*ps = append(*ps, Problem{Path: "site.yaml", Line: line("name"), Field: "name", Message: "is required"})
	}
	if len(s.Languages) == 0 {
		*ps = append(*ps, Problem{Path: "site.yaml", Line: line("languages"), Field: "languages", Message: "is required"})
	}
	seen := map[string]bool{}
	for _, l := range s.Languages {
		if _, ok := locale.Get(l); !ok {
			*ps = append(*ps, Problem{Path: "site.yaml", Line: line("languages"), Field: "languages", Message: fmt.Sprintf("%q has no interface translation (supported: %s)", l, strings.Join(locale.Supported, ", "))})
		}
		if seen[l] {
			*ps = append(*ps, Problem{Path: "site.yaml", Line: line("languages"), Field: "languages", Message: fmt.Sprintf("%q is listed twice", l)})
		}
		seen[l] = true
	}
	return s
}

// walkFolder walks a content folder, reporting into ps what is wrong with its shape (links,
// unknown folders and files, file names, languages the site lacks), and calls media for each
// media file (p its path in the folder, rest its path under media/) and item for each content
// file, in the folder's order: the files of one item come one after another.
func walkFolder(fsys fs.FS, site *alliance.Site, ps *Problems, media func(p, rest string),
	item func(p string, ki alliance.KindInfo, key, lang string)) error {
	dirs := map[string]alliance.KindInfo{}
	for _, ki := range alliance.Kinds {
		dirs[ki.Dir] = ki
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			*ps = append(*ps, Problem{Path: p, Message: err.Error()})
			return nil
		}
		if p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		top, rest, nested := strings.Cut(p, "/")
		// A link could publish any file the importing user can read (a link to /etc/passwd in
		// media/ was served at /media/...): links are refused, and the folder is read through an
		// os.Root (ImportDir), which refuses any path leading out of it.
		if d.Type()&fs.ModeSymlink != 0 {
			*ps = append(*ps, Problem{Path: p, Message: "symbolic link refused: content files and folders must be real files inside the content folder"})
			return nil
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			*ps = append(*ps, Problem{Path: p, Message: "not a regular file (a device, pipe or socket) refused"})
			return nil
		}
		if d.IsDir() {
			if !nested && top != "media" {
				if _, ok := dirs[top]; !ok {
					*ps = append(*ps, Problem{Path: p, Message: "unknown folder (see docs/content-format.md for the folders of each kind)"})
					return fs.SkipDir
				}
			}
			if nested && top != "media" {
				*ps = append(*ps, Problem{Path: p, Message: "unexpected folder: content files sit directly in their kind's folder"})
				return fs.SkipDir
			}
			return nil
		}
		if !nested {
			if p != "site.yaml" {
				*ps = append(*ps, Problem{Path: p, Message: "unexpected file (content files go in their kind's folder)"})
			}
			return nil
		}
		if top == "media" {
			if !alliance.ValidMediaPath(rest) {
				*ps = append(*ps, Problem{Path: p, Message: "invalid media path"})
				return nil
			}
			media(p, rest)
			return nil
		}
		ki := dirs[top]
		m := fileName.FindStringSubmatch(rest)
		if m == nil {
			*ps = append(*ps, Problem{Path: p, Message: "file name must be {key}.{language}.md, the key in lowercase letters, digits and hyphens"})
			return nil
		}
		key, lang := m[1], m[2]
		if !site.HasLanguage(lang) {
			*ps = append(*ps, Problem{Path: p, Message: fmt.Sprintf("language %q is not one of the site's languages (%s)", lang, strings.Join(site.Languages, ", "))})
			return nil
		}
		item(p, ki, key, lang)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read content: %w", err)
	}
	return nil
}

// inspectMedia checks a media file as an upload is checked: what an editor may not upload
// may not come in by a folder either.
func inspectMedia(p, rest string, data []byte, ps *Problems) *alliance.Media {
	if _, err := media.Inspect(rest, data, media.DefaultLimits); err != nil {
		*ps = append(*ps, Problem{Path: p, Message: err.Error()})
		return nil
	}
	sum := sha256.Sum256(data)
	return &alliance.Media{Path: rest, ContentType: media.TypeByName(rest), Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}
}
