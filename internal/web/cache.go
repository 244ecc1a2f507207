package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// pageCache keeps rendered pages in memory. Entries are keyed by the content version and the
// site's next transition in time (store.DB.Moment), so a change to any content, or the clock
// passing an instant at which a status changes (a deadline, an event's end, a publication
// date), makes every older entry unreachable at once; the whole map is dropped when either
// moves on or the cache is full, which keeps it simple and bounded.
type pageCache struct {
	// entries is read without a lock (sync.Map reads take none): with a read lock, both cores
	// would bounce the lock's counter between them on every request. mu orders the writers.
	entries    atomic.Pointer[sync.Map] // pageKey → *cached
	mu         sync.Mutex
	version    int64
	until      int64
	n, bytes   int
	maxEntries int
	maxBytes   int
}

// pageKey names a response: the content version, the host (links are absolute) and the URL as
// the client sent it. A struct of strings the request already holds: looking it up allocates
// nothing, which matters on the path that serves most requests.
type pageKey struct {
	version   int64
	until     int64 // the site's next transition (Unix seconds): the page is true until then
	https     bool  // links are absolute: a page served over https links with https
	host, uri string
}

type cached struct {
	body, gz []byte
	// Header values, built once and shared by every response (never appended to: len == cap).
	lang, length []string
	gzOnce       sync.Once
	gzLength     []string
}

func newPageCache(maxEntries, maxBytes int) *pageCache {
	c := &pageCache{maxEntries: maxEntries, maxBytes: maxBytes}
	c.entries.Store(new(sync.Map))
	return c
}

// cacheKey is the key of r's response at content version, true until the Unix second until.
func cacheKey(version, until int64, r *http.Request) pageKey {
	uri := r.RequestURI
	if uri == "" { // a request built in-process rather than read from a client
		uri = r.URL.RequestURI()
	}
	return pageKey{version: version, until: until, https: isHTTPS(r), host: r.Host, uri: uri}
}

// serve writes the cached page for key and reports whether there was one.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, key pageKey) bool {
	v, ok := c.entries.Load().Load(key)
	if !ok {
		return false
	}
	e := v.(*cached)
	h := w.Header()
	h["Content-Type"] = htmlType
	h["Content-Language"] = e.lang
	h["Cache-Control"] = noCache
	h["Vary"] = varyEncoding
	e.write(w, r)
	return true
}

// Shared header values of every page.
var (
	htmlType     = []string{"text/html; charset=utf-8"}
	noCache      = []string{"no-cache"}
	varyEncoding = []string{"Accept-Encoding"}
	gzipEncoding = []string{"gzip"}
)

func (c *pageCache) put(key pageKey, body []byte, lang string) *cached {
	e := &cached{body: bytes.Clone(body), lang: []string{lang}, length: []string{strconv.Itoa(len(body))}}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Both move forwards only: the transition after a later instant is later, until the
	// version moves on.
	if key.version < c.version || (key.version == c.version && key.until < c.until) {
		return e // rendered from data older than what the cache holds: serve it, do not keep it
	}
	if key.version != c.version || key.until != c.until || c.n >= c.maxEntries || c.bytes+len(body) > c.maxBytes {
		c.entries.Store(new(sync.Map))
		c.n, c.bytes = 0, 0
		c.version, c.until = key.version, key.until
	}
	if _, loaded := c.entries.Load().LoadOrStore(key, e); !loaded {
		c.n++
		c.bytes += len(body)
	}
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
			e.gzLength = []string{strconv.Itoa(len(e.gz))}
		})
		h["Content-Encoding"] = gzipEncoding
		h["Content-Length"] = e.gzLength
		w.WriteHeader(http.StatusOK)
		w.Write(e.gz)
		return
	}
	h["Content-Length"] = e.length
	w.WriteHeader(http.StatusOK)
	w.Write(e.body)
}
