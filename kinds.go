package alliance

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// KindInfo describes a kind of content: where its files live, which Go types hold its shared
// and translated fields. The section that lists a kind on the site is internal/web's registry.
type KindInfo struct {
	Kind Kind
	Dir  string // folder in a content directory, e.g. "stories"
	// Titled kinds have title, slug and summary in every text.
	Titled    bool
	NewShared func() Shared
	NewText   func() any
}

// Shared is the language-independent part of an item of some kind.
type Shared interface {
	// Validate reports values that are malformed on their own (dates, enums, URLs).
	Validate(c *Check)
	// Refs lists the other items this one refers to, for reference checks.
	Refs() []Ref
	// Index fills the derived columns of it (facets, dates, position).
	Index(it *Item)
}

// TextValidator is implemented by the shared part of kinds whose translated fields obey rules
// that depend on the shared ones (a story's image needs its alt text in every language).
type TextValidator interface {
	// ValidateText records the problems of text (the kind's NewText type) in c.
	ValidateText(text any, c *Check)
}

// Ref is a reference from a field to another item.
type Ref struct {
	Field string
	Kind  Kind
	Key   string
}

// Kinds lists every kind in the order they are imported and exported: referenced kinds first.
var Kinds = []KindInfo{
	{Kind: KindCategory, Dir: "categories", Titled: true, NewShared: func() Shared { return &Term{} }, NewText: func() any { return &NoText{} }},
	{Kind: KindTheme, Dir: "themes", Titled: true, NewShared: func() Shared { return &Term{} }, NewText: func() any { return &NoText{} }},
	{Kind: KindResourceType, Dir: "resource-types", Titled: true, NewShared: func() Shared { return &Term{} }, NewText: func() any { return &NoText{} }},
	{Kind: KindAudience, Dir: "audiences", Titled: true, NewShared: func() Shared { return &Term{} }, NewText: func() any { return &NoText{} }},
	{Kind: KindChallenge, Dir: "challenges", Titled: true, NewShared: func() Shared { return &Term{} }, NewText: func() any { return &NoText{} }},
	{Kind: KindMember, Dir: "members", Titled: true, NewShared: func() Shared { return &Member{} }, NewText: func() any { return &MemberText{} }},
	{Kind: KindPerson, Dir: "people", NewShared: func() Shared { return &Person{} }, NewText: func() any { return &PersonText{} }},
	{Kind: KindPage, Dir: "pages", Titled: true, NewShared: func() Shared { return &Page{} }, NewText: func() any { return &NoText{} }},
	{Kind: KindStory, Dir: "stories", Titled: true, NewShared: func() Shared { return &Story{} }, NewText: func() any { return &StoryText{} }},
	{Kind: KindResource, Dir: "resources", Titled: true, NewShared: func() Shared { return &Resource{} }, NewText: func() any { return &ResourceText{} }},
	{Kind: KindEvent, Dir: "events", Titled: true, NewShared: func() Shared { return &Event{} }, NewText: func() any { return &EventText{} }},
	{Kind: KindSession, Dir: "sessions", Titled: true, NewShared: func() Shared { return &Session{} }, NewText: func() any { return &SessionText{} }},
	{Kind: KindLearning, Dir: "learning", Titled: true, NewShared: func() Shared { return &Learning{} }, NewText: func() any { return &LearningText{} }},
	{Kind: KindCall, Dir: "calls", Titled: true, NewShared: func() Shared { return &Call{} }, NewText: func() any { return &NoText{} }},
}

// InfoOf returns the description of kind k.
func InfoOf(k Kind) (KindInfo, bool) {
	for _, ki := range Kinds {
		if ki.Kind == k {
			return ki, true
		}
	}
	return KindInfo{}, false
}

// Check collects the problems found while validating one item.
type Check struct {
	Errors []FieldError
}

// Problem names what is wrong with a field, apart from how it is said: the back office shows
// the message of its catalogue's "err."+Problem key in the editor's language, while files, the
// command line and the API say Message in English.
type Problem string

// The problems validation reports. Every one has a message in the back office's catalogues
// (TestEveryProblemHasAMessage).
const (
	ProblemRequired     Problem = "required"      // an empty field that needs a value
	ProblemChoice       Problem = "choice"        // not one of the values a field allows
	ProblemURL          Problem = "url"           // not an absolute http(s) address
	ProblemZone         Problem = "zone"          // not an IANA time zone
	ProblemDate         Problem = "date"          // not a date written YYYY-MM-DD
	ProblemDateTime     Problem = "datetime"      // not a date and time written YYYY-MM-DDTHH:MM
	ProblemEndBefore    Problem = "end_before"    // an end before its start
	ProblemAfter        Problem = "after"         // a deadline or end not after its opening
	ProblemSlug         Problem = "slug"          // not lowercase letters, digits and single hyphens
	ProblemSlugTaken    Problem = "slug_taken"    // the slug of another item of the kind
	ProblemSlugSection  Problem = "slug_section"  // a top-level page's slug that is a section's address
	ProblemLanguage     Problem = "language"      // not an ISO 639-1 code, or not one of the site's languages
	ProblemCountry      Problem = "country"       // not an ISO 3166 two-letter code
	ProblemYear         Problem = "year"          // not a plausible year
	ProblemRange        Problem = "range"         // a number outside what the field allows
	ProblemAlt          Problem = "alt"           // an image without a description
	ProblemBIP          Problem = "bip"           // a Blended Intensive Programme without its two components
	ProblemOverlap      Problem = "overlap"       // a BIP's virtual component overlapping the physical one
	ProblemUnknownRef   Problem = "unknown_ref"   // a reference to an item that does not exist
	ProblemUnknownMedia Problem = "unknown_media" // a media file that does not exist, or a path that cannot be one
	ProblemSelfRef      Problem = "self_ref"      // an item referring to itself
	ProblemText         Problem = "text"          // a byte no text may hold (NUL, invalid UTF-8)
	ProblemMarkdown     Problem = "markdown"      // Markdown past the limits a page can show
	ProblemEmail        Problem = "email"         // not an e-mail address
	ProblemTooLong      Problem = "too_long"      // longer than the field allows
	ProblemDuplicate    Problem = "duplicate"     // given twice
	ProblemFormat       Problem = "format"        // a value of the wrong shape, e.g. a list where a word belongs
	ProblemInvalid      Problem = "invalid"       // anything else: only the English message says what
)

// Problems lists every Problem, for the test that each has a message in every catalogue.
var Problems = []Problem{ProblemRequired, ProblemChoice, ProblemURL, ProblemZone, ProblemDate,
	ProblemDateTime, ProblemEndBefore, ProblemAfter, ProblemSlug, ProblemSlugTaken, ProblemSlugSection,
	ProblemLanguage, ProblemCountry, ProblemYear, ProblemRange, ProblemAlt, ProblemBIP, ProblemOverlap,
	ProblemUnknownRef, ProblemUnknownMedia, ProblemSelfRef, ProblemText, ProblemMarkdown, ProblemEmail,
	ProblemTooLong, ProblemDuplicate, ProblemFormat, ProblemInvalid}

// FieldError is a problem with one field.
type FieldError struct {
	Field   string
	Problem Problem
	// Value is the value refused, when a message should show it ("xx" of an unknown language).
	Value string
	// Message says the problem in English, for files, the command line and the API.
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Add records problem p with field; value is what was refused (or ""), and format and args say
// it in English.
func (c *Check) Add(field string, p Problem, value, format string, args ...any) {
	c.Errors = append(c.Errors, FieldError{Field: field, Problem: p, Value: value, Message: fmt.Sprintf(format, args...)})
}

// Required records a problem when v is empty.
func (c *Check) Required(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.Add(field, ProblemRequired, "", "is required")
	}
}

// OneOf records a problem when v is set and not one of allowed.
func (c *Check) OneOf(field, v string, allowed ...string) {
	if v == "" {
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.Add(field, ProblemChoice, v, "must be one of %s, not %q", strings.Join(allowed, ", "), v)
}

// URL records a problem when v is set and not an absolute http(s) URL.
func (c *Check) URL(field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.Add(field, ProblemURL, v, "must be an absolute http or https URL, not %q", v)
	}
}

// Zone records a problem when v is set and not an IANA time zone; it returns the zone (UTC on error).
func (c *Check) Zone(field, v string) *time.Location {
	if v == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(v)
	if err != nil || v == "Local" {
		c.Add(field, ProblemZone, v, "unknown time zone %q (use an IANA name such as Europe/Bucharest)", v)
		return time.UTC
	}
	return loc
}

var (
	keyPattern      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	langPattern     = regexp.MustCompile(`^[a-z]{2,3}$`)
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	mediaPathBanned = regexp.MustCompile(`(^/|\.\.|\\)`)
)

// ValidKey reports whether s can be an item key or a slug.
func ValidKey(s string) bool { return keyPattern.MatchString(s) }

// Date is a calendar day written 2006-01-02.
type Date string

// Time returns the day at midnight UTC; the zero time when d is empty or malformed.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// In returns the day at midnight in loc.
func (d Date) In(loc *time.Location) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, string(d), loc)
	return t
}

func (d Date) check(c *Check, field string) {
	if d == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, string(d)); err != nil {
		c.Add(field, ProblemDate, string(d), "must be a date written YYYY-MM-DD, not %q", string(d))
	}
}

// DateTime is a wall-clock time, written 2006-01-02T15:04, in the time zone of its item.
type DateTime string

const dateTimeLayout = "2006-01-02T15:04"

// In returns the instant the wall-clock time names in loc; the zero time when dt is malformed.
func (dt DateTime) In(loc *time.Location) time.Time {
	t, _ := time.ParseInLocation(dateTimeLayout, string(dt), loc)
	return t
}

func (dt DateTime) check(c *Check, field string) {
	if dt == "" {
		return
	}
	if _, err := time.Parse(dateTimeLayout, string(dt)); err != nil {
		c.Add(field, ProblemDateTime, string(dt), "must be a date and time written YYYY-MM-DDTHH:MM, not %q", string(dt))
	}
}

// NoText is the translated part of kinds that have nothing beyond title, slug, summary and body.
type NoText struct{}

// Term is a taxonomy term: a story category, resource theme, type or audience, a challenge.
type Term struct {
	Order int `yaml:"order,omitempty" json:"order,omitempty"`
}

func (t *Term) Validate(c *Check) {}
func (t *Term) Refs() []Ref       { return nil }
func (t *Term) Index(it *Item)    { it.Position = t.Order }
func (m *Member) Refs() []Ref     { return nil }
func (m *Member) Index(it *Item)  { it.Position = m.Order; it.Facets = []Facet{{"country", m.Country}} }
func (p *Page) Index(it *Item) {
	it.Position = p.Order
	// The menu tree and page URLs are built from the parent column, without decoding every
	// page's shared fields.
	it.Parent = p.Parent
}
func (p *Person) Index(it *Item)  {}
func (p *Page) Validate(c *Check) {}
func (s *Story) Index(it *Item) {
	it.Starts = s.Date.Time()
	it.Image = s.Image
	it.Facets = []Facet{{"category", s.Category}}
}
func (p *Person) Validate(c *Check) {
	c.Required("name", p.Name)
	c.URL("website", p.Website)
}

// Member is a member university.
type Member struct {
	ShortName string `yaml:"short_name,omitempty" json:"short_name,omitempty"`
	Country   string `yaml:"country,omitempty" json:"country,omitempty"`
	Website   string `yaml:"website,omitempty" json:"website,omitempty"`
	Logo      string `yaml:"logo,omitempty" json:"logo,omitempty"`
	Associate bool   `yaml:"associate,omitempty" json:"associate,omitempty"`
	Order     int    `yaml:"order,omitempty" json:"order,omitempty"`
}

// MemberText is the translated part of a member.
type MemberText struct {
	City string `yaml:"city,omitempty" json:"city,omitempty"`
}

func (m *Member) Validate(c *Check) {
	c.Required("short_name", m.ShortName)
	c.Required("country", m.Country)
	if m.Country != "" && !countryPattern.MatchString(m.Country) {
		c.Add("country", ProblemCountry, m.Country, "must be an ISO 3166 two-letter code such as RO, not %q", m.Country)
	}
	c.URL("website", m.Website)
}

// Person is someone who writes, speaks, moderates or is a contact.
type Person struct {
	Name   string `yaml:"name,omitempty" json:"name,omitempty"`
	Photo  string `yaml:"photo,omitempty" json:"photo,omitempty"`
	Member string `yaml:"member,omitempty" json:"member,omitempty"`
	// Website is a public page about the person (a profile at their university, ORCID): people
	// have no page on the site, so this is what structured data names as theirs.
	Website string `yaml:"website,omitempty" json:"website,omitempty"`
}

// PersonText is the translated part of a person.
type PersonText struct {
	Role        string `yaml:"role,omitempty" json:"role,omitempty"`
	Affiliation string `yaml:"affiliation,omitempty" json:"affiliation,omitempty"`
}

func (p *Person) Refs() []Ref { return refs("member", KindMember, p.Member) }

// Page is a free page in the menu tree.
type Page struct {
	Parent string `yaml:"parent,omitempty" json:"parent,omitempty"`
	Order  int    `yaml:"order,omitempty" json:"order,omitempty"`
}

func (p *Page) Refs() []Ref { return refs("parent", KindPage, p.Parent) }

// Story is a newsroom story.
type Story struct {
	Date     Date     `yaml:"date,omitempty" json:"date,omitempty"`
	Category string   `yaml:"category,omitempty" json:"category,omitempty"`
	Image    string   `yaml:"image,omitempty" json:"image,omitempty"`
	Credit   string   `yaml:"credit,omitempty" json:"credit,omitempty"`
	Authors  []string `yaml:"authors,omitempty" json:"authors,omitempty"`
	Related  []string `yaml:"related,omitempty" json:"related,omitempty"`
}

// StoryText is the translated part of a story.
type StoryText struct {
	Alt     string   `yaml:"alt,omitempty" json:"alt,omitempty"`
	Caption string   `yaml:"caption,omitempty" json:"caption,omitempty"`
	Tags    []string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

func (s *Story) Validate(c *Check) {
	c.Required("date", string(s.Date))
	s.Date.check(c, "date")
	c.Required("category", s.Category)
}

// ValidateText requires the image's alt text in every language when the story has an image:
// people who cannot see it are told what it shows.
func (s *Story) ValidateText(text any, c *Check) {
	if st, ok := text.(*StoryText); ok && s.Image != "" && strings.TrimSpace(st.Alt) == "" {
		c.Add("alt", ProblemAlt, "", "is required when the story has an image: describe it for people who cannot see it")
	}
}

func (s *Story) Refs() []Ref {
	r := refs("category", KindCategory, s.Category)
	r = append(r, refs("authors", KindPerson, s.Authors...)...)
	return append(r, refs("related", KindStory, s.Related...)...)
}

// Resource is an item of the resource library.
type Resource struct {
	Year      int      `yaml:"year,omitempty" json:"year,omitempty"`
	Themes    []string `yaml:"themes,omitempty" json:"themes,omitempty"`
	Types     []string `yaml:"types,omitempty" json:"types,omitempty"`
	Audiences []string `yaml:"audiences,omitempty" json:"audiences,omitempty"`
	Authors   []string `yaml:"authors,omitempty" json:"authors,omitempty"`
	Files     []string `yaml:"files,omitempty" json:"files,omitempty"`
}

// ResourceText is the translated part of a resource.
type ResourceText struct {
	Tags []string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

func (r *Resource) Validate(c *Check) {
	if r.Year < 1900 || r.Year > 2200 {
		c.Add("year", ProblemYear, "", "must be a year such as 2025")
	}
}

func (r *Resource) Refs() []Ref {
	out := refs("themes", KindTheme, r.Themes...)
	out = append(out, refs("types", KindResourceType, r.Types...)...)
	out = append(out, refs("audiences", KindAudience, r.Audiences...)...)
	return append(out, refs("authors", KindPerson, r.Authors...)...)
}

func (r *Resource) Index(it *Item) {
	it.Starts = time.Date(r.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	it.Facets = append(it.Facets, facets("theme", r.Themes)...)
	it.Facets = append(it.Facets, facets("type", r.Types)...)
	it.Facets = append(it.Facets, facets("audience", r.Audiences)...)
}

// Event is a conference, forum, webinar or any dated gathering.
type Event struct {
	Series          string   `yaml:"series,omitempty" json:"series,omitempty"`
	Edition         int      `yaml:"edition,omitempty" json:"edition,omitempty"`
	Host            string   `yaml:"host,omitempty" json:"host,omitempty"`
	Timezone        string   `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	Start           DateTime `yaml:"start,omitempty" json:"start,omitempty"`
	End             DateTime `yaml:"end,omitempty" json:"end,omitempty"`
	Attendance      string   `yaml:"attendance,omitempty" json:"attendance,omitempty"`
	Audiences       []string `yaml:"audiences,omitempty" json:"audiences,omitempty"`
	Challenge       string   `yaml:"challenge,omitempty" json:"challenge,omitempty"`
	RegistrationURL string   `yaml:"registration_url,omitempty" json:"registration_url,omitempty"`
	// Image is the event's lead image (a media path), as a story's: its page, card and link
	// previews show it; its description is each text's Alt.
	Image string `yaml:"image,omitempty" json:"image,omitempty"`
}

// EventText is the translated part of an event.
type EventText struct {
	Theme   string `yaml:"theme,omitempty" json:"theme,omitempty"`
	Venue   string `yaml:"venue,omitempty" json:"venue,omitempty"`
	Address string `yaml:"address,omitempty" json:"address,omitempty"`
	Alt     string `yaml:"alt,omitempty" json:"alt,omitempty"`
}

// Attendance modes of events.
var AttendanceModes = []string{"onsite", "online", "mixed"}

// Location returns the event's time zone (UTC when unset or unknown).
func (e *Event) Location() *time.Location { return loadZone(e.Timezone) }

func (e *Event) Validate(c *Check) {
	c.Required("timezone", e.Timezone)
	c.Zone("timezone", e.Timezone)
	c.Required("start", string(e.Start))
	c.Required("end", string(e.End))
	e.Start.check(c, "start")
	e.End.check(c, "end")
	if e.Start != "" && e.End != "" && e.End < e.Start {
		c.Add("end", ProblemEndBefore, "", "is before start")
	}
	c.Required("attendance", e.Attendance)
	c.OneOf("attendance", e.Attendance, AttendanceModes...)
	c.URL("registration_url", e.RegistrationURL)
}

// ValidateText requires the image's alt text in every language when the event has an image, as
// a story does.
func (e *Event) ValidateText(text any, c *Check) {
	if et, ok := text.(*EventText); ok && e.Image != "" && strings.TrimSpace(et.Alt) == "" {
		c.Add("alt", ProblemAlt, "", "is required when the event has an image: describe it for people who cannot see it")
	}
}

func (e *Event) Refs() []Ref {
	out := refs("host", KindMember, e.Host)
	out = append(out, refs("audiences", KindAudience, e.Audiences...)...)
	return append(out, refs("challenge", KindChallenge, e.Challenge)...)
}

func (e *Event) Index(it *Item) {
	loc := e.Location()
	it.Starts, it.Ends = e.Start.In(loc), e.End.In(loc)
	it.Image = e.Image
	it.Facets = append(facets("member", []string{e.Host}), Facet{"attendance", e.Attendance})
	it.Facets = append(it.Facets, facets("audience", e.Audiences)...)
}

// Session is one part of an event's programme.
type Session struct {
	Event        string      `yaml:"event,omitempty" json:"event,omitempty"`
	Type         string      `yaml:"type,omitempty" json:"type,omitempty"`
	Start        DateTime    `yaml:"start,omitempty" json:"start,omitempty"`
	End          DateTime    `yaml:"end,omitempty" json:"end,omitempty"`
	Speakers     []Speaker   `yaml:"speakers,omitempty" json:"speakers,omitempty"`
	Moderators   []Moderator `yaml:"moderators,omitempty" json:"moderators,omitempty"`
	Participants []string    `yaml:"participants,omitempty" json:"participants,omitempty"`
	Livestream   string      `yaml:"livestream,omitempty" json:"livestream,omitempty"`
}

// Speaker is a person speaking in a session, on site or online.
type Speaker struct {
	Person string `yaml:"person" json:"person"`
	Online bool   `yaml:"online,omitempty" json:"online,omitempty"`
}

// Moderator is a person leading a session in some role.
type Moderator struct {
	Person string `yaml:"person" json:"person"`
	Role   string `yaml:"role,omitempty" json:"role,omitempty"`
}

// SessionText is the translated part of a session.
type SessionText struct {
	Room string `yaml:"room,omitempty" json:"room,omitempty"`
}

// SessionTypes and ModeratorRoles are the allowed values of Session.Type and Moderator.Role.
var (
	SessionTypes   = []string{"keynote", "plenary", "panel", "round-table", "workshop", "talk", "ceremony", "networking", "other"}
	ModeratorRoles = []string{"moderator", "chair", "facilitator", "rapporteur"}
)

// LivestreamSoon is the Livestream value meaning "link coming soon".
const LivestreamSoon = "soon"

func (s *Session) Validate(c *Check) {
	c.Required("event", s.Event)
	c.Required("type", s.Type)
	c.OneOf("type", s.Type, SessionTypes...)
	c.Required("start", string(s.Start))
	c.Required("end", string(s.End))
	s.Start.check(c, "start")
	s.End.check(c, "end")
	if s.Start != "" && s.End != "" && s.End < s.Start {
		c.Add("end", ProblemEndBefore, "", "is before start")
	}
	for _, m := range s.Moderators {
		c.OneOf("moderators", m.Role, ModeratorRoles...)
	}
	if s.Livestream != LivestreamSoon {
		c.URL("livestream", s.Livestream)
	}
}

func (s *Session) Refs() []Ref {
	out := refs("event", KindEvent, s.Event)
	for _, sp := range s.Speakers {
		out = append(out, refs("speakers", KindPerson, sp.Person)...)
	}
	for _, m := range s.Moderators {
		out = append(out, refs("moderators", KindPerson, m.Person)...)
	}
	return append(out, refs("participants", KindPerson, s.Participants...)...)
}

// Index sorts sessions by their wall-clock start; the event's zone is applied when rendering.
func (s *Session) Index(it *Item) {
	it.Starts = s.Start.In(time.UTC)
	it.Ends = s.End.In(time.UTC)
	it.Facets = facets("event", []string{s.Event})
	it.Parent = s.Event
}

// Learning is a learning opportunity of the catalogue.
type Learning struct {
	Kind             string    `yaml:"kind,omitempty" json:"kind,omitempty"`
	Challenge        string    `yaml:"challenge,omitempty" json:"challenge,omitempty"`
	Coordinator      string    `yaml:"coordinator,omitempty" json:"coordinator,omitempty"`
	Partners         []string  `yaml:"partners,omitempty" json:"partners,omitempty"`
	ExternalAlliance string    `yaml:"external_alliance,omitempty" json:"external_alliance,omitempty"`
	Physical         *Physical `yaml:"physical,omitempty" json:"physical,omitempty"`
	Virtual          []Span    `yaml:"virtual,omitempty" json:"virtual,omitempty"`
	ECTS             float64   `yaml:"ects,omitempty" json:"ects,omitempty"`
	Languages        []string  `yaml:"languages,omitempty" json:"languages,omitempty"`
	Level            string    `yaml:"level,omitempty" json:"level,omitempty"`
	EQF              int       `yaml:"eqf,omitempty" json:"eqf,omitempty"`
	Seats            int       `yaml:"seats,omitempty" json:"seats,omitempty"`
	Timezone         string    `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	Application      *Window   `yaml:"application,omitempty" json:"application,omitempty"`
	Contact          string    `yaml:"contact,omitempty" json:"contact,omitempty"`
	ApplyURL         string    `yaml:"apply_url,omitempty" json:"apply_url,omitempty"`
}

// Physical is the on-site component of a learning opportunity.
type Physical struct {
	Start Date   `yaml:"start" json:"start"`
	End   Date   `yaml:"end" json:"end"`
	City  string `yaml:"city,omitempty" json:"city,omitempty"`
	Host  string `yaml:"host,omitempty" json:"host,omitempty"`
}

// Span is a period of days, such as a virtual component.
type Span struct {
	Start Date `yaml:"start" json:"start"`
	End   Date `yaml:"end" json:"end"`
}

// Window is an application window; times are in the item's time zone.
type Window struct {
	Opens    DateTime `yaml:"opens" json:"opens"`
	Deadline DateTime `yaml:"deadline" json:"deadline"`
}

// LearningText is the translated part of a learning opportunity.
type LearningText struct {
	Outcomes    string `yaml:"outcomes,omitempty" json:"outcomes,omitempty"`
	Assessment  string `yaml:"assessment,omitempty" json:"assessment,omitempty"`
	Eligibility string `yaml:"eligibility,omitempty" json:"eligibility,omitempty"`
}

// Kinds of learning opportunity and levels.
var (
	LearningKinds  = []string{"bip", "micro-credential", "micro-programme", "masters", "summer-school", "staff-week", "course"}
	LearningLevels = []string{"bachelor", "master", "doctoral", "staff"}
)

// Location returns the zone of the application window (UTC when unset or unknown).
func (l *Learning) Location() *time.Location { return loadZone(l.Timezone) }

func (l *Learning) Validate(c *Check) {
	c.Required("kind", l.Kind)
	c.OneOf("kind", l.Kind, LearningKinds...)
	c.Required("level", l.Level)
	c.OneOf("level", l.Level, LearningLevels...)
	if len(l.Languages) == 0 {
		c.Add("languages", ProblemRequired, "", "is required")
	}
	for _, lang := range l.Languages {
		if !langPattern.MatchString(lang) {
			c.Add("languages", ProblemLanguage, lang, "%q is not an ISO 639-1 language code", lang)
		}
	}
	if l.EQF != 0 && (l.EQF < 1 || l.EQF > 8) {
		c.Add("eqf", ProblemRange, "", "must be between 1 and 8")
	}
	if l.ECTS < 0 {
		c.Add("ects", ProblemRange, "", "cannot be negative")
	}
	if l.Physical != nil {
		checkSpan(c, "physical", l.Physical.Start, l.Physical.End)
	}
	for _, v := range l.Virtual {
		checkSpan(c, "virtual", v.Start, v.End)
		if l.Physical != nil && v.Start <= l.Physical.End && v.End >= l.Physical.Start {
			c.Add("virtual", ProblemOverlap, "", "%s–%s overlaps the physical component; it must lie before or after it", v.Start, v.End)
		}
	}
	if l.Kind == "bip" {
		if l.Physical == nil {
			c.Add("physical", ProblemBIP, "", "is required for a BIP")
		}
		if len(l.Virtual) == 0 {
			c.Add("virtual", ProblemBIP, "", "a BIP needs at least one virtual component")
		}
	}
	if l.Application != nil {
		c.Required("timezone", l.Timezone)
		l.Application.Opens.check(c, "application")
		l.Application.Deadline.check(c, "application")
		if l.Application.Deadline <= l.Application.Opens {
			c.Add("application", ProblemAfter, "", "deadline must come after opens")
		}
	}
	c.Zone("timezone", l.Timezone)
	c.URL("apply_url", l.ApplyURL)
}

func checkSpan(c *Check, field string, start, end Date) {
	c.Required(field, string(start))
	start.check(c, field)
	end.check(c, field)
	if end < start {
		c.Add(field, ProblemEndBefore, "", "ends (%s) before it starts (%s)", end, start)
	}
}

func (l *Learning) Refs() []Ref {
	out := refs("challenge", KindChallenge, l.Challenge)
	out = append(out, refs("coordinator", KindMember, l.Coordinator)...)
	out = append(out, refs("partners", KindMember, l.Partners...)...)
	if l.Physical != nil {
		out = append(out, refs("physical", KindMember, l.Physical.Host)...)
	}
	return append(out, refs("contact", KindPerson, l.Contact)...)
}

// Span returns the first and last day of the opportunity over all its components.
func (l *Learning) Span() (start, end Date) {
	consider := func(s, e Date) {
		if s != "" && (start == "" || s < start) {
			start = s
		}
		if e != "" && e > end {
			end = e
		}
	}
	if l.Physical != nil {
		consider(l.Physical.Start, l.Physical.End)
	}
	for _, v := range l.Virtual {
		consider(v.Start, v.End)
	}
	return start, end
}

func (l *Learning) Index(it *Item) {
	start, end := l.Span()
	it.Starts, it.Ends = start.Time(), end.Time()
	if l.Application != nil {
		loc := l.Location()
		it.Opens, it.Closes = l.Application.Opens.In(loc), l.Application.Deadline.In(loc)
	}
	it.Facets = []Facet{{"kind", l.Kind}, {"level", l.Level}}
	it.Facets = append(it.Facets, facets("language", l.Languages)...)
	members := append([]string{l.Coordinator}, l.Partners...)
	if l.Physical != nil {
		members = append(members, l.Physical.Host)
	}
	it.Facets = append(it.Facets, facets("member", members)...)
	it.Facets = append(it.Facets, facets("challenge", []string{l.Challenge})...)
}

// Call is a call for proposals.
type Call struct {
	Timezone  string   `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	Opens     DateTime `yaml:"opens,omitempty" json:"opens,omitempty"`
	Deadline  DateTime `yaml:"deadline,omitempty" json:"deadline,omitempty"`
	Audiences []string `yaml:"audiences,omitempty" json:"audiences,omitempty"`
	Documents []string `yaml:"documents,omitempty" json:"documents,omitempty"`
	ApplyURL  string   `yaml:"apply_url,omitempty" json:"apply_url,omitempty"`
}

// Location returns the call's time zone.
func (c *Call) Location() *time.Location { return loadZone(c.Timezone) }

func (cl *Call) Validate(c *Check) {
	c.Required("timezone", cl.Timezone)
	c.Zone("timezone", cl.Timezone)
	c.Required("opens", string(cl.Opens))
	c.Required("deadline", string(cl.Deadline))
	cl.Opens.check(c, "opens")
	cl.Deadline.check(c, "deadline")
	if cl.Opens != "" && cl.Deadline != "" && cl.Deadline <= cl.Opens {
		c.Add("deadline", ProblemAfter, "", "must come after opens")
	}
	c.URL("apply_url", cl.ApplyURL)
}

func (cl *Call) Refs() []Ref { return refs("audiences", KindAudience, cl.Audiences...) }

func (cl *Call) Index(it *Item) {
	loc := cl.Location()
	it.Opens, it.Closes = cl.Opens.In(loc), cl.Deadline.In(loc)
	it.Starts = it.Opens
	it.Facets = facets("audience", cl.Audiences)
}

// Status of a call or application window at an instant.
const (
	StatusUpcoming = "upcoming"
	StatusOpen     = "open"
	StatusClosed   = "closed"
)

// WindowStatus tells whether now is before, inside or after [opens, closes).
func WindowStatus(opens, closes, now time.Time) string {
	switch {
	case now.Before(opens):
		return StatusUpcoming
	case now.Before(closes):
		return StatusOpen
	default:
		return StatusClosed
	}
}

// MediaRefs lists the media files an item's shared fields use, with the field naming each.
func MediaRefs(s Shared) []Ref {
	var out []Ref
	add := func(field string, paths ...string) {
		for _, p := range paths {
			if p != "" {
				out = append(out, Ref{Field: field, Key: p})
			}
		}
	}
	switch v := s.(type) {
	case *Member:
		add("logo", v.Logo)
	case *Person:
		add("photo", v.Photo)
	case *Story:
		add("image", v.Image)
	case *Event:
		add("image", v.Image)
	case *Resource:
		add("files", v.Files...)
	case *Call:
		add("documents", v.Documents...)
	}
	return out
}

// ValidMediaPath reports whether p is a clean relative path usable under /media/.
func ValidMediaPath(p string) bool {
	return p != "" && !mediaPathBanned.MatchString(p) && !strings.HasSuffix(p, "/")
}

func refs(field string, k Kind, keys ...string) []Ref {
	var out []Ref
	for _, key := range keys {
		if key != "" {
			out = append(out, Ref{Field: field, Kind: k, Key: key})
		}
	}
	return out
}

func facets(name string, values []string) []Facet {
	var out []Facet
	for _, v := range values {
		if v != "" {
			out = append(out, Facet{Name: name, Value: v})
		}
	}
	return out
}

func loadZone(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}
