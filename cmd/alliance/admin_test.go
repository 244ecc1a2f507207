package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/mail/mailtest"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// adminClock is the movable clock of a back office test, starting at the real time (the
// command line, which invites users, runs on the real clock).
type adminClock struct{ ns atomic.Int64 }

func newAdminClock() *adminClock {
	c := &adminClock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}
func (c *adminClock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *adminClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// startAdmin runs the real program on dbURL with the back office sending mail through smtp
// ("" for none) and telling the time by clock.
func startAdmin(t *testing.T, dbURL, smtp string, clock *adminClock) *Main {
	t.Helper()
	cfg := &alliance.Config{
		Addr:        "127.0.0.1:0",
		DataDir:     t.TempDir(),
		DatabaseURL: dbURL,
		PageCache:   true,
		Demo:        true,
		SMTP:        smtp,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:         clock.now,
	}
	m := NewMain(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// browser is a client that keeps cookies as a browser does (by path) and sends forms with
// the headers a browser adds to a same-origin form post.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, m *Main) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: m.URL(), c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// on returns a browser with the same cookies talking to another instance.
func (b *browser) on(m *Main) *browser {
	c := *b.c
	jar, _ := cookiejar.New(nil)
	from, _ := url.Parse(b.base + "/admin/")
	to, _ := url.Parse(m.URL() + "/admin/")
	jar.SetCookies(to, b.c.Jar.Cookies(from))
	c.Jar = jar
	return &browser{t: b.t, base: m.URL(), c: &c}
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

func (b *browser) get(path string, header ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.url(path), nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

func (b *browser) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.base + path
}

// post sends a form as a browser on this site would: Origin and Sec-Fetch-Site set. Pairs of
// header names and values may follow the form's values after a "--" entry.
func (b *browser) post(path string, form url.Values, header ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// form gets a page and returns the CSRF token of its form.
func (b *browser) form(path string) string {
	b.t.Helper()
	r := b.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s = %d, no form token:\n%s", path, r.status, r.body)
	}
	return m[1]
}

// submit gets the form at path and posts values to action with its token.
func (b *browser) submit(path, action string, values url.Values) response {
	b.t.Helper()
	values.Set("csrf", b.form(path))
	return b.post(action, values)
}

func (b *browser) signIn(email, password string) response {
	b.t.Helper()
	return b.submit("/admin/signin", "/admin/signin", url.Values{"email": {email}, "password": {password}})
}

// cli runs the real command line with args against m's database.
func cli(t *testing.T, m *Main, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	// The instance's configuration first: flags given later win.
	args = append([]string{"--database", m.Config.DatabaseURL, "--base-url", m.URL(), "--smtp", m.Config.SMTP}, args...)
	err := run(context.Background(), args, &out, io.Discard)
	return out.String(), err
}

var linkPattern = regexp.MustCompile(`http://[^\s]+/admin/(?:invitation|reset)/[A-Za-z0-9_-]+`)

// invite adds a user with the command line and accepts the invitation with password in a new
// browser, signed in afterwards.
func invite(t *testing.T, m *Main, email, password string, flags ...string) *browser {
	t.Helper()
	out, err := cli(t, m, append([]string{"user", "add", email}, flags...)...)
	if err != nil {
		t.Fatalf("user add %s: %v", email, err)
	}
	link := linkPattern.FindString(out)
	if link == "" {
		t.Fatalf("user add printed no link: %q", out)
	}
	b := newBrowser(t, m)
	r := b.submit(link, link, url.Values{"name": {"Name of " + email}, "password": {password}, "confirm": {password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/" {
		t.Fatalf("accepting the invitation = %d %s:\n%s", r.status, r.header.Get("Location"), r.body)
	}
	return b
}

const goodPassword = "seven blue herons at dawn"

func TestAdminSignInAndOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		out, err := cli(t, m, "user", "add", "Ana@Example.EU", "--role", "member-editor", "--member", "genil")
		if err != nil || !strings.Contains(out, "no mail server is configured") {
			t.Fatalf("user add: %q, %v", out, err)
		}
		link := linkPattern.FindString(out)
		b := newBrowser(t, m)
		page := b.get(link)
		if page.status != 200 || !strings.Contains(page.body, "as member editor") {
			t.Fatalf("invitation page = %d:\n%s", page.status, page.body)
		}
		for _, c := range page.header.Values("Set-Cookie") {
			if !strings.Contains(c, "Path=/admin/") || !strings.Contains(c, "HttpOnly") {
				t.Errorf("cookie beyond the back office or readable by script: %s", c)
			}
		}
		// A password too short is refused next to its field, with the name kept.
		r := b.submit(link, link, url.Values{"name": {"Ana Ruiz"}, "password": {"short"}, "confirm": {"short"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="Ana Ruiz"`) ||
			!regexp.MustCompile(`<p class="error" id="f-password-error">The password needs at least 12 characters.</p><input id="f-password"[^>]*aria-invalid="true" aria-describedby="f-password-help f-password-error"`).MatchString(r.body) {
			t.Errorf("short password = %d:\n%s", r.status, r.body)
		}
		r = b.submit(link, link, url.Values{"name": {"Ana Ruiz"}, "password": {goodPassword}, "confirm": {goodPassword}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("accepting = %d:\n%s", r.status, r.body)
		}
		session := ""
		for _, c := range r.header.Values("Set-Cookie") {
			if strings.HasPrefix(c, "alliance_session=") {
				session = c
			}
		}
		if !strings.Contains(session, "Path=/admin/") || !strings.Contains(session, "HttpOnly") || !strings.Contains(session, "SameSite=Lax") {
			t.Errorf("session cookie %q", session)
		}
		if r := newBrowser(t, m).get(link); r.status != http.StatusGone {
			t.Errorf("the invitation's second use = %d, want 410", r.status)
		}
		home := b.get("/admin/")
		if home.status != 200 || !strings.Contains(home.body, "Hello, Ana Ruiz.") || !strings.Contains(home.body, "Your role: member editor.") ||
			!strings.Contains(home.body, "Your university: ") {
			t.Errorf("home = %d:\n%s", home.status, home.body)
		}
		// Public pages set no cookie, and the browser sends them none of the back office's.
		for _, path := range []string{"/", "/en/", "/de/nachrichten/"} {
			req, _ := http.NewRequest("GET", m.URL()+path, nil)
			if cs := b.c.Jar.Cookies(req.URL); len(cs) != 0 {
				t.Errorf("the browser would send %v to %s", cs, path)
			}
			if r := b.get(path); len(r.header.Values("Set-Cookie")) != 0 {
				t.Errorf("GET %s set %v", path, r.header.Values("Set-Cookie"))
			}
		}
		// Sign out.
		r = b.post("/admin/signout", url.Values{"csrf": {csrfField.FindStringSubmatch(home.body)[1]}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/signin?done=signout" {
			t.Fatalf("sign out = %d %s", r.status, r.header.Get("Location"))
		}
		if r := b.get("/admin/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/signin" {
			t.Errorf("home after sign-out = %d %s", r.status, r.header.Get("Location"))
		}
		// A wrong password is refused, keeping the address typed.
		r = b.signIn("ana@example.eu", "not my password")
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong e-mail address or password.") || !strings.Contains(r.body, `value="ana@example.eu"`) {
			t.Errorf("wrong password = %d:\n%s", r.status, r.body)
		}
		if r := b.signIn("ANA@example.eu", goodPassword); r.status != http.StatusSeeOther {
			t.Errorf("sign in = %d:\n%s", r.status, r.body)
		}
		if r := b.get("/admin/"); r.status != 200 {
			t.Errorf("home after signing in again = %d", r.status)
		}
		log, _ := m.DB.AuditLog(context.Background(), store.AuditQuery{})
		var actions []string
		for _, e := range log {
			if strings.HasPrefix(e.Action, "item-") { // the demo's import, audited item by item
				continue
			}
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, " "); got != "sign-in sign-in-failure sign-out password-changed user-invited" {
			t.Errorf("audit log: %s", got)
		}
	})
}

func TestAdminRateLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		clock := newAdminClock()
		m := startAdmin(t, dbURL, "", clock)
		invite(t, m, "ana@example.eu", goodPassword, "--role", "editor")
		b := newBrowser(t, m)
		for i := range auth.DefaultLimit.PerAccount {
			if r := b.signIn("ana@example.eu", "guess"); r.status != http.StatusUnauthorized {
				t.Fatalf("guess %d = %d", i, r.status)
			}
		}
		r := b.signIn("ana@example.eu", goodPassword)
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "Too many failed attempts") {
			t.Fatalf("after %d guesses = %d:\n%s", auth.DefaultLimit.PerAccount, r.status, r.body)
		}
		clock.add(auth.DefaultLimit.Window - time.Minute)
		if r := b.signIn("ana@example.eu", goodPassword); r.status != http.StatusTooManyRequests {
			t.Errorf("within the window = %d, want 429", r.status)
		}
		clock.add(time.Minute)
		if r := b.signIn("ana@example.eu", goodPassword); r.status != http.StatusSeeOther {
			t.Errorf("after the window = %d, want 303:\n%s", r.status, r.body)
		}
	})
}

func TestAdminCSRF(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		admin := invite(t, m, "admin@example.eu", goodPassword, "--role", "administrator")
		token := admin.form("/admin/users")
		invitation := url.Values{"email": {"new@example.eu"}, "role": {"editor"}}
		for _, tt := range []struct {
			name   string
			csrf   string
			header []string
		}{
			{"no token", "", nil},
			{"another token", auth.NewToken(), nil},
			{"cross-site", token, []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}},
			{"another origin", token, []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
		} {
			v := url.Values{}
			for k, vs := range invitation {
				v[k] = vs
			}
			if tt.csrf != "" {
				v.Set("csrf", tt.csrf)
			}
			if r := admin.post("/admin/users", v, tt.header...); r.status != http.StatusForbidden || !strings.Contains(r.body, "This form has expired") {
				t.Errorf("%s: %d", tt.name, r.status)
			}
		}
		if _, _, err := m.DB.UserByEmail(context.Background(), "new@example.eu"); !store.IsNotFound(err) {
			t.Errorf("a refused form created a user: %v", err)
		}
		invitation.Set("csrf", token)
		if r := admin.post("/admin/users", invitation); r.status != http.StatusOK || !strings.Contains(r.body, "new@example.eu is invited") {
			t.Errorf("with the token = %d:\n%s", r.status, r.body)
		}
		// Sign-in and sign-out check their tokens too.
		anon := newBrowser(t, m)
		if r := anon.post("/admin/signin", url.Values{"email": {"admin@example.eu"}, "password": {goodPassword}}); r.status != http.StatusForbidden {
			t.Errorf("sign-in without a token = %d", r.status)
		}
		if r := admin.post("/admin/signout", url.Values{}); r.status != http.StatusForbidden {
			t.Errorf("sign-out without a token = %d", r.status)
		}
		if r := admin.get("/admin/"); r.status != 200 {
			t.Errorf("a refused sign-out signed out: %d", r.status)
		}
	})
}

// A session opened on one instance works on another on the same database, and signing out on
// either ends it on both.
func TestAdminSessionAcrossInstances(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		clock := newAdminClock()
		a := startAdmin(t, dbURL, "", clock)
		b := startAdmin(t, dbURL, "", clock)
		onA := invite(t, a, "ana@example.eu", goodPassword, "--role", "editor")
		onB := onA.on(b)
		home := onB.get("/admin/")
		if home.status != 200 || !strings.Contains(home.body, "Hello, Name of ana@example.eu.") {
			t.Fatalf("the session on the second instance = %d:\n%s", home.status, home.body)
		}
		if r := onB.post("/admin/signout", url.Values{"csrf": {csrfField.FindStringSubmatch(home.body)[1]}}); r.status != http.StatusSeeOther {
			t.Fatalf("sign out on the second instance = %d", r.status)
		}
		if r := onA.get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("the first instance after signing out on the second = %d, want 303", r.status)
		}
		// Sessions expire.
		in := newBrowser(t, a)
		in.signIn("ana@example.eu", goodPassword)
		clock.add(auth.SessionTTL)
		if r := in.on(b).get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("a session past its time = %d, want 303", r.status)
		}
	})
}

func TestAdminPasswordResetByMail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		smtp := mailtest.Start(t)
		m := startAdmin(t, dbURL, smtp.URL("noreply@meridia.example.eu"), newAdminClock())
		out, err := cli(t, m, "user", "add", "eleni@example.eu", "--role", "translator", "--languages", "el,de")
		if err != nil || !strings.Contains(out, "the invitation is mailed") {
			t.Fatalf("user add: %q, %v", out, err)
		}
		invitation := smtp.Wait(t, "eleni@example.eu")
		link := linkPattern.FindString(invitation.Body)
		if !strings.Contains(invitation.Subject, "your invitation") || link == "" {
			t.Fatalf("invitation mail: %q\n%s", invitation.Subject, invitation.Body)
		}
		eleni := newBrowser(t, m)
		if r := eleni.submit(link, link, url.Values{"name": {"Eleni"}, "password": {goodPassword}, "confirm": {goodPassword}}); r.status != http.StatusSeeOther {
			t.Fatalf("accepting the mailed invitation = %d", r.status)
		}
		// An administrator sets Eleni's language to Greek; her mails come in Greek.
		if _, err := cli(t, m, "user", "add", "admin@example.eu", "--role", "administrator"); err != nil {
			t.Fatal(err)
		}
		link = linkPattern.FindString(smtp.Wait(t, "admin@example.eu").Body)
		admin := newBrowser(t, m)
		if r := admin.submit(link, link, url.Values{"password": {goodPassword}, "confirm": {goodPassword}}); r.status != http.StatusSeeOther {
			t.Fatalf("accept = %d", r.status)
		}
		u, _, _ := m.DB.UserByEmail(context.Background(), "eleni@example.eu")
		path := "/admin/users/" + strconv.FormatInt(u.ID, 10)
		r := admin.submit(path, path, url.Values{"name": {"Eleni"}, "role": {"translator"}, "languages": {"el", "de"}, "lang": {"el"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("saving the user = %d:\n%s", r.status, r.body)
		}
		anon := newBrowser(t, m)
		if r := anon.submit("/admin/reset", "/admin/reset", url.Values{"email": {"Eleni@example.eu"}}); r.status != 200 || !strings.Contains(r.body, "a link to set a new password is on its way") {
			t.Fatalf("reset request = %d:\n%s", r.status, r.body)
		}
		// An unknown address gets the same answer and no mail.
		if r := anon.submit("/admin/reset", "/admin/reset", url.Values{"email": {"nobody@example.eu"}}); r.status != 200 || !strings.Contains(r.body, "is on its way") {
			t.Errorf("reset of an unknown address = %d", r.status)
		}
		var reset mailtest.Message
		eventually(t, 10*time.Second, "the reset mail", func() bool {
			for _, msg := range smtp.Messages() {
				if strings.Contains(msg.Subject, "νέου κωδικού") {
					reset = msg
					return true
				}
			}
			return false
		})
		if len(smtp.Messages()) != 3 { // two invitations, one reset
			t.Errorf("%d mails, want 3", len(smtp.Messages()))
		}
		link = linkPattern.FindString(reset.Body)
		if !strings.Contains(reset.Body, "Γεια σας Eleni") || link == "" || reset.Header.Get("Content-Language") != "el" {
			t.Fatalf("reset mail:\n%s", reset.Body)
		}
		page := anon.get(link)
		if !strings.Contains(page.body, `<html lang="el">`) || !strings.Contains(page.body, "Ορισμός νέου κωδικού") || page.status != 200 {
			t.Errorf("reset page = %d", page.status)
		}
		const newPassword = "eight green owls at dusk"
		if r := anon.submit(link, link, url.Values{"password": {newPassword}, "confirm": {"eight green owls at dawn"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Οι δύο κωδικοί διαφέρουν.") {
			t.Errorf("passwords that differ = %d", r.status)
		}
		if r := anon.submit(link, link, url.Values{"password": {newPassword}, "confirm": {newPassword}}); r.status != http.StatusSeeOther {
			t.Fatalf("setting the new password = %d:\n%s", r.status, r.body)
		}
		if r := newBrowser(t, m).get(link); r.status != http.StatusGone {
			t.Errorf("the reset link's second use = %d, want 410", r.status)
		}
		if r := eleni.get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("a session from before the reset = %d, want 303", r.status)
		}
		if r := newBrowser(t, m).signIn("eleni@example.eu", goodPassword); r.status != http.StatusUnauthorized {
			t.Errorf("the old password = %d", r.status)
		}
		home := anon.get("/admin/")
		if home.status != 200 || !strings.Contains(home.body, `<html lang="el">`) || !strings.Contains(home.body, "Μεταφράζετε σε: ελληνικά, γερμανικά.") {
			t.Errorf("Greek home = %d:\n%s", home.status, home.body)
		}
	})
}

func TestAdminInvitationByMailFromUsersPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		smtp := mailtest.Start(t)
		m := startAdmin(t, dbURL, smtp.URL("noreply@meridia.example.eu"), newAdminClock())
		if _, err := cli(t, m, "user", "add", "admin@example.eu", "--role", "administrator"); err != nil {
			t.Fatal(err)
		}
		link := linkPattern.FindString(smtp.Wait(t, "admin@example.eu").Body)
		admin := newBrowser(t, m)
		if r := admin.submit(link, link, url.Values{"password": {goodPassword}, "confirm": {goodPassword}}); r.status != http.StatusSeeOther {
			t.Fatalf("accept = %d", r.status)
		}
		// A member editor without a university: the error is next to the field, and what was
		// typed stays.
		r := admin.submit("/admin/users", "/admin/users", url.Values{"email": {"jonas@example.eu"}, "name": {"Jonas"}, "role": {"member-editor"}, "lang": {"de"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="jonas@example.eu"`) || !strings.Contains(r.body, `value="Jonas"`) ||
			!strings.Contains(r.body, `<p class="error" id="f-member-error">Choose the university of this member editor.</p><select id="f-member" name="member" aria-invalid="true" aria-describedby="f-member-help f-member-error">`) ||
			!strings.Contains(r.body, `<option value="member-editor" selected>`) {
			t.Fatalf("invalid invitation = %d:\n%s", r.status, r.body)
		}
		r = admin.submit("/admin/users", "/admin/users", url.Values{"email": {"jonas@example.eu"}, "name": {"Jonas"}, "role": {"member-editor"}, "member": {"auenwald"}, "lang": {"de"}})
		if r.status != 200 || !strings.Contains(r.body, "jonas@example.eu is invited; the invitation is mailed.") {
			t.Fatalf("invitation = %d:\n%s", r.status, r.body)
		}
		mail := smtp.Wait(t, "jonas@example.eu")
		if !strings.Contains(mail.Body, "lädt Sie in die Redaktion von Meridia ein, als Mitgliedsredakteur/in") {
			t.Errorf("German invitation:\n%s", mail.Body)
		}
		link = linkPattern.FindString(mail.Body)
		jonas := newBrowser(t, m)
		page := jonas.get(link)
		if !strings.Contains(page.body, `<html lang="de">`) || !strings.Contains(page.body, "Willkommen in der Redaktion") {
			t.Errorf("German invitation page:\n%s", page.body)
		}
		if r := jonas.submit(link, link, url.Values{"name": {"Jonas"}, "password": {goodPassword}, "confirm": {goodPassword}}); r.status != http.StatusSeeOther {
			t.Fatalf("accept = %d", r.status)
		}
		home := jonas.get("/admin/")
		if !strings.Contains(home.body, "Ihre Rolle: Mitgliedsredakteur/in.") || !strings.Contains(home.body, "Ihre Universität: ") {
			t.Errorf("German home:\n%s", home.body)
		}
		// Only administrators manage users.
		if r := jonas.get("/admin/users"); r.status != http.StatusForbidden || strings.Contains(home.body, `href="/admin/users"`) {
			t.Errorf("a member editor's users page = %d", r.status)
		}
		// The role change is audited with the administrator's address.
		u, _, _ := m.DB.UserByEmail(context.Background(), "jonas@example.eu")
		path := "/admin/users/" + strconv.FormatInt(u.ID, 10)
		if r := admin.submit(path, path, url.Values{"name": {"Jonas"}, "role": {"editor"}, "lang": {"de"}}); r.status != http.StatusSeeOther {
			t.Fatalf("role change = %d:\n%s", r.status, r.body)
		}
		log, _ := m.DB.AuditLog(context.Background(), store.AuditQuery{Action: store.AuditRoleChanged})
		if len(log) != 1 || log[0].Actor != "admin@example.eu" || log[0].Subject != "jonas@example.eu" || log[0].Detail != "member-editor → editor" {
			t.Errorf("audit of the role change: %+v", log)
		}
		// The audit log shows it to administrators, and to no one else.
		audit := admin.get("/admin/audit")
		if audit.status != 200 || !strings.Contains(audit.body, "<td>changed a role</td><td>jonas@example.eu</td><td>member-editor → editor</td>") ||
			!strings.Contains(audit.body, "<td>command line</td><td>invited</td><td>admin@example.eu</td>") {
			t.Errorf("audit page = %d:\n%s", audit.status, audit.body)
		}
		if r := jonas.get("/admin/audit"); r.status != http.StatusForbidden {
			t.Errorf("an editor's audit page = %d, want 403", r.status)
		}
		// An administrator cannot lock themselves out.
		self, _, _ := m.DB.UserByEmail(context.Background(), "admin@example.eu")
		path = "/admin/users/" + strconv.FormatInt(self.ID, 10)
		if r := admin.submit(path, path, url.Values{"role": {"administrator"}, "disabled": {"1"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("disabling oneself = %d", r.status)
		}
	})
}

func TestAdminDisabledUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		b := invite(t, m, "ana@example.eu", goodPassword, "--role", "organiser")
		out, err := cli(t, m, "user", "disable", "ANA@example.eu")
		if err != nil || !strings.Contains(out, "disabled ana@example.eu") {
			t.Fatalf("user disable: %q, %v", out, err)
		}
		if r := b.get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("a disabled user's session = %d, want 303", r.status)
		}
		r := b.signIn("ana@example.eu", goodPassword)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, "This account is disabled.") {
			t.Errorf("a disabled user signs in = %d:\n%s", r.status, r.body)
		}
		if r := b.signIn("ana@example.eu", "wrong password"); r.status != http.StatusUnauthorized {
			t.Errorf("a disabled user's wrong password = %d", r.status)
		}
		out, _ = cli(t, m, "user", "list")
		if !regexp.MustCompile(`ana@example.eu\s+Name of ana@example.eu\s+organiser\s+-\s+-\s+disabled`).MatchString(out) {
			t.Errorf("user list:\n%s", out)
		}
	})
}

func TestUserCommandErrors(t *testing.T) {
	m := startAdmin(t, storetest.NewURL(t, store.SQLite), "", newAdminClock())
	if _, err := cli(t, m, "user", "add", "ana@example.eu", "--role", "editor"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"user"}, "alliance user add|disable|list"},
		{[]string{"user", "remove", "x@example.eu"}, `unknown command "remove" of alliance user`},
		{[]string{"user", "add"}, "alliance user add EMAIL"},
		{[]string{"user", "add", "x@example.eu"}, "user add needs --role (one of administrator, editor, member-editor, organiser, translator)"},
		{[]string{"user", "add", "x@example.eu", "--role", "boss"}, `role: must be one of administrator, editor, member-editor, organiser, translator, not "boss"`},
		{[]string{"user", "add", "not-an-address", "--role", "editor"}, `email: "not-an-address" is not an e-mail address`},
		{[]string{"user", "add", "x@example.eu", "--role", "member-editor"}, "member: is required for a member editor"},
		{[]string{"user", "add", "x@example.eu", "--role", "member-editor", "--member", "atlantis"}, `no member university has the key "atlantis"`},
		{[]string{"user", "add", "x@example.eu", "--role", "translator", "--languages", "el,fi"}, `"fi" is not a language of the site`},
		{[]string{"user", "add", "x@example.eu", "--role", "editor", "--member", "genil"}, "--member is only for --role member-editor"},
		{[]string{"user", "add", "x@example.eu", "--role", "editor", "--languages", "el"}, "--languages is only for --role translator"},
		{[]string{"user", "add", "ANA@example.eu", "--role", "editor"}, "a user with the address ana@example.eu exists already"},
		{[]string{"user", "disable", "nobody@example.eu"}, "no user has the address nobody@example.eu"},
		{[]string{"export", "x", "--role", "editor"}, "--role is a flag of alliance user, not of alliance export"},
	} {
		_, err := cli(t, m, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("alliance %s: %v, want an error with %q", strings.Join(tt.args, " "), err, tt.want)
		}
	}
	if _, err := cli(t, m, "user", "add", "x@example.eu", "--role", "editor", "--smtp", "smtp://mail.example.eu"); err == nil || !strings.Contains(err.Error(), "no sender") {
		t.Errorf("a bad SMTP URL: %v", err)
	}
	out, err := cli(t, m, "user", "list")
	if err != nil || strings.Count(out, "\n") != 2 || !strings.Contains(out, "ana@example.eu") {
		t.Errorf("user list after refused adds:\n%s", out)
	}
}

// The back office answers in the browser's language before signing in, English when it has no
// catalogue of its own for one, and its pages are marked up as the public ones are.
func TestAdminPagesInLanguages(t *testing.T) {
	m := startAdmin(t, storetest.NewURL(t, store.SQLite), "", newAdminClock())
	for _, tt := range []struct{ accept, lang, title string }{
		{"en-GB,en;q=0.8", "en", "Sign in"},
		{"de-DE", "de", "Anmelden"},
		{"el", "el", "Σύνδεση"},
		{"fr-FR", "fr", "Sign in"},
	} {
		r := newBrowser(t, m).get("/admin/signin", "Accept-Language", tt.accept)
		if r.status != 200 || !strings.Contains(r.body, `<html lang="`+tt.lang+`">`) || !strings.Contains(r.body, "<h1>"+tt.title+"</h1>") {
			t.Errorf("%s: %d:\n%s", tt.accept, r.status, r.body)
		}
		if !strings.Contains(r.body, `<a class="skip" href="#main">`) || !strings.Contains(r.body, `<main id="main">`) ||
			!strings.Contains(r.body, `<label for="f-email">`) || strings.Contains(r.body, "<script") {
			t.Errorf("%s: markup:\n%s", tt.accept, r.body)
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v", tt.accept, r.header)
		}
	}
	// Over https the cookies are Secure.
	if c := newBrowser(t, m).get("/admin/signin", "X-Forwarded-Proto", "https").header.Get("Set-Cookie"); !strings.Contains(c, "; Secure") || !strings.Contains(c, "Path=/admin/") {
		t.Errorf("cookie over https: %q", c)
	}
	if c := newBrowser(t, m).get("/admin/signin").header.Get("Set-Cookie"); strings.Contains(c, "Secure") {
		t.Errorf("cookie over http: %q", c)
	}
	// Without a mail server, the reset page says so instead of offering a form.
	nomail := newBrowser(t, m).get("/admin/reset", "Accept-Language", "de")
	if nomail.status != 200 || !strings.Contains(nomail.body, "Diese Website kann keine E-Mails senden.") || strings.Contains(nomail.body, `name="email"`) {
		t.Errorf("reset without mail = %d:\n%s", nomail.status, nomail.body)
	}
	css := newBrowser(t, m).get("/admin/style.css")
	if css.status != 200 || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
		t.Errorf("style sheet = %d %s", css.status, css.header.Get("Content-Type"))
	}
	if r := newBrowser(t, m).get("/admin/nothing-here"); r.status != 404 {
		t.Errorf("unknown back office page = %d", r.status)
	}
	if r := newBrowser(t, m).get("/admin"); r.status/100 != 3 || r.header.Get("Location") != "/admin/" {
		t.Errorf("/admin = %d %s", r.status, r.header.Get("Location"))
	}
}

func TestAdminPaths(t *testing.T) {
	for p, want := range map[string]bool{
		"/admin": true, "/admin/": true, "/admin/users/3": true, "/admin/signin": true,
		"/administration/": false, "/en/admin/": false, "/": false,
		"/admin//users": false, "/admin/../en/": false, "/admin/./signin": false,
	} {
		if got := underPrefix("/admin/", p); got != want {
			t.Errorf("underPrefix(/admin/, %q) = %v, want %v", p, got, want)
		}
	}
}

// The audit log's pages: 50 lines each, newest first, with a link to older ones; every action
// has a name in the back office's languages.
func TestAdminAuditPages(t *testing.T) {
	m := startAdmin(t, storetest.NewURL(t, store.SQLite), "", newAdminClock())
	admin := invite(t, m, "admin@example.eu", goodPassword, "--role", "administrator")
	ctx := context.Background()
	for i := range 97 {
		if err := m.DB.UpdateAccounts(ctx, time.Now(), func(tx *store.Tx) error {
			return tx.Audit(ctx, store.AuditEntry{Action: store.AuditItemSaved, Subject: "story/s" + strconv.Itoa(i), Actor: "admin@example.eu", ActorID: 1})
		}); err != nil {
			t.Fatal(err)
		}
	}
	first := admin.get("/admin/audit")
	older := regexp.MustCompile(`<a href="(/admin/audit\?before=\d+)">Older entries</a>`).FindStringSubmatch(first.body)
	if first.status != 200 || strings.Count(first.body, "<tr>") != 51 || !strings.Contains(first.body, "story/s96") || older == nil {
		t.Fatalf("first page = %d, %d rows:\n%s", first.status, strings.Count(first.body, "<tr>")-1, first.body)
	}
	second := admin.get(older[1])
	// 97 saves, the invitation, the password set (which signs in), and before them the demo
	// import's two lines (its media files, its items): the second page is full, holds the
	// first save, and leads to the import's first line.
	if strings.Count(second.body, "<tr>") != 51 || !strings.Contains(second.body, "story/s0") || !strings.Contains(second.body, "Older entries") {
		t.Errorf("second page: %d rows:\n%s", strings.Count(second.body, "<tr>")-1, second.body)
	}
	if r := admin.get("/admin/audit?before=x"); r.status != 404 {
		t.Errorf("a bad page = %d", r.status)
	}
	for _, lang := range []string{"en", "de", "el"} {
		for _, a := range store.AuditActions {
			if !locale.MustGet(lang).HasBackoffice("action." + a) {
				t.Errorf("%s: no name for the audit action %s", lang, a)
			}
		}
	}
}
