/*
 * rsakey.c: RSA PKCS#1 v1.5 through nettle; see rsakey.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <gnutls/gnutls.h>
#include <nettle/bignum.h>
#include <nettle/nettle-meta.h>
#include <nettle/rsa.h>
#include <nettle/sha2.h>

#include "asn1.h"
#include "rsa2048.h"
#include "rsakey.h"

#define OID_RSA_ENCRYPTION	"1.2.840.113549.1.1.1"
#define RSAKEY_MAX_N_BYTES	(16384 / 8)
#define RSAKEY_MAX_E_BYTES	8

struct rsakey {
	struct rsa_public_key pub;	/* owned; n, e and size ready */
	/* A 2048-bit n with e = 65537 where rsa2048.c runs: n as read, and
	 * made ready for it. */
	int		 fast;
	unsigned char	 n[RSA2048_OCTETS];
	struct rsa2048	 mont;
};

/*
 * The DER DigestInfo prefix GnuTLS's encode_ber_digest_info writes for
 * each hash (RFC 8017 9.2 note 1: the OID, NULL parameters, then an
 * OCTET STRING of the digest's length), the digest following it.
 */
static const unsigned char prefix_sha256[] = {
	0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20
};
static const unsigned char prefix_sha384[] = {
	0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30
};
static const unsigned char prefix_sha512[] = {
	0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40
};
#define PREFIX_LEN	sizeof(prefix_sha256)

/*
 * The header of the strict DER TLV at q (within lim) with the one-octet
 * tag tag: a definite length in its fewest octets (at most two, enough
 * for a 16,384-bit modulus), all of it within lim.  The content length
 * at *n; the header's length, or 0.
 */
static size_t
der_header(const unsigned char *q, const unsigned char *lim,
    unsigned char tag, size_t *n)
{
	size_t left = (size_t)(lim - q), hdr;

	if (left < 2 || q[0] != tag)
		return 0;
	if (q[1] < 0x80) {
		*n = q[1];
		hdr = 2;
	} else if (q[1] == 0x81 && left >= 3 && q[2] >= 0x80) {
		*n = q[2];
		hdr = 3;
	} else if (q[1] == 0x82 && left >= 4 && q[2] != 0) {
		*n = (size_t)q[2] << 8 | q[3];
		hdr = 4;
	} else
		return 0;
	return left - hdr < *n ? 0 : hdr;
}

/*
 * The strict DER INTEGER at *p (within lim), positive, in its fewest
 * octets and at most max of them (a sign octet aside): its magnitude at
 * *val, *vlen octets; *p moves past it.  0, or -1.
 */
static int
der_uint(const unsigned char **p, const unsigned char *lim, size_t max,
    const unsigned char **val, size_t *vlen)
{
	const unsigned char *v;
	size_t hdr, n;

	if ((hdr = der_header(*p, lim, 0x02, &n)) == 0 || n == 0)
		return -1;
	v = *p + hdr;
	*p = v + n;
	if (v[0] & 0x80)
		return -1;			/* negative */
	if (v[0] == 0 && (n == 1 || !(v[1] & 0x80)))
		return -1;			/* zero, or not minimal */
	if (v[0] == 0) {
		v++;
		n--;
	}
	if (n > max)
		return -1;
	*val = v;
	*vlen = n;
	return 0;
}

/*
 * The key of spki, or NULL; see rsakey.h.  RSAPublicKey is SEQUENCE
 * { modulus, publicExponent } and nothing after it.
 */
struct rsakey *
rsakey_new(const unsigned char *spki, size_t len)
{
	struct asn1_spki k;
	struct rsakey *key;
	const unsigned char *p, *lim, *n, *e;
	size_t hdr, slen, nlen, elen;

	if (asn1_spki_read(spki, len, &k) < 0 ||
	    strcmp(k.alg_oid, OID_RSA_ENCRYPTION) != 0)
		return NULL;
	lim = k.key + k.key_len;
	if ((hdr = der_header(k.key, lim, 0x30, &slen)) == 0 ||
	    hdr + slen != k.key_len)
		return NULL;
	p = k.key + hdr;
	if (der_uint(&p, lim, RSAKEY_MAX_N_BYTES, &n, &nlen) < 0 ||
	    der_uint(&p, lim, RSAKEY_MAX_E_BYTES, &e, &elen) < 0 || p != lim ||
	    (key = malloc(sizeof(*key))) == NULL)
		return NULL;
	rsa_public_key_init(&key->pub);
	key->fast = 0;
	nettle_mpz_set_str_256_u(key->pub.n, nlen, n);
	nettle_mpz_set_str_256_u(key->pub.e, elen, e);
	/* Refuses an even modulus and one under RSA_MINIMUM_N_OCTETS. */
	if (!rsa_public_key_prepare(&key->pub)) {
		rsakey_free(key);
		return NULL;
	}
	if (nlen == RSA2048_OCTETS && elen == 3 && e[0] == 0x01 &&
	    e[1] == 0x00 && e[2] == 0x01 &&
	    rsa2048_init(&key->mont, n, nlen) == 0) {
		memcpy(key->n, n, nlen);
		key->fast = 1;
	}
	return key;
}

void
rsakey_free(struct rsakey *k)
{
	if (k == NULL)
		return;
	rsa_public_key_clear(&k->pub);
	free(k);
}

/* The hashes taken, each with its DigestInfo prefix. */
static const struct {
	int			 sign_algo;	/* gnutls_sign_algorithm_t */
	const struct nettle_hash *hash;
	const unsigned char	*prefix;	/* PREFIX_LEN octets */
} hashes[] = {
	{ GNUTLS_SIGN_RSA_SHA256, &nettle_sha256, prefix_sha256 },
	{ GNUTLS_SIGN_RSA_SHA384, &nettle_sha384, prefix_sha384 },
	{ GNUTLS_SIGN_RSA_SHA512, &nettle_sha512, prefix_sha512 },
};

/*
 * The DigestInfo of data for sign_algo into di (room for PREFIX_LEN
 * plus a SHA-512 digest): its length, or 0 for an algorithm not taken.
 */
static size_t
digest_info(int sign_algo, const unsigned char *data, size_t len,
    unsigned char *di)
{
	union {
		struct sha256_ctx s256;
		struct sha512_ctx s512;	/* SHA-384's too */
	} ctx;
	const struct nettle_hash *h;
	size_t i;

	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (hashes[i].sign_algo == sign_algo)
			break;
	if (i == sizeof(hashes) / sizeof(hashes[0]))
		return 0;
	h = hashes[i].hash;
	memcpy(di, hashes[i].prefix, PREFIX_LEN);
	h->init(&ctx);
	h->update(&ctx, len, data);
	h->digest(&ctx, h->digest_size, di + PREFIX_LEN);
	return PREFIX_LEN + h->digest_size;
}

/*
 * rsa_pkcs1_verify's check for a 2048-bit key with e = 65537, through
 * rsa2048.c: 0 < s < n (nettle's _rsa_verify), then s^e mod n equal to
 * the encoded message nettle builds (pkcs1_rsa_digest_encode: 00 01,
 * FF octets, 00, the DigestInfo; at least eight FF for any DigestInfo
 * here).
 */
static int
verify_2048(const struct rsakey *k, const unsigned char *di, size_t dilen,
    const unsigned char *sig)
{
	unsigned char em[RSA2048_OCTETS], m[RSA2048_OCTETS], any = 0;
	size_t i, pad = RSA2048_OCTETS - 3 - dilen;

	for (i = 0; i < RSA2048_OCTETS; i++)
		any |= sig[i];
	if (any == 0 || memcmp(sig, k->n, RSA2048_OCTETS) >= 0)
		return 0;
	em[0] = 0x00;
	em[1] = 0x01;
	memset(em + 2, 0xff, pad);
	em[2 + pad] = 0x00;
	memcpy(em + 3 + pad, di, dilen);
	rsa2048_pow65537(&k->mont, sig, m);
	return memcmp(m, em, RSA2048_OCTETS) == 0;
}

/*
 * Verify; see rsakey.h.  The length rule and the non-zero rule are
 * GnuTLS's, before nettle is asked: a signature with a leading zero
 * octet too many or too few has the right value but is refused there.
 */
int
rsakey_verify(const struct rsakey *k, int sign_algo,
    const unsigned char *data, size_t len, const unsigned char *sig,
    size_t siglen)
{
	unsigned char di[PREFIX_LEN + SHA512_DIGEST_SIZE];
	size_t dilen;
	mpz_t s;
	int ok;

	if (siglen != k->pub.size ||
	    (dilen = digest_info(sign_algo, data, len, di)) == 0)
		return 0;
	if (k->fast)
		return verify_2048(k, di, dilen, sig);
	mpz_init(s);
	/* Whole 64-bit words when they fit (every modulus a multiple of 64
	 * bits): GMP then swaps words instead of placing octets one by one,
	 * the same value as nettle_mpz_set_str_256_u. */
	if (siglen % 8 == 0)
		mpz_import(s, siglen / 8, 1, 8, 1, 0, sig);
	else
		nettle_mpz_set_str_256_u(s, siglen, sig);
	ok = mpz_sgn(s) != 0 && rsa_pkcs1_verify(&k->pub, dilen, di, s) == 1;
	mpz_clear(s);
	return ok;
}
