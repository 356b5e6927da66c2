/*
 * x509der.h: a strict DER reader for the certificates nearly everyone
 * issues, so that cert_parse need not build a GnuTLS certificate object
 * (a tree of hundreds of allocations) for them.
 *
 * It accepts only a profile it can read completely and that GnuTLS's
 * import certainly accepts too: strict DER (minimal lengths, low tag
 * numbers), version 1 without extensions or version 3, a serial of at
 * most 20 octets, the inner and outer signature algorithms byte for byte
 * the same and not RSA-PSS, names of string attributes, canonical
 * UTCTime or GeneralizedTime from 1970 on, no unique identifiers, no
 * duplicate or empty extension, no issuerAltName, and a subjectAltName
 * (if any) of printable dNSNames, rfc822Names and URIs and 4- or 16-octet
 * iPAddresses.  Anything else is "not lean": the caller takes GnuTLS's
 * path, which accepts, rejects and reads it exactly as before.  All
 * slices are borrowed from the DER.
 */
#ifndef CHAINAUDIT_X509DER_H
#define CHAINAUDIT_X509DER_H

#include <stddef.h>
#include <time.h>

struct x509der {
	int			 version;	/* 1 or 3 */
	const unsigned char	*serial;	/* INTEGER contents */
	size_t			 serial_len;
	char			 sig_oid[64];	/* signatureAlgorithm, dotted */
	time_t			 not_before, not_after;
	const unsigned char	*san;	/* GeneralNames contents, or NULL */
	size_t			 san_len;
};

/*
 * Read der (a whole Certificate, nothing after it).  0 when it is within
 * the profile above and out is filled; -1 otherwise (out undefined).
 */
int	x509der_parse(const unsigned char *der, size_t len,
	    struct x509der *out);

/*
 * The next GeneralName of a subjectAltName that x509der_parse accepted:
 * its tag number (1, 2, 6 or 7) and contents, borrowed.  Advances *p and
 * *left; 1, or 0 at the end.
 */
int	x509der_san_next(const unsigned char **p, size_t *left,
	    unsigned *tag, const unsigned char **v, size_t *vlen);

/*
 * The seconds since the epoch of a UTCTime (utc set: 13 octets
 * YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (15 octets
 * YYYYMMDDHHMMSSZ), computed as GnuTLS computes it.  0, or -1 when s is
 * not such a time of a real calendar day from 1970 on.
 */
int	x509der_time(const unsigned char *s, size_t len, int utc, time_t *t);

/*
 * The extension values cert.c reads most often, in the forms nearly
 * every certificate writes: -1 for anything else, which GnuTLS's
 * decoders then read as before (and accept or reject as before).
 */

/*
 * basicConstraints: cA only as DER's TRUE (FALSE is the default, so
 * omitted), a pathLenConstraint of 0 to 127.  0 with *ca and *pathlen
 * (-1 when absent), or -1.
 */
int	x509der_basic_constraints(const unsigned char *v, size_t len, int *ca,
	    int *pathlen);

/*
 * extKeyUsage: one to 16 purposes, each a minimally encoded OID.  Calls
 * fn with each one's dotted text, in order, once the whole value has
 * been checked.  0, or -1.
 */
int	x509der_eku(const unsigned char *v, size_t len,
	    void (*fn)(const char *oid, void *arg), void *arg);

/*
 * authorityInfoAccess: one or more AccessDescriptions, each a minimally
 * encoded OID and a printable URI of 1 to 255 octets.  Calls fn with
 * whether the method is caIssuers and the URI, in order, once the whole
 * value has been checked; fn returns 0 or -1 to stop.  0, -1 when not in
 * this form, -2 when fn stopped the walk.
 */
int	x509der_aia(const unsigned char *v, size_t len,
	    int (*fn)(int ca_issuers, const unsigned char *uri, size_t len,
	    void *arg), void *arg);

/*
 * subjectKeyIdentifier: a primitive OCTET STRING of at least one octet,
 * the whole of v.  0 with *id (borrowed) and *idlen, or -1.
 */
int	x509der_ski(const unsigned char *v, size_t len,
	    const unsigned char **id, size_t *idlen);

/*
 * keyUsage: a primitive BIT STRING of one or two octets whose unused
 * bits (at most 7) are zero.  0 with *ku as GnuTLS reports it (first
 * octet | second << 8), or -1.
 */
int	x509der_key_usage(const unsigned char *v, size_t len, unsigned *ku);

/*
 * The embedded SCT list (RFC 6962 3.3): a primitive OCTET STRING (its
 * length in up to two octets, minimal or not, as GnuTLS reads it) whose
 * TLS list length is exact, of one or more SCTs each v1, without
 * extensions, signed with SHA-256 and RSA or ECDSA (the pairs GnuTLS
 * certainly knows) and a non-empty signature filling the rest of the
 * SCT.  0 with their count in *n and the earliest timestamp in seconds
 * (milliseconds / 1000, as GnuTLS reports it) in *earliest, or -1.
 */
int	x509der_scts(const unsigned char *v, size_t len, unsigned *n,
	    time_t *earliest);

#endif
