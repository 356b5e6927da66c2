/*
 * test_dblive.c: --db --live.  The chain comparison (chaindiff) as a
 * pure function on fixture chains, then the built program scanning real
 * SQLite files whose domains point, through the connect column or
 * --connect, at openssl s_server instances and a closed port on
 * 127.0.0.1 started here.  Every server is stopped by the .fini.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "chaindiff.h"
#include "certkit.h"
#include "servers.h"
#include "testlib.h"

#define AT_2016		"2016-03-01T00:00:00Z"
#define MAX_ARGS	40
#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* ---- chaindiff ---------------------------------------------------------- */

/* chaindiff_describe of two fixture files (served second): its result. */
static int
describe(const char *stored, const char *served, char *buf, size_t len)
{
	struct der_list a, b;
	int r;

	fixture_decode(stored, &a);
	fixture_decode(served, &b);
	r = chaindiff_describe(&a, &b, buf, len);
	der_list_free(&a);
	der_list_free(&b);
	return r;
}

/* The DER list of the fixtures rels (NULL-terminated), in that order. */
static void
decode_all(const char *const *rels, struct der_list *out)
{
	struct der_list one;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; rels[i] != NULL; i++) {
		fixture_decode(rels[i], &one);
		for (k = 0; k < one.n; k++)
			cr_assert_eq(der_list_add(out, one.v[k].der,
			    one.v[k].len), 0);
		der_list_free(&one);
	}
}

Test(chaindiff, same_certificates_other_pem_text)
{
	struct der_list a, b;
	char buf[512] = "x", ha[SHA256_HEX_LEN], hb[SHA256_HEX_LEN];

	/* CRLF against LF: other bytes, the same DER. */
	fixture_decode("chains/good-rsa.pem", &a);
	fixture_decode("chains/good-rsa-crlf.pem", &b);
	cr_expect_eq(chaindiff_describe(&a, &b, buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, "");
	cr_assert_eq(chaindiff_sha256(&a, ha), 0);
	cr_assert_eq(chaindiff_sha256(&b, hb), 0);
	cr_expect_str_eq(ha, hb);
	cr_expect_eq(strlen(ha), 64);
	der_list_free(&b);
	/* The hash follows the order of the certificates. */
	decode_all((const char *const[]){ "ca/int-rsa.pem",
	    "chains/good-rsa-leaf.der", NULL }, &b);
	cr_assert_eq(chaindiff_sha256(&b, hb), 0);
	cr_expect_str_neq(ha, hb);
	der_list_free(&a);
	der_list_free(&b);
}

Test(chaindiff, extra_certificate_sent)
{
	char buf[512];

	cr_assert_eq(describe("chains/good-rsa.pem", "chains/with-root.pem",
	    buf, sizeof(buf)), 1);
	cr_expect_str_eq(buf, "the server's 3 certificates differ from the 2 "
	    "stored: 1 extra certificate sent (sent #3)");
	/* A certificate sent twice is one extra. */
	cr_assert_eq(describe("chains/good-rsa.pem", "chains/duplicate.pem",
	    buf, sizeof(buf)), 1);
	cr_expect(strstr(buf, "1 extra certificate sent (sent #") != NULL,
	    "%s", buf);
	cr_expect(strstr(buf, "not sent") == NULL, "%s", buf);
}

Test(chaindiff, intermediate_not_sent)
{
	char buf[512];

	cr_assert_eq(describe("chains/good-rsa.pem", "chains/missing-int.pem",
	    buf, sizeof(buf)), 1);
	cr_expect_str_eq(buf, "the server's 1 certificate differs from the 2 "
	    "stored: 1 stored certificate not sent (stored #2)");
}

Test(chaindiff, different_leaf)
{
	char buf[512];

	/* Same intermediate, another leaf: only the leaf is named. */
	cr_assert_eq(describe("chains/wildcard.pem", "chains/good-rsa.pem",
	    buf, sizeof(buf)), 1);
	cr_expect(strstr(buf, "the server's 2 certificates differ from the 2 "
	    "stored: a different leaf (sent sha256:") == buf, "%s", buf);
	cr_expect(strstr(buf, "not sent") == NULL && strstr(buf, "extra") ==
	    NULL && strstr(buf, "order") == NULL, "%s", buf);
	/* Another leaf and one more certificate. */
	cr_assert_eq(describe("chains/wildcard.pem", "chains/with-root.pem",
	    buf, sizeof(buf)), 1);
	cr_expect(strstr(buf, "a different leaf") != NULL &&
	    strstr(buf, "; 1 extra certificate sent (sent #3)") != NULL,
	    "%s", buf);
}

Test(chaindiff, same_certificates_other_order)
{
	struct der_list stored, served;
	char buf[512];

	fixture_decode("chains/with-root.pem", &stored);
	decode_all((const char *const[]){ "chains/good-rsa-leaf.der",
	    "ca/root-rsa.pem", "ca/int-rsa.pem", NULL }, &served);
	cr_assert_eq(chaindiff_describe(&stored, &served, buf, sizeof(buf)),
	    1);
	cr_expect_str_eq(buf, "the server's 3 certificates differ from the 3 "
	    "stored: the same certificates in another order");
	der_list_free(&stored);
	der_list_free(&served);
}

Test(chaindiff, nothing_stored)
{
	struct der_list stored, served;
	char buf[512];

	memset(&stored, 0, sizeof(stored));
	fixture_decode("chains/good-rsa.pem", &served);
	cr_assert_eq(chaindiff_describe(&stored, &served, buf, sizeof(buf)),
	    1);
	cr_expect_str_eq(buf, "the server's 2 certificates differ from the 0 "
	    "stored: the database holds no certificate");
	/* A short buffer truncates, never overflows. */
	cr_assert_eq(chaindiff_describe(&stored, &served, buf, 8), 1);
	cr_expect_str_eq(buf, "the ser");
	der_list_free(&served);
}

/* ---- the program -------------------------------------------------------- */

static char tmpdir[64];

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/chainaudit-dblive-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	servers_stop_all();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", tmpdir);
}

TestSuite(dblive, .init = setup, .fini = teardown, .timeout = 60);

static const char *
tmp_path(const char *name)
{
	static char buf[2][256];
	static int n;
	char *b = buf[n++ % 2];

	snprintf(b, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return b;
}

/* Insert (domain, fixture chain, contact, connect) into table. */
static void
add_row(sqlite3 *db, const char *table, const char *domain,
    const char *chain, const char *contact, const char *connect)
{
	sqlite3_stmt *st;
	unsigned char *pem;
	char sql[256];
	size_t len;

	snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (NULL, ?, ?, ?%s)",
	    table, connect != NULL ? ", ?" : "");
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(db));
	pem = fixture_read(chain, &len);
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, (const char *)pem, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, contact, -1, SQLITE_STATIC);
	if (connect != NULL)
		sqlite3_bind_text(st, 4, connect, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	free(pem);
}

/* Run the program on db: fixture roots, pinned time, JSON, then extra. */
static void
run_scan(struct run_result *r, const char *db, const char *const *extra)
{
	const char *argv[MAX_ARGS];
	static char root[512];
	size_t n = 0, i;

	snprintf(root, sizeof(root), "%s", fixture_path("ca/root-rsa.pem"));
	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = root;
	argv[n++] = "--at";
	argv[n++] = AT_2016;
	argv[n++] = "-f";
	argv[n++] = "json";
	argv[n++] = "--db";
	argv[n++] = db;
	for (i = 0; extra[i] != NULL && n + 1 < MAX_ARGS; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
}

/* SHA-256 of a fixture's bytes: the stored chain's chain_sha256. */
static void
pem_hash(const char *rel, char hex[SHA256_HEX_LEN])
{
	unsigned char *buf, md[SHA256_LEN];
	size_t len;

	buf = fixture_read(rel, &len);
	cr_assert_eq(sha256(buf, len, md), 0);
	hex_encode(md, SHA256_LEN, hex);
	free(buf);
}

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *
jtls(struct json_object *root, const char *domain, const char *out)
{
	struct json_object *t, *tls;
	char suffix[128];

	snprintf(suffix, sizeof(suffix), ":%s", domain);
	t = json_target(root, suffix);
	cr_assert_not_null(t, "no target for %s in %s", domain, out);
	cr_assert(json_object_object_get_ex(t, "tls", &tls), "%s: no tls",
	    domain);
	return tls;
}

Test(dblive, served_chains_against_stored_ones)
{
	struct test_server *same, *more, *closed;
	const char *db = tmp_path("hosting.db");
	struct run_result r;
	struct json_object *root, *tls;
	char a1[32], a2[32], a3[32], good[SHA256_HEX_LEN],
	    with_root[SHA256_HEX_LEN], want[1024], buf[256], *got;
	char pem_crlf[SHA256_HEX_LEN], pem_good[SHA256_HEX_LEN],
	    pem_wild[SHA256_HEX_LEN];
	char *chain = concat_tmp((const char *const[]){ "ca/int-rsa.pem",
	    "ca/root-rsa.pem", NULL });
	sqlite3 *c;

	/* One serves the stored chain; one adds the root; one refuses. */
	same = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	more = server_openssl("chains/good-rsa.pem", "keys/leaf-good.key",
	    chain, NULL, NULL, NULL);
	closed = server_peer(PEER_CLOSED, NULL, NULL);
	snprintf(a1, sizeof(a1), "127.0.0.1:%d", same->port);
	snprintf(a2, sizeof(a2), "127.0.0.1:%d", more->port);
	snprintf(a3, sizeof(a3), "127.0.0.1:%d", closed->port);

	/* The hosting company's own table, read with --db-query. */
	c = db_open_rw(db);
	db_exec(c, "CREATE TABLE sites (id INTEGER PRIMARY KEY, name TEXT, "
	    "pem TEXT, owner TEXT, addr TEXT)");
	/* Other PEM text (CRLF), the same certificates: no finding. */
	add_row(c, "sites", "good.example.test", "chains/good-rsa-crlf.pem",
	    "a@example", a1);
	add_row(c, "sites", "www.good.example.test", "chains/good-rsa.pem",
	    "b@example", a2);
	add_row(c, "sites", "a.wild.example.test", "chains/wildcard.pem",
	    "c@example", a1);
	add_row(c, "sites", "closed.example.test", "chains/good-rsa.pem",
	    "d@example", a3);
	sqlite3_close(c);

	run_scan(&r, db, ARGS("--live", "-j", "2", "-c", "4", "--timeout",
	    "5", "--db-query", "SELECT name, pem, owner, addr FROM sites "
	    "ORDER BY id"));
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	snprintf(buf, sizeof(buf), "chainaudit: db:%s:closed.example.test: "
	    "connect to %s: Connection refused\n", db, a3);
	cr_expect(strstr(r.err, buf) != NULL, "%s", r.err);

	/* Every row is written, in row order, with both hashes. */
	fixture_chain_sha256("chains/good-rsa.pem", good);
	fixture_chain_sha256("chains/with-root.pem", with_root);
	pem_hash("chains/good-rsa-crlf.pem", pem_crlf);
	pem_hash("chains/good-rsa.pem", pem_good);
	pem_hash("chains/wildcard.pem", pem_wild);
	snprintf(want, sizeof(want),
	    "1|good.example.test|live|pass|%s|%s\n"
	    "2|www.good.example.test|live|pass|%s|%s\n"
	    "3|a.wild.example.test|live|fail|%s|%s\n"
	    "4|closed.example.test|live|error|%s|NULL\n",
	    pem_crlf, good, pem_good, with_root, pem_wild, good, pem_good);
	got = db_dump(db, "SELECT row_number, domain, source, verdict, "
	    "chain_sha256, served_chain_sha256 FROM chainaudit_results "
	    "ORDER BY id");
	cr_expect_str_eq(got, want);
	free(got);
	got = db_dump(db, "SELECT error FROM chainaudit_results WHERE "
	    "row_number = 4");
	snprintf(want, sizeof(want), "connect to %s: Connection refused\n",
	    a3);
	cr_expect_str_eq(got, want);
	free(got);

	/* served-chain-differs where the server sends something else. */
	got = db_dump(db, "SELECT domain, code, severity, message FROM "
	    "chainaudit_findings ORDER BY rowid");
	cr_expect(strstr(got, "www.good.example.test|unnecessary-root|info|")
	    != NULL, "%s", got);
	cr_expect(strstr(got, "www.good.example.test|served-chain-differs|"
	    "warning|the server's 3 certificates differ from the 2 stored: "
	    "1 extra certificate sent (sent #3)\n") != NULL, "%s", got);
	cr_expect(strstr(got, "a.wild.example.test|hostname-mismatch|error|"
	    "good.example.test is not valid for a.wild.example.test\n") !=
	    NULL, "%s", got);
	cr_expect(strstr(got, "a.wild.example.test|served-chain-differs|"
	    "warning|the server's 2 certificates differ from the 2 stored: "
	    "a different leaf (sent sha256:") != NULL, "%s", got);
	free(got);
	/* The server staples no OCSP response: that is all. */
	got = db_dump(db, "SELECT group_concat(code) FROM chainaudit_findings "
	    "WHERE domain IN ('good.example.test', 'closed.example.test')");
	cr_expect_str_eq(got, "ocsp-absent\n");
	free(got);
	got = db_dump(db, "SELECT status, rows_read, rows_pass, rows_fail, "
	    "rows_error, findings_warning FROM chainaudit_scans");
	cr_expect_str_eq(got, "complete|4|2|1|1|2\n");
	free(got);

	/* The reports carry the handshake, failed or not. */
	root = run_json(&r);
	tls = jtls(root, "good.example.test", r.out);
	cr_expect_str_eq(jstr(tls, "address"), a1);
	cr_expect_str_eq(jstr(tls, "sni"), "good.example.test");
	cr_expect_not_null(jstr(tls, "protocol"));
	cr_expect_not_null(jstr(tls, "cipher_suite"));
	tls = jtls(root, "www.good.example.test", r.out);
	cr_expect_str_eq(jstr(tls, "address"), a2);
	tls = jtls(root, "closed.example.test", r.out);
	cr_expect_str_eq(jstr(tls, "address"), a3);
	cr_expect_null(jstr(tls, "protocol"));
	cr_expect_str_eq(json_finding_codes(json_target(root,
	    ":a.wild.example.test"), buf, sizeof(buf)),
	    "hostname-mismatch,ocsp-absent,served-chain-differs");
	json_object_put(root);
	run_result_free(&r);
	unlink(chain);
	free(chain);
}

Test(dblive, default_table_through_connect_in_batches)
{
	struct test_server *wild;
	const char *db = tmp_path("wild.db");
	struct run_result r;
	char addr[32], dom[64], hash[SHA256_HEX_LEN], want[256], *got;
	sqlite3 *c;
	int i;

	wild = server_openssl("chains/wildcard.pem", "keys/leaf-wildcard.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", wild->port);
	c = db_open_rw(db);
	db_exec(c, "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT NOT NULL, chain_pem TEXT, contact TEXT); BEGIN");
	/* More rows than one batch of handshakes (256 at -c 8). */
	for (i = 1; i <= 300; i++) {
		snprintf(dom, sizeof(dom), "n%d.wild.example.test", i);
		add_row(c, "chainaudit_domains", dom, "chains/wildcard.pem",
		    "ops", NULL);
	}
	db_exec(c, "COMMIT");
	sqlite3_close(c);

	/* --connect given once: every row goes there. */
	run_scan(&r, db, ARGS("--live", "--connect", addr, "-c", "8", "-j",
	    "3", "-q"));
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_result_free(&r);
	fixture_chain_sha256("chains/wildcard.pem", hash);
	snprintf(want, sizeof(want), "300|300|1|%s|300|0\n", hash);
	got = db_dump(db, "SELECT count(*), sum(r.row_number = d.id AND "
	    "r.domain = d.domain), count(DISTINCT served_chain_sha256), "
	    "max(served_chain_sha256), sum(source = 'live' AND verdict = "
	    "'pass'), (SELECT count(*) FROM chainaudit_findings WHERE "
	    "code != 'ocsp-absent') FROM "
	    "chainaudit_results r JOIN chainaudit_domains d ON "
	    "d.id = r.row_number");
	cr_expect_str_eq(got, want);
	free(got);

	/* The same rows from the database: 'stored', no served hash. */
	run_scan(&r, db, ARGS("-q"));
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	run_result_free(&r);
	got = db_dump(db, "SELECT scan_id, source, count(*), "
	    "count(served_chain_sha256) FROM chainaudit_results GROUP BY 1, 2 "
	    "ORDER BY 1");
	cr_expect_str_eq(got, "1|live|300|300\n2|stored|300|0\n");
	free(got);
	/* Live and stored scans never share a policy version. */
	got = db_dump(db, "SELECT count(DISTINCT policy_version), "
	    "sum(options LIKE '%--live%') FROM chainaudit_scans");
	cr_expect_str_eq(got, "2|1\n");
	free(got);
}

/*
 * The database scan's rows go through the worker pool live targets use:
 * a few rows whose servers send chains that take a whole work budget to
 * audit, among hundreds of healthy rows, with more rows than one batch
 * of handshakes.  No healthy row's handshake waits for a slow audit and
 * times out, and reports and results keep row order.
 */
Test(dblive, slow_audits_delay_no_row_and_order_stays)
{
	struct test_server *wild, *slow[3];
	const char *db = tmp_path("slow.db");
	struct run_result r;
	struct json_object *root, *ts, *t;
	char addr[32], dom[64], want[256], *leaf, *key, *cas, *got;
	const char *src, *err;
	size_t i, n, nslow = 0, len;
	sqlite3 *c;

	certkit_slow_chain_files(&leaf, &key, &cas);
	wild = server_openssl("chains/wildcard.pem", "keys/leaf-wildcard.key",
	    "ca/int-rsa.pem", NULL, NULL, NULL);
	for (i = 0; i < 3; i++)
		slow[i] = server_openssl(leaf, key, cas, NULL, NULL, NULL);
	c = db_open_rw(db);
	db_exec(c, "CREATE TABLE sites (id INTEGER PRIMARY KEY, domain TEXT, "
	    "pem TEXT, owner TEXT, addr TEXT); BEGIN");
	for (i = 0; i < 300; i++) {
		if (i % 100 == 10) {
			snprintf(dom, sizeof(dom), "slow.example.test");
			snprintf(addr, sizeof(addr), "127.0.0.1:%d",
			    slow[i / 100]->port);
		} else {
			snprintf(dom, sizeof(dom), "n%zu.wild.example.test", i);
			snprintf(addr, sizeof(addr), "127.0.0.1:%d",
			    wild->port);
		}
		add_row(c, "sites", dom, "chains/wildcard.pem", "ops",
		    addr);
	}
	db_exec(c, "COMMIT");
	sqlite3_close(c);

	run_scan(&r, db, ARGS("--live", "-c", "32", "-j", "2", "--timeout",
	    "5", "--fail-on", "never", "--db-query", "SELECT domain, pem, "
	    "owner, addr FROM sites ORDER BY id"));
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	root = run_json(&r);
	ts = NULL;
	cr_assert(json_object_object_get_ex(root, "targets", &ts), "%s",
	    r.out);
	n = json_object_array_length(ts);
	cr_assert_eq(n, 300, "%zu targets: %s", n, r.err);
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(ts, i);
		if (i % 100 == 10)
			snprintf(dom, sizeof(dom), ":slow.example.test");
		else
			snprintf(dom, sizeof(dom), ":n%zu.wild.example.test",
			    i);
		src = jstr(t, "source");
		len = src != NULL ? strlen(src) : 0;
		cr_expect(src != NULL && len > strlen(dom) &&
		    strcmp(src + len - strlen(dom), dom) == 0,
		    "row %zu is %s, not ...%s", i + 1, src, dom);
		err = jstr(t, "error");
		cr_expect_null(err, "row %zu: %s", i + 1, err);
		nslow += json_has_finding(t, "budget-exceeded");
	}
	cr_expect_eq(nslow, 3, "the slow chains used their whole budget: "
	    "%zu did", nslow);
	json_object_put(root);
	run_result_free(&r);
	/* The results table: every row, in its place, none an error. */
	snprintf(want, sizeof(want), "300|300|0|3\n");
	got = db_dump(db, "SELECT count(*), sum(r.row_number = d.id AND "
	    "r.domain = d.domain), count(r.error), sum(EXISTS (SELECT 1 FROM "
	    "chainaudit_findings f WHERE f.result_id = r.id AND f.code = "
	    "'budget-exceeded')) FROM chainaudit_results r JOIN sites d "
	    "ON d.id = r.row_number");
	cr_expect_str_eq(got, want);
	free(got);
	certkit_files_remove((char *[]){ leaf, key, cas }, 3);
}

Test(dblive, usage)
{
	const struct {
		const char *const *args;
		const char *why;
	} bad[] = {
		{ ARGS("--live", "--changed-only"), "give only --live" },
		{ ARGS("--live", "--summary"), "leave out --resume" },
		{ ARGS("--live", "--all-keys"), "leave out --sni" },
		{ ARGS("--connect", "127.0.0.1:1"), "without --live" },
	};
	const char *db = tmp_path("empty.db");
	struct run_result r;
	char *got;
	size_t i;
	sqlite3 *c;

	c = db_open_rw(db);
	db_exec(c, "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT NOT NULL, chain_pem TEXT, contact TEXT)");
	sqlite3_close(c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_scan(&r, db, bad[i].args);
		cr_expect_eq(r.status, 2, "%s", bad[i].why);
		cr_expect(strstr(r.err, bad[i].why) != NULL, "%s", r.err);
		run_result_free(&r);
	}
	run_chainaudit(&r, ARGS("--live", "x.pem"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--live need --db FILE") != NULL, "%s", r.err);
	run_result_free(&r);
	/* Refused before the database was touched. */
	got = db_dump(db, "SELECT count(*) FROM sqlite_schema WHERE name = "
	    "'chainaudit_scans'");
	cr_expect_str_eq(got, "0\n");
	free(got);
}
