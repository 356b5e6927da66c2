/*
 * cli.h: the command line, parsed once into struct config.
 *
 * Only main reads struct config; everything below it gets the narrow
 * parameters it needs (struct audit_params, struct report_opts).
 */
#ifndef CHAINAUDIT_CLI_H
#define CHAINAUDIT_CLI_H

#include <stdio.h>
#include <time.h>

#include "finding.h"

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
	const char	**distrust_files; /* owned array of borrowed strings */
	size_t		  ndistrust_files, dis_cap;
	int		  no_builtin_distrust;
	unsigned	  distrust_vendors;	/* mask, VENDOR_ALL default */
	int		  bundle;
	const char	 *format;
	const char	 *output;
	time_t		  at;
	int		  at_set;
	const char	 *host;
	unsigned	  warn_days;
	enum severity	  fail_on;
	int		  fail_never;
	time_t		  sha1_sunset;
	int		  sha1_never;
	int		  verbose;
	enum color_mode	  color;
	const char	 *explain;
	int		  help, version;
};

/*
 * Parse argv into cfg.  Every problem is reported on stderr before
 * failing.  Returns 0, or -1 for a usage error.
 */
int	cli_parse(int argc, char **argv, struct config *cfg);
void	cli_usage(FILE *fp);
void	config_free(struct config *cfg);

#endif
