/*
 * store_sql.h: the SQL text both backends run (store.c on SQLite,
 * store_pg.c on PostgreSQL), each with its own parameter style and byte
 * order collation, so that --notify and --diff read rows in the same
 * order on either.
 */
#ifndef CHAINAUDIT_STORE_SQL_H
#define CHAINAUDIT_STORE_SQL_H

/*
 * --notify's query (store_notices), for both backends: P is the scan
 * id's parameter ("?1", "$1"), C the byte-order collation clause ("" on
 * SQLite, whose BINARY is byte order; COLLATE "C" on PostgreSQL).
 */
#define STORE_NOTICES_SQL(P, C)						\
	"SELECT * FROM (SELECT r.contact AS contact, r.domain AS domain, " \
	" r.row_number AS row_number, f.code AS code, f.severity AS sev, " \
	" f.deadline, f.fix, f.cert_sha256 AS cert, f.message AS msg "	\
	" FROM chainaudit_findings f JOIN chainaudit_results r "	\
	" ON r.id = f.result_id WHERE f.scan_id = " P " "		\
	"UNION ALL "							\
	"SELECT contact, domain, row_number, NULL, 'error', NULL, NULL, " \
	" NULL, coalesce(error, '') FROM chainaudit_results "		\
	" WHERE scan_id = " P " AND verdict = 'error' AND NOT EXISTS "	\
	" (SELECT 1 FROM chainaudit_findings e "			\
	"  WHERE e.result_id = chainaudit_results.id)) AS n "		\
	"ORDER BY contact IS NULL, contact" C ", domain" C ", row_number, " \
	" CASE sev WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, " \
	" code IS NOT NULL, code" C ", cert" C ", msg" C

/*
 * --diff's pairing counts (store_diff_pairing): P1 and P2 the two
 * scans' parameters.
 */
#define STORE_PAIRING_SQL(P1, P2)					\
	"SELECT coalesce(sum(CASE WHEN scan_id = " P1 " THEN 1 ELSE 0 END), 0), " \
	" coalesce(sum(CASE WHEN scan_id = " P2 " THEN 1 ELSE 0 END), 0), " \
	" coalesce(sum(CASE WHEN row_key IS NULL THEN 1 ELSE 0 END), 0) " \
	"FROM chainaudit_results WHERE scan_id IN (" P1 ", " P2 ")"

/*
 * --diff's query (store_diff), for both backends: P1 the new scan, P2
 * the old, P3 1 to pair by row_key (else by domain), P4 1 for every
 * row; C as for STORE_NOTICES_SQL.  Rows pair by key and the key's
 * occurrence in row order; findings of a pair by code, certificate and
 * occurrence in message order.  Both pairings group the two sides'
 * union rather than join them, and the joins left are on a table's
 * index or an IN list: a full join of two derived tables has no index
 * on SQLite, whose plan is then quadratic.  Columns: kind, state,
 * domain, row_key, row, old row, verdict, old verdict, issuer, old
 * issuer, chain_changed, code, severity, cert, message.
 */
#define STORE_DIFF_SIDE(P, SIDE, P3)				\
	"SELECT " SIDE " AS side, id, domain, row_key, row_number, "	\
	" verdict, error, chain_sha256, issuer, row_number() OVER "	\
	" (PARTITION BY k ORDER BY row_number) AS occ, k FROM (SELECT *, " \
	" CASE WHEN " P3 " = 1 THEN row_key ELSE domain END AS k FROM "	\
	" chainaudit_results WHERE scan_id = " P ") AS s"
#define STORE_DIFF_NEW(COL)	"max(CASE WHEN side = 1 THEN " COL " END)"
#define STORE_DIFF_OLD(COL)	"max(CASE WHEN side = 0 THEN " COL " END)"
#define STORE_DIFF_SQL(P1, P2, P3, P4, C)				\
	"WITH u AS (" STORE_DIFF_SIDE(P1, "1", P3) " UNION ALL "	\
	STORE_DIFF_SIDE(P2, "0", P3) "), "					\
	" p AS (SELECT " STORE_DIFF_NEW("id") " AS nid, "		\
	STORE_DIFF_OLD("id") " AS oid, " STORE_DIFF_NEW("domain")	\
	" AS ndom, " STORE_DIFF_OLD("domain") " AS odom, "		\
	STORE_DIFF_NEW("row_key") " AS nkey, " STORE_DIFF_OLD("row_key") \
	" AS okey, " STORE_DIFF_NEW("row_number") " AS nrow, "		\
	STORE_DIFF_OLD("row_number") " AS orow, " STORE_DIFF_NEW("verdict") \
	" AS nv, " STORE_DIFF_OLD("verdict") " AS ov, "			\
	STORE_DIFF_NEW("error") " AS nerr, " STORE_DIFF_NEW("issuer")	\
	" AS niss, " STORE_DIFF_OLD("issuer") " AS oiss, "		\
	STORE_DIFF_NEW("coalesce(chain_sha256, '')") " AS nch, "	\
	STORE_DIFF_OLD("coalesce(chain_sha256, '')") " AS och "	\
	"  FROM u GROUP BY k, occ), "					\
	" f AS (SELECT f.result_id AS nid, 1 AS side, f.code, "	\
	"  f.severity, f.cert_sha256 AS cert, f.message, row_number() "	\
	"  OVER (PARTITION BY f.result_id, f.code, "			\
	"  coalesce(f.cert_sha256, '') ORDER BY f.message" C ") AS fo "	\
	"  FROM chainaudit_findings f WHERE f.scan_id = " P1 " "	\
	"  UNION ALL "							\
	"  SELECT p.nid, 0, f.code, f.severity, f.cert_sha256, "	\
	"  f.message, row_number() OVER (PARTITION BY f.result_id, "	\
	"  f.code, coalesce(f.cert_sha256, '') ORDER BY f.message" C ") " \
	"  FROM p JOIN chainaudit_findings f ON f.result_id = p.oid "	\
	"  WHERE p.nid IS NOT NULL), "					\
	" ff AS (SELECT nid, code, max(cert) AS cert, "			\
	"  coalesce(" STORE_DIFF_NEW("severity") ", max(severity)) AS sev, " \
	"  coalesce(" STORE_DIFF_NEW("message") ", max(message)) AS msg, " \
	"  CASE WHEN min(side) = 1 THEN '+' WHEN max(side) = 0 THEN '-' " \
	"  ELSE '=' END AS st FROM f "					\
	"  GROUP BY nid, code, coalesce(cert, ''), fo), "		\
	" pc AS (SELECT p.*, CASE WHEN oid IS NULL THEN 'a' "		\
	"  WHEN nid IS NULL THEN 'r' WHEN nv <> ov OR nch <> och OR "	\
	"  coalesce(niss, '') <> coalesce(oiss, '') OR nid IN "	\
	"  (SELECT nid FROM ff WHERE st <> '=') THEN 'c' ELSE '=' END "	\
	"  AS st FROM p) "						\
	"SELECT kind, st, domain, row_key, nrow, orow, nv, ov, niss, oiss, " \
	" chg, code, sev, cert, msg FROM ("				\
	" SELECT coalesce(nrow, orow) AS pos, CASE WHEN nid IS NULL "	\
	"  THEN 1 ELSE 0 END AS gone, coalesce(nid, oid) AS pid, 0 AS part, " \
	"  'r' AS kind, st, coalesce(ndom, odom) AS domain, "		\
	"  coalesce(nkey, okey) AS row_key, nrow, orow, nv, ov, niss, "	\
	"  oiss, CASE WHEN nid IS NOT NULL AND oid IS NOT NULL AND "	\
	"  nch <> och THEN 1 ELSE 0 END AS chg, NULL AS code, "		\
	"  NULL AS sev, NULL AS cert, nerr AS msg FROM pc "		\
	"  WHERE " P4 " = 1 OR st <> '=' "				\
	" UNION ALL "							\
	" SELECT pc.nrow, 0, pc.nid, CASE ff.st WHEN '+' THEN 1 "	\
	"  WHEN '-' THEN 2 ELSE 3 END, 'f', ff.st, "			\
	"  coalesce(pc.ndom, pc.odom), coalesce(pc.nkey, pc.okey), "	\
	"  pc.nrow, pc.orow, pc.nv, pc.ov, NULL, NULL, 0, ff.code, "	\
	"  ff.sev, ff.cert, ff.msg FROM ff JOIN pc ON pc.nid = ff.nid "	\
	"  WHERE " P4 " = 1 OR pc.st <> '=') AS d "			\
	"ORDER BY pos, gone, pid, part, code" C ", cert" C ", msg" C

#endif
