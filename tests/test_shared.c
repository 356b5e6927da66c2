/*
 * test_shared.c: the program end to end over the real-world chains of
 * the shared data set (data/chains/ and data/crossSigned/ under
 * $CHAINAUDIT_SHARED), each at pinned instants against pinned trust
 * anchors and never the system store.
 *
 * The expectations are what a careful PKI engineer derives from the
 * certificates themselves (validity, signature algorithms, key sizes and
 * the verified issuer edges in each case.json), not what the program
 * happened to print: the exit status, "trusted", the exact multiset of
 * finding codes with the certificate each concerns, and the chosen path
 * (node certificates and link signature algorithms).
 *
 * Certificates are named by the first 12 hex digits of their SHA-256;
 * "a|b" accepts either of two equally good certificates (two self-signed
 * copies of one root, two cross-signs of one link).
 *
 * Every test skips when the shared data set is not there.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "testlib.h"

#define SKIP_MSG	"../shared/data not present: real-chain tests skipped"

/* Case folders, relative to the data directory. */
#define SHA1_2016	"chains/badssl-wildcard-sha1-2016"
#define SHA1_2017	"chains/badssl-wildcard-sha1-2017"
#define SHA1_INT	"chains/badssl-wildcard-sha1-intermediate"
#define COMODO_DV	"chains/badssl-comodo-rsa-dv-2016"
#define RAPIDSSL	"chains/badssl-geotrust-rapidssl-2016"
#define DC_SHA2		"chains/badssl-digicert-sha2-2020"
#define DC_ECC		"chains/badssl-digicert-ecc-2020"
#define LE_2023		"chains/letsencrypt-cryptography.io-2023"
#define GOOGLE		"chains/modern-google.com-2026"
#define CLOUDFLARE	"chains/modern-cloudflare.com-2026"
#define STARTCOM	"chains/startcom-dnssec-exp-2010"
#define WOSIGN		"chains/wosign-hycom.at-2016"
#define THAWTE		"chains/thawte-google-precert-2015"
#define COMODO_2011	"chains/comodo-2011-login.live.com"

#define X_LE		"crossSigned/letsencrypt-isrg-dst/all-copies.pem"
#define X_GTS		"crossSigned/gts-globalsign-r1/all-copies.pem"
#define X_DIGICERT	\
    "crossSigned/digicert-baltimore-cybertrust/all-copies.pem"
#define X_COMODO	\
    "crossSigned/comodo-usertrust-addtrust-utn/all-copies.pem"
#define X_THAWTE	\
    "crossSigned/thawte-primary-root-and-premium-server/all-copies.pem"

/* Certificates (SHA-256 prefixes), named after their subject. */
#define C_SHA1_2016_LEAF	"020f82f2b8e8"
#define C_POSITIVESSL_CA2	"4475534dbb11"
#define C_ADDTRUST		"687fa4513822"	/* self-signed */
#define C_ADDTRUST_BY_UTNHW	"abc566bed75e"
#define C_UTN_HW		"6ea54741d004"	/* self-signed */
#define C_UTN_DATACORP		"85fb2f91dd12"	/* self-signed */
#define C_SHA1_2017_LEAF	"141758610bd4"
#define C_DC_SECURE_SERVER	"94d4ece2ed9a"
#define C_DC_GLOBAL		"4348a0e9444c"	/* self-signed */
#define C_DC_GLOBAL_BY_BALT	"6dacbb894513"
#define C_BALTIMORE		"16af57a9f676"	/* self-signed */
#define C_SHA1_INT_LEAF		"500a77e0eb1f"
#define C_COMODO_SSL_CA		"179b3b8dc791"
#define C_COMODO_DV_LEAF	"3742d9290e42"
#define C_COMODO_DV_CA		"02ab57e4e67a"
#define C_COMODO_RSA		"52f0e1c4e58e"	/* self-signed */
#define C_COMODO_RSA_BY_ADDTRUST "4f32d5dc00f7"
#define C_COMODO_RSA_BY_AAA	"38392f17ce7b"
#define C_AAA			"d7a7a0fb5d7e"	/* self-signed */
#define C_RAPIDSSL_LEAF		"4a425603bef7"
#define C_RAPIDSSL_CA		"e6683e88315c"
#define C_GEOTRUST		"ff856a2d251d"	/* self-signed */
#define C_GEOTRUST_BY_EQUIFAX	"3c35cc963eb0"
#define C_EQUIFAX		"08297a4047db"	/* self-signed, RSA 1024 */
#define C_DC_SHA2_LEAF		"9094c2bdfa69"
#define C_DC_SHA2_CA		"154c433c4919"	/* 2013-2023, as served */
#define C_DC_SHA2_CA_2020	"c1ad7778796d"	/* 2020-2030 re-issue */
#define C_DC_ECC_LEAF		"ca2244442410"
#define C_DC_ECC_CA		"458446ba75d9"
#define C_LE_LEAF		"72d8f5a91d1b"
#define C_R3			"67add1166b02"
#define C_ISRG_X1		"96bcec062649"	/* self-signed */
#define C_ISRG_X1_BY_DST	"6d99fb265eb1"
#define C_DST_X3		"0687260331a7"	/* self-signed */
#define C_GOOGLE_LEAF		"b3d427159907"
#define C_WR2			"e6fe22bf45e4"
#define C_GTS_R1		"2a575471e313|d947432abde7" /* 2 self-signed */
#define C_GTS_R1_BY_GLOBALSIGN	"3ee0278df71f"
#define C_GLOBALSIGN		"ebd41040e4bb"	/* self-signed */
#define C_CLOUDFLARE_LEAF	"da9fca34e821"
#define C_WE1			"1dfc1605fbad"
#define C_GTS_R4		"349dfa4058c5|71cca5391f9e" /* 2 self-signed */
#define C_GTS_R4_BY_GLOBALSIGN	"76b27b80a580"
#define C_STARTCOM_LEAF		"0035071be72b"
#define C_STARTCOM_C1_SHA1	"cb2db573610f"
#define C_STARTCOM_C1_SHA256	"1e899439781b|24a04b44b0e0" /* 2 re-issues */
#define C_STARTCOM		"c766a9bef2d4|e17890ee09a3" /* SHA-1, SHA-256 */
#define C_WOSIGN_LEAF		"77474e5dead0"
#define C_WOSIGN_G2		"41a235ab60f0"
#define C_WOSIGN		"4b22d5a6aec9"	/* self-signed */
#define C_THAWTE_LEAF		"0d90cd8e3520"
#define C_THAWTE_EV_G3		"1a99019f9d41"
#define C_THAWTE_PRIMARY	"8d722f81a9c1"	/* self-signed */
#define C_THAWTE_PRIMARY_BY_PREMIUM "0ae1484292b2|c99157df28d2"
#define C_PREMIUM_SHA1		"3f9f27d58320"	/* self-signed, RSA 1024 */
#define C_PREMIUM_MD5		"ab7036365c71"	/* self-signed, RSA 1024 */
#define C_PREMIUM		C_PREMIUM_SHA1 "|" C_PREMIUM_MD5
#define C_LOGIN_LIVE_LEAF	"2a3699deca1e"

/* One run of the program. */
struct audit_case {
	const char	*chain;		/* data-relative, or absolute */
	const char	*at;		/* --at */
	const char	*host;		/* --host, or NULL */
	const char	*ca[4];		/* --ca-file each, NULL-ended */
	const char	*im[4];		/* --intermediates each, NULL-ended */
	int		 corpus;	/* use the known-CA corpus: these
					 * cases pin their pool, so off */
};

struct audited {
	struct run_result	 r;
	struct json_object	*root;	/* owned */
	struct json_object	*t;	/* borrowed from root: the one target */
};

/* Temporary files this test made; removed by the suite's fini. */
static char	*tmps[8];
static size_t	 ntmps;

/* The data directory, or skip the test when it is not there. */
static const char *
data_dir(void)
{
	static char	 buf[4096];
	const char	*s;
	struct stat	 st;
	int		 n;

	if ((s = shared_dir()) == NULL)
		cr_skip_test(SKIP_MSG);
	n = snprintf(buf, sizeof(buf), "%s/data", s);
	if (n < 0 || (size_t)n >= sizeof(buf) || stat(buf, &st) == -1 ||
	    !S_ISDIR(st.st_mode))
		cr_skip_test(SKIP_MSG);
	return buf;
}

/* rel under the data directory (absolute paths kept); owned. */
static char *
data_path(const char *rel)
{
	const char	*dir = "";
	char		*p;
	size_t		 len;

	if (rel[0] != '/')
		dir = data_dir();
	len = strlen(dir) + 1 + strlen(rel) + 1;
	cr_assert_not_null(p = malloc(len), "out of memory");
	snprintf(p, len, "%s%s%s", dir, *dir != '\0' ? "/" : "", rel);
	return p;
}

/*
 * A temporary PEM file of the certificates named by prefixes, in that
 * order, from the data-relative files srcs.  Borrowed: removed after the
 * test.
 */
static const char *
subset(const char *const *srcs, const char *const *prefixes)
{
	char	*abs[8] = { NULL };
	char	*path;
	size_t	 i;

	for (i = 0; srcs[i] != NULL; i++) {
		cr_assert(i + 1 < sizeof(abs) / sizeof(abs[0]),
		    "too many files");
		abs[i] = data_path(srcs[i]);
	}
	path = pem_subset_tmp((const char *const *)abs, prefixes);
	for (i = 0; abs[i] != NULL; i++)
		free(abs[i]);
	cr_assert(ntmps < sizeof(tmps) / sizeof(tmps[0]),
	    "too many temp files");
	tmps[ntmps++] = path;
	return path;
}
#define FILES(...)	((const char *const []){ __VA_ARGS__, NULL })
#define CERTS(...)	((const char *const []){ __VA_ARGS__, NULL })

static void
drop_tmps(void)
{
	while (ntmps > 0) {
		ntmps--;
		unlink(tmps[ntmps]);
		free(tmps[ntmps]);
		tmps[ntmps] = NULL;
	}
}

TestSuite(chains, .fini = drop_tmps);
TestSuite(cross, .fini = drop_tmps);

/* Run the program on c in JSON and keep its one target in a. */
static void
audit(struct audited *a, const struct audit_case *c)
{
	const char	*argv[32];
	char		*owned[16];
	size_t		 n = 0, no = 0, i;

	memset(a, 0, sizeof(*a));
	argv[n++] = "--format";
	argv[n++] = "json";
	argv[n++] = "--no-system-ca";
	if (!c->corpus)
		argv[n++] = "--no-known-intermediates";
	argv[n++] = "--at";
	argv[n++] = c->at;
	if (c->host != NULL) {
		argv[n++] = "--host";
		argv[n++] = c->host;
	}
	for (i = 0; i < 4 && c->ca[i] != NULL; i++) {
		argv[n++] = "--ca-file";
		argv[n++] = owned[no++] = data_path(c->ca[i]);
	}
	for (i = 0; i < 4 && c->im[i] != NULL; i++) {
		argv[n++] = "--intermediates";
		argv[n++] = owned[no++] = data_path(c->im[i]);
	}
	argv[n++] = owned[no++] = data_path(c->chain);
	argv[n] = NULL;

	run_chainaudit(&a->r, argv, NULL);
	for (i = 0; i < no; i++)
		free(owned[i]);
	a->root = run_json(&a->r);
	{
		struct json_object	*ts;

		cr_assert(json_object_object_get_ex(a->root, "targets", &ts) &&
		    json_object_is_type(ts, json_type_array) &&
		    json_object_array_length(ts) == 1,
		    "%s: expected exactly one target; stdout: %s", c->chain,
		    a->r.out);
		a->t = json_object_array_get_idx(ts, 0);
	}
}

static void
audited_free(struct audited *a)
{
	json_object_put(a->root);
	run_result_free(&a->r);
	memset(a, 0, sizeof(*a));
}

/* Member key of o, or NULL. */
static struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *
member_str(struct json_object *o, const char *key)
{
	struct json_object	*v = member(o, key);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

/* 1 when hex starts with one of the '|'-separated prefixes in alts. */
static int
hex_is_one_of(const char *hex, const char *alts)
{
	const char	*p = alts, *bar;
	size_t		 len;

	if (hex == NULL)
		return 0;
	for (;;) {
		bar = strchr(p, '|');
		len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (len > 0 && strncmp(hex, p, len) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

/* The chosen path as "aaaaaaaaaaaa>bbbbbbbbbbbb>..." for messages. */
static const char *
path_str(const struct audited *a, char *buf, size_t len)
{
	struct json_object	*nodes;
	const char		*h;
	size_t			 i, n, off = 0;

	buf[0] = '\0';
	nodes = member(member(a->t, "path"), "nodes");
	if (nodes == NULL || !json_object_is_type(nodes, json_type_array))
		return "(no path)";
	n = json_object_array_length(nodes);
	for (i = 0; i < n && off + 16 < len; i++) {
		h = member_str(json_object_array_get_idx(nodes, i),
		    "certificate");
		off += (size_t)snprintf(buf + off, len - off, "%s%.12s",
		    i > 0 ? ">" : "", h != NULL ? h : "?");
	}
	return buf;
}

/*
 * The exit status, "trusted", and the exact multiset of finding codes
 * (sorted, comma-joined; "" for none).
 */
static void
expect_verdict(const struct audited *a, int status, int trusted,
    const char *codes)
{
	struct json_object	*tr = member(a->t, "trusted");
	char			 buf[1024], pbuf[256];
	const char		*got;

	got = json_finding_codes(a->t, buf, sizeof(buf));
	cr_expect_str_eq(got, codes, "findings: got [%s], expected [%s] "
	    "(path %s)", got, codes, path_str(a, pbuf, sizeof(pbuf)));
	cr_expect_eq(a->r.status, status, "exit status %d, expected %d "
	    "(findings [%s]); stderr: %s", a->r.status, status, got,
	    a->r.err);
	cr_expect(tr != NULL && json_object_is_type(tr, json_type_boolean) &&
	    json_object_get_boolean(tr) == trusted,
	    "\"trusted\" is %s, expected %s (path %s)",
	    tr != NULL ? json_object_to_json_string(tr) : "missing",
	    trusted ? "true" : "false", path_str(a, pbuf, sizeof(pbuf)));
}

/*
 * Exactly n findings with code, and each concerns a certificate in
 * certs ('|'-separated prefixes; several findings may share one list).
 */
static void
expect_findings_on(const struct audited *a, const char *code, int n,
    const char *certs)
{
	struct json_object	*fs = member(a->t, "findings"), *f;
	const char		*c, *h;
	size_t			 i, len;
	int			 count = 0;

	len = fs != NULL && json_object_is_type(fs, json_type_array) ?
	    json_object_array_length(fs) : 0;
	for (i = 0; i < len; i++) {
		f = json_object_array_get_idx(fs, i);
		if ((c = member_str(f, "code")) == NULL || strcmp(c, code) != 0)
			continue;
		count++;
		h = member_str(f, "certificate");
		cr_expect(hex_is_one_of(h, certs), "%s concerns %.12s, "
		    "expected one of %s", code, h != NULL ? h : "(none)",
		    certs);
	}
	cr_expect_eq(count, n, "%d %s finding(s), expected %d", count, code,
	    n);
}

/*
 * The chosen path's node certificates, leaf first (each '|'-separated
 * prefixes), and that it ends at an anchor exactly when complete says.
 */
static void
expect_path(const struct audited *a, int complete, const char *const *want)
{
	struct json_object	*path = member(a->t, "path"), *nodes, *cv;
	const char		*h;
	char			 pbuf[256];
	size_t			 i, n, nwant;

	for (nwant = 0; want[nwant] != NULL; nwant++)
		continue;
	nodes = member(path, "nodes");
	cr_assert(nodes != NULL && json_object_is_type(nodes, json_type_array),
	    "no chosen path in the report");
	n = json_object_array_length(nodes);
	cr_expect_eq(n, nwant, "path %s has %zu nodes, expected %zu",
	    path_str(a, pbuf, sizeof(pbuf)), n, nwant);
	for (i = 0; i < n && i < nwant; i++) {
		h = member_str(json_object_array_get_idx(nodes, i),
		    "certificate");
		cr_expect(hex_is_one_of(h, want[i]), "path node %zu is %.12s, "
		    "expected %s (path %s)", i, h != NULL ? h : "?", want[i],
		    path_str(a, pbuf, sizeof(pbuf)));
	}
	cv = member(path, "complete");
	cr_expect(cv != NULL && json_object_get_boolean(cv) == complete,
	    "path complete is %s, expected %s",
	    cv != NULL ? json_object_to_json_string(cv) : "missing",
	    complete ? "true" : "false");
}
#define EXPECT_PATH(a, ...)	expect_path((a), 1, CERTS(__VA_ARGS__))
#define EXPECT_PARTIAL_PATH(a, ...) expect_path((a), 0, CERTS(__VA_ARGS__))

/* The signature algorithm of each link of the chosen path, leaf first. */
static void
expect_links(const struct audited *a, const char *const *want)
{
	struct json_object	*links;
	const char		*alg;
	char			 pbuf[256];
	size_t			 i, n, nwant;

	for (nwant = 0; want[nwant] != NULL; nwant++)
		continue;
	links = member(member(a->t, "path"), "links");
	cr_assert(links != NULL && json_object_is_type(links, json_type_array),
	    "no links in the report");
	n = json_object_array_length(links);
	cr_expect_eq(n, nwant, "%zu links, expected %zu (path %s)", n, nwant,
	    path_str(a, pbuf, sizeof(pbuf)));
	for (i = 0; i < n && i < nwant; i++) {
		alg = member_str(json_object_array_get_idx(links, i),
		    "signature_algorithm");
		cr_expect(alg != NULL && strcmp(alg, want[i]) == 0,
		    "link %zu signed with %s, expected %s (path %s)", i,
		    alg != NULL ? alg : "?", want[i],
		    path_str(a, pbuf, sizeof(pbuf)));
	}
}
#define EXPECT_LINKS(a, ...)	expect_links((a), CERTS(__VA_ARGS__))

/* ==== chains/ ========================================================== */

/*
 * badssl sha1-2016: SHA-1 leaf (notAfter 2016-12-29) under SHA-1
 * PositiveSSL CA 2 (notAfter 2020) under AddTrust.  Both links are
 * SHA-1 on certificates past the sunset; nothing in the pool offers a
 * SHA-2 copy of either.  AddTrust's own SHA-1 self-signature is no link.
 */
static void
sha1_2016(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = SHA1_2016 "/chain.pem",
	    .at = at, .host = "sha1-2016.badssl.com",
	    .ca = { SHA1_2016 "/roots.pem" },
	    .im = { SHA1_2016 "/alternates.pem" } });
	expect_findings_on(a, "sha1-only-link", 2,
	    C_SHA1_2016_LEAF "|" C_POSITIVESSL_CA2);
	EXPECT_PATH(a, C_SHA1_2016_LEAF, C_POSITIVESSL_CA2, C_ADDTRUST);
	EXPECT_LINKS(a, "RSA-SHA1", "RSA-SHA1");
}

Test(chains, sha1_2016_valid)
{
	struct audited	a;

	sha1_2016(&a, "2016-03-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "sha1-only-link,sha1-only-link");
	audited_free(&a);
}

Test(chains, sha1_2016_expiring)
{
	struct audited	a;

	sha1_2016(&a, "2016-12-15T00:00:00Z");
	expect_verdict(&a, 1, 1,
	    "expiring-soon,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "expiring-soon", 1, C_SHA1_2016_LEAF);
	audited_free(&a);
}

Test(chains, sha1_2016_expired)
{
	struct audited	a;

	sha1_2016(&a, "2017-01-15T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "expired", 1, C_SHA1_2016_LEAF);
	audited_free(&a);
}

/* A wildcard covers exactly one label (RFC 6125 6.4.3). */
Test(chains, sha1_2016_wildcard_one_label_only)
{
	struct audited	a;

	audit(&a, &(struct audit_case){ .chain = SHA1_2016 "/chain.pem",
	    .at = "2016-03-01T00:00:00Z", .host = "a.b.badssl.com",
	    .ca = { SHA1_2016 "/roots.pem" },
	    .im = { SHA1_2016 "/alternates.pem" } });
	expect_verdict(&a, 1, 1,
	    "hostname-mismatch,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "hostname-mismatch", 1, C_SHA1_2016_LEAF);
	EXPECT_PATH(&a, C_SHA1_2016_LEAF, C_POSITIVESSL_CA2, C_ADDTRUST);
	audited_free(&a);
}

/*
 * badssl sha1-2017: SHA-1 leaf (notAfter 2017-01-05) under SHA-1
 * DigiCert Secure Server CA under DigiCert Global Root CA, which is
 * itself trusted: the SHA-256 Baltimore cross-sign only lengthens the
 * path and cannot lift the two SHA-1 links below it.
 */
static void
sha1_2017(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = SHA1_2017 "/chain.pem",
	    .at = at, .host = "sha1-2017.badssl.com",
	    .ca = { SHA1_2017 "/roots.pem" },
	    .im = { SHA1_2017 "/alternates.pem" } });
	expect_findings_on(a, "sha1-only-link", 2,
	    C_SHA1_2017_LEAF "|" C_DC_SECURE_SERVER);
	EXPECT_PATH(a, C_SHA1_2017_LEAF, C_DC_SECURE_SERVER, C_DC_GLOBAL);
	EXPECT_LINKS(a, "RSA-SHA1", "RSA-SHA1");
}

Test(chains, sha1_2017_valid)
{
	struct audited	a;

	sha1_2017(&a, "2016-06-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "sha1-only-link,sha1-only-link");
	audited_free(&a);
}

Test(chains, sha1_2017_expiring)
{
	struct audited	a;

	sha1_2017(&a, "2016-12-20T00:00:00Z");
	expect_verdict(&a, 1, 1,
	    "expiring-soon,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "expiring-soon", 1, C_SHA1_2017_LEAF);
	audited_free(&a);
}

Test(chains, sha1_2017_expired)
{
	struct audited	a;

	sha1_2017(&a, "2017-02-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "expired", 1, C_SHA1_2017_LEAF);
	audited_free(&a);
}

/*
 * badssl sha1-intermediate: SHA-256 leaf under SHA-1 COMODO SSL CA
 * (notAfter 2020-05-30) under AddTrust (notAfter 2020-05-30).  Only the
 * intermediate's link is SHA-1.  Leaf, intermediate and anchor all end
 * on 2020-05-30, so all three expire together.
 */
static void
sha1_int(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = SHA1_INT "/chain.pem",
	    .at = at, .host = "sha1-intermediate.badssl.com",
	    .ca = { SHA1_INT "/roots.pem" },
	    .im = { SHA1_INT "/alternates.pem" } });
	expect_findings_on(a, "sha1-only-link", 1, C_COMODO_SSL_CA);
	EXPECT_PATH(a, C_SHA1_INT_LEAF, C_COMODO_SSL_CA, C_ADDTRUST);
	EXPECT_LINKS(a, "RSA-SHA256", "RSA-SHA1");
}

Test(chains, sha1_intermediate_valid)
{
	struct audited	a;

	sha1_int(&a, "2018-06-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "sha1-only-link");
	audited_free(&a);
}

Test(chains, sha1_intermediate_all_expiring)
{
	struct audited	a;

	sha1_int(&a, "2020-05-15T00:00:00Z");
	expect_verdict(&a, 1, 1, "expiring-soon,expiring-soon,expiring-soon,"
	    "sha1-only-link");
	expect_findings_on(&a, "expiring-soon", 3,
	    C_SHA1_INT_LEAF "|" C_COMODO_SSL_CA "|" C_ADDTRUST);
	audited_free(&a);
}

Test(chains, sha1_intermediate_all_expired)
{
	struct audited	a;

	sha1_int(&a, "2020-06-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired,expired,expired,sha1-only-link");
	expect_findings_on(&a, "expired", 3,
	    C_SHA1_INT_LEAF "|" C_COMODO_SSL_CA "|" C_ADDTRUST);
	audited_free(&a);
}

/*
 * COMODO RSA DV 2016: served leaf, DV CA, and COMODO RSA CA cross-signed
 * by AddTrust.  COMODO RSA CA is trusted in its own right, so the path
 * stops there (2 links, SHA-256/SHA-384); the sent cross-sign is not a
 * trust anchor (no unnecessary-root) and the order is right.
 */
static void
comodo_dv(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = COMODO_DV "/chain.pem",
	    .at = at, .host = "badssl.com",
	    .ca = { COMODO_DV "/roots.pem" },
	    .im = { COMODO_DV "/alternates.pem" } });
	EXPECT_PATH(a, C_COMODO_DV_LEAF, C_COMODO_DV_CA, C_COMODO_RSA);
	EXPECT_LINKS(a, "RSA-SHA256", "RSA-SHA384");
}

Test(chains, comodo_dv_valid)
{
	struct audited	a;

	comodo_dv(&a, "2016-03-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "");
	audited_free(&a);
}

Test(chains, comodo_dv_expiring)
{
	struct audited	a;

	comodo_dv(&a, "2016-06-20T00:00:00Z");
	expect_verdict(&a, 0, 1, "expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_COMODO_DV_LEAF);
	audited_free(&a);
}

Test(chains, comodo_dv_expired)
{
	struct audited	a;

	comodo_dv(&a, "2016-08-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired");
	expect_findings_on(&a, "expired", 1, C_COMODO_DV_LEAF);
	audited_free(&a);
}

/*
 * The same real certificates sent out of order: the leaf is followed by
 * the COMODO RSA CA cross-sign, which does not certify it (RFC 5246
 * 7.4.2).  The order is a property of what was sent, the same whichever
 * roots the audit trusts.
 */
static void
comodo_dv_misordered(struct audited *a, const char *ca)
{
	const char	*chain;

	chain = subset(FILES(COMODO_DV "/chain.pem"), CERTS(C_COMODO_DV_LEAF,
	    C_COMODO_RSA_BY_ADDTRUST, C_COMODO_DV_CA));
	audit(a, &(struct audit_case){ .chain = chain,
	    .at = "2016-03-01T00:00:00Z", .host = "badssl.com",
	    .ca = { ca }, .im = { COMODO_DV "/alternates.pem" } });
	expect_verdict(a, 0, 1, "misordered-chain");
	/* The finding names the certificate out of place. */
	expect_findings_on(a, "misordered-chain", 1,
	    C_COMODO_RSA_BY_ADDTRUST);
}

Test(chains, comodo_dv_misordered)
{
	struct audited	a;

	comodo_dv_misordered(&a, COMODO_DV "/roots.pem");
	EXPECT_PATH(&a, C_COMODO_DV_LEAF, C_COMODO_DV_CA, C_COMODO_RSA);
	audited_free(&a);
}

Test(chains, comodo_dv_misordered_addtrust_only)
{
	struct audited	a;

	comodo_dv_misordered(&a, subset(FILES(COMODO_DV "/roots.pem"),
	    CERTS(C_ADDTRUST)));
	EXPECT_PATH(&a, C_COMODO_DV_LEAF, C_COMODO_DV_CA,
	    C_COMODO_RSA_BY_ADDTRUST, C_ADDTRUST);
	audited_free(&a);
}

/*
 * GeoTrust RapidSSL 2016: all SHA-256 under GeoTrust Global CA.  The
 * old path through Equifax (RSA 1024) rests on the SHA-1 cross-sign
 * GeoTrust-by-Equifax (notAfter 2018-08-21); it must lose while GeoTrust
 * is trusted, and be flagged when only Equifax is.  Instants precede
 * the Symantec distrust (Chrome 70, October 2018) except the last two,
 * which only concern expiry.
 */
static void
rapidssl(struct audited *a, const char *at, const char *ca)
{
	audit(a, &(struct audit_case){ .chain = RAPIDSSL "/chain.pem",
	    .at = at, .host = "invalid-expected-sct.badssl.com",
	    .ca = { ca }, .im = { RAPIDSSL "/alternates.pem" } });
}

Test(chains, rapidssl_valid)
{
	struct audited	a;

	rapidssl(&a, "2017-06-01T00:00:00Z", RAPIDSSL "/roots.pem");
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_RAPIDSSL_LEAF, C_RAPIDSSL_CA, C_GEOTRUST);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(chains, rapidssl_equifax_only)
{
	struct audited	a;

	rapidssl(&a, "2017-06-01T00:00:00Z",
	    subset(FILES(RAPIDSSL "/roots.pem"), CERTS(C_EQUIFAX)));
	expect_verdict(&a, 1, 1, "sha1-only-link,weak-key");
	expect_findings_on(&a, "sha1-only-link", 1, C_GEOTRUST_BY_EQUIFAX);
	expect_findings_on(&a, "weak-key", 1, C_EQUIFAX);
	EXPECT_PATH(&a, C_RAPIDSSL_LEAF, C_RAPIDSSL_CA, C_GEOTRUST_BY_EQUIFAX,
	    C_EQUIFAX);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256", "RSA-SHA1");
	audited_free(&a);
}

Test(chains, rapidssl_equifax_only_after_equifax_expiry)
{
	struct audited	a;

	rapidssl(&a, "2018-09-01T00:00:00Z",
	    subset(FILES(RAPIDSSL "/roots.pem"), CERTS(C_EQUIFAX)));
	expect_verdict(&a, 1, 1, "expired,expired,sha1-only-link,weak-key");
	expect_findings_on(&a, "expired", 2,
	    C_GEOTRUST_BY_EQUIFAX "|" C_EQUIFAX);
	EXPECT_PATH(&a, C_RAPIDSSL_LEAF, C_RAPIDSSL_CA, C_GEOTRUST_BY_EQUIFAX,
	    C_EQUIFAX);
	audited_free(&a);
}

Test(chains, rapidssl_expiring)
{
	struct audited	a;

	rapidssl(&a, "2018-11-01T00:00:00Z", RAPIDSSL "/roots.pem");
	expect_verdict(&a, 1, 1, "distrusted-issuer,expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_RAPIDSSL_LEAF);
	EXPECT_PATH(&a, C_RAPIDSSL_LEAF, C_RAPIDSSL_CA, C_GEOTRUST);
	audited_free(&a);
}

Test(chains, rapidssl_expired)
{
	struct audited	a;

	rapidssl(&a, "2018-12-01T00:00:00Z", RAPIDSSL "/roots.pem");
	expect_verdict(&a, 1, 1, "distrusted-issuer,expired");
	expect_findings_on(&a, "expired", 1, C_RAPIDSSL_LEAF);
	EXPECT_PATH(&a, C_RAPIDSSL_LEAF, C_RAPIDSSL_CA, C_GEOTRUST);
	audited_free(&a);
}

/*
 * DigiCert SHA2 2020: the served DigiCert SHA2 Secure Server CA
 * (2013-2023) and its 2020-2030 re-issue (same key, in alternates) are
 * equally strong; the served one must be chosen, and before the
 * re-issue's notBefore (2020-09-23) it is the only valid one.
 */
static void
dc_sha2(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = DC_SHA2 "/chain.pem",
	    .at = at, .host = "badssl.com",
	    .ca = { DC_SHA2 "/roots.pem" },
	    .im = { DC_SHA2 "/alternates.pem" } });
	EXPECT_PATH(a, C_DC_SHA2_LEAF, C_DC_SHA2_CA, C_DC_GLOBAL);
	EXPECT_LINKS(a, "RSA-SHA256", "RSA-SHA256");
}

Test(chains, digicert_sha2_before_reissue)
{
	struct audited	a;

	dc_sha2(&a, "2020-06-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "");
	audited_free(&a);
}

Test(chains, digicert_sha2_after_reissue)
{
	struct audited	a;

	dc_sha2(&a, "2021-06-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "");
	audited_free(&a);
}

Test(chains, digicert_sha2_expiring)
{
	struct audited	a;

	dc_sha2(&a, "2022-05-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_DC_SHA2_LEAF);
	audited_free(&a);
}

Test(chains, digicert_sha2_expired)
{
	struct audited	a;

	dc_sha2(&a, "2022-06-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired");
	expect_findings_on(&a, "expired", 1, C_DC_SHA2_LEAF);
	audited_free(&a);
}

/* DigiCert ECC 2020: P-256 leaf (not weak) under a P-384 CA. */
static void
dc_ecc(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = DC_ECC "/chain.pem",
	    .at = at, .host = "ecc256.badssl.com",
	    .ca = { DC_ECC "/roots.pem" },
	    .im = { DC_ECC "/alternates.pem" } });
	EXPECT_PATH(a, C_DC_ECC_LEAF, C_DC_ECC_CA, C_DC_GLOBAL);
	EXPECT_LINKS(a, "ECDSA-SHA384", "RSA-SHA384");
}

Test(chains, digicert_ecc_valid)
{
	struct audited	a;

	dc_ecc(&a, "2021-01-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "");
	audited_free(&a);
}

Test(chains, digicert_ecc_expiring)
{
	struct audited	a;

	dc_ecc(&a, "2022-01-20T00:00:00Z");
	expect_verdict(&a, 0, 1, "expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_DC_ECC_LEAF);
	audited_free(&a);
}

Test(chains, digicert_ecc_expired)
{
	struct audited	a;

	dc_ecc(&a, "2022-03-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired");
	expect_findings_on(&a, "expired", 1, C_DC_ECC_LEAF);
	audited_free(&a);
}

/*
 * Let's Encrypt 2023, as captured: leaf, R3, and the self-signed ISRG
 * Root X1, which is trusted: unnecessary-root (info, exit 0).  The DST
 * paths (R3-by-DST, ISRG-by-DST) are expired or longer and must lose.
 */
static void
le_2023(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = LE_2023 "/chain.pem",
	    .at = at, .host = "cryptography.io",
	    .ca = { LE_2023 "/roots.pem" },
	    .im = { LE_2023 "/alternates.pem" } });
	expect_findings_on(a, "unnecessary-root", 1, C_ISRG_X1);
	EXPECT_PATH(a, C_LE_LEAF, C_R3, C_ISRG_X1);
	EXPECT_LINKS(a, "RSA-SHA256", "RSA-SHA256");
}

Test(chains, letsencrypt_valid)
{
	struct audited	a;

	le_2023(&a, "2023-07-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "unnecessary-root");
	audited_free(&a);
}

Test(chains, letsencrypt_expiring)
{
	struct audited	a;

	le_2023(&a, "2023-08-10T00:00:00Z");
	expect_verdict(&a, 0, 1, "expiring-soon,unnecessary-root");
	expect_findings_on(&a, "expiring-soon", 1, C_LE_LEAF);
	audited_free(&a);
}

Test(chains, letsencrypt_expired)
{
	struct audited	a;

	le_2023(&a, "2023-09-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired,unnecessary-root");
	expect_findings_on(&a, "expired", 1, C_LE_LEAF);
	audited_free(&a);
}

/*
 * Only DST trusted and no other certificates: the path ends at the sent
 * self-signed ISRG Root X1, which this store does not trust.
 */
Test(chains, letsencrypt_isrg_not_trusted)
{
	struct audited	a;

	audit(&a, &(struct audit_case){ .chain = LE_2023 "/chain.pem",
	    .at = "2023-07-01T00:00:00Z", .host = "cryptography.io",
	    .ca = { subset(FILES(LE_2023 "/roots.pem"), CERTS(C_DST_X3)) } });
	expect_verdict(&a, 1, 0, "untrusted-root");
	expect_findings_on(&a, "untrusted-root", 1, C_ISRG_X1);
	EXPECT_PARTIAL_PATH(&a, C_LE_LEAF, C_R3, C_ISRG_X1);
	audited_free(&a);
}

/* google.com 2026: WR2 under GTS Root R1 (two self-signed copies). */
static void
google(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = GOOGLE "/chain.pem",
	    .at = at, .host = "www.google.com",
	    .ca = { GOOGLE "/roots.pem" },
	    .im = { GOOGLE "/alternates.pem" } });
	EXPECT_PATH(a, C_GOOGLE_LEAF, C_WR2, C_GTS_R1);
	EXPECT_LINKS(a, "RSA-SHA256", "RSA-SHA256");
}

Test(chains, google_valid)
{
	struct audited	a;

	google(&a, "2026-03-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "");
	audited_free(&a);
}

Test(chains, google_expiring)
{
	struct audited	a;

	google(&a, "2026-04-10T00:00:00Z");
	expect_verdict(&a, 0, 1, "expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_GOOGLE_LEAF);
	audited_free(&a);
}

Test(chains, google_expired)
{
	struct audited	a;

	google(&a, "2026-05-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired");
	expect_findings_on(&a, "expired", 1, C_GOOGLE_LEAF);
	audited_free(&a);
}

/* cloudflare.com 2026: ECDSA throughout, WE1 under GTS Root R4. */
static void
cloudflare(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = CLOUDFLARE "/chain.pem",
	    .at = at, .host = "cloudflare.com",
	    .ca = { CLOUDFLARE "/roots.pem" },
	    .im = { CLOUDFLARE "/alternates.pem" } });
	EXPECT_PATH(a, C_CLOUDFLARE_LEAF, C_WE1, C_GTS_R4);
	EXPECT_LINKS(a, "ECDSA-SHA256", "ECDSA-SHA384");
}

Test(chains, cloudflare_valid)
{
	struct audited	a;

	cloudflare(&a, "2026-04-01T00:00:00Z");
	expect_verdict(&a, 0, 1, "");
	audited_free(&a);
}

Test(chains, cloudflare_expiring)
{
	struct audited	a;

	cloudflare(&a, "2026-05-20T00:00:00Z");
	expect_verdict(&a, 0, 1, "expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_CLOUDFLARE_LEAF);
	audited_free(&a);
}

Test(chains, cloudflare_expired)
{
	struct audited	a;

	cloudflare(&a, "2026-06-15T00:00:00Z");
	expect_verdict(&a, 1, 1, "expired");
	expect_findings_on(&a, "expired", 1, C_CLOUDFLARE_LEAF);
	audited_free(&a);
}

/* The SANs name cloudflare.com and DNS hosts, not www.cloudflare.com. */
Test(chains, cloudflare_other_host)
{
	struct audited	a;

	audit(&a, &(struct audit_case){ .chain = CLOUDFLARE "/chain.pem",
	    .at = "2026-04-01T00:00:00Z", .host = "www.cloudflare.com",
	    .ca = { CLOUDFLARE "/roots.pem" },
	    .im = { CLOUDFLARE "/alternates.pem" } });
	expect_verdict(&a, 1, 1, "hostname-mismatch");
	expect_findings_on(&a, "hostname-mismatch", 1, C_CLOUDFLARE_LEAF);
	EXPECT_PATH(&a, C_CLOUDFLARE_LEAF, C_WE1, C_GTS_R4);
	audited_free(&a);
}

/*
 * StartCom 2010: SHA-1 leaf (notAfter 2011, before the sunset: not
 * flagged) under the SHA-1 Class 1 intermediate (notAfter 2017).  With
 * the SHA-256 re-issues of that intermediate (same key) in the pool the
 * link has a SHA-256 signature and is not SHA-1-only, but the server
 * still sends the SHA-1 copy, which clients without the re-issue use:
 * weaker-copy-sent on it.  Without the re-issues the link is SHA-1-only.
 * Instants are years before the StartCom distrust (2016-2017).
 */
static void
startcom(struct audited *a, const char *at, int with_alternates)
{
	audit(a, &(struct audit_case){ .chain = STARTCOM "/chain.pem",
	    .at = at, .host = "www.dnssec-exp.org",
	    .ca = { STARTCOM "/roots.pem" },
	    .im = { with_alternates ? STARTCOM "/alternates.pem" : NULL } });
	if (with_alternates)
		expect_findings_on(a, "weaker-copy-sent", 1,
		    C_STARTCOM_C1_SHA1);
}

Test(chains, startcom_sha256_reissue_wins)
{
	struct audited	a;

	startcom(&a, "2010-12-01T00:00:00Z", 1);
	expect_verdict(&a, 0, 1, "weaker-copy-sent");
	EXPECT_PATH(&a, C_STARTCOM_LEAF, C_STARTCOM_C1_SHA256, C_STARTCOM);
	EXPECT_LINKS(&a, "RSA-SHA1", "RSA-SHA256");
	audited_free(&a);
}

Test(chains, startcom_served_sha1_only)
{
	struct audited	a;

	startcom(&a, "2010-12-01T00:00:00Z", 0);
	expect_verdict(&a, 1, 1, "sha1-only-link");
	expect_findings_on(&a, "sha1-only-link", 1, C_STARTCOM_C1_SHA1);
	EXPECT_PATH(&a, C_STARTCOM_LEAF, C_STARTCOM_C1_SHA1, C_STARTCOM);
	EXPECT_LINKS(&a, "RSA-SHA1", "RSA-SHA1");
	audited_free(&a);
}

Test(chains, startcom_expiring)
{
	struct audited	a;

	startcom(&a, "2011-06-20T00:00:00Z", 1);
	expect_verdict(&a, 0, 1, "expiring-soon,weaker-copy-sent");
	expect_findings_on(&a, "expiring-soon", 1, C_STARTCOM_LEAF);
	EXPECT_PATH(&a, C_STARTCOM_LEAF, C_STARTCOM_C1_SHA256, C_STARTCOM);
	audited_free(&a);
}

Test(chains, startcom_expired)
{
	struct audited	a;

	startcom(&a, "2011-08-01T00:00:00Z", 1);
	expect_verdict(&a, 1, 1, "expired,weaker-copy-sent");
	expect_findings_on(&a, "expired", 1, C_STARTCOM_LEAF);
	EXPECT_PATH(&a, C_STARTCOM_LEAF, C_STARTCOM_C1_SHA256, C_STARTCOM);
	audited_free(&a);
}

/*
 * WoSign 2016: the leaf was captured alone.  Without the intermediate
 * nothing issues it: incomplete-chain, untrusted.  With it, the path
 * stops at the trusted self-signed WoSign root (the StartCom cross-sign
 * only lengthens it).  Instants precede the WoSign distrust (Chrome 56,
 * 2017) except the last two, which only concern expiry.
 */
static void
wosign(struct audited *a, const char *at, int with_alternates)
{
	audit(a, &(struct audit_case){ .chain = WOSIGN "/chain.pem",
	    .at = at, .host = "hycom.at",
	    .ca = { WOSIGN "/roots.pem" },
	    .im = { with_alternates ? WOSIGN "/alternates.pem" : NULL } });
}

Test(chains, wosign_leaf_alone_incomplete)
{
	struct audited	a;

	wosign(&a, "2016-09-15T00:00:00Z", 0);
	expect_verdict(&a, 1, 0, "incomplete-chain");
	expect_findings_on(&a, "incomplete-chain", 1, C_WOSIGN_LEAF);
	EXPECT_PARTIAL_PATH(&a, C_WOSIGN_LEAF);
	audited_free(&a);
}

Test(chains, wosign_valid)
{
	struct audited	a;

	wosign(&a, "2016-09-15T00:00:00Z", 1);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_WOSIGN_LEAF, C_WOSIGN_G2, C_WOSIGN);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(chains, wosign_expiring)
{
	struct audited	a;

	wosign(&a, "2019-08-10T00:00:00Z", 1);
	expect_verdict(&a, 1, 1, "distrusted-issuer,expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_WOSIGN_LEAF);
	EXPECT_PATH(&a, C_WOSIGN_LEAF, C_WOSIGN_G2, C_WOSIGN);
	audited_free(&a);
}

Test(chains, wosign_expired)
{
	struct audited	a;

	wosign(&a, "2019-09-01T00:00:00Z", 1);
	expect_verdict(&a, 1, 1, "distrusted-issuer,expired");
	expect_findings_on(&a, "expired", 1, C_WOSIGN_LEAF);
	audited_free(&a);
}

/*
 * Thawte google.com precertificate 2015: valid for two days, so it is
 * always within the expiring-soon window while valid.  Captured alone.
 * It carries the critical CT poison extension (RFC 6962 3.1) so that no
 * client accepts it (RFC 5280 4.2): every audit of it has one
 * precertificate finding on the leaf, whatever the path.
 */
static void
thawte(struct audited *a, const char *at, int with_alternates)
{
	audit(a, &(struct audit_case){ .chain = THAWTE "/chain.pem",
	    .at = at, .host = "www.google.com",
	    .ca = { THAWTE "/roots.pem" },
	    .im = { with_alternates ? THAWTE "/alternates.pem" : NULL } });
}

Test(chains, thawte_precert_valid)
{
	struct audited	a;

	thawte(&a, "2015-09-14T12:00:00Z", 1);
	expect_verdict(&a, 1, 1,
	    "distrusted-issuer,expiring-soon,precertificate");
	expect_findings_on(&a, "distrusted-issuer", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "expiring-soon", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "precertificate", 1, C_THAWTE_LEAF);
	EXPECT_PATH(&a, C_THAWTE_LEAF, C_THAWTE_EV_G3, C_THAWTE_PRIMARY);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(chains, thawte_precert_alone_incomplete)
{
	struct audited	a;

	thawte(&a, "2015-09-14T12:00:00Z", 0);
	expect_verdict(&a, 1, 0, "distrusted-issuer,expiring-soon,"
	    "incomplete-chain,precertificate");
	expect_findings_on(&a, "distrusted-issuer", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "incomplete-chain", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "precertificate", 1, C_THAWTE_LEAF);
	EXPECT_PARTIAL_PATH(&a, C_THAWTE_LEAF);
	audited_free(&a);
}

Test(chains, thawte_precert_expired)
{
	struct audited	a;

	thawte(&a, "2015-09-16T12:00:00Z", 1);
	expect_verdict(&a, 1, 1, "distrusted-issuer,expired,precertificate");
	expect_findings_on(&a, "distrusted-issuer", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "expired", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "precertificate", 1, C_THAWTE_LEAF);
	EXPECT_PATH(&a, C_THAWTE_LEAF, C_THAWTE_EV_G3, C_THAWTE_PRIMARY);
	audited_free(&a);
}

/*
 * Comodo 2011 login.live.com: SHA-1 leaf issued straight by the trusted
 * UTN-USERFirst-Hardware; notAfter 2014 is before the SHA-1 sunset.
 * The first instant is the day after issuance, before the compromise
 * was public.
 */
static void
login_live(struct audited *a, const char *at)
{
	audit(a, &(struct audit_case){ .chain = COMODO_2011 "/chain.pem",
	    .at = at, .host = "login.live.com",
	    .ca = { COMODO_2011 "/roots.pem" },
	    .im = { COMODO_2011 "/alternates.pem" } });
	EXPECT_PATH(a, C_LOGIN_LIVE_LEAF, C_UTN_HW);
	EXPECT_LINKS(a, "RSA-SHA1");
}

Test(chains, comodo_2011_valid)
{
	struct audited	a;

	login_live(&a, "2011-03-16T00:00:00Z");
	expect_verdict(&a, 0, 1, "");
	audited_free(&a);
}

Test(chains, comodo_2011_expiring)
{
	struct audited	a;

	login_live(&a, "2014-02-20T00:00:00Z");
	expect_verdict(&a, 1, 1, "distrusted-issuer,expiring-soon");
	expect_findings_on(&a, "distrusted-issuer", 1, C_LOGIN_LIVE_LEAF);
	expect_findings_on(&a, "expiring-soon", 1, C_LOGIN_LIVE_LEAF);
	audited_free(&a);
}

Test(chains, comodo_2011_expired)
{
	struct audited	a;

	login_live(&a, "2014-04-01T00:00:00Z");
	expect_verdict(&a, 1, 1, "distrusted-issuer,expired");
	expect_findings_on(&a, "distrusted-issuer", 1, C_LOGIN_LIVE_LEAF);
	expect_findings_on(&a, "expired", 1, C_LOGIN_LIVE_LEAF);
	audited_free(&a);
}

/* ==== crossSigned/ ===================================================== */

/*
 * Let's Encrypt / DST: the 2021-2024 default chain (leaf, R3, ISRG Root
 * X1 cross-signed by DST) with every copy as intermediates.  With both
 * roots trusted the short path to ISRG Root X1 wins; with only DST
 * (an old client) the cross-sign is used and DST, expired 2021-09-30,
 * is reported.  Every link is SHA-256: DST's SHA-1 self-signature is no
 * link.
 */
static const char *
le_long_chain(void)
{
	return subset(FILES(LE_2023 "/chain.pem", X_LE),
	    CERTS(C_LE_LEAF, C_R3, C_ISRG_X1_BY_DST));
}

Test(cross, letsencrypt_both_roots_short_path)
{
	struct audited	a;

	audit(&a, &(struct audit_case){ .chain = le_long_chain(),
	    .at = "2023-07-01T00:00:00Z", .host = "cryptography.io",
	    .ca = { LE_2023 "/roots.pem" }, .im = { X_LE } });
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_LE_LEAF, C_R3, C_ISRG_X1);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, letsencrypt_dst_only_expired_anchor)
{
	struct audited	a;

	audit(&a, &(struct audit_case){ .chain = le_long_chain(),
	    .at = "2023-07-01T00:00:00Z", .host = "cryptography.io",
	    .ca = { subset(FILES(X_LE), CERTS(C_DST_X3)) }, .im = { X_LE } });
	expect_verdict(&a, 1, 1, "expired");
	expect_findings_on(&a, "expired", 1, C_DST_X3);
	EXPECT_PATH(&a, C_LE_LEAF, C_R3, C_ISRG_X1_BY_DST, C_DST_X3);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

/*
 * The DST expiry itself, seen from R3 (2020-2025, signed by ISRG Root
 * X1) as the audited certificate: no leaf of 2021 is in the data set.
 * The target's own signature is fixed; the pool's R3-by-DST copy is
 * another certificate and cannot stand in for it.
 */
static void
le_r3(struct audited *a, const char *at, int dst_only)
{
	audit(a, &(struct audit_case){
	    .chain = subset(FILES(X_LE), CERTS(C_R3)), .at = at,
	    .ca = { dst_only ? subset(FILES(X_LE), CERTS(C_DST_X3)) :
	    subset(FILES(X_LE), CERTS(C_DST_X3, C_ISRG_X1)) },
	    .im = { X_LE } });
}

Test(cross, letsencrypt_r3_dst_only_before_expiry)
{
	struct audited	a;

	le_r3(&a, "2021-06-01T00:00:00Z", 1);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_R3, C_ISRG_X1_BY_DST, C_DST_X3);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, letsencrypt_r3_dst_only_expiring)
{
	struct audited	a;

	le_r3(&a, "2021-09-15T00:00:00Z", 1);
	expect_verdict(&a, 0, 1, "expiring-soon");
	expect_findings_on(&a, "expiring-soon", 1, C_DST_X3);
	EXPECT_PATH(&a, C_R3, C_ISRG_X1_BY_DST, C_DST_X3);
	audited_free(&a);
}

Test(cross, letsencrypt_r3_dst_only_after_expiry)
{
	struct audited	a;

	le_r3(&a, "2021-10-15T00:00:00Z", 1);
	expect_verdict(&a, 1, 1, "expired");
	expect_findings_on(&a, "expired", 1, C_DST_X3);
	EXPECT_PATH(&a, C_R3, C_ISRG_X1_BY_DST, C_DST_X3);
	audited_free(&a);
}

Test(cross, letsencrypt_r3_both_after_expiry)
{
	struct audited	a;

	le_r3(&a, "2021-10-15T00:00:00Z", 0);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_R3, C_ISRG_X1);
	EXPECT_LINKS(&a, "RSA-SHA256");
	audited_free(&a);
}

/*
 * GTS / GlobalSign: GTS Root R1 and R4 are cross-signed (SHA-256) by
 * GlobalSign Root CA, whose own self-signature is SHA-1 and does not
 * count.  Both trusted: the direct path is shorter (and for R4 also
 * stronger, 128 against 112 bits).  GlobalSign only: the cross-sign is
 * used and nothing is flagged.  The cross-signs and GlobalSign end on
 * 2028-01-28, seen from WR2 (to 2029) as the audited certificate.
 */
static void
gts(struct audited *a, const char *dir, const char *at, const char *host,
    int globalsign_only)
{
	audit(a, &(struct audit_case){ .chain = dir, .at = at, .host = host,
	    .ca = { globalsign_only ? subset(FILES(X_GTS),
	    CERTS(C_GLOBALSIGN)) : subset(FILES(X_GTS), CERTS("2a575471e313",
	    "d947432abde7", "349dfa4058c5", "71cca5391f9e", C_GLOBALSIGN)) },
	    .im = { X_GTS } });
}

Test(cross, gts_r1_all_roots_short_path)
{
	struct audited	a;

	gts(&a, GOOGLE "/chain.pem", "2026-03-01T00:00:00Z",
	    "www.google.com", 0);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_GOOGLE_LEAF, C_WR2, C_GTS_R1);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, gts_r1_globalsign_only)
{
	struct audited	a;

	gts(&a, GOOGLE "/chain.pem", "2026-03-01T00:00:00Z",
	    "www.google.com", 1);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_GOOGLE_LEAF, C_WR2, C_GTS_R1_BY_GLOBALSIGN,
	    C_GLOBALSIGN);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, gts_r4_all_roots_short_path)
{
	struct audited	a;

	gts(&a, CLOUDFLARE "/chain.pem", "2026-04-01T00:00:00Z",
	    "cloudflare.com", 0);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_CLOUDFLARE_LEAF, C_WE1, C_GTS_R4);
	EXPECT_LINKS(&a, "ECDSA-SHA256", "ECDSA-SHA384");
	audited_free(&a);
}

Test(cross, gts_r4_globalsign_only)
{
	struct audited	a;

	gts(&a, CLOUDFLARE "/chain.pem", "2026-04-01T00:00:00Z",
	    "cloudflare.com", 1);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_CLOUDFLARE_LEAF, C_WE1, C_GTS_R4_BY_GLOBALSIGN,
	    C_GLOBALSIGN);
	EXPECT_LINKS(&a, "ECDSA-SHA256", "ECDSA-SHA384", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, gts_wr2_globalsign_only_expiring)
{
	struct audited	a;

	gts(&a, subset(FILES(GOOGLE "/chain.pem"), CERTS(C_WR2)),
	    "2028-01-10T00:00:00Z", NULL, 1);
	expect_verdict(&a, 0, 1, "expiring-soon,expiring-soon");
	expect_findings_on(&a, "expiring-soon", 2,
	    C_GTS_R1_BY_GLOBALSIGN "|" C_GLOBALSIGN);
	EXPECT_PATH(&a, C_WR2, C_GTS_R1_BY_GLOBALSIGN, C_GLOBALSIGN);
	audited_free(&a);
}

Test(cross, gts_wr2_globalsign_only_expired)
{
	struct audited	a;

	gts(&a, subset(FILES(GOOGLE "/chain.pem"), CERTS(C_WR2)),
	    "2028-02-15T00:00:00Z", NULL, 1);
	expect_verdict(&a, 1, 1, "expired,expired");
	expect_findings_on(&a, "expired", 2,
	    C_GTS_R1_BY_GLOBALSIGN "|" C_GLOBALSIGN);
	EXPECT_PATH(&a, C_WR2, C_GTS_R1_BY_GLOBALSIGN, C_GLOBALSIGN);
	audited_free(&a);
}

Test(cross, gts_wr2_all_roots_after_globalsign_expiry)
{
	struct audited	a;

	gts(&a, subset(FILES(GOOGLE "/chain.pem"), CERTS(C_WR2)),
	    "2028-02-15T00:00:00Z", NULL, 0);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_WR2, C_GTS_R1);
	audited_free(&a);
}

/*
 * DigiCert / Baltimore: DigiCert Global Root CA is cross-signed by
 * Baltimore with SHA-256, valid only from 2016-12-07 to 2025-05-10.
 */
static void
digicert(struct audited *a, const char *chain, const char *at,
    const char *host, int baltimore_only)
{
	audit(a, &(struct audit_case){ .chain = chain, .at = at, .host = host,
	    .ca = { baltimore_only ? subset(FILES(X_DIGICERT),
	    CERTS(C_BALTIMORE)) : subset(FILES(X_DIGICERT),
	    CERTS(C_BALTIMORE, C_DC_GLOBAL)) }, .im = { X_DIGICERT } });
}

/* Before its notBefore the cross-sign is the only way up: not valid. */
Test(cross, digicert_sha1_2017_baltimore_only_cross_not_yet_valid)
{
	struct audited	a;

	digicert(&a, SHA1_2017 "/chain.pem", "2016-06-01T00:00:00Z",
	    "sha1-2017.badssl.com", 1);
	expect_verdict(&a, 1, 1,
	    "not-yet-valid,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "not-yet-valid", 1, C_DC_GLOBAL_BY_BALT);
	expect_findings_on(&a, "sha1-only-link", 2,
	    C_SHA1_2017_LEAF "|" C_DC_SECURE_SERVER);
	EXPECT_PATH(&a, C_SHA1_2017_LEAF, C_DC_SECURE_SERVER,
	    C_DC_GLOBAL_BY_BALT, C_BALTIMORE);
	EXPECT_LINKS(&a, "RSA-SHA1", "RSA-SHA1", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, digicert_sha1_2017_baltimore_only_cross_valid)
{
	struct audited	a;

	digicert(&a, SHA1_2017 "/chain.pem", "2016-12-20T00:00:00Z",
	    "sha1-2017.badssl.com", 1);
	expect_verdict(&a, 1, 1,
	    "expiring-soon,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "expiring-soon", 1, C_SHA1_2017_LEAF);
	EXPECT_PATH(&a, C_SHA1_2017_LEAF, C_DC_SECURE_SERVER,
	    C_DC_GLOBAL_BY_BALT, C_BALTIMORE);
	EXPECT_LINKS(&a, "RSA-SHA1", "RSA-SHA1", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, digicert_sha1_2017_both_short_path)
{
	struct audited	a;

	digicert(&a, SHA1_2017 "/chain.pem", "2016-12-20T00:00:00Z",
	    "sha1-2017.badssl.com", 0);
	expect_verdict(&a, 1, 1,
	    "expiring-soon,sha1-only-link,sha1-only-link");
	EXPECT_PATH(&a, C_SHA1_2017_LEAF, C_DC_SECURE_SERVER, C_DC_GLOBAL);
	EXPECT_LINKS(&a, "RSA-SHA1", "RSA-SHA1");
	audited_free(&a);
}

Test(cross, digicert_sha2_baltimore_only)
{
	struct audited	a;

	digicert(&a, DC_SHA2 "/chain.pem", "2021-06-01T00:00:00Z",
	    "badssl.com", 1);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_DC_SHA2_LEAF, C_DC_SHA2_CA, C_DC_GLOBAL_BY_BALT,
	    C_BALTIMORE);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

/* The cross-sign and Baltimore end in May 2025, seen from the re-issued
 * DigiCert SHA2 Secure Server CA (to 2030) as the audited certificate. */
static const char *
dc_sha2_ca_2020(void)
{
	return subset(FILES(DC_SHA2 "/alternates.pem"),
	    CERTS(C_DC_SHA2_CA_2020));
}

Test(cross, digicert_ca_baltimore_only_expiring)
{
	struct audited	a;

	digicert(&a, dc_sha2_ca_2020(), "2025-04-20T00:00:00Z", NULL, 1);
	expect_verdict(&a, 0, 1, "expiring-soon,expiring-soon");
	expect_findings_on(&a, "expiring-soon", 2,
	    C_DC_GLOBAL_BY_BALT "|" C_BALTIMORE);
	EXPECT_PATH(&a, C_DC_SHA2_CA_2020, C_DC_GLOBAL_BY_BALT, C_BALTIMORE);
	audited_free(&a);
}

Test(cross, digicert_ca_baltimore_only_expired)
{
	struct audited	a;

	digicert(&a, dc_sha2_ca_2020(), "2025-06-01T00:00:00Z", NULL, 1);
	expect_verdict(&a, 1, 1, "expired,expired");
	expect_findings_on(&a, "expired", 2,
	    C_DC_GLOBAL_BY_BALT "|" C_BALTIMORE);
	EXPECT_PATH(&a, C_DC_SHA2_CA_2020, C_DC_GLOBAL_BY_BALT, C_BALTIMORE);
	audited_free(&a);
}

Test(cross, digicert_ca_both_after_baltimore_expiry)
{
	struct audited	a;

	digicert(&a, dc_sha2_ca_2020(), "2025-06-01T00:00:00Z", NULL, 0);
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_DC_SHA2_CA_2020, C_DC_GLOBAL);
	EXPECT_LINKS(&a, "RSA-SHA256");
	audited_free(&a);
}

/*
 * COMODO / USERTrust / AddTrust / UTN: COMODO RSA CA exists self-signed
 * and cross-signed (SHA-384) by AddTrust and by AAA; AddTrust is in
 * turn cross-signed with SHA-1 by the older UTN roots.
 */
static void
comodo_x(struct audited *a, const char *chain, const char *at,
    const char *host, const char *ca)
{
	audit(a, &(struct audit_case){ .chain = chain, .at = at, .host = host,
	    .ca = { ca }, .im = { X_COMODO } });
}

Test(cross, comodo_all_roots_short_path)
{
	struct audited	a;

	comodo_x(&a, COMODO_DV "/chain.pem", "2016-03-01T00:00:00Z",
	    "badssl.com", COMODO_DV "/roots.pem");
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_COMODO_DV_LEAF, C_COMODO_DV_CA, C_COMODO_RSA);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA384");
	audited_free(&a);
}

Test(cross, comodo_addtrust_only)
{
	struct audited	a;

	comodo_x(&a, COMODO_DV "/chain.pem", "2016-03-01T00:00:00Z",
	    "badssl.com", subset(FILES(X_COMODO), CERTS(C_ADDTRUST)));
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_COMODO_DV_LEAF, C_COMODO_DV_CA,
	    C_COMODO_RSA_BY_ADDTRUST, C_ADDTRUST);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA384", "RSA-SHA384");
	audited_free(&a);
}

Test(cross, comodo_aaa_only)
{
	struct audited	a;

	comodo_x(&a, COMODO_DV "/chain.pem", "2016-03-01T00:00:00Z",
	    "badssl.com", subset(FILES(X_COMODO), CERTS(C_AAA)));
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_COMODO_DV_LEAF, C_COMODO_DV_CA,
	    C_COMODO_RSA_BY_AAA, C_AAA);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA384", "RSA-SHA384");
	audited_free(&a);
}

/* Only the 1999 UTN root: the SHA-1 AddTrust-by-UTN cross-sign is used. */
Test(cross, comodo_utn_only_sha1_cross_flagged)
{
	struct audited	a;

	comodo_x(&a, COMODO_DV "/chain.pem", "2016-03-01T00:00:00Z",
	    "badssl.com", subset(FILES(X_COMODO), CERTS(C_UTN_HW)));
	expect_verdict(&a, 1, 1, "sha1-only-link");
	expect_findings_on(&a, "sha1-only-link", 1, C_ADDTRUST_BY_UTNHW);
	EXPECT_PATH(&a, C_COMODO_DV_LEAF, C_COMODO_DV_CA,
	    C_COMODO_RSA_BY_ADDTRUST, C_ADDTRUST_BY_UTNHW, C_UTN_HW);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA384", "RSA-SHA384",
	    "RSA-SHA1");
	audited_free(&a);
}

Test(cross, comodo_sha1_2016_utn_only)
{
	struct audited	a;

	comodo_x(&a, SHA1_2016 "/chain.pem", "2016-03-01T00:00:00Z",
	    "sha1-2016.badssl.com", subset(FILES(X_COMODO), CERTS(C_UTN_HW)));
	expect_verdict(&a, 1, 1,
	    "sha1-only-link,sha1-only-link,sha1-only-link");
	expect_findings_on(&a, "sha1-only-link", 3, C_SHA1_2016_LEAF "|"
	    C_POSITIVESSL_CA2 "|" C_ADDTRUST_BY_UTNHW);
	EXPECT_PATH(&a, C_SHA1_2016_LEAF, C_POSITIVESSL_CA2,
	    C_ADDTRUST_BY_UTNHW, C_UTN_HW);
	EXPECT_LINKS(&a, "RSA-SHA1", "RSA-SHA1", "RSA-SHA1");
	audited_free(&a);
}

/*
 * The AddTrust expiry of 2020-05-30, seen from the DV CA (to 2029) as
 * the audited certificate (alone: an input of CA certificates only is
 * audited as a bundle).  With only AddTrust trusted the COMODO RSA CA
 * cross-sign and AddTrust itself run out together; with AAA trusted as
 * well the AAA cross-sign takes over once they have.
 */
static const char *
comodo_dv_ca(void)
{
	return subset(FILES(COMODO_DV "/chain.pem"), CERTS(C_COMODO_DV_CA));
}

Test(cross, comodo_addtrust_only_before_addtrust_expiry)
{
	struct audited	a;

	comodo_x(&a, comodo_dv_ca(), "2020-05-15T00:00:00Z", NULL,
	    subset(FILES(X_COMODO), CERTS(C_ADDTRUST)));
	expect_verdict(&a, 0, 1, "expiring-soon,expiring-soon");
	expect_findings_on(&a, "expiring-soon", 2,
	    C_COMODO_RSA_BY_ADDTRUST "|" C_ADDTRUST);
	EXPECT_PATH(&a, C_COMODO_DV_CA, C_COMODO_RSA_BY_ADDTRUST, C_ADDTRUST);
	EXPECT_LINKS(&a, "RSA-SHA384", "RSA-SHA384");
	audited_free(&a);
}

Test(cross, comodo_addtrust_only_after_addtrust_expiry)
{
	struct audited	a;

	comodo_x(&a, comodo_dv_ca(), "2020-06-15T00:00:00Z", NULL,
	    subset(FILES(X_COMODO), CERTS(C_ADDTRUST)));
	expect_verdict(&a, 1, 1, "expired,expired");
	expect_findings_on(&a, "expired", 2,
	    C_COMODO_RSA_BY_ADDTRUST "|" C_ADDTRUST);
	EXPECT_PATH(&a, C_COMODO_DV_CA, C_COMODO_RSA_BY_ADDTRUST, C_ADDTRUST);
	audited_free(&a);
}

Test(cross, comodo_addtrust_aaa_after_addtrust_expiry)
{
	struct audited	a;

	comodo_x(&a, comodo_dv_ca(), "2020-06-15T00:00:00Z", NULL,
	    subset(FILES(X_COMODO), CERTS(C_ADDTRUST, C_AAA)));
	expect_verdict(&a, 0, 1, "");
	EXPECT_PATH(&a, C_COMODO_DV_CA, C_COMODO_RSA_BY_AAA, C_AAA);
	EXPECT_LINKS(&a, "RSA-SHA384", "RSA-SHA384");
	audited_free(&a);
}

/*
 * thawte Primary Root CA / Thawte Premium Server CA: the 2006 root is
 * cross-signed with SHA-1 by the 1996 RSA-1024 Premium Server root,
 * which exists with SHA-1 and MD5 self-signatures.  Trusting only the
 * old root uses the SHA-1 cross-sign (flagged) and a 1024-bit anchor
 * (weak-key), and the anchor's MD5 self-signature is never a finding.
 * The leaf is the precertificate above, hence precertificate each time.
 */
static void
thawte_x(struct audited *a, const char *ca)
{
	audit(a, &(struct audit_case){ .chain = THAWTE "/chain.pem",
	    .at = "2015-09-14T12:00:00Z", .host = "www.google.com",
	    .ca = { ca }, .im = { THAWTE "/alternates.pem", X_THAWTE } });
}

Test(cross, thawte_all_roots_short_path)
{
	struct audited	a;

	thawte_x(&a, THAWTE "/roots.pem");
	expect_verdict(&a, 1, 1,
	    "distrusted-issuer,expiring-soon,precertificate");
	expect_findings_on(&a, "distrusted-issuer", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "precertificate", 1, C_THAWTE_LEAF);
	EXPECT_PATH(&a, C_THAWTE_LEAF, C_THAWTE_EV_G3, C_THAWTE_PRIMARY);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256");
	audited_free(&a);
}

Test(cross, thawte_premium_only_sha1_cross_flagged)
{
	struct audited	a;

	thawte_x(&a, subset(FILES(X_THAWTE),
	    CERTS(C_PREMIUM_SHA1, C_PREMIUM_MD5)));
	expect_verdict(&a, 1, 1, "distrusted-issuer,expiring-soon,"
	    "missing-key-identifier,precertificate,sha1-only-link,weak-key");
	/* The cross-certificate has no authorityKeyIdentifier. */
	expect_findings_on(&a, "missing-key-identifier", 1,
	    C_THAWTE_PRIMARY_BY_PREMIUM);
	expect_findings_on(&a, "distrusted-issuer", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "precertificate", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "sha1-only-link", 1,
	    C_THAWTE_PRIMARY_BY_PREMIUM);
	expect_findings_on(&a, "weak-key", 1, C_PREMIUM);
	EXPECT_PATH(&a, C_THAWTE_LEAF, C_THAWTE_EV_G3,
	    C_THAWTE_PRIMARY_BY_PREMIUM, C_PREMIUM);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256", "RSA-SHA1");
	audited_free(&a);
}

Test(cross, thawte_premium_md5_copy_only)
{
	struct audited	a;

	thawte_x(&a, subset(FILES(X_THAWTE), CERTS(C_PREMIUM_MD5)));
	expect_verdict(&a, 1, 1, "distrusted-issuer,expiring-soon,"
	    "missing-key-identifier,precertificate,sha1-only-link,weak-key");
	/* The cross-certificate has no authorityKeyIdentifier. */
	expect_findings_on(&a, "missing-key-identifier", 1,
	    C_THAWTE_PRIMARY_BY_PREMIUM);
	expect_findings_on(&a, "distrusted-issuer", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "precertificate", 1, C_THAWTE_LEAF);
	expect_findings_on(&a, "weak-key", 1, C_PREMIUM);
	EXPECT_PATH(&a, C_THAWTE_LEAF, C_THAWTE_EV_G3,
	    C_THAWTE_PRIMARY_BY_PREMIUM, C_PREMIUM);
	EXPECT_LINKS(&a, "RSA-SHA256", "RSA-SHA256", "RSA-SHA1");
	audited_free(&a);
}

/* ---- by default: what a careful browser said on the day ----------------- */

/*
 * Issue 12's bar: every real chain, as served and as a hosting table
 * often holds it (the leaf alone), gets the verdict a careful browser
 * would have given on the --at date with no trust option at all: then
 * Mozilla's store as of that date decides (the default for a past
 * --at), the known-CA corpus supplies what was not sent (and
 * incomplete-chain says the server must send it), and every vendor's
 * distrust decision that had taken effect applies.
 */
struct browser_case {
	const char	*dir;		/* under chains/ */
	const char	*at;
	const char	*full;		/* finding codes, sorted */
	const char	*leaf;		/* the same for the leaf alone */
	int		 status;	/* exit status of the full chain */
};

static const struct browser_case browser_cases[] = {
	/* Ordinary chains of their day: pass; alone, the intermediate is
	 * named for the server to send. */
	{ "badssl-comodo-rsa-dv-2016", "2016-03-01T00:00:00Z", "",
	    "incomplete-chain", 0 },
	{ "badssl-digicert-ecc-2020", "2021-01-01T00:00:00Z", "",
	    "incomplete-chain", 0 },
	{ "badssl-digicert-sha2-2020", "2021-01-01T00:00:00Z", "",
	    "incomplete-chain", 0 },
	{ "letsencrypt-cryptography.io-2023", "2023-07-01T00:00:00Z",
	    "unnecessary-root", "incomplete-chain", 0 },
	{ "modern-cloudflare.com-2026", "2026-04-01T00:00:00Z", "",
	    "incomplete-chain", 0 },
	{ "modern-google.com-2026", "2026-03-01T00:00:00Z", "",
	    "incomplete-chain", 0 },
	/* Symantec: fine in 2017, distrusted by Chrome 70 (2018-10-16). */
	{ "badssl-geotrust-rapidssl-2016", "2017-06-01T00:00:00Z", "",
	    "incomplete-chain", 0 },
	{ "badssl-geotrust-rapidssl-2016", "2018-11-01T00:00:00Z",
	    "distrusted-issuer,expiring-soon",
	    "distrusted-issuer,expiring-soon,incomplete-chain", 1 },
	/* SHA-1 past the sunset, however the chain is sent. */
	{ "badssl-wildcard-sha1-2016", "2016-03-01T00:00:00Z",
	    "sha1-only-link,sha1-only-link",
	    "incomplete-chain,sha1-only-link,sha1-only-link", 1 },
	{ "badssl-wildcard-sha1-2017", "2016-03-01T00:00:00Z",
	    "sha1-only-link,sha1-only-link",
	    "incomplete-chain,sha1-only-link,sha1-only-link", 1 },
	{ "badssl-wildcard-sha1-intermediate", "2018-01-01T00:00:00Z",
	    "sha1-only-link", "incomplete-chain,sha1-only-link", 1 },
	/* Blocked certificates, from the day the vendors blocked them. */
	{ "comodo-2011-login.live.com", "2011-04-01T00:00:00Z",
	    "distrusted-issuer", "distrusted-issuer", 1 },
	{ "thawte-google-precert-2015", "2015-09-14T12:00:00Z",
	    "distrusted-issuer,expiring-soon,incomplete-chain,precertificate",
	    "distrusted-issuer,expiring-soon,incomplete-chain,precertificate",
	    1 },
	/* StartCom in 2010, before any distrust and the SHA-1 sunset: the
	 * SHA-256 re-issue of its intermediate is known, so the SHA-1 copy
	 * sent is a warning only. */
	{ "startcom-dnssec-exp-2010", "2010-12-01T00:00:00Z",
	    "weaker-copy-sent", "incomplete-chain", 0 },
	/* WoSign, served alone: trusted in 2016, distrusted by Chrome 61
	 * (2017-09-05) afterwards. */
	{ "wosign-hycom.at-2016", "2016-09-15T00:00:00Z", "incomplete-chain",
	    "incomplete-chain", 1 },
	{ "wosign-hycom.at-2016", "2017-11-01T00:00:00Z",
	    "distrusted-issuer,incomplete-chain",
	    "distrusted-issuer,incomplete-chain", 1 },
};

/* Audit file by default at at: no trust option, JSON out. */
static void
audit_default(struct audited *a, const char *file, const char *at)
{
	const char *argv[] = { "--format", "json", "--at", at, file, NULL };

	memset(a, 0, sizeof(*a));
	run_chainaudit(&a->r, argv, NULL);
	a->root = run_json(&a->r);
	cr_assert(json_object_object_get_ex(a->root, "targets", &a->t) &&
	    json_object_array_length(a->t) == 1, "%s", a->r.out);
	a->t = json_object_array_get_idx(a->t, 0);
}

/* The leaf of the chain file at path, alone, into a temp file (owned). */
static char *
leaf_alone(const char *path)
{
	struct der_list l;
	unsigned char *buf;
	char err[ERRBUF_LEN], *tmp;
	size_t len;
	FILE *fp;
	int fd;

	cr_assert(file_read_all(path, &buf, &len, err, sizeof(err)) == 0,
	    "%s: %s", path, err);
	memset(&l, 0, sizeof(l));
	cr_assert(pem_decode(buf, len, &l) == 0 && l.n > 0);
	cr_assert_not_null(tmp = strdup("/tmp/chainaudit-leaf-XXXXXX"));
	cr_assert((fd = mkstemp(tmp)) >= 0);
	cr_assert_not_null(fp = fdopen(fd, "wb"));
	fwrite(l.v[0].der, 1, l.v[0].len, fp);
	cr_assert(fclose(fp) == 0);
	der_list_free(&l);
	free(buf);
	return tmp;
}

static void
expect_browser_verdict(const struct browser_case *bc)
{
	struct audited a;
	struct json_object *v;
	char *chain, *leaf, rel[256], codes[512];

	snprintf(rel, sizeof(rel), "chains/%s/chain.pem", bc->dir);
	chain = data_path(rel);
	leaf = leaf_alone(chain);

	audit_default(&a, chain, bc->at);
	cr_expect(json_object_object_get_ex(a.t, "trusted", &v) &&
	    json_object_get_boolean(v), "%s at %s: not trusted\n%s", bc->dir,
	    bc->at, a.r.out);
	cr_expect_str_eq(json_finding_codes(a.t, codes, sizeof(codes)),
	    bc->full, "%s at %s, as served", bc->dir, bc->at);
	cr_expect_eq(a.r.status, bc->status, "%s at %s: exit %d", bc->dir,
	    bc->at, a.r.status);
	/* The default store, named in the report. */
	cr_expect(json_object_object_get_ex(a.root, "trust_store_default",
	    &v), "%s: no trust_store_default", bc->dir);
	audited_free(&a);

	audit_default(&a, leaf, bc->at);
	cr_expect(json_object_object_get_ex(a.t, "trusted", &v) &&
	    json_object_get_boolean(v), "%s at %s, leaf alone: not trusted\n%s",
	    bc->dir, bc->at, a.r.out);
	cr_expect_str_eq(json_finding_codes(a.t, codes, sizeof(codes)),
	    bc->leaf, "%s at %s, leaf alone", bc->dir, bc->at);
	audited_free(&a);
	unlink(leaf);
	free(leaf);
	free(chain);
}

TestSuite(by_default);

Test(by_default, every_real_chain_gets_a_careful_browsers_verdict)
{
	size_t i;

	(void)data_dir();	/* skips without ../shared */
	for (i = 0; i < sizeof(browser_cases) / sizeof(browser_cases[0]);
	    i++)
		expect_browser_verdict(&browser_cases[i]);
}
