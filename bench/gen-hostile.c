/*
 * gen-hostile.c: the worst inputs for one audit's work budget (issue 17
 * item 1), written as PEM files into a directory for bench-hostile.sh:
 *
 *   rsa16k.pem    a leaf and 20 CAs sharing one name, each with a
 *                 16,384-bit RSA modulus and a 16,383-bit public exponent
 *                 (every CA is a candidate issuer of every other, and one
 *                 check costs about a second)
 *   ring521.pem   a leaf and a ring of 500 CAs sharing one name, P-521
 *                 keys, CA i signed by CA i+1's key, no key identifiers
 *   nc-ca.pem     a root with 20,000 permitted dNSName subtrees
 *   nc-leaf.pem   its leaf with 10,000 dNSNames, all of them permitted
 *   bundle103.pem 103 CAs sharing one name (P-521 and huge-exponent RSA,
 *                 in turn), no key identifiers
 *   slow-*.pem    8 chains, each a leaf and 120 same-name P-256 CAs of
 *                 its own, and the leaves' key: chains a server sends
 *                 that each take a whole budget to audit
 *
 * The huge RSA keys are not real key pairs: a modulus is a random odd
 * number and a signature random bytes below it.  Verifying costs what a
 * real one costs (the modular exponentiation), which is the point, and
 * nothing verifies, which no audit may mind.  Not part of chainaudit.
 *
 * usage: gen-hostile DIR
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include "benchcert.h"

#define NOT_BEFORE	1420070400	/* 2015-01-01 */
#define NOT_AFTER	1893456000	/* 2030-01-01 */

#define HUGE_BITS	16384
#define RING		500
#define NC_SUBTREES	20000
#define NC_SANS		10000
#define BUNDLE		103

static void
die(const char *what)
{
	fprintf(stderr, "gen-hostile: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
random_bytes(unsigned char *p, size_t n)
{
	bench_check(gnutls_rnd(GNUTLS_RND_NONCE, p, n), "rnd");
}

/* A public key with a random odd 16k-bit modulus and exponent. */
static gnutls_pubkey_t
huge_rsa_pubkey(unsigned char *nbytes)
{
	static unsigned char e[HUGE_BITS / 8];
	gnutls_datum_t m = { nbytes, HUGE_BITS / 8 }, ed = { e, sizeof(e) };
	gnutls_pubkey_t pub;

	random_bytes(nbytes, HUGE_BITS / 8);
	nbytes[0] |= 0x80;
	nbytes[HUGE_BITS / 8 - 1] |= 1;
	random_bytes(e, sizeof(e));
	e[0] = (e[0] | 0x40) & 0x7f;	/* 16,383 bits, below the modulus */
	e[sizeof(e) - 1] |= 1;
	bench_check(gnutls_pubkey_init(&pub), "pubkey_init");
	bench_check(gnutls_pubkey_import_rsa_raw(pub, &m, &ed), "import_rsa");
	return pub;
}

static size_t
der_len(const unsigned char *p, size_t *hdr)
{
	size_t n = 0, k, i;

	if (p[1] < 0x80) {
		*hdr = 2;
		return p[1];
	}
	k = p[1] & 0x7f;
	for (i = 0; i < k; i++)
		n = n << 8 | p[2 + i];
	*hdr = 2 + k;
	return n;
}

static size_t
put_hdr(unsigned char *p, unsigned char tag, size_t len)
{
	if (len < 0x80) {
		p[0] = tag;
		p[1] = (unsigned char)len;
		return 2;
	}
	if (len < 0x10000) {
		p[0] = tag;
		p[1] = 0x82;
		p[2] = (unsigned char)(len >> 8);
		p[3] = (unsigned char)len;
		return 4;
	}
	p[0] = tag;
	p[1] = 0x83;
	p[2] = (unsigned char)(len >> 16);
	p[3] = (unsigned char)(len >> 8);
	p[4] = (unsigned char)len;
	return 5;
}

/*
 * Replace the signature of a DER certificate with siglen random bytes
 * below the modulus top (so that the exponentiation is done in full).
 */
static void
resign_random(gnutls_datum_t *der, const unsigned char *ntop, size_t siglen)
{
	const unsigned char *p = der->data, *tbs, *alg;
	size_t hdr, tlen, alen, h2, body, n;
	unsigned char *out;

	der_len(p, &hdr);
	tbs = p + hdr;
	tlen = der_len(tbs, &h2) + h2;
	alg = tbs + tlen;
	alen = der_len(alg, &h2) + h2;
	if ((out = malloc(tlen + alen + siglen + 16)) == NULL)
		die("malloc");
	body = tlen + alen + put_hdr(out, 0x03, siglen + 1) + 1 + siglen;
	n = put_hdr(out, 0x30, body);
	memcpy(out + n, tbs, tlen);
	n += tlen;
	memcpy(out + n, alg, alen);
	n += alen;
	n += put_hdr(out + n, 0x03, siglen + 1);
	out[n++] = 0;
	random_bytes(out + n, siglen);
	out[n] = ntop[0] > 1 ? (unsigned char)(out[n] % (ntop[0] - 1)) : 0;
	n += siglen;
	gnutls_free(der->data);
	if ((der->data = gnutls_malloc(n)) == NULL)
		die("malloc");
	memcpy(der->data, out, n);
	der->size = (unsigned)n;
	free(out);
}

/* A certificate template: name, key, validity, CA or leaf. */
static gnutls_x509_crt_t
crt_new(const char *cn, unsigned long serial, int ca)
{
	gnutls_x509_crt_t crt;
	unsigned char sn[8];
	size_t i;

	for (i = 0; i < sizeof(sn); i++)
		sn[i] = (unsigned char)(serial >> (8 * (sizeof(sn) - 1 - i)));
	sn[0] = 0x01;
	bench_check(gnutls_x509_crt_init(&crt), "crt_init");
	bench_check(gnutls_x509_crt_set_version(crt, 3), "set_version");
	bench_check(gnutls_x509_crt_set_serial(crt, sn, sizeof(sn)),
	    "set_serial");
	bench_check(gnutls_x509_crt_set_activation_time(crt, NOT_BEFORE),
	    "set_activation");
	bench_check(gnutls_x509_crt_set_expiration_time(crt, NOT_AFTER),
	    "set_expiration");
	bench_check(gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn)), "set_dn");
	bench_check(gnutls_x509_crt_set_basic_constraints(crt, ca, -1),
	    "set_basic_constraints");
	bench_check(gnutls_x509_crt_set_key_usage(crt, ca ?
	    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN :
	    GNUTLS_KEY_DIGITAL_SIGNATURE), "set_key_usage");
	if (!ca)
		bench_check(gnutls_x509_crt_set_key_purpose_oid(crt,
		    GNUTLS_KP_TLS_WWW_SERVER, 0), "set_eku");
	return crt;
}

/*
 * Sign crt as issued by a CA named icn with ikey, without an authority
 * key identifier (so that every CA of that name is a candidate), and
 * append it to fp as PEM.  ntop, when not NULL, asks for a random
 * signature of siglen bytes instead.
 */
static void
sign_out(gnutls_x509_crt_t crt, const char *icn, gnutls_x509_privkey_t ikey,
    const unsigned char *ntop, size_t siglen, FILE *fp)
{
	gnutls_x509_crt_t issuer;
	gnutls_datum_t der, pem;

	/* A stand-in issuer: its name and key, no key identifier. */
	issuer = crt_new(icn, 1, 1);
	bench_check(gnutls_x509_crt_set_key(issuer, ikey), "set_key");
	bench_check(gnutls_x509_crt_sign2(crt, issuer, ikey, GNUTLS_DIG_SHA256,
	    0), "sign");
	bench_check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der),
	    "export");
	if (ntop != NULL)
		resign_random(&der, ntop, siglen);
	bench_check(gnutls_pem_base64_encode2("CERTIFICATE", &der, &pem),
	    "pem");
	if (fwrite(pem.data, 1, pem.size, fp) != pem.size)
		die("write");
	gnutls_free(pem.data);
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(issuer);
}

static gnutls_x509_privkey_t
new_key(gnutls_pk_algorithm_t pk, unsigned bits)
{
	gnutls_x509_privkey_t k;

	bench_check(gnutls_x509_privkey_init(&k), "privkey_init");
	bench_check(gnutls_x509_privkey_generate(k, pk, bits, 0), "generate");
	return k;
}

static FILE *
open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		die(path);
	return fp;
}

static void
close_out(FILE *fp)
{
	if (fclose(fp) != 0)
		die("close");
}

static void
leaf_out(const char *cn, const char *icn, gnutls_x509_privkey_t lkey,
    gnutls_x509_privkey_t ikey, const unsigned char *ntop, size_t siglen,
    FILE *fp)
{
	gnutls_x509_crt_t crt = crt_new(cn, 1, 0);

	bench_check(gnutls_x509_crt_set_key(crt, lkey), "set_key");
	bench_check(gnutls_x509_crt_set_subject_alt_name(crt,
	    GNUTLS_SAN_DNSNAME, cn, strlen(cn), GNUTLS_FSAN_SET), "set_san");
	sign_out(crt, icn, ikey, ntop, siglen, fp);
	gnutls_x509_crt_deinit(crt);
}

/* One same-name CA with a huge RSA key, its signature random. */
static void
huge_ca_out(const char *cn, unsigned long serial, gnutls_x509_privkey_t any,
    FILE *fp)
{
	static unsigned char n[HUGE_BITS / 8];
	gnutls_x509_crt_t crt = crt_new(cn, serial, 1);
	gnutls_pubkey_t pub = huge_rsa_pubkey(n);

	bench_check(gnutls_x509_crt_set_pubkey(crt, pub), "set_pubkey");
	sign_out(crt, cn, any, n, sizeof(n), fp);
	gnutls_pubkey_deinit(pub);
	gnutls_x509_crt_deinit(crt);
}

static void
gen_rsa16k(const char *dir, gnutls_x509_privkey_t any,
    gnutls_x509_privkey_t lkey)
{
	static const unsigned char top[] = { 0x80 };
	FILE *fp = open_out(dir, "rsa16k.pem");
	unsigned long i;

	leaf_out("huge.test", "Hostile Huge RSA CA", lkey, any, top,
	    HUGE_BITS / 8, fp);
	for (i = 0; i < 20; i++)
		huge_ca_out("Hostile Huge RSA CA", 100 + i, any, fp);
	close_out(fp);
}

/*
 * n same-name CAs on curve, CA i signed by CA i+1's key, into fp; their
 * keys into keys (the caller deinits them).
 */
static void
ring_out(const char *cn, gnutls_x509_privkey_t *keys, size_t n,
    gnutls_ecc_curve_t curve, unsigned long serial, FILE *fp)
{
	gnutls_x509_crt_t crt;
	size_t i;

	for (i = 0; i < n; i++)
		keys[i] = new_key(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(curve));
	for (i = 0; i < n; i++) {
		crt = crt_new(cn, serial + i, 1);
		bench_check(gnutls_x509_crt_set_key(crt, keys[i]), "set_key");
		sign_out(crt, cn, keys[(i + 1) % n], NULL, 0, fp);
		gnutls_x509_crt_deinit(crt);
	}
}

static void
gen_ring(const char *dir, gnutls_x509_privkey_t lkey)
{
	static gnutls_x509_privkey_t keys[RING];
	const char *cn = "Hostile P-521 Ring CA";
	char path[4096];
	FILE *fp, *cas;
	size_t i;

	/* The leaf first: its issuer's key is the ring's first. */
	snprintf(path, sizeof(path), "%s/.ring-cas", dir);
	if ((cas = fopen(path, "w+")) == NULL)
		die(path);
	ring_out(cn, keys, RING, GNUTLS_ECC_CURVE_SECP521R1, 1000, cas);
	fp = open_out(dir, "ring521.pem");
	leaf_out("ring.test", cn, lkey, keys[0], NULL, 0, fp);
	rewind(cas);
	while ((i = fread(path, 1, sizeof(path), cas)) > 0)
		if (fwrite(path, 1, i, fp) != i)
			die("write");
	close_out(fp);
	close_out(cas);
	snprintf(path, sizeof(path), "%s/.ring-cas", dir);
	unlink(path);
	for (i = 0; i < RING; i++)
		gnutls_x509_privkey_deinit(keys[i]);
}

static void
gen_nc(const char *dir, gnutls_x509_privkey_t lkey)
{
	gnutls_x509_privkey_t ckey = new_key(GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
	const char *cn = "Hostile Constrained Root";
	gnutls_x509_name_constraints_t nc;
	gnutls_x509_crt_t crt;
	gnutls_datum_t d;
	unsigned char *san;
	char name[64];
	FILE *fp;
	size_t i, n;

	bench_check(gnutls_x509_name_constraints_init(&nc), "nc_init");
	for (i = 0; i < NC_SUBTREES; i++) {
		snprintf(name, sizeof(name), "zone%zu.test", i);
		d.data = (unsigned char *)name;
		d.size = (unsigned)strlen(name);
		bench_check(gnutls_x509_name_constraints_add_permitted(nc,
		    GNUTLS_SAN_DNSNAME, &d), "nc_add");
	}
	crt = crt_new(cn, 7, 1);
	bench_check(gnutls_x509_crt_set_key(crt, ckey), "set_key");
	bench_check(gnutls_x509_crt_set_name_constraints(crt, nc, 1),
	    "set_nc");
	fp = open_out(dir, "nc-ca.pem");
	sign_out(crt, cn, ckey, NULL, 0, fp);
	close_out(fp);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_name_constraints_deinit(nc);

	/* Every name within a subtree, the last subtrees the most. */
	crt = crt_new("www.zone19999.test", 8, 0);
	bench_check(gnutls_x509_crt_set_key(crt, lkey), "set_key");
	/*
	 * The extension is encoded here: GnuTLS re-encodes all the names
	 * for each one appended, which takes minutes for 10,000.
	 */
	if ((san = malloc(NC_SANS * 64 + 8)) == NULL)
		die("malloc");
	for (i = 0, n = 5; i < NC_SANS; i++) {
		snprintf(name, sizeof(name), "host%zu.zone%zu.test", i,
		    NC_SUBTREES - 1 - i);
		if (i == 0)
			snprintf(name, sizeof(name), "www.zone19999.test");
		n += put_hdr(san + n, 0x82, strlen(name));
		memcpy(san + n, name, strlen(name));
		n += strlen(name);
	}
	/* The SEQUENCE's header takes 5 octets (length over 64k). */
	if (n - 5 < 0x10000 || put_hdr(san, 0x30, n - 5) != 5)
		die("subjectAltName size");
	d.data = san;
	d.size = (unsigned)n;
	bench_check(gnutls_x509_crt_set_extension_by_oid(crt, "2.5.29.17",
	    d.data, d.size, 0), "set_san");
	free(san);
	fp = open_out(dir, "nc-leaf.pem");
	sign_out(crt, cn, ckey, NULL, 0, fp);
	close_out(fp);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(ckey);
}

static void
gen_bundle(const char *dir, gnutls_x509_privkey_t any)
{
	const char *cn = "Hostile Bundle CA";
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t crt;
	FILE *fp = open_out(dir, "bundle103.pem");
	unsigned long i;

	for (i = 0; i < BUNDLE; i++) {
		if (i % 2 == 1) {
			huge_ca_out(cn, 2000 + i, any, fp);
			continue;
		}
		k = new_key(GNUTLS_PK_ECDSA,
		    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP521R1));
		crt = crt_new(cn, 2000 + i, 1);
		bench_check(gnutls_x509_crt_set_key(crt, k), "set_key");
		sign_out(crt, cn, k, NULL, 0, fp);
		gnutls_x509_crt_deinit(crt);
		gnutls_x509_privkey_deinit(k);
	}
	close_out(fp);
}

/*
 * Chains a server can send that each take one audit's whole budget:
 * SLOW_CHAINS of them, each a leaf (slow-leaf-K.pem, key slow-key.pem)
 * and a ring of 120 same-name P-256 CAs of its own (slow-cas-K.pem), so
 * that the run's signature cache does not make the second one cheap;
 * for bench-live.sh's servers.
 */
#define SLOW_CHAINS	8

static void
gen_slow_server(const char *dir, gnutls_x509_privkey_t lkey)
{
	static gnutls_x509_privkey_t keys[120];
	const char *cn = "Hostile Slow Ring CA";
	gnutls_datum_t pem;
	char name[64];
	FILE *fp;
	size_t i, k, n = sizeof(keys) / sizeof(keys[0]);

	for (k = 0; k < SLOW_CHAINS; k++) {
		snprintf(name, sizeof(name), "slow-cas-%zu.pem", k);
		fp = open_out(dir, name);
		ring_out(cn, keys, n, GNUTLS_ECC_CURVE_SECP256R1,
		    3000 + 1000 * k, fp);
		close_out(fp);
		snprintf(name, sizeof(name), "slow-leaf-%zu.pem", k);
		fp = open_out(dir, name);
		leaf_out("slow.test", cn, lkey, keys[0], NULL, 0, fp);
		close_out(fp);
		for (i = 0; i < n; i++)
			gnutls_x509_privkey_deinit(keys[i]);
	}
	fp = open_out(dir, "slow-key.pem");
	bench_check(gnutls_x509_privkey_export2(lkey, GNUTLS_X509_FMT_PEM,
	    &pem), "export key");
	if (fwrite(pem.data, 1, pem.size, fp) != pem.size)
		die("write");
	gnutls_free(pem.data);
	close_out(fp);
}

int
main(int argc, char **argv)
{
	gnutls_x509_privkey_t any, lkey;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-hostile DIR\n");
		return 2;
	}
	bench_check(gnutls_global_init(), "global_init");
	any = new_key(GNUTLS_PK_RSA, 2048);
	lkey = new_key(GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
	gen_rsa16k(argv[1], any, lkey);
	gen_ring(argv[1], lkey);
	gen_nc(argv[1], lkey);
	gen_bundle(argv[1], any);
	gen_slow_server(argv[1], lkey);
	gnutls_x509_privkey_deinit(any);
	gnutls_x509_privkey_deinit(lkey);
	gnutls_global_deinit();
	return 0;
}
