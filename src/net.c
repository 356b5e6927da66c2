/*
 * net.c: the connection loop for live targets (net_target.c parses
 * them).  A resolver thread pool that never blocks the loop, and one
 * poll(2) loop driving non-blocking connects, STARTTLS dialogues (whose
 * words are starttls.c's; the sockets are here) and GnuTLS client
 * handshakes, many at once.  The handshake accepts whatever the server
 * sends: judging the chain is the engine's business, not this file's.
 */
#include <config.h>

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "net.h"
#include "starttls.h"
#include "util.h"

#define RESOLVER_THREADS	16
#define ADMIT_RETRY_MS		10	/* a handshake not admitted: again */
/*
 * What a server may send before its handshake completes.  GnuTLS caps
 * one handshake message at 128 KB, but whether it notices depends on how
 * the bytes arrive; this bound holds however they do.
 */
#define HANDSHAKE_MAX		(256 * 1024)
#define NELEM(a)		(sizeof(a) / sizeof((a)[0]))

/*
 * Everything an old server might need to hand over its chain: TLS 1.0 to
 * 1.3, CBC and 3DES suites, static RSA key exchange, and every signature
 * algorithm GnuTLS knows, SHA-1 included.  No verification happens in
 * the handshake, so no %VERIFY flag is needed.
 */
#define PRIO_ANY	"NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+SIGN-ALL:+SHA1:" \
			"+AES-128-CBC:+AES-256-CBC:+3DES-CBC:+RSA:+DHE-RSA"
/* --all-keys: ask for the ECDSA certificate, then for the RSA one. */
#define PRIO_ECDSA	PRIO_ANY ":-KX-ALL:+ECDHE-ECDSA:-SIGN-ALL:" \
			"+SIGN-ECDSA-SHA256:+SIGN-ECDSA-SHA384:" \
			"+SIGN-ECDSA-SHA512:+SIGN-ECDSA-SHA1:" \
			"+SIGN-ECDSA-SECP256R1-SHA256:" \
			"+SIGN-ECDSA-SECP384R1-SHA384:" \
			"+SIGN-ECDSA-SECP521R1-SHA512"
#define PRIO_RSA	PRIO_ANY ":-KX-ALL:+ECDHE-RSA:+DHE-RSA:+RSA:" \
			"-SIGN-ALL:+SIGN-RSA-SHA256:+SIGN-RSA-SHA384:" \
			"+SIGN-RSA-SHA512:+SIGN-RSA-SHA1:" \
			"+SIGN-RSA-PSS-SHA256:+SIGN-RSA-PSS-SHA384:" \
			"+SIGN-RSA-PSS-SHA512:+SIGN-RSA-PSS-RSAE-SHA256:" \
			"+SIGN-RSA-PSS-RSAE-SHA384:+SIGN-RSA-PSS-RSAE-SHA512"

/* ---- clock ------------------------------------------------------------ */

/* Milliseconds on the monotonic clock: deadlines only, never findings. */
static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- resolver --------------------------------------------------------- */

/*
 * A pool of threads calling getaddrinfo.  The loop queues jobs and polls
 * rfd; finished lookups wait on the done list and one byte on the pipe
 * wakes the loop.  Threads are detached and the pool is freed by whoever
 * leaves it last, so a lookup that hangs after the run ended keeps no
 * one waiting.
 */
struct res_job {
	struct res_job	*next;
	size_t		 id;
	char		*host;		/* owned */
	char		 port[8];
	struct addrinfo	*ai;		/* owned, result */
	int		 gai;		/* getaddrinfo's result */
};

struct resolver {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct res_job	*queue, *qtail;	/* owned: waiting */
	struct res_job	*done;		/* owned: finished */
	int		 stopping;
	unsigned	 refs;		/* the loop + each thread */
	unsigned	 threads, idle;
	int		 rfd, wfd;
};

static void
res_job_free(struct res_job *j)
{
	if (j == NULL)
		return;
	free(j->host);
	if (j->ai != NULL)
		freeaddrinfo(j->ai);
	free(j);
}

static void
res_job_list_free(struct res_job *j)
{
	struct res_job	*next;

	for (; j != NULL; j = next) {
		next = j->next;
		res_job_free(j);
	}
}

/* Drop a reference, with mu held; frees r (and unlocks) at zero. */
static void
resolver_unref_locked(struct resolver *r)
{
	if (--r->refs > 0) {
		pthread_mutex_unlock(&r->mu);
		return;
	}
	pthread_mutex_unlock(&r->mu);
	res_job_list_free(r->queue);
	res_job_list_free(r->done);
	close(r->rfd);
	close(r->wfd);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static void *
resolver_thread(void *arg)
{
	struct resolver	*r = arg;
	struct res_job	*j;
	struct addrinfo	 hints;
	char		 b = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->queue == NULL && !r->stopping) {
			r->idle++;
			pthread_cond_wait(&r->cv, &r->mu);
			r->idle--;
		}
		if (r->stopping)
			break;
		j = r->queue;
		if ((r->queue = j->next) == NULL)
			r->qtail = NULL;
		pthread_mutex_unlock(&r->mu);
		j->gai = getaddrinfo(j->host, j->port, &hints, &j->ai);
		if (j->gai != 0)
			j->ai = NULL;
		pthread_mutex_lock(&r->mu);
		if (r->stopping) {
			res_job_free(j);
			break;
		}
		j->next = r->done;
		r->done = j;
		/* A full pipe already holds a wake-up: ignore EAGAIN. */
		if (write(r->wfd, &b, 1) < 0)
			(void)0;
	}
	resolver_unref_locked(r);
	return NULL;
}

static struct resolver *
resolver_new(void)
{
	struct resolver	*r;
	int		 p[2];

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) {
		free(r);
		return NULL;
	}
	r->rfd = p[0];
	r->wfd = p[1];
	r->refs = 1;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	return r;
}

/* Queue a lookup, starting a thread when none is idle.  0 or -1. */
static int
resolver_submit(struct resolver *r, size_t id, const char *host,
    unsigned port)
{
	struct res_job	*j;
	pthread_attr_t	 attr;
	pthread_t	 th;
	int		 rc = 0;

	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->host = strdup(host)) == NULL) {
		free(j);
		return -1;
	}
	j->id = id;
	snprintf(j->port, sizeof(j->port), "%u", port);
	pthread_mutex_lock(&r->mu);
	if (r->qtail != NULL)
		r->qtail->next = j;
	else
		r->queue = j;
	r->qtail = j;
	if (r->idle == 0 && r->threads < RESOLVER_THREADS) {
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&th, &attr, resolver_thread, r) == 0) {
			r->threads++;
			r->refs++;
		} else if (r->threads == 0)
			rc = -1;
		pthread_attr_destroy(&attr);
	} else
		pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return rc;
}

/* Take every finished lookup (owned list). */
static struct res_job *
resolver_take(struct resolver *r)
{
	struct res_job	*j;
	char		 buf[64];

	while (read(r->rfd, buf, sizeof(buf)) > 0)
		continue;
	pthread_mutex_lock(&r->mu);
	j = r->done;
	r->done = NULL;
	pthread_mutex_unlock(&r->mu);
	return j;
}

static void
resolver_stop(struct resolver *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->stopping = 1;
	pthread_cond_broadcast(&r->cv);
	resolver_unref_locked(r);
}

/* ---- per-address rate limit ------------------------------------------- */

struct rate_slot {
	char		 addr[INET6_ADDRSTRLEN];
	int64_t		 next;		/* earliest next connect, ms */
};

struct rate_table {
	struct rate_slot *v;		/* owned */
	size_t		  n, cap;
	int64_t		  interval;	/* ms between connects */
};

/*
 * When a connection to addr may start, reserving that slot: now, or
 * later when the address was used within the interval.
 */
static int64_t
rate_reserve(struct rate_table *t, const char *addr, int64_t now)
{
	size_t	 i;
	int64_t	 at;

	if (t->interval <= 0)
		return now;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].addr, addr) == 0)
			break;
	if (i == t->n) {
		if (array_reserve(&t->v, &t->cap, t->n + 1,
		    sizeof(*t->v)) < 0)
			return now;	/* no memory: do not limit */
		snprintf(t->v[i].addr, sizeof(t->v[i].addr), "%s", addr);
		t->v[i].next = now;
		t->n++;
	}
	at = t->v[i].next > now ? t->v[i].next : now;
	t->v[i].next = at + t->interval;
	return at;
}

/* ---- connections ------------------------------------------------------ */

enum conn_state {
	ST_QUEUED = 0,
	ST_RESOLVING,
	ST_WAIT_RATE,
	ST_CONNECTING,
	ST_STARTTLS,
	ST_HANDSHAKE,
	ST_HELD,	/* failed, waiting on the other key type's result */
	ST_DONE,
};

struct conn {
	const struct net_target	*t;		/* borrowed */
	enum net_keytype	 key;
	enum conn_state		 st;
	struct conn		*sibling;	/* borrowed: other key type */
	int			 ok;		/* finished with a chain */
	int			 nofit;		/* server has no such key */
	char			*source;	/* owned */
	struct addrinfo		*ai;		/* owned */
	struct addrinfo		*cur;		/* borrowed from ai */
	int			 fd;
	gnutls_session_t	 s;
	size_t			 rx;		/* TLS bytes received */
	unsigned char		 head[8];	/* the first of them */
	size_t			 headlen;
	int			 closed;	/* the server ended the stream */
	unsigned char		*certmsg;	/* owned: the Certificate
						   message, as received */
	size_t			 certmsglen;
	int64_t			 deadline, wake;
	char			 addr[INET6_ADDRSTRLEN + 8];
	char			 ip[INET6_ADDRSTRLEN];
	char			 err[ERRBUF_LEN];	/* last failure */
	struct starttls		 dlg;		/* owned: the dialogue */
};

struct loop {
	const struct net_params	*p;
	net_sink		 sink;
	void			*arg;
	struct resolver		*res;
	struct rate_table	 rate;
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t	 prio[3];	/* by enum net_keytype */
	struct conn		*conns;		/* owned, one per job */
	size_t			 nconns;
	struct conn		**active;	/* owned array, borrowed */
	size_t			 nactive;
	int			 failed;	/* the sink asked to stop */
};

static const char *
keytype_name(enum net_keytype k)
{
	switch (k) {
	case NET_KEY_ECDSA:
		return "ecdsa";
	case NET_KEY_RSA:
		return "rsa";
	default:
		return "any";
	}
}

static void
conn_close(struct conn *c)
{
	if (c->s != NULL) {
		gnutls_deinit(c->s);
		c->s = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	starttls_free(&c->dlg);
	free(c->certmsg);
	c->certmsg = NULL;
	c->certmsglen = 0;
}

static void
conn_fill_tls(const struct conn *c, struct net_tls *tls)
{
	memset(tls, 0, sizeof(*tls));
	/* A --connect port replaces the target's: never name one not tried. */
	tls->target = c->t->connect_port != 0 ? c->t->name : c->t->spec;
	tls->address = c->addr[0] != '\0' ? c->addr : NULL;
	tls->sni = c->t->sni;
	tls->starttls = net_starttls_name(c->t->starttls);
	tls->key_type = keytype_name(c->key);
}

/*
 * Tell the sink c ended without a chain: why (c->err), or with none set,
 * that there was nothing to ask for (the sibling found the key type).
 */
static void
emit_end(struct loop *l, struct conn *c, int none)
{
	struct net_result	 r;

	memset(&r, 0, sizeof(r));
	r.target = c->t;
	r.source = c->source;
	r.error = none ? NULL : c->err;
	r.none = none;
	conn_fill_tls(c, &r.tls);
	if (l->sink(&r, l->arg) < 0)
		l->failed = 1;
}

/* Remove c from the active list and mark it done. */
static void
conn_retire(struct loop *l, struct conn *c, enum conn_state st)
{
	size_t	 i;

	conn_close(c);
	if (c->ai != NULL) {
		freeaddrinfo(c->ai);
		c->ai = NULL;
		c->cur = NULL;
	}
	c->st = st;
	for (i = 0; i < l->nactive; i++)
		if (l->active[i] == c) {
			l->active[i] = l->active[--l->nactive];
			break;
		}
}

/*
 * c failed with c->err.  Under --all-keys, a server that simply has no
 * certificate of the asked-for type is not an error when the other
 * handshake found one: such a failure waits for its sibling.
 */
static void
conn_fail(struct loop *l, struct conn *c)
{
	struct conn	*sib = c->sibling;

	if (c->nofit && sib != NULL) {
		if (sib->st == ST_DONE && sib->ok) {
			conn_retire(l, c, ST_DONE);
			emit_end(l, c, 1);
			return;
		}
		if (sib->st != ST_DONE && sib->st != ST_HELD) {
			conn_retire(l, c, ST_HELD);
			return;
		}
	}
	conn_retire(l, c, ST_DONE);
	if (sib != NULL && sib->st == ST_HELD) {
		sib->st = ST_DONE;
		emit_end(l, sib, 0);
	}
	emit_end(l, c, 0);
}

static void
conn_failf(struct loop *l, struct conn *c, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

static void
conn_failf(struct loop *l, struct conn *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	conn_fail(l, c);
}

static void conn_try_next(struct loop *, struct conn *, int64_t);
static void conn_begin_tls(struct loop *, struct conn *, int64_t);
static void conn_handshake(struct loop *, struct conn *);

/* Lookup finished: start connecting to its first address. */
static void
conn_resolved(struct loop *l, struct conn *c, struct addrinfo *ai, int gai,
    int64_t now)
{
	if (gai != 0 || ai == NULL) {
		conn_failf(l, c, "cannot resolve %s: %s",
		    c->t->connect != NULL ? c->t->connect : c->t->host,
		    gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
		return;
	}
	c->ai = ai;
	c->cur = ai;
	conn_try_next(l, c, now);
}

/*
 * 1 for a name under "invalid.", which never resolves: answered here,
 * not by a DNS server that an offline machine would wait for.
 */
static int
is_special_invalid(const char *host)
{
	size_t	 n = strlen(host);

	if (n > 0 && host[n - 1] == '.')
		n--;
	return (n == 7 || (n > 7 && host[n - 8] == '.')) &&
	    strncasecmp(host + n - 7, "invalid", 7) == 0;
}

static void
conn_start(struct loop *l, struct conn *c, int64_t now)
{
	struct addrinfo	 hints, *ai = NULL;
	const char	*host = c->t->connect != NULL ? c->t->connect :
			    c->t->host;
	unsigned	 port = c->t->connect_port != 0 ? c->t->connect_port :
			    c->t->port;
	char		 ps[8];
	int		 gai;

	l->active[l->nactive++] = c;
	c->deadline = now + l->p->timeout_ms;
	if (net_host_is_ip(host)) {
		/* A literal resolves without asking anyone: no blocking. */
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
		snprintf(ps, sizeof(ps), "%u", port);
		gai = getaddrinfo(host, ps, &hints, &ai);
		conn_resolved(l, c, gai == 0 ? ai : NULL, gai, now);
		return;
	}
	if (is_special_invalid(host)) {
		conn_failf(l, c, "cannot resolve %s: .invalid names never "
		    "resolve (RFC 6761 6.4)", host);
		return;
	}
	c->st = ST_RESOLVING;
	if (resolver_submit(l->res, (size_t)(c - l->conns), host, port) < 0)
		conn_failf(l, c, "cannot start a name lookup");
}

static void
format_addr(const struct sockaddr *sa, char *ip, size_t iplen, char *addr,
    size_t addrlen)
{
	unsigned	 port = 0;

	ip[0] = '\0';
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, ip, (socklen_t)iplen);
		port = ntohs(s4->sin_port);
		snprintf(addr, addrlen, "%s:%u", ip, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, (socklen_t)iplen);
		port = ntohs(s6->sin6_port);
		snprintf(addr, addrlen, "[%s]:%u", ip, port);
	} else
		snprintf(addr, addrlen, "?");
}

/* Open a non-blocking socket to c->cur and start connecting. */
static void
conn_connect(struct loop *l, struct conn *c, int64_t now)
{
	const struct addrinfo	*a = c->cur;
	int			 one = 1;

	c->cur = a->ai_next;
	c->st = ST_CONNECTING;
	c->deadline = now + l->p->timeout_ms;
	c->fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, a->ai_protocol);
	if (c->fd < 0) {
		snprintf(c->err, sizeof(c->err), "%s: %s", c->addr,
		    strerror(errno));
		conn_try_next(l, c, now);
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, a->ai_addr, a->ai_addrlen) == 0)
		conn_begin_tls(l, c, now);
	else if (errno != EINPROGRESS) {
		snprintf(c->err, sizeof(c->err), "connect to %s: %s",
		    c->addr, strerror(errno));
		conn_close(c);
		conn_try_next(l, c, now);
	}
}

/* Connect to the next address, or fail with the last error. */
static void
conn_try_next(struct loop *l, struct conn *c, int64_t now)
{
	int64_t	 at;

	if (c->cur == NULL) {
		conn_fail(l, c);
		return;
	}
	format_addr(c->cur->ai_addr, c->ip, sizeof(c->ip), c->addr,
	    sizeof(c->addr));
	at = rate_reserve(&l->rate, c->ip, now);
	if (at > now) {
		c->st = ST_WAIT_RATE;
		c->wake = at;
		return;
	}
	conn_connect(l, c, now);
}

/* The socket became writable: did the connect succeed? */
static void
conn_connected(struct loop *l, struct conn *c, int64_t now)
{
	socklen_t	 len = sizeof(int);
	int		 e = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		e = errno;
	if (e == EINPROGRESS)
		return;
	if (e != 0) {
		snprintf(c->err, sizeof(c->err), "connect to %s: %s",
		    c->addr, strerror(e));
		conn_close(c);
		conn_try_next(l, c, now);
		return;
	}
	conn_begin_tls(l, c, now);
}

/* ---- STARTTLS --------------------------------------------------------- */

/*
 * Move the dialogue's bytes on readiness: its command out, the server's
 * reply in, no more at a time than the dialogue has room for.
 */
static void
conn_starttls_io(struct loop *l, struct conn *c, short revents, int64_t now)
{
	const char	*proto = net_starttls_name(c->t->starttls);
	unsigned char	 buf[STARTTLS_REPLY_MAX];
	const void	*out;
	size_t		 len, room;
	ssize_t		 n;
	int		 r;

	if ((out = starttls_pending(&c->dlg, &len)) != NULL &&
	    (revents & (POLLOUT | POLLERR))) {
		n = send(c->fd, out, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			conn_failf(l, c, "STARTTLS %s: %s", proto,
			    strerror(errno));
			return;
		}
		if (n > 0)
			starttls_sent(&c->dlg, (size_t)n);
		return;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	if ((room = starttls_room(&c->dlg)) == 0) {
		conn_failf(l, c, "%s", c->dlg.err);
		return;
	}
	n = recv(c->fd, buf, room, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		conn_failf(l, c, "STARTTLS %s: %s", proto, strerror(errno));
		return;
	}
	if (n == 0)
		r = starttls_eof(&c->dlg);
	else
		r = starttls_feed(&c->dlg, buf, (size_t)n);
	if (r < 0)
		conn_failf(l, c, "%s", c->dlg.err);
	else if (r > 0) {
		starttls_free(&c->dlg);
		c->st = ST_HANDSHAKE;
		c->deadline = now + l->p->timeout_ms;
		if (c->s != NULL)
			conn_handshake(l, c);
	}
}

/* ---- TLS -------------------------------------------------------------- */

/* GnuTLS reads through here: counted, and cut off at HANDSHAKE_MAX. */
static ssize_t
tls_pull(gnutls_transport_ptr_t p, void *buf, size_t len)
{
	struct conn	*c = p;
	ssize_t		 n;
	size_t		 i;

	if (c->rx >= HANDSHAKE_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (len > HANDSHAKE_MAX - c->rx)
		len = HANDSHAKE_MAX - c->rx;
	if ((n = recv(c->fd, buf, len, 0)) > 0) {
		/* Kept to tell a plain-text greeting (starttls_guess). */
		for (i = 0; c->headlen < sizeof(c->head) && i < (size_t)n;
		    i++)
			c->head[c->headlen++] = ((const unsigned char *)buf)[i];
		c->rx += (size_t)n;
	} else if (n == 0)
		c->closed = 1;
	return n;
}

static ssize_t
tls_push(gnutls_transport_ptr_t p, const void *buf, size_t len)
{
	struct conn	*c = p;

	return send(c->fd, buf, len, MSG_NOSIGNAL);
}

/*
 * GnuTLS shows us each handshake message before processing it: keep the
 * server's Certificate message, so that a chain GnuTLS refuses (a
 * certificate that does not parse) still reaches the audit.
 */
static int
tls_hook(gnutls_session_t s, unsigned htype, unsigned when,
    unsigned incoming, const gnutls_datum_t *msg)
{
	struct conn	*c = gnutls_transport_get_ptr(s);

	(void)when;
	if (!incoming || htype != GNUTLS_HANDSHAKE_CERTIFICATE_PKT ||
	    msg == NULL || c->certmsg != NULL)
		return 0;
	/* Without memory only the fallback is lost: go on. */
	if ((c->certmsg = malloc(msg->size > 0 ? msg->size : 1)) == NULL)
		return 0;
	memcpy(c->certmsg, msg->data, msg->size);
	c->certmsglen = msg->size;
	return 0;
}

static size_t
get24(const unsigned char *p)
{
	return (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
}

/*
 * Split a Certificate message body (RFC 5246 7.4.2; RFC 8446 4.4.2 adds
 * a request context and per-certificate extensions) into its
 * certificates, in the order sent.  0, or -1 when the framing is broken
 * or memory runs out (out may then hold some: the caller frees it).
 */
static int
cert_msg_split(const unsigned char *p, size_t len, int tls13,
    struct der_list *out)
{
	const unsigned char	*end = p + len;
	size_t			 n;

	if (tls13) {
		if (len < 1 || len - 1 < p[0])
			return -1;
		p += 1 + p[0];
	}
	if (end - p < 3 || get24(p) != (size_t)(end - p) - 3)
		return -1;
	for (p += 3; p < end; p += n) {
		if (end - p < 3 || (n = get24(p)) > (size_t)(end - p) - 3)
			return -1;
		p += 3;
		if (der_list_add(out, p, n) < 0)
			return -1;
		if (!tls13)
			continue;
		p += n;
		if (end - p < 2 || (n = (size_t)(p[0] << 8 | p[1])) >
		    (size_t)(end - p) - 2)
			return -1;
		p += 2;
	}
	return out->n > 0 ? 0 : -1;
}

/*
 * The index of the first certificate of list that GnuTLS cannot take the
 * way its handshake does (the certificate and its public key), or -1.
 */
static long
chain_first_bad_cert(const struct der_list *list)
{
	gnutls_pcert_st	 pc;
	gnutls_datum_t	 d;
	size_t		 i;

	for (i = 0; i < list->n; i++) {
		d.data = list->v[i].der;
		d.size = (unsigned)list->v[i].len;
		if (gnutls_pcert_import_x509_raw(&pc, &d, GNUTLS_X509_FMT_DER,
		    0) < 0)
			return (long)i;
		gnutls_pcert_deinit(&pc);
	}
	return -1;
}

/* Connected: run the STARTTLS dialogue if any, then the handshake. */
static void
conn_begin_tls(struct loop *l, struct conn *c, int64_t now)
{
	int	 r;

	c->deadline = now + l->p->timeout_ms;
	if ((r = gnutls_init(&c->s, GNUTLS_CLIENT | GNUTLS_NONBLOCK |
	    GNUTLS_NO_SIGNAL)) < 0) {
		c->s = NULL;
		conn_failf(l, c, "TLS: %s", gnutls_strerror(r));
		return;
	}
	if ((r = gnutls_priority_set(c->s, l->prio[c->key])) < 0 ||
	    (r = gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE,
	    l->cred)) < 0 || (c->t->sni != NULL &&
	    (r = gnutls_server_name_set(c->s, GNUTLS_NAME_DNS, c->t->sni,
	    strlen(c->t->sni))) < 0)) {
		conn_failf(l, c, "TLS: %s", gnutls_strerror(r));
		return;
	}
	/* Every handshake asks for the stapled OCSP response (RFC 6066 8). */
	if ((r = gnutls_ocsp_status_request_enable_client(c->s, NULL, 0,
	    NULL)) < 0) {
		conn_failf(l, c, "TLS: %s", gnutls_strerror(r));
		return;
	}
	gnutls_transport_set_ptr(c->s, c);
	gnutls_transport_set_pull_function(c->s, tls_pull);
	gnutls_transport_set_push_function(c->s, tls_push);
	gnutls_handshake_set_hook_function(c->s,
	    GNUTLS_HANDSHAKE_CERTIFICATE_PKT, GNUTLS_HOOK_PRE, tls_hook);
	/* Our deadlines rule; GnuTLS's own 40 s default must not. */
	gnutls_handshake_set_timeout(c->s, GNUTLS_INDEFINITE_TIMEOUT);
	if (c->t->starttls != STARTTLS_NONE) {
		if (starttls_init(&c->dlg, c->t->starttls, c->t->host) < 0) {
			conn_failf(l, c, "out of memory");
			return;
		}
		c->st = ST_STARTTLS;
		return;
	}
	c->st = ST_HANDSHAKE;
	conn_handshake(l, c);
}

/* Why a handshake failed, in words an administrator can act on. */
static void
handshake_error(struct conn *c, int r)
{
	gnutls_alert_description_t	 a;
	enum net_starttls		 guess;
	const char			*name;

	if (c->rx >= HANDSHAKE_MAX) {
		snprintf(c->err, sizeof(c->err), "the server sent over %d KB "
		    "without finishing the TLS handshake (a huge or endless "
		    "certificate list?)", HANDSHAKE_MAX / 1024);
		return;
	}
	/*
	 * Cut off inside a record, GnuTLS says the record has the wrong
	 * length ("not TLS"); what happened is that the server hung up.
	 */
	if (c->closed && (r == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
	    r == GNUTLS_E_PREMATURE_TERMINATION)) {
		snprintf(c->err, sizeof(c->err), "the server closed the "
		    "connection during the TLS handshake (after %zu bytes)",
		    c->rx);
		return;
	}
	switch (r) {
	case GNUTLS_E_FATAL_ALERT_RECEIVED:
		a = gnutls_alert_get(c->s);
		name = gnutls_alert_get_name(a);
		snprintf(c->err, sizeof(c->err), "TLS alert from the server: "
		    "%s", name != NULL ? name : "unknown alert");
		c->nofit = a == GNUTLS_A_HANDSHAKE_FAILURE ||
		    a == GNUTLS_A_INSUFFICIENT_SECURITY;
		break;
	case GNUTLS_E_UNEXPECTED_PACKET_LENGTH:
	case GNUTLS_E_UNSUPPORTED_VERSION_PACKET:
	case GNUTLS_E_UNEXPECTED_PACKET:
	case GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET:
	case GNUTLS_E_RECORD_OVERFLOW:
		snprintf(c->err, sizeof(c->err), "not TLS: %s",
		    gnutls_strerror(r));
		guess = c->t->starttls == STARTTLS_NONE ? starttls_guess(
		    c->head, c->headlen, c->t->port) : STARTTLS_NONE;
		if (guess != STARTTLS_NONE)
			snprintf(c->err + strlen(c->err), sizeof(c->err) -
			    strlen(c->err), "; the server greets in plain text "
			    "like a%s %s server: try --starttls %s",
			    guess == STARTTLS_IMAP ? "n" : "",
			    net_starttls_name(guess),
			    net_starttls_name(guess));
		break;
	case GNUTLS_E_HANDSHAKE_TOO_LARGE:
		snprintf(c->err, sizeof(c->err), "TLS handshake message over "
		    "GnuTLS's limit (a huge or endless certificate list?)");
		break;
	case GNUTLS_E_PREMATURE_TERMINATION:
	case GNUTLS_E_PULL_ERROR:
	case GNUTLS_E_PUSH_ERROR:
		snprintf(c->err, sizeof(c->err), "the server closed the "
		    "connection during the TLS handshake");
		break;
	default:
		snprintf(c->err, sizeof(c->err), "TLS handshake failed: %s",
		    gnutls_strerror(r));
		break;
	}
}

/* Hand the chain as sent, and what the handshake showed, to the sink. */
static void
conn_deliver(struct loop *l, struct conn *c, const struct der_list *chain)
{
	struct net_result	 res;
	struct conn		*sib = c->sibling;
	gnutls_sign_algorithm_t	 sign;
	gnutls_datum_t		 staple;

	memset(&res, 0, sizeof(res));
	if (gnutls_ocsp_status_request_get2(c->s, 0, &staple) == 0 &&
	    staple.size > 0) {
		res.staple = staple.data;
		res.staple_len = staple.size;
	}
	res.target = c->t;
	res.source = c->source;
	res.chain = chain;
	conn_fill_tls(c, &res.tls);
	res.tls.protocol = gnutls_protocol_get_name(
	    gnutls_protocol_get_version(c->s));
	res.tls.cipher = gnutls_ciphersuite_get(c->s);
	sign = gnutls_sign_algorithm_get(c->s);
	res.tls.server_sign = sign != GNUTLS_SIGN_UNKNOWN ?
	    gnutls_sign_get_name(sign) : NULL;

	c->ok = 1;
	if (l->sink(&res, l->arg) < 0)
		l->failed = 1;
	conn_retire(l, c, ST_DONE);
	if (sib != NULL && sib->st == ST_HELD) {
		sib->st = ST_DONE;	/* the server had no such key */
		emit_end(l, sib, 1);
	}
}

/*
 * The handshake failed.  When that is because GnuTLS could not take a
 * certificate of the server's Certificate message, the chain as sent is
 * the answer: the audit reports what does not parse.  So it is when the
 * failure came while the Certificate message was the last one in (TLS
 * 1.2 checks every certificate there, and a server that hangs up right
 * after it has still shown its chain), or when the leaf is bad (nothing
 * after it can succeed).  Any other failure stands.  1 when c was
 * delivered, 0 when the handshake error stands.
 */
static int
conn_salvage(struct loop *l, struct conn *c)
{
	struct der_list	 chain;
	long		 bad;
	int		 tls13, rc = 0;

	if (c->certmsg == NULL)
		return 0;
	memset(&chain, 0, sizeof(chain));
	tls13 = gnutls_protocol_get_version(c->s) == GNUTLS_TLS1_3;
	if (cert_msg_split(c->certmsg, c->certmsglen, tls13, &chain) == 0 &&
	    chain.n > 0 && ((bad = chain_first_bad_cert(&chain)) == 0 ||
	    gnutls_handshake_get_last_in(c->s) ==
	    GNUTLS_HANDSHAKE_CERTIFICATE_PKT)) {
		conn_deliver(l, c, &chain);
		rc = 1;
	}
	der_list_free(&chain);
	return rc;
}

/* The handshake finished: take the chain as sent. */
static void
conn_succeeded(struct loop *l, struct conn *c)
{
	const gnutls_datum_t	*peers;
	struct der_list		 chain;
	unsigned		 i, n = 0;

	memset(&chain, 0, sizeof(chain));
	if (gnutls_certificate_type_get(c->s) != GNUTLS_CRT_X509 ||
	    (peers = gnutls_certificate_get_peers(c->s, &n)) == NULL ||
	    n == 0) {
		snprintf(c->err, sizeof(c->err), "the server sent no X.509 "
		    "certificate");
		conn_fail(l, c);
		return;
	}
	for (i = 0; i < n; i++)
		if (der_list_add(&chain, peers[i].data, peers[i].size) < 0) {
			der_list_free(&chain);
			conn_failf(l, c, "out of memory");
			return;
		}
	/* Polite and best effort: one try, never waited for. */
	gnutls_bye(c->s, GNUTLS_SHUT_WR);
	conn_deliver(l, c, &chain);
	der_list_free(&chain);
}

static void
conn_handshake(struct loop *l, struct conn *c)
{
	int	 r;

	do {
		r = gnutls_handshake(c->s);
	} while (r == GNUTLS_E_WARNING_ALERT_RECEIVED);
	if (r == 0)
		conn_succeeded(l, c);
	else if (gnutls_error_is_fatal(r) && !conn_salvage(l, c)) {
		handshake_error(c, r);
		conn_fail(l, c);
	}
}

/* ---- the loop --------------------------------------------------------- */

static short
conn_events(const struct conn *c)
{
	size_t	 len;

	switch (c->st) {
	case ST_CONNECTING:
		return POLLOUT;
	case ST_STARTTLS:
		return starttls_pending(&c->dlg, &len) != NULL ? POLLOUT :
		    POLLIN;
	case ST_HANDSHAKE:
		return gnutls_record_get_direction(c->s) ? POLLOUT : POLLIN;
	default:
		return 0;
	}
}

/* The last handshake message the server got through, or NULL: none. */
static const char *
handshake_last_in(gnutls_session_t s)
{
	static const struct {
		gnutls_handshake_description_t	 type;
		const char			*name;
	} names[] = {
		{ GNUTLS_HANDSHAKE_SERVER_HELLO, "ServerHello" },
		{ GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST, "HelloRetryRequest" },
		{ GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS,
		    "EncryptedExtensions" },
		{ GNUTLS_HANDSHAKE_CERTIFICATE_PKT, "Certificate" },
		{ GNUTLS_HANDSHAKE_CERTIFICATE_STATUS, "CertificateStatus" },
		{ GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE, "ServerKeyExchange" },
		{ GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST, "CertificateRequest" },
		{ GNUTLS_HANDSHAKE_SERVER_HELLO_DONE, "ServerHelloDone" },
		{ GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY, "CertificateVerify" },
		{ GNUTLS_HANDSHAKE_FINISHED, "Finished" },
	};
	gnutls_handshake_description_t	 last;
	size_t				 i;

	if (s == NULL || (int)(last = gnutls_handshake_get_last_in(s)) < 0)
		return NULL;
	for (i = 0; i < NELEM(names); i++)
		if (names[i].type == last)
			return names[i].name;
	return gnutls_handshake_description_get_name(last);
}

static void
conn_timeout(struct loop *l, struct conn *c, int64_t now)
{
	unsigned	 s = (l->p->timeout_ms + 999) / 1000;
	const char	*last;

	switch (c->st) {
	case ST_RESOLVING:
		conn_failf(l, c, "timed out after %us resolving %s", s,
		    c->t->connect != NULL ? c->t->connect : c->t->host);
		break;
	case ST_CONNECTING:
		snprintf(c->err, sizeof(c->err), "timed out after %us "
		    "connecting to %s", s, c->addr);
		conn_close(c);
		conn_try_next(l, c, now);
		break;
	case ST_STARTTLS:
		conn_failf(l, c, "timed out after %us in the STARTTLS %s "
		    "dialogue with %s", s, net_starttls_name(c->t->starttls),
		    c->addr);
		break;
	case ST_HANDSHAKE:
		/* Silent, or stuck later: say how far the server got. */
		last = handshake_last_in(c->s);
		conn_failf(l, c, "timed out after %us in the TLS handshake "
		    "with %s (%s%s)", s, c->addr, last != NULL ?
		    "stalled after the server's " : "no ServerHello",
		    last != NULL ? last : "");
		break;
	default:
		break;
	}
}

static void
loop_free(struct loop *l)
{
	size_t	 i;

	for (i = 0; i < l->nconns; i++) {
		conn_close(&l->conns[i]);
		if (l->conns[i].ai != NULL)
			freeaddrinfo(l->conns[i].ai);
		free(l->conns[i].source);
	}
	free(l->conns);
	free(l->active);
	free(l->rate.v);
	for (i = 0; i < NELEM(l->prio); i++)
		if (l->prio[i] != NULL)
			gnutls_priority_deinit(l->prio[i]);
	if (l->cred != NULL)
		gnutls_certificate_free_credentials(l->cred);
	resolver_stop(l->res);
}

static int
loop_init(struct loop *l, const struct net_targets *targets)
{
	static const char *const prios[] = { PRIO_ANY, PRIO_ECDSA, PRIO_RSA };
	size_t		 i, k, per = l->p->all_keys ? 2 : 1;
	struct conn	*c;
	int		 r;

	for (i = 0; i < NELEM(prios); i++)
		if (gnutls_priority_init(&l->prio[i], prios[i], NULL) < 0) {
			l->prio[i] = NULL;
			return -1;
		}
	if (gnutls_certificate_allocate_credentials(&l->cred) < 0) {
		l->cred = NULL;
		return -1;
	}
	if ((l->res = resolver_new()) == NULL)
		return -1;
	l->nconns = targets->n * per;
	if ((l->conns = calloc(l->nconns ? l->nconns : 1,
	    sizeof(*l->conns))) == NULL ||
	    (l->active = calloc(l->p->concurrency,
	    sizeof(*l->active))) == NULL)
		return -1;
	for (i = 0; i < targets->n; i++)
		for (k = 0; k < per; k++) {
			c = &l->conns[i * per + k];
			c->t = &targets->v[i];
			c->fd = -1;
			if (per == 1) {
				c->key = NET_KEY_ANY;
				c->source = strdup(c->t->name);
				continue;
			}
			c->key = k == 0 ? NET_KEY_ECDSA : NET_KEY_RSA;
			c->sibling = &l->conns[i * per + (1 - k)];
			r = asprintf(&c->source, "%s (%s)", c->t->name,
			    k == 0 ? "ECDSA" : "RSA");
			if (r < 0)
				c->source = NULL;
		}
	for (i = 0; i < l->nconns; i++)
		if (l->conns[i].source == NULL)
			return -1;
	if (l->p->rate > 0)
		l->rate.interval = 1000 / l->p->rate > 0 ?
		    1000 / l->p->rate : 1;
	return 0;
}

/*
 * Descriptors for conc sockets: raise the soft limit toward the hard one
 * when needed, and return how many handshakes the limit allows.
 */
static unsigned
fd_budget(unsigned conc)
{
	struct rlimit	 rl;
	rlim_t		 want = (rlim_t)conc + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return conc;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want ? want : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return conc;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
		return rl.rlim_cur > 96 ? (unsigned)(rl.rlim_cur - 64) : 32;
	return conc;
}

/*
 * Run every target; see net.h.
 */
int
net_run(const struct net_targets *targets, const struct net_params *params,
    net_sink sink, void *arg)
{
	struct loop	 l;
	struct net_params p = *params;
	struct pollfd	*pfd = NULL;
	struct conn	**snap = NULL;
	short		*rev = NULL;
	struct res_job	*done, *j;
	struct conn	*c;
	size_t		 next = 0, i, np;
	int64_t		 now, wait;
	int		 rc = -1, n, gated;

	memset(&l, 0, sizeof(l));
	p.concurrency = fd_budget(p.concurrency);
	params = &p;
	l.p = params;
	l.sink = sink;
	l.arg = arg;
	if (params->concurrency == 0 || loop_init(&l, targets) < 0 ||
	    (pfd = calloc(params->concurrency + 1, sizeof(*pfd))) == NULL ||
	    (snap = calloc(params->concurrency, sizeof(*snap))) == NULL ||
	    (rev = calloc(params->concurrency, sizeof(*rev))) == NULL)
		goto out;

	for (;;) {
		now = now_ms();
		gated = 0;
		while (l.nactive < params->concurrency && next < l.nconns &&
		    !l.failed) {
			if (params->admit != NULL &&
			    !params->admit(next, params->admit_arg)) {
				gated = 1;
				break;
			}
			conn_start(&l, &l.conns[next++], now);
		}
		if (l.failed)
			break;
		if (l.nactive == 0 && next == l.nconns)
			break;

		/* Poll the active sockets and the resolver's pipe. */
		wait = INT64_MAX;
		for (np = 0; np < l.nactive; np++) {
			c = l.active[np];
			pfd[np].fd = c->fd >= 0 && c->st != ST_WAIT_RATE ?
			    c->fd : -1;
			pfd[np].events = conn_events(c);
			pfd[np].revents = 0;
			if (c->st == ST_WAIT_RATE) {
				if (c->wake - now < wait)
					wait = c->wake - now;
			} else if (c->deadline - now < wait)
				wait = c->deadline - now;
		}
		pfd[np].fd = l.res->rfd;
		pfd[np].events = POLLIN;
		pfd[np].revents = 0;
		if (wait < 0)
			wait = 0;
		if (wait > 1000)
			wait = 1000;
		/* Not admitted: ask again soon (nothing here says when). */
		if (gated && wait > ADMIT_RETRY_MS)
			wait = ADMIT_RETRY_MS;
		if ((n = poll(pfd, np + 1, (int)wait)) < 0 && errno != EINTR)
			goto out;
		now = now_ms();

		/*
		 * Handle ready sockets.  Handling may retire connections
		 * (reordering l.active), so match pfd entries by fd owner
		 * captured before any of them runs.
		 */
		for (i = 0; i < np; i++) {
			snap[i] = l.active[i];
			rev[i] = pfd[i].revents;
		}
		for (i = 0; i < np; i++) {
			c = snap[i];
			if (rev[i] == 0 || c->st == ST_DONE ||
			    c->st == ST_HELD)
				continue;
			if (c->st == ST_CONNECTING)
				conn_connected(&l, c, now);
			else if (c->st == ST_STARTTLS)
				conn_starttls_io(&l, c, rev[i], now);
			else if (c->st == ST_HANDSHAKE)
				conn_handshake(&l, c);
		}
		if (pfd[np].revents != 0) {
			done = resolver_take(l.res);
			while ((j = done) != NULL) {
				done = j->next;
				c = &l.conns[j->id];
				if (c->st == ST_RESOLVING) {
					conn_resolved(&l, c, j->ai, j->gai,
					    now);
					j->ai = NULL;
				}
				res_job_free(j);
			}
		}

		/* Deadlines and rate-limited starts. */
		for (i = 0; i < l.nactive; ) {
			c = l.active[i];
			if (c->st == ST_WAIT_RATE && c->wake <= now)
				conn_connect(&l, c, now);
			else if (c->st != ST_WAIT_RATE && c->deadline <= now)
				conn_timeout(&l, c, now);
			/* Retiring c moved another into slot i. */
			if (i < l.nactive && l.active[i] == c)
				i++;
		}
	}
	rc = l.failed ? -1 : 0;
out:
	free(pfd);
	free(snap);
	free(rev);
	loop_free(&l);
	return rc;
}
