package web

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
)

// imageField is what decode gives for a field tagged "image": the reference stringField must
// agree with.
func imageField(raw []byte) string {
	var v struct {
		Image string `json:"image"`
	}
	json.Unmarshal(raw, &v)
	return v.Image
}

var stringFieldCases = []string{
	`{"image":"a.svg","category":"research"}`,
	`{"category":"research","image":"images/x y.svg"}`,
	`{}`,
	` { "image" : "spaced" } `,
	`{"authors":["a","b"],"image":"after-array"}`,
	`{"nested":{"image":"inner","deep":[{"x":1},[true,false,null]]},"image":"outer"}`,
	`{"image":"first","image":"last"}`,
	`{"image":"kept","image":null}`,
	`{"image":"kept","image":12}`,
	`{"image":12}`,
	`{"image":null}`,
	`{"image":"esc\"aped \u00e9 \ud83d\ude00 \/"}`,
	`{"Image":"other case"}`,
	`{"IMAGE":"upper","image":"exact"}`,
	`{"image":"exact","IMAGE":"upper"}`,
	`{"imag\u0065":"escaped key"}`,
	`{"n":-1.5e3,"t":true,"f":false,"z":null,"image":"after literals"}`,
	`{"n":01,"image":"bad number"}`,
	`{"n":1.,"image":"bad number"}`,
	`{"n":tru,"image":"bad literal"}`,
	`{"image":"unterminated}`,
	`{"image":"a"`,
	`{"image":"a"} trailing`,
	`{"image":"a",}`,
	`[1,2]`,
	`"image"`,
	``,
	"{\"image\":\"tab\tinside\"}",
	"{\"image\":\"bad utf8 \xff\"}",
	`{"image":"Ελληνικά και ῥ"}`,
}

func TestStringFieldAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range stringFieldCases {
		if got, want := stringField([]byte(c), "image"), imageField([]byte(c)); got != want {
			t.Errorf("stringField(%q) = %q, encoding/json gives %q", c, got, want)
		}
	}
}

func FuzzStringField(f *testing.F) {
	for _, c := range stringFieldCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if got, want := stringField(raw, "image"), imageField(raw); got != want {
			t.Errorf("stringField(%q) = %q, encoding/json gives %q", raw, got, want)
		}
	})
}

func BenchmarkStringField(b *testing.B) {
	raw := []byte(`{"date":"2026-06-15","category":"alliance","image":"images/stories/meridia-days-2026-recap.svg","credit":"Meridia","authors":["andrei-ionescu"],"related":["meridia-days-2026-programme","student-council-manifesto"]}`)
	b.Run("stringField", func(b *testing.B) {
		for b.Loop() {
			stringField(raw, "image")
			stringField(raw, "category")
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var v struct {
				Image    string   `json:"image"`
				Category string   `json:"category"`
				Authors  []string `json:"authors"`
				Related  []string `json:"related"`
			}
			json.Unmarshal(raw, &v)
		}
	})
}

// TestCardFieldsExist guards the field names the cards read with stringField: a renamed tag
// would leave cards without images or categories, silently.
func TestCardFieldsExist(t *testing.T) {
	for _, c := range []struct {
		v   any
		key string
	}{
		{alliance.Story{}, "image"},
		{alliance.Story{}, "category"},
		{alliance.StoryText{}, "alt"},
	} {
		rt, found := reflect.TypeOf(c.v), false
		for i := 0; i < rt.NumField(); i++ {
			if name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); name == c.key {
				found = true
			}
		}
		if !found {
			t.Errorf("%s has no field tagged json:%q", rt, c.key)
		}
	}
}
