/*
 * p256.h: ECDSA P-256 with SHA-256 verified by nettle directly, the key
 * made ready once.
 *
 * GnuTLS verifies with nettle too, but each gnutls_pubkey_verify_data2
 * converts the key into a nettle point again, decodes the signature
 * with libtasn1 and hashes through its own layers: about 8% of a P-256
 * verification (bench/ecdsa-floor).  This module takes only the plain
 * case (a named-curve P-256 key, a strict DER signature) and says only
 * yes: whatever it does not verify, sig.c asks GnuTLS about, so that a
 * failure, an odd encoding or a key it does not take gets exactly the
 * answer GnuTLS gives.  A key is immutable once made, so the workers of
 * a run share it.
 */
#ifndef CHAINAUDIT_P256_H
#define CHAINAUDIT_P256_H

#include <stddef.h>

struct p256_key;

/*
 * The key of a SubjectPublicKeyInfo that is id-ecPublicKey on
 * prime256v1 with an uncompressed point on the curve; NULL for any
 * other key (or ENOMEM).  Owned by the caller (p256_key_free).
 */
struct p256_key	*p256_key_new(const unsigned char *spki, size_t len);
void		 p256_key_free(struct p256_key *k);

/*
 * 1 when sig, a strict DER ECDSA-Sig-Value, is k's ECDSA signature of
 * the SHA-256 of data; 0 otherwise (not verified, or not strict DER):
 * the caller then asks GnuTLS.
 */
int	p256_verify_sha256(const struct p256_key *k, const unsigned char *data,
	    size_t len, const unsigned char *sig, size_t siglen);

#endif
