/*
 * cert.c: parse one DER certificate into struct cert.
 *
 * Everything chainaudit reads from a certificate is read here, once, so
 * that a malformed extension is found at parse time (and reported as such)
 * instead of surfacing as a strange verdict later.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509-ext.h>

#include "asn1.h"
#include "cert.h"

#define OID_CT_SCTS	"1.3.6.1.4.1.11129.2.4.2"

/* Collision resistance of each hash, in bits (broken ones: best attack). */
static const struct {
	gnutls_digest_algorithm_t dig;
	enum hash_rank	 rank;
	unsigned	 bits;
} hash_table[] = {
	{ GNUTLS_DIG_MD2,	HASH_MD2,	63 },
	{ GNUTLS_DIG_MD5,	HASH_MD5,	18 },
	{ GNUTLS_DIG_SHA1,	HASH_SHA1,	61 },
	{ GNUTLS_DIG_RMD160,	HASH_STRONG,	80 },
	{ GNUTLS_DIG_SHA224,	HASH_STRONG,	112 },
	{ GNUTLS_DIG_SHA256,	HASH_STRONG,	128 },
	{ GNUTLS_DIG_SHA384,	HASH_STRONG,	192 },
	{ GNUTLS_DIG_SHA512,	HASH_STRONG,	256 },
	{ GNUTLS_DIG_SHA3_224,	HASH_STRONG,	112 },
	{ GNUTLS_DIG_SHA3_256,	HASH_STRONG,	128 },
	{ GNUTLS_DIG_SHA3_384,	HASH_STRONG,	192 },
	{ GNUTLS_DIG_SHA3_512,	HASH_STRONG,	256 },
	{ GNUTLS_DIG_STREEBOG_256, HASH_STRONG,	128 },
	{ GNUTLS_DIG_STREEBOG_512, HASH_STRONG,	256 },
	{ GNUTLS_DIG_GOSTR_94,	HASH_STRONG,	128 },
};

static void
hash_strength(gnutls_sign_algorithm_t sign, enum hash_rank *rank,
    unsigned *bits)
{
	gnutls_digest_algorithm_t dig;
	size_t i;

	*rank = HASH_UNKNOWN;
	*bits = 0;
	/* EdDSA hashes internally; its strength is the curve's. */
	switch (gnutls_sign_get_pk_algorithm(sign)) {
	case GNUTLS_PK_EDDSA_ED25519:
		*rank = HASH_STRONG;
		*bits = 128;
		return;
	case GNUTLS_PK_EDDSA_ED448:
		*rank = HASH_STRONG;
		*bits = 224;
		return;
	default:
		break;
	}
	dig = gnutls_sign_get_hash_algorithm(sign);
	for (i = 0; i < sizeof(hash_table) / sizeof(hash_table[0]); i++) {
		if (hash_table[i].dig == dig) {
			*rank = hash_table[i].rank;
			*bits = hash_table[i].bits;
			return;
		}
	}
}

/* NIST SP 800-57 Part 1 Table 2 for factoring and finite-field keys. */
static unsigned
ifc_strength(unsigned bits)
{
	if (bits >= 15360)
		return 256;
	if (bits >= 7680)
		return 192;
	if (bits >= 3072)
		return 128;
	if (bits >= 2048)
		return 112;
	if (bits >= 1024)
		return 80;
	if (bits >= 512)
		return 56;
	return bits / 16;
}

static unsigned
key_strength(int algo, unsigned bits)
{
	switch (algo) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
	case GNUTLS_PK_DSA:
		return ifc_strength(bits);
	case GNUTLS_PK_EC:
	case GNUTLS_PK_GOST_01:
	case GNUTLS_PK_GOST_12_256:
	case GNUTLS_PK_GOST_12_512:
		return bits / 2;
	case GNUTLS_PK_EDDSA_ED25519:
		return 128;
	case GNUTLS_PK_EDDSA_ED448:
		return 224;
	default:
		return 0;
	}
}

/*
 * Security strength in bits of the certificate's public key.
 */
unsigned
cert_key_strength(const struct cert *c)
{
	return key_strength(c->key_algo, c->key_bits);
}

/*
 * Post-quantum algorithms seen in hybrid certificates.  This GnuTLS
 * verifies none of them; the table only names them in reports and gives
 * their NIST security category as bits.
 */
static const struct {
	const char	*oid;
	const char	*name;
	unsigned	 bits;
} pq_table[] = {
	{ "2.16.840.1.101.3.4.3.17",	"ML-DSA-44",	128 },
	{ "2.16.840.1.101.3.4.3.18",	"ML-DSA-65",	192 },
	{ "2.16.840.1.101.3.4.3.19",	"ML-DSA-87",	256 },
	{ "1.3.6.1.4.1.2.267.7.4.4",	"Dilithium2 (round 2)",	128 },
	{ "1.3.6.1.4.1.2.267.7.6.5",	"Dilithium3 (round 2)",	192 },
	{ "1.3.6.1.4.1.2.267.7.8.7",	"Dilithium5 (round 2)",	256 },
};

static int
pq_lookup(const char *oid, const char **name, unsigned *bits)
{
	size_t i;

	for (i = 0; i < sizeof(pq_table) / sizeof(pq_table[0]); i++)
		if (strcmp(pq_table[i].oid, oid) == 0) {
			*name = pq_table[i].name;
			*bits = pq_table[i].bits;
			return 1;
		}
	return 0;
}

/*
 * Security strength in bits of the alternative public key, 0 if none
 * (or unknown).
 */
unsigned
cert_alt_key_strength(const struct cert *c)
{
	const char *name;
	unsigned bits;

	if (!c->alt_key_present)
		return 0;
	if (c->alt_key_algo == GNUTLS_PK_UNKNOWN)
		return pq_lookup(c->alt_key_oid, &name, &bits) ? bits : 0;
	return key_strength(c->alt_key_algo, c->alt_key_bits);
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

static void
read_key(struct cert *c)
{
	unsigned int bits = 0;
	gnutls_ecc_curve_t curve;
	gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 };
	const char *name;
	int algo;

	algo = gnutls_x509_crt_get_pk_algorithm(c->crt, &bits);
	c->key_algo = algo < 0 ? GNUTLS_PK_UNKNOWN : algo;
	c->key_bits = bits;
	switch (c->key_algo) {
	case GNUTLS_PK_RSA:
		snprintf(c->key_name, sizeof(c->key_name), "RSA");
		break;
	case GNUTLS_PK_RSA_PSS:
		snprintf(c->key_name, sizeof(c->key_name), "RSA-PSS");
		break;
	case GNUTLS_PK_EC:
		if (gnutls_x509_crt_get_pk_ecc_raw(c->crt, &curve, &x, &y) == 0) {
			snprintf(c->key_name, sizeof(c->key_name), "EC %s",
			    curve_label(curve) ? curve_label(curve) : "?");
			if (gnutls_ecc_curve_get_size(curve) > 0)
				c->key_bits = gnutls_ecc_curve_get_size(curve)
				    * 8;
			/* P-521 is 66 bytes but 521 bits. */
			if (curve == GNUTLS_ECC_CURVE_SECP521R1)
				c->key_bits = 521;
			gnutls_free(x.data);
			gnutls_free(y.data);
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
	if (gnutls_pubkey_init(&c->pubkey) < 0) {
		c->pubkey = NULL;
		return;
	}
	if (gnutls_pubkey_import_x509(c->pubkey, c->crt, 0) < 0) {
		gnutls_pubkey_deinit(c->pubkey);
		c->pubkey = NULL;
	}
}

static void
read_signature_algorithm(struct cert *c)
{
	size_t len = sizeof(c->sig_oid);
	const char *name;
	int algo;

	if (gnutls_x509_crt_get_signature_oid(c->crt, c->sig_oid, &len) < 0)
		snprintf(c->sig_oid, sizeof(c->sig_oid), "?");
	algo = gnutls_x509_crt_get_signature_algorithm(c->crt);
	c->sig_algo = algo < 0 ? GNUTLS_SIGN_UNKNOWN : algo;
	name = c->sig_algo != GNUTLS_SIGN_UNKNOWN ?
	    gnutls_sign_get_name(c->sig_algo) : NULL;
	snprintf(c->sig_name, sizeof(c->sig_name), "%s",
	    name ? name : c->sig_oid);
	hash_strength(c->sig_algo, &c->sig_hash_rank, &c->sig_hash_bits);
}

/*
 * Read the extensions whose content matters to chainaudit.  A present
 * but undecodable extension makes the certificate unparseable: clients
 * reject such certificates, and guessing would hide the fault.
 */
static int
read_extensions(struct cert *c, char *err, size_t errlen)
{
	unsigned int critical, ca = 0;
	int pathlen = -1, ret;
	unsigned i;
	size_t len;
	char san[512];
	unsigned san_type;

	ret = gnutls_x509_crt_get_basic_constraints(c->crt, &critical, &ca,
	    &pathlen);
	if (ret >= 0) {
		c->is_ca = ca != 0;
		c->pathlen = pathlen;
	} else if (ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		snprintf(err, errlen, "malformed basicConstraints: %s",
		    gnutls_strerror(ret));
		return -1;
	} else {
		c->is_ca = 0;
		c->pathlen = -1;
	}

	len = sizeof(c->ski);
	ret = gnutls_x509_crt_get_subject_key_id(c->crt, c->ski, &len,
	    &critical);
	if (ret >= 0)
		c->ski_len = len;
	else if (ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE &&
	    ret != GNUTLS_E_SHORT_MEMORY_BUFFER) {
		snprintf(err, errlen, "malformed subjectKeyIdentifier: %s",
		    gnutls_strerror(ret));
		return -1;
	}

	len = sizeof(c->aki);
	ret = gnutls_x509_crt_get_authority_key_id(c->crt, c->aki, &len,
	    &critical);
	if (ret >= 0)
		c->aki_len = len;
	else if (ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE &&
	    ret != GNUTLS_E_X509_UNSUPPORTED_EXTENSION &&
	    ret != GNUTLS_E_SHORT_MEMORY_BUFFER) {
		/* Only keyIdentifier is used; the issuer+serial form is not. */
		snprintf(err, errlen, "malformed authorityKeyIdentifier: %s",
		    gnutls_strerror(ret));
		return -1;
	}

	for (i = 0;; i++) {
		len = sizeof(san);
		ret = gnutls_x509_crt_get_subject_alt_name2(c->crt, i, san,
		    &len, &san_type, &critical);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (ret < 0) {
			snprintf(err, errlen, "malformed subjectAltName: %s",
			    gnutls_strerror(ret));
			return -1;
		}
	}
	return 0;
}

/*
 * Hash the raw SubjectPublicKeyInfo.  Hashing the bytes as encoded, not
 * a re-encoding, keeps the value equal to what browsers and CT logs
 * publish as "SPKI SHA-256".
 */
static int
hash_spki(struct cert *c)
{
	const unsigned char *spki;
	size_t len;

	if (asn1_tbs_spki(c->tbs, c->tbs_len, &spki, &len) < 0)
		return -1;
	return sha256(spki, len, c->spki_sha256);
}

static void
read_alt_key(struct cert *c, const struct asn1_altsig *as)
{
	gnutls_datum_t d;
	unsigned int bits = 0;
	const char *name;
	unsigned pqbits;
	int algo;

	c->alt_key_present = 1;
	snprintf(c->alt_key_oid, sizeof(c->alt_key_oid), "%s", as->spki_oid);
	sha256(as->spki, as->spki_len, c->alt_spki_sha256);
	snprintf(c->alt_key_name, sizeof(c->alt_key_name), "%s",
	    pq_lookup(as->spki_oid, &name, &pqbits) ? name : as->spki_oid);
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
	unsigned bits;

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
	if (c->alt_sig_algo != GNUTLS_SIGN_UNKNOWN) {
		name = gnutls_sign_get_name(c->alt_sig_algo);
		snprintf(c->alt_sig_name, sizeof(c->alt_sig_name), "%s",
		    name != NULL ? name : as.alg_oid);
		hash_strength(c->alt_sig_algo, &c->alt_hash_rank,
		    &c->alt_hash_bits);
	} else if (pq_lookup(as.alg_oid, &name, &bits)) {
		snprintf(c->alt_sig_name, sizeof(c->alt_sig_name), "%s", name);
		c->alt_hash_rank = HASH_STRONG;
		c->alt_hash_bits = bits;
	} else
		snprintf(c->alt_sig_name, sizeof(c->alt_sig_name), "%s",
		    as.alg_oid);
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
read_scts(struct cert *c)
{
	gnutls_x509_ct_scts_t scts;
	gnutls_datum_t ext = { NULL, 0 }, logid, sig;
	gnutls_sign_algorithm_t alg;
	unsigned critical, i;
	time_t ts;

	if (gnutls_x509_crt_get_extension_by_oid2(c->crt, OID_CT_SCTS, 0,
	    &ext, &critical) < 0)
		return;
	if (gnutls_x509_ext_ct_scts_init(&scts) < 0)
		goto out;
	if (gnutls_x509_ext_ct_import_scts(&ext, scts, 0) == 0)
		for (i = 0; gnutls_x509_ct_sct_get(scts, i, &ts, &logid, &alg,
		    &sig) == 0; i++) {
			if (c->nscts == 0 || ts < c->earliest_sct)
				c->earliest_sct = ts;
			c->nscts++;
			gnutls_free(logid.data);
			gnutls_free(sig.data);
		}
	gnutls_x509_ext_ct_scts_deinit(scts);
out:
	gnutls_free(ext.data);
}

static int
copy_datum(gnutls_datum_t *dst, const gnutls_datum_t *src)
{
	dst->data = malloc(src->size ? src->size : 1);
	if (dst->data == NULL)
		return -1;
	memcpy(dst->data, src->data, src->size);
	dst->size = src->size;
	return 0;
}

/*
 * Parse one DER certificate.  Returns a new cert or NULL with the reason
 * in err.
 */
struct cert *
cert_parse(const unsigned char *der, size_t len, char *err, size_t errlen)
{
	struct cert *c = NULL, *ret = NULL;
	gnutls_datum_t d, dn = { NULL, 0 };
	unsigned char serial[64];
	size_t slen;
	int r;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	c->pathlen = -1;
	if ((c->der = malloc(len ? len : 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
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
	if ((r = gnutls_x509_crt_init(&c->crt)) < 0) {
		c->crt = NULL;
		snprintf(err, errlen, "%s", gnutls_strerror(r));
		goto out;
	}
	d.data = c->der;
	d.size = len;
	if ((r = gnutls_x509_crt_import(c->crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
		snprintf(err, errlen, "%s", gnutls_strerror(r));
		goto out;
	}

	if (sha256(c->der, len, c->sha256) < 0 || hash_spki(c) < 0) {
		snprintf(err, errlen, "cannot locate subjectPublicKeyInfo");
		goto out;
	}
	hex_encode(c->sha256, SHA256_LEN, c->sha256_hex);
	hex_encode(c->spki_sha256, SHA256_LEN, c->spki_sha256_hex);

	if ((r = gnutls_x509_crt_get_raw_dn(c->crt, &dn)) < 0 ||
	    copy_datum(&c->raw_subject, &dn) < 0) {
		snprintf(err, errlen, "malformed subject: %s",
		    gnutls_strerror(r));
		goto out;
	}
	gnutls_free(dn.data);
	dn.data = NULL;
	if ((r = gnutls_x509_crt_get_raw_issuer_dn(c->crt, &dn)) < 0 ||
	    copy_datum(&c->raw_issuer, &dn) < 0) {
		snprintf(err, errlen, "malformed issuer: %s",
		    gnutls_strerror(r));
		goto out;
	}
	gnutls_free(dn.data);
	dn.data = NULL;
	c->self_issued = c->raw_subject.size == c->raw_issuer.size &&
	    memcmp(c->raw_subject.data, c->raw_issuer.data,
	    c->raw_subject.size) == 0;

	/*
	 * An empty name (an empty SEQUENCE, 2 bytes of DER) is legal: RFC
	 * 5280 4.1.2.6 requires one when the subject is named only in a
	 * critical subjectAltName.  GnuTLS has no string for it and says
	 * "requested data not available"; it is the empty string here.
	 */
	if ((r = gnutls_x509_crt_get_dn3(c->crt, &dn, 0)) < 0 &&
	    (r != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE ||
	    c->raw_subject.size != 2)) {
		snprintf(err, errlen, "malformed subject: %s",
		    gnutls_strerror(r));
		goto out;
	}
	c->subject = xstrdup(r < 0 ? "" : (char *)dn.data);
	gnutls_free(dn.data);
	dn.data = NULL;
	if ((r = gnutls_x509_crt_get_issuer_dn3(c->crt, &dn, 0)) < 0 &&
	    (r != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE ||
	    c->raw_issuer.size != 2)) {
		snprintf(err, errlen, "malformed issuer: %s",
		    gnutls_strerror(r));
		goto out;
	}
	c->issuer = xstrdup(r < 0 ? "" : (char *)dn.data);
	gnutls_free(dn.data);
	dn.data = NULL;
	if (c->subject == NULL || c->issuer == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}

	slen = sizeof(serial);
	if ((r = gnutls_x509_crt_get_serial(c->crt, serial, &slen)) < 0) {
		snprintf(err, errlen, "malformed serial: %s",
		    gnutls_strerror(r));
		goto out;
	}
	if ((c->serial_hex = malloc(slen * 2 + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	hex_encode(serial, slen, c->serial_hex);

	c->not_before = gnutls_x509_crt_get_activation_time(c->crt);
	c->not_after = gnutls_x509_crt_get_expiration_time(c->crt);
	if (c->not_before == (time_t)-1 || c->not_after == (time_t)-1) {
		snprintf(err, errlen, "malformed validity");
		goto out;
	}
	c->version = gnutls_x509_crt_get_version(c->crt);

	slen = 0;
	r = gnutls_x509_crt_get_signature(c->crt, NULL, &slen);
	if (r != GNUTLS_E_SHORT_MEMORY_BUFFER && r < 0) {
		snprintf(err, errlen, "malformed signature: %s",
		    gnutls_strerror(r));
		goto out;
	}
	if ((c->signature.data = malloc(slen ? slen : 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if ((r = gnutls_x509_crt_get_signature(c->crt,
	    (char *)c->signature.data, &slen)) < 0) {
		snprintf(err, errlen, "malformed signature: %s",
		    gnutls_strerror(r));
		goto out;
	}
	c->signature.size = slen;

	if (read_extensions(c, err, errlen) < 0)
		goto out;
	read_key(c);
	read_signature_algorithm(c);
	read_scts(c);
	if (read_altsig(c) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}

	ret = c;
	c = NULL;
out:
	gnutls_free(dn.data);
	cert_free(c);
	return ret;
}

/*
 * Release a certificate; accepts NULL.
 */
void
cert_free(struct cert *c)
{
	if (c == NULL)
		return;
	if (c->crt != NULL)
		gnutls_x509_crt_deinit(c->crt);
	if (c->pubkey != NULL)
		gnutls_pubkey_deinit(c->pubkey);
	if (c->alt_pubkey != NULL)
		gnutls_pubkey_deinit(c->alt_pubkey);
	free(c->alt_error);
	free(c->alt_value.data);
	free(c->alt_pretbs);
	free(c->der);
	free(c->raw_subject.data);
	free(c->raw_issuer.data);
	free(c->signature.data);
	free(c->subject);
	free(c->issuer);
	free(c->serial_hex);
	free(c);
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
 * 1 when the certificate's names match host (RFC 6125 via GnuTLS, with
 * wildcards in the left-most label only).
 */
int
cert_matches_host(const struct cert *c, const char *host)
{
	return gnutls_x509_crt_check_hostname2(c->crt, host, 0) != 0;
}

/*
 * The subject's CN (or the whole subject when it has none), copied into
 * buf; returns buf.
 */
const char *
cert_short_name(const struct cert *c, char *buf, size_t len)
{
	size_t n = len;

	if (len == 0)
		return buf;
	if (gnutls_x509_crt_get_dn_by_oid(c->crt, GNUTLS_OID_X520_COMMON_NAME,
	    0, 0, buf, &n) == 0 && n > 0)
		return buf;
	snprintf(buf, len, "%s", c->subject == NULL ? "?" :
	    c->subject[0] == '\0' ? "(empty subject)" : c->subject);
	return buf;
}
