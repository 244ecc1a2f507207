package web

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// resourcePage is the data of a resource's page.
type resourcePage struct {
	Summary   string
	Year      string // a plain year, never grouped ("2025", not "2.025")
	Authors   []itemPerson
	Themes    []itemTerm
	Types     []itemTerm
	Audiences []itemTerm
	Tags      []string
	Body      string // sanitized HTML
	Files     []itemFile
	Other     []card
}

// itemFile is a document attached to an item, shown as a download link with its kind and size.
type itemFile struct {
	Href  string
	Label string // the link text
	Type  string // content type, for the link's type attribute
	Info  string // "PDF, 399 KB"
}

// itemTerm is a taxonomy term shown on an item's page, linking to the listing filtered by it.
type itemTerm struct {
	Title, Href string
}

// resourceVocabularies are the filters of the resource library: query parameter, facet and kind.
var resourceVocabularies = []struct {
	name  string // query parameter and facet
	label string // catalogue key of the filter's label
	kind  alliance.Kind
}{
	{"theme", "filter.theme", alliance.KindTheme},
	{"type", "filter.type", alliance.KindResourceType},
	{"audience", "filter.audience", alliance.KindAudience},
}

// resourceList serves /{lang}/resources/: resources, newest first, filtered by theme, type and
// audience.
func (s *Server) resourceList(w http.ResponseWriter, r *http.Request, rc *request) {
	q := r.URL.Query()
	page, ok := pageNumber(q)
	if !ok {
		s.badRequest(w, r, rc.Lang)
		return
	}
	query := store.Query{Kind: alliance.KindResource, Order: store.Newest, Limit: pageSize, Offset: (page - 1) * pageSize, NoBody: true, Lang: rc.Lang}
	var filters []filter
	for _, v := range resourceVocabularies {
		opts, _, err := s.termOptions(r, rc, v.kind)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		f, val, err := selectFilter(q, v.name, rc.L.T(v.label), rc.L.T("filter.any"), opts)
		if err != nil {
			s.badRequest(w, r, rc.Lang)
			return
		}
		if val != "" {
			query.Facets = append(query.Facets, alliance.Facet{Name: v.name, Value: val})
		}
		filters = append(filters, f)
	}
	s.renderListing(w, r, rc, "resources", query, page, filters, func(it *store.Card) card { return s.resourceCard(rc, it) }, nil)
}

// resourceCard makes the card of a resource: its year, type and themes.
func (s *Server) resourceCard(rc *request, it *store.Card) card {
	t, _ := textOf[alliance.ResourceText](it)
	res := dataOf[alliance.Resource](it)
	c := card{URL: rc.itemURL("resources", it), Title: t.Title, Summary: t.Summary, Lang: langIfOther(t.Lang, rc.Lang)}
	if res.Year > 0 {
		c.Date = strconv.Itoa(res.Year)
		c.DateISO = c.Date
	}
	// Term titles are at hand when the frame loaded the library's vocabularies.
	c.Meta = append(c.Meta, rc.termTitles(alliance.KindResourceType, res.Types)...)
	c.Meta = append(c.Meta, rc.termTitles(alliance.KindTheme, res.Themes)...)
	return c
}

// resourcePage serves /{lang}/resources/{slug}/.
func (s *Server) resourcePage(w http.ResponseWriter, r *http.Request, rc *request, it *store.Detail) {
	ctx := r.Context()
	t, tf := textOf[alliance.ResourceText](&it.Card)
	res := dataOf[alliance.Resource](&it.Card)
	p := &resourcePage{Summary: t.Summary, Body: it.HTML, Tags: tf.Tags}
	if res.Year > 0 {
		p.Year = strconv.Itoa(res.Year)
	}
	base := rc.sectionURL(rc.Lang, "resources")
	for _, v := range resourceVocabularies {
		_, labels, err := s.termOptions(r, rc, v.kind)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		var keys []string
		var dst *[]itemTerm
		switch v.name {
		case "theme":
			keys, dst = res.Themes, &p.Themes
		case "type":
			keys, dst = res.Types, &p.Types
		default:
			keys, dst = res.Audiences, &p.Audiences
		}
		*dst = termLinks(keys, labels, base, v.name)
	}
	if len(res.Authors) > 0 {
		people, err := s.db.CardsByKey(ctx, alliance.KindPerson, rc.Lang, res.Authors...)
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		for _, k := range res.Authors {
			if pp := rc.personOf(people, k); pp != nil {
				p.Authors = append(p.Authors, *pp) // with their role, as the content gives it
			}
		}
	}
	files, err := s.itemFiles(ctx, rc, res.Files, t.Title)
	if err != nil {
		s.fail(w, r, rc.Lang, err)
		return
	}
	p.Files = files
	// Other resources: those sharing a theme, newest first, then the newest of all.
	var other []store.Card
	exclude := []int64{it.ID}
	for _, theme := range res.Themes {
		if len(other) >= 3 {
			break
		}
		more, err := s.db.Cards(ctx, rc.Lang, store.Query{Kind: alliance.KindResource, Facets: []alliance.Facet{{Name: "theme", Value: theme}},
			Exclude: exclude, Order: store.Newest, Limit: 3 - len(other)})
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		for _, m := range more {
			other = append(other, m)
			exclude = append(exclude, m.ID)
		}
	}
	if len(other) < 3 {
		more, err := s.db.Cards(ctx, rc.Lang, store.Query{Kind: alliance.KindResource, Exclude: exclude, Order: store.Newest, Limit: 3 - len(other)})
		if err != nil {
			s.fail(w, r, rc.Lang, err)
			return
		}
		other = append(other, more...)
	}
	for i := range other {
		p.Other = append(p.Other, s.resourceCard(rc, &other[i]))
	}
	v := s.newView(r, rc, t.Title, itemEverywhere("resources", it))
	v.setContent(t.Lang)
	v.Section = "resources"
	v.Description = t.Summary
	v.OGType = "article"
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}, {Title: rc.L.T("section.resources"), Href: base}}
	s.render(w, r, http.StatusOK, v, resourceContent(v, p))
}

// termLinks lists the terms with keys, by their titles in labels, each linking to the listing at
// base filtered by param.
func termLinks(keys []string, labels map[string]string, base, param string) []itemTerm {
	var out []itemTerm
	for _, k := range keys {
		if title := labels[k]; title != "" {
			out = append(out, itemTerm{Title: title, Href: base + "?" + param + "=" + url.QueryEscape(k)})
		}
	}
	return out
}

// termTitles returns the titles of terms of kind loaded with the frame, in the order of keys;
// nothing when the frame did not load that vocabulary.
func (rc *request) termTitles(kind alliance.Kind, keys []string) []string {
	terms := rc.terms[kind]
	if len(terms) == 0 || len(keys) == 0 {
		return nil
	}
	var out []string
	for _, k := range keys {
		for _, term := range terms {
			if term.Key == k {
				if t, _ := term.Best(rc.Lang); t != nil {
					out = append(out, t.Title)
				}
				break
			}
		}
	}
	return out
}

// itemFiles describes the media files at paths as download links. label is the link text of a
// lone file; several files are named by their file names.
func (s *Server) itemFiles(ctx context.Context, rc *request, paths []string, label string) ([]itemFile, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	info, err := s.db.MediaInfo(ctx, paths)
	if err != nil {
		return nil, err
	}
	out := make([]itemFile, 0, len(paths))
	for _, p := range paths {
		m := info[p]
		if m == nil {
			continue // a file removed since the item was saved
		}
		name := path.Base(p)
		if len(paths) == 1 && label != "" {
			name = label
		}
		kind := strings.ToUpper(strings.TrimPrefix(path.Ext(p), "."))
		f := itemFile{Href: mediaPath(p), Label: rc.L.T("resource.download", "title", name),
			Type: m.ContentType, Info: rc.L.FileSize(m.Size)}
		if kind != "" {
			f.Info = kind + ", " + f.Info
		}
		out = append(out, f)
	}
	return out, nil
}
