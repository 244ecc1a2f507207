#!/usr/bin/env bash
# Checks the structured data of every detail page of a running site, in every language, with
# the shared webcheck tool (--jsonld: extraction as search engines do, the schema.org
# vocabulary as Google's schema-dts types it, and Google's rich-result rules where it has them).
#
#   go run ./cmd/alliance --addr 127.0.0.1:8080 &
#   scripts/check-jsonld.sh [BASE_URL] [LANG...]
#
# It follows the site's own links: each language's home page links to its sections' listings,
# and each listing (every page of it) to its items. Exits 1 when any page fails.
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
shift || true
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(en fr de el it es sv ro)
webcheck=${WEBCHECK:-$(dirname "$0")/../../shared/webcheck/webcheck}

links() { curl -fs "$base$1" | grep -o 'href="/[^"#?]*"' | sed 's/^href="//; s/"$//' | sort -u; }

pages=()
for lang in "${langs[@]}"; do
	# A section's listing is linked from the home page's menu; its items are /lang/section/slug/.
	sections=$(links "/$lang/" | grep -E "^/$lang/[^/]+/$" || true)
	for s in $sections; do
		for p in $(links "$s"; links "${s}?page=2"; links "${s}?page=3"); do
			case $p in "$s"?*/) [[ $p =~ ^/$lang/[^/]+/[^/]+/$ ]] && pages+=("$p") ;; esac
		done
	done
done
mapfile -t pages < <(printf '%s\n' "${pages[@]}" | sort -u)
echo "checking ${#pages[@]} pages"
failed=0
for p in "${pages[@]}"; do
	out=$("$webcheck" --jsonld "$base$p" 2>&1) || true
	status=$(sed -n 's/^status: //p' <<<"$out")
	types=$(sed -n 's/^jsonld_types: //p' <<<"$out")
	printf '%-6s %-45s %s\n' "$status" "$types" "$p"
	if [ "$status" != pass ]; then
		failed=$((failed + 1))
		grep -E '_first|errors' <<<"$out" | sed 's/^/    /'
	fi
done
echo "${#pages[@]} pages, $failed not passing"
[ "$failed" -eq 0 ]
