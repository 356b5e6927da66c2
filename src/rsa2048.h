/*
 * rsa2048.h: the RSA public operation s^65537 mod n for a 2048-bit
 * modulus, with AVX-512 IFMA where the processor has it.
 *
 * About nine in ten RSA keys on the web are 2048 bits with e = 65537,
 * and their verification is most of an RSA row's time: GMP's mpz_powm
 * (what nettle's rsa_pkcs1_verify calls) spends about 17 us on it here.
 * The 52-bit multiply-add instructions (vpmadd52luq, vpmadd52huq) do a
 * 2048-bit Montgomery multiplication eight limbs at a time, about four
 * times as fast.  The method is the "almost Montgomery multiplication"
 * of Gueron and Krasnov (Fast modular squaring with AVX512IFMA, 2018),
 * as OpenSSL's rsaz-2k-avx512 uses it for private keys: forty 52-bit
 * limbs, R = 2^2080, every intermediate below 2n.
 *
 * Only public values go through it (a certificate's key and signature),
 * so nothing here is constant-time.  rsakey.c compares the result with
 * the PKCS#1 encoding it expects and says yes only on an exact match:
 * a wrong result would turn a no into a yes only by being exactly that
 * encoding, and otherwise a yes into GnuTLS's answer.
 * tests/test_rsa2048.c holds it against mpz_powm.
 */
#ifndef CHAINAUDIT_RSA2048_H
#define CHAINAUDIT_RSA2048_H

#include <stddef.h>
#include <stdint.h>

#define RSA2048_OCTETS	256
#define RSA2048_LIMBS	40		/* of 52 bits: 2080 bits */

/* A modulus made ready: plain data, the caller's to embed. */
struct rsa2048 {
	uint64_t	n[RSA2048_LIMBS];	/* n, 52-bit limbs, least first */
	uint64_t	rr[RSA2048_LIMBS];	/* R^2 mod n */
	uint64_t	k0;			/* -1/n mod 2^52 */
};

/*
 * 1 when this processor (and this build) has the fast path, else 0.
 * CHAINAUDIT_RSA2048=gmp in the environment says 0 whatever the
 * processor: the benchmarks measure both paths with it.
 */
int	rsa2048_available(void);

/*
 * Make k ready for the modulus n, big-endian, nlen octets: 0, or -1
 * when n is not an odd number of exactly 2048 bits (or when the fast
 * path is not available).
 */
int	rsa2048_init(struct rsa2048 *k, const unsigned char *n, size_t nlen);

/*
 * out = s^65537 mod n, both RSA2048_OCTETS octets big-endian; s must be
 * below n (the caller checks).
 */
void	rsa2048_pow65537(const struct rsa2048 *k, const unsigned char *s,
	    unsigned char *out);

#endif
