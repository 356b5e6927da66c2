/*
 * cli.h: the command line, parsed once into struct config.
 *
 * Only main reads struct config; everything below it gets the narrow
 * parameters it needs (struct judge_params, struct report_opts).
 */
#ifndef CHAINAUDIT_CLI_H
#define CHAINAUDIT_CLI_H

#include <stdio.h>
#include <time.h>

#include "finding.h"
#include "net.h"
#include "profile.h"

enum color_mode {
	COLOR_AUTO = 0,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

struct config {
	char		**inputs;	/* borrowed from argv */
	size_t		  ninputs;
	const char	**ca_files;	/* owned array of borrowed strings */
	size_t		  nca_files, ca_cap;
	const char	**intermediates; /* owned array of borrowed strings */
	size_t		  nintermediates, int_cap;
	int		  no_system_ca;
	int		  no_known_intermediates;	/* no corpus */
	int		  fetch_aia;	/* --fetch-aia: caIssuers over HTTP */
	const char	 *aia_cache;	/* --aia-cache DIR, NULL: default */
	const char	**crl_files;	/* owned array of borrowed: --crl */
	size_t		  ncrl_files, crl_cap;
	int		  ocsp;		/* --ocsp: ask the leaf's responder */
	/* owned array of borrowed names, as given: --trust-store */
	const char	**trust_stores;
	size_t		  ntrust_stores, ts_cap;
	int		  list_trust_stores;	/* print them, audit nothing */
	const char	**distrust_files; /* owned array of borrowed strings */
	size_t		  ndistrust_files, dis_cap;
	int		  no_builtin_distrust;
	unsigned	  distrust_vendors;	/* mask, VENDOR_ALL default */
	int		  list_distrust;	/* print the policy, audit nothing */
	int		  bundle;
	const char	 *format;
	const char	 *output;
	const char	**reports;	/* owned array of borrowed "FMT:PATH" */
	size_t		  nreports, rep_cap;
	int		  quiet;	/* text: only the summary line */
	time_t		  at;
	int		  at_set;
	const char	 *host;
	/* live targets (net.h) */
	const char	**hosts_files;	/* owned array of borrowed: --hosts */
	size_t		  nhosts_files, hosts_cap;
	const char	 *sni;
	const char	 *connect;
	enum net_starttls starttls;	/* STARTTLS_AUTO: from the port */
	int		  all_keys;
	unsigned	  concurrency;
	unsigned	  timeout_ms;
	unsigned	  rate;		/* connects per second per address */
	unsigned	  warn_days;
	enum profile	  profile;	/* --profile, PROFILE_WEBPKI default */
	int		  strict_anchors;	/* --strict-anchors */
	int		  max_depth_set;	/* --max-depth given */
	unsigned	  max_depth;
	enum severity	  fail_on;
	int		  fail_never;
	time_t		  sha1_sunset;
	int		  sha1_never;
	int		  verbose;
	enum color_mode	  color;
	const char	 *explain;
	/* database scans (dbrun.h) */
	const char	 *db;		/* --db FILE or PostgreSQL URI */
	const char	 *db_query;	/* --db-query SQL, NULL: default table */
	const char	 *results;	/* --results FILE, NULL: the --db file */
	int		  live;		/* --live: handshake each row's domain */
	unsigned	  jobs;		/* -j: worker threads, 0: one per core */
	int		  changed_only, resume, summary, diff;
	int		  diff_all;	/* --all: --diff lists unchanged rows */
	/* PostgreSQL: one scan shared by many processes (store_pg.h) */
	int		  join;		/* --join: the newest unfinished scan */
	unsigned	  lease;	/* --lease SECONDS, 0: the default */
	unsigned	  batch_rows;	/* --batch-rows N, 0: the default */
	int		  help, version;
	int		  format_set;	/* --format was given */
	/* --notify: notices from a scan's results (notify.h) */
	int		  notify;
	long long	  scan_id;	/* --scan ID, 0: the latest complete */
	int		  list_findings;	/* print the catalog, audit nothing */
	/* every option as given, "--name" or "--name=value" (cli_scan_args) */
	struct cli_arg	 *given;	/* owned array */
	size_t		  ngiven, given_cap;
	char		**adopted;	/* owned: the scan's arguments that
					   cli_adopt parsed, and their argv */
	size_t		  nadopted;
};

/* One option as given on the command line. */
struct cli_arg {
	const char	*name;		/* borrowed: the long name */
	const char	*value;		/* borrowed, NULL: none */
	int		 result;	/* it shapes the results (cli_scan_args) */
};

/*
 * Parse argv into cfg.  Every problem is reported on stderr before
 * failing.  Returns 0, or -1 for a usage error.
 */
int	cli_parse(int argc, char **argv, struct config *cfg);
void	cli_usage(FILE *fp);
void	config_free(struct config *cfg);

/*
 * The options of cfg that shape a database scan's results (trust,
 * distrust, policy, the query, --at, --live and where it connects), one
 * per line as "--name" or "--name=value" with backslash and newline
 * escaped: what chainaudit_scans.arguments records so that --join can
 * take them.  Owned by the caller; NULL on ENOMEM.
 */
char	*cli_scan_args(const struct config *cfg);

/*
 * --join: parse again, with the results-shaping options of cfg replaced
 * by args (a cli_scan_args text from the scan row) and the others (-j,
 * --lease, reports, ...) kept as given.  A results-shaping option given
 * on the command line must be one of args, else it is refused, since a
 * joiner cannot judge otherwise than the scan it joins.  Every problem
 * is reported on stderr naming what (scan the id, for messages).  On
 * success cfg is replaced and owns the parsed strings; 0, or -1 with
 * cfg unchanged.
 */
int	cli_adopt(struct config *cfg, const char *args, const char *what);

/*
 * The i-th option getopt_long takes: its long name (static) and its
 * short letter (0: none) in *letter.  NULL past the last.  The manual,
 * --help and the completion files are tested against these.
 */
const char *cli_option(size_t i, int *letter);

#endif
