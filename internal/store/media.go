package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/media"
)

// MediaChunkSize is the size of the chunks media bytes are stored in (the last one of a file
// may be shorter). A request holds one chunk in memory at a time, whatever the file's size;
// migration 0007 wrote the same number into its SQL.
const MediaChunkSize = 256 << 10

// mediaChunkTimeout bounds the read of one chunk, so that a download whose database went
// silent (not refused: gone, mid-stream) ends with an error instead of waiting forever.
const mediaChunkTimeout = 30 * time.Second

// Media returns a media file's metadata — type, size, sha256, last change, image size — without
// its bytes: read those with MediaReader.
func (db *DB) Media(ctx context.Context, path string) (*alliance.Media, error) {
	m := &alliance.Media{Path: path}
	var updated string
	err := db.queryRow(ctx, `SELECT content_type, size, sha256, width, height, updated FROM media WHERE path = $1`, path).
		Scan(&m.ContentType, &m.Size, &m.SHA256, &m.Width, &m.Height, &updated)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("media %s: %w", path, alliance.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("media %s: %w", path, err)
	}
	m.Updated, _ = time.Parse(timeLayout, updated)
	return m, nil
}

// MediaInfo returns the metadata of the given media files (without data), by path.
func (db *DB) MediaInfo(ctx context.Context, paths []string) (map[string]*alliance.Media, error) {
	out := map[string]*alliance.Media{}
	if len(paths) == 0 {
		return out, nil
	}
	in, args := placeholders(nil, paths)
	rows, err := db.query(ctx, "SELECT path, content_type, size, sha256, width, height FROM media WHERE path IN ("+in+")", args...)
	if err != nil {
		return nil, fmt.Errorf("media info: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m := &alliance.Media{}
		if err := rows.Scan(&m.Path, &m.ContentType, &m.Size, &m.SHA256, &m.Width, &m.Height); err != nil {
			return nil, fmt.Errorf("media info: %w", err)
		}
		out[m.Path] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("media info: %w", err)
	}
	return out, nil
}

// MediaPaths returns the paths of every media file, sorted.
func (db *DB) MediaPaths(ctx context.Context) ([]string, error) {
	rows, err := db.query(ctx, `SELECT path FROM media ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("list media: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("list media: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list media: %w", err)
	}
	sort.Strings(out)
	return out, nil
}

// MediaReader reads the bytes of the media file m (as returned by Media) one chunk at a time,
// each chunk in a query of its own: a slow download holds 256 KiB and no connection between
// reads. It is an io.ReadSeeker for http.ServeContent, and it fails rather than mixing two
// versions when the file is replaced while it is read.
type MediaReader struct {
	db    *DB
	ctx   context.Context
	m     *alliance.Media
	off   int64
	n     int64 // the number of the chunk held in chunk
	chunk []byte
}

// MediaReader returns a reader of m's bytes. Reads run under ctx.
func (db *DB) MediaReader(ctx context.Context, m *alliance.Media) *MediaReader {
	return &MediaReader{db: db, ctx: ctx, m: m, n: -1}
}

// Read reads from the chunk holding the current offset, loading it when needed.
func (r *MediaReader) Read(p []byte) (int, error) {
	if r.off >= r.m.Size {
		return 0, io.EOF
	}
	n := r.off / MediaChunkSize
	if n != r.n {
		if err := r.load(n); err != nil {
			return 0, err
		}
	}
	k := copy(p, r.chunk[r.off-n*MediaChunkSize:])
	r.off += int64(k)
	return k, nil
}

func (r *MediaReader) load(n int64) error {
	ctx, cancel := context.WithTimeout(r.ctx, mediaChunkTimeout)
	defer cancel()
	r.n = -1
	found, err := r.db.readChunk(ctx, r.m, n, &r.chunk)
	if err != nil {
		return fmt.Errorf("media %s: chunk %d: %w", r.m.Path, n, err)
	}
	if !found {
		return fmt.Errorf("media %s: chunk %d: the file changed or is gone", r.m.Path, n)
	}
	if want := min(MediaChunkSize, r.m.Size-n*MediaChunkSize); int64(len(r.chunk)) != want {
		return fmt.Errorf("media %s: chunk %d holds %d bytes, want %d", r.m.Path, n, len(r.chunk), want)
	}
	r.n = n
	return nil
}

// readChunk reads chunk n of m into buf, reusing its memory: the drivers' Scan into a []byte
// allocates a new one for every chunk, which 50 downloads turned into 25 MB of garbage a second.
// found is false when the chunk is not there or m was replaced.
func (db *DB) readChunk(ctx context.Context, m *alliance.Media, n int64, buf *[]byte) (found bool, err error) {
	const q = `SELECT c.data FROM media_chunks c JOIN media m ON m.path = c.path WHERE c.path = $1 AND c.n = $2 AND m.sha256 = $3`
	*buf = (*buf)[:0]
	if db.pg != nil {
		rows, err := db.pg.Query(ctx, q, m.Path, n, m.SHA256)
		if err != nil {
			return false, markUnavailable(err)
		}
		defer rows.Close()
		if rows.Next() {
			// A bytea in pgx's binary format is the bytes themselves.
			*buf, found = append(*buf, rows.RawValues()[0]...), true
		}
		rows.Close()
		return found, markUnavailable(rows.Err())
	}
	rows, err := db.query(ctx, q, m.Path, n, m.SHA256)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if rows.Next() {
		var raw sql.RawBytes
		if err := rows.Scan(&raw); err != nil {
			return false, err
		}
		*buf, found = append(*buf, raw...), true
	}
	return found, rows.Err()
}

// Seek moves the offset; nothing is read until the next Read.
func (r *MediaReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.m.Size
	default:
		return 0, errors.New("media: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("media: negative position")
	}
	r.off = offset
	return offset, nil
}

// SaveMedia inserts or replaces a media file whose bytes are in m.Data, and records an image's
// width and height when m does not say them.
func (tx *Tx) SaveMedia(ctx context.Context, m *alliance.Media) error {
	if m.Width == 0 && m.Height == 0 {
		m.Width, m.Height = ImageSize(m.ContentType, m.Data)
	}
	return tx.SaveMediaFrom(ctx, m, bytes.NewReader(m.Data))
}

// SaveMediaFrom inserts or replaces the media file m (its metadata: m.Data is not read) with the
// m.Size bytes of r, written a chunk at a time. A file whose sha256 is already stored under its
// path is left as it is (its last change too), without reading r.
func (tx *Tx) SaveMediaFrom(ctx context.Context, m *alliance.Media, r io.Reader) error {
	var path string
	err := tx.tx.QueryRowContext(ctx, `
		INSERT INTO media (path, content_type, size, sha256, width, height, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (path) DO UPDATE SET
			content_type = excluded.content_type, size = excluded.size, sha256 = excluded.sha256,
			width = excluded.width, height = excluded.height, updated = excluded.updated
		WHERE media.sha256 <> excluded.sha256
		RETURNING path`,
		m.Path, m.ContentType, m.Size, m.SHA256, m.Width, m.Height, formatTime(tx.now)).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the same bytes are stored already
	}
	if err != nil {
		return fmt.Errorf("save media %s: %w", m.Path, markUnavailable(err))
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM media_chunks WHERE path = $1`, m.Path); err != nil {
		return fmt.Errorf("save media %s: %w", m.Path, markUnavailable(err))
	}
	buf := make([]byte, min(MediaChunkSize, max(m.Size, 1)))
	var written int64
	for n := 0; ; n++ {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			if _, err := tx.tx.ExecContext(ctx, `INSERT INTO media_chunks (path, n, data) VALUES ($1, $2, $3)`, m.Path, n, buf[:k]); err != nil {
				return fmt.Errorf("save media %s: chunk %d: %w", m.Path, n, markUnavailable(err))
			}
			written += int64(k)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return fmt.Errorf("save media %s: %w", m.Path, err)
		}
		if written > m.Size {
			break
		}
	}
	if written != m.Size {
		return fmt.Errorf("save media %s: %d bytes given, %d said", m.Path, written, m.Size)
	}
	return nil
}

// fillMediaSizes records the width and height of stored images that have none: the files a
// database held before migration 0007 added the columns. An image's size is in its first bytes,
// so the first chunks are enough.
func fillMediaSizes(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT path, content_type FROM media WHERE width = 0 AND content_type LIKE 'image/%' ORDER BY path`)
	if err != nil {
		return fmt.Errorf("image sizes: %w", err)
	}
	var paths, types []string
	for rows.Next() {
		var p, t string
		if err := rows.Scan(&p, &t); err != nil {
			rows.Close()
			return fmt.Errorf("image sizes: %w", err)
		}
		paths, types = append(paths, p), append(types, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("image sizes: %w", err)
	}
	for i, p := range paths {
		var head []byte
		chunks, err := tx.QueryContext(ctx, `SELECT data FROM media_chunks WHERE path = $1 AND n < 4 ORDER BY n`, p)
		if err != nil {
			return fmt.Errorf("image sizes: %s: %w", p, err)
		}
		for chunks.Next() {
			var b []byte
			if err := chunks.Scan(&b); err != nil {
				chunks.Close()
				return fmt.Errorf("image sizes: %s: %w", p, err)
			}
			head = append(head, b...)
		}
		chunks.Close()
		if err := chunks.Err(); err != nil {
			return fmt.Errorf("image sizes: %s: %w", p, err)
		}
		w, h := ImageSize(types[i], head)
		if w == 0 || h == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE media SET width = $1, height = $2 WHERE path = $3`, w, h, p); err != nil {
			return fmt.Errorf("image sizes: %s: %w", p, err)
		}
	}
	return nil
}

// The audit actions of the media library, written in the transaction of the change.
const (
	AuditMediaUploaded = "media-uploaded"
	AuditMediaDeleted  = "media-deleted"
)

// MediaEntry is a file of the media library as the back office lists it: its metadata, who
// put it there (UserID 0 for an import or a copy), and whether it has a smaller copy at Thumb
// pixels to show it by.
type MediaEntry struct {
	alliance.Media
	UserID   int64
	UserName string
	Thumb    bool
}

// MediaThumb is the width of the copy the back office's list shows an image by.
const MediaThumb = 480

// MediaList returns a page of the media library, the latest change first, and how many files
// it holds: limit files from offset, read in the order of the index media_updated.
func (db *DB) MediaList(ctx context.Context, offset, limit int) ([]MediaEntry, int, error) {
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM media`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("media list: %w", err)
	}
	rows, err := db.query(ctx, `SELECT m.path, m.content_type, m.size, m.sha256, m.width, m.height, m.updated, m.user_id, m.user_name,
			EXISTS (SELECT 1 FROM media_variants v WHERE v.path = m.path AND v.width = $1)
		FROM media m ORDER BY m.updated DESC, m.path DESC LIMIT $2 OFFSET $3`, MediaThumb, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("media list: %w", err)
	}
	defer rows.Close()
	var out []MediaEntry
	for rows.Next() {
		var e MediaEntry
		var updated string
		if err := rows.Scan(&e.Path, &e.ContentType, &e.Size, &e.SHA256, &e.Width, &e.Height, &updated, &e.UserID, &e.UserName, &e.Thumb); err != nil {
			return nil, 0, fmt.Errorf("media list: %w", err)
		}
		e.Updated, _ = time.Parse(timeLayout, updated)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("media list: %w", err)
	}
	return out, total, nil
}

// MediaUploader returns the id of the user who put the file at path into the library: 0 for
// an imported or copied file. alliance.ErrNotFound when there is no such file.
func (tx *Tx) MediaUploader(ctx context.Context, path string) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, `SELECT user_id FROM media WHERE path = $1`, path).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("media %s: %w", path, alliance.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("media %s: %w", path, markUnavailable(err))
	}
	return id, nil
}

// Upload puts an editor's file into the library at path, as PutMedia does (checked by
// media.Inspect against lim, a *media.Problem when refused; its copies made), records who
// uploaded it and audits it: c names the user and their address. A file already stored under
// path is refused with ErrExists unless its bytes are the same (then stored reports false and
// nothing changes): replacing a file would change every page that shows it, unasked.
func (tx *Tx) Upload(ctx context.Context, path string, data []byte, lim media.Limits, c alliance.Change) (m *alliance.Media, stored bool, err error) {
	var sum string
	err = tx.tx.QueryRowContext(ctx, `SELECT sha256 FROM media WHERE path = $1`, path).Scan(&sum)
	switch {
	case err == nil:
		s := sha256.Sum256(data)
		if sum != hex.EncodeToString(s[:]) {
			return nil, false, fmt.Errorf("upload %s: %w", path, ErrExists)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return nil, false, fmt.Errorf("upload %s: %w", path, markUnavailable(err))
	}
	if m, err = tx.PutMedia(ctx, path, data, lim); err != nil {
		return nil, false, err
	}
	if sum != "" {
		return m, false, nil
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE media SET user_id = $1, user_name = $2 WHERE path = $3`, c.UserID, c.UserName, path); err != nil {
		return nil, false, fmt.Errorf("upload %s: %w", path, markUnavailable(err))
	}
	detail := m.ContentType + ", " + strconv.FormatInt(m.Size, 10) + " bytes"
	if m.Width > 0 && m.Height > 0 {
		detail += ", " + strconv.Itoa(m.Width) + "×" + strconv.Itoa(m.Height)
	}
	return m, true, tx.auditMedia(ctx, AuditMediaUploaded, path, detail, c)
}

// RemoveMedia deletes the file at path from the library, with its copies, and audits it,
// unless items refer to it: then it returns their "kind/key"s and deletes nothing, rather than
// leave pages showing a missing image. alliance.ErrNotFound when there is no such file.
func (tx *Tx) RemoveMedia(ctx context.Context, path string, c alliance.Change) (users []string, err error) {
	if users, err = tx.MediaReferrers(ctx, path); err != nil || len(users) > 0 {
		return users, err
	}
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM media WHERE path = $1`, path)
	if err != nil {
		return nil, fmt.Errorf("delete media %s: %w", path, markUnavailable(err))
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return nil, fmt.Errorf("delete media %s: %w", path, alliance.ErrNotFound)
	}
	return nil, tx.auditMedia(ctx, AuditMediaDeleted, path, "", c)
}

// MediaReferrers returns the items ("kind/key", sorted) whose fields name the media file at
// path. The stored JSON is searched for the path as a JSON string first, then each match is
// decoded and asked for its media (alliance.MediaRefs), so a path that is only part of another
// one, or a word of a text, does not count.
func (tx *Tx) MediaReferrers(ctx context.Context, path string) ([]string, error) {
	quoted, _ := json.Marshal(path)
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(string(quoted)) + "%"
	rows, err := tx.tx.QueryContext(ctx, `SELECT kind, key, shared FROM items WHERE shared LIKE $1 ESCAPE '\' ORDER BY kind, key`, pattern)
	if err != nil {
		return nil, fmt.Errorf("referrers of media %s: %w", path, markUnavailable(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, key, shared string
		if err := rows.Scan(&kind, &key, &shared); err != nil {
			return nil, fmt.Errorf("referrers of media %s: %w", path, markUnavailable(err))
		}
		ki, ok := alliance.InfoOf(alliance.Kind(kind))
		if !ok {
			continue
		}
		s := ki.NewShared()
		if json.Unmarshal([]byte(shared), s) != nil {
			continue
		}
		for _, r := range alliance.MediaRefs(s) {
			if r.Key == path {
				out = append(out, kind+"/"+key)
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("referrers of media %s: %w", path, markUnavailable(err))
	}
	return out, nil
}

// auditMedia writes the audit line of a change of the library, naming the user by their
// address as the item changes' lines do.
func (tx *Tx) auditMedia(ctx context.Context, action, path, detail string, c alliance.Change) error {
	actor := c.UserName
	if c.UserID != 0 {
		var email string
		err := tx.tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, c.UserID).Scan(&email)
		switch {
		case err == nil:
			actor = email
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("audit %s: %w", action, markUnavailable(err))
		}
	}
	return tx.Audit(ctx, AuditEntry{ActorID: c.UserID, Actor: actor, Action: action, Subject: path, Detail: detail, Addr: c.Addr})
}

// VariantInfo returns the size in bytes and the type of the copy of the image at path that is
// width pixels wide, without its bytes (read those with Variant): found is false when there is
// none.
func (db *DB) VariantInfo(ctx context.Context, path string, width int) (size int64, contentType string, found bool, err error) {
	err = db.queryRow(ctx, `SELECT length(data), content_type FROM media_variants WHERE path = $1 AND width = $2`, path, width).Scan(&size, &contentType)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("media %s at %d pixels: %w", path, width, err)
	}
	return size, contentType, true, nil
}

// Variant returns the bytes of the copy of the image at path that is width pixels wide;
// alliance.ErrNotFound when there is none.
func (db *DB) Variant(ctx context.Context, path string, width int) ([]byte, error) {
	var data []byte
	err := db.queryRow(ctx, `SELECT data FROM media_variants WHERE path = $1 AND width = $2`, path, width).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("media %s at %d pixels: %w", path, width, alliance.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("media %s at %d pixels: %w", path, width, err)
	}
	return data, nil
}
