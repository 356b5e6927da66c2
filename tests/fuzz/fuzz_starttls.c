/*
 * fuzz_starttls.c: libFuzzer target for the STARTTLS dialogues
 * (src/starttls.c), fed a server's replies from a buffer as net.c feeds
 * them from a socket.  The first byte chooses the protocol (its value
 * modulo 7: smtp, imap, pop3, ftp, xmpp, ldap, postgres) and, with bit
 * 0x80, one read per byte instead of one read per line; the rest is
 * what the server says.  Between reads the client's pending command is
 * taken as sent, as net.c would send it; at the end the server hangs up.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "starttls.h"

static const enum net_starttls protos[] = {
	STARTTLS_SMTP, STARTTLS_IMAP, STARTTLS_POP3, STARTTLS_FTP,
	STARTTLS_XMPP, STARTTLS_LDAP, STARTTLS_POSTGRES,
};

/* Send what the client has queued, in two writes when it can. */
static void
drain(struct starttls *st)
{
	const void	*p;
	size_t		 len;

	while ((p = starttls_pending(st, &len)) != NULL) {
		(void)p;
		starttls_sent(st, len > 1 ? len / 2 : len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct starttls		 st;
	const uint8_t		*p, *end, *nl;
	size_t			 n, room;
	int			 bytewise, r = 0;

	if (size < 1)
		return 0;
	bytewise = (data[0] & 0x80) != 0;
	if (starttls_init(&st, protos[(data[0] & 0x7f) % 7],
	    "mail.example.test") < 0)
		abort();
	p = data + 1;
	end = data + size;
	while (p < end && r == 0) {
		drain(&st);
		if (bytewise)
			n = 1;
		else if ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL)
			n = (size_t)(nl + 1 - p);
		else
			n = (size_t)(end - p);
		/* net.c reads no more than there is room for. */
		if ((room = starttls_room(&st)) == 0) {
			r = -1;
			break;
		}
		if (n > room)
			n = room;
		r = starttls_feed(&st, p, n);
		p += n;
	}
	if (r == 0)
		(void)starttls_eof(&st);
	if (r != 0 && r != 1 && (r != -1 || st.err[0] == '\0'))
		abort();	/* a failure must say why */
	starttls_free(&st);
	return 0;
}
