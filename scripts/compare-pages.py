#!/usr/bin/env python3
"""Compare every page two running instances of the site serve, byte for byte.

    scripts/compare-pages.py [--collapse-whitespace] http://127.0.0.1:8201 http://127.0.0.1:8202

Start both on the same content (two fresh data folders with the demo, say: one built from main,
one from a change), and this crawls the links from a few starting pages in several languages,
up to 2500 pages, fetches each path from both, and prints the first differences (with each
instance's address replaced by BASE). Use it when markup moves between a template and Go, or a
query changes shape: the pages must come out the same. Exits 1 when any page differs.

--collapse-whitespace compares the pages' whitespace between tags as a browser lays it out:
dropped next to a block-level element (or the doctype, or at the end), collapsed to one space
between inline ones, where a space and none still differ; and the doctype's case is ignored.
It says how many pages differed only so. Use it when the markup moves to a writer that lays out
whitespace otherwise (templ drops the line breaks between tags that html/template kept).
"""
import difflib
import re
import sys

# Whitespace-only text between a tag (or the doctype) and the next tag or the end.
BETWEEN_TAGS = re.compile(r"(<(/?)([a-zA-Z0-9!]+)[^<>]*>)(\s*)(?=<(/?)([a-zA-Z0-9]+)|$)")
DOCTYPE = re.compile(r"^<!doctype html>", re.IGNORECASE)
# Elements whose surrounding whitespace the site's pages never show: block-level ones, those of
# the head, list items and form controls laid out in flex or grid containers.
BLOCK = set("""html head body title meta link main header footer nav section article aside div p
h1 h2 h3 h4 h5 h6 ul ol li dl dt dd figure figcaption form fieldset legend details summary
select option label br hr !doctype""".split())
import urllib.error
import urllib.request

START = ["/en/", "/de/", "/el/", "/fr/news/", "/en/nope/", "/de/news/?category=research",
         "/en/learn/?kind=bip&language=en", "/en/news/?page=2"]
LIMIT = 2500
SHOWN = 3


def get(base, path):
    try:
        with urllib.request.urlopen(base + path) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def collapse(page):
    """The page with its whitespace between tags as a browser lays it out (see --collapse-
    whitespace) and the doctype in lower case."""
    def layout(m):
        before, after = m.group(3).lower(), (m.group(6) or "").lower()
        if before in BLOCK or after in BLOCK or not after:
            return m.group(1)
        return m.group(1) + (" " if m.group(4) else "")
    return BETWEEN_TAGS.sub(layout, DOCTYPE.sub("<!doctype html>", page))


def main(a, b, collapse_whitespace=False):
    seen, todo, differing, whitespace_only = set(), list(START), 0, 0
    while todo and len(seen) < LIMIT:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status_a, page_a = get(a, path)
        status_b, page_b = get(b, path)
        page_a, page_b = page_a.replace(a, "BASE"), page_b.replace(b, "BASE")
        links = page_a
        if collapse_whitespace and status_a == status_b and page_a != page_b:
            page_a, page_b = collapse(page_a), collapse(page_b)
            if page_a == page_b:
                whitespace_only += 1
        if status_a != status_b or page_a != page_b:
            differing += 1
            if differing <= SHOWN:
                if collapse_whitespace:
                    # One line per tag, so that a difference shows on a line of its own.
                    page_a, page_b = page_a.replace("><", ">\n<"), page_b.replace("><", ">\n<")
                print("DIFF", path, status_a, status_b)
                diff = difflib.unified_diff(page_a.splitlines(), page_b.splitlines(), lineterm="")
                for line in list(diff)[:30]:
                    print(line)
        for href in re.findall(r'href="(/[a-z]{2}/[^"#]*)"', links):
            href = href.replace("&amp;", "&")
            if href not in seen:
                todo.append(href)
    if collapse_whitespace:
        print(f"{len(seen)} pages, {differing} differing, "
              f"{whitespace_only} more differing only in whitespace between tags")
    else:
        print(f"{len(seen)} pages, {differing} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    collapse_whitespace = "--collapse-whitespace" in args
    args = [x for x in args if x != "--collapse-whitespace"]
    if len(args) != 2:
        sys.exit(__doc__)
    sys.exit(main(args[0], args[1], collapse_whitespace))
