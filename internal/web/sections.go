package web

import (
	"net/http"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// section is one section of the site: a listing of one kind of item, and each item's page
// under it. The routes, the menu, the footer and the listings all come from the sections
// table below; adding a section means adding a row, its two handlers, its slug in every
// language (internal/locale, keyed by id) and its catalogue texts ("section.<id>" and
// "section.<id>_intro"). TestEverySectionIsWholeInEveryLanguage (cmd/alliance) fails when
// one of those is missing.
type section struct {
	// id is the section's language-neutral name: its English slug, the key of its slug in
	// every language and the suffix of its catalogue keys.
	id string
	// kind is the kind of item it lists and whose pages it holds.
	kind alliance.Kind
	// vocabularies are the taxonomies its filters and pages show; they are read with the
	// frame, in the same query, since nearly every page of the section needs them.
	vocabularies []alliance.Kind
	// list serves the listing, /{lang}/{slug}/, its filters read from the query.
	list func(s *Server, w http.ResponseWriter, r *http.Request, rc *request)
	// detail serves an item's page, /{lang}/{slug}/{item slug}/, given the item.
	detail func(s *Server, w http.ResponseWriter, r *http.Request, rc *request, d *store.Detail)
}

// sections are the site's sections, in the order of the menu and the footer. Set once by init,
// since the handlers it names reach it again (through the menu), which a variable's
// initializer may not.
var sections []section

func init() {
	sections = []section{
		{id: "news", kind: alliance.KindStory, vocabularies: []alliance.Kind{alliance.KindCategory},
			list: (*Server).storyList, detail: (*Server).storyPage},
		{id: "events", kind: alliance.KindEvent, vocabularies: []alliance.Kind{alliance.KindAudience, alliance.KindChallenge},
			list: (*Server).eventList, detail: (*Server).eventPage},
		{id: "learn", kind: alliance.KindLearning, vocabularies: []alliance.Kind{alliance.KindChallenge},
			list: (*Server).learningList, detail: (*Server).learningPage},
		{id: "resources", kind: alliance.KindResource, vocabularies: []alliance.Kind{alliance.KindTheme, alliance.KindResourceType, alliance.KindAudience},
			list: (*Server).resourceList, detail: (*Server).resourcePage},
		{id: "calls", kind: alliance.KindCall, vocabularies: []alliance.Kind{alliance.KindAudience},
			list: (*Server).callList, detail: (*Server).callPage},
		{id: "members", kind: alliance.KindMember,
			list: (*Server).memberList, detail: (*Server).memberPage},
	}
}

// homeVocabularies are the taxonomies the home page shows: its stories' categories.
var homeVocabularies = []alliance.Kind{alliance.KindCategory}

// sectionByID returns the section with id, or nil.
func sectionByID(id string) *section {
	for i := range sections {
		if sections[i].id == id {
			return &sections[i]
		}
	}
	return nil
}

// SectionInfo describes a section of the site to other packages: its id (the key of its slug
// in internal/locale and of its catalogue texts) and the kind of item it lists.
type SectionInfo struct {
	ID   string
	Kind alliance.Kind
}

// Sections lists the site's sections in menu order.
func Sections() []SectionInfo {
	out := make([]SectionInfo, len(sections))
	for i, s := range sections {
		out[i] = SectionInfo{ID: s.id, Kind: s.kind}
	}
	return out
}
