package locale

// Section slugs are keyed by the section's language-neutral id, which is also the English slug
// and the suffix of the "section.*" catalogue keys. The list of sections itself, with what each
// lists and where it sits in the menu, is internal/web's registry (sections.go).

// SectionSlug returns the URL path segment of a section in this language:
// "events" is "evenements" in French and "ekdiloseis" in Greek. Slugs are
// ASCII so URLs stay readable when copied. An unknown section id is returned
// unchanged, so a link is never empty; HasSection tells them apart.
func (l *Locale) SectionSlug(section string) string {
	if slug, ok := l.d.slugs[section]; ok {
		return slug
	}
	return section
}

// HasSection reports whether this language has a slug for the section id.
func (l *Locale) HasSection(section string) bool {
	_, ok := l.d.slugs[section]
	return ok
}

// SectionBySlug maps a URL path segment of this language back to its
// section id. Only this language's slugs match: the router can redirect
// other languages' slugs itself.
func (l *Locale) SectionBySlug(slug string) (section string, ok bool) {
	section, ok = l.bySlug[slug]
	return section, ok
}
