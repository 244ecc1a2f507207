package admin

import (
	"context"
	"embed"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/media"
	"github.com/alliance-platform/alliance/internal/store"
)

// The media library, /admin/media/: the list of files, newest first, with their size and who
// uploaded them; the upload form; deleting a file no item refers to. Who may do what is
// alliance.Can's (VerbUpload, VerbDeleteMedia). A file is checked by media.Inspect from its
// bytes and kept by store.Tx.Upload, which makes its smaller copies and audits it.

//go:embed static/media.css
var mediaCSS embed.FS

// mediaPageSize is how many files a page of the library lists.
const mediaPageSize = 50

// uploadSlack is what a multipart body may hold beyond the file itself: the boundaries, the
// parts' headers and the other fields (the CSRF token, the folder).
const uploadSlack = 64 << 10

func (h *Handler) routeMedia() {
	h.mux.HandleFunc("GET /admin/media.css", h.mediaStyle)
	h.mux.HandleFunc("GET /admin/media/{$}", h.serve(h.mediaLibrary, true))
	h.mux.HandleFunc("POST /admin/media/{$}", h.serveUpload(h.mediaLibrary))
	h.mux.HandleFunc("GET /admin/media/delete", h.serve(h.mediaDelete, true))
	h.mux.HandleFunc("POST /admin/media/delete", h.serve(h.mediaDelete, true))
}

func (h *Handler) mediaStyle(w http.ResponseWriter, r *http.Request) {
	css, _ := mediaCSS.ReadFile("static/media.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(css)
}

// uploadBody is the context key under which serveUpload keeps an upload's body.
type uploadBody struct{}

// serveUpload is serve for the upload form, whose body serve must not read: it may be far
// larger than serve's limit on forms, and is read only once the user is known to be signed in
// and allowed to upload, and the form's CSRF token (its first part) is right. The body waits in
// the request's context meanwhile.
func (h *Handler) serveUpload(fn func(*request) error) http.HandlerFunc {
	inner := h.serve(fn, true)
	return func(w http.ResponseWriter, r *http.Request) {
		body := r.Body
		r.Body = http.NoBody
		inner(w, r.WithContext(context.WithValue(r.Context(), uploadBody{}, body)))
	}
}

// mediaRow is one file of the list as the page shows it.
type mediaRow struct {
	Path, Type, Size, Dimensions, Uploaded, By string
	Href                                       string // the file on the site
	Thumb                                      string // the image shown in the list, "" for a document
	ThumbWidth, ThumbHeight                    int
	DeleteHref                                 string // "" when the user may not delete it
}

// mediaPage is the library's page.
type mediaPage struct {
	Rows               []mediaRow
	Range              string
	Page, Last         int
	PrevHref, NextHref string
	Form               *form
	Uploaded           string // the path of the file just uploaded, to copy into an item
	MaxSize            string
}

func mediaPath() string { return prefix + "media/" }

// mediaLibrary shows the library and, posted, takes an upload into it.
func (h *Handler) mediaLibrary(q *request) error {
	if !alliance.Can(q.user, alliance.Do(alliance.VerbUpload), alliance.Owned{}) {
		return h.forbidden(q)
	}
	p := h.page(q, q.l.B("media.title"))
	p.Nav = "media"
	mp := &mediaPage{Form: newForm(nil), Page: 1, MaxSize: q.l.FileSize(media.DefaultLimits.MaxBytes)}
	status := http.StatusOK
	if q.r.Method == http.MethodPost {
		uploaded, st, err := h.upload(q, p, mp.Form)
		if err != nil {
			return err
		}
		if uploaded != "" {
			return h.redirect(q, mediaPath()+"?uploaded="+url.QueryEscape(uploaded))
		}
		status = st
	} else {
		in := q.r.URL.Query()
		if s := in.Get("page"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return h.notFound(q)
			}
			mp.Page = n
		}
		if u := in.Get("uploaded"); u != "" && alliance.ValidMediaPath(u) {
			mp.Uploaded = u
			p.Notice = q.l.B("media.uploaded", "path", u)
		}
		if d := in.Get("deleted"); d != "" && alliance.ValidMediaPath(d) {
			p.Notice = q.l.B("media.deleted", "path", d)
		}
	}
	entries, total, err := h.db.MediaList(q.ctx, (mp.Page-1)*mediaPageSize, mediaPageSize)
	if err != nil {
		return err
	}
	if mp.Page > 1 && len(entries) == 0 {
		return h.notFound(q)
	}
	mp.Last = max(1, (total+mediaPageSize-1)/mediaPageSize)
	if len(entries) > 0 {
		from := (mp.Page-1)*mediaPageSize + 1
		mp.Range = q.l.B("items.range", "from", from, "to", from+len(entries)-1, "total", total)
	}
	if mp.Page > 1 {
		mp.PrevHref = mediaPath()
		if mp.Page > 2 {
			mp.PrevHref += "?page=" + strconv.Itoa(mp.Page-1)
		}
	}
	if mp.Page < mp.Last {
		mp.NextHref = mediaPath() + "?page=" + strconv.Itoa(mp.Page+1)
	}
	loc := h.location()
	for _, e := range entries {
		href := "/media/" + (&url.URL{Path: e.Path}).EscapedPath()
		r := mediaRow{Path: e.Path, Type: e.ContentType, Size: q.l.FileSize(e.Size), Href: href,
			Uploaded: e.Updated.In(loc).Format("2006-01-02 15:04"), By: e.UserName}
		if i := strings.IndexByte(r.Type, ';'); i > 0 {
			r.Type = r.Type[:i]
		}
		if e.Width > 0 && e.Height > 0 {
			r.Dimensions = q.l.B("media.dimensions", "width", e.Width, "height", e.Height)
		}
		if strings.HasPrefix(e.ContentType, "image/") {
			// The list shows the 480-pixel copy where there is one, else the original (an SVG,
			// a small image), in a box of at most 120 × 90.
			r.Thumb = href
			if e.Thumb {
				r.Thumb += "?w=" + strconv.Itoa(store.MediaThumb)
			}
			if e.Width > 0 && e.Height > 0 {
				r.ThumbWidth, r.ThumbHeight = 120, max(1, 120*e.Height/e.Width)
				if r.ThumbHeight > 90 {
					r.ThumbWidth, r.ThumbHeight = max(1, 90*e.Width/e.Height), 90
				}
			}
		}
		if alliance.Can(q.user, alliance.Do(alliance.VerbDeleteMedia), alliance.Owned{Creator: e.UserID}) {
			r.DeleteHref = mediaPath() + "delete?path=" + url.QueryEscape(e.Path)
		}
		mp.Rows = append(mp.Rows, r)
	}
	return h.render(q, status, mediaLibraryPage(p, mp))
}

// upload reads the posted form and keeps its file. It returns the file's path when it was
// kept, else the status of the page that says why (its messages set on p and f).
func (h *Handler) upload(q *request, p *page, f *form) (string, int, error) {
	body, _ := q.ctx.Value(uploadBody{}).(io.ReadCloser)
	if body == nil {
		body = http.NoBody
	}
	lim := media.DefaultLimits
	// The body is read up to the file's limit and a little more: what comes beyond is refused
	// without being read (the server then closes the connection).
	q.r.Body = http.MaxBytesReader(q.w, body, lim.MaxBytes+uploadSlack)
	refuse := func(status int, key string, args ...any) (string, int, error) {
		f.Errors["file"] = q.l.B(key, args...)
		p.Alert = q.l.B("form.errors")
		return "", status, nil
	}
	if err := auth.CheckOrigin(q.r, h.cfg.BaseURL); err != nil {
		p.Alert = q.l.B("form.csrf")
		return "", http.StatusForbidden, nil
	}
	if ct, _, _ := mime.ParseMediaType(q.r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		p.Alert = q.l.B("form.csrf")
		return "", http.StatusBadRequest, nil
	}
	mr, err := q.r.MultipartReader()
	if err != nil {
		p.Alert = q.l.B("form.csrf")
		return "", http.StatusBadRequest, nil
	}
	var (
		name, folder string
		data         []byte
		csrfOK       bool
	)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return refuse(http.StatusRequestEntityTooLarge, "media.too_large", "max", q.l.FileSize(lim.MaxBytes))
		}
		if err != nil {
			p.Alert = q.l.B("form.csrf")
			return "", http.StatusBadRequest, nil
		}
		switch part.FormName() {
		case auth.CSRFField:
			v, _ := io.ReadAll(io.LimitReader(part, 1024))
			csrfOK = auth.SameToken(q.sess.CSRF, string(v))
		case "folder":
			v, _ := io.ReadAll(io.LimitReader(part, 1024))
			folder = string(v)
			f.Values.Set("folder", folder)
		case "file":
			// The token comes first in the form: a file posted without it is never read.
			if !csrfOK {
				p.Alert = q.l.B("form.csrf")
				return "", http.StatusForbidden, nil
			}
			name = part.FileName()
			data, err = io.ReadAll(io.LimitReader(part, lim.MaxBytes+1))
			if errors.As(err, &tooBig) || int64(len(data)) > lim.MaxBytes {
				return refuse(http.StatusRequestEntityTooLarge, "media.too_large", "max", q.l.FileSize(lim.MaxBytes))
			}
			if err != nil {
				return "", 0, err
			}
		}
		part.Close()
	}
	if !csrfOK {
		p.Alert = q.l.B("form.csrf")
		return "", http.StatusForbidden, nil
	}
	if name == "" {
		return refuse(http.StatusUnprocessableEntity, "media.no_file")
	}
	target, ok := uploadPath(folder, name)
	if !ok {
		f.Errors["folder"] = q.l.B("media.bad_folder")
		p.Alert = q.l.B("form.errors")
		return "", http.StatusUnprocessableEntity, nil
	}
	err = h.db.Update(q.ctx, func(tx *store.Tx) error {
		_, _, err := tx.Upload(q.ctx, target, data, lim, alliance.Change{UserID: q.user.ID, UserName: displayName(q.user), Addr: addr(q.r)})
		return err
	})
	var prob *media.Problem
	switch {
	case errors.As(err, &prob):
		args := []any{"name", name, "max", q.l.FileSize(lim.MaxBytes), "megapixels", lim.MaxPixels / 1_000_000}
		return refuse(http.StatusUnprocessableEntity, "media."+prob.Code, args...)
	case errors.Is(err, store.ErrExists):
		return refuse(http.StatusConflict, "media.exists", "path", target)
	case err != nil:
		return "", 0, err
	}
	return target, 0, nil
}

// uploadPath is where an uploaded file named name goes: in folder when one is given, else in
// images/ or files/ by its extension. Each segment is made of lower-case letters, digits, dots,
// hyphens and underscores, so that a path needs no escaping in a URL, a content file or a
// shell. ok is false for a folder that leaves nothing of a segment, or goes up.
func uploadPath(folder, name string) (string, bool) {
	name = cleanSegment(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "" || strings.HasPrefix(name, ".") {
		name = "file" + name
	}
	folder = strings.Trim(strings.TrimSpace(folder), "/")
	if folder == "" {
		folder = "files"
		if strings.HasPrefix(media.TypeByName(name), "image/") {
			folder = "images"
		}
	}
	var segs []string
	for _, s := range strings.Split(folder, "/") {
		c := cleanSegment(s)
		if c == "" || strings.Trim(c, ".") == "" {
			return "", false
		}
		segs = append(segs, c)
	}
	p := strings.Join(append(segs, name), "/")
	return p, alliance.ValidMediaPath(p)
}

// cleanSegment lowers s and replaces what is not a letter a–z, a digit, '.', '-' or '_' by
// hyphens, one for a run.
func cleanSegment(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			b.WriteRune(r)
			hyphen = false
		default:
			if !hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// mediaDelete asks to confirm the deletion of a file (GET) and deletes it (POST), unless an
// item refers to it: then it lists them.
func (h *Handler) mediaDelete(q *request) error {
	target := q.r.URL.Query().Get("path")
	if !alliance.ValidMediaPath(target) {
		return h.notFound(q)
	}
	p := h.page(q, q.l.B("media.delete_title", "path", target))
	p.Nav = "media"
	var users []string
	err := h.db.Update(q.ctx, func(tx *store.Tx) error {
		uploader, err := tx.MediaUploader(q.ctx, target)
		if err != nil {
			return err
		}
		if !alliance.Can(q.user, alliance.Do(alliance.VerbDeleteMedia), alliance.Owned{Creator: uploader}) {
			return errForbidden
		}
		if q.r.Method != http.MethodPost {
			if users, err = tx.MediaReferrers(q.ctx, target); err != nil {
				return err
			}
			return errReadOnly // rolled back: a commit would move the content version on
		}
		if err := h.checkForm(q); err != nil {
			return err
		}
		users, err = tx.RemoveMedia(q.ctx, target, alliance.Change{UserID: q.user.ID, UserName: displayName(q.user), Addr: addr(q.r)})
		if err == nil && len(users) > 0 {
			return errInUse
		}
		return err
	})
	switch {
	case errors.Is(err, errReadOnly):
	case store.IsNotFound(err):
		return h.notFound(q)
	case errors.Is(err, errForbidden):
		return h.forbidden(q)
	case errors.Is(err, auth.ErrCrossSite):
		p.Alert = q.l.B("form.csrf")
		return h.render(q, http.StatusForbidden, mediaDeletePage(p, nil))
	case errors.Is(err, errInUse):
		p.Alert = q.l.B("media.in_use")
		return h.render(q, http.StatusConflict, mediaDeletePage(p, users))
	case err != nil:
		return err
	}
	if q.r.Method == http.MethodPost {
		return h.redirect(q, mediaPath()+"?deleted="+url.QueryEscape(target))
	}
	if len(users) > 0 {
		p.Alert = q.l.B("media.in_use")
	}
	return h.render(q, http.StatusOK, mediaDeletePage(p, users))
}

// errForbidden ends a transaction whose user may not do what they asked; errReadOnly one that
// only read.
var (
	errForbidden = errors.New("forbidden")
	errReadOnly  = errors.New("read only")
)
