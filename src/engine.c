/*
 * engine.c: build the run's engine from the options; see engine.h.
 * Every data source is loaded here, once, and every problem with one is
 * reported here, naming it.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aia.h"
#include "builtin.h"
#include "corpus.h"
#include "engine.h"

/*
 * An evaluation time further back than this, with no trust option, is
 * judged by Mozilla's store as it was then rather than by today's
 * system store: a 2016 chain meets the 2016 roots.
 */
#define DEFAULT_STORE_AGE	(30 * 86400)
/* Diagnostics name the source first, then the reason (stderr only). */
static void
diag(const char *source, const char *reason)
{
	fprintf(stderr, "chainaudit: %s: %s\n", source, reason);
}

/*
 * Load one user-named trust file.  A file with nothing usable stops the
 * run; unparseable blocks in a usable file are reported and make the exit
 * status 2, as any bad input does.  0, or -1 when the file is unusable.
 */
static int
load_user_file(struct engine *e, struct trust_store *store, const char *path,
    enum trust_kind kind)
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
		e->bad_input = 1;
	}
	return 0;
}

/*
 * A loader's or fetcher's one-line message, on stderr.  The fetcher's
 * come from auditing threads while reports stream: standard output is
 * taken (the sinks hold it for a whole target) and flushed first, so
 * the message falls between report lines, never inside one.
 */
static void
say_line(const char *line, void *arg)
{
	(void)arg;
	flockfile(stdout);
	fflush(stdout);
	fprintf(stderr, "chainaudit: %s\n", line);
	funlockfile(stdout);
}

/*
 * The system store into store as kind.  It is the system's business:
 * what it has bad is skipped.  0, or -1 after a diagnostic.
 */
static int
load_system(struct trust_store *store, enum trust_kind kind)
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
named_choose(const struct engine_opts *o, time_t now, time_t real_now,
    struct named *nm)
{
	const char *const *all;
	struct audit_store *st;
	struct tstore_version *v;
	size_t i;

	for (i = 0; i < o->ntrust_stores; i++) {
		if (strcmp(o->trust_stores[i], TSTORE_ALL) != 0) {
			named_add(nm, o->trust_stores[i]);
			continue;
		}
		for (all = tstore_names(); *all != NULL; all++)
			if (!o->no_system_ca ||
			    strcmp(*all, TSTORE_SYSTEM) != 0)
				named_add(nm, *all);
	}
	if (o->ntrust_stores == 0 && o->nca_files == 0 &&
	    !o->no_system_ca && now < real_now - DEFAULT_STORE_AGE) {
		named_add(nm, "mozilla");
		nm->default_note = "no trust option and --at more than 30 "
		    "days ago: Mozilla's store as it was then decides; "
		    "--trust-store system for today's system store";
	}
	if (nm->n == 0)
		return 0;
	if ((nm->db = builtin_truststores(say_line, NULL)) == NULL) {
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
		return load_system(store, TRUST_ANCHOR);
	/* A bad certificate of the built-in data is told and left out. */
	if (tstore_load(nm->db, &nm->v[i], store, TRUST_ANCHOR,
	    say_line, NULL) < 0) {
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
load_store(const struct engine_opts *o, struct engine *e,
    struct trust_store *store, const struct named *nm)
{
	size_t i;
	int bad = 0;

	if (nm->n > 0) {
		if (named_load(nm, 0, store) < 0)
			bad = 1;
	} else if (!o->no_system_ca && load_system(store, TRUST_ANCHOR) < 0)
		bad = 1;
	for (i = 0; i < o->nca_files; i++)
		if (load_user_file(e, store, o->ca_files[i],
		    TRUST_ANCHOR) < 0)
			bad = 1;
	for (i = 0; i < o->nintermediates; i++)
		if (load_user_file(e, store, o->intermediates[i],
		    TRUST_INTERMEDIATE) < 0)
			bad = 1;
	return bad ? -1 : 0;
}

#define CORPUS_ORIGIN	"built-in db/known-cas.pem"

/*
 * The shipped known-CA corpus, or NULL when its image is unusable: then
 * the run goes on without it, saying so, as with any bad data source.
 */
static struct corpus *
open_corpus(const struct engine_opts *o)
{
	struct corpus *c;
	char err[ERRBUF_LEN];

	if (o->corpus_image == NULL)
		return NULL;
	if ((c = corpus_open(o->corpus_image, o->corpus_len, CORPUS_ORIGIN,
	    err, sizeof(err))) == NULL)
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
load_distrust(const struct engine_opts *o, struct trust_store *store)
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
	distrust_set_vendors(p, o->distrust_vendors);
	if (!o->no_builtin_distrust &&
	    builtin_load_distrust(p, store, say_line, NULL) < 0)
		bad = 1;
	for (i = 0; i < o->ndistrust_files; i++) {
		if (file_read_all(o->distrust_files[i], &buf, &len, err,
		    sizeof(err)) < 0) {
			diag(o->distrust_files[i], err);
			bad = 1;
			continue;
		}
		r = distrust_parse(p, (const char *)buf, len,
		    o->distrust_files[i], 1, say_line, NULL);
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

/*
 * The caIssuers cache directory: --aia-cache, else with --fetch-aia
 * $XDG_CACHE_HOME/chainaudit/aia or $HOME/.cache/chainaudit/aia (the XDG
 * base directory rules: a relative XDG_CACHE_HOME is ignored).  *dir is
 * NULL when there is none; 0, or -1 on ENOMEM.
 */
static int
aia_cache_dir(const struct engine_opts *o, char **dir)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int r = 0;

	*dir = NULL;
	if (o->aia_cache != NULL)
		*dir = strdup(o->aia_cache);
	else if (!o->fetch_aia)
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
aia_setup(const struct engine_opts *o, struct aia_fetcher **f)
{
	struct aia_params ap;
	char *dir = NULL;
	int ret = -1;

	*f = NULL;
	if (!o->fetch_aia && o->aia_cache == NULL && !o->ocsp)
		return 0;
	if (aia_cache_dir(o, &dir) < 0) {
		fprintf(stderr, "chainaudit: out of memory\n");
		goto out;
	}
	memset(&ap, 0, sizeof(ap));
	ap.cache_dir = dir;
	ap.network = o->fetch_aia;
	ap.timeout_ms = o->timeout_ms;
	ap.max_body = AIA_DEFAULT_MAX_BODY;
	ap.max_redirects = AIA_DEFAULT_REDIRECTS;
	ap.warn = say_line;
	if ((*f = aia_fetcher_new(&ap)) == NULL) {
		fprintf(stderr, "chainaudit: cannot start libcurl for "
		    "%s\n", o->ocsp ? "--ocsp or --fetch-aia" : "--fetch-aia");
		goto out;
	}
	ret = 0;
out:
	free(dir);
	return ret;
}

/*
 * The --crl files.  A file without a CRL that parses is told, naming it,
 * and makes the exit status 2; the run goes on without it, as the
 * certificates it would have judged are still worth auditing.  0, or -1
 * on ENOMEM.
 */
static int
load_crls(const struct engine_opts *o, struct engine *e)
{
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN];
	size_t i, len;

	if (o->ncrl_files == 0)
		return 0;
	if ((e->crls = crl_set_new()) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return -1;
	}
	for (i = 0; i < o->ncrl_files; i++) {
		if (file_read_all(o->crl_files[i], &buf, &len, err,
		    sizeof(err)) < 0 || crl_set_add(e->crls, buf, len,
		    o->crl_files[i], err, sizeof(err)) < 0) {
			diag(o->crl_files[i], err);
			e->bad_input = 1;
		}
		free(buf);
		buf = NULL;
	}
	return 0;
}

/*
 * --list-distrust: the policy load_distrust builds from the options, on
 * standard output.  0, or -1 after a diagnostic (a bad policy line, a
 * failed write).
 */
int
engine_list_distrust(const struct engine_opts *o, const char *format)
{
	struct distrust_policy *p;
	struct trust_store *store;
	int r;

	if ((store = trust_store_new()) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return -1;
	}
	if ((p = load_distrust(o, store)) == NULL) {
		trust_store_free(store);
		return -1;
	}
	r = distrust_list(stdout, p, format);
	if (fflush(stdout) == EOF || ferror(stdout))
		r = -1;
	distrust_free(p);
	trust_store_free(store);
	if (r < 0) {
		fprintf(stderr, "chainaudit: (stdout): cannot write the "
		    "distrust policy\n");
		return -1;
	}
	return 0;
}

/*
 * --list-trust-stores: the named stores and the dates their history
 * covers (with --at, the version in force then), on standard output.
 * 0, or -1 after a diagnostic.
 */
int
engine_list_trust_stores(const struct engine_opts *o, const char *format)
{
	struct tstore_db *db;
	int r;

	if ((db = builtin_truststores(say_line, NULL)) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		return -1;
	}
	r = tstore_list(stdout, db, format, o->at_set, o->now,
	    SYSTEM_CA_FILE);
	if (fflush(stdout) == EOF || ferror(stdout))
		r = -1;
	tstore_db_free(db);
	if (r < 0) {
		fprintf(stderr, "chainaudit: (stdout): cannot write the "
		    "trust store list\n");
		return -1;
	}
	return 0;
}

/*
 * Build the engine; see engine.h.
 */
int
engine_open(struct engine *e, const struct engine_opts *o)
{
	struct judge_params *params = &e->params;

	memset(e, 0, sizeof(*e));
	params->now = o->now;
	params->sha1_sunset = o->sha1_sunset;
	params->sha1_sunset_never = o->sha1_never;
	params->warn_days = o->warn_days;
	params->profile = o->profile;
	params->strict_anchors = o->strict_anchors;
	params->max_depth_set = o->max_depth_set;
	params->max_depth = o->max_depth;
	params->host = o->host;
	path_params_default(&params->path, o->now);
	if ((e->store = trust_store_new()) == NULL ||
	    (e->sigs = sig_cache_new()) == NULL ||
	    (e->certs = cert_cache_new(0)) == NULL) {
		fprintf(stderr, "chainaudit: out of memory\n");
		goto fail;
	}
	if (!o->no_known_intermediates)
		e->corpus = open_corpus(o);
	trust_store_set_corpus(e->store, e->corpus);
	if (named_choose(o, o->now, o->real_now, &e->named) < 0 ||
	    load_store(o, e, e->store, &e->named) < 0 ||
	    (e->distrust = load_distrust(o, e->store)) == NULL ||
	    named_load_others(&e->named, e->store) < 0)
		goto fail;
	params->distrust = e->distrust;
	/* NULL (nothing loaded) leaves the built-in list: suffix.h. */
	e->suffixes = suffix_list_open();
	params->suffixes = e->suffixes;
	params->certs = e->certs;
	params->stores = e->named.stores;
	params->nstores = e->named.n;
	/* Before any worker thread: it starts libcurl. */
	if (aia_setup(o, &e->aia) < 0)
		goto fail;
	if (e->aia != NULL && (o->fetch_aia || o->aia_cache != NULL)) {
		params->fetch_issuer = aia_fetch;
		params->fetch_arg = e->aia;
	}
	if (e->aia != NULL && o->ocsp) {
		params->fetch_ocsp = aia_ocsp;
		params->ocsp_arg = e->aia;
	}
	if (load_crls(o, e) < 0)
		goto fail;
	params->crls = e->crls;
	return 0;
fail:
	engine_close(e);
	return -1;
}

void
engine_close(struct engine *e)
{
	aia_fetcher_free(e->aia);
	crl_set_free(e->crls);
	sig_cache_free(e->sigs);
	cert_cache_free(e->certs);
	distrust_free(e->distrust);
	suffix_list_close(e->suffixes);
	named_free(&e->named);
	trust_store_free(e->store);
	corpus_free(e->corpus);
	memset(e, 0, sizeof(*e));
}
