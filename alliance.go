// Package alliance holds the domain of the platform: the kinds of content an alliance publishes,
// their fields, and the rules every item obeys wherever it comes from (content files, the back
// office, the API). Packages under internal/ store, import, export and render these types.
package alliance

import (
	"encoding/json"
	"errors"
	"time"

	// Venue time zones must resolve on machines without system zoneinfo.
	_ "time/tzdata"
)

// Version is the program's version, set at build time with -ldflags "-X ...alliance.Version=...".
var Version = "dev"

// Kind names a type of content item.
type Kind string

// The kinds of content. Their string values are stored in the database and never change.
const (
	KindMember       Kind = "member"
	KindPerson       Kind = "person"
	KindStory        Kind = "story"
	KindResource     Kind = "resource"
	KindEvent        Kind = "event"
	KindSession      Kind = "session"
	KindLearning     Kind = "learning"
	KindCall         Kind = "call"
	KindPage         Kind = "page"
	KindCategory     Kind = "category"
	KindTheme        Kind = "theme"
	KindResourceType Kind = "resource-type"
	KindAudience     Kind = "audience"
	KindChallenge    Kind = "challenge"
)

// Item is one content item in storage form: language-independent (shared) fields and one Text
// per language. Shared and Text.Fields hold the kind-specific structs (Story, StoryText, …) as JSON,
// so that the store needs one table per concern rather than one per kind.
type Item struct {
	ID         int64
	Kind       Kind
	Key        string
	SourceLang string
	Shared     json.RawMessage
	// Data is Shared decoded into the kind's Go type (KindInfo.NewShared), filled by the store's
	// typed reads (Card, Detail, Edit, Export); nil from the raw reads the public pages use. A
	// save marshals Data into Shared when it is set, so an editor sets Data and nothing else.
	Data    Shared
	Texts   []Text // in the site's language order
	Updated time.Time
	// Revision is the number of the item's latest revision (see Revision), 0 before its first.
	Revision int

	// Derived from Shared by Index when the item is saved; used for listing, filtering and sorting.
	Facets   []Facet
	Starts   time.Time // publication date, start of an event or programme
	Ends     time.Time
	Opens    time.Time // application or call window
	Closes   time.Time
	Position int
	Parent   string // the parent page of a page, the event of a session
	// Image is the item's lead image (a story's image), a media path, so that an item's page
	// reads the image's size with the item's row: ImageWidth and ImageHeight, set by the reads
	// of one item by its slug (BySlug, FrameBySlug), 0 when unknown.
	Image                   string
	ImageWidth, ImageHeight int

	// What keeps an item off the public site: a draft is stored but never shown, and an item
	// with a window is shown from PublishAt (when set) until UnpublishAt (when set).
	Draft                  bool
	PublishAt, UnpublishAt time.Time
}

// Shown reports whether a visitor sees the item at now: it is not a draft and now is within
// its window, which includes PublishAt and excludes UnpublishAt.
func (it *Item) Shown(now time.Time) bool {
	return !it.Draft && (it.PublishAt.IsZero() || !now.Before(it.PublishAt)) &&
		(it.UnpublishAt.IsZero() || now.Before(it.UnpublishAt))
}

// Text is an item's content in one language.
type Text struct {
	Lang    string
	Slug    string
	Title   string
	Summary string
	Body    string // Markdown
	// HTML is Body rendered and sanitized, stored when the text is saved so that pages need not
	// render Markdown on every request.
	HTML   string
	Fields json.RawMessage
	// Data is Fields decoded into the kind's Go type (KindInfo.NewText), filled by the store's
	// typed reads like Item.Data; a save marshals it into Fields when it is set.
	Data any
}

// Text returns the item's text in lang, or nil.
func (it *Item) Text(lang string) *Text {
	for i := range it.Texts {
		if it.Texts[i].Lang == lang {
			return &it.Texts[i]
		}
	}
	return nil
}

// Best returns the text to show a visitor asking for lang: the text in lang when it exists,
// else the source language's, else the first one. fallback reports whether it is not in lang.
func (it *Item) Best(lang string) (t *Text, fallback bool) {
	if t := it.Text(lang); t != nil {
		return t, false
	}
	if t := it.Text(it.SourceLang); t != nil {
		return t, true
	}
	if len(it.Texts) > 0 {
		return &it.Texts[0], true
	}
	return nil, true
}

// Facet is a filterable value of an item: a reference (category=research, member=genil) or an
// enumerated property (kind=bip, level=master, language=fr).
type Facet struct {
	Name  string
	Value string
}

// Media is an uploaded or imported file: an image or a document.
type Media struct {
	Path        string // relative, e.g. "images/stories/x.svg"
	ContentType string
	Size        int64
	SHA256      string // hex
	Data        []byte // when saved from memory; reads leave it empty (see store.MediaReader)
	Updated     time.Time
	// Width and Height are an image's size in CSS pixels, 0 when unknown or not an image.
	Width, Height int
}

// Site holds the settings of the whole site.
type Site struct {
	Name      string            `yaml:"name" json:"name"`
	Languages []string          `yaml:"languages" json:"languages"`
	Tagline   map[string]string `yaml:"tagline,omitempty" json:"tagline,omitempty"`
}

// DefaultLanguage is the first of the site's languages.
func (s *Site) DefaultLanguage() string {
	if len(s.Languages) == 0 {
		return "en"
	}
	return s.Languages[0]
}

// HasLanguage reports whether lang is one of the site's languages.
func (s *Site) HasLanguage(lang string) bool {
	for _, l := range s.Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// ErrNotFound is returned by stores when an item, text or file does not exist.
var ErrNotFound = errors.New("not found")

// ErrUnavailable is returned by stores when the database cannot be reached.
var ErrUnavailable = errors.New("database unavailable")
