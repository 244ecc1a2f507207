package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/search"
)

// The back office's list of a kind (EditList): every item, shown or not, newest change first,
// with what an editor needs to pick one (its title in their language, its languages, its status
// and who changed it last), filtered and paged in SQL so that it stays fast on large sites.

// Statuses of an item in the back office's list, at the store's clock.
const (
	StatusDraft       = "draft"       // saved, never shown
	StatusScheduled   = "scheduled"   // shown from a publish_at still to come
	StatusPublished   = "published"   // shown now
	StatusUnpublished = "unpublished" // its unpublish_at has passed
)

// Statuses lists the statuses in the order the back office offers them.
var Statuses = []string{StatusDraft, StatusScheduled, StatusPublished, StatusUnpublished}

// EditQuery selects a page of the back office's list of a kind.
type EditQuery struct {
	Kind alliance.Kind
	// Lang is the editor's language: the title shown is the text in Lang, else the source's.
	Lang string
	// Status keeps the items in one of Statuses; "" keeps all.
	Status string
	// Member keeps the items of one member university: an event's host, a learning
	// opportunity's members (facet "member"), a story's or resource's authors' member.
	Member string
	// Missing keeps the items without a text in this language.
	Missing string
	// Words keeps the items with, for each word, a title (in any language) holding a word
	// that starts with it, ignoring case and accents ("clim" finds "Climate" and "κλίμα"
	// finds "Κλίμα"; "mate" does not find "climate"). A word of several (as "100%c" is "100"
	// and "c") asks for each.
	Words  []string
	Limit  int // 50 when 0
	Offset int
}

// EditRow is one item of the list.
type EditRow struct {
	ID         int64
	Key        string
	SourceLang string
	// Title is in the asked language, else in the source language; TitleLang says which.
	Title, TitleLang string
	Langs            []string // the languages of its texts, sorted
	Members          []string // the members it belongs to (see EditQuery.Member)
	Status           string
	Draft            bool
	PublishAt        time.Time
	UnpublishAt      time.Time
	Updated          time.Time
	Revision         int
	UpdatedBy        string // the user name of its latest revision; "" before its first
	Shared           json.RawMessage
}

// EditList returns a page of q's items, newest change first, and how many items q selects in all.
func (db *DB) EditList(ctx context.Context, q EditQuery) ([]EditRow, int, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	now := db.nowText()
	args := []any{string(q.Kind)}
	where := "i.kind = $1"
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", placeholder(len(args)), 1)
		}
		where += " AND " + cond
	}
	switch q.Status {
	case "":
	case StatusDraft:
		where += " AND i.draft = 1"
	case StatusScheduled:
		add("i.draft = 0 AND i.publish_at > ?", now)
	case StatusPublished:
		add("i.draft = 0 AND (i.publish_at IS NULL OR i.publish_at <= ?) AND (i.unpublish_at IS NULL OR i.unpublish_at > ?)", now, now)
	case StatusUnpublished:
		add("i.draft = 0 AND (i.publish_at IS NULL OR i.publish_at <= ?) AND i.unpublish_at <= ?", now, now)
	default:
		return nil, 0, fmt.Errorf("list %s: unknown status %q", q.Kind, q.Status)
	}
	if q.Member != "" {
		if q.Kind == alliance.KindSession {
			// A session's members are its event's host.
			add(`EXISTS (SELECT 1 FROM items e JOIN facets f ON f.item_id = e.id
				WHERE e.kind = 'event' AND e.key = i.parent AND f.name = 'member' AND f.value = ?)`, q.Member)
		} else {
			// An event's host, a learning opportunity's members, a story's or resource's
			// authors' members (derived when saved: indexMembers), from facets_listing.
			add(`i.id IN (SELECT f.item_id FROM facets f WHERE f.name = 'member' AND f.value = ? AND f.kind = ?)`, q.Member, string(q.Kind))
		}
	}
	// The languages and titles are the item's derived columns (editLangs, editTitles), which
	// the index items_edit_list holds beside the status columns: the count reads no row.
	if q.Missing != "" {
		add(`i.langs NOT LIKE ? ESCAPE '\'`, "%,"+likeEscape(q.Missing)+",%")
	}
	// Each word is a range of the titles' words (title_words: the kind, then the word), so
	// the index finds the items holding a word starting with it rather than the database
	// reading every item's titles.
	// The first word's range is read first (CROSS JOIN keeps SQLite from reading every item
	// of the kind instead, testing each against the words; PostgreSQL plans it either way).
	words := false
	for _, typed := range q.Words {
		for _, w := range search.Folded(typed) {
			if !words {
				add(`w.kind = ? AND w.word >= ? AND w.word < ? AND i.id = w.item_id`, string(q.Kind), w, w+string(utf8.MaxRune))
				words = true
				continue
			}
			add(`i.id IN (SELECT w.item_id FROM title_words w WHERE w.kind = ? AND w.word >= ? AND w.word < ?)`,
				string(q.Kind), w, w+string(utf8.MaxRune))
		}
	}
	var total int
	if words {
		// The count and the page would each find the matches: the ids of every match are
		// read in the list's order instead, once, and the page is those of its rows. Words
		// select few items, so the ids are few.
		ids, err := db.editIDs(ctx, "SELECT DISTINCT i.id, i.updated FROM title_words w CROSS JOIN items i WHERE "+where+
			" ORDER BY i.updated DESC, i.id DESC", args)
		if err != nil {
			return nil, 0, fmt.Errorf("list %s: %w", q.Kind, err)
		}
		total = len(ids)
		if q.Offset >= total {
			return nil, total, nil
		}
		ids = ids[q.Offset:min(total, q.Offset+q.Limit)]
		var in strings.Builder
		args = args[:0]
		for i, id := range ids {
			if i > 0 {
				in.WriteString(", ")
			}
			in.WriteString(placeholder(i + 1))
			args = append(args, id)
		}
		where = "i.id IN (" + in.String() + ")"
		q.Offset = 0
	} else if err := db.queryRow(ctx, "SELECT COUNT(*) FROM items i WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", q.Kind, err)
	}
	if total == 0 || q.Offset >= total {
		return nil, total, nil
	}
	args = append(args, q.Limit, q.Offset)
	rows, err := db.query(ctx, `SELECT i.id, i.key, i.source_lang, i.shared, i.draft, i.publish_at, i.unpublish_at, i.updated, i.revision,
		COALESCE((SELECT r.user_name FROM revisions r WHERE r.item_id = i.id AND r.number = i.revision), '')
		FROM items i WHERE `+where+` ORDER BY i.updated DESC, i.id DESC LIMIT `+placeholder(len(args)-1)+` OFFSET `+placeholder(len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", q.Kind, err)
	}
	defer rows.Close()
	var out []EditRow
	byID := map[int64]int{}
	for rows.Next() {
		var r EditRow
		var shared, updated string
		var draft int
		var pub, unpub sql.NullString
		if err := rows.Scan(&r.ID, &r.Key, &r.SourceLang, &shared, &draft, &pub, &unpub, &updated, &r.Revision, &r.UpdatedBy); err != nil {
			return nil, 0, fmt.Errorf("list %s: %w", q.Kind, err)
		}
		r.Shared, r.Draft = json.RawMessage(shared), draft != 0
		r.PublishAt, r.UnpublishAt = parseTime(pub), parseTime(unpub)
		r.Updated, _ = time.Parse(timeLayout, updated)
		r.Status = status(r.Draft, r.PublishAt, r.UnpublishAt, db.now())
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", q.Kind, err)
	}
	rows.Close()
	if err := db.editTexts(ctx, q, out, byID); err != nil {
		return nil, 0, err
	}
	if err := db.editMembers(ctx, q.Kind, out, byID); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// status is an item's status at now.
func status(draft bool, publishAt, unpublishAt, now time.Time) string {
	now = now.Truncate(time.Second)
	switch {
	case draft:
		return StatusDraft
	case !publishAt.IsZero() && now.Before(publishAt):
		return StatusScheduled
	case !unpublishAt.IsZero() && !now.Before(unpublishAt):
		return StatusUnpublished
	}
	return StatusPublished
}

// editTexts fills the rows' languages and titles with one query for the page.
func (db *DB) editTexts(ctx context.Context, q EditQuery, out []EditRow, byID map[int64]int) error {
	in, args := idList(out)
	rows, err := db.query(ctx, `SELECT item_id, lang, title FROM texts WHERE item_id IN (`+in+`) ORDER BY item_id, lang`, args...)
	if err != nil {
		return fmt.Errorf("list %s: texts: %w", q.Kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var lang, title string
		if err := rows.Scan(&id, &lang, &title); err != nil {
			return fmt.Errorf("list %s: texts: %w", q.Kind, err)
		}
		r := &out[byID[id]]
		r.Langs = append(r.Langs, lang)
		if lang == q.Lang || (lang == r.SourceLang && r.TitleLang != q.Lang) {
			r.Title, r.TitleLang = title, lang
		}
	}
	return rows.Err()
}

// editMembers fills the rows' members from their facets: an event's host, a learning
// opportunity's members, a story's or resource's authors' (derived when saved).
func (db *DB) editMembers(ctx context.Context, kind alliance.Kind, out []EditRow, byID map[int64]int) error {
	switch kind {
	case alliance.KindEvent, alliance.KindLearning, alliance.KindStory, alliance.KindResource:
	default:
		return nil
	}
	in, args := idList(out)
	rows, err := db.query(ctx, `SELECT item_id, value FROM facets WHERE name = 'member' AND item_id IN (`+in+`) ORDER BY item_id, value`, args...)
	if err != nil {
		return fmt.Errorf("list %s: members: %w", kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m string
		if err := rows.Scan(&id, &m); err != nil {
			return fmt.Errorf("list %s: members: %w", kind, err)
		}
		r := &out[byID[id]]
		r.Members = append(r.Members, m)
	}
	return rows.Err()
}

func idList(rows []EditRow) (string, []any) {
	var b strings.Builder
	args := make([]any, len(rows))
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(placeholder(i + 1))
		args[i] = r.ID
	}
	return b.String(), args
}

// ItemTitles lists up to limit items of kind (drafts included) by key, with their title in
// lang, else in their source language, else their key: the choices of a reference in the back
// office. more reports that the kind has more than limit.
func (db *DB) ItemTitles(ctx context.Context, kind alliance.Kind, lang string, limit int) (out []MemberName, more bool, err error) {
	rows, err := db.query(ctx, `
		SELECT i.key, COALESCE(
			(SELECT t.title FROM texts t WHERE t.item_id = i.id AND t.lang = $1 AND t.title <> ''),
			(SELECT t.title FROM texts t WHERE t.item_id = i.id AND t.lang = i.source_lang AND t.title <> ''),
			i.key)
		FROM items i WHERE i.kind = $2 ORDER BY i.key LIMIT $3`, lang, string(kind), limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("list %s: %w", kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m MemberName
		if err := rows.Scan(&m.Key, &m.Name); err != nil {
			return nil, false, fmt.Errorf("list %s: %w", kind, err)
		}
		out = append(out, m)
	}
	if len(out) > limit {
		return out[:limit], true, rows.Err()
	}
	return out, false, rows.Err()
}

// Referrers returns the items that refer to the item kind/key (by their Refs), as "kind/key":
// what deleting it would leave pointing at nothing. It reads the items whose shared fields
// hold the key as a JSON string, then asks each whether it refers to it.
func (tx *Tx) Referrers(ctx context.Context, kind alliance.Kind, key string) ([]string, error) {
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(`"`+key+`"`) + "%"
	rows, err := tx.tx.QueryContext(ctx, `SELECT kind, key, shared FROM items WHERE shared LIKE $1 ESCAPE '\' ORDER BY kind, key`, pattern)
	if err != nil {
		return nil, fmt.Errorf("referrers of %s %s: %w", kind, key, markUnavailable(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k, ky, shared string
		if err := rows.Scan(&k, &ky, &shared); err != nil {
			return nil, fmt.Errorf("referrers of %s %s: %w", kind, key, markUnavailable(err))
		}
		ki, ok := alliance.InfoOf(alliance.Kind(k))
		if !ok {
			continue
		}
		s := ki.NewShared()
		if json.Unmarshal([]byte(shared), s) != nil {
			continue
		}
		for _, r := range s.Refs() {
			if r.Kind == kind && r.Key == key {
				out = append(out, k+"/"+ky)
				break
			}
		}
	}
	return out, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// editTitles is an item's titles column: each text's title in lower case, one a line, in the
// texts' order, for the list's words (EditQuery.Words); written with the item (saveItem).
func editTitles(texts []alliance.Text) string {
	var b strings.Builder
	for i, t := range texts {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.ToLower(t.Title))
	}
	return b.String()
}

// editLangs is an item's langs column: its texts' languages as ",en,fr,", for the list's
// missing language (EditQuery.Missing); "" when it has none.
func editLangs(texts []alliance.Text) string {
	if len(texts) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range texts {
		b.WriteString(",")
		b.WriteString(t.Lang)
	}
	b.WriteString(",")
	return b.String()
}

// editIDs returns the ids a query of ids and their updated times selects, in its order.
func (db *DB) editIDs(ctx context.Context, query string, args []any) ([]int64, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var updated string
		if err := rows.Scan(&id, &updated); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// indexTitleWords rewrites the rows of title_words of the item it, just written: the words of
// its texts' titles (search.Folded), for the list's words (EditQuery.Words). One statement for
// them all, its rows padded to a power of two (the last repeated, which ON CONFLICT drops) so
// that it comes in a few shapes.
func (tx *Tx) indexTitleWords(ctx context.Context, it *alliance.Item) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM title_words WHERE item_id = $1`, it.ID); err != nil {
		return fmt.Errorf("save %s %s title words: %w", it.Kind, it.Key, err)
	}
	var words []string
	seen := map[string]bool{}
	for _, t := range it.Texts {
		for _, w := range search.Folded(t.Title) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	if len(words) == 0 {
		return nil
	}
	n := padded(len(words))
	args := make([]any, 0, 2+n)
	args = append(args, string(it.Kind), it.ID)
	var b strings.Builder
	b.WriteString(`INSERT INTO title_words (kind, item_id, word) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, words[min(i, len(words)-1)])
		b.WriteString("($1, $2, " + placeholder(len(args)) + ")")
	}
	b.WriteString(` ON CONFLICT DO NOTHING`)
	if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("save %s %s title words: %w", it.Kind, it.Key, err)
	}
	return nil
}

// reindexTitleWords writes the titles' words of every item: after migration 0018, for the
// items stored before it.
func (tx *Tx) reindexTitleWords(ctx context.Context) error {
	rows, err := tx.tx.QueryContext(ctx, `SELECT i.id, i.kind, i.key, t.title FROM items i JOIN texts t ON t.item_id = i.id ORDER BY i.id`)
	if err != nil {
		return fmt.Errorf("title words: %w", err)
	}
	var items []*alliance.Item
	for rows.Next() {
		var id int64
		var kind, key, title string
		if err := rows.Scan(&id, &kind, &key, &title); err != nil {
			rows.Close()
			return fmt.Errorf("title words: %w", err)
		}
		if len(items) == 0 || items[len(items)-1].ID != id {
			items = append(items, &alliance.Item{ID: id, Kind: alliance.Kind(kind), Key: key})
		}
		last := items[len(items)-1]
		last.Texts = append(last.Texts, alliance.Text{Title: title})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("title words: %w", err)
	}
	for _, it := range items {
		if err := tx.indexTitleWords(ctx, it); err != nil {
			return err
		}
	}
	return nil
}
