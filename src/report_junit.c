/*
 * report_junit.c: JUnit XML, for CI systems that show test results.
 *
 * One testsuite "chainaudit" with one testcase per target, named by its
 * source.  A target with a finding at or above --fail-on has a failure
 * listing those findings; a target that could not be audited has an
 * error; every finding, whatever its severity, is in system-out.  The
 * testsuite element carries the counts, which are known only at the end,
 * so testcases are spooled to an unnamed temporary file and copied after
 * the head: memory stays the same however many targets there are.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

struct junit_state {
	FILE		*spool;		/* owned, first: see report_spool_state_new */
	size_t		 tests, failures, errors;
};

/* Per-destination state with its spool; NULL on failure. */
void *
report_junit_state_new(void)
{
	return report_spool_state_new(sizeof(struct junit_state));
}

/* Free the state and its spool; NULL is fine. */
void
report_junit_state_free(void *arg)
{
	report_spool_state_free(arg);
}

/* Nothing is written before the counts are known.  Returns 0. */
int
report_junit_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	(void)fp;
	(void)state;
	(void)opts;
	return 0;
}

/* "severity code: message (reference)" */
static void
junit_finding_line(FILE *sp, const struct finding *f,
    const struct finding_info *fi)
{
	fprintf(sp, "%s %s: ", severity_name(fi->severity), fi->code);
	report_put_xml(sp, f->message != NULL ? f->message : fi->title);
	fputs(" (", sp);
	report_put_xml(sp, fi->reference);
	fputs(")\n", sp);
}

static int
finding_fails(const struct finding_info *fi, const struct report_opts *opts)
{
	return !opts->fail_never && fi->severity >= opts->fail_on;
}

/*
 * Spool a's testcase.  Returns 0, or -1 when writing the spool failed.
 */
int
report_junit_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	struct junit_state		*st = state;
	FILE				*sp = st->spool;
	const struct finding_info	*fi;
	size_t				 i, nfail = 0;
	int				 first = 1;

	(void)fp;
	(void)index;
	st->tests++;
	fputs("    <testcase classname=\"chainaudit\" name=\"", sp);
	report_put_xml(sp, a->source != NULL ? a->source : "(input)");
	fputs("\" time=\"0\">\n", sp);
	if (a->error != NULL) {
		st->errors++;
		fputs("      <error type=\"operational-error\" message=\"", sp);
		report_put_xml(sp, a->error);
		fputs("\"/>\n", sp);
	} else if (audit_fails(a, opts->fail_on, opts->fail_never)) {
		st->failures++;
		for (i = 0; i < a->nfindings; i++)
			if ((fi = finding_info(a->findings[i].id)) != NULL &&
			    finding_fails(fi, opts))
				nfail++;
		fprintf(sp, "      <failure type=\"%s\" message=\"%zu "
		    "finding%s at or above %s: ", severity_name(a->worst),
		    nfail, nfail == 1 ? "" : "s", severity_name(opts->fail_on));
		for (i = 0; i < a->nfindings; i++) {
			fi = finding_info(a->findings[i].id);
			if (fi == NULL || !finding_fails(fi, opts))
				continue;
			fprintf(sp, "%s%s", first ? "" : ", ", fi->code);
			first = 0;
		}
		fputs("\">", sp);
		for (i = 0; i < a->nfindings; i++) {
			fi = finding_info(a->findings[i].id);
			if (fi != NULL && finding_fails(fi, opts))
				junit_finding_line(sp, &a->findings[i], fi);
		}
		fputs("</failure>\n", sp);
	}
	if (a->nfindings > 0) {
		fputs("      <system-out>", sp);
		for (i = 0; i < a->nfindings; i++)
			if ((fi = finding_info(a->findings[i].id)) != NULL)
				junit_finding_line(sp, &a->findings[i], fi);
		fputs("</system-out>\n", sp);
	}
	fputs("    </testcase>\n", sp);
	return ferror(sp) ? -1 : 0;
}

/*
 * The document: head with the counts, the spooled testcases, the tail.
 * Returns 0, or -1 when reading the spool or writing failed.
 */
int
report_junit_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	struct junit_state	*st = state;
	char			 buf[8192], when[32];
	size_t			 n;

	(void)s;
	time_format_iso8601(opts->now, when, sizeof(when));
	/* JUnit timestamps carry no zone: the instant is UTC. */
	if ((n = strlen(when)) > 0 && when[n - 1] == 'Z')
		when[n - 1] = '\0';
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
	fprintf(fp, "<testsuites name=\"chainaudit\" tests=\"%zu\" "
	    "failures=\"%zu\" errors=\"%zu\" time=\"0\">\n", st->tests,
	    st->failures, st->errors);
	fprintf(fp, "  <testsuite name=\"chainaudit\" tests=\"%zu\" "
	    "failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"0\" "
	    "timestamp=\"%s\" hostname=\"localhost\">\n", st->tests,
	    st->failures, st->errors, when);
	fputs("    <properties>\n      <property name=\"version\" value=\"",
	    fp);
	report_put_xml(fp, opts->version);
	fprintf(fp, "\"/>\n      <property name=\"fail-on\" value=\"%s\"/>\n"
	    "    </properties>\n", opts->fail_never ? "never" :
	    severity_name(opts->fail_on));
	if (fflush(st->spool) != 0 || fseek(st->spool, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), st->spool)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			return -1;
	if (ferror(st->spool))
		return -1;
	fputs("  </testsuite>\n</testsuites>\n", fp);
	if (fflush(fp) != 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}
