/*
 * path.c: build every path from a leaf to a trust anchor, evaluate every
 * candidate signature on every link, and choose.
 *
 * The graph is built lazily from the leaf upward: a node's issuers are
 * looked up (by issuer DN, in the presented chain, the rest of the input,
 * and the store) only when the depth-first search reaches it.  Each link
 * is evaluated once, however many paths share it.  Work is bounded by
 * path_params; hitting a bound is reported, never silent.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

/*
 * A result and the start of its arena, in one allocation: a usual
 * search (three nodes, two links, a path or two) fits, so its arrays
 * cost none of their own.  path_result_free frees the block by its
 * first member.
 */
#define PATH_ARENA_INLINE	2048
#define PATH_ARENA_FIRST	4096	/* the first chunk beyond it */

struct result_block {
	struct path_result	 r;
	max_align_t		 space[PATH_ARENA_INLINE / sizeof(max_align_t)];
};

struct builder {
	const struct path_input	*in;
	const struct path_params *p;
	struct sig_cache	*cache;
	struct path_result	*r;
	struct budget		*bg;		/* p->budget, or own */
	struct budget		 own;
	size_t			 stack_nodes[64];
	size_t			 stack_links[64];
	size_t			 depth;		/* nodes on the stack */
	struct path		 partial;	/* best dead end so far */
	int			 have_partial;
	int			 stop;		/* a work limit was hit */
	int			 nomem;
	size_t			*found;		/* r's arena: node_expand's
						   scratch, reused by each */
	size_t			 foundcap;
};

/* A bound stopped part of the search: what, for the report. */
static void
builder_cut(struct builder *b, unsigned what, int stop)
{
	b->r->capped = 1;
	b->r->cut |= what;
	if (stop)
		b->stop = 1;
}

/* ---- nodes ------------------------------------------------------------ */

static int
node_has_cert(const struct node *n, const struct cert *c, size_t *at)
{
	size_t i;

	for (i = 0; i < n->ncerts; i++)
		if (n->certs[i] == c || cert_is_same(n->certs[i], c)) {
			*at = i;
			return 1;
		}
	return 0;
}

/* Append copy c of n, from o.  0 or -1. */
static int
node_push(struct path_result *r, struct node *n, const struct cert *c,
    enum origin o)
{
	size_t cap = n->certcap;

	if (arena_grow(&r->mem, &n->certs, &cap, n->ncerts + 1,
	    sizeof(*n->certs)) < 0)
		return -1;
	cap = n->certcap;
	if (arena_grow(&r->mem, &n->origins, &cap, n->ncerts + 1,
	    sizeof(*n->origins)) < 0)
		return -1;
	n->certcap = cap;
	n->certs[n->ncerts] = c;
	n->origins[n->ncerts] = o;
	n->ncerts++;
	return 0;
}

static int
node_add_cert(struct path_result *r, struct node *n, const struct cert *c,
    enum origin o)
{
	size_t at;

	if (node_has_cert(n, c, &at)) {
		/* The same certificate from two places: it was sent, if at all. */
		if (o < n->origins[at]) {
			n->origins[at] = o;
			n->certs[at] = c;
		}
		return 0;
	}
	return node_push(r, n, c, o);
}

/* Index of the node c belongs to, created when new; -1 on ENOMEM. */
static long
node_for(struct path_result *r, const struct cert *c)
{
	struct node *n;
	size_t i;

	for (i = 0; i < r->nnodes; i++)
		if (cert_is_same_node(r->nodes[i].certs[0], c))
			return (long)i;
	if (arena_grow(&r->mem, &r->nodes, &r->nodecap, r->nnodes + 1,
	    sizeof(*r->nodes)) < 0)
		return -1;
	n = &r->nodes[r->nnodes];
	memset(n, 0, sizeof(*n));
	/* ORIGIN_KNOWN, the highest: lowered by the caller. */
	if (node_push(r, n, c, ORIGIN_KNOWN) < 0)
		return -1;
	return (long)r->nnodes++;
}

/* The certificate of n whose key verifies signatures: all share it. */
static const struct cert *
node_key_cert(const struct node *n)
{
	size_t i;

	if (n->anchor != NULL && cert_pubkey(n->anchor) != NULL)
		return n->anchor;
	for (i = 0; i < n->ncerts; i++)
		if (cert_pubkey(n->certs[i]) != NULL)
			return n->certs[i];
	return n->certs[0];
}

/*
 * The certificate whose alternative public key checks the alternative
 * signatures n makes, or NULL when n has none to trust.  A node is a
 * (subject, primary key) identity, but subjectAltPublicKeyInfo is bound
 * only by the certificate that carries it: a forged copy of a CA
 * certificate, with its name and primary key and a key of the forger's
 * choosing, joins the node however bogus its own signature.  So a
 * trusted node's alternative key is its anchor's alone, and another
 * node's counts only when every certificate of the node carries that
 * same key: whichever of them vouches for the node upward then vouches
 * for the key too.
 */
static const struct cert *
node_alt_key_cert(const struct node *n)
{
	size_t i;

	if (n->anchor != NULL)
		return n->anchor->alt_key_present ? n->anchor : NULL;
	for (i = 0; i < n->ncerts; i++)
		if (!n->certs[i]->alt_key_present ||
		    memcmp(n->certs[i]->alt_spki_sha256,
		    n->certs[0]->alt_spki_sha256, SHA256_LEN) != 0)
			return NULL;
	return n->ncerts > 0 ? n->certs[0] : NULL;
}

/* ---- candidate issuers ------------------------------------------------ */

struct lookup {
	struct builder	*b;
	size_t		 child;		/* the node being expanded */
	size_t		*found;		/* issuer node indexes (b's scratch) */
	size_t		 nfound, cap;
	int		 nomem;
};

static int
valid_at(const struct cert *c, time_t now);

/* Of two trusted certificates for one node, 1 when a serves better. */
static int
anchor_copy_better(const struct cert *a, const struct cert *b, time_t now)
{
	if (valid_at(a, now) != valid_at(b, now))
		return valid_at(a, now);
	return a->self_issued && !b->self_issued;
}

static void
lookup_add(struct lookup *lk, const struct cert *c, enum origin o,
    int anchor)
{
	struct path_result *r = lk->b->r;
	long idx;
	size_t i;

	if (cert_is_same_node(c, r->nodes[lk->child].certs[0]))
		return;		/* a self-signature is not a link */
	/*
	 * Each certificate considered costs a look through the nodes: a
	 * pool of thousands sharing one name must not make that quadratic
	 * work unbounded.
	 */
	if (lk->b->stop || !budget_spend(lk->b->bg, BUDGET_CERT_NS +
	    BUDGET_CERT_NS / 8 * (uint64_t)r->nnodes, BUDGET_CUT_CERTS)) {
		builder_cut(lk->b, BUDGET_CUT_CERTS, 1);
		return;
	}
	if ((idx = node_for(r, c)) < 0 ||
	    node_add_cert(r, &r->nodes[idx], c, o) < 0) {
		lk->nomem = 1;
		return;
	}
	/*
	 * Of several trusted copies of a node (a root and its cross-signs
	 * in one trust file), the one valid now stands for it, then a
	 * self-issued one: the order of the file must not matter.
	 */
	if (anchor && (r->nodes[idx].anchor == NULL ||
	    anchor_copy_better(c, r->nodes[idx].anchor, lk->b->p->now)))
		r->nodes[idx].anchor = c;
	for (i = 0; i < lk->nfound; i++)
		if (lk->found[i] == (size_t)idx)
			return;
	if (arena_grow(&r->mem, &lk->found, &lk->cap, lk->nfound + 1,
	    sizeof(*lk->found)) < 0) {
		lk->nomem = 1;
		return;
	}
	lk->found[lk->nfound++] = (size_t)idx;
}

static int
lookup_store_cb(const struct trust_entry *e, void *arg)
{
	static const enum origin origin_of[] = {
		[TRUST_ANCHOR] = ORIGIN_ANCHOR,
		[TRUST_INTERMEDIATE] = ORIGIN_INTERMEDIATE,
		[TRUST_KNOWN] = ORIGIN_KNOWN,
		[TRUST_CORPUS] = ORIGIN_CORPUS,
	};

	lookup_add(arg, e->cert, origin_of[e->kind], e->kind == TRUST_ANCHOR);
	return 0;
}

static int
dn_equal(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

static void
lookup_dn(struct lookup *lk, const gnutls_datum_t *dn)
{
	const struct path_input *in = lk->b->in;
	size_t i;

	for (i = 0; i < in->npresented; i++)
		if (dn_equal(&in->presented[i]->raw_subject, dn))
			lookup_add(lk, in->presented[i], ORIGIN_PRESENTED, 0);
	for (i = 0; i < in->nextra; i++)
		if (dn_equal(&in->extra[i]->raw_subject, dn))
			lookup_add(lk, in->extra[i], ORIGIN_EXTRA, 0);
	for (i = 0; i < in->nfetched; i++)
		if (dn_equal(&in->fetched[i]->raw_subject, dn))
			lookup_add(lk, in->fetched[i], ORIGIN_AIA, 0);
	trust_store_each_subject(in->store, dn->data, dn->size,
	    lookup_store_cb, lk);
}

/* ---- links ------------------------------------------------------------ */

static int
valid_at(const struct cert *c, time_t now)
{
	return now >= c->not_before && now <= c->not_after;
}

/*
 * Order of preference between two verified candidates of one link: a
 * certificate that may sign certificates (a CA copy of an issuer), then
 * one valid now, then the stronger signature, then one that was sent
 * (what the server meant), then a primary signature.
 */
static int
candidate_better(const struct candidate *a, const struct candidate *b)
{
	int c;

	if (a->may_issue != b->may_issue)
		return a->may_issue > b->may_issue;
	if (a->valid_now != b->valid_now)
		return a->valid_now > b->valid_now;
	if ((c = strength_cmp(a->strength, b->strength)) != 0)
		return c > 0;
	if (a->origin != b->origin)
		return a->origin < b->origin;
	return a->kind < b->kind;
}

static int
link_add_candidate(struct path_result *r, struct link *l, size_t *cap,
    const struct candidate *c)
{
	if (arena_grow(&r->mem, &l->cands, cap, l->ncands + 1,
	    sizeof(*l->cands)) < 0)
		return -1;
	l->cands[l->ncands++] = *c;
	return 0;
}

/*
 * Evaluate the link child -> issuer: every certificate of child that
 * names issuer, verified with issuer's key.  Returns the link index, -2
 * when no certificate could make the link, -1 on ENOMEM.
 */
static long
link_make(struct builder *b, size_t child, size_t issuer)
{
	struct path_result *r = b->r;
	const struct node *cn = &r->nodes[child], *in = &r->nodes[issuer];
	const struct cert *key = node_key_cert(in), *alt, *c;
	struct candidate cand;
	enum sig_status primary;
	struct link l;
	size_t i, cap = 0, k;
	int named;

	memset(&l, 0, sizeof(l));
	l.subject = child;
	l.issuer = issuer;
	l.best = -1;
	for (i = 0; i < cn->ncerts; i++) {
		c = cn->certs[i];
		/* Does any certificate of the issuer fit c's names and AKI? */
		named = 0;
		for (k = 0; k < in->ncerts && !named; k++)
			named = cert_is_issuer_name_of(in->certs[k], c);
		if (!named)
			continue;
		if (r->sig_checks >= b->p->max_sig_checks) {
			builder_cut(b, BUDGET_CUT_SIG_COUNT, 1);
			break;
		}
		/*
		 * A check the budget cannot pay for is not made; a cheaper
		 * candidate after it still may be.
		 */
		if (!budget_spend(b->bg, sig_verify_cost(c, key),
		    BUDGET_CUT_SIGNATURES)) {
			builder_cut(b, BUDGET_CUT_SIGNATURES, 0);
			continue;
		}
		memset(&cand, 0, sizeof(cand));
		cand.cert = c;
		cand.issuer = key;
		cand.origin = cn->origins[i];
		cand.kind = CAND_PRIMARY;
		cand.status = sig_verify(b->cache, c, key);
		cand.strength = sig_strength(c, key);
		cand.valid_now = valid_at(c, b->p->now);
		/* Every node but the leaf's issues on the path through it. */
		cand.may_issue = child == 0 || cert_is_cert_signer(c, 0);
		r->sig_checks++;
		if (link_add_candidate(r, &l, &cap, &cand) < 0)
			return -1;
		if (!c->alt_present)
			continue;
		/*
		 * A hybrid certificate's second signature is a candidate
		 * too; it fails when the issuer has no alternative key that
		 * can be trusted.
		 */
		alt = node_alt_key_cert(in);
		/*
		 * The alternative signature does not cover the primary one,
		 * so anyone can change a hybrid certificate's primary
		 * signature and keep the alternative valid.  A certificate
		 * whose primary signature fails is corrupt or forged: its
		 * alternative vouches for nothing.
		 */
		primary = cand.status;
		if (alt != NULL && primary != SIG_FAILED &&
		    !budget_spend(b->bg, sig_verify_alt_cost(c, alt),
		    BUDGET_CUT_SIGNATURES)) {
			builder_cut(b, BUDGET_CUT_SIGNATURES, 0);
			continue;
		}
		cand.issuer = alt != NULL ? alt : key;
		cand.kind = CAND_ALTERNATIVE;
		cand.status = alt == NULL || primary == SIG_FAILED ? SIG_FAILED :
		    sig_verify_alt(b->cache, c, alt);
		cand.strength = sig_strength_alt(c, cand.issuer);
		r->sig_checks++;
		if (link_add_candidate(r, &l, &cap, &cand) < 0)
			return -1;
	}
	if (l.ncands == 0)
		return -2;
	for (i = 0; i < l.ncands; i++) {
		if (l.cands[i].status != SIG_VERIFIED)
			continue;
		if (l.best < 0 || candidate_better(&l.cands[i],
		    &l.cands[l.best]))
			l.best = (int)i;
	}
	if (arena_grow(&r->mem, &r->links, &r->linkcap, r->nlinks + 1,
	    sizeof(*r->links)) < 0)
		return -1;
	r->links[r->nlinks] = l;
	return (long)r->nlinks++;
}

/* 1 when link a should be explored before link b. */
static int
link_before(const struct link *a, const struct link *b)
{
	if (a->best < 0 || b->best < 0)
		return a->best >= 0 && b->best < 0;
	return candidate_better(&a->cands[a->best], &b->cands[b->best]);
}

/*
 * Explore the most promising issuer first, so that a search stopped by a
 * work limit has already seen the paths a careful client would use.  An
 * insertion sort: a node has few issuers, and it keeps ties in order.
 */
static void
sort_issuers(const struct path_result *r, size_t *v, size_t n)
{
	size_t i, j, t;

	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && link_before(&r->links[t],
		    &r->links[v[j - 1]]); j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/* Look up and evaluate every issuer of node n (once).  0 or -1. */
static int
node_expand(struct builder *b, size_t n)
{
	struct path_result *r = b->r;
	struct lookup lk;
	size_t i, j, ncerts;
	long li;
	int seen, ret = -1;

	if (r->nodes[n].expanded)
		return 0;
	/*
	 * No signature may be checked any more: looking up issuers (linear
	 * in the same-name certificates) would be work for nothing.
	 */
	if (r->sig_checks >= b->p->max_sig_checks) {
		builder_cut(b, BUDGET_CUT_SIG_COUNT, 1);
		return 0;
	}
	memset(&lk, 0, sizeof(lk));
	lk.b = b;
	lk.child = n;
	lk.found = b->found;
	lk.cap = b->foundcap;
	ncerts = r->nodes[n].ncerts;
	for (i = 0; i < ncerts; i++) {
		/* Several copies usually share an issuer name: look once. */
		seen = 0;
		for (j = 0; j < i && !seen; j++)
			seen = dn_equal(&r->nodes[n].certs[j]->raw_issuer,
			    &r->nodes[n].certs[i]->raw_issuer);
		if (!seen)
			lookup_dn(&lk, &r->nodes[n].certs[i]->raw_issuer);
		if (lk.nomem)
			goto out;
	}
	for (i = 0; i < lk.nfound; i++) {
		li = link_make(b, n, lk.found[i]);
		if (li == -1)
			goto out;
		if (li == -2)
			continue;
		if (arena_grow(&r->mem, &r->nodes[n].issuers,
		    &r->nodes[n].issuercap, r->nodes[n].nissuers + 1,
		    sizeof(size_t)) < 0)
			goto out;
		r->nodes[n].issuers[r->nodes[n].nissuers++] = (size_t)li;
		if (b->stop)
			break;
	}
	sort_issuers(r, r->nodes[n].issuers, r->nodes[n].nissuers);
	r->nodes[n].expanded = 1;
	ret = 0;
out:
	b->found = lk.found;
	b->foundcap = lk.cap;
	return ret;
}

/* ---- paths ------------------------------------------------------------ */


/*
 * Rank complete paths: negative when a is better.  A path whose issuers
 * may all sign certificates first, as no client builds through an end
 * entity; then one avoiding a distrusted CA, as browsers build around
 * one; then the fewest certificates outside their validity (a path
 * through an expired cross-sign is what broke clients when AddTrust
 * expired in 2020; and when every path
 * has an expired anchor, the one that adds no other expired certificate
 * is the one to report), then the strongest weakest link (never the
 * weakest alternative: the NSS 3.17.4 mistake), then the shorter path,
 * then the one closer to what was sent.
 */
static int
path_rank(const struct path *a, const struct path *b)
{
	int c;

	if (a->not_ca != b->not_ca)
		return a->not_ca < b->not_ca ? -1 : 1;
	if (a->distrusted != b->distrusted)
		return a->distrusted < b->distrusted ? -1 : 1;
	if (a->invalid != b->invalid)
		return a->invalid < b->invalid ? -1 : 1;
	if ((c = strength_cmp(a->weakest, b->weakest)) != 0)
		return -c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->presented != b->presented)
		return a->presented > b->presented ? -1 : 1;
	return 0;
}

/* Rank dead ends: the longest, then closest to what was sent. */
static int
partial_rank(const struct path *a, const struct path *b)
{
	int c;

	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	if (a->presented != b->presented)
		return a->presented > b->presented ? -1 : 1;
	if ((c = strength_cmp(a->weakest, b->weakest)) != 0)
		return -c;
	return 0;
}

/*
 * The path on the stack, its arrays borrowed from b's stack: most paths
 * are ranked and dropped, and only one kept is copied (path_keep).
 */
static void
path_from_stack(struct builder *b, struct path *p, int complete)
{
	struct path_result *r = b->r;
	const struct candidate *c;
	const struct node *top;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->len = b->depth;
	p->nodes = b->stack_nodes;
	p->links = b->stack_links;
	p->complete = complete;
	p->weakest.hash = HASH_STRONG;
	p->weakest.bits = UINT_MAX;
	for (i = 0; i + 1 < p->len; i++) {
		c = &r->links[p->links[i]].cands[r->links[p->links[i]].best];
		if (strength_cmp(c->strength, p->weakest) < 0)
			p->weakest = c->strength;
		if (!c->valid_now)
			p->invalid++;
		if (c->origin == ORIGIN_PRESENTED)
			p->presented++;
	}
	top = &r->nodes[p->nodes[p->len - 1]];
	if (p->len == 1 && !valid_at(top->certs[0], b->p->now))
		p->invalid++;
	else if (complete && top->anchor != NULL && !valid_at(top->anchor,
	    b->p->now))
		p->invalid++;
	p->all_valid = p->invalid == 0;
	for (i = 1; i < p->len; i++)
		p->not_ca += !cert_is_cert_signer(path_node_cert(r, p, i),
		    complete && i + 1 == p->len);
	if (complete && b->p->distrusted != NULL)
		p->distrusted = b->p->distrusted(r, p, b->p->distrusted_arg);
}

/*
 * Copy the arrays of a path from the stack into r's arena, to keep it.
 * A kept path later dropped (a worse alternative, a worse dead end)
 * leaves them there until the result is freed: a few bytes for each of
 * at most max_paths paths.  0 or -1.
 */
static int
path_keep(struct builder *b, struct path *p)
{
	size_t *nodes, *links;

	if ((nodes = arena_alloc(&b->r->mem, p->len, sizeof(*nodes))) == NULL ||
	    (links = arena_alloc(&b->r->mem, p->len, sizeof(*links))) == NULL)
		return -1;
	memcpy(nodes, p->nodes, p->len * sizeof(*nodes));
	if (p->len > 1)
		memcpy(links, p->links, (p->len - 1) * sizeof(*links));
	p->nodes = nodes;
	p->links = links;
	return 0;
}

/* Keep the best max_alternatives + 1 complete paths, best first. */
static int
record_complete(struct builder *b)
{
	struct path_result *r = b->r;
	struct path p;
	size_t keep = b->p->max_alternatives + 1, i;

	path_from_stack(b, &p, 1);
	r->complete_paths++;
	for (i = r->nalternatives; i > 0; i--)
		if (path_rank(&r->alternatives[i - 1], &p) <= 0)
			break;
	if (i >= keep)
		return 0;
	if (path_keep(b, &p) < 0 || (r->nalternatives < keep &&
	    arena_grow(&r->mem, &r->alternatives, &r->altcap,
	    r->nalternatives + 1, sizeof(*r->alternatives)) < 0))
		return -1;
	if (r->nalternatives == keep)
		r->nalternatives--;	/* the worst one goes */
	memmove(&r->alternatives[i + 1], &r->alternatives[i],
	    (r->nalternatives - i) * sizeof(*r->alternatives));
	r->alternatives[i] = p;
	r->nalternatives++;
	return 0;
}

static int
record_partial(struct builder *b, int broken, int depth_cut)
{
	struct path p;

	path_from_stack(b, &p, 0);
	p.broken_link = broken;
	p.depth_cut = depth_cut;
	if (b->have_partial && partial_rank(&p, &b->partial) >= 0)
		return 0;
	if (path_keep(b, &p) < 0)
		return -1;
	b->partial = p;
	b->have_partial = 1;
	return 0;
}

static int
on_stack(const struct builder *b, size_t node)
{
	size_t i;

	for (i = 0; i < b->depth; i++)
		if (b->stack_nodes[i] == node)
			return 1;
	return 0;
}

static int
search(struct builder *b)
{
	struct path_result *r = b->r;
	size_t n = b->stack_nodes[b->depth - 1], i;
	const struct link *l;
	int went_up = 0, broken = 0;

	if (b->stop)
		return 0;
	if (r->paths_explored >= b->p->max_paths) {
		builder_cut(b, BUDGET_CUT_PATHS, 1);
		return 0;
	}
	if (r->nodes[n].anchor != NULL) {
		r->paths_explored++;
		return record_complete(b);
	}
	if (b->depth >= b->p->max_depth) {
		/* A bound, not a dead end: report it as one. */
		r->paths_explored++;
		r->capped = 1;
		return record_partial(b, 0, 1);
	}
	if (node_expand(b, n) < 0)
		return -1;
	for (i = 0; i < r->nodes[n].nissuers && !b->stop; i++) {
		l = &r->links[r->nodes[n].issuers[i]];
		if (l->best < 0) {
			broken = 1;
			continue;
		}
		if (on_stack(b, l->issuer))
			continue;	/* cross-sign loops end here */
		b->stack_links[b->depth - 1] = r->nodes[n].issuers[i];
		b->stack_nodes[b->depth++] = l->issuer;
		went_up = 1;
		if (search(b) < 0)
			return -1;
		b->depth--;
	}
	if (!went_up) {
		r->paths_explored++;
		return record_partial(b, broken, 0);
	}
	return 0;
}

/*
 * 1 when the leaf stands for the trusted anchor: it is the anchor, or
 * the anchor's key signed it (a re-issue), if the budget pays for that.
 */
static int
leaf_is_anchor(struct builder *b, const struct cert *anchor)
{
	const struct cert *leaf = b->in->leaf;

	if (cert_is_same(anchor, leaf))
		return 1;
	if (!budget_spend(b->bg, sig_verify_cost(leaf, anchor),
	    BUDGET_CUT_SIGNATURES)) {
		builder_cut(b, BUDGET_CUT_SIGNATURES, 0);
		return 0;
	}
	return sig_verify(b->cache, leaf, anchor) == SIG_VERIFIED;
}

/*
 * Defaults: paths of at most 10 certificates, 2000 paths and 20000
 * signature checks per target, 8 alternatives kept for the report.
 */
void
path_params_default(struct path_params *p, time_t now)
{
	memset(p, 0, sizeof(*p));
	p->now = now;
	p->max_depth = 10;
	p->max_paths = 2000;
	p->max_sig_checks = 20000;
	p->max_alternatives = 8;
	p->max_work = BUDGET_DEFAULT_NS;
}

/*
 * Build and choose; see path.h.  Returns a new result or NULL.
 */
struct path_result *
path_build(const struct path_input *in, const struct path_params *params,
    struct sig_cache *cache)
{
	struct builder b;
	struct result_block *blk;
	struct path_result *r;
	const struct trust_entry *anchor;
	uint64_t spent;

	/* The space is the arena's to clear as it hands it out. */
	if ((blk = malloc(sizeof(*blk))) == NULL)
		return NULL;
	r = &blk->r;
	memset(r, 0, sizeof(*r));
	arena_init(&r->mem, blk->space, sizeof(blk->space), PATH_ARENA_FIRST);
	memset(&b, 0, sizeof(b));
	b.in = in;
	b.p = params;
	b.cache = cache;
	b.r = r;
	budget_init(&b.own, params->max_work);
	b.bg = params->budget != NULL ? params->budget : &b.own;
	spent = b.bg->spent;
	if (b.p->max_depth > sizeof(b.stack_nodes) / sizeof(b.stack_nodes[0]))
		goto fail;

	/* The leaf's node holds the leaf alone: it is what is judged. */
	if (node_for(r, in->leaf) != 0)
		goto fail;
	r->nodes[0].origins[0] = ORIGIN_PRESENTED;
	/*
	 * The leaf is what is judged, so sharing an anchor's name and key is
	 * not enough to stand for it: a forgery could copy both.  It must be
	 * the anchor itself, or signed by the anchor's key (a re-issue).
	 */
	if ((anchor = trust_store_anchor_for(in->store, in->leaf,
	    params->now)) != NULL && leaf_is_anchor(&b, anchor->cert))
		r->nodes[0].anchor = anchor->cert;
	b.stack_nodes[0] = 0;
	b.depth = 1;
	if (search(&b) < 0)
		goto fail;
	r->work = b.bg->spent - spent;

	if (r->nalternatives > 0) {
		r->chosen = r->alternatives[0];
		memmove(&r->alternatives[0], &r->alternatives[1],
		    (r->nalternatives - 1) * sizeof(*r->alternatives));
		r->nalternatives--;
		if (r->nalternatives > params->max_alternatives)
			r->nalternatives--;
		r->have_chosen = 1;
	} else if (b.have_partial) {
		r->chosen = b.partial;
		r->have_chosen = 1;
	}
	return r;
fail:
	path_result_free(r);
	return NULL;
}

void
path_result_free(struct path_result *r)
{
	if (r == NULL)
		return;
	arena_free(&r->mem);
	free(r);
}

/*
 * Where c came from: the lowest origin any node recorded for it.
 */
enum origin
path_cert_origin(const struct path_result *r, const struct cert *c)
{
	enum origin best = ORIGIN_KNOWN;
	size_t i, k;

	for (i = 0; i < r->nnodes; i++)
		for (k = 0; k < r->nodes[i].ncerts; k++)
			if ((r->nodes[i].certs[k] == c ||
			    cert_is_same(r->nodes[i].certs[k], c)) &&
			    r->nodes[i].origins[k] < best)
				best = r->nodes[i].origins[k];
	return best;
}

/*
 * The name of the algorithm a candidate signature was made with.
 */
const char *
candidate_sig_name(const struct candidate *c)
{
	if (c->kind == CAND_ALTERNATIVE)
		return c->cert->alt_sig_name[0] != '\0' ? c->cert->alt_sig_name :
		    "unknown";
	return c->cert->sig_name;
}

/*
 * The chosen candidate of link i of path p; borrowed from r.
 */
const struct candidate *
path_chosen_candidate(const struct path_result *r, const struct path *p,
    size_t i)
{
	const struct link *l = &r->links[p->links[i]];

	return l->best < 0 ? NULL : &l->cands[l->best];
}

/*
 * The certificate standing for node i of p: the chosen candidate's
 * certificate below the top, the trust store's certificate for an
 * anchor, else the copy that was sent, if one was.
 */
const struct cert *
path_node_cert(const struct path_result *r, const struct path *p, size_t i)
{
	const struct node *n = &r->nodes[p->nodes[i]];
	const struct candidate *c;
	size_t k, best = 0;

	if (i + 1 < p->len && (c = path_chosen_candidate(r, p, i)) != NULL)
		return c->cert;
	if (i == 0)
		return n->certs[0];
	if (n->anchor != NULL)
		return n->anchor;
	for (k = 1; k < n->ncerts; k++)
		if (n->origins[k] < n->origins[best])
			best = k;
	return n->certs[best];
}
