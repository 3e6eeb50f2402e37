#!/usr/bin/env bash
# bench/dead-letters.sh - the operator's list of dead deliveries on a large embedded store.
#
# usage: bench/dead-letters.sh [--messages N] [--dead D] [--jar FILE]
#   --messages N   messages stored, each with one delivery (default 3000000)
#   --dead D       of which dead, spread evenly; the others delivered (default 3)
#   --jar FILE     the jar to measure (default target/hookcast.jar, built when missing)
#
# Hookcast starts as users start it (bin/hookcast, its shipped JVM settings) on an empty store in a temporary
# directory and stops, which migrates it; python3's sqlite3 then writes the messages and deliveries straight into
# hookcast.db (256-byte bodies), and Hookcast starts again on it. Printed:
# the start on the large store (which builds any index a migration adds) and the time of three
# GET /api/messages?status=dead&limit=50, the page the dashboard's status filter asks for, with the rows it held.
# Loopback only; everything started is stopped by PID; the temporary directory is removed.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MESSAGES=3000000 DEAD=3 JAR=$REPO/target/hookcast.jar HC_PORT=8093 ADMIN_PORT=9093
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit "${1:-2}"; }
die() { echo "dead-letters: ERROR: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --messages) MESSAGES=$2; shift 2 ;;
    --dead) DEAD=$2; shift 2 ;;
    --jar) JAR=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    -h|--help) usage 0 ;;
    *) usage ;;
  esac
done
((DEAD >= 1 && DEAD <= MESSAGES)) || die "--dead is 1 to --messages"
command -v python3 >/dev/null && command -v curl >/dev/null || die "python3 and curl are needed"
[[ -f $JAR ]] || (cd "$REPO" && mvn -B -q package -DskipTests)

TMP=$(mktemp -d /tmp/hookcast-dead.XXXXXX)
HC_PID=""
cleanup() {
  set +e
  [[ -n $HC_PID ]] && kill "$HC_PID" 2>/dev/null && wait "$HC_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$TMP/hookcast.json" <<CONF
{
  "http": { "host": "127.0.0.1", "port": $HC_PORT },
  "admin": { "host": "127.0.0.1", "port": $ADMIN_PORT },
  "backends": [ { "name": "one", "url": "http://127.0.0.1:9/" } ],
  "routes": [ { "path": "/async", "backends": ["one"], "mode": "async" } ],
  "store": { "path": "$TMP/store" }
}
CONF

# Starts Hookcast and waits for /ready; STARTED_S is the seconds that took. Not in a subshell: HC_PID is what the
# cleanup stops.
start() {
  local began=$EPOCHREALTIME
  HOOKCAST_JAR=$JAR HOOKCAST_CDS=off "$REPO/bin/hookcast" -conf "$TMP/hookcast.json" >>"$TMP/hookcast.log" 2>&1 &
  HC_PID=$!
  for _ in $(seq 1 1200); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$ADMIN_PORT/ready") == 200 ]] && break
    kill -0 "$HC_PID" 2>/dev/null || die "Hookcast stopped; see its log: $(tail -5 "$TMP/hookcast.log")"
    sleep 0.25
  done
  STARTED_S=$(echo "$EPOCHREALTIME - $began" | bc)
}
stop() { kill "$HC_PID"; wait "$HC_PID" 2>/dev/null || true; HC_PID=""; }

start
stop
python3 - "$TMP/store/hookcast.db" "$MESSAGES" "$DEAD" <<'PY'
import sqlite3, sys
path, n, dead = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
step = n // dead
db = sqlite3.connect(path)
ids = lambda: ('%012d-0000-7000-8000-000000000000' % i for i in range(n))
db.executemany("INSERT INTO messages (id, route, method, uri, headers, body, sender_id, received_at) VALUES"
               " (?, '/async', 'POST', '/async', '{}', ?, NULL, ?)",
               ((m, b'x' * 256, 1765000000000 + i) for i, m in enumerate(ids())))
db.executemany("INSERT INTO deliveries (message_id, backend, status, attempts, next_attempt_at, updated_at) VALUES"
               " (?, 'one', ?, 1, 0, 0)",
               ((m, 'dead' if i % step == step // 2 and i // step < dead else 'delivered') for i, m in enumerate(ids())))
db.commit()
PY
start
echo "dead-letters: $MESSAGES messages, $DEAD dead; start on that store: $STARTED_S s"
for _ in 1 2 3; do
  curl -s -o "$TMP/page.json" -w "dead-letters: GET /api/messages?status=dead&limit=50 answered %{http_code} in %{time_total} s" \
    "127.0.0.1:$ADMIN_PORT/api/messages?status=dead&limit=50"
  python3 -c "import json, sys; print(', %d rows' % len(json.load(open(sys.argv[1])).get('messages', [])))" "$TMP/page.json"
done
