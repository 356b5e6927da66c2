/*
 * arena.c: chunks of memory handed out front to back; see arena.h.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_ALIGN	_Alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;	/* owned: the chunk before this one */
	size_t		 used, size;	/* of data */
	max_align_t	 data[];
};

void
arena_init(struct arena *a, void *buf, size_t len, size_t first)
{
	a->head = NULL;
	a->first = first;
	a->buf = buf;
	a->bufused = 0;
	a->buflen = buf != NULL ? len : 0;
}

void *
arena_alloc(struct arena *a, size_t n, size_t sz)
{
	struct arena_chunk *c = a->head;
	size_t len, want;
	unsigned char *p;

	if (sz != 0 && n > SIZE_MAX / 2 / sz)
		return NULL;
	len = (n * sz + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (len == 0)
		len = ARENA_ALIGN;
	if (c == NULL && a->buflen - a->bufused >= len) {
		p = a->buf + a->bufused;
		a->bufused += len;
		memset(p, 0, n * sz);
		return p;
	}
	if (c == NULL || c->size - c->used < len) {
		/* Each chunk twice the last: few chunks however it grows. */
		want = c == NULL ? a->first : c->size * 2;
		if (want < len)
			want = len;
		if (want > SIZE_MAX - sizeof(*c) ||
		    (c = malloc(sizeof(*c) + want)) == NULL)
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->size = want;
		a->head = c;
	}
	p = (unsigned char *)c->data + c->used;
	c->used += len;
	memset(p, 0, n * sz);
	return p;
}

int
arena_grow(struct arena *a, void *v, size_t *cap, size_t n, size_t sz)
{
	void **pv = v;
	size_t ncap;
	void *nv;

	if (n <= *cap)
		return 0;
	ncap = *cap < 4 ? 4 : *cap;
	while (ncap < n) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if ((nv = arena_alloc(a, ncap, sz)) == NULL)
		return -1;
	if (*cap > 0)
		memcpy(nv, *pv, *cap * sz);
	*pv = nv;
	*cap = ncap;
	return 0;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->bufused = 0;
}
