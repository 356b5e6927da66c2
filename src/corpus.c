/*
 * corpus.c: the known-CA corpus, looked up in place; see corpus.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"

struct corpus {
	const unsigned char	*image;		/* borrowed */
	size_t			 len;
	const char		*origin;	/* borrowed */
	uint32_t		 count;
	const unsigned char	*recs;		/* count x (offset, length) */
	const unsigned char	*subj;		/* count x (hash, record) */
	const unsigned char	*kids;		/* nkids x (hash, record) */
	uint32_t		 nkids;
	const unsigned char	*der;		/* the DER area */
	size_t			 derlen;
	/*
	 * One slot per record: NULL until first used, then the parsed
	 * entry (owned), or &bad for a certificate that does not parse.
	 */
	struct trust_entry	**slots;
	struct trust_entry	 bad;		/* the marker, never handed out */
	size_t			 nparsed, nbad;	/* updated atomically */
};

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint32_t
corpus_hash(const unsigned char *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

/* 1 when [off, off + n * size) lies inside the image. */
static int
span_ok(size_t len, uint32_t off, uint64_t n, size_t size)
{
	return off <= len && n * size <= len - off;
}

/*
 * Open an image; see corpus.h.  Every offset and every record is checked
 * against the image here, so lookups need no further bounds checks.
 */
struct corpus *
corpus_open(const unsigned char *image, size_t len, const char *origin,
    char *err, size_t errlen)
{
	struct corpus *c = NULL;
	uint32_t i, off, dlen, rec_off, subj_off, kid_off, der_off;

	if (len < CORPUS_HEADER_LEN || memcmp(image, CORPUS_MAGIC, 8) != 0) {
		snprintf(err, errlen, "not a known-CA corpus image");
		return NULL;
	}
	if (get32(image + 8) != CORPUS_VERSION) {
		snprintf(err, errlen, "corpus image version %u, expected %u",
		    get32(image + 8), CORPUS_VERSION);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->image = image;
	c->len = len;
	c->origin = origin;
	c->count = get32(image + 12);
	rec_off = get32(image + 16);
	subj_off = get32(image + 20);
	kid_off = get32(image + 24);
	der_off = get32(image + 28);
	c->nkids = get32(image + 32);
	if (!span_ok(len, rec_off, c->count, 8) ||
	    !span_ok(len, subj_off, c->count, 8) ||
	    !span_ok(len, kid_off, c->nkids, 8) || der_off > len) {
		snprintf(err, errlen, "corpus image truncated or corrupt "
		    "(tables outside the image)");
		goto fail;
	}
	c->recs = image + rec_off;
	c->subj = image + subj_off;
	c->kids = image + kid_off;
	c->der = image + der_off;
	c->derlen = len - der_off;
	for (i = 0; i < c->count; i++) {
		off = get32(c->recs + 8 * (size_t)i);
		dlen = get32(c->recs + 8 * (size_t)i + 4);
		if (off > c->derlen || dlen > c->derlen - off) {
			snprintf(err, errlen, "corpus image corrupt: "
			    "certificate %u lies outside the image", i);
			goto fail;
		}
	}
	for (i = 0; i < c->count; i++)
		if (get32(c->subj + 8 * (size_t)i + 4) >= c->count)
			goto bad_index;
	for (i = 0; i < c->nkids; i++)
		if (get32(c->kids + 8 * (size_t)i + 4) >= c->count)
			goto bad_index;
	if ((c->slots = calloc(c->count ? c->count : 1,
	    sizeof(*c->slots))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return c;
bad_index:
	snprintf(err, errlen, "corpus image corrupt: an index names a "
	    "certificate that does not exist");
fail:
	free(c);
	return NULL;
}

void
corpus_free(struct corpus *c)
{
	uint32_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->count; i++)
		if (c->slots[i] != NULL && c->slots[i] != &c->bad) {
			cert_free(c->slots[i]->cert);
			free(c->slots[i]);
		}
	free(c->slots);
	free(c);
}

size_t
corpus_count(const struct corpus *c)
{
	return c == NULL ? 0 : c->count;
}

void
corpus_stats(const struct corpus *c, size_t *parsed, size_t *bad)
{
	*parsed = c == NULL ? 0 : __atomic_load_n(&c->nparsed,
	    __ATOMIC_RELAXED);
	*bad = c == NULL ? 0 : __atomic_load_n(&c->nbad, __ATOMIC_RELAXED);
}

/*
 * Record rec as an entry, parsing it on first use; NULL when it does not
 * parse or memory ran out (then the next lookup tries again).  Two
 * threads may parse the same record at once: the first to publish wins
 * and the other frees its copy.
 */
static const struct trust_entry *
slot_entry(const struct corpus *cc, uint32_t rec)
{
	struct corpus *c = (struct corpus *)cc;	/* the slots only */
	struct trust_entry *e, *expected = NULL;
	struct cert *crt;
	char err[ERRBUF_LEN];
	uint32_t off, len;

	e = __atomic_load_n(&c->slots[rec], __ATOMIC_ACQUIRE);
	if (e != NULL)
		return e == &c->bad ? NULL : e;
	off = get32(c->recs + 8 * (size_t)rec);
	len = get32(c->recs + 8 * (size_t)rec + 4);
	if ((crt = cert_parse(c->der + off, len, err, sizeof(err))) == NULL) {
		if (__atomic_compare_exchange_n(&c->slots[rec], &expected,
		    &c->bad, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			__atomic_add_fetch(&c->nbad, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		cert_free(crt);
		return NULL;
	}
	e->cert = crt;
	e->kind = TRUST_CORPUS;
	e->origin = c->origin;
	if (!__atomic_compare_exchange_n(&c->slots[rec], &expected, e, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		cert_free(crt);
		free(e);
		return expected == &c->bad ? NULL : expected;
	}
	__atomic_add_fetch(&c->nparsed, 1, __ATOMIC_RELAXED);
	return e;
}

/* The first position in an index of n entries whose hash is h. */
static size_t
index_first(const unsigned char *idx, size_t n, uint32_t h)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (get32(idx + 8 * mid) < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Walk the entries of index idx (n long) hashed h, handing fn those for
 * which match says yes.
 */
static int
each_hashed(const struct corpus *c, const unsigned char *idx, size_t n,
    const unsigned char *key, size_t keylen,
    int (*match)(const struct cert *, const unsigned char *, size_t),
    int (*fn)(const struct trust_entry *, void *), void *arg)
{
	const struct trust_entry *e;
	uint32_t h = corpus_hash(key, keylen);
	size_t i;

	for (i = index_first(idx, n, h); i < n && get32(idx + 8 * i) == h;
	    i++) {
		if ((e = slot_entry(c, get32(idx + 8 * i + 4))) == NULL)
			continue;
		if (match(e->cert, key, keylen) && fn(e, arg))
			return 1;
	}
	return 0;
}

static int
subject_is(const struct cert *crt, const unsigned char *dn, size_t len)
{
	return crt->raw_subject.size == len &&
	    memcmp(crt->raw_subject.data, dn, len) == 0;
}

static int
keyid_is(const struct cert *crt, const unsigned char *kid, size_t len)
{
	return crt->ski_len == len && memcmp(crt->ski, kid, len) == 0;
}

int
corpus_each_subject(const struct corpus *c, const unsigned char *dn,
    size_t dnlen, int (*fn)(const struct trust_entry *, void *), void *arg)
{
	if (c == NULL)
		return 0;
	return each_hashed(c, c->subj, c->count, dn, dnlen, subject_is, fn,
	    arg);
}

int
corpus_each_keyid(const struct corpus *c, const unsigned char *keyid,
    size_t len, int (*fn)(const struct trust_entry *, void *), void *arg)
{
	if (c == NULL || len == 0)
		return 0;
	return each_hashed(c, c->kids, c->nkids, keyid, len, keyid_is, fn,
	    arg);
}
