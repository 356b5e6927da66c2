/*
 * fuzz_altsig.c: libFuzzer target for the X.509 alternative-signature
 * extensions of hybrid certificates (subjectAltPublicKeyInfo,
 * altSignatureAlgorithm, altSignatureValue: src/asn1.c finds them and
 * cuts the pre-TBS, src/cert.c reads them, src/sig.c verifies).  The
 * bytes are one DER certificate, checked against the hybrid fixture
 * PKI both as a subject and as an issuer.
 */
#include <config.h>

#include "cert.h"
#include "fuzzlib.h"
#include "sig.h"

/* Loaded once (see fuzzlib.h): the hybrid intermediate and a leaf. */
static struct cert *issuer, *leaf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	issuer = fuzz_fixture_cert("fixtures/hybrid/int.pem", 0);
	leaf = fuzz_fixture_cert("fixtures/hybrid/weak-primary-strong-alt.pem",
	    0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cert	*c;
	char		 err[256];

	if ((c = cert_parse(data, size, err, sizeof(err))) == NULL)
		return 0;
	(void)sig_verify_alt(NULL, c, issuer);
	(void)sig_verify_alt(NULL, c, c);
	(void)sig_verify_alt(NULL, leaf, c);
	(void)sig_strength_alt(c, issuer);
	(void)sig_strength_alt(leaf, c);
	(void)sig_alt_hash_strength(c);
	(void)sig_alt_key_strength(c);
	cert_free(c);
	return 0;
}
