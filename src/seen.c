/*
 * seen.c: a bounded, lock-free filter of digests seen before; see seen.h.
 */
#include <config.h>

#include <stdlib.h>

#include "seen.h"

struct seen {
	size_t		 mask;		/* slots - 1 */
	uint64_t	 slot[];	/* atomic; 0: empty */
};

/*
 * A new filter; NULL on ENOMEM.
 */
struct seen *
seen_new(size_t slots)
{
	struct seen *s;
	size_t n = 1;

	while (n < slots)
		n <<= 1;
	if ((s = calloc(1, sizeof(*s) + n * sizeof(s->slot[0]))) == NULL)
		return NULL;
	s->mask = n - 1;
	return s;
}

void
seen_free(struct seen *s)
{
	free(s);
}

/*
 * Mark digest and say whether it repeats.  The slot comes from the top
 * bits, so that a hashcache keyed by the same digest (which buckets by
 * the low bits) and this filter do not fill in step.  The zero digest,
 * the empty slot, counts as a repeat: one extra entry at worst.
 */
int
seen_mark(struct seen *s, uint64_t digest)
{
	size_t i = (size_t)(digest >> 32 ^ digest >> 48) & s->mask;

	return __atomic_exchange_n(&s->slot[i], digest, __ATOMIC_RELAXED) ==
	    digest;
}
