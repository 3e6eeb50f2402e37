#!/usr/bin/env bash
# bench/syscalls.sh - system calls and kernel time per webhook, Hookcast against par (NGINX+Lua, 2 workers), N=2 fast
# backends, 1 KiB.
#
# usage: bench/syscalls.sh [--jar FILE] [--jvm-opts "..."] [--access-log on|off] [--seconds S] [--warmup S] [--harness DIR]
# Starts the harness's NGINX backends and anchors and Hookcast (127.0.0.1:8090, as bench/run.sh does) and warms both
# targets (default 30 s each: the JVM's compiler needs about that on 2 cores). Then, for each, it splits the CPU per
# webhook into user and system (kernel) time during an untraced wrk run of S seconds (default 5) at 64 connections,
# and counts the system calls of all its threads with `strace -c -f` during a run at 16 connections, printed per
# webhook by system call. strace slows the traced process a lot: read the counts, not the throughput. Everything
# started is stopped by PID.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARNESS=${BENCH_HARNESS:-$REPO/../shared/bench}
JAR=$REPO/target/hookcast.jar SECS=5 WARMUP=30 ACCESS_LOG=false
# bin/hookcast's flags, what the README's first command runs with
JVM_OPTS=$(sed -nE 's/^DEFAULT_OPTS="(.*)"$/\1/p' "$REPO/bin/hookcast")
while (($#)); do
  case $1 in
    --jar) JAR=$(realpath "$2"); shift 2 ;;
    --jvm-opts) JVM_OPTS=$2; shift 2 ;;
    --access-log) [[ $2 == on ]] && ACCESS_LOG=true || ACCESS_LOG=false; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --harness) HARNESS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v strace >/dev/null || { echo "strace is missing: apt-get install -y strace" >&2; exit 1; }
# shellcheck source=/dev/null
source "$HARNESS/lib.sh"
bench_init
start_backends 2 fast 0 1
start_anchors 2 2
cat >"$BENCH_TMP/hookcast.json" <<JSON
{ "http": { "host": "127.0.0.1", "port": 8090, "accessLog": $ACCESS_LOG }, "admin": { "port": 9090 },
  "reload": { "scanPeriodMs": 0 }, "delivery": { "timeoutMs": 10000 },
  "backends": [ { "name": "b1", "url": "http://127.0.0.1:5001/" }, { "name": "b2", "url": "http://127.0.0.1:5002/" } ] }
JSON
# shellcheck disable=SC2086
java $JVM_OPTS -jar "$JAR" -conf "$BENCH_TMP/hookcast.json" >"$BENCH_TMP/logs/hookcast.log" 2>&1 &
HC=$!
STARTED_PIDS+=("$HC")
wait_port 8090 "$HC" || die "Hookcast did not start"
HC_URL=http://127.0.0.1:8090/hook PAR_URL=$(target_url par)
for url in "$HC_URL" "$PAR_URL"; do
  BENCH_PAYLOAD=1024 "$WRK" -t 1 -c 64 -d "${WARMUP}s" -s "$HARNESS/post.lua" "$url" >/dev/null
done
ticks() {   # PID... : user and system clock ticks used so far by them, all threads
  local p
  for p in "$@"; do cut -d' ' -f14,15 "/proc/$p/stat"; done | awk '{ u += $1; s += $2 } END { print u, s }'
}
split_cpu() {   # LABEL URL PID... : user and system CPU per webhook during one untraced wrk run
  local label=$1 url=$2 before after requests
  shift 2
  before=$(ticks "$@")
  requests=$(BENCH_PAYLOAD=1024 "$WRK" -t 1 -c 64 -d "${SECS}s" -s "$HARNESS/post.lua" "$url" | sed -nE 's/^BENCH_RESULT requests=([0-9]+).*/\1/p')
  after=$(ticks "$@")
  echo "$before $after" | awk -v n="$requests" -v hz="$(getconf CLK_TCK)" -v l="$label" '{ u = ($3 - $1) / hz * 1e6 / n; s = ($4 - $2) / hz * 1e6 / n;
    printf "== %s: %d webhooks; CPU per webhook: user %.1f us, system %.1f us (%.0f%% system)\n", l, n, u, s, 100 * s / (u + s) }'
}
# shellcheck disable=SC2046
PAR_PIDS=$(pgrep -P "$PID_anchors" | tr '\n' ' ')
# shellcheck disable=SC2086
split_cpu hookcast "$HC_URL" "$HC"
# shellcheck disable=SC2086
split_cpu par "$PAR_URL" $PAR_PIDS
count() {   # LABEL URL PID... : strace the PIDs (all threads) during one wrk run
  local label=$1 url=$2 out="$BENCH_TMP/strace.$1" args=() p requests
  shift 2
  for p in "$@"; do args+=(-p "$p"); done
  strace -c -f -o "$out" "${args[@]}" & local st=$!
  sleep 1
  requests=$(BENCH_PAYLOAD=1024 "$WRK" -t 1 -c 16 -d "${SECS}s" -s "$HARNESS/post.lua" "$url" | sed -nE 's/^BENCH_RESULT requests=([0-9]+).*/\1/p')
  kill -INT "$st"; wait "$st" 2>/dev/null || true
  echo "== $label: $requests webhooks; system calls per webhook (all threads of the process)"
  awk -v n="$requests" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { name = $NF; calls = $4; printf "  %-16s %7.2f\n", name, calls / n; total += calls }
    END { printf "  %-16s %7.2f\n", "total", total / n }' "$out" | sort -k2 -gr | head -14
}
count hookcast "$HC_URL" "$HC"
# shellcheck disable=SC2086
count par "$PAR_URL" $PAR_PIDS
