/*
 * test_pem.c: pem (PEM, DER and PKCS#7 decoding) and asn1 (DER slicing),
 * on the fixture files and on buffers built here.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "asn1.h"
#include "certcache.h"
#include "pem.h"
#include "pem_ref.h"
#include "testlib.h"

/* ---- helpers ----------------------------------------------------------- */

static void
decode(const void *buf, size_t len, struct der_list *out)
{
	memset(out, 0, sizeof(*out));
	cr_assert_eq(pem_decode(buf, len, out), 0);
}

static void
decode_str(const char *s, struct der_list *out)
{
	decode(s, strlen(s), out);
}

/* The DER of chains/good-rsa.pem: leaf, then int-rsa. */
static void
reference(struct der_list *ref)
{
	fixture_decode("chains/good-rsa.pem", ref);
	cr_assert_eq(ref->n, 2);
	cr_assert_eq(ref->nerrors, 0);
}

static void
assert_blob_eq(const struct der_blob *got, const struct der_blob *want,
    const char *what, size_t i)
{
	cr_assert_eq(got->len, want->len, "%s: certificate %zu: %zu bytes, "
	    "want %zu", what, i, got->len, want->len);
	cr_assert_eq(memcmp(got->der, want->der, want->len), 0,
	    "%s: certificate %zu differs", what, i);
}

/* got holds the first n certificates of want, byte for byte. */
static void
assert_same_der(const struct der_list *got, const struct der_list *want,
    size_t n, const char *what)
{
	size_t	 i;

	cr_assert_eq(got->n, n, "%s: %zu certificates, want %zu", what,
	    got->n, n);
	for (i = 0; i < n; i++)
		assert_blob_eq(&got->v[i], &want->v[i], what, i);
}

static void
assert_no_errors(const struct der_list *l, const char *what)
{
	cr_assert_eq(l->nerrors, 0, "%s: unexpected error \"%s\"", what,
	    l->nerrors > 0 ? l->errors[0] : "");
}

static void
assert_errors(const struct der_list *l, size_t n, const char *const *want)
{
	size_t	 i;

	cr_assert_eq(l->nerrors, n, "%zu errors, want %zu (first: \"%s\")",
	    l->nerrors, n, l->nerrors > 0 ? l->errors[0] : "");
	for (i = 0; i < n; i++) {
		cr_assert_str_eq(l->errors[i], want[i]);
		cr_assert_null(strchr(l->errors[i], '\n'));
	}
}

static void
assert_one_error(const struct der_list *l, const char *want)
{
	assert_errors(l, 1, &want);
}

/* Base64 of len bytes, lines of width characters (0: one line). */
static char *
b64(const unsigned char *in, size_t len, size_t width, const char *eol)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *p;
	size_t			 i, col = 0, k;
	unsigned long		 v;
	char			 q[4];

	out = malloc(len * 2 + len / (width ? width : 1) * 4 + 16);
	cr_assert_not_null(out);
	p = out;
	for (i = 0; i < len; i += 3) {
		v = (unsigned long)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned long)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		q[0] = tab[v >> 18 & 63];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < len ? tab[v & 63] : '=';
		for (k = 0; k < 4; k++) {
			*p++ = q[k];
			if (width > 0 && ++col == width) {
				p += sprintf(p, "%s", eol);
				col = 0;
			}
		}
	}
	if (width > 0 && col > 0)
		p += sprintf(p, "%s", eol);
	*p = '\0';
	return out;
}

/* A PEM block with label around der. */
static char *
pem_block(const char *label, const unsigned char *der, size_t len)
{
	char	*body, *out;
	size_t	 n;

	body = b64(der, len, 64, "\n");
	n = strlen(body) + 2 * strlen(label) + 64;
	out = malloc(n);
	cr_assert_not_null(out);
	snprintf(out, n, "-----BEGIN %s-----\n%s-----END %s-----\n", label,
	    body, label);
	free(body);
	return out;
}

/* ---- the fixture files ------------------------------------------------- */

Test(pem, good_rsa)
{
	struct der_list	 l;
	size_t		 i;

	fixture_decode("chains/good-rsa.pem", &l);
	cr_assert_eq(l.n, 2);
	assert_no_errors(&l, "good-rsa.pem");
	for (i = 0; i < l.n; i++) {
		cr_assert_eq(l.v[i].der[0], 0x30);
		cr_assert_eq(asn1_tlv_len(l.v[i].der, l.v[i].len), l.v[i].len);
	}
	/* leaf (913 bytes, see good-rsa-leaf.der) then the intermediate */
	cr_assert_eq(l.v[0].len, 913);
	der_list_free(&l);
	cr_assert_null(l.v);
	cr_assert_eq(l.n, 0);
	der_list_free(&l);
}

Test(pem, text_around_blocks)
{
	struct der_list	 ref, l;

	reference(&ref);
	fixture_decode("chains/good-rsa-text.pem", &l);
	assert_no_errors(&l, "good-rsa-text.pem");
	assert_same_der(&l, &ref, 2, "good-rsa-text.pem");
	der_list_free(&l);
	der_list_free(&ref);
}

Test(pem, crlf)
{
	struct der_list	 ref, l;
	unsigned char	*buf;
	size_t		 len;

	/* Make sure the fixture really is CRLF (git may not have kept it). */
	buf = fixture_read("chains/good-rsa-crlf.pem", &len);
	cr_assert_not_null(memchr(buf, '\r', len));
	free(buf);

	reference(&ref);
	fixture_decode("chains/good-rsa-crlf.pem", &l);
	assert_no_errors(&l, "good-rsa-crlf.pem");
	assert_same_der(&l, &ref, 2, "good-rsa-crlf.pem");
	der_list_free(&l);
	der_list_free(&ref);
}

Test(pem, bare_der)
{
	struct der_list	 ref, l;

	reference(&ref);
	fixture_decode("chains/good-rsa-leaf.der", &l);
	assert_no_errors(&l, "good-rsa-leaf.der");
	assert_same_der(&l, &ref, 1, "good-rsa-leaf.der");
	der_list_free(&l);
	der_list_free(&ref);
}

Test(pem, pkcs7_der)
{
	struct der_list	 ref, l;

	reference(&ref);
	fixture_decode("chains/good-rsa.p7b", &l);
	assert_no_errors(&l, "good-rsa.p7b");
	assert_same_der(&l, &ref, 2, "good-rsa.p7b");
	der_list_free(&l);
	der_list_free(&ref);
}

Test(pem, pkcs7_pem)
{
	struct der_list	 ref, l;

	reference(&ref);
	fixture_decode("chains/good-rsa.p7c", &l);
	assert_no_errors(&l, "good-rsa.p7c");
	assert_same_der(&l, &ref, 2, "good-rsa.p7c");
	der_list_free(&l);
	der_list_free(&ref);
}

Test(pem, every_chain_fixture_decodes_cleanly)
{
	static const struct {
		const char	*name;
		size_t		 n;
	} files[] = {
		{ "chains/good-ec.pem", 2 },
		{ "chains/missing-int.pem", 1 },
		{ "chains/with-root.pem", 3 },
		{ "chains/duplicate.pem", 3 },
		{ "chains/private.pem", 3 },
		{ "chains/bundle-cas.pem", 4 },
		{ "chains/self-signed-leaf.pem", 1 },
		{ "ca/root-rsa.pem", 1 },
		{ "bad/bad-extension.pem", 1 },
	};
	struct der_list	 l;
	size_t		 i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		fixture_decode(files[i].name, &l);
		assert_no_errors(&l, files[i].name);
		cr_assert_eq(l.n, files[i].n, "%s: %zu certificates",
		    files[i].name, l.n);
		der_list_free(&l);
	}
}

Test(pem, truncated)
{
	struct der_list	 l;

	fixture_decode("bad/truncated.pem", &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "truncated PEM block (no END line) at block 1");
	der_list_free(&l);
}

Test(pem, garbage_bin)
{
	struct der_list	 l;

	fixture_decode("bad/garbage.bin", &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "not a certificate (PEM, DER or PKCS#7)");
	der_list_free(&l);
}

/*
 * garbage.der is shaped like a certificate on the outside (a SEQUENCE
 * covering the file, starting with a SEQUENCE), so it is handed on as
 * one; its inner length overruns and the TBS slicer must say so.
 */
Test(pem, garbage_der_is_passed_on_and_fails_slicing)
{
	struct der_list		 l;
	const unsigned char	*tbs = NULL;
	size_t			 tbslen = 0;

	fixture_decode("bad/garbage.der", &l);
	cr_assert_eq(l.n, 1);
	assert_no_errors(&l, "garbage.der");
	cr_assert_eq(l.v[0].len, 300);
	cr_assert_eq(asn1_tlv_len(l.v[0].der, l.v[0].len), 300);
	cr_assert_eq(asn1_cert_tbs(l.v[0].der, l.v[0].len, &tbs, &tbslen),
	    -1);
	cr_assert_null(tbs);
	cr_assert_eq(tbslen, 0);
	der_list_free(&l);
}

Test(pem, empty)
{
	struct der_list	 l;

	fixture_decode("bad/empty.pem", &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "empty input");
	der_list_free(&l);

	decode_str(" \r\n\t\n", &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "empty input");
	der_list_free(&l);
}

Test(pem, trailing_garbage_keeps_the_good_block)
{
	struct der_list	 ref, l;

	reference(&ref);
	fixture_decode("bad/trailing-garbage.pem", &l);
	assert_same_der(&l, &ref, 1, "trailing-garbage.pem");
	assert_one_error(&l, "invalid base64 in PEM block 2");
	der_list_free(&l);
	der_list_free(&ref);
}

/* ---- buffers built here ------------------------------------------------ */

static const char key_block[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
    "-----END PRIVATE KEY-----\n";

Test(mem, only_a_key)
{
	struct der_list	 l;

	decode_str(key_block, &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "no certificate in input");
	der_list_free(&l);

	decode_str("some text\n-----BEGIN X509 CRL-----\nAAAA\n"
	    "-----END X509 CRL-----\nmore text\n", &l);
	assert_one_error(&l, "no certificate in input");
	der_list_free(&l);

	/* "-----BEGIN" not at the start of a line is not a block. */
	decode_str("quoted: -----BEGIN CERTIFICATE-----\n", &l);
	assert_one_error(&l, "no certificate in input");
	der_list_free(&l);
}

Test(mem, key_and_crl_blocks_are_skipped_and_counted)
{
	struct der_list	 ref, l;
	char		*cert, *bad, *buf;
	size_t		 n;

	reference(&ref);
	cert = pem_block("CERTIFICATE", ref.v[1].der, ref.v[1].len);
	bad = pem_block("CERTIFICATE", (const unsigned char *)"hello", 5);
	n = strlen(key_block) * 2 + strlen(cert) + strlen(bad) + 1;
	buf = malloc(n);
	cr_assert_not_null(buf);
	/* blocks: 1 key, 2 cert, 3 key, 4 not DER */
	snprintf(buf, n, "%s%s%s%s", key_block, cert, key_block, bad);
	decode_str(buf, &l);
	cr_assert_eq(l.n, 1);
	assert_blob_eq(&l.v[0], &ref.v[1], "key+cert", 0);
	assert_one_error(&l, "PEM block 4 is not DER");
	der_list_free(&l);
	free(buf);
	free(cert);
	free(bad);
	der_list_free(&ref);
}

Test(mem, mixed_line_endings_blank_lines_and_indentation)
{
	static const char *const	 eols[] = { "\n", "\r\n", "\r", "\n\n",
	    " \t\r\n", "\r\n\r\n" };
	struct der_list	 ref, l;
	char		*body, *buf, *p, *q;
	size_t		 i, k = 0;

	reference(&ref);
	body = b64(ref.v[0].der, ref.v[0].len, 0, "");
	buf = malloc(strlen(body) * 4 + 256);
	cr_assert_not_null(buf);
	p = buf;
	p += sprintf(p, "junk before\r\n\n  -----BEGIN CERTIFICATE-----\r\n");
	/* lines of varying width, each ending differently */
	for (q = body, i = 0; *q != '\0'; i++) {
		size_t	 w = 40 + (i * 7) % 30, left = strlen(q);

		if (w > left)
			w = left;
		p += sprintf(p, "%s%.*s%s", i % 3 == 0 ? "  " : "", (int)w, q,
		    eols[k++ % (sizeof(eols) / sizeof(eols[0]))]);
		q += w;
	}
	p += sprintf(p, "-----END CERTIFICATE-----\rtrailing text");
	decode(buf, (size_t)(p - buf), &l);
	assert_no_errors(&l, "mixed");
	assert_same_der(&l, &ref, 1, "mixed");
	der_list_free(&l);
	free(buf);
	free(body);
	der_list_free(&ref);
}

Test(mem, x509_and_trusted_labels)
{
	static const unsigned char	 aux[] = {
		/* OpenSSL X509_CERT_AUX: trust serverAuth, alias "x" */
		0x30, 0x0f, 0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05,
		0x05, 0x07, 0x03, 0x01, 0x0c, 0x01, 0x78,
	};
	struct der_list	 ref, l;
	unsigned char	*tc;
	char		*a, *b, *buf;
	size_t		 tclen, n;

	reference(&ref);
	tclen = ref.v[0].len + sizeof(aux);
	tc = malloc(tclen);
	cr_assert_not_null(tc);
	memcpy(tc, ref.v[0].der, ref.v[0].len);
	memcpy(tc + ref.v[0].len, aux, sizeof(aux));
	a = pem_block("TRUSTED CERTIFICATE", tc, tclen);
	b = pem_block("X509 CERTIFICATE", ref.v[1].der, ref.v[1].len);
	n = strlen(a) + strlen(b) + 1;
	buf = malloc(n);
	cr_assert_not_null(buf);
	snprintf(buf, n, "%s%s", a, b);
	decode_str(buf, &l);
	assert_no_errors(&l, "trusted");
	assert_same_der(&l, &ref, 2, "trusted");
	der_list_free(&l);

	/* Aux data is fine after a trusted certificate, not a plain one. */
	free(a);
	a = pem_block("CERTIFICATE", tc, tclen);
	decode_str(a, &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "PEM block 1 is not DER");
	der_list_free(&l);

	free(a);
	free(b);
	free(buf);
	free(tc);
	der_list_free(&ref);
}

Test(mem, der_with_trailing_bytes)
{
	struct der_list	 ref, l;
	unsigned char	*buf;

	reference(&ref);
	buf = malloc(ref.v[0].len + 3);
	cr_assert_not_null(buf);
	memcpy(buf, ref.v[0].der, ref.v[0].len);
	memcpy(buf + ref.v[0].len, "\0\0\n", 3);
	decode(buf, ref.v[0].len + 3, &l);
	assert_same_der(&l, &ref, 1, "der+3");
	assert_one_error(&l, "trailing data after certificate");
	der_list_free(&l);
	free(buf);
	der_list_free(&ref);
}

Test(mem, two_der_certs_back_to_back)
{
	struct der_list	 ref, l;
	unsigned char	*buf;
	size_t		 n;

	reference(&ref);
	n = ref.v[0].len + ref.v[1].len;
	buf = malloc(n);
	cr_assert_not_null(buf);
	memcpy(buf, ref.v[0].der, ref.v[0].len);
	memcpy(buf + ref.v[0].len, ref.v[1].der, ref.v[1].len);
	decode(buf, n, &l);
	assert_same_der(&l, &ref, 1, "der+der");
	assert_one_error(&l, "trailing data after certificate");
	der_list_free(&l);
	free(buf);
	der_list_free(&ref);
}

Test(mem, pkcs7_der_with_trailing_bytes)
{
	struct der_list	 ref, l;
	unsigned char	*p7, *buf;
	size_t		 len;

	reference(&ref);
	p7 = fixture_read("chains/good-rsa.p7b", &len);
	buf = malloc(len + 4);
	cr_assert_not_null(buf);
	memcpy(buf, p7, len);
	memcpy(buf + len, "junk", 4);
	decode(buf, len + 4, &l);
	assert_same_der(&l, &ref, 2, "p7b+junk");
	assert_one_error(&l, "trailing data after PKCS#7 data");
	der_list_free(&l);
	free(buf);
	free(p7);
	der_list_free(&ref);
}

/*
 * The fixture bundle re-encoded with indefinite lengths on the outer
 * SEQUENCE and the [0] content, as some Windows tools write it.
 */
static unsigned char *
ber_bundle(size_t *len)
{
	unsigned char	*der, *ber;
	size_t		 dlen, inner;

	der = fixture_read("chains/good-rsa.p7b", &dlen);
	/* 30 82 xx xx, OID (11 bytes), a0 82 xx xx, SignedData */
	cr_assert_eq(memcmp(der, "\x30\x82", 2), 0);
	cr_assert_eq(memcmp(der + 15, "\xa0\x82", 2), 0);
	inner = dlen - 19;
	ber = malloc(2 + 11 + 2 + inner + 4);
	cr_assert_not_null(ber);
	memcpy(ber, "\x30\x80", 2);
	memcpy(ber + 2, der + 4, 11);
	memcpy(ber + 13, "\xa0\x80", 2);
	memcpy(ber + 15, der + 19, inner);
	memset(ber + 15 + inner, 0, 4);
	*len = 15 + inner + 4;
	free(der);
	return ber;
}

Test(mem, pkcs7_ber_indefinite_lengths)
{
	struct der_list	 ref, l;
	unsigned char	*ber;
	char		*pem;
	size_t		 len;

	reference(&ref);
	ber = ber_bundle(&len);
	decode(ber, len, &l);
	assert_no_errors(&l, "BER p7b");
	assert_same_der(&l, &ref, 2, "BER p7b");
	der_list_free(&l);

	pem = pem_block("PKCS7", ber, len);
	decode_str(pem, &l);
	assert_no_errors(&l, "BER p7c");
	assert_same_der(&l, &ref, 2, "BER p7c");
	der_list_free(&l);

	/* Cut short, it is an error, not a crash. */
	decode(ber, len - 40, &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "not a certificate (PEM, DER or PKCS#7)");
	der_list_free(&l);
	free(pem);
	free(ber);
	der_list_free(&ref);
}

/*
 * A certs-only SignedData with no certificates:
 * ContentInfo { signedData, [0] { 1, {}, { data }, {} } }.
 */
static const unsigned char empty_p7[] = {
	0x30, 0x23, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
	0x07, 0x02, 0xa0, 0x16, 0x30, 0x14, 0x02, 0x01, 0x01, 0x31, 0x00,
	0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
	0x07, 0x01, 0x31, 0x00,
};

Test(mem, pkcs7_without_certificates)
{
	struct der_list	 l;
	char		*pem;

	decode(empty_p7, sizeof(empty_p7), &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "no certificate in PKCS#7 data");
	der_list_free(&l);

	pem = pem_block("PKCS7", empty_p7, sizeof(empty_p7));
	decode_str(pem, &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "no certificate in PEM block 1");
	der_list_free(&l);
	free(pem);
}

Test(mem, pkcs7_block_holding_a_certificate)
{
	struct der_list	 ref, l;
	char		*pem;

	/* Right label, wrong content: a certificate is not SignedData. */
	reference(&ref);
	pem = pem_block("PKCS7", ref.v[0].der, ref.v[0].len);
	decode_str(pem, &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "PEM block 1 is not PKCS#7");
	der_list_free(&l);
	free(pem);
	der_list_free(&ref);
}

Test(mem, der_oid_sequence_that_is_not_pkcs7)
{
	/* SEQUENCE { OID 1.2.3 } */
	static const unsigned char	 seq[] = {
		0x30, 0x04, 0x06, 0x02, 0x2a, 0x03,
	};
	struct der_list	 l;

	decode(seq, sizeof(seq), &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "not a certificate (PEM, DER or PKCS#7)");
	der_list_free(&l);
}

Test(mem, binary_that_is_not_a_certificate)
{
	static const char *const	 cases[] = {
		"hello, world\n",
		"MIIDjTCCAnWgAwIBAgICEAEwDQYJKoZIhvcNAQELBQAw\n",
	};
	/* SEQUENCE { INTEGER }, indefinite length, length past the end */
	static const unsigned char	 der[][6] = {
		{ 0x30, 0x03, 0x02, 0x01, 0x05, 0x00 },
		{ 0x30, 0x80, 0x30, 0x00, 0x00, 0x00 },
		{ 0x30, 0x84, 0xff, 0xff, 0xff, 0xff },
		{ 0x30, 0x09, 0x30, 0x00, 0x00, 0x00 },
	};
	struct der_list	 l;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		decode_str(cases[i], &l);
		cr_assert_eq(l.n, 0);
		assert_one_error(&l, "not a certificate (PEM, DER or PKCS#7)");
		der_list_free(&l);
	}
	for (i = 0; i < sizeof(der) / sizeof(der[0]); i++) {
		decode(der[i], i == 0 ? 5 : 6, &l);
		cr_assert_eq(l.n, 0, "case %zu", i);
		assert_one_error(&l, "not a certificate (PEM, DER or PKCS#7)");
		der_list_free(&l);
	}
}

Test(mem, truncated_block_then_good_block)
{
	struct der_list	 ref, l;
	char		*cert, *buf;
	size_t		 n;

	reference(&ref);
	cert = pem_block("CERTIFICATE", ref.v[0].der, ref.v[0].len);
	n = strlen(cert) + 64;
	buf = malloc(n);
	cr_assert_not_null(buf);
	snprintf(buf, n, "-----BEGIN CERTIFICATE-----\nMIIDjTCC\n%s", cert);
	decode_str(buf, &l);
	assert_same_der(&l, &ref, 1, "lost END");
	assert_one_error(&l, "truncated PEM block (no END line) at block 1");
	der_list_free(&l);

	/* Good block, then one whose END is missing at end of file. */
	snprintf(buf, n, "%s-----BEGIN CERTIFICATE-----\nMIIDjTCC", cert);
	decode_str(buf, &l);
	assert_same_der(&l, &ref, 1, "lost last END");
	assert_one_error(&l, "truncated PEM block (no END line) at block 2");
	der_list_free(&l);

	/* BEGIN as the very last line. */
	decode_str("-----BEGIN CERTIFICATE-----", &l);
	cr_assert_eq(l.n, 0);
	assert_one_error(&l, "truncated PEM block (no END line) at block 1");
	der_list_free(&l);

	free(buf);
	free(cert);
	der_list_free(&ref);
}

Test(mem, bad_blocks)
{
	static const struct {
		const char	*pem;
		const char	*err;
	} cases[] = {
		{ "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
		    "PEM block 1 is not DER" },
		{ "-----BEGIN CERTIFICATE-----\naGVsbG8=\n"
		    "-----END CERTIFICATE-----\n", "PEM block 1 is not DER" },
		/* SEQUENCE claiming 5 bytes, holding 1 */
		{ "-----BEGIN CERTIFICATE-----\nMAUA\n"
		    "-----END CERTIFICATE-----\n", "PEM block 1 is not DER" },
		{ "-----BEGIN CERTIFICATE-----\nMA=A\n"
		    "-----END CERTIFICATE-----\n",
		    "invalid base64 in PEM block 1" },
		{ "-----BEGIN CERTIFICATE-----\nMAA===\n"
		    "-----END CERTIFICATE-----\n",
		    "invalid base64 in PEM block 1" },
		{ "-----BEGIN CERTIFICATE-----\nMAAAA\n"
		    "-----END CERTIFICATE-----\n",
		    "invalid base64 in PEM block 1" },
		{ "-----BEGIN CERTIFICATE-----\nMA-A\n"
		    "-----END CERTIFICATE-----\n",
		    "invalid base64 in PEM block 1" },
		{ "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nMAA=\n"
		    "-----END CERTIFICATE-----\n",
		    "invalid base64 in PEM block 1" },
	};
	struct der_list	 l;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		decode_str(cases[i].pem, &l);
		cr_assert_eq(l.n, 0, "case %zu", i);
		assert_one_error(&l, cases[i].err);
		der_list_free(&l);
	}
}

Test(mem, base64_padding_is_optional)
{
	static const char *const	 ok[] = {
		/* SEQUENCE {} padded, unpadded, split across lines */
		"-----BEGIN CERTIFICATE-----\nMAA=\n"
		    "-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nMAA\n"
		    "-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nM\nA\n\nA\n=\n"
		    "-----END CERTIFICATE-----\n",
	};
	struct der_list	 l;
	size_t		 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		decode_str(ok[i], &l);
		assert_no_errors(&l, ok[i]);
		cr_assert_eq(l.n, 1);
		cr_assert_eq(l.v[0].len, 2);
		cr_assert_eq(memcmp(l.v[0].der, "\x30\x00", 2), 0);
		der_list_free(&l);
	}
}

/* Every prefix of a good input decodes without crashing or inventing. */
Test(mem, prefixes_never_crash)
{
	static const char *const	 files[] = {
		"chains/good-rsa.pem", "chains/good-rsa-leaf.der",
		"chains/good-rsa.p7b", "chains/good-rsa.p7c",
	};
	struct der_list	 l;
	unsigned char	*buf, *copy;
	size_t		 len, i, f;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		buf = fixture_read(files[f], &len);
		for (i = 0; i < len; i++) {
			/* an exact-size copy, so ASan sees any overread */
			copy = malloc(i > 0 ? i : 1);
			cr_assert_not_null(copy);
			memcpy(copy, buf, i);
			decode(copy, i, &l);
			cr_assert_leq(l.n, 2);
			cr_assert(l.n > 0 || l.nerrors > 0,
			    "%s[:%zu]: nothing and no error", files[f], i);
			if (buf[0] == 0x30)
				cr_assert_eq(l.n, 0, "%s[:%zu]", files[f], i);
			der_list_free(&l);
			free(copy);
		}
		free(buf);
	}
}

/* Every single-byte corruption of the PKCS#7 bundle is survived. */
Test(mem, pkcs7_byte_flips_never_crash)
{
	struct der_list	 l;
	unsigned char	*buf;
	size_t		 len, i;

	buf = fixture_read("chains/good-rsa.p7b", &len);
	for (i = 0; i < len; i++) {
		buf[i] ^= 0x55;
		decode(buf, len, &l);
		cr_assert(l.n > 0 || l.nerrors > 0, "flip at %zu", i);
		der_list_free(&l);
		buf[i] ^= 0x55;
	}
	free(buf);
}

Test(mem, der_list_helpers)
{
	struct der_list	 l;
	size_t		 i;

	memset(&l, 0, sizeof(l));
	for (i = 0; i < 100; i++) {
		cr_assert_eq(der_list_add(&l, (const unsigned char *)"ab", 2),
		    0);
		cr_assert_eq(der_list_error(&l, "error %zu of %s", i, "many"),
		    0);
	}
	cr_assert_eq(der_list_add(&l, NULL, 0), 0);
	cr_assert_eq(l.n, 101);
	cr_assert_eq(l.v[100].len, 0);
	cr_assert_eq(l.nerrors, 100);
	cr_assert_str_eq(l.errors[42], "error 42 of many");
	der_list_free(&l);
	der_list_free(NULL);
}

/* ---- the decoder against its former self (issue 16) -------------------- */

/*
 * pem.c's block walk and base64 fast path must not change a single
 * answer: thousands of generated and mutated inputs are decoded by
 * pem_decode_known and by the decoder as it was (tests/pem_ref.c), with
 * and without a run cache, and the lists must agree in every certificate,
 * text span, error line and key note.  A fixed seed: a failure names its
 * case and reproduces.
 */

#define DIFF_CASES	20000

struct rng {
	uint64_t	 s;
};

/* splitmix64 */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t	 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
rng_below(struct rng *r, size_t n)
{
	return (size_t)(rng_next(r) % n);
}

#define PICK(r, arr)							\
	((arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

struct sbuf {
	char	*p;
	size_t	 len, cap;
};

static void
sb_add(struct sbuf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->p = realloc(b->p, b->cap);
		cr_assert_not_null(b->p);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* What the generated blocks hold. */
struct material {
	struct der_list	 ref;		/* leaf, intermediate */
	unsigned char	*p7;		/* a PKCS#7 bundle */
	unsigned char	*tc;		/* a trusted certificate */
	size_t		 p7len, tclen;
};

static const char *const	 diff_eols[] = { "\n", "\n", "\r\n", "\r",
    "\n\n", " \t\n", "\r\n\r\n", "\n\r" };
static const char *const	 diff_indents[] = { "", "", "", " ", "\t",
    "  \t" };

/* The base64 body of der, laid out as the dice say. */
static void
gen_body(struct rng *r, struct sbuf *b, const unsigned char *der,
    size_t len, int canonical)
{
	static const size_t	 widths[] = { 64, 64, 76, 4, 1, 3, 8, 65,
	    0 };
	char			*flat;
	const char		*eol = "\n";
	size_t			 w = 64, i, n, flen;
	int			 pad = 0, indent = 0, mixed = 0;

	flat = b64(der, len, 0, "");
	flen = strlen(flat);
	if (!canonical) {
		w = rng_below(r, 4) == 0 ? 1 + rng_below(r, 100) :
		    PICK(r, widths);
		eol = PICK(r, diff_eols);
		pad = (int)rng_below(r, 6);	/* 0-2: as is */
		indent = rng_below(r, 5) == 0;
		mixed = rng_below(r, 5) == 0;
	}
	if (pad == 3)			/* padding left off */
		while (flen > 0 && flat[flen - 1] == '=')
			flen--;
	if (w == 0)
		w = flen > 0 ? flen : 1;
	for (i = 0; i < flen; i += n) {
		n = flen - i < w ? flen - i : w;
		if (indent)
			sb_str(b, PICK(r, diff_indents));
		if (mixed && n > 2 && rng_below(r, 3) == 0) {
			/* whitespace inside the line */
			sb_add(b, flat + i, n / 2);
			sb_str(b, rng_below(r, 2) ? " " : "\t");
			sb_add(b, flat + i + n / 2, n - n / 2);
		} else
			sb_add(b, flat + i, n);
		if (pad == 4 && i + n == flen)
			sb_str(b, "=");		/* one too many */
		sb_str(b, mixed ? PICK(r, diff_eols) : eol);
		if (mixed && rng_below(r, 8) == 0)
			sb_str(b, "\n");	/* a blank line */
	}
	if (pad == 5)
		sb_str(b, "=\n");		/* a lone '=' line */
	free(flat);
}

/* One block: BEGIN line, body, END line (or not), as the dice say. */
static void
gen_block(struct rng *r, struct sbuf *b, const struct material *m,
    int *canonical_int)
{
	static const char *const	 labels[] = { "CERTIFICATE",
	    "CERTIFICATE", "CERTIFICATE", "X509 CERTIFICATE",
	    "TRUSTED CERTIFICATE", "PKCS7", "RSA PRIVATE KEY", "PRIVATE KEY",
	    "ENCRYPTED PRIVATE KEY", "X509 CRL", "CERTIFICATE REQUEST", "",
	    "certificate", "A VERY LONG LABEL THAT ENDS IN PRIVATE KEY",
	    /* marker lines past line_at's 64-byte steps */
	    "A LABEL LONGER THAN SIXTY-FOUR BYTES, WITH A DASH, AND THEN "
	    "SOME MORE, ENDING IN PRIVATE KEY" };
	static const unsigned char	 tiny[] = { 0x30, 0x00 };
	unsigned char			 junk[48];
	const unsigned char		*der;
	const char			*label, *eol;
	size_t				 len, i, pick;
	int				 canonical;

	label = PICK(r, labels);
	pick = rng_below(r, 10);
	if (strcmp(label, "PKCS7") == 0 && pick < 7) {
		der = m->p7;
		len = m->p7len;
	} else if (strcmp(label, "TRUSTED CERTIFICATE") == 0 && pick < 7) {
		der = m->tc;
		len = m->tclen;
	} else if (pick < 4) {
		der = m->ref.v[1].der;
		len = m->ref.v[1].len;
	} else if (pick < 7) {
		der = m->ref.v[0].der;
		len = m->ref.v[0].len;
	} else if (pick < 8) {
		der = tiny;
		len = sizeof(tiny);
	} else {
		len = 1 + rng_below(r, sizeof(junk) - 1);
		for (i = 0; i < len; i++)
			junk[i] = (unsigned char)rng_next(r);
		if (rng_below(r, 2) && len >= 2) {
			/* a SEQUENCE of junk: DER, just not a certificate */
			junk[0] = 0x30;
			junk[1] = (unsigned char)(len - 2);
		}
		der = junk;
	}
	canonical = rng_below(r, 3) == 0;
	eol = canonical ? "\n" : PICK(r, diff_eols);
	if (!canonical)
		sb_str(b, PICK(r, diff_indents));
	switch (canonical ? 0 : rng_below(r, 12)) {
	case 1:
		sb_str(b, "-----BEGIN");	/* no label at all */
		break;
	case 2:
		sb_str(b, "-----BEGIN ");
		sb_str(b, label);		/* no closing dashes */
		break;
	default:
		sb_str(b, "-----BEGIN ");
		sb_str(b, label);
		sb_str(b, "-----");
	}
	sb_str(b, eol);
	gen_body(r, b, der, len, canonical);
	if (canonical && der == m->ref.v[1].der &&
	    strcmp(label, "CERTIFICATE") == 0)
		*canonical_int = 1;
	switch (canonical ? 0 : rng_below(r, 14)) {
	case 1:
		return;				/* END lost */
	case 2:
		sb_str(b, "-----END");
		break;
	case 3:
		sb_str(b, "-----END SOMETHING ELSE-----");
		break;
	case 4:
		sb_str(b, PICK(r, diff_indents));
		/* FALLTHROUGH */
	default:
		sb_str(b, "-----END ");
		sb_str(b, label);
		sb_str(b, "-----");
	}
	if (rng_below(r, 6) != 0)
		sb_str(b, canonical ? "\n" : PICK(r, diff_eols));
}

/* Text between blocks, dashes included. */
static void
gen_junk(struct rng *r, struct sbuf *b)
{
	static const char *const	 lines[] = { "", "Subject: CN=x",
	    "  - a list item", "----- not a marker", "-", "--",
	    "-----END CERTIFICATE-----", "--BEGIN CERTIFICATE--",
	    "text -----BEGIN CERTIFICATE----- inside", "Proc-Type: 4,ENCRYPTED",
	    "    Signature Algorithm: sha256WithRSAEncryption", " \t ",
	    "-----BEGI", "-----BEGIN", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A",
	    "=", "a-b-c",
	    "- a line of text longer than sixty-four bytes, so that its end "
	    "is found in the second step\r\r" };
	size_t				 i, n = rng_below(r, 4);

	for (i = 0; i < n; i++) {
		sb_str(b, PICK(r, lines));
		sb_str(b, PICK(r, diff_eols));
	}
}

/* A few random edits, biased to the characters the decoder cares about. */
static void
mutate(struct rng *r, struct sbuf *b)
{
	static const char	 chars[] = "-=-= \t\r\n\r\nAz09+/*\0\377E";
	size_t			 i, n = rng_below(r, 4), at, k;
	char			 c;

	for (i = 0; i < n && b->len > 0; i++) {
		at = rng_below(r, b->len);
		c = chars[rng_below(r, sizeof(chars) - 1)];
		switch (rng_below(r, 5)) {
		case 0:
			b->p[at] = c;
			break;
		case 1:
			memmove(b->p + at, b->p + at + 1, b->len - at - 1);
			b->len--;
			break;
		case 2:
			sb_add(b, "", 1);
			memmove(b->p + at + 1, b->p + at, b->len - at - 1);
			b->p[at] = c;
			break;
		case 3:
			b->len = at;		/* truncated */
			break;
		default:
			/* a stretch repeated: nested BEGINs, twice the END */
			k = rng_below(r, b->len - at) + 1;
			if (k > 200)
				k = 200;
			{
				char	*copy = malloc(k);

				cr_assert_not_null(copy);
				memcpy(copy, b->p + at, k);
				sb_add(b, copy, k);
				free(copy);
			}
		}
	}
}

/* What the inputs of a differential test came to, in the new decoder. */
struct diff_stats {
	size_t	 hits;		/* answered by the cache */
	size_t	 certs, keys;
	/* error lines */
	size_t	 truncated, base64, notder, other;
};

/* Decode buf with both decoders, with known (may be NULL); must agree. */
static void
diff_one(const unsigned char *buf, size_t len,
    const struct pem_known *known, unsigned long seed,
    struct diff_stats *st)
{
	struct der_list	 got, want;
	unsigned char	*copy;
	char		 why[256];
	size_t		 i;

	/* An exact-size copy: ASan sees any read past the input. */
	copy = malloc(len > 0 ? len : 1);
	cr_assert_not_null(copy);
	memcpy(copy, buf, len);
	memset(&got, 0, sizeof(got));
	memset(&want, 0, sizeof(want));
	cr_assert_eq(pem_decode_known(copy, len, known, &got), 0);
	cr_assert_eq(pem_ref_decode_known(copy, len, known, &want), 0);
	if (pem_ref_diff(&got, &want, copy, why, sizeof(why)) != 0)
		cr_assert_fail("case %lu%s: %s; input:\n%.*s", seed,
		    known != NULL ? " (with cache)" : "", why, (int)len,
		    (const char *)copy);
	for (i = 0; i < got.n; i++)
		st->hits += got.v[i].known != NULL;
	st->certs += got.n;
	st->keys += got.key_block != 0;
	for (i = 0; i < got.nerrors; i++)
		if (strncmp(got.errors[i], "truncated", 9) == 0)
			st->truncated++;
		else if (strncmp(got.errors[i], "invalid base64", 14) == 0)
			st->base64++;
		else if (strstr(got.errors[i], "is not DER") != NULL)
			st->notder++;
		else
			st->other++;
	der_list_free(&got);
	der_list_free(&want);
	free(copy);
}

static void
material_load(struct material *m)
{
	static const unsigned char	 aux[] = { 0x30, 0x03, 0x0c, 0x01,
	    0x78 };

	reference(&m->ref);
	m->p7 = fixture_read("chains/good-rsa.p7b", &m->p7len);
	m->tclen = m->ref.v[0].len + sizeof(aux);
	m->tc = malloc(m->tclen);
	cr_assert_not_null(m->tc);
	memcpy(m->tc, m->ref.v[0].der, m->ref.v[0].len);
	memcpy(m->tc + m->ref.v[0].len, aux, sizeof(aux));
}

static void
material_free(struct material *m)
{
	der_list_free(&m->ref);
	free(m->p7);
	free(m->tc);
}

/*
 * A run cache that knows the intermediate by its canonical text (64
 * columns, LF), as a database scan's cache does after the first row.
 */
static struct cert_cache *
diff_cache(const struct material *m, struct pem_known *known)
{
	struct cert_cache	*cc;
	struct der_list		 l;
	struct cert		*c;
	char			*pem, err[128];
	size_t			 i;
	int			 owned, pass;

	cc = cert_cache_new(0);
	cr_assert_not_null(cc);
	cert_cache_known(cc, known);
	pem = pem_block("CERTIFICATE", m->ref.v[1].der, m->ref.v[1].len);
	for (pass = 0; pass < 2; pass++) {
		memset(&l, 0, sizeof(l));
		cr_assert_eq(pem_decode_known((unsigned char *)pem,
		    strlen(pem), known, &l), 0);
		cr_assert_eq(l.n, 1);
		/* The second pass finds what the first one kept. */
		cr_assert_eq(l.v[0].known != NULL, pass == 1);
		for (i = 0; i < l.n; i++) {
			c = cert_cache_parse_blob(cc, &l.v[i], &owned, err,
			    sizeof(err));
			cr_assert_not_null(c, "%s", err);
			if (owned)
				cert_free(c);
		}
		der_list_free(&l);
	}
	free(pem);
	return cc;
}

Test(diff, generated_and_mutated_inputs_decode_as_before)
{
	struct material		 m;
	struct cert_cache	*cc;
	struct pem_known	 known;
	struct sbuf		 b = { NULL, 0, 0 };
	struct rng		 r;
	struct diff_stats	 st;
	size_t			 nblocks, i;
	unsigned long		 seed;
	int			 canonical_int;

	memset(&st, 0, sizeof(st));
	material_load(&m);
	cc = diff_cache(&m, &known);
	for (seed = 1; seed <= DIFF_CASES; seed++) {
		r.s = seed;
		b.len = 0;
		canonical_int = 0;
		gen_junk(&r, &b);
		nblocks = rng_below(&r, 4) + (seed % 8 != 0);
		for (i = 0; i < nblocks; i++) {
			gen_block(&r, &b, &m, &canonical_int);
			gen_junk(&r, &b);
		}
		if (!canonical_int || rng_below(&r, 2))
			mutate(&r, &b);
		diff_one((unsigned char *)b.p, b.len, NULL, seed, &st);
		diff_one((unsigned char *)b.p, b.len, &known, seed, &st);
	}
	/* The inputs reached every outcome (else this test proves little). */
	cr_log_info("%zu certificates (%zu from the cache), %zu key notes; "
	    "errors: %zu truncated, %zu base64, %zu not DER, %zu other",
	    st.certs, st.hits, st.keys, st.truncated, st.base64, st.notder,
	    st.other);
	cr_assert_gt(st.certs, DIFF_CASES / 2);
	cr_assert_gt(st.hits, DIFF_CASES / 20);
	cr_assert_gt(st.keys, DIFF_CASES / 20);
	cr_assert_gt(st.truncated, DIFF_CASES / 20);
	cr_assert_gt(st.base64, DIFF_CASES / 20);
	cr_assert_gt(st.notder, DIFF_CASES / 20);
	cr_assert_gt(st.other, DIFF_CASES / 20);
	free(b.p);
	cert_cache_free(cc);
	material_free(&m);
}

/*
 * Bodies of every short mix of the characters base64 cares about, in a
 * block whose decoded bytes both decoders must agree on to the byte: the
 * fast path takes groups of four digits only between groups, with no
 * '=' seen; everything else is for the careful loop.  The body starts
 * "MA" and a third digit that make a SEQUENCE header whose length is
 * what the mix's digits add (as counted here), so that a mix that decodes
 * at all is a whole DER value, kept and compared.
 */
Test(diff, base64_corner_cases_decode_as_before)
{
	static const char	 alphabet[] = { 'M', 'A', 'w', '=', ' ', '\n',
	    '\r', '\t', '-', '*' };
	static const char	 digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			 body[16], buf[128];
	struct diff_stats	 st;
	size_t			 len, k, i, n, d, bytes, total = 1;

	memset(&st, 0, sizeof(st));
	for (len = 0; len <= 6; len++, total *= sizeof(alphabet)) {
		for (k = 0; k < total; k++) {
			for (i = 0, n = k, d = 3; i < len; i++) {
				body[i] = alphabet[n % sizeof(alphabet)];
				d += strchr("MAw", body[i]) != NULL;
				n /= sizeof(alphabet);
			}
			bytes = d / 4 * 3 + (d % 4 > 1 ? d % 4 - 1 : 0);
			n = (size_t)snprintf(buf, sizeof(buf),
			    "-----BEGIN CERTIFICATE-----\nMA%c%.*s\n"
			    "-----END CERTIFICATE-----\n",
			    digits[(bytes - 2) << 2], (int)len, body);
			diff_one((unsigned char *)buf, n, NULL, k, &st);
		}
	}
	cr_log_info("%zu certificates; errors: %zu base64, %zu not DER",
	    st.certs, st.base64, st.notder);
	cr_assert_gt(st.certs, 10000);
	cr_assert_gt(st.base64, 10000);
}

/*
 * Every byte value in every place of a run of sixteen digits (what the
 * SSSE3 path takes at once): a digit must decode as one, anything else
 * must send the run to the careful loop.  The body is a 15-byte SEQUENCE,
 * so that a digit changed past its header still makes DER and its bytes
 * are compared.
 */
Test(diff, every_byte_in_every_place_of_sixteen)
{
	static const unsigned char	 der[] = { 0x30, 0x0d, '0', '1', '2',
	    '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c' };
	static const char		 begin[] =
	    "-----BEGIN CERTIFICATE-----\n";
	static const char		 end[] =
	    "\n-----END CERTIFICATE-----\n";
	struct diff_stats		 st;
	struct sbuf			 b = { NULL, 0, 0 };
	char				*body;
	size_t				 place, c, bodylen;

	memset(&st, 0, sizeof(st));
	body = b64(der, sizeof(der), 0, "");
	bodylen = strlen(body);
	cr_assert_eq(bodylen, 20);
	for (place = 0; place < 16; place++)
		for (c = 0; c < 256; c++) {
			b.len = 0;
			sb_str(&b, begin);
			sb_add(&b, body, place);
			sb_add(&b, &(char){ (char)c }, 1);
			sb_add(&b, body + place + 1, bodylen - place - 1);
			sb_str(&b, end);
			diff_one((unsigned char *)b.p, b.len, NULL,
			    (unsigned long)(place << 8 | c), &st);
		}
	cr_log_info("%zu certificates; errors: %zu base64, %zu not DER, "
	    "%zu other", st.certs, st.base64, st.notder, st.other);
	/* 64 digits in 13 places past the header, the unchanged one too */
	cr_assert_geq(st.certs, 13 * 64);
	cr_assert_gt(st.base64, 16 * 150);
	free(b.p);
	free(body);
}

/* ---- asn1 -------------------------------------------------------------- */

Test(asn1, tlv_len)
{
	static const unsigned char	 short_form[] = { 0x02, 0x01, 0x05 };
	static const unsigned char	 long_form[] = { 0x04, 0x81, 0x01,
	    0xaa, 0xff };
	static const unsigned char	 indefinite[] = { 0x30, 0x80, 0x00,
	    0x00 };
	static const unsigned char	 huge[] = { 0x30, 0x84, 0x7f, 0xff,
	    0xff, 0xff, 0x00 };
	static const unsigned char	 no_len[] = { 0x30 };
	static const unsigned char	 high_tag[] = { 0x1f, 0x81, 0x00,
	    0x01, 0x00 };

	cr_assert_eq(asn1_tlv_len(short_form, sizeof(short_form)), 3);
	cr_assert_eq(asn1_tlv_len(short_form, 2), 0);
	cr_assert_eq(asn1_tlv_len(long_form, sizeof(long_form)), 4);
	cr_assert_eq(asn1_tlv_len(long_form, 3), 0);
	cr_assert_eq(asn1_tlv_len(long_form, 2), 0);
	cr_assert_eq(asn1_tlv_len(indefinite, sizeof(indefinite)), 0);
	cr_assert_eq(asn1_tlv_len(huge, sizeof(huge)), 0);
	cr_assert_eq(asn1_tlv_len(no_len, sizeof(no_len)), 0);
	cr_assert_eq(asn1_tlv_len(high_tag, sizeof(high_tag)), 5);
	cr_assert_eq(asn1_tlv_len(NULL, 4), 0);
	cr_assert_eq(asn1_tlv_len(short_form, 0), 0);
}

Test(asn1, cert_tbs)
{
	struct der_list		 ref;
	const unsigned char	*tbs;
	size_t			 tbslen, i;

	reference(&ref);
	for (i = 0; i < ref.n; i++) {
		tbs = NULL;
		tbslen = 0;
		cr_assert_eq(asn1_cert_tbs(ref.v[i].der, ref.v[i].len, &tbs,
		    &tbslen), 0);
		/* Both certificates have 4-byte outer headers (30 82 xx xx). */
		cr_assert_eq(tbs, ref.v[i].der + 4);
		cr_assert_eq(tbs[0], 0x30);
		cr_assert_eq(asn1_tlv_len(tbs, tbslen), tbslen);
		cr_assert_lt(tbslen, ref.v[i].len - 4);
	}
	/* The leaf's TBSCertificate has a two-byte long-form length. */
	cr_assert_eq(asn1_cert_tbs(ref.v[0].der, ref.v[0].len, &tbs, &tbslen),
	    0);
	cr_assert_eq(tbs[1], 0x82);
	cr_assert_eq(tbslen, 4 + ((size_t)tbs[2] << 8 | tbs[3]));

	/* Not a SEQUENCE holding a SEQUENCE: out-params untouched. */
	tbs = (const unsigned char *)"x";
	tbslen = 7;
	cr_assert_eq(asn1_cert_tbs((const unsigned char *)"\x30\x03\x02\x01"
	    "\x05", 5, &tbs, &tbslen), -1);
	cr_assert_eq(asn1_cert_tbs((const unsigned char *)"\x31\x02\x30\x00",
	    4, &tbs, &tbslen), -1);
	cr_assert_eq(asn1_cert_tbs((const unsigned char *)"\x30\x00", 2,
	    &tbs, &tbslen), -1);
	cr_assert_eq(asn1_cert_tbs(ref.v[0].der, ref.v[0].len - 1, &tbs,
	    &tbslen), -1);
	cr_assert_str_eq((const char *)tbs, "x");
	cr_assert_eq(tbslen, 7);
	der_list_free(&ref);
}
