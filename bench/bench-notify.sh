#!/bin/sh
# bench-notify.sh: --notify over a large results table, against a plain
# sqlite3 SELECT of the same rows in the same run.  See bench/README.
#
#     bench/bench-notify.sh [ROWS [ROUNDS]]  (default 100000 rows, 5
#                                             rounds; make bench-notify)
#
# bench/gen-db generates ROWS domains (bench-db's table, reused from
# bench/out when bench-db made it), then one untimed chainaudit --db scan
# at a pinned instant, without the bench roots trusted and with a contact
# per row (997 contacts): every row fails (incomplete-chain, and the
# SHA-1-era tenth sha1-only-link too), about 1.12 notices per row.  The
# scanned database is kept in bench/out, keyed on gen-db's version and
# db/schema.sql.
#
# Each round, in turn (a change in the machine's load hits both alike):
#   select   sqlite3 -csv running the query --notify runs (the
#            STORE_NOTICES_SQL of src/store_pg.h) to /dev/null: reading
#            and printing the rows, the floor
#   csv/json/text  chainaudit --db FILE --notify -f FMT > /dev/null
# CPU time is user + system (/usr/bin/time); the figures are medians over
# the rounds, the ratio that of each format's median to the select's.
# The run checks both produce one line per notice.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir}
rows=${1:-100000}
rounds=${2:-5}
at=2026-01-01T00:00:00Z
name=bench-notify
. "$srcdir/bench/gen-db.sh"
gendb=$db
schema=$(cksum < "$srcdir/db/schema.sql" | cut -d' ' -f1)
db=$out/notify-v$("$gen" -V)-$schema-$rows.db
if [ ! -f "$db" ]; then
	cp "$gendb" "$db.part"
	# Exit 1: every row fails, as meant.
	st=0
	"$ca" --db "$db.part" --at "$at" --no-system-ca -q --db-query \
	    "SELECT domain, chain_pem, 'ops' || (id % 997) || '@example.test'
	     FROM chainaudit_domains ORDER BY id" || st=$?
	[ "$st" -eq 1 ] || { echo "bench-notify: the scan exited $st" >&2;
	    exit 1; }
	mv "$db.part" "$db"
else
	echo "reusing $db"
fi
scan=$(sqlite3 "$db" "SELECT max(id) FROM chainaudit_scans
    WHERE status = 'complete'")
echo "results rows: $(sqlite3 "$db" "SELECT count(*) FROM chainaudit_results
    WHERE scan_id = $scan"), findings: $(sqlite3 "$db" "SELECT count(*)
    FROM chainaudit_findings WHERE scan_id = $scan")"

# --notify's query (STORE_NOTICES_SQL("?1", "") in src/store_pg.h).
sql="SELECT * FROM (SELECT r.contact AS contact, r.domain AS domain,
 r.row_number AS row_number, f.code AS code, f.severity AS sev,
 f.deadline, f.fix, f.cert_sha256 AS cert, f.message AS msg
 FROM chainaudit_findings f JOIN chainaudit_results r
 ON r.id = f.result_id WHERE f.scan_id = $scan
UNION ALL
SELECT contact, domain, row_number, NULL, 'error', NULL, NULL,
 NULL, coalesce(error, '') FROM chainaudit_results
 WHERE scan_id = $scan AND verdict = 'error' AND NOT EXISTS
 (SELECT 1 FROM chainaudit_findings e
  WHERE e.result_id = chainaudit_results.id)) AS n
ORDER BY contact IS NULL, contact, domain, row_number,
 CASE sev WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
 code IS NOT NULL, code, cert, msg"

# One timed run of "$@" > $tmp/out; its user + system seconds appended
# to $tmp/$name.
timed() {
	name=$1
	shift
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" > "$tmp/out" || [ $? -eq 1 ]
	awk '{ printf "%.3f\n", $1 + $2 }' "$tmp/time" >> "$tmp/$name"
}

median() {
	sort -n "$tmp/$1" | awk '{ v[NR] = $1 } END {
	    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	    print m }'
}

i=0
while [ "$i" -lt "$rounds" ]; do
	timed select sqlite3 -csv "$db" "$sql"
	nsel=$(wc -l < "$tmp/out")
	for f in csv json text; do
		timed "$f" "$ca" --db "$db" --notify -f "$f"
		[ "$f" = csv ] && ncsv=$(($(wc -l < "$tmp/out") - 1))
	done
	i=$((i + 1))
done
if [ "$nsel" -ne "$ncsv" ]; then
	echo "bench-notify: the select printed $nsel rows, --notify $ncsv" >&2
	exit 1
fi
sel=$(median select)
echo "notices: $ncsv; CPU seconds (user + system), median of $rounds rounds:"
printf '  %-14s %8s %8s %10s\n' run seconds ratio notices/s
printf '  %-14s %8.3f %8s %10.0f\n' "sqlite3 select" "$sel" 1.00 \
    "$(echo "$ncsv $sel" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')"
for f in csv json text; do
	m=$(median "$f")
	printf '  %-14s %8.3f %7.2fx %10.0f\n' "--notify $f" "$m" \
	    "$(echo "$m $sel" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')" \
	    "$(echo "$ncsv $m" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')"
done
