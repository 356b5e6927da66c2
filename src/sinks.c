/*
 * sinks.c: report destinations and the run's counters; see sinks.h.
 */
#include <config.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sinks.h"
#include "util.h"

/* Diagnostics name the input first, then the reason (stderr only). */
static void
diag(const char *source, const char *reason)
{
	fprintf(stderr, "chainaudit: %s: %s\n", source, reason);
}

/*
 * 1 when standard output and standard error are one file (2>&1 into a
 * pipe, a terminal, a log file): what is written to one shows between
 * the other's lines.
 */
static int
streams_shared(void)
{
	struct stat so, se;

	return fstat(STDOUT_FILENO, &so) == 0 &&
	    fstat(STDERR_FILENO, &se) == 0 && so.st_dev == se.st_dev &&
	    so.st_ino == se.st_ino;
}

/* The file path of destination i of o (NULL: standard output). */
static const char *
dest_path(const struct sinks_opts *o, size_t i)
{
	const char *colon;

	if (i == 0)
		return o->output != NULL && strcmp(o->output, "-") != 0 ?
		    o->output : NULL;
	colon = strchr(o->reports[i - 1], ':');
	return colon != NULL && strcmp(colon + 1, "-") != 0 ? colon + 1 : NULL;
}

/*
 * Refuse every destination that is the same file as an input (by device
 * and inode, so another name or a link for it is caught too): a report
 * renamed over a chain file or the database would destroy what the run
 * reads.  0, or -1 after a diagnostic for each.
 */
static int
check_inputs(const struct sinks_opts *o)
{
	struct stat ds, is;
	const char *d;
	size_t i, k;
	int bad = 0;

	for (i = 0; i <= o->nreports; i++) {
		if ((d = dest_path(o, i)) == NULL || stat(d, &ds) < 0)
			continue;
		for (k = 0; k < o->ninputs; k++)
			if (strcmp(o->inputs[k], "-") != 0 &&
			    stat(o->inputs[k], &is) == 0 &&
			    is.st_dev == ds.st_dev && is.st_ino == ds.st_ino) {
				fprintf(stderr, "chainaudit: %s: refusing to "
				    "write the report over an input (%s)\n",
				    d, o->inputs[k]);
				bad = 1;
				break;
			}
	}
	return bad ? -1 : 0;
}

/*
 * Open every destination; see sinks.h.
 */
int
sinks_open(struct sinks *s, const struct sinks_opts *o)
{
	const struct report_writer *w;
	struct report_out *out;
	const char *colon;
	char err[ERRBUF_LEN], fmt[32];
	size_t i;
	int bad = 0;

	if (check_inputs(o) < 0)
		return -1;
	if ((s->outs = calloc(o->nreports + 1, sizeof(*s->outs))) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return -1;
	}
	for (i = 0; i <= o->nreports; i++) {
		if (i == 0) {
			w = report_find(o->format);
			colon = o->output;
		} else {
			/* cli_parse checked "FMT:PATH" and the format. */
			colon = strchr(o->reports[i - 1], ':');
			snprintf(fmt, sizeof(fmt), "%.*s",
			    (int)(colon - o->reports[i - 1]),
			    o->reports[i - 1]);
			w = report_find(fmt);
			colon++;
		}
		if ((out = report_out_open(w, colon, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "chainaudit: %s: cannot create the "
			    "report: %s\n", colon != NULL ? colon : "(stdout)",
			    err);
			bad = 1;
			continue;
		}
		s->outs[s->nouts++] = out;
		if (report_out_file(out) == stdout && streams_shared())
			s->stdout_shared = 1;
	}
	if (bad) {
		sinks_close(s, 0);
		return -1;
	}
	progress_init(&s->progress, o->progress ? stderr : NULL, o->unit,
	    progress_clock());
	return 0;
}

/* Begin every report, once: at the first target or a committing close. */
static void
sinks_begin(struct sinks *s)
{
	size_t i;

	if (s->begun)
		return;
	s->begun = 1;
	for (i = 0; i < s->nouts; i++)
		(void)report_out_begin(s->outs[i], &s->opts);
}

/*
 * Report and count one audit; see sinks.h.
 */
int
sinks_view(const struct audit *a, void *arg)
{
	struct sinks *s = arg;
	size_t i;
	int fails, tell = a->error != NULL || a->bad_input;

	/*
	 * Standard output is locked for the whole target (engine.h's
	 * diagnostics from other threads wait for it) and holds whole lines
	 * when unlocked; a diagnostic flushes it first, and the progress
	 * line steps aside for whatever is written to its terminal.
	 */
	flockfile(stdout);
	if (tell || s->stdout_shared) {
		fflush(stdout);
		progress_hide(&s->progress);
	}
	if (a->error != NULL) {
		diag(a->source, a->error);
		s->trouble = 1;
	} else if (a->bad_input) {
		for (i = 0; i < a->nfindings; i++)
			if (a->findings[i].id == FIND_UNPARSEABLE)
				diag(a->source, a->findings[i].message);
		s->trouble = 1;
	}
	fails = audit_fails(a, s->opts.fail_on, s->opts.fail_never);
	if (fails)
		s->failed = 1;
	sinks_begin(s);
	/* A failed destination stays failed; its error is told at the end. */
	for (i = 0; i < s->nouts; i++)
		(void)report_out_target(s->outs[i], a, s->summary.targets,
		    &s->opts);
	if (s->stdout_shared)
		fflush(stdout);
	funlockfile(stdout);
	report_summary_add(&s->summary, a, fails);
	progress_show(&s->progress, progress_clock());
	return 0;
}

int
sinks_take(struct audit *a, void *arg)
{
	int r = sinks_view(a, arg);

	audit_free(a);
	return r;
}

void
sinks_error(struct sinks *s, const char *source, const char *reason)
{
	struct audit *a;

	if ((a = audit_error(source, "%s", reason)) == NULL) {
		diag(source, reason);
		s->trouble = 1;
		return;
	}
	a->bad_input = 1;
	sinks_take(a, s);
}

void
sinks_step(struct sinks *s)
{
	progress_step(&s->progress, 1, s->summary.by_severity[SEV_INFO] +
	    s->summary.by_severity[SEV_WARNING] +
	    s->summary.by_severity[SEV_ERROR] - s->progress.findings,
	    progress_clock());
}

/*
 * End and close every destination; see sinks.h.
 */
int
sinks_close(struct sinks *s, int commit)
{
	char err[ERRBUF_LEN], name[ERRBUF_LEN];
	size_t i;
	int bad = 0;

	progress_finish(&s->progress);
	if (commit)
		sinks_begin(s);
	for (i = 0; i < s->nouts; i++) {
		if (commit)
			(void)report_out_end(s->outs[i], &s->summary,
			    &s->opts);
		snprintf(name, sizeof(name), "%s",
		    report_out_name(s->outs[i]));
		if (report_out_close(s->outs[i], commit, err,
		    sizeof(err)) < 0 && commit) {
			fprintf(stderr, "chainaudit: %s: cannot write the "
			    "report: %s\n", name, err);
			bad = 1;
		}
	}
	s->nouts = 0;
	free(s->outs);
	s->outs = NULL;
	return bad ? -1 : 0;
}
