/*
 * fuzz_pem.c: libFuzzer target for pem_decode (src/pem.c): PEM with any
 * text around the blocks, bare DER, PKCS#7 in DER or PEM.  Whatever the
 * bytes, decoding must end, and every certificate and error line it
 * hands back must be whole.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "pem.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct der_list	 out;
	size_t		 i;

	memset(&out, 0, sizeof(out));
	if (pem_decode(data, size, &out) == 0) {
		/* Read every byte handed back: ASan checks the bounds. */
		for (i = 0; i < out.n; i++)
			fuzz_touch(out.v[i].der, out.v[i].len);
		for (i = 0; i < out.nerrors; i++)
			(void)strlen(out.errors[i]);
	}
	der_list_free(&out);
	return 0;
}
