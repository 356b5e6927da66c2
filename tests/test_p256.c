/*
 * test_p256.c: src/p256.c, P-256 verified by nettle directly: which keys
 * it takes, that it says yes only to a good signature in strict DER,
 * and that sig_verify answers as GnuTLS alone does (GnuTLS has the last
 * word on whatever p256.c does not verify).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gnutls/abstract.h>

#include "certkit.h"
#include "p256.h"
#include "sig.h"
#include "testlib.h"

#define P256(n)	certkit_key(CERTKIT_P256, (n))

/* A CA named cn with key, and a leaf it signs with SHA-256 (or dig). */
static struct cert *
ca(const char *cn, gnutls_x509_privkey_t key)
{
	return certkit_cert(&(struct certkit){ .cn = cn, .key = key,
	    .ca = 1 });
}

static struct cert *
leaf(const char *cn, gnutls_x509_privkey_t ikey,
    gnutls_digest_algorithm_t dig)
{
	return certkit_cert(&(struct certkit){ .cn = cn, .key = P256(9),
	    .issuer_cn = "CA", .issuer_key = ikey, .digest = dig });
}

/* What GnuTLS alone says of subject's signature with issuer's key. */
static enum sig_status
gnutls_says(const struct cert *subject, const struct cert *issuer)
{
	gnutls_datum_t d = { (unsigned char *)subject->tbs,
	    (unsigned)subject->tbs_len };
	int ret = gnutls_pubkey_verify_data2(cert_pubkey(issuer),
	    subject->sig_algo, GNUTLS_VERIFY_ALLOW_BROKEN |
	    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &d, &subject->signature);

	return ret >= 0 ? SIG_VERIFIED : SIG_FAILED;
}

Test(p256, takes_p256_keys_only)
{
	static const enum certkit_alg others[] = { CERTKIT_P384,
	    CERTKIT_RSA2048, CERTKIT_ED25519 };
	struct der_blob spki = certkit_spki(P256(0));
	struct p256_key *k;
	size_t i;

	cr_assert_not_null(k = p256_key_new(spki.der, spki.len));
	p256_key_free(k);
	/* A point off the curve: the last byte of y changed. */
	spki.der[spki.len - 1] ^= 1;
	cr_expect_null(p256_key_new(spki.der, spki.len));
	spki.der[spki.len - 1] ^= 1;
	/* Truncated. */
	cr_expect_null(p256_key_new(spki.der, spki.len - 1));
	free(spki.der);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		spki = certkit_spki(certkit_key(others[i], 0));
		cr_expect_null(p256_key_new(spki.der, spki.len), "alg %zu", i);
		free(spki.der);
	}
	p256_key_free(NULL);
}

/*
 * Yes to the signature as made; no to a changed TBS, to another key, and
 * to the same r and s in an encoding that is not strict DER (a long-form
 * length, a superfluous leading zero): those go to GnuTLS.
 */
Test(p256, says_yes_only_to_a_good_strict_signature)
{
	struct cert *issuer = ca("CA", P256(0)), *other = ca("CA", P256(1));
	struct cert *c = leaf("leaf", P256(0), GNUTLS_DIG_SHA256);
	struct p256_key *k = p256_key_new(issuer->spki, issuer->spki_len);
	struct p256_key *ko = p256_key_new(other->spki, other->spki_len);
	unsigned char *tbs, sig[160];
	const unsigned char *s = c->signature.data;
	size_t n = c->signature.size;

	cr_assert_not_null(k);
	cr_assert_not_null(ko);
	cr_assert(n > 8 && n + 2 <= sizeof(sig) && s[0] == 0x30 && s[1] < 0x80);
	cr_expect_eq(p256_verify_sha256(k, c->tbs, c->tbs_len, s, n), 1);
	cr_expect_eq(p256_verify_sha256(ko, c->tbs, c->tbs_len, s, n), 0);
	cr_assert_not_null(tbs = malloc(c->tbs_len));
	memcpy(tbs, c->tbs, c->tbs_len);
	tbs[c->tbs_len - 1] ^= 1;
	cr_expect_eq(p256_verify_sha256(k, tbs, c->tbs_len, s, n), 0);
	free(tbs);
	/* SEQUENCE with a long-form length. */
	sig[0] = 0x30;
	sig[1] = 0x81;
	sig[2] = s[1];
	memcpy(sig + 3, s + 2, n - 2);
	cr_expect_eq(p256_verify_sha256(k, c->tbs, c->tbs_len, sig, n + 1), 0);
	/* r with one more leading zero than DER allows. */
	cr_assert_eq(s[2], 0x02);
	sig[0] = 0x30;
	sig[1] = (unsigned char)(s[1] + 1);
	sig[2] = 0x02;
	sig[3] = (unsigned char)(s[3] + 1);
	sig[4] = 0x00;
	memcpy(sig + 5, s + 4, n - 4);
	cr_expect_eq(p256_verify_sha256(k, c->tbs, c->tbs_len, sig, n + 1), 0);
	/* Trailing bytes, and truncation. */
	memcpy(sig, s, n);
	sig[n] = 0;
	cr_expect_eq(p256_verify_sha256(k, c->tbs, c->tbs_len, sig, n + 1), 0);
	cr_expect_eq(p256_verify_sha256(k, c->tbs, c->tbs_len, s, n - 1), 0);
	p256_key_free(k);
	p256_key_free(ko);
	cert_free(c);
	cert_free(issuer);
	cert_free(other);
}

/*
 * sig_verify, with a cache and without, answers as GnuTLS alone on P-256
 * signatures good and bad, by the right key and the wrong one, with
 * SHA-256 (through p256.c) and SHA-384 (GnuTLS only), many times over
 * (the cache keeps each issuer's key once).
 */
Test(p256, sig_verify_answers_as_gnutls)
{
	struct sig_cache *cache = sig_cache_new();
	struct cert *issuer = ca("CA", P256(0)), *other = ca("CA", P256(1));
	struct cert *c[3];
	const struct cert *keys[2] = { issuer, other };
	size_t i, j;
	int round;

	c[0] = leaf("a", P256(0), GNUTLS_DIG_SHA256);
	c[1] = leaf("b", P256(0), GNUTLS_DIG_SHA384);
	c[2] = leaf("c", P256(1), GNUTLS_DIG_SHA256);
	for (round = 0; round < 3; round++)
		for (i = 0; i < 3; i++)
			for (j = 0; j < 2; j++) {
				enum sig_status want = gnutls_says(c[i],
				    keys[j]);

				cr_expect_eq(sig_verify(cache, c[i], keys[j]),
				    want, "leaf %zu key %zu", i, j);
				cr_expect_eq(sig_verify(NULL, c[i], keys[j]),
				    want, "leaf %zu key %zu, no cache", i, j);
			}
	cr_expect_eq(gnutls_says(c[0], issuer), SIG_VERIFIED);
	cr_expect_eq(gnutls_says(c[2], issuer), SIG_FAILED);
	for (i = 0; i < 3; i++)
		cert_free(c[i]);
	cert_free(issuer);
	cert_free(other);
	sig_cache_free(cache);
}
