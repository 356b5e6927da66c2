/*
 * corpus.h: the known-CA corpus, CA certificates disclosed to the world
 * (CCADB, CA bundles) that a server often fails to send.  Used to build
 * paths, never trusted: a path that needs one still gets
 * incomplete-chain, naming the certificate and where to fetch it.
 *
 * The corpus is an indexed image (src/corpus-gen.c writes it from
 * db/known-cas.pem at build time): a table of DER certificates with two
 * sorted indexes, by a hash of the subject DN and by a hash of the
 * subjectKeyIdentifier.  Opening it reads the header only; a lookup
 * binary-searches an index and parses just the certificates it names,
 * each once per corpus, so a run touches only what it needs.  A corpus
 * is safe to share between threads: certificates are parsed on first use
 * and published with compare-and-swap.
 */
#ifndef CHAINAUDIT_CORPUS_H
#define CHAINAUDIT_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "trust.h"

struct corpus;

/*
 * Open the image at image (borrowed: it must outlive the corpus), naming
 * it origin (borrowed, also outliving it) in entries and messages.
 * Returns a new corpus, or NULL with the reason in err when the image is
 * malformed or memory runs out.
 */
struct corpus	*corpus_open(const unsigned char *image, size_t len,
		    const char *origin, char *err, size_t errlen);
void		 corpus_free(struct corpus *c);

/* Certificates in the image. */
size_t		 corpus_count(const struct corpus *c);

/* Certificates parsed so far, and those that would not parse. */
void		 corpus_stats(const struct corpus *c, size_t *parsed,
		    size_t *bad);

/*
 * Call fn for every certificate whose subject DN equals dn, as a
 * TRUST_CORPUS entry borrowed from the corpus.  A certificate that does
 * not parse is skipped (and counted).  Returns 1 when fn stopped the walk
 * by returning non-zero, 0 otherwise.
 */
int	corpus_each_subject(const struct corpus *c, const unsigned char *dn,
	    size_t dnlen, int (*fn)(const struct trust_entry *, void *),
	    void *arg);

/* The same, for every certificate whose subjectKeyIdentifier is keyid. */
int	corpus_each_keyid(const struct corpus *c, const unsigned char *keyid,
	    size_t len, int (*fn)(const struct trust_entry *, void *),
	    void *arg);

/*
 * The image format, shared with the generator.  All integers are
 * little-endian uint32.  Header: magic, version, count, then the offsets
 * (from the image start) of the record table, the subject index, the
 * key-identifier index and the DER area, and the key-identifier index's
 * length.  A record is (DER offset in the DER area, DER length); an index
 * entry is (hash, record number), sorted by hash then record number.
 */
#define CORPUS_MAGIC	"CAKNOWN\0"
#define CORPUS_VERSION	1
#define CORPUS_HEADER_LEN	(8 + 4 * 7)

/* FNV-1a over bytes: the index hash of a DER name or a key identifier. */
uint32_t	corpus_hash(const unsigned char *p, size_t len);

#endif
