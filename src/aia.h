/*
 * aia.h: fetch a missing issuer from a caIssuers URL (RFC 5280 4.2.2.1),
 * and ask an OCSP responder (RFC 6960) with --ocsp.
 *
 * The only module that includes libcurl.  A fetcher is made once per run
 * from narrow parameters and shared by every audit of the run, worker
 * threads included: it remembers each URL's answer (body or reason) for
 * the run, so a scan asks the network once per URL, and it keeps bodies
 * that decoded to a certificate in an on-disk cache when one is named.
 * It only moves bytes: which URL to ask, and what the certificate means,
 * are the engine's business (audit.c).
 */
#ifndef CHAINAUDIT_AIA_H
#define CHAINAUDIT_AIA_H

#include <stddef.h>

#include "util.h"

#define AIA_DEFAULT_MAX_BODY	(1024 * 1024)
#define AIA_DEFAULT_REDIRECTS	3

struct aia_params {
	/*
	 * The on-disk cache directory, or NULL for none.  An entry
	 * is a file named by the lower-case hex SHA-256 of the URL string,
	 * holding the response body.  Only a fetch writes to it: a
	 * cache-only run (network 0) never creates or changes anything.
	 */
	const char	*cache_dir;
	int		 network;	/* 1: fetch over HTTP; 0: cache only */
	unsigned	 timeout_ms;	/* one fetch, redirects included */
	size_t		 max_body;	/* bytes; a larger response fails */
	unsigned	 max_redirects;
	/*
	 * Optional: told, once per run, a problem that does not fail a
	 * fetch (the cache cannot be written).
	 */
	void		(*warn)(const char *line, void *arg);
	void		*warn_arg;
};

struct aia_fetcher;

/*
 * A fetcher for params (copied, cache_dir included).  It
 * initialises libcurl: make it in the main thread before any worker
 * starts, and at most one at a time.  NULL on allocation failure or
 * when libcurl cannot start.
 */
struct aia_fetcher *aia_fetcher_new(const struct aia_params *params);
void	aia_fetcher_free(struct aia_fetcher *f);

/*
 * The body at url: from this run's memory, else the disk cache, else
 * (network on) an HTTP GET.  Only http:// URLs are fetched; redirects,
 * size and time are bounded by the parameters, and only a body holding
 * at least one certificate (DER, PEM or PKCS#7) that parses is
 * returned.  Returns 0 with *body (owned) and *len set, or -1 with a
 * one-line reason in why that does not repeat the URL ("HTTP 404",
 * "timed out after 5 s", "too many redirects (more than 3)").  Safe to
 * call from several threads; f is a struct aia_fetcher passed as a
 * void * so that aia_fetch fits judge_params.fetch_issuer as it is.
 */
int	aia_fetch(void *f, const char *url, unsigned char **body, size_t *len,
	    char *why, size_t whylen);

/*
 * POST req, a DER OCSP request (RFC 6960 A.1), to the OCSP responder at
 * url (http only) within the same bounds, and return its body, whatever
 * it holds (the engine judges it).  Remembered for the run by url and
 * request, never kept on disk: an OCSP answer is fresh for hours, not
 * for runs.  Fits judge_params.fetch_ocsp; thread-safe like aia_fetch.
 */
int	aia_ocsp(void *f, const char *url, const unsigned char *req,
	    size_t reqlen, unsigned char **body, size_t *len, char *why,
	    size_t whylen);

/*
 * The cache file name of url: lower-case hex SHA-256 of the URL string
 * into out.  Returns 0 or -1.
 */
int	aia_cache_name(const char *url, char out[SHA256_HEX_LEN]);

#endif
