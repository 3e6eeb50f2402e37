#!/usr/bin/env bash
# Asynchronous routes over HTTP: 202s per second and latency at C connections with 1 KiB bodies, then how long the
# scheduler takes to deliver what was accepted to both backends.
#   bench/async.sh [seconds] [connections]        (default 10 s, 64 connections; needs wrk, see bench/run.sh)
# Hookcast runs as the README's first command runs it (java -jar, no JVM flags) with the embedded store in a
# temporary directory and its two built-in demo backends, so backends and Hookcast share one JVM: the delivery
# figure is a lower bound. Everything started is stopped by PID; the temporary directory is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10} CONNS=${2:-64}
HARNESS=${BENCH_HARNESS:-$PWD/../shared/bench}
JAR=target/hookcast.jar
[[ -f $JAR ]] || mvn -B -q package -DskipTests
command -v wrk >/dev/null || { echo "wrk is missing: bench/run.sh installs it" >&2; exit 1; }
TMP=$(mktemp -d /tmp/hookcast-async.XXXXXX)
PID=""
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
cat >"$TMP/conf.json" <<JSON
{
  "http": { "host": "127.0.0.1", "port": 8091, "accessLog": false },
  "admin": { "port": 9091 },
  "reload": { "scanPeriodMs": 0 },
  "store": { "path": "$TMP/data" },
  "backends": [ { "name": "one", "url": "http://127.0.0.1:5101/" }, { "name": "two", "url": "http://127.0.0.1:5102/" } ],
  "routes": [ { "path": "/", "backends": ["one", "two"], "mode": "async", "dedup": false } ],
  "demo": { "backends": [ { "name": "one", "port": 5101 }, { "name": "two", "port": 5102 } ] }
}
JSON
java -jar "$JAR" -conf "$TMP/conf.json" >"$TMP/hookcast.log" 2>&1 & PID=$!
for _ in $(seq 100); do curl -fs -o /dev/null localhost:9091/ready && break; sleep 0.2; done
delivered() { curl -fs localhost:9091/metrics | awk '/^hookcast_async_attempts_total\{.*outcome="delivered"/ { sum += $2 } END { print sum + 0 }'; }
# Waits (at most 5 minutes) until the delivered-attempt count reaches $1.
await_delivered() {
  local deadline=$((SECONDS + 300))
  while (( $(delivered) < $1 )); do
    (( SECONDS < deadline )) || { echo "deliveries did not reach $1 within 5 minutes" >&2; exit 1; }
    sleep 0.2
  done
}
echo "warm-up 10 s"
wrk -t2 -c"$CONNS" -d10s -s "$HARNESS/post.lua" http://127.0.0.1:8091/hooks >/dev/null
await_delivered "$(curl -fs localhost:9091/metrics | awk '/^hookcast_webhooks_total\{status="2xx"/ { print int($2) * 2 }')"
before=$(delivered)
echo "measuring ${DUR} s at ${CONNS} connections"
result=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s "$HARNESS/post.lua" http://127.0.0.1:8091/hooks | grep BENCH_RESULT)
end=$(date +%s.%N)
accepted=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$result")
want=$((before + 2 * accepted))
await_delivered "$want"
drained=$(date +%s.%N)
echo "$result"
printf 'accepted: %s in %s s (%s/s); delivered to both backends %.1f s after the load stopped\n' \
  "$accepted" "$DUR" "$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$result")" "$(echo "$drained - $end" | bc)"
