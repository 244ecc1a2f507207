package web

import (
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
)

// Structured data: schema.org JSON-LD that search engines read from a detail page's <head>.
//
// Each block is a typed Go value marshalled by encoding/json (templ.JSONScript), which escapes
// <, > and & inside strings, so no text of an item can end the <script> element. The builders
// below take what the page's handler already read and return plain values, so that they can be
// tested without a database. Every URL in a block is absolute, built from the request's base
// as the canonical link is.
//
// Choices (see docs/architecture.md):
//   - a story is a NewsArticle; an event an Event with one subEvent per session; a member a
//     CollegeOrUniversity that is memberOf the alliance; a learning opportunity a Course, or an
//     EducationalOccupationalProgram for the kinds that are whole programmes (a joint master's,
//     a micro-programme); calls, resources and menu pages have only their BreadcrumbList.
//   - mainEntityOfPage names the page with the language of the text it shows, which is not the
//     page's language on a fallback page.
//   - the content model has no event status: every event is EventScheduled.

const schemaOrg = "https://schema.org"

// ldSite is what every block needs of the site.
type ldSite struct {
	Base     string // scheme://host
	Alliance *ldOrg // the alliance: publisher of stories, what members are members of
	// member returns a member university as an Organization with its page's URL; nil for an
	// unknown key.
	member func(key string) *ldOrg
}

// abs makes a site path absolute.
func (s *ldSite) abs(path string) string {
	if path == "" || strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return s.Base + path
}

// mediaURL is the absolute URL of a media file.
func (s *ldSite) mediaURL(p string) string {
	return s.Base + mediaPath(p)
}

type ldOrg struct {
	Context       string     `json:"@context,omitempty"`
	Type          string     `json:"@type"`
	Name          string     `json:"name"`
	AlternateName string     `json:"alternateName,omitempty"`
	Description   string     `json:"description,omitempty"`
	URL           string     `json:"url,omitempty"`
	Logo          *ldImage   `json:"logo,omitempty"`
	Address       *ldAddress `json:"address,omitempty"`
	MemberOf      *ldOrg     `json:"memberOf,omitempty"`
	SameAs        string     `json:"sameAs,omitempty"`
	Page          *ldWebPage `json:"mainEntityOfPage,omitempty"`
}

type ldImage struct {
	Type    string `json:"@type"`
	URL     string `json:"url"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
	Caption string `json:"caption,omitempty"`
}

type ldAddress struct {
	Type            string `json:"@type"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
	AddressCountry  string `json:"addressCountry,omitempty"`
}

// ldWebPage is the page an entity is the main entity of.
type ldWebPage struct {
	Type       string `json:"@type"`
	ID         string `json:"@id"`
	InLanguage string `json:"inLanguage,omitempty"`
}

type ldPerson struct {
	Type        string `json:"@type"`
	Name        string `json:"name"`
	JobTitle    string `json:"jobTitle,omitempty"`
	URL         string `json:"url,omitempty"`
	Affiliation *ldOrg `json:"affiliation,omitempty"`
}

type ldArticle struct {
	Context       string     `json:"@context"`
	Type          string     `json:"@type"`
	Headline      string     `json:"headline"`
	Description   string     `json:"description,omitempty"`
	URL           string     `json:"url"`
	Image         []ldImage  `json:"image,omitempty"`
	DatePublished string     `json:"datePublished"`
	DateModified  string     `json:"dateModified,omitempty"`
	Author        []ldPerson `json:"author,omitempty"`
	Publisher     *ldOrg     `json:"publisher"`
	Section       string     `json:"articleSection,omitempty"`
	Keywords      string     `json:"keywords,omitempty"`
	InLanguage    string     `json:"inLanguage"`
	Page          *ldWebPage `json:"mainEntityOfPage"`
}

// articleIn is what a story's page knows for its NewsArticle.
type articleIn struct {
	URL, Headline, Description string
	Lang                       string // the language of the text shown
	Published, Modified        time.Time
	Image                      *ldImage
	Authors                    []ldPerson
	Section                    string
	Keywords                   []string
}

// personLD is a person as structured data names them: people have no page on the site, so
// their url is their own public page (Person.Website) when they have one, and who they are is
// said by their affiliation: the member university, as a CollegeOrUniversity with its page's
// url, else the free-text affiliation as an Organization with its name alone.
func personLD(s *ldSite, p *alliance.Person, role, affiliation string) ldPerson {
	out := ldPerson{Type: "Person", Name: p.Name, JobTitle: role, URL: p.Website}
	if s.member != nil {
		out.Affiliation = s.member(p.Member)
	}
	if out.Affiliation == nil && affiliation != "" {
		out.Affiliation = &ldOrg{Type: "Organization", Name: affiliation}
	}
	return out
}

// articleLD is a story's NewsArticle.
func articleLD(s *ldSite, in articleIn) *ldArticle {
	a := &ldArticle{Context: schemaOrg, Type: "NewsArticle", Headline: in.Headline, Description: in.Description,
		URL: in.URL, DatePublished: in.Published.Format(time.RFC3339), Author: in.Authors, Publisher: s.Alliance,
		Section: in.Section, Keywords: strings.Join(in.Keywords, ", "), InLanguage: in.Lang,
		Page: &ldWebPage{Type: "WebPage", ID: in.URL, InLanguage: in.Lang}}
	// A story saved before the day it is dated (written ahead) was not modified before it was
	// published.
	if mod := in.Modified; !mod.IsZero() {
		if mod.Before(in.Published) {
			mod = in.Published
		}
		a.DateModified = mod.UTC().Format(time.RFC3339)
	}
	if in.Image != nil {
		a.Image = []ldImage{*in.Image}
	}
	return a
}

type ldEvent struct {
	Context     string     `json:"@context,omitempty"`
	Type        string     `json:"@type"`
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	URL         string     `json:"url,omitempty"`
	Image       []ldImage  `json:"image,omitempty"`
	StartDate   string     `json:"startDate"`
	EndDate     string     `json:"endDate,omitempty"`
	Status      string     `json:"eventStatus,omitempty"`
	Mode        string     `json:"eventAttendanceMode,omitempty"`
	Location    any        `json:"location,omitempty"` // one place or a list of them
	Organizer   []ldOrg    `json:"organizer,omitempty"`
	Performer   []ldPerson `json:"performer,omitempty"`
	Offers      *ldOffer   `json:"offers,omitempty"`
	InLanguage  string     `json:"inLanguage,omitempty"`
	SubEvent    []ldEvent  `json:"subEvent,omitempty"`
	Page        *ldWebPage `json:"mainEntityOfPage,omitempty"`
}

type ldPlace struct {
	Type    string     `json:"@type"`
	Name    string     `json:"name,omitempty"`
	Address *ldAddress `json:"address,omitempty"`
}

type ldVirtual struct {
	Type string `json:"@type"`
	URL  string `json:"url"`
}

type ldOffer struct {
	Type               string `json:"@type"`
	URL                string `json:"url,omitempty"`
	Availability       string `json:"availability,omitempty"`
	AvailabilityStarts string `json:"availabilityStarts,omitempty"`
	AvailabilityEnds   string `json:"availabilityEnds,omitempty"`
}

// eventIn is what an event's page knows for its Event.
type eventIn struct {
	URL, Name, Description string
	Lang                   string // the language of the text shown
	Event                  *alliance.Event
	Venue, Address         string
	RegisterURL            string // only while registration is open
	Image                  *ldImage
	Sessions               []sessionIn
}

// sessionIn is a session of an event's programme.
type sessionIn struct {
	Anchor, Name, Lang string
	Start, End         time.Time
	Room               string
	Livestream         string // a URL, or "" (none yet)
	Performers         []ldPerson
}

// attendanceModes maps the content's attendance to schema.org's.
var attendanceModes = map[string]string{
	"onsite": schemaOrg + "/OfflineEventAttendanceMode",
	"online": schemaOrg + "/OnlineEventAttendanceMode",
	"mixed":  schemaOrg + "/MixedEventAttendanceMode",
}

// eventLD is an event's Event, with its sessions as subEvents.
func eventLD(s *ldSite, in eventIn) *ldEvent {
	ev := in.Event
	loc := ev.Location()
	// An online event's place is its stream; before a session has one, the registration page
	// or the event's own page is where attendees learn how to join.
	online := in.RegisterURL
	for _, se := range in.Sessions {
		if se.Livestream != "" {
			online = se.Livestream
			break
		}
	}
	if online == "" {
		online = in.URL
	}
	place := &ldPlace{Type: "Place", Name: in.Venue}
	if in.Address != "" {
		place.Address = &ldAddress{Type: "PostalAddress", StreetAddress: in.Address}
	}
	if place.Name == "" {
		place.Name = in.Address
	}
	e := &ldEvent{Context: schemaOrg, Type: "Event", Name: in.Name, Description: in.Description, URL: in.URL,
		StartDate: ev.Start.In(loc).Format(time.RFC3339), EndDate: ev.End.In(loc).Format(time.RFC3339),
		Status: schemaOrg + "/EventScheduled", Mode: attendanceModes[ev.Attendance], InLanguage: in.Lang,
		Page: &ldWebPage{Type: "WebPage", ID: in.URL, InLanguage: in.Lang}}
	e.Location = eventLocation(ev.Attendance, place, online)
	if in.Image != nil {
		e.Image = []ldImage{*in.Image}
	}
	if org := s.member(ev.Host); org != nil {
		e.Organizer = []ldOrg{*org}
	} else if s.Alliance != nil {
		e.Organizer = []ldOrg{*s.Alliance}
	}
	if in.RegisterURL != "" {
		e.Offers = &ldOffer{Type: "Offer", URL: in.RegisterURL, Availability: schemaOrg + "/InStock"}
	}
	for _, se := range in.Sessions {
		sub := ldEvent{Type: "Event", Name: se.Name, URL: in.URL + "#" + se.Anchor,
			StartDate: se.Start.Format(time.RFC3339), EndDate: se.End.Format(time.RFC3339),
			Status: e.Status, InLanguage: se.Lang, Performer: se.Performers}
		sp := *place
		if se.Room != "" {
			sp.Name = strings.TrimPrefix(place.Name+", "+se.Room, ", ")
		}
		stream, mode := online, ev.Attendance
		if se.Livestream != "" {
			stream = se.Livestream
			if mode == "onsite" {
				// A session streamed from an on-site event can be followed from anywhere.
				mode = "mixed"
			}
		}
		sub.Location = eventLocation(mode, &sp, stream)
		sub.Mode = attendanceModes[mode]
		e.SubEvent = append(e.SubEvent, sub)
	}
	return e
}

// eventLocation is the location of an event attended in mode: its place, its stream, or both.
func eventLocation(mode string, place *ldPlace, stream string) any {
	virtual := &ldVirtual{Type: "VirtualLocation", URL: stream}
	switch mode {
	case "online":
		return virtual
	case "mixed":
		return []any{place, virtual}
	}
	return place
}

type ldCourse struct {
	Context         string             `json:"@context"`
	Type            string             `json:"@type"`
	Name            string             `json:"name"`
	Description     string             `json:"description,omitempty"`
	URL             string             `json:"url"`
	Provider        *ldOrg             `json:"provider,omitempty"`
	Credits         *ldCredits         `json:"numberOfCredits,omitempty"`
	Level           string             `json:"educationalLevel,omitempty"`
	InLanguage      []string           `json:"inLanguage,omitempty"`
	Instances       []ldCourseInstance `json:"hasCourseInstance,omitempty"`
	ProgramMode     string             `json:"educationalProgramMode,omitempty"`
	ProgramType     string             `json:"programType,omitempty"`
	StartDate       string             `json:"startDate,omitempty"`
	EndDate         string             `json:"endDate,omitempty"`
	ApplicationOpen string             `json:"applicationStartDate,omitempty"`
	Deadline        string             `json:"applicationDeadline,omitempty"`
	MaxEnrollment   int                `json:"maximumEnrollment,omitempty"`
	Offers          *ldOffer           `json:"offers,omitempty"`
	Page            *ldWebPage         `json:"mainEntityOfPage"`
}

// ldCredits is a number of ECTS credits: a QuantitativeValue (a StructuredValue, which
// numberOfCredits accepts) says the unit, which a bare number would not, and holds halves
// (2.5 ECTS) that schema.org's Integer could not.
type ldCredits struct {
	Type  string  `json:"@type"`
	Value float64 `json:"value"`
	Unit  string  `json:"unitText"`
}

type ldCourseInstance struct {
	Type      string   `json:"@type"`
	Mode      string   `json:"courseMode"`
	StartDate string   `json:"startDate,omitempty"`
	EndDate   string   `json:"endDate,omitempty"`
	Location  *ldPlace `json:"location,omitempty"`
}

// learningIn is what a learning opportunity's page knows for its Course.
type learningIn struct {
	URL, Name, Description string
	Lang                   string // the language of the text shown
	Learning               *alliance.Learning
	Level                  string // the level's name in the page's language
	Kind                   string // the kind's name in the page's language
	ApplyURL               string // the page's apply link, when applications are open
}

// programmeKinds are the kinds of learning that are whole programmes of study rather than a
// course: schema.org's EducationalOccupationalProgram, with application dates of its own.
var programmeKinds = map[string]bool{"masters": true, "micro-programme": true}

// learningLD is a learning opportunity's Course or EducationalOccupationalProgram.
func learningLD(s *ldSite, in learningIn) *ldCourse {
	l := in.Learning
	c := &ldCourse{Context: schemaOrg, Type: "Course", Name: in.Name, Description: in.Description, URL: in.URL,
		Provider: s.member(l.Coordinator), Level: in.Level, Page: &ldWebPage{Type: "WebPage", ID: in.URL, InLanguage: in.Lang}}
	if c.Provider == nil {
		c.Provider = s.Alliance
	}
	if l.ECTS > 0 {
		c.Credits = &ldCredits{Type: "QuantitativeValue", Value: l.ECTS, Unit: "ECTS"}
	}
	var offer *ldOffer
	if a := l.Application; a != nil {
		loc := l.Location()
		offer = &ldOffer{Type: "Offer", URL: in.ApplyURL, AvailabilityStarts: a.Opens.In(loc).Format(time.RFC3339),
			AvailabilityEnds: a.Deadline.In(loc).Format(time.RFC3339)}
	} else if in.ApplyURL != "" {
		offer = &ldOffer{Type: "Offer", URL: in.ApplyURL}
	}
	if offer != nil && offer.URL == "" {
		offer.URL = in.URL
	}
	c.Offers = offer
	if programmeKinds[l.Kind] {
		// A programme has no educationalLevel in schema.org: its kind says what it is.
		c.Type, c.Level, c.ProgramType = "EducationalOccupationalProgram", "", in.Kind
		start, end := l.Span()
		c.StartDate, c.EndDate = string(start), string(end)
		c.MaxEnrollment = l.Seats
		switch {
		case l.Physical != nil && len(l.Virtual) > 0:
			c.ProgramMode = "blended"
		case l.Physical != nil:
			c.ProgramMode = "onsite"
		case len(l.Virtual) > 0:
			c.ProgramMode = "online"
		}
		if offer != nil && offer.AvailabilityEnds != "" {
			c.ApplicationOpen = offer.AvailabilityStarts[:len("2006-01-02")]
			c.Deadline = offer.AvailabilityEnds
		}
		// A programme is not a creative work: schema.org gives it no inLanguage.
		return c
	}
	c.InLanguage = l.Languages
	if ph := l.Physical; ph != nil {
		ci := ldCourseInstance{Type: "CourseInstance", Mode: "Onsite", StartDate: string(ph.Start), EndDate: string(ph.End)}
		if ph.City != "" {
			ci.Location = &ldPlace{Type: "Place", Name: ph.City, Address: &ldAddress{Type: "PostalAddress", AddressLocality: ph.City}}
		}
		c.Instances = append(c.Instances, ci)
	}
	for _, v := range l.Virtual {
		c.Instances = append(c.Instances, ldCourseInstance{Type: "CourseInstance", Mode: "Online", StartDate: string(v.Start), EndDate: string(v.End)})
	}
	return c
}

// memberIn is what a member's page knows for its CollegeOrUniversity.
type memberIn struct {
	URL, Name, Description string
	Lang                   string // the language of the text shown
	Member                 *alliance.Member
	City                   string
}

// memberLD is a member university, a member of the alliance.
func memberLD(s *ldSite, in memberIn) *ldOrg {
	m := in.Member
	o := &ldOrg{Context: schemaOrg, Type: "CollegeOrUniversity", Name: in.Name, Description: in.Description,
		URL: in.URL, MemberOf: s.Alliance, Page: &ldWebPage{Type: "WebPage", ID: in.URL, InLanguage: in.Lang}}
	if m.ShortName != "" && m.ShortName != in.Name {
		o.AlternateName = m.ShortName
	}
	if m.Website != "" {
		// The university's own site is the organization's address on the web; this page is
		// about it.
		o.URL, o.SameAs = m.Website, in.URL
	}
	if m.Logo != "" {
		o.Logo = &ldImage{Type: "ImageObject", URL: s.mediaURL(m.Logo)}
	}
	if in.City != "" || m.Country != "" {
		o.Address = &ldAddress{Type: "PostalAddress", AddressLocality: in.City, AddressCountry: m.Country}
	}
	return o
}

type ldBreadcrumbs struct {
	Context string     `json:"@context"`
	Type    string     `json:"@type"`
	Items   []ldListEl `json:"itemListElement"`
}

type ldListEl struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// breadcrumbsLD is the BreadcrumbList of a page's breadcrumbs, ending with the page itself.
func breadcrumbsLD(s *ldSite, crumbs []link, title, canonical string) *ldBreadcrumbs {
	b := &ldBreadcrumbs{Context: schemaOrg, Type: "BreadcrumbList", Items: make([]ldListEl, 0, len(crumbs)+1)}
	for i, c := range crumbs {
		b.Items = append(b.Items, ldListEl{Type: "ListItem", Position: i + 1, Name: c.Title, Item: s.abs(c.Href)})
	}
	b.Items = append(b.Items, ldListEl{Type: "ListItem", Position: len(crumbs) + 1, Name: title, Item: canonical})
	return b
}
