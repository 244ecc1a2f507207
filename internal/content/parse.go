// Package content reads and writes a site as a folder of Markdown files with YAML front matter
// (docs/content-format.md): it parses and validates such a folder into items, and exports a
// store back into the same format.
package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/alliance-platform/alliance"
)

// Problem is one thing wrong with a content folder, located at a file, line and field.
type Problem struct {
	Path    string
	Line    int
	Field   string
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is the error returned when a folder is invalid: every problem found, in file order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s):\n%s", len(ps), strings.Join(lines, "\n"))
}

func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Path != ps[j].Path {
			return ps[i].Path < ps[j].Path
		}
		return ps[i].Line < ps[j].Line
	})
	return ps
}

// fieldSet maps the YAML names of a struct's fields to their index.
type fieldSet map[string]int

func fieldsOf(v any) fieldSet {
	t := reflect.TypeOf(v).Elem()
	fs := fieldSet{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			fs[name] = i
		}
	}
	return fs
}

// common holds the translated fields every titled kind has.
type common struct {
	Title   string `yaml:"title,omitempty"`
	Slug    string `yaml:"slug,omitempty"`
	Summary string `yaml:"summary,omitempty"`
}

var commonFields = fieldsOf(&common{})

// schedule holds the fields that keep an item of any kind off the public site, as Hugo names
// them: draft, and the window publish_at … unpublish_at. They are language-independent, like
// shared fields, and written in the source language's file.
type schedule struct {
	Draft       bool   `yaml:"draft,omitempty"`
	PublishAt   string `yaml:"publish_at,omitempty"`
	UnpublishAt string `yaml:"unpublish_at,omitempty"`
}

var scheduleFields = fieldsOf(&schedule{})

// scheduleLayouts are the forms publish_at and unpublish_at may take: a date and time with
// its UTC offset (or Z), seconds optional. An offset is required: an item has no time zone of
// its own that every kind shares, and a publication instant must not depend on the server's.
var scheduleLayouts = []string{"2006-01-02T15:04Z07:00", time.RFC3339}

// parseInstant reads a publish_at or unpublish_at value.
func parseInstant(s string) (time.Time, error) {
	for _, l := range scheduleLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("must be a date and time with its UTC offset, written YYYY-MM-DDTHH:MM+01:00 (or Z for UTC), not %q", s)
}

// formatInstant writes an instant as export writes publish_at and unpublish_at: in UTC, to the
// minute when it falls on one.
func formatInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Second() == 0 {
		return t.Format("2006-01-02T15:04Z")
	}
	return t.Format("2006-01-02T15:04:05Z")
}

// scheduleOf is the schedule of a stored item, as export writes it; nil when it has none.
func scheduleOf(it *alliance.Item) *schedule {
	sc := &schedule{Draft: it.Draft, PublishAt: formatInstant(it.PublishAt), UnpublishAt: formatInstant(it.UnpublishAt)}
	if *sc == (schedule{}) {
		return nil
	}
	return sc
}

// file is one parsed content file.
type file struct {
	path      string
	kind      alliance.KindInfo
	key, lang string
	// shared holds the shared fields present in the file: name → value node; sched the
	// schedule fields likewise.
	shared     map[string]*yaml.Node
	sched      map[string]*yaml.Node
	sharedKeys []string // in file order
	common     common
	text       any // *alliance.StoryText …
	body       string
	bodyLine   int            // line in the file of the body's first line
	lines      map[string]int // field → line in the file
}

var fileName = regexp.MustCompile(`^([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2,3})\.md$`)

// frontMatterStart is the line number, in the file, of the first line of front matter.
const frontMatterStart = 2

// parseFile splits data into front matter and body and sorts the fields into shared and
// translated ones, decoding the translated ones. Problems are appended to *ps.
func parseFile(path string, ki alliance.KindInfo, key, lang string, data []byte, ps *Problems) *file {
	add := func(line int, field, format string, args ...any) {
		*ps = append(*ps, Problem{Path: path, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if i, why := alliance.BadByte(data); i >= 0 {
		add(lineAt(data, i), "", "%s", why)
		return nil
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		add(1, "", "must start with a line holding only --- (the front matter)")
		return nil
	}
	rest := data[4:]
	var front, body []byte
	if bytes.HasPrefix(rest, []byte("---\n")) || bytes.Equal(rest, []byte("---")) {
		front, body = nil, bytes.TrimPrefix(rest, []byte("---"))
	} else if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
		front, body = rest[:i+1], rest[i+5:]
	} else if bytes.HasSuffix(rest, []byte("\n---")) {
		front, body = rest[:len(rest)-3], nil
	} else {
		add(1, "", "front matter is not closed by a line holding only ---")
		return nil
	}
	f := &file{path: path, kind: ki, key: key, lang: lang, shared: map[string]*yaml.Node{}, sched: map[string]*yaml.Node{}, lines: map[string]int{}}
	f.body = strings.TrimLeft(string(body), "\n")
	f.bodyLine = lineAt(data, len(data)-len(body)) + len(body) - len(f.body)
	if f.body != "" && !strings.HasSuffix(f.body, "\n") {
		f.body += "\n"
	}
	f.text = ki.NewText()

	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil {
		line, msg := yamlError(err)
		add(line, "", "invalid YAML: %s", msg)
		return nil
	}
	if len(doc.Content) == 0 {
		return f
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		add(root.Line+frontMatterStart-1, "", "front matter must be a mapping of field: value")
		return nil
	}
	sharedFields := fieldsOf(ki.NewShared())
	textFields := fieldsOf(f.text)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		name, line := k.Value, k.Line+frontMatterStart-1
		if _, dup := f.lines[name]; dup {
			add(line, name, "appears twice")
			continue
		}
		f.lines[name] = line
		switch {
		case ki.Titled && hasField(commonFields, name):
			decodeField(&f.common, commonFields[name], v, path, line, name, ps)
		case hasField(textFields, name):
			decodeField(f.text, textFields[name], v, path, line, name, ps)
		case hasField(scheduleFields, name):
			f.sched[name] = v
		case hasField(sharedFields, name):
			f.shared[name] = v
			f.sharedKeys = append(f.sharedKeys, name)
		default:
			add(line, name, "unknown field for %s (see docs/content-format.md)", ki.Dir)
		}
	}
	return f
}

// lineAt returns the line (from 1) of data holding the byte at offset i.
func lineAt(data []byte, i int) int {
	return bytes.Count(data[:i], []byte("\n")) + 1
}

func hasField(fs fieldSet, name string) bool { _, ok := fs[name]; return ok }

// decodeField decodes the value node into field i of the struct *dst points to.
func decodeField(dst any, i int, v *yaml.Node, path string, line int, name string, ps *Problems) bool {
	fv := reflect.ValueOf(dst).Elem().Field(i)
	if err := v.Decode(fv.Addr().Interface()); err != nil {
		_, msg := yamlError(err)
		*ps = append(*ps, Problem{Path: path, Line: line, Field: name, Message: msg})
		return false
	}
	return true
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// yamlError turns a yaml.v3 error into a line in the file (0 when unknown) and a message
// without the "yaml:" noise.
func yamlError(err error) (int, string) {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimSpace(msg)
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &line)
		line += frontMatterStart - 1
		msg = strings.Replace(msg, m[0], "", 1)
	}
	msg = strings.ReplaceAll(msg, "!!str", "text")
	msg = strings.ReplaceAll(msg, "!!int", "integer")
	msg = strings.ReplaceAll(msg, "!!seq", "list")
	msg = strings.ReplaceAll(msg, "!!map", "mapping")
	msg = strings.ReplaceAll(msg, "alliance.", "")
	return line, msg
}

// encodeFrontMatter writes the front matter of one file: the schedule and the shared fields
// (when given), then the common translated fields, then the kind's translated fields.
func encodeFrontMatter(sched *schedule, shared alliance.Shared, c *common, text any) ([]byte, error) {
	merged := &yaml.Node{Kind: yaml.MappingNode}
	for _, v := range []any{sched, shared, c, text} {
		if v == nil || reflect.ValueOf(v).IsNil() {
			continue
		}
		var n yaml.Node
		if err := n.Encode(v); err != nil {
			return nil, err
		}
		if n.Kind == yaml.MappingNode {
			merged.Content = append(merged.Content, n.Content...)
		}
	}
	var buf bytes.Buffer
	buf.WriteString("---\n")
	if len(merged.Content) > 0 {
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(merged); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	buf.WriteString("---\n")
	return buf.Bytes(), nil
}

// sameValue reports whether two YAML values decode to the same shared field value.
func sameValue(ki alliance.KindInfo, idx int, a, b *yaml.Node) bool {
	va, vb := ki.NewShared(), ki.NewShared()
	fa := reflect.ValueOf(va).Elem().Field(idx).Addr().Interface()
	fb := reflect.ValueOf(vb).Elem().Field(idx).Addr().Interface()
	if a.Decode(fa) != nil || b.Decode(fb) != nil {
		return false
	}
	ja, _ := json.Marshal(fa)
	jb, _ := json.Marshal(fb)
	return bytes.Equal(ja, jb)
}
