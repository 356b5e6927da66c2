/*
 * servers.c: local servers for the live tests; see servers.h.
 *
 * openssl s_server serves fixture chains exactly as given (gnutls-serv
 * cannot bind to 127.0.0.1 alone, and GnuTLS sorts a server's chain);
 * the hostile peers and the SMTP peer are forked children of the test.
 */
#include <config.h>

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>

#include "servers.h"
#include "testlib.h"

#define MAX_SERVERS	16
#define START_TRIES	5
#define START_WAIT_MS	5000

/*
 * Static, so a .fini still finds every server after a failed assertion
 * has left the test function.
 */
static struct test_server pool[MAX_SERVERS];
static int pool_used[MAX_SERVERS];

static struct test_server *
server_new(void)
{
	size_t	 i;

	for (i = 0; i < MAX_SERVERS; i++)
		if (!pool_used[i]) {
			pool_used[i] = 1;
			memset(&pool[i], 0, sizeof(pool[i]));
			pool[i].pid = -1;
			pool[i].fd = -1;
			return &pool[i];
		}
	cr_assert_fail("more than %d test servers", MAX_SERVERS);
	return NULL;
}

/* A socket bound to 127.0.0.1 on a free port; its port in *port. */
static int
bind_free(int *port)
{
	struct sockaddr_in	 sa;
	socklen_t		 len = sizeof(sa);
	int			 fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(fd >= 0, "socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
	    "bind: %s", strerror(errno));
	cr_assert(getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
msleep(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* 1 when the log file says the server listens, -1 when it died. */
static int
openssl_ready(const struct test_server *s)
{
	char	 buf[4096];
	ssize_t	 n;
	int	 fd, st;

	if (waitpid(s->pid, &st, WNOHANG) == s->pid)
		return -1;
	if ((fd = open(s->log, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, "ACCEPT") != NULL;
}

struct test_server *
server_openssl(const char *cert, const char *key, const char *chain,
    const char *dcert, const char *dkey, const char *dchain)
{
	struct test_server *s;
	const char	*av[32];
	char		 accept[64], *paths[6];
	const char	*tmpdir = getenv("TMPDIR");
	size_t		 n, i;
	int		 try, fd, logfd, r = 0, waited;

	paths[0] = strdup(fixture_path(cert));
	paths[1] = strdup(fixture_path(key));
	paths[2] = chain ? strdup(chain[0] == '/' ? chain :
	    fixture_path(chain)) : NULL;
	paths[3] = dcert ? strdup(fixture_path(dcert)) : NULL;
	paths[4] = dkey ? strdup(fixture_path(dkey)) : NULL;
	paths[5] = dchain ? strdup(dchain[0] == '/' ? dchain :
	    fixture_path(dchain)) : NULL;
	for (try = 0; try < START_TRIES; try++) {
		s = server_new();
		/* Learn a free port, release it, and have openssl take it. */
		fd = bind_free(&s->port);
		close(fd);
		snprintf(accept, sizeof(accept), "127.0.0.1:%d", s->port);
		cr_assert(asprintf(&s->log, "%s/chainaudit-sserver.XXXXXX",
		    tmpdir && *tmpdir ? tmpdir : "/tmp") > 0);
		logfd = mkstemp(s->log);
		cr_assert(logfd >= 0, "mkstemp: %s", strerror(errno));
		n = 0;
		av[n++] = "openssl";
		av[n++] = "s_server";
		av[n++] = "-accept";
		av[n++] = accept;
		av[n++] = "-www";
		av[n++] = "-no-CAfile";
		av[n++] = "-no-CApath";
		av[n++] = "-no-CAstore";
		/* Serve SHA-1 chains and old suites too. */
		av[n++] = "-cipher";
		av[n++] = "ALL:@SECLEVEL=0";
		av[n++] = "-cert";
		av[n++] = paths[0];
		av[n++] = "-key";
		av[n++] = paths[1];
		if (paths[2] != NULL) {
			av[n++] = "-cert_chain";
			av[n++] = paths[2];
		}
		if (paths[3] != NULL) {
			av[n++] = "-dcert";
			av[n++] = paths[3];
			av[n++] = "-dkey";
			av[n++] = paths[4];
		}
		if (paths[5] != NULL) {
			av[n++] = "-dcert_chain";
			av[n++] = paths[5];
		}
		av[n] = NULL;
		if ((s->pid = fork()) == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			fd = open("/dev/null", O_RDONLY);
			dup2(fd, 0);
			dup2(logfd, 1);
			dup2(logfd, 2);
			execvp("openssl", (char *const *)av);
			_exit(127);
		}
		close(logfd);
		cr_assert(s->pid > 0, "fork: %s", strerror(errno));
		for (waited = 0; waited < START_WAIT_MS; waited += 20) {
			if ((r = openssl_ready(s)) != 0)
				break;
			msleep(20);
		}
		if (r == 1)
			break;
		/* Lost the port to someone else, or openssl failed. */
		server_stop(s);
	}
	for (i = 0; i < 6; i++)
		free(paths[i]);
	cr_assert(r == 1, "openssl s_server did not start");
	return s;
}

/* ---- peers ------------------------------------------------------------- */

/* Read what the client sends first (a ClientHello), up to a moment. */
static void
peer_read_some(int c)
{
	char		 buf[4096];
	struct timeval	 tv = { 2, 0 };

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (read(c, buf, sizeof(buf)) < 0)
		return;
}

/*
 * Close gracefully: stop writing, then read what the client still sends
 * until it closes.  Closing with unread input makes the kernel send a
 * reset, which can reach the client before the bytes written last and
 * turn "alert" or "not TLS" into "connection reset" now and then.
 */
static void
peer_close(int c)
{
	char		 buf[4096];
	struct timeval	 tv = { 2, 0 };

	shutdown(c, SHUT_WR);
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (read(c, buf, sizeof(buf)) > 0)
		;
	close(c);
}

static void
peer_write(int c, const void *buf, size_t len)
{
	if (send(c, buf, len, MSG_NOSIGNAL) < 0)
		return;
}

static int
peer_line(int c, char *buf, size_t len)
{
	size_t	 n = 0;
	char	 ch;

	while (n + 1 < len && read(c, &ch, 1) == 1) {
		buf[n++] = ch;
		if (ch == '\n')
			break;
	}
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

static void
peer_smtp(int c, gnutls_certificate_credentials_t cred,
    gnutls_priority_t prio)
{
	gnutls_session_t	 s;
	char			 line[512];
	int			 r;

	peer_write(c, "220 peer.test ESMTP ready\r\n", 27);
	if (peer_line(c, line, sizeof(line)) < 0 ||
	    strncasecmp(line, "EHLO", 4) != 0)
		return;
	peer_write(c, "250-peer.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n",
	    45);
	if (peer_line(c, line, sizeof(line)) < 0 ||
	    strncasecmp(line, "STARTTLS", 8) != 0)
		return;
	peer_write(c, "220 go ahead\r\n", 14);
	if (gnutls_init(&s, GNUTLS_SERVER) < 0)
		return;
	gnutls_priority_set(s, prio);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
	gnutls_transport_set_int(s, c);
	do {
		r = gnutls_handshake(s);
	} while (r < 0 && !gnutls_error_is_fatal(r));
	if (r == 0)
		gnutls_bye(s, GNUTLS_SHUT_WR);
	gnutls_deinit(s);
}

static void __attribute__((noreturn))
peer_main(int lfd, enum peer_kind kind, const char *cert, const char *key)
{
	/* A fatal handshake_failure alert, TLS 1.2 record. */
	static const unsigned char alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02,
	    0x02, 0x28 };
	/* A record carrying a ServerHello header that claims 16 MB. */
	static const unsigned char huge[] = { 0x16, 0x03, 0x03, 0x40, 0x00,
	    0x02, 0xff, 0xff, 0xff };
	static const char garbage[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
	    "\x01\x02\x03 this is not TLS \xff\xfe\xfd";
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_priority_t	 prio = NULL;
	static unsigned char	 zeros[16384];
	int			 c;
	size_t			 i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_IGN);
	memset(zeros, 0, sizeof(zeros));
	if (kind == PEER_SMTP) {
		if (gnutls_certificate_allocate_credentials(&cred) < 0 ||
		    gnutls_certificate_set_x509_key_file(cred, cert, key,
		    GNUTLS_X509_FMT_PEM) < 0 ||
		    gnutls_priority_init(&prio, "NORMAL", NULL) < 0)
			_exit(1);
	}
	for (;;) {
		if ((c = accept(lfd, NULL, NULL)) < 0)
			continue;
		switch (kind) {
		case PEER_GARBAGE:
			peer_read_some(c);
			peer_write(c, garbage, sizeof(garbage) - 1);
			break;
		case PEER_ALERT:
			peer_read_some(c);
			peer_write(c, alert, sizeof(alert));
			break;
		case PEER_HUGE:
			/*
			 * Well-framed 16 KB records carrying the announced
			 * message, for as long as the client reads (64 MB).
			 */
			peer_read_some(c);
			peer_write(c, huge, sizeof(huge));
			peer_write(c, zeros, sizeof(zeros) - 4);
			for (i = 0; i < 4096; i++) {
				if (send(c, huge, 5, MSG_NOSIGNAL) < 0)
					break;
				if (send(c, zeros, sizeof(zeros),
				    MSG_NOSIGNAL) < 0)
					break;
			}
			break;
		case PEER_TRICKLE:
			/* A valid record header, then its body byte by byte. */
			peer_read_some(c);
			peer_write(c, huge, 5);
			for (i = 0; i < 600; i++) {
				if (send(c, zeros, 1, MSG_NOSIGNAL) < 0)
					break;
				msleep(200);
			}
			break;
		case PEER_SMTP:
			peer_smtp(c, cred, prio);
			break;
		default:
			break;
		}
		peer_close(c);
	}
}

struct test_server *
server_peer(enum peer_kind kind, const char *certfile, const char *keyfile)
{
	struct test_server	*s = server_new();
	char			*cert = NULL, *key = NULL;

	s->fd = bind_free(&s->port);
	if (kind == PEER_CLOSED)
		return s;	/* bound, not listening: refused */
	cr_assert(listen(s->fd, 64) == 0, "listen: %s", strerror(errno));
	if (kind == PEER_SILENT)
		return s;	/* the kernel accepts; nobody answers */
	if (certfile != NULL) {
		cert = strdup(fixture_path(certfile));
		key = strdup(fixture_path(keyfile));
	}
	if ((s->pid = fork()) == 0)
		peer_main(s->fd, kind, cert, key);
	free(cert);
	free(key);
	cr_assert(s->pid > 0, "fork: %s", strerror(errno));
	return s;
}

void
server_stop(struct test_server *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			continue;
		s->pid = -1;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	if (s->log != NULL) {
		unlink(s->log);
		free(s->log);
		s->log = NULL;
	}
	for (i = 0; i < MAX_SERVERS; i++)
		if (&pool[i] == s)
			pool_used[i] = 0;
}

void
servers_stop_all(void)
{
	size_t	 i;

	for (i = 0; i < MAX_SERVERS; i++)
		if (pool_used[i])
			server_stop(&pool[i]);
}

char *
concat_tmp(const char *const *rels)
{
	const char	*tmpdir = getenv("TMPDIR");
	unsigned char	*buf;
	char		*path;
	size_t		 len, i;
	int		 fd;

	cr_assert(asprintf(&path, "%s/chainaudit-chain.XXXXXX",
	    tmpdir && *tmpdir ? tmpdir : "/tmp") > 0);
	fd = mkstemp(path);
	cr_assert(fd >= 0, "mkstemp: %s", strerror(errno));
	for (i = 0; rels[i] != NULL; i++) {
		buf = fixture_read(rels[i], &len);
		cr_assert(write(fd, buf, len) == (ssize_t)len);
		free(buf);
	}
	close(fd);
	return path;
}
