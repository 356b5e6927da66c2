/*
 * pem_ref.h: the PEM decoder before issue 16's fast paths, the oracle of
 * the differential tests (test_pem.c, tests/fuzz/fuzz_pem.c).
 */
#ifndef CHAINAUDIT_PEM_REF_H
#define CHAINAUDIT_PEM_REF_H

#include <stddef.h>

#include "pem.h"

/* pem_decode_known (known may be NULL: pem_decode) as it was. */
int	pem_ref_decode_known(const unsigned char *buf, size_t len,
	    const struct pem_known *known, struct der_list *out);

/*
 * 0 when a and b, both decoded from buf, agree in every certificate
 * (bytes, text span, whether known), error line and key note; otherwise
 * 1, with the first difference described in why.
 */
int	pem_ref_diff(const struct der_list *a, const struct der_list *b,
	    const unsigned char *buf, char *why, size_t whylen);

#endif
