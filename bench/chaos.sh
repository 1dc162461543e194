#!/usr/bin/env bash
# Failed requests while the cluster is being disrupted, with wrk on loopback:
#   kill   - SIGKILL a worker every few seconds (requests in flight on it are lost; the
#            queued connections are not: the listen queue belongs to the primary)
#   roll   - SIGHUP to the primary, rolling restarts back to back (nothing may be lost)
# Each runs under a keep-alive and a connection-per-request load and prints failed/total.
#
#   bench/chaos.sh [workers] [seconds]        (defaults: 2 workers, 30 s per run)
#   MODE=relay bench/chaos.sh                 (cluster.mode; default auto)
set -euo pipefail
cd "$(dirname "$0")/.."
WORKERS=${1:-2}
DURATION=${2:-30}
KILL_EVERY=${KILL_EVERY:-5}
JAR=sample-app/target/sample-app.jar
. bench/lib.sh
need_jar "$JAR"

port=$(free_port)
"$JAVA" -jar "$JAR" --server.port="$port" --cluster.workers="$WORKERS" --cluster.mode="${MODE:-auto}" \
	--logging.level.root=warn --logging.level.dev.bootcluster=info --sample.data-dir=/tmp/bench-data-chaos \
	>/tmp/bench-chaos.log 2>&1 &
PRIMARY=$!
PIDS+=("$PRIMARY")
wait_ready "$port" "$WORKERS"
url="http://127.0.0.1:$port/quotes/1?delayMillis=2"
wrk -t2 -c32 -d10s "$url" >/dev/null   # warm-up
wrk -t2 -c32 -d10s -H "Connection: close" "$url" >/dev/null

disrupt() { # kind, seconds
	local end=$((SECONDS + $2))
	while [ $SECONDS -lt $end ]; do
		if [ "$1" = kill ]; then
			sleep "$KILL_EVERY"
			victim=$(workers_of "$PRIMARY" | shuf -n 1)
			[ -n "$victim" ] && kill -KILL "$victim" 2>/dev/null || true
		else
			local rolled; rolled=$(grep -c "Rolling restart complete" /tmp/bench-chaos.log || true)
			kill -HUP "$PRIMARY"
			until [ "$(grep -c "Rolling restart complete" /tmp/bench-chaos.log || true)" -gt "$rolled" ]; do sleep 0.5; done
			sleep 1
		fi
	done
}

run() { # kind, load label, wrk args...
	local kind=$1 label=$2; shift 2
	disrupt "$kind" $((DURATION - 2)) &
	local disruptor=$!
	local out; out=$(wrk -t2 -c32 -d"${DURATION}s" "$@" "$url")
	wait "$disruptor" 2>/dev/null || true
	local total errors non2xx
	total=$(awk '/requests in/ {print $1}' <<<"$out")
	errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
	printf '%-6s %-12s failed %6d / %8d requests\n' "$kind" "$label" $(( ${errors:-0} + ${non2xx:-0} )) "$total"
	wait_ready "$port" "$WORKERS"
}

run kill keep-alive
run kill close -H "Connection: close"
run roll keep-alive
run roll close -H "Connection: close"
echo "exits: $(curl -fs "http://127.0.0.1:$port/actuator/cluster" | python3 -c '
import collections, json, sys
print(dict(collections.Counter(e["cause"] for e in json.load(sys.stdin)["exits"])))')"
