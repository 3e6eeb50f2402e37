#!/usr/bin/env bash
# accept() throughput and p99 of the durable store (no HTTP): bench/store.sh [embedded|postgres] [clients] [seconds] [dedup on|off]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -cp "target/classes:$(cat target/bench-classpath.txt)" bench/StoreBench.java "${@:-embedded}"
