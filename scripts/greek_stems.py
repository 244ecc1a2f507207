#!/usr/bin/python3
"""Writes internal/search/testdata/greek_stems.tsv: Greek words of the demo content with their
stems by Snowball's Greek stemmer (Debian's python3-snowballstemmer), one "word<TAB>stem" a line.

TestGreekAgreesWithSnowball (internal/search) checks that words Snowball gives one stem get one
stem from our own Greek stemmer too: what matters for matching. Run from the repository root:

    /usr/bin/python3 scripts/greek_stems.py
"""
import collections
import pathlib
import re

import snowballstemmer

stemmer = snowballstemmer.stemmer("greek")
counts = collections.Counter()
for path in sorted(pathlib.Path("internal/demo/content").rglob("*.el.md")):
    for word in re.findall(r"[\u0370-\u03ff\u1f00-\u1fff]+", path.read_text(encoding="utf-8")):
        word = word.lower()
        if len(word) >= 4:
            counts[word] += 1

# The most frequent words, then every other form of their stems, so that the fixture holds
# groups of forms to compare.
top = [w for w, _ in counts.most_common(160)]
stems = {stemmer.stemWord(w) for w in top}
words = sorted(set(top) | {w for w in counts if stemmer.stemWord(w) in stems})[:260]
out = pathlib.Path("internal/search/testdata/greek_stems.tsv")
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text("".join(f"{w}\t{stemmer.stemWord(w)}\n" for w in words), encoding="utf-8")
print(f"{len(words)} words, {len(set(stemmer.stemWord(w) for w in words))} stems -> {out}")
