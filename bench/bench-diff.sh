#!/bin/sh
# bench-diff.sh: --diff and --summary on two large scans.  See bench/README.
#
#     bench/bench-diff.sh [ROWS [BASELINE]]   (default 200000 rows)
#
# Writes two scans of ROWS results each straight into a results file with
# sqlite3 (no audit: what is measured is reading them back), every 20th
# domain a duplicate of the row before, about 1.5 findings a row, and
# between the scans 1% of the rows changed (a finding gained or lost, a
# verdict flipped), 0.5% removed and 0.5% added.  Then, CPU time (user +
# system) and peak RSS of: --summary; --diff paired by row_key (schema
# 6); --diff paired by domain (the same scans without row_key); --diff
# --all; --diff --format json.  With BASELINE (another chainaudit binary,
# of schema version 5) its --diff runs on a version 5 copy of the same
# scans: the ratio of this run's --diff to it is printed.  A command is
# stopped after BENCH_DIFF_LIMIT seconds (default 300): version 5's
# --diff grows with the square of the rows.
# Needs sqlite3 and /usr/bin/time.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${BUILDDIR:-$srcdir}
rows=${1:-200000}
baseline=${2:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chainaudit-bench-diff.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
ca=$builddir/src/chainaudit

make -s -C "$builddir" src/chainaudit
db=$tmp/r.db
sqlite3 "$db" < "$srcdir/db/schema.sql"
# Scan 1 and scan 2; row i of the domain table is id i.
sqlite3 "$db" > /dev/null <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO chainaudit_scans (id, started, finished, status, evaluated_at,
    source, options, policy_version, chainaudit_version)
VALUES (1, '2026-01-01T00:00:00Z', '2026-01-01T00:10:00Z', 'complete',
    '2026-01-01T00:00:00Z', 'chainaudit_domains', '', 'p', 'bench'),
       (2, '2026-01-02T00:00:00Z', '2026-01-02T00:10:00Z', 'complete',
    '2026-01-02T00:00:00Z', 'chainaudit_domains', '', 'p', 'bench');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO chainaudit_results (scan_id, row_number, domain, contact,
    chain_sha256, verdict, worst_severity, trusted, issuer, row_key)
SELECT 1, i, 'd' || (i - (i % 20 = 0)) || '.example.test', 'ops',
    printf('%064d', i), CASE WHEN i % 3 = 0 THEN 'fail' ELSE 'pass' END,
    CASE WHEN i % 3 = 0 THEN 'error' ELSE 'warning' END, 1,
    'Intermediate ' || (i % 40) || ' (Bench CA)', i FROM n;
-- Scan 2: the same, 0.5% removed (i % 200 = 7), 1% verdicts flipped
-- (i % 100 = 5), 0.5% added at the end.
INSERT INTO chainaudit_results (scan_id, row_number, domain, contact,
    chain_sha256, verdict, worst_severity, trusted, issuer, row_key)
SELECT 2, row_number() OVER (ORDER BY row_number), domain, contact,
    chain_sha256, CASE WHEN row_number % 100 = 5 THEN 'fail' ELSE verdict END,
    worst_severity, trusted, issuer, row_key
FROM chainaudit_results WHERE scan_id = 1 AND row_number % 200 != 7;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
    WHERE i < $rows / 200)
INSERT INTO chainaudit_results (scan_id, row_number, domain, contact,
    chain_sha256, verdict, worst_severity, trusted, issuer, row_key)
SELECT 2, $rows + i, 'new' || i || '.example.test', 'ops', printf('%064d', i),
    'pass', 'none', 1, 'Intermediate 1 (Bench CA)', $rows + i FROM n;
-- Findings: one per row, a second on every other row; scan 2 loses the
-- second on 1% of the rows and gains one on another 1%.
INSERT INTO chainaudit_findings (result_id, scan_id, domain, code, severity,
    cert_sha256, message)
SELECT id, scan_id, domain, 'expiring-soon', 'warning', chain_sha256,
    domain || ' expires soon' FROM chainaudit_results;
INSERT INTO chainaudit_findings (result_id, scan_id, domain, code, severity,
    cert_sha256, message)
SELECT id, scan_id, domain, 'hostname-mismatch', 'error', chain_sha256,
    domain || ' is not valid' FROM chainaudit_results
WHERE CAST(row_key AS INTEGER) % 2 = 0 AND NOT (scan_id = 2 AND
    CAST(row_key AS INTEGER) % 100 = 10);
INSERT INTO chainaudit_findings (result_id, scan_id, domain, code, severity,
    cert_sha256, message)
SELECT id, scan_id, domain, 'sha1-only-link', 'error', NULL, 'sha-1'
FROM chainaudit_results WHERE scan_id = 2 AND
    CAST(row_key AS INTEGER) % 100 = 31;
COMMIT;
ANALYZE;
EOF
# The same scans as a version 5 database made them (no row_key), and as
# this version reads a scan of then (row_key NULL: paired by domain).
cp "$db" "$tmp/nokey.db"
sqlite3 "$tmp/nokey.db" "UPDATE chainaudit_results SET row_key = NULL"

# measure NAME COMMAND...: its CPU time, peak RSS and output size; a
# command still running after $limit seconds is stopped and reported so.
limit=${BENCH_DIFF_LIMIT:-300}
measure() {
	name=$1
	shift
	if ! /usr/bin/time -f "%U %S %M" -o "$tmp/time" timeout "$limit" \
	    "$@" > "$tmp/out" 2>"$tmp/err"; then
		if [ "$(wc -c < "$tmp/err")" -eq 0 ]; then
			printf "%-28s  stopped after %s s (wall)\n" "$name" \
			    "$limit"
			echo "$limit" > "$tmp/cpu.$(echo "$name" |
			    tr -c 'a-z0-9\n' _)"
			return 0
		fi
		cat "$tmp/err" >&2
		exit 1
	fi
	set -- $(cat "$tmp/time")
	cpu=$(echo "$1 + $2" | bc)
	printf "%-28s %8s s CPU %8s KB peak RSS %10s bytes out\n" "$name" \
	    "$cpu" "$3" "$(wc -c < "$tmp/out")"
	echo "$cpu" > "$tmp/cpu.$(echo "$name" | tr -c 'a-z0-9\n' _)"
}

echo "$rows rows a scan ($(sqlite3 "$db" 'SELECT count(*) FROM chainaudit_findings') findings in all)"
measure "--summary" "$ca" --db "$db" --summary
measure "--diff (row_key)" "$ca" --db "$db" --diff
tail -1 "$tmp/out"
measure "--diff (domain)" "$ca" --db "$tmp/nokey.db" --diff
tail -1 "$tmp/out"
measure "--diff --all" "$ca" --db "$db" --diff --all
measure "--diff --format json" "$ca" --db "$db" --diff --format json
if [ -n "$baseline" ]; then
	# Version 5: the row_key column and its index dropped.
	cp "$tmp/nokey.db" "$tmp/v5.db"
	sqlite3 "$tmp/v5.db" "DROP INDEX chainaudit_results_scan_key;
	    CREATE TABLE r5 AS SELECT * FROM chainaudit_results;
	    DROP TABLE chainaudit_results;
	    ALTER TABLE r5 RENAME TO chainaudit_results;
	    ALTER TABLE chainaudit_results DROP COLUMN row_key;
	    CREATE INDEX chainaudit_results_scan_domain
	        ON chainaudit_results (scan_id, domain);
	    CREATE INDEX chainaudit_results_scan_row
	        ON chainaudit_results (scan_id, row_number);
	    UPDATE chainaudit_meta SET value = '5'; ANALYZE"
	measure "baseline --diff (v5)" "$baseline" --db "$tmp/v5.db" --diff
	echo "this --diff (row_key) / baseline: $(echo "scale=4; \
	    $(cat "$tmp/cpu.__diff__row_key_") / $(cat "$tmp/cpu.baseline___diff__v5_")" | bc)"
fi
