package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/generate"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// largeSite generates a site of n items more than the demo's (internal/generate), imports it
// into a new database of dialect and starts the program on it with an editor signed in.
//
// At 100,000 items generating takes minutes and importing more: ALLIANCE_BENCH_DIR names a
// folder to generate into once and reuse (it is generated when empty), and
// ALLIANCE_BENCH_SQLITE or ALLIANCE_BENCH_POSTGRES the URL of a database that already holds
// it (imported with `alliance import`, timed), which is then used instead of a new one.
func largeSite(tb testing.TB, dialect string, n int) (*Main, *http.Client) {
	tb.Helper()
	ctx := context.Background()
	dbURL := largeSiteURL(tb, dialect, n)
	var out bytes.Buffer
	cfg := &alliance.Config{Addr: "127.0.0.1:0", DataDir: tb.TempDir(), DatabaseURL: dbURL, PageCache: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	m := NewMain(cfg)
	if err := m.Run(ctx); err != nil {
		tb.Fatalf("start: %v", err)
	}
	tb.Cleanup(func() { m.Close() })
	// A new address each time, so that a database kept between runs takes it.
	email := fmt.Sprintf("bench-%d@example.eu", time.Now().UnixNano())
	if err := run(ctx, []string{"--database", dbURL, "--base-url", m.URL(), "user", "add", email, "--role", "editor"}, &out, io.Discard); err != nil {
		tb.Fatalf("user add: %v", err)
	}
	link := linkPattern.FindString(out.String())
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := httpGet(tb, c, link)
	tok := csrfField.FindStringSubmatch(page)
	if tok == nil {
		tb.Fatalf("invitation page has no form:\n%s", page)
	}
	res := httpPost(tb, c, m, link, url.Values{"csrf": {tok[1]}, "password": {goodPassword}, "confirm": {goodPassword}})
	if res != http.StatusSeeOther {
		tb.Fatalf("accepting the invitation = %d", res)
	}
	return m, c
}

func httpGet(tb testing.TB, c *http.Client, u string) string {
	tb.Helper()
	res, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		tb.Fatalf("GET %s = %d:\n%s", u, res.StatusCode, body)
	}
	return string(body)
}

func httpPost(tb testing.TB, c *http.Client, m *Main, u string, v url.Values) int {
	tb.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", m.URL())
	res, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

var rangeRE = regexp.MustCompile(`of ([0-9][0-9.,\x{a0}\x{202f} ]*)</p>`)

// itemsWork is what the large-site measurements do: the story list unfiltered, filtered by
// status, member and a missing language, by words in the title, and the save of a story.
func itemsWork(tb testing.TB, m *Main, c *http.Client) map[string]func() {
	var story string
	list := httpGet(tb, c, m.URL()+"/admin/items/story/")
	if k := regexp.MustCompile(`<td><code>([a-z0-9-]+)</code></td>`).FindStringSubmatch(list); k != nil {
		story = k[1]
	} else {
		tb.Fatalf("no story listed:\n%s", list)
	}
	form := parseForm(httpGet(tb, c, m.URL()+"/admin/items/story/"+story+"/"))
	base, _ := strconv.Atoi(form.Get("base"))
	n := 0
	return map[string]func(){
		"list":          func() { httpGet(tb, c, m.URL()+"/admin/items/story/") },
		"list-filtered": func() { httpGet(tb, c, m.URL()+"/admin/items/story/?status=published&member=genil&missing=el") },
		"list-page-3":   func() { httpGet(tb, c, m.URL()+"/admin/items/story/?status=published&page=3") },
		"list-words":    func() { httpGet(tb, c, m.URL()+"/admin/items/story/?q=climate") },
		"save": func() {
			n++
			form.Set("texts."+form.Get("source_lang")+".summary", fmt.Sprintf("Summary, version %d", n))
			form.Set("base", strconv.Itoa(base))
			form.Set("do", "save")
			if s := httpPost(tb, c, m, m.URL()+"/admin/items/story/"+story+"/", form); s != http.StatusSeeOther {
				tb.Fatalf("save %d = %d", n, s)
			}
			base++
		},
	}
}

// p95 runs fn n times and returns the 95th percentile and the median of its durations.
func p95(n int, fn func()) (time.Duration, time.Duration) {
	d := make([]time.Duration, n)
	for i := range d {
		start := time.Now()
		fn()
		d[i] = time.Since(start)
	}
	slices.Sort(d)
	return d[n*95/100], d[n/2]
}

// The back office's list and save on a generated site: in the suite with a few hundred items,
// and with ALLIANCE_BENCH_ITEMS (e.g. 100000) at the size; the times are logged.
func TestItemsOnALargeSite(t *testing.T) {
	n := 300
	if s := os.Getenv("ALLIANCE_BENCH_ITEMS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			m, c := largeSite(t, d, n)
			list := httpGet(t, c, m.URL()+"/admin/items/story/")
			total := rangeRE.FindStringSubmatch(list)
			if total == nil {
				t.Fatalf("the list says no total:\n%s", list)
			}
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, total[1])
			if got, _ := strconv.Atoi(digits); got < n/4 {
				t.Errorf("the list counts %d stories of %d items", got, n)
			}
			if next := strings.Contains(list, `rel="next"`); !next {
				t.Error("a list of more than a page has no next page")
			}
			work := itemsWork(t, m, c)
			for _, name := range []string{"list", "list-filtered", "list-page-3", "list-words", "save"} {
				p, med := p95(40, work[name])
				t.Logf("%s %d items: %s p95 %v median %v", d, n, name, p.Round(10*time.Microsecond), med.Round(10*time.Microsecond))
			}
		})
	}
}

// BenchmarkAdminItems measures the back office's list (with filters) and save on a generated
// site of ALLIANCE_BENCH_ITEMS items (default 2000), per dialect.
func BenchmarkAdminItems(b *testing.B) {
	n := 2000
	if s := os.Getenv("ALLIANCE_BENCH_ITEMS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			m, c := largeSite(b, d, n)
			work := itemsWork(b, m, c)
			for _, name := range []string{"list", "list-filtered", "list-words", "save"} {
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						work[name]()
					}
				})
			}
		})
	}
}

// largeSiteURL is the database of a generated site of n items for dialect: the one
// ALLIANCE_BENCH_{SQLITE,POSTGRES} names, else a new one into which the folder of
// ALLIANCE_BENCH_DIR (generated there when empty, or in a temporary folder) is imported.
func largeSiteURL(tb testing.TB, dialect string, n int) string {
	tb.Helper()
	ctx := context.Background()
	dbURL := os.Getenv("ALLIANCE_BENCH_" + strings.ToUpper(dialect))
	if dbURL == "" {
		dir := os.Getenv("ALLIANCE_BENCH_DIR")
		if dir == "" {
			dir = filepath.Join(tb.TempDir(), "large")
		}
		if entries, _ := os.ReadDir(dir); len(entries) == 0 {
			if _, err := generate.Site(dir, demo.Content(), generate.Options{Items: n, Seed: 7}); err != nil {
				tb.Fatalf("generate: %v", err)
			}
		}
		dbURL = storetest.NewURL(tb, dialect)
		var out bytes.Buffer
		if err := run(ctx, []string{"--database", dbURL, "--demo=false", "import", dir}, &out, &out); err != nil {
			tb.Fatalf("import: %v\n%s", err, out.String())
		}
	}
	return dbURL
}
