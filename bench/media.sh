#!/usr/bin/env bash
# Memory of media downloads: 50 concurrent slow readers of a 50 MB file. Before media were read
# a chunk at a time, 30 such readers took the server's RSS to 2.08 GB. Builds the program,
# loads the demo plus a 50 MB PDF into a new database (SQLite, then PostgreSQL when PG=1),
# starts the server on loopback, and samples its RSS while 50 curls read the file at
# RATE each for DURATION seconds; prints the server's RSS before, its peak during the run and the
# bytes the readers got. Stops what it started. Run from the repository root.
#
#   bench/media.sh                 # SQLite and PostgreSQL
#   PG=0 bench/media.sh            # SQLite only
#   READERS=30 RATE=200k DURATION=60 bench/media.sh
#
# PostgreSQL: the server at PG_URL (default: 127.0.0.1:5432 as postgres); the script creates a
# database alliance_media_$$ there and drops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18190}
READERS=${READERS:-50}
RATE=${RATE:-500k}
DURATION=${DURATION:-30}
SIZE_MB=${SIZE_MB:-50}
PG=${PG:-1}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
pg_db=alliance_media_$$
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
# The content: the demo's folder, with a large PDF beside its files.
cp -r internal/demo/content "$work/content"
head -c $((SIZE_MB << 20)) /dev/urandom >"$work/content/media/docs/big.pdf"
want=$(sha256sum <"$work/content/media/docs/big.pdf" | cut -d' ' -f1)

rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

run() { # name, database flags...
    local name=$1
    shift
    "$work/alliance" import "$@" "$work/content" >/dev/null
    "$work/alliance" --addr 127.0.0.1:$PORT "$@" >"$work/$name.log" 2>&1 &
    local pid=$!
    pids+=($pid)
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
        sleep 0.1
    done
    local url="http://127.0.0.1:$PORT/media/docs/big.pdf"
    # Whole and intact, and resumable from the middle.
    [ "$(curl -fsS "$url" | sha256sum | cut -d' ' -f1)" = "$want" ] || { echo "$name: the download differs" >&2; exit 1; }
    [ "$(curl -fsS -r 1000- "$url" | wc -c)" = $(((SIZE_MB << 20) - 1000)) ] || { echo "$name: the range is wrong" >&2; exit 1; }
    local before peak=0 got=0
    before=$(rss $pid)
    local readers=()
    for i in $(seq 1 "$READERS"); do
        curl -s -o /dev/null -w '%{size_download}\n' --limit-rate "$RATE" --max-time "$DURATION" "$url" >"$work/$name.$i" &
        readers+=($!)
    done
    # Sampled until the last reader is done.
    while kill -0 "${readers[@]}" 2>/dev/null; do
        local r
        r=$(rss $pid)
        [ "$r" -gt "$peak" ] && peak=$r
        sleep 0.25
    done
    wait "${readers[@]}" 2>/dev/null || true
    got=$(cat "$work/$name".[0-9]* | awk '{s += $1} END {print int(s / 1048576)}')
    printf '%-10s %d readers of %d MB at %s for %ss: RSS %d MB before, peak %d MB; %d MB served\n' \
        "$name" "$READERS" "$SIZE_MB" "$RATE" "$DURATION" "$before" "$peak" "$got"
    kill $pid
    wait $pid 2>/dev/null || true
}

run sqlite --data "$work/sqlite"
if [ "$PG" = 1 ]; then
    psql "$PG_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
    pg_db_url=$(printf '%s' "$PG_URL" | sed "s#/[^/?]*\(?\|\$\)#/$pg_db\1#")
    run postgres --database "$pg_db_url" --demo=false
fi
