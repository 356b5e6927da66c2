/*
 * report.h: report writers, one per format, chosen from a table.
 *
 * Writers see struct audit and plain certificate fields only.  A report
 * streams: begin once, target once per audit as it finishes, end once
 * with the run's summary.
 */
#ifndef CHAINAUDIT_REPORT_H
#define CHAINAUDIT_REPORT_H

#include <stdio.h>
#include <time.h>

#include "audit.h"

struct report_opts {
	int		 color;		/* ANSI colour (text only) */
	int		 verbose;	/* every candidate, not only the chosen */
	time_t		 now;		/* evaluation instant */
	const char	*version;	/* chainaudit version string */
	enum severity	 fail_on;	/* a finding this severe fails */
	int		 fail_never;	/* --fail-on never */
};

struct report_summary {
	size_t		 targets;
	size_t		 errors;	/* targets with an operational error */
	size_t		 by_severity[SEV_ERROR + 1];	/* findings */
	size_t		 failed;	/* targets at or above --fail-on */
	size_t		 trusted;	/* targets with a complete path */
};

struct report_writer {
	const char	*name;
	int		(*begin)(FILE *, const struct report_opts *);
	/* index counts the targets written before this one. */
	int		(*target)(FILE *, const struct audit *, size_t index,
			    const struct report_opts *);
	int		(*end)(FILE *, const struct report_summary *,
			    const struct report_opts *);
};

/* The writer called name, or NULL. */
const struct report_writer *report_find(const char *name);
/* Comma-separated list of format names, for usage messages: static. */
const char	*report_names(void);

/*
 * 1 when a fails the run: a finding at or above opts->fail_on.  The one
 * rule for the exit status and for every format's verdict.
 */
int	report_target_fails(const struct audit *a,
	    const struct report_opts *opts);

/* Count a's findings into s. */
void	report_summary_add(struct report_summary *s, const struct audit *a,
	    int failed);

int	report_text_begin(FILE *, const struct report_opts *);
int	report_text_target(FILE *, const struct audit *, size_t,
	    const struct report_opts *);
int	report_text_end(FILE *, const struct report_summary *,
	    const struct report_opts *);
int	report_json_begin(FILE *, const struct report_opts *);
int	report_json_target(FILE *, const struct audit *, size_t,
	    const struct report_opts *);
int	report_json_end(FILE *, const struct report_summary *,
	    const struct report_opts *);

#endif
