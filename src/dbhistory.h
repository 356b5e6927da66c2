/*
 * dbhistory.h: --summary and --diff, read from the results tables of
 * past scans (nothing is audited), as text, JSON or CSV.
 *
 * --summary counts one scan's findings by code and its rows by issuing
 * CA.  --diff pairs the rows of a scan with those of the complete scan
 * of the same table or query before it, by the domain row's identity
 * (row_key, schema version 6) or, when a scan lacks it, by domain name
 * and order, and says what changed: rows added, removed or changed
 * (verdict, issuing CA, chain, findings new or resolved); with --all
 * every row and finding.
 *
 * Part of the program, not of libchainaudit: like main it reads struct
 * config.  Diagnostics go to stderr as "chainaudit: NAME: reason".
 */
#ifndef CHAINAUDIT_DBHISTORY_H
#define CHAINAUDIT_DBHISTORY_H

#include "cli.h"

/*
 * --summary and --diff of cfg->db (the scan --scan names, or the
 * latest).  Returns the exit status: 0, or 2 when the database cannot
 * be read, the scan does not exist or --diff has nothing to compare.
 */
int	dbhistory_run(const struct config *cfg);

#endif
