#!/usr/bin/env bash
# kill -9 while the embedded store accepts; then count acknowledged accepts that a restart does not find.
# bench/store-kill.sh [seconds before the kill, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o compile
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
CP="target/classes:$(cat target/bench-classpath.txt)"
TMP=$(mktemp -d /tmp/hookcast-kill.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
java -cp "$CP" bench/StoreKillCheck.java write "$TMP/data" > "$TMP/acknowledged" 2> "$TMP/writer.log" &
WRITER=$!
sleep "${1:-5}"
kill -9 "$WRITER"
wait "$WRITER" 2>/dev/null || true
java -cp "$CP" bench/StoreKillCheck.java check "$TMP/data" "$TMP/acknowledged" 2> "$TMP/check.log"
