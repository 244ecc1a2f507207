package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
)

// The revisions of an item: who saved each and when, the difference between any two field by
// field (Markdown bodies line by line), and restoring one.

// revisionRow is one revision in the list.
type revisionRow struct {
	Number  int
	Who     string
	When    string
	Current bool
}

// diffGroup is the differences of one part of an item: its own and shared fields (Lang "")
// or one language's text.
type diffGroup struct {
	Title  string
	Lang   string
	Fields []diffField
}

// diffField is one field that differs; Lines is set for Markdown bodies, shown line by line.
type diffField struct {
	Name     string
	Old, New string
	Lines    []diffLine
}

// revisionsView is what the revisions page shows.
type revisionsView struct {
	Kind       alliance.Kind
	Key        string
	Title      string
	Rows       []revisionRow
	Numbers    []option
	From, To   int
	Diff       []diffGroup
	Compared   bool
	CanRestore bool
	Base       int
	// PreviewLang is the language each revision's preview link shows it in; "" when the
	// item's kind has no pages of its own.
	PreviewLang string
}

// itemAccess reads the kind and key of the request's path and what the user may do with the
// item: see its revisions (edit or translate rights) and restore one (edit rights). It
// answers 404 or 403 itself and returns ok false then.
func (h *Handler) itemAccess(q *request) (kind alliance.Kind, key string, canEdit, ok bool, err error) {
	kind, key = alliance.Kind(q.r.PathValue("kind")), q.r.PathValue("key")
	if _, known := alliance.InfoOf(kind); !known || !alliance.ValidKey(key) {
		return kind, key, false, false, h.notFound(q)
	}
	owned, err := auth.Owned(q.ctx, h.db, kind, key)
	if store.IsNotFound(err) {
		return kind, key, false, false, h.notFound(q)
	}
	if err != nil {
		return kind, key, false, false, err
	}
	canEdit = alliance.Can(q.user, alliance.Do(alliance.VerbEdit), owned)
	canSee := canEdit
	for _, l := range q.site.Languages {
		canSee = canSee || alliance.Can(q.user, alliance.Translate(l), owned)
	}
	if !canSee {
		return kind, key, false, false, h.forbidden(q)
	}
	return kind, key, canEdit, true, nil
}

func (h *Handler) revisions(q *request) error {
	kind, key, canEdit, ok, err := h.itemAccess(q)
	if !ok {
		return err
	}
	p := h.page(q, "")
	switch q.r.URL.Query().Get("done") {
	case "restored":
		p.Notice = q.l.B("rev.restored", "number", q.r.URL.Query().Get("from"), "new", q.r.URL.Query().Get("to"))
	}
	return h.showRevisions(q, p, kind, key, canEdit, http.StatusOK)
}

// showRevisions renders the revisions page with status, comparing the revisions the query
// names (from, to) when it names two.
func (h *Handler) showRevisions(q *request, p *page, kind alliance.Kind, key string, canEdit bool, status int) error {
	revs, err := h.db.Revisions(q.ctx, kind, key)
	if err != nil {
		return err
	}
	v := &revisionsView{Kind: kind, Key: key, CanRestore: canEdit, Title: key}
	if it, err := h.db.Edit(q.ctx, kind, key); err == nil {
		if t, _ := it.Best(q.l.Lang); t != nil && t.Title != "" {
			v.Title = t.Title
		}
		v.Base = it.Revision
		if sectionOf(kind) != "" {
			v.PreviewLang = h.previewLang(q, it)
		}
	} else if !store.IsNotFound(err) {
		return err
	}
	for i, r := range revs {
		v.Rows = append(v.Rows, revisionRow{Number: r.Number, Who: r.UserName, When: when(q.l, r.Created), Current: i == 0 && r.Number == v.Base})
		v.Numbers = append(v.Numbers, option{Value: strconv.Itoa(r.Number), Label: strconv.Itoa(r.Number)})
	}
	p.Title = q.l.B("rev.title", "title", v.Title)
	if len(revs) >= 2 {
		v.To, v.From = revs[0].Number, revs[1].Number
	}
	qs := q.r.URL.Query()
	if qs.Has("from") && qs.Has("to") && qs.Get("done") == "" {
		from, err1 := strconv.Atoi(qs.Get("from"))
		to, err2 := strconv.Atoi(qs.Get("to"))
		if err1 != nil || err2 != nil {
			return h.notFound(q)
		}
		a, err := h.db.Revision(q.ctx, kind, key, from)
		if store.IsNotFound(err) {
			return h.notFound(q)
		} else if err != nil {
			return err
		}
		b, err := h.db.Revision(q.ctx, kind, key, to)
		if store.IsNotFound(err) {
			return h.notFound(q)
		} else if err != nil {
			return err
		}
		v.From, v.To, v.Compared = from, to, true
		v.Diff = diffGroups(q.l, alliance.Diff(a.Snapshot, b.Snapshot))
	}
	return h.render(q, status, revisionsPage(p, v))
}

// diffGroups sorts the differences into the item's own fields, then each language's.
func diffGroups(l *locale.Locale, diffs []alliance.Difference) []diffGroup {
	var out []diffGroup
	group := func(lang string) *diffGroup {
		if n := len(out); n > 0 && out[n-1].Lang == lang {
			return &out[n-1]
		}
		title := l.B("rev.shared")
		if lang != "" {
			title = locale.Autonym(lang)
		}
		out = append(out, diffGroup{Title: title, Lang: lang})
		return &out[len(out)-1]
	}
	for _, d := range diffs {
		lang, name := "", d.Field
		if rest, ok := strings.CutPrefix(d.Field, "texts."); ok {
			lang, name, _ = strings.Cut(rest, ".")
		}
		f := diffField{Name: name, Old: d.Old, New: d.New}
		if name == "body" {
			f.Lines = lineDiff(d.Old, d.New)
		}
		g := group(lang)
		g.Fields = append(g.Fields, f)
	}
	return out
}

// restore saves an earlier revision again, as a new one: a POST with the session's CSRF token
// and the revision the editor saw (base), by a user with edit rights on the item.
func (h *Handler) restore(q *request) error {
	kind, key, canEdit, ok, err := h.itemAccess(q)
	if !ok {
		return err
	}
	if !canEdit {
		return h.forbidden(q)
	}
	p := h.page(q, "")
	if err := h.checkForm(q); err != nil {
		p.Alert = q.l.B("form.csrf")
		return h.showRevisions(q, p, kind, key, canEdit, http.StatusForbidden)
	}
	number, err := strconv.Atoi(q.r.PathValue("n"))
	if err != nil {
		return h.notFound(q)
	}
	base, _ := strconv.Atoi(q.r.PostForm.Get("base"))
	c := alliance.Change{UserID: q.user.ID, UserName: displayName(q.user), Base: base, Addr: addr(q.r)}
	var rev *alliance.Revision
	err = h.db.Update(q.ctx, func(tx *store.Tx) error {
		var err error
		rev, err = tx.Restore(q.ctx, kind, key, number, c)
		return err
	})
	var conflict *alliance.ConflictError
	var invalid *alliance.ValidationError
	switch {
	case store.IsNotFound(err):
		return h.notFound(q)
	case errors.As(err, &conflict):
		p.Alert = q.l.B("rev.conflict")
		return h.showRevisions(q, p, kind, key, canEdit, http.StatusConflict)
	case errors.As(err, &invalid):
		msgs := make([]string, len(invalid.Errors))
		for i, fe := range invalid.Errors {
			msgs[i] = fe.Error()
		}
		p.Alert = q.l.B("rev.invalid", "message", strings.Join(msgs, "; "))
		return h.showRevisions(q, p, kind, key, canEdit, http.StatusUnprocessableEntity)
	case err != nil:
		return err
	}
	return h.redirect(q, itemPath(kind, key)+"revisions/?done=restored&from="+strconv.Itoa(number)+"&to="+strconv.Itoa(rev.Number))
}

// when is an instant as the back office shows it: date and time in UTC, said so.
func when(l *locale.Locale, t time.Time) string {
	t = t.UTC()
	return l.B("time.utc", "date", l.DateShort(t), "time", l.Time(t))
}

// diffID is the id of a group of differences: its language, or "shared".
func diffID(lang string) string {
	if lang == "" {
		return "shared"
	}
	return lang
}
