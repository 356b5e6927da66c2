/*
 * test_policy.c: verdicts that an independent review showed could be
 * fooled, each with the certificate shape that fooled them.  Every case
 * is generated (tests/certkit.h) and audited through judge_input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "certkit.h"
#include "judge.h"
#include "distrust.h"
#include "testlib.h"

#define T2020	((time_t)1577836800)	/* 2020-01-01T00:00:00Z */
#define Y2015	((time_t)1420070400)

#define KEY(n)	certkit_key(CERTKIT_P256, (n))

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

/*
 * Audit chain (freed) against store at 2020 with an optional host, by
 * the rules of profile.
 */
static void
audit_profile(struct der_blob *chain, size_t n, const struct trust_store *s,
    const struct distrust_policy *p, const char *host, enum profile profile,
    struct outcome *o)
{
	struct judge_params params;
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
	params.profile = profile;
	path_params_default(&params.path, params.now);
	memset(o, 0, sizeof(*o));
	cr_assert_eq(judge_input("gen", &l, 0, &params, s, NULL, keep, o), 0);
	for (i = 0; i < n; i++)
		free(chain[i].der);
}

/* The same without certificate profile rules, judge_params' zero. */
static void
audit_chain(struct der_blob *chain, size_t n, const struct trust_store *s,
    const struct distrust_policy *p, const char *host, struct outcome *o)
{
	audit_profile(chain, n, s, p, host, PROFILE_NONE, o);
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
	gnutls_x509_privkey_t kr = KEY(0), ka = KEY(1);
	struct trust_store *s = trust_store_new();
	struct der_blob chain[1];
	struct outcome o;

	cr_assert(trust_store_add_cert(s, certkit_cert(&(struct certkit){
	    .cn = "Root", .key = kr, .ca = 1, .serial = 1 }), TRUST_ANCHOR,
	    "t") == 0);
	chain[0] = certkit_der(&(struct certkit){ .cn = "Root", .key = kr,
	    .issuer_cn = "Root", .issuer_key = ka,
	    .dns = { "www.victim.test" }, .serial = 2 });
	audit_chain(chain, 1, s, NULL, "www.victim.test", &o);
	cr_expect(!o.trusted, "forged copy trusted: %s", o.codes);
	cr_expect(has(&o, "bad-signature") || has(&o, "untrusted-root") ||
	    has(&o, "incomplete-chain"), "%s", o.codes);

	/* The genuine root, audited on its own, is still the anchor. */
	chain[0] = certkit_der(&(struct certkit){ .cn = "Root", .key = kr,
	    .ca = 1, .serial = 3 });
	audit_chain(chain, 1, s, NULL, NULL, &o);
	cr_expect(o.trusted, "%s", o.codes);
	trust_store_free(s);
}

/* A path longer than the search may follow is not a pass. */
Test(review, a_chain_deeper_than_the_bound_is_an_error)
{
	struct trust_store *s = trust_store_new();
	struct der_blob chain[12];
	struct outcome o;
	char cn[16], issuer[16];
	size_t i;

	/* leaf <- CA1 <- ... <- CA11 <- trusted CA12, key i for each. */
	for (i = 0; i < 12; i++) {
		snprintf(cn, sizeof(cn), i == 0 ? "leaf" : "CA%zu", i);
		snprintf(issuer, sizeof(issuer), "CA%zu", i + 1);
		chain[i] = certkit_der(&(struct certkit){ .cn = cn,
		    .key = KEY(i), .issuer_cn = issuer,
		    .issuer_key = KEY(i + 1), .ca = i > 0,
		    .dns = { i == 0 ? "deep.test" : NULL }, .serial = i + 1 });
	}
	cr_assert(trust_store_add_cert(s, certkit_cert(&(struct certkit){
	    .cn = "CA12", .key = KEY(12), .ca = 1, .serial = 99 }),
	    TRUST_ANCHOR, "t") == 0);
	audit_chain(chain, 12, s, NULL, "deep.test", &o);
	cr_expect(!o.trusted);
	cr_expect(has(&o, "incomplete-chain"), "%s", o.codes);
	cr_expect(has(&o, "path-search-limit"), "%s", o.codes);
	trust_store_free(s);
}

/* A v1 end-entity certificate cannot issue (RFC 5280 6.1.4 (k)). */
Test(review, a_v1_certificate_below_the_anchor_may_not_issue)
{
	gnutls_x509_privkey_t kr = KEY(0), kv = KEY(1), kl = KEY(2);
	struct trust_store *s = trust_store_new();
	struct der_blob chain[2];
	struct outcome o;

	cr_assert(trust_store_add_cert(s, certkit_cert(&(struct certkit){
	    .cn = "Root", .key = kr, .ca = 1, .serial = 1 }), TRUST_ANCHOR,
	    "t") == 0);
	chain[0] = certkit_der(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "V1", .issuer_key = kv, .dns = { "v1.test" },
	    .serial = 2 });
	chain[1] = certkit_der(&(struct certkit){ .cn = "V1", .key = kv,
	    .issuer_cn = "Root", .issuer_key = kr, .version = 1, .serial = 3 });
	audit_chain(chain, 2, s, NULL, "v1.test", &o);
	cr_expect(has(&o, "issuer-not-ca"), "%s", o.codes);
	trust_store_free(s);
}

/* Browsers ignore the CN: a leaf without SAN names matches no host. */
Test(review, a_cn_only_leaf_matches_no_host)
{
	gnutls_x509_privkey_t kr = KEY(0), kl = KEY(1);
	struct trust_store *s = trust_store_new();
	struct der_blob chain[1];
	struct outcome o;

	cr_assert(trust_store_add_cert(s, certkit_cert(&(struct certkit){
	    .cn = "Root", .key = kr, .ca = 1, .serial = 1 }), TRUST_ANCHOR,
	    "t") == 0);
	chain[0] = certkit_der(&(struct certkit){ .cn = "www.cnonly.test",
	    .key = kl, .issuer_cn = "Root", .issuer_key = kr, .serial = 2 });
	audit_chain(chain, 1, s, NULL, "www.cnonly.test", &o);
	cr_expect(has(&o, "hostname-mismatch"), "%s", o.codes);
	chain[0] = certkit_der(&(struct certkit){ .cn = "www.cnonly.test",
	    .key = kl, .issuer_cn = "Root", .issuer_key = kr,
	    .dns = { "www.cnonly.test" }, .serial = 3 });
	audit_chain(chain, 1, s, NULL, "www.cnonly.test", &o);
	cr_expect_str_eq(o.codes, "");
	trust_store_free(s);
}

/*
 * An exemption counts on the chosen path only: a stray certificate with
 * an exempt key, sent beside an incomplete chain, must not cancel the
 * distrust finding.
 */
Test(review, a_stray_exempt_certificate_cancels_nothing)
{
	gnutls_x509_privkey_t kd = KEY(0), kx = KEY(1), kl = KEY(2);
	struct trust_store *s = trust_store_new();
	struct distrust_policy *p = distrust_new();
	struct der_blob chain[2];
	struct cert *dist, *exempt;
	struct outcome o;
	char text[512];

	dist = certkit_cert(&(struct certkit){ .cn = "Dist", .key = kd, .ca = 1,
	    .serial = 1 });
	exempt = certkit_cert(&(struct certkit){ .cn = "Exempt", .key = kx,
	    .ca = 1, .serial = 2 });
	snprintf(text, sizeof(text),
	    "X\tchrome\t2000-01-01\tspki:%s\tall\tsrc\n"
	    "X\tchrome\t2000-01-01\tspki:%s\texempt\tsrc\n",
	    dist->spki_sha256_hex, exempt->spki_sha256_hex);
	cr_assert_eq(distrust_parse(p, text, strlen(text), "t", 0, NULL,
	    NULL), 0);
	cert_free(exempt);
	/* Dist is only known (never trusted): the path is incomplete. */
	cr_assert(trust_store_add_cert(s, dist, TRUST_KNOWN, "t") == 0);
	chain[0] = certkit_der(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "Dist", .issuer_key = kd, .dns = { "stray.test" },
	    .serial = 3 });
	chain[1] = certkit_der(&(struct certkit){ .cn = "Exempt", .key = kx,
	    .ca = 1, .serial = 4 });
	audit_chain(chain, 2, s, p, "stray.test", &o);
	cr_expect(has(&o, "distrusted-issuer"), "%s", o.codes);
	distrust_free(p);
	trust_store_free(s);
}

/*
 * A name-only match obeys the entry's rule: a decision against
 * certificates issued after 2025 says nothing about a 2015 leaf.
 */
Test(review, a_name_match_obeys_the_date_rule)
{
	gnutls_x509_privkey_t kd = KEY(0), kx = KEY(1), kl = KEY(2);
	struct trust_store *s = trust_store_new();
	struct distrust_policy *p = distrust_new();
	struct der_blob chain[1];
	struct cert *dist;
	struct outcome o;
	char text[512];

	dist = certkit_cert(&(struct certkit){ .cn = "Dist", .key = kd, .ca = 1,
	    .serial = 1 });
	snprintf(text, sizeof(text), "X\tmozilla\t2000-01-01\tspki:%s\t"
	    "issued-after:2025-01-01T00:00:00Z\tsrc\n", dist->spki_sha256_hex);
	cr_assert_eq(distrust_parse(p, text, strlen(text), "t", 0, NULL,
	    NULL), 0);
	cr_assert(trust_store_add_cert(s, dist, TRUST_KNOWN, "t") == 0);
	/* Same issuer name, another key: only the name matches. */
	chain[0] = certkit_der(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "Dist", .issuer_key = kx, .dns = { "name.test" },
	    .serial = 2, .not_before = Y2015 });
	audit_chain(chain, 1, s, p, "name.test", &o);
	cr_expect(!has(&o, "distrusted-issuer"), "%s", o.codes);
	distrust_free(p);
	trust_store_free(s);
}

/*
 * A chain whose only candidate issuer costs a second per check: the
 * check is cut, and the audit says the budget ran out; it claims no bad
 * signature, no missing issuer, no untrusted root (it saw none).
 */
Test(review, a_cut_search_claims_nothing_it_did_not_check)
{
	gnutls_x509_privkey_t kl = KEY(2);
	struct trust_store *s = trust_store_new();
	struct der_blob chain[2];
	struct outcome o;

	chain[0] = certkit_der(&(struct certkit){ .cn = "leaf", .key = kl,
	    .issuer_cn = "Slow", .issuer_key = KEY(3),
	    .dns = { "slow.test" }, .serial = 2 });
	chain[1] = certkit_huge_rsa_ca("Slow", 3);
	audit_chain(chain, 2, s, NULL, "slow.test", &o);
	cr_expect(!o.trusted);
	cr_expect(has(&o, "budget-exceeded"), "%s", o.codes);
	cr_expect(has(&o, "path-search-limit"), "%s", o.codes);
	cr_expect(!has(&o, "bad-signature") && !has(&o, "incomplete-chain") &&
	    !has(&o, "untrusted-root"), "%s", o.codes);
	trust_store_free(s);
}

/* A named store's own search, cut the same way, gives no verdict. */
Test(review, a_named_store_cut_by_the_budget_is_undecided)
{
	struct trust_store *s = trust_store_new(), *other = trust_store_new();
	struct audit_store stores[2];
	struct judge_params params;
	struct der_blob chain[2];
	struct der_list l;
	struct outcome o;

	chain[0] = certkit_der(&(struct certkit){ .cn = "leaf", .key = KEY(2),
	    .issuer_cn = "Slow", .issuer_key = KEY(3),
	    .dns = { "slow.test" }, .serial = 2 });
	chain[1] = certkit_huge_rsa_ca("Slow", 3);
	memset(stores, 0, sizeof(stores));
	stores[0].name = "run";
	stores[1].name = "other";
	stores[1].store = other;
	memset(&l, 0, sizeof(l));
	l.v = chain;
	l.n = 2;
	memset(&params, 0, sizeof(params));
	params.now = T2020;
	params.sha1_sunset_never = 1;
	params.host = "slow.test";
	params.stores = stores;
	params.nstores = 2;
	path_params_default(&params.path, params.now);
	memset(&o, 0, sizeof(o));
	cr_assert_eq(judge_input("gen", &l, 0, &params, s, NULL, keep, &o), 0);
	cr_expect(strstr(o.codes, "budget-exceeded budget-exceeded") != NULL,
	    "one for the other store, one for the run's: %s", o.codes);
	free(chain[0].der);
	free(chain[1].der);
	trust_store_free(s);
	trust_store_free(other);
}

/* ---- Web PKI rules (profile.c) and public suffixes ----------------- */

/* A store whose anchor "Root" has key kr (freed by the caller). */
static struct trust_store *
root_store(gnutls_x509_privkey_t kr)
{
	struct trust_store *s = trust_store_new();

	cr_assert_not_null(s);
	cr_assert(trust_store_add_cert(s, certkit_cert(&(struct certkit){
	    .cn = "Root", .key = kr, .ca = 1, .key_usage =
	    GNUTLS_KEY_KEY_CERT_SIGN }), TRUST_ANCHOR, "t") == 0);
	return s;
}

/* A leaf under "Root" for name (DER, owned by the caller). */
static struct der_blob
leaf_for(gnutls_x509_privkey_t kr, const char *name)
{
	return certkit_der(&(struct certkit){ .cn = "leaf", .key = KEY(1),
	    .issuer_cn = "Root", .issuer_key = kr, .dns = { name } });
}

/*
 * A wildcard over a public suffix matches nothing (CA/B BR 3.2.2.6),
 * whether the suffix is in the ICANN section (co.uk) or the private one
 * (s3.amazonaws.com); one over a registrable domain still matches.
 */
Test(webpki, a_wildcard_over_a_public_suffix_matches_nothing)
{
	static const struct {
		const char	*san, *host;
		int		 ok;
	} cases[] = {
		{ "*.co.uk",		"example.co.uk",		0 },
		{ "*.s3.amazonaws.com",	"bucket.s3.amazonaws.com",	0 },
		{ "*.example.co.uk",	"www.example.co.uk",		1 },
		{ "*.EXAMPLE.com",	"www.example.com",		1 },
		{ "example.co.uk",	"example.co.uk",		1 },
	};
	gnutls_x509_privkey_t kr = KEY(0);
	struct trust_store *s = root_store(kr);
	struct der_blob chain[1];
	struct outcome o;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		chain[0] = leaf_for(kr, cases[i].san);
		audit_chain(chain, 1, s, NULL, cases[i].host, &o);
		cr_expect_str_eq(o.codes, cases[i].ok ? "" :
		    "hostname-mismatch", "%s for %s", cases[i].san,
		    cases[i].host);
	}
	trust_store_free(s);
}

/* No browser verifies DSA: a DSA key anywhere on the path fails it. */
Test(webpki, a_dsa_key_on_the_path_fails_it)
{
	gnutls_x509_privkey_t kd = certkit_key(CERTKIT_DSA2048, 0);
	struct trust_store *s = root_store(kd);
	struct der_blob chain[1];
	struct outcome o;

	chain[0] = leaf_for(kd, "dsa.test");
	audit_profile(chain, 1, s, NULL, "dsa.test", PROFILE_WEBPKI, &o);
	cr_expect(has(&o, "dsa-key"), "%s", o.codes);
	cr_expect(o.trusted);
	chain[0] = leaf_for(kd, "dsa.test");
	audit_profile(chain, 1, s, NULL, "dsa.test", PROFILE_RFC5280, &o);
	cr_expect(!has(&o, "dsa-key"), "RFC 5280 allows DSA: %s", o.codes);
	trust_store_free(s);

	s = root_store(KEY(0));
	chain[0] = certkit_der(&(struct certkit){ .cn = "leaf", .key = kd,
	    .issuer_cn = "Root", .issuer_key = KEY(0), .dns = { "dsa.test" } });
	audit_profile(chain, 1, s, NULL, "dsa.test", PROFILE_WEBPKI, &o);
	cr_expect(has(&o, "dsa-key"), "%s", o.codes);
	trust_store_free(s);
}

/*
 * A server presents a subscriber certificate: a CA certificate as the
 * leaf is a Web PKI error, keyCertSign in a non-CA leaf an error under
 * either profile (RFC 5280 4.2.1.3 ties it to cA=TRUE), and so is a
 * keyUsage that allows neither signing nor key encipherment.
 */
Test(webpki, the_leaf_must_be_a_subscriber_certificate)
{
	gnutls_x509_privkey_t kr = KEY(0);
	struct trust_store *s = root_store(kr);
	struct der_blob chain[1];
	struct outcome o;
	enum profile p;

	for (p = PROFILE_RFC5280; p <= PROFILE_WEBPKI; p++) {
		chain[0] = certkit_der(&(struct certkit){ .cn = "leaf",
		    .key = KEY(1), .issuer_cn = "Root", .issuer_key = kr,
		    .ca = 1, .dns = { "ca.test" } });
		audit_profile(chain, 1, s, NULL, "ca.test", p, &o);
		cr_expect_eq(has(&o, "ca-leaf"), p == PROFILE_WEBPKI,
		    "%s: %s", profile_name(p), o.codes);

		chain[0] = certkit_der(&(struct certkit){ .cn = "leaf",
		    .key = KEY(1), .issuer_cn = "Root", .issuer_key = kr,
		    .key_usage = GNUTLS_KEY_DIGITAL_SIGNATURE |
		    GNUTLS_KEY_KEY_CERT_SIGN, .dns = { "ku.test" } });
		audit_profile(chain, 1, s, NULL, "ku.test", p, &o);
		cr_expect(has(&o, "leaf-key-cert-sign"), "%s: %s",
		    profile_name(p), o.codes);
		cr_expect(!has(&o, "leaf-key-usage"), "%s", o.codes);

		chain[0] = certkit_der(&(struct certkit){ .cn = "leaf",
		    .key = KEY(1), .issuer_cn = "Root", .issuer_key = kr,
		    .key_usage = GNUTLS_KEY_CRL_SIGN, .dns = { "ku.test" } });
		audit_profile(chain, 1, s, NULL, "ku.test", p, &o);
		cr_expect(has(&o, "leaf-key-usage"), "%s: %s",
		    profile_name(p), o.codes);
	}
	trust_store_free(s);
}

/* A dNSName outside the preferred name syntax is an error. */
Test(webpki, a_malformed_dns_name)
{
	gnutls_x509_privkey_t kr = KEY(0);
	struct trust_store *s = root_store(kr);
	struct der_blob chain[1];
	struct outcome o;

	chain[0] = leaf_for(kr, "under_score.example.com");
	audit_profile(chain, 1, s, NULL, NULL, PROFILE_RFC5280, &o);
	cr_expect(has(&o, "malformed-san"), "%s", o.codes);
	chain[0] = leaf_for(kr, "*.example.com");
	audit_profile(chain, 1, s, NULL, NULL, PROFILE_RFC5280, &o);
	cr_expect(!has(&o, "malformed-san"), "%s", o.codes);
	trust_store_free(s);
}

/* ---- --profile: the certificate profile rules (profile.c) ------------ */

#define OID_SERVER_AUTH	"1.3.6.1.5.5.7.3.1"
#define OID_ANY_EKU	"2.5.29.37.0"

/*
 * A Web PKI chain as the Baseline Requirements want it: key identifiers,
 * a serverAuth leaf whose CN copies its SAN.  Root (anchor) -> I -> leaf;
 * leaf and i may be changed by the caller before it is built.
 */
struct webchain {
	struct certkit	 root, i, leaf;
};

static void
webchain_init(struct webchain *w)
{
	memset(w, 0, sizeof(*w));
	w->root = (struct certkit){ .cn = "Root", .key = KEY(0), .ca = 1,
	    .ski = 1, .key_usage = GNUTLS_KEY_KEY_CERT_SIGN };
	w->i = (struct certkit){ .cn = "I", .key = KEY(1), .issuer_cn = "Root",
	    .issuer_key = KEY(0), .ca = 1, .ski = 1, .aki = 1,
	    .key_usage = GNUTLS_KEY_KEY_CERT_SIGN };
	w->leaf = (struct certkit){ .cn = "www.web.test", .key = KEY(2),
	    .issuer_cn = "I", .issuer_key = KEY(1), .aki = 1,
	    .key_usage = GNUTLS_KEY_DIGITAL_SIGNATURE,
	    .eku = { OID_SERVER_AUTH }, .dns = { "www.web.test" } };
}

/* Audit w under profile (strict: --strict-anchors); codes into o. */
static void
webchain_audit(const struct webchain *w, enum profile profile, int strict,
    struct outcome *o)
{
	struct trust_store *s = trust_store_new();
	struct judge_params params;
	struct der_blob chain[2];
	struct der_list l;

	cr_assert_not_null(s);
	cr_assert(trust_store_add_cert(s, certkit_cert(&w->root),
	    TRUST_ANCHOR, "t") == 0);
	chain[0] = certkit_der(&w->leaf);
	chain[1] = certkit_der(&w->i);
	memset(&l, 0, sizeof(l));
	l.v = chain;
	l.n = 2;
	memset(&params, 0, sizeof(params));
	params.now = T2020;
	params.sha1_sunset_never = 1;
	params.host = "www.web.test";
	params.profile = profile;
	params.strict_anchors = strict;
	path_params_default(&params.path, params.now);
	memset(o, 0, sizeof(*o));
	cr_assert_eq(judge_input("gen", &l, 0, &params, s, NULL, keep, o), 0);
	free(chain[0].der);
	free(chain[1].der);
	trust_store_free(s);
}

Test(profile, a_well_formed_chain_is_clean_under_both)
{
	struct webchain w;
	struct outcome o;

	webchain_init(&w);
	webchain_audit(&w, PROFILE_WEBPKI, 1, &o);
	cr_expect_str_eq(o.codes, "");
	cr_expect(o.trusted);
	webchain_audit(&w, PROFILE_RFC5280, 1, &o);
	cr_expect_str_eq(o.codes, "");
}

/* RFC 5280's rules hold under both profiles. */
Test(profile, rfc5280_rules)
{
	static const unsigned char pc[] = { 0x30, 0x03, 0x80, 0x01, 0x00 };
	static const unsigned char bc[] = { 0x30, 0x03, 0x01, 0x01, 0xff };
	struct webchain w;
	struct outcome o;
	enum profile p;

	for (p = PROFILE_RFC5280; p <= PROFILE_WEBPKI; p++) {
		webchain_init(&w);
		w.leaf.aki = 0;
		w.i.ski = 0;
		webchain_audit(&w, p, 0, &o);
		cr_expect_str_eq(o.codes, "missing-key-identifier "
		    "missing-key-identifier", "%s", profile_name(p));

		/* policyConstraints non-critical; a CA's BC non-critical */
		webchain_init(&w);
		w.i.ext[0] = (struct certkit_ext){ "2.5.29.36", pc,
		    sizeof(pc), 0 };
		w.i.no_bc = 1;
		w.i.ext[1] = (struct certkit_ext){ "2.5.29.19", bc,
		    sizeof(bc), 0 };
		webchain_audit(&w, p, 0, &o);
		cr_expect_str_eq(o.codes, "extension-criticality "
		    "ca-basic-constraints", "%s", profile_name(p));

		/* authorityInfoAccess without an AccessDescription */
		webchain_init(&w);
		w.leaf.ext[0] = (struct certkit_ext){ "1.3.6.1.5.5.7.1.1",
		    "\x30\x00", 2, 0 };
		webchain_audit(&w, p, 0, &o);
		cr_expect_str_eq(o.codes, "malformed-extension", "%s",
		    profile_name(p));
	}
	/* No profile, no profile findings. */
	webchain_init(&w);
	w.leaf.aki = 0;
	webchain_audit(&w, PROFILE_NONE, 0, &o);
	cr_expect_str_eq(o.codes, "");
}

/* The CA/B Forum's rules hold under webpki only. */
Test(profile, webpki_rules)
{
	struct webchain w;
	struct outcome o;

	webchain_init(&w);
	w.leaf.cn = "other.web.test";
	w.leaf.eku[0] = OID_ANY_EKU;
	w.leaf.ext[0] = (struct certkit_ext){ "2.5.29.35", "\x30\x00", 2, 0 };
	w.leaf.aki = 0;
	webchain_audit(&w, PROFILE_WEBPKI, 0, &o);
	cr_expect_str_eq(o.codes, "cn-not-in-san leaf-eku bad-key-identifier");
	webchain_audit(&w, PROFILE_RFC5280, 0, &o);
	cr_expect_str_eq(o.codes, "");

	webchain_init(&w);
	w.leaf.eku[0] = NULL;
	webchain_audit(&w, PROFILE_WEBPKI, 0, &o);
	cr_expect_str_eq(o.codes, "leaf-eku");
}

/*
 * A trust anchor is trusted by name and key: its form is judged only
 * with --strict-anchors (root programs keep roots older than the rules).
 */
Test(profile, anchors_only_when_strict)
{
	struct webchain w;
	struct outcome o;

	webchain_init(&w);
	w.root.ski = 0;
	w.root.eku[0] = OID_SERVER_AUTH;
	webchain_audit(&w, PROFILE_WEBPKI, 0, &o);
	cr_expect_str_eq(o.codes, "");
	webchain_audit(&w, PROFILE_WEBPKI, 1, &o);
	cr_expect_str_eq(o.codes, "missing-key-identifier root-extensions");
}

/* --max-depth counts intermediates, self-issued ones not. */
Test(profile, max_depth)
{
	struct trust_store *s = root_store(KEY(0));
	struct judge_params params;
	struct der_blob chain[2];
	struct der_list l;
	struct outcome o;
	unsigned depth;

	for (depth = 0; depth < 2; depth++) {
		chain[0] = certkit_der(&(struct certkit){ .cn = "leaf",
		    .key = KEY(2), .issuer_cn = "I", .issuer_key = KEY(1),
		    .dns = { "d.test" } });
		chain[1] = certkit_der(&(struct certkit){ .cn = "I",
		    .key = KEY(1), .issuer_cn = "Root", .issuer_key = KEY(0),
		    .ca = 1 });
		memset(&l, 0, sizeof(l));
		l.v = chain;
		l.n = 2;
		memset(&params, 0, sizeof(params));
		params.now = T2020;
		params.max_depth_set = 1;
		params.max_depth = depth;
		path_params_default(&params.path, params.now);
		memset(&o, 0, sizeof(o));
		cr_assert_eq(judge_input("gen", &l, 0, &params, s, NULL, keep,
		    &o), 0);
		cr_expect_str_eq(o.codes, depth == 0 ? "max-depth-exceeded" :
		    "", "depth %u", depth);
		free(chain[0].der);
		free(chain[1].der);
	}
	trust_store_free(s);
}
