/*
 * audit.h: one target (a chain file, a bundle entry, later a host or a
 * database row) audited end to end into a struct audit that every report
 * writer reads.
 *
 * The engine never does I/O: sources hand in DER blobs, the audit returns
 * data, and sinks decide how to show it.
 */
#ifndef CHAINAUDIT_AUDIT_H
#define CHAINAUDIT_AUDIT_H

#include <stddef.h>
#include <time.h>

#include "cert.h"
#include "certcache.h"
#include "distrust.h"
#include "finding.h"
#include "path.h"
#include "pem.h"
#include "sig.h"
#include "trust.h"

/*
 * A named trust store (--trust-store) whose verdict every audit reports:
 * plain data the caller resolved once (truststores.h), the first entry
 * being the store that decides trust and findings.
 */
struct audit_store {
	const char	*name;		/* borrowed: "mozilla" */
	const char	*as_of;		/* borrowed: "2017-07-27"; NULL for
					   the system store (today's file) */
	const char	*version;	/* borrowed: "certifi 2017.11.05", or
					   NULL */
	const char	*note;		/* borrowed: why the date is not simply
					   the evaluation time's, or NULL */
	/*
	 * Borrowed: that store's anchors, searching the run's store as its
	 * pool (trust_store_set_pool); NULL for the run's own store, whose
	 * verdict is the audit's.
	 */
	const struct trust_store *store;
};

/* What the engine needs to know; resolved once from the options. */
struct audit_params {
	time_t		 now;
	time_t		 sha1_sunset;	/* ignored when sha1_sunset_never */
	int		 sha1_sunset_never;
	unsigned	 warn_days;
	const char	*host;		/* borrowed; NULL: no hostname check */
	const struct distrust_policy *distrust;	/* borrowed, may be NULL */
	struct path_params path;
	/* borrowed, may be NULL: the run's parsed CA certificates */
	struct cert_cache *certs;
	/*
	 * Optional (NULL: nothing is fetched): the body at a caIssuers URL
	 * of the certificate atop a path that stops short of an anchor
	 * (aia_fetch fits).  Returns 0 with *body (owned) and *len, or -1
	 * with a one-line reason in why.  Called on the auditing thread, so
	 * it must be thread-safe when audits run on several.
	 */
	int		(*fetch_issuer)(void *arg, const char *url,
			    unsigned char **body, size_t *len, char *why,
			    size_t whylen);
	void		*fetch_arg;
	/* borrowed, may be NULL: the named stores to give a verdict for */
	const struct audit_store *stores;
	size_t		 nstores;
};

/* The certificates parsed from one input, shared by its audits. */
struct audit_hold;

/* A certificate the report shows, with where it came from. */
struct audit_cert {
	const struct cert *cert;	/* borrowed from audit or store */
	enum origin	 origin;
	int		 presented_index; /* position as sent, -1 if not sent */
};

/*
 * How a live target was reached and what its handshake negotiated, for
 * the reports: plain strings (the engine knows no network types), all
 * owned and each NULL when unknown.  Set by the caller, never read by
 * the engine.
 */
struct audit_tls {
	char		*target;	/* the target as given */
	char		*address;	/* "127.0.0.1:443", as connected */
	char		*sni;		/* server name sent, NULL: none */
	char		*starttls;	/* "smtp", ... NULL: TLS at once */
	char		*key_type;	/* certificate asked for: any|ecdsa|rsa */
	char		*protocol;	/* "TLS1.3" */
	char		*cipher;	/* "TLS_AES_256_GCM_SHA384" */
	char		*server_sign;	/* server's handshake signature */
};

/* One named store's verdict on a target (see struct audit_store). */
struct audit_verdict {
	const struct audit_store *store; /* borrowed from audit_params */
	int		 trusted;	/* a complete path to its anchors */
	const struct cert *anchor;	/* borrowed from the store: the
					   path's anchor, NULL if untrusted */
};

struct audit {
	char		*source;	/* owned: "file.pem", "bundle.pem#2" */
	char		*host;		/* owned, may be NULL */
	char		*contact;	/* owned: the database row's contact, or NULL */
	char		*error;		/* owned: operational error, or NULL */
	int		 bundle_entry;	/* audited as one entry of a CA bundle */
	struct audit_tls *tls;		/* owned: live targets only, or NULL */

	int		 bad_input;	/* part of the input did not parse */

	struct audit_cert *certs;	/* owned: presented first, then path */
	size_t		  ncerts, certcap;
	size_t		  npresented;	/* certs[0..npresented) were sent */
	int		  leaf;		/* index of the leaf in certs, -1 */

	struct path_result *paths;	/* owned, NULL if no leaf */
	struct finding	*findings;	/* owned array */
	size_t		 nfindings, findcap;
	enum severity	 worst;
	int		 trusted;	/* a complete path to an anchor exists */
	/* owned: one per audit_params.stores, in order; none without */
	struct audit_verdict *verdicts;
	size_t		 nverdicts;

	/*
	 * Owned reference: keeps the certificates parsed from the input
	 * alive as long as the audit, so a sink may keep it.
	 */
	struct audit_hold *hold;
};

/*
 * Receives each finished audit, which the sink then owns and frees with
 * audit_free, at once or later (a scan hands it to its writer thread).
 * The audit holds the certificates parsed from its input; those of the
 * trust store, the distrust policy and the run's certificate cache are
 * borrowed, so it must be freed before them.  Returns 0, or -1 to stop
 * audit_input.
 */
typedef int (*audit_sink)(struct audit *a, void *arg);

/*
 * A sink that only looks: the audit stays its caller's, who frees it
 * (the database scan does so on the thread that made it, see scan.c).
 */
typedef int (*audit_view)(const struct audit *a, void *arg);

/*
 * Audit one input (a file, a database row, a handshake): the blobs in
 * the order they were sent, decoding problems in blobs->errors.  A chain
 * gives one audit; an input holding only CA certificates (or any input
 * when bundle is set) gives one audit per certificate, named
 * "source#N", each able to use the others as intermediates.  Blobs that
 * do not parse become `unparseable` findings and set bad_input.
 * Returns 0, or -1 on allocation failure or when the sink stopped.
 */
int	audit_input(const char *source, const struct der_list *blobs,
	    int bundle, const struct audit_params *params,
	    const struct trust_store *store, struct sig_cache *cache,
	    audit_sink sink, void *arg);

/* An audit that records only an operational error for source. */
struct audit *audit_error(const char *source, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Add a finding (message printf-style).  Returns 0 or -1. */
int	audit_add_finding(struct audit *a, enum finding_id id, int cert,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Index of c in a->certs, adding it with origin when absent; -1 on ENOMEM. */
int	audit_cert_index(struct audit *a, const struct cert *c,
	    enum origin origin);

void	audit_free(struct audit *a);
void	audit_tls_free(struct audit_tls *t);
/* A copy of t (owned), or NULL on allocation failure. */
struct audit_tls *audit_tls_dup(const struct audit_tls *t);

/* A presented-or-store origin's name for reports: "presented", ... */
const char *origin_name(enum origin o);

#endif
