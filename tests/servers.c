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
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "pem.h"
#include "servers.h"
#include "testlib.h"

#define MAX_SERVERS	16
#define START_TRIES	5
#define START_WAIT_MS	5000
#define RECORD_MAX	16384		/* TLS plaintext record limit */
#define BIG_LIST	(1024 * 1024)	/* PEER_BIGCERTS sends more */
#define MANY_LIST	(120 * 1024)	/* PEER_MANYCERTS sends about this */

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

static struct test_server *openssl_start(const char *, const char *,
    const char *, const char *, const char *, const char *, const char *);

struct test_server *
server_openssl(const char *cert, const char *key, const char *chain,
    const char *dcert, const char *dkey, const char *dchain)
{
	return openssl_start(cert, key, chain, dcert, dkey, dchain, NULL);
}

struct test_server *
server_openssl_stapling(const char *cert, const char *key, const char *chain,
    const char *status_file)
{
	return openssl_start(cert, key, chain, NULL, NULL, NULL, status_file);
}

/*
 * Run openssl with av (av[0] "openssl") as s's process, its output going
 * to a new log file s->log named after what (its standard input is
 * /dev/null).  Aborts the test on failure.
 */
static void
openssl_spawn(struct test_server *s, const char *what, const char *const *av)
{
	const char	*tmpdir = getenv("TMPDIR");
	int		 fd, logfd;

	cr_assert(asprintf(&s->log, "%s/chainaudit-%s.XXXXXX",
	    tmpdir && *tmpdir ? tmpdir : "/tmp", what) > 0);
	logfd = mkstemp(s->log);
	cr_assert(logfd >= 0, "mkstemp: %s", strerror(errno));
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
}

/*
 * `openssl ocsp` as a responder on a port of its choosing (-port 0),
 * which it prints as "ACCEPT [::]:PORT".  OpenSSL 3.0 cannot bind one
 * address, so it listens on all of them; -nrequest bounds its life.
 */
struct test_server *
server_ocsp_responder(const char *index, const char *ca, const char *rsigner,
    const char *rkey, unsigned nrequest)
{
	struct test_server *s;
	const char	*av[32];
	char		 nreq[16], buf[4096], *p;
	ssize_t		 got;
	size_t		 n = 0;
	int		 fd, waited;

	s = server_new();
	snprintf(nreq, sizeof(nreq), "%u", nrequest);
	av[n++] = "openssl";
	av[n++] = "ocsp";
	av[n++] = "-index";
	av[n++] = index;
	av[n++] = "-port";
	av[n++] = "0";
	av[n++] = "-CA";
	av[n++] = ca;
	av[n++] = "-rsigner";
	av[n++] = rsigner;
	av[n++] = "-rkey";
	av[n++] = rkey;
	av[n++] = "-ndays";
	av[n++] = "1";
	av[n++] = "-nrequest";
	av[n++] = nreq;
	av[n] = NULL;
	openssl_spawn(s, "ocsp", av);
	for (waited = 0; waited < START_WAIT_MS; waited += 20) {
		cr_assert(openssl_ready(s) >= 0, "openssl ocsp died");
		if ((fd = open(s->log, O_RDONLY | O_CLOEXEC)) >= 0) {
			got = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[got > 0 ? got : 0] = '\0';
			if ((p = strstr(buf, "ACCEPT ")) != NULL &&
			    (p = strchr(p, ']')) != NULL && p[1] == ':' &&
			    (s->port = atoi(p + 2)) > 0)
				return s;
		}
		msleep(20);
	}
	cr_assert_fail("openssl ocsp did not start");
	return NULL;
}

/* server_openssl, stapling status_file (a path) when not NULL. */
static struct test_server *
openssl_start(const char *cert, const char *key, const char *chain,
    const char *dcert, const char *dkey, const char *dchain,
    const char *status_file)
{
	struct test_server *s;
	const char	*av[32];
	char		 accept[64], *paths[6];
	size_t		 n, i;
	int		 try, fd, r = 0, waited;

	paths[0] = strdup(cert[0] == '/' ? cert : fixture_path(cert));
	paths[1] = strdup(key[0] == '/' ? key : fixture_path(key));
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
		if (status_file != NULL) {
			av[n++] = "-status_file";
			av[n++] = status_file;
		}
		av[n] = NULL;
		openssl_spawn(s, "sserver", av);
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

/* A GnuTLS server handshake on c, then a polite close_notify. */
static void
peer_tls(int c, gnutls_certificate_credentials_t cred,
    gnutls_priority_t prio)
{
	gnutls_session_t	 s;
	int			 r;

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

static void
peer_smtp(int c, gnutls_certificate_credentials_t cred,
    gnutls_priority_t prio)
{
	char			 line[512];

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
	peer_tls(c, cred, prio);
}

/*
 * A plaintext dialogue: send steps[0], then for each further step read
 * one line (the client's command) and send the step.
 */
static void
peer_script(int c, const char *const *steps)
{
	char	 line[512];
	size_t	 i;

	peer_write(c, steps[0], strlen(steps[0]));
	for (i = 1; steps[i] != NULL; i++) {
		if (peer_line(c, line, sizeof(line)) < 0)
			return;
		peer_write(c, steps[i], strlen(steps[i]));
	}
}

/* Wait, reading, until the client gives up and closes (or 30 s). */
static void
peer_hold(int c)
{
	char		 buf[4096];
	struct timeval	 tv = { 30, 0 };

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (read(c, buf, sizeof(buf)) > 0)
		;
}

/*
 * A TLS 1.2 ServerHello in one record: ECDHE-RSA-AES128-GCM-SHA256 (the
 * client offers it), no session ID, an empty renegotiation_info, and a
 * random without the TLS 1.3 downgrade sentinel.
 */
static const unsigned char server_hello12[] = {
	0x16, 0x03, 0x03, 0x00, 0x31,	/* handshake record, 49 bytes */
	0x02, 0x00, 0x00, 0x2d,		/* ServerHello, 45 bytes */
	0x03, 0x03,
	0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e,
	0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e,
	0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e,
	0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e,
	0x00,				/* session ID */
	0xc0, 0x2f,			/* cipher suite */
	0x00,				/* compression */
	0x00, 0x05, 0xff, 0x01, 0x00, 0x01, 0x00,
};

static void
put24(unsigned char *p, size_t v)
{
	p[0] = (unsigned char)(v >> 16);
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)v;
}

/*
 * Send a TLS 1.2 Certificate message carrying every entry of certs, cut
 * into well-framed records of at most 16 KB.  Stops when the client
 * goes away.
 */
static void
peer_certificate12(int c, const struct der_list *certs)
{
	unsigned char	*msg, hdr[5];
	size_t		 len = 7, off = 0, i, n;

	for (i = 0; i < certs->n; i++)
		len += 3 + certs->v[i].len;
	if ((msg = malloc(len)) == NULL)
		return;
	msg[0] = 0x0b;			/* Certificate */
	put24(msg + 1, len - 4);
	put24(msg + 4, len - 7);
	for (i = 0, n = 7; i < certs->n; i++) {
		put24(msg + n, certs->v[i].len);
		memcpy(msg + n + 3, certs->v[i].der, certs->v[i].len);
		n += 3 + certs->v[i].len;
	}
	while (off < len) {
		n = len - off < RECORD_MAX ? len - off : RECORD_MAX;
		hdr[0] = 0x16;
		hdr[1] = hdr[2] = 0x03;
		hdr[3] = (unsigned char)(n >> 8);
		hdr[4] = (unsigned char)n;
		if (send(c, hdr, sizeof(hdr), MSG_NOSIGNAL) < 0 ||
		    send(c, msg + off, n, MSG_NOSIGNAL) < 0)
			break;
		off += n;
	}
	free(msg);
}

/*
 * GnuTLS server credentials serving the certificates of certs as they
 * are, unparseable or not, signed with keyfile.  NULL on failure.
 */
static gnutls_certificate_credentials_t
raw_credentials(const struct der_list *certs, const char *keyfile)
{
	gnutls_certificate_credentials_t cred;
	gnutls_privkey_t	 key;
	gnutls_pcert_st		*pc;
	gnutls_datum_t		 d;
	size_t			 i;

	if (certs->n == 0 || (pc = calloc(certs->n, sizeof(*pc))) == NULL ||
	    gnutls_load_file(keyfile, &d) < 0 ||
	    gnutls_privkey_init(&key) < 0 ||
	    gnutls_privkey_import_x509_raw(key, &d, GNUTLS_X509_FMT_PEM, NULL,
	    0) < 0 || gnutls_certificate_allocate_credentials(&cred) < 0)
		return NULL;
	for (i = 0; i < certs->n; i++) {
		/* Every entry borrows the leaf's key, then its own bytes. */
		d.data = certs->v[0].der;
		d.size = (unsigned)certs->v[0].len;
		if (gnutls_pcert_import_x509_raw(&pc[i], &d,
		    GNUTLS_X509_FMT_DER, 0) < 0)
			return NULL;
		if (i == 0)
			continue;
		gnutls_free(pc[i].cert.data);
		if ((pc[i].cert.data = gnutls_malloc(certs->v[i].len)) ==
		    NULL)
			return NULL;
		memcpy(pc[i].cert.data, certs->v[i].der, certs->v[i].len);
		pc[i].cert.size = (unsigned)certs->v[i].len;
	}
	if (gnutls_certificate_set_key(cred, NULL, 0, pc, (int)certs->n,
	    key) < 0)
		return NULL;
	return cred;
}

/*
 * What a certificate peer sends: the leaf of file, then for
 * PEER_BIGCERTS the leaf again up to 1 MB, for PEER_MANYCERTS the
 * second certificate again up to 120 KB, for the others the second
 * certificate cut in half.
 */
static void
peer_certs(enum peer_kind kind, const char *file, struct der_list *out)
{
	struct der_list	 in;
	size_t		 total;

	fixture_decode(file, &in);
	cr_assert(in.n >= 2, "%s: want a leaf and an intermediate", file);
	memset(out, 0, sizeof(*out));
	cr_assert(der_list_add(out, in.v[0].der, in.v[0].len) == 0);
	if (kind == PEER_BIGCERTS)
		for (total = in.v[0].len; total <= BIG_LIST;
		    total += in.v[0].len)
			cr_assert(der_list_add(out, in.v[0].der,
			    in.v[0].len) == 0);
	else if (kind == PEER_MANYCERTS)
		for (total = in.v[0].len; total <= MANY_LIST;
		    total += in.v[1].len)
			cr_assert(der_list_add(out, in.v[1].der,
			    in.v[1].len) == 0);
	else
		cr_assert(der_list_add(out, in.v[1].der, in.v[1].len / 2) ==
		    0);
	der_list_free(&in);
}

static void __attribute__((noreturn))
peer_main(int lfd, enum peer_kind kind, const char *cert, const char *key,
    const struct der_list *certs)
{
	static const char *const smtp_refuse[] = {
	    "220 peer.test ESMTP ready\r\n",
	    "250-peer.test\r\n250 STARTTLS\r\n",
	    "454 4.7.0 TLS not available due to local problem\r\n", NULL };
	/* TLS bytes where the 220 should be: no line, no reply code. */
	static const char *const smtp_junk[] = {
	    "220 peer.test ESMTP ready\r\n",
	    "250-peer.test\r\n250 STARTTLS\r\n",
	    "\x15\x03\x03\x01\x02\x02\x46", NULL };
	static const char *const imap_refuse[] = {
	    "* OK [CAPABILITY IMAP4rev1 STARTTLS] peer.test ready\r\n",
	    "* BYE going away\r\na1 NO [UNAVAILABLE] TLS not available\r\n",
	    NULL };
	static const char *const imap_junk[] = {
	    "* OK [CAPABILITY IMAP4rev1 STARTTLS] peer.test ready\r\n",
	    "HTTP/1.1 400 Bad Request\r\n\r\n", NULL };
	static const char *const pop3_refuse[] = {
	    "+OK POP3 peer.test ready\r\n",
	    "-ERR TLS not available\r\n", NULL };
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
	if (kind == PEER_BADCERT && ((cred = raw_credentials(certs,
	    key)) == NULL || gnutls_priority_init(&prio, "NORMAL", NULL) < 0))
		_exit(1);
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
		case PEER_BADCERT:
			peer_tls(c, cred, prio);
			break;
		case PEER_BADCERT12:
		case PEER_BIGCERTS:
		case PEER_MANYCERTS:
			peer_read_some(c);
			peer_write(c, server_hello12, sizeof(server_hello12));
			peer_certificate12(c, certs);
			break;
		case PEER_STALL:
			peer_read_some(c);
			peer_write(c, server_hello12, sizeof(server_hello12));
			peer_hold(c);
			break;
		case PEER_CUT:
			peer_read_some(c);
			peer_write(c, server_hello12, sizeof(server_hello12));
			/* A record of 4 KB announced, 100 bytes of it sent. */
			peer_write(c, "\x16\x03\x03\x10\x00\x0b\x00\x0f\xfc",
			    9);
			peer_write(c, zeros, 100);
			break;
		case PEER_SMTP_REFUSE:
			peer_script(c, smtp_refuse);
			break;
		case PEER_SMTP_JUNK:
			peer_script(c, smtp_junk);
			break;
		case PEER_IMAP_REFUSE:
			peer_script(c, imap_refuse);
			break;
		case PEER_IMAP_JUNK:
			peer_script(c, imap_junk);
			break;
		case PEER_POP3_REFUSE:
			peer_script(c, pop3_refuse);
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
	struct der_list		 certs;
	char			*cert = NULL, *key = NULL;

	memset(&certs, 0, sizeof(certs));
	if (kind == PEER_BADCERT || kind == PEER_BADCERT12 ||
	    kind == PEER_BIGCERTS || kind == PEER_MANYCERTS)
		peer_certs(kind, certfile, &certs);
	s->fd = bind_free(&s->port);
	if (kind == PEER_CLOSED)
		return s;	/* bound, not listening: refused */
	cr_assert(listen(s->fd, 64) == 0, "listen: %s", strerror(errno));
	if (kind == PEER_SILENT)
		return s;	/* the kernel accepts; nobody answers */
	if (certfile != NULL) {
		cert = strdup(fixture_path(certfile));
		key = keyfile != NULL ? strdup(fixture_path(keyfile)) : NULL;
	}
	if ((s->pid = fork()) == 0)
		peer_main(s->fd, kind, cert, key, &certs);
	free(cert);
	free(key);
	der_list_free(&certs);
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
