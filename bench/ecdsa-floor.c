/*
 * ecdsa-floor.c: the ECDSA P-256 floor of a database scan (bench/README,
 * bench/bench-ecdsa.sh): what verifying a leaf's signature costs with
 * nettle alone, everything else made ready beforehand.
 *
 *   ecdsa-floor [-r ROUNDS] FILE.db
 *                                per row whose leaf is signed with
 *                                ecdsa-with-SHA256 by a P-256 key: the
 *                                SHA-256 of the leaf's TBS and one
 *                                nettle ecdsa_verify, timed in CPU time
 *   ecdsa-floor -x OUT.db FILE.db
 *                                copy those rows (and only those) into
 *                                the new table OUT.db, for a scan
 *
 * Untimed: reading the rows, decoding the PEM (GnuTLS), slicing the TBS,
 * decoding the signature into r and s, and converting each issuer's key
 * into a nettle point once per issuer.  Timed, in floor_loop: the hash
 * and the verification, as often as there are rows, -r times (default 5);
 * the median round is reported.  Under callgrind, --toggle-collect=floor_loop
 * counts the loop's instructions alone.  Every verification must
 * succeed, or the program exits 1.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gmp.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/sha2.h>
#include <sqlite3.h>

#define ROUNDS_MAX	15
#define MAX_ISSUERS	64

/* An issuer's key, converted once. */
struct issuer {
	unsigned char	*der;		/* owned: its certificate */
	size_t		 len;
	struct ecc_point pub;
	gnutls_pubkey_t	 gkey;		/* owned: the same, for GnuTLS */
};

/* One row made ready: the signed bytes and the signature. */
struct row {
	unsigned char		*tbs;	/* owned */
	size_t			 tbs_len;
	struct dsa_signature	 sig;
	const struct issuer	*is;	/* borrowed */
	unsigned char		 sigder[160];	/* the signature as sent */
	size_t			 sigder_len;
};

struct floor {
	struct issuer	 issuers[MAX_ISSUERS];
	size_t		 nissuers;
	struct row	*rows;
	size_t		 n, cap;
};

/* The TLV at p (DER, definite length); its total length, 0 if bad. */
static size_t
tlv_len(const unsigned char *p, size_t len, size_t *hdr)
{
	size_t n, i, k;

	if (len < 2)
		return 0;
	if (!(p[1] & 0x80)) {
		*hdr = 2;
		n = p[1];
	} else {
		k = p[1] & 0x7f;
		if (k == 0 || k > 4 || len < 2 + k)
			return 0;
		for (n = 0, i = 0; i < k; i++)
			n = n << 8 | p[2 + i];
		*hdr = 2 + k;
	}
	return *hdr + n <= len ? *hdr + n : 0;
}

/* The issuer's key as a nettle point, converted on its first use. */
static const struct issuer *
issuer_key(struct floor *f, gnutls_x509_crt_t crt, const gnutls_datum_t *der)
{
	gnutls_ecc_curve_t curve;
	gnutls_datum_t x, y;
	struct issuer *is;
	mpz_t mx, my;
	size_t i;
	int ok;

	for (i = 0; i < f->nissuers; i++)
		if (f->issuers[i].len == der->size &&
		    memcmp(f->issuers[i].der, der->data, der->size) == 0)
			return &f->issuers[i];
	if (f->nissuers == MAX_ISSUERS ||
	    gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y) < 0)
		return NULL;
	ok = curve == GNUTLS_ECC_CURVE_SECP256R1;
	is = &f->issuers[f->nissuers];
	if (ok) {
		mpz_init(mx);
		mpz_init(my);
		nettle_mpz_set_str_256_u(mx, x.size, x.data);
		nettle_mpz_set_str_256_u(my, y.size, y.data);
		ecc_point_init(&is->pub, nettle_get_secp_256r1());
		ok = ecc_point_set(&is->pub, mx, my) &&
		    (is->der = malloc(der->size)) != NULL &&
		    gnutls_pubkey_init(&is->gkey) == 0 &&
		    gnutls_pubkey_import_x509(is->gkey, crt, 0) == 0;
		mpz_clear(mx);
		mpz_clear(my);
	}
	gnutls_free(x.data);
	gnutls_free(y.data);
	if (!ok)
		return NULL;
	memcpy(is->der, der->data, der->size);
	is->len = der->size;
	f->nissuers++;
	return is;
}

/*
 * Make the row of chain ready: 1 when its leaf is ecdsa-with-SHA256
 * under a P-256 issuer (the second certificate), 0 when not, -1 on ENOMEM.
 */
static int
row_add(struct floor *f, const unsigned char *pem, size_t len)
{
	gnutls_x509_crt_t crts[4];
	unsigned ncrts = 4, i;
	gnutls_datum_t in = { (unsigned char *)pem, (unsigned)len };
	gnutls_datum_t leaf = { NULL, 0 }, idr = { NULL, 0 }, r, s, sv;
	unsigned char sigbuf[256];
	size_t siglen = sizeof(sigbuf), hdr, thdr, cl, tl;
	struct row *w;
	int ret = 0;

	if (gnutls_x509_crt_list_import(crts, &ncrts, &in, GNUTLS_X509_FMT_PEM,
	    0) < 0)
		return 0;
	if (ncrts < 2 || gnutls_x509_crt_get_signature_algorithm(crts[0]) !=
	    GNUTLS_SIGN_ECDSA_SHA256 ||
	    gnutls_x509_crt_export2(crts[0], GNUTLS_X509_FMT_DER, &leaf) < 0 ||
	    gnutls_x509_crt_export2(crts[1], GNUTLS_X509_FMT_DER, &idr) < 0 ||
	    gnutls_x509_crt_get_signature(crts[0], (char *)sigbuf,
	    &siglen) < 0)
		goto out;
	sv.data = sigbuf;
	sv.size = (unsigned)siglen;
	/* Certificate ::= SEQUENCE { tbs, algorithm, signature } */
	if ((cl = tlv_len(leaf.data, leaf.size, &hdr)) == 0 ||
	    (tl = tlv_len(leaf.data + hdr, cl - hdr, &thdr)) == 0)
		goto out;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		if ((w = realloc(f->rows, f->cap * sizeof(*w))) == NULL) {
			ret = -1;
			goto out;
		}
		f->rows = w;
	}
	w = &f->rows[f->n];
	if (siglen > sizeof(w->sigder) ||
	    (w->is = issuer_key(f, crts[1], &idr)) == NULL ||
	    gnutls_decode_rs_value(&sv, &r, &s) < 0)
		goto out;
	memcpy(w->sigder, sigbuf, siglen);
	w->sigder_len = siglen;
	if ((w->tbs = malloc(tl)) == NULL) {
		gnutls_free(r.data);
		gnutls_free(s.data);
		ret = -1;
		goto out;
	}
	memcpy(w->tbs, leaf.data + hdr, tl);
	w->tbs_len = tl;
	dsa_signature_init(&w->sig);
	nettle_mpz_set_str_256_u(w->sig.r, r.size, r.data);
	nettle_mpz_set_str_256_u(w->sig.s, s.size, s.data);
	gnutls_free(r.data);
	gnutls_free(s.data);
	f->n++;
	ret = 1;
out:
	gnutls_free(leaf.data);
	gnutls_free(idr.data);
	for (i = 0; i < ncrts; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return ret;
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The floor: hash and verify every row.  Not inlined, so that callgrind
 * can count it alone.  The number of rows that verified.
 */
static size_t __attribute__((noinline))
floor_loop(const struct floor *f)
{
	struct sha256_ctx ctx;
	uint8_t md[SHA256_DIGEST_SIZE];
	size_t i, ok = 0;

	for (i = 0; i < f->n; i++) {
		sha256_init(&ctx);
		sha256_update(&ctx, f->rows[i].tbs_len, f->rows[i].tbs);
		sha256_digest(&ctx, sizeof(md), md);
		ok += ecdsa_verify(&f->rows[i].is->pub, sizeof(md), md,
		    &f->rows[i].sig) == 1;
	}
	return ok;
}

/*
 * The same through GnuTLS, as src/sig.c calls it: the issuer's key
 * imported once, the TBS and the signature as they are in the
 * certificate.  What it costs above floor_loop is GnuTLS's own path.
 */
static size_t __attribute__((noinline))
gnutls_loop(const struct floor *f)
{
	gnutls_datum_t d, sig;
	size_t i, ok = 0;

	for (i = 0; i < f->n; i++) {
		d.data = f->rows[i].tbs;
		d.size = (unsigned)f->rows[i].tbs_len;
		sig.data = (unsigned char *)f->rows[i].sigder;
		sig.size = (unsigned)f->rows[i].sigder_len;
		ok += gnutls_pubkey_verify_data2(f->rows[i].is->gkey,
		    GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_VERIFY_ALLOW_BROKEN |
		    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &d, &sig) >= 0;
	}
	return ok;
}

/* The median CPU seconds of rounds runs of loop over f; -1 on a failure. */
static double
time_loop(const struct floor *f, size_t (*loop)(const struct floor *),
    int rounds)
{
	double t[ROUNDS_MAX], t0;
	int r;

	for (r = 0; r < rounds; r++) {
		t0 = cpu_now();
		if (loop(f) != f->n) {
			fprintf(stderr, "ecdsa-floor: a signature did not "
			    "verify\n");
			return -1;
		}
		t[r] = cpu_now() - t0;
	}
	qsort(t, (size_t)rounds, sizeof(t[0]), cmp_double);
	return t[rounds / 2];
}

/* With out, copy the rows of db that f kept (their ids in p256) there. */
static int
copy_rows(sqlite3 *db, const char *out, size_t kept, size_t rows)
{
	/* The output may be new: the URI lets ATTACH create it. */
	char *sql = sqlite3_mprintf("ATTACH 'file:' || %Q || '?mode=rwc' AS "
	    "o; CREATE TABLE o.chainaudit_domains AS SELECT * FROM "
	    "chainaudit_domains WHERE id IN (SELECT id FROM p256); DETACH o",
	    out);
	int r;

	if (sql == NULL)
		return -1;
	r = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	if (r != SQLITE_OK) {
		fprintf(stderr, "ecdsa-floor: %s: %s\n", out,
		    sqlite3_errmsg(db));
		return -1;
	}
	printf("ecdsa-floor: %zu of %zu rows are P-256-signed: %s\n", kept,
	    rows, out);
	return 0;
}

/*
 * Read the rows of db; with out, copy the P-256 rows there instead of
 * timing them.
 */
static int
run(const char *path, const char *out, int rounds)
{
	struct floor f;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char sql[64];
	double tf, tg;
	size_t i, rows = 0;
	int r, ret = -1;

	memset(&f, 0, sizeof(f));
	/*
	 * The input is only read (the ids picked go to a TEMP table), and
	 * must be there: the connection may create files, for -x.
	 */
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "ecdsa-floor: %s: cannot read it\n", path);
		goto out;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE TEMP TABLE p256 (id INTEGER PRIMARY "
	    "KEY)", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id, chain_pem FROM "
	    "chainaudit_domains ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "ecdsa-floor: %s: %s\n", path,
		    sqlite3_errmsg(db));
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		if ((r = row_add(&f, sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1))) < 0)
			goto out;
		if (r == 1 && out != NULL) {
			snprintf(sql, sizeof(sql), "INSERT INTO p256 VALUES "
			    "(%lld)", (long long)sqlite3_column_int64(st, 0));
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) !=
			    SQLITE_OK)
				goto out;
		}
	}
	if (out != NULL) {
		ret = copy_rows(db, out, f.n, rows);
		goto out;
	}
	if (f.n == 0) {
		fprintf(stderr, "ecdsa-floor: %s: no P-256-signed row\n", path);
		goto out;
	}
	if ((tf = time_loop(&f, floor_loop, rounds)) < 0 ||
	    (tg = time_loop(&f, gnutls_loop, rounds)) < 0)
		goto out;
	printf("nettle P-256 floor: %zu rows (of %zu), SHA-256 of the TBS + "
	    "ecdsa_verify: %.1f us CPU per row, %.0f rows/s per core "
	    "(median of %d rounds; %zu issuer keys converted once)\n", f.n,
	    rows, tf / (double)f.n * 1e6, (double)f.n / tf, rounds,
	    f.nissuers);
	printf("GnuTLS verify_data2, key imported once: %.1f us CPU per row, "
	    "%.2fx the floor\n", tg / (double)f.n * 1e6, tg / tf);
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	for (i = 0; i < f.n; i++) {
		free(f.rows[i].tbs);
		dsa_signature_clear(&f.rows[i].sig);
	}
	free(f.rows);
	for (i = 0; i < f.nissuers; i++) {
		ecc_point_clear(&f.issuers[i].pub);
		gnutls_pubkey_deinit(f.issuers[i].gkey);
		free(f.issuers[i].der);
	}
	return ret;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ecdsa-floor [-r ROUNDS] FILE.db\n"
	    "       ecdsa-floor -x OUT.db FILE.db\n");
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	int ch, ret, rounds = 5;

	while ((ch = getopt(argc, argv, "r:x:h")) != -1) {
		switch (ch) {
		case 'r':
			rounds = atoi(optarg);
			if (rounds < 1 || rounds > ROUNDS_MAX) {
				fprintf(stderr, "ecdsa-floor: -r: 1 to %d\n",
				    ROUNDS_MAX);
				return 2;
			}
			break;
		case 'x':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (gnutls_global_init() < 0)
		return 1;
	ret = run(argv[optind], out, rounds);
	gnutls_global_deinit();
	return ret < 0 ? 1 : 0;
}
