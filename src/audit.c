/*
 * audit.c: the audit record: what one target's judging found, owned and
 * freed here, and the pass/fail rule every report and the exit status
 * apply to it.  The judging itself is judge.c's.
 */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "cert.h"
#include "path.h"

/*
 * The certificates one input parsed itself (those the run's certificate
 * cache keeps are not here), shared by the input's audits and released
 * with the last of them.  The count is atomic: a scan frees audits on
 * its writer thread while the worker that made them goes on.
 */
struct audit_hold {
	unsigned	 refs;
	/*
	 * Owned certificates, NULL entries: slots, made with the hold, until
	 * a fetched one outgrows them, then an owned array.
	 */
	struct cert	**certs;
	size_t		 n, cap;
	struct cert	*slots[];
};

struct audit_hold *
audit_hold_ref(struct audit_hold *h)
{
	if (h != NULL)
		__atomic_add_fetch(&h->refs, 1, __ATOMIC_RELAXED);
	return h;
}

/*
 * The input's own certificates are judged: free their GnuTLS objects on
 * this thread, before the audit goes to a sink that may be on another
 * (cert_shed).
 */
void
audit_hold_shed(struct audit_hold *h)
{
	size_t i;

	for (i = 0; h != NULL && i < h->n; i++)
		cert_shed(h->certs[i]);
}

/*
 * Keep c (owned) as long as the audits of h: a certificate fetched for
 * one of them.  Only the thread running judge_input adds, and nobody
 * else reads the array until the last release.  0, or -1 (c is freed).
 */
int
audit_hold_keep(struct audit_hold *h, struct cert *c)
{
	struct cert **v = NULL;
	size_t cap = 0;

	if (h->n + 1 > h->cap && h->certs == h->slots) {
		/* The slots cannot grow: the array moves out of the hold. */
		if (array_reserve(&v, &cap, h->n + 1, sizeof(*v)) < 0) {
			cert_free(c);
			return -1;
		}
		memcpy(v, h->slots, h->n * sizeof(*v));
		h->certs = v;
		h->cap = cap;
	} else if (array_reserve(&h->certs, &h->cap, h->n + 1,
	    sizeof(*h->certs)) < 0) {
		cert_free(c);
		return -1;
	}
	h->certs[h->n++] = c;
	return 0;
}

/*
 * A new hold for the n certificates of one input, one reference.  NULL
 * on ENOMEM.
 */
struct audit_hold *
audit_hold_new(size_t n)
{
	struct audit_hold *h;

	/* One allocation: the hold and its slots. */
	if (n > (SIZE_MAX - sizeof(*h)) / sizeof(h->slots[0]) - 1 ||
	    (h = calloc(1, sizeof(*h) + (n + 1) * sizeof(h->slots[0]))) == NULL)
		return NULL;
	h->certs = h->slots;
	h->refs = 1;
	h->n = n;
	h->cap = n + 1;
	return h;
}

/* Set the i-th certificate of h (owned from now on). */
void
audit_hold_set(struct audit_hold *h, size_t i, struct cert *c)
{
	h->certs[i] = c;
}

void
audit_hold_release(struct audit_hold *h)
{
	size_t i;

	if (h == NULL || __atomic_sub_fetch(&h->refs, 1,
	    __ATOMIC_ACQ_REL) != 0)
		return;
	for (i = 0; i < h->n; i++)
		cert_free(h->certs[i]);
	if (h->certs != h->slots)
		free(h->certs);
	free(h);
}

/*
 * The pass/fail rule; see audit.h.
 */
int
audit_fails(const struct audit *a, enum severity fail_on, int fail_never)
{
	if (fail_never)
		return 0;
	return a->worst != SEV_NONE && a->worst >= fail_on;
}

const char *
origin_name(enum origin o)
{
	switch (o) {
	case ORIGIN_PRESENTED:
		return "presented";
	case ORIGIN_EXTRA:
		return "input";
	case ORIGIN_INTERMEDIATE:
		return "intermediates";
	case ORIGIN_KNOWN:
		return "distrust-policy";
	case ORIGIN_ANCHOR:
		return "trust-store";
	case ORIGIN_AIA:
		return "aia";
	case ORIGIN_CORPUS:
		return "known-cas";
	}
	return "?";
}

/* The subject DN of ac's certificate, made on first use; see audit.h. */
const char *
audit_cert_subject(const struct audit_cert *ac)
{
	return ac->cert != NULL ? cert_subject(ac->cert) : NULL;
}

/* The issuer DN of ac's certificate, made on first use; see audit.h. */
const char *
audit_cert_issuer(const struct audit_cert *ac)
{
	return ac->cert != NULL ? cert_issuer(ac->cert) : NULL;
}

/* See audit.h. */
const char *
audit_issuer_dn(const struct audit *a, size_t idx)
{
	const struct cert *c, *o;
	size_t i;

	if (idx >= a->ncerts || (c = a->certs[idx].cert) == NULL)
		return NULL;
	for (i = 0; i < a->ncerts; i++) {
		if (i == idx || (o = a->certs[i].cert) == NULL)
			continue;
		if (o->raw_subject.size == c->raw_issuer.size &&
		    memcmp(o->raw_subject.data, c->raw_issuer.data,
		    c->raw_issuer.size) == 0)
			return cert_subject(o);
	}
	return cert_issuer(c);
}

struct audit *
audit_new(const char *source)
{
	struct audit *a;
	size_t len = strlen(source);

	/* One allocation: the audit and its source's name after it. */
	if (len > SIZE_MAX - sizeof(*a) - 1 ||
	    (a = calloc(1, sizeof(*a) + len + 1)) == NULL)
		return NULL;
	a->leaf = -1;
	a->source = (char *)(a + 1);
	memcpy(a->source, source, len + 1);
	return a;
}

/*
 * Add a revocation answer; see audit.h.
 */
int
audit_add_revocation(struct audit *a, const struct audit_revocation *r)
{
	struct audit_revocation *n;

	if (array_reserve(&a->revocations, &a->revcap, a->nrevocations + 1,
	    sizeof(*a->revocations)) < 0)
		return -1;
	n = &a->revocations[a->nrevocations];
	*n = *r;
	n->where = NULL;
	n->detail = NULL;
	if ((r->where != NULL && (n->where = strdup(r->where)) == NULL) ||
	    (r->detail != NULL && (n->detail = strdup(r->detail)) == NULL)) {
		free(n->where);
		return -1;
	}
	a->nrevocations++;
	return 0;
}

void
audit_free(struct audit *a)
{
	size_t i;

	if (a == NULL)
		return;
	free(a->host);
	free(a->contact);
	free(a->error);
	audit_tls_free(a->tls);
	free(a->certs);
	free(a->verdicts);
	path_result_free(a->paths);
	free(a->path.mem);
	for (i = 0; i < a->nfindings; i++) {
		free(a->findings[i].message);
		free(a->findings[i].fix);
	}
	free(a->findings);
	for (i = 0; i < a->nrevocations; i++) {
		free(a->revocations[i].where);
		free(a->revocations[i].detail);
	}
	free(a->revocations);
	audit_hold_release(a->hold);
	free(a);
}

void
audit_tls_free(struct audit_tls *t)
{
	if (t == NULL)
		return;
	free(t->target);
	free(t->address);
	free(t->sni);
	free(t->starttls);
	free(t->key_type);
	free(t->protocol);
	free(t->cipher);
	free(t->server_sign);
	free(t);
}

struct audit_tls *
audit_tls_dup(const struct audit_tls *t)
{
	struct audit_tls *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((t->target && !(c->target = strdup(t->target))) ||
	    (t->address && !(c->address = strdup(t->address))) ||
	    (t->sni && !(c->sni = strdup(t->sni))) ||
	    (t->starttls && !(c->starttls = strdup(t->starttls))) ||
	    (t->key_type && !(c->key_type = strdup(t->key_type))) ||
	    (t->protocol && !(c->protocol = strdup(t->protocol))) ||
	    (t->cipher && !(c->cipher = strdup(t->cipher))) ||
	    (t->server_sign && !(c->server_sign = strdup(t->server_sign)))) {
		audit_tls_free(c);
		return NULL;
	}
	return c;
}

/*
 * An audit holding only an operational error for source, or NULL.
 */
struct audit *
audit_error(const char *source, const char *fmt, ...)
{
	struct audit *a;
	va_list ap;
	int r;

	if ((a = audit_new(source)) == NULL)
		return NULL;
	va_start(ap, fmt);
	r = vasprintf(&a->error, fmt, ap);
	va_end(ap);
	if (r < 0) {
		a->error = NULL;
		audit_free(a);
		return NULL;
	}
	return a;
}

/*
 * Record a finding about certificate index cert (-1: the chain).
 */
int
audit_add_finding(struct audit *a, enum finding_id id, int cert,
    const char *fmt, ...)
{
	struct finding *f;
	va_list ap;
	char *msg;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	if (array_reserve(&a->findings, &a->findcap, a->nfindings + 1,
	    sizeof(*a->findings)) < 0) {
		free(msg);
		return -1;
	}
	f = &a->findings[a->nfindings++];
	f->id = id;
	f->cert = cert;
	f->message = msg;
	f->fix = NULL;
	f->deadline = 0;
	if (finding_info(id)->severity > a->worst)
		a->worst = finding_info(id)->severity;
	return 0;
}

/*
 * Give the finding added last its own fix text (fmt NULL: keep the
 * catalog's) and deadline.
 */
int
audit_set_fix(struct audit *a, time_t deadline, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;
	char *fix = NULL;
	int r;

	if (a->nfindings == 0)
		return -1;
	f = &a->findings[a->nfindings - 1];
	if (fmt != NULL) {
		va_start(ap, fmt);
		r = vasprintf(&fix, fmt, ap);
		va_end(ap);
		if (r < 0)
			return -1;
		free(f->fix);
		f->fix = fix;
	}
	f->deadline = deadline;
	return 0;
}

/*
 * Append c to a->certs, its plain fields empty until view_fill.  Its
 * index, or -1 on ENOMEM.
 */
static int
cert_append(struct audit *a, const struct cert *c, enum origin origin,
    int presented_index)
{
	struct audit_cert *ac;

	if (array_reserve(&a->certs, &a->certcap, a->ncerts + 1,
	    sizeof(*a->certs)) < 0)
		return -1;
	ac = &a->certs[a->ncerts];
	memset(ac, 0, sizeof(*ac));
	ac->cert = c;
	ac->origin = origin;
	ac->presented_index = presented_index;
	return (int)a->ncerts++;
}

/*
 * Index of c in a->certs, appended with origin when it is not there.
 */
int
audit_cert_index(struct audit *a, const struct cert *c, enum origin origin)
{
	size_t i;

	for (i = 0; i < a->ncerts; i++)
		if (a->certs[i].cert == c || cert_is_same(a->certs[i].cert, c))
			return (int)i;
	return cert_append(a, c, origin, -1);
}

/* Add a presented certificate (duplicates kept: they are findings). */
int
audit_add_presented(struct audit *a, const struct cert *c, int index)
{
	if (cert_append(a, c, ORIGIN_PRESENTED, index) < 0)
		return -1;
	a->npresented++;
	return 0;
}

