package content_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// chain adds n stories to fsys, each related to the next and the last to the first (one circle
// of references through the whole folder), and each with an author whose file sorts after it.
func chain(fsys fstest.MapFS, n int) {
	for i := 0; i < n; i++ {
		fsys[fmt.Sprintf("stories/s%03d.en.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ndate: 2026-01-10\ncategory: research\nauthors: [zed]\nrelated: [s%03d]\ntitle: Story %d\n---\n\nBody %d.\n", (i+1)%n, i, i))}
	}
	fsys["people/zed.en.md"] = &fstest.MapFile{Data: []byte("---\nname: Zed\nmember: genil\n---\n")}
}

// A folder larger than a batch, whose items refer to each other in a circle and to items
// that sort after them, imports in batches of whole circles, each batch one transaction
// through the write path, with one audit line per transaction.
func TestImportStreamsInBatches(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.New(t, dialect)
		fsys := fixture()
		chain(fsys, 25)
		// Ten more stories, each related to the one before: no circle.
		for i := 0; i < 10; i++ {
			rel := ""
			if i > 0 {
				rel = fmt.Sprintf("related: [t%d]\n", i-1)
			}
			fsys[fmt.Sprintf("stories/t%d.en.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
				"---\ndate: 2026-01-11\ncategory: research\n%stitle: Other %d\n---\n", rel, i))}
		}
		v := db.Version()
		st, _, err := content.ImportWith(ctx, db, fsys, content.Options{BatchSize: 4})
		if err != nil {
			t.Fatal(err)
		}
		if st.Items != 7+25+10+1 || st.Media != 1 {
			t.Errorf("imported %v", st)
		}
		it, err := db.Item(ctx, alliance.KindStory, "s024")
		if err != nil || !strings.Contains(string(it.Shared), `"s000"`) {
			t.Fatalf("story s024 = %+v, %v", it, err)
		}
		// The circle of 25 is one batch; the 18 other items come 4 (or more) at a time.
		commits := db.Version() - v
		if commits < 5 || commits > 12 {
			t.Errorf("%d transactions", commits)
		}
		log, err := db.AuditLog(ctx, store.AuditQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		lines, items := 0, 0
		for _, e := range log {
			if e.Action != store.AuditItemsImported {
				t.Errorf("audit line %s %s, want only %s", e.Action, e.Subject, store.AuditItemsImported)
				continue
			}
			lines++
			var n, created, changed, media int
			if _, err := fmt.Sscanf(e.Detail, "%d items (%d created, %d changed), %d media files", &n, &created, &changed, &media); err != nil || n != created {
				t.Errorf("audit detail %q (%v)", e.Detail, err)
			}
			items += n
		}
		if int64(lines) != commits || items != st.Items {
			t.Errorf("%d audit lines for %d transactions, counting %d items", lines, commits, items)
		}
		// The member filter of the back office finds the stories by their author's member,
		// although each was saved before the author.
		if _, total, err := db.EditList(ctx, store.EditQuery{Kind: alliance.KindStory, Member: "genil"}); err != nil || total != 26 {
			t.Errorf("stories of genil: %d, %v", total, err)
		}

		// Importing again changes nothing, and says so.
		v = db.Version()
		if _, _, err := content.ImportWith(ctx, db, fsys, content.Options{BatchSize: 4}); err != nil {
			t.Fatal(err)
		}
		log, _ = db.AuditLog(ctx, store.AuditQuery{Limit: 1})
		if len(log) != 1 || !strings.Contains(log[0].Detail, "(0 created, 0 changed)") {
			t.Errorf("audit line of the second import: %+v", log)
		}
		if revs, _ := db.Revisions(ctx, alliance.KindStory, "s000"); len(revs) != 1 {
			t.Errorf("revisions of s000 after importing twice: %d", len(revs))
		}
		if db.Version() == v {
			t.Error("the second import committed nothing")
		}
	})
}

// A refusal only the store can tell, in a later batch, is reported at the file's line; the
// batches before it stay, whole, and importing the fixed folder completes the import.
func TestImportRefusedInALaterBatch(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.New(t, dialect)
		if _, err := content.Import(ctx, db, fixture()); err != nil {
			t.Fatal(err)
		}
		fsys := fixture()
		for i := 0; i < 6; i++ {
			fsys[fmt.Sprintf("stories/n%d.en.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ndate: 2026-02-01\ncategory: research\ntitle: New %d\n---\n", i))}
		}
		// The title makes the slug of the stored story "first", which this folder lacks.
		delete(fsys, "stories/first.en.md")
		delete(fsys, "stories/first.fr.md")
		fsys["stories/zz.en.md"] = &fstest.MapFile{Data: []byte("---\ndate: 2026-02-01\ncategory: research\ntitle: First story\n---\n")}
		_, _, err := content.ImportWith(ctx, db, fsys, content.Options{BatchSize: 3})
		var ps content.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "stories/zz.en.md" || ps[0].Line != 4 || ps[0].Field != "slug" {
			t.Fatalf("import over a taken slug = %v", err)
		}
		if _, err := db.Item(ctx, alliance.KindStory, "n0"); err != nil {
			t.Errorf("the batches before the refused one were not kept: %v", err)
		}
		fsys["stories/zz.en.md"] = &fstest.MapFile{Data: []byte("---\ndate: 2026-02-01\ncategory: research\ntitle: Last story\n---\n")}
		if _, _, err := content.ImportWith(ctx, db, fsys, content.Options{BatchSize: 3}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Item(ctx, alliance.KindStory, "zz"); err != nil {
			t.Error(err)
		}
	})
}
