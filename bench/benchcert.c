/*
 * benchcert.c: certificate generation shared by the benchmarks.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchcert.h"

void
bench_check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
		    what, gnutls_strerror(ret));
		exit(1);
	}
}

gnutls_x509_crt_t
bench_make_crt(const char *cn, gnutls_x509_privkey_t key, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t ikey, gnutls_digest_algorithm_t dig, int ca,
    unsigned long serial, time_t nb, time_t na)
{
	gnutls_x509_crt_t crt;

	crt = bench_crt_new(cn, key, ca, serial, nb, na);
	bench_crt_sign(crt, key, issuer, ikey, dig);
	return crt;
}

gnutls_x509_crt_t
bench_crt_new(const char *cn, gnutls_x509_privkey_t key, int ca,
    unsigned long serial, time_t nb, time_t na)
{
	gnutls_x509_crt_t crt;
	unsigned char sn[8], id[64];
	size_t idlen, i;
	unsigned usage;

	for (i = 0; i < sizeof(sn); i++)
		sn[i] = (unsigned char)(serial >> (8 * (sizeof(sn) - 1 - i)));
	sn[0] = 0x01;
	bench_check(gnutls_x509_crt_init(&crt), "crt_init");
	bench_check(gnutls_x509_crt_set_version(crt, 3), "set_version");
	bench_check(gnutls_x509_crt_set_serial(crt, sn, sizeof(sn)), "set_serial");
	bench_check(gnutls_x509_crt_set_activation_time(crt, nb), "set_activation");
	bench_check(gnutls_x509_crt_set_expiration_time(crt, na), "set_expiration");
	bench_check(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
	    0, cn, strlen(cn)), "set_dn");
	bench_check(gnutls_x509_crt_set_key(crt, key), "set_key");
	bench_check(gnutls_x509_crt_set_basic_constraints(crt, ca, -1),
	    "set_basic_constraints");
	if (ca)
		usage = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
	else if (gnutls_x509_privkey_get_pk_algorithm(key) == GNUTLS_PK_RSA)
		usage = GNUTLS_KEY_DIGITAL_SIGNATURE |
		    GNUTLS_KEY_KEY_ENCIPHERMENT;
	else
		usage = GNUTLS_KEY_DIGITAL_SIGNATURE;
	bench_check(gnutls_x509_crt_set_key_usage(crt, usage), "set_key_usage");
	idlen = sizeof(id);
	bench_check(gnutls_x509_privkey_get_key_id(key, 0, id, &idlen), "key_id");
	bench_check(gnutls_x509_crt_set_subject_key_id(crt, id, idlen), "set_ski");
	if (!ca) {
		bench_check(gnutls_x509_crt_set_subject_alt_name(crt,
		    GNUTLS_SAN_DNSNAME, cn, strlen(cn), GNUTLS_FSAN_SET),
		    "set_san");
		bench_check(gnutls_x509_crt_set_key_purpose_oid(crt,
		    GNUTLS_KP_TLS_WWW_SERVER, 0), "set_eku");
	}
	return crt;
}

void
bench_crt_sign(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
    gnutls_x509_crt_t issuer, gnutls_x509_privkey_t ikey,
    gnutls_digest_algorithm_t dig)
{
	unsigned char id[64];
	size_t idlen;

	if (issuer == NULL) {
		issuer = crt;
		ikey = key;
	} else {
		idlen = sizeof(id);
		bench_check(gnutls_x509_privkey_get_key_id(ikey, 0, id, &idlen),
		    "key_id");
		bench_check(gnutls_x509_crt_set_authority_key_id(crt, id, idlen),
		    "set_aki");
	}
	bench_check(gnutls_x509_crt_sign2(crt, issuer, ikey, dig, 0), "sign");
}
