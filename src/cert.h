/*
 * cert.h: one parsed X.509 certificate.
 *
 * The only module (with sig and net) that touches GnuTLS certificate
 * objects.  Everything a report needs is copied into plain fields here so
 * writers never see a GnuTLS type.  The fields are what the DER says
 * (algorithms, key sizes, names); how strong that makes a signature is
 * sig's table (sig.h), not a parse result.
 */
#ifndef CHAINAUDIT_CERT_H
#define CHAINAUDIT_CERT_H

#include <stddef.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/abstract.h>

#include "util.h"

#define KEYID_MAX	64

/* extKeyUsage purposes, as bits of cert.eku. */
enum eku_bit {
	EKU_SERVER_AUTH = 1 << 0,	/* id-kp-serverAuth */
	EKU_CLIENT_AUTH = 1 << 1,
	EKU_CODE_SIGNING = 1 << 2,
	EKU_EMAIL = 1 << 3,
	EKU_TIME_STAMPING = 1 << 4,
	EKU_OCSP_SIGNING = 1 << 5,
	EKU_ANY = 1 << 6,		/* anyExtendedKeyUsage */
	EKU_OTHER = 1 << 7,		/* any purpose not named above */
};

/* Extensions the certificate profile checks look at, as bits. */
enum ext_bit {
	EXT_BC = 1 << 0,	/* basicConstraints */
	EXT_SKI = 1 << 1,	/* subjectKeyIdentifier */
	EXT_AKI = 1 << 2,	/* authorityKeyIdentifier */
	EXT_SAN = 1 << 3,	/* subjectAltName */
	EXT_AIA = 1 << 4,	/* authorityInfoAccess */
	EXT_PC = 1 << 5,	/* policyConstraints */
	EXT_NC = 1 << 6,	/* nameConstraints */
	EXT_EKU = 1 << 7,	/* extKeyUsage */
};

#define CA_ISSUERS_MAX		4	/* caIssuers URLs kept */
#define CERT_SERIAL_MAX		64	/* serial octets read */
/*
 * A short name this long (a CN: 64 characters by RFC 5280's upper
 * bound) is kept in the certificate, a longer one allocated.
 */
#define CERT_SHORT_INLINE	72

struct cert {
	/*
	 * owned; made on first use for a certificate x509der read (lean),
	 * at parse time for any other: read it with cert_crt()
	 */
	gnutls_x509_crt_t crt;
	int		 lean;		/* read by x509der, not GnuTLS */
	int		 shed;		/* cert_shed was called */
	/* lean only: the subjectAltName's GeneralNames, borrowed from der */
	const unsigned char *san;
	size_t		 san_len;
	/* owned; made on first use: read it with cert_pubkey() */
	gnutls_pubkey_t	 pubkey;
	int		 pubkey_unusable;	/* GnuTLS refused the key */
	unsigned char	*der;		/* in c's own block, after it */
	size_t		 der_len;
	/* Slices of der, borrowed from it. */
	const unsigned char *tbs;	/* TBSCertificate, whole TLV */
	size_t		 tbs_len;
	const unsigned char *spki;	/* SubjectPublicKeyInfo, whole TLV */
	size_t		 spki_len;
	gnutls_datum_t	 raw_subject;	/* the subject Name TLV */
	gnutls_datum_t	 raw_issuer;	/* the issuer Name TLV */
	gnutls_datum_t	 signature;	/* the signatureValue bits */

	unsigned char	 sha256[SHA256_LEN];
	unsigned char	 spki_sha256[SHA256_LEN];
	char		 sha256_hex[SHA256_HEX_LEN];
	char		 spki_sha256_hex[SHA256_HEX_LEN];

	/* owned; made on first use: read them with cert_subject/issuer() */
	char		*subject;
	char		*issuer;
	char		*short_name;	/* short_buf, or owned: see
					   cert_short_name */
	char		 short_buf[CERT_SHORT_INLINE];
	char		 serial_hex[2 * CERT_SERIAL_MAX + 1];
	time_t		 not_before, not_after;
	int		 version;	/* 1, 2 or 3 */
	int		 is_ca;		/* basicConstraints cA */
	int		 pathlen;	/* -1 when absent */
	int		 self_issued;	/* subject DN == issuer DN */
	int		 bc_present;	/* basicConstraints present */
	int		 ku_present;	/* keyUsage present */
	unsigned	 key_usage;	/* GNUTLS_KEY_* bits; 0 when absent */
	int		 eku_present;	/* extKeyUsage present (maybe empty) */
	unsigned	 eku;		/* enum eku_bit of its purposes */
	int		 precert;	/* CT poison present (RFC 6962 3.1) */
	char		*unknown_critical; /* owned: critical extension OIDs
					    * not understood, ", "-joined;
					    * NULL when none */
	/*
	 * nameConstraints, decoded; when it cannot be used (undecodable,
	 * or neither subtree present) nc is NULL and nc_error says why.
	 */
	gnutls_x509_name_constraints_t nc;	/* owned; NULL when absent */
	unsigned	 nc_unchecked;	/* 1 << GeneralName tag of each form
					 * constrained that GnuTLS cannot
					 * check (otherName: 1 << 0) */
	char		*nc_error;	/* owned, or NULL */
	unsigned	 nc_subtrees;	/* subtrees, permitted and excluded */
	unsigned	 nc_unknown;	/* of them, forms GnuTLS cannot take */

	unsigned char	 ski[KEYID_MAX];
	size_t		 ski_len;	/* 0 when absent */
	unsigned char	 aki[KEYID_MAX];
	size_t		 aki_len;	/* 0 when absent */
	int		 aki_keyid_only; /* the AKI is a keyIdentifier and
					  * nothing else (CA/B BR 7.1.2.11.1) */
	unsigned	 ext_present;	/* enum ext_bit */
	unsigned	 ext_critical;	/* enum ext_bit, of those present */
	int		 aia_malformed;	/* authorityInfoAccess does not decode
					   or holds no AccessDescription */
	/*
	 * authorityInfoAccess caIssuers URIs, as written (any scheme): the
	 * first CA_ISSUERS_MAX, owned.
	 */
	char		*ca_issuers[CA_ISSUERS_MAX];
	size_t		 nca_issuers;

	int		 key_algo;	/* gnutls_pk_algorithm_t */
	unsigned	 key_bits;	/* modulus bits, or curve bits */
	char		 key_name[32];	/* "RSA", "EC P-256", "Ed25519" */
	int		 sig_algo;	/* gnutls_sign_algorithm_t, 0 if unknown */
	char		 sig_oid[64];
	char		 sig_name[64];	/* e.g. "RSA-SHA256", or the OID */
	unsigned	 nscts;		/* embedded SCTs (RFC 6962 3.3) */
	unsigned	 san_hostnames;	/* subjectAltName dNSName + iPAddress */
	/*
	 * owned: the first subjectAltName dNSName or iPAddress that is not
	 * well formed (RFC 5280 4.2.1.6), described; NULL when none
	 */
	char		*san_malformed;
	unsigned	 san_count;	/* subjectAltName entries of any form */
	time_t		 earliest_sct;	/* the earliest one's timestamp */

	/*
	 * The X.509 alternative signature of a hybrid certificate
	 * (altSignatureAlgorithm, altSignatureValue) and its alternative
	 * public key (subjectAltPublicKeyInfo).  Malformed extensions do
	 * not make the certificate unparseable: the alternative signature
	 * then fails, with alt_error saying why.
	 */
	int		 alt_present;	/* altSignatureValue present */
	char		*alt_error;	/* owned, or NULL */
	char		 alt_sig_oid[64];
	int		 alt_sig_algo;	/* gnutls_sign_algorithm_t, 0 unknown */
	char		 alt_sig_name[64];
	gnutls_datum_t	 alt_value;	/* owned copy of the signature bits */
	unsigned char	*alt_pretbs;	/* owned: what the signature covers */
	size_t		 alt_pretbs_len;
	int		 alt_key_present;
	gnutls_pubkey_t	 alt_pubkey;	/* owned; NULL if unsupported */
	unsigned char	 alt_spki_sha256[SHA256_LEN];
	int		 alt_key_algo;	/* gnutls_pk_algorithm_t, 0 unknown */
	unsigned	 alt_key_bits;
	char		 alt_key_name[64];
	char		 alt_key_oid[64];
};

/*
 * Parse one DER certificate, including the extensions chainaudit reads
 * (basic constraints, key identifiers, subject alternative names, key
 * usages, name constraints, and which critical extensions it understands).
 * Returns a new cert, or NULL with the reason in err.
 */
struct cert	*cert_parse(const unsigned char *der, size_t len, char *err,
		    size_t errlen);
void		 cert_free(struct cert *c);

/*
 * cert_parse with every certificate imported by GnuTLS, as before the
 * lean reader (x509der.h): the oracle of the differential tests, which
 * hold cert_parse to the same results.
 */
struct cert	*cert_parse_gnutls(const unsigned char *der, size_t len,
		    char *err, size_t errlen);

/* 1 when a and b are the same DER certificate. */
int	cert_is_same(const struct cert *a, const struct cert *b);

/* 1 when a and b name the same node: same subject DN and same key. */
int	cert_is_same_node(const struct cert *a, const struct cert *b);

/*
 * 1 when issuer could have issued subject as far as names and key
 * identifiers say: subject's issuer DN equals issuer's subject DN, and
 * their AKI/SKI, when both present, agree.
 */
int	cert_is_issuer_name_of(const struct cert *issuer,
	    const struct cert *subject);

/*
 * 1 when c may sign certificates as its own extensions say (RFC 5280
 * 4.2.1.3, 4.2.1.9): a v1 or v2 certificate, or a v3 one with
 * basicConstraints cA=TRUE and, when keyUsage is present, keyCertSign.
 * A trust anchor (anchor set) is trusted by name and key: it needs cA=TRUE
 * only when it has basicConstraints at all.
 */
int	cert_is_cert_signer(const struct cert *c, int anchor);

/*
 * 1 when the names of c (subject DN; subjectAltName dNSName, rfc822Name,
 * iPAddress; the CN of a server certificate without a dNSName) are within
 * the nameConstraints of ca (RFC 5280 4.2.1.10, 6.1.3 (b)(c)), or ca has
 * none.  0 with the first name outside described in why otherwise.  A
 * wildcard dNSName that can match an excluded name is outside, and so is
 * a name of a form chainaudit cannot check that ca constrains.
 */
int	cert_is_name_permitted(const struct cert *ca, const struct cert *c,
	    char *why, size_t len);

/*
 * 1 when c's subject has no CN, or its first CN is a character-for-
 * character copy of a subjectAltName dNSName, or the text form (RFC
 * 5952 for IPv6) of an iPAddress (CA/B BR 7.1.4.3); 0 otherwise, and
 * when c was shed.
 */
int	cert_cn_is_in_san(const struct cert *c);

/* 1 when the certificate's hostnames match host (RFC 6125, wildcards). */
int	cert_matches_host(const struct cert *c, const char *host);

/*
 * 1 when c matches host only through a wildcard name, which then stands
 * for the left-most label of host: "*.co.uk" for "example.co.uk".
 */
int	cert_matches_host_by_wildcard(const struct cert *c, const char *host);

/*
 * The subject and issuer DNs as RFC 4514 strings (borrowed from c), made
 * on first use: "" for an empty name, "(unreadable name)" when GnuTLS
 * cannot print it.  Safe to call from several threads, and after
 * cert_shed.
 */
const char	*cert_subject(const struct cert *c);
const char	*cert_issuer(const struct cert *c);

/*
 * Free the GnuTLS objects of c (the decoded certificate, its keys) once
 * it has been judged: reports read only the plain fields.  A scan hands
 * each audit to a writer thread, and a decoded certificate is a tree of
 * hundreds of small allocations; freed by the thread that made them, they
 * go back to that thread's allocator cache instead of contending for its
 * arena from another thread.  Afterwards cert_pubkey returns NULL and
 * cert_matches_host and cert_is_name_permitted say no.  Only for a
 * certificate the caller owns, never one the run's cache shares.
 */
void	cert_shed(struct cert *c);

/*
 * The certificate as a GnuTLS object (borrowed from c), imported on first
 * use for a lean one; NULL after cert_shed or when GnuTLS cannot import
 * it.  Only what GnuTLS must check itself needs it (name constraints,
 * OCSP requests, the CN of a certificate without dNSNames).  Safe to
 * call from several threads.
 */
gnutls_x509_crt_t cert_crt(const struct cert *c);

/*
 * The public key as a GnuTLS object (borrowed from c), made on first use;
 * NULL when GnuTLS cannot use it.  Safe to call from several threads.
 */
gnutls_pubkey_t	cert_pubkey(const struct cert *c);

/* "RSA 2048", "EC P-256", "Ed25519": the key for reports, into buf. */
const char	*cert_key_label(const struct cert *c, char *buf, size_t len);

/* A short common name (CN, else the whole subject) for messages: borrowed. */
const char	*cert_short_name(const struct cert *c, char *buf, size_t len);

#endif
