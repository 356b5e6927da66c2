/*
 * sig.h: verify one candidate signature, and rank signatures by strength.
 *
 * Strength is a pair: the hash family rank (MD2 < MD5 < SHA-1, all
 * broken, below every unbroken hash) and the security bits of the weaker
 * of hash and key.  The table behind it (each hash's collision
 * resistance, NIST SP 800-57 key sizes, post-quantum categories) lives in
 * sig.c alone; a parsed certificate says only which algorithms and key
 * sizes it has.  Weak algorithms are verified, never refused: an audit
 * has to see them.
 */
#ifndef CHAINAUDIT_SIG_H
#define CHAINAUDIT_SIG_H

#include <stdint.h>

#include "cert.h"

enum sig_status {
	SIG_VERIFIED = 0,
	SIG_FAILED,
	SIG_UNSUPPORTED,	/* an algorithm this GnuTLS cannot check */
};

/* Hash families, weakest first; HASH_BROKEN_MAX and below are broken. */
enum hash_rank {
	HASH_UNKNOWN = 0,
	HASH_MD2,
	HASH_MD5,
	HASH_SHA1,
	HASH_STRONG,		/* SHA-2, SHA-3, or intrinsic (EdDSA) */
};
#define HASH_BROKEN_MAX	HASH_SHA1

struct strength {
	enum hash_rank	hash;
	unsigned	bits;	/* min(hash, key) security bits */
};

/* Negative, zero or positive as a is weaker, equal or stronger than b. */
int		 strength_cmp(struct strength a, struct strength b);
/* The strength of subject's own signature made with issuer's key. */
struct strength	 sig_strength(const struct cert *subject,
		    const struct cert *issuer);
const char	*sig_status_name(enum sig_status s);
/* 1 when the strength rests on a broken hash (MD2, MD5, SHA-1). */
int		 strength_is_broken(struct strength s);

/*
 * The hash half of c's own signature, or of its alternative signature:
 * the hash family and its collision resistance in bits, before the
 * signer's key is counted.  {HASH_UNKNOWN, 0} for an algorithm not in
 * the table (or no alternative signature).
 */
struct strength	 sig_hash_strength(const struct cert *c);
struct strength	 sig_alt_hash_strength(const struct cert *c);
/*
 * Security strength in bits of c's public key, or of its alternative
 * public key (0 when it has none); 0 for an algorithm not in the table.
 */
unsigned	 sig_key_strength(const struct cert *c);
unsigned	 sig_alt_key_strength(const struct cert *c);

/*
 * A per-run cache of verification results keyed by (certificate sha256,
 * issuer SPKI sha256), shared by every target and thread of a run.  CA
 * and self-issued subjects are kept: they recur across chains.  A leaf
 * is kept only from its second check with the same key on (a leaf that
 * repeats across a table), and at most 16,384 of them, so the cache
 * stays bounded however many rows a scan has; a leaf's first check
 * counts as a miss.
 */
struct sig_cache;

struct sig_cache *sig_cache_new(void);
void		  sig_cache_free(struct sig_cache *cache);
/* Counters for benchmarks and reports. */
void		  sig_cache_stats(struct sig_cache *cache, unsigned long *hits,
		    unsigned long *misses);

/*
 * Verify subject's signature with issuer's public key.  cache may be
 * NULL.  Returns the status; never fails for weak algorithms.
 */
enum sig_status	sig_verify(struct sig_cache *cache, const struct cert *subject,
		    const struct cert *issuer);

/*
 * Verify subject's X.509 alternative signature (hybrid certificates)
 * over its pre-TBS with issuer's alternative public key.  Malformed
 * extensions or an issuer without an alternative key fail; algorithms
 * this GnuTLS lacks (ML-DSA, ...) are unsupported.
 */
enum sig_status	sig_verify_alt(struct sig_cache *cache,
		    const struct cert *subject, const struct cert *issuer);
/* The strength of subject's alternative signature with issuer's key. */
struct strength	sig_strength_alt(const struct cert *subject,
		    const struct cert *issuer);

/*
 * The estimated CPU cost, in nanoseconds, of checking subject's
 * signature with issuer's key (or, for sig_verify_alt_cost, subject's
 * alternative signature with issuer's alternative key): hashing the
 * signed bytes plus the key's operation, priced from its algorithm and
 * size and, for RSA, the length of its public exponent (a 16,384-bit
 * exponent makes one check cost about a second).  For budget.h: the
 * same whether or not the cache holds the result, so that a verdict
 * never depends on what other targets did.
 */
uint64_t	sig_verify_cost(const struct cert *subject,
		    const struct cert *issuer);
uint64_t	sig_verify_alt_cost(const struct cert *subject,
		    const struct cert *issuer);

/* 1 when c's own key verifies its own signature (self-signed). */
int	sig_is_self_signed(struct sig_cache *cache, const struct cert *c);

#endif
