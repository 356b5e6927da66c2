/*
 * limbo.c: run chainaudit on the C2SP x509-limbo path-validation suite,
 * with GnuTLS's own verifier side by side, and count where each agrees
 * with the expected result.
 *
 * usage: limbo [--write-failures FILE] limbo.json
 *
 * Each SERVER testcase becomes one audit: trusted_certs are the trust
 * anchors, untrusted_intermediates the intermediates pool, the peer
 * certificate the input, expected_peer_name the host.  chainaudit says
 * SUCCESS when the audit is trusted and has no finding of severity
 * error.  The same case is handed to gnutls_x509_trust_list_verify_crt2
 * (peer followed by the intermediates, hostname or IP, purpose
 * serverAuth, SHA-1 signatures allowed, no verification profile: GnuTLS's
 * default, which takes 1024-bit RSA and P-192 keys).
 *
 * Time.  Both verifiers judge at the case's validation_time, truncated to
 * whole seconds (X.509 times have no fractions, so 00:00:00.005 is still
 * within a notAfter of 00:00:00).  A null validation_time means "now" to
 * limbo; a fixed LIMBO_DEFAULT_TIME stands in so runs are repeatable (every
 * certificate of those cases is valid then except the one that is meant
 * to have expired).  GnuTLS has no verification-time parameter; its
 * library clock is set with gnutls_global_set_time_function(), which its
 * path validation reads, so GnuTLS too is evaluated at the case's time.
 *
 * Profile.  chainaudit judges rfc5280:: and pathlen:: cases with
 * --profile rfc5280 (pathlen:: puts a CA in the leaf's place to show the
 * leaf does not count), every other family with --profile webpki; the
 * rfc5280:: and webpki:: families test certificate form, the trust
 * anchors' included, so they run with --strict-anchors.  A
 * max_chain_depth is chainaudit's --max-depth (GnuTLS is given none).
 *
 * Skipped, for both verifiers alike, are cases that test what chainaudit
 * does not model at all: CLIENT validation, caller constraints on
 * signature algorithms, key usage or extended key usage beyond what a
 * TLS server needs (serverAuth; digitalSignature or keyEncipherment,
 * which chainaudit checks anyway), e-mail peer names, several expected
 * peer names, and CRL cases that expect FAILURE (revocation may be why;
 * a CRL case expecting SUCCESS is run, as ignoring CRLs cannot turn it
 * into a failure).  Everything else counts: failures are listed with
 * their reason.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-c/json.h>

#include "judge.h"

#define LIMBO_DEFAULT_TIME	((time_t)1704067200) /* 2024-01-01T00:00:00Z */
#define LIMBO_DEFAULT_TIME_S	"2024-01-01T00:00:00Z"
#define SKIP_CLIENT		"CLIENT validation kind"

enum outcome {
	OUT_PASS = 0,
	OUT_FAIL,
	OUT_SKIP,
	OUT__COUNT
};

enum host_kind {
	HOST_NONE = 0,
	HOST_DNS,
	HOST_IP,
};

/* One testcase as the verifiers need it; strings borrowed from the JSON. */
struct tcase {
	const char		*id;
	int			 expect;	/* 1: SUCCESS expected */
	time_t			 now;
	enum host_kind		 host_kind;
	const char		*host;
	struct json_object	*trusted;	/* array of PEM strings */
	struct json_object	*untrusted;	/* array of PEM strings */
	struct json_object	*crls;		/* array of PEM CRLs, or NULL */
	const char		*peer;		/* PEM */
	size_t			 peer_len;
	enum profile		 profile;	/* by the id's namespace */
	int			 strict_anchors; /* anchors' form is tested */
	int			 max_depth_set;	/* max_chain_depth given */
	unsigned		 max_depth;
};

/* What became of one testcase. */
struct result {
	const char	*id;		/* borrowed from the JSON tree */
	char		 family[64];
	int		 expect;	/* 1: SUCCESS */
	const char	*skip;		/* static reason, or NULL */
	int		 ca_ok;		/* chainaudit said SUCCESS */
	int		 gt_ok;		/* GnuTLS said SUCCESS */
	char		*ca_detail;	/* owned: what decided chainaudit */
	char		*gt_detail;	/* owned: GnuTLS status */
};

struct family {
	const char	*name;		/* borrowed from a result */
	unsigned	 ca[OUT__COUNT];
	unsigned	 gt[OUT__COUNT];
};

/*
 * Why chainaudit fails a testcase it runs, by id pattern: features of
 * limbo that chainaudit does not implement.  A failure that matches none
 * is "unclassified" and deserves a look: it may be a bug.
 */
static const struct {
	const char	*pattern;	/* fnmatch(3) over the id; first wins */
	const char	*reason;
} failure_reasons[] = {
	{ "webpki::nc::nc-permits-dns-san-pattern",
	    "limbo contradicts webpki::cn::*: the leaf's CN example.com "
	    "copies no SAN entry (CA/B BR 7.1.4.3), yet SUCCESS is expected" },
	{ "webpki::san::exact-localhost-ip-san",
	    "limbo contradicts webpki::cn::*: the leaf's CN example.com "
	    "copies no SAN entry (CA/B BR 7.1.4.3), yet SUCCESS is expected" },
	{ "webpki::san::leftmost-wildcard-san",
	    "limbo contradicts webpki::cn::*: the leaf's CN example.com "
	    "copies no SAN entry (CA/B BR 7.1.4.3), yet SUCCESS is expected" },
};

/*
 * GnuTLS's library clock, the only way to make its path validation judge
 * at a given instant.  The hook takes no argument, so the instant is the
 * one piece of global state here: set before each verification, read by
 * the hook.
 */
static time_t limbo_clock;

static time_t
limbo_time(time_t *t)
{
	if (t != NULL)
		*t = limbo_clock;
	return limbo_clock;
}

static void
usage(void)
{
	fprintf(stderr, "usage: limbo [--write-failures FILE] limbo.json\n");
}

/* Tabs and newlines would break the TSV line. */
static void
flatten(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			*s = ' ';
}

/*
 * Parse an RFC 3339 instant (YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM))
 * into whole seconds, dropping the fraction.  0 or -1.
 */
static int
parse_rfc3339(const char *s, time_t *out)
{
	char base[32];
	const char *p;
	time_t t;
	int sign, oh, om;

	if (strlen(s) < 19)
		return -1;
	memcpy(base, s, 19);
	memcpy(base + 19, "Z", 2);
	if (time_parse_iso8601(base, &t) < 0)
		return -1;
	p = s + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			continue;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*out = t;
		return 0;
	}
	if ((*p != '+' && *p != '-') || sscanf(p + 1, "%2d:%2d", &oh,
	    &om) != 2 || strlen(p) != 6)
		return -1;
	sign = *p == '+' ? 1 : -1;
	*out = t - sign * (time_t)(oh * 3600 + om * 60);
	return 0;
}

static const char *
json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int
json_array_nonempty(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) > 0;
}

static struct json_object *
json_array(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/*
 * What chainaudit asks of every server chain anyway: a leaf usable for
 * serverAuth (leaf-eku) whose keyUsage allows a TLS server's use of the
 * key (leaf-key-usage).  A case asking for no more runs.
 */
static const char *const server_ekus[] = { "serverAuth", NULL };
static const char *const server_key_usages[] = { "digitalSignature",
    "keyEncipherment", NULL };

/* 1 when every string of the array o[key] (absent: none) is in allowed. */
static int
strings_within(struct json_object *o, const char *key,
    const char *const *allowed)
{
	struct json_object *arr;
	const char *s;
	size_t i, k;

	if ((arr = json_array(o, key)) == NULL)
		return 1;
	for (i = 0; i < json_object_array_length(arr); i++) {
		s = json_object_get_string(json_object_array_get_idx(arr, i));
		for (k = 0; s != NULL && allowed[k] != NULL; k++)
			if (strcmp(s, allowed[k]) == 0)
				break;
		if (s == NULL || allowed[k] == NULL)
			return 0;
	}
	return 1;
}

/*
 * Read testcase o into t, and the reason to skip it (static) into *skip.
 * 0, or -1 with a reason in err when the testcase is malformed.
 */
static int
tcase_read(struct json_object *o, struct tcase *t, const char **skip,
    char *err, size_t errlen)
{
	struct json_object *v, *name;
	const char *s, *kind;

	memset(t, 0, sizeof(*t));
	*skip = NULL;
	if ((t->id = json_str(o, "id")) == NULL) {
		snprintf(err, errlen, "testcase without an id");
		return -1;
	}
	if ((s = json_str(o, "expected_result")) == NULL ||
	    (strcmp(s, "SUCCESS") != 0 && strcmp(s, "FAILURE") != 0)) {
		snprintf(err, errlen, "%s: bad expected_result", t->id);
		return -1;
	}
	t->expect = strcmp(s, "SUCCESS") == 0;
	/*
	 * rfc5280:: and pathlen:: cases test RFC 5280 alone (a CA as the
	 * leaf is how pathlen:: tests that the leaf does not count); the
	 * others (webpki::, and cve::, online:: ... which hold for both)
	 * what a browser accepts.
	 */
	t->profile = strncmp(t->id, "rfc5280::", 9) == 0 ||
	    strncmp(t->id, "pathlen::", 9) == 0 ? PROFILE_RFC5280 :
	    PROFILE_WEBPKI;
	/*
	 * The rfc5280:: and webpki:: families test certificate form, the
	 * trust anchors' included (--strict-anchors); the others test path
	 * validation, and online:: ends at real root-program roots, trusted
	 * by name and key as browsers trust them.
	 */
	t->strict_anchors = strncmp(t->id, "rfc5280::", 9) == 0 ||
	    strncmp(t->id, "webpki::", 8) == 0;
	t->now = LIMBO_DEFAULT_TIME;
	if ((s = json_str(o, "validation_time")) != NULL &&
	    parse_rfc3339(s, &t->now) < 0) {
		snprintf(err, errlen, "%s: bad validation_time '%s'", t->id, s);
		return -1;
	}
	t->trusted = json_array(o, "trusted_certs");
	t->untrusted = json_array(o, "untrusted_intermediates");
	t->crls = json_array(o, "crls");	/* may be absent: none */
	if ((t->peer = json_str(o, "peer_certificate")) == NULL ||
	    t->trusted == NULL || t->untrusted == NULL) {
		snprintf(err, errlen, "%s: missing certificates", t->id);
		return -1;
	}
	t->peer_len = strlen(t->peer);

	if (json_object_object_get_ex(o, "expected_peer_name", &name) &&
	    json_object_is_type(name, json_type_object)) {
		kind = json_str(name, "kind");
		t->host = json_str(name, "value");
		if (kind != NULL && strcmp(kind, "DNS") == 0)
			t->host_kind = HOST_DNS;
		else if (kind != NULL && strcmp(kind, "IP") == 0)
			t->host_kind = HOST_IP;
		else
			*skip = "e-mail (RFC822) peer name";
		if (t->host == NULL) {
			snprintf(err, errlen, "%s: peer name without value",
			    t->id);
			return -1;
		}
	}

	if ((s = json_str(o, "validation_kind")) == NULL ||
	    strcmp(s, "SERVER") != 0)
		*skip = SKIP_CLIENT;
	else if (json_object_object_get_ex(o, "max_chain_depth", &v) &&
	    !json_object_is_type(v, json_type_null) &&
	    (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) < 0))
		*skip = "max_chain_depth not a count";
	else if (json_array_nonempty(o, "signature_algorithms"))
		*skip = "signature_algorithms constraint";
	else if (!strings_within(o, "key_usage", server_key_usages))
		*skip = "key_usage constraint beyond a TLS server's";
	else if (!strings_within(o, "extended_key_usage", server_ekus))
		*skip = "extended_key_usage constraint beyond serverAuth";
	else if (json_array_nonempty(o, "expected_peer_names"))
		*skip = "several expected peer names";
	if (json_object_object_get_ex(o, "max_chain_depth", &v) &&
	    json_object_is_type(v, json_type_int)) {
		t->max_depth_set = 1;
		t->max_depth = (unsigned)json_object_get_int(v);
	}
	return 0;
}

/* ---- chainaudit ------------------------------------------------------- */

/* What the audit sink keeps of the audits of one testcase. */
struct capture {
	int		 naudits;
	int		 ok;		/* every audit trusted, no error finding */
	FILE		*detail;	/* memstream: what decided */
};

static int
capture_audit(struct audit *a, void *arg)
{
	struct capture *cap = arg;
	const struct path *p;
	size_t i;
	int ok;

	ok = a->error == NULL && a->trusted && a->worst < SEV_ERROR;
	/*
	 * limbo's verifiers fail closed on a CRL they were given and cannot
	 * use; chainaudit warns (crl-invalid) and says why: count it as the
	 * failure limbo expects.
	 */
	for (i = 0; i < a->nfindings; i++)
		if (a->findings[i].id == FIND_CRL_INVALID)
			ok = 0;
	if (!ok)
		cap->ok = 0;
	if (cap->naudits++ > 0)
		fprintf(cap->detail, " | ");
	if (a->error != NULL)
		fprintf(cap->detail, "error: %s", a->error);
	else if (a->paths == NULL || !a->paths->have_chosen)
		fprintf(cap->detail, "no path");
	else {
		p = &a->paths->chosen;
		fprintf(cap->detail, "chosen path %s, %zu node%s (%zu "
		    "complete path%s found)", p->complete ? "complete" :
		    p->broken_link ? "stops at a bad signature" : "partial",
		    p->len, p->len == 1 ? "" : "s", a->paths->complete_paths,
		    a->paths->complete_paths == 1 ? "" : "s");
	}
	fprintf(cap->detail, ", %strusted", a->trusted ? "" : "un");
	if (a->bundle_entry)
		fprintf(cap->detail, " (audited as a CA bundle entry)");
	for (i = 0; i < a->nfindings; i++) {
		const struct finding *f = &a->findings[i];

		if (finding_info(f->id)->severity >= SEV_ERROR)
			fprintf(cap->detail, "; %s: %s",
			    finding_info(f->id)->code, f->message);
		else
			fprintf(cap->detail, "; %s", finding_info(f->id)->code);
	}
	audit_free(a);
	return 0;
}

/*
 * Add every certificate of the PEM strings in arr to store as kind;
 * those that do not decode or parse are described in detail.  0 or -1.
 */
static int
store_add_pems(struct trust_store *store, struct json_object *arr,
    enum trust_kind kind, const char *what, FILE *detail)
{
	struct der_list blobs;
	struct cert *c;
	const char *pem;
	char err[ERRBUF_LEN];
	size_t i, j;
	int ret = -1;

	memset(&blobs, 0, sizeof(blobs));
	for (i = 0; i < json_object_array_length(arr); i++) {
		pem = json_object_get_string(json_object_array_get_idx(arr, i));
		if (pem == NULL)
			continue;
		if (pem_decode((const unsigned char *)pem, strlen(pem),
		    &blobs) < 0)
			goto out;
		for (j = 0; j < blobs.nerrors; j++)
			fprintf(detail, "%s[%zu]: %s; ", what, i,
			    blobs.errors[j]);
		for (j = 0; j < blobs.n; j++) {
			c = cert_parse(blobs.v[j].der, blobs.v[j].len, err,
			    sizeof(err));
			if (c == NULL) {
				fprintf(detail, "%s[%zu] unparseable: %s; ",
				    what, i, err);
				continue;
			}
			if (trust_store_add_cert(store, c, kind, what) < 0)
				goto out;
		}
		der_list_free(&blobs);
		memset(&blobs, 0, sizeof(blobs));
	}
	ret = 0;
out:
	der_list_free(&blobs);
	return ret;
}

/*
 * t's CRLs (limbo's revocation cases) as a set in *out, NULL when t has
 * none.  One that does not parse is described in detail and left out,
 * as chainaudit's --crl would refuse its file.  0, or -1 on allocation
 * failure.
 */
static int
crls_read(const struct tcase *t, struct crl_set **out, FILE *detail)
{
	const char *pem;
	char err[256];
	size_t i, n;

	*out = NULL;
	n = t->crls != NULL ? json_object_array_length(t->crls) : 0;
	if (n == 0)
		return 0;
	if ((*out = crl_set_new()) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		pem = json_object_get_string(json_object_array_get_idx(t->crls,
		    i));
		if (pem != NULL && crl_set_add(*out,
		    (const unsigned char *)pem, strlen(pem), "crls", err,
		    sizeof(err)) < 0)
			fprintf(detail, "CRL %zu: %s; ", i, err);
	}
	return 0;
}

/*
 * chainaudit's verdict on t: *ok and a new description of what decided
 * it in *detail (owned).  0, or -1 on allocation failure.
 */
static int
chainaudit_verdict(const struct tcase *t, struct sig_cache *cache,
    const struct suffix_list *suffixes, int *ok, char **detail)
{
	struct trust_store *store = NULL;
	struct crl_set *crls = NULL;
	struct judge_params params;
	struct der_list blobs;
	struct capture cap;
	char *buf = NULL;
	size_t len;
	int ret = -1;

	memset(&blobs, 0, sizeof(blobs));
	memset(&cap, 0, sizeof(cap));
	cap.ok = 1;
	if ((cap.detail = open_memstream(&buf, &len)) == NULL)
		goto out;
	if ((store = trust_store_new()) == NULL ||
	    store_add_pems(store, t->trusted, TRUST_ANCHOR, "trusted_certs",
	    cap.detail) < 0 ||
	    store_add_pems(store, t->untrusted, TRUST_INTERMEDIATE,
	    "untrusted_intermediates", cap.detail) < 0)
		goto out;

	memset(&params, 0, sizeof(params));
	params.now = t->now;
	params.profile = t->profile;
	params.max_depth_set = t->max_depth_set;
	params.max_depth = t->max_depth;
	params.strict_anchors = t->strict_anchors;
	params.suffixes = suffixes;
	params.sha1_sunset = (time_t)-1;
	params.sha1_sunset_never = 1;	/* limbo is not about SHA-1 policy */
	params.warn_days = 0;
	params.host = t->host_kind != HOST_NONE ? t->host : NULL;
	path_params_default(&params.path, params.now);
	if (crls_read(t, &crls, cap.detail) < 0)
		goto out;
	params.crls = crls;

	if (pem_decode((const unsigned char *)t->peer, t->peer_len,
	    &blobs) < 0)
		goto out;
	if (judge_input("peer_certificate", &blobs, 0, &params, store, cache,
	    capture_audit, &cap) < 0)
		goto out;
	if (cap.naudits == 0) {
		cap.ok = 0;
		fprintf(cap.detail, "no audit");
	}
	if (fclose(cap.detail) != 0) {
		cap.detail = NULL;
		goto out;
	}
	cap.detail = NULL;
	flatten(buf);
	*ok = cap.ok;
	*detail = buf;
	buf = NULL;
	ret = 0;
out:
	if (cap.detail != NULL)
		fclose(cap.detail);
	free(buf);
	der_list_free(&blobs);
	crl_set_free(crls);
	trust_store_free(store);
	return ret;
}

/* ---- GnuTLS ----------------------------------------------------------- */

static int
crt_from_pem(const char *pem, gnutls_x509_crt_t *out)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d;

	if (gnutls_x509_crt_init(&crt) < 0)
		return -1;
	d.data = (unsigned char *)pem;
	d.size = strlen(pem);
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) < 0) {
		gnutls_x509_crt_deinit(crt);
		return -1;
	}
	*out = crt;
	return 0;
}

/*
 * t's CRLs into tl, after its CAs so that GnuTLS checks each CRL's
 * signature (GNUTLS_TL_VERIFY_CRL).  The list owns what it is given,
 * those it skips included; one that does not import is left out.
 */
static void
gnutls_add_crls(gnutls_x509_trust_list_t tl, const struct tcase *t)
{
	gnutls_x509_crl_t crl;
	gnutls_datum_t d;
	const char *pem;
	size_t i, n;

	n = t->crls != NULL ? json_object_array_length(t->crls) : 0;
	for (i = 0; i < n; i++) {
		if ((pem = json_object_get_string(json_object_array_get_idx(
		    t->crls, i))) == NULL || gnutls_x509_crl_init(&crl) < 0)
			continue;
		d.data = (unsigned char *)pem;
		d.size = strlen(pem);
		if (gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_PEM) < 0) {
			gnutls_x509_crl_deinit(crl);
			continue;
		}
		(void)gnutls_x509_trust_list_add_crls(tl, &crl, 1,
		    GNUTLS_TL_VERIFY_CRL, 0);
	}
}

/*
 * GnuTLS's verdict on t at t->now: *ok and a new description (owned) in
 * *detail.  0, or -1 on allocation failure.
 */
static int
gnutls_verdict(const struct tcase *t, int *ok, char **detail)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t *chain = NULL, crt;
	gnutls_typed_vdata_st vdata[2];
	gnutls_datum_t text = { NULL, 0 };
	unsigned char ip[16];
	unsigned status = 0, nv = 0;
	size_t i, n = 0, nuntrusted;
	char *msg = NULL;
	int r, verified = 0, ret = -1;

	nuntrusted = json_object_array_length(t->untrusted);
	if ((chain = calloc(nuntrusted + 1, sizeof(*chain))) == NULL)
		goto out;
	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		tl = NULL;
		goto out;
	}
	for (i = 0; i < json_object_array_length(t->trusted); i++) {
		if (crt_from_pem(json_object_get_string(
		    json_object_array_get_idx(t->trusted, i)), &crt) < 0)
			continue;
		/* The list owns what it accepts. */
		if (gnutls_x509_trust_list_add_cas(tl, &crt, 1, 0) != 1)
			gnutls_x509_crt_deinit(crt);
	}
	gnutls_add_crls(tl, t);
	if (crt_from_pem(t->peer, &chain[0]) < 0) {
		if ((msg = strdup("peer certificate does not import")) == NULL)
			goto out;
		goto done;
	}
	n = 1;
	for (i = 0; i < nuntrusted; i++)
		if (crt_from_pem(json_object_get_string(
		    json_object_array_get_idx(t->untrusted, i)),
		    &chain[n]) == 0)
			n++;

	memset(vdata, 0, sizeof(vdata));
	if (t->host_kind == HOST_DNS) {
		vdata[nv].type = GNUTLS_DT_DNS_HOSTNAME;
		vdata[nv].data = (unsigned char *)t->host;
		nv++;
	} else if (t->host_kind == HOST_IP) {
		vdata[nv].type = GNUTLS_DT_IP_ADDRESS;
		vdata[nv].data = ip;
		if (inet_pton(AF_INET, t->host, ip) == 1)
			vdata[nv++].size = 4;
		else if (inet_pton(AF_INET6, t->host, ip) == 1)
			vdata[nv++].size = 16;
	}
	vdata[nv].type = GNUTLS_DT_KEY_PURPOSE_OID;
	vdata[nv].data = (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER;
	nv++;

	limbo_clock = t->now;
	r = gnutls_x509_trust_list_verify_crt2(tl, chain, n, vdata, nv,
	    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &status, NULL);
	if (r < 0) {
		if (asprintf(&msg, "verify_crt2: %s", gnutls_strerror(r)) < 0) {
			msg = NULL;
			goto out;
		}
	} else if (status == 0) {
		verified = 1;
		if ((msg = strdup("verified")) == NULL)
			goto out;
	} else {
		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &text, 0) < 0 ||
		    asprintf(&msg, "0x%x %s", status, (char *)text.data) < 0) {
			msg = NULL;
			goto out;
		}
		flatten(msg);
	}
done:
	*ok = verified;
	*detail = msg;
	msg = NULL;
	ret = 0;
out:
	free(msg);
	gnutls_free(text.data);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(chain[i]);
	free(chain);
	if (tl != NULL)
		gnutls_x509_trust_list_deinit(tl, 1);
	return ret;
}

/* ---- the run ---------------------------------------------------------- */

static const char *
failure_reason(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(failure_reasons) / sizeof(failure_reasons[0]);
	    i++)
		if (fnmatch(failure_reasons[i].pattern, id, 0) == 0)
			return failure_reasons[i].reason;
	return "unclassified";
}

static enum outcome
outcome_of(const struct result *r, int ok)
{
	if (r->skip != NULL)
		return OUT_SKIP;
	return ok == r->expect ? OUT_PASS : OUT_FAIL;
}

static int
family_cmp(const void *a, const void *b)
{
	return strcmp(((const struct family *)a)->name,
	    ((const struct family *)b)->name);
}

static void
print_rate(const char *who, const unsigned *c)
{
	unsigned run = c[OUT_PASS] + c[OUT_FAIL];

	printf("  %-12s %3u/%3u passed (%.1f%%), %u skipped\n", who,
	    c[OUT_PASS], run, run > 0 ? 100.0 * c[OUT_PASS] / run : 0.0,
	    c[OUT_SKIP]);
}

/* The table on stdout.  0, or -1 on allocation failure. */
static int
print_table(const struct result *res, size_t n, const char *path)
{
	struct family *fam = NULL, total;
	const char *reasons[16];
	unsigned nreason[16];
	size_t i, k, nfam = 0, nr = 0;

	if ((fam = calloc(n + 1, sizeof(*fam))) == NULL)
		return -1;
	memset(&total, 0, sizeof(total));
	for (i = 0; i < n; i++) {
		for (k = 0; k < nfam; k++)
			if (strcmp(fam[k].name, res[i].family) == 0)
				break;
		if (k == nfam)
			fam[nfam++].name = res[i].family;
		fam[k].ca[outcome_of(&res[i], res[i].ca_ok)]++;
		fam[k].gt[outcome_of(&res[i], res[i].gt_ok)]++;
		total.ca[outcome_of(&res[i], res[i].ca_ok)]++;
		total.gt[outcome_of(&res[i], res[i].gt_ok)]++;
		if (res[i].skip == NULL)
			continue;
		for (k = 0; k < nr; k++)
			if (strcmp(reasons[k], res[i].skip) == 0)
				break;
		if (k == nr && nr < sizeof(reasons) / sizeof(reasons[0])) {
			reasons[nr] = res[i].skip;
			nreason[nr++] = 0;
		}
		if (k < nr)
			nreason[k]++;
	}
	qsort(fam, nfam, sizeof(*fam), family_cmp);

	printf("x509-limbo: %zu testcases from %s\n", n, path);
	printf("validation_time null -> %s; GnuTLS %s clock set to each "
	    "case's time\n\n", LIMBO_DEFAULT_TIME_S, gnutls_check_version(NULL));
	printf("%-14s %5s   %-16s   %-16s\n", "", "", "   chainaudit",
	    "     GnuTLS");
	printf("%-14s %5s   %4s %4s %4s %s   %4s %4s %4s %s\n", "family",
	    "cases", "pass", "fail", "skip", " rate", "pass", "fail", "skip",
	    " rate");
	for (k = 0; k <= nfam; k++) {
		const struct family *f = k < nfam ? &fam[k] : &total;
		unsigned cr = f->ca[OUT_PASS] + f->ca[OUT_FAIL];
		unsigned gr = f->gt[OUT_PASS] + f->gt[OUT_FAIL];
		char crate[8], grate[8];

		snprintf(crate, sizeof(crate), cr ? "%3.0f%%" : "   -",
		    cr ? 100.0 * f->ca[OUT_PASS] / cr : 0.0);
		snprintf(grate, sizeof(grate), gr ? "%3.0f%%" : "   -",
		    gr ? 100.0 * f->gt[OUT_PASS] / gr : 0.0);
		if (k == nfam)
			printf("%-14s %5s   %4s %4s %4s %s   %4s %4s %4s %s\n",
			    "", "", "----", "----", "----", "-----", "----",
			    "----", "----", "-----");
		printf("%-14s %5u   %4u %4u %4u %5s   %4u %4u %4u %5s\n",
		    k < nfam ? f->name : "total",
		    f->ca[0] + f->ca[1] + f->ca[2], f->ca[OUT_PASS],
		    f->ca[OUT_FAIL], f->ca[OUT_SKIP], crate, f->gt[OUT_PASS],
		    f->gt[OUT_FAIL], f->gt[OUT_SKIP], grate);
	}
	printf("\npass rate over non-skipped cases:\n");
	print_rate("chainaudit", total.ca);
	print_rate("GnuTLS", total.gt);
	/* The yardstick: every SERVER case, a skip not passing. */
	for (i = 0, k = 0; i < n; i++)
		k += res[i].skip == NULL || strcmp(res[i].skip,
		    SKIP_CLIENT) != 0;
	printf("\nof the %zu non-client cases (a skipped one does not "
	    "pass):\n  chainaudit   %3u passed\n  GnuTLS       %3u passed\n",
	    k, total.ca[OUT_PASS], total.gt[OUT_PASS]);
	printf("\nskipped (both verifiers):\n");
	for (k = 0; k < nr; k++)
		printf("  %3u  %s\n", nreason[k], reasons[k]);
	free(fam);
	return 0;
}

/*
 * chainaudit's failures as TSV, written to a temporary file renamed over
 * path when complete.  0 or -1 (reported on stderr).
 */
static int
write_failures(const char *path, const struct result *res, size_t n)
{
	FILE *fp = NULL;
	char *tmp = NULL;
	size_t i;
	int fd, ret = -1;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		tmp = NULL;
		goto out;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto out;
	}
	fprintf(fp, "# x509-limbo testcases chainaudit gets wrong; written "
	    "by bench/limbo (make limbo)\n");
	fprintf(fp, "id\texpected\tchainaudit\tgnutls\treason\t"
	    "decided_by\n");
	for (i = 0; i < n; i++) {
		if (outcome_of(&res[i], res[i].ca_ok) != OUT_FAIL)
			continue;
		fprintf(fp, "%s\t%s\t%s\t%s%s%s\t%s\t%s\n", res[i].id,
		    res[i].expect ? "SUCCESS" : "FAILURE",
		    res[i].ca_ok ? "SUCCESS" : "FAILURE",
		    res[i].gt_ok ? "SUCCESS" : "FAILURE",
		    res[i].gt_ok ? "" : ": ", res[i].gt_ok ? "" :
		    res[i].gt_detail, failure_reason(res[i].id),
		    res[i].ca_detail);
	}
	if (fflush(fp) != 0 || ferror(fp))
		goto out;
	if (fclose(fp) != 0) {
		fp = NULL;
		goto out;
	}
	fp = NULL;
	if (rename(tmp, path) < 0)
		goto out;
	free(tmp);
	tmp = NULL;
	ret = 0;
out:
	if (ret < 0)
		fprintf(stderr, "limbo: %s: %s\n", path, strerror(errno));
	if (fp != NULL)
		fclose(fp);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "write-failures", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct json_object *root = NULL, *cases;
	struct sig_cache *cache = NULL;
	struct suffix_list *suffixes = NULL;
	struct result *res = NULL;
	struct tcase t;
	const char *failures = NULL, *sep;
	char err[ERRBUF_LEN];
	size_t i, n = 0;
	int ch, status = 2, inited = 0;

	while ((ch = getopt_long(argc, argv, "w:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			failures = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (argc - optind != 1) {
		usage();
		return 2;
	}
	if ((root = json_object_from_file(argv[optind])) == NULL) {
		fprintf(stderr, "limbo: %s: %s\n", argv[optind],
		    json_util_get_last_err());
		goto out;
	}
	if (!json_object_object_get_ex(root, "testcases", &cases) ||
	    !json_object_is_type(cases, json_type_array)) {
		fprintf(stderr, "limbo: %s: no testcases array\n",
		    argv[optind]);
		goto out;
	}
	if (gnutls_global_init() < 0) {
		fprintf(stderr, "limbo: cannot initialise GnuTLS\n");
		goto out;
	}
	inited = 1;
	gnutls_global_set_time_function(limbo_time);
	suffixes = suffix_list_open();	/* as the program's engine does */
	n = json_object_array_length(cases);
	if ((res = calloc(n + 1, sizeof(*res))) == NULL ||
	    (cache = sig_cache_new()) == NULL) {
		fprintf(stderr, "limbo: out of memory\n");
		goto out;
	}

	for (i = 0; i < n; i++) {
		struct result *r = &res[i];

		if (tcase_read(json_object_array_get_idx(cases, i), &t,
		    &r->skip, err, sizeof(err)) < 0) {
			fprintf(stderr, "limbo: %s: %s\n", argv[optind], err);
			goto out;
		}
		r->id = t.id;
		r->expect = t.expect;
		sep = strstr(t.id, "::");
		snprintf(r->family, sizeof(r->family), "%.*s",
		    sep != NULL ? (int)(sep - t.id) : (int)strlen(t.id), t.id);
		if (r->skip != NULL)
			continue;
		if (chainaudit_verdict(&t, cache, suffixes, &r->ca_ok,
		    &r->ca_detail) < 0 ||
		    gnutls_verdict(&t, &r->gt_ok, &r->gt_detail) < 0) {
			fprintf(stderr, "limbo: %s: out of memory\n", t.id);
			goto out;
		}
	}

	if (print_table(res, n, argv[optind]) < 0) {
		fprintf(stderr, "limbo: out of memory\n");
		goto out;
	}
	if (failures != NULL && write_failures(failures, res, n) < 0)
		goto out;
	status = fflush(stdout) == 0 ? 0 : 2;
out:
	for (i = 0; res != NULL && i < n; i++) {
		free(res[i].ca_detail);
		free(res[i].gt_detail);
	}
	free(res);
	sig_cache_free(cache);
	suffix_list_close(suffixes);
	json_object_put(root);
	if (inited)
		gnutls_global_deinit();
	return status;
}
