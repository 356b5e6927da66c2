/*
 * asn1.h: raw DER access with libtasn1: the slices of a certificate that
 * GnuTLS does not hand out (the TBSCertificate bytes a signature covers).
 */
#ifndef CHAINAUDIT_ASN1_H
#define CHAINAUDIT_ASN1_H

#include <stddef.h>

/*
 * Find the TBSCertificate TLV inside a DER Certificate.  Returns 0 and
 * sets *tbs (borrowed from der) and *tbslen, or -1 when der is not a
 * SEQUENCE holding a SEQUENCE.
 */
int	asn1_cert_tbs(const unsigned char *der, size_t len,
	    const unsigned char **tbs, size_t *tbslen);

/*
 * Length of the first complete DER TLV at der (definite lengths only),
 * or 0 when der does not start with one that fits in len.
 */
size_t	asn1_tlv_len(const unsigned char *der, size_t len);

/* One decoded TLV: slices borrowed from the buffer it was read from. */
struct asn1_tlv {
	unsigned char		 cls;	/* ASN1_CLASS_* bits of the tag */
	unsigned long		 tag;	/* tag number */
	const unsigned char	*start;	/* the whole TLV */
	size_t			 len;
	const unsigned char	*val;	/* the contents */
	size_t			 vlen;
};

/* Read the TLV at der.  Returns 0, or -1 when it is malformed. */
int	asn1_tlv_read(const unsigned char *der, size_t len,
	    struct asn1_tlv *out);

/*
 * The dotted text ("2.5.29.35") of the OBJECT IDENTIFIER TLV t into str.
 * 0, or -1 when t is not one or str is too small.
 */
int	asn1_oid_read(const struct asn1_tlv *t, char *str, size_t len);

/*
 * The X.509 alternative signature of a hybrid certificate (ITU-T X.509
 * (10/2019) 9.8): slices of the certificate's TBS, borrowed.
 */
struct asn1_altsig {
	const unsigned char	*spki;		/* subjectAltPublicKeyInfo */
	size_t			 spki_len;	/* 0: extension absent */
	char			 spki_oid[64];	/* its key algorithm */
	const unsigned char	*alg;		/* altSignatureAlgorithm */
	size_t			 alg_len;	/* 0: extension absent */
	char			 alg_oid[64];	/* dotted OID of alg */
	const unsigned char	*value;		/* altSignatureValue bits */
	size_t			 value_len;	/* 0: extension absent */
	int			 value_present;
};

/*
 * Find the alternative-signature extensions (2.5.29.72, .73, .74) in a
 * TBSCertificate.  Returns 0 (absent ones have zero length), or -1 with
 * the reason in err when the TBS or one of them is malformed.
 */
int	asn1_tbs_altsig(const unsigned char *tbs, size_t tbslen,
	    struct asn1_altsig *out, char *err, size_t errlen);

/*
 * Build the pre-TBS that an alternative signature covers: the
 * TBSCertificate without its signature field and without the
 * altSignatureValue extension, lengths re-encoded (X.509 (10/2019)
 * 7.2.2).  Returns 0 and a new buffer in *out (the caller frees it), or
 * -1 when the TBS is malformed or memory runs out.
 */
int	asn1_tbs_pretbs(const unsigned char *tbs, size_t tbslen,
	    unsigned char **out, size_t *outlen);

/*
 * Walk the subtrees of a NameConstraints extension value (RFC 5280
 * 4.2.1.10), calling fn with permitted (1) or excluded (0), the
 * GeneralName's tag number ([2] dNSName: 2) and its contents: the bytes
 * of a primitive form, the Name TLV of a directoryName, the whole TLV of
 * any other constructed form.  Returns 0, -1 when der is malformed, or
 * the first non-zero return of fn.
 */
int	asn1_name_constraints(const unsigned char *der, size_t len,
	    int (*fn)(int permitted, unsigned long tag,
	    const unsigned char *v, size_t vlen, void *arg), void *arg);

/* One extension of a TBSCertificate: its value borrowed from the TBS. */
struct asn1_ext {
	const char		*oid;		/* dotted extnID, for the call */
	int			 critical;
	const unsigned char	*value;		/* extnValue contents */
	size_t			 vlen;
};

/*
 * Call fn on every extension of a TBSCertificate, in order: one pass
 * over the DER, where each GnuTLS accessor would search the decoded
 * certificate again.  Returns 0 (also when there are none), -1 when the
 * TBS or its extensions are malformed, or the first non-zero return of
 * fn.
 */
int	asn1_tbs_extensions(const unsigned char *tbs, size_t tbslen,
	    int (*fn)(const struct asn1_ext *e, void *arg), void *arg);

/*
 * The keyIdentifier of an AuthorityKeyIdentifier extension value that
 * holds nothing else (SEQUENCE { [0] keyIdentifier }), the form nearly
 * every CA writes.  Returns 1 and sets *id (borrowed) and *idlen, or 0
 * for any other value, well-formed or not: GnuTLS decodes those.
 */
int	asn1_aki_keyid_only(const unsigned char *v, size_t len,
	    const unsigned char **id, size_t *idlen);

/*
 * Slices of a DER Certificate (borrowed from it): the issuer and subject
 * Name TLVs and the SubjectPublicKeyInfo TLV of its TBSCertificate, and
 * the bits of its signatureValue.
 */
struct asn1_cert_parts {
	const unsigned char	*issuer;
	size_t			 issuer_len;
	const unsigned char	*subject;
	size_t			 subject_len;
	const unsigned char	*spki;
	size_t			 spki_len;
	const unsigned char	*sig;
	size_t			 sig_len;
};

/*
 * Find them.  Returns 0, or -1 when the certificate is not shaped so or
 * its signature is not a whole number of octets.
 */
int	asn1_cert_parts(const unsigned char *der, size_t len,
	    struct asn1_cert_parts *out);

/*
 * The first attribute of type oid (dotted) in a DER Name, in the order
 * of the encoding: its value's universal tag and contents (borrowed).
 * Returns 1, 0 when the name has none, -1 when it is malformed.
 */
int	asn1_name_attr(const unsigned char *name, size_t len, const char *oid,
	    unsigned long *tag, const unsigned char **v, size_t *vlen);

/*
 * The parts of a SubjectPublicKeyInfo: its algorithm's OID, the
 * parameters' OID when they are one (a named curve), and the key bits
 * (the BIT STRING's contents after its unused-bits octet, which must be
 * 0).  Slices are borrowed from the SPKI.
 */
struct asn1_spki {
	char			 alg_oid[64];
	char			 param_oid[64];	/* "" unless an OID */
	const unsigned char	*key;
	size_t			 key_len;
};

/* Read a SubjectPublicKeyInfo TLV.  0, or -1 when malformed. */
int	asn1_spki_read(const unsigned char *spki, size_t len,
	    struct asn1_spki *out);

/*
 * The size in bits of the modulus of an RSAPublicKey (the key bits of an
 * RSA SPKI): its first INTEGER without leading zeros.  0, or -1 when
 * malformed.
 */
int	asn1_rsa_modulus_bits(const unsigned char *key, size_t len,
	    unsigned *bits);

#endif
