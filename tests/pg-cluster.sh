#!/bin/sh
# A private PostgreSQL cluster for the tests and the benchmark: initdb in
# DIR, a Unix socket in DIR, no TCP, run by an unprivileged user when
# started as root (PostgreSQL refuses to run as root).
#
# usage: pg-cluster.sh start DIR	prints the admin URI on stdout
#        pg-cluster.sh stop DIR
#
# Roles: chainaudit (superuser, no password over the socket, the tests'
# admin) and, for the error tests, any role created later with a
# password (scram-sha-256 for every other role).  PGBINDIR overrides
# where initdb, pg_ctl and postgres are looked for; PG_FSYNC=on keeps
# fsync (default off).
set -eu

cmd=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}

bindir=${PGBINDIR:-}
if [ -z "$bindir" ]; then
	for d in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
		[ -x "$d/initdb" ] && bindir=$d
	done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
	echo "pg-cluster.sh: no PostgreSQL server binaries (initdb, pg_ctl):" \
	    "apt-get install postgresql" >&2
	exit 1
fi

# As root, run the server as nobody; otherwise as ourselves.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

case $cmd in
start)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown nobody:nogroup "$dir"
	chmod 700 "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U chainaudit -A trust \
	    -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	cat > "$dir/data/pg_hba.conf" <<-EOF
	local	all	chainaudit	trust
	local	all	all		scram-sha-256
	EOF
	# Enough connections for the tests' parallel processes.  fsync off
	# for the tests (the cluster is thrown away); the benchmark sets
	# PG_FSYNC=on to measure commits as a real server makes them.
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
	    -o "-c listen_addresses='' -c unix_socket_directories='$dir' \
	    -c max_connections=200 -c fsync=${PG_FSYNC:-off}" start \
	    >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	echo "postgresql:///postgres?host=$dir&user=chainaudit"
	;;
stop)
	[ -d "$dir/data" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" \
	    -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pg-cluster.sh start|stop DIR" >&2
	exit 1
	;;
esac
