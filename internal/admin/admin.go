// Package admin is the back office, under /admin/: signing in and out, password reset and
// invitations by mail, the signed-in home, and the administrators' users page. Pages are
// rendered with templ (views.templ; the generated views_templ.go is committed), in the user's
// language, without script; every form carries a CSRF token and every change is audited.
//
//go:generate go run github.com/a-h/templ/cmd/templ@v0.3.1118 generate -path .
package admin

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/mail"
	"github.com/alliance-platform/alliance/internal/markdown"
	"github.com/alliance-platform/alliance/internal/store"
)

// prefix is where the back office is mounted; its cookies are limited to it.
const prefix = "/admin/"

// Cookie names. The session's holds its token; the form cookie holds the CSRF token of the
// forms shown before signing in (sign-in, reset, invitation), compared with the form's field.
const (
	sessionCookie = "alliance_session"
	formCookie    = "alliance_form"
)

const minPassword = auth.MinPasswordLen

//go:embed static/admin.css
var static embed.FS

// Handler serves the back office.
type Handler struct {
	cfg    *alliance.Config
	db     *store.DB
	auth   *auth.Service
	mailer *mail.Mailer // nil: the site sends no mail
	log    *slog.Logger
	mux    *http.ServeMux
	md     *markdown.Renderer // the site's renderer, for the item forms' previews
}

// New returns the back office of the site in db. mailer may be nil.
func New(cfg *alliance.Config, db *store.DB, mailer *mail.Mailer) *Handler {
	h := &Handler{cfg: cfg, db: db, auth: auth.New(db, cfg.Clock), mailer: mailer, log: cfg.Logger, mux: http.NewServeMux()}
	if h.log == nil {
		h.log = slog.Default()
	}
	h.mux.HandleFunc("GET /admin/{$}", h.serve(h.home, true))
	h.mux.HandleFunc("GET /admin/style.css", h.style)
	h.mux.HandleFunc("GET /admin/signin", h.serve(h.signinForm, false))
	h.mux.HandleFunc("POST /admin/signin", h.serve(h.signin, false))
	h.mux.HandleFunc("POST /admin/signout", h.serve(h.signout, true))
	h.mux.HandleFunc("GET /admin/reset", h.serve(h.resetRequest, false))
	h.mux.HandleFunc("POST /admin/reset", h.serve(h.resetRequest, false))
	h.mux.HandleFunc("GET /admin/reset/{token}", h.serve(h.resetPassword, false))
	h.mux.HandleFunc("POST /admin/reset/{token}", h.serve(h.resetPassword, false))
	h.mux.HandleFunc("GET /admin/invitation/{token}", h.serve(h.invitation, false))
	h.mux.HandleFunc("POST /admin/invitation/{token}", h.serve(h.invitation, false))
	h.mux.HandleFunc("GET /admin/users", h.serve(h.users, true))
	h.mux.HandleFunc("POST /admin/users", h.serve(h.users, true))
	h.mux.HandleFunc("GET /admin/users/{id}", h.serve(h.user, true))
	h.mux.HandleFunc("POST /admin/users/{id}", h.serve(h.user, true))
	h.mux.HandleFunc("GET /admin/audit", h.serve(h.audit, true))
	h.mux.HandleFunc("GET /admin/audit/{$}", h.serve(h.audit, true))
	h.mux.HandleFunc("GET /admin/translations/{$}", h.serve(h.translations, true))
	h.mux.HandleFunc("GET /admin/items/{kind}/{key}/revisions/{$}", h.serve(h.revisions, true))
	h.mux.HandleFunc("POST /admin/items/{kind}/{key}/revisions/{n}/restore", h.serve(h.restore, true))
	h.mux.HandleFunc("GET /admin/preview/{kind}/{key}", h.serve(h.preview, true))
	h.routeItems()
	h.routeMedia()
	h.mux.HandleFunc("GET /admin/tokens", h.serve(h.tokens, true))
	h.mux.HandleFunc("POST /admin/tokens", h.serve(h.tokens, true))
	h.mux.HandleFunc("/admin/", h.serve(h.notFound, false))
	return h
}

// ServeHTTP sets the headers of every back office response: nothing is cached or framed,
// nothing loads from another host, no script runs, and no address (a mailed link's token)
// leaks to another site in a Referer. The referrer policy is same-origin, not no-referrer:
// under no-referrer a browser sends "Origin: null" with the back office's own form posts,
// which the CSRF check (auth.CheckOrigin) must refuse, and no one could sign in.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
	if h.https(r) {
		hd.Set("Strict-Transport-Security", "max-age=31536000")
	}
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) style(w http.ResponseWriter, r *http.Request) {
	css, _ := static.ReadFile("static/admin.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(css)
}

// request is one request to the back office and what is known of its sender.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	ctx  context.Context
	l    *locale.Locale
	site *alliance.Site
	user *alliance.User // nil when not signed in
	sess *store.Session
}

// serve wraps a page: it reads the site and the session, picks the language, and sends a
// visitor who is not signed in to the sign-in form when signedIn is required.
func (h *Handler) serve(fn func(*request) error, signedIn bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := &request{w: w, r: r, ctx: r.Context(), l: locale.MustGet(locale.Match(r.Header.Get("Accept-Language")))}
		site, err := h.db.Site(q.ctx)
		if err != nil {
			h.fail(q, err)
			return
		}
		q.site = site
		if c, err := r.Cookie(sessionCookie); err == nil {
			u, sess, err := h.auth.Session(q.ctx, c.Value)
			switch {
			case err == nil:
				q.user, q.sess = u, sess
				if l, ok := locale.Get(u.Lang); ok && u.Lang != "" {
					q.l = l
				}
			case !store.IsNotFound(err):
				h.fail(q, err)
				return
			}
		}
		if signedIn && q.user == nil {
			http.Redirect(w, r, prefix+"signin", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if err := r.ParseForm(); err != nil {
				h.render(q, http.StatusBadRequest, messagePage(h.page(q, q.l.B("error.title")), q.l.B("form.csrf"), "", ""))
				return
			}
		}
		if err := fn(q); err != nil {
			h.fail(q, err)
		}
	}
}

// fail answers an error the handler could not: 503 when the database is away, else 500.
func (h *Handler) fail(q *request, err error) {
	status, text := http.StatusInternalServerError, q.l.B("error.title")
	if errors.Is(err, alliance.ErrUnavailable) {
		status, text = http.StatusServiceUnavailable, q.l.B("error.unavailable")
		q.w.Header().Set("Retry-After", "5")
	}
	h.log.Error("back office", "path", q.r.URL.Path, "err", err)
	if q.site == nil {
		q.site = &alliance.Site{}
	}
	h.render(q, status, messagePage(h.page(q, q.l.B("error.title")), text, "", ""))
}

func (h *Handler) notFound(q *request) error {
	return h.render(q, http.StatusNotFound, messagePage(h.page(q, q.l.B("error.title")), q.l.B("error.notfound"), prefix, q.l.B("nav.home")))
}

func (h *Handler) forbidden(q *request) error {
	return h.render(q, http.StatusForbidden, messagePage(h.page(q, q.l.B("error.title")), q.l.B("error.forbidden"), prefix, q.l.B("nav.home")))
}

// render writes a component with status, buffered so that an error sends no half page.
func (h *Handler) render(q *request, status int, c templ.Component) error {
	var b bytes.Buffer
	if err := c.Render(q.ctx, &b); err != nil {
		return err
	}
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.WriteHeader(status)
	q.w.Write(b.Bytes())
	return nil
}

func (h *Handler) redirect(q *request, path string) error {
	http.Redirect(q.w, q.r, path, http.StatusSeeOther)
	return nil
}

// page is what the layout shows around a page's content.
type page struct {
	L      *locale.Locale
	Title  string
	Site   string
	User   *alliance.User
	CSRF   string
	Notice string
	Alert  string
	Nav    string
}

func (h *Handler) page(q *request, title string) *page {
	p := &page{L: q.l, Title: title, Site: q.site.Name, User: q.user}
	if q.sess != nil {
		p.CSRF = q.sess.CSRF
	}
	return p
}

// anonymousPage is a page with a form shown before signing in: its CSRF token is the form
// cookie's, set here when the browser has none.
func (h *Handler) anonymousPage(q *request, title string) *page {
	p := h.page(q, title)
	if c, err := q.r.Cookie(formCookie); err == nil && c.Value != "" {
		p.CSRF = c.Value
	} else {
		p.CSRF = auth.NewToken()
		h.setCookie(q, formCookie, p.CSRF, 0)
	}
	return p
}

// checkAnonymousForm checks a form posted before signing in against the form cookie.
func (h *Handler) checkAnonymousForm(q *request) error {
	c, err := q.r.Cookie(formCookie)
	if err != nil {
		return auth.ErrCrossSite
	}
	return auth.CheckForm(q.r, h.cfg.BaseURL, c.Value)
}

// checkForm checks a signed-in user's form against their session's token.
func (h *Handler) checkForm(q *request) error {
	return auth.CheckForm(q.r, h.cfg.BaseURL, q.sess.CSRF)
}

func (h *Handler) https(r *http.Request) bool {
	return strings.HasPrefix(h.cfg.BaseURL, "https://") || r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// setCookie sets a cookie on the back office's path only, so public pages never get one back.
// maxAge 0 makes a cookie that ends with the browser; -1 deletes it.
func (h *Handler) setCookie(q *request, name, value string, maxAge int) {
	http.SetCookie(q.w, &http.Cookie{Name: name, Value: value, Path: prefix, MaxAge: maxAge,
		HttpOnly: true, Secure: h.https(q.r), SameSite: http.SameSiteLaxMode})
}

// origin is the site's origin, for links in mails.
func (h *Handler) origin(r *http.Request) string {
	if h.cfg.BaseURL != "" {
		return strings.TrimSuffix(h.cfg.BaseURL, "/")
	}
	scheme := "http"
	if h.https(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// addr is the network address a request came from, for the rate limit and the audit log.
func addr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (q *request) actor() auth.Actor { return auth.Actor{User: q.user, Addr: addr(q.r)} }

// field is one form field as the templates show it.
type field struct {
	L            *locale.Locale
	Name         string
	Label        string
	Type         string
	Value        string
	Help         string
	Error        string
	Autocomplete string
	Required     bool
}

func (f field) help(s string) field {
	f.Help = s
	return f
}

// describedBy ties the field to its help and its error, for screen readers.
func (f field) describedBy() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, "f-"+f.Name+"-help")
	}
	if f.Error != "" {
		ids = append(ids, "f-"+f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// form is what was typed into a form and what is wrong with it, by field name.
type form struct {
	Values url.Values
	Errors map[string]string
}

func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}}
}

// field describes the form's field name; a password is never shown again.
func (f *form) field(l *locale.Locale, name, labelKey, typ, autocomplete string, required bool) field {
	fd := field{L: l, Name: name, Label: l.B(labelKey), Type: typ, Value: f.Values.Get(name),
		Error: f.Errors[name], Autocomplete: autocomplete, Required: required}
	if typ == "password" {
		fd.Value = ""
	}
	return fd
}

func (f *form) ok() bool { return len(f.Errors) == 0 }

// option is one choice of a select or a group of checkboxes.
type option struct {
	Value, Label, Lang string
	Hint               string // secondary text after the label (a person's key after their name)
}

// choices are the options of the user fields.
type choices struct {
	Roles, Members, Languages, UILanguages []option
}

type userRow struct {
	Email, Name, Role, Status, Href string
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

func displayName(u *alliance.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

func (h *Handler) home(q *request) error {
	p := h.page(q, q.l.B("home.title"))
	p.Nav = "home"
	member := ""
	if q.user.Member != "" {
		member = h.memberName(q, q.user.Member)
	}
	var langs []string
	for _, code := range q.user.Languages {
		langs = append(langs, q.l.LanguageName(code))
	}
	return h.render(q, http.StatusOK, homePage(p, q.l.B("role."+string(q.user.Role)), member, strings.Join(langs, ", ")))
}

func (h *Handler) memberName(q *request, key string) string {
	members, err := h.db.MemberNames(q.ctx, q.l.Lang)
	if err == nil {
		for _, m := range members {
			if m.Key == key {
				return m.Name
			}
		}
	}
	return key
}

func (h *Handler) signinForm(q *request) error {
	if q.user != nil {
		return h.redirect(q, prefix)
	}
	p := h.anonymousPage(q, q.l.B("signin.title"))
	if q.r.URL.Query().Get("done") == "signout" {
		p.Notice = q.l.B("signout.done")
	}
	return h.render(q, http.StatusOK, signinPage(p, newForm(nil)))
}

func (h *Handler) signin(q *request) error {
	f := newForm(q.r.PostForm)
	p := h.anonymousPage(q, q.l.B("signin.title"))
	if err := h.checkAnonymousForm(q); err != nil {
		p.Alert = q.l.B("form.csrf")
		return h.render(q, http.StatusForbidden, signinPage(p, f))
	}
	email, password := strings.TrimSpace(f.Values.Get("email")), f.Values.Get("password")
	if email == "" {
		f.Errors["email"] = q.l.B("err.required")
	}
	if password == "" {
		f.Errors["password"] = q.l.B("err.required")
	}
	if !f.ok() {
		p.Alert = q.l.B("form.errors")
		return h.render(q, http.StatusUnprocessableEntity, signinPage(p, f))
	}
	in, err := h.auth.SignIn(q.ctx, email, password, addr(q.r))
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		p.Alert = q.l.B("signin.bad")
		return h.render(q, http.StatusUnauthorized, signinPage(p, f))
	case errors.Is(err, auth.ErrLimited):
		p.Alert = q.l.B("signin.limited")
		q.w.Header().Set("Retry-After", strconv.Itoa(int(auth.DefaultLimit.Window.Seconds())))
		return h.render(q, http.StatusTooManyRequests, signinPage(p, f))
	case errors.Is(err, auth.ErrDisabled):
		p.Alert = q.l.B("signin.disabled")
		return h.render(q, http.StatusForbidden, signinPage(p, f))
	case err != nil:
		return err
	}
	h.signedIn(q, in)
	return h.redirect(q, prefix)
}

// signedIn gives the browser its new session's cookie and drops the form cookie.
func (h *Handler) signedIn(q *request, in *auth.SignedIn) {
	h.setCookie(q, sessionCookie, in.Token, int(auth.SessionTTL.Seconds()))
	h.setCookie(q, formCookie, "", -1)
}

func (h *Handler) signout(q *request) error {
	if err := h.checkForm(q); err != nil {
		return h.render(q, http.StatusForbidden, messagePage(h.page(q, q.l.B("error.title")), q.l.B("form.csrf"), prefix, q.l.B("nav.home")))
	}
	if err := h.auth.SignOut(q.ctx, q.actor(), q.sess); err != nil {
		return err
	}
	h.setCookie(q, sessionCookie, "", -1)
	return h.redirect(q, prefix+"signin?done=signout")
}

func (h *Handler) resetRequest(q *request) error {
	p := h.anonymousPage(q, q.l.B("reset.title"))
	f := newForm(q.r.PostForm)
	if q.r.Method == http.MethodGet || h.mailer == nil {
		return h.render(q, http.StatusOK, resetRequestPage(p, f, h.mailer != nil))
	}
	if err := h.checkAnonymousForm(q); err != nil {
		p.Alert = q.l.B("form.csrf")
		return h.render(q, http.StatusForbidden, resetRequestPage(p, f, true))
	}
	email := strings.TrimSpace(f.Values.Get("email"))
	if email == "" {
		f.Errors["email"] = q.l.B("err.required")
		p.Alert = q.l.B("form.errors")
		return h.render(q, http.StatusUnprocessableEntity, resetRequestPage(p, f, true))
	}
	u, tok, err := h.auth.ResetLink(q.ctx, email, addr(q.r))
	switch {
	case store.IsNotFound(err):
		// Say the same as for a known address: the form must not tell who has an account.
	case err != nil:
		return err
	default:
		l := q.l
		if ul, ok := locale.Get(u.Lang); ok && u.Lang != "" {
			l = ul
		}
		msg := mail.Reset(l, q.site.Name, u.Email, u.Name, h.origin(q.r)+prefix+"reset/"+tok)
		if err := h.mailer.Send(q.ctx, msg); err != nil {
			h.log.Error("password reset mail", "to", u.Email, "err", err)
		}
	}
	return h.render(q, http.StatusOK, messagePage(p, q.l.B("reset.sent"), prefix+"signin", q.l.B("signin.title")))
}

func (h *Handler) resetPassword(q *request) error {
	// The page speaks the language of the mail that linked to it.
	if u, err := h.auth.LinkUser(q.ctx, q.r.PathValue("token"), store.PurposeReset); err == nil {
		if l, ok := locale.Get(u.Lang); ok && u.Lang != "" {
			q.l = l
		}
	}
	return h.useLink(q, store.PurposeReset, q.l.B("reset.set_title"), "", false, q.l.B("reset.set_button"))
}

func (h *Handler) invitation(q *request) error {
	u, err := h.auth.LinkUser(q.ctx, q.r.PathValue("token"), store.PurposeInvite)
	intro := ""
	if err == nil {
		// The page speaks the language of the mail that linked to it.
		if l, ok := locale.Get(u.Lang); ok && u.Lang != "" {
			q.l = l
		}
		intro = q.l.B("invite.intro", "site", q.site.Name, "role", q.l.B("role."+string(u.Role)))
	}
	return h.useLink(q, store.PurposeInvite, q.l.B("invite.title"), intro, true, q.l.B("invite.button"))
}

// useLink shows and handles the form of a mailed link: a new password (and a name for an
// invitation). A link that is unknown, used or expired answers 410 Gone.
func (h *Handler) useLink(q *request, purpose, title, intro string, withName bool, button string) error {
	token := q.r.PathValue("token")
	p := h.anonymousPage(q, title)
	bad := func() error {
		return h.render(q, http.StatusGone, messagePage(p, q.l.B("link.bad"), prefix+"reset", q.l.B("reset.title")))
	}
	u, err := h.auth.LinkUser(q.ctx, token, purpose)
	if errors.Is(err, auth.ErrBadLink) {
		return bad()
	}
	if err != nil {
		return err
	}
	f := newForm(q.r.PostForm)
	if q.r.Method == http.MethodGet {
		if withName {
			f.Values.Set("name", u.Name)
		}
		return h.render(q, http.StatusOK, passwordPage(p, f, q.r.URL.Path, intro, withName, button))
	}
	if err := h.checkAnonymousForm(q); err != nil {
		p.Alert = q.l.B("form.csrf")
		return h.render(q, http.StatusForbidden, passwordPage(p, f, q.r.URL.Path, intro, withName, button))
	}
	password := f.Values.Get("password")
	switch err := auth.CheckPassword(password); {
	case password == "":
		f.Errors["password"] = q.l.B("err.required")
	case errors.Is(err, auth.ErrPasswordTooShort):
		f.Errors["password"] = q.l.B("err.password_short", "min", minPassword)
	case errors.Is(err, auth.ErrPasswordTooLong):
		f.Errors["password"] = q.l.B("err.password_long")
	case f.Values.Get("confirm") != password:
		f.Errors["confirm"] = q.l.B("err.password_mismatch")
	}
	if !f.ok() {
		p.Alert = q.l.B("form.errors")
		return h.render(q, http.StatusUnprocessableEntity, passwordPage(p, f, q.r.URL.Path, intro, withName, button))
	}
	in, err := h.auth.UseLink(q.ctx, token, purpose, f.Values.Get("name"), password, addr(q.r))
	if errors.Is(err, auth.ErrBadLink) {
		return bad()
	}
	if err != nil {
		return err
	}
	h.signedIn(q, in)
	return h.redirect(q, prefix)
}

// choices builds the options of the user fields in the page's language.
func (h *Handler) choices(q *request) (*choices, error) {
	c := &choices{}
	for _, r := range alliance.Roles {
		c.Roles = append(c.Roles, option{Value: string(r), Label: q.l.B("role." + string(r))})
	}
	c.Members = []option{{Value: "", Label: q.l.B("field.member_none")}}
	members, err := h.db.MemberNames(q.ctx, q.l.Lang)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		c.Members = append(c.Members, option{Value: m.Key, Label: m.Name})
	}
	for _, code := range q.site.Languages {
		c.Languages = append(c.Languages, option{Value: code, Label: locale.Autonym(code), Lang: code})
	}
	for _, code := range locale.Supported {
		c.UILanguages = append(c.UILanguages, option{Value: code, Label: locale.Autonym(code), Lang: code})
	}
	return c, nil
}

// userFrom reads the user fields of a posted form into u.
func userFrom(f *form, u *alliance.User) {
	u.Name = strings.TrimSpace(f.Values.Get("name"))
	u.Role = alliance.Role(f.Values.Get("role"))
	u.Member = f.Values.Get("member")
	u.Languages = f.Values["languages"]
	u.Lang = f.Values.Get("lang")
	// A member only means something to a member editor, languages to a translator: keep the
	// user's scope to what their role uses.
	if u.Role != alliance.RoleMemberEditor {
		u.Member = ""
	}
	if u.Role != alliance.RoleTranslator {
		u.Languages = nil
	}
}

// fieldErrors puts the errors of a user's validation next to their fields, in the page's
// language.
func fieldErrors(q *request, f *form, err error) bool {
	var verr *auth.ValidationError
	if errors.Is(err, store.ErrExists) {
		f.Errors["email"] = q.l.B("err.email_taken")
		return true
	}
	if !errors.As(err, &verr) {
		return false
	}
	for _, fe := range verr.Errors {
		if f.Errors[fe.Field] != "" {
			continue
		}
		switch fe.Field {
		case "email":
			if f.Values.Get("email") == "" {
				f.Errors["email"] = q.l.B("err.required")
			} else {
				f.Errors["email"] = q.l.B("err.email")
			}
		case "role":
			f.Errors["role"] = q.l.B("err.role")
		case "member":
			f.Errors["member"] = q.l.B("err.member")
		case "languages":
			f.Errors["languages"] = q.l.B("err.languages")
		default:
			f.Errors[fe.Field] = message(q.l, fe)
		}
	}
	return true
}

func (h *Handler) users(q *request) error {
	if !alliance.Can(q.user, alliance.Do(alliance.VerbUsers), alliance.Owned{}) {
		return h.forbidden(q)
	}
	p := h.page(q, q.l.B("users.title"))
	p.Nav = "users"
	c, err := h.choices(q)
	if err != nil {
		return err
	}
	f := newForm(q.r.PostForm)
	status, link := http.StatusOK, ""
	if q.r.Method == http.MethodGet {
		f.Values.Set("role", string(alliance.RoleEditor))
	} else if err := h.checkForm(q); err != nil {
		p.Alert, status = q.l.B("form.csrf"), http.StatusForbidden
	} else {
		u := &alliance.User{Email: strings.TrimSpace(f.Values.Get("email"))}
		userFrom(f, u)
		tok, err := h.auth.Invite(q.ctx, q.actor(), u)
		switch {
		case fieldErrors(q, f, err):
			p.Alert, status = q.l.B("form.errors"), http.StatusUnprocessableEntity
		case err != nil:
			return err
		default:
			if link, err = h.sendInvitation(q, u, tok); err != nil {
				return err
			}
			if link != "" {
				p.Notice = q.l.B("users.invited_link", "email", u.Email)
			} else {
				p.Notice = q.l.B("users.invited", "email", u.Email)
			}
			f = newForm(nil)
			f.Values.Set("role", string(alliance.RoleEditor))
		}
	}
	rows, err := h.userRows(q)
	if err != nil {
		return err
	}
	return h.render(q, status, usersPage(p, rows, f, c, link))
}

// sendInvitation mails an invitation, in the invited user's language (else the inviter's);
// without mail it returns the link for the administrator to pass on.
func (h *Handler) sendInvitation(q *request, u *alliance.User, tok string) (string, error) {
	link := h.origin(q.r) + prefix + "invitation/" + tok
	if h.mailer == nil {
		return link, nil
	}
	l := q.l
	if ul, ok := locale.Get(u.Lang); ok && u.Lang != "" {
		l = ul
	}
	msg := mail.Invitation(l, q.site.Name, u.Email, displayName(q.user), l.B("role."+string(u.Role)), link)
	if err := h.mailer.Send(q.ctx, msg); err != nil {
		return "", err
	}
	return "", nil
}

func (h *Handler) userRows(q *request) ([]userRow, error) {
	users, err := h.db.Users(q.ctx)
	if err != nil {
		return nil, err
	}
	invited, err := h.db.Invited(q.ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		status := q.l.B("users.status_active")
		switch {
		case u.Disabled:
			status = q.l.B("users.status_disabled")
		case invited[u.ID]:
			status = q.l.B("users.status_invited")
		}
		role := q.l.B("role." + string(u.Role))
		if u.Member != "" {
			role += " (" + h.memberName(q, u.Member) + ")"
		}
		if len(u.Languages) > 0 {
			role += " (" + strings.Join(u.Languages, ", ") + ")"
		}
		rows = append(rows, userRow{Email: u.Email, Name: u.Name, Role: role, Status: status, Href: prefix + "users/" + strconv.FormatInt(u.ID, 10)})
	}
	return rows, nil
}

func (h *Handler) user(q *request) error {
	if !alliance.Can(q.user, alliance.Do(alliance.VerbUsers), alliance.Owned{}) {
		return h.forbidden(q)
	}
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		return h.notFound(q)
	}
	u, err := h.db.User(q.ctx, id)
	if store.IsNotFound(err) {
		return h.notFound(q)
	}
	if err != nil {
		return err
	}
	invited, err := h.db.Invited(q.ctx)
	if err != nil {
		return err
	}
	c, err := h.choices(q)
	if err != nil {
		return err
	}
	p := h.page(q, u.Email)
	p.Nav = "users"
	f := newForm(q.r.PostForm)
	status := http.StatusOK
	switch {
	case q.r.Method == http.MethodGet:
		f.Values.Set("name", u.Name)
		f.Values.Set("role", string(u.Role))
		f.Values.Set("member", u.Member)
		f.Values["languages"] = u.Languages
		f.Values.Set("lang", u.Lang)
		if u.Disabled {
			f.Values.Set("disabled", "1")
		}
		if q.r.URL.Query().Get("done") == "saved" {
			p.Notice = q.l.B("user.saved")
		}
	case h.checkForm(q) != nil:
		p.Alert, status = q.l.B("form.csrf"), http.StatusForbidden
	case f.Values.Get("do") == "reinvite" && invited[u.ID]:
		tok, err := h.auth.Reinvite(q.ctx, q.actor(), u)
		if err != nil {
			return err
		}
		link, err := h.sendInvitation(q, u, tok)
		if err != nil {
			return err
		}
		rows, err := h.userRows(q)
		if err != nil {
			return err
		}
		p = h.page(q, q.l.B("users.title"))
		p.Nav = "users"
		if link != "" {
			p.Notice = q.l.B("users.invited_link", "email", u.Email)
		} else {
			p.Notice = q.l.B("users.invited", "email", u.Email)
		}
		nf := newForm(nil)
		nf.Values.Set("role", string(alliance.RoleEditor))
		return h.render(q, http.StatusOK, usersPage(p, rows, nf, c, link))
	default:
		changed := *u
		userFrom(f, &changed)
		changed.Disabled = f.Values.Get("disabled") != ""
		if u.ID == q.user.ID && (changed.Disabled || changed.Role != alliance.RoleAdministrator) {
			// An administrator who locked themselves out could leave a site with none.
			f.Errors["disabled"] = q.l.B("err.self")
		} else {
			err := h.auth.SaveUser(q.ctx, q.actor(), &changed)
			if !fieldErrors(q, f, err) {
				if err != nil {
					return err
				}
				return h.redirect(q, prefix+"users/"+strconv.FormatInt(u.ID, 10)+"?done=saved")
			}
		}
		p.Alert, status = q.l.B("form.errors"), http.StatusUnprocessableEntity
	}
	return h.render(q, status, userPage(p, f, c, invited[u.ID]))
}

// auditPageSize is how many lines of the audit log a page shows.
const auditPageSize = 50

type auditRow struct {
	At, Datetime, Actor, Action, Subject, Detail, Addr string
}

// audit shows the audit log to administrators, newest first, a page at a time: ?before=ID
// shows the entries older than ID.
func (h *Handler) audit(q *request) error {
	if !alliance.Can(q.user, alliance.Do(alliance.VerbAudit), alliance.Owned{}) {
		return h.forbidden(q)
	}
	var before int64
	if b := q.r.URL.Query().Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			return h.notFound(q)
		}
		before = n
	}
	// Filters: one action, and one user (by id) as the actor.
	filter := store.AuditQuery{Before: before, Limit: auditPageSize + 1}
	keep := url.Values{}
	if a := q.r.URL.Query().Get("action"); a != "" {
		if !slices.Contains(store.AuditActions, a) {
			return h.render(q, http.StatusBadRequest, messagePage(h.page(q, q.l.B("error.title")), q.l.B("error.notfound"), prefix+"audit", q.l.B("audit.title")))
		}
		filter.Action = a
		keep.Set("action", a)
	}
	if u := q.r.URL.Query().Get("user"); u != "" {
		id, err := strconv.ParseInt(u, 10, 64)
		if err != nil || id <= 0 {
			return h.notFound(q)
		}
		filter.Actor = id
		keep.Set("user", u)
	}
	entries, err := h.db.AuditLog(q.ctx, filter)
	if err != nil {
		return err
	}
	older := ""
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		keep.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		older = prefix + "audit?" + keep.Encode()
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		at := e.At.UTC()
		actor := e.Actor
		if e.ActorID == 0 && actor == auth.CommandLine {
			actor = q.l.B("audit.cli")
		}
		rows[i] = auditRow{At: q.l.DateShort(at) + " " + q.l.Time(at), Datetime: at.Format(time.RFC3339),
			Actor: actor, Action: q.l.B("action." + e.Action), Subject: e.Subject, Detail: e.Detail, Addr: e.Addr}
	}
	p := h.page(q, q.l.B("audit.title"))
	p.Nav = "audit"
	return h.render(q, http.StatusOK, auditPage(p, rows, older))
}
