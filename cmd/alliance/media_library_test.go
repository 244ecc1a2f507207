package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/media"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// upload posts a file to the media library as the page's form does: the token first, then
// the folder, then the file. Pairs of header names and values may follow.
func (b *browser) upload(csrf, folder, name string, data []byte, header ...string) response {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if csrf != "" {
		w.WriteField("csrf", csrf)
	}
	w.WriteField("folder", folder)
	if name != "" {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest("POST", b.url("/admin/media/"), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

func photo(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i*7) | 3
		if i%4 == 3 {
			img.Pix[i] = 0xff
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func drawing(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.NRGBA{R: 200, A: 100})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a PNG of a few bytes whose header says 100,000 × 100,000 pixels: decoded, 40 GB.
func pngBomb() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100_000)
	binary.BigEndian.PutUint32(ihdr[4:], 100_000)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// Uploads with real bytes: images and documents kept where the page says, with their real
// size and their copies, each audited; every refusal said in the editor's language beside the
// file field, nothing kept. On both databases.
func TestMediaUploadAcceptedAndRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		ed := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		ctx := context.Background()
		tests := []struct {
			name, file, folder string
			data               []byte
			lang               string
			status             int
			path               string // where an accepted file is kept
			width, height      int
			copies             []int
			message            string // a refusal's, in lang
		}{
			{name: "a photograph", file: "Campus Day.JPG", data: photo(t, 2000, 1000), status: 303,
				path: "images/campus-day.jpg", width: 2000, height: 1000, copies: []int{480, 960, 1600}},
			{name: "a drawing with transparency, in a folder", file: "plan.png", folder: "Images/Maps ", data: drawing(t, 700, 350),
				status: 303, path: "images/maps/plan.png", width: 700, height: 350, copies: []int{480}},
			{name: "a document", file: "report.pdf", data: []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), status: 303, path: "files/report.pdf"},
			{name: "a decompression bomb", file: "bomb.png", data: pngBomb(), lang: "de", status: 422,
				message: "Das Bild hat zu viele Pixel: Angenommen werden höchstens 24 Megapixel."},
			{name: "an SVG with script", file: "logo.svg", lang: "el", status: 422,
				data:    []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`),
				message: "Αυτή η εικόνα SVG περιέχει σενάρια"},
			{name: "HTML named .jpg", file: "photo.jpg", data: []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
				lang: "en", status: 422, message: "The content of photo.jpg is not what its extension says."},
			{name: "a program", file: "setup.exe", data: []byte("MZ\x90\x00"), lang: "en", status: 422, message: "This type of file is not accepted"},
			{name: "no file", lang: "en", status: 422, message: "Choose a file to upload."},
			{name: "a folder going up", file: "a.pdf", folder: "../x", data: []byte("%PDF-1.4\n%%EOF"), lang: "en", status: 422,
				message: "This folder cannot be used"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				lang := tt.lang
				if lang == "" {
					lang = "en"
				}
				r := ed.upload(ed.form("/admin/media/"), tt.folder, tt.file, tt.data, "Accept-Language", lang)
				if r.status != tt.status {
					t.Fatalf("upload = %d, want %d:\n%s", r.status, tt.status, r.body)
				}
				if tt.status != 303 {
					if !strings.Contains(r.body, `<html lang="`+lang+`">`) || !strings.Contains(r.body, tt.message) ||
						!strings.Contains(r.body, `role="alert"`) {
						t.Errorf("refusal lacks %q in %s:\n%s", tt.message, lang, r.body)
					}
					if tt.message != "This folder cannot be used" && !strings.Contains(r.body, `id="f-file-error"`) {
						t.Errorf("the message is not beside the file field:\n%s", r.body)
					}
					if tt.folder != "" && !strings.Contains(r.body, `value="`+tt.folder+`"`) {
						t.Errorf("the folder typed is lost")
					}
					return
				}
				if loc := r.header.Get("Location"); loc != "/admin/media/?uploaded="+url.QueryEscape(tt.path) {
					t.Fatalf("upload went to %q, want the library saying %s", loc, tt.path)
				}
				page := ed.get(r.header.Get("Location"))
				// The row itself may be on another page: uploads in the demo's second sort among its files.
				if !strings.Contains(page.body, `readonly value="`+tt.path+`"`) {
					t.Errorf("the library does not show the path to use:\n%s", page.body)
				}
				f, err := m.DB.Media(ctx, tt.path)
				if err != nil {
					t.Fatal(err)
				}
				if f.Size != int64(len(tt.data)) || f.Width != tt.width || f.Height != tt.height {
					t.Errorf("kept %d bytes %d×%d, want %d %d×%d", f.Size, f.Width, f.Height, len(tt.data), tt.width, tt.height)
				}
				vs, err := m.DB.Variants(ctx, tt.path, false)
				if err != nil {
					t.Fatal(err)
				}
				var widths []int
				for _, v := range vs {
					widths = append(widths, v.Width)
				}
				if len(widths) != len(tt.copies) || (len(widths) > 0 && widths[len(widths)-1] != tt.copies[len(tt.copies)-1]) {
					t.Errorf("copies at %v, want %v", widths, tt.copies)
				}
			})
		}
		// Nothing refused was kept; each file kept has one audit line, naming its uploader.
		paths, err := m.DB.MediaPaths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if strings.Contains(p, "bomb") || strings.Contains(p, "logo.svg") || p == "images/photo.jpg" || strings.Contains(p, "setup") {
				t.Errorf("refused file kept: %s", p)
			}
		}
		log, err := m.DB.AuditLog(ctx, store.AuditQuery{Action: store.AuditMediaUploaded})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 3 || log[0].Subject != "files/report.pdf" || log[0].Actor != "editor@example.eu" || log[0].ActorID == 0 || log[0].Addr == "" {
			t.Errorf("upload audit lines: %+v", log)
		}
		list := library(t, ed)
		for _, want := range []string{
			`src="/media/images/campus-day.jpg?w=480"`, "2,000 × 1,000 pixels", "image/jpeg", "Name of editor@example.eu",
			`href="/admin/media/delete?path=files%2Freport.pdf"`, `src="/media/images/maps/plan.png?w=480"`,
		} {
			if !strings.Contains(list.body, want) {
				t.Errorf("the library lacks %q", want)
			}
		}

		// The same bytes again are no change; other bytes under a stored name are refused.
		if r := ed.upload(ed.form("/admin/media/"), "", "report.pdf", tests[2].data); r.status != 303 {
			t.Errorf("the same file again = %d", r.status)
		}
		r := ed.upload(ed.form("/admin/media/"), "", "report.pdf", []byte("%PDF-1.7\nother\n%%EOF\n"))
		if r.status != http.StatusConflict || !strings.Contains(r.body, "Another file is already at files/report.pdf") {
			t.Errorf("another file under a stored name = %d:\n%s", r.status, r.body)
		}
		// Without the form's token the file is not read, let alone kept.
		if r := ed.upload("", "", "stray.pdf", tests[2].data); r.status != http.StatusForbidden {
			t.Errorf("upload without a token = %d", r.status)
		}
		if r := ed.upload("wrong", "", "stray.pdf", tests[2].data); r.status != http.StatusForbidden {
			t.Errorf("upload with a wrong token = %d", r.status)
		}
		if r := ed.upload(ed.form("/admin/media/"), "", "stray.pdf", tests[2].data, "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
			t.Errorf("upload from another site = %d", r.status)
		}
		if _, err := m.DB.Media(ctx, "files/stray.pdf"); !store.IsNotFound(err) {
			t.Errorf("a refused upload was kept: %v", err)
		}
		// A file over the limit is refused as it streams in, before it is all read.
		big := make([]byte, media.DefaultLimits.MaxBytes+1)
		copy(big, "%PDF-1.7\n")
		r = ed.upload(ed.form("/admin/media/"), "", "huge.pdf", big, "Accept-Language", "el")
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "Το αρχείο είναι μεγαλύτερο από 52,4") {
			t.Errorf("oversize upload = %d:\n%.2000s", r.status, r.body)
		}

		// Deleting: refused while a story shows the image, done and audited once it is not.
		story := firstItem(t, m, alliance.KindStory)
		f := formValues(t, ed, "/admin/items/story/"+story.Key+"/")
		f.Set("image", "images/campus-day.jpg")
		for k := range f {
			if strings.HasPrefix(k, "texts.") && strings.HasSuffix(k, ".title") {
				f.Set(strings.TrimSuffix(k, "title")+"alt", "Students on the campus lawn")
			}
		}
		f.Set("do", "save")
		if r := ed.post("/admin/items/story/"+story.Key+"/", f); r.status != http.StatusSeeOther {
			t.Fatalf("story with the image = %d:\n%s", r.status, r.body)
		}
		del := "/admin/media/delete?path=images%2Fcampus-day.jpg"
		if r := ed.get(del); r.status != 200 || !strings.Contains(r.body, "story/"+story.Key) || strings.Contains(r.body, `class="danger"`) {
			t.Errorf("delete page of a file in use = %d:\n%s", r.status, r.body)
		}
		r = ed.post(del, url.Values{"csrf": {ed.form("/admin/media/")}})
		if r.status != http.StatusConflict || !strings.Contains(r.body, `href="/admin/items/story/`+story.Key+`/"`) {
			t.Errorf("deleting a file in use = %d:\n%s", r.status, r.body)
		}
		if _, err := m.DB.Media(ctx, "images/campus-day.jpg"); err != nil {
			t.Errorf("a file in use was deleted: %v", err)
		}
		del = "/admin/media/delete?path=files%2Freport.pdf"
		r = ed.post(del, url.Values{"csrf": {ed.form(del)}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/media/?deleted=files%2Freport.pdf" {
			t.Fatalf("delete = %d %s:\n%s", r.status, r.header.Get("Location"), r.body)
		}
		if got := request(t, m, "GET", "/media/files/report.pdf"); got.status != 404 {
			t.Errorf("a deleted file is served: %d", got.status)
		}
		log, err = m.DB.AuditLog(ctx, store.AuditQuery{Action: store.AuditMediaDeleted})
		if err != nil || len(log) != 1 || log[0].Subject != "files/report.pdf" || log[0].Actor != "editor@example.eu" {
			t.Errorf("delete audit lines: %+v, %v", log, err)
		}
	})
}

// The copies are served at ?w= with their type, bytes and a validator of their own; a width
// the site makes no copies at is 404; where an image has no copy at a width, its original.
func TestMediaVariantServed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		ed := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		ctx := context.Background()
		jpg, pngData := photo(t, 2000, 1000), drawing(t, 700, 350)
		for name, data := range map[string][]byte{"wide.jpg": jpg, "small.png": pngData} {
			if r := ed.upload(ed.form("/admin/media/"), "", name, data); r.status != 303 {
				t.Fatalf("upload %s = %d:\n%s", name, r.status, r.body)
			}
		}
		want, err := m.DB.Variant(ctx, "images/wide.jpg", 960)
		if err != nil {
			t.Fatal(err)
		}
		r := request(t, m, "GET", "/media/images/wide.jpg?w=960")
		if r.status != 200 || r.header.Get("Content-Type") != "image/jpeg" || r.body != string(want) {
			t.Fatalf("copy = %d %s, %d bytes, want %d", r.status, r.header.Get("Content-Type"), len(r.body), len(want))
		}
		cfg, _, err := image.DecodeConfig(strings.NewReader(r.body))
		if err != nil || cfg.Width != 960 || cfg.Height != 480 {
			t.Errorf("the copy is %+v, %v", cfg, err)
		}
		etag := r.header.Get("ETag")
		orig := request(t, m, "GET", "/media/images/wide.jpg")
		if etag == "" || etag == orig.header.Get("ETag") || r.header.Get("Cache-Control") != orig.header.Get("Cache-Control") {
			t.Errorf("copy's validator %q and caching %q; the original's %q, %q", etag, r.header.Get("Cache-Control"),
				orig.header.Get("ETag"), orig.header.Get("Cache-Control"))
		}
		if r := request(t, m, "GET", "/media/images/wide.jpg?w=960", "If-None-Match", etag); r.status != 304 || r.body != "" {
			t.Errorf("conditional copy = %d", r.status)
		}
		if r := request(t, m, "HEAD", "/media/images/wide.jpg?w=480"); r.status != 200 || r.header.Get("Content-Length") == "" {
			t.Errorf("HEAD of a copy = %d %v", r.status, r.header)
		}
		if r := request(t, m, "GET", "/media/images/wide.jpg?w=480", "Range", "bytes=0-9"); r.status != 206 || len(r.body) != 10 {
			t.Errorf("range of a copy = %d, %d bytes", r.status, len(r.body))
		}
		for _, p := range []string{"/media/images/wide.jpg?w=500", "/media/images/wide.jpg?w=", "/media/images/wide.jpg?w=x",
			"/media/images/none.jpg?w=480", "/media/" + firstDocument(t, m) + "?w=480"} {
			if r := request(t, m, "GET", p); r.status != 404 {
				t.Errorf("%s = %d, want 404", p, r.status)
			}
		}
		// The 700-pixel drawing has a 480 copy (PNG: it has transparency), and no 960 one.
		if r := request(t, m, "GET", "/media/images/small.png?w=480"); r.status != 200 || r.header.Get("Content-Type") != "image/png" {
			t.Errorf("PNG copy = %d %s", r.status, r.header.Get("Content-Type"))
		}
		if r := request(t, m, "GET", "/media/images/small.png?w=960"); r.status != 200 || r.body != string(pngData) {
			t.Errorf("a width without a copy = %d, %d bytes: want the original", r.status, len(r.body))
		}
	})
}

// firstDocument is the path of a stored file that is not an image.
func firstDocument(t *testing.T, m *Main) string {
	t.Helper()
	paths, err := m.DB.MediaPaths(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if !strings.HasPrefix(media.TypeByName(p), "image/") {
			return p
		}
	}
	t.Fatal("no document in the demo")
	return ""
}

var srcsetRE = regexp.MustCompile(`<img src="(/media/[^"]+)" srcset="([^"]+)" sizes="([^"]+)" alt="([^"]*)"(?: lang="[a-z]+")? width="(\d+)" height="(\d+)"`)

// A story's lead image offers its copies with their real widths and the original, with the
// image's real size, in every language; its card offers the copies too.
func TestMediaSrcsetOnStoryPage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		ed := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		if r := ed.upload(ed.form("/admin/media/"), "images/stories", "Lab.jpg", photo(t, 2000, 1125)); r.status != 303 {
			t.Fatalf("upload = %d:\n%s", r.status, r.body)
		}
		story := firstItem(t, m, alliance.KindStory)
		f := formValues(t, ed, "/admin/items/story/"+story.Key+"/")
		f.Set("image", "images/stories/lab.jpg")
		f.Set("do", "save")
		for k := range f {
			if strings.HasSuffix(k, ".alt") {
				f.Set(k, "")
			}
		}
		// Alt text is required in every language the story has before it is saved with the image.
		if r := ed.post("/admin/items/story/"+story.Key+"/", f); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("an image without alt text = %d", r.status)
		}
		alts := map[string]string{}
		for k := range f {
			if strings.HasPrefix(k, "texts.") && strings.HasSuffix(k, ".title") {
				lang := strings.TrimSuffix(strings.TrimPrefix(k, "texts."), ".title")
				alts[lang] = "Alt text " + lang
				f.Set("texts."+lang+".alt", alts[lang])
			}
		}
		if r := ed.post("/admin/items/story/"+story.Key+"/", f); r.status != http.StatusSeeOther {
			t.Fatalf("story with the image = %d:\n%s", r.status, r.body)
		}
		for _, lang := range []string{"en", "el"} {
			page := get(t, m, itemPath(story, lang, "news"))
			if page.status != 200 {
				t.Fatalf("%s story page = %d", lang, page.status)
			}
			sm := srcsetRE.FindStringSubmatch(page.body)
			if sm == nil {
				t.Fatalf("%s: no img with srcset:\n%s", lang, page.body)
			}
			wantSet := "/media/images/stories/lab.jpg?w=480 480w, /media/images/stories/lab.jpg?w=960 960w, " +
				"/media/images/stories/lab.jpg?w=1600 1600w, /media/images/stories/lab.jpg 2000w"
			if sm[1] != "/media/images/stories/lab.jpg" || sm[2] != wantSet || !strings.Contains(sm[3], "69.5rem") ||
				sm[5] != "2000" || sm[6] != "1125" {
				t.Errorf("%s: lead image %q", lang, sm[0])
			}
			if alt := htmlUnescape(sm[4]); alts[lang] != "" && alt != alts[lang] {
				t.Errorf("%s: alt %q, want %q", lang, alt, alts[lang])
			}
			// Every URL of srcset answers with an image of the width it says.
			for _, cand := range strings.Split(sm[2], ", ") {
				u, w, _ := strings.Cut(cand, " ")
				r := request(t, m, "GET", u)
				cfg, _, err := image.DecodeConfig(strings.NewReader(r.body))
				if r.status != 200 || err != nil || w != strconv.Itoa(cfg.Width)+"w" {
					t.Errorf("%s: %s = %d, %d pixels wide (%v)", lang, cand, r.status, cfg.Width, err)
				}
			}
		}
		// The card on the news listing: every copy, the card's box, lazily.
		var list response
		for n := 1; n < 20; n++ {
			list = get(t, m, "/en/"+locale.MustGet("en").SectionSlug("news")+"/?page="+strconv.Itoa(n))
			if list.status != 200 || strings.Contains(list.body, "/media/images/stories/lab.jpg") {
				break
			}
		}
		if !strings.Contains(list.body, `srcset="/media/images/stories/lab.jpg?w=480 480w, /media/images/stories/lab.jpg?w=960 960w, /media/images/stories/lab.jpg?w=1600 1600w"`) ||
			!strings.Contains(list.body, `width="600" height="338" loading="lazy"`) {
			t.Errorf("the story's card has no srcset:\n%s", regexp.MustCompile(`<img[^>]*>`).FindAllString(list.body, -1))
		}
	})
}

// A member editor uploads, and deletes only what they uploaded: the library's files belong to
// no university. Organisers and translators have no media field to fill: no library for them.
func TestMediaMemberEditorRules(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		m := startAdmin(t, dbURL, "", newAdminClock())
		ctx := context.Background()
		me := invite(t, m, "genil@example.eu", goodPassword, "--role", "member-editor", "--member", "genil")
		ed := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
		doc := []byte("%PDF-1.7\n%%EOF\n")
		if r := me.upload(me.form("/admin/media/"), "", "mine.pdf", doc); r.status != 303 {
			t.Fatalf("member editor's upload = %d:\n%s", r.status, r.body)
		}
		if r := ed.upload(ed.form("/admin/media/"), "", "theirs.pdf", doc); r.status != 303 {
			t.Fatalf("editor's upload = %d:\n%s", r.status, r.body)
		}
		list := library(t, me)
		if !strings.Contains(list.body, `href="/admin/media/delete?path=files%2Fmine.pdf"`) ||
			strings.Contains(list.body, `delete?path=files%2Ftheirs.pdf`) || strings.Contains(list.body, `delete?path=logos`) {
			t.Errorf("member editor's delete links are wrong: %q", regexp.MustCompile(`delete\?path=[^"]+`).FindAllString(list.body, -1))
		}
		theirs := "/admin/media/delete?path=files%2Ftheirs.pdf"
		if r := me.get(theirs); r.status != http.StatusForbidden {
			t.Errorf("member editor's delete page of another's file = %d", r.status)
		}
		if r := me.post(theirs, url.Values{"csrf": {me.form("/admin/media/")}}); r.status != http.StatusForbidden {
			t.Errorf("member editor deleting another's file = %d", r.status)
		}
		if _, err := m.DB.Media(ctx, "files/theirs.pdf"); err != nil {
			t.Errorf("another's file was deleted: %v", err)
		}
		mine := "/admin/media/delete?path=files%2Fmine.pdf"
		if r := me.post(mine, url.Values{"csrf": {me.form(mine)}}); r.status != http.StatusSeeOther {
			t.Errorf("member editor deleting their own file = %d:\n%s", r.status, r.body)
		}
		// An editor deletes anyone's.
		if r := ed.post(theirs, url.Values{"csrf": {ed.form(theirs)}}); r.status != http.StatusSeeOther {
			t.Errorf("editor deleting a file = %d", r.status)
		}
		for _, flags := range [][]string{{"--role", "organiser"}, {"--role", "translator", "--languages", "el"}} {
			role := flags[1]
			b := invite(t, m, role+"@example.eu", goodPassword, flags...)
			if home := b.get("/admin/"); strings.Contains(home.body, `href="/admin/media/"`) {
				t.Errorf("%s: home links to the library", role)
			}
			if r := b.get("/admin/media/"); r.status != http.StatusForbidden {
				t.Errorf("%s: library = %d", role, r.status)
			}
			csrf := csrfField.FindStringSubmatch(b.get("/admin/").body)[1]
			if r := b.upload(csrf, "", "x.pdf", doc); r.status != http.StatusForbidden {
				t.Errorf("%s: upload = %d", role, r.status)
			}
		}
		if _, err := m.DB.Media(ctx, "files/x.pdf"); !store.IsNotFound(err) {
			t.Errorf("a forbidden upload was kept: %v", err)
		}
	})
}

var (
	idRE    = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"[^>]*>`)
	imgRE   = regexp.MustCompile(`<img\b[^>]*>`)
	headRE  = regexp.MustCompile(`<h([1-6])\b`)
	hiddenR = regexp.MustCompile(`type="hidden"`)
)

// The library's pages in English, German and Greek: one h1 and no level skipped, every field
// labelled, every image with its alt (empty where the path beside it says it all), the table
// with its caption and headers, the page in its language.
func TestMediaPagesAccessible(t *testing.T) {
	m := startAdmin(t, storetest.NewURL(t, store.SQLite), "", newAdminClock())
	ed := invite(t, m, "editor@example.eu", goodPassword, "--role", "editor")
	if r := ed.upload(ed.form("/admin/media/"), "", "a.jpg", photo(t, 1000, 600)); r.status != 303 {
		t.Fatalf("upload = %d", r.status)
	}
	for _, lang := range []string{"en", "de", "el"} {
		for _, path := range []string{"/admin/media/", "/admin/media/?uploaded=images%2Fa.jpg", "/admin/media/delete?path=images%2Fa.jpg"} {
			r := ed.get(path, "Accept-Language", lang)
			if r.status != 200 || !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Fatalf("%s %s = %d", lang, path, r.status)
			}
			main := r.body[strings.Index(r.body, `<main`):]
			levels := headRE.FindAllStringSubmatch(main, -1)
			if len(levels) == 0 || levels[0][1] != "1" || strings.Count(main, "<h1") != 1 {
				t.Errorf("%s %s: headings %v", lang, path, levels)
			}
			for i := 1; i < len(levels); i++ {
				if levels[i][1][0] > levels[i-1][1][0]+1 {
					t.Errorf("%s %s: heading level skipped: %v", lang, path, levels)
				}
			}
			for _, f := range idRE.FindAllStringSubmatch(r.body, -1) {
				if !hiddenR.MatchString(f[0]) && !strings.Contains(r.body, `<label for="`+f[1]+`"`) {
					t.Errorf("%s %s: %s has no label", lang, path, f[0])
				}
			}
			for _, img := range imgRE.FindAllString(r.body, -1) {
				if !strings.Contains(img, ` alt="`) {
					t.Errorf("%s %s: image without alt: %s", lang, path, img)
				}
			}
			if strings.Contains(r.body, "<table") && (!strings.Contains(r.body, "<caption>") || !strings.Contains(r.body, `<th scope="col">`)) {
				t.Errorf("%s %s: table without caption or headers", lang, path)
			}
			for _, key := range []string{"media.", "nav.media"} {
				if strings.Contains(r.body, ">"+key) {
					t.Errorf("%s %s: untranslated %s", lang, path, key)
				}
			}
		}
	}
}

// library returns every page of the media library, one after the other: files uploaded in
// the second the demo was loaded in sort among its files.
func library(t *testing.T, b *browser) response {
	t.Helper()
	var all response
	next := "/admin/media/"
	for next != "" {
		r := b.get(next)
		if r.status != 200 {
			t.Fatalf("GET %s = %d", next, r.status)
		}
		all.status, all.body = r.status, all.body+r.body
		next = ""
		if m := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(r.body); m != nil {
			next = htmlUnescape(m[1])
		}
	}
	return all
}
