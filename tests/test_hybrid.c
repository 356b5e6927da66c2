/*
 * test_hybrid.c: hybrid ("catalyst") certificates, whose X.509
 * alternative signature (ITU-T X.509 (10/2019) 9.8) is a second
 * candidate for the link it vouches for.
 *
 * The fixtures in fixtures/hybrid were made by fixtures/gen_hybrid.c,
 * which cuts the pre-TBS out of the TBSCertificate on its own: every
 * alternative signature that verifies here proves that src/asn1.c
 * rebuilds the same bytes the generator signed.  openssl and certtool
 * check independently that the fixtures are well-formed DER, and the
 * real-world chains of ../shared/data/hybrid (ML-DSA and Dilithium
 * alternative signatures, which this GnuTLS cannot verify) are read when
 * present.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <json-c/json.h>

#include "asn1.h"
#include "cert.h"
#include "certkit.h"
#include "judge.h"
#include "path.h"
#include "sig.h"
#include "trust.h"
#include "testlib.h"

#define AT_2016		"2016-03-01T00:00:00Z"
#define T2016		((time_t)1456790400)	/* 2016-03-01T00:00:00Z */
#define Y2015		((time_t)1420070400)
#define Y2035		((time_t)2051222400)

#define H_ROOT		"hybrid/root.pem"
#define H_INT		"hybrid/int.pem"
#define H_WEAK_PRIMARY	"hybrid/weak-primary-strong-alt.pem"
#define H_WEAK_ALT	"hybrid/strong-primary-weak-alt.pem"
#define H_CORRUPT	"hybrid/corrupt-alt.pem"
#define H_UNKNOWN	"hybrid/unknown-alt.pem"
#define H_MALFORMED	"hybrid/malformed-alt.pem"

static const char *const hybrid_files[] = {
	H_ROOT, H_INT, H_WEAK_PRIMARY, H_WEAK_ALT, H_CORRUPT, H_UNKNOWN,
	H_MALFORMED,
};
#define NHYBRID	(sizeof(hybrid_files) / sizeof(hybrid_files[0]))

/* What verification must not refuse: the same flags as src/sig.c. */
#define VERIFY_FLAGS	(GNUTLS_VERIFY_ALLOW_BROKEN | \
	GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1)

/* ---- unit level: parsing and verification ---------------------------- */

Test(hybrid, root_signs_itself_twice)
{
	struct cert *root = fixture_cert(H_ROOT, 0);

	cr_expect_str_eq(cert_subject(root),
	    "CN=Chainaudit Hybrid Root,O=Chainaudit Fixtures");
	cr_expect_str_eq(root->sig_name, "RSA-SHA256");
	cr_expect_str_eq(root->key_name, "RSA");
	cr_expect_eq(root->key_bits, 2048);
	cr_expect(root->alt_present);
	cr_expect_null(root->alt_error, "%s", root->alt_error);
	cr_expect_str_eq(root->alt_sig_name, "ECDSA-SHA384");
	cr_expect_str_eq(root->alt_sig_oid, "1.2.840.10045.4.3.3");
	cr_expect_eq(sig_alt_hash_strength(root).hash, HASH_STRONG);
	cr_expect(root->alt_key_present);
	cr_expect_str_eq(root->alt_key_name, "EC P-384");
	cr_expect_not_null(root->alt_pubkey);
	cr_expect_eq(sig_alt_key_strength(root), 192);
	cr_expect_eq(sig_verify(NULL, root, root), SIG_VERIFIED);
	cr_expect_eq(sig_verify_alt(NULL, root, root), SIG_VERIFIED);
	cert_free(root);
}

Test(hybrid, intermediate_weak_primary_strong_alternative)
{
	struct cert *root = fixture_cert(H_ROOT, 0);
	struct cert *in = fixture_cert(H_INT, 0);
	struct strength p, a;

	cr_expect_str_eq(cert_subject(in),
	    "CN=Chainaudit Hybrid Intermediate,O=Chainaudit Fixtures");
	cr_expect_str_eq(in->sig_name, "RSA-SHA1");
	cr_expect_eq(sig_hash_strength(in).hash, HASH_SHA1);
	cr_expect(in->alt_present);
	cr_expect_null(in->alt_error, "%s", in->alt_error);
	cr_expect_str_eq(in->alt_sig_name, "ECDSA-SHA384");
	cr_expect(in->alt_key_present);
	cr_expect_str_eq(in->alt_key_name, "EC P-256");
	cr_expect_eq(sig_verify(NULL, in, root), SIG_VERIFIED);
	cr_expect_eq(sig_verify_alt(NULL, in, root), SIG_VERIFIED);
	/* Its own alternative key did not make the signature. */
	cr_expect_eq(sig_verify_alt(NULL, in, in), SIG_FAILED);
	p = sig_strength(in, root);
	a = sig_strength_alt(in, root);
	cr_expect(strength_is_broken(p));
	cr_expect(!strength_is_broken(a));
	cr_expect_eq(a.bits, 192, "ECDSA-SHA384 with P-384: %u", a.bits);
	cr_expect_gt(strength_cmp(a, p), 0);
	cert_free(in);
	cert_free(root);
}

struct leaf_case {
	const char	*file;
	const char	*cn;
	const char	*sig_name;
	const char	*alt_sig_name;	/* NULL: the extension is malformed */
	enum sig_status	 primary, alt;
};

static const struct leaf_case leaf_cases[] = {
	{ H_WEAK_PRIMARY, "hybrid1.example.test", "RSA-SHA1", "ECDSA-SHA256",
	    SIG_VERIFIED, SIG_VERIFIED },
	{ H_WEAK_ALT, "hybrid2.example.test", "RSA-SHA256", "ECDSA-SHA1",
	    SIG_VERIFIED, SIG_VERIFIED },
	{ H_CORRUPT, "hybrid3.example.test", "RSA-SHA1", "ECDSA-SHA256",
	    SIG_VERIFIED, SIG_FAILED },
	{ H_UNKNOWN, "hybrid4.example.test", "RSA-SHA1", "ML-DSA-44",
	    SIG_VERIFIED, SIG_UNSUPPORTED },
	{ H_MALFORMED, "hybrid5.example.test", "RSA-SHA256", NULL,
	    SIG_VERIFIED, SIG_FAILED },
};

Test(hybrid, leaves_primary_and_alternative_status)
{
	struct cert *root = fixture_cert(H_ROOT, 0);
	struct cert *in = fixture_cert(H_INT, 0);
	const struct leaf_case *lc;
	struct cert *leaf, *copy;
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(leaf_cases) / sizeof(leaf_cases[0]); i++) {
		lc = &leaf_cases[i];
		leaf = fixture_cert(lc->file, 0);
		copy = fixture_cert(lc->file, 1);
		cr_expect(cert_is_same(copy, in), "%s: int.pem follows",
		    lc->file);
		cr_expect_str_eq(cert_short_name(leaf, buf, sizeof(buf)),
		    lc->cn);
		cr_expect(cert_matches_host(leaf, lc->cn), "%s", lc->file);
		cr_expect_str_eq(leaf->sig_name, lc->sig_name, "%s",
		    lc->file);
		cr_expect(leaf->alt_present, "%s", lc->file);
		cr_expect(!leaf->alt_key_present, "%s: leaves have no "
		    "alternative key", lc->file);
		if (lc->alt_sig_name != NULL) {
			cr_expect_null(leaf->alt_error, "%s: %s", lc->file,
			    leaf->alt_error);
			cr_expect_str_eq(leaf->alt_sig_name, lc->alt_sig_name,
			    "%s", lc->file);
		} else
			cr_expect_not_null(leaf->alt_error, "%s", lc->file);
		cr_expect_eq(sig_verify(NULL, leaf, in), lc->primary,
		    "%s: primary %s", lc->file,
		    sig_status_name(sig_verify(NULL, leaf, in)));
		cr_expect_eq(sig_verify_alt(NULL, leaf, in), lc->alt,
		    "%s: alternative %s", lc->file,
		    sig_status_name(sig_verify_alt(NULL, leaf, in)));
		/* The root's alternative key (P-384) did not sign it. */
		if (lc->alt == SIG_VERIFIED)
			cr_expect_eq(sig_verify_alt(NULL, leaf, root),
			    SIG_FAILED, "%s", lc->file);
		/* An issuer without an alternative key fails, never errs. */
		cr_expect_eq(sig_verify_alt(NULL, leaf, leaf), SIG_FAILED,
		    "%s", lc->file);
		cert_free(copy);
		cert_free(leaf);
	}
	cert_free(in);
	cert_free(root);
}

Test(hybrid, details_of_the_bad_alternatives)
{
	struct cert *weak = fixture_cert(H_WEAK_ALT, 0);
	struct cert *unk = fixture_cert(H_UNKNOWN, 0);
	struct cert *bad = fixture_cert(H_MALFORMED, 0);

	cr_expect_eq(sig_alt_hash_strength(weak).hash, HASH_SHA1);
	cr_expect_str_eq(weak->alt_sig_oid, "1.2.840.10045.4.1");
	cr_expect_str_eq(unk->alt_sig_oid, "2.16.840.1.101.3.4.3.17");
	cr_expect_eq(unk->alt_sig_algo, GNUTLS_SIGN_UNKNOWN);
	/* Unknown to GnuTLS, but in the table: ML-DSA-44, 128 bits. */
	cr_expect_eq(sig_alt_hash_strength(unk).hash, HASH_STRONG);
	cr_expect_eq(sig_alt_hash_strength(unk).bits, 128);
	cr_expect_eq(sig_alt_hash_strength(bad).hash, HASH_UNKNOWN);
	cr_expect_eq(unk->alt_value.size, 2420, "ML-DSA-44 signature size");
	cr_expect_not_null(bad->alt_error);
	if (bad->alt_error != NULL)
		cr_expect_not_null(strstr(bad->alt_error, "altSignatureValue"),
		    "%s", bad->alt_error);
	/* A malformed alternative never makes the certificate unreadable. */
	cr_expect_not_null(cert_pubkey(bad));
	cert_free(bad);
	cert_free(unk);
	cert_free(weak);
}

/* 06 03 55 1d 4a: the OBJECT IDENTIFIER 2.5.29.74 (altSignatureValue). */
static int
has_altsigvalue_oid(const unsigned char *p, size_t len)
{
	static const unsigned char oid[] = { 0x06, 0x03, 0x55, 0x1d, 0x4a };
	size_t i;

	for (i = 0; i + sizeof(oid) <= len; i++)
		if (memcmp(p + i, oid, sizeof(oid)) == 0)
			return 1;
	return 0;
}

/*
 * asn1_tbs_pretbs of each final certificate is exactly what the
 * generator signed before altSignatureValue existed: the issuer's
 * alternative key verifies it directly, without sig.c in between, and
 * does not verify the whole TBS.
 */
Test(hybrid, pretbs_matches_the_generator)
{
	static const struct {
		const char	*subject, *issuer;
	} pairs[] = {
		{ H_ROOT, H_ROOT },
		{ H_INT, H_ROOT },
		{ H_WEAK_PRIMARY, H_INT },
		{ H_WEAK_ALT, H_INT },
	};
	const unsigned char *tbs;
	unsigned char *pre;
	gnutls_datum_t d;
	struct cert *s, *iss;
	size_t tbslen, prelen, i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		s = fixture_cert(pairs[i].subject, 0);
		iss = fixture_cert(pairs[i].issuer, 0);
		cr_assert_eq(asn1_cert_tbs(s->der, s->der_len, &tbs, &tbslen),
		    0);
		cr_assert_eq(asn1_tbs_pretbs(tbs, tbslen, &pre, &prelen), 0);
		cr_expect(has_altsigvalue_oid(tbs, tbslen));
		cr_expect(!has_altsigvalue_oid(pre, prelen), "%s",
		    pairs[i].subject);
		cr_expect_lt(prelen, tbslen);
		cr_expect(prelen == s->alt_pretbs_len &&
		    memcmp(pre, s->alt_pretbs, prelen) == 0,
		    "%s: cert_parse kept another pre-TBS", pairs[i].subject);
		cr_assert_not_null(iss->alt_pubkey);
		d.data = pre;
		d.size = prelen;
		cr_expect_geq(gnutls_pubkey_verify_data2(iss->alt_pubkey,
		    s->alt_sig_algo, VERIFY_FLAGS, &d, &s->alt_value), 0,
		    "%s: pre-TBS differs from the generator's",
		    pairs[i].subject);
		d.data = (unsigned char *)tbs;
		d.size = tbslen;
		cr_expect_lt(gnutls_pubkey_verify_data2(iss->alt_pubkey,
		    s->alt_sig_algo, VERIFY_FLAGS, &d, &s->alt_value), 0,
		    "%s: the whole TBS must not verify", pairs[i].subject);
		free(pre);
		cert_free(iss);
		cert_free(s);
	}
}

/* ---- independent parsers: openssl and certtool ------------------------ */

/* 1 when an executable named name is on $PATH. */
static int
tool_on_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	char buf[PATH_MAX];
	size_t dl;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *colon ? colon + 1 : colon) {
		if ((colon = strchr(p, ':')) == NULL)
			colon = p + strlen(p);
		dl = (size_t)(colon - p);
		if (dl == 0 || dl + strlen(name) + 2 > sizeof(buf))
			continue;
		memcpy(buf, p, dl);
		buf[dl] = '/';
		strcpy(buf + dl + 1, name);
		if (access(buf, X_OK) == 0)
			return 1;
	}
	return 0;
}

/*
 * Run argv (argv[0] looked up on $PATH) with stdout discarded; its
 * stderr, up to len - 1 bytes, goes into err.  Returns the exit status,
 * or 128 + the signal.
 */
static int
run_tool(const char *const *argv, char *err, size_t len)
{
	ssize_t n;
	size_t off = 0;
	pid_t pid;
	int p[2], status, fd;

	cr_assert(pipe(p) == 0, "pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		cr_assert_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDWR)) == -1)
			_exit(126);
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	/* Read to EOF before reaping: a full pipe must not stall the tool. */
	for (;;) {
		n = read(p[0], err + off, len - 1 - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
		if (off == len - 1) {
			char sink[512];

			while ((n = read(p[0], sink, sizeof(sink))) > 0 ||
			    (n == -1 && errno == EINTR))
				continue;
			break;
		}
	}
	err[off] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1)
		cr_assert(errno == EINTR, "waitpid: %s", strerror(errno));
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/*
 * Every hybrid file parses with tool: the first certificate of each
 * (root, intermediate, and the leaf of each chain file).
 */
static void
each_parses_with(const char *tool, const char *verb, const char *opt)
{
	const char *argv[5];
	char err[2048], *path;
	size_t i;
	int st;

	if (!tool_on_path(tool))
		cr_skip_test("%s is not installed: cannot cross-check the "
		    "hybrid fixtures with it", tool);
	for (i = 0; i < NHYBRID; i++) {
		path = strdup(fixture_path(hybrid_files[i]));
		cr_assert_not_null(path);
		argv[0] = tool;
		argv[1] = verb;
		argv[2] = opt;
		argv[3] = path;
		argv[4] = NULL;
		st = run_tool(argv, err, sizeof(err));
		cr_expect_eq(st, 0, "%s %s %s %s: exit %d: %s", tool, verb, opt,
		    hybrid_files[i], st, err);
		free(path);
	}
}

Test(external, openssl_asn1parse)
{
	each_parses_with("openssl", "asn1parse", "-in");
}

Test(external, certtool_info)
{
	each_parses_with("certtool", "-i", "--infile");
}

/* ---- forged alternative keys ------------------------------------------ */

static void
add_pubkey_ext(gnutls_x509_crt_t crt, gnutls_x509_privkey_t k)
{
	struct der_blob spki = certkit_spki(k);

	cr_assert(gnutls_x509_crt_set_extension_by_oid(crt, "2.5.29.72",
	    spki.der, spki.len, 0) == 0);
	free(spki.der);
}

static struct cert *
crt_to_cert(gnutls_x509_crt_t crt)
{
	gnutls_datum_t der;
	char err[ERRBUF_LEN];
	struct cert *c;

	cr_assert(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) == 0);
	c = cert_parse(der.data, der.size, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	gnutls_free(der.data);
	return c;
}

/* The first certificate of a fixture as a GnuTLS object. */
static gnutls_x509_crt_t
fixture_crt(const char *rel)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d;
	unsigned char *buf;
	size_t len;

	buf = fixture_read(rel, &len);
	d.data = buf;
	d.size = (unsigned)len;
	cr_assert(gnutls_x509_crt_init(&crt) == 0);
	cr_assert(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) == 0);
	free(buf);
	return crt;
}

/*
 * A copy of the fixture CA certificate rel, issued in the name of
 * issuer_rel, with the same subject and primary key but the forger's
 * key as its subjectAltPublicKeyInfo, signed by the forger (so its
 * signature cannot verify).  The issuer is a throwaway with the real
 * CA's name: GnuTLS copies only the name from it, but refuses the real
 * CA certificate (GNUTLS_E_CONSTRAINT_ERROR), whose key is not the
 * signer's.
 */
static gnutls_x509_crt_t
forge_ca_copy(const char *rel, const char *issuer_rel,
    gnutls_x509_privkey_t forger, gnutls_x509_privkey_t alt)
{
	gnutls_x509_crt_t crt, real, iss;
	gnutls_datum_t dn;
	int e;

	crt = fixture_crt(rel);
	real = fixture_crt(issuer_rel);
	cr_assert(gnutls_x509_crt_get_dn3(real, &dn, 0) == 0);
	cr_assert(gnutls_x509_crt_init(&iss) == 0);
	cr_assert(gnutls_x509_crt_set_dn(iss, (const char *)dn.data,
	    NULL) == 0);
	cr_assert(gnutls_x509_crt_set_key(iss, forger) == 0);
	add_pubkey_ext(crt, alt);
	cr_assert(gnutls_x509_crt_set_serial(crt, "\x66", 1) == 0);
	e = gnutls_x509_crt_sign2(crt, iss, forger, GNUTLS_DIG_SHA256, 0);
	cr_assert(e == 0, "forging %s: %s", rel, gnutls_strerror(e));
	gnutls_free(dn.data);
	gnutls_x509_crt_deinit(iss);
	gnutls_x509_crt_deinit(real);
	return crt;
}

/*
 * A leaf naming issuer, its primary signature by the forger (it cannot
 * verify with the real CA key) and its alternative signature by alt.
 * The pre-TBS comes from src/asn1.c: only the path logic is on trial.
 */
static struct cert *
forge_leaf(gnutls_x509_crt_t issuer, gnutls_x509_privkey_t forger,
    gnutls_x509_privkey_t alt)
{
	gnutls_datum_t dn;
	struct cert *c;

	cr_assert(gnutls_x509_crt_get_dn3(issuer, &dn, 0) == 0);
	c = certkit_cert(&(struct certkit){ .cn = "forged.example.test",
	    .key = forger, .issuer_dn = (const char *)dn.data,
	    .issuer_key = forger, .serial = 0x77, .not_before = Y2015,
	    .not_after = Y2035, .alt_signer = alt });
	gnutls_free(dn.data);
	return c;
}

static struct path_result *
build_path(const struct cert *const *presented, size_t n,
    const struct trust_store *store)
{
	struct path_params p;
	struct path_input in;
	struct path_result *r;

	path_params_default(&p, T2016);
	memset(&in, 0, sizeof(in));
	in.leaf = presented[0];
	in.presented = presented;
	in.npresented = n;
	in.store = store;
	cr_assert_not_null(r = path_build(&in, &p, NULL));
	return r;
}

/*
 * No candidate of any link may verify with the forger's alternative key;
 * the leaf must not reach the anchor.
 */
static void
expect_forgery_rejected(const struct path_result *r, const char *what)
{
	size_t i, j;

	cr_expect(!(r->have_chosen && r->chosen.complete),
	    "%s: a forged alternative key completed the path", what);
	for (i = 0; i < r->nlinks; i++)
		for (j = 0; j < r->links[i].ncands; j++)
			if (r->links[i].cands[j].kind == CAND_ALTERNATIVE &&
			    r->links[i].subject == 0)
				cr_expect_neq(r->links[i].cands[j].status,
				    SIG_VERIFIED, "%s: the leaf's alternative "
				    "signature verified with a forged key",
				    what);
}

/*
 * The anchor (a classic root) has no alternative key; the chain carries
 * a copy of it with the same name and key plus the forger's alternative
 * key.  That copy's signature is bogus: its alternative key must not
 * verify anything.
 */
Test(forged, alternative_key_on_a_copy_of_the_anchor)
{
	gnutls_x509_privkey_t forger = certkit_key(CERTKIT_P256, 0),
	    alt = certkit_key(CERTKIT_P256, 1);
	gnutls_x509_crt_t fake;
	struct trust_store *s = trust_store_new();
	struct cert *c[2], *genuine = fixture_cert("ca/root-rsa.pem", 0);
	struct path_result *r;
	char err[ERRBUF_LEN];

	cr_assert_gt(trust_store_add_file(s, fixture_path("ca/root-rsa.pem"),
	    TRUST_ANCHOR, NULL, err, sizeof(err)), 0, "%s", err);
	fake = forge_ca_copy("ca/root-rsa.pem", "ca/root-rsa.pem", forger, alt);
	c[0] = forge_leaf(fake, forger, alt);
	c[1] = crt_to_cert(fake);
	cr_assert(cert_is_same_node(c[1], genuine));
	cr_assert(cert_is_issuer_name_of(genuine, c[0]));
	cr_expect_neq(sig_verify(NULL, c[1], genuine), SIG_VERIFIED);
	cert_free(genuine);
	cr_expect_eq(sig_verify_alt(NULL, c[0], c[1]), SIG_VERIFIED,
	    "the forgery itself is well made");
	r = build_path((const struct cert *const *)c, 2, s);
	expect_forgery_rejected(r, "anchor copy");
	path_result_free(r);
	cert_free(c[0]);
	cert_free(c[1]);
	gnutls_x509_crt_deinit(fake);
	trust_store_free(s);
}

/*
 * The genuine hybrid intermediate is sent, and before it a copy with the
 * same name and primary key but the forger's alternative key.  The
 * genuine copy vouches for the node; the forged key must still not.
 */
Test(forged, alternative_key_on_a_copy_of_an_intermediate)
{
	gnutls_x509_privkey_t forger = certkit_key(CERTKIT_P256, 0),
	    alt = certkit_key(CERTKIT_P256, 1);
	gnutls_x509_crt_t fake;
	struct trust_store *s = trust_store_new();
	struct cert *c[3];
	struct path_result *r;
	char err[ERRBUF_LEN];
	size_t i;

	cr_assert_gt(trust_store_add_file(s, fixture_path(H_ROOT),
	    TRUST_ANCHOR, NULL, err, sizeof(err)), 0, "%s", err);
	fake = forge_ca_copy(H_INT, H_ROOT, forger, alt);
	c[0] = forge_leaf(fake, forger, alt);
	c[1] = crt_to_cert(fake);
	c[2] = fixture_cert(H_INT, 0);
	cr_assert(cert_is_same_node(c[1], c[2]));
	cr_assert(cert_is_issuer_name_of(c[2], c[0]));
	cr_expect_eq(sig_verify_alt(NULL, c[0], c[1]), SIG_VERIFIED);
	cr_expect_eq(sig_verify_alt(NULL, c[0], c[2]), SIG_FAILED);
	r = build_path((const struct cert *const *)c, 3, s);
	expect_forgery_rejected(r, "intermediate copy");
	path_result_free(r);

	/* Either order. */
	{
		struct cert *t = c[1];

		c[1] = c[2];
		c[2] = t;
	}
	r = build_path((const struct cert *const *)c, 3, s);
	expect_forgery_rejected(r, "intermediate copy, genuine first");
	path_result_free(r);
	for (i = 0; i < 3; i++)
		cert_free(c[i]);
	gnutls_x509_crt_deinit(fake);
	trust_store_free(s);
}

/*
 * The alternative signature does not cover the primary one: flip a byte
 * of the leaf's primary signature and the alternative still verifies.
 * Such a certificate is corrupt or forged, and its alternative must not
 * carry the link.
 */
Test(forged, corrupt_primary_signature_voids_the_alternative)
{
	struct trust_store *s = trust_store_new();
	struct der_list l;
	struct cert *c[2];
	struct path_result *r;
	const struct link *lk;
	char err[ERRBUF_LEN];
	size_t i;

	cr_assert_gt(trust_store_add_file(s, fixture_path(H_ROOT),
	    TRUST_ANCHOR, NULL, err, sizeof(err)), 0, "%s", err);
	fixture_decode(H_WEAK_PRIMARY, &l);
	cr_assert_eq(l.n, 2);
	l.v[0].der[l.v[0].len - 1] ^= 0x01;	/* inside the signature */
	for (i = 0; i < 2; i++) {
		c[i] = cert_parse(l.v[i].der, l.v[i].len, err, sizeof(err));
		cr_assert_not_null(c[i], "%s", err);
	}
	cr_expect_eq(sig_verify_alt(NULL, c[0], c[1]), SIG_VERIFIED,
	    "the alternative still verifies on its own");
	r = build_path((const struct cert *const *)c, 2, s);
	cr_assert(r->have_chosen);
	cr_expect(!r->chosen.complete, "a corrupt leaf reached the anchor");
	cr_assert_geq(r->nlinks, 1);
	lk = &r->links[0];
	cr_expect_eq(lk->best, -1);
	for (i = 0; i < lk->ncands; i++)
		cr_expect_eq(lk->cands[i].status, SIG_FAILED, "candidate %zu",
		    i);
	path_result_free(r);
	for (i = 0; i < 2; i++)
		cert_free(c[i]);
	der_list_free(&l);
	trust_store_free(s);
}

/* ---- end to end ------------------------------------------------------- */

static struct json_object *
jget(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return v;
}

static const char *
jstr(struct json_object *o, const char *key)
{
	return json_object_get_string(jget(o, key));
}

static int
jbool(struct json_object *o, const char *key)
{
	return json_object_get_boolean(jget(o, key));
}

/*
 * The candidate of link i of t whose kind is kind ("primary",
 * "alternative"), or with kind NULL the chosen one.
 */
static struct json_object *
link_candidate(struct json_object *t, size_t i, const char *kind)
{
	struct json_object *links, *cands, *c;
	size_t j;

	links = jget(jget(t, "path"), "links");
	cr_assert_lt(i, json_object_array_length(links), "no link %zu", i);
	cands = jget(json_object_array_get_idx(links, i), "candidates");
	for (j = 0; j < json_object_array_length(cands); j++) {
		c = json_object_array_get_idx(cands, j);
		if (kind == NULL ? jbool(c, "chosen") :
		    strcmp(jstr(c, "kind"), kind) == 0)
			return c;
	}
	cr_assert_fail("link %zu has no %s candidate", i,
	    kind != NULL ? kind : "chosen");
	return NULL;
}

/*
 * Run the program on file (absolute) with the given anchor and instant,
 * JSON out; *t is the target of file.  The caller puts the root and
 * frees r.
 */
static struct json_object *
audit(struct run_result *r, const char *file, const char *anchor,
    const char *at, struct json_object **t)
{
	const char *argv[] = { "--no-system-ca", "--ca-file", anchor, "--at",
	    at, "--format", "json", file, NULL };
	struct json_object *root;

	run_chainaudit(r, argv, NULL);
	root = run_json(r);
	*t = json_target(root, file);
	cr_assert_not_null(*t, "no target for %s in:\n%s", file, r->out);
	return root;
}

struct e2e_case {
	const char	*file;
	int		 status;
	const char	*codes;		/* sorted, ','-separated */
	const char	*chosen_kind;	/* of the leaf's link */
	const char	*alt_status;	/* the leaf's alternative candidate */
	int		 primary_chosen;
};

static void
expect_hybrid(const struct e2e_case *e)
{
	struct run_result r;
	struct json_object *root, *t, *p, *a;
	char codes[256], *anchor, *file;

	anchor = strdup(fixture_path(H_ROOT));
	file = strdup(fixture_path(e->file));
	cr_assert(anchor != NULL && file != NULL);
	root = audit(&r, file, anchor, AT_2016, &t);
	cr_expect_eq(r.status, e->status, "%s: exit %d, expected %d; "
	    "stderr: %s", e->file, r.status, e->status, r.err);
	cr_expect_str_eq(json_finding_codes(t, codes, sizeof(codes)),
	    e->codes, "%s: findings [%s], expected [%s]", e->file, codes,
	    e->codes);
	cr_expect(jbool(t, "trusted"), "%s: trusted", e->file);
	p = link_candidate(t, 0, "primary");
	a = link_candidate(t, 0, "alternative");
	cr_expect_str_eq(jstr(p, "status"), "verified", "%s", e->file);
	cr_expect_str_eq(jstr(a, "status"), e->alt_status, "%s", e->file);
	cr_expect_eq(jbool(p, "chosen"), e->primary_chosen, "%s: primary "
	    "chosen", e->file);
	cr_expect_eq(jbool(a, "chosen"), !e->primary_chosen, "%s: "
	    "alternative chosen", e->file);
	cr_expect_str_eq(jstr(link_candidate(t, 0, NULL), "kind"),
	    e->chosen_kind, "%s", e->file);
	/* The intermediate's SHA-1 link is carried by its alternative. */
	p = link_candidate(t, 1, "primary");
	a = link_candidate(t, 1, "alternative");
	cr_expect_str_eq(jstr(p, "status"), "verified", "%s", e->file);
	cr_expect(!jbool(p, "chosen"), "%s", e->file);
	cr_expect(jbool(a, "chosen"), "%s", e->file);
	cr_expect_str_eq(jstr(a, "signature_algorithm"), "ECDSA-SHA384");
	json_object_put(root);
	run_result_free(&r);
	free(file);
	free(anchor);
}

Test(e2e, weak_primary_strong_alternative_is_clean)
{
	expect_hybrid(&(struct e2e_case){ H_WEAK_PRIMARY, 0, "",
	    "alternative", "verified", 0 });
}

Test(e2e, strong_primary_weak_alternative_is_clean)
{
	expect_hybrid(&(struct e2e_case){ H_WEAK_ALT, 0, "", "primary",
	    "verified", 1 });
}

Test(e2e, corrupt_alternative_leaves_sha1_alone)
{
	expect_hybrid(&(struct e2e_case){ H_CORRUPT, 1, "sha1-only-link",
	    "primary", "failed", 1 });
}

Test(e2e, unknown_alternative_leaves_sha1_alone)
{
	expect_hybrid(&(struct e2e_case){ H_UNKNOWN, 1, "sha1-only-link",
	    "primary", "unsupported", 1 });
}

Test(e2e, malformed_alternative_fails_quietly)
{
	expect_hybrid(&(struct e2e_case){ H_MALFORMED, 0, "", "primary",
	    "failed", 1 });
}

/* ---- real-world hybrid certificates (../shared/data/hybrid) ------------ */

/* $shared/data/hybrid/rel into buf; skips the test when it is missing. */
static const char *
hybrid_data(const char *rel, char *buf, size_t len)
{
	const char *dir = shared_dir();
	struct stat st;
	int n;

	if (dir == NULL)
		cr_skip_test("../shared/data not present: real-world hybrid "
		    "chains not checked");
	n = snprintf(buf, len, "%s/data/hybrid/%s", dir, rel);
	cr_assert(n > 0 && (size_t)n < len);
	if (stat(buf, &st) == -1)
		cr_skip_test("../shared/data not present (%s): real-world "
		    "hybrid chains not checked", buf);
	return buf;
}

static struct cert *
data_cert(const char *rel)
{
	char path[PATH_MAX], err[ERRBUF_LEN];
	unsigned char *buf;
	size_t len;
	struct der_list l;
	struct cert *c;

	hybrid_data(rel, path, sizeof(path));
	cr_assert(file_read_all(path, &buf, &len, err, sizeof(err)) == 0,
	    "%s: %s", path, err);
	memset(&l, 0, sizeof(l));
	cr_assert(pem_decode(buf, len, &l) == 0 && l.n > 0, "%s", path);
	c = cert_parse(l.v[0].der, l.v[0].len, err, sizeof(err));
	cr_assert_not_null(c, "%s: %s", path, err);
	der_list_free(&l);
	free(buf);
	return c;
}

/* Concatenate files into a temporary file; the caller unlinks and frees. */
static char *
concat_tmp(const char *const *paths)
{
	const char *tmpdir = getenv("TMPDIR");
	char *out, err[ERRBUF_LEN];
	unsigned char *buf;
	size_t len;
	FILE *fp;
	int fd;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	cr_assert(asprintf(&out, "%s/chainaudit-hybrid-XXXXXX.pem",
	    tmpdir) != -1);
	cr_assert((fd = mkstemps(out, 4)) != -1, "%s: %s", out,
	    strerror(errno));
	cr_assert_not_null(fp = fdopen(fd, "w"));
	for (; *paths != NULL; paths++) {
		cr_assert(file_read_all(*paths, &buf, &len, err,
		    sizeof(err)) == 0, "%s: %s", *paths, err);
		cr_assert_eq(fwrite(buf, 1, len, fp), len);
		free(buf);
	}
	cr_assert(fclose(fp) == 0);
	return out;
}

static void
expect_unsupported_alt(const struct cert *c, const struct cert *issuer,
    const char *alt_name)
{
	cr_expect(c->alt_present, "%s", cert_subject(c));
	cr_expect_null(c->alt_error, "%s: %s", cert_subject(c), c->alt_error);
	cr_expect_str_eq(c->alt_sig_name, alt_name, "%s", cert_subject(c));
	cr_expect_eq(sig_verify(NULL, c, issuer), SIG_VERIFIED, "%s",
	    cert_subject(c));
	cr_expect_eq(sig_verify_alt(NULL, c, issuer), SIG_UNSUPPORTED,
	    "%s: %s", cert_subject(c),
	    sig_status_name(sig_verify_alt(NULL, c, issuer)));
}

#define CRYPTONEXT	"cryptonext-catalyst-chain-2023-03/"
#define DIGICERT	"digicert-catalyst-chain-2023-07/"
#define BC		"bc-r5-catalyst-2026/"

Test(shared, cryptonext_catalyst_chain)
{
	struct cert *ee = data_cert(CRYPTONEXT "cert.pem");
	struct cert *ca = data_cert(CRYPTONEXT "ca.pem");
	struct cert *ta = data_cert(CRYPTONEXT "ta.pem");
	char p[3][PATH_MAX], *chain, codes[512];
	const char *files[3];
	struct run_result r;
	struct json_object *root, *t, *c;
	size_t i;

	cr_expect_str_eq(ta->alt_key_name, "Dilithium5 (round 2)");
	cr_expect_null(ta->alt_pubkey);
	expect_unsupported_alt(ee, ca, "Dilithium5 (round 2)");
	expect_unsupported_alt(ca, ta, "Dilithium5 (round 2)");
	expect_unsupported_alt(ta, ta, "Dilithium5 (round 2)");

	files[0] = hybrid_data(CRYPTONEXT "cert.pem", p[0], sizeof(p[0]));
	files[1] = hybrid_data(CRYPTONEXT "ca.pem", p[1], sizeof(p[1]));
	files[2] = NULL;
	chain = concat_tmp(files);
	hybrid_data(CRYPTONEXT "ta.pem", p[2], sizeof(p[2]));
	root = audit(&r, chain, p[2], "2024-01-01T00:00:00Z", &t);
	/*
	 * Trusted; only the sample's form fails the default Web PKI
	 * profile: 21-octet serials, no key identifiers, no EKU, a CN that
	 * is no host name.
	 */
	cr_expect_eq(r.status, 1, "exit %d; stderr: %s", r.status, r.err);
	cr_expect_str_eq(json_finding_codes(t, codes, sizeof(codes)),
	    "bad-serial-number,bad-serial-number,cn-not-in-san,leaf-eku,"
	    "missing-key-identifier,missing-key-identifier,"
	    "missing-key-identifier");
	cr_expect(jbool(t, "trusted"));
	for (i = 0; i < 2; i++) {
		c = link_candidate(t, i, "primary");
		cr_expect_str_eq(jstr(c, "status"), "verified");
		cr_expect(jbool(c, "chosen"));
		c = link_candidate(t, i, "alternative");
		cr_expect_str_eq(jstr(c, "status"), "unsupported");
		cr_expect_str_eq(jstr(c, "signature_algorithm"),
		    "Dilithium5 (round 2)");
	}
	json_object_put(root);
	run_result_free(&r);
	unlink(chain);
	free(chain);
	cert_free(ta);
	cert_free(ca);
	cert_free(ee);
}

/*
 * DigiCert's 2023 sample names its issuers "ST=... Intermediate" and
 * "ST=... Root" while the CA certificates are "ST=... Hybrid Catalyst
 * Intermediate" and "... Root": the signatures verify with the CA keys,
 * but no path can be built by name.
 */
Test(shared, digicert_catalyst_chain)
{
	struct cert *ee = data_cert(DIGICERT "cert.pem");
	struct cert *ca = data_cert(DIGICERT "ca.pem");
	struct cert *ta = data_cert(DIGICERT "ta.pem");
	char p[2][PATH_MAX];
	struct run_result r;
	struct json_object *root, *t;
	char codes[256];

	cr_expect_str_eq(ta->alt_key_name, "Dilithium3 (round 2)");
	expect_unsupported_alt(ee, ca, "Dilithium3 (round 2)");
	expect_unsupported_alt(ca, ta, "Dilithium3 (round 2)");
	expect_unsupported_alt(ta, ta, "Dilithium3 (round 2)");
	cr_expect(!cert_is_issuer_name_of(ca, ee));
	cr_expect(!cert_is_issuer_name_of(ta, ca));

	hybrid_data(DIGICERT "cert.pem", p[0], sizeof(p[0]));
	hybrid_data(DIGICERT "ta.pem", p[1], sizeof(p[1]));
	root = audit(&r, p[0], p[1], "2023-08-01T00:00:00Z", &t);
	cr_expect_eq(r.status, 1, "exit %d; stderr: %s", r.status, r.err);
	/* And its leaf has no extendedKeyUsage, which the Web PKI needs. */
	cr_expect_str_eq(json_finding_codes(t, codes, sizeof(codes)),
	    "incomplete-chain,leaf-eku");
	json_object_put(root);
	run_result_free(&r);
	cert_free(ta);
	cert_free(ca);
	cert_free(ee);
}

Test(shared, bouncycastle_catalyst_trust_anchors)
{
	static const struct {
		const char	*file;
		const char	*sig_name, *alt_name;
	} tas[] = {
		{ BC "catalyst_1.2.840.10045.4.3.2_with_"
		    "2.16.840.1.101.3.4.3.17_ta.pem", "ECDSA-SHA256",
		    "ML-DSA-44" },
		{ BC "catalyst_1.2.840.10045.4.3.4_with_"
		    "2.16.840.1.101.3.4.3.19_ta.pem", "ECDSA-SHA512",
		    "ML-DSA-87" },
		{ BC "catalyst_1.2.840.113549.1.1.11_with_"
		    "2.16.840.1.101.3.4.3.17_ta.pem", "RSA-SHA256",
		    "ML-DSA-44" },
	};
	char p[PATH_MAX];
	struct run_result r;
	struct json_object *root, *t;
	struct cert *c;
	size_t i;

	for (i = 0; i < sizeof(tas) / sizeof(tas[0]); i++) {
		c = data_cert(tas[i].file);
		cr_expect_str_eq(c->sig_name, tas[i].sig_name);
		cr_expect_str_eq(c->alt_key_name, tas[i].alt_name);
		expect_unsupported_alt(c, c, tas[i].alt_name);
		cert_free(c);

		/* Alone and trusted: it parses and passes, with no links. */
		hybrid_data(tas[i].file, p, sizeof(p));
		root = audit(&r, p, p, "2026-08-01T00:00:00Z", &t);
		cr_expect_eq(r.status, 0, "%s: exit %d; stderr: %s",
		    tas[i].file, r.status, r.err);
		cr_expect(jbool(t, "trusted"), "%s", tas[i].file);
		/* Its ML-DSA self-signature is reported, not verifiable. */
		cr_expect_str_eq(jstr(json_object_array_get_idx(jget(t,
		    "certificates"), 0), "alt_self_signature"), "unsupported",
		    "%s", tas[i].file);
		json_object_put(root);
		run_result_free(&r);
	}
}

/* ---- hybrid records: the alternative-key fields of each certificate -- */

/*
 * Each certificate record names its alternative key and signature
 * algorithms when it has the extensions, and lacks the keys otherwise;
 * the self-signed root's alternative signature is reported verified.
 */
Test(records, json_names_the_alternative_algorithms)
{
	struct run_result r;
	struct json_object *root, *t, *certs, *c;
	char *anchor, *file;
	size_t i, seen = 0;

	anchor = strdup(fixture_path(H_ROOT));
	file = strdup(fixture_path(H_INT));
	cr_assert(anchor != NULL && file != NULL);
	root = audit(&r, file, anchor, AT_2016, &t);
	certs = jget(t, "certificates");
	for (i = 0; i < json_object_array_length(certs); i++) {
		c = json_object_array_get_idx(certs, i);
		if (strstr(jstr(c, "subject"), "Hybrid Intermediate") != NULL) {
			cr_expect_str_eq(jstr(c, "alt_key_algorithm"),
			    "EC P-256");
			cr_expect_str_eq(jstr(c, "alt_signature_algorithm"),
			    "ECDSA-SHA384");
			cr_expect(!json_object_object_get_ex(c,
			    "alt_self_signature", NULL), "not self-issued");
			seen++;
		} else if (strstr(jstr(c, "subject"), "Hybrid Root") !=
		    NULL) {
			cr_expect_str_eq(jstr(c, "alt_key_algorithm"),
			    "EC P-384");
			cr_expect_str_eq(jstr(c, "alt_self_signature"),
			    "verified");
			seen++;
		}
	}
	cr_expect_eq(seen, 2, "intermediate and root in %s", r.out);
	json_object_put(root);
	run_result_free(&r);

	/* A classic chain: no alternative-key fields at all. */
	free(file);
	free(anchor);
	anchor = strdup(fixture_path("ca/root-rsa.pem"));
	file = strdup(fixture_path("chains/good-rsa.pem"));
	cr_assert(anchor != NULL && file != NULL);
	root = audit(&r, file, anchor, AT_2016, &t);
	certs = jget(t, "certificates");
	for (i = 0; i < json_object_array_length(certs); i++) {
		c = json_object_array_get_idx(certs, i);
		cr_expect(!json_object_object_get_ex(c, "alt_key_algorithm",
		    NULL));
		cr_expect(!json_object_object_get_ex(c,
		    "alt_signature_algorithm", NULL));
	}
	json_object_put(root);
	run_result_free(&r);
	free(file);
	free(anchor);
}

/* What the sink saw of the one audit's first certificate. */
struct self_alt {
	char	status[32];
	char	alt_key[64];
};

static int
keep_self_alt(struct audit *a, void *arg)
{
	struct self_alt *o = arg;

	cr_assert_gt(a->ncerts, 0);
	snprintf(o->status, sizeof(o->status), "%s",
	    a->certs[0].alt_self_signature != NULL ?
	    a->certs[0].alt_self_signature : "(none)");
	snprintf(o->alt_key, sizeof(o->alt_key), "%s",
	    a->certs[0].alt_key_algorithm != NULL ?
	    a->certs[0].alt_key_algorithm : "(none)");
	audit_free(a);
	return 0;
}

/*
 * A self-signed hybrid certificate whose alternative signature was made
 * by another key than its alternative key: reported failed, and the
 * certificate is judged as before (the self-signature of an anchor
 * never counts).
 */
Test(records, a_bad_alternative_self_signature_is_reported)
{
	gnutls_x509_privkey_t k = certkit_key(CERTKIT_P256, 0),
	    alt = certkit_key(CERTKIT_P384, 0),
	    other = certkit_key(CERTKIT_P384, 1);
	struct trust_store *s = trust_store_new();
	struct judge_params params;
	struct self_alt o;
	struct der_list l;
	struct der_blob b;
	int k2;

	cr_assert_not_null(s);
	for (k2 = 0; k2 < 2; k2++) {
		b = certkit_der(&(struct certkit){ .cn = "Hybrid Self",
		    .key = k, .ca = 1, .alt_key = alt,
		    .alt_signer = k2 == 0 ? alt : other });
		memset(&l, 0, sizeof(l));
		l.v = &b;
		l.n = 1;
		memset(&params, 0, sizeof(params));
		params.now = T2016;
		path_params_default(&params.path, params.now);
		memset(&o, 0, sizeof(o));
		cr_assert_eq(judge_input("self", &l, 0, &params, s, NULL,
		    keep_self_alt, &o), 0);
		cr_expect_str_eq(o.alt_key, "EC P-384");
		cr_expect_str_eq(o.status, k2 == 0 ? "verified" : "failed");
		free(b.der);
	}
	trust_store_free(s);
}
