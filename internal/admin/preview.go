package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/locale"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/web"
)

// Previews at the public URL. The session cookie is limited to /admin/, so the public page
// never sees who is signed in: /admin/preview/{kind}/{key}?lang=xx[&rev=N] checks the session
// and the editor's rights here, stores a short-lived token (hashed) naming the editor, the
// item and the revision, and redirects to the item's public URL with ?preview=TOKEN.
//
// A URL is easily passed on (a chat, a Referer), so the token alone previews nothing: the
// same answer sets a cookie holding a second secret, bound to the token, for the item's
// public path only (not the site's: visitors' pages carry no cookie, and this one reaches no
// other page). It is the back office that sets it, in its redirect; public pages never set a
// cookie. Anyone else with the URL sees the public page.
//
// The public site asks CheckPreview, on every request, what the token grants: the rights are
// asked again then, so a disabled editor or one whose rights were taken away sees only the
// public page. The token is not used up by a request (the editor reloads the page as they
// work), and ends after previewTTL.

// previewTTL is how long a preview link works: long enough to read and reload a page, short
// enough that a copied link soon shows nothing but the public page.
const previewTTL = 30 * time.Minute

// previewPath is the back office's preview link of an item as it stands (rev 0) or of one of
// its revisions, in lang.
func previewPath(k alliance.Kind, key, lang string, rev int) string {
	v := url.Values{"lang": {lang}}
	if rev > 0 {
		v.Set("rev", strconv.Itoa(rev))
	}
	return prefix + "preview/" + string(k) + "/" + url.PathEscape(key) + "?" + v.Encode()
}

// sectionOf is the id of the public section whose pages show items of kind k; "" when items
// of k have no page of their own (people, terms, menu pages).
func sectionOf(k alliance.Kind) string {
	for _, s := range web.Sections() {
		if s.Kind == k {
			return s.ID
		}
	}
	return ""
}

// mayPreview reports whether u may see the item owned as own before visitors do: whoever may
// edit or translate it.
func mayPreview(u *alliance.User, own alliance.Owned, langs []string) bool {
	if alliance.Can(u, alliance.Do(alliance.VerbEdit), own) {
		return true
	}
	for _, l := range langs {
		if alliance.Can(u, alliance.Translate(l), own) {
			return true
		}
	}
	return false
}

// preview sends the editor to the public page of an item, with a preview token.
func (h *Handler) preview(q *request) error {
	kind, key, _, ok, err := h.itemAccess(q)
	if !ok {
		return err
	}
	section := sectionOf(kind)
	if section == "" {
		return h.notFound(q)
	}
	lang := q.r.URL.Query().Get("lang")
	if !q.site.HasLanguage(lang) {
		lang = q.l.Lang
		if !q.site.HasLanguage(lang) {
			lang = q.site.DefaultLanguage()
		}
	}
	rev := 0
	if s := q.r.URL.Query().Get("rev"); s != "" {
		if rev, err = strconv.Atoi(s); err != nil || rev < 1 {
			return h.notFound(q)
		}
	}
	it, err := h.db.Preview(q.ctx, kind, key, rev)
	if store.IsNotFound(err) {
		return h.notFound(q)
	}
	if err != nil {
		return err
	}
	// The page in lang shows the text in lang, else the source language's: its slug.
	t := it.Text(lang)
	if t == nil || t.Slug == "" {
		t = it.Text(it.SourceLang)
	}
	if t == nil || t.Slug == "" {
		return h.notFound(q)
	}
	tok, secret := auth.NewToken(), auth.NewToken()
	now := h.cfg.Clock()
	p := store.PreviewToken{UserID: q.user.ID, Kind: kind, Key: key, Revision: rev, Binding: auth.HashToken(secret)}
	err = h.db.UpdateAccounts(q.ctx, now, func(tx *store.Tx) error {
		return tx.CreatePreviewToken(q.ctx, auth.HashToken(tok), p, now.Add(previewTTL))
	})
	if err != nil {
		return err
	}
	page := (&url.URL{Path: "/" + lang + "/" + locale.MustGet(lang).SectionSlug(section) + "/" + t.Slug + "/"}).EscapedPath()
	http.SetCookie(q.w, &http.Cookie{Name: previewCookie(tok), Value: secret, Path: page, MaxAge: int(previewTTL / time.Second),
		HttpOnly: true, Secure: h.https(q.r), SameSite: http.SameSiteLaxMode})
	return h.redirect(q, page+"?preview="+url.QueryEscape(tok))
}

// previewCookie is the name of the cookie bound to a preview token: one per token, so that
// previews of two revisions at one URL do not undo each other.
func previewCookie(token string) string {
	return "alliance_preview_" + auth.HashToken(token)[:16]
}

// CheckPreview tells the public site what the preview token of r grants now: nil when it is
// unknown or expired, r lacks the cookie bound to it, or its user is disabled or may no
// longer edit or translate the item.
func (h *Handler) CheckPreview(r *http.Request) (*web.PreviewGrant, error) {
	token := r.URL.Query().Get("preview")
	if token == "" {
		return nil, nil
	}
	c, err := r.Cookie(previewCookie(token))
	if err != nil || c.Value == "" {
		return nil, nil
	}
	ctx := r.Context()
	u, p, err := h.db.PreviewTokenUser(ctx, auth.HashToken(token), h.cfg.Clock())
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !auth.SameToken(auth.HashToken(c.Value), p.Binding) {
		return nil, nil
	}
	own, err := auth.Owned(ctx, h.db, p.Kind, p.Key)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	site, err := h.db.Site(ctx)
	if err != nil {
		return nil, err
	}
	if !mayPreview(u, own, site.Languages) {
		return nil, nil
	}
	back := itemPath(p.Kind, p.Key)
	if p.Revision > 0 || !alliance.Can(u, alliance.Do(alliance.VerbEdit), own) {
		back += "revisions/"
	}
	return &web.PreviewGrant{Kind: p.Kind, Key: p.Key, Revision: p.Revision, EditURL: back}, nil
}
