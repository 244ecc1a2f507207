package admin

import "strings"

// diffLine is one line of a line diff: Op is '=' (in both), '-' (only in the old text), '+'
// (only in the new) or '…' (unchanged lines left out).
type diffLine struct {
	Op   rune
	Text string
}

// diffContext is how many unchanged lines are kept around a change.
const diffContext = 2

// maxDiffCells bounds the longest-common-subsequence table (lines × lines): past it, the
// changed middle of two texts is shown as removed and added whole. Bodies are limited in size
// (internal/markdown), so this is only reached by texts of thousands of lines both sides.
const maxDiffCells = 4 << 20

// lineDiff is the difference of two texts line by line: the lines they share from their
// longest common subsequence, the others as removed or added, with unchanged runs longer than
// the context shortened to a gap. A small LCS is enough here: bodies are pages of text, and
// a library would add a dependency for one table.
func lineDiff(a, b string) []diffLine {
	x, y := splitLines(a), splitLines(b)
	// The common head and tail need no table.
	head := 0
	for head < len(x) && head < len(y) && x[head] == y[head] {
		head++
	}
	tail := 0
	for tail < len(x)-head && tail < len(y)-head && x[len(x)-1-tail] == y[len(y)-1-tail] {
		tail++
	}
	var all []diffLine
	for _, l := range x[:head] {
		all = append(all, diffLine{'=', l})
	}
	all = append(all, middleDiff(x[head:len(x)-tail], y[head:len(y)-tail])...)
	for _, l := range x[len(x)-tail:] {
		all = append(all, diffLine{'=', l})
	}
	return withContext(all)
}

// middleDiff diffs two runs of lines with a table of the lengths of their longest common
// subsequences from each pair of positions.
func middleDiff(x, y []string) []diffLine {
	var out []diffLine
	if len(x)*len(y) > maxDiffCells {
		for _, l := range x {
			out = append(out, diffLine{'-', l})
		}
		for _, l := range y {
			out = append(out, diffLine{'+', l})
		}
		return out
	}
	w := len(y) + 1
	lcs := make([]int32, (len(x)+1)*w)
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			out = append(out, diffLine{'=', x[i]})
			i++
			j++
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			out = append(out, diffLine{'-', x[i]})
			i++
		default:
			out = append(out, diffLine{'+', y[j]})
			j++
		}
	}
	for ; i < len(x); i++ {
		out = append(out, diffLine{'-', x[i]})
	}
	for ; j < len(y); j++ {
		out = append(out, diffLine{'+', y[j]})
	}
	return out
}

// withContext keeps the unchanged lines within diffContext of a change, and one gap line for
// each run left out.
func withContext(all []diffLine) []diffLine {
	near := make([]bool, len(all))
	for i, l := range all {
		if l.Op == '=' {
			continue
		}
		for k := max(0, i-diffContext); k <= min(len(all)-1, i+diffContext); k++ {
			near[k] = true
		}
	}
	var out []diffLine
	for i, l := range all {
		switch {
		case near[i]:
			out = append(out, l)
		case len(out) == 0 || out[len(out)-1].Op != '…':
			out = append(out, diffLine{Op: '…'})
		}
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
