#!/usr/bin/env bash
# A rolling restart under load, with and without the workers' warm-up
# (cluster.worker.warmup.*): wrk on loopback before the roll (10 s, after WARM s of load, 30 by
# default, to reach steady state), through the roll (from the SIGHUP to the last new worker
# READY) and in the 10 s after it. Prints each window's requests/s and p99 latency, and the
# last two rates as fractions of the first. Both runs start their workers from the same AOT
# cache, recorded by a first launch.
#
#   bench/roll.sh [workers]                 (default: 2 workers)
#   WARMUP_PATHS=/whoami WARMUP_DURATION=10s bench/roll.sh
#   APP=data WARMUP_PATHS=/,/api/items/1 bench/roll.sh    (the data-backed sample, on its H2 file)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
WORKERS=${1:-2}
app_settings
WARMUP_PATHS=${WARMUP_PATHS:-$URL_PATH}
WARMUP_DURATION=${WARMUP_DURATION:-10s}
need_jar "$JAR"
WORK=/tmp/bench-roll
rm -rf "$WORK"; mkdir -p "$WORK"

launch() { # label, extra args...: starts the cluster, sets PID and PORT, waits for it
	local label=$1; shift
	PORT=$(free_port)
	"$JAVA" -jar "$JAR" --server.port="$PORT" --cluster.workers="$WORKERS" --sample.data-dir="$WORK/data-$label" \
		--cluster.worker.aot-cache.directory="$WORK/cache" --logging.level.root=warn \
		--logging.level.dev.bootcluster=info "$@" >"$WORK/$label.log" 2>&1 &
	PID=$!
	PIDS+=("$PID")
	wait_ready "$PORT" "$WORKERS"
}

stop() { kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; }

window() { # wrk output file: "requests/s p99"
	echo "$(awk '/Requests\/sec/ {print $2}' "$1") $(awk '$1 == "99%" {print $2}' "$1")"
}

measure() { # label, extra args...
	local label=$1; shift
	launch "$label" "$@"
	local url="http://127.0.0.1:$PORT$URL_PATH"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARM:-30}s" "$url" >/dev/null # to steady state
	wrk -t"$THREADS" -c"$CONNECTIONS" -d10s --latency "$url" >"$WORK/$label-before.txt"
	local ready; ready=$(grep -c "is ready" "$WORK/$label.log")
	wrk -t"$THREADS" -c"$CONNECTIONS" -d600s --latency "$url" >"$WORK/$label-during.txt" &
	local load=$!
	local start; start=$(date +%s%3N)
	kill -HUP "$PID"
	until [ "$(grep -c "is ready" "$WORK/$label.log")" -ge $((ready + WORKERS)) ]; do sleep 0.1; done
	ROLL[$label]=$(( $(date +%s%3N) - start ))
	kill -INT "$load"; wait "$load" || true
	wrk -t"$THREADS" -c"$CONNECTIONS" -d10s --latency "$url" >"$WORK/$label-after.txt"
	read -r BEFORE_RPS[$label] BEFORE_P99[$label] <<<"$(window "$WORK/$label-before.txt")"
	read -r DURING_RPS[$label] DURING_P99[$label] <<<"$(window "$WORK/$label-during.txt")"
	read -r AFTER_RPS[$label] AFTER_P99[$label] <<<"$(window "$WORK/$label-after.txt")"
	stop
}

declare -A ROLL BEFORE_RPS BEFORE_P99 DURING_RPS DURING_P99 AFTER_RPS AFTER_P99

launch prime # records the AOT cache both runs start from
until grep -q "Workers start with the AOT cache" "$WORK/prime.log"; do sleep 0.5; done
stop

measure cold
measure warm --cluster.worker.warmup.paths="$WARMUP_PATHS" --cluster.worker.warmup.duration="$WARMUP_DURATION"

echo
printf '%-40s %16s %16s\n' "$(basename "$JAR"), $WORKERS workers" "no warm-up" "warm-up $WARMUP_DURATION"
printf '%-40s %16s %16s\n' "the roll took (ms)" "${ROLL[cold]}" "${ROLL[warm]}"
for window in before during after; do
	rps=${window^^}_RPS p99=${window^^}_P99
	declare -n rates=$rps latencies=$p99
	printf '%-40s %16s %16s\n' "$window the roll: requests/s" "${rates[cold]}" "${rates[warm]}"
	printf '%-40s %16s %16s\n' "$window the roll: p99 latency" "${latencies[cold]}" "${latencies[warm]}"
	unset -n rates latencies
done
printf '%-40s %16s %16s\n' "requests/s during / before" "$(ratio "${DURING_RPS[cold]}" "${BEFORE_RPS[cold]}")" \
	"$(ratio "${DURING_RPS[warm]}" "${BEFORE_RPS[warm]}")"
printf '%-40s %16s %16s\n' "requests/s 10 s after / before" "$(ratio "${AFTER_RPS[cold]}" "${BEFORE_RPS[cold]}")" \
	"$(ratio "${AFTER_RPS[warm]}" "${BEFORE_RPS[warm]}")"
