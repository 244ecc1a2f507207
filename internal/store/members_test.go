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
	})
}
