/*
 * revocation.c: CRLs and OCSP responses judged at the evaluation time;
 * see revocation.h.
 *
 * GnuTLS's own checks read the clock (a CRL's or a responder
 * certificate's validity against time(NULL)), and its CRL decoder takes
 * time quadratic in the entries, so CRLs are read here with a DER walk
 * (asn1.h) and every time is judged against now; GnuTLS is asked only
 * for signatures, OCSP parsing and certificate IDs.
 */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>
#include <libtasn1.h>

#include "asn1.h"
#include "revocation.h"

#define SERIAL_MAX	64		/* RFC 5280 4.1.2.2 allows 20 */
#define TLS_FEATURE_STATUS_REQUEST	5	/* RFC 6066 8 */
/* Signatures an audit must still be able to check. */
#define VERIFY_FLAGS	(GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | \
	GNUTLS_VERIFY_DISABLE_TIME_CHECKS | \
	GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS)

const char *
rev_status_name(enum rev_status s)
{
	static const char *const names[] = {
		[REV_NONE] = "none",
		[REV_GOOD] = "good",
		[REV_REVOKED] = "revoked",
		[REV_UNKNOWN] = "unknown",
		[REV_EXPIRED] = "expired",
		[REV_BAD] = "bad-response",
		[REV_ABSENT] = "absent",
		[REV_UNAVAILABLE] = "unavailable",
	};

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *
rev_reason_name(int reason)
{
	/* RFC 5280 5.3.1; 7 is unused. */
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise",
		"affiliationChanged", "superseded", "cessationOfOperation",
		"certificateHold", NULL, "removeFromCRL",
		"privilegeWithdrawn", "aACompromise",
	};

	if (reason < 0 || (size_t)reason >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[reason] != NULL ? names[reason] : "unspecified";
}

static void
result_init(struct rev_result *r)
{
	memset(r, 0, sizeof(*r));
	r->reason = -1;
}

/* A serial number without the leading zero octets of its encoding. */
static void
serial_trim(const unsigned char **p, size_t *len)
{
	while (*len > 1 && (*p)[0] == 0) {
		(*p)++;
		(*len)--;
	}
}

/* c's serial number into buf; its length, or 0. */
static size_t
cert_serial(const struct cert *c, unsigned char *buf, size_t len)
{
	size_t n = len;

	if (cert_crt(c) == NULL ||
	    gnutls_x509_crt_get_serial(cert_crt(c), buf, &n) < 0)
		return 0;
	return n;
}

static int
serial_equal(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	serial_trim(&a, &alen);
	serial_trim(&b, &blen);
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* ---- CRLs ------------------------------------------------------------ */

struct crl_entry {
	unsigned char	 serial[SERIAL_MAX];
	size_t		 len;
	time_t		 when;
	int		 reason;	/* -1: none given */
};

/*
 * A CRL's signature checked against one issuer certificate, remembered:
 * a scan meets thousands of leaves under a few issuers, and each would
 * otherwise verify the same CRL again.
 */
struct crl_seen {
	unsigned char	 cert[SHA256_LEN];	/* the issuer certificate */
	int		 ok;
	char		 words[ERRBUF_LEN];	/* why not, when not ok */
};

struct crl_memo {
	pthread_mutex_t	 lock;		/* guards what follows */
	struct crl_seen	*v;		/* owned */
	size_t		 n, cap;
};

struct crl {
	unsigned char	*der;		/* owned: the CertificateList */
	size_t		 len;
	char		*origin;	/* owned */
	struct crl_memo	*memo;		/* owned; written under its lock */
	/* Slices of der, borrowed from it. */
	const unsigned char *tbs;	/* tbsCertList, whole TLV */
	size_t		 tbs_len;
	const unsigned char *issuer;	/* the issuer Name TLV */
	size_t		 issuer_len;
	const unsigned char *sig;	/* the signatureValue bits */
	size_t		 sig_len;
	char		 sig_oid[64];
	int		 sig_algo;	/* gnutls_sign_algorithm_t, 0 unknown */
	const unsigned char *aki;	/* keyIdentifier, or NULL */
	size_t		 aki_len;
	int		 delta;		/* a delta CRL (RFC 5280 5.2.4) */
	int		 number;	/* cRLNumber: 0 absent, 1 present,
					   -1 marked critical (5.2.3) */
	char		 critical[64];	/* an unknown critical extension */
	time_t		 this_update;
	time_t		 next_update;	/* 0: none */
	struct crl_entry *v;		/* owned, sorted by serial */
	size_t		 n, cap;
};

struct crl_set {
	struct crl	**v;		/* owned array of owned */
	size_t		 n, cap;
};

struct crl_set *
crl_set_new(void)
{
	return calloc(1, sizeof(struct crl_set));
}

static void
crl_free(struct crl *c)
{
	if (c == NULL)
		return;
	if (c->memo != NULL) {
		pthread_mutex_destroy(&c->memo->lock);
		free(c->memo->v);
		free(c->memo);
	}
	free(c->der);
	free(c->origin);
	free(c->v);
	free(c);
}

void
crl_set_free(struct crl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		crl_free(s->v[i]);
	free(s->v);
	free(s);
}

size_t
crl_set_count(const struct crl_set *s)
{
	return s != NULL ? s->n : 0;
}

static int
tlv_is(const struct asn1_tlv *t, unsigned long tag)
{
	return (t->cls & (ASN1_CLASS_CONTEXT_SPECIFIC | ASN1_CLASS_APPLICATION |
	    ASN1_CLASS_PRIVATE)) == 0 && t->tag == tag;
}

static int
tlv_is_time(const struct asn1_tlv *t)
{
	return tlv_is(t, ASN1_TAG_UTCTime) ||
	    tlv_is(t, ASN1_TAG_GENERALIZEDTime);
}

/* n decimal digits at p, or -1. */
static int
digits(const unsigned char *p, int n)
{
	int v = 0;

	for (; n > 0; n--, p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/*
 * A UTCTime or GeneralizedTime in the form RFC 5280 4.1.2.5 requires
 * (seconds, "Z").  0, or -1 when it is not one.
 */
static int
der_time(const struct asn1_tlv *t, time_t *out)
{
	const unsigned char *p = t->val;
	long long days, era, yoe, doy, doe;
	int y, m, d, hh, mm, ss, ylen = tlv_is(t, ASN1_TAG_UTCTime) ? 2 : 4;

	if (t->vlen != (size_t)ylen + 11 || p[t->vlen - 1] != 'Z' ||
	    (y = digits(p, ylen)) < 0)
		return -1;
	if (ylen == 2)
		y += y < 50 ? 2000 : 1900;
	p += ylen;
	if ((m = digits(p, 2)) < 1 || m > 12 ||
	    (d = digits(p + 2, 2)) < 1 || d > 31 ||
	    (hh = digits(p + 4, 2)) < 0 || hh > 23 ||
	    (mm = digits(p + 6, 2)) < 0 || mm > 59 ||
	    (ss = digits(p + 8, 2)) < 0 || ss > 60)
		return -1;
	/*
	 * Days since 1970-01-01 of the civil date (H. Hinnant's
	 * days_from_civil): timegm per entry was a tenth of a large CRL's
	 * load.
	 */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	*out = (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss);
	return 0;
}

/* An extension's OID against the DER of a 2.5.29.n OID. */
static int
ext_is(const struct asn1_tlv *oid, unsigned char n)
{
	return oid->vlen == 3 && oid->val[0] == 0x55 && oid->val[1] == 0x1d &&
	    oid->val[2] == n;
}

/*
 * One Extension of exts at *p: its OID, criticality and the contents of
 * its extnValue.  0, or -1 when malformed.
 */
static int
ext_read(const unsigned char **p, size_t *left, struct asn1_tlv *oid,
    int *critical, struct asn1_tlv *value)
{
	struct asn1_tlv ext, f;
	const unsigned char *q;
	size_t qleft;

	if (asn1_tlv_read(*p, *left, &ext) < 0 ||
	    !tlv_is(&ext, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(ext.val, ext.vlen, oid) < 0 ||
	    !tlv_is(oid, ASN1_TAG_OBJECT_ID))
		return -1;
	q = ext.val + oid->len;
	qleft = ext.vlen - oid->len;
	*critical = 0;
	if (asn1_tlv_read(q, qleft, &f) < 0)
		return -1;
	if (tlv_is(&f, ASN1_TAG_BOOLEAN)) {
		*critical = f.vlen == 1 && f.val[0] != 0;
		q += f.len;
		qleft -= f.len;
		if (asn1_tlv_read(q, qleft, &f) < 0)
			return -1;
	}
	if (!tlv_is(&f, ASN1_TAG_OCTET_STRING) || f.len != qleft)
		return -1;
	*value = f;
	*p += ext.len;
	*left -= ext.len;
	return 0;
}

/* The reasonCode (2.5.29.21) of an entry's crlEntryExtensions, or -1. */
static int
entry_reason(const unsigned char *p, size_t left)
{
	struct asn1_tlv oid, value, v;
	int critical;

	while (left > 0) {
		if (ext_read(&p, &left, &oid, &critical, &value) < 0)
			return -1;
		if (!ext_is(&oid, 21))
			continue;
		if (asn1_tlv_read(value.val, value.vlen, &v) < 0 ||
		    !tlv_is(&v, ASN1_TAG_ENUMERATED) || v.vlen != 1)
			return -1;
		return v.val[0];
	}
	return -1;
}

/*
 * The crlExtensions ([0] EXPLICIT Extensions): the authority key
 * identifier, whether it is a delta CRL, and the first critical one
 * this code does not know (RFC 5280 5.2: such a CRL must not be used).
 */
static int
crl_extensions(struct crl *c, const struct asn1_tlv *wrap)
{
	struct asn1_tlv seq, oid, value;
	const unsigned char *p, *id;
	size_t left, idlen;
	int critical;

	if (asn1_tlv_read(wrap->val, wrap->vlen, &seq) < 0 ||
	    !tlv_is(&seq, ASN1_TAG_SEQUENCE))
		return -1;
	for (p = seq.val, left = seq.vlen; left > 0; ) {
		if (ext_read(&p, &left, &oid, &critical, &value) < 0)
			return -1;
		if (ext_is(&oid, 35)) {		/* authorityKeyIdentifier */
			if (asn1_aki_keyid_only(value.val, value.vlen, &id,
			    &idlen) == 1) {
				c->aki = id;
				c->aki_len = idlen;
			}
		} else if (ext_is(&oid, 27))	/* deltaCRLIndicator */
			c->delta = 1;
		else if (ext_is(&oid, 20))	/* cRLNumber */
			c->number = critical ? -1 : 1;
		else if (critical && !ext_is(&oid, 28) &&
		    c->critical[0] == '\0' &&
		    asn1_oid_read(&oid, c->critical, sizeof(c->critical)) < 0)
			snprintf(c->critical, sizeof(c->critical), "?");
	}
	return 0;
}

/* The revokedCertificates of c at list.  0, or -1 when malformed. */
static int
crl_entries(struct crl *c, const struct asn1_tlv *list)
{
	struct asn1_tlv ent, serial, date, exts;
	struct crl_entry *e;
	const unsigned char *p;
	size_t left;
	time_t when;

	for (p = list->val, left = list->vlen; left > 0; p += ent.len,
	    left -= ent.len) {
		if (asn1_tlv_read(p, left, &ent) < 0 ||
		    !tlv_is(&ent, ASN1_TAG_SEQUENCE) ||
		    asn1_tlv_read(ent.val, ent.vlen, &serial) < 0 ||
		    !tlv_is(&serial, ASN1_TAG_INTEGER) ||
		    serial.vlen == 0 || serial.vlen > SERIAL_MAX ||
		    asn1_tlv_read(serial.start + serial.len, ent.vlen -
		    serial.len, &date) < 0 || !tlv_is_time(&date) ||
		    der_time(&date, &when) < 0)
			return -1;
		if (array_reserve(&c->v, &c->cap, c->n + 1, sizeof(*c->v)) < 0)
			return -1;
		e = &c->v[c->n++];
		memcpy(e->serial, serial.val, serial.vlen);
		e->len = serial.vlen;
		e->when = when;
		e->reason = -1;
		if (serial.len + date.len < ent.vlen &&
		    asn1_tlv_read(date.start + date.len, ent.vlen - serial.len -
		    date.len, &exts) == 0 && tlv_is(&exts, ASN1_TAG_SEQUENCE))
			e->reason = entry_reason(exts.val, exts.vlen);
	}
	return 0;
}

/* Serials as numbers: shorter first, then by their octets. */
static int
serial_cmp(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	serial_trim(&a, &alen);
	serial_trim(&b, &blen);
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct crl_entry *a = x, *b = y;

	return serial_cmp(a->serial, a->len, b->serial, b->len);
}

/*
 * Parse c->der, a CertificateList (RFC 5280 5.1), into c.  Read here in
 * one pass rather than by GnuTLS, whose decoder takes time quadratic in
 * the number of entries (a CA's 200,000-entry CRL took minutes).  0, or
 * -1 with the reason in err.
 */
static int
crl_parse(struct crl *c, char *err, size_t errlen)
{
	struct asn1_tlv cl, tbs, alg, oid, bits, f[8];
	const unsigned char *p;
	size_t left, nf = 0, i = 0;

	if (asn1_tlv_read(c->der, c->len, &cl) < 0 || cl.len != c->len ||
	    !tlv_is(&cl, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(cl.val, cl.vlen, &tbs) < 0 ||
	    !tlv_is(&tbs, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(tbs.start + tbs.len, cl.vlen - tbs.len, &alg) < 0 ||
	    !tlv_is(&alg, ASN1_TAG_SEQUENCE) ||
	    asn1_tlv_read(alg.val, alg.vlen, &oid) < 0 ||
	    asn1_oid_read(&oid, c->sig_oid, sizeof(c->sig_oid)) < 0 ||
	    asn1_tlv_read(alg.start + alg.len, cl.vlen - tbs.len - alg.len,
	    &bits) < 0 || !tlv_is(&bits, ASN1_TAG_BIT_STRING) ||
	    bits.vlen < 1 || bits.val[0] != 0) {
		set_err(err, errlen, "not a CRL (DER or PEM)");
		return -1;
	}
	c->tbs = tbs.start;
	c->tbs_len = tbs.len;
	c->sig = bits.val + 1;
	c->sig_len = bits.vlen - 1;
	c->sig_algo = gnutls_oid_to_sign(c->sig_oid);
	for (p = tbs.val, left = tbs.vlen; left > 0 && nf < 8; nf++) {
		if (asn1_tlv_read(p, left, &f[nf]) < 0)
			goto bad;
		p += f[nf].len;
		left -= f[nf].len;
	}
	/* version?, signature, issuer, thisUpdate, nextUpdate?, list?, [0]? */
	if (left > 0 || nf < 3)
		goto bad;
	if (tlv_is(&f[0], ASN1_TAG_INTEGER))
		i++;
	if (i + 2 >= nf || !tlv_is(&f[i + 1], ASN1_TAG_SEQUENCE) ||
	    !tlv_is_time(&f[i + 2]) || der_time(&f[i + 2],
	    &c->this_update) < 0)
		goto bad;
	c->issuer = f[i + 1].start;
	c->issuer_len = f[i + 1].len;
	i += 3;
	if (i < nf && tlv_is_time(&f[i]) && der_time(&f[i++],
	    &c->next_update) < 0)
		goto bad;
	if (i < nf && tlv_is(&f[i], ASN1_TAG_SEQUENCE) &&
	    crl_entries(c, &f[i++]) < 0) {
		set_err(err, errlen, "revoked certificate #%zu does not parse",
		    c->n + 1);
		return -1;
	}
	if (i < nf && (f[i].cls & ASN1_CLASS_CONTEXT_SPECIFIC) &&
	    f[i].tag == 0 && crl_extensions(c, &f[i++]) < 0) {
		set_err(err, errlen, "its extensions do not parse");
		return -1;
	}
	if (i != nf)
		goto bad;
	if (c->n > 1)	/* an empty CRL has no array to sort */
		qsort(c->v, c->n, sizeof(*c->v), entry_cmp);
	return 0;
bad:
	set_err(err, errlen, "not a CRL: its tbsCertList does not parse");
	return -1;
}

/* A CRL of der (copied) named origin, added to s.  0 or -1. */
static int
crl_add_one(struct crl_set *s, const unsigned char *der, size_t len,
    const char *origin, char *err, size_t errlen)
{
	struct crl *c;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->der = malloc(len > 0 ? len : 1)) == NULL ||
	    (c->origin = strdup(origin)) == NULL ||
	    (c->memo = calloc(1, sizeof(*c->memo))) == NULL) {
		set_err(err, errlen, "out of memory");
		goto fail;
	}
	if (pthread_mutex_init(&c->memo->lock, NULL) != 0) {
		free(c->memo);
		c->memo = NULL;
		set_err(err, errlen, "out of memory");
		goto fail;
	}
	memcpy(c->der, der, len);
	c->len = len;
	if (crl_parse(c, err, errlen) < 0)
		goto fail;
	if (array_reserve(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0) {
		set_err(err, errlen, "out of memory");
		goto fail;
	}
	s->v[s->n++] = c;
	return 0;
fail:
	crl_free(c);
	return -1;
}

#define PEM_BEGIN	"-----BEGIN X509 CRL-----"
#define PEM_END		"-----END X509 CRL-----"

/*
 * Add the CRLs of buf; see revocation.h.
 */
int
crl_set_add(struct crl_set *s, const unsigned char *buf, size_t len,
    const char *origin, char *err, size_t errlen)
{
	const unsigned char *p, *end;
	gnutls_datum_t in, der = { NULL, 0 };
	char *name = NULL;
	size_t before = s->n, k = 0, npem = 0;
	int r, ret = -1;

	if ((p = memmem(buf, len, PEM_BEGIN, sizeof(PEM_BEGIN) - 1)) == NULL)
		return crl_add_one(s, buf, len, origin, err, errlen);
	for (end = p; (end = memmem(end, len - (size_t)(end - buf), PEM_BEGIN,
	    sizeof(PEM_BEGIN) - 1)) != NULL; end++)
		npem++;
	for (; p != NULL; p = memmem(p, len - (size_t)(p - buf), PEM_BEGIN,
	    sizeof(PEM_BEGIN) - 1)) {
		k++;
		if ((end = memmem(p, len - (size_t)(p - buf), PEM_END,
		    sizeof(PEM_END) - 1)) == NULL) {
			set_err(err, errlen, "PEM block #%zu has no end line",
			    k);
			goto out;
		}
		end += sizeof(PEM_END) - 1;
		in.data = (unsigned char *)p;
		in.size = (unsigned)(end - p);
		if ((r = gnutls_pem_base64_decode2("X509 CRL", &in,
		    &der)) < 0) {
			set_err(err, errlen, "PEM block #%zu: %s", k,
			    gnutls_strerror(r));
			goto out;
		}
		if (npem > 1 ? asprintf(&name, "%s#%zu", origin, k) < 0 :
		    (name = strdup(origin)) == NULL) {
			name = NULL;
			set_err(err, errlen, "out of memory");
			goto out;
		}
		if (crl_add_one(s, der.data, der.size, name, err, errlen) < 0)
			goto out;
		gnutls_free(der.data);
		der.data = NULL;
		free(name);
		name = NULL;
		p = end;
	}
	ret = 0;
out:
	gnutls_free(der.data);
	free(name);
	if (ret < 0)
		while (s->n > before)
			crl_free(s->v[--s->n]);
	return ret;
}

/* 1 when crl is issued under issuer's name and (when both say) key. */
static int
crl_is_of(const struct crl *crl, const struct cert *c,
    const struct cert *issuer)
{
	if (crl->issuer_len != c->raw_issuer.size ||
	    memcmp(crl->issuer, c->raw_issuer.data, crl->issuer_len) != 0)
		return 0;
	if (crl->aki_len > 0 && issuer->ski_len > 0 &&
	    (crl->aki_len != issuer->ski_len ||
	    memcmp(crl->aki, issuer->ski, crl->aki_len) != 0))
		return 0;
	return 1;
}

/* GnuTLS's words for a verification status, into buf. */
static void
verify_words(unsigned status, char *buf, size_t len)
{
	gnutls_datum_t out = { NULL, 0 };
	static const char noise[] = "The certificate is NOT trusted. ";
	const char *p;
	size_t n;

	if (gnutls_certificate_verification_status_print(status,
	    GNUTLS_CRT_X509, &out, 0) < 0 || out.data == NULL)
		snprintf(buf, len, "status 0x%x", status);
	else {
		p = (const char *)out.data;
		if (strncmp(p, noise, sizeof(noise) - 1) == 0)
			p += sizeof(noise) - 1;
		snprintf(buf, len, "%s", p);
	}
	gnutls_free(out.data);
	for (n = strlen(buf); n > 0 && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
}

static const char *
day(time_t t, char *buf, size_t len)
{
	time_format_iso8601(t, buf, len);
	return buf;
}

/* Whether crl can be used with issuer's key; why not into words. */
static int
crl_verify(const struct crl *crl, const struct cert *issuer, char *words,
    size_t len)
{
	gnutls_pubkey_t key = cert_pubkey(issuer);
	gnutls_datum_t tbs, sig;
	const char *name;
	int rc;

	if (crl->delta) {
		snprintf(words, len, "it is a delta CRL, which is not used");
		return 0;
	}
	if (crl->critical[0] != '\0') {
		snprintf(words, len, "it has a critical extension (%s) that is "
		    "not understood", crl->critical);
		return 0;
	}
	/*
	 * RFC 5280 5.2.3: every CRL a conforming issuer makes carries a
	 * non-critical cRLNumber; without one a client cannot tell which
	 * of two CRLs is the newer, so this one is not believed.
	 */
	if (crl->number == 0) {
		snprintf(words, len, "it has no cRLNumber (RFC 5280 5.2.3)");
		return 0;
	}
	if (crl->number < 0) {
		snprintf(words, len, "its cRLNumber is marked critical (RFC "
		    "5280 5.2.3)");
		return 0;
	}
	if (issuer->ku_present && !(issuer->key_usage & GNUTLS_KEY_CRL_SIGN)) {
		snprintf(words, len, "the issuer's keyUsage does not allow "
		    "cRLSign");
		return 0;
	}
	if (crl->sig_algo == GNUTLS_SIGN_UNKNOWN) {
		snprintf(words, len, "its signature algorithm %s is not "
		    "supported", crl->sig_oid);
		return 0;
	}
	if (key == NULL) {
		snprintf(words, len, "the issuer's key cannot be used");
		return 0;
	}
	tbs.data = (unsigned char *)crl->tbs;
	tbs.size = (unsigned)crl->tbs_len;
	sig.data = (unsigned char *)crl->sig;
	sig.size = (unsigned)crl->sig_len;
	rc = gnutls_pubkey_verify_data2(key,
	    (gnutls_sign_algorithm_t)crl->sig_algo,
	    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &tbs, &sig);
	if (rc >= 0)
		return 1;
	name = gnutls_sign_get_name((gnutls_sign_algorithm_t)crl->sig_algo);
	snprintf(words, len, "its signature (%s) does not verify with the key "
	    "of the issuer on the path%s%s", name != NULL ? name : crl->sig_oid,
	    rc == GNUTLS_E_PK_SIG_VERIFY_FAILED ? "" : ": ",
	    rc == GNUTLS_E_PK_SIG_VERIFY_FAILED ? "" : gnutls_strerror(rc));
	return 0;
}

/*
 * 1 when crl can be used with issuer, 0 with why in words.  Asked once
 * per CRL and issuer certificate.
 */
static int
crl_verified(const struct crl *crl, const struct cert *issuer, char *words,
    size_t len)
{
	struct crl_memo *m = crl->memo;
	struct crl_seen seen;
	size_t i;
	int ok;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->n; i++)
		if (memcmp(m->v[i].cert, issuer->sha256, SHA256_LEN) == 0) {
			snprintf(words, len, "%s", m->v[i].words);
			ok = m->v[i].ok;
			pthread_mutex_unlock(&m->lock);
			return ok;
		}
	pthread_mutex_unlock(&m->lock);

	memset(&seen, 0, sizeof(seen));
	memcpy(seen.cert, issuer->sha256, SHA256_LEN);
	seen.ok = crl_verify(crl, issuer, seen.words, sizeof(seen.words));
	snprintf(words, len, "%s", seen.words);
	/* Without memory it is only asked again next time. */
	pthread_mutex_lock(&m->lock);
	if (array_reserve(&m->v, &m->cap, m->n + 1, sizeof(*m->v)) == 0)
		m->v[m->n++] = seen;
	pthread_mutex_unlock(&m->lock);
	return seen.ok;
}

/* What one CRL says about c at now, into r. */
static void
crl_one(const struct crl *crl, const struct cert *c,
    const struct cert *issuer, time_t now, struct rev_result *r)
{
	unsigned char serial[SERIAL_MAX];
	char words[ERRBUF_LEN], when[32];
	size_t i, lo, hi, slen;

	result_init(r);
	r->origin = crl->origin;
	r->this_update = crl->this_update;
	r->next_update = crl->next_update;
	if (!crl_verified(crl, issuer, words, sizeof(words))) {
		r->status = REV_BAD;
		snprintf(r->why, sizeof(r->why), "%s", words);
		return;
	}
	if (crl->this_update > now) {
		r->status = REV_EXPIRED;
		snprintf(r->why, sizeof(r->why), "not valid until its "
		    "thisUpdate %s", day(crl->this_update, when,
		    sizeof(when)));
		return;
	}
	slen = cert_serial(c, serial, sizeof(serial));
	/* The first entry not below the serial, then its equals. */
	for (lo = 0, hi = crl->n; lo < hi; ) {
		i = lo + (hi - lo) / 2;
		if (serial_cmp(crl->v[i].serial, crl->v[i].len, serial,
		    slen) < 0)
			lo = i + 1;
		else
			hi = i;
	}
	for (i = lo; i < crl->n && slen > 0 && serial_equal(serial, slen,
	    crl->v[i].serial, crl->v[i].len); i++) {
		if (crl->v[i].when > now)
			continue;
		r->status = REV_REVOKED;
		r->revoked_at = crl->v[i].when;
		r->reason = crl->v[i].reason;
		return;
	}
	if (crl->next_update != 0 && crl->next_update < now) {
		r->status = REV_EXPIRED;
		snprintf(r->why, sizeof(r->why), "stale: its nextUpdate %s "
		    "is past", day(crl->next_update, when, sizeof(when)));
		return;
	}
	r->status = REV_GOOD;
}

/* How much an answer settles: revoked, then good, stale, unusable. */
static int
rank(enum rev_status s)
{
	switch (s) {
	case REV_REVOKED:
		return 4;
	case REV_GOOD:
		return 3;
	case REV_EXPIRED:
		return 2;
	case REV_BAD:
		return 1;
	default:
		return 0;
	}
}

/*
 * What the CRLs say about c; see revocation.h.
 */
void
crl_check(const struct crl_set *s, const struct cert *c,
    const struct cert *issuer, time_t now, struct rev_result *out)
{
	struct rev_result r;
	size_t i;

	result_init(out);
	if (s == NULL || issuer == NULL || cert_crt(issuer) == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		if (!crl_is_of(s->v[i], c, issuer))
			continue;
		crl_one(s->v[i], c, issuer, now, &r);
		if (rank(r.status) > rank(out->status))
			*out = r;
	}
}

/* ---- OCSP ------------------------------------------------------------ */

static const char *
resp_status_name(int s)
{
	switch (s) {
	case GNUTLS_OCSP_RESP_MALFORMEDREQUEST:
		return "malformedRequest";
	case GNUTLS_OCSP_RESP_INTERNALERROR:
		return "internalError";
	case GNUTLS_OCSP_RESP_TRYLATER:
		return "tryLater";
	case GNUTLS_OCSP_RESP_SIGREQUIRED:
		return "sigRequired";
	case GNUTLS_OCSP_RESP_UNAUTHORIZED:
		return "unauthorized";
	default:
		return "an unknown status";
	}
}

/* The certificate ID of leaf under digest into the three datums. */
static int
cert_id(const struct cert *leaf, const struct cert *issuer,
    gnutls_digest_algorithm_t digest, gnutls_datum_t *name_hash,
    gnutls_datum_t *key_hash, gnutls_datum_t *serial)
{
	gnutls_ocsp_req_t req = NULL;
	gnutls_digest_algorithm_t d;
	int ret = -1;

	if (gnutls_ocsp_req_init(&req) < 0)
		return -1;
	if (gnutls_ocsp_req_add_cert(req, digest, cert_crt(issuer),
	    cert_crt(leaf)) < 0 ||
	    gnutls_ocsp_req_get_cert_id(req, 0, &d, name_hash, key_hash,
	    serial) < 0)
		goto out;
	ret = 0;
out:
	gnutls_ocsp_req_deinit(req);
	return ret;
}

static int
datum_equal(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* 1 when the response's single response is about leaf. */
static int
single_is_about(gnutls_digest_algorithm_t digest, const gnutls_datum_t *nh,
    const gnutls_datum_t *kh, const gnutls_datum_t *sn,
    const struct cert *leaf, const struct cert *issuer)
{
	gnutls_datum_t mnh = { NULL, 0 }, mkh = { NULL, 0 },
	    msn = { NULL, 0 };
	int ok = 0;

	if (cert_id(leaf, issuer, digest, &mnh, &mkh, &msn) == 0)
		ok = datum_equal(nh, &mnh) && datum_equal(kh, &mkh) &&
		    serial_equal(sn->data, sn->size, msn.data, msn.size);
	gnutls_free(mnh.data);
	gnutls_free(mkh.data);
	gnutls_free(msn.data);
	return ok;
}

/* 1 when the signature of the response verifies with key. */
static int
resp_signed_by(gnutls_pubkey_t key, int sigalg, const gnutls_datum_t *tbs,
    const gnutls_datum_t *sig)
{
	return key != NULL && gnutls_pubkey_verify_data2(key,
	    (gnutls_sign_algorithm_t)sigalg, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1,
	    tbs, sig) >= 0;
}

static int
crt_signed_by(gnutls_x509_crt_t crt, int sigalg, const gnutls_datum_t *tbs,
    const gnutls_datum_t *sig)
{
	gnutls_pubkey_t key = NULL;
	int ok = 0;

	if (gnutls_pubkey_init(&key) < 0)
		return 0;
	if (gnutls_pubkey_import_x509(key, crt, 0) >= 0)
		ok = resp_signed_by(key, sigalg, tbs, sig);
	gnutls_pubkey_deinit(key);
	return ok;
}

/* 1 when crt lists id-kp-OCSPSigning (RFC 6960 4.2.2.2). */
static int
crt_is_ocsp_signer(gnutls_x509_crt_t crt)
{
	char oid[128];
	size_t len;
	unsigned i;

	for (i = 0; ; i++) {
		len = sizeof(oid);
		if (gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &len,
		    NULL) < 0)
			return 0;
		if (strcmp(oid, GNUTLS_KP_OCSP_SIGNING) == 0)
			return 1;
	}
}

/*
 * A delegated responder certificate that signed the response: issued by
 * issuer, for OCSP signing, valid at now.  0, or -1 with why.
 */
static int
delegate_ok(gnutls_x509_crt_t d, const struct cert *issuer, time_t now,
    char *why, size_t len)
{
	gnutls_x509_crt_t ca = cert_crt(issuer);
	char when[32], words[128];
	unsigned status = 0;
	time_t t;

	if (gnutls_x509_crt_verify(d, &ca, 1, VERIFY_FLAGS, &status) < 0 ||
	    status != 0) {
		verify_words(status, words, sizeof(words));
		snprintf(why, len, "signed by a responder certificate the "
		    "issuer did not issue (%s)", words);
		return -1;
	}
	if (!crt_is_ocsp_signer(d)) {
		snprintf(why, len, "signed by a responder certificate "
		    "without the OCSP-signing extended key usage");
		return -1;
	}
	if ((t = gnutls_x509_crt_get_expiration_time(d)) < now) {
		snprintf(why, len, "signed by a responder certificate that "
		    "expired at %s", day(t, when, sizeof(when)));
		return -1;
	}
	if ((t = gnutls_x509_crt_get_activation_time(d)) > now) {
		snprintf(why, len, "signed by a responder certificate not "
		    "valid before %s", day(t, when, sizeof(when)));
		return -1;
	}
	return 0;
}

/*
 * Who signed resp: the issuer, or a certificate the response holds that
 * the issuer delegated.  0, or -1 with why.
 */
static int
resp_verify_signer(gnutls_ocsp_resp_t resp, const struct cert *issuer,
    time_t now, char *why, size_t len)
{
	gnutls_datum_t oid = { NULL, 0 }, basic = { NULL, 0 },
	    sig = { NULL, 0 }, tbs;
	gnutls_x509_crt_t *certs = NULL;
	const unsigned char *t;
	size_t tlen, n = 0, i;
	int sigalg, ret = -1, found = 0;

	snprintf(why, len, "cannot read its signature");
	if ((sigalg = gnutls_ocsp_resp_get_signature_algorithm(resp)) < 0 ||
	    gnutls_ocsp_resp_get_signature(resp, &sig) < 0 ||
	    gnutls_ocsp_resp_get_response(resp, &oid, &basic) < 0 ||
	    asn1_cert_tbs(basic.data, basic.size, &t, &tlen) < 0)
		goto out;
	tbs.data = (unsigned char *)t;
	tbs.size = (unsigned)tlen;
	if (resp_signed_by(cert_pubkey(issuer), sigalg, &tbs, &sig)) {
		ret = 0;
		goto out;
	}
	if (gnutls_ocsp_resp_get_certs(resp, &certs, &n) < 0)
		n = 0;
	for (i = 0; i < n && !found; i++) {
		if (!crt_signed_by(certs[i], sigalg, &tbs, &sig))
			continue;
		found = 1;
		ret = delegate_ok(certs[i], issuer, now, why, len);
	}
	if (!found)
		snprintf(why, len, "its signature verifies neither with the "
		    "issuer's key nor with a responder certificate it holds "
		    "(%s)", gnutls_sign_get_name(sigalg) != NULL ?
		    gnutls_sign_get_name(sigalg) : "unknown algorithm");
out:
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(certs[i]);
	gnutls_free(certs);
	gnutls_free(oid.data);
	gnutls_free(basic.data);
	gnutls_free(sig.data);
	return ret;
}

/*
 * Find the single response about leaf in resp and read it into r;
 * 0, or -1 (r->why says why) when there is none.
 */
static int
resp_single(gnutls_ocsp_resp_t resp, const struct cert *leaf,
    const struct cert *issuer, struct rev_result *r, unsigned *cert_status)
{
	gnutls_digest_algorithm_t digest;
	gnutls_datum_t nh, kh, sn;
	char hex[2 * SERIAL_MAX + 1];
	unsigned status, reason, i;
	time_t tu, nu, rt;
	int rc, found = 0;

	hex[0] = '\0';
	for (i = 0; !found; i++) {
		memset(&nh, 0, sizeof(nh));
		memset(&kh, 0, sizeof(kh));
		memset(&sn, 0, sizeof(sn));
		rc = gnutls_ocsp_resp_get_single(resp, i, &digest, &nh, &kh,
		    &sn, &status, &tu, &nu, &rt, &reason);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0) {
			snprintf(r->why, sizeof(r->why), "its response #%u "
			    "does not parse: %s", i + 1, gnutls_strerror(rc));
			return -1;
		}
		if (single_is_about(digest, &nh, &kh, &sn, leaf, issuer)) {
			found = 1;
			*cert_status = status;
			r->this_update = tu;
			r->next_update = nu == (time_t)-1 ? 0 : nu;
			r->revoked_at = rt == (time_t)-1 ? 0 : rt;
			r->reason = status == GNUTLS_OCSP_CERT_REVOKED ?
			    (int)reason : -1;
		} else if (i == 0 && sn.size <= SERIAL_MAX)
			hex_encode(sn.data, sn.size, hex);
		gnutls_free(nh.data);
		gnutls_free(kh.data);
		gnutls_free(sn.data);
	}
	if (!found) {
		snprintf(r->why, sizeof(r->why), "it is about another "
		    "certificate%s%s%s", hex[0] != '\0' ? " (serial " : "",
		    hex, hex[0] != '\0' ? ")" : "");
		return -1;
	}
	return 0;
}

/*
 * Judge an OCSP response; see revocation.h.
 */
void
ocsp_check(const unsigned char *der, size_t len, const struct cert *leaf,
    const struct cert *issuer, time_t now, struct rev_result *out)
{
	gnutls_ocsp_resp_t resp = NULL;
	gnutls_datum_t d;
	char when[32];
	unsigned cert_status = 0;
	int rc;

	result_init(out);
	out->status = REV_BAD;
	if (issuer == NULL || cert_crt(issuer) == NULL ||
	    cert_crt(leaf) == NULL) {
		snprintf(out->why, sizeof(out->why), "the leaf's issuer is "
		    "not known, so the response cannot be verified");
		return;
	}
	d.data = (unsigned char *)der;
	d.size = len > UINT32_MAX ? UINT32_MAX : (unsigned)len;
	if (gnutls_ocsp_resp_init(&resp) < 0) {
		snprintf(out->why, sizeof(out->why), "out of memory");
		return;
	}
	if ((rc = gnutls_ocsp_resp_import2(resp, &d,
	    GNUTLS_X509_FMT_DER)) < 0) {
		snprintf(out->why, sizeof(out->why), "it does not parse as an "
		    "OCSP response (%s)", gnutls_strerror(rc));
		goto out;
	}
	if ((rc = gnutls_ocsp_resp_get_status(resp)) !=
	    GNUTLS_OCSP_RESP_SUCCESSFUL) {
		snprintf(out->why, sizeof(out->why), "the responder answered "
		    "%s", rc < 0 ? gnutls_strerror(rc) : resp_status_name(rc));
		goto out;
	}
	if (resp_single(resp, leaf, issuer, out, &cert_status) < 0 ||
	    resp_verify_signer(resp, issuer, now, out->why,
	    sizeof(out->why)) < 0)
		goto out;
	out->why[0] = '\0';
	if (out->this_update > now) {
		out->status = REV_EXPIRED;
		snprintf(out->why, sizeof(out->why), "not valid until its "
		    "thisUpdate %s", day(out->this_update, when,
		    sizeof(when)));
		goto out;
	}
	if (cert_status == GNUTLS_OCSP_CERT_REVOKED &&
	    out->revoked_at <= now) {
		out->status = REV_REVOKED;
		goto out;
	}
	if (out->next_update != 0 && out->next_update < now) {
		out->status = REV_EXPIRED;
		snprintf(out->why, sizeof(out->why), "expired: its nextUpdate "
		    "%s is past", day(out->next_update, when, sizeof(when)));
		goto out;
	}
	out->status = cert_status == GNUTLS_OCSP_CERT_UNKNOWN ? REV_UNKNOWN :
	    REV_GOOD;
	out->reason = -1;
out:
	gnutls_ocsp_resp_deinit(resp);
}

/*
 * An OCSP request for leaf; see revocation.h.
 */
int
ocsp_request(const struct cert *leaf, const struct cert *issuer,
    unsigned char **der, size_t *len)
{
	gnutls_ocsp_req_t req = NULL;
	gnutls_datum_t d = { NULL, 0 };
	int ret = -1;

	if (issuer == NULL || cert_crt(issuer) == NULL ||
	    cert_crt(leaf) == NULL ||
	    gnutls_ocsp_req_init(&req) < 0)
		return -1;
	if (gnutls_ocsp_req_add_cert(req, GNUTLS_DIG_SHA1, cert_crt(issuer),
	    cert_crt(leaf)) < 0 || gnutls_ocsp_req_export(req, &d) < 0)
		goto out;
	if ((*der = malloc(d.size > 0 ? d.size : 1)) == NULL)
		goto out;
	memcpy(*der, d.data, d.size);
	*len = d.size;
	ret = 0;
out:
	gnutls_free(d.data);
	gnutls_ocsp_req_deinit(req);
	return ret;
}

/*
 * The OCSP URL of c; see revocation.h.
 */
char *
ocsp_url(const struct cert *c)
{
	gnutls_datum_t d;
	char *found = NULL;
	unsigned seq;
	int r;

	if (cert_crt(c) == NULL)
		return NULL;
	for (seq = 0; ; seq++) {
		memset(&d, 0, sizeof(d));
		r = gnutls_x509_crt_get_authority_info_access(cert_crt(c), seq,
		    GNUTLS_IA_ACCESSMETHOD_OID, &d, NULL);
		if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE || r < 0)
			break;
		r = strcmp((const char *)d.data, GNUTLS_OID_AD_OCSP);
		gnutls_free(d.data);
		if (r != 0)
			continue;
		memset(&d, 0, sizeof(d));
		if (gnutls_x509_crt_get_authority_info_access(cert_crt(c), seq,
		    GNUTLS_IA_URI, &d, NULL) < 0)
			continue;
		if (found == NULL || (strncasecmp(found, "http://", 7) != 0 &&
		    strncasecmp((const char *)d.data, "http://", 7) == 0)) {
			free(found);
			found = strndup((const char *)d.data, d.size);
		}
		gnutls_free(d.data);
	}
	return found;
}

/*
 * Must-staple; see revocation.h.
 */
int
cert_is_must_staple(const struct cert *c)
{
	gnutls_x509_tlsfeatures_t f = NULL;
	unsigned i, feature, critical;
	int yes = 0;

	if (cert_crt(c) == NULL || gnutls_x509_tlsfeatures_init(&f) < 0)
		return 0;
	if (gnutls_x509_crt_get_tlsfeatures(cert_crt(c), f, 0, &critical) >= 0)
		for (i = 0; gnutls_x509_tlsfeatures_get(f, i, &feature) >= 0;
		    i++)
			if (feature == TLS_FEATURE_STATUS_REQUEST)
				yes = 1;
	gnutls_x509_tlsfeatures_deinit(f);
	return yes;
}
