package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// etag is the validator of the response r asks for. A response is a function of the content
// version, of the clock only through the statuses that change at the site's next transition
// (store.DB.Moment: an event becomes past, a call closes, a scheduled item appears), and of
// the request's URL and the base of its absolute URLs; the tag holds the first two and a hash
// of the others, as the public pages' tags do. It is weak: two encodings of the same JSON
// would be equally good.
func (s *Server) etag(r *http.Request) string {
	version, next := s.db.Moment(r.Context(), s.now())
	h := uint64(14695981039346656037) // FNV-1a
	add := func(v string) {
		for i := 0; i < len(v); i++ {
			h ^= uint64(v[i])
			h *= 1099511628211
		}
		h ^= 0xff // separates fields
		h *= 1099511628211
	}
	add(s.baseURL(r))
	add(r.URL.RequestURI())
	b := make([]byte, 0, 48)
	b = append(b, `W/"api-`...)
	b = strconv.AppendInt(b, version, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, next.Unix(), 36)
	b = append(b, '-')
	b = strconv.AppendUint(b, h, 36)
	b = append(b, '"')
	return string(b)
}

// notModified answers 304 when If-None-Match names tag (weak comparison, RFC 9110), and
// reports whether it did. "*" is not honoured: it would say the resource exists before it is
// looked up, and only responses that answered 200 carry a tag a client can send back.
func notModified(w http.ResponseWriter, r *http.Request, tag string) bool {
	opaque := strings.TrimPrefix(tag, "W/")
	for _, line := range r.Header["If-None-Match"] {
		for line != "" {
			var t string
			t, line, _ = strings.Cut(line, ",")
			if strings.TrimPrefix(strings.TrimSpace(t), "W/") == opaque {
				h := w.Header()
				h["ETag"] = []string{tag}
				h["Cache-Control"] = noCache
				w.WriteHeader(http.StatusNotModified)
				return true
			}
		}
	}
	return false
}

// writeJSON writes v as the body of a response with status. HTML in values (an item's body)
// stays as it is rather than escaped to \u003c: the response is never read as HTML.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Every value written is built from decoded JSON and strings: it always encodes.
		http.Error(w, "encoding failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	if h["Content-Type"] == nil {
		h["Content-Type"] = jsonType
	}
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// writeOK writes v as a 200 with its validator, to be revalidated on each use.
func writeOK(w http.ResponseWriter, tag string, v any) {
	h := w.Header()
	h["ETag"] = []string{tag}
	h["Cache-Control"] = noCache
	writeJSON(w, http.StatusOK, v)
}
