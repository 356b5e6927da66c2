/*
 * certcache.c: parsed certificates shared by a run; see certcache.h.
 *
 * Two maps keyed by a digest of part of the bytes (cc_key): of the DER
 * (value: the struct cert), and of the PEM block's base64 text (value: a
 * copy of the text and the certificate, borrowed from the first map).
 * A key names bytes only up to a collision, so every hit compares the
 * bytes too; a colliding certificate is parsed per use, as without a
 * cache.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "certcache.h"
#include "hashcache.h"
#include "seen.h"

#define CC_DEFAULT_MAX	65536
/* Leaves remembered to spot the second sighting: 512 KB. */
#define CC_SEEN_SLOTS	65536
/* What cc_key digests of a longer certificate besides its length. */
#define CC_KEY_HEAD	64
#define CC_KEY_TAIL	128

/* A PEM block's text, and the certificate it decodes to. */
struct cc_text {
	const struct cert *cert;	/* borrowed from cc->by_der */
	size_t		 len;
	unsigned char	 text[];
};

struct cert_cache {
	/* owned: digest of the DER -> struct cert, owned (cc_drop frees) */
	struct hashcache *by_der;
	/* owned: digest of a PEM text -> struct cc_text, owned */
	struct hashcache *by_text;
	struct seen	*seen;		/* owned: leaves' DER digests */
	size_t		 leaves;	/* atomic: leaves kept */
};

static void
cc_drop(void *value)
{
	cert_free(value);
}

/*
 * A new, empty cache of at most max CA certificates (0: the default) and
 * CERT_CACHE_LEAVES leaves.
 */
struct cert_cache *
cert_cache_new(size_t max)
{
	struct cert_cache *cc;

	if (max == 0)
		max = CC_DEFAULT_MAX;
	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return NULL;
	if ((cc->by_der = hashcache_new(sizeof(uint64_t), max +
	    CERT_CACHE_LEAVES, cc_drop)) == NULL ||
	    (cc->by_text = hashcache_new(sizeof(uint64_t), max +
	    CERT_CACHE_LEAVES, free)) == NULL ||
	    (cc->seen = seen_new(CC_SEEN_SLOTS)) == NULL) {
		cert_cache_free(cc);
		return NULL;
	}
	return cc;
}

/*
 * Free the cache and every certificate it keeps; accepts NULL.
 */
void
cert_cache_free(struct cert_cache *cc)
{
	if (cc == NULL)
		return;
	/* The texts borrow their certificates: they go first. */
	hashcache_free(cc->by_text);
	hashcache_free(cc->by_der);
	seen_free(cc->seen);
	free(cc);
}

/*
 * The hit and miss counters.
 */
void
cert_cache_stats(struct cert_cache *cc, unsigned long *hits,
    unsigned long *misses)
{
	unsigned long th, tm;

	hashcache_stats(cc->by_der, hits, misses);
	hashcache_stats(cc->by_text, &th, &tm);
	*hits += th;
}

size_t
cert_cache_leaves(struct cert_cache *cc)
{
	return __atomic_load_n(&cc->leaves, __ATOMIC_RELAXED);
}

/*
 * The key of a certificate's DER or PEM text: a digest of its length,
 * its first CC_KEY_HEAD and its last CC_KEY_TAIL bytes (the serial
 * number is near the head, the signature is the tail), not of all of
 * it.  A database row brings a new leaf and a known intermediate: the
 * leaf is looked up and missed, the intermediate found and compared in
 * full, so a digest of all the bytes would read every byte once more.
 * Certificates that agree in length, head and tail share a key, and
 * only the first of them is kept (hashcache_put keeps the first value):
 * each other one costs its lookup and a memcmp that stops at the first
 * differing byte, then is parsed as without a cache.  Hostile input
 * (many certificates alike but in the middle) thus costs at most one
 * extra pass over each and no memory: a map holds one entry per key,
 * and no more than its bound.  The leaves' seen-twice filter takes the
 * same key: a false "seen" only keeps a leaf, within CERT_CACHE_LEAVES.
 */
static uint64_t
cc_key(const unsigned char *bytes, size_t len)
{
	unsigned char	 k[sizeof(uint64_t) + CC_KEY_HEAD + CC_KEY_TAIL];
	uint64_t	 n = len;

	if (len <= CC_KEY_HEAD + CC_KEY_TAIL)
		return hashcache_digest(bytes, len);
	memcpy(k, &n, sizeof(n));
	memcpy(k + sizeof(n), bytes, CC_KEY_HEAD);
	memcpy(k + sizeof(n) + CC_KEY_HEAD, bytes + len - CC_KEY_TAIL,
	    CC_KEY_TAIL);
	return hashcache_digest(k, sizeof(k));
}

/*
 * 1 when a freshly parsed c (digest d) should be kept: every CA
 * certificate; a leaf seen before, while there is room for leaves.
 */
static int
cc_admits(struct cert_cache *cc, const struct cert *c, uint64_t d)
{
	if (c->is_ca)
		return 1;
	if (!seen_mark(cc->seen, d))
		return 0;
	/* Workers racing past the bound overshoot it by one each at most. */
	return __atomic_load_n(&cc->leaves, __ATOMIC_RELAXED) <
	    CERT_CACHE_LEAVES;
}

/*
 * Parse or look up der; *kept says whether the cache now owns the
 * result.  The parse runs unlocked, so two workers missing on the same
 * certificate both parse it and the second keeps its own copy: correct,
 * and rare after the first chains.
 */
static struct cert *
cc_parse(struct cert_cache *cc, const unsigned char *der, size_t len,
    int *kept, char *err, size_t errlen)
{
	struct cert *c;
	uint64_t d = cc_key(der, len);

	*kept = 0;
	if ((c = hashcache_get(cc->by_der, &d)) != NULL &&
	    c->der_len == len && memcmp(c->der, der, len) == 0) {
		*kept = 1;
		return c;
	}
	if ((c = cert_parse(der, len, err, errlen)) == NULL ||
	    !cc_admits(cc, c, d))
		return c;
	/* Not kept when full, already kept, or colliding. */
	if (hashcache_put(cc->by_der, &d, c) == 1) {
		*kept = 1;
		if (!c->is_ca)
			__atomic_fetch_add(&cc->leaves, 1, __ATOMIC_RELAXED);
	}
	return c;
}

/*
 * Parse or look up der; see certcache.h.
 */
struct cert *
cert_cache_parse(struct cert_cache *cc, const unsigned char *der,
    size_t len, int *owned, char *err, size_t errlen)
{
	struct cert *c;
	int kept;

	*owned = 1;
	if (cc == NULL)
		return cert_parse(der, len, err, errlen);
	c = cc_parse(cc, der, len, &kept, err, errlen);
	*owned = !kept;
	return c;
}

/* Keep text as a key to c (kept by the cache); a failure only costs. */
static void
cc_keep_text(struct cert_cache *cc, const unsigned char *text, size_t len,
    const struct cert *c)
{
	struct cc_text *t;
	uint64_t d = cc_key(text, len);

	if ((t = malloc(sizeof(*t) + len)) == NULL)
		return;
	t->cert = c;
	t->len = len;
	memcpy(t->text, text, len);
	if (hashcache_put(cc->by_text, &d, t) != 1)
		free(t);
}

/*
 * Parse or look up a blob; see certcache.h.
 */
struct cert *
cert_cache_parse_blob(struct cert_cache *cc, const struct der_blob *b,
    int *owned, char *err, size_t errlen)
{
	struct cert *c;
	int kept;

	*owned = 1;
	if (cc == NULL)
		return cert_parse(b->der, b->len, err, errlen);
	if (b->known != NULL) {
		/* Answered by cc_find: the cache's own certificate. */
		*owned = 0;
		return (struct cert *)((const struct cc_text *)b->known)->cert;
	}
	c = cc_parse(cc, b->der, b->len, &kept, err, errlen);
	if (kept && b->text != NULL)
		cc_keep_text(cc, b->text, b->text_len, c);
	*owned = !kept;
	return c;
}

/* struct pem_known's find: the entry for text, and its DER. */
static const void *
cc_find(void *arg, const unsigned char *text, size_t len,
    const unsigned char **der, size_t *derlen)
{
	struct cert_cache *cc = arg;
	const struct cc_text *t;
	uint64_t d = cc_key(text, len);

	if ((t = hashcache_get(cc->by_text, &d)) == NULL || t->len != len ||
	    memcmp(t->text, text, len) != 0)
		return NULL;
	*der = t->cert->der;
	*derlen = t->cert->der_len;
	return t;
}

/* struct pem_known's find without a cache. */
static const void *
cc_find_none(void *arg, const unsigned char *text, size_t len,
    const unsigned char **der, size_t *derlen)
{
	(void)arg;
	(void)text;
	(void)len;
	(void)der;
	(void)derlen;
	return NULL;
}

/*
 * The pem_decode_known hook of cc.
 */
void
cert_cache_known(struct cert_cache *cc, struct pem_known *k)
{
	k->find = cc != NULL ? cc_find : cc_find_none;
	k->arg = cc;
}
