/*
 * chaindiff.h: the chain a server sends against the one a database
 * holds, compared as the certificates' DER in order.  Pure: lists in
 * memory in, a hash or a one-line description out.
 */
#ifndef CHAINAUDIT_CHAINDIFF_H
#define CHAINAUDIT_CHAINDIFF_H

#include <stddef.h>

#include "pem.h"
#include "util.h"

/*
 * The SHA-256 of the certificates of chain, DER, concatenated in order,
 * as lower-case hex into hex.  Two chains hash alike exactly when they
 * hold the same certificates in the same order.  0, or -1 (GnuTLS).
 */
int	chaindiff_sha256(const struct der_list *chain,
	    char hex[SHA256_HEX_LEN]);

/*
 * Compare stored (the database's chain) with served (the chain a
 * handshake showed).  0 when they are the same sequence of
 * certificates; 1 when they differ, with what differs in buf ("a
 * different leaf", stored certificates not sent, extra ones sent, the
 * same ones in another order), positions counted from 1; -1 on
 * allocation failure.  Decoding errors in either list are not compared.
 */
int	chaindiff_describe(const struct der_list *stored,
	    const struct der_list *served, char *buf, size_t len);

#endif
