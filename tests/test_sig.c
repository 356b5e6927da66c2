/*
 * test_sig.c: src/sig.c: verifying a certificate's primary and
 * alternative signatures (verified, failed, unsupported), the strength
 * of a signature, the per-run verification cache (alone and shared by
 * threads), and self-signed certificates.  Certificates come from
 * tests/certkit.h, or from fixtures where another tool's bytes are the
 * point (openssl's MD5 and SHA-1 signatures).
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "certkit.h"
#include "sig.h"
#include "testlib.h"

#define P256(n)	certkit_key(CERTKIT_P256, (n))
#define P384(n)	certkit_key(CERTKIT_P384, (n))

#define OID_ALT_ALG	"2.5.29.73"
#define OID_ALT_VALUE	"2.5.29.74"

/* A self-signed CA certificate named cn with key. */
static struct cert *
ca(const char *cn, gnutls_x509_privkey_t key)
{
	return certkit_cert(&(struct certkit){ .cn = cn, .key = key,
	    .ca = 1 });
}

/* A certificate named cn (a CA when is_ca) issued by issuer with ikey. */
static struct cert *
issued(const char *cn, int is_ca, const char *issuer,
    gnutls_x509_privkey_t ikey, gnutls_digest_algorithm_t dig)
{
	return certkit_cert(&(struct certkit){ .cn = cn, .key = P256(9),
	    .ca = is_ca, .issuer_cn = issuer, .issuer_key = ikey,
	    .digest = dig });
}

/*
 * Replace the n bytes from with to wherever they stand in b; returns
 * how often.
 */
static int
patch(struct der_blob *b, const void *from, const void *to, size_t n)
{
	size_t i;
	int k = 0;

	for (i = 0; i + n <= b->len; i++)
		if (memcmp(b->der + i, from, n) == 0) {
			memcpy(b->der + i, to, n);
			k++;
		}
	return k;
}

static void
expect_stats(struct sig_cache *cache, unsigned long hits,
    unsigned long misses, const char *when)
{
	unsigned long h, m;

	sig_cache_stats(cache, &h, &m);
	cr_expect_eq(h, hits, "%s: %lu hits, not %lu", when, h, hits);
	cr_expect_eq(m, misses, "%s: %lu misses, not %lu", when, m, misses);
}

/* ---- primary signatures ------------------------------------------------ */

Test(sig, each_key_type_verifies_its_own_signature_and_no_other)
{
	static const struct {
		enum certkit_alg		alg;
		gnutls_digest_algorithm_t	dig;
		const char			*name;
	} kinds[] = {
		{ CERTKIT_P256, GNUTLS_DIG_SHA256, "ECDSA-SHA256" },
		{ CERTKIT_P384, GNUTLS_DIG_SHA384, "ECDSA-SHA384" },
		{ CERTKIT_RSA2048, GNUTLS_DIG_SHA256, "RSA-SHA256" },
		{ CERTKIT_ED25519, 0, "EdDSA-Ed25519" },
	};
	struct cert *issuer, *other, *leaf;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		issuer = ca("CA", certkit_key(kinds[i].alg, 0));
		other = ca("CA", certkit_key(kinds[i].alg, 1));
		leaf = issued("leaf", 0, "CA", certkit_key(kinds[i].alg, 0),
		    kinds[i].dig);
		cr_expect_str_eq(leaf->sig_name, kinds[i].name);
		cr_expect_eq(sig_verify(NULL, leaf, issuer), SIG_VERIFIED,
		    "%s", kinds[i].name);
		cr_expect_eq(sig_verify(NULL, leaf, other), SIG_FAILED,
		    "%s: another key of the same name", kinds[i].name);
		cert_free(issuer);
		cert_free(other);
		cert_free(leaf);
	}
}

/* The signature covers every byte of the TBS: a changed name fails. */
Test(sig, a_changed_tbs_fails)
{
	struct cert *issuer = ca("CA", P256(0)), *leaf;
	struct der_blob b;

	b = certkit_der(&(struct certkit){ .cn = "leaf-a", .key = P256(1),
	    .issuer_cn = "CA", .issuer_key = P256(0) });
	cr_assert_eq(patch(&b, "leaf-a", "leaf-b", 6), 1);
	leaf = certkit_parse(b);
	cr_expect_str_eq(cert_subject(leaf), "CN=leaf-b");
	cr_expect_eq(sig_verify(NULL, leaf, issuer), SIG_FAILED);
	cert_free(leaf);
	cert_free(issuer);
}

/* An ECDSA signature is not checked against an RSA key of that name. */
Test(sig, a_key_of_another_algorithm_fails)
{
	struct cert *rsa = ca("CA", certkit_key(CERTKIT_RSA2048, 0));
	struct cert *leaf = issued("leaf", 0, "CA", P256(0), 0);

	cr_expect_eq(sig_verify(NULL, leaf, rsa), SIG_FAILED);
	cert_free(leaf);
	cert_free(rsa);
}

/* An rsaEncryption key may sign with RSASSA-PSS (RFC 4055 1.2). */
Test(sig, rsa_pss_verifies_with_an_rsa_encryption_key)
{
	gnutls_x509_privkey_t key = certkit_key(CERTKIT_RSA2048, 0);
	struct cert *issuer = ca("CA", key), *leaf;

	leaf = certkit_cert(&(struct certkit){ .cn = "leaf", .key = P256(0),
	    .issuer_cn = "CA", .issuer_key = key, .rsa_pss = 1 });
	cr_expect_str_eq(leaf->sig_name, "RSA-PSS-SHA256");
	cr_expect_eq(issuer->key_algo, GNUTLS_PK_RSA);
	cr_expect_eq(sig_verify(NULL, leaf, issuer), SIG_VERIFIED);
	cert_free(leaf);
	cert_free(issuer);
}

/*
 * An auditor has to know whether a broken-hash signature is genuine:
 * MD5 and SHA-1 are checked, and a wrong key still fails.
 */
Test(sig, md5_and_sha1_made_here_are_verified_not_refused)
{
	static const struct {
		enum certkit_alg		alg;
		gnutls_digest_algorithm_t	dig;
		enum hash_rank			rank;
	} weak[] = {
		{ CERTKIT_RSA1024, GNUTLS_DIG_MD5, HASH_MD5 },
		{ CERTKIT_RSA1024, GNUTLS_DIG_SHA1, HASH_SHA1 },
		{ CERTKIT_P256, GNUTLS_DIG_SHA1, HASH_SHA1 },
	};
	struct cert *issuer, *other, *leaf;
	size_t i;

	for (i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		issuer = ca("CA", certkit_key(weak[i].alg, 0));
		other = ca("CA", certkit_key(weak[i].alg, 1));
		leaf = issued("leaf", 0, "CA", certkit_key(weak[i].alg, 0),
		    weak[i].dig);
		cr_expect_eq(sig_hash_strength(leaf).hash, weak[i].rank);
		cr_expect_eq(sig_verify(NULL, leaf, issuer), SIG_VERIFIED,
		    "%s", leaf->sig_name);
		cr_expect_eq(sig_verify(NULL, leaf, other), SIG_FAILED,
		    "%s with the wrong key", leaf->sig_name);
		cr_expect(strength_is_broken(sig_strength(leaf, issuer)));
		cert_free(issuer);
		cert_free(other);
		cert_free(leaf);
	}
}

Test(sig, weak_algorithms_are_verified_not_refused)
{
	struct cert *sha1 = fixture_cert("ca/int-rsa-sha1.pem", 0);
	struct cert *md5 = fixture_cert("chains/md5-leaf.pem", 0);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	struct cert *in = fixture_cert("ca/int-rsa.pem", 0);

	cr_expect_eq(sig_verify(NULL, sha1, root), SIG_VERIFIED);
	cr_expect_eq(sig_verify(NULL, md5, in), SIG_VERIFIED);
	cr_expect_eq(sig_hash_strength(md5).hash, HASH_MD5);
	/* The wrong key fails. */
	cr_expect_eq(sig_verify(NULL, md5, root), SIG_FAILED);
	cert_free(sha1);
	cert_free(md5);
	cert_free(root);
	cert_free(in);
}

Test(sig, corrupted_signature_fails)
{
	struct cert *bad = fixture_cert("ca/int-rsa-badsig.pem", 0);
	struct cert *leaf = fixture_cert("chains/badsig-leaf.pem", 0);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	struct cert *in = fixture_cert("ca/int-rsa.pem", 0);

	cr_expect_eq(sig_verify(NULL, bad, root), SIG_FAILED);
	cr_expect_eq(sig_verify(NULL, leaf, in), SIG_FAILED);
	cr_expect_eq(sig_verify(NULL, in, root), SIG_VERIFIED);
	cert_free(bad);
	cert_free(leaf);
	cert_free(root);
	cert_free(in);
}

/*
 * A signature algorithm GnuTLS does not know (here md5WithRSAEncryption
 * with its last arc changed, in both places it is named) cannot be
 * checked: unsupported, neither verified nor failed.
 */
Test(sig, an_unknown_signature_algorithm_is_unsupported)
{
	static const unsigned char md5rsa[] = { 0x06, 0x09, 0x2a, 0x86,
	    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04 };
	unsigned char unknown[sizeof(md5rsa)];
	gnutls_x509_privkey_t key = certkit_key(CERTKIT_RSA1024, 0);
	struct cert *issuer = ca("CA", key), *leaf;
	struct der_blob b;

	memcpy(unknown, md5rsa, sizeof(md5rsa));
	unknown[sizeof(unknown) - 1] = 0x7f;
	b = certkit_der(&(struct certkit){ .cn = "leaf", .key = P256(0),
	    .issuer_cn = "CA", .issuer_key = key, .digest = GNUTLS_DIG_MD5 });
	cr_assert_eq(patch(&b, md5rsa, unknown, sizeof(md5rsa)), 2);
	leaf = certkit_parse(b);
	cr_expect_eq(leaf->sig_algo, GNUTLS_SIGN_UNKNOWN);
	cr_expect_str_eq(leaf->sig_name, "1.2.840.113549.1.1.127");
	cr_expect_eq(sig_verify(NULL, leaf, issuer), SIG_UNSUPPORTED);
	cert_free(leaf);
	cert_free(issuer);
}

/* An issuer key on a curve GnuTLS does not know cannot check anything. */
Test(sig, an_issuer_key_gnutls_cannot_use_is_unsupported)
{
	static const unsigned char p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48,
	    0xce, 0x3d, 0x03, 0x01, 0x07 };
	unsigned char unknown[sizeof(p256)];
	struct cert *issuer, *leaf = issued("leaf", 0, "CA", P256(0), 0);
	struct der_blob b;

	memcpy(unknown, p256, sizeof(p256));
	unknown[sizeof(unknown) - 1] = 0x63;
	b = certkit_der(&(struct certkit){ .cn = "CA", .key = P256(0),
	    .ca = 1 });
	cr_assert_eq(patch(&b, p256, unknown, sizeof(p256)), 1);
	issuer = certkit_parse(b);
	cr_expect_null(cert_pubkey(issuer));
	cr_expect_eq(sig_verify(NULL, leaf, issuer), SIG_UNSUPPORTED);
	cert_free(leaf);
	cert_free(issuer);
}

Test(sig, status_names)
{
	cr_expect_str_eq(sig_status_name(SIG_VERIFIED), "verified");
	cr_expect_str_eq(sig_status_name(SIG_FAILED), "failed");
	cr_expect_str_eq(sig_status_name(SIG_UNSUPPORTED), "unsupported");
	cr_expect_str_eq(sig_status_name((enum sig_status)99), "?");
}

/* ---- strength ---------------------------------------------------------- */

/*
 * The strength of a signature is its hash family and the weaker of the
 * hash's collision resistance and the issuer key's security bits (NIST
 * SP 800-57 Part 1 Table 2; broken hashes at their best attack).
 */
Test(strength, the_weaker_of_hash_and_issuer_key)
{
	static const struct {
		enum certkit_alg		alg;
		gnutls_digest_algorithm_t	dig;
		enum hash_rank			rank;
		unsigned			bits;
	} t[] = {
		{ CERTKIT_RSA1024, GNUTLS_DIG_SHA256, HASH_STRONG, 80 },
		{ CERTKIT_RSA2048, GNUTLS_DIG_SHA256, HASH_STRONG, 112 },
		{ CERTKIT_RSA3072, GNUTLS_DIG_SHA256, HASH_STRONG, 128 },
		{ CERTKIT_RSA3072, GNUTLS_DIG_SHA512, HASH_STRONG, 128 },
		{ CERTKIT_RSA2048, GNUTLS_DIG_SHA1, HASH_SHA1, 61 },
		{ CERTKIT_RSA2048, GNUTLS_DIG_MD5, HASH_MD5, 18 },
		{ CERTKIT_P256, GNUTLS_DIG_SHA224, HASH_STRONG, 112 },
		{ CERTKIT_P256, GNUTLS_DIG_SHA256, HASH_STRONG, 128 },
		{ CERTKIT_P256, GNUTLS_DIG_SHA512, HASH_STRONG, 128 },
		{ CERTKIT_P384, GNUTLS_DIG_SHA256, HASH_STRONG, 128 },
		{ CERTKIT_P384, GNUTLS_DIG_SHA384, HASH_STRONG, 192 },
		{ CERTKIT_P384, GNUTLS_DIG_SHA1, HASH_SHA1, 61 },
		{ CERTKIT_ED25519, 0, HASH_STRONG, 128 },
	};
	struct cert *issuer, *leaf;
	struct strength s;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		issuer = ca("CA", certkit_key(t[i].alg, 0));
		leaf = issued("leaf", 0, "CA", certkit_key(t[i].alg, 0),
		    t[i].dig);
		s = sig_strength(leaf, issuer);
		cr_expect_eq(s.hash, t[i].rank, "row %zu (%s)", i,
		    leaf->sig_name);
		cr_expect_eq(s.bits, t[i].bits, "row %zu (%s): %u bits", i,
		    leaf->sig_name, s.bits);
		cr_expect_eq(strength_is_broken(s), t[i].rank != HASH_STRONG,
		    "row %zu", i);
		cert_free(issuer);
		cert_free(leaf);
	}
}

Test(strength, ranks_broken_hashes_below_all_others)
{
	struct strength md5 = { HASH_MD5, 112 }, sha1 = { HASH_SHA1, 112 };
	struct strength s256_2048 = { HASH_STRONG, 112 };
	struct strength s256_4096 = { HASH_STRONG, 128 };
	struct strength sha1_big = { HASH_SHA1, 256 };

	cr_expect_lt(strength_cmp(md5, sha1), 0);
	cr_expect_lt(strength_cmp(sha1_big, s256_2048), 0);
	cr_expect_lt(strength_cmp(s256_2048, s256_4096), 0);
	cr_expect_eq(strength_cmp(s256_4096, s256_4096), 0);
	cr_expect(strength_is_broken(sha1));
	cr_expect(!strength_is_broken(s256_2048));
}

/* The order is total and either way round; an unknown hash is broken. */
Test(strength, compares_both_ways_and_an_unknown_hash_is_broken)
{
	struct strength unknown = { HASH_UNKNOWN, 256 };
	struct strength md2 = { HASH_MD2, 256 }, md5 = { HASH_MD5, 18 };
	struct strength weak = { HASH_STRONG, 80 };

	cr_expect_gt(strength_cmp(md5, md2), 0);
	cr_expect_lt(strength_cmp(md2, md5), 0);
	cr_expect_lt(strength_cmp(unknown, md2), 0);
	cr_expect_gt(strength_cmp(weak, md5), 0);
	cr_expect(strength_is_broken(unknown));
	cr_expect(strength_is_broken(md2));
	cr_expect(!strength_is_broken(weak));
}

Test(strength, is_the_weaker_of_hash_and_key_on_fixtures)
{
	struct cert *leaf = fixture_cert("chains/good-rsa.pem", 0);
	struct cert *in = fixture_cert("chains/good-rsa.pem", 1);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	struct strength s;

	/* SHA-256 (128) with an RSA-2048 issuer key (112). */
	s = sig_strength(leaf, in);
	cr_expect_eq(s.hash, HASH_STRONG);
	cr_expect_eq(s.bits, 112);
	/* SHA-256 (128) with an RSA-4096 issuer key (128). */
	s = sig_strength(in, root);
	cr_expect_eq(s.bits, 128);
	cert_free(leaf);
	cert_free(in);
	cert_free(root);
}

/* ---- alternative signatures -------------------------------------------- */

/*
 * A hybrid CA named cn: primary key P256(0), alternative key alt (none
 * when NULL), its alternative self-signature made with alt.
 */
static struct cert *
hybrid_ca(const char *cn, gnutls_x509_privkey_t alt)
{
	return certkit_cert(&(struct certkit){ .cn = cn, .key = P256(0),
	    .ca = 1, .alt_key = alt, .alt_signer = alt,
	    .alt_digest = GNUTLS_DIG_SHA384 });
}

/* A certificate under "H" (P256(0)) whose alternative alt_signer signs. */
static struct cert *
hybrid_issued(int is_ca, gnutls_x509_privkey_t alt_signer,
    gnutls_digest_algorithm_t alt_digest)
{
	return certkit_cert(&(struct certkit){ .cn = "sub", .key = P256(1),
	    .ca = is_ca, .issuer_cn = "H", .issuer_key = P256(0),
	    .alt_signer = alt_signer, .alt_digest = alt_digest });
}

Test(alt, verified_with_the_issuers_alternative_key_only)
{
	struct cert *h = hybrid_ca("H", P384(0));
	struct cert *other = hybrid_ca("H", P384(1));
	struct cert *classic = hybrid_ca("H", NULL);
	struct cert *leaf = hybrid_issued(0, P384(0), GNUTLS_DIG_SHA384);

	cr_assert(leaf->alt_present && h->alt_key_present);
	cr_expect_null(leaf->alt_error);
	cr_expect_eq(sig_verify_alt(NULL, h, h), SIG_VERIFIED);
	cr_expect_eq(sig_verify_alt(NULL, leaf, h), SIG_VERIFIED);
	cr_expect_eq(sig_verify_alt(NULL, leaf, other), SIG_FAILED,
	    "another alternative key");
	cr_expect_eq(sig_verify_alt(NULL, leaf, classic), SIG_FAILED,
	    "an issuer without an alternative key");
	/* The primary signatures stand on their own. */
	cr_expect_eq(sig_verify(NULL, leaf, h), SIG_VERIFIED);
	cr_expect_eq(sig_verify(NULL, leaf, other), SIG_VERIFIED);
	cert_free(h);
	cert_free(other);
	cert_free(classic);
	cert_free(leaf);
}

/*
 * ML-DSA-44 (this GnuTLS has none) is unsupported; an altSignatureValue
 * that is an OCTET STRING instead of a BIT STRING fails.
 */
Test(alt, unknown_algorithm_is_unsupported_and_malformed_value_fails)
{
	static const unsigned char mldsa44[] = { 0x30, 0x0b, 0x06, 0x09,
	    0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11 };
	static const unsigned char bits[] = { 0x03, 0x05, 0x00, 0x01, 0x02,
	    0x03, 0x04 };
	static const unsigned char octets[] = { 0x04, 0x04, 0x01, 0x02,
	    0x03, 0x04 };
	struct cert *h = hybrid_ca("H", P384(0)), *c;
	struct certkit s = { .cn = "sub", .key = P256(1), .issuer_cn = "H",
	    .issuer_key = P256(0),
	    .ext = { { OID_ALT_ALG, mldsa44, sizeof(mldsa44), 0 },
	    { OID_ALT_VALUE, bits, sizeof(bits), 0 } } };

	c = certkit_cert(&s);
	cr_expect_null(c->alt_error, "%s", c->alt_error);
	cr_expect_str_eq(c->alt_sig_oid, "2.16.840.1.101.3.4.3.17");
	cr_expect_eq(sig_verify_alt(NULL, c, h), SIG_UNSUPPORTED);
	cert_free(c);

	s.ext[1].der = octets;
	s.ext[1].len = sizeof(octets);
	c = certkit_cert(&s);
	cr_expect_not_null(c->alt_error);
	cr_expect_eq(sig_verify_alt(NULL, c, h), SIG_FAILED);
	cert_free(c);
	cert_free(h);
}

Test(alt, strength_is_the_weaker_of_alternative_hash_and_key)
{
	struct cert *h384 = hybrid_ca("H", P384(0));
	struct cert *h256 = hybrid_ca("H", P256(2));
	struct cert *classic = hybrid_ca("H", NULL);
	struct cert *c;
	struct strength s;

	c = hybrid_issued(0, P384(0), GNUTLS_DIG_SHA384);
	s = sig_strength_alt(c, h384);
	cr_expect_eq(s.hash, HASH_STRONG);
	cr_expect_eq(s.bits, 192);
	cr_expect_eq(sig_strength_alt(c, h256).bits, 128, "P-256 key");
	cr_expect_eq(sig_strength_alt(c, classic).bits, 0, "no key");
	cert_free(c);
	c = hybrid_issued(0, P384(0), GNUTLS_DIG_SHA256);
	cr_expect_eq(sig_strength_alt(c, h384).bits, 128, "SHA-256");
	cert_free(c);
	c = hybrid_issued(0, P384(0), GNUTLS_DIG_SHA1);
	s = sig_strength_alt(c, h384);
	cr_expect_eq(s.hash, HASH_SHA1);
	cr_expect(strength_is_broken(s));
	cert_free(c);
	cert_free(h384);
	cert_free(h256);
	cert_free(classic);
}

/* ---- the cache ----------------------------------------------------------- */

Test(cache, a_second_verify_of_a_ca_link_is_a_hit)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *root = ca("Root", P256(0));
	struct cert *sub = issued("Sub", 1, "Root", P256(0), 0);

	cr_assert_not_null(cache);
	expect_stats(cache, 0, 0, "new");
	cr_expect_eq(sig_verify(cache, sub, root), SIG_VERIFIED);
	expect_stats(cache, 0, 1, "first");
	cr_expect_eq(sig_verify(cache, sub, root), SIG_VERIFIED);
	expect_stats(cache, 1, 1, "second");
	sig_cache_free(cache);
	cert_free(root);
	cert_free(sub);
}

Test(cache, returns_the_same_answer_and_counts)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *in = fixture_cert("ca/int-rsa.pem", 0);
	struct cert *bad = fixture_cert("ca/int-rsa-badsig.pem", 0);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	unsigned long hits, misses;
	int i;

	for (i = 0; i < 3; i++) {
		cr_expect_eq(sig_verify(cache, in, root), SIG_VERIFIED);
		cr_expect_eq(sig_verify(cache, bad, root), SIG_FAILED);
	}
	sig_cache_stats(cache, &hits, &misses);
	cr_expect_eq(misses, 2);
	cr_expect_eq(hits, 4);
	sig_cache_free(cache);
	cert_free(in);
	cert_free(bad);
	cert_free(root);
}

/*
 * Most leaves are checked once per run: keeping them would grow the cache
 * by one entry per row of a database scan.  A leaf's first check is
 * answered and counted as a miss, not kept; its second is kept, and the
 * third is a hit.  A CA link is kept at once.
 */
Test(cache, keeps_ca_links_and_leaves_that_repeat)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *leaf = fixture_cert("chains/good-rsa.pem", 0);
	struct cert *in = fixture_cert("chains/good-rsa.pem", 1);
	struct cert *root = fixture_cert("ca/root-rsa.pem", 0);
	unsigned long hits, misses;
	int i;

	cr_assert(!leaf->is_ca && in->is_ca);
	for (i = 0; i < 3; i++) {
		cr_expect_eq(sig_verify(cache, leaf, in), SIG_VERIFIED);
		cr_expect_eq(sig_verify(cache, leaf, root), SIG_FAILED);
		cr_expect_eq(sig_verify(cache, in, root), SIG_VERIFIED);
	}
	sig_cache_stats(cache, &hits, &misses);
	cr_expect_eq(misses, 5, "2 + 2 leaf checks + 1 CA link, got %lu",
	    misses);
	cr_expect_eq(hits, 4, "1 + 1 leaf checks + 2 CA links, got %lu", hits);
	sig_cache_free(cache);
	cert_free(leaf);
	cert_free(in);
	cert_free(root);
}

/* One subject under two keys of one name: each answer is its own. */
Test(cache, answers_are_kept_per_issuer_key)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *root = ca("Root", P256(0)), *impostor = ca("Root",
	    P256(1));
	struct cert *sub = issued("Sub", 1, "Root", P256(0), 0);
	int i;

	for (i = 0; i < 2; i++) {
		cr_expect_eq(sig_verify(cache, sub, impostor), SIG_FAILED,
		    "round %d", i);
		cr_expect_eq(sig_verify(cache, sub, root), SIG_VERIFIED,
		    "round %d", i);
	}
	expect_stats(cache, 2, 2, "two keys, twice");
	sig_cache_free(cache);
	cert_free(root);
	cert_free(impostor);
	cert_free(sub);
}

/*
 * A primary signature that verifies says nothing of the alternative,
 * even when the issuer's alternative key is its primary key (the one
 * shape where the two answers would share a cache key but for its kind).
 */
Test(cache, primary_and_alternative_answers_are_kept_apart)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *h = certkit_cert(&(struct certkit){ .cn = "H",
	    .key = P256(0), .ca = 1, .alt_key = P256(0) });
	struct cert *sub = hybrid_issued(1, P384(1), GNUTLS_DIG_SHA384);
	int i;

	cr_assert(h->alt_key_present);
	cr_assert(memcmp(h->alt_spki_sha256, h->spki_sha256,
	    SHA256_LEN) == 0);
	for (i = 0; i < 2; i++) {
		cr_expect_eq(sig_verify(cache, sub, h), SIG_VERIFIED,
		    "round %d", i);
		cr_expect_eq(sig_verify_alt(cache, sub, h), SIG_FAILED,
		    "round %d", i);
	}
	expect_stats(cache, 2, 2, "primary and alternative, twice");
	sig_cache_free(cache);
	cert_free(h);
	cert_free(sub);
}

#define NGROW	2500	/* past the 2 048 entries of the first table */

/* Growing the table re-files every entry: each is still found. */
Test(cache, grows_and_keeps_every_answer)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *root = ca("Root", P256(0)), **sub;
	size_t i;
	int round;

	cr_assert_not_null(sub = calloc(NGROW, sizeof(*sub)));
	for (i = 0; i < NGROW; i++)
		sub[i] = certkit_cert(&(struct certkit){ .cn = "Sub",
		    .key = P256(1), .ca = 1, .issuer_cn = "Root",
		    .issuer_key = i % 2 == 0 ? P256(0) : P256(2),
		    .serial = i + 1 });
	for (round = 0; round < 2; round++)
		for (i = 0; i < NGROW; i++)
			cr_assert_eq(sig_verify(cache, sub[i], root), i % 2 ==
			    0 ? SIG_VERIFIED : SIG_FAILED, "round %d, #%zu",
			    round, i);
	expect_stats(cache, NGROW, NGROW, "two rounds");
	for (i = 0; i < NGROW; i++)
		cert_free(sub[i]);
	free(sub);
	cert_free(root);
	sig_cache_free(cache);
}

#define NTHREADS	8
#define NSHARED		32
#define NROUNDS		100000

struct shared_work {
	struct sig_cache	*cache;
	struct cert		*root;		/* borrowed */
	struct cert		**subs;		/* borrowed */
	int			 wrong;		/* answers not as expected */
};

static void *
verify_all(void *arg)
{
	struct shared_work *w = arg;
	size_t i;
	int round;

	for (round = 0; round < NROUNDS; round++)
		for (i = 0; i < NSHARED; i++)
			if (sig_verify(w->cache, w->subs[i], w->root) !=
			    (i % 2 == 0 ? SIG_VERIFIED : SIG_FAILED))
				w->wrong++;
	return NULL;
}

/*
 * A run's threads share one cache: every answer is right, and every
 * lookup is counted once, as a hit or a miss (a miss per certificate and
 * thread at most: two threads may both miss before either stores).
 */
Test(cache, is_shared_safely_by_threads, .timeout = 60)
{
	struct shared_work w[NTHREADS];
	struct sig_cache *cache = sig_cache_new();
	struct cert *root = ca("Root", P256(0)), *subs[NSHARED];
	pthread_t t[NTHREADS];
	unsigned long hits, misses;
	size_t i;

	for (i = 0; i < NSHARED; i++)
		subs[i] = certkit_cert(&(struct certkit){ .cn = "Sub",
		    .key = P256(1), .ca = 1, .issuer_cn = "Root",
		    .issuer_key = i % 2 == 0 ? P256(0) : P256(2),
		    .serial = i + 1 });
	for (i = 0; i < NTHREADS; i++) {
		w[i] = (struct shared_work){ cache, root, subs, 0 };
		cr_assert_eq(pthread_create(&t[i], NULL, verify_all, &w[i]),
		    0);
	}
	for (i = 0; i < NTHREADS; i++) {
		cr_assert_eq(pthread_join(t[i], NULL), 0);
		cr_expect_eq(w[i].wrong, 0, "thread %zu", i);
	}
	sig_cache_stats(cache, &hits, &misses);
	cr_expect_eq(hits + misses, NTHREADS * NSHARED * NROUNDS,
	    "%lu hits + %lu misses", hits, misses);
	cr_expect(misses >= NSHARED && misses <= NTHREADS * NSHARED,
	    "%lu misses", misses);
	for (i = 0; i < NSHARED; i++)
		cert_free(subs[i]);
	cert_free(root);
	sig_cache_free(cache);
}

/* ---- self-signed --------------------------------------------------------- */

/*
 * Self-signed means self-issued and verified by its own key: the same
 * name signed by another key is not, and neither is a certificate its
 * own key signed under another issuer name.
 */
Test(self_signed, only_when_its_own_key_verifies_it)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *root = ca("Root", P256(0));
	struct cert *renamed = certkit_cert(&(struct certkit){ .cn = "Root",
	    .key = P256(0), .ca = 1, .issuer_cn = "Elsewhere" });
	struct cert *other_key = certkit_cert(&(struct certkit){
	    .cn = "Root", .key = P256(0), .ca = 1, .issuer_cn = "Root",
	    .issuer_key = P256(1) });

	cr_expect(sig_is_self_signed(NULL, root));
	cr_expect(!sig_is_self_signed(NULL, renamed));
	cr_expect(other_key->self_issued);
	cr_expect(!sig_is_self_signed(NULL, other_key));
	/* Through a cache, the second answer is a hit and the same. */
	cr_expect(sig_is_self_signed(cache, root));
	cr_expect(sig_is_self_signed(cache, root));
	expect_stats(cache, 1, 1, "self-signed twice");
	sig_cache_free(cache);
	cert_free(root);
	cert_free(renamed);
	cert_free(other_key);
}
