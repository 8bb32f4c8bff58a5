#!/usr/bin/env bash
# First-use cost of JSON-P (parsson) against JSON-B (Yasson) in a fresh JVM, 9 runs each, interleaved; prints medians.
# Usage: perf/json-startup/run.sh   (needs the jars in ~/.m2: run ./vibed build once)
set -euo pipefail
cd "$(dirname "$0")"
m2="${HOME}/.m2/repository"
cp=$(find "$m2/org/eclipse/yasson/3.0.4" "$m2/jakarta/json/bind/jakarta.json.bind-api/3.0.1" \
  "$m2/jakarta/json/jakarta.json-api/2.1.3" "$m2/org/eclipse/parsson/parsson/1.1.9" -name '*.jar' | tr '\n' :)
java="${JAVA_HOME:-/usr}/bin/java"
out=$(mktemp -d)
"${JAVA_HOME:-/usr}/bin/javac" -cp "$cp" -d "$out" FirstUse.java
for i in $(seq 9); do
  for kind in jsonp jsonb; do "$java" -XX:TieredStopAtLevel=1 -cp "$cp:$out" FirstUse "$kind"; done
done | awk '{split($4, a, "="); v[$1] = v[$1] " " a[2]} END {for (k in v) print k, v[k]}' | while read -r kind rest; do
  printf '%s median_ms=%s\n' "$kind" "$(tr ' ' '\n' <<<"$rest" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
rm -rf "$out"
