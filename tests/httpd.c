/*
 * httpd.c: the caIssuers tests' HTTP server; see httpd.h.
 *
 * Plain blocking sockets on one thread, every wait bounded by poll on
 * the connection and a stop pipe, so httpd_stop returns at once even
 * while a client holds a stalled connection open.
 */
#include <config.h>

#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "httpd.h"
#include "util.h"

#define REQUEST_MAX	8192
#define REQUEST_WAIT_MS	5000
#define CHUNK		(64 * 1024)

struct route {
	char		*path;		/* owned */
	enum httpd_kind	 kind;
	unsigned char	*body;		/* owned */
	size_t		 len;
	unsigned	 hits;
	size_t		 sent;
};

struct httpd {
	int		 lfd;		/* listening socket */
	int		 stop[2];	/* a byte in stop[1] stops the thread */
	int		 port;
	pthread_t	 thread;
	pthread_mutex_t	 lock;		/* guards routes and counters */
	struct route	*routes;	/* owned */
	size_t		 nroutes, cap;
	unsigned	 hits;		/* every request */
	time_t		 deadline;
};

/*
 * Wait for events on fd for at most ms: 1 when fd is ready, 0 when the
 * time passed, -1 when the server is to stop (httpd_stop, its lifetime
 * is over, or poll failed).
 */
static int
wait_fd(struct httpd *h, int fd, short events, int ms)
{
	struct pollfd pfd[2];
	int n;

	pfd[0].fd = fd;
	pfd[0].events = events;
	pfd[1].fd = h->stop[0];
	pfd[1].events = POLLIN;
	for (;;) {
		if (time(NULL) > h->deadline)
			return -1;
		pfd[0].revents = pfd[1].revents = 0;
		if ((n = poll(pfd, 2, ms)) >= 0)
			break;
		if (errno != EINTR)
			return -1;
	}
	if (pfd[1].revents != 0)
		return -1;
	return n > 0 && pfd[0].revents != 0;
}

/* Send all of buf; 0, or -1 when the client went away or stop. */
static int
send_all(struct httpd *h, int c, const void *buf, size_t len, size_t *sent)
{
	const unsigned char *p = buf;
	ssize_t w;

	while (len > 0) {
		if (wait_fd(h, c, POLLOUT, REQUEST_WAIT_MS) <= 0)
			return -1;
		w = send(c, p, len, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
		if (sent != NULL)
			*sent += (size_t)w;
	}
	return 0;
}

/* Read the request head into buf; 0, or -1 when it did not come. */
static int
read_request(struct httpd *h, int c, char *buf, size_t len)
{
	size_t off = 0;
	ssize_t r;

	while (off + 1 < len) {
		if (wait_fd(h, c, POLLIN, REQUEST_WAIT_MS) <= 0)
			return -1;
		r = recv(c, buf + off, len - off - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		off += (size_t)r;
		buf[off] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL)
			return 0;
	}
	return -1;
}

/* Hold a stalled connection until the client gives up, or stop. */
static void
stall(struct httpd *h, int c)
{
	char buf[512];
	int r;

	while ((r = wait_fd(h, c, POLLIN, 200)) >= 0)
		if (r > 0 && recv(c, buf, sizeof(buf), 0) <= 0)
			return;
}

static struct route *
route_find(struct httpd *h, const char *path)
{
	size_t i;

	for (i = 0; i < h->nroutes; i++)
		if (strcmp(h->routes[i].path, path) == 0)
			return &h->routes[i];
	return NULL;
}

/* Stream len bytes of 'A' to c, counting them into the route. */
static void
stream(struct httpd *h, int c, const char *path, size_t len, int with_length)
{
	static char chunk[CHUNK];
	struct route *rt;
	char head[256];
	size_t n, sent = 0;

	memset(chunk, 'A', sizeof(chunk));
	if (with_length)
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/pkix-cert\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", len);
	else
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/pkix-cert\r\nConnection: close\r\n\r\n");
	if (send_all(h, c, head, strlen(head), NULL) < 0)
		return;
	while (sent < len) {
		n = len - sent < sizeof(chunk) ? len - sent : sizeof(chunk);
		if (send_all(h, c, chunk, n, &sent) < 0)
			break;
		pthread_mutex_lock(&h->lock);
		if ((rt = route_find(h, path)) != NULL)
			rt->sent = sent;
		pthread_mutex_unlock(&h->lock);
	}
	pthread_mutex_lock(&h->lock);
	if ((rt = route_find(h, path)) != NULL)
		rt->sent = sent;
	pthread_mutex_unlock(&h->lock);
}

/* Answer one connection. */
static void
serve(struct httpd *h, int c)
{
	struct route *rt, copy;
	char req[REQUEST_MAX], path[1024], head[2048];
	unsigned char *body = NULL;

	if (read_request(h, c, req, sizeof(req)) < 0 ||
	    sscanf(req, "GET %1023s HTTP/1.", path) != 1)
		return;
	pthread_mutex_lock(&h->lock);
	h->hits++;
	memset(&copy, 0, sizeof(copy));
	copy.kind = HTTPD_BODY;
	if ((rt = route_find(h, path)) != NULL) {
		rt->hits++;
		copy = *rt;
		if (rt->body != NULL && (body = malloc(rt->len)) != NULL)
			memcpy(body, rt->body, rt->len);
	}
	pthread_mutex_unlock(&h->lock);
	if (rt == NULL) {
		snprintf(head, sizeof(head), "HTTP/1.1 404 Not Found\r\n"
		    "Content-Type: text/plain\r\nContent-Length: 10\r\n"
		    "Connection: close\r\n\r\nnot found\n");
		(void)send_all(h, c, head, strlen(head), NULL);
		return;
	}
	switch (copy.kind) {
	case HTTPD_BODY:
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: "
		    "application/octet-stream\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", copy.len);
		if (send_all(h, c, head, strlen(head), NULL) == 0 &&
		    copy.len > 0 && body != NULL)
			(void)send_all(h, c, body, copy.len, NULL);
		break;
	case HTTPD_STREAM:
	case HTTPD_STREAM_LENGTH:
		stream(h, c, path, copy.len, copy.kind == HTTPD_STREAM_LENGTH);
		break;
	case HTTPD_STALL:
		stall(h, c);
		break;
	case HTTPD_REDIRECT:
		snprintf(head, sizeof(head), "HTTP/1.1 302 Found\r\n"
		    "Location: %.*s\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n", (int)copy.len,
		    body != NULL ? (char *)body : "");
		(void)send_all(h, c, head, strlen(head), NULL);
		break;
	}
	free(body);
}

static void *
server_main(void *arg)
{
	struct httpd *h = arg;
	int c, r;

	while ((r = wait_fd(h, h->lfd, POLLIN, 200)) >= 0) {
		if (r == 0 || (c = accept(h->lfd, NULL, NULL)) < 0)
			continue;
		serve(h, c);
		close(c);
	}
	return NULL;
}

struct httpd *
httpd_start(void)
{
	struct httpd *h;
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	h = calloc(1, sizeof(*h));
	cr_assert_not_null(h, "out of memory");
	h->deadline = time(NULL) + HTTPD_LIFETIME_SEC;
	cr_assert(pthread_mutex_init(&h->lock, NULL) == 0);
	cr_assert(pipe2(h->stop, O_CLOEXEC) == 0, "pipe: %s",
	    strerror(errno));
	h->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(h->lfd >= 0, "socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(bind(h->lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
	    "bind: %s", strerror(errno));
	cr_assert(getsockname(h->lfd, (struct sockaddr *)&sa, &len) == 0);
	cr_assert(listen(h->lfd, 16) == 0, "listen: %s", strerror(errno));
	h->port = ntohs(sa.sin_port);
	cr_assert(pthread_create(&h->thread, NULL, server_main, h) == 0,
	    "pthread_create failed");
	return h;
}

int
httpd_port(const struct httpd *h)
{
	return h->port;
}

void
httpd_route(struct httpd *h, const char *path, enum httpd_kind kind,
    const void *body, size_t len)
{
	struct route *rt;

	pthread_mutex_lock(&h->lock);
	cr_assert(array_reserve(&h->routes, &h->cap, h->nroutes + 1,
	    sizeof(*h->routes)) == 0, "out of memory");
	rt = &h->routes[h->nroutes++];
	memset(rt, 0, sizeof(*rt));
	rt->path = strdup(path);
	rt->kind = kind;
	rt->len = len;
	if (body != NULL && len > 0) {
		rt->body = malloc(len);
		cr_assert_not_null(rt->body, "out of memory");
		memcpy(rt->body, body, len);
	}
	cr_assert_not_null(rt->path, "out of memory");
	pthread_mutex_unlock(&h->lock);
}

unsigned
httpd_hits(struct httpd *h, const char *path)
{
	struct route *rt;
	unsigned n;

	pthread_mutex_lock(&h->lock);
	if (strcmp(path, "*") == 0)
		n = h->hits;
	else
		n = (rt = route_find(h, path)) != NULL ? rt->hits : 0;
	pthread_mutex_unlock(&h->lock);
	return n;
}

size_t
httpd_sent(struct httpd *h, const char *path)
{
	struct route *rt;
	size_t n;

	pthread_mutex_lock(&h->lock);
	n = (rt = route_find(h, path)) != NULL ? rt->sent : 0;
	pthread_mutex_unlock(&h->lock);
	return n;
}

void
httpd_stop(struct httpd *h)
{
	size_t i;

	if (h == NULL)
		return;
	(void)write(h->stop[1], "x", 1);
	pthread_join(h->thread, NULL);
	close(h->lfd);
	close(h->stop[0]);
	close(h->stop[1]);
	for (i = 0; i < h->nroutes; i++) {
		free(h->routes[i].path);
		free(h->routes[i].body);
	}
	free(h->routes);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
