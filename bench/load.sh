#!/usr/bin/env bash
# Load test of the story page against the peers (nginx static, Hugo, WordPress) in one run.
# Starts two instances of the site on loopback — page cache on and off — and a bare Go server
# writing the same bytes from memory (go-static), measures everything with the peers harness,
# and stops what it started. Run from the repository root, as root (the harness starts nginx,
# php-fpm and MariaDB), after ../shared/bench/peers/setup.sh once per machine.
#
#   bench/load.sh              # 1 run per target
#   bench/load.sh -r 3         # 3 runs per target, median shown
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
CACHED_PORT=${CACHED_PORT:-18180}
UNCACHED_PORT=${UNCACHED_PORT:-18181}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/alliance" ./cmd/alliance
go build -o "$work/go-static" "$PEERS/go-static/main.go"

"$work/alliance" --addr 127.0.0.1:$CACHED_PORT --data "$work/cached" >"$work/cached.log" 2>&1 &
pids+=($!)
"$work/alliance" --addr 127.0.0.1:$UNCACHED_PORT --data "$work/uncached" --page-cache=false >"$work/uncached.log" 2>&1 &
pids+=($!)
"$work/go-static" >"$work/go-static.log" 2>&1 &
pids+=($!)

for port in $CACHED_PORT $UNCACHED_PORT 18090; do
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
        curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
        sleep 0.1
    done
done

# The story measured: the demo's annual-days report, a long story with related stories.
story=${STORY:-/en/news/meridia-days-2026-bucharest-report/}
curl -fsS -o /dev/null "http://127.0.0.1:$CACHED_PORT$story" || {
    echo "story $story not found; set STORY=/en/news/<slug>/" >&2
    exit 1
}
echo "story page: $(curl -fsS "http://127.0.0.1:$CACHED_PORT$story" | wc -c) bytes"

"$PEERS/run.sh" "$@" \
    go-static=http://127.0.0.1:18090/ \
    alliance-cached=http://127.0.0.1:$CACHED_PORT$story \
    alliance-nocache=http://127.0.0.1:$UNCACHED_PORT$story
