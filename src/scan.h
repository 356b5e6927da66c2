/*
 * scan.h: a database of domains through the engine, in parallel.
 *
 * The caller's thread reads rows (store_next_domain) into the worker
 * pool (pool.h, which live targets use too), bounded by its window; its
 * -j workers audit them with the run's shared trust store, distrust
 * policy, signature cache and certificate cache; its consumer, the
 * writer, takes the finished rows strictly in row order, writes them to
 * the results tables in batched transactions and shows every audit to
 * the report view (the worker that made an audit frees it afterwards).
 * Reports and results are therefore the same whatever -j is, and memory
 * is bounded by the window, not the table.
 *
 * With live set (--live) the reader handshakes each row's domain instead
 * (net_run, a batch of rows at a time, so memory stays bounded by the
 * batch and the window): the workers audit the chain served, with the
 * hostname check on, and compare it with the stored one.
 *
 * Everything in struct scan_params is borrowed for the call.
 */
#ifndef CHAINAUDIT_SCAN_H
#define CHAINAUDIT_SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine.h"
#include "net.h"
#include "progress.h"
#include "report.h"
#include "store.h"

struct scan_params {
	const char	*db_name;	/* names sources "db:NAME:DOMAIN" */
	const struct engine *engine;	/* judges every row */
	const struct report_opts *opts;	/* the verdict rule */
	unsigned	 jobs;		/* worker threads, at least 1 */
	size_t		 batch;		/* rows per transaction, 0: default */
	int64_t		 scan_id;	/* the scan written to */
	int64_t		 base_scan;	/* --changed-only: copy from, 0: no */
	int		 resume;	/* skip domains scan_id already has */
	time_t		 policy_change;	/* a distrust entry starts to apply
					   then: no result outlives it; 0 */
	volatile sig_atomic_t *stop;	/* non-zero: stop reading rows */
	audit_view	 report;	/* each audit, writer thread, in order */
	void		*report_arg;
	struct progress	*progress;	/* may be NULL */
	/* --live: handshake every row; NULL: audit the stored chains */
	const struct net_params *live;	/* all_keys must be 0 */
	const char	*connect;	/* for rows without one, or NULL */
	enum net_starttls starttls;
	size_t		 live_batch;	/* rows per net_run, 0: default */
};

struct scan_stats {
	size_t		 rows;		/* rows read */
	size_t		 audited;
	size_t		 carried;	/* copied by --changed-only */
	size_t		 carried_failed; /* of which had the verdict fail */
	size_t		 skipped;	/* already in the scan (--resume) */
	int		 stopped;	/* *stop ended the reading */
};

/*
 * Scan the rows of st, whose reading store_domains_begin started, into
 * scan p->scan_id.  Row problems (NULL or garbage chains; with live, a
 * failed handshake) are audits with an error, reported like any other.
 * Returns 0 when every row read was written, or -1 with the reason in
 * err when the database could not be read or written (or, with live,
 * the handshakes could not run): what was committed stays, and the
 * scan stays resumable.
 */
int	scan_run(struct store *st, const struct scan_params *p,
	    struct scan_stats *stats, char *err, size_t errlen);

/*
 * The instant after which time alone may change a's verdict: the
 * earliest future notBefore, notAfter, or start of the expiring-soon
 * window of its certificates, and policy_change when earlier; a far
 * future instant when nothing will change.
 */
time_t	scan_recheck_after(const struct audit *a, time_t now,
	    unsigned warn_days, time_t policy_change);

#endif
