package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/mail"
	"github.com/alliance-platform/alliance/internal/mail/mailtest"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct{ url, shown, err string }{
		{"", "", ""},
		{"smtp://user:secret@mail.example.eu?from=noreply%40example.eu", "smtp://user@mail.example.eu?from=noreply%40example.eu", ""},
		{"smtps://mail.example.eu:2465?from=noreply%40example.eu", "smtps://mail.example.eu:2465?from=noreply%40example.eu", ""},
		{"http://mail.example.eu?from=a%40b.eu", "", `scheme "http"`},
		{"smtp://mail.example.eu", "", "no sender"},
		{"smtp://?from=a%40b.eu", "", "no host"},
		{"smtp://mail.example.eu:99999?from=a%40b.eu", "", "port"},
		{"smtp://mail.example.eu?from=a%40b.eu&tls=maybe", "", "tls="},
		{"smtp://mail.example.eu?from=a%40b.eu&form=x", "", `unknown parameter "form"`},
		{"smtp://mail.example.eu?from=not-an-address", "", "from="},
	} {
		m, err := mail.Parse(tt.url)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q) = %v, want an error with %q", tt.url, err, tt.err)
			}
		case err != nil:
			t.Errorf("Parse(%q): %v", tt.url, err)
		case tt.url == "" && m != nil:
			t.Errorf("Parse(\"\") = %v, want no mailer", m)
		case tt.url != "" && m.String() != tt.shown:
			t.Errorf("Parse(%q) shown as %q, want %q", tt.url, m.String(), tt.shown)
		}
	}
}

// The mails arrive at a real SMTP server, in the recipient's language.
func TestSendInLanguages(t *testing.T) {
	srv := mailtest.Start(t)
	m, err := mail.Parse(srv.URL("Meridia <noreply@meridia.example.eu>"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tt := range []struct {
		lang, to, subject, body string
	}{
		{"en", "ana@example.eu", "Meridia: set a new password", "Follow this link within an hour"},
		{"de", "jonas@example.eu", "Meridia: neues Passwort festlegen", "Folgen Sie innerhalb einer Stunde"},
		{"el", "eleni@example.eu", "Meridia: ορισμός νέου κωδικού", "Ακολουθήστε αυτόν τον σύνδεσμο"},
		{"fr", "lea@example.eu", "Meridia: set a new password", "Follow this link"}, // English until translated
	} {
		link := "https://meridia.example.eu/admin/reset/tok-" + tt.lang
		if err := m.Send(ctx, mail.Reset(locale.MustGet(tt.lang), "Meridia", tt.to, "", link)); err != nil {
			t.Fatal(err)
		}
		got := srv.Wait(t, tt.to)
		if got.Subject != tt.subject || !strings.Contains(got.Body, tt.body) || !strings.Contains(got.Body, link) {
			t.Errorf("%s mail: subject %q, body %q", tt.lang, got.Subject, got.Body)
		}
		if got.Header.Get("Content-Language") != tt.lang || !strings.Contains(got.Header.Get("From"), "noreply@meridia.example.eu") {
			t.Errorf("%s mail headers: %v", tt.lang, got.Header)
		}
	}
	inv := mail.Invitation(locale.MustGet("de"), "Meridia", "new@example.eu", "Ana", "Übersetzer/in", "https://x/admin/invitation/t")
	if err := m.Send(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if got := srv.Wait(t, "new@example.eu"); !strings.Contains(got.Body, "Ana lädt Sie in die Redaktion von Meridia ein, als Übersetzer/in") {
		t.Errorf("invitation: %q", got.Body)
	}
}

func TestSendFailsClearly(t *testing.T) {
	m, err := mail.Parse("smtp://127.0.0.1:1?tls=none&from=a%40b.eu")
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), mail.Message{To: "x@example.eu", Subject: "s", Body: "b"})
	if err == nil || !strings.Contains(err.Error(), "mail to x@example.eu through 127.0.0.1:1") {
		t.Errorf("send to a closed port: %v", err)
	}
}
