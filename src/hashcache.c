/*
 * hashcache.c: a bounded, thread-safe map from digest keys to pointers;
 * see hashcache.h.
 *
 * Chained buckets, a power of two of them, grown fourfold when there are
 * twice as many entries as buckets.  The counters are atomic so that a
 * miss answered without the map (hashcache_miss) need not take the lock.
 */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashcache.h"

#define HC_BUCKETS	1024	/* to start with; a power of two */

struct hc_entry {
	struct hc_entry	*next;
	void		*value;		/* owned, through hc->drop */
	unsigned char	 key[];		/* keylen bytes */
};

struct hashcache {
	pthread_mutex_t	 lock;		/* guards buckets, nbuckets, count */
	struct hc_entry	**buckets;	/* owned, with every entry */
	size_t		 nbuckets, count, max, keylen;
	void		(*drop)(void *);
	unsigned long	 hits, misses;	/* atomic */
};

/* Mix one 64-bit word into h: a multiply carries every bit upward. */
static uint64_t
hc_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ h >> 29;
}

/*
 * Eight bytes a step, then MurmurHash3's 64-bit finaliser so that every
 * bit of the input reaches the low bits the buckets are taken from.
 * About a byte an instruction: a 1,500-byte certificate in about 1,500
 * instructions, where SHA-256 takes about 15,000.
 */
uint64_t
hashcache_digest(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint64_t h = 0xcbf29ce484222325ULL ^ len, w;

	for (; len >= sizeof(w); p += sizeof(w), len -= sizeof(w)) {
		memcpy(&w, p, sizeof(w));
		h = hc_mix(h, w);
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, p, len);
		h = hc_mix(h, w);
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ h >> 33;
}

/*
 * A new, empty map; see hashcache.h.
 */
struct hashcache *
hashcache_new(size_t keylen, size_t max, void (*drop)(void *value))
{
	struct hashcache *hc;

	if (keylen == 0 || max == 0 || (hc = calloc(1, sizeof(*hc))) == NULL)
		return NULL;
	hc->keylen = keylen;
	hc->max = max;
	hc->drop = drop;
	hc->nbuckets = HC_BUCKETS;
	if ((hc->buckets = calloc(hc->nbuckets, sizeof(*hc->buckets))) ==
	    NULL) {
		free(hc);
		return NULL;
	}
	pthread_mutex_init(&hc->lock, NULL);
	return hc;
}

/*
 * Free the map, its entries and (through drop) their values.
 */
void
hashcache_free(struct hashcache *hc)
{
	struct hc_entry *e, *next;
	size_t i;

	if (hc == NULL)
		return;
	for (i = 0; i < hc->nbuckets; i++)
		for (e = hc->buckets[i]; e != NULL; e = next) {
			next = e->next;
			if (hc->drop != NULL)
				hc->drop(e->value);
			free(e);
		}
	free(hc->buckets);
	pthread_mutex_destroy(&hc->lock);
	free(hc);
}

/*
 * The key's bucket.  Keys are digests, so their words are already mixed;
 * folding every word in keeps two keys that share a first digest (one
 * certificate checked with two issuers' keys) apart.
 */
static size_t
hc_slot(const struct hashcache *hc, const unsigned char *key)
{
	uint64_t h = 0, w;
	size_t i;

	for (i = 0; i + sizeof(w) <= hc->keylen; i += sizeof(w)) {
		memcpy(&w, key + i, sizeof(w));
		h ^= w;
	}
	if (i < hc->keylen) {
		w = 0;
		memcpy(&w, key + i, hc->keylen - i);
		h ^= w;
	}
	return (size_t)h & (hc->nbuckets - 1);
}

/* Called locked. */
static struct hc_entry *
hc_find(const struct hashcache *hc, const unsigned char *key)
{
	struct hc_entry *e;

	for (e = hc->buckets[hc_slot(hc, key)]; e != NULL; e = e->next)
		if (memcmp(e->key, key, hc->keylen) == 0)
			return e;
	return NULL;
}

/* Called locked; a failed grow keeps the longer chains. */
static void
hc_grow(struct hashcache *hc)
{
	struct hc_entry **nb, **ob = hc->buckets, *e, *next;
	size_t i, old = hc->nbuckets, slot;

	if ((nb = calloc(old * 4, sizeof(*nb))) == NULL)
		return;
	hc->buckets = nb;
	hc->nbuckets = old * 4;
	for (i = 0; i < old; i++)
		for (e = ob[i]; e != NULL; e = next) {
			next = e->next;
			slot = hc_slot(hc, e->key);
			e->next = nb[slot];
			nb[slot] = e;
		}
	free(ob);
}

/*
 * The value under key, borrowed, or NULL; counts a hit or a miss.
 */
void *
hashcache_get(struct hashcache *hc, const void *key)
{
	struct hc_entry *e;
	void *v;

	pthread_mutex_lock(&hc->lock);
	e = hc_find(hc, key);
	v = e != NULL ? e->value : NULL;
	pthread_mutex_unlock(&hc->lock);
	__atomic_fetch_add(v != NULL ? &hc->hits : &hc->misses, 1,
	    __ATOMIC_RELAXED);
	return v;
}

/*
 * Store value under key unless the key is there or the map is full: 1
 * when stored, 0 when not, -1 on ENOMEM.  The entry is made before the
 * lock is taken, so the lock is held only to link it.
 */
int
hashcache_put(struct hashcache *hc, const void *key, void *value)
{
	struct hc_entry *e;
	size_t slot;

	if ((e = malloc(sizeof(*e) + hc->keylen)) == NULL)
		return -1;
	memcpy(e->key, key, hc->keylen);
	e->value = value;
	pthread_mutex_lock(&hc->lock);
	if (hc->count >= hc->max || hc_find(hc, key) != NULL) {
		pthread_mutex_unlock(&hc->lock);
		free(e);
		return 0;
	}
	if (hc->count >= hc->nbuckets * 2)
		hc_grow(hc);
	slot = hc_slot(hc, e->key);
	e->next = hc->buckets[slot];
	hc->buckets[slot] = e;
	hc->count++;
	pthread_mutex_unlock(&hc->lock);
	return 1;
}

/*
 * Count a miss the caller answered without a lookup.
 */
void
hashcache_miss(struct hashcache *hc)
{
	__atomic_fetch_add(&hc->misses, 1, __ATOMIC_RELAXED);
}

/*
 * The hit and miss counters.
 */
void
hashcache_stats(struct hashcache *hc, unsigned long *hits,
    unsigned long *misses)
{
	*hits = __atomic_load_n(&hc->hits, __ATOMIC_RELAXED);
	*misses = __atomic_load_n(&hc->misses, __ATOMIC_RELAXED);
}

/*
 * The number of entries held.
 */
size_t
hashcache_count(struct hashcache *hc)
{
	size_t n;

	pthread_mutex_lock(&hc->lock);
	n = hc->count;
	pthread_mutex_unlock(&hc->lock);
	return n;
}
