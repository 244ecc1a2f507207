package markdown

import (
	"fmt"
	"strings"
)

// Limits on a Markdown text (docs/content-format.md). Parsing nested containers (lists and block
// quotes) costs time in proportion to their depth on every line, so 50,000 nested list items (100 KB)
// took 5.4 s to render; within the limits the time grows with the size of the text only.
const (
	// MaxSize is the largest text, in bytes: 1 MiB, some 150,000 words.
	MaxSize = 1 << 20
	// MaxDepth is the deepest nesting of lists and block quotes.
	MaxDepth = 32
	// MaxBrackets is the most "[" (links, images and brackets) in one paragraph: goldmark's time
	// grows with their square within a paragraph (64,000 lines "[a](" in one took 2 s; 1 MiB of
	// them on one line, minutes), and a paragraph is counted until the next blank line.
	MaxBrackets = 1000
)

// LimitError reports a text beyond one of the limits, at a line of the text (1 is its first).
type LimitError struct {
	Line    int
	Message string
}

func (e *LimitError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// Check returns a *LimitError when src is larger or nested deeper than the limits allow, else nil.
// It reads src once, line by line, without parsing it, so that it is cheap on exactly the texts
// that are slow to parse.
func Check(src string) error {
	if len(src) > MaxSize {
		return &LimitError{Line: 1, Message: fmt.Sprintf("the text is %d bytes; at most %d (1 MiB) are allowed", len(src), MaxSize)}
	}
	if line, depth := deeper(src, MaxDepth); line > 0 {
		return &LimitError{Line: line, Message: fmt.Sprintf("lists and quotes are nested %d deep; at most %d levels are allowed", depth, MaxDepth)}
	}
	if line := crowded(src, MaxBrackets); line > 0 {
		return &LimitError{Line: line, Message: fmt.Sprintf("the paragraph holds more than %d links or brackets (\"[\"); split it with blank lines", MaxBrackets)}
	}
	return nil
}

// crowded returns the line (from 1) where a paragraph — lines up to a blank one — first holds more
// than max "[", or 0.
func crowded(src string, max int) int {
	n, count := 1, 0
	blank := true // the current line holds only spaces so far
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\n':
			if blank {
				count = 0
			}
			n++
			blank = true
		case '[':
			blank = false
			if count++; count > max {
				return n
			}
		case ' ', '\t', '\r':
		default:
			blank = false
		}
	}
	return 0
}

// deeper returns the first line (from 1) where lists and block quotes nest more than max deep,
// and its depth, or 0. It estimates how deep lists and block quotes nest, without parsing: it keeps the content
// columns of the containers open at each line (a line indented less than a container's content
// closes it, as in CommonMark) and adds the markers the line opens. A lazy continuation line can
// make that stack too short, so the depth of a line with markers is also at least its indentation
// over four plus its markers: a text cannot nest far beyond the limit however it is written.
// Code is counted like the rest, so that a fence the parser does not see as one cannot hide
// anything.
func deeper(src string, max int) (line, depth int) {
	var open []int // content column of each open container, innermost last
	n := 0
	for len(src) > 0 {
		n++
		var l string
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			l, src = src, ""
		}
		col, i := indent(l, 0, 0)
		if i == len(l) {
			continue // a blank line closes nothing by itself
		}
		for len(open) > 0 && open[len(open)-1] > col {
			open = open[:len(open)-1]
		}
		markers := 0
		for {
			end, ok := marker(l, i)
			if !ok {
				break
			}
			markers++
			after := col + (end - i)
			spaceCol, next := indent(l, after, end)
			content := spaceCol
			if spaceCol-after > 4 || next == len(l) {
				content = after + 1 // indented code or an empty item: content one column after the marker
			}
			open = append(open, content)
			col, i = spaceCol, next
		}
		if markers == 0 {
			continue
		}
		d := len(open)
		if byIndent := firstCol(l)/4 + markers; byIndent > d {
			d = byIndent
		}
		if d > max {
			return n, d
		}
	}
	return 0, 0
}

// indent skips spaces and tabs (to the next multiple of 4) in l from byte i at column col.
func indent(l string, col, i int) (int, int) {
	for ; i < len(l); i++ {
		switch l[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col, i
		}
	}
	return col, i
}

func firstCol(l string) int {
	col, _ := indent(l, 0, 0)
	return col
}

// marker reports whether a container marker starts at l[i] — ">", or "-", "+", "*" or up to nine
// digits and "." or ")" followed by a space, a tab or the end of the line — and where it ends.
func marker(l string, i int) (int, bool) {
	if i >= len(l) {
		return 0, false
	}
	end := i
	switch c := l[i]; {
	case c == '>':
		return i + 1, true
	case c == '-' || c == '+' || c == '*':
		end = i + 1
	case c >= '0' && c <= '9':
		for end < len(l) && end-i < 9 && l[end] >= '0' && l[end] <= '9' {
			end++
		}
		if end == len(l) || (l[end] != '.' && l[end] != ')') {
			return 0, false
		}
		end++
	default:
		return 0, false
	}
	if end < len(l) && l[end] != ' ' && l[end] != '\t' {
		return 0, false
	}
	return end, true
}
