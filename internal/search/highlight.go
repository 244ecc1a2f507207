package search

// Segment is a piece of a snippet: text, marked when it is a word the query matched. A snippet
// is rendered segment by segment, each escaped, so no text ever becomes markup.
type Segment struct {
	Text   string
	Marked bool
}

// Highlight cuts text (in language lang) into segments, marking each word one of whose terms
// (Variants) is in terms: the same analysis that matched the text marks its words.
func Highlight(lang, text string, terms map[string]bool) []Segment {
	var out []Segment
	last := 0
	eachWord(text, func(start, end int) {
		for _, v := range Variants(lang, text[start:end]) {
			if terms[v] {
				if start > last {
					out = append(out, Segment{Text: text[last:start]})
				}
				out = append(out, Segment{Text: text[start:end], Marked: true})
				last = end
				return
			}
		}
	})
	if last < len(text) {
		out = append(out, Segment{Text: text[last:]})
	}
	return out
}
