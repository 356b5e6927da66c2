/*
 * policy.c: findings from the chosen path and the chain as presented.
 *
 * Certificate-level checks (validity, key size, signature algorithm) look
 * at the certificates on the chosen path only: a stray extra certificate
 * a server sends does not decide whether clients can connect.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asn1.h"
#include "budget.h"
#include "constraints.h"
#include "policy.h"
#include "profile.h"

#define DAY	86400

static const char *
day(time_t t, char *buf, size_t len)
{
	time_format_iso8601(t, buf, len);
	return buf;
}

/* Certificate index of c in the audit, added if need be; -1 on ENOMEM. */
#define OID_ORGANIZATION	"2.5.4.10"

static int
cert_idx(struct audit *a, const struct cert *c)
{
	return audit_cert_index(a, c, ORIGIN_ANCHOR);
}

/*
 * What replacing c takes: the leaf is renewed by its owner; a CA
 * certificate on the path is the CA's, and the server serves its
 * current one.
 */
static int
set_replace_fix(struct audit *a, const struct cert *c, time_t deadline,
    const char *why)
{
	char name[256];

	cert_short_name(c, name, sizeof(name));
	if (a->leaf >= 0 && c == a->certs[a->leaf].cert)
		return audit_set_fix(a, deadline, "Renew the certificate %s "
		    "(SHA-256 %s)%s and deploy the new one with its current "
		    "intermediates.", name, c->sha256_hex, why);
	return audit_set_fix(a, deadline, "Replace the CA certificate %s "
	    "(SHA-256 %s)%s in the served chain with the CA's current one, "
	    "or renew the leaf under a current intermediate.", name,
	    c->sha256_hex, why);
}

static int
check_validity(struct audit *a, const struct cert *c,
    const struct judge_params *params)
{
	char name[256], when[32], why[64];
	int idx;

	/* Names are formatted only for a finding: this runs per certificate. */
	if (params->now > c->not_after) {
		if ((idx = cert_idx(a, c)) < 0)
			return -1;
		if (audit_add_finding(a, FIND_EXPIRED, idx,
		    "%s expired at %s", cert_short_name(c, name, sizeof(name)),
		    day(c->not_after, when, sizeof(when))) < 0)
			return -1;
		return set_replace_fix(a, c, c->not_after, "");
	}
	if (params->now < c->not_before) {
		if ((idx = cert_idx(a, c)) < 0)
			return -1;
		if (audit_add_finding(a, FIND_NOT_YET_VALID, idx,
		    "%s is not valid before %s",
		    cert_short_name(c, name, sizeof(name)),
		    day(c->not_before, when, sizeof(when))) < 0)
			return -1;
		return audit_set_fix(a, 0, "Serve the previous certificate "
		    "until %s, when %s (SHA-256 %s) becomes valid, and check "
		    "the issuing system's clock.", when, name, c->sha256_hex);
	}
	if (c->not_after - params->now < (time_t)params->warn_days * DAY) {
		if ((idx = cert_idx(a, c)) < 0)
			return -1;
		if (audit_add_finding(a, FIND_EXPIRING_SOON, idx,
		    "%s expires at %s, in %lld days",
		    cert_short_name(c, name, sizeof(name)),
		    day(c->not_after, when, sizeof(when)),
		    (long long)((c->not_after - params->now) / DAY)) < 0)
			return -1;
		snprintf(why, sizeof(why), " before %s", when);
		return set_replace_fix(a, c, c->not_after, why);
	}
	return 0;
}

static int
check_key(struct audit *a, const struct cert *c)
{
	char name[256];
	unsigned min;
	int idx;

	switch (c->key_algo) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
	case GNUTLS_PK_DSA:
		min = 2048;
		break;
	case GNUTLS_PK_EC:
		min = 256;
		break;
	default:
		return 0;
	}
	if (c->key_bits >= min)
		return 0;
	if ((idx = cert_idx(a, c)) < 0)
		return -1;
	if (audit_add_finding(a, FIND_WEAK_KEY, idx,
	    "%s has a %s %u-bit key (minimum %u)",
	    cert_short_name(c, name, sizeof(name)), c->key_name,
	    c->key_bits, min) < 0)
		return -1;
	return audit_set_fix(a, 0, "Replace %s (SHA-256 %s) with a "
	    "certificate for a new key of RSA 2048 bits or more, or ECDSA "
	    "P-256 or larger.", name, c->sha256_hex);
}

/*
 * The chosen candidate came from --intermediates or the store, while the
 * server sent a weaker copy of the same certificate: clients without the
 * stronger copy build a SHA-1 path.  Say which copy to serve.
 */
static int
check_sent_copy(struct audit *a, const struct judge_params *params,
    const struct link *l, const struct candidate *chosen)
{
	const struct candidate *c;
	char name[256], when[32];
	size_t k;
	int idx;

	if (chosen->origin == ORIGIN_PRESENTED || params->sha1_sunset_never ||
	    strength_is_broken(chosen->strength))
		return 0;
	for (k = 0; k < l->ncands; k++) {
		c = &l->cands[k];
		if (c->origin != ORIGIN_PRESENTED || c->status != SIG_VERIFIED ||
		    !strength_is_broken(c->strength) ||
		    c->cert->not_after < params->sha1_sunset)
			continue;
		if ((idx = cert_idx(a, c->cert)) < 0)
			return -1;
		if (audit_add_finding(a, FIND_WEAKER_COPY_SENT, idx,
		    "the server sends the %s copy of %s (notAfter %s); the "
		    "path uses the %s copy from %s: serve it instead, sha256 "
		    "%s", candidate_sig_name(c), cert_short_name(c->cert, name,
		    sizeof(name)), day(c->cert->not_after, when, sizeof(when)),
		    candidate_sig_name(chosen), origin_name(chosen->origin),
		    chosen->cert->sha256_hex) < 0)
			return -1;
		return audit_set_fix(a, params->sha1_sunset, "Serve the %s "
		    "copy of %s (SHA-256 %s) in place of the %s copy (SHA-256 "
		    "%s).", candidate_sig_name(chosen), name,
		    chosen->cert->sha256_hex, candidate_sig_name(c),
		    c->cert->sha256_hex);
	}
	return 0;
}

static int
check_links(struct audit *a, const struct judge_params *params)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct candidate *c;
	char name[256], when[32];
	size_t i;
	int idx;

	for (i = 0; i + 1 < p->len; i++) {
		c = path_chosen_candidate(r, p, i);
		if ((idx = cert_idx(a, c->cert)) < 0)
			return -1;
		if (check_sent_copy(a, params, &r->links[p->links[i]], c) < 0)
			return -1;
		if ((c->strength.hash == HASH_MD2 ||
		    c->strength.hash == HASH_MD5) &&
		    (audit_add_finding(a, FIND_WEAK_SIGNATURE, idx,
		    "%s is signed with %s",
		    cert_short_name(c->cert, name, sizeof(name)),
		    candidate_sig_name(c)) < 0 ||
		    audit_set_fix(a, 0, "Replace %s (SHA-256 %s) with a copy "
		    "signed with SHA-256 or stronger.", name,
		    c->cert->sha256_hex) < 0))
			return -1;
		/* An MD5 or MD2 link is weak-signature's, once. */
		if (c->strength.hash == HASH_MD2 ||
		    c->strength.hash == HASH_MD5 ||
		    !strength_is_broken(c->strength) ||
		    params->sha1_sunset_never ||
		    c->cert->not_after < params->sha1_sunset)
			continue;
		/*
		 * No stronger copy verified on this link anywhere in the pool
		 * (one that did is chosen, and weaker-copy-sent names it).
		 */
		if (audit_add_finding(a, FIND_SHA1_ONLY_LINK, idx,
		    "%s (notAfter %s) is vouched for only by %s, past the "
		    "SHA-1 sunset; no stronger copy of it is known",
		    cert_short_name(c->cert, name, sizeof(name)),
		    day(c->cert->not_after, when, sizeof(when)),
		    candidate_sig_name(c)) < 0 ||
		    audit_set_fix(a, params->sha1_sunset, i == 0 ?
		    "Reissue the certificate %s (SHA-256 %s) signed with "
		    "SHA-256 and deploy it." : "Serve a SHA-256-signed copy of "
		    "the CA certificate %s (SHA-256 %s) in its place, from the "
		    "CA, or renew the leaf under a SHA-256 chain.", name,
		    c->cert->sha256_hex) < 0)
			return -1;
	}
	return 0;
}

/* 1 when some certificate of node n was sent. */
static int
node_was_sent(const struct node *n)
{
	size_t k;

	for (k = 0; k < n->ncerts; k++)
		if (n->origins[k] == ORIGIN_PRESENTED)
			return 1;
	return 0;
}

/*
 * A complete path that needed a certificate the server did not send and
 * the audit found elsewhere, in the known-CA corpus or at a caIssuers
 * URL: clients that neither have it nor fetch it cannot build the path,
 * so the server must send it (RFC 8446 4.4.2).  Named with its SHA-256
 * and where to get it: the caIssuers URL of the certificate below it,
 * which is where clients that fetch would look.  What --intermediates
 * supplies is the user's own say-so and stays silent.
 */
static int
check_unsent(struct audit *a)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct candidate *c;
	const struct cert *below;
	char name[256], bname[256], where[1024];
	size_t i;
	int idx;

	for (i = 1; i + 1 < p->len; i++) {
		if (node_was_sent(&r->nodes[p->nodes[i]]) ||
		    (c = path_chosen_candidate(r, p, i)) == NULL ||
		    (c->origin != ORIGIN_CORPUS && c->origin != ORIGIN_AIA))
			continue;
		below = path_node_cert(r, p, i - 1);
		cert_short_name(below, bname, sizeof(bname));
		if (c->origin == ORIGIN_AIA)
			snprintf(where, sizeof(where), "fetched from the "
			    "caIssuers URL of %s: %s", bname,
			    below->nca_issuers > 0 ? below->ca_issuers[0] :
			    "?");
		else if (below->nca_issuers > 0)
			snprintf(where, sizeof(where), "found in the known-CA "
			    "corpus; available at %s, the caIssuers URL of %s",
			    below->ca_issuers[0], bname);
		else
			snprintf(where, sizeof(where), "found in the known-CA "
			    "corpus; %s names no caIssuers URL, so ask its CA",
			    bname);
		if ((idx = audit_cert_index(a, c->cert, c->origin)) < 0)
			return -1;
		if (audit_add_finding(a, FIND_INCOMPLETE_CHAIN, idx,
		    "%s was not sent: the path needs it, and clients that "
		    "neither have nor fetch it fail; serve it after %s "
		    "(SHA-256 %s, %s)", cert_short_name(c->cert, name,
		    sizeof(name)), bname, c->cert->sha256_hex, where) < 0 ||
		    audit_set_fix(a, 0, "Serve the intermediate %s (SHA-256 "
		    "%s) after %s: the server does not send it (%s).", name,
		    c->cert->sha256_hex, bname, where) < 0)
			return -1;
	}
	return 0;
}

/* Why the chosen path stops short of an anchor. */
static int
check_incomplete(struct audit *a, const struct policy_facts *facts,
    int self_leaf)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *top = path_node_cert(r, p, p->len - 1);
	const struct node *n = &r->nodes[p->nodes[p->len - 1]];
	const struct link *l;
	char name[256], issuer[256];
	size_t i;
	int idx;

	if ((idx = cert_idx(a, top)) < 0)
		return -1;
	/* A bound, not an answer: the chain is not shown to be trusted. */
	if (p->depth_cut)
		return audit_add_finding(a, FIND_INCOMPLETE_CHAIN, idx,
		    "no trust anchor within %zu certificates (the path "
		    "search's depth bound) above %s", p->len,
		    cert_short_name(top, name, sizeof(name)));
	cert_short_name(top, name, sizeof(name));
	if (p->broken_link) {
		for (i = 0; i < n->nissuers; i++) {
			l = &r->links[n->issuers[i]];
			if (l->best >= 0 || l->ncands == 0)
				continue;
			return audit_add_finding(a, FIND_BAD_SIGNATURE, idx,
			    "the signature on %s does not verify with the key "
			    "of %s (%s)", name, cert_short_name(l->cands[0].issuer,
			    issuer, sizeof(issuer)),
			    sig_status_name(l->cands[0].status));
		}
	}
	if (facts->top_self_signed) {
		if (self_leaf)
			return 0;	/* said once, as self-signed-leaf */
		if (audit_add_finding(a, FIND_UNTRUSTED_ROOT, idx,
		    "the chain ends at %s, a root that is not trusted%s", name,
		    facts->top_public ? " here, though it is a public CA's "
		    "root" : "") < 0)
			return -1;
		/* The server is not at fault when the audit's store is. */
		if (facts->top_public)
			return audit_set_fix(a, 0, "Nothing to change on the "
			    "server: %s (SHA-256 %s) is a public CA's root that "
			    "the trust store of this audit lacks; update that "
			    "store (ca-certificates) or audit against the store "
			    "your clients use (--trust-store, --ca-file).", name,
			    top->sha256_hex);
		return audit_set_fix(a, 0, "Replace the certificate with one "
		    "from a publicly trusted CA: the root %s (SHA-256 %s) is in "
		    "no public trust store; for a private CA, install that root "
		    "on every client and audit with --ca-file.", name,
		    top->sha256_hex);
	}
	if (audit_add_finding(a, FIND_INCOMPLETE_CHAIN, idx,
	    "no issuer found for %s (issuer %s)", name, cert_issuer(top)) < 0)
		return -1;
	return audit_set_fix(a, 0, "Serve the intermediate that issued %s "
	    "(%s) after it; ask the CA for it (or pass it with "
	    "--intermediates if only this audit lacks it).", name,
	    cert_issuer(top));
}

/*
 * RFC 5246 7.4.2: the leaf first, each following certificate certifying
 * one before it.  Judged on what was sent, whatever the trust store: the
 * order a server sends does not depend on who checks it.  A second copy
 * of a certificate already sent (re-issue, cross-sign) passes, and so do
 * exact duplicates, which duplicate-certificate reports.  Names and key
 * identifiers decide; whether the signature holds is bad-signature's
 * question, not this one's.
 */
static int
check_order(struct audit *a)
{
	const struct cert *c;
	char name[256];
	size_t i, j;
	int ok;

	if (a->leaf != 0)
		return audit_add_finding(a, FIND_MISORDERED_CHAIN, a->leaf,
		    "the leaf %s is sent at position %d, not first",
		    cert_short_name(a->certs[a->leaf].cert, name,
		    sizeof(name)), a->leaf + 1);
	for (i = 1; i < a->npresented; i++) {
		c = a->certs[i].cert;
		/* Nearest first: in a chain in order, one step back. */
		for (j = i, ok = 0; j > 0 && !ok; j--)
			ok = cert_is_same_node(a->certs[j - 1].cert, c) ||
			    cert_is_issuer_name_of(c, a->certs[j - 1].cert);
		if (!ok)
			return audit_add_finding(a, FIND_MISORDERED_CHAIN,
			    (int)i, "%s, sent at position %zu, certifies no "
			    "certificate sent before it",
			    cert_short_name(c, name, sizeof(name)), i + 1);
	}
	return 0;
}

/*
 * Certificates sent again, and trust anchors sent, that get a finding
 * each; a server sending thousands gets one more finding per code that
 * counts the rest, not thousands of lines in every report.
 */
#define PRESENTED_LISTED	10

/* Order of presented certificates: by hash, then by position. */
static int
cmp_by_hash(const void *x, const void *y, void *arg)
{
	const struct audit *a = arg;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = memcmp(a->certs[i].cert->sha256, a->certs[j].cert->sha256,
	    sizeof(a->certs[i].cert->sha256));

	return c != 0 ? c : (i > j) - (i < j);
}

/*
 * Mark in again[i] each presented certificate that a copy sent earlier
 * precedes: by sorting, so that a chain of thousands costs n log n, not
 * n squared.  0, or -1 on ENOMEM.
 */
static int
mark_sent_again(const struct audit *a, unsigned char *again)
{
	size_t order_buf[SMALL_CHAIN], *order, i;

	if ((order = small_calloc(order_buf, sizeof(order_buf), a->npresented,
	    sizeof(*order))) == NULL)
		return -1;
	for (i = 0; i < a->npresented; i++)
		order[i] = i;
	qsort_r(order, a->npresented, sizeof(*order), cmp_by_hash,
	    (void *)a);
	for (i = 1; i < a->npresented; i++)
		again[order[i]] = cert_is_same(a->certs[order[i]].cert,
		    a->certs[order[i - 1]].cert);
	small_free(order, order_buf);
	return 0;
}

static int
check_presented(struct audit *a, const struct policy_facts *facts)
{
	const struct cert *c;
	unsigned char again_buf[SMALL_CHAIN + 1], *again;
	char name[256];
	size_t i, dups = 0, roots = 0;
	int rc = -1;

	if ((again = small_calloc(again_buf, sizeof(again_buf),
	    a->npresented + 1, 1)) == NULL || mark_sent_again(a, again) < 0)
		goto out;
	for (i = 0; i < a->npresented; i++) {
		c = a->certs[i].cert;
		if (again[i]) {
			if (++dups <= PRESENTED_LISTED &&
			    (audit_add_finding(a, FIND_DUPLICATE_CERTIFICATE,
			    (int)i, "%s is sent again at position %zu",
			    cert_short_name(c, name, sizeof(name)), i + 1) < 0 ||
			    audit_set_fix(a, 0, "Remove the second copy of %s "
			    "(position %zu) from the served chain.", name,
			    i + 1) < 0))
				goto out;
			continue;
		}
		if (facts->presented_anchor[i] && !a->bundle_entry &&
		    ++roots <= PRESENTED_LISTED)
			if (audit_add_finding(a, FIND_UNNECESSARY_ROOT, (int)i,
			    "the trust anchor %s is sent; clients already "
			    "have it", cert_short_name(c, name,
			    sizeof(name))) < 0 ||
			    audit_set_fix(a, 0, "Drop the root %s (SHA-256 %s) "
			    "from the served chain; clients already have it.",
			    name, c->sha256_hex) < 0)
				goto out;
	}
	if (dups > PRESENTED_LISTED && audit_add_finding(a,
	    FIND_DUPLICATE_CERTIFICATE, -1, "%zu more certificates are sent "
	    "again (not listed one by one)", dups - PRESENTED_LISTED) < 0)
		goto out;
	if (roots > PRESENTED_LISTED && audit_add_finding(a,
	    FIND_UNNECESSARY_ROOT, -1, "%zu more trust anchors are sent (not "
	    "listed one by one)", roots - PRESENTED_LISTED) < 0)
		goto out;
	rc = check_order(a);
out:
	small_free(again, again_buf);
	return rc;
}

/* ---- distrust ------------------------------------------------------- */

static int
count_hit(const struct distrust_hit *h, void *arg)
{
	(void)h;
	(*(unsigned *)arg)++;
	return 0;
}

/*
 * Hits of the distrust policy on a complete path; see policy.h.
 */
unsigned
policy_path_distrusted(const struct path_result *r, const struct path *p,
    void *arg)
{
	const struct distrust_ctx *ctx = arg;
	const struct cert *certs[64];
	struct distrust_query q;
	unsigned hits = 0;
	size_t i;

	for (i = 0; i < p->len && i < 64; i++)
		certs[i] = path_node_cert(r, p, i);
	q.certs = certs;
	q.ncerts = i;
	q.npath = 0;
	q.leaf = ctx->leaf;
	q.now = ctx->now;
	distrust_match(ctx->policy, &q, count_hit, &hits);
	return hits;
}

/* Hits grouped by certificate and CA, each group one finding. */
struct hit_list {
	struct distrust_hit	*v;
	size_t			 n, cap;
};

static int
collect_hit(const struct distrust_hit *h, void *arg)
{
	struct hit_list *l = arg;

	if (array_reserve(&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return -1;
	l->v[l->n++] = *h;
	return 0;
}

static const char *
rule_text(const struct distrust_hit *h, char *buf, size_t len)
{
	const struct distrust_entry *e = h->entry;
	char when[32];

	time_format_iso8601(e->date, when, sizeof(when));
	switch (e->rule) {
	case RULE_ALL:
		snprintf(buf, len, "all certificates");
		break;
	case RULE_ISSUED_AFTER:
		snprintf(buf, len, "certificates issued after %s", when);
		break;
	case RULE_ISSUED_BEFORE:
		snprintf(buf, len, "certificates issued before %s", when);
		break;
	case RULE_SCT_AFTER:
		snprintf(buf, len, "certificates first logged after %s%s", when,
		    h->sct_from_not_before ? " (no SCT: judged by notBefore)" :
		    "");
		break;
	case RULE_EXEMPT:
		snprintf(buf, len, "exempt");
		break;
	}
	return buf;
}

/* The first URL of a source field, else its start: messages stay short. */
static void
source_brief(const char *src, char *buf, size_t len)
{
	const char *u = strstr(src, "https://"), *e;

	if (u == NULL)
		u = strstr(src, "http://");
	if (u == NULL)
		u = src;
	for (e = u; *e != '\0' && *e != ' ' && *e != ';' && *e != ')' &&
	    (size_t)(e - u) + 1 < len; e++)
		;
	snprintf(buf, len, "%.*s", (int)(e - u), u);
}

/* Of the group's hits for vendor v, the one to show: "all" wins. */
static const struct distrust_hit *
vendor_hit(const struct hit_list *l, const struct distrust_hit *h,
    enum distrust_vendor v)
{
	const struct distrust_hit *g, *best = NULL;
	size_t j;

	for (j = 0; j < l->n; j++) {
		g = &l->v[j];
		if (g->cert != h->cert || g->entry->vendor != v ||
		    strcmp(g->entry->ca, h->entry->ca) != 0)
			continue;
		if (best == NULL || (g->entry->rule == RULE_ALL &&
		    (best->entry->rule != RULE_ALL ||
		    g->entry->effective < best->entry->effective)))
			best = g;
	}
	return best;
}

/*
 * What the owner of a distrusted chain does: the leaf is what they can
 * change, whichever certificate of its chain the distrust hit.
 */
static int
set_distrust_fix(struct audit *a, const char *ca, time_t effective)
{
	const struct cert *leaf = a->certs[a->leaf].cert;
	char name[256];

	return audit_set_fix(a, effective, "Replace the certificate %s "
	    "(SHA-256 %s) with one from a CA that browsers trust: %s is "
	    "distrusted.", cert_short_name(leaf, name, sizeof(name)),
	    leaf->sha256_hex, ca);
}

/*
 * One finding per (certificate, CA): the CA, each vendor's decision that
 * applies with its date and rule, and where it comes from (the source's
 * first URL and the policy line; the full text is in the policy file).
 * Name-based hits say so.
 */
static int
report_hits(struct audit *a, const struct cert *const *certs,
    const struct hit_list *l)
{
	char *msg = NULL, *tmp, name[256], rule[128], since[32], src[160];
	const struct distrust_hit *h, *g;
	size_t i, j;
	int idx, r, ret = -1, first;
	enum distrust_vendor v;
	time_t earliest;

	for (i = 0; i < l->n; i++) {
		h = &l->v[i];
		/* The first hit of its (certificate, CA) group writes it. */
		for (j = 0; j < i; j++)
			if (l->v[j].cert == h->cert &&
			    strcmp(l->v[j].entry->ca, h->entry->ca) == 0)
				break;
		if (j < i)
			continue;
		if ((idx = cert_idx(a, certs[h->cert])) < 0)
			goto out;
		cert_short_name(certs[h->cert], name, sizeof(name));
		if (h->name_based)
			r = asprintf(&msg, "%s: issuer name matches the "
			    "distrust entry '%s' (%s; name-based, not a key "
			    "match):", name, h->entry->name, h->entry->ca);
		else if (h->entry->match == MATCH_CERT)
			r = asprintf(&msg, "%s is a %s certificate blocked "
			    "by:", name, h->entry->ca);
		else
			r = asprintf(&msg, "%s is a key of %s, distrusted by:",
			    name, h->entry->ca);
		if (r < 0) {
			msg = NULL;
			goto out;
		}
		first = 1;
		earliest = 0;
		for (v = 0; v < VENDOR__COUNT; v++) {
			if ((g = vendor_hit(l, h, v)) == NULL)
				continue;
			if (earliest == 0 || g->entry->effective < earliest)
				earliest = g->entry->effective;
			time_format_iso8601(g->entry->effective, since,
			    sizeof(since));
			since[10] = '\0';
			source_brief(g->entry->source, src, sizeof(src));
			r = asprintf(&tmp, "%s%s %s since %s (%s; %s, %s line "
			    "%u)", msg, first ? "" : ";",
			    distrust_vendor_name(v), since,
			    rule_text(g, rule, sizeof(rule)), src,
			    g->entry->file, g->entry->line);
			free(msg);
			msg = r < 0 ? NULL : tmp;
			if (msg == NULL)
				goto out;
			first = 0;
		}
		if (audit_add_finding(a, FIND_DISTRUSTED_ISSUER, idx, "%s",
		    msg) < 0 || set_distrust_fix(a, h->entry->ca, earliest) < 0)
			goto out;
		free(msg);
		msg = NULL;
	}
	ret = 0;
out:
	free(msg);
	return ret;
}

struct name_probe {
	const struct distrust_policy	*policy;
	const struct cert		*leaf;
	time_t				 now;
	struct distrust_hit		 hit;	/* the first that applies */
	int				 found;
};

static int
keep_first_hit(const struct distrust_hit *h, void *arg)
{
	struct name_probe *np = arg;

	np->hit = *h;
	np->found = 1;
	return 1;
}

/*
 * A known certificate sharing the issuer's identity: does the policy
 * distrust its key for this leaf now?  The same date rules, vendors and
 * exemptions as a key match apply; only the proof is missing.
 */
static int
probe_known(const struct cert *c, struct name_probe *np)
{
	const struct cert *certs[1] = { c };
	struct distrust_query q;

	memset(&q, 0, sizeof(q));
	q.certs = certs;
	q.ncerts = 1;
	q.leaf = np->leaf;
	q.now = np->now;
	return distrust_match(np->policy, &q, keep_first_hit, np) != 0;
}

/*
 * The top of a path that stops short was issued by a CA nobody here can
 * verify; is that CA a distrusted one?  Without the issuer's certificate
 * the signature cannot be checked, so the evidence is identity alone:
 * the judge's guesses, strongest first (the authorityKeyIdentifier
 * against the key identifiers the policy and the corpus know, then the
 * issuer DN, then the issuer's organisation name against the policy's
 * certificates).  The finding says which match it was.
 */
static int
check_orphan_issuer(struct audit *a, const struct judge_params *params,
    const struct policy_facts *facts, const struct cert *top)
{
	static const char *const how_text[] = {
		[ISSUER_BY_KEYID] = "its authority key identifier",
		[ISSUER_BY_NAME] = "its issuer name",
		[ISSUER_BY_ORG] = "its issuer's organisation name",
	};
	const struct distrust_entry *e;
	const struct issuer_guess *g = NULL;
	struct name_probe np;
	const unsigned char *org;
	unsigned long tag;
	char name[256], since[32], src[160], rule[128], how[160];
	size_t i, orglen;
	int idx;

	memset(&np, 0, sizeof(np));
	np.policy = params->distrust;
	np.leaf = a->certs[a->leaf].cert;
	np.now = params->now;
	for (i = 0; i < facts->nguesses && !np.found; i++) {
		g = &facts->guesses[i];
		(void)probe_known(g->cert, &np);
	}
	if (!np.found)
		return 0;
	snprintf(how, sizeof(how), "%s", how_text[g->how]);
	if (g->how == ISSUER_BY_ORG && asn1_name_attr(top->raw_issuer.data,
	    top->raw_issuer.size, OID_ORGANIZATION, &tag, &org, &orglen) == 1)
		snprintf(how, sizeof(how), "%s \"%.*s\"", how_text[g->how],
		    (int)(orglen > 80 ? 80 : orglen), (const char *)org);
	if ((idx = cert_idx(a, top)) < 0)
		return -1;
	e = np.hit.entry;
	time_format_iso8601(e->effective, since, sizeof(since));
	since[10] = '\0';
	source_brief(e->source, src, sizeof(src));
	if (audit_add_finding(a, FIND_DISTRUSTED_ISSUER, idx,
	    "%s is issued by %s, a %s CA distrusted by %s since %s (%s; %s): "
	    "matched by %s, name-based, not a key match: no certificate of "
	    "the issuer verifies its signature", cert_short_name(top, name,
	    sizeof(name)), cert_issuer(top), e->ca,
	    distrust_vendor_name(e->vendor), since,
	    rule_text(&np.hit, rule, sizeof(rule)), src, how) < 0)
		return -1;
	return set_distrust_fix(a, e->ca, e->effective);
}

/*
 * distrusted-issuer: every certificate of the chosen path; when the path
 * does not reach an anchor, every certificate presented as well.
 */
static int
check_distrust(struct audit *a, const struct judge_params *params,
    const struct policy_facts *facts)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *certs_buf[2 * SMALL_CHAIN + 1], **certs = NULL;
	unsigned char again_buf[SMALL_CHAIN + 1], *again = NULL;
	struct distrust_query q;
	struct hit_list hits;
	size_t i, j, n = 0;
	int ret = -1, r2;

	memset(&hits, 0, sizeof(hits));
	if (params->distrust == NULL || distrust_count(params->distrust) == 0)
		return 0;
	if ((certs = small_calloc(certs_buf, sizeof(certs_buf), p->len +
	    a->npresented + 1, sizeof(*certs))) == NULL ||
	    (again = small_calloc(again_buf, sizeof(again_buf),
	    a->npresented + 1, 1)) == NULL)
		goto out;
	for (i = 0; i < p->len; i++)
		certs[n++] = path_node_cert(r, p, i);
	/* Each presented certificate once, and once only beside the path. */
	if (!p->complete && mark_sent_again(a, again) < 0)
		goto out;
	for (i = 0; !p->complete && i < a->npresented; i++) {
		for (j = 0; j < p->len && !again[i]; j++)
			if (cert_is_same(certs[j], a->certs[i].cert))
				break;
		if (!again[i] && j == p->len)
			certs[n++] = a->certs[i].cert;
	}
	q.certs = certs;
	q.ncerts = n;
	q.npath = p->len;
	q.leaf = a->certs[a->leaf].cert;
	q.now = params->now;
	if ((r2 = distrust_match(params->distrust, &q, collect_hit,
	    &hits)) != 0)
		goto out;
	if (report_hits(a, certs, &hits) < 0)
		goto out;
	if (!p->complete && hits.n == 0 && check_orphan_issuer(a, params,
	    facts, path_node_cert(r, p, p->len - 1)) < 0)
		goto out;
	ret = 0;
out:
	free(hits.v);
	small_free(certs, certs_buf);
	small_free(again, again_buf);
	return ret;
}

/* ---- revocation ------------------------------------------------------ */

/* "since 2024-01-02T00:00:00Z (keyCompromise)" of a revoked answer. */
static void
revoked_text(const struct rev_result *r, char *buf, size_t len)
{
	char when[32];
	const char *reason = rev_reason_name(r->reason);

	snprintf(buf, len, "since %s%s%s%s", day(r->revoked_at, when,
	    sizeof(when)), reason != NULL ? " (reason " : "",
	    reason != NULL ? reason : "", reason != NULL ? ")" : "");
}

/*
 * What one answer about c means: revoked is an error whatever said it,
 * a CRL that cannot be used or is stale a warning, and so are OCSP
 * answers that settle nothing.  who names the source in the message.
 */
static int
check_answer(struct audit *a, const struct cert *c, const struct rev_result *r,
    int crl, const char *who)
{
	char name[256], since[128];
	int idx;

	if (r == NULL || r->status == REV_NONE || r->status == REV_GOOD ||
	    r->status == REV_ABSENT)
		return 0;
	if ((idx = cert_idx(a, c)) < 0)
		return -1;
	cert_short_name(c, name, sizeof(name));
	switch (r->status) {
	case REV_REVOKED:
		revoked_text(r, since, sizeof(since));
		return audit_add_finding(a, FIND_REVOKED, idx, "%s is revoked "
		    "%s, says %s", name, since, who);
	case REV_BAD:
		return audit_add_finding(a, crl ? FIND_CRL_INVALID :
		    FIND_OCSP_BAD_RESPONSE, idx, "%s about %s cannot be used: "
		    "%s", who, name, r->why);
	case REV_EXPIRED:
		return audit_add_finding(a, crl ? FIND_CRL_STALE :
		    FIND_OCSP_EXPIRED, idx, "%s about %s is %s", who, name,
		    r->why);
	case REV_UNKNOWN:
		return audit_add_finding(a, FIND_OCSP_UNKNOWN, idx, "%s does "
		    "not know %s (status unknown)", who, name);
	case REV_UNAVAILABLE:
		return audit_add_finding(a, FIND_OCSP_FETCH_FAILED, idx,
		    "%s: %s", who, r->why);
	default:
		return 0;
	}
}

/*
 * Revocation: the CRLs' answers for each certificate of the chosen
 * path, the stapled response's and the responder's for the leaf, and
 * whether the leaf's must-staple is honoured.
 */
static int
check_revocation(struct audit *a, const struct policy_facts *facts)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *leaf = path_node_cert(r, p, 0);
	const struct rev_result *st = facts->staple;
	char who[ERRBUF_LEN], name[256];
	size_t i;

	for (i = 0; i < facts->ncrl && i < p->len; i++) {
		snprintf(who, sizeof(who), "the CRL %s",
		    facts->crl[i].origin != NULL ? facts->crl[i].origin : "?");
		if (check_answer(a, path_node_cert(r, p, i), &facts->crl[i], 1,
		    who) < 0)
			return -1;
	}
	if (st != NULL && st->status == REV_ABSENT &&
	    audit_add_finding(a, FIND_OCSP_ABSENT, a->leaf, "the server "
	    "staples no OCSP response for %s", cert_short_name(leaf, name,
	    sizeof(name))) < 0)
		return -1;
	if (check_answer(a, leaf, st, 0, "the OCSP response the server "
	    "staples") < 0)
		return -1;
	if (st != NULL && facts->must_staple && st->status != REV_GOOD &&
	    st->status != REV_REVOKED && st->status != REV_UNKNOWN &&
	    audit_add_finding(a, FIND_MUST_STAPLE_MISSING, a->leaf, "%s has "
	    "the TLS feature status_request (must-staple), but the server "
	    "staples %s: clients that honour it refuse the connection",
	    cert_short_name(leaf, name, sizeof(name)),
	    st->status == REV_ABSENT ? "no OCSP response" :
	    "no usable OCSP response") < 0)
		return -1;
	if (facts->responder != NULL) {
		snprintf(who, sizeof(who), "the OCSP responder %s",
		    facts->responder_url != NULL ? facts->responder_url :
		    "of the leaf");
		if (check_answer(a, leaf, facts->responder, 0, who) < 0)
			return -1;
	}
	return 0;
}

/* The fix of a hostname-mismatch on leaf (named name). */
static int
set_host_fix(struct audit *a, const struct cert *leaf, const char *name)
{
	return audit_set_fix(a, 0, "Replace %s (SHA-256 %s) with a "
	    "certificate whose subjectAltName lists %s.", name,
	    leaf->sha256_hex, a->host);
}

/*
 * A wildcard over a public suffix ("*.co.uk", "*.s3.amazonaws.com")
 * matches nothing: no CA may issue one (CA/B BR 3.2.2.6) and browsers
 * ignore it.  GnuTLS matches it, so a match made only by a wildcard is
 * checked here: the wildcard stands for host's left-most label, so what
 * it covers is host's parent domain.
 */
static int
check_public_wildcard(struct audit *a, const struct cert *leaf,
    const struct judge_params *params)
{
	const char *parent;
	char name[256];

	if (!cert_matches_host_by_wildcard(leaf, a->host) ||
	    (parent = strchr(a->host, '.')) == NULL ||
	    !suffix_is_public(params->suffixes, parent + 1))
		return 0;
	if (audit_add_finding(a, FIND_HOSTNAME_MISMATCH, a->leaf,
	    "%s is not valid for %s: the only name that matches is the "
	    "wildcard *.%s, and %s is a public suffix, which a wildcard may "
	    "not cover (CA/B BR 3.2.2.6)", cert_short_name(leaf, name,
	    sizeof(name)), a->host, parent + 1, parent + 1) < 0)
		return -1;
	return set_host_fix(a, leaf, name);
}

/*
 * Run every check; see policy.h.
 */
int
policy_check(struct audit *a, const struct judge_params *params,
    const struct policy_facts *facts)
{
	const struct path_result *r = a->paths;
	const struct path *p;
	const struct cert *leaf, *c;
	char name[256], what[128];
	size_t i;
	unsigned cut;
	int self_leaf = 0;

	if (r == NULL || !r->have_chosen || a->leaf < 0)
		return 0;
	p = &r->chosen;
	leaf = a->certs[a->leaf].cert;

	if (!a->bundle_entry && !leaf->is_ca && r->nodes[0].anchor == NULL &&
	    facts->leaf_self_signed) {
		self_leaf = 1;
		if (audit_add_finding(a, FIND_SELF_SIGNED_LEAF, a->leaf,
		    "%s is self-signed", cert_short_name(leaf, name,
		    sizeof(name))) < 0)
			return -1;
	}
	/*
	 * Browsers match names in subjectAltName only; GnuTLS would still
	 * fall back to the CN of a certificate without one.
	 */
	if (a->host != NULL && leaf->san_hostnames == 0) {
		if (audit_add_finding(a, FIND_HOSTNAME_MISMATCH, a->leaf,
		    "%s has no subjectAltName name or address, and clients do "
		    "not match %s against the CN (RFC 6125 6.4.4, CA/B BR "
		    "7.1.4.2)", cert_short_name(leaf, name, sizeof(name)),
		    a->host) < 0 || set_host_fix(a, leaf, name) < 0)
			return -1;
	} else if (a->host != NULL && !cert_matches_host(leaf, a->host)) {
		if (audit_add_finding(a, FIND_HOSTNAME_MISMATCH, a->leaf,
		    "%s is not valid for %s", cert_short_name(leaf, name,
		    sizeof(name)), a->host) < 0 ||
		    set_host_fix(a, leaf, name) < 0)
			return -1;
	} else if (a->host != NULL && check_public_wildcard(a, leaf,
	    params) < 0)
		return -1;

	for (i = 0; i < p->len; i++) {
		c = path_node_cert(r, p, i);
		if (check_validity(a, c, params) < 0 || check_key(a, c) < 0)
			return -1;
	}
	if (check_links(a, params) < 0 ||
	    constraints_check(a, facts->budget) < 0 ||
	    profile_check(a, params) < 0)
		return -1;
	/*
	 * A search the budget cut found no anchor: a path it did not try
	 * may reach one, so neither "trusted" nor a reason it is not.
	 */
	cut = r->cut | (facts->budget != NULL ? facts->budget->cut : 0);
	if (!p->complete && (cut & ~BUDGET_CUT_NAMES) != 0) {
		if (audit_add_finding(a, FIND_BUDGET_EXCEEDED, -1, "no path to "
		    "a trust anchor was found before the work budget ran out "
		    "(cut: %s); paths not tried may reach one",
		    budget_cut_text(cut & ~BUDGET_CUT_NAMES, what,
		    sizeof(what))) < 0)
			return -1;
	} else if (!p->complete && check_incomplete(a, facts, self_leaf) < 0)
		return -1;
	if (p->complete && check_unsent(a) < 0)
		return -1;
	if (check_presented(a, facts) < 0)
		return -1;
	if (check_distrust(a, params, facts) < 0 ||
	    check_revocation(a, facts) < 0)
		return -1;
	if ((r->capped || (cut & ~BUDGET_CUT_NAMES) != 0) &&
	    audit_add_finding(a, FIND_PATH_SEARCH_LIMIT, -1,
	    "path search stopped after %zu paths and %zu signature checks "
	    "(%.1f ms of estimated work; cut: %s)", r->paths_explored,
	    r->sig_checks, (double)(facts->budget != NULL ?
	    facts->budget->spent : r->work) / 1e6,
	    (cut & ~BUDGET_CUT_NAMES) != 0 ? budget_cut_text(cut &
	    ~BUDGET_CUT_NAMES, what, sizeof(what)) : "the depth bound") < 0)
		return -1;
	return 0;
}
