package admin

import (
	"context"
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
// item and the revision, and redirects to the item's public URL with ?preview=TOKEN. The
// public site asks CheckPreview, on every request, what the token grants: the rights are
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
	tok := auth.NewToken()
	now := h.cfg.Clock()
	err = h.db.UpdateAccounts(q.ctx, now, func(tx *store.Tx) error {
		return tx.CreatePreviewToken(q.ctx, auth.HashToken(tok), store.PreviewToken{UserID: q.user.ID, Kind: kind, Key: key, Revision: rev}, now.Add(previewTTL))
	})
	if err != nil {
		return err
	}
	target := "/" + lang + "/" + locale.MustGet(lang).SectionSlug(section) + "/" + url.PathEscape(t.Slug) + "/?preview=" + url.QueryEscape(tok)
	return h.redirect(q, target)
}

// CheckPreview tells the public site what a preview token grants now: nil when it is unknown
// or expired, or its user is disabled or may no longer edit or translate the item.
func (h *Handler) CheckPreview(ctx context.Context, token string) (*web.PreviewGrant, error) {
	if token == "" {
		return nil, nil
	}
	u, p, err := h.db.PreviewTokenUser(ctx, auth.HashToken(token), h.cfg.Clock())
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
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
