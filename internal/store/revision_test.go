package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// saveAs saves it in a transaction of its own, as an editor's form does.
func saveAs(db *store.DB, it *alliance.Item, c alliance.Change) (*alliance.Revision, error) {
	ctx := context.Background()
	var rev *alliance.Revision
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		rev, err = tx.Save(ctx, it, c)
		return err
	})
	return rev, err
}

// siteWithTerms makes a site in English and French with the category "research".
func siteWithTerms(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSite(ctx, &alliance.Site{Name: "Test", Languages: []string{"en", "fr"}}); err != nil {
			return err
		}
		_, err := tx.Save(ctx, &alliance.Item{Kind: alliance.KindCategory, Key: "research", SourceLang: "en",
			Texts: []alliance.Text{{Lang: "en", Slug: "research", Title: "Research"}}}, alliance.ImportChange())
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// typedStory is a story written as an editor's form fills it: typed fields, no JSON.
func typedStory(key, title string) *alliance.Item {
	return &alliance.Item{Kind: alliance.KindStory, Key: key, SourceLang: "en",
		Data: &alliance.Story{Date: "2026-03-01", Category: "research"},
		Texts: []alliance.Text{
			{Lang: "en", Slug: key, Title: title, Body: "Some *news*.", Data: &alliance.StoryText{Caption: "A caption"}},
			{Lang: "fr", Slug: key + "-fr", Title: title + " (fr)", Body: "Des nouvelles.", Data: &alliance.StoryText{}},
		}}
}

// Every save is a revision with who and when; a second editor who started from an older revision
// is refused with the stored item and writes nothing; Diff tells two revisions apart field by
// field; a restore is a new revision equal to the old one; saving what is stored adds none.
func TestRevisionsConflictsDiffAndRestore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		ana := alliance.Change{UserID: 7, UserName: "Ana Pérez"}
		rev, err := saveAs(db, typedStory("news", "First title"), ana)
		if err != nil {
			t.Fatal(err)
		}
		if rev.Number != 1 || rev.UserName != "Ana Pérez" || rev.UserID != 7 {
			t.Fatalf("first save = %+v", rev)
		}
		// Both editors open revision 1.
		first, err := db.Edit(ctx, alliance.KindStory, "news")
		if err != nil {
			t.Fatal(err)
		}
		if first.Revision != 1 || first.Text("en").HTML != "<p>Some <em>news</em>.</p>\n" {
			t.Fatalf("stored = revision %d, HTML %q", first.Revision, first.Text("en").HTML)
		}
		if st, ok := first.Data.(*alliance.Story); !ok || st.Category != "research" {
			t.Fatalf("typed read of the story = %#v", first.Data)
		}
		if tx, ok := first.Text("en").Data.(*alliance.StoryText); !ok || tx.Caption != "A caption" {
			t.Fatalf("typed read of the text = %#v", first.Text("en").Data)
		}
		second, _ := db.Edit(ctx, alliance.KindStory, "news")

		first.Text("en").Title = "Ana's title"
		first.Data.(*alliance.Story).Date = "2026-03-02"
		rev, err = saveAs(db, first, alliance.Change{UserID: 7, UserName: "Ana Pérez", Base: first.Revision})
		if err != nil || rev.Number != 2 {
			t.Fatalf("Ana's save = %+v, %v", rev, err)
		}
		v := db.Version()
		second.Text("fr").Title = "Le titre de Jean"
		_, err = saveAs(db, second, alliance.Change{UserID: 9, UserName: "Jean", Base: second.Revision})
		var conflict *alliance.ConflictError
		if !errors.As(err, &conflict) {
			t.Fatalf("Jean's save over a newer revision = %v, want a ConflictError", err)
		}
		if conflict.Base != 1 || conflict.Revision != 2 || conflict.Current == nil || conflict.Current.Text("en").Title != "Ana's title" {
			t.Errorf("conflict = %+v", conflict)
		}
		if db.Version() != v {
			t.Error("a refused save moved the content version")
		}
		now, _ := db.Item(ctx, alliance.KindStory, "news")
		if now.Revision != 2 || now.Text("fr").Title != "First title (fr)" {
			t.Errorf("after the refused save: revision %d, French title %q", now.Revision, now.Text("fr").Title)
		}
		// A new item whose key is taken is a conflict too.
		if _, err := saveAs(db, typedStory("news", "Another"), ana); !errors.As(err, &conflict) {
			t.Errorf("a new item over a stored one = %v", err)
		}

		revs, err := db.Revisions(ctx, alliance.KindStory, "news")
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 || revs[0].UserName != "Ana Pérez" || revs[0].UserID != 7 ||
			time.Since(revs[0].Created) > time.Minute {
			t.Fatalf("revisions = %+v", revs)
		}
		r1, err := db.Revision(ctx, alliance.KindStory, "news", 1)
		if err != nil {
			t.Fatal(err)
		}
		r2, _ := db.Revision(ctx, alliance.KindStory, "news", 2)
		diff := alliance.Diff(r1.Snapshot, r2.Snapshot)
		want := []alliance.Difference{{Field: "date", Old: "2026-03-01", New: "2026-03-02"}, {Field: "texts.en.title", Old: "First title", New: "Ana's title"}}
		if !slices.Equal(diff, want) {
			t.Errorf("Diff(1, 2) = %+v, want %+v", diff, want)
		}
		if _, err := db.Revision(ctx, alliance.KindStory, "news", 9); !errors.Is(err, alliance.ErrNotFound) {
			t.Errorf("a revision that does not exist: %v", err)
		}

		// Restore revision 1, from revision 2.
		if err := db.Update(ctx, func(tx *store.Tx) error {
			rev, err = tx.Restore(ctx, alliance.KindStory, "news", 1, alliance.Change{UserID: 9, UserName: "Jean", Base: 2})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r3, _ := db.Revision(ctx, alliance.KindStory, "news", 3)
		if rev.Number != 3 || r3 == nil || len(alliance.Diff(r1.Snapshot, r3.Snapshot)) != 0 {
			t.Errorf("restore = %+v; differences from revision 1: %+v", rev, alliance.Diff(r1.Snapshot, r3.Snapshot))
		}
		restored, _ := db.Item(ctx, alliance.KindStory, "news")
		if restored.Text("en").Title != "First title" || restored.Starts.Format(time.DateOnly) != "2026-03-01" {
			t.Errorf("restored item: %q, starts %v", restored.Text("en").Title, restored.Starts)
		}
		// Saving what is stored adds no revision.
		same, _ := db.Edit(ctx, alliance.KindStory, "news")
		if rev, err := saveAs(db, same, alliance.Change{UserName: "Jean", Base: 3}); err != nil || rev.Number != 3 {
			t.Errorf("an unchanged save = %+v, %v", rev, err)
		}
		if revs, _ := db.Revisions(ctx, alliance.KindStory, "news"); len(revs) != 3 {
			t.Errorf("%d revisions after an unchanged save, want 3", len(revs))
		}
		// A copy of the site keeps every revision.
		dst := storetest.Open(t, storetest.NewURL(t, store.SQLite))
		if _, err := store.Copy(ctx, dst, db, false); err != nil {
			t.Fatal(err)
		}
		copied, err := dst.Revisions(ctx, alliance.KindStory, "news")
		if err != nil || len(copied) != 3 || copied[0].UserName != "Jean" || copied[2].UserID != 7 {
			t.Errorf("copied revisions = %+v, %v", copied, err)
		}
		if r, err := dst.Revision(ctx, alliance.KindStory, "news", 2); err != nil || len(alliance.Diff(r.Snapshot, r2.Snapshot)) != 0 {
			t.Errorf("copied revision 2 = %+v, %v", r, err)
		}
		if it, _ := dst.Item(ctx, alliance.KindStory, "news"); it.Revision != 3 {
			t.Errorf("the copied item is at revision %d, want 3", it.Revision)
		}
		// The typed reads: a card has no body; a detail has its HTML and every slug.
		cards, err := db.Cards(ctx, "fr", store.Query{Kind: alliance.KindStory})
		if err != nil || len(cards) != 1 || cards[0].Text == nil || cards[0].Text.Title != "First title (fr)" || cards[0].Fallback("fr") {
			t.Errorf("cards = %+v, %v", cards, err)
		}
		d, matched, err := db.Detail(ctx, alliance.KindStory, "fr", "news-fr")
		if err != nil || matched != "fr" || d.HTML != "<p>Des nouvelles.</p>\n" || d.Slugs["en"] != "news" || d.Revision != 3 ||
			d.Data.(*alliance.Story).Category != "research" {
			t.Errorf("detail = %+v, %q, %v", d, matched, err)
		}
	})
}

// A refused save reports every problem by field, named as the content files name them, and
// leaves the stored item, its revisions and the content version as they were.
func TestSaveValidatesEveryField(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		if _, err := saveAs(db, typedStory("other", "Other"), alliance.ImportChange()); err != nil {
			t.Fatal(err)
		}
		if _, err := saveAs(db, typedStory("news", "Stored title"), alliance.ImportChange()); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			change func(it *alliance.Item)
			fields []string
		}{
			{"no date", func(it *alliance.Item) { it.Data.(*alliance.Story).Date = "" }, []string{"date"}},
			{"bad date", func(it *alliance.Item) { it.Data.(*alliance.Story).Date = "1 March" }, []string{"date"}},
			{"unknown category", func(it *alliance.Item) { it.Data.(*alliance.Story).Category = "nothing" }, []string{"category"}},
			{"unknown author", func(it *alliance.Item) { it.Data.(*alliance.Story).Authors = []string{"nobody"} }, []string{"authors"}},
			{"itself related", func(it *alliance.Item) { it.Data.(*alliance.Story).Related = []string{"news"} }, []string{"related"}},
			// A reference is checked when the transaction ends: once the rest is valid.
			{"image without alt", func(it *alliance.Item) { it.Data.(*alliance.Story).Image = "images/none.svg" },
				[]string{"texts.en.alt", "texts.fr.alt"}},
			{"unknown image", func(it *alliance.Item) {
				it.Data.(*alliance.Story).Image = "images/none.svg"
				it.Text("en").Data.(*alliance.StoryText).Alt = "A drawing"
				it.Text("fr").Data.(*alliance.StoryText).Alt = "Un dessin"
			}, []string{"image"}},
			{"no French title", func(it *alliance.Item) { it.Text("fr").Title = " " }, []string{"texts.fr.title"}},
			{"bad slug", func(it *alliance.Item) { it.Text("en").Slug = "Not A Slug" }, []string{"texts.en.slug"}},
			{"taken slug", func(it *alliance.Item) { it.Text("fr").Slug = "other-fr" }, []string{"texts.fr.slug"}},
			{"NUL in a summary", func(it *alliance.Item) { it.Text("en").Summary = "a\x00b" }, []string{"texts.en.summary"}},
			{"nested too deep", func(it *alliance.Item) { it.Text("en").Body = strings.Repeat(">", 40) + " deep" }, []string{"texts.en.body"}},
			{"unpublished before published", func(it *alliance.Item) {
				it.PublishAt, it.UnpublishAt = time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
			}, []string{"unpublish_at"}},
			{"a language the site lacks", func(it *alliance.Item) {
				it.Texts = append(it.Texts, alliance.Text{Lang: "de", Slug: "news-de", Title: "Nachricht", Data: &alliance.StoryText{}})
			}, []string{"texts.de"}},
			{"no text", func(it *alliance.Item) { it.Texts = nil }, []string{"texts"}},
			{"a bad key", func(it *alliance.Item) { it.Key = "Bad Key" }, []string{"key"}},
			{"unknown shared field", func(it *alliance.Item) {
				it.Data, it.Shared = nil, []byte(`{"date":"2026-03-01","category":"research","venue":"x"}`)
			},
				[]string{"shared"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, _ := db.Item(ctx, alliance.KindStory, "news")
				v := db.Version()
				it, err := db.Edit(ctx, alliance.KindStory, "news")
				if err != nil {
					t.Fatal(err)
				}
				c.change(it)
				_, err = saveAs(db, it, alliance.Change{UserName: "Ana", Base: it.Revision})
				var ve *alliance.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("save = %v, want a ValidationError", err)
				}
				var fields []string
				for _, fe := range ve.Errors {
					if !slices.Contains(fields, fe.Field) {
						fields = append(fields, fe.Field)
					}
					if fe.Message == "" {
						t.Errorf("%s has no message", fe.Field)
					}
				}
				slices.Sort(fields)
				if !slices.Equal(fields, c.fields) {
					t.Errorf("fields = %q, want %q (%v)", fields, c.fields, err)
				}
				after, _ := db.Item(ctx, alliance.KindStory, "news")
				if db.Version() != v || after.Revision != before.Revision || after.Text("en").Title != before.Text("en").Title ||
					string(after.Shared) != string(before.Shared) || len(after.Texts) != 2 {
					t.Errorf("a refused save changed something: version %d → %d, %+v", v, db.Version(), after)
				}
				if revs, _ := db.Revisions(ctx, alliance.KindStory, "news"); len(revs) != 1 {
					t.Errorf("%d revisions after a refused save", len(revs))
				}
			})
		}
	})
}

// The content version moves once per transaction, however many items it saves, and references
// may name items saved later in the same transaction.
func TestContentVersionBumpsOncePerTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		v := db.Version()
		if err := db.Update(ctx, func(tx *store.Tx) error {
			a := typedStory("a", "A")
			a.Data.(*alliance.Story).Related = []string{"b"} // saved next
			for _, it := range []*alliance.Item{a, typedStory("b", "B"), typedStory("c", "C")} {
				if _, err := tx.Save(ctx, it, alliance.ImportChange()); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if db.Version() != v+1 {
			t.Errorf("version %d → %d after one transaction of three saves", v, db.Version())
		}
		// A reference still unresolved when the transaction ends refuses all of it.
		err := db.Update(ctx, func(tx *store.Tx) error {
			d := typedStory("d", "D")
			d.Data.(*alliance.Story).Related = []string{"never-saved"}
			_, err := tx.Save(ctx, d, alliance.ImportChange())
			return err
		})
		var ve *alliance.ValidationError
		if !errors.As(err, &ve) || ve.Key != "d" || len(ve.Field("related")) != 1 {
			t.Errorf("unresolved reference = %v", err)
		}
		if _, err := db.Item(ctx, alliance.KindStory, "d"); !errors.Is(err, alliance.ErrNotFound) || db.Version() != v+1 {
			t.Errorf("the refused transaction left d (%v) or moved the version", err)
		}
		// A save refused inside a transaction that goes on writes nothing, and its references
		// are not the transaction's to resolve.
		if err := db.Update(ctx, func(tx *store.Tx) error {
			bad := typedStory("e", "")
			bad.Data.(*alliance.Story).Related = []string{"never-saved"}
			if _, err := tx.Save(ctx, bad, alliance.ImportChange()); err == nil {
				return errors.New("a story without a title was saved")
			}
			_, err := tx.Save(ctx, typedStory("f", "F"), alliance.ImportChange())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Item(ctx, alliance.KindStory, "e"); !errors.Is(err, alliance.ErrNotFound) {
			t.Errorf("the refused story was written: %v", err)
		}
		if _, err := db.Item(ctx, alliance.KindStory, "f"); err != nil {
			t.Errorf("the story saved after a refused one: %v", err)
		}
	})
}

// A database of the previous release gets its stories' lead images on migrating to 0009, so
// that a story's page reads the image's size with the story; its items start at revision 0
// and their first save is revision 1.
func TestMigrationIndexesLeadImages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.MigrateTo(ctx, 8); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`INSERT INTO media (path, content_type, size, sha256, updated, width, height) VALUES ('images/a.svg', 'image/svg+xml', 1, 'x', '2026-01-01T00:00:00Z', 800, 450)`,
			`INSERT INTO items (kind, key, source_lang, shared, starts, updated) VALUES ('story', 'a', 'en', '{"date":"2026-01-01","category":"research","image":"images/a.svg"}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
			`INSERT INTO texts (item_id, kind, lang, slug, title, summary, body, html, fields) SELECT id, 'story', 'en', 'a', 'A', '', '', '', '{"alt":"A drawing"}' FROM items WHERE key = 'a'`,
		} {
			if err := db.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		d, _, err := db.Detail(ctx, alliance.KindStory, "en", "a")
		if err != nil {
			t.Fatal(err)
		}
		if d.Data.(*alliance.Story).Image != "images/a.svg" || d.ImageWidth != 800 || d.ImageHeight != 450 || d.Revision != 0 {
			t.Errorf("migrated story: image %q %d×%d, revision %d", d.Data.(*alliance.Story).Image, d.ImageWidth, d.ImageHeight, d.Revision)
		}
		siteWithTerms(t, db)
		edit, err := db.Edit(ctx, alliance.KindStory, "a")
		if err != nil {
			t.Fatal(err)
		}
		edit.Text("en").Title = "A, edited"
		if rev, err := saveAs(db, edit, alliance.Change{UserName: "Ana", Base: 0}); err != nil || rev.Number != 1 {
			t.Errorf("first save after migrating = %+v, %v", rev, err)
		}
	})
}

// A top-level page cannot take the address of a section in its language.
func TestTopLevelPageSlugIsNotASection(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		db := open(t, dbURL)
		siteWithTerms(t, db)
		page := &alliance.Item{Kind: alliance.KindPage, Key: "about", SourceLang: "en", Data: &alliance.Page{},
			Texts: []alliance.Text{{Lang: "en", Slug: "news", Title: "News about us"}}}
		_, err := saveAs(db, page, alliance.Change{UserName: "Ana"})
		var ve *alliance.ValidationError
		if !errors.As(err, &ve) || len(ve.Field("texts.en.slug")) != 1 {
			t.Fatalf("a page at /en/news/ = %v", err)
		}
		page.Texts[0].Slug = "about-us"
		if _, err := saveAs(db, page, alliance.Change{UserName: "Ana"}); err != nil {
			t.Errorf("a page at /en/about-us/ = %v", err)
		}
	})
}

// Two editors saving the same revision at the same moment: one save wins, the other is refused
// with a ConflictError, on PostgreSQL too, where the second transaction may read the item before
// the first commits.
func TestConcurrentSavesOfOneRevision(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		if _, err := saveAs(db, typedStory("news", "Title"), alliance.ImportChange()); err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 10; round++ {
			base, err := db.Edit(ctx, alliance.KindStory, "news")
			if err != nil {
				t.Fatal(err)
			}
			errs := make(chan error, 2)
			for editor := range 2 {
				go func() {
					it, _ := db.Edit(ctx, alliance.KindStory, "news")
					it.Text("en").Title = fmt.Sprintf("Round %d, editor %d", round, editor)
					_, err := saveAs(db, it, alliance.Change{UserName: fmt.Sprint(editor), Base: base.Revision})
					errs <- err
				}()
			}
			var won, refused int
			for range 2 {
				var conflict *alliance.ConflictError
				switch err := <-errs; {
				case err == nil:
					won++
				case errors.As(err, &conflict):
					refused++
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if won != 1 || refused != 1 {
				t.Fatalf("round %d: %d saves won, %d refused", round, won, refused)
			}
			if revs, _ := db.Revisions(ctx, alliance.KindStory, "news"); len(revs) != round+2 {
				t.Fatalf("round %d: %d revisions", round, len(revs))
			}
		}
	})
}
