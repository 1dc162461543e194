# Shared by the bench scripts (sourced, not run): the JDK, wrk, the jars, free ports, waiting
# for a cluster, memory from /proc, and killing every JVM a script started when it exits.
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
"$JAVA" -version 2>&1 | head -1

PIDS=()
cleanup() {
	for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
	if declare -F postgres_stop >/dev/null; then postgres_stop; fi
}
trap cleanup EXIT

need_jar() { [ -f "$1" ] || ./mvnw -B -q -ntp -DskipTests package; }

sample_settings() { # [workers] [seconds]: the sample jar, built if missing, and the wrk loads' settings
	WORKERS=${1:-2}
	DURATION=${2:-20}
	WARMUP=${WARMUP:-20}
	CONNECTIONS=${CONNECTIONS:-64}
	THREADS=${THREADS:-2}
	JAR=sample-app/target/sample-app.jar
	need_jar "$JAR"
}

app_settings() { # APP=sample (default) or data: sets JAR, a path to load (URL_PATH) and wrk's settings
	CONNECTIONS=${CONNECTIONS:-32}
	THREADS=${THREADS:-2}
	if [ "${APP:-sample}" = data ]; then
		JAR=sample-data/target/sample-data.jar URL_PATH=/api/items/1
	else
		JAR=sample-app/target/sample-app.jar URL_PATH=/whoami
	fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

ready_workers() { # port
	curl -fs "http://127.0.0.1:$1/actuator/cluster" 2>/dev/null | grep -o '"state":"READY"' | wc -l || true
}

wait_ready() { # port, workers (0: a single JVM, ready once its health answers); polls every POLL s
	local deadline=$((SECONDS + 120))
	while [ "$SECONDS" -lt "$deadline" ]; do
		if [ "$2" = 0 ]; then
			curl -fs "http://127.0.0.1:$1/actuator/health" >/dev/null 2>&1 && return 0
		else
			[ "$(ready_workers "$1")" -ge "$2" ] && return 0
		fi
		sleep "${POLL:-0.5}"
	done
	echo "not ready on port $1" >&2; return 1
}

rps() { # url, extra wrk args...
	local url=$1; shift
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$@" "$url" | awk '/Requests\/sec/ {print $2}'
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# proportional set size: a page shared by n processes counts 1/n in each
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }

workers_of() { pgrep -P "$1" || true; } # primary pid

mib() { echo $(( $1 / 1024 )); }

ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

spread() { # port
	curl -fs "http://127.0.0.1:$1/actuator/cluster" | python3 -c '
import json, sys
workers = json.load(sys.stdin)["workers"]
total = sum(w["requests"] for w in workers) or 1
print(" ".join("worker %d: %.1f%%" % (w["id"], 100.0 * w["requests"] / total) for w in workers))'
}
