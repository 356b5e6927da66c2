/*
 * test_notify.c: --notify on real SQLite files: the demo hosting
 * database scanned, then the notices read back as CSV (parsed as RFC
 * 4180), JSON and text, and the bad inputs: no complete scan, a scan
 * that does not exist or did not finish, a contact holding commas,
 * quotes and newlines, notices written over the database, results of
 * schema version 4 upgraded.  (tests/test_pg.c reads the same notices
 * from PostgreSQL.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "store.h"
#include "testlib.h"
#include "util.h"

#define AT_2016		"2016-03-01T00:00:00Z"
#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })
#define MAX_ROWS	64
#define MAX_FIELDS	16

static char tmpdir[64];

static void
make_tmpdir(void)
{
	tmpdir_make(tmpdir, sizeof(tmpdir), "notify");
}

static void
remove_tmpdir(void)
{
	tmpdir_remove(tmpdir);
}

TestSuite(notify, .init = make_tmpdir, .fini = remove_tmpdir,
    .timeout = 60);

/* The demo database (db/demo.sql) as tmpdir/name: its path, static. */
static const char *
demo_db(const char *name)
{
	static char path[256];

	return demo_db_make(path, sizeof(path), tmpdir, name);
}

/* Scan db at the fixtures' instant; the scan must have run. */
static void
scan(const char *db)
{
	struct run_result r;

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q"));
	cr_assert(r.status >= 0 && r.status <= 2, "scan: %d %s", r.status,
	    r.err);
	run_result_free(&r);
}

/* ---- RFC 4180, read strictly ------------------------------------------- */

struct csv {
	char	*cell[MAX_ROWS][MAX_FIELDS];	/* owned */
	size_t	 nfields[MAX_ROWS];
	size_t	 nrows;
};

/*
 * Parse s as RFC 4180: CRLF after every record, a quoted field's quotes
 * doubled; anything else (a bare quote, a lone LF outside quotes, a
 * missing CRLF at the end) fails the test.
 */
static void
csv_parse(const char *s, struct csv *c)
{
	char buf[4096];
	size_t n = 0, f = 0;
	int quoted;

	memset(c, 0, sizeof(*c));
	while (*s != '\0') {
		cr_assert_lt(c->nrows, MAX_ROWS);
		n = 0;
		quoted = *s == '"';
		if (quoted) {
			for (s++;; s++) {
				cr_assert(*s != '\0', "unterminated quote");
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"')
					break;
				cr_assert_lt(n, sizeof(buf) - 1);
				buf[n++] = *s;
			}
			s++;
		} else
			for (; *s != ',' && *s != '\r' && *s != '\0'; s++) {
				cr_assert(*s != '"' && *s != '\n',
				    "bare quote or LF in an unquoted field");
				buf[n++] = *s;
			}
		buf[n] = '\0';
		cr_assert_lt(f, MAX_FIELDS);
		c->cell[c->nrows][f++] = strdup(buf);
		if (*s == ',') {
			s++;
			continue;
		}
		cr_assert(s[0] == '\r' && s[1] == '\n', "record not ended by "
		    "CRLF at: %.20s", s);
		s += 2;
		c->nfields[c->nrows++] = f;
		f = 0;
	}
}

static void
csv_free(struct csv *c)
{
	size_t i, j;

	for (i = 0; i < c->nrows; i++)
		for (j = 0; j < c->nfields[i]; j++)
			free(c->cell[i][j]);
}

/* The row whose domain (column 1) and code (column 2) match, or -1. */
static int
csv_find(const struct csv *c, const char *domain, const char *code)
{
	size_t i;

	for (i = 1; i < c->nrows; i++)
		if (strcmp(c->cell[i][1], domain) == 0 &&
		    strcmp(c->cell[i][2], code) == 0)
			return (int)i;
	return -1;
}

/* ---- the notices --------------------------------------------------------- */

Test(notify, the_demo_scan_as_csv_one_row_per_finding_to_act_on)
{
	const char *db = demo_db("demo.db");
	struct run_result r;
	struct csv c;
	size_t i;
	int k;

	scan(db);
	run_notify(&r, db, NULL);
	cr_expect_eq(r.status, 1, "notices mean action: %d %s", r.status,
	    r.err);
	cr_expect_str_eq(r.err, "");
	csv_parse(r.out, &c);
	cr_assert_gt(c.nrows, 1);
	cr_expect_str_eq(c.cell[0][0], "contact");
	cr_expect_str_eq(c.cell[0][4], "deadline");
	cr_expect_str_eq(c.cell[0][5], "action");
	cr_expect_str_eq(c.cell[0][6], "certificate_sha256");
	for (i = 0; i < c.nrows; i++)
		cr_expect_eq(c.nfields[i], 9, "row %zu: %zu fields", i,
		    c.nfields[i]);
	/* 6 error and 2 warning findings, and the NULL chain's row. */
	cr_expect_eq(c.nrows, 1 + 8 + 1, "%s", r.out);

	k = csv_find(&c, "expired.example.test", "expired");
	cr_assert_geq(k, 0, "%s", r.out);
	cr_expect_str_eq(c.cell[k][0], "it@gamma.example");
	cr_expect_str_eq(c.cell[k][3], "error");
	cr_expect_str_eq(c.cell[k][4], "2015-06-01T00:00:00Z");
	cr_expect(strncmp(c.cell[k][5], "Renew the certificate "
	    "expired.example.test (SHA-256 d57d3844", 48) == 0, "%s",
	    c.cell[k][5]);
	cr_expect_str_eq(c.cell[k][6], "d57d3844fd06a341f2043ef465fd2702222c3"
	    "54f5ec742284637653642d97ee5");

	/* The deadline of a warning is its own date; a distrust's, the
	 * decision's effective date. */
	k = csv_find(&c, "soon.example.test", "expiring-soon");
	cr_assert_geq(k, 0);
	cr_expect_str_eq(c.cell[k][4], "2016-03-15T00:00:00Z");
	k = csv_find(&c, "ec.example.test", "distrusted-issuer");
	cr_assert_geq(k, 0);
	cr_expect_str_eq(c.cell[k][4], "2015-06-01T00:00:00Z");
	cr_expect(strstr(c.cell[k][5], "Replace the certificate "
	    "ec.example.test") == c.cell[k][5], "%s", c.cell[k][5]);
	/* A row that could not be audited is told too. */
	k = csv_find(&c, "null.example.test", "not-audited");
	cr_assert_geq(k, 0);
	cr_expect_str_eq(c.cell[k][7], "the chain is NULL");
	/* Grouped by contact. */
	for (i = 2; i < c.nrows; i++)
		cr_expect(strcmp(c.cell[i - 1][0], c.cell[i][0]) <= 0,
		    "row %zu out of order", i);
	csv_free(&c);
	run_result_free(&r);
}

Test(notify, json_and_text_say_the_same)
{
	const char *db = demo_db("demo.db");
	struct run_result r;
	struct json_object *root, *ns, *n, *v;
	size_t i;
	int found = 0;

	scan(db);
	run_notify(&r, db, ARGS("--format", "json"));
	cr_expect_eq(r.status, 1);
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "notices", &ns));
	cr_expect_eq(json_object_array_length(ns), 9);
	cr_assert(json_object_object_get_ex(root, "scan", &v));
	cr_assert(json_object_object_get_ex(v, "id", &v));
	cr_expect_eq(json_object_get_int(v), 1);
	for (i = 0; i < json_object_array_length(ns); i++) {
		n = json_object_array_get_idx(ns, i);
		cr_assert(json_object_object_get_ex(n, "code", &v));
		if (strcmp(json_object_get_string(v), "misordered-chain") != 0)
			continue;
		found = 1;
		cr_assert(json_object_object_get_ex(n, "deadline", &v));
		cr_expect_null(v, "a warning without a date has none");
		cr_assert(json_object_object_get_ex(n, "contact", &v));
		cr_expect_str_eq(json_object_get_string(v), "ops@alpha.example");
	}
	cr_expect(found);
	json_object_put(root);
	run_result_free(&r);

	run_notify(&r, db, ARGS("--format", "text"));
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.out, "To: web@delta.example\n\n  md5.example.test: "
	    "weak-signature (error), by 2016-03-01\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "    What to do: Renew the certificate "
	    "soon.example.test") != NULL, "%s", r.out);
	run_result_free(&r);
}

/* A scan id reads that scan, the same notices as the latest. */
/*
 * The exit status follows --fail-on as the audit's does: 1 for a notice
 * at or above it (default error), whatever was printed.  A scan whose
 * only notices are warnings exits 0 by default, 1 with --fail-on warning
 * or info; --fail-on never exits 0 with the same notices.
 */
Test(notify, exit_status_follows_fail_on)
{
	const char *db = demo_db("demo.db");
	struct run_result r, w;

	run_demo_scan(&r, db, ARGS("--at", AT_2016, "-q", "--db-query",
	    "SELECT domain, chain_pem, contact FROM chainaudit_domains "
	    "WHERE domain IN ('www.good.example.test', 'soon.example.test') "
	    "ORDER BY id"));
	cr_assert_eq(r.status, 0, "scan: %d %s", r.status, r.err);
	run_result_free(&r);
	run_notify(&w, db, NULL);
	cr_expect_eq(w.status, 0, "warnings only: %d %s", w.status, w.err);
	cr_expect(strstr(w.out, ",expiring-soon,warning,") != NULL &&
	    strstr(w.out, ",misordered-chain,warning,") != NULL, "%s",
	    w.out);
	cr_expect_null(strstr(w.out, ",error,"), "%s", w.out);
	run_notify(&r, db, ARGS("--fail-on", "warning"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.out, w.out);
	run_result_free(&r);
	run_notify(&r, db, ARGS("--fail-on", "info", "-f", "json"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	run_result_free(&r);
	run_result_free(&w);

	scan(db);
	run_notify(&w, db, NULL);
	cr_expect_eq(w.status, 1, "errors: %d %s", w.status, w.err);
	run_notify(&r, db, ARGS("--fail-on", "never", "-f", "csv"));
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, w.out, "--fail-on changes only the status");
	run_result_free(&r);
	run_notify(&r, db, ARGS("--fail-on", "sometimes"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--fail-on: 'sometimes'") != NULL, "%s",
	    r.err);
	cr_expect_str_eq(r.out, "");
	run_result_free(&r);
	run_result_free(&w);
}

Test(notify, scan_id_chooses_the_scan)
{
	const char *db = demo_db("demo.db");
	struct run_result a, b;

	scan(db);
	scan(db);
	run_notify(&a, db, ARGS("--scan", "1"));
	run_notify(&b, db, NULL);
	cr_expect_eq(a.status, 1, "%s", a.err);
	cr_expect_str_eq(a.out, b.out);
	run_result_free(&a);
	run_result_free(&b);
}

/* ---- bad input ------------------------------------------------------------- */

Test(notify, no_complete_scan_no_such_scan_an_unfinished_scan)
{
	const char *db = demo_db("demo.db");
	struct run_result r;
	sqlite3 *h;

	/* Not a results database yet. */
	run_notify(&r, db, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "no chainaudit scans here") != NULL, "%s",
	    r.err);
	cr_expect_str_eq(r.out, "");
	run_result_free(&r);

	scan(db);
	run_notify(&r, db, ARGS("--scan", "7"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--scan 7: no such scan") != NULL, "%s", r.err);
	cr_expect_str_eq(r.out, "", "nothing written: %s", r.out);
	run_result_free(&r);

	run_notify(&r, db, ARGS("--scan", "x1"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--scan: 'x1' is not a scan id") != NULL,
	    "%s", r.err);
	run_result_free(&r);

	/* The only scan was interrupted: nothing complete to read. */
	h = db_open_rw(db);
	db_exec(h, "UPDATE chainaudit_scans SET status = 'interrupted', "
	    "finished = NULL");
	sqlite3_close(h);
	run_notify(&r, db, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--notify: no complete scan yet") != NULL,
	    "%s", r.err);
	run_result_free(&r);
	run_notify(&r, db, ARGS("--scan", "1"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--scan 1 is interrupted, not complete") !=
	    NULL, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	run_result_free(&r);

	run_notify(&r, db, ARGS("--format", "sarif"));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "notices are written as csv, json or text") !=
	    NULL, "%s", r.err);
	run_result_free(&r);
}

/*
 * A contact is the customer's data: commas, quotes, newlines, escapes;
 * CSV quotes it whole, and no format passes a control character on.
 */
Test(notify, a_contact_with_commas_quotes_and_newlines)
{
	static const char contact[] = "Ops, \"Night\" Team\r\nops@x.example\x1b[2J";
	/* As every report shows text from outside: controls escaped. */
	static const char shown[] = "Ops, \"Night\" Team\\x0d\\x0aops@x.example"
	    "\\x1b[2J";
	const char *db = demo_db("demo.db");
	struct run_result r;
	struct json_object *root, *ns, *v;
	struct csv c;
	sqlite3 *h;
	sqlite3_stmt *st;
	int k;

	h = db_open_rw(db);
	cr_assert_eq(sqlite3_prepare_v2(h, "UPDATE chainaudit_domains SET "
	    "contact = ? WHERE domain = 'expired.example.test'", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, contact, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
	scan(db);

	run_notify(&r, db, NULL);
	csv_parse(r.out, &c);
	k = csv_find(&c, "expired.example.test", "expired");
	cr_assert_geq(k, 0, "%s", r.out);
	cr_expect_str_eq(c.cell[k][0], shown);
	csv_free(&c);
	run_result_free(&r);

	run_notify(&r, db, ARGS("--format", "json"));
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "notices", &ns));
	for (k = 0; k < (int)json_object_array_length(ns); k++) {
		cr_assert(json_object_object_get_ex(
		    json_object_array_get_idx(ns, (size_t)k), "domain", &v));
		if (strcmp(json_object_get_string(v), "expired.example.test") ==
		    0)
			break;
	}
	cr_assert(json_object_object_get_ex(json_object_array_get_idx(ns,
	    (size_t)k), "contact", &v));
	cr_expect_str_eq(json_object_get_string(v), shown);
	json_object_put(root);
	run_result_free(&r);

	/* Text: one line, no control character reaches the terminal. */
	run_notify(&r, db, ARGS("--format", "text"));
	cr_expect(strstr(r.out, "To: Ops, \"Night\" Team\\x0d\\x0aops@x.example"
	    "\\x1b[2J\n") != NULL, "%s", r.out);
	cr_expect_null(strchr(r.out, '\x1b'));
	run_result_free(&r);
}

/* --output is written whole, and never over the database it reads. */
Test(notify, output_file_never_over_the_database)
{
	const char *db = demo_db("demo.db");
	char out[256], link[256], *body;
	struct run_result r;
	size_t len;
	char err[256];

	scan(db);
	run_notify(&r, db, ARGS("--output", db));
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "refusing to write the notices over the "
	    "database") != NULL, "%s", r.err);
	run_result_free(&r);
	snprintf(link, sizeof(link), "%s/link.db", tmpdir);
	cr_assert_eq(symlink(db, link), 0);
	run_notify(&r, db, ARGS("--output", link));
	cr_expect_eq(r.status, 2, "a link to the database is the database");
	run_result_free(&r);

	snprintf(out, sizeof(out), "%s/notices.csv", tmpdir);
	run_notify(&r, db, ARGS("--output", out));
	cr_expect_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	cr_assert_eq(file_read_all(out, (unsigned char **)&body, &len, err,
	    sizeof(err)), 0, "%s", err);
	cr_expect(strncmp(body, "contact,domain,code,", 20) == 0);
	free(body);
	run_result_free(&r);
}

/*
 * Results written by schema version 4 have no deadline or fix: the
 * upgrade adds the columns, and their notices fall back to the
 * catalog's advice.
 */
Test(notify, results_of_schema_version_4_upgrade_and_still_notify)
{
	const char *db = demo_db("demo.db");
	struct run_result r;
	struct csv c;
	sqlite3 *h;
	char *v;
	int k;

	scan(db);
	h = db_open_rw(db);
	/*
	 * The findings table as version 4 made it; the results' version 6
	 * column out of the way (SQLite cannot drop it from this table).
	 */
	db_exec(h, "CREATE TABLE v4 AS SELECT result_id, scan_id, domain, "
	    "code, severity, cert_sha256, message FROM chainaudit_findings; "
	    "DROP TABLE chainaudit_findings; "
	    "ALTER TABLE v4 RENAME TO chainaudit_findings; "
	    "DROP INDEX chainaudit_results_scan_key; ALTER TABLE "
	    "chainaudit_results RENAME COLUMN row_key TO unused; "
	    "UPDATE chainaudit_meta SET value = '4' WHERE key = "
	    "'schema_version'");
	sqlite3_close(h);
	/* History reads refuse the old version; a scan upgrades it. */
	run_notify(&r, db, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "schema version 4") != NULL, "%s", r.err);
	run_result_free(&r);
	h = db_open_rw(db);
	db_exec(h, "DELETE FROM chainaudit_domains WHERE id > 1");
	sqlite3_close(h);
	scan(db);
	v = db_dump(db, "SELECT value FROM chainaudit_meta WHERE key = "
	    "'schema_version'");
	cr_expect_eq(atoi(v), STORE_SCHEMA_VERSION);
	free(v);
	run_notify(&r, db, ARGS("--scan", "1"));
	cr_expect_eq(r.status, 1, "%s", r.err);
	csv_parse(r.out, &c);
	k = csv_find(&c, "expired.example.test", "expired");
	cr_assert_geq(k, 0, "%s", r.out);
	cr_expect_str_eq(c.cell[k][5], "Renew the certificate and deploy the "
	    "new one with its current intermediates.");
	cr_expect_str_eq(c.cell[k][4], "2016-03-01T00:00:00Z",
	    "an error without a stored date: as of the scan");
	csv_free(&c);
	run_result_free(&r);
}
