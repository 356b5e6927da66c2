/*
 * servers.h: TLS and not-quite-TLS servers on 127.0.0.1 for the live
 * tests.  Every server listens on a free port of 127.0.0.1 only, dies
 * with the test process (PR_SET_PDEATHSIG), and servers_stop_all, run
 * as a Criterion .fini, kills whatever a failed test left running.
 */
#ifndef CHAINAUDIT_SERVERS_H
#define CHAINAUDIT_SERVERS_H

#include <sys/types.h>

enum peer_kind {
	PEER_SILENT,	/* accepts (in the kernel) and never answers */
	PEER_GARBAGE,	/* answers a ClientHello with non-TLS bytes */
	PEER_ALERT,	/* answers with a fatal handshake_failure alert */
	PEER_HUGE,	/* announces a 16 MB handshake message, streams zeros */
	PEER_TRICKLE,	/* sends one byte of a record every 200 ms, forever */
	PEER_SMTP,	/* SMTP with STARTTLS, then a GnuTLS server handshake */
	PEER_CLOSED,	/* a bound port nobody listens on: refused */
	/*
	 * The leaf of certfile, then its second certificate cut in half
	 * (DER that does not parse): from a GnuTLS server (TLS 1.3, keyfile
	 * signs), or written by hand after a TLS 1.2 ServerHello.
	 */
	PEER_BADCERT,
	PEER_BADCERT12,
	PEER_BIGCERTS,	/* a TLS 1.2 ServerHello, then a well-framed 1 MB
			   Certificate message: the leaf of certfile, again
			   and again */
	PEER_STALL,	/* a TLS 1.2 ServerHello, then silence */
	PEER_CUT,	/* a TLS 1.2 ServerHello, then half a Certificate
			   record, then it closes */
	PEER_MANYCERTS,	/* a TLS 1.2 ServerHello, then a 120 KB
			   Certificate message (within GnuTLS's limit): the
			   leaf of certfile, then its CA again and again */
	/* STARTTLS offered, then refused with an error reply, or junk. */
	PEER_SMTP_REFUSE,
	PEER_SMTP_JUNK,
	PEER_IMAP_REFUSE,
	PEER_IMAP_JUNK,
	PEER_POP3_REFUSE,
};

struct test_server {
	pid_t	 pid;		/* -1 when no process */
	int	 fd;		/* listening (or bound) socket, or -1 */
	int	 port;
	char	*log;		/* owned: openssl's output file, or NULL */
};

/*
 * Servers live in a static pool (so a .fini finds them after a failed
 * assertion); the pointers returned stay valid until server_stop.
 *
 * Start `openssl s_server` on 127.0.0.1 serving cert (its first
 * certificate is the leaf) with key, then chain (a file, may be NULL;
 * each file relative to fixtures/, or an absolute path)
 * exactly in that order; dcert/dkey/dchain (may be NULL) a second
 * certificate for another key type.  Waits until it accepts.  Aborts
 * the test on failure.
 */
struct test_server *server_openssl(const char *cert, const char *key,
	    const char *chain, const char *dcert, const char *dkey,
	    const char *dchain);

/*
 * server_openssl with one certificate, stapling the DER OCSP response in
 * status_file (an absolute path) to every client that asks (RFC 6066 8).
 */
struct test_server *server_openssl_stapling(const char *cert,
	    const char *key, const char *chain, const char *status_file);

/*
 * `openssl ocsp` answering from index (an OpenSSL CA index file) for
 * the CA certificate ca, signing with rsigner and rkey (absolute paths),
 * responses valid a day; it exits after nrequest requests.  Its port is
 * in ->port.
 */
struct test_server *server_ocsp_responder(const char *index, const char *ca,
	    const char *rsigner, const char *rkey, unsigned nrequest);

/*
 * Start a peer of kind on a free 127.0.0.1 port.  PEER_SMTP and the
 * certificate peers serve certfile (a chain, leaf first; keyfile for
 * PEER_SMTP and PEER_BADCERT).  Aborts on failure.
 */
struct test_server *server_peer(enum peer_kind kind,
	    const char *certfile, const char *keyfile);

void	server_stop(struct test_server *s);
/* Stop every server started by this process (Criterion .fini). */
void	servers_stop_all(void);

/*
 * A temporary PEM file holding the concatenation of the fixture files
 * (NULL-terminated, relative to fixtures/).  Owned path; the caller
 * unlinks and frees it.
 */
char	*concat_tmp(const char *const *rels);

#endif
