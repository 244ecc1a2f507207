package main

import (
	"context"
	"encoding/xml"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// parserTools returns the independent parsers the discovery documents are checked with:
// Debian's python3 (with python3-icalendar and python3-feedparser) and xmllint. Without them
// the test is skipped, unless ALLIANCE_TEST_PARSERS=1 says they must be there (CI sets it).
func parserTools(t *testing.T) (python, xmllint string) {
	t.Helper()
	python = "/usr/bin/python3"
	missing := ""
	if err := exec.Command(python, "-c", "import icalendar, feedparser").Run(); err != nil {
		missing = python + " with icalendar and feedparser (python3-icalendar python3-feedparser)"
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		missing += " xmllint (libxml2-utils)"
	}
	if missing != "" {
		if os.Getenv("ALLIANCE_TEST_PARSERS") == "1" {
			t.Fatalf("ALLIANCE_TEST_PARSERS=1 but missing: %s", missing)
		}
		t.Skipf("missing %s; set ALLIANCE_TEST_PARSERS=1 to make this a failure", missing)
	}
	return python, xmllint
}

var icsLink = regexp.MustCompile(`href="(/[^"]+\.ics)"`)

// Every feed, calendar and sitemap of the demo site, in every language, fetched over HTTP and
// read by parsers we did not write: python3-feedparser, python3-icalendar (with the VTIMEZONEs
// checked against the tz database), and xmllint against the sitemaps.org schemas.
func TestDiscoveryDocumentsParse(t *testing.T) {
	python, xmllint := parserTools(t)
	m := startSiteOn(t, storetest.NewURL(t, store.SQLite), true)
	ctx := context.Background()
	site, err := m.DB.Site(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var feeds, calendars, sitemaps, indexes []string
	save := func(path, wantType string, r response) string {
		t.Helper()
		if r.status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, r.status)
		}
		if ct := r.header.Get("Content-Type"); ct != wantType {
			t.Errorf("GET %s: Content-Type %q, want %q", path, ct, wantType)
		}
		name := filepath.Join(dir, strings.NewReplacer("/", "_").Replace(strings.Trim(path, "/")))
		if err := os.WriteFile(name, []byte(r.body), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	events, err := m.DB.List(ctx, store.Query{Kind: alliance.KindEvent})
	if err != nil || len(events) == 0 {
		t.Fatalf("events: %v (%d)", err, len(events))
	}
	for _, lang := range site.Languages {
		l := locale.MustGet(lang)
		for _, sec := range []string{"news", "events", "learn", "calls"} {
			base := "/" + lang + "/" + l.SectionSlug(sec) + "/"
			listing := get(t, m, base)
			for _, f := range []struct{ file, ctype string }{
				{"feed.atom", "application/atom+xml; charset=utf-8"},
				{"feed.json", "application/feed+json; charset=utf-8"},
			} {
				p := base + f.file
				if !strings.Contains(listing.body, `href="`+m.URL()+p+`"`) {
					t.Errorf("%s has no link to %s", base, p)
				}
				feeds = append(feeds, save(p, f.ctype, get(t, m, p)))
			}
		}
		p := "/" + lang + "/calendar.ics"
		calendars = append(calendars, save(p, "text/calendar; charset=utf-8", get(t, m, p)))
		// Every event's calendar and its sessions', as the event's page links them.
		for _, ev := range events {
			page := get(t, m, itemPath(ev, lang, "events"))
			links := icsLink.FindAllStringSubmatch(page.body, -1)
			if len(links) < 2 {
				t.Errorf("%s: %d calendar links, want the event's and its sessions'", itemPath(ev, lang, "events"), len(links))
			}
			for _, link := range links {
				r := get(t, m, link[1])
				if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `inline; filename="`) || !strings.HasSuffix(cd, `.ics"`) {
					t.Errorf("GET %s: Content-Disposition %q", link[1], cd)
				}
				calendars = append(calendars, save(link[1], "text/calendar; charset=utf-8", r))
			}
		}
	}
	// The sitemap, whole or an index of parts.
	root := get(t, m, "/sitemap.xml")
	if strings.Contains(root.body, "<sitemapindex") {
		indexes = append(indexes, save("/sitemap.xml", "application/xml; charset=utf-8", root))
		for i := 1; ; i++ {
			p := "/sitemap-" + strconv.Itoa(i) + ".xml"
			r := get(t, m, p)
			if r.status == http.StatusNotFound {
				break
			}
			sitemaps = append(sitemaps, save(p, "application/xml; charset=utf-8", r))
		}
	} else {
		sitemaps = append(sitemaps, save("/sitemap.xml", "application/xml; charset=utf-8", root))
	}
	if robots := get(t, m, "/robots.txt"); !strings.Contains(robots.body, "Sitemap: "+m.URL()+"/sitemap.xml\n") {
		t.Errorf("robots.txt does not name the sitemap:\n%s", robots.body)
	}

	run := func(name string, args ...string) {
		t.Helper()
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Errorf("%s %s: %v\n%s", filepath.Base(name), args[0], err, out)
		}
	}
	script := filepath.Join("..", "..", "scripts", "check-discovery.py")
	schemas := filepath.Join("..", "..", "scripts", "schemas")
	run(python, append([]string{script, "ics"}, calendars...)...)
	run(python, append([]string{script, "feed"}, feeds...)...)
	run(xmllint, append([]string{"--noout", "--schema", filepath.Join(schemas, "sitemap.xsd")}, sitemaps...)...)
	if len(indexes) > 0 {
		run(xmllint, append([]string{"--noout", "--schema", filepath.Join(schemas, "siteindex.xsd")}, indexes...)...)
	}
	t.Logf("checked %d feeds, %d calendars, %d sitemaps", len(feeds), len(calendars), len(sitemaps)+len(indexes))

	// Every page the sitemap names answers 200 at that very URL (no redirect).
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	for _, f := range sitemaps {
		b, _ := os.ReadFile(f)
		if err := xml.Unmarshal(b, &set); err != nil {
			t.Fatal(err)
		}
		for _, u := range set.URLs {
			p := strings.TrimPrefix(u.Loc, m.URL())
			if r := get(t, m, p); r.status != http.StatusOK {
				t.Errorf("sitemap names %s, which answers %d", u.Loc, r.status)
			}
		}
	}
}
