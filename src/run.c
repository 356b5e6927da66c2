/*
 * run.c: targets, and the sources of files and live hosts; see run.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certcache.h"
#include "live.h"
#include "pool.h"
#include "run.h"
#include "source.h"

struct target_sink {
	const struct target	*t;
	audit_sink		 sink;
	void			*arg;
};

/* judge_input's sink: attach what the target knows, pass it on. */
static int
attach(struct audit *a, void *arg)
{
	struct target_sink *ts = arg;

	if (ts->t->tls != NULL && (a->tls = live_tls(ts->t->tls)) == NULL)
		goto nomem;
	if (ts->t->contact != NULL && a->contact == NULL &&
	    (a->contact = strdup(ts->t->contact)) == NULL)
		goto nomem;
	return ts->sink(a, ts->arg);
nomem:
	audit_free(a);
	return -1;
}

/*
 * Judge one target; see run.h.
 */
int
run_target(const struct engine *e, const struct target *t, audit_sink sink,
    void *arg)
{
	struct judge_params params = e->params;
	struct target_sink ts;

	if (t->host != NULL)
		params.host = t->host;
	params.staple_asked = t->staple_asked;
	params.staple = t->staple;
	params.staple_len = t->staple_len;
	ts.t = t;
	ts.sink = sink;
	ts.arg = arg;
	return judge_input(t->name, t->chain, t->bundle, &params, e->store,
	    e->sigs, attach, &ts);
}

/*
 * Decode with the run's certificate cache; see run.h.
 */
int
run_decode(const struct engine *e, const unsigned char *buf, size_t len,
    struct der_list *out)
{
	struct pem_known known;

	cert_cache_known(e->certs, &known);
	return pem_decode_known(buf, len, &known, out);
}

/* ---- files ------------------------------------------------------------- */

static void
run_file(const struct engine *e, const char *path, int bundle,
    struct sinks *s)
{
	struct der_list blobs;
	struct target t;
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN];
	size_t len;

	memset(&t, 0, sizeof(t));
	t.origin = strcmp(path, "-") == 0 ? TARGET_STDIN : TARGET_FILE;
	t.name = t.origin == TARGET_STDIN ? "(stdin)" : path;
	t.bundle = bundle;
	t.chain = &blobs;
	memset(&blobs, 0, sizeof(blobs));
	if (file_read_all(path, &buf, &len, err, sizeof(err)) < 0) {
		sinks_error(s, t.name, err);
		goto out;
	}
	if (run_decode(e, buf, len, &blobs) < 0) {
		sinks_error(s, t.name, "out of memory");
		goto out;
	}
	if (run_target(e, &t, sinks_take, s) < 0)
		sinks_error(s, t.name, "out of memory");
out:
	sinks_step(s);
	der_list_free(&blobs);
	free(buf);
}

void
run_files(const struct engine *e, char *const *args, size_t nargs,
    int bundle, struct sinks *s)
{
	struct path_list files;
	char err[ERRBUF_LEN];
	size_t i, j;

	memset(&files, 0, sizeof(files));
	for (i = 0; i < nargs; i++) {
		if (net_arg_is_target(args[i]))
			continue;	/* run_hosts takes it */
		if (source_expand(args[i], &files, err, sizeof(err)) < 0) {
			sinks_error(s, args[i], err);
			continue;
		}
		/* The total grows as each argument is expanded. */
		progress_set_total(&s->progress, s->progress.total + files.n);
		for (j = 0; j < files.n; j++)
			run_file(e, files.v[j], bundle, s);
		path_list_free(&files);
	}
}

/* ---- live hosts -------------------------------------------------------- */

/*
 * Handshakes run on net_run's event loop, audits on the worker pool
 * (pool.h, the database scan's too), so that a chain slow to audit holds
 * up no other target's handshake.  Each result is copied out of the sink
 * call into an item put under its input slot (target, then key type),
 * and the pool's consumer thread hands the audits to the sinks in slot
 * order, so reports come in input order whatever finishes first.  The
 * loop starts a handshake only when its slot is inside the pool's
 * window, so memory stays bounded however long the list.
 */
#define LIVE_WINDOW_PER_CONN	64	/* window slots per -c handshake */

struct live_item {
	char		*source;	/* owned, NULL: out of memory */
	char		*error;		/* owned, or NULL: a chain */
	char		*host;		/* owned, or NULL: the engine's */
	struct audit_tls *tls;		/* owned: the handshake's facts */
	struct der_list	 chain;		/* owned */
	unsigned char	*staple;	/* owned: the stapled OCSP response,
					   NULL when none */
	size_t		 staple_len;
	struct audit	**audits;	/* owned array of owned */
	size_t		 naudits, cap;
	int		 oom;
	int		 none;		/* --all-keys: no such key, nothing */
};

struct live {
	const struct engine	*e;
	struct sinks		*s;
	struct pool		*pool;
	const struct net_target	*base;	/* borrowed: the targets' array */
	size_t			 per;	/* slots a target: key types */
	int			 lost;	/* a result had no slot to go to */
};

/* A view of t's strings as the handshake facts a target carries. */
static void
tls_view(const struct audit_tls *t, struct net_tls *v)
{
	v->target = t->target;
	v->address = t->address;
	v->sni = t->sni;
	v->starttls = t->starttls;
	v->key_type = t->key_type;
	v->protocol = t->protocol;
	v->cipher = t->cipher;
	v->server_sign = t->server_sign;
}

/* The pool's clear: free what the item owns. */
static void
live_item_clear(void *item, void *arg)
{
	struct live_item *j = item;
	size_t i;

	(void)arg;
	free(j->source);
	free(j->error);
	free(j->host);
	free(j->staple);
	audit_tls_free(j->tls);
	der_list_free(&j->chain);
	for (i = 0; i < j->naudits; i++)
		audit_free(j->audits[i]);
	free(j->audits);
	memset(j, 0, sizeof(*j));
}

/* Copy into j everything the worker needs of r.  0, or -1 on ENOMEM. */
static int
live_item_fill(const struct live *lv, const struct net_result *r,
    struct live_item *j)
{
	size_t i;

	if ((j->source = strdup(r->source)) == NULL ||
	    (j->tls = live_tls(&r->tls)) == NULL)
		return -1;
	if (r->none) {
		j->none = 1;
		return 0;
	}
	if (r->error != NULL)
		return (j->error = strdup(r->error)) != NULL ? 0 : -1;
	/*
	 * The hostname check is on for live targets, against the name a
	 * client would ask for: --host, else the SNI sent, else the host
	 * (an address literal is checked against the IP addresses).
	 */
	if (lv->e->params.host == NULL &&
	    (j->host = strdup(live_host(r->target))) == NULL)
		return -1;
	for (i = 0; i < r->chain->n; i++)
		if (der_list_add(&j->chain, r->chain->v[i].der,
		    r->chain->v[i].len) < 0)
			return -1;
	for (i = 0; i < r->chain->nerrors; i++)
		if (der_list_error(&j->chain, "%s", r->chain->errors[i]) < 0)
			return -1;
	if (r->staple != NULL && r->staple_len > 0) {
		if ((j->staple = malloc(r->staple_len)) == NULL)
			return -1;
		memcpy(j->staple, r->staple, r->staple_len);
		j->staple_len = r->staple_len;
	}
	return 0;
}

/* run_target's sink on a worker: keep the audit for the consumer. */
static int
live_item_keep(struct audit *a, void *arg)
{
	struct live_item *j = arg;

	if (array_reserve(&j->audits, &j->cap, j->naudits + 1,
	    sizeof(*j->audits)) < 0) {
		audit_free(a);
		return -1;
	}
	j->audits[j->naudits++] = a;
	return 0;
}

/* The pool's work: judge the chain as sent, or record why there is none. */
static void
live_audit(void *item, void *arg)
{
	struct live_item *j = item;
	const struct live *lv = arg;
	struct net_tls tls;
	struct audit *a;
	struct target t;

	if (j->oom || j->none)
		return;
	tls_view(j->tls, &tls);
	if (j->error != NULL) {
		if ((a = audit_error(j->source, "%s", j->error)) == NULL)
			j->oom = 1;
		else {
			a->bad_input = 1;
			a->tls = live_tls(&tls);
			j->oom = live_item_keep(a, j) < 0;
		}
		return;
	}
	memset(&t, 0, sizeof(t));
	t.name = j->source;
	t.origin = TARGET_HANDSHAKE;
	t.chain = &j->chain;
	t.tls = &tls;
	t.host = j->host;
	t.staple_asked = 1;	/* every handshake asks (net.c) */
	t.staple = j->staple;
	t.staple_len = j->staple_len;
	j->oom = run_target(lv->e, &t, live_item_keep, j) < 0;
}

/* The pool's consumer, in slot order: report the item's audits. */
static void
live_report(void *item, void *arg)
{
	struct live_item *j = item;
	struct live *lv = arg;
	size_t i;

	for (i = 0; i < j->naudits; i++) {
		sinks_take(j->audits[i], lv->s);
		j->audits[i] = NULL;
	}
	j->naudits = 0;
	if (j->oom)
		sinks_error(lv->s, j->source != NULL ? j->source :
		    "(live target)", j->error != NULL ? j->error :
		    "out of memory");
}

/* net_run's admit: start handshake i when its slot is in the window. */
static int
live_admit(size_t i, void *arg)
{
	struct live *lv = arg;

	return pool_room(lv->pool, (int64_t)i);
}

/* net_run's sink: put the result under its slot for a worker. */
static int
live_sink(const struct net_result *r, void *arg)
{
	struct live *lv = arg;
	struct live_item j;
	size_t slot;

	slot = (size_t)(r->target - lv->base) * lv->per +
	    (lv->per > 1 && r->tls.key_type != NULL &&
	    strcmp(r->tls.key_type, "rsa") == 0);
	memset(&j, 0, sizeof(j));
	if (live_item_fill(lv, r, &j) < 0)
		j.oom = 1;
	if (pool_put_at(lv->pool, (int64_t)slot, &j) < 0) {
		live_item_clear(&j, lv);
		lv->lost = 1;
	}
	return 0;
}

static void
bad_target(const char *where, const char *reason, void *arg)
{
	struct live *lv = arg;

	sinks_error(lv->s, where, reason);
}

/*
 * Collect the live targets of the arguments and the host lists,
 * reporting each bad one as an error target.  0, or -1 on ENOMEM.
 */
static int
live_targets(struct live *lv, const struct run_hosts_opts *o,
    struct net_targets *list)
{
	struct net_target t;
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN];
	const char *name;
	size_t i, len;
	int r;

	for (i = 0; i < o->nargs; i++) {
		if (!net_arg_is_target(o->args[i]))
			continue;
		if (net_target_parse(o->args[i], o->sni, o->connect,
		    o->starttls, &t, err, sizeof(err)) < 0) {
			sinks_error(lv->s, o->args[i], err);
			continue;
		}
		if (net_targets_add(list, &t) < 0) {
			net_target_free(&t);
			return -1;
		}
	}
	for (i = 0; i < o->nlists; i++) {
		name = strcmp(o->lists[i], "-") == 0 ? "(stdin)" : o->lists[i];
		if (file_read_all(o->lists[i], &buf, &len, err,
		    sizeof(err)) < 0) {
			sinks_error(lv->s, name, err);
			continue;
		}
		r = net_targets_parse_list((const char *)buf, len, name,
		    o->sni, o->starttls, list, bad_target, lv);
		free(buf);
		buf = NULL;
		if (r < 0)
			return -1;
	}
	return 0;
}

void
run_hosts(const struct engine *e, const struct run_hosts_opts *o,
    struct sinks *s)
{
	static const struct pool_ops ops = {
		.item_size = sizeof(struct live_item),
		.work = live_audit,
		.deliver = live_report,
		.clear = live_item_clear,
	};
	struct net_targets targets;
	struct net_params np = o->net;
	struct live lv;
	size_t window;

	memset(&targets, 0, sizeof(targets));
	memset(&lv, 0, sizeof(lv));
	lv.e = e;
	lv.s = s;
	if (live_targets(&lv, o, &targets) < 0) {
		fprintf(stderr, "chainaudit: out of memory\n");
		s->trouble = 1;
		goto out;
	}
	if (targets.n == 0)
		goto out;
	lv.base = targets.v;
	lv.per = o->net.all_keys ? 2 : 1;
	/*
	 * Results wait in the window for the slowest handshake before
	 * them.  64 slots a concurrent handshake (4096 at -c 64) let the
	 * loop go on past one that times out: at the default 10 s the
	 * others would have to finish over 400 a second to fill it.
	 */
	window = (size_t)pool_jobs(o->jobs) * POOL_WINDOW_PER_JOB;
	if (window < (size_t)np.concurrency * LIVE_WINDOW_PER_CONN)
		window = (size_t)np.concurrency * LIVE_WINDOW_PER_CONN;
	np.admit = live_admit;
	np.admit_arg = &lv;
	if ((lv.pool = pool_new(o->jobs, window, &ops,
	    &lv)) == NULL || net_run(&targets, &np, live_sink, &lv) < 0) {
		fprintf(stderr, "chainaudit: cannot run the handshakes (out "
		    "of memory or threads)\n");
		s->trouble = 1;
	}
	/* Every audit to its end and reported, in order. */
	pool_end(lv.pool);
	if (lv.lost)
		sinks_error(s, "(live targets)", "a handshake result came "
		    "twice or out of its slot");
out:
	net_targets_free(&targets);
}
