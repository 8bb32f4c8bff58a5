#!/usr/bin/env bash
# Measures what a private sandbox network costs (start time, pasta memory, requests through the proxy), against
# sandboxes on the host network in the same run. Needs pasta, bubblewrap, node and wrk; as root it also installs the
# sandbox firewall. Usage (repository root, JAVA_HOME = a JDK 21+): perf/sandbox-network/run.sh [starts] [wrk-seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -o -q -B -pl services/standalone -am -DskipTests package test-compile
mvn -o -q -B -pl services/standalone dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
# This checkout's own modules, not whatever snapshot the local repository holds.
cp=$(tr ':' '\n' < services/standalone/target/cp.txt | grep -v '/dev/vibed/' | paste -sd: -)
own=services/standalone/target/test-classes:services/standalone/target/classes
for m in agent services/core services/api; do own="$own:$(ls $m/target/*-SNAPSHOT.jar | head -1)"; done
own="$own:$(ls services/core/target/*-tests.jar)"
exec "$JAVA_HOME/bin/java" -cp "$own:$cp" dev.vibed.standalone.sandbox.SandboxNetworkBench "$@"
