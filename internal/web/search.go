package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/search"
	"github.com/alliance-platform/alliance/internal/store"
)

// searchSection is the id of the search page's slug in internal/locale: a page of its own, not
// a section of the menu (sections.go), routed by handleLocalized.
const searchSection = "search"

// searchPage is the data of the search page.
type searchPage struct {
	Query   string // as typed, trimmed
	Base    string // the page's URL without a query: the forms' action
	Message string // a search refused or finding nothing, said as such
	Count   string
	Kinds   []searchKind // the filter by kind: every kind with a match, and all of them
	Results []searchResult
	Pager   *pager
}

// searchKind is a link of the filter by kind.
type searchKind struct {
	Label, URL string
	Count      string
	Current    bool
}

// searchResult is one item found.
type searchResult struct {
	URL, Title    string
	Lang          string // the text's language, when not the page's (a fallback)
	Kind          string
	Date, DateISO string
	Snippet       []search.Segment
}

// searchSections are the sections of the kinds the search finds; pages are the menu's.
var searchSections = map[alliance.Kind]string{alliance.KindStory: "news", alliance.KindEvent: "events",
	alliance.KindLearning: "learn", alliance.KindResource: "resources", alliance.KindCall: "calls", alliance.KindMember: "members"}

// searchPage serves /{lang}/{search slug}/?q=…&kind=…&page=N. Its results are never kept in the
// page cache: there are as many URLs as queries, and each would push out a page that many
// visitors read; a search costs a few milliseconds, about what rendering a page does.
// queryMaxLength is the search boxes' maxlength: the store's limit, so that a browser stops
// where the store would refuse.
var queryMaxLength = strconv.Itoa(store.MaxQueryBytes)

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, rc *request) {
	rc.cacheKey = pageKey{}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.badRequest(w, r, rc.Lang)
		return
	}
	page, ok := pageNumber(q)
	kind := alliance.Kind(q.Get("kind"))
	if !ok || (kind != "" && !slices.Contains(store.SearchKinds, kind)) {
		s.badRequest(w, r, rc.Lang)
		return
	}
	text := strings.TrimSpace(q.Get("q"))
	base := rc.sectionURL(rc.Lang, searchSection)
	sp := &searchPage{Query: text, Base: base}
	at := func(kind alliance.Kind, page int) string {
		v := url.Values{"q": {text}}
		if kind != "" {
			v.Set("kind", string(kind))
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return base + "?" + v.Encode()
	}
	if text != "" {
		res, err := s.db.Search(r.Context(), store.SearchQuery{Lang: rc.Lang, Text: text, Kind: kind, Limit: pageSize, Offset: (page - 1) * pageSize})
		switch {
		case errors.Is(err, store.ErrQueryTooLong):
			sp.Message = rc.L.T("search.too_long", "words", rc.L.Int(store.MaxQueryWords), "chars", rc.L.Int(store.MaxQueryBytes))
		case err != nil:
			s.fail(w, r, rc.Lang, err)
			return
		case page > 1 && (page-1)*pageSize >= res.Total:
			s.notFound(w, r, rc.Lang)
			return
		case res.Total == 0:
			sp.Message = rc.L.T("search.none", "q", text)
		case res.KindCapped || (kind == "" && res.Capped):
			sp.Count = rc.L.T("search.results_capped", "count", rc.L.N("results.count", store.SearchCap), "q", text)
		default:
			sp.Count = rc.L.T("search.results", "count", rc.L.N("results.count", res.Total), "q", text)
		}
		if err == nil && len(res.Counts) > 0 {
			all := 0
			for _, n := range res.Counts {
				all += n
			}
			// Counts are shown when they are whole: past the cap, a kind's share of the most
			// recent matches is not how many it has.
			count := func(n int) string {
				if res.Capped {
					return ""
				}
				return rc.L.Int(n)
			}
			sp.Kinds = append(sp.Kinds, searchKind{Label: rc.L.T("search.all"), URL: at("", 1), Count: count(all), Current: kind == ""})
			for _, k := range store.SearchKinds {
				if n := res.Counts[k]; n > 0 || k == kind || res.Capped {
					sp.Kinds = append(sp.Kinds, searchKind{Label: s.kindLabel(rc, k), URL: at(k, 1), Count: count(n), Current: k == kind})
				}
			}
			for _, h := range res.Hits {
				sp.Results = append(sp.Results, s.searchResult(rc, &h, res.Terms))
			}
			if pages := (res.Total + pageSize - 1) / pageSize; pages > 1 {
				p := &pager{Label: rc.L.T("pager.page", "n", rc.L.Int(page), "total", rc.L.Int(pages)), Nav: rc.L.T("pager.label"),
					PrevText: rc.L.T("pager.prev"), NextText: rc.L.T("pager.next")}
				if page > 1 {
					p.Prev = at(kind, page-1)
				}
				if page < pages {
					p.Next = at(kind, page+1)
				}
				// The first and last pages and those near this one: a common word finds
				// thousands of pages, which would otherwise be as many links.
				for n := 1; n <= pages; n++ {
					if n == 1 || n == pages || (n >= page-3 && n <= page+3) {
						p.Pages = append(p.Pages, pageLink{N: n, URL: at(kind, n), Current: n == page})
					}
				}
				sp.Pager = p
			}
		}
	}
	v := s.newView(r, rc, rc.L.T("search.title"), sameEverywhere(searchSection, rc))
	v.Robots = "noindex"
	v.Description = rc.L.T("search.intro")
	v.SearchQuery = text
	v.Crumbs = []link{{Title: rc.L.T("site.home"), Href: "/" + rc.Lang + "/"}}
	s.render(w, r, http.StatusOK, v, searchContent(v, sp))
}

// kindLabel names a kind in the filter: its section's name, or the pages'.
func (s *Server) kindLabel(rc *request, k alliance.Kind) string {
	if sec, ok := searchSections[k]; ok {
		return rc.L.T("section." + sec)
	}
	return rc.L.T("search.kind_page")
}

// searchResult makes a result of a hit: its URL as its section's or the menu's, its date, and
// its snippet with the query's words marked.
func (s *Server) searchResult(rc *request, h *store.SearchHit, terms map[string]bool) searchResult {
	res := searchResult{Title: h.Title, Kind: s.kindLabel(rc, h.Kind), Snippet: search.Highlight(h.Lang, h.Snippet, terms)}
	if h.Fallback {
		res.Lang = h.Lang
	}
	if sec, ok := searchSections[h.Kind]; ok {
		res.URL = slugURL(rc.Lang, sec, h.Slug)
	} else {
		res.URL = rc.pageURLIn(rc.Lang, h.Key)
	}
	if !h.Starts.IsZero() && h.Kind != alliance.KindMember && h.Kind != alliance.KindPage {
		res.Date, res.DateISO = rc.L.Date(h.Starts), h.Starts.Format(time.DateOnly)
	}
	return res
}
