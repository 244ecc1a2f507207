package web

import (
	"net/http"
	"strconv"
	"strings"
)

// etag is the entity tag of the page key names, in the encoding the client accepts. A page's
// bytes are a function of what the key holds (the content version, the scheme and host its
// absolute links use, its URL), so the tag is a hash of the key: whatever is added to the key
// because it changes a page's bytes (such as the clock's next change of a status) must be
// hashed here too. The tag is weak: the gzip level of a page rendered with and without the
// page cache differs, not its meaning.
func (k pageKey) etag(gzipped bool) string {
	h := uint64(14695981039346656037) // FNV-1a, inline: no allocation on the cached path
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= 0xff // separates fields, so that ("ab","c") and ("a","bc") differ
		h *= 1099511628211
	}
	if k.https {
		add("https")
	} else {
		add("http")
	}
	add(k.host)
	add(k.uri)
	b := make([]byte, 0, 48)
	b = append(b, `W/"`...)
	b = strconv.AppendInt(b, k.version, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, k.until, 36)
	b = append(b, '-')
	b = strconv.AppendUint(b, h, 36)
	if gzipped {
		b = append(b, "-gz"...)
	}
	b = append(b, '"')
	return string(b)
}

// notModified answers 304 when the client already holds the page key names, as its
// If-None-Match says, and reports whether it did. Before routing, only a tag counts, not "*":
// only pages that answer 200 get a tag, so a match means the page exists at this version,
// where "*" says nothing until the page is found.
func notModified(w http.ResponseWriter, r *http.Request, key pageKey, found bool) bool {
	inm := r.Header["If-None-Match"]
	if len(inm) == 0 {
		return false
	}
	tag := key.etag(acceptsGzip(r))
	if !etagMatches(inm, tag, found) {
		return false
	}
	writeNotModified(w, []string{tag})
	return true
}

// writeNotModified writes a 304 with the headers a 200 of the page would have that matter to
// a cache.
func writeNotModified(w http.ResponseWriter, etag []string) {
	h := w.Header()
	h["ETag"] = etag
	h["Cache-Control"] = noCache
	h["Vary"] = varyEncoding
	w.WriteHeader(http.StatusNotModified)
}

// etagMatches reports whether an If-None-Match header (all its lines) names tag, with the weak
// comparison RFC 9110 asks for (W/ prefixes ignored), or is "*" when star may match (the page
// exists).
func etagMatches(header []string, tag string, star bool) bool {
	opaque := strings.TrimPrefix(tag, "W/")
	for _, line := range header {
		for line != "" {
			var t string
			t, line, _ = strings.Cut(line, ",")
			t = strings.TrimSpace(t)
			if (star && t == "*") || strings.TrimPrefix(t, "W/") == opaque {
				return true
			}
		}
	}
	return false
}
