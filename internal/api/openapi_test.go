package api

import (
	"github.com/alliance-platform/alliance/internal/web"

	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/alliance-platform/alliance"
)

var update = flag.Bool("update", false, "rewrite openapi.json from Document")

// The served document is what Document makes of the kinds' types and the collections: a field
// added to a kind without regenerating the file fails here.
func TestDocumentIsCurrent(t *testing.T) {
	doc, err := Document()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("openapi.json", doc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(doc, openAPIDocument) {
		t.Fatal("openapi.json is not what Document gives: run go test ./internal/api -run TestDocumentIsCurrent -update")
	}
}

// The document is a valid OpenAPI 3.1 document for kin-openapi, the validator the tests use.
func TestDocumentIsValidOpenAPI31(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if doc.Components.SecuritySchemes["token"] == nil {
		t.Error("no token security scheme")
	}
	// Exactly the writes and the …/edit reads need a token: every other read is open.
	secured := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			needs := op.Security != nil && len(*op.Security) > 0
			want := method != "GET" || strings.HasSuffix(path, "/edit")
			if needs != want {
				t.Errorf("%s %s: needs a token = %v, want %v", method, path, needs, want)
			}
			if needs {
				secured++
				if op.Responses.Status(401) == nil {
					t.Errorf("%s %s needs a token but declares no 401", method, path)
				}
			}
			if (method == "POST" || method == "PUT") && (op.RequestBody == nil || !op.RequestBody.Value.Required) {
				t.Errorf("%s %s declares no required request body", method, path)
			}
		}
	}
	if want := 4 * len(collections); secured != want {
		t.Errorf("%d operations need a token, want %d (create, replace, delete, edit of each collection)", secured, want)
	}
}

// Every kind has a collection, named after its folder in a content directory.
func TestEveryKindHasACollection(t *testing.T) {
	for _, info := range alliance.Kinds {
		c := collectionOf(info.Kind)
		if c == nil {
			t.Errorf("no collection of %s", info.Kind)
			continue
		}
		if c.name != info.Dir {
			t.Errorf("collection of %s is %q, want its folder %q", info.Kind, c.name, info.Dir)
		}
		want := ""
		for _, sec := range web.Sections() {
			if sec.Kind == info.Kind {
				want = sec.ID
			}
		}
		if c.section != want {
			t.Errorf("collection of %s lists section %q, want the registry's %q", info.Kind, c.section, want)
		}
	}
	if len(collections) != len(alliance.Kinds) {
		t.Errorf("%d collections for %d kinds", len(collections), len(alliance.Kinds))
	}
}
