/*
 * run.c: targets, and the sources of files and live hosts; see run.h.
 */
#include <config.h>

#include <pthread.h>
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
 * Handshakes run on net_run's event loop, audits on a pool of workers,
 * so that a chain slow to audit holds up no other target's handshake.
 * Each result is copied out of the sink call into a job in its input
 * slot (target, then key type); the loop thread hands finished jobs to
 * the sinks in slot order, so reports come in input order whatever
 * finishes first.  Under --all-keys a slot may never fill (the server
 * has no such key), so those are handed on when every handshake is done.
 */
struct live_job {
	struct live	*lv;
	char		*source;	/* owned */
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
	int		 done;		/* under lv->lock */
};

struct live {
	const struct engine	*e;
	struct sinks		*s;
	struct pool		*pool;
	pthread_mutex_t		 lock;
	const struct net_target	*base;	/* borrowed: the targets' array */
	size_t			 per;	/* slots a target: key types */
	struct live_job		**slots;	/* owned array of owned */
	size_t			 nslots, next;	/* next slot to hand on */
	int			 ended;	/* net_run returned */
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

static void
live_job_free(struct live_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	free(j->source);
	free(j->error);
	free(j->host);
	free(j->staple);
	audit_tls_free(j->tls);
	der_list_free(&j->chain);
	for (i = 0; i < j->naudits; i++)
		audit_free(j->audits[i]);
	free(j->audits);
	free(j);
}

/* The job of r, a copy of everything the worker needs; NULL on ENOMEM. */
static struct live_job *
live_job_new(struct live *lv, const struct net_result *r)
{
	struct live_job *j;
	size_t i;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->lv = lv;
	if ((j->source = strdup(r->source)) == NULL ||
	    (j->tls = live_tls(&r->tls)) == NULL)
		goto fail;
	if (r->error != NULL) {
		if ((j->error = strdup(r->error)) == NULL)
			goto fail;
		return j;
	}
	/*
	 * The hostname check is on for live targets, against the name a
	 * client would ask for: --host, else the SNI sent, else the host
	 * (an address literal is checked against the IP addresses).
	 */
	if (lv->e->params.host == NULL &&
	    (j->host = strdup(live_host(r->target))) == NULL)
		goto fail;
	for (i = 0; i < r->chain->n; i++)
		if (der_list_add(&j->chain, r->chain->v[i].der,
		    r->chain->v[i].len) < 0)
			goto fail;
	for (i = 0; i < r->chain->nerrors; i++)
		if (der_list_error(&j->chain, "%s", r->chain->errors[i]) < 0)
			goto fail;
	if (r->staple != NULL && r->staple_len > 0) {
		if ((j->staple = malloc(r->staple_len)) == NULL)
			goto fail;
		memcpy(j->staple, r->staple, r->staple_len);
		j->staple_len = r->staple_len;
	}
	return j;
fail:
	live_job_free(j);
	return NULL;
}

/* run_target's sink on a worker: keep the audit for the loop thread. */
static int
live_job_keep(struct audit *a, void *arg)
{
	struct live_job *j = arg;

	if (array_reserve(&j->audits, &j->cap, j->naudits + 1,
	    sizeof(*j->audits)) < 0) {
		audit_free(a);
		return -1;
	}
	j->audits[j->naudits++] = a;
	return 0;
}

/* A pool job: judge the chain as sent, or record why there is none. */
static void
live_audit(void *arg)
{
	struct live_job *j = arg;
	struct net_tls tls;
	struct audit *a;
	struct target t;

	tls_view(j->tls, &tls);
	if (j->error != NULL) {
		if ((a = audit_error(j->source, "%s", j->error)) == NULL)
			j->oom = 1;
		else {
			a->bad_input = 1;
			a->tls = live_tls(&tls);
			j->oom = live_job_keep(a, j) < 0;
		}
	} else {
		memset(&t, 0, sizeof(t));
		t.name = j->source;
		t.origin = TARGET_HANDSHAKE;
		t.chain = &j->chain;
		t.tls = &tls;
		t.host = j->host;
		t.staple_asked = 1;	/* every handshake asks (net.c) */
		t.staple = j->staple;
		t.staple_len = j->staple_len;
		j->oom = run_target(j->lv->e, &t, live_job_keep, j) < 0;
	}
	pthread_mutex_lock(&j->lv->lock);
	j->done = 1;
	pthread_mutex_unlock(&j->lv->lock);
}

/* Report one finished job in full, then free it (loop thread only). */
static void
live_report(struct live *lv, struct live_job *j)
{
	size_t i;

	for (i = 0; i < j->naudits; i++) {
		sinks_take(j->audits[i], lv->s);
		j->audits[i] = NULL;
	}
	if (j->oom)
		sinks_error(lv->s, j->source, j->error != NULL ? j->error :
		    "out of memory");
	live_job_free(j);
}

/*
 * Hand on the finished jobs at the head of the slot order.  A slot
 * still empty stops it, unless every handshake is done (--all-keys
 * leaves a slot empty for a key the server does not have).
 */
static void
live_release(struct live *lv)
{
	struct live_job *j;

	for (;;) {
		pthread_mutex_lock(&lv->lock);
		while (lv->next < lv->nslots && lv->ended &&
		    lv->slots[lv->next] == NULL)
			lv->next++;
		j = NULL;
		if (lv->next < lv->nslots && lv->slots[lv->next] != NULL &&
		    lv->slots[lv->next]->done &&
		    (lv->per == 1 || lv->ended)) {
			j = lv->slots[lv->next];
			lv->slots[lv->next++] = NULL;
		}
		pthread_mutex_unlock(&lv->lock);
		if (j == NULL)
			return;
		live_report(lv, j);
	}
}

/* net_run's sink: queue the result's audit, hand on what is finished. */
static int
live_sink(const struct net_result *r, void *arg)
{
	struct live *lv = arg;
	struct live_job *j;
	size_t slot;

	slot = (size_t)(r->target - lv->base) * lv->per +
	    (lv->per > 1 && r->tls.key_type != NULL &&
	    strcmp(r->tls.key_type, "rsa") == 0);
	if (slot >= lv->nslots || lv->slots[slot] != NULL ||
	    (j = live_job_new(lv, r)) == NULL) {
		sinks_error(lv->s, r->source, slot >= lv->nslots ||
		    lv->slots[slot] != NULL ? "handshake reported twice" :
		    "out of memory");
		return 0;
	}
	lv->slots[slot] = j;
	if (pool_submit(lv->pool, live_audit, j) < 0) {
		j->oom = 1;
		j->done = 1;
	}
	live_release(lv);
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
	struct net_targets targets;
	struct live lv;
	size_t i;

	memset(&targets, 0, sizeof(targets));
	memset(&lv, 0, sizeof(lv));
	lv.e = e;
	lv.s = s;
	pthread_mutex_init(&lv.lock, NULL);
	if (live_targets(&lv, o, &targets) < 0) {
		fprintf(stderr, "chainaudit: out of memory\n");
		s->trouble = 1;
		goto out;
	}
	if (targets.n == 0)
		goto out;
	lv.base = targets.v;
	lv.per = o->net.all_keys ? 2 : 1;
	lv.nslots = targets.n * lv.per;
	if ((lv.slots = calloc(lv.nslots, sizeof(*lv.slots))) == NULL ||
	    (lv.pool = pool_new(o->jobs)) == NULL ||
	    net_run(&targets, &o->net, live_sink, &lv) < 0) {
		fprintf(stderr, "chainaudit: cannot run the handshakes (out "
		    "of memory or threads)\n");
		s->trouble = 1;
	}
	/* Every audit to its end, then every one left, in order. */
	pool_free(lv.pool);
	lv.ended = 1;
	if (lv.slots != NULL)
		live_release(&lv);
out:
	for (i = 0; lv.slots != NULL && i < lv.nslots; i++)
		live_job_free(lv.slots[i]);
	free(lv.slots);
	pthread_mutex_destroy(&lv.lock);
	net_targets_free(&targets);
}
