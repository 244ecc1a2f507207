package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// media builds a media file of data as the content package would.
func media(path, contentType string, data []byte) *alliance.Media {
	sum := sha256.Sum256(data)
	return &alliance.Media{Path: path, ContentType: contentType, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func saveMedia(t *testing.T, db *store.DB, files ...*alliance.Media) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for _, m := range files {
			if err := tx.SaveMedia(ctx, m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A file of several chunks reads back whole and from any offset; its metadata comes without
// its bytes; a file replaced under a reader fails the reader instead of mixing two versions.
func TestMediaReadInChunks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		data := randomBytes(3*store.MediaChunkSize+17, 1)
		saveMedia(t, db, media("docs/big.pdf", "application/pdf", data), media("docs/empty.txt", "text/plain", nil),
			media("docs/one.pdf", "application/pdf", data[:store.MediaChunkSize]))
		m, err := db.Media(ctx, "docs/big.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if m.Size != int64(len(data)) || m.Data != nil || m.Updated.IsZero() {
			t.Fatalf("metadata = size %d, %d bytes of data, updated %v", m.Size, len(m.Data), m.Updated)
		}
		got, err := io.ReadAll(db.MediaReader(ctx, m))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read whole: %d bytes (want %d), %v", len(got), len(data), err)
		}
		for _, off := range []int64{0, 1, store.MediaChunkSize - 1, store.MediaChunkSize, 2*store.MediaChunkSize + 5, int64(len(data)) - 1, int64(len(data))} {
			r := db.MediaReader(ctx, m)
			if _, err := r.Seek(off, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(io.LimitReader(r, store.MediaChunkSize+10))
			want := data[off:min(off+store.MediaChunkSize+10, int64(len(data)))]
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("from %d: %d bytes (want %d), %v", off, len(got), len(want), err)
			}
		}
		if end, err := db.MediaReader(ctx, m).Seek(-17, io.SeekEnd); err != nil || end != 3*store.MediaChunkSize {
			t.Errorf("seek from the end = %d, %v", end, err)
		}
		for _, p := range []string{"docs/empty.txt", "docs/one.pdf"} {
			m, err := db.Media(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(db.MediaReader(ctx, m)); err != nil || int64(len(got)) != m.Size {
				t.Errorf("%s: read %d of %d bytes, %v", p, len(got), m.Size, err)
			}
		}

		r := db.MediaReader(ctx, m)
		if _, err := io.ReadFull(r, make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		saveMedia(t, db, media("docs/big.pdf", "application/pdf", randomBytes(len(data), 2)))
		if _, err := io.ReadAll(r); err == nil {
			t.Error("a reader went on reading a file replaced under it")
		}
		// Saving the same bytes again changes nothing, not even the file's date.
		m2, _ := db.Media(ctx, "docs/big.pdf")
		saveMedia(t, db, media("docs/big.pdf", "application/pdf", randomBytes(len(data), 2)))
		if m3, _ := db.Media(ctx, "docs/big.pdf"); m3.Updated != m2.Updated || m3.SHA256 != m2.SHA256 {
			t.Error("saving the same bytes changed the file")
		}
	})
}

// A database whose media rows held their bytes (before migration 0007) has them in chunks
// after migrating, byte for byte, and its images get their sizes.
func TestMigrationChunksMedia(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.MigrateTo(ctx, 6); err != nil {
			t.Fatal(err)
		}
		files := []*alliance.Media{
			media("docs/big.pdf", "application/pdf", randomBytes(2*store.MediaChunkSize+3, 3)),
			media("docs/exact.pdf", "application/pdf", randomBytes(store.MediaChunkSize, 4)),
			media("docs/empty.txt", "text/plain", []byte{}),
			media("images/a.png", "image/png", pngOf(t, 640, 480)),
			media("images/b.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450"></svg>`)),
		}
		for _, m := range files {
			if err := db.Exec(ctx, `INSERT INTO media (path, content_type, size, sha256, data, updated) VALUES ($1, $2, $3, $4, $5, '2026-01-01T00:00:00Z')`,
				m.Path, m.ContentType, m.Size, m.SHA256, m.Data); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, want := range files {
			m, err := db.Media(ctx, want.Path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(db.MediaReader(ctx, m))
			if err != nil || !bytes.Equal(got, want.Data) {
				t.Errorf("%s after migrating: %d bytes (want %d), %v", want.Path, len(got), len(want.Data), err)
			}
			w, h := store.ImageSize(want.ContentType, want.Data)
			if m.Width != w || m.Height != h {
				t.Errorf("%s is %d×%d after migrating, want %d×%d", want.Path, m.Width, m.Height, w, h)
			}
		}
		if m, _ := db.Media(ctx, "images/a.png"); m.Width != 640 || m.Height != 480 {
			t.Errorf("the PNG is %d×%d, want 640×480", m.Width, m.Height)
		}
	})
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImageSize(t *testing.T) {
	img := image.NewPaletted(image.Rect(0, 0, 31, 17), color.Palette{color.Black, color.White})
	var jpg, gf bytes.Buffer
	if err := jpeg.Encode(&jpg, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&gf, img, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, ctype string
		data        []byte
		w, h        int
	}{
		{"png", "image/png", pngOf(t, 640, 480), 640, 480},
		{"jpeg", "image/jpeg", jpg.Bytes(), 31, 17},
		{"gif", "image/gif", gf.Bytes(), 31, 17},
		{"svg viewBox", "image/svg+xml", []byte(`<?xml version="1.0"?><!-- x --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675"/>`), 1200, 675},
		{"svg width and height", "image/svg+xml", []byte(`<svg viewBox="0 0 10 10" width="400px" height="300"></svg>`), 400, 300},
		{"svg width and viewBox", "image/svg+xml", []byte(`<svg viewBox="0,0,800,200" width="400"></svg>`), 400, 100},
		{"svg in percent", "image/svg+xml", []byte(`<svg width="100%" height="100%"></svg>`), 0, 0},
		{"not svg", "image/svg+xml", []byte(`<html></html>`), 0, 0},
		{"broken png", "image/png", []byte("\x89PNG garbage"), 0, 0},
		{"pdf", "application/pdf", []byte("%PDF-1.4"), 0, 0},
	} {
		if w, h := store.ImageSize(c.ctype, c.data); w != c.w || h != c.h {
			t.Errorf("%s: %d×%d, want %d×%d", c.name, w, h, c.w, c.h)
		}
	}
}

// Saving records an image's real size, whatever it is.
func TestSaveMediaRecordsImageSize(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := open(t, dbURL)
		saveMedia(t, db, media("images/p.png", "image/png", pngOf(t, 300, 500)))
		info, err := db.MediaInfo(ctx, []string{"images/p.png"})
		if err != nil {
			t.Fatal(err)
		}
		if m := info["images/p.png"]; m == nil || m.Width != 300 || m.Height != 500 {
			t.Errorf("media info = %+v", m)
		}
		if _, err := db.Media(ctx, "images/none.png"); !errors.Is(err, alliance.ErrNotFound) {
			t.Errorf("missing media: %v", err)
		}
	})
}
