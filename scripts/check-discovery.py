#!/usr/bin/python3
"""Checks the site's calendars and feeds with parsers the site did not write.

    check-discovery.py ics FILE...    every .ics parses with python3-icalendar; required
                                      properties present; lines folded at 75 octets with CRLF;
                                      every VTIMEZONE gives the tz database's offset at each
                                      time written in its zone.
    check-discovery.py feed FILE...   every Atom feed parses with python3-feedparser without a
                                      problem (bozo == 0) and has entries with an id, a link,
                                      a title and a date; every JSON Feed (*.json) parses with
                                      Python's json and has the members JSON Feed 1.1 requires.

Prints one line per problem and exits 1 if there was any. Run with Debian's /usr/bin/python3
(python3-icalendar, python3-feedparser).
"""
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

problems = []


def problem(path, msg):
    problems.append(f"{path}: {msg}")


def check_ics(path):
    import icalendar

    data = open(path, "rb").read()
    for n, line in enumerate(data.split(b"\r\n")[:-1], 1):
        if len(line) > 75:
            problem(path, f"line {n} is {len(line)} octets")
        if b"\n" in line or b"\r" in line:
            problem(path, f"line {n} has a bare line break")
    if not data.endswith(b"\r\n"):
        problem(path, "does not end with CRLF")
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # any parse error is a failure
        problem(path, f"does not parse: {e}")
        return
    for prop in ("VERSION", "PRODID"):
        if prop not in cal:
            problem(path, f"VCALENDAR without {prop}")
    zones = {}
    for tz in cal.walk("VTIMEZONE"):
        tzid = str(tz.get("TZID"))
        subs = [c for c in tz.subcomponents if c.name in ("STANDARD", "DAYLIGHT")]
        if not subs:
            problem(path, f"VTIMEZONE {tzid} without STANDARD or DAYLIGHT")
        for c in subs:
            for prop in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                if prop not in c:
                    problem(path, f"VTIMEZONE {tzid} {c.name} without {prop}")
        zones[tzid] = subs
    events = cal.walk("VEVENT")
    if not events:
        problem(path, "no VEVENT")
    for ev in events:
        uid = str(ev.get("UID", "?"))
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "SEQUENCE"):
            if prop not in ev:
                problem(path, f"VEVENT {uid} without {prop}")
        for prop in ("DTSTART", "DTEND"):
            if prop not in ev:
                continue
            raw = ev[prop]
            tzid = raw.params.get("TZID")
            value = ev.decoded(prop)
            if tzid is None:
                continue
            if tzid not in zones:
                problem(path, f"VEVENT {uid} {prop} in {tzid}, which has no VTIMEZONE")
                continue
            naive = value.replace(tzinfo=None)
            want = ZoneInfo(tzid).utcoffset(naive)
            got = offset_from_vtimezone(zones[tzid], naive)
            if got is None:
                problem(path, f"VEVENT {uid} {prop} {naive} before every observance of {tzid}")
            elif got != want:
                problem(path, f"VEVENT {uid} {prop} {naive}: VTIMEZONE {tzid} gives {got}, tz database {want}")
        if "CONFERENCE" in ev:
            confs = ev["CONFERENCE"]
            for c in confs if isinstance(confs, list) else [confs]:
                if c.params.get("VALUE") != "URI":
                    problem(path, f"VEVENT {uid} CONFERENCE without VALUE=URI")


def offset_from_vtimezone(subs, naive):
    """The offset the observances give at a local time: the TZOFFSETTO of the latest one
    whose start (local, as its TZOFFSETFROM reads it) is not after the time."""
    best = None
    for c in subs:
        start = c.decoded("DTSTART")
        if isinstance(start, datetime):
            start = start.replace(tzinfo=None)
        to = c.decoded("TZOFFSETTO")
        frm = c.decoded("TZOFFSETFROM")
        # Compare in UTC: the observance starts at start - from.
        start_utc = start - frm
        at_utc = naive - to
        if start_utc <= at_utc and (best is None or start_utc > best[0]):
            best = (start_utc, to)
    return None if best is None else best[1]


def check_json_feed(path):
    """Debian's feedparser (6.0) reads no JSON Feed: the document is read with Python's json
    and checked against the JSON Feed 1.1 specification's required members and types."""
    import json

    try:
        d = json.load(open(path, encoding="utf-8"))
    except Exception as e:
        problem(path, f"does not parse: {e}")
        return
    if d.get("version") != "https://jsonfeed.org/version/1.1":
        problem(path, f"version {d.get('version')!r}")
    if not isinstance(d.get("title"), str) or not d["title"]:
        problem(path, "feed without a title")
    for key in ("home_page_url", "feed_url"):
        if not str(d.get(key, "")).startswith(("http://", "https://")):
            problem(path, f"{key} is not an absolute URL: {d.get(key)!r}")
    items = d.get("items")
    if not isinstance(items, list) or not items:
        problem(path, "no items")
        return
    for it in items:
        iid = it.get("id")
        if not isinstance(iid, str) or not iid:
            problem(path, f"item without a string id: {it!r:.80}")
        if not (it.get("content_html") or it.get("content_text")):
            problem(path, f"item {iid} without content_html or content_text")
        for key in ("url", "image"):
            if key in it and not str(it[key]).startswith(("http://", "https://")):
                problem(path, f"item {iid} {key} is not absolute: {it[key]!r}")
        for key in ("date_published", "date_modified"):
            if key in it:
                try:
                    dt = datetime.fromisoformat(it[key].replace("Z", "+00:00"))
                    if dt.tzinfo is None:
                        problem(path, f"item {iid} {key} without an offset")
                except ValueError:
                    problem(path, f"item {iid} {key} is not RFC 3339: {it[key]!r}")
        if not isinstance(it.get("language", ""), str):
            problem(path, f"item {iid} language is not a string")


def check_feed(path):
    if path.endswith(".json"):
        return check_json_feed(path)
    import feedparser

    d = feedparser.parse(path, response_headers={"content-type": "application/atom+xml"})
    if d.bozo:
        problem(path, f"does not parse cleanly: {d.bozo_exception!r}")
    if d.version != "atom10":
        problem(path, f"version {d.version!r}, want atom10")
    if not d.feed.get("title"):
        problem(path, "feed without a title")
    if not d.entries:
        problem(path, "no entries")
    for e in d.entries:
        for key in ("id", "link", "title"):
            if not e.get(key):
                problem(path, f"entry {e.get('id', '?')} without {key}")
        if not (e.get("updated_parsed") or e.get("published_parsed")):
            problem(path, f"entry {e.get('id', '?')} without a date")
        if not e.get("link", "").startswith(("http://", "https://")):
            problem(path, f"entry {e.get('id', '?')} link is not absolute: {e.get('link')}")


def main(argv):
    if len(argv) < 3 or argv[1] not in ("ics", "feed"):
        print(__doc__, file=sys.stderr)
        return 2
    check = check_ics if argv[1] == "ics" else check_feed
    for path in argv[2:]:
        check(path)
    for p in problems:
        print(p)
    print(f"{argv[1]}: {len(argv) - 2} files checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
