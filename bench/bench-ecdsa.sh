#!/bin/sh
# bench-ecdsa.sh: chainaudit's cost per P-256-signed row against the
# ECDSA floor, nettle's own verification of the same rows (issue 16).
#
#     bench/bench-ecdsa.sh [ROWS [ROUNDS]]  (default 20000 generated rows,
#                                           3 rounds; make bench-ecdsa)
#
# bench/gen-db generates ROWS rows once into bench/out/ (the file
# bench-db.sh uses); bench/ecdsa-floor -x keeps the rows whose leaf is
# signed by a P-256 intermediate (about 2 in 5).  On those rows, in turn
# each round:
#
#   floor     bench/ecdsa-floor: SHA-256 of the leaf's TBS + nettle's
#             ecdsa_verify, key and signature made ready beforehand; and
#             the same through gnutls_pubkey_verify_data2, key imported
#             once (what GnuTLS's own path adds)
#   -j 1      chainaudit --db, -j 1, results into a separate file: user +
#             system CPU time, less that of a run over an empty table
#             (start-up: trust stores, distrust policy), per row
#
# Then, unless CALLGRIND=0 or valgrind is missing, instructions per row
# under callgrind: chainaudit's as the difference between a run over 800
# and one over 400 of the rows (start-up cancels), the floor's counted in
# floor_loop alone.  The goal (issue 16): chainaudit within 1.3x of the
# floor per row.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir}
rows=${1:-20000}
rounds=${2:-3}
at=2026-01-01T00:00:00Z
name=bench-ecdsa
. "$srcdir/bench/gen-db.sh"
make -s -C "$builddir" bench/ecdsa-floor
floor=$builddir/bench/ecdsa-floor
"$floor" -x "$tmp/p256.db" "$db"
n=$(sqlite3 "$tmp/p256.db" "SELECT count(*) FROM chainaudit_domains")
sqlite3 "$tmp/p256.db" .schema | sqlite3 "$tmp/empty.db"

# The CPU seconds (user + system) of a -j 1 scan of $1.
scan_cpu() {
	rm -f "$tmp/out.db"
	status=0
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$ca" --db "$1" \
	    --results "$tmp/out.db" --no-system-ca --ca-file "$db.roots.pem" \
	    --at "$at" -j 1 -q > /dev/null || status=$?
	if [ "$status" -gt 1 ]; then
		echo "bench-ecdsa: chainaudit exited $status on $1" >&2
		exit 1
	fi
	tail -n 1 "$tmp/time" | awk '{ print $1 + $2 }'
}

: > "$tmp/ratios"
r=1
while [ "$r" -le "$rounds" ]; do
	"$floor" "$tmp/p256.db" > "$tmp/floor.txt"
	f=$(sed -n 's/^nettle.*: \([0-9.]*\) us CPU per row.*/\1/p' "$tmp/floor.txt")
	sed -n 's/^GnuTLS/  GnuTLS/p' "$tmp/floor.txt"
	full=$(scan_cpu "$tmp/p256.db")
	empty=$(scan_cpu "$tmp/empty.db")
	awk -v f="$f" -v a="$full" -v e="$empty" -v n="$n" -v r="$r" -v o="$tmp/ratios" 'BEGIN {
		row = (a - e) / n * 1e6
		printf "round %d: floor %.1f us/row; chainaudit -j 1 %.1f us/row (%.2f s CPU, start-up %.2f s): %.2fx\n", r, f, row, a, e, row / f
		printf "%.4f %.1f %.1f\n", row / f, f, row >> o }'
	r=$((r + 1))
done
sort -n "$tmp/ratios" | awk '{ v[NR] = $0 } END { split(v[int((NR + 1) / 2)], m, " ");
	printf "CPU per P-256-signed row, median of %d rounds: chainaudit %.1f us, floor %.1f us: %.2fx (goal 1.3x)\n", NR, m[3], m[2], m[1] }'

if [ "${CALLGRIND:-1}" = 0 ] || ! command -v valgrind > /dev/null; then
	echo "callgrind: skipped"
	exit 0
fi
for k in 400 800; do
	sqlite3 "$tmp/p256.db" "ATTACH '$tmp/p$k.db' AS o; CREATE TABLE
	    o.chainaudit_domains AS SELECT * FROM chainaudit_domains ORDER BY
	    id LIMIT $k"
done
rm -f "$tmp/out.db"
i4=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$ca" --db "$tmp/p400.db" \
    --results "$tmp/out.db" --no-system-ca --ca-file "$db.roots.pem" --at "$at" -j 1 -q 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p')
rm -f "$tmp/out.db"
i8=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$ca" --db "$tmp/p800.db" \
    --results "$tmp/out.db" --no-system-ca --ca-file "$db.roots.pem" --at "$at" -j 1 -q 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p')
fl=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=floor_loop \
    "$floor" -r 1 "$tmp/p400.db" 2>&1 >/dev/null | sed -n 's/.*Collected : //p')
awk -v a="$i4" -v b="$i8" -v f="$fl" 'BEGIN {
	row = (b - a) / 400; fr = f / 400
	printf "instructions per P-256-signed row (callgrind): chainaudit %.0f (800 rows less 400), floor %.0f: %.2fx\n", row, fr, row / fr }'
