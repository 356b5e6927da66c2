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

#include "aia.h"
#include "judge.h"
#include "builtin.h"
#include "cli.h"
#include "corpus.h"
#include "dbrun.h"
#include "distrust.h"
#include "live.h"
#include "net.h"
#include "progress.h"
#include "report.h"
#include "source.h"
#include "trust.h"
#include "truststores.h"

#define EXIT_CLEAN	0
#define EXIT_FINDINGS	1
#define EXIT_TROUBLE	2	/* unreadable input or usage error */

/*
 * An evaluation time further back than this, with no trust option, is
 * judged by Mozilla's store as it was then rather than by today's
 * system store: a 2016 chain meets the 2016 roots.
 */
#define DEFAULT_STORE_AGE	(30 * 86400)
#define STORE_NOTE_LEN		128

/*
 * The run's named trust stores (--trust-store, or the default for an old
 * --at), resolved once: what params.stores and the reports point into.
 */
struct named {
	struct tstore_db	*db;		/* owned; NULL when none */
	struct tstore_version	 v[TSTORE_COUNT];
	char			 notes[TSTORE_COUNT][STORE_NOTE_LEN];
	struct audit_store	 stores[TSTORE_COUNT];
	/* owned: the anchors of stores 1.. (store 0 is the run's store) */
	struct trust_store	*own[TSTORE_COUNT];
	size_t			 n;
	const char		*default_note;	/* static, or NULL */
};

struct run {
	struct report_out	**outs;		/* owned: every destination */
	size_t			 nouts;
	struct progress		 progress;
	struct report_opts	 opts;
	struct report_summary	 summary;
	const struct config	*cfg;
	int			 trouble;	/* an input error happened */
	int			 failed;	/* a finding at or above fail-on */
};

/* Diagnostics name the input first, then the reason (stderr only). */
static void
diag(const char *source, const char *reason)
{
	fprintf(stderr, "chainaudit: %s: %s\n", source, reason);
}

/* The audit view: report the target and count it. */
static int
report_seen(const struct audit *a, void *arg)
{
	struct run *run = arg;
	size_t i;
	int fails;

	progress_finish(&run->progress);	/* diagnostics go below it */
	if (a->error != NULL) {
		diag(a->source, a->error);
		run->trouble = 1;
	} else if (a->bad_input) {
		for (i = 0; i < a->nfindings; i++)
			if (a->findings[i].id == FIND_UNPARSEABLE)
				diag(a->source, a->findings[i].message);
		run->trouble = 1;
	}
	fails = audit_fails(a, run->opts.fail_on, run->opts.fail_never);
	if (fails)
		run->failed = 1;
	/* A failed destination stays failed; its error is told at the end. */
	for (i = 0; i < run->nouts; i++)
		(void)report_out_target(run->outs[i], a, run->summary.targets,
		    &run->opts);
	report_summary_add(&run->summary, a, fails);
	return 0;
}

/* The audit sink: report the target, count it, free it. */
static int
report_audit(struct audit *a, void *arg)
{
	int r = report_seen(a, arg);

	audit_free(a);
	return r;
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
	progress_step(&run->progress, 1, run->summary.by_severity[SEV_INFO] +
	    run->summary.by_severity[SEV_WARNING] +
	    run->summary.by_severity[SEV_ERROR] - run->progress.findings,
	    progress_clock());
	der_list_free(&blobs);
	free(buf);
}

/* ---- live targets ---------------------------------------------------- */

struct live {
	struct run			*run;
	const struct audit_params	*params;
	const struct trust_store	*store;
	struct sig_cache		*cache;
	const struct net_result		*res;	/* the target being audited */
	int				 bad;	/* a target did not parse */
};

/* audit_input's sink for a handshake: attach what it showed, report. */
static int
live_audit_sink(struct audit *a, void *arg)
{
	struct live *lv = arg;

	a->tls = live_tls(&lv->res->tls);
	return report_audit(a, lv->run);
}

/* net_run's sink: audit the chain as sent, or report why there is none. */
static int
live_sink(const struct net_result *r, void *arg)
{
	struct live *lv = arg;
	struct audit_params params = *lv->params;
	struct audit *a;

	if (r->error != NULL) {
		if ((a = audit_error(r->source, "%s", r->error)) == NULL) {
			diag(r->source, r->error);
			lv->run->trouble = 1;
			return 0;
		}
		a->bad_input = 1;
		a->tls = live_tls(&r->tls);
		return report_audit(a, lv->run);
	}
	/*
	 * The hostname check is on for live targets, against the name a
	 * client would ask for: --host, else the SNI sent, else the host
	 * (an address literal is checked against the IP addresses).
	 */
	if (params.host == NULL)
		params.host = live_host(r->target);
	lv->res = r;
	if (audit_input(r->source, r->chain, 0, &params, lv->store, lv->cache,
	    live_audit_sink, lv) < 0)
		report_error_target(lv->run, r->source, "out of memory");
	lv->res = NULL;
	return 0;
}

static void
bad_target(const char *where, const char *reason, void *arg)
{
	struct live *lv = arg;

	report_error_target(lv->run, where, reason);
}

/*
 * Collect the live targets of the command line and of --hosts files,
 * reporting each bad one as an error target.  0, or -1 on ENOMEM.
 */
static int
live_targets(struct live *lv, const struct config *cfg,
    struct net_targets *list)
{
	struct net_target t;
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN];
	const char *name;
	size_t i, len;
	int r;

	for (i = 0; i < cfg->ninputs; i++) {
		if (!net_arg_is_target(cfg->inputs[i]))
			continue;
		if (net_target_parse(cfg->inputs[i], cfg->sni, cfg->connect,
		    cfg->starttls, &t, err, sizeof(err)) < 0) {
			report_error_target(lv->run, cfg->inputs[i], err);
			continue;
		}
		if (net_targets_add(list, &t) < 0) {
			net_target_free(&t);
			return -1;
		}
	}
	for (i = 0; i < cfg->nhosts_files; i++) {
		name = strcmp(cfg->hosts_files[i], "-") == 0 ? "(stdin)" :
		    cfg->hosts_files[i];
		if (file_read_all(cfg->hosts_files[i], &buf, &len, err,
		    sizeof(err)) < 0) {
			report_error_target(lv->run, name, err);
			continue;
		}
		r = net_targets_parse_list((const char *)buf, len, name,
		    cfg->sni, cfg->starttls, list, bad_target, lv);
		free(buf);
		buf = NULL;
		if (r < 0)
			return -1;
	}
	return 0;
}

/* Audit every live target, reporting each as its handshake finishes. */
static void
audit_live(struct run *run, const struct config *cfg,
    const struct audit_params *params, const struct trust_store *store,
    struct sig_cache *cache)
{
	struct net_targets targets;
	struct net_params np;
	struct live lv;

	memset(&targets, 0, sizeof(targets));
	memset(&lv, 0, sizeof(lv));
	lv.run = run;
	lv.params = params;
	lv.store = store;
	lv.cache = cache;
	if (live_targets(&lv, cfg, &targets) < 0) {
		fprintf(stderr, "chainaudit: out of memory\n");
		run->trouble = 1;
		goto out;
	}
	if (targets.n == 0)
		goto out;
	memset(&np, 0, sizeof(np));
	np.concurrency = cfg->concurrency;
	np.timeout_ms = cfg->timeout_ms;
	np.rate = cfg->rate;
	np.all_keys = cfg->all_keys;
	if (net_run(&targets, &np, live_sink, &lv) < 0) {
		fprintf(stderr, "chainaudit: cannot run the handshakes (out "
		    "of memory or threads)\n");
		run->trouble = 1;
	}
out:
	net_targets_free(&targets);
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

static void
policy_error(const char *line, void *arg)
{
	(void)arg;
	fprintf(stderr, "chainaudit: %s\n", line);
}

/*
 * The system store into store as kind.  It is the system's business:
 * what it has bad is skipped.  0, or -1 after a diagnostic.
 */
static int
load_system(struct trust_store *store, enum store_kind kind)
{
	char err[ERRBUF_LEN];

	if (trust_store_add_file(store, SYSTEM_CA_FILE, kind, NULL, err,
	    sizeof(err)) < 0) {
		diag(SYSTEM_CA_FILE, err);
		fprintf(stderr, "chainaudit: (use --ca-file, or --no-system-ca "
		    "to audit without the system store)\n");
		return -1;
	}
	return 0;
}

/* Append name to the run's stores unless it is there already. */
static void
named_add(struct named *nm, const char *name)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		if (strcmp(nm->v[i].name, name) == 0)
			return;
	if (nm->n < TSTORE_COUNT)
		nm->v[nm->n++].name = name;
}

/*
 * Which named stores the run uses and their versions at now: the
 * --trust-store names in order ("all" for every store, less the system
 * one under --no-system-ca), or, with no trust option at all and now
 * more than DEFAULT_STORE_AGE before real_now, Mozilla's.  None leaves
 * the run as it always was (system store, --ca-file).  0, or -1 after a
 * diagnostic.
 */
static int
named_choose(const struct config *cfg, time_t now, time_t real_now,
    struct named *nm)
{
	const char *const *all;
	struct audit_store *st;
	struct tstore_version *v;
	size_t i;

	for (i = 0; i < cfg->ntrust_stores; i++) {
		if (strcmp(cfg->trust_stores[i], TSTORE_ALL) != 0) {
			named_add(nm, cfg->trust_stores[i]);
			continue;
		}
		for (all = tstore_names(); *all != NULL; all++)
			if (!cfg->no_system_ca ||
			    strcmp(*all, TSTORE_SYSTEM) != 0)
				named_add(nm, *all);
	}
	if (cfg->ntrust_stores == 0 && cfg->nca_files == 0 &&
	    !cfg->no_system_ca && now < real_now - DEFAULT_STORE_AGE) {
		named_add(nm, "mozilla");
		nm->default_note = "no trust option and --at more than 30 "
		    "days ago: Mozilla's store as it was then decides; "
		    "--trust-store system for today's system store";
	}
	if (nm->n == 0)
		return 0;
	if ((nm->db = builtin_truststores(policy_error, NULL)) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return -1;
	}
	for (i = 0; i < nm->n; i++) {
		v = &nm->v[i];
		if (tstore_version_at(nm->db, v->name, now, v) < 0) {
			fprintf(stderr, "chainaudit: --trust-store %s: the "
			    "built-in history has no version of it\n",
			    v->name);
			return -1;
		}
		tstore_version_note(v, nm->notes[i], sizeof(nm->notes[i]));
		/* Today's file needs no note when today is the time. */
		if (v->pos == TSTORE_TODAY && now > real_now - 86400 &&
		    now < real_now + 86400)
			nm->notes[i][0] = '\0';
		st = &nm->stores[i];
		st->name = v->name;
		st->as_of = v->date;
		st->version = v->pos == TSTORE_TODAY ? SYSTEM_CA_FILE :
		    *v->label != '\0' ? v->label : NULL;
		st->note = nm->notes[i][0] != '\0' ? nm->notes[i] : NULL;
	}
	return 0;
}

/* One named store's anchors into store.  0, or -1 after a diagnostic. */
static int
named_load(const struct named *nm, size_t i, struct trust_store *store)
{
	if (nm->v[i].pos == TSTORE_TODAY)
		return load_system(store, STORE_ANCHOR);
	/* A bad certificate of the built-in data is told and left out. */
	if (tstore_load(nm->db, &nm->v[i], store, STORE_ANCHOR,
	    policy_error, NULL) < 0) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return -1;
	}
	return 0;
}

/*
 * Every named store after the first, each holding only its own anchors
 * and searching the run's store (store) for everything else.  0, or -1
 * after a diagnostic.
 */
static int
named_load_others(struct named *nm, const struct trust_store *store)
{
	size_t i;

	for (i = 1; i < nm->n; i++) {
		if ((nm->own[i] = trust_store_new()) == NULL) {
			fprintf(stderr, "chainaudit: out of memory\n");
			return -1;
		}
		if (named_load(nm, i, nm->own[i]) < 0)
			return -1;
		trust_store_set_pool(nm->own[i], store);
		nm->stores[i].store = nm->own[i];
	}
	return 0;
}

static void
named_free(struct named *nm)
{
	size_t i;

	for (i = 0; i < TSTORE_COUNT; i++)
		trust_store_free(nm->own[i]);
	tstore_db_free(nm->db);
}

/*
 * Load every trust source: the first named store, else the system store
 * unless --no-system-ca; then --ca-file and --intermediates.  All
 * problems are reported.  0 or -1.
 */
static int
load_store(const struct config *cfg, struct run *run,
    struct trust_store *store, const struct named *nm)
{
	size_t i;
	int bad = 0;

	if (nm->n > 0) {
		if (named_load(nm, 0, store) < 0)
			bad = 1;
	} else if (!cfg->no_system_ca && load_system(store, STORE_ANCHOR) < 0)
		bad = 1;
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

#define CORPUS_ORIGIN	"built-in db/known-cas.pem"

/*
 * The shipped known-CA corpus, or NULL when its image is unusable: then
 * the run goes on without it, saying so, as with any bad data source.
 */
static struct corpus *
open_corpus(void)
{
	struct corpus *c;
	char err[ERRBUF_LEN];

	if ((c = corpus_open(known_cas_image, (size_t)(known_cas_image_end -
	    known_cas_image), CORPUS_ORIGIN, err, sizeof(err))) == NULL)
		fprintf(stderr, "chainaudit: %s: %s; auditing without it\n",
		    CORPUS_ORIGIN, err);
	return c;
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

static void
aia_warn(const char *line, void *arg)
{
	(void)arg;
	fprintf(stderr, "chainaudit: %s\n", line);
}

/*
 * The caIssuers cache directory: --aia-cache, else with --fetch-aia
 * $XDG_CACHE_HOME/chainaudit/aia or $HOME/.cache/chainaudit/aia (the XDG
 * base directory rules: a relative XDG_CACHE_HOME is ignored).  *dir is
 * NULL when there is none; 0, or -1 on ENOMEM.
 */
static int
aia_cache_dir(const struct config *cfg, char **dir)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int r = 0;

	*dir = NULL;
	if (cfg->aia_cache != NULL)
		*dir = strdup(cfg->aia_cache);
	else if (!cfg->fetch_aia)
		return 0;
	else if (xdg != NULL && xdg[0] == '/')
		r = asprintf(dir, "%s/chainaudit/aia", xdg);
	else if (home != NULL && home[0] == '/')
		r = asprintf(dir, "%s/.cache/chainaudit/aia", home);
	else
		return 0;
	if (r < 0 || *dir == NULL) {
		*dir = NULL;
		return -1;
	}
	return 0;
}

/*
 * The run's caIssuers fetcher, when --fetch-aia or --aia-cache asks for
 * one: *f is NULL otherwise.  0, or -1 after a diagnostic.
 */
static int
aia_setup(const struct config *cfg, struct aia_fetcher **f)
{
	struct aia_params ap;
	char *dir = NULL;
	int ret = -1;

	*f = NULL;
	if (!cfg->fetch_aia && cfg->aia_cache == NULL)
		return 0;
	if (aia_cache_dir(cfg, &dir) < 0) {
		fprintf(stderr, "chainaudit: out of memory\n");
		goto out;
	}
	memset(&ap, 0, sizeof(ap));
	ap.cache_dir = dir;
	ap.network = cfg->fetch_aia;
	ap.timeout_ms = cfg->timeout_ms;
	ap.max_body = AIA_DEFAULT_MAX_BODY;
	ap.max_redirects = AIA_DEFAULT_REDIRECTS;
	ap.warn = aia_warn;
	if ((*f = aia_fetcher_new(&ap)) == NULL) {
		fprintf(stderr, "chainaudit: cannot start libcurl for "
		    "--fetch-aia\n");
		goto out;
	}
	ret = 0;
out:
	free(dir);
	return ret;
}

/*
 * --list-distrust: the policy load_distrust builds from the options, on
 * standard output.  An exit status: a bad policy line or a failed write
 * is 2.
 */
static int
list_distrust(const struct config *cfg, struct trust_store *store)
{
	struct distrust_policy *p;
	int r;

	if ((p = load_distrust(cfg, store)) == NULL)
		return EXIT_TROUBLE;
	r = distrust_list(stdout, p, cfg->format);
	if (fflush(stdout) == EOF || ferror(stdout))
		r = -1;
	distrust_free(p);
	if (r < 0) {
		fprintf(stderr, "chainaudit: (stdout): cannot write the "
		    "distrust policy\n");
		return EXIT_TROUBLE;
	}
	return EXIT_CLEAN;
}

/*
 * --list-trust-stores: the named stores and the dates their history
 * covers (with --at, the version in force then), on standard output.
 * An exit status.
 */
static int
list_trust_stores(const struct config *cfg)
{
	struct tstore_db *db;
	int r;

	if ((db = builtin_truststores(policy_error, NULL)) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return EXIT_TROUBLE;
	}
	r = tstore_list(stdout, db, cfg->format, cfg->at_set, cfg->at,
	    SYSTEM_CA_FILE);
	if (fflush(stdout) == EOF || ferror(stdout))
		r = -1;
	tstore_db_free(db);
	if (r < 0) {
		fprintf(stderr, "chainaudit: (stdout): cannot write the "
		    "trust store list\n");
		return EXIT_TROUBLE;
	}
	return EXIT_CLEAN;
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
 * Open every report destination: the --format report on --output (or
 * standard output), then each --report FMT:FILE.  Each file is written
 * to a temporary file renamed into place only when complete.  Every
 * destination that cannot be opened is reported; then the ones opened
 * are removed and -1 returned.
 */
static int
open_reports(struct run *run, const struct config *cfg)
{
	const struct report_writer *w;
	struct report_out *o;
	const char *colon;
	char err[ERRBUF_LEN], fmt[32];
	size_t i;
	int bad = 0;

	if ((run->outs = calloc(cfg->nreports + 1, sizeof(*run->outs))) ==
	    NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return -1;
	}
	for (i = 0; i <= cfg->nreports; i++) {
		if (i == 0) {
			w = report_find(cfg->format);
			colon = cfg->output;
		} else {
			/* cli_parse checked "FMT:PATH" and the format. */
			colon = strchr(cfg->reports[i - 1], ':');
			snprintf(fmt, sizeof(fmt), "%.*s",
			    (int)(colon - cfg->reports[i - 1]),
			    cfg->reports[i - 1]);
			w = report_find(fmt);
			colon++;
		}
		if ((o = report_out_open(w, colon, err, sizeof(err))) == NULL) {
			fprintf(stderr, "chainaudit: %s: cannot create the "
			    "report: %s\n", colon != NULL ? colon : "(stdout)",
			    err);
			bad = 1;
			continue;
		}
		run->outs[run->nouts++] = o;
	}
	if (!bad)
		return 0;
	for (i = 0; i < run->nouts; i++)
		report_out_close(run->outs[i], 0, err, sizeof(err));
	run->nouts = 0;
	return -1;
}

/*
 * Finish every destination: renamed into place when complete (commit),
 * removed otherwise.  Each failure is reported.  0, or -1 when any
 * report could not be written.
 */
static int
close_reports(struct run *run, int commit)
{
	char err[ERRBUF_LEN], name[ERRBUF_LEN];
	size_t i;
	int bad = 0;

	for (i = 0; i < run->nouts; i++) {
		snprintf(name, sizeof(name), "%s",
		    report_out_name(run->outs[i]));
		if (report_out_close(run->outs[i], commit, err,
		    sizeof(err)) < 0 && commit) {
			fprintf(stderr, "chainaudit: %s: cannot write the "
			    "report: %s\n", name, err);
			bad = 1;
		}
	}
	run->nouts = 0;
	free(run->outs);
	run->outs = NULL;
	return bad ? -1 : 0;
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

int
main(int argc, char **argv)
{
	struct config cfg;
	struct trust_store *store = NULL;
	struct distrust_policy *distrust = NULL;
	struct sig_cache *cache = NULL;
	struct cert_cache *certs = NULL;
	struct corpus *corpus = NULL;
	struct aia_fetcher *aia = NULL;
	struct audit_params params;
	struct path_list files;
	struct named named;
	struct run run;
	char err[ERRBUF_LEN];
	time_t real_now;
	size_t i, j;
	int status = EXIT_TROUBLE, db_status = 0;

	memset(&files, 0, sizeof(files));
	memset(&named, 0, sizeof(named));
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
	if (cfg.list_trust_stores) {
		status = list_trust_stores(&cfg);
		goto out;
	}
	if (cfg.db != NULL && (cfg.summary || cfg.diff)) {
		status = dbrun_history(&cfg);
		goto out;
	}
	if (gnutls_global_init() < 0) {
		fprintf(stderr, "chainaudit: cannot initialise GnuTLS\n");
		goto out;
	}

	memset(&params, 0, sizeof(params));
	/* The clock is read here, once; everything below is handed it. */
	real_now = time(NULL);
	params.now = cfg.at_set ? cfg.at : real_now;
	/* --resume goes on at the instant its scan started with. */
	if (cfg.db != NULL && dbrun_resume_time(&cfg, &params.now) < 0)
		goto out;
	params.sha1_sunset = cfg.sha1_sunset;
	params.sha1_sunset_never = cfg.sha1_never;
	params.warn_days = cfg.warn_days;
	params.host = cfg.host;
	path_params_default(&params.path, params.now);

	if ((store = trust_store_new()) == NULL ||
	    (cache = sig_cache_new()) == NULL ||
	    (certs = cert_cache_new(0)) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		goto out;
	}
	if (cfg.list_distrust) {
		status = list_distrust(&cfg, store);
		goto out;
	}
	if (!cfg.no_known_intermediates)
		corpus = open_corpus();
	trust_store_set_corpus(store, corpus);
	if (named_choose(&cfg, params.now, real_now, &named) < 0 ||
	    load_store(&cfg, &run, store, &named) < 0 ||
	    (distrust = load_distrust(&cfg, store)) == NULL ||
	    named_load_others(&named, store) < 0)
		goto out;
	params.distrust = distrust;
	params.certs = certs;
	params.stores = named.stores;
	params.nstores = named.n;
	/* Before any worker thread: it starts libcurl. */
	if (aia_setup(&cfg, &aia) < 0)
		goto out;
	if (aia != NULL) {
		params.fetch_issuer = aia_fetch;
		params.fetch_arg = aia;
	}

	run.cfg = &cfg;
	run.opts.color = use_color(&cfg);
	run.opts.color_files = cfg.color == COLOR_ALWAYS;
	run.opts.verbose = cfg.verbose;
	run.opts.now = params.now;
	run.opts.version = PACKAGE_VERSION;
	run.opts.fail_on = cfg.fail_on;
	run.opts.fail_never = cfg.fail_never;
	run.opts.quiet = cfg.quiet;
	run.opts.stores = named.stores;
	run.opts.nstores = named.n;
	run.opts.store_default = named.default_note;
	if (open_reports(&run, &cfg) < 0)
		goto out;
	progress_init(&run.progress, want_progress(&cfg) ? stderr : NULL,
	    "files", progress_clock());
	for (i = 0; i < run.nouts; i++)
		(void)report_out_begin(run.outs[i], &run.opts);
	for (i = 0; i < cfg.ninputs; i++) {
		if (net_arg_is_target(cfg.inputs[i]))
			continue;	/* audited below, all at once */
		if (source_expand(cfg.inputs[i], &files, err,
		    sizeof(err)) < 0) {
			report_error_target(&run, cfg.inputs[i], err);
			continue;
		}
		/* The total grows as each argument is expanded. */
		progress_set_total(&run.progress, run.progress.total + files.n);
		for (j = 0; j < files.n; j++)
			audit_file(&run, files.v[j], &params, store, cache);
		path_list_free(&files);
	}
	audit_live(&run, &cfg, &params, store, cache);
	if (cfg.db != NULL)
		db_status = dbrun_scan(&cfg, &params, store, cache, &run.opts,
		    report_seen, &run, &run.progress);
	progress_finish(&run.progress);
	for (i = 0; i < run.nouts; i++)
		(void)report_out_end(run.outs[i], &run.summary, &run.opts);
	if (close_reports(&run, 1) < 0)
		goto out;

	if (run.trouble)
		status = EXIT_TROUBLE;
	else if (run.failed)
		status = EXIT_FINDINGS;
	else
		status = EXIT_CLEAN;
	/* What a scan adds: copied failures, database trouble, a signal. */
	if (db_status > status)
		status = db_status;
out:
	close_reports(&run, 0);
	path_list_free(&files);
	aia_fetcher_free(aia);
	sig_cache_free(cache);
	cert_cache_free(certs);
	distrust_free(distrust);
	named_free(&named);
	trust_store_free(store);
	corpus_free(corpus);
	config_free(&cfg);
	gnutls_global_deinit();
	return status;
}
