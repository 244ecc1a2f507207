package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// The OpenAPI 3.1 document is generated from the collections' table and the kinds' Go types by
// Document, and kept in openapi.json beside this file, which is embedded and served: a change
// of the API shows in a review as a change of that file, and a test fails when the file is not
// what Document gives (`go test ./internal/api -run TestDocumentIsCurrent -update` rewrites it).

//go:embed openapi.json
var openAPIDocument []byte

// schema is a JSON Schema (2020-12, as OpenAPI 3.1 has it).
type schema = map[string]any

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }

func str(description string) schema {
	s := schema{"type": "string"}
	if description != "" {
		s["description"] = description
	}
	return s
}

func uri(description string) schema {
	s := str(description)
	s["format"] = "uri"
	return s
}

func dateTime(description string) schema {
	s := str(description)
	s["format"] = "date-time"
	return s
}

func object(required []string, properties schema) schema {
	if required == nil {
		required = []string{}
	}
	return schema{"type": "object", "additionalProperties": false, "required": required, "properties": properties}
}

func arrayOf(items schema) schema { return schema{"type": "array", "items": items} }

const (
	langPattern = `^[a-z]{2,3}$`
	keyPattern  = `^[a-z0-9]+(-[a-z0-9]+)*$`
)

// fieldConstraints narrow the schema of a field of the kinds' types ("Type.json_name", or
// "Type.json_name[]" for the items of a list) to what its Validate method accepts.
var fieldConstraints = map[string]schema{
	"Member.country":         {"pattern": `^[A-Z]{2}$`},
	"Member.website":         {"format": "uri"},
	"Person.website":         {"format": "uri"},
	"Event.attendance":       {"enum": alliance.AttendanceModes},
	"Event.registration_url": {"format": "uri"},
	"Session.type":           {"enum": alliance.SessionTypes},
	"Moderator.role":         {"enum": alliance.ModeratorRoles},
	"Learning.kind":          {"enum": alliance.LearningKinds},
	"Learning.level":         {"enum": alliance.LearningLevels},
	"Learning.languages[]":   {"pattern": langPattern},
	"Learning.eqf":           {"minimum": 1, "maximum": 8},
	"Learning.ects":          {"minimum": 0},
	"Learning.apply_url":     {"format": "uri"},
	"Resource.year":          {"minimum": 1900, "maximum": 2200},
	"Call.apply_url":         {"format": "uri"},
	"Story.category":         {"pattern": keyPattern},
	"Learning.seats":         {"minimum": 0},
	"Session.participants[]": {"pattern": keyPattern},
	"Story.authors[]":        {"pattern": keyPattern},
	"Story.related[]":        {"pattern": keyPattern},
	"Resource.authors[]":     {"pattern": keyPattern},
	"Resource.themes[]":      {"pattern": keyPattern},
	"Resource.types[]":       {"pattern": keyPattern},
	"Resource.audiences[]":   {"pattern": keyPattern},
	"Event.audiences[]":      {"pattern": keyPattern},
	"Call.audiences[]":       {"pattern": keyPattern},
	"Learning.partners[]":    {"pattern": keyPattern},
	"Event.host":             {"pattern": keyPattern},
	"Learning.coordinator":   {"pattern": keyPattern},
	"Person.member":          {"pattern": keyPattern},
	"Session.event":          {"pattern": keyPattern},
	"Page.parent":            {"pattern": keyPattern},
	"StoryText.tags[]":       {"minLength": 1},
	"ResourceText.tags[]":    {"minLength": 1},
	"Learning.challenge":     {"pattern": keyPattern},
	"Event.challenge":        {"pattern": keyPattern},
	"Speaker.person":         {"pattern": keyPattern},
	"Moderator.person":       {"pattern": keyPattern},
	"Learning.contact":       {"pattern": keyPattern},
	"Physical.host":          {"pattern": keyPattern},
	"Event.edition":          {"minimum": 0},
	"Session.livestream":     {"description": "A URL, or \"soon\" when the link is to come."},
	"Learning.timezone":      {"description": "IANA time zone of the application window."},
	"Event.timezone":         {"description": "IANA time zone of the event's times."},
	"Call.timezone":          {"description": "IANA time zone of the call's times."},
	"Window.opens":           {"description": "Wall-clock time in the item's time zone."},
	"Window.deadline":        {"description": "Wall-clock time in the item's time zone."},
	"Member.short_name":      {"minLength": 1},
	"Person.name":            {"minLength": 1},
}

var (
	dateType     = reflect.TypeOf(alliance.Date(""))
	dateTimeType = reflect.TypeOf(alliance.DateTime(""))
)

// typeSchema is the schema of values of t, a type of the kinds' fields, as encoding/json
// writes them; owner and name say which field it is, for fieldConstraints.
func typeSchema(t reflect.Type, owner, name string) schema {
	var s schema
	switch {
	case t == dateType:
		s = schema{"type": "string", "format": "date"}
	case t == dateTimeType:
		s = schema{"type": "string", "pattern": `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$`,
			"description": "Wall-clock time, YYYY-MM-DDTHH:MM, in the item's time zone."}
	default:
		switch t.Kind() {
		case reflect.String:
			s = schema{"type": "string"}
		case reflect.Bool:
			s = schema{"type": "boolean"}
		case reflect.Int, reflect.Int64, reflect.Int32:
			s = schema{"type": "integer"}
		case reflect.Float64:
			s = schema{"type": "number"}
		case reflect.Slice:
			return arrayOf(typeSchema(t.Elem(), owner, name+"[]"))
		case reflect.Pointer:
			return typeSchema(t.Elem(), owner, name)
		case reflect.Struct:
			return structSchema(t)
		default:
			panic(fmt.Sprintf("api: no schema for %s.%s of type %s", owner, name, t))
		}
	}
	for k, v := range fieldConstraints[owner+"."+name] {
		s[k] = v
	}
	return s
}

// structSchema is the schema of a struct of the kinds' types: its JSON fields, required unless
// omitted when empty, and nothing else.
func structSchema(t reflect.Type) schema {
	props := schema{}
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("json")
		if !ok || tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		props[name] = typeSchema(f.Type, t.Name(), name)
		if !strings.Contains(opts, "omitempty") {
			required = append(required, name)
		}
	}
	return object(required, props)
}

// Document returns the OpenAPI document of the API, as served at /api/v1/openapi.json.
func Document() ([]byte, error) {
	schemas := schema{
		"Lang": schema{"type": "string", "pattern": langPattern, "description": "ISO 639-1 code of a language of the site."},
		"Key":  schema{"type": "string", "pattern": keyPattern, "description": "An item's key: lower-case letters and digits, words joined by hyphens."},
		"Problem": object([]string{"type", "title", "status", "detail", "instance"}, schema{
			"type":     schema{"type": "string", "const": "about:blank"},
			"title":    str("The status's reason phrase."),
			"status":   schema{"type": "integer", "minimum": 400, "maximum": 599},
			"detail":   str("What went wrong, for a person."),
			"instance": str("The path and query of the request."),
			"invalid_params": arrayOf(object([]string{"name", "reason"}, schema{
				"name": str("The parameter."), "reason": str("What is wrong with its value, in English."),
				"problem": schema{"type": "string", "enum": problemNames(),
					"description": "On 422: what is wrong, as a name a client can translate."}})),
		}),
		"Media": object([]string{"path", "url", "api_url", "content_type", "size", "sha256"}, schema{
			"field":        str("The item's field naming the file (on an item only)."),
			"path":         str("The file's path under /media/."),
			"url":          uri("The file's bytes."),
			"api_url":      uri("This metadata."),
			"content_type": str(""),
			"size":         schema{"type": "integer", "minimum": 0, "description": "Bytes."},
			"sha256":       schema{"type": "string", "pattern": "^[0-9a-f]{64}$"},
			"updated":      dateTime("The file's last change (on GET /media only)."),
			"width":        schema{"type": "integer", "minimum": 1, "description": "An image's width in CSS pixels, when known."},
			"height":       schema{"type": "integer", "minimum": 1, "description": "An image's height in CSS pixels, when known."},
		}),
		"Links": object([]string{"self", "first", "last"}, schema{
			"self": uri(""), "first": uri(""), "last": uri(""),
			"prev": uri("Absent on the first page."), "next": uri("Absent on the last page."),
		}),
		"Site": object([]string{"name", "lang", "default_language", "languages", "tagline", "sections", "collections"}, schema{
			"name":             str("The site's name."),
			"lang":             ref("Lang"),
			"default_language": ref("Lang"),
			"languages": arrayOf(object([]string{"code", "name", "url"}, schema{
				"code": ref("Lang"), "name": str("The language's name in itself."), "url": uri("The home page in the language.")})),
			"tagline": schema{"type": "object", "propertyNames": ref("Lang"), "additionalProperties": schema{"type": "string"},
				"description": "The site's tagline in each language it is written in."},
			"sections": arrayOf(object([]string{"section", "title", "kind", "collection", "url", "urls"}, schema{
				"section":    str("The section's language-neutral name."),
				"title":      str("The section's title in lang."),
				"kind":       str("The kind it lists."),
				"collection": str("The API's collection of that kind."),
				"url":        uri("The section's listing in lang."),
				"urls":       schema{"type": "object", "propertyNames": ref("Lang"), "additionalProperties": uri("")},
			})),
			"collections": arrayOf(object([]string{"name", "kind", "api_url", "filters"}, schema{
				"name": str(""), "kind": str(""), "api_url": uri(""),
				"filters": arrayOf(str("")),
			})),
		}),
	}
	paths := schema{
		"/openapi.json": schema{"get": schema{
			"operationId": "getDocument", "summary": "This document.",
			"responses": schema{"200": schema{"description": "The OpenAPI document.",
				"content": schema{"application/json": schema{"schema": schema{"type": "object"}}}}},
		}},
		"/site": schema{"get": operation("getSite", "The site's name, languages, sections and collections.",
			[]schema{langParam()}, ref("Site"), false)},
		"/media": schema{"get": operation("getMedia", "A media file's metadata.",
			[]schema{{"name": "path", "in": "query", "required": true, "description": "The file's path, such as images/logo.svg.",
				"schema": schema{"type": "string", "minLength": 1}}}, ref("Media"), true)},
	}
	for _, c := range collections {
		info, ok := alliance.InfoOf(c.kind)
		if !ok {
			return nil, fmt.Errorf("collection %s: unknown kind %s", c.name, c.kind)
		}
		schemas[c.schema+"Fields"] = structSchema(reflect.TypeOf(info.NewShared()).Elem())
		schemas[c.schema+"TextFields"] = structSchema(reflect.TypeOf(info.NewText()).Elem())
		schemas[c.schema+"Text"] = object([]string{"lang", "fallback", "slug", "title", "summary", "fields"}, schema{
			"lang":          ref("Lang"),
			"fallback":      schema{"type": "boolean", "description": "The text is not in the language asked for: it is the item's source language's, as the public page shows it."},
			"slug":          str("The last segment of the item's public URL in the text's language."),
			"title":         str(""),
			"summary":       str(""),
			"body_markdown": str("The body as written, in Markdown (on one item only)."),
			"body_html":     str("The body as the public page shows it, sanitized HTML (on one item only)."),
			"fields":        ref(c.schema + "TextFields"),
		})
		schemas[c.schema] = itemSchema(c)
		schemas[c.schema+"List"] = object([]string{"items", "total", "page", "pages", "limit", "links"}, schema{
			"items": arrayOf(ref(c.schema)),
			"total": schema{"type": "integer", "minimum": 0, "description": "Items on every page."},
			"page":  schema{"type": "integer", "minimum": 1},
			"pages": schema{"type": "integer", "minimum": 1},
			"limit": schema{"type": "integer", "minimum": 1, "maximum": maxLimit},
			"links": ref("Links"),
		})
		params := []schema{langParam(),
			{"name": "page", "in": "query", "description": "Page number; past the last page answers 404.",
				"schema": schema{"type": "integer", "minimum": 1, "default": 1}},
			{"name": "limit", "in": "query", "description": "Items per page.",
				"schema": schema{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit}}}
		for _, f := range c.filters {
			params = append(params, filterParam(f))
		}
		schemas[c.schema+"TextSource"] = object(nil, schema{
			"slug":          str("The last segment of the item's public URL in the text's language."),
			"title":         str(""),
			"summary":       str(""),
			"body_markdown": str("The body, in Markdown."),
			"fields":        ref(c.schema + "TextFields"),
		})
		schemas[c.schema+"Write"] = sourceSchema(c, false)
		schemas[c.schema+"Source"] = sourceSchema(c, true)
		keyParam := schema{"name": "key", "in": "path", "required": true, "schema": ref("Key")}
		paths["/"+c.name] = schema{
			"get": operation("list"+c.schema, "A page of the published "+string(c.kind)+" items, "+orderDoc(c)+".", params, ref(c.schema+"List"), true),
			"post": writeOperation("create"+c.schema, "Create a "+string(c.kind)+" item; its key is in the body.",
				nil, c.schema, "201", "409"),
		}
		paths["/"+c.name+"/{key}"] = schema{
			"get": operation("get"+c.schema, "One published "+string(c.kind)+" item with all its fields.",
				[]schema{keyParam, langParam()}, ref(c.schema), true),
			"put": writeOperation("replace"+c.schema, "Replace a "+string(c.kind)+" item with the body, which holds all of it: a text it lacks is removed.",
				[]schema{keyParam, ifMatchParam()}, c.schema, "200", "412", "428"),
			"delete": writeOperation("delete"+c.schema, "Delete a "+string(c.kind)+" item. Refused (409) while other items refer to it.",
				[]schema{keyParam, ifMatchParam()}, "", "204", "409", "412", "428"),
		}
		paths["/"+c.name+"/{key}/edit"] = schema{
			"get": writeOperation("edit"+c.schema, "A "+string(c.kind)+" item as its editors write it, drafts and scheduled items included, "+
				"with every text; its ETag names its revision, for If-Match. For a user who may change something of it.",
				[]schema{keyParam}, "", "200"),
		}
	}
	doc := schema{
		"openapi": "3.1.0",
		"info": schema{
			"title":   "Alliance content API",
			"version": "1",
			"description": "The content the public site shows, in every language of the site, open to everyone; and its writes " +
				"(POST, PUT, DELETE, and GET …/edit), which need a user's token (the `token` scheme) and follow the user's role. " +
				"Names are snake_case, as in the content files. Every read carries a weak ETag; send it back in If-None-Match to " +
				"get 304 until the content or a status that depends on the clock changes. A write answers, and PUT and DELETE " +
				"need in If-Match, the strong ETag of the item's revision. Errors are application/problem+json (RFC 9457).",
		},
		"servers": []schema{{"url": "/api/v1"}},
		"paths":   paths,
		"components": schema{
			"schemas": schemas,
			"responses": schema{
				"NotModified": schema{"description": "The ETag sent in If-None-Match is still current.",
					"headers": schema{"ETag": schema{"schema": schema{"type": "string"}}}},
				"BadRequest": problemResponse("A query parameter is unknown, repeated or has a value not understood."),
				"NotFound":   problemResponse("No such published item, file or page of a listing."),
				"Unavailable": withHeader(problemResponse("The database cannot be reached; Retry-After says when to try again."),
					"Retry-After", schema{"type": "integer", "minimum": 1, "description": "Seconds."}),
				"Error": problemResponse("Any other error."),
				"Unauthorized": withHeader(problemResponse("No token, or a token that is unknown, revoked or of a disabled user."),
					"WWW-Authenticate", schema{"type": "string", "pattern": "^Bearer "}),
				"Forbidden":            problemResponse("The token's user may not do this; invalid_params names the fields they may not change."),
				"Conflict":             problemResponse("The key is taken (create), or other items refer to the item (delete)."),
				"PreconditionFailed":   withHeader(problemResponse("If-Match does not name the item's revision: it changed since it was read. ETag names the current revision."), "ETag", schema{"type": "string"}),
				"PreconditionRequired": problemResponse("If-Match is missing: send the ETag of the item as read."),
				"Unprocessable":        problemResponse("The item is refused by validation; invalid_params has one entry per field, named as the body names it (fields.date, texts.el.title, texts.el.body_markdown)."),
				"BadBody":              problemResponse("The body is not JSON of the item's shape (an unknown member, a value of the wrong type)."),
				"TooLarge":             problemResponse("The body is larger than 4 MiB."),
				"UnsupportedType":      problemResponse("The body is not sent as application/json."),
			},
			"securitySchemes": schema{"token": schema{"type": "http", "scheme": "bearer",
				"description": "A user's API token, created in the back office (or with alliance user token), carrying the user's role: the writes and the …/edit reads need one."}},
		},
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// itemSchema is the schema of an item of c's kind.
func itemSchema(c collection) schema {
	required := []string{"kind", "key", "source_lang", "translations", "updated", "text", "fields", "api_url", "media"}
	props := schema{
		"kind":         schema{"type": "string", "const": string(c.kind)},
		"key":          ref("Key"),
		"source_lang":  ref("Lang"),
		"translations": schema{"type": "array", "items": ref("Lang"), "description": "The languages the item has a text in, in the site's order.", "uniqueItems": true},
		"updated":      dateTime("Its last change."),
		"text": schema{"oneOf": []schema{ref(c.schema + "Text"), {"type": "null"}},
			"description": "The text shown to a visitor asking for the language: in it, else in the source language (fallback)."},
		"fields":  ref(c.schema + "Fields"),
		"api_url": uri("This item in the API."),
		"media":   arrayOf(ref("Media")),
	}
	switch c.kind {
	case alliance.KindEvent:
		props["status"] = schema{"type": "string", "enum": []string{"upcoming", "past"}, "description": "Past from the instant it ends."}
		props["sessions"] = schema{"type": "array", "items": ref("Session"), "description": "The programme, soonest first (on one event only)."}
		required = append(required, "status")
	case alliance.KindCall:
		props["status"] = schema{"type": "string", "enum": statusValues}
		required = append(required, "status")
	case alliance.KindLearning:
		props["status"] = schema{"type": "string", "enum": statusValues, "description": "Of the application window, when it has one."}
	}
	if c.kind != alliance.KindSession {
		props["starts"] = dateTime("The instant listings sort by: a story's date, an event's start…")
		props["ends"] = dateTime("")
		props["opens"] = dateTime("When applications open.")
		props["closes"] = dateTime("The deadline.")
	}
	if c.section != "" || c.kind == alliance.KindPage {
		props["url"] = uri("The public page in the language asked for.")
		props["urls"] = schema{"type": "object", "propertyNames": ref("Lang"), "additionalProperties": uri(""),
			"description": "The public page in each of the site's languages."}
		required = append(required, "urls")
	}
	return object(required, props)
}

// sourceSchema is the schema of an item as its editors write it: the body of a write
// (answer false: only what a client sends is required; what an answer adds is allowed, so that
// an item read from …/edit can be sent back changed) or the answer of a write and of …/edit.
func sourceSchema(c collection, answer bool) schema {
	required := []string{"source_lang", "fields", "texts"}
	if answer {
		required = []string{"kind", "key", "source_lang", "revision", "updated", "draft", "fields", "texts", "api_url"}
	}
	return object(required, schema{
		"kind":         schema{"type": "string", "const": string(c.kind)},
		"key":          schema{"$ref": "#/components/schemas/Key", "description": "The item's key: required to create, and never changed."},
		"source_lang":  ref("Lang"),
		"revision":     schema{"type": "integer", "minimum": 1, "description": "The stored revision (as the ETag says)."},
		"updated":      dateTime("Its last change."),
		"draft":        schema{"type": "boolean", "description": "Saved without being published."},
		"publish_at":   dateTime("Shown from this instant on (RFC 3339)."),
		"unpublish_at": dateTime("Hidden from this instant on (RFC 3339)."),
		"fields":       ref(c.schema + "Fields"),
		"texts": schema{"type": "object", "propertyNames": ref("Lang"), "additionalProperties": ref(c.schema + "TextSource"),
			"description": "Every text of the item, by language; the source language's is required."},
		"api_url": uri("The item in the API."),
	})
}

func ifMatchParam() schema {
	return schema{"name": "If-Match", "in": "header", "required": true,
		"description": "The ETag of the item as read (GET …/edit, or the answer of the last write): the write is refused with 412 when the item changed since.",
		"schema":      schema{"type": "string"}}
}

// writeOperation is an operation needing a token: a write (with a body of schema name+"Write"
// when name is set) or the …/edit read, answering ok with the item as written (none for 204).
func writeOperation(id, summary string, params []schema, name, ok string, statuses ...string) schema {
	if params == nil {
		params = []schema{}
	}
	item := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(id, "create"), "replace"), "delete"), "edit")
	success := schema{"description": "OK"}
	if ok != "204" {
		headers := schema{"ETag": schema{"required": true, "schema": schema{"type": "string", "pattern": `^"rev-[0-9]+"$`}}}
		if ok == "201" {
			success["description"] = "Created"
			headers["Location"] = schema{"required": true, "schema": schema{"type": "string", "format": "uri"}}
		}
		success["headers"] = headers
		success["content"] = schema{"application/json": schema{"schema": ref(item + "Source")}}
	} else {
		success["description"] = "Deleted"
	}
	responses := schema{
		ok:        success,
		"401":     schema{"$ref": "#/components/responses/Unauthorized"},
		"403":     schema{"$ref": "#/components/responses/Forbidden"},
		"404":     schema{"$ref": "#/components/responses/NotFound"},
		"503":     schema{"$ref": "#/components/responses/Unavailable"},
		"default": schema{"$ref": "#/components/responses/Error"},
	}
	for _, st := range statuses {
		responses[st] = schema{"$ref": "#/components/responses/" + map[string]string{
			"409": "Conflict", "412": "PreconditionFailed", "428": "PreconditionRequired"}[st]}
	}
	op := schema{"operationId": id, "summary": summary, "parameters": params, "responses": responses,
		"security": []schema{{"token": []string{}}}}
	if name != "" {
		responses["400"] = schema{"$ref": "#/components/responses/BadBody"}
		responses["413"] = schema{"$ref": "#/components/responses/TooLarge"}
		responses["415"] = schema{"$ref": "#/components/responses/UnsupportedType"}
		responses["422"] = schema{"$ref": "#/components/responses/Unprocessable"}
		op["requestBody"] = schema{"required": true, "content": schema{"application/json": schema{"schema": ref(name + "Write")}}}
	}
	return op
}

func langParam() schema {
	return schema{"name": "lang", "in": "query", "description": "The language of the texts; the site's first language by default.",
		"schema": ref("Lang")}
}

func filterParam(f filter) schema {
	var s schema
	switch f.typ {
	case refFilter:
		s = ref("Key")
	case enumFilter, whenFilter, statusFilter:
		s = schema{"type": "string", "enum": f.enum}
	case openFilter:
		s = schema{"type": "boolean"}
	default:
		s = schema{"type": "string"}
	}
	return schema{"name": f.name, "in": "query", "description": f.doc, "schema": s}
}

func orderDoc(c collection) string {
	switch {
	case c.kind == alliance.KindEvent:
		return "upcoming soonest first, or past latest first"
	case c.kind == alliance.KindCall:
		return "open ones by deadline, then upcoming, then closed"
	case c.order == store.Newest:
		return "newest first"
	case c.order == store.Soonest:
		return "soonest first"
	default:
		return "in menu order"
	}
}

func problemResponse(description string) schema {
	return schema{"description": description, "content": schema{"application/problem+json": schema{"schema": ref("Problem")}}}
}

func withHeader(response schema, name string, s schema) schema {
	response["headers"] = schema{name: schema{"required": true, "schema": s}}
	return response
}

// operation is a GET answering ok, or a problem.
func operation(id, summary string, params []schema, ok schema, notFound bool) schema {
	responses := schema{
		"200": schema{"description": "OK", "headers": schema{"ETag": schema{"schema": schema{"type": "string"}}},
			"content": schema{"application/json": schema{"schema": ok}}},
		"304":     schema{"$ref": "#/components/responses/NotModified"},
		"400":     schema{"$ref": "#/components/responses/BadRequest"},
		"503":     schema{"$ref": "#/components/responses/Unavailable"},
		"default": schema{"$ref": "#/components/responses/Error"},
	}
	if notFound {
		responses["404"] = schema{"$ref": "#/components/responses/NotFound"}
	}
	return schema{"operationId": id, "summary": summary, "parameters": params, "responses": responses}
}

// problemNames lists the validation problems a 422 can name.
func problemNames() []string {
	out := make([]string, len(alliance.Problems))
	for i, p := range alliance.Problems {
		out[i] = string(p)
	}
	return out
}
