/*
 * test_distrust.c: the distrust policy: its file format (bad and repeated
 * lines), its date rules to the second, exemptions, path choice around a
 * distrusted CA, orphans linked through the shipped certificates, a key
 * under a new name, --list-distrust, the real decisions on every
 * distrusted CA of ../shared/data and the Comodo 2011 leaves per vendor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>

#include "judge.h"
#include "builtin.h"
#include "certkit.h"
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

Test(format, a_repeated_decision_is_an_error_naming_both_lines)
{
	const char *text =
	    "First\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    /* Another vendor, another rule, another date: all distinct. */
	    "Other\tmozilla\t2017-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    "Date\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-after:2016-10-20T23:59:59Z\tsrc\n"
	    "Date\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-after:2016-10-21T00:00:00Z\tsrc\n"
	    "Cert\tchrome\t2017-01-01\tcert:" SPKI_INT_RSA "\tall\tsrc\n"
	    /* The ca, effective date and source do not make it another. */
	    "Again\tchrome\t2018-01-01\tspki:" SPKI_INT_RSA "\tall\tnew src\n"
	    "Date\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-after:2016-10-20T23:59:59Z\tsrc\n"
	    "Name\tchrome\t2017-01-01\tname:StartCom\tall\tsrc\n"
	    "Name\tchrome\t2017-01-01\tname:startcom\tall\tsrc\n";
	const char *more = "# mine\n"
	    "Mine\tmozilla\t2019-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n";
	struct distrust_policy *p;
	struct errs e;

	p = policy_from(text, 1, &e);
	cr_expect_eq(distrust_count(p), 6);
	cr_assert_eq(e.n, 3);
	cr_expect_str_eq(e.lines[0], "test.tsv:6: duplicate of test.tsv:1 "
	    "(the same vendor, match and rule)");
	cr_expect(strstr(e.lines[1], "test.tsv:7: duplicate of test.tsv:3 ")
	    == e.lines[1], "%s", e.lines[1]);
	/* Names match case-insensitively, so they repeat so too. */
	cr_expect(strstr(e.lines[2], "test.tsv:9: duplicate of test.tsv:8 ")
	    == e.lines[2], "%s", e.lines[2]);

	/* Across texts: the second file names the first file's line. */
	memset(&e, 0, sizeof(e));
	cr_expect_eq(distrust_parse(p, more, strlen(more), "user.tsv", 1,
	    keep_error, &e), 1);
	cr_expect_str_eq(e.lines[0], "user.tsv:2: duplicate of test.tsv:2 "
	    "(the same vendor, match and rule)");
	cr_expect_eq(distrust_count(p), 6);
	distrust_free(p);
}

static int
keep_first_entry(const struct distrust_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	return 7;
}

struct listed {
	char	 lines[8][512];
	int	 n;
};

static int
keep_listed(const struct distrust_entry *e, void *arg)
{
	struct listed *l = arg;
	char match[256], rule[64];

	distrust_match_text(e, match, sizeof(match));
	distrust_rule_text(e, rule, sizeof(rule));
	if (l->n < 8)
		snprintf(l->lines[l->n], sizeof(l->lines[0]), "%s %s %s %s "
		    "%s:%u", e->ca, distrust_vendor_name(e->vendor), match,
		    rule, e->file, e->line);
	l->n++;
	return 0;
}

Test(format, each_gives_the_selected_vendors_entries_in_file_spelling)
{
	struct distrust_policy *p;
	struct listed l;
	struct errs e;

	p = policy_from(
	    "A\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    "# a comment keeps its line number\n"
	    "B\tmozilla\t2017-01-01\tcert:" SPKI_ROOT_RSA
	    "\tissued-before:2016-06-01\tsrc\n"
	    "C\tchrome\t2017-01-01\tname:Some CA\t"
	    "sct-after:2023-05-29T19:44:00Z\tsrc\n"
	    "D\tchrome\t2017-01-01\tspki:" SPKI_ROOT_RSA "\texempt\tsrc\n",
	    1, &e);
	cr_assert_eq(e.n, 0);
	memset(&l, 0, sizeof(l));
	cr_expect_eq(distrust_each(p, keep_listed, &l), 0);
	cr_assert_eq(l.n, 4);
	cr_expect_str_eq(l.lines[0], "A chrome spki:" SPKI_INT_RSA
	    " all test.tsv:1");
	cr_expect_str_eq(l.lines[1], "B mozilla cert:" SPKI_ROOT_RSA
	    " issued-before:2016-06-01T00:00:00Z test.tsv:3");
	cr_expect_str_eq(l.lines[2], "C chrome name:some ca "
	    "sct-after:2023-05-29T19:44:00Z test.tsv:4");
	cr_expect_str_eq(l.lines[3], "D chrome spki:" SPKI_ROOT_RSA
	    " exempt test.tsv:5");

	/* Only the selected vendors; fn's non-zero return stops it. */
	distrust_set_vendors(p, 1u << VENDOR_MOZILLA);
	memset(&l, 0, sizeof(l));
	cr_expect_eq(distrust_each(p, keep_listed, &l), 0);
	cr_expect_eq(l.n, 1);
	cr_expect(strncmp(l.lines[0], "B mozilla", 9) == 0);
	distrust_set_vendors(p, VENDOR_ALL);
	cr_expect_eq(distrust_each(p, keep_first_entry, NULL), 7);
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

/* The line number of the shipped entry starting with prefix (or 0). */
static unsigned
builtin_line(const char *prefix)
{
	const char *b = (const char *)builtin_distrust_tsv, *end, *nl;
	unsigned line = 1;

	end = b + builtin_distrust_tsv_len;
	for (; b < end; b = nl + 1, line++) {
		if (strncmp(b, prefix, strlen(prefix)) == 0)
			return line;
		if ((nl = memchr(b, '\n', (size_t)(end - b))) == NULL)
			break;
	}
	return 0;
}

#define STARTCOM_ROOT_SPKI \
	"e42f24bd4d37f4aa2e56b979d83d1e65219fe0e9e3a382a1b3cb66c93955de75"

Test(program, malformed_hash_unknown_rule_bad_date_or_duplicate_stop_it)
{
	char *pol = write_policy(
	    /* 1: not hex */
	    "Hex\tchrome\t2016-01-01\tspki:f625003d46fc28729d920af02094f0de"
	    "b93f76d846323839cba30766c895ef6g\tall\tsrc\n"
	    /* 2: no such rule */
	    "Rule\tchrome\t2016-01-01\tspki:" SPKI_INT_RSA "\tnever\tsrc\n"
	    /* 3: no 13th month */
	    "Date\tchrome\t2016-13-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    "First\tchrome\t2016-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n"
	    /* 5: line 4 again, later and with another source */
	    "Again\tchrome\t2017-01-01\tspki:" SPKI_INT_RSA "\tall\tmine\n"
	    /* 6: a shipped decision repeated */
	    "StartCom\tchrome\t2017-09-05\tspki:" STARTCOM_ROOT_SPKI
	    "\tall\tmine\n"
	    /* 7-9: another rule date or vendor is another decision */
	    "Fine\tchrome\t2016-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-after:2016-01-01T00:00:00Z\tsrc\n"
	    "Fine\tchrome\t2016-01-01\tspki:" SPKI_INT_RSA
	    "\tissued-after:2016-01-01T00:00:01Z\tsrc\n"
	    "Fine\tmozilla\t2016-01-01\tspki:" SPKI_INT_RSA "\tall\tsrc\n");
	struct run_result r;
	char want[512];
	unsigned shipped = builtin_line("StartCom\tchrome\t2017-09-05\tspki:"
	    STARTCOM_ROOT_SPKI "\tall\t");
	const char *p;
	int lines = 0;

	cr_assert_gt(shipped, 0);
	run_with_policy(&r, pol, "2016-03-01T00:00:00Z", NULL,
	    "chains/good-rsa.pem");
	cr_expect_eq(r.status, 2);
	cr_expect_eq(r.outlen, 0, "audited anyway: %s", r.out);
	snprintf(want, sizeof(want), "%s:1: match", pol);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	snprintf(want, sizeof(want), "%s:2: rule", pol);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	snprintf(want, sizeof(want), "%s:3: effective", pol);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	snprintf(want, sizeof(want), "%s:5: duplicate of %s:4 ", pol, pol);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	snprintf(want, sizeof(want), "%s:6: duplicate of built-in "
	    "db/distrust.tsv:%u ", pol, shipped);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	for (p = r.err; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	cr_expect_eq(lines, 5, "%s", r.err);
	run_result_free(&r);
	unlink(pol);
	free(pol);
}

/* ---- --list-distrust ---------------------------------------------------- */

static void
list_policy(struct run_result *r, const char *policy, const char *vendor,
    const char *format, int no_builtin)
{
	const char *argv[12];
	size_t n = 0;

	argv[n++] = "--list-distrust";
	if (policy != NULL) {
		argv[n++] = "--distrust";
		argv[n++] = policy;
	}
	if (vendor != NULL) {
		argv[n++] = "--distrust-policy";
		argv[n++] = vendor;
	}
	if (format != NULL) {
		argv[n++] = "--format";
		argv[n++] = format;
	}
	if (no_builtin)
		argv[n++] = "--no-builtin-distrust";
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
}

/* Lines of text that are not '#' comments; each has 7 fields. */
static int
entry_lines(const char *text, const char *vendor)
{
	const char *l, *nl, *v;
	int n = 0, tabs;

	for (l = text; *l != '\0'; l = nl + 1) {
		cr_assert_not_null(nl = strchr(l, '\n'), "unterminated line");
		if (*l == '#')
			continue;
		for (tabs = 0, v = l; v < nl; v++)
			tabs += *v == '\t';
		cr_expect_eq(tabs, 6, "%.*s", (int)(nl - l), l);
		if (vendor != NULL) {
			v = strchr(l, '\t') + 1;
			cr_expect(strncmp(v, vendor, strlen(vendor)) == 0 &&
			    v[strlen(vendor)] == '\t', "%.*s", (int)(nl - l),
			    l);
		}
		n++;
	}
	return n;
}

#define LIST_POLICY \
	"# mine\n" \
	"Mine CA\tmozilla\t2016-01-01\tspki:" SPKI_INT_RSA \
	"\tissued-after:2016-01-01\thttps://example.test/decision\n" \
	"Quick\tchrome\t2016-01-01T12:00:00Z\tname:Test Intermediate\tall\t" \
	"asked by the seed\n"

/* A policy file's own text is listed escaped: ESC, BEL, U+202E shown. */
Test(list, control_and_bidi_characters_are_escaped)
{
	char *pol = write_policy("Evil\033]0;pwned\007CA\tchrome\t"
	    "2016-01-01\tspki:" SPKI_INT_RSA "\tall\thttps://x.test/"
	    "\342\200\256gpj.exe\n");
	const char *formats[] = { NULL, "json" };
	struct run_result r;
	size_t i;

	for (i = 0; i < 2; i++) {
		list_policy(&r, pol, NULL, formats[i], 1);
		cr_expect_eq(r.status, 0, "%s", r.err);
		cr_expect(strchr(r.out, '\033') == NULL, "%s", r.out);
		cr_expect(strchr(r.out, '\007') == NULL, "%s", r.out);
		cr_expect(strstr(r.out, "\342\200\256") == NULL, "%s", r.out);
		cr_expect(strstr(r.out, "x1b]0;pwned") != NULL, "%s", r.out);
		cr_expect(strstr(r.out, "u202egpj.exe") != NULL, "%s", r.out);
		run_result_free(&r);
	}
	unlink(pol);
	free(pol);
}

Test(list, text_has_the_selected_vendors_and_each_entrys_origin)
{
	const char *head = "# ca\tvendor\teffective\tmatch\trule\tsource\t"
	    "origin\n";
	char *pol = write_policy(LIST_POLICY), want[512];
	struct run_result r;
	int n;

	list_policy(&r, pol, "mozilla", NULL, 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_eq(r.errlen, 0, "%s", r.err);
	cr_expect(strncmp(r.out, head, strlen(head)) == 0, "%s", r.out);
	snprintf(want, sizeof(want), "\nMine CA\tmozilla\t2016-01-01\tspki:"
	    SPKI_INT_RSA "\tissued-after:2016-01-01T00:00:00Z\t"
	    "https://example.test/decision\t%s:2\n", pol);
	cr_expect(strstr(r.out, want) != NULL, "%s", r.out);
	snprintf(want, sizeof(want), "\nStartCom\tmozilla\t2018-01-23\tspki:"
	    STARTCOM_ROOT_SPKI "\tall\t");
	cr_expect(strstr(r.out, want) != NULL);
	cr_expect(strstr(r.out, "\tbuilt-in db/distrust.tsv:") != NULL);
	cr_expect(strstr(r.out, "Quick") == NULL);
	n = entry_lines(r.out, "mozilla");
	cr_expect_gt(n, 100);
	run_result_free(&r);

	/* Chrome's view: the name entry, lower-cased as matched. */
	list_policy(&r, pol, "chrome", NULL, 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	snprintf(want, sizeof(want), "\nQuick\tchrome\t2016-01-01T12:00:00Z\t"
	    "name:test intermediate\tall\tasked by the seed\t%s:3\n", pol);
	cr_expect(strstr(r.out, want) != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "Mine CA") == NULL);
	cr_expect_gt(entry_lines(r.out, "chrome"), n);
	run_result_free(&r);

	/* The user's entries alone; no policy at all is an empty list. */
	list_policy(&r, pol, NULL, "text", 1);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_eq(entry_lines(r.out, NULL), 2, "%s", r.out);
	run_result_free(&r);
	list_policy(&r, NULL, NULL, NULL, 1);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_eq(entry_lines(r.out, NULL), 0, "%s", r.out);
	run_result_free(&r);
	unlink(pol);
	free(pol);
}

Test(list, json_is_one_document_with_the_same_entries)
{
	char *pol = write_policy(LIST_POLICY);
	struct json_object *root, *dp, *entries, *e, *v;
	struct run_result r;
	size_t i, n, user = 0;
	int text_n;

	list_policy(&r, pol, "mozilla", NULL, 0);
	text_n = entry_lines(r.out, "mozilla");
	run_result_free(&r);

	list_policy(&r, pol, "mozilla", "json", 0);
	cr_expect_eq(r.status, 0, "%s", r.err);
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "distrust_policy", &dp));
	cr_assert(json_object_object_get_ex(dp, "entries", &entries));
	n = json_object_array_length(entries);
	cr_expect_eq((int)n, text_n);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(entries, i);
		cr_assert(json_object_object_get_ex(e, "vendor", &v));
		cr_expect_str_eq(json_object_get_string(v), "mozilla");
		cr_assert(json_object_object_get_ex(e, "user", &v));
		if (!json_object_get_boolean(v)) {
			cr_assert(json_object_object_get_ex(e, "file", &v));
			cr_expect_str_eq(json_object_get_string(v),
			    "built-in db/distrust.tsv");
			continue;
		}
		user++;
		cr_assert(json_object_object_get_ex(e, "ca", &v));
		cr_expect_str_eq(json_object_get_string(v), "Mine CA");
		cr_assert(json_object_object_get_ex(e, "effective", &v));
		cr_expect_str_eq(json_object_get_string(v),
		    "2016-01-01T00:00:00Z");
		cr_assert(json_object_object_get_ex(e, "match", &v));
		cr_expect_str_eq(json_object_get_string(v), "spki:"
		    SPKI_INT_RSA);
		cr_assert(json_object_object_get_ex(e, "rule", &v));
		cr_expect_str_eq(json_object_get_string(v),
		    "issued-after:2016-01-01T00:00:00Z");
		cr_assert(json_object_object_get_ex(e, "source", &v));
		cr_expect_str_eq(json_object_get_string(v),
		    "https://example.test/decision");
		cr_assert(json_object_object_get_ex(e, "file", &v));
		cr_expect_str_eq(json_object_get_string(v), pol);
		cr_assert(json_object_object_get_ex(e, "line", &v));
		cr_expect_eq(json_object_get_int(v), 2);
	}
	cr_expect_eq(user, 1);
	json_object_put(root);
	run_result_free(&r);
	unlink(pol);
	free(pol);
}

Test(list, refuses_what_it_would_ignore_and_stops_on_a_bad_policy)
{
	const char *operand[] = { "--list-distrust", "chain.pem", NULL };
	const char *csv[] = { "--list-distrust", "--format", "csv", NULL };
	const char *output[] = { "--list-distrust", "-o", "/tmp/x.txt",
	    NULL };
	char *pol = write_policy("X\tchrome\t2016-01-01\tspki:" SPKI_INT_RSA
	    "\tsometimes\tsrc\n");
	struct run_result r;
	char want[512];

	run_chainaudit(&r, operand, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--list-distrust audits nothing") != NULL,
	    "%s", r.err);
	run_result_free(&r);
	run_chainaudit(&r, csv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "listed as text or json") != NULL, "%s",
	    r.err);
	run_result_free(&r);
	run_chainaudit(&r, output, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "leave out --output") != NULL, "%s", r.err);
	run_result_free(&r);

	list_policy(&r, pol, NULL, "json", 0);
	cr_expect_eq(r.status, 2);
	cr_expect_eq(r.outlen, 0, "%s", r.out);
	snprintf(want, sizeof(want), "%s:1: rule", pol);
	cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
	run_result_free(&r);
	unlink(pol);
	free(pol);
}

/* ---- path choice and orphans, with generated certificates -------------- */

#define KEY(n)	certkit_key(CERTKIT_P256, (n))

/*
 * DER of a certificate for (cn, key) signed by (issuer_cn, ikey), valid
 * 2015-2030: the shape most cases here need.
 */
static struct der_blob
make_der(const char *cn, gnutls_x509_privkey_t key, const char *issuer_cn,
    gnutls_x509_privkey_t ikey, int ca, unsigned serial)
{
	return certkit_der(&(struct certkit){ .cn = cn, .key = key,
	    .issuer_cn = issuer_cn, .issuer_key = ikey, .ca = ca,
	    .serial = serial, .not_before = T("2015-01-01"),
	    .not_after = T("2030-01-01") });
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
	    cert_subject(path_node_cert(a->paths, p, p->len - 1)));
	o->trusted = a->trusted;
	audit_free(a);
	return 0;
}

static void
audit_blobs(struct der_blob *blobs, size_t n, const struct trust_store *s,
    const struct distrust_policy *p, struct sink_out *o)
{
	struct judge_params params;
	struct der_list l;

	memset(&l, 0, sizeof(l));
	l.v = blobs;
	l.n = n;
	memset(&params, 0, sizeof(params));
	params.now = T("2020-01-01");
	params.sha1_sunset_never = 1;
	params.distrust = p;
	path_params_default(&params.path, params.now);
	cr_assert_eq(judge_input("gen", &l, 0, &params, s, NULL, keep_audit,
	    o), 0);
}

Test(paths, a_path_around_the_distrusted_root_is_chosen)
{
	gnutls_x509_privkey_t kb = KEY(0), kg = KEY(1), ki = KEY(2),
	    kl = KEY(3);
	struct trust_store *s = trust_store_new();
	struct der_blob chain[3];
	struct distrust_policy *p;
	struct sink_out o;
	struct cert *bad, *good;
	struct errs e;
	char text[256];

	/* I is cross-signed by "Bad Root" and "Good Root", both trusted. */
	bad = certkit_parse(make_der("Bad Root", kb, "Bad Root", kb, 1, 1));
	good = certkit_parse(make_der("Good Root", kg, "Good Root", kg, 1, 2));
	snprintf(text, sizeof(text), "Bad\tchrome\t2000-01-01\tspki:%s\tall\t"
	    "src\n", bad->spki_sha256_hex);
	cr_assert(trust_store_add_cert(s, bad, TRUST_ANCHOR, "t") == 0);
	cr_assert(trust_store_add_cert(s, good, TRUST_ANCHOR, "t") == 0);
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
}

Test(paths, an_orphan_is_linked_to_a_known_distrusted_key_by_signature)
{
	gnutls_x509_privkey_t kd = KEY(0), kx = KEY(1), kl = KEY(2);
	struct trust_store *s = trust_store_new();
	struct der_blob leaf[2];
	struct distrust_policy *p;
	struct sink_out o;
	struct cert *dist;
	struct errs e;
	char text[256];

	/* The distrusted CA is only known from the policy's pool. */
	dist = certkit_parse(make_der("Distrusted CA", kd, "Distrusted CA", kd,
	    1, 1));
	snprintf(text, sizeof(text), "Dist\tmozilla\t2000-01-01\tspki:%s\t"
	    "all\tsrc\n", dist->spki_sha256_hex);
	cr_assert(trust_store_add_cert(s, dist, TRUST_KNOWN, "t") == 0);
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
}

/*
 * DER of a certificate cn (optionally with organisation org) issued by
 * issuer_cn with ikey, carrying key identifiers: its own SKI (the key id
 * of key) and an AKI naming ikey's, as CAs write them.
 */
static struct der_blob
make_der_ids(const char *cn, const char *org, gnutls_x509_privkey_t key,
    const char *issuer_cn, const char *issuer_org,
    gnutls_x509_privkey_t ikey, int ca, unsigned serial)
{
	return certkit_der(&(struct certkit){ .cn = cn, .org = org,
	    .key = key, .issuer_cn = issuer_cn, .issuer_org = issuer_org,
	    .issuer_key = ikey, .ca = ca, .serial = serial, .ski = 1,
	    .aki = 1, .not_before = T("2015-01-01"),
	    .not_after = T("2030-01-01") });
}

/*
 * An orphan whose issuer nobody here has is still matched to a
 * distrusted CA: by its AKI against the policy certificates' SKIs (the
 * CA renamed its intermediate), else by its issuer's organisation name;
 * each finding says which identity matched, and the policy's date rule
 * still decides.
 */
Test(paths, an_orphan_is_matched_by_key_identifier_then_organisation)
{
	gnutls_x509_privkey_t kd = KEY(0), ki = KEY(1), kl = KEY(2);
	struct trust_store *s = trust_store_new();
	struct der_blob leaf;
	struct distrust_policy *p;
	struct sink_out o;
	struct cert *dist;
	struct errs e;
	char text[256];

	dist = certkit_parse(make_der_ids("Distrusted Root", "Bad CA Ltd", kd,
	    "Distrusted Root", "Bad CA Ltd", kd, 1, 1));
	cr_assert(dist->ski_len > 0);
	snprintf(text, sizeof(text), "Bad\tchrome\t2016-01-01\tspki:%s\t"
	    "all\tsrc\n", dist->spki_sha256_hex);
	cr_assert(trust_store_add_cert(s, dist, TRUST_KNOWN, "t") == 0);
	p = policy_from(text, 0, &e);

	/* Signed by an unknown intermediate whose key id is the root's. */
	leaf = make_der_ids("orphan.example", NULL, kl, "Renamed Issuing CA",
	    "Other Name Inc", kd, 0, 2);
	audit_blobs(&leaf, 1, s, p, &o);
	cr_expect(strstr(o.codes, "distrusted-issuer") != NULL, "%s",
	    o.codes);
	cr_expect(strstr(o.msg, "matched by its authority key identifier") !=
	    NULL, "%s", o.msg);
	free(leaf.der);

	/* Another key, another name, but the distrusted CA's organisation. */
	leaf = make_der_ids("orphan2.example", NULL, kl, "Bad CA Issuing G9",
	    "BAD CA LTD", ki, 0, 3);
	audit_blobs(&leaf, 1, s, p, &o);
	cr_expect(strstr(o.msg, "matched by its issuer's organisation name "
	    "\"BAD CA LTD\"") != NULL, "%s", o.msg);
	cr_expect(strstr(o.msg, "name-based, not a key match") != NULL);
	free(leaf.der);

	/* Nothing shared: no finding. */
	leaf = make_der_ids("orphan3.example", NULL, kl, "Good Issuing CA",
	    "Good CA Ltd", ki, 0, 4);
	audit_blobs(&leaf, 1, s, p, &o);
	cr_expect(strstr(o.codes, "distrusted-issuer") == NULL, "%s",
	    o.codes);
	cr_expect(strstr(o.codes, "incomplete-chain") != NULL, "%s", o.codes);
	free(leaf.der);

	distrust_free(p);
	trust_store_free(s);
}

/* ---- date edges and renamed keys, with generated certificates ---------- */

/* A trusted CA of its own key and a policy text for its SPKI and rule. */
struct edge_ca {
	gnutls_x509_privkey_t	 key;		/* borrowed */
	struct trust_store	*store;
	struct distrust_policy	*policy;
};

static void
edge_ca_new(struct edge_ca *c, const char *rule)
{
	struct cert *ca;
	struct errs e;
	char text[256];

	c->key = KEY(0);
	c->store = trust_store_new();
	ca = certkit_parse(make_der("Edge CA", c->key, "Edge CA", c->key, 1,
	    1));
	snprintf(text, sizeof(text), "Edge\tchrome\t2000-01-01\tspki:%s\t%s\t"
	    "src\n", ca->spki_sha256_hex, rule);
	cr_assert(trust_store_add_cert(c->store, ca, TRUST_ANCHOR, "t") == 0);
	c->policy = policy_from(text, 0, &e);
	cr_assert_eq(e.n, 0, "%s", e.lines[0]);
}

static void
edge_ca_free(struct edge_ca *c)
{
	distrust_free(c->policy);
	trust_store_free(c->store);
}

/* Audit a leaf of c issued at not_before with SCT list scts (or NULL). */
static void
edge_leaf(struct edge_ca *c, time_t not_before, const gnutls_datum_t *scts,
    struct sink_out *o)
{
	struct certkit s = { .cn = "leaf", .key = KEY(1),
	    .issuer_cn = "Edge CA", .issuer_key = c->key, .serial = 2,
	    .not_before = not_before, .not_after = T("2030-01-01") };
	struct der_blob leaf;

	if (scts != NULL)
		s.ext[0] = (struct certkit_ext){ "1.3.6.1.4.1.11129.2.4.2",
		    scts->data, scts->size, 0 };
	leaf = certkit_der(&s);
	audit_blobs(&leaf, 1, c->store, c->policy, o);
	cr_expect(o->trusted);
	free(leaf.der);
}

Test(edges, issued_after_and_before_one_second_either_side_of_the_cut_off)
{
	/* Chrome 56's StartCom and WoSign rule: notBefore after 23:59:59. */
	time_t cut = T("2016-10-20T23:59:59Z");
	struct edge_ca c;
	struct sink_out o;

	edge_ca_new(&c, "issued-after:2016-10-20T23:59:59Z");
	edge_leaf(&c, cut - 1, NULL, &o);
	cr_expect_str_eq(o.codes, "");
	edge_leaf(&c, cut, NULL, &o);
	cr_expect_str_eq(o.codes, "", "issued at the cut-off is not after it");
	edge_leaf(&c, cut + 1, NULL, &o);
	cr_expect_str_eq(o.codes, "distrusted-issuer ");
	cr_expect(strstr(o.msg, "(certificates issued after "
	    "2016-10-20T23:59:59Z;") != NULL, "%s", o.msg);
	edge_ca_free(&c);

	/* Chrome 66's Symantec rule: notBefore before 2016-06-01. */
	cut = T("2016-06-01T00:00:00Z");
	edge_ca_new(&c, "issued-before:2016-06-01T00:00:00Z");
	edge_leaf(&c, cut - 1, NULL, &o);
	cr_expect_str_eq(o.codes, "distrusted-issuer ");
	cr_expect(strstr(o.msg, "(certificates issued before "
	    "2016-06-01T00:00:00Z;") != NULL, "%s", o.msg);
	edge_leaf(&c, cut, NULL, &o);
	cr_expect_str_eq(o.codes, "", "issued at the cut-off is not before it");
	edge_leaf(&c, cut + 1, NULL, &o);
	cr_expect_str_eq(o.codes, "");
	edge_ca_free(&c);
}

/*
 * An embedded SCT list extension value (RFC 6962 3.3): an OCTET STRING
 * holding the TLS-encoded list, one SCT per timestamp (milliseconds).
 * The log IDs and signatures are filler: only the times are read.
 */
static gnutls_datum_t
sct_list(const long long *ms, size_t n, unsigned char *buf, size_t len)
{
	static const unsigned char sig[] = { 0x30, 0x06, 0x02, 0x01, 0x01,
	    0x02, 0x01, 0x01 };
	size_t sct_len = 1 + 32 + 8 + 2 + 2 + 2 + sizeof(sig);
	size_t list_len = n * (2 + sct_len), i, k, o = 0;
	gnutls_datum_t d;

	cr_assert(2 + 2 + list_len <= len && 2 + list_len < 128);
	buf[o++] = 0x04;
	buf[o++] = (unsigned char)(2 + list_len);
	buf[o++] = (unsigned char)(list_len >> 8);
	buf[o++] = (unsigned char)list_len;
	for (i = 0; i < n; i++) {
		buf[o++] = (unsigned char)(sct_len >> 8);
		buf[o++] = (unsigned char)sct_len;
		buf[o++] = 0;			/* v1 */
		memset(buf + o, (int)(i + 1), 32);	/* log ID */
		o += 32;
		for (k = 0; k < 8; k++)
			buf[o++] = (unsigned char)((unsigned long long)ms[i] >>
			    (56 - 8 * k));
		buf[o++] = 0;			/* no extensions */
		buf[o++] = 0;
		buf[o++] = 4;			/* sha256 */
		buf[o++] = 3;			/* ecdsa */
		buf[o++] = 0;
		buf[o++] = sizeof(sig);
		memcpy(buf + o, sig, sizeof(sig));
		o += sizeof(sig);
	}
	d.data = buf;
	d.size = (unsigned)o;
	return d;
}

Test(edges, sct_after_one_second_either_side_and_the_earliest_counts)
{
	/* As Chrome's sct_not_after: the earliest SCT after the instant. */
	time_t cut = T("2019-04-30T23:59:59Z");
	long long at = (long long)cut * 1000, ms[2];
	unsigned char buf[256];
	gnutls_datum_t scts;
	struct edge_ca c;
	struct sink_out o;

	edge_ca_new(&c, "sct-after:2019-04-30T23:59:59Z");
	/* Issued after the cut-off but logged before it: the SCT decides. */
	ms[0] = at - 1000;
	scts = sct_list(ms, 1, buf, sizeof(buf));
	edge_leaf(&c, cut + 86400, &scts, &o);
	cr_expect_str_eq(o.codes, "");
	ms[0] = at;
	scts = sct_list(ms, 1, buf, sizeof(buf));
	edge_leaf(&c, cut - 86400, &scts, &o);
	cr_expect_str_eq(o.codes, "", "logged at the cut-off is not after it");
	ms[0] = at + 1000;
	scts = sct_list(ms, 1, buf, sizeof(buf));
	edge_leaf(&c, cut - 86400, &scts, &o);
	cr_expect_str_eq(o.codes, "distrusted-issuer ");
	cr_expect(strstr(o.msg, "(certificates first logged after "
	    "2019-04-30T23:59:59Z;") != NULL, "%s", o.msg);
	cr_expect(strstr(o.msg, "no SCT") == NULL, "%s", o.msg);

	/* Two SCTs, in either order: the earliest one is the one judged. */
	ms[0] = at + 5000;
	ms[1] = at - 1000;
	scts = sct_list(ms, 2, buf, sizeof(buf));
	edge_leaf(&c, cut + 86400, &scts, &o);
	cr_expect_str_eq(o.codes, "");
	ms[0] = at + 2000;
	ms[1] = at + 1000;
	scts = sct_list(ms, 2, buf, sizeof(buf));
	edge_leaf(&c, cut - 86400, &scts, &o);
	cr_expect_str_eq(o.codes, "distrusted-issuer ");

	/* No SCT at all: notBefore stands in, and the finding says so. */
	edge_leaf(&c, cut + 1, NULL, &o);
	cr_expect_str_eq(o.codes, "distrusted-issuer ");
	cr_expect(strstr(o.msg, "(no SCT: judged by notBefore)") != NULL,
	    "%s", o.msg);
	edge_leaf(&c, cut, NULL, &o);
	cr_expect_str_eq(o.codes, "");
	edge_ca_free(&c);
}

Test(edges, a_distrusted_key_under_a_new_name_is_matched_by_the_key)
{
	gnutls_x509_privkey_t kd = KEY(0), kg = KEY(1), kl = KEY(2);
	struct trust_store *s = trust_store_new();
	struct der_blob chain[2];
	struct distrust_policy *p;
	struct sink_out o;
	struct cert *old, *good;
	struct errs e;
	char text[512];

	/*
	 * "Old Distrusted CA" is the name the decision was made under (a
	 * name entry for it too); its key reappears as "Fresh Brand CA",
	 * cross-signed by a trusted root.
	 */
	old = certkit_parse(make_der("Old Distrusted CA", kd,
	    "Old Distrusted CA", kd, 1, 1));
	good = certkit_parse(make_der("Good Root", kg, "Good Root", kg, 1, 2));
	snprintf(text, sizeof(text), "OldCo\tmozilla\t2000-01-01\tspki:%s\t"
	    "all\tsrc\nOldCo\tmozilla\t2000-01-01\tname:old distrusted\tall\t"
	    "src\n", old->spki_sha256_hex);
	cert_free(old);
	cr_assert(trust_store_add_cert(s, good, TRUST_ANCHOR, "t") == 0);
	p = policy_from(text, 1, &e);
	cr_assert_eq(e.n, 0, "%s", e.lines[0]);
	chain[0] = make_der("leaf", kl, "Fresh Brand CA", kd, 0, 3);
	chain[1] = make_der("Fresh Brand CA", kd, "Good Root", kg, 1, 4);

	audit_blobs(chain, 2, s, p, &o);
	cr_expect(o.trusted);
	cr_expect_str_eq(o.top, "CN=Good Root");
	cr_expect_str_eq(o.codes, "distrusted-issuer ");
	cr_expect(strstr(o.msg, "Fresh Brand CA is a key of OldCo, distrusted "
	    "by: mozilla since 2000-01-01 (all certificates;") != NULL, "%s",
	    o.msg);
	cr_expect(strstr(o.msg, "name-based") == NULL, "%s", o.msg);

	distrust_free(p);
	trust_store_free(s);
	free(chain[0].der);
	free(chain[1].der);
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
	const char *argv[] = { "--no-system-ca", "--no-known-intermediates",
	    "--at", "2017-10-01T00:00:00Z", "--format", "json", tmp, NULL };

	if (shared_dir() == NULL)
		cr_skip_test("../shared/data not present: real-chain distrust "
		    "tests skipped");
	/*
	 * The intermediate alone, no root anywhere and no corpus: only the
	 * policy's pool.
	 */
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

/* ---- every distrusted CA of ../shared/data, with its CA and rule ------- */

#define NEED_SHARED()							\
	do {								\
		if (shared_dir() == NULL)				\
			cr_skip_test("../shared/data not present: "	\
			    "real-chain distrust tests skipped");	\
	} while (0)

/*
 * Audit the shared data file input (relative to data/) at at, with ca
 * and intermediates (relative to data/, or NULL) and only vendor's
 * decisions (NULL: all), as JSON.
 */
static void
run_shared(struct run_result *r, const char *at, const char *vendor,
    const char *ca, const char *inter, const char *input)
{
	char pca[512], pint[512], pin[512];
	const char *argv[16];
	size_t n = 0;

	argv[n++] = "--no-system-ca";
	if (ca != NULL) {
		snprintf(pca, sizeof(pca), "%s/data/%s", shared_dir(), ca);
		argv[n++] = "--ca-file";
		argv[n++] = pca;
	}
	if (inter != NULL) {
		snprintf(pint, sizeof(pint), "%s/data/%s", shared_dir(), inter);
		argv[n++] = "--intermediates";
		argv[n++] = pint;
	}
	argv[n++] = "--at";
	argv[n++] = at;
	argv[n++] = "--format";
	argv[n++] = "json";
	if (vendor != NULL) {
		argv[n++] = "--distrust-policy";
		argv[n++] = vendor;
	}
	if (input[0] == '/')
		snprintf(pin, sizeof(pin), "%s", input);
	else
		snprintf(pin, sizeof(pin), "%s/data/%s", shared_dir(), input);
	argv[n++] = pin;
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
}

/* Every distrusted-issuer message of the run, one a line, into buf. */
static const char *
distrust_msgs(const struct run_result *r, char *buf, size_t len)
{
	struct json_object *root = run_json(r), *targets, *f, *x, *v;
	size_t i, j;

	buf[0] = '\0';
	cr_assert(json_object_object_get_ex(root, "targets", &targets));
	for (i = 0; i < json_object_array_length(targets); i++) {
		cr_assert(json_object_object_get_ex(
		    json_object_array_get_idx(targets, i), "findings", &f));
		for (j = 0; j < json_object_array_length(f); j++) {
			x = json_object_array_get_idx(f, j);
			cr_assert(json_object_object_get_ex(x, "code", &v));
			if (strcmp(json_object_get_string(v),
			    "distrusted-issuer") != 0)
				continue;
			cr_assert(json_object_object_get_ex(x, "message", &v));
			cr_assert_lt(strlen(buf) +
			    strlen(json_object_get_string(v)) + 2, len);
			strcat(buf, json_object_get_string(v));
			strcat(buf, "\n");
		}
	}
	json_object_put(root);
	return buf;
}

/* The run's distrusted-issuer messages hold each of the NULL-ended want. */
static void
expect_distrust(const char *at, const char *vendor, const char *ca,
    const char *inter, const char *input, const char *const *want)
{
	struct run_result r;
	char msgs[8192];
	size_t i;

	run_shared(&r, at, vendor, ca, inter, input);
	distrust_msgs(&r, msgs, sizeof(msgs));
	cr_expect_neq(msgs[0], '\0', "%s at %s (%s): no distrusted-issuer\n"
	    "%s", input, at, vendor != NULL ? vendor : "all", r.err);
	for (i = 0; want[i] != NULL; i++)
		cr_expect(strstr(msgs, want[i]) != NULL, "%s at %s (%s): no "
		    "'%s' in:\n%s", input, at, vendor != NULL ? vendor : "all",
		    want[i], msgs);
	run_result_free(&r);
}

/* ... and no distrusted-issuer at all, whatever else the audit finds. */
static void
expect_no_distrust(const char *at, const char *vendor, const char *ca,
    const char *inter, const char *input)
{
	struct run_result r;
	char msgs[8192];

	run_shared(&r, at, vendor, ca, inter, input);
	cr_expect_str_eq(distrust_msgs(&r, msgs, sizeof(msgs)), "",
	    "%s at %s (%s)", input, at, vendor != NULL ? vendor : "all");
	run_result_free(&r);
}

#define W(...)	((const char *const[]){ __VA_ARGS__, NULL })

#define DIGINOTAR	"distrusted/diginotar/"

Test(real, diginotar_every_key_all_certificates_per_vendor)
{
	NEED_SHARED();
	/* Chrome and Firefox blocked DigiNotar Root CA on 2011-08-30. */
	expect_no_distrust("2011-08-29T23:59:59Z", NULL, NULL, NULL,
	    DIGINOTAR "diginotar-root-ca-self-signed.pem");
	expect_distrust("2011-09-15T00:00:00Z", NULL, NULL, NULL,
	    DIGINOTAR "diginotar-root-ca-self-signed.pem",
	    W("DigiNotar Root CA is a key of DigiNotar, distrusted by: "
	    "chrome since 2011-08-30 (all certificates;",
	    "; mozilla since 2011-08-30 (all certificates;"));
	/* The Cyber CA under the GTE CyberTrust root it was issued by. */
	expect_distrust("2011-09-15T00:00:00Z", "mozilla",
	    DIGINOTAR "issuers-entrust-net-ssca-and-gte-cybertrust-global-"
	    "root.pem", NULL, DIGINOTAR "diginotar-cyber-ca-by-gte-"
	    "cybertrust.pem",
	    W("DigiNotar Cyber CA is a key of DigiNotar, distrusted by: "
	    "mozilla since 2011-09-01 (all certificates;"));
	/* The root's cross-sign by Entrust: the same key, the same verdict. */
	expect_distrust("2011-09-15T00:00:00Z", "chrome", NULL, NULL,
	    DIGINOTAR "diginotar-root-ca-cross-signed-by-entrust-2x.pem",
	    W("DigiNotar Root CA is a key of DigiNotar, distrusted by: "
	    "chrome since 2011-08-30 (all certificates;"));
	/* Only Chrome blocked the PKIoverheid "Overheid" CA. */
	expect_distrust("2011-09-15T00:00:00Z", "chrome", NULL, NULL,
	    DIGINOTAR "diginotar-pkioverheid-ca-overheid.pem",
	    W("DigiNotar PKIoverheid CA Overheid is a key of DigiNotar, "
	    "distrusted by: chrome since 2011-09-02 (all certificates;"));
	expect_no_distrust("2011-09-15T00:00:00Z", "mozilla", NULL, NULL,
	    DIGINOTAR "diginotar-pkioverheid-ca-overheid.pem");
	expect_distrust("2011-09-15T00:00:00Z", "chrome", NULL, NULL,
	    DIGINOTAR "diginotar-root-ca-g2.pem",
	    W("DigiNotar Root CA G2 is a key of DigiNotar"));
}

#define STARTCOM_ROOTS \
	"distrusted/startcom/startcom-roots-sha1-and-sha256.pem"

Test(real, startcom_2015_intermediates_by_chrome_61)
{
	const char *srcs[2] = { NULL, NULL };
	const char *wosign_signed[] = { "b4dae2869f79bc77", NULL };
	char path[512], *tmp;

	NEED_SHARED();
	/* Issued 2015-12-16, before Chrome 56's cut-off: only 61 hits it. */
	expect_no_distrust("2017-02-01T00:00:00Z", "chrome", STARTCOM_ROOTS,
	    NULL, "distrusted/startcom/startcom-class1-dv-server-ca-2015.pem");
	expect_distrust("2017-10-01T00:00:00Z", "chrome", STARTCOM_ROOTS,
	    NULL, "distrusted/startcom/startcom-class1-dv-server-ca-2015.pem",
	    W("StartCom Certification Authority is a key of StartCom, "
	    "distrusted by: chrome since 2017-09-05 (all certificates;"));
	/*
	 * StartCom's OV CA as WoSign G2 cross-signed it: its own key is
	 * in no decision; WoSign's is, linked through the shipped pool.
	 */
	snprintf(path, sizeof(path), "%s/data/distrusted/startcom/startcom-"
	    "class3-ov-crosssigned-by-startcom-and-wosign-g2.pem",
	    shared_dir());
	srcs[0] = path;
	tmp = pem_subset_tmp(srcs, wosign_signed);
	expect_distrust("2017-10-01T00:00:00Z", "chrome", NULL, NULL, tmp,
	    W("Certification Authority of WoSign G2 is a key of WoSign, "
	    "distrusted by: chrome since 2017-09-05 (all certificates;"));
	unlink(tmp);
	free(tmp);
}

#define HYCOM	"chains/wosign-hycom.at-2016/"

Test(real, wosign_hycom_by_chrome_61_and_firefox_58)
{
	NEED_SHARED();
	/* The leaf dates from 2016-08-29, before the 2016-10-21 cut-off. */
	expect_no_distrust("2017-02-01T00:00:00Z", "chrome", HYCOM "roots.pem",
	    HYCOM "alternates.pem", HYCOM "chain.pem");
	expect_distrust("2017-10-01T00:00:00Z", "chrome", HYCOM "roots.pem",
	    HYCOM "alternates.pem", HYCOM "chain.pem",
	    W("Certification Authority of WoSign is a key of WoSign, "
	    "distrusted by: chrome since 2017-09-05 (all certificates;"));
	expect_no_distrust("2017-10-01T00:00:00Z", "mozilla",
	    HYCOM "roots.pem", HYCOM "alternates.pem", HYCOM "chain.pem");
	expect_distrust("2018-02-01T00:00:00Z", "mozilla", HYCOM "roots.pem",
	    HYCOM "alternates.pem", HYCOM "chain.pem",
	    W("is a key of WoSign, distrusted by: mozilla since 2018-01-23 "
	    "(all certificates;"));
}

#define RAPIDSSL	"chains/badssl-geotrust-rapidssl-2016/"
#define THAWTE		"chains/thawte-google-precert-2015/"

Test(real, symantec_chrome_66_date_rule_then_chrome_70)
{
	NEED_SHARED();
	/* GeoTrust, issued 2016-11-17: after 66's cut-off, caught by 70. */
	expect_no_distrust("2018-05-01T00:00:00Z", "chrome",
	    RAPIDSSL "roots.pem", NULL, RAPIDSSL "chain.pem");
	expect_distrust("2018-11-01T00:00:00Z", "chrome", RAPIDSSL "roots.pem",
	    NULL, RAPIDSSL "chain.pem",
	    W("GeoTrust Global CA is a key of Symantec, distrusted by: chrome "
	    "since 2018-10-16 (all certificates;"));
	/* Thawte, issued 2015-09-14: blocked by itself, then by 66's rule. */
	expect_no_distrust("2015-09-13T00:00:00Z", "chrome", THAWTE "roots.pem",
	    THAWTE "alternates.pem", THAWTE "chain.pem");
	expect_distrust("2018-05-01T00:00:00Z", "chrome", THAWTE "roots.pem",
	    THAWTE "alternates.pem", THAWTE "chain.pem",
	    W("www.google.com is a Thawte certificate blocked by: chrome "
	    "since 2015-09-14 (all certificates;",
	    "thawte Primary Root CA is a key of Symantec, distrusted by: "
	    "chrome since 2018-04-17 (certificates issued before "
	    "2016-06-01T00:00:00Z;"));
	expect_distrust("2018-11-01T00:00:00Z", "chrome", THAWTE "roots.pem",
	    THAWTE "alternates.pem", THAWTE "chain.pem",
	    W("thawte Primary Root CA is a key of Symantec, distrusted by: "
	    "chrome since 2018-10-16 (all certificates;"));
}

Test(real, symantec_exemption_keeps_apple_ist_ca_8_trusted)
{
	const char *srcs[2] = { NULL, NULL };
	const char *apple[] = { "a4fe7c7f15155f3f", NULL };
	const char *root[] = { "5edb7ac43b82a06a", NULL };
	char path[512], *tmp_apple, *tmp_root;
	struct run_result r;

	NEED_SHARED();
	/* Apple IST CA 8 - G1 under GeoTrust Primary CA - G2 (2007). */
	snprintf(path, sizeof(path), "%s/data/distrusted/symantec/symantec-"
	    "family-intermediates.pem", shared_dir());
	srcs[0] = path;
	tmp_apple = pem_subset_tmp(srcs, apple);
	snprintf(path, sizeof(path), "%s/data/distrusted/symantec/symantec-"
	    "family-roots.pem", shared_dir());
	tmp_root = pem_subset_tmp(srcs, root);
	/* Chrome's kSymantecExceptions and Firefox's Apple/Google list. */
	{
		const char *argv[] = { "--no-system-ca", "--ca-file", tmp_root,
		    "--at", "2019-01-01T00:00:00Z", "--format", "json",
		    tmp_apple, NULL };
		char msgs[8192];

		run_chainaudit(&r, argv, NULL);
		cr_expect_eq(r.status, 0, "%s", r.out);
		cr_expect_str_eq(distrust_msgs(&r, msgs, sizeof(msgs)), "");
		run_result_free(&r);
	}
	/* The root itself is not exempt. */
	expect_distrust("2019-01-01T00:00:00Z", "chrome", NULL, NULL, tmp_root,
	    W("GeoTrust Primary Certification Authority - G2 is a key of "
	    "Symantec, distrusted by: chrome since 2018-10-16 (all "
	    "certificates;"));
	unlink(tmp_apple);
	unlink(tmp_root);
	free(tmp_apple);
	free(tmp_root);
}

Test(real, modern_chains_are_not_distrusted)
{
	struct run_result r;

	NEED_SHARED();
	expect_no_distrust("2026-03-01T00:00:00Z", NULL,
	    "chains/modern-google.com-2026/roots.pem", NULL,
	    "chains/modern-google.com-2026/chain.pem");
	expect_no_distrust("2023-06-15T00:00:00Z", NULL,
	    "chains/letsencrypt-cryptography.io-2023/roots.pem", NULL,
	    "chains/letsencrypt-cryptography.io-2023/chain.pem");
	/* Both pass outright: the shipped policy adds nothing to them. */
	run_shared(&r, "2026-03-01T00:00:00Z", NULL,
	    "chains/modern-google.com-2026/roots.pem", NULL,
	    "chains/modern-google.com-2026/chain.pem");
	cr_expect_eq(r.status, 0, "%s", r.out);
	run_result_free(&r);
	run_shared(&r, "2023-06-15T00:00:00Z", NULL,
	    "chains/letsencrypt-cryptography.io-2023/roots.pem", NULL,
	    "chains/letsencrypt-cryptography.io-2023/chain.pem");
	cr_expect_eq(r.status, 0, "%s", r.out);
	run_result_free(&r);
}

/* ---- the Comodo 2011 fraud certificates, vendor by vendor -------------- */

/*
 * The fraudulent login.live.com leaf of the March 2011 Comodo RA
 * compromise (serial b0b7133ed096f9b56fae91c874bd3ac0, issued by
 * UTN-USERFirst-Hardware), SHA-256 2a3699deca1e9fd0...: public data,
 * chromium/chromium net/data/ssl/blocklist/<sha256>.pem@5b83ed465231
 * (BSD-3-Clause), the same bytes as ../shared's
 * chains/comodo-2011-login.live.com/chain.pem.  Inline so that the
 * tests below need neither ../shared nor a fixture generator run.
 */
static const char comodo_login_live_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIF7DCCBNSgAwIBAgIRALC3Ez7Qlvm1b66RyHS9OsAwDQYJKoZIhvcNAQEFBQAw\n"
	"gZcxCzAJBgNVBAYTAlVTMQswCQYDVQQIEwJVVDEXMBUGA1UEBxMOU2FsdCBMYWtl\n"
	"IENpdHkxHjAcBgNVBAoTFVRoZSBVU0VSVFJVU1QgTmV0d29yazEhMB8GA1UECxMY\n"
	"aHR0cDovL3d3dy51c2VydHJ1c3QuY29tMR8wHQYDVQQDExZVVE4tVVNFUkZpcnN0\n"
	"LUhhcmR3YXJlMB4XDTExMDMxNTAwMDAwMFoXDTE0MDMxNDIzNTk1OVowgd4xCzAJ\n"
	"BgNVBAYTAlVTMQ4wDAYDVQQREwUzODQ3NzEQMA4GA1UECBMHRmxvcmlkYTEQMA4G\n"
	"A1UEBxMHRW5nbGlzaDEXMBUGA1UECRMOU2VhIFZpbGxhZ2UgMTAxFDASBgNVBAoT\n"
	"C0dvb2dsZSBMdGQuMRMwEQYDVQQLEwpUZWNoIERlcHQuMSgwJgYDVQQLEx9Ib3N0\n"
	"ZWQgYnkgR1RJIEdyb3VwIENvcnBvcmF0aW9uMRQwEgYDVQQLEwtQbGF0aW51bVNT\n"
	"TDEXMBUGA1UEAxMObG9naW4ubGl2ZS5jb20wggEiMA0GCSqGSIb3DQEBAQUAA4IB\n"
	"DwAwggEKAoIBAQDz/Csv7+GtWfBCPMLxgr8sQZPR9pgzlUy8YvGVWAi26Xt3SLDT\n"
	"3Bc/vG7m7B7sjRf+HCTGPmc9kpWiMMCnVyDPcIiXSgWTeZNCly8+/8QUFCiiEza0\n"
	"+O6+Hbx4XWGTX+uI19HkK5rNWOIHRZ9PuLlAajMsWyEDWkqU8nqXWRuotULYgwCq\n"
	"NMyndtBHA18FrzvhuaE0JbdsX5owhJjCwtfyuEJKEFW9+lOBXY1oZkUsUn7lxATD\n"
	"VOfDOdp6SsW5mIIg4SxgV7+68kYAvF863OMzl/hKmLnsM08tYGwVkqaBSgvp7HZw\n"
	"NDEXcOZwS46L03XLeEmrZpuGn4+pxAHoyhvnAgMBAAGjggHoMIIB5DAfBgNVHSME\n"
	"GDAWgBShcl8mGyiYQ5VdBzfVhZadS9LDRTAdBgNVHQ4EFgQU1GT2qeilfte/Y1ID\n"
	"g1PbxUGN6oAwDgYDVR0PAQH/BAQDAgWgMAwGA1UdEwEB/wQCMAAwHQYDVR0lBBYw\n"
	"FAYIKwYBBQUHAwEGCCsGAQUFBwMCMEYGA1UdIAQ/MD0wOwYMKwYBBAGyMQECAQME\n"
	"MCswKQYIKwYBBQUHAgEWHWh0dHBzOi8vc2VjdXJlLmNvbW9kby5jb20vQ1BTMHsG\n"
	"A1UdHwR0MHIwOKA2oDSGMmh0dHA6Ly9jcmwuY29tb2RvY2EuY29tL1VUTi1VU0VS\n"
	"Rmlyc3QtSGFyZHdhcmUuY3JsMDagNKAyhjBodHRwOi8vY3JsLmNvbW9kby5uZXQv\n"
	"VVROLVVTRVJGaXJzdC1IYXJkd2FyZS5jcmwwcQYIKwYBBQUHAQEEZTBjMDsGCCsG\n"
	"AQUFBzAChi9odHRwOi8vY3J0LmNvbW9kb2NhLmNvbS9VVE5BZGRUcnVzdFNlcnZl\n"
	"ckNBLmNydDAkBggrBgEFBQcwAYYYaHR0cDovL29jc3AuY29tb2RvY2EuY29tMC0G\n"
	"A1UdEQQmMCSCDmxvZ2luLmxpdmUuY29tghJ3d3cubG9naW4ubGl2ZS5jb20wDQYJ\n"
	"KoZIhvcNAQEFBQADggEBAFTjpJok0vMdQq0b8B6r+9rVqunPWrMeV3sx8m5XSzGv\n"
	"M7u2DRXHXlkBzkS1t78JydXcaYTpxRq38D7UwCS9KV+06dZY60URiTQ00xHrNM4q\n"
	"TwA99nLvaWbAn5qsfnBQrFVH2r5DW+yLyMUjhMmftlIIz5EbL4Bp5jQz5rOfpOUN\n"
	"mhX5V/wLqUEL9f9YQZIiJ2YSBscq2Fmnxt9EEk/AqH+nQcjIaf+6BS6XrTvQ6/MV\n"
	"bX4b5brdNL4iEexomDOBAmoLE1V5MXVOOsi2E72XbzcKCy2IDt5nkMKzyiDKmlH0\n"
	"ZD7b9C5F8sdHF6j0+pBaf4CmgqzkbIFGu1KFICT4gOo=\n"
	"-----END CERTIFICATE-----\n";

/* The nine leaves' SHA-256, in the policy's order. */
static const char *const comodo_2011_leaves[] = {
	"2a3699deca1e9fd099ba45de8489e205977c9f2a5e29d5dd747381eec0744d71",
	"4bf6bb839b03b72839329b4ea70bb1b2f0d07e014d9d24aa9cc596114702bee3",
	"79f69a47cfd6c4b4ceae8030d04b49f6171d3b5d6c812f58d040e586f1cb3f14",
	"8290cc3fc1c3aac3239782c141ace8f88aeef4e9576a43d01867cf19d025be66",
	"933f7d8cda9f0d7c8bfd3c22bf4653f4161fd38ccdcf66b22e95a2f49c2650f8",
	"9532e8b504964331c271f3f5f10070131a08bf8ba438978ce394c34feeae246f",
	"be144b56fb1163c49c9a0e6b5a458df6b29f7e6449985960c178a4744624b7bc",
	"ead610e6e90b439f2ecb51628b0932620f6ef340bd843fca38d3181b8f4ba197",
	"f8a5ff189fedbfe34e21103389a68340174439ad12974a4e8d4d784d1f3a0faa",
	NULL
};

/* Each vendor's date for them (db/distrust.tsv, sources there). */
static const struct {
	const char	*vendor;
	const char	*since;		/* effective date */
	const char	*before;	/* one second before it */
} comodo_2011_dates[] = {
	{ "chrome", "2011-03-23", "2011-03-22T23:59:59Z" },
	{ "mozilla", "2011-03-22", "2011-03-21T23:59:59Z" },
	{ "microsoft", "2011-03-23", "2011-03-22T23:59:59Z" },
	{ "apple", "2011-04-14", "2011-04-13T23:59:59Z" },
};

Test(comodo2011, login_live_leaf_is_blocked_by_each_vendor_from_its_date)
{
	char *leaf = write_policy(comodo_login_live_pem), at[32], want[160];
	size_t i;

	for (i = 0; i < sizeof(comodo_2011_dates) /
	    sizeof(comodo_2011_dates[0]); i++) {
		/* Not before the vendor acted, whatever the others did. */
		expect_no_distrust(comodo_2011_dates[i].before,
		    comodo_2011_dates[i].vendor, NULL, NULL, leaf);
		/* From its date on, by the certificate's own hash. */
		snprintf(at, sizeof(at), "%sT00:00:00Z",
		    comodo_2011_dates[i].since);
		snprintf(want, sizeof(want), "login.live.com is a Comodo "
		    "certificate blocked by: %s since %s (all certificates;",
		    comodo_2011_dates[i].vendor, comodo_2011_dates[i].since);
		expect_distrust(at, comodo_2011_dates[i].vendor, NULL, NULL,
		    leaf, W(want));
		/* And still after the certificate expired (2014-03-14). */
		expect_distrust("2015-01-01T00:00:00Z",
		    comodo_2011_dates[i].vendor, NULL, NULL, leaf, W(want));
	}
	/* All vendors: on 2011-03-22 only Firefox had shipped its block. */
	expect_distrust("2011-03-22T12:00:00Z", NULL, NULL, NULL, leaf,
	    W("login.live.com is a Comodo certificate blocked by: mozilla "
	    "since 2011-03-22 (all certificates; https://blog.mozilla.org/"));
	expect_distrust("2011-04-20T00:00:00Z", NULL, NULL, NULL, leaf,
	    W("chrome since 2011-03-23", "mozilla since 2011-03-22",
	    "microsoft since 2011-03-23", "apple since 2011-04-14"));
	unlink(leaf);
	free(leaf);
}

Test(comodo2011, every_vendor_lists_all_nine_leaves)
{
	struct run_result r;
	char want[256];
	size_t i, j;

	for (i = 0; i < sizeof(comodo_2011_dates) /
	    sizeof(comodo_2011_dates[0]); i++) {
		list_policy(&r, NULL, comodo_2011_dates[i].vendor, NULL, 0);
		cr_assert_eq(r.status, 0, "%s", r.err);
		for (j = 0; comodo_2011_leaves[j] != NULL; j++) {
			snprintf(want, sizeof(want), "\nComodo\t%s\t%s\tcert:%s"
			    "\tall\t", comodo_2011_dates[i].vendor,
			    comodo_2011_dates[i].since, comodo_2011_leaves[j]);
			cr_expect(strstr(r.out, want) != NULL,
			    "%s: no entry for %s", comodo_2011_dates[i].vendor,
			    comodo_2011_leaves[j]);
		}
		run_result_free(&r);
	}
}
