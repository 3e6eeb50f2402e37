#!/usr/bin/env bash
# bench/first-request.sh - how long the first webhook after start takes, against a warm one.
#
# usage: bench/first-request.sh [--jar FILE] [--runs K] [-- COMMAND...]
#   COMMAND  how Hookcast is started, the config path appended as "-conf FILE"
#            (default: java -jar target/hookcast.jar, the README's first command without flags)
#   --runs K starts (default 3), each measured separately
# One demo backend JVM (io.hookcast.demo.DemoBackendVerticle, warmed with 200 direct requests) serves both
# backends on 127.0.0.1:5291; Hookcast listens on 127.0.0.1:8291 (admin 9291). Per start it prints the time
# from exec to the open port, the first webhook's latency and the median of the next 50 (curl's time_total,
# sequential). Everything started is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/hookcast.jar RUNS=3 CMD=()
while (($#)); do
  case $1 in
    --jar) JAR=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --) shift; CMD=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
((${#CMD[@]})) || CMD=(java -jar "$JAR")
TMP=$(mktemp -d /tmp/hookcast-first.XXXXXX)
BACKEND="" HC=""
cleanup() {
  set +e  # a process stopped here ends with 143, which under -e would become the script's status
  for p in $HC $BACKEND; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
post() { curl -s -o /dev/null -w '%{time_total}\n' -X POST --data-binary @"$TMP/body" http://127.0.0.1:8291/hook; }
head -c 1024 /dev/zero | tr '\0' 'x' >"$TMP/body"
cat >"$TMP/conf.json" <<JSON
{
  "http": { "host": "127.0.0.1", "port": 8291 },
  "admin": { "port": 9291 },
  "reload": { "scanPeriodMs": 0 },
  "backends": [ { "name": "one", "url": "http://127.0.0.1:5291/" }, { "name": "two", "url": "http://127.0.0.1:5291/" } ]
}
JSON
java -cp "$JAR" io.vertx.launcher.application.VertxApplication io.hookcast.demo.DemoBackendVerticle \
  -conf '{"name": "one", "host": "127.0.0.1", "port": 5291}' >"$TMP/backend.log" 2>&1 & BACKEND=$!
for _ in $(seq 300); do open 5291 && break; sleep 0.1; done
for _ in $(seq 200); do curl -s -o /dev/null -X POST --data-binary @"$TMP/body" http://127.0.0.1:5291/; done
echo "command: ${CMD[*]} -conf CONF"
for ((r = 1; r <= RUNS; r++)); do
  t0=$(date +%s%N)
  "${CMD[@]}" -conf "$TMP/conf.json" >"$TMP/hookcast.log" 2>&1 & HC=$!
  until open 8291; do
    kill -0 "$HC" 2>/dev/null || { cat "$TMP/hookcast.log" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  first=$(post)
  warm=$(for _ in $(seq 50); do post; done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  printf 'start %d: port open after %d ms; first webhook %.1f ms; warm median %.1f ms\n' "$r" $(((t1 - t0) / 1000000)) \
    "$(echo "$first * 1000" | bc)" "$(echo "$warm * 1000" | bc)"
  kill "$HC"; wait "$HC" 2>/dev/null || true; HC=""
done
