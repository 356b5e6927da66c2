/*
 * test_pg.c: --db postgresql://... against a real PostgreSQL server: the
 * demo database giving the same results as on SQLite, scans in a row
 * with --changed-only, --summary and --diff, three processes on one
 * scan with one killed -9, a lease that runs out and is taken over, a
 * lease kept by a process whose batch is slow, a joiner that takes the
 * scan's options from its row, --live rows handshaken with servers on
 * 127.0.0.1, a connection dropped mid-scan with the table changed before
 * --resume, the schema upgraded in place, and the bad inputs (a failing
 * --db-query, wrong credentials, no server, no permission on the
 * results tables, --join with nothing to join, a database without a
 * domain table).
 *
 * The server: $CHAINAUDIT_PG_URI (an admin URI whose path is a database
 * name), else a private cluster that tests/pg-cluster.sh starts for the
 * run in a temporary directory and stops after it.  Without one the
 * tests skip with the reason, unless CHAINAUDIT_PG_REQUIRED is set (CI),
 * where they fail.  Each test works in a database of its own.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <libpq-fe.h>

#include "servers.h"
#include "store.h"
#include "testlib.h"
#include "util.h"

#define AT_2016		"2016-03-01T00:00:00Z"
#define MAX_ARGS	40
#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* ---- the server ----------------------------------------------------------- */

static char cluster_dir[64];	/* the runner's private cluster, or "" */

static const char *
srcdir(void)
{
	const char *s = getenv("CHAINAUDIT_SRCDIR");

	return s != NULL ? s : ".";
}

/*
 * Before any test (in the runner, so the tests inherit the variables):
 * start a private cluster unless CHAINAUDIT_PG_URI names a server.
 */
ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
	char cmd[512], uri[512], *nl;
	FILE *fp;
	int ok;

	(void)set;
	if (getenv("CHAINAUDIT_PG_URI") != NULL)
		return;
	snprintf(cluster_dir, sizeof(cluster_dir), "/tmp/chainaudit-pg-XXXXXX");
	if (mkdtemp(cluster_dir) == NULL) {
		setenv("CHAINAUDIT_PG_SKIP", "cannot make a temporary "
		    "directory", 1);
		cluster_dir[0] = '\0';
		return;
	}
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/pg-cluster.sh' start '%s' "
	    "2>'%s.log'", srcdir(), cluster_dir, cluster_dir);
	ok = (fp = popen(cmd, "r")) != NULL &&
	    fgets(uri, sizeof(uri), fp) != NULL;
	if (fp != NULL && pclose(fp) != 0)
		ok = 0;
	if (!ok) {
		snprintf(cmd, sizeof(cmd), "no PostgreSQL server could be "
		    "started (tests/pg-cluster.sh: see %s.log)", cluster_dir);
		setenv("CHAINAUDIT_PG_SKIP", cmd, 1);
		return;
	}
	if ((nl = strchr(uri, '\n')) != NULL)
		*nl = '\0';
	setenv("CHAINAUDIT_PG_URI", uri, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	char cmd[512];

	(void)stats;
	if (cluster_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "sh '%s/tests/pg-cluster.sh' stop '%s'; "
	    "rm -f '%s.log'", srcdir(), cluster_dir, cluster_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_pg: could not stop %s\n", cluster_dir);
}

/* The admin URI, or skip (fail under CHAINAUDIT_PG_REQUIRED). */
static const char *
admin_uri(void)
{
	const char *uri = getenv("CHAINAUDIT_PG_URI");
	const char *why = getenv("CHAINAUDIT_PG_SKIP");

	if (uri != NULL)
		return uri;
	if (getenv("CHAINAUDIT_PG_REQUIRED") != NULL)
		cr_assert_fail("%s", why != NULL ? why : "no PostgreSQL");
	cr_skip_test("%s", why != NULL ? why : "no PostgreSQL server");
	return NULL;
}

/* admin's URI with database name db (a static buffer of four). */
static const char *
db_uri(const char *db)
{
	static char bufs[4][512];
	static int n;
	const char *a = admin_uri(), *p, *q;
	char *b = bufs[n++ % 4];

	p = strstr(a, "://");
	cr_assert_not_null(p, "%s: not a URI", a);
	p = strchr(p + 3, '/');
	cr_assert_not_null(p, "%s: no database name", a);
	q = p + 1 + strcspn(p + 1, "?");
	snprintf(b, sizeof(bufs[0]), "%.*s/%s%s", (int)(p - a), a, db, q);
	return b;
}

static PGconn *
pg_connect(const char *uri)
{
	PGconn *c = PQconnectdb(uri);

	cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s: %s", uri,
	    PQerrorMessage(c));
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	return c;
}

/* Run sql (several statements allowed) on uri; fail the test on error. */
static void
pg_exec(const char *uri, const char *sql)
{
	PGconn *c = pg_connect(uri);
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	cr_assert(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s",
	    sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/*
 * Every row of sql, columns joined with '|' (NULL as "NULL") and rows
 * with '\n', as tests/testlib.c's db_dump does for SQLite.  Owned.
 */
static char *
pg_dump(const char *uri, const char *sql)
{
	PGconn *c = pg_connect(uri);
	PGresult *r = PQexec(c, sql);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int i, j;

	cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql,
	    PQerrorMessage(c));
	cr_assert_not_null(fp = open_memstream(&buf, &len));
	for (i = 0; i < PQntuples(r); i++) {
		for (j = 0; j < PQnfields(r); j++)
			fprintf(fp, "%s%s", j > 0 ? "|" : "",
			    PQgetisnull(r, i, j) ? "NULL" :
			    PQgetvalue(r, i, j));
		fputc('\n', fp);
	}
	fclose(fp);
	PQclear(r);
	PQfinish(c);
	return buf;
}

static long long
pg_int(const char *uri, const char *sql)
{
	char *s = pg_dump(uri, sql);
	long long v = strtoll(s, NULL, 10);

	free(s);
	return v;
}

/* A new empty database named after the test; its URI. */
static const char *
new_db(const char *name)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	pg_exec(db_uri("postgres"), sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	pg_exec(db_uri("postgres"), sql);
	return db_uri(name);
}

/* The domain table, as db/schema-pg.sql creates it. */
static void
make_domains(const char *uri)
{
	pg_exec(uri, "CREATE TABLE chainaudit_domains (id BIGSERIAL PRIMARY "
	    "KEY, domain TEXT NOT NULL, chain_pem TEXT, contact TEXT)");
}

/* The README's demo rows (db/demo.sql). */
static const char *
demo_pg(const char *name)
{
	const char *uri = new_db(name);
	unsigned char *sql;
	char path[512], err[256];
	size_t len;

	make_domains(uri);
	snprintf(path, sizeof(path), "%s/db/demo.sql", srcdir());
	cr_assert_eq(file_read_all(path, &sql, &len, err, sizeof(err)), 0,
	    "%s", err);
	pg_exec(uri, (const char *)sql);
	free(sql);
	return uri;
}

/* n rows under the wildcard fixture, n1..nN.wild.example.test. */
static const char *
wild_pg(const char *name, int n)
{
	const char *uri = new_db(name);
	unsigned char *pem;
	const char *vals[2];
	char count[16];
	PGconn *c;
	PGresult *r;
	size_t len;

	make_domains(uri);
	pem = fixture_read("chains/wildcard.pem", &len);
	snprintf(count, sizeof(count), "%d", n);
	vals[0] = (const char *)pem;
	vals[1] = count;
	c = pg_connect(uri);
	r = PQexecParams(c, "INSERT INTO chainaudit_domains (domain, "
	    "chain_pem, contact) SELECT 'n' || g || '.wild.example.test', $1, "
	    "'ops' FROM generate_series(1, $2::int) AS g", 2, NULL, vals,
	    NULL, NULL, 0);
	cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s",
	    PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	free(pem);
	return uri;
}

/*
 * Wait (up to 30 s) until the first column of sql's row reaches n; an
 * error (the tables are not there yet) counts as not yet.
 */
static void
wait_until(const char *uri, const char *sql, long long n)
{
	PGconn *c = pg_connect(uri);
	PGresult *r;
	long long v;
	int i;

	for (i = 0; i < 3000; i++) {
		r = PQexec(c, sql);
		v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ?
		    strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
		PQclear(r);
		if (v >= n) {
			PQfinish(c);
			return;
		}
		usleep(10000);
	}
	PQfinish(c);
	cr_assert_fail("timed out waiting for: %s >= %lld", sql, n);
}

/* A new empty file from template tmpl (its XXXXXX replaced). */
static void
tmp_file(char *tmpl)
{
	int fd;

	cr_assert((fd = mkstemp(tmpl)) >= 0);
	close(fd);
}

/* The contents of path as a string, owned; the file is removed. */
static char *
take_text(const char *path)
{
	unsigned char *buf;
	char why[256];
	size_t len;

	cr_assert_eq(file_read_all(path, &buf, &len, why, sizeof(why)), 0,
	    "%s", why);
	cr_assert_not_null(buf = realloc(buf, len + 1));
	buf[len] = '\0';
	unlink(path);
	return (char *)buf;
}

/* The exit status of pid, or 128 + the signal. */
static int
wait_status(pid_t pid)
{
	int status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
}

/* The results of scan, row by row, as they must not depend on who. */
static char *
results_of(const char *uri, int scan)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT row_number, domain, contact, "
	    "chain_sha256, verdict, worst_severity, trusted, error, path, "
	    "issuer, anchor, recheck_after, source, (SELECT string_agg(code "
	    "|| ':' || severity || ':' || coalesce(cert_sha256, '-'), ',' "
	    "ORDER BY code, cert_sha256) FROM chainaudit_findings f WHERE "
	    "f.result_id = r.id) FROM chainaudit_results r WHERE scan_id = %d "
	    "ORDER BY row_number", scan);
	return pg_dump(uri, sql);
}

/* scan holds every one of n rows exactly once and is complete. */
static void
expect_complete_once(const char *uri, int scan, int n)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT count(*) * 1000000 + count("
	    "DISTINCT row_number) FROM chainaudit_results WHERE scan_id = %d",
	    scan);
	cr_expect_eq(pg_int(uri, sql), (long long)n * 1000000 + n,
	    "scan %d: not every row exactly once", scan);
	snprintf(sql, sizeof(sql), "SELECT (status = 'complete')::int * "
	    "1000000 + rows_read FROM chainaudit_scans WHERE id = %d", scan);
	cr_expect_eq(pg_int(uri, sql), 1000000 + n, "scan %d: not complete "
	    "with %d rows", scan, n);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM chainaudit_scan_rows "
	    "WHERE scan_id = %d", scan);
	cr_expect_eq(pg_int(uri, sql), 0, "scan %d: its row copy is left",
	    scan);
}

TestSuite(pg, .timeout = 120, .fini = servers_stop_all);

/* ---- one process ---------------------------------------------------------- */

/*
 * The demo database as SQLite in the new directory tmp (a mkdtemp
 * template), scanned as the PostgreSQL tests scan theirs: its path in
 * lite.
 */
static void
demo_lite(char *tmp, char *lite, size_t len)
{
	struct run_result r;

	cr_assert_not_null(mkdtemp(tmp));
	demo_db_make(lite, len, tmp, "demo.db");
	run_demo_scan(&r, lite, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
}

Test(pg, demo_gives_the_sqlite_results)
{
	const char *uri = demo_pg("ca_demo");
	char lite[256], *sq, *pq;
	char tmp[] = "/tmp/chainaudit-pgdemo-XXXXXX";
	struct run_result r;
	char path[512];

	/* 2: the garbage and NULL rows could not be audited. */
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	cr_expect(strstr(r.out, "11 targets: 4 pass, 5 fail, 2 errors") !=
	    NULL, "%s", r.out);
	run_result_free(&r);

	demo_lite(tmp, lite, sizeof(lite));
	sq = db_dump(lite, "SELECT row_number, domain, verdict, "
	    "worst_severity, trusted, coalesce(error, 'NULL'), path, issuer, "
	    "anchor, recheck_after, source, (SELECT group_concat(code, ',') "
	    "FROM (SELECT code FROM chainaudit_findings f WHERE f.result_id = "
	    "r.id ORDER BY code)) FROM chainaudit_results r ORDER BY "
	    "row_number");
	pq = pg_dump(uri, "SELECT row_number, domain, verdict, "
	    "worst_severity, trusted, coalesce(error, 'NULL'), path, issuer, "
	    "anchor, recheck_after, source, (SELECT string_agg(code, ',' "
	    "ORDER BY code) FROM chainaudit_findings f WHERE f.result_id = "
	    "r.id) FROM chainaudit_results r ORDER BY row_number");
	cr_expect_str_eq(pq, sq);
	free(sq);
	free(pq);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
	cr_expect_eq(system(path), 0);

	/* The same tables and columns: counts in the scan row. */
	cr_expect_eq(pg_int(uri, "SELECT rows_read * 10000 + rows_pass * 1000 "
	    "+ rows_fail * 100 + rows_error * 10 + findings_warning FROM "
	    "chainaudit_scans"), 11 * 10000 + 4 * 1000 + 5 * 100 + 2 * 10 + 2);
	cr_expect_eq(pg_int(uri, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
}

Test(pg, scans_in_a_row_changed_only_summary_diff)
{
	const char *uri = wild_pg("ca_row", 300);
	struct run_result r;
	char *a, *b;

	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q", "--batch-rows", "64"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q", "--changed-only"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	expect_complete_once(uri, 1, 300);
	expect_complete_once(uri, 2, 300);
	cr_expect_eq(pg_int(uri, "SELECT rows_carried FROM chainaudit_scans "
	    "WHERE id = 2"), 300);
	a = results_of(uri, 1);
	b = results_of(uri, 2);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);

	/* A third scan changes one row: --diff shows it, --summary counts. */
	pg_exec(uri, "UPDATE chainaudit_domains SET chain_pem = 'garbage' "
	    "WHERE domain = 'n7.wild.example.test'");
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--summary", "--diff"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "summary of scan 3 (complete") != NULL, "%s",
	    r.out);
	cr_expect(strstr(r.out, "against scan 2") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "~ n7.wild.example.test [row 7, key 7]: pass "
	    "-> error") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "rows: 0 added, 0 removed, 1 changed, 299 "
	    "unchanged; findings: 1 new, 0 resolved; verdicts: 1 changed") !=
	    NULL, "%s", r.out);
	cr_expect(strstr(r.out, "unparseable") != NULL, "%s", r.out);
	run_result_free(&r);
}

/* ---- many processes, one scan --------------------------------------------- */

Test(pg, three_processes_one_killed)
{
	const int n = 4000;
	const char *uri = wild_pg("ca_three", n);
	struct run_result r;
	pid_t a, b, c;
	char sql[256], *one, *many;
	int sa, sc;

	a = spawn_demo_scan(uri, ARGS("--at", AT_2016, "-j", "1", "-q",
	    "--batch-rows", "40", "--lease", "2"), NULL);
	wait_until(uri, "SELECT count(*) FROM chainaudit_batches", 1);
	b = spawn_demo_scan(uri, ARGS("--join", "-j", "1", "-q", "--lease",
	    "2"), NULL);
	c = spawn_demo_scan(uri, ARGS("--join", "-j", "1", "-q", "--lease",
	    "2"), NULL);
	/* b has committed a batch and holds another: kill it mid-batch. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM chainaudit_batches "
	    "WHERE done AND owner LIKE '%%:%ld:%%'", (long)b);
	wait_until(uri, sql, 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM chainaudit_batches "
	    "WHERE NOT done AND owner LIKE '%%:%ld:%%'", (long)b);
	wait_until(uri, sql, 1);
	kill(b, SIGKILL);
	cr_expect_eq(wait_status(b), 128 + SIGKILL);
	sa = wait_status(a);
	sc = wait_status(c);
	cr_expect_eq(sa, 0);
	cr_expect_eq(sc, 0);
	expect_complete_once(uri, 1, n);
	/* Three processes wrote it; every one of them did some. */
	cr_expect_eq(pg_int(uri, "SELECT count(DISTINCT split_part(owner, "
	    "':', 2)) FROM chainaudit_batches"), 3);

	/* The same results as one process alone. */
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	expect_complete_once(uri, 2, n);
	one = results_of(uri, 2);
	many = results_of(uri, 1);
	cr_expect(strcmp(one, many) == 0, "three processes and one differ");
	free(one);
	free(many);
	run_demo_scan(&r, uri, ARGS("--diff"));
	cr_expect(strstr(r.out, "rows: 0 added, 0 removed, 0 changed, 4000 "
	    "unchanged; findings: 0 new, 0 resolved; verdicts: 0 changed") !=
	    NULL, "%s", r.out);
	run_result_free(&r);
}

Test(pg, lease_runs_out_and_is_taken_over)
{
	/*
	 * Rows of one chain cost little (one parse, one verification), so
	 * the batch must be long enough to be caught held: 2,000 of them
	 * took about 40 ms, a few of wait_until's 10 ms polls, which a
	 * loaded machine can miss (test_pg failed once in ten stress rounds
	 * of make check, its log lost; this race is the likely cause);
	 * 10,000 give it five times the room.
	 */
	const int n = 10000;
	const char *uri = wild_pg("ca_lease", n);
	char errfile[] = "/tmp/chainaudit-pglease-XXXXXX";
	struct run_result r;
	char *err;
	pid_t slow;

	tmp_file(errfile);
	/* One batch; stopped once it holds it, the lease runs out. */
	slow = spawn_demo_scan(uri, ARGS("--at", AT_2016, "-j", "1", "-q",
	    "--batch-rows", "10000", "--lease", "1"), errfile);
	wait_until(uri, "SELECT count(*) FROM chainaudit_batches WHERE "
	    "owner IS NOT NULL", 1);
	kill(slow, SIGSTOP);
	cr_assert_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_batches "
	    "WHERE done"), 0, "the batch was done before the stop");
	sleep(2);
	/* Another process takes the batch over and completes the scan. */
	run_demo_scan(&r, uri, ARGS("--join", "-q"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	expect_complete_once(uri, 1, n);
	/* The slow one finds its lease gone: rolled back, said, status 2. */
	kill(slow, SIGCONT);
	cr_expect_eq(wait_status(slow), 2);
	err = take_text(errfile);
	expect_one_line(err, "ran out (--lease 1) and another "
	    "process took them");
	cr_expect(strstr(err, "password") == NULL);
	free(err);
	expect_complete_once(uri, 1, n);
}

Test(pg, dropped_connection_keeps_what_was_committed)
{
	const int n = 6000;
	const char *uri = wild_pg("ca_drop", n);
	char errfile[] = "/tmp/chainaudit-pgdrop-XXXXXX";
	struct run_result r;
	char *err;
	pid_t p;

	tmp_file(errfile);
	p = spawn_demo_scan(uri, ARGS("--at", AT_2016, "-j", "1", "-q",
	    "--batch-rows", "50"), errfile);
	wait_until(uri, "SELECT count(*) FROM chainaudit_batches WHERE done",
	    2);
	pg_exec(uri, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	    "WHERE application_name = 'chainaudit' AND "
	    "datname = current_database()");
	cr_expect_eq(wait_status(p), 2);
	err = take_text(errfile);
	expect_one_line(err, "ca_drop");
	cr_expect(strstr(err, "terminat") != NULL ||
	    strstr((const char *)err, "closed") != NULL, "%s", err);
	free(err);
	/* Committed: whole batches only, each row once. */
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_results"),
	    pg_int(uri, "SELECT coalesce(sum(last_row - first_row + 1), 0) "
	    "FROM chainaudit_batches WHERE done"));
	cr_expect_lt(pg_int(uri, "SELECT count(*) FROM chainaudit_results"),
	    n);
	/*
	 * --resume (or --join) finishes it, with the rows copied when it
	 * began: rows removed from the table since change nothing.
	 */
	pg_exec(uri, "DELETE FROM chainaudit_domains WHERE id % 2 = 0");
	run_demo_scan(&r, uri, ARGS("--resume", "-q"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	expect_complete_once(uri, 1, n);
}

/* ---- bad input -------------------------------------------------------------- */

Test(pg, failing_db_query_records_nothing)
{
	const char *uri = demo_pg("ca_query");
	struct run_result r;

	run_demo_scan(&r, uri, ARGS("--db-query", "SELECT domain, chain_pem, "
	    "contact FROM chainaudit_domains WHERE 1 / (id - id) = 1"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "--db-query: division by zero");
	cr_expect(strstr(r.err, "ca_query") != NULL, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--db-query", "SELECT domain FROM nowhere"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "--db-query: relation \"nowhere\" does not "
	    "exist");
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--db-query", "SELECT domain FROM "
	    "chainaudit_domains"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "returns 1 column");
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--db-query", "DELETE FROM chainaudit_domains "
	    "RETURNING domain, chain_pem"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "not a single SELECT");
	run_result_free(&r);
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_scans"), 0);
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_domains"),
	    11);
}

Test(pg, wrong_credentials_and_no_server)
{
	const char *uri = new_db("ca_creds");
	char bad[600], *q;
	struct run_result r;

	pg_exec(uri, "DROP ROLE IF EXISTS ca_someone; CREATE ROLE ca_someone "
	    "LOGIN PASSWORD 'right'");
	snprintf(bad, sizeof(bad), "%s", uri);
	cr_assert_not_null(q = strstr(bad, "user=chainaudit"));
	snprintf(q, sizeof(bad) - (size_t)(q - bad), "user=ca_someone&"
	    "password=wrong-secret");
	run_demo_scan(&r, bad, ARGS("-q"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "password authentication failed");
	cr_expect(strstr(r.err, "wrong-secret") == NULL, "password shown: %s",
	    r.err);
	run_result_free(&r);
	run_demo_scan(&r, "postgresql:///x?host=/nonexistent/dir", ARGS("-q"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "postgresql:///x?host=/nonexistent/dir: ");
	run_result_free(&r);
	run_demo_scan(&r, "postgresql:///x?host=/nonexistent/dir",
	    ARGS("--summary"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "/nonexistent/dir");
	run_result_free(&r);
}

Test(pg, no_permission_on_results_tables)
{
	const char *uri = demo_pg("ca_perm");
	char ro[600], *q;
	struct run_result r;

	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	pg_exec(uri, "DROP ROLE IF EXISTS ca_reader; CREATE ROLE ca_reader LOGIN PASSWORD 'pw'; GRANT SELECT ON "
	    "ALL TABLES IN SCHEMA public TO ca_reader");
	snprintf(ro, sizeof(ro), "%s", uri);
	cr_assert_not_null(q = strstr(ro, "user=chainaudit"));
	snprintf(q, sizeof(ro) - (size_t)(q - ro), "user=ca_reader&"
	    "password=pw");
	run_demo_scan(&r, ro, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "permission denied for table chainaudit_scans");
	cr_expect(strstr(r.err, "password=***") != NULL, "%s", r.err);
	run_result_free(&r);
	/* Reading past scans needs no more than SELECT. */
	run_demo_scan(&r, ro, ARGS("--summary"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_scans"), 1);
	pg_exec(uri, "DROP OWNED BY ca_reader; DROP ROLE ca_reader");
}

Test(pg, join_needs_an_unfinished_scan)
{
	const char *uri = demo_pg("ca_join");
	struct run_result r;

	run_demo_scan(&r, uri, ARGS("--join", "-q"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "--join: no unfinished scan to join");
	cr_expect(strstr(r.err, "ca_join") != NULL, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--join", "-q"));
	cr_expect_eq(r.status, 2);
	run_result_free(&r);
	/* --join is for PostgreSQL only. */
	run_demo_scan(&r, "some.db", ARGS("--join"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--db postgresql://") != NULL, "%s", r.err);
	run_result_free(&r);
}

/* ---- --join takes the scan's options ---------------------------------------- */

Test(pg, joiner_takes_the_scans_options)
{
	const int n = 600;
	const char *uri = wild_pg("ca_adopt", n);
	char errfile[] = "/tmp/chainaudit-pgadopt-XXXXXX";
	struct run_result r;
	char *one, *joined, *args;
	pid_t starter;

	tmp_file(errfile);
	/* One batch: stopped once it holds it, the joiner does it all. */
	starter = spawn_demo_scan(uri, ARGS("--at", AT_2016, "--warn-days",
	    "7000", "-j", "1", "-q", "--batch-rows", "600", "--lease", "1"),
	    errfile);
	wait_until(uri, "SELECT count(*) FROM chainaudit_batches WHERE "
	    "owner IS NOT NULL", 1);
	kill(starter, SIGSTOP);
	/* What the scan row records: the options that shape results. */
	args = pg_dump(uri, "SELECT arguments FROM chainaudit_scans");
	cr_expect(strstr(args, "--no-system-ca\n--ca-file=") == args, "%s",
	    args);
	cr_expect(strstr(args, "root-ec.pem\n--distrust=") != NULL, "%s",
	    args);
	cr_expect(strstr(args, "demo-distrust.tsv\n--at=" AT_2016
	    "\n--warn-days=7000\n") != NULL, "%s", args);
	free(args);

	/* A result option of its own that the scan has not: refused. */
	run_chainaudit(&r, ARGS("--db", uri, "--join", "-q", "--warn-days",
	    "30"), NULL);
	expect_one_line(r.err, "ca_adopt");
	cr_expect(strstr(r.err, "scan 1: --join: the scan was started "
	    "without --warn-days=30; leave it out") != NULL, "%s", r.err);
	cr_expect_eq(r.status, 2);
	run_result_free(&r);

	/* No options at all: it judges as the starter does. */
	sleep(2);
	run_chainaudit(&r, ARGS("--db", uri, "--join", "-q", "-j", "1"), NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	expect_complete_once(uri, 1, n);
	kill(starter, SIGCONT);
	cr_expect_eq(wait_status(starter), 2);
	free(take_text(errfile));
	cr_expect_eq(pg_int(uri, "SELECT count(DISTINCT owner) FROM "
	    "chainaudit_batches"), 1);

	/* The same rows by one process with the options given. */
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "--warn-days", "7000",
	    "-q"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	one = results_of(uri, 2);
	joined = results_of(uri, 1);
	cr_expect(strcmp(one, joined) == 0, "the joiner judged otherwise");
	cr_expect(strstr(one, "expiring-soon") != NULL, "--warn-days 7000 "
	    "made no finding: the test cannot tell");
	free(one);
	free(joined);
}

/* ---- leases ------------------------------------------------------------------ */

/*
 * A batch slower than its lease (handshakes with a server that never
 * answers, --timeout 5, --lease 2) stays its process's: the renewer
 * extends the lease, so a joiner takes nothing and waits for the end.
 * (A lease of 1 s left the renewer, every third of it, a margin of
 * 0.67 s, which a loaded machine could take away.)
 */
Test(pg, slow_batch_keeps_its_lease)
{
	const int n = 6;
	const char *uri = wild_pg("ca_slow", n);
	char errfile[] = "/tmp/chainaudit-pgslow-XXXXXX";
	struct test_server *silent;
	struct run_result r;
	char addr[32], sql[256], *err;
	pid_t a;

	silent = server_peer(PEER_SILENT, NULL, NULL);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", silent->port);
	tmp_file(errfile);
	a = spawn_demo_scan(uri, ARGS("--at", AT_2016, "-q", "--live", "--connect",
	    addr, "--timeout", "5", "--lease", "2", "--batch-rows", "6"),
	    errfile);
	wait_until(uri, "SELECT count(*) FROM chainaudit_batches WHERE "
	    "owner IS NOT NULL", 1);
	run_chainaudit(&r, ARGS("--db", uri, "--join", "-q", "--lease", "2"), NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	/* The rows could not be audited (2), but nothing was taken away. */
	cr_expect_eq(wait_status(a), 2);
	err = take_text(errfile);
	cr_expect(strstr(err, "ran out") == NULL, "%s", err);
	cr_expect(strstr(err, "timed out") != NULL, "%s", err);
	free(err);
	expect_complete_once(uri, 1, n);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM chainaudit_batches "
	    "WHERE owner LIKE '%%:%ld:%%'", (long)a);
	cr_expect_eq(pg_int(uri, sql), 1, "the batch changed hands");
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_results "
	    "WHERE verdict = 'error' AND source = 'live'"), n);
	server_stop(silent);
}

/* ---- --live ------------------------------------------------------------------ */

/*
 * --live on PostgreSQL: every row's domain handshaken with a server on
 * 127.0.0.1 (the query's fourth column), by two processes on one scan
 * (the joiner takes --live and the query from the scan row), results
 * as on SQLite: 'live', the served chain's hash, the host name checked.
 * The first batch's rows go to a server that never answers, so the
 * starter is held there (its lease renewed) while the joiner does the
 * rest.
 */
Test(pg, live_rows_by_two_processes)
{
	const int n = 120;
	const char *uri = wild_pg("ca_live", n);
	struct test_server *wild, *silent;
	char query[512], hash[SHA256_HEX_LEN], want[256], *got;
	pid_t a, b;

	wild = server_openssl("chains/wildcard.pem", "keys/leaf-wildcard.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	silent = server_peer(PEER_SILENT, NULL, NULL);
	snprintf(query, sizeof(query), "SELECT domain, chain_pem, contact, "
	    "CASE WHEN id <= 10 THEN '127.0.0.1:%d' ELSE '127.0.0.1:%d' END "
	    "FROM chainaudit_domains ORDER BY id", silent->port, wild->port);
	pg_exec(uri, "UPDATE chainaudit_domains SET domain = 'bad name' "
	    "WHERE id = 57");
	a = spawn_demo_scan(uri, ARGS("--at", AT_2016, "-q", "--live",
	    "--db-query", query, "--timeout", "3", "-c", "2", "--batch-rows",
	    "10", "--lease", "1"), NULL);
	wait_until(uri, "SELECT count(*) FROM chainaudit_batches WHERE "
	    "owner IS NOT NULL", 1);
	b = spawn_chainaudit(ARGS("--db", uri, "--join", "-q", "-c", "4"),
	    NULL);
	/* 2: rows that could not be audited (timeouts, a bad name). */
	cr_expect_eq(wait_status(b) & ~2, 0);
	cr_expect_eq(wait_status(a), 2);
	expect_complete_once(uri, 1, n);
	fixture_chain_sha256("chains/wildcard.pem", hash);
	snprintf(want, sizeof(want), "%d|%d|1|%s|%d|1|10\n", n, n, hash,
	    n - 11);
	got = pg_dump(uri, "SELECT count(*), sum((r.row_number = d.id AND "
	    "r.domain = d.domain)::int), count(DISTINCT served_chain_sha256), "
	    "max(served_chain_sha256), sum((source = 'live' AND verdict = "
	    "'pass')::int), sum((verdict = 'error' AND error LIKE "
	    "'not a live target%')::int), sum((verdict = 'error' AND "
	    "row_number <= 10)::int) FROM chainaudit_results r JOIN "
	    "chainaudit_domains d ON d.id = r.row_number");
	cr_expect_str_eq(got, want);
	free(got);
	/* The starter kept its slow batch; the joiner did all it could. */
	snprintf(want, sizeof(want), "SELECT count(*) FROM chainaudit_batches "
	    "WHERE owner LIKE '%%:%ld:%%'", (long)a);
	cr_expect_eq(pg_int(uri, want), 1);
	snprintf(want, sizeof(want), "SELECT count(*) FROM chainaudit_batches "
	    "WHERE owner LIKE '%%:%ld:%%'", (long)b);
	cr_expect_geq(pg_int(uri, want), 1, "the joiner did nothing");
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_scans "
	    "WHERE options LIKE '%--live%'"), 1);
	server_stop(wild);
	server_stop(silent);
}

/* ---- never write over what is read -------------------------------------------- */

Test(pg, database_without_domain_table_is_left_alone)
{
	const char *uri = new_db("ca_empty");
	struct run_result r;

	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, ": no table chainaudit_domains (create it as "
	    "db/schema-pg.sql does, or read your own with --db-query)");
	cr_expect(strstr(r.err, "ca_empty") != NULL, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--join", "-q"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "no unfinished scan");
	run_result_free(&r);
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM pg_tables WHERE "
	    "schemaname = 'public'"), 0, "tables were added");
}

/*
 * A --db-query over the results tables reads them as they were when the
 * scan began (its rows are copied then): never the scan's own output.
 */
Test(pg, db_query_over_results_reads_a_snapshot)
{
	const char *uri = demo_pg("ca_snap");
	struct run_result r;

	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q", "--db-query",
	    "SELECT r.domain, d.chain_pem FROM chainaudit_results r JOIN "
	    "chainaudit_domains d ON d.domain = r.domain ORDER BY r.id"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	cr_expect_eq(pg_int(uri, "SELECT rows_read FROM chainaudit_scans "
	    "WHERE id = 2"), 11);
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_results"),
	    22);
}

/* A version 3 database (the first PostgreSQL schema) is upgraded. */
Test(pg, schema_3_is_upgraded_in_place)
{
	const char *uri = demo_pg("ca_v3");
	unsigned char *sql;
	char path[512], err[256];
	struct run_result r;
	size_t len;

	snprintf(path, sizeof(path), "%s/fixtures/db/schema-pg-v3.sql",
	    srcdir());
	cr_assert_eq(file_read_all(path, &sql, &len, err, sizeof(err)), 0,
	    "%s", err);
	pg_exec(uri, (const char *)sql);
	free(sql);
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	cr_expect_eq(pg_int(uri, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM chainaudit_scans WHERE "
	    "arguments LIKE '%--at=" AT_2016 "%'"), 1);
	cr_expect_eq(pg_int(uri, "SELECT count(*) FROM pg_indexes WHERE "
	    "indexname = 'chainaudit_results_scan_row'"), 1);
}

/* ---- --notify ----------------------------------------------------------------- */

/*
 * The notices of the demo scan are the same bytes from PostgreSQL as
 * from SQLite, in the same order, and the bad scans are refused alike.
 */
Test(pg, notify_gives_the_sqlite_notices)
{
	const char *uri = demo_pg("ca_notify");
	char tmp[] = "/tmp/chainaudit-pgnotify-XXXXXX", lite[256], path[512];
	struct run_result r, p;

	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	demo_lite(tmp, lite, sizeof(lite));

	run_notify(&r, lite, NULL);
	run_notify(&p, uri, NULL);
	cr_expect_eq(p.status, 1, "%s", p.err);
	cr_expect_str_eq(p.err, "");
	cr_expect(strstr(p.out, "\r\nit@gamma.example,expired.example.test,"
	    "expired,error,2015-06-01T00:00:00Z,Renew the certificate ") !=
	    NULL, "%s", p.out);
	cr_expect_str_eq(p.out, r.out);
	run_result_free(&r);
	run_result_free(&p);

	run_notify(&p, uri, ARGS("--scan", "9"));
	cr_expect_eq(p.status, 2);
	expect_one_line(p.err, "--scan 9: no such scan");
	cr_expect_str_eq(p.out, "");
	run_result_free(&p);
	pg_exec(uri, "UPDATE chainaudit_scans SET status = 'interrupted', "
	    "finished = NULL");
	run_notify(&p, uri, NULL);
	cr_expect_eq(p.status, 2);
	expect_one_line(p.err, "--notify: no complete scan yet");
	run_result_free(&p);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
	cr_expect_eq(system(path), 0);
}

/*
 * A version 3 database (the first PostgreSQL schema) is upgraded in
 * place by the next scan; its old findings notify with the catalog's
 * advice, its new ones with their own.
 */
Test(pg, version_4_is_upgraded_and_notifies)
{
	const char *uri = demo_pg("ca_upgrade");
	struct run_result r;
	char *v;

	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	pg_exec(uri, "ALTER TABLE chainaudit_findings DROP COLUMN deadline, "
	    "DROP COLUMN fix; ALTER TABLE chainaudit_results DROP COLUMN "
	    "row_key; ALTER TABLE chainaudit_scan_rows DROP COLUMN row_key; "
	    "UPDATE chainaudit_meta SET value = '4' WHERE key = "
	    "'schema_version'");
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
	cr_expect_eq(pg_int(uri, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
	v = pg_dump(uri, "SELECT scan_id, deadline, fix IS NULL FROM "
	    "chainaudit_findings WHERE code = 'expired' ORDER BY scan_id");
	cr_expect_str_eq(v, "1|NULL|t\n2|2015-06-01T00:00:00Z|f\n");
	free(v);
	run_notify(&r, uri, ARGS("--scan", "1", "--format", "text"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect(strstr(r.out, "  expired.example.test: expired (error), by "
	    "2016-03-01\n    expired.example.test expired at "
	    "2015-06-01T00:00:00Z\n    What to do: Renew the certificate and "
	    "deploy") != NULL, "%s", r.out);
	run_result_free(&r);
}

/* ---- --diff by row identity --------------------------------------------------- */

/*
 * A version 5 database (results and copied rows without row_key) is
 * upgraded in place by the next scan; --diff from a scan before the
 * upgrade pairs rows by domain name and order and says so; the next
 * --diff pairs by row identity, duplicate domains told apart, and gives
 * the bytes SQLite gives for the same two scans.
 */
Test(pg, diff_by_row_identity_after_version_5)
{
	const char *uri = demo_pg("ca_diffkey");
	char tmp[] = "/tmp/chainaudit-pgdiff-XXXXXX", lite[256], path[512];
	static const char dup[] = "INSERT INTO chainaudit_domains (id, domain, "
	    "chain_pem, contact) SELECT 12, domain, chain_pem, 'dup' FROM "
	    "chainaudit_domains WHERE id = 1";
	static const char change[] = "DELETE FROM chainaudit_domains WHERE "
	    "id = 4; INSERT INTO chainaudit_domains (id, domain, chain_pem, "
	    "contact) SELECT 13, '=1+2,x.example.test', chain_pem, 'new' FROM "
	    "chainaudit_domains WHERE id = 1";
	struct run_result r, p;
	sqlite3 *db;

	pg_exec(uri, dup);
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	pg_exec(uri, "ALTER TABLE chainaudit_results DROP COLUMN row_key; "
	    "ALTER TABLE chainaudit_scan_rows DROP COLUMN row_key; "
	    "UPDATE chainaudit_meta SET value = '5' WHERE key = "
	    "'schema_version'");
	run_demo_scan(&r, uri, ARGS("--diff"));
	cr_expect_eq(r.status, 2);
	expect_one_line(r.err, "results schema version 5; this chainaudit "
	    "reads " STR(STORE_SCHEMA_VERSION) " (a scan upgrades it)");
	run_result_free(&r);

	pg_exec(uri, "UPDATE chainaudit_domains SET chain_pem = 'garbage' "
	    "WHERE id = 12");
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	cr_expect_eq(pg_int(uri, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'"), STORE_SCHEMA_VERSION);
	cr_expect_eq(pg_int(uri, "SELECT count(row_key) * 100 + count(*) FROM "
	    "chainaudit_results WHERE scan_id = 2"), 1212);
	run_demo_scan(&r, uri, ARGS("--diff"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "rows paired by domain name and order") !=
	    NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n~ good.example.test [row 12, key 12]: pass "
	    "-> error") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "rows: 0 added, 0 removed, 1 changed, 11 "
	    "unchanged") != NULL, "%s", r.out);
	run_result_free(&r);

	pg_exec(uri, change);
	run_demo_scan(&r, uri, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	run_demo_scan(&r, uri, ARGS("--diff"));
	cr_expect(strstr(r.out, "rows paired by row_key") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n- ec.example.test [old row 4, key 4]: row "
	    "removed, was fail\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "rows: 1 added, 1 removed, 0 changed, 11 "
	    "unchanged") != NULL, "%s", r.out);
	run_result_free(&r);

	/* The same two scans on SQLite: the same CSV, byte for byte. */
	demo_lite(tmp, lite, sizeof(lite));
	db = db_open_rw(lite);
	db_exec(db, dup);
	db_exec(db, "UPDATE chainaudit_domains SET chain_pem = 'garbage' "
	    "WHERE id = 12");
	sqlite3_close(db);
	run_demo_scan(&r, lite, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	db = db_open_rw(lite);
	db_exec(db, change);
	sqlite3_close(db);
	run_demo_scan(&r, lite, ARGS("--at", AT_2016, "-q"));
	run_result_free(&r);
	run_demo_scan(&r, lite, ARGS("--diff", "--all", "--format", "csv"));
	run_demo_scan(&p, uri, ARGS("--diff", "--all", "--format", "csv"));
	cr_expect_eq(p.status, 0, "%s", p.err);
	cr_expect(strstr(p.out, "\r\nrow,added,\"'=1+2,x.example.test\",13,12,"
	    ",fail,,") != NULL, "%s", p.out);
	cr_expect_str_eq(p.out, r.out);
	run_result_free(&r);
	run_result_free(&p);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
	cr_expect_eq(system(path), 0);
}
