#!/bin/sh
# bench-pg.sh: --db on PostgreSQL against --db on SQLite, same rows, same
# run; one process against two on one PostgreSQL scan (--join); and the
# server's own insert rate, which bounds any number of machines.
#
#     bench/bench-pg.sh [ROWS [ROUNDS]]   (default 50000 rows, 3 rounds;
#                                          make bench-pg)
#
# The rows are bench/gen-db's (bench/out/, shared with bench-db.sh),
# copied into a private PostgreSQL cluster (tests/pg-cluster.sh, fsync on,
# Unix socket) started in a temporary directory.  Each round runs, in
# turn: SQLite -j 1 (results in a file of their own), PostgreSQL -j 1,
# and two PostgreSQL processes at -j 1 on one scan (the second --join's
# as soon as the first has cut the batches), timed from the first start
# to the last exit.  Then pgbench inserts result rows as chainaudit does
# (one statement a row, 1000 rows a transaction) from 1, 2 and 4
# clients: the server's inserts per second, the ceiling of N machines.
#
# The machine may be shared: beside wall-clock rates, each run's CPU
# time is counted (chainaudit's, and the server backends' that served
# it: the postmaster's reaped children) and given as rows per CPU
# second, which other loads disturb far less.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir}
rows=${1:-50000}
rounds=${2:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chainaudit-bench-pg.XXXXXX")
cluster=$tmp/pg
cleanup() {
	sh "$srcdir/tests/pg-cluster.sh" stop "$cluster" || true
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"

make -s -C "$builddir" bench/gen-db src/chainaudit
gen=$builddir/bench/gen-db
ca=$builddir/src/chainaudit
out=$builddir/bench/out
mkdir -p "$out"
db=$out/db-v$("$gen" -V)-$rows.db
if [ ! -f "$db" ]; then
	"$gen" -n "$rows" -o "$db.part"
	mv "$db.part.roots.pem" "$db.roots.pem"
	mv "$db.part.ints.pem" "$db.ints.pem"
	mv "$db.part" "$db"
fi
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs online, $rows rows," \
    "chainaudit $(cd "$srcdir" && git describe --always --dirty 2>/dev/null || echo '?')"

admin=$(PG_FSYNC=on sh "$srcdir/tests/pg-cluster.sh" start "$cluster")
uri=$(echo "$admin" | sed 's|:///postgres?|:///bench?|')
psql -q "$admin" -c 'CREATE DATABASE bench'
psql -q "$uri" -c 'CREATE TABLE chainaudit_domains (id BIGSERIAL PRIMARY
    KEY, domain TEXT NOT NULL, chain_pem TEXT, contact TEXT)'
sqlite3 -csv "$db" "SELECT domain, chain_pem, contact FROM
    chainaudit_domains ORDER BY id" |
    psql -q "$uri" -c '\copy chainaudit_domains (domain, chain_pem, contact) FROM STDIN CSV'

opts="--no-system-ca --ca-file $db.roots.pem -q"
pm=$(head -n 1 "$cluster/data/postmaster.pid")
hz=$(getconf CLK_TCK)
# CPU seconds used so far by this shell's children (chainaudit) into
# $cli, and by the server's exited backends into $srv.  times runs in
# this shell: a subshell's children are not ours.
cpu_now() {
	times > "$tmp/times"
	cli=$(awk 'function s(x, a) {
		split(x, a, "m"); sub("s", "", a[2]); return a[1] * 60 + a[2] }
	    NR == 2 { print s($1) + s($2) }' "$tmp/times")
	srv=$(awk -v hz="$hz" '{ print ($14 + $15 + $16 + $17) / hz }' \
	    "/proc/$pm/stat")
}
# Seconds of wall time of "$@" into $secs, of CPU time into $cpus (of
# which the server's, in $srvs).
timed() {
	cpu_now
	cli0=$cli
	srv0=$srv
	t0=$(date +%s.%N)
	"$@" > /dev/null || [ $? -le 1 ]
	secs=$(echo "$(date +%s.%N) $t0" | awk '{ print $1 - $2 }')
	cpu_now
	srvs=$(echo "$srv $srv0" | awk '{ printf "%.1f", $1 - $2 }')
	cpus=$(echo "$cli $cli0 $srvs" | awk '{ print $1 - $2 + $3 }')
}
rate() {
	awk -v n="$rows" -v s="$1" 'BEGIN { printf "%.0f", n / s }'
}
# The rows of the latest scan, which must be complete with them all.
check() {
	got=$(psql -tA "$uri" -c "SELECT status || ' ' || rows_read FROM
	    chainaudit_scans ORDER BY id DESC LIMIT 1")
	[ "$got" = "complete $rows" ] ||
	    { echo "bench-pg: $1: $got, want complete $rows" >&2; exit 1; }
}
two() {
	# shellcheck disable=SC2086
	"$ca" --db "$uri" $opts -j 1 > /dev/null &
	first=$!
	n0=$(psql -tA "$uri" -c 'SELECT count(*) FROM chainaudit_scans')
	until [ "$(psql -tA "$uri" -c 'SELECT count(*) FROM chainaudit_scans')" -gt "$n0" ]; do
		sleep 0.05
	done
	# shellcheck disable=SC2086
	"$ca" --db "$uri" $opts --join -j 1 > /dev/null || [ $? -le 1 ]
	wait "$first" || [ $? -le 1 ]
}

: > "$tmp/rounds"
r=1
while [ "$r" -le "$rounds" ]; do
	rm -f "$tmp/out.db"
	# shellcheck disable=SC2086
	timed "$ca" --db "$db" --results "$tmp/out.db" $opts -j 1
	lite=$(rate "$secs")
	litec=$(rate "$cpus")
	# shellcheck disable=SC2086
	timed "$ca" --db "$uri" $opts -j 1
	check "one process"
	pg1=$(rate "$secs")
	pg1c=$(rate "$cpus")
	pg1s=$srvs
	timed two
	check "two processes"
	pg2=$(rate "$secs")
	pg2c=$(rate "$cpus")
	echo "$lite $pg1 $pg2 $litec $pg1c $pg2c" >> "$tmp/rounds"
	echo "round $r: SQLite -j 1 $lite rows/s, PostgreSQL -j 1 $pg1," \
	    "two PostgreSQL processes $pg2; per CPU second (client and" \
	    "server): $litec, $pg1c, $pg2c (server CPU s: $pg1s, $srvs)"
	r=$((r + 1))
done
median() {
	cut -d' ' -f"$1" "$tmp/rounds" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
lite=$(median 1)
pg1=$(median 2)
pg2=$(median 3)
awk -v l="$lite" -v a="$pg1" -v b="$pg2" 'BEGIN {
	printf "medians: SQLite %d rows/s, PostgreSQL %d (%.2fx SQLite), two processes %d (%.2fx one)\n", l, a, a / l, b, b / a }'
awk -v l="$(median 4)" -v a="$(median 5)" -v b="$(median 6)" 'BEGIN {
	printf "per CPU second: SQLite %d rows, PostgreSQL %d (%.2fx SQLite), two processes %d (%.2fx one)\n", l, a, a / l, b, b / a }'

# The server's side: result rows inserted as chainaudit's writer does,
# one row a statement, 1000 statements a transaction.
{
	echo 'BEGIN;'
	i=0
	while [ $i -lt 1000 ]; do
		echo "INSERT INTO chainaudit_results (scan_id, row_number, domain, contact, chain_sha256, verdict, worst_severity, trusted, path, issuer, anchor, recheck_after) VALUES (1, $i, 'bench.example.test', 'ops', repeat('a', 64), 'pass', 'none', 1, 'CN=leaf <- CN=int <- CN=root', 'CN=int', 'CN=root', '2030-01-01T00:00:00Z');"
		i=$((i + 1))
	done
	echo 'COMMIT;'
} > "$tmp/insert.sql"
pgbench=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1)
[ -n "$pgbench" ] || pgbench=pgbench
for c in 1 2 4; do
	tps=$("$pgbench" -n -M prepared -c "$c" -j "$c" -T 5 -f "$tmp/insert.sql" "$uri" 2>/dev/null |
	    sed -n 's/^tps = \([0-9.]*\).*/\1/p')
	awk -v c="$c" -v t="$tps" 'BEGIN {
		printf "server: %d client%s inserting result rows: %.0f rows/s\n", c, c == 1 ? "" : "s", t * 1000 }'
done
