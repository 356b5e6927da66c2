/*
 * policy.h: the checks that turn a chosen path and the presented chain
 * into findings.  Evaluation time comes in params; nothing here reads the
 * clock.
 */
#ifndef CHAINAUDIT_POLICY_H
#define CHAINAUDIT_POLICY_H

#include "judge.h"

/* What policy_path_distrusted needs besides the path. */
struct distrust_ctx {
	const struct distrust_policy *policy;	/* borrowed */
	const struct cert *leaf;		/* borrowed */
	time_t		 now;
};

/*
 * The number of certificates of path p the distrust policy hits, for
 * path ranking (a path_params.distrusted callback; arg is a struct
 * distrust_ctx).
 */
unsigned policy_path_distrusted(const struct path_result *r,
	    const struct path *p, void *arg);

/* How a known certificate was found to share an orphan's issuer. */
enum issuer_match {
	ISSUER_BY_KEYID = 0,	/* its subjectKeyIdentifier is the AKI */
	ISSUER_BY_NAME,		/* its subject DN is the issuer DN */
	ISSUER_BY_ORG,		/* its organisation is the issuer's */
};

struct issuer_guess {
	const struct cert	*cert;	/* borrowed: from the store or corpus */
	enum issuer_match	 how;
};

/*
 * What judging found out about the pool for the checks, so that policy
 * reads facts and never searches the trust store or verifies a signature
 * itself.  Everything is borrowed from the judge.
 */
struct policy_facts {
	int		 leaf_self_signed;	/* verifies under its own key */
	int		 top_self_signed;	/* the chosen path's top, likewise */
	/*
	 * That self-signed top is a public CA's root (disclosed to CCADB,
	 * in the known-CA corpus, or trusted by another named store): the
	 * local trust store lacks it, the certificate is not at fault.
	 */
	int		 top_public;
	/* Per presented certificate: a trusted root, self-signed. */
	const unsigned char *presented_anchor;
	/*
	 * When the chosen path stops at a certificate whose issuer is
	 * nowhere (and a distrust policy is in force): the known
	 * certificates that share its issuer's identity, strongest
	 * evidence first.
	 */
	const struct issuer_guess *guesses;
	size_t		 nguesses;
	/*
	 * Revocation (revocation.h): crl[i] is what the --crl CRLs say of
	 * node i of the chosen path (NULL without --crl); staple and
	 * responder what the stapled response and --ocsp say of the leaf
	 * (NULL when not asked); must_staple, the leaf demands a staple.
	 */
	const struct rev_result *crl;
	size_t		 ncrl;
	const struct rev_result *staple;
	const struct rev_result *responder;
	const char	*responder_url;	/* NULL: the leaf names none */
	int		 must_staple;
	/*
	 * borrowed, may be NULL: the audit's work budget (budget.h), which
	 * the name-constraint checks draw on; its cut says what judging cut
	 * before policy ran (a search, a self-signature check).
	 */
	struct budget	*budget;
};

/* Run every check on a; returns 0, or -1 on allocation failure. */
int	policy_check(struct audit *a, const struct judge_params *params,
	    const struct policy_facts *facts);

#endif
