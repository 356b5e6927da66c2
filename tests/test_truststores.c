/*
 * test_truststores.c: the named trust stores over time.
 *
 * The loader is fed in-memory histories (a good one, a corrupt one); the
 * shipped history (db/, compiled in) is checked against facts the
 * shared data's MANIFEST states (Mozilla removed the WoSign roots at
 * 2017-11-05 and DST Root CA X3 at 2022-05-18, as certifi committed
 * it); the program is run with --trust-store, with the default for an
 * old --at, and with --list-trust-stores.  Every instant is pinned.
 * Tests on real chains skip when ../shared is absent.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "builtin.h"
#include "cert.h"
#include "trust.h"
#include "truststores.h"
#include "util.h"
#include "testlib.h"

#define SKIP_MSG	"../shared/data not present: real-chain half skipped"

/* Certificates of the shipped history (SHA-256 of the DER). */
#define WOSIGN_ROOT	\
    "4b22d5a6aec99f3cdb79aa5ec06838479cd5ecba7164f7f22dc1d65f63d85708"
#define DST_X3		\
    "0687260331a72403d909f105e69bcf0d32e1bd2493ffc6d9206d11bcd6770739"
#define ISRG_X1		\
    "96bcec06264976f37460779acf28c5a7cfe8a3c0aae11a8ffcee05c0bddf08c6"

#define WOSIGN_CASE	"chains/wosign-hycom.at-2016"

/* Warnings of a parse or load, kept for the test to read. */
struct warnings {
	char	 text[8192];
	int	 n;
};

static void
collect(const char *line, void *arg)
{
	struct warnings *w = arg;
	size_t off = strlen(w->text);

	snprintf(w->text + off, sizeof(w->text) - off, "%s\n", line);
	w->n++;
}

static time_t
at(const char *s)
{
	time_t t;

	cr_assert_eq(time_parse_iso8601(s, &t), 0, "bad instant %s", s);
	return t;
}

static void
hex_to_raw(const char *hex, unsigned char raw[SHA256_LEN])
{
	size_t i;
	unsigned v;

	for (i = 0; i < SHA256_LEN; i++) {
		cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		raw[i] = (unsigned char)v;
	}
}

/* ---- an in-memory history --------------------------------------------- */

static const struct tstore_sources names = {
	"test-roots.pem", "test-history.tsv", "test-snapshots.tsv"
};

/* "# sha256=HEX subject=..." and the fixture's PEM block, appended. */
static void
append_cert(char *buf, size_t len, const char *rel, char hex[SHA256_HEX_LEN])
{
	struct cert *c = fixture_cert(rel, 0);
	unsigned char *pem;
	size_t n, off = strlen(buf);

	pem = fixture_read(rel, &n);
	memcpy(hex, c->sha256_hex, SHA256_HEX_LEN);
	snprintf(buf + off, len - off, "# sha256=%s subject=%s\n%s", hex,
	    cert_subject(c), (const char *)pem);
	free(pem);
	cert_free(c);
}

/*
 * Three versions of "mozilla": root-rsa in all of them, root-ec removed
 * in the second and back in the third, and in the second a block whose
 * DER does not parse and one whose hash is not its name.
 */
struct mem_history {
	char	 roots[32768];
	char	 history[2048];
	char	 rsa[SHA256_HEX_LEN], ec[SHA256_HEX_LEN];
};

#define JUNK_HEX	\
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define WRONG_HEX	\
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char mem_snapshots[] =
    "# store\tdate\tlabel\n"
    "mozilla\t2015-01-01\tv1\t1\tsrc\n"
    "mozilla\t2016-01-01\tv2\t3\tsrc\n"
    "mozilla\t2017-01-01\tv3\t2\tsrc\n";

static void
mem_history(struct mem_history *m)
{
	char wrong[SHA256_HEX_LEN];
	size_t off;

	memset(m, 0, sizeof(*m));
	append_cert(m->roots, sizeof(m->roots), "ca/root-rsa.pem", m->rsa);
	append_cert(m->roots, sizeof(m->roots), "ca/root-ec.pem", m->ec);
	off = strlen(m->roots);
	/* Good base64, not a certificate. */
	snprintf(m->roots + off, sizeof(m->roots) - off,
	    "# sha256=" JUNK_HEX " subject=CN=junk\n"
	    "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQoLDA0ODw==\n"
	    "-----END CERTIFICATE-----\n");
	/* root-rsa's block again, named with another hash. */
	append_cert(m->roots, sizeof(m->roots), "ca/root-rsa.pem", wrong);
	snprintf(m->history, sizeof(m->history),
	    "mozilla\t%s\t2015-01-01..\n"
	    "mozilla\t%s\t2015-01-01..2015-01-01;2017-01-01..\n"
	    "mozilla\t" JUNK_HEX "\t2016-01-01..2016-01-01\n"
	    "mozilla\t" WRONG_HEX "\t2016-01-01..2016-01-01\n",
	    m->rsa, m->ec);
}

/* Rename the last "# sha256=" line of the roots to name. */
static void
rename_last(struct mem_history *m, const char *name)
{
	char *p, *last = NULL;

	for (p = m->roots; (p = strstr(p, "# sha256=")) != NULL; p++)
		last = p;
	cr_assert_not_null(last);
	memcpy(last + 9, name, SHA256_HEX_LEN - 1);
}

static struct tstore_db *
mem_db(struct mem_history *m, struct warnings *w)
{
	struct tstore_db *db;

	mem_history(m);
	rename_last(m, WRONG_HEX);
	memset(w, 0, sizeof(*w));
	db = tstore_db_parse(m->roots, strlen(m->roots), m->history,
	    strlen(m->history), mem_snapshots, strlen(mem_snapshots), &names,
	    collect, w);
	cr_assert_not_null(db);
	return db;
}

Test(loader, version_at_each_kind_of_instant)
{
	struct mem_history m;
	struct warnings w;
	struct tstore_db *db = mem_db(&m, &w);
	struct tstore_version v;
	char note[128];

	cr_expect_eq(w.n, 0, "warnings: %s", w.text);
	/* Before the first snapshot: the first, and said so. */
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2014-06-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.date, "2015-01-01");
	cr_expect_eq(v.pos, TSTORE_BEFORE);
	tstore_version_note(&v, note, sizeof(note));
	cr_expect_str_eq(note, "before the recorded history "
	    "(first: 2015-01-01)");
	/* Between two snapshots: the earlier one. */
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2016-12-31T23:59:59Z"), &v), 0);
	cr_expect_str_eq(v.date, "2016-01-01");
	cr_expect_str_eq(v.label, "v2");
	cr_expect_eq(v.pos, TSTORE_WITHIN);
	/* Exactly at a snapshot: that one, from its first second. */
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2016-01-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.date, "2016-01-01");
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2015-12-31T23:59:59Z"), &v), 0);
	cr_expect_str_eq(v.date, "2015-01-01");
	/* The newest snapshot's own day is within; later is after. */
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2017-01-01T12:00:00Z"), &v), 0);
	cr_expect_eq(v.pos, TSTORE_WITHIN);
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2019-01-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.date, "2017-01-01");
	cr_expect_eq(v.pos, TSTORE_AFTER);
	tstore_version_note(&v, note, sizeof(note));
	cr_expect(strstr(note, "newest recorded") != NULL, "%s", note);
	/* A store the history does not hold, and a name that is none. */
	cr_expect_eq(tstore_version_at(db, "apple", 0, &v), -1);
	cr_expect_eq(tstore_version_at(db, "nosuch", 0, &v), -1);
	cr_assert_eq(tstore_version_at(db, TSTORE_SYSTEM, 0, &v), 0);
	cr_expect_eq(v.pos, TSTORE_TODAY);
	cr_expect_null(v.date);
	tstore_db_free(db);
}

Test(loader, removed_and_readded)
{
	struct mem_history m;
	struct warnings w;
	struct tstore_db *db = mem_db(&m, &w);
	struct tstore_version v;
	unsigned char ec[SHA256_LEN], rsa[SHA256_LEN];

	hex_to_raw(m.ec, ec);
	hex_to_raw(m.rsa, rsa);
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2015-06-01T00:00:00Z"), &v), 0);
	cr_expect(tstore_version_has(db, &v, ec));
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2016-06-01T00:00:00Z"), &v), 0);
	cr_expect(!tstore_version_has(db, &v, ec), "root-ec removed in v2");
	cr_expect(tstore_version_has(db, &v, rsa));
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2017-06-01T00:00:00Z"), &v), 0);
	cr_expect(tstore_version_has(db, &v, ec), "root-ec back in v3");
	tstore_db_free(db);
}

/*
 * A version holding a certificate that does not parse and one that is
 * not what its name says: each is one line naming the PEM and the
 * hash, and the good one is loaded.
 */
Test(loader, bad_certificates_are_told_and_skipped)
{
	struct mem_history m;
	struct warnings w, lw;
	struct tstore_db *db = mem_db(&m, &w);
	struct tstore_version v;
	struct trust_store *store;
	struct cert *rsa;

	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2016-06-01T00:00:00Z"), &v), 0);
	cr_assert_not_null(store = trust_store_new());
	memset(&lw, 0, sizeof(lw));
	cr_expect_eq(tstore_load(db, &v, store, TRUST_ANCHOR, collect, &lw),
	    1);
	cr_expect_eq(lw.n, 2, "warnings: %s", lw.text);
	cr_expect(strstr(lw.text, "test-roots.pem: sha256=" JUNK_HEX
	    " (mozilla 2016-01-01): ") != NULL, "%s", lw.text);
	cr_expect(strstr(lw.text, "test-roots.pem: sha256=" WRONG_HEX
	    " (mozilla 2016-01-01): its SHA-256 is ") != NULL, "%s", lw.text);
	cr_expect(strstr(lw.text, ": skipped\n") != NULL, "%s", lw.text);
	cr_expect_eq(trust_store_count(store, TRUST_ANCHOR), 1);
	rsa = fixture_cert("ca/root-rsa.pem", 0);
	cr_expect_not_null(trust_store_anchor_for(store, rsa, 0));
	cert_free(rsa);
	trust_store_free(store);
	tstore_db_free(db);
}

/* Bad lines of every file: each told with its place, the rest used. */
Test(loader, corrupt_files_are_told_line_by_line)
{
	struct mem_history m;
	struct warnings w;
	struct tstore_db *db;
	struct tstore_version v;
	char history[4096];
	unsigned char rsa[SHA256_LEN];
	static const char snaps[] =
	    "mozilla\t2015-01-01\tv1\n"
	    "mozilla\t2014-01-01\tgoing back\n"		/* line 2 */
	    "nosuch\t2015-01-01\tx\n"			/* line 3 */
	    "mozilla\tyesterday\tx\n"			/* line 4 */
	    "mozilla\n"					/* line 5 */
	    "mozilla\t2016-01-01\tv2\n";

	mem_history(&m);
	snprintf(history, sizeof(history),
	    "mozilla\t%s\t2015-01-01..\n"
	    "mozilla\tnot-a-hash\t2015-01-01..\n"		/* line 2 */
	    "mozilla\t%s\t2015-06-01..\n"			/* line 3 */
	    "mozilla\t%s\t2016-01-01..2015-01-01\n"		/* line 4 */
	    "mozilla\t" "cccccccccccccccccccccccccccccccc"
	    "cccccccccccccccccccccccccccccccc\t2015-01-01..\n" /* line 5 */
	    "apple\t%s\t2015-01-01..\n",			/* line 6 */
	    m.rsa, m.ec, m.ec, m.rsa);
	/* A block without its hash line, at the end of the PEM. */
	strncat(m.roots, "-----BEGIN CERTIFICATE-----\nAAAA\n"
	    "-----END CERTIFICATE-----\n", sizeof(m.roots) -
	    strlen(m.roots) - 1);
	memset(&w, 0, sizeof(w));
	db = tstore_db_parse(m.roots, strlen(m.roots), history,
	    strlen(history), snaps, strlen(snaps), &names, collect, &w);
	cr_assert_not_null(db);
	cr_expect(strstr(w.text, "test-snapshots.tsv:2: ") != NULL, "%s",
	    w.text);
	cr_expect(strstr(w.text, "test-snapshots.tsv:3: unknown store "
	    "'nosuch'") != NULL, "%s", w.text);
	cr_expect(strstr(w.text, "test-snapshots.tsv:4: ") != NULL, "%s",
	    w.text);
	cr_expect(strstr(w.text, "test-snapshots.tsv:5: ") != NULL, "%s",
	    w.text);
	cr_expect(strstr(w.text, "test-history.tsv:2: 'not-a-hash' is not "
	    "a sha256") != NULL, "%s", w.text);
	cr_expect(strstr(w.text, "test-history.tsv:3: '2015-06-01..' does "
	    "not start at a snapshot date") != NULL, "%s", w.text);
	cr_expect(strstr(w.text, "test-history.tsv:4: ") != NULL, "%s",
	    w.text);
	cr_expect(strstr(w.text, "test-history.tsv:5: sha256=cccc") != NULL,
	    "%s", w.text);
	cr_expect(strstr(w.text, "test-history.tsv:6: store 'apple' has no "
	    "snapshots") != NULL, "%s", w.text);
	cr_expect(strstr(w.text, "test-roots.pem:") != NULL &&
	    strstr(w.text, "without its '# sha256=' line") != NULL, "%s",
	    w.text);
	cr_expect_eq(w.n, 11, "%d warnings:\n%s", w.n, w.text);
	/* What was good is there. */
	hex_to_raw(m.rsa, rsa);
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2016-06-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.date, "2016-01-01");
	cr_expect(tstore_version_has(db, &v, rsa));
	tstore_db_free(db);
}

/* ---- the shipped history ---------------------------------------------- */

static struct tstore_db *
shipped(void)
{
	struct warnings w;
	struct tstore_db *db;

	memset(&w, 0, sizeof(w));
	db = builtin_truststores(collect, &w);
	cr_assert_not_null(db);
	cr_expect_eq(w.n, 0, "the shipped history has bad lines:\n%s",
	    w.text);
	return db;
}

/* 1 when store name holds hex in its version in force at instant. */
static int
holds(const struct tstore_db *db, const char *name, const char *instant,
    const char *hex)
{
	struct tstore_version v;
	unsigned char raw[SHA256_LEN];

	hex_to_raw(hex, raw);
	cr_assert_eq(tstore_version_at(db, name, at(instant), &v), 0);
	return tstore_version_has(db, &v, raw);
}

Test(shipped, mozilla_versions)
{
	struct tstore_db *db = shipped();
	struct tstore_version v;
	struct tstore_info in;

	cr_assert_eq(tstore_info(db, "mozilla", &in), 0);
	cr_expect_eq(in.versions, 61);
	cr_expect_str_eq(in.first, "2011-12-28");
	cr_expect_str_eq(in.last, "2026-07-21");
	cr_expect_eq(in.certs, 304);
	cr_expect_eq(in.newest, 121);
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2010-01-01T00:00:00Z"), &v), 0);
	cr_expect_eq(v.pos, TSTORE_BEFORE);
	cr_expect_str_eq(v.date, "2011-12-28");
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2017-08-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.date, "2017-07-27");
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2017-11-05T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.date, "2017-11-05");
	cr_expect_str_eq(v.label, "certifi 2017.11.05");
	cr_assert_eq(tstore_version_at(db, "mozilla",
	    at("2030-01-01T00:00:00Z"), &v), 0);
	cr_expect_eq(v.pos, TSTORE_AFTER);
	cr_expect_str_eq(v.date, "2026-07-21");
	tstore_db_free(db);
}

Test(shipped, removals_as_certifi_committed_them)
{
	struct tstore_db *db = shipped();

	/* WoSign: last 2017-07-27, removed_at 2017-11-05. */
	cr_expect(holds(db, "mozilla", "2017-11-04T23:59:59Z", WOSIGN_ROOT));
	cr_expect(!holds(db, "mozilla", "2017-11-05T00:00:00Z",
	    WOSIGN_ROOT));
	/* DST Root CA X3: in 2021.10.08, removed_at 2022-05-18. */
	cr_expect(holds(db, "mozilla", "2022-05-17T12:00:00Z", DST_X3));
	cr_expect(!holds(db, "mozilla", "2022-05-18T00:00:00Z", DST_X3));
	/* ISRG Root X1 arrived in certifi 2016.08.08. */
	cr_expect(!holds(db, "mozilla", "2016-08-07T00:00:00Z", ISRG_X1));
	cr_expect(holds(db, "mozilla", "2016-08-08T00:00:00Z", ISRG_X1));
	tstore_db_free(db);
}

Test(shipped, every_store_and_its_labels)
{
	struct tstore_db *db = shipped();
	struct tstore_version v;
	struct tstore_info in;
	const char *const *name;
	size_t n = 0;

	for (name = tstore_names(); *name != NULL; name++, n++)
		cr_expect_eq(tstore_info(db, *name, &in), 0, "%s", *name);
	cr_expect_eq(n, TSTORE_COUNT);
	/* Chrome: one undated version, v17 of the second half of 2024. */
	cr_assert_eq(tstore_version_at(db, "chrome",
	    at("2023-01-01T00:00:00Z"), &v), 0);
	cr_expect_eq(v.pos, TSTORE_BEFORE);
	cr_expect_str_eq(v.label, "v17 (2024)");
	cr_assert_eq(tstore_version_at(db, "chrome",
	    at("2025-01-01T00:00:00Z"), &v), 0);
	cr_expect_eq(v.pos, TSTORE_AFTER);
	/* Java: Oracle's until OpenJDK's history starts. */
	cr_assert_eq(tstore_version_at(db, "java",
	    at("2015-01-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.label, "Oracle Java");
	cr_assert_eq(tstore_version_at(db, "java",
	    at("2019-02-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.label, "OpenJDK jdk-11.0.2, fetched 2019-01-24");
	cr_assert_eq(tstore_version_at(db, "android",
	    at("2023-01-01T00:00:00Z"), &v), 0);
	cr_expect_str_eq(v.date, "2022-10-15");
	cr_expect_str_eq(v.label, "AOSP 13.0.0_r8, fetched 2022-10-09");
	tstore_db_free(db);
}

/* Every certificate of every store's newest version parses. */
Test(shipped, every_newest_version_loads)
{
	struct tstore_db *db = shipped();
	struct tstore_version v;
	struct tstore_info in;
	struct trust_store *store;
	struct warnings w;
	const char *const *name;

	for (name = tstore_names(); *name != NULL; name++) {
		if (strcmp(*name, TSTORE_SYSTEM) == 0)
			continue;
		cr_assert_eq(tstore_info(db, *name, &in), 0);
		cr_assert_eq(tstore_version_at(db, *name,
		    at("2030-01-01T00:00:00Z"), &v), 0);
		cr_assert_not_null(store = trust_store_new());
		memset(&w, 0, sizeof(w));
		cr_expect_eq(tstore_load(db, &v, store, TRUST_ANCHOR, collect,
		    &w), (int)in.newest, "%s", *name);
		cr_expect_eq(w.n, 0, "%s: %s", *name, w.text);
		trust_store_free(store);
	}
	tstore_db_free(db);
}

/* ---- the program ------------------------------------------------------- */

static const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return json_object_get_string(v);
}

static int
jbool(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return json_object_get_boolean(v);
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The i-th element of array key of o. */
static struct json_object *
jidx(struct json_object *o, const char *key, size_t i)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	cr_assert(json_object_array_length(v) > i, "'%s' has no [%zu]", key,
	    i);
	return json_object_array_get_idx(v, i);
}

static size_t
jlen(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return json_object_array_length(v);
}

/*
 * The fixture root is trusted through --ca-file, which goes to the first
 * store only: mozilla (with it) says yes, apple (without) says no.  The
 * first decides.
 */
Test(program, one_store_yes_one_no)
{
	struct run_result r;
	struct json_object *root, *t, *s;
	char *chain = strdup(fixture_path("chains/good-rsa.pem"));
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	const char *argv[] = { "--trust-store", "mozilla", "--trust-store",
		"apple", "--ca-file", ca, "--at", "2016-03-01T00:00:00Z",
		"--format", "json", chain, NULL };

	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	root = run_json(&r);
	s = jidx(root, "trust_stores", 0);
	cr_expect_str_eq(jstr(s, "name"), "mozilla");
	cr_expect_str_eq(jstr(s, "as_of"), "2016-02-28");
	cr_expect_str_eq(jstr(s, "version"), "certifi 2016.02.28");
	cr_expect(jbool(s, "decides"));
	s = jidx(root, "trust_stores", 1);
	cr_expect_str_eq(jstr(s, "name"), "apple");
	cr_expect_str_eq(jstr(s, "as_of"), "2016-02-01");
	cr_expect(!jbool(s, "decides"));
	cr_expect_null(jstr(root, "trust_store_default"));
	t = json_target(root, "good-rsa.pem");
	cr_assert_not_null(t);
	cr_expect(jbool(t, "trusted"));
	cr_assert_eq(jlen(t, "trust_stores"), 2);
	s = jidx(t, "trust_stores", 0);
	cr_expect_str_eq(jstr(s, "name"), "mozilla");
	cr_expect(jbool(s, "trusted"));
	cr_expect_str_eq(jstr(s, "anchor_subject"),
	    "CN=Chainaudit Test Root RSA,O=Chainaudit Fixtures");
	cr_expect_not_null(jstr(s, "anchor"));
	s = jidx(t, "trust_stores", 1);
	cr_expect_str_eq(jstr(s, "name"), "apple");
	cr_expect_str_eq(jstr(s, "as_of"), "2016-02-01");
	cr_expect(!jbool(s, "trusted"));
	cr_expect_null(jstr(s, "anchor"));
	json_object_put(root);
	run_result_free(&r);

	/* The same in text: the deciding version, one line per target. */
	argv[9] = "text";
	run_chainaudit(&r, argv, NULL);
	cr_expect(starts_with(r.out, "trust store: mozilla as of 2016-02-28 "
	    "(certifi 2016.02.28)\nalso checked: apple as of 2016-02-01\n\n"),
	    "%s", r.out);
	cr_expect(strstr(r.out, "  trusted by: mozilla yes, apple no\n") !=
	    NULL, "%s", r.out);
	run_result_free(&r);
	free(chain);
	free(ca);
}

/*
 * No trust option and an --at more than 30 days ago: Mozilla's store as
 * it was then, and the report says so.  The fixture root is in no
 * store, so the chain is untrusted.
 */
Test(program, default_is_mozilla_for_an_old_at)
{
	struct run_result r;
	struct json_object *root, *s, *t;
	char *chain = strdup(fixture_path("chains/good-rsa.pem"));
	const char *argv[] = { "--at", "2016-03-01T00:00:00Z", "--format",
		"json", chain, NULL };

	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	root = run_json(&r);
	cr_assert_eq(jlen(root, "trust_stores"), 1);
	s = jidx(root, "trust_stores", 0);
	cr_expect_str_eq(jstr(s, "name"), "mozilla");
	cr_expect_str_eq(jstr(s, "as_of"), "2016-02-28");
	cr_expect(strstr(jstr(root, "trust_store_default"), "Mozilla's "
	    "store") != NULL);
	t = json_target(root, "good-rsa.pem");
	cr_expect(!jbool(t, "trusted"));
	cr_expect(json_has_finding(t, "untrusted-root") ||
	    json_has_finding(t, "incomplete-chain"));
	json_object_put(root);
	run_result_free(&r);

	argv[3] = "text";
	run_chainaudit(&r, argv, NULL);
	cr_expect(starts_with(r.out, "trust store: mozilla as of 2016-02-28 "
	    "(certifi 2016.02.28)\n  (no trust option and --at more than 30 "
	    "days ago: Mozilla's store as it was then decides;"), "%s",
	    r.out);
	run_result_free(&r);
	free(chain);
}

/* Any trust option keeps the run as it was: no named store at all. */
Test(program, a_trust_option_means_no_default)
{
	struct run_result r;
	struct json_object *root, *v;
	char *chain = strdup(fixture_path("chains/good-rsa.pem"));
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	const char *argv[] = { "--ca-file", ca, "--at",
		"2016-03-01T00:00:00Z", "--format", "json", chain, NULL };
	const char *argv2[] = { "--no-system-ca", "--ca-file", ca, "--at",
		"2016-03-01T00:00:00Z", "--format", "json", chain, NULL };

	run_chainaudit(&r, argv2, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	root = run_json(&r);
	cr_expect(!json_object_object_get_ex(root, "trust_stores", &v));
	cr_expect(!json_object_object_get_ex(json_target(root,
	    "good-rsa.pem"), "trust_stores", &v));
	json_object_put(root);
	run_result_free(&r);
	if (access(SYSTEM_CA_FILE, R_OK) != 0)
		cr_skip_test(SYSTEM_CA_FILE " is not readable: the half with "
		    "the system store skipped");
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	root = run_json(&r);
	cr_expect(!json_object_object_get_ex(root, "trust_stores", &v));
	json_object_put(root);
	run_result_free(&r);
	free(chain);
	free(ca);
}

/* --trust-store system with an old --at: today's file, and it says so. */
Test(program, system_store_is_todays)
{
	struct run_result r;
	struct json_object *root, *s;
	char *chain = strdup(fixture_path("chains/good-rsa.pem"));
	const char *argv[] = { "--trust-store", "system", "--at",
		"2016-03-01T00:00:00Z", "--format", "json", chain, NULL };

	if (access(SYSTEM_CA_FILE, R_OK) != 0)
		cr_skip_test(SYSTEM_CA_FILE " is not readable");
	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	s = jidx(root, "trust_stores", 0);
	cr_expect_str_eq(jstr(s, "name"), "system");
	cr_expect_null(jstr(s, "as_of"));
	cr_expect_str_eq(jstr(s, "version"), SYSTEM_CA_FILE);
	cr_expect(strstr(jstr(s, "note"), "today's system file") != NULL);
	json_object_put(root);
	run_result_free(&r);
	free(chain);
}

Test(program, bad_trust_options)
{
	struct run_result r;
	const char *argv[] = { "--trust-store", "netscape", "x.pem", NULL };
	const char *argv2[] = { "--trust-store", "system", "--no-system-ca",
		"x.pem", NULL };
	const char *argv3[] = { "--list-trust-stores", "--format", "csv",
		NULL };

	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--trust-store: 'netscape' is not mozilla, "
	    "chrome, apple, microsoft, android, java, system or all") != NULL,
	    "%s", r.err);
	run_result_free(&r);
	run_chainaudit(&r, argv2, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "contradict") != NULL, "%s", r.err);
	run_result_free(&r);
	run_chainaudit(&r, argv3, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--list-trust-stores: --format 'csv'") !=
	    NULL, "%s", r.err);
	run_result_free(&r);
}

Test(program, list_trust_stores)
{
	struct run_result r;
	struct json_object *root, *s, *a;
	const char *argv[] = { "--list-trust-stores", NULL };
	const char *argv2[] = { "--list-trust-stores", "--format", "json",
		"--at", "2010-01-01T00:00:00Z", NULL };

	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "\nmozilla          61  2011-12-28  "
	    "2026-07-21    304     121  Mozilla's website roots") != NULL,
	    "%s", r.out);
	cr_expect(strstr(r.out, "\nchrome            1  2024-07-01  "
	    "2024-07-01    134     134  ") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\nsystem            -  ") != NULL, "%s",
	    r.out);
	run_result_free(&r);

	run_chainaudit(&r, argv2, NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	root = run_json(&r);
	cr_expect_eq(jlen(root, "trust_stores"), TSTORE_COUNT);
	s = jidx(root, "trust_stores", 0);
	cr_expect_str_eq(jstr(s, "name"), "mozilla");
	cr_expect_str_eq(jstr(s, "first"), "2011-12-28");
	cr_expect_str_eq(jstr(s, "last"), "2026-07-21");
	cr_assert(json_object_object_get_ex(s, "at_version", &a));
	cr_expect_str_eq(jstr(a, "as_of"), "2011-12-28");
	cr_expect(strstr(jstr(a, "note"), "before the recorded history") !=
	    NULL);
	s = jidx(root, "trust_stores", TSTORE_COUNT - 1);
	cr_expect_str_eq(jstr(s, "name"), "system");
	cr_expect_str_eq(jstr(s, "file"), SYSTEM_CA_FILE);
	json_object_put(root);
	run_result_free(&r);
}

/*
 * The report with named stores, in JSON and JSON Lines, validates
 * against man/chainaudit-report.schema.json (python3 with jsonschema).
 */
Test(program, reports_validate_against_the_schema)
{
	static const char py[] =
	    "import json, sys\n"
	    "try:\n"
	    "    import jsonschema\n"
	    "except ImportError:\n"
	    "    sys.exit(77)\n"
	    "schema = json.load(open(sys.argv[1]))\n"
	    "doc = json.load(sys.stdin)\n"
	    "jsonschema.Draft202012Validator(schema).validate(doc)\n"
	    "t = {'$ref': '#/$defs/target', '$defs': schema['$defs']}\n"
	    "for d in doc['targets']:\n"
	    "    jsonschema.Draft202012Validator(t).validate(d)\n";
	struct run_result r, v;
	char *chain = strdup(fixture_path("chains/good-rsa.pem"));
	char *bad = strdup(fixture_path("bad/truncated.pem"));
	char *schema = strdup(fixture_path(
	    "../man/chainaudit-report.schema.json"));
	const char *argv[] = { "--trust-store", "all", "--no-system-ca",
		"--at", "2016-03-01T00:00:00Z", "--format", "json", chain,
		bad, NULL };
	const char *pyargv[] = { "-I", "-c", py, schema, NULL };
	const char *shargv[] = { "-c", "command -v python3", NULL };

	run_program(&v, "sh", shargv, NULL);
	if (v.status != 0)
		cr_skip_test("python3 is not installed: schema check skipped");
	run_result_free(&v);
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_program(&v, "python3", pyargv, r.out);
	if (v.status == 77)
		cr_skip_test("python3 with jsonschema is not installed "
		    "(apt-get install python3-jsonschema)");
	cr_expect_eq(v.status, 0, "does not validate:\n%s%s", v.out, v.err);
	run_result_free(&v);
	run_result_free(&r);
	free(chain);
	free(bad);
	free(schema);
}

/* ---- real chains (../shared) -------------------------------------------- */

/*
 * The WoSign chain (leaf alone; its intermediate from alternates.pem)
 * under Mozilla's store: trusted while certifi shipped the root, not
 * once it was removed; Microsoft's store then still held it.
 */
static struct json_object *
wosign_run(struct run_result *r, const char *instant)
{
	char chain[1024], inter[1024];
	/*
	 * Without the corpus: it also holds a SHA-1 cross-sign of the WoSign
	 * root by UTN - DATACorp SGC, which reaches AddTrust in every store;
	 * this test is about the WoSign root's own membership.
	 */
	const char *argv[] = { "--trust-store", "mozilla", "--trust-store",
		"microsoft", "--intermediates", inter, "--no-known-intermediates",
		"--at", instant, "--format", "json", chain, NULL };

	snprintf(chain, sizeof(chain), "%s/data/" WOSIGN_CASE "/chain.pem",
	    shared_dir());
	snprintf(inter, sizeof(inter), "%s/data/" WOSIGN_CASE
	    "/alternates.pem", shared_dir());
	run_chainaudit(r, argv, NULL);
	return run_json(r);
}

Test(real, wosign_trusted_before_removal_not_after)
{
	struct run_result r;
	struct json_object *root, *t, *s;

	if (shared_dir() == NULL)
		cr_skip_test(SKIP_MSG);
	root = wosign_run(&r, "2017-08-01T00:00:00Z");
	t = json_target(root, "chain.pem");
	cr_assert_not_null(t);
	cr_expect(jbool(t, "trusted"), "%s", r.out);
	s = jidx(t, "trust_stores", 0);
	cr_expect_str_eq(jstr(s, "as_of"), "2017-07-27");
	cr_expect(jbool(s, "trusted"));
	cr_expect_str_eq(jstr(s, "anchor"), WOSIGN_ROOT);
	json_object_put(root);
	run_result_free(&r);

	root = wosign_run(&r, "2017-11-06T00:00:00Z");
	t = json_target(root, "chain.pem");
	cr_assert_not_null(t);
	cr_expect(!jbool(t, "trusted"), "%s", r.out);
	cr_expect_eq(r.status, 1);
	s = jidx(t, "trust_stores", 0);
	cr_expect_str_eq(jstr(s, "name"), "mozilla");
	cr_expect_str_eq(jstr(s, "as_of"), "2017-11-05");
	cr_expect(!jbool(s, "trusted"));
	/* Microsoft's newest version before 2018 still had it. */
	s = jidx(t, "trust_stores", 1);
	cr_expect_str_eq(jstr(s, "name"), "microsoft");
	cr_expect_str_eq(jstr(s, "as_of"), "2016-08-31");
	cr_expect(jbool(s, "trusted"));
	cr_expect_str_eq(jstr(s, "anchor"), WOSIGN_ROOT);
	json_object_put(root);
	run_result_free(&r);
}

/* Let's Encrypt in 2023: every vendor store's verdict is yes. */
Test(real, letsencrypt_2023_all_stores)
{
	struct run_result r;
	struct json_object *root, *t, *s;
	char chain[1024];
	const char *argv[] = { "--trust-store", "all", "--no-system-ca",
		"--at", "2023-06-01T00:00:00Z", "--format", "json", chain,
		NULL };
	size_t i;

	if (shared_dir() == NULL)
		cr_skip_test(SKIP_MSG);
	snprintf(chain, sizeof(chain), "%s/data/chains/"
	    "letsencrypt-cryptography.io-2023/chain.pem", shared_dir());
	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	t = json_target(root, "chain.pem");
	cr_assert_not_null(t);
	cr_assert_eq(jlen(t, "trust_stores"), TSTORE_COUNT - 1);
	for (i = 0; i < TSTORE_COUNT - 1; i++) {
		s = jidx(t, "trust_stores", i);
		cr_expect(jbool(s, "trusted"), "%s", jstr(s, "name"));
		cr_expect_str_eq(jstr(s, "anchor"), ISRG_X1, "%s",
		    jstr(s, "name"));
	}
	s = jidx(t, "trust_stores", 1);
	cr_expect_str_eq(jstr(s, "name"), "chrome");
	json_object_put(root);
	run_result_free(&r);
}
