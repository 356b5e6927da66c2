/*
 * asn1.c: raw DER slicing: the common tag and length forms read here,
 * the rest with libtasn1's decoders.
 */
#include <config.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtasn1.h>

#include "asn1.h"

/* Universal, constructed, tag 16. */
#define DER_SEQUENCE	0x30

/*
 * The header of the TLV at der in the form nearly every certificate
 * field has: a one-octet tag (not the high-tag-number form) and a
 * definite length in at most three octets.  Sets *hdr (tag and length
 * octets) and *clen and returns 1; 0 when der is not of that form or
 * len is too short for its length octets, and libtasn1 decides.  For
 * what it takes, the answers are libtasn1's (asn1_get_tag_der,
 * asn1_get_length_der; tests/test_asn1.c holds the two side by side):
 * three calls a TLV into another library were some 2% of a database
 * row's CPU.
 */
static int
tlv_fast(const unsigned char *der, size_t len, size_t *hdr, size_t *clen)
{
	size_t i, n, l;

	if (len < 2 || len > INT_MAX || (der[0] & 0x1f) == 0x1f)
		return 0;
	if (!(der[1] & 0x80)) {
		*hdr = 2;
		*clen = der[1];
		return 1;
	}
	n = der[1] & 0x7f;
	if (n == 0 || n > 3 || len < 2 + n)
		return 0;
	for (l = 0, i = 0; i < n; i++)
		l = l << 8 | der[2 + i];
	*hdr = 2 + n;
	*clen = l;
	return 1;
}

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
	size_t		 fhdr, flen;
	int		 dlen, taglen, lenlen, want;

	if (der == NULL || len == 0)
		return 0;
	if (tlv_fast(der, len, &fhdr, &flen))
		return flen > len - fhdr ? 0 : fhdr + flen;
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
	size_t		 fhdr, flen;
	int		 dlen, taglen, lenlen;

	if (tlv_fast(der, len, &fhdr, &flen))
		return flen > len - fhdr ? 0 : fhdr;
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

/*
 * Read one TLV; see asn1.h.
 */
int
asn1_tlv_read(const unsigned char *der, size_t len, struct asn1_tlv *out)
{
	size_t total, hdr, clen;
	int dlen, taglen;

	if (der != NULL && tlv_fast(der, len, &hdr, &clen)) {
		if (clen > len - hdr)
			return -1;
		out->cls = der[0] & 0xe0;
		out->tag = der[0] & 0x1f;
		out->start = der;
		out->len = hdr + clen;
		out->val = der + hdr;
		out->vlen = clen;
		return 0;
	}
	if ((total = asn1_tlv_len(der, len)) == 0)
		return -1;
	if ((hdr = asn1_header_len(der, total)) == 0)
		return -1;
	dlen = total > INT_MAX ? INT_MAX : (int)total;
	if (asn1_get_tag_der(der, dlen, &out->cls, &taglen, &out->tag) !=
	    ASN1_SUCCESS)
		return -1;
	out->start = der;
	out->len = total;
	out->val = der + hdr;
	out->vlen = total - hdr;
	return 0;
}

/* Is t the context-specific constructed tag [n]? */
static int
is_context(const struct asn1_tlv *t, unsigned long n)
{
	return (t->cls & ASN1_CLASS_CONTEXT_SPECIFIC) && t->tag == n;
}

/* Is t the universal tag n? */
static int
is_universal(const struct asn1_tlv *t, unsigned long n)
{
	return (t->cls & (ASN1_CLASS_CONTEXT_SPECIFIC | ASN1_CLASS_APPLICATION |
	    ASN1_CLASS_PRIVATE)) == 0 && t->tag == n;
}

/*
 * The fields of a TBSCertificate, located once: the optional version,
 * the signature AlgorithmIdentifier (the pre-TBS drops it), the
 * SubjectPublicKeyInfo, and the [3] extensions wrapper if present.
 */
struct tbs_fields {
	struct asn1_tlv	 tbs;
	struct asn1_tlv	 field[12];
	size_t		 nfields;
	int		 sig;		/* index of the signature field */
	int		 spki;		/* index of subjectPublicKeyInfo */
	int		 exts;		/* index of [3], -1 if absent */
};

static int
tbs_split(const unsigned char *tbs, size_t tbslen, struct tbs_fields *f)
{
	const unsigned char *p;
	size_t left, i;
	int first;

	memset(f, 0, sizeof(*f));
	f->exts = -1;
	if (asn1_tlv_read(tbs, tbslen, &f->tbs) < 0 ||
	    !is_universal(&f->tbs, ASN1_TAG_SEQUENCE))
		return -1;
	p = f->tbs.val;
	left = f->tbs.vlen;
	while (left > 0) {
		if (f->nfields == sizeof(f->field) / sizeof(f->field[0]) ||
		    asn1_tlv_read(p, left, &f->field[f->nfields]) < 0)
			return -1;
		p += f->field[f->nfields].len;
		left -= f->field[f->nfields].len;
		f->nfields++;
	}
	/* version [0] is optional; then serial, signature, ..., spki. */
	first = f->nfields > 0 && is_context(&f->field[0], 0) ? 1 : 0;
	f->sig = first + 1;
	f->spki = first + 5;
	if ((size_t)f->spki >= f->nfields ||
	    !is_universal(&f->field[f->sig], ASN1_TAG_SEQUENCE) ||
	    !is_universal(&f->field[f->spki], ASN1_TAG_SEQUENCE))
		return -1;
	for (i = (size_t)f->spki + 1; i < f->nfields; i++)
		if (is_context(&f->field[i], 3))
			f->exts = (int)i;
	return 0;
}

/*
 * Walk the subtrees of a NameConstraints; see asn1.h.
 */
int
asn1_name_constraints(const unsigned char *der, size_t len,
    int (*fn)(int, unsigned long, const unsigned char *, size_t, void *),
    void *arg)
{
	struct asn1_tlv nc, trees, sub, base;
	const unsigned char *p, *q, *v;
	size_t left, qleft, vlen;
	int r;

	if (asn1_tlv_read(der, len, &nc) < 0 || nc.len != len ||
	    !is_universal(&nc, ASN1_TAG_SEQUENCE))
		return -1;
	for (p = nc.val, left = nc.vlen; left > 0; p += trees.len,
	    left -= trees.len) {
		if (asn1_tlv_read(p, left, &trees) < 0 ||
		    !(is_context(&trees, 0) || is_context(&trees, 1)))
			return -1;
		for (q = trees.val, qleft = trees.vlen; qleft > 0;
		    q += sub.len, qleft -= sub.len) {
			if (asn1_tlv_read(q, qleft, &sub) < 0 ||
			    !is_universal(&sub, ASN1_TAG_SEQUENCE) ||
			    asn1_tlv_read(sub.val, sub.vlen, &base) < 0 ||
			    !(base.cls & ASN1_CLASS_CONTEXT_SPECIFIC))
				return -1;
			v = base.val;
			vlen = base.vlen;
			if (base.tag == 4) {
				/* directoryName is EXPLICIT: a Name inside. */
				if (asn1_tlv_len(v, vlen) != vlen)
					return -1;
			} else if (base.cls & ASN1_CLASS_STRUCTURED) {
				v = base.start;
				vlen = base.len;
			}
			if ((r = fn(trees.tag == 0, base.tag, v, vlen,
			    arg)) != 0)
				return r;
		}
	}
	return 0;
}

/*
 * The dotted text of OID contents v (vlen octets) into str, for the
 * common case only: every sub-identifier minimally encoded and below
 * 2^32, and the text fits.  0, or -1 for anything else, which the caller
 * leaves to libtasn1.  Every extension and name attribute of every
 * certificate goes through here; libtasn1's decoder formats with
 * snprintf and strlen per arc, a few percent of a scan's CPU.
 */
static int
oid_text_fast(const unsigned char *v, size_t vlen, char *str, size_t len)
{
	char digits[16];
	size_t i = 0, o = 0, nd;
	uint64_t arc;
	int first = 1;

	if (vlen == 0)
		return -1;
	while (i < vlen) {
		if (v[i] == 0x80)
			return -1;	/* not minimal: libtasn1 decides */
		arc = 0;
		do {
			if (i >= vlen || arc > 0x1ffffff)
				return -1;
			arc = arc << 7 | (v[i] & 0x7f);
		} while (v[i++] & 0x80);
		if (first) {
			unsigned top = arc < 40 ? 0 : arc < 80 ? 1 : 2;

			arc -= 40 * top;
			if (o + 2 > len)
				return -1;
			str[o++] = (char)('0' + top);
			first = 0;
		}
		nd = 0;
		do {
			digits[nd++] = (char)('0' + arc % 10);
			arc /= 10;
		} while (arc > 0);
		if (o + 1 + nd + 1 > len)
			return -1;
		str[o++] = '.';
		while (nd > 0)
			str[o++] = digits[--nd];
	}
	str[o] = '\0';
	return 0;
}

/* Decode the OID of an OBJECT IDENTIFIER TLV into str. 0 or -1. */
static int
read_oid(const struct asn1_tlv *t, char *str, size_t len)
{
	int ret_len;
	const unsigned char *lenp = t->val - (t->len - t->vlen - 1);

	if (!is_universal(t, ASN1_TAG_OBJECT_ID))
		return -1;
	if (oid_text_fast(t->val, t->vlen, str, len) == 0)
		return 0;
	/* asn1_get_object_id_der starts at the length octets. */
	if (asn1_get_object_id_der(lenp, (int)(t->len - 1), &ret_len, str,
	    (int)len) != ASN1_SUCCESS)
		return -1;
	return 0;
}

/*
 * The dotted text of an OBJECT IDENTIFIER TLV; see asn1.h.
 */
int
asn1_oid_read(const struct asn1_tlv *t, char *str, size_t len)
{
	return read_oid(t, str, len);
}

/*
 * Walk Extensions calling fn(oid, extnValue contents, arg) for each
 * extension; 0, or -1 when malformed.
 */
struct ext_item {
	char			 oid[128];
	int			 critical;
	struct asn1_tlv		 whole;	/* the Extension SEQUENCE */
	struct asn1_tlv		 value;	/* the extnValue OCTET STRING */
};

static int
ext_next(const unsigned char **p, size_t *left, struct ext_item *e)
{
	struct asn1_tlv t;
	const unsigned char *q;
	size_t l;

	if (asn1_tlv_read(*p, *left, &e->whole) < 0 ||
	    !is_universal(&e->whole, ASN1_TAG_SEQUENCE))
		return -1;
	*p += e->whole.len;
	*left -= e->whole.len;
	q = e->whole.val;
	l = e->whole.vlen;
	if (asn1_tlv_read(q, l, &t) < 0 || read_oid(&t, e->oid,
	    sizeof(e->oid)) < 0)
		return -1;
	q += t.len;
	l -= t.len;
	if (asn1_tlv_read(q, l, &t) < 0)
		return -1;
	e->critical = 0;
	if (is_universal(&t, ASN1_TAG_BOOLEAN)) {
		/* libtasn1 reads any non-zero octet as TRUE; so does this. */
		if (t.vlen != 1)
			return -1;
		e->critical = t.val[0] != 0;
		q += t.len;
		l -= t.len;
		if (asn1_tlv_read(q, l, &t) < 0)
			return -1;
	}
	if (!is_universal(&t, ASN1_TAG_OCTET_STRING) || t.len != l)
		return -1;
	e->value = t;
	return 0;
}

/* The SEQUENCE OF Extension inside [3]: contents slice. */
static int
ext_list(const struct tbs_fields *f, const unsigned char **p, size_t *left)
{
	struct asn1_tlv seq;

	if (asn1_tlv_read(f->field[f->exts].val, f->field[f->exts].vlen,
	    &seq) < 0 || !is_universal(&seq, ASN1_TAG_SEQUENCE) ||
	    seq.len != f->field[f->exts].vlen)
		return -1;
	*p = seq.val;
	*left = seq.vlen;
	return 0;
}

int
asn1_tbs_extensions(const unsigned char *tbs, size_t tbslen,
    int (*fn)(const struct asn1_ext *, void *), void *arg)
{
	struct tbs_fields f;
	struct ext_item e;
	struct asn1_ext x;
	const unsigned char *p;
	size_t left;
	int r;

	if (tbs_split(tbs, tbslen, &f) < 0)
		return -1;
	if (f.exts < 0)
		return 0;
	if (ext_list(&f, &p, &left) < 0)
		return -1;
	while (left > 0) {
		if (ext_next(&p, &left, &e) < 0)
			return -1;
		x.oid = e.oid;
		x.critical = e.critical;
		x.value = e.value.val;
		x.vlen = e.value.vlen;
		if ((r = fn(&x, arg)) != 0)
			return r;
	}
	return 0;
}

#define OID_ALT_SPKI	"2.5.29.72"
#define OID_ALT_ALG	"2.5.29.73"
#define OID_ALT_VALUE	"2.5.29.74"

int
asn1_tbs_altsig(const unsigned char *tbs, size_t tbslen,
    struct asn1_altsig *out, char *err, size_t errlen)
{
	struct tbs_fields f;
	struct ext_item e;
	struct asn1_tlv t, oid;
	const unsigned char *p;
	size_t left;

	memset(out, 0, sizeof(*out));
	if (tbs_split(tbs, tbslen, &f) < 0) {
		snprintf(err, errlen, "malformed TBSCertificate");
		return -1;
	}
	if (f.exts < 0)
		return 0;
	if (ext_list(&f, &p, &left) < 0) {
		snprintf(err, errlen, "malformed extensions");
		return -1;
	}
	while (left > 0) {
		if (ext_next(&p, &left, &e) < 0) {
			snprintf(err, errlen, "malformed extension");
			return -1;
		}
		if (strcmp(e.oid, OID_ALT_SPKI) == 0) {
			if (asn1_tlv_read(e.value.val, e.value.vlen, &t) < 0 ||
			    t.len != e.value.vlen ||
			    !is_universal(&t, ASN1_TAG_SEQUENCE)) {
				snprintf(err, errlen, "malformed "
				    "subjectAltPublicKeyInfo");
				return -1;
			}
			/* SEQUENCE { AlgorithmIdentifier { OID, ... }, ... } */
			if (asn1_tlv_read(t.val, t.vlen, &oid) < 0 ||
			    asn1_tlv_read(oid.val, oid.vlen, &oid) < 0 ||
			    read_oid(&oid, out->spki_oid,
			    sizeof(out->spki_oid)) < 0) {
				snprintf(err, errlen, "malformed "
				    "subjectAltPublicKeyInfo");
				return -1;
			}
			out->spki = t.start;
			out->spki_len = t.len;
		} else if (strcmp(e.oid, OID_ALT_ALG) == 0) {
			if (asn1_tlv_read(e.value.val, e.value.vlen, &t) < 0 ||
			    t.len != e.value.vlen ||
			    !is_universal(&t, ASN1_TAG_SEQUENCE) ||
			    asn1_tlv_read(t.val, t.vlen, &oid) < 0 ||
			    read_oid(&oid, out->alg_oid,
			    sizeof(out->alg_oid)) < 0) {
				snprintf(err, errlen, "malformed "
				    "altSignatureAlgorithm");
				return -1;
			}
			out->alg = t.start;
			out->alg_len = t.len;
		} else if (strcmp(e.oid, OID_ALT_VALUE) == 0) {
			/* BIT STRING with no unused bits. */
			if (asn1_tlv_read(e.value.val, e.value.vlen, &t) < 0 ||
			    t.len != e.value.vlen ||
			    !is_universal(&t, ASN1_TAG_BIT_STRING) ||
			    t.vlen < 1 || t.val[0] != 0) {
				snprintf(err, errlen, "malformed "
				    "altSignatureValue");
				return -1;
			}
			out->value = t.val + 1;
			out->value_len = t.vlen - 1;
			out->value_present = 1;
		}
	}
	return 0;
}

/* Append a tag and definite length header for len content bytes. */
static size_t
put_header(unsigned char *dst, unsigned char tag, size_t len)
{
	int n;

	dst[0] = tag;
	asn1_length_der(len, dst + 1, &n);
	return 1 + (size_t)n;
}

int
asn1_tbs_pretbs(const unsigned char *tbs, size_t tbslen,
    unsigned char **out, size_t *outlen)
{
	struct tbs_fields f;
	struct ext_item e;
	const unsigned char *p;
	unsigned char *buf = NULL, *body = NULL, *exts = NULL, hdr[16];
	size_t left, i, nbody = 0, nexts = 0, h;
	int ret = -1;

	if (tbs_split(tbs, tbslen, &f) < 0)
		goto out;
	/* Everything only shrinks: the input size bounds every buffer. */
	if ((body = malloc(tbslen)) == NULL || (exts = malloc(tbslen)) == NULL)
		goto out;
	for (i = 0; i < f.nfields; i++) {
		if ((int)i == f.sig)
			continue;
		if ((int)i != f.exts) {
			memcpy(body + nbody, f.field[i].start, f.field[i].len);
			nbody += f.field[i].len;
			continue;
		}
		if (ext_list(&f, &p, &left) < 0)
			goto out;
		while (left > 0) {
			if (ext_next(&p, &left, &e) < 0)
				goto out;
			if (strcmp(e.oid, OID_ALT_VALUE) == 0)
				continue;
			memcpy(exts + nexts, e.whole.start, e.whole.len);
			nexts += e.whole.len;
		}
		/* [3] { SEQUENCE { extensions } }, lengths recomputed. */
		h = put_header(hdr, 0x30, nexts);
		{
			unsigned char outer[16];
			size_t oh = put_header(outer, 0xa3, h + nexts);

			memcpy(body + nbody, outer, oh);
			nbody += oh;
		}
		memcpy(body + nbody, hdr, h);
		nbody += h;
		memcpy(body + nbody, exts, nexts);
		nbody += nexts;
	}
	h = put_header(hdr, 0x30, nbody);
	if ((buf = malloc(h + nbody)) == NULL)
		goto out;
	memcpy(buf, hdr, h);
	memcpy(buf + h, body, nbody);
	*out = buf;
	*outlen = h + nbody;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	free(body);
	free(exts);
	return ret;
}

/*
 * Read a SubjectPublicKeyInfo; see asn1.h.
 */
int
asn1_spki_read(const unsigned char *spki, size_t len, struct asn1_spki *out)
{
	struct asn1_tlv seq, alg, oid, param, bits;

	memset(out, 0, sizeof(*out));
	if (asn1_tlv_read(spki, len, &seq) < 0 || seq.len != len ||
	    !is_universal(&seq, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(seq.val, seq.vlen, &alg) < 0 ||
	    !is_universal(&alg, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(alg.val, alg.vlen, &oid) < 0 ||
	    read_oid(&oid, out->alg_oid, sizeof(out->alg_oid)) < 0)
		return -1;
	if (oid.len < alg.vlen) {
		if (asn1_tlv_read(oid.val + oid.vlen, alg.vlen - oid.len,
		    &param) < 0 || oid.len + param.len != alg.vlen)
			return -1;
		if (is_universal(&param, ASN1_TAG_OBJECT_ID) &&
		    read_oid(&param, out->param_oid,
		    sizeof(out->param_oid)) < 0)
			return -1;
	}
	if (asn1_tlv_read(alg.start + alg.len, seq.vlen - alg.len, &bits) <
	    0 || alg.len + bits.len != seq.vlen ||
	    !is_universal(&bits, ASN1_TAG_BIT_STRING) || bits.vlen < 1 ||
	    bits.val[0] != 0)
		return -1;
	out->key = bits.val + 1;
	out->key_len = bits.vlen - 1;
	return 0;
}

/*
 * Bits of an RSAPublicKey's modulus; see asn1.h.
 */
int
asn1_rsa_modulus_bits(const unsigned char *key, size_t len, unsigned *bits)
{
	struct asn1_tlv seq, n;
	const unsigned char *p;
	size_t left;
	unsigned b, top;

	if (asn1_tlv_read(key, len, &seq) < 0 || seq.len != len ||
	    !is_universal(&seq, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(seq.val, seq.vlen, &n) < 0 ||
	    !is_universal(&n, ASN1_TAG_INTEGER) || n.vlen == 0 ||
	    (n.val[0] & 0x80) != 0)
		return -1;	/* a modulus is positive */
	for (p = n.val, left = n.vlen; left > 0 && *p == 0; p++, left--)
		;
	if (left == 0 || left > UINT_MAX / 8)
		return -1;
	/* The first octet is not zero: count its significant bits. */
	for (b = 8, top = *p; !(top & 0x80); top <<= 1)
		b--;
	*bits = (unsigned)(left - 1) * 8 + b;
	return 0;
}

/*
 * An AuthorityKeyIdentifier that is a keyIdentifier alone; see asn1.h.
 */
int
asn1_aki_keyid_only(const unsigned char *v, size_t len,
    const unsigned char **id, size_t *idlen)
{
	struct asn1_tlv seq, kid;

	if (asn1_tlv_read(v, len, &seq) < 0 || seq.len != len ||
	    !is_universal(&seq, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(seq.val, seq.vlen, &kid) < 0 ||
	    kid.len != seq.vlen || kid.cls != ASN1_CLASS_CONTEXT_SPECIFIC ||
	    kid.tag != 0)
		return 0;
	*id = kid.val;
	*idlen = kid.vlen;
	return 1;
}

/*
 * The first attribute of a type in a Name; see asn1.h.  Name is a
 * SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }.
 */
int
asn1_name_attr(const unsigned char *name, size_t len, const char *oid,
    unsigned long *tag, const unsigned char **v, size_t *vlen)
{
	struct asn1_tlv seq, set, atv, type, value;
	const unsigned char *p, *q;
	size_t left, qleft;
	char got[64];

	if (asn1_tlv_read(name, len, &seq) < 0 || seq.len != len ||
	    !is_universal(&seq, ASN1_TAG_SEQUENCE))
		return -1;
	for (p = seq.val, left = seq.vlen; left > 0; p += set.len,
	    left -= set.len) {
		if (asn1_tlv_read(p, left, &set) < 0 ||
		    !is_universal(&set, ASN1_TAG_SET))
			return -1;
		for (q = set.val, qleft = set.vlen; qleft > 0; q += atv.len,
		    qleft -= atv.len) {
			if (asn1_tlv_read(q, qleft, &atv) < 0 ||
			    !is_universal(&atv, ASN1_TAG_SEQUENCE) ||
			    asn1_tlv_read(atv.val, atv.vlen, &type) < 0 ||
			    read_oid(&type, got, sizeof(got)) < 0 ||
			    asn1_tlv_read(type.start + type.len,
			    atv.vlen - type.len, &value) < 0 ||
			    type.len + value.len != atv.vlen)
				return -1;
			if (strcmp(got, oid) != 0)
				continue;
			if (value.cls != ASN1_CLASS_UNIVERSAL)
				return -1;
			*tag = value.tag;
			*v = value.val;
			*vlen = value.vlen;
			return 1;
		}
	}
	return 0;
}

/*
 * The names and signature bits of a Certificate; see asn1.h.
 */
int
asn1_cert_parts(const unsigned char *der, size_t len,
    struct asn1_cert_parts *out)
{
	struct asn1_tlv cert, tbs, alg, bits;
	struct tbs_fields f;
	const struct asn1_tlv *issuer, *subject;

	memset(out, 0, sizeof(*out));
	if (asn1_tlv_read(der, len, &cert) < 0 ||
	    !is_universal(&cert, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(cert.val, cert.vlen, &tbs) < 0 ||
	    tbs_split(tbs.start, tbs.len, &f) < 0 ||
	    asn1_tlv_read(tbs.start + tbs.len, cert.vlen - tbs.len, &alg) < 0 ||
	    !is_universal(&alg, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(alg.start + alg.len, cert.vlen - tbs.len - alg.len,
	    &bits) < 0 || !is_universal(&bits, ASN1_TAG_BIT_STRING) ||
	    bits.vlen < 1 || bits.val[0] != 0)
		return -1;
	/* serial, signature, issuer, validity, subject, spki */
	issuer = &f.field[f.sig + 1];
	subject = &f.field[f.spki - 1];
	if (!is_universal(issuer, ASN1_TAG_SEQUENCE) ||
	    !is_universal(subject, ASN1_TAG_SEQUENCE))
		return -1;
	out->issuer = issuer->start;
	out->issuer_len = issuer->len;
	out->subject = subject->start;
	out->subject_len = subject->len;
	out->spki = f.field[f.spki].start;
	out->spki_len = f.field[f.spki].len;
	out->sig = bits.val + 1;
	out->sig_len = bits.vlen - 1;
	return 0;
}
