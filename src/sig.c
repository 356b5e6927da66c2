/*
 * sig.c: verify candidate signatures; rank them by the strength table;
 * cache the results.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "asn1.h"
#include "hashcache.h"
#include "p256.h"
#include "rsakey.h"
#include "seen.h"
#include "sig.h"

/*
 * Negative, zero or positive as a is weaker than, equal to or stronger
 * than b.  A broken hash ranks below every unbroken one whatever the key,
 * because a collision forges the signature without touching the key.
 */
int
strength_cmp(struct strength a, struct strength b)
{
	if (a.hash != b.hash)
		return a.hash < b.hash ? -1 : 1;
	if (a.bits != b.bits)
		return a.bits < b.bits ? -1 : 1;
	return 0;
}

/*
 * 1 when s rests on MD2, MD5 or SHA-1 (or an unknown hash).
 */
int
strength_is_broken(struct strength s)
{
	return s.hash <= HASH_BROKEN_MAX;
}

/* ---- the strength table ----------------------------------------------- */

/* Collision resistance of each hash, in bits (broken ones: best attack). */
static const struct {
	gnutls_digest_algorithm_t dig;
	enum hash_rank	 rank;
	unsigned	 bits;
} hash_table[] = {
	{ GNUTLS_DIG_MD2,	HASH_MD2,	63 },
	{ GNUTLS_DIG_MD5,	HASH_MD5,	18 },
	{ GNUTLS_DIG_SHA1,	HASH_SHA1,	61 },
	{ GNUTLS_DIG_RMD160,	HASH_STRONG,	80 },
	{ GNUTLS_DIG_SHA224,	HASH_STRONG,	112 },
	{ GNUTLS_DIG_SHA256,	HASH_STRONG,	128 },
	{ GNUTLS_DIG_SHA384,	HASH_STRONG,	192 },
	{ GNUTLS_DIG_SHA512,	HASH_STRONG,	256 },
	{ GNUTLS_DIG_SHA3_224,	HASH_STRONG,	112 },
	{ GNUTLS_DIG_SHA3_256,	HASH_STRONG,	128 },
	{ GNUTLS_DIG_SHA3_384,	HASH_STRONG,	192 },
	{ GNUTLS_DIG_SHA3_512,	HASH_STRONG,	256 },
	{ GNUTLS_DIG_STREEBOG_256, HASH_STRONG,	128 },
	{ GNUTLS_DIG_STREEBOG_512, HASH_STRONG,	256 },
	{ GNUTLS_DIG_GOSTR_94,	HASH_STRONG,	128 },
};

/*
 * Post-quantum algorithms seen in hybrid certificates.  This GnuTLS
 * verifies none of them; the table gives their NIST security category
 * as bits, for keys and signatures alike.  cert.c names the same OIDs
 * for reports (its pq_table).
 */
static const struct {
	const char	*oid;
	unsigned	 bits;
} pq_table[] = {
	{ "2.16.840.1.101.3.4.3.17",	128 },	/* ML-DSA-44 */
	{ "2.16.840.1.101.3.4.3.18",	192 },	/* ML-DSA-65 */
	{ "2.16.840.1.101.3.4.3.19",	256 },	/* ML-DSA-87 */
	{ "1.3.6.1.4.1.2.267.7.4.4",	128 },	/* Dilithium2 (round 2) */
	{ "1.3.6.1.4.1.2.267.7.6.5",	192 },	/* Dilithium3 (round 2) */
	{ "1.3.6.1.4.1.2.267.7.8.7",	256 },	/* Dilithium5 (round 2) */
};

/* The security bits of a post-quantum algorithm's OID, 0 if unknown. */
static unsigned
pq_strength(const char *oid)
{
	size_t i;

	for (i = 0; i < sizeof(pq_table) / sizeof(pq_table[0]); i++)
		if (strcmp(pq_table[i].oid, oid) == 0)
			return pq_table[i].bits;
	return 0;
}

/* The hash family and bits of a GnuTLS signature algorithm. */
static struct strength
sign_hash_strength(int sign)
{
	struct strength s = { HASH_UNKNOWN, 0 };
	gnutls_digest_algorithm_t dig;
	size_t i;

	/* EdDSA hashes internally; its strength is the curve's. */
	switch (gnutls_sign_get_pk_algorithm(sign)) {
	case GNUTLS_PK_EDDSA_ED25519:
		s.hash = HASH_STRONG;
		s.bits = 128;
		return s;
	case GNUTLS_PK_EDDSA_ED448:
		s.hash = HASH_STRONG;
		s.bits = 224;
		return s;
	default:
		break;
	}
	dig = gnutls_sign_get_hash_algorithm(sign);
	for (i = 0; i < sizeof(hash_table) / sizeof(hash_table[0]); i++)
		if (hash_table[i].dig == dig) {
			s.hash = hash_table[i].rank;
			s.bits = hash_table[i].bits;
			break;
		}
	return s;
}

/* NIST SP 800-57 Part 1 Table 2 for factoring and finite-field keys. */
static unsigned
ifc_strength(unsigned bits)
{
	if (bits >= 15360)
		return 256;
	if (bits >= 7680)
		return 192;
	if (bits >= 3072)
		return 128;
	if (bits >= 2048)
		return 112;
	if (bits >= 1024)
		return 80;
	if (bits >= 512)
		return 56;
	return bits / 16;
}

/* Security bits of a key of GnuTLS algorithm algo and size bits. */
static unsigned
key_strength(int algo, unsigned bits)
{
	switch (algo) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
	case GNUTLS_PK_DSA:
		return ifc_strength(bits);
	case GNUTLS_PK_EC:
	case GNUTLS_PK_GOST_01:
	case GNUTLS_PK_GOST_12_256:
	case GNUTLS_PK_GOST_12_512:
		return bits / 2;
	case GNUTLS_PK_EDDSA_ED25519:
		return 128;
	case GNUTLS_PK_EDDSA_ED448:
		return 224;
	default:
		return 0;
	}
}

/*
 * The hash half of c's own signature.
 */
struct strength
sig_hash_strength(const struct cert *c)
{
	return sign_hash_strength(c->sig_algo);
}

/*
 * The hash half of c's alternative signature: a post-quantum algorithm
 * this GnuTLS lacks hashes internally and counts as its category.
 */
struct strength
sig_alt_hash_strength(const struct cert *c)
{
	struct strength s = { HASH_UNKNOWN, 0 };

	if (c->alt_sig_algo != GNUTLS_SIGN_UNKNOWN)
		return sign_hash_strength(c->alt_sig_algo);
	if ((s.bits = pq_strength(c->alt_sig_oid)) > 0)
		s.hash = HASH_STRONG;
	return s;
}

/*
 * Security strength in bits of c's public key.
 */
unsigned
sig_key_strength(const struct cert *c)
{
	return key_strength(c->key_algo, c->key_bits);
}

/*
 * Security strength in bits of c's alternative public key, 0 if none
 * (or unknown).
 */
unsigned
sig_alt_key_strength(const struct cert *c)
{
	if (!c->alt_key_present)
		return 0;
	if (c->alt_key_algo == GNUTLS_PK_UNKNOWN)
		return pq_strength(c->alt_key_oid);
	return key_strength(c->alt_key_algo, c->alt_key_bits);
}

/* A signature's hash half, capped by the key that made it. */
static struct strength
strength_with_key(struct strength s, unsigned kbits)
{
	if (kbits < s.bits)
		s.bits = kbits;
	return s;
}

/*
 * The strength of subject's signature made with issuer's key: the hash
 * family, and the weaker of the hash's and the key's security bits.
 */
struct strength
sig_strength(const struct cert *subject, const struct cert *issuer)
{
	return strength_with_key(sig_hash_strength(subject),
	    sig_key_strength(issuer));
}

const char *
sig_status_name(enum sig_status s)
{
	switch (s) {
	case SIG_VERIFIED:
		return "verified";
	case SIG_FAILED:
		return "failed";
	case SIG_UNSUPPORTED:
		return "unsupported";
	}
	return "?";
}

/* ---- cost --------------------------------------------------------------- */

/*
 * Prices of the public-key operation of one verification, in
 * nanoseconds, measured with nettle (GnuTLS 3.7) on a shared 2-vCPU AMD
 * EPYC VM and rounded up: an RSA-2048 check with e = 65537 takes about
 * 26 us, P-256 160 us, P-384 about 2.5 times that, P-521 about 5 times.
 * An RSA check is one modular exponentiation: a squaring per bit of the
 * public exponent, each costing the square of the modulus size (an
 * over-estimate for large moduli, where GMP's multiplication is
 * sub-quadratic: safe for a budget).
 */
#define COST_BASE_NS		4000	/* parsing, padding, compare */
#define COST_RSA_BIT_NS		1500	/* per exponent bit, 2048-bit n */
#define COST_HASH_BYTE_NS	4	/* hashing the signed bytes */
#define COST_UNKNOWN_NS		50000	/* what nobody has priced */

/* The bit length of an RSA key's public exponent, or 17 (65537). */
static unsigned
rsa_exponent_bits(const unsigned char *spki, size_t spki_len)
{
	struct asn1_spki k;
	struct asn1_tlv seq, n, e;
	size_t i;
	unsigned bits, top;

	if (asn1_spki_read(spki, spki_len, &k) < 0 ||
	    asn1_tlv_read(k.key, k.key_len, &seq) < 0 ||
	    asn1_tlv_read(seq.val, seq.vlen, &n) < 0 ||
	    n.start + n.len >= seq.val + seq.vlen ||
	    asn1_tlv_read(n.start + n.len, (size_t)(seq.val + seq.vlen -
	    (n.start + n.len)), &e) < 0)
		return 17;
	for (i = 0; i < e.vlen && e.val[i] == 0; i++)
		;
	if (i == e.vlen)
		return 1;
	for (bits = 8, top = e.val[i]; !(top & 0x80); top <<= 1)
		bits--;
	return (unsigned)((e.vlen - i - 1) * 8) + bits;
}

/* The key operation's price for a key of algo and bits. */
static uint64_t
key_cost(int algo, unsigned bits, const unsigned char *spki, size_t spki_len)
{
	uint64_t scale;

	switch (algo) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		if (bits == 0 || spki == NULL)
			return COST_UNKNOWN_NS;
		/* (bits / 2048)^2, in 1/1024ths so that small keys count. */
		scale = ((uint64_t)bits * bits * 1024) / (2048ULL * 2048);
		return COST_RSA_BIT_NS * (uint64_t)rsa_exponent_bits(spki,
		    spki_len) * (scale > 0 ? scale : 1) / 1024;
	case GNUTLS_PK_DSA:
		/* Two exponentiations with a 256-bit exponent, mod p. */
		scale = ((uint64_t)bits * bits * 1024) / (2048ULL * 2048);
		return COST_RSA_BIT_NS * 512 * (scale > 0 ? scale : 1) / 1024;
	case GNUTLS_PK_EC:
		if (bits <= 256)
			return 200000;
		if (bits <= 384)
			return 500000;
		return 1000000;
	case GNUTLS_PK_EDDSA_ED25519:
		return 100000;
	case GNUTLS_PK_EDDSA_ED448:
		return 300000;
	default:
		return COST_UNKNOWN_NS;
	}
}

uint64_t
sig_verify_cost(const struct cert *subject, const struct cert *issuer)
{
	return COST_BASE_NS + COST_HASH_BYTE_NS * (uint64_t)subject->tbs_len +
	    key_cost(issuer->key_algo, issuer->key_bits, issuer->spki,
	    issuer->spki_len);
}

/*
 * An alternative signature is checked over the pre-TBS (about the TBS's
 * length) with the alternative key; the post-quantum ones this GnuTLS
 * lacks are refused before any arithmetic.
 */
uint64_t
sig_verify_alt_cost(const struct cert *subject, const struct cert *issuer)
{
	struct asn1_altsig as;
	char err[ERRBUF_LEN];

	if (issuer == NULL || !issuer->alt_key_present)
		return COST_BASE_NS;
	/* The exponent of an alternative RSA key is in the issuer's TBS. */
	if (asn1_tbs_altsig(issuer->tbs, issuer->tbs_len, &as, err,
	    sizeof(err)) < 0)
		as.spki_len = 0;
	return COST_BASE_NS + COST_HASH_BYTE_NS * (uint64_t)subject->tbs_len +
	    key_cost(issuer->alt_key_algo, issuer->alt_key_bits,
	    as.spki_len > 0 ? as.spki : NULL, as.spki_len);
}

/* ---- cache ------------------------------------------------------------ */

/* cert sha256 || issuer (alternative) SPKI sha256 || kind (1: alt) */
#define CACHE_KEY_LEN	(2 * SHA256_LEN + 1)
/*
 * Four issuer keys for each CA certificate certcache.c keeps by default
 * (65,536), in under 30 MB.  A run with more CA links than that verifies
 * the rest each time, as without a cache.
 */
#define CACHE_MAX	(4 * 65536)

/* The cache's values: status_value[s] == s, never freed. */
static const enum sig_status status_value[] = {
	SIG_VERIFIED, SIG_FAILED, SIG_UNSUPPORTED
};

/*
 * Leaf links kept at most (about 100 bytes each: 1.6 MB), and leaf links
 * remembered to spot the second check of one (512 KB).
 */
#define CACHE_LEAVES		16384
#define CACHE_SEEN_SLOTS	65536
/* P-256 issuer keys made ready for nettle (about 200 bytes each). */
#define CACHE_P256_KEYS		65536
/* RSA issuer keys made ready for nettle (about 600 bytes at 2048 bits). */
#define CACHE_RSA_KEYS		16384

struct sig_cache {
	/* owned: CACHE_KEY_LEN keys -> an element of status_value */
	struct hashcache *map;
	/* owned: issuer SPKI sha256 -> struct p256_key, owned */
	struct hashcache *p256;
	/* owned: issuer SPKI sha256 -> struct rsakey, owned */
	struct hashcache *rsa;
	struct seen	*seen;		/* owned: leaf links checked */
	size_t		 leaves;	/* atomic: leaf links kept */
};

static void
p256_drop(void *k)
{
	p256_key_free(k);
}

static void
rsa_drop(void *k)
{
	rsakey_free(k);
}

/*
 * A new, empty cache, or NULL on allocation failure.
 */
struct sig_cache *
sig_cache_new(void)
{
	struct sig_cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->map = hashcache_new(CACHE_KEY_LEN, CACHE_MAX + CACHE_LEAVES,
	    NULL)) == NULL || (c->seen = seen_new(CACHE_SEEN_SLOTS)) == NULL ||
	    (c->p256 = hashcache_new(SHA256_LEN, CACHE_P256_KEYS,
	    p256_drop)) == NULL || (c->rsa = hashcache_new(SHA256_LEN,
	    CACHE_RSA_KEYS, rsa_drop)) == NULL) {
		sig_cache_free(c);
		return NULL;
	}
	return c;
}

/*
 * Free the cache; accepts NULL.
 */
void
sig_cache_free(struct sig_cache *c)
{
	if (c == NULL)
		return;
	hashcache_free(c->map);
	hashcache_free(c->p256);
	hashcache_free(c->rsa);
	seen_free(c->seen);
	free(c);
}

/*
 * The hit and miss counters.
 */
void
sig_cache_stats(struct sig_cache *c, unsigned long *hits,
    unsigned long *misses)
{
	hashcache_stats(c->map, hits, misses);
}

/* ---- verification ----------------------------------------------------- */

/* 1 when a signature algorithm can be made with keys of key_algo. */
static int
sign_fits_key(gnutls_sign_algorithm_t sign, int key_algo)
{
	int pk = gnutls_sign_get_pk_algorithm(sign);

	if (pk == key_algo)
		return 1;
	/* An rsaEncryption key may sign with PSS. */
	return pk == GNUTLS_PK_RSA_PSS && key_algo == GNUTLS_PK_RSA;
}

/*
 * Verify signature sig, made with algorithm sign over data, with key
 * (of algorithm key_algo).  Weak algorithms are checked, never refused:
 * an auditor has to know whether an MD5 or SHA-1 signature is genuine
 * before judging it.
 */
static enum sig_status
verify_one(gnutls_pubkey_t key, int key_algo, int sign,
    const unsigned char *data, size_t len, const gnutls_datum_t *sig)
{
	gnutls_datum_t d;
	unsigned flags = GNUTLS_VERIFY_ALLOW_BROKEN |
	    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
	int ret;

	if (key == NULL || sign == GNUTLS_SIGN_UNKNOWN)
		return SIG_UNSUPPORTED;
	if (!sign_fits_key(sign, key_algo))
		return SIG_FAILED;
	d.data = (unsigned char *)data;
	d.size = len;
	ret = gnutls_pubkey_verify_data2(key, sign, flags, &d, sig);
	if (ret >= 0)
		return SIG_VERIFIED;
	switch (ret) {
	case GNUTLS_E_UNKNOWN_ALGORITHM:
	case GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM:
	case GNUTLS_E_UNKNOWN_PK_ALGORITHM:
	case GNUTLS_E_INSUFFICIENT_SECURITY:
		return SIG_UNSUPPORTED;
	default:
		return SIG_FAILED;
	}
}

/*
 * Issuer's key made ready for a fast path by make (NULL when make does
 * not take it), from keys (the run's, keyed by the issuer's SPKI sha256:
 * made once per run) when there is one.  *made is what the caller must
 * free because the cache did not take it, else NULL.
 */
static void *
ready_key(struct hashcache *keys, const struct cert *issuer,
    void *(*make)(const struct cert *), void **made)
{
	void *k = NULL;

	*made = NULL;
	if (keys != NULL && (k = hashcache_get(keys, issuer->spki_sha256)) !=
	    NULL)
		return k;
	if ((k = make(issuer)) == NULL)
		return NULL;
	if (keys == NULL || hashcache_put(keys, issuer->spki_sha256, k) != 1)
		*made = k;
	return k;
}

/*
 * GnuTLS has the last word, so a fast path is only for a key GnuTLS
 * imports too (whether it does depends on the SPKI's bytes alone, which
 * the cache's key stands for), and not in FIPS mode, whose rules on key
 * sizes and hashes are GnuTLS's to apply.
 */
static int
fast_path_allowed(const struct cert *issuer)
{
	return !gnutls_fips140_mode_enabled() && cert_pubkey(issuer) != NULL;
}

static void *
p256_make(const struct cert *issuer)
{
	if (!fast_path_allowed(issuer))
		return NULL;
	return p256_key_new(issuer->spki, issuer->spki_len);
}

static void *
rsa_make(const struct cert *issuer)
{
	if (!fast_path_allowed(issuer))
		return NULL;
	return rsakey_new(issuer->spki, issuer->spki_len);
}

/*
 * 1 when subject's signature verifies with issuer's key through p256.c:
 * ecdsa-with-SHA256 by a P-256 key.  0 means only "ask GnuTLS".
 */
static int
verify_p256(struct sig_cache *cache, const struct cert *subject,
    const struct cert *issuer)
{
	struct p256_key *k;
	void *made;
	int ok;

	if (subject->sig_algo != GNUTLS_SIGN_ECDSA_SHA256 ||
	    issuer->key_algo != GNUTLS_PK_EC || issuer->key_bits != 256 ||
	    (k = ready_key(cache != NULL ? cache->p256 : NULL, issuer,
	    p256_make, &made)) == NULL)
		return 0;
	ok = p256_verify_sha256(k, subject->tbs, subject->tbs_len,
	    subject->signature.data, subject->signature.size);
	p256_key_free(made);
	return ok;
}

/*
 * 1 when subject's signature verifies with issuer's key through
 * rsakey.c: sha{256,384,512}WithRSAEncryption by an rsaEncryption key.
 * 0 means only "ask GnuTLS".
 */
static int
verify_rsa(struct sig_cache *cache, const struct cert *subject,
    const struct cert *issuer)
{
	struct rsakey *k;
	void *made;
	int ok;

	if ((subject->sig_algo != GNUTLS_SIGN_RSA_SHA256 &&
	    subject->sig_algo != GNUTLS_SIGN_RSA_SHA384 &&
	    subject->sig_algo != GNUTLS_SIGN_RSA_SHA512) ||
	    issuer->key_algo != GNUTLS_PK_RSA ||
	    (k = ready_key(cache != NULL ? cache->rsa : NULL, issuer,
	    rsa_make, &made)) == NULL)
		return 0;
	ok = rsakey_verify(k, subject->sig_algo, subject->tbs,
	    subject->tbs_len, subject->signature.data,
	    subject->signature.size);
	rsakey_free(made);
	return ok;
}

/*
 * The certificate's own signature over its TBS, with issuer's key: the
 * plain P-256 and RSA PKCS#1 v1.5 cases through nettle directly, and
 * what they do not verify through GnuTLS, which then has the last word.
 */
static enum sig_status
verify_uncached(struct sig_cache *cache, const struct cert *subject,
    const struct cert *issuer)
{
	if (verify_p256(cache, subject, issuer) ||
	    verify_rsa(cache, subject, issuer))
		return SIG_VERIFIED;
	return verify_one(cert_pubkey(issuer), issuer->key_algo,
	    subject->sig_algo, subject->tbs, subject->tbs_len,
	    &subject->signature);
}

/*
 * The alternative signature over the pre-TBS, with issuer's alternative
 * key.  Malformed extensions, or an issuer without an alternative key,
 * fail: the signature cannot be what it claims.
 */
static enum sig_status
verify_alt_uncached(const struct cert *subject, const struct cert *issuer)
{
	if (subject->alt_error != NULL || !issuer->alt_key_present)
		return SIG_FAILED;
	return verify_one(issuer->alt_pubkey, issuer->alt_key_algo,
	    subject->alt_sig_algo, subject->alt_pretbs,
	    subject->alt_pretbs_len, &subject->alt_value);
}

/*
 * 1 when the check keyed key (of subject) is worth keeping: a CA
 * certificate (or a self-issued one) is the issuer side of many chains
 * and comes back with every one of them.  Most leaves are verified once
 * per run, and keeping them would grow the cache by an entry per row of
 * a database scan, never to be hit; but a multi-domain or wildcard
 * leaf repeats across a hosting table.  So a leaf's check is kept from
 * its second time on, while there is room for leaves.
 */
static int
sig_is_cacheable(struct sig_cache *cache, const struct cert *subject,
    const unsigned char *key)
{
	if (subject->is_ca || subject->self_issued)
		return 1;
	if (!seen_mark(cache->seen, hashcache_digest(key, CACHE_KEY_LEN)))
		return 0;
	return __atomic_load_n(&cache->leaves, __ATOMIC_RELAXED) <
	    CACHE_LEAVES;
}

static enum sig_status
verify_cached(struct sig_cache *cache, const struct cert *subject,
    const struct cert *issuer, int alt)
{
	unsigned char key[CACHE_KEY_LEN];
	const enum sig_status *kept;
	enum sig_status st;

	if (cache != NULL) {
		memcpy(key, subject->sha256, SHA256_LEN);
		memcpy(key + SHA256_LEN, alt ? issuer->alt_spki_sha256 :
		    issuer->spki_sha256, SHA256_LEN);
		key[2 * SHA256_LEN] = (unsigned char)alt;
	}
	if (cache == NULL || !sig_is_cacheable(cache, subject, key)) {
		if (cache != NULL)
			hashcache_miss(cache->map);
		return alt ? verify_alt_uncached(subject, issuer) :
		    verify_uncached(cache, subject, issuer);
	}
	if ((kept = hashcache_get(cache->map, key)) != NULL)
		return *kept;
	st = alt ? verify_alt_uncached(subject, issuer) :
	    verify_uncached(cache, subject, issuer);
	/* Not kept (full, or out of memory): a miss next time is harmless. */
	if (hashcache_put(cache->map, key, (void *)&status_value[st]) == 1 &&
	    !subject->is_ca && !subject->self_issued)
		__atomic_fetch_add(&cache->leaves, 1, __ATOMIC_RELAXED);
	return st;
}

/*
 * Verify subject's signature with issuer's key, through cache when given.
 */
enum sig_status
sig_verify(struct sig_cache *cache, const struct cert *subject,
    const struct cert *issuer)
{
	return verify_cached(cache, subject, issuer, 0);
}

/*
 * Verify subject's alternative signature over its pre-TBS with issuer's
 * alternative public key.
 */
enum sig_status
sig_verify_alt(struct sig_cache *cache, const struct cert *subject,
    const struct cert *issuer)
{
	return verify_cached(cache, subject, issuer, 1);
}

/*
 * The strength of subject's alternative signature with issuer's
 * alternative key.
 */
struct strength
sig_strength_alt(const struct cert *subject, const struct cert *issuer)
{
	return strength_with_key(sig_alt_hash_strength(subject),
	    sig_alt_key_strength(issuer));
}

/*
 * 1 when c is self-issued and its own key verifies its signature.
 */
int
sig_is_self_signed(struct sig_cache *cache, const struct cert *c)
{
	return c->self_issued && sig_verify(cache, c, c) == SIG_VERIFIED;
}
