package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

func needPostgres(t *testing.T) {
	t.Helper()
	if !slices.Contains(storetest.Dialects(), store.Postgres) {
		t.Skip("needs PostgreSQL: set " + storetest.EnvURL)
	}
}

// retitle changes the English title of a story through m, the way an editor's save would.
func retitle(t *testing.T, m *Main, key, title string) error {
	t.Helper()
	ctx := context.Background()
	it, err := m.DB.Item(ctx, alliance.KindStory, key)
	if err != nil {
		return err
	}
	it.Text("en").Title = title
	return m.DB.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Save(ctx, it, alliance.Change{UserName: "test", Base: it.Revision})
		return err
	})
}

// eventually retries check every few milliseconds until it holds or the time is up.
func eventually(t *testing.T, within time.Duration, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Two instances behind a load balancer, on one database: what one writes, the other serves, even
// the pages it had cached.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	needPostgres(t)
	dbURL := storetest.NewURL(t, store.Postgres)
	a := startSiteOn(t, dbURL, true)
	b := startSiteOn(t, dbURL, true)
	eventually(t, 5*time.Second, "instance b never listened for changes", b.DB.Listening)

	newest, err := a.DB.List(context.Background(), store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 1})
	if err != nil || len(newest) == 0 {
		t.Fatal(err)
	}
	story := newest[0] // on the first page of the news listing too
	path := itemPath(story, "en", "news")
	if r := get(t, b, path); r.status != http.StatusOK {
		t.Fatalf("GET %s on b = %d", path, r.status)
	}
	get(t, b, "/en/news/") // both now in b's page cache

	// Content imported through a: a changed title and a new story.
	if err := retitle(t, a, story.Key, "Changed through instance a"); err != nil {
		t.Fatal(err)
	}
	// b hears of the commit by notification within milliseconds (that the notification alone
	// does it is proved in the store's TestChangeNotifiedToOtherInstances, with polling off).
	eventually(t, 200*time.Millisecond, "instance b did not see a's commit", func() bool { return b.DB.Version() == a.DB.Version() })
	for _, p := range []string{path, "/en/news/"} {
		if r := get(t, b, p); !strings.Contains(r.body, "Changed through instance a") {
			t.Errorf("b still serves the old %s", p)
		}
	}
}

// The database goes away under a running instance and comes back: meanwhile visitors get a 503
// page in their language; afterwards the instance serves again by itself, with every write
// committed before the outage.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	needPostgres(t)
	proxy, viaProxy := storetest.NewProxy(t, storetest.NewURL(t, store.Postgres))
	m := startSiteOn(t, viaProxy, false) // no page cache: every page needs the database
	story := firstItem(t, m, alliance.KindStory)
	path := itemPath(story, "de", "news")
	if err := retitle(t, m, story.Key, "Committed before the outage"); err != nil {
		t.Fatal(err)
	}
	enPath := itemPath(story, "en", "news")
	site, err := m.DB.Site(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	proxy.Stop()
	r := get(t, m, path)
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("GET %s with the database away = %d, want 503", path, r.status)
	}
	de := locale.MustGet("de")
	if !strings.Contains(r.body, htmlEscape(de.T("error.503_title"))) || !strings.Contains(r.body, `<html lang="de">`) {
		t.Errorf("the 503 page is not in German:\n%s", r.body)
	}
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	if title := "<title>" + htmlEscape(de.T("error.503_title")+" – "+site.Name) + "</title>"; !strings.Contains(r.body, title) {
		t.Errorf("the 503 page has no title %s", title)
	}
	if r := get(t, m, "/healthz"); r.status != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database away = %d, want 503", r.status)
	}
	if err := retitle(t, m, story.Key, "Written during the outage"); err == nil {
		t.Error("a write with the database away reported success")
	}

	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the instance did not recover", func() bool { return get(t, m, enPath).status == http.StatusOK })
	if r := get(t, m, enPath); !strings.Contains(r.body, "Committed before the outage") {
		t.Error("the write committed before the outage is lost")
	}
	eventually(t, 10*time.Second, "the change listener did not reconnect", m.DB.Listening)

	// The server ends every backend of this instance (as a restart does): the pool reconnects.
	admin, err := pgx.Connect(context.Background(), os.Getenv(storetest.EnvURL))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	cfg, _ := pgx.ParseConfig(viaProxy)
	var n int
	if err := admin.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`,
		cfg.RuntimeParams["application_name"]).Scan(&n); err != nil || n == 0 {
		t.Fatalf("terminated %d backends (err %v)", n, err)
	}
	eventually(t, 10*time.Second, "the instance did not recover from terminated backends", func() bool { return get(t, m, enPath).status == http.StatusOK })
	if err := retitle(t, m, story.Key, "Written after the restart"); err != nil {
		t.Errorf("write after the restart: %v", err)
	}
	if r := get(t, m, enPath); !strings.Contains(r.body, "Written after the restart") {
		t.Error("the write after the restart does not show")
	}
}

// alliance copy moves the demo site to PostgreSQL and back: an export of each copy is byte for
// byte the export of the original. Without PostgreSQL, it copies between two SQLite files.
func TestCopyThereAndBack(t *testing.T) {
	ctx := context.Background()
	original := startSiteOn(t, storetest.NewURL(t, store.SQLite), false)
	other := storetest.NewURL(t, store.SQLite)
	if slices.Contains(storetest.Dialects(), store.Postgres) {
		other = storetest.NewURL(t, store.Postgres)
	}
	back := storetest.NewURL(t, store.SQLite)
	var out strings.Builder
	for _, hop := range [][2]string{{original.Config.DatabaseURL, other}, {other, back}} {
		if err := run(ctx, []string{"copy", "--from", hop[0], "--to", hop[1]}, &out, io.Discard); err != nil {
			t.Fatalf("copy %s → %s: %v", hop[0], hop[1], err)
		}
	}
	if !strings.Contains(out.String(), "copied ") {
		t.Errorf("copy printed %q", out.String())
	}
	// Copying onto a site is refused unless asked for.
	if err := run(ctx, []string{"copy", "--from", original.Config.DatabaseURL, "--to", other}, io.Discard, io.Discard); err == nil {
		t.Error("copy into a database holding a site succeeded without --replace")
	}
	if err := run(ctx, []string{"copy", "--from", back, "--to", other, "--replace"}, io.Discard, io.Discard); err != nil {
		t.Errorf("copy --replace: %v", err)
	}

	want := exportTree(t, original.Config.DatabaseURL)
	for _, db := range []string{other, back} {
		got := exportTree(t, db)
		if len(got) != len(want) {
			t.Errorf("%s exports %d files, the original %d", db, len(got), len(want))
		}
		for p, data := range want {
			if !bytes.Equal(data, got[p]) {
				t.Errorf("%s differs in the copy %s", p, db)
			}
		}
	}
	media := 0
	for p := range want {
		if strings.HasPrefix(p, "media/") {
			media++
		}
	}
	if media < 40 {
		t.Errorf("the exports hold %d media files; the demo has more", media)
	}
}

// exportTree runs alliance export on db and returns every file written, by slash path.
func exportTree(t *testing.T, db string) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := run(context.Background(), []string{"export", "--database", db, dir}, io.Discard, io.Discard); err != nil {
		t.Fatalf("export %s: %v", db, err)
	}
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
