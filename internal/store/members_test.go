package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

func member(key string) *alliance.Item {
	return &alliance.Item{Kind: alliance.KindMember, Key: key, SourceLang: "en", Data: &alliance.Member{ShortName: key, Country: "ES"},
		Texts: []alliance.Text{{Lang: "en", Slug: key, Title: "University " + key}}}
}

func person(key, memberKey string) *alliance.Item {
	return &alliance.Item{Kind: alliance.KindPerson, Key: key, SourceLang: "en", Data: &alliance.Person{Name: key, Member: memberKey},
		Texts: []alliance.Text{{Lang: "en"}}}
}

func authored(kind alliance.Kind, key string, authors ...string) *alliance.Item {
	it := &alliance.Item{Kind: kind, Key: key, SourceLang: "en", Texts: []alliance.Text{{Lang: "en", Slug: key, Title: key}}}
	if kind == alliance.KindStory {
		it.Data = &alliance.Story{Date: "2026-01-10", Category: "news", Authors: authors}
	} else {
		it.Data = &alliance.Resource{Year: 2025, Authors: authors}
	}
	return it
}

// byMember returns the keys of kind the back office lists for a member, and the members each
// row shows, as "key:m1+m2".
func byMember(t *testing.T, db *store.DB, kind alliance.Kind, m string) string {
	t.Helper()
	rows, total, err := db.EditList(context.Background(), store.EditQuery{Kind: kind, Lang: "en", Member: m})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Key+":"+strings.Join(r.Members, "+"))
	}
	if total != len(rows) {
		t.Errorf("%s of %s: total %d for %d rows", kind, m, total, len(rows))
	}
	slices.Sort(out) // the list's order is the time of change, to the second
	return strings.Join(out, " ")
}

// A story's or resource's members are its authors': a save changing its authors, or an
// author's university, moves it between the member filters of the back office's list, and a
// story saved before its author (as an import may) gets the author's member all the same.
func TestMembersFacetFollowsAuthors(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		imp := alliance.ImportChange()
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for _, it := range []*alliance.Item{member("genil"), member("nord"),
				{Kind: alliance.KindCategory, Key: "news", SourceLang: "en", Data: &alliance.Term{}, Texts: []alliance.Text{{Lang: "en", Slug: "news", Title: "News"}}},
				authored(alliance.KindStory, "s", "ana"), // before ana
				person("ana", "genil"), person("bob", "nord"), person("cy", ""),
				authored(alliance.KindStory, "t", "bob", "ana"),
				authored(alliance.KindResource, "r", "bob", "cy"),
			} {
				if _, err := tx.Save(ctx, it, imp); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := byMember(t, db, alliance.KindStory, "genil"); got != "s:genil t:genil+nord" {
			t.Errorf("stories of genil = %q", got)
		}
		if got := byMember(t, db, alliance.KindStory, "nord"); got != "t:genil+nord" {
			t.Errorf("stories of nord = %q", got)
		}
		if got := byMember(t, db, alliance.KindResource, "nord"); got != "r:nord" {
			t.Errorf("resources of nord = %q", got)
		}

		// An editor gives s another author.
		edit := func(kind alliance.Kind, key string, change func(it *alliance.Item)) {
			t.Helper()
			it, err := db.Edit(ctx, kind, key)
			if err != nil {
				t.Fatal(err)
			}
			change(it)
			if err := db.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.Save(ctx, it, alliance.Change{UserID: 1, UserName: "Eleni", Base: it.Revision})
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		edit(alliance.KindStory, "s", func(it *alliance.Item) { it.Data.(*alliance.Story).Authors = []string{"bob"} })
		if got := byMember(t, db, alliance.KindStory, "genil"); got != "t:genil+nord" {
			t.Errorf("stories of genil after s changed authors = %q", got)
		}
		if got := byMember(t, db, alliance.KindStory, "nord"); got != "s:nord t:genil+nord" {
			t.Errorf("stories of nord after s changed authors = %q", got)
		}

		// Bob moves to genil: his stories and resources follow, and nord has none left.
		edit(alliance.KindPerson, "bob", func(it *alliance.Item) { it.Data.(*alliance.Person).Member = "genil" })
		if got := byMember(t, db, alliance.KindStory, "nord"); got != "" {
			t.Errorf("stories of nord after bob moved = %q", got)
		}
		if got := byMember(t, db, alliance.KindStory, "genil"); got != "s:genil t:genil" {
			t.Errorf("stories of genil after bob moved = %q", got)
		}
		if got := byMember(t, db, alliance.KindResource, "genil"); got != "r:genil" {
			t.Errorf("resources of genil after bob moved = %q", got)
		}
		// A story with no author belongs to no member.
		edit(alliance.KindStory, "s", func(it *alliance.Item) { it.Data.(*alliance.Story).Authors = nil })
		if got := byMember(t, db, alliance.KindStory, "genil"); got != "t:genil" {
			t.Errorf("stories of genil after s lost its authors = %q", got)
		}
	})
}

// Rows stored before migration 0014 get the members facet from their JSON when migrated.
func TestMigrationDerivesMembersFacet(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.MigrateTo(ctx, 13); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO items (id, kind, key, source_lang, shared, updated) VALUES (1, 'person', 'ana', 'en', '{"name":"Ana","member":"genil"}', '2026-01-01T00:00:00Z')`, nil},
			{`INSERT INTO items (id, kind, key, source_lang, shared, updated) VALUES (2, 'person', 'bob', 'en', '{"name":"Bob"}', '2026-01-01T00:00:00Z')`, nil},
			{`INSERT INTO items (id, kind, key, source_lang, shared, starts, updated) VALUES (3, 'story', 's', 'en', '{"date":"2026-01-10","authors":["ana","bob"]}', '2026-01-10T00:00:00Z', '2026-01-02T00:00:00Z')`, nil},
			{`INSERT INTO items (id, kind, key, source_lang, shared, starts, updated) VALUES (4, 'story', 't', 'en', '{"date":"2026-01-11","authors":["bob"]}', '2026-01-11T00:00:00Z', '2026-01-03T00:00:00Z')`, nil},
			{`INSERT INTO items (id, kind, key, source_lang, shared, starts, updated) VALUES (5, 'resource', 'r', 'en', '{"year":2025,"authors":["ana"]}', '2025-01-01T00:00:00Z', '2026-01-04T00:00:00Z')`, nil},
			{`INSERT INTO texts (item_id, kind, lang, slug, title, summary, body, fields) VALUES (3, 'story', 'en', 's', 'Climate Days', '', '', '{}')`, nil},
			{`INSERT INTO texts (item_id, kind, lang, slug, title, summary, body, fields) VALUES (3, 'story', 'fr', 's', 'Journées du climat', '', '', '{}')`, nil},
			{`INSERT INTO texts (item_id, kind, lang, slug, title, summary, body, fields) VALUES (4, 'story', 'en', 't', 'Other', '', '', '{}')`, nil},
		} {
			if err := db.Exec(ctx, stmt.sql, stmt.args...); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := byMember(t, db, alliance.KindStory, "genil"); got != "s:genil" {
			t.Errorf("stories of genil = %q", got)
		}
		if got := byMember(t, db, alliance.KindResource, "genil"); got != "r:genil" {
			t.Errorf("resources of genil = %q", got)
		}
		if got := byMember(t, db, alliance.KindPerson, "genil"); got != "ana:" {
			t.Errorf("people of genil = %q", got)
		}
		// The list's titles and languages, derived for the rows stored before.
		rows, _, err := db.EditList(ctx, store.EditQuery{Kind: alliance.KindStory, Words: []string{"CLIMAT", "days"}})
		if err != nil || len(rows) != 1 || rows[0].Key != "s" {
			t.Errorf("stories with climat and days: %+v, %v", rows, err)
		}
		rows, _, err = db.EditList(ctx, store.EditQuery{Kind: alliance.KindStory, Missing: "fr"})
		if err != nil || len(rows) != 1 || rows[0].Key != "t" {
			t.Errorf("stories without French: %+v, %v", rows, err)
		}
	})
}

// The list's filters, read from the derived columns and the index items_edit_list: words
// starting a word of a title in any language (ignoring case and accents, from title_words),
// a missing language, a status, and a member, alone and together; and a save that changes a
// title or removes a text moves the item in and out of them.
func TestEditListFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.SaveSite(ctx, &alliance.Site{Name: "Test", Languages: []string{"en", "el", "fr"}}); err != nil {
				return err
			}
			el := authored(alliance.KindStory, "a", "ana")
			el.Texts = append(el.Texts, alliance.Text{Lang: "el", Slug: "a-el", Title: "ΕΥΡΩΠΑΪΚΟ Κλίμα"})
			el.Texts[0].Title = "Climate Days in Granada"
			fr := authored(alliance.KindStory, "b")
			fr.Texts = append(fr.Texts, alliance.Text{Lang: "fr", Slug: "b-fr", Title: "Le 100% climat"})
			draft := authored(alliance.KindStory, "c", "ana")
			draft.Draft = true
			for _, it := range []*alliance.Item{member("genil"),
				{Kind: alliance.KindCategory, Key: "news", SourceLang: "en", Data: &alliance.Term{}, Texts: []alliance.Text{{Lang: "en", Slug: "news", Title: "News"}}},
				person("ana", "genil"), el, fr, draft} {
				if _, err := tx.Save(ctx, it, alliance.ImportChange()); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		list := func(q store.EditQuery) string {
			t.Helper()
			q.Kind, q.Lang = alliance.KindStory, "en"
			rows, total, err := db.EditList(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rows {
				out = append(out, r.Key)
			}
			if total != len(rows) {
				t.Errorf("%+v: total %d for %d rows", q, total, len(rows))
			}
			slices.Sort(out)
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			q    store.EditQuery
			want string
		}{
			{store.EditQuery{}, "a b c"},
			{store.EditQuery{Words: []string{"CLIMATE"}}, "a"},
			{store.EditQuery{Words: []string{"clima"}}, "a b"},
			{store.EditQuery{Words: []string{"κλίμα"}}, "a"},
			{store.EditQuery{Words: []string{"ευρωπαϊκο"}}, "a"},
			{store.EditQuery{Words: []string{"climate", "κλίμα"}}, "a"}, // each word in any language
			{store.EditQuery{Words: []string{"100%"}}, "b"},
			{store.EditQuery{Words: []string{"0%c"}}, ""},            // % is a character, not a pattern
			{store.EditQuery{Words: []string{"days\ngranada"}}, "a"}, // two words, each found
			{store.EditQuery{Words: []string{"gran", "Κλι"}}, "a"},   // the starts of words
			{store.EditQuery{Words: []string{"mate"}}, ""},           // not their middles
			{store.EditQuery{Words: []string{"ΕΥΡΩΠΑΙΚΟ"}}, "a"},
			{store.EditQuery{Missing: "el"}, "b c"},
			{store.EditQuery{Missing: "en"}, ""},
			{store.EditQuery{Status: store.StatusDraft}, "c"},
			{store.EditQuery{Status: store.StatusPublished, Member: "genil"}, "a"},
			{store.EditQuery{Status: store.StatusPublished, Member: "genil", Missing: "el"}, ""},
			{store.EditQuery{Member: "genil", Missing: "el"}, "c"},
		} {
			if got := list(c.q); got != c.want {
				t.Errorf("%+v: %q, want %q", c.q, got, c.want)
			}
		}
		// A page of the words' matches: the second of two, newest change first.
		all, _, err := db.EditList(ctx, store.EditQuery{Kind: alliance.KindStory, Words: []string{"clima"}})
		if err != nil || len(all) != 2 {
			t.Fatalf("clima: %+v, %v", all, err)
		}
		second, total, err := db.EditList(ctx, store.EditQuery{Kind: alliance.KindStory, Lang: "en", Words: []string{"clima"}, Limit: 1, Offset: 1})
		if err != nil || total != 2 || len(second) != 1 || second[0].Key != all[1].Key || second[0].Title == "" || len(second[0].Langs) == 0 {
			t.Errorf("second page of clima: %+v, total %d, %v", second, total, err)
		}
		if past, total, err := db.EditList(ctx, store.EditQuery{Kind: alliance.KindStory, Words: []string{"clima"}, Offset: 2}); err != nil || total != 2 || len(past) != 0 {
			t.Errorf("past the end of clima: %+v, total %d, %v", past, total, err)
		}
		// A save that drops the Greek text and renames the story moves it.
		it, err := db.Edit(ctx, alliance.KindStory, "a")
		if err != nil {
			t.Fatal(err)
		}
		it.Texts = slices.DeleteFunc(it.Texts, func(t alliance.Text) bool { return t.Lang == "el" })
		it.Text("en").Title = "Weather report"
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Save(ctx, it, alliance.Change{UserID: 1, UserName: "Eleni", Base: it.Revision})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := list(store.EditQuery{Words: []string{"clima"}}); got != "b" {
			t.Errorf("clima after the rename: %q", got)
		}
		if got := list(store.EditQuery{Missing: "el"}); got != "a b c" {
			t.Errorf("missing el after removing a's Greek text: %q", got)
		}
	})
}
