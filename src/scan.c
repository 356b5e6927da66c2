/*
 * scan.c: a database of domains through the engine; see scan.h.
 *
 * The rows go through the worker pool (pool.h) that live targets use
 * too: the reader (the caller's thread) puts each row in order, the
 * pool's workers audit rows and make their result records, and its
 * consumer, the writer here, writes them strictly in row order in
 * batched transactions and shows every audit to the report view.  The
 * pool bounds the rows in memory by its window, whatever the table.
 *
 * With --live the reader first gathers a batch of rows, handshakes them
 * all with one net_run (its -c concurrency, results in any order, each
 * kept in its row's item), then puts the batch in row order.  A batch
 * of 4 * -c rows (256 to 4096) keeps net_run's slots busy and the
 * memory bounded: its rows, their served chains and the window.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caname.h"
#include "chaindiff.h"
#include "live.h"
#include "pem.h"
#include "pool.h"
#include "run.h"
#include "scan.h"

#define COMMIT_SECONDS	1	/* an open batch is committed this soon */
#define FAR_FUTURE	((time_t)253402300799)	/* 9999-12-31T23:59:59Z */
#define LIVE_BATCH_PER_CONN	4	/* --live rows per net_run slot */
#define LIVE_BATCH_MIN		256
#define LIVE_BATCH_MAX		4096
#define DIFF_LEN		512	/* a served-chain-differs message */

enum item_kind {
	ITEM_AUDIT = 0,
	ITEM_CARRY,		/* --changed-only: copy the previous result */
};

/* --live: what the handshake of one row showed (the net_run sink's). */
struct served {
	int		 done;		/* the sink (or the target parse) ran */
	char		*error;		/* owned: why no chain was served */
	char		*host;		/* owned: the name to check */
	struct der_list	 chain;		/* owned: the chain as sent */
	char		 sha256[SHA256_HEX_LEN];	/* of chain; "": none */
	struct audit_tls *tls;		/* owned: for the reports */
	struct der_blob	 staple;	/* owned: the stapled OCSP response,
					   der NULL when none */
};

struct item {
	enum item_kind	 kind;
	struct store_row row;		/* owned */
	struct store_previous prev;	/* ITEM_CARRY */
	int		 live;		/* audit served, not the stored chain */
	struct served	 served;	/* live */
	struct audit	**audits;	/* owned array of owned */
	struct record	**records;	/* owned array of owned, one an
					   audit (NULL: out of memory) */
	size_t		 naudits, cap;
	int		 oom;		/* an audit could not be made */
};

/*
 * What the results tables get for one audit.  The worker makes it, so
 * that the writer, the one thread every row passes through, only binds
 * and steps.  One allocation: the findings and strings follow the
 * struct in the same block, sized before it is made.
 */
struct record {
	struct store_result r;		/* borrows the item and below */
	struct store_finding *findings;	/* in this block */
	char		*path, *issuer, *anchor;	/* in this block, or
							   NULL */
	char		 rowname[32];	/* the domain of a NULL one */
};

/*
 * Row blocks the workers are done with, for the reader to fill again
 * (store_give_block): freed by a worker, a block the reader made cost
 * glibc's arena lock and consolidation on both sides (a tenth of the
 * reader's time on a 4 KB row).  At most SPARE_BLOCKS wait, none over
 * SPARE_MAX_BYTES (a table of huge chains keeps no more than before);
 * the rest are freed.
 */
#define SPARE_BLOCKS	64
#define SPARE_MAX_BYTES	(64 * 1024)

struct spares {
	pthread_mutex_t	 lock;		/* guards v and n */
	struct store_block v[SPARE_BLOCKS];	/* owned */
	size_t		 n;
};

struct scan {
	const struct scan_params *p;
	struct store	*st;
	struct spares	 spares;	/* workers -> the reader */
	struct pool	*pool;		/* owned: workers and the writer */
	int		 failed;	/* the writer could not write */
	char		 err[ERRBUF_LEN];	/* why it failed */
	int		 open;		/* the writer has a batch open */
	double		 batch_start;	/* when it was opened */
	struct scan_stats stats;	/* writer's, except rows/skipped */
};

static void
record_free(struct record *rec)
{
	free(rec);
}

static void
item_clear(struct item *it)
{
	size_t i;

	store_row_free(&it->row);
	free(it->served.error);
	free(it->served.host);
	der_list_free(&it->served.chain);
	free(it->served.staple.der);
	audit_tls_free(it->served.tls);
	for (i = 0; i < it->naudits; i++) {
		audit_free(it->audits[i]);
		if (it->records != NULL)
			record_free(it->records[i]);
	}
	free(it->audits);
	free(it->records);
	memset(it, 0, sizeof(*it));
}

/* ---- result records ------------------------------------------------------ */

time_t
scan_recheck_after(const struct audit *a, time_t now, unsigned warn_days,
    time_t policy_change)
{
	const struct audit_cert *c;
	time_t t = FAR_FUTURE, cand[3];
	size_t i, k;

	for (i = 0; i < a->ncerts; i++) {
		c = &a->certs[i];
		cand[0] = c->not_before;
		cand[1] = c->not_after + 1;
		cand[2] = c->not_after - (time_t)warn_days * 86400;
		for (k = 0; k < 3; k++)
			if (cand[k] > now && cand[k] < t)
				t = cand[k];
	}
	if (policy_change > now && policy_change < t)
		t = policy_change;
	return t;
}

#define SUMMARY_NAME_MAX	255	/* of one name in a path summary */

/* Node i's short name as the path summary gives it: its length. */
static size_t
summary_name(const struct audit *a, size_t i, const char **name)
{
	const struct audit_node *n = &a->path.nodes[i];
	size_t len;

	*name = n->cert >= 0 ? a->certs[n->cert].short_name : "?";
	len = strlen(*name);
	return len < SUMMARY_NAME_MAX ? len : SUMMARY_NAME_MAX;
}

/*
 * The record's strings, into out (NULL: only count): the path summary
 * "a < b < c", the chosen path's short names (each cut at 255 bytes),
 * leaf first; its anchor's name, when it is complete; the issuing CA as
 * caname.h names it from the leaf (ca: the leaf issuer's DN, or NULL):
 * the same name with or without a path.  The bytes they take.
 */
static size_t
record_strings(struct record *rec, const struct audit *a, const char *ca,
    char *out)
{
	const struct audit_path *p = &a->path;
	const char *name;
	size_t i, len, at = 0;

	if (p->chosen && a->path.nnodes > 0) {
		if (out != NULL)
			rec->path = out;
		for (i = 0; i < p->nnodes; i++) {
			if (i > 0 && out != NULL)
				memcpy(out + at, " < ", 3);
			at += i > 0 ? 3 : 0;
			len = summary_name(a, i, &name);
			if (out != NULL)
				memcpy(out + at, name, len);
			at += len;
		}
		if (out != NULL)
			out[at] = '\0';
		at++;
		if (p->nnodes > 1 && p->complete) {
			len = summary_name(a, p->nnodes - 1, &name);
			if (out != NULL) {
				rec->anchor = out + at;
				memcpy(rec->anchor, name, len);
				rec->anchor[len] = '\0';
			}
			at += len + 1;
		}
	}
	if (ca != NULL) {
		len = strlen(ca);
		if (out != NULL) {
			rec->issuer = out + at;
			memcpy(rec->issuer, ca, len + 1);
		}
		at += len + 1;
	}
	return at;
}

/*
 * The record of audit a of item it (which must stay where it is while
 * the record lives), or NULL when out of memory.
 */
static struct record *
record_make(const struct scan *s, const struct item *it,
    const struct audit *a)
{
	const struct scan_params *p = s->p;
	const struct finding_info *fi;
	struct store_finding *fs;
	struct store_result *r;
	struct record *rec;
	char cabuf[CA_NAME_LEN];
	const char *ca = NULL, *dn;
	size_t i, size;

	if (a->error == NULL && a->leaf >= 0 &&
	    (dn = audit_issuer_dn(a, (size_t)a->leaf)) != NULL)
		ca = ca_name(dn, cabuf, sizeof(cabuf));
	size = sizeof(*rec) + a->nfindings * sizeof(*rec->findings);
	if ((rec = calloc(1, size + (a->error == NULL ?
	    record_strings(NULL, a, ca, NULL) : 0))) == NULL)
		return NULL;
	rec->findings = (struct store_finding *)(rec + 1);
	r = &rec->r;
	r->row_number = it->row.number;
	r->domain = it->row.domain;
	if (r->domain == NULL) {
		snprintf(rec->rowname, sizeof(rec->rowname), "(row %lld)",
		    (long long)it->row.number);
		r->domain = rec->rowname;
	}
	r->contact = it->row.contact;
	r->row_key = it->row.key;
	r->chain_sha256 = it->row.chain != NULL ? it->row.chain_sha256 : NULL;
	r->live = it->live;
	r->served_chain_sha256 = it->live && it->served.sha256[0] != '\0' ?
	    it->served.sha256 : NULL;
	r->verdict = report_verdict(a, p->opts);
	r->worst_severity = severity_name(a->worst);
	r->trusted = a->trusted;
	r->error = a->error;
	if (a->error == NULL) {
		record_strings(rec, a, ca, (char *)rec + size);
		r->recheck_after = scan_recheck_after(a, p->engine->params.now,
		    p->engine->params.warn_days, p->policy_change);
	}
	r->path = rec->path;
	r->issuer = rec->issuer;
	r->anchor = rec->anchor;
	fs = rec->findings;
	for (i = 0; i < a->nfindings; i++) {
		fi = finding_info(a->findings[i].id);
		fs[i].code = fi->code;
		fs[i].severity = severity_name(fi->severity);
		fs[i].cert_sha256 = a->findings[i].cert >= 0 &&
		    (size_t)a->findings[i].cert < a->ncerts ?
		    a->certs[a->findings[i].cert].sha256 : NULL;
		fs[i].message = a->findings[i].message;
		fs[i].fix = finding_fix(&a->findings[i]);
		fs[i].deadline = a->findings[i].deadline;
	}
	r->findings = fs;
	r->nfindings = a->nfindings;
	return rec;
}

/* Make a record for every audit of it; an allocation failure leaves NULL. */
static void
records_make(const struct scan *s, struct item *it)
{
	size_t i;

	if (it->naudits == 0 ||
	    (it->records = calloc(it->naudits, sizeof(*it->records))) == NULL)
		return;
	for (i = 0; i < it->naudits; i++)
		it->records[i] = record_make(s, it, it->audits[i]);
}

/* ---- workers -------------------------------------------------------------- */

/* judge_input's sink: keep the audit in the item for the writer. */
static int
collect(struct audit *a, void *arg)
{
	struct item *it = arg;

	if (array_reserve(&it->audits, &it->cap, it->naudits + 1,
	    sizeof(*it->audits)) < 0) {
		audit_free(a);
		it->oom = 1;
		return -1;
	}
	it->audits[it->naudits++] = a;
	return 0;
}

static void
add_error(struct item *it, const char *source, const char *reason)
{
	struct audit *a;

	if ((a = audit_error(source, "%s", reason)) == NULL) {
		it->oom = 1;
		return;
	}
	a->bad_input = 1;
	collect(a, it);
}

/*
 * --live: audit the served chain of item it against its host, give each
 * audit the handshake's facts, and flag a chain that differs from the
 * stored one.  A failed handshake is an audit with an error.
 */
static void
audit_served(struct scan *s, struct item *it, const char *source)
{
	const struct scan_params *p = s->p;
	struct served *sv = &it->served;
	struct der_list stored;
	struct target t;
	struct audit *a;
	char diff[DIFF_LEN];
	size_t i, first = it->naudits;
	int differs = 0;

	if (!sv->done) {
		add_error(it, source, "no handshake was made");
		return;
	}
	if (sv->error != NULL) {
		if ((a = audit_error(source, "%s", sv->error)) == NULL) {
			it->oom = 1;
			return;
		}
		a->bad_input = 1;
		a->tls = sv->tls;
		sv->tls = NULL;
		collect(a, it);
		return;
	}
	memset(&t, 0, sizeof(t));
	t.name = source;
	t.origin = TARGET_HANDSHAKE;
	t.chain = &sv->chain;
	t.host = sv->host;
	t.contact = it->row.contact;
	t.staple_asked = 1;
	t.staple = sv->staple.der;
	t.staple_len = sv->staple.len;
	if (run_target(p->engine, &t, collect, it) < 0 &&
	    it->naudits == first) {
		add_error(it, source, "out of memory");
		return;
	}
	memset(&stored, 0, sizeof(stored));
	if ((it->row.chain != NULL && pem_decode(it->row.chain,
	    it->row.chain_len, &stored) < 0) ||
	    (differs = chaindiff_describe(&stored, &sv->chain, diff,
	    sizeof(diff))) < 0)
		it->oom = 1;
	der_list_free(&stored);
	for (i = first; i < it->naudits; i++) {
		a = it->audits[i];
		/* The first audit takes the facts; others (rare) a copy. */
		if (sv->tls != NULL) {
			a->tls = i == first ? sv->tls : audit_tls_dup(sv->tls);
			if (a->tls == NULL)
				it->oom = 1;
		}
		if (differs == 1 && audit_add_finding(a,
		    FIND_SERVED_CHAIN_DIFFERS, -1, "%s", diff) < 0)
			it->oom = 1;
	}
	if (it->naudits > first)
		sv->tls = NULL;		/* moved into the first audit */
}

static void
audit_item(struct scan *s, struct item *it)
{
	const struct scan_params *p = s->p;
	struct der_list blobs;
	struct target t;
	char srcbuf[256], *source = srcbuf;
	char rowname[32];
	const char *domain = it->row.domain;
	size_t i;
	int n;

	if (domain == NULL) {
		snprintf(rowname, sizeof(rowname), "(row %lld)",
		    (long long)it->row.number);
		domain = rowname;
	}
	/* The audits copy the name: a longer one only is allocated. */
	n = snprintf(srcbuf, sizeof(srcbuf), "db:%s:%s", p->db_name, domain);
	if (n < 0 || ((size_t)n >= sizeof(srcbuf) && asprintf(&source,
	    "db:%s:%s", p->db_name, domain) < 0)) {
		it->oom = 1;
		return;
	}
	memset(&blobs, 0, sizeof(blobs));
	if (it->row.domain == NULL)
		add_error(it, source, "the domain is NULL");
	else if (it->live)
		audit_served(s, it, source);
	else if (it->row.chain == NULL)
		add_error(it, source, "the chain is NULL");
	else if (run_decode(p->engine, it->row.chain, it->row.chain_len,
	    &blobs) < 0)
		add_error(it, source, "out of memory");
	else {
		memset(&t, 0, sizeof(t));
		t.name = source;
		t.origin = TARGET_ROW;
		t.chain = &blobs;
		t.host = it->row.domain;
		t.contact = it->row.contact;
		if (run_target(p->engine, &t, collect, it) < 0 &&
		    it->naudits == 0)
			add_error(it, source, "out of memory");
	}
	/* Errors too carry the row's number and contact into the reports. */
	for (i = 0; i < it->naudits; i++)
		it->audits[i]->db_row = (long long)it->row.number;
	for (i = 0; it->row.contact != NULL && i < it->naudits; i++)
		if (it->audits[i]->contact == NULL &&
		    (it->audits[i]->contact = strdup(it->row.contact)) == NULL)
			it->oom = 1;
	der_list_free(&blobs);
	if (source != srcbuf)
		free(source);
}

/* The pool's work: audit a row and make its records (a carry has none). */
static void
work_item(void *item, void *arg)
{
	struct item *it = item;
	struct scan *s = arg;

	if (it->kind == ITEM_AUDIT) {
		/* Here, not in the reader: it is one thread for all rows. */
		store_row_hash(&it->row);
		audit_item(s, it);
		records_make(s, it);
	}
}

/* Keep row's block for the reader when there is room. */
static void
spare_put(struct spares *sp, struct store_row *row)
{
	if (row->mem == NULL || row->mem_cap > SPARE_MAX_BYTES)
		return;
	pthread_mutex_lock(&sp->lock);
	if (sp->n < SPARE_BLOCKS) {
		sp->v[sp->n].mem = row->mem;
		sp->v[sp->n].cap = row->mem_cap;
		sp->n++;
		row->mem = NULL;
	}
	pthread_mutex_unlock(&sp->lock);
}

/* Hand a kept block, if any, to the store for its next row. */
static void
spare_give(struct spares *sp, struct store *st)
{
	struct store_block b = { NULL, 0 };

	pthread_mutex_lock(&sp->lock);
	if (sp->n > 0)
		b = sp->v[--sp->n];
	pthread_mutex_unlock(&sp->lock);
	if (b.mem != NULL)
		store_give_block(st, b.mem, b.cap);
}

static void
spares_free(struct spares *sp)
{
	while (sp->n > 0)
		free(sp->v[--sp->n].mem);
	pthread_mutex_destroy(&sp->lock);
}

/* The pool's clear: free what the row's item owns, its block aside. */
static void
clear_item(void *item, void *arg)
{
	struct scan *s = arg;
	struct item *it = item;

	spare_put(&s->spares, &it->row);
	item_clear(it);
}

/* ---- the writer ----------------------------------------------------------- */

/* The writer failed: the reader stops at its next row. */
static void
set_failed(struct scan *s)
{
	/* The reader polls it without the lock (reader_stops). */
	__atomic_store_n(&s->failed, 1, __ATOMIC_RELEASE);
}

/* Write item it and report its audits (they stay in it). */
static void
write_item(struct scan *s, struct item *it)
{
	const struct scan_params *p = s->p;
	size_t i, nfind = 0;

	if (it->kind == ITEM_CARRY) {
		if (!s->failed && store_carry_result(s->st, p->scan_id,
		    it->row.number, it->row.contact, it->row.key, &it->prev,
		    p->batch, s->err, sizeof(s->err)) < 0)
			set_failed(s);
		s->stats.carried++;
		if (it->prev.failed)
			s->stats.carried_failed++;
	} else {
		/* Short of memory, a row's results would be incomplete. */
		if ((it->naudits == 0 || it->oom || it->records == NULL) &&
		    !s->failed) {
			snprintf(s->err, sizeof(s->err), "out of memory");
			set_failed(s);
		}
		for (i = 0; i < it->naudits; i++) {
			if (!s->failed && it->records[i] == NULL) {
				snprintf(s->err, sizeof(s->err),
				    "out of memory");
				set_failed(s);
			}
			if (!s->failed && store_write_result(s->st, p->scan_id,
			    &it->records[i]->r, p->batch, s->err,
			    sizeof(s->err)) < 0)
				set_failed(s);
			nfind += it->audits[i]->nfindings;
			p->report(it->audits[i], p->report_arg);
		}
		s->stats.audited++;
	}
	if (p->progress != NULL)
		progress_step(p->progress, 1, nfind, progress_clock());
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Commit the open batch; a failure stops the reader. */
static void
writer_commit(struct scan *s)
{
	if (!s->failed && store_commit(s->st, s->err, sizeof(s->err)) < 0)
		set_failed(s);
	s->open = 0;
}

/*
 * The pool's consumer, in row order: write the row and report its
 * audits, committing the batch once it has been open COMMIT_SECONDS.
 */
static void
writer_deliver(void *item, void *arg)
{
	struct scan *s = arg;

	if (!s->open) {
		s->open = 1;
		s->batch_start = mono_now();
	}
	write_item(s, item);
	if (mono_now() - s->batch_start >= COMMIT_SECONDS)
		writer_commit(s);
}

/* The pool's flush: idle for COMMIT_SECONDS, or the end: commit. */
static void
writer_flush(void *arg)
{
	writer_commit(arg);
}

/* ---- the reader ----------------------------------------------------------- */

/*
 * --resume: 1 when scan already has row (then freed and counted), 0 when
 * it is to be audited, -1 with err on a database error.
 */
static int
row_skip(struct scan *s, struct store_row *row, char *err, size_t errlen)
{
	const struct scan_params *p = s->p;
	char name[32];
	int r;

	if (!p->resume)
		return 0;
	/* The name record_make gives a row without a domain. */
	snprintf(name, sizeof(name), "(row %lld)", (long long)row->number);
	if ((r = store_row_done(s->st, p->scan_id, row->number,
	    row->domain != NULL ? row->domain : name, err, errlen)) != 1)
		return r;
	s->stats.skipped++;
	store_row_free(row);
	return 1;
}

/*
 * --resume, every row read: the scan must hold no result beyond the
 * input's last row, else rows were removed since it began.  0, or -1
 * with err.
 */
static int
resume_check_end(struct scan *s, char *err, size_t errlen)
{
	const struct scan_params *p = s->p;
	int64_t last;

	if (!p->resume)
		return 0;
	if ((last = store_last_row(s->st, p->scan_id, err, errlen)) < 0)
		return -1;
	if (last <= (int64_t)s->stats.rows)
		return 0;
	snprintf(err, errlen, "%s: --resume: the input has %zu rows, but "
	    "scan %lld audited rows up to %lld: rows were removed since the "
	    "scan began; start a new scan (without --resume)",
	    store_results_name(s->st), s->stats.rows, (long long)p->scan_id,
	    (long long)last);
	return -1;
}

/*
 * Decide what to do with row (skip, carry or audit) and queue it.
 * 1 queued or skipped, -1 with err on a database error.
 */
static int
queue_row(struct scan *s, struct store_row *row, char *err, size_t errlen)
{
	const struct scan_params *p = s->p;
	struct item it;
	int r;

	if ((r = row_skip(s, row, err, errlen)) != 0)
		return r;
	memset(&it, 0, sizeof(it));
	it.kind = ITEM_AUDIT;
	if (p->base_scan > 0 && row->domain != NULL && row->chain != NULL) {
		store_row_hash(row);
		if ((r = store_previous(s->st, p->base_scan, row->domain,
		    row->chain_sha256, p->engine->params.now, &it.prev, err,
		    errlen)) < 0)
			return -1;
		if (r == 1)
			it.kind = ITEM_CARRY;
	}
	it.row = *row;
	memset(row, 0, sizeof(*row));
	pool_put(s->pool, &it);
	return 1;
}

/* 1 when the reader must stop: a signal, or the writer failed. */
static int
reader_stops(struct scan *s)
{
	int failed;

	if (s->p->stop != NULL && *s->p->stop) {
		s->stats.stopped = 1;
		return 1;
	}
	failed = __atomic_load_n(&s->failed, __ATOMIC_ACQUIRE);
	return failed;
}

/* Read, decide and queue every row.  0, or -1 with err. */
static int
read_stored(struct scan *s, char *err, size_t errlen)
{
	struct store_row row;
	int r;

	while (!reader_stops(s)) {
		spare_give(&s->spares, s->st);
		if ((r = store_next_domain(s->st, &row, err, errlen)) == 0)
			break;
		if (r < 0)
			return -1;
		/* A shared store numbers its rows itself (store.h). */
		s->stats.rows++;
		if (row.number == 0)
			row.number = (int64_t)s->stats.rows;
		if (queue_row(s, &row, err, errlen) < 0) {
			store_row_free(&row);
			return -1;
		}
	}
	return 0;
}

/* ---- the reader, --live ------------------------------------------------- */

/* Rows gathered for one net_run, in row order. */
struct batch {
	struct item	*items;		/* owned array of cap */
	size_t		 n, cap;
	struct net_targets targets;	/* owned: one per row with a target */
	size_t		*row_of;	/* owned: targets.v[i] is items[...] */
	volatile sig_atomic_t *stop;	/* borrowed: the scan's */
	int		 stopped;	/* the sink stopped net_run for it */
};

static void
batch_clear(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		item_clear(&b->items[i]);
	b->n = 0;
	net_targets_free(&b->targets);
	memset(&b->targets, 0, sizeof(b->targets));
}

/* net_run's sink: keep what the handshake showed in the row's item. */
static int
batch_sink(const struct net_result *r, void *arg)
{
	struct batch *b = arg;
	struct served *sv;
	size_t ti = (size_t)(r->target - b->targets.v), i;

	/* A signal: net_run drops what is in flight and returns. */
	if (b->stop != NULL && *b->stop) {
		b->stopped = 1;
		return -1;
	}
	if (ti >= b->targets.n)
		return 0;
	sv = &b->items[b->row_of[ti]].served;
	if (sv->done)
		return 0;	/* one handshake per row: not --all-keys */
	sv->done = 1;
	if ((sv->tls = live_tls(&r->tls)) == NULL)
		return -1;
	if (r->error != NULL)
		return (sv->error = strdup(r->error)) != NULL ? 0 : -1;
	if ((sv->host = strdup(live_host(r->target))) == NULL)
		return -1;
	for (i = 0; i < r->chain->n; i++)
		if (der_list_add(&sv->chain, r->chain->v[i].der,
		    r->chain->v[i].len) < 0)
			return -1;
	if (r->staple != NULL) {
		if ((sv->staple.der = malloc(r->staple_len)) == NULL)
			return -1;
		memcpy(sv->staple.der, r->staple, r->staple_len);
		sv->staple.len = r->staple_len;
	}
	if (chaindiff_sha256(&sv->chain, sv->sha256) < 0)
		sv->sha256[0] = '\0';
	return 0;
}

/*
 * Make item it (its row read) a live one: the target of its domain,
 * reached at its connect column, else at p->connect.  A domain or
 * address that does not parse is the row's error.  0, or -1 on ENOMEM.
 */
static int
batch_add(struct scan *s, struct batch *b, struct item *it)
{
	const struct scan_params *p = s->p;
	const char *connect = it->row.connect != NULL ? it->row.connect :
	    p->connect;
	struct net_target t;
	char why[ERRBUF_LEN];
	int r;

	it->live = 1;
	if (it->row.domain == NULL)
		return 0;	/* the worker reports it */
	if (net_target_parse(it->row.domain, NULL, connect, p->starttls, &t,
	    why, sizeof(why)) < 0) {
		it->served.done = 1;
		/* Blame the address when the domain alone parses. */
		if (connect != NULL && net_target_parse(it->row.domain, NULL,
		    NULL, p->starttls, &t, NULL, 0) == 0) {
			net_target_free(&t);
			r = asprintf(&it->served.error, "connect address "
			    "'%s': %s", connect, why);
		} else
			r = asprintf(&it->served.error, "not a live target: "
			    "%s", why);
		if (r < 0) {
			it->served.error = NULL;
			return -1;
		}
		return 0;
	}
	if (net_targets_add(&b->targets, &t) < 0) {
		net_target_free(&t);
		return -1;
	}
	b->row_of[b->targets.n - 1] = (size_t)(it - b->items);
	return 0;
}

/*
 * Read the rows a batch at a time, handshake each batch with net_run
 * and queue its rows in order.  0, or -1 with err.
 */
static int
read_live(struct scan *s, char *err, size_t errlen)
{
	const struct scan_params *p = s->p;
	struct batch b;
	struct store_row row;
	struct item *it;
	size_t i;
	int end = 0, r, ret = -1;

	memset(&b, 0, sizeof(b));
	b.stop = p->stop;
	b.cap = p->live_batch;
	if (b.cap == 0) {
		b.cap = (size_t)p->live->concurrency * LIVE_BATCH_PER_CONN;
		if (b.cap < LIVE_BATCH_MIN)
			b.cap = LIVE_BATCH_MIN;
		if (b.cap > LIVE_BATCH_MAX)
			b.cap = LIVE_BATCH_MAX;
	}
	if ((b.items = calloc(b.cap, sizeof(*b.items))) == NULL ||
	    (b.row_of = calloc(b.cap, sizeof(*b.row_of))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (!end) {
		while (b.n < b.cap) {
			if (reader_stops(s)) {
				/* Not handshaken: --resume reads them again. */
				s->stats.rows -= b.n;
				batch_clear(&b);
				end = 1;
				break;
			}
			spare_give(&s->spares, s->st);
			if ((r = store_next_domain(s->st, &row, err,
			    errlen)) == 0) {
				end = 1;
				break;
			}
			if (r < 0)
				goto out;
			s->stats.rows++;
			if (row.number == 0)
				row.number = (int64_t)s->stats.rows;
			if ((r = row_skip(s, &row, err, errlen)) != 0) {
				if (r < 0) {
					store_row_free(&row);
					goto out;
				}
				continue;
			}
			it = &b.items[b.n++];
			memset(it, 0, sizeof(*it));
			it->row = row;
			if (batch_add(s, &b, it) < 0) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			/* Shared: handshake these before claiming more. */
			if (store_claim_read(s->st))
				break;
		}
		/* The handshakes run while the workers audit the last batch. */
		if (b.targets.n > 0 && net_run(&b.targets, p->live, batch_sink,
		    &b) < 0 && !b.stopped) {
			snprintf(err, errlen, "cannot run the handshakes "
			    "(out of memory or threads)");
			goto out;
		}
		if (b.stopped) {
			s->stats.stopped = 1;
			end = 1;
		}
		/*
		 * Rows are queued in order; after a stop, those whose
		 * handshake did not finish are dropped for --resume.
		 */
		for (i = 0; i < b.n; i++) {
			it = &b.items[i];
			if (it->row.domain != NULL && !it->served.done) {
				item_clear(it);
				s->stats.rows--;
			} else
				pool_put(s->pool, it);
		}
		b.n = 0;
		batch_clear(&b);
	}
	ret = 0;
out:
	batch_clear(&b);
	free(b.items);
	free(b.row_of);
	return ret;
}

int
scan_run(struct store *st, const struct scan_params *p,
    struct scan_stats *stats, char *err, size_t errlen)
{
	static const struct pool_ops ops = {
		.item_size = sizeof(struct item),
		.work = work_item,
		.deliver = writer_deliver,
		.flush = writer_flush,
		.flush_seconds = COMMIT_SECONDS,
		.clear = clear_item,
	};
	struct scan s;
	int ret = -1;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.st = st;
	pthread_mutex_init(&s.spares.lock, NULL);
	if ((s.pool = pool_new(p->jobs > 0 ? p->jobs : 1, 0, &ops,
	    &s)) == NULL) {
		snprintf(err, errlen, "cannot start threads (out of memory?)");
		goto out;
	}
	ret = p->live != NULL ? read_live(&s, err, errlen) :
	    read_stored(&s, err, errlen);
	if (ret == 0 && !s.stats.stopped)
		ret = resume_check_end(&s, err, errlen);
	/* Every row put is written before the writer's failure is read. */
	pool_end(s.pool);
	if (s.failed && ret == 0) {
		snprintf(err, errlen, "%s", s.err);
		ret = -1;
	}
out:
	spares_free(&s.spares);
	if (stats != NULL)
		*stats = s.stats;
	return ret;
}
