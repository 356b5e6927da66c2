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
#include "profile.h"
#include "report.h"
#include "store_pg.h"
#include "truststores.h"
#include "util.h"

/* Chrome's SHA-1 sunset: certificates expiring in 2016 or later. */
#define DEFAULT_SHA1_SUNSET	1451606400	/* 2016-01-01T00:00:00Z */
#define DEFAULT_WARN_DAYS	30
#define MAX_JOBS		1024	/* --jobs: worker threads */
#define MAX_LEASE		86400	/* --lease: seconds */
#define MAX_BATCH_ROWS		1000000	/* --batch-rows */
#define MAX_CONCURRENCY		10000	/* handshakes in flight */

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
	OPT_NO_KNOWN_INTERMEDIATES,
	OPT_LIST_DISTRUST,
	OPT_DB,
	OPT_DB_QUERY,
	OPT_RESULTS,
	OPT_CHANGED_ONLY,
	OPT_RESUME,
	OPT_SUMMARY,
	OPT_DIFF,
	OPT_LIVE,
	OPT_JOIN,
	OPT_LEASE,
	OPT_BATCH_ROWS,
	OPT_SNI,
	OPT_CONNECT,
	OPT_HOSTS,
	OPT_STARTTLS,
	OPT_ALL_KEYS,
	OPT_TIMEOUT,
	OPT_RATE,
	OPT_REPORT,
	OPT_FETCH_AIA,
	OPT_AIA_CACHE,
	OPT_TRUST_STORE,
	OPT_LIST_TRUST_STORES,
	OPT_PROFILE,
	OPT_STRICT_ANCHORS,
	OPT_MAX_DEPTH,
	OPT_CRL,
	OPT_OCSP,
	OPT_NOTIFY,
	OPT_SCAN,
	OPT_DIFF_ALL,
	OPT_LIST_FINDINGS,
};

static const struct option long_options[] = {
	{ "format",		required_argument, NULL, 'f' },
	{ "output",		required_argument, NULL, 'o' },
	{ "report",		required_argument, NULL, OPT_REPORT },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "at",			required_argument, NULL, OPT_AT },
	{ "host",		required_argument, NULL, 'H' },
	{ "ca-file",		required_argument, NULL, OPT_CA_FILE },
	{ "no-system-ca",	no_argument,	   NULL, OPT_NO_SYSTEM_CA },
	{ "trust-store",	required_argument, NULL, OPT_TRUST_STORE },
	{ "list-trust-stores",	no_argument,	   NULL, OPT_LIST_TRUST_STORES },
	{ "profile",		required_argument, NULL, OPT_PROFILE },
	{ "strict-anchors",	no_argument,	   NULL, OPT_STRICT_ANCHORS },
	{ "max-depth",		required_argument, NULL, OPT_MAX_DEPTH },
	{ "intermediates",	required_argument, NULL, OPT_INTERMEDIATES },
	{ "bundle",		no_argument,	   NULL, OPT_BUNDLE },
	{ "fetch-aia",		no_argument,	   NULL, OPT_FETCH_AIA },
	{ "aia-cache",		required_argument, NULL, OPT_AIA_CACHE },
	{ "crl",		required_argument, NULL, OPT_CRL },
	{ "ocsp",		no_argument,	   NULL, OPT_OCSP },
	{ "warn-days",		required_argument, NULL, OPT_WARN_DAYS },
	{ "fail-on",		required_argument, NULL, OPT_FAIL_ON },
	{ "sha1-sunset",	required_argument, NULL, OPT_SHA1_SUNSET },
	{ "color",		required_argument, NULL, OPT_COLOR },
	{ "explain",		required_argument, NULL, OPT_EXPLAIN },
	{ "distrust",		required_argument, NULL, OPT_DISTRUST },
	{ "distrust-policy",	required_argument, NULL, OPT_DISTRUST_POLICY },
	{ "no-builtin-distrust", no_argument,	   NULL,
	    OPT_NO_BUILTIN_DISTRUST },
	{ "no-known-intermediates", no_argument,   NULL,
	    OPT_NO_KNOWN_INTERMEDIATES },
	{ "list-distrust",	no_argument,	   NULL, OPT_LIST_DISTRUST },
	{ "sni",		required_argument, NULL, OPT_SNI },
	{ "connect",		required_argument, NULL, OPT_CONNECT },
	{ "hosts",		required_argument, NULL, OPT_HOSTS },
	{ "starttls",		required_argument, NULL, OPT_STARTTLS },
	{ "all-keys",		no_argument,	   NULL, OPT_ALL_KEYS },
	{ "concurrency",	required_argument, NULL, 'c' },
	{ "timeout",		required_argument, NULL, OPT_TIMEOUT },
	{ "rate",		required_argument, NULL, OPT_RATE },
	{ "db",			required_argument, NULL, OPT_DB },
	{ "db-query",		required_argument, NULL, OPT_DB_QUERY },
	{ "results",		required_argument, NULL, OPT_RESULTS },
	{ "jobs",		required_argument, NULL, 'j' },
	{ "changed-only",	no_argument,	   NULL, OPT_CHANGED_ONLY },
	{ "resume",		no_argument,	   NULL, OPT_RESUME },
	{ "summary",		no_argument,	   NULL, OPT_SUMMARY },
	{ "diff",		no_argument,	   NULL, OPT_DIFF },
	{ "live",		no_argument,	   NULL, OPT_LIVE },
	{ "join",		no_argument,	   NULL, OPT_JOIN },
	{ "lease",		required_argument, NULL, OPT_LEASE },
	{ "batch-rows",		required_argument, NULL, OPT_BATCH_ROWS },
	{ "notify",		no_argument,	   NULL, OPT_NOTIFY },
	{ "scan",		required_argument, NULL, OPT_SCAN },
	{ "all",		no_argument,	   NULL, OPT_DIFF_ALL },
	{ "list-findings",	no_argument,	   NULL, OPT_LIST_FINDINGS },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL,			0,		   NULL, 0 },
};

/* The i-th option of the table; see cli.h. */
const char *
cli_option(size_t i, int *letter)
{
	if (i >= sizeof(long_options) / sizeof(long_options[0]) - 1)
		return NULL;
	*letter = long_options[i].val < 256 ? long_options[i].val : 0;
	return long_options[i].name;
}

/*
 * The options that shape a database scan's results, which a --join
 * takes from the scan row (cli_scan_args): every other option concerns
 * only the process that gives it (threads, leases, reports, timeouts).
 */
static const char *const result_options[] = {
	"at", "ca-file", "no-system-ca", "trust-store", "intermediates",
	"no-known-intermediates", "fetch-aia", "aia-cache", "warn-days",
	"fail-on", "sha1-sunset", "distrust", "distrust-policy",
	"no-builtin-distrust", "db-query", "changed-only", "live", "connect",
	"starttls", "profile", "strict-anchors", "max-depth", "crl", "ocsp",
};

/*
 * Print list, "a, b, c", indented by indent and wrapped after a comma
 * so that no line is wider than width (a terminal's 80 columns).
 */
static void
usage_list(FILE *fp, const char *list, int indent, int width)
{
	const char	*p = list, *comma;
	int		 col = 0, len;

	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma != NULL ? (int)(comma - p) + 1 : (int)strlen(p);
		if (col > 0 && col + 1 + len > width) {
			fputc('\n', fp);
			col = 0;
		}
		if (col == 0)
			col = fprintf(fp, "%*s%.*s", indent, "", len, p);
		else
			col += fprintf(fp, " %.*s", len, p);
		p += len;
		p += strspn(p, " ");
	}
	fputc('\n', fp);
}

/*
 * Print the usage synopsis (kept in step with man/chainaudit.1).
 */
void
cli_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: chainaudit [options] FILE|DIR|-|HOST[:PORT]|URL ...\n"
	    "       chainaudit [options] --hosts FILE|- [...]\n"
	    "       chainaudit [options] --db FILE [--db-query SQL] [--results FILE]\n"
	    "                  [--live]\n"
	    "       chainaudit --list-distrust [options]\n"
	    "       chainaudit --list-trust-stores [--at TIME] [--format FMT]\n"
	    "\n"
	    "Audit TLS certificate chains: path building over every\n"
	    "signature, strongest chosen; expiry, trust, SHA-1, keys, names.\n"
	    "\n"
	    "  -f, --format FMT         report format (default text):\n");
	usage_list(fp, report_names(), 27, 80);
	fprintf(fp,
	    "  -o, --output FILE        write the report to FILE (atomically)\n"
	    "      --report FMT:FILE    also write a FMT report to FILE (repeatable)\n"
	    "  -q, --quiet              text: only the summary line (and errors)\n"
	    "      --at TIME            evaluate at TIME (ISO 8601 UTC; default now)\n"
	    "  -H, --host NAME          check the leaf against host NAME\n"
	    "      --ca-file FILE       trust the certificates in FILE (repeatable)\n"
	    "      --no-system-ca       do not trust the system store\n"
	    "      --trust-store NAME   trust NAME's store as it was at --at: mozilla,\n"
	    "                           chrome, apple, microsoft, android, java, system\n"
	    "                           or all; the first decides, every one is\n"
	    "                           reported (repeatable; default: system, or\n"
	    "                           mozilla when --at is over 30 days ago)\n"
	    "      --list-trust-stores  print the stores and their dates, audit nothing\n"
	    "      --intermediates FILE untrusted CA certificates for paths (repeatable)\n"
	    "      --no-known-intermediates  do not build paths through the shipped\n"
	    "                           corpus of known CA certificates\n"
	    "      --bundle             audit every certificate of each input alone\n"
	    "      --fetch-aia          fetch a missing issuer from the caIssuers URL\n"
	    "                           of the certificate that needs it (http only,\n"
	    "                           --timeout per fetch)\n"
	    "      --aia-cache DIR      cache of fetched issuers (default with\n"
	    "                           --fetch-aia: $XDG_CACHE_HOME/chainaudit/aia);\n"
	    "                           without --fetch-aia, use only what it holds\n"
	    "      --crl FILE           check the path against the CRLs in FILE (DER\n"
	    "                           or PEM; repeatable)\n"
	    "      --ocsp               ask the leaf's OCSP responder (http only,\n"
	    "                           --timeout per request)\n"
	    "      --warn-days N        expiring-soon window in days (default %d)\n"
	    "      --profile NAME       certificate rules: webpki (RFC 5280, CA/B\n"
	    "                           Forum, browsers; default) or rfc5280\n"
	    "      --strict-anchors     judge trust anchors' form by the profile too\n"
	    "      --max-depth N        at most N intermediate CAs on the path\n"
	    "      --fail-on LEVEL      exit 1 at error|warning|info|never (default error)\n"
	    "      --sha1-sunset DATE   SHA-1 cut-off, or 'never' (default 2016-01-01)\n"
	    "      --distrust-policy V  whose distrust decisions apply: chrome, mozilla,\n"
	    "                           apple, microsoft or all (default all)\n"
	    "      --distrust FILE      add distrust entries from FILE (repeatable)\n"
	    "      --no-builtin-distrust  do not use the shipped distrust policy\n"
	    "      --list-distrust      print the distrust policy (text or json), audit\n"
	    "                           nothing\n"
	    "      --color WHEN         auto|always|never (NO_COLOR is honoured)\n"
	    "      --explain CODE       describe a finding code and exit\n"
	    "      --list-findings      list every finding code, its severity and\n"
	    "                           title, and exit\n"
	    "Live targets (HOST, HOST:PORT, [IPv6]:PORT, https://HOST[:PORT]/...):\n"
	    "      --hosts FILE         audit the targets listed in FILE, - for stdin\n"
	    "      --sni NAME           server name to send (default: the host name)\n"
	    "      --connect ADDR       connect to ADDR[:PORT], keep the host name\n"
	    "      --starttls PROTO     smtp|imap|pop3|ftp|xmpp|ldap|postgres|none\n"
	    "                           (default: from the port, 25 is smtp...)\n"
	    "      --all-keys           one handshake per key type (ECDSA, RSA)\n"
	    "  -c, --concurrency N      handshakes in flight (default %d)\n"
	    "      --timeout SEC        per lookup, connect and handshake, and per\n"
	    "                           caIssuers fetch and OCSP request (default %d)\n"
	    "      --rate N             at most N connections a second per address\n"
	    "Database scans (SQLite or PostgreSQL; see DATABASE in chainaudit(1)):\n"
	    "      --db FILE|URI        audit the rows of table chainaudit_domains\n"
	    "                           (URI: postgresql://...)\n"
	    "      --db-query SQL       read SELECT domain, pem[, contact[, connect]] ...\n"
	    "      --results FILE       write results there (default: the --db file)\n"
	    "      --live               audit the chain each domain serves (handshake),\n"
	    "                           compared with the stored one\n"
	    "  -j, --jobs N             worker threads (default: one per core)\n"
	    "      --changed-only       audit only rows changed since the last scan\n"
	    "      --resume             continue the last unfinished scan\n"
	    "      --summary            print the last scan's counts, audit nothing\n"
	    "      --diff               print what changed since the scan before\n"
	    "      --join               PostgreSQL: work on the newest unfinished scan\n"
	    "                           with the processes already on it, with its\n"
	    "                           options (chainaudit_scans.arguments)\n"
	    "      --lease SEC          PostgreSQL: a claimed batch is another's after\n"
	    "                           SEC seconds without renewal (default 60)\n"
	    "      --batch-rows N       PostgreSQL: rows claimed at a time (default 1000)\n"
	    "      --notify             whom to tell what to do, from the last complete\n"
	    "                           scan: csv (default), json or text; audit nothing\n"
	    "      --scan ID            --notify, --summary, --diff: scan ID instead\n"
	    "      --all                --diff: every row and finding, unchanged too\n"
	    "  -v, --verbose            show every candidate signature\n"
	    "  -h, --help               this help\n"
	    "  -V, --version            print the version\n"
	    "\n"
	    "Exit status: 0 clean, 1 a finding at or above --fail-on,\n"
	    "2 an input could not be read or parsed, a report could not be\n"
	    "written, or a usage error.\n"
	    "130, 143 a --db scan stopped by SIGINT or SIGTERM; its committed\n"
	    "results are kept and --resume continues it.\n",
	    DEFAULT_WARN_DAYS, NET_DEFAULT_CONCURRENCY,
	    NET_DEFAULT_TIMEOUT_MS / 1000);
}

static int
push(const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (array_reserve(v, cap, *n + 1, sizeof(**v)) < 0)
		return -1;
	(*v)[(*n)++] = s;
	return 0;
}

/*
 * Check a --report argument, "FORMAT:PATH" with a known format and a
 * path ("-" for standard output).  Reports the problem; 0 or -1.
 */
static int
report_spec_check(const char *spec)
{
	const char	*colon = strchr(spec, ':');
	char		 fmt[32];

	if (colon == NULL || colon == spec || colon[1] == '\0') {
		fprintf(stderr, "chainaudit: --report: '%s' is not FORMAT:FILE "
		    "(e.g. sarif:chainaudit.sarif)\n", spec);
		return -1;
	}
	snprintf(fmt, sizeof(fmt), "%.*s", (int)(colon - spec), spec);
	if ((size_t)(colon - spec) >= sizeof(fmt) ||
	    report_find(fmt) == NULL) {
		fprintf(stderr, "chainaudit: --report: '%.*s' is not one of: "
		    "%s\n", (int)(colon - spec), spec, report_names());
		return -1;
	}
	return 0;
}

/* Seconds, decimals allowed, 0.1 to 3600, as milliseconds. */
static int
parse_seconds_ms(const char *s, unsigned *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= 0.1) ||
	    v > 3600)
		return -1;
	*out = (unsigned)(v * 1000 + 0.5);
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
 * The database options go with --db and not with other inputs; each
 * problem is reported.  0 or -1.
 */
static int
check_db_options(struct config *cfg)
{
	int bad = 0;

	if (cfg->db == NULL) {
		if (cfg->db_query != NULL || cfg->results != NULL ||
		    cfg->changed_only || cfg->resume || cfg->summary ||
		    cfg->diff || cfg->live) {
			fprintf(stderr, "chainaudit: --db-query, --results, "
			    "--changed-only, --resume, --summary, --diff and "
			    "--live need --db FILE\n");
			bad = 1;
		}
		if (cfg->join || cfg->lease > 0 || cfg->batch_rows > 0) {
			fprintf(stderr, "chainaudit: --join, --lease and "
			    "--batch-rows need --db postgresql://...\n");
			bad = 1;
		}
		return bad ? -1 : 0;
	}
	if (cfg->ninputs > 0) {
		fprintf(stderr, "chainaudit: --db reads its chains from the "
		    "database: give no FILE, DIR or host operands\n");
		bad = 1;
	}
	if (cfg->nhosts_files > 0) {
		fprintf(stderr, "chainaudit: --hosts: --db reads its targets "
		    "from the database: give no --hosts FILE\n");
		bad = 1;
	}
	if (cfg->host != NULL) {
		fprintf(stderr, "chainaudit: --host: with --db each row's "
		    "domain is the host name checked\n");
		bad = 1;
	}
	if (cfg->bundle) {
		fprintf(stderr, "chainaudit: --bundle does not apply to --db "
		    "rows, which are chains\n");
		bad = 1;
	}
	if (cfg->resume && cfg->changed_only) {
		fprintf(stderr, "chainaudit: --resume continues a scan as it "
		    "was started (with or without --changed-only): give only "
		    "--resume\n");
		bad = 1;
	}
	if ((cfg->summary || cfg->diff) && (cfg->resume ||
	    cfg->changed_only || cfg->live)) {
		fprintf(stderr, "chainaudit: --summary and --diff read past "
		    "scans and audit nothing: leave out --resume, "
		    "--changed-only and --live\n");
		bad = 1;
	}
	if ((cfg->join || cfg->lease > 0 || cfg->batch_rows > 0) &&
	    !store_pg_is_uri(cfg->db)) {
		fprintf(stderr, "chainaudit: --join, --lease and --batch-rows "
		    "share a scan between processes through PostgreSQL: "
		    "--db postgresql://...\n");
		bad = 1;
	}
	if (cfg->join && (cfg->resume || cfg->summary || cfg->diff ||
	    cfg->batch_rows > 0)) {
		fprintf(stderr, "chainaudit: --join works on a scan as it was "
		    "started (its batches, its options): leave out "
		    "--batch-rows, --resume, --summary and --diff\n");
		bad = 1;
	}
	if (cfg->live && cfg->changed_only) {
		fprintf(stderr, "chainaudit: --changed-only compares stored "
		    "chains; with --live what a server sends is only known "
		    "by handshaking it: give only --live\n");
		bad = 1;
	}
	if (cfg->live && (cfg->sni != NULL || cfg->all_keys)) {
		fprintf(stderr, "chainaudit: --live: each row's domain is the "
		    "target and the server name: leave out --sni and "
		    "--all-keys\n");
		bad = 1;
	}
	if (!cfg->live && cfg->connect != NULL) {
		fprintf(stderr, "chainaudit: --connect: a --db scan connects "
		    "nowhere without --live\n");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * --list-distrust and --list-trust-stores print on standard output and
 * audit nothing: inputs and report files would be silently ignored, so
 * they are errors.  Each problem is reported.  0 or -1.
 */
static int
check_list_options(const struct config *cfg)
{
	const char *opt;
	int bad = 0;

	if (!cfg->list_distrust && !cfg->list_trust_stores)
		return 0;
	opt = cfg->list_distrust ? "--list-distrust" : "--list-trust-stores";
	if (cfg->list_distrust && cfg->list_trust_stores) {
		fprintf(stderr, "chainaudit: --list-distrust and "
		    "--list-trust-stores: give one of them\n");
		bad = 1;
	}
	if (cfg->list_distrust &&
	    !distrust_list_format_is_known(cfg->format)) {
		fprintf(stderr, "chainaudit: --list-distrust: --format '%s': "
		    "the policy is listed as text or json\n", cfg->format);
		bad = 1;
	}
	if (cfg->list_trust_stores &&
	    !tstore_list_format_is_known(cfg->format)) {
		fprintf(stderr, "chainaudit: --list-trust-stores: --format "
		    "'%s': the stores are listed as text or json\n",
		    cfg->format);
		bad = 1;
	}
	if (cfg->ninputs > 0 || cfg->nhosts_files > 0 || cfg->db != NULL) {
		fprintf(stderr, "chainaudit: %s audits nothing: give no FILE, "
		    "DIR or host operands, --hosts or --db\n", opt);
		bad = 1;
	}
	if (cfg->output != NULL || cfg->nreports > 0) {
		fprintf(stderr, "chainaudit: %s writes to standard output: "
		    "leave out --output and --report\n", opt);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * --no-system-ca leaves the system store out of "all"; naming it as
 * well is a contradiction.  Reports it; 0 or -1.
 */
static int
check_trust_options(const struct config *cfg)
{
	size_t i;

	if (!cfg->no_system_ca)
		return 0;
	for (i = 0; i < cfg->ntrust_stores; i++)
		if (strcmp(cfg->trust_stores[i], TSTORE_SYSTEM) == 0) {
			fprintf(stderr, "chainaudit: --trust-store system and "
			    "--no-system-ca contradict each other\n");
			return -1;
		}
	return 0;
}

static int
is_result_option(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(result_options) / sizeof(result_options[0]);
	    i++)
		if (strcmp(name, result_options[i]) == 0)
			return 1;
	return 0;
}

/*
 * Note the option ch (long_options[idx] when idx >= 0) as given, under
 * its long name.  0 or -1 on ENOMEM.
 */
static int
record(struct config *cfg, int ch, int idx, const char *value)
{
	struct cli_arg *a;
	size_t i;

	for (i = 0; idx < 0 && long_options[i].name != NULL; i++)
		if (long_options[i].val == ch)
			idx = (int)i;
	if (idx < 0)
		return 0;
	if (array_reserve(&cfg->given, &cfg->given_cap, cfg->ngiven + 1,
	    sizeof(*cfg->given)) < 0)
		return -1;
	a = &cfg->given[cfg->ngiven++];
	a->name = long_options[idx].name;
	a->value = long_options[idx].has_arg == no_argument ? NULL : value;
	a->result = is_result_option(a->name);
	return 0;
}

/*
 * The long option that arg ("--fromat", "--fromat=json") is a typo of,
 * or NULL: borrowed from the table.
 */
static const char *
suggest_option(const char *arg)
{
	char word[64];
	size_t i;

	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(arg + 2, "="),
	    arg + 2);
	for (i = 0; long_options[i].name != NULL; i++)
		if (is_near_miss(word, long_options[i].name))
			return long_options[i].name;
	return NULL;
}

/* A scan id: decimal, from 1.  0 or -1. */
static int
parse_scan_id(const char *s, long long *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1)
		return -1;
	*out = v;
	return 0;
}

/*
 * --summary and --diff write text, json or csv, json and csv for one of
 * them at a time; --all lists a --diff.  Each problem is reported.
 * 0 or -1.
 */
static int
check_history_options(const struct config *cfg)
{
	int bad = 0;

	if (cfg->diff_all && !cfg->diff) {
		fprintf(stderr, "chainaudit: --all lists every row of a --diff: "
		    "give --diff too\n");
		bad = 1;
	}
	if (!cfg->summary && !cfg->diff)
		return bad ? -1 : 0;
	if (cfg->output != NULL || cfg->nreports > 0) {
		fprintf(stderr, "chainaudit: --summary and --diff write to "
		    "standard output: leave out -o and --report (redirect "
		    "instead)\n");
		bad = 1;
	}
	if (strcmp(cfg->format, "text") != 0 &&
	    strcmp(cfg->format, "json") != 0 &&
	    strcmp(cfg->format, "csv") != 0) {
		fprintf(stderr, "chainaudit: --summary, --diff: --format '%s': "
		    "they are written as text, json or csv\n", cfg->format);
		bad = 1;
	} else if (cfg->summary && cfg->diff &&
	    strcmp(cfg->format, "text") != 0) {
		fprintf(stderr, "chainaudit: --format %s: give --summary or "
		    "--diff, one at a time\n", cfg->format);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * --notify reads a finished scan and audits nothing: what would audit
 * or write another report is an error, and so is a format it does not
 * write.  Each problem is reported.  0 or -1.
 */
static int
check_notify_options(const struct config *cfg)
{
	int bad = 0;

	if (!cfg->notify) {
		if (cfg->scan_id != 0 && !cfg->summary && !cfg->diff) {
			fprintf(stderr, "chainaudit: --scan ID chooses the scan "
			    "--notify, --summary or --diff reads: give one of "
			    "them too\n");
			return -1;
		}
		return check_history_options(cfg);
	}
	if (cfg->db == NULL) {
		fprintf(stderr, "chainaudit: --notify reads the results of a "
		    "database scan: give --db FILE|URI\n");
		bad = 1;
	}
	if (strcmp(cfg->format, "csv") != 0 &&
	    strcmp(cfg->format, "json") != 0 &&
	    strcmp(cfg->format, "text") != 0) {
		fprintf(stderr, "chainaudit: --notify: --format '%s': notices "
		    "are written as csv, json or text\n", cfg->format);
		bad = 1;
	}
	if (cfg->resume || cfg->changed_only || cfg->live || cfg->join ||
	    cfg->summary || cfg->diff || cfg->db_query != NULL ||
	    cfg->nreports > 0) {
		fprintf(stderr, "chainaudit: --notify reads a finished scan "
		    "and audits nothing: leave out --resume, --changed-only, "
		    "--live, --join, --summary, --diff, --db-query and "
		    "--report\n");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * Parse argv into cfg; see cli.h.
 */
int
cli_parse(int argc, char **argv, struct config *cfg)
{
	int ch, idx, bad = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->format = "text";
	cfg->warn_days = DEFAULT_WARN_DAYS;
	cfg->profile = PROFILE_WEBPKI;
	cfg->fail_on = SEV_ERROR;
	cfg->sha1_sunset = DEFAULT_SHA1_SUNSET;
	cfg->distrust_vendors = VENDOR_ALL;
	cfg->concurrency = NET_DEFAULT_CONCURRENCY;
	cfg->timeout_ms = NET_DEFAULT_TIMEOUT_MS;

	opterr = 0;
#ifdef __GLIBC__
	optind = 0;	/* glibc: start over (cli_adopt parses twice) */
#else
	optind = 1;
#endif
	while ((idx = -1, ch = getopt_long(argc, argv, ":j:c:f:o:H:qvhV",
	    long_options, &idx)) != -1) {
		if (ch != ':' && ch != '?' && record(cfg, ch, idx, optarg) < 0)
			bad = 1;
		switch (ch) {
		case 'f':
			cfg->format = optarg;
			cfg->format_set = 1;
			break;
		case 'o':
			cfg->output = optarg;
			break;
		case OPT_REPORT:
			if (report_spec_check(optarg) < 0)
				bad = 1;
			else if (push(&cfg->reports, &cfg->nreports,
			    &cfg->rep_cap, optarg) < 0)
				bad = 1;
			break;
		case 'q':
			cfg->quiet = 1;
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
		case OPT_TRUST_STORE:
			if (!tstore_name_is_valid(optarg)) {
				fprintf(stderr, "chainaudit: --trust-store: "
				    "'%s' is not mozilla, chrome, apple, "
				    "microsoft, android, java, system or "
				    "all\n", optarg);
				bad = 1;
			} else if (push(&cfg->trust_stores,
			    &cfg->ntrust_stores, &cfg->ts_cap, optarg) < 0)
				bad = 1;
			break;
		case OPT_LIST_TRUST_STORES:
			cfg->list_trust_stores = 1;
			break;
		case OPT_INTERMEDIATES:
			if (push(&cfg->intermediates, &cfg->nintermediates,
			    &cfg->int_cap, optarg) < 0)
				bad = 1;
			break;
		case OPT_BUNDLE:
			cfg->bundle = 1;
			break;
		case OPT_FETCH_AIA:
			cfg->fetch_aia = 1;
			break;
		case OPT_CRL:
			if (push(&cfg->crl_files, &cfg->ncrl_files,
			    &cfg->crl_cap, optarg) < 0)
				bad = 1;
			break;
		case OPT_OCSP:
			cfg->ocsp = 1;
			break;
		case OPT_AIA_CACHE:
			if (*optarg == '\0') {
				fprintf(stderr, "chainaudit: --aia-cache: give a "
				    "directory\n");
				bad = 1;
			}
			cfg->aia_cache = optarg;
			break;
		case OPT_PROFILE:
			if (profile_parse(optarg, &cfg->profile) < 0) {
				fprintf(stderr, "chainaudit: --profile: '%s' is "
				    "not webpki or rfc5280\n", optarg);
				bad = 1;
			}
			break;
		case OPT_STRICT_ANCHORS:
			cfg->strict_anchors = 1;
			break;
		case OPT_MAX_DEPTH:
			if (parse_unsigned(optarg, &cfg->max_depth) < 0) {
				fprintf(stderr, "chainaudit: --max-depth: '%s' "
				    "is not a number of certificates\n",
				    optarg);
				bad = 1;
			} else
				cfg->max_depth_set = 1;
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
		case OPT_LIST_FINDINGS:
			cfg->list_findings = 1;
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
		case OPT_NO_KNOWN_INTERMEDIATES:
			cfg->no_known_intermediates = 1;
			break;
		case OPT_NO_BUILTIN_DISTRUST:
			cfg->no_builtin_distrust = 1;
			break;
		case OPT_LIST_DISTRUST:
			cfg->list_distrust = 1;
			break;
		case OPT_SNI:
			if (*optarg == '\0') {
				fprintf(stderr, "chainaudit: --sni: give a "
				    "server name\n");
				bad = 1;
			}
			cfg->sni = optarg;
			break;
		case OPT_CONNECT:
			cfg->connect = optarg;
			break;
		case OPT_HOSTS:
			if (push(&cfg->hosts_files, &cfg->nhosts_files,
			    &cfg->hosts_cap, optarg) < 0)
				bad = 1;
			break;
		case OPT_STARTTLS:
			if (net_starttls_parse(optarg, &cfg->starttls) < 0) {
				fprintf(stderr, "chainaudit: --starttls: '%s' is "
				    "not smtp, imap, pop3, ftp, xmpp, ldap, "
				    "postgres or none\n", optarg);
				bad = 1;
			}
			break;
		case OPT_ALL_KEYS:
			cfg->all_keys = 1;
			break;
		case 'c':
			if (parse_unsigned(optarg, &cfg->concurrency) < 0 ||
			    cfg->concurrency == 0 ||
			    cfg->concurrency > MAX_CONCURRENCY) {
				fprintf(stderr, "chainaudit: --concurrency: '%s' "
				    "is not a number from 1 to %d\n", optarg,
				    MAX_CONCURRENCY);
				bad = 1;
			}
			break;
		case OPT_TIMEOUT:
			if (parse_seconds_ms(optarg, &cfg->timeout_ms) < 0) {
				fprintf(stderr, "chainaudit: --timeout: '%s' is "
				    "not a number of seconds (0.1 to 3600)\n",
				    optarg);
				bad = 1;
			}
			break;
		case OPT_RATE:
			if (parse_unsigned(optarg, &cfg->rate) < 0 ||
			    cfg->rate > 1000) {
				fprintf(stderr, "chainaudit: --rate: '%s' is not "
				    "a number of connections a second (0 to "
				    "1000)\n", optarg);
				bad = 1;
			}
			break;
		case OPT_DB:
			cfg->db = optarg;
			break;
		case OPT_DB_QUERY:
			cfg->db_query = optarg;
			break;
		case OPT_RESULTS:
			cfg->results = optarg;
			break;
		case 'j':
			if (parse_unsigned(optarg, &cfg->jobs) < 0 ||
			    cfg->jobs == 0 || cfg->jobs > MAX_JOBS) {
				fprintf(stderr, "chainaudit: --jobs: '%s' is not "
				    "a number of threads from 1 to %d\n", optarg,
				    MAX_JOBS);
				bad = 1;
			}
			break;
		case OPT_CHANGED_ONLY:
			cfg->changed_only = 1;
			break;
		case OPT_RESUME:
			cfg->resume = 1;
			break;
		case OPT_SUMMARY:
			cfg->summary = 1;
			break;
		case OPT_DIFF:
			cfg->diff = 1;
			break;
		case OPT_LIVE:
			cfg->live = 1;
			break;
		case OPT_JOIN:
			cfg->join = 1;
			break;
		case OPT_LEASE:
			if (parse_unsigned(optarg, &cfg->lease) < 0 ||
			    cfg->lease == 0 || cfg->lease > MAX_LEASE) {
				fprintf(stderr, "chainaudit: --lease: '%s' is not "
				    "a number of seconds from 1 to %d\n", optarg,
				    MAX_LEASE);
				bad = 1;
			}
			break;
		case OPT_BATCH_ROWS:
			if (parse_unsigned(optarg, &cfg->batch_rows) < 0 ||
			    cfg->batch_rows == 0 ||
			    cfg->batch_rows > MAX_BATCH_ROWS) {
				fprintf(stderr, "chainaudit: --batch-rows: '%s' is "
				    "not a number of rows from 1 to %d\n", optarg,
				    MAX_BATCH_ROWS);
				bad = 1;
			}
			break;
		case OPT_NOTIFY:
			cfg->notify = 1;
			break;
		case OPT_SCAN:
			if (parse_scan_id(optarg, &cfg->scan_id) < 0) {
				fprintf(stderr, "chainaudit: --scan: '%s' is not "
				    "a scan id (a number from 1)\n", optarg);
				bad = 1;
			}
			break;
		case OPT_DIFF_ALL:
			cfg->diff_all = 1;
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
			fprintf(stderr, "chainaudit: unknown option '%s'%s%s%s\n",
			    argv[optind - 1],
			    suggest_option(argv[optind - 1]) != NULL ?
			    "; did you mean --" : "",
			    suggest_option(argv[optind - 1]) != NULL ?
			    suggest_option(argv[optind - 1]) : "",
			    suggest_option(argv[optind - 1]) != NULL ? "?" : "");
			bad = 1;
			break;
		}
	}
	/* Notices are a table first: CSV unless asked otherwise. */
	if (cfg->notify && !cfg->format_set)
		cfg->format = "csv";
	if (report_find(cfg->format) == NULL) {
		fprintf(stderr, "chainaudit: --format: '%s' is not one of: "
		    "%s%s%s%s\n", cfg->format, report_names(),
		    report_suggest(cfg->format) != NULL ? "; did you mean " :
		    "", report_suggest(cfg->format) != NULL ?
		    report_suggest(cfg->format) : "",
		    report_suggest(cfg->format) != NULL ? "?" : "");
		bad = 1;
	}
	cfg->inputs = argv + optind;
	cfg->ninputs = (size_t)(argc - optind);
	if (check_db_options(cfg) < 0)
		bad = 1;
	if (check_list_options(cfg) < 0)
		bad = 1;
	if (check_trust_options(cfg) < 0)
		bad = 1;
	if (check_notify_options(cfg) < 0)
		bad = 1;
	if (!bad && cfg->ninputs == 0 && cfg->db == NULL && cfg->nhosts_files == 0 &&
	    !cfg->help && !cfg->version &&
	    cfg->explain == NULL && !cfg->list_distrust &&
	    !cfg->list_findings &&
	    !cfg->list_trust_stores) {
		fprintf(stderr, "chainaudit: no input (give files, "
		    "directories, - for standard input, hosts or "
		    "--hosts FILE)\n");
		bad = 1;
	}
	return bad ? -1 : 0;
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->ca_files);
	free(cfg->trust_stores);
	cfg->trust_stores = NULL;
	free(cfg->intermediates);
	free(cfg->distrust_files);
	free(cfg->crl_files);
	cfg->crl_files = NULL;
	free(cfg->hosts_files);
	cfg->hosts_files = NULL;
	free(cfg->reports);
	cfg->reports = NULL;
	free(cfg->given);
	cfg->given = NULL;
	for (i = 0; i < cfg->nadopted; i++)
		free(cfg->adopted[i]);
	free(cfg->adopted);
	cfg->adopted = NULL;
	cfg->ca_files = NULL;
	cfg->intermediates = NULL;
	cfg->distrust_files = NULL;
}

/* ---- --join: the scan's options ------------------------------------------- */

/*
 * "--name[=value]" of a, with backslash and newline escaped when escape
 * is set (a line of cli_scan_args); NULL on ENOMEM.
 */
static char *
arg_text(const struct cli_arg *a, int escape)
{
	const char *p;
	char *s, *q;
	size_t n = strlen(a->name) + 4;

	for (p = a->value; p != NULL && *p != '\0'; p++)
		n += escape && (*p == '\\' || *p == '\n') ? 2 : 1;
	if ((s = q = malloc(n)) == NULL)
		return NULL;
	q += sprintf(q, "--%s%s", a->name, a->value != NULL ? "=" : "");
	for (p = a->value; p != NULL && *p != '\0'; p++) {
		if (escape && (*p == '\\' || *p == '\n')) {
			*q++ = '\\';
			*q++ = *p == '\n' ? 'n' : *p;
		} else
			*q++ = *p;
	}
	*q = '\0';
	return s;
}

char *
cli_scan_args(const struct config *cfg)
{
	char *out = NULL, *line;
	size_t i, len = 0, cap = 0, n;

	if (array_reserve(&out, &cap, 1, 1) < 0)
		return NULL;
	out[0] = '\0';
	for (i = 0; i < cfg->ngiven; i++) {
		if (!cfg->given[i].result)
			continue;
		if ((line = arg_text(&cfg->given[i], 1)) == NULL)
			goto fail;
		n = strlen(line);
		if (array_reserve(&out, &cap, len + n + 2, 1) < 0) {
			free(line);
			goto fail;
		}
		memcpy(out + len, line, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
		free(line);
	}
	return out;
fail:
	free(out);
	return NULL;
}

/* 1 when line is one of the lines of args. */
static int
has_line(const char *args, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = args; *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n')
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' ||
		    p[n] == '\0'))
			return 1;
	return 0;
}

/* One escaped line of args, from p to its end, unescaped; or NULL. */
static char *
unescape_line(const char *p, size_t len)
{
	char *s, *q;
	size_t i;

	if ((s = q = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (p[i] == '\\' && i + 1 < len) {
			i++;
			*q++ = p[i] == 'n' ? '\n' : p[i];
		} else
			*q++ = p[i];
	}
	*q = '\0';
	return s;
}

/* Append an owned string to v (NULL: ENOMEM).  0 or -1. */
static int
push_owned(char ***v, size_t *n, size_t *cap, char *s)
{
	if (s == NULL || array_reserve(v, cap, *n + 2, sizeof(**v)) < 0) {
		free(s);
		return -1;
	}
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
	return 0;
}

int
cli_adopt(struct config *cfg, const char *args, const char *what)
{
	struct config next;
	char **v = NULL, *line;
	const char *p;
	size_t i, n = 0, cap = 0, len;
	int bad = 0, oom = 0;

	for (i = 0; i < cfg->ngiven; i++) {
		if (!cfg->given[i].result)
			continue;
		if ((line = arg_text(&cfg->given[i], 1)) == NULL) {
			oom = 1;
			break;
		}
		if (!has_line(args, line)) {
			fprintf(stderr, "chainaudit: %s: --join: the scan was "
			    "started without %s; leave it out (a joiner takes "
			    "the scan's options: chainaudit_scans.arguments)"
			    "\n", what, line);
			bad = 1;
		}
		free(line);
	}
	if (bad)
		return -1;
	/* chainaudit, the scan's options, then this process's own. */
	oom |= push_owned(&v, &n, &cap, strdup("chainaudit")) < 0;
	for (p = args; !oom && *p != '\0'; p += len + (p[len] == '\n')) {
		len = strcspn(p, "\n");
		if (len > 0)
			oom |= push_owned(&v, &n, &cap,
			    unescape_line(p, len)) < 0;
	}
	for (i = 0; !oom && i < cfg->ngiven; i++)
		if (!cfg->given[i].result)
			oom |= push_owned(&v, &n, &cap,
			    arg_text(&cfg->given[i], 0)) < 0;
	if (!oom && cfg->ninputs > 0)
		oom |= push_owned(&v, &n, &cap, strdup("--")) < 0;
	for (i = 0; !oom && i < cfg->ninputs; i++)
		oom |= push_owned(&v, &n, &cap, strdup(cfg->inputs[i])) < 0;
	if (oom) {
		fprintf(stderr, "chainaudit: out of memory\n");
		goto fail;
	}
	if (cli_parse((int)n, v, &next) < 0) {
		fprintf(stderr, "chainaudit: %s: --join: the scan's options "
		    "(chainaudit_scans.arguments) do not parse here\n", what);
		config_free(&next);
		goto fail;
	}
	next.adopted = v;
	next.nadopted = n;
	config_free(cfg);
	*cfg = next;
	return 0;
fail:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return -1;
}
