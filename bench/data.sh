#!/usr/bin/env bash
# The data-backed sample (JPA + Flyway + Thymeleaf) with default settings, clustered against
# the same app as a single JVM, in one run, each on an empty PostgreSQL database of a server
# the script starts. Its Thymeleaf page (a query per request) warms up slowly, so it is
# measured in windows from the moment the app is READY, to show warm-up and steady state;
# then the REST API (an item from each worker's cache). Prints requests/s, the cluster/single
# ratios, and the memory of each process (resident and proportional set size, from /proc).
#
#   bench/data.sh [windows] [seconds]       (defaults: 10 windows of 30 s on the page)
#   CLUSTER_ARGS="--cluster.workers=4" bench/data.sh      (to compare settings)
#   DATABASE=h2 bench/data.sh               (the sample's H2 file instead: embedded in the single
#                                            JVM, served by the primary to the workers over TCP)
set -euo pipefail
cd "$(dirname "$0")/.."
WINDOWS=${1:-10}
WINDOW=${2:-30}
API_SECONDS=${API_SECONDS:-20}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
JAR=sample-data/target/sample-data.jar
. bench/lib.sh
need_jar "$JAR"
DATABASE=${DATABASE:-postgres}
if [ "$DATABASE" = postgres ]; then
	. bench/postgres.sh
	postgres_start
fi

declare -A PAGE API MEMORY WORKERS

measure() { # label, extra args...
	local label=$1; shift
	local port; port=$(free_port)
	rm -rf "/tmp/bench-data-$label"
	local database=()
	if [ "$DATABASE" = postgres ]; then
		postgres_database "catalogue_$label"
		database=(--spring.profiles.active=postgres
			--spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/catalogue_$label"
			--spring.datasource.username="catalogue_$label" --spring.datasource.password="catalogue_$label")
	fi
	"$JAVA" -jar "$JAR" --server.port="$port" --logging.level.root=warn --logging.level.dev.bootcluster=info \
		--sample.data-dir="/tmp/bench-data-$label" "${database[@]}" "$@" >"/tmp/bench-$label.log" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	local workers=0
	if [ "$label" != single ]; then
		wait_ready "$port" 1
		workers=$(curl -fs "http://127.0.0.1:$port/actuator/cluster" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["workers"]))')
	fi
	wait_ready "$port" "$workers"
	WORKERS[$label]=$workers
	local rates=()
	for _ in $(seq 1 "$WINDOWS"); do
		rates+=("$(DURATION=$WINDOW rps "http://127.0.0.1:$port/")")
	done
	PAGE[$label]="${rates[*]}"
	DURATION=$API_SECONDS rps "http://127.0.0.1:$port/api/items/1" >/dev/null
	API[$label]=$(DURATION=$API_SECONDS rps "http://127.0.0.1:$port/api/items/1")
	MEMORY[$label]="$(memory "$pid")"
	[ "$label" = single ] || echo "$label sizing: $(grep -o 'Sizing [0-9]* worker.*' "/tmp/bench-$label.log" | head -1)"
	kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

memory() { # pid: "primary RSS/PSS, worker RSS/PSS..." in MiB
	local line="$(mib "$(rss_kb "$1")")/$(mib "$(pss_kb "$1")")"
	for worker in $(workers_of "$1"); do
		line+=" $(mib "$(rss_kb "$worker")")/$(mib "$(pss_kb "$worker")")"
	done
	echo "$line"
}

measure single --cluster.workers=0
measure cluster ${CLUSTER_ARGS:-}

echo
echo "database: $DATABASE; page req/s in windows of $WINDOW s from READY, then the API after ${API_SECONDS} s of warm-up"
read -ra single <<<"${PAGE[single]}"
read -ra cluster <<<"${PAGE[cluster]}"
ratios=()
for i in "${!single[@]}"; do ratios+=("$(ratio "${cluster[$i]}" "${single[$i]}")"); done
printf '%-28s %s\n' "single JVM, page" "${PAGE[single]}"
printf '%-28s %s\n' "cluster, ${WORKERS[cluster]} workers, page" "${PAGE[cluster]}"
printf '%-28s %s\n' "cluster / single, page" "${ratios[*]}"
printf '%-28s %s / %s = %s\n' "API, cluster / single" "${API[cluster]}" "${API[single]}" "$(ratio "${API[cluster]}" "${API[single]}")"
echo "memory, RSS/PSS MiB: single JVM ${MEMORY[single]}; cluster: primary, then each worker: ${MEMORY[cluster]}"
read -r primary first _ <<<"${MEMORY[cluster]}"
echo "primary RSS / one worker's RSS: $(ratio "${primary%/*}" "${first%/*}")"
