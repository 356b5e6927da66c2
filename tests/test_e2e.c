/*
 * test_e2e.c: the built program on the fixture PKI, end to end.
 *
 * Every case pins the evaluation time with --at and trusts only the
 * fixture roots, then asserts the exit status and the exact set of
 * finding codes of the JSON report: a missing finding and an unexpected
 * one both fail.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-c/json.h>

#include "certkit.h"
#include "testlib.h"
#include "util.h"

#define AT_2016	"2016-03-01T00:00:00Z"
#define MAX_ARGS	32

/* Sorted, space-separated finding codes of target t. */
static void
codes_of(struct json_object *t, char *buf, size_t len)
{
	struct json_object *fs, *f, *code;
	const char *v[64];
	size_t n = 0, i, j;
	const char *tmp;

	buf[0] = '\0';
	cr_assert(json_object_object_get_ex(t, "findings", &fs));
	for (i = 0; i < json_object_array_length(fs) && n < 64; i++) {
		f = json_object_array_get_idx(fs, i);
		cr_assert(json_object_object_get_ex(f, "code", &code));
		v[n++] = json_object_get_string(code);
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, v[i], len - strlen(buf) - 1);
	}
}

static int
jbool(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return json_object_get_boolean(v);
}

static const char *
json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return json_object_get_string(v);
}

/*
 * Run on one fixture chain with the fixture roots trusted and extra
 * arguments; return the parsed report (caller frees) and the target.
 */
static struct json_object *
audit_fixture(struct run_result *r, const char *chain, const char *at,
    const char *const *extra, struct json_object **target)
{
	const char *argv[MAX_ARGS];
	char *roots[2];
	struct json_object *root;
	size_t n = 0, i;

	roots[0] = strdup(fixture_path("ca/root-rsa.pem"));
	roots[1] = strdup(fixture_path("ca/root-ec.pem"));
	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = roots[0];
	argv[n++] = "--ca-file";
	argv[n++] = roots[1];
	argv[n++] = "--at";
	argv[n++] = at;
	argv[n++] = "--format";
	argv[n++] = "json";
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		argv[n++] = extra[i];
	argv[n++] = strdup(fixture_path(chain));
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
	free(roots[0]);
	free(roots[1]);
	free((char *)argv[n - 1]);
	root = run_json(r);
	*target = json_target(root, chain);
	cr_assert_not_null(*target, "no target for %s in:\n%s", chain, r->out);
	return root;
}

/* Assert status and exact codes for one fixture. */
static void
expect_chain(const char *chain, const char *at, const char *const *extra,
    int status, const char *codes, int trusted)
{
	struct run_result r;
	struct json_object *root, *t;
	char got[1024];

	root = audit_fixture(&r, chain, at, extra, &t);
	codes_of(t, got, sizeof(got));
	cr_expect_str_eq(got, codes, "%s: findings [%s], expected [%s]",
	    chain, got, codes);
	cr_expect_eq(r.status, status, "%s: exit %d, expected %d; stderr: %s",
	    chain, r.status, status, r.err);
	cr_expect_eq(jbool(t, "trusted"), trusted, "%s: trusted", chain);
	json_object_put(root);
	run_result_free(&r);
}

#define HOST(h)	((const char *const[]){ "--host", h, NULL })

Test(chains, good_rsa_all_encodings)
{
	expect_chain("chains/good-rsa.pem", AT_2016, HOST("good.example.test"),
	    0, "", 1);
	expect_chain("chains/good-rsa-text.pem", AT_2016, NULL, 0, "", 1);
	expect_chain("chains/good-rsa-crlf.pem", AT_2016, NULL, 0, "", 1);
	expect_chain("chains/good-rsa.p7b", AT_2016, NULL, 0, "", 1);
	expect_chain("chains/good-rsa.p7c", AT_2016, NULL, 0, "", 1);
}

Test(chains, good_ec)
{
	expect_chain("chains/good-ec.pem", AT_2016, HOST("ec.example.test"),
	    0, "", 1);
}

Test(chains, der_leaf_alone_is_incomplete)
{
	expect_chain("chains/good-rsa-leaf.der", AT_2016, NULL, 1,
	    "incomplete-chain", 0);
}

Test(chains, wildcard_matches_one_label_only)
{
	expect_chain("chains/wildcard.pem", AT_2016,
	    HOST("a.wild.example.test"), 0, "", 1);
	expect_chain("chains/wildcard.pem", AT_2016,
	    HOST("a.b.wild.example.test"), 1, "hostname-mismatch", 1);
	expect_chain("chains/wildcard.pem", AT_2016,
	    HOST("wild.example.test"), 1, "hostname-mismatch", 1);
}

Test(chains, hostname_mismatch)
{
	expect_chain("chains/wrong-host.pem", AT_2016,
	    HOST("good.example.test"), 1, "hostname-mismatch", 1);
	expect_chain("chains/good-rsa.pem", AT_2016,
	    HOST("www.good.example.test"), 0, "", 1);
}

Test(chains, validity)
{
	expect_chain("chains/expired.pem", AT_2016, NULL, 1, "expired", 1);
	expect_chain("chains/not-yet-valid.pem", AT_2016, NULL, 1,
	    "not-yet-valid", 1);
	expect_chain("chains/not-yet-valid.pem", "2030-06-01T00:00:00Z", NULL,
	    0, "", 1);
	/* Warnings pass unless --fail-on says otherwise. */
	expect_chain("chains/expiring-soon.pem", AT_2016, NULL, 0,
	    "expiring-soon", 1);
	expect_chain("chains/expiring-soon.pem", AT_2016,
	    (const char *const[]){ "--fail-on", "warning", NULL }, 1,
	    "expiring-soon", 1);
	expect_chain("chains/expiring-soon.pem", AT_2016,
	    (const char *const[]){ "--warn-days", "10", NULL }, 0, "", 1);
}

Test(chains, trust_problems)
{
	expect_chain("chains/missing-int.pem", AT_2016, NULL, 1,
	    "incomplete-chain", 0);
	expect_chain("chains/private.pem", AT_2016, NULL, 1,
	    "untrusted-root", 0);
	expect_chain("chains/self-signed-leaf.pem", AT_2016, NULL, 1,
	    "self-signed-leaf", 0);
	expect_chain("chains/badsig-leaf.pem", AT_2016, NULL, 1,
	    "bad-signature", 0);
}

Test(chains, intermediates_complete_a_chain)
{
	const char *extra[] = { "--intermediates", NULL, NULL };
	char *p = strdup(fixture_path("ca/int-rsa.pem"));

	extra[1] = p;
	expect_chain("chains/missing-int.pem", AT_2016, extra, 0, "", 1);
	free(p);
}

Test(chains, served_chain_shape)
{
	expect_chain("chains/misordered.pem", AT_2016, NULL, 0,
	    "misordered-chain", 1);
	expect_chain("chains/with-root.pem", AT_2016, NULL, 0,
	    "unnecessary-root", 1);
	expect_chain("chains/duplicate.pem", AT_2016, NULL, 0,
	    "duplicate-certificate", 1);
}

Test(chains, weak_key_and_md5)
{
	expect_chain("chains/weak-key.pem", AT_2016, NULL, 1, "weak-key", 1);
	/* An MD5 link is one finding: weak-signature, not sha1-only-link. */
	expect_chain("chains/md5-leaf.pem", AT_2016, NULL, 1,
	    "weak-signature", 1);
}

Test(chains, fail_on_never_and_info)
{
	expect_chain("chains/expired.pem", AT_2016,
	    (const char *const[]){ "--fail-on", "never", NULL }, 0,
	    "expired", 1);
	expect_chain("chains/with-root.pem", AT_2016,
	    (const char *const[]){ "--fail-on", "info", NULL }, 1,
	    "unnecessary-root", 1);
}

/* ---- SHA-1: every signature, the strongest chosen --------------------- */

Test(sha1, sha1_leaf_and_sha1_only_intermediate_flagged)
{
	expect_chain("chains/sha1-leaf.pem", AT_2016, NULL, 1,
	    "sha1-only-link", 1);
	expect_chain("chains/sha1-int.pem", AT_2016, NULL, 1,
	    "sha1-only-link", 1);
}

Test(sha1, both_copies_sent_in_either_order_strongest_wins)
{
	expect_chain("chains/sha1-both-int.pem", AT_2016, NULL, 0, "", 1);
	expect_chain("chains/sha1-both-int-rev.pem", AT_2016, NULL, 0, "", 1);
}

/*
 * The stronger copy is known (--intermediates) but the server sends the
 * SHA-1 one: the link is strong for clients that have the copy, and the
 * report says which copy to serve.
 */
Test(sha1, stronger_copy_in_the_pool_is_used_and_named)
{
	const char *extra[] = { "--intermediates", NULL, NULL };
	struct run_result r;
	struct json_object *root, *t, *fs, *f;
	char *p = strdup(fixture_path("ca/int-rsa.pem"));

	extra[1] = p;
	expect_chain("chains/sha1-int.pem", AT_2016, extra, 0,
	    "weaker-copy-sent", 1);
	root = audit_fixture(&r, "chains/sha1-int.pem", AT_2016, extra, &t);
	cr_assert(json_object_object_get_ex(t, "findings", &fs));
	f = json_object_array_get_idx(fs, 0);
	/* The fix names the SHA-256 copy by its fingerprint. */
	cr_expect(strstr(json_str(f, "message"), "9424043a7da65d0ab79268227e28b7"
	    "8e24f5b55e9967225380a50796e2660df3") != NULL, "%s",
	    json_str(f, "message"));
	json_object_put(root);
	run_result_free(&r);
	free(p);
}

Test(sha1, sunset_boundary_is_inclusive)
{
	/* notAfter one second before the sunset: not flagged. */
	expect_chain("chains/sha1-before-sunset.pem", "2015-06-01T00:00:00Z",
	    NULL, 0, "", 1);
	/* notAfter exactly at the sunset: flagged. */
	expect_chain("chains/sha1-at-sunset.pem", "2015-06-01T00:00:00Z",
	    NULL, 1, "sha1-only-link", 1);
	expect_chain("chains/sha1-at-sunset.pem", "2015-06-01T00:00:00Z",
	    (const char *const[]){ "--sha1-sunset", "never", NULL }, 0, "", 1);
	expect_chain("chains/sha1-before-sunset.pem", "2015-06-01T00:00:00Z",
	    (const char *const[]){ "--sha1-sunset", "2015-01-01", NULL }, 1,
	    "sha1-only-link", 1);
}

Test(sha1, corrupt_copy_loses_to_good_weaker_copy)
{
	struct run_result r;
	struct json_object *root, *t, *path, *links, *l, *cands, *c;
	size_t i, failed = 0;

	expect_chain("chains/badsig-one-copy.pem", AT_2016, NULL, 1,
	    "sha1-only-link", 1);
	root = audit_fixture(&r, "chains/badsig-one-copy.pem", AT_2016, NULL,
	    &t);
	cr_assert(json_object_object_get_ex(t, "path", &path));
	cr_assert(json_object_object_get_ex(path, "links", &links));
	l = json_object_array_get_idx(links, 1);
	cr_expect_str_eq(json_str(l, "signature_algorithm"), "RSA-SHA1");
	cr_assert(json_object_object_get_ex(l, "candidates", &cands));
	cr_expect_eq(json_object_array_length(cands), 2);
	for (i = 0; i < json_object_array_length(cands); i++) {
		c = json_object_array_get_idx(cands, i);
		if (strcmp(json_str(c, "status"), "failed") == 0) {
			failed++;
			cr_expect_str_eq(json_str(c, "signature_algorithm"),
			    "RSA-SHA256");
			cr_expect(!jbool(c, "chosen"));
		}
	}
	cr_expect_eq(failed, 1);
	json_object_put(root);
	run_result_free(&r);
}

/* Subjects of the chosen path's nodes, joined by " > ". */
static void
path_subjects(struct json_object *t, char *buf, size_t len)
{
	struct json_object *path, *nodes;
	size_t i;

	buf[0] = '\0';
	cr_assert(json_object_object_get_ex(t, "path", &path));
	cr_assert(json_object_object_get_ex(path, "nodes", &nodes));
	for (i = 0; i < json_object_array_length(nodes); i++) {
		if (i > 0)
			strncat(buf, " > ", len - strlen(buf) - 1);
		strncat(buf, json_str(json_object_array_get_idx(nodes, i),
		    "subject"), len - strlen(buf) - 1);
	}
}

static void
nss_case(const char *const *roots, size_t nroots, const char *codes,
    const char *subjects)
{
	const char *argv[MAX_ARGS];
	char *paths[4], *chain, got[1024];
	struct run_result r;
	struct json_object *root, *t;
	size_t n = 0, i;

	argv[n++] = "--no-system-ca";
	for (i = 0; i < nroots; i++) {
		paths[i] = strdup(fixture_path(roots[i]));
		argv[n++] = "--ca-file";
		argv[n++] = paths[i];
	}
	chain = strdup(fixture_path("chains/nss-shape.pem"));
	argv[n++] = "--at";
	argv[n++] = AT_2016;
	argv[n++] = "--format";
	argv[n++] = "json";
	argv[n++] = chain;
	argv[n] = NULL;
	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	t = json_target(root, "nss-shape.pem");
	cr_assert_not_null(t);
	codes_of(t, got, sizeof(got));
	cr_expect_str_eq(got, codes);
	path_subjects(t, got, sizeof(got));
	cr_expect_str_eq(got, subjects);
	cr_expect(jbool(t, "trusted"));
	json_object_put(root);
	run_result_free(&r);
	for (i = 0; i < nroots; i++)
		free(paths[i]);
	free(chain);
}

#define NSS_LEAF "CN=nss.example.test"
#define NSS_INT "CN=Chainaudit Test Intermediate RSA,O=Chainaudit Fixtures"
#define NSS_ROOT "CN=Chainaudit Test Root RSA,O=Chainaudit Fixtures"
#define NSS_OLD "CN=Chainaudit Test Old Root,O=Chainaudit Fixtures"

/*
 * The 2015 NSS bug: the server sends the new root cross-signed by an old
 * root with SHA-1.  With both roots trusted the short SHA-256 path must
 * win and nothing is flagged; with only the old root, the SHA-1
 * cross-sign is the only way and is flagged.
 */
Test(sha1, nss_3_17_4_shape)
{
	const char *both[] = { "ca/root-old.pem", "ca/root-rsa.pem" };
	const char *both_rev[] = { "ca/root-rsa.pem", "ca/root-old.pem" };
	const char *old[] = { "ca/root-old.pem" };

	nss_case(both, 2, "",
	    NSS_LEAF " > " NSS_INT " > " NSS_ROOT);
	nss_case(both_rev, 2, "",
	    NSS_LEAF " > " NSS_INT " > " NSS_ROOT);
	nss_case(old, 1, "sha1-only-link",
	    NSS_LEAF " > " NSS_INT " > " NSS_ROOT " > " NSS_OLD);
}

/* ---- bundles ---------------------------------------------------------- */

Test(bundle, ca_only_file_is_audited_certificate_by_certificate)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL,
	    "--ca-file", NULL, "--at", AT_2016, "--format", "json", NULL,
	    NULL };
	struct run_result r;
	struct json_object *root, *targets;
	char *a = strdup(fixture_path("ca/root-rsa.pem"));
	char *b = strdup(fixture_path("ca/root-ec.pem"));
	char *f = strdup(fixture_path("chains/bundle-cas.pem"));
	int i;

	argv[2] = a;
	argv[4] = b;
	argv[9] = f;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "targets", &targets));
	cr_expect_eq(json_object_array_length(targets), 4);
	for (i = 1; i <= 4; i++) {
		char suffix[64];
		struct json_object *t;

		snprintf(suffix, sizeof(suffix), "bundle-cas.pem#%d", i);
		t = json_target(root, suffix);
		cr_assert_not_null(t, "no %s", suffix);
		cr_expect(jbool(t, "trusted"), "%s trusted", suffix);
		cr_expect(jbool(t, "bundle_entry"));
	}
	json_object_put(root);
	run_result_free(&r);
	free(a);
	free(b);
	free(f);
}

Test(bundle, forced_bundle_mode_on_a_chain)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT_2016, "--format", "json", "--bundle", NULL, NULL };
	struct run_result r;
	struct json_object *root, *targets, *t;
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	char *f = strdup(fixture_path("chains/good-rsa.pem"));

	argv[2] = ca;
	argv[8] = f;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 0, "stderr: %s", r.err);
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "targets", &targets));
	cr_expect_eq(json_object_array_length(targets), 2);
	/* The leaf alone still finds its issuer among the bundle's others. */
	t = json_target(root, "good-rsa.pem#1");
	cr_assert_not_null(t);
	cr_expect(jbool(t, "trusted"));
	cr_expect_not_null(json_target(root, "good-rsa.pem#2"));
	json_object_put(root);
	run_result_free(&r);
	free(ca);
	free(f);
}

/*
 * Write n self-signed CA certificates sharing one subject, each with a
 * key of its own, to a new PEM file under $TMPDIR; returns its path
 * (owned, the caller unlinks it).  Every entry names every other as its
 * issuer, and no other's key verifies it.
 */
static char *
same_name_bundle_tmp(unsigned n)
{
	const char *tmpdir = getenv("TMPDIR");
	gnutls_x509_privkey_t key;
	gnutls_datum_t der, pem;
	struct der_blob b;
	char *path;
	unsigned i;
	FILE *fp;
	int fd;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	cr_assert(asprintf(&path, "%s/chainaudit-bundle-XXXXXX.pem",
	    tmpdir) > 0);
	cr_assert((fd = mkstemps(path, 4)) != -1, "mkstemps %s", path);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	for (i = 0; i < n; i++) {
		key = certkit_key_new(CERTKIT_P256);
		b = certkit_der(&(struct certkit){
		    .cn = "Chainaudit Same Name CA", .key = key, .ca = 1,
		    .serial = 0x01000000 + i });
		der.data = b.der;
		der.size = (unsigned)b.len;
		cr_assert(gnutls_pem_base64_encode2("CERTIFICATE", &der,
		    &pem) == 0);
		cr_assert(fwrite(pem.data, 1, pem.size, fp) == pem.size);
		gnutls_free(pem.data);
		free(b.der);
		gnutls_x509_privkey_deinit(key);
	}
	cr_assert(fclose(fp) == 0);
	return path;
}

/*
 * 300 CAs with one name: each entry would verify against the 299 others,
 * 89,700 verifications in all.  The entries share one budget, so the
 * first ones are searched in full and the last ones stop at once, say
 * so, and are still reported.
 */
Test(bundle, entries_share_one_signature_check_budget)
{
	const char *argv[] = { "--no-system-ca", "--at", AT_2016, "--format",
	    "json", NULL, NULL };
	struct run_result r;
	struct json_object *root, *targets, *first, *last, *path, *v;
	struct timespec t0, t1;
	char *f = same_name_bundle_tmp(300);
	size_t i, limited = 0;
	double secs;

	argv[5] = f;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_chainaudit(&r, argv, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* A guard against a hang, not a performance claim. */
	cr_expect_lt(secs, 60.0, "300 entries took %.1f s", secs);
	cr_expect_eq(r.status, 1, "stderr: %s", r.err);
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "targets", &targets));
	cr_expect_eq(json_object_array_length(targets), 300);
	for (i = 0; i < json_object_array_length(targets); i++) {
		v = json_object_array_get_idx(targets, i);
		cr_expect(jbool(v, "bundle_entry"));
		limited += json_has_finding(v, "path-search-limit");
	}
	first = json_target(root, "#1");
	last = json_target(root, "#300");
	cr_assert_not_null(first);
	cr_assert_not_null(last);
	cr_expect(!json_has_finding(first, "path-search-limit"));
	cr_expect(json_object_object_get_ex(first, "path", &path) &&
	    json_object_object_get_ex(path, "signature_checks", &v) &&
	    json_object_get_int(v) == 299, "the first entry is searched in "
	    "full");
	cr_expect(json_has_finding(last, "path-search-limit"));
	cr_expect(json_object_object_get_ex(last, "path", &path) &&
	    json_object_object_get_ex(path, "search_capped", &v) &&
	    json_object_get_boolean(v));
	cr_expect_gt(limited, 100, "only %zu entries hit the budget", limited);
	json_object_put(root);
	run_result_free(&r);
	unlink(f);
	free(f);
}

/* ---- bad input: one line naming the input, exit 2, nothing lost ------- */

static void
expect_bad(const char *bad, const char *reason)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT_2016, "--format", "json", NULL, NULL, NULL };
	struct run_result r;
	struct json_object *root, *t;
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	char *b = strdup(fixture_path(bad));
	char *g = strdup(fixture_path("chains/good-rsa.pem"));
	char line[1024];

	argv[2] = ca;
	argv[7] = b;
	argv[8] = g;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2, "%s: exit %d", bad, r.status);
	snprintf(line, sizeof(line), "chainaudit: %s: ", b);
	cr_expect(strncmp(r.err, line, strlen(line)) == 0,
	    "%s: stderr does not start with the input's name: %s", bad, r.err);
	cr_expect(strstr(r.err, reason) != NULL, "%s: stderr lacks '%s': %s",
	    bad, reason, r.err);
	/* One line per problem, nothing else on stderr. */
	cr_expect_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
	    "%s: more than one stderr line: %s", bad, r.err);
	root = run_json(&r);
	t = json_target(root, "chains/good-rsa.pem");
	cr_assert_not_null(t, "%s: the good input was not reported", bad);
	cr_expect_str_eq(json_str(t, "verdict"), "pass");
	t = json_target(root, bad);
	cr_assert_not_null(t, "%s: the bad input is not in the report", bad);
	json_object_put(root);
	run_result_free(&r);
	free(ca);
	free(b);
	free(g);
}

Test(bad_input, each_bad_file_is_named_and_the_rest_reported)
{
	expect_bad("bad/truncated.pem", "truncated PEM block");
	expect_bad("bad/garbage.bin", "not a certificate");
	expect_bad("bad/garbage.der", "certificate #1");
	expect_bad("bad/empty.pem", "empty input");
	expect_bad("bad/trailing-garbage.pem", "PEM block 2");
	expect_bad("bad/bad-extension.pem", "certificate #1");
	expect_bad("bad/no-certs", "no certificate files");
}

Test(bad_input, trailing_garbage_keeps_the_good_certificate)
{
	struct run_result r;
	struct json_object *root, *t, *certs;

	root = audit_fixture(&r, "bad/trailing-garbage.pem", AT_2016, NULL,
	    &t);
	cr_expect_eq(r.status, 2);
	cr_assert(json_object_object_get_ex(t, "certificates", &certs));
	cr_expect_geq(json_object_array_length(certs), 1);
	cr_expect(json_has_finding(t, "unparseable"));
	json_object_put(root);
	run_result_free(&r);
}

Test(bad_input, missing_file)
{
	const char *argv[] = { "--no-system-ca", "/nonexistent/chain.pem",
	    NULL };
	struct run_result r;

	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "/nonexistent/chain.pem: ") != NULL, "%s",
	    r.err);
	run_result_free(&r);
}

/* ---- command line ----------------------------------------------------- */

Test(cli, stdin_input)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT_2016, "--format", "json", "-", NULL };
	struct run_result r;
	struct json_object *root, *t;
	unsigned char *pem;
	size_t len;
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));

	argv[2] = ca;
	pem = fixture_read("chains/good-rsa.pem", &len);
	run_chainaudit(&r, argv, (const char *)pem);
	cr_expect_eq(r.status, 0, "%s", r.err);
	root = run_json(&r);
	t = json_target(root, "(stdin)");
	cr_assert_not_null(t);
	cr_expect(jbool(t, "trusted"));
	json_object_put(root);
	run_result_free(&r);
	free(pem);
	free(ca);
}

Test(cli, usage_errors_exit_2_and_name_every_problem)
{
	const char *argv[] = { "--at", "yesterday", "--format", "yaml",
	    "--fail-on", "sometimes", "x.pem", NULL };
	struct run_result r;

	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--at") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "--format") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "--fail-on") != NULL, "%s", r.err);
	cr_expect_eq(r.outlen, 0);
	run_result_free(&r);
}

/*
 * --db reads its targets from the database: operands and --hosts are
 * usage errors, named together with every other one, before anything
 * (the database included) is opened.
 */
Test(cli, db_refuses_other_inputs)
{
	char dir[] = "/tmp/chainaudit-e2e-XXXXXX", db[256], hosts[256];
	const char *argv[] = { "--db", NULL, "--hosts", NULL, "--format",
	    "yaml", "x.pem", NULL };
	struct run_result r;
	struct stat st;
	FILE *fp;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/scan.db", dir);
	snprintf(hosts, sizeof(hosts), "%s/hosts.txt", dir);
	cr_assert_not_null(fp = fopen(hosts, "w"));
	fputs("example.test\n", fp);
	cr_assert(fclose(fp) == 0);
	argv[1] = db;
	argv[3] = hosts;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--hosts: --db reads its targets from the "
	    "database") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "--db reads its chains from the database: "
	    "give no FILE") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "--format") != NULL, "%s", r.err);
	cr_expect_eq(r.outlen, 0, "%s", r.out);
	run_result_free(&r);

	/* --hosts alone with --db, and with --db --live. */
	argv[4] = NULL;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--hosts: --db") != NULL, "%s", r.err);
	cr_expect_eq(r.outlen, 0, "%s", r.out);
	run_result_free(&r);
	argv[4] = "--live";
	argv[5] = NULL;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--hosts: --db") != NULL, "%s", r.err);
	run_result_free(&r);
	cr_expect(stat(db, &st) == -1, "the database was created");
	unlink(hosts);
	cr_expect(rmdir(dir) == 0, "files left in %s", dir);
}

/* --help names every exit status the manual's EXIT STATUS does. */
Test(cli, help_lists_every_exit_status)
{
	const char *argv[] = { "--help", NULL };
	struct run_result r;

	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "Exit status: 0 clean, 1 a finding at or "
	    "above --fail-on") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\n130, 143 a --db scan stopped by SIGINT or "
	    "SIGTERM; its committed\nresults are kept and --resume "
	    "continues it.\n") != NULL, "%s", r.out);
	run_result_free(&r);
}

Test(cli, explain)
{
	const char *ok[] = { "--explain", "sha1-only-link", NULL };
	const char *bad[] = { "--explain", "no-such-code", NULL };
	struct run_result r;

	run_chainaudit(&r, ok, NULL);
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "sha1-only-link (error)") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "Fix:") != NULL);
	run_result_free(&r);
	run_chainaudit(&r, bad, NULL);
	cr_expect_eq(r.status, 2);
	run_result_free(&r);
}

Test(cli, output_file_is_written_atomically)
{
	char dir[] = "/tmp/chainaudit-e2e-XXXXXX", out[256], bad[256];
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT_2016, "--format", "json", "--output", NULL, NULL, NULL };
	struct run_result r;
	struct stat st;
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	char *g = strdup(fixture_path("chains/good-rsa.pem"));

	cr_assert_not_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/report.json", dir);
	argv[2] = ca;
	argv[8] = out;
	argv[9] = g;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_eq(r.outlen, 0, "stdout should be empty with --output");
	cr_expect(stat(out, &st) == 0 && st.st_size > 0);
	run_result_free(&r);
	unlink(out);

	/* A missing directory: error, exit 2, nothing left behind. */
	snprintf(bad, sizeof(bad), "%s/missing/report.json", dir);
	argv[8] = bad;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, bad) != NULL, "%s", r.err);
	run_result_free(&r);
	cr_expect(rmdir(dir) == 0, "temporary files left in %s", dir);
	free(ca);
	free(g);
}

Test(cli, colour_only_when_asked_and_never_with_no_color)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT_2016, "--color", "always", NULL, NULL };
	struct run_result r;
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	char *g = strdup(fixture_path("chains/expired.pem"));

	argv[2] = ca;
	argv[7] = g;
	run_chainaudit(&r, argv, NULL);
	cr_expect(strchr(r.out, '\033') != NULL, "--color always: no colour");
	run_result_free(&r);
	argv[6] = "auto";
	run_chainaudit(&r, argv, NULL);	/* stdout is a pipe */
	cr_expect(strchr(r.out, '\033') == NULL, "colour on a pipe");
	run_result_free(&r);
	setenv("NO_COLOR", "1", 1);
	run_chainaudit(&r, argv, NULL);
	cr_expect(strchr(r.out, '\033') == NULL, "colour with NO_COLOR");
	run_result_free(&r);
	unsetenv("NO_COLOR");
	free(ca);
	free(g);
}

Test(bad_input, unusable_trust_file_stops_the_run_before_auditing)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, NULL,
	    NULL };
	struct run_result r;
	char *bad = strdup(fixture_path("bad/garbage.der"));
	char *g = strdup(fixture_path("chains/good-rsa.pem"));

	argv[2] = bad;
	argv[3] = g;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "garbage.der: ") != NULL, "%s", r.err);
	run_result_free(&r);
	free(bad);
	free(g);
}

Test(bad_input, bad_blocks_in_a_usable_trust_file_are_reported)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT_2016, "--intermediates", NULL, NULL, NULL };
	struct run_result r;
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	char *bad = strdup(fixture_path("bad/trailing-garbage.pem"));
	char *g = strdup(fixture_path("chains/good-rsa.pem"));

	argv[2] = ca;
	argv[6] = bad;
	argv[7] = g;
	run_chainaudit(&r, argv, NULL);
	/* The good chain is still audited; the bad block makes it 2. */
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "trailing-garbage.pem: 1 certificate could "
	    "not be parsed") != NULL, "%s", r.err);
	cr_expect(strstr(r.out, "good-rsa.pem: PASS") != NULL, "%s", r.out);
	run_result_free(&r);
	free(ca);
	free(bad);
	free(g);
}

Test(cli, verdict_follows_fail_on_in_every_format)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT_2016, "--fail-on", "warning", NULL, NULL, NULL };
	struct run_result r;
	struct json_object *root, *t;
	char *ca = strdup(fixture_path("ca/root-rsa.pem"));
	char *f = strdup(fixture_path("chains/expiring-soon.pem"));

	argv[2] = ca;
	argv[7] = f;
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 1);
	cr_expect(strstr(r.out, "expiring-soon.pem: FAIL") != NULL, "%s",
	    r.out);
	run_result_free(&r);
	argv[7] = "--format=json";
	argv[8] = f;
	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	t = json_target(root, "expiring-soon.pem");
	cr_assert_not_null(t);
	cr_expect_str_eq(json_str(t, "verdict"), "fail");
	json_object_put(root);
	run_result_free(&r);
	free(ca);
	free(f);
}

/* ---- never write over what is read (issue 17) -------------------------- */

/* A copy of fixture rel in a new temporary file; its path, owned. */
static char *
fixture_copy(const char *rel)
{
	unsigned char *buf;
	char *path;
	size_t len;
	FILE *fp;
	int fd;

	buf = fixture_read(rel, &len);
	cr_assert_not_null(path = strdup("/tmp/chainaudit-input-XXXXXX"));
	cr_assert((fd = mkstemp(path)) >= 0);
	cr_assert_not_null(fp = fdopen(fd, "wb"));
	cr_assert_eq(fwrite(buf, 1, len, fp), len);
	cr_assert(fclose(fp) == 0);
	free(buf);
	return path;
}

/* The file at path still holds exactly fixture rel. */
static void
expect_unchanged(const char *path, const char *rel)
{
	unsigned char *want, *got;
	size_t wlen, glen;
	char err[ERRBUF_LEN];

	want = fixture_read(rel, &wlen);
	cr_assert(file_read_all(path, &got, &glen, err, sizeof(err)) == 0,
	    "%s: %s", path, err);
	cr_expect(wlen == glen && memcmp(want, got, wlen) == 0,
	    "%s was changed", path);
	free(want);
	free(got);
}

Test(outputs, a_report_over_an_input_is_refused_and_nothing_touched)
{
	struct run_result r;
	char *chain = fixture_copy("chains/good-rsa.pem");
	char *root = fixture_copy("ca/root-rsa.pem");
	char link[256], rep[300];
	const char *over_chain[] = { "--no-system-ca", "--ca-file", root,
	    "--at", "2016-03-01T00:00:00Z", "-o", chain, chain, NULL };
	const char *over_ca[] = { "--no-system-ca", "--ca-file", root,
	    "--at", "2016-03-01T00:00:00Z", "--report", rep, chain, NULL };

	run_chainaudit(&r, over_chain, NULL);
	cr_expect_eq(r.status, 2, "exit %d", r.status);
	cr_expect(strstr(r.err, "refusing to write the report over an "
	    "input") != NULL, "%s", r.err);
	cr_expect_eq(r.outlen, 0, "a report was written: %s", r.out);
	expect_unchanged(chain, "chains/good-rsa.pem");
	run_result_free(&r);

	/* Another name for the trust file, through a link, as --report. */
	snprintf(link, sizeof(link), "%s.link", root);
	cr_assert(symlink(root, link) == 0);
	snprintf(rep, sizeof(rep), "json:%s", link);
	run_chainaudit(&r, over_ca, NULL);
	cr_expect_eq(r.status, 2, "exit %d", r.status);
	expect_unchanged(root, "ca/root-rsa.pem");
	run_result_free(&r);

	unlink(link);
	unlink(chain);
	unlink(root);
	free(chain);
	free(root);
}

/* --profile and --max-depth take what they name, and nothing else. */
Test(bad_input, profile_and_max_depth_values)
{
	static const char *const bad[][2] = {
		{ "--profile", "cabf" },
		{ "--max-depth", "-1" },
		{ "--max-depth", "two" },
	};
	const char *argv[] = { "--no-system-ca", NULL, NULL,
	    fixture_path("chains/good-rsa.pem"), NULL };
	struct run_result r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		argv[1] = bad[i][0];
		argv[2] = bad[i][1];
		run_chainaudit(&r, argv, NULL);
		cr_expect_eq(r.status, 2, "%s %s: exit %d", bad[i][0],
		    bad[i][1], r.status);
		cr_expect(strstr(r.err, bad[i][0]) != NULL, "%s", r.err);
		run_result_free(&r);
	}
}

/* ---- what to do ------------------------------------------------------- */

/*
 * The first finding with code in the JSON report of a run with argv:
 * its fix and deadline into the buffers ("" for a null deadline).
 */
static void
fix_of(const char *const *argv, const char *code, char *fix, size_t fixlen,
    char *deadline, size_t dlen)
{
	struct run_result r;
	struct json_object *root, *ts, *fs, *f, *v;
	size_t i, k;

	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	cr_assert(json_object_object_get_ex(root, "targets", &ts));
	fix[0] = deadline[0] = '\0';
	for (i = 0; i < json_object_array_length(ts) && fix[0] == '\0'; i++) {
		cr_assert(json_object_object_get_ex(
		    json_object_array_get_idx(ts, i), "findings", &fs));
		for (k = 0; k < json_object_array_length(fs); k++) {
			f = json_object_array_get_idx(fs, k);
			if (strcmp(json_str(f, "code"), code) != 0)
				continue;
			snprintf(fix, fixlen, "%s", json_str(f, "fix"));
			cr_assert(json_object_object_get_ex(f, "deadline", &v));
			snprintf(deadline, dlen, "%s", v != NULL ?
			    json_object_get_string(v) : "");
			break;
		}
	}
	cr_assert(fix[0] != '\0', "no %s finding in:\n%s", code, r.out);
	json_object_put(root);
	run_result_free(&r);
}

/*
 * An intermediate the server did not send is the server's to fix; a
 * public root the audit's own store lacks is not; a private root is the
 * certificate's.  Each says so, naming the certificate.
 */
Test(fix, each_cause_says_what_to_do)
{
	char leaf[1024], isrg[1024], fix[2048], dl[64];
	const char *argv[12];

	snprintf(leaf, sizeof(leaf), "%s",
	    fixture_path("real/letsencrypt-cryptography.io-leaf.pem"));
	snprintf(isrg, sizeof(isrg), "%s", fixture_path("real/isrg-root-x1.pem"));
	argv[0] = "--at";
	argv[1] = "2023-06-01T00:00:00Z";
	argv[2] = "--format";
	argv[3] = "json";
	argv[4] = "--no-system-ca";
	argv[5] = "--ca-file";
	argv[6] = isrg;
	argv[7] = leaf;
	argv[8] = NULL;
	fix_of(argv, "incomplete-chain", fix, sizeof(fix), dl, sizeof(dl));
	cr_expect(strstr(fix, "Serve the intermediate R3 (SHA-256 67add116") ==
	    fix, "unsent intermediate: %s", fix);
	cr_expect(strstr(fix, "http://r3.i.lencr.org/") != NULL, "%s", fix);

	/* No trust store: ISRG's chain ends at a public root we lack. */
	argv[4] = "--no-system-ca";
	argv[5] = leaf;
	argv[6] = NULL;
	fix_of(argv, "untrusted-root", fix, sizeof(fix), dl, sizeof(dl));
	cr_expect(strstr(fix, "Nothing to change on the server") == fix,
	    "public root: %s", fix);

	/* The fixture root, sent but trusted by nobody: a private CA. */
	snprintf(leaf, sizeof(leaf), "%s", fixture_path("chains/with-root.pem"));
	argv[1] = "2016-03-01T00:00:00Z";
	fix_of(argv, "untrusted-root", fix, sizeof(fix), dl, sizeof(dl));
	cr_expect(strstr(fix, "Replace the certificate with one from a "
	    "publicly trusted CA: the root Chainaudit Test Root RSA") == fix,
	    "private root: %s", fix);
	cr_expect_str_eq(dl, "");
}

/* A dated finding carries its date: an expiry's is the notAfter. */
Test(fix, expiry_has_its_deadline_and_the_text_report_prints_fix)
{
	struct run_result r;
	char fix[2048], dl[64], chain[1024], root[1024];
	const char *argv[10];

	snprintf(chain, sizeof(chain), "%s",
	    fixture_path("chains/expiring-soon.pem"));
	snprintf(root, sizeof(root), "%s", fixture_path("ca/root-rsa.pem"));
	argv[0] = "--no-system-ca";
	argv[1] = "--ca-file";
	argv[2] = root;
	argv[3] = "--at";
	argv[4] = AT_2016;
	argv[5] = "--format";
	argv[6] = "json";
	argv[7] = chain;
	argv[8] = NULL;
	fix_of(argv, "expiring-soon", fix, sizeof(fix), dl, sizeof(dl));
	cr_expect_str_eq(dl, "2016-03-15T00:00:00Z");
	cr_expect(strstr(fix, "Renew the certificate soon.example.test "
	    "(SHA-256 ") == fix, "%s", fix);
	argv[6] = "text";
	run_chainaudit(&r, argv, NULL);
	cr_expect(strstr(r.out, "\n           fix: Renew the certificate "
	    "soon.example.test") != NULL, "%s", r.out);
	run_result_free(&r);
}

/* ---- paper cuts ------------------------------------------------------- */

Test(cli, list_findings_is_the_catalog)
{
	struct run_result r;

	run_chainaudit(&r, (const char *const[]){ "--list-findings", NULL },
	    NULL);
	cr_expect_eq(r.status, 0);
	cr_expect(strstr(r.out, "expired                      error    "
	    "Certificate has expired\n") == r.out, "%s", r.out);
	cr_expect(strstr(r.out, "\nexpiring-soon                warning  ") !=
	    NULL, "%s", r.out);
	cr_expect(strstr(r.out, "\nunnecessary-root             info     ") !=
	    NULL, "%s", r.out);
	run_result_free(&r);
}

/* A typo gets a suggestion; something far from any name gets none. */
Test(cli, did_you_mean)
{
	struct run_result r;

	run_chainaudit(&r, (const char *const[]){ "--fromat=json", "x.pem",
	    NULL }, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "unknown option '--fromat=json'; did you mean "
	    "--format?\n") != NULL, "%s", r.err);
	run_result_free(&r);
	run_chainaudit(&r, (const char *const[]){ "-f", "sarfi", "x.pem",
	    NULL }, NULL);
	cr_expect(strstr(r.err, "; did you mean sarif?\n") != NULL, "%s",
	    r.err);
	run_result_free(&r);
	run_chainaudit(&r, (const char *const[]){ "--explain", "expird",
	    NULL }, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "did you mean expired?") != NULL, "%s", r.err);
	run_result_free(&r);
	run_chainaudit(&r, (const char *const[]){ "--zzzzzzzz", "x.pem",
	    NULL }, NULL);
	cr_expect(strstr(r.err, "unknown option '--zzzzzzzz'\n") != NULL,
	    "%s", r.err);
	cr_expect_null(strstr(r.err, "did you mean"));
	run_result_free(&r);
}

/* The bash completion offers what the program says it takes. */
Test(cli, bash_completion)
{
	struct run_result r;
	char script[4096], dir[2048], *slash;
	const char *src = getenv("CHAINAUDIT_SRCDIR"), *bin;

	bin = getenv("CHAINAUDIT_BIN");
	cr_assert_not_null(bin);
	snprintf(dir, sizeof(dir), "%s", bin);
	cr_assert_not_null(slash = strrchr(dir, '/'));
	*slash = '\0';
	/* The program is chainaudit on PATH, as once installed. */
	snprintf(script, sizeof(script), "PATH='%s':$PATH; "
	    ". '%s/completions/chainaudit.bash'; "
	    "c() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _chainaudit; "
	    "echo \"${COMPREPLY[*]}\"; }; "
	    "c chainaudit --not; c chainaudit -f prom; c chainaudit --explain "
	    "expi; c chainaudit --fail-on w", dir, src != NULL ? src : ".");
	run_program(&r, "bash", (const char *const[]){ "-c", script, NULL },
	    NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "--notify\nprometheus\nexpired expiring-soon\n"
	    "warning\n");
	run_result_free(&r);
}

/* A key in a chain file is named, as a warning; the chain still audits. */
Test(cli, private_key_in_a_chain_file_is_named)
{
	char path[] = "/tmp/chainaudit-key-XXXXXX", root[1024];
	unsigned char *chain, *key;
	size_t clen, klen;
	struct run_result r;
	struct json_object *doc, *t, *fs, *f;
	int fd;

	chain = fixture_read("chains/good-rsa.pem", &clen);
	key = fixture_read("keys/leaf-good.key", &klen);
	cr_assert_geq(fd = mkstemp(path), 0);
	cr_assert_eq(write(fd, chain, clen), (ssize_t)clen);
	cr_assert_eq(write(fd, key, klen), (ssize_t)klen);
	close(fd);
	free(chain);
	free(key);
	snprintf(root, sizeof(root), "%s", fixture_path("ca/root-rsa.pem"));
	run_chainaudit(&r, (const char *const[]){ "--no-system-ca",
	    "--ca-file", root, "--at", AT_2016, "-f", "json", "--fail-on",
	    "warning", path, NULL }, NULL);
	cr_expect_eq(r.status, 1, "%s", r.err);
	doc = run_json(&r);
	t = json_target(doc, path);
	cr_assert_not_null(t);
	cr_assert(json_object_object_get_ex(t, "findings", &fs));
	cr_assert_eq(json_object_array_length(fs), 1, "%s", r.out);
	f = json_object_array_get_idx(fs, 0);
	cr_expect_str_eq(json_str(f, "code"), "private-key-in-file");
	cr_expect_str_eq(json_str(f, "message"), "block 3 of the file is a "
	    "private key (RSA PRIVATE KEY): a key should not be in a "
	    "certificate file or bundle");
	cr_expect(jbool(t, "trusted"));
	json_object_put(doc);
	run_result_free(&r);
	unlink(path);
}

/* The bytes of path (owned), or NULL when it cannot be read. */
static char *
file_bytes(const char *path, size_t *len)
{
	unsigned char *buf;
	char err[256];

	if (file_read_all(path, &buf, len, err, sizeof(err)) < 0)
		return NULL;
	return (char *)buf;
}

/*
 * A --db that cannot be scanned (missing, no domain table, a query that
 * does not read) says so in one line and nothing else, in every format:
 * no "0 targets", no empty report, no -o file; and nothing the user owns
 * changes: the --db, an existing -o file, a --results file (neither
 * made nor given tables when missing or empty, kept byte for byte when
 * it holds scans).
 */
Test(bad_input, a_refused_db_says_one_line_and_changes_nothing)
{
	static const char *const fmts[] = { "text", "json", "csv", "sarif" };
	char dir[1024], db[1100], empty[1100], res[1100], out[1100];
	char *before, *after;
	size_t i, blen, alen;
	struct run_result r;
	sqlite3 *h;
	FILE *fp;

	tmpdir_make(dir, sizeof(dir), "refused");
	snprintf(db, sizeof(db), "%s/missing.db", dir);
	snprintf(empty, sizeof(empty), "%s/empty.db", dir);
	snprintf(res, sizeof(res), "%s/results.db", dir);
	snprintf(out, sizeof(out), "%s/report.out", dir);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		run_chainaudit(&r, (const char *const[]){ "--db", db, "-f",
		    fmts[i], NULL }, NULL);
		cr_expect_eq(r.status, 2, "%s", fmts[i]);
		cr_expect_eq(r.outlen, 0, "%s: %s", fmts[i], r.out);
		cr_expect(strstr(r.err, "missing.db: unable to open") != NULL &&
		    strchr(r.err, '\n') == r.err + r.errlen - 1, "%s: %s",
		    fmts[i], r.err);
		run_result_free(&r);
		run_chainaudit(&r, (const char *const[]){ "--db", db, "-f",
		    fmts[i], "-o", out, NULL }, NULL);
		cr_expect_eq(r.status, 2);
		cr_expect(access(out, F_OK) < 0, "%s: %s made", fmts[i], out);
		run_result_free(&r);
	}
	/* An existing report file is kept. */
	cr_assert_not_null(fp = fopen(out, "w"));
	fputs("mine\n", fp);
	cr_assert_eq(fclose(fp), 0);
	run_chainaudit(&r, (const char *const[]){ "--db", db, "-o", out,
	    NULL }, NULL);
	cr_expect_eq(r.status, 2);
	run_result_free(&r);
	cr_expect_str_eq(before = file_bytes(out, &blen), "mine\n");
	free(before);

	/* No domain table: neither database is touched or made. */
	h = db_open_rw(empty);
	db_exec(h, "CREATE TABLE mine (a)");
	sqlite3_close(h);
	before = file_bytes(empty, &blen);
	run_chainaudit(&r, (const char *const[]){ "--db", empty, "--results",
	    res, NULL }, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_eq(r.outlen, 0, "%s", r.out);
	cr_expect(strstr(r.err, "no table chainaudit_domains") != NULL, "%s",
	    r.err);
	run_result_free(&r);
	cr_expect(access(res, F_OK) < 0, "%s made", res);
	after = file_bytes(empty, &alen);
	cr_expect(blen == alen && memcmp(before, after, blen) == 0);
	free(before);
	free(after);

	/* An empty --results file stays empty. */
	cr_assert_not_null(fp = fopen(res, "w"));
	cr_assert_eq(fclose(fp), 0);
	run_chainaudit(&r, (const char *const[]){ "--db", empty, "--results",
	    res, "--db-query", "SELECT a FROM mine", NULL }, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect(strstr(r.err, "--db-query: returns 1 column") != NULL,
	    "%s", r.err);
	run_result_free(&r);
	after = file_bytes(res, &alen);
	cr_expect(after != NULL && alen == 0, "%s got %zu bytes", res, alen);
	free(after);

	/* A results file holding a scan is kept byte for byte. */
	h = db_open_rw(empty);
	db_exec(h, "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT, chain_pem TEXT, contact TEXT)");
	sqlite3_close(h);
	unlink(res);
	run_chainaudit(&r, (const char *const[]){ "--db", empty, "--results",
	    res, NULL }, NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "0 targets") != NULL, "an empty table is "
	    "scanned: %s", r.out);
	run_result_free(&r);
	before = file_bytes(res, &blen);
	cr_assert_not_null(before);
	run_chainaudit(&r, (const char *const[]){ "--db", empty, "--results",
	    res, "--db-query", "SELECT nothing FROM nowhere", NULL }, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_eq(r.outlen, 0, "%s", r.out);
	run_result_free(&r);
	after = file_bytes(res, &alen);
	cr_expect(after != NULL && blen == alen &&
	    memcmp(before, after, blen) == 0, "%s changed", res);
	free(before);
	free(after);
	tmpdir_remove(dir);
}
