/*
 * pool.h: worker threads taking jobs in the order they were submitted.
 * A job is a function and its argument; the pool knows nothing of what
 * it does, and says nothing when one ends: a job tells its submitter
 * itself (under the submitter's own lock).  The live run audits each
 * handshake's chain on one, so the event loop never waits for an audit.
 */
#ifndef CHAINAUDIT_POOL_H
#define CHAINAUDIT_POOL_H

struct pool;

typedef void (*pool_fn)(void *arg);

/* A pool of n threads (0: one per core), or NULL (no memory, no threads). */
struct pool	*pool_new(unsigned n);

/* Queue fn(arg) behind every job submitted before.  0, or -1 (ENOMEM). */
int		 pool_submit(struct pool *p, pool_fn fn, void *arg);

/* Run every job queued to its end, then stop the threads and free p. */
void		 pool_free(struct pool *p);

#endif
