/*
 * test_distrust.c: the distrust policy: its file format, its date rules,
 * exemptions, path choice around a distrusted CA, orphans linked through
 * the shipped certificates, and the real decisions on real chains.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "audit.h"
#include "builtin.h"
#include "distrust.h"
#include "testlib.h"

/* SPKI SHA-256 of fixtures/ca/int-rsa.pem and root-rsa.pem (openssl). */
#define SPKI_INT_RSA \
	"f625003d46fc28729d920af02094f0deb93f76d846323839cba30766c895ef6f"
#define SPKI_ROOT_RSA \
	"cc010d8ee18192f6dca35f8383215193471d77fda661530eeea584b5ce5765e9"

#define T(s)	parse_time(s)

static time_t
parse_time(const char *s)
{
	time_t t;

	cr_assert(time_parse_iso8601(s, &t) == 0, "bad time %s", s);
	return t;
}

struct errs {
	char	 lines[8][256];
	int	 n;
};

static void
keep_error(const char *line, void *arg)
{
	struct errs *e = arg;

	if (e->n < 8)
		snprintf(e->lines[e->n], sizeof(e->lines[0]), "%s", line);
	e->n++;
}

static struct distrust_policy *
policy_from(const char *text, int user, struct errs *e)
{
	struct distrust_policy *p = distrust_new();

	cr_assert_not_null(p);
	memset(e, 0, sizeof(*e));
	cr_assert_geq(distrust_parse(p, text, strlen(text), "test.tsv", user,
	    keep_error, e), 0);
	return p;
}

static int
count_cb(const struct distrust_hit *h, void *arg)
{
	(void)h;
	(*(int *)arg)++;
	return 0;
}

/* Hits of p on a chain file (leaf first) at now. */
static int
hits_on(const struct distrust_policy *p, const char *chain, size_t n,
    time_t now)
{
	const struct cert *certs[4];
	struct cert *owned[4];
	struct distrust_query q;
	size_t i;
	int hits = 0;

	for (i = 0; i < n; i++)
		certs[i] = owned[i] = fixture_cert(chain, i);
	memset(&q, 0, sizeof(q));
	q.certs = certs;
	q.ncerts = n;
	q.leaf = certs[0];
	q.now = now;
	cr_assert_eq(distrust_match(p, &q, count_cb, &hits), 0);
	for (i = 0; i < n; i++)
		cert_free(owned[i]);
	return hits;
}

/* ---- the file format --------------------------------------------------- */

Test(format, builtin_policy_parses_cleanly_and_is_substantial)
{
	struct distrust_policy *p = distrust_new();
	struct errs e;

	memset(&e, 0, sizeof(e));
	cr_assert_eq(distrust_parse(p, (const char *)builtin_distrust_tsv,
	    builtin_distrust_tsv_len, "db/distrust.tsv", 0, keep_error, &e), 0,
	    "first error: %s", e.lines[0]);
	cr_expect_gt(distrust_count(p), 300);
	distrust_free(p);
}

Test(format, every_bad_line_is_named_and_the_rest_loaded)
{
	const char *text =
	    "#format 1\n"
	    "Good\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    "Short\tchrome\t2017-01-01\n"
	    "Vendor\tnetscape\t2017-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    "Date\tchrome\tyesterday\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    "Hex\tchrome\t2017-01-01\tspki:abc\tall\tsrc\n"
	    "Rule\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA "\tsometimes\tsrc\n"
	    "Name\tchrome\t2017-01-01\tname:startcom\tall\tsrc\n"
	    "\r\n";
	struct distrust_policy *p;
	struct errs e;

	p = policy_from(text, 0, &e);
	cr_expect_eq(distrust_count(p), 1);
	cr_expect_eq(e.n, 6);
	cr_expect(strstr(e.lines[0], "test.tsv:3: expected 6") != NULL, "%s",
	    e.lines[0]);
	cr_expect(strstr(e.lines[1], "test.tsv:4: vendor") != NULL, "%s",
	    e.lines[1]);
	cr_expect(strstr(e.lines[2], "test.tsv:5: effective") != NULL);
	cr_expect(strstr(e.lines[3], "test.tsv:6: match") != NULL);
	cr_expect(strstr(e.lines[4], "test.tsv:7: rule") != NULL);
	/* Names are for the user's quick question, not the shipped file. */
	cr_expect(strstr(e.lines[5], "test.tsv:8: match") != NULL);
	distrust_free(p);

	p = policy_from("Name\tchrome\t2017-01-01\tname:StartCom\tall\tsrc\n",
	    1, &e);
	cr_expect_eq(e.n, 0);
	cr_expect_eq(distrust_count(p), 1);
	distrust_free(p);
}

/* ---- date rules --------------------------------------------------------- */

Test(rules, effective_date_gates_every_rule)
{
	struct distrust_policy *p;
	struct errs e;

	p = policy_from("X\tchrome\t2017-09-05\tspki:" SPKI_INT_RSA
	    "\tall\tsrc\n", 0, &e);
	cr_expect_eq(hits_on(p, "chains/good-rsa.pem", 2,
	    T("2017-09-04T23:59:59Z")), 0);
	cr_expect_eq(hits_on(p, "chains/good-rsa.pem", 2,
	    T("2017-09-05T00:00:00Z")), 1);
	distrust_free(p);
}

Test(rules, issued_after_and_before_are_strict)
{
	struct distrust_policy *p;
	struct errs e;

	/* The good-rsa leaf's notBefore is 2015-01-01T00:00:00Z. */
	p = policy_from("X\tmozilla\t2000-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-after:2015-01-01T00:00:00Z\tsrc\n", 0, &e);
	cr_expect_eq(hits_on(p, "chains/good-rsa.pem", 2, T("2020-01-01")), 0);
	distrust_free(p);
	p = policy_from("X\tmozilla\t2000-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-after:2014-12-31T23:59:59Z\tsrc\n", 0, &e);
	cr_expect_eq(hits_on(p, "chains/good-rsa.pem", 2, T("2020-01-01")), 1);
	distrust_free(p);
	p = policy_from("X\tchrome\t2000-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-before:2015-01-01T00:00:00Z\tsrc\n", 0, &e);
	cr_expect_eq(hits_on(p, "chains/good-rsa.pem", 2, T("2020-01-01")), 0);
	distrust_free(p);
	p = policy_from("X\tchrome\t2000-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-before:2015-01-01T00:00:01Z\tsrc\n", 0, &e);
	cr_expect_eq(hits_on(p, "chains/good-rsa.pem", 2, T("2020-01-01")), 1);
	distrust_free(p);
}

static int
keep_hit(const struct distrust_hit *h, void *arg)
{
	*(struct distrust_hit *)arg = *h;
	return 1;
}

Test(rules, sct_after_uses_the_earliest_sct_or_says_it_could_not)
{
	struct distrust_policy *p;
	struct distrust_query q;
	struct distrust_hit hit;
	const struct cert *certs[1];
	struct cert *leaf;
	struct errs e;
	char text[512];

	/* No SCT in the fixture: notBefore stands in, and the hit says so. */
	p = policy_from("X\tchrome\t2000-01-01\tspki:" SPKI_INT_RSA
	    "\tsct-after:2014-06-01T00:00:00Z\tsrc\n", 0, &e);
	leaf = fixture_cert("chains/good-rsa.pem", 0);
	cr_expect_eq(leaf->nscts, 0);
	certs[0] = fixture_cert("chains/good-rsa.pem", 1);
	memset(&q, 0, sizeof(q));
	q.certs = certs;
	q.ncerts = 1;
	q.leaf = leaf;
	q.now = T("2020-01-01");
	memset(&hit, 0, sizeof(hit));
	cr_expect_eq(distrust_match(p, &q, keep_hit, &hit), 1);
	cr_expect(hit.sct_from_not_before);
	distrust_free(p);
	cert_free(leaf);
	cert_free((struct cert *)certs[0]);

	/* A real leaf with SCTs (May 29 2023 19:44:00.979 is the earliest). */
	if (shared_dir() == NULL)
		cr_skip_test("../shared/data not present: SCT half skipped");
	{
		char path[512];
		struct der_list l;
		unsigned char *buf;
		size_t len;
		char err[ERRBUF_LEN];

		snprintf(path, sizeof(path), "%s/data/chains/letsencrypt-"
		    "cryptography.io-2023/chain.pem", shared_dir());
		cr_assert(file_read_all(path, &buf, &len, err, sizeof(err)) ==
		    0, "%s", err);
		memset(&l, 0, sizeof(l));
		cr_assert(pem_decode(buf, len, &l) == 0 && l.n >= 2);
		leaf = cert_parse(l.v[0].der, l.v[0].len, err, sizeof(err));
		certs[0] = cert_parse(l.v[1].der, l.v[1].len, err,
		    sizeof(err));
		cr_assert(leaf != NULL && certs[0] != NULL);
		cr_expect_eq(leaf->nscts, 2);
		cr_expect_eq(leaf->earliest_sct, T("2023-05-29T19:44:00Z"));
		snprintf(text, sizeof(text), "X\tchrome\t2000-01-01\tspki:%s"
		    "\tsct-after:2023-05-29T19:44:00Z\tsrc\n",
		    certs[0]->spki_sha256_hex);
		p = policy_from(text, 0, &e);
		q.leaf = leaf;
		cr_expect_eq(distrust_match(p, &q, keep_hit, &hit), 0,
		    "logged at the cut-off second is not after it");
		distrust_free(p);
		snprintf(text, sizeof(text), "X\tchrome\t2000-01-01\tspki:%s"
		    "\tsct-after:2023-05-29T19:43:59Z\tsrc\n",
		    certs[0]->spki_sha256_hex);
		p = policy_from(text, 0, &e);
		cr_expect_eq(distrust_match(p, &q, keep_hit, &hit), 1);
		cr_expect(!hit.sct_from_not_before);
		distrust_free(p);
		cert_free(leaf);
		cert_free((struct cert *)certs[0]);
		der_list_free(&l);
		free(buf);
	}
}

Test(rules, exemption_cancels_its_own_ca_and_vendor_only)
{
	struct distrust_policy *p;
	struct errs e;

	p = policy_from(
	    "Sym\tchrome\t2000-01-01\tspki:" SPKI_ROOT_RSA "\tall\tsrc\n"
	    "Sym\tchrome\t2000-01-01\tspki:" SPKI_INT_RSA "\texempt\tsrc\n"
	    "Sym\tmozilla\t2000-01-01\tspki:" SPKI_ROOT_RSA "\tall\tsrc\n",
	    0, &e);
	/* Path with the exempt intermediate: only Mozilla's entry hits. */
	cr_expect_eq(hits_on(p, "chains/with-root.pem", 3, T("2020-01-01")),
	    1);
	/* The root alone is not exempt from either. */
	cr_expect_eq(hits_on(p, "ca/root-rsa.pem", 1, T("2020-01-01")), 2);
	/* Only chrome's decisions apply: the exemption wins. */
	distrust_set_vendors(p, 1u << VENDOR_CHROME);
	cr_expect_eq(hits_on(p, "chains/with-root.pem", 3, T("2020-01-01")),
	    0);
	distrust_free(p);
}

/* ---- through the program ------------------------------------------------ */

static char *
write_policy(const char *text)
{
	char *path = strdup("/tmp/chainaudit-distrust-XXXXXX");
	FILE *fp;
	int fd;

	cr_assert((fd = mkstemp(path)) >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
run_with_policy(struct run_result *r, const char *policy, const char *at,
    const char *vendor, const char *chain)
{
	const char *argv[16];
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	char *f = strdup(fixture_path(chain));
	size_t n = 0;

	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = ca;
	argv[n++] = "--at";
	argv[n++] = at;
	argv[n++] = "--format";
	argv[n++] = "json";
	argv[n++] = "--distrust";
	argv[n++] = policy;
	if (vendor != NULL) {
		argv[n++] = "--distrust-policy";
		argv[n++] = vendor;
	}
	argv[n++] = f;
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
	free(ca);
	free(f);
}

Test(program, user_entries_by_key_and_by_name)
{
	char *pol = write_policy(
	    "Test CA\tmozilla\t2016-01-01\tspki:" SPKI_INT_RSA
	    "\tall\thttps://example.test/decision\n"
	    "Quick\tchrome\t2016-01-01\tname:test intermediate rsa\tall\t"
	    "asked by the seed\n");
	struct run_result r;
	struct json_object *root, *t;
	char codes[256];

	run_with_policy(&r, pol, "2016-03-01T00:00:00Z", NULL,
	    "chains/good-rsa.pem");
	cr_expect_eq(r.status, 1, "%s", r.err);
	root = run_json(&r);
	t = json_target(root, "good-rsa.pem");
	cr_assert_not_null(t);
	cr_expect_str_eq(json_finding_codes(t, codes, sizeof(codes)),
	    "distrusted-issuer,distrusted-issuer");
	cr_expect(strstr(r.out, "is a key of Test CA, distrusted by: mozilla "
	    "since 2016-01-01 (all certificates; "
	    "https://example.test/decision") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "name-based, not a key match") != NULL);
	json_object_put(root);
	run_result_free(&r);

	/* Before the decision, nothing; another vendor's view, nothing. */
	run_with_policy(&r, pol, "2015-12-31T23:59:59Z", NULL,
	    "chains/good-rsa.pem");
	cr_expect_eq(r.status, 0, "%s", r.out);
	run_result_free(&r);
	run_with_policy(&r, pol, "2016-03-01T00:00:00Z", "apple",
	    "chains/good-rsa.pem");
	cr_expect_eq(r.status, 0, "%s", r.out);
	run_result_free(&r);
	unlink(pol);
	free(pol);
}

Test(program, a_bad_policy_file_stops_the_run_with_every_line_named)
{
	char *pol = write_policy("X\tchrome\tsoon\tspki:00\tall\tsrc\n"
	    "Y\tchrome\t2016-01-01\tspki:" SPKI_INT_RSA "\tall\n");
	struct run_result r;

	run_with_policy(&r, pol, "2016-03-01T00:00:00Z", NULL,
	    "chains/good-rsa.pem");
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, ":1: effective") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, ":2: expected 6") != NULL, "%s", r.err);
	cr_expect_eq(r.outlen, 0);
	run_result_free(&r);
	unlink(pol);
	free(pol);
}

/* ---- path choice and orphans, with generated certificates -------------- */

static gnutls_x509_privkey_t
new_key(void)
{
	gnutls_x509_privkey_t k;

	cr_assert(gnutls_x509_privkey_init(&k) == 0);
	cr_assert(gnutls_x509_privkey_generate(k, GNUTLS_PK_EC,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) == 0);
	return k;
}

/* DER of a certificate for (cn, key) signed by (issuer_cn, ikey). */
static struct der_blob
make_der(const char *cn, gnutls_x509_privkey_t key, const char *issuer_cn,
    gnutls_x509_privkey_t ikey, int ca, unsigned serial)
{
	gnutls_x509_crt_t crt, iss;
	gnutls_datum_t der;
	struct der_blob b;
	unsigned char sn[2] = { serial >> 8, serial };

	cr_assert(gnutls_x509_crt_init(&crt) == 0);
	cr_assert(gnutls_x509_crt_init(&iss) == 0);
	gnutls_x509_crt_set_version(crt, 3);
	gnutls_x509_crt_set_serial(crt, sn, sizeof(sn));
	gnutls_x509_crt_set_activation_time(crt, T("2015-01-01"));
	gnutls_x509_crt_set_expiration_time(crt, T("2030-01-01"));
	gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
	    strlen(cn));
	gnutls_x509_crt_set_key(crt, key);
	gnutls_x509_crt_set_basic_constraints(crt, ca, -1);
	gnutls_x509_crt_set_dn_by_oid(iss, GNUTLS_OID_X520_COMMON_NAME, 0,
	    issuer_cn, strlen(issuer_cn));
	gnutls_x509_crt_set_key(iss, ikey);
	cr_assert(gnutls_x509_crt_sign2(crt, iss, ikey, GNUTLS_DIG_SHA256,
	    0) == 0);
	cr_assert(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der) == 0);
	b.der = malloc(der.size);
	memcpy(b.der, der.data, der.size);
	b.len = der.size;
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(iss);
	return b;
}

/* Parse a generated blob and free it. */
static struct cert *
parse_blob(struct der_blob b)
{
	char err[ERRBUF_LEN];
	struct cert *c = cert_parse(b.der, b.len, err, sizeof(err));

	free(b.der);
	cr_assert_not_null(c, "%s", err);
	return c;
}

struct sink_out {
	char	codes[256];
	char	top[256];
	int	trusted;
	char	msg[1024];
};

static int
keep_audit(struct audit *a, void *arg)
{
	struct sink_out *o = arg;
	const struct path *p = &a->paths->chosen;
	size_t i;

	o->codes[0] = o->msg[0] = '\0';
	for (i = 0; i < a->nfindings; i++) {
		strcat(o->codes, finding_info(a->findings[i].id)->code);
		strcat(o->codes, " ");
		if (a->findings[i].id == FIND_DISTRUSTED_ISSUER)
			snprintf(o->msg, sizeof(o->msg), "%s",
			    a->findings[i].message);
	}
	snprintf(o->top, sizeof(o->top), "%s",
	    path_node_cert(a->paths, p, p->len - 1)->subject);
	o->trusted = a->trusted;
	audit_free(a);
	return 0;
}

static void
audit_blobs(struct der_blob *blobs, size_t n, const struct trust_store *s,
    const struct distrust_policy *p, struct sink_out *o)
{
	struct audit_params params;
	struct der_list l;

	memset(&l, 0, sizeof(l));
	l.v = blobs;
	l.n = n;
	memset(&params, 0, sizeof(params));
	params.now = T("2020-01-01");
	params.sha1_sunset_never = 1;
	params.distrust = p;
	path_params_default(&params.path, params.now);
	cr_assert_eq(audit_input("gen", &l, 0, &params, s, NULL, keep_audit,
	    o), 0);
}

Test(paths, a_path_around_the_distrusted_root_is_chosen)
{
	gnutls_x509_privkey_t kb = new_key(), kg = new_key(), ki = new_key(),
	    kl = new_key();
	struct trust_store *s = trust_store_new();
	struct der_blob chain[3];
	struct distrust_policy *p;
	struct sink_out o;
	struct cert *bad, *good;
	struct errs e;
	char text[256];

	/* I is cross-signed by "Bad Root" and "Good Root", both trusted. */
	bad = parse_blob(make_der("Bad Root", kb, "Bad Root", kb, 1, 1));
	good = parse_blob(make_der("Good Root", kg, "Good Root", kg, 1, 2));
	snprintf(text, sizeof(text), "Bad\tchrome\t2000-01-01\tspki:%s\tall\t"
	    "src\n", bad->spki_sha256_hex);
	cr_assert(trust_store_add_cert(s, bad, STORE_ANCHOR, "t") == 0);
	cr_assert(trust_store_add_cert(s, good, STORE_ANCHOR, "t") == 0);
	chain[0] = make_der("leaf", kl, "I", ki, 0, 3);
	chain[1] = make_der("I", ki, "Bad Root", kb, 1, 4);
	chain[2] = make_der("I", ki, "Good Root", kg, 1, 5);
	p = policy_from(text, 0, &e);

	audit_blobs(chain, 3, s, p, &o);
	cr_expect_str_eq(o.top, "CN=Good Root");
	cr_expect_str_eq(o.codes, "");
	cr_expect(o.trusted);

	/* Without the good cross-sign, the distrusted path is all there is. */
	audit_blobs(chain, 2, s, p, &o);
	cr_expect_str_eq(o.top, "CN=Bad Root");
	cr_expect_str_eq(o.codes, "distrusted-issuer ");

	distrust_free(p);
	trust_store_free(s);
	free(chain[0].der);
	free(chain[1].der);
	free(chain[2].der);
	gnutls_x509_privkey_deinit(kb);
	gnutls_x509_privkey_deinit(kg);
	gnutls_x509_privkey_deinit(ki);
	gnutls_x509_privkey_deinit(kl);
}

Test(paths, an_orphan_is_linked_to_a_known_distrusted_key_by_signature)
{
	gnutls_x509_privkey_t kd = new_key(), kx = new_key(), kl = new_key();
	struct trust_store *s = trust_store_new();
	struct der_blob leaf[2];
	struct distrust_policy *p;
	struct sink_out o;
	struct cert *dist;
	struct errs e;
	char text[256];

	/* The distrusted CA is only known from the policy's pool. */
	dist = parse_blob(make_der("Distrusted CA", kd, "Distrusted CA", kd,
	    1, 1));
	snprintf(text, sizeof(text), "Dist\tmozilla\t2000-01-01\tspki:%s\t"
	    "all\tsrc\n", dist->spki_sha256_hex);
	cr_assert(trust_store_add_cert(s, dist, STORE_KNOWN, "t") == 0);
	p = policy_from(text, 0, &e);

	/* Issued by it: linked, the signature proves it, a key match. */
	leaf[0] = make_der("orphan", kl, "Distrusted CA", kd, 0, 2);
	audit_blobs(leaf, 1, s, p, &o);
	cr_expect_str_eq(o.top, "CN=Distrusted CA");
	cr_expect(strstr(o.codes, "distrusted-issuer") != NULL, "%s",
	    o.codes);
	cr_expect(strstr(o.codes, "untrusted-root") != NULL, "%s", o.codes);
	cr_expect(strstr(o.msg, "is a key of Dist") != NULL, "%s", o.msg);
	cr_expect(!o.trusted);

	/* Same issuer name, another key: a name match, said to be one. */
	leaf[1] = make_der("impostor", kl, "Distrusted CA", kx, 0, 3);
	audit_blobs(&leaf[1], 1, s, p, &o);
	cr_expect(strstr(o.msg, "name-based, not a key match") != NULL, "%s",
	    o.msg);
	cr_expect(strstr(o.codes, "bad-signature") != NULL, "%s", o.codes);

	distrust_free(p);
	trust_store_free(s);
	free(leaf[0].der);
	free(leaf[1].der);
	gnutls_x509_privkey_deinit(kd);
	gnutls_x509_privkey_deinit(kx);
	gnutls_x509_privkey_deinit(kl);
}

/* ---- the shipped decisions on real chains ------------------------------- */

static void
real_chain(struct run_result *r, const char *dir, const char *file,
    const char *at, const char *vendor, int with_roots)
{
	char chain[512], roots[512];
	const char *argv[16];
	size_t n = 0;

	snprintf(chain, sizeof(chain), "%s/data/chains/%s/%s", shared_dir(), dir,
	    file);
	snprintf(roots, sizeof(roots), "%s/data/chains/%s/roots.pem", shared_dir(),
	    dir);
	argv[n++] = "--no-system-ca";
	if (with_roots) {
		argv[n++] = "--ca-file";
		argv[n++] = roots;
	}
	argv[n++] = "--at";
	argv[n++] = at;
	argv[n++] = "--format";
	argv[n++] = "json";
	if (vendor != NULL) {
		argv[n++] = "--distrust-policy";
		argv[n++] = vendor;
	}
	argv[n++] = chain;
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
}

static int
has_distrust(struct run_result *r)
{
	struct json_object *root = run_json(r), *targets;
	int found = 0;
	size_t i;

	cr_assert(json_object_object_get_ex(root, "targets", &targets));
	for (i = 0; i < json_object_array_length(targets); i++)
		found |= json_has_finding(json_object_array_get_idx(targets, i),
		    "distrusted-issuer");
	json_object_put(root);
	return found;
}

#define STARTCOM "startcom-dnssec-exp-2010"

Test(real, startcom_by_each_vendors_dates)
{
	struct run_result r;

	if (shared_dir() == NULL)
		cr_skip_test("../shared/data not present: real-chain distrust "
		    "tests skipped");
	/* 2010 leaf: no vendor had acted yet. */
	real_chain(&r, STARTCOM, "chain.pem", "2010-12-01T00:00:00Z", NULL, 1);
	cr_expect(!has_distrust(&r), "%s", r.out);
	run_result_free(&r);
	/* Chrome 56 / Firefox 51 only cut off certificates issued later. */
	real_chain(&r, STARTCOM, "chain.pem", "2017-02-01T00:00:00Z", NULL, 1);
	cr_expect(!has_distrust(&r), "%s", r.out);
	run_result_free(&r);
	/* Chrome 61 (2017-09-05): everything. */
	real_chain(&r, STARTCOM, "chain.pem", "2017-10-01T00:00:00Z", NULL, 1);
	cr_expect(has_distrust(&r), "%s", r.out);
	cr_expect(strstr(r.out, "chrome since 2017-09-05 (all certificates")
	    != NULL, "%s", r.out);
	run_result_free(&r);
	/* Mozilla removed the roots only with Firefox 58 (2018-01-23). */
	real_chain(&r, STARTCOM, "chain.pem", "2017-10-01T00:00:00Z",
	    "mozilla", 1);
	cr_expect(!has_distrust(&r), "%s", r.out);
	run_result_free(&r);
	real_chain(&r, STARTCOM, "chain.pem", "2018-02-01T00:00:00Z",
	    "mozilla", 1);
	cr_expect(has_distrust(&r), "%s", r.out);
	run_result_free(&r);
}

Test(real, startcom_intermediate_alone_is_caught_through_the_shipped_root)
{
	struct run_result r;
	char tmp[] = "/tmp/chainaudit-startcom-XXXXXX", path[512];
	unsigned char *buf;
	struct der_list l;
	size_t len;
	char err[ERRBUF_LEN];
	FILE *fp;
	int fd;
	const char *argv[] = { "--no-system-ca", "--at",
	    "2017-10-01T00:00:00Z", "--format", "json", tmp, NULL };

	if (shared_dir() == NULL)
		cr_skip_test("../shared/data not present: real-chain distrust "
		    "tests skipped");
	/* The intermediate alone, no root anywhere: only the policy's pool. */
	snprintf(path, sizeof(path), "%s/data/chains/" STARTCOM "/chain.pem",
	    shared_dir());
	cr_assert(file_read_all(path, &buf, &len, err, sizeof(err)) == 0);
	memset(&l, 0, sizeof(l));
	cr_assert(pem_decode(buf, len, &l) == 0 && l.n == 2);
	cr_assert((fd = mkstemp(tmp)) >= 0);
	cr_assert_not_null(fp = fdopen(fd, "wb"));
	fwrite(l.v[1].der, 1, l.v[1].len, fp);
	fclose(fp);
	run_chainaudit(&r, argv, NULL);
	cr_expect(has_distrust(&r), "%s", r.out);
	cr_expect(strstr(r.out, "is a key of StartCom") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\"origin\": \"distrust-policy\"") != NULL);
	run_result_free(&r);
	unlink(tmp);
	der_list_free(&l);
	free(buf);
}

Test(real, no_builtin_distrust_turns_the_shipped_policy_off)
{
	struct run_result r;
	char chain[512];
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    "2017-10-01T00:00:00Z", "--format", "json",
	    "--no-builtin-distrust", chain, NULL };
	char roots[512];

	if (shared_dir() == NULL)
		cr_skip_test("../shared/data not present: real-chain distrust "
		    "tests skipped");
	snprintf(chain, sizeof(chain), "%s/data/chains/" STARTCOM "/chain.pem",
	    shared_dir());
	snprintf(roots, sizeof(roots), "%s/data/chains/" STARTCOM "/roots.pem",
	    shared_dir());
	argv[2] = roots;
	run_chainaudit(&r, argv, NULL);
	cr_expect(!has_distrust(&r), "%s", r.out);
	run_result_free(&r);
}
