package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
)

// translatePage is the side-by-side translation of one item into one language.
type translatePage struct {
	Action     string
	Values     url.Values
	Summary    []errorLink
	SourceLang string
	SourceName string
	Lang       string
	LangName   string
	Pairs      []translatePair
	Back       string
}

// translatePair is one field: the source's text, read only, beside the translation's input.
type translatePair struct {
	Source string
	Field  widget
}

func (h *Handler) itemTranslate(q *request) error {
	d, ok := kindOf(q)
	if !ok {
		return h.notFound(q)
	}
	k, key, lang := d.Info.Kind, q.r.PathValue("key"), q.r.PathValue("lang")
	if !q.site.HasLanguage(lang) {
		return h.notFound(q)
	}
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
	// The source text is the item's own: writing it is editing, not translating.
	allowed := alliance.Can(q.user, alliance.Translate(lang), own)
	if lang == stored.SourceLang {
		allowed = alliance.Can(q.user, alliance.Do(alliance.VerbEdit), own)
	}
	if !allowed {
		return h.forbidden(q)
	}
	prefix := "texts." + lang + "."
	errs := map[string]string{}
	var v url.Values
	status, notice, alert := http.StatusOK, "", ""
	if q.r.Method == http.MethodGet {
		v = itemValues(d, stored, h.location())
		if q.r.URL.Query().Get("done") == "translated" {
			notice = q.l.B("items.done.translated")
		}
	} else {
		v = q.r.PostForm
		// A translation writes its language's text and nothing else: a form carrying any other
		// field is refused whole, whatever a page sent.
		for name := range v {
			if name != "csrf" && name != fBase && name != fDo && !strings.HasPrefix(name, prefix) {
				return h.forbidden(q)
			}
		}
		if err := h.checkForm(q); err != nil {
			return h.forbidden(q)
		}
		t, filled := decodeText(d, v, lang, errs, func() string { return q.l.B("err.number") })
		it := &alliance.Item{Kind: k, Key: stored.Key, SourceLang: stored.SourceLang, Data: stored.Data,
			Draft: stored.Draft, PublishAt: stored.PublishAt, UnpublishAt: stored.UnpublishAt}
		replaced := false
		for _, st := range stored.Texts {
			switch {
			case st.Lang != lang:
				st.HTML = ""
				it.Texts = append(it.Texts, st)
			case filled:
				it.Texts, replaced = append(it.Texts, t), true
			}
		}
		if filled && !replaced {
			it.Texts = append(it.Texts, t)
		}
		base, _ := strconv.Atoi(v.Get(fBase))
		if len(errs) == 0 {
			err = h.db.Update(q.ctx, func(tx *store.Tx) error {
				rev, err := tx.Save(q.ctx, it, alliance.Change{UserID: q.user.ID, UserName: displayName(q.user), Base: base})
				if err != nil {
					return err
				}
				return tx.Audit(q.ctx, store.AuditEntry{ActorID: q.user.ID, Actor: q.user.Email, Action: store.AuditItemTranslated,
					Subject: string(k) + "/" + key, Detail: lang + ", revision " + strconv.Itoa(rev.Number), Addr: addr(q.r)})
			})
			if err == nil {
				return h.redirect(q, itemPath(k, key)+"translate/"+lang+"?done=translated")
			}
			if refusal := errsOf(q, err, errs); !refusal {
				if cerr := conflictOf(err); cerr != nil {
					status, alert = http.StatusConflict, q.l.B("items.conflict_translation")
					v.Set(fBase, strconv.Itoa(cerr.Revision))
				} else {
					return err
				}
			}
		}
		if len(errs) > 0 {
			status, alert = http.StatusUnprocessableEntity, q.l.B("form.errors")
		}
	}
	b, err := h.builder(q, d, v, errs)
	if err != nil {
		return err
	}
	src := itemValues(d, stored, h.location())
	tp := &translatePage{Action: itemPath(k, key) + "translate/" + lang, Values: v, SourceLang: stored.SourceLang,
		SourceName: locale.Autonym(stored.SourceLang), Lang: lang, LangName: locale.Autonym(lang), Back: itemsPath(k)}
	for _, w := range b.text(d, lang) {
		tp.Pairs = append(tp.Pairs, translatePair{Source: sourceText(src, w, stored.SourceLang, lang), Field: w})
	}
	seen := map[string]bool{}
	var ws []widget
	for _, p := range tp.Pairs {
		ws = append(ws, p.Field)
	}
	tp.Summary = summary(q.l, ws, errs, seen)
	for name, msg := range errs {
		if !seen[name] {
			tp.Summary = append(tp.Summary, errorLink{Href: "#item-form", Label: name, Message: msg})
		}
	}
	title := q.l.B("items.translate_title", "key", key, "lang", q.l.LanguageName(lang))
	p := h.page(q, title)
	p.Nav = "items"
	p.Notice, p.Alert = notice, alert
	return h.render(q, status, translateFormPage(p, tp))
}

// sourceText is the source language's value of the field that w is in lang.
func sourceText(src url.Values, w widget, source, lang string) string {
	name := "texts." + source + "." + strings.TrimPrefix(w.Name, "texts."+lang+".")
	return src.Get(name)
}

// errsOf puts a validation refusal's messages into errs; false when err is not one.
func errsOf(q *request, err error, errs map[string]string) bool {
	var verr *alliance.ValidationError
	if !asValidation(err, &verr) {
		return false
	}
	for _, fe := range verr.Errors {
		if errs[fe.Field] == "" {
			errs[fe.Field] = message(q.l, fe)
		}
	}
	return true
}

// --- deleting ---

func (h *Handler) itemDelete(q *request) error {
	d, ok := kindOf(q)
	if !ok {
		return h.notFound(q)
	}
	k, key := d.Info.Kind, q.r.PathValue("key")
	own, err := auth.Owned(q.ctx, h.db, k, key)
	if store.IsNotFound(err) {
		return h.notFound(q)
	}
	if err != nil {
		return err
	}
	if !alliance.Can(q.user, alliance.Do(alliance.VerbDelete), own) {
		return h.forbidden(q)
	}
	p := h.page(q, q.l.B("items.delete_title", "key", key))
	p.Nav = "items"
	var users []string
	if q.r.Method == http.MethodPost {
		if err := h.checkForm(q); err != nil {
			p.Alert = q.l.B("form.csrf")
			return h.render(q, http.StatusForbidden, deletePage(p, itemPath(k, key), nil))
		}
		err := h.db.Update(q.ctx, func(tx *store.Tx) error {
			refs, err := tx.Referrers(q.ctx, k, key)
			if err != nil {
				return err
			}
			if len(refs) > 0 {
				users = refs
				return errInUse
			}
			if err := tx.DeleteItem(q.ctx, k, key); err != nil {
				return err
			}
			return tx.Audit(q.ctx, store.AuditEntry{ActorID: q.user.ID, Actor: q.user.Email, Action: store.AuditItemDeleted,
				Subject: string(k) + "/" + key, Addr: addr(q.r)})
		})
		if err == errInUse {
			p.Alert = q.l.B("items.in_use")
			return h.render(q, http.StatusConflict, deletePage(p, itemPath(k, key), users))
		}
		if err != nil {
			return err
		}
		return h.redirect(q, itemsPath(k)+"?deleted="+url.QueryEscape(key))
	}
	return h.render(q, http.StatusOK, deletePage(p, itemPath(k, key), nil))
}
