/*
 * sinks.h: where finished audits go: every report destination (the
 * --format report on --output or standard output, each --report
 * FMT:FILE), the run's summary and progress line, and the two facts the
 * exit status is chosen from.  Files are written to a temporary file and
 * renamed into place only when the run commits them.
 *
 * Not thread-safe: audits reach the sinks one at a time (a database scan
 * hands them over on its writer thread).
 */
#ifndef CHAINAUDIT_SINKS_H
#define CHAINAUDIT_SINKS_H

#include <stddef.h>

#include "audit.h"
#include "progress.h"
#include "report.h"

/* Where the reports go: main resolves it from the options. */
struct sinks_opts {
	const char	 *format;	/* the main report's format */
	const char	 *output;	/* its file; NULL or "-": stdout */
	const char *const *reports;	/* borrowed "FMT:PATH", checked */
	size_t		  nreports;
	int		  progress;	/* draw a progress line on stderr */
	const char	 *unit;		/* what the progress line counts */
	/*
	 * Every file the run reads (chains, trust and distrust files, host
	 * lists, the database): no report may be written over one.
	 */
	const char *const *inputs;
	size_t		  ninputs;
};

struct sinks {
	struct report_out	**outs;		/* owned: every destination */
	size_t			 nouts;
	struct progress		 progress;
	struct report_opts	 opts;		/* set by the caller first */
	struct report_summary	 summary;
	/*
	 * Standard output is a destination and the same file as standard
	 * error (one pipe, terminal or file for both): each target is
	 * flushed whole, so a diagnostic never lands inside a line.
	 */
	int			 stdout_shared;
	int			 begun;		/* the reports' heads written */
	int			 trouble;	/* an input error happened */
	int			 failed;	/* a finding at or above fail-on */
};

/*
 * Open every destination of o (s->opts must be set); each report begins
 * with the first target, or at a committing sinks_close, so that a run
 * refused before any target (a --db that cannot be scanned) writes no
 * report at all.  A destination that is one of o's inputs is refused before
 * anything is opened, and every destination that cannot be opened is
 * reported; then the ones opened are removed and -1 returned.  0
 * otherwise.
 */
int	sinks_open(struct sinks *s, const struct sinks_opts *o);

/*
 * Report one finished audit to every destination and count it: an
 * audit_view (arg is the struct sinks).  Operational errors and
 * unparseable input are told on stderr, naming the source.  Returns 0.
 */
int	sinks_view(const struct audit *a, void *arg);

/* The same as an audit_sink: report a, then free it. */
int	sinks_take(struct audit *a, void *arg);

/* Report source as a target that could not be audited, for reason. */
void	sinks_error(struct sinks *s, const char *source, const char *reason);

/*
 * One more input done: the progress line moves on by one, with the
 * findings reported since the last step.
 */
void	sinks_step(struct sinks *s);

/*
 * End every report and close it: renamed into place when commit is set,
 * removed otherwise.  Each failure is reported.  0, or -1 when a report
 * could not be written.  Safe to call twice.
 */
int	sinks_close(struct sinks *s, int commit);

#endif
