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
	// One buffer for the four parts, cut into them at the end: a builder reset per part would
	// grow afresh four times per page.
	var b strings.Builder
	b.Grow(16 << 10)
	var cuts [4]int

	// The <head>: title, description, canonical and hreflang links, Open Graph.
	title := v.Site.Name
	if v.Title != v.Site.Name {
		title = v.Title + " – " + v.Site.Name
	}
	b.WriteString("<title>" + esc(title) + "</title>")
	if v.Description != "" {
		b.WriteString("\n<meta name=\"description\" content=\"" + esc(v.Description) + "\">")
	}
	if v.Canonical != "" {
		b.WriteString("\n<link rel=\"canonical\" href=\"" + esc(v.Canonical) + "\">")
	}
	for _, a := range v.Alternates {
		b.WriteString("\n<link rel=\"alternate\" hreflang=\"" + esc(a.Lang) + "\" href=\"" + esc(a.Href) + "\">")
	}
	if v.XDefault != "" {
		b.WriteString("\n<link rel=\"alternate\" hreflang=\"x-default\" href=\"" + esc(v.XDefault) + "\">")
	}
	b.WriteString("\n<link rel=\"stylesheet\" href=\"" + esc(v.CSS) + "\">" +
		"\n<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">" +
		"\n<meta property=\"og:site_name\" content=\"" + esc(v.Site.Name) + "\">" +
		"\n<meta property=\"og:title\" content=\"" + esc(v.Title) + "\">" +
		"\n<meta property=\"og:type\" content=\"" + esc(v.OGType) + "\">" +
		"\n<meta property=\"og:locale\" content=\"" + esc(v.Lang) + "\">")
	if v.Canonical != "" {
		b.WriteString("\n<meta property=\"og:url\" content=\"" + esc(v.Canonical) + "\">")
	}
	if v.Description != "" {
		b.WriteString("\n<meta property=\"og:description\" content=\"" + esc(v.Description) + "\">")
	}
	if v.OGImage != "" {
		b.WriteString("\n<meta property=\"og:image\" content=\"" + esc(v.OGImage) + "\">")
	}
	cuts[0] = b.Len()

	b.WriteString(`<nav class="langs" aria-label="` + esc(v.L.T("site.languages")) + "\">\n<ul>")
	for _, l := range v.Switcher {
		b.WriteString("\n<li><a href=\"" + esc(l.Href) + `" hreflang="` + esc(l.Lang) + `" lang="` + esc(l.Lang) + `"`)
		if l.Current {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteString(">" + esc(l.Name) + "</a></li>")
	}
	b.WriteString("\n</ul>\n</nav>")
	cuts[1] = b.Len()

	// The menu is the page tree, two levels deep: each section with its pages beneath it in a
	// nested list, which is what screen readers announce as a section and its n items and what
	// the style sheet lays out as columns. No part opens on hover: such a menu could not be
	// dismissed without script (WCAG 1.4.13), and there is no script. On phones the whole menu
	// would push the content a screen down, so it folds into a <details>, which opens without
	// script too; on wide screens the style sheet keeps it open and hides the summary.
	b.WriteString(`<nav class="menu" aria-label="` + esc(v.L.T("site.menu")) + "\">\n<details class=\"menu-fold\">\n<summary>" +
		esc(v.L.T("site.menu_toggle")) + "</summary>\n<div class=\"wrap\">\n<ul class=\"menu-tree\">")
	for _, e := range v.Menu {
		b.WriteString("\n<li>")
		v.writeMenuLink(&b, "menu-top", e)
		if len(e.Children) > 0 {
			b.WriteString("\n<ul>")
			for _, c := range e.Children {
				b.WriteString("\n<li>")
				v.writeMenuLink(&b, "", c)
				b.WriteString("</li>")
			}
			b.WriteString("\n</ul>\n")
		}
		b.WriteString("</li>")
	}
	b.WriteString("\n</ul>\n<ul class=\"menu-sections\">")
	sections := v.sectionLinks()
	for i, s := range sections {
		cur := v.ariaCurrent(s.Href)
		if cur == "" && v.Section == sectionNames[i] {
			cur = ` aria-current="true"` // an item of the section
		}
		b.WriteString("\n<li><a href=\"" + esc(s.Href) + `"` + cur + ">" + esc(s.Title) + "</a></li>")
	}
	b.WriteString("\n</ul>\n</div>\n</details>\n</nav>")
	cuts[2] = b.Len()

	list := func(id, heading string, links []link) {
		b.WriteString("<section aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id + "\">" + esc(heading) + "</h2>\n<ul>")
		for _, l := range links {
			b.WriteString("\n<li><a href=\"" + esc(l.Href) + `"` + attrLang(l.Lang) + ">" + esc(l.Title) + "</a></li>")
		}
		b.WriteString("\n</ul>\n</section>\n")
	}
	list("footer-members", v.L.T("site.footer_members"), v.Footer)
	about := make([]link, 0, len(v.Menu))
	for _, e := range v.Menu {
		about = append(about, link{Title: e.Title, Href: e.URL, Lang: e.Lang})
	}
	list("footer-about", v.L.T("site.footer_about"), about)
	list("footer-more", v.Site.Name, sections)
	b.WriteString("<div class=\"footer-end\">")
	if legal := v.footerPages(); len(legal) > 0 {
		b.WriteString("\n<ul class=\"legal\">")
		for _, l := range legal {
			b.WriteString("\n<li><a href=\"" + esc(l.Href) + `"` + attrLang(l.Lang) + v.ariaCurrent(l.Href) + ">" + esc(l.Title) + "</a></li>")
		}
		b.WriteString("\n</ul>")
	}
	b.WriteString("\n<p class=\"eu\">" + esc(v.L.T("site.eu_funding")) + "</p>\n</div>")
	cuts[3] = b.Len()
	all := b.String()
	v.HeadTags = template.HTML(all[:cuts[0]])
	v.LangNav = template.HTML(all[cuts[0]:cuts[1]])
	v.MenuNav = template.HTML(all[cuts[1]:cuts[2]])
	v.FooterNav = template.HTML(all[cuts[2]:cuts[3]])
}

// writeMenuLink writes a link of the menu tree, marked as the current page or section.
func (v *view) writeMenuLink(b *strings.Builder, class string, e menuEntry) {
	b.WriteString("<a")
	if class != "" {
		b.WriteString(` class="` + class + `"`)
	}
	b.WriteString(` href="` + esc(e.URL) + `"` + attrLang(e.Lang) + v.ariaCurrent(e.URL) + ">" + esc(e.Title) + "</a>")
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
