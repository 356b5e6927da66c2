/*
 * test_pool.c: the worker pool (src/pool.c) on real threads: delivery
 * in sequence order whatever finishes first, puts in any order inside
 * the window, sequence numbers never put passed over at the end, and
 * every item cleared exactly once.
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "pool.h"

#define NITEMS	2000

/* A pool that never delivers an item hangs in pool_end: fail instead. */
TestSuite(pool, .timeout = 30);

struct titem {
	int		 seq;
	unsigned	 delay_us;	/* the work's length */
	int		 worked;
	int		*cleared;	/* borrowed: the run's counter */
};

struct trun {
	pthread_mutex_t	 lock;
	int		 delivered[NITEMS];
	size_t		 ndelivered;	/* consumer only */
	int		 cleared;	/* under lock */
	int		 flushes;	/* consumer only */
	pthread_t	 consumer;
	int		 consumer_known, one_consumer;
};

static void
t_work(void *item, void *arg)
{
	struct titem *it = item;
	struct timespec ts = { 0, (long)it->delay_us * 1000 };

	(void)arg;
	if (it->delay_us > 0)
		nanosleep(&ts, NULL);
	it->worked = 1;
}

static void
t_deliver(void *item, void *arg)
{
	struct titem *it = item;
	struct trun *r = arg;

	if (!r->consumer_known) {
		r->consumer = pthread_self();
		r->consumer_known = 1;
		r->one_consumer = 1;
	} else if (!pthread_equal(r->consumer, pthread_self()))
		r->one_consumer = 0;
	cr_assert(it->worked, "item %d delivered before its work", it->seq);
	if (r->ndelivered < NITEMS)
		r->delivered[r->ndelivered++] = it->seq;
}

static void
t_flush(void *arg)
{
	struct trun *r = arg;

	r->flushes++;
}

static void
t_clear(void *item, void *arg)
{
	struct trun *r = arg;

	(void)item;
	pthread_mutex_lock(&r->lock);
	r->cleared++;
	pthread_mutex_unlock(&r->lock);
}

static const struct pool_ops t_ops = {
	.item_size = sizeof(struct titem),
	.work = t_work,
	.deliver = t_deliver,
	.flush = t_flush,
	.flush_seconds = 1,
	.clear = t_clear,
};

static void
trun_init(struct trun *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
}

/*
 * More items than the window, the early ones slow: delivered in the
 * order put, each once, by one consumer, each cleared once.
 */
Test(pool, in_order_whatever_finishes_first)
{
	struct trun r;
	struct titem it;
	struct pool *p;
	int i;

	trun_init(&r);
	cr_assert_not_null(p = pool_new(3, 64, &t_ops, &r));
	for (i = 0; i < NITEMS; i++) {
		memset(&it, 0, sizeof(it));
		it.seq = i;
		/* Every 7th item slow: later ones finish first. */
		it.delay_us = i % 7 == 0 ? 2000 : (unsigned)(i % 5);
		pool_put(p, &it);
		cr_assert_eq(it.seq, 0, "the put moved the item (zeroed)");
	}
	pool_end(p);
	cr_expect_eq(r.ndelivered, NITEMS);
	for (i = 0; i < (int)r.ndelivered; i++)
		cr_expect_eq(r.delivered[i], i, "delivery %d was item %d", i,
		    r.delivered[i]);
	cr_expect_eq(r.cleared, NITEMS, "%d cleared", r.cleared);
	cr_expect(r.one_consumer);
	cr_expect_geq(r.flushes, 1, "flushed at the end");
	pthread_mutex_destroy(&r.lock);
}

/*
 * Puts in any order inside the window, refused outside it and twice;
 * room says where the window ends; a sequence number never put is
 * passed over at the end.
 */
Test(pool, put_at_in_any_order_inside_the_window)
{
	static const int order[] = { 5, 2, 7, 0, 1, 4, 3 };	/* not 6 */
	struct trun r;
	struct titem it;
	struct pool *p;
	size_t i;

	trun_init(&r);
	cr_assert_not_null(p = pool_new(2, 8, &t_ops, &r));
	cr_expect_eq(pool_room(p, 7), 1);
	cr_expect_eq(pool_room(p, 8), 0, "the window is 8 items");
	memset(&it, 0, sizeof(it));
	it.seq = 8;
	cr_expect_eq(pool_put_at(p, 8, &it), -1, "outside the window");
	cr_expect_eq(it.seq, 8, "a refused item stays the caller's");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		memset(&it, 0, sizeof(it));
		it.seq = order[i];
		it.delay_us = order[i] == 0 ? 20000 : 0;
		cr_expect_eq(pool_put_at(p, order[i], &it), 0, "put %d",
		    order[i]);
	}
	memset(&it, 0, sizeof(it));
	it.seq = 5;
	cr_expect_eq(pool_put_at(p, 5, &it), -1, "5 is put already");
	pool_end(p);
	cr_expect_eq(r.ndelivered, 7);
	for (i = 0; i < r.ndelivered; i++)
		cr_expect_eq(r.delivered[i], (int)i + (i >= 6),
		    "delivery %zu was item %d", i, r.delivered[i]);
	cr_expect_eq(r.cleared, 7);
	pthread_mutex_destroy(&r.lock);
}

/*
 * The window moves as items are delivered: once the first is, room
 * reaches one further; a producer that waits for room goes on.
 */
Test(pool, room_follows_delivery)
{
	struct trun r;
	struct titem it;
	struct pool *p;
	struct timespec ts = { 0, 1000000 };
	int i, n;

	trun_init(&r);
	cr_assert_not_null(p = pool_new(1, 4, &t_ops, &r));
	for (i = 0; i < 4; i++) {
		memset(&it, 0, sizeof(it));
		it.seq = i;
		cr_assert_eq(pool_put_at(p, i, &it), 0);
	}
	/* All four done and delivered within a few seconds at most. */
	for (n = 0; n < 5000 && !pool_room(p, 7); n++)
		nanosleep(&ts, NULL);
	cr_expect_eq(pool_room(p, 7), 1, "the window moved on");
	cr_expect_eq(pool_room(p, 8), 0);
	pool_end(p);
	cr_expect_eq(r.ndelivered, 4);
	pthread_mutex_destroy(&r.lock);
}
