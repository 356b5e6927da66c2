/*
 * pool.h: the worker pool that every many-target run goes through: the
 * database scan (stored chains, or --live handshakes of its rows) and
 * live targets.  One producer puts items under sequence numbers; -j
 * worker threads work them in any order; one consumer thread hands them
 * on strictly in sequence order, so reports and results are the same
 * whatever -j is; then the worker that worked an item clears it.
 *
 * At most a window of items is in the pool, whatever the input: a
 * producer that puts in order waits for room (pool_put); one whose
 * items come in any order (the handshake loop) asks for room before it
 * starts what will make an item (pool_room) and never waits.
 *
 * Ownership: an item is a plain struct of ops->item_size bytes, moved
 * into the pool by a put (the caller's copy is zeroed); ops->clear
 * frees what it owns.  Everything given to pool_new is borrowed until
 * pool_end returns.
 */
#ifndef CHAINAUDIT_POOL_H
#define CHAINAUDIT_POOL_H

#include <stddef.h>
#include <stdint.h>

#define POOL_WINDOW_PER_JOB	256	/* the default window, per worker */

struct pool;

/* What the pool does with an item; every function gets pool_new's arg. */
struct pool_ops {
	size_t	 item_size;
	/* On a worker thread, in any order: the item's work. */
	void	(*work)(void *item, void *arg);
	/* On the consumer thread, in sequence order: hand the item on. */
	void	(*deliver)(void *item, void *arg);
	/*
	 * On the consumer thread, once flush_seconds have passed without
	 * anything to deliver after a delivery, and at the end; may be NULL.
	 */
	void	(*flush)(void *arg);
	unsigned flush_seconds;
	/*
	 * Free what the item owns: on the worker that worked it (freeing on
	 * the allocating thread keeps workers off each other's malloc
	 * arena locks), else on the consumer.
	 */
	void	(*clear)(void *item, void *arg);
};

/* How many workers -j jobs means: jobs, or 0: one per processor. */
unsigned	 pool_jobs(unsigned jobs);

/*
 * Start pool_jobs(jobs) workers and the consumer, with SIGINT and
 * SIGTERM blocked in them (signals are the producer's), for a window of
 * window items (0: POOL_WINDOW_PER_JOB a worker).  NULL when out of
 * memory or threads (then nothing runs).
 */
struct pool	*pool_new(unsigned jobs, size_t window,
		    const struct pool_ops *ops, void *arg);

/*
 * Move item in as the next in sequence (after the last put), waiting
 * while the window is full.  Puts come from one thread only.
 */
void		 pool_put(struct pool *p, void *item);

/* 1 when seq is inside the window (pool_put_at would be taken), else 0. */
int		 pool_room(struct pool *p, int64_t seq);

/*
 * Move item in under seq, in any order, never waiting.  0, or -1 when
 * seq is outside the window or was put already (item left untouched).
 */
int		 pool_put_at(struct pool *p, int64_t seq, void *item);

/*
 * No more puts: every item put is worked and delivered (sequence
 * numbers never put are passed over), flush runs, the threads stop and
 * p is freed.  Accepts NULL.
 */
void		 pool_end(struct pool *p);

#endif
