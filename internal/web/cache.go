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
//
// Only pages asked for by their canonical URL are kept (see renderWith), so the keys are the
// site's own URLs, and the bytes counted against maxBytes are every byte an entry holds: the
// page, its gzipped copy, the key's strings and the entry's fixed overhead.
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
	// ctype is the response's Content-Type: a page's, or a feed's or calendar's.
	ctype []string
	// disposition is the Content-Disposition of a document that names its file (an event's
	// .ics); nil for the others.
	disposition []string
	// Header values, built once and shared by every response (never appended to: len == cap).
	lang, length, etag []string
	gzLength, gzETag   []string
}

// entryOverhead is what an entry holds beyond its bytes and key strings: the cached struct,
// its six header slices with their strings, the key, and sync.Map's node (measured at about
// 400 bytes; rounded up).
const entryOverhead = 512

// size is the number of bytes the cache holds for e under key.
func (e *cached) size(key pageKey) int {
	n := len(e.body) + len(e.gz) + len(key.host) + len(key.uri) + entryOverhead
	for _, d := range e.disposition {
		n += len(d)
	}
	return n
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
	if inm := r.Header["If-None-Match"]; len(inm) > 0 {
		tag := e.etag
		if acceptsGzip(r) {
			tag = e.gzETag
		}
		if etagMatches(inm, tag[0], true) {
			writeNotModified(w, tag)
			return true
		}
	}
	h := w.Header()
	h["Content-Type"] = e.ctype
	if e.disposition != nil {
		h["Content-Disposition"] = e.disposition
	}
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

// newCached prepares the entry of a page: its gzipped copy is made now rather than on the
// first request that accepts gzip, so that the bytes it takes are counted when it is kept.
// disposition is a document's Content-Disposition, nil for a page.
func newCached(key pageKey, body []byte, lang string, ctype, disposition []string) *cached {
	var b bytes.Buffer
	zw := bestGzipPool.Get().(*gzip.Writer)
	zw.Reset(&b)
	zw.Write(body)
	zw.Close()
	bestGzipPool.Put(zw)
	return &cached{
		body: bytes.Clone(body), ctype: ctype, disposition: disposition, lang: []string{lang}, length: []string{strconv.Itoa(len(body))}, etag: []string{key.etag(false)},
		gz: bytes.Clone(b.Bytes()), gzLength: []string{strconv.Itoa(b.Len())}, gzETag: []string{key.etag(true)},
	}
}

// bestGzipPool holds the compressors of cached pages: each holds about a megabyte of state,
// too much to allocate per page.
var bestGzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}}

func (c *pageCache) put(key pageKey, body []byte, lang string, ctype, disposition []string) *cached {
	e := newCached(key, body, lang, ctype, disposition)
	size := e.size(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	// Both move forwards only: the transition after a later instant is later, until the
	// version moves on.
	if key.version < c.version || (key.version == c.version && key.until < c.until) || size > c.maxBytes {
		// Rendered from data older than what the cache holds, or larger than the whole cache:
		// serve it, do not keep it.
		return e
	}
	if key.version != c.version || key.until != c.until || c.n >= c.maxEntries || c.bytes+size > c.maxBytes {
		c.entries.Store(new(sync.Map))
		c.n, c.bytes = 0, 0
		c.version, c.until = key.version, key.until
	}
	if _, loaded := c.entries.Load().LoadOrStore(key, e); !loaded {
		c.n++
		c.bytes += size
	}
	return e
}

// size reports how many pages the cache holds and the bytes it counts for them.
func (c *pageCache) size() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n, c.bytes
}

func (e *cached) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if acceptsGzip(r) {
		h["Content-Encoding"] = gzipEncoding
		h["Content-Length"] = e.gzLength
		h["ETag"] = e.gzETag
		w.WriteHeader(http.StatusOK)
		w.Write(e.gz)
		return
	}
	h["Content-Length"] = e.length
	h["ETag"] = e.etag
	w.WriteHeader(http.StatusOK)
	w.Write(e.body)
}
