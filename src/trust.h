/*
 * trust.h: the run's certificate store: trust anchors and the pool of
 * untrusted intermediates, indexed by subject name.
 *
 * Loaded once before any target is audited and read-only afterwards, so
 * every worker can share it without locks.
 */
#ifndef CHAINAUDIT_TRUST_H
#define CHAINAUDIT_TRUST_H

#include <stddef.h>
#include <time.h>

#include "cert.h"

enum trust_kind {
	TRUST_ANCHOR = 0,	/* trusted: a path may end here */
	TRUST_INTERMEDIATE,	/* usable for path building, never trusted */
	TRUST_KNOWN,		/* a distrusted CA's certificate shipped with
				   the policy: links orphans, never trusted */
	TRUST_CORPUS,		/* the known-CA corpus (corpus.h): for path
				   building, never trusted */
	TRUST__COUNT
};

struct trust_entry {
	struct cert	*cert;		/* owned by the store */
	enum trust_kind	 kind;
	const char	*origin;	/* borrowed: the file it came from */
};

struct trust_store;
struct corpus;

struct trust_store *trust_store_new(void);
void		    trust_store_free(struct trust_store *store);

/*
 * Add every certificate of a PEM/DER/PKCS#7 file as kind.  Certificates
 * already present with the same kind are skipped.  Returns the number
 * added, or -1 with the reason in err (an unreadable file, or a file with
 * no certificate at all).  Undecodable blocks in an otherwise good file
 * are skipped and counted in *nbad when nbad is not NULL.
 */
int	trust_store_add_file(struct trust_store *store, const char *path,
	    enum trust_kind kind, size_t *nbad, char *err, size_t errlen);

/*
 * Add every certificate of an in-memory PEM/DER/PKCS#7 buffer as kind,
 * naming it origin (copied); see
 * trust_store_add_file for the result.
 */
int	trust_store_add_buffer(struct trust_store *store,
	    const unsigned char *buf, size_t len, const char *origin,
	    enum trust_kind kind, size_t *nbad, char *err, size_t errlen);

/* Add one parsed certificate; the store takes ownership.  0 or -1. */
int	trust_store_add_cert(struct trust_store *store, struct cert *c,
	    enum trust_kind kind, const char *origin);

/*
 * Search corpus (borrowed, may be NULL) too, after the store's own
 * entries: its certificates link paths but are never trusted.
 */
void	trust_store_set_corpus(struct trust_store *store,
	    const struct corpus *corpus);

/*
 * Search pool (borrowed, may be NULL) too, after the store's own entries
 * and corpus: its anchors are offered as TRUST_INTERMEDIATE, so a store
 * holding only one vendor's roots can share the run's intermediates,
 * distrust certificates and corpus without trusting another's roots.
 */
void	trust_store_set_pool(struct trust_store *store,
	    const struct trust_store *pool);

/*
 * Call fn for every entry whose subject DN equals the DER name dn: the
 * store's own, then its corpus's, then its pool's (see above).  Stops
 * early and returns 1 when fn returns non-zero; returns 0 otherwise.
 */
int	trust_store_each_subject(const struct trust_store *store,
	    const unsigned char *dn, size_t dnlen,
	    int (*fn)(const struct trust_entry *, void *), void *arg);

/*
 * Call fn for every entry whose subjectKeyIdentifier is keyid: the
 * store's own and its corpus's, then its pool's.  Slower than a subject
 * search (the store's own entries are walked); meant for the orphan
 * whose issuer name matched nothing.  Returns as trust_store_each_subject.
 */
int	trust_store_each_keyid(const struct trust_store *store,
	    const unsigned char *keyid, size_t len,
	    int (*fn)(const struct trust_entry *, void *), void *arg);

/*
 * Call fn for every entry of kind (the store's own, then its pool's with
 * their kinds as stored there; corpus entries are not walked).  Returns
 * as trust_store_each_subject.
 */
int	trust_store_each_kind(const struct trust_store *store,
	    enum trust_kind kind,
	    int (*fn)(const struct trust_entry *, void *), void *arg);

/*
 * An anchor entry for c's node (same subject and key), or NULL.  When
 * the store holds several certificates for the node (a root and its
 * cross-signs, re-issues), the one valid at now is preferred, then a
 * self-issued one, whatever the order of the trust file.
 */
const struct trust_entry *trust_store_anchor_for(
	    const struct trust_store *store, const struct cert *c, time_t now);

size_t	trust_store_count(const struct trust_store *store,
	    enum trust_kind kind);

#endif
