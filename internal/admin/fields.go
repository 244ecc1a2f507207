package admin

import (
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/alliance-platform/alliance"
)

// The one description of each kind's fields, from which the back office's forms are built and
// read back. It is derived from the kinds' Go types (their yaml tags name the fields as the
// content files do) by reflection; which kind a field refers to is asked of the kind itself
// (its Refs), which media fields it has of alliance.MediaRefs, and the closed lists of values
// are the domain's own (enums, below). Nothing here retypes a kind's fields.

// fieldType is how a field is entered.
type fieldType int

const (
	typeText     fieldType = iota // one line
	typeDate                      // alliance.Date: <input type="date">
	typeDateTime                  // alliance.DateTime: <input type="datetime-local">
	typeInt
	typeFloat
	typeBool
	typeEnum  // one of Enum
	typeRef   // one item of Ref
	typeRefs  // items of Ref: checkboxes
	typeList  // []string that is not a reference: one value a line
	typeRows  // a list of structs (a session's speakers): Sub per row
	typeGroup // an optional struct (a learning's physical component): Sub once
	typeLong  // a translated text of several lines (outcomes, assessment)
)

// fieldDesc describes one field of a kind.
type fieldDesc struct {
	Name  string // as in the content files: "date", "registration_url"
	Type  fieldType
	Ref   alliance.Kind // typeRef, typeRefs
	Enum  []string      // typeEnum
	Media bool          // a media path
	Sub   []fieldDesc   // typeRows, typeGroup
	index []int         // the Go field
}

// kindDesc is the description of one kind: its shared fields and its translated fields.
type kindDesc struct {
	Info   alliance.KindInfo
	Shared []fieldDesc
	Text   []fieldDesc
}

// enums are the closed lists of values of the kinds' fields, the domain's own variables.
var enums = map[string][]string{
	"event.attendance":        alliance.AttendanceModes,
	"session.type":            alliance.SessionTypes,
	"session.moderators.role": alliance.ModeratorRoles,
	"learning.kind":           alliance.LearningKinds,
	"learning.level":          alliance.LearningLevels,
}

// longText are translated fields written as paragraphs rather than one line.
var longText = map[string]bool{"outcomes": true, "assessment": true, "eligibility": true, "caption": true}

// rowsShown is how many rows of a nested list a form offers beyond those filled: without
// script, a form cannot add rows, so it always has a few empty ones.
const rowsShown = 2

var (
	descsOnce sync.Once
	descs     map[alliance.Kind]*kindDesc
)

// describe returns the description of kind k.
func describe(k alliance.Kind) *kindDesc {
	descsOnce.Do(func() {
		descs = map[alliance.Kind]*kindDesc{}
		for _, ki := range alliance.Kinds {
			descs[ki.Kind] = describeKind(ki)
		}
	})
	return descs[k]
}

func describeKind(ki alliance.KindInfo) *kindDesc {
	d := &kindDesc{Info: ki}
	// Fill every string of a sample with its own path, then ask the kind which of them are
	// references (and to what) and which are media: the kind's Refs and MediaRefs say it.
	sample := ki.NewShared()
	fillSample(reflect.ValueOf(sample).Elem(), "")
	refs := map[string]alliance.Kind{}
	for _, r := range sample.Refs() {
		refs[r.Key] = r.Kind
	}
	media := map[string]bool{}
	for _, r := range alliance.MediaRefs(sample) {
		media[r.Key] = true
	}
	d.Shared = describeStruct(reflect.TypeOf(sample).Elem(), "", string(ki.Kind), refs, media)
	d.Text = describeStruct(reflect.TypeOf(ki.NewText()).Elem(), "", string(ki.Kind), nil, nil)
	for i := range d.Text {
		if d.Text[i].Type == typeText && longText[d.Text[i].Name] {
			d.Text[i].Type = typeLong
		}
	}
	return d
}

// yamlName is a struct field's name in the content files, "" when it has none.
func yamlName(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

// fillSample sets every string of v to its path ("speakers.person") and gives every list one
// element and every pointer a value, so that Refs names each reference by its path.
func fillSample(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x-" + strings.ReplaceAll(path, ".", "-"))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillSample(v.Elem(), path)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillSample(s.Index(0), path)
		v.Set(s)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if name := yamlName(v.Type().Field(i)); name != "" {
				fillSample(v.Field(i), join(path, name))
			}
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

var (
	dateType     = reflect.TypeOf(alliance.Date(""))
	dateTimeType = reflect.TypeOf(alliance.DateTime(""))
)

func describeStruct(t reflect.Type, path, kind string, refs map[string]alliance.Kind, media map[string]bool) []fieldDesc {
	var out []fieldDesc
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := yamlName(sf)
		if name == "" {
			continue
		}
		p := join(path, name)
		sample := "x-" + strings.ReplaceAll(p, ".", "-")
		fd := fieldDesc{Name: name, index: sf.Index, Media: media[sample]}
		ft := sf.Type
		switch {
		case ft == dateType:
			fd.Type = typeDate
		case ft == dateTimeType:
			fd.Type = typeDateTime
		case ft.Kind() == reflect.String:
			fd.Type = typeText
			if k, ok := refs[sample]; ok {
				fd.Type, fd.Ref = typeRef, k
			} else if e, ok := enums[kind+"."+p]; ok {
				fd.Type, fd.Enum = typeEnum, e
			}
		case ft.Kind() == reflect.Int:
			fd.Type = typeInt
		case ft.Kind() == reflect.Float64:
			fd.Type = typeFloat
		case ft.Kind() == reflect.Bool:
			fd.Type = typeBool
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
			fd.Type = typeList
			if k, ok := refs[sample]; ok {
				fd.Type, fd.Ref = typeRefs, k
			}
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			fd.Type, fd.Sub = typeRows, describeStruct(ft.Elem(), p, kind, refs, media)
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			fd.Type, fd.Sub = typeGroup, describeStruct(ft.Elem(), p, kind, refs, media)
		default:
			continue // a type no kind uses yet: the form cannot show it
		}
		out = append(out, fd)
	}
	return out
}

// refKinds lists the kinds the fields of fs refer to, once each.
func refKinds(fs []fieldDesc, out map[alliance.Kind]bool) {
	for _, f := range fs {
		if f.Ref != "" {
			out[f.Ref] = true
		}
		refKinds(f.Sub, out)
	}
}

// formatFloat writes a float as a person types it.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
