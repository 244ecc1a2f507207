// Package mail sends the back office's mails (password reset, invitation) through an SMTP
// server named by one URL, in the recipient's language.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/alliance-platform/alliance/internal/locale"
)

// Mailer sends mail through one SMTP server. The zero of a site's configuration is no mailer
// (nil): the back office then says so, and the command line prints links instead.
type Mailer struct {
	host     string
	port     int
	user     string
	password string
	from     string
	tls      gomail.TLSPolicy
	ssl      bool // implicit TLS (smtps://)
	shown    string
}

// Parse reads an SMTP URL:
//
//	smtp://user:password@host:587?from=Meridia%20<noreply@meridia.example.eu>
//
// smtp:// uses STARTTLS, required unless tls=none (a relay on the same machine) or
// tls=opportunistic; smtps:// uses TLS from the start (port 465 by default). from is required.
// An empty URL returns nil: no mail.
func Parse(raw string) (*Mailer, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	m := &Mailer{host: u.Hostname(), tls: gomail.TLSMandatory}
	switch u.Scheme {
	case "smtp":
		m.port = 587
	case "smtps":
		m.port, m.ssl = 465, true
	default:
		return nil, fmt.Errorf("SMTP URL: scheme %q: use smtp:// or smtps://", u.Scheme)
	}
	if m.host == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil || m.port <= 0 || m.port > 65535 {
			return nil, fmt.Errorf("SMTP URL: port %q", p)
		}
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.password, _ = u.User.Password()
	}
	q := u.Query()
	m.from = q.Get("from")
	if m.from == "" {
		return nil, errors.New("SMTP URL: no sender: add ?from=name@example.eu")
	}
	switch t := q.Get("tls"); t {
	case "", "required":
	case "opportunistic":
		m.tls = gomail.TLSOpportunistic
	case "none":
		m.tls = gomail.NoTLS
	default:
		return nil, fmt.Errorf("SMTP URL: tls=%q: use required, opportunistic or none", t)
	}
	for k := range q {
		if k != "from" && k != "tls" {
			return nil, fmt.Errorf("SMTP URL: unknown parameter %q (from and tls are known)", k)
		}
	}
	// Check the sender now rather than at the first mail.
	if err := gomail.NewMsg().From(m.from); err != nil {
		return nil, fmt.Errorf("SMTP URL: from=%q: %w", m.from, err)
	}
	if u.User != nil {
		u.User = url.User(m.user) // never shown with its password
	}
	m.shown = u.String()
	return m, nil
}

// String is the URL without its password, for logs.
func (m *Mailer) String() string { return m.shown }

// Message is a plain-text mail to one recipient.
type Message struct {
	To      string
	Lang    string // the language it is written in
	Subject string
	Body    string
}

// Send delivers msg, giving up after 30 seconds.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	gm := gomail.NewMsg()
	if err := gm.From(m.from); err != nil {
		return fmt.Errorf("mail from %s: %w", m.from, err)
	}
	if err := gm.To(msg.To); err != nil {
		return fmt.Errorf("mail to %s: %w", msg.To, err)
	}
	gm.Subject(msg.Subject)
	if msg.Lang != "" {
		gm.SetGenHeader(gomail.HeaderContentLang, msg.Lang)
	}
	gm.SetDate()
	gm.SetMessageID()
	gm.SetBodyString(gomail.TypeTextPlain, msg.Body)
	opts := []gomail.Option{gomail.WithPort(m.port), gomail.WithTLSPolicy(m.tls), gomail.WithTimeout(30 * time.Second)}
	if m.ssl {
		opts = append(opts, gomail.WithSSLPort(false))
	}
	if m.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(m.user), gomail.WithPassword(m.password))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return fmt.Errorf("mail to %s: %w", msg.To, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, gm); err != nil {
		return fmt.Errorf("mail to %s through %s: %w", msg.To, net.JoinHostPort(m.host, strconv.Itoa(m.port)), err)
	}
	return nil
}

// Reset is the mail with a password reset link, in l's language.
func Reset(l *locale.Locale, site, to, name, link string) Message {
	if name == "" {
		name = to
	}
	return Message{To: to, Lang: l.Lang,
		Subject: l.B("mail.reset_subject", "site", site),
		Body:    l.B("mail.reset_body", "site", site, "name", name, "email", to, "link", link)}
}

// Invitation is the mail with an invitation link, in l's language; role is the role's name
// in that language, inviter who invites.
func Invitation(l *locale.Locale, site, to, inviter, role, link string) Message {
	return Message{To: to, Lang: l.Lang,
		Subject: l.B("mail.invite_subject", "site", site),
		Body:    l.B("mail.invite_body", "site", site, "inviter", inviter, "role", role, "link", link)}
}
