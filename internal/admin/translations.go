package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/locale"
)

// The translation dashboard: per language, how many items of each kind lack a translation and
// how many translations are outdated (their source text changed since they were translated),
// and a page of either list with links to translate each item. A translator sees their
// languages; the other roles every language of the site.

// translationPageSize is how many items a list shows per page.
const translationPageSize = 50

// Which list the dashboard shows.
const (
	listMissing  = "missing"
	listOutdated = "outdated"
)

// translationLanguage is one language's table on the dashboard.
type translationLanguage struct {
	Lang, Name string
	Rows       []translationRow
}

// translationRow is one kind's counts in one language, with the links to its lists.
type translationRow struct {
	Kind                      string
	Items, Missing, Outdated  string
	MissingHref, OutdatedHref string
}

// translationList is a page of one list: one kind, one language.
type translationList struct {
	Title      string
	Lang       string
	Items      []translationListItem
	Page       int
	Pages      int
	Prev, Next string
}

type translationListItem struct {
	Title, Key, Source, SourceLang, Updated string
	TranslateHref, RevisionsHref            string
}

// dashboardLanguages are the languages the user translates into on the dashboard.
func dashboardLanguages(u *alliance.User, site *alliance.Site) []string {
	if u.Role != alliance.RoleTranslator {
		return site.Languages
	}
	var out []string
	for _, l := range site.Languages {
		if alliance.Can(u, alliance.Translate(l), alliance.Owned{}) {
			out = append(out, l)
		}
	}
	return out
}

func translationsHref(lang string, kind alliance.Kind, list string, page int) string {
	v := url.Values{"lang": {lang}, "kind": {string(kind)}, "list": {list}}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return prefix + "translations/?" + v.Encode()
}

func (h *Handler) translations(q *request) error {
	langs := dashboardLanguages(q.user, q.site)
	if len(langs) == 0 {
		return h.forbidden(q)
	}
	qs := q.r.URL.Query()
	if qs.Has("lang") || qs.Has("kind") || qs.Has("list") || qs.Has("page") {
		return h.translationList(q, langs)
	}
	p := h.page(q, q.l.B("tr.title"))
	p.Nav = "translations"
	counts, err := h.db.TranslationCounts(q.ctx, langs)
	if err != nil {
		return err
	}
	var tables []translationLanguage
	for _, c := range counts {
		if len(tables) == 0 || tables[len(tables)-1].Lang != c.Lang {
			tables = append(tables, translationLanguage{Lang: c.Lang, Name: languageAlone(q.l, c.Lang)})
		}
		if c.Items == 0 {
			continue
		}
		t := &tables[len(tables)-1]
		row := translationRow{Kind: q.l.B("kind." + string(c.Kind)), Items: q.l.Int(c.Items), Missing: q.l.Int(c.Missing), Outdated: q.l.Int(c.Outdated)}
		if c.Missing > 0 {
			row.MissingHref = translationsHref(c.Lang, c.Kind, listMissing, 1)
		}
		if c.Outdated > 0 {
			row.OutdatedHref = translationsHref(c.Lang, c.Kind, listOutdated, 1)
		}
		t.Rows = append(t.Rows, row)
	}
	return h.render(q, http.StatusOK, translationsPage(p, tables))
}

// translationList shows a page of the items of one kind missing, or outdated, in one language.
// Unknown values answer 400, a language the user does not translate into 403, a page past the
// end 404.
func (h *Handler) translationList(q *request, langs []string) error {
	qs := q.r.URL.Query()
	lang, kind, list := qs.Get("lang"), alliance.Kind(qs.Get("kind")), qs.Get("list")
	page := 1
	if s := qs.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return h.badRequest(q)
		}
		page = n
	}
	if _, ok := alliance.InfoOf(kind); !ok || (list != listMissing && list != listOutdated) || !q.site.HasLanguage(lang) {
		return h.badRequest(q)
	}
	if !slices.Contains(langs, lang) {
		return h.forbidden(q)
	}
	counts, err := h.db.TranslationCounts(q.ctx, []string{lang})
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		if c.Kind == kind {
			total = c.Missing
			if list == listOutdated {
				total = c.Outdated
			}
		}
	}
	pages := max(1, (total+translationPageSize-1)/translationPageSize)
	if page > pages {
		return h.notFound(q)
	}
	read := h.db.Untranslated
	titleKey := "tr.list_missing"
	if list == listOutdated {
		read, titleKey = h.db.Outdated, "tr.list_outdated"
	}
	items, err := read(q.ctx, lang, kind, (page-1)*translationPageSize, translationPageSize)
	if err != nil {
		return err
	}
	v := &translationList{Title: q.l.B(titleKey, "language", q.l.LanguageName(lang), "kind", q.l.B("kind."+string(kind))),
		Lang: lang, Page: page, Pages: pages}
	if page > 1 {
		v.Prev = translationsHref(lang, kind, list, page-1)
	}
	if page < pages {
		v.Next = translationsHref(lang, kind, list, page+1)
	}
	for _, it := range items {
		v.Items = append(v.Items, translationListItem{Title: it.Title, Key: it.Key, SourceLang: it.SourceLang,
			Source: languageAlone(q.l, it.SourceLang), Updated: when(q.l, it.Updated),
			TranslateHref: itemPath(kind, it.Key) + "translate/" + lang, RevisionsHref: itemPath(kind, it.Key) + "revisions/"})
	}
	p := h.page(q, v.Title)
	p.Nav = "translations"
	return h.render(q, http.StatusOK, translationListPage(p, v))
}

func (h *Handler) badRequest(q *request) error {
	return h.render(q, http.StatusBadRequest, messagePage(h.page(q, q.l.B("error.title")), q.l.B("error.badrequest"), prefix, q.l.B("nav.home")))
}

// languageAlone is a language's name shown on its own (a heading, a cell): capitalized.
func languageAlone(l *locale.Locale, code string) string {
	name := l.LanguageName(code)
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[size:]
}
