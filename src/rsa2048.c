/*
 * rsa2048.c: s^65537 mod n for 2048-bit n with AVX-512 IFMA; see
 * rsa2048.h.
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "rsa2048.h"

#ifdef HAVE_AVX512IFMA
#include <immintrin.h>
#endif

#define L		RSA2048_LIMBS
#define MASK52		((UINT64_C(1) << 52) - 1)

static pthread_once_t	 probe_once = PTHREAD_ONCE_INIT;
static int		 probed;	/* written once, under probe_once */

static void
probe(void)
{
	const char *env = getenv("CHAINAUDIT_RSA2048");

#ifdef HAVE_AVX512IFMA
	/* libgcc's and compiler-rt's probes also ask the kernel whether it
	 * saves the AVX-512 state (XGETBV), not only the processor. */
	__builtin_cpu_init();
	probed = __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512ifma");
#endif
	if (env != NULL && strcmp(env, "gmp") == 0)
		probed = 0;
}

int
rsa2048_available(void)
{
	pthread_once(&probe_once, probe);
	return probed;
}

/* 2048 bits big-endian -> forty 52-bit limbs, least significant first. */
static void
limbs_from_octets(uint64_t r[L], const unsigned char *b)
{
	uint64_t w[RSA2048_OCTETS / 8 + 1];
	unsigned off, q, sh;
	size_t i, j;

	for (i = 0; i < RSA2048_OCTETS / 8; i++) {
		w[i] = 0;
		for (j = 0; j < 8; j++)
			w[i] = w[i] << 8 | b[RSA2048_OCTETS - 8 * (i + 1) + j];
	}
	w[RSA2048_OCTETS / 8] = 0;
	for (i = 0; i < L; i++) {
		off = 52 * (unsigned)i;
		q = off / 64;
		sh = off % 64;
		r[i] = q < RSA2048_OCTETS / 8 ? w[q] >> sh : 0;
		if (sh > 12)
			r[i] |= w[q + 1] << (64 - sh);
		r[i] &= MASK52;
	}
}

int
rsa2048_init(struct rsa2048 *k, const unsigned char *n, size_t nlen)
{
	unsigned char rr[RSA2048_OCTETS];
	uint64_t n0, inv;
	mpz_t t, m;
	size_t cnt;
	int i;

	if (!rsa2048_available() || nlen != RSA2048_OCTETS ||
	    !(n[0] & 0x80) || !(n[nlen - 1] & 1))
		return -1;
	limbs_from_octets(k->n, n);
	/* R^2 mod n, R = 2^(52 L): what takes a value into Montgomery form. */
	mpz_init(t);
	mpz_init(m);
	mpz_import(m, nlen, 1, 1, 1, 0, n);
	mpz_setbit(t, 2 * 52 * L);
	mpz_mod(t, t, m);
	memset(rr, 0, sizeof(rr));
	mpz_export(rr + sizeof(rr) - (mpz_sizeinbase(t, 256)), &cnt, 1, 1, 1,
	    0, t);
	mpz_clear(t);
	mpz_clear(m);
	limbs_from_octets(k->rr, rr);
	/* -1/n mod 2^52 by Newton's iteration: each step doubles the
	 * correct low bits, from 3 (n * n = 1 mod 8 for odd n). */
	n0 = k->n[0];
	inv = n0;
	for (i = 0; i < 5; i++)
		inv *= 2 - n0 * inv;
	k->k0 = (0 - inv) & MASK52;
	return 0;
}

#ifdef HAVE_AVX512IFMA

/* The other way: limbs below 2^2048 -> 256 octets big-endian. */
static void
octets_from_limbs(unsigned char *b, const uint64_t r[L])
{
	uint64_t w[RSA2048_OCTETS / 8] = { 0 };
	unsigned off, q, sh;
	size_t i, j;

	for (i = 0; i < L; i++) {
		off = 52 * (unsigned)i;
		q = off / 64;
		sh = off % 64;
		if (q < RSA2048_OCTETS / 8)
			w[q] |= r[i] << sh;
		if (sh > 12 && q + 1 < RSA2048_OCTETS / 8)
			w[q + 1] |= r[i] >> (64 - sh);
	}
	for (i = 0; i < RSA2048_OCTETS / 8; i++)
		for (j = 0; j < 8; j++)
			b[RSA2048_OCTETS - 8 * (i + 1) + j] =
			    (unsigned char)(w[i] >> (56 - 8 * j));
}

/*
 * The loops over the five vectors of a number are unrolled, so that the
 * vectors stay in registers (at -O2 GCC keeps them in memory otherwise,
 * three times as slow).
 */
#if defined(__clang__)
#define UNROLL5	_Pragma("unroll 5")
#else
#define UNROLL5	_Pragma("GCC unroll 5")
#endif

#define LOAD5(v, p) do {						\
	v[0] = _mm512_loadu_si512((p));					\
	v[1] = _mm512_loadu_si512((p) + 8);				\
	v[2] = _mm512_loadu_si512((p) + 16);				\
	v[3] = _mm512_loadu_si512((p) + 24);				\
	v[4] = _mm512_loadu_si512((p) + 32);				\
} while (0)

/*
 * res = a b / R mod n, below 2n for a and b below 2n (4n < R), limbs
 * normalised to 52 bits.  Word by word over b: add a b_i, add m n with
 * m chosen to clear the lowest limb, drop that limb.
 *
 * The accumulator is lanes of 64 bits holding limbs that are not
 * normalised (each takes at most 160 products of 52 bits: below 2^60);
 * a b_i's products go to sum_a, m n's to sum_n, so the two chains of
 * multiply-adds run side by side, and only the lowest limb, whose value
 * picks m, is tracked exactly: in acc0, by scalar arithmetic, which
 * also carries what it sheds into the next limb.  The vectors' lowest
 * lane is never read (it is shifted out each step), except at the end,
 * where acc0 takes its place.
 */
__attribute__((target("avx512f,avx512ifma")))
static void
amm(uint64_t res[L], const uint64_t a[L], const uint64_t b[L],
    const struct rsa2048 *k)
{
	__m512i av[5], nv[5], sum_a[5], sum_n[5], bv, mv;
	const __m512i zero = _mm512_setzero_si512();
	const uint64_t a0 = a[0], a1 = a[1], n0 = k->n[0], n1 = k->n[1];
	uint64_t acc0 = 0, bi, t, m, shed, lo[L], hi[L], v, c;
	unsigned __int128 pa, pn;
	int i, j;

	LOAD5(av, a);
	LOAD5(nv, k->n);
	UNROLL5
	for (j = 0; j < 5; j++)
		sum_a[j] = sum_n[j] = zero;
	for (i = 0; i < L; i++) {
		bi = b[i];
		pa = (unsigned __int128)a0 * bi;
		t = acc0 + ((uint64_t)pa & MASK52);
		m = (t * k->k0) & MASK52;
		pn = (unsigned __int128)n0 * m;
		shed = (t + ((uint64_t)pn & MASK52)) >> 52;
		/* The next lowest limb: limb 1 now, its share of this step's
		 * low products, what limb 0 shed, and the high products of
		 * limb 0, which land one limb up. */
		acc0 = (uint64_t)_mm_extract_epi64(
		    _mm512_castsi512_si128(sum_a[0]), 1) +
		    (uint64_t)_mm_extract_epi64(
		    _mm512_castsi512_si128(sum_n[0]), 1) +
		    ((a1 * bi) & MASK52) + ((n1 * m) & MASK52) + shed +
		    (uint64_t)(pa >> 52) + (uint64_t)(pn >> 52);
		bv = _mm512_set1_epi64((long long)bi);
		mv = _mm512_set1_epi64((long long)m);
		UNROLL5
		for (j = 0; j < 5; j++) {
			sum_a[j] = _mm512_madd52lo_epu64(sum_a[j], av[j], bv);
			sum_n[j] = _mm512_madd52lo_epu64(sum_n[j], nv[j], mv);
		}
		/* One limb down: lane l takes lane l + 1. */
		UNROLL5
		for (j = 0; j < 5; j++) {
			sum_a[j] = _mm512_alignr_epi64(j < 4 ? sum_a[j + 1] :
			    zero, sum_a[j], 1);
			sum_n[j] = _mm512_alignr_epi64(j < 4 ? sum_n[j + 1] :
			    zero, sum_n[j], 1);
		}
		UNROLL5
		for (j = 0; j < 5; j++) {
			sum_a[j] = _mm512_madd52hi_epu64(sum_a[j], av[j], bv);
			sum_n[j] = _mm512_madd52hi_epu64(sum_n[j], nv[j], mv);
		}
	}
	UNROLL5
	for (j = 0; j < 5; j++) {
		_mm512_storeu_si512(lo + 8 * j, sum_a[j]);
		_mm512_storeu_si512(hi + 8 * j, sum_n[j]);
	}
	lo[0] = acc0;
	hi[0] = 0;
	for (i = 0, c = 0; i < L; i++) {
		v = lo[i] + hi[i] + c;
		res[i] = v & MASK52;
		c = v >> 52;
	}
}

/* 1 when a >= b. */
static int
limbs_ge(const uint64_t a[L], const uint64_t b[L])
{
	int i;

	for (i = L - 1; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] > b[i];
	return 1;
}

void
rsa2048_pow65537(const struct rsa2048 *k, const unsigned char *s,
    unsigned char *out)
{
	uint64_t x[L], sv[L], d;
	int64_t borrow;
	int i;

	limbs_from_octets(sv, s);
	amm(x, sv, k->rr, k);		/* s R mod n */
	for (i = 0; i < 16; i++)	/* s^(2^16) R */
		amm(x, x, x, k);
	/* Times s itself, not s R: the R goes, and with it the step out of
	 * Montgomery form.  Below 2n. */
	amm(x, x, sv, k);		/* s^65537 */
	if (limbs_ge(x, k->n)) {
		for (i = 0, borrow = 0; i < L; i++) {
			d = x[i] - k->n[i] + (uint64_t)borrow;
			x[i] = d & MASK52;
			borrow = -(int64_t)(d >> 63);	/* 0 or -1 */
		}
	}
	octets_from_limbs(out, x);
}

#else /* !HAVE_AVX512IFMA */

void
rsa2048_pow65537(const struct rsa2048 *k, const unsigned char *s,
    unsigned char *out)
{
	/* Unreachable: rsa2048_init refuses every key in this build. */
	(void)k;
	(void)s;
	memset(out, 0, RSA2048_OCTETS);
	abort();
}

#endif
