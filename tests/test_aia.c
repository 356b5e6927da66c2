/*
 * test_aia.c: --fetch-aia and --aia-cache, end to end, against a real
 * HTTP server on 127.0.0.1 (tests/httpd.c).
 *
 * The caIssuers URL of a leaf has to name the server's port, which the
 * kernel chooses, so each test makes its own small PKI (tests/certkit.h): a
 * root (given with --ca-file), an intermediate that is never sent, and
 * a leaf whose caIssuers points at the server.  Every run pins --at and
 * trusts only that root, and reads the JSON report as data.
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
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <json-c/json.h>

#include "aia.h"
#include "certkit.h"
#include "httpd.h"
#include "servers.h"
#include "testlib.h"
#include "util.h"

#define AT		"2026-06-01T00:00:00Z"
#define NOT_BEFORE	1577836800	/* 2020-01-01 */
#define NOT_AFTER	2208988800	/* 2040-01-01 */
#define MAX_URLS	4
#define LEAF_NAME	"aia.example.test"
#define BIG		(10 * 1024 * 1024)

enum body_format {
	FMT_DER,
	FMT_PEM,
	FMT_PKCS7,
};

struct node {
	gnutls_x509_privkey_t	 key;		/* owned */
	const char		*cn;		/* borrowed */
	struct der_blob		 cert;		/* owned */
	char			 sha[SHA256_HEX_LEN];
};

/* One test's world: its server, its directory, its PKI. */
struct ctx {
	struct httpd	*srv;
	char		 dir[PATH_MAX];		/* removed at the end */
	char		 base[64];		/* "http://127.0.0.1:PORT" */
	char		 root_pem[PATH_MAX];
	char		 leaf_pem[PATH_MAX];
	char		 cache[PATH_MAX];	/* dir/cache, not created */
	struct node	 root, inter, leaf;
};

static unsigned serial;

/*
 * A certificate for n named cn, signed by issuer (n itself when NULL),
 * with caIssuers urls (NULL-terminated, may be NULL).
 */
static void
node_cert(struct node *n, const char *cn, struct node *issuer, int ca,
    const char *const *urls)
{
	struct certkit s = { .cn = cn, .ca = ca, .ski = 1,
	    .not_before = NOT_BEFORE, .not_after = NOT_AFTER };
	unsigned char fp[SHA256_LEN];
	size_t i;

	if (n->key == NULL)
		n->key = certkit_key_new(CERTKIT_P256);
	n->cn = cn;
	s.key = n->key;
	if (issuer != NULL && issuer != n) {
		s.issuer_cn = issuer->cn;
		s.issuer_key = issuer->key;
		s.aki = 1;
	}
	s.serial = 0x10000000 + ++serial;
	s.key_usage = ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN :
	    GNUTLS_KEY_DIGITAL_SIGNATURE;
	if (!ca) {
		s.dns[0] = LEAF_NAME;
		s.ip[0] = "127.0.0.1";
	}
	for (i = 0; urls != NULL && urls[i] != NULL; i++) {
		cr_assert_lt(i, CERTKIT_MAX_NAMES);
		s.ca_issuers[i] = urls[i];
	}
	free(n->cert.der);
	n->cert = certkit_der(&s);
	cr_assert_eq(sha256(n->cert.der, n->cert.len, fp), 0);
	hex_encode(fp, sizeof(fp), n->sha);
}

static void
node_free(struct node *n)
{
	free(n->cert.der);
	if (n->key != NULL)
		gnutls_x509_privkey_deinit(n->key);
	memset(n, 0, sizeof(*n));
}

/* The certificate of n as fmt; owned by the caller (gnutls_free). */
static gnutls_datum_t
node_body(const struct node *n, enum body_format fmt)
{
	gnutls_datum_t der = { n->cert.der, (unsigned)n->cert.len }, d;
	gnutls_pkcs7_t p7;

	switch (fmt) {
	case FMT_DER:
		cr_assert_not_null(d.data = gnutls_malloc(der.size));
		memcpy(d.data, der.data, der.size);
		d.size = der.size;
		break;
	case FMT_PEM:
		cr_assert_eq(gnutls_pem_base64_encode2("CERTIFICATE", &der,
		    &d), 0);
		break;
	case FMT_PKCS7:
		cr_assert_eq(gnutls_pkcs7_init(&p7), 0);
		cr_assert_eq(gnutls_pkcs7_set_crt_raw(p7, &der), 0);
		cr_assert_eq(gnutls_pkcs7_export2(p7, GNUTLS_X509_FMT_DER, &d),
		    0);
		gnutls_pkcs7_deinit(p7);
		break;
	}
	return d;
}

/* Write the PEM of n (and of more, when not NULL) to path. */
static void
write_pem(const char *path, const struct node *n, const struct node *more)
{
	gnutls_datum_t d;
	FILE *fp;

	cr_assert_not_null(fp = fopen(path, "w"), "%s: %s", path,
	    strerror(errno));
	for (; n != NULL; n = more, more = NULL) {
		d = node_body(n, FMT_PEM);
		cr_assert_eq(fwrite(d.data, 1, d.size, fp), d.size);
		gnutls_free(d.data);
	}
	cr_assert_eq(fclose(fp), 0);
}

static void
write_key(const char *path, const struct node *n)
{
	gnutls_datum_t d;
	FILE *fp;

	cr_assert_eq(gnutls_x509_privkey_export2(n->key, GNUTLS_X509_FMT_PEM,
	    &d), 0);
	cr_assert_not_null(fp = fopen(path, "w"));
	cr_assert_eq(fwrite(d.data, 1, d.size, fp), d.size);
	cr_assert_eq(fclose(fp), 0);
	gnutls_free(d.data);
}

/* Serve n as fmt at path. */
static void
serve_node(struct ctx *c, const char *path, const struct node *n,
    enum body_format fmt)
{
	gnutls_datum_t d = node_body(n, fmt);

	httpd_route(c->srv, path, HTTPD_BODY, d.data, d.size);
	gnutls_free(d.data);
}

/*
 * urls with each path ("/int.der") made a URL of the server; others
 * ("ldap://...") kept as they are.  Strings owned by the caller.
 */
static void
make_urls(const struct ctx *c, const char *const *paths,
    char *out[MAX_URLS + 1])
{
	size_t i;

	memset(out, 0, (MAX_URLS + 1) * sizeof(out[0]));
	for (i = 0; paths != NULL && paths[i] != NULL && i < MAX_URLS; i++) {
		if (paths[i][0] == '/')
			cr_assert(asprintf(&out[i], "%s%s", c->base,
			    paths[i]) > 0);
		else
			cr_assert_not_null(out[i] = strdup(paths[i]));
	}
}

static void
free_urls(char *urls[MAX_URLS + 1])
{
	size_t i;

	for (i = 0; i < MAX_URLS; i++)
		free(urls[i]);
}

static void
ctx_path(const struct ctx *c, const char *name, char out[PATH_MAX])
{
	int n = snprintf(out, PATH_MAX, "%s/%s", c->dir, name);

	cr_assert(n > 0 && n < PATH_MAX);
}

/*
 * Start the server, make the directory (also $XDG_CACHE_HOME, so that
 * no test writes under the real home) and the root and intermediate;
 * the leaf comes with ctx_leaf once its URLs are known.
 */
static void
ctx_init(struct ctx *c)
{
	const char *tmp = getenv("TMPDIR");
	char xdg[PATH_MAX];

	memset(c, 0, sizeof(*c));
	/* A proxy from the environment must not see 127.0.0.1. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	cr_assert(snprintf(c->dir, sizeof(c->dir), "%s/chainaudit-aia-XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp") < PATH_MAX);
	cr_assert_not_null(mkdtemp(c->dir), "mkdtemp: %s", strerror(errno));
	ctx_path(c, "xdg", xdg);
	cr_assert_eq(setenv("XDG_CACHE_HOME", xdg, 1), 0);
	ctx_path(c, "cache", c->cache);
	ctx_path(c, "root.pem", c->root_pem);
	ctx_path(c, "leaf.pem", c->leaf_pem);
	c->srv = httpd_start();
	snprintf(c->base, sizeof(c->base), "http://127.0.0.1:%d",
	    httpd_port(c->srv));
	node_cert(&c->root, "AIA Test Root", NULL, 1, NULL);
	node_cert(&c->inter, "AIA Test Intermediate", &c->root, 1, NULL);
	write_pem(c->root_pem, &c->root, NULL);
}

/* The leaf, issued by the intermediate, with caIssuers paths; leaf.pem. */
static void
ctx_leaf(struct ctx *c, const char *const *paths)
{
	char *urls[MAX_URLS + 1];

	make_urls(c, paths, urls);
	node_cert(&c->leaf, LEAF_NAME, &c->inter, 0,
	    (const char *const *)urls);
	free_urls(urls);
	write_pem(c->leaf_pem, &c->leaf, NULL);
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
	httpd_stop(c->srv);
	c->srv = NULL;
	node_free(&c->leaf);
	node_free(&c->inter);
	node_free(&c->root);
	nftw(c->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Run on leaf.pem with the root trusted, --at pinned, JSON out and the
 * extra arguments; returns the report (caller frees) and the target.
 */
static struct json_object *
ctx_run(struct ctx *c, const char *const *extra, struct run_result *r,
    struct json_object **t)
{
	return run_trusting(c->root_pem, AT, extra, c->leaf_pem, "leaf.pem",
	    r, t);
}

static int
jbool(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no '%s'", key);
	return json_object_get_boolean(v);
}

/* The origin the report gives the certificate sha, or NULL. */
static const char *
cert_origin(struct json_object *t, const char *sha)
{
	struct json_object *a, *e;
	const char *s;
	size_t i;

	cr_assert(json_object_object_get_ex(t, "certificates", &a));
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if ((s = json_string_of(e, "sha256")) != NULL && strcmp(s, sha) == 0)
			return json_string_of(e, "origin");
	}
	return NULL;
}

/* The message of the n-th finding with code (0-based), or NULL. */
static const char *
finding_message(struct json_object *t, const char *code, size_t n,
    const char **cert)
{
	struct json_object *a, *f;
	const char *s;
	size_t i;

	cr_assert(json_object_object_get_ex(t, "findings", &a));
	for (i = 0; i < json_object_array_length(a); i++) {
		f = json_object_array_get_idx(a, i);
		if ((s = json_string_of(f, "code")) == NULL || strcmp(s, code) != 0)
			continue;
		if (n-- > 0)
			continue;
		if (cert != NULL)
			*cert = json_string_of(f, "certificate");
		return json_string_of(f, "message");
	}
	return NULL;
}

/*
 * The intermediate came from caIssuers: the path is complete to the
 * root and the report says where the intermediate came from.
 *
 * The leaf was still sent alone, so the intermediate is named by
 * incomplete-chain (the server must send it, from the URL it was fetched
 * from), and the exit status is 1.
 */
static void
expect_fetched(const struct run_result *r, struct json_object *t,
    const struct node *n)
{
	const char *o = cert_origin(t, n->sha), *m;
	size_t i;

	cr_expect(jbool(t, "trusted"), "not trusted; stdout:\n%s\nstderr:\n%s",
	    r->out, r->err);
	cr_expect_not_null(o, "the fetched certificate is not in the report");
	if (o != NULL)
		cr_expect_str_eq(o, "aia");
	cr_expect_eq(json_count_finding(t, "aia-fetch-failed"), 0,
	    "unexpected note: %s", finding_message(t, "aia-fetch-failed", 0,
	    NULL));
	for (i = 0; (m = finding_message(t, "incomplete-chain", i,
	    NULL)) != NULL; i++)
		if (strstr(m, n->sha) != NULL)
			break;
	cr_expect(m != NULL && strstr(m, "fetched from the caIssuers URL") !=
	    NULL, "no incomplete-chain names %s", n->sha);
	cr_expect_eq(r->status, 1, "exit %d; stderr: %s", r->status, r->err);
}

/*
 * The fetch of the leaf's URL at path failed with a note naming the URL
 * and reason: the audit went on without it, the chain still incomplete.
 */
static void
expect_note(const struct ctx *c, const struct run_result *r,
    struct json_object *t, const char *path, const char *reason)
{
	const char *m, *cert = NULL;
	char url[256];
	size_t i;
	int found = 0;

	snprintf(url, sizeof(url), "%s%s", path[0] == '/' ? c->base : "",
	    path);
	for (i = 0; (m = finding_message(t, "aia-fetch-failed", i,
	    &cert)) != NULL; i++)
		if (strstr(m, url) == m && strstr(m, reason) != NULL) {
			found = 1;
			cr_expect_str_eq(cert, c->leaf.sha,
			    "the note is not on the leaf");
		}
	cr_expect(found, "no aia-fetch-failed note '%s: ...%s...'; "
	    "stdout:\n%s", url, reason, r->out);
	cr_expect(!jbool(t, "trusted"));
	cr_expect(json_has_finding(t, "incomplete-chain"));
	/* An info note: the verdict is the missing issuer's. */
	cr_expect_eq(r->status, 1, "exit %d; stderr: %s", r->status, r->err);
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Each case takes well under a few seconds; the bound only turns a hang
 * into a failure.  The live case's openssl goes with the test.
 */
TestSuite(aia, .timeout = 60, .fini = servers_stop_all);

#define FETCH	((const char *const[]){ "--fetch-aia", NULL })
#define PATHS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* ---- the intermediate served ------------------------------------------ */

static void
fetch_as(enum body_format fmt, const char *path)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	serve_node(&c, path, &c.inter, fmt);
	ctx_leaf(&c, PATHS(path));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_fetched(&r, t, &c.inter);
	cr_expect_eq(httpd_hits(c.srv, path), 1);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(aia, intermediate_served_as_der)
{
	fetch_as(FMT_DER, "/int.der");
}

Test(aia, intermediate_served_as_pem)
{
	fetch_as(FMT_PEM, "/int.pem");
}

Test(aia, intermediate_served_as_pkcs7)
{
	fetch_as(FMT_PKCS7, "/int.p7c");
}

/* The text report says where the intermediate came from. */
Test(aia, text_report_names_the_origin)
{
	struct ctx c;
	struct run_result r;
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at", AT,
	    "--fetch-aia", NULL, NULL };

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	argv[2] = c.root_pem;
	argv[6] = c.leaf_pem;
	run_chainaudit(&r, argv, NULL);
	cr_expect(strstr(r.out, "CN=AIA Test Intermediate") != NULL &&
	    strstr(r.out, "[fetched from caIssuers]") != NULL, "%s", r.out);
	run_result_free(&r);
	ctx_free(&c);
}

/* A redirect within the bound is followed. */
Test(aia, redirect_followed)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	httpd_route(c.srv, "/moved", HTTPD_REDIRECT, "/int.der", 8);
	ctx_leaf(&c, PATHS("/moved"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_fetched(&r, t, &c.inter);
	cr_expect_eq(httpd_hits(c.srv, "/int.der"), 1);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/*
 * root > int1 > int2 > leaf, only the leaf sent: its URL gives int2,
 * whose own URL gives int1.
 */
Test(aia, grand_parent_needs_two_fetches)
{
	struct ctx c;
	struct node int2;
	struct run_result r;
	struct json_object *root, *t;
	char *urls[MAX_URLS + 1];

	ctx_init(&c);
	memset(&int2, 0, sizeof(int2));
	make_urls(&c, PATHS("/int1.der"), urls);
	node_cert(&int2, "AIA Test Second Intermediate", &c.inter, 1,
	    (const char *const *)urls);
	free_urls(urls);
	make_urls(&c, PATHS("/int2.der"), urls);
	node_cert(&c.leaf, LEAF_NAME, &int2, 0, (const char *const *)urls);
	free_urls(urls);
	write_pem(c.leaf_pem, &c.leaf, NULL);
	serve_node(&c, "/int1.der", &c.inter, FMT_DER);
	serve_node(&c, "/int2.der", &int2, FMT_PEM);

	root = ctx_run(&c, FETCH, &r, &t);
	expect_fetched(&r, t, &c.inter);
	cr_expect_str_eq(cert_origin(t, int2.sha), "aia");
	cr_expect_eq(httpd_hits(c.srv, "/int2.der"), 1);
	cr_expect_eq(httpd_hits(c.srv, "/int1.der"), 1);
	json_object_put(root);
	run_result_free(&r);
	node_free(&int2);
	ctx_free(&c);
}

/* ---- what goes wrong: a note each, never a hang ------------------------ */

Test(aia, stall_times_out)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	double t0, took;

	ctx_init(&c);
	httpd_route(c.srv, "/stall", HTTPD_STALL, NULL, 0);
	ctx_leaf(&c, PATHS("/stall"));
	t0 = now_sec();
	root = ctx_run(&c, ((const char *const[]){ "--fetch-aia",
	    "--timeout", "1", NULL }), &r, &t);
	took = now_sec() - t0;
	expect_note(&c, &r, t, "/stall", "timed out after 1 s");
	cr_expect(took < 5, "took %.1f s with --timeout 1", took);
	cr_expect_eq(httpd_hits(c.srv, "/stall"), 1);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(aia, garbage_is_not_a_certificate)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	const char junk[] = "<html>no certificate here</html>\n";

	ctx_init(&c);
	httpd_route(c.srv, "/junk", HTTPD_BODY, junk, sizeof(junk) - 1);
	ctx_leaf(&c, PATHS("/junk"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, "/junk", "not a certificate (DER, PEM or "
	    "PKCS#7)");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/*
 * 10 MB: refused on its Content-Length, or cut off at the bound when no
 * length is sent; either way the server gets to send little of it.
 */
Test(aia, ten_megabytes_stop_early)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	httpd_route(c.srv, "/big", HTTPD_STREAM, NULL, BIG);
	httpd_route(c.srv, "/biglen", HTTPD_STREAM_LENGTH, NULL, BIG);
	ctx_leaf(&c, PATHS("/big"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, "/big", "response larger than 1048576 bytes");
	cr_expect_lt(httpd_sent(c.srv, "/big"), (size_t)BIG / 2,
	    "the server sent %zu bytes", httpd_sent(c.srv, "/big"));
	json_object_put(root);
	run_result_free(&r);
	node_free(&c.leaf);

	ctx_leaf(&c, PATHS("/biglen"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, "/biglen", "response larger than 1048576 "
	    "bytes");
	cr_expect_lt(httpd_sent(c.srv, "/biglen"), (size_t)BIG / 2,
	    "the server sent %zu bytes", httpd_sent(c.srv, "/biglen"));
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(aia, redirect_loop)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	httpd_route(c.srv, "/loop", HTTPD_REDIRECT, "/loop", 5);
	ctx_leaf(&c, PATHS("/loop"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, "/loop", "too many redirects (more than 3)");
	/* The request, then three redirects followed. */
	cr_expect_eq(httpd_hits(c.srv, "/loop"), 4);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(aia, redirect_to_https_is_refused)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char to[128];

	ctx_init(&c);
	snprintf(to, sizeof(to), "https://127.0.0.1:%d/int.der",
	    httpd_port(c.srv));
	httpd_route(c.srv, "/tls", HTTPD_REDIRECT, to, strlen(to));
	ctx_leaf(&c, PATHS("/tls"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, "/tls", "redirected to a URL that is not "
	    "http");
	cr_expect_eq(httpd_hits(c.srv, "*"), 1);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

Test(aia, not_found)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	ctx_leaf(&c, PATHS("/missing.der"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, "/missing.der", "HTTP 404");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* Served, a certificate, but not the one that issued the leaf. */
Test(aia, wrong_certificate_served)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;

	ctx_init(&c);
	serve_node(&c, "/other.der", &c.root, FMT_DER);
	ctx_leaf(&c, PATHS("/other.der"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, "/other.der", "serves no certificate named "
	    "as the issuer of");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* Other schemes are named and never fetched; an http URL still is. */
Test(aia, non_http_urls_are_not_fetched)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char ldap[128], https[128];

	ctx_init(&c);
	snprintf(ldap, sizeof(ldap), "ldap://127.0.0.1:%d/cn=int",
	    httpd_port(c.srv));
	snprintf(https, sizeof(https), "https://127.0.0.1:%d/int.der",
	    httpd_port(c.srv));
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS(ldap, https));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_note(&c, &r, t, ldap, "not an http URL");
	expect_note(&c, &r, t, https, "not an http URL");
	cr_expect_eq(httpd_hits(c.srv, "*"), 0);
	json_object_put(root);
	run_result_free(&r);
	node_free(&c.leaf);

	/* Listed first or not, the http URL is the one that counts. */
	ctx_leaf(&c, PATHS(ldap, "/int.der"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_fetched(&r, t, &c.inter);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* ---- the cache ----------------------------------------------------------- */

/*
 * A fetch fills --aia-cache DIR with a file named by the SHA-256 of the
 * URL; a later run given only the cache uses it, with the server gone.
 */
Test(aia, disk_cache_serves_a_later_run)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct stat st;
	gnutls_datum_t der;
	unsigned char md[SHA256_LEN], *buf;
	char url[256], hex[SHA256_HEX_LEN], name[SHA256_HEX_LEN];
	char entry[PATH_MAX * 2];
	size_t len;

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	root = ctx_run(&c, ((const char *const[]){ "--fetch-aia",
	    "--aia-cache", c.cache, NULL }), &r, &t);
	expect_fetched(&r, t, &c.inter);
	json_object_put(root);
	run_result_free(&r);

	/* The entry: hex SHA-256 of the URL string, holding the body. */
	snprintf(url, sizeof(url), "%s/int.der", c.base);
	cr_assert_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, url, strlen(url),
	    md), 0);
	hex_encode(md, sizeof(md), hex);
	cr_assert_eq(aia_cache_name(url, name), 0);
	cr_expect_str_eq(name, hex);
	snprintf(entry, sizeof(entry), "%s/%s", c.cache, hex);
	cr_assert_eq(stat(c.cache, &st), 0, "no cache directory");
	cr_expect_eq(st.st_mode & 0777, 0700, "cache mode %o",
	    st.st_mode & 0777);
	der = node_body(&c.inter, FMT_DER);
	cr_assert_eq(file_read_all(entry, &buf, &len, url, sizeof(url)), 0,
	    "no cache entry %s", entry);
	cr_expect(len == der.size && memcmp(buf, der.data, len) == 0,
	    "the entry is not the body served");
	free(buf);
	gnutls_free(der.data);

	httpd_stop(c.srv);
	c.srv = NULL;
	root = ctx_run(&c, ((const char *const[]){ "--aia-cache", c.cache,
	    NULL }), &r, &t);
	expect_fetched(&r, t, &c.inter);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* --fetch-aia alone keeps its cache under $XDG_CACHE_HOME. */
Test(aia, default_cache_under_xdg_cache_home)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct stat st;
	char url[256], name[SHA256_HEX_LEN], entry[PATH_MAX * 2];

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	root = ctx_run(&c, FETCH, &r, &t);
	expect_fetched(&r, t, &c.inter);
	snprintf(url, sizeof(url), "%s/int.der", c.base);
	cr_assert_eq(aia_cache_name(url, name), 0);
	snprintf(entry, sizeof(entry), "%s/xdg/chainaudit/aia/%s", c.dir,
	    name);
	cr_expect_eq(stat(entry, &st), 0, "no %s", entry);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/*
 * Only a cache named, and it does not hold the URL: a note, no request,
 * and nothing written (not even the directory).
 */
Test(aia, cache_only_never_fetches_or_writes)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct stat st;

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	root = ctx_run(&c, ((const char *const[]){ "--aia-cache", c.cache,
	    NULL }), &r, &t);
	expect_note(&c, &r, t, "/int.der", "not in the AIA cache");
	cr_expect_eq(httpd_hits(c.srv, "*"), 0);
	cr_expect_neq(stat(c.cache, &st), 0, "the cache directory was made");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* Neither option: nothing fetched, nothing noted, nothing written. */
Test(aia, nothing_fetched_without_the_options)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct stat st;
	char xdg[PATH_MAX];

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	root = ctx_run(&c, NULL, &r, &t);
	cr_expect_eq(httpd_hits(c.srv, "*"), 0);
	cr_expect_eq(json_count_finding(t, "aia-fetch-failed"), 0);
	cr_expect(json_has_finding(t, "incomplete-chain"));
	cr_expect(!jbool(t, "trusted"));
	ctx_path(&c, "xdg", xdg);
	cr_expect_neq(stat(xdg, &st), 0, "$XDG_CACHE_HOME was written to");
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/*
 * A cache that cannot be written is said once on standard error; the
 * fetched certificate is used all the same.
 */
Test(aia, unwritable_cache_is_a_note)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char file[PATH_MAX], under[PATH_MAX * 2];
	FILE *fp;

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	ctx_path(&c, "a-file", file);
	cr_assert_not_null(fp = fopen(file, "w"));
	fclose(fp);
	snprintf(under, sizeof(under), "%s/cache", file);
	root = ctx_run(&c, ((const char *const[]){ "--fetch-aia",
	    "--aia-cache", under, NULL }), &r, &t);
	expect_fetched(&r, t, &c.inter);
	cr_expect(strstr(r.err, "cannot write the AIA cache") != NULL, "%s",
	    r.err);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* ---- every kind of target ---------------------------------------------- */

/*
 * A database scan on two threads: both rows need the same URL, which
 * the run fetches once.
 */
Test(aia, database_scan_fetches_once)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	char db[PATH_MAX], sql[8192];
	gnutls_datum_t pem;
	sqlite3 *h;
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT, "--format", "json", "--fetch-aia", "-j", "2", "--db", NULL,
	    NULL };

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	ctx_path(&c, "scan.db", db);
	pem = node_body(&c.leaf, FMT_PEM);
	h = db_open_rw(db);
	db_exec(h, "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT NOT NULL, chain_pem TEXT, contact TEXT)");
	snprintf(sql, sizeof(sql), "INSERT INTO chainaudit_domains VALUES "
	    "(1, '" LEAF_NAME "', '%.*s', 'a'), "
	    "(2, '" LEAF_NAME "', '%.*s', 'b')",
	    (int)pem.size, pem.data, (int)pem.size, pem.data);
	db_exec(h, sql);
	sqlite3_close(h);
	gnutls_free(pem.data);
	argv[2] = c.root_pem;
	argv[11] = db;
	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	t = json_target(root, LEAF_NAME);
	cr_assert_not_null(t, "%s\nstderr: %s", r.out, r.err);
	expect_fetched(&r, t, &c.inter);
	cr_expect_eq(httpd_hits(c.srv, "/int.der"), 1);
	json_object_put(root);
	run_result_free(&r);
	ctx_free(&c);
}

/* A live server that sends only its leaf (needs openssl). */
Test(aia, live_target)
{
	struct ctx c;
	struct run_result r;
	struct json_object *root, *t;
	struct test_server *s;
	char key[PATH_MAX], target[64];
	const char *argv[] = { "--no-system-ca", "--ca-file", NULL, "--at",
	    AT, "--format", "json", "--fetch-aia", NULL, NULL };

	ctx_init(&c);
	serve_node(&c, "/int.der", &c.inter, FMT_DER);
	ctx_leaf(&c, PATHS("/int.der"));
	ctx_path(&c, "leaf.key", key);
	write_key(key, &c.leaf);
	s = server_openssl(c.leaf_pem, key, NULL, NULL, NULL, NULL);
	snprintf(target, sizeof(target), "127.0.0.1:%d", s->port);
	argv[2] = c.root_pem;
	argv[8] = target;
	run_chainaudit(&r, argv, NULL);
	root = run_json(&r);
	t = json_target(root, target);
	cr_assert_not_null(t, "%s", r.out);
	expect_fetched(&r, t, &c.inter);
	json_object_put(root);
	run_result_free(&r);
	server_stop(s);
	ctx_free(&c);
}
