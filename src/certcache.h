/*
 * certcache.h: a run-wide cache of parsed CA certificates, keyed by the
 * SHA-256 of their DER.
 *
 * Batch scans send the same few intermediates under thousands of leaves;
 * parsing them once per run instead of once per chain is most of what
 * separates an audit from the floor of one leaf verification plus one
 * parse (bench/README).  Only CA certificates are kept: leaves are
 * unique per chain and would only grow the cache.  The cache owns what
 * it keeps until cert_cache_free; it is thread-safe and shared by every
 * worker of a run.
 */
#ifndef CHAINAUDIT_CERTCACHE_H
#define CHAINAUDIT_CERTCACHE_H

#include <stddef.h>

#include "cert.h"

struct cert_cache;

/*
 * A new, empty cache keeping at most max certificates (0: a default of
 * 65536); past that, CA certificates are parsed per use as without a
 * cache, so memory stays bounded whatever the input.  NULL on ENOMEM.
 */
struct cert_cache *cert_cache_new(size_t max);
void	cert_cache_free(struct cert_cache *cc);

/*
 * Parse der, or return the cached parse of the same DER.  cc may be NULL
 * (then this is cert_parse).  *owned is set to 1 when the caller owns
 * the result and frees it with cert_free, 0 when the cache owns it (it
 * lives until cert_cache_free and must not be changed).  Returns NULL
 * with the reason in err when der does not parse.
 */
struct cert *cert_cache_parse(struct cert_cache *cc, const unsigned char *der,
	    size_t len, int *owned, char *err, size_t errlen);

/* Counters for benchmarks: lookups answered from the cache, and not. */
void	cert_cache_stats(struct cert_cache *cc, unsigned long *hits,
	    unsigned long *misses);

#endif
