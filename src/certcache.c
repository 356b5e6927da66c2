/*
 * certcache.c: parsed CA certificates shared by a run; see certcache.h.
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "certcache.h"

#define CC_DEFAULT_MAX	65536
#define CC_BUCKETS	1024	/* grows by 4 when twice as full */

struct cc_entry {
	unsigned char	 key[SHA256_LEN];	/* sha256 of the DER */
	struct cert	*cert;			/* owned */
	struct cc_entry	*next;
};

struct cert_cache {
	pthread_mutex_t	 lock;
	struct cc_entry	**buckets;		/* owned */
	size_t		 nbuckets, count, max;
	unsigned long	 hits, misses;
};

struct cert_cache *
cert_cache_new(size_t max)
{
	struct cert_cache *cc;

	if ((cc = calloc(1, sizeof(*cc))) == NULL)
		return NULL;
	cc->max = max > 0 ? max : CC_DEFAULT_MAX;
	cc->nbuckets = CC_BUCKETS;
	if ((cc->buckets = calloc(cc->nbuckets, sizeof(*cc->buckets))) ==
	    NULL) {
		free(cc);
		return NULL;
	}
	pthread_mutex_init(&cc->lock, NULL);
	return cc;
}

void
cert_cache_free(struct cert_cache *cc)
{
	struct cc_entry *e, *next;
	size_t i;

	if (cc == NULL)
		return;
	for (i = 0; i < cc->nbuckets; i++)
		for (e = cc->buckets[i]; e != NULL; e = next) {
			next = e->next;
			cert_free(e->cert);
			free(e);
		}
	free(cc->buckets);
	pthread_mutex_destroy(&cc->lock);
	free(cc);
}

void
cert_cache_stats(struct cert_cache *cc, unsigned long *hits,
    unsigned long *misses)
{
	pthread_mutex_lock(&cc->lock);
	*hits = cc->hits;
	*misses = cc->misses;
	pthread_mutex_unlock(&cc->lock);
}

/* SHA-256 output is already mixed: its first bytes are the hash. */
static size_t
cc_slot(const struct cert_cache *cc, const unsigned char *key)
{
	size_t h;

	memcpy(&h, key, sizeof(h));
	return h % cc->nbuckets;
}

/* Called locked. */
static struct cc_entry *
cc_find(const struct cert_cache *cc, const unsigned char *key)
{
	struct cc_entry *e;

	for (e = cc->buckets[cc_slot(cc, key)]; e != NULL; e = e->next)
		if (memcmp(e->key, key, SHA256_LEN) == 0)
			return e;
	return NULL;
}

/* Called locked; a failed grow keeps the longer chains. */
static void
cc_grow(struct cert_cache *cc)
{
	struct cc_entry **nb, **ob = cc->buckets, *e, *next;
	size_t i, old = cc->nbuckets, slot;

	if ((nb = calloc(old * 4, sizeof(*nb))) == NULL)
		return;
	cc->buckets = nb;
	cc->nbuckets = old * 4;
	for (i = 0; i < old; i++)
		for (e = ob[i]; e != NULL; e = next) {
			next = e->next;
			slot = cc_slot(cc, e->key);
			e->next = nb[slot];
			nb[slot] = e;
		}
	free(ob);
}

/*
 * Parse or look up der; see certcache.h.  The parse runs unlocked, so
 * two workers missing on the same certificate both parse it and the
 * second keeps its own copy: correct, and rare after the first chains.
 */
struct cert *
cert_cache_parse(struct cert_cache *cc, const unsigned char *der,
    size_t len, int *owned, char *err, size_t errlen)
{
	unsigned char key[SHA256_LEN];
	struct cc_entry *e = NULL;
	struct cert *c;

	*owned = 1;
	if (cc == NULL || sha256(der, len, key) < 0)
		return cert_parse(der, len, err, errlen);
	pthread_mutex_lock(&cc->lock);
	if ((e = cc_find(cc, key)) != NULL)
		cc->hits++;
	else
		cc->misses++;
	pthread_mutex_unlock(&cc->lock);
	if (e != NULL) {
		*owned = 0;
		return e->cert;
	}
	if ((c = cert_parse(der, len, err, errlen)) == NULL || !c->is_ca)
		return c;
	/* Keep it for the next chains unless full or already kept. */
	if ((e = malloc(sizeof(*e))) == NULL)
		return c;
	memcpy(e->key, key, SHA256_LEN);
	e->cert = c;
	pthread_mutex_lock(&cc->lock);
	if (cc->count >= cc->max || cc_find(cc, key) != NULL) {
		pthread_mutex_unlock(&cc->lock);
		free(e);
		return c;
	}
	if (cc->count >= cc->nbuckets * 2)
		cc_grow(cc);
	e->next = cc->buckets[cc_slot(cc, key)];
	cc->buckets[cc_slot(cc, key)] = e;
	cc->count++;
	pthread_mutex_unlock(&cc->lock);
	*owned = 0;
	return c;
}
