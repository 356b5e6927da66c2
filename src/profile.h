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
 * Whose rules a certificate's form is judged by (--profile): RFC 5280's
 * certificate profile, or the Web PKI's (RFC 5280's plus the CA/Browser
 * Forum's Baseline Requirements and what browsers enforce), the command
 * line's default.  The zero value checks no certificate profile at all:
 * what a caller that builds judge_params itself gets, such as a test of
 * path building on minimal certificates.
 */
enum profile {
	PROFILE_NONE = 0,
	PROFILE_RFC5280,
	PROFILE_WEBPKI,
};

struct judge_params;

/*
 * Add to a the profile findings of its chosen path: under rfc5280 those
 * of RFC 5280's certificate profile (malformed-san, leaf-key-cert-sign,
 * missing-key-identifier, extension-criticality, bad-serial-number,
 * empty-subject, malformed-extension); under webpki those and the
 * CA/Browser Forum's and browsers' (dsa-key, ca-leaf, bad-key-identifier,
 * cn-not-in-san, rsa-modulus-size, leaf-eku for a leaf without
 * extendedKeyUsage).  A trust anchor is trusted by name and key: its
 * basicConstraints and subjectKeyIdentifier are not required.  A bundle
 * entry is a CA audited alone: the leaf rules skip it.  Returns 0, or -1
 * on allocation failure.
 */
int	profile_check(struct audit *a, const struct judge_params *params);

/* "webpki", "rfc5280" or "none". */
const char *profile_name(enum profile p);

/* Parse a --profile value; 0, or -1 when s names no profile. */
int	profile_parse(const char *s, enum profile *out);

#endif
