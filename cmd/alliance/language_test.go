package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// The tests here check that pages say true things in every language: what language a text is
// in, what is still to come, and words and units as each language writes them.

var (
	tagRe    = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)
	langAttr = regexp.MustCompile(`\slang="([^"]*)"`)
	voidTags = map[string]bool{"img": true, "br": true, "input": true, "meta": true, "link": true, "hr": true, "source": true, "wbr": true}
)

// walkTags calls visit for every start tag of the markup s with its attributes and the
// language in force there: its own lang attribute, else its nearest ancestor's, "" for none.
func walkTags(t *testing.T, s string, visit func(name, attrs, lang string)) {
	t.Helper()
	type open struct{ name, lang string }
	var stack []open
	for _, m := range tagRe.FindAllStringSubmatch(s, -1) {
		closing, name, attrs := m[1] == "/", strings.ToLower(m[2]), m[3]
		if closing {
			if len(stack) == 0 || stack[len(stack)-1].name != name {
				t.Fatalf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
			continue
		}
		lang := ""
		if len(stack) > 0 {
			lang = stack[len(stack)-1].lang
		}
		if a := langAttr.FindStringSubmatch(attrs); a != nil {
			lang = a[1]
		}
		visit(name, attrs, lang)
		if !voidTags[name] {
			stack = append(stack, open{name, lang})
		}
	}
}

var cardRe = regexp.MustCompile(`(?s)<article class="card[^>]*>.*?</article>`)

// cardOn returns the card linking to href on the first listing page of path that has one.
func cardOn(t *testing.T, m *Main, path, href string) string {
	t.Helper()
	for page := 1; page <= 20; page++ {
		p := path
		if page > 1 {
			p += "?page=" + strconv.Itoa(page)
		}
		r := get(t, m, p)
		if r.status != 200 {
			break
		}
		for _, c := range cardRe.FindAllString(r.body, -1) {
			if strings.Contains(c, `href="`+href+`"`) {
				return c
			}
		}
	}
	t.Fatalf("no card linking to %s on %s", href, path)
	return ""
}

// langMark is the marker that follows a title in lang on a page in page's language.
func langMark(page, lang string) string {
	l := locale.MustGet(page)
	in := htmlEscape(l.T("lang.in", "language", l.LanguageName(lang)))
	return `&nbsp;<span class="lang-mark"><span aria-hidden="true" title="` + in + `">` + strings.ToUpper(lang) +
		`</span><span class="visually-hidden">(` + in + `)</span></span>`
}

// A card or menu entry shown in another language than the page's says so, visibly and to
// screen readers, and only the item's own text carries its lang: its date and tags are the
// page's, in the page's language.
func TestFallbackTextsAreMarked(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		stories, err := m.DB.All(context.Background(), alliance.KindStory)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "de", "el"} {
			var st *alliance.Item
			for _, it := range stories {
				if it.Text(lang) == nil {
					st = it
					break
				}
			}
			if st == nil {
				t.Fatalf("every story has a %s text; the demo must show a fallback card", lang)
			}
			src, _ := st.Best(lang)
			href := itemPath(st, lang, "news")
			c := cardOn(t, m, "/"+lang+"/"+locale.MustGet(lang).SectionSlug("news")+"/", href)
			title := `<a href="` + href + `"><span lang="` + src.Lang + `">` + htmlEscape(src.Title) + `</span>` + langMark(lang, src.Lang) + `</a>`
			if !strings.Contains(c, title) {
				t.Errorf("/%s/: the card of %q does not mark its title lang=%s with the marker %s:\n%s", lang, src.Title, src.Lang, langMark(lang, src.Lang), c)
			}
			seen := map[string]bool{}
			walkTags(t, c, func(name, attrs, in string) {
				switch {
				case name == "time", strings.Contains(attrs, `class="tag"`), strings.Contains(attrs, `class="meta"`),
					strings.Contains(attrs, `class="lang-mark"`), strings.Contains(attrs, `class="visually-hidden"`):
					seen[name] = true
					if in != "" {
						t.Errorf("/%s/: in the card of %q, <%s%s> is inside lang=%s; the page's text must stay in the page's language", lang, src.Title, name, attrs, in)
					}
				case strings.HasPrefix(attrs, ` lang=`) && name == "p": // the summary
					seen["summary"] = true
				}
			})
			if !seen["time"] || !seen["summary"] {
				t.Errorf("/%s/: the card of %q has no date or no summary marked lang: %v\n%s", lang, src.Title, seen, c)
			}
		}

		// Menu entries: a page without a text in the visitor's language.
		pages, err := m.DB.All(context.Background(), alliance.KindPage)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "de", "el"} {
			body := get(t, m, "/"+lang+"/").body
			menu := body[strings.Index(body, `<nav class="menu"`):]
			menu = menu[:strings.Index(menu, "</nav>")]
			marked := 0
			for _, p := range pages {
				pt, _ := p.Best(lang)
				if pt.Lang == lang {
					continue
				}
				title := `<span lang="` + pt.Lang + `">` + htmlEscape(pt.Title) + `</span>` + langMark(lang, pt.Lang) + `</a>`
				if strings.Contains(body, `>`+htmlEscape(pt.Title)+`</a>`) || strings.Contains(menu, `>`+htmlEscape(pt.Title)+`<`) && !strings.Contains(menu, title) {
					t.Errorf("/%s/: menu or footer entry %q (in %s) shown without its lang and marker", lang, pt.Title, pt.Lang)
				}
				if strings.Contains(menu, title) {
					marked++
				}
			}
			if n := strings.Count(menu, `class="lang-mark"`); n != marked {
				t.Errorf("/%s/: %d language markers in the menu, want %d (one per page without a %s text)", lang, n, marked, lang)
			}
			if lang != "en" && marked == 0 {
				t.Errorf("/%s/: no menu entry in another language; the demo must show one", lang)
			}
		}
	})
}

var headingRe = regexp.MustCompile(`<h([1-6])[\s>]`)

// hrefRe matches the site's links a crawl follows: pages, and later pages of listings.
var hrefRe = regexp.MustCompile(`href="(/[a-z]{2}/[^"?#]*(?:\?page=[0-9]+)?)"`)

// No page skips a heading level (h1 then h3), in any language: the demo site is crawled from
// each language's home page, every menu page, listing (and its later pages) and item it links to.
func TestHeadingsSkipNoLevelInAnyLanguage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		for _, lang := range locale.Supported {
			l := locale.MustGet(lang)
			seen := map[string]bool{"/" + lang + "/": true}
			queue := []string{"/" + lang + "/"}
			for len(queue) > 0 {
				path := queue[0]
				queue = queue[1:]
				r := get(t, m, path)
				if r.status != 200 {
					t.Errorf("GET %s = %d", path, r.status)
					continue
				}
				prev := 0
				for _, h := range headingRe.FindAllStringSubmatch(r.body, -1) {
					n := int(h[1][0] - '0')
					if prev == 0 && n != 1 || n > prev+1 {
						t.Errorf("GET %s: h%d follows h%d", path, n, prev)
						break
					}
					prev = n
				}
				for _, h := range hrefRe.FindAllStringSubmatch(r.body, -1) {
					if p := h[1]; strings.HasPrefix(p, "/"+lang+"/") && !seen[p] {
						seen[p] = true
						queue = append(queue, p)
					}
				}
			}
			// Every menu page and every listing is among them.
			for _, s := range []string{"news", "events", "learn", "resources", "calls", "members"} {
				if p := "/" + lang + "/" + l.SectionSlug(s) + "/"; !seen[p] {
					t.Errorf("the crawl of %s did not reach %s", lang, p)
				}
			}
			for _, top := range contentTree(t, m) {
				tt, _ := top.item.Best(lang)
				if p := "/" + lang + "/" + tt.Slug + "/"; !seen[p] {
					t.Errorf("the crawl of %s did not reach %s", lang, p)
				}
			}
			t.Logf("%s: %d pages crawled", lang, len(seen))
			if len(seen) < 50 {
				t.Errorf("the crawl of %s reached only %d pages", lang, len(seen))
			}
		}
	})
}

// A past event promises no livestream link any more; a link given is its recording. An event
// to come still announces its link.
func TestPastEventPromisesNoLivestream(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		ctx := context.Background()
		past, err := m.DB.Item(ctx, alliance.KindEvent, "meridia-days-2026")
		if err != nil {
			t.Fatal(err)
		}
		coming, err := m.DB.Item(ctx, alliance.KindEvent, "digital-teaching-webinar-2027")
		if err != nil {
			t.Fatal(err)
		}
		pe, ce := decodeEvent(t, past), decodeEvent(t, coming)
		if !pe.End.In(pe.Location()).Before(testNow) || !ce.Start.In(ce.Location()).After(testNow) {
			t.Fatal("the demo's events no longer fall before and after the tests' clock")
		}
		for _, lang := range []string{"en", "de", "el"} {
			l := locale.MustGet(lang)
			soon, watch, recording := htmlEscape(l.T("session.livestream_soon")), htmlEscape(l.T("session.livestream")), htmlEscape(l.T("session.recording"))
			p := itemPath(past, lang, "events")
			r := get(t, m, p)
			checkPage(t, p, r, lang)
			if strings.Contains(r.body, soon) || strings.Contains(r.body, watch) {
				t.Errorf("GET %s: a past event still promises a livestream (%q or %q)", p, soon, watch)
			}
			if !strings.Contains(r.body, `<a href="https://video.example.org/meridia/days-2026-opening">`+recording+`</a>`) {
				t.Errorf("GET %s: the given livestream link is not shown as the recording %q", p, recording)
			}
			p = itemPath(coming, lang, "events")
			r = get(t, m, p)
			if !strings.Contains(r.body, soon) {
				t.Errorf("GET %s: an event to come no longer announces its livestream link %q", p, soon)
			}
		}
	})
}

var (
	creditRe   = regexp.MustCompile(`<span class="credit">([^<]*)</span>`)
	fileInfoRe = regexp.MustCompile(`<span class="file-info">\(([^)]*)\)</span>`)
	rolesRe    = regexp.MustCompile(`<span class="role"(?: lang="[a-z]+")?>([^<]*)</span>`)
)

// Small things said as the content and each language say them: an image credit as the editor
// wrote it, file sizes in each language's units, a resource's authors with their roles,
// language names in running text in each language's case.
func TestSmallThingsSaidTruly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		ctx := context.Background()
		stories, err := m.DB.All(ctx, alliance.KindStory)
		if err != nil {
			t.Fatal(err)
		}
		var credited *alliance.Item
		var credit string
		for _, st := range stories {
			var s alliance.Story
			if err := json.Unmarshal(st.Shared, &s); err != nil {
				t.Fatal(err)
			}
			if s.Credit != "" && !strings.Contains(s.Credit, "©") {
				credited, credit = st, s.Credit
				break
			}
		}
		if credited == nil {
			t.Fatal("no story of the demo has a credit without ©")
		}
		resource, err := m.DB.Item(ctx, alliance.KindResource, "climate-footprint-2025")
		if err != nil {
			t.Fatal(err)
		}
		var res alliance.Resource
		if err := json.Unmarshal(resource.Shared, &res); err != nil {
			t.Fatal(err)
		}
		people, err := m.DB.ByKeys(ctx, alliance.KindPerson, res.Authors, "")
		if err != nil {
			t.Fatal(err)
		}
		units := map[string]*regexp.Regexp{
			"en": regexp.MustCompile(`^PDF, [0-9.,]+\x{a0}(kB|MB)$`),
			"de": regexp.MustCompile(`^PDF, [0-9.,]+\x{a0}(kB|MB)$`),
			"el": regexp.MustCompile(`^PDF, [0-9.,]+\x{a0}(kB|MB)$`),
			"fr": regexp.MustCompile(`^PDF, [0-9.,\x{202f}]+\x{a0}(ko|Mo)$`),
		}
		// The fallback notice of a story in French: "… shown in French".
		french := mustItem(t, m, alliance.KindStory, "festival-theatre-lyon")
		if src, _ := french.Best("el"); src.Lang != "fr" {
			t.Fatalf("the demo's festival-theatre-lyon is shown in %s where no translation exists; the test expects French", src.Lang)
		}
		notices := map[string]string{
			"en": "It is shown in French.",
			"de": "Er wird auf Französisch angezeigt.",
			"el": "Εμφανίζεται στα γαλλικά.",
			"fr": "",
		}
		instruction := map[string]string{"en": "English", "de": "Englisch", "el": "αγγλικά", "fr": "anglais"}
		for _, lang := range []string{"en", "de", "el", "fr"} {
			l := locale.MustGet(lang)
			p := itemPath(credited, lang, "news")
			r := get(t, m, p)
			if got := creditRe.FindStringSubmatch(r.body); got == nil || got[1] != htmlEscape(credit) {
				t.Errorf("GET %s: credit %v, want %q as written", p, got, credit)
			}

			p = itemPath(resource, lang, "resources")
			r = get(t, m, p)
			infos := fileInfoRe.FindAllStringSubmatch(r.body, -1)
			if len(infos) == 0 {
				t.Errorf("GET %s: no file size", p)
			}
			for _, info := range infos {
				if !units[lang].MatchString(info[1]) {
					t.Errorf("GET %s: file info %q, want %s", p, info[1], units[lang])
				}
			}
			authors := r.body[strings.Index(r.body, htmlEscape(l.T("resource.authors"))):]
			authors = authors[:strings.Index(authors, "</dd>")]
			roles := rolesRe.FindAllStringSubmatch(authors, -1)
			var want []string
			for _, k := range res.Authors {
				pt, _ := people[k].Best(lang)
				var text alliance.PersonText
				if err := json.Unmarshal(pt.Fields, &text); err != nil {
					t.Fatal(err)
				}
				if text.Role != "" {
					want = append(want, htmlEscape(text.Role))
				}
			}
			if len(want) == 0 || len(roles) != len(want) {
				t.Errorf("GET %s: authors' roles %v, want %v", p, roles, want)
			}
			for i := range min(len(roles), len(want)) {
				if roles[i][1] != want[i] {
					t.Errorf("GET %s: author's role %q, want %q", p, roles[i][1], want[i])
				}
			}

			if notices[lang] != "" {
				p = itemPath(french, lang, "news")
				r = get(t, m, p)
				if !strings.Contains(r.body, htmlEscape(notices[lang])) {
					t.Errorf("GET %s: no fallback notice saying %q", p, notices[lang])
				}
			}
		}
		// A programme's languages of instruction, in running text.
		learning, err := m.DB.All(ctx, alliance.KindLearning)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, it := range learning {
			var lr alliance.Learning
			if err := json.Unmarshal(it.Shared, &lr); err != nil {
				t.Fatal(err)
			}
			if len(lr.Languages) == 0 || lr.Languages[0] != "en" {
				continue
			}
			for lang, name := range instruction {
				l := locale.MustGet(lang)
				p := itemPath(it, lang, "learn")
				r := get(t, m, p)
				dt := "<dt>" + htmlEscape(l.T("learn.languages")) + "</dt><dd>"
				i := strings.Index(r.body, dt)
				if i < 0 || !strings.HasPrefix(r.body[i+len(dt):], name) {
					t.Errorf("GET %s: languages of instruction do not start with %q", p, name)
				}
			}
			checked++
			break
		}
		if checked == 0 {
			t.Fatal("no programme of the demo is taught in English first")
		}
	})
}

// Language names mid-sentence keep each language's case; the language menu capitalizes.
func TestLanguageNamesInRunningText(t *testing.T) {
	for _, lang := range locale.Supported {
		l := locale.MustGet(lang)
		name := l.LanguageName("en")
		r, _ := utf8.DecodeRuneInString(name)
		upper := lang == "en" || lang == "de"
		if unicode.IsUpper(r) != upper {
			t.Errorf("%s: LanguageName(en) = %q; running text writes it %s", lang, name, map[bool]string{true: "capitalized", false: "in lower case"}[upper])
		}
		a, _ := utf8.DecodeRuneInString(locale.Autonym(lang))
		if !unicode.IsUpper(a) {
			t.Errorf("Autonym(%s) = %q, want it capitalized for the menu", lang, locale.Autonym(lang))
		}
	}
}

func mustItem(t *testing.T, m *Main, kind alliance.Kind, key string) *alliance.Item {
	t.Helper()
	it, err := m.DB.Item(context.Background(), kind, key)
	if err != nil {
		t.Fatalf("%s %s: %v", kind, key, err)
	}
	return it
}
