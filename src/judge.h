/*
 * judge.h: judge one input end to end into audit records (audit.h):
 * parse it, choose the leaf, build every path (path.h), fetch missing
 * issuers through a hook when asked, give each named store its verdict,
 * and run the policy checks (policy.h) on facts gathered here.
 *
 * The engine never does I/O of its own: sources hand in DER blobs, the
 * optional fetch hook is the caller's, and sinks decide what to do with
 * each audit.
 */
#ifndef CHAINAUDIT_JUDGE_H
#define CHAINAUDIT_JUDGE_H

#include <stddef.h>
#include <time.h>

#include "audit.h"
#include "certcache.h"
#include "distrust.h"
#include "path.h"
#include "pem.h"
#include "profile.h"
#include "revocation.h"
#include "sig.h"
#include "suffix.h"
#include "trust.h"

/* What the engine needs to know; resolved once from the options. */
struct judge_params {
	enum profile	 profile;
	time_t		 now;
	time_t		 sha1_sunset;	/* ignored when sha1_sunset_never */
	int		 sha1_sunset_never;
	unsigned	 warn_days;
	/*
	 * --max-depth: the most intermediate CA certificates (self-issued
	 * ones not counted) a chosen path may hold; only when max_depth_set.
	 */
	int		 max_depth_set;
	unsigned	 max_depth;
	/*
	 * --strict-anchors: judge a trust anchor's form by the profile too;
	 * otherwise it is trusted by name and key, as browsers trust it.
	 */
	int		 strict_anchors;
	const char	*host;		/* borrowed; NULL: no hostname check */
	const struct distrust_policy *distrust;	/* borrowed, may be NULL */
	/* borrowed, may be NULL (libpsl's built-in list): suffix.h */
	const struct suffix_list *suffixes;
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
	/* borrowed, may be NULL: the run's CRLs (--crl) */
	const struct crl_set *crls;
	/*
	 * Optional (NULL: no --ocsp): POST the DER OCSP request req to the
	 * responder at url (aia_ocsp fits), with fetch_issuer's contract.
	 */
	int		(*fetch_ocsp)(void *arg, const char *url,
			    const unsigned char *req, size_t reqlen,
			    unsigned char **body, size_t *len, char *why,
			    size_t whylen);
	void		*ocsp_arg;
	/*
	 * Per target, set by the run layer (run.h): a live handshake asked
	 * for the server's OCSP response, and staple (borrowed; NULL: none
	 * came) is what it stapled.
	 */
	int		 staple_asked;
	const unsigned char *staple;
	size_t		 staple_len;
};

/*
 * Audit one input (a file, a database row, a handshake): the blobs in
 * the order they were sent, decoding problems in blobs->errors.  A chain
 * gives one audit; an input holding only CA certificates (or any input
 * when bundle is set) gives one audit per certificate, named
 * "source#N", each able to use the others as intermediates.  Blobs that
 * do not parse become `unparseable` findings and set bad_input.
 * Returns 0, or -1 on allocation failure or when the sink stopped.
 */
int	judge_input(const char *source, const struct der_list *blobs,
	    int bundle, const struct judge_params *params,
	    const struct trust_store *store, struct sig_cache *cache,
	    audit_sink sink, void *arg);

#endif
