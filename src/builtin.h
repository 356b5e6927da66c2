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

#endif
