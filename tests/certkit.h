/*
 * certkit.h: the one certificate builder of the Criterion suites.
 *
 * A struct certkit describes a certificate; a zero field adds nothing or
 * takes the default written beside it, so a designated initializer names
 * only what a test is about.  Everything a struct certkit points to is
 * borrowed; what certkit_der, certkit_cert, certkit_parse, certkit_spki
 * and certkit_key_new return is owned by the caller; keys from certkit_key
 * are borrowed.  Any failure aborts the test.
 */
#ifndef CHAINAUDIT_CERTKIT_H
#define CHAINAUDIT_CERTKIT_H

#include <stddef.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cert.h"
#include "pem.h"

/* 2000-01-01T00:00:00Z and 2099-12-31T23:59:59Z: the default validity. */
#define CERTKIT_NOT_BEFORE	((time_t)946684800)
#define CERTKIT_NOT_AFTER	((time_t)4102444799)

#define CERTKIT_MAX_NAMES	4

enum certkit_alg {
	CERTKIT_P256 = 0,
	CERTKIT_P384,
	CERTKIT_RSA1024,
	CERTKIT_RSA2048,
	CERTKIT_RSA3072,
	CERTKIT_ED25519,
	CERTKIT_DSA2048,
	CERTKIT_NALGS
};

/* One extension written as given: its extnValue contents in DER. */
struct certkit_ext {
	const char	*oid;
	const void	*der;
	size_t		 len;
	int		 critical;
};

struct certkit {
	/* Subject: the organisation comes first in the DN, then the CN. */
	const char	*cn;		/* NULL or "": no commonName */
	const char	*org;		/* NULL: no organizationName */
	gnutls_x509_privkey_t key;	/* NULL: certkit_key(CERTKIT_P256, 0) */

	/*
	 * Issuer: named by issuer_dn (RFC 4514), else by issuer_org and
	 * issuer_cn; with none of the three the certificate is self-issued.
	 */
	const char	*issuer_cn;
	const char	*issuer_org;
	const char	*issuer_dn;
	gnutls_x509_privkey_t issuer_key; /* signs; NULL: key */

	int		 version;	/* 0: 3; 1 and 2: no basicConstraints */
	unsigned long	 serial;	/* 0: a new one per call */
	time_t		 not_before;	/* 0: CERTKIT_NOT_BEFORE */
	time_t		 not_after;	/* 0: CERTKIT_NOT_AFTER */
	gnutls_digest_algorithm_t digest; /* 0: SHA-256 (EdDSA: its own) */
	int		 rsa_pss;	/* an RSA issuer_key signs with PSS */

	/* basicConstraints, present unless no_bc */
	int		 ca;
	int		 no_bc;
	int		 has_pathlen;	/* pathLenConstraint pathlen present */
	int		 pathlen;

	int		 ski;		/* subjectKeyIdentifier: key's id */
	int		 aki;		/* authorityKeyIdentifier: signer's */
	unsigned	 key_usage;	/* GNUTLS_KEY_* bits; 0: no keyUsage */
	const char	*eku[CERTKIT_MAX_NAMES];	/* purpose OIDs */
	const char	*dns[CERTKIT_MAX_NAMES];	/* SAN dNSNames */
	const char	*ip[CERTKIT_MAX_NAMES];		/* SAN iPAddresses */
	const char	*ca_issuers[CERTKIT_MAX_NAMES];	/* AIA caIssuers URIs */
	/*
	 * nameConstraints (critical) subtrees: a dNSName ("example.com"),
	 * or an iPAddress range as an address and prefix ("192.0.2.0/24").
	 */
	const char	*permit[CERTKIT_MAX_NAMES];
	const char	*exclude[CERTKIT_MAX_NAMES];
	struct certkit_ext ext[CERTKIT_MAX_NAMES];	/* until a NULL oid */

	/*
	 * X.509 alternative signature (hybrid certificates): alt_key is the
	 * subject's alternative key (subjectAltPublicKeyInfo); alt_signer,
	 * the issuer's alternative private key, signs the pre-TBS
	 * (altSignatureAlgorithm and altSignatureValue) with alt_digest
	 * (0: SHA-256).
	 */
	gnutls_x509_privkey_t alt_key;
	gnutls_x509_privkey_t alt_signer;
	gnutls_digest_algorithm_t alt_digest;
};

/* A new key of alg; owned by the caller (gnutls_x509_privkey_deinit). */
gnutls_x509_privkey_t	 certkit_key_new(enum certkit_alg alg);

/*
 * Key number slot (below CERTKIT_SLOTS) of alg for tests that need some
 * key: made on first use and kept until the process ends (Criterion runs
 * each test in a process of its own), so a test asking twice pays once.
 * Different slots are different keys.  Borrowed; not thread-safe.
 */
#define CERTKIT_SLOTS	16
gnutls_x509_privkey_t	 certkit_key(enum certkit_alg alg, unsigned slot);

/* The SubjectPublicKeyInfo of key in DER; the caller frees .der. */
struct der_blob		 certkit_spki(gnutls_x509_privkey_t key);

/* The DER of the certificate s describes; the caller frees .der. */
struct der_blob		 certkit_der(const struct certkit *s);

/* The certificate s describes, parsed; the caller cert_frees it. */
struct cert		*certkit_cert(const struct certkit *s);

/*
 * A CA certificate named cn (under its own name) whose key is a
 * 16,384-bit RSA modulus with a 16,383-bit public exponent: not a key
 * pair, so nothing verifies with it, but each check would cost about a
 * second.  The caller frees .der.
 */
struct der_blob		 certkit_huge_rsa_ca(const char *cn,
			    unsigned long serial);

/*
 * Parse b, which must parse, and free b.der; the caller cert_frees the
 * result.
 */
struct cert		*certkit_parse(struct der_blob b);

/*
 * Files for a server whose chain is slow to audit: a leaf for
 * slow.example.test, its key, and a ring of 120 CAs sharing one name and
 * no key identifiers, so that every one is a candidate issuer of every
 * other and the audit spends its whole work budget.  Writes the paths
 * of three new temporary files (owned; certkit_files_remove ends them).
 */
void			 certkit_slow_chain_files(char **leaf, char **key,
			    char **cas);

/* Unlink and free the n files of paths (each may be NULL). */
void			 certkit_files_remove(char **paths, size_t n);

#endif
