#!/usr/bin/env bash
# Tail latency of the cached story page: N single runs of the peers harness against nginx
# (static), the bare Go server writing the same bytes (go-static) and one cached instance on
# SQLite, each run on its own so that the p99 of every run is seen, not only the median's.
# Run from the repository root, as root, after ../shared/bench/peers/setup.sh.
#
#   bench/tail.sh                        # 5 runs, the server as it ships
#   RUNS=7 bench/tail.sh                 # more runs
#   SERVER_ENV='GOGC=off GOMEMLIMIT=512MiB' bench/tail.sh     # a variant of the server's runtime
#   SERVER_FLAGS='--page-cache=false' bench/tail.sh            # a variant of its flags
#
# It prints one line per run (req/s and p99 of each target, and the ratios the issue asks
# about), the garbage collections the server made during all runs (GODEBUG=gctrace=1), and the
# median and worst of the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-../shared/bench/peers}
PORT=${PORT:-18180}
RUNS=${RUNS:-5}
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
# shellcheck disable=SC2086
env GODEBUG=gctrace=1 ${SERVER_ENV:-} "$work/alliance" --addr 127.0.0.1:$PORT --data "$work/data" ${SERVER_FLAGS:-} >"$work/alliance.log" 2>&1 &
pids+=($!)
"$work/go-static" >"$work/go-static.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && curl -fsS -o /dev/null http://127.0.0.1:18090/ 2>/dev/null && break
    sleep 0.1
done

# The newest story: the first card of the English news listing.
story=${STORY:-$(curl -fsS "http://127.0.0.1:$PORT/en/news/" | grep -o 'href="/en/news/[^"/]*/"' | head -1 | sed 's/href="//; s/"$//')}
echo "story $story: $(curl -fsS "http://127.0.0.1:$PORT$story" | wc -c) bytes; server env: ${SERVER_ENV:-as shipped} ${SERVER_FLAGS:-}"
gc_before=$(grep -c '^gc ' "$work/alliance.log" || true)

ratios=()
for k in $(seq 1 "$RUNS"); do
    "$PEERS/run.sh" --only static -d "${DURATION:-8}" -w "${WARMUP:-2}" \
        go-static=http://127.0.0.1:18090/ alliance=http://127.0.0.1:$PORT$story >"$work/run$k.txt" 2>&1
    # Table rows: | target | bytes | req/s | p50 | p99 | max | ...
    line=$(awk -F'|' '
        $2 ~ /^ (static|go-static|alliance) $/ { gsub(/ /, "", $2); rps[$2] = $4 + 0; p99[$2] = $6 + 0 }
        END {
            printf "run: static %.0f req/s p99 %.2f ms | go-static %.0f p99 %.2f | alliance %.0f p99 %.2f | rps/static %.2f  p99/go-static %.2f\n",
                rps["static"], p99["static"], rps["go-static"], p99["go-static"], rps["alliance"], p99["alliance"],
                rps["alliance"] / rps["static"], p99["alliance"] / p99["go-static"]
        }' "$work/run$k.txt")
    echo "$k $line"
    ratios+=("$(echo "$line" | awk '{ print $NF }')")
done
gc_after=$(grep -c '^gc ' "$work/alliance.log" || true)
echo "garbage collections during the runs: $((gc_after - gc_before)); longest stop-the-world pauses (ms):"
grep '^gc ' "$work/alliance.log" | tail -n +"$((gc_before + 1))" |
    awk '{ split($5, c, "+"); print c[1] + c[3] }' | sort -g | tail -3 | tr '\n' ' '
echo
printf '%s\n' "${ratios[@]}" | sort -g | awk '{ a[NR] = $1 } END { printf "p99 / go-static p99: median %.2f, best %.2f, worst %.2f over %d runs\n", a[int((NR + 1) / 2)], a[1], a[NR], NR }'
