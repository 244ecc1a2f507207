package generate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/content"
	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/generate"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// readTree returns every file under dir by its slash-separated path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGeneratedSiteImportsWhole(t *testing.T) {
	const n = 400
	dir := filepath.Join(t.TempDir(), "site")
	st, err := generate.Site(dir, demo.Content(), generate.Options{Items: n, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	generated := 0
	for _, c := range st.Items {
		generated += c
	}
	if generated != n {
		t.Fatalf("generated %d items (%v), want %d", generated, st, n)
	}
	for _, k := range []alliance.Kind{alliance.KindStory, alliance.KindEvent, alliance.KindSession, alliance.KindResource, alliance.KindLearning} {
		if st.Items[k] == 0 {
			t.Errorf("no %s among %d generated items: %v", k, n, st)
		}
	}

	// The same seed gives the same folder; another seed another one.
	again := filepath.Join(t.TempDir(), "again")
	if _, err := generate.Site(again, demo.Content(), generate.Options{Items: n, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	first, second := readTree(t, dir), readTree(t, again)
	if len(first) != len(second) {
		t.Fatalf("same seed: %d files, then %d", len(first), len(second))
	}
	for name, data := range first {
		if second[name] != data {
			t.Fatalf("same seed, %s differs", name)
		}
	}
	if _, err := generate.Site(again, demo.Content(), generate.Options{Items: n, Seed: 7}); err == nil {
		t.Error("generating into a folder that is not empty succeeded")
	}

	// Items are partly translated: some have every language, most do not.
	langsOf := map[string]int{}
	for name := range first {
		if strings.HasPrefix(name, "stories/gen-") {
			langsOf[strings.SplitN(filepath.Base(name), ".", 2)[0]]++
		}
	}
	partial := 0
	for _, c := range langsOf {
		if c < 8 {
			partial++
		}
	}
	if partial == 0 || partial == len(langsOf) {
		t.Errorf("%d of %d generated stories are partly translated; want some, not all", partial, len(langsOf))
	}

	// The folder is valid content: the whole of it imports, on both databases.
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		imported, _, err := content.ImportDir(ctx, db, dir, content.Options{})
		if err != nil {
			t.Fatal(err)
		}
		demoOnly := filepath.Join(t.TempDir(), "demo")
		base, err := generate.Site(demoOnly, demo.Content(), generate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if base.Files == 0 {
			t.Fatal("the demo alone wrote no files")
		}
		for _, k := range []alliance.Kind{alliance.KindStory, alliance.KindSession} {
			items, err := db.All(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			var gen int
			for _, it := range items {
				if strings.HasPrefix(it.Key, "gen-") {
					gen++
				}
			}
			if gen != st.Items[k] {
				t.Errorf("%d generated %s in the store, want %d (import said %s)", gen, k, st.Items[k], imported)
			}
		}
	})
}

// BenchmarkSite measures writing 1,000 generated items (with the demo's files).
func BenchmarkSite(b *testing.B) {
	for i := range b.N {
		dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
		if _, err := generate.Site(dir, demo.Content(), generate.Options{Items: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
