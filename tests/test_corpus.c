/*
 * test_corpus.c: the known-CA corpus: its image (corrupt ones refused,
 * lookups by subject and key identifier) and what it changes for a leaf
 * served alone (the path, the incomplete-chain message, distrust).
 *
 * The image is the one the build made ($CHAINAUDIT_CORPUS_IMG); the real
 * certificates are copies in fixtures/real, so nothing here needs
 * ../shared.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>

#include "corpus.h"
#include "testlib.h"
#include "util.h"

#define AT_2016		"2016-03-01T00:00:00Z"
#define ARGS(...)	((const char *const[]){ __VA_ARGS__, NULL })
#define LE_LEAF		"real/letsencrypt-cryptography.io-leaf.pem"
#define ISRG_ROOT	"real/isrg-root-x1.pem"
#define WOSIGN_LEAF	"real/wosign-hycom.at-leaf.pem"
#define WOSIGN_ROOT	"real/wosign-root.pem"
/* R3, the Let's Encrypt intermediate the cryptography.io leaf needs. */
#define R3_SHA256 \
	"67add1166b020ae61b8f5fc96813c04c2aa589960796865572a3c7e737613dfd"
/* WoSign CA Free SSL Certificate G2, the hycom.at leaf's issuer. */
#define WOSIGN_G2_SHA256 \
	"41a235ab60f0643e752a2db4e914d68c0542167de9ca28df25fd79a693c29072"

static void
setup(void)
{
	gnutls_global_init();
}

static void
teardown(void)
{
	gnutls_global_deinit();
}

TestSuite(image, .init = setup, .fini = teardown);
TestSuite(leaf_alone);

/* The build's image, read into a new buffer. */
static unsigned char *
image_read(size_t *len)
{
	const char *path = getenv("CHAINAUDIT_CORPUS_IMG");
	unsigned char *buf;
	char err[ERRBUF_LEN];

	cr_assert_not_null(path, "CHAINAUDIT_CORPUS_IMG is not set");
	cr_assert(file_read_all(path, &buf, len, err, sizeof(err)) == 0,
	    "%s: %s", path, err);
	return buf;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* corpus_open must refuse img, saying why (want in the reason). */
static void
expect_refused(const unsigned char *img, size_t len, const char *want)
{
	char err[ERRBUF_LEN] = "";
	struct corpus *c;

	c = corpus_open(img, len, "test image", err, sizeof(err));
	cr_expect_null(c, "a corrupt image was accepted (want: %s)", want);
	corpus_free(c);
	cr_expect(strstr(err, want) != NULL, "reason '%s', want '%s'", err,
	    want);
}

Test(image, corrupt_images_are_refused_with_a_reason)
{
	unsigned char *img, *bad;
	size_t len;
	uint32_t count;

	img = image_read(&len);
	cr_assert_not_null(bad = malloc(len));
	count = get32(img + 12);

	expect_refused(img, 10, "not a known-CA corpus image");
	memcpy(bad, img, len);
	bad[0] ^= 0xff;
	expect_refused(bad, len, "not a known-CA corpus image");
	memcpy(bad, img, len);
	put32(bad + 8, 99);
	expect_refused(bad, len, "version 99");
	/* Cut inside the tables. */
	expect_refused(img, CORPUS_HEADER_LEN + 16, "truncated or corrupt");
	/* A record pointing past the end of the DER area. */
	memcpy(bad, img, len);
	put32(bad + get32(img + 16) + 8 * (count - 1), (uint32_t)len);
	expect_refused(bad, len, "lies outside the image");
	/* An index entry naming record count (one past the last). */
	memcpy(bad, img, len);
	put32(bad + get32(img + 20) + 4, count);
	expect_refused(bad, len, "names a certificate that does not exist");
	/* A count that makes the tables larger than the image. */
	memcpy(bad, img, len);
	put32(bad + 12, 0x7fffffff);
	expect_refused(bad, len, "truncated or corrupt");
	free(bad);
	free(img);
}

struct seen {
	const char	*want;	/* a SHA-256 hex */
	int		 found, n;
};

static int
count_cb(const struct trust_entry *e, void *arg)
{
	struct seen *s = arg;

	cr_expect_eq(e->kind, TRUST_CORPUS);
	s->n++;
	if (strcmp(e->cert->sha256_hex, s->want) == 0)
		s->found = 1;
	return 0;
}

Test(image, lookups_find_a_certificate_by_subject_and_by_key_identifier)
{
	unsigned char *img;
	struct corpus *c;
	struct cert *leaf;
	struct seen s = { WOSIGN_G2_SHA256, 0, 0 };
	size_t len, parsed, bad;
	char err[ERRBUF_LEN];

	img = image_read(&len);
	c = corpus_open(img, len, "test image", err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	cr_expect_gt(corpus_count(c), 10000);
	leaf = fixture_cert(WOSIGN_LEAF, 0);

	/* The leaf's issuer name finds its issuer, parsing only that. */
	corpus_each_subject(c, leaf->raw_issuer.data, leaf->raw_issuer.size,
	    count_cb, &s);
	cr_expect(s.found, "no WoSign G2 by subject");
	corpus_stats(c, &parsed, &bad);
	cr_expect_eq(parsed, (size_t)s.n, "%zu parsed for %d found", parsed,
	    s.n);
	cr_expect_eq(bad, 0);

	/* Its AKI finds the same certificate by key identifier. */
	memset(&s, 0, sizeof(s));
	s.want = WOSIGN_G2_SHA256;
	cr_assert_gt(leaf->aki_len, 0);
	corpus_each_keyid(c, leaf->aki, leaf->aki_len, count_cb, &s);
	cr_expect(s.found, "no WoSign G2 by key identifier");

	/* A name nobody has: nothing, and nothing more parsed. */
	memset(&s, 0, sizeof(s));
	s.want = "";
	corpus_each_subject(c, (const unsigned char *)"\x30\x00", 2, count_cb,
	    &s);
	cr_expect_eq(s.n, 0);

	cert_free(leaf);
	corpus_free(c);
	free(img);
}

/* Audit one fixture alone at at, JSON out, with extra arguments. */
static struct json_object *
audit_alone(struct run_result *r, const char *leaf, const char *at,
    const char *const *extra)
{
	const char *argv[16];
	char *lp;
	size_t n = 0, i;

	lp = strdup(fixture_path(leaf));
	argv[n++] = "--format";
	argv[n++] = "json";
	argv[n++] = "--no-system-ca";
	argv[n++] = "--at";
	argv[n++] = at;
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		argv[n++] = extra[i];
	argv[n++] = lp;
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
	free(lp);
	return run_json(r);
}

/* The message of the first finding with code in t, or "". */
static const char *
finding_message(struct json_object *t, const char *code)
{
	struct json_object *fs, *f, *v;
	size_t i;

	if (!json_object_object_get_ex(t, "findings", &fs))
		return "";
	for (i = 0; i < json_object_array_length(fs); i++) {
		f = json_object_array_get_idx(fs, i);
		if (json_object_object_get_ex(f, "code", &v) &&
		    strcmp(json_object_get_string(v), code) == 0 &&
		    json_object_object_get_ex(f, "message", &v))
			return json_object_get_string(v);
	}
	return "";
}

/* The origin of the certificate with sha256 in t's certificates, or "". */
static const char *
cert_origin(struct json_object *t, const char *sha256)
{
	struct json_object *cs, *c, *v;
	size_t i;

	if (!json_object_object_get_ex(t, "certificates", &cs))
		return "";
	for (i = 0; i < json_object_array_length(cs); i++) {
		c = json_object_array_get_idx(cs, i);
		if (json_object_object_get_ex(c, "sha256", &v) &&
		    strcmp(json_object_get_string(v), sha256) == 0 &&
		    json_object_object_get_ex(c, "origin", &v))
			return json_object_get_string(v);
	}
	return "";
}

static int
get_bool(struct json_object *t, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(t, key, &v), "no %s", key);
	return json_object_get_boolean(v);
}

Test(leaf_alone, the_corpus_completes_the_path_and_names_what_to_send)
{
	struct run_result r;
	struct json_object *root, *t;
	const char *msg;
	char isrg[4096];
	const char *extra[] = { "--ca-file", isrg, NULL };

	snprintf(isrg, sizeof(isrg), "%s", fixture_path(ISRG_ROOT));
	root = audit_alone(&r, LE_LEAF, "2023-07-01T00:00:00Z", extra);
	cr_assert_not_null(t = json_target(root, "cryptography.io-leaf.pem"));
	cr_expect(get_bool(t, "trusted"), "%s", r.out);
	cr_expect_eq(r.status, 1, "exit %d", r.status);
	cr_expect_str_eq(cert_origin(t, R3_SHA256), "known-cas");
	cr_expect_eq(json_count_finding(t, "incomplete-chain"), 1);
	msg = finding_message(t, "incomplete-chain");
	cr_expect(strstr(msg, "R3 was not sent") != NULL, "%s", msg);
	cr_expect(strstr(msg, R3_SHA256) != NULL, "%s", msg);
	cr_expect(strstr(msg, "http://r3.i.lencr.org/") != NULL, "%s", msg);
	json_object_put(root);
	run_result_free(&r);
}

Test(leaf_alone, without_the_corpus_no_issuer_is_found)
{
	struct run_result r;
	struct json_object *root, *t;
	char isrg[4096];
	const char *extra[] = { "--ca-file", isrg, "--no-known-intermediates",
	    NULL };

	snprintf(isrg, sizeof(isrg), "%s", fixture_path(ISRG_ROOT));
	root = audit_alone(&r, LE_LEAF, "2023-07-01T00:00:00Z", extra);
	cr_assert_not_null(t = json_target(root, "cryptography.io-leaf.pem"));
	cr_expect(!get_bool(t, "trusted"));
	cr_expect(strstr(finding_message(t, "incomplete-chain"),
	    "no issuer found") != NULL, "%s", r.out);
	cr_expect_str_eq(cert_origin(t, R3_SHA256), "");
	json_object_put(root);
	run_result_free(&r);
}

/*
 * The case: a hosting table holds a WoSign leaf alone.  With the
 * corpus the path reaches the WoSign root, a key match; without it, the
 * issuer's organisation still names WoSign.  Either way the customer is
 * told.
 */
Test(leaf_alone, a_wosign_leaf_is_flagged_with_and_without_the_corpus)
{
	struct run_result r;
	struct json_object *root, *t;
	const char *msg;
	char wroot[4096];
	const char *with[] = { "--ca-file", wroot, NULL };
	const char *without[] = { "--no-known-intermediates", NULL };

	snprintf(wroot, sizeof(wroot), "%s", fixture_path(WOSIGN_ROOT));
	root = audit_alone(&r, WOSIGN_LEAF, "2017-11-01T00:00:00Z", with);
	cr_assert_not_null(t = json_target(root, "hycom.at-leaf.pem"));
	msg = finding_message(t, "distrusted-issuer");
	cr_expect(strstr(msg, "is a key of WoSign") != NULL, "%s", r.out);
	cr_expect(get_bool(t, "trusted"), "%s", r.out);
	cr_expect_str_eq(cert_origin(t, WOSIGN_G2_SHA256), "known-cas");
	cr_expect(strstr(finding_message(t, "incomplete-chain"),
	    WOSIGN_G2_SHA256) != NULL, "%s", r.out);
	json_object_put(root);
	run_result_free(&r);

	root = audit_alone(&r, WOSIGN_LEAF, "2017-11-01T00:00:00Z", without);
	cr_assert_not_null(t = json_target(root, "hycom.at-leaf.pem"));
	msg = finding_message(t, "distrusted-issuer");
	cr_expect(strstr(msg, "matched by its issuer's organisation name "
	    "\"WoSign CA Limited\"") != NULL, "%s", r.out);
	cr_expect(!get_bool(t, "trusted"));
	json_object_put(root);
	run_result_free(&r);

	/* Before any vendor's decision took effect there is nothing to say. */
	root = audit_alone(&r, WOSIGN_LEAF, "2016-09-15T00:00:00Z", without);
	cr_assert_not_null(t = json_target(root, "hycom.at-leaf.pem"));
	cr_expect(!json_has_finding(t, "distrusted-issuer"), "%s", r.out);
	json_object_put(root);
	run_result_free(&r);
}

/*
 * A database scan names the program's corpus image by its SHA-256 in the
 * scan's options (and so in its policy_version): taken at build time,
 * it must be the image's own.
 */
Test(image, a_scan_names_the_image_by_its_sha256)
{
	const char *img = getenv("CHAINAUDIT_CORPUS_IMG");
	unsigned char *buf, h[SHA256_LEN];
	char dir[64], path[256], hex[SHA256_HEX_LEN], want[128], err[256];
	char *opts;
	struct run_result r;
	size_t len;

	cr_assert_not_null(img, "CHAINAUDIT_CORPUS_IMG is not set");
	cr_assert_eq(file_read_all(img, &buf, &len, err, sizeof(err)), 0,
	    "%s", err);
	sha256(buf, len, h);
	hex_encode(h, SHA256_LEN, hex);
	free(buf);
	tmpdir_make(dir, sizeof(dir), "corpus-hash");
	demo_db_make(path, sizeof(path), dir, "demo.db");
	run_demo_scan(&r, path, ARGS("--at", AT_2016, "-q"));
	/* 2: the demo's bad rows, each reported; the scan still runs. */
	cr_assert(r.status >= 0 && r.status <= 2, "scan: %d %s", r.status,
	    r.err);
	run_result_free(&r);
	opts = db_dump(path, "SELECT options FROM chainaudit_scans");
	snprintf(want, sizeof(want), "\nknown-CA corpus sha256:%s\n", hex);
	cr_expect(strstr(opts, want) != NULL, "want%s in:\n%s", want, opts);
	free(opts);
	tmpdir_remove(dir);
}
