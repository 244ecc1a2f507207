#!/usr/bin/env bash
# Checks every page type of a running site in English, German and Greek with the shared
# webcheck tool (Lighthouse, axe-core WCAG 2.1 A/AA, Nu HTML Checker), the way experts would.
#
#   go run ./cmd/alliance --addr 127.0.0.1:8080 &
#   scripts/check-pages.sh [BASE_URL] [-- extra webcheck flags]
#
# It finds one page of each type by following the site's own links: the home page, each
# section's listing and its first item, a section page of the menu tree and the first page
# under it, the second page and a filtered view of the news listing, a page shown in a fallback
# language (with its notice), and the 404 page. It prints "type lang url" for each before the
# webcheck report.
#
# webcheck stops at a 4xx status (and Lighthouse rightly marks a 404 down for SEO), so the 404
# page is fetched through a small loopback proxy that passes everything through unchanged but
# answers 200 for paths under /__as200/: the checkers then judge the page a visitor sees.
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
shift || true
[ "${1:-}" = "--" ] && shift
WEBCHECK=${WEBCHECK:-../shared/webcheck/webcheck}
langs=${LANGS:-"en de el"}

# hrefs prints the targets of the href attributes in its input, one a line, unescaped.
hrefs() { grep -o 'href="[^"]*"' | sed 's/^href="//; s/"$//; s/&amp;/\&/g' || true; }

# The proxy for the 404 page (see above).
portfile=$(mktemp)
python3 - "$base" "$portfile" <<'EOF' &
import http.server, sys, urllib.error, urllib.request
base, portfile = sys.argv[1], sys.argv[2]
PREFIX = "/__as200"

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None

opener = urllib.request.build_opener(NoRedirect)

class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self, head=False):
        path, as200 = self.path, self.path.startswith(PREFIX + "/")
        if as200:
            path = path[len(PREFIX):]
        keep = ("accept", "accept-language", "accept-encoding", "user-agent")
        req = urllib.request.Request(base + path, headers={k: v for k, v in self.headers.items() if k.lower() in keep})
        try:
            res = opener.open(req)
        except urllib.error.HTTPError as e:
            res = e
        body = res.read()
        self.send_response(200 if as200 else res.status)
        for k, v in res.headers.items():
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET(head=True)

    def log_message(self, *args):
        pass

srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
with open(portfile, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
EOF
proxy_pid=$!
trap 'kill $proxy_pid 2>/dev/null; rm -f "$portfile"' EXIT
for _ in $(seq 50); do [ -s "$portfile" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$portfile")"

types=() urls=()
add() { [ -n "$3" ] && { types+=("$1 $2"); urls+=("$3"); } || echo "check-pages: no $1 page found in $2" >&2; }

for lang in $langs; do
    home="$base/$lang/"
    page=$(curl -fsS "$home")
    add home "$lang" "$home"
    menu=$(printf '%s\n' "$page" | sed -n '/<nav class="menu"/,/<\/nav>/p')
    # Section listings, in the order of the menu, and the first item of each.
    mapfile -t sections < <(printf '%s\n' "$menu" | sed -n '/<ul class="menu-sections">/,/<\/ul>/p' | hrefs)
    names=(news events learn resources calls members) # the menu's order, see frame.go
    for i in "${!sections[@]}"; do
        s=${sections[$i]} name=${names[$i]:-section$i}
        listing=$(curl -fsS "$base$s")
        add "listing:$name" "$lang" "$base$s"
        item=$(printf '%s\n' "$listing" | grep -o '<h2><a href="'"$s"'[^"]*/"' | head -1 | hrefs) || true
        add "item:$name" "$lang" "${item:+$base$item}"
    done
    # A section of the menu tree (a top-level page) and the first page under it.
    section=$(printf '%s\n' "$menu" | grep -o '<a class="menu-top" href="[^"]*"' | head -1 | hrefs) || true
    add section-page "$lang" "${section:+$base$section}"
    child=$(printf '%s\n' "$menu" | grep -m1 -A2 'class="menu-top"' | grep -o '<li><a href="[^"]*"' | head -1 | hrefs) || true
    add child-page "$lang" "${child:+$base$child}"
    # The news listing's second page and its view filtered by the first value of its first filter.
    news=${sections[0]}
    listing=$(curl -fsS "$base$news")
    next=$(printf '%s\n' "$listing" | grep -o '<a href="[^"]*" rel="next"' | head -1 | hrefs) || true
    add listing-page-2 "$lang" "${next:+$base$next}"
    field=$(printf '%s\n' "$listing" | grep -o '<select id="[^"]*" name="[^"]*"' | head -1 | sed 's/.*name="//; s/"$//') || true
    value=$(printf '%s\n' "$listing" | grep -o '<option value="[^"]\+"' | head -1 | sed 's/.*value="//; s/"$//') || true
    add listing-filtered "$lang" "${field:+$base$news?$field=$value}"
    # A page shown in another language with a notice: a menu page whose title is marked with
    # another lang, else a story of the first news pages whose card is.
    fallback=$(printf '%s\n' "$menu" | grep -o '<li><a href="[^"]*" lang="[^"]*"' | head -1 | hrefs) || true
    for p in "" "?page=2" "?page=3"; do
        [ -n "$fallback" ] && break
        fallback=$(curl -fsS "$base$news$p" | grep -A3 '<article class="card" lang=' | grep -o '<h2><a href="[^"]*"' | head -1 | hrefs) || true
    done
    add fallback "$lang" "${fallback:+$base$fallback}"
    add not-found "$lang" "$proxy/__as200/$lang/no-such-page/"
done
for i in "${!urls[@]}"; do printf '%s %s\n' "${types[$i]}" "${urls[$i]}"; done
"$WEBCHECK" "$@" "${urls[@]}"
