/*
 * pem.c: certificate file bytes to DER certificates.
 *
 * Input is PEM when it holds a "-----BEGIN" anywhere, otherwise binary
 * (one DER Certificate, or a DER PKCS#7 SignedData bundle).  In PEM, only
 * certificate and PKCS#7 blocks count; everything else (the text dump
 * "openssl x509 -text" writes, key and CRL blocks) is skipped.  Blocks
 * are numbered from 1 over every BEGIN line, so "block N" in an error
 * names the N-th BEGIN of the file whatever its label.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>

#include "asn1.h"
#include "pem.h"
#include "util.h"

/* base64_runs16: SSE up to SSSE3 on x86-64, chosen at run time. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define B64_SSSE3	1
#include <immintrin.h>
#endif

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
der_list_push(struct der_list *list, const struct der_blob *b)
{
	if (array_reserve(&list->v, &list->cap, list->n + 1,
	    sizeof(list->v[0])) == -1)
		return -1;
	list->v[list->n++] = *b;
	return 0;
}

/* Append a copy of der. */
int
der_list_add(struct der_list *list, const unsigned char *der, size_t len)
{
	struct der_blob	 b;

	memset(&b, 0, sizeof(b));
	if ((b.der = malloc(len > 0 ? len : 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(b.der, der, len);
	b.len = len;
	if (der_list_push(list, &b) == -1) {
		free(b.der);
		return -1;
	}
	return 0;
}

/* Append one formatted error line. */
int
der_list_error(struct der_list *list, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;
	int	 n;

	if (array_reserve(&list->errors, &list->errcap, list->nerrors + 1,
	    sizeof(list->errors[0])) == -1)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (line = malloc((size_t)n + 1)) == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(line, (size_t)n + 1, fmt, ap);
	va_end(ap);
	list->errors[list->nerrors++] = line;
	return 0;
}

/* Free everything list owns and leave it zeroed for reuse. */
void
der_list_free(struct der_list *list)
{
	size_t	 i;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++)
		if (list->v[i].known == NULL)
			free(list->v[i].der);
	free(list->v);
	for (i = 0; i < list->nerrors; i++)
		free(list->errors[i]);
	free(list->errors);
	memset(list, 0, sizeof(*list));
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
 * The alphabet once more for groups of four digits, one table per place
 * in the group: a digit's value already shifted to where it lands in the
 * group's 24 bits, any other character B64_QUAD_BAD (above those bits),
 * so that or-ing four entries both decodes a group and tells whether all
 * four were digits.  Written out by macros, all 256 entries of each, so
 * that no entry is left at 0 (which is 'A').  ASCII, as the table above.
 */
#define B64_QUAD_BAD	0x1000000u
#define B64_VALUE(c)							\
	((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' :				\
	(c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26 :			\
	(c) >= '0' && (c) <= '9' ? (c) - '0' + 52 :			\
	(c) == '+' ? 62 : (c) == '/' ? 63 : -1)
#define B64_Q(c, s)							\
	(B64_VALUE(c) < 0 ? B64_QUAD_BAD : (uint32_t)B64_VALUE(c) << (s))
#define B64_Q4(c, s)							\
	B64_Q(c, s), B64_Q((c) + 1, s), B64_Q((c) + 2, s), B64_Q((c) + 3, s)
#define B64_Q16(c, s)							\
	B64_Q4(c, s), B64_Q4((c) + 4, s), B64_Q4((c) + 8, s),		\
	B64_Q4((c) + 12, s)
#define B64_Q64(c, s)							\
	B64_Q16(c, s), B64_Q16((c) + 16, s), B64_Q16((c) + 32, s),	\
	B64_Q16((c) + 48, s)
#define B64_Q256(s)							\
	B64_Q64(0, s), B64_Q64(64, s), B64_Q64(128, s), B64_Q64(192, s)

static const uint32_t b64_quad[4][256] = {
	{ B64_Q256(18) }, { B64_Q256(12) }, { B64_Q256(6) }, { B64_Q256(0) },
};

/*
 * Sixteen digits at a time where the processor has SSSE3 (x86-64 built
 * with GCC or Clang; checked at run time): Mula and Lemire's decoder
 * ("Faster Base64 Encoding and Decoding Using AVX2 Instructions", ACM
 * TWEB 2018), SSE form.  Two nibble lookups flag any byte that is not a
 * digit ('=' and whitespace included), a third turns digits into their
 * values, two multiply-adds pack four values into three bytes.  Decodes
 * runs of 16 digits from the len bytes at in until one holds anything
 * else, and returns the bytes taken (a multiple of 16; out gets three
 * quarters of that): exactly what b64_quad does to four groups of four.
 */
#ifdef B64_SSSE3
__attribute__((target("ssse3")))
static size_t
base64_runs16(const unsigned char *in, size_t len, unsigned char *out)
{
	const __m128i	 lut_lo = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11,
	    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b,
	    0x1a);
	const __m128i	 lut_hi = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02,
	    0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
	    0x10);
	/* Per high nibble (and '/'), what turns a digit into its value. */
	const __m128i	 lut_roll = _mm_setr_epi8(0, 16, 19, 4, -65, -65,
	    -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m128i	 nibble = _mm_set1_epi8(0x0f);
	const __m128i	 slash = _mm_set1_epi8('/');
	const __m128i	 pairs = _mm_set1_epi32(0x01400140);
	const __m128i	 groups = _mm_set1_epi32(0x00011000);
	const __m128i	 order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8,
	    14, 13, 12, -1, -1, -1, -1);
	__m128i		 x, hi, lo, v;
	uint32_t	 last;
	size_t		 i;

	for (i = 0; len - i >= 16; i += 16, out += 12) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(in + i));
		hi = _mm_and_si128(_mm_srli_epi32(x, 4), nibble);
		lo = _mm_and_si128(x, nibble);
		/* A byte is a digit when its two lookups share no bit. */
		v = _mm_and_si128(_mm_shuffle_epi8(lut_lo, lo),
		    _mm_shuffle_epi8(lut_hi, hi));
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(v,
		    _mm_setzero_si128())) != 0xffff)
			break;
		v = _mm_add_epi8(x, _mm_shuffle_epi8(lut_roll,
		    _mm_add_epi8(hi, _mm_cmpeq_epi8(x, slash))));
		/* 6-bit values to 12-bit pairs to 24-bit groups, big-endian. */
		v = _mm_shuffle_epi8(_mm_madd_epi16(_mm_maddubs_epi16(v,
		    pairs), groups), order);
		/* Twelve bytes stored, not sixteen: out has room for those. */
		_mm_storel_epi64((__m128i *)(void *)out, v);
		last = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(v, 8));
		memcpy(out + 8, &last, sizeof(last));
	}
	return i;
}
#endif

/*
 * Decode RFC 4648 base64, skipping whitespace anywhere (line breaks of
 * any kind, blank lines, indentation).  Padding may be left off, but
 * nothing but whitespace may follow it.  out must hold inlen / 4 * 3 + 3
 * bytes.  Returns 0 and sets *outlen, or -1 on an invalid character or
 * a malformed end.
 *
 * Between groups (nothing accumulated, no '=' seen) sixteen digits in a
 * row (base64_runs16) or four are decoded at once: exactly what as many
 * turns of the loop below would do, in a fraction of the work.  A PEM
 * line of 64 digits is four runs of sixteen; its line break, '=', or
 * anything else takes the careful path.
 */
static int
base64_decode(const unsigned char *in, size_t inlen, unsigned char *out,
    size_t *outlen)
{
	uint32_t	 acc = 0, q;
	size_t		 i = 0, n = 0;
	int		 nacc = 0, pad = 0, v;
#ifdef B64_SSSE3
	int		 ssse3 = __builtin_cpu_supports("ssse3");
	size_t		 k;
#endif

	while (i < inlen) {
		if (nacc == 0 && pad == 0) {
#ifdef B64_SSSE3
			if (ssse3 && inlen - i >= 16) {
				k = base64_runs16(in + i, inlen - i, out + n);
				i += k;
				n += k / 4 * 3;
			}
#endif
			for (; inlen - i >= 4; i += 4) {
				q = b64_quad[0][in[i]] |
				    b64_quad[1][in[i + 1]] |
				    b64_quad[2][in[i + 2]] |
				    b64_quad[3][in[i + 3]];
				if (q & B64_QUAD_BAD)
					break;
				/*
				 * One store of four bytes, three of them
				 * kept: the fourth is within out's inlen /
				 * 4 * 3 + 3 and overwritten or past the end.
				 */
				q = htonl(q << 8);
				memcpy(out + n, &q, sizeof(q));
				n += 3;
			}
			if (i == inlen)
				break;
		}
		v = b64_table[in[i++]];
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
		if ((rc = der_list_push(out, &b)) == 0)
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
	return der_list_push(out, &b) == -1 ? -1 : 1;
}

/* One line of the input: [start, end) without its terminator. */
struct line {
	const unsigned char	*start, *end;
	const unsigned char	*next;		/* first byte after it */
};

/*
 * The line at p; CR, LF and CRLF all end a line.  Only marker lines are
 * measured (a few a block), and they are short: looking for either end
 * 64 bytes at a time keeps memchr's speed without letting the search for
 * an LF run to the end of a file whose lines end in CR alone (or the
 * other way round), once for every marker line.
 */
static void
line_at(const unsigned char *p, const unsigned char *lim, struct line *l)
{
	const unsigned char	*q, *lf, *cr;
	size_t			 n;

	for (q = p; q < lim; q += n) {
		n = (size_t)(lim - q) < 64 ? (size_t)(lim - q) : 64;
		lf = memchr(q, '\n', n);
		cr = memchr(q, '\r', lf != NULL ? (size_t)(lf - q) : n);
		if (cr != NULL || lf != NULL) {
			q = cr != NULL ? cr : lf;
			break;
		}
	}
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
 * The start of the first line at or after p whose first character after
 * blanks is a '-', setting *dash to that '-'; NULL when there is none.
 * from is a line start at or before p.  Base64 has no '-', so one memchr
 * crosses a whole block body where a walk line by line would stop at
 * every line.  Lines end as line_at has them: after a CR, an LF or a
 * CR LF, so a line starts right after a CR or an LF (after a CR LF's CR
 * comes its LF, never a blank or a '-').
 */
static const unsigned char *
dash_line(const unsigned char *from, const unsigned char *p,
    const unsigned char *lim, const unsigned char **dash)
{
	const unsigned char	*d, *s;

	while (p < lim && (d = memchr(p, '-', (size_t)(lim - p))) != NULL) {
		for (s = d; s > from && (s[-1] == ' ' || s[-1] == '\t'); s--)
			continue;
		if (s == from || s[-1] == '\n' || s[-1] == '\r') {
			*dash = d;
			return s;
		}
		p = d + 1;
	}
	return NULL;
}

/* 1 when marker starts at p (before lim); markers hold no line break. */
static int
at_marker(const unsigned char *p, const unsigned char *lim,
    const char *marker)
{
	size_t	 n = strlen(marker);

	return (size_t)(lim - p) >= n && memcmp(p, marker, n) == 0;
}

/*
 * Walk the lines that start with a '-'; a certificate block runs from its
 * BEGIN line to the next END line.  Another BEGIN first means the END was
 * lost: that block is reported truncated and the scan resumes at the new
 * BEGIN.
 */
static int
pem_decode_text(const unsigned char *buf, size_t len,
    const struct pem_known *known, struct der_list *out)
{
	const unsigned char	*p = buf, *lim = buf + len, *body, *s, *d;
	struct line		 l;
	enum block_kind		 kind;
	unsigned		 block = 0;
	int			 ended, rc;

	while ((s = dash_line(p, p, lim, &d)) != NULL) {
		line_at(s, lim, &l);
		p = l.next;
		if (!at_marker(d, lim, "-----BEGIN"))
			continue;
		block++;
		if ((kind = begin_kind(&l)) == BLOCK_OTHER) {
			note_key(&l, block, out);
			continue;
		}

		body = p;
		ended = 0;
		while ((s = dash_line(body, p, lim, &d)) != NULL) {
			if (at_marker(d, lim, "-----BEGIN"))
				break;
			if (at_marker(d, lim, PEM_END)) {
				ended = 1;
				break;
			}
			p = d + 1;
		}
		if (!ended) {
			/* Resume at the new BEGIN line, if any. */
			p = s != NULL ? s : lim;
			if (der_list_error(out, "truncated PEM block "
			    "(no END line) at block %u", block) == -1)
				return -1;
			continue;
		}
		line_at(s, lim, &l);
		p = l.next;
		if (kind == BLOCK_CERT && known != NULL) {
			rc = pem_block_known(known, body, (size_t)(s - body),
			    out);
			if (rc == -1)
				return -1;
			if (rc == 1)
				continue;
		}
		if (pem_block(kind, body, (size_t)(s - body), block,
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
 * Decide between PEM and binary, then decode.  out keeps the good
 * certificates and one line per problem; on allocation failure it is
 * emptied.
 */
int
pem_decode(const unsigned char *buf, size_t len, struct der_list *out)
{
	return pem_decode_known(buf, len, NULL, out);
}

/*
 * pem_decode with the run's blocks seen before; see pem.h.
 */
int
pem_decode_known(const unsigned char *buf, size_t len,
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
