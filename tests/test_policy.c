/*
 * test_policy.c: verdicts that an independent review showed could be
 * fooled, each with the certificate shape that fooled them.  Every case
 * is generated with GnuTLS and audited through audit_input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "judge.h"
#include "distrust.h"
#include "testlib.h"

#define T2020	((time_t)1577836800)	/* 2020-01-01T00:00:00Z */
#define Y2015	((time_t)1420070400)
#define Y2030	((time_t)1893456000)

static gnutls_x509_privkey_t
new_key(void)
{
	gnutls_x509_privkey_t k;

	cr_assert(gnutls_x509_privkey_init(&k) == 0);
	cr_assert(gnutls_x509_privkey_generate(k, GNUTLS_PK_EC,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) == 0);
	return k;
}

struct spec {
	const char		*cn;
	gnutls_x509_privkey_t	 key;		/* the subject's key */
	const char		*issuer;
	gnutls_x509_privkey_t	 ikey;		/* signs */
	int			 ca;
	int			 version;	/* 0: 3 */
	const char		*dns;		/* a SAN dNSName, or NULL */
	unsigned		 serial;
};

/* DER of a certificate built from s (the caller frees .der). */
static struct der_blob
make(const struct spec *s)
{
	gnutls_x509_crt_t crt, iss;
	gnutls_datum_t der;
	struct der_blob b;
	unsigned char sn[2] = { s->serial >> 8, s->serial };

	cr_assert(gnutls_x509_crt_init(&crt) == 0);
	cr_assert(gnutls_x509_crt_init(&iss) == 0);
	gnutls_x509_crt_set_version(crt, s->version ? s->version : 3);
	gnutls_x509_crt_set_serial(crt, sn, sizeof(sn));
	gnutls_x509_crt_set_activation_time(crt, Y2015);
	gnutls_x509_crt_set_expiration_time(crt, Y2030);
	gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    s->cn, strlen(s->cn));
	gnutls_x509_crt_set_key(crt, s->key);
	if (s->version == 0 || s->version == 3)
		gnutls_x509_crt_set_basic_constraints(crt, s->ca, -1);
	if (s->dns != NULL)
		gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME,
		    s->dns, strlen(s->dns), GNUTLS_FSAN_SET);
	gnutls_x509_crt_set_dn_by_oid(iss, GNUTLS_OID_X520_COMMON_NAME, 0,
	    s->issuer, strlen(s->issuer));
	gnutls_x509_crt_set_key(iss, s->ikey);
	cr_assert(gnutls_x509_crt_sign2(crt, iss, s->ikey, GNUTLS_DIG_SHA256,
	    0) == 0);
	cr_assert(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER,
	    &der) == 0);
	cr_assert_not_null(b.der = malloc(der.size));
	memcpy(b.der, der.data, der.size);
	b.len = der.size;
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(iss);
	return b;
}

/* A parsed certificate from s. */
static struct cert *
make_cert(const struct spec *s)
{
	struct der_blob b = make(s);
	char err[ERRBUF_LEN];
	struct cert *c = cert_parse(b.der, b.len, err, sizeof(err));

	free(b.der);
	cr_assert_not_null(c, "%s", err);
	return c;
}

struct outcome {
	char	codes[512];
	int	trusted;
	size_t	len;		/* chosen path length */
};

static int
keep(struct audit *a, void *arg)
{
	struct outcome *o = arg;
	size_t i;

	o->codes[0] = '\0';
	for (i = 0; i < a->nfindings; i++) {
		if (i > 0)
			strcat(o->codes, " ");
		strcat(o->codes, finding_info(a->findings[i].id)->code);
	}
	o->trusted = a->trusted;
	o->len = a->paths != NULL ? a->paths->chosen.len : 0;
	audit_free(a);
	return 0;
}

/* Audit chain (freed) against store at 2020 with an optional host. */
static void
audit_chain(struct der_blob *chain, size_t n, const struct trust_store *s,
    const struct distrust_policy *p, const char *host, struct outcome *o)
{
	struct audit_params params;
	struct der_list l;
	size_t i;

	memset(&l, 0, sizeof(l));
	l.v = chain;
	l.n = n;
	memset(&params, 0, sizeof(params));
	params.now = T2020;
	params.sha1_sunset_never = 1;
	params.host = host;
	params.distrust = p;
	path_params_default(&params.path, params.now);
	memset(o, 0, sizeof(*o));
	cr_assert_eq(audit_input("gen", &l, 0, &params, s, NULL, keep, o), 0);
	for (i = 0; i < n; i++)
		free(chain[i].der);
}

static int
has(const struct outcome *o, const char *code)
{
	return strstr(o->codes, code) != NULL;
}

/*
 * A certificate copying a trusted root's name and public key, signed by
 * someone else, is not the root: it must not be trusted on sight.
 */
Test(review, a_forged_copy_of_an_anchor_is_not_the_anchor)
{
	gnutls_x509_privkey_t kr = new_key(), ka = new_key();
	struct trust_store *s = trust_store_new();
	struct der_blob chain[1];
	struct outcome o;

	cr_assert(trust_store_add_cert(s, make_cert(&(struct spec){ "Root",
	    kr, "Root", kr, 1, 0, NULL, 1 }), STORE_ANCHOR, "t") == 0);
	chain[0] = make(&(struct spec){ "Root", kr, "Root", ka, 0, 0,
	    "www.victim.test", 2 });
	audit_chain(chain, 1, s, NULL, "www.victim.test", &o);
	cr_expect(!o.trusted, "forged copy trusted: %s", o.codes);
	cr_expect(has(&o, "bad-signature") || has(&o, "untrusted-root") ||
	    has(&o, "incomplete-chain"), "%s", o.codes);

	/* The genuine root, audited on its own, is still the anchor. */
	chain[0] = make(&(struct spec){ "Root", kr, "Root", kr, 1, 0, NULL,
	    3 });
	audit_chain(chain, 1, s, NULL, NULL, &o);
	cr_expect(o.trusted, "%s", o.codes);
	trust_store_free(s);
	gnutls_x509_privkey_deinit(kr);
	gnutls_x509_privkey_deinit(ka);
}

/* A path longer than the search may follow is not a pass. */
Test(review, a_chain_deeper_than_the_bound_is_an_error)
{
	gnutls_x509_privkey_t k[13];
	struct trust_store *s = trust_store_new();
	struct der_blob chain[12];
	struct outcome o;
	char cn[16], issuer[16];
	size_t i;

	for (i = 0; i < 13; i++)
		k[i] = new_key();
	/* leaf <- CA1 <- ... <- CA11 <- trusted CA12. */
	for (i = 0; i < 12; i++) {
		snprintf(cn, sizeof(cn), i == 0 ? "leaf" : "CA%zu", i);
		snprintf(issuer, sizeof(issuer), "CA%zu", i + 1);
		chain[i] = make(&(struct spec){ cn, k[i], issuer, k[i + 1],
		    i > 0, 0, i == 0 ? "deep.test" : NULL, (unsigned)i + 1 });
	}
	cr_assert(trust_store_add_cert(s, make_cert(&(struct spec){ "CA12",
	    k[12], "CA12", k[12], 1, 0, NULL, 99 }), STORE_ANCHOR, "t") == 0);
	audit_chain(chain, 12, s, NULL, "deep.test", &o);
	cr_expect(!o.trusted);
	cr_expect(has(&o, "incomplete-chain"), "%s", o.codes);
	cr_expect(has(&o, "path-search-limit"), "%s", o.codes);
	trust_store_free(s);
	for (i = 0; i < 13; i++)
		gnutls_x509_privkey_deinit(k[i]);
}

/* A v1 end-entity certificate cannot issue (RFC 5280 6.1.4 (k)). */
Test(review, a_v1_certificate_below_the_anchor_may_not_issue)
{
	gnutls_x509_privkey_t kr = new_key(), kv = new_key(), kl = new_key();
	struct trust_store *s = trust_store_new();
	struct der_blob chain[2];
	struct outcome o;

	cr_assert(trust_store_add_cert(s, make_cert(&(struct spec){ "Root",
	    kr, "Root", kr, 1, 0, NULL, 1 }), STORE_ANCHOR, "t") == 0);
	chain[0] = make(&(struct spec){ "leaf", kl, "V1", kv, 0, 0,
	    "v1.test", 2 });
	chain[1] = make(&(struct spec){ "V1", kv, "Root", kr, 0, 1, NULL, 3 });
	audit_chain(chain, 2, s, NULL, "v1.test", &o);
	cr_expect(has(&o, "issuer-not-ca"), "%s", o.codes);
	trust_store_free(s);
	gnutls_x509_privkey_deinit(kr);
	gnutls_x509_privkey_deinit(kv);
	gnutls_x509_privkey_deinit(kl);
}

/* Browsers ignore the CN: a leaf without SAN names matches no host. */
Test(review, a_cn_only_leaf_matches_no_host)
{
	gnutls_x509_privkey_t kr = new_key(), kl = new_key();
	struct trust_store *s = trust_store_new();
	struct der_blob chain[1];
	struct outcome o;

	cr_assert(trust_store_add_cert(s, make_cert(&(struct spec){ "Root",
	    kr, "Root", kr, 1, 0, NULL, 1 }), STORE_ANCHOR, "t") == 0);
	chain[0] = make(&(struct spec){ "www.cnonly.test", kl, "Root", kr, 0,
	    0, NULL, 2 });
	audit_chain(chain, 1, s, NULL, "www.cnonly.test", &o);
	cr_expect(has(&o, "hostname-mismatch"), "%s", o.codes);
	chain[0] = make(&(struct spec){ "www.cnonly.test", kl, "Root", kr, 0,
	    0, "www.cnonly.test", 3 });
	audit_chain(chain, 1, s, NULL, "www.cnonly.test", &o);
	cr_expect_str_eq(o.codes, "");
	trust_store_free(s);
	gnutls_x509_privkey_deinit(kr);
	gnutls_x509_privkey_deinit(kl);
}

/*
 * An exemption counts on the chosen path only: a stray certificate with
 * an exempt key, sent beside an incomplete chain, must not cancel the
 * distrust finding.
 */
Test(review, a_stray_exempt_certificate_cancels_nothing)
{
	gnutls_x509_privkey_t kd = new_key(), kx = new_key(), kl = new_key();
	struct trust_store *s = trust_store_new();
	struct distrust_policy *p = distrust_new();
	struct der_blob chain[2];
	struct cert *dist, *exempt;
	struct outcome o;
	char text[512];

	dist = make_cert(&(struct spec){ "Dist", kd, "Dist", kd, 1, 0, NULL,
	    1 });
	exempt = make_cert(&(struct spec){ "Exempt", kx, "Exempt", kx, 1, 0,
	    NULL, 2 });
	snprintf(text, sizeof(text),
	    "X\tchrome\t2000-01-01\tspki:%s\tall\tsrc\n"
	    "X\tchrome\t2000-01-01\tspki:%s\texempt\tsrc\n",
	    dist->spki_sha256_hex, exempt->spki_sha256_hex);
	cr_assert_eq(distrust_parse(p, text, strlen(text), "t", 0, NULL,
	    NULL), 0);
	cert_free(exempt);
	/* Dist is only known (never trusted): the path is incomplete. */
	cr_assert(trust_store_add_cert(s, dist, STORE_KNOWN, "t") == 0);
	chain[0] = make(&(struct spec){ "leaf", kl, "Dist", kd, 0, 0,
	    "stray.test", 3 });
	chain[1] = make(&(struct spec){ "Exempt", kx, "Exempt", kx, 1, 0,
	    NULL, 4 });
	audit_chain(chain, 2, s, p, "stray.test", &o);
	cr_expect(has(&o, "distrusted-issuer"), "%s", o.codes);
	distrust_free(p);
	trust_store_free(s);
	gnutls_x509_privkey_deinit(kd);
	gnutls_x509_privkey_deinit(kx);
	gnutls_x509_privkey_deinit(kl);
}

/*
 * A name-only match obeys the entry's rule: a decision against
 * certificates issued after 2025 says nothing about a 2015 leaf.
 */
Test(review, a_name_match_obeys_the_date_rule)
{
	gnutls_x509_privkey_t kd = new_key(), kx = new_key(), kl = new_key();
	struct trust_store *s = trust_store_new();
	struct distrust_policy *p = distrust_new();
	struct der_blob chain[1];
	struct cert *dist;
	struct outcome o;
	char text[512];

	dist = make_cert(&(struct spec){ "Dist", kd, "Dist", kd, 1, 0, NULL,
	    1 });
	snprintf(text, sizeof(text), "X\tmozilla\t2000-01-01\tspki:%s\t"
	    "issued-after:2025-01-01T00:00:00Z\tsrc\n", dist->spki_sha256_hex);
	cr_assert_eq(distrust_parse(p, text, strlen(text), "t", 0, NULL,
	    NULL), 0);
	cr_assert(trust_store_add_cert(s, dist, STORE_KNOWN, "t") == 0);
	/* Same issuer name, another key: only the name matches. */
	chain[0] = make(&(struct spec){ "leaf", kl, "Dist", kx, 0, 0,
	    "name.test", 2 });
	audit_chain(chain, 1, s, p, "name.test", &o);
	cr_expect(!has(&o, "distrusted-issuer"), "%s", o.codes);
	distrust_free(p);
	trust_store_free(s);
	gnutls_x509_privkey_deinit(kd);
	gnutls_x509_privkey_deinit(kx);
	gnutls_x509_privkey_deinit(kl);
}
