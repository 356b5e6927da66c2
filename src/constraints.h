/*
 * constraints.h: what each certificate of the chosen path must honour
 * beyond its signature and dates: the name and path-length constraints
 * of the CAs above it, being a CA when it issues, the critical
 * extensions it carries, and the key purposes of a server chain.
 */
#ifndef CHAINAUDIT_CONSTRAINTS_H
#define CHAINAUDIT_CONSTRAINTS_H

#include "audit.h"
#include "budget.h"

/*
 * Add to a the findings name-constraints-violation, path-length-exceeded,
 * issuer-not-ca, unknown-critical-extension, precertificate, leaf-eku and
 * issuer-eku of its chosen path (complete or not).  The key purposes are
 * judged only for a server chain, not a bundle entry.  The name checks
 * draw on budget (may be NULL: unbounded); one it cannot pay for, or
 * larger than GnuTLS checks, is name-constraints-unchecked, never a
 * violation.  Returns 0, or -1 on allocation failure.
 */
int	constraints_check(struct audit *a, struct budget *budget);

#endif
