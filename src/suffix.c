/*
 * suffix.c: the Public Suffix List through libpsl; see suffix.h.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "suffix.h"

struct suffix_list {
	psl_ctx_t	*psl;		/* owned */
};

/*
 * The list to judge with; see suffix.h.
 */
struct suffix_list *
suffix_list_open(void)
{
	struct suffix_list *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	/* psl_latest picks the newer of the system file and the built-in. */
	if ((l->psl = psl_latest(NULL)) == NULL) {
		free(l);
		return NULL;
	}
	return l;
}

void
suffix_list_close(struct suffix_list *l)
{
	if (l == NULL)
		return;
	psl_free(l->psl);
	free(l);
}

/*
 * 1 when domain is a public suffix; see suffix.h.
 */
int
suffix_is_public(const struct suffix_list *l, const char *domain)
{
	const psl_ctx_t *psl;
	char buf[256];
	size_t i;

	psl = l != NULL ? l->psl : psl_builtin();
	if (psl == NULL || strlen(domain) >= sizeof(buf))
		return 0;
	/* libpsl matches lower-case names; DNS names are case-blind. */
	for (i = 0; domain[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)domain[i]);
	buf[i] = '\0';
	return psl_is_public_suffix2(psl, buf,
	    PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}
