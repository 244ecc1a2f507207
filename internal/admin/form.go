package admin

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
)

// Reading an item into a form's values and back, by its kind's description (fields.go). A
// form's values are named as validation errors name fields (alliance.Difference): a shared field
// by its name ("date", "speakers.0.person" for a row), a text's as "texts.{lang}.{name}". The
// values posted are what is shown again after an error, so nothing typed is lost.

// Names of the form's own fields, none of which a kind has.
const (
	fKey         = "key"
	fSource      = "source_lang"
	fLangs       = "langs"
	fBase        = "base"
	fPublishAt   = "publish_at"
	fUnpublishAt = "unpublish_at"
	fDo          = "do"
)

// textFields are the fields every text of a titled kind has, before its kind's own.
var textFields = []string{"title", "slug", "summary"}

// localLayout is how a datetime-local input writes a time.
const localLayout = "2006-01-02T15:04"

// itemValues returns the form values of it; times are shown in loc.
func itemValues(d *kindDesc, it *alliance.Item, loc *time.Location) url.Values {
	v := url.Values{}
	v.Set(fKey, it.Key)
	v.Set(fSource, it.SourceLang)
	v.Set(fBase, strconv.Itoa(it.Revision))
	if !it.PublishAt.IsZero() {
		v.Set(fPublishAt, it.PublishAt.In(loc).Format(localLayout))
	}
	if !it.UnpublishAt.IsZero() {
		v.Set(fUnpublishAt, it.UnpublishAt.In(loc).Format(localLayout))
	}
	if it.Data != nil {
		encodeStruct(v, "", d.Shared, reflect.ValueOf(it.Data).Elem())
	}
	for _, t := range it.Texts {
		v.Add(fLangs, t.Lang)
		textValues(v, d, &t)
	}
	return v
}

// textValues sets the values of one text.
func textValues(v url.Values, d *kindDesc, t *alliance.Text) {
	p := "texts." + t.Lang + "."
	if d.Info.Titled {
		v.Set(p+"title", t.Title)
		v.Set(p+"slug", t.Slug)
		v.Set(p+"summary", t.Summary)
	}
	v.Set(p+"body", t.Body)
	if t.Data != nil {
		encodeStruct(v, p, d.Text, reflect.ValueOf(t.Data).Elem())
	}
}

func encodeStruct(v url.Values, prefix string, fs []fieldDesc, s reflect.Value) {
	for _, f := range fs {
		fv := s.FieldByIndex(f.index)
		name := prefix + f.Name
		switch f.Type {
		case typeInt:
			if fv.Int() != 0 {
				v.Set(name, strconv.FormatInt(fv.Int(), 10))
			}
		case typeFloat:
			if fv.Float() != 0 {
				v.Set(name, formatFloat(fv.Float()))
			}
		case typeBool:
			if fv.Bool() {
				v.Set(name, "1")
			}
		case typeRefs:
			for i := 0; i < fv.Len(); i++ {
				v.Add(name, fv.Index(i).String())
			}
		case typeList:
			var lines []string
			for i := 0; i < fv.Len(); i++ {
				lines = append(lines, fv.Index(i).String())
			}
			v.Set(name, strings.Join(lines, "\n"))
		case typeRows:
			for i := 0; i < fv.Len(); i++ {
				encodeStruct(v, name+"."+strconv.Itoa(i)+".", f.Sub, fv.Index(i))
			}
		case typeGroup:
			if !fv.IsNil() {
				encodeStruct(v, name+".", f.Sub, fv.Elem())
			}
		default:
			v.Set(name, fv.String())
		}
	}
}

// rowCount is how many rows of a nested list the values hold (filled or not).
func rowCount(v url.Values, name string, sub []fieldDesc) int {
	n := 0
	for i := 0; ; i++ {
		found := false
		for _, s := range sub {
			if _, ok := v[name+"."+strconv.Itoa(i)+"."+s.Name]; ok {
				found = true
			}
		}
		if !found {
			return n
		}
		n = i + 1
	}
}

// decodeStruct fills s from the values; problems (a number that is not one) go to errs by
// field name.
func decodeStruct(v url.Values, prefix string, fs []fieldDesc, s reflect.Value, errs map[string]string, number func() string) (filled bool) {
	for _, f := range fs {
		fv := s.FieldByIndex(f.index)
		name := prefix + f.Name
		raw := strings.TrimSpace(v.Get(name))
		switch f.Type {
		case typeInt:
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				errs[name] = number()
				continue
			}
			fv.SetInt(int64(n))
			filled = true
		case typeFloat:
			if raw == "" {
				continue
			}
			n, err := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
			if err != nil {
				errs[name] = number()
				continue
			}
			fv.SetFloat(n)
			filled = true
		case typeBool:
			fv.SetBool(raw != "")
		case typeRefs:
			var keys []string
			// Checkboxes post one key each; a textarea (a kind with too many items to offer)
			// posts them one a line.
			for _, raw := range v[name] {
				for _, k := range strings.FieldsFunc(raw, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
					if k = strings.TrimSpace(k); k != "" {
						keys = append(keys, k)
					}
				}
			}
			fv.Set(reflect.ValueOf(keys))
			filled = filled || len(keys) > 0
		case typeList:
			var lines []string
			for _, l := range strings.FieldsFunc(v.Get(name), func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			fv.Set(reflect.ValueOf(lines))
			filled = filled || len(lines) > 0
		case typeRows:
			rows := reflect.MakeSlice(fv.Type(), 0, 0)
			for i := 0; i < rowCount(v, name, f.Sub); i++ {
				row := reflect.New(fv.Type().Elem()).Elem()
				if decodeStruct(v, name+"."+strconv.Itoa(i)+".", f.Sub, row, errs, number) {
					rows = reflect.Append(rows, row)
				}
			}
			if rows.Len() > 0 {
				fv.Set(rows)
				filled = true
			}
		case typeGroup:
			g := reflect.New(fv.Type().Elem())
			if decodeStruct(v, name+".", f.Sub, g.Elem(), errs, number) {
				fv.Set(g)
				filled = true
			}
		default:
			fv.SetString(raw)
			filled = filled || raw != ""
		}
	}
	return filled
}

// decodeShared returns the shared fields the values hold.
func decodeShared(d *kindDesc, v url.Values, errs map[string]string, number func() string) alliance.Shared {
	s := d.Info.NewShared()
	decodeStruct(v, "", d.Shared, reflect.ValueOf(s).Elem(), errs, number)
	return s
}

// decodeText returns the text in lang the values hold, and whether anything of it is filled.
func decodeText(d *kindDesc, v url.Values, lang string, errs map[string]string, number func() string) (alliance.Text, bool) {
	p := "texts." + lang + "."
	t := alliance.Text{Lang: lang, Data: d.Info.NewText()}
	get := func(name string) string { return strings.TrimSpace(v.Get(p + name)) }
	if d.Info.Titled {
		t.Title, t.Slug, t.Summary = get("title"), get("slug"), get("summary")
	}
	// The body keeps its spaces: Markdown gives leading ones a meaning.
	t.Body = strings.ReplaceAll(v.Get(p+"body"), "\r\n", "\n")
	filled := decodeStruct(v, p, d.Text, reflect.ValueOf(t.Data).Elem(), errs, number)
	filled = filled || t.Title != "" || t.Slug != "" || t.Summary != "" || strings.TrimSpace(t.Body) != ""
	return t, filled
}

// parseLocal reads a datetime-local value in loc; the zero time when empty.
func parseLocal(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{localLayout, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time", s)
}
