#!/usr/bin/env bash
# How fast workers start, with and without the AOT cache the cluster records for them (JDK
# 25: an AOT cache; 17-24: a CDS archive), on the sample app or the data-backed sample. The
# app as a single JVM first; then clustered with N workers, three ways:
#   cold   - cluster.worker.aot-cache.enabled=false: every worker starts from the fat jar;
#   first  - a fresh cache directory: the first workers start cold, then the primary records
#            the cache (its training run is timed) and later workers start with it;
#   again  - the primary launched again on that directory: every worker starts with it.
# For each: launch to N READY workers, against the single JVM; the time from a worker's
# SIGKILL to its successor's READY and the CPU that successor used to get there (medians of
# RESPAWNS); the workers' proportional set size (PSS) together; and the requests/s of the 10 s
# after a rolling restart as a fraction of the 10 s before it (wrk on loopback).
#
#   bench/boot.sh [workers] [respawns]      (defaults: 2 workers, 5 respawns)
#   APP=data bench/boot.sh                  (the data-backed sample, on its H2 file)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
WORKERS=${1:-2}
RESPAWNS=${2:-5}
app_settings
need_jar "$JAR"
POLL=0.1 # launch-to-ready times to a tenth of a second
WORK=/tmp/bench-boot
rm -rf "$WORK"; mkdir -p "$WORK"
CACHE="$WORK/cache"

now_ms() { date +%s%3N; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

workers() { # primary pid: its workers, not a training run
	for child in $(workers_of "$1"); do
		if grep -qz '^CLUSTER_WORKER_ID=' "/proc/$child/environ" 2>/dev/null; then echo "$child"; fi
	done
	return 0
}

launch() { # label, extra args...: starts the app, sets PID and PORT
	local label=$1; shift
	PORT=$(free_port)
	"$JAVA" -jar "$JAR" --server.port="$PORT" --sample.data-dir="$WORK/data-$label" --logging.level.root=warn \
		--logging.level.dev.bootcluster=info "$@" >"$WORK/$label.log" 2>&1 &
	PID=$!
	PIDS+=("$PID")
}

stop() { kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; }

measure() { # label, extra args...
	local label=$1; shift
	local start; start=$(now_ms)
	launch "$label" --cluster.workers="$WORKERS" "$@"
	wait_ready "$PORT" "$WORKERS"
	START[$label]=$(( $(now_ms) - start ))
	if [ "$label" = first ]; then
		until grep -q "Workers start with the AOT cache" "$WORK/$label.log"; do sleep 0.5; done
		TRAINING=$(grep -o "recorded in [0-9]* s" "$WORK/$label.log" | grep -o "[0-9]*")
	fi
	local times=() cpus=()
	for _ in $(seq 1 "$RESPAWNS"); do
		local live; live=($(workers "$PID"))
		local victim=${live[0]}
		local before; before=$(grep -c "is ready" "$WORK/$label.log")
		kill -KILL "$victim"
		local killed; killed=$(now_ms)
		until [ "$(grep -c "is ready" "$WORK/$label.log")" -gt "$before" ]; do sleep 0.1; done
		times+=($(( $(now_ms) - killed )))
		local successor; successor=$(grep "is ready" "$WORK/$label.log" | tail -1 | sed -E 's/.*\(pid ([0-9]+)\).*/\1/')
		cpus+=($(( $(ticks "$successor") * 1000 / $(getconf CLK_TCK) )))
		sleep 3
	done
	RESPAWN[$label]=$(printf '%s\n' "${times[@]}" | median)
	CPU[$label]=$(printf '%s\n' "${cpus[@]}" | median)
	local pss=0
	for worker in $(workers "$PID"); do pss=$((pss + $(pss_kb "$worker"))); done
	PSS[$label]=$(mib "$pss")
	local url="http://127.0.0.1:$PORT$URL_PATH"
	DURATION=10 rps "$url" >/dev/null # warm
	local before; before=$(DURATION=10 rps "$url")
	local rolled; rolled=$(grep -c "is ready" "$WORK/$label.log")
	kill -HUP "$PID"
	until [ "$(grep -c "is ready" "$WORK/$label.log")" -ge $((rolled + WORKERS)) ]; do sleep 0.1; done
	wait_ready "$PORT" "$WORKERS"
	local after; after=$(DURATION=10 rps "$url")
	ROLL[$label]=$(ratio "$after" "$before")
	stop
}

declare -A START RESPAWN CPU PSS ROLL

start=$(now_ms)
launch single --cluster.workers=0
wait_ready "$PORT" 0
SINGLE=$(( $(now_ms) - start ))
stop

measure cold --cluster.worker.aot-cache.enabled=false
measure first --cluster.worker.aot-cache.directory="$CACHE"
measure again --cluster.worker.aot-cache.directory="$CACHE"
CACHE_MIB=$(du -sm "$CACHE" | cut -f1)

echo
printf '%-46s %10s %10s %10s\n' "$(basename "$JAR"), $WORKERS workers" "cold" "first" "again"
printf '%-46s %10s %10s %10s\n' "launch to all READY (ms; single JVM $SINGLE)" "${START[cold]}" "${START[first]}" \
	"${START[again]}"
printf '%-46s %10s %10s %10s\n' "  / single JVM" "$(ratio "${START[cold]}" "$SINGLE")" \
	"$(ratio "${START[first]}" "$SINGLE")" "$(ratio "${START[again]}" "$SINGLE")"
printf '%-46s %10s %10s %10s\n' "SIGKILL to successor READY, median (ms)" "${RESPAWN[cold]}" "${RESPAWN[first]}" \
	"${RESPAWN[again]}"
printf '%-46s %10s %10s %10s\n' "  / cold" "1.00" "$(ratio "${RESPAWN[first]}" "${RESPAWN[cold]}")" \
	"$(ratio "${RESPAWN[again]}" "${RESPAWN[cold]}")"
printf '%-46s %10s %10s %10s\n' "successor's CPU to READY, median (ms)" "${CPU[cold]}" "${CPU[first]}" "${CPU[again]}"
printf '%-46s %10s %10s %10s\n' "workers' PSS together (MiB)" "${PSS[cold]}" "${PSS[first]}" "${PSS[again]}"
printf '%-46s %10s %10s %10s\n' "requests/s 10 s after a roll / before" "${ROLL[cold]}" "${ROLL[first]}" "${ROLL[again]}"
echo "training run: $TRAINING s; the cache directory: $CACHE_MIB MiB"
