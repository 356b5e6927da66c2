/*
 * certcache.c: parsed CA certificates shared by a run; see certcache.h.
 */
#include <config.h>

#include <stdlib.h>

#include "certcache.h"
#include "hashcache.h"

#define CC_DEFAULT_MAX	65536

struct cert_cache {
	/* owned: sha256 of the DER -> struct cert, owned (cc_drop frees it) */
	struct hashcache *map;
};

static void
cc_drop(void *value)
{
	cert_free(value);
}

/*
 * A new, empty cache of at most max certificates (0: the default).
 */
struct cert_cache *
cert_cache_new(size_t max)
{
	struct cert_cache *cc;

	if ((cc = malloc(sizeof(*cc))) == NULL)
		return NULL;
	if ((cc->map = hashcache_new(SHA256_LEN, max > 0 ? max :
	    CC_DEFAULT_MAX, cc_drop)) == NULL) {
		free(cc);
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
	hashcache_free(cc->map);
	free(cc);
}

/*
 * The hit and miss counters.
 */
void
cert_cache_stats(struct cert_cache *cc, unsigned long *hits,
    unsigned long *misses)
{
	hashcache_stats(cc->map, hits, misses);
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
	struct cert *c;

	*owned = 1;
	if (cc == NULL || sha256(der, len, key) < 0)
		return cert_parse(der, len, err, errlen);
	if ((c = hashcache_get(cc->map, key)) != NULL) {
		*owned = 0;
		return c;
	}
	if ((c = cert_parse(der, len, err, errlen)) == NULL || !c->is_ca)
		return c;
	/* Keep it for the next chains unless full or already kept. */
	if (hashcache_put(cc->map, key, c) == 1)
		*owned = 0;
	return c;
}
