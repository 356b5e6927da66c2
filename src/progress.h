/*
 * progress.h: a one-line progress display on a terminal.
 *
 * For long runs (directories of chains, database scans): inputs done of
 * the total, the rate, an estimate of the time left and the findings so
 * far, redrawn in place with \r at most a few times a second and erased
 * at the end.  It stays on screen while the run goes on: a diagnostic or
 * report line written to the same terminal hides it first and shows it
 * again after (progress_hide, progress_show).  The caller decides whether to show it (stderr is a
 * terminal) and hands in the clock, so the display is testable and the
 * module reads no clock of its own.  Not thread-safe: call it from where
 * the report sink is serialized.
 */
#ifndef CHAINAUDIT_PROGRESS_H
#define CHAINAUDIT_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

struct progress {
	FILE		*fp;		/* borrowed; NULL: disabled */
	const char	*unit;		/* borrowed: "files", "domains" */
	size_t		 done, total;	/* total 0: unknown */
	size_t		 findings;
	double		 start, last;	/* seconds, caller's clock */
	int		 drawn;		/* a line is on the screen */
	int		 hidden;	/* erased by progress_hide */
};

/* Set p up to draw on fp (NULL disables it) counting unit from start. */
void	progress_init(struct progress *p, FILE *fp, const char *unit,
	    double start);
/* The total is known (or grew, as inputs are expanded). */
void	progress_set_total(struct progress *p, size_t total);
/*
 * done more units finished, findings more findings; redraw when at
 * least a fifth of a second passed since the last line (now: seconds).
 */
void	progress_step(struct progress *p, size_t done, size_t findings,
	    double now);
/* Format the line for now into buf (what progress_step draws). */
void	progress_format(const struct progress *p, double now, char *buf,
	    size_t len);
/*
 * Erase the line for a moment, so that a line written to the terminal
 * next starts at its left edge; progress_show draws it again.
 */
void	progress_hide(struct progress *p);
/* Draw the line again at once if progress_hide erased it (now: seconds). */
void	progress_show(struct progress *p, double now);
/* Erase the line for good, leaving the terminal as it was. */
void	progress_finish(struct progress *p);
/* Seconds on a monotonic clock, for callers to hand in. */
double	progress_clock(void);

#endif
