/*
 * store_pg.h: the PostgreSQL half of store.h, for --db URI (any libpq
 * connection URI, postgresql:// or postgres://).  store.c dispatches
 * every store_* call here when the database is one; each function keeps
 * its store_* contract (store.h) and is documented there, except where
 * a comment below says how PostgreSQL differs.
 *
 * A PostgreSQL scan is shared: store_scan_begin copies the domain
 * query's rows into chainaudit_scan_rows and cuts them into batches
 * (chainaudit_batches); after store_scan_attach, store_next_domain
 * claims one batch at a time under a lease (SELECT ... FOR UPDATE SKIP
 * LOCKED) and the writer commits a batch's results in the transaction
 * that marks the batch done, only while this process still owns it.
 * The transaction that completes the last batch marks the scan
 * complete.  Any number of processes may attach to one scan.  While
 * attached, a thread renews this process's leases every third of a
 * lease, so a batch slower than its lease stays its own while the
 * process lives.  The domain query runs once, in the transaction that
 * creates the scan: it reads the results tables as they were before.
 *
 * Ownership: a struct store_pg owns its three connections (the reader
 * thread's, the writer thread's and the lease renewer's: a PGconn is
 * not shared between threads) and what they return; the only file that includes
 * libpq-fe.h is store_pg.c.
 */
#ifndef CHAINAUDIT_STORE_PG_H
#define CHAINAUDIT_STORE_PG_H

#include "store.h"

struct store_pg;

/* 1 when db names a PostgreSQL database (a libpq URI), else 0. */
int	store_pg_is_uri(const char *db);

/*
 * Connect to db (results: NULL or db itself; PostgreSQL results go into
 * the database the rows come from), creating or upgrading the tables
 * unless history is set.  NULL with a one-line reason naming db
 * (without its password) in err.
 */
struct store_pg *store_pg_open(const char *db, const char *results,
	    int history, char *err, size_t errlen);
void	store_pg_free(struct store_pg *s);
const char *store_pg_name(const struct store_pg *s);

int	store_pg_domains_begin(struct store_pg *s, const char *query,
	    char *err, size_t errlen);
int	store_pg_claim_read(const struct store_pg *s);
int	store_pg_next_domain(struct store_pg *s, struct store_row *row,
	    char *err, size_t errlen);
int64_t	store_pg_count_domains(struct store_pg *s, const char *query,
	    char *err, size_t errlen);
int	store_pg_find_scan(struct store_pg *s, enum store_find kind,
	    const char *source, const char *policy_version, int64_t before,
	    struct store_scan *out, char *err, size_t errlen);
/* Also copies the rows of the query store_pg_domains_begin checked. */
int64_t	store_pg_scan_begin(struct store_pg *s,
	    const struct store_scan_info *info, char *err, size_t errlen);
int	store_pg_scan_attach(struct store_pg *s, int64_t scan,
	    unsigned lease, char *err, size_t errlen);
/* Rolls back an unfinished batch and gives up this process's claims. */
int	store_pg_scan_end(struct store_pg *s, int64_t scan, int complete,
	    time_t finished, char *err, size_t errlen);
/* The domain of scan's result for row number (owned): 1, 0 none, -1. */
int	store_pg_row_domain(struct store_pg *s, int64_t scan, int64_t number,
	    char **domain, char *err, size_t errlen);
int64_t	store_pg_last_row(struct store_pg *s, int64_t scan, char *err,
	    size_t errlen);
int	store_pg_previous(struct store_pg *s, int64_t base,
	    const char *domain, const char *chain_sha256, time_t now,
	    struct store_previous *prev, char *err, size_t errlen);
int	store_pg_write_result(struct store_pg *s, int64_t scan,
	    const struct store_result *r, char *err, size_t errlen);
int	store_pg_carry_result(struct store_pg *s, int64_t scan,
	    int64_t row_number, const char *contact, const char *row_key,
	    const struct store_previous *prev, char *err, size_t errlen);
/* Commits only a batch whose last row is written: see store.h. */
int	store_pg_commit(struct store_pg *s, char *err, size_t errlen);
int	store_pg_summary(struct store_pg *s, int64_t scan, int by_issuer,
	    void (*fn)(const struct store_count *, void *), void *arg,
	    char *err, size_t errlen);
int	store_pg_diff_pairing(struct store_pg *s, int64_t scan, int64_t old,
	    struct store_pairing *out, char *err, size_t errlen);
int	store_pg_diff(struct store_pg *s, int64_t scan, int64_t old,
	    int by_key, int all,
	    int (*fn)(const struct store_change *, void *), void *arg,
	    char *err, size_t errlen);

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

int	store_pg_notices(struct store_pg *s, int64_t scan,
	    int (*fn)(const struct store_notice *, void *), void *arg,
	    char *err, size_t errlen);

#endif
