/*
 * run.c: targets, and the sources of files and live hosts; see run.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live.h"
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
	if (pem_decode(buf, len, &blobs) < 0) {
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

struct live {
	const struct engine	*e;
	struct sinks		*s;
};

/* net_run's sink: judge the chain as sent, or report why there is none. */
static int
live_sink(const struct net_result *r, void *arg)
{
	struct live *lv = arg;
	struct audit *a;
	struct target t;

	if (r->error != NULL) {
		if ((a = audit_error(r->source, "%s", r->error)) == NULL) {
			sinks_error(lv->s, r->source, r->error);
			return 0;
		}
		a->bad_input = 1;
		a->tls = live_tls(&r->tls);
		return sinks_take(a, lv->s);
	}
	memset(&t, 0, sizeof(t));
	t.name = r->source;
	t.origin = TARGET_HANDSHAKE;
	t.chain = r->chain;
	t.tls = &r->tls;
	t.staple_asked = 1;
	t.staple = r->staple;
	t.staple_len = r->staple_len;
	/*
	 * The hostname check is on for live targets, against the name a
	 * client would ask for: --host, else the SNI sent, else the host
	 * (an address literal is checked against the IP addresses).
	 */
	if (lv->e->params.host == NULL)
		t.host = live_host(r->target);
	if (run_target(lv->e, &t, sinks_take, lv->s) < 0)
		sinks_error(lv->s, r->source, "out of memory");
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

	memset(&targets, 0, sizeof(targets));
	lv.e = e;
	lv.s = s;
	if (live_targets(&lv, o, &targets) < 0) {
		fprintf(stderr, "chainaudit: out of memory\n");
		s->trouble = 1;
		goto out;
	}
	if (targets.n > 0 && net_run(&targets, &o->net, live_sink, &lv) < 0) {
		fprintf(stderr, "chainaudit: cannot run the handshakes (out "
		    "of memory or threads)\n");
		s->trouble = 1;
	}
out:
	net_targets_free(&targets);
}
