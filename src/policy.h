/*
 * policy.h: the checks that turn a chosen path and the presented chain
 * into findings.  Evaluation time comes in params; nothing here reads the
 * clock.
 */
#ifndef CHAINAUDIT_POLICY_H
#define CHAINAUDIT_POLICY_H

#include "audit.h"

/* Run every check on a; returns 0, or -1 on allocation failure. */
int	policy_check(struct audit *a, const struct audit_params *params,
	    const struct trust_store *store, struct sig_cache *cache);

#endif
