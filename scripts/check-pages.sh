#!/usr/bin/env bash
# Checks every page type of a running site in English, German and Greek with the shared
# webcheck tool (Lighthouse, axe-core WCAG 2.1 A/AA, Nu HTML Checker), the way experts would.
#
#   go run ./cmd/alliance --addr 127.0.0.1:8080 &
#   scripts/check-pages.sh [BASE_URL] [-- extra webcheck flags]
#
# It finds one page of each type by following the site's own links: the home page, each
# section's listing, the first item of each listing, and the first menu page.
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
shift || true
[ "${1:-}" = "--" ] && shift
WEBCHECK=${WEBCHECK:-../shared/webcheck/webcheck}
langs=${LANGS:-"en de el"}

urls=()
for lang in $langs; do
    home="$base/$lang/"
    page=$(curl -fsS "$home")
    urls+=("$home")
    # Section listings, in the order of the menu.
    mapfile -t sections < <(printf '%s' "$page" | grep -o '<ul class="menu-sections">.*' -A20 | grep -o 'href="/'"$lang"'/[^"]*/"' | head -6 | sed 's/href="//; s/"$//')
    for s in "${sections[@]}"; do
        urls+=("$base$s")
        # The first item of the listing.
        item=$(curl -fsS "$base$s" | grep -o '<h2><a href="'"$s"'[^"]*/"' | head -1 | sed 's/.*href="//; s/"$//')
        [ -n "$item" ] && urls+=("$base$item")
    done
    menu=$(printf '%s' "$page" | grep -o '<ul class="menu-pages">' -A2 | grep -o 'href="[^"]*"' | head -1 | sed 's/href="//; s/"$//')
    [ -n "$menu" ] && urls+=("$base$menu")
done
printf '%s\n' "${urls[@]}"
exec "$WEBCHECK" "$@" "${urls[@]}"
