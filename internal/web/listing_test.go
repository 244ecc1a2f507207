package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/alliance-platform/alliance/internal/locale"
)

// The pager links the first and last pages and two on each side of the current one, with a
// gap for the pages between: a listing of thousands of pages has a pager of a few links.
func TestPagerLinksAWindowOfPages(t *testing.T) {
	rc := &request{Lang: "de", L: locale.MustGet("de")}
	for _, c := range []struct {
		page, pages int
		want        string
	}{
		{1, 1, ""},
		{1, 2, "[1] 2"},
		{4, 7, "1 2 3 [4] 5 6 7"},
		{1, 8, "[1] 2 3 … 8"},
		{5, 9, "1 … 3 4 [5] 6 7 … 9"},
		{4, 9, "1 2 3 [4] 5 6 … 9"},
		{1847, 1847, "1 … 1845 1846 [1847]"},
	} {
		p := paginate(rc, "/de/news/", nil, c.page, c.pages*pageSize)
		var got []string
		if p != nil {
			for _, l := range p.Pages {
				switch {
				case l.Gap:
					got = append(got, "…")
				case l.Current:
					got = append(got, "["+strconv.Itoa(l.N)+"]")
				default:
					got = append(got, strconv.Itoa(l.N))
				}
			}
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("page %d of %d: %q, want %q", c.page, c.pages, s, c.want)
		}
	}
}
