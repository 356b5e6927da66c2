/*
 * test_rsa2048.c: src/rsa2048.c, s^65537 mod n with AVX-512 IFMA, held
 * to GMP's mpz_powm on random and edge-case moduli and values.  Where
 * the processor has no IFMA the comparison cannot run and says SKIP;
 * rsakey.c then uses GMP, which tests/test_rsakey.c holds to GnuTLS.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gmp.h>

#include "rsa2048.h"

#define OCTETS	RSA2048_OCTETS

static void
to_octets(unsigned char *b, const mpz_t x)
{
	size_t len = mpz_sizeinbase(x, 256);

	memset(b, 0, OCTETS);
	if (mpz_sgn(x) != 0)
		mpz_export(b + OCTETS - len, NULL, 1, 1, 1, 0, x);
}

/* rsa2048 and mpz_powm on n, s: 1 when they agree. */
static int
agree(const mpz_t n, const mpz_t s)
{
	struct rsa2048 k;
	unsigned char nb[OCTETS], sb[OCTETS], got[OCTETS], want[OCTETS];
	mpz_t r, e;

	to_octets(nb, n);
	to_octets(sb, s);
	cr_assert_eq(rsa2048_init(&k, nb, OCTETS), 0);
	rsa2048_pow65537(&k, sb, got);
	mpz_init_set_ui(e, 65537);
	mpz_init(r);
	mpz_powm(r, s, e, n);
	to_octets(want, r);
	mpz_clear(r);
	mpz_clear(e);
	return memcmp(got, want, OCTETS) == 0;
}

/* The values of s tried on each modulus: edges, then random ones. */
static size_t
try_values(const mpz_t n, gmp_randstate_t rs, size_t nrandom)
{
	mpz_t s;
	size_t i, bad = 0;

	mpz_init(s);
	for (i = 0; i < 8 + nrandom; i++) {
		switch (i) {
		case 0: mpz_set_ui(s, 1); break;
		case 1: mpz_set_ui(s, 2); break;
		case 2: mpz_sub_ui(s, n, 1); break;	/* -1: 65537 is odd */
		case 3: mpz_sub_ui(s, n, 2); break;
		case 4: mpz_set_ui(s, 0); mpz_setbit(s, 2047); break;
		case 5:	/* every 52-bit limb full below n's top limb */
			mpz_set_ui(s, 0);
			mpz_setbit(s, 52 * 39);
			mpz_sub_ui(s, s, 1);
			break;
		case 6: mpz_tdiv_q_2exp(s, n, 1); break;
		case 7: mpz_set_ui(s, 0xffffffffffffful); break;
		default: mpz_urandomm(s, rs, n); break;
		}
		if (mpz_cmp(s, n) < 0 && !agree(n, s)) {
			bad++;
			gmp_fprintf(stderr, "n = %Zx\ns = %Zx\n", n, s);
		}
	}
	mpz_clear(s);
	return bad;
}

Test(rsa2048, agrees_with_gmp)
{
	gmp_randstate_t rs;
	mpz_t n, q;
	size_t i, bad = 0, tried = 0;

	if (!rsa2048_available())
		cr_skip_test("no AVX-512 IFMA on this processor (or "
		    "CHAINAUDIT_RSA2048=gmp): RSA-2048 goes through GMP");
	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, 20261207);
	mpz_init(n);
	for (i = 0; i < 300; i++) {
		switch (i) {
		case 0:		/* 2^2048 - 1, the largest */
			mpz_set_ui(n, 0);
			mpz_setbit(n, 2048);
			mpz_sub_ui(n, n, 1);
			break;
		case 1:		/* 2^2047 + 1, the smallest */
			mpz_set_ui(n, 0);
			mpz_setbit(n, 2047);
			mpz_add_ui(n, n, 1);
			break;
		case 2:		/* low limb 1: -1/n mod 2^52 is all ones */
			mpz_set_ui(n, 0);
			mpz_setbit(n, 2047);
			mpz_setbit(n, 1000);
			mpz_add_ui(n, n, 1);
			break;
		case 3:		/* low 52 bits all ones */
			mpz_urandomb(n, rs, 2048);
			mpz_setbit(n, 2047);
			mpz_tdiv_q_2exp(n, n, 52);
			mpz_mul_2exp(n, n, 52);
			mpz_add_ui(n, n, 0xffffffffffffful);
			break;
		default:
			mpz_urandomb(n, rs, 2048);
			mpz_setbit(n, 2047);
			mpz_setbit(n, 0);
			break;
		}
		bad += try_values(n, rs, 12);
		tried += 8 + 12;
	}
	/* s^65537 = 0 mod n (n = 9q, s = 3q): the one result equal to n
	 * before the last subtraction. */
	mpz_set_ui(n, 0);
	mpz_setbit(n, 2047);
	mpz_cdiv_q_ui(n, n, 9);
	mpz_setbit(n, 0);
	mpz_init(q);
	mpz_mul_ui(q, n, 3);
	mpz_mul_ui(n, n, 9);
	cr_assert_eq(mpz_sizeinbase(n, 2), 2048);
	bad += !agree(n, q);
	tried++;
	mpz_clear(q);
	cr_expect_eq(bad, 0, "%zu of %zu values differ from mpz_powm", bad,
	    tried);
	mpz_clear(n);
	gmp_randclear(rs);
}

/* Only an odd modulus of exactly 2048 bits, and nothing without IFMA. */
Test(rsa2048, takes_odd_2048_bit_moduli_only)
{
	struct rsa2048 k;
	unsigned char n[OCTETS + 1];
	int ok = rsa2048_available() ? 0 : -1;

	memset(n, 0xff, sizeof(n));
	cr_expect_eq(rsa2048_init(&k, n, OCTETS), ok);
	cr_expect_eq(rsa2048_init(&k, n, OCTETS - 1), -1);
	cr_expect_eq(rsa2048_init(&k, n, OCTETS + 1), -1);
	n[OCTETS - 1] = 0xfe;		/* even */
	cr_expect_eq(rsa2048_init(&k, n, OCTETS), -1);
	n[OCTETS - 1] = 0xff;
	n[0] = 0x7f;			/* 2047 bits */
	cr_expect_eq(rsa2048_init(&k, n, OCTETS), -1);
}
