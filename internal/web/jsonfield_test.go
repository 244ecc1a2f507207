package web

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/alliance-platform/alliance"
)

type named string
type namedList []string

// flatSample has every kind of field decodeFlat fills, and the tags it must honour.
type flatSample struct {
	Image   string    `json:"image,omitempty"`
	Date    named     `json:"date"`
	Authors []string  `json:"authors,omitempty"`
	Tags    namedList `json:"tags"`
	NoTag   string
	Skipped string `json:"-"`
	Dash    string `json:"-,"`
}

var decodeCases = []string{
	`{"image":"a.svg","date":"2026-06-15","authors":["a","b"],"tags":["x"],"NoTag":"n","-":"dash"}`,
	`{}`,
	` { "image" : "spaced" , "authors" : [ "a" , "b" ] } `,
	`{"nested":{"image":"inner","deep":[{"x":1},[true,false,null]]},"image":"outer"}`,
	`{"image":"first","image":"last"}`,
	`{"image":"kept","image":null}`,
	`{"authors":["a"],"authors":null}`,
	`{"authors":["a"],"authors":[]}`,
	`{"authors":["a"],"authors":["b","c"]}`,
	`{"image":12}`,
	`{"authors":"not a list"}`,
	`{"authors":["a",1]}`,
	`{"image":"esc\"aped \u00e9 \ud83d\ude00 \/"}`,
	`{"Image":"other case"}`,
	`{"IMAGE":"upper","image":"exact"}`,
	`{"image":"exact","IMAGE":"upper"}`,
	`{"notag":"folded"}`,
	`{"imag\u0065":"escaped key"}`,
	`{"ımage":"dotless i"}`,
	"{\"\u212age\":\"kelvin\"}",
	`{"Skipped":"ignored","skipped":"ignored too"}`,
	`{"n":-1.5e3,"t":true,"f":false,"z":null,"image":"after literals"}`,
	`{"n":01,"image":"bad number"}`,
	`{"n":1.,"image":"bad number"}`,
	`{"n":tru,"image":"bad literal"}`,
	`{"n":nullx,"image":"bad literal"}`,
	`{"image":"unterminated}`,
	`{"image":"a"`,
	`{"image":"a"} trailing`,
	`{"image":"a",}`,
	`[1,2]`,
	`"image"`,
	``,
	`null`,
	"{\"image\":\"tab\tinside\"}",
	"{\"image\":\"bad utf8 \xff\"}",
	"{\"other\":\"bad utf8 \xff\",\"image\":\"fine\"}",
	`{"image":"Ελληνικά και ῥ","tags":["Ελλάδα"]}`,
}

// checkDecode fails when decodeJSON and encoding/json disagree about raw.
func checkDecode(t *testing.T, raw []byte) {
	t.Helper()
	var got, want flatSample
	decodeJSON(raw, &got)
	json.Unmarshal(raw, &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decodeJSON(%q) = %#v, encoding/json gives %#v", raw, got, want)
	}
}

func TestDecodeJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, c := range decodeCases {
		checkDecode(t, []byte(c))
	}
	// The fast path is taken where it should be: a regression here would only cost time.
	var s flatSample
	if !decodeFlat([]byte(decodeCases[0]), &s) {
		t.Error("a flat object went to encoding/json")
	}
	if decodeFlat([]byte(`{"image":"a\"b"}`), &s) {
		t.Error("an escaped string was read by the fast path")
	}
	// Types the fast path does not handle are decoded by encoding/json.
	var withNumber struct {
		Seats int    `json:"seats"`
		Name  string `json:"name"`
	}
	decodeJSON([]byte(`{"seats":24,"name":"x"}`), &withNumber)
	if withNumber.Seats != 24 || withNumber.Name != "x" {
		t.Errorf("struct with a number = %+v", withNumber)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkDecode(t, raw) })
}

func BenchmarkDecodeStory(b *testing.B) {
	raw := []byte(`{"date":"2026-06-15","category":"alliance","image":"images/stories/meridia-days-2026-recap.svg","credit":"Meridia","authors":["andrei-ionescu"],"related":["meridia-days-2026-programme","student-council-manifesto"]}`)
	b.Run("decodeJSON", func(b *testing.B) {
		for b.Loop() {
			var s alliance.Story
			decodeJSON(raw, &s)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for b.Loop() {
			var s alliance.Story
			json.Unmarshal(raw, &s)
		}
	})
}
