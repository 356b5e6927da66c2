/*
 * audit.h: the audit record: what judging one target (a chain file, a
 * bundle entry, a host, a database row) found, as every report writer
 * and the results store read it, and the pass/fail rule applied to it.
 * judge.h fills it.
 *
 * Ownership: an audit owns its strings, arrays, findings and path
 * result; the certificates it shows are borrowed from its hold (those
 * its input parsed, released with the last audit of that input) or from
 * the run's trust store, corpus and caches, which outlive every audit.
 */
#ifndef CHAINAUDIT_AUDIT_H
#define CHAINAUDIT_AUDIT_H

#include <stddef.h>
#include <time.h>

#include "cert.h"
#include "finding.h"
#include "origin.h"
#include "path.h"

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
	const struct audit_store *store; /* borrowed from judge's params */
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

/* A new, empty audit of source, or NULL on ENOMEM. */
struct audit *audit_new(const char *source);

/* An audit that records only an operational error for source. */
struct audit *audit_error(const char *source, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Add a finding (message printf-style).  Returns 0 or -1. */
int	audit_add_finding(struct audit *a, enum finding_id id, int cert,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Add a presented certificate, index its position as sent.  0 or -1. */
int	audit_add_presented(struct audit *a, const struct cert *c, int index);

/* Index of c in a->certs, adding it with origin when absent; -1 on ENOMEM. */
int	audit_cert_index(struct audit *a, const struct cert *c,
	    enum origin origin);

void	audit_free(struct audit *a);
void	audit_tls_free(struct audit_tls *t);
/* A copy of t (owned), or NULL on allocation failure. */
struct audit_tls *audit_tls_dup(const struct audit_tls *t);

/* A presented-or-store origin's name for reports: "presented", ... */
const char *origin_name(enum origin o);

/*
 * The pass/fail rule (--fail-on), the one every report's verdict and the
 * exit status apply: 1 when a has a finding at or above fail_on, never
 * when fail_never is set.
 */
int	audit_fails(const struct audit *a, enum severity fail_on,
	    int fail_never);

/*
 * The hold: the certificates one input parsed, shared by its audits and
 * released with the last of them (the count is atomic: a scan frees
 * audits on another thread).  New with room for n and one reference;
 * set takes ownership of c at i; keep adds one more (owned; freed on
 * ENOMEM); shed frees the GnuTLS objects of what it holds (cert_shed)
 * once judged.  NULL holds are accepted by ref, shed and release.
 */
struct audit_hold *audit_hold_new(size_t n);
void	audit_hold_set(struct audit_hold *h, size_t i, struct cert *c);
int	audit_hold_keep(struct audit_hold *h, struct cert *c);
struct audit_hold *audit_hold_ref(struct audit_hold *h);
void	audit_hold_shed(struct audit_hold *h);
void	audit_hold_release(struct audit_hold *h);

#endif
