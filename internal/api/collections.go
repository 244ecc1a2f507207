package api

import (
	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// collection is a kind of item as the API lists it, at /api/v1/{name}: the kind's folder name
// in a content directory (stories, learning, resource-types…), so that the API, the content
// files and their documentation name kinds alike.
type collection struct {
	name    string
	kind    alliance.Kind
	section string // the public section listing the kind ("news"); empty without one
	order   store.Order
	filters []filter
	// schema is the name of the kind's schemas in the OpenAPI document (Story, StoryFields…).
	schema string
}

// filterType says how a filter's value is checked.
type filterType int

const (
	// refFilter values are keys of shown items of the filter's kind (a category, a member…).
	refFilter filterType = iota
	// enumFilter values are one of the filter's values.
	enumFilter
	// facetFilter values are one of the facet's values among shown items (languages,
	// countries): what the public listings offer.
	facetFilter
	// whenFilter (events) is upcoming (the default) or past.
	whenFilter
	// statusFilter (calls) is open, upcoming or closed.
	statusFilter
	// openFilter (learning) is true or false: open for applications now.
	openFilter
)

// filter is a query parameter narrowing a listing. Facet filters match the facet of the same
// name that the kind's Index method writes.
type filter struct {
	name string
	typ  filterType
	ref  alliance.Kind // for refFilter
	enum []string      // for enumFilter, whenFilter and statusFilter
	doc  string
}

var (
	whenValues   = []string{"upcoming", "past"}
	statusValues = []string{alliance.StatusOpen, alliance.StatusUpcoming, alliance.StatusClosed}
)

// collections lists what the API serves, in the order the site's settings list them.
var collections = []collection{
	{name: "stories", kind: alliance.KindStory, section: "news", order: store.Newest, schema: "Story", filters: []filter{
		{name: "category", typ: refFilter, ref: alliance.KindCategory, doc: "Key of a category."}}},
	{name: "events", kind: alliance.KindEvent, section: "events", order: store.Soonest, schema: "Event", filters: []filter{
		{name: "when", typ: whenFilter, enum: whenValues, doc: "upcoming (the default: not yet ended, soonest first) or past (ended, latest first)."},
		{name: "member", typ: refFilter, ref: alliance.KindMember, doc: "Key of the hosting member university."},
		{name: "audience", typ: refFilter, ref: alliance.KindAudience, doc: "Key of an audience."},
		{name: "attendance", typ: enumFilter, enum: alliance.AttendanceModes, doc: "How one attends."}}},
	{name: "learning", kind: alliance.KindLearning, section: "learn", order: store.Soonest, schema: "Learning", filters: []filter{
		{name: "kind", typ: enumFilter, enum: alliance.LearningKinds, doc: "Kind of learning opportunity."},
		{name: "level", typ: enumFilter, enum: alliance.LearningLevels, doc: "Level of study."},
		{name: "language", typ: facetFilter, doc: "Language of instruction (ISO 639-1), one that some opportunity is taught in."},
		{name: "member", typ: refFilter, ref: alliance.KindMember, doc: "Key of a coordinating, partner or host member university."},
		{name: "challenge", typ: refFilter, ref: alliance.KindChallenge, doc: "Key of a challenge."},
		{name: "open", typ: openFilter, doc: "true: only those taking applications now."}}},
	{name: "calls", kind: alliance.KindCall, section: "calls", order: store.Soonest, schema: "Call", filters: []filter{
		{name: "status", typ: statusFilter, enum: statusValues, doc: "Open calls first by deadline, then upcoming, then closed; this keeps one status."},
		{name: "audience", typ: refFilter, ref: alliance.KindAudience, doc: "Key of an audience."}}},
	{name: "resources", kind: alliance.KindResource, section: "resources", order: store.Newest, schema: "Resource", filters: []filter{
		{name: "theme", typ: refFilter, ref: alliance.KindTheme, doc: "Key of a theme."},
		{name: "type", typ: refFilter, ref: alliance.KindResourceType, doc: "Key of a resource type."},
		{name: "audience", typ: refFilter, ref: alliance.KindAudience, doc: "Key of an audience."}}},
	{name: "members", kind: alliance.KindMember, section: "members", order: store.ByPosition, schema: "Member", filters: []filter{
		{name: "country", typ: facetFilter, doc: "ISO 3166 country code, one of the members'."}}},
	{name: "sessions", kind: alliance.KindSession, order: store.Soonest, schema: "Session", filters: []filter{
		{name: "event", typ: refFilter, ref: alliance.KindEvent, doc: "Key of the event."}}},
	{name: "people", kind: alliance.KindPerson, order: store.ByPosition, schema: "Person"},
	{name: "pages", kind: alliance.KindPage, order: store.ByPosition, schema: "Page"},
	{name: "categories", kind: alliance.KindCategory, order: store.ByPosition, schema: "Category"},
	{name: "themes", kind: alliance.KindTheme, order: store.ByPosition, schema: "Theme"},
	{name: "resource-types", kind: alliance.KindResourceType, order: store.ByPosition, schema: "ResourceType"},
	{name: "audiences", kind: alliance.KindAudience, order: store.ByPosition, schema: "Audience"},
	{name: "challenges", kind: alliance.KindChallenge, order: store.ByPosition, schema: "Challenge"},
}

// collectionNamed returns the collection called name.
func collectionNamed(name string) (*collection, bool) {
	for i := range collections {
		if collections[i].name == name {
			return &collections[i], true
		}
	}
	return nil, false
}

// collectionOf returns the collection of kind.
func collectionOf(kind alliance.Kind) *collection {
	for i := range collections {
		if collections[i].kind == kind {
			return &collections[i]
		}
	}
	return nil
}
