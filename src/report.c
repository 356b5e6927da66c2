/*
 * report.c: the table of report writers and the run summary.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static const struct report_writer writers[] = {
	{ "text", report_text_begin, report_text_target, report_text_end },
	{ "json", report_json_begin, report_json_target, report_json_end },
};

#define NWRITERS	(sizeof(writers) / sizeof(writers[0]))

/*
 * The writer whose name is name, or NULL when there is none: static.
 */
const struct report_writer *
report_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NWRITERS; i++)
		if (strcmp(writers[i].name, name) == 0)
			return &writers[i];
	return NULL;
}

/*
 * The format names separated by ", " for usage messages: static.  Built
 * from the table so the two cannot drift apart.
 */
const char *
report_names(void)
{
	static char	 names[128];
	size_t		 i, off = 0;
	int		 n;

	names[0] = '\0';
	for (i = 0; i < NWRITERS && off < sizeof(names); i++) {
		n = snprintf(names + off, sizeof(names) - off, "%s%s",
		    i > 0 ? ", " : "", writers[i].name);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return names;
}

/*
 * 1 when a has a finding at or above --fail-on.
 */
int
report_target_fails(const struct audit *a, const struct report_opts *opts)
{
	if (opts->fail_never)
		return 0;
	return a->worst != SEV_NONE && a->worst >= opts->fail_on;
}

/*
 * Count one finished target into s: its findings by catalog severity,
 * whether it is trusted, and whether it failed (decided by the caller
 * against --fail-on).  A target with an operational error counts as an
 * error, not as a failure, so pass + fail + errors == targets.
 */
void
report_summary_add(struct report_summary *s, const struct audit *a,
    int failed)
{
	const struct finding_info	*fi;
	size_t				 i;

	s->targets++;
	if (a->error != NULL)
		s->errors++;
	else if (failed)
		s->failed++;
	if (a->trusted)
		s->trusted++;
	for (i = 0; i < a->nfindings; i++) {
		fi = finding_info(a->findings[i].id);
		if (fi != NULL && fi->severity <= SEV_ERROR)
			s->by_severity[fi->severity]++;
	}
}
