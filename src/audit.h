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
 *
 * Two sides: the engine's (judge, policy, constraints) reads the
 * certificates and the path result themselves; the report writers and
 * the scan's results records read only plain fields, strings and
 * numbers, which view_fill (view.h) sets from them once judging is
 * done.  The plain strings are borrowed from the certificates, which
 * outlive the audit.
 */
#ifndef CHAINAUDIT_AUDIT_H
#define CHAINAUDIT_AUDIT_H

#include <stddef.h>
#include <time.h>

#include "finding.h"
#include "origin.h"

/* The engine's types, which only the engine side looks into. */
struct cert;
struct path_result;
struct trust_store;

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

/*
 * A certificate the report shows, with where it came from.  The plain
 * fields are set by view_fill; sha256 NULL means no certificate (never
 * so in a judged audit).
 */
struct audit_cert {
	const struct cert *cert;	/* borrowed from audit or store: the
					   engine's */
	enum origin	 origin;
	int		 presented_index; /* position as sent, -1 if not sent */
	/*
	 * Set by the judge for a self-issued hybrid certificate: 1 + the
	 * enum sig_status of its alternative signature checked with its own
	 * alternative key; 0 when not checked.
	 */
	int		 alt_self_status;

	const char	*short_name;	/* its CN, else its subject; "?" */
	const char	*serial;	/* hex */
	const char	*sha256;	/* hex, of the DER */
	const char	*spki_sha256;	/* hex, of the SubjectPublicKeyInfo */
	time_t		 not_before, not_after;
	const char	*key_algorithm;	/* "RSA", "EC P-256", "Ed25519" */
	unsigned	 key_bits;
	char		 key_label[48];	/* "RSA 2048", "EC P-256" */
	const char	*sig_algorithm;	/* "RSA-SHA256", or the OID */
	int		 is_ca;		/* basicConstraints cA */
	int		 self_issued;	/* subject DN == issuer DN */
	int		 on_path;	/* a copy stands for a node of the
					   chosen path */
	int		 unlisted;	/* reports leave it out (view.h's cap) */
	/*
	 * X.509 alternative-key extensions (hybrid certificates): the
	 * subjectAltPublicKeyInfo's and the altSignatureAlgorithm's names
	 * (or dotted OIDs); NULL when the certificate has none.
	 */
	const char	*alt_key_algorithm;
	const char	*alt_sig_algorithm;
	/*
	 * A self-issued hybrid certificate's alternative signature checked
	 * with its own alternative key: "verified", "failed" or
	 * "unsupported" (an algorithm this GnuTLS lacks); NULL for any other
	 * certificate.  Information only: an anchor's self-signature never
	 * counts toward trust.
	 */
	const char	*alt_self_signature;
};

/* A signature's strength as reports show it. */
struct audit_strength {
	unsigned	 bits;		/* security bits: min(hash, key) */
	int		 broken;	/* rests on MD2, MD5 or SHA-1 */
};

/*
 * Why a link's chosen signature won, against the strongest other
 * verified one (audit_link.other).
 */
enum audit_because {
	BECAUSE_NONE = 0,	/* no verified signature */
	BECAUSE_ONLY,		/* the only verified signature */
	BECAUSE_ALGORITHM,	/* stronger, and another algorithm */
	BECAUSE_BITS,		/* stronger, the same algorithm's name */
	BECAUSE_VALID_NOW,	/* equally strong, on a certificate valid
				   now that the other's is not */
	BECAUSE_VALID_NOW_WEAKER, /* weaker, but valid now */
	BECAUSE_PRESENTED,	/* equally strong, as presented */
	BECAUSE_EQUAL,		/* equally strong */
	BECAUSE_RANKING,	/* the path's ranking chose it */
};

/* One signature that could vouch for a link of the chosen path. */
struct audit_cand {
	int		 cert;		/* certs index: the subject's copy
					   signed, -1 if not listed */
	int		 issuer;	/* certs index: supplies the key */
	enum origin	 origin;	/* where cert came from */
	int		 alternative;	/* X.509 altSignatureValue (hybrid) */
	const char	*algorithm;	/* borrowed: "RSA-SHA256" */
	const char	*status;	/* static: "verified", "failed", ... */
	struct audit_strength strength;
	int		 valid_now;	/* cert is within its validity */
	int		 chosen;	/* the link's chosen signature */
	const char	*not_used;	/* static: why not ("weaker"), NULL
					   when chosen */
};

/* One step of the chosen path: nodes[i] signed by nodes[i + 1]. */
struct audit_link {
	int		 subject;	/* certs index: the chosen signature's
					   certificate, else node i's */
	int		 issuer;	/* certs index: node i + 1's */
	size_t		 cand, ncands;	/* its signatures: cands[cand...] */
	int		 chosen;	/* cands index, -1: none verified */
	enum audit_because because;	/* why chosen won */
	int		 other;		/* cands index: the strongest other
					   verified signature, or -1 */
};

/* A node of a path: the certificate that stands for it. */
struct audit_node {
	int		 cert;		/* certs index, -1 if not listed */
	int		 anchor;	/* a trust anchor */
};

/* Another complete path that was found: alternatives to the chosen. */
struct audit_alt {
	size_t		 node, nnodes;	/* its nodes: nodes[node...] */
	struct audit_strength weakest;	/* with nnodes > 1 */
	int		 complete;
};

/*
 * The chosen path and what the search did, for the writers (path.h's
 * result, plainly).  Set when chosen is; the arrays share one block.
 */
struct audit_path {
	int		 chosen;	/* a path was chosen */
	int		 complete;	/* it ends at a trust anchor */
	int		 broken_link;	/* partial: stops at a failed
					   signature */
	struct audit_strength weakest;	/* over its links, with any */
	size_t		 paths_found;	/* complete paths in all */
	size_t		 paths_explored;
	size_t		 sig_checks;
	int		 capped;	/* a work limit stopped the search */
	/* the chosen path's nnodes, leaf first, then the alternatives' */
	struct audit_node *nodes;
	size_t		 nnodes;
	struct audit_link *links;	/* nnodes - 1 of them */
	struct audit_cand *cands;	/* every link's, in order */
	size_t		 ncands;
	struct audit_alt *alts;
	size_t		 nalts;
	void		*mem;		/* owned: the arrays above */
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
	/* plain, by view_fill: borrowed from anchor, NULL if untrusted */
	const char	*anchor_sha256;
	const char	*anchor_subject;
};

/*
 * What one source says about the revocation of one certificate of the
 * chosen path (--crl, a stapled OCSP response, --ocsp): plain, for the
 * writers.  Set by the judge from what revocation.h found.
 */
struct audit_revocation {
	int		 cert;		/* certs index */
	const char	*source;	/* static: "crl", "ocsp-staple",
					   "ocsp-responder" */
	const char	*status;	/* static: "good", "revoked",
					   "unknown", "expired",
					   "bad-response", "absent",
					   "unavailable" */
	time_t		 this_update;	/* 0: unknown */
	time_t		 next_update;	/* 0: unknown or none */
	time_t		 revoked_at;	/* 0 unless revoked */
	const char	*reason;	/* static CRLReason name, or NULL */
	char		*where;		/* owned: the CRL's file or the
					   responder's URL, or NULL */
	char		*detail;	/* owned: why it is not good, or NULL */
};

struct audit {
	char		*source;	/* "file.pem", "bundle.pem#2": in the
					   audit's own block (audit_new) */
	char		*host;		/* owned, may be NULL */
	char		*contact;	/* owned: the database row's contact, or NULL */
	long long	 db_row;	/* a database row's number in its scan,
					   from 1; 0: not a database row */
	char		*error;		/* owned: operational error, or NULL */
	int		 bundle_entry;	/* audited as one entry of a CA bundle */
	struct audit_tls *tls;		/* owned: live targets only, or NULL */

	int		 bad_input;	/* part of the input did not parse */

	struct audit_cert *certs;	/* owned: presented first, then path */
	size_t		  ncerts, certcap;
	size_t		  npresented;	/* certs[0..npresented) were sent */
	int		  leaf;		/* index of the leaf in certs, -1 */

	struct path_result *paths;	/* owned, NULL if no leaf: the
					   engine's */
	struct audit_path path;		/* the writers' view of paths */
	size_t		 nunlisted;	/* certs the reports leave out (view.h) */
	struct finding	*findings;	/* owned array */
	size_t		 nfindings, findcap;
	enum severity	 worst;
	int		 trusted;	/* a complete path to an anchor exists */
	/* owned: one per judge_params.stores, in order; none without */
	struct audit_verdict *verdicts;
	size_t		 nverdicts;
	/* owned: revocation answers, none when nothing was asked */
	struct audit_revocation *revocations;
	size_t		 nrevocations, revcap;

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
 * judge_input.
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

/*
 * Give the finding just added its own fix text, printf-style, with the
 * specifics the check knows (fmt NULL keeps the catalog's advice), and
 * its deadline (0: none; see struct finding).  0, or -1 on ENOMEM or
 * when a has no finding.
 */
int	audit_set_fix(struct audit *a, time_t deadline, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Add a presented certificate, index its position as sent.  0 or -1. */
int	audit_add_presented(struct audit *a, const struct cert *c, int index);

/* Index of c in a->certs, adding it with origin when absent; -1 on ENOMEM. */
int	audit_cert_index(struct audit *a, const struct cert *c,
	    enum origin origin);

/*
 * Add a copy of r (its strings copied) to a's revocation answers.
 * Returns 0 or -1.
 */
int	audit_add_revocation(struct audit *a, const struct audit_revocation *r);

void	audit_free(struct audit *a);
void	audit_tls_free(struct audit_tls *t);
/* A copy of t (owned), or NULL on allocation failure. */
struct audit_tls *audit_tls_dup(const struct audit_tls *t);

/* A presented-or-store origin's name for reports: "presented", ... */
const char *origin_name(enum origin o);

/*
 * The subject and issuer DNs of ac's certificate as RFC 4514 strings,
 * borrowed from it; NULL without one.  Functions, not fields: the full
 * names are made on first use, as most a scan never writes and making
 * them is a measurable share of its time (bench/README).  Thread-safe.
 */
const char *audit_cert_subject(const struct audit_cert *ac);
const char *audit_cert_issuer(const struct audit_cert *ac);
/*
 * The issuer DN of a->certs[idx], as audit_cert_issuer gives it, but
 * formatted from a certificate of the audit whose subject is its issuer
 * byte for byte when there is one: the same string, made once per run
 * for a CA the parse cache shares, instead of once per leaf.  NULL when
 * idx has no certificate.
 */
const char *audit_issuer_dn(const struct audit *a, size_t idx);

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
