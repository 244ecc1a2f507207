package auth

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// ErrCrossSite is the error of a form sent from another site, or without its token.
var ErrCrossSite = errors.New("the form did not come from this site, or has expired")

// CSRFField is the name of the hidden field that carries a form's token.
const CSRFField = "csrf"

// CheckOrigin refuses a state-changing request that a browser says comes from another site.
// Browsers send Sec-Fetch-Site (and Origin) with every form post; a request with neither comes
// from a program, which holds no victim's cookie, and still needs the form's token. origin is
// the site's own origin (scheme://host), or "" to accept the request's own Host.
func CheckOrigin(r *http.Request, origin string) error {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return ErrCrossSite
	}
	o := r.Header.Get("Origin")
	switch o {
	case "":
		return nil
	case "null": // a sandboxed frame, or a redirect from another site
		return ErrCrossSite
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" {
		return ErrCrossSite
	}
	if origin != "" {
		if !strings.EqualFold(strings.TrimSuffix(origin, "/"), u.Scheme+"://"+u.Host) {
			return ErrCrossSite
		}
		return nil
	}
	if !strings.EqualFold(u.Host, r.Host) {
		return ErrCrossSite
	}
	return nil
}

// CheckForm refuses a posted form whose token is not want (the session's, or the anonymous
// form cookie's), or that CheckOrigin refuses. The form must have been parsed.
func CheckForm(r *http.Request, origin, want string) error {
	if err := CheckOrigin(r, origin); err != nil {
		return err
	}
	if !SameToken(want, r.PostFormValue(CSRFField)) {
		return ErrCrossSite
	}
	return nil
}
