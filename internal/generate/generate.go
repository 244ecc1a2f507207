// Package generate writes a large site as a content folder: the demo site, plus as many
// generated items as asked, across the site's languages. It exists to measure the platform at
// the scale of a real alliance after some years (100,000 items): listings, search, feeds,
// sitemaps, imports and the back office must stay as fast as on the demo's few hundred.
//
// The generated items look like real ones where it matters to the code that reads them: texts
// of realistic lengths in their own language's words (taken from the demo's texts), a source
// language and a part of the other languages translated, taxonomies and members referred to as
// the demo's items do, events with sessions, learning with application windows, dates spread
// over fifteen years. They are valid content: `alliance import` takes the folder as it is.
package generate

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/content"
)

// Options says how much to generate.
type Options struct {
	// Items is the number of items added to the demo's, sessions included.
	Items int
	// Seed makes the folder reproducible: the same seed and Items give the same files.
	Seed uint64
	// Translated is the share of the other languages each item is translated into, 0 to 1.
	// Zero means 0.3: most items in a few languages, as on real sites. One item in seven is
	// translated into every language whatever this says.
	Translated float64
}

// Stats counts what was written.
type Stats struct {
	Items map[alliance.Kind]int
	Files int
}

func (s Stats) String() string {
	var parts []string
	total := 0
	for _, ki := range alliance.Kinds {
		if n := s.Items[ki.Kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, ki.Kind))
			total += n
		}
	}
	return fmt.Sprintf("%d items (%s) in %d files", total, strings.Join(parts, ", "), s.Files)
}

// Site writes the base site (a content folder, e.g. the demo's) and opt.Items generated items
// into dst, which must not exist or be empty.
func Site(dst string, base fs.FS, opt Options) (Stats, error) {
	st := Stats{Items: map[alliance.Kind]int{}}
	if entries, err := os.ReadDir(dst); err == nil && len(entries) > 0 {
		return st, fmt.Errorf("generate: %s is not empty", dst)
	}
	bundle, err := content.Load(base, nil)
	if err != nil {
		return st, fmt.Errorf("generate: read the base site: %w", err)
	}
	if bundle.Site == nil {
		return st, fmt.Errorf("generate: the base site has no site.yaml")
	}
	n, err := copyTree(base, dst)
	if err != nil {
		return st, err
	}
	st.Files += n
	g := newGenerator(bundle, opt)
	err = g.items(opt.Items, func(it *alliance.Item) error {
		ki, _ := alliance.InfoOf(it.Kind)
		files, err := content.ItemFiles(ki, it)
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dst, ki.Dir, name), data, 0o644); err != nil {
				return fmt.Errorf("generate: %w", err)
			}
			st.Files++
		}
		st.Items[it.Kind]++
		return nil
	})
	if err != nil {
		return st, err
	}
	return st, nil
}

// copyTree copies every file of src into dst.
func copyTree(src fs.FS, dst string) (int, error) {
	n := 0
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		n++
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return n, fmt.Errorf("generate: copy the base site: %w", err)
	}
	// Every kind gets its folder, even those the base site has none of.
	for _, ki := range alliance.Kinds {
		if err := os.MkdirAll(filepath.Join(dst, ki.Dir), 0o755); err != nil {
			return n, fmt.Errorf("generate: %w", err)
		}
	}
	return n, nil
}

// generator draws items from a seeded source, referring to the base site's items.
type generator struct {
	rnd        *rand.Rand
	langs      []string
	translated float64
	words      map[string][]string // per language, the words of the base site's texts
	keys       map[alliance.Kind][]string
	images     []string // story images of the base site
	documents  []string
	zones      []string
	count      map[alliance.Kind]int
	stories    []string // keys generated so far, for related stories
}

func newGenerator(b *content.Bundle, opt Options) *generator {
	g := &generator{
		rnd:        rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5eed)),
		langs:      b.Site.Languages,
		translated: opt.Translated,
		words:      map[string][]string{},
		keys:       map[alliance.Kind][]string{},
		count:      map[alliance.Kind]int{},
		zones: []string{"Europe/Bucharest", "Europe/Berlin", "Europe/Athens", "Europe/Lisbon", "Europe/Rome",
			"Europe/Madrid", "Europe/Stockholm", "Europe/Paris", "Europe/Dublin"},
	}
	if g.translated <= 0 {
		g.translated = 0.3
	}
	seen := map[string]map[string]bool{}
	for _, it := range b.Items {
		g.keys[it.Kind] = append(g.keys[it.Kind], it.Key)
		for _, t := range it.Texts {
			if seen[t.Lang] == nil {
				seen[t.Lang] = map[string]bool{}
			}
			for _, w := range strings.FieldsFunc(t.Body+" "+t.Summary, notWordRune) {
				w = strings.ToLower(w)
				if len([]rune(w)) > 1 && !seen[t.Lang][w] {
					seen[t.Lang][w] = true
					g.words[t.Lang] = append(g.words[t.Lang], w)
				}
			}
		}
	}
	for _, words := range g.words {
		slices.Sort(words) // map order must not change what a seed gives
	}
	for _, m := range b.Media {
		switch {
		case strings.HasPrefix(m.Path, "images/stories/"):
			g.images = append(g.images, m.Path)
		case strings.HasPrefix(m.Path, "docs/"):
			g.documents = append(g.documents, m.Path)
		}
	}
	slices.Sort(g.images)
	slices.Sort(g.documents)
	return g
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' }

// share is how the generated items divide among the kinds: mostly news, as on real sites.
var share = []struct {
	kind   alliance.Kind
	weight int
}{
	{alliance.KindStory, 40}, {alliance.KindResource, 16}, {alliance.KindEvent, 9},
	{alliance.KindSession, 24}, {alliance.KindLearning, 6}, {alliance.KindCall, 3}, {alliance.KindPerson, 2},
}

// items generates n items and gives each to emit as soon as it is made, so that a large site
// is never held in memory. Sessions follow their event, so that an event's sessions exist once
// it does.
func (g *generator) items(n int, emit func(*alliance.Item) error) error {
	total := 0
	for _, s := range share {
		total += s.weight
	}
	for made := 0; made < n; {
		var batch []*alliance.Item
		w := g.rnd.IntN(total)
		for _, s := range share {
			if w -= s.weight; w >= 0 {
				continue
			}
			switch s.kind {
			case alliance.KindSession:
				// Drawn with their event instead.
			case alliance.KindEvent:
				ev := g.event()
				batch = append(batch, ev)
				for range g.rnd.IntN(6) + 1 {
					if made+len(batch) < n {
						batch = append(batch, g.session(ev))
					}
				}
			case alliance.KindStory:
				batch = append(batch, g.story())
			case alliance.KindResource:
				batch = append(batch, g.resource())
			case alliance.KindLearning:
				batch = append(batch, g.learning())
			case alliance.KindCall:
				batch = append(batch, g.call())
			case alliance.KindPerson:
				batch = append(batch, g.person())
			}
			break
		}
		for _, it := range batch {
			if err := emit(it); err != nil {
				return err
			}
		}
		made += len(batch)
	}
	return nil
}

// newItem starts an item of kind with a fresh key, its source language and the languages it is
// translated into.
func (g *generator) newItem(kind alliance.Kind, shared any) *alliance.Item {
	g.count[kind]++
	it := &alliance.Item{Kind: kind, Key: fmt.Sprintf("gen-%s-%06d", kind, g.count[kind])}
	// Half the items are written in the site's first language, the rest in any.
	if g.rnd.IntN(2) == 0 {
		it.SourceLang = g.langs[0]
	} else {
		it.SourceLang = g.pick(g.langs)
	}
	it.Shared = mustJSON(shared)
	// One item in seven, the alliance's big news say, is translated into every language.
	everywhere := g.rnd.IntN(7) == 0
	for _, l := range g.langs {
		if l == it.SourceLang || everywhere || g.rnd.Float64() < g.translated {
			it.Texts = append(it.Texts, alliance.Text{Lang: l})
		}
	}
	return it
}

// fill gives every text of it a title, slug, summary and a body of about words words, with
// fields made by text (nil for none).
func (g *generator) fill(it *alliance.Item, words int, text func(lang string) any) {
	n := g.count[it.Kind]
	for i := range it.Texts {
		t := &it.Texts[i]
		t.Title = g.sentence(t.Lang, 4+g.rnd.IntN(7), false)
		t.Slug = content.Slugify(t.Lang, t.Title) + fmt.Sprintf("-%d", n)
		t.Summary = g.sentence(t.Lang, 15+g.rnd.IntN(25), true)
		t.Body = g.body(t.Lang, words/2+g.rnd.IntN(words+1))
		if text != nil {
			t.Fields = mustJSON(text(t.Lang))
		}
	}
}

func (g *generator) story() *alliance.Item {
	s := &alliance.Story{
		Date:     alliance.Date(g.day(2012, 2027).Format(time.DateOnly)),
		Category: g.pick(g.keys[alliance.KindCategory]),
		Authors:  g.some(g.keys[alliance.KindPerson], 0, 2),
	}
	if len(g.images) > 0 && g.rnd.IntN(4) > 0 {
		s.Image = g.pick(g.images)
		s.Credit = "Photo: Meridia communication team"
	}
	if len(g.stories) > 0 {
		s.Related = g.some(g.stories[max(0, len(g.stories)-200):], 0, 3)
	}
	it := g.newItem(alliance.KindStory, s)
	g.stories = append(g.stories, it.Key)
	g.fill(it, 600, func(lang string) any {
		t := &alliance.StoryText{Tags: g.words3(lang)}
		if s.Image != "" {
			t.Alt = g.sentence(lang, 8, false)
		}
		return t
	})
	return it
}

func (g *generator) resource() *alliance.Item {
	r := &alliance.Resource{
		Year:      2012 + g.rnd.IntN(16),
		Themes:    g.some(g.keys[alliance.KindTheme], 1, 2),
		Types:     g.some(g.keys[alliance.KindResourceType], 1, 1),
		Audiences: g.some(g.keys[alliance.KindAudience], 1, 2),
		Authors:   g.some(g.keys[alliance.KindPerson], 0, 2),
		Files:     g.some(g.documents, 0, 2),
	}
	it := g.newItem(alliance.KindResource, r)
	g.fill(it, 200, func(lang string) any { return &alliance.ResourceText{Tags: g.words3(lang)} })
	return it
}

func (g *generator) event() *alliance.Item {
	start := g.day(2014, 2028).Add(time.Duration(8+g.rnd.IntN(6)) * time.Hour)
	end := start.Add(time.Duration(2+g.rnd.IntN(60)) * time.Hour)
	e := &alliance.Event{
		Host:       g.pick(g.keys[alliance.KindMember]),
		Timezone:   g.pick(g.zones),
		Start:      dateTime(start),
		End:        dateTime(end),
		Attendance: g.pick(alliance.AttendanceModes),
		Audiences:  g.some(g.keys[alliance.KindAudience], 1, 3),
	}
	if g.rnd.IntN(2) == 0 {
		e.Challenge = g.pick(g.keys[alliance.KindChallenge])
	}
	if g.rnd.IntN(2) == 0 {
		e.RegistrationURL = "https://events.example.org/" + fmt.Sprint(g.count[alliance.KindEvent]+1)
	}
	it := g.newItem(alliance.KindEvent, e)
	g.fill(it, 300, func(lang string) any {
		return &alliance.EventText{Venue: g.sentence(lang, 3, false), Address: g.sentence(lang, 5, false)}
	})
	return it
}

// session adds a session within ev, in one of ev's languages.
func (g *generator) session(ev *alliance.Item) *alliance.Item {
	var e alliance.Event
	if err := json.Unmarshal(ev.Shared, &e); err != nil {
		panic(err) // written by event above
	}
	loc := e.Location()
	start, end := e.Start.In(loc), e.End.In(loc)
	span := max(int(end.Sub(start)/time.Minute)-30, 1)
	s0 := start.Add(time.Duration(g.rnd.IntN(span)/15*15) * time.Minute)
	s := &alliance.Session{
		Event: ev.Key,
		Type:  g.pick(alliance.SessionTypes),
		Start: dateTime(s0),
		End:   dateTime(s0.Add(time.Duration(30+15*g.rnd.IntN(6)) * time.Minute)),
	}
	if s.End > e.End {
		s.End = e.End
	}
	for _, p := range g.some(g.keys[alliance.KindPerson], 1, 3) {
		s.Speakers = append(s.Speakers, alliance.Speaker{Person: p, Online: g.rnd.IntN(4) == 0})
	}
	it := g.newItem(alliance.KindSession, s)
	// A session is written in its event's languages.
	it.SourceLang, it.Texts = ev.SourceLang, nil
	for _, t := range ev.Texts {
		it.Texts = append(it.Texts, alliance.Text{Lang: t.Lang})
	}
	g.fill(it, 80, func(lang string) any { return &alliance.SessionText{Room: g.sentence(lang, 2, false)} })
	return it
}

func (g *generator) learning() *alliance.Item {
	first := g.day(2014, 2028)
	l := &alliance.Learning{
		Kind:        g.pick(alliance.LearningKinds),
		Coordinator: g.pick(g.keys[alliance.KindMember]),
		Partners:    g.some(g.keys[alliance.KindMember], 1, 4),
		ECTS:        float64(1 + g.rnd.IntN(10)),
		Languages:   g.some(g.langs, 1, 2),
		Level:       g.pick(alliance.LearningLevels),
		EQF:         5 + g.rnd.IntN(4),
		Seats:       10 + g.rnd.IntN(50),
		Timezone:    g.pick(g.zones),
		ApplyURL:    "https://apply.example.org/" + fmt.Sprint(g.count[alliance.KindLearning]+1),
	}
	virtual := alliance.Span{Start: date(first), End: date(first.AddDate(0, 0, g.rnd.IntN(5)))}
	physStart := first.AddDate(0, 0, 14+g.rnd.IntN(20))
	l.Physical = &alliance.Physical{Start: date(physStart), End: date(physStart.AddDate(0, 0, 4+g.rnd.IntN(8))),
		City: "Meridia", Host: g.pick(g.keys[alliance.KindMember])}
	l.Virtual = []alliance.Span{virtual}
	opens := first.AddDate(0, -4, 0).Add(9 * time.Hour)
	l.Application = &alliance.Window{Opens: dateTime(opens), Deadline: dateTime(opens.AddDate(0, 2, 0))}
	if g.rnd.IntN(3) == 0 {
		l.Challenge = g.pick(g.keys[alliance.KindChallenge])
	}
	it := g.newItem(alliance.KindLearning, l)
	g.fill(it, 400, func(lang string) any {
		return &alliance.LearningText{Outcomes: "- " + g.sentence(lang, 10, true) + "\n- " + g.sentence(lang, 12, true) + "\n",
			Assessment: g.sentence(lang, 12, true), Eligibility: g.sentence(lang, 20, true)}
	})
	return it
}

func (g *generator) call() *alliance.Item {
	opens := g.day(2014, 2028).Add(9 * time.Hour)
	c := &alliance.Call{
		Timezone:  g.pick(g.zones),
		Opens:     dateTime(opens),
		Deadline:  dateTime(opens.AddDate(0, 1+g.rnd.IntN(3), 0).Add(8 * time.Hour)),
		Audiences: g.some(g.keys[alliance.KindAudience], 1, 2),
		Documents: g.some(g.documents, 0, 1),
		ApplyURL:  "https://apply.example.org/calls/" + fmt.Sprint(g.count[alliance.KindCall]+1),
	}
	it := g.newItem(alliance.KindCall, c)
	g.fill(it, 350, nil)
	return it
}

func (g *generator) person() *alliance.Item {
	p := &alliance.Person{Name: title(g.pick(g.words[g.langs[0]])) + " " + title(g.pick(g.words[g.langs[0]])),
		Member: g.pick(g.keys[alliance.KindMember])}
	it := g.newItem(alliance.KindPerson, p)
	for i := range it.Texts {
		it.Texts[i].Fields = mustJSON(&alliance.PersonText{Role: g.sentence(it.Texts[i].Lang, 2, false)})
	}
	g.keys[alliance.KindPerson] = append(g.keys[alliance.KindPerson], it.Key)
	return it
}

// body writes about n words of Markdown in lang: paragraphs, now and then a heading or a list.
func (g *generator) body(lang string, n int) string {
	var b strings.Builder
	for written := 0; written < n; {
		switch r := g.rnd.IntN(10); {
		case r == 0 && written > 0:
			b.WriteString("## " + g.sentence(lang, 3+g.rnd.IntN(4), false) + "\n\n")
		case r == 1:
			for range 3 {
				b.WriteString("- " + g.sentence(lang, 6+g.rnd.IntN(8), true) + "\n")
			}
			b.WriteString("\n")
			written += 30
		default:
			for s := 3 + g.rnd.IntN(4); s > 0; s-- {
				k := 8 + g.rnd.IntN(16)
				b.WriteString(g.sentence(lang, k, true))
				if s > 1 {
					b.WriteString(" ")
				}
				written += k
			}
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// sentence strings k words of lang together, capitalized; with a full stop when stop.
func (g *generator) sentence(lang string, k int, stop bool) string {
	words := g.words[lang]
	if len(words) == 0 {
		words = g.words[g.langs[0]]
	}
	parts := make([]string, k)
	for i := range parts {
		parts[i] = g.pick(words)
	}
	s := title(strings.Join(parts, " "))
	if stop {
		s += "."
	}
	return s
}

func (g *generator) words3(lang string) []string {
	return []string{g.pick(g.words[lang]), g.pick(g.words[lang]), g.pick(g.words[lang])}
}

func (g *generator) pick(from []string) string {
	if len(from) == 0 {
		return ""
	}
	return from[g.rnd.IntN(len(from))]
}

// some picks between lo and hi distinct values of from, in from's order.
func (g *generator) some(from []string, lo, hi int) []string {
	k := min(lo+g.rnd.IntN(hi-lo+1), len(from))
	var out []string
	for _, i := range g.rnd.Perm(len(from))[:k] {
		out = append(out, from[i])
	}
	slices.Sort(out)
	return out
}

// day draws a day between the first of January of from and the last of December of to.
func (g *generator) day(from, to int) time.Time {
	start := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(to+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return start.AddDate(0, 0, g.rnd.IntN(days))
}

func date(t time.Time) alliance.Date { return alliance.Date(t.Format(time.DateOnly)) }

func dateTime(t time.Time) alliance.DateTime { return alliance.DateTime(t.Format("2006-01-02T15:04")) }

func title(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func mustJSON(v any) json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // the kinds' types always marshal
	}
	return data
}
