/*
 * caname.h: the one name chainaudit gives a CA wherever it counts or
 * shows CAs: --summary's rows by issuing CA, the results table's issuer
 * column, the HTML report's chart and issuer column.
 *
 * A CA is named from the issuer DN of the certificate it issued, so
 * that a leaf names its CA the same way whether or not the chain holds
 * the CA's certificate: the DN's common name and, when the CN does not
 * already say it, the organisation ("R3 (Let's Encrypt)").  CNs alone
 * are not unique across CAs; organisations alone lump a CA's
 * intermediates together.
 */
#ifndef CHAINAUDIT_CANAME_H
#define CHAINAUDIT_CANAME_H

#include <stddef.h>

/* Room for any name ca_name gives. */
#define CA_NAME_LEN	512

/*
 * The name of the CA whose DN is dn (RFC 4514 text, escapes as GnuTLS
 * writes them): "CN (O)", the CN alone when it holds the O or there is
 * no O, the O alone when there is no CN, else the DN as it is; "?" for
 * NULL.  Escapes are undone.  Written into buf (len > 4), cut at a
 * character boundary with "..." when it does not fit; returns buf.
 */
const char	*ca_name(const char *dn, char *buf, size_t len);

#endif
