/*
 * judge.c: one input end to end: parse, choose the leaf, build paths
 * (fetching missing issuers when asked), give each named store its
 * verdict, gather the facts policy needs, run the policy checks, hand
 * each audit to the sink.  The record it fills is audit.c's.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asn1.h"
#include "judge.h"
#include "policy.h"
#include "view.h"

/*
 * Signature checks the entries of one bundle share.  Each entry builds
 * its paths against all the others, so the work grows with the square
 * of the bundle: 400 CA certificates sharing a name are 160,000
 * distinct verifications, and the per-target bound does not stop that.
 * Two and a half targets' worth of the per-target bound (20,000) holds
 * a hostile or broken bundle to what a few chains may cost, whatever
 * its size; a real one (the system's 150 roots) uses next to none.
 */
#define BUNDLE_SIG_CHECKS	50000
/*
 * Work the entries of one bundle share (budget.h), for the same reason:
 * twice one target's, so that a bundle of CAs with keys slow to verify
 * costs what two chains may.
 */
#define BUNDLE_WORK_FACTOR	2

/*
 * caIssuers URLs one target may try: a missing intermediate and its own
 * missing issuer take two, and every fetch may wait out the whole time
 * limit, so certificates listing many URLs cannot hold up a run.
 */
#define AIA_MAX_FETCHES		4
/* Certificates taken from one caIssuers body (a PKCS#7 may hold many). */
#define AIA_MAX_CERTS		8

/*
 * The leaf is the first certificate, unless that is a CA and a non-CA
 * certificate follows: then the chain was sent out of order and the
 * first non-CA is the leaf (misordered-chain reports it).
 */
static int
choose_leaf(const struct audit *a)
{
	size_t i;

	if (a->npresented == 0)
		return -1;
	if (!a->certs[0].cert->is_ca)
		return 0;
	for (i = 1; i < a->npresented; i++)
		if (!a->certs[i].cert->is_ca)
			return (int)i;
	return 0;
}

/*
 * List every certificate a report refers to: the chosen path's, every
 * candidate of its links with the certificate supplying the key, and the
 * alternative paths'.  Reports then never name a certificate they do not
 * describe.  0 or -1.
 */
static int
register_cert(struct audit *a, const struct cert *c)
{
	return audit_cert_index(a, c, path_cert_origin(a->paths, c));
}

static int
register_path_certs(struct audit *a)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct link *l;
	size_t i, k;

	for (i = 0; i < p->len; i++)
		if (register_cert(a, path_node_cert(r, p, i)) < 0)
			return -1;
	for (i = 0; i + 1 < p->len; i++) {
		l = &r->links[p->links[i]];
		for (k = 0; k < l->ncands; k++)
			if (register_cert(a, l->cands[k].cert) < 0 ||
			    register_cert(a, l->cands[k].issuer) < 0)
				return -1;
	}
	for (k = 0; k < r->nalternatives; k++)
		for (i = 0; i < r->alternatives[k].len; i++)
			if (register_cert(a, path_node_cert(r,
			    &r->alternatives[k], i)) < 0)
				return -1;
	return 0;
}

/* ---- caIssuers ---------------------------------------------------------- */

/* What one target fetched from caIssuers URLs, and which it tried. */
struct fetched {
	const struct cert **v;		/* owned array: held, or the run's */
	size_t		  n, cap;
	const char	 *tried[AIA_MAX_FETCHES];	/* borrowed URLs */
	size_t		  ntried;
};

static int
url_is_http(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0;
}

static int
fetched_tried(const struct fetched *fx, const char *url)
{
	size_t i;

	for (i = 0; i < fx->ntried; i++)
		if (strcmp(fx->tried[i], url) == 0)
			return 1;
	return 0;
}

/*
 * The next caIssuers URL of c to try, http ones first: a URL of another
 * scheme is only reported (it is never fetched) when no http one helped.
 */
static const char *
next_url(const struct fetched *fx, const struct cert *c)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < c->nca_issuers; i++)
			if (url_is_http(c->ca_issuers[i]) == !pass &&
			    !fetched_tried(fx, c->ca_issuers[i]))
				return c->ca_issuers[i];
	return NULL;
}

/* 1 when c is already in the pool of the target (sent or fetched). */
static int
fetched_known(const struct audit *a, const struct fetched *fx,
    const struct cert *c)
{
	size_t i;

	for (i = 0; i < a->npresented; i++)
		if (cert_is_same(a->certs[i].cert, c))
			return 1;
	for (i = 0; i < fx->n; i++)
		if (cert_is_same(fx->v[i], c))
			return 1;
	return 0;
}

/*
 * Add the certificates of a caIssuers body to fx, the ones parsed here
 * kept by the audit's hold.  *issuer says whether one of them names
 * itself as top's issuer; *err why none parsed.  0 or -1 (ENOMEM).
 */
static int
fetched_add_body(struct audit *a, struct fetched *fx,
    const struct judge_params *params, const struct cert *top,
    const unsigned char *body, size_t len, int *issuer, size_t *nparsed,
    char *err, size_t errlen)
{
	struct der_list blobs;
	struct cert *c;
	char why[ERRBUF_LEN];
	size_t i;
	int owned, ret = -1;

	*issuer = 0;
	*nparsed = 0;
	memset(&blobs, 0, sizeof(blobs));
	if (pem_decode(body, len, &blobs) < 0)
		goto out;
	snprintf(why, sizeof(why), "%s", blobs.nerrors > 0 ?
	    blobs.errors[0] : "no certificate in it");
	for (i = 0; i < blobs.n && i < AIA_MAX_CERTS; i++) {
		if ((c = cert_cache_parse(params->certs, blobs.v[i].der,
		    blobs.v[i].len, &owned, why, sizeof(why))) == NULL)
			continue;
		(*nparsed)++;
		if (cert_is_issuer_name_of(c, top))
			*issuer = 1;
		if (fetched_known(a, fx, c)) {
			if (owned)
				cert_free(c);
			continue;
		}
		if (owned && audit_hold_keep(a->hold, c) < 0)
			goto out;
		if (array_reserve(&fx->v, &fx->cap, fx->n + 1,
		    sizeof(*fx->v)) < 0)
			goto out;
		fx->v[fx->n++] = c;
	}
	if (*nparsed == 0)
		snprintf(err, errlen, "not a certificate (DER, PEM or "
		    "PKCS#7): %.160s", why);
	ret = 0;
out:
	der_list_free(&blobs);
	return ret;
}

/*
 * While the chosen path stops short of an anchor for want of an issuer
 * (not at a failed signature or the depth bound), fetch the caIssuers
 * URLs of the certificate atop it and build the paths again with what
 * they served (ORIGIN_AIA), so an intermediate fetched can lead to its
 * own issuer.  Each URL that gives nothing useful is an aia-fetch-failed
 * note on that certificate; the audit goes on without it.  0 or -1
 * (ENOMEM).
 */
static int
audit_fetch_issuers(struct audit *a, struct path_input *in,
    const struct path_params *pp, const struct judge_params *params,
    struct sig_cache *cache, struct fetched *fx)
{
	const struct path *p;
	const struct cert *top;
	struct path_result *r;
	unsigned char *body;
	const char *url;
	char why[ERRBUF_LEN], name[256];
	size_t len, nparsed, before;
	int idx, issuer, got;

	while (fx->ntried < AIA_MAX_FETCHES) {
		p = &a->paths->chosen;
		if (!a->paths->have_chosen || p->complete || p->depth_cut ||
		    p->broken_link)
			return 0;
		top = path_node_cert(a->paths, p, p->len - 1);
		if (top->self_issued || (url = next_url(fx, top)) == NULL)
			return 0;
		fx->tried[fx->ntried++] = url;
		body = NULL;
		len = 0;
		why[0] = '\0';
		got = params->fetch_issuer(params->fetch_arg, url, &body, &len,
		    why, sizeof(why)) == 0;
		issuer = 0;
		nparsed = 0;
		before = fx->n;
		if (got && fetched_add_body(a, fx, params, top, body, len,
		    &issuer, &nparsed, why, sizeof(why)) < 0) {
			free(body);
			return -1;
		}
		free(body);
		if (got && nparsed == 0)
			got = 0;
		else if (got && !issuer) {
			snprintf(why, sizeof(why), "it serves no certificate "
			    "named as the issuer of %s", cert_short_name(top,
			    name, sizeof(name)));
			got = 0;
		}
		if (!got) {
			if ((idx = audit_cert_index(a, top,
			    path_cert_origin(a->paths, top))) < 0 ||
			    audit_add_finding(a, FIND_AIA_FETCH_FAILED, idx,
			    "%s: %s", url, why) < 0)
				return -1;
			continue;
		}
		if (fx->n == before)
			continue;	/* nothing new: the paths stay */
		in->fetched = fx->v;
		in->nfetched = fx->n;
		if ((r = path_build(in, pp, cache)) == NULL)
			return -1;
		path_result_free(a->paths);
		a->paths = r;
	}
	return 0;
}

/*
 * Each named store's verdict: the deciding store's from the paths just
 * built, every other's from a search of its own over that store, which
 * reaches the run's intermediates and known CAs through its pool but
 * trusts only its own anchors.  0 or -1 (ENOMEM).
 */
static int
judge_stores(struct audit *a, const struct path_input *in,
    const struct path_params *pp, const struct judge_params *params,
    struct sig_cache *cache)
{
	const struct path_result *use;
	struct path_result *own;
	struct path_input sin;
	struct audit_verdict *v;
	size_t i;

	if (params->nstores == 0)
		return 0;
	if ((a->verdicts = calloc(params->nstores,
	    sizeof(*a->verdicts))) == NULL)
		return -1;
	a->nverdicts = params->nstores;
	for (i = 0; i < params->nstores; i++) {
		v = &a->verdicts[i];
		v->store = &params->stores[i];
		own = NULL;
		if (v->store->store == NULL)
			use = a->paths;
		else {
			sin = *in;
			sin.store = v->store->store;
			if ((own = path_build(&sin, pp, cache)) == NULL)
				return -1;
			use = own;
		}
		/* Anchors and sent certificates outlive the result. */
		if (use->have_chosen && use->chosen.complete) {
			v->trusted = 1;
			v->anchor = path_node_cert(use, &use->chosen,
			    use->chosen.len - 1);
		} else if (own != NULL && own->cut != 0 &&
		    audit_add_finding(a, FIND_BUDGET_EXCEEDED, -1, "no path "
		    "to an anchor of the %s store was found before the work "
		    "budget ran out: its verdict is undecided",
		    v->store->name) < 0) {
			path_result_free(own);
			return -1;
		}
		path_result_free(own);
	}
	return 0;
}

/* ---- facts for policy --------------------------------------------------- */

#define OID_ORGANIZATION	"2.5.4.10"

/* The facts of one target and the arrays behind them (owned). */
struct facts {
	struct policy_facts	 f;
	unsigned char		*anchor;	/* per presented cert: anchor_buf
						   or owned (small_calloc) */
	unsigned char		 anchor_buf[SMALL_CHAIN + 1];
	struct issuer_guess	*guesses;
	size_t			 nguesses, cap;
	int			 nomem;
	enum issuer_match	 how;		/* of the lookup running */
	const unsigned char	*org;		/* ISSUER_BY_ORG: the value */
	size_t			 orglen;
	struct rev_result	*crl;		/* per node of the path */
	struct rev_result	 staple, responder;
	char			*url;		/* the leaf's OCSP URL */
};

static void
facts_free(struct facts *fx)
{
	small_free(fx->anchor, fx->anchor_buf);
	free(fx->guesses);
	free(fx->crl);
	free(fx->url);
}

static int
guess_add(const struct trust_entry *e, void *arg)
{
	struct facts *fx = arg;
	const unsigned char *v;
	unsigned long tag;
	size_t i, vlen;

	if (fx->how == ISSUER_BY_ORG && (asn1_name_attr(
	    e->cert->raw_subject.data, e->cert->raw_subject.size,
	    OID_ORGANIZATION, &tag, &v, &vlen) != 1 || vlen != fx->orglen ||
	    strncasecmp((const char *)v, (const char *)fx->org, vlen) != 0))
		return 0;
	for (i = 0; i < fx->nguesses; i++)
		if (fx->guesses[i].cert == e->cert && fx->guesses[i].how <=
		    fx->how)
			return 0;
	if (array_reserve(&fx->guesses, &fx->cap, fx->nguesses + 1,
	    sizeof(*fx->guesses)) < 0) {
		fx->nomem = 1;
		return 1;
	}
	fx->guesses[fx->nguesses].cert = e->cert;
	fx->guesses[fx->nguesses].how = fx->how;
	fx->nguesses++;
	return 0;
}

/*
 * Who might have issued top, whose issuer is nowhere in the pool: the
 * known certificates sharing its issuer's identity, strongest evidence
 * first (key identifier, then name, then organisation; the last among
 * the distrust policy's own certificates only, as an organisation name
 * is weak evidence).  0 or -1 (ENOMEM).
 */
static int
guess_issuers(struct facts *fx, const struct cert *top,
    const struct trust_store *store)
{
	unsigned long tag;

	fx->how = ISSUER_BY_KEYID;
	if (top->aki_len > 0)
		trust_store_each_keyid(store, top->aki, top->aki_len, guess_add,
		    fx);
	fx->how = ISSUER_BY_NAME;
	trust_store_each_subject(store, top->raw_issuer.data,
	    top->raw_issuer.size, guess_add, fx);
	fx->how = ISSUER_BY_ORG;
	if (asn1_name_attr(top->raw_issuer.data, top->raw_issuer.size,
	    OID_ORGANIZATION, &tag, &fx->org, &fx->orglen) == 1 &&
	    fx->orglen > 0)
		trust_store_each_kind(store, TRUST_KNOWN, guess_add, fx);
	return fx->nomem ? -1 : 0;
}

/* A trust_store_each_subject callback: a corpus copy of the node arg. */
static int
public_copy(const struct trust_entry *e, void *arg)
{
	return e->kind == TRUST_CORPUS && cert_is_same_node(e->cert, arg);
}

/*
 * Whether the self-signed top of a path that reached no anchor is a
 * public CA's root: the known-CA corpus holds it (every CA certificate
 * disclosed to CCADB), or another named store's path is complete.
 */
static int
top_is_public(const struct audit *a, const struct cert *top,
    const struct trust_store *store)
{
	size_t i;

	for (i = 0; i < a->nverdicts; i++)
		if (a->verdicts[i].trusted)
			return 1;
	return trust_store_each_subject(store, top->raw_subject.data,
	    top->raw_subject.size, public_copy, (void *)top) == 1;
}

/*
 * Whether c signs itself, when the budget pays for the check: else 0
 * (policy claims nothing it did not see; the cut is recorded).
 */
static int
self_signed_paid(struct budget *bg, struct sig_cache *cache,
    const struct cert *c)
{
	if (!budget_spend(bg, sig_verify_cost(c, c), BUDGET_CUT_SIGNATURES))
		return 0;
	return sig_is_self_signed(cache, c);
}

/*
 * Gather what policy needs to know about the pool: which certificates
 * are self-signed roots the store trusts, whether the leaf and the top
 * of the chosen path sign themselves, and who might have issued an
 * orphan.  The searches and signature checks happen here, so that
 * policy only reads.  0 or -1 (ENOMEM).
 */
static int
gather_facts(struct facts *fx, const struct audit *a,
    const struct judge_params *params, const struct trust_store *store,
    struct sig_cache *cache, struct budget *bg)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *c, *top;
	size_t i;

	memset(fx, 0, sizeof(*fx));
	if ((fx->anchor = small_calloc(fx->anchor_buf, sizeof(fx->anchor_buf),
	    a->npresented + 1, 1)) == NULL)
		return -1;
	/*
	 * A bundle's entries are all CA certificates audited alone, and a
	 * CA's self-signature is no finding: checks nobody reads are skipped.
	 */
	for (i = 0; i < a->npresented && !a->bundle_entry; i++) {
		c = a->certs[i].cert;
		/* Whether any copy is trusted: which one does not matter. */
		fx->anchor[i] = trust_store_anchor_for(store, c, 0) != NULL &&
		    self_signed_paid(bg, cache, c);
	}
	fx->f.presented_anchor = fx->anchor;
	c = a->certs[a->leaf].cert;
	if (!a->bundle_entry && !c->is_ca)
		fx->f.leaf_self_signed = self_signed_paid(bg, cache, c);
	if (r->have_chosen && !p->complete) {
		top = path_node_cert(r, p, p->len - 1);
		fx->f.top_self_signed = self_signed_paid(bg, cache, top);
		if (fx->f.top_self_signed)
			fx->f.top_public = top_is_public(a, top, store);
		if (!top->self_issued && params->distrust != NULL &&
		    distrust_count(params->distrust) > 0 &&
		    guess_issuers(fx, top, store) < 0)
			return -1;
	}
	fx->f.guesses = fx->guesses;
	fx->f.nguesses = fx->nguesses;
	return 0;
}

/* ---- revocation --------------------------------------------------------- */

/*
 * --ocsp: ask the leaf's responder about it and judge the answer.  A
 * responder that cannot be asked is REV_UNAVAILABLE, and the audit goes
 * on.
 */
static void
ask_responder(struct facts *fx, const struct judge_params *params,
    const struct cert *leaf, const struct cert *issuer)
{
	struct rev_result *out = &fx->responder;
	unsigned char *req = NULL, *body = NULL;
	size_t reqlen = 0, len = 0;

	memset(out, 0, sizeof(*out));
	out->reason = -1;
	out->status = REV_UNAVAILABLE;
	if ((fx->url = ocsp_url(leaf)) == NULL) {
		snprintf(out->why, sizeof(out->why), "the leaf names no OCSP "
		    "responder (authorityInfoAccess)");
		return;
	}
	fx->f.responder_url = fx->url;
	if (issuer == NULL) {
		snprintf(out->why, sizeof(out->why), "the leaf's issuer is "
		    "not known, so no OCSP request can be made");
		return;
	}
	if (ocsp_request(leaf, issuer, &req, &reqlen) < 0) {
		snprintf(out->why, sizeof(out->why), "cannot build the OCSP "
		    "request");
		return;
	}
	if (params->fetch_ocsp(params->ocsp_arg, fx->url, req, reqlen, &body,
	    &len, out->why, sizeof(out->why)) == 0)
		ocsp_check(body, len, leaf, issuer, params->now, out);
	free(req);
	free(body);
}

/*
 * What the CRLs, the stapled response and the responder say about the
 * chosen path: each certificate but the anchor against the CRLs of its
 * issuer on the path, the leaf against OCSP.  0 or -1 (ENOMEM).
 */
static int
gather_revocation(struct facts *fx, const struct audit *a,
    const struct judge_params *params)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *leaf, *issuer;
	size_t i;

	leaf = path_node_cert(r, p, 0);
	issuer = p->len > 1 ? path_node_cert(r, p, 1) : NULL;
	if (crl_set_count(params->crls) > 0) {
		if ((fx->crl = calloc(p->len, sizeof(*fx->crl))) == NULL)
			return -1;
		for (i = 0; i + 1 < p->len; i++)
			crl_check(params->crls, path_node_cert(r, p, i),
			    path_node_cert(r, p, i + 1), params->now,
			    &fx->crl[i]);
		fx->f.crl = fx->crl;
		fx->f.ncrl = p->len;
	}
	if (a->bundle_entry)
		return 0;	/* a CA audited alone was not served */
	if (params->staple_asked) {
		if (params->staple == NULL) {
			memset(&fx->staple, 0, sizeof(fx->staple));
			fx->staple.reason = -1;
			fx->staple.status = REV_ABSENT;
		} else
			ocsp_check(params->staple, params->staple_len, leaf,
			    issuer, params->now, &fx->staple);
		fx->f.staple = &fx->staple;
		fx->f.must_staple = cert_is_must_staple(leaf);
	}
	if (params->fetch_ocsp != NULL && !leaf->is_ca) {
		ask_responder(fx, params, leaf, issuer);
		fx->f.responder = &fx->responder;
	}
	return 0;
}

/* One answer into a's plain revocation list, when there is one. */
static int
record_one(struct audit *a, const struct cert *c, const char *source,
    const struct rev_result *r, const char *where)
{
	struct audit_revocation ar;
	int idx;

	if (r == NULL || r->status == REV_NONE)
		return 0;
	if ((idx = audit_cert_index(a, c, path_cert_origin(a->paths,
	    c))) < 0)
		return -1;
	memset(&ar, 0, sizeof(ar));
	ar.cert = idx;
	ar.source = source;
	ar.status = rev_status_name(r->status);
	ar.this_update = r->this_update;
	ar.next_update = r->next_update;
	ar.revoked_at = r->status == REV_REVOKED ? r->revoked_at : 0;
	ar.reason = r->status == REV_REVOKED ? rev_reason_name(r->reason) :
	    NULL;
	ar.where = (char *)(r->origin != NULL ? r->origin : where);
	ar.detail = r->why[0] != '\0' ? (char *)r->why : NULL;
	return audit_add_revocation(a, &ar);
}

/* The answers of fx, for the writers.  0 or -1 (ENOMEM). */
static int
record_revocation(struct audit *a, const struct facts *fx)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *leaf = path_node_cert(r, p, 0);
	size_t i;

	for (i = 0; i < fx->f.ncrl; i++)
		if (record_one(a, path_node_cert(r, p, i), "crl",
		    &fx->f.crl[i], NULL) < 0)
			return -1;
	if (record_one(a, leaf, "ocsp-staple", fx->f.staple, NULL) < 0 ||
	    record_one(a, leaf, "ocsp-responder", fx->f.responder,
	    fx->url) < 0)
		return -1;
	return 0;
}

/*
 * A self-signed hybrid certificate's alternative signature, checked with
 * its own alternative key for every listed certificate that is self-
 * issued and carries one: the report says whether it holds, though, as
 * with the primary self-signature, trust never rests on it.
 */
static void
check_alt_self_signatures(struct audit *a, struct sig_cache *cache)
{
	const struct cert *c;
	size_t i;

	for (i = 0; i < a->ncerts; i++) {
		c = a->certs[i].cert;
		if (c != NULL && c->self_issued && c->alt_present &&
		    a->certs[i].alt_self_status == 0)
			a->certs[i].alt_self_status = 1 + (int)sig_verify_alt(
			    cache, c, c);
	}
}

/*
 * Build paths from the leaf, judge, and fill the plain view the writers
 * read.  0 or -1 (ENOMEM).
 */
static int
audit_judge(struct audit *a, const struct cert *const *extra, size_t nextra,
    const struct judge_params *params, const struct trust_store *store,
    struct sig_cache *cache, uint64_t *spent)
{
	const struct cert *presented_buf[SMALL_CHAIN], **presented = NULL;
	struct path_input in;
	struct path_params pp;
	struct distrust_ctx dctx;
	struct fetched fx;
	struct facts facts;
	struct budget bg;
	size_t i;
	int ret = -1;

	memset(&fx, 0, sizeof(fx));
	memset(&facts, 0, sizeof(facts));
	/* One budget for all the audit's work: searches, facts, policy. */
	budget_init(&bg, params->path.max_work);

	if (params->host != NULL && !a->bundle_entry &&
	    (a->host = strdup(params->host)) == NULL)
		goto out;
	a->leaf = choose_leaf(a);
	if (a->leaf < 0) {
		ret = view_fill(a);
		goto out;
	}
	if ((presented = small_calloc(presented_buf, sizeof(presented_buf),
	    a->npresented, sizeof(*presented))) == NULL)
		goto out;
	for (i = 0; i < a->npresented; i++)
		presented[i] = a->certs[i].cert;
	memset(&in, 0, sizeof(in));
	in.leaf = a->certs[a->leaf].cert;
	in.presented = presented;
	in.npresented = a->npresented;
	in.extra = extra;
	in.nextra = nextra;
	in.store = store;
	/* Rank paths around distrusted CAs, as browsers build around them. */
	pp = params->path;
	pp.budget = &bg;
	if (params->distrust != NULL) {
		dctx.policy = params->distrust;
		dctx.leaf = in.leaf;
		dctx.now = params->now;
		pp.distrusted = policy_path_distrusted;
		pp.distrusted_arg = &dctx;
	}
	if ((a->paths = path_build(&in, &pp, cache)) == NULL)
		goto out;
	if (params->fetch_issuer != NULL && audit_fetch_issuers(a, &in, &pp,
	    params, cache, &fx) < 0)
		goto out;
	if (a->paths->have_chosen) {
		a->trusted = a->paths->chosen.complete;
		if (register_path_certs(a) < 0)
			goto out;
	}
	if (judge_stores(a, &in, &pp, params, cache) < 0)
		goto out;
	if (a->paths->have_chosen && (gather_facts(&facts, a, params, store,
	    cache, &bg) < 0 || gather_revocation(&facts, a, params) < 0 ||
	    record_revocation(a, &facts) < 0))
		goto out;
	facts.f.budget = &bg;
	if (policy_check(a, params, &facts.f) < 0)
		goto out;
	check_alt_self_signatures(a, cache);
	/* Last, once nothing adds certificates: what the writers read. */
	ret = view_fill(a);
out:
	if (spent != NULL)
		*spent = bg.spent;
	facts_free(&facts);
	free(fx.v);
	small_free(presented, presented_buf);
	return ret;
}

/* private-key-in-file, on the input's first audit, naming the block. */
static int
key_finding(struct audit *a, const struct der_list *blobs)
{
	if (blobs->key_block == 0)
		return 0;
	return audit_add_finding(a, FIND_PRIVATE_KEY_IN_FILE, -1,
	    "block %u of the file is a private key (%s): a key should not be "
	    "in a certificate file or bundle", blobs->key_block,
	    blobs->key_label);
}

static int
audit_one_chain(const char *source, const struct der_list *blobs,
    struct cert **parsed, char (*errs)[ERRBUF_LEN], struct audit_hold *hold,
    const struct judge_params *params, const struct trust_store *store,
    struct sig_cache *cache, audit_sink sink, void *arg)
{
	struct audit *a;
	size_t i;

	if ((a = audit_new(source)) == NULL)
		return -1;
	a->hold = audit_hold_ref(hold);
	for (i = 0; i < blobs->nerrors; i++) {
		a->bad_input = 1;
		if (audit_add_finding(a, FIND_UNPARSEABLE, -1, "%s",
		    blobs->errors[i]) < 0)
			goto fail;
	}
	for (i = 0; i < blobs->n; i++) {
		if (parsed[i] != NULL) {
			if (audit_add_presented(a, parsed[i], (int)i) < 0)
				goto fail;
			continue;
		}
		a->bad_input = 1;
		if (audit_add_finding(a, FIND_UNPARSEABLE, -1,
		    "certificate #%zu: %s", i + 1, errs[i]) < 0)
			goto fail;
	}
	if (a->npresented == 0) {
		a->bad_input = 1;
		free(a->error);
		if ((a->error = strdup(a->nfindings > 0 ?
		    a->findings[0].message : "no certificate in input")) == NULL)
			goto fail;
	} else if (audit_judge(a, NULL, 0, params, store, cache, NULL) < 0)
		goto fail;
	if (key_finding(a, blobs) < 0)
		goto fail;
	audit_hold_shed(hold);
	return sink(a, arg);
fail:
	audit_free(a);
	return -1;
}

static int
audit_bundle(const char *source, const struct der_list *blobs,
    struct cert **parsed, char (*errs)[ERRBUF_LEN], struct audit_hold *hold,
    const struct judge_params *params, const struct trust_store *store,
    struct sig_cache *cache, audit_sink sink, void *arg)
{
	const struct cert **others = NULL;
	struct judge_params ep;
	struct audit *a = NULL;
	char *name = NULL;
	size_t i, j, n, left = BUNDLE_SIG_CHECKS;
	uint64_t work_left = BUNDLE_WORK_FACTOR * params->path.max_work, spent;
	int ret = -1;

	if ((others = calloc(blobs->n + 1, sizeof(*others))) == NULL)
		goto out;
	ep = *params;
	for (i = 0; i < blobs->nerrors; i++) {
		if ((a = audit_error(source, "%s", blobs->errors[i])) == NULL)
			goto out;
		a->bad_input = 1;
		if (sink(a, arg) < 0)
			goto out;
		a = NULL;
	}
	for (i = 0; i < blobs->n; i++) {
		if (blobs->n > 1 ? asprintf(&name, "%s#%zu", source, i + 1) < 0 :
		    (name = strdup(source)) == NULL) {
			name = NULL;
			goto out;
		}
		if (parsed[i] == NULL) {
			if ((a = audit_error(name, "%s", errs[i])) == NULL)
				goto out;
			a->bad_input = 1;
		} else {
			if ((a = audit_new(name)) == NULL)
				goto out;
			a->hold = audit_hold_ref(hold);
			a->bundle_entry = 1;
			for (j = 0, n = 0; j < blobs->n; j++)
				if (j != i && parsed[j] != NULL)
					others[n++] = parsed[j];
			/*
			 * Once the budget is spent, the search of each entry
			 * left stops at once and says so (path-search-limit):
			 * every entry is still reported.
			 */
			ep.path.max_sig_checks = params->path.max_sig_checks <
			    left ? params->path.max_sig_checks : (unsigned)left;
			ep.path.max_work = params->path.max_work < work_left ?
			    params->path.max_work : work_left;
			spent = 0;
			if (audit_add_presented(a, parsed[i], 0) < 0 ||
			    audit_judge(a, others, n, &ep, store, cache,
			    &spent) < 0)
				goto out;
			if (a->paths != NULL)
				left -= a->paths->sig_checks < left ?
				    a->paths->sig_checks : left;
			work_left -= spent < work_left ? spent : work_left;
		}
		if (i == 0 && key_finding(a, blobs) < 0)
			goto out;
		free(name);
		name = NULL;
		if (sink(a, arg) < 0) {
			a = NULL;
			goto out;
		}
		a = NULL;
	}
	ret = 0;
out:
	audit_free(a);
	free(name);
	free(others);
	return ret;
}

/*
 * Audit one input; see audit.h.
 */
int
judge_input(const char *source, const struct der_list *blobs, int bundle,
    const struct judge_params *params, const struct trust_store *store,
    struct sig_cache *cache, audit_sink sink, void *arg)
{
	struct cert *parsed_buf[SMALL_CHAIN], **parsed;
	char errs_buf[SMALL_CHAIN][ERRBUF_LEN], (*errs)[ERRBUF_LEN];
	struct audit_hold *hold = NULL;
	size_t i, nca = 0, ngood = 0;
	int ret = -1, owned;

	parsed = small_calloc(parsed_buf, sizeof(parsed_buf), blobs->n + 1,
	    sizeof(*parsed));
	errs = small_calloc(errs_buf, sizeof(errs_buf), blobs->n + 1,
	    sizeof(*errs));
	if (parsed == NULL || errs == NULL ||
	    (hold = audit_hold_new(blobs->n)) == NULL)
		goto out;
	for (i = 0; i < blobs->n; i++) {
		parsed[i] = cert_cache_parse_blob(params->certs, &blobs->v[i],
		    &owned, errs[i], sizeof(errs[i]));
		if (parsed[i] == NULL)
			continue;
		if (owned)
			audit_hold_set(hold, i, parsed[i]);
		ngood++;
		nca += parsed[i]->is_ca;
	}
	/*
	 * Only CA certificates: a root or intermediates bundle, unless a host
	 * name says this is what a server presents.
	 */
	if (ngood > 0 && nca == ngood && params->host == NULL)
		bundle = 1;
	if (bundle && ngood > 0)
		ret = audit_bundle(source, blobs, parsed, errs, hold, params,
		    store, cache, sink, arg);
	else
		ret = audit_one_chain(source, blobs, parsed, errs, hold, params,
		    store, cache, sink, arg);
out:
	audit_hold_release(hold);
	small_free(parsed, parsed_buf);
	small_free(errs, errs_buf);
	return ret;
}
