package alliance

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestDiffNamesEveryChangedField(t *testing.T) {
	base := func() *Item {
		shared, _ := json.Marshal(&Event{Timezone: "Europe/Rome", Start: "2026-06-10T09:00", End: "2026-06-10T17:00", Attendance: "onsite", Audiences: []string{"students"}})
		return &Item{Kind: KindEvent, Key: "days", SourceLang: "en", Shared: shared, Texts: []Text{
			{Lang: "en", Slug: "days", Title: "Days", Body: "Come.", Fields: json.RawMessage(`{"venue":"Aula Magna"}`)},
			{Lang: "el", Slug: "imeres", Title: "Ημέρες", Fields: json.RawMessage(`{}`)},
		}}
	}
	for _, c := range []struct {
		name   string
		change func(it *Item)
		want   []Difference
	}{
		{"nothing", func(it *Item) {}, nil},
		{"a shared field", func(it *Item) {
			var e Event
			json.Unmarshal(it.Shared, &e)
			e.Attendance, e.Audiences = "mixed", []string{"students", "staff"}
			it.Shared, _ = json.Marshal(&e)
		}, []Difference{{"attendance", "onsite", "mixed"}, {"audiences", `["students"]`, `["students","staff"]`}}},
		{"a translated field and a title", func(it *Item) {
			it.Texts[0].Fields = json.RawMessage(`{"venue":"Great Hall"}`)
			it.Texts[1].Title = "Μέρες"
		}, []Difference{{"texts.el.title", "Ημέρες", "Μέρες"}, {"texts.en.venue", "Aula Magna", "Great Hall"}}},
		{"a text removed", func(it *Item) { it.Texts = it.Texts[:1] },
			[]Difference{{"texts.el.title", "Ημέρες", ""}, {"texts.el.slug", "imeres", ""}}},
		{"the schedule", func(it *Item) {
			it.Draft, it.PublishAt = true, time.Date(2026, 5, 1, 7, 0, 0, 0, time.UTC)
		}, []Difference{{"draft", "", "true"}, {"publish_at", "", "2026-05-01T07:00:00Z"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := base(), base()
			c.change(b)
			got := Diff(a.Snapshot(), b.Snapshot())
			if !slices.Equal(got, c.want) {
				t.Errorf("Diff = %+v, want %+v", got, c.want)
			}
			if (len(got) == 0) != a.Snapshot().Equal(b.Snapshot()) {
				t.Errorf("Equal disagrees with Diff")
			}
		})
	}
}

// A snapshot turned back into an item (a restore) gives the same snapshot.
func TestSnapshotRoundTrip(t *testing.T) {
	it := &Item{Kind: KindStory, Key: "s", SourceLang: "fr", Shared: json.RawMessage(`{"date":"2026-01-01","category":"x"}`),
		Draft: true, UnpublishAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		Texts: []Text{{Lang: "fr", Slug: "s", Title: "S", Body: "Corps", HTML: "<p>Corps</p>", Fields: json.RawMessage(`{"alt":"a"}`)}}}
	data, err := json.Marshal(it.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	var snap Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	back, err := snap.Item()
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(it.Snapshot(), back.Snapshot()); len(d) != 0 || back.Texts[0].HTML != "" || !back.Draft {
		t.Errorf("round trip: %+v, %+v", d, back)
	}
}
