/*
 * certcache.h: a run-wide cache of parsed certificates, keyed by the
 * bytes they came from: their DER, and the base64 text of the PEM block
 * they were read from.
 *
 * Batch scans send the same few intermediates under thousands of leaves;
 * parsing them once per run instead of once per chain is most of what
 * separates an audit from the floor of one leaf verification plus one
 * parse (bench/README).  An intermediate seen before costs a cheap
 * digest of its PEM text's length and ends, a lookup and a compare of
 * the text: no base64, no SHA-256, no parse.  Every CA certificate is kept; a leaf only from
 * the second time it is seen (a multi-domain or wildcard certificate
 * that repeats across a hosting table), and at most CERT_CACHE_LEAVES of
 * them, so that a table of distinct leaves leaves the cache as it was.
 * The cache owns what it keeps until cert_cache_free; it is thread-safe
 * and shared by every worker of a run.  A parse depends on the bytes
 * only, so what the cache answers never depends on what other rows did.
 */
#ifndef CHAINAUDIT_CERTCACHE_H
#define CHAINAUDIT_CERTCACHE_H

#include <stddef.h>

#include "cert.h"
#include "pem.h"

/*
 * At most this many leaves (not CA certificates) are kept: a parsed leaf
 * with its decoded GnuTLS certificate takes about 21 KB, so under 1.5 MB
 * (a 1,000,000-row scan's peak RSS is to stay under 50 MB; a leaf's
 * signature check, the larger cost on P-256 rows, has its own and
 * larger bound in sig.c).
 */
#define CERT_CACHE_LEAVES	64

struct cert_cache;

/*
 * A new, empty cache keeping at most max CA certificates (0: a default of
 * 65536) and CERT_CACHE_LEAVES leaves; past that, certificates are parsed
 * per use as without a cache, so memory stays bounded whatever the input.
 * NULL on ENOMEM.
 */
struct cert_cache *cert_cache_new(size_t max);
void	cert_cache_free(struct cert_cache *cc);

/*
 * Parse der, or return the cached parse of the same DER.  cc may be NULL
 * (then this is cert_parse).  *owned is set to 1 when the caller owns
 * the result and frees it with cert_free, 0 when the cache owns it (it
 * lives until cert_cache_free and must not be changed).  Returns NULL
 * with the reason in err when der does not parse.
 */
struct cert *cert_cache_parse(struct cert_cache *cc, const unsigned char *der,
	    size_t len, int *owned, char *err, size_t errlen);

/*
 * cert_cache_parse for a blob of pem_decode_known: a blob the cache
 * answered is its certificate; a PEM one is also kept under its text
 * when kept at all, so that pem_decode_known need not decode it again.
 */
struct cert *cert_cache_parse_blob(struct cert_cache *cc,
	    const struct der_blob *b, int *owned, char *err, size_t errlen);

/*
 * The hook pem_decode_known asks for each certificate block (borrowing
 * cc, which may be NULL: then a hook that knows nothing).
 */
void	cert_cache_known(struct cert_cache *cc, struct pem_known *k);

/*
 * Counters for benchmarks: lookups answered from the cache (by DER or by
 * PEM text), and lookups by DER it could not answer.
 */
void	cert_cache_stats(struct cert_cache *cc, unsigned long *hits,
	    unsigned long *misses);
/* The number of leaves (not CA certificates) it keeps. */
size_t	cert_cache_leaves(struct cert_cache *cc);

#endif
