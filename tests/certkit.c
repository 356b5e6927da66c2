/*
 * certkit.c: build test certificates with GnuTLS from a struct certkit.
 */
#include <config.h>

#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "asn1.h"
#include "certkit.h"

#define OID_ALT_SPKI	"2.5.29.72"
#define OID_ALT_ALG	"2.5.29.73"
#define OID_ALT_VALUE	"2.5.29.74"

/* ---- keys ------------------------------------------------------------- */

static const struct {
	gnutls_pk_algorithm_t	 pk;
	unsigned		 bits;
} alg_table[CERTKIT_NALGS] = {
	[CERTKIT_P256] = { GNUTLS_PK_EC,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1) },
	[CERTKIT_P384] = { GNUTLS_PK_EC,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1) },
	[CERTKIT_RSA1024] = { GNUTLS_PK_RSA, 1024 },
	[CERTKIT_RSA2048] = { GNUTLS_PK_RSA, 2048 },
	[CERTKIT_RSA3072] = { GNUTLS_PK_RSA, 3072 },
	[CERTKIT_ED25519] = { GNUTLS_PK_EDDSA_ED25519, 256 },
	[CERTKIT_DSA2048] = { GNUTLS_PK_DSA, 2048 },
};

/* The keys certkit_key has made, by algorithm and slot. */
static gnutls_x509_privkey_t key_cache[CERTKIT_NALGS][CERTKIT_SLOTS];

/*
 * A new key of alg, owned by the caller.
 */
gnutls_x509_privkey_t
certkit_key_new(enum certkit_alg alg)
{
	gnutls_x509_privkey_t k;

	cr_assert(alg < CERTKIT_NALGS, "no key algorithm %d", (int)alg);
	cr_assert(gnutls_x509_privkey_init(&k) == 0);
	cr_assert(gnutls_x509_privkey_generate(k, alg_table[alg].pk,
	    alg_table[alg].bits, 0) == 0, "generating key algorithm %d",
	    (int)alg);
	return k;
}

/*
 * Key slot of alg, made on first use and kept for the process; borrowed.
 */
gnutls_x509_privkey_t
certkit_key(enum certkit_alg alg, unsigned slot)
{
	cr_assert(alg < CERTKIT_NALGS && slot < CERTKIT_SLOTS,
	    "no cached key %d/%u", (int)alg, slot);
	if (key_cache[alg][slot] == NULL)
		key_cache[alg][slot] = certkit_key_new(alg);
	return key_cache[alg][slot];
}

/* ---- DER pieces --------------------------------------------------------- */

/*
 * Write the TLV (tag, v) to out (cap bytes, at most 65535 contents), v
 * may be NULL to write the header only.  Returns the TLV's length.
 */
static size_t
tlv(unsigned char tag, const unsigned char *v, size_t vlen,
    unsigned char *out, size_t cap)
{
	size_t h = 0;

	cr_assert(vlen <= 0xffff && vlen + 4 <= cap);
	out[h++] = tag;
	if (vlen < 0x80)
		out[h++] = (unsigned char)vlen;
	else if (vlen <= 0xff) {
		out[h++] = 0x81;
		out[h++] = (unsigned char)vlen;
	} else {
		out[h++] = 0x82;
		out[h++] = (unsigned char)(vlen >> 8);
		out[h++] = (unsigned char)vlen;
	}
	if (v != NULL)
		memcpy(out + h, v, vlen);
	return h + vlen;
}

/* The contents octets of the dotted OID, into out; returns their length. */
static size_t
oid_contents(const char *dotted, unsigned char *out, size_t cap)
{
	unsigned long arc[32], v;
	size_t narcs = 0, n = 0, i, k, len;
	char *end;

	for (;;) {
		cr_assert(narcs < 32);
		arc[narcs++] = strtoul(dotted, &end, 10);
		if (*end != '.')
			break;
		dotted = end + 1;
	}
	cr_assert(narcs >= 2 && *end == '\0', "bad OID");
	arc[1] += arc[0] * 40;
	for (i = 1; i < narcs; i++) {
		for (len = 1, v = arc[i]; v >= 0x80; v >>= 7)
			len++;
		cr_assert(n + len <= cap);
		for (k = 0; k < len; k++)
			out[n + k] = (unsigned char)((arc[i] >> (7 * (len - 1 -
			    k))) & 0x7f) | (k + 1 < len ? 0x80 : 0);
		n += len;
	}
	return n;
}

/*
 * The AlgorithmIdentifier of sign into out: the OID, and a NULL
 * parameter for RSA (RFC 4055), none for ECDSA (RFC 5758 3.2).
 */
static size_t
algid(gnutls_sign_algorithm_t sign, unsigned char *out, size_t cap)
{
	unsigned char oid[64], seq[80];
	size_t n;
	const char *dotted = gnutls_sign_get_oid(sign);

	cr_assert_not_null(dotted, "no OID for %s", gnutls_sign_get_name(sign));
	n = oid_contents(dotted, oid, sizeof(oid));
	n = tlv(0x06, oid, n, seq, sizeof(seq));
	if (gnutls_sign_get_pk_algorithm(sign) == GNUTLS_PK_RSA)
		n += tlv(0x05, NULL, 0, seq + n, sizeof(seq) - n);
	return tlv(0x30, seq, n, out, cap);
}

/* ---- the certificate -------------------------------------------------- */

static void
set_names(gnutls_x509_crt_t crt, const char *org, const char *cn)
{
	if (org != NULL)
		cr_assert(gnutls_x509_crt_set_dn_by_oid(crt,
		    GNUTLS_OID_X520_ORGANIZATION_NAME, 0, org,
		    strlen(org)) == 0);
	if (cn != NULL && *cn != '\0')
		cr_assert(gnutls_x509_crt_set_dn_by_oid(crt,
		    GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn)) == 0);
}

/* The serial as a positive DER INTEGER's minimal contents. */
static void
set_serial(gnutls_x509_crt_t crt, unsigned long serial)
{
	static uint64_t next = (uint64_t)1 << 32;
	unsigned char sn[9];
	uint64_t v = serial != 0 ? serial : next++;
	size_t i;

	sn[0] = 0;
	for (i = 0; i < 8; i++)
		sn[1 + i] = (unsigned char)(v >> (56 - 8 * i));
	for (i = 0; i < 8 && sn[i] == 0 && sn[i + 1] < 0x80; i++)
		continue;
	cr_assert(gnutls_x509_crt_set_serial(crt, sn + i, 9 - i) == 0);
}

/* An IPv4 or IPv6 address, with "/prefix" when prefix is given. */
static size_t
parse_ip(const char *text, int prefix, unsigned char *out)
{
	char buf[64];
	const char *slash = strchr(text, '/');
	size_t n, i;
	unsigned bits;
	int af;

	cr_assert((slash != NULL) == prefix, "%s: a prefix is %s", text,
	    prefix ? "needed" : "not allowed");
	n = slash != NULL ? (size_t)(slash - text) : strlen(text);
	cr_assert(n < sizeof(buf));
	memcpy(buf, text, n);
	buf[n] = '\0';
	af = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	n = af == AF_INET6 ? 16 : 4;
	cr_assert(inet_pton(af, buf, out) == 1, "bad address %s", text);
	if (!prefix)
		return n;
	bits = (unsigned)strtoul(slash + 1, NULL, 10);
	cr_assert(bits <= 8 * n);
	for (i = 0; i < n; i++)
		out[n + i] = bits >= 8 * (i + 1) ? 0xff : bits <= 8 * i ? 0 :
		    (unsigned char)(0xff << (8 - (bits - 8 * i)));
	return 2 * n;
}

/* One nameConstraints subtree: a dNSName, or an address range. */
static void
add_subtree(gnutls_x509_name_constraints_t nc, int permitted,
    const char *name)
{
	unsigned char ip[32];
	gnutls_datum_t d;
	unsigned type;

	if (strchr(name, '/') != NULL) {
		type = GNUTLS_SAN_IPADDRESS;
		d.size = (unsigned)parse_ip(name, 1, ip);
		d.data = ip;
	} else {
		type = GNUTLS_SAN_DNSNAME;
		d.size = (unsigned)strlen(name);
		d.data = (unsigned char *)(uintptr_t)name;
	}
	if (permitted)
		cr_assert(gnutls_x509_name_constraints_add_permitted(nc, type,
		    &d) == 0);
	else
		cr_assert(gnutls_x509_name_constraints_add_excluded(nc, type,
		    &d) == 0);
}

static void
set_name_constraints(gnutls_x509_crt_t crt, const struct certkit *s)
{
	gnutls_x509_name_constraints_t nc;
	size_t i;

	if (s->permit[0] == NULL && s->exclude[0] == NULL)
		return;
	cr_assert(gnutls_x509_name_constraints_init(&nc) == 0);
	for (i = 0; i < CERTKIT_MAX_NAMES && s->permit[i] != NULL; i++)
		add_subtree(nc, 1, s->permit[i]);
	for (i = 0; i < CERTKIT_MAX_NAMES && s->exclude[i] != NULL; i++)
		add_subtree(nc, 0, s->exclude[i]);
	cr_assert(gnutls_x509_crt_set_name_constraints(crt, nc, 1) == 0);
	gnutls_x509_name_constraints_deinit(nc);
}

static void
set_sans(gnutls_x509_crt_t crt, const struct certkit *s)
{
	unsigned char ip[16];
	size_t i, n;

	for (i = 0; i < CERTKIT_MAX_NAMES && s->dns[i] != NULL; i++)
		cr_assert(gnutls_x509_crt_set_subject_alt_name(crt,
		    GNUTLS_SAN_DNSNAME, s->dns[i], strlen(s->dns[i]),
		    GNUTLS_FSAN_APPEND) == 0);
	for (i = 0; i < CERTKIT_MAX_NAMES && s->ip[i] != NULL; i++) {
		n = parse_ip(s->ip[i], 0, ip);
		cr_assert(gnutls_x509_crt_set_subject_alt_name(crt,
		    GNUTLS_SAN_IPADDRESS, ip, n, GNUTLS_FSAN_APPEND) == 0);
	}
}

/* The key identifier of key (SHA-1 of its public key) into id. */
static size_t
key_id(gnutls_x509_privkey_t key, unsigned char *id, size_t cap)
{
	size_t len = cap;

	cr_assert(gnutls_x509_privkey_get_key_id(key, 0, id, &len) == 0);
	return len;
}

static void
set_key_ids(gnutls_x509_crt_t crt, const struct certkit *s,
    gnutls_x509_privkey_t key, gnutls_x509_privkey_t ikey)
{
	unsigned char id[64];
	size_t len;

	if (s->ski) {
		len = key_id(key, id, sizeof(id));
		cr_assert(gnutls_x509_crt_set_subject_key_id(crt, id,
		    len) == 0);
	}
	if (s->aki) {
		len = key_id(ikey, id, sizeof(id));
		cr_assert(gnutls_x509_crt_set_authority_key_id(crt, id,
		    len) == 0);
	}
}

/*
 * The SubjectPublicKeyInfo of key in DER, owned by the caller.
 */
struct der_blob
certkit_spki(gnutls_x509_privkey_t key)
{
	gnutls_x509_crt_t t;
	gnutls_pubkey_t pub;
	gnutls_datum_t d;
	struct der_blob b;

	cr_assert(gnutls_x509_crt_init(&t) == 0);
	cr_assert(gnutls_x509_crt_set_key(t, key) == 0);
	cr_assert(gnutls_pubkey_init(&pub) == 0);
	cr_assert(gnutls_pubkey_import_x509(pub, t, 0) == 0);
	cr_assert(gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &d) == 0);
	cr_assert_not_null(b.der = malloc(d.size));
	memcpy(b.der, d.data, d.size);
	b.len = d.size;
	gnutls_free(d.data);
	gnutls_pubkey_deinit(pub);
	gnutls_x509_crt_deinit(t);
	return b;
}

static gnutls_sign_algorithm_t
alt_sign_algorithm(const struct certkit *s)
{
	gnutls_sign_algorithm_t sign;

	sign = gnutls_pk_to_sign(gnutls_x509_privkey_get_pk_algorithm(
	    s->alt_signer), s->alt_digest != 0 ? s->alt_digest :
	    GNUTLS_DIG_SHA256);
	cr_assert(sign != GNUTLS_SIGN_UNKNOWN, "no alternative algorithm");
	return sign;
}

static void
set_extensions(gnutls_x509_crt_t crt, const struct certkit *s,
    gnutls_x509_privkey_t key, gnutls_x509_privkey_t ikey)
{
	const struct certkit_ext *e;
	unsigned char alg[96];
	struct der_blob spki;
	gnutls_datum_t d;
	size_t i, n;

	if (!s->no_bc && (s->version == 0 || s->version >= 3))
		cr_assert(gnutls_x509_crt_set_basic_constraints(crt, s->ca,
		    s->has_pathlen ? s->pathlen : -1) == 0);
	if (s->key_usage != 0)
		cr_assert(gnutls_x509_crt_set_key_usage(crt,
		    s->key_usage) == 0);
	for (i = 0; i < CERTKIT_MAX_NAMES && s->eku[i] != NULL; i++)
		cr_assert(gnutls_x509_crt_set_key_purpose_oid(crt, s->eku[i],
		    0) == 0);
	set_sans(crt, s);
	set_name_constraints(crt, s);
	set_key_ids(crt, s, key, ikey);
	for (i = 0; i < CERTKIT_MAX_NAMES && s->ca_issuers[i] != NULL; i++) {
		d.data = (unsigned char *)(uintptr_t)s->ca_issuers[i];
		d.size = (unsigned)strlen(s->ca_issuers[i]);
		cr_assert(gnutls_x509_crt_set_authority_info_access(crt,
		    GNUTLS_IA_CAISSUERS_URI, &d) == 0);
	}
	for (i = 0; i < CERTKIT_MAX_NAMES && s->ext[i].oid != NULL; i++) {
		e = &s->ext[i];
		cr_assert(gnutls_x509_crt_set_extension_by_oid(crt, e->oid,
		    e->der, e->len, e->critical) == 0, "extension %s",
		    e->oid);
	}
	if (s->alt_key != NULL) {
		spki = certkit_spki(s->alt_key);
		cr_assert(gnutls_x509_crt_set_extension_by_oid(crt,
		    OID_ALT_SPKI, spki.der, spki.len, 0) == 0);
		free(spki.der);
	}
	if (s->alt_signer != NULL) {
		n = algid(alt_sign_algorithm(s), alg, sizeof(alg));
		cr_assert(gnutls_x509_crt_set_extension_by_oid(crt,
		    OID_ALT_ALG, alg, n, 0) == 0);
	}
}

/* The issuer's name and key for sign2, which reads nothing else. */
static gnutls_x509_crt_t
issuer_template(const struct certkit *s, gnutls_x509_privkey_t ikey)
{
	gnutls_x509_crt_t t;

	cr_assert(gnutls_x509_crt_init(&t) == 0);
	if (s->issuer_dn != NULL)
		cr_assert(gnutls_x509_crt_set_dn(t, s->issuer_dn, NULL) == 0,
		    "issuer DN %s", s->issuer_dn);
	else if (s->issuer_cn != NULL || s->issuer_org != NULL)
		set_names(t, s->issuer_org, s->issuer_cn);
	else
		set_names(t, s->org, s->cn);
	cr_assert(gnutls_x509_crt_set_key(t, ikey) == 0);
	return t;
}

static void
sign(gnutls_x509_crt_t crt, gnutls_x509_crt_t iss, gnutls_x509_privkey_t ikey,
    const struct certkit *s)
{
	int pk = gnutls_x509_privkey_get_pk_algorithm(ikey), e;
	gnutls_digest_algorithm_t dig = s->digest;

	if (dig == 0 && pk != GNUTLS_PK_EDDSA_ED25519 &&
	    pk != GNUTLS_PK_EDDSA_ED448)
		dig = GNUTLS_DIG_SHA256;
	e = gnutls_x509_crt_sign2(crt, iss, ikey, dig, s->rsa_pss ?
	    GNUTLS_PRIVKEY_SIGN_FLAG_RSA_PSS : 0);
	cr_assert(e == 0, "signing: %s", gnutls_strerror(e));
}

/*
 * altSignatureValue: the alternative signature over the pre-TBS (cut
 * out by src/asn1.c), then the primary signature again over it.
 */
static void
sign_alt(gnutls_x509_crt_t crt, gnutls_x509_crt_t iss,
    gnutls_x509_privkey_t ikey, const struct certkit *s)
{
	gnutls_privkey_t signer;
	gnutls_datum_t der, pre, sig;
	const unsigned char *tbs;
	unsigned char *p, *value;
	size_t tbslen, plen, n;

	cr_assert(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) == 0);
	cr_assert(asn1_cert_tbs(der.data, der.size, &tbs, &tbslen) == 0);
	cr_assert(asn1_tbs_pretbs(tbs, tbslen, &p, &plen) == 0);
	pre.data = p;
	pre.size = (unsigned)plen;
	cr_assert(gnutls_privkey_init(&signer) == 0);
	cr_assert(gnutls_privkey_import_x509(signer, s->alt_signer, 0) == 0);
	cr_assert(gnutls_privkey_sign_data2(signer, alt_sign_algorithm(s), 0,
	    &pre, &sig) == 0);
	/* A BIT STRING: no unused bits, then the signature. */
	cr_assert_not_null(value = malloc(sig.size + 5));
	n = tlv(0x03, NULL, sig.size + 1, value, sig.size + 5);
	value[n - sig.size - 1] = 0x00;
	memcpy(value + n - sig.size, sig.data, sig.size);
	cr_assert(gnutls_x509_crt_set_extension_by_oid(crt, OID_ALT_VALUE,
	    value, n, 0) == 0);
	sign(crt, iss, ikey, s);
	free(value);
	free(p);
	gnutls_free(sig.data);
	gnutls_privkey_deinit(signer);
	gnutls_free(der.data);
}

/*
 * The DER of the certificate s describes, owned by the caller.
 */
struct der_blob
certkit_der(const struct certkit *s)
{
	gnutls_x509_privkey_t key, ikey;
	gnutls_x509_crt_t crt, iss;
	gnutls_datum_t der;
	struct der_blob b;
	int self_issued;

	key = s->key != NULL ? s->key : certkit_key(CERTKIT_P256, 0);
	ikey = s->issuer_key != NULL ? s->issuer_key : key;
	self_issued = s->issuer_dn == NULL && s->issuer_cn == NULL &&
	    s->issuer_org == NULL;
	cr_assert(gnutls_x509_crt_init(&crt) == 0);
	cr_assert(gnutls_x509_crt_set_version(crt, s->version != 0 ?
	    s->version : 3) == 0);
	set_serial(crt, s->serial);
	cr_assert(gnutls_x509_crt_set_activation_time(crt, s->not_before != 0 ?
	    s->not_before : CERTKIT_NOT_BEFORE) == 0);
	cr_assert(gnutls_x509_crt_set_expiration_time(crt, s->not_after != 0 ?
	    s->not_after : CERTKIT_NOT_AFTER) == 0);
	set_names(crt, s->org, s->cn);
	cr_assert(gnutls_x509_crt_set_key(crt, key) == 0);
	set_extensions(crt, s, key, ikey);
	/* A self-signed certificate is its own issuer, even unnamed. */
	iss = self_issued && ikey == key ? crt : issuer_template(s, ikey);
	sign(crt, iss, ikey, s);
	if (s->alt_signer != NULL)
		sign_alt(crt, iss, ikey, s);
	cr_assert(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) == 0);
	cr_assert_not_null(b.der = malloc(der.size));
	memcpy(b.der, der.data, der.size);
	b.len = der.size;
	gnutls_free(der.data);
	if (iss != crt)
		gnutls_x509_crt_deinit(iss);
	gnutls_x509_crt_deinit(crt);
	return b;
}

/*
 * Parse b, which must parse, and free it; the result is the caller's.
 */
struct cert *
certkit_parse(struct der_blob b)
{
	char err[ERRBUF_LEN];
	struct cert *c = cert_parse(b.der, b.len, err, sizeof(err));

	free(b.der);
	cr_assert_not_null(c, "generated certificate: %s", err);
	return c;
}

/*
 * The certificate s describes, parsed; the caller's.
 */
struct cert *
certkit_cert(const struct certkit *s)
{
	return certkit_parse(certkit_der(s));
}

/* A blank certificate named cn, valid like every certkit one. */
static gnutls_x509_crt_t
named_crt(const char *cn, unsigned long serial)
{
	unsigned char sn[2] = { 1, (unsigned char)serial };
	gnutls_x509_crt_t crt;

	cr_assert(gnutls_x509_crt_init(&crt) >= 0);
	cr_assert(gnutls_x509_crt_set_version(crt, 3) >= 0);
	cr_assert(gnutls_x509_crt_set_serial(crt, sn, sizeof(sn)) >= 0);
	cr_assert(gnutls_x509_crt_set_activation_time(crt,
	    CERTKIT_NOT_BEFORE) >= 0);
	cr_assert(gnutls_x509_crt_set_expiration_time(crt,
	    CERTKIT_NOT_AFTER) >= 0);
	cr_assert(gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn)) >= 0);
	return crt;
}

/*
 * A CA named cn whose key costs about a second to verify with; see
 * certkit.h.
 */
struct der_blob
certkit_huge_rsa_ca(const char *cn, unsigned long serial)
{
	static unsigned char n[2048], e[2048];
	gnutls_datum_t m = { n, sizeof(n) }, ed = { e, sizeof(e) }, der;
	gnutls_x509_privkey_t signer = certkit_key(CERTKIT_P256, 0);
	gnutls_x509_crt_t crt = named_crt(cn, serial), stand_in;
	gnutls_pubkey_t pub;
	struct der_blob b;
	size_t i;

	/* Odd, full-length numbers: deterministic, no key pair needed. */
	for (i = 0; i < sizeof(n); i++) {
		n[i] = (unsigned char)(0x5b ^ (i * 37) ^ serial);
		e[i] = (unsigned char)(0xa7 ^ (i * 11));
	}
	n[0] |= 0x80;
	n[sizeof(n) - 1] |= 1;
	e[0] = (e[0] | 0x40) & 0x7f;
	e[sizeof(e) - 1] |= 1;
	cr_assert(gnutls_pubkey_init(&pub) >= 0);
	cr_assert(gnutls_pubkey_import_rsa_raw(pub, &m, &ed) >= 0);
	cr_assert(gnutls_x509_crt_set_basic_constraints(crt, 1, -1) >= 0);
	cr_assert(gnutls_x509_crt_set_pubkey(crt, pub) >= 0);
	/* Issued under its own name by another key: it verifies nothing. */
	stand_in = named_crt(cn, serial);
	cr_assert(gnutls_x509_crt_set_key(stand_in, signer) >= 0);
	cr_assert(gnutls_x509_crt_sign2(crt, stand_in, signer,
	    GNUTLS_DIG_SHA256, 0) >= 0);
	cr_assert(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) >= 0);
	cr_assert_not_null(b.der = malloc(der.size));
	memcpy(b.der, der.data, der.size);
	b.len = der.size;
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(stand_in);
	gnutls_pubkey_deinit(pub);
	return b;
}

/* ---- a chain slow to audit ---------------------------------------------- */

#define SLOW_CAS	120

/* Append b to fp as PEM of label, and free b.der. */
static void
pem_out(FILE *fp, const char *label, struct der_blob b)
{
	gnutls_datum_t der = { b.der, (unsigned)b.len }, pem;

	cr_assert(gnutls_pem_base64_encode2(label, &der, &pem) == 0);
	cr_assert(fwrite(pem.data, 1, pem.size, fp) == pem.size);
	gnutls_free(pem.data);
	free(b.der);
}

/* A new temporary file named like name, open for writing; path owned. */
static FILE *
tmp_pem(const char *name, char **path)
{
	const char *tmpdir = getenv("TMPDIR");
	FILE *fp;
	int fd;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	cr_assert(asprintf(path, "%s/chainaudit-%s-XXXXXX.pem", tmpdir,
	    name) > 0);
	cr_assert((fd = mkstemps(*path, 4)) != -1, "mkstemps %s", *path);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	return fp;
}

void
certkit_slow_chain_files(char **leaf, char **key, char **cas)
{
	gnutls_x509_privkey_t k[SLOW_CAS], kl = certkit_key(CERTKIT_P256, 0);
	gnutls_datum_t pem;
	FILE *fp;
	int i;

	for (i = 0; i < SLOW_CAS; i++)
		k[i] = certkit_key_new(CERTKIT_P256);
	fp = tmp_pem("slow-leaf", leaf);
	pem_out(fp, "CERTIFICATE", certkit_der(&(struct certkit){
	    .cn = "slow.example.test", .key = kl, .issuer_cn = "Slow Ring CA",
	    .issuer_key = k[0], .dns = { "slow.example.test" } }));
	cr_assert(fclose(fp) == 0);
	fp = tmp_pem("slow-cas", cas);
	for (i = 0; i < SLOW_CAS; i++)
		pem_out(fp, "CERTIFICATE", certkit_der(&(struct certkit){
		    .cn = "Slow Ring CA", .key = k[i],
		    .issuer_cn = "Slow Ring CA",
		    .issuer_key = k[(i + 1) % SLOW_CAS], .ca = 1,
		    .serial = 100 + (unsigned long)i }));
	cr_assert(fclose(fp) == 0);
	fp = tmp_pem("slow-key", key);
	cr_assert(gnutls_x509_privkey_export2(kl, GNUTLS_X509_FMT_PEM,
	    &pem) == 0);
	cr_assert(fwrite(pem.data, 1, pem.size, fp) == pem.size);
	gnutls_free(pem.data);
	cr_assert(fclose(fp) == 0);
	for (i = 0; i < SLOW_CAS; i++)
		gnutls_x509_privkey_deinit(k[i]);
}

void
certkit_files_remove(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (paths[i] != NULL)
			unlink(paths[i]);
		free(paths[i]);
		paths[i] = NULL;
	}
}
