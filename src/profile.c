/*
 * profile.c: certificate profile checks on the chosen path; see
 * profile.h.
 *
 * Path index 0 is the leaf, the last index the top.  Each check names
 * the rule it enforces in its comment; under PROFILE_RFC5280 the Web PKI
 * rules are not run at all, so a private PKI's certificates are judged by
 * RFC 5280 alone.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "judge.h"
#include "path.h"
#include "profile.h"

/* Certificate index of c in the audit, added if need be; -1 on ENOMEM. */
static int
cert_idx(struct audit *a, const struct cert *c)
{
	return audit_cert_index(a, c, ORIGIN_ANCHOR);
}

/*
 * malformed-san: a dNSName outside the preferred name syntax or an
 * iPAddress of the wrong length (RFC 5280 4.2.1.6) matches no host and
 * is within no name constraint; cert.c says which.
 */
static int
check_san_syntax(struct audit *a, const struct cert *c)
{
	char name[256];
	int idx;

	if (c->san_malformed == NULL)
		return 0;
	if ((idx = cert_idx(a, c)) < 0)
		return -1;
	return audit_add_finding(a, FIND_MALFORMED_SAN, idx,
	    "%s has a malformed subjectAltName: %s",
	    cert_short_name(c, name, sizeof(name)), c->san_malformed);
}

/*
 * dsa-key: no browser verifies a DSA signature any more, and the Baseline
 * Requirements allow only RSA and ECDSA keys (CA/B BR 6.1.5), so a DSA
 * key anywhere on the path, the anchor's included, breaks it.
 */
static int
check_dsa(struct audit *a, const struct cert *c)
{
	char name[256];
	int idx;

	if (c->key_algo != GNUTLS_PK_DSA)
		return 0;
	if ((idx = cert_idx(a, c)) < 0)
		return -1;
	return audit_add_finding(a, FIND_DSA_KEY, idx, "%s has a DSA %u-bit "
	    "key, which browsers do not accept", cert_short_name(c, name,
	    sizeof(name)), c->key_bits);
}

/*
 * ca-leaf and leaf-key-cert-sign: a server must present a subscriber
 * certificate (CA/B BR 7.1.2.7), and keyCertSign is for CA certificates
 * only (RFC 5280 4.2.1.3: it requires cA=TRUE).  A CA used as the leaf
 * is said once, as ca-leaf.
 */
static int
check_leaf_role(struct audit *a, const struct judge_params *params)
{
	const struct cert *leaf = a->certs[a->leaf].cert;
	char name[256];

	cert_short_name(leaf, name, sizeof(name));
	if (leaf->is_ca) {
		if (params->profile != PROFILE_WEBPKI)
			return 0;
		return audit_add_finding(a, FIND_CA_LEAF, a->leaf, "%s is a CA "
		    "certificate (basicConstraints cA=TRUE) presented as the "
		    "server's own", name);
	}
	if (leaf->ku_present && (leaf->key_usage & GNUTLS_KEY_KEY_CERT_SIGN))
		return audit_add_finding(a, FIND_LEAF_KEY_CERT_SIGN, a->leaf,
		    "%s is not a CA, yet its keyUsage includes keyCertSign",
		    name);
	return 0;
}

/*
 * Every profile check on a's chosen path; see profile.h.
 */
int
profile_check(struct audit *a, const struct judge_params *params)
{
	const struct path_result *r = a->paths;
	const struct path *p;
	const struct cert *c;
	size_t i;

	if (r == NULL || !r->have_chosen || a->leaf < 0)
		return 0;
	p = &r->chosen;
	if (!a->bundle_entry && check_leaf_role(a, params) < 0)
		return -1;
	for (i = 0; i < p->len; i++) {
		c = path_node_cert(r, p, i);
		if (check_san_syntax(a, c) < 0)
			return -1;
		if (params->profile == PROFILE_WEBPKI && check_dsa(a, c) < 0)
			return -1;
	}
	return 0;
}

const char *
profile_name(enum profile p)
{
	return p == PROFILE_WEBPKI ? "webpki" : "rfc5280";
}

int
profile_parse(const char *s, enum profile *out)
{
	if (strcmp(s, "webpki") == 0)
		*out = PROFILE_WEBPKI;
	else if (strcmp(s, "rfc5280") == 0)
		*out = PROFILE_RFC5280;
	else
		return -1;
	return 0;
}
