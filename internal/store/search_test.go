package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// searchStory is a story dated date with one text per "lang|title|body".
func searchStory(key, date string, texts ...string) *alliance.Item {
	raw, _ := json.Marshal(&alliance.Story{Date: alliance.Date(date), Category: "x"})
	it := &alliance.Item{Kind: alliance.KindStory, Key: key, Shared: raw}
	for _, s := range texts {
		p := strings.SplitN(s, "|", 3)
		if it.SourceLang == "" {
			it.SourceLang = p[0]
		}
		it.Texts = append(it.Texts, alliance.Text{Lang: p[0], Slug: key + "-" + p[0], Title: p[1], Body: p[2], Fields: json.RawMessage(`{}`)})
	}
	return it
}

func searchPage(key, lang, title, body string) *alliance.Item {
	raw, _ := json.Marshal(&alliance.Page{})
	return &alliance.Item{Kind: alliance.KindPage, Key: key, SourceLang: lang, Shared: raw,
		Texts: []alliance.Text{{Lang: lang, Slug: key, Title: title, Body: body, Fields: json.RawMessage(`{}`)}}}
}

// searchSite is the corpus of the search tests, in the site's eight languages.
func searchSite(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSite(ctx, &alliance.Site{Name: "Test", Languages: []string{"en", "fr", "de", "el", "it", "es", "sv", "ro"}}); err != nil {
			return err
		}
		_, err := tx.Save(ctx, &alliance.Item{Kind: alliance.KindCategory, Key: "x", SourceLang: "en",
			Texts: []alliance.Text{{Lang: "en", Slug: "x", Title: "X"}}}, alliance.ImportChange())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	save(t, db,
		searchStory("alliance-fr", "2026-03-01", "fr|Les universités de l'alliance|Huit établissements.", "en|The universities of the alliance|Eight institutions."),
		searchStory("programme-de", "2026-02-01", "de|Neue Programmen für Studierende|Ein Jahr im Ausland."),
		searchStory("mobility-ro", "2026-01-10", "ro|Mobilitate pentru studenți|Burse pentru toți."),
		searchStory("body-ro", "2026-01-20", "ro|Burse noi|Programul de mobilității al alianței."),
		searchStory("uni-el", "2026-01-05", "el|Το πανεπιστήμιο της Μεριδίας|Οι φοιτητές και η έρευνα."),
		searchStory("title-en", "2025-12-01", "en|Research mobility grants|Apply by March."),
		searchStory("body-en", "2026-04-01", "en|News of the spring|A new mobility fund opens for researchers."),
		searchStory("only-en", "2025-11-01", "en|Erasmus guide|Everything about Erasmus exchanges."),
		searchPage("office", "en", "Mobility office", "Where to ask."),
	)
}

func searchKeys(t *testing.T, db *store.DB, lang, text string, kind alliance.Kind) []string {
	t.Helper()
	res, err := db.Search(context.Background(), store.SearchQuery{Lang: lang, Text: text, Kind: kind, Limit: 50})
	if err != nil {
		t.Fatalf("Search(%s, %q): %v", lang, text, err)
	}
	var keys []string
	for _, h := range res.Hits {
		k := h.Key
		if h.Fallback {
			k += "@" + h.Lang
		}
		keys = append(keys, k)
	}
	if len(keys) != res.Total {
		t.Errorf("Search(%s, %q): %d hits, Total %d", lang, text, len(keys), res.Total)
	}
	return keys
}

// The cases, on both databases, with the same keys in the same order.
func TestSearchCases(t *testing.T) {
	cases := []struct {
		lang, q string
		kind    alliance.Kind
		want    []string
	}{
		{"fr", "universités", "", []string{"alliance-fr"}},
		{"fr", "université", "", []string{"alliance-fr"}},
		{"fr", "UNIVERSITES", "", []string{"alliance-fr"}}, // accents and case left out
		{"en", "university", "", []string{"alliance-fr"}},
		{"de", "Programme", "", []string{"programme-de"}},
		{"ro", "mobilităţii", "", []string{"mobility-ro", "body-ro"}}, // cedilla finds the base form in a title, then comma below in a body
		{"ro", "mobilității", "", []string{"mobility-ro", "body-ro"}},
		{"el", "πανεπιστήμια", "", []string{"uni-el"}},
		{"el", "ΠΑΝΕΠΙΣΤΗΜΙΟ", "", []string{"uni-el"}},
		// Title before body, then newest first, undated last.
		{"en", "mobility", "", []string{"title-en", "office", "body-en"}},
		{"en", "mobility research", "", []string{"title-en", "body-en"}},
		{"en", "mobility", alliance.KindPage, []string{"office"}},
		{"en", "mobility", alliance.KindStory, []string{"title-en", "body-en"}},
		// One typo in a long word: a letter missing, one too many, one replaced.
		{"en", "reserch", "", []string{"title-en", "body-en"}},
		{"en", "mobiliity", "", []string{"title-en", "office", "body-en"}},
		{"en", "mobolity", "", []string{"title-en", "office", "body-en"}},
		{"fr", "univrsités", "", []string{"alliance-fr"}},
		// A short word gets no typo: "grant" is not "grand".
		{"en", "grand", "", nil},
		// Fallback: a text shown in another language is found, marked with its language.
		{"de", "Erasmus", "", []string{"only-en@en"}},
		{"el", "universities", "", []string{"alliance-fr@fr"}},
		{"sv", "Erasmus guide", "", []string{"only-en@en"}},
		// Not the other languages' texts of a translated item: French shows the French text.
		{"fr", "institutions", "", nil},
		{"en", "nothingmatchesthis", "", nil},
		{"en", "   ", "", nil},
	}
	got := map[string][][]string{}
	storetest.Run(t, func(t *testing.T, dbURL string) {
		db := open(t, dbURL)
		searchSite(t, db)
		var all [][]string
		for _, c := range cases {
			keys := searchKeys(t, db, c.lang, c.q, c.kind)
			if !slices.Equal(keys, c.want) {
				t.Errorf("Search(%s, %q, %q) = %q, want %q", c.lang, c.q, c.kind, keys, c.want)
			}
			all = append(all, keys)
		}
		got[t.Name()] = all
	})
	var first []string
	for name, all := range got {
		if first == nil {
			first = []string{name}
			continue
		}
		if !slices.EqualFunc(all, got[first[0]], slices.Equal) {
			t.Errorf("%s and %s differ", name, first[0])
		}
	}
}

// The index follows every write, in its transaction: a save, a change, a deletion, and the
// publication window at the site's clock.
func TestSearchFollowsWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		clock := &fakeClock{t: at("2026-05-01T06:59:59Z")}
		db.SetClock(clock.Now)
		searchSite(t, db)
		check := func(q string, want ...string) {
			t.Helper()
			if got := searchKeys(t, db, "en", q, ""); !slices.Equal(got, want) {
				t.Errorf("Search(%q) = %q, want %q", q, got, want)
			}
		}
		check("volcanology")
		save(t, db, searchStory("new", "2026-04-02", "en|Volcanology summer school|Lava."))
		check("volcanology", "new")
		// A changed text no longer finds its old words.
		save(t, db, searchStory("new", "2026-04-02", "en|Glaciology summer school|Ice."))
		check("volcanology")
		check("glaciology", "new")
		check("lava")
		// A translation removed is no longer found in its language, and the source text now
		// stands in for it.
		save(t, db, searchStory("both", "2026-04-03", "en|Oceanography|Sea.", "fr|Océanographie|Mer."))
		if got := searchKeys(t, db, "fr", "océanographie", ""); !slices.Equal(got, []string{"both"}) {
			t.Errorf("fr = %q", got)
		}
		save(t, db, searchStory("both", "2026-04-03", "en|Oceanography|Sea."))
		if got := searchKeys(t, db, "fr", "oceanography", ""); !slices.Equal(got, []string{"both@en"}) {
			t.Errorf("fr after removal = %q", got)
		}
		// Deleted: gone.
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.Delete(ctx, alliance.KindStory, "new", alliance.ImportChange())
		}); err != nil {
			t.Fatal(err)
		}
		check("glaciology")
		// A draft is never found; a scheduled item from the second of its publication.
		draft := searchStory("draft", "2026-04-04", "en|Seismology draft|Hidden.")
		draft.Draft = true
		later := searchStory("later", "2026-04-05", "en|Seismology week|Soon.")
		later.PublishAt, later.UnpublishAt = at("2026-05-01T07:00:00Z"), at("2026-06-01T00:00:00Z")
		save(t, db, draft, later)
		check("seismology")
		clock.Set(at("2026-05-01T07:00:00Z"))
		check("seismology", "later")
		clock.Set(at("2026-06-01T00:00:00Z"))
		check("seismology")
		// A rolled-back save leaves no trace in the index.
		failed := fmt.Errorf("rolled back")
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if _, err := tx.Save(ctx, searchStory("ghost", "2026-04-06", "en|Speleology|Caves."), alliance.ImportChange()); err != nil {
				return err
			}
			return failed
		}); err != failed {
			t.Fatalf("Update = %v", err)
		}
		check("speleology")
	})
}

// The index's writes wait for the end of the transaction (the FTS5 terms, the vocabulary):
// an item saved twice or saved then deleted in one transaction is found as it was committed, and
// a term of a rolled back transaction is not taken for stored (a typo of it finds the item a
// later transaction saves with it).
func TestSearchIndexWithinOneTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		searchSite(t, db)
		check := func(q string, want ...string) {
			t.Helper()
			if got := searchKeys(t, db, "en", q, ""); !slices.Equal(got, want) {
				t.Errorf("Search(%q) = %q, want %q", q, got, want)
			}
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for _, it := range []*alliance.Item{
				searchStory("twice", "2026-04-02", "en|Volcanology summer school|Lava."),
				searchStory("twice", "2026-04-02", "en|Glaciology summer school|Ice."),
				searchStory("gone", "2026-04-03", "en|Speleology week|Caves."),
			} {
				if _, err := tx.Save(ctx, it, alliance.ImportChange()); err != nil {
					return err
				}
			}
			return tx.Delete(ctx, alliance.KindStory, "gone", alliance.ImportChange())
		}); err != nil {
			t.Fatal(err)
		}
		check("volcanology")
		check("glaciology", "twice")
		check("glaciolgy", "twice")
		check("speleology")

		failed := fmt.Errorf("rolled back")
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if _, err := tx.Save(ctx, searchStory("ghost", "2026-04-06", "en|Cryosphere|Frozen."), alliance.ImportChange()); err != nil {
				return err
			}
			return failed
		}); err != failed {
			t.Fatalf("Update = %v", err)
		}
		check("cryosphere")
		save(t, db, searchStory("real", "2026-04-07", "en|Cryosphere|Frozen."))
		check("cryosphere", "real")
		check("cryospere", "real")
	})
}

// Paging: the pages of a search, in order, are its whole result; counts are by kind.
func TestSearchPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		db := open(t, dbURL)
		searchSite(t, db)
		var items []*alliance.Item
		for i := range 7 {
			items = append(items, searchStory(fmt.Sprintf("s%d", i), fmt.Sprintf("2026-01-%02d", i+1), "en|Astronomy "+fmt.Sprint(i)+"|Stars."))
		}
		save(t, db, items...)
		var keys []string
		for off := 0; off < 9; off += 3 {
			res, err := db.Search(context.Background(), store.SearchQuery{Lang: "en", Text: "astronomy", Limit: 3, Offset: off})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 7 || res.Counts[alliance.KindStory] != 7 {
				t.Errorf("Total %d, counts %v", res.Total, res.Counts)
			}
			for _, h := range res.Hits {
				keys = append(keys, h.Key)
			}
		}
		if want := []string{"s6", "s5", "s4", "s3", "s2", "s1", "s0"}; !slices.Equal(keys, want) {
			t.Errorf("pages = %q, want %q", keys, want)
		}
		long := strings.Repeat("word ", 13)
		if _, err := db.Search(context.Background(), store.SearchQuery{Lang: "en", Text: long, Limit: 3}); err != store.ErrQueryTooLong {
			t.Errorf("13 words: %v", err)
		}
		if _, err := db.Search(context.Background(), store.SearchQuery{Lang: "en", Text: strings.Repeat("x", 201), Limit: 3}); err != store.ErrQueryTooLong {
			t.Errorf("201 bytes: %v", err)
		}
	})
}

// The cap (SetSearchCap lowers it to three, so that a few texts pass it): a search ranks the
// most recently indexed matches only, says so (Capped, and KindCapped of a kind filtered on),
// counts at most the cap, and keeps the same texts in the same order on both databases; a
// text saved again is indexed anew, so it becomes one of the kept.
func TestSearchCap(t *testing.T) {
	type result struct {
		keys               []string
		counts             map[alliance.Kind]int
		total              int
		capped, kindCapped bool
	}
	search := func(t *testing.T, db *store.DB, kind alliance.Kind) result {
		t.Helper()
		res, err := db.Search(context.Background(), store.SearchQuery{Lang: "en", Text: "zanzibar", Kind: kind, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		r := result{counts: res.Counts, total: res.Total, capped: res.Capped, kindCapped: res.KindCapped}
		for _, h := range res.Hits {
			r.keys = append(r.keys, h.Key)
		}
		if len(r.keys) != r.total {
			t.Errorf("kind %q: %d hits, Total %d", kind, len(r.keys), r.total)
		}
		return r
	}
	check := func(t *testing.T, name string, got, want result) {
		t.Helper()
		if !slices.Equal(got.keys, want.keys) || got.total != want.total || got.capped != want.capped ||
			got.kindCapped != want.kindCapped || fmt.Sprint(got.counts) != fmt.Sprint(want.counts) {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	got := map[string][]result{}
	storetest.Run(t, func(t *testing.T, dbURL string) {
		db := open(t, dbURL)
		db.SetSearchCap(3)
		searchSite(t, db)
		// Saved in this order, so indexed in it: the newest dates first, the page before s5.
		s := func(key, date string) *alliance.Item {
			return searchStory(key, date, "en|Story "+key+"|Notes from Zanzibar.")
		}
		save(t, db, s("s1", "2026-05-01"), s("s2", "2026-04-01"), s("s3", "2026-03-01"), s("s4", "2026-02-01"),
			searchPage("p1", "en", "Page one", "Travel to Zanzibar."), s("s5", "2026-01-01"))
		var all []result
		// Six match: the three indexed last are ranked (by date, the undated page last).
		r := search(t, db, "")
		check(t, "every kind", r, result{keys: []string{"s4", "s5", "p1"}, total: 3, capped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 2, alliance.KindPage: 1}})
		all = append(all, r)
		// Five stories match: the three indexed last.
		r = search(t, db, alliance.KindStory)
		check(t, "stories", r, result{keys: []string{"s3", "s4", "s5"}, total: 3, capped: true, kindCapped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 2, alliance.KindPage: 1}})
		all = append(all, r)
		// One page matches: all of the kind, while the search as a whole is capped.
		r = search(t, db, alliance.KindPage)
		check(t, "pages", r, result{keys: []string{"p1"}, total: 1, capped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 2, alliance.KindPage: 1}})
		all = append(all, r)
		// s1 saved again is indexed last: it takes s4's place.
		save(t, db, searchStory("s1", "2026-05-01", "en|Story s1, again|Notes from Zanzibar."))
		r = search(t, db, "")
		check(t, "after saving s1", r, result{keys: []string{"s1", "s5", "p1"}, total: 3, capped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 2, alliance.KindPage: 1}})
		all = append(all, r)
		// Texts indexed since that do not match: more than PostgreSQL's first window of ids
		// (store.searchWindow texts per result of the cap: 48 here), so the
		// matches are found only in wider ones — and they are the same.
		var others []*alliance.Item
		for i := range 60 {
			others = append(others, searchStory(fmt.Sprint("o", i), "2026-06-01", "en|Other "+fmt.Sprint(i)+"|Nothing to see."))
		}
		save(t, db, others...)
		r = search(t, db, "")
		check(t, "past newer texts", r, result{keys: []string{"s1", "s5", "p1"}, total: 3, capped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 2, alliance.KindPage: 1}})
		all = append(all, r)
		// The ids jump past PostgreSQL's ranges of ids (pgTerms: 1,024 ids a range) as at a
		// large site, so its windows of the newest texts are ranges apart from the older
		// matches': first none matches (every text is then read); then one does, fewer than
		// the cap, so wider windows of several ranges are read before every text; then the
		// first window holds more than the cap — and the texts kept are SQLite's.
		jump := `UPDATE sqlite_sequence SET seq = 40000 WHERE name = 'search_docs'`
		if strings.HasPrefix(dbURL, "postgres") {
			jump = `SELECT setval(pg_get_serial_sequence('search_docs', 'id'), 40000)`
		}
		if err := db.Exec(context.Background(), jump); err != nil {
			t.Fatal(err)
		}
		save(t, db, others...)
		r = search(t, db, "")
		check(t, "past a jump of ids", r, result{keys: []string{"s1", "s5", "p1"}, total: 3, capped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 2, alliance.KindPage: 1}})
		all = append(all, r)
		save(t, db, s("s6", "2026-07-01"))
		r = search(t, db, "")
		check(t, "one match past the jump", r, result{keys: []string{"s6", "s1", "s5"}, total: 3, capped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 3}})
		all = append(all, r)
		save(t, db, s("s7", "2026-06-01"), s("s8", "2026-08-01"), s("s9", "2026-09-01"))
		r = search(t, db, "")
		check(t, "more than the cap past the jump", r, result{keys: []string{"s9", "s8", "s7"}, total: 3, capped: true,
			counts: map[alliance.Kind]int{alliance.KindStory: 3}})
		all = append(all, r)
		got[t.Name()] = all
	})
	var first string
	for name, all := range got {
		if first == "" {
			first = name
			continue
		}
		for i := range all {
			check(t, name+" against "+first, all[i], got[first][i])
		}
	}
}

// On PostgreSQL the search index's GIN takes new entries in its pending list (migration 0019),
// and every commit that wrote search documents merges it first: a search never reads a
// pending list. A statement dividing by zero stands for a failed check (db.Exec reads no rows).
func TestSearchLeavesNoGINPendingList(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), store.Postgres) {
		t.Skip("PostgreSQL only: set " + storetest.EnvURL)
	}
	ctx := context.Background()
	db := storetest.New(t, store.Postgres)
	if err := db.Exec(ctx, `SELECT 1 / (SELECT count(*) FROM pg_class
		WHERE relname = 'search_docs_terms' AND 'fastupdate=on' = ANY (reloptions))::int`); err != nil {
		t.Fatalf("fastupdate is not on: %v", err)
	}
	searchSite(t, db)
	save(t, db, searchStory("more", "2026-04-02", "en|Volcanology summer school|Lava and ash."))
	// gin_clean_pending_list returns the pages it merged: none, if the commits did.
	if err := db.Exec(ctx, `SELECT 1 / (1 - sign(gin_clean_pending_list('search_docs_terms'::regclass)))::int`); err != nil {
		t.Fatalf("a pending list was left after the commits: %v", err)
	}
	if got := searchKeys(t, db, "en", "volcanology", ""); !slices.Equal(got, []string{"more"}) {
		t.Errorf("Search(volcanology) = %q", got)
	}
}
