/*
 * hashcache.h: a bounded, thread-safe map from fixed-size binary keys to
 * pointers, for the run-wide caches (certcache.c, sig.c's sig_cache).
 *
 * Keys are digests, or digests side by side (a certificate's SHA-256 and
 * its issuer key's), so they are already mixed and are used as their own
 * hash.  Entries are only ever added, never replaced or removed, until
 * hashcache_free: a value a lookup returns stays valid until then, and
 * once the map holds max entries it takes no more (callers then work as
 * without a cache).  Ownership: the map copies each key; a value put in
 * it belongs to the map, which hands it to the drop function given to
 * hashcache_new (if any) at hashcache_free.  One mutex guards the map;
 * lookups and puts are a few dozen instructions under it.
 */
#ifndef CHAINAUDIT_HASHCACHE_H
#define CHAINAUDIT_HASHCACHE_H

#include <stddef.h>
#include <stdint.h>

struct hashcache;

/*
 * A cheap 64-bit digest of len bytes at buf, well mixed, to key a map by
 * bytes it has seen (certcache.c: a certificate's DER or PEM text) at a
 * small fraction of a SHA-256.  Not collision resistant: whoever keys a
 * map by it compares the bytes on a hit.
 */
uint64_t hashcache_digest(const void *buf, size_t len);

/*
 * A new, empty map of keys keylen bytes long (at least 1), holding at
 * most max entries (at least 1).  drop, when not NULL, frees each value
 * at hashcache_free.  NULL on ENOMEM or a zero size.
 */
struct hashcache *hashcache_new(size_t keylen, size_t max,
	    void (*drop)(void *value));
/* Free the map and, through drop, its values; accepts NULL. */
void	hashcache_free(struct hashcache *hc);

/*
 * The value stored under key (borrowed: the map keeps it until
 * hashcache_free), or NULL.  Counts a hit or a miss.
 */
void	*hashcache_get(struct hashcache *hc, const void *key);

/*
 * Store value (not NULL) under key.  Returns 1 when stored: the map owns
 * value from then on.  Returns 0 when the key is already there (the
 * first value stays) or the map is full, and -1 on ENOMEM: the caller
 * keeps value either way.  Counts neither a hit nor a miss.
 */
int	hashcache_put(struct hashcache *hc, const void *key, void *value);

/* Count a miss for a lookup the caller answered without the map. */
void	hashcache_miss(struct hashcache *hc);

/* Counters for benchmarks: lookups answered from the map, and not. */
void	hashcache_stats(struct hashcache *hc, unsigned long *hits,
	    unsigned long *misses);
/* The number of entries the map holds. */
size_t	hashcache_count(struct hashcache *hc);

#endif
