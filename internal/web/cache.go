package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"sync"
)

// pageCache keeps rendered pages in memory. Entries are keyed by the content version, so a
// change to any content makes every older entry unreachable at once; the whole map is dropped
// when the version moves on or the cache is full, which keeps it simple and bounded.
type pageCache struct {
	mu         sync.RWMutex
	entries    map[string]*cached
	version    string
	bytes      int
	maxEntries int
	maxBytes   int
}

type cached struct {
	body, gz []byte
	lang     string
	length   string
	gzOnce   sync.Once
	gzLength string
}

func newPageCache(maxEntries, maxBytes int) *pageCache {
	return &pageCache{entries: map[string]*cached{}, maxEntries: maxEntries, maxBytes: maxBytes}
}

// cacheKey names a response: the content version, the host (links are absolute) and the URL.
func cacheKey(version int64, r *http.Request) string {
	return strconv.FormatInt(version, 10) + "|" + r.Host + "|" + r.URL.RequestURI()
}

func versionOf(key string) string {
	if i := bytes.IndexByte([]byte(key), '|'); i >= 0 {
		return key[:i]
	}
	return key
}

// serve writes the cached page for key and reports whether there was one.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, key string) bool {
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if e == nil {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", e.lang)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	e.write(w, r)
	return true
}

func (c *pageCache) put(key string, body []byte, lang string) *cached {
	e := &cached{body: bytes.Clone(body), lang: lang, length: strconv.Itoa(len(body))}
	v := versionOf(key)
	c.mu.Lock()
	if v != c.version || len(c.entries) >= c.maxEntries || c.bytes+len(body) > c.maxBytes {
		c.entries = map[string]*cached{}
		c.bytes = 0
		c.version = v
	}
	c.entries[key] = e
	c.bytes += len(body)
	c.mu.Unlock()
	return e
}

func (e *cached) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if acceptsGzip(r) {
		e.gzOnce.Do(func() {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(e.body)
			zw.Close()
			e.gz = b.Bytes()
			e.gzLength = strconv.Itoa(len(e.gz))
		})
		h.Set("Content-Encoding", "gzip")
		h["Content-Length"] = []string{e.gzLength}
		w.WriteHeader(http.StatusOK)
		w.Write(e.gz)
		return
	}
	h["Content-Length"] = []string{e.length}
	w.WriteHeader(http.StatusOK)
	w.Write(e.body)
}
