#!/usr/bin/env bash
# How fast workers start, and what an ahead-of-time cache would give them: the sample app
# as a single JVM, then clustered with N workers launched three ways: from the fat jar (as
# today), from the jar extracted with Spring Boot's `-Djarmode=tools extract`, and from the
# extracted jar with a JDK AOT cache (JDK 25: -XX:AOTCache, recorded by one training run
# that exits once the context is refreshed, -Dspring.context.exit=onRefresh). For each: the
# time from launch to N READY workers, the time from a worker's SIGKILL to its successor's
# READY (median of RESPAWNS), the CPU that successor used to get there, and the workers'
# proportional set size (PSS) together.
#
#   bench/boot.sh [workers] [respawns]      (defaults: 2 workers, 5 respawns)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
WORKERS=${1:-2}
RESPAWNS=${2:-5}
JAR=sample-app/target/sample-app.jar
need_jar "$JAR"
POLL=0.1 # launch-to-ready times to a tenth of a second
WORK=/tmp/bench-boot
rm -rf "$WORK"; mkdir -p "$WORK"
JVM_OPTIONS=(-XX:ActiveProcessorCount=1 -XX:+UseG1GC) # as the workers run

now_ms() { date +%s%3N; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # label, jar, extra worker JVM options
	local label=$1 jar=$2 options=$3
	local port; port=$(free_port)
	local start; start=$(now_ms)
	"$JAVA" -jar "$jar" --server.port="$port" --cluster.workers="$WORKERS" --sample.data-dir="$WORK/data-$label" \
		${options:+"--cluster.worker.jvm-args=$options"} >"$WORK/$label.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	wait_ready "$port" "$WORKERS"
	START[$label]=$(( $(now_ms) - start ))
	local times=() cpus=()
	for _ in $(seq 1 "$RESPAWNS"); do
		local victim; victim=$(workers_of "$pid" | head -1)
		local before; before=$(grep -c "is ready" "$WORK/$label.log")
		kill -KILL "$victim"
		local killed; killed=$(now_ms)
		until [ "$(grep -c "is ready" "$WORK/$label.log")" -gt "$before" ]; do sleep 0.1; done
		times+=($(( $(now_ms) - killed )))
		local successor; successor=$(grep "is ready" "$WORK/$label.log" | tail -1 | sed -E 's/.*\(pid ([0-9]+)\).*/\1/')
		cpus+=($(( $(ticks "$successor") * 1000 / $(getconf CLK_TCK) )))
		sleep 3
	done
	RESPAWN[$label]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	CPU[$label]=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	local pss=0
	for worker in $(workers_of "$pid"); do pss=$((pss + $(pss_kb "$worker"))); done
	PSS[$label]=$(mib "$pss")
	kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

declare -A START RESPAWN CPU PSS

port=$(free_port)
start=$(now_ms)
"$JAVA" -jar "$JAR" --server.port="$port" --cluster.workers=0 --sample.data-dir="$WORK/data-single" >"$WORK/single.log" 2>&1 &
PIDS+=("$!")
wait_ready "$port" 0
SINGLE=$(( $(now_ms) - start ))
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null
EXTRACTED="$WORK/app/$(basename "$JAR")"
"$JAVA" "${JVM_OPTIONS[@]}" -XX:AOTCacheOutput="$WORK/app.aot" -Dspring.context.exit=onRefresh -jar "$EXTRACTED" \
	--cluster.workers=0 --server.port=0 --sample.data-dir="$WORK/data-training" >"$WORK/training.log" 2>&1
AOT_MIB=$(( $(stat -c %s "$WORK/app.aot") / 1024 / 1024 ))

measure fat "$JAR" ""
measure extracted "$EXTRACTED" ""
measure aot "$EXTRACTED" "-XX:AOTCache=$WORK/app.aot"

echo
printf '%-44s %12s %12s %12s\n' "$WORKERS workers" "fat jar" "extracted" "+ AOT cache"
printf '%-44s %12s %12s %12s\n' "launch to all READY (ms; single JVM $SINGLE)" "${START[fat]}" "${START[extracted]}" "${START[aot]}"
printf '%-44s %12s %12s %12s\n' "  / single JVM" "$(ratio "${START[fat]}" "$SINGLE")" "$(ratio "${START[extracted]}" "$SINGLE")" \
	"$(ratio "${START[aot]}" "$SINGLE")"
printf '%-44s %12s %12s %12s\n' "SIGKILL to successor READY, median (ms)" "${RESPAWN[fat]}" "${RESPAWN[extracted]}" "${RESPAWN[aot]}"
printf '%-44s %12s %12s %12s\n' "  / fat jar" "1.00" "$(ratio "${RESPAWN[extracted]}" "${RESPAWN[fat]}")" \
	"$(ratio "${RESPAWN[aot]}" "${RESPAWN[fat]}")"
printf '%-44s %12s %12s %12s\n' "successor's CPU to READY, median (ms)" "${CPU[fat]}" "${CPU[extracted]}" "${CPU[aot]}"
printf '%-44s %12s %12s %12s\n' "workers' PSS together (MiB)" "${PSS[fat]}" "${PSS[extracted]}" "${PSS[aot]}"
echo "AOT cache: $AOT_MIB MiB, one training run"
