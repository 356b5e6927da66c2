/*
 * rsakey.h: RSA PKCS#1 v1.5 signatures (SHA-256, SHA-384, SHA-512)
 * verified by nettle directly, the key made ready once.
 *
 * GnuTLS verifies with nettle's rsa_pkcs1_verify too, but each
 * gnutls_pubkey_verify_data2 copies the key into a nettle key again
 * (rsa_public_key_prepare), imports the signature, encodes the
 * DigestInfo through libtasn1 and hashes through its own layers: about
 * 8% of a row of an RSA database scan.  This module makes the key once
 * and then does only what GnuTLS 3.7.9 does for that case (lib/pubkey.c
 * gnutls_pubkey_verify_data2 -> _pkcs1_rsa_verify_sig; lib/nettle/pk.c
 * _wrap_nettle_pk_verify, GNUTLS_PK_RSA):
 *
 *   - the key is plain rsaEncryption (an RSA-PSS key is not taken), n
 *     and e as GnuTLS reads them (positive INTEGERs; here also strict
 *     DER), through the same rsa_public_key_prepare that refuses an even
 *     or tiny modulus;
 *   - the signature is exactly as many octets as the modulus and not
 *     zero (_gnutls_mpi_init_scan_nz), else no;
 *   - the DigestInfo is the DER GnuTLS encodes (encode_ber_digest_info:
 *     the hash OID with NULL parameters, then the digest), and the check
 *     is the same nettle call, rsa_pkcs1_verify, which also refuses a
 *     signature >= n;
 *   - GnuTLS applies no key-size or exponent rule to a verification
 *     (sig.c leaves FIPS mode, which has its own, to GnuTLS), and with
 *     GNUTLS_VERIFY_ALLOW_BROKEN (what sig.c passes) no algorithm is
 *     refused as insecure; SHA-2 never is anyway.
 *
 * So for the same key, data and signature the answer is GnuTLS's
 * (tests/test_rsakey.c holds the two side by side).  Even so this
 * module says only yes: whatever it does not verify, sig.c asks GnuTLS
 * about (which has the last word), and sig.c takes the fast path only
 * for an issuer whose key GnuTLS itself imports.  A key is immutable
 * once made, so the workers of a run share it.
 *
 * For a 2048-bit key with e = 65537 where the processor has AVX-512
 * IFMA, s^e mod n is rsa2048.c's instead of GMP's mpz_powm (about four
 * times as fast), and the comparison with the encoded message nettle
 * would build is made here: the same checks, the same answers.
 */
#ifndef CHAINAUDIT_RSAKEY_H
#define CHAINAUDIT_RSAKEY_H

#include <stddef.h>

struct rsakey;

/*
 * The key of a SubjectPublicKeyInfo that is rsaEncryption with an
 * RSAPublicKey in strict DER that nettle takes (odd n of at most 16,384
 * bits, e of at most 64 bits); NULL for any other key (or ENOMEM).
 * Owned by the caller (rsakey_free).
 */
struct rsakey	*rsakey_new(const unsigned char *spki, size_t len);
void		 rsakey_free(struct rsakey *k);

/*
 * 1 when sig is k's PKCS#1 v1.5 signature of data with the hash of
 * sign_algo (a gnutls_sign_algorithm_t: GNUTLS_SIGN_RSA_SHA256, _SHA384
 * or _SHA512); 0 otherwise, for any other algorithm too: the caller then
 * asks GnuTLS.
 */
int	rsakey_verify(const struct rsakey *k, int sign_algo,
	    const unsigned char *data, size_t len, const unsigned char *sig,
	    size_t siglen);

#endif
