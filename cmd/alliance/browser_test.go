package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// The back office in a real browser: Chromium, driven through the DevTools protocol, does what
// the people who run a site do, and reads what they see.

// chromiumPath returns the browser to drive. Without one the test is skipped, so that `go test`
// passes with only Go installed, unless ALLIANCE_TEST_BROWSER=1 says the browser must be there
// (CI sets it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ALLIANCE_TEST_BROWSER") == "1" {
		t.Fatal("ALLIANCE_TEST_BROWSER=1 but no Chromium on PATH (chromium, chromium-browser, google-chrome)")
	}
	t.Skip("no Chromium on PATH; set ALLIANCE_TEST_BROWSER=1 to make this a failure")
	return ""
}

// startChromium starts one headless browser for the test, closed at its end.
func startChromium(t *testing.T, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 1024),
		// The order of a date field's parts follows the browser's language: fixed, so that
		// the keys the test types mean the same date on every machine.
		chromedp.Flag("lang", "en-US"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no deadline of its own
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// visitor is one person at their browser: a tab in a browser context of its own (its own
// cookies), remembering every request its pages made and every message the browser logged.
type visitor struct {
	t      *testing.T
	name   string
	ctx    context.Context
	mu     sync.Mutex
	reqs   []string
	logged []string
}

// newVisitor opens a tab for name in a new browser context under parent (which bounds it in
// time). With script false the tab runs no script at all; lang is the Accept-Language its
// requests send.
func newVisitor(t *testing.T, parent context.Context, name, lang string, script bool) *visitor {
	t.Helper()
	v := &visitor{t: t, name: name}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext(), chromedp.WithListener(v.listen))
	t.Cleanup(cancel)
	v.ctx = ctx
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !script}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: "Mozilla/5.0 (X11; Linux x86_64) alliance-test", AcceptLanguage: lang})
		return err
	})); err != nil {
		t.Fatalf("%s: opening a tab: %v", name, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			v.screenshot("end")
		}
	})
	return v
}

// listen runs in the tab's event loop: it only records.
func (v *visitor) listen(ev any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		v.reqs = append(v.reqs, ev.Request.URL)
	case *cdplog.EventEntryAdded:
		v.logged = append(v.logged, fmt.Sprintf("%s %s: %s (%s)", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
	}
}

// screenshot saves what the tab shows, for the log of a failed test: kept with
// `go test -artifacts`.
func (v *visitor) screenshot(when string) {
	ctx, cancel := context.WithTimeout(v.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		v.t.Logf("%s: no screenshot: %v", v.name, err)
		return
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	name := filepath.Join(v.t.ArtifactDir(), strings.ReplaceAll(v.name+"-"+when, " ", "-")+".png")
	if err := os.WriteFile(name, buf, 0o644); err != nil {
		v.t.Logf("%s: screenshot: %v", v.name, err)
		return
	}
	v.t.Logf("%s: screenshot of %s at %s", v.name, loc, name)
}

// fail ends the test with what the tab shows.
func (v *visitor) fail(format string, args ...any) {
	v.t.Helper()
	v.screenshot("failure")
	v.t.Fatalf(v.name+": "+format, args...)
}

// do runs steps that load no page.
func (v *visitor) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	v.t.Helper()
	if err := chromedp.Do(v.ctx, steps...); err != nil {
		v.fail("%s: %v", what, err)
	}
}

// load runs steps that load a page (a navigation, a click on a link or a submit button) and
// returns the page's status and address, after redirects.
func (v *visitor) load(what string, steps ...chromedp.Action[chromedp.Void]) (int, string) {
	v.t.Helper()
	res, err := chromedp.RunResponse(v.ctx, steps...)
	if err != nil {
		v.fail("%s: %v", what, err)
	}
	if res == nil {
		v.fail("%s: no response", what)
	}
	return int(res.Status), res.URL
}

// open navigates to u and wants status.
func (v *visitor) open(u string, status int) {
	v.t.Helper()
	if got, at := v.load("open "+u, chromedp.Navigate(u)); got != status {
		v.fail("GET %s = %d (at %s), want %d", u, got, at, status)
	}
}

// click clicks what sel finds and wants the page it loads to have status and its path to
// start with path.
func (v *visitor) click(sel string, status int, path string) {
	v.t.Helper()
	got, at := v.load("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	if u, err := url.Parse(at); got != status || err != nil || !strings.HasPrefix(u.RequestURI(), path) {
		main, _ := chromedp.Run(v.ctx, chromedp.Text(chromedp.CSS("main")))
		v.fail("click %s: %d at %s, want %d at %s…; the page says:\n%s", sel, got, at, status, path, main)
	}
}

// typeIn types s into the form field named name, as keys.
func (v *visitor) typeIn(name, s string) {
	v.t.Helper()
	v.do("type into "+name, chromedp.SendKeys(chromedp.CSS(field(name)), s))
}

// text returns the text a person reads in what sel finds.
func (v *visitor) text(sel string) string {
	v.t.Helper()
	s, err := chromedp.Run(v.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		v.fail("read %s: %v", sel, err)
	}
	return s
}

// value returns the value of the form field named name.
func (v *visitor) value(name string) string {
	v.t.Helper()
	s, err := chromedp.Run(v.ctx, chromedp.Value(chromedp.CSS(field(name))))
	if err != nil {
		v.fail("read the field %s: %v", name, err)
	}
	return s
}

func field(name string) string { return `[name="` + name + `"]` }

// requests returns the addresses the tab's pages asked for so far, and what the browser logged.
func (v *visitor) requests() ([]string, []string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.reqs...), append([]string(nil), v.logged...)
}

// signIn opens the back office, is sent to the sign-in form, types the address and password
// and sends it.
func (v *visitor) signIn(base, email, password string) {
	v.t.Helper()
	if got, at := v.load("open the back office", chromedp.Navigate(base+"/admin/")); got != 200 || !strings.HasSuffix(at, "/admin/signin") {
		v.fail("the back office signed out = %d at %s, want the sign-in form", got, at)
	}
	v.typeIn("email", email)
	v.typeIn("password", password)
	v.click(`main form button[type="submit"]`, 200, "/admin/")
	if main := v.text("main"); !strings.Contains(main, "Name of "+email) {
		v.fail("the home page does not greet %s:\n%s", email, main)
	}
}

// offSite returns the requests of v's pages that went anywhere but base (data: addresses,
// which the browser makes itself, stay in the browser) and the browser's complaints about its
// pages (a Content-Security-Policy violation, a script error). A page answered with an error
// status is logged by the browser as a network error, which the test expects.
func (v *visitor) offSite(base string) (reqs, logged []string) {
	all, log := v.requests()
	for _, u := range all {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
			reqs = append(reqs, u)
		}
	}
	for _, l := range log {
		if !strings.HasPrefix(l, "network ") {
			logged = append(logged, l)
		}
	}
	return reqs, logged
}

// A member editor signs in and writes a story, a translator translates it into Greek side by
// side, the editor schedules it, and it appears on /el/… when the clock reaches its time, the
// page cache on; the member editor cannot open another university's item. The editor's and the
// visitor's tabs run no script; no page asks anything of another host.
func TestBrowserStoryFromWritingToGreekPage(t *testing.T) {
	path := chromiumPath(t)
	browser := startChromium(t, path)
	storetest.Run(t, func(t *testing.T, dbURL string) {
		start := time.Now()
		// Every tab of the scenario lives under ctx; cancelled after their screenshots.
		ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
		t.Cleanup(cancel)
		clock := newAdminClock()
		m := startAdmin(t, dbURL, "", clock)
		base := m.URL()
		invite(t, m, "ines@genil.example.eu", goodPassword, "--role", "member-editor", "--member", "genil")
		invite(t, m, "eleni@example.eu", goodPassword, "--role", "translator", "--languages", "el")
		en, el := locale.MustGet("en"), locale.MustGet("el")

		// The member editor of Genil signs in, with script off, and writes a story, field by
		// field, from the list of stories.
		editor := newVisitor(t, ctx, "member editor", "en", false)
		editor.signIn(base, "ines@genil.example.eu", goodPassword)
		editor.click(`a[href="/admin/items/story/"]`, 200, "/admin/items/story/")
		editor.click(`a[href="/admin/items/story/new"]`, 200, "/admin/items/story/new")
		editor.typeIn("key", "granada-lab-notes")
		// Dated today, the story is the newest: first in the news.
		brussels, err := time.LoadLocation("Europe/Brussels")
		if err != nil {
			t.Fatal(err)
		}
		today := clock.now().In(brussels)
		editor.typeIn("date", today.Format("01022006")) // the browser's own date field, in its en-US order
		editor.typeIn("category", "Research")
		editor.do("tick the author", chromedp.Click(chromedp.CSS(`input[name="authors"][value="ines-navarro"]`)))
		editor.typeIn("texts.en.title", "Lab notes from Granada")
		editor.typeIn("texts.en.slug", "granada-lab-notes")
		editor.typeIn("texts.en.summary", "What a week in the water lab taught us.")
		editor.typeIn("texts.en.body", "Some **bold** words from the lab.")
		if d, c := editor.value("date"), editor.value("category"); d != today.Format(time.DateOnly) || c != "research" {
			editor.fail("the form holds date %q and category %q after typing", d, c)
		}
		editor.click(`button[name="do"][value="save"]`, 200, "/admin/items/story/granada-lab-notes/?done=created")
		if main := editor.text("main"); !strings.Contains(main, en.B("items.done.created")) || !strings.Contains(main, en.B("items.status", "status", en.B("status.draft"))) {
			editor.fail("after the save the page does not say the draft is created:\n%s", main)
		}

		// The translator into Greek, whose browser asks for Greek, finds the story in the list
		// and translates it beside the English text.
		translator := newVisitor(t, ctx, "translator", "el", true)
		translator.signIn(base, "eleni@example.eu", goodPassword)
		translator.click(`a[href="/admin/items/story/"]`, 200, "/admin/items/story/")
		translator.click(`a[href="/admin/items/story/granada-lab-notes/translate/el"]`, 200, "/admin/items/story/granada-lab-notes/translate/el")
		side := translator.text("table.side")
		for _, want := range []string{el.B("items.source", "lang", "English"), el.B("items.translation", "lang", "Ελληνικά"),
			"Lab notes from Granada", "What a week in the water lab taught us.", "Some **bold** words from the lab."} {
			if !strings.Contains(side, want) {
				translator.fail("the side-by-side page lacks %q:\n%s", want, side)
			}
		}
		if b := translator.text(`button[name="do"]`); b != el.B("items.save_translation") {
			translator.fail("the translation's button says %q, not in Greek", b)
		}
		translator.typeIn("texts.el.title", "Σημειώσεις από το εργαστήριο της Γρανάδας")
		translator.typeIn("texts.el.slug", "simeioseis-granada")
		translator.typeIn("texts.el.summary", "Τι μας δίδαξε μια εβδομάδα στο εργαστήριο νερού.")
		translator.typeIn("texts.el.body", "Μερικές **έντονες** λέξεις από το εργαστήριο.")
		translator.click(`button[name="do"][value="save"]`, 200, "/admin/items/story/granada-lab-notes/translate/el?done=translated")
		if main := translator.text("main"); !strings.Contains(main, el.B("items.done.translated")) {
			translator.fail("after saving, the page does not say the translation is saved:\n%s", main)
		}

		// The editor schedules the story an hour ahead, typed in the site's zone.
		publish := clock.now().Add(time.Hour).In(brussels).Truncate(time.Minute)
		editor.click(`a[href="/admin/items/story/"]`, 200, "/admin/items/story/")
		editor.click(`a[href="/admin/items/story/granada-lab-notes/"]`, 200, "/admin/items/story/granada-lab-notes/")
		// The year takes up to six digits, so an arrow key moves on to the time.
		editor.typeIn("publish_at", publish.Format("01022006")+kb.ArrowRight+publish.Format("0304PM"))
		if got := editor.value("publish_at"); got != publish.Format("2006-01-02T15:04") {
			editor.fail("publish_at holds %q after typing, want %s", got, publish.Format("2006-01-02T15:04"))
		}
		editor.click(`button[name="do"][value="schedule"]`, 200, "/admin/items/story/granada-lab-notes/?done=schedule")
		if main := editor.text("main"); !strings.Contains(main, en.B("items.done.schedule")) || !strings.Contains(main, en.B("status.scheduled")) {
			editor.fail("after scheduling the page does not say so:\n%s", main)
		}

		// A visitor (no script) sees nothing of it until the clock reaches its time, then the
		// Greek page, twice (the second from the page cache).
		reader := newVisitor(t, ctx, "visitor", "el", false)
		const greek = "Σημειώσεις από το εργαστήριο της Γρανάδας"
		page := base + "/el/nea/simeioseis-granada/"
		for i := 0; i < 2; i++ {
			reader.open(page, 404)
			reader.open(base+"/el/nea/", 200)
			if strings.Contains(reader.text("main"), greek) {
				reader.fail("the news lists the story before its time")
			}
		}
		clock.add(publish.Sub(clock.now()) + time.Second)
		for i := 0; i < 2; i++ {
			reader.open(base+"/el/nea/", 200)
			if !strings.Contains(reader.text("main"), greek) {
				reader.fail("the news does not list the story at its time:\n%s", reader.text("main"))
			}
			reader.open(page, 200)
			title, err := chromedp.Run(reader.ctx, chromedp.Title())
			if err != nil || !strings.Contains(title, greek) || reader.text("h1") != greek {
				reader.fail("the story's page has the title %q (%v) and the heading %q, want %q", title, err, reader.text("h1"), greek)
			}
		}

		// Another university's story (its author is at Rhône-Lumière) is closed to the member
		// editor: its form and its translation both answer 403 and show nothing of it.
		for _, p := range []string{"/admin/items/story/climate-pledge/", "/admin/items/story/climate-pledge/translate/el"} {
			editor.open(base+p, 403)
			if main := editor.text("main"); !strings.Contains(main, en.B("error.forbidden")) || strings.Contains(main, "climate pledge") {
				editor.fail("%s shows:\n%s", p, main)
			}
		}

		for _, v := range []*visitor{editor, translator, reader} {
			reqs, logged := v.offSite(base)
			if len(reqs) > 0 {
				t.Errorf("%s: requests to another host: %q", v.name, reqs)
			}
			if len(logged) > 0 {
				t.Errorf("%s: the browser complained: %q", v.name, logged)
			}
		}
		all, _ := editor.requests()
		t.Logf("the scenario took %v; the editor's tab made %d requests", time.Since(start).Round(time.Millisecond), len(all))
	})
}

// Under Referrer-Policy: no-referrer a browser sends "Origin: null" with a page's form post,
// which the CSRF check rightly refuses, so no one could sign in (the browser test found it).
// The back office's policy must keep a same-origin post's Origin and still send no address (a
// mailed link's token) to another site. Checked without a browser, so that a machine without
// Chromium catches it too.
func TestBackOfficeReferrerPolicyKeepsFormsOrigin(t *testing.T) {
	m := startAdmin(t, storetest.NewURL(t, store.SQLite), "", newAdminClock())
	keeps := []string{"same-origin", "strict-origin", "origin", "strict-origin-when-cross-origin", "origin-when-cross-origin"}
	for _, p := range []string{"/admin/signin", "/admin/reset", "/admin/items/story/"} {
		r := newBrowser(t, m).get(p)
		if policy := r.header.Get("Referrer-Policy"); !slices.Contains(keeps, policy) {
			t.Errorf("GET %s: Referrer-Policy %q, want one of %q", p, policy, keeps)
		}
	}
}
