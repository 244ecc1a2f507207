package admin

import (
	"strings"
	"testing"
)

func TestLineDiff(t *testing.T) {
	for _, tt := range []struct {
		name, a, b, want string
	}{
		{"same", "a\nb", "a\nb", "…"},
		{"added", "", "a\nb", "+a +b"},
		{"removed", "a\nb\n", "", "-a -b"},
		{"changed middle", "1\n2\n3\n4\n5\n6\n7", "1\n2\n3\nX\n5\n6\n7", "… =2 =3 -4 +X =5 =6 …"},
		{"moved", "a\nb\nc", "b\nc\na", "-a =b =c +a"},
		{"two changes", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj", "A\nb\nc\nd\ne\nf\ng\nh\ni\nJ", "-a +A =b =c … =h =i -j +J"},
	} {
		var got []string
		for _, l := range lineDiff(tt.a, tt.b) {
			if l.Op == '…' {
				got = append(got, "…")
			} else {
				got = append(got, string(l.Op)+l.Text)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, g, tt.want)
		}
	}
}

// Past the table's bound, the changed middle is shown removed and added whole.
func TestLineDiffLarge(t *testing.T) {
	var a, b []string
	for i := range 3000 {
		a = append(a, "old "+strings.Repeat("x", i%7))
		b = append(b, "new "+strings.Repeat("y", i%5))
	}
	d := lineDiff(strings.Join(a, "\n"), strings.Join(b, "\n"))
	if len(d) != 6000 || d[0].Op != '-' || d[5999].Op != '+' {
		t.Errorf("%d lines, first %q, last %q", len(d), d[0].Op, d[len(d)-1].Op)
	}
}
