package web

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/alliance-platform/alliance"
)

// testLD is a site with two member universities.
func testLD() *ldSite {
	members := map[string]*ldOrg{
		"genil":    {Type: "CollegeOrUniversity", Name: "University of the Genil", URL: "https://site.example/en/members/genil/"},
		"felsinea": {Type: "CollegeOrUniversity", Name: "Felsinea University", URL: "https://site.example/en/members/felsinea/"},
	}
	return &ldSite{Base: "https://site.example",
		Alliance: &ldOrg{Type: "Organization", Name: "Meridia", URL: "https://site.example/en/",
			Logo: &ldImage{Type: "ImageObject", URL: "https://site.example/static/logo.png", Width: 512, Height: 512}},
		member: func(key string) *ldOrg { return members[key] }}
}

// asMap marshals v as the page writes it and reads it back as a parser would.
func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// at reads a value by path through maps and lists: "location.0.@type".
func at(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// checkProps compares the values at paths; a nil want means the property must be absent.
func checkProps(t *testing.T, m map[string]any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		got := at(m, path)
		if w == nil {
			if got != nil {
				t.Errorf("%s = %v, want none", path, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", path, got, w)
		}
	}
}

func TestArticleLD(t *testing.T) {
	published := time.Date(2026, 9, 24, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   articleIn
		want map[string]any
	}{
		{name: "with image, authors and tags",
			in: articleIn{URL: "https://site.example/fr/actualites/x/", Headline: "Semaines d'accueil", Description: "Résumé", Lang: "fr",
				Published: published, Modified: published.Add(48 * time.Hour),
				Image:   &ldImage{Type: "ImageObject", URL: "https://site.example/media/a.jpg", Width: 1200, Height: 675},
				Authors: []ldPerson{{Type: "Person", Name: "Sofia Berg", Affiliation: testLD().member("genil")}},
				Section: "Vie de campus", Keywords: []string{"accueil", "logement"}},
			want: map[string]any{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Semaines d'accueil",
				"datePublished": "2026-09-24T00:00:00Z", "dateModified": "2026-09-26T00:00:00Z", "inLanguage": "fr",
				"image.0.url": "https://site.example/media/a.jpg", "image.0.width": 1200.0,
				"author.0.@type": "Person", "author.0.name": "Sofia Berg", "author.0.affiliation.url": "https://site.example/en/members/genil/",
				"publisher.@type": "Organization", "publisher.name": "Meridia", "publisher.logo.url": "https://site.example/static/logo.png",
				"mainEntityOfPage.@id": "https://site.example/fr/actualites/x/", "mainEntityOfPage.inLanguage": "fr",
				"articleSection": "Vie de campus", "keywords": "accueil, logement"}},
		{name: "without image or authors, saved before its date",
			in: articleIn{URL: "https://site.example/en/news/y/", Headline: "Y", Lang: "en", Published: published, Modified: published.Add(-time.Hour)},
			want: map[string]any{"image": nil, "author": nil, "description": nil, "keywords": nil,
				"dateModified": "2026-09-24T00:00:00Z", "publisher.name": "Meridia"}},
		{name: "a fallback page names the language of the text shown",
			in:   articleIn{URL: "https://site.example/el/nea/z/", Headline: "Z", Lang: "en", Published: published},
			want: map[string]any{"inLanguage": "en", "mainEntityOfPage.inLanguage": "en", "dateModified": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProps(t, asMap(t, articleLD(testLD(), tt.in)), tt.want)
		})
	}
}

func TestEventLD(t *testing.T) {
	base := func(attendance string) *alliance.Event {
		return &alliance.Event{Host: "genil", Timezone: "Europe/Madrid", Start: "2027-03-03T09:30", End: "2027-03-04T17:00", Attendance: attendance}
	}
	madrid, _ := time.LoadLocation("Europe/Madrid")
	session := sessionIn{Anchor: "keynote", Name: "Keynote", Lang: "es", Start: time.Date(2027, 3, 3, 9, 30, 0, 0, madrid),
		End: time.Date(2027, 3, 3, 10, 30, 0, 0, madrid), Room: "Aula magna", Performers: []ldPerson{{Type: "Person", Name: "Inés Navarro"}}}
	streamed := session
	streamed.Livestream = "https://stream.example/keynote"
	url := "https://site.example/es/eventos/foro/"
	tests := []struct {
		name string
		in   eventIn
		want map[string]any
	}{
		{name: "on site, with a venue, registration and a session",
			in: eventIn{URL: url, Name: "Foro", Lang: "es", Event: base("onsite"), Venue: "Auditorio", Address: "Paseo del Violón 4, Granada",
				RegisterURL: "https://register.example/foro", Sessions: []sessionIn{session}},
			want: map[string]any{"@type": "Event", "name": "Foro", "inLanguage": "es",
				"startDate": "2027-03-03T09:30:00+01:00", "endDate": "2027-03-04T17:00:00+01:00",
				"eventStatus":         "https://schema.org/EventScheduled",
				"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
				"location.@type":      "Place", "location.name": "Auditorio", "location.address.@type": "PostalAddress",
				"location.address.streetAddress": "Paseo del Violón 4, Granada",
				"organizer.0.@type":              "CollegeOrUniversity", "organizer.0.url": "https://site.example/en/members/genil/",
				"offers.@type": "Offer", "offers.url": "https://register.example/foro",
				"subEvent.0.@type": "Event", "subEvent.0.name": "Keynote", "subEvent.0.url": url + "#keynote",
				"subEvent.0.startDate": "2027-03-03T09:30:00+01:00", "subEvent.0.location.name": "Auditorio, Aula magna",
				"subEvent.0.eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
				"subEvent.0.performer.0.name":    "Inés Navarro", "subEvent.0.@context": nil}},
		{name: "online, without a stream yet: registration is where to join",
			in: eventIn{URL: url, Name: "Webinar", Lang: "sv", Event: base("online"), RegisterURL: "https://register.example/w"},
			want: map[string]any{"eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
				"location.@type": "VirtualLocation", "location.url": "https://register.example/w", "subEvent": nil}},
		{name: "online, without registration or stream: the page itself",
			in:   eventIn{URL: url, Name: "Webinar", Lang: "sv", Event: base("online")},
			want: map[string]any{"location.@type": "VirtualLocation", "location.url": url, "offers": nil}},
		{name: "hybrid: a place and the stream",
			in: eventIn{URL: url, Name: "Days", Lang: "ro", Event: base("mixed"), Venue: "Aula", Sessions: []sessionIn{streamed}},
			want: map[string]any{"eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
				"location.0.@type": "Place", "location.0.name": "Aula",
				"location.1.@type": "VirtualLocation", "location.1.url": "https://stream.example/keynote",
				"subEvent.0.location.1.url": "https://stream.example/keynote"}},
		{name: "a streamed session of an on-site event is mixed",
			in: eventIn{URL: url, Name: "Forum", Lang: "en", Event: base("onsite"), Venue: "Hall", Sessions: []sessionIn{streamed}},
			want: map[string]any{"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode", "location.@type": "Place",
				"subEvent.0.eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
				"subEvent.0.location.1.@type":    "VirtualLocation"}},
		{name: "unknown host: the alliance organizes",
			in:   eventIn{URL: url, Name: "X", Lang: "en", Event: &alliance.Event{Timezone: "UTC", Start: "2027-01-01T10:00", End: "2027-01-01T11:00", Attendance: "onsite"}},
			want: map[string]any{"organizer.0.name": "Meridia", "startDate": "2027-01-01T10:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProps(t, asMap(t, eventLD(testLD(), tt.in)), tt.want)
		})
	}
}

func TestLearningLD(t *testing.T) {
	bip := &alliance.Learning{Kind: "bip", Coordinator: "felsinea", ECTS: 2.5, Languages: []string{"en", "it"}, Level: "bachelor",
		Physical: &alliance.Physical{Start: "2026-06-08", End: "2026-06-12", City: "Bologna"},
		Virtual:  []alliance.Span{{Start: "2026-05-11", End: "2026-05-22"}},
		Timezone: "Europe/Rome", Application: &alliance.Window{Opens: "2026-01-10T09:00", Deadline: "2026-03-01T23:59"}}
	masters := &alliance.Learning{Kind: "masters", Coordinator: "genil", ECTS: 120, Languages: []string{"en"}, Level: "master", Seats: 30,
		Physical: &alliance.Physical{Start: "2026-09-01", End: "2028-07-31", City: "Granada"},
		Timezone: "Europe/Madrid", Application: &alliance.Window{Opens: "2026-01-15T00:00", Deadline: "2026-04-30T23:59"}}
	online := &alliance.Learning{Kind: "micro-credential", Coordinator: "unknown", Languages: []string{"en"}, Level: "doctoral",
		Virtual: []alliance.Span{{Start: "2026-10-01", End: "2026-11-15"}}}
	url := "https://site.example/it/imparare/x/"
	tests := []struct {
		name string
		in   learningIn
		want map[string]any
	}{
		{name: "a BIP is a Course with an on-site and an online instance",
			in: learningIn{URL: url, Name: "Invecchiare bene", Description: "BIP", Lang: "it", Learning: bip, Level: "Laurea", ApplyURL: "https://apply.example/bip"},
			want: map[string]any{"@type": "Course", "name": "Invecchiare bene", "description": "BIP",
				"provider.name": "Felsinea University", "provider.url": "https://site.example/en/members/felsinea/",
				"numberOfCredits.@type": "QuantitativeValue", "numberOfCredits.value": 2.5, "numberOfCredits.unitText": "ECTS",
				"educationalLevel": "Laurea", "inLanguage": []any{"en", "it"},
				"hasCourseInstance.0.courseMode": "Onsite", "hasCourseInstance.0.startDate": "2026-06-08",
				"hasCourseInstance.0.location.address.addressLocality": "Bologna",
				"hasCourseInstance.1.courseMode":                       "Online", "hasCourseInstance.1.endDate": "2026-05-22",
				"offers.url": "https://apply.example/bip", "offers.availabilityStarts": "2026-01-10T09:00:00+01:00",
				"offers.availabilityEnds": "2026-03-01T23:59:00+01:00", "mainEntityOfPage.inLanguage": "it",
				"applicationDeadline": nil, "educationalProgramMode": nil}},
		{name: "a joint master's is an EducationalOccupationalProgram with its deadline",
			in: learningIn{URL: url, Name: "Master", Lang: "en", Learning: masters, Level: "Master", Kind: "Joint master's"},
			want: map[string]any{"@type": "EducationalOccupationalProgram", "provider.name": "University of the Genil",
				"numberOfCredits.value": 120.0, "educationalProgramMode": "onsite", "startDate": "2026-09-01", "endDate": "2028-07-31",
				"applicationStartDate": "2026-01-15", "applicationDeadline": "2026-04-30T23:59:00+02:00",
				"maximumEnrollment": 30.0, "offers.url": url, "inLanguage": nil, "hasCourseInstance": nil,
				"educationalLevel": nil, "programType": "Joint master's"}},
		{name: "online, without credits, window or known coordinator",
			in: learningIn{URL: url, Name: "Ethics", Lang: "en", Learning: online},
			want: map[string]any{"@type": "Course", "provider.name": "Meridia", "numberOfCredits": nil, "offers": nil,
				"hasCourseInstance.0.courseMode": "Online", "hasCourseInstance.1": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProps(t, asMap(t, learningLD(testLD(), tt.in)), tt.want)
		})
	}
}

func TestMemberLD(t *testing.T) {
	page := "https://site.example/de/mitglieder/genil/"
	tests := []struct {
		name string
		in   memberIn
		want map[string]any
	}{
		{name: "with website, logo and address",
			in: memberIn{URL: page, Name: "Universität des Genil", Lang: "de", City: "Granada",
				Member: &alliance.Member{ShortName: "UGenil", Country: "ES", Website: "https://www.ugenil.example.org", Logo: "logos/genil.svg"}},
			want: map[string]any{"@type": "CollegeOrUniversity", "name": "Universität des Genil", "alternateName": "UGenil",
				"url": "https://www.ugenil.example.org", "sameAs": page, "logo.url": "https://site.example/media/logos/genil.svg",
				"address.addressLocality": "Granada", "address.addressCountry": "ES",
				"memberOf.@type": "Organization", "memberOf.name": "Meridia", "mainEntityOfPage.@id": page}},
		{name: "without website or logo: the page is its address",
			in:   memberIn{URL: page, Name: "U", Lang: "en", Member: &alliance.Member{ShortName: "U"}},
			want: map[string]any{"url": page, "sameAs": nil, "logo": nil, "address": nil, "alternateName": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProps(t, asMap(t, memberLD(testLD(), tt.in)), tt.want)
		})
	}
}

func TestBreadcrumbsLD(t *testing.T) {
	crumbs := []link{{Title: "Αρχική", Href: "/el/"}, {Title: "Νέα", Href: "/el/nea/"}}
	m := asMap(t, breadcrumbsLD(testLD(), crumbs, "Ιστορία", "https://site.example/el/nea/x/"))
	checkProps(t, m, map[string]any{"@type": "BreadcrumbList",
		"itemListElement.0.@type": "ListItem", "itemListElement.0.position": 1.0, "itemListElement.0.name": "Αρχική",
		"itemListElement.0.item": "https://site.example/el/", "itemListElement.1.item": "https://site.example/el/nea/",
		"itemListElement.2.position": 3.0, "itemListElement.2.name": "Ιστορία", "itemListElement.2.item": "https://site.example/el/nea/x/",
		"itemListElement.3": nil})
}

// TestLDCannotCloseScript: a text that tries to end the data block stays inside it, as JSON.
func TestLDCannotCloseScript(t *testing.T) {
	evil := `</script><script>alert(1)</script><!--`
	a := articleLD(testLD(), articleIn{URL: "https://site.example/en/news/x/", Headline: evil, Lang: "en"})
	var buf bytes.Buffer
	var c templ.Component = templ.JSONScript("", a).WithType("application/ld+json")
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "</script") != 1 || strings.Contains(out, "<!--") || strings.Contains(out, "<script>") {
		t.Fatalf("the text escaped its block: %s", out)
	}
	body := strings.TrimSuffix(strings.TrimPrefix(out, `<script type="application/ld+json">`), "</script>")
	var back ldArticle
	if err := json.Unmarshal([]byte(body), &back); err != nil || back.Headline != evil {
		t.Fatalf("headline read back as %q (%v)", back.Headline, err)
	}
}

// A person has no page on the site: their url is their own public page when they have one, and
// their affiliation the member university (with its page) or else the free-text one, by name.
func TestPersonLDNamesAffiliationAndOwnPage(t *testing.T) {
	s := testLD()
	for _, c := range []struct {
		name              string
		p                 alliance.Person
		role, affiliation string
		want              map[string]any
	}{
		{"member with a page", alliance.Person{Name: "Inés Navarro", Member: "genil", Website: "https://orcid.org/0000-0002-1825-0097"}, "Vice-Rector", "ignored",
			map[string]any{"@type": "Person", "name": "Inés Navarro", "jobTitle": "Vice-Rector", "url": "https://orcid.org/0000-0002-1825-0097",
				"affiliation.@type": "CollegeOrUniversity", "affiliation.name": "University of the Genil", "affiliation.url": "https://site.example/en/members/genil/"}},
		{"free-text affiliation", alliance.Person{Name: "Ana Pop"}, "", "City of Granada",
			map[string]any{"name": "Ana Pop", "url": nil, "jobTitle": nil, "affiliation.@type": "Organization", "affiliation.name": "City of Granada", "affiliation.url": nil}},
		{"unknown member, no text", alliance.Person{Name: "X", Member: "nowhere"}, "", "",
			map[string]any{"name": "X", "affiliation": nil}},
	} {
		got := asMap(t, personLD(s, &c.p, c.role, c.affiliation))
		for path, want := range c.want {
			if v := at(got, path); !reflect.DeepEqual(v, want) {
				t.Errorf("%s: %s = %v, want %v (%v)", c.name, path, v, want, got)
			}
		}
	}
}
