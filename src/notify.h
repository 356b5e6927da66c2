/*
 * notify.h: --notify: from a database scan's results, whom to tell,
 * about which domain, what to do and by when; read, never audited again.
 *
 * One notice per (contact, domain, finding) that needs action: findings
 * of severity warning or error, and rows that could not be audited.
 * The store reads the rows (store_notices); this module shapes them as
 * CSV (RFC 4180, for mail merges and spreadsheets), JSON, or text
 * grouped by contact, ready to paste into an email.
 */
#ifndef CHAINAUDIT_NOTIFY_H
#define CHAINAUDIT_NOTIFY_H

#include <stdio.h>
#include <time.h>

#include "store.h"

enum notify_format {
	NOTIFY_CSV = 0,
	NOTIFY_JSON,
	NOTIFY_TEXT,
};

/* What the notices are about, for their headers: borrowed. */
struct notify_opts {
	enum notify_format format;
	const char	*database;	/* the results database's name */
	const char	*version;	/* chainaudit's */
	enum severity	 fail_on;	/* --fail-on: a notice this severe */
	int		 fail_never;	/* --fail-on never */
};

/* "csv", "json" or "text" to *out: 0, or -1 for any other name. */
int	notify_format_parse(const char *name, enum notify_format *out);

/*
 * Write the notices of scan sc (found by the caller) from st to fp.
 * Returns the number of notices written, and in *failing how many are
 * at or above o->fail_on (0 with fail_never), as the audit's exit
 * status counts findings; or -1 with err (the database's error, or a
 * write error).
 */
long	notify_write(struct store *st, const struct store_scan *sc,
	    const struct notify_opts *o, FILE *fp, long *failing, char *err,
	    size_t errlen);

#endif
