/*
 * test_store.c: SQLite in and out: the store module on real database
 * files in a temporary directory (schema creation and upgrade, the
 * streaming reader, the batch writer, locked and malformed files), and
 * the program's database scans end to end (the demo database, the
 * "email" query, -j 1 against -j 4, --changed-only, --diff, --summary,
 * SIGTERM and kill -9 followed by --resume).
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "cli.h"
#include "judge.h"
#include "scan.h"
#include "store.h"
#include "testlib.h"

#define AT_2016		"2016-03-01T00:00:00Z"
#define T_2016		((time_t)1456790400)
#define MAX_ARGS	40

/* ---- helpers ---------------------------------------------------------- */

static char tmpdir[64];

static void
make_tmpdir(void)
{
	tmpdir_make(tmpdir, sizeof(tmpdir), "store");
}

static void
remove_tmpdir(void)
{
	tmpdir_remove(tmpdir);
}

TestSuite(store, .init = make_tmpdir, .fini = remove_tmpdir);
TestSuite(dbscan, .init = make_tmpdir, .fini = remove_tmpdir,
    .timeout = 60);

/* tmpdir/name in a static buffer of n (several live at once). */
static const char *
tmp_path(const char *name)
{
	static char bufs[4][256];
	static int n;
	char *b = bufs[n++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", tmpdir, name);
	return b;
}

/* The first column of the first row of sql, as an integer. */
static long long
db_int(const char *path, const char *sql)
{
	sqlite3 *db = db_open_rw(path);
	sqlite3_stmt *st;
	long long v;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Run sql on the database path. */
static void
c_exec(const char *path, const char *sql)
{
	sqlite3 *db = db_open_rw(path);

	db_exec(db, sql);
	sqlite3_close(db);
}

/* Run sql on the database path; SQLite's (primary) result code. */
static int
sqlite_exec_rc(const char *path, const char *sql)
{
	sqlite3 *db = db_open_rw(path);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	sqlite3_close(db);
	return rc & 0xff;
}

/* The demo database of the README at tmpdir/name. */
static const char *
demo_db(const char *name)
{
	const char *path = tmp_path(name);

	db_load(path, "db/demo.sql");
	return path;
}

/*
 * A table of n rows under the wildcard fixture, domains n1..nN, so that
 * every row passes and each has its own domain.
 */
static const char *
wild_db(const char *name, int n)
{
	const char *path = tmp_path(name);
	unsigned char *pem;
	size_t len;
	sqlite3 *db;
	sqlite3_stmt *st;
	char dom[64];
	int i;

	db_load(path, "db/demo.sql");
	pem = fixture_read("chains/wildcard.pem", &len);
	db = db_open_rw(path);
	db_exec(db, "DELETE FROM chainaudit_domains; BEGIN");
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO chainaudit_domains "
	    "(domain, chain_pem, contact) VALUES (?, ?, 'ops')", -1, &st,
	    NULL), SQLITE_OK);
	for (i = 1; i <= n; i++) {
		snprintf(dom, sizeof(dom), "n%d.wild.example.test", i);
		sqlite3_bind_text(st, 1, dom, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, (const char *)pem, (int)len,
		    SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	db_exec(db, "COMMIT");
	sqlite3_close(db);
	free(pem);
	return path;
}

#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* Wait until results has at least n committed result rows. */
static void
wait_for_rows(const char *db, long long n, pid_t pid)
{
	sqlite3 *c;
	sqlite3_stmt *st;
	long long have = 0;
	int i, status;

	for (i = 0; i < 4000 && have < n; i++) {
		cr_assert_eq(waitpid(pid, &status, WNOHANG), 0,
		    "the scan ended before it could be stopped");
		usleep(5000);
		if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK) {
			sqlite3_close(c);
			continue;
		}
		sqlite3_busy_timeout(c, 100);
		if (sqlite3_prepare_v2(c, "SELECT count(*) FROM "
		    "chainaudit_results", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			have = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(c);
	}
	cr_assert_geq(have, n, "no results were committed");
}

/* A running scan of the default table at T_2016 recorded in s. */
static int64_t
test_scan_begin(struct store *s)
{
	struct store_scan_info info;
	char err[256];
	int64_t scan;

	memset(&info, 0, sizeof(info));
	info.started = info.evaluated_at = T_2016;
	info.source = STORE_DEFAULT_TABLE;
	info.options = "";
	info.policy_version = "p";
	info.version = "test";
	cr_assert_gt(scan = store_scan_begin(s, &info, err, sizeof(err)), 0,
	    "%s", err);
	return scan;
}

/*
 * How many OpenEphemeral steps (a temporary table SQLite builds each
 * time the statement runs) the program of sql has on the database path.
 */
static int
ephemeral_steps(const char *path, const char *sql)
{
	sqlite3 *db = db_open_rw(path);
	sqlite3_stmt *st;
	char explain[1024];
	int n = 0;

	snprintf(explain, sizeof(explain), "EXPLAIN %s", sql);
	cr_assert_eq(sqlite3_prepare_v2(db, explain, -1, &st, NULL),
	    SQLITE_OK, "%s: %s", explain, sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW)
		n += strcmp((const char *)sqlite3_column_text(st, 1),
		    "OpenEphemeral") == 0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* The statement the writer runs per row (store.c), bound to constants. */
#define RESULT_INSERT	"INSERT INTO chainaudit_results (scan_id, " \
	"row_number, domain, verdict, worst_severity, trusted, source) " \
	"VALUES (1, 1, 'x.test', 'pass', 'none', 1, 'stored')"

/* What every table of a results database holds, in id order. */
static char *
results_dump(const char *path)
{
	char *a, *b, *c, *all;
	size_t n;

	a = db_dump(path, "SELECT * FROM chainaudit_scans ORDER BY id");
	/* Version 5's columns: version 6 adds row_key (NULL for old rows). */
	b = db_dump(path, "SELECT id, scan_id, row_number, domain, contact, "
	    "chain_sha256, verdict, worst_severity, trusted, error, path, "
	    "issuer, anchor, recheck_after, carried_from, source, "
	    "served_chain_sha256 FROM chainaudit_results ORDER BY id");
	c = db_dump(path, "SELECT * FROM chainaudit_findings ORDER BY rowid");
	n = strlen(a) + strlen(b) + strlen(c) + 8;
	cr_assert_not_null(all = malloc(n));
	snprintf(all, n, "%s--\n%s--\n%s", a, b, c);
	free(a);
	free(b);
	free(c);
	return all;
}

/* ---- the store module --------------------------------------------------- */

Test(store, creates_schema_in_new_results_file)
{
	const char *in = demo_db("in.db"), *out = tmp_path("out.db");
	struct store *s;
	char err[256];

	/* A query that does not read makes nothing: no file, no tables. */
	s = store_open(in, out, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	cr_expect_eq(store_domains_begin(s, "SELECT 1", err, sizeof(err)),
	    -1);
	store_free(s);
	cr_expect(access(out, F_OK) < 0, "%s was left behind", out);
	s = store_open(in, out, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	cr_assert_eq(store_domains_begin(s, NULL, err, sizeof(err)), 0, "%s",
	    err);
	store_free(s);
	cr_expect_eq(db_int(out, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
	cr_expect_eq(db_int(out, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name IN ('chainaudit_scans', 'chainaudit_results', "
	    "'chainaudit_findings')"), 3);
	/* The input was opened read-only: nothing was added to it. */
	cr_expect_eq(db_int(in, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name = 'chainaudit_meta'"), 0);
	/* Writing a result builds no temporary table; CHECKs still hold. */
	cr_expect_eq(ephemeral_steps(out, RESULT_INSERT), 0);
	cr_expect_eq(sqlite_exec_rc(out, "INSERT INTO chainaudit_results "
	    "(scan_id, row_number, domain, verdict, worst_severity, trusted) "
	    "VALUES (1, 3, 'x.test', 'maybe', 'none', 1)"), SQLITE_CONSTRAINT);
}

Test(store, upgrades_version_1_in_place)
{
	const char *path = tmp_path("v1.db");
	struct store *s;
	char err[256], *rows;

	db_load(path, "fixtures/db/schema-v1.sql");
	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	store_free(s);
	cr_expect_eq(db_int(path, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
	/* Through version 2 and 3: the row was audited from the database. */
	rows = db_dump(path, "SELECT domain, verdict, recheck_after, "
	    "carried_from, source, served_chain_sha256 FROM "
	    "chainaudit_results");
	cr_expect_str_eq(rows, "old.example.test|fail|NULL|NULL|stored|NULL\n");
	free(rows);
	cr_expect_eq(db_int(path, "SELECT rows_carried + coalesce(base_scan, "
	    "0) FROM chainaudit_scans"), 0);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM chainaudit_findings"),
	    1);
	/* Opening again changes nothing. */
	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	store_free(s);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM chainaudit_scans"), 1);
}

/*
 * Version 7 rebuilds a version 5 file's results table so that writing a
 * row builds no temporary table: every row, id, index, the user's own
 * index, view and trigger are kept, and the CHECKs still refuse what
 * they refused.
 */
Test(store, upgrades_version_5_results_without_temporary_tables)
{
	const char *path = tmp_path("v5.db");
	struct store_result r;
	struct store *s;
	char err[256], *before, *after;
	int64_t scan;

	db_load(path, "fixtures/db/schema-v5.sql");
	c_exec(path, "CREATE INDEX my_verdicts ON chainaudit_results "
	    "(verdict); CREATE VIEW my_fails AS SELECT domain FROM "
	    "chainaudit_results WHERE verdict = 'fail'; CREATE TABLE my_log "
	    "(result_id); CREATE TRIGGER my_log_results AFTER INSERT ON "
	    "chainaudit_results BEGIN INSERT INTO my_log VALUES (new.id); END");
	/* The version 5 table builds one per row: what version 7 removes. */
	cr_assert_eq(ephemeral_steps(path, RESULT_INSERT), 1);
	before = results_dump(path);
	cr_assert_eq(db_int(path, "SELECT count(*) FROM chainaudit_results"),
	    11);

	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	cr_expect_eq(db_int(path, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
	after = results_dump(path);
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
	cr_expect_eq(ephemeral_steps(path, RESULT_INSERT), 0);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
	    "tbl_name = 'chainaudit_results' AND name IN "
	    "('chainaudit_results_scan_domain', 'chainaudit_results_scan_row', "
	    "'my_verdicts', 'my_log_results')"), 4);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name LIKE '%before_v7%'"), 0);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM my_fails"), 5);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM pragma_foreign_key_check"),
	    0);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM "
	    "pragma_integrity_check WHERE integrity_check != 'ok'"), 0);

	/* The writer writes into it; the user's trigger still fires. */
	scan = test_scan_begin(s);
	memset(&r, 0, sizeof(r));
	r.row_number = 1;
	r.domain = "new.example.test";
	r.verdict = "pass";
	r.worst_severity = "none";
	cr_assert_eq(store_write_result(s, scan, &r, 0, err, sizeof(err)), 0,
	    "%s", err);
	cr_assert_eq(store_commit(s, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(db_int(path, "SELECT max(id) FROM chainaudit_results"),
	    12);
	cr_expect_eq(db_int(path, "SELECT result_id FROM my_log"), 12);
	/* A verdict outside the three is refused, by the writer too. */
	r.row_number = 2;
	r.verdict = "passed";
	cr_expect_eq(store_write_result(s, scan, &r, 0, err, sizeof(err)), -1);
	cr_expect(strstr(err, "CHECK constraint failed") != NULL, "%s", err);
	store_free(s);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM chainaudit_results"),
	    12);
	cr_expect_eq(sqlite_exec_rc(path, "INSERT INTO chainaudit_results "
	    "(scan_id, row_number, domain, verdict, worst_severity, trusted) "
	    "VALUES (1, 3, 'x.test', NULL, 'none', 1)"), SQLITE_CONSTRAINT);
	cr_expect_eq(sqlite_exec_rc(path, "INSERT INTO chainaudit_results "
	    "(scan_id, row_number, domain, verdict, worst_severity, trusted, "
	    "source) VALUES (1, 3, 'x.test', 'pass', 'none', 1, 'cached')"),
	    SQLITE_CONSTRAINT);
	cr_expect_eq(sqlite_exec_rc(path, "INSERT INTO chainaudit_results "
	    "(scan_id, row_number, domain, verdict, worst_severity, trusted) "
	    "VALUES (1, 3, 'x.test', 'PASS', 'none', 1)"), SQLITE_CONSTRAINT);

	/* Opening again changes nothing. */
	before = results_dump(path);
	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	store_free(s);
	after = results_dump(path);
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
}

Test(store, refuses_newer_schema)
{
	const char *path = tmp_path("new.db");
	struct store *s;
	sqlite3 *db;
	char err[256];

	/*
	 * An input is never created; an empty database gets no tables until
	 * its domain query reads.
	 */
	cr_assert_null(store_open(path, NULL, 0, err, sizeof(err)));
	cr_expect(strstr(err, "unable to open") != NULL, "%s", err);
	sqlite3_close(db_open_rw(path));
	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	cr_expect_eq(store_domains_begin(s, NULL, err, sizeof(err)), -1);
	cr_expect(strstr(err, "an empty file: no domain table") != NULL,
	    "%s", err);
	store_free(s);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM sqlite_schema"), 0);
	db_load(path, "db/schema.sql");
	db = db_open_rw(path);
	db_exec(db, "UPDATE chainaudit_meta SET value = '99'");
	sqlite3_close(db);
	cr_assert_null(store_open(path, NULL, 0, err, sizeof(err)));
	cr_expect(strstr(err, "version 99 is newer") != NULL, "%s", err);
	cr_expect(strncmp(err, path, strlen(path)) == 0, "%s", err);
}

Test(store, streams_rows_with_nulls_and_contact)
{
	const char *path = demo_db("demo.db");
	struct store *s;
	struct store_row row;
	char err[256];
	int n = 0, r, nulls = 0;

	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	cr_assert_eq(store_count_domains(s, NULL, err, sizeof(err)), 11);
	cr_assert_eq(store_domains_begin(s, NULL, err, sizeof(err)), 0, "%s",
	    err);
	while ((r = store_next_domain(s, &row, err, sizeof(err))) == 1) {
		n++;
		cr_assert_not_null(row.domain);
		cr_assert_not_null(row.contact);
		/* The reader leaves the hash to whoever needs it first. */
		cr_expect_str_eq(row.chain_sha256, "");
		store_row_hash(&row);
		if (row.chain == NULL) {
			nulls++;
			cr_expect_str_eq(row.domain, "null.example.test");
			cr_expect_str_eq(row.chain_sha256, "");
		} else {
			unsigned char md[SHA256_LEN];
			char hex[SHA256_HEX_LEN];

			cr_assert_eq(sha256(row.chain, row.chain_len, md), 0);
			hex_encode(md, SHA256_LEN, hex);
			cr_expect_str_eq(row.chain_sha256, hex);
		}
		if (n == 1) {
			cr_expect_str_eq(row.domain, "good.example.test");
			cr_expect_str_eq(row.contact, "ops@alpha.example");
			cr_expect(strncmp((char *)row.chain, "-----BEGIN", 10) ==
			    0);
		}
		store_row_free(&row);
	}
	cr_expect_eq(r, 0, "%s", err);
	cr_expect_eq(n, 11);
	cr_expect_eq(nulls, 1);
	/* A query of the user's own: two columns are enough. */
	cr_assert_eq(store_domains_begin(s, "SELECT upper(domain), chain_pem "
	    "FROM chainaudit_domains WHERE id = 4;", err, sizeof(err)), 0,
	    "%s", err);
	cr_assert_eq(store_next_domain(s, &row, err, sizeof(err)), 1);
	cr_expect_str_eq(row.domain, "EC.EXAMPLE.TEST");
	cr_expect_null(row.contact);
	store_row_free(&row);
	cr_expect_eq(store_next_domain(s, &row, err, sizeof(err)), 0);
	store_free(s);
}

Test(store, validates_db_query)
{
	const char *path = demo_db("demo.db");
	static const struct {
		const char *sql, *want;
	} bad[] = {
		{ "DELETE FROM chainaudit_domains", "not a single SELECT" },
		{ "SELECT domain FROM chainaudit_domains", "returns 1 column" },
		{ "SELECT 1, 2; SELECT 3, 4", "not a single SELECT" },
		{ "SELECT a, b FROM nowhere", "no such table: nowhere" },
		{ "BEGIN", "not a single SELECT" },
		{ "", "empty query" },
	};
	struct store *s;
	char err[256];
	size_t i;

	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(store_domains_begin(s, bad[i].sql, err,
		    sizeof(err)), -1, "'%s' accepted", bad[i].sql);
		cr_expect(strstr(err, bad[i].want) != NULL, "'%s': %s",
		    bad[i].sql, err);
		cr_expect(strncmp(err, path, strlen(path)) == 0, "%s", err);
	}
	store_free(s);
	/* The rows were not touched. */
	cr_expect_eq(db_int(path, "SELECT count(*) FROM chainaudit_domains"),
	    11);
}

Test(store, batch_writer_commits_every_batch)
{
	const char *path = demo_db("demo.db");
	struct store_result r;
	struct store_finding f = { "expired", "error", NULL, "gone", NULL, 0 };
	struct store *s;
	char err[256], dom[32];
	int64_t scan;
	int i;

	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	scan = test_scan_begin(s);
	memset(&r, 0, sizeof(r));
	r.verdict = "fail";
	r.worst_severity = "error";
	r.findings = &f;
	r.nfindings = 1;
	for (i = 0; i < 25; i++) {
		snprintf(dom, sizeof(dom), "d%d", i);
		r.row_number = i + 1;
		r.domain = dom;
		cr_assert_eq(store_write_result(s, scan, &r, 10, err,
		    sizeof(err)), 0, "%s", err);
	}
	/* Two batches of 10 are committed; 5 rows wait in the third. */
	cr_expect_eq(db_int(path, "SELECT count(*) FROM chainaudit_results"),
	    20);
	cr_expect_eq(db_int(path, "SELECT count(*) FROM chainaudit_findings"),
	    20);
	cr_assert_eq(store_scan_end(s, scan, 1, T_2016, err, sizeof(err)), 0,
	    "%s", err);
	store_free(s);
	cr_expect_eq(db_int(path, "SELECT rows_read * 1000 + rows_fail * 10 + "
	    "(status = 'complete') FROM chainaudit_scans"), 25251);
	cr_expect_eq(db_int(path, "SELECT findings_error FROM "
	    "chainaudit_scans"), 25);
}

Test(store, malformed_file_is_named)
{
	const char *path = tmp_path("garbage.db");
	unsigned char junk[4096];
	struct store *s;
	char err[256];
	FILE *fp;
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 7 + 13);
	cr_assert_not_null(fp = fopen(path, "wb"));
	fwrite(junk, 1, sizeof(junk), fp);
	fclose(fp);
	s = store_open(path, NULL, 0, err, sizeof(err));
	cr_assert_null(s);
	cr_expect(strstr(err, "file is not a database") != NULL, "%s", err);
	cr_expect(strncmp(err, path, strlen(path)) == 0, "%s", err);
	/* Read-only input beside a results file: the same answer. */
	s = store_open(path, tmp_path("out.db"), 0, err, sizeof(err));
	cr_assert_null(s);
	cr_expect(strstr(err, "file is not a database") != NULL, "%s", err);
}

/* ---- the program ----------------------------------------------------------- */

/* The codes of target domain in the JSON report r, as json_finding_codes. */
static const char *
codes_for(struct json_object *root, const char *domain, char *buf,
    size_t len)
{
	char suffix[128];
	struct json_object *t;

	snprintf(suffix, sizeof(suffix), ":%s", domain);
	t = json_target(root, suffix);
	cr_assert_not_null(t, "no target for %s", domain);
	return json_finding_codes(t, buf, len);
}

Test(dbscan, demo_database_end_to_end)
{
	const char *db = demo_db("demo.db");
	static const struct {
		const char *domain, *codes, *verdict;
	} want[] = {
		{ "good.example.test", "", "pass" },
		{ "www.good.example.test", "misordered-chain", "pass" },
		{ "a.wild.example.test", "", "pass" },
		{ "ec.example.test", "distrusted-issuer", "fail" },
		{ "sha1int.example.test", "sha1-only-link", "fail" },
		{ "expired.example.test", "expired", "fail" },
		{ "soon.example.test", "expiring-soon", "pass" },
		{ "shop.example.test", "hostname-mismatch", "fail" },
		{ "md5.example.test", "weak-signature", "fail" },
		{ "garbage.example.test", "unparseable", "error" },
		{ "null.example.test", "", "error" },
	};
	struct run_result r;
	struct json_object *root;
	char buf[256], sql[256], *got;
	size_t i;

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-f", "json", "-j", "2"));
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	root = run_json(&r);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cr_expect_str_eq(codes_for(root, want[i].domain, buf,
		    sizeof(buf)), want[i].codes, "%s", want[i].domain);
		snprintf(sql, sizeof(sql), "SELECT verdict FROM "
		    "chainaudit_results WHERE domain = '%s'", want[i].domain);
		got = db_dump(db, sql);
		snprintf(buf, sizeof(buf), "%s\n", want[i].verdict);
		cr_expect_str_eq(got, buf, "%s", want[i].domain);
		free(got);
	}
	/* The row's contact is carried into the report. */
	{
		struct json_object *t, *c;

		t = json_target(root, ":ec.example.test");
		cr_assert_not_null(t);
		cr_assert(json_object_object_get_ex(t, "contact", &c));
		cr_expect_str_eq(json_object_get_string(c),
		    "admin@beta.example");
	}
	json_object_put(root);
	/* One line each, naming database and domain. */
	snprintf(buf, sizeof(buf), "chainaudit: db:%s:garbage.example.test: ",
	    db);
	cr_expect(strstr(r.err, buf) != NULL, "%s", r.err);
	snprintf(buf, sizeof(buf), "chainaudit: db:%s:null.example.test: "
	    "the chain is NULL\n", db);
	cr_expect(strstr(r.err, buf) != NULL, "%s", r.err);
	run_result_free(&r);
	cr_expect_eq(db_int(db, "SELECT (status = 'complete') * 1000 + "
	    "rows_read * 10 + rows_error FROM chainaudit_scans"), 1112);
	got = db_dump(db, "SELECT path, issuer, anchor, contact FROM "
	    "chainaudit_results WHERE domain = 'ec.example.test'");
	/* The issuing CA as caname.h names it: CN and organisation. */
	cr_expect_str_eq(got, "ec.example.test < Chainaudit Test Intermediate "
	    "EC < Chainaudit Test Root EC|Chainaudit Test Intermediate EC "
	    "(Chainaudit Fixtures)|Chainaudit Test Root EC|"
	    "admin@beta.example\n");
	free(got);
}

/* A query of one's own over the results tables (the README showed it before --notify). */
#define EMAIL_SQL \
	"SELECT r.contact, r.domain, group_concat(DISTINCT f.code) " \
	"FROM chainaudit_results r JOIN chainaudit_findings f " \
	"  ON f.result_id = r.id " \
	"WHERE r.scan_id = (SELECT max(id) FROM chainaudit_scans " \
	"                   WHERE status = 'complete') " \
	"  AND f.code IN ('distrusted-issuer', 'sha1-only-link') " \
	"GROUP BY r.contact, r.domain ORDER BY r.contact, r.domain"

Test(dbscan, email_query_and_results_elsewhere)
{
	const char *db = demo_db("demo.db"), *out = tmp_path("results.db");
	struct run_result r;
	char *got;

	/* The input may be read-only: it is opened so. */
	cr_assert_eq(chmod(db, 0444), 0);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "--results", out, "-f",
	    "json"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	got = db_dump(out, EMAIL_SQL);
	cr_expect_str_eq(got,
	    "admin@beta.example|ec.example.test|distrusted-issuer\n"
	    "it@gamma.example|sha1int.example.test|sha1-only-link\n");
	free(got);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name LIKE 'chainaudit_scans'"), 0);
}

Test(dbscan, jobs_do_not_change_results)
{
	const char *db = wild_db("wild.db", 300);
	const char *o1 = tmp_path("j1.db"), *o4 = tmp_path("j4.db");
	static const char dump[] = "SELECT r.row_number, r.domain, r.verdict, "
	    "r.worst_severity, r.path, r.recheck_after, f.code, f.message "
	    "FROM chainaudit_results r LEFT JOIN chainaudit_findings f "
	    "ON f.result_id = r.id ORDER BY r.id, f.rowid";
	struct run_result r1, r4;
	char *d1, *d4;
	sqlite3 *c;

	/* Some rows that are not alike. */
	c = db_open_rw(db);
	db_exec(c, "UPDATE chainaudit_domains SET chain_pem = 'junk' "
	    "WHERE id % 37 = 0; UPDATE chainaudit_domains SET chain_pem = NULL "
	    "WHERE id % 41 = 0; UPDATE chainaudit_domains SET domain = "
	    "'x' || domain WHERE id % 7 = 0");
	sqlite3_close(c);
	run_demo_scan(&r1, db, ARGS("--at", AT_2016, "--results", o1, "-j", "1",
	    "-f", "json"));
	run_demo_scan(&r4, db, ARGS("--at", AT_2016, "--results", o4, "-j", "4",
	    "-f", "json"));
	cr_expect_eq(r1.status, 2);
	cr_expect_eq(r4.status, 2);
	cr_expect_str_eq(r1.out, r4.out, "reports differ between -j 1 and 4");
	cr_expect_str_eq(r1.err, r4.err);
	d1 = db_dump(o1, dump);
	d4 = db_dump(o4, dump);
	cr_expect_str_eq(d1, d4, "results differ between -j 1 and -j 4");
	cr_expect_eq(db_int(o4, "SELECT count(*) FROM chainaudit_results"),
	    300);
	free(d1);
	free(d4);
	run_result_free(&r1);
	run_result_free(&r4);
}

/*
 * One wildcard leaf on every row: from the second row on the run's caches
 * answer it (kept at its second sighting, then found by its PEM text).
 * Each row's result, a host mismatch included, must be what a scan of
 * that row alone gives, where nothing is cached.
 */
Test(dbscan, repeated_leaf_rows_match_rows_scanned_alone)
{
	static const char *const mismatched[] = { "2", "5" };
	char db[256], out[256], alone[256], aout[256];
	char sql[512], dom[64], *all, *one;
	struct run_result r;
	sqlite3 *c;
	int i;

	/* tmp_path's buffers are reused: keep copies. */
	snprintf(db, sizeof(db), "%s", wild_db("rep.db", 6));
	snprintf(out, sizeof(out), "%s", tmp_path("rep-out.db"));
	snprintf(alone, sizeof(alone), "%s", tmp_path("alone.db"));
	snprintf(aout, sizeof(aout), "%s", tmp_path("alone-out.db"));
	c = db_open_rw(db);
	db_exec(c, "UPDATE chainaudit_domains SET domain = 'www.other.test' "
	    "|| id WHERE id IN (2, 5)");
	sqlite3_close(c);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "--results", out, "-j",
	    "2", "-f", "json"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	run_result_free(&r);
	cr_expect_eq(db_int(out, "SELECT count(*) FROM chainaudit_findings "
	    "WHERE code = 'hostname-mismatch'"), 2);
	for (i = 0; i < 2; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM "
		    "chainaudit_findings WHERE code = 'hostname-mismatch' AND "
		    "domain = 'www.other.test%s'", mismatched[i]);
		cr_expect_eq(db_int(out, sql), 1, "row %s", mismatched[i]);
	}
	for (i = 1; i <= 6; i++) {
		unlink(alone);
		unlink(aout);
		snprintf(sql, sizeof(sql), "SELECT domain FROM "
		    "chainaudit_domains WHERE id = %d", i);
		one = db_dump(db, sql);
		snprintf(dom, sizeof(dom), "%.*s", (int)strcspn(one, "|\n"),
		    one);
		free(one);
		/* The same row, alone in a table of its own. */
		wild_db("alone.db", 1);
		snprintf(sql, sizeof(sql), "UPDATE chainaudit_domains SET "
		    "domain = '%s'", dom);
		c_exec(alone, sql);
		run_demo_scan(&r, alone, ARGS("--at", AT_2016, "--results",
		    aout, "-j", "1", "-f", "json"));
		run_result_free(&r);
		snprintf(sql, sizeof(sql), "SELECT r.domain, r.verdict, "
		    "r.worst_severity, r.path, r.recheck_after, f.code, "
		    "f.severity, f.cert_sha256, f.message FROM chainaudit_results "
		    "r LEFT JOIN chainaudit_findings f ON f.result_id = r.id "
		    "WHERE r.domain = '%s' ORDER BY f.rowid", dom);
		all = db_dump(out, sql);
		one = db_dump(aout, sql);
		cr_expect(all[0] != '\0', "row %d missing", i);
		cr_expect_str_eq(all, one, "row %d (%s) differs from its scan "
		    "alone", i, dom);
		free(all);
		free(one);
	}
}

Test(dbscan, changed_only_diff_and_summary)
{
	const char *db = demo_db("demo.db");
	struct run_result r;
	sqlite3 *c;

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-f", "json"));
	cr_expect_eq(r.status, 2);
	run_result_free(&r);
	/*
	 * expired.example.test replaces its expired chain by another
	 * customer's; a.wild.example.test deploys the SHA-1 one.
	 */
	c = db_open_rw(db);
	db_exec(c, "UPDATE chainaudit_domains SET chain_pem = (SELECT "
	    "chain_pem FROM chainaudit_domains WHERE id = 1) WHERE id = 6; "
	    "UPDATE chainaudit_domains SET chain_pem = (SELECT chain_pem FROM "
	    "chainaudit_domains WHERE id = 5) WHERE id = 3");
	sqlite3_close(c);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "--changed-only", "-f",
	    "json"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	/* Rows 3 and 6 changed; the error rows are always audited again. */
	cr_expect_eq(db_int(db, "SELECT rows_audited * 100 + rows_carried "
	    "FROM chainaudit_scans WHERE id = 2"), 407);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results "
	    "WHERE scan_id = 2 AND carried_from = 1"), 7);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_findings "
	    "WHERE scan_id = 2"), 10);

	run_demo_scan(&r, db, ARGS("--diff"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "diff of scan 2") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "rows paired by row_key") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n~ a.wild.example.test [row 3, key 3]: "
	    "pass -> fail\n    chain replaced\n    + hostname-mismatch") !=
	    NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n~ expired.example.test [row 6, key 6]: "
	    "fail\n    chain replaced\n    + hostname-mismatch"
	    "        error    good.example.test is not valid for "
	    "expired.example.test\n    - expired ") != NULL, "%s", r.out);
	/* Only what changed: no unchanged row is listed. */
	cr_expect(strstr(r.out, "good.example.test [") == NULL, "%s", r.out);
	cr_expect(strstr(r.out, "rows: 0 added, 0 removed, 2 changed, 9 "
	    "unchanged; findings: 3 new, 1 resolved; verdicts: 1 changed") !=
	    NULL, "%s", r.out);
	run_result_free(&r);

	run_demo_scan(&r, db, ARGS("--summary"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "summary of scan 2 (complete") != NULL,
	    "%s", r.out);
	cr_expect(strstr(r.out, "distrusted-issuer            error           "
	    "1        1") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "Chainaudit Test Intermediate EC") != NULL,
	    "%s", r.out);
	run_result_free(&r);

	/* Time passes: soon.example.test must be audited again. */
	run_demo_scan(&r, db, ARGS("--at", "2016-03-20T00:00:00Z",
	    "--changed-only", "-f", "json"));
	run_result_free(&r);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results "
	    "WHERE scan_id = 3 AND domain = 'soon.example.test' AND "
	    "carried_from IS NULL"), 1);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_findings "
	    "WHERE scan_id = 3 AND domain = 'soon.example.test' AND "
	    "code = 'expired'"), 1);
}

Test(dbscan, bad_input_and_usage)
{
	const char *db = demo_db("demo.db"), *junk = tmp_path("junk.db");
	struct run_result r;
	FILE *fp;
	sqlite3 *c;

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "--db-query",
	    "UPDATE chainaudit_domains SET domain = 'x'"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--db-query: not a single SELECT") != NULL,
	    "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "--db-query",
	    "SELECT domain FROM chainaudit_domains"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "returns 1 column") != NULL, "%s", r.err);
	run_result_free(&r);
	/* Refused queries leave no scan, nor any table, behind. */
	cr_expect_eq(db_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "name LIKE 'chainaudit%' AND name != 'chainaudit_domains'"), 0);

	cr_assert_not_null(fp = fopen(junk, "w"));
	fputs("this is not an SQLite database, only some text that is long "
	    "enough to be a header and then some more of it.\n", fp);
	fclose(fp);
	run_demo_scan(&r, junk, ARGS("--at", AT_2016));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "junk.db: file is not a database") != NULL,
	    "%s", r.err);
	run_result_free(&r);

	/* Another connection holds an exclusive lock. */
	c = db_open_rw(db);
	db_exec(c, "BEGIN EXCLUSIVE; UPDATE chainaudit_domains SET contact = "
	    "contact");
	run_demo_scan(&r, db, ARGS("--at", AT_2016));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "demo.db: database is locked\n") != NULL,
	    "%s", r.err);
	run_result_free(&r);
	db_exec(c, "ROLLBACK");
	sqlite3_close(c);

	run_demo_scan(&r, db, ARGS("--at", AT_2016, fixture_path("chains/"
	    "good-rsa.pem")));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "give no FILE") != NULL, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--resume"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "no unfinished scan") != NULL, "%s", r.err);
	run_result_free(&r);
}

/*
 * Rows that are wrong in themselves: each is a result for its domain and
 * the scan goes on to the good row after them.
 */
Test(dbscan, bad_rows_are_results_and_the_scan_goes_on)
{
	const char *db = tmp_path("bad.db");
	static const char bad_name[] = "bad\xff\xfe.wild.example.test";
	unsigned char *key, *chain, *many;
	size_t keylen, chainlen, i;
	struct run_result r;
	struct json_object *root;
	sqlite3 *c;
	sqlite3_stmt *st;
	const char *rows[][2] = {
		{ "key.example.test", NULL },		/* only a private key */
		{ "many.wild.example.test", NULL },	/* 500 certificates */
		{ "dup.wild.example.test", NULL },
		{ "dup.wild.example.test", NULL },
		{ bad_name, NULL },			/* not UTF-8 */
		{ "last.wild.example.test", NULL },
	};
	char *got;

	key = fixture_read("keys/hybrid-leaf1.key", &keylen);
	chain = fixture_read("chains/wildcard.pem", &chainlen);
	/* The wildcard chain is 2 certificates: 250 copies make 500. */
	cr_assert_not_null(many = malloc(chainlen * 250 + 1));
	for (i = 0; i < 250; i++)
		memcpy(many + i * chainlen, chain, chainlen);
	many[chainlen * 250] = '\0';
	rows[0][1] = (const char *)key;
	rows[1][1] = (const char *)many;
	for (i = 2; i < sizeof(rows) / sizeof(rows[0]); i++)
		rows[i][1] = (const char *)chain;

	db_load(db, "db/demo.sql");
	c = db_open_rw(db);
	db_exec(c, "DELETE FROM chainaudit_domains");
	cr_assert_eq(sqlite3_prepare_v2(c, "INSERT INTO chainaudit_domains "
	    "(domain, chain_pem) VALUES (?, ?)", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		sqlite3_bind_text(st, 1, rows[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rows[i][1], -1, SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(c);

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-f", "json"));
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	/* The report stays JSON whatever bytes the domain has. */
	root = run_json(&r);
	cr_expect_eq(db_int(db, "SELECT rows_read FROM chainaudit_scans"), 6);
	cr_expect_eq(db_int(db, "SELECT finished IS NOT NULL FROM "
	    "chainaudit_scans"), 1, "the scan is not complete");
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results"), 6);
	got = db_dump(db, "SELECT verdict FROM chainaudit_results WHERE "
	    "domain = 'key.example.test'");
	cr_expect_str_eq(got, "error\n");
	free(got);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results "
	    "WHERE domain = 'many.wild.example.test'"), 1);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results "
	    "WHERE domain = 'dup.wild.example.test' AND verdict = 'pass'"), 2);
	/* The result keeps the name's bytes as they were. */
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results "
	    "WHERE hex(domain) = hex(CAST(X'626164FFFE2E77696C642E6578616D706C"
	    "652E74657374' AS TEXT))"), 1);
	got = db_dump(db, "SELECT verdict FROM chainaudit_results WHERE "
	    "domain = 'last.wild.example.test'");
	cr_expect_str_eq(got, "pass\n");
	free(got);
	json_object_put(root);
	run_result_free(&r);
	free(key);
	free(chain);
	free(many);
}

/* A child that holds db's write lock for ms milliseconds, then quits. */
static pid_t
hold_lock(const char *db, int ms)
{
	sqlite3 *c;
	pid_t pid;
	int p[2];
	char ch;

	cr_assert_eq(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (sqlite3_open(db, &c) != SQLITE_OK ||
		    sqlite3_exec(c, "BEGIN EXCLUSIVE; UPDATE chainaudit_domains "
		    "SET contact = contact", NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		(void)write(p[1], "x", 1);
		usleep((useconds_t)ms * 1000);
		sqlite3_exec(c, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(c);
		_exit(0);
	}
	cr_assert(pid > 0);
	close(p[1]);
	cr_assert_eq(read(p[0], &ch, 1), 1, "the lock holder failed");
	close(p[0]);
	return pid;
}

/*
 * Another writer holds the database: a lock released within the busy
 * timeout (2 s, store.c) is waited for; one held longer is one line and
 * exit status 2.
 */
Test(dbscan, locked_database_waits_then_fails_in_one_line)
{
	const char *db = wild_db("wild.db", 3);
	struct run_result r;
	pid_t pid;
	int status;
	char *nl;

	pid = hold_lock(db, 1000);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_expect(strstr(r.err, "locked") == NULL, "%s", r.err);
	cr_expect_eq(db_int(db, "SELECT finished IS NOT NULL FROM "
	    "chainaudit_scans"), 1);
	run_result_free(&r);
	waitpid(pid, &status, 0);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	pid = hold_lock(db, 6000);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "wild.db: database is locked\n") != NULL,
	    "%s", r.err);
	nl = strchr(r.err, '\n');
	cr_expect(nl != NULL && nl[1] == '\0', "not one line: %s", r.err);
	run_result_free(&r);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

/* Every domain of db exactly once in scan 1, which is complete. */
static void
expect_complete_once(const char *db, int n)
{
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results "
	    "WHERE scan_id = 1"), n);
	cr_expect_eq(db_int(db, "SELECT count(DISTINCT domain) FROM "
	    "chainaudit_results WHERE scan_id = 1"), n);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_scans"), 1);
	cr_expect_eq(db_int(db, "SELECT (status = 'complete') * 100000 + "
	    "rows_read FROM chainaudit_scans"), 100000 + n);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_domains d "
	    "WHERE NOT EXISTS (SELECT 1 FROM chainaudit_results r "
	    "WHERE r.domain = d.domain)"), 0);
}

Test(dbscan, resume_after_kill_9)
{
	const int n = 6000;
	const char *db = wild_db("kill.db", n);
	struct run_result r;
	pid_t pid;
	int status;

	pid = spawn_demo_scan(db, ARGS("--at", AT_2016, "-j", "2", "-f",
	    "json"), NULL);
	wait_for_rows(db, 1, pid);
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	cr_assert_lt(db_int(db, "SELECT count(*) FROM chainaudit_results"), n,
	    "the scan had finished before the kill");
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_scans WHERE "
	    "finished IS NULL AND status = 'running'"), 1);
	run_demo_scan(&r, db, ARGS("--resume", "-j", "3", "-f", "json"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	expect_complete_once(db, n);
}

Test(dbscan, sigterm_commits_and_resume_finishes)
{
	const int n = 6000;
	const char *db = wild_db("term.db", n);
	struct run_result r;
	pid_t pid;
	int status;

	pid = spawn_demo_scan(db, ARGS("--at", AT_2016, "-j", "2", "-f",
	    "json"), NULL);
	wait_for_rows(db, 1, pid);
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "not a clean exit");
	cr_expect_eq(WEXITSTATUS(status), 128 + SIGTERM);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_scans WHERE "
	    "finished IS NULL AND status = 'interrupted'"), 1);
	/* --at must agree with the scan's instant. */
	run_demo_scan(&r, db, ARGS("--resume", "--at", "2017-01-01"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "another instant") != NULL, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--resume", "-f", "json"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	expect_complete_once(db, n);
}

/* ---- never write over what is read ------------------------------------------ */

/* The bytes of path (owned, *len set); aborts when unreadable. */
static unsigned char *
file_bytes(const char *path, size_t *len)
{
	unsigned char *buf;
	char why[256];

	cr_assert_eq(file_read_all(path, &buf, len, why, sizeof(why)), 0,
	    "%s", why);
	return buf;
}

/* One line on stderr, exit 2, naming needle. */
static void
expect_refused(const struct run_result *r, const char *needle)
{
	const char *nl = strchr(r->err, '\n');

	cr_expect_eq(r->status, 2, "exit %d: %s", r->status, r->err);
	cr_expect(strstr(r->err, needle) != NULL, "no '%s' in: %s", needle,
	    r->err);
	cr_expect(nl != NULL && nl[1] == '\0', "not one line: %s", r->err);
}

Test(dbscan, empty_or_tableless_database_is_refused_untouched)
{
	const char *empty = tmp_path("empty.db"), *other = tmp_path("other.db");
	unsigned char *before, *after;
	size_t blen, alen;
	struct run_result r;
	char want[512];
	sqlite3 *c;
	FILE *fp;

	cr_assert_not_null(fp = fopen(empty, "w"));
	fclose(fp);
	run_demo_scan(&r, empty, ARGS("--at", AT_2016, "-q"));
	snprintf(want, sizeof(want), "chainaudit: %s: an empty file: no "
	    "domain table to read", empty);
	expect_refused(&r, want);
	run_result_free(&r);
	after = file_bytes(empty, &alen);
	cr_expect_eq(alen, 0, "tables were added to the empty file");
	free(after);

	/* A database of someone else's, without the domain table. */
	c = db_open_rw(other);
	db_exec(c, "CREATE TABLE customers (name TEXT); INSERT INTO customers "
	    "VALUES ('x')");
	sqlite3_close(c);
	before = file_bytes(other, &blen);
	run_demo_scan(&r, other, ARGS("--at", AT_2016, "-q"));
	snprintf(want, sizeof(want), "chainaudit: %s: no table "
	    "chainaudit_domains (create it from db/schema.sql, or read your "
	    "own with --db-query)", other);
	expect_refused(&r, want);
	run_result_free(&r);
	run_demo_scan(&r, other, ARGS("--resume", "-q"));
	expect_refused(&r, "no unfinished scan");
	run_result_free(&r);
	run_demo_scan(&r, other, ARGS("--db-query", "SELECT name FROM "
	    "customers"));
	expect_refused(&r, "returns 1 column");
	run_result_free(&r);
	after = file_bytes(other, &alen);
	cr_expect(alen == blen && memcmp(before, after, blen) == 0,
	    "other.db changed");
	free(before);
	free(after);
}

Test(dbscan, db_query_over_own_results_is_refused)
{
	const char *db = demo_db("own.db"), *out = tmp_path("own-out.db");
	const char *fails = "SELECT domain, chain_pem FROM chainaudit_domains "
	    "WHERE domain IN (SELECT domain FROM chainaudit_results WHERE "
	    "verdict = 'fail') ORDER BY id";
	struct run_result r;
	sqlite3 *c;

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	/* It would read the rows this very scan writes. */
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--db-query",
	    fails));
	expect_refused(&r, "own.db: --db-query reads chainaudit_results, "
	    "where this scan writes its results; write them elsewhere "
	    "(--results FILE) or query a copy");
	run_result_free(&r);
	/* Through a view as well. */
	c = db_open_rw(db);
	db_exec(c, "CREATE VIEW flagged AS SELECT f.domain, d.chain_pem FROM "
	    "chainaudit_findings f JOIN chainaudit_domains d USING (domain)");
	sqlite3_close(c);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--db-query",
	    "SELECT * FROM flagged"));
	expect_refused(&r, "--db-query reads chainaudit_findings");
	run_result_free(&r);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_scans"), 1);
	/* Written elsewhere, the query reads finished results only. */
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--db-query",
	    fails, "--results", out));
	cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	run_result_free(&r);
	cr_expect_eq(db_int(out, "SELECT rows_read * 10 + rows_fail FROM "
	    "chainaudit_scans"), 55);
}

Test(dbscan, resume_refuses_an_input_that_changed)
{
	const int n = 6000;
	const char *db = wild_db("changed.db", n);
	struct run_result r;
	long long k;
	pid_t pid;
	int status;
	char sql[256];

	pid = spawn_demo_scan(db, ARGS("--at", AT_2016, "-j", "2", "-q"),
	    NULL);
	wait_for_rows(db, 1, pid);
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	k = db_int(db, "SELECT count(*) FROM chainaudit_results");
	cr_assert(k > 1 && k < n, "%lld rows were done", k);
	cr_assert_eq(db_int(db, "SELECT max(row_number) FROM "
	    "chainaudit_results"), k, "not a prefix");

	/* Two rows swapped: row 1 is now another domain. */
	c_exec(db, "UPDATE chainaudit_domains SET domain = CASE id WHEN 1 "
	    "THEN 'n2.wild.example.test' ELSE 'n1.wild.example.test' END "
	    "WHERE id IN (1, 2)");
	run_demo_scan(&r, db, ARGS("--resume", "-q"));
	expect_refused(&r, "changed.db: --resume: row 1 of the input is now "
	    "n2.wild.example.test, but scan 1 audited n1.wild.example.test "
	    "there: rows were removed, inserted or reordered since the scan "
	    "began; start a new scan (without --resume)");
	run_result_free(&r);
	c_exec(db, "UPDATE chainaudit_domains SET domain = 'n' || id || "
	    "'.wild.example.test' WHERE id IN (1, 2)");

	/* The last rows done are gone: the input is shorter than the scan. */
	snprintf(sql, sizeof(sql), "DELETE FROM chainaudit_domains WHERE id "
	    ">= %lld", k);
	c_exec(db, sql);
	run_demo_scan(&r, db, ARGS("--resume", "-q"));
	snprintf(sql, sizeof(sql), "changed.db: --resume: the input has %lld "
	    "rows, but scan 1 audited rows up to %lld: rows were removed",
	    k - 1, k);
	expect_refused(&r, sql);
	run_result_free(&r);
	/* Nothing was added, and the scan can still be resumed. */
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results"), k);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_scans WHERE "
	    "finished IS NULL"), 1);
}

/* ---- --join: the scan row's options ------------------------------------------- */

/*
 * What a scan row records (cli_scan_args) parses back (cli_adopt) to
 * the same options, newlines and backslashes included, while the
 * joiner's own options stay its own and a results option the scan was
 * not started with is refused.
 */
Test(store, scan_arguments_round_trip)
{
	static const char query[] = "SELECT a,\n  b FROM t -- a\\b";
	char *start[] = { "chainaudit", "--db", "postgresql:///x",
	    "--db-query", (char *)query, "--warn-days", "5", "-j", "3",
	    "--report", "json:out.json", "--no-system-ca", "--at",
	    AT_2016, NULL };
	char *join[] = { "chainaudit", "--db", "postgresql:///x", "--join",
	    "-j", "2", "--warn-days", "5", NULL };
	char *other[] = { "chainaudit", "--db", "postgresql:///x", "--join",
	    "--warn-days", "6", NULL };
	struct config cfg;
	char *args;

	cr_assert_eq(cli_parse(14, start, &cfg), 0);
	cr_assert_not_null(args = cli_scan_args(&cfg));
	cr_expect_str_eq(args, "--db-query=SELECT a,\\n  b FROM t -- "
	    "a\\\\b\n--warn-days=5\n--no-system-ca\n--at=" AT_2016 "\n");
	config_free(&cfg);

	cr_assert_eq(cli_parse(8, join, &cfg), 0);
	cr_assert_eq(cli_adopt(&cfg, args, "x: scan 1"), 0);
	cr_expect_str_eq(cfg.db_query, query);
	cr_expect_eq(cfg.warn_days, 5);
	cr_expect_eq(cfg.no_system_ca, 1);
	cr_expect_eq(cfg.at_set, 1);
	cr_expect_eq(cfg.at, T_2016);
	cr_expect_eq(cfg.jobs, 2, "the joiner's -j is its own");
	cr_expect_eq(cfg.nreports, 0, "the starter's reports are its own");
	cr_expect_eq(cfg.join, 1);
	config_free(&cfg);

	cr_assert_eq(cli_parse(6, other, &cfg), 0);
	cr_expect_eq(cli_adopt(&cfg, args, "x: scan 1"), -1);
	cr_expect_eq(cfg.warn_days, 6, "cfg changed on failure");
	config_free(&cfg);
	free(args);
}

/* ---- the engine contract the scan relies on -------------------------------- */

static int
keep(struct audit *a, void *arg)
{
	*(struct audit **)arg = a;
	return 0;
}

Test(store, audit_outlives_judge_input)
{
	struct der_list blobs;
	struct judge_params params;
	struct trust_store *ts = trust_store_new();
	struct cert_cache *cc = cert_cache_new(0);
	struct audit *a = NULL, *b = NULL;
	char err[256];
	unsigned long hits, misses;

	cr_assert_geq(trust_store_add_file(ts, fixture_path("ca/root-rsa.pem"),
	    TRUST_ANCHOR, NULL, err, sizeof(err)), 1, "%s", err);
	memset(&params, 0, sizeof(params));
	params.now = T_2016;
	params.sha1_sunset = 1451606400;
	params.warn_days = 30;
	params.certs = cc;
	path_params_default(&params.path, params.now);
	fixture_decode("chains/good-rsa.pem", &blobs);
	cr_assert_eq(judge_input("one", &blobs, 0, &params, ts, NULL, keep,
	    &a), 0);
	cr_assert_eq(judge_input("two", &blobs, 0, &params, ts, NULL, keep,
	    &b), 0);
	der_list_free(&blobs);
	/* Both audits still read their certificates. */
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_expect(a->trusted && b->trusted);
	cr_expect_str_eq(cert_subject(a->certs[a->leaf].cert),
	    "CN=good.example.test");
	/* The intermediate was parsed once and shared. */
	cr_expect_eq(a->certs[1].cert, b->certs[1].cert);
	cr_expect_neq(a->certs[0].cert, b->certs[0].cert);
	cert_cache_stats(cc, &hits, &misses);
	cr_expect_eq(hits, 1);
	cr_expect_eq(misses, 3);
	audit_free(a);
	audit_free(b);
	cert_cache_free(cc);
	trust_store_free(ts);
}

/* ---- --diff and --summary at scale ---------------------------------------- */

/* Exit 2, nothing on standard output, a one-line error. */
static void
expect_error_line(const struct run_result *r, const char *needle)
{
	cr_expect_eq(r->status, 2, "%s", r->err);
	expect_one_line(r->err, needle);
	cr_expect_str_eq(r->out, "");
}

/* The integer at key of object o; aborts when there is none. */
static long long
json_int_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_get_int64(v);
}

/*
 * Duplicate domain rows are common: the demo with a second
 * good.example.test (id 12).  Between two scans the duplicate's chain
 * breaks, a row in the middle is removed (every later row moves up one)
 * and a row is added: --diff says exactly that, row by row identity,
 * and nothing about the rows that only moved.
 */
Test(dbscan, diff_pairs_duplicate_rows_by_identity)
{
	const char *db = demo_db("demo.db");
	struct json_object *root, *rows, *row, *counts, *v;
	struct run_result r;
	char *line;

	c_exec(db, "INSERT INTO chainaudit_domains (id, domain, chain_pem, "
	    "contact) SELECT 12, domain, chain_pem, 'dup' FROM "
	    "chainaudit_domains WHERE id = 1");
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	c_exec(db, "UPDATE chainaudit_domains SET chain_pem = 'garbage' WHERE "
	    "id = 12; DELETE FROM chainaudit_domains WHERE id = 4; "
	    "INSERT INTO chainaudit_domains (id, domain, chain_pem, contact) "
	    "SELECT 13, '=1+2,x.example.test', chain_pem, 'new' FROM "
	    "chainaudit_domains WHERE id = 1");
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_results WHERE "
	    "row_key IS NULL"), 0);

	run_demo_scan(&r, db, ARGS("--diff"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "rows paired by row_key") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n~ good.example.test [row 11, key 12]: pass "
	    "-> error (") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "good.example.test [row 1,") == NULL, "%s",
	    r.out);
	cr_expect(strstr(r.out, "\n- ec.example.test [old row 4, key 4]: row "
	    "removed, was fail\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n+ =1+2,x.example.test [row 12, key 13]: new "
	    "row, fail\n    + hostname-mismatch ") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "expired.example.test") == NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\nrows: 1 added, 1 removed, 1 changed, 10 "
	    "unchanged; findings: 2 new, 0 resolved; verdicts: 1 changed\n") !=
	    NULL, "%s", r.out);
	run_result_free(&r);

	/* --all: the unchanged rows too, each finding listed. */
	run_demo_scan(&r, db, ARGS("--diff", "--all"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "\n= good.example.test [row 1, key 1]: pass\n")
	    != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n= expired.example.test [row 5, key 6]: "
	    "fail\n    = expired ") != NULL, "%s", r.out);
	run_result_free(&r);

	/* JSON: the documented shape. */
	run_demo_scan(&r, db, ARGS("--diff", "--format", "json"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	root = run_json(&r);
	cr_expect_str_eq(json_string_of(root, "kind"), "diff");
	cr_expect_str_eq(json_string_of(root, "paired_by"), "row_key");
	cr_assert(json_object_object_get_ex(root, "against", &v));
	cr_expect_eq(json_int_of(v, "id"), 1);
	cr_assert(json_object_object_get_ex(root, "counts", &counts));
	cr_expect_eq(json_int_of(counts, "rows_added"), 1);
	cr_expect_eq(json_int_of(counts, "rows_removed"), 1);
	cr_expect_eq(json_int_of(counts, "rows_changed"), 1);
	cr_expect_eq(json_int_of(counts, "rows_unchanged"), 10);
	cr_expect_eq(json_int_of(counts, "verdicts_changed"), 1);
	cr_assert(json_object_object_get_ex(root, "rows", &rows));
	cr_assert_eq(json_object_array_length(rows), 3);
	row = json_object_array_get_idx(rows, 0);
	cr_expect_str_eq(json_string_of(row, "change"), "removed");
	cr_expect_str_eq(json_string_of(row, "row_key"), "4");
	cr_expect_eq(json_int_of(row, "old_row"), 4);
	cr_expect_str_eq(json_string_of(row, "old_verdict"), "fail");
	row = json_object_array_get_idx(rows, 1);
	cr_expect_str_eq(json_string_of(row, "change"), "changed");
	cr_expect_str_eq(json_string_of(row, "row_key"), "12");
	cr_expect_str_eq(json_string_of(row, "verdict"), "error");
	cr_assert(json_object_object_get_ex(row, "chain_changed", &v));
	cr_expect(json_object_get_boolean(v));
	row = json_object_array_get_idx(rows, 2);
	cr_expect_str_eq(json_string_of(row, "change"), "added");
	cr_assert(json_object_object_get_ex(row, "findings", &v));
	cr_expect_eq(json_object_array_length(v), 1);
	cr_expect_str_eq(json_string_of(json_object_array_get_idx(v, 0),
	    "change"), "new");
	json_object_put(root);
	run_result_free(&r);

	/* CSV: a header, then cells a spreadsheet cannot take for formulas. */
	run_demo_scan(&r, db, ARGS("--diff", "--format", "csv"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strncmp(r.out, "record,change,domain,row_key,row,old_row,"
	    "verdict,old_verdict,issuer,old_issuer,chain_changed,code,severity,"
	    "certificate_sha256,message\r\n", 121) == 0, "%s", r.out);
	cr_expect(strstr(r.out, "\r\nrow,removed,ec.example.test,4,,4,,fail,")
	    != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\r\nrow,added,\"'=1+2,x.example.test\",13,12,,"
	    "fail,,") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "=1+2") == strstr(r.out, "'=1+2") + 1, "%s",
	    r.out);
	line = strstr(r.out, "\r\nfinding,new,\"'=1+2,x.example.test\",13,12,,"
	    "fail,,,,,hostname-mismatch,error,");
	cr_expect_not_null(line, "%s", r.out);
	run_result_free(&r);

	/* --summary in JSON and CSV, rows counted (the duplicate too). */
	run_demo_scan(&r, db, ARGS("--summary", "--format", "json"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	root = run_json(&r);
	cr_expect_str_eq(json_string_of(root, "kind"), "summary");
	cr_assert(json_object_object_get_ex(root, "findings_by_code", &v));
	cr_expect_geq(json_object_array_length(v), 4);
	row = json_object_array_get_idx(v, 0);
	cr_expect_str_eq(json_string_of(row, "code"), "hostname-mismatch");
	cr_expect_eq(json_int_of(row, "findings"), 2);
	cr_expect_eq(json_int_of(row, "rows"), 2);
	cr_assert(json_object_object_get_ex(root, "rows_by_issuer", &v));
	row = json_object_array_get_idx(v, 0);
	cr_expect_eq(json_int_of(row, "rows"), 9, "%s", r.out);
	json_object_put(root);
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--summary", "--format", "csv"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strncmp(r.out, "group,name,severity,findings,rows,failing,"
	    "errors\r\ncode,hostname-mismatch,error,2,2,,\r\n", 76) == 0, "%s",
	    r.out);
	cr_expect(strstr(r.out, "\r\nissuer,(none: not audited),,,3,0,3\r\n")
	    != NULL, "%s", r.out);
	run_result_free(&r);

	/* --scan picks the scan; bad ones are one line and exit 2. */
	run_demo_scan(&r, db, ARGS("--summary", "--scan", "1"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "summary of scan 1 (") != NULL, "%s", r.out);
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--diff", "--scan", "1"));
	expect_error_line(&r, "--diff: no complete scan of the same table or "
	    "query before scan 1");
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--diff", "--scan", "99"));
	expect_error_line(&r, "--scan 99: no such scan");
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--summary", "--diff", "--format", "csv"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, "one at a time") != NULL, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--summary", "--format", "sarif"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, "text, json or csv") != NULL, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--summary", "--all"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, "give --diff too") != NULL, "%s", r.err);
	run_result_free(&r);
	/* Nothing is written over anything: -o is refused, not ignored. */
	run_demo_scan(&r, db, ARGS("--diff", "-o", db));
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.err, "leave out -o and --report") != NULL, "%s",
	    r.err);
	run_result_free(&r);
	cr_expect_eq(db_int(db, "SELECT count(*) FROM chainaudit_scans"), 2);
}

/* A database with one scan only: --diff has nothing to compare. */
Test(dbscan, diff_without_a_previous_scan_is_one_line)
{
	const char *db = demo_db("demo.db");
	struct run_result r;

	run_demo_scan(&r, db, ARGS("--diff"));
	expect_error_line(&r, "no chainaudit scans here");
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--diff", "--format", "json"));
	expect_error_line(&r, "--diff: no complete scan of the same table or "
	    "query before scan 1");
	run_result_free(&r);
}

/* A --db-query names its rows' identity with a column named row_key. */
Test(dbscan, db_query_row_key_column_is_the_identity)
{
	const char *db = demo_db("demo.db");
	static const char q[] = "SELECT id * 10 AS row_key, domain, chain_pem, "
	    "contact FROM chainaudit_domains ORDER BY domain, id";
	struct run_result r;
	char *rows;

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--db-query", q));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	rows = db_dump(db, "SELECT row_number, row_key, domain, contact FROM "
	    "chainaudit_results WHERE row_number <= 2 ORDER BY row_number");
	cr_expect_str_eq(rows, "1|30|a.wild.example.test|ops@alpha.example\n"
	    "2|40|ec.example.test|admin@beta.example\n");
	free(rows);
	c_exec(db, "UPDATE chainaudit_domains SET chain_pem = 'x' WHERE id = 4");
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--db-query", q));
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--diff"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "\n~ ec.example.test [row 2, key 40]: fail -> "
	    "error") != NULL, "%s", r.out);
	run_result_free(&r);
	/* The identity alone leaves too few columns. */
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "--db-query", "SELECT id "
	    "AS row_key, domain FROM chainaudit_domains"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--db-query: besides row_key, needs the "
	    "domain, the PEM chain") != NULL, "%s", r.err);
	run_result_free(&r);
}

/*
 * A version 5 database (results without row_key) is upgraded in place
 * by the next scan; --diff between a scan from before the upgrade and
 * one after pairs rows by domain name and order, and says so: the nth
 * good.example.test with the nth.  The next diff is by identity again.
 */
Test(dbscan, version_5_upgrades_and_diff_falls_back_to_domains)
{
	const char *db = demo_db("demo.db");
	struct run_result r;

	const char *v6 = tmp_path("v6.db");
	char sql[512];

	/*
	 * Scan 1 as version 5 wrote it: the tables of then, and the rows
	 * of a scan (written elsewhere) without their row_key.
	 */
	c_exec(db, "INSERT INTO chainaudit_domains (id, domain, chain_pem, "
	    "contact) SELECT 12, domain, chain_pem, 'dup' FROM "
	    "chainaudit_domains WHERE id = 1");
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--results", v6));
	run_result_free(&r);
	/* Version 5's tables (the upgrade test's dump, its rows dropped). */
	db_load(db, "fixtures/db/schema-v5.sql");
	c_exec(db, "DELETE FROM chainaudit_findings; DELETE FROM "
	    "chainaudit_results; DELETE FROM chainaudit_scans");
	snprintf(sql, sizeof(sql), "ATTACH '%s' AS n; INSERT INTO "
	    "chainaudit_scans SELECT * FROM n.chainaudit_scans; INSERT INTO "
	    "chainaudit_results SELECT id, scan_id, row_number, domain, "
	    "contact, chain_sha256, verdict, worst_severity, trusted, error, "
	    "path, issuer, anchor, recheck_after, carried_from, source, "
	    "served_chain_sha256 FROM n.chainaudit_results; INSERT INTO "
	    "chainaudit_findings SELECT * FROM n.chainaudit_findings", v6);
	c_exec(db, sql);
	/* Reading never upgrades: it says what to do. */
	run_demo_scan(&r, db, ARGS("--summary"));
	expect_error_line(&r, "results schema version 5; this chainaudit "
	    "reads " STR(STORE_SCHEMA_VERSION) " (a scan upgrades it)");
	run_result_free(&r);

	c_exec(db, "UPDATE chainaudit_domains SET chain_pem = 'garbage' WHERE "
	    "id = 12");
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	cr_expect_eq(db_int(db, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
	cr_expect_eq(db_int(db, "SELECT count(*) * 100 + count(row_key) FROM "
	    "chainaudit_results WHERE scan_id = 1"), 1200);
	cr_expect_eq(db_int(db, "SELECT count(row_key) FROM chainaudit_results "
	    "WHERE scan_id = 2"), 12);
	run_demo_scan(&r, db, ARGS("--diff"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "rows paired by domain name and order: a scan "
	    "has rows without row_key") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n~ good.example.test [row 12, key 12]: pass "
	    "-> error") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "rows: 0 added, 0 removed, 1 changed, 11 "
	    "unchanged") != NULL, "%s", r.out);
	run_result_free(&r);

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--diff"));
	cr_expect(strstr(r.out, "rows paired by row_key") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "rows: 0 added, 0 removed, 0 changed, 12 "
	    "unchanged") != NULL, "%s", r.out);
	run_result_free(&r);
}

/*
 * --changed-only copies the results of rows it does not audit again, and
 * their failures make the exit status 1: the summary says so, so that
 * the status matches what was printed.
 */
Test(dbscan, changed_only_exit_status_matches_its_summary)
{
	const char *db = demo_db("demo.db");
	struct json_object *root, *sum, *carried;
	struct run_result r;

	c_exec(db, "DELETE FROM chainaudit_domains WHERE id IN (10, 11)");
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	run_result_free(&r);
	/* Row 1's bytes change (not its certificates): it alone is audited. */
	c_exec(db, "UPDATE chainaudit_domains SET chain_pem = chain_pem || "
	    "char(10) WHERE id = 1");
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--changed-only"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.out, "1 target: 1 pass, 0 fail, 0 errors; "
	    "findings: 0 error, 0 warning, 0 info\n8 unchanged rows not "
	    "audited again, as in scan 1: 3 pass, 5 fail\n");
	run_result_free(&r);
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "--changed-only", "-f",
	    "json"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "summary", &sum));
	cr_assert(json_object_object_get_ex(sum, "carried", &carried));
	cr_expect_eq(json_int_of(carried, "scan"), 2);
	cr_expect_eq(json_int_of(carried, "rows"), 9);
	cr_expect_eq(json_int_of(carried, "failed"), 5);
	json_object_put(root);
	run_result_free(&r);
	/* Nothing carried, nothing said. */
	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	cr_expect(strstr(r.out, "not audited again") == NULL, "%s", r.out);
	run_result_free(&r);
}

/*
 * store_row_fill fills a spare block that is big enough (and takes it),
 * and leaves one that is too small to its owner.
 */
Test(store, row_fill_reuses_a_big_enough_block)
{
	static const char dom[] = "a.example.test", pem[] = "-----BEGIN";
	struct store_field f[STORE_COL__COUNT];
	struct store_block spare;
	struct store_row row;
	char *small, *big;
	size_t need = sizeof(dom) + sizeof(pem);
	int i;

	memset(f, 0, sizeof(f));
	for (i = 0; i < STORE_COL__COUNT; i++)
		f[i].null = 1;
	f[STORE_COL_DOMAIN] = (struct store_field){ dom, sizeof(dom) - 1, 0 };
	f[STORE_COL_CHAIN] = (struct store_field){ pem, sizeof(pem) - 1, 0 };

	/* One byte short: a new block, the spare still the caller's. */
	cr_assert_not_null(small = malloc(need - 1));
	spare = (struct store_block){ small, need - 1 };
	memset(&row, 0, sizeof(row));
	cr_assert_eq(store_row_fill(&row, f, &spare), 0);
	cr_expect(row.mem != small && spare.mem == small);
	cr_expect_eq(row.mem_cap, need);
	cr_expect_str_eq(row.domain, dom);
	store_row_free(&row);
	free(small);

	/* Exactly big enough: filled in place, the spare taken. */
	cr_assert_not_null(big = malloc(need));
	memset(big, 'x', need);
	spare = (struct store_block){ big, need };
	memset(&row, 0, sizeof(row));
	cr_assert_eq(store_row_fill(&row, f, &spare), 0);
	cr_expect(row.mem == big && spare.mem == NULL && spare.cap == 0);
	cr_expect_eq(row.mem_cap, need);
	cr_expect_str_eq(row.domain, dom);
	cr_expect_eq(row.chain_len, sizeof(pem) - 1);
	cr_expect(memcmp(row.chain, pem, sizeof(pem)) == 0);
	cr_expect_null(row.contact);
	store_row_free(&row);
}
