package admin

import (
	"embed"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/markdown"
	"github.com/alliance-platform/alliance/internal/store"
)

// Editing items: the list of a kind, the form of an item (new or stored), side-by-side
// translation, publishing and scheduling, deleting. Every change goes through store.Tx.Save
// (or DeleteItem) in one transaction with its audit line, and is allowed by alliance.Can alone.

//go:embed static/items.css
var itemsCSS embed.FS

// itemForms is the largest item form accepted: eight languages of long Markdown bodies.
const itemForms = 4 << 20

// routeItems adds the routes of item editing to h.
func (h *Handler) routeItems() {
	h.md = markdown.New()
	h.mux.HandleFunc("GET /admin/items.css", h.itemsStyle)
	h.mux.HandleFunc("GET /admin/items/{kind}/{$}", h.serve(h.itemList, true))
	h.mux.HandleFunc("GET /admin/items/{kind}/new", h.serveForm(h.itemNew))
	h.mux.HandleFunc("POST /admin/items/{kind}/new", h.serveForm(h.itemNew))
	h.mux.HandleFunc("GET /admin/items/{kind}/{key}/{$}", h.serveForm(h.itemEdit))
	h.mux.HandleFunc("POST /admin/items/{kind}/{key}/{$}", h.serveForm(h.itemEdit))
	h.mux.HandleFunc("GET /admin/items/{kind}/{key}/translate/{lang}", h.serveForm(h.itemTranslate))
	h.mux.HandleFunc("POST /admin/items/{kind}/{key}/translate/{lang}", h.serveForm(h.itemTranslate))
	h.mux.HandleFunc("GET /admin/items/{kind}/{key}/delete", h.serveForm(h.itemDelete))
	h.mux.HandleFunc("POST /admin/items/{kind}/{key}/delete", h.serveForm(h.itemDelete))
}

func (h *Handler) itemsStyle(w http.ResponseWriter, r *http.Request) {
	css, _ := itemsCSS.ReadFile("static/items.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(css)
}

// serveForm is serve for the item forms, whose bodies may be larger than the other forms'.
func (h *Handler) serveForm(fn func(*request) error) http.HandlerFunc {
	inner := h.serve(fn, true)
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, itemForms)
			if err := r.ParseForm(); err != nil {
				r.PostForm = url.Values{} // the CSRF check refuses it, with a page saying so
			}
		}
		inner(w, r)
	}
}

// kindOf returns the kind named in the request's path.
func kindOf(q *request) (*kindDesc, bool) {
	k := alliance.Kind(q.r.PathValue("kind"))
	if _, ok := alliance.InfoOf(k); !ok {
		return nil, false
	}
	return describe(k), true
}

// mayTouch reports whether u may do anything to some items of kind k: the back office lists
// the kind for them. Asked of Can, for an item as much theirs as an item can be.
func mayTouch(u *alliance.User, k alliance.Kind) bool {
	own := alliance.Owned{Kind: k, Members: []string{u.Member}, Creator: u.ID}
	if alliance.Can(u, alliance.Do(alliance.VerbEdit), own) {
		return true
	}
	for _, l := range u.Languages {
		if alliance.Can(u, alliance.Translate(l), own) {
			return true
		}
	}
	return false
}

// kindLink is a kind the home page links to.
type kindLink struct{ Label, Href string }

// kindLinks lists the kinds u may touch.
func kindLinks(l *locale.Locale, u *alliance.User) []kindLink {
	var out []kindLink
	for _, ki := range alliance.Kinds {
		if u != nil && mayTouch(u, ki.Kind) {
			out = append(out, kindLink{Label: l.B("kind." + string(ki.Kind)), Href: itemsPath(ki.Kind)})
		}
	}
	return out
}

func itemsPath(k alliance.Kind) string { return prefix + "items/" + string(k) + "/" }
func itemPath(k alliance.Kind, key string) string {
	return itemsPath(k) + url.PathEscape(key) + "/"
}

// --- the list ---

// listRow is one row of the list as the page shows it.
type listRow struct {
	Key, Title, TitleLang, Href, Status, Members, Langs, Updated, By string
	Translate                                                        []kindLink
}

// listPage is the list of a kind with its filters.
type listPage struct {
	Kind       alliance.Kind
	Rows       []listRow
	Total      int
	Page, Last int
	Filters    url.Values
	Statuses   []option
	Members    []option
	Languages  []option
	PrevHref   string
	NextHref   string
	NewHref    string
	Range      string
}

const listLimit = 50

func (h *Handler) itemList(q *request) error {
	d, ok := kindOf(q)
	if !ok {
		return h.notFound(q)
	}
	k := d.Info.Kind
	if !mayTouch(q.user, k) {
		return h.forbidden(q)
	}
	in := q.r.URL.Query()
	eq := store.EditQuery{Kind: k, Lang: q.l.Lang, Status: in.Get("status"), Member: in.Get("member"),
		Missing: in.Get("missing"), Words: strings.Fields(in.Get("q")), Limit: listLimit}
	if !slices.Contains(store.Statuses, eq.Status) && eq.Status != "" {
		return h.notFound(q)
	}
	if eq.Missing != "" && !q.site.HasLanguage(eq.Missing) {
		return h.notFound(q)
	}
	if _, set := in["member"]; !set && q.user.Role == alliance.RoleMemberEditor {
		// A member editor starts from their university's items.
		eq.Member = q.user.Member
		in.Set("member", eq.Member)
	}
	page := 1
	if s := in.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return h.notFound(q)
		}
		page = n
	}
	eq.Offset = (page - 1) * listLimit
	rows, total, err := h.db.EditList(q.ctx, eq)
	if err != nil {
		return err
	}
	if page > 1 && len(rows) == 0 {
		return h.notFound(q)
	}
	names, err := h.memberNames(q)
	if err != nil {
		return err
	}
	loc := h.location()
	lp := &listPage{Kind: k, Total: total, Page: page, Last: (total + listLimit - 1) / listLimit, Filters: in}
	for _, r := range rows {
		lr := listRow{Key: r.Key, Title: r.Title, Href: itemPath(k, r.Key), Status: q.l.B("status." + r.Status),
			Langs: strings.Join(r.Langs, ", "), Updated: r.Updated.In(loc).Format("2006-01-02 15:04"), By: r.UpdatedBy}
		if r.TitleLang != q.l.Lang {
			lr.TitleLang = r.TitleLang
		}
		if lr.Title == "" {
			lr.Title = r.Key
		}
		var ms []string
		for _, m := range r.Members {
			ms = append(ms, nameOf(names, m))
		}
		lr.Members = strings.Join(ms, ", ")
		if r.Status == store.StatusScheduled {
			lr.Status += " (" + r.PublishAt.In(loc).Format("2006-01-02 15:04") + ")"
		}
		if q.user.Role == alliance.RoleTranslator {
			lr.Href = ""
			for _, l := range q.user.Languages {
				if l != r.SourceLang && q.site.HasLanguage(l) {
					lr.Translate = append(lr.Translate, kindLink{Label: q.l.B("items.translate_into", "lang", locale.Autonym(l)), Href: itemPath(k, r.Key) + "translate/" + l})
				}
			}
		}
		lp.Rows = append(lp.Rows, lr)
	}
	lp.Statuses = []option{{Value: "", Label: q.l.B("items.any")}}
	for _, s := range store.Statuses {
		lp.Statuses = append(lp.Statuses, option{Value: s, Label: q.l.B("status." + s)})
	}
	lp.Members = []option{{Value: "", Label: q.l.B("items.any")}}
	for _, m := range names {
		lp.Members = append(lp.Members, option{Value: m.Key, Label: m.Name})
	}
	lp.Languages = []option{{Value: "", Label: q.l.B("items.none")}}
	for _, code := range q.site.Languages {
		lp.Languages = append(lp.Languages, option{Value: code, Label: locale.Autonym(code), Lang: code})
	}
	pageHref := func(n int) string {
		v := url.Values{}
		for _, name := range []string{"q", "status", "member", "missing"} {
			if s := in.Get(name); s != "" || (name == "member" && q.user.Role == alliance.RoleMemberEditor) {
				v.Set(name, s)
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return itemsPath(k)
		}
		return itemsPath(k) + "?" + v.Encode()
	}
	if page > 1 {
		lp.PrevHref = pageHref(page - 1)
	}
	if page < lp.Last {
		lp.NextHref = pageHref(page + 1)
	}
	if total > 0 {
		lp.Range = q.l.B("items.range", "from", eq.Offset+1, "to", eq.Offset+len(rows), "total", total)
	}
	if alliance.Can(q.user, alliance.Do(alliance.VerbCreate), alliance.Owned{Kind: k, Members: []string{q.user.Member}, Creator: q.user.ID}) {
		lp.NewHref = itemsPath(k) + "new"
	}
	p := h.page(q, q.l.B("items.title", "kind", q.l.B("kind."+string(k))))
	p.Nav = "items"
	return h.render(q, http.StatusOK, itemListPage(p, lp))
}

func (h *Handler) memberNames(q *request) ([]store.MemberName, error) {
	return h.db.MemberNames(q.ctx, q.l.Lang)
}

func nameOf(names []store.MemberName, key string) string {
	for _, m := range names {
		if m.Key == key {
			return m.Name
		}
	}
	return key
}

// location is the site's zone; the program checked it at start.
func (h *Handler) location() *time.Location {
	loc, err := h.cfg.Location()
	if err != nil {
		return time.UTC
	}
	return loc
}

// --- the form ---

// itemForm is what the form page shows.
type itemForm struct {
	Kind     alliance.Kind
	New      bool
	Action   string
	Values   url.Values
	Errors   map[string]string
	Summary  []errorLink
	Shared   []widget
	Texts    []textBlock
	Langs    []option // the site's languages, for the source language
	Status   string
	CanPub   bool
	Stored   bool
	Conflict *conflictView
	Delete   string
	Zone     string
	Key      string
	// PreviewURL previews the item as it stands at its public URL; "" for a new item or a
	// kind without pages of its own.
	PreviewURL string
	// MediaPaths are the library's images the image fields offer; nil when none has one.
	MediaPaths []string
}

// textBlock is the fields of one text.
type textBlock struct {
	Lang, Name string
	Fields     []widget
	Preview    templ.Component
	Translate  string
}

// errorLink is one line of the error summary.
type errorLink struct{ Href, Label, Message string }

// conflictView is the stored version beside the editor's, field by field.
type conflictView struct {
	By, At string
	Rows   []alliance.Difference
}

func (h *Handler) itemNew(q *request) error {
	d, ok := kindOf(q)
	if !ok {
		return h.notFound(q)
	}
	k := d.Info.Kind
	if !alliance.Can(q.user, alliance.Do(alliance.VerbCreate), alliance.Owned{Kind: k, Members: []string{q.user.Member}, Creator: q.user.ID}) {
		return h.forbidden(q)
	}
	if q.r.Method == http.MethodGet {
		lang := q.l.Lang
		if !q.site.HasLanguage(lang) {
			lang = q.site.DefaultLanguage()
		}
		it := &alliance.Item{Kind: k, SourceLang: lang, Data: d.Info.NewShared(), Texts: []alliance.Text{{Lang: lang, Data: d.Info.NewText()}}}
		if q.user.Role == alliance.RoleMemberEditor {
			preset(it.Data, q.user.Member)
		}
		return h.showForm(q, d, nil, itemValues(d, it, h.location()), map[string]string{}, http.StatusOK, "")
	}
	return h.saveForm(q, d, nil)
}

// preset fills a new item's member field with a member editor's university, so that what they
// create is theirs.
func preset(s alliance.Shared, member string) {
	switch v := s.(type) {
	case *alliance.Event:
		v.Host = member
	case *alliance.Learning:
		v.Coordinator = member
	}
}

func (h *Handler) itemEdit(q *request) error {
	d, ok := kindOf(q)
	if !ok {
		return h.notFound(q)
	}
	k, key := d.Info.Kind, q.r.PathValue("key")
	stored, err := h.db.Edit(q.ctx, k, key)
	if store.IsNotFound(err) {
		return h.notFound(q)
	}
	if err != nil {
		return err
	}
	own, err := auth.Owned(q.ctx, h.db, k, key)
	if err != nil {
		return err
	}
	if !alliance.Can(q.user, alliance.Do(alliance.VerbEdit), own) {
		return h.forbidden(q)
	}
	if q.r.Method == http.MethodGet {
		notice := ""
		if done := q.r.URL.Query().Get("done"); done != "" {
			notice = q.l.B("items.done." + done)
		}
		return h.showForm(q, d, stored, itemValues(d, stored, h.location()), map[string]string{}, http.StatusOK, notice)
	}
	return h.saveForm(q, d, stored)
}

// saveForm reads a posted form and saves it (stored is nil for a new item).
func (h *Handler) saveForm(q *request, d *kindDesc, stored *alliance.Item) error {
	k := d.Info.Kind
	v := q.r.PostForm
	errs := map[string]string{}
	if err := h.checkForm(q); err != nil {
		return h.showForm(q, d, stored, v, errs, http.StatusForbidden, "", q.l.B("form.csrf"))
	}
	do := v.Get(fDo)
	number := func() string { return q.l.B("err.number") }
	it := &alliance.Item{Kind: k, Key: strings.TrimSpace(v.Get(fKey)), SourceLang: v.Get(fSource)}
	if stored != nil {
		it.Key = stored.Key
	}
	it.Data = decodeShared(d, v, errs, number)
	for _, lang := range q.site.Languages {
		if !slices.Contains(v[fLangs], lang) {
			continue
		}
		t, filled := decodeText(d, v, lang, errs, number)
		if filled || lang == it.SourceLang {
			it.Texts = append(it.Texts, t)
		}
	}
	loc := h.location()
	pub, err := parseLocal(v.Get(fPublishAt), loc)
	if err != nil {
		errs[fPublishAt] = q.l.B("err.datetime")
	}
	unpub, err := parseLocal(v.Get(fUnpublishAt), loc)
	if err != nil {
		errs[fUnpublishAt] = q.l.B("err.datetime")
	}
	now := h.cfg.Clock().UTC().Truncate(time.Second)
	if stored != nil {
		it.Draft, it.PublishAt, it.UnpublishAt = stored.Draft, stored.PublishAt, stored.UnpublishAt
	} else {
		it.Draft = true
	}
	switch do {
	case "preview":
		return h.showForm(q, d, stored, v, errs, http.StatusOK, "")
	case "draft":
		it.Draft = true
	case "publish":
		it.Draft, it.PublishAt, it.UnpublishAt = false, time.Time{}, unpub
		if !unpub.After(now) {
			it.UnpublishAt = time.Time{}
		}
	case "schedule":
		it.Draft, it.PublishAt, it.UnpublishAt = false, pub, unpub
		if pub.IsZero() && unpub.IsZero() {
			errs[fPublishAt] = q.l.B("err.schedule")
		}
	case "unpublish":
		it.Draft, it.UnpublishAt = false, now
		if it.PublishAt.After(now) {
			it.PublishAt = time.Time{}
		}
	}
	if stored == nil {
		it.Draft = it.Draft || do == "save"
	}
	if len(errs) > 0 {
		return h.showForm(q, d, stored, v, errs, http.StatusUnprocessableEntity, "", q.l.B("form.errors"))
	}
	// Who may: the item as it is and as it will be must both be theirs.
	var creator int64
	if stored == nil {
		creator = q.user.ID
	}
	after, err := auth.OwnedShared(q.ctx, h.db, k, it.Data, creator)
	if err != nil {
		return err
	}
	if stored != nil {
		before, err := auth.Owned(q.ctx, h.db, k, stored.Key)
		if err != nil {
			return err
		}
		if k != alliance.KindSession { // a session's owners are its event's
			after.Creator = before.Creator
		}
		if !alliance.Can(q.user, alliance.Do(alliance.VerbEdit), before) || !alliance.Can(q.user, alliance.Do(alliance.VerbEdit), after) {
			return h.forbidden(q)
		}
	} else if !alliance.Can(q.user, alliance.Do(alliance.VerbCreate), after) {
		return h.showForm(q, d, stored, v, map[string]string{"": q.l.B("err.not_yours")}, http.StatusForbidden, "", q.l.B("err.not_yours"))
	}
	publishing := stored == nil && !it.Draft || stored != nil && (stored.Draft != it.Draft || !stored.PublishAt.Equal(it.PublishAt) || !stored.UnpublishAt.Equal(it.UnpublishAt))
	if publishing && !alliance.Can(q.user, alliance.Do(alliance.VerbPublish), after) {
		return h.forbidden(q)
	}
	base, _ := strconv.Atoi(v.Get(fBase))
	action := store.AuditItemSaved
	switch {
	case stored == nil:
		action = store.AuditItemCreated
	case do == "publish":
		action = store.AuditItemPublished
	case do == "unpublish":
		action = store.AuditItemUnpublished
	case do == "schedule":
		action = store.AuditItemScheduled
	}
	err = h.db.Update(q.ctx, func(tx *store.Tx) error {
		rev, err := tx.Save(q.ctx, it, alliance.Change{UserID: q.user.ID, UserName: displayName(q.user), Base: base})
		if err != nil {
			return err
		}
		if stored == nil {
			if err := tx.SetCreator(q.ctx, rev.ItemID, q.user.ID); err != nil {
				return err
			}
		}
		return tx.Audit(q.ctx, store.AuditEntry{ActorID: q.user.ID, Actor: q.user.Email, Action: action,
			Subject: string(k) + "/" + it.Key, Detail: "revision " + strconv.Itoa(rev.Number), Addr: addr(q.r)})
	})
	if done, err := h.refused(q, d, stored, v, err); done || err != nil {
		return err
	}
	return h.redirect(q, itemPath(k, it.Key)+"?done="+doneOf(do, stored == nil))
}

func doneOf(do string, created bool) string {
	switch {
	case created:
		return "created"
	case do == "publish", do == "unpublish", do == "schedule", do == "draft":
		return do
	}
	return "saved"
}

// refused shows the form again when a save was refused for its content or a conflict; done
// reports that it answered.
func (h *Handler) refused(q *request, d *kindDesc, stored *alliance.Item, v url.Values, err error) (bool, error) {
	var verr *alliance.ValidationError
	var cerr *alliance.ConflictError
	switch {
	case err == nil:
		return false, nil
	case errors.As(err, &verr):
		errs := map[string]string{}
		for _, fe := range verr.Errors {
			if errs[fe.Field] == "" {
				errs[fe.Field] = message(q.l, fe)
			}
		}
		return true, h.showForm(q, d, stored, v, errs, http.StatusUnprocessableEntity, "", q.l.B("form.errors"))
	case errors.As(err, &cerr):
		cv := &conflictView{}
		if cerr.Current != nil {
			if rev, err := h.db.Revision(q.ctx, cerr.Kind, cerr.Key, cerr.Revision); err == nil {
				cv.By, cv.At = rev.UserName, rev.Created.In(h.location()).Format("2006-01-02 15:04")
			}
			mine, _ := h.formSnapshot(q, d, v, cerr.Current)
			cv.Rows = alliance.Diff(mine, cerr.Current.Snapshot())
			// The next save starts from the stored revision: the editor has seen it.
			v.Set(fBase, strconv.Itoa(cerr.Revision))
		}
		return true, h.showConflict(q, d, stored, v, cv)
	}
	return false, err
}

// formSnapshot is what the posted form would save, as a snapshot, for comparing with the
// stored version.
func (h *Handler) formSnapshot(q *request, d *kindDesc, v url.Values, stored *alliance.Item) (*alliance.Snapshot, error) {
	errs := map[string]string{}
	number := func() string { return "" }
	it := &alliance.Item{Kind: d.Info.Kind, Key: stored.Key, SourceLang: v.Get(fSource), Draft: stored.Draft, PublishAt: stored.PublishAt, UnpublishAt: stored.UnpublishAt}
	it.Data = decodeShared(d, v, errs, number)
	if b, err := json.Marshal(it.Data); err == nil {
		it.Shared = b
	}
	for _, lang := range v[fLangs] {
		t, filled := decodeText(d, v, lang, errs, number)
		if !filled {
			continue
		}
		if b, err := json.Marshal(t.Data); err == nil {
			t.Fields = b
		}
		it.Texts = append(it.Texts, t)
	}
	return it.Snapshot(), nil
}

// message says fe in the editor's language: the catalogue's "err."+Problem message, with the
// refused value where it names one. A problem the catalogue does not know (none should: see
// TestEveryProblemHasAMessage) is shown in English inside err.invalid rather than hidden.
func message(l *locale.Locale, fe alliance.FieldError) string {
	key := "err." + string(fe.Problem)
	if fe.Problem == "" || fe.Problem == alliance.ProblemInvalid || !l.HasBackoffice(key) && !locale.MustGet(locale.Default).HasBackoffice(key) {
		return l.B("err.invalid", "message", fe.Message)
	}
	return l.B(key, "value", fe.Value)
}

// errInUse refuses to delete an item others refer to.
var errInUse = errors.New("the item is referred to")

func asValidation(err error, target **alliance.ValidationError) bool { return errors.As(err, target) }

func conflictOf(err error) *alliance.ConflictError {
	var c *alliance.ConflictError
	if errors.As(err, &c) {
		return c
	}
	return nil
}
