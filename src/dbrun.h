/*
 * dbrun.h: the --db half of main: options to a database scan and what
 * the exit status must add (scan history is dbhistory.h's).
 *
 * Part of the program, not of libchainaudit: like main it reads struct
 * config, and hands store.c and scan.c only the narrow parameters they
 * need.  Diagnostics go to stderr as "chainaudit: NAME: reason".
 */
#ifndef CHAINAUDIT_DBRUN_H
#define CHAINAUDIT_DBRUN_H

#include <time.h>

#include "engine.h"
#include "cli.h"
#include "progress.h"
#include "report.h"

/*
 * With --resume or --join, set *now to the evaluation instant of the
 * scan being continued, so that its rows are all judged at one instant
 * (an --at that differs is refused); with --join, first replace cfg's
 * results-shaping options by the scan's (cli_adopt), so that a joiner
 * judges as the scan's starter did.  0, or -1 after a diagnostic.
 */
int	dbrun_continue(struct config *cfg, time_t *now);

/*
 * Scan cfg->db: every row judged with the engine e, each
 * audit shown to view (which does not keep it) in row order, results written
 * to the results tables.  Returns what the exit status must add beyond
 * the reports: 0; 1 when a row copied by --changed-only failed; 2 when
 * the database could not be read or written; 128 + the signal number
 * when SIGINT or SIGTERM interrupted the scan (it stays resumable).
 * The rows copied by --changed-only, which view never sees, are
 * counted into summary's carried fields for the reports to say.
 */
int	dbrun_scan(const struct config *cfg, const struct engine *e,
	    const struct report_opts *opts, audit_view view, void *arg,
	    struct progress *progress, struct report_summary *summary);

#endif
