/*
 * seen.h: a bounded filter of 64-bit digests, saying whether one was
 * marked before: how the run caches keep only bytes that repeat.
 *
 * A fixed table of slots, one digest each, overwritten by the next digest
 * that falls in the same slot: memory is the table whatever the input,
 * and a repeat is missed (never invented) when another digest took its
 * slot in between.  Lock-free, so every worker of a run shares one.
 */
#ifndef CHAINAUDIT_SEEN_H
#define CHAINAUDIT_SEEN_H

#include <stddef.h>
#include <stdint.h>

struct seen;

/* A new, empty filter of slots slots (rounded up to a power of two). */
struct seen	*seen_new(size_t slots);
void		 seen_free(struct seen *s);

/*
 * Mark digest; 1 when it was the last digest marked in its slot (a
 * repeat), 0 otherwise.  digest should be well mixed (hashcache_digest).
 */
int		 seen_mark(struct seen *s, uint64_t digest);

#endif
