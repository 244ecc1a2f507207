package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
)

// Every UI string the templates and handlers ask for must be in the catalogues (whose test in
// turn checks that every language has every key): a missing key would show its name to visitors.
func TestEveryUIKeyIsInTheCatalogue(t *testing.T) {
	literal := regexp.MustCompile(`\.T\s*\(?\s*"([a-z0-9_.#-]+)"|\.N\s*\(\s*"([a-z0-9_.-]+)"`)
	used := map[string]string{}
	scan := func(name string, data []byte) {
		for _, m := range literal.FindAllStringSubmatch(string(data), -1) {
			if key := m[1] + m[2]; !strings.HasSuffix(key, ".") { // a prefix, checked below
				used[key] = name
			}
		}
	}
	var files []string
	for _, pattern := range []string{"*.go", "*.templ", "ui/*.go", "ui/*.templ"} {
		matched, _ := filepath.Glob(pattern)
		files = append(files, matched...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scan(f, data)
	}
	if len(used) < 20 {
		t.Fatalf("found only %d keys; the pattern no longer matches the code", len(used))
	}
	for _, lang := range locale.Supported {
		l := locale.MustGet(lang)
		for key, where := range used {
			if !l.Has(key) {
				t.Errorf("%s: key %q used in %s is not in the catalogue", lang, key, where)
			}
		}
	}
	// Keys built from a prefix and an enumerated value.
	enums := map[string][]string{
		"section.":          sectionIDs(),
		"session.type.":     alliance.SessionTypes,
		"session.role.":     alliance.ModeratorRoles,
		"learn.kind.":       alliance.LearningKinds,
		"learn.level.":      alliance.LearningLevels,
		"event.attendance.": alliance.AttendanceModes,
		"call.status.":      {alliance.StatusOpen, alliance.StatusUpcoming, alliance.StatusClosed},
	}
	for _, id := range sectionIDs() {
		enums["section."+id+"_intro"] = []string{""}
	}
	for _, fs := range feedSections {
		enums["feed.title."+fs.id] = []string{""}
	}
	for _, lang := range locale.Supported {
		for p, values := range enums {
			for _, v := range values {
				if !locale.MustGet(lang).Has(p + v) {
					t.Errorf("%s: key %q is missing", lang, p+v)
				}
			}
		}
	}
}

// sectionIDs are the ids of the registry's sections.
func sectionIDs() []string {
	var ids []string
	for _, s := range Sections() {
		ids = append(ids, s.ID)
	}
	return ids
}
