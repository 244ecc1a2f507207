package alliance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Change says who saves an item and, for an edit, which revision of it the editor started from.
// Every write of an item (the importer, the back office, the API) passes one to the store's Save.
type Change struct {
	// UserID and UserName name the user who saves; UserID is 0 for the importer and the
	// command line, whose UserName says what wrote ("import").
	UserID   int64
	UserName string
	// Base is the revision the editor started from: 0 for a new item. A save whose Base is not
	// the stored item's revision is refused with a *ConflictError, unless Blind.
	Base int
	// Blind saves over whatever is stored, without a conflict check: the importer, which
	// replaces items with the files' content by design.
	Blind bool
	// Addr is the network address the change came from, for the audit log ("" from the
	// command line and the importer).
	Addr string
	// Restored is the revision a restore brings back (set by the store's Restore), so that
	// the audit log says "restored" rather than "saved"; 0 for any other save.
	Restored int
	// Counted leaves the audit line of each saved item out: the writer audits the whole
	// transaction with its counts instead (an import: one line per transaction of 1,000 items,
	// rather than 100,000 lines for a site).
	Counted bool
}

// ImportChange is the Change of an import of a content folder.
func ImportChange() Change { return Change{UserName: "import", Blind: true} }

// Revision is one saved state of an item: who saved it and when. Snapshot is nil in lists of
// revisions and set when one revision is read.
type Revision struct {
	ItemID   int64
	Kind     Kind
	Key      string
	Number   int // 1 for the first save of the item, then one more per save that changed it
	UserID   int64
	UserName string
	Created  time.Time
	Snapshot *Snapshot
}

// Snapshot is everything an editor writes of an item, as JSON in a revision: its shared fields,
// every text, its draft flag and schedule. What the store derives when saving (HTML, the index
// columns, facets) is left out: a snapshot saved again derives them afresh.
type Snapshot struct {
	Kind        Kind            `json:"kind"`
	Key         string          `json:"key"`
	SourceLang  string          `json:"source_lang"`
	Shared      json.RawMessage `json:"shared"`
	Draft       bool            `json:"draft,omitempty"`
	PublishAt   string          `json:"publish_at,omitempty"` // UTC, RFC 3339, to the second
	UnpublishAt string          `json:"unpublish_at,omitempty"`
	Texts       []SnapshotText  `json:"texts"` // by language code
}

// SnapshotText is one text of a Snapshot.
type SnapshotText struct {
	Lang    string          `json:"lang"`
	Slug    string          `json:"slug,omitempty"`
	Title   string          `json:"title,omitempty"`
	Summary string          `json:"summary,omitempty"`
	Body    string          `json:"body,omitempty"`
	Fields  json.RawMessage `json:"fields,omitempty"`
}

// Snapshot returns what a revision keeps of it, from its Shared and Fields as they are (the
// store's Save marshals Data into them first).
func (it *Item) Snapshot() *Snapshot {
	s := &Snapshot{Kind: it.Kind, Key: it.Key, SourceLang: it.SourceLang, Shared: compactJSON(it.Shared), Draft: it.Draft,
		PublishAt: formatInstant(it.PublishAt), UnpublishAt: formatInstant(it.UnpublishAt)}
	for _, t := range it.Texts {
		f := compactJSON(t.Fields)
		if string(f) == "{}" {
			f = nil
		}
		s.Texts = append(s.Texts, SnapshotText{Lang: t.Lang, Slug: t.Slug, Title: t.Title, Summary: t.Summary, Body: t.Body, Fields: f})
	}
	sort.Slice(s.Texts, func(i, j int) bool { return s.Texts[i].Lang < s.Texts[j].Lang })
	return s
}

// Item returns the item the snapshot describes, without what a save derives: the form in which
// a restore saves it again.
func (s *Snapshot) Item() (*Item, error) {
	it := &Item{Kind: s.Kind, Key: s.Key, SourceLang: s.SourceLang, Shared: s.Shared, Draft: s.Draft}
	var err error
	if it.PublishAt, err = parseInstant(s.PublishAt); err != nil {
		return nil, fmt.Errorf("snapshot of %s %s: publish_at: %w", s.Kind, s.Key, err)
	}
	if it.UnpublishAt, err = parseInstant(s.UnpublishAt); err != nil {
		return nil, fmt.Errorf("snapshot of %s %s: unpublish_at: %w", s.Kind, s.Key, err)
	}
	for _, t := range s.Texts {
		it.Texts = append(it.Texts, Text{Lang: t.Lang, Slug: t.Slug, Title: t.Title, Summary: t.Summary, Body: t.Body, Fields: t.Fields})
	}
	return it, nil
}

// Equal reports whether two snapshots hold the same item.
func (s *Snapshot) Equal(o *Snapshot) bool {
	a, err1 := json.Marshal(s)
	b, err2 := json.Marshal(o)
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

// Difference is one field that differs between two snapshots. Field is named as the content
// files and validation errors name it: a shared field by its name ("date", "venue"), the
// schedule as "draft", "publish_at", "unpublish_at", the source language "source_lang", and a
// text's fields as "texts.{lang}.{name}" ("texts.el.title", "texts.el.body", "texts.el.alt").
// Old and New are the values, strings as they are and others as JSON; "" when absent.
type Difference struct {
	Field    string
	Old, New string
}

// Diff lists the fields that differ from a to b: the item's own, then its shared fields by name,
// then its texts by language and field.
func Diff(a, b *Snapshot) []Difference {
	if a == nil {
		a = &Snapshot{}
	}
	if b == nil {
		b = &Snapshot{}
	}
	var out []Difference
	add := func(field, old, new string) {
		if old != new {
			out = append(out, Difference{Field: field, Old: old, New: new})
		}
	}
	add("source_lang", a.SourceLang, b.SourceLang)
	add("draft", boolText(a.Draft), boolText(b.Draft))
	add("publish_at", a.PublishAt, b.PublishAt)
	add("unpublish_at", a.UnpublishAt, b.UnpublishAt)
	out = append(out, diffObjects("", a.Shared, b.Shared)...)
	texts := map[string][2]*SnapshotText{}
	for i := range a.Texts {
		p := texts[a.Texts[i].Lang]
		p[0] = &a.Texts[i]
		texts[a.Texts[i].Lang] = p
	}
	for i := range b.Texts {
		p := texts[b.Texts[i].Lang]
		p[1] = &b.Texts[i]
		texts[b.Texts[i].Lang] = p
	}
	langs := make([]string, 0, len(texts))
	for l := range texts {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		p := texts[l]
		var x, y SnapshotText
		if p[0] != nil {
			x = *p[0]
		}
		if p[1] != nil {
			y = *p[1]
		}
		prefix := "texts." + l + "."
		add(prefix+"title", x.Title, y.Title)
		add(prefix+"slug", x.Slug, y.Slug)
		add(prefix+"summary", x.Summary, y.Summary)
		add(prefix+"body", x.Body, y.Body)
		out = append(out, diffObjects(prefix, x.Fields, y.Fields)...)
	}
	return out
}

// diffObjects compares two JSON objects key by key, naming each key after prefix.
func diffObjects(prefix string, a, b json.RawMessage) []Difference {
	var x, y map[string]json.RawMessage
	if len(a) > 0 {
		json.Unmarshal(a, &x)
	}
	if len(b) > 0 {
		json.Unmarshal(b, &y)
	}
	names := map[string]bool{}
	for k := range x {
		names[k] = true
	}
	for k := range y {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []Difference
	for _, k := range sorted {
		old, new := jsonText(x[k]), jsonText(y[k])
		if old != new {
			out = append(out, Difference{Field: prefix + k, Old: old, New: new})
		}
	}
	return out
}

// jsonText is a JSON value as a person reads it: a string unquoted, anything else as JSON.
func jsonText(v json.RawMessage) string {
	if len(v) == 0 {
		return ""
	}
	var s string
	if v[0] == '"' && json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(compactJSON(v))
}

func compactJSON(v json.RawMessage) json.RawMessage {
	if len(v) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return v
	}
	return buf.Bytes()
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func formatInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func parseInstant(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

// ValidationError is a save refused because of its content: every problem, by field (named as
// Difference names them), so that a form shows each message next to its field.
type ValidationError struct {
	Kind   Kind
	Key    string
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return fmt.Sprintf("%s %s: %s", e.Kind, e.Key, strings.Join(msgs, "; "))
}

// Field returns the messages about field.
func (e *ValidationError) Field(field string) []string {
	var out []string
	for _, fe := range e.Errors {
		if fe.Field == field {
			out = append(out, fe.Message)
		}
	}
	return out
}

// ConflictError is a save refused because the item changed since the editor read it: Base is the
// revision the editor started from, Current the item as stored now, at revision Revision. Nothing
// was written; the editor sees both versions and saves again from Revision.
type ConflictError struct {
	Kind     Kind
	Key      string
	Base     int
	Revision int
	Current  *Item
}

func (e *ConflictError) Error() string {
	if e.Current == nil {
		return fmt.Sprintf("%s %s: it was deleted since revision %d", e.Kind, e.Key, e.Base)
	}
	if e.Base == 0 {
		return fmt.Sprintf("%s %s already exists (revision %d)", e.Kind, e.Key, e.Revision)
	}
	return fmt.Sprintf("%s %s changed since revision %d: it is at revision %d", e.Kind, e.Key, e.Base, e.Revision)
}
