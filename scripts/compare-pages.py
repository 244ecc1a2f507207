#!/usr/bin/env python3
"""Compare every page two running instances of the site serve, byte for byte.

    scripts/compare-pages.py http://127.0.0.1:8201 http://127.0.0.1:8202

Start both on the same content (two fresh data folders with the demo, say: one built from main,
one from a change), and this crawls the links from a few starting pages in several languages,
up to 2500 pages, fetches each path from both, and prints the first differences (with each
instance's address replaced by BASE). Use it when markup moves between a template and Go, or a
query changes shape: the pages must come out the same. Exits 1 when any page differs.
"""
import difflib
import re
import sys
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


def main(a, b):
    seen, todo, differing = set(), list(START), 0
    while todo and len(seen) < LIMIT:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status_a, page_a = get(a, path)
        status_b, page_b = get(b, path)
        page_a, page_b = page_a.replace(a, "BASE"), page_b.replace(b, "BASE")
        if status_a != status_b or page_a != page_b:
            differing += 1
            if differing <= SHOWN:
                print("DIFF", path, status_a, status_b)
                diff = difflib.unified_diff(page_a.splitlines(), page_b.splitlines(), lineterm="")
                for line in list(diff)[:30]:
                    print(line)
        for href in re.findall(r'href="(/[a-z]{2}/[^"#]*)"', page_a):
            href = href.replace("&amp;", "&")
            if href not in seen:
                todo.append(href)
    print(f"{len(seen)} pages, {differing} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
