package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
)

var errUnknownLanguage = errors.New("unknown language")

// request is what every page handler knows about the request it serves: the visitor's language,
// the site's settings and the pages of the menu.
type request struct {
	Lang     string
	L        *locale.Locale
	Site     *alliance.Site
	Base     string  // scheme://host, without a trailing slash
	cacheKey pageKey // the page cache's key for this response; zero when it is not to be kept

	pages   []*alliance.Item
	members []*alliance.Item // for the footer
	// terms holds the taxonomies loaded with the frame, by kind, for the section being served.
	terms     map[alliance.Kind][]*alliance.Item
	pageByKey map[string]*alliance.Item

	named *namedItem // the item the URL names, on a detail page
	// preview is set when the page shows an editor's preview of an unpublished item or
	// revision (preview.go): the layout shows its banner.
	preview *previewBanner
}

// namedItem is the item a detail URL names, read with the frame in one query (see newRequest).
type namedItem struct {
	kind    alliance.Kind
	slug    string
	item    *store.Detail // nil when no item of kind has the slug
	matched string        // the language of the text whose slug the URL has
}

func (s *Server) newRequest(r *http.Request, lang string, n *namedItem, extra ...alliance.Kind) (*request, error) {
	// One query: the site's settings and its outline in lang (menu pages, members, terms), and
	// on a detail page the item its URL names.
	var site *alliance.Site
	var outline []*alliance.Item
	var err error
	if n != nil {
		site, outline, n.item, n.matched, err = s.db.FrameDetail(r.Context(), lang, frameKinds(extra), n.kind, n.slug)
	} else {
		site, outline, err = s.db.Frame(r.Context(), lang, frameKinds(extra)...)
	}
	if err != nil {
		return nil, err
	}
	s.rememberSite(site)
	if !site.HasLanguage(lang) {
		return nil, errUnknownLanguage
	}
	l, ok := locale.Get(lang)
	if !ok {
		return nil, errUnknownLanguage
	}
	rc := &request{Lang: lang, L: l, Site: site, Base: s.baseURL(r), named: n}
	rc.setFrame(outline)
	return rc, nil
}

// frameKinds are the kinds of the outline a page needs: pages and members, and the vocabularies
// of its section.
func frameKinds(extra []alliance.Kind) []alliance.Kind {
	return append([]alliance.Kind{alliance.KindPage, alliance.KindMember}, extra...)
}

// loadPages loads the menu pages with their texts in every language, which a menu page needs
// for its links to its translations (the outline holds only the visitor's language and the
// source languages).
func (s *Server) loadPages(r *http.Request, rc *request) error {
	items, err := s.db.MenuTexts(r.Context())
	if err != nil {
		return err
	}
	rc.setFrame(items)
	return nil
}

// setFrame sorts the items of the frame into pages, members and terms.
func (rc *request) setFrame(items []*alliance.Item) {
	var pages []*alliance.Item
	rc.members = rc.members[:0]
	for _, it := range items {
		switch it.Kind {
		case alliance.KindPage:
			pages = append(pages, it)
		case alliance.KindMember:
			rc.members = append(rc.members, it)
		default:
			if rc.terms == nil {
				rc.terms = map[alliance.Kind][]*alliance.Item{}
			}
			rc.terms[it.Kind] = append(rc.terms[it.Kind], it)
		}
	}
	rc.pages = pages
	rc.pageByKey = make(map[string]*alliance.Item, len(pages))
	for _, p := range pages {
		rc.pageByKey[p.Key] = p
	}
}

// isHTTPS reports whether the visitor reached the site over https, directly or through a proxy.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	scheme := "http"
	if isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// sectionURL is the URL of a section's listing in lang.
func (rc *request) sectionURL(lang, section string) string {
	return "/" + lang + "/" + locale.MustGet(lang).SectionSlug(section) + "/"
}

// itemURL is the URL of the page, in the visitor's language, of an item shown as c.
func (rc *request) itemURL(section string, c *store.Card) string {
	slug := ""
	if c.Text != nil {
		slug = c.Text.Slug
	}
	return slugURL(rc.Lang, section, slug)
}

// detailURLIn is the URL of an item's page in lang: the slug of its text in lang, or of the
// text shown instead when it has none.
func detailURLIn(lang, section string, d *store.Detail) string {
	slug, _ := d.SlugIn(lang)
	return slugURL(lang, section, slug)
}

// entryURL is the URL of the page, in the visitor's language, of an entry of the outline (a
// member university).
func (rc *request) entryURL(section string, it *alliance.Item) string {
	t, _ := it.Best(rc.Lang)
	slug := ""
	if t != nil {
		slug = t.Slug
	}
	return slugURL(rc.Lang, section, slug)
}

// slugURL is the URL in lang of the item of section with slug.
func slugURL(lang, section, slug string) string {
	// One concatenation, one string: a page makes some thirty of these.
	return "/" + lang + "/" + locale.MustGet(lang).SectionSlug(section) + "/" + slug + "/"
}

// pageURLIn is the URL of a menu page in lang: the chain of its ancestors' slugs.
func (rc *request) pageURLIn(lang string, key string) string {
	var chain [10]string // the slugs from the page up; the menu is two levels deep
	n, size := 0, len(lang)+2
	for k := key; k != "" && n < len(chain); n++ {
		p := rc.pageByKey[k]
		if p == nil {
			break
		}
		t, _ := p.Best(lang)
		chain[n] = t.Slug
		size += len(t.Slug) + 1
		k = p.Parent
	}
	// Built in one allocation: the menu and the footer make a URL for every menu page.
	var b strings.Builder
	b.Grow(size)
	b.WriteString("/")
	b.WriteString(lang)
	b.WriteString("/")
	for i := n - 1; i >= 0; i-- {
		b.WriteString(chain[i])
		b.WriteString("/")
	}
	return b.String()
}

// children returns the pages under parent ("" for the top level), in menu order.
func (rc *request) children(parent string) []*alliance.Item {
	var out []*alliance.Item
	for _, p := range rc.pages {
		if p.Parent == parent {
			out = append(out, p) // the outline holds pages by position, then key
		}
	}
	return out
}
