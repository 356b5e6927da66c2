/*
 * pool.c: worker threads over one FIFO queue; see pool.h.
 */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"

struct job {
	pool_fn		 fn;
	void		*arg;
	struct job	*next;
};

struct pool {
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;		/* a job is queued, or the end */
	struct job	*head, *tail;	/* owned */
	int		 closing;	/* pool_free: finish and stop */
	pthread_t	*threads;	/* owned */
	unsigned	 nthreads;	/* started */
};

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct job *j;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->head == NULL && !p->closing)
			pthread_cond_wait(&p->work, &p->lock);
		if ((j = p->head) == NULL)
			break;		/* closing, and nothing left */
		if ((p->head = j->next) == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct pool *
pool_new(unsigned n)
{
	struct pool *p;

	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (n == 0)
		n = cores > 0 ? (unsigned)cores : 1;
	if ((p->threads = calloc(n, sizeof(*p->threads))) == NULL) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	for (; p->nthreads < n; p->nthreads++)
		if (pthread_create(&p->threads[p->nthreads], NULL, worker,
		    p) != 0)
			break;
	if (p->nthreads == 0) {
		pool_free(p);
		return NULL;
	}
	return p;
}

int
pool_submit(struct pool *p, pool_fn fn, void *arg)
{
	struct job *j;

	if ((j = malloc(sizeof(*j))) == NULL)
		return -1;
	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void
pool_free(struct pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->closing = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p);
}
