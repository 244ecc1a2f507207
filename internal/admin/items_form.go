package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
)

// widget is one field of an item form as the page shows it.
type widget struct {
	Kind    string // text, date, datetime-local, number, checkbox, select, checks, textarea, markdown, rows, group
	Name    string
	Label   string
	Help    string
	Value   string
	Values  []string
	Options []option
	Error   string
	Lang    string // the language of a text's field
	Step    string // number: "any" for decimals
	Rows    [][]widget
	Sub     []widget
	// List is the id of the datalist offering the field's values (an image field's: the media
	// library's images); Library links to the library, with LibraryText.
	List, Library, LibraryText string
}

// mediaLibraryPath is the media library's page, which image fields link to.
const mediaLibraryPath = prefix + "media/"

// mediaImagesList is the id of the item form's datalist of the media library's images.
const mediaImagesList = "media-images"

// mediaChoices is the most images an image field offers from the library, newest first.
const mediaChoices = 500

// ID is the element id of the field (the target of the error summary's links).
func (w widget) ID() string { return "f-" + w.Name }

func (w widget) describedBy() string {
	var ids []string
	if w.Help != "" {
		ids = append(ids, w.ID()+"-help")
	}
	if w.Error != "" {
		ids = append(ids, w.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

// refLimit is the most items a reference offers as checkboxes or a select; beyond it (a site's
// thousands of stories) the editor types keys.
const refLimit = 300

// formBuilder builds the widgets of one form.
type formBuilder struct {
	h       *Handler
	q       *request
	kind    alliance.Kind
	v       url.Values
	errs    map[string]string
	choices map[alliance.Kind][]option // nil when the kind has too many items to offer
	media   bool                       // a field offers the media library's images
}

func (h *Handler) builder(q *request, d *kindDesc, v url.Values, errs map[string]string) (*formBuilder, error) {
	b := &formBuilder{h: h, q: q, kind: d.Info.Kind, v: v, errs: errs, choices: map[alliance.Kind][]option{}}
	kinds := map[alliance.Kind]bool{}
	refKinds(d.Shared, kinds)
	for k := range kinds {
		items, more, err := h.db.ItemTitles(q.ctx, k, q.l.Lang, refLimit)
		if err != nil {
			return nil, err
		}
		if more {
			b.choices[k] = nil
			continue
		}
		names, err := h.names(q, k)
		if err != nil {
			return nil, err
		}
		opts := make([]option, 0, len(items))
		for _, it := range items {
			name := it.Name
			if n := names[it.Key]; n != "" && name == it.Key {
				name = n
			}
			opts = append(opts, option{Value: it.Key, Label: name, Hint: it.Key})
		}
		b.choices[k] = opts
	}
	return b, nil
}

// label returns the label and help of a field: the kind's own when the catalogue has one, else
// the field name's.
func (b *formBuilder) label(path string) (string, string) {
	l := b.q.l
	key := "f." + string(b.kind) + "." + path
	if l.B(key) == key {
		key = "f." + path
	}
	help := "h" + key[1:]
	h := l.B(help)
	if h == help {
		h = ""
	}
	return l.B(key), h
}

// fields returns the widgets of fs, named after prefix; path names them in the catalogue.
func (b *formBuilder) fields(fs []fieldDesc, prefix, path, lang string) []widget {
	var out []widget
	for _, f := range fs {
		name := prefix + f.Name
		p := join(path, f.Name)
		w := widget{Name: name, Value: b.v.Get(name), Error: b.errs[name], Lang: lang}
		w.Label, w.Help = b.label(p)
		if w.Error == "" && prefix == "" {
			w.Error = b.errs[f.Name] // errors on a row name its list
		}
		switch f.Type {
		case typeDate:
			w.Kind = "date"
		case typeDateTime:
			w.Kind = "datetime-local"
		case typeInt:
			w.Kind = "number"
		case typeFloat:
			w.Kind, w.Step = "number", "any"
		case typeBool:
			w.Kind = "checkbox"
		case typeEnum:
			w.Kind = "select"
			w.Options = []option{{Value: "", Label: b.q.l.B("items.choose")}}
			for _, e := range f.Enum {
				w.Options = append(w.Options, option{Value: e, Label: b.q.l.B("enum." + e)})
			}
		case typeRef, typeRefs:
			opts, ok := b.choices[f.Ref]
			switch {
			case opts == nil && ok && f.Type == typeRef:
				w.Kind = "text"
				w.Help = strings.TrimSpace(w.Help + " " + b.q.l.B("items.type_key"))
			case opts == nil && ok:
				w.Kind = "textarea"
				w.Value = strings.Join(b.v[name], "\n")
				w.Help = strings.TrimSpace(w.Help + " " + b.q.l.B("items.type_keys"))
			case f.Type == typeRef:
				w.Kind = "select"
				w.Options = []option{{Value: "", Label: b.q.l.B("items.none")}}
				for _, o := range opts { // an option holds text only: the key in brackets
					w.Options = append(w.Options, option{Value: o.Value, Label: o.Label + " (" + o.Hint + ")"})
				}
			default:
				w.Kind, w.Options, w.Values = "checks", opts, b.v[name]
			}
		case typeList:
			w.Kind = "textarea"
			w.Help = strings.TrimSpace(w.Help + " " + b.q.l.B("items.one_a_line"))
		case typeLong:
			w.Kind = "textarea"
		case typeRows:
			w.Kind = "rows"
			n := rowCount(b.v, name, f.Sub) + rowsShown
			for i := 0; i < n; i++ {
				w.Rows = append(w.Rows, b.fields(f.Sub, name+"."+strconv.Itoa(i)+".", p, lang))
			}
		case typeGroup:
			w.Kind = "group"
			w.Sub = b.fields(f.Sub, name+".", p, lang)
		default:
			w.Kind = "text"
			if f.Media {
				w.Help = strings.TrimSpace(w.Help + " " + b.q.l.B("items.media_path"))
				w.List, w.Library, w.LibraryText = mediaImagesList, mediaLibraryPath, b.q.l.B("items.media_library")
				b.media = true
			}
		}
		out = append(out, w)
	}
	return out
}

// text returns the widgets of the text in lang.
func (b *formBuilder) text(d *kindDesc, lang string) []widget {
	p := "texts." + lang + "."
	var out []widget
	if d.Info.Titled {
		for _, name := range textFields {
			w := widget{Kind: "text", Name: p + name, Value: b.v.Get(p + name), Error: b.errs[p+name], Lang: lang}
			w.Label, w.Help = b.label(name)
			if name == "summary" {
				w.Kind = "textarea"
			}
			out = append(out, w)
		}
	}
	out = append(out, b.fields(d.Text, p, "", lang)...)
	w := widget{Kind: "markdown", Name: p + "body", Value: b.v.Get(p + "body"), Error: b.errs[p+"body"], Lang: lang}
	w.Label, w.Help = b.label("body")
	return append(out, w)
}

// summary lists the errors in the order of the form, each linking to its field.
func summary(l *locale.Locale, ws []widget, errs map[string]string, seen map[string]bool) []errorLink {
	var out []errorLink
	for _, w := range ws {
		if w.Error != "" && !seen[w.Name] {
			seen[w.Name] = true
			out = append(out, errorLink{Href: "#" + w.ID(), Label: w.Label, Message: w.Error})
		}
		for _, r := range w.Rows {
			out = append(out, summary(l, r, errs, seen)...)
		}
		out = append(out, summary(l, w.Sub, errs, seen)...)
	}
	return out
}

// showForm renders the form of an item with the values v and the errors errs.
func (h *Handler) showForm(q *request, d *kindDesc, stored *alliance.Item, v url.Values, errs map[string]string, status int, notice string, alert ...string) error {
	a := ""
	if len(alert) > 0 {
		a = alert[0]
	}
	return h.showFormWith(q, d, stored, v, errs, status, notice, a, nil)
}

func (h *Handler) showFormWith(q *request, d *kindDesc, stored *alliance.Item, v url.Values, errs map[string]string, status int, notice, alert string, cv *conflictView) error {
	b, err := h.builder(q, d, v, errs)
	if err != nil {
		return err
	}
	k := d.Info.Kind
	f := &itemForm{Kind: k, New: stored == nil, Values: v, Errors: errs, Zone: h.location().String(), Conflict: cv}
	f.Shared = b.fields(d.Shared, "", "", "")
	if b.media {
		if f.MediaPaths, err = h.mediaImages(q); err != nil {
			return err
		}
	}
	if stored == nil {
		f.Action = itemsPath(k) + "new"
	} else {
		f.Action, f.Stored, f.Key = itemPath(k, stored.Key), true, stored.Key
		f.Status = q.l.B("status." + itemStatus(stored, h.cfg.Clock()))
		if sectionOf(k) != "" {
			f.PreviewURL = previewPath(k, stored.Key, h.previewLang(q, stored), 0)
		}
	}
	var langs []string
	for _, lang := range q.site.Languages {
		if slices.Contains(v[fLangs], lang) {
			langs = append(langs, lang)
		}
	}
	preview := v.Get(fDo) == "preview"
	for _, lang := range langs {
		tb := textBlock{Lang: lang, Name: locale.Autonym(lang), Fields: b.text(d, lang)}
		if preview {
			if html, err := h.md.Render(v.Get("texts." + lang + ".body")); err == nil {
				tb.Preview = templ.Raw(string(html))
			} else {
				errs["texts."+lang+".body"] = message(q.l, alliance.FieldError{Problem: alliance.ProblemMarkdown, Message: err.Error()})
				tb.Fields = b.text(d, lang)
			}
		}
		f.Texts = append(f.Texts, tb)
	}
	for _, code := range q.site.Languages {
		f.Langs = append(f.Langs, option{Value: code, Label: locale.Autonym(code), Lang: code})
	}
	if stored != nil {
		for _, code := range q.site.Languages {
			if !slices.Contains(langs, code) {
				f.Texts = append(f.Texts, textBlock{Lang: code, Name: locale.Autonym(code), Translate: itemPath(k, stored.Key) + "translate/" + code})
			}
		}
		own, err := auth.Owned(q.ctx, h.db, k, stored.Key)
		if err != nil {
			return err
		}
		f.CanPub = alliance.Can(q.user, alliance.Do(alliance.VerbPublish), own)
		if alliance.Can(q.user, alliance.Do(alliance.VerbDelete), own) {
			f.Delete = itemPath(k, stored.Key) + "delete"
		}
	} else {
		f.CanPub = alliance.Can(q.user, alliance.Do(alliance.VerbPublish), alliance.Owned{Kind: k, Members: []string{q.user.Member}, Creator: q.user.ID})
	}
	seen := map[string]bool{}
	var all []widget
	all = append(all, widget{Name: fKey, Label: q.l.B("f.key"), Error: errs[fKey]}, widget{Name: fSource, Label: q.l.B("f.source_lang"), Error: errs[fSource]})
	all = append(all, f.Shared...)
	for _, t := range f.Texts {
		all = append(all, t.Fields...)
	}
	all = append(all, widget{Name: fPublishAt, Label: q.l.B("f.publish_at"), Error: errs[fPublishAt]}, widget{Name: fUnpublishAt, Label: q.l.B("f.unpublish_at"), Error: errs[fUnpublishAt]})
	f.Summary = summary(q.l, all, errs, seen)
	for name, msg := range errs { // errors on no field of the form (a whole text, the kind)
		if !seen[name] {
			f.Summary = append(f.Summary, errorLink{Href: "#item-form", Label: name, Message: msg})
		}
	}
	title := q.l.B("items.new_title", "kind", q.l.B("kind."+string(k)))
	if stored != nil {
		title = q.l.B("items.edit_title", "kind", q.l.B("kind."+string(k)), "key", stored.Key)
	}
	p := h.page(q, title)
	p.Nav = "items"
	p.Notice, p.Alert = notice, alert
	return h.render(q, status, itemFormPage(p, f))
}

// mediaImages lists the paths of the media library's images, newest first, for the image
// fields' datalist; never nil, so that the form writes the list even when it is empty.
func (h *Handler) mediaImages(q *request) ([]string, error) {
	entries, _, err := h.db.MediaList(q.ctx, 0, mediaChoices)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, e := range entries {
		if strings.HasPrefix(e.ContentType, "image/") {
			out = append(out, e.Path)
		}
	}
	return out, nil
}

// names gives the names of the items of kind k whose texts have no title, by key: people,
// whose name is a shared field. Empty for other kinds.
func (h *Handler) names(q *request, k alliance.Kind) (map[string]string, error) {
	if k != alliance.KindPerson {
		return nil, nil
	}
	items, err := h.db.Export(q.ctx, k)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(items))
	for _, it := range items {
		if p, ok := it.Data.(*alliance.Person); ok && p.Name != "" {
			out[it.Key] = p.Name
		}
	}
	return out, nil
}

// previewLang is the language an item is previewed in from the back office: the editor's
// own when the item has a text in it, else the item's source language.
func (h *Handler) previewLang(q *request, it *alliance.Item) string {
	if q.site.HasLanguage(q.l.Lang) && it.Text(q.l.Lang) != nil {
		return q.l.Lang
	}
	return it.SourceLang
}

// itemStatus is the status of a stored item at now, as store.EditList says it.
func itemStatus(it *alliance.Item, now time.Time) string {
	now = now.Truncate(time.Second)
	switch {
	case it.Draft:
		return store.StatusDraft
	case !it.PublishAt.IsZero() && now.Before(it.PublishAt):
		return store.StatusScheduled
	case !it.UnpublishAt.IsZero() && !now.Before(it.UnpublishAt):
		return store.StatusUnpublished
	}
	return store.StatusPublished
}

// showConflict renders the form with the editor's values kept and the stored version beside.
func (h *Handler) showConflict(q *request, d *kindDesc, stored *alliance.Item, v url.Values, cv *conflictView) error {
	return h.showFormWith(q, d, stored, v, map[string]string{}, http.StatusConflict, "", q.l.B("items.conflict"), cv)
}

// attrs are a control's accessibility attributes: its help and error, and whether it is wrong.
func (w widget) attrs() templ.Attributes {
	a := templ.Attributes{}
	if d := w.describedBy(); d != "" {
		a["aria-describedby"] = d
	}
	if w.Error != "" {
		a["aria-invalid"] = "true"
	}
	return a
}

func itoa(i int) string { return strconv.Itoa(i) }
