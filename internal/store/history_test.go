package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// A translation is outdated once its source text changes, and up to date again when it is saved
// with changes or marked so; changes to the shared fields or the source's slug leave it alone;
// rows stored before the state was tracked count as up to date. The dashboard's counts and
// lists agree.
func TestTranslationOutdatedAfterSourceEdit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		editor := alliance.Change{UserName: "Ana"}
		state := func(when string, wantFR bool) {
			t.Helper()
			s, err := db.TranslationState(ctx, alliance.KindStory, "s")
			if err != nil {
				t.Fatal(err)
			}
			if s["en"] || s["fr"] != wantFR {
				t.Errorf("%s: outdated = %v, want fr %v", when, s, wantFR)
			}
			counts, err := db.TranslationCounts(ctx, []string{"fr"})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range counts {
				if c.Kind == alliance.KindStory && (c.Outdated == 1) != wantFR {
					t.Errorf("%s: counts %+v", when, c)
				}
			}
			list, err := db.Outdated(ctx, "fr", alliance.KindStory, 0, 10)
			if err != nil || (len(list) == 1) != wantFR || (wantFR && (list[0].Key != "s" || list[0].Title != "Title")) {
				t.Errorf("%s: outdated list %+v, %v", when, list, err)
			}
		}
		rev, err := saveAs(db, typedStory("s", "Title"), editor)
		if err != nil {
			t.Fatal(err)
		}
		state("new", false)

		edit := func(change func(it *alliance.Item)) {
			t.Helper()
			it, err := db.Edit(ctx, alliance.KindStory, "s")
			if err != nil {
				t.Fatal(err)
			}
			change(it)
			editor.Base = rev.Number
			if rev, err = saveAs(db, it, editor); err != nil {
				t.Fatal(err)
			}
		}
		edit(func(it *alliance.Item) { it.Data.(*alliance.Story).Date = "2026-03-02" })
		state("shared field changed", false)
		edit(func(it *alliance.Item) { it.Texts[0].Slug = "s-new" })
		state("source slug changed", false)
		edit(func(it *alliance.Item) { it.Texts[0].Body = "Other *news*." })
		state("source body changed", true)
		edit(func(it *alliance.Item) { it.Data.(*alliance.Story).Date = "2026-03-03" })
		state("shared field changed while outdated", true)
		edit(func(it *alliance.Item) { it.Texts[1].Body = "D'autres nouvelles." })
		state("translation saved", false)
		edit(func(it *alliance.Item) { it.Texts[0].Data.(*alliance.StoryText).Caption = "Another caption" })
		state("source's translated field changed", true)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.MarkTranslated(ctx, alliance.KindStory, "s", "fr", editor)
		}); err != nil {
			t.Fatal(err)
		}
		state("marked up to date", false)

		// Rows stored before migration 0011 hold '': up to date with the source as it stood.
		if err := db.Exec(ctx, `UPDATE texts SET source_hash = ''`); err != nil {
			t.Fatal(err)
		}
		edit(func(it *alliance.Item) { it.Data.(*alliance.Story).Date = "2026-03-04" })
		state("untracked, shared field changed", false)
		edit(func(it *alliance.Item) { it.Texts[0].Title = "New title" })
		s, _ := db.TranslationState(ctx, alliance.KindStory, "s")
		if !s["fr"] {
			t.Errorf("untracked, source title changed: %v", s)
		}

		// An item with no French text is missing in French, not outdated.
		only := typedStory("only-en", "Only English")
		only.Texts = only.Texts[:1]
		if _, err := saveAs(db, only, alliance.Change{UserName: "Ana"}); err != nil {
			t.Fatal(err)
		}
		missing, err := db.Untranslated(ctx, "fr", alliance.KindStory, 0, 10)
		if err != nil || len(missing) != 1 || missing[0].Key != "only-en" || missing[0].Title != "Only English" || missing[0].SourceLang != "en" {
			t.Errorf("untranslated = %+v, %v", missing, err)
		}
		counts, err := db.TranslationCounts(ctx, []string{"en", "fr"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range counts {
			if c.Kind != alliance.KindStory {
				continue
			}
			want := store.TranslationCount{Lang: c.Lang, Kind: alliance.KindStory, Items: 2}
			if c.Lang == "fr" {
				want.Missing, want.Outdated = 1, 1
			}
			if c != want {
				t.Errorf("counts %+v, want %+v", c, want)
			}
		}
	})
}

// An import marks a translation whose file changed as up to date with the source at that
// moment, and leaves an unchanged one as it was.
func TestTranslationStateOfImports(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		imp := alliance.ImportChange()
		it := typedStory("s", "Title")
		if _, err := saveAs(db, it, imp); err != nil {
			t.Fatal(err)
		}
		it = typedStory("s", "Title")
		it.Texts[0].Body = "Changed in the source file."
		if _, err := saveAs(db, it, imp); err != nil {
			t.Fatal(err)
		}
		if s, _ := db.TranslationState(ctx, alliance.KindStory, "s"); !s["fr"] {
			t.Errorf("after the source file changed: %v", s)
		}
		it = typedStory("s", "Title")
		it.Texts[0].Body = "Changed in the source file."
		it.Texts[1].Body = "Changée aussi."
		if _, err := saveAs(db, it, imp); err != nil {
			t.Fatal(err)
		}
		if s, _ := db.TranslationState(ctx, alliance.KindStory, "s"); s["fr"] {
			t.Errorf("after the translation's file changed: %v", s)
		}
	})
}

// Every change of an item writes its audit line in its transaction, saying what it did; a
// refused save writes none.
func TestItemChangesAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		siteWithTerms(t, db)
		c := alliance.Change{UserName: "Ana", Addr: "192.0.2.7"}
		it := typedStory("s", "Title")
		rev, err := saveAs(db, it, c)
		if err != nil {
			t.Fatal(err)
		}
		steps := []func(it *alliance.Item){
			func(it *alliance.Item) { it.Texts[0].Title = "Title 2" },
			func(it *alliance.Item) { it.Texts[1].Title = "Titre 2" },
			func(it *alliance.Item) { it.Draft = true },
			func(it *alliance.Item) { it.Draft = false },
		}
		for _, step := range steps {
			it, err := db.Edit(ctx, alliance.KindStory, "s")
			if err != nil {
				t.Fatal(err)
			}
			step(it)
			c.Base = rev.Number
			if rev, err = saveAs(db, it, c); err != nil {
				t.Fatal(err)
			}
		}
		c.Base = 1 // stale: refused, not audited
		if _, err := saveAs(db, typedStory("s", "Lost"), c); !errors.As(err, new(*alliance.ConflictError)) {
			t.Fatalf("stale save: %v", err)
		}
		c.Base = rev.Number
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Restore(ctx, alliance.KindStory, "s", 1, c)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.Delete(ctx, alliance.KindStory, "s", c) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.Delete(ctx, alliance.KindStory, "s", c) }); !errors.Is(err, alliance.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		log, err := db.AuditLog(ctx, store.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range log {
			if e.Subject != "story/s" {
				continue
			}
			got = append(got, e.Action+" "+e.Detail)
			if e.Actor != "Ana" || e.Addr != "192.0.2.7" {
				t.Errorf("entry %+v", e)
			}
		}
		want := []string{
			"item-deleted ",
			"item-restored revision 6 from revision 1: texts.en.title, texts.fr.title",
			"item-published revision 5: draft",
			"item-unpublished revision 4: draft",
			"item-translated revision 3: texts.fr.title",
			"item-saved revision 2: texts.en.title",
			"item-created revision 1",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
