/*
 * revocation.h: is a certificate revoked?  Certificate revocation lists
 * (RFC 5280 5) given with --crl, loaded once per run, and OCSP responses
 * (RFC 6960) a server stapled or a responder answered, each checked
 * against the certificate and its issuer at the evaluation time.
 *
 * An engine module: it never does I/O.  The bytes come from the caller
 * (engine.c reads the CRL files, net.c keeps the stapled response, the
 * judge's fetch hook asks a responder), and every verdict is a plain
 * struct rev_result that policy turns into findings.
 *
 * Ownership: a crl_set owns its CRLs; results borrow the set's origin
 * strings, so they must not outlive it (the engine's outlives every
 * audit).
 */
#ifndef CHAINAUDIT_REVOCATION_H
#define CHAINAUDIT_REVOCATION_H

#include <stddef.h>
#include <time.h>

#include "cert.h"
#include "util.h"

/* What one source says about one certificate, at the evaluation time. */
enum rev_status {
	REV_NONE = 0,		/* nothing: no CRL covers it, not asked */
	REV_GOOD,		/* a current, verified answer: not revoked */
	REV_REVOKED,		/* revoked at or before the evaluation time */
	REV_UNKNOWN,		/* OCSP: the responder does not know it */
	REV_EXPIRED,		/* the answer is stale or not yet valid */
	REV_BAD,		/* unusable: does not parse, wrong signer,
				   about another certificate */
	REV_ABSENT,		/* a live server stapled nothing */
	REV_UNAVAILABLE,	/* --ocsp: the responder could not be asked */
};

struct rev_result {
	enum rev_status	 status;
	time_t		 this_update;	/* 0: unknown */
	time_t		 next_update;	/* 0: unknown or none */
	time_t		 revoked_at;	/* REV_REVOKED */
	int		 reason;	/* CRLReason, -1: none given */
	const char	*origin;	/* borrowed: the CRL's "file#n", or
					   NULL */
	char		 why[ERRBUF_LEN]; /* the detail, "" when none */
};

/* The name of a status ("good", "revoked", ...), static. */
const char *rev_status_name(enum rev_status s);
/* The name of a CRLReason ("keyCompromise"), static; NULL for -1. */
const char *rev_reason_name(int reason);

/* ---- CRLs ------------------------------------------------------------ */

struct crl_set;

struct crl_set *crl_set_new(void);
void	crl_set_free(struct crl_set *s);
size_t	crl_set_count(const struct crl_set *s);

/*
 * Add the CRLs in buf (one DER CRL, or PEM holding any number of
 * "X509 CRL" blocks) under the name origin ("file", "file#2" for the
 * second of a PEM file).  Returns 0, or -1 with the reason in err when
 * buf holds no CRL that parses or memory runs out; nothing is added
 * then.
 */
int	crl_set_add(struct crl_set *s, const unsigned char *buf, size_t len,
	    const char *origin, char *err, size_t errlen);

/*
 * What the CRLs of s issued under issuer's name (and key identifier,
 * when both give one) say about c, issued by issuer, at now: the
 * strongest answer of any of them (revoked, then good, then stale, then
 * unusable), REV_NONE when none covers c.  A CRL counts only when its
 * signature verifies with issuer's key.  A revocation listed in a stale
 * CRL still stands; a CRL not yet valid at now says nothing else.
 */
void	crl_check(const struct crl_set *s, const struct cert *c,
	    const struct cert *issuer, time_t now, struct rev_result *out);

/* ---- OCSP ------------------------------------------------------------ */

/*
 * Judge the DER OCSP response der (stapled or fetched) about leaf,
 * issued by issuer (NULL: unknown), at now: signed by issuer, or by a
 * responder certificate it holds that issuer issued for OCSP signing
 * (RFC 6960 4.2.2.2) and that is valid at now; about leaf (the
 * certificate ID: issuer name and key hashes, serial); thisUpdate not
 * after now, nextUpdate not before.  A revocation before now stands
 * even in a stale response.
 */
void	ocsp_check(const unsigned char *der, size_t len,
	    const struct cert *leaf, const struct cert *issuer, time_t now,
	    struct rev_result *out);

/*
 * A DER OCSP request for leaf issued by issuer (SHA-1 certificate ID,
 * no nonce, as responders and their caches expect).  0 with *der (owned)
 * and *len, or -1.
 */
int	ocsp_request(const struct cert *leaf, const struct cert *issuer,
	    unsigned char **der, size_t *len);

/*
 * The first OCSP responder URL of c's authorityInfoAccess (RFC 5280
 * 4.2.2.1), an http one first; owned, NULL when there is none.
 */
char	*ocsp_url(const struct cert *c);

/*
 * 1 when c carries the TLS feature extension (RFC 7633,
 * 1.3.6.1.5.5.7.1.24) asking for status_request: must-staple.
 */
int	cert_is_must_staple(const struct cert *c);

#endif
