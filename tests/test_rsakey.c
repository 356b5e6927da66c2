/*
 * test_rsakey.c: src/rsakey.c, RSA PKCS#1 v1.5 verified by nettle
 * directly: which keys it takes, and that on every signature it is shown
 * (good, a bit flipped, a byte short or long, >= n, zero, a DigestInfo
 * that is not GnuTLS's, another hash) it answers exactly as
 * gnutls_pubkey_verify_data2 does with the flags sig.c passes; and that
 * sig_verify answers as GnuTLS alone over many generated certificates
 * (1024 to 4096 bits, e = 3 and 65537, RSA-PSS keys, SHA-1 to SHA-512,
 * good signatures and bad).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gmp.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <nettle/bignum.h>
#include <nettle/rsa.h>

#include "certkit.h"
#include "rsakey.h"
#include "sig.h"
#include "testlib.h"

#define FLAGS	(GNUTLS_VERIFY_ALLOW_BROKEN | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1)
#define RSA(bits, n)	certkit_key(CERTKIT_RSA##bits, (n))

/* The DER DigestInfo prefixes of RFC 8017 9.2 note 1. */
static const unsigned char di_sha1[] = { 0x30, 0x21, 0x30, 0x09, 0x06,
    0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 };
static const unsigned char di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06,
    0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
    0x04, 0x20 };
/* SHA-256 without the NULL parameters (RFC 8017 allows reading both). */
static const unsigned char di_sha256_bare[] = { 0x30, 0x2f, 0x30, 0x0b,
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04,
    0x20 };

static void
rnd(void *ctx, size_t n, uint8_t *dst)
{
	(void)ctx;
	cr_assert(gnutls_rnd(GNUTLS_RND_RANDOM, dst, n) == 0);
}

/* An mpz as a new datum (gnutls_free it). */
static gnutls_datum_t
datum_of(const mpz_t v)
{
	gnutls_datum_t d;

	d.size = (unsigned)nettle_mpz_sizeinbase_256_u(v);
	cr_assert_not_null(d.data = gnutls_malloc(d.size));
	nettle_mpz_get_str_256(d.size, d.data, v);
	return d;
}

/* A new RSA key of bits with public exponent 3 (GnuTLS makes 65537). */
static gnutls_x509_privkey_t
e3_key(unsigned bits)
{
	struct rsa_public_key pub;
	struct rsa_private_key priv;
	gnutls_x509_privkey_t k;
	gnutls_datum_t d[8];
	size_t i;

	rsa_public_key_init(&pub);
	rsa_private_key_init(&priv);
	mpz_set_ui(pub.e, 3);
	cr_assert(rsa_generate_keypair(&pub, &priv, NULL, rnd, NULL, NULL,
	    bits, 0) == 1);
	d[0] = datum_of(pub.n);
	d[1] = datum_of(pub.e);
	d[2] = datum_of(priv.d);
	d[3] = datum_of(priv.p);
	d[4] = datum_of(priv.q);
	d[5] = datum_of(priv.c);
	d[6] = datum_of(priv.a);
	d[7] = datum_of(priv.b);
	cr_assert(gnutls_x509_privkey_init(&k) == 0);
	cr_assert(gnutls_x509_privkey_import_rsa_raw2(k, &d[0], &d[1], &d[2],
	    &d[3], &d[4], &d[5], &d[6], &d[7]) == 0);
	for (i = 0; i < 8; i++)
		gnutls_free(d[i].data);
	rsa_public_key_clear(&pub);
	rsa_private_key_clear(&priv);
	return k;
}

/* The same key pair as rsa, its public key an RSASSA-PSS one. */
static gnutls_x509_privkey_t
pss_twin(gnutls_x509_privkey_t rsa)
{
	gnutls_datum_t d[8];
	gnutls_x509_privkey_t k;
	gnutls_x509_spki_t spki;
	size_t i;

	cr_assert(gnutls_x509_privkey_export_rsa_raw2(rsa, &d[0], &d[1],
	    &d[2], &d[3], &d[4], &d[5], &d[6], &d[7]) == 0);
	cr_assert(gnutls_x509_privkey_init(&k) == 0);
	cr_assert(gnutls_x509_privkey_import_rsa_raw2(k, &d[0], &d[1], &d[2],
	    &d[3], &d[4], &d[5], &d[6], &d[7]) == 0);
	for (i = 0; i < 8; i++)
		gnutls_free(d[i].data);
	cr_assert(gnutls_x509_spki_init(&spki) == 0);
	gnutls_x509_spki_set_rsa_pss_params(spki, GNUTLS_DIG_SHA256, 32);
	cr_assert(gnutls_x509_privkey_set_spki(k, spki, 0) == 0);
	gnutls_x509_spki_deinit(spki);
	cr_assert_eq(gnutls_x509_privkey_get_pk_algorithm(k), GNUTLS_PK_RSA_PSS);
	return k;
}

/* A signing handle for key (deinit it). */
static gnutls_privkey_t
signer(gnutls_x509_privkey_t key)
{
	gnutls_privkey_t p;

	cr_assert(gnutls_privkey_init(&p) == 0);
	cr_assert(gnutls_privkey_import_x509(p, key, 0) == 0);
	return p;
}

/*
 * Both answers for one signature: rsakey's (k) and GnuTLS's (pub).  They
 * must be equal; the common answer is returned.
 */
static int
both_say(const struct rsakey *k, gnutls_pubkey_t pub, int algo,
    const gnutls_datum_t *data, const unsigned char *sig, size_t siglen,
    const char *what)
{
	gnutls_datum_t s = { (unsigned char *)sig, (unsigned)siglen };
	int fast = rsakey_verify(k, algo, data->data, data->size, sig, siglen);
	int slow = gnutls_pubkey_verify_data2(pub, algo, FLAGS, data, &s) >= 0;

	cr_expect_eq(fast, slow, "%s: rsakey says %d, GnuTLS %d", what, fast,
	    slow);
	return slow;
}

/*
 * Both answers for key's PKCS#1 v1.5 signature of a DigestInfo made by
 * hand, prefix || digest (the prefix's two lengths fixed up for dlen),
 * asked as sha256WithRSAEncryption of data.
 */
static int
by_hand(gnutls_x509_privkey_t key, const struct rsakey *k,
    gnutls_pubkey_t pub, const gnutls_datum_t *data,
    const unsigned char *prefix, size_t plen, const unsigned char *digest,
    size_t dlen, const char *name)
{
	gnutls_privkey_t p = signer(key);
	unsigned char buf[128];
	gnutls_datum_t di = { buf, (unsigned)(plen + dlen) }, sig;
	int ok;

	cr_assert(plen + dlen <= sizeof(buf) && plen + dlen < 0x80);
	memcpy(buf, prefix, plen);
	buf[1] = (unsigned char)(plen + dlen - 2);
	buf[plen - 1] = (unsigned char)dlen;
	memcpy(buf + plen, digest, dlen);
	cr_assert(gnutls_privkey_sign_hash(p, GNUTLS_DIG_SHA256,
	    GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA, &di, &sig) == 0);
	ok = both_say(k, pub, GNUTLS_SIGN_RSA_SHA256, data, sig.data,
	    sig.size, name);
	gnutls_free(sig.data);
	gnutls_privkey_deinit(p);
	return ok;
}

/* ---- keys -------------------------------------------------------------- */

/*
 * An RSAPublicKey by hand: SEQUENCE { n, e } inside an rsaEncryption
 * SPKI, n given with pad extra leading zero octets (strict DER has only
 * a sign octet).  The caller frees .der.
 */
static struct der_blob
rsa_spki(const unsigned char *n, size_t nlen, unsigned pad,
    unsigned long e)
{
	static const unsigned char alg[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a,
	    0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };
	unsigned char *b, *p;
	size_t ilen = nlen + pad + (n[0] & 0x80 ? 1 : 0), klen, blen, slen;
	struct der_blob out;

	/* Lengths here are all in two octets: 256 to 65535. */
	cr_assert(ilen >= 256 && ilen < 60000);
	klen = 4 + ilen + 5;		/* n, then e as 02 03 xx xx xx */
	blen = 1 + 4 + klen;		/* unused-bits octet, SEQUENCE */
	slen = sizeof(alg) + 4 + blen;
	cr_assert_not_null(p = b = malloc(4 + slen));
	*p++ = 0x30, *p++ = 0x82, *p++ = slen >> 8, *p++ = slen & 0xff;
	memcpy(p, alg, sizeof(alg));
	p += sizeof(alg);
	*p++ = 0x03, *p++ = 0x82, *p++ = blen >> 8, *p++ = blen & 0xff;
	*p++ = 0;
	*p++ = 0x30, *p++ = 0x82, *p++ = klen >> 8, *p++ = klen & 0xff;
	*p++ = 0x02, *p++ = 0x82, *p++ = ilen >> 8, *p++ = ilen & 0xff;
	memset(p, 0, ilen - nlen);
	p += ilen - nlen;
	memcpy(p, n, nlen);
	p += nlen;
	*p++ = 0x02, *p++ = 0x03;
	*p++ = e >> 16, *p++ = (e >> 8) & 0xff, *p++ = e & 0xff;
	out.der = b;
	out.len = (size_t)(p - b);
	cr_assert_eq(out.len, 4 + slen);
	return out;
}

/* A key rsakey_new takes, or not; and whether GnuTLS imports it. */
static int
takes(struct der_blob b, int *gnutls_imports)
{
	struct rsakey *k = rsakey_new(b.der, b.len);
	gnutls_pubkey_t pub;
	gnutls_datum_t d = { b.der, (unsigned)b.len };

	cr_assert(gnutls_pubkey_init(&pub) == 0);
	*gnutls_imports = gnutls_pubkey_import(pub, &d, GNUTLS_X509_FMT_DER)
	    == 0;
	gnutls_pubkey_deinit(pub);
	rsakey_free(k);
	free(b.der);
	return k != NULL;
}

/*
 * rsaEncryption keys of every size and exponent are taken; EC, EdDSA,
 * DSA and RSA-PSS keys are not, nor an RSAPublicKey that is not strict
 * DER (a superfluous zero octet before n), nor an even modulus (nettle
 * refuses it, and GnuTLS with it), nor a truncated SPKI.
 */
Test(rsakey, takes_plain_rsa_keys_only)
{
	gnutls_x509_privkey_t keys[] = { RSA(1024, 0), RSA(2048, 0),
	    RSA(3072, 0), e3_key(2048) };
	gnutls_x509_privkey_t others[] = { certkit_key(CERTKIT_P256, 0),
	    certkit_key(CERTKIT_P384, 0), certkit_key(CERTKIT_ED25519, 0),
	    certkit_key(CERTKIT_DSA2048, 0), pss_twin(RSA(2048, 0)) };
	gnutls_datum_t m, e;
	unsigned char *mfree;
	struct der_blob b;
	size_t i;
	int imports;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		b = certkit_spki(keys[i]);
		cr_expect(takes(b, &imports), "key %zu", i);
		cr_expect(imports, "key %zu", i);
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		b = certkit_spki(others[i]);
		cr_expect_not(takes(b, &imports), "other key %zu", i);
	}
	b = certkit_spki(keys[1]);
	b.len--;
	cr_expect_not(takes(b, &imports), "truncated");

	/* By hand: as made, then with a zero octet too many, then even. */
	cr_assert(gnutls_x509_privkey_export_rsa_raw(keys[1], &m, &e, NULL,
	    NULL, NULL, NULL) == 0);
	mfree = m.data;
	while (m.size > 0 && m.data[0] == 0)
		m.data++, m.size--;	/* GnuTLS may give the sign octet */
	cr_expect(takes(rsa_spki(m.data, m.size, 0, 65537), &imports));
	cr_expect(imports);
	cr_expect_not(takes(rsa_spki(m.data, m.size, 1, 65537), &imports));
	m.data[m.size - 1] ^= 1;
	cr_expect_not(takes(rsa_spki(m.data, m.size, 0, 65537), &imports));
	gnutls_free(mfree);
	gnutls_free(e.data);
	rsakey_free(NULL);
	/* Made here (certkit's keys are shared and stay). */
	gnutls_x509_privkey_deinit(keys[3]);
	gnutls_x509_privkey_deinit(others[4]);
}

/* ---- signatures -------------------------------------------------------- */

/*
 * Every way of getting a signature wrong that GnuTLS checks, on one key:
 * each answer equal to GnuTLS's, and the expected one.
 */
static void
signatures_of(gnutls_x509_privkey_t key, const char *name)
{
	static const int algos[] = { GNUTLS_SIGN_RSA_SHA256,
	    GNUTLS_SIGN_RSA_SHA384, GNUTLS_SIGN_RSA_SHA512 };
	static const unsigned char msg[] = "tbsCertificate, say";
	gnutls_datum_t data = { (unsigned char *)msg, sizeof(msg) - 1 };
	struct der_blob spki = certkit_spki(key);
	struct rsakey *k = rsakey_new(spki.der, spki.len);
	gnutls_privkey_t priv = signer(key);
	gnutls_pubkey_t pub;
	gnutls_datum_t sig, mod, ex;
	unsigned char h256[32], h1[20], *buf;
	mpz_t s, n;
	size_t i, len;

	cr_assert_not_null(k, "%s", name);
	cr_assert(gnutls_pubkey_init(&pub) == 0);
	cr_assert(gnutls_pubkey_import_privkey(pub, priv, 0, 0) == 0);
	for (i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
		cr_assert(gnutls_privkey_sign_data2(priv, algos[i], 0, &data,
		    &sig) == 0);
		len = sig.size;
		cr_assert_not_null(buf = malloc(len + 1));
		cr_expect(both_say(k, pub, algos[i], &data, sig.data, len,
		    name), "%s: a good signature", name);
		/* Asked as another hash. */
		cr_expect_not(both_say(k, pub, algos[(i + 1) % 3], &data,
		    sig.data, len, name));
		/* Another algorithm altogether: GnuTLS alone. */
		cr_expect_eq(rsakey_verify(k, GNUTLS_SIGN_RSA_SHA1, data.data,
		    data.size, sig.data, len), 0);
		/* A bit flipped, first and last octet. */
		memcpy(buf, sig.data, len);
		buf[0] ^= 0x01;
		cr_expect_not(both_say(k, pub, algos[i], &data, buf, len,
		    name));
		memcpy(buf, sig.data, len);
		buf[len - 1] ^= 0x80;
		cr_expect_not(both_say(k, pub, algos[i], &data, buf, len,
		    name));
		/* A byte short, a byte long (a zero octet in front: the same
		 * value), and no signature at all. */
		cr_expect_not(both_say(k, pub, algos[i], &data, sig.data + 1,
		    len - 1, name));
		buf[0] = 0;
		memcpy(buf + 1, sig.data, len);
		cr_expect_not(both_say(k, pub, algos[i], &data, buf, len + 1,
		    name));
		cr_expect_not(both_say(k, pub, algos[i], &data, buf, 0, name));
		/* Zero, n, and s + n when it fits: s mod n is still right. */
		memset(buf, 0, len);
		cr_expect_not(both_say(k, pub, algos[i], &data, buf, len,
		    name));
		cr_assert(gnutls_pubkey_export_rsa_raw2(pub, &mod, &ex, 0) ==
		    0);
		mpz_init(s);
		mpz_init(n);
		nettle_mpz_set_str_256_u(n, mod.size, mod.data);
		nettle_mpz_set_str_256_u(s, len, sig.data);
		cr_assert_eq(nettle_mpz_sizeinbase_256_u(n), len);
		nettle_mpz_get_str_256(len, buf, n);
		cr_expect_not(both_say(k, pub, algos[i], &data, buf, len,
		    name));
		mpz_add(s, s, n);
		if (nettle_mpz_sizeinbase_256_u(s) == len) {
			nettle_mpz_get_str_256(len, buf, s);
			cr_expect_not(both_say(k, pub, algos[i], &data, buf,
			    len, name), "%s: s + n", name);
		}
		mpz_clear(s);
		mpz_clear(n);
		gnutls_free(mod.data);
		gnutls_free(ex.data);
		free(buf);
		gnutls_free(sig.data);
	}

	/* DigestInfos by hand: GnuTLS's own (yes), then others (no). */
	cr_assert(gnutls_hash_fast(GNUTLS_DIG_SHA256, data.data, data.size,
	    h256) == 0);
	cr_assert(gnutls_hash_fast(GNUTLS_DIG_SHA1, data.data, data.size,
	    h1) == 0);
	cr_expect(by_hand(key, k, pub, &data, di_sha256, sizeof(di_sha256),
	    h256, 32, name), "%s: the DigestInfo by hand", name);
	/* No NULL parameters: a valid encoding, but not the one GnuTLS makes. */
	cr_expect_not(by_hand(key, k, pub, &data, di_sha256_bare,
	    sizeof(di_sha256_bare), h256, 32, name));
	/* A SHA-1 digest under the SHA-256 OID, and the other way round. */
	cr_expect_not(by_hand(key, k, pub, &data, di_sha256,
	    sizeof(di_sha256), h1, 20, name));
	cr_expect_not(by_hand(key, k, pub, &data, di_sha1, sizeof(di_sha1),
	    h256, 32, name));
	/* SHA-1 done right, but asked as SHA-256. */
	cr_expect_not(by_hand(key, k, pub, &data, di_sha1, sizeof(di_sha1),
	    h1, 20, name));
	/* The data changed. */
	data.size--;
	cr_expect_not(by_hand(key, k, pub, &data, di_sha256,
	    sizeof(di_sha256), h256, 32, name));
	gnutls_pubkey_deinit(pub);
	gnutls_privkey_deinit(priv);
	rsakey_free(k);
	free(spki.der);
}

Test(rsakey, answers_as_gnutls_rsa1024)
{
	signatures_of(RSA(1024, 0), "RSA-1024");
}

Test(rsakey, answers_as_gnutls_rsa2048)
{
	signatures_of(RSA(2048, 0), "RSA-2048");
}

Test(rsakey, answers_as_gnutls_rsa2048_e3)
{
	gnutls_x509_privkey_t k = e3_key(2048);

	signatures_of(k, "RSA-2048 e=3");
	gnutls_x509_privkey_deinit(k);
}

/* 1,100 bits: the signature not whole 64-bit words (read octet-wise). */
Test(rsakey, answers_as_gnutls_rsa1100_e3)
{
	gnutls_x509_privkey_t k = e3_key(1100);

	signatures_of(k, "RSA-1100 e=3");
	gnutls_x509_privkey_deinit(k);
}

Test(rsakey, answers_as_gnutls_rsa4096, .timeout = 120)
{
	gnutls_x509_privkey_t k;

	cr_assert(gnutls_x509_privkey_init(&k) == 0);
	cr_assert(gnutls_x509_privkey_generate(k, GNUTLS_PK_RSA, 4096, 0) ==
	    0);
	signatures_of(k, "RSA-4096");
	gnutls_x509_privkey_deinit(k);
}

/* ---- sig_verify over many certificates -------------------------------- */

/* What GnuTLS alone says of subject's signature with issuer's key. */
static enum sig_status
gnutls_says(const struct cert *subject, const struct cert *issuer)
{
	gnutls_datum_t d = { (unsigned char *)subject->tbs,
	    (unsigned)subject->tbs_len };
	gnutls_pubkey_t pub = cert_pubkey(issuer);

	if (pub == NULL)
		return SIG_UNSUPPORTED;
	return gnutls_pubkey_verify_data2(pub, subject->sig_algo, FLAGS, &d,
	    &subject->signature) >= 0 ? SIG_VERIFIED : SIG_FAILED;
}

/*
 * subject against issuer: sig_verify with the run's cache and without
 * it equals GnuTLS alone; 1 when verified.
 */
static int
agree(struct sig_cache *cache, const struct cert *subject,
    const struct cert *issuer, const char *what, size_t i, size_t j)
{
	enum sig_status want = gnutls_says(subject, issuer);

	cr_expect_eq(sig_verify(cache, subject, issuer), want,
	    "%s: leaf %zu, issuer %zu", what, i, j);
	cr_expect_eq(sig_verify(NULL, subject, issuer), want,
	    "%s: leaf %zu, issuer %zu, no cache", what, i, j);
	return want == SIG_VERIFIED;
}

#define NISSUERS	9
#define NDIGESTS	5

/*
 * Issuers of 1024 to 3072 bits (two keys of 2048), e = 3, an RSA-PSS
 * twin of an rsaEncryption key (same n and e) and a P-256 key; leaves
 * each of them signs with SHA-1, SHA-256, SHA-384, SHA-512 and (RSA)
 * PSS.  Every leaf against every issuer, twice (the second time the
 * issuer keys come from the cache), then with each leaf's signature
 * damaged (a bit flipped; s + n): the verdicts are GnuTLS's.
 */
Test(rsakey, sig_verify_answers_as_gnutls_on_many_certificates,
    .timeout = 120)
{
	static const gnutls_digest_algorithm_t digs[NDIGESTS] = {
	    GNUTLS_DIG_SHA1, GNUTLS_DIG_SHA256, GNUTLS_DIG_SHA384,
	    GNUTLS_DIG_SHA512, GNUTLS_DIG_SHA256 };
	gnutls_x509_privkey_t ikey[NISSUERS] = { RSA(1024, 0), RSA(2048, 0),
	    RSA(2048, 1), RSA(3072, 0), e3_key(2048), e3_key(1024),
	    pss_twin(RSA(2048, 0)), certkit_key(CERTKIT_P256, 0),
	    RSA(1024, 1) };
	struct cert *issuer[NISSUERS], *leaf[NISSUERS * NDIGESTS];
	struct sig_cache *cache = sig_cache_new();
	size_t i, j, nleaves = 0, yes = 0, no = 0, fast_yes = 0;
	int round;

	cr_assert_not_null(cache);
	for (i = 0; i < NISSUERS; i++)
		issuer[i] = certkit_cert(&(struct certkit){ .cn = "CA",
		    .key = ikey[i], .ca = 1 });
	for (i = 0; i < NISSUERS; i++)
		for (j = 0; j < NDIGESTS; j++) {
			int pss = j == NDIGESTS - 1;

			int algo = gnutls_x509_privkey_get_pk_algorithm(
			    ikey[i]);

			/* A PSS key signs PSS with its one hash; P-256 not
			 * with SHA-1 here, nor PSS. */
			if ((algo == GNUTLS_PK_RSA_PSS && j != 1) ||
			    (algo == GNUTLS_PK_EC && (pss || j == 0)))
				continue;
			leaf[nleaves++] = certkit_cert(&(struct certkit){
			    .cn = "leaf", .key = RSA(2048, 2),
			    .issuer_cn = "CA", .issuer_key = ikey[i],
			    .digest = digs[j], .rsa_pss = pss });
		}
	for (round = 0; round < 2; round++)
		for (i = 0; i < nleaves; i++)
			for (j = 0; j < NISSUERS; j++) {
				if (agree(cache, leaf[i], issuer[j], "as made",
				    i, j))
					yes++;
				else
					no++;
			}
	/* Damaged: the result cache never saw these bytes' verdicts. */
	for (i = 0; i < nleaves; i++) {
		gnutls_datum_t keep = leaf[i]->signature, bad;
		struct rsakey *k;

		cr_assert_not_null(bad.data = malloc(keep.size));
		bad.size = keep.size;
		memcpy(bad.data, keep.data, keep.size);
		bad.data[bad.size / 2] ^= 0x10;
		leaf[i]->signature = bad;
		for (j = 0; j < NISSUERS; j++) {
			struct sig_cache *fresh = sig_cache_new();

			if (agree(fresh, leaf[i], issuer[j], "bit flipped", i,
			    j))
				yes++;
			else
				no++;
			sig_cache_free(fresh);
		}
		leaf[i]->signature = keep;
		free(bad.data);
		/* How many verdicts the fast path gave by itself. */
		for (j = 0; j < NISSUERS; j++)
			if ((k = rsakey_new(issuer[j]->spki,
			    issuer[j]->spki_len)) != NULL) {
				fast_yes += (size_t)rsakey_verify(k,
				    leaf[i]->sig_algo, leaf[i]->tbs,
				    leaf[i]->tbs_len, keep.data, keep.size);
				rsakey_free(k);
			}
	}
	/* Each leaf verifies with its own issuer, in both rounds. */
	cr_expect(yes >= 2 * nleaves, "%zu verified", yes);
	cr_expect(no > yes, "%zu failed", no);
	/* rsakey alone: SHA-256, -384 and -512 by the seven rsaEncryption
	 * keys, each with its own issuer (not the PSS twin's). */
	cr_expect_eq(fast_yes, 3 * 7, "%zu verified by rsakey", fast_yes);
	for (i = 0; i < nleaves; i++)
		cert_free(leaf[i]);
	for (i = 0; i < NISSUERS; i++)
		cert_free(issuer[i]);
	sig_cache_free(cache);
	/* Made here (certkit's keys are shared and stay). */
	for (i = 4; i <= 6; i++)
		gnutls_x509_privkey_deinit(ikey[i]);
}
