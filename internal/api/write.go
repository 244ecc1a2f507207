package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/auth"
	"github.com/alliance-platform/alliance/internal/store"
)

// Writes: POST /api/v1/{collection} creates an item, PUT /api/v1/{collection}/{key} replaces
// one, DELETE /api/v1/{collection}/{key} deletes one, and GET /api/v1/{collection}/{key}/edit
// reads one as it is written (drafts included). All four need a user's token (bearer), ask the
// one authorization rule (alliance.Can, with the item's owners from auth.Owned) and write
// through the one write path (store.Tx.Save), so that an editor meets the same rules in a form
// and in the API.

// maxBody bounds a write's body: an item's texts in every language with their Markdown (each
// body is limited far below this by markdown.Check).
const maxBody = 4 << 20

// itemSource is an item as an editor writes it: the body of POST and PUT, and (with kind,
// revision, updated and api_url) the answer of a write and of GET …/edit. Its names are the
// reads': fields are the shared fields, each text has its slug, title, summary, Markdown body
// and translated fields.
type itemSource struct {
	Kind       alliance.Kind `json:"kind,omitempty"`
	Key        string        `json:"key,omitempty"`
	SourceLang string        `json:"source_lang"`
	// Revision is the stored revision (answers only); the ETag carries it too.
	Revision    int                   `json:"revision,omitempty"`
	Updated     string                `json:"updated,omitempty"`
	Draft       bool                  `json:"draft"`
	PublishAt   string                `json:"publish_at,omitempty"`
	UnpublishAt string                `json:"unpublish_at,omitempty"`
	Fields      json.RawMessage       `json:"fields"`
	Texts       map[string]textSource `json:"texts"`
	APIURL      string                `json:"api_url,omitempty"`
}

// textSource is one text of an itemSource.
type textSource struct {
	Slug         string          `json:"slug,omitempty"`
	Title        string          `json:"title,omitempty"`
	Summary      string          `json:"summary,omitempty"`
	BodyMarkdown string          `json:"body_markdown,omitempty"`
	Fields       json.RawMessage `json:"fields,omitempty"`
}

// revisionTag is the strong validator of an item's stored revision: what GET …/edit and every
// write answer in ETag, and what PUT and DELETE must send back in If-Match.
func revisionTag(revision int) string { return `"rev-` + strconv.Itoa(revision) + `"` }

// ifMatch reads the revision named by If-Match. present is false when the header is absent
// (428); ok is false when it names no revision of ours (a weak tag, "*", a read's tag).
// Comparison is strong (RFC 9110): a weak tag never matches.
func ifMatch(r *http.Request) (revision int, present, ok bool) {
	values := r.Header.Values("If-Match")
	if len(values) == 0 {
		return 0, false, false
	}
	for _, line := range values {
		for _, t := range strings.Split(line, ",") {
			t = strings.TrimSpace(t)
			n, found := strings.CutPrefix(t, `"rev-`)
			if !found || !strings.HasSuffix(n, `"`) {
				continue
			}
			if v, err := strconv.Atoi(strings.TrimSuffix(n, `"`)); err == nil && v > 0 {
				return v, true, true
			}
		}
	}
	return 0, true, false
}

// writeRequest is what every write handler reads first: the user of the token and the
// collection. nil when the handler has already answered.
func (s *Server) writeRequest(w http.ResponseWriter, r *http.Request) (*alliance.User, *collection) {
	w.Header().Set("Cache-Control", "no-store")
	u := s.bearer(w, r)
	if u == nil {
		return nil, nil
	}
	c, ok := collectionNamed(r.PathValue("collection"))
	if !ok {
		s.notFound(w, r, "No such collection: the collections are listed at "+Prefix+"site.")
		return nil, nil
	}
	return u, c
}

// readSource decodes a write's body into an item of c's kind with key. It answers 400, 413 or
// 415 itself and returns nil when the body is not a JSON item.
func (s *Server) readSource(w http.ResponseWriter, r *http.Request, c *collection, key string) (*alliance.Item, *itemSource) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.problem(w, r, http.StatusUnsupportedMediaType, "Send the item as JSON, with Content-Type: application/json.", nil)
		return nil, nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.problem(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The body is larger than %d bytes.", maxBody), nil)
			return nil, nil
		}
		s.problem(w, r, http.StatusBadRequest, "The body could not be read.", nil)
		return nil, nil
	}
	var src itemSource
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&src); err != nil {
		s.problem(w, r, http.StatusBadRequest, "The body is not a JSON item: "+err.Error()+".", []InvalidParam{{Name: "body", Reason: err.Error()}})
		return nil, nil
	}
	if dec.More() {
		s.problem(w, r, http.StatusBadRequest, "The body holds more than one JSON value.", []InvalidParam{{Name: "body", Reason: "more than one JSON value"}})
		return nil, nil
	}
	if src.Kind != "" && src.Kind != c.kind {
		s.unprocessable(w, r, []InvalidParam{{Name: "kind", Reason: fmt.Sprintf("is %q; this collection holds %s items", src.Kind, c.kind), Problem: string(alliance.ProblemChoice)}})
		return nil, nil
	}
	it := &alliance.Item{Kind: c.kind, Key: key, SourceLang: src.SourceLang, Draft: src.Draft}
	if len(src.Fields) > 0 && string(src.Fields) != "null" {
		it.Shared = src.Fields
	}
	var invalid []InvalidParam
	if it.PublishAt, err = parseRFC3339(src.PublishAt); err != nil {
		invalid = append(invalid, InvalidParam{Name: "publish_at", Reason: "must be an RFC 3339 instant, such as 2027-01-15T09:00:00Z", Problem: string(alliance.ProblemDateTime)})
	}
	if it.UnpublishAt, err = parseRFC3339(src.UnpublishAt); err != nil {
		invalid = append(invalid, InvalidParam{Name: "unpublish_at", Reason: "must be an RFC 3339 instant, such as 2027-01-15T09:00:00Z", Problem: string(alliance.ProblemDateTime)})
	}
	if len(invalid) > 0 {
		s.unprocessable(w, r, invalid)
		return nil, nil
	}
	for lang, t := range src.Texts {
		text := alliance.Text{Lang: lang, Slug: t.Slug, Title: t.Title, Summary: t.Summary, Body: t.BodyMarkdown}
		if len(t.Fields) > 0 && string(t.Fields) != "null" {
			text.Fields = t.Fields
		}
		it.Texts = append(it.Texts, text)
	}
	sort.Slice(it.Texts, func(i, j int) bool { return it.Texts[i].Lang < it.Texts[j].Lang })
	return it, &src
}

func parseRFC3339(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC().Truncate(time.Second), err
}

// unprocessable answers 422: the item is JSON of the right shape, but the write path refuses it.
func (s *Server) unprocessable(w http.ResponseWriter, r *http.Request, invalid []InvalidParam) {
	s.problem(w, r, http.StatusUnprocessableEntity, "The item is not valid; see invalid_params, one entry per field.", invalid)
}

// invalidFields names a refused save's field errors as the body names the fields:
// fields.{name} for shared fields, texts.{lang}.{name} for a text's own (body_markdown for the
// body) and texts.{lang}.fields.{name} for its translated fields.
func invalidFields(errs []alliance.FieldError) []InvalidParam {
	out := make([]InvalidParam, 0, len(errs))
	for _, e := range errs {
		out = append(out, InvalidParam{Name: bodyField(e.Field), Reason: e.Message, Problem: string(e.Problem)})
	}
	return out
}

func bodyField(field string) string {
	switch field {
	case "source_lang", "texts", "publish_at", "unpublish_at", "draft", "key", "kind":
		return field
	case "shared":
		return "fields"
	}
	if rest, ok := strings.CutPrefix(field, "texts."); ok {
		lang, name, found := strings.Cut(rest, ".")
		if !found {
			return field
		}
		switch name {
		case "slug", "title", "summary":
			return "texts." + lang + "." + name
		case "body":
			return "texts." + lang + ".body_markdown"
		}
		return "texts." + lang + ".fields." + name
	}
	return "fields." + field
}

// normalized returns it's snapshot with its shared and translated fields as the kind's types
// encode them (as Save stores them), so that a body and the stored item compare field by field
// whatever the body's spacing, order or empty values; ok is false when a field does not decode
// (the save will refuse it).
func normalized(it *alliance.Item) (snap *alliance.Snapshot, ok bool) {
	ki, _ := alliance.InfoOf(it.Kind)
	cp := *it
	cp.Texts = append([]alliance.Text(nil), it.Texts...)
	ok = true
	shared := ki.NewShared()
	if len(cp.Shared) > 0 {
		if strictJSON(cp.Shared, shared) != nil {
			ok = false
		}
	}
	if data, err := json.Marshal(shared); err == nil && ok {
		cp.Shared = data
	}
	for i := range cp.Texts {
		v := ki.NewText()
		if len(cp.Texts[i].Fields) > 0 && strictJSON(cp.Texts[i].Fields, v) != nil {
			ok = false
			continue
		}
		if data, err := json.Marshal(v); err == nil {
			cp.Texts[i].Fields = data
		}
	}
	return cp.Snapshot(), ok
}

func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// ownedOf is what the authorization rule knows of it as written (not as stored): the members
// it would belong to, and creator. A session belongs to its event's owners.
func (s *Server) ownedOf(ctx context.Context, it *alliance.Item, creator int64) (alliance.Owned, error) {
	ki, _ := alliance.InfoOf(it.Kind)
	shared := ki.NewShared()
	if len(it.Shared) > 0 {
		json.Unmarshal(it.Shared, shared) // undecodable: no owner, and Save refuses it
	}
	return auth.OwnedShared(ctx, s.db, it.Kind, shared, creator)
}

// refusal is why a write is forbidden: the fields the user may not change, with the reason.
type refusal []InvalidParam

// authorizeChange asks the authorization rule for every part of the change from old to it:
// shared fields and the source text need VerbEdit (also on the item as it will be, so that a
// member editor cannot give their item to another university), another language's text
// Translate(lang), removing a text VerbDelete, the draft flag and schedule VerbPublish. A change
// that changes nothing needs the right to edit or translate it at all.
func (s *Server) authorizeChange(ctx context.Context, u *alliance.User, old, it *alliance.Item) (refusal, error) {
	stored, err := auth.Owned(ctx, s.db, old.Kind, old.Key)
	if err != nil {
		return nil, err
	}
	oldSnap, _ := normalized(old)
	newSnap, _ := normalized(it)
	var refused refusal
	deny := func(field, reason string) {
		for _, f := range refused {
			if f.Name == field {
				return
			}
		}
		refused = append(refused, InvalidParam{Name: field, Reason: reason})
	}
	editChecked, editOK := false, false
	mayEdit := func() (bool, error) {
		if !editChecked {
			editChecked = true
			editOK = alliance.Can(u, alliance.Do(alliance.VerbEdit), stored)
			if editOK {
				after, err := s.ownedOf(ctx, it, stored.Creator)
				if err != nil {
					return false, err
				}
				editOK = alliance.Can(u, alliance.Do(alliance.VerbEdit), after)
			}
		}
		return editOK, nil
	}
	source := old.SourceLang
	diffs := alliance.Diff(oldSnap, newSnap)
	for _, d := range diffs {
		field := bodyField(d.Field)
		switch {
		case d.Field == "draft" || d.Field == "publish_at" || d.Field == "unpublish_at":
			if !alliance.Can(u, alliance.Do(alliance.VerbPublish), stored) {
				deny(field, "you may not publish, unpublish or schedule this item")
			}
		case strings.HasPrefix(d.Field, "texts."):
			lang, _, _ := strings.Cut(strings.TrimPrefix(d.Field, "texts."), ".")
			switch {
			case it.Text(lang) == nil:
				if !alliance.Can(u, alliance.Do(alliance.VerbDelete), stored) {
					deny("texts."+lang, "you may not remove this item's translations")
				}
			case lang == source:
				ok, err := mayEdit()
				if err != nil {
					return nil, err
				}
				if !ok {
					deny(field, "you may not change this item's source text")
				}
			case !alliance.Can(u, alliance.Translate(lang), stored):
				deny(field, "you may not translate this item into "+lang)
			}
		default: // shared fields and the source language
			ok, err := mayEdit()
			if err != nil {
				return nil, err
			}
			if !ok {
				deny(field, "you may not change this item's shared fields")
			}
		}
	}
	if len(diffs) == 0 && !mayTouch(u, stored) {
		deny("key", "you may not change this item")
	}
	return refused, nil
}

// mayTouch reports whether u may change anything of an item owned as o: edit it, or translate
// it into one of their languages.
func mayTouch(u *alliance.User, o alliance.Owned) bool {
	if alliance.Can(u, alliance.Do(alliance.VerbEdit), o) {
		return true
	}
	for _, l := range u.Languages {
		if alliance.Can(u, alliance.Translate(l), o) {
			return true
		}
	}
	return false
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, detail string, fields []InvalidParam) {
	s.problem(w, r, http.StatusForbidden, detail, fields)
}

// handleCreate serves POST /api/v1/{collection}: a new item, key in the body. 201 with the item
// as stored and its revision's ETag; 409 when the key is taken.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	u, c := s.writeRequest(w, r)
	if u == nil {
		return
	}
	it, src := s.readSource(w, r, c, "")
	if it == nil {
		return
	}
	it.Key = src.Key
	if it.Key == "" {
		s.unprocessable(w, r, []InvalidParam{{Name: "key", Reason: "is required: the item's key, such as open-labs-forum-2027", Problem: string(alliance.ProblemRequired)}})
		return
	}
	ctx := r.Context()
	if _, ok := normalized(it); !ok {
		// Not an item of the kind: say so field by field, as Save does, before asking who owns it.
		s.saveError(w, r, s.validateOnly(ctx, it))
		return
	}
	owned, err := s.ownedOf(ctx, it, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !alliance.Can(u, alliance.Do(alliance.VerbCreate), owned) {
		s.forbidden(w, r, fmt.Sprintf("You may not create this %s: your role (%s) does not cover it.", c.kind, u.Role), nil)
		return
	}
	if !it.Draft && !alliance.Can(u, alliance.Do(alliance.VerbPublish), owned) {
		s.forbidden(w, r, "You may create this item as a draft only: send \"draft\": true.", []InvalidParam{{Name: "draft", Reason: "you may not publish this item"}})
		return
	}
	var rev *alliance.Revision
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if rev, err = tx.Save(ctx, it, alliance.Change{UserID: u.ID, UserName: u.Email, Addr: remoteAddr(r)}); err != nil {
			return err
		}
		// Who created an item decides what an organiser owns. The write path audits the save.
		return tx.SetCreator(ctx, rev.ItemID, u.ID)
	})
	if err != nil {
		s.saveError(w, r, err)
		return
	}
	s.writeSaved(w, r, c, it.Key, http.StatusCreated)
}

// validateOnly runs the write path on it in a transaction that is always rolled back, for its
// field errors.
func (s *Server) validateOnly(ctx context.Context, it *alliance.Item) error {
	errRollback := errors.New("rollback")
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.Save(ctx, it, alliance.Change{Blind: true}); err != nil {
			return err
		}
		return errRollback
	})
	if errors.Is(err, errRollback) {
		return &alliance.ValidationError{Kind: it.Kind, Key: it.Key, Errors: []alliance.FieldError{{Field: "shared", Problem: alliance.ProblemInvalid, Message: "is not valid"}}}
	}
	return err
}

// handleReplace serves PUT /api/v1/{collection}/{key}: the item replaced by the body, which
// holds all of it (a text absent from the body is removed). If-Match must name the revision
// the client read: 428 without it, 412 when the item changed since.
func (s *Server) handleReplace(w http.ResponseWriter, r *http.Request) {
	u, c := s.writeRequest(w, r)
	if u == nil {
		return
	}
	key := r.PathValue("key")
	it, src := s.readSource(w, r, c, key)
	if it == nil {
		return
	}
	if src.Key != "" && src.Key != key {
		s.unprocessable(w, r, []InvalidParam{{Name: "key", Reason: fmt.Sprintf("is %q, not the key of the URL, %q; an item's key does not change", src.Key, key), Problem: string(alliance.ProblemInvalid)}})
		return
	}
	ctx := r.Context()
	old, ok := s.editable(w, r, c, key)
	if !ok {
		return
	}
	base, ok := s.precondition(w, r, old.Revision)
	if !ok {
		return
	}
	refused, err := s.authorizeChange(ctx, u, old, it)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(refused) > 0 {
		s.forbidden(w, r, fmt.Sprintf("Your role (%s) does not allow this change; see invalid_params for the fields you may not change.", u.Role), refused)
		return
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		// The write path audits the save, naming what it did (saved, published, scheduled…).
		_, err := tx.Save(ctx, it, alliance.Change{UserID: u.ID, UserName: u.Email, Base: base, Addr: remoteAddr(r)})
		return err
	})
	if err != nil {
		s.saveError(w, r, s.lostRace(ctx, c, key, base, err))
		return
	}
	s.writeSaved(w, r, c, key, http.StatusOK)
}

// handleDelete serves DELETE /api/v1/{collection}/{key}, with If-Match as PUT. An item another
// item refers to (a person who wrote a story, an event with sessions) is not deleted: 409,
// naming them.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	u, c := s.writeRequest(w, r)
	if u == nil {
		return
	}
	key := r.PathValue("key")
	ctx := r.Context()
	old, ok := s.editable(w, r, c, key)
	if !ok {
		return
	}
	base, ok := s.precondition(w, r, old.Revision)
	if !ok {
		return
	}
	owned, err := auth.Owned(ctx, s.db, c.kind, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !alliance.Can(u, alliance.Do(alliance.VerbDelete), owned) {
		s.forbidden(w, r, fmt.Sprintf("Your role (%s) does not allow deleting this %s.", u.Role, c.kind), nil)
		return
	}
	referrers, err := s.referrers(ctx, c.kind, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(referrers) > 0 {
		s.problem(w, r, http.StatusConflict, fmt.Sprintf("Other items refer to this %s: change them first (%s).", c.kind, strings.Join(referrers, ", ")), nil)
		return
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		cur, err := tx.Item(ctx, c.kind, key)
		if err != nil {
			return err
		}
		if cur.Revision != base {
			return &alliance.ConflictError{Kind: c.kind, Key: key, Base: base, Revision: cur.Revision, Current: cur}
		}
		if err := tx.DeleteItem(ctx, c.kind, key); err != nil {
			return err
		}
		return tx.Audit(ctx, itemAudit(u, r, store.AuditItemDeleted, old, base))
	})
	if err != nil {
		s.saveError(w, r, s.lostRace(ctx, c, key, base, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// referrers lists the items (kind key) whose shared fields refer to kind/key. It reads every
// item of the kinds that can refer to others: deletions are rare, and the store keeps no
// index of references.
func (s *Server) referrers(ctx context.Context, kind alliance.Kind, key string) ([]string, error) {
	var out []string
	for _, ki := range alliance.Kinds {
		items, err := s.db.All(ctx, ki.Kind)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			shared := ki.NewShared()
			if len(it.Shared) == 0 || json.Unmarshal(it.Shared, shared) != nil {
				continue
			}
			for _, ref := range shared.Refs() {
				if ref.Kind == kind && ref.Key == key && !(it.Kind == kind && it.Key == key) {
					out = append(out, string(it.Kind)+" "+it.Key)
					break
				}
			}
		}
	}
	return out, nil
}

// handleEdit serves GET /api/v1/{collection}/{key}/edit: the item as its editors write it,
// drafts and scheduled items included, with every text and its revision in ETag; for a user
// who may change something of it.
func (s *Server) handleEdit(w http.ResponseWriter, r *http.Request) {
	u, c := s.writeRequest(w, r)
	if u == nil {
		return
	}
	key := r.PathValue("key")
	if _, ok := s.editable(w, r, c, key); !ok {
		return
	}
	owned, err := auth.Owned(r.Context(), s.db, c.kind, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !mayTouch(u, owned) {
		s.forbidden(w, r, fmt.Sprintf("Your role (%s) does not allow changing this %s.", u.Role, c.kind), nil)
		return
	}
	s.writeSaved(w, r, c, key, http.StatusOK)
}

// editable reads the stored item kind/key whatever its state, answering 404 when there is none.
func (s *Server) editable(w http.ResponseWriter, r *http.Request, c *collection, key string) (*alliance.Item, bool) {
	missing := fmt.Sprintf("No %s has the key %q.", c.kind, key)
	if !alliance.ValidKey(key) {
		s.notFound(w, r, missing)
		return nil, false
	}
	it, err := s.db.Edit(r.Context(), c.kind, key)
	if store.IsNotFound(err) {
		s.notFound(w, r, missing)
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return it, true
}

// precondition checks If-Match against the stored revision: 428 without it, 412 when it names
// another. It returns the revision to save from.
func (s *Server) precondition(w http.ResponseWriter, r *http.Request, stored int) (int, bool) {
	base, present, ok := ifMatch(r)
	switch {
	case !present:
		s.problem(w, r, http.StatusPreconditionRequired, "Send If-Match with the ETag of the item as you read it (GET …/edit, or the answer of your last write), so that a change made meanwhile is not lost.", nil)
		return 0, false
	case !ok || base != stored:
		w.Header().Set("ETag", revisionTag(stored))
		s.problem(w, r, http.StatusPreconditionFailed, fmt.Sprintf("The item changed since the revision you read: it is at revision %d. Read it again (GET …/edit), and apply your change to it.", stored), nil)
		return 0, false
	}
	return base, true
}

// lostRace turns the failure of a write from revision base into a conflict when the item is at
// another revision now: on PostgreSQL two transactions may both pass Save's revision check
// before either commits, and the second then fails on the first's revision row rather than
// with a *alliance.ConflictError. Whatever it failed on, it lost the race: 412, not 500.
func (s *Server) lostRace(ctx context.Context, c *collection, key string, base int, err error) error {
	var verr *alliance.ValidationError
	var cerr *alliance.ConflictError
	if errors.As(err, &verr) || errors.As(err, &cerr) || errors.Is(err, alliance.ErrUnavailable) || store.IsNotFound(err) {
		return err
	}
	cur, rerr := s.db.Edit(ctx, c.kind, key)
	switch {
	case store.IsNotFound(rerr):
		return &alliance.ConflictError{Kind: c.kind, Key: key, Base: base}
	case rerr == nil && cur.Revision != base:
		s.log.Warn("api write lost a race", "kind", c.kind, "key", key, "base", base, "revision", cur.Revision, "err", err)
		return &alliance.ConflictError{Kind: c.kind, Key: key, Base: base, Revision: cur.Revision, Current: cur}
	}
	return err
}

// saveError answers a refused write: 422 with the fields, 412 when the item changed meanwhile
// (409 when a new item's key is taken), else as fail does.
func (s *Server) saveError(w http.ResponseWriter, r *http.Request, err error) {
	var verr *alliance.ValidationError
	var cerr *alliance.ConflictError
	switch {
	case errors.As(err, &verr):
		s.unprocessable(w, r, invalidFields(verr.Errors))
	case errors.As(err, &cerr) && cerr.Base == 0:
		s.problem(w, r, http.StatusConflict, fmt.Sprintf("A %s with the key %q already exists: choose another key, or replace it with PUT.", cerr.Kind, cerr.Key), []InvalidParam{{Name: "key", Reason: "is taken"}})
	case errors.As(err, &cerr):
		if cerr.Current != nil {
			w.Header().Set("ETag", revisionTag(cerr.Revision))
		}
		s.problem(w, r, http.StatusPreconditionFailed, "The item changed since the revision you read; read it again and apply your change to it.", nil)
	case store.IsNotFound(err):
		s.notFound(w, r, "The item was deleted meanwhile.")
	default:
		s.fail(w, r, err)
	}
}

// writeSaved answers with the item kind/key as stored now, its revision in ETag.
func (s *Server) writeSaved(w http.ResponseWriter, r *http.Request, c *collection, key string, status int) {
	it, err := s.db.Edit(r.Context(), c.kind, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	src := &itemSource{Kind: it.Kind, Key: it.Key, SourceLang: it.SourceLang, Revision: it.Revision, Updated: instant(it.Updated),
		Draft: it.Draft, PublishAt: instant(it.PublishAt), UnpublishAt: instant(it.UnpublishAt), Fields: it.Shared,
		Texts: make(map[string]textSource, len(it.Texts)), APIURL: s.baseURL(r) + Prefix + c.name + "/" + it.Key}
	for _, t := range it.Texts {
		ts := textSource{Slug: t.Slug, Title: t.Title, Summary: t.Summary, BodyMarkdown: t.Body}
		if f := t.Fields; len(f) > 0 && string(f) != "{}" && string(f) != "null" {
			ts.Fields = f
		}
		src.Texts[t.Lang] = ts
	}
	if len(src.Fields) == 0 {
		src.Fields = json.RawMessage("{}")
	}
	h := w.Header()
	h.Set("ETag", revisionTag(it.Revision))
	h.Set("Cache-Control", "no-store")
	if status == http.StatusCreated {
		h.Set("Location", src.APIURL)
	}
	writeJSON(w, status, src)
}

// itemAudit is the audit line of a write of it by u through the API.
func itemAudit(u *alliance.User, r *http.Request, action string, it *alliance.Item, revision int) store.AuditEntry {
	return auditEntry(auth.Actor{User: u, Addr: remoteAddr(r)}, action, string(it.Kind)+"/"+it.Key,
		"revision "+strconv.Itoa(revision)+" through the API")
}

func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
