package main

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
	"github.com/alliance-platform/alliance/internal/web"
)

var (
	ldBlock   = regexp.MustCompile(`<script type="application/ld\+json">([^<]*)</script>`)
	metaTag   = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)
	ogLocale  = regexp.MustCompile(`^[a-z]{2}_[A-Z]{2}$`)
	isoOffset = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$`)
	isoDay    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// mainTypes are the schema.org types of each section's detail pages, besides BreadcrumbList;
// calls and resources have only their breadcrumbs.
var mainTypes = map[string][]string{
	"news":    {"NewsArticle"},
	"events":  {"Event"},
	"learn":   {"Course", "EducationalOccupationalProgram"},
	"members": {"CollegeOrUniversity"},
}

// TestStructuredDataOnEveryDetailPage reads every detail page of the demo, and every listing,
// in every language through the real router, as a search engine or a social site would: each
// JSON-LD block parses and has the properties Google's rich results require for its type,
// with absolute URLs and dates with offsets, in the language of the text shown; og:locale has
// the xx_YY form; og:image is a raster image that the site serves.
func TestStructuredDataOnEveryDetailPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		ctx := context.Background()
		site, err := m.DB.Site(ctx)
		if err != nil {
			t.Fatal(err)
		}
		images := map[string]bool{} // image URLs already fetched
		c := &ldChecker{t: t, m: m, images: images}
		seen := map[string]int{}
		for _, sec := range web.Sections() {
			items, err := m.DB.List(ctx, store.Query{Kind: sec.Kind})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) == 0 {
				t.Fatalf("no %s in the demo", sec.Kind)
			}
			for _, lang := range site.Languages {
				listing := "/" + lang + "/" + locale.MustGet(lang).SectionSlug(sec.ID) + "/"
				c.page(listing, lang, "", nil)
				for _, it := range items {
					for _, typ := range c.page(itemPath(it, lang, sec.ID), lang, sec.ID, it) {
						seen[typ]++
					}
				}
			}
		}
		for _, typ := range []string{"NewsArticle", "Event", "Course", "EducationalOccupationalProgram", "CollegeOrUniversity", "BreadcrumbList"} {
			if seen[typ] == 0 {
				t.Errorf("no page has a %s", typ)
			}
		}
		if c.rasterStories == 0 {
			t.Error("no story page shows its own raster image in its preview")
		}
		if c.authorURLs == 0 {
			t.Error("no story names an author with their own page's url")
		}
		if c.rasterEvents == 0 {
			t.Error("no event page shows its own raster image in its preview and JSON-LD")
		}
		t.Logf("blocks checked: %v; images fetched: %d; story previews with their own image: %d", seen, len(images), c.rasterStories)
	})
}

type ldChecker struct {
	t      *testing.T
	m      *Main
	images map[string]bool
	// rasterStories counts the story pages whose preview shows the story's own image;
	// rasterEvents the event pages whose preview and JSON-LD show the event's.
	rasterStories, rasterEvents int
	// authorURLs counts the authors named with their own page's url.
	authorURLs int
}

// checkAuthors checks a NewsArticle's authors: each a Person with the person's own page as url
// (none without one) and their member university, with its page, as affiliation.
func (c *ldChecker) checkAuthors(path string, it *alliance.Item, v map[string]any) {
	t := c.t
	t.Helper()
	var st alliance.Story
	json.Unmarshal(it.Shared, &st)
	for i, k := range st.Authors {
		pi, err := c.m.DB.Item(context.Background(), alliance.KindPerson, k)
		if err != nil {
			t.Fatal(err)
		}
		var ps alliance.Person
		json.Unmarshal(pi.Shared, &ps)
		a := "author." + strconv.Itoa(i) + "."
		if got := str(v, a+"name"); got != ps.Name {
			t.Errorf("%s: author %d is %q, want %q", path, i, got, ps.Name)
		}
		if got := str(v, a+"url"); got != ps.Website {
			t.Errorf("%s: author %s's url %q, want their website %q", path, k, got, ps.Website)
		} else if got != "" {
			c.authorURLs++
		}
		if ps.Member != "" && (str(v, a+"affiliation.@type") != "CollegeOrUniversity" || !strings.HasPrefix(str(v, a+"affiliation.url"), c.m.URL()+"/")) {
			t.Errorf("%s: author %s's affiliation %v, want their university with its page", path, k, at(v, a+"affiliation"))
		}
	}
}

// page checks the page at path in lang, the page of item it of section (nil for a listing),
// and returns the types of its blocks.
func (c *ldChecker) page(path, lang, section string, it *alliance.Item) []string {
	t := c.t
	t.Helper()
	r := get(t, c.m, path)
	if r.status != http.StatusOK {
		t.Errorf("GET %s = %d", path, r.status)
		return nil
	}
	head, _, ok := strings.Cut(r.body, "</head>")
	if !ok {
		t.Errorf("%s: no </head>", path)
		return nil
	}
	if n := len(ldBlock.FindAllString(r.body, -1)); n != len(ldBlock.FindAllString(head, -1)) {
		t.Errorf("%s: a JSON-LD block outside <head>", path)
	}
	meta := map[string][]string{}
	for _, mt := range metaTag.FindAllStringSubmatch(head, -1) {
		meta[mt[1]] = append(meta[mt[1]], html.UnescapeString(mt[2]))
	}
	c.checkMeta(path, lang, section, it, meta)

	// The language of the text the page shows: its own, else its source language's.
	textLang := lang
	if it != nil {
		if tx, _ := it.Best(lang); tx != nil {
			textLang = tx.Lang
		}
	}
	var types []string
	for _, b := range ldBlock.FindAllStringSubmatch(head, -1) {
		var v map[string]any
		if err := json.Unmarshal([]byte(b[1]), &v); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v\n%s", path, err, b[1])
			continue
		}
		typ, _ := v["@type"].(string)
		types = append(types, typ)
		if v["@context"] != "https://schema.org" {
			t.Errorf("%s: %s has @context %v", path, typ, v["@context"])
		}
		c.checkURLs(path, typ, v)
		c.checkType(path, typ, v)
		if typ == "NewsArticle" && it != nil {
			c.checkAuthors(path, it, v)
		}
		if typ == "Event" && it != nil {
			// The event's own image, as og:image has it (checkMeta), else the site's card.
			var ev alliance.Event
			json.Unmarshal(it.Shared, &ev)
			want := c.m.URL() + "/static/card.png"
			if isRasterPath(ev.Image) {
				want = c.m.URL() + "/media/" + ev.Image
			}
			if got := str(v, "image.0.url"); got != want || !slices.Contains(meta["og:image"], want) {
				t.Errorf("%s: Event image %q, og:image %v; want %q in both", path, got, meta["og:image"], want)
			} else if want != c.m.URL()+"/static/card.png" {
				c.rasterEvents++
			}
		}
		if typ != "BreadcrumbList" {
			if got := str(v, "mainEntityOfPage.inLanguage"); got != textLang {
				t.Errorf("%s: %s's page is in %q, want the text's %q", path, typ, got, textLang)
			}
			if typ == "NewsArticle" || typ == "Event" {
				if got := str(v, "inLanguage"); got != textLang {
					t.Errorf("%s: %s inLanguage = %q, want the text's %q", path, typ, got, textLang)
				}
			}
		}
	}
	want := []string{"BreadcrumbList"}
	if it != nil {
		if mt := mainTypes[section]; len(mt) > 0 {
			main := ""
			for _, typ := range types {
				if slices.Contains(mt, typ) {
					main = typ
				}
			}
			if main == "" {
				t.Errorf("%s: blocks %v, want one of %v", path, types, mt)
			}
			want = append([]string{main}, want...)
		}
	}
	if !slices.Equal(types, want) {
		t.Errorf("%s: blocks %v, want %v", path, types, want)
	}
	return types
}

// checkMeta checks the Open Graph and Twitter tags.
func (c *ldChecker) checkMeta(path, lang, section string, it *alliance.Item, meta map[string][]string) {
	t := c.t
	t.Helper()
	one := func(name string) string {
		if len(meta[name]) != 1 {
			t.Errorf("%s: %d %s tags, want 1", path, len(meta[name]), name)
			return ""
		}
		return meta[name][0]
	}
	loc := one("og:locale")
	if !ogLocale.MatchString(loc) || !strings.HasPrefix(loc, lang+"_") {
		t.Errorf("%s: og:locale %q, want %s_XX", path, loc, lang)
	}
	if it != nil {
		var want []string
		for _, tx := range it.Texts {
			if tx.Lang != lang {
				want = append(want, locale.OGLocale(tx.Lang))
			}
		}
		got := meta["og:locale:alternate"]
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: og:locale:alternate %v, want %v", path, got, want)
		}
	}
	for _, l := range meta["og:locale:alternate"] {
		if !ogLocale.MatchString(l) || l == loc {
			t.Errorf("%s: og:locale:alternate %q", path, l)
		}
	}
	img := one("og:image")
	c.checkImage(path, img)
	if one("og:image:width") == "" || one("og:image:height") == "" || one("og:image:alt") == "" {
		t.Errorf("%s: og:image without its size or alt text", path)
	}
	if tw := one("twitter:image"); tw != img {
		t.Errorf("%s: twitter:image %q, og:image %q", path, tw, img)
	}
	one("twitter:image:alt")
	one("twitter:title")
	card := one("twitter:card")
	wantCard := "summary"
	ogType := "website"
	if section == "news" && it != nil {
		ogType = "article"
		if !isOffsetTime(one("article:published_time")) || !isOffsetTime(one("article:modified_time")) {
			t.Errorf("%s: article times %v %v", path, meta["article:published_time"], meta["article:modified_time"])
		}
		// The story's own image when social sites show it (raster), else the site's card.
		var st alliance.Story
		json.Unmarshal(it.Shared, &st)
		wantImg := c.m.URL() + "/static/card.png"
		if ext := strings.ToLower(filepath.Ext(st.Image)); ext == ".jpg" || ext == ".png" {
			wantImg, wantCard = c.m.URL()+"/media/"+st.Image, "summary_large_image"
			c.rasterStories++
		}
		if img != wantImg {
			t.Errorf("%s: og:image %q, want %q", path, img, wantImg)
		}
	} else if section == "resources" && it != nil {
		ogType = "article"
	} else if section == "events" && it != nil {
		var ev alliance.Event
		json.Unmarshal(it.Shared, &ev)
		if isRasterPath(ev.Image) {
			wantCard = "summary_large_image"
			if want := c.m.URL() + "/media/" + ev.Image; img != want {
				t.Errorf("%s: og:image %q, want the event's %q", path, img, want)
			}
		}
	}
	if got := one("og:type"); got != ogType {
		t.Errorf("%s: og:type %q, want %q", path, got, ogType)
	}
	if card != wantCard {
		t.Errorf("%s: twitter:card %q, want %q", path, card, wantCard)
	}
}

// isRasterPath reports whether a media path is an image link previews show (JPEG, PNG).
func isRasterPath(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".jpg" || ext == ".png"
}

// checkImage fetches an image once: it must be a raster image the site serves.
func (c *ldChecker) checkImage(path, u string) {
	t := c.t
	t.Helper()
	base := c.m.URL()
	if !strings.HasPrefix(u, base+"/") {
		t.Errorf("%s: image %q is not an absolute URL of the site", path, u)
		return
	}
	if c.images[u] {
		return
	}
	c.images[u] = true
	r := get(t, c.m, strings.TrimPrefix(u, base))
	if ct := r.header.Get("Content-Type"); r.status != http.StatusOK || (ct != "image/jpeg" && ct != "image/png") {
		t.Errorf("%s: image %s = %d %s, want 200 image/jpeg or image/png", path, u, r.status, ct)
	}
}

// checkURLs checks that every URL-valued property is absolute, and fetches the images.
func (c *ldChecker) checkURLs(path, typ string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok {
				switch k {
				case "url", "item", "@id", "sameAs":
					if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
						c.t.Errorf("%s: %s has a relative %s %q", path, typ, k, s)
					}
				}
				if k == "url" && x["@type"] == "ImageObject" && !strings.HasSuffix(s, ".svg") {
					c.checkImage(path, s)
				}
				continue
			}
			c.checkURLs(path, typ, val)
		}
	case []any:
		for _, e := range x {
			c.checkURLs(path, typ, e)
		}
	}
}

// checkType checks the properties Google's rich results require of each type.
func (c *ldChecker) checkType(path, typ string, v map[string]any) {
	t := c.t
	t.Helper()
	need := func(props ...string) {
		for _, p := range props {
			if at(v, p) == nil || at(v, p) == "" {
				t.Errorf("%s: %s without %s", path, typ, p)
			}
		}
	}
	switch typ {
	case "NewsArticle":
		need("headline", "image.0.url", "datePublished", "dateModified", "author.0.name", "publisher.name", "publisher.logo.url", "url")
		if !isOffsetTime(str(v, "datePublished")) || !isOffsetTime(str(v, "dateModified")) {
			t.Errorf("%s: article dates %v %v", path, v["datePublished"], v["dateModified"])
		}
	case "Event":
		checkEvent(t, path, v)
		need("organizer.0.name", "organizer.0.url", "image.0.url", "description", "eventStatus")
		subs, _ := v["subEvent"].([]any)
		for _, s := range subs {
			sub, _ := s.(map[string]any)
			checkEvent(t, path+" subEvent", sub)
		}
	case "Course":
		need("name", "description", "provider.name", "provider.url", "inLanguage.0", "hasCourseInstance.0.courseMode")
		if d := str(v, "hasCourseInstance.0.startDate"); !isoDay.MatchString(d) {
			t.Errorf("%s: course instance starts %q", path, d)
		}
	case "EducationalOccupationalProgram":
		need("name", "description", "provider.name", "provider.url", "numberOfCredits.value")
	case "CollegeOrUniversity":
		need("name", "url", "memberOf.name", "address.addressCountry")
	case "BreadcrumbList":
		items, _ := v["itemListElement"].([]any)
		if len(items) < 2 {
			t.Errorf("%s: a BreadcrumbList of %d items", path, len(items))
		}
		for i := range items {
			el, _ := items[i].(map[string]any)
			if el["@type"] != "ListItem" || el["position"] != float64(i+1) || str(el, "name") == "" || str(el, "item") == "" {
				t.Errorf("%s: breadcrumb %d is %v", path, i+1, el)
			}
		}
	default:
		t.Errorf("%s: unexpected type %q", path, typ)
	}
	if typ == "Course" || typ == "EducationalOccupationalProgram" {
		if n, ok := at(v, "numberOfCredits.value").(float64); at(v, "numberOfCredits") != nil && (!ok || n <= 0 || str(v, "numberOfCredits.unitText") != "ECTS") {
			t.Errorf("%s: numberOfCredits %v", path, v["numberOfCredits"])
		}
		for _, d := range []string{"offers.availabilityStarts", "offers.availabilityEnds", "applicationDeadline"} {
			if s := str(v, d); s != "" && !isOffsetTime(s) {
				t.Errorf("%s: %s %q has no offset", path, d, s)
			}
		}
	}
}

var attendance = []string{"https://schema.org/OfflineEventAttendanceMode", "https://schema.org/OnlineEventAttendanceMode", "https://schema.org/MixedEventAttendanceMode"}

// checkEvent checks what Google requires of an event: name, startDate with its offset, and a
// location — a Place with an address, a VirtualLocation with a URL, or both.
func checkEvent(t *testing.T, path string, v map[string]any) {
	t.Helper()
	if str(v, "name") == "" || !isOffsetTime(str(v, "startDate")) || !isOffsetTime(str(v, "endDate")) {
		t.Errorf("%s: event %q from %q to %q", path, v["name"], v["startDate"], v["endDate"])
	}
	mode := str(v, "eventAttendanceMode")
	if !slices.Contains(attendance, mode) {
		t.Errorf("%s: eventAttendanceMode %q", path, mode)
	}
	var places []any
	switch l := v["location"].(type) {
	case []any:
		places = l
	case map[string]any:
		places = []any{l}
	}
	kinds := map[string]bool{}
	for _, p := range places {
		pl, _ := p.(map[string]any)
		kinds[str(pl, "@type")] = true
		switch str(pl, "@type") {
		case "Place":
			if str(pl, "name") == "" && str(pl, "address.streetAddress") == "" {
				t.Errorf("%s: a Place without name or address: %v", path, pl)
			}
		case "VirtualLocation":
			if !strings.HasPrefix(str(pl, "url"), "http") {
				t.Errorf("%s: a VirtualLocation without URL: %v", path, pl)
			}
		default:
			t.Errorf("%s: location %v", path, pl)
		}
	}
	want := map[string]map[string]bool{attendance[0]: {"Place": true}, attendance[1]: {"VirtualLocation": true},
		attendance[2]: {"Place": true, "VirtualLocation": true}}[mode]
	if len(kinds) != len(want) || !kinds["Place"] == want["Place"] || !kinds["VirtualLocation"] == want["VirtualLocation"] {
		t.Errorf("%s: %s with locations %v", path, mode, kinds)
	}
}

func isOffsetTime(s string) bool { return isoOffset.MatchString(s) }

// str is the string at path in v ("" when none).
func str(v map[string]any, path string) string {
	s, _ := at(v, path).(string)
	return s
}

// at reads a value by a dotted path through objects and arrays ("location.0.url").
func at(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			for _, d := range p {
				if d < '0' || d > '9' {
					return nil
				}
				i = i*10 + int(d-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
