/*
 * httpd.h: a small HTTP/1.1 server on 127.0.0.1 for the caIssuers tests.
 *
 * It runs on a thread of the test process, on a port of 127.0.0.1 chosen
 * by the kernel, answers one connection at a time (each closed after one
 * response) and stops by itself after HTTPD_LIFETIME_SEC whatever the
 * test does, so a test that fails half-way never leaves it running.
 * A path without a route is 404.
 */
#ifndef CHAINAUDIT_HTTPD_H
#define CHAINAUDIT_HTTPD_H

#include <stddef.h>

#define HTTPD_LIFETIME_SEC	60

enum httpd_kind {
	HTTPD_BODY,	/* 200 with the body and its Content-Length */
	HTTPD_STREAM,	/* 200 without a length: len bytes of 'A', then
			   close (body is NULL) */
	HTTPD_STREAM_LENGTH, /* the same, announced in Content-Length */
	HTTPD_STALL,	/* reads the request and never answers */
	HTTPD_REDIRECT,	/* 302 to the body (a path or a URL) */
};

struct httpd;

/* A server listening on 127.0.0.1; aborts the test on failure. */
struct httpd	*httpd_start(void);
int		 httpd_port(const struct httpd *h);

/*
 * Answer GET path with kind; body (copied) and len as the kind says.
 * Routes may be added while the server runs.
 */
void	httpd_route(struct httpd *h, const char *path, enum httpd_kind kind,
	    const void *body, size_t len);

/* Requests for path so far ("*": for any path). */
unsigned	httpd_hits(struct httpd *h, const char *path);
/* Body bytes written for path so far (HTTPD_STREAM). */
size_t		httpd_sent(struct httpd *h, const char *path);

/* Stop the server, close its port and free it (NULL is ignored). */
void	httpd_stop(struct httpd *h);

#endif
