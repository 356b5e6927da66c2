/*
 * test_hashcache.c: the run-wide caches' map: insert, lookup, the bound,
 * ownership of values, and use from several threads at once.
 */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hashcache.h"
#include "util.h"

/* A digest key, as the caches use: the SHA-256 of n. */
static void
key_of(unsigned long n, unsigned char key[SHA256_LEN])
{
	cr_assert(sha256((const unsigned char *)&n, sizeof(n), key) == 0);
}

/* Values that count their own frees. */
static unsigned long drops;

static void
count_drop(void *v)
{
	__atomic_fetch_add(&drops, 1, __ATOMIC_RELAXED);
	free(v);
}

static unsigned long *
new_value(unsigned long n)
{
	unsigned long *v = malloc(sizeof(*v));

	cr_assert_not_null(v);
	*v = n;
	return v;
}

Test(hashcache, insert_then_lookup)
{
	struct hashcache *hc = hashcache_new(SHA256_LEN, 100, count_drop);
	unsigned char k1[SHA256_LEN], k2[SHA256_LEN];
	unsigned long *v1 = new_value(1), *again = new_value(1), *got;
	unsigned long hits, misses;

	cr_assert_not_null(hc);
	key_of(1, k1);
	key_of(2, k2);
	cr_expect_null(hashcache_get(hc, k1));
	cr_expect_eq(hashcache_put(hc, k1, v1), 1);
	got = hashcache_get(hc, k1);
	cr_expect_eq(got, v1, "the value itself, not a copy");
	cr_expect_null(hashcache_get(hc, k2));
	/* A second put under the same key keeps the first value. */
	cr_expect_eq(hashcache_put(hc, k1, again), 0);
	cr_expect_eq(hashcache_get(hc, k1), v1);
	free(again);		/* not stored: still the caller's */
	cr_expect_eq(hashcache_count(hc), 1);
	hashcache_miss(hc);
	hashcache_stats(hc, &hits, &misses);
	cr_expect_eq(hits, 2);
	cr_expect_eq(misses, 3, "two lookups and one counted by the caller");
	drops = 0;
	hashcache_free(hc);
	cr_expect_eq(drops, 1);
	hashcache_free(NULL);
}

/*
 * The signature cache's keys: one certificate's digest, then an issuer
 * key's digest, then a byte.  Keys alike but for their tail are apart.
 */
Test(hashcache, keys_are_whole_not_prefixes)
{
	static int a, b, c;
	struct hashcache *hc = hashcache_new(2 * SHA256_LEN + 1, 10, NULL);
	unsigned char k[3][2 * SHA256_LEN + 1];

	cr_assert_not_null(hc);
	key_of(1, k[0]);
	key_of(2, k[0] + SHA256_LEN);
	k[0][2 * SHA256_LEN] = 0;
	memcpy(k[1], k[0], sizeof(k[0]));
	key_of(3, k[1] + SHA256_LEN);		/* another issuer */
	memcpy(k[2], k[0], sizeof(k[0]));
	k[2][2 * SHA256_LEN] = 1;		/* another kind */
	cr_expect_eq(hashcache_put(hc, k[0], &a), 1);
	cr_expect_eq(hashcache_put(hc, k[1], &b), 1);
	cr_expect_eq(hashcache_put(hc, k[2], &c), 1);
	cr_expect_eq(hashcache_get(hc, k[0]), &a);
	cr_expect_eq(hashcache_get(hc, k[1]), &b);
	cr_expect_eq(hashcache_get(hc, k[2]), &c);
	cr_expect_eq(hashcache_count(hc), 3);
	hashcache_free(hc);	/* no drop: the values were borrowed */
}

Test(hashcache, full_map_takes_no_more)
{
	struct hashcache *hc = hashcache_new(SHA256_LEN, 3, count_drop);
	unsigned char key[SHA256_LEN];
	unsigned long *v, i;

	cr_assert_not_null(hc);
	for (i = 0; i < 3; i++) {
		key_of(i, key);
		cr_expect_eq(hashcache_put(hc, key, new_value(i)), 1);
	}
	key_of(3, key);
	v = new_value(3);
	cr_expect_eq(hashcache_put(hc, key, v), 0, "full");
	free(v);
	cr_expect_null(hashcache_get(hc, key));
	cr_expect_eq(hashcache_count(hc), 3);
	/* What it holds is still found. */
	for (i = 0; i < 3; i++) {
		key_of(i, key);
		v = hashcache_get(hc, key);
		cr_expect(v != NULL && *v == i, "key %lu", i);
	}
	drops = 0;
	hashcache_free(hc);
	cr_expect_eq(drops, 3);
}

/* Many more entries than the first buckets: the map grows, finds all. */
Test(hashcache, grows_and_finds_every_key)
{
	enum { N = 20000 };
	struct hashcache *hc = hashcache_new(SHA256_LEN, N, count_drop);
	unsigned char key[SHA256_LEN];
	unsigned long *v, i, found = 0;

	cr_assert_not_null(hc);
	for (i = 0; i < N; i++) {
		key_of(i, key);
		cr_assert_eq(hashcache_put(hc, key, new_value(i)), 1);
	}
	for (i = 0; i < N; i++) {
		key_of(i, key);
		if ((v = hashcache_get(hc, key)) != NULL && *v == i)
			found++;
	}
	cr_expect_eq(found, N);
	key_of(N, key);
	cr_expect_null(hashcache_get(hc, key));
	cr_expect_eq(hashcache_count(hc), N);
	drops = 0;
	hashcache_free(hc);
	cr_expect_eq(drops, N);
}

Test(hashcache, zero_sizes_are_refused)
{
	cr_expect_null(hashcache_new(0, 10, NULL));
	cr_expect_null(hashcache_new(SHA256_LEN, 0, NULL));
}

/* ---- several threads ----------------------------------------------- */

#define T_THREADS	4
#define T_KEYS		3000
#define T_ROUNDS	3

struct worker {
	struct hashcache *hc;
	unsigned	 first;		/* where this thread starts */
	unsigned long	*seen[T_KEYS];	/* the value each key gave */
	unsigned long	 gets;
	unsigned long	 lost;		/* puts that did not store */
	int		 bounded;	/* the map may fill before the end */
	int		 bad;		/* a value under the wrong key */
};

/*
 * What the caches do: look up, and on a miss make a value and put it;
 * when another thread put it first, drop ours and take theirs.
 */
static void *
work(void *arg)
{
	struct worker *w = arg;
	unsigned char key[SHA256_LEN];
	unsigned long *v;
	unsigned r, j, n;
	int put;

	for (r = 0; r < T_ROUNDS; r++)
		for (j = 0; j < T_KEYS; j++) {
			n = (w->first + j) % T_KEYS;
			key_of(n, key);
			w->gets++;
			if ((v = hashcache_get(w->hc, key)) == NULL) {
				v = new_value(n);
				if ((put = hashcache_put(w->hc, key, v)) != 1) {
					free(v);
					w->lost++;
					w->gets++;
					v = hashcache_get(w->hc, key);
				}
				if (put == -1 || (v == NULL && !w->bounded))
					w->bad = 1;
				if (v == NULL)
					continue;
			}
			if (*v != n || (w->seen[n] != NULL && w->seen[n] != v))
				w->bad = 1;
			w->seen[n] = v;
			if (j % 7 == 0)
				hashcache_miss(w->hc);
		}
	return NULL;
}

Test(hashcache, threads_share_one_value_per_key)
{
	static struct worker w[T_THREADS];
	pthread_t t[T_THREADS];
	struct hashcache *hc = hashcache_new(SHA256_LEN, T_KEYS, count_drop);
	unsigned long hits, misses, gets = 0, lost = 0, extra, i, k;

	cr_assert_not_null(hc);
	memset(w, 0, sizeof(w));
	for (i = 0; i < T_THREADS; i++) {
		w[i].hc = hc;
		w[i].first = i * (T_KEYS / T_THREADS);
		cr_assert(pthread_create(&t[i], NULL, work, &w[i]) == 0);
	}
	for (i = 0; i < T_THREADS; i++) {
		cr_assert(pthread_join(t[i], NULL) == 0);
		cr_expect(!w[i].bad, "thread %lu saw a wrong value", i);
		gets += w[i].gets;
		lost += w[i].lost;
	}
	/* Every thread got the one value the map kept for each key. */
	for (k = 0; k < T_KEYS; k++)
		for (i = 1; i < T_THREADS; i++)
			cr_expect_eq(w[i].seen[k], w[0].seen[k], "key %lu", k);
	cr_expect_eq(hashcache_count(hc), T_KEYS);
	hashcache_stats(hc, &hits, &misses);
	/* Each key missed once per put, and every 7th step added one. */
	extra = T_THREADS * T_ROUNDS * ((T_KEYS + 6) / 7);
	cr_expect_eq(hits + misses, gets + extra);
	/* A lost race is a miss, then a hit on the winner's value. */
	cr_expect_eq(misses, T_KEYS + lost + extra,
	    "misses %lu, lost races %lu", misses, lost);
	drops = 0;
	hashcache_free(hc);
	cr_expect_eq(drops, T_KEYS);
}

Test(hashcache, threads_fill_a_bounded_map_to_its_bound)
{
	enum { MAX = 100 };
	static struct worker w[T_THREADS];
	pthread_t t[T_THREADS];
	struct hashcache *hc = hashcache_new(SHA256_LEN, MAX, count_drop);
	unsigned long i, k, kept = 0;

	cr_assert_not_null(hc);
	memset(w, 0, sizeof(w));
	for (i = 0; i < T_THREADS; i++) {
		w[i].hc = hc;
		w[i].first = i * (T_KEYS / T_THREADS);
		w[i].bounded = 1;
		cr_assert(pthread_create(&t[i], NULL, work, &w[i]) == 0);
	}
	for (i = 0; i < T_THREADS; i++) {
		cr_assert(pthread_join(t[i], NULL) == 0);
		cr_expect(!w[i].bad, "thread %lu saw a wrong value", i);
	}
	cr_expect_eq(hashcache_count(hc), MAX);
	/* The keys kept are the same for every thread that looked. */
	for (k = 0; k < T_KEYS; k++) {
		for (i = 1; i < T_THREADS; i++)
			if (w[i].seen[k] != NULL && w[0].seen[k] != NULL)
				cr_expect_eq(w[i].seen[k], w[0].seen[k],
				    "key %lu", k);
		if (w[0].seen[k] != NULL)
			kept++;
	}
	cr_expect_eq(kept, MAX, "thread 0 went over every key last round");
	drops = 0;
	hashcache_free(hc);
	cr_expect_eq(drops, MAX);
}
