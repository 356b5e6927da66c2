/*
 * aia.c: caIssuers bodies over HTTP, remembered for the run and kept in
 * an on-disk cache.
 *
 * A caIssuers URL comes from a certificate nobody has vouched for yet,
 * so everything about the fetch is bounded: http only (also after a
 * redirect), a few redirects, a body size, and one time limit for the
 * whole fetch.  A failure is an answer too: the run remembers it, so a
 * scan of a thousand leaves under one dead URL waits for it once.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "aia.h"
#include "cert.h"
#include "pem.h"
#include "util.h"

/*
 * URLs the run remembers.  A scan meets one per distinct intermediate,
 * a few thousand at most; past this the answers are fetched again
 * rather than kept, so memory stays bounded whatever the input.
 */
#define AIA_MEMORY_MAX	4096
/*
 * And the bodies it keeps, in bytes: a caIssuers body is a few kB, but
 * a hostile one may be up to max_body, so the run stops remembering new
 * bodies past this (those being fetched may still add max_body each).
 */
#define AIA_MEMORY_BYTES	(64 * 1024 * 1024)

#define WHY_LEN		256

/* One URL's answer for the run. */
struct aia_entry {
	char		*url;		/* owned */
	int		 done;		/* 0: a thread is fetching it */
	unsigned char	*body;		/* owned; NULL when it failed */
	size_t		 len;
	char		 why[WHY_LEN];	/* the reason, when it failed */
};

struct aia_fetcher {
	struct aia_params p;		/* cache_dir replaced by the copy */
	char		*cache_dir;	/* owned, or NULL */
	pthread_mutex_t	 lock;		/* guards what follows */
	pthread_cond_t	 done;		/* an entry was answered */
	struct aia_entry **v;		/* owned array of owned entries */
	size_t		 n, cap;
	size_t		 bytes;		/* of the bodies in v */
	int		 warned;	/* the cache problem was told */
};

/* A body being received, bounded by max. */
struct body {
	unsigned char	*buf;		/* owned */
	size_t		 len, cap, max;
	int		 too_big;	/* stopped at max */
	int		 nomem;
};

/*
 * Name the cache file of url: lower-case hex SHA-256 of the URL string.
 */
int
aia_cache_name(const char *url, char out[SHA256_HEX_LEN])
{
	unsigned char md[SHA256_LEN];

	if (sha256(url, strlen(url), md) < 0)
		return -1;
	hex_encode(md, SHA256_LEN, out);
	return 0;
}

/*
 * A fetcher for params; see aia.h.
 */
struct aia_fetcher *
aia_fetcher_new(const struct aia_params *params)
{
	struct aia_fetcher *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->p = *params;
	if (params->cache_dir != NULL &&
	    (f->cache_dir = strdup(params->cache_dir)) == NULL) {
		free(f);
		return NULL;
	}
	f->p.cache_dir = f->cache_dir;
	if (pthread_mutex_init(&f->lock, NULL) != 0) {
		free(f->cache_dir);
		free(f);
		return NULL;
	}
	if (pthread_cond_init(&f->done, NULL) != 0) {
		pthread_mutex_destroy(&f->lock);
		free(f->cache_dir);
		free(f);
		return NULL;
	}
	/* Plain HTTP needs no TLS back end; the rest of curl does. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		pthread_cond_destroy(&f->done);
		pthread_mutex_destroy(&f->lock);
		free(f->cache_dir);
		free(f);
		return NULL;
	}
	return f;
}

/* Free f and what the run remembered, and release libcurl. */
void
aia_fetcher_free(struct aia_fetcher *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->v[i]->url);
		free(f->v[i]->body);
		free(f->v[i]);
	}
	free(f->v);
	pthread_cond_destroy(&f->done);
	pthread_mutex_destroy(&f->lock);
	free(f->cache_dir);
	free(f);
	curl_global_cleanup();
}

/* Tell a problem that does not fail the fetch, once per run. */
static void
warn_once(struct aia_fetcher *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn_once(struct aia_fetcher *f, const char *fmt, ...)
{
	va_list ap;
	char line[512];
	int first;

	pthread_mutex_lock(&f->lock);
	first = !f->warned;
	f->warned = 1;
	pthread_mutex_unlock(&f->lock);
	if (!first || f->p.warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	f->p.warn(line, f->p.warn_arg);
}

/*
 * 1 when buf decodes (DER, PEM or PKCS#7) to at least one certificate
 * that parses: what the engine can use, and all the cache keeps.
 */
static int
body_has_cert(const unsigned char *buf, size_t len)
{
	struct der_list list;
	struct cert *c;
	char err[ERRBUF_LEN];
	size_t i;
	int ok = 0;

	memset(&list, 0, sizeof(list));
	if (pem_decode(buf, len, &list) < 0)
		return 0;
	for (i = 0; i < list.n && !ok; i++) {
		if ((c = cert_parse(list.v[i].der, list.v[i].len, err,
		    sizeof(err))) != NULL)
			ok = 1;
		cert_free(c);
	}
	der_list_free(&list);
	return ok;
}

/* "5 s", "0.5 s": a time limit as the user wrote it. */
static void
format_seconds(unsigned ms, char *buf, size_t len)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%u s", ms / 1000);
	else
		snprintf(buf, len, "%.1f s", ms / 1000.0);
}

/* ---- the on-disk cache ------------------------------------------------ */

/* dir/name into buf; 0, or -1 when it does not fit. */
static int
cache_path(const char *dir, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * The cache entry of url into *body (owned): 0 when it is there and holds
 * a certificate, -1 otherwise (missing, unreadable, too large or stale
 * garbage: the network, when on, replaces it).
 */
static int
cache_read(const struct aia_fetcher *f, const char *url, unsigned char **body,
    size_t *len)
{
	struct stat st;
	unsigned char *buf = NULL;
	char name[SHA256_HEX_LEN], path[4096];
	size_t off = 0;
	ssize_t r;
	int fd = -1, ret = -1;

	if (f->cache_dir == NULL || aia_cache_name(url, name) < 0 ||
	    cache_path(f->cache_dir, name, path, sizeof(path)) < 0)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		goto out;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size > f->p.max_body)
		goto out;
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		goto out;
	while (off < (size_t)st.st_size) {
		r = read(fd, buf + off, (size_t)st.st_size - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto out;
		off += (size_t)r;
	}
	if (!body_has_cert(buf, off))
		goto out;
	*body = buf;
	*len = off;
	buf = NULL;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

/* mkdir -p dir, each new directory mode 0700.  0, or -1 with errno. */
static int
mkdir_p(const char *dir)
{
	struct stat st;
	char *p, *s;
	int ret = -1, e;

	if ((s = strdup(dir)) == NULL)
		return -1;
	for (p = s + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		e = *p;
		*p = '\0';
		if (mkdir(s, 0700) < 0 && errno != EEXIST)
			goto out;
		*p = (char)e;
		if (e == '\0')
			break;
	}
	if (stat(dir, &st) < 0)
		goto out;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto out;
	}
	ret = 0;
out:
	free(s);
	return ret;
}

/*
 * Keep body as url's cache entry: written to a temporary file in the
 * directory, then renamed over the entry, so a reader sees a whole body
 * or none.  0, or -1 with the reason in err.
 */
static int
cache_write(const struct aia_fetcher *f, const char *url,
    const unsigned char *body, size_t len, char *err, size_t errlen)
{
	char name[SHA256_HEX_LEN], path[4096], tmp[4096];
	size_t off = 0;
	ssize_t w;
	int fd = -1, ret = -1;

	tmp[0] = '\0';
	if (aia_cache_name(url, name) < 0 ||
	    cache_path(f->cache_dir, name, path, sizeof(path)) < 0 ||
	    cache_path(f->cache_dir, ".tmp.XXXXXX", tmp, sizeof(tmp)) < 0) {
		snprintf(err, errlen, "path too long");
		tmp[0] = '\0';
		goto out;
	}
	if (mkdir_p(f->cache_dir) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	while (off < len) {
		w = write(fd, body + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "%s", w < 0 ? strerror(errno) :
			    "short write");
			goto out;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fd = -1;
		snprintf(err, errlen, "%s", strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);
	return ret;
}

/* ---- HTTP ------------------------------------------------------------- */

static size_t
body_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;

	if (n > b->max - b->len) {
		b->too_big = 1;
		return 0;	/* curl stops the transfer at once */
	}
	if (array_reserve(&b->buf, &b->cap, b->len + n, 1) < 0) {
		b->nomem = 1;
		return 0;
	}
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	return n;
}

/* 1 when url's scheme is http (case does not matter in a scheme). */
static int
url_is_http(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0;
}

/*
 * GET url over HTTP within the bounds of f, or POST post (postlen bytes
 * of type ctype) when post is not NULL.  0 with the body (owned), or -1
 * with the reason in why.
 */
static int
http_request(const struct aia_fetcher *f, const char *url,
    const unsigned char *post, size_t postlen, const char *ctype,
    unsigned char **out, size_t *outlen, char *why, size_t whylen)
{
	struct curl_slist *hdrs = NULL;
	struct body b;
	CURL *h;
	CURLcode rc;
	char errbuf[CURL_ERROR_SIZE], secs[32];
	long code = 0, redirects = 0;
	int ret = -1;

	memset(&b, 0, sizeof(b));
	b.max = f->p.max_body;
	errbuf[0] = '\0';
	if ((h = curl_easy_init()) == NULL) {
		snprintf(why, whylen, "cannot start libcurl");
		return -1;
	}
	/*
	 * Options that cannot fail on this libcurl (7.85 or later, which
	 * configure requires) are not checked one by one: a refused one
	 * shows in curl_easy_perform's result.
	 */
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)f->p.max_redirects);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)f->p.timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);	/* worker threads */
	curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)f->p.max_body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, PACKAGE_NAME "/"
	    PACKAGE_VERSION);
	if (post != NULL) {
		if ((hdrs = curl_slist_append(NULL, ctype)) == NULL) {
			snprintf(why, whylen, "out of memory");
			curl_easy_cleanup(h);
			return -1;
		}
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)postlen);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
	if (b.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(why, whylen, "response larger than %zu bytes",
		    f->p.max_body);
	else if (b.nomem)
		snprintf(why, whylen, "out of memory");
	else if (rc == CURLE_OPERATION_TIMEDOUT) {
		format_seconds(f->p.timeout_ms, secs, sizeof(secs));
		snprintf(why, whylen, "timed out after %s", secs);
	} else if (rc == CURLE_TOO_MANY_REDIRECTS)
		snprintf(why, whylen, "too many redirects (more than %u)",
		    f->p.max_redirects);
	else if (rc == CURLE_UNSUPPORTED_PROTOCOL && redirects > 0)
		snprintf(why, whylen, "redirected to a URL that is not http "
		    "(%s)", errbuf);
	else if (rc == CURLE_HTTP_RETURNED_ERROR ||
	    (rc == CURLE_OK && (code < 200 || code > 299)))
		snprintf(why, whylen, "HTTP %ld", code);
	else if (rc != CURLE_OK)
		snprintf(why, whylen, "%s", errbuf[0] != '\0' ? errbuf :
		    curl_easy_strerror(rc));
	else if (b.len == 0)
		snprintf(why, whylen, "empty response");
	else {
		*out = b.buf;
		*outlen = b.len;
		b.buf = NULL;
		ret = 0;
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	free(b.buf);
	return ret;
}

/*
 * url's body, asking the cache and then the network: what aia_fetch
 * does once per URL and run.
 */
static int
fetch_uncached(struct aia_fetcher *f, const char *url, unsigned char **body,
    size_t *len, char *why, size_t whylen)
{
	unsigned char *buf = NULL;
	char err[ERRBUF_LEN];
	size_t n = 0;

	if (!url_is_http(url)) {
		snprintf(why, whylen, "not an http URL (only http:// "
		    "caIssuers are fetched)");
		return -1;
	}
	if (cache_read(f, url, body, len) == 0)
		return 0;
	if (!f->p.network) {
		snprintf(why, whylen, "not in the AIA cache %s (--fetch-aia "
		    "fetches it)", f->cache_dir != NULL ? f->cache_dir : "");
		return -1;
	}
	if (http_request(f, url, NULL, 0, NULL, &buf, &n, why, whylen) < 0)
		return -1;
	if (!body_has_cert(buf, n)) {
		snprintf(why, whylen, "not a certificate (DER, PEM or "
		    "PKCS#7): %zu bytes", n);
		free(buf);
		return -1;
	}
	/* The fetch stands even when it cannot be kept for later runs. */
	if (f->cache_dir != NULL && cache_write(f, url, buf, n, err,
	    sizeof(err)) < 0)
		warn_once(f, "%s: cannot write the AIA cache: %s",
		    f->cache_dir, err);
	*body = buf;
	*len = n;
	return 0;
}

/* The run's entry for url, or NULL; with f->lock held. */
static struct aia_entry *
entry_find(struct aia_fetcher *f, const char *url)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i]->url, url) == 0)
			return f->v[i];
	return NULL;
}

/* A new entry for url, being fetched; NULL when full or on ENOMEM. */
static struct aia_entry *
entry_add(struct aia_fetcher *f, const char *url)
{
	struct aia_entry *e;

	if (f->n >= AIA_MEMORY_MAX || f->bytes >= AIA_MEMORY_BYTES ||
	    array_reserve(&f->v, &f->cap,
	    f->n + 1, sizeof(*f->v)) < 0)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if ((e->url = strdup(url)) == NULL) {
		free(e);
		return NULL;
	}
	f->v[f->n++] = e;
	return e;
}

/* A copy of entry e's answer, as aia_fetch returns it. */
static int
entry_answer(const struct aia_entry *e, unsigned char **body, size_t *len,
    char *why, size_t whylen)
{
	unsigned char *copy;

	if (e->body == NULL) {
		snprintf(why, whylen, "%s", e->why);
		return -1;
	}
	if ((copy = malloc(e->len)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	memcpy(copy, e->body, e->len);
	*body = copy;
	*len = e->len;
	return 0;
}

/* What one fetch sends: a GET of url, or a POST of an OCSP request. */
struct fetch_req {
	const char		*key;	/* the run's memory: url, or
					   "POST url sha256" */
	const char		*url;
	const unsigned char	*post;	/* NULL: GET */
	size_t			 postlen;
};

static int
fetch_uncached_req(struct aia_fetcher *f, const struct fetch_req *q,
    unsigned char **body, size_t *len, char *why, size_t whylen)
{
	if (q->post == NULL)
		return fetch_uncached(f, q->url, body, len, why, whylen);
	if (!url_is_http(q->url)) {
		snprintf(why, whylen, "not an http URL (only http:// OCSP "
		    "responders are asked)");
		return -1;
	}
	return http_request(f, q->url, q->post, q->postlen,
	    "Content-Type: application/ocsp-request", body, len, why, whylen);
}

/*
 * Answer q once per run: the first thread to ask fetches while the
 * others wait for its answer, so a scan does not fetch one URL on every
 * worker at once.
 */
static int
fetch_once(struct aia_fetcher *f, const struct fetch_req *q,
    unsigned char **body, size_t *len, char *why, size_t whylen)
{
	struct aia_entry *e;
	unsigned char *buf = NULL;
	char reason[WHY_LEN];
	size_t n = 0;
	int r;

	pthread_mutex_lock(&f->lock);
	if ((e = entry_find(f, q->key)) != NULL) {
		while (!e->done)
			pthread_cond_wait(&f->done, &f->lock);
		r = entry_answer(e, body, len, why, whylen);
		pthread_mutex_unlock(&f->lock);
		return r;
	}
	e = entry_add(f, q->key);
	pthread_mutex_unlock(&f->lock);

	reason[0] = '\0';
	r = fetch_uncached_req(f, q, &buf, &n, reason, sizeof(reason));
	if (e == NULL) {
		if (r == 0) {
			*body = buf;
			*len = n;
		} else
			snprintf(why, whylen, "%s", reason);
		return r;
	}
	pthread_mutex_lock(&f->lock);
	e->body = buf;
	e->len = n;
	f->bytes += n;
	snprintf(e->why, sizeof(e->why), "%s", reason);
	e->done = 1;
	pthread_cond_broadcast(&f->done);
	r = entry_answer(e, body, len, why, whylen);
	pthread_mutex_unlock(&f->lock);
	return r;
}

/*
 * The body at url, once per run; see aia.h.
 */
int
aia_fetch(void *arg, const char *url, unsigned char **body, size_t *len,
    char *why, size_t whylen)
{
	struct fetch_req q;

	memset(&q, 0, sizeof(q));
	q.key = url;
	q.url = url;
	return fetch_once(arg, &q, body, len, why, whylen);
}

/*
 * An OCSP responder's answer to req, once per run; see aia.h.
 */
int
aia_ocsp(void *arg, const char *url, const unsigned char *req, size_t reqlen,
    unsigned char **body, size_t *len, char *why, size_t whylen)
{
	struct fetch_req q;
	unsigned char md[SHA256_LEN];
	char hex[SHA256_HEX_LEN], *key = NULL;
	int r;

	if (sha256(req, reqlen, md) < 0) {
		snprintf(why, whylen, "cannot hash the request");
		return -1;
	}
	hex_encode(md, SHA256_LEN, hex);
	if (asprintf(&key, "POST %s %s", url, hex) < 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	q.key = key;
	q.url = url;
	q.post = req;
	q.postlen = reqlen;
	r = fetch_once(arg, &q, body, len, why, whylen);
	free(key);
	return r;
}
