package main

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

var (
	prevLink    = regexp.MustCompile(`<a class="prev" href="([^"]+)" rel="prev">`)
	nextLink    = regexp.MustCompile(`<a class="next" href="([^"]+)" rel="next">`)
	cardLink    = regexp.MustCompile(`<h3><a href="([^"]+)">`)
	bylineNames = regexp.MustCompile(`<p class="byline"><span[^>]*>[^<]*</span> ([^<]*)</p>`)
)

// Every story page shows the stories just before and after it by date, its related stories
// followed by the newest of its category to make up three, and its authors: worked out here
// from the stories themselves, independently of the queries the page makes.
func TestStoryShowsItsSurroundings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		ctx := context.Background()
		stories, err := m.DB.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest})
		if err != nil || len(stories) < 10 {
			t.Fatalf("stories: %d, %v", len(stories), err)
		}
		shared := func(it *alliance.Item) *alliance.Story {
			var s alliance.Story
			if err := json.Unmarshal(it.Shared, &s); err != nil {
				t.Fatal(err)
			}
			return &s
		}
		byKey := map[string]*alliance.Item{}
		for _, s := range stories {
			byKey[s.Key] = s
		}
		url := func(it *alliance.Item) string { return itemPath(it, "en", "news") }
		for i, it := range stories {
			st := shared(it)
			var want struct {
				prev, next string
				related    []string
				authors    []string
			}
			if i+1 < len(stories) {
				want.prev = url(stories[i+1]) // Newest order: the next one is older
			}
			if i > 0 {
				want.next = url(stories[i-1])
			}
			var related []string
			for _, k := range st.Related {
				if k != it.Key && byKey[k] != nil {
					related = append(related, k)
					want.related = append(want.related, url(byKey[k]))
				}
			}
			for _, other := range stories {
				if len(want.related) == 3 {
					break
				}
				if other.Key != it.Key && !slices.Contains(related, other.Key) && shared(other).Category == st.Category {
					want.related = append(want.related, url(other))
				}
			}
			for _, a := range st.Authors {
				p, err := m.DB.Item(ctx, alliance.KindPerson, a)
				if err != nil {
					t.Fatal(err)
				}
				var person alliance.Person
				json.Unmarshal(p.Shared, &person)
				want.authors = append(want.authors, htmlEscape(person.Name))
			}

			path := url(it)
			r := get(t, m, path)
			if r.status != 200 {
				t.Errorf("GET %s = %d", path, r.status)
				continue
			}
			if got := submatch(prevLink, r.body); got != want.prev {
				t.Errorf("%s: previous story %q, want %q", path, got, want.prev)
			}
			if got := submatch(nextLink, r.body); got != want.next {
				t.Errorf("%s: next story %q, want %q", path, got, want.next)
			}
			var got []string
			if _, section, ok := strings.Cut(r.body, `<section class="related"`); ok {
				section, _, _ = strings.Cut(section, "</section>")
				for _, m := range cardLink.FindAllStringSubmatch(section, -1) {
					got = append(got, m[1])
				}
			}
			if !slices.Equal(got, want.related) {
				t.Errorf("%s: related %q, want %q", path, got, want.related)
			}
			if names := submatch(bylineNames, r.body); names != strings.Join(want.authors, ", ") {
				t.Errorf("%s: byline %q, want %q", path, names, strings.Join(want.authors, ", "))
			}
		}
	})
}

func submatch(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
