#!/usr/bin/env bash
# Throughput of the sample app run clustered, in inherit mode and in relay mode, against the
# same app as a single JVM, in one run, with wrk on loopback: keep-alive and
# connection-per-request loads, the cluster/single ratios, the spread of requests over the
# workers, and the resident memory of the primary and of a worker. Where a JDK 17 is
# installed (JAVA17), inherit mode on it (the JDK's hand-off) against a single JVM on it too.
#
#   bench/run.sh [workers] [seconds]        (defaults: 2 workers, 20 s per load)
#   CLUSTER_ARGS="--cluster.worker.jvm-args=-XX:ActiveProcessorCount=2" bench/run.sh   (to compare settings)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
sample_settings "$@"

JAVA17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}

measure() { # label, workers, mode[, java]
	local port; port=$(free_port)
	"${4:-$JAVA}" -jar "$JAR" --server.port="$port" --cluster.workers="$2" --cluster.mode="$3" --logging.level.root=warn \
		--sample.data-dir="/tmp/bench-data-$1" ${CLUSTER_ARGS:-} >"/tmp/bench-$1.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	wait_ready "$port" "$2"
	local url="http://127.0.0.1:$port/whoami"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "Connection: close" "$url" >/dev/null
	KEEPALIVE[$1]=$(rps "$url")
	CLOSE[$1]=$(rps "$url" -H "Connection: close")
	if [ "$2" != 0 ]; then
		SPREAD[$1]=$(spread "$port")
		PRIMARY_RSS[$1]=$(rss_kb "$pid")
		WORKER_PID=$(workers_of "$pid" | head -1)
		WORKER_RSS[$1]=$(rss_kb "$WORKER_PID")
	else
		SINGLE_RSS[$1]=$(rss_kb "$pid")
	fi
	kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

declare -A KEEPALIVE CLOSE SPREAD PRIMARY_RSS WORKER_RSS SINGLE_RSS
measure single 0 auto
measure inherit "$WORKERS" inherit
measure relay "$WORKERS" relay
MODES=(inherit relay)
if [ -x "$JAVA17" ]; then
	measure single17 0 auto "$JAVA17"
	measure inherit17 "$WORKERS" inherit "$JAVA17"
	MODES+=(inherit17)
fi

echo
printf '%-34s %12s %12s\n' "" "keep-alive" "close"
printf '%-34s %12s %12s\n' "single JVM (req/s)" "${KEEPALIVE[single]}" "${CLOSE[single]}"
[ -n "${KEEPALIVE[single17]:-}" ] && printf '%-34s %12s %12s\n' "single JVM, Java 17 (req/s)" \
	"${KEEPALIVE[single17]}" "${CLOSE[single17]}"
for mode in "${MODES[@]}"; do
	printf '%-34s %12s %12s\n' "$mode, $WORKERS workers (req/s)" "${KEEPALIVE[$mode]}" "${CLOSE[$mode]}"
done
for mode in "${MODES[@]}"; do
	single=single; [ "$mode" = inherit17 ] && single=single17
	printf '%-34s %12s %12s\n' "$mode / $single" "$(ratio "${KEEPALIVE[$mode]}" "${KEEPALIVE[$single]}")" \
		"$(ratio "${CLOSE[$mode]}" "${CLOSE[$single]}")"
done
for mode in "${MODES[@]}"; do
	echo "$mode spread: ${SPREAD[$mode]}"
	echo "$mode resident memory: primary $((PRIMARY_RSS[$mode] / 1024)) MiB, one worker $((WORKER_RSS[$mode] / 1024)) MiB"
done
for single in "${!SINGLE_RSS[@]}"; do
	echo "$single JVM resident memory: $((SINGLE_RSS[$single] / 1024)) MiB"
done
