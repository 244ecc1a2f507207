package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// apiSpec checks every response of the API a test receives against the OpenAPI document the
// running program serves: each API test asks through it, so that a response drifting from the
// document fails the test that received it.
type apiSpec struct {
	doc    *openapi3.T
	router routers.Router
	opts   *openapi3filter.Options
}

// absoluteURI checks format "uri" strictly: an absolute http(s) URL with a host, as every URL
// the API writes is.
func absoluteURI(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", v)
	}
	return nil
}

// newAPISpec loads the OpenAPI document m serves, checks it is valid OpenAPI 3.1, and prepares
// a router over it.
func newAPISpec(t testing.TB, m *Main) *apiSpec {
	t.Helper()
	r := request(t, m, "GET", "/api/v1/openapi.json")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/v1/openapi.json = %d %s", r.status, r.header.Get("Content-Type"))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(r.body))
	if err != nil {
		t.Fatalf("load the OpenAPI document: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("the document is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &apiSpec{doc: doc, router: router, opts: &openapi3filter.Options{
		IncludeResponseStatus: true, // a status the document does not list fails
		MultiError:            true,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(absoluteURI)),
		},
	}}
}

// apiResponse is a response of the API, with its body decoded when it is JSON.
type apiResponse struct {
	response
	json map[string]any
}

// get asks m for path with method and the given header pairs, and checks the response against
// the document: a request the document routes gets a response it declares (status, type,
// body); an answer of 200 or 304 also means the request was one the document allows (so the
// document lists every parameter the API understands). Requests it does not route (unknown
// paths, methods other than GET) must get a problem of the document's Problem schema.
func (s *apiSpec) get(t testing.TB, m *Main, method, path string, header ...string) apiResponse {
	t.Helper()
	r := request(t, m, method, path, header...)
	out := apiResponse{response: r}
	if ct := r.header.Get("Content-Type"); method != http.MethodHead && strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "application/problem+json") {
		if err := json.Unmarshal([]byte(r.body), &out.json); err != nil {
			t.Errorf("%s %s: body is not a JSON object: %v", method, path, err)
		}
	}
	if got := r.header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("%s %s: Access-Control-Allow-Origin = %q, want *", method, path, got)
	}
	// HEAD is GET without the body (RFC 9110): the document describes the GET.
	routed := method
	if method == http.MethodHead {
		routed = http.MethodGet
	}
	req, err := http.NewRequest(routed, m.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		if r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed && method != http.MethodOptions {
			t.Errorf("%s %s: no route in the document (%v), and the API answered %d", method, path, err, r.status)
		}
		if method != http.MethodOptions && method != http.MethodHead {
			s.checkProblem(t, method+" "+path, out)
		}
		return out
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: s.opts}
	if r.status == http.StatusOK || r.status == http.StatusNotModified {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s answered %d to a request the document does not allow: %v", method, path, r.status, err)
		}
	}
	if method == http.MethodHead {
		if r.body != "" {
			t.Errorf("HEAD %s: %d bytes of body", path, len(r.body))
		}
		return out
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader([]byte(r.body))), Options: s.opts})
	if err != nil {
		t.Errorf("%s %s: the %d response does not match the document: %v\n%.2000s", method, path, r.status, err, r.body)
	}
	if r.status >= 400 {
		s.checkProblem(t, method+" "+path, out)
	}
	return out
}

// checkProblem checks an error response is a problem (RFC 9457) of the document's schema,
// whose status is the response's.
func (s *apiSpec) checkProblem(t testing.TB, what string, r apiResponse) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: %d with Content-Type %q, want application/problem+json", what, r.status, ct)
		return
	}
	var v any
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	problem := s.doc.Components.Schemas["Problem"].Value
	opts := append([]openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020()}, s.opts.SchemaValidationOptions...)
	if err := problem.VisitJSON(v, opts...); err != nil {
		t.Errorf("%s: the problem does not match the document: %v", what, err)
	}
	if status, _ := r.json["status"].(float64); int(status) != r.status {
		t.Errorf("%s: problem status %v in a %d response", what, r.json["status"], r.status)
	}
}
