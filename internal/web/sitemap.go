package web

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// Sitemaps (sitemaps.org 0.9, with xhtml:link hreflang alternates): /sitemap.xml lists every
// page of the site in every language it exists in; past one file's limits it is an index of
// /sitemap-1.xml, /sitemap-2.xml …
//
// The site's pages come in groups: a page and its translations (at most one URL per language).
// The frame's groups come first (each language's home, each section's listing, the menu pages,
// the member universities: read whole, they are few), then the items of the sections, read
// from the store by id in batches (store.DB.SitemapItems), so that a part is written as it is
// read and no more than a batch is held in memory however large the site. A part holds as many
// groups as keep it within both limits however many languages each group has: maxURLs / the
// site's languages, and maxBytes / the largest a group can be (sitemapGroupBytes).

// Limits of one sitemap file (sitemaps.org).
const (
	sitemapMaxURLs  = 50000
	sitemapMaxBytes = 50 << 20
)

// sitemapSlugBytes is the room counted for a URL in a group's worst size: far beyond the
// site's addresses (a slug is a title's words, lowercased).
const sitemapSlugBytes = 300

var xmlContentType = []string{"application/xml; charset=utf-8"}

// sitemapKinds are the kinds of the sections' item pages, with their sections.
var sitemapKinds = func() (kinds []alliance.Kind) {
	for _, s := range sections {
		if s.kind != alliance.KindMember { // members are the frame's
			kinds = append(kinds, s.kind)
		}
	}
	return kinds
}

// sitemapGroup is a page and its translations: the URL path in each language it exists in.
type sitemapGroup struct {
	langs, paths []string
	updated      time.Time
}

// sitemap is what a request for a sitemap knows of the site.
type sitemap struct {
	site     *alliance.Site
	base     string
	frame    []sitemapGroup
	items    int // the sections' items the site shows
	perPart  int // groups per part
	sections map[alliance.Kind]string
}

func (m *sitemap) groups() int { return len(m.frame) + m.items }

// parts is how many numbered sitemaps there are: 0 when /sitemap.xml holds everything.
func (m *sitemap) parts() int {
	if m.groups() <= m.perPart {
		return 0
	}
	return (m.groups() + m.perPart - 1) / m.perPart
}

func (s *Server) loadSitemap(r *http.Request) (*sitemap, error) {
	ctx := r.Context()
	site, err := s.db.Site(ctx)
	if err != nil {
		return nil, err
	}
	m := &sitemap{site: site, base: s.baseURL(r), sections: map[alliance.Kind]string{}}
	for _, sec := range sections {
		m.sections[sec.kind] = sec.id
	}
	langs := site.Languages
	home := sitemapGroup{}
	for _, l := range langs {
		home.langs, home.paths = append(home.langs, l), append(home.paths, "/"+l+"/")
	}
	m.frame = append(m.frame, home)
	rc := &request{Site: site}
	for _, sec := range sections {
		g := sitemapGroup{}
		for _, l := range langs {
			g.langs, g.paths = append(g.langs, l), append(g.paths, rc.sectionURL(l, sec.id))
		}
		m.frame = append(m.frame, g)
	}
	outline, err := s.db.MenuTexts(ctx)
	if err != nil {
		return nil, err
	}
	rc.setFrame(outline)
	for _, it := range outline {
		g := sitemapGroup{updated: it.Updated}
		for _, l := range langs {
			t := it.Text(l)
			if t == nil || t.Slug == "" {
				continue
			}
			p := slugURL(l, "members", t.Slug)
			if it.Kind == alliance.KindPage {
				p = rc.pageURLIn(l, it.Key)
			}
			g.langs, g.paths = append(g.langs, l), append(g.paths, p)
		}
		if len(g.langs) > 0 {
			m.frame = append(m.frame, g)
		}
	}
	if m.items, err = s.db.SitemapCount(ctx, sitemapKinds()); err != nil {
		return nil, err
	}
	n := max(1, len(langs))
	// The largest a group can be: a <url> per language, each with a link per language and
	// x-default.
	groupBytes := n * (120 + len(m.base) + sitemapSlugBytes + (n+1)*(60+len(m.base)+sitemapSlugBytes))
	m.perPart = max(1, min(int(s.sitemapMaxURLs.Load())/n, int(s.sitemapMaxBytes.Load())/groupBytes))
	return m, nil
}

// SetSitemapLimits sets the most URLs and bytes one sitemap file holds (sitemaps.org's 50,000
// and 50 MB by default); a test sets small ones to see the index and its parts.
func (s *Server) SetSitemapLimits(urls, bytes int) {
	s.sitemapMaxURLs.Store(int64(urls))
	s.sitemapMaxBytes.Store(int64(bytes))
}

// handleSitemap serves /sitemap.xml: the whole sitemap, or the index of its parts.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	s.serveSitemap(w, r, 0)
}

// sitemapPart reads the part number of "sitemap-N.xml".
func sitemapPart(name string) (int, bool) {
	num, ok := strings.CutPrefix(name, "sitemap-")
	if !ok {
		return 0, false
	}
	num, ok = strings.CutSuffix(num, ".xml")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 || strconv.Itoa(n) != num {
		return 0, false
	}
	return n, true
}

// serveSitemap serves /sitemap.xml (part 0) or /sitemap-N.xml.
func (s *Server) serveSitemap(w http.ResponseWriter, r *http.Request, part int) {
	key := s.pageKey(r)
	if notModified(w, r, key, false) {
		return
	}
	m, err := s.loadSitemap(r)
	if err != nil {
		s.fail(w, r, "en", err)
		return
	}
	parts := m.parts()
	if part > parts {
		s.handleUnknown(w, r)
		return
	}
	h := w.Header()
	h["Content-Type"] = xmlContentType
	h["Cache-Control"] = noCache
	h["Vary"] = varyEncoding
	h["ETag"] = []string{key.etag(acceptsGzip(r))}
	var out io.Writer = w
	if acceptsGzip(r) {
		h["Content-Encoding"] = gzipEncoding
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(w)
		defer func() { zw.Close(); gzipPool.Put(zw) }()
		out = zw
	}
	bw := bufio.NewWriterSize(out, 32<<10)
	defer bw.Flush()
	if r.Method == http.MethodHead {
		return
	}
	if part == 0 && parts > 0 {
		err = m.writeIndex(bw, parts)
	} else {
		from, to := 0, m.groups()
		if part > 0 {
			from, to = (part-1)*m.perPart, min(part*m.perPart, m.groups())
		}
		err = s.writeURLSet(r.Context(), bw, m, from, to)
	}
	if err != nil {
		// The status is sent: the truncated document fails to parse, which is what a reader
		// of a broken sitemap should see.
		s.log.Error("sitemap", "part", part, "err", err)
	}
}

// The sitemaps.org 0.9 elements of a <url>, with the xhtml:link of alternates, whose prefix is
// written literally and declared on the urlset.
var (
	sitemapURLStart     = xml.StartElement{Name: xml.Name{Local: "url"}}
	sitemapLocStart     = xml.StartElement{Name: xml.Name{Local: "loc"}}
	sitemapLastModStart = xml.StartElement{Name: xml.Name{Local: "lastmod"}}
)

type sitemapRef struct {
	XMLName xml.Name `xml:"sitemap"`
	Loc     string   `xml:"loc"`
}

const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	xhtmlNS   = "http://www.w3.org/1999/xhtml"
)

func (m *sitemap) writeIndex(w *bufio.Writer, parts int) error {
	w.WriteString(xml.Header)
	enc := xml.NewEncoder(w)
	start := xml.StartElement{Name: xml.Name{Local: "sitemapindex"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: sitemapNS}}}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	for i := 1; i <= parts; i++ {
		if err := enc.Encode(sitemapRef{Loc: m.base + "/sitemap-" + strconv.Itoa(i) + ".xml"}); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(start.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err := w.WriteString("\n")
	return err
}

// writeURLSet writes the groups from…to (frame first, then items) as a urlset.
func (s *Server) writeURLSet(ctx context.Context, w *bufio.Writer, m *sitemap, from, to int) error {
	w.WriteString(xml.Header)
	enc := xml.NewEncoder(w)
	start := xml.StartElement{Name: xml.Name{Local: "urlset"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "xmlns"}, Value: sitemapNS}, {Name: xml.Name{Local: "xmlns:xhtml"}, Value: xhtmlNS}}}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	def := m.site.DefaultLanguage()
	// Written token by token rather than with Encode's reflection per <url>: a sitemap part
	// is tens of thousands of elements, and this is most of its time.
	var err error
	tok := func(t xml.Token) {
		if err == nil {
			err = enc.EncodeToken(t)
		}
	}
	var loc []byte
	link := xml.StartElement{Name: xml.Name{Local: "xhtml:link"}, Attr: make([]xml.Attr, 3)}
	link.Attr[0] = xml.Attr{Name: xml.Name{Local: "rel"}, Value: "alternate"}
	link.Attr[1].Name.Local, link.Attr[2].Name.Local = "hreflang", "href"
	alternate := func(lang, href string) {
		link.Attr[1].Value, link.Attr[2].Value = lang, href
		tok(link)
		tok(link.End())
	}
	var abs []string // the group's absolute URLs, made once for its every <url>
	write := func(g *sitemapGroup) error {
		lastmod := ""
		if !g.updated.IsZero() {
			lastmod = g.updated.UTC().Format(time.RFC3339)
		}
		xdef := 0
		for i, l := range g.langs {
			if l == def {
				xdef = i
			}
		}
		abs = abs[:0]
		for _, p := range g.paths {
			abs = append(abs, m.base+p)
		}
		for i := range g.langs {
			tok(sitemapURLStart)
			tok(sitemapLocStart)
			loc = append(loc[:0], abs[i]...)
			tok(xml.CharData(loc))
			tok(sitemapLocStart.End())
			if lastmod != "" {
				tok(sitemapLastModStart)
				tok(xml.CharData(lastmod))
				tok(sitemapLastModStart.End())
			}
			for j, l := range g.langs {
				alternate(l, abs[j])
			}
			alternate("x-default", abs[xdef])
			tok(sitemapURLStart.End())
		}
		return err
	}
	for i := from; i < min(to, len(m.frame)); i++ {
		if err := write(&m.frame[i]); err != nil {
			return err
		}
	}
	if to > len(m.frame) {
		offset := max(0, from-len(m.frame))
		limit := to - max(from, len(m.frame))
		langs := m.site.Languages
		var g sitemapGroup
		err = s.db.SitemapItems(ctx, sitemapKinds(), offset, limit, func(e *store.SitemapEntry) error {
			g.langs, g.paths, g.updated = g.langs[:0], g.paths[:0], e.Updated
			section := m.sections[e.Kind]
			// In the site's order of languages, as the pages' own alternates are.
			for _, l := range langs {
				for i, tl := range e.Langs {
					if tl == l {
						g.langs, g.paths = append(g.langs, l), append(g.paths, slugURL(l, section, e.Slugs[i]))
					}
				}
			}
			return write(&g)
		})
		if err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(start.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err = w.WriteString("\n")
	return err
}
