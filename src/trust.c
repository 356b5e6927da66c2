/*
 * trust.c: trust anchors and intermediates, indexed by subject DN.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "pem.h"
#include "trust.h"

#define STORE_BUCKETS	4096

struct store_node {
	struct trust_entry	 e;
	struct store_node	*next;		/* same bucket */
};

struct trust_store {
	struct store_node	*buckets[STORE_BUCKETS];
	size_t			 count[TRUST__COUNT];	/* by kind */
	const struct corpus	*corpus;	/* borrowed, may be NULL */
	const struct trust_store *pool;		/* borrowed, may be NULL */
	char			**origins;	/* owned file names */
	size_t			 norigins, origcap;
};

/* FNV-1a over the DER name. */
static size_t
dn_slot(const unsigned char *dn, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= dn[i];
		h *= 16777619u;
	}
	return h % STORE_BUCKETS;
}

/*
 * A new, empty store, or NULL on allocation failure.
 */
struct trust_store *
trust_store_new(void)
{
	return calloc(1, sizeof(struct trust_store));
}

void
trust_store_free(struct trust_store *s)
{
	struct store_node *n, *next;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < STORE_BUCKETS; i++)
		for (n = s->buckets[i]; n != NULL; n = next) {
			next = n->next;
			cert_free(n->e.cert);
			free(n);
		}
	for (i = 0; i < s->norigins; i++)
		free(s->origins[i]);
	free(s->origins);
	free(s);
}

static const char *
intern_origin(struct trust_store *s, const char *origin)
{
	size_t i;

	if (origin == NULL)
		return NULL;
	for (i = 0; i < s->norigins; i++)
		if (strcmp(s->origins[i], origin) == 0)
			return s->origins[i];
	if (array_reserve(&s->origins, &s->origcap, s->norigins + 1,
	    sizeof(*s->origins)) < 0)
		return NULL;
	if ((s->origins[s->norigins] = strdup(origin)) == NULL)
		return NULL;
	return s->origins[s->norigins++];
}

/*
 * Add c as kind; the store owns c from now on, also when it is a
 * duplicate (then it is freed at once).  Returns 1 when added, 0 for a
 * duplicate, -1 on allocation failure (c freed).
 */
static int
store_insert(struct trust_store *s, struct cert *c, enum trust_kind kind,
    const char *origin)
{
	struct store_node *n;
	size_t slot;

	slot = dn_slot(c->raw_subject.data, c->raw_subject.size);
	for (n = s->buckets[slot]; n != NULL; n = n->next)
		if (n->e.kind == kind && cert_is_same(n->e.cert, c)) {
			cert_free(c);
			return 0;
		}
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		cert_free(c);
		return -1;
	}
	n->e.cert = c;
	n->e.kind = kind;
	n->e.origin = intern_origin(s, origin);
	n->next = s->buckets[slot];
	s->buckets[slot] = n;
	s->count[kind]++;
	return 1;
}

/*
 * Add one parsed certificate; the store takes ownership of c.
 */
int
trust_store_add_cert(struct trust_store *s, struct cert *c,
    enum trust_kind kind, const char *origin)
{
	return store_insert(s, c, kind, origin) < 0 ? -1 : 0;
}

/*
 * Add every certificate of buf as kind.  Returns the number added, or -1
 * with the reason in err.
 */
int
trust_store_add_buffer(struct trust_store *s, const unsigned char *buf,
    size_t len, const char *origin, enum trust_kind kind, size_t *nbad,
    char *err, size_t errlen)
{
	struct der_list list;
	char perr[ERRBUF_LEN];
	struct cert *c;
	size_t i, bad = 0;
	int added = 0, r, ret = -1;

	memset(&list, 0, sizeof(list));
	if (pem_decode(buf, len, &list) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	bad = list.nerrors;
	for (i = 0; i < list.n; i++) {
		c = cert_parse(list.v[i].der, list.v[i].len, perr,
		    sizeof(perr));
		if (c == NULL) {
			bad++;
			continue;
		}
		if ((r = store_insert(s, c, kind, origin)) < 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		added += r;
	}
	if (list.n == 0 || (added == 0 && bad > 0 && bad == list.n +
	    list.nerrors)) {
		snprintf(err, errlen, "%s", list.nerrors > 0 ?
		    list.errors[0] : list.n > 0 ? "no parseable certificate" :
		    "no certificate in file");
		goto out;
	}
	if (nbad != NULL)
		*nbad = bad;
	ret = added;
out:
	der_list_free(&list);
	return ret;
}

/*
 * Add every certificate of the file at path as kind.  Returns the number
 * added, or -1 with the reason in err.
 */
int
trust_store_add_file(struct trust_store *s, const char *path,
    enum trust_kind kind, size_t *nbad, char *err, size_t errlen)
{
	unsigned char *buf = NULL;
	size_t len;
	int ret;

	if (file_read_all(path, &buf, &len, err, errlen) < 0)
		return -1;
	ret = trust_store_add_buffer(s, buf, len, path, kind, nbad, err,
	    errlen);
	free(buf);
	return ret;
}

void
trust_store_set_corpus(struct trust_store *s, const struct corpus *corpus)
{
	s->corpus = corpus;
}

void
trust_store_set_pool(struct trust_store *s, const struct trust_store *pool)
{
	s->pool = pool;
}

/* Hands the pool's entries on, its anchors demoted to intermediates. */
struct pool_relay {
	int	(*fn)(const struct trust_entry *, void *);
	void	*arg;
};

static int
pool_relay_cb(const struct trust_entry *e, void *arg)
{
	struct pool_relay *pr = arg;
	struct trust_entry demoted;

	if (e->kind != TRUST_ANCHOR)
		return pr->fn(e, pr->arg);
	demoted = *e;
	demoted.kind = TRUST_INTERMEDIATE;
	return pr->fn(&demoted, pr->arg);
}

/*
 * Call fn for each entry whose subject DN is dn; 1 when fn stopped it.
 */
int
trust_store_each_subject(const struct trust_store *s, const unsigned char *dn,
    size_t dnlen, int (*fn)(const struct trust_entry *, void *), void *arg)
{
	const struct store_node *n;
	struct pool_relay pr;

	if (s == NULL)
		return 0;
	for (n = s->buckets[dn_slot(dn, dnlen)]; n != NULL; n = n->next) {
		if (n->e.cert->raw_subject.size != dnlen ||
		    memcmp(n->e.cert->raw_subject.data, dn, dnlen) != 0)
			continue;
		if (fn(&n->e, arg))
			return 1;
	}
	if (s->corpus != NULL && corpus_each_subject(s->corpus, dn, dnlen,
	    fn, arg))
		return 1;
	if (s->pool == NULL)
		return 0;
	pr.fn = fn;
	pr.arg = arg;
	return trust_store_each_subject(s->pool, dn, dnlen, pool_relay_cb,
	    &pr);
}

/*
 * Call fn for each entry whose subjectKeyIdentifier is keyid.
 */
int
trust_store_each_keyid(const struct trust_store *s,
    const unsigned char *keyid, size_t len,
    int (*fn)(const struct trust_entry *, void *), void *arg)
{
	const struct store_node *n;
	struct pool_relay pr;
	size_t i;

	if (s == NULL || len == 0)
		return 0;
	for (i = 0; i < STORE_BUCKETS; i++)
		for (n = s->buckets[i]; n != NULL; n = n->next)
			if (n->e.cert->ski_len == len && memcmp(n->e.cert->ski,
			    keyid, len) == 0 && fn(&n->e, arg))
				return 1;
	if (s->corpus != NULL && corpus_each_keyid(s->corpus, keyid, len, fn,
	    arg))
		return 1;
	if (s->pool == NULL)
		return 0;
	pr.fn = fn;
	pr.arg = arg;
	return trust_store_each_keyid(s->pool, keyid, len, pool_relay_cb, &pr);
}

/*
 * Call fn for each entry of kind; 1 when fn stopped it.
 */
int
trust_store_each_kind(const struct trust_store *s, enum trust_kind kind,
    int (*fn)(const struct trust_entry *, void *), void *arg)
{
	const struct store_node *n;
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < STORE_BUCKETS; i++)
		for (n = s->buckets[i]; n != NULL; n = n->next)
			if (n->e.kind == kind && fn(&n->e, arg))
				return 1;
	return trust_store_each_kind(s->pool, kind, fn, arg);
}

/* Of two certificates for one trusted node, 1 when a serves better. */
static int
anchor_better(const struct cert *a, const struct cert *b, time_t now)
{
	int va = now >= a->not_before && now <= a->not_after;
	int vb = now >= b->not_before && now <= b->not_after;

	if (va != vb)
		return va;
	return a->self_issued && !b->self_issued;
}

/*
 * An anchor entry for c's node (same subject DN and key), or NULL.
 * Trust attaches to the name and key, not to one encoding: a root
 * re-issued with another signature or validity is the same anchor, and
 * of its copies the one valid at now (then a self-issued one) stands
 * for it, so the order of a trust file changes nothing.
 */
const struct trust_entry *
trust_store_anchor_for(const struct trust_store *s, const struct cert *c,
    time_t now)
{
	const struct store_node *n;
	const struct trust_entry *best = NULL;

	if (s == NULL)
		return NULL;
	for (n = s->buckets[dn_slot(c->raw_subject.data, c->raw_subject.size)];
	    n != NULL; n = n->next)
		if (n->e.kind == TRUST_ANCHOR &&
		    cert_is_same_node(n->e.cert, c) && (best == NULL ||
		    anchor_better(n->e.cert, best->cert, now)))
			best = &n->e;
	return best;
}

size_t
trust_store_count(const struct trust_store *s, enum trust_kind kind)
{
	return s == NULL ? 0 : s->count[kind];
}
