package media_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance/internal/demo"
	"github.com/alliance-platform/alliance/internal/media"
)

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeader is a PNG whose header claims w × h pixels and holds none: a file of 45 bytes that
// would ask a decoder for w × h × 4 bytes.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestInspect(t *testing.T) {
	photo := encodeJPEG(t, image.NewRGBA(image.Rect(0, 0, 64, 48)))
	drawing := encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 30, 20)))
	pdf := []byte("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00" + strings.Repeat("\x00", 40))
	svg := func(inner string) []byte {
		return []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 120 80">` + inner + `</svg>`)
	}
	small := media.Limits{MaxBytes: 1000, MaxPixels: 10_000}
	tests := []struct {
		name     string
		file     string
		data     []byte
		lim      media.Limits
		code     string // the problem's code; empty when accepted
		ctype    string
		w, h     int
		inDetail string
	}{
		{name: "JPEG", file: "photo.JPG", data: photo, ctype: "image/jpeg", w: 64, h: 48},
		{name: "PNG", file: "a.png", data: drawing, ctype: "image/png", w: 30, h: 20},
		{name: "PDF", file: "call.pdf", data: pdf, ctype: "application/pdf"},
		{name: "Word document", file: "form.docx", data: zip, ctype: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{name: "CSV", file: "list.csv", data: []byte("a,b\n1,2\n"), ctype: "text/csv; charset=utf-8"},
		{name: "SVG sized by its viewBox", file: "logo.svg", data: svg(`<circle cx="5" cy="5" r="4" fill="url(#g)"/>`), ctype: "image/svg+xml", w: 120, h: 80},
		{name: "SVG with an embedded raster image", file: "x.svg", data: svg(`<image href="data:image/png;base64,AAAA"/>`), ctype: "image/svg+xml", w: 120, h: 80},
		{name: "SVG with a style using a gradient", file: "x.svg", data: svg(`<style>.a{fill:url( '#g')}</style><rect class="a"/>`), ctype: "image/svg+xml", w: 120, h: 80},

		{name: "too large", file: "photo.jpg", data: photo, lim: media.Limits{MaxBytes: 10, MaxPixels: 1 << 30}, code: "too_large"},
		{name: "empty", file: "a.pdf", data: nil, code: "empty"},
		{name: "unknown extension", file: "setup.exe", data: []byte("MZ\x90\x00"), code: "type"},
		{name: "no extension", file: "README", data: []byte("hello"), code: "type"},
		{name: "JPEG named PNG", file: "a.png", data: photo, code: "mismatch"},
		{name: "HTML named PDF", file: "a.pdf", data: []byte("<html><script>alert(1)</script></html>"), code: "mismatch"},
		{name: "PDF named DOCX", file: "a.docx", data: pdf, code: "mismatch"},
		{name: "HTML named SVG", file: "a.svg", data: []byte("<html><body>hi</body></html>"), code: "mismatch"},
		{name: "XHTML named SVG", file: "a.svg", data: []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>`), code: "svg", inDetail: "root element is <html>"},
		{name: "decompression bomb", file: "bomb.png", data: pngHeader(100_000, 100_000), code: "too_many_pixels", inDetail: "100000 × 100000"},
		{name: "just over the pixel limit", file: "a.png", data: encodePNG(t, image.NewGray(image.Rect(0, 0, 101, 100))), lim: small, code: "too_many_pixels"},
		{name: "at the pixel limit", file: "a.png", data: encodePNG(t, image.NewGray(image.Rect(0, 0, 100, 100))), lim: small, ctype: "image/png", w: 100, h: 100},
		{name: "truncated PNG", file: "a.png", data: drawing[:20], code: "unreadable"},

		{name: "SVG script", file: "x.svg", data: svg(`<script>alert(1)</script>`), code: "svg", inDetail: "<script>"},
		{name: "SVG script in capitals", file: "x.svg", data: svg(`<SCRIPT>alert(1)</SCRIPT>`), code: "svg"},
		{name: "SVG event handler", file: "x.svg", data: svg(`<rect onclick="alert(1)"/>`), code: "svg", inDetail: "onclick"},
		{name: "SVG onload on the root", file: "x.svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), code: "svg"},
		{name: "SVG javascript link", file: "x.svg", data: svg(`<a xlink:href="javascript:alert(1)"><text>x</text></a>`), code: "svg"},
		{name: "SVG external image", file: "x.svg", data: svg(`<image href="https://tracker.example/p.png"/>`), code: "svg"},
		{name: "SVG external use", file: "x.svg", data: svg(`<use href="https://evil.example/s.svg#x"/>`), code: "svg"},
		{name: "SVG SVG data URL", file: "x.svg", data: svg(`<image href="data:image/svg+xml;base64,PHN2Zz4="/>`), code: "svg"},
		{name: "SVG foreignObject", file: "x.svg", data: svg(`<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>`), code: "svg"},
		{name: "SVG animation rewriting a link", file: "x.svg", data: svg(`<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>`), code: "svg"},
		{name: "SVG entity expansion", file: "x.svg", data: []byte(`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>`), code: "svg", inDetail: "DOCTYPE"},
		{name: "SVG CSS import", file: "x.svg", data: svg(`<style>@import url(https://evil.example/x.css);</style>`), code: "svg"},
		{name: "SVG CSS fetch", file: "x.svg", data: svg(`<rect style="fill:url(https://evil.example/x)"/>`), code: "svg"},
		{name: "SVG presentation attribute fetch", file: "x.svg", data: svg(`<rect fill="url(https://evil.example/x#g)"/>`), code: "svg"},
		{name: "SVG not well-formed", file: "x.svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>`), code: "svg", inDetail: "well-formed"},
		{name: "SVG nested too deep", file: "x.svg", data: svg(strings.Repeat("<g>", 300) + strings.Repeat("</g>", 300)), code: "svg", inDetail: "nested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := tt.lim
			if lim.MaxBytes == 0 {
				lim = media.DefaultLimits
			}
			info, err := media.Inspect(tt.file, tt.data, lim)
			if tt.code != "" {
				var p *media.Problem
				if !errors.As(err, &p) || p.Code != tt.code {
					t.Fatalf("Inspect = %+v, %v; want the problem %q", info, err, tt.code)
				}
				if !strings.Contains(p.Detail, tt.file) && tt.code != "svg" {
					t.Errorf("the message %q does not name the file", p.Detail)
				}
				if !strings.Contains(p.Detail, tt.inDetail) {
					t.Errorf("the message %q does not say %q", p.Detail, tt.inDetail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.ContentType != tt.ctype || info.Width != tt.w || info.Height != tt.h {
				t.Errorf("Inspect = %+v, want %s %d×%d", info, tt.ctype, tt.w, tt.h)
			}
		})
	}
}

// Every file of the demo is accepted as it is, with the size pages give it.
func TestDemoMediaAccepted(t *testing.T) {
	n := 0
	err := fs.WalkDir(demo.Content(), "media", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(demo.Content(), p)
		if err != nil {
			return err
		}
		info, err := media.Inspect(p, data, media.DefaultLimits)
		if err != nil {
			t.Errorf("%s refused: %v", p, err)
			return nil
		}
		if w, h := media.Size(info.ContentType, data); w != info.Width || h != info.Height {
			t.Errorf("%s: Inspect says %d×%d, Size %d×%d", p, info.Width, info.Height, w, h)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d demo files checked", n)
	}
}

func TestVariants(t *testing.T) {
	opaque := image.NewRGBA(image.Rect(0, 0, 2000, 1000))
	for i := range opaque.Pix {
		opaque.Pix[i] = 0xff
	}
	clear := image.NewNRGBA(image.Rect(0, 0, 1000, 501))
	clear.Set(3, 3, color.NRGBA{R: 200, A: 128})
	tests := []struct {
		name     string
		file     string
		data     []byte
		want     []string // "WxH type"
		pixel    bool
		animated bool
	}{
		{name: "a wide photograph gets every width", file: "p.jpg", data: encodeJPEG(t, opaque),
			want: []string{"480x240 image/jpeg", "960x480 image/jpeg", "1600x800 image/jpeg"}},
		{name: "transparency stays PNG, heights rounded", file: "d.png", data: encodePNG(t, clear),
			want: []string{"480x240 image/png", "960x481 image/png"}},
		{name: "a small image gets none", file: "s.png", data: encodePNG(t, image.NewGray(image.Rect(0, 0, 300, 200)))},
		{name: "an SVG gets none", file: "s.svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="10"/>`)},
		{name: "a document gets none", file: "a.pdf", data: []byte("%PDF-1.4\n%%EOF")},
		{name: "a still GIF gets copies", file: "g.gif", data: encodeGIF(t, 1),
			want: []string{"480x240 image/jpeg", "960x480 image/jpeg"}},
		{name: "an animated GIF gets none, to stay animated", file: "a.gif", data: encodeGIF(t, 2), animated: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := media.Inspect(tt.file, tt.data, media.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			vs, err := media.Variants(info, tt.data, media.Widths)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, fmt.Sprintf("%dx%d %s", v.Width, v.Height, v.ContentType))
				// Each copy is an image of the size it says.
				back, err := media.Inspect("v."+strings.TrimPrefix(v.ContentType, "image/"), v.Data, media.DefaultLimits)
				if err != nil || back.Width != v.Width || back.Height != v.Height {
					t.Errorf("variant %dx%d reads back as %+v, %v", v.Width, v.Height, back, err)
				}
			}
			if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Errorf("variants %v, want %v", got, tt.want)
			}
			// Pages write srcset from CopyWidths: it names the copies made (an animation's
			// are served whole).
			cw := media.CopyWidths(info.ContentType, info.Width)
			if tt.animated {
				cw = nil
			}
			if len(cw) != len(vs) {
				t.Fatalf("CopyWidths %v, variants %v", cw, got)
			}
			for i, w := range cw {
				if vs[i].Width != w {
					t.Errorf("CopyWidths %v, variants %v", cw, got)
				}
			}
		})
	}
	if !media.IsWidth(960) || media.IsWidth(961) {
		t.Error("IsWidth")
	}
}

// encodeGIF returns a GIF of 1000 × 500 pixels with frames frames.
func encodeGIF(t *testing.T, frames int) []byte {
	t.Helper()
	g := &gif.GIF{}
	for i := 0; i < frames; i++ {
		g.Image = append(g.Image, image.NewPaletted(image.Rect(0, 0, 1000, 500), color.Palette{color.Black, color.White}))
		g.Delay = append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkVariants makes the copies of a 24-megapixel photograph, the largest accepted: the
// work an upload or an import does once per image (numbers in bench/README.md).
func BenchmarkVariants(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 6000, 4000))
	for i := range img.Pix {
		img.Pix[i] = byte(i*7) | 3
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	info, err := media.Inspect("p.jpg", data, media.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := media.Variants(info, data, media.Widths); err != nil {
			b.Fatal(err)
		}
	}
}
