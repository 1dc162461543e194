#!/usr/bin/env bash
# One scrape for the whole cluster, what it costs: the sample app with N workers, each with
# about 1,000 series (EXTRA_METERS more meters than its own), scraped on the primary's
# management port; three runs: the workers' meters in the primary with the extra meters
# standing still, the same with every extra meter changing all the time (the worst case:
# a worker reports only what changed), and the primary's meters only
# (cluster.metrics.include-workers=false). First idle: the CPU of the primary and of the
# workers, and the primary's allocation (JFR's per-thread statistics), which is what the
# reports after every heartbeat cost; then SCRAPES scrapes in a row: their time and size,
# and the primary's allocation per scrape.
#
#   bench/scrape.sh [workers] [scrapes]     (defaults: 4 workers, 200 scrapes; IDLE=30 s)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
WORKERS=${1:-4}
SCRAPES=${2:-200}
IDLE=${IDLE:-30}
EXTRA_METERS=${EXTRA_METERS:-900}
JAR=sample-app/target/sample-app.jar
need_jar "$JAR"
BIN=$(dirname "$JAVA")

cpu_ticks() { # pids...: CPU clock ticks they have used so far
	local ticks=0
	for pid in "$@"; do ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
	echo "$ticks"
}

allocated() { # pid, command...: bytes the JVM allocated while the command ran
	local pid=$1; shift
	"$BIN/jcmd" "$pid" JFR.start name=bench 'jdk.ThreadAllocationStatistics#period=1s' >/dev/null
	"$@"
	"$BIN/jcmd" "$pid" JFR.dump name=bench filename="/tmp/bench-scrape-$pid.jfr" >/dev/null
	"$BIN/jcmd" "$pid" JFR.stop name=bench >/dev/null
	"$BIN/jfr" print --json --events jdk.ThreadAllocationStatistics "/tmp/bench-scrape-$pid.jfr" | python3 -c '
import json, sys
first, last = {}, {}
for event in json.load(sys.stdin)["recording"]["events"]:
    thread, allocated = event["values"]["thread"]["javaThreadId"], event["values"]["allocated"]
    first.setdefault(thread, allocated)
    last[thread] = allocated
print(sum(last[t] - first[t] for t in last))'
}

scrapes() { # management port: the time of each of SCRAPES scrapes, in ms, into /tmp/bench-scrape-times
	for _ in $(seq 1 "$SCRAPES"); do
		curl -fs -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$1/actuator/prometheus"
	done | awk '{print $1 * 1000}' >/tmp/bench-scrape-times
}

percentile() { # p: of /tmp/bench-scrape-times
	sort -n /tmp/bench-scrape-times | awk -v p="$1" '{a[NR] = $1} END {i = int(NR * p / 100); if (i < 1) i = 1; printf "%.1f", a[i]}'
}

measure() { # label, include-workers, extra meters changing
	local label=$1 include=$2 changing=$3
	local port management
	port=$(free_port)
	management=$(free_port)
	"$JAVA" -jar "$JAR" --server.port="$port" --management.server.port="$management" --cluster.workers="$WORKERS" \
		--cluster.metrics.include-workers="$include" --sample.extra-meters="$EXTRA_METERS" \
		--sample.extra-meters-change="$changing" \
		--management.endpoints.web.exposure.include=health,cluster,prometheus --logging.level.root=warn \
		--sample.data-dir="/tmp/bench-data-scrape-$label" >"/tmp/bench-scrape-$label.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	wait_ready "$management" "$WORKERS"
	sleep 10 # the workers' start is over
	local workers
	mapfile -t workers < <(workers_of "$pid")
	local primary_before workers_before
	primary_before=$(cpu_ticks "$pid")
	workers_before=$(cpu_ticks "${workers[@]}")
	IDLE_ALLOC[$label]=$(allocated "$pid" sleep "$IDLE")
	IDLE_PRIMARY[$label]=$(python3 -c "print('%.1f%%' % (100.0 * ($(cpu_ticks "$pid") - $primary_before) / $(getconf CLK_TCK) / $IDLE))")
	IDLE_WORKERS[$label]=$(python3 -c "print('%.1f%%' % (100.0 * ($(cpu_ticks "${workers[@]}") - $workers_before) / $(getconf CLK_TCK) / $IDLE))")
	curl -fs "http://127.0.0.1:$management/actuator/prometheus" >/tmp/bench-scrape-body
	SERIES[$label]=$(grep -vc '^#' /tmp/bench-scrape-body)
	BYTES[$label]=$(wc -c </tmp/bench-scrape-body)
	local start; start=$(date +%s.%N)
	SCRAPE_ALLOC[$label]=$(allocated "$pid" scrapes "$management")
	local elapsed; elapsed=$(python3 -c "print($(date +%s.%N) - $start)")
	# what idling costs meanwhile is not the scrapes'
	SCRAPE_ALLOC[$label]=$(python3 -c "print(max(0, ${SCRAPE_ALLOC[$label]} - ${IDLE_ALLOC[$label]} * $elapsed / $IDLE) / $SCRAPES)")
	MEDIAN[$label]=$(percentile 50)
	P99[$label]=$(percentile 99)
	kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

declare -A IDLE_ALLOC IDLE_PRIMARY IDLE_WORKERS SERIES BYTES SCRAPE_ALLOC MEDIAN P99
measure with true false
measure changing true true
measure without false false

row() { # title, values of with, changing, without
	printf '%-46s %16s %16s %16s\n' "$@"
}

echo
row "$WORKERS workers, $EXTRA_METERS extra meters each" "workers' meters" "all changing" "primary's only"
kib() { python3 -c "print(int($1 / 1024))"; }
row "series in one scrape" "${SERIES[with]}" "${SERIES[changing]}" "${SERIES[without]}"
row "scrape size (KiB)" "$(kib "${BYTES[with]}")" "$(kib "${BYTES[changing]}")" "$(kib "${BYTES[without]}")"
row "scrape time, median / p99 (ms)" "${MEDIAN[with]} / ${P99[with]}" "${MEDIAN[changing]} / ${P99[changing]}" \
	"${MEDIAN[without]} / ${P99[without]}"
row "primary allocation per scrape (KiB)" "$(kib "${SCRAPE_ALLOC[with]}")" "$(kib "${SCRAPE_ALLOC[changing]}")" \
	"$(kib "${SCRAPE_ALLOC[without]}")"
row "idle: primary CPU (of a core)" "${IDLE_PRIMARY[with]}" "${IDLE_PRIMARY[changing]}" "${IDLE_PRIMARY[without]}"
row "idle: workers' CPU, all together (of a core)" "${IDLE_WORKERS[with]}" "${IDLE_WORKERS[changing]}" \
	"${IDLE_WORKERS[without]}"
row "idle: primary allocation (KiB/s)" "$(kib "${IDLE_ALLOC[with]} / $IDLE")" "$(kib "${IDLE_ALLOC[changing]} / $IDLE")" \
	"$(kib "${IDLE_ALLOC[without]} / $IDLE")"
