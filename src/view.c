/*
 * view.c: the audit record's plain view, filled once judging is done;
 * see view.h.  The writers used to work these out from the engine's
 * types each on its own; here it is done once per audit, without an
 * allocation per certificate or per link.
 */
#include <config.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "path.h"
#include "sig.h"
#include "view.h"

/* A certificate's plain fields, borrowed from it. */
static void
fill_cert(struct audit_cert *ac)
{
	const struct cert *c = ac->cert;

	if (c == NULL)
		return;
	ac->short_name = c->short_name != NULL ? c->short_name : "?";
	ac->serial = c->serial_hex;
	ac->sha256 = c->sha256_hex;
	ac->spki_sha256 = c->spki_sha256_hex;
	ac->not_before = c->not_before;
	ac->not_after = c->not_after;
	ac->key_algorithm = c->key_name;
	ac->key_bits = c->key_bits;
	cert_key_label(c, ac->key_label, sizeof(ac->key_label));
	ac->sig_algorithm = c->sig_name;
	ac->is_ca = c->is_ca;
	ac->self_issued = c->self_issued;
	ac->on_path = 0;
	ac->alt_key_algorithm = c->alt_key_present ? c->alt_key_name : NULL;
	ac->alt_sig_algorithm = c->alt_sig_name[0] != '\0' ? c->alt_sig_name :
	    NULL;
	ac->alt_self_signature = ac->alt_self_status > 0 ?
	    sig_status_name((enum sig_status)(ac->alt_self_status - 1)) : NULL;
}

/* Each named store's anchor: its subject is made once a run. */
static void
fill_verdicts(struct audit *a)
{
	struct audit_verdict *v;
	size_t i;

	for (i = 0; i < a->nverdicts; i++) {
		v = &a->verdicts[i];
		v->anchor_sha256 = v->anchor != NULL ? v->anchor->sha256_hex :
		    NULL;
		v->anchor_subject = v->anchor != NULL ?
		    cert_subject(v->anchor) : NULL;
	}
}

/*
 * The index of c (the same DER) in a->certs, a copy that was sent
 * first; -1 when it is not listed, which judging never leaves so
 * (register_path_certs).
 */
static int
cert_at(const struct audit *a, const struct cert *c)
{
	size_t i;
	int found = -1;

	if (c == NULL)
		return -1;
	for (i = 0; i < a->ncerts; i++) {
		if (a->certs[i].cert == NULL ||
		    !cert_is_same(a->certs[i].cert, c))
			continue;
		if (a->certs[i].presented_index >= 0)
			return (int)i;
		if (found < 0)
			found = (int)i;
	}
	return found;
}

static struct audit_strength
plain_strength(struct strength s)
{
	struct audit_strength p;

	p.bits = s.bits;
	p.broken = strength_is_broken(s);
	return p;
}

/* Why c is not the link's chosen signature best (NULL: none is). */
static const char *
not_used(const struct candidate *c, const struct candidate *best)
{
	if (c->status == SIG_FAILED)
		return "failed";
	if (c->status == SIG_UNSUPPORTED)
		return "unsupported";
	if (best != NULL && strength_cmp(c->strength, best->strength) < 0)
		return "weaker";
	if (!c->valid_now)
		return "not valid now";
	return "not needed";
}

/*
 * Why l's chosen candidate won, measured against the strongest other
 * verified one, whose index in l goes to *other (-1: none).
 */
static enum audit_because
because(const struct link *l, int *other)
{
	const struct candidate *best, *c, *o = NULL;
	size_t i;
	int cmp;

	*other = -1;
	if (l->best < 0 || (size_t)l->best >= l->ncands)
		return BECAUSE_NONE;
	best = &l->cands[l->best];
	for (i = 0; i < l->ncands; i++) {
		c = &l->cands[i];
		if (c->status != SIG_VERIFIED || i == (size_t)l->best)
			continue;
		if (o == NULL || strength_cmp(c->strength, o->strength) > 0) {
			o = c;
			*other = (int)i;
		}
	}
	if (o == NULL)
		return BECAUSE_ONLY;
	cmp = strength_cmp(best->strength, o->strength);
	if (cmp > 0 && strcmp(candidate_sig_name(best),
	    candidate_sig_name(o)) != 0)
		return BECAUSE_ALGORITHM;
	if (cmp > 0)
		return BECAUSE_BITS;
	if (best->valid_now && !o->valid_now)
		return cmp == 0 ? BECAUSE_VALID_NOW : BECAUSE_VALID_NOW_WEAKER;
	if (cmp == 0 && best->origin == ORIGIN_PRESENTED &&
	    o->origin != ORIGIN_PRESENTED)
		return BECAUSE_PRESENTED;
	return cmp == 0 ? BECAUSE_EQUAL : BECAUSE_RANKING;
}

static void
fill_cand(struct audit_cand *pc, const struct audit *a,
    const struct candidate *c, const struct candidate *best, int chosen)
{
	pc->cert = cert_at(a, c->cert);
	pc->issuer = cert_at(a, c->issuer);
	pc->origin = c->origin;
	pc->alternative = c->kind == CAND_ALTERNATIVE;
	pc->algorithm = candidate_sig_name(c);
	pc->status = sig_status_name(c->status);
	pc->strength = plain_strength(c->strength);
	pc->valid_now = c->valid_now;
	pc->chosen = chosen;
	pc->not_used = chosen ? NULL : not_used(c, best);
}

/* Link i of the chosen path p and its candidates from cands[*next]. */
static void
fill_link(struct audit *a, const struct path_result *r, const struct path *p,
    size_t i, size_t *next)
{
	const struct link *l = &r->links[p->links[i]];
	const struct candidate *best = path_chosen_candidate(r, p, i);
	struct audit_link *al = &a->path.links[i];
	size_t k;
	int other;

	al->subject = cert_at(a, best != NULL ? best->cert :
	    path_node_cert(r, p, i));
	al->issuer = cert_at(a, path_node_cert(r, p, i + 1));
	al->cand = *next;
	al->ncands = l->ncands;
	al->chosen = best != NULL ? (int)*next + l->best : -1;
	al->because = because(l, &other);
	al->other = other >= 0 ? (int)*next + other : -1;
	for (k = 0; k < l->ncands; k++)
		fill_cand(&a->path.cands[*next + k], a, &l->cands[k], best,
		    (int)k == l->best);
	*next += l->ncands;
}

/* The nodes of p from nodes[at], each the certificate standing for it. */
static void
fill_nodes(struct audit *a, const struct path_result *r, const struct path *p,
    size_t at)
{
	struct audit_node *n;
	size_t i;

	for (i = 0; i < p->len; i++) {
		n = &a->path.nodes[at + i];
		n->cert = cert_at(a, path_node_cert(r, p, i));
		n->anchor = r->nodes[p->nodes[i]].anchor != NULL;
	}
}

/* Mark every listed copy of a certificate standing for a chosen node. */
static void
mark_on_path(struct audit *a)
{
	const struct audit_cert *on;
	size_t i, k;

	for (k = 0; k < a->path.nnodes; k++) {
		if (a->path.nodes[k].cert < 0)
			continue;
		on = &a->certs[a->path.nodes[k].cert];
		for (i = 0; i < a->ncerts; i++)
			if (a->certs[i].cert != NULL &&
			    cert_is_same(a->certs[i].cert, on->cert))
				a->certs[i].on_path = 1;
	}
}

/* n elements of size bytes, rounded up so the next array is aligned. */
static size_t
span(size_t n, size_t size)
{
	size_t align = _Alignof(max_align_t);

	return (n * size + align - 1) / align * align;
}

/*
 * One block for a->path's arrays, sized from r: the chosen path's nodes
 * and then every alternative's, its links and all their candidates, the
 * alternatives.  0, or -1 on ENOMEM.
 */
static int
path_alloc(struct audit *a, const struct path_result *r)
{
	const struct path *p = &r->chosen;
	struct audit_path *v = &a->path;
	size_t i, nodes = p->len, links, cands = 0, off;
	char *mem;

	links = p->len > 0 ? p->len - 1 : 0;
	for (i = 0; i < links; i++)
		cands += r->links[p->links[i]].ncands;
	for (i = 0; i < r->nalternatives; i++)
		nodes += r->alternatives[i].len;
	if ((mem = calloc(1, span(nodes, sizeof(*v->nodes)) +
	    span(links, sizeof(*v->links)) + span(cands, sizeof(*v->cands)) +
	    span(r->nalternatives, sizeof(*v->alts)) + 1)) == NULL)
		return -1;
	v->mem = mem;
	v->nodes = (struct audit_node *)mem;
	off = span(nodes, sizeof(*v->nodes));
	v->links = (struct audit_link *)(mem + off);
	off += span(links, sizeof(*v->links));
	v->cands = (struct audit_cand *)(mem + off);
	off += span(cands, sizeof(*v->cands));
	v->alts = (struct audit_alt *)(mem + off);
	v->nnodes = p->len;
	v->ncands = cands;
	v->nalts = r->nalternatives;
	return 0;
}

/* a->path from a->paths, which has a chosen path.  0, or -1 on ENOMEM. */
static int
fill_path(struct audit *a, const struct path_result *r)
{
	const struct path *p = &r->chosen;
	struct audit_path *v = &a->path;
	size_t i, next = 0, at = p->len;

	if (path_alloc(a, r) < 0)
		return -1;
	v->chosen = 1;
	v->complete = p->complete;
	v->broken_link = p->broken_link;
	v->weakest = plain_strength(p->weakest);
	v->paths_found = r->complete_paths;
	v->paths_explored = r->paths_explored;
	v->sig_checks = r->sig_checks;
	v->capped = r->capped;
	fill_nodes(a, r, p, 0);
	for (i = 0; i + 1 < p->len; i++)
		fill_link(a, r, p, i, &next);
	for (i = 0; i < r->nalternatives; i++) {
		fill_nodes(a, r, &r->alternatives[i], at);
		v->alts[i].node = at;
		v->alts[i].nnodes = r->alternatives[i].len;
		v->alts[i].weakest = plain_strength(r->alternatives[i].weakest);
		v->alts[i].complete = r->alternatives[i].complete;
		at += r->alternatives[i].len;
	}
	mark_on_path(a);
	return 0;
}

/* Certificate i, when there is one, is listed. */
static void
list_cert(struct audit *a, int i)
{
	if (i >= 0 && (size_t)i < a->ncerts)
		a->certs[i].unlisted = 0;
}

/*
 * Which certificates the reports list: the leaf and those the path, its
 * candidate signatures, the other paths and the findings refer to, then
 * the first VIEW_LIST_MAX of the others; the rest are only counted.
 */
static void
mark_listed(struct audit *a)
{
	size_t i, k, more = 0;

	/* A path's node is listed once, not with every copy sent. */
	for (i = 0; i < a->ncerts; i++)
		a->certs[i].unlisted = 1;
	list_cert(a, a->leaf);
	for (i = 0; i < a->nfindings; i++)
		list_cert(a, a->findings[i].cert);
	for (i = 0; i < a->path.ncands; i++) {
		list_cert(a, a->path.cands[i].cert);
		list_cert(a, a->path.cands[i].issuer);
	}
	for (i = 0; i < a->path.nnodes; i++)
		list_cert(a, a->path.nodes[i].cert);
	for (k = 0; k < a->path.nalts; k++)
		for (i = 0; i < a->path.alts[k].nnodes; i++)
			list_cert(a, a->path.nodes[a->path.alts[k].node +
			    i].cert);
	a->nunlisted = 0;
	for (i = 0; i < a->ncerts; i++) {
		if (!a->certs[i].unlisted)
			continue;
		if (more < VIEW_LIST_MAX) {
			a->certs[i].unlisted = 0;
			more++;
		} else
			a->nunlisted++;
	}
}

/* Fill a's plain view; see view.h. */
int
view_fill(struct audit *a)
{
	size_t i;

	for (i = 0; i < a->ncerts; i++)
		fill_cert(&a->certs[i]);
	fill_verdicts(a);
	free(a->path.mem);
	memset(&a->path, 0, sizeof(a->path));
	if (a->paths != NULL && a->paths->have_chosen &&
	    fill_path(a, a->paths) < 0)
		return -1;
	mark_listed(a);
	return 0;
}
