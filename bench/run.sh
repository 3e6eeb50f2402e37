#!/usr/bin/env bash
# bench/run.sh - Hookcast vs the NGINX+Lua "par" anchor on loopback.
#
# usage: bench/run.sh [options]
#   --cases LIST     comma-separated, default all: n2-1k,n2-64k,n8-d20,n32-d20,a2-1k
#                      n2-1k    N=2 fast backends, 1 KiB body        (req/s >= 1.3x par, CPU/req <= 0.75x par)
#                      n2-64k   N=2 fast backends, 64 KiB body       (req/s >= 1.2x par)
#                      n8-d20   N=8 backends delayed 20 ms, 1 KiB    (p50 <= 1.0x par, p99 <= 1.1x par)
#                      n32-d20  N=32 backends delayed 20 ms, 1 KiB   (p99 <= 1.2x par)
#                      a2-1k    N=2 fast backends, 1 KiB, an asynchronous route with the embedded store
#                               (no target: the 202s a sender gets once each webhook is stored, against
#                               par's synchronous answers; deliveries run behind, see bench/async.sh)
#                    peak RSS (VmHWM) of the Hookcast JVM is taken in every case; the target
#                    (<= 256 MiB) is checked on n2-1k.
#   --rounds K       alternating rounds per case (default 3)
#   --duration S     seconds per measured run (default 10)
#   --warmup S       unmeasured warm-up per target before round 1 (default 30: on 2 cores the JVM's
#                    compiler takes 15-20 s of load to reach steady state; see docs/performance.md)
#   --quick          1 round of 5 s, 5 s warm-up: a sanity check, not a measurement
#   --conns C        wrk connections (default 64)
#   --instances I    Hookcast -instances (default 1: measured faster than 2 or 4 on 2 cores)
#   --event-loops K  Vert.x eventLoopPoolSize via -options (default 0: the node's own, one per core).
#                    K = 2 x cores is Vert.x's default, which the node cannot tell from none: it runs one
#                    per core then too (docs/operations.md); for two per core, give --jvm-opts bin/hookcast's
#                    flags and -Dvertx.options.eventLoopPoolSize=K
#   --transports L   comma-separated network transports of Hookcast, each case run once per transport and
#                    shown side by side: io_uring, epoll, nio (default: none forced, the transport the node
#                    picks by itself, io_uring where the kernel allows it; the row names the one it used)
#   --cluster        two clustered nodes on loopback: A (ingress + forwarders) and B (forwarders
#                    only), so about half the deliveries cross the Hazelcast event bus; CPU/req and
#                    peak RSS are then of both JVMs together
#   --metrics on|off Prometheus metrics in Hookcast (default on, as shipped), to measure their cost
#   --access-log on|off  one log line per webhook (default on, as shipped), off to measure its cost;
#                    the JVM's output goes to a file in the temporary directory, as a service's log would
#   --tracing RATIO  OpenTelemetry tracing on (telemetry.otlp.endpoint), sampling RATIO (0..1) of the webhooks,
#                    exported to a sink on 127.0.0.1:4318 (one NGINX worker answering 200 to every export), so
#                    that what is measured is Hookcast's cost of making and exporting the spans
#   --jvm-opts "..." JVM flags (default: $HOOKCAST_JVM_OPTS or bin/hookcast's; " " for none, as a bare
#                    `java -jar` runs)
#   --jfr FILE       record a JFR profile (settings=profile) of the Hookcast JVM of the first
#                    case, starting after the warm-up, for 30 s (figures of that case are then
#                    slightly pessimistic)
#   --out FILE       also write the summary table to FILE
#   --no-build       use the existing target/hookcast.jar
#   --jar FILE       measure this jar instead of target/hookcast.jar (implies --no-build), e.g. an
#                    earlier build kept to compare levers one by one
#   --harness DIR    benchmark harness (default $BENCH_HARNESS, else ../shared/bench beside the repository)
#
# Loopback only: Hookcast listens on 127.0.0.1:8090 and is pointed at the harness
# backends 127.0.0.1:5001..50NN; the harness's compare.sh starts the backends and the
# anchors, alternates Hookcast and par, and stops them again. Hookcast is started and
# stopped here, by PID, also on Ctrl-C. par gets the same 2 cores (--proxy-workers 2).
# Installs nginx+lua and wrk with apt-get when missing (Debian, root).
set -euo pipefail

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_SRC/.." && pwd)
HARNESS=${BENCH_HARNESS:-$REPO/../shared/bench}
HC_PORT=8090
HC_ADMIN_PORT=9090
HC_URL="http://127.0.0.1:$HC_PORT/hook"
# bin/hookcast's flags, what the README's first command runs with
DEFAULT_JVM_OPTS=$(sed -nE 's/^DEFAULT_OPTS="(.*)"$/\1/p' "$REPO/bin/hookcast")
[[ -n $DEFAULT_JVM_OPTS ]] || { echo "bench: ERROR: no DEFAULT_OPTS line in $REPO/bin/hookcast" >&2; exit 1; }
JVM_OPTS=${HOOKCAST_JVM_OPTS:-$DEFAULT_JVM_OPTS}
# as bin/hookcast and the image set it
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
ALL_CASES="n2-1k,n2-64k,n8-d20,n32-d20,a2-1k"
JAR=""
TRANSPORTS="" CLUSTER=0 METRICS=true ACCESS_LOG=true TRACING="" OTLP_PORT=4318 EVENT_LOOPS=0 CASES=$ALL_CASES ROUNDS=3 DUR=10 WARMUP=30 CONNS=64 INSTANCES=1 OUT="" BUILD=1 JFR=""
RSS_LIMIT_KIB=$((256 * 1024))

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit "${1:-2}"; }
die() { echo "bench: ERROR: $*" >&2; exit 1; }
log() { echo "# bench: $*" >&2; }

while (($#)); do
  case $1 in
    --cases) CASES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DUR=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --quick) ROUNDS=1 DUR=5 WARMUP=5; shift ;;
    --conns) CONNS=$2; shift 2 ;;
    --instances) INSTANCES=$2; shift 2 ;;
    --jvm-opts) JVM_OPTS=$2; shift 2 ;;
    --event-loops) EVENT_LOOPS=$2; shift 2 ;;
    --transports) TRANSPORTS=$2; shift 2 ;;
    --cluster) CLUSTER=1; shift ;;
    --metrics) case $2 in on) METRICS=true ;; off) METRICS=false ;; *) die "--metrics takes on or off" ;; esac; shift 2 ;;
    --access-log) case $2 in on) ACCESS_LOG=true ;; off) ACCESS_LOG=false ;; *) die "--access-log takes on or off" ;; esac; shift 2 ;;
    --tracing) [[ $2 =~ ^(0|1|0?\.[0-9]+|1\.0+)$ ]] || die "--tracing takes a ratio from 0 to 1"; TRACING=$2; shift 2 ;;
    --jfr) JFR=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --jar) JAR=$(realpath "$2") BUILD=0; shift 2 ;;
    --harness) HARNESS=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "unknown option $1" >&2; usage 2 ;;
  esac
done
[[ $EVENT_LOOPS =~ ^[0-9]+$ && $ROUNDS =~ ^[0-9]+$ && $DUR =~ ^[0-9]+$ && $WARMUP =~ ^[0-9]+$ && $CONNS =~ ^[0-9]+$ && $INSTANCES =~ ^[0-9]+$ ]] ||
  die "--rounds --duration --warmup --conns --instances take integers"
((ROUNDS >= 1 && ROUNDS <= 20 && DUR >= 1 && DUR <= 120 && INSTANCES >= 1)) || die "rounds 1..20, duration 1..120 s"
[[ -x $HARNESS/compare.sh ]] || die "harness not found at $HARNESS (compare.sh); set --harness or \$BENCH_HARNESS"
HARNESS=$(cd "$HARNESS" && pwd)
IFS=, read -r -a CASE_LIST <<<"$CASES"
for c in "${CASE_LIST[@]}"; do
  [[ ,$ALL_CASES, == *,"$c",* ]] || die "unknown case '$c' (known: $ALL_CASES)"
done
IFS=, read -r -a TRANSPORT_LIST <<<"${TRANSPORTS:-default}"
for t in "${TRANSPORT_LIST[@]}"; do
  [[ $t =~ ^(default|io_uring|epoll|nio)$ ]] || die "unknown transport '$t' (known: io_uring, epoll, nio)"
done
ROWS=()   # "case transport", in the order they run: each case on every transport in turn, so that they meet the same machine
for c in "${CASE_LIST[@]}"; do for t in "${TRANSPORT_LIST[@]}"; do ROWS+=("$c $t"); done; done

# ---------------------------------------------------------------- cleanup
TMP=$(mktemp -d /tmp/hookcast-bench.XXXXXX)
HC_PID="" CMP_PID="" TAIL_PID="" SINK_PID=""
stop_pid() {   # TERM, wait up to 10 s, then KILL
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "pid $pid did not stop on TERM, sending KILL"; kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM HUP
  stop_pid "$CMP_PID"     # compare.sh stops its wrk, backends and anchors itself on TERM
  stop_pid "$HC_PID"
  stop_pid "$TAIL_PID"
  stop_pid "$SINK_PID"
  if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $TMP"; else rm -rf -- "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---------------------------------------------------------------- tools
need_install=0
command -v wrk >/dev/null || need_install=1
command -v nginx >/dev/null || need_install=1
command -v curl >/dev/null || need_install=1
ls /usr/lib/nginx/modules/ngx_http_lua_module.so /usr/share/nginx/modules/ngx_http_lua_module.so >/dev/null 2>&1 ||
  [[ -n ${NGINX_MODULES_DIR:-} ]] || need_install=1
if ((need_install)); then
  ((EUID == 0)) || die "wrk / nginx+lua missing and not root: apt-get install -y nginx libnginx-mod-http-lua libnginx-mod-http-ndk lua-cjson wrk curl"
  log "installing nginx+lua, wrk, curl"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y nginx libnginx-mod-http-lua libnginx-mod-http-ndk lua-cjson wrk curl
fi
command -v java >/dev/null || die "java not found (JDK 17)"

# ---------------------------------------------------------------- build
JAR=${JAR:-$REPO/target/hookcast.jar}
if ((BUILD)); then
  log "building $JAR"
  (cd "$REPO" && mvn -B -q package -DskipTests)
fi
[[ -f $JAR ]] || die "$JAR not found (build it, or drop --no-build)"
log "jar: $JAR"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- OTLP sink (--tracing)
if [[ -n $TRACING ]]; then
  port_in_use "$OTLP_PORT" && die "127.0.0.1:$OTLP_PORT is in use (the OTLP sink's port)"
  mkdir -p "$TMP/sink/logs"
  cat >"$TMP/sink/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/sink/nginx.pid;
error_log $TMP/sink/logs/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_buffer_size 16m;
  client_max_body_size 64m;
  server {
    listen 127.0.0.1:$OTLP_PORT;
    # An empty ExportTraceServiceResponse: every span accepted.
    location / { default_type application/x-protobuf; return 200 ""; }
  }
}
CONF
  nginx -p "$TMP/sink" -c "$TMP/sink/nginx.conf" & SINK_PID=$!
  for ((i = 0; i < 50; i++)); do port_in_use "$OTLP_PORT" && break; sleep 0.1; done
  port_in_use "$OTLP_PORT" || die "the OTLP sink did not start (see $TMP/sink/logs/error.log)"
  log "tracing on: sampling $TRACING, exported to the sink on 127.0.0.1:$OTLP_PORT"
fi

# ---------------------------------------------------------------- hookcast
write_config() {   # N MODE (sync|async) -> path
  local n=$1 mode=$2 i f="$TMP/hookcast-n$1-$2.json" sep="" names=""
  {
    printf '{\n  "http": { "host": "127.0.0.1", "port": %d, "accessLog": %s },\n' "$HC_PORT" "$ACCESS_LOG"
    printf '  "admin": { "port": %d },\n' "$HC_ADMIN_PORT"
    printf '  "metrics": { "enabled": %s },\n  "reload": { "scanPeriodMs": 0 },\n' "$METRICS"
    [[ -z $TRACING ]] || printf '  "telemetry": { "otlp": { "endpoint": "http://127.0.0.1:%d" }, "sampleRatio": %s },\n' \
      "$OTLP_PORT" "$TRACING"
    printf '  "delivery": { "timeoutMs": 10000 },\n  "backends": [\n'
    for ((i = 1; i <= n; i++)); do
      printf '%s    { "name": "b%d", "url": "http://127.0.0.1:%d/" }' "$sep" "$i" $((5000 + i))
      names+="${names:+, }\"b$i\""
      sep=$',\n'
    done
    printf '\n  ]'
    if [[ $mode == async ]]; then
      printf ',\n  "store": { "path": "%s/store" },\n' "$TMP"
      printf '  "routes": [ { "path": "/", "backends": [%s], "mode": "async", "dedup": false } ]' "$names"
    fi
    printf '\n}\n'
  } >"$f"
  echo "$f"
}

start_hookcast() {   # N MODE TRANSPORT [extra jvm flag]
  local conf i extra=${4:-} vopts=()
  if [[ $3 == default ]]; then export HOOKCAST_TRANSPORT=""; else export HOOKCAST_TRANSPORT=$3; fi
  rm -rf -- "$TMP/store"
  conf=$(write_config "$1" "$2")
  if ((EVENT_LOOPS > 0)); then
    printf '{ "eventLoopPoolSize": %d }\n' "$EVENT_LOOPS" >"$TMP/vertx-options.json"
    vopts=(-options "$TMP/vertx-options.json")
  fi
  port_in_use "$HC_PORT" && die "127.0.0.1:$HC_PORT is already in use"
  if ((CLUSTER)); then
    # One parent for both JVMs, so that the harness's per-process-tree CPU counts both nodes.
    # shellcheck disable=SC2016
    HOOKCAST_CLUSTER_MEMBERS=127.0.0.1:5801,127.0.0.1:5802 bash -c '
      trap "kill -TERM \$a \$b 2>/dev/null; wait" TERM INT
      HOOKCAST_NODE_NAME=a HOOKCAST_CLUSTER_PORT=5801 java $1 -jar "$2" -cluster -conf "$3" >"$4/hookcast.log" 2>&1 & a=$!
      sleep 8
      HOOKCAST_NODE_NAME=b HOOKCAST_CLUSTER_PORT=5802 HOOKCAST_ROLES=forwarder HOOKCAST_ADMIN_PORT=9081 \
        java $1 -jar "$2" -cluster -conf "$3" >"$4/hookcast-b.log" 2>&1 & b=$!
      wait' cluster "$JVM_OPTS $extra" "$JAR" "$conf" "$TMP" &
    HC_PID=$!
    for ((i = 0; i < 900; i++)); do
      grep -q "Members {size:2" "$TMP/hookcast.log" 2>/dev/null && grep -q "Succeeded in deploying" "$TMP/hookcast-b.log" 2>/dev/null && break
      sleep 0.1
    done
    grep -q "Succeeded in deploying" "$TMP/hookcast-b.log" 2>/dev/null || { cat "$TMP"/hookcast*.log >&2; die "the two-node cluster did not form within 90 s"; }
  else
    # shellcheck disable=SC2086
    java $JVM_OPTS $extra -jar "$JAR" -conf "$conf" -instances "$INSTANCES" "${vopts[@]}" >"$TMP/hookcast.log" 2>&1 &
    HC_PID=$!
  fi
  for ((i = 0; i < 300; i++)); do
    port_in_use "$HC_PORT" && break
    kill -0 "$HC_PID" 2>/dev/null || { cat "$TMP/hookcast.log" >&2; die "Hookcast exited during startup"; }
    sleep 0.1
  done
  port_in_use "$HC_PORT" || { cat "$TMP/hookcast.log" >&2; die "Hookcast did not open $HC_PORT within 30 s"; }
  for ((i = 0; i < 100; i++)); do grep -q 'transport: ' "$TMP/hookcast.log" && break; sleep 0.1; done
  log "Hookcast started (pid $HC_PID, N=$1, -instances $INSTANCES, $(grep -o 'transport: [a-z_]*' "$TMP/hookcast.log" | tail -1))"
}

# peak RSS of a process, or in --cluster mode the sum over the JVMs under the wrapper
peak_rss_kib() {
  local pids=$1
  ((CLUSTER)) && pids=$(pgrep -P "$1" | tr '\n' ' ')
  # shellcheck disable=SC2086
  for p in $pids; do awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'
}

# Heap allocated so far by a JVM, in KiB, from jstat (eden capacity x young collections + eden in use; exact for
# the serial collector, whose eden is empty after each young collection; approximate for G1), and the webhooks it
# answered (its metrics). Prints "KIB WEBHOOKS", or nothing when either is unavailable (--cluster, metrics off).
alloc_sample() {
  local kib webhooks
  ((CLUSTER == 0)) && [[ $METRICS == true ]] && command -v jstat >/dev/null || return 0
  kib=$(jstat -gc "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { printf "%.0f", $col["YGC"] * $col["EC"] + $col["EU"] }') || return 0
  for _ in {1..50}; do   # the admin listener opens just after the ingress
    webhooks=$(curl -fs "http://127.0.0.1:$HC_ADMIN_PORT/metrics" | awk '/^hookcast_webhooks_total\{/ { s += $2 } END { printf "%.0f", s }') && break
    sleep 0.1
  done
  if [[ -n $kib && -n $webhooks ]]; then echo "$kib $webhooks"; fi
}

# ---------------------------------------------------------------- one case
declare -A RES   # RES[case,key]
median() { sort -g | awk '{v[NR]=$1} END{ if (NR == 0) print "nan"; else if (NR%2) printf "%.3f", v[(NR+1)/2]; else printf "%.3f", (v[NR/2]+v[NR/2+1])/2 }'; }

# per-round field of a target from compare.sh output: field_of LOG TARGET KEY
field_of() {
  awk -v t="$2" -v k="$3" '$1 ~ /^round=/ {
      tgt = ""; val = "";
      for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "target") tgt = substr($i, 8); if (kv[1] == k) val = kv[2] }
      if (tgt == t) { sub(/ms$/, "", val); print val }
    }' "$1"
}
# per-round ratios hookcast/par of KEY, one a line
ratios_of() {
  paste <(field_of "$1" "$HC_URL" "$2") <(field_of "$1" par "$2") |
    awk '$2 + 0 > 0 && $1 != "-" { printf "%.3f\n", $1 / $2 }'
}

run_case() {   # CASE TRANSPORT
  local c=$1 t=$2 n delay=0 size=1024 mode=sync log="$TMP/$1-$2.log" extra="" k rss row="$1 $2"
  case $c in
    n2-1k) n=2 ;;
    n2-64k) n=2 size=65536 ;;
    n8-d20) n=8 delay=0.02 ;;
    n32-d20) n=32 delay=0.02 ;;
    a2-1k) n=2 mode=async ;;
  esac
  if [[ -n $JFR && -z ${JFR_DONE:-} ]]; then
    extra="-XX:StartFlightRecording=delay=$((WARMUP + 4))s,duration=30s,settings=profile,filename=$JFR"
    JFR_DONE=1
    log "JFR: recording 30 s after the warm-up to $JFR"
  fi
  echo "=== case $c, transport $t: N=$n payload=$size delay=${delay}s conns=$CONNS rounds=$ROUNDS dur=${DUR}s warmup=${WARMUP}s"
  start_hookcast "$n" "$mode" "$t" "$extra"
  RES[$row,transport]=$(grep -o 'transport: [a-z_]*' "$TMP/hookcast.log" | tail -1 | cut -d' ' -f2)
  local alloc0="" alloc1
  : >"$log"
  # The harness's CPU count reads /proc/*/stat and complains, on stderr, about processes that end meanwhile (other
  # work on the machine); such a line landing inside a result line would lose that round, so they are dropped.
  "$HARNESS/compare.sh" -n "$n" -c "$CONNS" -d "$DUR" -s "$size" --delay "$delay" --warmup "$WARMUP" \
    --proxy-workers 2 --proxy-pid "$HC_PID" "$HC_URL" par "$ROUNDS" >>"$log" \
    2> >(grep --line-buffered -v '/proc/[0-9]*/stat: No such file' >>"$log") &
  CMP_PID=$!
  tail -n +1 -f --pid="$CMP_PID" "$log" &
  TAIL_PID=$!
  # Allocation is counted from the first measured round on: the warm-up's interpreted code allocates more.
  until grep -q '^round=1 ' "$log" || ! kill -0 "$CMP_PID" 2>/dev/null; do sleep 0.2; done
  alloc0=$(alloc_sample "$HC_PID")
  local rc=0
  wait "$CMP_PID" || rc=$?
  CMP_PID=""
  wait "$TAIL_PID" 2>/dev/null || true
  TAIL_PID=""
  ((rc == 0)) || die "compare.sh failed (rc=$rc) for case $c (see output above)"
  rss=$(peak_rss_kib "$HC_PID")
  alloc1=$(alloc_sample "$HC_PID")
  RES[$row,alloc]=$(awk -v a="$alloc0" -v b="$alloc1" 'BEGIN { split(a, x, " "); split(b, y, " ");
    if (a == "" || b == "" || y[2] - x[2] <= 0) print "-"; else printf "%.1f", (y[1] - x[1]) / (y[2] - x[2]) }')
  if [[ -n $extra ]]; then
    # let the recording finish (30 s after its delay) before stopping the JVM
    local waited=0
    while [[ ! -s $JFR ]] && ((waited < 60)) && kill -0 "$HC_PID" 2>/dev/null; do sleep 1; waited=$((waited + 1)); done
  fi
  stop_pid "$HC_PID"; HC_PID=""
  if grep -q 'WARNING' "$log"; then RES[$row,warn]="yes"; else RES[$row,warn]=""; fi
  for k in req/s p50 p99 proxy_cpu_us/req; do
    RES[$row,hc,$k]=$(field_of "$log" "$HC_URL" "$k" | grep -v '^-$' | median)
    RES[$row,par,$k]=$(field_of "$log" par "$k" | grep -v '^-$' | median)
    RES[$row,ratio,$k]=$(ratios_of "$log" "$k" | median)
    RES[$row,rounds,$k]=$(ratios_of "$log" "$k" | tr '\n' ' ')
  done
  RES[$row,rss]=$rss
}

# ---------------------------------------------------------------- summary
verdict() {   # ratio op target -> "met" | "missed by X%"
  awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN{
    if (r == "nan" || r == "") { print "n/a"; exit }
    if (op == ">=") { if (r >= t) print "met"; else printf "missed by %.0f%%\n", (t - r) / t * 100 }
    else            { if (r <= t) print "met"; else printf "missed by %.0f%%\n", (r - t) / t * 100 }
  }'
}

rep() { local s; printf -v s '%*s' "$1" ''; echo "${s// /-}"; }
int() { awk -v v="$1" 'BEGIN{ if (v == "nan" || v == "") print "-"; else printf "%.0f", v }'; }

summary() {
  local row c label line fmt='%-17s | %9s %8s %8s %7s %8s | %9s %8s %8s %7s | %-48s\n'
  echo
  echo "Hookcast vs par (NGINX+Lua capture_multi, 2 workers); medians over $ROUNDS round(s) of ${DUR}s, ${CONNS} conns, -instances $INSTANCES, event loops ${EVENT_LOOPS/#0/default}"
  if [[ -z ${JVM_OPTS// /} ]]; then echo "JVM: no flags (the JVM's defaults, as a bare java -jar runs)"; else echo "JVM: $JVM_OPTS"; fi
  [[ -z $TRACING ]] || echo "tracing: on, sampling $TRACING, exported over OTLP/HTTP to a sink on loopback"
  echo "ratios = median of per-round Hookcast/par ratios; CPU = utime+stime of the proxy process per request"
  printf "$fmt" case "HC req/s" "p50 ms" "p99 ms" "CPU us" "RSS MiB" "par req/s" "p50 ms" "p99 ms" "CPU us" "ratio vs target"
  printf '%s+%s+%s+%s\n' "$(rep 18)" "$(rep 46)" "$(rep 37)" "$(rep 49)"
  for row in "${ROWS[@]}"; do
    local checks=() rss_mib
    c=${row% *}
    label="$c ${RES[$row,transport]:-?}"
    rss_mib=$(awk -v k="${RES[$row,rss]}" 'BEGIN{printf "%.0f", k/1024}')
    case $c in
      n2-1k)
        checks+=("req/s ${RES[$row,ratio,req/s]}x (>=1.3 $(verdict "${RES[$row,ratio,req/s]}" '>=' 1.3))")
        checks+=("CPU ${RES[$row,ratio,proxy_cpu_us/req]}x (<=0.75 $(verdict "${RES[$row,ratio,proxy_cpu_us/req]}" '<=' 0.75))")
        checks+=("RSS ${rss_mib}MiB (<=256 $(verdict "${RES[$row,rss]}" '<=' "$RSS_LIMIT_KIB"))") ;;
      n2-64k)
        checks+=("req/s ${RES[$row,ratio,req/s]}x (>=1.2 $(verdict "${RES[$row,ratio,req/s]}" '>=' 1.2))") ;;
      n8-d20)
        checks+=("p50 ${RES[$row,ratio,p50]}x (<=1.0 $(verdict "${RES[$row,ratio,p50]}" '<=' 1.0))")
        checks+=("p99 ${RES[$row,ratio,p99]}x (<=1.1 $(verdict "${RES[$row,ratio,p99]}" '<=' 1.1))") ;;
      n32-d20)
        checks+=("p99 ${RES[$row,ratio,p99]}x (<=1.2 $(verdict "${RES[$row,ratio,p99]}" '<=' 1.2))") ;;
      a2-1k)
        checks+=("req/s ${RES[$row,ratio,req/s]}x, p99 ${RES[$row,ratio,p99]}x (no target: 202 once stored)") ;;
    esac
    [[ -n ${RES[$row,warn]} ]] && checks+=("WARNING: errors/non-2xx, see log")
    printf "$fmt" "$label" "$(int "${RES[$row,hc,req/s]}")" "${RES[$row,hc,p50]}" "${RES[$row,hc,p99]}" "$(int "${RES[$row,hc,proxy_cpu_us/req]}")" "$rss_mib" \
      "$(int "${RES[$row,par,req/s]}")" "${RES[$row,par,p50]}" "${RES[$row,par,p99]}" "$(int "${RES[$row,par,proxy_cpu_us/req]}")" "${checks[0]}"
    for line in "${checks[@]:1}"; do printf "$fmt" "" "" "" "" "" "" "" "" "" "" "$line"; done
  done
  echo
  echo "Hookcast heap allocated per webhook (KiB over the measured rounds, from jstat and its metrics):$(for row in "${ROWS[@]}"; do printf ' %s %s' "${row% *}/${RES[$row,transport]}" "${RES[$row,alloc]}"; done)"
  echo "per-round Hookcast/par ratios (req/s | p50 | p99 | CPU/req):"
  for row in "${ROWS[@]}"; do
    printf '  %-17s %s| %s| %s| %s\n' "${row% *} ${RES[$row,transport]}" "${RES[$row,rounds,req/s]}" "${RES[$row,rounds,p50]}" "${RES[$row,rounds,p99]}" "${RES[$row,rounds,proxy_cpu_us/req]}"
  done
  echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'); jar $JAR"
}

log "cases: ${CASE_LIST[*]}; transports: ${TRANSPORT_LIST[*]}; rounds $ROUNDS x ${DUR}s, warm-up ${WARMUP}s; about $(( ${#ROWS[@]} * 2 * (ROUNDS * DUR + WARMUP) + ${#ROWS[@]} * 8 ))s"
for row in "${ROWS[@]}"; do run_case "${row% *}" "${row#* }"; done
summary | tee "$TMP/summary.txt"
if [[ -n $OUT ]]; then cp "$TMP/summary.txt" "$OUT"; log "summary written to $OUT"; fi
