package admin

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/alliance-platform/alliance/internal/api"
	"github.com/alliance-platform/alliance/internal/store"
)

// tokenRow is one of the user's API tokens as the tokens page lists it.
type tokenRow struct {
	ID, Name                           string
	Created, CreatedISO, Used, UsedISO string
}

// tokens serves /admin/tokens: every signed-in user's own API tokens, which carry their role
// in the API. A new token's secret is shown once, on the answer to the form that created it;
// the store keeps only its hash. Creating and revoking are audited.
func (h *Handler) tokens(q *request) error {
	p := h.page(q, q.l.B("tokens.title"))
	p.Nav = "tokens"
	f := newForm(q.r.PostForm)
	status, secret := http.StatusOK, ""
	if q.r.Method == http.MethodPost {
		if err := h.checkForm(q); err != nil {
			p.Alert, status = q.l.B("form.csrf"), http.StatusForbidden
		} else {
			switch f.Values.Get("do") {
			case "create":
				var err error
				secret, _, err = api.IssueToken(q.ctx, h.db, h.cfg.Clock(), q.actor(), q.user, f.Values.Get("name"))
				switch {
				case errors.Is(err, api.ErrTokenName):
					f.Errors["name"] = q.l.B("tokens.name_error", "max", api.MaxTokenName)
					p.Alert, status = q.l.B("form.errors"), http.StatusUnprocessableEntity
				case err != nil:
					return err
				default:
					p.Notice = q.l.B("tokens.created", "name", f.Values.Get("name"))
					f = newForm(nil)
				}
			case "revoke":
				id, _ := strconv.ParseInt(f.Values.Get("id"), 10, 64)
				name := ""
				list, err := h.db.APITokens(q.ctx, q.user.ID)
				if err != nil {
					return err
				}
				for _, t := range list {
					if t.ID == id {
						name = t.Name
					}
				}
				err = api.RevokeToken(q.ctx, h.db, h.cfg.Clock(), q.actor(), q.user, id, name)
				switch {
				case store.IsNotFound(err):
					// Revoked already (a second click), or not this user's: nothing to do.
					p.Alert, status = q.l.B("tokens.gone"), http.StatusNotFound
				case err != nil:
					return err
				default:
					p.Notice = q.l.B("tokens.revoked", "name", name)
				}
				f = newForm(nil)
			default:
				return h.notFound(q)
			}
		}
	}
	list, err := h.db.APITokens(q.ctx, q.user.ID)
	if err != nil {
		return err
	}
	rows := make([]tokenRow, 0, len(list))
	for _, t := range list {
		r := tokenRow{ID: strconv.FormatInt(t.ID, 10), Name: t.Name, Created: when(q.l, t.Created), CreatedISO: t.Created.UTC().Format(time.RFC3339),
			Used: q.l.B("tokens.never")}
		if !t.LastUsed.IsZero() {
			r.Used, r.UsedISO = when(q.l, t.LastUsed), t.LastUsed.UTC().Format(time.RFC3339)
		}
		rows = append(rows, r)
	}
	return h.render(q, status, tokensPage(p, rows, f, secret))
}
