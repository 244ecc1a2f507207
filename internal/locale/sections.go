package locale

// Sections lists the site's sections by their language-neutral id, which is
// also the English slug and the suffix of the "section.*" catalogue keys.
// Exported for routers to range over; the package keeps its own copy.
var Sections = []string{"news", "resources", "events", "learn", "calls", "members"}

// sections is the package's private copy of Sections; data.go's slug tables
// follow its order.
var sections = append([]string(nil), Sections...)

// SectionSlug returns the URL path segment of a section in this language:
// "events" is "evenements" in French and "ekdiloseis" in Greek. Slugs are
// ASCII so URLs stay readable when copied. An unknown section id is returned
// unchanged, so a link is never empty.
func (l *Locale) SectionSlug(section string) string {
	for i, s := range sections {
		if s == section {
			return l.d.slugs[i]
		}
	}
	return section
}

// SectionBySlug maps a URL path segment of this language back to its
// section id. Only this language's slugs match: the router can redirect
// other languages' slugs itself.
func (l *Locale) SectionBySlug(slug string) (section string, ok bool) {
	section, ok = l.bySlug[slug]
	return section, ok
}
