/*
 * gen-db.c: the database-scan benchmark's generator and its bare loop
 * (bench/bench-db.sh, bench/README).
 *
 *   gen-db [-p PROFILE] -n N -o FILE.db
 *                              write N domain rows into FILE.db
 *   gen-db -b FILE.db [-m M]   the limit: read FILE.db's rows (the first
 *                              M) and do only one leaf parse + one leaf
 *                              verify per row
 *
 * Profiles: mixed (the default, the rows below), realistic (the same
 * mix with leaves shaped like a public CA's: three SANs, AIA, CRL
 * distribution point, certificate policies and an SCT list), rsa and
 * p256 (realistic leaves, every intermediate RSA-2048 or every one
 * ECDSA P-256, all SHA-256: the issue's per-algorithm goals).
 *
 * The PKI: an RSA-2048 root and an ECDSA P-256 root, and NINTS
 * intermediates under them (see the ints table: RSA with SHA-256, ECDSA
 * with SHA-256, RSA issuing ECDSA leaves, and SHA-1-era RSA, whose own
 * signature and whose leaves' are SHA-1).  Row i (from 0) is issued by
 * intermediate i % NINTS, so the rows are a mix of RSA-2048 and ECDSA
 * P-256 leaves; every 50th leaf is expired.  Leaves share a few keys per
 * algorithm: what differs per row is the name, the serial and the
 * signature over it, and that signature is what a scan verifies.  Leaves
 * are signed on two threads, a chunk of rows at a time, and inserted in
 * row order.  FILE.db.roots.pem gets both roots, FILE.db.ints.pem the
 * intermediates in order (for openssl verify -untrusted).
 *
 * GEN_VERSION names what is generated: bench-db.sh keys its cached
 * databases on it, so change it whenever the rows would change.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "benchcert.h"
#include <gnutls/abstract.h>
#include <sqlite3.h>

#define GEN_VERSION	1
#define NINTS		20
#define NLEAFKEYS	4	/* per key algorithm */
#define EXPIRED_EVERY	50
#define CHUNK		4096	/* rows signed, then inserted, at a time */

#define T2020	((time_t)1577836800)
#define T2021	((time_t)1609459200)
#define T2024	((time_t)1704067200)
#define T2099	((time_t)4102444799)

/* The engine's flags (sig.c): SHA-1 signatures are checked, not refused. */
#define VERIFY_FLAGS	(GNUTLS_VERIFY_ALLOW_BROKEN | \
	GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1)

enum kalg { K_RSA, K_EC };

/* One intermediate kind: its key, its root, and how it signs. */
struct int_kind {
	enum kalg	 key;		/* the intermediate's key */
	enum kalg	 leaf;		/* its leaves' keys */
	gnutls_digest_algorithm_t dig;	/* its own and its leaves' hash */
	const char	*label;
};

/*
 * Mixed: 8 RSA, 8 ECDSA, 2 RSA issuing ECDSA leaves, 2 SHA-1-era RSA:
 * half the leaves RSA-2048 (a tenth of all rows SHA-1-signed), half
 * ECDSA P-256.
 */
static const struct int_kind mixed_kinds[NINTS] = {
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA1, "RSA SHA-1" },
	{ K_RSA, K_EC, GNUTLS_DIG_SHA256, "RSA, ECDSA leaves" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" },
	{ K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" },
	{ K_RSA, K_RSA, GNUTLS_DIG_SHA1, "RSA SHA-1" },
	{ K_RSA, K_EC, GNUTLS_DIG_SHA256, "RSA, ECDSA leaves" },
};

static const struct int_kind rsa_kind = {
	K_RSA, K_RSA, GNUTLS_DIG_SHA256, "RSA" };
static const struct int_kind p256_kind = {
	K_EC, K_EC, GNUTLS_DIG_SHA256, "ECDSA" };

/* What one profile generates. */
struct profile {
	const char	*name;
	const struct int_kind *kinds;	/* NINTS of them, or NULL: all one */
	const struct int_kind *one;	/* every intermediate's kind */
	int		 realistic;	/* leaves with a public CA's extensions */
};

static const struct profile profiles[] = {
	{ "mixed", mixed_kinds, NULL, 0 },
	{ "realistic", mixed_kinds, NULL, 1 },
	{ "rsa", NULL, &rsa_kind, 1 },
	{ "p256", NULL, &p256_kind, 1 },
};

/* Intermediate i's kind under profile p. */
static const struct int_kind *
kind_of(const struct profile *p, size_t i)
{
	return p->kinds != NULL ? &p->kinds[i] : p->one;
}

struct issuer {
	gnutls_x509_crt_t	 crt;	/* owned */
	gnutls_x509_privkey_t	 key;	/* owned */
	char			*pem;	/* owned */
};

struct pki {
	struct issuer	 roots[2];	/* by enum kalg */
	struct issuer	 ints[NINTS];
	gnutls_x509_privkey_t leafkeys[2][NLEAFKEYS];
};

/* One chunk of rows, filled by two threads. */
struct chunk {
	const struct profile *prof;
	size_t		 first, n;	/* row numbers [first, first + n) */
	char		**pem;		/* owned: per row, leaf + int */
	char		(*host)[64];
};

/* A signing thread: its rows, and its own copies of the keys. */
struct job {
	struct chunk	*c;
	size_t		 off;		/* 0 or 1: every other row */
	struct pki	 own;		/* ints and leaf keys, owned */
};

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

static void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n)) == NULL) {
		fprintf(stderr, "gen-db: out of memory\n");
		exit(1);
	}
	return p;
}

static gnutls_x509_privkey_t
new_key(enum kalg a)
{
	gnutls_x509_privkey_t k;

	bench_check(gnutls_x509_privkey_init(&k), "privkey_init");
	bench_check(gnutls_x509_privkey_generate(k, a == K_RSA ? GNUTLS_PK_RSA :
	    GNUTLS_PK_EC, a == K_RSA ? 2048 :
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
	    "privkey_generate");
	return k;
}


static char *
crt_pem(gnutls_x509_crt_t crt)
{
	gnutls_datum_t d;
	char *s;

	bench_check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d), "export");
	s = xmalloc(d.size + 1);
	memcpy(s, d.data, d.size);
	s[d.size] = '\0';
	gnutls_free(d.data);
	return s;
}

static void
pki_generate(struct pki *pki, const struct profile *p)
{
	const struct int_kind *kd;
	char cn[64];
	size_t i, k;

	memset(pki, 0, sizeof(*pki));
	for (k = 0; k < 2; k++) {
		pki->roots[k].key = new_key((enum kalg)k);
		pki->roots[k].crt = bench_make_crt(k == K_RSA ? "Bench Root R1" :
		    "Bench Root E1", pki->roots[k].key, NULL, NULL,
		    GNUTLS_DIG_SHA256, 1, 1 + k, T2020, T2099);
		pki->roots[k].pem = crt_pem(pki->roots[k].crt);
		for (i = 0; i < NLEAFKEYS; i++)
			pki->leafkeys[k][i] = new_key((enum kalg)k);
	}
	for (i = 0; i < NINTS; i++) {
		kd = kind_of(p, i);
		snprintf(cn, sizeof(cn), "Bench %s CA %zu", kd->label, i + 1);
		pki->ints[i].key = new_key(kd->key);
		pki->ints[i].crt = bench_make_crt(cn, pki->ints[i].key,
		    pki->roots[kd->key].crt, pki->roots[kd->key].key,
		    kd->dig, 1, 100 + i, T2020, T2099);
		pki->ints[i].pem = crt_pem(pki->ints[i].crt);
	}
}

static void
pki_free(struct pki *pki)
{
	struct issuer *is;
	size_t i, k;

	for (i = 0; i < 2 + NINTS; i++) {
		is = i < 2 ? &pki->roots[i] : &pki->ints[i - 2];
		if (is->crt != NULL)
			gnutls_x509_crt_deinit(is->crt);
		if (is->key != NULL)
			gnutls_x509_privkey_deinit(is->key);
		free(is->pem);
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < NLEAFKEYS; i++)
			if (pki->leafkeys[k][i] != NULL)
				gnutls_x509_privkey_deinit(
				    pki->leafkeys[k][i]);
}

/*
 * A signing thread's copy of the intermediates and leaf keys: GnuTLS
 * objects are not shared between threads.  The PEM stays the source's.
 */
static void
pki_copy(struct pki *dst, const struct pki *src)
{
	gnutls_datum_t d;
	size_t i, k;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < NINTS; i++) {
		d.data = (unsigned char *)src->ints[i].pem;
		d.size = (unsigned)strlen(src->ints[i].pem);
		bench_check(gnutls_x509_crt_init(&dst->ints[i].crt), "crt_init");
		bench_check(gnutls_x509_crt_import(dst->ints[i].crt, &d,
		    GNUTLS_X509_FMT_PEM), "crt_import");
		bench_check(gnutls_x509_privkey_init(&dst->ints[i].key),
		    "privkey_init");
		bench_check(gnutls_x509_privkey_cpy(dst->ints[i].key,
		    src->ints[i].key), "privkey_cpy");
		dst->ints[i].pem = xmalloc(d.size + 1);
		memcpy(dst->ints[i].pem, d.data, d.size + 1);
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < NLEAFKEYS; i++) {
			bench_check(gnutls_x509_privkey_init(&dst->leafkeys[k][i]),
			    "privkey_init");
			bench_check(gnutls_x509_privkey_cpy(dst->leafkeys[k][i],
			    src->leafkeys[k][i]), "privkey_cpy");
		}
}

/*
 * The extensions a public CA's leaf carries beyond bench_crt_new's: two
 * more DNS names, AIA (OCSP and CA issuers), a CRL distribution point,
 * certificate policies (DV and a CPS URI) and an SCT list of two
 * well-formed SCTs (random log ids and signatures: nothing checks them).
 */
static void
add_realistic(gnutls_x509_crt_t crt, const char *host, size_t row, time_t nb)
{
	static const char cps[] = "https://pki.bench.test/cps";
	struct gnutls_x509_policy_st pol;
	gnutls_datum_t d;
	unsigned char sct[2 + 2 * (2 + 119)], ext[4 + sizeof(sct)], *p;
	char name[80], uri[96];
	uint64_t ms = (uint64_t)nb * 1000 + row % 1000;
	size_t i, k;

	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%s.%s", i == 0 ? "www" : "mail",
		    host);
		bench_check(gnutls_x509_crt_set_subject_alt_name(crt,
		    GNUTLS_SAN_DNSNAME, name, strlen(name),
		    GNUTLS_FSAN_APPEND), "set_san");
	}
	for (i = 0; i < 2; i++) {
		snprintf(uri, sizeof(uri), i == 0 ?
		    "http://ocsp.bench.test/ca%zu" :
		    "http://crt.bench.test/ca%zu.der", row % NINTS);
		d.data = (unsigned char *)uri;
		d.size = (unsigned)strlen(uri);
		bench_check(gnutls_x509_crt_set_authority_info_access(crt,
		    i == 0 ? GNUTLS_IA_OCSP_URI : GNUTLS_IA_CAISSUERS_URI, &d),
		    "set_aia");
	}
	snprintf(uri, sizeof(uri), "http://crl.bench.test/ca%zu.crl",
	    row % NINTS);
	bench_check(gnutls_x509_crt_set_crl_dist_points2(crt, GNUTLS_SAN_URI,
	    uri, (unsigned)strlen(uri), 0), "set_crl_dp");
	memset(&pol, 0, sizeof(pol));
	pol.oid = (char *)"2.23.140.1.2.1";
	bench_check(gnutls_x509_crt_set_policy(crt, &pol, 0), "set_policy");
	pol.oid = (char *)"1.3.6.1.4.1.44947.1.1.1";
	pol.qualifiers = 1;
	pol.qualifier[0].type = GNUTLS_X509_QUALIFIER_URI;
	pol.qualifier[0].data = (char *)cps;
	pol.qualifier[0].size = sizeof(cps) - 1;
	bench_check(gnutls_x509_crt_set_policy(crt, &pol, 0), "set_policy");

	/*
	 * RFC 6962 3.3: a TLS-encoded list of SCTs (version, 32-byte log
	 * id, 64-bit milliseconds, no extensions, SHA-256/ECDSA and a
	 * 72-byte signature shaped like DER), in an OCTET STRING.
	 */
	p = sct;
	*p++ = (unsigned char)((sizeof(sct) - 2) >> 8);
	*p++ = (unsigned char)(sizeof(sct) - 2);
	for (k = 0; k < 2; k++) {
		*p++ = 0;
		*p++ = 119;
		*p++ = 0;				/* v1 */
		for (i = 0; i < 32; i++)		/* log id */
			*p++ = (unsigned char)(0xa0 + 16 * k + i);
		for (i = 0; i < 8; i++)
			*p++ = (unsigned char)(ms >> (56 - 8 * i));
		*p++ = 0;				/* no extensions */
		*p++ = 0;
		*p++ = 4;				/* sha256 */
		*p++ = 3;				/* ecdsa */
		*p++ = 0;
		*p++ = 72;
		*p++ = 0x30;
		*p++ = 70;
		for (i = 0; i < 2; i++) {
			*p++ = 0x02;
			*p++ = 33;
			*p++ = 0x00;
			memset(p, (int)(0x81 + row % 64 + 7 * k + i), 32);
			p += 32;
		}
	}
	ext[0] = 0x04;
	ext[1] = 0x82;
	ext[2] = (unsigned char)(sizeof(sct) >> 8);
	ext[3] = (unsigned char)sizeof(sct);
	memcpy(ext + 4, sct, sizeof(sct));
	bench_check(gnutls_x509_crt_set_extension_by_oid(crt,
	    "1.3.6.1.4.1.11129.2.4.2", ext, sizeof(ext), 0), "set_sct");
}

/* Sign every other row of a chunk, on private copies of the keys. */
static void *
sign_rows(void *arg)
{
	struct job *job = arg;
	struct chunk *c = job->c;
	const struct pki *pki = &job->own;
	const struct int_kind *kd;
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
	size_t i, row, n, k;
	char *leaf;
	int expired;

	for (i = job->off; i < c->n; i += 2) {
		row = c->first + i;
		k = row % NINTS;
		kd = kind_of(c->prof, k);
		expired = row % EXPIRED_EVERY == EXPIRED_EVERY - 1;
		snprintf(c->host[i], sizeof(c->host[i]), "www%zu.bench.test",
		    row);
		key = pki->leafkeys[kd->leaf][row / NINTS % NLEAFKEYS];
		crt = bench_crt_new(c->host[i], key, 0, 1000 + row,
		    expired ? T2020 : T2024, expired ? T2021 : T2099);
		if (c->prof->realistic)
			add_realistic(crt, c->host[i], row,
			    expired ? T2020 : T2024);
		bench_crt_sign(crt, key, pki->ints[k].crt, pki->ints[k].key,
		    kd->dig);
		leaf = crt_pem(crt);
		gnutls_x509_crt_deinit(crt);
		n = strlen(leaf) + strlen(pki->ints[k].pem) + 1;
		c->pem[i] = xmalloc(n);
		snprintf(c->pem[i], n, "%s%s", leaf, pki->ints[k].pem);
		free(leaf);
	}
	return NULL;
}

static int
write_pems(const char *path, const char *suffix, struct issuer *is, size_t n)
{
	char name[4096];
	FILE *fp;
	size_t i;

	snprintf(name, sizeof(name), "%s%s", path, suffix);
	if ((fp = fopen(name, "w")) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		fputs(is[i].pem, fp);
	if (fclose(fp) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "gen-db: %s: %s\n", name, strerror(errno));
	return -1;
}

static int
sql_fail(sqlite3 *db, const char *path)
{
	fprintf(stderr, "gen-db: %s: %s\n", path, sqlite3_errmsg(db));
	return -1;
}

/* Generate n rows of profile prof into path (created afresh).  0 or -1. */
static int
generate(const char *path, size_t n, const struct profile *prof)
{
	struct pki pki;
	struct chunk c;
	struct job jobs[2];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	pthread_t tid;
	size_t i;
	double t0 = clock_now();
	int ret = -1, threaded;

	pki_generate(&pki, prof);
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		sql_fail(db, path);
		goto out;
	}
	if (sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	    "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT NOT NULL, chain_pem TEXT, contact TEXT);", NULL,
	    NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO chainaudit_domains (id, "
	    "domain, chain_pem) VALUES (?, ?, ?)", -1, &st, NULL) !=
	    SQLITE_OK) {
		sql_fail(db, path);
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.prof = prof;
	c.pem = calloc(CHUNK, sizeof(*c.pem));
	c.host = xmalloc(CHUNK * sizeof(*c.host));
	for (i = 0; i < 2; i++) {
		jobs[i].c = &c;
		jobs[i].off = i;
		pki_copy(&jobs[i].own, &pki);
	}
	for (c.first = 0; c.first < n; c.first += c.n) {
		c.n = n - c.first < CHUNK ? n - c.first : CHUNK;
		threaded = pthread_create(&tid, NULL, sign_rows, &jobs[1]) == 0;
		sign_rows(&jobs[0]);
		if (threaded)
			pthread_join(tid, NULL);
		else
			sign_rows(&jobs[1]);
		if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
			sql_fail(db, path);
			goto out;
		}
		for (i = 0; i < c.n; i++) {
			sqlite3_bind_int64(st, 1, (sqlite3_int64)(c.first + i + 1));
			sqlite3_bind_text(st, 2, c.host[i], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, c.pem[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE) {
				sql_fail(db, path);
				goto out;
			}
			sqlite3_reset(st);
			free(c.pem[i]);
			c.pem[i] = NULL;
		}
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			sql_fail(db, path);
			goto out;
		}
		if (isatty(2))
			fprintf(stderr, "\rgen-db: %zu of %zu rows", c.first +
			    c.n, n);
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	free(c.pem);
	free(c.host);
	for (i = 0; i < 2; i++)
		pki_free(&jobs[i].own);
	if (write_pems(path, ".roots.pem", pki.roots, 2) < 0 ||
	    write_pems(path, ".ints.pem", pki.ints, NINTS) < 0)
		goto out;
	printf("generated %zu rows (v%d, %s) in %.1f s on 2 threads\n", n,
	    GEN_VERSION, prof->name, clock_now() - t0);
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	pki_free(&pki);
	return ret;
}

/* ---- the bare loop ----------------------------------------------------- */

/*
 * The TBSCertificate inside a DER certificate: the first element of the
 * outer SEQUENCE.  0, or -1 when the DER is not shaped so.
 */
static int
der_tbs(const unsigned char *der, size_t len, gnutls_datum_t *tbs)
{
	size_t off = 0, hl, l, i, nb;

	/* Skip the outer header, then measure the inner one. */
	for (i = 0; i < 2; i++) {
		if (off + 2 > len || der[off] != 0x30)
			return -1;
		l = der[off + 1];
		hl = 2;
		if (l & 0x80) {
			nb = l & 0x7f;
			if (nb == 0 || nb > 4 || off + 2 + nb > len)
				return -1;
			for (l = 0; hl < 2 + nb; hl++)
				l = l << 8 | der[off + hl];
		}
		if (i == 0)
			off += hl;
		else {
			if (off + hl + l > len)
				return -1;
			tbs->data = (unsigned char *)der + off;
			tbs->size = (unsigned)(hl + l);
		}
	}
	return 0;
}

/*
 * The limit bench-db compares chainaudit with: per row, read it, decode
 * the leaf's PEM, then (timed on its own too) gnutls_x509_crt_import of
 * the leaf + one gnutls_pubkey_verify_data2 with its issuer's key, which
 * the loop knows from the row number.  Reads the first max rows (0: all).
 * Prints rows/s of both, and the CPU time per row of both (the process's
 * over the loop; the thread's around each import + verify).
 */
static int
bare(const char *path, size_t max)
{
	char name[4096];
	gnutls_datum_t d, der, tbs, sig;
	gnutls_x509_crt_t *ints = NULL, leaf;
	gnutls_pubkey_t keys[NINTS];
	unsigned nints = 0, i;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *pem, *end;
	unsigned char sigbuf[1024];
	size_t n = 0, bad = 0, siglen;
	int64_t row;
	double t0, t1, inner = 0, cpu0, cpu1, cpu_inner = 0;
	int algo, ret = -1;

	snprintf(name, sizeof(name), "%s.ints.pem", path);
	memset(keys, 0, sizeof(keys));
	if (gnutls_load_file(name, &d) < 0) {
		fprintf(stderr, "gen-db: %s: cannot read\n", name);
		return -1;
	}
	bench_check(gnutls_x509_crt_list_import2(&ints, &nints, &d,
	    GNUTLS_X509_FMT_PEM, 0), name);
	gnutls_free(d.data);
	if (nints != NINTS) {
		fprintf(stderr, "gen-db: %s: %u certificates, want %d\n", name,
		    nints, NINTS);
		goto out;
	}
	for (i = 0; i < NINTS; i++) {
		bench_check(gnutls_pubkey_init(&keys[i]), "pubkey_init");
		bench_check(gnutls_pubkey_import_x509(keys[i], ints[i], 0),
		    "pubkey_import");
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(db, "SELECT id, chain_pem FROM "
	    "chainaudit_domains ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		sql_fail(db, path);
		goto out;
	}
	t0 = clock_now();
	cpu0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
	while ((max == 0 || n < max) && sqlite3_step(st) == SQLITE_ROW) {
		row = sqlite3_column_int64(st, 0) - 1;
		pem = (const char *)sqlite3_column_text(st, 1);
		end = strstr(pem, "-----END CERTIFICATE-----");
		d.data = (unsigned char *)pem;
		d.size = end != NULL ? (unsigned)(end - pem + 25) : 0;
		if (gnutls_pem_base64_decode2("CERTIFICATE", &d, &der) < 0) {
			bad++;
			continue;
		}
		t1 = clock_now();
		cpu1 = clock_of(CLOCK_THREAD_CPUTIME_ID);
		siglen = sizeof(sigbuf);
		if (gnutls_x509_crt_init(&leaf) < 0 ||
		    gnutls_x509_crt_import(leaf, &der, GNUTLS_X509_FMT_DER) <
		    0 ||
		    (algo = gnutls_x509_crt_get_signature_algorithm(leaf)) < 0 ||
		    gnutls_x509_crt_get_signature(leaf, (char *)sigbuf,
		    &siglen) < 0 || der_tbs(der.data, der.size, &tbs) < 0)
			bad++;
		else {
			sig.data = sigbuf;
			sig.size = (unsigned)siglen;
			if (gnutls_pubkey_verify_data2(keys[row % NINTS], algo,
			    VERIFY_FLAGS, &tbs, &sig) < 0)
				bad++;
		}
		gnutls_x509_crt_deinit(leaf);
		inner += clock_now() - t1;
		cpu_inner += clock_of(CLOCK_THREAD_CPUTIME_ID) - cpu1;
		gnutls_free(der.data);
		n++;
	}
	t1 = clock_now() - t0;
	cpu1 = clock_of(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	printf("bare loop: %zu rows in %.2f s: %.0f rows/s (read + PEM + "
	    "import + verify); import + verify alone %.0f rows/s, %.1f us "
	    "per row\n", n, t1, (double)n / t1, (double)n / inner,
	    inner * 1e6 / (double)n);
	printf("bare loop CPU: %.1f us per row (read + PEM + import + "
	    "verify); import + verify alone CPU %.1f us per row\n",
	    cpu1 * 1e6 / (double)n, cpu_inner * 1e6 / (double)n);
	if (bad > 0) {
		fprintf(stderr, "gen-db: %s: %zu rows did not verify\n", path,
		    bad);
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < NINTS; i++)
		if (keys[i] != NULL)
			gnutls_pubkey_deinit(keys[i]);
	for (i = 0; i < nints; i++)
		gnutls_x509_crt_deinit(ints[i]);
	gnutls_free(ints);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: gen-db [-p mixed|realistic|rsa|p256] -n rows "
	    "-o file.db\n"
	    "       gen-db -b file.db [-m rows]\n"
	    "       gen-db -V     (the generator version)\n");
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *bare_db = NULL;
	const struct profile *prof = &profiles[0];
	unsigned long n = 0, max = 0, *count;
	char *end;
	size_t i;
	int ch, ret;

	while ((ch = getopt(argc, argv, "n:m:o:b:p:Vh")) != -1) {
		switch (ch) {
		case 'n':
		case 'm':
			count = ch == 'n' ? &n : &max;
			errno = 0;
			*count = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    *count == 0 || *count > 100000000) {
				fprintf(stderr, "gen-db: -%c: '%s' is not a "
				    "count\n", ch, optarg);
				return 2;
			}
			break;
		case 'p':
			for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]);
			    i++)
				if (strcmp(optarg, profiles[i].name) == 0)
					break;
			if (i == sizeof(profiles) / sizeof(profiles[0])) {
				fprintf(stderr, "gen-db: -p: '%s': mixed, "
				    "realistic, rsa or p256\n", optarg);
				return 2;
			}
			prof = &profiles[i];
			break;
		case 'o':
			out = optarg;
			break;
		case 'b':
			bare_db = optarg;
			break;
		case 'V':
			printf("%d\n", GEN_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || (bare_db == NULL) == (out == NULL || n == 0)) {
		usage(stderr);
		return 2;
	}
	bench_check(gnutls_global_init(), "global_init");
	ret = bare_db != NULL ? bare(bare_db, (size_t)max) :
	    generate(out, (size_t)n, prof);
	gnutls_global_deinit();
	return ret < 0 ? 1 : 0;
}
