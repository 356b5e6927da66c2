/*
 * main.c: the face of chainaudit: parse the options, build the engine,
 * open the sinks, run every source through them, choose the exit status.
 * The only place that reads struct config as a whole, reads the clock,
 * and chooses an exit status.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "builtin.h"
#include "cli.h"
#include "dbnotify.h"
#include "dbhistory.h"
#include "dbrun.h"
#include "engine.h"
#include "run.h"
#include "sinks.h"

#define EXIT_CLEAN	0
#define EXIT_FINDINGS	1
#define EXIT_TROUBLE	2	/* unreadable input or usage error */

/* The engine's options, borrowed from cfg; now is the evaluation time. */
static void
engine_options(const struct config *cfg, time_t now, time_t real_now,
    struct engine_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->now = now;
	o->real_now = real_now;
	o->at_set = cfg->at_set;
	o->sha1_sunset = cfg->sha1_sunset;
	o->sha1_never = cfg->sha1_never;
	o->warn_days = cfg->warn_days;
	o->profile = cfg->profile;
	o->strict_anchors = cfg->strict_anchors;
	o->max_depth_set = cfg->max_depth_set;
	o->max_depth = cfg->max_depth;
	o->host = cfg->host;
	o->ca_files = cfg->ca_files;
	o->nca_files = cfg->nca_files;
	o->intermediates = cfg->intermediates;
	o->nintermediates = cfg->nintermediates;
	o->distrust_files = cfg->distrust_files;
	o->ndistrust_files = cfg->ndistrust_files;
	o->trust_stores = cfg->trust_stores;
	o->ntrust_stores = cfg->ntrust_stores;
	o->no_system_ca = cfg->no_system_ca;
	o->no_known_intermediates = cfg->no_known_intermediates;
	if (!cfg->no_known_intermediates) {
		o->corpus_image = known_cas_image;
		o->corpus_len = (size_t)(known_cas_image_end - known_cas_image);
	}
	o->no_builtin_distrust = cfg->no_builtin_distrust;
	o->distrust_vendors = cfg->distrust_vendors;
	o->fetch_aia = cfg->fetch_aia;
	o->aia_cache = cfg->aia_cache;
	o->timeout_ms = cfg->timeout_ms;
	o->crl_files = cfg->crl_files;
	o->ncrl_files = cfg->ncrl_files;
	o->ocsp = cfg->ocsp;
}

static int
use_color(const struct config *cfg)
{
	const char *no = getenv("NO_COLOR");

	if (cfg->color == COLOR_ALWAYS)
		return 1;
	if (cfg->color == COLOR_NEVER || (no != NULL && *no != '\0'))
		return 0;
	return cfg->output == NULL && isatty(STDOUT_FILENO);
}

/*
 * The progress line is for a person waiting at a terminal: on when
 * stderr is one and the report itself is not being printed there.
 */
static int
want_progress(const struct config *cfg)
{
	if (!isatty(STDERR_FILENO))
		return 0;
	return cfg->quiet || (cfg->output != NULL &&
	    strcmp(cfg->output, "-") != 0) || !isatty(STDOUT_FILENO);
}

/*
 * Every file the run reads, for the sinks to refuse writing over: the
 * arguments, trust and distrust files, host lists and the database.  An
 * owned array of borrowed names; NULL on ENOMEM.
 */
static const char **
read_files(const struct config *cfg, size_t *n)
{
	const char **v;
	size_t i, k = 0;

	if ((v = calloc(cfg->ninputs + cfg->nca_files + cfg->nintermediates +
	    cfg->ndistrust_files + cfg->nhosts_files + 3, sizeof(*v))) ==
	    NULL)
		return NULL;
	for (i = 0; i < cfg->ninputs; i++)
		v[k++] = cfg->inputs[i];
	for (i = 0; i < cfg->nca_files; i++)
		v[k++] = cfg->ca_files[i];
	for (i = 0; i < cfg->nintermediates; i++)
		v[k++] = cfg->intermediates[i];
	for (i = 0; i < cfg->ndistrust_files; i++)
		v[k++] = cfg->distrust_files[i];
	for (i = 0; i < cfg->nhosts_files; i++)
		v[k++] = cfg->hosts_files[i];
	if (cfg->db != NULL)
		v[k++] = cfg->db;
	if (cfg->results != NULL)
		v[k++] = cfg->results;
	*n = k;
	return v;
}

/* How the reports look and the verdict rule, for the sinks. */
static void
report_options(const struct config *cfg, const struct engine *e,
    struct report_opts *ro)
{
	ro->color = use_color(cfg);
	ro->color_files = cfg->color == COLOR_ALWAYS;
	ro->verbose = cfg->verbose;
	ro->now = e->params.now;
	ro->version = PACKAGE_VERSION;
	ro->fail_on = cfg->fail_on;
	ro->fail_never = cfg->fail_never;
	ro->quiet = cfg->quiet;
	ro->stores = e->named.stores;
	ro->nstores = e->named.n;
	ro->store_default = e->named.default_note;
}

static int
explain(const char *code)
{
	const struct finding_info *fi;
	enum finding_id id;

	if (finding_by_code(code, &id) < 0) {
		fprintf(stderr, "chainaudit: --explain: unknown finding code "
		    "'%s'%s%s%s (--list-findings lists them)\n", code,
		    finding_suggest(code) != NULL ? "; did you mean " : "",
		    finding_suggest(code) != NULL ? finding_suggest(code) : "",
		    finding_suggest(code) != NULL ? "?" : "");
		return EXIT_TROUBLE;
	}
	fi = finding_info(id);
	printf("%s (%s)\n  %s.\n  Reference: %s\n  Fix: %s\n", fi->code,
	    severity_name(fi->severity), fi->title, fi->reference, fi->advice);
	return EXIT_CLEAN;
}

/* --list-findings: the catalog, one code a line. */
static int
list_findings(void)
{
	const struct finding_info *fi;
	size_t i;

	for (i = 0; i < FIND__COUNT; i++) {
		fi = finding_info((enum finding_id)i);
		printf("%-28s %-8s %s\n", fi->code, severity_name(fi->severity),
		    fi->title);
	}
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_TROUBLE;
}

/* Judge every input of cfg with e into s; what a scan adds to the status. */
static int
run_all(const struct config *cfg, const struct engine *e, struct sinks *s)
{
	struct run_hosts_opts ho;

	run_files(e, cfg->inputs, cfg->ninputs, cfg->bundle, s);
	memset(&ho, 0, sizeof(ho));
	ho.args = cfg->inputs;
	ho.nargs = cfg->ninputs;
	ho.lists = cfg->hosts_files;
	ho.nlists = cfg->nhosts_files;
	ho.sni = cfg->sni;
	ho.connect = cfg->connect;
	ho.starttls = cfg->starttls;
	ho.net.concurrency = cfg->concurrency;
	ho.net.timeout_ms = cfg->timeout_ms;
	ho.net.rate = cfg->rate;
	ho.net.all_keys = cfg->all_keys;
	ho.jobs = cfg->jobs;
	run_hosts(e, &ho, s);
	if (cfg->db == NULL)
		return 0;
	return dbrun_scan(cfg, e, &s->opts, sinks_view, s, &s->progress,
	    &s->summary);
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct engine_opts eo;
	struct engine e;
	struct sinks s;
	struct sinks_opts so;
	const char **inputs = NULL;
	time_t real_now, now;
	int status = EXIT_TROUBLE, db_status, engine_up = 0, gnutls_up = 0;
	int nagios = 0, reported = 0;

	memset(&s, 0, sizeof(s));
	if (cli_parse(argc, argv, &cfg) < 0) {
		fprintf(stderr, "Try 'chainaudit --help'.\n");
		nagios = cfg.format != NULL && strcmp(cfg.format, "nagios") == 0;
		goto out;
	}
	nagios = strcmp(cfg.format, "nagios") == 0 && !cfg.notify;
	/* The clock is read here, once; everything below is handed it. */
	real_now = time(NULL);
	now = cfg.at_set ? cfg.at : real_now;
	engine_options(&cfg, now, real_now, &eo);
	if (cfg.help) {
		cli_usage(stdout);
		status = EXIT_CLEAN;
		goto out;
	}
	if (cfg.version) {
		printf("chainaudit %s (GnuTLS %s)\n", PACKAGE_VERSION,
		    gnutls_check_version(NULL));
		status = EXIT_CLEAN;
		goto out;
	}
	if (cfg.explain != NULL) {
		status = explain(cfg.explain);
		goto out;
	}
	if (cfg.list_findings) {
		status = list_findings();
		goto out;
	}
	if (cfg.list_trust_stores) {
		status = engine_list_trust_stores(&eo, cfg.format) < 0 ?
		    EXIT_TROUBLE : EXIT_CLEAN;
		goto out;
	}
	if (cfg.notify) {
		status = dbnotify_run(&cfg);
		goto out;
	}
	if (cfg.db != NULL && (cfg.summary || cfg.diff)) {
		status = dbhistory_run(&cfg);
		goto out;
	}
	if (gnutls_global_init() < 0) {
		fprintf(stderr, "chainaudit: cannot initialise GnuTLS\n");
		goto out;
	}
	gnutls_up = 1;
	if (cfg.list_distrust) {
		status = engine_list_distrust(&eo, cfg.format) < 0 ?
		    EXIT_TROUBLE : EXIT_CLEAN;
		goto out;
	}
	/*
	 * --resume and --join go on at the instant their scan started
	 * with, --join with its options too.
	 */
	if (cfg.db != NULL && dbrun_continue(&cfg, &now) < 0)
		goto out;
	engine_options(&cfg, now, real_now, &eo);
	if (engine_open(&e, &eo) < 0)
		goto out;
	engine_up = 1;

	report_options(&cfg, &e, &s.opts);
	memset(&so, 0, sizeof(so));
	so.format = cfg.format;
	so.output = cfg.output;
	so.reports = cfg.reports;
	so.nreports = cfg.nreports;
	so.progress = want_progress(&cfg);
	so.unit = "files";
	if ((inputs = read_files(&cfg, &so.ninputs)) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		goto out;
	}
	so.inputs = inputs;
	if (sinks_open(&s, &so) < 0)
		goto out;
	db_status = run_all(&cfg, &e, &s);
	/*
	 * A refused --db (no such database, no table, a bad query) audited
	 * nothing: its one-line error is all it says, without an empty
	 * report or a "0 targets" summary (Nagios still gets its line).
	 */
	if (cfg.db != NULL && db_status == EXIT_TROUBLE && !nagios &&
	    s.summary.targets == 0) {
		status = EXIT_TROUBLE;
		goto out;
	}
	if (sinks_close(&s, 1) < 0)
		goto out;
	/* Nagios reads the exit status as the state: the one exception. */
	if (nagios) {
		status = report_nagios_state(&s.summary);
		reported = 1;
		goto out;
	}

	if (s.trouble || e.bad_input)
		status = EXIT_TROUBLE;
	else if (s.failed)
		status = EXIT_FINDINGS;
	else
		status = EXIT_CLEAN;
	/* What a scan adds: copied failures, database trouble, a signal. */
	if (db_status > status)
		status = db_status;
out:
	/* A plugin that could not run says UNKNOWN, not CRITICAL. */
	if (nagios && !reported && status == EXIT_TROUBLE)
		status = NAGIOS_UNKNOWN;
	sinks_close(&s, 0);
	free(inputs);
	if (engine_up)
		engine_close(&e);
	config_free(&cfg);
	if (gnutls_up)
		gnutls_global_deinit();
	return status;
}
