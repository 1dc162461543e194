#!/usr/bin/env bash
# The relay's levers, in one run: the sample app as a single JVM, then clustered in relay
# mode with the workers behind loopback TCP ports and behind Unix domain sockets
# (cluster.relay.transport), with wrk on loopback, keep-alive and connection-per-request
# loads, the cluster/single ratios, and the relay thread's CPU while it relays.
#
#   bench/relay.sh [workers] [seconds]      (defaults: 2 workers, 20 s per load)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
sample_settings "$@"

relay_ticks() { # primary pid (0: none): CPU clock ticks of its relay thread so far
	local ticks=0
	for task in /proc/"$1"/task/*; do
		if [ "$(cat "$task/comm" 2>/dev/null)" = cluster-relay ]; then ticks=$(awk '{print $14 + $15}' "$task/stat"); fi
	done
	echo "$ticks"
}

measure() { # label, workers[, cluster args...]
	local label=$1 workers=$2; shift 2
	local port; port=$(free_port)
	"$JAVA" -jar "$JAR" --server.port="$port" --cluster.workers="$workers" --logging.level.root=warn \
		--sample.data-dir="/tmp/bench-data-$label" "$@" >"/tmp/bench-$label.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	wait_ready "$port" "$workers"
	local url="http://127.0.0.1:$port/whoami"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "Connection: close" "$url" >/dev/null
	local before; before=$(relay_ticks "$pid")
	KEEPALIVE[$label]=$(rps "$url")
	local after; after=$(relay_ticks "$pid")
	RELAY_CPU[$label]=$(python3 -c "print('%d%%' % (100.0 * ($after - $before) / $(getconf CLK_TCK) / $DURATION))")
	CLOSE[$label]=$(rps "$url" -H "Connection: close")
	kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

declare -A KEEPALIVE CLOSE RELAY_CPU
measure single 0
measure tcp "$WORKERS" --cluster.mode=relay --cluster.relay.transport=tcp
measure unix "$WORKERS" --cluster.mode=relay --cluster.relay.transport=unix

echo
printf '%-40s %12s %12s %16s\n' "" "keep-alive" "close" "relay thread"
printf '%-40s %12s %12s\n' "single JVM (req/s)" "${KEEPALIVE[single]}" "${CLOSE[single]}"
for label in tcp unix; do
	printf '%-40s %12s %12s %16s\n' "relay over $label, $WORKERS workers (req/s)" "${KEEPALIVE[$label]}" \
		"${CLOSE[$label]}" "${RELAY_CPU[$label]} of a core"
done
for label in tcp unix; do
	printf '%-40s %12s %12s\n' "relay over $label / single" "$(ratio "${KEEPALIVE[$label]}" "${KEEPALIVE[single]}")" \
		"$(ratio "${CLOSE[$label]}" "${CLOSE[single]}")"
done
