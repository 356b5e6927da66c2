/*
 * constraints.c: the constraints RFC 5280 6.1 puts on a path, read from
 * the chosen path as policy.c's checks are.
 *
 * Path index 0 is the leaf, the last index the top (the trust anchor
 * when the path is complete).  A CA's constraints apply to the
 * certificates below it; the anchor's too, as GnuTLS, Chrome and
 * rustls apply them, though RFC 5280 leaves that to the relying party.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cert.h"
#include "constraints.h"
#include "path.h"

/* Certificate index of c in the audit, added if need be; -1 on ENOMEM. */
static int
cert_idx(struct audit *a, const struct cert *c)
{
	return audit_cert_index(a, c, ORIGIN_ANCHOR);
}

/* 1 when node i of p is the trust anchor it ends at. */
static int
node_is_anchor(const struct path_result *r, const struct path *p, size_t i)
{
	return i + 1 == p->len && r->nodes[p->nodes[i]].anchor != NULL;
}

/*
 * GnuTLS gives up on a certificate whose names times the CA's subtrees
 * exceed 2^20 (MAX_NC_CHECKS, lib/x509/name_constraints.c) and answers
 * "not permitted": a violation nobody saw.  Such a pair is never handed
 * to it.
 */
#define NC_GNUTLS_MAX_PAIRS	(1u << 20)

/*
 * 1 when the names of c may be checked against the subtrees of ca: the
 * pairs are within what GnuTLS checks and the budget pays for them.
 * Else 0 and why.  Every name a check reads counts: the subjectAltName
 * entries, the subject and its CN or email address.
 */
static int
names_affordable(const struct cert *ca, const struct cert *c,
    struct budget *budget, char *why, size_t len)
{
	uint64_t pairs = (uint64_t)ca->nc_subtrees * (c->san_count + 2);

	if (pairs > NC_GNUTLS_MAX_PAIRS) {
		snprintf(why, len, "%u names against %u subtrees are more "
		    "than the %u comparisons GnuTLS makes", c->san_count + 2,
		    ca->nc_subtrees, NC_GNUTLS_MAX_PAIRS);
		return 0;
	}
	if (!budget_spend(budget, pairs * BUDGET_NAME_PAIR_NS,
	    BUDGET_CUT_NAMES)) {
		snprintf(why, len, "%u names against %u subtrees are more "
		    "work than the audit's budget has left", c->san_count + 2,
		    ca->nc_subtrees);
		return 0;
	}
	return 1;
}

/*
 * name-constraints-violation: RFC 5280 6.1.3 (b)(c) applies the
 * nameConstraints of each CA to every certificate below it, the leaf
 * included, skipping self-issued intermediates.  Constraints that cannot
 * be used fail the CA carrying them; an end entity may not carry any.
 */
static int
check_names(struct audit *a, struct budget *budget)
{
	const enum finding_id id = FIND_NAME_CONSTRAINTS_VIOLATION;
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *ca, *c;
	char name[256], caname[256], why[1024];
	size_t i, j;
	int idx;

	for (i = 0; i < p->len; i++) {
		ca = path_node_cert(r, p, i);
		if (ca->nc == NULL && ca->nc_error == NULL)
			continue;
		cert_short_name(ca, caname, sizeof(caname));
		if (i == 0 && !ca->is_ca) {
			if ((idx = cert_idx(a, ca)) < 0 ||
			    audit_add_finding(a, id, idx, "%s has "
			    "nameConstraints but is not a CA; only a CA "
			    "certificate may carry them", caname) < 0)
				return -1;
			continue;
		}
		if (ca->nc_error != NULL) {
			if ((idx = cert_idx(a, ca)) < 0 ||
			    audit_add_finding(a, id, idx, "the nameConstraints "
			    "of %s is %s; the names below it cannot be "
			    "checked", caname, ca->nc_error) < 0)
				return -1;
			continue;
		}
		for (j = 0; j < i; j++) {
			c = path_node_cert(r, p, j);
			if (j > 0 && c->self_issued)
				continue;
			if (!names_affordable(ca, c, budget, why,
			    sizeof(why))) {
				if ((idx = cert_idx(a, c)) < 0 ||
				    audit_add_finding(a,
				    FIND_NAME_CONSTRAINTS_UNCHECKED, idx,
				    "%s: the nameConstraints of %s were not "
				    "checked: %s", cert_short_name(c, name,
				    sizeof(name)), caname, why) < 0)
					return -1;
				continue;
			}
			/* A malformed name is within no subtree. */
			if (c->san_malformed != NULL)
				snprintf(why, sizeof(why), "the malformed %s",
				    c->san_malformed);
			else if (cert_is_name_permitted(ca, c, why,
			    sizeof(why)))
				continue;
			if ((idx = cert_idx(a, c)) < 0 ||
			    audit_add_finding(a, id, idx, "%s: %s is outside "
			    "the nameConstraints of %s", cert_short_name(c,
			    name, sizeof(name)), why, caname) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * path-length-exceeded: a CA's pathLenConstraint bounds the intermediate
 * CAs below it, self-issued ones not counted and the leaf never one
 * (RFC 5280 4.2.1.9, 6.1.4 (l)(m)).
 */
static int
check_path_length(struct audit *a)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *ca;
	char name[256];
	size_t i, j, n;
	int idx;

	for (i = 2; i < p->len; i++) {
		ca = path_node_cert(r, p, i);
		if (!ca->is_ca || ca->pathlen < 0)
			continue;
		for (j = 1, n = 0; j < i; j++)
			n += !path_node_cert(r, p, j)->self_issued;
		if (n <= (size_t)ca->pathlen)
			continue;
		if ((idx = cert_idx(a, ca)) < 0 ||
		    audit_add_finding(a, FIND_PATH_LENGTH_EXCEEDED, idx,
		    "%s has pathLenConstraint %d, but %zu intermediate CA "
		    "certificate%s follow%s it on the path",
		    cert_short_name(ca, name, sizeof(name)), ca->pathlen, n,
		    n == 1 ? "" : "s", n == 1 ? "s" : "") < 0)
			return -1;
	}
	return 0;
}

/*
 * issuer-not-ca: every issuer on the path must be allowed to sign
 * certificates (RFC 5280 6.1.4 (k)(n)).  Path building links such an
 * issuer rather than refusing it, ranking any path without one first,
 * so that the report says what is wrong instead of "no issuer found".
 */
static int
check_issuers(struct audit *a)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *c;
	char name[256], below[256];
	const char *bc, *ku;
	size_t i;
	int idx, anchor;

	for (i = 1; i < p->len; i++) {
		c = path_node_cert(r, p, i);
		anchor = node_is_anchor(r, p, i);
		if (cert_is_cert_signer(c, anchor))
			continue;
		bc = c->is_ca || (anchor && !c->bc_present) ? "" :
		    c->bc_present ? "its basicConstraints has cA=FALSE" :
		    "it has no basicConstraints with cA=TRUE";
		ku = !c->ku_present || (c->key_usage &
		    GNUTLS_KEY_KEY_CERT_SIGN) ? "" :
		    "its keyUsage lacks keyCertSign";
		if ((idx = cert_idx(a, c)) < 0 ||
		    audit_add_finding(a, FIND_ISSUER_NOT_CA, idx,
		    "%s issues %s but may not sign certificates: %s%s%s",
		    cert_short_name(c, name, sizeof(name)),
		    cert_short_name(path_node_cert(r, p, i - 1), below,
		    sizeof(below)), bc, *bc != '\0' && *ku != '\0' ? "; " : "",
		    ku) < 0)
			return -1;
	}
	return 0;
}

/*
 * unknown-critical-extension and precertificate: RFC 5280 4.2 has a
 * client reject a certificate with a critical extension it does not
 * process; the CT poison (RFC 6962 3.1) is one on purpose.
 */
static int
check_extensions(struct audit *a)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *c;
	char name[256];
	size_t i;
	int idx;

	for (i = 0; i < p->len; i++) {
		c = path_node_cert(r, p, i);
		if (!c->precert && c->unknown_critical == NULL)
			continue;
		if ((idx = cert_idx(a, c)) < 0)
			return -1;
		cert_short_name(c, name, sizeof(name));
		if (c->precert && audit_add_finding(a, FIND_PRECERTIFICATE,
		    idx, "%s carries the CT poison extension: it is a "
		    "precertificate, not the certificate issued after "
		    "logging it", name) < 0)
			return -1;
		if (c->unknown_critical != NULL && audit_add_finding(a,
		    FIND_UNKNOWN_CRITICAL_EXTENSION, idx, "%s has a critical "
		    "extension that is not processed: %s", name,
		    c->unknown_critical) < 0)
			return -1;
	}
	return 0;
}

/* The purposes of an extKeyUsage, for messages. */
static const char *
eku_text(unsigned eku, char *buf, size_t len)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} names[] = {
		{ EKU_SERVER_AUTH,	"serverAuth" },
		{ EKU_CLIENT_AUTH,	"clientAuth" },
		{ EKU_CODE_SIGNING,	"codeSigning" },
		{ EKU_EMAIL,		"emailProtection" },
		{ EKU_TIME_STAMPING,	"timeStamping" },
		{ EKU_OCSP_SIGNING,	"OCSPSigning" },
		{ EKU_ANY,		"anyExtendedKeyUsage" },
		{ EKU_OTHER,		"other purposes" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++)
		if (eku & names[i].bit)
			n += snprintf(buf + n, len - n, "%s%s",
			    n > 0 ? ", " : "", names[i].name);
	if (n == 0)
		snprintf(buf, len, "no purpose");
	return buf;
}

static int
eku_allows_server(const struct cert *c)
{
	return !c->eku_present || (c->eku & (EKU_SERVER_AUTH | EKU_ANY)) != 0;
}

/*
 * leaf-eku and issuer-eku, for a server chain only: a leaf whose
 * extendedKeyUsage leaves out serverAuth (CA/B BR 7.1.2.3), and a CA
 * whose extendedKeyUsage does (Chrome requires every CA's to allow it).
 */
static int
check_eku(struct audit *a)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	const struct cert *c;
	char name[256], purposes[160];
	size_t i;
	int idx;

	if (a->bundle_entry)
		return 0;
	for (i = 0; i < p->len; i++) {
		c = path_node_cert(r, p, i);
		if (eku_allows_server(c))
			continue;
		if ((idx = cert_idx(a, c)) < 0 ||
		    audit_add_finding(a, i == 0 ? FIND_LEAF_EKU :
		    FIND_ISSUER_EKU, idx, "the extendedKeyUsage of %s lists "
		    "%s, not serverAuth", cert_short_name(c, name,
		    sizeof(name)), eku_text(c->eku, purposes,
		    sizeof(purposes))) < 0)
			return -1;
	}
	return 0;
}

/*
 * Every constraint check on a's chosen path; see constraints.h.
 */
int
constraints_check(struct audit *a, struct budget *budget)
{
	const struct path_result *r = a->paths;

	if (r == NULL || !r->have_chosen)
		return 0;
	if (check_names(a, budget) < 0 || check_path_length(a) < 0 ||
	    check_issuers(a) < 0 || check_extensions(a) < 0 ||
	    check_eku(a) < 0)
		return -1;
	return 0;
}
