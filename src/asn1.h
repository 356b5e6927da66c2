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

#endif
