/*
 * pool.c: the worker pool; see pool.h.
 *
 * Items live in a ring of window slots, numbered by sequence: a put
 * fills slot seq and queues seq for the workers; workers take queued
 * items in the order they were put and mark them done in any order; the
 * consumer delivers slot next_write once it is done, then frees the
 * slot.  A slot is reused only when next_write has passed it, so at
 * most the window is in memory whatever the input.
 *
 * The hand-offs are batched, because a wake-up per item cost more than
 * a database row's SQLite work (bench/README): a worker takes up to
 * WORKER_TAKE items under one lock, the consumer is woken once
 * CONSUMER_BATCH items are done in order and takes every deliverable
 * item under one lock, and an in-order producer sleeps until half the
 * window is free.
 *
 * An item is cleared by the worker that worked it, not by the consumer
 * that delivers it: the consumer hands delivered items back through the
 * worker's grave, which the worker empties when it next takes items.
 * Freeing another thread's memory takes that thread's malloc arena lock
 * block by block; on the database writer it was the largest cost after
 * SQLite and slowed the workers it contended with (bench/README).
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"
#include "util.h"

#define WORKER_TAKE	4	/* items a worker takes at a time, at most */

/*
 * Items done in order that wake the consumer; at most half a window.
 * Each wake-up of the consumer or the producer takes a core from a
 * worker and leaves it cold caches; at -j 2 on two cores, 128-row
 * batches (a window of 256 a job) ran 8 to 16% faster than 32-row ones
 * in an A/B on 100,000 database rows, for about 2.5 MB more memory.
 */
#define CONSUMER_BATCH	128

enum slot_state {
	SLOT_FREE = 0,		/* not put (yet) */
	SLOT_QUEUED,		/* put: a worker's to take */
	SLOT_DONE,		/* worked: the consumer's to deliver */
};

struct slot {
	enum slot_state	 state;
	unsigned	 worker;	/* which worked it: whose grave */
};

/* Delivered items on their way back to the worker that worked them. */
struct grave {
	unsigned char	*v;		/* owned: n items */
	size_t		 n, cap;
};

struct worker_arg {
	struct pool	*p;
	unsigned	 id;		/* its grave: p->graves[id] */
};

struct pool {
	const struct pool_ops *ops;	/* borrowed */
	void		*arg;		/* borrowed */
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* an item is queued, or the end */
	pthread_cond_t	 done;		/* the consumer has items to deliver */
	pthread_cond_t	 space;		/* half the window is free */
	unsigned char	*items;		/* owned: cap items */
	struct slot	*slots;		/* owned: cap */
	int64_t		*queue;		/* owned: cap seqs put, not taken */
	size_t		 cap;
	int64_t		 qhead, qtail;	/* queue[qhead % cap] is next */
	int64_t		 next_write;	/* the next seq to deliver */
	int64_t		 end;		/* 1 + the highest seq put */
	int		 eof;		/* pool_end: no more puts */
	struct grave	*graves;	/* owned: one a worker, under lock */
	struct worker_arg *wargs;	/* owned */
	pthread_t	*workers;	/* owned */
	unsigned	 nworkers, nstarted;
	pthread_t	 consumer;
	int		 consumer_started;
};

static void *
item_at(const struct pool *p, int64_t seq)
{
	return p->items + (size_t)(seq % (int64_t)p->cap) * p->ops->item_size;
}

static struct slot *
slot_at(const struct pool *p, int64_t seq)
{
	return &p->slots[seq % (int64_t)p->cap];
}

/* 1 when the consumer may pass seq: done, or never to be put. */
static int
slot_is_deliverable(const struct pool *p, int64_t seq)
{
	enum slot_state st = slot_at(p, seq)->state;

	return st == SLOT_DONE || (st == SLOT_FREE && p->eof);
}

static void
grave_clear(const struct pool *p, struct grave *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		p->ops->clear(g->v + i * p->ops->item_size, p->arg);
	g->n = 0;
}

/* Append the n items at v to g.  0, or -1 (then they stay in v). */
static int
grave_add(const struct pool *p, struct grave *g, const void *v, size_t n)
{
	size_t sz = p->ops->item_size;

	if (array_reserve(&g->v, &g->cap, g->n + n, sz) < 0)
		return -1;
	memcpy(g->v + g->n * sz, v, n * sz);
	g->n += n;
	return 0;
}

/* Swap the contents of a and b (the worker keeps an empty array). */
static void
grave_swap(struct grave *a, struct grave *b)
{
	struct grave t = *a;

	*a = *b;
	*b = t;
}

/*
 * Wake the consumer once CONSUMER_BATCH items are deliverable in order,
 * or every item put so far is: waking it for each item cost a wake-up
 * per item.  Called with the lock held.
 */
static int
consumer_should_wake(const struct pool *p)
{
	int64_t n = p->end - p->next_write, c;

	for (c = 0; c < n && c < CONSUMER_BATCH; c++)
		if (!slot_is_deliverable(p, p->next_write + c))
			return 0;
	return 1;
}

static void *
worker(void *arg)
{
	const struct worker_arg *w = arg;
	struct pool *p = w->p;
	struct grave dead;
	int64_t take[WORKER_TAKE];
	size_t n, i;

	memset(&dead, 0, sizeof(dead));
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->qhead == p->qtail && !p->eof)
			pthread_cond_wait(&p->work, &p->lock);
		/* What the consumer is done with, cleared outside the lock. */
		grave_swap(&dead, &p->graves[w->id]);
		for (n = 0; n < WORKER_TAKE && p->qhead < p->qtail; n++) {
			take[n] = p->queue[p->qhead++ % (int64_t)p->cap];
			slot_at(p, take[n])->worker = w->id;
		}
		pthread_mutex_unlock(&p->lock);
		grave_clear(p, &dead);
		if (n == 0)
			break;		/* the end, and nothing queued */

		/* The slots are this worker's until marked done. */
		for (i = 0; i < n; i++)
			p->ops->work(item_at(p, take[i]), p->arg);

		pthread_mutex_lock(&p->lock);
		for (i = 0; i < n; i++)
			slot_at(p, take[i])->state = SLOT_DONE;
		if (consumer_should_wake(p))
			pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->lock);
	}
	free(dead.v);
	return NULL;
}

/* Hand pending to the workers' graves.  Called with the lock held. */
static void
bury(struct pool *p, struct grave *pending)
{
	unsigned w;

	for (w = 0; w < p->nworkers; w++) {
		if (pending[w].n == 0)
			continue;
		if (p->graves[w].n == 0)
			grave_swap(&p->graves[w], &pending[w]);
		else if (grave_add(p, &p->graves[w], pending[w].v,
		    pending[w].n) == 0)
			pending[w].n = 0;
		/* else they wait in pending for the next batch */
	}
}

/*
 * Wait for items to deliver: the number deliverable from next_write, or
 * 0 when the pool ends (*end set) or has been idle since a delivery for
 * flush_seconds.  Called with the lock held.
 */
static int64_t
consumer_wait(struct pool *p, int delivered, int *end)
{
	struct timespec until;
	int64_t ready = 0;

	for (;;) {
		while (p->next_write + ready < p->end &&
		    slot_is_deliverable(p, p->next_write + ready))
			ready++;
		if (ready > 0)
			return ready;
		if (p->eof && p->next_write >= p->end) {
			*end = 1;
			return 0;
		}
		if (!delivered || p->ops->flush == NULL) {
			pthread_cond_wait(&p->done, &p->lock);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += p->ops->flush_seconds;
		if (pthread_cond_timedwait(&p->done, &p->lock, &until) ==
		    ETIMEDOUT)
			return 0;
	}
}

static void *
consumer(void *arg)
{
	struct pool *p = arg;
	const struct pool_ops *ops = p->ops;
	struct grave *pending;
	struct slot *s;
	void *item;
	int64_t ready, i, half;
	unsigned w;
	int delivered = 0, end = 0;

	/* Without it the consumer clears what it delivers, slower but right. */
	pending = calloc(p->nworkers, sizeof(*pending));
	for (;;) {
		pthread_mutex_lock(&p->lock);
		ready = consumer_wait(p, delivered, &end);
		pthread_mutex_unlock(&p->lock);
		if (ready == 0) {
			if (ops->flush != NULL)
				ops->flush(p->arg);
			delivered = 0;
			if (end)
				break;
			continue;
		}
		/* The deliverable slots are the consumer's until passed. */
		for (i = 0; i < ready; i++) {
			s = slot_at(p, p->next_write + i);
			if (s->state != SLOT_DONE)
				continue;	/* never put */
			item = item_at(p, p->next_write + i);
			ops->deliver(item, p->arg);
			delivered = 1;
			if (pending == NULL ||
			    grave_add(p, &pending[s->worker], item, 1) < 0)
				ops->clear(item, p->arg);
		}
		pthread_mutex_lock(&p->lock);
		if (pending != NULL)
			bury(p, pending);
		for (i = 0; i < ready; i++)
			slot_at(p, p->next_write + i)->state = SLOT_FREE;
		half = p->end - p->next_write > (int64_t)p->cap / 2;
		p->next_write += ready;
		/* A producer waits for half a window free: wake it as it is. */
		if (half && p->end - p->next_write <= (int64_t)p->cap / 2)
			pthread_cond_signal(&p->space);
		pthread_mutex_unlock(&p->lock);
	}
	/* The end: what bury could not hand over (out of memory). */
	for (w = 0; pending != NULL && w < p->nworkers; w++) {
		grave_clear(p, &pending[w]);
		free(pending[w].v);
	}
	free(pending);
	return NULL;
}

unsigned
pool_jobs(unsigned jobs)
{
	long n;

	if (jobs > 0)
		return jobs;
	/* As many as -j takes at most (cli.c). */
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1024 ? 1024 : (unsigned)n;
}

struct pool *
pool_new(unsigned jobs, size_t window, const struct pool_ops *ops,
    void *arg)
{
	struct pool *p;
	sigset_t block, old;
	unsigned i;

	jobs = pool_jobs(jobs);
	if (window == 0)
		window = (size_t)jobs * POOL_WINDOW_PER_JOB;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->ops = ops;
	p->arg = arg;
	p->cap = window;
	p->nworkers = jobs;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	pthread_cond_init(&p->space, NULL);
	if ((p->items = calloc(window, ops->item_size)) == NULL ||
	    (p->slots = calloc(window, sizeof(*p->slots))) == NULL ||
	    (p->queue = calloc(window, sizeof(*p->queue))) == NULL ||
	    (p->graves = calloc(jobs, sizeof(*p->graves))) == NULL ||
	    (p->wargs = calloc(jobs, sizeof(*p->wargs))) == NULL ||
	    (p->workers = calloc(jobs, sizeof(*p->workers))) == NULL) {
		pool_end(p);
		return NULL;
	}

	/* Signals are the producer's: the threads never take them. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < jobs; i++) {
		p->wargs[i].p = p;
		p->wargs[i].id = i;
		if (pthread_create(&p->workers[i], NULL, worker,
		    &p->wargs[i]) != 0)
			break;
		p->nstarted++;
	}
	if (p->nstarted > 0 && pthread_create(&p->consumer, NULL, consumer,
	    p) == 0)
		p->consumer_started = 1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!p->consumer_started) {
		pool_end(p);
		return NULL;
	}
	return p;
}

/* Move item into slot seq and queue it.  Called with the lock held. */
static void
slot_fill(struct pool *p, int64_t seq, void *item)
{
	size_t sz = p->ops->item_size;

	memcpy(item_at(p, seq), item, sz);
	memset(item, 0, sz);
	slot_at(p, seq)->state = SLOT_QUEUED;
	p->queue[p->qtail++ % (int64_t)p->cap] = seq;
	if (seq >= p->end)
		p->end = seq + 1;
	pthread_cond_signal(&p->work);
}

void
pool_put(struct pool *p, void *item)
{
	pthread_mutex_lock(&p->lock);
	/*
	 * Full: wait until half the window is free, then refill it in one
	 * burst, so the producer sleeps once per half window rather than
	 * once per item (the consumer signals at that mark only).
	 */
	if (p->end - p->next_write >= (int64_t)p->cap)
		while (p->end - p->next_write > (int64_t)p->cap / 2)
			pthread_cond_wait(&p->space, &p->lock);
	slot_fill(p, p->end, item);
	pthread_mutex_unlock(&p->lock);
}

int
pool_room(struct pool *p, int64_t seq)
{
	int r;

	pthread_mutex_lock(&p->lock);
	r = seq < p->next_write + (int64_t)p->cap;
	pthread_mutex_unlock(&p->lock);
	return r;
}

int
pool_put_at(struct pool *p, int64_t seq, void *item)
{
	int r = -1;

	pthread_mutex_lock(&p->lock);
	if (seq >= p->next_write && seq < p->next_write + (int64_t)p->cap &&
	    slot_at(p, seq)->state == SLOT_FREE) {
		slot_fill(p, seq, item);
		r = 0;
	}
	pthread_mutex_unlock(&p->lock);
	return r;
}

void
pool_end(struct pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->eof = 1;
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nstarted; i++)
		pthread_join(p->workers[i], NULL);
	if (p->consumer_started)
		pthread_join(p->consumer, NULL);
	/* The threads are gone: what the consumer buried last is here. */
	for (i = 0; p->graves != NULL && i < p->nworkers; i++) {
		grave_clear(p, &p->graves[i]);
		free(p->graves[i].v);
	}
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->space);
	pthread_mutex_destroy(&p->lock);
	free(p->items);
	free(p->slots);
	free(p->queue);
	free(p->graves);
	free(p->wargs);
	free(p->workers);
	free(p);
}
