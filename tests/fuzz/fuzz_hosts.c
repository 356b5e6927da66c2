/*
 * fuzz_hosts.c: libFuzzer target for the live-target parsers
 * (src/net_target.c): a --hosts list held in memory, and its first two
 * lines as a target argument and a --connect address, as the command
 * line hands them over; with the argument classifiers of
 * src/net_target.c and src/source.c.  Pure parsing: nothing connects.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "net_target.h"
#include "source.h"

static void
bad(const char *where, const char *reason, void *arg)
{
	(void)where;
	(void)reason;
	(void)arg;
}

/* One command-line target: spec, with connect and sni when not NULL. */
static void
one(const char *spec, const char *connect, const char *sni)
{
	struct net_target	 t;
	enum net_starttls	 proto;
	char			 err[256];

	if (net_target_parse(spec, sni, connect, STARTTLS_AUTO, &t, err,
	    sizeof(err)) == 0) {
		(void)net_starttls_name(t.starttls);
		net_target_free(&t);
	}
	if (net_starttls_parse(spec, &proto) == 0)
		(void)net_starttls_name(proto);
	(void)net_host_is_ip(spec);
	(void)source_is_cert_name(spec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_targets	 list;
	char			*text, *nl, *second = NULL;

	memset(&list, 0, sizeof(list));
	(void)net_targets_parse_list((const char *)data, size, "fuzz", NULL,
	    STARTTLS_AUTO, &list, bad, NULL);
	net_targets_free(&list);
	(void)net_targets_parse_list((const char *)data, size, "fuzz",
	    "sni.example.test", STARTTLS_SMTP, &list, bad, NULL);
	net_targets_free(&list);

	/* As arguments: a C string stops at the first NUL. */
	if ((text = malloc(size + 1)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if ((nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';
		second = nl + 1;
		if ((nl = strchr(second, '\n')) != NULL)
			*nl = '\0';
	}
	one(text, NULL, NULL);
	if (second != NULL) {
		one(text, second, NULL);
		one(text, NULL, second);
	}
	free(text);
	return 0;
}
