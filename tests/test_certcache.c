/*
 * test_certcache.c: the run-wide certificate cache (certcache.c) and the
 * filter that keeps it to bytes that repeat (seen.c): a block seen
 * before is answered from its PEM text without decoding, a leaf is kept
 * only from its second sighting, the number of leaves kept is bounded,
 * and what the cache answers is what a parse gives.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "certcache.h"
#include "certkit.h"
#include "hashcache.h"
#include "seen.h"
#include "testlib.h"

/* Decode buf with cc's hook, as run_decode does. */
static void
decode_known(struct cert_cache *cc, const unsigned char *buf, size_t len,
    struct der_list *out)
{
	struct pem_known k;

	memset(out, 0, sizeof(*out));
	cert_cache_known(cc, &k);
	cr_assert_eq(pem_decode_known(buf, len, &k, out), 0);
}

/* Look every blob of list up; parsed[i] and owned[i] as judge_input. */
static void
parse_all(struct cert_cache *cc, const struct der_list *list,
    struct cert **parsed, int *owned)
{
	char err[ERRBUF_LEN];
	size_t i;

	for (i = 0; i < list->n; i++) {
		parsed[i] = cert_cache_parse_blob(cc, &list->v[i], &owned[i],
		    err, sizeof(err));
		cr_assert_not_null(parsed[i], "%s", err);
	}
}

static void
free_owned(struct cert **parsed, const int *owned, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (owned[i])
			cert_free(parsed[i]);
}

/*
 * The same chain three times: the intermediate is kept at once and
 * answered by its PEM text from the second time on (not decoded: its DER
 * is the cache's); the leaf is parsed afresh the first time, kept the
 * second, answered by text the third.  Every answer has the DER the
 * block holds.
 */
Test(certcache, pem_text_answers_what_was_seen)
{
	struct cert_cache *cc = cert_cache_new(0);
	struct der_list plain, l[3];
	struct cert *p[3][2];
	int owned[3][2];
	unsigned char *pem;
	unsigned long hits, misses;
	size_t len;
	int i;

	pem = fixture_read("chains/good-rsa.pem", &len);
	fixture_decode("chains/good-rsa.pem", &plain);
	cr_assert_eq(plain.n, 2);
	for (i = 0; i < 3; i++) {
		decode_known(cc, pem, len, &l[i]);
		cr_assert_eq(l[i].n, 2);
		cr_expect_eq(l[i].v[0].len, plain.v[0].len);
		cr_expect_eq(memcmp(l[i].v[0].der, plain.v[0].der,
		    plain.v[0].len), 0);
		cr_expect_eq(memcmp(l[i].v[1].der, plain.v[1].der,
		    plain.v[1].len), 0);
		parse_all(cc, &l[i], p[i], owned[i]);
	}
	/* Texts borrow the input; pem_decode's blobs have none. */
	cr_expect_null(plain.v[0].text);
	cr_expect(l[0].v[0].text > pem && l[0].v[0].text +
	    l[0].v[0].text_len < pem + len);
	cr_expect_eq(memcmp(l[0].v[0].text, "MII", 3), 0);
	/* Not known when first read; the intermediate after. */
	cr_expect_null(l[0].v[0].known);
	cr_expect_null(l[0].v[1].known);
	cr_expect_null(l[1].v[0].known);
	cr_expect_not_null(l[1].v[1].known);
	cr_expect_not_null(l[2].v[0].known);
	cr_expect_not_null(l[2].v[1].known);
	/* Who owns what. */
	cr_expect(owned[0][0] && !owned[0][1]);
	cr_expect(!owned[1][0] && !owned[1][1]);
	cr_expect(!owned[2][0] && !owned[2][1]);
	cr_expect_eq(p[0][1], p[1][1]);
	cr_expect_eq(p[1][1], p[2][1]);
	cr_expect_eq(p[1][0], p[2][0]);
	cr_expect_neq(p[0][0], p[1][0]);
	cr_expect(cert_is_same(p[0][0], p[2][0]));
	cr_expect_str_eq(cert_subject(p[2][0]), cert_subject(p[0][0]));
	cr_expect_eq(cert_cache_leaves(cc), 1);
	cert_cache_stats(cc, &hits, &misses);
	/* By DER: int miss, leaf miss, leaf miss; by text: int, int, leaf. */
	cr_expect_eq(misses, 3, "%lu", misses);
	cr_expect_eq(hits, 3, "%lu", hits);
	for (i = 0; i < 3; i++) {
		free_owned(p[i], owned[i], 2);
		der_list_free(&l[i]);
	}
	der_list_free(&plain);
	free(pem);
	cert_cache_free(cc);
}

/*
 * The same certificates written with CRLF line ends: another text, so
 * decoded, then found by DER; and a block whose text differs by one
 * character from a kept one is not taken for it.
 */
Test(certcache, other_text_of_same_der_and_near_miss)
{
	struct cert_cache *cc = cert_cache_new(0);
	struct der_list a, b, c;
	struct cert *pa[2], *pb[2], *pc[2];
	int oa[2], ob[2], oc[2];
	unsigned char *lf, *crlf;
	size_t lflen, crlflen;
	char *at;

	lf = fixture_read("chains/good-rsa.pem", &lflen);
	crlf = fixture_read("chains/good-rsa-crlf.pem", &crlflen);
	decode_known(cc, lf, lflen, &a);
	parse_all(cc, &a, pa, oa);
	decode_known(cc, crlf, crlflen, &b);
	cr_expect_null(b.v[1].known, "CRLF text is another key");
	parse_all(cc, &b, pb, ob);
	cr_expect_eq(pb[1], pa[1], "found by DER");
	/* Flip one base64 character inside the intermediate's block. */
	at = strstr((char *)lf + (a.v[1].text - lf), "\n") + 10;
	*at = *at == 'A' ? 'B' : 'A';
	decode_known(cc, lf, lflen, &c);
	cr_expect_null(c.v[1].known, "a changed text is not the kept one");
	cr_expect(c.v[1].len != pa[1]->der_len ||
	    memcmp(c.v[1].der, pa[1]->der, pa[1]->der_len) != 0);
	free_owned(pa, oa, a.n);
	free_owned(pb, ob, b.n);
	if (c.n == 2) {
		char err[ERRBUF_LEN];
		int o;
		struct cert *x = cert_cache_parse_blob(cc, &c.v[1], &o, err,
		    sizeof(err));

		/* A changed signature or name: parsed, never the kept one. */
		cr_expect(x == NULL || x != pa[1]);
		if (x != NULL && o)
			cert_free(x);
		(void)pc;
		(void)oc;
	}
	der_list_free(&a);
	der_list_free(&b);
	der_list_free(&c);
	free(lf);
	free(crlf);
	cert_cache_free(cc);
}

/*
 * Distinct leaves seen once each are never kept; seen again, they are
 * kept until CERT_CACHE_LEAVES are, and no more after that.  (The filter
 * may miss a repeat when another leaf took its slot in between: that one
 * is kept at its next sighting.)
 */
Test(certcache, leaves_kept_only_when_repeated_and_bounded)
{
	struct cert_cache *cc = cert_cache_new(0);
	struct der_blob *d;
	struct cert *c;
	char err[ERRBUF_LEN], cn[32];
	size_t i, n = CERT_CACHE_LEAVES + 128, kept;
	int owned, pass;

	cr_assert_not_null(d = calloc(n, sizeof(*d)));
	for (i = 0; i < n; i++) {
		snprintf(cn, sizeof(cn), "leaf%zu.example.test", i);
		d[i] = certkit_der(&(struct certkit){ .cn = cn,
		    .issuer_cn = "Issuer", .serial = i + 1 });
	}
	for (pass = 0; pass < 4; pass++) {
		for (i = 0, kept = 0; i < n; i++) {
			c = cert_cache_parse(cc, d[i].der, d[i].len, &owned,
			    err, sizeof(err));
			cr_assert_not_null(c, "%s", err);
			cr_assert_eq(c->der_len, d[i].len);
			cr_assert_eq(memcmp(c->der, d[i].der, d[i].len), 0);
			if (pass == 0)
				cr_expect(owned, "leaf %zu kept at first", i);
			kept += !owned;
			if (owned)
				cert_free(c);
		}
		cr_expect_leq(kept, CERT_CACHE_LEAVES);
		cr_expect_eq(cert_cache_leaves(cc), pass == 0 ? 0 : kept);
	}
	/* By the last pass every kept leaf is answered, and no more. */
	cr_expect_eq(kept, CERT_CACHE_LEAVES, "%zu", kept);
	for (i = 0; i < n; i++)
		free(d[i].der);
	free(d);
	cert_cache_free(cc);
}

/*
 * The cache's key reads a certificate's length, head and tail only
 * (certcache.c cc_key): two CA certificates that differ only in the
 * middle (one letter of the subject's CN) share a key.  The second is
 * still parsed from its own bytes, never answered with the first, and
 * the first stays the kept one.
 */
Test(certcache, same_head_and_tail_is_not_the_same_certificate)
{
	struct cert_cache *cc = cert_cache_new(0);
	struct der_blob a, b;
	struct cert *ca, *cb, *again;
	char err[ERRBUF_LEN], name[64];
	unsigned char *at = NULL;
	size_t i;
	int oa, ob, oagain;

	a = certkit_der(&(struct certkit){ .cn = "Middle Letter CA QQQQ",
	    .issuer_cn = "Root", .ca = 1, .serial = 77 });
	for (i = 0; i + 4 <= a.len; i++)
		if (memcmp(a.der + i, "QQQQ", 4) == 0)
			at = a.der + i;
	cr_assert_not_null(at);
	cr_assert(at - a.der >= 64 && a.der + a.len - at > 128,
	    "the CN lies between the head and the tail the key reads");
	b.len = a.len;
	cr_assert_not_null(b.der = malloc(b.len));
	memcpy(b.der, a.der, a.len);
	b.der[at - a.der + 3] = 'R';

	ca = cert_cache_parse(cc, a.der, a.len, &oa, err, sizeof(err));
	cr_assert_not_null(ca, "%s", err);
	cr_expect_not(oa, "a CA certificate is kept at once");
	cb = cert_cache_parse(cc, b.der, b.len, &ob, err, sizeof(err));
	cr_assert_not_null(cb, "%s", err);
	cr_expect_neq(cb, ca);
	cr_expect(ob, "the look-alike is the caller's: its key was taken");
	cr_expect_eq(memcmp(cb->der, b.der, b.len), 0);
	cr_expect_str_eq(cert_short_name(cb, name, sizeof(name)),
	    "Middle Letter CA QQQR");
	again = cert_cache_parse(cc, a.der, a.len, &oagain, err, sizeof(err));
	cr_expect_eq(again, ca, "the first is still the kept one");
	if (ob)
		cert_free(cb);
	free(a.der);
	free(b.der);
	cert_cache_free(cc);
}

/* Without a cache, the hook knows nothing and every parse is owned. */
Test(certcache, no_cache)
{
	struct der_list l;
	struct cert *p[2];
	int o[2];
	unsigned char *pem;
	size_t len;

	pem = fixture_read("chains/good-rsa.pem", &len);
	decode_known(NULL, pem, len, &l);
	parse_all(NULL, &l, p, o);
	cr_expect(o[0] && o[1] && l.v[1].known == NULL);
	free_owned(p, o, 2);
	der_list_free(&l);
	free(pem);
}

/* ---- seen.c and the digest ---------------------------------------------- */

Test(seen, a_repeat_is_seen_and_a_slot_holds_the_last)
{
	struct seen *s = seen_new(4);
	uint64_t a = hashcache_digest("a", 1), b;
	unsigned i;

	cr_expect_eq(seen_mark(s, a), 0);
	cr_expect_eq(seen_mark(s, a), 1);
	/* Another digest in a's slot makes a new again: missed, not made up. */
	for (i = 0;; i++) {
		b = hashcache_digest(&i, sizeof(i));
		if (b != a && ((b >> 32 ^ b >> 48) & 3) == ((a >> 32 ^ a >> 48)
		    & 3))
			break;
	}
	cr_expect_eq(seen_mark(s, b), 0);
	cr_expect_eq(seen_mark(s, a), 0);
	cr_expect_eq(seen_mark(s, a), 1);
	seen_free(s);
}

Test(seen, digest_follows_every_byte_and_the_length)
{
	unsigned char buf[37];
	uint64_t d;
	size_t i;

	memset(buf, 'x', sizeof(buf));
	d = hashcache_digest(buf, sizeof(buf));
	cr_expect_eq(hashcache_digest(buf, sizeof(buf)), d);
	cr_expect_neq(hashcache_digest(buf, sizeof(buf) - 1), d);
	for (i = 0; i < sizeof(buf); i++) {
		buf[i] ^= 1;
		cr_expect_neq(hashcache_digest(buf, sizeof(buf)), d,
		    "byte %zu", i);
		buf[i] ^= 1;
	}
	/* A zero tail counts: "x" and "x\0" differ. */
	cr_expect_neq(hashcache_digest("x", 1), hashcache_digest("x\0", 2));
}
