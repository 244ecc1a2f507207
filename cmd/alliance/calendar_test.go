package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alliance-platform/alliance"
	"github.com/alliance-platform/alliance/internal/store"
	"github.com/alliance-platform/alliance/internal/store/storetest"
)

// /{lang}/calendar.ics holds the events not yet ended and the deadlines still ahead, as many of
// each kind as its limit allows, those ending (closing) soonest first, and nothing past; with
// the page cache on, an event leaves it on the first request after its end, and the next one
// beyond the limit comes in. The limit is lowered rather than thousands of items written.
func TestCalendarHoldsWhatIsAheadSoonestFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := &settableClock{t: testNow}
		m := startSiteWithClock(t, dbURL, clock)
		list := func(q store.Query) []*alliance.Item {
			t.Helper()
			items, err := m.DB.List(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return items
		}
		upcoming := list(store.Query{Kind: alliance.KindEvent, EndsAfter: testNow, Order: store.Ending})
		past := list(store.Query{Kind: alliance.KindEvent, EndsBefore: testNow, Order: store.Newest, Limit: 1})
		open := list(store.Query{Kind: alliance.KindCall, ClosesAfter: testNow, Order: store.Closing})
		var closed []*alliance.Item
		for _, c := range list(store.Query{Kind: alliance.KindCall}) {
			if !c.Closes.After(testNow) {
				closed = append(closed, c)
			}
		}
		if len(upcoming) < 2 || len(past) == 0 || len(open) == 0 || len(closed) == 0 {
			t.Fatalf("the demo has %d upcoming and %d past events, %d open and %d closed calls: the test needs some of each",
				len(upcoming), len(past), len(open), len(closed))
		}
		for i := 1; i < len(upcoming); i++ {
			if upcoming[i].Ends.Before(upcoming[i-1].Ends) {
				t.Errorf("Ending order: %s ends before %s", upcoming[i].Key, upcoming[i-1].Key)
			}
		}
		// An event beyond all the others, past the limit of as many as were upcoming.
		far := &alliance.Item{Kind: alliance.KindEvent, Key: "calendar-far-ahead", SourceLang: "en",
			Data:  &alliance.Event{Timezone: "Europe/Brussels", Start: "2031-03-03T09:00", End: "2031-03-03T17:00", Attendance: "online"},
			Texts: []alliance.Text{{Lang: "en", Slug: "calendar-far-ahead", Title: "An event far ahead", Summary: "Beyond the others."}}}
		if err := m.DB.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Save(ctx, far, alliance.Change{UserName: "test"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		m.site.SetCalendarLimit(len(upcoming))
		uid := func(it *alliance.Item) string { return "UID:event-" + it.Key + "@127.0.0.1\r\n" }
		deadline := func(it *alliance.Item) string { return "UID:call-" + it.Key + "-deadline@127.0.0.1\r\n" }
		check := func(when string, holds, lacks []string, events int) {
			t.Helper()
			for i := 0; i < 2; i++ { // the second from the page cache
				r := get(t, m, "/en/calendar.ics")
				if r.status != http.StatusOK {
					t.Fatalf("%s: GET /en/calendar.ics = %d", when, r.status)
				}
				for _, s := range holds {
					if !strings.Contains(r.body, s) {
						t.Errorf("%s: the calendar lacks %q", when, strings.TrimSpace(s))
					}
				}
				for _, s := range lacks {
					if strings.Contains(r.body, s) {
						t.Errorf("%s: the calendar holds %q", when, strings.TrimSpace(s))
					}
				}
				if n := strings.Count(r.body, "UID:event-"); n != events {
					t.Errorf("%s: %d events in the calendar, want %d", when, n, events)
				}
			}
		}
		var holds, lacks []string
		for _, ev := range upcoming {
			holds = append(holds, uid(ev))
		}
		// The limit is of each kind: the calls closing soonest are there, the others not.
		for i, c := range open {
			if i < len(upcoming) {
				holds = append(holds, deadline(c))
			} else {
				lacks = append(lacks, deadline(c))
			}
		}
		for _, c := range closed {
			lacks = append(lacks, deadline(c))
		}
		lacks = append(lacks, uid(past[0]), uid(far))
		check("at the limit", holds, lacks, len(upcoming))

		// When the soonest ends, it leaves, and the one beyond the limit comes in.
		clock.Set(upcoming[0].Ends)
		check("when the soonest event ends", append(holds[1:len(upcoming)], uid(far)), []string{uid(upcoming[0]), uid(past[0])}, len(upcoming))

		// A call's deadline leaves at its instant.
		clock.Set(open[0].Closes.Add(-time.Second))
		check("a second before a deadline", []string{deadline(open[0])}, nil, strings.Count(get(t, m, "/en/calendar.ics").body, "UID:event-"))
		clock.Set(open[0].Closes)
		check("at the deadline", nil, []string{deadline(open[0])}, strings.Count(get(t, m, "/en/calendar.ics").body, "UID:event-"))
	})
}

// An event with an image shows it as a story does: on its page, as the lead image with its alt
// text in the page's language and its srcset of smaller copies, on its card in the listing, and
// in the events' feeds.
func TestEventPageShowsItsImage(t *testing.T) {
	m := startSiteOn(t, storetest.NewURL(t, store.SQLite), true)
	page := get(t, m, "/fr/evenements/forum-des-open-labs-2027/")
	if page.status != http.StatusOK {
		t.Fatalf("the event's page = %d", page.status)
	}
	src := "/media/images/stories/open-labs-forum-2027-granada.jpg"
	for _, want := range []string{`<figure class="lead-image">`, `src="` + src + `"`, `srcset="` + src + `?w=`,
		`alt="Des arcs outrepassés au premier plan, une muraille rougeâtre et des sommets enneigés à l&#39;arrière-plan"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the event's page lacks %q", want)
		}
	}
	if list := get(t, m, "/fr/evenements/"); !strings.Contains(list.body, `src="`+src+`"`) {
		t.Errorf("the events listing shows no image on the event's card")
	}
	// The events' feeds carry it as a story's do.
	found := false
	for _, it := range readJSONFeed(t, m, "/fr/evenements/feed.json").Items {
		found = found || (strings.HasSuffix(it.URL, "/forum-des-open-labs-2027/") && it.Image == m.URL()+src)
	}
	if !found {
		t.Errorf("the events' JSON Feed has no image for the event")
	}
	if atom := get(t, m, "/fr/evenements/feed.atom").body; !strings.Contains(atom, `<link rel="enclosure" type="image/jpeg" href="`+m.URL()+src+`"`) {
		t.Errorf("the events' Atom feed has no enclosure for the event's image")
	}
}
