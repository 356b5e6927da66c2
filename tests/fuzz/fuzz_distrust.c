/*
 * fuzz_distrust.c: libFuzzer target for the distrust-file parser
 * (src/distrust.c, the format of chainaudit-distrust(5)) and what a
 * parsed policy is used for: listing it (--list-distrust, text and
 * JSON), its next change, and matching it against a real chain.
 */
#include <config.h>

#include <stdlib.h>

#include "distrust.h"
#include "fuzzlib.h"

/* Loaded once (see fuzzlib.h): a chain to match, and a sink for lists. */
static const struct cert *chain[3];
static FILE *devnull;

static void
bad_line(const char *line, void *arg)
{
	(void)line;
	(void)arg;
}

static int
hit(const struct distrust_hit *h, void *arg)
{
	(void)h;
	(void)arg;
	return 0;
}

static int
entry_text(const struct distrust_entry *e, void *arg)
{
	char	 buf[256];

	(void)arg;
	distrust_match_text(e, buf, sizeof(buf));
	distrust_rule_text(e, buf, sizeof(buf));
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	chain[0] = fuzz_fixture_cert("fixtures/chains/good-rsa.pem", 0);
	chain[1] = fuzz_fixture_cert("fixtures/ca/int-rsa.pem", 0);
	chain[2] = fuzz_fixture_cert("fixtures/ca/root-rsa.pem", 0);
	devnull = fuzz_devnull();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct distrust_policy	*p;
	struct distrust_query	 q;

	if ((p = distrust_new()) == NULL)
		abort();
	/* Twice: the second pass makes every good line a duplicate. */
	if (distrust_parse(p, (const char *)data, size, "fuzz", 1, bad_line,
	    NULL) < 0 || distrust_parse(p, (const char *)data, size, "again",
	    1, bad_line, NULL) < 0)
		goto out;
	(void)distrust_each(p, entry_text, NULL);
	(void)distrust_list(devnull, p, "text");
	(void)distrust_list(devnull, p, "json");
	(void)distrust_next_change(p, FUZZ_NOW);
	q.certs = chain;
	q.ncerts = 3;
	q.npath = 0;
	q.leaf = chain[0];
	q.now = FUZZ_NOW;
	(void)distrust_match(p, &q, hit, NULL);
	q.npath = 2;
	(void)distrust_match(p, &q, hit, NULL);
out:
	distrust_free(p);
	return 0;
}
