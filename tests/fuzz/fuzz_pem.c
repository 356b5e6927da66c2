/*
 * fuzz_pem.c: libFuzzer target for pem_decode (src/pem.c): PEM with any
 * text around the blocks, bare DER, PKCS#7 in DER or PEM.  Whatever the
 * bytes, decoding must end, and every certificate and error line it
 * hands back must be whole.  It must also answer exactly as the decoder
 * did before its fast paths (tests/pem_ref.c), with and without a run
 * cache's hook (one that knows nothing: blobs then carry their text).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certcache.h"
#include "fuzzlib.h"
#include "pem.h"
#include "pem_ref.h"

/* Decode with both decoders; abort (a crash to libFuzzer) if they differ. */
static void
decode_both(const uint8_t *data, size_t size, const struct pem_known *known)
{
	struct der_list	 out, ref;
	size_t		 i;
	char		 why[256];

	memset(&out, 0, sizeof(out));
	memset(&ref, 0, sizeof(ref));
	if (pem_decode_known(data, size, known, &out) == 0 &&
	    pem_ref_decode_known(data, size, known, &ref) == 0) {
		/* Read every byte handed back: ASan checks the bounds. */
		for (i = 0; i < out.n; i++)
			fuzz_touch(out.v[i].der, out.v[i].len);
		for (i = 0; i < out.nerrors; i++)
			(void)strlen(out.errors[i]);
		if (pem_ref_diff(&out, &ref, data, why, sizeof(why)) != 0) {
			fprintf(stderr, "fuzz_pem: the decoder differs from "
			    "tests/pem_ref.c: %s\n", why);
			abort();
		}
	}
	der_list_free(&out);
	der_list_free(&ref);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pem_known	 none;

	cert_cache_known(NULL, &none);
	decode_both(data, size, NULL);
	decode_both(data, size, &none);
	return 0;
}
