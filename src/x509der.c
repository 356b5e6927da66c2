/*
 * x509der.c: a strict DER reader for the usual certificate; see
 * x509der.h for the profile.  It is a gate as much as a reader: every
 * check here is one GnuTLS's import (libtasn1's strict DER decoding plus
 * its sanity checks: matching signature algorithms, extensions only in
 * v3, unique IDs only in v2 and v3, readable times, a decodable
 * subjectAltName) would also pass, so a certificate read here is one
 * GnuTLS would have read, with the same values.  Being stricter only
 * costs speed: the caller then takes GnuTLS's path.
 */
#include <config.h>

#include <stddef.h>
#include <string.h>

#include "asn1.h"
#include "x509der.h"

#define ID_BOOLEAN	0x01
#define ID_INTEGER	0x02
#define ID_BIT_STRING	0x03
#define ID_OCTET_STRING	0x04
#define ID_NULL		0x05
#define ID_OID		0x06
#define ID_UTCTIME	0x17
#define ID_GENTIME	0x18
#define ID_SEQUENCE	0x30
#define ID_SET		0x31
#define ID_VERSION	0xa0	/* [0] EXPLICIT */
#define ID_EXTENSIONS	0xa3	/* [3] EXPLICIT */

#define EXT_MAX		32	/* more is no usual certificate */
#define SERIAL_MAX	20	/* RFC 5280 4.1.2.2 */

static const unsigned char oid_rsa_pss[] = {	/* 1.2.840.113549.1.1.10 */
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a
};
static const unsigned char oid_san[] = { 0x55, 0x1d, 0x11 };	/* 2.5.29.17 */
static const unsigned char oid_ian[] = { 0x55, 0x1d, 0x12 };	/* 2.5.29.18 */
static const unsigned char oid_ca_issuers[] = {	/* 1.3.6.1.5.5.7.48.2 */
	0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02
};

#define EKU_MAX		16

/* One TLV: its identifier octet and slices of the buffer. */
struct tlv {
	unsigned char		 id;
	const unsigned char	*start;
	size_t			 len;
	const unsigned char	*val;
	size_t			 vlen;
};

/*
 * Read the TLV at *p in strict DER (low tag number, definite minimal
 * length, at most 16 MB) and step past it.  0, or -1.
 */
static int
tlv_next(const unsigned char **p, size_t *left, struct tlv *t)
{
	const unsigned char *s = *p;
	size_t n = *left, l, hdr, nb, i;

	if (n < 2 || (s[0] & 0x1f) == 0x1f)
		return -1;
	if (s[1] < 0x80) {
		l = s[1];
		hdr = 2;
	} else {
		nb = s[1] & 0x7f;
		if (nb == 0 || nb > 3 || n < 2 + nb || s[2] == 0)
			return -1;
		for (l = 0, i = 0; i < nb; i++)
			l = l << 8 | s[2 + i];
		if (l < 0x80)
			return -1;
		hdr = 2 + nb;
	}
	if (l > n - hdr)
		return -1;
	t->id = s[0];
	t->start = s;
	t->len = hdr + l;
	t->val = s + hdr;
	t->vlen = l;
	*p += t->len;
	*left -= t->len;
	return 0;
}

/* tlv_next, and the identifier must be id. */
static int
tlv_expect(const unsigned char **p, size_t *left, unsigned char id,
    struct tlv *t)
{
	return tlv_next(p, left, t) == 0 && t->id == id ? 0 : -1;
}

/*
 * An OBJECT IDENTIFIER whose every arc is minimally encoded and fits 32
 * bits, so that its dotted text is the same whoever prints it.
 */
static int
oid_ok(const struct tlv *t)
{
	size_t i, digits = 0;

	if (t->id != ID_OID || t->vlen == 0 || (t->val[t->vlen - 1] & 0x80))
		return 0;
	for (i = 0; i < t->vlen; i++) {
		if (digits == 0 && t->val[i] == 0x80)
			return 0;
		if (++digits > 5 || (digits == 5 && (t->val[i - 4] & 0x70)))
			return 0;
		if (!(t->val[i] & 0x80))
			digits = 0;
	}
	return 1;
}

static int
oid_is(const struct tlv *t, const unsigned char *oid, size_t len)
{
	return t->vlen == len && memcmp(t->val, oid, len) == 0;
}

/*
 * The dotted text of OID TLV t, as libtasn1 prints it: through asn1.c,
 * whose own loop (held to libtasn1's output) skips libtasn1's strlen
 * and snprintf per arc.  0, or -1.
 */
static int
oid_text(const struct tlv *t, char *text, size_t len)
{
	struct asn1_tlv a;

	if (asn1_tlv_read(t->start, t->len, &a) < 0)
		return -1;
	return asn1_oid_read(&a, text, len);
}

/* The string types a name attribute may have (X.520 DirectoryString &c). */
static int
is_string_id(unsigned char id)
{
	switch (id) {
	case 0x0c:	/* UTF8String */
	case 0x12:	/* NumericString */
	case 0x13:	/* PrintableString */
	case 0x14:	/* TeletexString */
	case 0x16:	/* IA5String */
	case 0x1a:	/* VisibleString */
	case 0x1c:	/* UniversalString */
	case 0x1e:	/* BMPString */
		return 1;
	default:
		return 0;
	}
}

/* A Name: RDNs of at least one attribute, each an OID and a string. */
static int
name_ok(const struct tlv *n)
{
	const unsigned char *p = n->val, *q, *r;
	size_t left = n->vlen, ql, rl;
	struct tlv set, atv, oid, v;

	if (n->id != ID_SEQUENCE)
		return 0;
	while (left > 0) {
		if (tlv_expect(&p, &left, ID_SET, &set) < 0 || set.vlen == 0)
			return 0;
		q = set.val;
		ql = set.vlen;
		while (ql > 0) {
			if (tlv_expect(&q, &ql, ID_SEQUENCE, &atv) < 0)
				return 0;
			r = atv.val;
			rl = atv.vlen;
			if (tlv_next(&r, &rl, &oid) < 0 || !oid_ok(&oid) ||
			    tlv_next(&r, &rl, &v) < 0 || !is_string_id(v.id) ||
			    rl != 0)
				return 0;
		}
	}
	return 1;
}

/*
 * An AlgorithmIdentifier whose parameters are absent, NULL or an OID
 * (a named curve): the forms nothing decodes differently.
 */
static int
alg_ok(const struct tlv *a, struct tlv *oid)
{
	const unsigned char *p = a->val;
	size_t left = a->vlen;
	struct tlv par;

	if (a->id != ID_SEQUENCE || tlv_next(&p, &left, oid) < 0 ||
	    !oid_ok(oid))
		return 0;
	if (left == 0)
		return 1;
	if (tlv_next(&p, &left, &par) < 0 || left != 0)
		return 0;
	return (par.id == ID_NULL && par.vlen == 0) || oid_ok(&par);
}

static int
digits(const unsigned char *s, size_t n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

static int
is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * A UTCTime or GeneralizedTime; see x509der.h.  The arithmetic is
 * GnuTLS's (days since 1970 year by year), so the two agree on every
 * time both accept.
 */
int
x509der_time(const unsigned char *s, size_t len, int utc, time_t *t)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	size_t ylen = utc ? 2 : 4;
	long year, days;
	int mon, day, hour, min, sec, i;

	if (len != ylen + 11 || s[len - 1] != 'Z')
		return -1;
	if ((year = digits(s, ylen)) < 0 ||
	    (mon = digits(s + ylen, 2)) < 1 || mon > 12 ||
	    (day = digits(s + ylen + 2, 2)) < 1 ||
	    (hour = digits(s + ylen + 4, 2)) < 0 || hour > 23 ||
	    (min = digits(s + ylen + 6, 2)) < 0 || min > 59 ||
	    (sec = digits(s + ylen + 8, 2)) < 0 || sec > 59)
		return -1;
	if (utc)
		year += year > 49 ? 1900 : 2000;
	if (year < 1970 || day > mdays[mon - 1] + (mon == 2 && is_leap(year)))
		return -1;
	days = 0;
	for (i = 1970; i < year; i++)
		days += 365 + is_leap(i);
	for (i = 0; i < mon - 1; i++)
		days += mdays[i];
	if (mon > 2 && is_leap(year))
		days++;
	days += day - 1;
	*t = (time_t)(((days * 24 + hour) * 60 + min) * 60 + sec);
	return 0;
}

static int
time_read(const unsigned char **p, size_t *left, time_t *t)
{
	struct tlv v;

	if (tlv_next(p, left, &v) < 0 ||
	    (v.id != ID_UTCTIME && v.id != ID_GENTIME))
		return -1;
	return x509der_time(v.val, v.vlen, v.id == ID_UTCTIME, t);
}

/* Printable ASCII without space: what the string forms here may hold. */
static int
is_printable(const unsigned char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f)
			return 0;
	return 1;
}

/*
 * A subjectAltName of the forms read here: at least one GeneralName,
 * each a printable rfc822Name, dNSName or URI shorter than 256 octets,
 * or an iPAddress of 4 or 16.
 */
static int
san_ok(const unsigned char *v, size_t vlen, struct x509der *out)
{
	const unsigned char *p = v, *q;
	size_t left = vlen, ql;
	struct tlv seq, gn;

	if (tlv_expect(&p, &left, ID_SEQUENCE, &seq) < 0 || left != 0 ||
	    seq.vlen == 0)
		return 0;
	q = seq.val;
	ql = seq.vlen;
	while (ql > 0) {
		if (tlv_next(&q, &ql, &gn) < 0)
			return 0;
		switch (gn.id) {
		case 0x81:	/* [1] rfc822Name */
		case 0x82:	/* [2] dNSName */
		case 0x86:	/* [6] uniformResourceIdentifier */
			if (gn.vlen == 0 || gn.vlen > 255 ||
			    !is_printable(gn.val, gn.vlen))
				return 0;
			break;
		case 0x87:	/* [7] iPAddress */
			if (gn.vlen != 4 && gn.vlen != 16)
				return 0;
			break;
		default:
			return 0;
		}
	}
	out->san = seq.val;
	out->san_len = seq.vlen;
	return 1;
}

/*
 * Extensions: each once, with a minimally encoded OID, a DER critical
 * flag (present only when TRUE) and a non-empty value.
 */
static int
extensions_ok(const struct tlv *wrap, struct x509der *out)
{
	const unsigned char *p = wrap->val, *q;
	size_t left = wrap->vlen, ql, n = 0, i;
	struct tlv seq, ext, oid, v, seen[EXT_MAX];

	if (tlv_expect(&p, &left, ID_SEQUENCE, &seq) < 0 || left != 0 ||
	    seq.vlen == 0)
		return 0;
	p = seq.val;
	left = seq.vlen;
	while (left > 0) {
		if (n == EXT_MAX || tlv_expect(&p, &left, ID_SEQUENCE,
		    &ext) < 0)
			return 0;
		q = ext.val;
		ql = ext.vlen;
		if (tlv_next(&q, &ql, &oid) < 0 || !oid_ok(&oid) ||
		    tlv_next(&q, &ql, &v) < 0)
			return 0;
		if (v.id == ID_BOOLEAN) {
			if (v.vlen != 1 || v.val[0] != 0xff ||
			    tlv_next(&q, &ql, &v) < 0)
				return 0;
		}
		if (v.id != ID_OCTET_STRING || v.vlen == 0 || ql != 0)
			return 0;
		for (i = 0; i < n; i++)
			if (oid_is(&seen[i], oid.val, oid.vlen))
				return 0;
		seen[n++] = oid;
		if (oid_is(&oid, oid_ian, sizeof(oid_ian)))
			return 0;	/* GnuTLS decodes it at import */
		if (oid_is(&oid, oid_san, sizeof(oid_san)) &&
		    !san_ok(v.val, v.vlen, out))
			return 0;
	}
	return 1;
}

static int
serial_ok(const struct tlv *s)
{
	if (s->id != ID_INTEGER || s->vlen == 0 || s->vlen > SERIAL_MAX)
		return 0;
	if (s->vlen > 1 && ((s->val[0] == 0x00 && !(s->val[1] & 0x80)) ||
	    (s->val[0] == 0xff && (s->val[1] & 0x80))))
		return 0;
	return 1;
}

/*
 * Read a certificate within the profile; see x509der.h.
 */
int
x509der_parse(const unsigned char *der, size_t len, struct x509der *out)
{
	const unsigned char *p = der, *q;
	size_t left = len, ql;
	struct tlv cert, tbs, alg, bits, f, sig, oid, name, val, spki, key;

	memset(out, 0, sizeof(*out));
	if (tlv_expect(&p, &left, ID_SEQUENCE, &cert) < 0 || left != 0)
		return -1;
	p = cert.val;
	left = cert.vlen;
	if (tlv_expect(&p, &left, ID_SEQUENCE, &tbs) < 0 ||
	    tlv_next(&p, &left, &alg) < 0 || !alg_ok(&alg, &oid) ||
	    oid_is(&oid, oid_rsa_pss, sizeof(oid_rsa_pss)) ||
	    tlv_expect(&p, &left, ID_BIT_STRING, &bits) < 0 || left != 0 ||
	    bits.vlen < 2 || bits.val[0] != 0)
		return -1;
	if (oid_text(&oid, out->sig_oid, sizeof(out->sig_oid)) < 0)
		return -1;

	q = tbs.val;
	ql = tbs.vlen;
	if (tlv_next(&q, &ql, &f) < 0)
		return -1;
	out->version = 1;
	if (f.id == ID_VERSION) {
		/* DER omits the default v1; v2 is left to GnuTLS. */
		if (f.len != 5 || memcmp(f.val, "\x02\x01\x02", 3) != 0 ||
		    tlv_next(&q, &ql, &f) < 0)
			return -1;
		out->version = 3;
	}
	if (!serial_ok(&f))
		return -1;
	out->serial = f.val;
	out->serial_len = f.vlen;
	if (tlv_next(&q, &ql, &sig) < 0 || sig.len != alg.len ||
	    memcmp(sig.start, alg.start, alg.len) != 0)
		return -1;
	if (tlv_next(&q, &ql, &name) < 0 || !name_ok(&name))
		return -1;		/* issuer */
	if (tlv_expect(&q, &ql, ID_SEQUENCE, &val) < 0 ||
	    (p = val.val, left = val.vlen, time_read(&p, &left,
	    &out->not_before) < 0) || time_read(&p, &left,
	    &out->not_after) < 0 || left != 0)
		return -1;
	if (tlv_next(&q, &ql, &name) < 0 || !name_ok(&name))
		return -1;		/* subject */
	if (tlv_expect(&q, &ql, ID_SEQUENCE, &spki) < 0)
		return -1;
	p = spki.val;
	left = spki.vlen;
	if (tlv_next(&p, &left, &alg) < 0 || !alg_ok(&alg, &oid) ||
	    tlv_expect(&p, &left, ID_BIT_STRING, &key) < 0 || left != 0 ||
	    key.vlen < 2 || key.val[0] != 0)
		return -1;
	if (ql == 0)
		return 0;
	/* No unique identifiers: only [3] extensions, and only in v3. */
	if (out->version != 3 || tlv_expect(&q, &ql, ID_EXTENSIONS, &f) < 0 ||
	    ql != 0 || !extensions_ok(&f, out))
		return -1;
	return 0;
}

/*
 * The next GeneralName of an accepted subjectAltName; see x509der.h.
 */
int
x509der_san_next(const unsigned char **p, size_t *left, unsigned *tag,
    const unsigned char **v, size_t *vlen)
{
	struct tlv gn;

	if (*left == 0 || tlv_next(p, left, &gn) < 0)
		return 0;
	*tag = gn.id & 0x1f;
	*v = gn.val;
	*vlen = gn.vlen;
	return 1;
}

/*
 * The contents of the SEQUENCE that is the whole of v, not empty, in
 * *p and *left.  0, or -1.
 */
static int
whole_sequence(const unsigned char *v, size_t len, const unsigned char **p,
    size_t *left)
{
	struct tlv seq;

	if (tlv_expect(&v, &len, ID_SEQUENCE, &seq) < 0 || len != 0 ||
	    seq.vlen == 0)
		return -1;
	*p = seq.val;
	*left = seq.vlen;
	return 0;
}

/*
 * basicConstraints in DER's usual forms; see x509der.h.
 */
int
x509der_basic_constraints(const unsigned char *v, size_t len, int *ca,
    int *pathlen)
{
	const unsigned char *p = v;
	size_t left = len;
	struct tlv seq, t;
	int c = 0;

	if (tlv_expect(&p, &left, ID_SEQUENCE, &seq) < 0 || left != 0)
		return -1;
	p = seq.val;
	left = seq.vlen;
	*pathlen = -1;
	if (left > 0 && p[0] == ID_BOOLEAN) {
		if (tlv_next(&p, &left, &t) < 0 || t.vlen != 1 ||
		    t.val[0] != 0xff)
			return -1;
		c = 1;
	}
	if (left > 0) {
		if (tlv_expect(&p, &left, ID_INTEGER, &t) < 0 || t.vlen != 1 ||
		    (t.val[0] & 0x80) || left != 0)
			return -1;
		*pathlen = t.val[0];
	}
	*ca = c;
	return 0;
}

/*
 * extKeyUsage's purposes; see x509der.h.
 */
int
x509der_eku(const unsigned char *v, size_t len,
    void (*fn)(const char *oid, void *arg), void *arg)
{
	const unsigned char *p, *q;
	size_t left, ql, n = 0;
	struct tlv oid;
	char text[64];

	if (whole_sequence(v, len, &p, &left) < 0)
		return -1;
	for (q = p, ql = left; ql > 0; n++)
		if (n == EKU_MAX || tlv_next(&q, &ql, &oid) < 0 ||
		    !oid_ok(&oid) || oid_text(&oid, text, sizeof(text)) < 0)
			return -1;
	while (left > 0) {
		tlv_next(&p, &left, &oid);
		oid_text(&oid, text, sizeof(text));
		fn(text, arg);
	}
	return 0;
}

/* One AccessDescription with a URI; 0 or -1. */
static int
access_next(const unsigned char **p, size_t *left, struct tlv *method,
    struct tlv *uri)
{
	const unsigned char *q;
	size_t ql;
	struct tlv ad;

	if (tlv_expect(p, left, ID_SEQUENCE, &ad) < 0)
		return -1;
	q = ad.val;
	ql = ad.vlen;
	if (tlv_next(&q, &ql, method) < 0 || !oid_ok(method) ||
	    tlv_expect(&q, &ql, 0x86, uri) < 0 || ql != 0 || uri->vlen == 0 ||
	    uri->vlen > 255 || !is_printable(uri->val, uri->vlen))
		return -1;
	return 0;
}

/*
 * authorityInfoAccess's URIs; see x509der.h.
 */
int
x509der_aia(const unsigned char *v, size_t len,
    int (*fn)(int, const unsigned char *, size_t, void *), void *arg)
{
	const unsigned char *p, *q;
	size_t left, ql;
	struct tlv method, uri;

	if (whole_sequence(v, len, &p, &left) < 0)
		return -1;
	for (q = p, ql = left; ql > 0;)
		if (access_next(&q, &ql, &method, &uri) < 0)
			return -1;
	while (left > 0) {
		access_next(&p, &left, &method, &uri);
		if (fn(oid_is(&method, oid_ca_issuers, sizeof(oid_ca_issuers)),
		    uri.val, uri.vlen, arg) < 0)
			return -2;
	}
	return 0;
}

/*
 * subjectKeyIdentifier; see x509der.h.  GnuTLS refuses an empty one.
 */
int
x509der_ski(const unsigned char *v, size_t len, const unsigned char **id,
    size_t *idlen)
{
	struct tlv t;

	if (tlv_expect(&v, &len, ID_OCTET_STRING, &t) < 0 || len != 0 ||
	    t.vlen == 0)
		return -1;
	*id = t.val;
	*idlen = t.vlen;
	return 0;
}

/*
 * keyUsage; see x509der.h.  GnuTLS copies at most two octets and ORs
 * them together without looking at the unused-bits count, so with
 * those bits zero the two readings agree.
 */
int
x509der_key_usage(const unsigned char *v, size_t len, unsigned *ku)
{
	struct tlv t;
	unsigned unused;

	if (tlv_expect(&v, &len, ID_BIT_STRING, &t) < 0 || len != 0 ||
	    t.vlen < 2 || t.vlen > 3 || (unused = t.val[0]) > 7 ||
	    (t.val[t.vlen - 1] & ((1u << unused) - 1)) != 0)
		return -1;
	*ku = t.val[1] | (t.vlen == 3 ? (unsigned)t.val[2] << 8 : 0);
	return 0;
}

#define SCT_FIXED	(1 + 32 + 8 + 2 + 2 + 2)	/* up to the signature */

static unsigned
u16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/*
 * One SCT of the form x509der_scts reads, s of n octets: its timestamp
 * in seconds in *t.  0, or -1.
 */
static int
sct_read(const unsigned char *s, size_t n, time_t *t)
{
	const unsigned char *alg = s + 1 + 32 + 8 + 2;
	unsigned long long ms = 0;
	int i;

	if (n < SCT_FIXED + 1 || s[0] != 0 ||	/* v1 */
	    u16(s + 1 + 32 + 8) != 0 ||		/* no extensions */
	    alg[0] != 4 || (alg[1] != 1 && alg[1] != 3) ||
	    u16(alg + 2) != n - SCT_FIXED)
		return -1;
	for (i = 0; i < 8; i++)
		ms = ms << 8 | s[1 + 32 + i];
	*t = (time_t)(ms / 1000);
	return 0;
}

/*
 * A primitive OCTET STRING that is the whole of v, its length in the
 * short form or one or two octets of the long form, minimal or not:
 * GnuTLS reads the SCT list's string with asn1_decode_simple_der, which
 * takes any such length (and some CAs pad it to two octets).  0, or -1.
 */
static int
loose_octets(const unsigned char *v, size_t len, struct tlv *t)
{
	size_t hdr, l;

	if (len < 2 || v[0] != ID_OCTET_STRING)
		return -1;
	if (v[1] < 0x80) {
		hdr = 2;
		l = v[1];
	} else if (v[1] == 0x81 && len >= 3) {
		hdr = 3;
		l = v[2];
	} else if (v[1] == 0x82 && len >= 4) {
		hdr = 4;
		l = u16(v + 2);
	} else
		return -1;
	if (l != len - hdr)
		return -1;
	t->id = v[0];
	t->start = v;
	t->len = len;
	t->val = v + hdr;
	t->vlen = l;
	return 0;
}

/*
 * The SCT list's count and earliest timestamp; see x509der.h.  GnuTLS
 * stops quietly at a bad SCT length and reads version and trailing
 * octets loosely: all of that is left to it.
 */
int
x509der_scts(const unsigned char *v, size_t len, unsigned *n,
    time_t *earliest)
{
	const unsigned char *p;
	struct tlv t;
	size_t left, sl;
	unsigned count = 0;
	time_t ts, first = 0;

	if (loose_octets(v, len, &t) < 0 || t.vlen < 2 ||
	    u16(t.val) != t.vlen - 2)
		return -1;
	p = t.val + 2;
	left = t.vlen - 2;
	if (left == 0)
		return -1;
	while (left > 0) {
		if (left < 2 || (sl = u16(p)) > left - 2 ||
		    sct_read(p + 2, sl, &ts) < 0)
			return -1;
		if (count == 0 || ts < first)
			first = ts;
		count++;
		p += 2 + sl;
		left -= 2 + sl;
	}
	*n = count;
	*earliest = first;
	return 0;
}
