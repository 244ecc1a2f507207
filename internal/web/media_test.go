package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// A download slower than the server's write timeout, but always moving, is not cut: the
// deadline is moved on with every write, while a client that stops reading is still dropped.
func TestSlowDownloadOutlivesWriteTimeoutStalledOneDoesNot(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t, store.SQLite)
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	sum := sha256.Sum256(data)
	m := &alliance.Media{Path: "docs/big.pdf", ContentType: "application/pdf", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SaveMedia(ctx, m) }); err != nil {
		t.Fatal(err)
	}
	s, err := New(&alliance.Config{Logger: slog.New(slog.DiscardHandler)}, db)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s)
	ts.Config.WriteTimeout = 300 * time.Millisecond
	// Small socket buffers on both sides keep the server writing for the whole download (and
	// wake a blocked write as soon as the client reads), instead of into the buffers at once.
	ts.Listener = smallBuffers{ts.Listener}
	ts.Start()
	defer ts.Close()

	client := slowClient()
	res, err := client.Get(ts.URL + "/media/docs/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	start := time.Now()
	buf := make([]byte, 64<<10)
	var got int
	for {
		n, err := io.ReadFull(res.Body, buf)
		got += n
		if err != nil {
			break
		}
		time.Sleep(20 * time.Millisecond) // about 3 MB/s: some 2.5 s for the file
	}
	if got != len(data) {
		t.Fatalf("the download was cut at %d of %d bytes after %v", got, len(data), time.Since(start).Round(time.Millisecond))
	}

	// A client that stops reading is dropped once a write has waited for the write timeout.
	res, err = client.Get(ts.URL + "/media/docs/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.ReadFull(res.Body, buf); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if n, err := io.Copy(io.Discard, res.Body); err == nil {
		t.Errorf("a client that stalled for 2 s past a 300 ms write timeout got the whole file (%d more bytes)", n)
	}
}

type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(32 << 10)
	}
	return c, err
}

// slowClient is a client whose connections have a small receive buffer, so that a server
// writing to it waits for it to read.
func slowClient() *http.Client {
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 32<<10) })
	}}
	return &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
}
