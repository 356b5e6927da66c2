/*
 * profile.c: certificate profile checks on the chosen path; see
 * profile.h.
 *
 * Path index 0 is the leaf, the last index the top.  Each check names
 * the rule it enforces in its comment; under PROFILE_RFC5280 the Web PKI
 * rules are not run at all, so a private PKI's certificates are judged by
 * RFC 5280 alone, and under PROFILE_NONE no rule here but --max-depth.
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
	if (leaf->ku_present && (leaf->key_usage & GNUTLS_KEY_KEY_CERT_SIGN) &&
	    audit_add_finding(a, FIND_LEAF_KEY_CERT_SIGN, a->leaf, "%s is "
	    "not a CA, yet its keyUsage includes keyCertSign", name) < 0)
		return -1;
	/*
	 * leaf-key-usage: a TLS server signs the handshake with its key
	 * (digitalSignature), or for RSA key exchange decrypts with it
	 * (keyEncipherment); a keyUsage allowing neither shuts it out.
	 */
	if (leaf->ku_present && !(leaf->key_usage &
	    (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT)) &&
	    audit_add_finding(a, FIND_LEAF_KEY_USAGE, a->leaf, "the keyUsage "
	    "of %s allows neither digitalSignature nor keyEncipherment",
	    name) < 0)
		return -1;
	return 0;
}

/* 1 when node i of p is the trust anchor it ends at. */
static int
node_is_anchor(const struct path_result *r, const struct path *p, size_t i)
{
	return i + 1 == p->len && r->nodes[p->nodes[i]].anchor != NULL;
}

/*
 * missing-key-identifier: every certificate but a self-signed one names
 * its issuer's key (RFC 5280 4.2.1.1), every CA certificate its own
 * (4.2.1.2).  Version 1 and 2 certificates have no extensions to carry
 * them.
 */
static int
check_key_ids(struct audit *a, const struct cert *c, int top, int issuer)
{
	char name[256];
	int idx;

	if (c->version < 3)
		return 0;
	cert_short_name(c, name, sizeof(name));
	if (!(c->ext_present & EXT_AKI) && !(top && c->self_issued)) {
		if ((idx = cert_idx(a, c)) < 0 ||
		    audit_add_finding(a, FIND_MISSING_KEY_IDENTIFIER, idx,
		    "%s has no authorityKeyIdentifier, and is not self-signed",
		    name) < 0)
			return -1;
	}
	if (!(c->ext_present & EXT_SKI) && (c->is_ca || issuer)) {
		if ((idx = cert_idx(a, c)) < 0 ||
		    audit_add_finding(a, FIND_MISSING_KEY_IDENTIFIER, idx,
		    "%s is a CA certificate without a subjectKeyIdentifier",
		    name) < 0)
			return -1;
	}
	return 0;
}

/*
 * bad-key-identifier: the Baseline Requirements allow only the
 * keyIdentifier form of authorityKeyIdentifier (7.1.2.11.1), and a
 * self-signed root's must be its own subjectKeyIdentifier (7.1.2.1.3).
 */
static int
check_aki_form(struct audit *a, const struct cert *c, int top)
{
	char name[256];
	const char *why = NULL;
	int idx;

	if (!(c->ext_present & EXT_AKI))
		return 0;
	if (!c->aki_keyid_only)
		why = "holds authorityCertIssuer or authorityCertSerialNumber, "
		    "or no keyIdentifier";
	else if (top && c->self_issued && c->is_ca &&
	    (c->aki_len != c->ski_len ||
	    memcmp(c->aki, c->ski, c->aki_len) != 0))
		why = "is not its own subjectKeyIdentifier, as a root's must be";
	if (why == NULL)
		return 0;
	if ((idx = cert_idx(a, c)) < 0)
		return -1;
	return audit_add_finding(a, FIND_BAD_KEY_IDENTIFIER, idx,
	    "the authorityKeyIdentifier of %s %s", cert_short_name(c, name,
	    sizeof(name)), why);
}

/*
 * extension-criticality: RFC 5280 marks authorityKeyIdentifier,
 * subjectKeyIdentifier (4.2.1.1, 4.2.1.2) and authorityInfoAccess
 * (4.2.2.1) non-critical; policyConstraints (4.2.1.11) critical;
 * subjectAltName critical when the
 * subject is empty (4.2.1.6), and under the Baseline Requirements
 * non-critical otherwise (7.1.2.7.12).  RFC 5280 has nameConstraints
 * critical (4.2.1.10), which the Baseline Requirements relax (7.1.2.5.2).
 */
static int
check_criticality(struct audit *a, const struct cert *c,
    enum profile profile)
{
	const unsigned crit = c->ext_critical, has = c->ext_present;
	int empty = c->raw_subject.size <= 2, webpki = profile ==
	    PROFILE_WEBPKI;
	char name[256], why[256];
	int idx, n = 0;

	why[0] = '\0';
#define WHY(cond, text) \
	if (cond) \
		n += snprintf(why + n, sizeof(why) - (size_t)n, "%s%s", \
		    n > 0 ? "; " : "", text)
	WHY(crit & EXT_AKI, "authorityKeyIdentifier is critical");
	WHY(crit & EXT_SKI, "subjectKeyIdentifier is critical");
	WHY(crit & EXT_AIA, "authorityInfoAccess is critical");
	WHY((has & EXT_PC) && !(crit & EXT_PC),
	    "policyConstraints is not critical");
	WHY(empty && (has & EXT_SAN) && !(crit & EXT_SAN),
	    "subjectAltName is not critical though the subject is empty");
	WHY(webpki && !empty && (crit & EXT_SAN),
	    "subjectAltName is critical though the subject is not empty");
	WHY(profile == PROFILE_RFC5280 && (has & EXT_NC) && !(crit & EXT_NC),
	    "nameConstraints is not critical");
#undef WHY
	if (n == 0)
		return 0;
	if ((idx = cert_idx(a, c)) < 0)
		return -1;
	return audit_add_finding(a, FIND_EXTENSION_CRITICALITY, idx, "%s: %s",
	    cert_short_name(c, name, sizeof(name)), why);
}

/*
 * bad-serial-number: a positive integer of at most 20 octets (RFC 5280
 * 4.1.2.2); serial_hex is the DER INTEGER's contents, sign bit first.
 */
static int
check_serial(struct audit *a, const struct cert *c)
{
	const char *hex = c->serial_hex, *why = NULL;
	char name[256];
	int idx;

	if (hex == NULL || hex[0] == '\0')
		why = "empty";
	else if (strspn(hex, "0") == strlen(hex))
		why = "zero";
	else if (strchr("89abcdefABCDEF", hex[0]) != NULL)
		why = "negative";
	else if (strlen(hex) > 40)
		why = "longer than 20 octets";
	if (why == NULL)
		return 0;
	if ((idx = cert_idx(a, c)) < 0)
		return -1;
	return audit_add_finding(a, FIND_BAD_SERIAL_NUMBER, idx, "the serial "
	    "number of %s is %s", cert_short_name(c, name, sizeof(name)), why);
}

/*
 * The RFC 5280 rules on the form of c; top: the path's last certificate,
 * issuer: it issues the one below it.
 */
static int
check_rfc5280(struct audit *a, const struct cert *c, int top, int issuer,
    enum profile profile)
{
	char name[256];
	int idx;

	if (check_san_syntax(a, c) < 0 ||
	    check_key_ids(a, c, top, issuer) < 0 ||
	    check_criticality(a, c, profile) < 0 || check_serial(a, c) < 0)
		return -1;
	cert_short_name(c, name, sizeof(name));
	/* RFC 5280 4.2.1.9: a CA's basicConstraints is there, critical. */
	if (c->version >= 3 && (c->is_ca || issuer) &&
	    !(c->ext_critical & EXT_BC) && ((idx = cert_idx(a, c)) < 0 ||
	    audit_add_finding(a, FIND_CA_BASIC_CONSTRAINTS, idx, "%s is a CA "
	    "certificate whose basicConstraints is %s", name,
	    (c->ext_present & EXT_BC) ? "not critical" : "absent") < 0))
		return -1;
	/* RFC 5280 4.1.2.6: a CA's subject names it as an issuer. */
	if ((c->is_ca || issuer) && c->raw_subject.size <= 2 &&
	    ((idx = cert_idx(a, c)) < 0 || audit_add_finding(a,
	    FIND_EMPTY_SUBJECT, idx, "%s is a CA certificate with an empty "
	    "subject", name) < 0))
		return -1;
	if (c->aia_malformed && ((idx = cert_idx(a, c)) < 0 ||
	    audit_add_finding(a, FIND_MALFORMED_EXTENSION, idx, "the "
	    "authorityInfoAccess of %s does not decode or holds no "
	    "AccessDescription", name) < 0))
		return -1;
	return 0;
}

/* The Web PKI's rules on the form of c; top: the path's last. */
static int
check_webpki_form(struct audit *a, const struct cert *c, int top)
{
	char name[256];
	int idx;

	if (check_aki_form(a, c, top) < 0)
		return -1;
	/* CA/B BR 7.1.2.1.2: a root has no extKeyUsage. */
	if (top && c->self_issued && c->is_ca && (c->ext_present & EXT_EKU) &&
	    ((idx = cert_idx(a, c)) < 0 || audit_add_finding(a,
	    FIND_ROOT_EXTENSIONS, idx, "the root %s has an extKeyUsage",
	    cert_short_name(c, name, sizeof(name))) < 0))
		return -1;
	return 0;
}

/*
 * The Web PKI's rules on the key of c, which hold for a trust anchor
 * too: a browser verifies what it signed with it.
 */
static int
check_webpki_key(struct audit *a, const struct cert *c)
{
	char name[256];
	int idx;

	if (check_dsa(a, c) < 0)
		return -1;
	/* CA/B BR 6.1.5: RSA moduli of a whole number of bytes. */
	if ((c->key_algo == GNUTLS_PK_RSA || c->key_algo ==
	    GNUTLS_PK_RSA_PSS) && c->key_bits % 8 != 0 &&
	    ((idx = cert_idx(a, c)) < 0 || audit_add_finding(a,
	    FIND_RSA_MODULUS_SIZE, idx, "%s has a %u-bit RSA modulus, not a "
	    "multiple of 8 bits", cert_short_name(c, name, sizeof(name)),
	    c->key_bits) < 0))
		return -1;
	return 0;
}

/*
 * The Web PKI's rules on the leaf of a chain: its CN copies a SAN entry
 * (CA/B BR 7.1.4.3) and it names its purpose (7.1.2.7.10: an
 * extendedKeyUsage, which leaf-eku then reads).
 */
static int
check_webpki_leaf(struct audit *a, const struct cert *leaf)
{
	char name[256];

	cert_short_name(leaf, name, sizeof(name));
	if (!cert_cn_is_in_san(leaf) && audit_add_finding(a,
	    FIND_CN_NOT_IN_SAN, a->leaf, "the CN of %s is none of its "
	    "subjectAltName entries, character for character", name) < 0)
		return -1;
	if (!leaf->eku_present && audit_add_finding(a, FIND_LEAF_EKU,
	    a->leaf, "%s has no extendedKeyUsage; the Web PKI requires one "
	    "listing serverAuth", name) < 0)
		return -1;
	if ((leaf->eku & EKU_ANY) && audit_add_finding(a, FIND_LEAF_EKU,
	    a->leaf, "the extendedKeyUsage of %s lists anyExtendedKeyUsage, "
	    "which the Web PKI forbids in a subscriber certificate", name) < 0)
		return -1;
	if ((leaf->ext_critical & EXT_EKU) && audit_add_finding(a,
	    FIND_EXTENSION_CRITICALITY, a->leaf, "%s: extendedKeyUsage is "
	    "critical, which the Web PKI forbids (CA/B BR 7.1.2.7.6)",
	    name) < 0)
		return -1;
	return 0;
}

/*
 * max-depth-exceeded: more intermediate CA certificates than the user's
 * --max-depth, counted as RFC 5280 counts them for pathLenConstraint
 * (6.1.4 (l)): self-issued ones do not count.  A bound on the path, not
 * on the certificates' form, so it holds under every profile.
 */
static int
check_depth(struct audit *a, const struct judge_params *params)
{
	const struct path_result *r = a->paths;
	const struct path *p = &r->chosen;
	size_t i, n = 0;

	if (!params->max_depth_set || p->len < 2)
		return 0;
	for (i = 1; i + 1 < p->len; i++)
		n += !path_node_cert(r, p, i)->self_issued;
	/* An incomplete path's top is an intermediate too. */
	if (!p->complete && !path_node_cert(r, p, p->len - 1)->self_issued)
		n++;
	if (n <= params->max_depth)
		return 0;
	return audit_add_finding(a, FIND_MAX_DEPTH_EXCEEDED, a->leaf, "the "
	    "path holds %zu intermediate certificate%s, more than --max-depth "
	    "%u", n, n == 1 ? "" : "s", params->max_depth);
}

/*
 * Every profile check on a's chosen path; see profile.h.
 */
int
profile_check(struct audit *a, const struct judge_params *params)
{
	const struct path_result *r = a->paths;
	const struct path *p;
	const struct cert *c, *leaf;
	size_t i;
	int top, form;

	if (r == NULL || !r->have_chosen || a->leaf < 0)
		return 0;
	if (check_depth(a, params) < 0)
		return -1;
	if (params->profile == PROFILE_NONE)
		return 0;
	p = &r->chosen;
	leaf = a->certs[a->leaf].cert;
	if (!a->bundle_entry && check_leaf_role(a, params) < 0)
		return -1;
	if (!a->bundle_entry && params->profile == PROFILE_WEBPKI &&
	    !leaf->is_ca && check_webpki_leaf(a, leaf) < 0)
		return -1;
	for (i = 0; i < p->len; i++) {
		c = path_node_cert(r, p, i);
		top = i + 1 == p->len;
		/*
		 * A trust anchor is trusted by name and key, as browsers
		 * trust it, unless asked: root programs keep roots that
		 * predate these rules (serial 0, authorityCertIssuer).
		 */
		form = !node_is_anchor(r, p, i) || params->strict_anchors;
		if (form && check_rfc5280(a, c, top, i > 0,
		    params->profile) < 0)
			return -1;
		if (params->profile != PROFILE_WEBPKI)
			continue;
		if (check_webpki_key(a, c) < 0 ||
		    (form && check_webpki_form(a, c, top) < 0))
			return -1;
	}
	return 0;
}

const char *
profile_name(enum profile p)
{
	return p == PROFILE_WEBPKI ? "webpki" : p == PROFILE_RFC5280 ?
	    "rfc5280" : "none";
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
