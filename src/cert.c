/*
 * cert.c: parse one DER certificate into struct cert.
 *
 * Everything chainaudit reads from a certificate is read here, once, so
 * that a malformed extension is found at parse time (and reported as such)
 * instead of surfacing as a strange verdict later.
 *
 * The usual certificate is read from its DER (x509der.c), and GnuTLS's
 * certificate object, hundreds of allocations, is made only when a
 * GnuTLS call needs it (cert_crt).  Any other certificate is imported by
 * GnuTLS at once and read through it, as before: the two paths give the
 * same fields (tests/test_x509der.c holds them to it).
 */
#include <config.h>

#include <arpa/inet.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/x509-ext.h>

#include "asn1.h"
#include "cert.h"
#include "x509der.h"

#define OID_CT_SCTS	"1.3.6.1.4.1.11129.2.4.2"
#define OID_CT_POISON	"1.3.6.1.4.1.11129.2.4.3"
#define OID_EKU		"2.5.29.37"
#define OID_AIA		"1.3.6.1.5.5.7.1.1"	/* authorityInfoAccess */
#define OID_AD_CA_ISSUERS "1.3.6.1.5.5.7.48.2"
/*
 * A prefix of 2.5.29.72, .73 and .74, the alternative-signature
 * extensions: a certificate with an extension under it is read for them
 * (asn1_tbs_altsig looks for the exact OIDs), one without is not.
 */
#define OID_ALTSIG_ARC	"2.5.29.7"

/*
 * Post-quantum algorithms seen in hybrid certificates, which this GnuTLS
 * does not know: their names for reports.  How strong they are is sig.c's
 * business (its pq_table holds the same OIDs).
 */
static const struct {
	const char	*oid;
	const char	*name;
} pq_table[] = {
	{ "2.16.840.1.101.3.4.3.17",	"ML-DSA-44" },
	{ "2.16.840.1.101.3.4.3.18",	"ML-DSA-65" },
	{ "2.16.840.1.101.3.4.3.19",	"ML-DSA-87" },
	{ "1.3.6.1.4.1.2.267.7.4.4",	"Dilithium2 (round 2)" },
	{ "1.3.6.1.4.1.2.267.7.6.5",	"Dilithium3 (round 2)" },
	{ "1.3.6.1.4.1.2.267.7.8.7",	"Dilithium5 (round 2)" },
};

/* The name of a post-quantum algorithm's OID, or NULL. */
static const char *
pq_name(const char *oid)
{
	size_t i;

	for (i = 0; i < sizeof(pq_table) / sizeof(pq_table[0]); i++)
		if (strcmp(pq_table[i].oid, oid) == 0)
			return pq_table[i].name;
	return NULL;
}

static const char *
curve_label(gnutls_ecc_curve_t curve)
{
	switch (curve) {
	case GNUTLS_ECC_CURVE_SECP192R1:
		return "P-192";
	case GNUTLS_ECC_CURVE_SECP224R1:
		return "P-224";
	case GNUTLS_ECC_CURVE_SECP256R1:
		return "P-256";
	case GNUTLS_ECC_CURVE_SECP384R1:
		return "P-384";
	case GNUTLS_ECC_CURVE_SECP521R1:
		return "P-521";
	default:
		return gnutls_ecc_curve_get_name(curve);
	}
}

/*
 * The key's algorithm, size and curve read from the SPKI's DER: GnuTLS's
 * accessors would decode the key (and, for a curve, export its point) to
 * say as much.  Only RSA and named-curve EC keys are read here; -1 leaves
 * the rest to GnuTLS.
 */
static int
spki_key_info(const struct cert *c, int *algo, unsigned *bits,
    gnutls_ecc_curve_t *curve)
{
	struct asn1_spki k;

	if (asn1_spki_read(c->spki, c->spki_len, &k) < 0)
		return -1;
	*algo = gnutls_oid_to_pk(k.alg_oid);
	switch (*algo) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		return asn1_rsa_modulus_bits(k.key, k.key_len, bits);
	case GNUTLS_PK_EC:
		*curve = gnutls_oid_to_ecc_curve(k.param_oid);
		return *curve == GNUTLS_ECC_CURVE_INVALID ? -1 : 0;
	default:
		return -1;
	}
}

/*
 * The key's algorithm, size and label.  The GnuTLS key object itself is
 * made on first use (cert_pubkey): most leaves never sign anything.
 */
static void
read_key(struct cert *c)
{
	unsigned int bits = 0;
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 };
	gnutls_x509_crt_t crt;
	const char *name;
	int algo;

	if (spki_key_info(c, &algo, &bits, &curve) < 0) {
		bits = 0;
		curve = GNUTLS_ECC_CURVE_INVALID;
		crt = cert_crt(c);
		algo = crt == NULL ? GNUTLS_PK_UNKNOWN :
		    gnutls_x509_crt_get_pk_algorithm(crt, &bits);
		if (algo == GNUTLS_PK_EC && gnutls_x509_crt_get_pk_ecc_raw(
		    crt, &curve, &x, &y) == 0) {
			gnutls_free(x.data);
			gnutls_free(y.data);
		}
	}
	c->key_algo = algo < 0 ? GNUTLS_PK_UNKNOWN : algo;
	c->key_bits = bits;
	switch (c->key_algo) {
	case GNUTLS_PK_RSA:
		str_copy(c->key_name, sizeof(c->key_name), "RSA");
		break;
	case GNUTLS_PK_RSA_PSS:
		str_copy(c->key_name, sizeof(c->key_name), "RSA-PSS");
		break;
	case GNUTLS_PK_EC:
		if (curve != GNUTLS_ECC_CURVE_INVALID) {
			snprintf(c->key_name, sizeof(c->key_name), "EC %s",
			    curve_label(curve) ? curve_label(curve) : "?");
			if (gnutls_ecc_curve_get_size(curve) > 0)
				c->key_bits = gnutls_ecc_curve_get_size(curve)
				    * 8;
			/* P-521 is 66 bytes but 521 bits. */
			if (curve == GNUTLS_ECC_CURVE_SECP521R1)
				c->key_bits = 521;
		} else
			snprintf(c->key_name, sizeof(c->key_name), "EC");
		break;
	case GNUTLS_PK_EDDSA_ED25519:
		snprintf(c->key_name, sizeof(c->key_name), "Ed25519");
		c->key_bits = 256;
		break;
	case GNUTLS_PK_EDDSA_ED448:
		snprintf(c->key_name, sizeof(c->key_name), "Ed448");
		c->key_bits = 456;
		break;
	default:
		name = gnutls_pk_get_name(c->key_algo);
		snprintf(c->key_name, sizeof(c->key_name), "%s",
		    name ? name : "unknown");
		break;
	}
}

/*
 * A DN as an RFC 4514 string (GnuTLS's format), owned by the caller.  An
 * empty name (an empty SEQUENCE, 2 bytes of DER) is legal: RFC 5280
 * 4.1.2.6 requires one when the subject is named only in a critical
 * subjectAltName; GnuTLS has no string for it ("requested data not
 * available") and it is "" here.  NULL on ENOMEM.
 */
static char *
dn_string(const gnutls_datum_t *raw)
{
	gnutls_datum_t str = { NULL, 0 };
	char *s;
	int r;

	if ((r = gnutls_x509_rdn_get2(raw, &str, 0)) < 0)
		return strdup(r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE &&
		    raw->size == 2 ? "" : "(unreadable name)");
	s = strdup((const char *)str.data);
	gnutls_free(str.data);
	return s;
}

/*
 * *slot, made from raw on first use and published with a compare-and-
 * swap (the threads of a scan share cached certificates; see
 * cert_pubkey).  A scan writes only short names, so most leaves' full
 * names are never made.
 */
static const char *
lazy_dn(char **slot, const gnutls_datum_t *raw)
{
	char *s, *none = NULL;

	if ((s = __atomic_load_n(slot, __ATOMIC_ACQUIRE)) != NULL)
		return s;
	if ((s = dn_string(raw)) == NULL)
		return "?";		/* out of memory: perhaps not next time */
	if (__atomic_compare_exchange_n(slot, &none, s, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_ACQUIRE))
		return s;
	free(s);
	return none;
}

const char *
cert_subject(const struct cert *c)
{
	return lazy_dn(&((struct cert *)c)->subject, &c->raw_subject);
}

const char *
cert_issuer(const struct cert *c)
{
	return lazy_dn(&((struct cert *)c)->issuer, &c->raw_issuer);
}

/*
 * The certificate's public key as a GnuTLS object, made on first use, or
 * NULL when GnuTLS cannot use it.  Certificates in the run-wide parse
 * cache are shared by worker threads, so the key is published with a
 * compare-and-swap: two threads may both import it, one copy wins, the
 * other is dropped.  This is the one field of a parsed certificate that
 * changes after cert_parse, and only from "not yet" to its final value.
 */
gnutls_pubkey_t
cert_pubkey(const struct cert *cc)
{
	struct cert *c = (struct cert *)cc;
	gnutls_pubkey_t k, none = NULL;
	gnutls_datum_t spki;

	if ((k = __atomic_load_n(&c->pubkey, __ATOMIC_ACQUIRE)) != NULL)
		return k;
	if (__atomic_load_n(&c->pubkey_unusable, __ATOMIC_ACQUIRE))
		return NULL;
	if (gnutls_pubkey_init(&k) < 0)
		return NULL;	/* out of memory: perhaps not next time */
	/* The SPKI's DER is what the certificate's key import reads too. */
	spki.data = (unsigned char *)c->spki;
	spki.size = (unsigned)c->spki_len;
	if (gnutls_pubkey_import(k, &spki, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_pubkey_deinit(k);
		__atomic_store_n(&c->pubkey_unusable, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	if (__atomic_compare_exchange_n(&c->pubkey, &none, k, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return k;
	gnutls_pubkey_deinit(k);
	return none;		/* the copy another thread published */
}

/*
 * The GnuTLS certificate, imported on first use and published as
 * cert_pubkey publishes the key: a lean certificate cached for the run
 * is shared by worker threads.  NULL once shed.
 */
gnutls_x509_crt_t
cert_crt(const struct cert *cc)
{
	struct cert *c = (struct cert *)cc;
	gnutls_x509_crt_t x, none = NULL;
	gnutls_datum_t d;

	if ((x = __atomic_load_n(&c->crt, __ATOMIC_ACQUIRE)) != NULL ||
	    __atomic_load_n(&c->shed, __ATOMIC_ACQUIRE))
		return x;
	if (gnutls_x509_crt_init(&x) < 0)
		return NULL;	/* out of memory: perhaps not next time */
	d.data = c->der;
	d.size = (unsigned)c->der_len;
	if (gnutls_x509_crt_import(x, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(x);
		return NULL;	/* x509der's gate lets no such one through */
	}
	if (__atomic_compare_exchange_n(&c->crt, &none, x, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return x;
	gnutls_x509_crt_deinit(x);
	return none;
}

/*
 * The signature algorithm.  For a lean certificate x holds the OID, never
 * RSA-PSS (whose hash GnuTLS reads from the parameters): for every other
 * OID GnuTLS's answer is its OID table's.
 */
static void
read_signature_algorithm(struct cert *c, const struct x509der *x)
{
	size_t len = sizeof(c->sig_oid);
	const char *name;
	int algo;

	if (c->lean) {
		str_copy(c->sig_oid, sizeof(c->sig_oid), x->sig_oid);
		algo = gnutls_oid_to_sign(x->sig_oid);
	} else {
		if (gnutls_x509_crt_get_signature_oid(c->crt, c->sig_oid,
		    &len) < 0)
			snprintf(c->sig_oid, sizeof(c->sig_oid), "?");
		algo = gnutls_x509_crt_get_signature_algorithm(c->crt);
	}
	c->sig_algo = algo < 0 ? GNUTLS_SIGN_UNKNOWN : algo;
	name = c->sig_algo != GNUTLS_SIGN_UNKNOWN ?
	    gnutls_sign_get_name(c->sig_algo) : NULL;
	str_copy(c->sig_name, sizeof(c->sig_name), name ? name : c->sig_oid);
}

static const struct {
	const char	*oid;
	unsigned	 bit;
} eku_table[] = {
	{ GNUTLS_KP_TLS_WWW_SERVER,	EKU_SERVER_AUTH },
	{ GNUTLS_KP_TLS_WWW_CLIENT,	EKU_CLIENT_AUTH },
	{ GNUTLS_KP_CODE_SIGNING,	EKU_CODE_SIGNING },
	{ GNUTLS_KP_EMAIL_PROTECTION,	EKU_EMAIL },
	{ GNUTLS_KP_TIME_STAMPING,	EKU_TIME_STAMPING },
	{ GNUTLS_KP_OCSP_SIGNING,	EKU_OCSP_SIGNING },
	{ GNUTLS_KP_ANY,		EKU_ANY },
};

/* The enum eku_bit of a purpose's OID (len octets of text). */
static unsigned
eku_bit_of(const char *oid, size_t len)
{
	size_t k;

	for (k = 0; k < sizeof(eku_table) / sizeof(eku_table[0]); k++)
		if (strlen(eku_table[k].oid) == len &&
		    memcmp(oid, eku_table[k].oid, len) == 0)
			return eku_table[k].bit;
	return EKU_OTHER;
}

/* Add one purpose to cert.eku; an x509der_eku callback. */
static void
eku_seen(const char *oid, void *arg)
{
	struct cert *c = arg;

	c->eku |= eku_bit_of(oid, strlen(oid));
}

/*
 * extKeyUsage into cert.eku.  One that lists no purpose is recorded as
 * present and empty: the checks say what it lacks.
 */
static int
read_eku(struct cert *c, const gnutls_datum_t *ext, char *err, size_t errlen)
{
	gnutls_x509_key_purposes_t kp;
	gnutls_datum_t oid;
	unsigned i;
	int ret;

	if (c->lean && x509der_eku(ext->data, ext->size, eku_seen, c) == 0)
		return 0;
	if (gnutls_x509_key_purpose_init(&kp) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((ret = gnutls_x509_ext_import_key_purposes(ext, kp, 0)) < 0) {
		snprintf(err, errlen, "malformed extKeyUsage: %s",
		    gnutls_strerror(ret));
		gnutls_x509_key_purpose_deinit(kp);
		return -1;
	}
	for (i = 0; gnutls_x509_key_purpose_get(kp, i, &oid) == 0; i++)
		c->eku |= eku_bit_of((const char *)oid.data, oid.size);
	gnutls_x509_key_purpose_deinit(kp);
	return 0;
}

/*
 * The extensions a critical flag cannot make chainaudit reject (RFC 5280
 * 4.2): those chainaudit or GnuTLS process, and the policy extensions
 * GnuTLS decodes.  The alternative-signature extensions of hybrid
 * certificates are processed here (asn1.c); the CT poison has a finding
 * of its own.
 */
static const char *const understood_oids[] = {
	"2.5.29.19",		/* basicConstraints */
	"2.5.29.15",		/* keyUsage */
	"2.5.29.37",		/* extKeyUsage */
	"2.5.29.17",		/* subjectAltName */
	"2.5.29.30",		/* nameConstraints */
	"2.5.29.36",		/* policyConstraints */
	"2.5.29.32",		/* certificatePolicies */
	"2.5.29.54",		/* inhibitAnyPolicy */
	"2.5.29.33",		/* policyMappings */
	"2.5.29.14",		/* subjectKeyIdentifier */
	"2.5.29.35",		/* authorityKeyIdentifier */
	"2.5.29.31",		/* cRLDistributionPoints */
	"1.3.6.1.5.5.7.1.1",	/* authorityInfoAccess */
	"2.5.29.72",		/* subjectAltPublicKeyInfo */
	"2.5.29.73",		/* altSignatureAlgorithm */
	"2.5.29.74",		/* altSignatureValue */
};

static int
oid_is_understood(const char *oid)
{
	size_t i;

	for (i = 0; i < sizeof(understood_oids) / sizeof(understood_oids[0]);
	    i++)
		if (strcmp(oid, understood_oids[i]) == 0)
			return 1;
	return 0;
}

/*
 * The extension values read below, each the first of its OID (as
 * GnuTLS's own accessors take it), borrowed from the certificate's DER.
 * An empty value counts as absent, as it does for those accessors.
 */
struct ext_values {
	gnutls_datum_t	 bc, ski, aki, ku, eku, nc, scts, aia;
	int		 altsig;	/* a hybrid extension is present */
};

/*
 * What the walk does with each extension it knows, one row an OID:
 * the bit of those whose presence and criticality the profile checks,
 * and where the value is kept for the readers below (EXT_NO_SLOT: not
 * kept).  One table, so each extension costs one pass of comparisons.
 */
#define EXT_NO_SLOT	((size_t)-1)

static const struct {
	const char	*oid;
	unsigned	 bit;
	size_t		 off;
} ext_kinds[] = {
	{ GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS, EXT_BC,
	    offsetof(struct ext_values, bc) },
	{ GNUTLS_X509EXT_OID_SUBJECT_KEY_ID, EXT_SKI,
	    offsetof(struct ext_values, ski) },
	{ GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID, EXT_AKI,
	    offsetof(struct ext_values, aki) },
	{ GNUTLS_X509EXT_OID_KEY_USAGE, 0, offsetof(struct ext_values, ku) },
	{ "2.5.29.17", EXT_SAN, EXT_NO_SLOT },
	{ OID_EKU, EXT_EKU, offsetof(struct ext_values, eku) },
	{ OID_AIA, EXT_AIA, offsetof(struct ext_values, aia) },
	{ OID_CT_SCTS, 0, offsetof(struct ext_values, scts) },
	{ "2.5.29.36", EXT_PC, EXT_NO_SLOT },
	{ GNUTLS_X509EXT_OID_NAME_CONSTRAINTS, EXT_NC,
	    offsetof(struct ext_values, nc) },
};

struct ext_walk {
	struct cert		*c;
	struct ext_values	*v;
	size_t			 nunknown;	/* length of unknown_critical */
};

/*
 * One extension of the walk: keep the values read below, note the CT
 * poison and extKeyUsage, and list the critical extensions nobody here
 * understands.  An asn1_tbs_extensions callback: 0, or 1 on ENOMEM (the
 * walk's own -1 means malformed).
 */
static int
ext_seen(const struct asn1_ext *e, void *arg)
{
	struct ext_walk *w = arg;
	struct cert *c = w->c;
	gnutls_datum_t *slot;
	size_t i, need;
	char *list;

	if (strcmp(e->oid, OID_CT_POISON) == 0) {
		c->precert = 1;
		return 0;
	}
	if (strncmp(e->oid, OID_ALTSIG_ARC, sizeof(OID_ALTSIG_ARC) - 1) == 0)
		w->v->altsig = 1;
	for (i = 0; i < sizeof(ext_kinds) / sizeof(ext_kinds[0]); i++) {
		if (strcmp(e->oid, ext_kinds[i].oid) != 0)
			continue;
		c->ext_present |= ext_kinds[i].bit;
		if (e->critical)
			c->ext_critical |= ext_kinds[i].bit;
		if (ext_kinds[i].bit == EXT_EKU)
			c->eku_present = 1;
		if (ext_kinds[i].off == EXT_NO_SLOT)
			break;
		slot = (gnutls_datum_t *)((char *)w->v + ext_kinds[i].off);
		if (slot->data == NULL && e->vlen > 0) {
			slot->data = (unsigned char *)e->value;
			slot->size = (unsigned)e->vlen;
		}
		break;
	}
	if (!e->critical || oid_is_understood(e->oid))
		return 0;
	need = w->nunknown + (w->nunknown > 0 ? 2 : 0) + strlen(e->oid) + 1;
	if ((list = realloc(c->unknown_critical, need)) == NULL)
		return 1;
	snprintf(list + w->nunknown, need - w->nunknown, "%s%s",
	    w->nunknown > 0 ? ", " : "", e->oid);
	c->unknown_critical = list;
	w->nunknown = need - 1;
	return 0;
}

/* The GnuTLS name type GnuTLS checks for a GeneralName tag, or 0. */
static gnutls_x509_subject_alt_name_t
nc_type_of(unsigned long tag)
{
	switch (tag) {
	case 1:
		return GNUTLS_SAN_RFC822NAME;
	case 2:
		return GNUTLS_SAN_DNSNAME;
	case 4:
		return GNUTLS_SAN_DN;
	case 6:
		return GNUTLS_SAN_URI;
	case 7:
		return GNUTLS_SAN_IPADDRESS;
	default:
		return 0;	/* otherName, x400Address, ediPartyName... */
	}
}

/*
 * Count the subtrees, and those GnuTLS cannot take; an
 * asn1_name_constraints callback; arg is the cert.
 */
static int
nc_count(int permitted, unsigned long tag, const unsigned char *v,
    size_t vlen, void *arg)
{
	struct cert *c = arg;

	(void)permitted;
	(void)v;
	(void)vlen;
	c->nc_subtrees++;
	c->nc_unknown += nc_type_of(tag) == 0;
	return 0;
}

/*
 * Hand one subtree to GnuTLS when of a form it checks, else record its
 * form in nc_unchecked.  An asn1_name_constraints callback; arg is the
 * cert.
 */
static int
nc_add(int permitted, unsigned long tag, const unsigned char *v,
    size_t vlen, void *arg)
{
	struct cert *c = arg;
	gnutls_datum_t d;

	if (tag > 8)
		return -1;	/* GeneralName has nine forms */
	if (nc_type_of(tag) == 0) {
		c->nc_unchecked |= 1u << tag;
		return 0;
	}
	d.data = (unsigned char *)v;
	d.size = vlen;
	if (permitted)
		return gnutls_x509_name_constraints_add_permitted(c->nc,
		    nc_type_of(tag), &d) < 0 ? -1 : 0;
	return gnutls_x509_name_constraints_add_excluded(c->nc,
	    nc_type_of(tag), &d) < 0 ? -1 : 0;
}

/*
 * Why the dNSName s (len bytes, maybe not NUL-terminated) breaks the
 * preferred name syntax RFC 5280 4.2.1.6 asks for (RFC 1034 3.5, with
 * RFC 1123's leading digits): static text, or NULL when it is well
 * formed.  A wildcard "*" is allowed as the whole left-most label when
 * wildcard is set (subjectAltName), never in a name constraint, where a
 * leading period is also malformed (RFC 5280 4.2.1.10 allows it in URIs
 * only).
 */
static const char *
dns_syntax_error(const char *s, size_t len, int wildcard)
{
	size_t i, label = 0;
	unsigned char ch;

	if (len == 0)
		return "is empty";
	if (len > 253)
		return "is longer than 253 characters";
	if (s[0] == '.')
		return "has a leading period";
	if (wildcard && len > 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		len -= 2;
	}
	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch == '.') {
			if (label == 0)
				return "has an empty label";
			if (s[i - 1] == '-')
				return "has a label ending in a hyphen";
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-'))
			return ch == '*' ? "has a wildcard that is not the "
			    "whole left-most label" : ch == '_' ?
			    "has an underscore" : "has a character outside "
			    "letters, digits and hyphens";
		if (label == 0 && ch == '-')
			return "has a label starting with a hyphen";
		if (++label > 63)
			return "has a label longer than 63 characters";
	}
	if (label == 0)
		return "ends with a period";
	if (s[len - 1] == '-')
		return "has a label ending in a hyphen";
	return NULL;
}

/*
 * A name-constraint subtree that is no valid constraint: a dNSName that
 * is no DNS name, an iPAddress that is not an address and a mask (RFC
 * 5280 4.2.1.10).  An asn1_name_constraints callback; arg is a buffer of
 * ERRBUF_LEN for the reason, written on the first such subtree, which
 * stops the walk.
 */
static int
nc_malformed(int permitted, unsigned long tag, const unsigned char *v,
    size_t vlen, void *arg)
{
	const char *why;
	char *buf = arg;
	int n;

	(void)permitted;
	/* An empty dNSName constrains every name: valid, if unusual. */
	if (tag == 2 && vlen > 0 && (why = dns_syntax_error((const char *)v,
	    vlen, 0)) != NULL) {
		n = vlen > 80 ? 80 : (int)vlen;
		snprintf(buf, ERRBUF_LEN, "malformed: the dNSName subtree "
		    "'%.*s' %s (RFC 5280 4.2.1.10)", n, (const char *)v, why);
		for (; *buf != '\0'; buf++)
			if ((unsigned char)*buf < 0x20 ||
			    (unsigned char)*buf >= 0x7f)
				*buf = '?';
		return 1;
	}
	if (tag == 7 && vlen != 8 && vlen != 32) {
		snprintf(buf, ERRBUF_LEN, "malformed: an iPAddress subtree of "
		    "%zu bytes, not an address and mask of 8 or 32 (RFC 5280 "
		    "4.2.1.10)", vlen);
		return 1;
	}
	return 0;
}

/*
 * Record in c->san_malformed a subjectAltName dNSName that breaks the
 * preferred name syntax or an iPAddress that is neither 4 nor 16 bytes
 * (RFC 5280 4.2.1.6): such a name matches no host and lies within no
 * subtree.  The certificate still parses; policy says what is wrong.
 * v may be shorter than len only when len is too long for either form.
 * 0, or -1 on ENOMEM.
 */
static int
san_malformed(struct cert *c, unsigned type, const char *v, size_t len)
{
	const char *why;
	char buf[ERRBUF_LEN], *p;

	if (type == GNUTLS_SAN_DNSNAME && (why = dns_syntax_error(v, len,
	    1)) != NULL)
		snprintf(buf, sizeof(buf), "dNSName '%.*s' (it %s)",
		    (int)(len > 80 ? 80 : len), v, why);
	else if (type == GNUTLS_SAN_IPADDRESS && len != 4 && len != 16)
		snprintf(buf, sizeof(buf), "iPAddress of %zu bytes (not an "
		    "IPv4 or IPv6 address)", len);
	else
		return 0;
	for (p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	return (c->san_malformed = strdup(buf)) == NULL ? -1 : 0;
}

/*
 * nameConstraints.  One that cannot be used (undecodable, or with neither
 * subtree, which RFC 5280 4.2.1.10 forbids) is recorded in nc_error, not
 * as an unparseable certificate: the CA is still a node of the graph and
 * the finding names it.
 *
 * GnuTLS refuses a whole nameConstraints that constrains a name form it
 * does not know, such as otherName (and leaks doing so), though RFC 5280
 * 4.2.1.10 only asks that names of such a form be rejected: such a one is
 * read subtree by subtree here, the forms GnuTLS cannot check recorded in
 * nc_unchecked.
 */
static int
read_name_constraints(struct cert *c, const gnutls_datum_t *ext, char *err,
    size_t errlen)
{
	gnutls_datum_t name;
	unsigned int type;
	const char *why = NULL;
	char buf[ERRBUF_LEN];
	int ret;

	if (gnutls_x509_name_constraints_init(&c->nc) < 0) {
		c->nc = NULL;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (asn1_name_constraints(ext->data, ext->size, nc_count, c) == 0 &&
	    c->nc_unknown > 0)
		ret = asn1_name_constraints(ext->data, ext->size, nc_add, c) ==
		    0 ? 0 : GNUTLS_E_ASN1_DER_ERROR;
	else
		ret = gnutls_x509_ext_import_name_constraints(ext, c->nc, 0);
	if (ret < 0) {
		snprintf(buf, sizeof(buf), "undecodable (%s)",
		    gnutls_strerror(ret));
		why = buf;
	} else if (asn1_name_constraints(ext->data, ext->size, nc_malformed,
	    buf) > 0)
		why = buf;
	else if (gnutls_x509_name_constraints_get_permitted(c->nc, 0, &type,
	    &name) < 0 && gnutls_x509_name_constraints_get_excluded(c->nc, 0,
	    &type, &name) < 0 && c->nc_unchecked == 0)
		why = "empty: neither permittedSubtrees nor excludedSubtrees";
	if (why == NULL)
		return 0;
	gnutls_x509_name_constraints_deinit(c->nc);
	c->nc = NULL;
	c->nc_unchecked = 0;
	if ((c->nc_error = strdup(why)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * The caIssuers URIs of authorityInfoAccess (RFC 5280 4.2.2.1), the
 * first CA_ISSUERS_MAX of them: where a client may fetch this
 * certificate's issuer.  A malformed extension gives none rather than
 * making the certificate unparseable: the URLs are advice, not part of
 * what a client judges.  0, or -1 on ENOMEM.
 */
/*
 * Keep one caIssuers URI, while there is room; an x509der_aia callback
 * and read_ca_issuers' step.  0, or -1 on ENOMEM.
 */
static int
ca_issuer_seen(int ca_issuers, const unsigned char *uri, size_t len,
    void *arg)
{
	struct cert *c = arg;

	if (!ca_issuers || c->nca_issuers == CA_ISSUERS_MAX ||
	    memchr(uri, '\0', len) != NULL)
		return 0;
	if ((c->ca_issuers[c->nca_issuers] = strndup((const char *)uri,
	    len)) == NULL)
		return -1;
	c->nca_issuers++;
	return 0;
}

static int
read_ca_issuers(struct cert *c, const gnutls_datum_t *value)
{
	gnutls_x509_aia_t aia = NULL;
	gnutls_datum_t oid, san;
	unsigned i, type;
	int r = -1;

	if (c->lean && (r = x509der_aia(value->data, value->size,
	    ca_issuer_seen, c)) != -1)
		return r == 0 ? 0 : -1;
	if (gnutls_x509_aia_init(&aia) < 0)
		return -1;
	if (gnutls_x509_ext_import_aia(value, aia, 0) < 0 ||
	    gnutls_x509_aia_get(aia, 0, &oid, &type, &san) < 0) {
		/* RFC 5280 4.2.2.1: SIZE (1..MAX) OF AccessDescription */
		c->aia_malformed = 1;
		r = 0;
		goto out;
	}
	for (i = 0; c->nca_issuers < CA_ISSUERS_MAX; i++) {
		if (gnutls_x509_aia_get(aia, i, &oid, &type, &san) < 0)
			break;
		if (ca_issuer_seen(type == GNUTLS_SAN_URI && oid.size ==
		    sizeof(OID_AD_CA_ISSUERS) - 1 && memcmp(oid.data,
		    OID_AD_CA_ISSUERS, oid.size) == 0, san.data, san.size,
		    c) < 0)
			goto out;
	}
	r = 0;
out:
	gnutls_x509_aia_deinit(aia);
	return r;
}

/* The GnuTLS name type of a GeneralName tag x509der accepts. */
static unsigned
san_type_of(unsigned tag)
{
	switch (tag) {
	case 1:
		return GNUTLS_SAN_RFC822NAME;
	case 2:
		return GNUTLS_SAN_DNSNAME;
	case 6:
		return GNUTLS_SAN_URI;
	default:
		return GNUTLS_SAN_IPADDRESS;
	}
}

/* Note one subjectAltName entry. 0, or -1 on ENOMEM. */
static int
san_seen(struct cert *c, unsigned type, const char *v, size_t len)
{
	if (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_IPADDRESS)
		c->san_hostnames++;
	c->san_count++;
	return c->san_malformed == NULL ? san_malformed(c, type, v, len) : 0;
}

/*
 * Count the subjectAltName entries and find a malformed one: a lean
 * certificate's from the DER x509der checked, any other's from GnuTLS,
 * which decodes them at import.
 */
static int
read_sans(struct cert *c, char *err, size_t errlen)
{
	const unsigned char *p = c->san, *v;
	size_t left = c->san_len, vlen, len;
	unsigned i, tag, critical, san_type;
	char san[512];
	int ret;

	for (i = 0; c->lean && x509der_san_next(&p, &left, &tag, &v, &vlen);
	    i++)
		if (san_seen(c, san_type_of(tag), (const char *)v, vlen) < 0)
			goto enomem;
	for (i = 0; !c->lean; i++) {
		len = sizeof(san);
		ret = gnutls_x509_crt_get_subject_alt_name2(c->crt, i, san,
		    &len, &san_type, &critical);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (ret < 0 && ret != GNUTLS_E_SHORT_MEMORY_BUFFER) {
			snprintf(err, errlen, "malformed subjectAltName: %s",
			    gnutls_strerror(ret));
			return -1;
		}
		if (san_seen(c, san_type, ret < 0 ? "(too long to show)" : san,
		    len) < 0)
			goto enomem;
	}
	return 0;
enomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/*
 * Read the extensions whose content matters to chainaudit: one walk over
 * the DER finds them; on a lean certificate x509der reads the usual forms
 * and GnuTLS's decoders read the rest, as they read everything else.  A present but
 * undecodable extension makes the certificate unparseable: clients reject
 * such certificates, and guessing would hide the fault.  The SCT list is
 * left in v for read_scts.
 */
static int
read_extensions(struct cert *c, struct ext_values *v, char *err,
    size_t errlen)
{
	struct ext_walk w;
	gnutls_datum_t id = { NULL, 0 };
	const unsigned char *kid;
	size_t kidlen;
	gnutls_x509_aki_t aki = NULL;
	unsigned int ca = 0, ku = 0;
	int pathlen = -1, lean_ca, ret, r = -1;

	memset(v, 0, sizeof(*v));
	w.c = c;
	w.v = v;
	w.nunknown = 0;
	if ((ret = asn1_tbs_extensions(c->tbs, c->tbs_len, ext_seen, &w)) !=
	    0) {
		snprintf(err, errlen, ret > 0 ? "out of memory" :
		    "malformed extensions");
		goto out;
	}

	c->is_ca = 0;
	c->pathlen = -1;
	if (v->bc.data != NULL && c->lean && x509der_basic_constraints(
	    v->bc.data, v->bc.size, &lean_ca, &pathlen) == 0) {
		c->bc_present = 1;
		c->is_ca = lean_ca;
		c->pathlen = pathlen;
	} else if (v->bc.data != NULL) {
		if ((ret = gnutls_x509_ext_import_basic_constraints(&v->bc, &ca,
		    &pathlen)) < 0) {
			snprintf(err, errlen, "malformed basicConstraints: %s",
			    gnutls_strerror(ret));
			goto out;
		}
		c->bc_present = 1;
		c->is_ca = ca != 0;
		c->pathlen = pathlen;
	}

	if (v->ski.data != NULL && c->lean && x509der_ski(v->ski.data,
	    v->ski.size, &kid, &kidlen) == 0) {
		/* An identifier too long to keep is as good as none. */
		if (kidlen <= sizeof(c->ski)) {
			memcpy(c->ski, kid, kidlen);
			c->ski_len = kidlen;
		}
	} else if (v->ski.data != NULL) {
		if ((ret = gnutls_x509_ext_import_subject_key_id(&v->ski,
		    &id)) < 0) {
			snprintf(err, errlen, "malformed subjectKeyIdentifier: "
			    "%s", gnutls_strerror(ret));
			goto out;
		}
		/* An identifier too long to keep is as good as none. */
		if (id.size <= sizeof(c->ski)) {
			memcpy(c->ski, id.data, id.size);
			c->ski_len = id.size;
		}
		gnutls_free(id.data);
		id.data = NULL;
	}

	if (v->aki.data != NULL && asn1_aki_keyid_only(v->aki.data,
	    v->aki.size, &kid, &kidlen)) {
		/* The usual form, read without building GnuTLS's tree. */
		c->aki_keyid_only = 1;
		if (kidlen <= sizeof(c->aki)) {
			memcpy(c->aki, kid, kidlen);
			c->aki_len = kidlen;
		}
	} else if (v->aki.data != NULL) {
		if (gnutls_x509_aki_init(&aki) < 0) {
			aki = NULL;
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		if ((ret = gnutls_x509_ext_import_authority_key_id(&v->aki, aki,
		    0)) < 0) {
			snprintf(err, errlen, "malformed authorityKeyIdentifier: "
			    "%s", gnutls_strerror(ret));
			goto out;
		}
		/* Only keyIdentifier is used; the issuer+serial form is not. */
		if (gnutls_x509_aki_get_id(aki, &id) == 0 &&
		    id.size <= sizeof(c->aki)) {
			memcpy(c->aki, id.data, id.size);
			c->aki_len = id.size;
		}
		id.data = NULL;		/* borrowed from aki */
	}

	if (read_sans(c, err, errlen) < 0)
		goto out;

	if (v->ku.data != NULL && c->lean && x509der_key_usage(v->ku.data,
	    v->ku.size, &ku) == 0) {
		c->ku_present = 1;
		c->key_usage = ku;
	} else if (v->ku.data != NULL) {
		if ((ret = gnutls_x509_ext_import_key_usage(&v->ku, &ku)) < 0) {
			snprintf(err, errlen, "malformed keyUsage: %s",
			    gnutls_strerror(ret));
			goto out;
		}
		c->ku_present = 1;
		c->key_usage = ku;
	}
	if (v->eku.data != NULL && read_eku(c, &v->eku, err, errlen) < 0)
		goto out;
	if (v->nc.data != NULL && read_name_constraints(c, &v->nc, err,
	    errlen) < 0)
		goto out;
	if (v->aia.data != NULL && read_ca_issuers(c, &v->aia) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	r = 0;
out:
	gnutls_free(id.data);
	if (aki != NULL)
		gnutls_x509_aki_deinit(aki);
	return r;
}

/*
 * Hash the raw SubjectPublicKeyInfo.  Hashing the bytes as encoded, not
 * a re-encoding, keeps the value equal to what browsers and CT logs
 * publish as "SPKI SHA-256".
 */
static int
hash_spki(struct cert *c)
{
	return sha256(c->spki, c->spki_len, c->spki_sha256);
}

static void
read_alt_key(struct cert *c, const struct asn1_altsig *as)
{
	gnutls_datum_t d;
	unsigned int bits = 0;
	const char *name;
	int algo;

	c->alt_key_present = 1;
	snprintf(c->alt_key_oid, sizeof(c->alt_key_oid), "%s", as->spki_oid);
	sha256(as->spki, as->spki_len, c->alt_spki_sha256);
	name = pq_name(as->spki_oid);
	snprintf(c->alt_key_name, sizeof(c->alt_key_name), "%s",
	    name != NULL ? name : as->spki_oid);
	if (gnutls_pubkey_init(&c->alt_pubkey) < 0) {
		c->alt_pubkey = NULL;
		return;
	}
	d.data = (unsigned char *)as->spki;
	d.size = as->spki_len;
	if (gnutls_pubkey_import(c->alt_pubkey, &d, GNUTLS_X509_FMT_DER) < 0 ||
	    (algo = gnutls_pubkey_get_pk_algorithm(c->alt_pubkey,
	    &bits)) < 0) {
		/* An algorithm this GnuTLS does not know: unsupported. */
		gnutls_pubkey_deinit(c->alt_pubkey);
		c->alt_pubkey = NULL;
		return;
	}
	c->alt_key_algo = algo;
	c->alt_key_bits = bits;
	name = gnutls_pk_get_name(algo);
	if (algo == GNUTLS_PK_EC)
		snprintf(c->alt_key_name, sizeof(c->alt_key_name), "EC P-%u",
		    bits);
	else
		snprintf(c->alt_key_name, sizeof(c->alt_key_name), "%s",
		    name != NULL ? name : as->spki_oid);
}

/*
 * Read the alternative-signature extensions.  Problems are recorded in
 * alt_error rather than failing the parse: the primary signature may
 * still vouch for the certificate.  Returns -1 only on ENOMEM.
 */
static int
read_altsig(struct cert *c)
{
	struct asn1_altsig as;
	char err[ERRBUF_LEN];
	const char *name;

	if (asn1_tbs_altsig(c->tbs, c->tbs_len, &as, err, sizeof(err)) < 0) {
		/* Only hybrid extensions are looked at closely enough to fail. */
		c->alt_present = 1;
		return (c->alt_error = strdup(err)) == NULL ? -1 : 0;
	}
	if (as.spki_len > 0)
		read_alt_key(c, &as);
	if (as.alg_len == 0 && !as.value_present)
		return 0;
	c->alt_present = 1;
	if (as.alg_len == 0 || !as.value_present) {
		c->alt_error = strdup(as.alg_len == 0 ?
		    "altSignatureValue without altSignatureAlgorithm" :
		    "altSignatureAlgorithm without altSignatureValue");
		return c->alt_error == NULL ? -1 : 0;
	}
	snprintf(c->alt_sig_oid, sizeof(c->alt_sig_oid), "%s", as.alg_oid);
	c->alt_sig_algo = gnutls_oid_to_sign(as.alg_oid);
	name = c->alt_sig_algo != GNUTLS_SIGN_UNKNOWN ?
	    gnutls_sign_get_name(c->alt_sig_algo) : pq_name(as.alg_oid);
	snprintf(c->alt_sig_name, sizeof(c->alt_sig_name), "%s",
	    name != NULL ? name : as.alg_oid);
	if ((c->alt_value.data = malloc(as.value_len + 1)) == NULL)
		return -1;
	memcpy(c->alt_value.data, as.value, as.value_len);
	c->alt_value.size = as.value_len;
	if (asn1_tbs_pretbs(c->tbs, c->tbs_len, &c->alt_pretbs,
	    &c->alt_pretbs_len) < 0)
		return (c->alt_error = strdup("cannot rebuild the pre-TBS")) ==
		    NULL ? -1 : 0;
	return 0;
}

/*
 * The embedded SCT list: how many, and the earliest timestamp (Chrome's
 * Entrust and Chunghwa distrust keys on it).  An unreadable list counts
 * as none; SCTs are evidence of logging, not part of validity.
 */
static void
read_scts(struct cert *c, const gnutls_datum_t *ext)
{
	gnutls_x509_ct_scts_t scts;
	gnutls_datum_t logid, sig;
	gnutls_sign_algorithm_t alg;
	unsigned i;
	time_t ts;

	if (ext->data == NULL)
		return;
	/* The usual list, read without GnuTLS's copies of every SCT. */
	if (c->lean && x509der_scts(ext->data, ext->size, &c->nscts,
	    &c->earliest_sct) == 0)
		return;
	if (gnutls_x509_ext_ct_scts_init(&scts) < 0)
		return;
	if (gnutls_x509_ext_ct_import_scts(ext, scts, 0) == 0)
		for (i = 0; gnutls_x509_ct_sct_get(scts, i, &ts, &logid, &alg,
		    &sig) == 0; i++) {
			if (c->nscts == 0 || ts < c->earliest_sct)
				c->earliest_sct = ts;
			c->nscts++;
			gnutls_free(logid.data);
			gnutls_free(sig.data);
		}
	gnutls_x509_ext_ct_scts_deinit(scts);
}

/*
 * A CN value that reads the same raw as GnuTLS would print it (RFC 4514
 * escaping changes none of its characters): a UTF8String, PrintableString
 * or IA5String of printable ASCII, nothing RFC 4514 escapes, no space at
 * either end, short enough for the buffer GnuTLS is given below.
 */
static int
cn_is_plain(unsigned long tag, const unsigned char *v, size_t len)
{
	size_t i;

	if ((tag != 12 && tag != 19 && tag != 22) || len == 0 || len > 255 ||
	    v[0] == ' ' || v[0] == '#' || v[len - 1] == ' ')
		return 0;
	for (i = 0; i < len; i++)
		if (v[i] < 0x20 || v[i] > 0x7e ||
		    strchr(",+\"\\<>;=", v[i]) != NULL)
			return 0;
	return 1;
}

/* c's short name: the first n bytes of s, up to a NUL.  0 or -1. */
static int
set_short_name(struct cert *c, const char *s, size_t n)
{
	n = strnlen(s, n);
	if (n < sizeof(c->short_buf)) {
		memcpy(c->short_buf, s, n);
		c->short_buf[n] = '\0';
		c->short_name = c->short_buf;
	} else
		c->short_name = strndup(s, n);
	return c->short_name == NULL ? -1 : 0;
}

/*
 * The short name, made once at parse time: reports ask for the names of
 * the CA certificates on every row's path, and the parse cache shares
 * those certificates across rows.  A plain CN is read from the DER;
 * anything else is left to GnuTLS.  0, or -1 on ENOMEM.
 */
static int
make_short_name(struct cert *c)
{
	const unsigned char *v;
	unsigned long tag;
	char buf[256];
	size_t n = sizeof(buf);
	const char *subject;

	if (asn1_name_attr(c->raw_subject.data, c->raw_subject.size,
	    GNUTLS_OID_X520_COMMON_NAME, &tag, &v, &n) == 1 &&
	    cn_is_plain(tag, v, n))
		return set_short_name(c, (const char *)v, n);
	if (n = sizeof(buf), gnutls_x509_rdn_get_by_oid(&c->raw_subject,
	    GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &n) == 0 && n > 0)
		return set_short_name(c, buf, sizeof(buf));
	subject = cert_subject(c);
	if (subject[0] == '\0')
		subject = "(empty subject)";
	return set_short_name(c, subject, strlen(subject));
}

/*
 * Parse one DER certificate, by x509der when lean is set and the
 * certificate is within its profile, else by GnuTLS.  Returns a new cert
 * or NULL with the reason in err.
 */
static struct cert *
parse(const unsigned char *der, size_t len, int lean, char *err,
    size_t errlen)
{
	struct cert *c = NULL, *ret = NULL;
	struct asn1_cert_parts parts;
	struct ext_values ext;
	struct x509der x;
	gnutls_datum_t d;
	unsigned char serial[CERT_SERIAL_MAX];
	size_t slen;
	int r;

	/* One allocation: the cert and its DER after it. */
	if (len > SIZE_MAX - sizeof(*c) ||
	    (c = malloc(sizeof(*c) + len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	memset(c, 0, sizeof(*c));
	c->pathlen = -1;
	c->der = (unsigned char *)(c + 1);
	memcpy(c->der, der, len);
	c->der_len = len;
	if (asn1_tlv_len(der, len) != len) {
		snprintf(err, errlen, "not a single DER certificate");
		goto out;
	}
	if (asn1_cert_tbs(c->der, len, &c->tbs, &c->tbs_len) < 0) {
		snprintf(err, errlen, "no TBSCertificate");
		goto out;
	}
	/*
	 * The usual certificate is read from its DER; any other is
	 * imported by GnuTLS, which accepts or rejects it as it always has.
	 */
	if (lean && x509der_parse(c->der, len, &x) == 0) {
		c->lean = 1;
		c->san = x.san;
		c->san_len = x.san_len;
	} else if ((r = gnutls_x509_crt_init(&c->crt)) < 0) {
		c->crt = NULL;
		snprintf(err, errlen, "%s", gnutls_strerror(r));
		goto out;
	} else {
		d.data = c->der;
		d.size = len;
		if ((r = gnutls_x509_crt_import(c->crt, &d,
		    GNUTLS_X509_FMT_DER)) < 0) {
			snprintf(err, errlen, "%s", gnutls_strerror(r));
			goto out;
		}
	}

	/* Slices of der: GnuTLS would hand out copies of the same bytes. */
	if (asn1_cert_parts(c->der, len, &parts) < 0) {
		snprintf(err, errlen, "malformed names, key or signature");
		goto out;
	}
	c->spki = parts.spki;
	c->spki_len = parts.spki_len;
	if (sha256(c->der, len, c->sha256) < 0 || hash_spki(c) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	hex_encode(c->sha256, SHA256_LEN, c->sha256_hex);
	hex_encode(c->spki_sha256, SHA256_LEN, c->spki_sha256_hex);
	c->raw_subject.data = (unsigned char *)parts.subject;
	c->raw_subject.size = (unsigned)parts.subject_len;
	c->raw_issuer.data = (unsigned char *)parts.issuer;
	c->raw_issuer.size = (unsigned)parts.issuer_len;
	c->signature.data = (unsigned char *)parts.sig;
	c->signature.size = (unsigned)parts.sig_len;
	c->self_issued = c->raw_subject.size == c->raw_issuer.size &&
	    memcmp(c->raw_subject.data, c->raw_issuer.data,
	    c->raw_subject.size) == 0;

	if (make_short_name(c) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}

	slen = sizeof(serial);
	if (c->lean) {
		memcpy(serial, x.serial, x.serial_len);
		slen = x.serial_len;
	} else if ((r = gnutls_x509_crt_get_serial(c->crt, serial,
	    &slen)) < 0) {
		snprintf(err, errlen, "malformed serial: %s",
		    gnutls_strerror(r));
		goto out;
	}
	hex_encode(serial, slen, c->serial_hex);

	if (c->lean) {
		c->not_before = x.not_before;
		c->not_after = x.not_after;
		c->version = x.version;
	} else {
		c->not_before = gnutls_x509_crt_get_activation_time(c->crt);
		c->not_after = gnutls_x509_crt_get_expiration_time(c->crt);
		c->version = gnutls_x509_crt_get_version(c->crt);
	}
	if (c->not_before == (time_t)-1 || c->not_after == (time_t)-1) {
		snprintf(err, errlen, "malformed validity");
		goto out;
	}

	if (read_extensions(c, &ext, err, errlen) < 0)
		goto out;
	read_key(c);
	read_signature_algorithm(c, &x);
	read_scts(c, &ext.scts);
	if (ext.altsig && read_altsig(c) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}

	ret = c;
	c = NULL;
out:
	cert_free(c);
	return ret;
}

/*
 * Parse one DER certificate; see cert.h.
 */
struct cert *
cert_parse(const unsigned char *der, size_t len, char *err, size_t errlen)
{
	return parse(der, len, 1, err, errlen);
}

/*
 * Parse it the way every certificate was parsed before x509der: the
 * oracle the differential tests hold cert_parse to.
 */
struct cert *
cert_parse_gnutls(const unsigned char *der, size_t len, char *err,
    size_t errlen)
{
	return parse(der, len, 0, err, errlen);
}

/*
 * Release a certificate; accepts NULL.
 */
void
cert_free(struct cert *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->crt != NULL)
		gnutls_x509_crt_deinit(c->crt);
	if (c->pubkey != NULL)
		gnutls_pubkey_deinit(c->pubkey);
	if (c->alt_pubkey != NULL)
		gnutls_pubkey_deinit(c->alt_pubkey);
	for (i = 0; i < c->nca_issuers; i++)
		free(c->ca_issuers[i]);
	free(c->alt_error);
	free(c->unknown_critical);
	free(c->nc_error);
	free(c->san_malformed);
	if (c->nc != NULL)
		gnutls_x509_name_constraints_deinit(c->nc);
	free(c->alt_value.data);
	free(c->alt_pretbs);
	free(c->subject);
	free(c->issuer);
	if (c->short_name != c->short_buf)
		free(c->short_name);
	free(c);
}

/*
 * Drop what only judging needs; see cert.h.
 */
void
cert_shed(struct cert *c)
{
	if (c == NULL)
		return;
	__atomic_store_n(&c->pubkey_unusable, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&c->shed, 1, __ATOMIC_RELEASE);
	if (c->pubkey != NULL)
		gnutls_pubkey_deinit(c->pubkey);
	c->pubkey = NULL;
	if (c->alt_pubkey != NULL)
		gnutls_pubkey_deinit(c->alt_pubkey);
	c->alt_pubkey = NULL;
	if (c->crt != NULL)
		gnutls_x509_crt_deinit(c->crt);
	c->crt = NULL;
}

/*
 * 1 when a and b are the same DER certificate.
 */
int
cert_is_same(const struct cert *a, const struct cert *b)
{
	return memcmp(a->sha256, b->sha256, SHA256_LEN) == 0;
}

static int
datum_eq(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/*
 * 1 when a and b name the same node: same subject DN and same key.
 */
int
cert_is_same_node(const struct cert *a, const struct cert *b)
{
	return memcmp(a->spki_sha256, b->spki_sha256, SHA256_LEN) == 0 &&
	    datum_eq(&a->raw_subject, &b->raw_subject);
}

/*
 * 1 when issuer's names and key identifiers allow it to have issued
 * subject.  Key identifiers only rule out: many older certificates have
 * neither, and RFC 5280 4.2.1.1 makes them hints, not proof.
 */
int
cert_is_issuer_name_of(const struct cert *issuer, const struct cert *subject)
{
	if (!datum_eq(&issuer->raw_subject, &subject->raw_issuer))
		return 0;
	if (subject->aki_len > 0 && issuer->ski_len > 0 &&
	    (subject->aki_len != issuer->ski_len ||
	    memcmp(subject->aki, issuer->ski, issuer->ski_len) != 0))
		return 0;
	return 1;
}

/*
 * 1 when c may sign certificates; see cert.h.
 */
int
cert_is_cert_signer(const struct cert *c, int anchor)
{
	/* v1 and v2 have no basicConstraints: only a trusted root may sign. */
	if (c->version < 3)
		return anchor;
	if (!c->is_ca && !(anchor && !c->bc_present))
		return 0;
	return !c->ku_present || (c->key_usage & GNUTLS_KEY_KEY_CERT_SIGN) != 0;
}

/* ---- name constraints ------------------------------------------------- */

/* The name forms GnuTLS checks against name constraints. */
static const gnutls_x509_subject_alt_name_t nc_checked[] = {
	GNUTLS_SAN_DNSNAME, GNUTLS_SAN_RFC822NAME, GNUTLS_SAN_IPADDRESS,
	GNUTLS_SAN_DN,
};
#define NC_NCHECKED	(sizeof(nc_checked) / sizeof(nc_checked[0]))

/* GnuTLS's virtual otherName types are otherNames to name constraints. */
static unsigned
name_form(unsigned type)
{
	return type >= GNUTLS_SAN_OTHERNAME_XMPP ? GNUTLS_SAN_OTHERNAME : type;
}

static const char *
form_name(unsigned form)
{
	switch (form) {
	case GNUTLS_SAN_DNSNAME:
		return "dNSName";
	case GNUTLS_SAN_RFC822NAME:
		return "rfc822Name";
	case GNUTLS_SAN_URI:
		return "uniformResourceIdentifier";
	case GNUTLS_SAN_IPADDRESS:
		return "iPAddress";
	case GNUTLS_SAN_OTHERNAME:
		return "otherName";
	case GNUTLS_SAN_DN:
		return "directoryName";
	case GNUTLS_SAN_REGISTERED_ID:
		return "registeredID";
	default:
		return "GeneralName";
	}
}

/* A name as messages show it: addresses in text, other bytes printable. */
static void
name_text(unsigned form, const unsigned char *v, size_t len, char *buf,
    size_t buflen)
{
	char ip[INET6_ADDRSTRLEN], *p;
	int n;

	if (form == GNUTLS_SAN_IPADDRESS && (len == 4 || len == 16) &&
	    inet_ntop(len == 4 ? AF_INET : AF_INET6, v, ip,
	    sizeof(ip)) != NULL) {
		snprintf(buf, buflen, "iPAddress %s", ip);
		return;
	}
	n = snprintf(buf, buflen, "%s '", form_name(form));
	if (n < 0 || (size_t)n >= buflen)
		return;
	snprintf(buf + n, buflen - n, "%.*s'", (int)len, (const char *)v);
	for (p = buf + n; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = '?';
}

/*
 * The idx-th subjectAltName entry of c, whatever its length, into a new
 * NUL-terminated *v (the caller frees it), its form into *form.  1, 0
 * past the last entry, -1 when it cannot be read (*v NULL).  Reading
 * every entry in full matters: a name too long to look at must not slip
 * past a name constraint.
 */
static int
san_entry(const struct cert *c, unsigned idx, char **v, size_t *len,
    unsigned *form)
{
	const unsigned char *p = c->san, *lv;
	size_t left = c->san_len, n = 0;
	unsigned int type = 0, tag, i;
	int ret;

	*v = NULL;
	if (c->lean && !c->shed) {
		for (i = 0; x509der_san_next(&p, &left, &tag, &lv, &n); i++)
			if (i == idx) {
				if ((*v = malloc(n + 1)) == NULL)
					return -1;
				memcpy(*v, lv, n);
				(*v)[n] = '\0';
				*len = n;
				*form = san_type_of(tag);
				return 1;
			}
		return 0;
	}
	if (c->crt == NULL)
		return -1;	/* shed: see cert_shed */
	ret = gnutls_x509_crt_get_subject_alt_name2(c->crt, idx, NULL, &n,
	    &type, NULL);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER && ret < 0)
		return -1;
	if ((*v = malloc(n + 1)) == NULL)
		return -1;
	*len = n + 1;
	ret = gnutls_x509_crt_get_subject_alt_name2(c->crt, idx, *v, len,
	    &type, NULL);
	if (ret < 0) {
		free(*v);
		*v = NULL;
		return -1;
	}
	(*v)[*len] = '\0';
	*form = name_form(type);
	return 1;
}

/*
 * 1 when every subjectAltName of c of form is within nc.  GnuTLS's own
 * check of dNSNames falls back to the CN, a host name only in a server
 * certificate: a CA's CN is just a name, which no client matches.
 */
static int
sans_are_permitted(gnutls_x509_name_constraints_t nc, const struct cert *c,
    unsigned form)
{
	gnutls_datum_t d;
	char *v;
	size_t vlen;
	unsigned i, f = 0;
	int r, ok;

	for (i = 0; (r = san_entry(c, i, &v, &vlen, &f)) != 0; i++) {
		if (r < 0)
			return 0;	/* unreadable: fail closed */
		ok = 1;
		if (f == form) {
			d.data = (unsigned char *)v;
			d.size = vlen;
			ok = gnutls_x509_name_constraints_check(nc, form, &d);
		}
		free(v);
		if (!ok)
			return 0;
	}
	return 1;
}

/* Describe the first name of c, of form, outside nc. */
static void
describe_outside(gnutls_x509_name_constraints_t nc, const struct cert *c,
    unsigned form, char *why, size_t len)
{
	gnutls_datum_t d;
	char *v;
	size_t vlen;
	unsigned i, f = 0;
	int r;

	for (i = 0; (r = san_entry(c, i, &v, &vlen, &f)) != 0; i++) {
		if (r < 0) {
			snprintf(why, len, "an unreadable subjectAltName entry");
			return;
		}
		d.data = (unsigned char *)v;
		d.size = vlen;
		if (f == form && !gnutls_x509_name_constraints_check(nc, form,
		    &d)) {
			name_text(form, d.data, d.size, why, len);
			free(v);
			return;
		}
		free(v);
	}
	if (form == GNUTLS_SAN_DN)
		snprintf(why, len, "subject '%s'", cert_subject(c));
	else if (form == GNUTLS_SAN_DNSNAME)
		snprintf(why, len, "CN (it has no dNSName)");
	else if (form == GNUTLS_SAN_RFC822NAME)
		snprintf(why, len, "emailAddress in the subject");
	else
		snprintf(why, len, "%s", form_name(form));
}

/*
 * A wildcard dNSName "*.base" can stand for an excluded "label.base"
 * (CVE-2025-61727): the names it matches are not all within the
 * excluded subtree, so GnuTLS lets it pass, but a client matching the
 * excluded name against it would connect.  1 and the name in why.
 */
static int
wildcard_excluded(gnutls_x509_name_constraints_t nc, const struct cert *c,
    char *why, size_t len)
{
	gnutls_datum_t e;
	unsigned i, k, f = 0, type;
	char *v, ex[300];
	size_t vlen, bl, n;
	int r, hit = 0;

	for (i = 0; !hit && (r = san_entry(c, i, &v, &vlen, &f)) != 0; i++) {
		if (r < 0)
			continue;	/* sans_are_permitted fails it */
		if (f != GNUTLS_SAN_DNSNAME || vlen < 3 ||
		    strncmp(v, "*.", 2) != 0) {
			free(v);
			continue;
		}
		bl = vlen - 2;
		for (k = 0; !hit && gnutls_x509_name_constraints_get_excluded(
		    nc, k, &type, &e) >= 0; k++) {
			/* e is "label.base": one label left of the base. */
			if (type != GNUTLS_SAN_DNSNAME || e.size <= bl + 1 ||
			    e.data[e.size - bl - 1] != '.' ||
			    strncasecmp((const char *)e.data + e.size - bl,
			    v + 2, bl) != 0 ||
			    memchr(e.data, '.', e.size - bl - 1) != NULL)
				continue;
			name_text(GNUTLS_SAN_DNSNAME, e.data, e.size, ex,
			    sizeof(ex));
			name_text(GNUTLS_SAN_DNSNAME, (unsigned char *)v, vlen,
			    why, len);
			n = strlen(why);
			snprintf(why + n, len - n, ", which can match the "
			    "excluded %s", ex);
			hit = 1;
		}
		free(v);
	}
	return hit;
}

/* The GeneralName tag number of a name form (RFC 5280 4.2.1.6). */
static unsigned
general_name_tag(unsigned form)
{
	switch (form) {
	case GNUTLS_SAN_OTHERNAME:
		return 0;
	case GNUTLS_SAN_RFC822NAME:
		return 1;
	case GNUTLS_SAN_DNSNAME:
		return 2;
	case GNUTLS_SAN_DN:
		return 4;
	case GNUTLS_SAN_URI:
		return 6;
	case GNUTLS_SAN_IPADDRESS:
		return 7;
	default:
		return 8;	/* registeredID */
	}
}

static int
nc_constrains_form(gnutls_x509_name_constraints_t nc, unsigned form)
{
	gnutls_datum_t d;
	unsigned i, type;

	for (i = 0; gnutls_x509_name_constraints_get_permitted(nc, i, &type,
	    &d) >= 0; i++)
		if (name_form(type) == form)
			return 1;
	for (i = 0; gnutls_x509_name_constraints_get_excluded(nc, i, &type,
	    &d) >= 0; i++)
		if (name_form(type) == form)
			return 1;
	return 0;
}

/*
 * RFC 5280 4.2.1.10: a name of a form the constraints restrict must be
 * checked or the certificate rejected.  1 for such a name GnuTLS does
 * not check, with its form in why.
 */
static int
unchecked_form(const struct cert *ca, const struct cert *c, char *why,
    size_t len)
{
	char *v;
	size_t vlen, k;
	unsigned i, f = 0;
	int r;

	for (i = 0; (r = san_entry(c, i, &v, &vlen, &f)) != 0; i++) {
		free(v);
		if (r < 0)
			continue;	/* sans_are_permitted fails it */
		for (k = 0; k < NC_NCHECKED; k++)
			if (f == nc_checked[k])
				break;
		if (k < NC_NCHECKED || (!nc_constrains_form(ca->nc, f) &&
		    !(ca->nc_unchecked & (1u << general_name_tag(f)))))
			continue;
		snprintf(why, len, "%s (a constrained name form chainaudit "
		    "cannot check)", form_name(f));
		return 1;
	}
	return 0;
}

/*
 * 1 when c's names are within ca's nameConstraints; see cert.h.
 */
int
cert_is_name_permitted(const struct cert *ca, const struct cert *c,
    char *why, size_t len)
{
	size_t k;

	if (ca->nc == NULL)
		return 1;
	if (cert_crt(c) == NULL) {
		snprintf(why, len, "its names are no longer at hand "
		    "(cert_shed)");
		return 0;
	}
	for (k = 0; k < NC_NCHECKED; k++)
		if (!(nc_checked[k] == GNUTLS_SAN_DNSNAME && c->is_ca ?
		    sans_are_permitted(ca->nc, c, GNUTLS_SAN_DNSNAME) :
		    gnutls_x509_name_constraints_check_crt(ca->nc,
		    nc_checked[k], cert_crt(c)) != 0)) {
			describe_outside(ca->nc, c, nc_checked[k], why, len);
			return 0;
		}
	if (wildcard_excluded(ca->nc, c, why, len) ||
	    unchecked_form(ca, c, why, len))
		return 0;
	return 1;
}

/*
 * 1 when the CN copies a subjectAltName entry; see cert.h.
 */
int
cert_cn_is_in_san(const struct cert *c)
{
	const unsigned char *cn;
	unsigned long tag;
	char *v, ip[INET6_ADDRSTRLEN];
	size_t cnlen, vlen;
	unsigned i, form = 0;
	int r, found = 0;

	if (asn1_name_attr(c->raw_subject.data, c->raw_subject.size,
	    "2.5.4.3", &tag, &cn, &cnlen) != 1)
		return 1;
	for (i = 0; !found && (r = san_entry(c, i, &v, &vlen, &form)) != 0;
	    i++) {
		if (r < 0)
			return 0;
		if (form == GNUTLS_SAN_DNSNAME)
			found = vlen == cnlen && memcmp(v, cn, cnlen) == 0;
		else if (form == GNUTLS_SAN_IPADDRESS && (vlen == 4 ||
		    vlen == 16) && inet_ntop(vlen == 4 ? AF_INET : AF_INET6,
		    v, ip, sizeof(ip)) != NULL)
			found = strlen(ip) == cnlen && memcmp(ip, cn,
			    cnlen) == 0;
		free(v);
	}
	return found;
}

/*
 * 1 when the dNSName name (len printable octets, no NUL) matches host
 * as GnuTLS matches them (RFC 6125 6.4): without regard to ASCII case,
 * and, when wildcards is set, a leading '*' standing for the start of
 * host's first label, in a name of at least three labels.
 */
static int
dns_name_matches(const char *name, size_t len, const char *host,
    int wildcards)
{
	const char *first, *last;

	if (len == 0 || name[0] != '*' || !wildcards)
		return strlen(host) == len && strncasecmp(name, host, len) == 0;
	first = memchr(name, '.', len);
	last = memrchr(name, '.', len);
	if (last == NULL || first == last || last == name + len - 1)
		return 0;
	for (;; host++) {
		if (strlen(host) == len - 1 && strncasecmp(name + 1, host,
		    len - 1) == 0)
			return 1;
		if (*host == '\0' || *host == '.')
			return 0;
	}
}

/*
 * GnuTLS's answer for host: an address is looked up among iPAddresses,
 * and a certificate without dNSName falls back to its CN.
 */
static int
gnutls_matches(const struct cert *c, const char *host, unsigned flags)
{
	gnutls_x509_crt_t crt = cert_crt(c);

	return crt != NULL && gnutls_x509_crt_check_hostname2(crt, host,
	    flags) != 0;
}

/*
 * host matched against a lean certificate's dNSNames: 1 or 0, or -1 when
 * only GnuTLS can say (an address, a name outside printable ASCII, which
 * GnuTLS maps with IDNA, or a certificate without dNSName).
 */
static int
lean_matches(const struct cert *c, const char *host, int wildcards)
{
	const unsigned char *p = c->san, *v;
	size_t left = c->san_len, vlen;
	struct in_addr ip4;
	unsigned tag;
	int any = 0;
	const char *h;

	if (!c->lean || strchr(host, ':') != NULL || inet_aton(host, &ip4))
		return -1;
	for (h = host; *h != '\0'; h++)
		if ((unsigned char)*h < 0x20 || (unsigned char)*h > 0x7e)
			return -1;
	while (x509der_san_next(&p, &left, &tag, &v, &vlen)) {
		if (tag != 2)
			continue;
		any = 1;
		if (dns_name_matches((const char *)v, vlen, host, wildcards))
			return 1;
	}
	return any ? 0 : -1;
}

/*
 * The host without the trailing dot of a fully qualified name
 * ("www.example.com."): the same host, matched as without it, as
 * browsers do; certificates never carry it.
 */
static const char *
bare_host(const char *host, char *bare, size_t size)
{
	size_t len = strlen(host);

	if (len > 1 && host[len - 1] == '.' && host[len - 2] != '.' &&
	    len <= size) {
		memcpy(bare, host, len - 1);
		bare[len - 1] = '\0';
		return bare;
	}
	return host;
}

/*
 * 1 when the certificate's names match host (RFC 6125 as GnuTLS reads
 * it, wildcards in the left-most label only): from a lean certificate's
 * dNSNames when they decide it, else by GnuTLS.
 */
int
cert_matches_host(const struct cert *c, const char *host)
{
	char bare[256];
	int r;

	if (c->shed)
		return 0;
	host = bare_host(host, bare, sizeof(bare));
	if ((r = lean_matches(c, host, 1)) >= 0)
		return r;
	return gnutls_matches(c, host, 0);
}

/*
 * 1 when only a wildcard name of c matches host; see cert.h.
 */
int
cert_matches_host_by_wildcard(const struct cert *c, const char *host)
{
	int r;

	if (!cert_matches_host(c, host))
		return 0;
	if ((r = lean_matches(c, host, 0)) >= 0)
		return !r;
	return !gnutls_matches(c, host, GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS);
}

/*
 * The subject's CN (or the whole subject when it has none), copied into
 * buf; returns buf.
 */
const char *
cert_short_name(const struct cert *c, char *buf, size_t len)
{
	str_copy(buf, len, c->short_name != NULL ? c->short_name : "?");
	return buf;
}

/*
 * The key for reports: the name, with the bits only when the name lacks
 * them ("RSA 2048", "EC P-256", "Ed25519").  Returns buf.
 */
const char *
cert_key_label(const struct cert *c, char *buf, size_t len)
{
	char bits[16];
	size_t n, i = sizeof(bits) - 1;
	unsigned v = c->key_bits;

	str_copy(buf, len, c->key_name);
	if (len == 0 || c->key_bits == 0 ||
	    strpbrk(c->key_name, "0123456789") != NULL)
		return buf;
	bits[i] = '\0';
	/* " 2048" by hand: a row asks for a label per certificate. */
	do {
		bits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	bits[--i] = ' ';
	n = strlen(buf);
	if (len > n)
		str_copy(buf + n, len - n, bits + i);
	return buf;
}
