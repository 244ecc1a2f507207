package web

// What the layout (layout.templ) shows that is worked out from the view: the document's title,
// the links to the sections and the footer's lists.

// documentTitle is the <title>: the page's title and the site's name, or the name alone on
// the home page.
func (v *view) documentTitle() string {
	if v.Title == v.Site.Name {
		return v.Site.Name
	}
	return v.Title + " – " + v.Site.Name
}

// uiLang is the lang attribute of the page's own words (labels, dates, links) inside content
// shown in another language; "" when the content is in the page's language.
func (v *view) uiLang() string {
	if v.ContentLang != "" {
		return v.Lang
	}
	return ""
}

// sectionLinks are the links to the registry's sections, in menu order, each marked current
// on its listing and on its items' pages. The menu and the footer show them: made once.
func (v *view) sectionLinks() []link {
	if v.sections != nil {
		return v.sections
	}
	out := make([]link, len(sections))
	for i, s := range sections {
		href := v.sectionURL(v.Lang, s.id)
		cur := v.currentness(href)
		if cur == "" && v.Section == s.id {
			cur = "true" // an item of the section
		}
		out[i] = link{Title: v.L.T("section." + s.id), Href: href, Current: cur}
	}
	v.sections = out
	return out
}

// menuLinks are the top pages of the menu, for the footer.
func (v *view) menuLinks() []link {
	out := make([]link, 0, len(v.Menu))
	for _, e := range v.Menu {
		out = append(out, link{Title: e.Title, Href: e.URL, Lang: e.Lang})
	}
	return out
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
