#!/usr/bin/env bash
# Load test of the story page against the peers (nginx static, Hugo, WordPress) in one run.
# Starts instances of the site on loopback — on SQLite and on PostgreSQL, page cache on and off —
# and a bare Go server writing the same bytes from memory (go-static), measures everything with
# the peers harness, and stops what it started. Run from the repository root, as root (the
# harness starts nginx, php-fpm and MariaDB), after ../shared/bench/peers/setup.sh once per
# machine.
#
#   bench/load.sh              # 1 run per target
#   bench/load.sh -r 3         # 3 runs per target, median shown
#   PG=0 bench/load.sh         # SQLite only
#
# PostgreSQL: the server at PG_URL (default: 127.0.0.1:5432 as postgres); the script creates a
# database alliance_bench_$$ there and drops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
CACHED_PORT=${CACHED_PORT:-18180}
UNCACHED_PORT=${UNCACHED_PORT:-18181}
PG_CACHED_PORT=${PG_CACHED_PORT:-18182}
PG_UNCACHED_PORT=${PG_UNCACHED_PORT:-18183}
PG=${PG:-1}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
pg_db=alliance_bench_$$
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "$PG" = 1 ]; then psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/alliance" ./cmd/alliance
go build -o "$work/go-static" "$PEERS/go-static/main.go"

wait_up() {
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:$1/healthz" 2>/dev/null && return 0
        curl -fsS -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1" >&2
    return 1
}

"$work/alliance" --addr 127.0.0.1:$CACHED_PORT --data "$work/cached" >"$work/cached.log" 2>&1 &
pids+=($!)
"$work/alliance" --addr 127.0.0.1:$UNCACHED_PORT --data "$work/uncached" --page-cache=false >"$work/uncached.log" 2>&1 &
pids+=($!)
"$work/go-static" >"$work/go-static.log" 2>&1 &
pids+=($!)
targets=()
if [ "$PG" = 1 ]; then
    psql "$PG_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
    pg_db_url=$(printf '%s' "$PG_URL" | sed "s#/[^/?]*\(?\|\$\)#/$pg_db\1#")
    # One after the other: the first loads the demo into the new database, the second finds it.
    "$work/alliance" --addr 127.0.0.1:$PG_CACHED_PORT --database "$pg_db_url" >"$work/pg-cached.log" 2>&1 &
    pids+=($!)
    wait_up $PG_CACHED_PORT
    "$work/alliance" --addr 127.0.0.1:$PG_UNCACHED_PORT --database "$pg_db_url" --page-cache=false >"$work/pg-uncached.log" 2>&1 &
    pids+=($!)
fi
for port in $CACHED_PORT $UNCACHED_PORT 18090; do wait_up $port; done
[ "$PG" = 1 ] && wait_up $PG_UNCACHED_PORT

# The story measured: the demo's annual-days report, a long story with related stories.
story=${STORY:-/en/news/meridia-days-close-in-bucharest-with-a-roadmap-to-2030/}
curl -fsS -o /dev/null "http://127.0.0.1:$CACHED_PORT$story" || {
    echo "story $story not found; set STORY=/en/news/<slug>/" >&2
    exit 1
}
echo "story page: $(curl -fsS "http://127.0.0.1:$CACHED_PORT$story" | wc -c) bytes"

if [ "$PG" = 1 ]; then
    targets+=(alliance-pg-cached=http://127.0.0.1:$PG_CACHED_PORT$story
        alliance-pg-nocache=http://127.0.0.1:$PG_UNCACHED_PORT$story)
fi
"$PEERS/run.sh" "$@" \
    go-static=http://127.0.0.1:18090/ \
    alliance-cached=http://127.0.0.1:$CACHED_PORT$story \
    alliance-nocache=http://127.0.0.1:$UNCACHED_PORT$story \
    "${targets[@]}"
