/*
 * dbnotify.h: the --notify half of main: options to notify.h, the scan
 * chosen, the output file, the exit status.
 *
 * Part of the program, not of libchainaudit: like main it reads struct
 * config.  Diagnostics go to stderr as "chainaudit: NAME: reason".
 */
#ifndef CHAINAUDIT_DBNOTIFY_H
#define CHAINAUDIT_DBNOTIFY_H

#include "cli.h"

/*
 * --notify: write the notices of the latest complete scan (or --scan
 * ID) of cfg->db to --output or standard output, auditing nothing.
 * Returns the exit status: 0 when nothing needs action, 1 when notices
 * were written, 2 when the scan cannot be read or the notices written.
 */
int	dbnotify_run(const struct config *cfg);

#endif
