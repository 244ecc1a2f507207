package web

import (
	"html"
	"html/template"
	"strings"
)

// The frame is the part of every page around its content: the language switcher, the menu and
// the footer. It holds a hundred-odd values, and filling them through html/template's reflection
// cost more than the rest of a page; written here with plain escaping it costs a few
// microseconds. Page content stays in the templates.

func esc(s string) string { return html.EscapeString(s) }

// attrLang returns ` lang="xx"` when lang is set.
func attrLang(lang string) string {
	if lang == "" {
		return ""
	}
	return ` lang="` + esc(lang) + `"`
}

// buildFrame renders the frame's HTML into v.
func (v *view) buildFrame() {
	var b strings.Builder
	b.Grow(4096)

	b.WriteString(`<nav class="langs" aria-label="` + esc(v.L.T("site.languages")) + "\">\n<ul>")
	for _, l := range v.Switcher {
		b.WriteString("\n<li><a href=\"" + esc(l.Href) + `" hreflang="` + esc(l.Lang) + `" lang="` + esc(l.Lang) + `"`)
		if l.Current {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteString(">" + esc(l.Name) + "</a></li>")
	}
	b.WriteString("\n</ul>\n</nav>")
	v.LangNav = template.HTML(b.String())

	b.Reset()
	b.WriteString(`<nav class="menu" aria-label="` + esc(v.L.T("site.menu")) + "\">\n<div class=\"wrap\">\n<ul class=\"menu-pages\">")
	for _, e := range v.Menu {
		b.WriteString("\n<li><a href=\"" + esc(e.URL) + `"`)
		if e.Current {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteString(">" + esc(e.Title) + "</a></li>")
	}
	b.WriteString("\n</ul>\n<ul class=\"menu-sections\">")
	sections := v.sectionLinks()
	for i, s := range sections {
		b.WriteString("\n<li><a href=\"" + esc(s.Href) + `"`)
		if v.Section == sectionNames[i] {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteString(">" + esc(s.Title) + "</a></li>")
	}
	b.WriteString("\n</ul>\n</div>\n</nav>")
	v.MenuNav = template.HTML(b.String())

	b.Reset()
	list := func(id, heading string, links []link) {
		b.WriteString("<section aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id + "\">" + esc(heading) + "</h2>\n<ul>")
		for _, l := range links {
			b.WriteString("\n<li><a href=\"" + esc(l.Href) + `"` + attrLang(l.Lang) + ">" + esc(l.Title) + "</a></li>")
		}
		b.WriteString("\n</ul>\n")
	}
	list("footer-members", v.L.T("site.footer_members"), v.Footer)
	b.WriteString("</section>\n")
	about := make([]link, 0, len(v.Menu))
	for _, e := range v.Menu {
		about = append(about, link{Title: e.Title, Href: e.URL})
	}
	list("footer-about", v.L.T("site.footer_about"), about)
	b.WriteString("</section>\n")
	list("footer-more", v.Site.Name, sections)
	b.WriteString("<p class=\"eu\">" + esc(v.L.T("site.eu_funding")) + "</p>\n</section>")
	v.FooterNav = template.HTML(b.String())
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

// cardHTML writes one card: an item in a listing.
func cardHTML(c card) template.HTML {
	var b strings.Builder
	writeCard(&b, &c)
	return template.HTML(b.String())
}

// cardsHTML writes a list of cards.
func cardsHTML(cs []card) template.HTML {
	var b strings.Builder
	b.Grow(700 * len(cs))
	for i := range cs {
		writeCard(&b, &cs[i])
	}
	return template.HTML(b.String())
}

func writeCard(b *strings.Builder, c *card) {
	b.WriteString("\n<article class=\"card\"" + attrLang(c.Lang) + ">")
	if c.Image != "" {
		b.WriteString("\n<img src=\"" + esc(c.Image) + "\" alt=\"" + esc(c.ImageAlt) + "\" width=\"600\" height=\"338\" loading=\"lazy\" decoding=\"async\">")
	}
	h := "h3"
	if c.H2 {
		h = "h2"
	}
	b.WriteString("\n<div class=\"card-body\">\n<" + h + "><a href=\"" + esc(c.URL) + "\">" + esc(c.Title) + "</a></" + h + ">")
	if c.Date != "" || len(c.Meta) > 0 || c.Badge != "" {
		b.WriteString("\n<p class=\"meta\">")
		if c.Badge != "" {
			b.WriteString("<span class=\"badge " + esc(c.BadgeClass) + "\">" + esc(c.Badge) + "</span> ")
		}
		if c.Date != "" {
			b.WriteString("<time datetime=\"" + esc(c.DateISO) + "\">" + esc(c.Date) + "</time>")
		}
		for _, m := range c.Meta {
			b.WriteString(" <span class=\"tag\">" + esc(m) + "</span>")
		}
		b.WriteString("</p>")
	}
	if c.Summary != "" {
		b.WriteString("\n<p>" + esc(c.Summary) + "</p>")
	}
	b.WriteString("\n</div>\n</article>")
}
