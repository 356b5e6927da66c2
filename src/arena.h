/*
 * arena.h: a bump allocator for the many small arrays of one short-lived
 * object (a path search's graph), all freed at once.
 *
 * Ownership: everything arena_alloc and arena_grow hand out belongs to
 * the arena and lives until arena_free; nothing from it is freed alone.
 * Memory does not move once handed out (chunks are never realloc'ed), so
 * pointers into it stay valid; an array that arena_grow outgrows is left
 * in place, unused: growth by doubling bounds that waste by the final
 * size.  Not thread-safe: one arena, one thread.
 */
#ifndef CHAINAUDIT_ARENA_H
#define CHAINAUDIT_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;	/* owned: the chunk being used */
	size_t		 first;		/* size of the first chunk's data */
	unsigned char	*buf;		/* borrowed: used before any chunk */
	size_t		 bufused, buflen;
};

/*
 * An empty arena that hands out buf's len bytes first (buf NULL: none;
 * the caller's, aligned for any type, and outliving the arena: inside
 * the object the arena serves, so the usual object costs no allocation
 * of its own), then chunks, the first of first bytes.
 */
void	arena_init(struct arena *a, void *buf, size_t len, size_t first);

/* n zeroed elements of size sz (n 0: a unique pointer), or NULL. */
void	*arena_alloc(struct arena *a, size_t n, size_t sz);

/*
 * array_reserve (util.h) for an array in a: grow *v (*cap slots of sz)
 * to hold at least n, copying the old elements into the new place.
 * Returns 0, or -1 on allocation failure with *v and *cap untouched.
 */
int	arena_grow(struct arena *a, void *v, size_t *cap, size_t n, size_t sz);

/* Free every chunk of a; a is empty again, usable.  Accepts NULL. */
void	arena_free(struct arena *a);

#endif
