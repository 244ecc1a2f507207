package content_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// draft, publish_at and unpublish_at are read from any kind's file, stored on the item, and
// exported in the source language's file in UTC, so that a second import and export gives the
// same bytes.
func TestScheduleFieldsImportAndExport(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.New(t, dialect)
		fsys := fixture()
		fsys["stories/first.en.md"].Data = []byte("---\npublish_at: 2026-05-01T09:00+02:00\nunpublish_at: 2026-06-01T00:00:30Z\n" +
			"date: 2026-01-10\ncategory: research\nimage: images/a.svg\nauthors: [ana]\ntitle: First story\nalt: A drawing\n---\n\nBody.\n")
		// The offset may come with seconds, as YAML writes a timestamp; draft may sit in a translation.
		fsys["pages/discover.fr.md"] = &fstest.MapFile{Data: []byte("---\ndraft: true\npublish_at: 2026-05-01T09:00:00+02:00\ntitle: Découvrir\n---\n")}
		if _, err := content.Import(ctx, db, fsys); err != nil {
			t.Fatal(err)
		}
		story, err := db.Item(ctx, alliance.KindStory, "first")
		if err != nil {
			t.Fatal(err)
		}
		if story.Draft || !story.PublishAt.Equal(time.Date(2026, 5, 1, 7, 0, 0, 0, time.UTC)) || !story.UnpublishAt.Equal(time.Date(2026, 6, 1, 0, 0, 30, 0, time.UTC)) {
			t.Errorf("story: draft %v, publish_at %v, unpublish_at %v", story.Draft, story.PublishAt, story.UnpublishAt)
		}
		page, err := db.Item(ctx, alliance.KindPage, "discover")
		if err != nil {
			t.Fatal(err)
		}
		if !page.Draft || !page.PublishAt.Equal(time.Date(2026, 5, 1, 7, 0, 0, 0, time.UTC)) {
			t.Errorf("page: draft %v, publish_at %v", page.Draft, page.PublishAt)
		}

		first := t.TempDir()
		if _, err := content.Export(ctx, db, first); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(filepath.Join(first, "stories", "first.en.md"))
		if !strings.HasPrefix(string(got), "---\npublish_at: 2026-05-01T07:00Z\nunpublish_at: \"2026-06-01T00:00:30Z\"\ndate: \"2026-01-10\"\n") {
			t.Errorf("exported story starts:\n%s", got)
		}
		got, _ = os.ReadFile(filepath.Join(first, "pages", "discover.en.md"))
		if !strings.HasPrefix(string(got), "---\ndraft: true\npublish_at: 2026-05-01T07:00Z\n") {
			t.Errorf("exported page (source language) starts:\n%s", got)
		}
		if got, _ = os.ReadFile(filepath.Join(first, "pages", "discover.fr.md")); strings.Contains(string(got), "draft") {
			t.Errorf("exported translation repeats the schedule:\n%s", got)
		}
		db2 := storetest.New(t, dialect)
		if _, err := content.Import(ctx, db2, os.DirFS(first)); err != nil {
			t.Fatalf("import export: %v", err)
		}
		second := t.TempDir()
		if _, err := content.Export(ctx, db2, second); err != nil {
			t.Fatal(err)
		}
		a, b := readTree(t, first), readTree(t, second)
		for p, data := range a {
			if string(data) != string(b[p]) {
				t.Errorf("%s differs after export → import → export:\n--- first\n%s\n--- second\n%s", p, data, b[p])
			}
		}
	})
}

func TestScheduleFieldsRejected(t *testing.T) {
	cases := []struct{ name, file, content, want string }{
		{"no offset", "stories/first.en.md", "---\npublish_at: 2026-05-01T09:00\ndate: 2026-01-10\ncategory: research\ntitle: First story\n---\n",
			"stories/first.en.md:2: publish_at: must be a date and time with its UTC offset"},
		{"a date only", "pages/discover.en.md", "---\norder: 1\nunpublish_at: 2026-05-01\ntitle: Discover\n---\n",
			"pages/discover.en.md:3: unpublish_at: must be a date and time with its UTC offset"},
		{"window backwards", "pages/discover.en.md", "---\npublish_at: 2026-05-01T09:00Z\nunpublish_at: 2026-05-01T08:00Z\ntitle: Discover\n---\n",
			"pages/discover.en.md:3: unpublish_at: must come after publish_at"},
		{"draft not a boolean", "pages/discover.en.md", "---\ndraft: maybe\ntitle: Discover\n---\n", "pages/discover.en.md:2: draft: cannot unmarshal"},
		{"differs between languages", "stories/first.fr.md", "---\ndraft: true\ntitle: Première histoire\nalt: Un dessin\n---\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fixture()
			fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.content)}
			if tc.want == "" { // the English file says otherwise
				fsys["stories/first.en.md"].Data = []byte("---\ndraft: false\ndate: 2026-01-10\ncategory: research\nimage: images/a.svg\nauthors: [ana]\ntitle: First story\nalt: A drawing\n---\n")
				tc.want = "stories/first.fr.md:2: draft: differs from the value in stories/first.en.md"
			}
			_, err := content.Load(fsys, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("problems = %v, want %q", err, tc.want)
			}
		})
	}
}
