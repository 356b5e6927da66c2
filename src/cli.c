/*
 * cli.c: options -> struct config.  Every error is reported before the
 * parse fails, so one run shows the user everything to fix.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "distrust.h"
#include "report.h"
#include "util.h"

/* Chrome's SHA-1 sunset: certificates expiring in 2016 or later. */
#define DEFAULT_SHA1_SUNSET	1451606400	/* 2016-01-01T00:00:00Z */
#define DEFAULT_WARN_DAYS	30

enum {
	OPT_AT = 256,
	OPT_CA_FILE,
	OPT_NO_SYSTEM_CA,
	OPT_INTERMEDIATES,
	OPT_BUNDLE,
	OPT_WARN_DAYS,
	OPT_FAIL_ON,
	OPT_SHA1_SUNSET,
	OPT_COLOR,
	OPT_EXPLAIN,
	OPT_DISTRUST,
	OPT_DISTRUST_POLICY,
	OPT_NO_BUILTIN_DISTRUST,
};

static const struct option long_options[] = {
	{ "format",		required_argument, NULL, 'f' },
	{ "output",		required_argument, NULL, 'o' },
	{ "at",			required_argument, NULL, OPT_AT },
	{ "host",		required_argument, NULL, 'H' },
	{ "ca-file",		required_argument, NULL, OPT_CA_FILE },
	{ "no-system-ca",	no_argument,	   NULL, OPT_NO_SYSTEM_CA },
	{ "intermediates",	required_argument, NULL, OPT_INTERMEDIATES },
	{ "bundle",		no_argument,	   NULL, OPT_BUNDLE },
	{ "warn-days",		required_argument, NULL, OPT_WARN_DAYS },
	{ "fail-on",		required_argument, NULL, OPT_FAIL_ON },
	{ "sha1-sunset",	required_argument, NULL, OPT_SHA1_SUNSET },
	{ "color",		required_argument, NULL, OPT_COLOR },
	{ "explain",		required_argument, NULL, OPT_EXPLAIN },
	{ "distrust",		required_argument, NULL, OPT_DISTRUST },
	{ "distrust-policy",	required_argument, NULL, OPT_DISTRUST_POLICY },
	{ "no-builtin-distrust", no_argument,	   NULL,
	    OPT_NO_BUILTIN_DISTRUST },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL,			0,		   NULL, 0 },
};

/*
 * Print the usage synopsis (kept in step with man/chainaudit.1).
 */
void
cli_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: chainaudit [options] FILE|DIR|- ...\n"
	    "\n"
	    "Audit TLS certificate chains: path building over every\n"
	    "signature, strongest chosen; expiry, trust, SHA-1, keys, names.\n"
	    "\n"
	    "  -f, --format FMT         report format: %s (default text)\n"
	    "  -o, --output FILE        write the report to FILE (atomically)\n"
	    "      --at TIME            evaluate at TIME (ISO 8601 UTC; default now)\n"
	    "  -H, --host NAME          check the leaf against host NAME\n"
	    "      --ca-file FILE       trust the certificates in FILE (repeatable)\n"
	    "      --no-system-ca       do not trust the system store\n"
	    "      --intermediates FILE untrusted CA certificates for paths (repeatable)\n"
	    "      --bundle             audit every certificate of each input alone\n"
	    "      --warn-days N        expiring-soon window in days (default %d)\n"
	    "      --fail-on LEVEL      exit 1 at error|warning|info|never (default error)\n"
	    "      --sha1-sunset DATE   SHA-1 cut-off, or 'never' (default 2016-01-01)\n"
	    "      --distrust-policy V  whose distrust decisions apply: chrome, mozilla,\n"
	    "                           apple, microsoft or all (default all)\n"
	    "      --distrust FILE      add distrust entries from FILE (repeatable)\n"
	    "      --no-builtin-distrust  do not use the shipped distrust policy\n"
	    "      --color WHEN         auto|always|never (NO_COLOR is honoured)\n"
	    "      --explain CODE       describe a finding code and exit\n"
	    "  -v, --verbose            show every candidate signature\n"
	    "  -h, --help               this help\n"
	    "  -V, --version            print the version\n"
	    "\n"
	    "Exit status: 0 clean, 1 a finding at or above --fail-on,\n"
	    "2 an input could not be read or parsed, or a usage error.\n",
	    report_names(), DEFAULT_WARN_DAYS);
}

static int
push(const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (array_reserve(v, cap, *n + 1, sizeof(**v)) < 0)
		return -1;
	(*v)[(*n)++] = s;
	return 0;
}

static int
parse_unsigned(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 ||
	    v > INT_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/*
 * Parse argv into cfg; see cli.h.
 */
int
cli_parse(int argc, char **argv, struct config *cfg)
{
	int ch, bad = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->format = "text";
	cfg->warn_days = DEFAULT_WARN_DAYS;
	cfg->fail_on = SEV_ERROR;
	cfg->sha1_sunset = DEFAULT_SHA1_SUNSET;
	cfg->distrust_vendors = VENDOR_ALL;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":f:o:H:vhV", long_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			cfg->format = optarg;
			break;
		case 'o':
			cfg->output = optarg;
			break;
		case 'H':
			cfg->host = optarg;
			break;
		case OPT_AT:
			if (time_parse_iso8601(optarg, &cfg->at) < 0) {
				fprintf(stderr, "chainaudit: --at: '%s' is not "
				    "an ISO 8601 UTC time "
				    "(e.g. 2016-03-01T00:00:00Z)\n", optarg);
				bad = 1;
			}
			cfg->at_set = 1;
			break;
		case OPT_CA_FILE:
			if (push(&cfg->ca_files, &cfg->nca_files, &cfg->ca_cap,
			    optarg) < 0)
				bad = 1;
			break;
		case OPT_NO_SYSTEM_CA:
			cfg->no_system_ca = 1;
			break;
		case OPT_INTERMEDIATES:
			if (push(&cfg->intermediates, &cfg->nintermediates,
			    &cfg->int_cap, optarg) < 0)
				bad = 1;
			break;
		case OPT_BUNDLE:
			cfg->bundle = 1;
			break;
		case OPT_WARN_DAYS:
			if (parse_unsigned(optarg, &cfg->warn_days) < 0) {
				fprintf(stderr, "chainaudit: --warn-days: '%s' "
				    "is not a number of days\n", optarg);
				bad = 1;
			}
			break;
		case OPT_FAIL_ON:
			if (severity_parse(optarg, &cfg->fail_on) < 0) {
				fprintf(stderr, "chainaudit: --fail-on: '%s' is "
				    "not error, warning, info or never\n",
				    optarg);
				bad = 1;
			}
			cfg->fail_never = cfg->fail_on == SEV_NONE;
			break;
		case OPT_SHA1_SUNSET:
			if (strcmp(optarg, "never") == 0)
				cfg->sha1_never = 1;
			else if (time_parse_iso8601(optarg,
			    &cfg->sha1_sunset) < 0) {
				fprintf(stderr, "chainaudit: --sha1-sunset: '%s' "
				    "is not a date or 'never'\n", optarg);
				bad = 1;
			} else
				cfg->sha1_never = 0;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				cfg->color = COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				cfg->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				cfg->color = COLOR_NEVER;
			else {
				fprintf(stderr, "chainaudit: --color: '%s' is "
				    "not auto, always or never\n", optarg);
				bad = 1;
			}
			break;
		case OPT_EXPLAIN:
			cfg->explain = optarg;
			break;
		case OPT_DISTRUST:
			if (push(&cfg->distrust_files, &cfg->ndistrust_files,
			    &cfg->dis_cap, optarg) < 0)
				bad = 1;
			break;
		case OPT_DISTRUST_POLICY:
			if (distrust_vendor_parse(optarg,
			    &cfg->distrust_vendors) < 0) {
				fprintf(stderr, "chainaudit: --distrust-policy: "
				    "'%s' is not chrome, mozilla, apple, "
				    "microsoft or all\n", optarg);
				bad = 1;
			}
			break;
		case OPT_NO_BUILTIN_DISTRUST:
			cfg->no_builtin_distrust = 1;
			break;
		case 'v':
			cfg->verbose = 1;
			break;
		case 'h':
			cfg->help = 1;
			break;
		case 'V':
			cfg->version = 1;
			break;
		case ':':
			fprintf(stderr, "chainaudit: %s needs an argument\n",
			    argv[optind - 1]);
			bad = 1;
			break;
		default:
			fprintf(stderr, "chainaudit: unknown option '%s'\n",
			    argv[optind - 1]);
			bad = 1;
			break;
		}
	}
	if (report_find(cfg->format) == NULL) {
		fprintf(stderr, "chainaudit: --format: '%s' is not one of: %s\n",
		    cfg->format, report_names());
		bad = 1;
	}
	cfg->inputs = argv + optind;
	cfg->ninputs = (size_t)(argc - optind);
	if (!bad && cfg->ninputs == 0 && !cfg->help && !cfg->version &&
	    cfg->explain == NULL) {
		fprintf(stderr, "chainaudit: no input (give files, "
		    "directories or - for standard input)\n");
		bad = 1;
	}
	return bad ? -1 : 0;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->ca_files);
	free(cfg->intermediates);
	free(cfg->distrust_files);
	cfg->ca_files = NULL;
	cfg->intermediates = NULL;
	cfg->distrust_files = NULL;
}
