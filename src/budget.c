/*
 * budget.c: one audit's work budget; see budget.h.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "budget.h"

void
budget_init(struct budget *b, uint64_t ns)
{
	memset(b, 0, sizeof(*b));
	b->left = ns;
}

/*
 * Pay for one step; see budget.h.  A refused step costs nothing, so a
 * cheaper one after it may still run (a costly key must not hide a
 * cheap issuer that verifies).
 */
int
budget_spend(struct budget *b, uint64_t ns, unsigned what)
{
	if (b == NULL)
		return 1;
	if (ns > b->left) {
		b->cut |= what;
		return 0;
	}
	b->left -= ns;
	b->spent += ns;
	return 1;
}

const char *
budget_cut_text(unsigned cut, char *buf, size_t len)
{
	static const struct {
		unsigned	 bit;
		const char	*text;
	} names[] = {
		{ BUDGET_CUT_SIGNATURES,	"signature checks" },
		{ BUDGET_CUT_SIG_COUNT,		"signature checks (count)" },
		{ BUDGET_CUT_NAMES,		"name-constraint checks" },
		{ BUDGET_CUT_CERTS,		"certificates considered" },
		{ BUDGET_CUT_PATHS,		"paths explored" },
	};
	size_t i, n = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++)
		if (cut & names[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n > 0 ? ", " : "", names[i].text);
	if (n == 0)
		snprintf(buf, len, "nothing");
	return buf;
}
