package web

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/alliance-platform/alliance/internal/locale"
)

// The layout of every page — the <head>, the header with the language switcher and the menu,
// the breadcrumbs and the footer — is written here in Go, straight into the page's buffer. It
// holds a hundred-odd values, and filling them through html/template's reflection cost more
// than the rest of a page; written with plain escaping it costs a few microseconds. A page's
// own content is a template (templates/page-*.html), except the story page, the most read,
// which is written in Go too (stories.go).

// markup writes HTML into a buffer: raw for markup, text for values, which it escapes as
// html.EscapeString does, without allocating. l is the page's locale, for the marker of text
// in another language (foreign).
type markup struct {
	b *bytes.Buffer
	l *locale.Locale
}

func (m markup) raw(s string) markup {
	m.b.WriteString(s)
	return m
}

func (m markup) text(s string) markup {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		default:
			continue
		}
		m.b.WriteString(s[last:i])
		m.b.WriteString(rep)
		last = i + 1
	}
	m.b.WriteString(s[last:])
	return m
}

// lang writes ` lang="xx"` when lang is set.
func (m markup) lang(lang string) markup {
	if lang != "" {
		m.raw(` lang="`).text(lang).raw(`"`)
	}
	return m
}

// link writes <a href="href"[extra]>title</a>, title being in lang when that is set (see foreign).
func (m markup) link(href, lang, extra, title string) markup {
	return m.raw(`<a href="`).text(href).raw(`"`).raw(extra).raw(">").foreign(lang, title).raw("</a>")
}

// foreign writes s, an item's own text (a title) in lang when lang is set: another language
// than the page's, the item having no text in the page's. Only s carries the lang attribute;
// after it comes a marker in the page's language, so that sighted visitors too see that the
// link leads to a text in another language: the language's code, "EN", shown (hidden from
// screen readers, who would spell it), and its name in running text, "(auf Englisch)", for
// screen readers (docs/architecture.md, Choices).
func (m markup) foreign(lang, s string) markup {
	if lang == "" {
		return m.text(s)
	}
	m.raw(`<span lang="`).text(lang).raw(`">`).text(s).raw("</span>")
	return m.langMark(lang)
}

// langMark writes the marker of a text in lang: see foreign.
func (m markup) langMark(lang string) markup {
	in := ""
	if m.l != nil {
		in = m.l.T("lang.in", "language", m.l.LanguageName(lang))
	}
	// A no-break space: the code never wraps onto a line of its own.
	m.raw(`&nbsp;<span class="lang-mark"><span aria-hidden="true"`)
	if in != "" {
		m.raw(` title="`).text(in).raw(`"`)
	}
	m.raw(">").text(strings.ToUpper(lang)).raw("</span>")
	if in != "" {
		m.raw(`<span class="visually-hidden">(`).text(in).raw(")</span>")
	}
	return m.raw("</span>")
}

// writeLayout writes the whole page: the layout around what content writes.
func (v *view) writeLayout(b *bytes.Buffer, content func(*bytes.Buffer) error) error {
	m := markup{b, v.L}
	m.raw("<!DOCTYPE html>\n<html lang=\"").text(v.Lang).raw("\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	v.writeHead(m)
	m.raw("\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">").text(v.L.T("site.skip")).raw("</a>\n" +
		"<header class=\"site-header\">\n<div class=\"wrap bar\">\n<a class=\"brand\" href=\"/").text(v.Lang).
		raw("/\"><img src=\"/static/icon.svg\" alt=\"\" width=\"36\" height=\"36\"><span>").text(v.Site.Name).raw("</span></a>\n")
	v.writeLangNav(m)
	m.raw("\n</div>\n")
	sections := v.sectionLinks() // in the menu and again in the footer
	v.writeMenu(m, sections)
	m.raw("\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<div class=\"wrap\">")
	if len(v.Crumbs) > 0 {
		m.raw("\n<nav class=\"crumbs\" aria-label=\"").text(v.L.T("site.breadcrumb")).raw("\">\n<ol>")
		for _, c := range v.Crumbs {
			m.raw("\n<li>").link(c.Href, c.Lang, "", c.Title).raw("</li>")
		}
		m.raw("\n<li><span aria-current=\"page\"").lang(v.ContentLang).raw(">").text(v.Title).raw("</span></li>\n</ol>\n</nav>")
	}
	if v.Fallback != "" {
		m.raw("\n<p class=\"notice\" role=\"note\">").text(v.Fallback).raw("</p>")
	}
	m.raw("\n")
	if err := content(b); err != nil {
		return err
	}
	m.raw("\n</div>\n</main>\n<footer class=\"site-footer\">\n<div class=\"wrap cols\">\n")
	v.writeFooter(m, sections)
	m.raw("\n</div>\n</footer>\n</body>\n</html>\n")
	return nil
}

// writeHead writes the <head>'s tags: title, description, canonical and hreflang links, Open Graph.
func (v *view) writeHead(m markup) {
	m.raw("<title>")
	if v.Title != v.Site.Name {
		m.text(v.Title).raw(" – ")
	}
	m.text(v.Site.Name).raw("</title>")
	if v.Description != "" {
		m.raw("\n<meta name=\"description\" content=\"").text(v.Description).raw("\">")
	}
	if v.Canonical != "" {
		m.raw("\n<link rel=\"canonical\" href=\"").text(v.Canonical).raw("\">")
	}
	for _, a := range v.Alternates {
		m.raw("\n<link rel=\"alternate\" hreflang=\"").text(a.Lang).raw("\" href=\"").text(a.Href).raw("\">")
	}
	if v.XDefault != "" {
		m.raw("\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"").text(v.XDefault).raw("\">")
	}
	m.raw("\n<link rel=\"stylesheet\" href=\"").text(v.CSS).raw("\">" +
		"\n<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">" +
		"\n<meta property=\"og:site_name\" content=\"").text(v.Site.Name).
		raw("\">\n<meta property=\"og:title\" content=\"").text(v.Title).
		raw("\">\n<meta property=\"og:type\" content=\"").text(v.OGType).
		raw("\">\n<meta property=\"og:locale\" content=\"").text(v.Lang).raw("\">")
	if v.Canonical != "" {
		m.raw("\n<meta property=\"og:url\" content=\"").text(v.Canonical).raw("\">")
	}
	if v.Description != "" {
		m.raw("\n<meta property=\"og:description\" content=\"").text(v.Description).raw("\">")
	}
	if v.OGImage != "" {
		m.raw("\n<meta property=\"og:image\" content=\"").text(v.OGImage).raw("\">")
	}
}

// writeLangNav writes the language switcher.
func (v *view) writeLangNav(m markup) {
	m.raw(`<nav class="langs" aria-label="`).text(v.L.T("site.languages")).raw("\">\n<ul>")
	for _, l := range v.Switcher {
		m.raw("\n<li><a href=\"").text(l.Href).raw(`" hreflang="`).text(l.Lang).raw(`" lang="`).text(l.Lang).raw(`"`)
		if l.Current {
			m.raw(` aria-current="true"`)
		}
		m.raw(">").text(l.Name).raw("</a></li>")
	}
	m.raw("\n</ul>\n</nav>")
}

// writeMenu writes the menu.
//
// The menu is the page tree, two levels deep: each section with its pages beneath it in a
// nested list, which is what screen readers announce as a section and its n items and what
// the style sheet lays out as columns. No part opens on hover: such a menu could not be
// dismissed without script (WCAG 1.4.13), and there is no script. On phones the whole menu
// would push the content a screen down, so it folds into a <details>, which opens without
// script too; on wide screens the style sheet keeps it open and hides the summary.
func (v *view) writeMenu(m markup, sections []link) {
	m.raw(`<nav class="menu" aria-label="`).text(v.L.T("site.menu")).raw("\">\n<details class=\"menu-fold\">\n<summary>").
		text(v.L.T("site.menu_toggle")).raw("</summary>\n<div class=\"wrap\">\n<ul class=\"menu-tree\">")
	for _, e := range v.Menu {
		m.raw("\n<li>")
		v.writeMenuLink(m, "menu-top", e)
		if len(e.Children) > 0 {
			m.raw("\n<ul>")
			for _, c := range e.Children {
				m.raw("\n<li>")
				v.writeMenuLink(m, "", c)
				m.raw("</li>")
			}
			m.raw("\n</ul>\n")
		}
		m.raw("</li>")
	}
	m.raw("\n</ul>\n<ul class=\"menu-sections\">")
	for i, s := range sections {
		cur := v.ariaCurrent(s.Href)
		if cur == "" && v.Section == sectionNames[i] {
			cur = ` aria-current="true"` // an item of the section
		}
		m.raw("\n<li>").link(s.Href, "", cur, s.Title).raw("</li>")
	}
	m.raw("\n</ul>\n</div>\n</details>\n</nav>")
}

// writeFooter writes the footer's lists: the members, the menu's sections, the listings, and
// the legal pages.
func (v *view) writeFooter(m markup, sections []link) {
	list := func(id, heading string, links []link) {
		m.raw("<section aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id + "\">").text(heading).raw("</h2>\n<ul>")
		for _, l := range links {
			m.raw("\n<li>").link(l.Href, l.Lang, "", l.Title).raw("</li>")
		}
		m.raw("\n</ul>\n</section>\n")
	}
	list("footer-members", v.L.T("site.footer_members"), v.Footer)
	about := make([]link, 0, len(v.Menu))
	for _, e := range v.Menu {
		about = append(about, link{Title: e.Title, Href: e.URL, Lang: e.Lang})
	}
	list("footer-about", v.L.T("site.footer_about"), about)
	list("footer-more", v.Site.Name, sections)
	m.raw("<div class=\"footer-end\">")
	if legal := v.footerPages(); len(legal) > 0 {
		m.raw("\n<ul class=\"legal\">")
		for _, l := range legal {
			m.raw("\n<li>").link(l.Href, l.Lang, v.ariaCurrent(l.Href), l.Title).raw("</li>")
		}
		m.raw("\n</ul>")
	}
	m.raw("\n<p class=\"eu\">").text(v.L.T("site.eu_funding")).raw("</p>\n</div>")
}

// writeMenuLink writes a link of the menu tree, marked as the current page or section.
func (v *view) writeMenuLink(m markup, class string, e menuEntry) {
	m.raw("<a")
	if class != "" {
		m.raw(` class="` + class + `"`)
	}
	m.raw(` href="`).text(e.URL).raw(`"`).raw(v.ariaCurrent(e.URL)).raw(">").foreign(e.Lang, e.Title).raw("</a>")
}

// ariaCurrent is the aria-current attribute of a link to url, if any.
func (v *view) ariaCurrent(url string) string {
	if c := v.currentness(url); c != "" {
		return ` aria-current="` + c + `"`
	}
	return ""
}

// footerKeys are the pages linked from every page's footer, where visitors look for them: the
// EU Web Accessibility Directive asks for the accessibility statement to be reachable from
// every page, and the privacy notice customarily sits beside it. The content format has no
// field for this, so the keys are the demo's (a site without such a page simply has no link).
var footerKeys = []string{"accessibility", "privacy"}

func (v *view) footerPages() []link {
	var out []link
	for _, k := range footerKeys {
		p := v.pageByKey[k]
		if p == nil {
			continue
		}
		t, _ := p.Best(v.Lang)
		out = append(out, link{Title: t.Title, Href: v.pageURLIn(v.Lang, k), Lang: langIfOther(t.Lang, v.Lang)})
	}
	return out
}

// sectionNames are the sections in menu order.
var sectionNames = []string{"news", "events", "learn", "resources", "calls", "members"}

func (v *view) sectionLinks() []link {
	out := make([]link, len(sectionNames))
	for i, s := range sectionNames {
		out[i] = link{Title: v.L.T("section." + s), Href: v.sectionURL(v.Lang, s)}
	}
	return out
}

// cardList is what the "cards" template writes: cards, and the page's locale for the marker
// of those in another language.
type cardList struct {
	L     *locale.Locale
	Cards []card
}

// cardsOf is the template function that gives the "cards" template its cardList.
func cardsOf(v *view, cs []card) cardList { return cardList{v.L, cs} }

// cardsHTML writes a list of cards.
func cardsHTML(cl cardList) template.HTML {
	var b bytes.Buffer
	b.Grow(700 * len(cl.Cards))
	for i := range cl.Cards {
		writeCard(markup{&b, cl.L}, &cl.Cards[i])
	}
	return template.HTML(b.String())
}

// writeCard writes one card: an item in a listing. When the item has no text in the page's
// language, its own text (title, image text, summary) carries its lang and the title a
// marker; the date, badge and tags are the page's, in its language.
func writeCard(m markup, c *card) {
	m.raw("\n<article class=\"card\">")
	if c.Image != "" {
		m.raw("\n<img src=\"").text(c.Image).raw("\" alt=\"").text(c.ImageAlt).raw("\"").lang(c.Lang).
			raw(" width=\"600\" height=\"338\" loading=\"lazy\" decoding=\"async\">")
	}
	h := "h3"
	if c.H2 {
		h = "h2"
	}
	m.raw("\n<div class=\"card-body\">\n<"+h+">").link(c.URL, c.Lang, "", c.Title).raw("</" + h + ">")
	if c.Date != "" || len(c.Meta) > 0 || c.Badge != "" {
		m.raw("\n<p class=\"meta\">")
		if c.Badge != "" {
			m.raw("<span class=\"badge ").text(c.BadgeClass).raw("\">").text(c.Badge).raw("</span> ")
		}
		if c.Date != "" {
			m.raw("<time datetime=\"").text(c.DateISO).raw("\">").text(c.Date).raw("</time>")
		}
		for _, x := range c.Meta {
			m.raw(" <span class=\"tag\">").text(x).raw("</span>")
		}
		m.raw("</p>")
	}
	if c.Summary != "" {
		m.raw("\n<p").lang(c.Lang).raw(">").text(c.Summary).raw("</p>")
	}
	m.raw("\n</div>\n</article>")
}
