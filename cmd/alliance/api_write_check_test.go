package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// bearerChecked is kin-openapi's check of an operation's security: the request carries a
// bearer token (whether the API accepts it is the API's to say, and the tests check that).
func bearerChecked(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecuritySchemeName != "token" {
		return errors.New("unknown security scheme " + in.SecuritySchemeName)
	}
	if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
		return errors.New("no bearer token")
	}
	return nil
}

// send sends a write (or any request with a body) to m and checks it against the document as
// get does: the response must be one the document declares for the operation, and a request
// the API accepted or judged on its merits (2xx, 403, 409, 412) must be one the document
// allows, its body included (kin-openapi's ValidateRequest), and a body the API cannot read
// (400) one the document refuses too. Other refusals for the request's form (401, 415, 422,
// 428) are not checked against the document.
func (s *apiSpec) send(t testing.TB, m *Main, method, path string, body []byte, header ...string) apiResponse {
	t.Helper()
	build := func() *http.Request {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequest(method, m.URL()+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			if header[i+1] == "" {
				req.Header.Del(header[i])
			} else {
				req.Header.Set(header[i], header[i+1])
			}
		}
		return req
	}
	res, err := client.Do(build())
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	out := apiResponse{response: response{status: res.StatusCode, header: res.Header, body: string(raw)}}
	ct := res.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "application/problem+json") {
		if err := json.Unmarshal(raw, &out.json); err != nil {
			t.Errorf("%s %s: body is not a JSON object: %v", method, path, err)
		}
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("%s %s: Access-Control-Allow-Origin = %q, want *", method, path, got)
	}
	req := build()
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: no route in the document (%v); the API answered %d", method, path, err, out.status)
		return out
	}
	opts := *s.opts
	opts.AuthenticationFunc = bearerChecked
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: &opts}
	switch st := out.status; {
	case st < 300, st == http.StatusForbidden, st == http.StatusConflict, st == http.StatusPreconditionFailed:
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s answered %d to a request the document does not allow: %v", method, path, out.status, err)
		}
	case st == http.StatusBadRequest && body != nil && !trailingData(body):
		// A body the API cannot read is one the document does not allow either. (kin-openapi
		// reads the first JSON value of a body and ignores what follows it.)
		if err := openapi3filter.ValidateRequest(context.Background(), in); err == nil {
			t.Errorf("%s %s: the API refused the body (400), but the document allows it:\n%s", method, path, body)
		}
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: out.status, Header: out.header, Body: io.NopCloser(bytes.NewReader(raw)), Options: &opts})
	if err != nil {
		t.Errorf("%s %s: the %d response does not match the document: %v\n%.2000s", method, path, out.status, err, out.body)
	}
	if out.status >= 400 {
		s.checkProblem(t, method+" "+path, out)
	}
	if out.status == http.StatusUnauthorized && !strings.HasPrefix(out.header.Get("WWW-Authenticate"), "Bearer ") {
		t.Errorf("%s %s: 401 without a Bearer challenge: %q", method, path, out.header.Get("WWW-Authenticate"))
	}
	return out
}

// trailingData reports whether body is one JSON value followed by more.
func trailingData(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	var v any
	return dec.Decode(&v) == nil && dec.More()
}

var tokenPattern = regexp.MustCompile(`alliance_[A-Za-z0-9_-]{43}`)

// apiToken creates a token for email with the real command line and returns it.
func apiToken(t *testing.T, m *Main, email string) string {
	t.Helper()
	out, err := cli(t, m, "user", "token", email, "--name", "test")
	if err != nil {
		t.Fatalf("user token %s: %v", email, err)
	}
	tok := tokenPattern.FindString(out)
	if tok == "" {
		t.Fatalf("user token printed no token: %q", out)
	}
	return tok
}

// addAPIUser adds a user with the real command line (the invitation is not needed for a token).
func addAPIUser(t *testing.T, m *Main, email string, flags ...string) {
	t.Helper()
	if _, err := cli(t, m, append([]string{"user", "add", email}, flags...)...); err != nil {
		t.Fatalf("user add %s: %v", email, err)
	}
}

// jsonBody encodes v for a request.
func jsonBody(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
