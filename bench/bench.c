/*
 * bench.c: audit throughput as ratios against a floor measured in the
 * same run, never as absolute claims.
 *
 * DESIGN.md names the limit: with verifications cached per run, the
 * per-domain cost approaches one leaf signature verification (A) plus
 * one parse (B).  This program generates, in memory and untimed, N
 * chains (leaf + intermediate, DER, as a server sends them) under one
 * root and four intermediates, then times per chain, median of rounds:
 *
 *   A   gnutls_pubkey_verify_data2 of a leaf's TBS with its issuer's key
 *   B   cert_parse + cert_free of a leaf
 *   chainaudit: judge_input with a fresh sig_cache and cert_cache per
 *       round (a run)
 *   chainaudit without either cache
 *   GnuTLS: import both certificates + gnutls_x509_trust_list_verify_crt2
 *
 * and reports each as (time per chain) / (A + B).  The rounds of all
 * five are interleaved in slices, so that the machine's load weighs on
 * the floor and on what is compared with it alike.  Every 50th leaf is
 * expired, so the audits must find exactly that many `expired` findings
 * and GnuTLS must reject exactly those chains: a run whose counts are
 * off measured nothing and exits 1.  See bench/README.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>

#include "judge.h"
#include "benchcert.h"
#include "builtin.h"
#include "cli.h"
#include "distrust.h"
#include "trust.h"

#define NINTERMEDIATES	4
#define NLEAFKEYS	8	/* leaf keys are reused: only issuers matter */
#define EXPIRED_EVERY	50	/* leaf i expired when i % 50 == 49 */
#define BASELINE_MAX	2000	/* chains used for A and B */
#define SUBSET_DEFAULT	2500	/* chains for the slow measurements */
#define ROUNDS_MAX	15
#define SLICES		20	/* interleaving steps per round */

#define T2020	((time_t)1577836800)	/* 2020-01-01T00:00:00Z */
#define T2021	((time_t)1609459200)
#define T2024	((time_t)1704067200)
#define T2099	((time_t)4102444799)	/* 2099-12-31T23:59:59Z */

/* Same flags sig.c verifies with: the floor is the engine's own call. */
#define VERIFY_FLAGS	(GNUTLS_VERIFY_ALLOW_BROKEN | \
	GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1)

struct key_profile {
	const char		*name;
	gnutls_pk_algorithm_t	 pk;
	unsigned		 bits;
	gnutls_digest_algorithm_t dig;
};

static const struct key_profile profiles[] = {
	{ "ECDSA P-256", GNUTLS_PK_EC,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
	    GNUTLS_DIG_SHA256 },
	{ "RSA 2048", GNUTLS_PK_RSA, 2048, GNUTLS_DIG_SHA256 },
};
#define NPROFILES	(sizeof(profiles) / sizeof(profiles[0]))

struct opts {
	size_t		 n;		/* chains per profile */
	size_t		 subset;	/* chains for no-cache and GnuTLS */
	unsigned	 rounds;
	int		 profile;	/* index, or -1: all */
	const char	*write_sql;	/* -w: the chains as SQL, or NULL */
};

/* One generated issuer: its certificate and its key. */
struct issuer {
	gnutls_x509_crt_t	 crt;		/* owned */
	gnutls_x509_privkey_t	 key;		/* owned */
	unsigned char		*der;		/* owned */
	size_t			 der_len;
};

/* One chain as a server sends it, with what the audit must say. */
struct chain {
	struct der_list	 blobs;		/* owned: leaf, intermediate */
	char		 host[64];
	int		 expired;
};

struct pki {
	const struct key_profile *prof;
	struct issuer	 root;
	struct issuer	 ints[NINTERMEDIATES];
	struct chain	*chains;	/* owned array of n */
	size_t		 n;
	double		 gen_seconds;
};

/* What the sink saw in one round. */
struct tally {
	size_t		 audits;
	size_t		 trusted;
	size_t		 expired;	/* `expired` findings */
	size_t		 other;		/* any other finding */
	char		 first_other[256];
};

/* ---- helpers ----------------------------------------------------- */

static double
clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
clock_now(void)
{
	return clock_of(CLOCK_MONOTONIC);
}

/* The process's CPU time: measurements run on one thread. */
static double
cpu_now(void)
{
	return clock_of(CLOCK_PROCESS_CPUTIME_ID);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ---- generation (not measured) ----------------------------------- */

static gnutls_x509_privkey_t
new_key(const struct key_profile *p)
{
	gnutls_x509_privkey_t k;

	bench_check(gnutls_x509_privkey_init(&k), "privkey_init");
	bench_check(gnutls_x509_privkey_generate(k, p->pk, p->bits, 0),
	    "privkey_generate");
	return k;
}


static void
export_der(gnutls_x509_crt_t crt, unsigned char **der, size_t *len)
{
	gnutls_datum_t d;

	bench_check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d), "export");
	if ((*der = malloc(d.size)) == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	memcpy(*der, d.data, d.size);
	*len = d.size;
	gnutls_free(d.data);
}

/* Leaves are signed by two threads: RSA signing dominates generation. */
struct gen_job {
	struct pki	*pki;
	gnutls_x509_privkey_t leafkeys[NLEAFKEYS];	/* borrowed */
	size_t		 first, step;
};

static void *
gen_leaves(void *arg)
{
	struct gen_job *job = arg;
	struct pki *pki = job->pki;
	gnutls_x509_crt_t ints[NINTERMEDIATES], crt;
	gnutls_x509_privkey_t ikeys[NINTERMEDIATES], lkeys[NLEAFKEYS];
	gnutls_datum_t d;
	struct chain *ch;
	unsigned char *der;
	size_t i, k, len;

	/* Private copies: GnuTLS objects are not shared between threads. */
	for (k = 0; k < NINTERMEDIATES; k++) {
		d.data = pki->ints[k].der;
		d.size = pki->ints[k].der_len;
		bench_check(gnutls_x509_crt_init(&ints[k]), "crt_init");
		bench_check(gnutls_x509_crt_import(ints[k], &d, GNUTLS_X509_FMT_DER),
		    "crt_import");
		bench_check(gnutls_x509_privkey_init(&ikeys[k]), "privkey_init");
		bench_check(gnutls_x509_privkey_cpy(ikeys[k], pki->ints[k].key),
		    "privkey_cpy");
	}
	for (k = 0; k < NLEAFKEYS; k++) {
		bench_check(gnutls_x509_privkey_init(&lkeys[k]), "privkey_init");
		bench_check(gnutls_x509_privkey_cpy(lkeys[k], job->leafkeys[k]),
		    "privkey_cpy");
	}
	for (i = job->first; i < pki->n; i += job->step) {
		ch = &pki->chains[i];
		k = i % NINTERMEDIATES;
		snprintf(ch->host, sizeof(ch->host), "www%zu.bench.test", i);
		ch->expired = i % EXPIRED_EVERY == EXPIRED_EVERY - 1;
		crt = bench_make_crt(ch->host, lkeys[i % NLEAFKEYS],
		    ints[k], ikeys[k], pki->prof->dig, 0, 1000 + i,
		    ch->expired ? T2020 : T2024, ch->expired ? T2021 : T2099);
		export_der(crt, &der, &len);
		gnutls_x509_crt_deinit(crt);
		if (der_list_add(&ch->blobs, der, len) < 0 ||
		    der_list_add(&ch->blobs, pki->ints[k].der,
		    pki->ints[k].der_len) < 0) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
		free(der);
	}
	for (k = 0; k < NINTERMEDIATES; k++) {
		gnutls_x509_crt_deinit(ints[k]);
		gnutls_x509_privkey_deinit(ikeys[k]);
	}
	for (k = 0; k < NLEAFKEYS; k++)
		gnutls_x509_privkey_deinit(lkeys[k]);
	return NULL;
}

static void
pki_generate(struct pki *pki, const struct key_profile *p, size_t n)
{
	gnutls_x509_privkey_t leafkeys[NLEAFKEYS];
	struct gen_job jobs[2];
	pthread_t tid;
	char cn[64];
	size_t k;
	double t0 = clock_now();

	memset(pki, 0, sizeof(*pki));
	pki->prof = p;
	pki->n = n;
	if ((pki->chains = calloc(n, sizeof(*pki->chains))) == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	pki->root.key = new_key(p);
	pki->root.crt = bench_make_crt("Bench Root CA", pki->root.key, NULL,
	    NULL, p->dig, 1, 1, T2020, T2099);
	export_der(pki->root.crt, &pki->root.der, &pki->root.der_len);
	for (k = 0; k < NINTERMEDIATES; k++) {
		snprintf(cn, sizeof(cn), "Bench Intermediate CA %zu", k + 1);
		pki->ints[k].key = new_key(p);
		pki->ints[k].crt = bench_make_crt(cn, pki->ints[k].key,
		    pki->root.crt, pki->root.key, p->dig, 1, 10 + k, T2020,
		    T2099);
		export_der(pki->ints[k].crt, &pki->ints[k].der,
		    &pki->ints[k].der_len);
	}
	for (k = 0; k < NLEAFKEYS; k++)
		leafkeys[k] = new_key(p);
	for (k = 0; k < 2; k++) {
		jobs[k].pki = pki;
		memcpy(jobs[k].leafkeys, leafkeys, sizeof(leafkeys));
		jobs[k].first = k;
		jobs[k].step = 2;
	}
	if (pthread_create(&tid, NULL, gen_leaves, &jobs[1]) != 0) {
		/* One thread then: slower, same chains. */
		jobs[0].step = 1;
		gen_leaves(&jobs[0]);
	} else {
		gen_leaves(&jobs[0]);
		pthread_join(tid, NULL);
	}
	for (k = 0; k < NLEAFKEYS; k++)
		gnutls_x509_privkey_deinit(leafkeys[k]);
	pki->gen_seconds = clock_now() - t0;
}

static void
issuer_free(struct issuer *is)
{
	if (is->crt != NULL)
		gnutls_x509_crt_deinit(is->crt);
	if (is->key != NULL)
		gnutls_x509_privkey_deinit(is->key);
	free(is->der);
}

static void
pki_free(struct pki *pki)
{
	size_t i;

	for (i = 0; i < pki->n; i++)
		der_list_free(&pki->chains[i].blobs);
	free(pki->chains);
	issuer_free(&pki->root);
	for (i = 0; i < NINTERMEDIATES; i++)
		issuer_free(&pki->ints[i]);
}

static size_t
expired_among(const struct pki *pki, size_t n)
{
	size_t i, e = 0;

	for (i = 0; i < n; i++)
		e += pki->chains[i].expired;
	return e;
}

/* ---- the measured run ------------------------------------------------ */

/*
 * Everything the timed loops use, set up untimed: the trust store for
 * chainaudit, the trust list for GnuTLS, and the parsed leaves and
 * intermediate keys for baseline A.
 */
struct bench {
	const struct pki *pki;			/* borrowed */
	const struct judge_params *params;	/* borrowed */
	struct trust_store *store;		/* owned: the root */
	gnutls_x509_trust_list_t tl;		/* owned: the root */
	struct cert	**leaves;		/* owned: A's leaves */
	size_t		  nleaves;
	struct cert	*ints[NINTERMEDIATES];	/* owned */
	struct sig_cache *cache;		/* owned: this round's run */
	struct cert_cache *certs;		/* owned: this round's run */
	struct tally	  cached, uncached;	/* this round's audits */
	size_t		  gnutls_ok;		/* this round's accepted */
	unsigned long	  hits, misses;		/* last cached round */
};

static void
bench_free(struct bench *b)
{
	size_t i;

	trust_store_free(b->store);
	if (b->tl != NULL)
		gnutls_x509_trust_list_deinit(b->tl, 1);
	for (i = 0; i < b->nleaves; i++)
		cert_free(b->leaves[i]);
	free(b->leaves);
	for (i = 0; i < NINTERMEDIATES; i++)
		cert_free(b->ints[i]);
	sig_cache_free(b->cache);
	cert_cache_free(b->certs);
}

static int
bench_init(struct bench *b, const struct pki *pki,
    const struct judge_params *params, size_t nleaves)
{
	gnutls_x509_crt_t root;
	gnutls_datum_t d;
	struct cert *c;
	char err[ERRBUF_LEN];
	size_t i;

	memset(b, 0, sizeof(*b));
	b->pki = pki;
	b->params = params;
	if ((b->store = trust_store_new()) == NULL ||
	    (b->leaves = calloc(nleaves, sizeof(*b->leaves))) == NULL)
		goto nomem;
	if ((c = cert_parse(pki->root.der, pki->root.der_len, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "bench: root: %s\n", err);
		return -1;
	}
	if (trust_store_add_cert(b->store, c, TRUST_ANCHOR, "bench") < 0)
		goto nomem;
	for (i = 0; i < NINTERMEDIATES; i++)
		if ((b->ints[i] = cert_parse(pki->ints[i].der,
		    pki->ints[i].der_len, err, sizeof(err))) == NULL) {
			fprintf(stderr, "bench: intermediate: %s\n", err);
			return -1;
		}
	for (; b->nleaves < nleaves; b->nleaves++) {
		i = b->nleaves;
		if ((b->leaves[i] = cert_parse(pki->chains[i].blobs.v[0].der,
		    pki->chains[i].blobs.v[0].len, err, sizeof(err))) == NULL) {
			fprintf(stderr, "bench: leaf %zu: %s\n", i, err);
			return -1;
		}
	}

	bench_check(gnutls_x509_trust_list_init(&b->tl, 0), "trust_list_init");
	bench_check(gnutls_x509_crt_init(&root), "crt_init");
	d.data = pki->root.der;
	d.size = pki->root.der_len;
	bench_check(gnutls_x509_crt_import(root, &d, GNUTLS_X509_FMT_DER),
	    "crt_import");
	/* The list owns root from here on. */
	if (gnutls_x509_trust_list_add_cas(b->tl, &root, 1, 0) != 1) {
		fprintf(stderr, "bench: gnutls_x509_trust_list_add_cas\n");
		return -1;
	}
	return 0;
nomem:
	fprintf(stderr, "bench: out of memory\n");
	return -1;
}

/* A: the engine's own verification call for leaves [from, to). */
static int
slice_verify(struct bench *b, size_t from, size_t to)
{
	const struct cert *leaf, *issuer;
	gnutls_datum_t tbs;
	size_t i;

	for (i = from; i < to; i++) {
		leaf = b->leaves[i];
		issuer = b->ints[i % NINTERMEDIATES];
		tbs.data = (unsigned char *)leaf->tbs;
		tbs.size = leaf->tbs_len;
		if (gnutls_pubkey_verify_data2(cert_pubkey(issuer), leaf->sig_algo,
		    VERIFY_FLAGS, &tbs, &leaf->signature) < 0) {
			fprintf(stderr, "bench: leaf %zu does not verify\n", i);
			return -1;
		}
	}
	return 0;
}

/* B: our parser on leaves [from, to), and the free that goes with it. */
static int
slice_parse(struct bench *b, size_t from, size_t to)
{
	const struct der_blob *blob;
	struct cert *c;
	char err[ERRBUF_LEN];
	size_t i;

	for (i = from; i < to; i++) {
		blob = &b->pki->chains[i].blobs.v[0];
		if ((c = cert_parse(blob->der, blob->len, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "bench: leaf %zu: %s\n", i, err);
			return -1;
		}
		cert_free(c);
	}
	return 0;
}

/* The sink: count what the audit found, then free it. */
static int
tally_sink(struct audit *a, void *arg)
{
	struct tally *t = arg;
	size_t i;

	t->audits++;
	t->trusted += a->trusted != 0;
	for (i = 0; i < a->nfindings; i++) {
		if (a->findings[i].id == FIND_EXPIRED) {
			t->expired++;
			continue;
		}
		if (t->other++ == 0)
			snprintf(t->first_other, sizeof(t->first_other),
			    "%s: %s: %s", a->source,
			    finding_info(a->findings[i].id)->code,
			    a->findings[i].message);
	}
	audit_free(a);
	return 0;
}

static int
tally_ok(const struct tally *t, size_t n, size_t expired, const char *what)
{
	if (t->audits == n && t->trusted == n && t->expired == expired &&
	    t->other == 0)
		return 1;
	fprintf(stderr, "bench: %s: %zu audits (want %zu), %zu trusted "
	    "(want %zu), %zu expired findings (want %zu), %zu others%s%s\n",
	    what, t->audits, n, t->trusted, n, t->expired, expired, t->other,
	    t->other ? "; first: " : "", t->first_other);
	return 0;
}

/*
 * chainaudit: judge_input on chains [from, to), as main.c calls it for
 * a file, with the run's caches (NULL: none).
 */
static int
slice_audit(struct bench *b, size_t from, size_t to, struct sig_cache *cache,
    struct cert_cache *certs, struct tally *t)
{
	const struct chain *ch;
	struct judge_params params = *b->params;
	size_t i;

	params.certs = certs;
	for (i = from; i < to; i++) {
		ch = &b->pki->chains[i];
		params.host = ch->host;
		if (judge_input(ch->host, &ch->blobs, 0, &params, b->store,
		    cache, tally_sink, t) < 0) {
			fprintf(stderr, "bench: %s: audit failed\n", ch->host);
			return -1;
		}
	}
	return 0;
}

static int
slice_cached(struct bench *b, size_t from, size_t to)
{
	return slice_audit(b, from, to, b->cache, b->certs, &b->cached);
}

static int
slice_uncached(struct bench *b, size_t from, size_t to)
{
	return slice_audit(b, from, to, NULL, NULL, &b->uncached);
}

/*
 * The peer: what a GnuTLS client does with the same bytes.  Importing
 * both certificates is timed, as cert_parse is in chainaudit's time.
 */
static int
slice_gnutls(struct bench *b, size_t from, size_t to)
{
	gnutls_x509_crt_t crts[2];
	gnutls_typed_vdata_st vdata;
	gnutls_datum_t d;
	const struct chain *ch;
	size_t i, k;
	unsigned status;

	memset(&vdata, 0, sizeof(vdata));
	vdata.type = GNUTLS_DT_DNS_HOSTNAME;
	for (i = from; i < to; i++) {
		ch = &b->pki->chains[i];
		for (k = 0; k < 2; k++) {
			d.data = ch->blobs.v[k].der;
			d.size = ch->blobs.v[k].len;
			bench_check(gnutls_x509_crt_init(&crts[k]), "crt_init");
			bench_check(gnutls_x509_crt_import(crts[k], &d,
			    GNUTLS_X509_FMT_DER), "crt_import");
		}
		vdata.data = (unsigned char *)ch->host;
		if (gnutls_x509_trust_list_verify_crt2(b->tl, crts, 2, &vdata,
		    1, 0, &status, NULL) == 0 && status == 0)
			b->gnutls_ok++;
		gnutls_x509_crt_deinit(crts[0]);
		gnutls_x509_crt_deinit(crts[1]);
	}
	return 0;
}

/* One thing measured: how to run a slice of it, and its timings. */
struct measure {
	const char	*label;
	int		(*slice)(struct bench *, size_t, size_t);
	size_t		 chains;	/* per round */
	double		 elapsed;	/* this round so far */
	double		 cpu;		/* this round so far, CPU time */
	double		 per_chain[ROUNDS_MAX];
	double		 cpu_per_chain[ROUNDS_MAX];
	unsigned	 rounds;
	double		 median;
	double		 cpu_median;
	double		 spread;	/* (max - min) / median */
};

/* The median of n values of v (sorted in place). */
static double
median_of(double *v, unsigned n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
measure_finish(struct measure *m)
{
	double v[ROUNDS_MAX];

	memcpy(v, m->cpu_per_chain, m->rounds * sizeof(v[0]));
	m->cpu_median = median_of(v, m->rounds);
	memcpy(v, m->per_chain, m->rounds * sizeof(v[0]));
	m->median = median_of(v, m->rounds);
	m->spread = (v[m->rounds - 1] - v[0]) / m->median;
}

/*
 * One round of every measurement, interleaved in SLICES steps: each step
 * runs the next 1/SLICES of each measurement's chains in turn, so that a
 * change in the machine's load weighs on all of them alike.  The cached
 * audits of a round are one run: one fresh cache for the whole round (a
 * cache kept across rounds would make every leaf a hit).
 */
static int
bench_round(struct bench *b, struct measure *ms, size_t nms)
{
	size_t s, k, from, to, expired;
	double t0, c0;

	if ((b->cache = sig_cache_new()) == NULL ||
	    (b->certs = cert_cache_new(0)) == NULL)
		return -1;
	memset(&b->cached, 0, sizeof(b->cached));
	memset(&b->uncached, 0, sizeof(b->uncached));
	b->gnutls_ok = 0;
	for (k = 0; k < nms; k++)
		ms[k].elapsed = ms[k].cpu = 0;
	for (s = 0; s < SLICES; s++)
		for (k = 0; k < nms; k++) {
			from = ms[k].chains * s / SLICES;
			to = ms[k].chains * (s + 1) / SLICES;
			t0 = clock_now();
			c0 = cpu_now();
			if (ms[k].slice(b, from, to) < 0)
				return -1;
			ms[k].cpu += cpu_now() - c0;
			ms[k].elapsed += clock_now() - t0;
		}
	for (k = 0; k < nms; k++) {
		expired = expired_among(b->pki, ms[k].chains);
		if (ms[k].slice == slice_cached && !tally_ok(&b->cached,
		    ms[k].chains, expired, ms[k].label))
			return -1;
		if (ms[k].slice == slice_uncached && !tally_ok(&b->uncached,
		    ms[k].chains, expired, ms[k].label))
			return -1;
		if (ms[k].slice == slice_gnutls &&
		    b->gnutls_ok != ms[k].chains - expired) {
			fprintf(stderr, "bench: GnuTLS accepted %zu chains, "
			    "want %zu\n", b->gnutls_ok, ms[k].chains - expired);
			return -1;
		}
		ms[k].cpu_per_chain[ms[k].rounds] = ms[k].cpu /
		    (double)ms[k].chains;
		ms[k].per_chain[ms[k].rounds++] = ms[k].elapsed /
		    (double)ms[k].chains;
	}
	sig_cache_stats(b->cache, &b->hits, &b->misses);
	sig_cache_free(b->cache);
	b->cache = NULL;
	cert_cache_free(b->certs);
	b->certs = NULL;
	return 0;
}

/* ---- report ---------------------------------------------------------- */

static int	write_sql(const struct pki *, const char *);

struct result {
	const struct key_profile *prof;
	double		 ratio_cached, ratio_uncached, ratio_gnutls;
	double		 cpu_cached;	/* CPU time ratio to A + B's */
};

/*
 * One measurement: wall time per chain, its spread, its ratio to floor
 * (A + B, wall) and throughput; then CPU time per chain and its ratio to
 * cpu_floor (A + B in CPU time), which a busy machine moves less.
 */
static void
print_row(const struct measure *m, double floor, double cpu_floor,
    const char *extra)
{
	printf("  %-42s %6zu %9.1f us %5.0f%%", m->label, m->chains,
	    m->median * 1e6, m->spread * 100);
	if (floor > 0)
		printf(" %7.2fx %9.0f/s", m->median / floor, 1.0 / m->median);
	else
		printf(" %8s %11s", "", "");
	printf(" %8.1f us", m->cpu_median * 1e6);
	if (cpu_floor > 0)
		printf(" %6.2fx", m->cpu_median / cpu_floor);
	printf("%s%s\n", extra[0] != '\0' ? "  " : "", extra);
}

enum { M_VERIFY, M_PARSE, M_CACHED, M_UNCACHED, M_GNUTLS, M__COUNT };

/* Generate one profile's chains, measure them, print its table. */
static int
bench_profile(const struct opts *o, const struct key_profile *p,
    const struct judge_params *params, struct result *res)
{
	struct pki pki;
	struct bench b;
	struct measure ms[M__COUNT];
	char extra[128];
	size_t small = o->n < BASELINE_MAX ? o->n : BASELINE_MAX;
	size_t sub = o->subset < o->n ? o->subset : o->n;
	unsigned long total;
	unsigned r;
	double floor, cpu_floor;
	int ret = -1;

	pki_generate(&pki, p, o->n);
	printf("\n== %s, SHA-256: %zu chains generated in %.1f s (not "
	    "measured)\n", p->name, pki.n, pki.gen_seconds);
	fflush(stdout);
	if (o->write_sql != NULL && write_sql(&pki, o->write_sql) < 0)
		goto out;
	if (bench_init(&b, &pki, params, small) < 0)
		goto out;

	memset(ms, 0, sizeof(ms));
	ms[M_VERIFY].label = "A  leaf signature verify (verify_data2)";
	ms[M_VERIFY].slice = slice_verify;
	ms[M_VERIFY].chains = small;
	ms[M_PARSE].label = "B  cert_parse + cert_free of a leaf";
	ms[M_PARSE].slice = slice_parse;
	ms[M_PARSE].chains = small;
	ms[M_CACHED].label = "chainaudit, run caches";
	ms[M_CACHED].slice = slice_cached;
	ms[M_CACHED].chains = o->n;
	ms[M_UNCACHED].label = "chainaudit, no cache";
	ms[M_UNCACHED].slice = slice_uncached;
	ms[M_UNCACHED].chains = sub;
	ms[M_GNUTLS].label = "GnuTLS import x2 + trust_list_verify_crt2";
	ms[M_GNUTLS].slice = slice_gnutls;
	ms[M_GNUTLS].chains = sub;
	for (r = 0; r < o->rounds; r++)
		if (bench_round(&b, ms, M__COUNT) < 0)
			goto out;
	for (r = 0; r < M__COUNT; r++)
		measure_finish(&ms[r]);
	floor = ms[M_VERIFY].median + ms[M_PARSE].median;
	cpu_floor = ms[M_VERIFY].cpu_median + ms[M_PARSE].cpu_median;

	printf("  %-42s %6s %12s %6s %8s %11s %11s %7s\n", "measurement",
	    "chains", "time/chain", "spread", "ratio", "throughput",
	    "CPU/chain", "ratio");
	print_row(&ms[M_VERIFY], 0, 0, "");
	print_row(&ms[M_PARSE], 0, 0, "");
	printf("  %-42s %6s %9.1f us %6s %7.2fx %9.0f/s %8.1f us %6.2fx\n",
	    "floor = A + B", "", floor * 1e6, "", 1.0, 1.0 / floor,
	    cpu_floor * 1e6, 1.0);
	total = b.hits + b.misses;
	snprintf(extra, sizeof(extra), "cache hits %.1f%% (%lu of %lu)",
	    total ? 100.0 * (double)b.hits / (double)total : 0.0, b.hits,
	    total);
	print_row(&ms[M_CACHED], floor, cpu_floor, extra);
	print_row(&ms[M_UNCACHED], floor, cpu_floor, "");
	print_row(&ms[M_GNUTLS], floor, cpu_floor, "");
	fflush(stdout);

	res->prof = p;
	res->cpu_cached = ms[M_CACHED].cpu_median / cpu_floor;
	res->ratio_cached = ms[M_CACHED].median / floor;
	res->ratio_uncached = ms[M_UNCACHED].median / floor;
	res->ratio_gnutls = ms[M_GNUTLS].median / floor;
	ret = 0;
out:
	bench_free(&b);
	pki_free(&pki);
	return ret;
}

/* ---- main -------------------------------------------------------- */

/* PEM of one DER certificate to fp. */
static int
put_pem(FILE *fp, const unsigned char *der, size_t len)
{
	gnutls_datum_t in, out;

	in.data = (unsigned char *)der;
	in.size = (unsigned)len;
	if (gnutls_pem_base64_encode2("CERTIFICATE", &in, &out) < 0)
		return -1;
	fwrite(out.data, 1, out.size, fp);
	gnutls_free(out.data);
	return 0;
}

/*
 * -w: the generated chains as SQL for sqlite3 (bench/bench-db.sh): the
 * table chainaudit_domains, one row per chain named after its host, and
 * the root as PATH.root.pem for --ca-file.  0, or -1 (reported).
 */
static int
write_sql(const struct pki *pki, const char *path)
{
	char root[4096];
	FILE *fp;
	size_t i, k;
	int bad = 0;

	snprintf(root, sizeof(root), "%s.root.pem", path);
	if ((fp = fopen(root, "w")) == NULL ||
	    put_pem(fp, pki->root.der, pki->root.der_len) < 0 ||
	    fclose(fp) != 0) {
		fprintf(stderr, "bench: %s: cannot write\n", root);
		return -1;
	}
	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "bench: %s: cannot write\n", path);
		return -1;
	}
	fprintf(fp, "BEGIN;\nCREATE TABLE IF NOT EXISTS chainaudit_domains "
	    "(id INTEGER PRIMARY KEY, domain TEXT NOT NULL, chain_pem TEXT, "
	    "contact TEXT);\n");
	for (i = 0; i < pki->n && !bad; i++) {
		fprintf(fp, "INSERT INTO chainaudit_domains (domain, chain_pem) "
		    "VALUES ('%s', '", pki->chains[i].host);
		for (k = 0; k < pki->chains[i].blobs.n; k++)
			bad |= put_pem(fp, pki->chains[i].blobs.v[k].der,
			    pki->chains[i].blobs.v[k].len) < 0;
		fprintf(fp, "');\n");
	}
	fprintf(fp, "COMMIT;\n");
	if (fclose(fp) != 0 || bad) {
		fprintf(stderr, "bench: %s: cannot write\n", path);
		return -1;
	}
	return 0;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: bench [-n chains] [-s subset] [-r rounds] "
	    "[-p ecdsa|rsa|all] [-w file.sql]\n"
	    "  -n N   chains per profile (default 10000)\n"
	    "  -s N   chains for the no-cache and GnuTLS runs "
	    "(default %d)\n"
	    "  -r N   rounds per measurement, median taken (default 3, "
	    "max %d)\n"
	    "  -p P   key profile (default all)\n"
	    "  -w F   also write the chains as SQL to F, the root to "
	    "F.root.pem\n", SUBSET_DEFAULT,
	    ROUNDS_MAX);
}

static int
parse_size(const char *s, size_t max, size_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v == 0 ||
	    v > max)
		return -1;
	*out = v;
	return 0;
}

static void
cpu_model(char *buf, size_t len)
{
	FILE *fp;
	char line[256], *v;

	snprintf(buf, len, "unknown CPU");
	if ((fp = fopen("/proc/cpuinfo", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "model name", 10) != 0 ||
		    (v = strchr(line, ':')) == NULL)
			continue;
		v += strspn(v + 1, " \t") + 1;
		v[strcspn(v, "\n")] = '\0';
		snprintf(buf, len, "%s", v);
		break;
	}
	fclose(fp);
}

int
main(int argc, char **argv)
{
	/* The CLI's own defaults, as `chainaudit --no-system-ca` has them. */
	char *cli_argv[] = { "chainaudit", "--no-system-ca", "-", NULL };
	struct opts o;
	struct config cfg;
	struct judge_params params;
	struct distrust_policy *distrust = NULL;
	struct trust_store *known = NULL;
	struct result res[NPROFILES];
	char cpu[128];
	size_t i, nres = 0, v;
	int ch, status = 1;

	memset(&o, 0, sizeof(o));
	o.n = 10000;
	o.subset = SUBSET_DEFAULT;
	o.rounds = 3;
	o.profile = -1;
	while ((ch = getopt(argc, argv, "n:s:r:p:w:h")) != -1) {
		switch (ch) {
		case 'n':
			if (parse_size(optarg, 10000000, &o.n) < 0) {
				fprintf(stderr, "bench: -n: '%s' is not a "
				    "count\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (parse_size(optarg, 10000000, &o.subset) < 0) {
				fprintf(stderr, "bench: -s: '%s' is not a "
				    "count\n", optarg);
				return 2;
			}
			break;
		case 'r':
			if (parse_size(optarg, ROUNDS_MAX, &v) < 0) {
				fprintf(stderr, "bench: -r: 1 to %d\n",
				    ROUNDS_MAX);
				return 2;
			}
			o.rounds = (unsigned)v;
			break;
		case 'p':
			if (strcmp(optarg, "ecdsa") == 0)
				o.profile = 0;
			else if (strcmp(optarg, "rsa") == 0)
				o.profile = 1;
			else if (strcmp(optarg, "all") == 0)
				o.profile = -1;
			else {
				fprintf(stderr, "bench: -p: '%s' is not ecdsa, "
				    "rsa or all\n", optarg);
				return 2;
			}
			break;
		case 'w':
			o.write_sql = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (cli_parse(3, cli_argv, &cfg) < 0)
		return 1;
	if (gnutls_global_init() < 0) {
		fprintf(stderr, "bench: cannot initialise GnuTLS\n");
		config_free(&cfg);
		return 1;
	}

	/* The clock is read once, as main.c does. */
	memset(&params, 0, sizeof(params));
	params.now = time(NULL);
	params.sha1_sunset = cfg.sha1_sunset;
	params.sha1_sunset_never = cfg.sha1_never;
	params.warn_days = cfg.warn_days;
	path_params_default(&params.path, params.now);
	/*
	 * The shipped distrust policy, as a real run has it (its pool of
	 * certificates goes to a store of its own: these chains never reach
	 * it, only the policy's matching cost counts).
	 */
	if ((distrust = distrust_new()) == NULL ||
	    (known = trust_store_new()) == NULL ||
	    builtin_load_distrust(distrust, known, NULL, NULL) < 0) {
		fprintf(stderr, "bench: cannot load the distrust policy\n");
		goto out;
	}
	params.distrust = distrust;

	cpu_model(cpu, sizeof(cpu));
	printf("chainaudit %s bench: time per chain as a ratio to the floor "
	    "A + B measured in this run\n", PACKAGE_VERSION);
	printf("machine: %ld CPUs online (nproc), %s; GnuTLS %s; one thread\n",
	    sysconf(_SC_NPROCESSORS_ONLN), cpu, gnutls_check_version(NULL));
	printf("chains: N=%zu per profile, leaf + intermediate in DER as "
	    "sent; 1 root (trusted), %d intermediates (round robin); every "
	    "%dth leaf expired; host checked\n", o.n, NINTERMEDIATES,
	    EXPIRED_EVERY);
	printf("timing: CLOCK_MONOTONIC and CPU time "
	    "(CLOCK_PROCESS_CPUTIME_ID), median of %u interleaved rounds "
	    "(spread: (max - min) / median); A and B on %zu leaves, no-cache "
	    "and GnuTLS on %zu chains\n", o.rounds,
	    o.n < BASELINE_MAX ? o.n : BASELINE_MAX,
	    o.subset < o.n ? o.subset : o.n);
	fflush(stdout);

	for (i = 0; i < NPROFILES; i++) {
		if (o.profile >= 0 && (size_t)o.profile != i)
			continue;
		if (bench_profile(&o, &profiles[i], &params, &res[nres]) < 0)
			goto out;
		nres++;
	}

	printf("\nheadline: time per chain / (A + B), lower is better\n");
	printf("  %-12s %11s %10s %8s %12s\n", "profile", "chainaudit",
	    "no cache", "GnuTLS", "CPU ratio");
	for (i = 0; i < nres; i++)
		printf("  %-12s %10.2fx %9.2fx %7.2fx %11.2fx\n",
		    res[i].prof->name, res[i].ratio_cached,
		    res[i].ratio_uncached, res[i].ratio_gnutls,
		    res[i].cpu_cached);
	printf("  (CPU ratio: chainaudit's CPU time per chain / A + B's)\n");
	status = 0;
out:
	distrust_free(distrust);
	trust_store_free(known);
	config_free(&cfg);
	gnutls_global_deinit();
	return status;
}
