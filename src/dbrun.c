/*
 * dbrun.c: the --db half of main; see dbrun.h.
 */
#include <config.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"
#include "dbrun.h"
#include "distrust.h"
#include "pool.h"
#include "profile.h"
#include "safetext.h"
#include "scan.h"
#include "store.h"
#include "util.h"

#define EXIT_TROUBLE	2

static volatile sig_atomic_t stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

static void
diag(const char *name, const char *reason)
{
	fprintf(stderr, "chainaudit: %s: %s\n", name, reason);
}

/* The error buffers below hold "FILE: reason" already. */
static void
diag_line(const char *line)
{
	fprintf(stderr, "chainaudit: %s\n", line);
}

static const char *
scan_source(const struct config *cfg)
{
	return cfg->db_query != NULL ? cfg->db_query : STORE_DEFAULT_TABLE;
}

/* ---- policy version ------------------------------------------------------- */

struct text {
	char	*s;		/* owned */
	size_t	 len, cap;
	int	 oom;
};

static void
text_add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	char *line;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0 || array_reserve(&t->s, &t->cap, t->len + (size_t)n + 1,
	    1) < 0) {
		if (n >= 0)
			free(line);
		t->oom = 1;
		return;
	}
	memcpy(t->s + t->len, line, (size_t)n + 1);
	t->len += (size_t)n;
	free(line);
}

static void
hash_hex(const void *buf, size_t len, char out[SHA256_HEX_LEN])
{
	unsigned char h[SHA256_LEN];

	sha256(buf, len, h);
	hex_encode(h, SHA256_LEN, out);
}

/* "label file sha256" for a file, or -1 (reported) when unreadable. */
static int
text_file(struct text *t, const char *label, const char *path)
{
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN], hex[SHA256_HEX_LEN];
	size_t len;

	if (file_read_all(path, &buf, &len, err, sizeof(err)) < 0) {
		diag(path, err);
		return -1;
	}
	hash_hex(buf, len, hex);
	free(buf);
	text_add(t, "%s %s sha256:%s\n", label, path, hex);
	return 0;
}

/*
 * The options and data that decide verdicts, one per line (the scan's
 * options column), and their SHA-256 (its policy_version).  The
 * evaluation time is not part of it: --changed-only handles time with
 * each result's recheck_after.  0, or -1 after a diagnostic.
 */
static int
policy_text(const struct config *cfg, const struct judge_params *params,
    char **options, char version[SHA256_HEX_LEN])
{
	struct text t;
	char buf[32], hex[SHA256_HEX_LEN];
	size_t i;
	int bad = 0;

	memset(&t, 0, sizeof(t));
	text_add(&t, "chainaudit %s, schema %d\n", PACKAGE_VERSION,
	    STORE_SCHEMA_VERSION);
	if (cfg->sha1_never)
		text_add(&t, "--sha1-sunset never\n");
	else {
		time_format_iso8601(cfg->sha1_sunset, buf, sizeof(buf));
		text_add(&t, "--sha1-sunset %s\n", buf);
	}
	text_add(&t, "--warn-days %u\n", cfg->warn_days);
	/* The profile's rules decide verdicts: a new rule set rejudges. */
	text_add(&t, "--profile %s\n", profile_name(cfg->profile));
	if (cfg->strict_anchors)
		text_add(&t, "--strict-anchors\n");
	if (cfg->max_depth_set)
		text_add(&t, "--max-depth %u\n", cfg->max_depth);
	/*
	 * Fetched issuers can complete a path; what a URL serves is not
	 * hashed, only whether the scan could ask.
	 */
	if (cfg->fetch_aia)
		text_add(&t, "--fetch-aia\n");
	else if (cfg->aia_cache != NULL)
		text_add(&t, "--aia-cache\n");
	/* A live scan audits other chains than a stored one: no mixing. */
	if (cfg->live)
		text_add(&t, "--live\n");
	text_add(&t, "--fail-on %s\n", cfg->fail_never ? "never" :
	    severity_name(cfg->fail_on));
	text_add(&t, "--distrust-policy mask:%u\n", cfg->distrust_vendors);
	if (cfg->no_builtin_distrust)
		text_add(&t, "--no-builtin-distrust\n");
	else {
		hash_hex(builtin_distrust_tsv, builtin_distrust_tsv_len, hex);
		text_add(&t, "built-in distrust sha256:%s\n", hex);
	}
	for (i = 0; i < cfg->ndistrust_files; i++)
		bad |= text_file(&t, "--distrust", cfg->distrust_files[i]);
	/*
	 * Named stores: each one's version at the scan's instant, so that a
	 * scan at another instant (another version), or on other data, is
	 * another policy.  The history names every certificate by hash.
	 */
	if (params->nstores > 0) {
		hash_hex(builtin_trust_history, builtin_trust_history_len, hex);
		text_add(&t, "built-in trust stores sha256:%s\n", hex);
	} else if (cfg->no_system_ca)
		text_add(&t, "--no-system-ca\n");
	else
		bad |= text_file(&t, "system-ca", SYSTEM_CA_FILE);
	for (i = 0; i < params->nstores; i++) {
		text_add(&t, "--trust-store %s as of %s\n",
		    params->stores[i].name, params->stores[i].as_of != NULL ?
		    params->stores[i].as_of : "today");
		if (params->stores[i].as_of == NULL)
			bad |= text_file(&t, "system-ca", SYSTEM_CA_FILE);
	}
	for (i = 0; i < cfg->nca_files; i++)
		bad |= text_file(&t, "--ca-file", cfg->ca_files[i]);
	for (i = 0; i < cfg->nintermediates; i++)
		bad |= text_file(&t, "--intermediates", cfg->intermediates[i]);
	if (cfg->no_known_intermediates)
		text_add(&t, "--no-known-intermediates\n");
	else {
		/* Hashed at build time: reading the image would page in all
		 * of it, where a lookup touches a few pages. */
		text_add(&t, "known-CA corpus sha256:%s\n",
		    known_cas_image_sha256);
	}
	if (t.oom || bad) {
		if (t.oom)
			diag_line("out of memory");
		free(t.s);
		return -1;
	}
	hash_hex(t.s, t.len, version);
	*options = t.s;
	return 0;
}

/* ---- --resume --------------------------------------------------------------- */

/* The length of the line at p, without its newline. */
static size_t
line_len(const char *p)
{
	return strcspn(p, "\n");
}

/*
 * Say why scan sc's policy is not this run's (options, its policy
 * text): the first line of the two texts that differs, which names the
 * option or the data file (a CA file whose contents differ here).
 */
static void
policy_mismatch(struct store *st, const struct store_scan *sc,
    const char *opt, const char *options)
{
	const char *a = sc->options != NULL ? sc->options : "", *b = options;
	size_t la, lb;

	while (*a != '\0' || *b != '\0') {
		la = line_len(a);
		lb = line_len(b);
		if (la != lb || strncmp(a, b, la) != 0)
			break;
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	fprintf(stderr, "chainaudit: %s: %s: scan %lld was started with other "
	    "options or policy data (it has \"%.*s\", this process \"%.*s\"); "
	    "%s\n", store_results_name(st), opt, (long long)sc->id,
	    (int)line_len(a), a, (int)line_len(b), b, strcmp(opt, "--join") ==
	    0 ? "give this process the same files, or start a new scan" :
	    "run it again with its options (chainaudit_scans.options), or "
	    "start a new scan without --resume");
}

/*
 * The unfinished scan to continue, checked against this run's policy:
 * with --resume the latest of cfg's source, with --join the latest of
 * any (its query is the scan's, not the command line's).  1 found (in
 * *sc), or -1 after a diagnostic.
 */
static int
find_resumable(struct store *st, const struct config *cfg,
    const char *policy, const char *options, struct store_scan *sc)
{
	const char *opt = cfg->join ? "--join" : "--resume";
	char err[ERRBUF_LEN];
	int r;

	r = store_find_scan(st, cfg->join ? FIND_SCAN_OPEN :
	    FIND_SCAN_UNFINISHED, scan_source(cfg), NULL, 0, sc, err,
	    sizeof(err));
	if (r < 0) {
		diag_line(err);
		return -1;
	}
	if (r == 0) {
		fprintf(stderr, "chainaudit: %s: %s: no unfinished scan%s\n",
		    store_results_name(st), opt, cfg->join ? " to join (start "
		    "one without --join)" : " of this table or query");
		return -1;
	}
	if (policy != NULL && strcmp(sc->policy_version, policy) != 0) {
		policy_mismatch(st, sc, opt, options);
		store_scan_clear(sc);
		return -1;
	}
	return 1;
}

int
dbrun_continue(struct config *cfg, time_t *now)
{
	struct store *st;
	struct store_scan sc;
	char err[ERRBUF_LEN], what[ERRBUF_LEN];
	int ret = -1;

	if (!cfg->resume && !cfg->join)
		return 0;
	memset(&sc, 0, sizeof(sc));
	if ((st = store_open(cfg->db, cfg->results, 0, err,
	    sizeof(err))) == NULL) {
		diag_line(err);
		return -1;
	}
	if (find_resumable(st, cfg, NULL, NULL, &sc) < 0)
		goto out;
	/* Scans before schema 4 recorded no arguments: give them again. */
	if (cfg->join && sc.arguments != NULL) {
		snprintf(what, sizeof(what), "%s: scan %lld",
		    store_results_name(st), (long long)sc.id);
		if (cli_adopt(cfg, sc.arguments, what) < 0)
			goto out;
	}
	if (cfg->at_set && cfg->at != sc.evaluated_at) {
		fprintf(stderr, "chainaudit: %s: %s: scan %lld evaluates "
		    "at another instant than --at; leave --at out\n",
		    store_results_name(st), cfg->join ? "--join" : "--resume",
		    (long long)sc.id);
		goto out;
	}
	*now = sc.evaluated_at;
	ret = 0;
out:
	store_scan_clear(&sc);
	store_free(st);
	return ret;
}

/* ---- the scan ----------------------------------------------------------------- */

int
dbrun_scan(const struct config *cfg, const struct engine *e,
    const struct report_opts *opts, audit_view view, void *arg,
    struct progress *progress, struct report_summary *summary)
{
	const struct judge_params *params = &e->params;
	struct store *st = NULL;
	struct store_scan sc, base;
	struct store_scan_info info;
	struct scan_params sp;
	struct scan_stats stats;
	struct net_params np;
	struct sigaction sa, old_int, old_term;
	char err[ERRBUF_LEN], policy[SHA256_HEX_LEN], *options = NULL;
	char *arguments = NULL;
	int64_t total;
	int ret = EXIT_TROUBLE, r, signals = 0;

	memset(&sc, 0, sizeof(sc));
	memset(&base, 0, sizeof(base));
	memset(&sp, 0, sizeof(sp));
	memset(&stats, 0, sizeof(stats));
	if (policy_text(cfg, params, &options, policy) < 0)
		goto out;
	if ((st = store_open(cfg->db, cfg->results, 0, err,
	    sizeof(err))) == NULL) {
		diag_line(err);
		goto out;
	}
	/*
	 * A bad --db-query is refused before any scan is recorded.  A
	 * shared scan's rows were copied when it began: joining or resuming
	 * one reads them, not the query.
	 */
	if ((!store_is_shared(st) || (!cfg->resume && !cfg->join)) &&
	    store_domains_begin(st, cfg->db_query, err, sizeof(err)) < 0) {
		diag_line(err);
		goto out;
	}
	sp.db_name = cfg->db;
	sp.engine = e;
	sp.opts = opts;
	sp.jobs = pool_jobs(cfg->jobs);
	sp.policy_change = distrust_next_change(params->distrust,
	    params->now);
	sp.report = view;
	sp.report_arg = arg;
	sp.stop = &stop_signal;
	if (cfg->live) {
		memset(&np, 0, sizeof(np));
		np.concurrency = cfg->concurrency;
		np.timeout_ms = cfg->timeout_ms;
		np.rate = cfg->rate;
		sp.live = &np;
		sp.connect = cfg->connect;
		sp.starttls = cfg->starttls;
	}

	if (cfg->resume || cfg->join) {
		if (find_resumable(st, cfg, policy, options, &sc) < 0)
			goto out;
		sp.scan_id = sc.id;
		sp.base_scan = sc.base_scan;
		/* A shared store hands out only the unfinished batches. */
		sp.resume = !store_is_shared(st);
	} else {
		if (cfg->changed_only) {
			r = store_find_scan(st, FIND_SCAN_BASE, scan_source(cfg),
			    policy, 0, &base, err, sizeof(err));
			if (r < 0) {
				diag_line(err);
				goto out;
			}
			if (r == 0)
				diag(store_results_name(st), "--changed-only: "
				    "no complete scan with the same options "
				    "yet: auditing every row");
			sp.base_scan = r == 1 ? base.id : 0;
		}
		memset(&info, 0, sizeof(info));
		info.started = time(NULL);
		info.evaluated_at = params->now;
		info.source = scan_source(cfg);
		info.options = options;
		if ((arguments = cli_scan_args(cfg)) == NULL) {
			diag_line("out of memory");
			goto out;
		}
		info.arguments = arguments;
		info.policy_version = policy;
		info.version = PACKAGE_VERSION;
		info.base_scan = sp.base_scan;
		info.batch_rows = cfg->batch_rows;
		if ((sp.scan_id = store_scan_begin(st, &info, err,
		    sizeof(err))) < 0) {
			diag_line(err);
			goto out;
		}
	}
	if (store_scan_attach(st, sp.scan_id, cfg->lease, err,
	    sizeof(err)) < 0) {
		diag_line(err);
		goto out;
	}

	if (progress != NULL && progress->fp != NULL) {
		progress->unit = "domains";
		if ((total = store_count_domains(st, cfg->db_query, err,
		    sizeof(err))) > 0)
			progress_set_total(progress, (size_t)total);
		sp.progress = progress;
	}

	/* The first Ctrl-C stops reading and commits; a second one kills. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESETHAND | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	if (sigaction(SIGINT, &sa, &old_int) == 0 &&
	    sigaction(SIGTERM, &sa, &old_term) == 0)
		signals = 1;

	r = scan_run(st, &sp, &stats, err, sizeof(err));
	summary->carried = stats.carried;
	summary->carried_failed = stats.carried_failed;
	summary->carried_from = (long long)sp.base_scan;

	if (signals) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	if (r < 0)
		diag_line(err);
	if (store_scan_end(st, sp.scan_id, r == 0 && !stats.stopped,
	    time(NULL), err, sizeof(err)) < 0) {
		diag_line(err);
		r = -1;
	}
	if (stats.stopped) {
		fprintf(stderr, "chainaudit: %s: scan %lld interrupted after "
		    "%zu rows; committed results are kept; continue it with "
		    "%s\n", store_results_name(st),
		    (long long)sp.scan_id, stats.rows,
		    store_is_shared(st) ? "--join" : "--resume");
		ret = 128 + stop_signal;
	} else if (r < 0)
		ret = EXIT_TROUBLE;
	else
		ret = stats.carried_failed > 0 ? 1 : 0;
out:
	free(options);
	free(arguments);
	store_scan_clear(&sc);
	store_scan_clear(&base);
	store_free(st);
	return ret;
}
