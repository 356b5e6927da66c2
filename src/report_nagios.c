/*
 * report_nagios.c: one Nagios plugin status line for the whole run.
 *
 * "CHAINAUDIT STATE - text|perfdata": the state is CRITICAL when any
 * finding of severity error was found, WARNING when the worst is a
 * warning, UNKNOWN when a target could not be audited and nothing
 * worse was found, OK otherwise (the Nagios plugin guidelines'
 * meanings); the text names the first target at that state; the
 * performance data are the days until the first expiry on any chosen
 * path and the findings by severity.  The exit status is the state's
 * (report_nagios_state), the one exception to chainaudit's own.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "safetext.h"

#define DAY		86400
#define TEXT_LEN	256

static const char *const state_names[] = {
	[NAGIOS_OK] = "OK",
	[NAGIOS_WARNING] = "WARNING",
	[NAGIOS_CRITICAL] = "CRITICAL",
	[NAGIOS_UNKNOWN] = "UNKNOWN",
};

struct nagios_out {
	time_t		 first_expiry;	/* the earliest notAfter seen */
	int		 have_expiry;
	/* the first target at each state, and why: "host: expired" */
	char		 why[NAGIOS_UNKNOWN + 1][TEXT_LEN];
};

void *
report_nagios_state_new(void)
{
	return calloc(1, sizeof(struct nagios_out));
}

void
report_nagios_state_free(void *state)
{
	free(state);
}

/* The state of the run summarised in s; see report.h. */
enum nagios_state
report_nagios_state(const struct report_summary *s)
{
	if (s->by_severity[SEV_ERROR] > 0)
		return NAGIOS_CRITICAL;
	if (s->by_severity[SEV_WARNING] > 0)
		return NAGIOS_WARNING;
	if (s->errors > 0 || s->targets == 0)
		return NAGIOS_UNKNOWN;
	return NAGIOS_OK;
}

/*
 * Copy s into buf for the status line: one line, and no '|', which
 * would start the performance data.
 */
static void
put_plain(char *buf, size_t len, const char *s)
{
	char shown[SAFETEXT_LEN];
	size_t i;

	/* C1 and bidirectional controls too (safetext), not only C0. */
	snprintf(buf, len, "%s", safetext(s, shown, sizeof(shown)));
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == '|' ||
		    buf[i] == 0x7f)
			buf[i] = buf[i] == '|' ? '/' : ' ';
}

int
report_nagios_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	(void)fp;
	(void)state;
	(void)opts;
	return 0;
}

/* Keep what the status line needs from a. */
int
report_nagios_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	struct nagios_out *st = state;
	const struct finding_info *fi;
	enum nagios_state ns = NAGIOS_OK;
	const char *code = NULL;
	char text[TEXT_LEN];
	time_t t;
	size_t i;

	(void)fp;
	(void)index;
	(void)opts;
	if (report_path_not_after(a, &t) &&
	    (!st->have_expiry || t < st->first_expiry)) {
		st->first_expiry = t;
		st->have_expiry = 1;
	}
	if (a->error != NULL) {
		ns = NAGIOS_UNKNOWN;
		code = a->error;
	}
	for (i = 0; i < a->nfindings; i++) {
		fi = finding_info(a->findings[i].id);
		if (fi->severity == SEV_ERROR && ns != NAGIOS_CRITICAL) {
			ns = NAGIOS_CRITICAL;
			code = fi->code;
		} else if (fi->severity == SEV_WARNING && ns == NAGIOS_OK) {
			ns = NAGIOS_WARNING;
			code = fi->code;
		}
	}
	if (ns == NAGIOS_OK || st->why[ns][0] != '\0')
		return 0;
	snprintf(text, sizeof(text), "%s: %s", report_target_name(a), code);
	put_plain(st->why[ns], sizeof(st->why[ns]), text);
	return 0;
}

/* The status line.  Returns 0, or -1 when writing failed. */
int
report_nagios_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	struct nagios_out *st = state;
	enum nagios_state ns = report_nagios_state(s);
	char date[16];
	long long days = 0;

	fprintf(fp, "CHAINAUDIT %s - ", state_names[ns]);
	if (ns != NAGIOS_OK && st->why[ns][0] != '\0')
		fprintf(fp, "%s; ", st->why[ns]);
	else if (s->targets == 0)
		fputs("nothing was audited; ", fp);
	fprintf(fp, "%zu target%s, %zu failing, %zu not audited", s->targets,
	    s->targets == 1 ? "" : "s", s->failed, s->errors);
	if (st->have_expiry) {
		days = (long long)((st->first_expiry - opts->now) / DAY);
		if (st->first_expiry < opts->now &&
		    (st->first_expiry - opts->now) % DAY != 0)
			days--;		/* whole days left: round down */
		report_date(st->first_expiry, date, sizeof(date));
		fprintf(fp, "; first expiry %s", date);
	}
	fputs("|", fp);
	if (st->have_expiry)
		fprintf(fp, "days_left=%lld;;;; ", days);
	fprintf(fp, "errors=%zu;;;0; warnings=%zu;;;0; info=%zu;;;0; "
	    "targets=%zu;;;0;\n", s->by_severity[SEV_ERROR],
	    s->by_severity[SEV_WARNING], s->by_severity[SEV_INFO], s->targets);
	if (fflush(fp) != 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}
