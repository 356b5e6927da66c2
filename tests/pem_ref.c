/*
 * pem_ref.c: the PEM decoder as it was before issue 16 made it fast
 * (src/pem.c at commit 52bdc46, line by line, one character at a time,
 * the whole text hashed for the run cache), kept unchanged but for its
 * names as the oracle of the differential tests: test_pem.c and the pem
 * fuzz target decode every input with both and require the same lists.
 * Not part of the program.
 */
#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>

#include "asn1.h"
#include "pem.h"
#include "pem_ref.h"
#include "util.h"

#define DER_SEQUENCE	0x30
#define DER_OID		0x06

#define PEM_BEGIN	"-----BEGIN "
#define PEM_END		"-----END"
#define PEM_DASHES	"-----"

enum block_kind {
	BLOCK_OTHER = 0,	/* keys, CRLs, anything else: skipped */
	BLOCK_CERT,		/* one DER Certificate */
	BLOCK_TRUSTED,		/* OpenSSL: Certificate then aux data */
	BLOCK_PKCS7,		/* DER PKCS#7 SignedData */
};

static const struct {
	const char	*label;
	enum block_kind	 kind;
} block_labels[] = {
	{ "CERTIFICATE",		BLOCK_CERT },
	{ "X509 CERTIFICATE",		BLOCK_CERT },
	{ "TRUSTED CERTIFICATE",	BLOCK_TRUSTED },
	{ "PKCS7",			BLOCK_PKCS7 },
};

/*
 * Append blob b as it is: the list owns b.der from then on unless b.known
 * is set.  -1 (b.der not taken) on allocation failure.
 */
static int
ref_push(struct der_list *list, const struct der_blob *b)
{
	if (array_reserve(&list->v, &list->cap, list->n + 1,
	    sizeof(list->v[0])) == -1)
		return -1;
	list->v[list->n++] = *b;
	return 0;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

/*
 * The base64 alphabet as a table: a database scan decodes a few
 * kilobytes of PEM per row, and a lookup per character is several times
 * cheaper than classifying it with comparisons.  0 (every character not
 * listed) is invalid; a digit's value is its entry - B64_DIGIT.
 */
enum { B64_BAD = 0, B64_SPACE, B64_PAD, B64_DIGIT };

static const unsigned char b64_table[256] = {
	[' '] = B64_SPACE, ['\t'] = B64_SPACE, ['\r'] = B64_SPACE,
	['\n'] = B64_SPACE, ['\v'] = B64_SPACE, ['\f'] = B64_SPACE,
	['='] = B64_PAD,
	['A'] = B64_DIGIT + 0, ['B'] = B64_DIGIT + 1, ['C'] = B64_DIGIT + 2,
	['D'] = B64_DIGIT + 3, ['E'] = B64_DIGIT + 4, ['F'] = B64_DIGIT + 5,
	['G'] = B64_DIGIT + 6, ['H'] = B64_DIGIT + 7, ['I'] = B64_DIGIT + 8,
	['J'] = B64_DIGIT + 9, ['K'] = B64_DIGIT + 10,
	['L'] = B64_DIGIT + 11, ['M'] = B64_DIGIT + 12,
	['N'] = B64_DIGIT + 13, ['O'] = B64_DIGIT + 14,
	['P'] = B64_DIGIT + 15, ['Q'] = B64_DIGIT + 16,
	['R'] = B64_DIGIT + 17, ['S'] = B64_DIGIT + 18,
	['T'] = B64_DIGIT + 19, ['U'] = B64_DIGIT + 20,
	['V'] = B64_DIGIT + 21, ['W'] = B64_DIGIT + 22,
	['X'] = B64_DIGIT + 23, ['Y'] = B64_DIGIT + 24,
	['Z'] = B64_DIGIT + 25, ['a'] = B64_DIGIT + 26,
	['b'] = B64_DIGIT + 27, ['c'] = B64_DIGIT + 28,
	['d'] = B64_DIGIT + 29, ['e'] = B64_DIGIT + 30,
	['f'] = B64_DIGIT + 31, ['g'] = B64_DIGIT + 32,
	['h'] = B64_DIGIT + 33, ['i'] = B64_DIGIT + 34,
	['j'] = B64_DIGIT + 35, ['k'] = B64_DIGIT + 36,
	['l'] = B64_DIGIT + 37, ['m'] = B64_DIGIT + 38,
	['n'] = B64_DIGIT + 39, ['o'] = B64_DIGIT + 40,
	['p'] = B64_DIGIT + 41, ['q'] = B64_DIGIT + 42,
	['r'] = B64_DIGIT + 43, ['s'] = B64_DIGIT + 44,
	['t'] = B64_DIGIT + 45, ['u'] = B64_DIGIT + 46,
	['v'] = B64_DIGIT + 47, ['w'] = B64_DIGIT + 48,
	['x'] = B64_DIGIT + 49, ['y'] = B64_DIGIT + 50,
	['z'] = B64_DIGIT + 51, ['0'] = B64_DIGIT + 52,
	['1'] = B64_DIGIT + 53, ['2'] = B64_DIGIT + 54,
	['3'] = B64_DIGIT + 55, ['4'] = B64_DIGIT + 56,
	['5'] = B64_DIGIT + 57, ['6'] = B64_DIGIT + 58,
	['7'] = B64_DIGIT + 59, ['8'] = B64_DIGIT + 60,
	['9'] = B64_DIGIT + 61, ['+'] = B64_DIGIT + 62,
	['/'] = B64_DIGIT + 63,
};

/*
 * Decode RFC 4648 base64, skipping whitespace anywhere (line breaks of
 * any kind, blank lines, indentation).  Padding may be left off, but
 * nothing but whitespace may follow it.  out must hold inlen * 3 / 4 + 3
 * bytes.  Returns 0 and sets *outlen, or -1 on an invalid character or
 * a malformed end.
 */
static int
base64_decode(const unsigned char *in, size_t inlen, unsigned char *out,
    size_t *outlen)
{
	uint32_t	 acc = 0;
	size_t		 i, n = 0;
	int		 nacc = 0, pad = 0, v;

	for (i = 0; i < inlen; i++) {
		v = b64_table[in[i]];
		if (v >= B64_DIGIT && pad == 0) {
			acc = acc << 6 | (uint32_t)(v - B64_DIGIT);
			if (++nacc == 4) {
				out[n++] = (unsigned char)(acc >> 16);
				out[n++] = (unsigned char)(acc >> 8);
				out[n++] = (unsigned char)acc;
				acc = 0;
				nacc = 0;
			}
		} else if (v == B64_PAD) {
			if (++pad > 2)
				return -1;
		} else if (v != B64_SPACE)
			return -1;	/* invalid, or a digit after '=' */
	}
	if (nacc == 1 || (pad > 0 && nacc + pad != 4))
		return -1;
	if (nacc == 2)
		out[n++] = (unsigned char)(acc >> 4);
	else if (nacc == 3) {
		out[n++] = (unsigned char)(acc >> 10);
		out[n++] = (unsigned char)(acc >> 2);
	}
	*outlen = n;
	return 0;
}

/* Record that block (0: the binary input) is not PKCS#7 after all. */
static int
pkcs7_not(struct der_list *out, unsigned block)
{
	if (block > 0)
		return der_list_error(out, "PEM block %u is not PKCS#7", block);
	return der_list_error(out, "not a certificate (PEM, DER or PKCS#7)");
}

/*
 * Add every certificate of a DER PKCS#7 SignedData to out.  block is the
 * PEM block number it came from, 0 for binary input.  Problems with the
 * data are recorded as error lines; returns -1 on allocation failure
 * only.
 */
static int
pkcs7_extract(const unsigned char *der, size_t len, unsigned block,
    struct der_list *out)
{
	gnutls_pkcs7_t	 p7 = NULL;
	gnutls_datum_t	 in, crt = { NULL, 0 };
	char		 what[32];
	int		 count, i, r, rc = -1;

	if (block > 0)
		snprintf(what, sizeof(what), "PEM block %u", block);
	else
		snprintf(what, sizeof(what), "PKCS#7 data");
	if (len > UINT32_MAX) {
		rc = pkcs7_not(out, block);
		goto out;
	}
	if (gnutls_pkcs7_init(&p7) < 0) {
		p7 = NULL;
		goto out;
	}
	in.data = (unsigned char *)der;
	in.size = (unsigned int)len;
	if ((r = gnutls_pkcs7_import(p7, &in, GNUTLS_X509_FMT_DER)) < 0) {
		if (r != GNUTLS_E_MEMORY_ERROR)
			rc = pkcs7_not(out, block);
		goto out;
	}
	if ((count = gnutls_pkcs7_get_crt_count(p7)) <= 0) {
		rc = der_list_error(out, "no certificate in %s", what);
		goto out;
	}
	for (i = 0; i < count; i++) {
		r = gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &crt);
		if (r == GNUTLS_E_MEMORY_ERROR)
			goto out;
		if (r < 0) {
			if (der_list_error(out,
			    "certificate %d in %s is unreadable", i + 1,
			    what) == -1)
				goto out;
			continue;
		}
		if (der_list_add(out, crt.data, crt.size) == -1)
			goto out;
		gnutls_free(crt.data);
		crt.data = NULL;
	}
	rc = 0;
 out:
	gnutls_free(crt.data);
	if (p7 != NULL)
		gnutls_pkcs7_deinit(p7);
	return rc;
}

/*
 * 1 when der opens a ContentInfo SEQUENCE with an indefinite length, as
 * some Windows tools write PKCS#7 bundles (BER).  asn1_tlv_len cannot
 * measure those; GnuTLS reads them.
 */
static int
is_ber_pkcs7(const unsigned char *der, size_t len)
{
	return len > 4 && der[0] == DER_SEQUENCE && der[1] == 0x80 &&
	    der[2] == DER_OID;
}

/*
 * Turn the base64 body of PEM block number block into DER and add what
 * it holds to out; a certificate's blob borrows body as its text when
 * keep_text is set (the caller keeps the input for as long as the list).
 * Returns -1 on allocation failure only.
 */
static int
pem_block(enum block_kind kind, const unsigned char *body, size_t bodylen,
    unsigned block, int keep_text, struct der_list *out)
{
	struct der_blob	 b;
	unsigned char	*der = NULL;
	size_t		 derlen, tlv;
	int		 rc = -1;

	if ((der = malloc(bodylen / 4 * 3 + 3)) == NULL)
		goto out;
	if (base64_decode(body, bodylen, der, &derlen) == -1) {
		rc = der_list_error(out, "invalid base64 in PEM block %u",
		    block);
		goto out;
	}
	tlv = asn1_tlv_len(der, derlen);
	if (kind == BLOCK_PKCS7 && is_ber_pkcs7(der, derlen))
		tlv = derlen;
	/* A trusted certificate is followed by OpenSSL's aux data. */
	if (tlv == 0 || (kind != BLOCK_TRUSTED && tlv != derlen)) {
		rc = der_list_error(out, "PEM block %u is not DER", block);
		goto out;
	}
	switch (kind) {
	case BLOCK_CERT:
		/* The decoded buffer itself: no second copy. */
		memset(&b, 0, sizeof(b));
		b.der = der;
		b.len = tlv;
		if (keep_text) {
			b.text = body;
			b.text_len = bodylen;
		}
		if ((rc = ref_push(out, &b)) == 0)
			der = NULL;
		break;
	case BLOCK_TRUSTED:
		rc = der_list_add(out, der, tlv);
		break;
	case BLOCK_PKCS7:
		rc = pkcs7_extract(der, tlv, block, out);
		break;
	case BLOCK_OTHER:
		rc = 0;
		break;
	}
 out:
	free(der);
	return rc;
}

/*
 * A certificate block whose text known has seen: append its DER
 * (borrowed) without decoding.  1 when appended, 0 when unknown, -1 on
 * allocation failure.
 */
static int
pem_block_known(const struct pem_known *known, const unsigned char *body,
    size_t bodylen, struct der_list *out)
{
	struct der_blob	 b;
	const unsigned char *der;

	memset(&b, 0, sizeof(b));
	if ((b.known = known->find(known->arg, body, bodylen, &der,
	    &b.len)) == NULL)
		return 0;
	b.der = (unsigned char *)der;	/* borrowed: see der_blob.known */
	b.text = body;
	b.text_len = bodylen;
	return ref_push(out, &b) == -1 ? -1 : 1;
}

/* One line of the input: [start, end) without its terminator. */
struct line {
	const unsigned char	*start, *end;
	const unsigned char	*next;		/* first byte after it */
};

/* The line at p; CR, LF and CRLF all end a line. */
static void
line_at(const unsigned char *p, const unsigned char *lim, struct line *l)
{
	const unsigned char	*q, *cr;

	/* memchr is vectorised; a PEM line of base64 is 64 characters. */
	if ((q = memchr(p, '\n', (size_t)(lim - p))) == NULL)
		q = lim;
	if (q > p && q[-1] == '\r')
		q--;
	if ((cr = memchr(p, '\r', (size_t)(q - p))) != NULL)
		q = cr;		/* a lone CR ends a line too */
	l->start = p;
	l->end = q;
	if (q < lim && *q == '\r')
		q++;
	if (q < lim && *q == '\n')
		q++;
	l->next = q;
}

/* 1 when the line, after leading blanks, starts with prefix. */
static int
line_starts(const struct line *l, const char *prefix,
    const unsigned char **rest)
{
	const unsigned char	*p = l->start;
	size_t			 plen = strlen(prefix);

	while (p < l->end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(l->end - p) < plen || memcmp(p, prefix, plen) != 0)
		return 0;
	if (rest != NULL)
		*rest = p + plen;
	return 1;
}

/* The kind of block a BEGIN line opens, from its label. */
static enum block_kind
begin_kind(const struct line *l)
{
	const unsigned char	*label, *p;
	size_t			 i, n;

	if (!line_starts(l, PEM_BEGIN, &label))
		return BLOCK_OTHER;
	for (p = label; p < l->end; p++)
		if ((size_t)(l->end - p) >= strlen(PEM_DASHES) &&
		    memcmp(p, PEM_DASHES, strlen(PEM_DASHES)) == 0)
			break;
	if (p == l->end)
		return BLOCK_OTHER;
	n = (size_t)(p - label);
	for (i = 0; i < sizeof(block_labels) / sizeof(block_labels[0]); i++)
		if (strlen(block_labels[i].label) == n &&
		    memcmp(block_labels[i].label, label, n) == 0)
			return block_labels[i].kind;
	return BLOCK_OTHER;
}

/*
 * Remember the first block whose label names a private key ("PRIVATE
 * KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", ...): skipped like
 * any other, but a key has no business in a certificate file.
 */
static void
note_key(const struct line *l, unsigned block, struct der_list *out)
{
	const unsigned char *label, *p;
	size_t n;

	if (out->key_block != 0 || !line_starts(l, PEM_BEGIN, &label))
		return;
	for (p = label; p < l->end && *p != '-'; p++)
		continue;
	n = (size_t)(p - label);
	if (n < 11 || memcmp(label + n - 11, "PRIVATE KEY", 11) != 0)
		return;
	out->key_block = block;
	snprintf(out->key_label, sizeof(out->key_label), "%.*s",
	    (int)(n < sizeof(out->key_label) ? n : sizeof(out->key_label) - 1),
	    (const char *)label);
}

/*
 * Walk the lines; a certificate block runs from its BEGIN line to the
 * next END line.  Another BEGIN first means the END was lost: that block
 * is reported truncated and the scan resumes at the new BEGIN.
 */
static int
pem_decode_text(const unsigned char *buf, size_t len,
    const struct pem_known *known, struct der_list *out)
{
	const unsigned char	*p = buf, *lim = buf + len, *body;
	struct line		 l;
	enum block_kind		 kind;
	unsigned		 block = 0;
	int			 ended, rc;

	while (p < lim) {
		line_at(p, lim, &l);
		p = l.next;
		if (!line_starts(&l, "-----BEGIN", NULL))
			continue;
		block++;
		if ((kind = begin_kind(&l)) == BLOCK_OTHER) {
			note_key(&l, block, out);
			continue;
		}

		body = p;
		ended = 0;
		while (p < lim) {
			line_at(p, lim, &l);
			if (line_starts(&l, "-----BEGIN", NULL))
				break;
			p = l.next;
			if (line_starts(&l, PEM_END, NULL)) {
				ended = 1;
				break;
			}
		}
		if (!ended) {
			if (der_list_error(out, "truncated PEM block "
			    "(no END line) at block %u", block) == -1)
				return -1;
			continue;
		}
		if (kind == BLOCK_CERT && known != NULL) {
			rc = pem_block_known(known, body,
			    (size_t)(l.start - body), out);
			if (rc == -1)
				return -1;
			if (rc == 1)
				continue;
		}
		if (pem_block(kind, body, (size_t)(l.start - body), block,
		    known != NULL, out) == -1)
			return -1;
	}
	if (out->n == 0 && out->nerrors == 0)
		return der_list_error(out, "no certificate in input");
	return 0;
}

/*
 * Binary input: one DER Certificate (a SEQUENCE whose first element is a
 * SEQUENCE) or a PKCS#7 ContentInfo (a SEQUENCE that starts with its
 * contentType OID; DER, or BER with indefinite lengths).  Whether the
 * certificate inside is well formed is for the certificate parser to say.
 */
static int
pem_decode_binary(const unsigned char *buf, size_t len, struct der_list *out)
{
	size_t	 tlv = 0, hdr = 0, n;

	if (is_ber_pkcs7(buf, len))
		return pkcs7_extract(buf, len, 0, out);
	if (buf[0] == DER_SEQUENCE && (tlv = asn1_tlv_len(buf, len)) > 0)
		/* asn1_tlv_len accepted the length octets: this is exact. */
		hdr = 2 + (buf[1] & 0x80 ? buf[1] & 0x7f : 0);
	if (hdr == 0 || hdr >= tlv)
		return der_list_error(out,
		    "not a certificate (PEM, DER or PKCS#7)");

	if (buf[hdr] == DER_SEQUENCE) {
		if (der_list_add(out, buf, tlv) == -1)
			return -1;
		if (tlv < len)
			return der_list_error(out,
			    "trailing data after certificate");
		return 0;
	}
	if (buf[hdr] == DER_OID) {
		n = out->n;
		if (pkcs7_extract(buf, tlv, 0, out) == -1)
			return -1;
		if (out->n > n && tlv < len)
			return der_list_error(out,
			    "trailing data after PKCS#7 data");
		return 0;
	}
	return der_list_error(out, "not a certificate (PEM, DER or PKCS#7)");
}

/* 1 when needle occurs in the first len bytes of buf. */
static int
contains(const unsigned char *buf, size_t len, const char *needle)
{
	size_t	 i, n = strlen(needle);

	if (len < n)
		return 0;
	for (i = 0; i + n <= len; i++)
		if (buf[i] == (unsigned char)needle[0] &&
		    memcmp(buf + i, needle, n) == 0)
			return 1;
	return 0;
}

/*
 * pem_decode_known as it was; see pem_ref.h.
 */
int
pem_ref_decode_known(const unsigned char *buf, size_t len,
    const struct pem_known *known, struct der_list *out)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < len && is_space(buf[i]); i++)
		continue;
	if (i == len)
		rc = der_list_error(out, "empty input");
	else if (contains(buf, len, "-----BEGIN"))
		rc = pem_decode_text(buf, len, known, out);
	else
		rc = pem_decode_binary(buf, len, out);
	if (rc == -1)
		der_list_free(out);
	return rc;
}

/* ---- the comparison ---------------------------------------------------- */

/*
 * 0 when a and b (decoded from buf) agree in everything a reader of a
 * der_list sees, else 1 with the first difference in why.
 */
int
pem_ref_diff(const struct der_list *a, const struct der_list *b,
    const unsigned char *buf, char *why, size_t whylen)
{
	const struct der_blob	*x, *y;
	size_t			 i;

	if (a->n != b->n) {
		snprintf(why, whylen, "%zu certificates, want %zu", a->n, b->n);
		return 1;
	}
	for (i = 0; i < a->n; i++) {
		x = &a->v[i];
		y = &b->v[i];
		if (x->len != y->len || memcmp(x->der, y->der, x->len) != 0) {
			snprintf(why, whylen, "certificate %zu: %zu bytes, "
			    "want %zu, or other bytes", i, x->len, y->len);
			return 1;
		}
		if ((x->text == NULL) != (y->text == NULL) ||
		    x->text_len != y->text_len || (x->text != NULL &&
		    x->text - buf != y->text - buf)) {
			snprintf(why, whylen, "certificate %zu: text at %td "
			    "(%zu bytes), want %td (%zu bytes)", i,
			    x->text != NULL ? x->text - buf : -1, x->text_len,
			    y->text != NULL ? y->text - buf : -1, y->text_len);
			return 1;
		}
		if (x->known != y->known) {
			snprintf(why, whylen, "certificate %zu: %s known, "
			    "want %s", i, x->known ? "" : "not",
			    y->known ? "" : "not");
			return 1;
		}
	}
	if (a->nerrors != b->nerrors) {
		snprintf(why, whylen, "%zu errors (first \"%s\"), want %zu "
		    "(first \"%s\")", a->nerrors,
		    a->nerrors > 0 ? a->errors[0] : "", b->nerrors,
		    b->nerrors > 0 ? b->errors[0] : "");
		return 1;
	}
	for (i = 0; i < a->nerrors; i++)
		if (strcmp(a->errors[i], b->errors[i]) != 0) {
			snprintf(why, whylen, "error %zu: \"%s\", want \"%s\"",
			    i, a->errors[i], b->errors[i]);
			return 1;
		}
	if (a->key_block != b->key_block ||
	    strcmp(a->key_label, b->key_label) != 0) {
		snprintf(why, whylen, "key block %u \"%s\", want %u \"%s\"",
		    a->key_block, a->key_label, b->key_block, b->key_label);
		return 1;
	}
	return 0;
}
