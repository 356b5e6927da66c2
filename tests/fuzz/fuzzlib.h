/*
 * fuzzlib.h: what the libFuzzer targets in tests/fuzz share: the
 * fixtures they load once, before the first input, and the entry points
 * libFuzzer calls.
 *
 * A target keeps what it loaded (fixture certificates, an engine) in
 * static storage for the life of the process: libFuzzer calls
 * LLVMFuzzerTestOneInput with nothing but the bytes, so this is the one
 * place in the tree where a module holds state between calls.  It is
 * read-only after LLVMFuzzerInitialize.
 */
#ifndef CHAINAUDIT_FUZZLIB_H
#define CHAINAUDIT_FUZZLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cert.h"

/* The evaluation time of every target: the fixtures' pinned "now". */
#define FUZZ_NOW	((time_t)1456790400)	/* 2016-03-01T00:00:00Z */

/*
 * libFuzzer's entry points (declared for -Wmissing-prototypes); the
 * first is optional, for targets that load something once.
 */
int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * $CHAINAUDIT_SRCDIR/rel, or the source tree configure saw: in a static
 * buffer, valid until the next call.
 */
const char	*fuzz_path(const char *rel);

/*
 * The n-th (0-based) certificate of a fixture file, owned by the
 * caller; exits the process when it cannot be had, since a target
 * without its fixtures would fuzz nothing.
 */
struct cert	*fuzz_fixture_cert(const char *rel, size_t n);

/*
 * Read len bytes at p, so that ASan checks a slice a parser handed back
 * lies within its buffer.
 */
void		 fuzz_touch(const void *p, size_t len);

/* /dev/null open for writing, for writers whose output nobody reads. */
FILE		*fuzz_devnull(void);

#endif
