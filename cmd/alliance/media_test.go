package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// addMedia stores a file as an import would.
func addMedia(t testing.TB, m *Main, path, contentType string, data []byte) *alliance.Media {
	t.Helper()
	ctx := context.Background()
	sum := sha256.Sum256(data)
	f := &alliance.Media{Path: path, ContentType: contentType, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}
	if err := m.DB.Update(ctx, func(tx *store.Tx) error { return tx.SaveMedia(ctx, f) }); err != nil {
		t.Fatal(err)
	}
	return f
}

func randomData(n int) []byte {
	r := rand.New(rand.NewPCG(7, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// request sends method path with the given header pairs, without the client's own gzip.
func request(t testing.TB, m *Main, method, path string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, m.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// Media are served by ranges, with a strong validator, conditional answers and HEAD, on both
// databases, through the real router: a file of several chunks, read in pieces across them.
func TestMediaRangesAndValidators(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, true)
		data := randomData(4*store.MediaChunkSize + 123)
		f := addMedia(t, m, "docs/report.pdf", "application/pdf", data)
		size := len(data)
		const path = "/media/docs/report.pdf"
		etag := `"` + f.SHA256 + `"`
		modified := get(t, m, path).header.Get("Last-Modified")
		future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
		past := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
		for _, c := range []struct {
			name         string
			method       string
			header       []string
			status       int
			body         []byte // nil: none
			contentRange string
		}{
			{"whole", "GET", nil, 200, data, ""},
			{"head", "HEAD", nil, 200, nil, ""},
			{"first bytes", "GET", []string{"Range", "bytes=0-99"}, 206, data[:100], fmt.Sprintf("bytes 0-99/%d", size)},
			{"across chunks", "GET", []string{"Range", "bytes=262100-524400"}, 206, data[262100:524401], fmt.Sprintf("bytes 262100-524400/%d", size)},
			{"open end", "GET", []string{"Range", fmt.Sprintf("bytes=%d-", size-10)}, 206, data[size-10:], fmt.Sprintf("bytes %d-%d/%d", size-10, size-1, size)},
			{"suffix", "GET", []string{"Range", "bytes=-500"}, 206, data[size-500:], fmt.Sprintf("bytes %d-%d/%d", size-500, size-1, size)},
			{"unsatisfiable", "GET", []string{"Range", fmt.Sprintf("bytes=%d-", size)}, 416, nil, fmt.Sprintf("bytes */%d", size)},
			{"if-range same", "GET", []string{"Range", "bytes=0-9", "If-Range", etag}, 206, data[:10], fmt.Sprintf("bytes 0-9/%d", size)},
			{"if-range changed", "GET", []string{"Range", "bytes=0-9", "If-Range", `"0123"`}, 200, data, ""},
			{"if-range weak", "GET", []string{"Range", "bytes=0-9", "If-Range", "W/" + etag}, 200, data, ""},
			{"if-range date", "GET", []string{"Range", "bytes=0-9", "If-Range", modified}, 206, data[:10], fmt.Sprintf("bytes 0-9/%d", size)},
			{"if-none-match strong", "GET", []string{"If-None-Match", etag}, 304, nil, ""},
			{"if-none-match weak", "GET", []string{"If-None-Match", "W/" + etag}, 304, nil, ""},
			{"if-none-match list", "GET", []string{"If-None-Match", `"abc", ` + etag + `, W/"def"`}, 304, nil, ""},
			{"if-none-match star", "GET", []string{"If-None-Match", "*"}, 304, nil, ""},
			{"if-none-match other", "GET", []string{"If-None-Match", `"abc"`, "If-Modified-Since", future}, 200, data, ""},
			{"head if-none-match", "HEAD", []string{"If-None-Match", etag}, 304, nil, ""},
			{"if-modified-since later", "GET", []string{"If-Modified-Since", future}, 304, nil, ""},
			{"if-modified-since earlier", "GET", []string{"If-Modified-Since", past}, 200, data, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := request(t, m, c.method, path, c.header...)
				if r.status != c.status {
					t.Fatalf("status %d, want %d", r.status, c.status)
				}
				if c.body != nil && !bytes.Equal([]byte(r.body), c.body) {
					t.Errorf("body of %d bytes, want %d", len(r.body), len(c.body))
				}
				if c.body == nil && r.status != 416 && r.body != "" { // a 416 says why in a line of text
					t.Errorf("a body of %d bytes", len(r.body))
				}
				if got := r.header.Get("Content-Range"); got != c.contentRange {
					t.Errorf("Content-Range %q, want %q", got, c.contentRange)
				}
				if r.status == 200 || r.status == 304 {
					if got := r.header.Get("ETag"); got != etag {
						t.Errorf("ETag %q, want the strong %q", got, etag)
					}
				}
				if r.status == 200 {
					if got := r.header.Get("Content-Length"); got != strconv.Itoa(size) {
						t.Errorf("Content-Length %q, want %d", got, size)
					}
					if r.header.Get("Accept-Ranges") != "bytes" || r.header.Get("Content-Type") != "application/pdf" ||
						!strings.Contains(r.header.Get("Content-Disposition"), `"report.pdf"`) {
						t.Errorf("headers %v", r.header)
					}
				}
			})
		}
		if r := get(t, m, "/media/docs/none.pdf"); r.status != 404 {
			t.Errorf("a missing file = %d", r.status)
		}
	})
}

// An SVG goes gzipped to a client that accepts it, and still answers ranges and validators.
func TestSVGCompressedAndConditional(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">` + strings.Repeat("<rect width='1' height='1'/>", 200) + `</svg>`)
		f := addMedia(t, m, "images/x.svg", "image/svg+xml", svg)
		etag := `"` + f.SHA256 + `"`
		r := request(t, m, "GET", "/media/images/x.svg", "Accept-Encoding", "gzip")
		if r.status != 200 || r.header.Get("Content-Encoding") != "gzip" || r.header.Get("ETag") != etag ||
			r.header.Get("Vary") != "Accept-Encoding" || !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("gzipped SVG: %d %v", r.status, r.header)
		}
		for _, inm := range []string{etag, "W/" + etag, `"a", ` + etag, "*"} {
			if r := request(t, m, "GET", "/media/images/x.svg", "Accept-Encoding", "gzip", "If-None-Match", inm); r.status != 304 {
				t.Errorf("If-None-Match %s on the gzipped SVG = %d, want 304", inm, r.status)
			}
		}
		if r := request(t, m, "GET", "/media/images/x.svg", "Accept-Encoding", "gzip", "If-None-Match", `"a"`); r.status != 200 {
			t.Errorf("If-None-Match another tag = %d, want 200", r.status)
		}
		if r := request(t, m, "GET", "/media/images/x.svg", "Accept-Encoding", "gzip", "Range", "bytes=0-3"); r.status != 206 || r.body != "<svg" {
			t.Errorf("a range of the SVG = %d %q", r.status, r.body)
		}
	})
}

// With PostgreSQL gone, listings with filters, detail pages and media answer the localized 503,
// and a download in flight when it goes ends with an error instead of hanging.
func TestLostDatabaseAnswers503EverywhereAndEndsDownloads(t *testing.T) {
	needPostgres(t)
	proxy, viaProxy := storetest.NewProxy(t, storetest.NewURL(t, store.Postgres))
	m := startSiteOn(t, viaProxy, false)
	big := randomData(64 * store.MediaChunkSize) // 16 MB: more than the sockets' buffers hold
	addMedia(t, m, "docs/big.pdf", "application/pdf", big)
	story := firstItem(t, m, alliance.KindStory)
	paths := map[string]string{
		"/de/news/?category=" + categoryOf(t, story): "de",
		itemPath(story, "fr", "news"):                "fr",
		"/en/resources/?type=handbook":               "en",
		"/media/docs/big.pdf":                        "en",
	}
	for p := range paths {
		if r := get(t, m, p); r.status != 200 {
			t.Fatalf("GET %s with the database there = %d", p, r.status)
		}
	}

	res, err := client.Get(m.URL() + "/media/docs/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.ReadFull(res.Body, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	proxy.Stop()
	if n, err := io.Copy(io.Discard, res.Body); err == nil {
		t.Errorf("the download ended cleanly after %d more bytes of %d with the database gone", n, len(big))
	}

	for p, lang := range paths {
		r := get(t, m, p)
		if r.status != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the database gone = %d, want 503", p, r.status)
			continue
		}
		if want := htmlEscape(locale.MustGet(lang).T("error.503_title")); !strings.Contains(r.body, want) {
			t.Errorf("GET %s: the 503 page is not in %s", p, lang)
		}
	}
}

// categoryOf returns a story's category, for a filtered listing.
func categoryOf(t *testing.T, it *alliance.Item) string {
	t.Helper()
	var s alliance.Story
	if err := json.Unmarshal(it.Shared, &s); err != nil || s.Category == "" {
		t.Fatalf("story %s has no category (%v)", it.Key, err)
	}
	return s.Category
}

// A story's lead image carries its own width and height, whatever they are: a PNG of 640×480,
// an SVG whose viewBox says 300×500, and the demo's 1200×675 drawings.
func TestLeadImageHasItsRealSize(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startSiteOn(t, dbURL, false)
		ctx := context.Background()
		var buf bytes.Buffer
		if err := pngEncode(&buf, 640, 480); err != nil {
			t.Fatal(err)
		}
		addMedia(t, m, "images/stories/photo.png", "image/png", buf.Bytes())
		addMedia(t, m, "images/stories/tall.svg", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 500"><rect width="300" height="500"/></svg>`))
		stories, err := m.DB.List(ctx, store.Query{Kind: alliance.KindStory, Order: store.Newest, Limit: 3})
		if err != nil || len(stories) < 3 {
			t.Fatalf("stories: %d, %v", len(stories), err)
		}
		for i, c := range []struct{ image, size string }{
			{"images/stories/photo.png", `width="640" height="480"`},
			{"images/stories/tall.svg", `width="300" height="500"`},
			{"", `width="1200" height="675"`}, // the demo's own
		} {
			it := stories[i]
			if c.image != "" {
				var shared map[string]any
				if err := json.Unmarshal(it.Shared, &shared); err != nil {
					t.Fatal(err)
				}
				shared["image"] = c.image
				it.Shared, _ = json.Marshal(shared)
				if err := m.DB.Update(ctx, func(tx *store.Tx) error {
					_, err := tx.Save(ctx, it, alliance.Change{UserName: "test", Base: it.Revision})
					return err
				}); err != nil {
					t.Fatal(err)
				}
			} else {
				var st alliance.Story
				json.Unmarshal(it.Shared, &st)
				c.image = st.Image
			}
			r := get(t, m, itemPath(it, "en", "news"))
			img := regexp.MustCompile(`<img src="/media/` + regexp.QuoteMeta(c.image) + `"[^>]*>`).FindString(r.body)
			if img == "" {
				t.Errorf("%s: no lead image %s", it.Key, c.image)
				continue
			}
			if !strings.Contains(img, c.size) {
				t.Errorf("%s: %s, want %s", it.Key, img, c.size)
			}
		}
	})
}

func pngEncode(w io.Writer, width, height int) error {
	return png.Encode(w, image.NewGray(image.Rect(0, 0, width, height)))
}
