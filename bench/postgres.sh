# A throwaway PostgreSQL server from Debian's packages (sourced, not run), for the bench and
# for .ci/postgres: its own directory in /tmp, a free loopback port, trust authentication,
# stopped and removed by postgres_stop. Sets PG_PORT.
postgres_start() {
	if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	fi
	PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/postgres | sort -V | tail -1)")
	PG_DIR=$(mktemp -d /tmp/bench-postgres.XXXXXX)
	PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
	[ "$(id -u)" != 0 ] || chown postgres "$PG_DIR" # PostgreSQL does not run as root
	as_postgres "$PG_BIN/initdb" -D "$PG_DIR/db" -U postgres --auth=trust >/dev/null
	as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/db" -l "$PG_DIR/server.log" -w \
		-o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR" start >/dev/null
}

# an empty database of that name, owned by a user of that name whose password is the name
postgres_database() {
	PGOPTIONS="-c client_min_messages=warning" as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "drop database if exists $1" \
		-c "drop user if exists $1" -c "create user $1 password '$1'" -c "create database $1 owner $1"
}

postgres_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/db" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$PG_DIR"
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
