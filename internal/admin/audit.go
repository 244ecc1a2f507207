package admin

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

// The audit log, for administrators: every change, sign-in and role change, newest first,
// filtered by user and action, a page at a time (paged by entry id, so that entries added
// meanwhile do not shift the pages).

// auditPageSize is how many entries a page shows.
const auditPageSize = 50

// auditActions are the actions the filter offers, in the order it offers them.
var auditActions = []string{
	store.AuditItemCreated, store.AuditItemSaved, store.AuditItemTranslated, store.AuditItemPublished,
	store.AuditItemUnpublished, store.AuditItemScheduled, store.AuditItemRestored, store.AuditItemDeleted,
	store.AuditSignIn, store.AuditSignInFailure, store.AuditSignOut, store.AuditUserInvited,
	store.AuditUserChanged, store.AuditRoleChanged, store.AuditUserDisabled, store.AuditUserEnabled,
	store.AuditPasswordChanged, store.AuditPasswordReset, store.AuditAPITokenCreated, store.AuditAPITokenRevoked,
}

type auditRow struct {
	When, Who, Action, Subject, Detail, Addr string
}

type auditView struct {
	Rows          []auditRow
	Users         []option
	Actions       []option
	User, Action  string
	Newest, Older string
}

func (h *Handler) audit(q *request) error {
	if !alliance.Can(q.user, alliance.Do(alliance.VerbAudit), alliance.Owned{}) {
		return h.forbidden(q)
	}
	qs := q.r.URL.Query()
	v := &auditView{User: qs.Get("user"), Action: qs.Get("action")}
	query := store.AuditQuery{Limit: auditPageSize, Action: v.Action}
	if v.Action != "" && !contains(auditActions, v.Action) {
		return h.badRequest(q)
	}
	if v.User != "" {
		id, err := strconv.ParseInt(v.User, 10, 64)
		if err != nil || id < 0 {
			return h.badRequest(q)
		}
		query.Actor = id
	}
	if s := qs.Get("before"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return h.badRequest(q)
		}
		query.Before = id
	}
	entries, err := h.db.AuditLog(q.ctx, query)
	if err != nil {
		return err
	}
	users, err := h.db.Users(q.ctx)
	if err != nil {
		return err
	}
	v.Users = []option{{Value: "", Label: q.l.B("audit.all")}}
	for _, u := range users {
		v.Users = append(v.Users, option{Value: strconv.FormatInt(u.ID, 10), Label: u.Email})
	}
	v.Actions = []option{{Value: "", Label: q.l.B("audit.all")}}
	for _, a := range auditActions {
		v.Actions = append(v.Actions, option{Value: a, Label: q.l.B("audit.action." + a)})
	}
	for _, e := range entries {
		who := e.Actor
		if who == "" {
			who = q.l.B("audit.unknown")
		}
		v.Rows = append(v.Rows, auditRow{When: when(q.l, e.At), Who: who, Action: q.l.B("audit.action." + e.Action),
			Subject: e.Subject, Detail: e.Detail, Addr: e.Addr})
	}
	link := func(before int64) string {
		u := url.Values{}
		if v.User != "" {
			u.Set("user", v.User)
		}
		if v.Action != "" {
			u.Set("action", v.Action)
		}
		if before > 0 {
			u.Set("before", strconv.FormatInt(before, 10))
		}
		if len(u) == 0 {
			return prefix + "audit/"
		}
		return prefix + "audit/?" + u.Encode()
	}
	if query.Before > 0 {
		v.Newest = link(0)
	}
	if len(entries) == auditPageSize {
		v.Older = link(entries[len(entries)-1].ID)
	}
	p := h.page(q, q.l.B("audit.title"))
	p.Nav = "audit"
	return h.render(q, http.StatusOK, auditPage(p, v))
}
