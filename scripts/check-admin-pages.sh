#!/usr/bin/env bash
# Checks the back office's pages in English, German and Greek with the shared webcheck tool
# (axe-core WCAG 2.1 A/AA and the Nu HTML Checker), signed in as an administrator: it builds
# the program, starts it on a new database with the demo, invites a user, and runs webcheck
# through scripts/admin-session.py, which holds the session for the checker's browser.
#
#   ../shared/webcheck/setup.sh          # once per machine, as root
#   scripts/check-admin-pages.sh         # about 3 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
webcheck="${WEBCHECK:-../shared/webcheck/webcheck}"
dir="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/alliance" ./cmd/alliance
db="$dir/site.db"
"$dir/alliance" serve --database "$db" --addr 127.0.0.1:8090 >"$dir/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:8090/healthz >/dev/null && break; sleep 0.2; done
link="$("$dir/alliance" user add checker@example.org --role administrator --database "$db" --addr 127.0.0.1:8090 | tail -1)"
python3 scripts/admin-session.py http://127.0.0.1:8090 "$link" en=8091 de=8092 el=8093 >"$dir/proxy.log" 2>&1 &
for _ in $(seq 1 50); do grep -q ready "$dir/proxy.log" && break; sleep 0.2; done
grep -q ready "$dir/proxy.log" || { cat "$dir/proxy.log"; exit 1; }

story="$(sqlite3 "$db" "SELECT key FROM items WHERE kind='story' ORDER BY key LIMIT 1" 2>/dev/null || echo meridia-days-close-in-bucharest)"
paths=(
    /admin/ /admin/users /admin/audit/ /admin/translations/ /admin/tokens /admin/media/
    /admin/items/story/ /admin/items/event/ /admin/items/story/new /admin/items/event/new
    "/admin/items/story/$story/" "/admin/items/story/$story/revisions/"
    "/admin/items/story/$story/translate/el" "/admin/items/story/$story/delete"
)
urls=()
for port in 8091 8092 8093; do
    for p in "${paths[@]}"; do urls+=("http://127.0.0.1:$port$p"); done
done
"$webcheck" --skip lighthouse "$@" "${urls[@]}"
