/*
 * starttls.h: the plaintext dialogues that come before the TLS handshake
 * on SMTP, IMAP, POP3, FTP, XMPP, LDAP and PostgreSQL ports.  No sockets:
 * the caller moves the bytes (net.c from a socket, a test or a fuzzer
 * from a buffer), and a dialogue only says what to send next and
 * whether the server has agreed to start TLS.
 *
 * Ownership follows util.h: a struct starttls owns its reply buffer
 * until starttls_free and borrows its host.
 */
#ifndef CHAINAUDIT_STARTTLS_H
#define CHAINAUDIT_STARTTLS_H

#include <stddef.h>

#include "net_target.h"
#include "util.h"

/* The longest reply a dialogue waits for before giving up on it. */
#define STARTTLS_REPLY_MAX	16384

/* One dialogue.  Callers read err after a failure and nothing else. */
struct starttls {
	enum net_starttls	 proto;
	const char		*host;		/* borrowed: XMPP's "to" */
	int			 step;		/* commands sent so far */
	unsigned char		*in;		/* owned: STARTTLS_REPLY_MAX
						   bytes, the reply so far */
	size_t			 inlen;
	size_t			 used;		/* bytes of in the server's
						   go-ahead took */
	size_t			 judged;	/* in[0..judged): whole
						   "ddd-" lines judged */
	char			 out[512];	/* what to send next */
	size_t			 outlen, outoff;
	char			 err[ERRBUF_LEN]; /* why it failed */
};

/*
 * Start a dialogue in proto (not STARTTLS_NONE or STARTTLS_AUTO, which
 * have none) with host, which must outlive st.  Queues what the client
 * says first: XMPP, LDAP and PostgreSQL speak first, the others wait
 * for a greeting.  Returns 0, or -1 when memory runs out (st is then
 * zeroed).
 */
int	starttls_init(struct starttls *st, enum net_starttls proto,
	    const char *host);

/* Free st's reply buffer and zero st; st may be NULL. */
void	starttls_free(struct starttls *st);

/*
 * What the client must send before it reads on: returns the bytes,
 * borrowed from st, and sets *len; or NULL when nothing waits.
 */
const void *starttls_pending(const struct starttls *st, size_t *len);

/* n bytes of what starttls_pending returned went out. */
void	starttls_sent(struct starttls *st, size_t n);

/*
 * How many bytes the next starttls_feed may bring, for a caller that
 * reads from a socket no more than that at a time.  0 means the server's
 * reply has outgrown STARTTLS_REPLY_MAX: the dialogue has failed and err
 * says so.
 */
size_t	starttls_room(struct starttls *st);

/*
 * Judge len more bytes from the server as one read.  When they complete
 * a reply that the dialogue answers, whatever follows it in the same
 * read is dropped, since a server must wait for the command; more than
 * starttls_room is judged in reads of that size.  Returns 1 when the
 * server agreed and the TLS handshake may start, 0 when the dialogue
 * needs more (sending starttls_pending first), or -1 with err set.
 * After 1 or -1 the dialogue is over.
 */
int	starttls_feed(struct starttls *st, const void *buf, size_t len);

/*
 * The server closed the connection before the dialogue ended: sets err,
 * quoting what it said last, and returns -1.
 */
int	starttls_eof(struct starttls *st);

/*
 * The protocol whose plain-text greeting head (the first len bytes a
 * server sent where a TLS record was expected) looks like: SMTP's or
 * FTP's "220", IMAP's "* OK", POP3's "+OK"; STARTTLS_NONE when it is
 * none of them.  port tells FTP's 220 (21) from SMTP's.
 */
enum net_starttls starttls_guess(const unsigned char *head, size_t len,
	    unsigned port);

#endif
