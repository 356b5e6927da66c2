#!/bin/sh
# bench-db.sh: database scan throughput, as a ratio to the floor of one
# leaf verification plus one parse (A + B, bench/README) measured by
# bench/bench in the same run.
#
#     bench/bench-db.sh [ROWS]          (default 100000; make bench-db)
#
# bench/bench generates ROWS distinct ECDSA P-256 chains (leaf +
# intermediate, 4 intermediates under one root, every 50th leaf expired)
# and measures A + B on them; this script loads them into an SQLite
# table, scans it with chainaudit --db at -j 1 and -j 2 (results into a
# separate file, text report reduced to the summary line), and prints
# rows per second and (wall time per row) / (A + B).  Wall time includes
# reading the table, the report and the SQLite writes; a ratio below 1
# with -j 2 means the workers share the work.  Needs sqlite3 and a
# configured tree; BUILDDIR names an out-of-tree build.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir}
rows=${1:-100000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chainaudit-bench-db.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

make -s -C "$builddir" bench/bench src/chainaudit
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs online, $rows rows"
"$builddir/bench/bench" -p ecdsa -n "$rows" -s 200 -r 1 \
    -w "$tmp/chains.sql" > "$tmp/bench.txt"
floor=$(awk '/floor = A \+ B/ { for (i = 1; i <= NF; i++) if ($i == "us") print $(i - 1) }' "$tmp/bench.txt")
echo "floor A + B (bench, same run): $floor us per chain"
sqlite3 "$tmp/in.db" < "$tmp/chains.sql"
rm -f "$tmp/chains.sql"

for j in 1 2; do
	rm -f "$tmp/out.db"
	t0=$(date +%s.%N)
	status=0
	"$builddir/src/chainaudit" --db "$tmp/in.db" --results "$tmp/out.db" \
	    --no-system-ca --ca-file "$tmp/chains.sql.root.pem" -j "$j" -q \
	    > "$tmp/report.txt" || status=$?
	t1=$(date +%s.%N)
	if [ "$status" -gt 1 ]; then
		echo "bench-db: chainaudit -j $j exited $status" >&2
		exit 1
	fi
	got=$(sqlite3 "$tmp/out.db" "SELECT rows_read FROM chainaudit_scans")
	if [ "$got" != "$rows" ]; then
		echo "bench-db: -j $j wrote $got results, want $rows" >&2
		exit 1
	fi
	awk -v t0="$t0" -v t1="$t1" -v n="$rows" -v f="$floor" -v j="$j" \
	    'BEGIN { s = t1 - t0; us = s * 1e6 / n;
	    printf "-j %d  %8.1f s  %8.0f rows/s  %7.1f us/row  %5.2fx floor\n",
	    j, s, n / s, us, us / f }'
done
echo "summary line of the -j 2 report: $(tail -1 "$tmp/report.txt")"
