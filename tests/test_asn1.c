/*
 * test_asn1.c: asn1.c's own reading of the common TLV header (one-octet
 * tag, definite length in up to three octets) against libtasn1's, which
 * asn1_tlv_len and asn1_tlv_read used for every header before: every
 * first and second octet, the length octets that matter, and every
 * buffer length around the TLV's, give the same size, class, tag and
 * slices, or the same refusal.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <libtasn1.h>

#include "asn1.h"

/* asn1_tlv_len as it was: libtasn1 decodes the tag and the length. */
static size_t
ref_tlv_len(const unsigned char *der, size_t len)
{
	unsigned long tag;
	unsigned char cls;
	long clen;
	int dlen, taglen, lenlen, want;

	if (der == NULL || len == 0)
		return 0;
	dlen = len > INT_MAX ? INT_MAX : (int)len;
	if (asn1_get_tag_der(der, dlen, &cls, &taglen, &tag) != ASN1_SUCCESS)
		return 0;
	if (taglen <= 0 || taglen >= dlen)
		return 0;
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

/* asn1_tlv_read as it was. */
static int
ref_tlv_read(const unsigned char *der, size_t len, struct asn1_tlv *out)
{
	size_t total;
	unsigned long tag;
	unsigned char cls;
	int dlen, taglen, lenlen;

	if ((total = ref_tlv_len(der, len)) == 0)
		return -1;
	dlen = total > INT_MAX ? INT_MAX : (int)total;
	if (asn1_get_tag_der(der, dlen, &cls, &taglen, &tag) !=
	    ASN1_SUCCESS ||
	    asn1_get_length_der(der + taglen, dlen - taglen, &lenlen) < 0)
		return -1;
	out->cls = cls;
	out->tag = tag;
	out->start = der;
	out->len = total;
	out->val = der + taglen + lenlen;
	out->vlen = total - (size_t)taglen - (size_t)lenlen;
	return 0;
}

/* Both readings of buf[0, len) agree. */
static void
same(const unsigned char *buf, size_t len)
{
	struct asn1_tlv a, b;
	char what[64];
	size_t i;
	int ra, rb, n = 0;

	for (i = 0; i < len && i < 5; i++)
		n += snprintf(what + n, sizeof(what) - (size_t)n, "%02x ",
		    buf[i]);
	snprintf(what + n, sizeof(what) - (size_t)n, "len %zu", len);
	cr_assert_eq(asn1_tlv_len(buf, len), ref_tlv_len(buf, len), "%s",
	    what);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ra = asn1_tlv_read(buf, len, &a);
	rb = ref_tlv_read(buf, len, &b);
	cr_assert_eq(ra, rb, "%s", what);
	if (ra == 0) {
		cr_assert_eq(a.cls, b.cls, "%s", what);
		cr_assert_eq(a.tag, b.tag, "%s", what);
		cr_assert_eq(a.start, b.start, "%s", what);
		cr_assert_eq(a.len, b.len, "%s", what);
		cr_assert_eq(a.val, b.val, "%s", what);
		cr_assert_eq(a.vlen, b.vlen, "%s", what);
	}
}

/* One header at buf, read from buffers of every length that matters. */
static void
same_all_lengths(unsigned char *buf, size_t cap)
{
	size_t len, need;

	for (len = 1; len <= 12; len++)
		same(buf, len);
	if ((need = ref_tlv_len(buf, cap)) > 12 && need < cap) {
		same(buf, need);
		same(buf, need - 1);
		same(buf, need + 1);
	}
}

/*
 * Every tag octet with every length octet; for the long forms of one to
 * four length octets also their values that matter (zero, one, 0x7f,
 * 0x80, 0xff) in each place; each header read from buffers of every
 * length up to past it, and of exactly the length it needs and one
 * short of that.
 */
Test(asn1, common_header_agrees_with_libtasn1)
{
	static const unsigned char next[] = { 0x00, 0x01, 0x02, 0x7f, 0x80,
	    0xff };
	static unsigned char buf[0x1000000 + 16];
	size_t i, j, k, m;
	unsigned t, l;

	for (t = 0; t < 256; t++)
		for (l = 0; l < 256; l++) {
			memset(buf, 0xa5, 8);
			buf[0] = (unsigned char)t;
			buf[1] = (unsigned char)l;
			if (l < 0x81 || l > 0x84) {
				same_all_lengths(buf, sizeof(buf));
				continue;
			}
			for (i = 0; i < sizeof(next); i++)
			for (j = 0; j < sizeof(next); j++)
			for (k = 0; k < sizeof(next); k++)
			for (m = 0; m < sizeof(next); m++) {
				buf[2] = next[i];
				buf[3] = next[j];
				buf[4] = next[k];
				buf[5] = next[m];
				same_all_lengths(buf, sizeof(buf));
			}
		}
}

/* A certificate's worth of nesting: the fields read the same. */
Test(asn1, nested_slices_agree)
{
	static const unsigned char der[] = {
		0x30, 0x81, 0x8b, 0x02, 0x01, 0x05, 0xa0, 0x03, 0x02, 0x01,
		0x02, 0x30, 0x82, 0x00, 0x04, 0x06, 0x02, 0x2a, 0x03, 0x1f,
		0x81, 0x01, 0x00, 0x04, 0x70,
	};
	size_t off;

	/* Every suffix, at every length: inner TLVs and cut ones. */
	for (off = 0; off < sizeof(der); off++) {
		size_t len;

		for (len = 0; len <= sizeof(der) - off; len++)
			same(der + off, len);
	}
}
