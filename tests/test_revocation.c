/*
 * test_revocation.c: --crl, stapled OCSP responses and --ocsp, end to
 * end.
 *
 * Each test makes its own small PKI (tests/certkit.h): a root given with
 * --ca-file, an intermediate and a leaf.  CRLs are signed by GnuTLS with
 * the times the test chooses; OCSP responses are made by `openssl ocsp`
 * (from an OpenSSL CA index), stapled by `openssl s_server -status_file`
 * on 127.0.0.1, or answered live by `openssl ocsp -port`.  openssl stamps
 * a response with the time it is made, so the OCSP tests pin --at to the
 * response's own thisUpdate plus an offset read from it, never to the
 * clock.  Every report is read as JSON data.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>
#include <json-c/json.h>
#include <sqlite3.h>

#include "certkit.h"
#include "revocation.h"
#include "servers.h"
#include "testlib.h"
#include "util.h"

#define AT		"2026-06-01T00:00:00Z"
#define T_JAN		((time_t)1767225600)	/* 2026-01-01 */
#define T_MAR		((time_t)1772323200)	/* 2026-03-01 */
#define T_JUN		((time_t)1780272000)	/* 2026-06-01 */
#define T_DEC		((time_t)1798675200)	/* 2026-12-31 */
#define NOT_BEFORE	1577836800		/* 2020-01-01 */
#define NOT_AFTER	2208988800		/* 2040-01-01 */
#define HOUR		3600
#define DAY		86400

#define OID_AIA		"1.3.6.1.5.5.7.1.1"
#define OID_TLS_FEATURE	"1.3.6.1.5.5.7.1.24"

struct node {
	gnutls_x509_privkey_t	 key;		/* owned */
	const char		*cn;		/* borrowed */
	unsigned long		 serial;
	struct der_blob		 cert;		/* owned */
	char			 sha[SHA256_HEX_LEN];
	char			 pem[PATH_MAX];	/* its certificate, written */
	char			 keyfile[PATH_MAX];
};

struct ctx {
	char		 dir[PATH_MAX];
	char		 root_pem[PATH_MAX];
	char		 chain_pem[PATH_MAX];	/* leaf, intermediate */
	struct node	 root, inter, leaf, other;
};

/* What a leaf carries besides its names. */
struct leaf_opts {
	const char	*ocsp_url;	/* AIA id-ad-ocsp, or NULL */
	int		 must_staple;
	const char	*cn;		/* NULL: "leaf.example.test" */
};

static unsigned long next_serial = 0x20000000;

static void
ctx_path(const struct ctx *c, const char *name, char out[PATH_MAX])
{
	int n = snprintf(out, PATH_MAX, "%s/%s", c->dir, name);

	cr_assert(n > 0 && n < PATH_MAX);
}

static void
write_file(const char *path, const void *buf, size_t len)
{
	FILE *fp;

	cr_assert_not_null(fp = fopen(path, "w"), "%s: %s", path,
	    strerror(errno));
	cr_assert_eq(fwrite(buf, 1, len, fp), len);
	cr_assert_eq(fclose(fp), 0);
}

/* The PEM of der appended to fp. */
static void
put_pem(FILE *fp, const struct der_blob *b)
{
	gnutls_datum_t der = { b->der, (unsigned)b->len }, d;

	cr_assert_eq(gnutls_pem_base64_encode2("CERTIFICATE", &der, &d), 0);
	cr_assert_eq(fwrite(d.data, 1, d.size, fp), d.size);
	gnutls_free(d.data);
}

/* The AIA extension value naming one OCSP responder url. */
static size_t
aia_ocsp_der(const char *url, unsigned char *out, size_t cap)
{
	static const unsigned char oid[] = { 0x06, 0x08, 0x2b, 0x06, 0x01,
	    0x05, 0x05, 0x07, 0x30, 0x01 };
	size_t ulen = strlen(url), inner = sizeof(oid) + 2 + ulen;

	cr_assert_lt(inner + 4, cap);
	cr_assert_lt(inner, 126);
	out[0] = 0x30;
	out[1] = (unsigned char)(inner + 2);
	out[2] = 0x30;
	out[3] = (unsigned char)inner;
	memcpy(out + 4, oid, sizeof(oid));
	out[4 + sizeof(oid)] = 0x86;
	out[5 + sizeof(oid)] = (unsigned char)ulen;
	memcpy(out + 6 + sizeof(oid), url, ulen);
	return inner + 4;
}

/*
 * A certificate for n named cn, signed by issuer (n itself when NULL);
 * a CA, an OCSP responder (eku_ocsp) or a server leaf (lo).  Its PEM and
 * key are written to the test's directory.
 */
static void
node_make(struct ctx *c, struct node *n, const char *cn, struct node *issuer,
    int ca, int eku_ocsp, const struct leaf_opts *lo)
{
	static const unsigned char staple[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	struct certkit s = { .cn = cn, .ca = ca, .ski = 1,
	    .not_before = NOT_BEFORE, .not_after = NOT_AFTER };
	unsigned char fp[SHA256_LEN], aia[256];
	char name[64];
	gnutls_datum_t d;
	size_t next = 0;
	FILE *f;

	if (n->key == NULL)
		n->key = certkit_key_new(CERTKIT_P256);
	n->cn = cn;
	s.key = n->key;
	if (issuer != NULL && issuer != n) {
		s.issuer_cn = issuer->cn;
		s.issuer_key = issuer->key;
		s.aki = 1;
	}
	n->serial = s.serial = ++next_serial;
	s.key_usage = ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN :
	    GNUTLS_KEY_DIGITAL_SIGNATURE;
	if (eku_ocsp)
		s.eku[0] = GNUTLS_KP_OCSP_SIGNING;
	if (lo != NULL) {
		s.dns[0] = cn;
		s.ip[0] = "127.0.0.1";
		s.eku[0] = GNUTLS_KP_TLS_WWW_SERVER;
		if (lo->ocsp_url != NULL) {
			s.ext[next].oid = OID_AIA;
			s.ext[next].der = aia;
			s.ext[next++].len = aia_ocsp_der(lo->ocsp_url, aia,
			    sizeof(aia));
		}
		if (lo->must_staple) {
			s.ext[next].oid = OID_TLS_FEATURE;
			s.ext[next].der = staple;
			s.ext[next++].len = sizeof(staple);
		}
	}
	free(n->cert.der);
	n->cert = certkit_der(&s);
	cr_assert_eq(sha256(n->cert.der, n->cert.len, fp), 0);
	hex_encode(fp, sizeof(fp), n->sha);
	snprintf(name, sizeof(name), "%08lx.pem", n->serial);
	ctx_path(c, name, n->pem);
	cr_assert_not_null(f = fopen(n->pem, "w"));
	put_pem(f, &n->cert);
	cr_assert_eq(fclose(f), 0);
	snprintf(name, sizeof(name), "%08lx.key", n->serial);
	ctx_path(c, name, n->keyfile);
	cr_assert_eq(gnutls_x509_privkey_export2(n->key, GNUTLS_X509_FMT_PEM,
	    &d), 0);
	write_file(n->keyfile, d.data, d.size);
	gnutls_free(d.data);
}

static void
node_free(struct node *n)
{
	free(n->cert.der);
	if (n->key != NULL)
		gnutls_x509_privkey_deinit(n->key);
	memset(n, 0, sizeof(*n));
}

/* The leaf (lo may be NULL) and chain.pem: the leaf, then the issuer. */
static void
ctx_leaf(struct ctx *c, const struct leaf_opts *lo)
{
	struct leaf_opts none = { 0 };
	FILE *f;

	if (lo == NULL)
		lo = &none;
	node_make(c, &c->leaf, lo->cn != NULL ? lo->cn : "leaf.example.test",
	    &c->inter, 0, 0, lo);
	cr_assert_not_null(f = fopen(c->chain_pem, "w"));
	put_pem(f, &c->leaf.cert);
	put_pem(f, &c->inter.cert);
	cr_assert_eq(fclose(f), 0);
}

static void
ctx_init(struct ctx *c)
{
	const char *tmp = getenv("TMPDIR");

	memset(c, 0, sizeof(*c));
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	cr_assert(snprintf(c->dir, sizeof(c->dir), "%s/chainaudit-rev-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp") < PATH_MAX);
	cr_assert_not_null(mkdtemp(c->dir), "mkdtemp: %s", strerror(errno));
	ctx_path(c, "chain.pem", c->chain_pem);
	node_make(c, &c->root, "Revocation Test Root", NULL, 1, 0, NULL);
	node_make(c, &c->inter, "Revocation Test Intermediate", &c->root, 1, 0,
	    NULL);
	snprintf(c->root_pem, sizeof(c->root_pem), "%s", c->root.pem);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
ctx_free(struct ctx *c)
{
	node_free(&c->leaf);
	node_free(&c->inter);
	node_free(&c->root);
	node_free(&c->other);
	nftw(c->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- CRLs ------------------------------------------------------------ */

struct revoked {
	const struct node	*n;
	time_t			 when;
};

/*
 * A CRL named as issuer, signed by key (issuer's own unless given),
 * valid from tu to nu, listing revoked (until a NULL node); DER, or PEM
 * appended to an existing file when pem is set.  Written to dir/name.
 */
static void
make_crl_numbered(struct ctx *c, const char *name, const struct node *issuer,
    gnutls_x509_privkey_t key, time_t tu, time_t nu,
    const struct revoked *revoked, int pem, int numbered, char out[PATH_MAX])
{
	gnutls_x509_crl_t crl;
	gnutls_x509_crt_t ca, crt;
	gnutls_privkey_t pk;
	gnutls_datum_t d, der;
	size_t i;
	FILE *f;

	ctx_path(c, name, out);
	cr_assert_eq(gnutls_x509_crl_init(&crl), 0);
	cr_assert_eq(gnutls_x509_crl_set_version(crl, 2), 0);
	cr_assert_eq(gnutls_x509_crl_set_this_update(crl, tu), 0);
	cr_assert_eq(gnutls_x509_crl_set_next_update(crl, nu), 0);
	if (numbered)
		cr_assert_eq(gnutls_x509_crl_set_number(crl, "\x01", 1), 0);
	for (i = 0; revoked != NULL && revoked[i].n != NULL; i++) {
		der.data = revoked[i].n->cert.der;
		der.size = (unsigned)revoked[i].n->cert.len;
		cr_assert_eq(gnutls_x509_crt_init(&crt), 0);
		cr_assert_eq(gnutls_x509_crt_import(crt, &der,
		    GNUTLS_X509_FMT_DER), 0);
		cr_assert_eq(gnutls_x509_crl_set_crt(crl, crt,
		    revoked[i].when), 0);
		gnutls_x509_crt_deinit(crt);
	}
	der.data = issuer->cert.der;
	der.size = (unsigned)issuer->cert.len;
	cr_assert_eq(gnutls_x509_crt_init(&ca), 0);
	cr_assert_eq(gnutls_x509_crt_import(ca, &der, GNUTLS_X509_FMT_DER), 0);
	cr_assert_eq(gnutls_privkey_init(&pk), 0);
	cr_assert_eq(gnutls_privkey_import_x509(pk, key != NULL ? key :
	    issuer->key, 0), 0);
	cr_assert_eq(gnutls_x509_crl_privkey_sign(crl, ca, pk,
	    GNUTLS_DIG_SHA256, 0), 0);
	cr_assert_eq(gnutls_x509_crl_export2(crl, pem ? GNUTLS_X509_FMT_PEM :
	    GNUTLS_X509_FMT_DER, &d), 0);
	cr_assert_not_null(f = fopen(out, pem ? "a" : "w"));
	cr_assert_eq(fwrite(d.data, 1, d.size, f), d.size);
	cr_assert_eq(fclose(f), 0);
	gnutls_free(d.data);
	gnutls_privkey_deinit(pk);
	gnutls_x509_crt_deinit(ca);
	gnutls_x509_crl_deinit(crl);
}

/* make_crl_numbered with the cRLNumber RFC 5280 5.2.3 requires. */
static void
make_crl(struct ctx *c, const char *name, const struct node *issuer,
    gnutls_x509_privkey_t key, time_t tu, time_t nu,
    const struct revoked *revoked, int pem, char out[PATH_MAX])
{
	make_crl_numbered(c, name, issuer, key, tu, nu, revoked, pem, 1, out);
}

/* ---- running it ------------------------------------------------------- */

/*
 * Run on target (a file, or host:port) with the root trusted, --at at,
 * JSON out and the extra arguments; the report (caller frees) and the
 * target whose source ends with suffix.
 */
static struct json_object *
run(const struct ctx *c, const char *at, const char *const *extra,
    const char *target, const char *suffix, struct run_result *r,
    struct json_object **t)
{
	return run_trusting(c->root_pem, at, extra, target, suffix, r, t);
}

/* The revocation answer of t from source about n, or NULL. */
static struct json_object *
answer(struct json_object *t, const char *source, const struct node *n)
{
	struct json_object *list, *e;
	size_t i;

	if (!json_object_object_get_ex(t, "revocation", &list))
		return NULL;
	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (strcmp(json_string_of(e, "source"), source) == 0 &&
		    strcmp(json_string_of(e, "certificate"), n->sha) == 0)
			return e;
	}
	return NULL;
}

/* The message of t's first finding with code, or NULL. */
static const char *
finding_message(struct json_object *t, const char *code)
{
	struct json_object *list, *f;
	size_t i;

	if (!json_object_object_get_ex(t, "findings", &list))
		return NULL;
	for (i = 0; i < json_object_array_length(list); i++) {
		f = json_object_array_get_idx(list, i);
		if (strcmp(json_string_of(f, "code"), code) == 0)
			return json_string_of(f, "message");
	}
	return NULL;
}

static void
expect_status(struct json_object *t, const char *source, const struct node *n,
    const char *status)
{
	struct json_object *e = answer(t, source, n);

	cr_assert_not_null(e, "no %s answer about %s", source, n->cn);
	cr_assert_str_eq(json_string_of(e, "status"), status, "%s about %s: %s (%s)",
	    source, n->cn, json_string_of(e, "status"), json_string_of(e, "detail") ?
	    json_string_of(e, "detail") : "");
}

static void index_line(FILE *, const struct node *, const char *);

TestSuite(revocation, .timeout = 60, .fini = servers_stop_all);

/* ---- CRL tests -------------------------------------------------------- */

Test(revocation, crl_lists_the_leaf)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t, *e;
	char crl[PATH_MAX];
	const char *msg;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	make_crl(&c, "inter.crl", &c.inter, NULL, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.leaf, T_MAR }, { NULL, 0 } }, 0, crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_assert(json_has_finding(t, "revoked"));
	msg = finding_message(t, "revoked");
	cr_assert_not_null(strstr(msg, "2026-03-01T00:00:00Z"), "%s", msg);
	cr_assert_not_null(strstr(msg, "inter.crl"), "%s", msg);
	e = answer(t, "crl", &c.leaf);
	cr_assert_not_null(e);
	cr_assert_str_eq(json_string_of(e, "status"), "revoked");
	cr_assert_str_eq(json_string_of(e, "revoked_at"), "2026-03-01T00:00:00Z");
	cr_assert_str_eq(json_string_of(e, "where"), crl);
	/* The root's CRLs were not given: nothing is said of the issuer. */
	cr_assert_null(answer(t, "crl", &c.inter));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, crl_without_the_leaf_is_good)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char crl[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	/* Another certificate of the intermediate is revoked. */
	node_make(&c, &c.other, "other.example.test", &c.inter, 0, 0,
	    &(struct leaf_opts){ .cn = "other.example.test" });
	make_crl(&c, "inter.crl", &c.inter, NULL, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.other, T_MAR }, { NULL, 0 } }, 0, crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_eq(r.status, 0, "exit %d: %s\n%s", r.status, r.err, r.out);
	cr_assert_not(json_has_finding(t, "revoked"));
	expect_status(t, "crl", &c.leaf, "good");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, revocation_after_at_does_not_count)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char crl[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	/* Revoked in December, judged in June by a CRL issued in January. */
	make_crl(&c, "inter.crl", &c.inter, NULL, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.leaf, T_DEC - DAY }, { NULL, 0 } }, 0,
	    crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_not(json_has_finding(t, "revoked"));
	expect_status(t, "crl", &c.leaf, "good");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, crl_signed_by_another_key_is_not_believed)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	gnutls_x509_privkey_t forger = certkit_key(CERTKIT_P256, 3);
	char crl[PATH_MAX];
	const char *msg;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	make_crl(&c, "forged.crl", &c.inter, forger, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.leaf, T_MAR }, { NULL, 0 } }, 0, crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_not(json_has_finding(t, "revoked"));
	cr_assert(json_has_finding(t, "crl-invalid"));
	msg = finding_message(t, "crl-invalid");
	cr_assert_not_null(strstr(msg, "forged.crl"), "%s", msg);
	cr_assert_not_null(strstr(msg, "signature"), "%s", msg);
	expect_status(t, "crl", &c.leaf, "bad-response");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* Without a cRLNumber a CRL cannot be ordered: not believed (5.2.3). */
Test(revocation, crl_without_a_number_is_not_believed)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char crl[PATH_MAX];
	const char *msg;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	make_crl_numbered(&c, "unnumbered.crl", &c.inter, NULL, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.leaf, T_MAR }, { NULL, 0 } }, 0, 0, crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_not(json_has_finding(t, "revoked"));
	cr_assert(json_has_finding(t, "crl-invalid"));
	msg = finding_message(t, "crl-invalid");
	cr_assert_not_null(strstr(msg, "cRLNumber"), "%s", msg);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, stale_crl_is_a_warning_but_its_revocations_stand)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char crl[PATH_MAX], crl2[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	/* nextUpdate in March; judged in June. */
	make_crl(&c, "stale.crl", &c.inter, NULL, T_JAN, T_MAR, NULL, 0, crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert(json_has_finding(t, "crl-stale"), "%s", r.out);
	cr_assert_not(json_has_finding(t, "revoked"));
	expect_status(t, "crl", &c.leaf, "expired");
	cr_assert_eq(r.status, 0, "a warning fails only with --fail-on");
	json_object_put(root);
	run_result_free(&r);

	make_crl(&c, "stale2.crl", &c.inter, NULL, T_JAN, T_MAR,
	    (struct revoked[]){ { &c.leaf, T_JAN + DAY }, { NULL, 0 } }, 0,
	    crl2);
	root = run(&c, AT, (const char *[]){ "--crl", crl2, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert(json_has_finding(t, "revoked"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, future_crl_says_nothing)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char crl[PATH_MAX];
	const char *msg;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	/* Issued in December, judged in June: it did not exist yet. */
	make_crl(&c, "future.crl", &c.inter, NULL, T_DEC, T_DEC + 30 * DAY,
	    (struct revoked[]){ { &c.leaf, T_MAR }, { NULL, 0 } }, 0, crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_not(json_has_finding(t, "revoked"));
	msg = finding_message(t, "crl-stale");
	cr_assert_not_null(msg, "%s", r.out);
	cr_assert_not_null(strstr(msg, "thisUpdate"), "%s", msg);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, pem_file_with_two_crls_revokes_the_intermediate)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t, *e;
	char crl[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	make_crl(&c, "all.pem", &c.inter, NULL, T_JAN, T_DEC, NULL, 1, crl);
	make_crl(&c, "all.pem", &c.root, NULL, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.inter, T_MAR }, { NULL, 0 } }, 1, crl);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_eq(json_count_finding(t, "revoked"), 1);
	expect_status(t, "crl", &c.leaf, "good");
	e = answer(t, "crl", &c.inter);
	cr_assert_not_null(e);
	cr_assert_str_eq(json_string_of(e, "status"), "revoked");
	cr_assert_not_null(strstr(json_string_of(e, "where"), "all.pem#2"), "%s",
	    json_string_of(e, "where"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, openssl_crl_carries_the_reason)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t, *e;
	char path[PATH_MAX], crl[PATH_MAX], cnf[PATH_MAX], text[3 * PATH_MAX];
	FILE *f;
	int n;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	n = snprintf(text, sizeof(text), "[ca]\ndefault_ca = c\n[c]\n"
	    "database = %s/index.txt\ncrlnumber = %s/crlnumber\n"
	    "default_md = sha256\n", c.dir, c.dir);
	cr_assert(n > 0 && (size_t)n < sizeof(text));
	ctx_path(&c, "ca.cnf", cnf);
	write_file(cnf, text, (size_t)n);
	ctx_path(&c, "crlnumber", path);
	write_file(path, "01\n", 3);
	ctx_path(&c, "index.txt", path);
	cr_assert_not_null(f = fopen(path, "w"));
	index_line(f, &c.leaf, "260301000000Z,cessationOfOperation");
	cr_assert_eq(fclose(f), 0);
	ctx_path(&c, "openssl.crl", crl);
	run_program(&r, "openssl", (const char *[]){ "ca", "-config",
	    cnf, "-gencrl", "-cert", c.inter.pem, "-keyfile",
	    c.inter.keyfile, "-crl_lastupdate", "20260101000000Z",
	    "-crl_nextupdate", "20261231000000Z", "-out", crl, NULL }, NULL);
	cr_assert_eq(r.status, 0, "openssl ca -gencrl: %s", r.err);
	run_result_free(&r);
	root = run(&c, AT, (const char *[]){ "--crl", crl, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	e = answer(t, "crl", &c.leaf);
	cr_assert_not_null(e, "%s", r.out);
	cr_assert_str_eq(json_string_of(e, "status"), "revoked");
	cr_assert_str_eq(json_string_of(e, "reason"), "cessationOfOperation");
	cr_assert_str_eq(json_string_of(e, "this_update"), "2026-01-01T00:00:00Z");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, unparseable_crl_is_named_and_the_audit_goes_on)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char bad[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	ctx_path(&c, "bad.crl", bad);
	write_file(bad, "not a CRL at all\n", 17);
	root = run(&c, AT, (const char *[]){ "--crl", bad, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_eq(r.status, 2, "exit %d", r.status);
	cr_assert_not_null(strstr(r.err, "bad.crl"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "not a CRL"), "%s", r.err);
	cr_assert(json_object_get_boolean(json_object_object_get(t,
	    "trusted")), "the chain is still audited");
	cr_assert_null(answer(t, "crl", &c.leaf));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, truncated_crl_is_named_and_the_audit_goes_on)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	unsigned char *der = NULL;
	char crl[PATH_MAX], cut[PATH_MAX], err[ERRBUF_LEN];
	size_t len;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	make_crl(&c, "whole.crl", &c.inter, NULL, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.leaf, T_MAR }, { NULL, 0 } }, 0, crl);
	cr_assert_eq(file_read_all(crl, &der, &len, err, sizeof(err)), 0);
	ctx_path(&c, "cut.crl", cut);
	write_file(cut, der, len - 10);
	free(der);
	root = run(&c, AT, (const char *[]){ "--crl", cut, NULL },
	    c.chain_pem, "chain.pem", &r, &t);
	cr_assert_eq(r.status, 2, "exit %d", r.status);
	cr_assert_not_null(strstr(r.err, "cut.crl: not a CRL"), "%s", r.err);
	cr_assert_not(json_has_finding(t, "revoked"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, text_and_sarif_carry_the_status)
{
	struct ctx c;
	struct run_result r;
	char crl[PATH_MAX];
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT, "--crl", NULL, "--format", "text", NULL, NULL };

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	make_crl(&c, "inter.crl", &c.inter, NULL, T_JAN, T_DEC,
	    (struct revoked[]){ { &c.leaf, T_MAR }, { NULL, 0 } }, 0, crl);
	argv[2] = c.root_pem;
	argv[6] = crl;
	argv[9] = c.chain_pem;
	run_chainaudit(&r, argv, NULL);
	cr_assert_not_null(strstr(r.out, "revocation: leaf.example.test "
	    "revoked since 2026-03-01T00:00:00Z"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "revoked"), "%s", r.out);
	run_result_free(&r);
	argv[8] = "sarif";
	run_chainaudit(&r, argv, NULL);
	cr_assert_not_null(strstr(r.out, "\"ruleId\": \"revoked\""), "%s",
	    r.out);
	cr_assert_not_null(strstr(r.out, "\"revokedAt\": "
	    "\"2026-03-01T00:00:00Z\""), "%s", r.out);
	run_result_free(&r);
	ctx_free(&c);
}

/* ---- OCSP: responses made by openssl ---------------------------------- */

/* One line of an OpenSSL CA index: n valid, or revoked at when. */
static void
index_line(FILE *f, const struct node *n, const char *revoked)
{
	fprintf(f, "%s\t401231235959Z\t%s\t%lX\tunknown\t/CN=%s\n",
	    revoked != NULL ? "R" : "V", revoked != NULL ? revoked : "",
	    n->serial, n->cn);
}

/* An index at dir/name: the leaf valid, or revoked when revoked. */
static void
write_index(struct ctx *c, const char *name, const char *revoked,
    char out[PATH_MAX])
{
	FILE *f;

	ctx_path(c, name, out);
	cr_assert_not_null(f = fopen(out, "w"));
	index_line(f, &c->leaf, revoked);
	cr_assert_eq(fclose(f), 0);
}

/*
 * A DER OCSP response about the leaf, from index, signed by signer
 * (certificate and key), valid ndays; written to dir/name.
 */
static void
make_response(struct ctx *c, const char *name, const char *index,
    const struct node *about, const struct node *signer, const char *ndays,
    char out[PATH_MAX])
{
	struct run_result r;
	char req[PATH_MAX];

	ctx_path(c, "req.der", req);
	ctx_path(c, name, out);
	run_program(&r, "openssl", (const char *[]){ "ocsp", "-issuer",
	    c->inter.pem, "-cert", about->pem, "-no_nonce", "-reqout", req,
	    NULL }, NULL);
	cr_assert_eq(r.status, 0, "openssl ocsp -reqout: %s", r.err);
	run_result_free(&r);
	run_program(&r, "openssl", (const char *[]){ "ocsp", "-index", index,
	    "-CA", c->inter.pem, "-rsigner", signer->pem, "-rkey",
	    signer->keyfile, "-reqin", req, "-respout", out, "-ndays", ndays,
	    NULL }, NULL);
	cr_assert_eq(r.status, 0, "openssl ocsp -respout: %s", r.err);
	run_result_free(&r);
}

/* --at as the response's thisUpdate plus offset, into buf. */
static const char *
at_after(const char *resp, time_t offset, char *buf, size_t len)
{
	gnutls_ocsp_resp_t o;
	gnutls_datum_t d;
	unsigned char *der = NULL;
	char err[ERRBUF_LEN];
	size_t n;
	time_t tu;

	cr_assert_eq(file_read_all(resp, &der, &n, err, sizeof(err)), 0,
	    "%s: %s", resp, err);
	d.data = der;
	d.size = (unsigned)n;
	cr_assert_eq(gnutls_ocsp_resp_init(&o), 0);
	cr_assert_eq(gnutls_ocsp_resp_import(o, &d), 0);
	cr_assert_eq(gnutls_ocsp_resp_get_single(o, 0, NULL, NULL, NULL,
	    NULL, NULL, &tu, NULL, NULL, NULL), 0);
	gnutls_ocsp_resp_deinit(o);
	free(der);
	time_format_iso8601(tu + offset, buf, len);
	return buf;
}

/*
 * Staple resp (NULL: none) from an openssl s_server serving the chain,
 * and audit it at --at at; the report and the target.
 */
static struct json_object *
run_staple(struct ctx *c, const char *resp, const char *at,
    struct run_result *r, struct json_object **t)
{
	struct test_server *s;
	struct json_object *root;
	char target[64], inter[PATH_MAX];

	snprintf(inter, sizeof(inter), "%s", c->inter.pem);
	s = server_openssl_stapling(c->leaf.pem, c->leaf.keyfile, inter,
	    resp);
	snprintf(target, sizeof(target), "127.0.0.1:%d", s->port);
	root = run(c, at, NULL, target, target, r, t);
	server_stop(s);
	return root;
}

/*
 * A response about the leaf from index, signed by signer, valid a day,
 * stapled and audited offset after its thisUpdate.
 */
static struct json_object *
run_staple_made(struct ctx *c, const char *name, const char *index,
    const struct node *signer, time_t offset, struct run_result *r,
    struct json_object **t)
{
	char resp[PATH_MAX], at[32];

	make_response(c, name, index, &c->leaf, signer, "1", resp);
	return run_staple(c, resp, at_after(resp, offset, at, sizeof(at)), r,
	    t);
}

Test(revocation, stapled_good)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char index[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	write_index(&c, "index.txt", NULL, index);
	root = run_staple_made(&c, "good.der", index, &c.inter, HOUR, &r, &t);
	expect_status(t, "ocsp-staple", &c.leaf, "good");
	cr_assert_not(json_has_finding(t, "ocsp-absent"));
	cr_assert_not(json_has_finding(t, "ocsp-bad-response"));
	cr_assert_eq(r.status, 0, "exit %d:\n%s", r.status, r.out);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, stapled_revoked)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t, *e;
	char index[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	write_index(&c, "index.txt", "260301000000Z,keyCompromise", index);
	root = run_staple_made(&c, "revoked.der", index, &c.inter, HOUR,
	    &r, &t);
	cr_assert(json_has_finding(t, "revoked"));
	cr_assert_eq(r.status, 1);
	e = answer(t, "ocsp-staple", &c.leaf);
	cr_assert_not_null(e);
	cr_assert_str_eq(json_string_of(e, "status"), "revoked");
	cr_assert_str_eq(json_string_of(e, "revoked_at"), "2026-03-01T00:00:00Z");
	cr_assert_str_eq(json_string_of(e, "reason"), "keyCompromise");
	cr_assert_not_null(strstr(finding_message(t, "revoked"),
	    "keyCompromise"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, stapled_expired)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char index[PATH_MAX], resp[PATH_MAX], at[32];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	write_index(&c, "index.txt", NULL, index);
	make_response(&c, "good.der", index, &c.leaf, &c.inter, "1", resp);
	/* Valid a day; judged two days after it was made. */
	root = run_staple(&c, resp, at_after(resp, 2 * DAY, at, sizeof(at)),
	    &r, &t);
	cr_assert(json_has_finding(t, "ocsp-expired"));
	expect_status(t, "ocsp-staple", &c.leaf, "expired");
	json_object_put(root);
	run_result_free(&r);
	/* And an hour before it was made: not yet valid. */
	root = run_staple(&c, resp, at_after(resp, -HOUR, at, sizeof(at)),
	    &r, &t);
	cr_assert(json_has_finding(t, "ocsp-expired"));
	cr_assert_not_null(strstr(finding_message(t, "ocsp-expired"),
	    "thisUpdate"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, stapled_by_a_delegated_responder)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct node responder = { 0 }, plain = { 0 };
	char index[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	write_index(&c, "index.txt", NULL, index);
	node_make(&c, &responder, "OCSP Responder", &c.inter, 0, 1, NULL);
	root = run_staple_made(&c, "delegated.der", index, &responder, HOUR,
	    &r, &t);
	expect_status(t, "ocsp-staple", &c.leaf, "good");
	json_object_put(root);
	run_result_free(&r);

	/* Issued by the intermediate, but not for OCSP signing. */
	node_make(&c, &plain, "Not A Responder", &c.inter, 0, 0, NULL);
	root = run_staple_made(&c, "undelegated.der", index, &plain, HOUR,
	    &r, &t);
	expect_status(t, "ocsp-staple", &c.leaf, "bad-response");
	cr_assert_not_null(strstr(finding_message(t, "ocsp-bad-response"),
	    "OCSP-signing"), "%s", finding_message(t, "ocsp-bad-response"));
	json_object_put(root);
	run_result_free(&r);
	node_free(&responder);
	node_free(&plain);
	ctx_free(&c);
}

Test(revocation, stapled_by_a_stranger)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct node stranger = { 0 };
	char index[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	write_index(&c, "index.txt", NULL, index);
	/* A responder certificate of its own, which nobody issued. */
	node_make(&c, &stranger, "Stranger Responder", NULL, 0, 1, NULL);
	root = run_staple_made(&c, "stranger.der", index, &stranger, HOUR,
	    &r, &t);
	expect_status(t, "ocsp-staple", &c.leaf, "bad-response");
	cr_assert(json_has_finding(t, "ocsp-bad-response"));
	json_object_put(root);
	run_result_free(&r);
	node_free(&stranger);
	ctx_free(&c);
}

Test(revocation, stapled_for_another_certificate)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char index[PATH_MAX], resp[PATH_MAX], at[32];
	FILE *f;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	node_make(&c, &c.other, "other.example.test", &c.inter, 0, 0,
	    &(struct leaf_opts){ .cn = "other.example.test" });
	ctx_path(&c, "index.txt", index);
	cr_assert_not_null(f = fopen(index, "w"));
	index_line(f, &c.other, NULL);
	cr_assert_eq(fclose(f), 0);
	make_response(&c, "other.der", index, &c.other, &c.inter, "1", resp);
	root = run_staple(&c, resp, at_after(resp, HOUR, at, sizeof(at)), &r,
	    &t);
	expect_status(t, "ocsp-staple", &c.leaf, "bad-response");
	cr_assert_not_null(strstr(finding_message(t, "ocsp-bad-response"),
	    "another certificate"), "%s", finding_message(t,
	    "ocsp-bad-response"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, stapled_garbage)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char resp[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	ctx_path(&c, "garbage.der", resp);
	write_file(resp, "\x30\x03\x0a\x01\x00", 5);	/* truncated */
	root = run_staple(&c, resp, AT, &r, &t);
	expect_status(t, "ocsp-staple", &c.leaf, "bad-response");
	cr_assert(json_has_finding(t, "ocsp-bad-response"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, database_live_rows_are_stapled_too)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct test_server *s;
	unsigned char *pem = NULL;
	char index[PATH_MAX], resp[PATH_MAX], at[32], db[PATH_MAX],
	    conn[64], err[ERRBUF_LEN];
	size_t len;
	sqlite3 *h;
	sqlite3_stmt *st;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	write_index(&c, "index.txt", "260301000000Z,affiliationChanged",
	    index);
	make_response(&c, "revoked.der", index, &c.leaf, &c.inter, "1", resp);
	s = server_openssl_stapling(c.leaf.pem, c.leaf.keyfile, c.inter.pem,
	    resp);
	snprintf(conn, sizeof(conn), "127.0.0.1:%d", s->port);
	ctx_path(&c, "rows.db", db);
	h = db_open_rw(db);
	db_exec(h, "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT NOT NULL, chain_pem TEXT, contact TEXT)");
	cr_assert_eq(file_read_all(c.chain_pem, &pem, &len, err,
	    sizeof(err)), 0);
	cr_assert_eq(sqlite3_prepare_v2(h, "INSERT INTO chainaudit_domains "
	    "VALUES (NULL, 'leaf.example.test', ?, 'ops')", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, (const char *)pem, (int)len, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);
	free(pem);
	root = run(&c, at_after(resp, HOUR, at, sizeof(at)),
	    (const char *[]){ "--live", "--connect", conn, "--db", NULL }, db,
	    "leaf.example.test", &r, &t);
	expect_status(t, "ocsp-staple", &c.leaf, "revoked");
	cr_assert(json_has_finding(t, "revoked"));
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
	ctx_free(&c);
}

Test(revocation, nothing_stapled_is_information)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	root = run_staple(&c, NULL, AT, &r, &t);
	expect_status(t, "ocsp-staple", &c.leaf, "absent");
	cr_assert(json_has_finding(t, "ocsp-absent"));
	cr_assert_not(json_has_finding(t, "must-staple-missing"));
	cr_assert_eq(r.status, 0, "exit %d:\n%s", r.status, r.out);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, must_staple_without_a_staple_is_an_error)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char index[PATH_MAX];

	ctx_init(&c);
	ctx_leaf(&c, &(struct leaf_opts){ .must_staple = 1 });
	root = run_staple(&c, NULL, AT, &r, &t);
	cr_assert(json_has_finding(t, "must-staple-missing"));
	cr_assert_eq(r.status, 1);
	json_object_put(root);
	run_result_free(&r);
	/* With a good staple the promise is kept. */
	write_index(&c, "index.txt", NULL, index);
	root = run_staple_made(&c, "good.der", index, &c.inter, HOUR, &r, &t);
	cr_assert_not(json_has_finding(t, "must-staple-missing"));
	expect_status(t, "ocsp-staple", &c.leaf, "good");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* ---- --ocsp: openssl ocsp as the responder ---------------------------- */

/*
 * `openssl ocsp` answering about the leaf from an index saying revoked
 * (NULL: valid), then the leaf naming it as its responder (url): the
 * index is written first, as the leaf needs the responder's port, so
 * the leaf's serial is chosen before it is made.
 */
static struct test_server *
ctx_responder(struct ctx *c, const char *revoked, unsigned nrequest,
    char *url, size_t len)
{
	struct test_server *s;
	char index[PATH_MAX];

	c->leaf.serial = next_serial + 1;
	c->leaf.cn = "leaf.example.test";
	write_index(c, "index.txt", revoked, index);
	s = server_ocsp_responder(index, c->inter.pem, c->inter.pem,
	    c->inter.keyfile, nrequest);
	snprintf(url, len, "http://127.0.0.1:%d/", s->port);
	ctx_leaf(c, &(struct leaf_opts){ .ocsp_url = url });
	cr_assert_eq(c->leaf.serial, next_serial);
	return s;
}

Test(revocation, responder_says_revoked)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct test_server *s;
	char url[64], at[32];

	ctx_init(&c);
	s = ctx_responder(&c, "260301000000Z,superseded", 8, url, sizeof(url));
	/* The responder stamps its answer now: --at a minute later. */
	time_format_iso8601(time(NULL) + 60, at, sizeof(at));
	root = run(&c, at, (const char *[]){ "--ocsp", NULL }, c.chain_pem,
	    "chain.pem", &r, &t);
	expect_status(t, "ocsp-responder", &c.leaf, "revoked");
	cr_assert_str_eq(json_string_of(answer(t, "ocsp-responder", &c.leaf), "where"),
	    url);
	cr_assert_not_null(strstr(finding_message(t, "revoked"),
	    "superseded"));
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
	ctx_free(&c);
}

Test(revocation, responder_asked_once_per_run)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct test_server *s;
	char url[64], at[32], copy[PATH_MAX];
	const char *argv[16];
	size_t n = 0;

	ctx_init(&c);
	/* It answers one request, then exits. */
	s = ctx_responder(&c, NULL, 1, url, sizeof(url));
	ctx_path(&c, "copy.pem", copy);
	cr_assert_eq(link(c.chain_pem, copy), 0);
	time_format_iso8601(time(NULL) + 60, at, sizeof(at));
	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = c.root_pem;
	argv[n++] = "--at";
	argv[n++] = at;
	argv[n++] = "--ocsp";
	argv[n++] = "-f";
	argv[n++] = "json";
	argv[n++] = c.chain_pem;
	argv[n++] = copy;
	argv[n] = NULL;
	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	cr_assert_not_null(t = json_target(root, "chain.pem"));
	expect_status(t, "ocsp-responder", &c.leaf, "good");
	cr_assert_not_null(t = json_target(root, "copy.pem"));
	expect_status(t, "ocsp-responder", &c.leaf, "good");
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
	ctx_free(&c);
}

Test(revocation, stalling_responder_is_a_note)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct test_server *s;
	char url[64];
	const char *msg;
	time_t t0;

	ctx_init(&c);
	s = server_peer(PEER_SILENT, NULL, NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s->port);
	ctx_leaf(&c, &(struct leaf_opts){ .ocsp_url = url });
	t0 = time(NULL);
	root = run(&c, AT, (const char *[]){ "--ocsp", "--timeout", "1",
	    NULL }, c.chain_pem, "chain.pem", &r, &t);
	cr_assert_lt(time(NULL) - t0, 20, "the run waited for the responder");
	expect_status(t, "ocsp-responder", &c.leaf, "unavailable");
	msg = finding_message(t, "ocsp-fetch-failed");
	cr_assert_not_null(msg);
	cr_assert_not_null(strstr(msg, "timed out"), "%s", msg);
	cr_assert_eq(r.status, 0, "a note does not fail the run");
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
	ctx_free(&c);
}

Test(revocation, leaf_without_a_responder)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	ctx_leaf(&c, NULL);
	root = run(&c, AT, (const char *[]){ "--ocsp", NULL }, c.chain_pem,
	    "chain.pem", &r, &t);
	expect_status(t, "ocsp-responder", &c.leaf, "unavailable");
	cr_assert_not_null(strstr(finding_message(t, "ocsp-fetch-failed"),
	    "names no OCSP responder"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(revocation, nothing_asked_without_the_options)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	ctx_leaf(&c, &(struct leaf_opts){ .ocsp_url =
	    "http://127.0.0.1:9/" });
	root = run(&c, AT, NULL, c.chain_pem, "chain.pem", &r, &t);
	cr_assert_null(json_object_object_get(t, "revocation"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}
