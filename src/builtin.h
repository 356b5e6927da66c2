/*
 * builtin.h: data compiled into the program from db/ (src/embed.sh makes
 * src/builtin_data.c at build time): the shipped distrust policy and the
 * distrusted CAs' certificates it refers to.
 */
#ifndef CHAINAUDIT_BUILTIN_H
#define CHAINAUDIT_BUILTIN_H

#include <stddef.h>

extern const unsigned char builtin_distrust_tsv[];	/* db/distrust.tsv */
extern const size_t builtin_distrust_tsv_len;
extern const unsigned char builtin_distrust_certs[];	/* db/distrust-certs.pem */
extern const size_t builtin_distrust_certs_len;

struct distrust_policy;
struct trust_store;

/*
 * Load the shipped distrust policy into p and its authorities'
 * certificates into store as a known-issuer pool (never trusted).  Bad
 * lines (there should be none) go to err.  Returns 0, or -1 when anything
 * failed.
 */
int	builtin_load_distrust(struct distrust_policy *p,
	    struct trust_store *store, void (*err)(const char *, void *),
	    void *arg);

#endif
