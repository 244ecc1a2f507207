package content_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportImportExportIsByteIdentical(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db1 := storetest.New(t, dialect)
		if _, err := content.Import(ctx, db1, demo.Content()); err != nil {
			t.Fatalf("import demo: %v", err)
		}
		first := t.TempDir()
		st1, err := content.Export(ctx, db1, first)
		if err != nil {
			t.Fatal(err)
		}
		db2 := storetest.New(t, dialect)
		if _, err := content.Import(ctx, db2, os.DirFS(first)); err != nil {
			t.Fatalf("import export: %v", err)
		}
		second := t.TempDir()
		st2, err := content.Export(ctx, db2, second)
		if err != nil {
			t.Fatal(err)
		}
		if st1 != st2 {
			t.Errorf("export stats differ: %v then %v", st1, st2)
		}
		a, b := readTree(t, first), readTree(t, second)
		if len(a) != len(b) {
			t.Errorf("first export has %d files, second %d", len(a), len(b))
		}
		for p, data := range a {
			if !bytes.Equal(data, b[p]) {
				t.Errorf("%s differs after export → import → export:\n--- first\n%s\n--- second\n%s", p, data, b[p])
			}
		}
		if st1.Items < 100 || st1.Media < 40 {
			t.Errorf("export of the demo looks too small: %v", st1)
		}
	})
}

// A site edited through the store's Save (as the back office and the API write), restored to an
// older revision and scheduled, exports into a folder that imports into an identical site.
func TestEditedSiteExportsIntoAnIdenticalSite(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db1 := storetest.New(t, dialect)
		if _, err := content.Import(ctx, db1, demo.Content()); err != nil {
			t.Fatalf("import demo: %v", err)
		}
		const key = "meridia-days-2026-recap"
		editor := alliance.Change{UserID: 3, UserName: "Eleni"}
		edit := func(change func(it *alliance.Item)) {
			t.Helper()
			it, err := db1.Edit(ctx, alliance.KindStory, key)
			if err != nil {
				t.Fatal(err)
			}
			change(it)
			c := editor
			c.Base = it.Revision
			if err := db1.Update(ctx, func(tx *store.Tx) error { _, err := tx.Save(ctx, it, c); return err }); err != nil {
				t.Fatal(err)
			}
		}
		edit(func(it *alliance.Item) {
			it.Text("en").Title = "Edited in the browser"
			it.Text("en").Body += "\n\nOne more paragraph.\n"
		})
		edit(func(it *alliance.Item) {
			it.Texts = slices.DeleteFunc(it.Texts, func(t alliance.Text) bool { return t.Lang == "ro" })
			it.PublishAt = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
		})
		if err := db1.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Restore(ctx, alliance.KindStory, key, 2, alliance.Change{UserID: 3, UserName: "Eleni", Base: 3})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if revs, _ := db1.Revisions(ctx, alliance.KindStory, key); len(revs) != 4 || revs[0].UserName != "Eleni" {
			t.Fatalf("revisions = %+v", revs)
		}
		first := t.TempDir()
		if _, err := content.Export(ctx, db1, first); err != nil {
			t.Fatal(err)
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
		if len(a) != len(b) {
			t.Errorf("first export has %d files, second %d", len(a), len(b))
		}
		for p, data := range a {
			if !bytes.Equal(data, b[p]) {
				t.Errorf("%s differs after export → import → export", p)
			}
		}
		it1, _ := db1.Edit(ctx, alliance.KindStory, key)
		it2, err := db2.Edit(ctx, alliance.KindStory, key)
		if err != nil {
			t.Fatal(err)
		}
		if d := alliance.Diff(it1.Snapshot(), it2.Snapshot()); len(d) != 0 || it2.Text("en").Title != "Edited in the browser" || it2.Text("ro") == nil {
			t.Errorf("the imported story differs: %+v", d)
		}
	})
}

func TestImportTwiceUpdatesWithoutDuplicating(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.New(t, dialect)
		for i := 0; i < 2; i++ {
			if _, err := content.Import(ctx, db, demo.Content()); err != nil {
				t.Fatalf("import %d: %v", i+1, err)
			}
		}
		n, err := db.Count(ctx, store.Query{Kind: alliance.KindStory})
		if err != nil {
			t.Fatal(err)
		}
		if n != 30 {
			t.Errorf("after importing twice there are %d stories, want 30", n)
		}
		// A changed title is updated in place.
		fsys := fstest.MapFS{}
		fs.WalkDir(demo.Content(), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := fs.ReadFile(demo.Content(), p)
				fsys[p] = &fstest.MapFile{Data: data}
			}
			return err
		})
		// A fixed file, and a quoted title, so that the edit stays valid YAML whatever the map order.
		const storyPath = "stories/digital-teaching-webinar-2027.en.md"
		if !bytes.Contains(fsys[storyPath].Data, []byte("\ntitle: \"")) {
			t.Fatalf("%s no longer has a quoted title; pick another file", storyPath)
		}
		fsys[storyPath].Data = bytes.Replace(fsys[storyPath].Data, []byte("\ntitle: \""), []byte("\ntitle: \"Changed — "), 1)
		if _, err := content.Import(ctx, db, fsys); err != nil {
			t.Fatal(err)
		}
		key := strings.TrimSuffix(strings.TrimPrefix(storyPath, "stories/"), ".en.md")
		it, err := db.Item(ctx, alliance.KindStory, key)
		if err != nil {
			t.Fatal(err)
		}
		if title := it.Text("en").Title; !strings.HasPrefix(title, "Changed — ") {
			t.Errorf("title after re-import = %q", title)
		}
		// Importing the same folder again added no revision; the changed file added one, to its
		// item only.
		if revs, err := db.Revisions(ctx, alliance.KindStory, key); err != nil || len(revs) != 2 || revs[0].UserName != "import" {
			t.Errorf("revisions of the changed story = %+v, %v", revs, err)
		}
		if revs, err := db.Revisions(ctx, alliance.KindStory, "meridia-days-2026-recap"); err != nil || len(revs) != 1 {
			t.Errorf("revisions of an unchanged story = %+v, %v", revs, err)
		}
		if n2, _ := db.Count(ctx, store.Query{Kind: alliance.KindStory}); n2 != n {
			t.Errorf("stories after third import = %d, want %d", n2, n)
		}
	})
}

// What only the store can tell — a slug taken by an item the folder does not hold — is refused
// by the write path and reported at the file's line like the folder's own problems, and the
// import writes nothing.
func TestStoreRefusalsAreReportedAtTheirLines(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.New(t, dialect)
		if _, err := content.Import(ctx, db, fixture()); err != nil {
			t.Fatal(err)
		}
		v := db.Version()
		more := fstest.MapFS{
			"categories/news.en.md": {Data: []byte("---\ntitle: News\n---\n")},
			"stories/second.en.md":  {Data: []byte("---\ndate: 2026-02-01\ncategory: research\ntitle: First story\n---\n")},
		}
		_, err := content.Import(ctx, db, more)
		var ps content.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "stories/second.en.md" || ps[0].Line != 4 || ps[0].Field != "slug" ||
			!strings.Contains(ps[0].Message, "first") {
			t.Fatalf("import over a taken slug = %v", err)
		}
		if _, err := db.Item(ctx, alliance.KindCategory, "news"); !errors.Is(err, alliance.ErrNotFound) || db.Version() != v {
			t.Errorf("the refused import wrote something: %v", err)
		}
	})
}

// fixture is a small valid folder; each bad case changes one file.
func fixture() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml":                 {Data: []byte("name: Test Alliance\nlanguages: [en, fr]\n")},
		"categories/research.en.md": {Data: []byte("---\ntitle: Research\n---\n")},
		"categories/research.fr.md": {Data: []byte("---\ntitle: Recherche\n---\n")},
		"members/genil.en.md":       {Data: []byte("---\nshort_name: UGenil\ncountry: ES\ntitle: University of the Genil\ncity: Granada\n---\n")},
		"people/ana.en.md":          {Data: []byte("---\nname: Ana Pérez\nmember: genil\nrole: Rector\n---\n")},
		"stories/first.en.md": {Data: []byte("---\ndate: 2026-01-10\ncategory: research\nimage: images/a.svg\nauthors: [ana]\n" +
			"title: First story\nalt: A drawing\n---\n\nBody.\n")},
		"stories/first.fr.md": {Data: []byte("---\ntitle: Première histoire\nalt: Un dessin\n---\n\nCorps.\n")},
		"events/days.en.md": {Data: []byte("---\ntimezone: Europe/Bucharest\nstart: 2026-06-10T09:00\nend: 2026-06-12T17:00\nattendance: mixed\n" +
			"title: Days\n---\n")},
		"sessions/opening.en.md": {Data: []byte("---\nevent: days\ntype: keynote\nstart: 2026-06-10T09:00\nend: 2026-06-10T10:00\n" +
			"speakers:\n  - person: ana\n    online: true\ntitle: Opening\n---\n")},
		"pages/discover.en.md": {Data: []byte("---\norder: 1\ntitle: Discover\n---\n")},
		"media/images/a.svg":   {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	}
}

func TestImportRejectsBadFiles(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		cases := []struct {
			name, file, content string
			want                string // expected in the problems: path:line: field: message
		}{
			{"unknown category", "stories/first.en.md", "---\ndate: 2026-01-10\ncategory: sport\ntitle: First\n---\n", "stories/first.en.md:3: category: unknown category \"sport\""},
			{"unknown person", "stories/first.en.md", "---\ndate: 2026-01-10\ncategory: research\nauthors: [ana, bob]\ntitle: First\n---\n", "stories/first.en.md:4: authors: unknown person \"bob\""},
			{"unknown member", "people/ana.en.md", "---\nname: Ana\nmember: nowhere\n---\n", "people/ana.en.md:3: member: unknown member \"nowhere\""},
			{"bad date", "stories/first.en.md", "---\ndate: 10/01/2026\ncategory: research\ntitle: First\n---\n", "stories/first.en.md:2: date: must be a date written YYYY-MM-DD"},
			{"missing title", "stories/first.fr.md", "---\nalt: Un dessin\n---\n", "stories/first.fr.md:1: title: is required"},
			{"unknown field", "stories/first.fr.md", "---\ntitle: Première\nsubtitle: x\n---\n", "stories/first.fr.md:3: subtitle: unknown field"},
			{"invalid yaml", "stories/first.fr.md", "---\ntitle: Première\ntags: [a, b\n---\n", "stories/first.fr.md:"},
			{"wrong type", "members/genil.en.md", "---\nshort_name: UGenil\ncountry: ES\norder: first\ntitle: Genil\ncity: Granada\n---\n", "members/genil.en.md:4: order: cannot unmarshal"},
			{"no front matter", "stories/first.fr.md", "Just text\n", "stories/first.fr.md:1: must start with a line holding only ---"},
			{"unclosed front matter", "stories/first.fr.md", "---\ntitle: Première\n", "stories/first.fr.md:1: front matter is not closed"},
			{"bad file name", "stories/First Story.en.md", "---\ntitle: x\n---\n", "stories/First Story.en.md: file name must be {key}.{language}.md"},
			{"language not in site", "stories/first.de.md", "---\ntitle: Erste\n---\n", "stories/first.de.md: language \"de\" is not one of the site's languages"},
			{"shared field differs", "stories/first.fr.md", "---\ndate: 2026-01-11\ntitle: Première\nalt: Un dessin\n---\n", "stories/first.fr.md:2: date: differs from the value in stories/first.en.md"},
			{"duplicate slug", "categories/other.en.md", "---\ntitle: Other\nslug: research\n---\n", "categories/research.en.md:2: slug: \"research\" is already the slug of categories/other.en.md"},
			{"unknown media", "people/ana.en.md", "---\nname: Ana\nphoto: people/ana.jpg\n---\n", "people/ana.en.md:3: photo: unknown media file \"people/ana.jpg\""},
			{"bad session type", "sessions/opening.en.md", "---\nevent: days\ntype: lecture\nstart: 2026-06-10T09:00\nend: 2026-06-10T10:00\ntitle: Opening\n---\n", "sessions/opening.en.md:3: type: must be one of keynote"},
			{"session ends before start", "sessions/opening.en.md", "---\nevent: days\ntype: panel\nstart: 2026-06-10T09:00\nend: 2026-06-10T08:00\ntitle: Opening\n---\n", "sessions/opening.en.md:5: end: is before start"},
			{"unknown time zone", "events/days.en.md", "---\ntimezone: Europe/Atlantis\nstart: 2026-06-10T09:00\nend: 2026-06-12T17:00\nattendance: mixed\ntitle: Days\n---\n", "events/days.en.md:2: timezone: unknown time zone \"Europe/Atlantis\""},
			{"bip without physical", "learning/bip.en.md", "---\nkind: bip\nlanguages: [en]\nlevel: master\nvirtual:\n  - {start: 2026-03-01, end: 2026-03-02}\ntitle: BIP\n---\n", "learning/bip.en.md:1: physical: is required for a BIP"},
			{"page slug takes a section", "pages/news.en.md", "---\ntitle: News\n---\n", "pages/news.en.md:1: slug: \"news\" is the address of the news section"},
			{"missing required", "calls/c.en.md", "---\ntimezone: Europe/Paris\nopens: 2026-01-01T00:00\ntitle: Call\n---\n", "calls/c.en.md:1: deadline: is required"},
			{"unknown folder", "blog/x.en.md", "---\ntitle: x\n---\n", "blog: unknown folder"},
			// Bytes PostgreSQL refuses are refused on every database, at their line.
			{"invalid UTF-8 in body", "stories/first.fr.md", "---\ntitle: Première\nalt: Un dessin\n---\n\nGood.\nBad \xff byte.\n", "stories/first.fr.md:7: byte 0xFF is not valid UTF-8"},
			{"NUL in body", "stories/first.fr.md", "---\ntitle: Première\nalt: Un dessin\n---\n\nA \x00 here.\n", "stories/first.fr.md:6: a NUL byte (U+0000) is not allowed"},
			{"NUL in front matter", "stories/first.fr.md", "---\ntitle: Pre\x00miere\nalt: Un dessin\n---\n", "stories/first.fr.md:2: a NUL byte"},
			{"Latin-1 in front matter", "people/ana.en.md", "---\nname: Ana P\xe9rez\n---\n", "people/ana.en.md:2: byte 0xE9 is not valid UTF-8"},
			{"invalid UTF-8 in site.yaml", "site.yaml", "name: Test\nlanguages: [en, fr]\ntagline: {en: \"\xc3\"}\n", "site.yaml:3: byte 0xC3 is not valid UTF-8"},
			// Texts too deep or too large for Markdown to render in time proportional to their size.
			{"deep list", "stories/first.fr.md", "---\ntitle: Première\nalt: Un dessin\n---\n\nIntro.\n\n" + strings.Repeat("- ", 50000) + "x\n", "stories/first.fr.md:8: body: lists and quotes are nested 50000 deep; at most 32"},
			{"deep quote", "stories/first.fr.md", "---\ntitle: Première\nalt: Un dessin\n---\n" + strings.Repeat("> ", 33) + "x\n", "stories/first.fr.md:5: body: lists and quotes are nested 33 deep"},
			{"deep by indentation", "stories/first.fr.md", "---\ntitle: Première\nalt: Un dessin\n---\n\n" + indentedList(40), "stories/first.fr.md:38: body: lists and quotes are nested 33 deep"},
			{"story image without alt", "stories/first.fr.md", "---\ntitle: Première\n---\n", "alt: is required when the story has an image: describe it"},
			{"event image without alt", "events/days.en.md", "---\ntimezone: Europe/Bucharest\nstart: 2026-06-10T09:00\nend: 2026-06-12T17:00\nattendance: mixed\nimage: images/a.svg\ntitle: Days\n---\n",
				"events/days.en.md:1: alt: is required when the event has an image: describe it"},
			{"event image missing", "events/days.en.md", "---\ntimezone: Europe/Bucharest\nstart: 2026-06-10T09:00\nend: 2026-06-12T17:00\nattendance: mixed\nimage: images/none.jpg\ntitle: Days\nalt: A hall\n---\n",
				"events/days.en.md:6: image:"},
			{"body too large", "stories/first.fr.md", "---\ntitle: Première\nalt: Un dessin\n---\n\n" + strings.Repeat("Ten bytes\n", 1<<20/10+1), "stories/first.fr.md:6: body: the text is 1048580 bytes; at most 1048576 (1 MiB)"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				db := storetest.New(t, dialect)
				fsys := fixture()
				fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.content)}
				_, err := content.Import(ctx, db, fsys)
				if err == nil {
					t.Fatal("import succeeded, want an error")
				}
				ps, ok := err.(content.Problems)
				if !ok {
					t.Fatalf("error is %T (%v), want content.Problems", err, err)
				}
				if !strings.Contains(ps.Error(), tc.want) {
					t.Errorf("problems do not mention %q:\n%s", tc.want, ps.Error())
				}
				// Nothing at all is imported when a file is invalid.
				if empty, err := db.Empty(ctx); err != nil || !empty {
					t.Errorf("store is not empty after a rejected import (err %v)", err)
				}
			})
		}
	})
}

func TestFixtureImports(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.New(t, dialect)
		st, err := content.Import(ctx, db, fixture())
		if err != nil {
			t.Fatal(err)
		}
		if st.Items != 7 || st.Media != 1 {
			t.Errorf("imported %v", st)
		}
		it, err := db.Item(ctx, alliance.KindStory, "first")
		if err != nil {
			t.Fatal(err)
		}
		if it.SourceLang != "en" || len(it.Texts) != 2 || it.Text("fr").Slug != "premiere-histoire" {
			t.Errorf("story = source %s, %d texts, fr slug %q", it.SourceLang, len(it.Texts), it.Text("fr").Slug)
		}
		// A folder holding only a new translation keeps the stored shared fields.
		only := fstest.MapFS{"stories/first.fr.md": {Data: []byte("---\ntitle: Premier récit\nalt: Un dessin\n---\n")}}
		if _, err := content.Import(ctx, db, only); err != nil {
			t.Fatalf("import of a lone translation: %v", err)
		}
		it, _ = db.Item(ctx, alliance.KindStory, "first")
		if it.Text("fr").Title != "Premier récit" || it.Text("en") == nil || it.SourceLang != "en" || !strings.Contains(string(it.Shared), "2026-01-10") {
			t.Errorf("after adding a translation: %+v", it)
		}
	})
}

// TestSlugify: a title in each of the EU's 24 official languages, and the rules each one needs.
func TestSlugify(t *testing.T) {
	cases := []struct{ lang, title, want string }{
		{"bg", "Университет в София", "universitet-v-sofia"},
		{"bg", "Съвместна магистърска програма по история", "savmestna-magistarska-programa-po-istoria"},
		{"bg", "Щастие и юношество в България", "shtastie-i-yunoshestvo-v-balgaria"},
		{"cs", "Příležitosti pro studenty", "prilezitosti-pro-studenty"},
		{"da", "Året på Københavns Universitet", "aaret-paa-koebenhavns-universitet"},
		{"de", "Grüße aus Köln – Über uns", "gruesse-aus-koeln-ueber-uns"},
		{"de", "Die Straße nach Köln", "die-strasse-nach-koeln"},
		{"el", "Ευρωπαϊκό Πανεπιστήμιο", "evropaiko-panepistimio"},
		{"el", "Μπαλέτο, αυτοκίνητο και Άγγελος", "baleto-aftokinito-kai-angelos"},
		{"el", "Ουρανός στη Λαμπρή Εύβοια", "ouranos-sti-lampri-evvoia"},
		{"el", "Ημέρες Meridia 2026", "imeres-meridia-2026"},
		{"en", "Students' Guide to Erasmus+ (2026)", "students-guide-to-erasmus-2026"},
		{"es", "Año académico en España", "ano-academico-en-espana"},
		{"et", "Tööõpe ja õppimine Tartu Ülikoolis", "tooope-ja-oppimine-tartu-ulikoolis"},
		{"fi", "Yhteinen kesäkoulu Jyväskylässä", "yhteinen-kesakoulu-jyvaskylassa"},
		{"fr", "L’œuvre d’une Université européenne", "l-oeuvre-d-une-universite-europeenne"},
		{"fr", "Première histoire", "premiere-histoire"},
		{"ga", "Ollscoil na hÉireann, Gaillimh", "ollscoil-na-heireann-gaillimh"},
		{"hr", "Đakovo i Sveučilište u Zagrebu", "djakovo-i-sveuciliste-u-zagrebu"},
		{"hu", "Győri Széchenyi István Egyetem", "gyori-szechenyi-istvan-egyetem"},
		{"it", "Università di Perugia: più opportunità", "universita-di-perugia-piu-opportunita"},
		{"lt", "Vilniaus universiteto ąžuolas", "vilniaus-universiteto-azuolas"},
		{"lv", "Latvijas Universitātes ēka", "latvijas-universitates-eka"},
		{"mt", "Għaqda tal-Universitajiet Ħielsa u ż-żgħażagħ", "ghaqda-tal-universitajiet-hielsa-u-z-zghazagh"},
		{"nl", "Rijksuniversiteit Groningen – één campus", "rijksuniversiteit-groningen-een-campus"},
		{"pl", "Łódź – Uniwersytet Łódzki", "lodz-uniwersytet-lodzki"},
		{"pt", "Ação e inovação na Universidade de Évora", "acao-e-inovacao-na-universidade-de-evora"},
		{"ro", "Științe și tehnologie în București", "stiinte-si-tehnologie-in-bucuresti"},
		{"sk", "Žilinská univerzita v Žiline", "zilinska-univerzita-v-ziline"},
		{"sl", "Univerza v Ljubljani: čas za študij", "univerza-v-ljubljani-cas-za-studij"},
		{"sv", "Göteborgs universitet – årets höjdpunkter", "goteborgs-universitet-arets-hojdpunkter"},
		// Rules of one language do not apply to another: Swedish and Finnish write ä as a.
		{"sv", "Grüße", "grusse"},
		{"en", "  Spaces -- and punctuation!  ", "spaces-and-punctuation"},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.lang] = true
		if got := content.Slugify(c.lang, c.title); got != c.want {
			t.Errorf("Slugify(%s, %q) = %q, want %q", c.lang, c.title, got, c.want)
		}
		if !alliance.ValidKey(c.want) {
			t.Errorf("%q is not a valid slug", c.want)
		}
	}
	for _, l := range strings.Fields("bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv") {
		if !seen[l] {
			t.Errorf("no title in %s", l)
		}
	}
}

// indentedList is a list nested n deep by indentation, one item a line.
func indentedList(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	return b.String()
}

// writeTree writes a folder of files (by slash path) under dir.
func writeTree(t *testing.T, dir string, files fstest.MapFS) {
	t.Helper()
	for p, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestImportDirRefusesSymlinks(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		outside := t.TempDir()
		secret := filepath.Join(outside, "passwd")
		if err := os.WriteFile(secret, []byte("root:x:0:0::/root:/bin/sh\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(outside, "docs"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(outside, "docs", "secret.pdf"), []byte("%PDF-1.4 secret"), 0o644); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		writeTree(t, dir, fixture())
		links := map[string]string{
			"media/passwd.txt":        secret,                         // a file outside
			"media/outside":           filepath.Join(outside, "docs"), // a folder outside
			"media/images/inside.svg": filepath.Join(dir, "media", "images", "a.svg"),
			"people/bob.en.md":        filepath.Join(outside, "bob.en.md"), // dangling
		}
		if err := os.WriteFile(filepath.Join(outside, "bob.en.md"), []byte("---\nname: Bob\n---\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for link, target := range links {
			if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
		}
		db := storetest.New(t, dialect)
		_, _, err := content.ImportDir(ctx, db, dir, content.Options{})
		ps, ok := err.(content.Problems)
		if !ok {
			t.Fatalf("import with links: error %T %v, want content.Problems", err, err)
		}
		for link := range links {
			if !strings.Contains(ps.Error(), link+": symbolic link refused") {
				t.Errorf("problems do not refuse %s:\n%s", link, ps.Error())
			}
		}
		if empty, err := db.Empty(ctx); err != nil || !empty {
			t.Errorf("store is not empty after a refused import (err %v)", err)
		}
		for _, p := range []string{"passwd.txt", "outside/secret.pdf"} {
			if _, err := db.Media(ctx, p); err == nil {
				t.Errorf("media %s, behind a link out of the folder, was imported", p)
			}
		}
		// Without the links the same folder imports.
		for link := range links {
			os.Remove(filepath.Join(dir, filepath.FromSlash(link)))
		}
		if _, _, err := content.ImportDir(ctx, db, dir, content.Options{}); err != nil {
			t.Fatalf("import without links: %v", err)
		}
	})
}

func TestImportPrune(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.New(t, dialect)
		full := fixture()
		full["media/images/b.svg"] = &fstest.MapFile{Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>`)}
		full["categories/teaching.en.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Teaching\n---\n")}
		if _, err := content.Import(ctx, db, full); err != nil {
			t.Fatal(err)
		}

		// The folder loses a translation, an event with its session, a category and a media file.
		less := fixture()
		for _, p := range []string{"stories/first.fr.md", "events/days.en.md", "sessions/opening.en.md"} {
			delete(less, p)
		}

		// Without --prune nothing is removed.
		if _, removed, err := content.ImportWith(ctx, db, less, content.Options{}); err != nil || len(removed) != 0 {
			t.Fatalf("import without prune: removed %v, err %v", removed, err)
		}
		if _, err := db.Item(ctx, alliance.KindEvent, "days"); err != nil {
			t.Fatalf("an import without --prune removed an event: %v", err)
		}

		// Removing what a kept item refers to is refused, and changes nothing.
		noAna := fixture()
		delete(noAna, "people/ana.en.md")
		_, _, err := content.ImportWith(ctx, db, noAna, content.Options{Prune: true})
		ps, ok := err.(content.Problems)
		if !ok {
			t.Fatalf("prune of a referenced person: error %T %v, want content.Problems", err, err)
		}
		if want := `stories/first.en.md:5: authors: person "ana" has no file people/ana.*.md in the folder, so --prune would remove it`; !strings.Contains(ps.Error(), want) {
			t.Errorf("problems do not say %q:\n%s", want, ps.Error())
		}
		noImage := fixture()
		delete(noImage, "media/images/a.svg")
		if _, _, err := content.ImportWith(ctx, db, noImage, content.Options{Prune: true}); err == nil || !strings.Contains(err.Error(), `image: media file "images/a.svg" is not in the folder`) {
			t.Errorf("prune of a referenced image: %v", err)
		}
		if _, err := db.Item(ctx, alliance.KindPerson, "ana"); err != nil {
			t.Fatalf("a refused prune removed a person: %v", err)
		}

		_, removed, err := content.ImportWith(ctx, db, less, content.Options{Prune: true})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"category teaching", "event days", "session opening", "story first (fr)", "media images/b.svg"}
		if strings.Join(removed, "\n") != strings.Join(want, "\n") {
			t.Errorf("removed:\n%s\nwant:\n%s", strings.Join(removed, "\n"), strings.Join(want, "\n"))
		}
		for _, k := range []struct {
			kind alliance.Kind
			key  string
		}{{alliance.KindEvent, "days"}, {alliance.KindSession, "opening"}, {alliance.KindCategory, "teaching"}} {
			if _, err := db.Item(ctx, k.kind, k.key); err == nil {
				t.Errorf("%s %s is still stored after the prune", k.kind, k.key)
			}
		}
		it, err := db.Item(ctx, alliance.KindStory, "first")
		if err != nil {
			t.Fatal(err)
		}
		if it.Text("fr") != nil || it.Text("en") == nil {
			t.Errorf("story texts after prune: %+v", it.Texts)
		}
		if _, _, err := db.Detail(ctx, alliance.KindStory, "fr", "premiere-histoire"); err == nil {
			t.Error("the removed French text is still found by its slug")
		}
		if _, err := db.Media(ctx, "images/b.svg"); err == nil {
			t.Error("media images/b.svg is still stored after the prune")
		}
		// The site now matches the folder: exporting it gives the folder back.
		out := t.TempDir()
		if _, err := content.Export(ctx, db, out); err != nil {
			t.Fatal(err)
		}
		got := readTree(t, out)
		delete(got, "site.yaml")
		for p := range less {
			if p != "site.yaml" && got[p] == nil {
				t.Errorf("%s is missing from the export", p)
			}
			delete(got, p)
		}
		for p := range got {
			t.Errorf("export holds %s, which the pruned folder does not", p)
		}
		// Pruning again removes nothing.
		if _, removed, err := content.ImportWith(ctx, db, less, content.Options{Prune: true}); err != nil || len(removed) != 0 {
			t.Errorf("second prune: removed %v, err %v", removed, err)
		}
	})
}
