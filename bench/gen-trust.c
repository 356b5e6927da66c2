/*
 * gen-trust.c: the trust file of bench/bench-load.sh (bench/README).
 *
 *   gen-trust N FILE    write N self-signed CA certificates to FILE (PEM)
 *
 * Each has a name of its own ("Bench Root i") and a serial of its own;
 * all share one P-256 key, as the load being measured is reading and
 * indexing certificates, not making keys.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "benchcert.h"

int
main(int argc, char **argv)
{
	gnutls_x509_privkey_t	 key;
	gnutls_x509_crt_t	 crt;
	gnutls_datum_t		 pem;
	FILE			*fp;
	char			 cn[64];
	unsigned long		 i, n;

	if (argc != 3 || (n = strtoul(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: gen-trust N FILE\n");
		return 2;
	}
	if ((fp = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	bench_check(gnutls_x509_privkey_init(&key), "privkey_init");
	bench_check(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
	    "privkey_generate");
	for (i = 0; i < n; i++) {
		snprintf(cn, sizeof(cn), "Bench Root %lu", i);
		crt = bench_make_crt(cn, key, NULL, key, GNUTLS_DIG_SHA256, 1,
		    i + 1, (time_t)946684800, (time_t)4102444799);
		bench_check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM,
		    &pem), "crt_export");
		if (fwrite(pem.data, 1, pem.size, fp) != pem.size) {
			perror(argv[2]);
			return 1;
		}
		gnutls_free(pem.data);
		gnutls_x509_crt_deinit(crt);
	}
	gnutls_x509_privkey_deinit(key);
	if (fclose(fp) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
