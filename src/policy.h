/*
 * policy.h: the checks that turn a chosen path and the presented chain
 * into findings.  Evaluation time comes in params; nothing here reads the
 * clock.
 */
#ifndef CHAINAUDIT_POLICY_H
#define CHAINAUDIT_POLICY_H

#include "audit.h"

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

/* Run every check on a; returns 0, or -1 on allocation failure. */
int	policy_check(struct audit *a, const struct audit_params *params,
	    const struct trust_store *store, struct sig_cache *cache);

#endif
