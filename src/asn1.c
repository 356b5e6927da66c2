/*
 * asn1.c: raw DER slicing with libtasn1's tag and length decoders.
 */
#include <config.h>

#include <limits.h>
#include <stddef.h>

#include <libtasn1.h>

#include "asn1.h"

/* Universal, constructed, tag 16. */
#define DER_SEQUENCE	0x30

/*
 * Decode the tag and length at der and return the whole TLV's size, or 0
 * when it is malformed, indefinite, or runs past len.  libtasn1 takes int
 * lengths; anything beyond INT_MAX is clamped, which can only make the
 * bounds check stricter.
 */
size_t
asn1_tlv_len(const unsigned char *der, size_t len)
{
	unsigned long	 tag;
	unsigned char	 cls;
	long		 clen;
	int		 dlen, taglen, lenlen, want;

	if (der == NULL || len == 0)
		return 0;
	dlen = len > INT_MAX ? INT_MAX : (int)len;
	if (asn1_get_tag_der(der, dlen, &cls, &taglen, &tag) != ASN1_SUCCESS)
		return 0;
	if (taglen <= 0 || taglen >= dlen)
		return 0;
	/*
	 * asn1_get_length_der stops quietly at the end of the buffer when
	 * long-form length octets are cut short (30 81 <end> reads as
	 * length 0), so count the octets it should have used ourselves.
	 */
	want = der[taglen] & 0x80 ? 1 + (der[taglen] & 0x7f) : 1;
	if ((size_t)want > len - (size_t)taglen)
		return 0;
	clen = asn1_get_length_der(der + taglen, dlen - taglen, &lenlen);
	if (clen < 0 || lenlen != want)
		return 0;
	if ((size_t)clen > len - (size_t)taglen - (size_t)lenlen)
		return 0;
	return (size_t)taglen + (size_t)lenlen + (size_t)clen;
}

/*
 * Length of the tag and length octets of the TLV at der, which the
 * caller has already checked with asn1_tlv_len.
 */
static size_t
asn1_header_len(const unsigned char *der, size_t len)
{
	unsigned long	 tag;
	unsigned char	 cls;
	int		 dlen, taglen, lenlen;

	dlen = len > INT_MAX ? INT_MAX : (int)len;
	if (asn1_get_tag_der(der, dlen, &cls, &taglen, &tag) != ASN1_SUCCESS)
		return 0;
	if (asn1_get_length_der(der + taglen, dlen - taglen, &lenlen) < 0)
		return 0;
	return (size_t)taglen + (size_t)lenlen;
}

/*
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, ... }: the first
 * element of the outer SEQUENCE, tag and length included, is what the
 * signature covers.
 */
int
asn1_cert_tbs(const unsigned char *der, size_t len,
    const unsigned char **tbs, size_t *tbslen)
{
	const unsigned char	*body;
	size_t			 outer, hdr, inner;

	if (der == NULL || len == 0 || der[0] != DER_SEQUENCE)
		return -1;
	if ((outer = asn1_tlv_len(der, len)) == 0)
		return -1;
	if ((hdr = asn1_header_len(der, outer)) == 0 || hdr >= outer)
		return -1;
	body = der + hdr;
	if (body[0] != DER_SEQUENCE)
		return -1;
	if ((inner = asn1_tlv_len(body, outer - hdr)) == 0)
		return -1;
	*tbs = body;
	*tbslen = inner;
	return 0;
}
