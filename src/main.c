/*
 * main.c: run chainaudit: options, trust store, inputs, reports, exit
 * status.  The only place that chooses an exit status.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "audit.h"
#include "builtin.h"
#include "cli.h"
#include "distrust.h"
#include "report.h"
#include "source.h"
#include "trust.h"

#define EXIT_CLEAN	0
#define EXIT_FINDINGS	1
#define EXIT_TROUBLE	2	/* unreadable input or usage error */

struct run {
	const struct report_writer *writer;
	FILE			*out;
	struct report_opts	 opts;
	struct report_summary	 summary;
	const struct config	*cfg;
	int			 trouble;	/* an input error happened */
	int			 failed;	/* a finding at or above fail-on */
	int			 write_error;
};

/* Diagnostics name the input first, then the reason (stderr only). */
static void
diag(const char *source, const char *reason)
{
	fprintf(stderr, "chainaudit: %s: %s\n", source, reason);
}

/* The audit sink: report the target, count it, free it. */
static int
report_audit(struct audit *a, void *arg)
{
	struct run *run = arg;
	size_t i;
	int fails;

	if (a->error != NULL) {
		diag(a->source, a->error);
		run->trouble = 1;
	} else if (a->bad_input) {
		for (i = 0; i < a->nfindings; i++)
			if (a->findings[i].id == FIND_UNPARSEABLE)
				diag(a->source, a->findings[i].message);
		run->trouble = 1;
	}
	fails = report_target_fails(a, &run->opts);
	if (fails)
		run->failed = 1;
	if (run->writer->target(run->out, a, run->summary.targets,
	    &run->opts) < 0)
		run->write_error = 1;
	report_summary_add(&run->summary, a, fails);
	audit_free(a);
	return 0;
}

static void
report_error_target(struct run *run, const char *source, const char *reason)
{
	struct audit *a;

	if ((a = audit_error(source, "%s", reason)) == NULL) {
		diag(source, reason);
		run->trouble = 1;
		return;
	}
	a->bad_input = 1;
	report_audit(a, run);
}

static void
audit_file(struct run *run, const char *path,
    const struct audit_params *params, const struct trust_store *store,
    struct sig_cache *cache)
{
	struct der_list blobs;
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN];
	const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	size_t len;

	memset(&blobs, 0, sizeof(blobs));
	if (file_read_all(path, &buf, &len, err, sizeof(err)) < 0) {
		report_error_target(run, name, err);
		goto out;
	}
	if (pem_decode(buf, len, &blobs) < 0) {
		report_error_target(run, name, "out of memory");
		goto out;
	}
	if (audit_input(name, &blobs, run->cfg->bundle, params, store, cache,
	    report_audit, run) < 0)
		report_error_target(run, name, "out of memory");
out:
	der_list_free(&blobs);
	free(buf);
}

/*
 * Load one user-named trust file.  A file with nothing usable stops the
 * run; unparseable blocks in a usable file are reported and make the exit
 * status 2, as any bad input does.  0, or -1 when the file is unusable.
 */
static int
load_user_file(struct run *run, struct trust_store *store, const char *path,
    enum store_kind kind)
{
	char err[ERRBUF_LEN];
	size_t nbad = 0;

	if (trust_store_add_file(store, path, kind, &nbad, err,
	    sizeof(err)) < 0) {
		diag(path, err);
		return -1;
	}
	if (nbad > 0) {
		snprintf(err, sizeof(err), "%zu certificate%s could not be "
		    "parsed and %s skipped", nbad, nbad == 1 ? "" : "s",
		    nbad == 1 ? "was" : "were");
		diag(path, err);
		run->trouble = 1;
	}
	return 0;
}

/* Load every trust source; all problems are reported.  0 or -1. */
static int
load_store(const struct config *cfg, struct run *run,
    struct trust_store *store)
{
	char err[ERRBUF_LEN];
	size_t i;
	int bad = 0;

	/* The system store is the system's business: skip what it has bad. */
	if (!cfg->no_system_ca && trust_store_add_file(store, SYSTEM_CA_FILE,
	    STORE_ANCHOR, NULL, err, sizeof(err)) < 0) {
		diag(SYSTEM_CA_FILE, err);
		fprintf(stderr, "chainaudit: (use --ca-file, or --no-system-ca "
		    "to audit without the system store)\n");
		bad = 1;
	}
	for (i = 0; i < cfg->nca_files; i++)
		if (load_user_file(run, store, cfg->ca_files[i],
		    STORE_ANCHOR) < 0)
			bad = 1;
	for (i = 0; i < cfg->nintermediates; i++)
		if (load_user_file(run, store, cfg->intermediates[i],
		    STORE_INTERMEDIATE) < 0)
			bad = 1;
	return bad ? -1 : 0;
}

static void
policy_error(const char *line, void *arg)
{
	(void)arg;
	fprintf(stderr, "chainaudit: %s\n", line);
}

/*
 * The distrust policy: the shipped one (compiled in, with its CAs'
 * certificates going to the store as a known-issuer pool, never trusted)
 * unless --no-builtin-distrust, plus the user's files.  Every bad line is
 * reported.  Returns the policy, or NULL when anything was wrong.
 */
static struct distrust_policy *
load_distrust(const struct config *cfg, struct trust_store *store)
{
	struct distrust_policy *p;
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN];
	size_t i, len;
	int bad = 0, r;

	if ((p = distrust_new()) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return NULL;
	}
	distrust_set_vendors(p, cfg->distrust_vendors);
	if (!cfg->no_builtin_distrust &&
	    builtin_load_distrust(p, store, policy_error, NULL) < 0)
		bad = 1;
	for (i = 0; i < cfg->ndistrust_files; i++) {
		if (file_read_all(cfg->distrust_files[i], &buf, &len, err,
		    sizeof(err)) < 0) {
			diag(cfg->distrust_files[i], err);
			bad = 1;
			continue;
		}
		r = distrust_parse(p, (const char *)buf, len,
		    cfg->distrust_files[i], 1, policy_error, NULL);
		free(buf);
		buf = NULL;
		if (r != 0)
			bad = 1;
	}
	if (bad) {
		distrust_free(p);
		return NULL;
	}
	return p;
}

static int
explain(const char *code)
{
	const struct finding_info *fi;
	enum finding_id id;

	if (finding_by_code(code, &id) < 0) {
		fprintf(stderr, "chainaudit: --explain: unknown finding code "
		    "'%s'\n", code);
		return EXIT_TROUBLE;
	}
	fi = finding_info(id);
	printf("%s (%s)\n  %s.\n  Reference: %s\n  Fix: %s\n", fi->code,
	    severity_name(fi->severity), fi->title, fi->reference, fi->advice);
	return EXIT_CLEAN;
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
 * Open the report destination: stdout, or a temporary file beside the
 * output that is renamed over it only when the report is complete.
 */
static FILE *
open_output(const char *output, char **tmp)
{
	FILE *fp;
	int fd;

	*tmp = NULL;
	if (output == NULL)
		return stdout;
	if (asprintf(tmp, "%s.XXXXXX", output) < 0) {
		*tmp = NULL;
		return NULL;
	}
	if ((fd = mkstemp(*tmp)) < 0) {
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return fp;
}

static int
close_output(FILE *fp, const char *output, char *tmp, int ok)
{
	int ret = 0;

	if (fp == stdout)
		return fflush(stdout) == 0 && ok ? 0 : -1;
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
		ok = 0;
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok || rename(tmp, output) != 0) {
		unlink(tmp);
		ret = -1;
	}
	free(tmp);
	return ret;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct trust_store *store = NULL;
	struct distrust_policy *distrust = NULL;
	struct sig_cache *cache = NULL;
	struct audit_params params;
	struct path_list files;
	struct run run;
	char err[ERRBUF_LEN], *tmp = NULL;
	size_t i, j;
	int status = EXIT_TROUBLE;

	memset(&files, 0, sizeof(files));
	memset(&run, 0, sizeof(run));
	if (cli_parse(argc, argv, &cfg) < 0) {
		fprintf(stderr, "Try 'chainaudit --help'.\n");
		goto out;
	}
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
	if (gnutls_global_init() < 0) {
		fprintf(stderr, "chainaudit: cannot initialise GnuTLS\n");
		goto out;
	}

	memset(&params, 0, sizeof(params));
	/* The clock is read here, once; everything below is handed it. */
	params.now = cfg.at_set ? cfg.at : time(NULL);
	params.sha1_sunset = cfg.sha1_sunset;
	params.sha1_sunset_never = cfg.sha1_never;
	params.warn_days = cfg.warn_days;
	params.host = cfg.host;
	path_params_default(&params.path, params.now);

	if ((store = trust_store_new()) == NULL ||
	    (cache = sig_cache_new()) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		goto out;
	}
	if (load_store(&cfg, &run, store) < 0 ||
	    (distrust = load_distrust(&cfg, store)) == NULL)
		goto out;
	params.distrust = distrust;

	run.cfg = &cfg;
	run.writer = report_find(cfg.format);
	run.opts.color = use_color(&cfg);
	run.opts.verbose = cfg.verbose;
	run.opts.now = params.now;
	run.opts.version = PACKAGE_VERSION;
	run.opts.fail_on = cfg.fail_on;
	run.opts.fail_never = cfg.fail_never;
	if ((run.out = open_output(cfg.output, &tmp)) == NULL) {
		diag(cfg.output, errno == ENOENT ? "no such directory" :
		    errno == EACCES ? "permission denied" :
		    "cannot create the report");
		goto out;
	}
	if (run.writer->begin(run.out, &run.opts) < 0)
		run.write_error = 1;
	for (i = 0; i < cfg.ninputs; i++) {
		if (source_expand(cfg.inputs[i], &files, err,
		    sizeof(err)) < 0) {
			report_error_target(&run, cfg.inputs[i], err);
			continue;
		}
		for (j = 0; j < files.n; j++)
			audit_file(&run, files.v[j], &params, store, cache);
		path_list_free(&files);
	}
	if (run.writer->end(run.out, &run.summary, &run.opts) < 0)
		run.write_error = 1;
	if (close_output(run.out, cfg.output, tmp,
	    !run.write_error) < 0) {
		diag(cfg.output ? cfg.output : "(stdout)",
		    "cannot write the report");
		goto out;
	}

	if (run.trouble)
		status = EXIT_TROUBLE;
	else if (run.failed)
		status = EXIT_FINDINGS;
	else
		status = EXIT_CLEAN;
out:
	path_list_free(&files);
	sig_cache_free(cache);
	distrust_free(distrust);
	trust_store_free(store);
	config_free(&cfg);
	gnutls_global_deinit();
	return status;
}
