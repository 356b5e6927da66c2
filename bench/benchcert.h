/*
 * benchcert.h: certificate generation shared by the benchmarks (never
 * part of chainaudit itself).  Generation cannot usefully go on after a
 * GnuTLS failure, so these exit on one.
 */
#ifndef CHAINAUDIT_BENCHCERT_H
#define CHAINAUDIT_BENCHCERT_H

#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* Exit with "PROGRAM: what: reason" when ret is a GnuTLS error. */
void	bench_check(int ret, const char *what);

/*
 * A certificate for (cn, key) issued by (issuer, ikey) with hash dig, or
 * self-signed when issuer is NULL, with the extensions a public CA puts
 * in: key identifiers, key usage, and for leaves a DNS name and
 * serverAuth.  The caller deinits it.
 */
gnutls_x509_crt_t bench_make_crt(const char *cn, gnutls_x509_privkey_t key,
	    gnutls_x509_crt_t issuer, gnutls_x509_privkey_t ikey,
	    gnutls_digest_algorithm_t dig, int ca, unsigned long serial,
	    time_t nb, time_t na);

/*
 * bench_make_crt in two steps, so that a caller can add extensions in
 * between: the unsigned certificate with the extensions above, then its
 * signature (and the authority key identifier, when issuer is set).
 */
gnutls_x509_crt_t bench_crt_new(const char *cn, gnutls_x509_privkey_t key,
	    int ca, unsigned long serial, time_t nb, time_t na);
void	bench_crt_sign(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
	    gnutls_x509_crt_t issuer, gnutls_x509_privkey_t ikey,
	    gnutls_digest_algorithm_t dig);

#endif
