/*
 * starttls.c: the plaintext dialogues before a TLS handshake.  Each one
 * is a few steps of "read a reply, judge it, send the next command",
 * driven by the bytes the caller feeds.  A reply is judged on its first
 * bytes as they arrive, so a server that answers with junk fails at once
 * rather than at the caller's timeout.
 */
#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "starttls.h"

/* The name in messages; "none" only when a caller misuses st. */
static const char *
proto_name(const struct starttls *st)
{
	const char	*name = net_starttls_name(st->proto);

	return name != NULL ? name : "none";
}

static void
queue(struct starttls *st, const void *buf, size_t len)
{
	if (len > sizeof(st->out))
		len = sizeof(st->out);
	memcpy(st->out, buf, len);
	st->outlen = len;
	st->outoff = 0;
}

static void
queuef(struct starttls *st, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

static void
queuef(struct starttls *st, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(st->out, sizeof(st->out), fmt, ap);
	va_end(ap);
	st->outlen = n < 0 ? 0 : (size_t)n < sizeof(st->out) ? (size_t)n :
	    sizeof(st->out) - 1;
	st->outoff = 0;
}

/*
 * The reply held in st->in when it is complete.  SMTP and FTP replies
 * are "ddd-text" lines ending with a "ddd text" line: returns the code
 * (and sets st->used to the reply's length), 0 when more is needed, -1
 * when this is not such a reply.  A line is
 * judged by its first bytes as they arrive, so junk without a newline
 * fails at once rather than at the timeout.  Whole "ddd-" lines are
 * judged once (st->judged): a server sending its reply a byte at a time
 * must not make every byte cost a pass over all the lines before it.
 */
static int
reply_code(struct starttls *st)
{
	const unsigned char	*p = st->in + st->judged;
	const unsigned char	*end = st->in + st->inlen, *nl;
	size_t			 i, n;
	int			 code;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		for (i = 0; i < n && i < 4; i++)
			if (i < 3 ? !isdigit(p[i]) : p[3] != ' ' &&
			    p[3] != '-' && p[3] != '\r')
				return -1;
		if (nl == NULL)
			return 0;
		if (n < 4)
			return -1;
		code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		if (p[3] != '-') {
			st->used = (size_t)(nl + 1 - st->in);
			return code;
		}
		p = nl + 1;
		st->judged = (size_t)(p - st->in);
	}
	return 0;
}

/*
 * 1 when st->in holds a complete line starting with prefix, -1 when a
 * complete line does not, 0 when no line is complete yet; st->used is
 * the first line's length.
 */
static int
line_is(struct starttls *st, const char *prefix)
{
	const unsigned char	*nl;
	size_t			 n = strlen(prefix);

	if ((nl = memchr(st->in, '\n', st->inlen)) == NULL)
		return 0;
	st->used = (size_t)(nl + 1 - st->in);
	return st->inlen >= n && strncasecmp((const char *)st->in, prefix,
	    n) == 0 ? 1 : -1;
}

/*
 * Whether st->in starts with prefix, judged on what has arrived: 1 yes,
 * -1 it cannot, 0 too little to tell.
 */
static int
starts_with(const struct starttls *st, const char *prefix)
{
	size_t	 n = strlen(prefix), k = st->inlen < n ? st->inlen : n;

	if (strncasecmp((const char *)st->in, prefix, k) != 0)
		return -1;
	return k == n ? 1 : 0;
}

/*
 * 1 when the EHLO reply in st->in offers keyword: an EHLO line after
 * the first (which names the server) whose keyword, up to a space or
 * the line's end, is keyword in any case (RFC 5321 4.1.1.1).  Not a
 * match inside the server's name or another line's parameters.
 */
static int
ehlo_offers(const struct starttls *st, const char *keyword)
{
	const unsigned char	*p = st->in, *end = st->in + st->inlen, *nl;
	size_t			 k = strlen(keyword), n;

	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL;
	    p = nl + 1) {
		if (p == st->in)
			continue;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n >= 4 + k && strncasecmp((const char *)p + 4, keyword,
		    k) == 0 && (n == 4 + k || p[4 + k] == ' '))
			return 1;
	}
	return 0;
}

static int
contains(const struct starttls *st, const char *s)
{
	return memmem(st->in, st->inlen, s, strlen(s)) != NULL;
}

/* Read a BER length at *p; returns it, or -1 when incomplete/bad. */
static long
ber_len(const unsigned char **p, const unsigned char *end)
{
	long	 v = 0;
	int	 n;

	if (*p >= end)
		return -1;
	if (**p < 0x80)
		return *(*p)++;
	n = *(*p)++ & 0x7f;
	if (n == 0 || n > 3 || end - *p < n)
		return -1;
	while (n-- > 0)
		v = (v << 8) | *(*p)++;
	return v;
}

/*
 * The LDAP StartTLS extended response: 0 with its messageID in *id, its
 * resultCode in *code (0 is success) and its length in st->used, 1 when
 * more is needed, -1 when it is not one.
 */
static int
ldap_result(struct starttls *st, long *id, int *code)
{
	const unsigned char	*p = st->in, *end = st->in + st->inlen, *mend;
	long			 len, i;

	if (st->inlen < 2)
		return 1;
	if (*p++ != 0x30)
		return -1;
	if ((len = ber_len(&p, end)) < 0)
		return st->inlen < 6 ? 1 : -1;
	if (end - p < len)
		return 1;
	mend = p + len;
	/* messageID INTEGER (0 to 2^31 - 1) */
	if (mend - p < 2 || *p++ != 0x02)
		return -1;
	if ((len = ber_len(&p, mend)) < 1 || len > 4 || mend - p < len)
		return -1;
	for (*id = 0, i = 0; i < len; i++)
		*id = *id << 8 | *p++;
	/* [APPLICATION 24] ExtendedResponse, then resultCode ENUMERATED */
	if (mend - p < 2 || *p++ != 0x78)
		return -1;
	if (ber_len(&p, mend) < 0 || mend - p < 3 || p[0] != 0x0a ||
	    p[1] != 0x01)
		return -1;
	*code = p[2];
	st->used = (size_t)(mend - st->in);
	return 0;
}

/*
 * Start a dialogue, queueing what the client says first; see
 * starttls.h.
 */
int
starttls_init(struct starttls *st, enum net_starttls proto,
    const char *host)
{
	/* ExtendedRequest for 1.3.6.1.4.1.1466.20037 (RFC 4511 4.14.1). */
	static const unsigned char ldap_req[] = {
		0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16,
		'1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.',
		'1', '4', '6', '6', '.', '2', '0', '0', '3', '7',
	};
	/* SSLRequest: length 8, code 80877103. */
	static const unsigned char pg_req[] = {
		0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f,
	};

	memset(st, 0, sizeof(*st));
	if ((st->in = malloc(STARTTLS_REPLY_MAX)) == NULL)
		return -1;
	st->proto = proto;
	st->host = host;
	switch (proto) {
	case STARTTLS_XMPP:
		queuef(st, "<?xml version='1.0'?><stream:stream "
		    "xmlns='jabber:client' "
		    "xmlns:stream='http://etherx.jabber.org/streams' "
		    "to='%s' version='1.0'>", host);
		break;
	case STARTTLS_LDAP:
		queue(st, ldap_req, sizeof(ldap_req));
		break;
	case STARTTLS_POSTGRES:
		queue(st, pg_req, sizeof(pg_req));
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Free a dialogue's buffer; see starttls.h.
 */
void
starttls_free(struct starttls *st)
{
	if (st == NULL)
		return;
	free(st->in);
	memset(st, 0, sizeof(*st));
}

/*
 * The unsent part of the last command; see starttls.h.
 */
const void *
starttls_pending(const struct starttls *st, size_t *len)
{
	if (st->outoff >= st->outlen)
		return NULL;
	*len = st->outlen - st->outoff;
	return st->out + st->outoff;
}

/*
 * Count n bytes of the last command as sent; see starttls.h.
 */
void
starttls_sent(struct starttls *st, size_t n)
{
	st->outoff += n < st->outlen - st->outoff ? n :
	    st->outlen - st->outoff;
}

/*
 * Room left in the reply buffer; see starttls.h.
 */
size_t
starttls_room(struct starttls *st)
{
	if (st->inlen < STARTTLS_REPLY_MAX)
		return STARTTLS_REPLY_MAX - st->inlen;
	snprintf(st->err, sizeof(st->err), "STARTTLS %s: reply longer than "
	    "%d bytes", proto_name(st), STARTTLS_REPLY_MAX);
	return 0;
}

/*
 * Look at what the server said so far, in st->in (at least one byte).
 * Returns 1 when TLS may start, 0 to go on (perhaps with a command
 * queued), -1 with st->err set.
 */
static int
dialogue_step(struct starttls *st)
{
	const char	*proto = proto_name(st);
	const unsigned char *at, *gt;
	char		 ex[300];
	long		 id = 0;
	int		 r, code = 0;

#define BAD(what) do {							\
	snprintf(st->err, sizeof(st->err), "STARTTLS %s: %s: '%s'",	\
	    proto, what, text_excerpt(st->in, st->inlen, ex,		\
	    sizeof(ex)));						\
	return -1;							\
} while (0)
#define NEXT(...) do {							\
	queuef(st, __VA_ARGS__);					\
	st->inlen = st->judged = 0;					\
	st->step++;							\
	return 0;							\
} while (0)

	switch (st->proto) {
	case STARTTLS_SMTP:
		if ((r = reply_code(st)) == 0)
			return 0;
		if (st->step == 0) {
			if (r != 220)
				BAD("unexpected greeting");
			NEXT("EHLO chainaudit.invalid\r\n");
		}
		if (st->step == 1) {
			if (r < 0)
				BAD("unexpected reply to EHLO");
			if (r != 250)
				BAD("EHLO refused");
			if (!ehlo_offers(st, "STARTTLS"))
				BAD("STARTTLS not offered");
			NEXT("STARTTLS\r\n");
		}
		if (r < 0)
			BAD("unexpected reply to STARTTLS");
		if (r != 220)
			BAD("STARTTLS refused");
		return 1;
	case STARTTLS_FTP:
		if ((r = reply_code(st)) == 0)
			return 0;
		if (st->step == 0) {
			if (r != 220)
				BAD("unexpected greeting");
			NEXT("AUTH TLS\r\n");
		}
		if (r < 0)
			BAD("unexpected reply to AUTH TLS");
		if (r != 234)
			BAD("AUTH TLS refused");
		return 1;
	case STARTTLS_POP3:
		/* "+OK" goes on, "-ERR" refuses, anything else is junk. */
		if (starts_with(st, "+OK") < 0 && starts_with(st, "-ERR") < 0)
			BAD(st->step == 0 ? "unexpected greeting" :
			    "unexpected reply to STLS");
		if ((r = line_is(st, "+OK")) == 0)
			return 0;
		if (r < 0)
			BAD(st->step == 0 ? "unexpected greeting" :
			    "STLS refused");
		if (st->step == 0)
			NEXT("STLS\r\n");
		return 1;
	case STARTTLS_IMAP:
		if (st->step == 0) {
			if (st->in[0] != '*')
				BAD("unexpected greeting");
			if ((r = line_is(st, "* OK")) == 0)
				return 0;
			if (r < 0)
				BAD("unexpected greeting");
			NEXT("a1 STARTTLS\r\n");
		}
		/* Skip untagged lines until our tag answers. */
		for (;;) {
			unsigned char *nl = memchr(st->in, '\n', st->inlen);

			if (st->inlen > 0 && st->in[0] != '*' &&
			    starts_with(st, "a1 ") < 0)
				BAD("unexpected reply to STARTTLS");
			if (nl == NULL)
				return 0;
			if (starts_with(st, "a1 ") > 0)
				break;
			st->inlen -= (size_t)(nl + 1 - st->in);
			memmove(st->in, nl + 1, st->inlen);
		}
		if (line_is(st, "a1 OK") < 0)
			BAD("STARTTLS refused");
		return 1;
	case STARTTLS_XMPP:
		if (st->step == 0) {
			if (contains(st, "<stream:error"))
				BAD("stream error");
			if (!contains(st, "</stream:features>") &&
			    !contains(st, "<stream:features/>"))
				return 0;
			if (!contains(st, "urn:ietf:params:xml:ns:xmpp-tls"))
				BAD("starttls not offered");
			NEXT("<starttls xmlns='urn:ietf:params:xml:ns:"
			    "xmpp-tls'/>");
		}
		if ((at = memmem(st->in, st->inlen, "<proceed", 8)) != NULL) {
			if ((gt = memchr(at, '>', st->inlen - (size_t)(at -
			    st->in))) == NULL)
				return 0;
			st->used = (size_t)(gt + 1 - st->in);
			return 1;
		}
		if (contains(st, "<failure") || contains(st, "<stream:error"))
			BAD("starttls refused");
		return 0;
	case STARTTLS_LDAP:
		if ((r = ldap_result(st, &id, &code)) == 1)
			return 0;
		if (r < 0)
			BAD("not an LDAP extended response");
		/* Ours is message 1; 0 is a notice of disconnection. */
		if (id != 1) {
			snprintf(st->err, sizeof(st->err), "STARTTLS ldap: "
			    "response to message %ld, not to the StartTLS "
			    "request (1)", id);
			return -1;
		}
		if (code != 0) {
			snprintf(st->err, sizeof(st->err), "STARTTLS ldap: "
			    "refused with result code %d", code);
			return -1;
		}
		return 1;
	case STARTTLS_POSTGRES:
		if (st->inlen < 1)
			return 0;
		if (st->in[0] == 'S') {
			st->used = 1;
			return 1;
		}
		if (st->in[0] == 'N')
			BAD("server does not accept TLS");
		BAD("not a PostgreSQL server");
	default:
		return 1;
	}
#undef BAD
#undef NEXT
}

/*
 * Judge bytes from the server; see starttls.h.
 */
int
starttls_feed(struct starttls *st, const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	char			 ex[300];
	size_t			 room, take;
	int			 r = 0;

	if (st->in == NULL) {
		snprintf(st->err, sizeof(st->err), "STARTTLS: no dialogue "
		    "under way");
		return -1;
	}
	/* Nothing new to judge: an empty read is not a reply. */
	while (len > 0) {
		if ((room = starttls_room(st)) == 0)
			return -1;
		take = len < room ? len : room;
		memcpy(st->in + st->inlen, p, take);
		st->inlen += take;
		p += take;
		len -= take;
		if ((r = dialogue_step(st)) != 0)
			break;
	}
	/*
	 * Bytes after the go-ahead, before our first TLS byte, were not
	 * asked for: they are what a man in the middle injects to be read
	 * as if they came over TLS (CVE-2021-23222, CVE-2011-0411).
	 */
	if (r > 0 && (st->inlen > st->used || len > 0)) {
		snprintf(st->err, sizeof(st->err), "STARTTLS %s: %zu bytes "
		    "after the server's go-ahead, before TLS (injected?): "
		    "'%s'", proto_name(st), st->inlen - st->used + len,
		    text_excerpt(st->in + st->used, st->inlen - st->used, ex,
		    sizeof(ex)));
		return -1;
	}
	if (r > 0) {
		st->inlen = st->judged = 0;
		st->outlen = st->outoff = 0;
	}
	return r;
}

/*
 * The server hung up mid-dialogue; see starttls.h.
 */
int
starttls_eof(struct starttls *st)
{
	char	 ex[300];

	if (st->inlen > 0)
		snprintf(st->err, sizeof(st->err), "STARTTLS %s: the server "
		    "closed the connection after '%s'", proto_name(st),
		    text_excerpt(st->in, st->inlen, ex, sizeof(ex)));
	else
		snprintf(st->err, sizeof(st->err), "STARTTLS %s: the server "
		    "closed the connection", proto_name(st));
	return -1;
}

enum net_starttls
starttls_guess(const unsigned char *head, size_t len, unsigned port)
{
	if (len >= 4 && memcmp(head, "220", 3) == 0 &&
	    (head[3] == ' ' || head[3] == '-'))
		return port == 21 ? STARTTLS_FTP : STARTTLS_SMTP;
	if (len >= 4 && memcmp(head, "* OK", 4) == 0)
		return STARTTLS_IMAP;
	if (len >= 3 && memcmp(head, "+OK", 3) == 0)
		return STARTTLS_POP3;
	return STARTTLS_NONE;
}
