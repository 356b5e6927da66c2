/*
 * test_path.c: path building and choice, in memory.
 *
 * Shapes the fixture PKI has (re-issues, the NSS cross-sign) come from
 * fixture files; shapes it would be silly to ship (cross-sign loops,
 * hundreds of CAs with one name) are generated here (tests/certkit.h:
 * valid 2000-2099, SHA-256, basicConstraints, no key identifiers).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "certkit.h"
#include "path.h"
#include "testlib.h"

#define T2016	((time_t)1456790400)	/* 2016-03-01T00:00:00Z */
#define Y2010	((time_t)1262304000)

static struct path_result *
build(const struct cert *leaf, const struct cert *const *presented,
    size_t npresented, const struct trust_store *store,
    const struct path_params *override)
{
	struct path_params p;
	struct path_input in;
	struct path_result *r;

	path_params_default(&p, T2016);
	if (override != NULL)
		p = *override;
	memset(&in, 0, sizeof(in));
	in.leaf = leaf;
	in.presented = presented;
	in.npresented = npresented;
	in.store = store;
	r = path_build(&in, &p, NULL);
	cr_assert_not_null(r);
	return r;
}

/* ---- fixture shapes --------------------------------------------------- */

static struct trust_store *
store_with(const char *const *anchors, size_t n)
{
	struct trust_store *s = trust_store_new();
	char err[ERRBUF_LEN];
	size_t i;

	cr_assert_not_null(s);
	for (i = 0; i < n; i++)
		cr_assert_gt(trust_store_add_file(s, fixture_path(anchors[i]),
		    TRUST_ANCHOR, NULL, err, sizeof(err)), 0, "%s", err);
	return s;
}

Test(path, strongest_copy_chosen_whatever_the_order)
{
	const char *anchors[] = { "ca/root-rsa.pem" };
	const char *files[] = { "chains/sha1-both-int.pem",
	    "chains/sha1-both-int-rev.pem" };
	struct trust_store *s = store_with(anchors, 1);
	size_t f, i;

	for (f = 0; f < 2; f++) {
		struct cert *c[3];
		const struct candidate *cand;
		struct path_result *r;
		const struct link *l;

		for (i = 0; i < 3; i++)
			c[i] = fixture_cert(files[f], i);
		r = build(c[0], (const struct cert *const *)c, 3, s, NULL);
		cr_assert(r->have_chosen && r->chosen.complete);
		cr_expect_eq(r->chosen.len, 3);
		l = &r->links[r->chosen.links[1]];
		cr_expect_eq(l->ncands, 2, "%s: both copies are candidates",
		    files[f]);
		cand = path_chosen_candidate(r, &r->chosen, 1);
		cr_expect_eq(sig_hash_strength(cand->cert).hash, HASH_STRONG,
		    "%s", files[f]);
		cr_expect_eq(cand->status, SIG_VERIFIED);
		cr_expect(!strength_is_broken(r->chosen.weakest));
		path_result_free(r);
		for (i = 0; i < 3; i++)
			cert_free(c[i]);
	}
	trust_store_free(s);
}

static struct path_result *
nss_build(const char *const *anchors, size_t n, struct trust_store **s,
    struct cert **c)
{
	size_t i;

	*s = store_with(anchors, n);
	for (i = 0; i < 3; i++)
		c[i] = fixture_cert("chains/nss-shape.pem", i);
	return build(c[0], (const struct cert *const *)c, 3, *s, NULL);
}

Test(path, nss_shape_short_strong_path_beats_long_sha1_path)
{
	const char *both[] = { "ca/root-old.pem", "ca/root-rsa.pem" };
	const char *old[] = { "ca/root-old.pem" };
	struct trust_store *s;
	struct cert *c[3];
	struct path_result *r;
	size_t i;

	/*
	 * Both roots trusted: the new root's node is an anchor, so the
	 * path ends there; the SHA-1 cross-sign the server sent above it is
	 * never needed.
	 */
	r = nss_build(both, 2, &s, c);
	cr_assert(r->chosen.complete);
	cr_expect_eq(r->chosen.len, 3);
	cr_expect(!strength_is_broken(r->chosen.weakest));
	cr_expect_eq(r->complete_paths, 1);
	path_result_free(r);
	for (i = 0; i < 3; i++)
		cert_free(c[i]);
	trust_store_free(s);

	/* Only the old root: the SHA-1 cross-sign is the only way up. */
	r = nss_build(old, 1, &s, c);
	cr_assert(r->chosen.complete);
	cr_expect_eq(r->chosen.len, 4);
	cr_expect(strength_is_broken(r->chosen.weakest));
	cr_expect_eq(path_chosen_candidate(r, &r->chosen, 2)->cert, c[2]);
	path_result_free(r);
	for (i = 0; i < 3; i++)
		cert_free(c[i]);
	trust_store_free(s);
}

Test(path, anchor_self_signature_never_counts)
{
	/* root-old is SHA-1 self-signed; only the cross link is judged. */
	const char *anchors[] = { "ca/root-old.pem" };
	struct trust_store *s = store_with(anchors, 1);
	struct cert *c = fixture_cert("ca/root-old.pem", 0);
	struct path_result *r;

	r = build(c, (const struct cert *const *)&c, 1, s, NULL);
	cr_assert(r->chosen.complete);
	cr_expect_eq(r->chosen.len, 1);
	cr_expect_eq(r->nlinks, 0);
	path_result_free(r);
	cert_free(c);
	trust_store_free(s);
}

/* ---- generated shapes ------------------------------------------------- */

#define P256(n)	certkit_key(CERTKIT_P256, (n))
#define P384(n)	certkit_key(CERTKIT_P384, (n))

Test(path, cross_sign_loop_terminates)
{
	gnutls_x509_privkey_t ka = P256(0), kb = P256(1), kl = P256(2);
	struct cert *c[4];
	struct trust_store *s = trust_store_new();
	struct path_result *r;
	size_t i;

	/* A signed by B, B signed by A: a loop with no way out. */
	c[0] = certkit_cert(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "A", .issuer_key = ka, .serial = 1 });
	c[1] = certkit_cert(&(struct certkit){ .cn = "A", .key = ka,
	    .issuer_cn = "B", .issuer_key = kb, .ca = 1, .serial = 2 });
	c[2] = certkit_cert(&(struct certkit){ .cn = "B", .key = kb,
	    .issuer_cn = "A", .issuer_key = ka, .ca = 1, .serial = 3 });
	r = build(c[0], (const struct cert *const *)c, 3, s, NULL);
	cr_assert(r->have_chosen);
	cr_expect(!r->chosen.complete);
	cr_expect_eq(r->chosen.len, 3);
	cr_expect(!r->capped);
	path_result_free(r);

	/* Trust B (self-signed): the loop now has an exit. */
	c[3] = certkit_cert(&(struct certkit){ .cn = "B", .key = kb, .ca = 1,
	    .serial = 4 });
	cr_assert(trust_store_add_cert(s, c[3], TRUST_ANCHOR, "test") == 0);
	r = build(c[0], (const struct cert *const *)c, 3, s, NULL);
	cr_expect(r->chosen.complete);
	cr_expect_eq(r->chosen.len, 3);
	path_result_free(r);
	for (i = 0; i < 3; i++)
		cert_free(c[i]);
	trust_store_free(s);	/* frees c[3] */
}

#define NSAME	200

Test(path, hundreds_of_same_named_cas_stay_bounded)
{
	gnutls_x509_privkey_t k[NSAME], kl = P256(0);
	struct trust_store *s = trust_store_new();
	struct cert *leaf, *ca;
	struct path_params p;
	struct path_result *r;
	size_t i;

	/* CN=Same #i is signed by key i-1: a key-rollover chain 200 deep. */
	for (i = 0; i < NSAME; i++)
		k[i] = certkit_key_new(CERTKIT_P256);
	for (i = 0; i < NSAME; i++) {
		ca = certkit_cert(&(struct certkit){ .cn = "Same",
		    .key = k[i], .issuer_cn = "Same",
		    .issuer_key = k[i == 0 ? 0 : i - 1], .ca = 1,
		    .serial = i + 10 });
		cr_assert(trust_store_add_cert(s, ca, i == 0 ? TRUST_ANCHOR :
		    TRUST_INTERMEDIATE, "test") == 0);
	}
	leaf = certkit_cert(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "Same", .issuer_key = k[NSAME - 1], .serial = 1 });

	/*
	 * Default bounds: the work budget stops it (each node has 200
	 * candidate issuers), not a hang, and says so.
	 */
	r = build(leaf, (const struct cert *const *)&leaf, 1, s, NULL);
	cr_expect(!r->chosen.complete);
	cr_expect(r->capped);
	cr_expect(r->cut & BUDGET_CUT_SIGNATURES, "cut %#x", r->cut);
	cr_expect_leq(r->work, BUDGET_DEFAULT_NS);
	cr_expect_leq(r->sig_checks, 20000);
	path_result_free(r);

	/* Work enough: depth stops it, and says so. */
	path_params_default(&p, T2016);
	p.max_work = UINT64_MAX;
	r = build(leaf, (const struct cert *const *)&leaf, 1, s, &p);
	cr_expect(!r->chosen.complete);
	cr_expect_eq(r->chosen.len, 10);
	cr_expect(r->chosen.depth_cut);
	cr_expect(r->capped);
	cr_expect_eq(r->cut, 0);
	path_result_free(r);

	/* Tight bounds: the stop is reported. */
	path_params_default(&p, T2016);
	p.max_sig_checks = 300;
	r = build(leaf, (const struct cert *const *)&leaf, 1, s, &p);
	cr_expect(r->capped);
	cr_expect_leq(r->sig_checks, 300);
	path_result_free(r);

	cert_free(leaf);
	trust_store_free(s);
	for (i = 0; i < NSAME; i++)
		gnutls_x509_privkey_deinit(k[i]);
}

Test(path, valid_path_beats_stronger_path_through_an_expired_root)
{
	gnutls_x509_privkey_t k1 = P384(0), k2 = P256(0), ki = P384(1),
	    kl = P384(2);
	struct trust_store *s = trust_store_new();
	struct cert *c[3], *r1, *r2;
	struct path_result *r;
	const struct cert *top;
	size_t i;

	r1 = certkit_cert(&(struct certkit){ .cn = "R1", .key = k1, .ca = 1,
	    .serial = 1, .not_after = Y2010, .digest = GNUTLS_DIG_SHA384 });
	r2 = certkit_cert(&(struct certkit){ .cn = "R2", .key = k2, .ca = 1,
	    .serial = 2 });
	cr_assert(trust_store_add_cert(s, r1, TRUST_ANCHOR, "test") == 0);
	cr_assert(trust_store_add_cert(s, r2, TRUST_ANCHOR, "test") == 0);
	c[0] = certkit_cert(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "I", .issuer_key = ki, .serial = 3,
	    .digest = GNUTLS_DIG_SHA384 });
	/* I under the expired P-384 root (stronger) and the valid P-256. */
	c[1] = certkit_cert(&(struct certkit){ .cn = "I", .key = ki,
	    .issuer_cn = "R1", .issuer_key = k1, .ca = 1, .serial = 4,
	    .digest = GNUTLS_DIG_SHA384 });
	c[2] = certkit_cert(&(struct certkit){ .cn = "I", .key = ki,
	    .issuer_cn = "R2", .issuer_key = k2, .ca = 1, .serial = 5 });
	r = build(c[0], (const struct cert *const *)c, 3, s, NULL);
	cr_assert(r->chosen.complete);
	top = path_node_cert(r, &r->chosen, r->chosen.len - 1);
	cr_expect_str_eq(cert_subject(top), "CN=R2");
	cr_expect(r->chosen.all_valid);
	cr_expect_eq(r->nalternatives, 1);
	path_result_free(r);
	for (i = 0; i < 3; i++)
		cert_free(c[i]);
	trust_store_free(s);
}

/*
 * Issue 12's anchor fix: a trust file holding an expired cross-sign of
 * a root before the root's own valid self-signed certificate must not make
 * a good chain fail; every copy is seen, whatever the file's order.  And
 * a non-self-signed certificate in the trust file still vouches for its
 * link: here the cross-sign is the only copy of R that Old can reach.
 */
static void
anchor_order_case(int cross_first)
{
	gnutls_x509_privkey_t kr = P256(0), ko = P256(1), kl = P256(2);
	struct trust_store *s = trust_store_new();
	struct cert *self, *cross, *leaf;
	struct path_result *r;
	const struct cert *top;

	self = certkit_cert(&(struct certkit){ .cn = "R", .key = kr, .ca = 1,
	    .serial = 1 });
	/* R cross-signed by Old, expired at the evaluation time (2016). */
	cross = certkit_cert(&(struct certkit){ .cn = "R", .key = kr,
	    .issuer_cn = "Old", .issuer_key = ko, .ca = 1, .serial = 2,
	    .not_after = Y2010 });
	leaf = certkit_cert(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "R", .issuer_key = kr, .serial = 3 });
	if (cross_first) {
		cr_assert(trust_store_add_cert(s, cross, TRUST_ANCHOR,
		    "t") == 0);
		cr_assert(trust_store_add_cert(s, self, TRUST_ANCHOR,
		    "t") == 0);
	} else {
		cr_assert(trust_store_add_cert(s, self, TRUST_ANCHOR,
		    "t") == 0);
		cr_assert(trust_store_add_cert(s, cross, TRUST_ANCHOR,
		    "t") == 0);
	}
	cr_assert(trust_store_anchor_for(s, self, T2016)->cert == self,
	    "the valid self-signed copy stands for R (cross first: %d)",
	    cross_first);
	r = build(leaf, (const struct cert *const *)&leaf, 1, s, NULL);
	cr_assert(r->chosen.complete);
	top = path_node_cert(r, &r->chosen, r->chosen.len - 1);
	cr_expect(top == self, "anchor copy %s (cross first: %d)",
	    top == cross ? "the expired cross-sign" : "?", cross_first);
	cr_expect(r->chosen.all_valid, "cross first: %d", cross_first);
	cr_expect_eq(r->chosen.len, 2);
	path_result_free(r);
	cert_free(leaf);
	trust_store_free(s);
}

Test(path, trust_file_order_does_not_choose_the_anchor_copy)
{
	anchor_order_case(1);
	anchor_order_case(0);
}

/*
 * A cross-sign listed in the trust file is a candidate for its link:
 * a leaf under Sub, whose only issuer certificate known anywhere is the
 * trust file's cross-sign of Sub by the anchor Root, reaches Root.
 */
Test(path, a_cross_sign_in_the_trust_file_vouches_for_its_link)
{
	gnutls_x509_privkey_t kroot = P256(0), ksub = P256(1), kl = P256(2);
	struct trust_store *s = trust_store_new();
	struct cert *root, *sub, *leaf;
	struct path_result *r;

	root = certkit_cert(&(struct certkit){ .cn = "Root", .key = kroot,
	    .ca = 1, .serial = 1 });
	sub = certkit_cert(&(struct certkit){ .cn = "Sub", .key = ksub,
	    .issuer_cn = "Root", .issuer_key = kroot, .ca = 1, .serial = 2 });
	leaf = certkit_cert(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "Sub", .issuer_key = ksub, .serial = 3 });
	cr_assert(trust_store_add_cert(s, sub, TRUST_ANCHOR, "t") == 0);
	cr_assert(trust_store_add_cert(s, root, TRUST_ANCHOR, "t") == 0);
	r = build(leaf, (const struct cert *const *)&leaf, 1, s, NULL);
	cr_assert(r->chosen.complete);
	cr_expect(r->chosen.all_valid);
	path_result_free(r);
	cert_free(leaf);
	trust_store_free(s);
}

/* ---- the work budget ---------------------------------------------------- */

/*
 * A key that costs a second per check (a 16k-bit RSA modulus with a
 * 16k-bit exponent) is priced, not tried: the check is cut and said to
 * be, and the cheap issuer sharing its name is still checked and used.
 */
Test(path, a_key_too_slow_to_verify_is_cut_and_a_cheap_issuer_still_used)
{
	gnutls_x509_privkey_t kt = P256(1), kl = P256(2);
	struct trust_store *s = trust_store_new();
	struct cert *c[2];
	struct path_result *r;

	cr_assert(trust_store_add_cert(s, certkit_cert(&(struct certkit){
	    .cn = "Twin", .key = kt, .ca = 1, .serial = 1 }), TRUST_ANCHOR,
	    "test") == 0);
	c[0] = certkit_cert(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "Twin", .issuer_key = kt, .serial = 2 });
	c[1] = certkit_parse(certkit_huge_rsa_ca("Twin", 3));
	cr_assert_gt(sig_verify_cost(c[0], c[1]), BUDGET_DEFAULT_NS,
	    "a 16k exponent priced at %llu ns",
	    (unsigned long long)sig_verify_cost(c[0], c[1]));
	cr_assert_lt(sig_verify_cost(c[0], c[0]), 1000000);

	r = build(c[0], (const struct cert *const *)c, 2, s, NULL);
	cr_expect(r->chosen.complete);
	cr_expect(r->capped);
	cr_expect(r->cut & BUDGET_CUT_SIGNATURES, "cut %#x", r->cut);
	cr_expect_lt(r->work, 10000000, "%llu ns",
	    (unsigned long long)r->work);
	path_result_free(r);

	/* Alone, it gives no path and no claim about its signature. */
	trust_store_free(s);
	s = trust_store_new();
	r = build(c[0], (const struct cert *const *)c, 2, s, NULL);
	cr_expect(!r->chosen.complete);
	cr_expect(r->cut & BUDGET_CUT_SIGNATURES);
	cr_expect_eq(r->sig_checks, 0);
	path_result_free(r);
	cert_free(c[0]);
	cert_free(c[1]);
	trust_store_free(s);
}

/* Keys are priced by size: what a budget of a few checks can afford. */
Test(path, signature_checks_are_priced_by_key)
{
	struct cert *p256 = certkit_cert(&(struct certkit){ .cn = "a",
	    .key = certkit_key(CERTKIT_P256, 0) });
	struct cert *p384 = certkit_cert(&(struct certkit){ .cn = "b",
	    .key = certkit_key(CERTKIT_P384, 0) });
	struct cert *rsa = certkit_cert(&(struct certkit){ .cn = "c",
	    .key = certkit_key(CERTKIT_RSA2048, 0) });

	cr_expect_lt(sig_verify_cost(p256, rsa), sig_verify_cost(p256, p256));
	cr_expect_lt(sig_verify_cost(p256, p256), sig_verify_cost(p256, p384));
	cr_expect_lt(sig_verify_cost(p256, rsa), 100000);
	cert_free(p256);
	cert_free(p384);
	cert_free(rsa);
}
