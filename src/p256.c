/*
 * p256.c: ECDSA P-256 with SHA-256 through nettle; see p256.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/sha2.h>

#include "asn1.h"
#include "p256.h"

#define OID_EC_PUBLIC_KEY	"1.2.840.10045.2.1"
#define OID_PRIME256V1		"1.2.840.10045.3.1.7"
#define P256_BYTES		32

struct p256_key {
	struct ecc_point pub;		/* owned */
};

/*
 * The key of spki, or NULL; see p256.h.  ecc_point_set refuses a point
 * that is not on the curve.
 */
struct p256_key *
p256_key_new(const unsigned char *spki, size_t len)
{
	struct asn1_spki k;
	struct p256_key *key;
	mpz_t x, y;
	int ok;

	if (asn1_spki_read(spki, len, &k) < 0 ||
	    strcmp(k.alg_oid, OID_EC_PUBLIC_KEY) != 0 ||
	    strcmp(k.param_oid, OID_PRIME256V1) != 0 ||
	    k.key_len != 1 + 2 * P256_BYTES || k.key[0] != 0x04 ||
	    (key = malloc(sizeof(*key))) == NULL)
		return NULL;
	mpz_init(x);
	mpz_init(y);
	nettle_mpz_set_str_256_u(x, P256_BYTES, k.key + 1);
	nettle_mpz_set_str_256_u(y, P256_BYTES, k.key + 1 + P256_BYTES);
	ecc_point_init(&key->pub, nettle_get_secp_256r1());
	ok = ecc_point_set(&key->pub, x, y);
	mpz_clear(x);
	mpz_clear(y);
	if (!ok) {
		p256_key_free(key);
		return NULL;
	}
	return key;
}

void
p256_key_free(struct p256_key *k)
{
	if (k == NULL)
		return;
	ecc_point_clear(&k->pub);
	free(k);
}

/*
 * The strict DER INTEGER at *p (within lim) into v, a positive value of
 * at most 32 bytes in its fewest octets; *p moves past it.  0, or -1.
 */
static int
der_uint(const unsigned char **p, const unsigned char *lim, mpz_t v)
{
	const unsigned char *q = *p;
	size_t n;

	if (lim - q < 3 || q[0] != 0x02 || (n = q[1]) == 0 || n > 0x7f ||
	    (size_t)(lim - q - 2) < n)
		return -1;
	q += 2;
	if (q[0] & 0x80)
		return -1;			/* negative */
	if (q[0] == 0 && (n == 1 || !(q[1] & 0x80)))
		return -1;			/* zero, or not minimal */
	if (q[0] == 0) {
		q++;
		n--;
	}
	if (n > P256_BYTES)
		return -1;
	nettle_mpz_set_str_256_u(v, n, q);
	*p = q + n;
	return 0;
}

/*
 * Verify; see p256.h.  The signature is SEQUENCE { r, s } with a short
 * length (at most 70 content bytes) that covers exactly r and s.
 */
int
p256_verify_sha256(const struct p256_key *k, const unsigned char *data,
    size_t len, const unsigned char *sig, size_t siglen)
{
	struct sha256_ctx ctx;
	struct dsa_signature rs;
	uint8_t md[SHA256_DIGEST_SIZE];
	const unsigned char *p = sig + 2, *lim = sig + siglen;
	int ok = 0;

	if (siglen < 2 || sig[0] != 0x30 || sig[1] > 0x7f ||
	    (size_t)sig[1] + 2 != siglen)
		return 0;
	dsa_signature_init(&rs);
	if (der_uint(&p, lim, rs.r) < 0 || der_uint(&p, lim, rs.s) < 0 ||
	    p != lim)
		goto out;
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(md), md);
	ok = ecdsa_verify(&k->pub, sizeof(md), md, &rs) == 1;
out:
	dsa_signature_clear(&rs);
	return ok;
}
