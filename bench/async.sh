#!/usr/bin/env bash
# bench/async.sh - an asynchronous route under sustained load, delivery counted at the backends.
#
# usage: bench/async.sh [options]
#   --rate R         offered webhooks per second (default 5000), spread over the connections
#   --duration S     seconds of load (default 60)
#   --conns C        wrk connections (default 64)
#   --body BYTES     body size (default 1024)
#   --store S        embedded (default) | postgres (a PostgreSQL 15 server started here, as user postgres,
#                    in a temporary directory on 127.0.0.1:5439)
#   --backlog N      first accept N webhooks with the backends stopped, then start them and apply the load:
#                    the delivered/s of the first minute is the backlog's drain speed
#   --drain S        after the warm-up and after the load, wait at most S seconds for every accepted webhook to be
#                    delivered (default 120); a warm-up not delivered by then ends the run (an ordered route offered
#                    more than its keys can carry needs longer), a load not delivered by then is reported
#   --nodes N        1 (default) or 2: with 2, two clustered nodes (Hazelcast on loopback) share the PostgreSQL
#                    store (--store postgres), each taking half the load; CPU and RSS are both JVMs', and the
#                    backends' request count against the accepted webhooks shows any delivery made twice
#   --order-keys K   the route keeps per-key order (routes[].order on the header X-Key), the webhooks spread over K keys
#   --rate-limit R   both backends get backends[].rate {"perSecond": R} (set it far above the load to measure its cost)
#   --jar FILE       the jar to measure (default target/hookcast.jar, built when missing)
#
# Hookcast starts as users start it: bin/hookcast with its shipped JVM settings, access log on, one node. Two
# backends, b1 and b2, are one NGINX process (1 worker) on 127.0.0.1:5001-5002 answering 200 at once; their
# stub_status counts the requests they received, so "delivered" is what reached the backends (each webhook goes to
# both; delivered webhooks = backend requests / 2). wrk paces its connections to the offered rate; a node slower than
# that answers fewer: accepted/s is then what it takes.
# Printed: accepted/s (202s), delivered/s during the load, pending deliveries and the oldest pending age when the
# load stops, p50/p99 of the 202, how long delivering the rest took, Hookcast's CPU per webhook and peak RSS.
# Loopback only; everything started is stopped by PID; the temporary directory is removed.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RATE=5000 DUR=60 CONNS=64 BODY=1024 STORE=embedded BACKLOG=0 DRAIN=120 NODES=1 ORDER_KEYS=0 RATE_LIMIT=0 JAR=$REPO/target/hookcast.jar
HC_PORT=8091 ADMIN_PORT=9091 STATUS_PORT=5099 PG_PORT=5439
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit "${1:-2}"; }
die() { echo "async: ERROR: $*" >&2; exit 1; }
log() { echo "# async: $*" >&2; }
while (($#)); do
  case $1 in
    --rate) RATE=$2; shift 2 ;;
    --duration) DUR=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --body) BODY=$2; shift 2 ;;
    --store) STORE=$2; shift 2 ;;
    --backlog) BACKLOG=$2; shift 2 ;;
    --drain) DRAIN=$2; shift 2 ;;
    --nodes) NODES=$2; shift 2 ;;
    --order-keys) ORDER_KEYS=$2; shift 2 ;;
    --rate-limit) RATE_LIMIT=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) usage ;;
  esac
done
[[ $STORE == embedded || $STORE == postgres ]] || die "--store is embedded or postgres, not '$STORE'"
[[ $NODES == 1 || ( $NODES == 2 && $STORE == postgres ) ]] || die "--nodes is 1, or 2 with --store postgres"
command -v wrk >/dev/null && command -v nginx >/dev/null || die "wrk and nginx are needed: apt-get install -y wrk nginx"
[[ -f $JAR ]] || (cd "$REPO" && mvn -B -q package -DskipTests)

TMP=$(mktemp -d /tmp/hookcast-async.XXXXXX)
chmod 755 "$TMP"
HC_PIDS=() NGINX_PID="" PG_BIN=/usr/lib/postgresql/15/bin PG_STARTED=0 WRK_PID=""
cleanup() {
  set +e
  [[ -n $WRK_PID ]] && kill $WRK_PID 2>/dev/null
  for pid in "${HC_PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null
  ((PG_STARTED)) && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$TMP/pg" -m immediate stop >/dev/null 2>&1
  [[ -n ${KEEP_TMP:-} ]] || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_backends() {
  mkdir -p "$TMP/nginx/logs"
  cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
daemon off;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_max_body_size 64m;
  client_body_temp_path $TMP/nginx/body;
  server { listen 127.0.0.1:5001; listen 127.0.0.1:5002; location / { return 200 "ok\n"; } }
  server { listen 127.0.0.1:$STATUS_PORT; location / { stub_status; } }
}
CONF
  nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" & NGINX_PID=$!
  for _ in $(seq 50); do curl -fs -o /dev/null "127.0.0.1:$STATUS_PORT/" && return; sleep 0.1; done
  die "the backends did not start"
}
stop_backends() { kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; }
# Requests the backends received since they started, without the status requests themselves (counted in a file:
# callers run this in a subshell, where a variable would not keep its count).
backend_requests() {
  local total polls
  total=$(curl -fs "127.0.0.1:$STATUS_PORT/" | awk 'NR == 3 { print $3 }')
  polls=$(( $(cat "$TMP/polls" 2>/dev/null || echo 0) + 1 ))
  echo "$polls" >"$TMP/polls"
  echo $((total - polls))
}

STORE_JSON="\"path\": \"$TMP/data\""
if [[ $STORE == postgres ]]; then
  [[ -x $PG_BIN/postgres ]] || die "PostgreSQL 15 is needed: apt-get install -y postgresql-15"
  mkdir -p "$TMP/pg" && chown postgres "$TMP/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$TMP/pg" -U hookcast --auth=trust >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$TMP/pg" -o "-p $PG_PORT -k $TMP/pg -c listen_addresses=127.0.0.1" \
    -l "$TMP/pg/log" -w start >/dev/null
  PG_STARTED=1
  STORE_JSON="\"url\": \"postgresql://hookcast@127.0.0.1:$PG_PORT/postgres\""
fi

RATE_JSON="" ORDER_JSON=""
((RATE_LIMIT > 0)) && RATE_JSON=", \"rate\": { \"perSecond\": $RATE_LIMIT }"
((ORDER_KEYS > 0)) && ORDER_JSON=", \"order\": { \"key\": { \"header\": \"X-Key\" } }"

start_node() {   # INDEX: node i on HC_PORT+i, ADMIN_PORT+i; clustered when there are two
  local i=$1 cluster=() env=()
  if ((NODES > 1)); then
    cluster=(-cluster)
    env=(HOOKCAST_NODE_NAME="node-$i" HOOKCAST_CLUSTER_HOST=127.0.0.1 HOOKCAST_CLUSTER_PORT=$((5701 + i))
      HOOKCAST_CLUSTER_MEMBERS=127.0.0.1:5701,127.0.0.1:5702)
  fi
  cat >"$TMP/conf-$i.json" <<JSON
{
  "http": { "host": "127.0.0.1", "port": $((HC_PORT + i)) },
  "admin": { "host": "127.0.0.1", "port": $((ADMIN_PORT + i)) },
  "reload": { "scanPeriodMs": 0 },
  "store": { $STORE_JSON },
  "backends": [ { "name": "b1", "url": "http://127.0.0.1:5001/"$RATE_JSON }, { "name": "b2", "url": "http://127.0.0.1:5002/"$RATE_JSON } ],
  "routes": [ { "path": "/", "backends": ["b1", "b2"], "mode": "async", "dedup": false$ORDER_JSON } ]
}
JSON
  env "${env[@]}" HOOKCAST_JAR=$JAR "$REPO/bin/hookcast" "${cluster[@]}" -conf "$TMP/conf-$i.json" >"$TMP/hookcast-$i.log" 2>&1 &
  HC_PIDS+=($!)
}
for ((i = 0; i < NODES; i++)); do start_node "$i"; done
for ((i = 0; i < NODES; i++)); do
  for _ in $(seq 300); do curl -fs -o /dev/null "127.0.0.1:$((ADMIN_PORT + i))/ready" && break; sleep 0.2; done
  curl -fs -o /dev/null "127.0.0.1:$((ADMIN_PORT + i))/ready" || { cat "$TMP/hookcast-$i.log" >&2; die "Hookcast node $i did not become ready"; }
done
ticks() { local t=0 pid; for pid in "${HC_PIDS[@]}"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done; echo "$t"; }
# CPU of the PostgreSQL server (all its processes), which does the store's work on --store postgres.
pg_ticks() { local t=0 p; for p in $(pgrep -u postgres postgres || true); do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
metrics() { local i; for ((i = 0; i < NODES; i++)); do curl -fs "127.0.0.1:$((ADMIN_PORT + i))/metrics"; done; }
accepted_total() { metrics | awk '/^hookcast_webhooks_total\{.*status="2xx"/ { s += $2 } END { printf "%d", s }'; }
attempts_delivered() { metrics | awk '/^hookcast_async_attempts_total\{.*outcome="delivered"/ { s += $2 } END { printf "%d", s }'; }
oldest_pending() { metrics | awk '/^hookcast_async_oldest_pending_age_seconds/ { if ($2 > m) m = $2 } END { printf "%.1f", m }'; }

cat >"$TMP/paced.lua" <<LUA
-- $RATE webhooks/s offered in all (over $NODES wrk processes, one per node): each of a wrk's 2 threads hands out
-- send times 2 * $NODES / $RATE s apart to its connections
-- (a connection waits for its slot after its previous answer), so the rate holds whatever the answers' latency.
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_usec; } hc_timeval; int gettimeofday(hc_timeval *tv, void *tz); ]]
local tv = ffi.new("hc_timeval")
local function now_ms() ffi.C.gettimeofday(tv, nil); return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000 end
local interval = 2 * $NODES * 1000 / $RATE
local slot = 0
wrk.method = "POST"
wrk.body = string.rep("x", $BODY)
wrk.headers["Content-Type"] = "application/json"
local keys = $ORDER_KEYS
local sent = 0
if keys > 0 then
  function request()
    sent = sent + 1
    wrk.headers["X-Key"] = "key-" .. (sent % keys)
    return wrk.format()
  end
end
function delay()
  local now = now_ms()
  -- Slots missed while every connection waited for an answer are made up, but never more than 100 ms of them.
  if slot < now - 100 then slot = now - 100 end
  local wait = slot - now
  slot = slot + interval
  return math.floor(wait)
end
LUA
load() {   # SECONDS [unpaced] -> wrk's output in $TMP/wrk-<node>.out; WRK_PID lists the wrk processes
  local script=$TMP/paced.lua i
  [[ ${2:-} == unpaced ]] && script=$TMP/unpaced.lua && sed '/^function delay/,$d' "$TMP/paced.lua" >"$script"
  WRK_PID=""
  for ((i = 0; i < NODES; i++)); do
    timeout -k 5 $(($1 + 30)) wrk -t2 -c$((CONNS / NODES)) -d"$1s" --timeout 10s --latency -s "$script" \
      "http://127.0.0.1:$((HC_PORT + i))/" >"$TMP/wrk-$i.out" 2>&1 &
    WRK_PID="$WRK_PID $!"
  done
}
wrk_wait() { local pid; for pid in $WRK_PID; do wait "$pid"; done; WRK_PID=""; }
wrk_running() { local pid; for pid in $WRK_PID; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }

start_backends
sleep 2
# Requests the backends got that are no webhook's delivery (the node's start-up warm-up of its clients).
OFFSET=$(( $(backend_requests) - 2 * $(accepted_total) ))
delivered_requests() { echo $(( $(backend_requests) - OFFSET )); }
log "warm-up: 15 s at the offered rate"
load 15; wrk_wait
base_accepted=$(accepted_total)
deadline=$((SECONDS + DRAIN))
until (( $(delivered_requests) >= 2 * base_accepted )); do
  ((SECONDS < deadline)) || die "the warm-up's webhooks not delivered within $DRAIN s (--drain)"; sleep 0.5
done

if ((BACKLOG > 0)); then
  before_restart=$(delivered_requests)
  stop_backends
  log "accepting $BACKLOG webhooks with the backends stopped"
  while (( $(accepted_total) - base_accepted < BACKLOG )); do
    load 5 unpaced; wrk_wait
    grep -q 'Non-2xx' "$TMP"/wrk-*.out && { cat "$TMP"/wrk-*.out >&2; die "webhooks refused while filling the backlog"; }
  done
  rm -f "$TMP/polls"
  start_backends
  OFFSET=$(( $(backend_requests) - before_restart ))
fi

before_accepted=$(accepted_total) before_delivered=$(delivered_requests) before_ticks=$(ticks) before_pg=$(pg_ticks)
pending_at_start=$((2 * before_accepted - before_delivered))
log "load: $RATE/s offered for $DUR s at $CONNS connections${BACKLOG:+, $pending_at_start deliveries pending}"
start=$(date +%s.%N)
load "$DUR"
per_second=()
last=$before_delivered last_at=$(date +%s%N)
while wrk_running; do
  sleep 1
  now=$(delivered_requests) now_at=$(date +%s%N)
  per_second+=($(( (now - last) / 2 * 1000000000 / (now_at - last_at) ))); last=$now last_at=$now_at
done
end=$(date +%s.%N)
wrk_wait
after_accepted=$(accepted_total) after_delivered=$(delivered_requests) after_ticks=$(ticks)
oldest=$(oldest_pending)
# With two nodes, the percentiles are each node's, shown side by side.
lat=$(for f in "$TMP"/wrk-*.out; do awk '/Latency Distribution/ { f = 1; next } f && /50%/ { p50 = $2 } f && /99%/ { p99 = $2 } END { print "p50 " p50 " p99 " p99 }' "$f"; done | paste -sd';' | sed 's/;/; node 2: /')
non2xx=$(cat "$TMP"/wrk-*.out | awk '/Non-2xx/ { s += $NF } END { print s + 0 }')
# wrk's own measured duration ("N requests in 60.02s"): the sampling loop above may overrun it by a fraction of a second.
elapsed=$(sed -nE 's/.* requests in ([0-9.]+)s.*/\1/p' "$TMP/wrk-0.out")
[[ -n $elapsed ]] || elapsed=$(echo "$end - $start" | bc)
accepted=$((after_accepted - before_accepted))
delivered=$(( (after_delivered - before_delivered) / 2 ))
pending_end=$((2 * after_accepted - after_delivered))
wanted=$((2 * after_accepted))
log "load stopped; $pending_end deliveries pending, waiting at most $DRAIN s for them"
deadline=$((SECONDS + DRAIN)) drained=""
while ((SECONDS < deadline)); do
  if (( $(delivered_requests) >= wanted )); then drained=$(echo "$(date +%s.%N) - $end" | bc); break; fi
  sleep 0.2
done
drain_ticks=$(ticks) drain_pg=$(pg_ticks)
rss=$(for pid in "${HC_PIDS[@]}"; do awk '/^VmHWM:/ { print int($2 / 1024) }' "/proc/$pid/status"; done | paste -sd+ | bc)
cpu_us=$(awk -v t=$((drain_ticks - before_ticks)) -v n=$((accepted + pending_at_start / 2)) 'BEGIN { printf "%.0f", t / 100 * 1e6 / n }')
printf '\nstore=%s nodes=%s rate=%s/s conns=%s body=%sB duration=%ss backlog=%s order-keys=%s rate-limit=%s (jar %s)\n' \
  "$STORE" "$NODES" "$RATE" "$CONNS" "$BODY" "$DUR" "$BACKLOG" "$ORDER_KEYS" "$RATE_LIMIT" "$JAR"
printf 'accepted      %8.0f webhooks/s (%d, non-2xx %s), 202 %s\n' "$(echo "$accepted / $elapsed" | bc -l)" "$accepted" "$non2xx" "$lat"
printf 'delivered     %8.0f webhooks/s during the load (%d to both backends)\n' "$(echo "$delivered / $elapsed" | bc -l)" "$delivered"
printf 'each second   %s (webhooks/s delivered)\n' "${per_second[*]}"
printf 'at load end   %d deliveries pending, oldest pending %s s (gauge, refreshed every 5 s)\n' "$pending_end" "$oldest"
if [[ -n $drained ]]; then printf 'drained       %.1f s after the load stopped\n' "$drained"; else printf 'drained       NOT within %s s\n' "$DRAIN"; fi
printf 'check         Hookcast counted %s delivered attempts in all, the backends %s requests\n' "$(attempts_delivered)" "$(delivered_requests)"
printf 'cpu           %s us per webhook accepted and delivered (load + drain)\n' "$cpu_us"
if [[ $STORE == postgres ]]; then
  printf 'postgres cpu  %s us per webhook (its server processes)\n' \
    "$(awk -v t=$((drain_pg - before_pg)) -v n=$((accepted + pending_at_start / 2)) 'BEGIN { printf "%.0f", t / 100 * 1e6 / n }')"
fi
printf 'peak RSS      %s MiB%s\n' "$rss" "$( ((NODES > 1)) && echo ' (both nodes)')"
if [[ -n $drained ]]; then
  printf 'repeats       %d backend requests beyond one per accepted webhook and backend\n' $(( $(delivered_requests) - wanted ))
fi
