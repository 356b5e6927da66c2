/*
 * fuzzlib.c: fixtures for the libFuzzer targets; see fuzzlib.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "pem.h"
#include "util.h"

#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "."
#endif

const char *
fuzz_path(const char *rel)
{
	static char	 buf[4096];
	const char	*dir = getenv("CHAINAUDIT_SRCDIR");

	if (dir == NULL || *dir == '\0')
		dir = FUZZ_SRCDIR;
	snprintf(buf, sizeof(buf), "%s/%s", dir, rel);
	return buf;
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz: %s: %s (set CHAINAUDIT_SRCDIR to the source "
	    "tree)\n", what, why);
	exit(1);
}

struct cert *
fuzz_fixture_cert(const char *rel, size_t n)
{
	struct der_list	 blobs;
	struct cert	*c;
	unsigned char	*buf = NULL;
	char		 err[ERRBUF_LEN];
	size_t		 len;

	memset(&blobs, 0, sizeof(blobs));
	if (file_read_all(fuzz_path(rel), &buf, &len, err, sizeof(err)) < 0)
		die(fuzz_path(rel), err);
	if (pem_decode(buf, len, &blobs) < 0 || blobs.n <= n)
		die(fuzz_path(rel), "no such certificate in it");
	c = cert_parse(blobs.v[n].der, blobs.v[n].len, err, sizeof(err));
	if (c == NULL)
		die(fuzz_path(rel), err);
	der_list_free(&blobs);
	free(buf);
	return c;
}

void
fuzz_touch(const void *p, size_t len)
{
	const unsigned char	*b = p;
	unsigned		 sum = 0;
	size_t			 i;

	for (i = 0; i < len; i++)
		sum += b[i];
	/* Keep the reads: the compiler must assume sum is used. */
	__asm__ volatile("" : : "r"(sum));
}

FILE *
fuzz_devnull(void)
{
	FILE	*fp;

	if ((fp = fopen("/dev/null", "w")) == NULL)
		die("/dev/null", "cannot open");
	return fp;
}
