package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
)

const pageSize = 12

// card is an item in a listing.
type card struct {
	URL, Title, Summary string
	Lang                string // lang of title and summary when not the page's
	Date, DateISO       string
	Image, ImageAlt     string
	Meta                []string
	Badge, BadgeClass   string
	H2                  bool // heading level 2, in listings where cards sit right under the h1
}

// filter is one control of a listing's filter form.
type filter struct {
	Name, Label string
	Options     []option
	Checkbox    bool
	Checked     bool
}

type option struct {
	Value, Label string
	Selected     bool
}

// listing is the data of a listing page.
type listing struct {
	Intro    string
	Filters  []filter
	Filtered bool
	ResetURL string
	Count    string
	Cards    []card
	Pager    *pager
	// Extra holds listing-specific data (such as a second list).
	Extra any
}

type pager struct {
	Label              string // "Page 2 of 3"
	Nav                string // the navigation's accessible name
	PrevText, NextText string
	Prev, Next         string
	Pages              []pageLink
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // pages left out between two links: shown as "…"
}

// errBadFilter means a filter has a value none of its options has.
type errBadFilter struct{ name string }

func (e errBadFilter) Error() string { return "unknown value for filter " + e.name }

// selectFilter builds a select control from options and reads its value from the query. An
// unknown value is an error, so that a mistyped link does not silently show everything.
func selectFilter(q url.Values, name, label, anyLabel string, opts []option) (filter, string, error) {
	val := q.Get(name)
	f := filter{Name: name, Label: label, Options: append([]option{{Value: "", Label: anyLabel}}, opts...)}
	found := val == ""
	for i := range f.Options {
		if f.Options[i].Value == val {
			f.Options[i].Selected = true
			found = true
		}
	}
	if !found {
		return f, "", errBadFilter{name}
	}
	return f, val, nil
}

// termOptions lists the terms of a vocabulary as filter options, in the visitor's language.
func (s *Server) termOptions(r *http.Request, rc *request, kind alliance.Kind) ([]option, map[string]string, error) {
	terms, loaded := rc.terms[kind]
	if !loaded {
		cards, err := s.db.Cards(r.Context(), rc.Lang, store.Query{Kind: kind})
		if err != nil {
			return nil, nil, err
		}
		opts := make([]option, 0, len(cards))
		labels := make(map[string]string, len(cards))
		for i := range cards {
			t, _ := textOf[alliance.NoText](&cards[i])
			opts = append(opts, option{Value: cards[i].Key, Label: t.Title})
			labels[cards[i].Key] = t.Title
		}
		return opts, labels, nil
	}
	opts := make([]option, 0, len(terms))
	labels := make(map[string]string, len(terms))
	for _, t := range terms {
		txt, _ := t.Best(rc.Lang)
		opts = append(opts, option{Value: t.Key, Label: txt.Title})
		labels[t.Key] = txt.Title
	}
	return opts, labels, nil
}

// maxPage is the largest page number read: beyond it, every listing is past its end (404),
// and (page-1)*pageSize cannot overflow.
const maxPage = 1 << 20

// pageNumber reads ?page=; ok is false when it is not a positive number. A number larger than
// any listing's last page reads as maxPage+1, past the end.
func pageNumber(q url.Values) (int, bool) {
	p := q.Get("page")
	if p == "" {
		return 1, true
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 {
		return 0, false
	}
	return min(n, maxPage+1), true
}

// query is what the listing understood of its URL, in a canonical order: the value of each
// filter that selects something, and the page number after the first. Its canonical link,
// its pager's links and its cache key are made of these and nothing else.
func (l *listing) query() url.Values {
	return listingQuery(l.Filters, l.page())
}

// page is the listing's page number, from its pager (a listing without one has one page).
func (l *listing) page() int {
	if l.Pager != nil {
		for _, p := range l.Pager.Pages {
			if p.Current {
				return p.N
			}
		}
	}
	return 1
}

// listingQuery is the query of page of a listing filtered by filters.
func listingQuery(filters []filter, page int) url.Values {
	v := url.Values{}
	for _, f := range filters {
		if f.Checkbox {
			if f.Checked {
				v.Set(f.Name, "1")
			}
			continue
		}
		for _, o := range f.Options {
			if o.Selected && o.Value != "" {
				v.Set(f.Name, o.Value)
			}
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// paginate builds the pager of a listing of total items shown pageSize at a time; its links
// keep the filters, and nothing else of the URL.
func paginate(rc *request, base string, filters []filter, page, total int) *pager {
	pages := (total + pageSize - 1) / pageSize
	if pages <= 1 {
		return nil
	}
	at := func(n int) string {
		if q := listingQuery(filters, n).Encode(); q != "" {
			return base + "?" + q
		}
		return base
	}
	p := &pager{Label: rc.L.T("pager.page", "n", rc.L.Int(page), "total", rc.L.Int(pages)), Nav: rc.L.T("pager.label"),
		PrevText: rc.L.T("pager.prev"), NextText: rc.L.T("pager.next")}
	if page > 1 {
		p.Prev = at(page - 1)
	}
	if page < pages {
		p.Next = at(page + 1)
	}
	for n := 1; n <= pages; n++ {
		// The first and last pages and those around the current one: a link to every page
		// was 1,847 links, and as many URLs built, on the news of a site of 100,000 items.
		if n > 1 && n < pages && (n < page-pagerReach || n > page+pagerReach) {
			if last := len(p.Pages) - 1; !p.Pages[last].Gap {
				p.Pages = append(p.Pages, pageLink{Gap: true})
			}
			continue
		}
		p.Pages = append(p.Pages, pageLink{N: n, URL: at(n), Current: n == page})
	}
	return p
}

// pagerReach is how many pages on each side of the current one the pager links.
const pagerReach = 2

// badRequest answers a malformed query with a 400 page in the visitor's language.
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, lang string) {
	s.errorPage(w, r, lang, http.StatusBadRequest, "error.400_title", "error.400_text")
}

// dataOf returns a card's shared fields: the store decodes them into their kind's Go type, and
// a handler reads only the kinds it asked for (an empty value would mean a bug, not bad data).
func dataOf[T any](c *store.Card) *T {
	if v, ok := any(c.Data).(*T); ok {
		return v
	}
	return new(T)
}

// noText is the text of an item with none in the page's language or its source language.
var noText = &store.CardText{}

// textOf returns the text a page shows of a card, and its translated fields as the kind's Go
// type.
func textOf[T any](c *store.Card) (*store.CardText, *T) {
	t := c.Text
	if t == nil {
		t = noText
	}
	if v, ok := t.Data.(*T); ok {
		return t, v
	}
	return t, new(T)
}

// isoDate formats t for a <time datetime> attribute.
func isoDate(t time.Time) string { return t.Format("2006-01-02") }

// now is the request's clock.
func (s *Server) now() time.Time { return s.cfg.Clock() }
