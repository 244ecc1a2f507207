package alliance

import "testing"

// An event's image, like a story's, needs its alt text in every language, and is a media
// reference (checked at import, offered by the back office's image list).
func TestEventImageNeedsItsAltText(t *testing.T) {
	ev := &Event{Image: "images/forum.jpg"}
	for _, c := range []struct {
		name string
		ev   *Event
		text *EventText
		want int
	}{
		{"image without alt", ev, &EventText{Venue: "Aula"}, 1},
		{"image with blank alt", ev, &EventText{Alt: "  "}, 1},
		{"image with alt", ev, &EventText{Alt: "Arches and mountains"}, 0},
		{"no image", &Event{}, &EventText{}, 0},
	} {
		var check Check
		c.ev.ValidateText(c.text, &check)
		if len(check.Errors) != c.want || (c.want > 0 && (check.Errors[0].Field != "alt" || check.Errors[0].Problem != ProblemAlt)) {
			t.Errorf("%s: %+v, want %d alt problem(s)", c.name, check.Errors, c.want)
		}
	}
	refs := MediaRefs(ev)
	if len(refs) != 1 || refs[0].Field != "image" || refs[0].Key != "images/forum.jpg" {
		t.Errorf("MediaRefs = %+v, want the image", refs)
	}
}
