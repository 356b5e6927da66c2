/*
 * profile.h: the form of each certificate on the chosen path against a
 * certificate profile (judge_params.profile): what RFC 5280 requires of
 * every certificate, and under PROFILE_WEBPKI what the CA/Browser
 * Forum's Baseline Requirements require and browsers enforce.  Reads the
 * chosen path only, as policy.c's checks do.
 */
#ifndef CHAINAUDIT_PROFILE_H
#define CHAINAUDIT_PROFILE_H

#include "audit.h"

/*
 * Whose rules a certificate's form is judged by (--profile).  The zero
 * value is the plain RFC 5280 one; the command line's default is the Web
 * PKI's: RFC 5280 plus the CA/Browser Forum's certificate profile and
 * what browsers enforce.
 */
enum profile {
	PROFILE_RFC5280 = 0,
	PROFILE_WEBPKI,
};

struct judge_params;

/*
 * Add to a the profile findings of its chosen path (see finding.def:
 * malformed-san, leaf-key-cert-sign; under webpki also dsa-key and
 * ca-leaf).  A bundle entry is a CA audited alone: the leaf rules skip
 * it.  Returns 0, or -1 on allocation failure.
 */
int	profile_check(struct audit *a, const struct judge_params *params);

/* "webpki" or "rfc5280". */
const char *profile_name(enum profile p);

/* Parse a --profile value; 0, or -1 when s names no profile. */
int	profile_parse(const char *s, enum profile *out);

#endif
