/*
 * dbnotify.c: --notify from main; see dbnotify.h.
 */
#include <config.h>

#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

#include "dbnotify.h"
#include "notify.h"
#include "report.h"
#include "store.h"
#include "util.h"

#define EXIT_CLEAN	0
#define EXIT_NOTICES	1
#define EXIT_TROUBLE	2

/* The destination's writer: a name for report_out, never called. */
static const struct report_writer notify_writer = { "notify", NULL, NULL,
    NULL, NULL, NULL };

/*
 * 1 when the file out is the database file db (another name or a link
 * for it too): renaming the notices over it would destroy the results.
 */
static int
same_file(const char *out, const char *db)
{
	struct stat so, sd;

	return db != NULL && stat(out, &so) == 0 && stat(db, &sd) == 0 &&
	    so.st_dev == sd.st_dev && so.st_ino == sd.st_ino;
}

/*
 * The scan to read: --scan ID, which must exist and be complete, or the
 * latest complete one.  1 with *sc, or 0 after a diagnostic.
 */
static int
choose_scan(struct store *st, const struct config *cfg, struct store_scan *sc)
{
	char err[ERRBUF_LEN];
	int r;

	r = store_find_scan(st, cfg->scan_id != 0 ? FIND_SCAN_ID :
	    FIND_SCAN_COMPLETE, NULL, NULL, (int64_t)cfg->scan_id, sc, err,
	    sizeof(err));
	if (r < 0) {
		fprintf(stderr, "chainaudit: %s\n", err);
		return 0;
	}
	if (r == 0 && cfg->scan_id != 0) {
		fprintf(stderr, "chainaudit: %s: --scan %lld: no such scan "
		    "(--summary names the latest)\n", store_results_name(st),
		    cfg->scan_id);
		return 0;
	}
	if (r == 0) {
		fprintf(stderr, "chainaudit: %s: --notify: no complete scan "
		    "yet (finish one with chainaudit --db, or --resume the "
		    "unfinished one)\n", store_results_name(st));
		return 0;
	}
	if (strcmp(sc->status, "complete") != 0) {
		fprintf(stderr, "chainaudit: %s: --scan %lld is %s, not "
		    "complete: its notices would miss rows (--resume it "
		    "first)\n", store_results_name(st), cfg->scan_id,
		    sc->status);
		store_scan_clear(sc);
		return 0;
	}
	return 1;
}

int
dbnotify_run(const struct config *cfg)
{
	struct store *st = NULL;
	struct store_scan sc;
	struct report_out *out = NULL;
	struct notify_opts no;
	char err[ERRBUF_LEN];
	const char *path = cfg->output;
	long n = -1, failing = 0;
	int ret = EXIT_TROUBLE;

	memset(&sc, 0, sizeof(sc));
	memset(&no, 0, sizeof(no));
	if (notify_format_parse(cfg->format, &no.format) < 0)
		return EXIT_TROUBLE;	/* cli_parse said so */
	if (path != NULL && strcmp(path, "-") != 0 &&
	    (same_file(path, cfg->db) || same_file(path, cfg->results))) {
		fprintf(stderr, "chainaudit: %s: refusing to write the notices "
		    "over the database\n", path);
		return EXIT_TROUBLE;
	}
	if ((st = store_open(cfg->db, cfg->results, 1, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "chainaudit: %s\n", err);
		return EXIT_TROUBLE;
	}
	if (!choose_scan(st, cfg, &sc))
		goto out;
	if ((out = report_out_open(&notify_writer, path, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "chainaudit: %s: cannot create the notices: "
		    "%s\n", path, err);
		goto out;
	}
	no.database = store_results_name(st);
	no.version = PACKAGE_VERSION;
	no.fail_on = cfg->fail_on;
	no.fail_never = cfg->fail_never;
	if ((n = notify_write(st, &sc, &no, report_out_file(out), &failing,
	    err, sizeof(err))) < 0)
		fprintf(stderr, "chainaudit: %s: --notify: %s\n",
		    store_results_name(st), err);
	if (report_out_close(out, n >= 0, err, sizeof(err)) < 0) {
		if (n >= 0)
			fprintf(stderr, "chainaudit: %s: cannot write the "
			    "notices: %s\n", path != NULL ? path : "(stdout)",
			    err);
		goto out;
	}
	/* As the audit's: 1 for a notice at or above --fail-on. */
	ret = failing > 0 ? EXIT_NOTICES : EXIT_CLEAN;
out:
	store_scan_clear(&sc);
	store_free(st);
	return ret;
}
