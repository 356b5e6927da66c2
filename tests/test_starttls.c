/*
 * test_starttls.c: the STARTTLS dialogues fed canned server replies from
 * memory, no sockets: each protocol's agreement, its refusals, junk that
 * must fail at once, replies cut short by a hang-up, replies too long to
 * hold, and random bytes that must end in a verdict, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "starttls.h"

/* One exchange: what the client must have queued, then the reply. */
struct turn {
	const char	*send;		/* NULL: nothing queued */
	const char	*reply;
	size_t		 len;		/* 0: strlen(reply) */
};

/* Check that st queued exactly want (NULL: nothing), then send it all. */
static void
expect_sent(struct starttls *st, const char *want, size_t wantlen)
{
	const void	*out;
	size_t		 len = 0;

	out = starttls_pending(st, &len);
	if (want == NULL) {
		cr_expect_null(out, "queued %zu bytes unasked", len);
		return;
	}
	cr_assert_not_null(out, "nothing queued, want '%s'", want);
	cr_expect_eq(len, wantlen, "queued %zu bytes, want %zu", len,
	    wantlen);
	cr_expect(len == wantlen && memcmp(out, want, len) == 0,
	    "queued '%.*s', want '%s'", (int)len, (const char *)out, want);
	starttls_sent(st, len);
	cr_expect_null(starttls_pending(st, &len));
}

/*
 * Play turns against a fresh dialogue, each reply as one read, or one
 * byte per read when bytewise.  Every reply but the last must leave the
 * dialogue wanting more; returns what the last one got (-1 leaves the
 * reason in st->err).  The caller frees st.
 */
static int
play(enum net_starttls proto, const struct turn *turns, size_t n,
    int bytewise, struct starttls *st)
{
	size_t	 i, j, len;
	int	 r = 0;

	cr_assert_eq(starttls_init(st, proto, "mx.example.com"), 0);
	for (i = 0; i < n; i++) {
		expect_sent(st, turns[i].send, turns[i].send != NULL ?
		    strlen(turns[i].send) : 0);
		len = turns[i].len != 0 ? turns[i].len :
		    strlen(turns[i].reply);
		if (!bytewise)
			r = starttls_feed(st, turns[i].reply, len);
		else
			for (j = 0, r = 0; j < len && r == 0; j++)
				r = starttls_feed(st, turns[i].reply + j, 1);
		if (i + 1 < n)
			cr_assert_eq(r, 0, "turn %zu: %d (%s)", i, r,
			    st->err);
	}
	return r;
}

/* The dialogue agrees to TLS whether replies come whole or bytewise. */
static void
agrees(enum net_starttls proto, const struct turn *turns, size_t n)
{
	struct starttls	 st;
	int		 bytewise;

	for (bytewise = 0; bytewise < 2; bytewise++) {
		cr_expect_eq(play(proto, turns, n, bytewise, &st), 1,
		    "%s%s: %s", net_starttls_name(proto), bytewise ?
		    " bytewise" : "", st.err);
		/* Nothing is left to send once TLS may start. */
		expect_sent(&st, NULL, 0);
		starttls_free(&st);
	}
}

/* The dialogue fails and err holds want. */
static void
refuses(enum net_starttls proto, const struct turn *turns, size_t n,
    const char *want)
{
	struct starttls	 st;

	cr_expect_eq(play(proto, turns, n, 0, &st), -1, "%s: not refused",
	    want);
	cr_expect(strstr(st.err, want) != NULL, "'%s' lacks '%s'", st.err,
	    want);
	starttls_free(&st);
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))
#define EHLO	"EHLO chainaudit.invalid\r\n"

/* ---- SMTP ---------------------------------------------------------- */

Test(smtp, agrees)
{
	static const struct turn t[] = {
		{ NULL, "220-mx.example.com ESMTP\r\n220 welcome\r\n", 0 },
		{ EHLO, "250-mx.example.com\r\n250-PIPELINING\r\n"
		    "250 STARTTLS\r\n", 0 },
		{ "STARTTLS\r\n", "220 2.0.0 go ahead\r\n", 0 },
	};

	agrees(STARTTLS_SMTP, t, N(t));
}

Test(smtp, refusals_and_junk)
{
	static const struct turn busy[] = {
		{ NULL, "554 no service\r\n", 0 },
	};
	static const struct turn http[] = {
		/* No newline needed: "HTT" is no reply code. */
		{ NULL, "HTTP/1.1 400 Bad Request", 0 },
	};
	static const struct turn no_tls[] = {
		{ NULL, "220 mx\r\n", 0 },
		{ EHLO, "250-mx\r\n250 8BITMIME\r\n", 0 },
	};
	static const struct turn ehlo_no[] = {
		{ NULL, "220 mx\r\n", 0 },
		{ EHLO, "502 what\r\n", 0 },
	};
	static const struct turn no[] = {
		{ NULL, "220 mx\r\n", 0 },
		{ EHLO, "250-mx\r\n250 starttls\r\n", 0 },
		{ "STARTTLS\r\n", "454 TLS not available\r\n", 0 },
	};
	static const struct turn junk[] = {
		{ NULL, "220 mx\r\n", 0 },
		{ EHLO, "250-mx\r\n250 STARTTLS\r\n", 0 },
		{ "STARTTLS\r\n", "\x16\x03\x01", 0 },
	};

	refuses(STARTTLS_SMTP, busy, N(busy), "STARTTLS smtp: unexpected "
	    "greeting: '554 no service'");
	refuses(STARTTLS_SMTP, http, N(http), "unexpected greeting: "
	    "'HTTP/1.1 400 Bad Request'");
	refuses(STARTTLS_SMTP, no_tls, N(no_tls), "STARTTLS not offered");
	refuses(STARTTLS_SMTP, ehlo_no, N(ehlo_no), "EHLO refused");
	refuses(STARTTLS_SMTP, no, N(no), "STARTTLS refused: '454 TLS");
	refuses(STARTTLS_SMTP, junk, N(junk), "unexpected reply to "
	    "STARTTLS: '\\x16\\x03\\x01'");
}

/*
 * STARTTLS is offered by an EHLO keyword line, in any case; not by the
 * server's name in the first line, nor inside another line.
 */
Test(smtp, starttls_is_an_ehlo_keyword)
{
	static const char *const offered[] = {
		"250-mx\r\n250 starttls\r\n",
		"250-mx\r\n250-StartTLS\r\n250 8BITMIME\r\n",
		"250-mx\r\n250-STARTTLS param\r\n250 SIZE 1000\n",
	};
	static const char *const not_offered[] = {
		"250-starttls.example.com\r\n250 8BITMIME\r\n",
		"250 STARTTLS.mx.example.com hello\r\n",
		"250-mx\r\n250-X-NOSTARTTLS\r\n250 STARTTLSX\r\n",
		"250-mx\r\n250 AUTH PLAIN STARTTLS\r\n",
	};
	struct turn	 t[3] = {
		{ NULL, "220 mx\r\n", 0 },
		{ EHLO, NULL, 0 },
		{ "STARTTLS\r\n", "220 go\r\n", 0 },
	};
	size_t		 i;

	for (i = 0; i < N(offered); i++) {
		t[1].reply = offered[i];
		agrees(STARTTLS_SMTP, t, N(t));
	}
	for (i = 0; i < N(not_offered); i++) {
		t[1].reply = not_offered[i];
		refuses(STARTTLS_SMTP, t, 2, "STARTTLS not offered");
	}
}

Test(smtp, cut_short)
{
	static const struct turn t[] = {
		{ NULL, "22", 0 },
	};
	struct starttls	 st;

	cr_assert_eq(play(STARTTLS_SMTP, t, N(t), 0, &st), 0);
	cr_expect_eq(starttls_eof(&st), -1);
	cr_expect_str_eq(st.err, "STARTTLS smtp: the server closed the "
	    "connection after '22'");
	starttls_free(&st);

	cr_assert_eq(starttls_init(&st, STARTTLS_SMTP, "mx"), 0);
	cr_expect_eq(starttls_eof(&st), -1);
	cr_expect_str_eq(st.err, "STARTTLS smtp: the server closed the "
	    "connection");
	starttls_free(&st);
}

Test(smtp, rest_of_a_read_is_dropped)
{
	/* What follows the greeting in its read is not the EHLO reply. */
	static const struct turn t[] = {
		{ NULL, "220 mx\r\n250 STARTTLS\r\n", 0 },
		{ EHLO, "250-mx\r\n250 STARTTLS\r\n", 0 },
		{ "STARTTLS\r\n", "220 go\r\n", 0 },
	};
	struct starttls	 st;

	/* Whole reads only: bytewise, the 250 line would be a read. */
	cr_expect_eq(play(STARTTLS_SMTP, t, N(t), 0, &st), 1, "%s", st.err);
	starttls_free(&st);
}

Test(smtp, reply_too_long)
{
	struct starttls	 st;
	char		*big;
	size_t		 len = STARTTLS_REPLY_MAX + 100;

	cr_assert_not_null(big = malloc(len));
	memset(big, 'a', len);
	memcpy(big, "220-", 4);

	/* Exactly full: still waiting, but no room for more. */
	cr_assert_eq(starttls_init(&st, STARTTLS_SMTP, "mx"), 0);
	cr_expect_eq(starttls_feed(&st, big, STARTTLS_REPLY_MAX), 0);
	cr_expect_eq(starttls_room(&st), 0);
	cr_expect_str_eq(st.err, "STARTTLS smtp: reply longer than 16384 "
	    "bytes");
	cr_expect_eq(starttls_feed(&st, "\n", 1), -1);
	starttls_free(&st);

	/* More than fits in one feed. */
	cr_assert_eq(starttls_init(&st, STARTTLS_SMTP, "mx"), 0);
	cr_expect_eq(starttls_room(&st), STARTTLS_REPLY_MAX);
	cr_expect_eq(starttls_feed(&st, big, len), -1);
	cr_expect(strstr(st.err, "reply longer than") != NULL, "%s", st.err);
	starttls_free(&st);
	free(big);
}

/*
 * Found with tests/fuzz/fuzz_starttls, on an input made for it (the
 * fuzzer's own inputs then stopped at 4 KB): an EHLO reply of thousands
 * of "250-" lines sent a byte per read made every byte re-judge every
 * line before it (seconds of CPU for one 16 KB reply).  Whole lines are
 * now judged once: st.judged follows them, and the dialogue still
 * agrees, or fails as too long, as it did.
 */
Test(smtp, many_lines_a_byte_at_a_time)
{
	static const char last[] = "250 STARTTLS\r\n", line[] = "250-\r\n";
	struct starttls	 st;
	size_t		 i, j, nlines = (STARTTLS_REPLY_MAX - 100) / 6;
	const void	*out;
	size_t		 len;

	cr_assert_eq(starttls_init(&st, STARTTLS_SMTP, "mx"), 0);
	cr_assert_eq(starttls_feed(&st, "220 mx\r\n", 8), 0);
	cr_assert_not_null(out = starttls_pending(&st, &len));
	starttls_sent(&st, len);
	for (i = 0; i < nlines; i++) {
		for (j = 0; j < 6; j++)
			cr_assert_eq(starttls_feed(&st, line + j, 1), 0,
			    "line %zu: %s", i, st.err);
		cr_assert_eq(st.judged, (i + 1) * 6, "line %zu judged to %zu",
		    i, st.judged);
	}
	for (j = 0; j + 1 < sizeof(last); j++)
		cr_assert_eq(starttls_feed(&st, last + j, 1), 0, "%s", st.err);
	cr_assert_not_null(out = starttls_pending(&st, &len));
	cr_expect(len == 10 && memcmp(out, "STARTTLS\r\n", 10) == 0);
	starttls_sent(&st, len);
	cr_expect_eq(starttls_feed(&st, "220 go\r\n", 8), 1);
	starttls_free(&st);

	/*
	 * The fuzzer's input itself (tests/fuzz/seeds.sh writes it): 3,270
	 * "250-\n" lines, then the server hangs up; and lines on past 16 KB.
	 */
	cr_assert_eq(starttls_init(&st, STARTTLS_SMTP, "mx"), 0);
	cr_assert_eq(starttls_feed(&st, "220 x\r\n", 7), 0);
	starttls_sent(&st, sizeof(st.out));
	for (i = 0; i < 3270 * 5; i++)
		cr_assert_eq(starttls_feed(&st, &"250-\n"[i % 5], 1), 0,
		    "byte %zu: %s", i, st.err);
	cr_expect_eq(starttls_eof(&st), -1);
	cr_expect(strstr(st.err, "STARTTLS smtp: the server closed the "
	    "connection after '250-") == st.err, "%s", st.err);
	for (; i < 2 * STARTTLS_REPLY_MAX; i++)
		if (starttls_feed(&st, &"250-\n"[i % 5], 1) != 0)
			break;
	cr_expect_eq(i, STARTTLS_REPLY_MAX, "ended after %zu bytes", i);
	cr_expect_str_eq(st.err, "STARTTLS smtp: reply longer than 16384 "
	    "bytes");
	starttls_free(&st);
}

/* ---- FTP, POP3, IMAP ----------------------------------------------- */

Test(ftp, agrees_and_refuses)
{
	static const struct turn ok[] = {
		{ NULL, "220-FTP\r\n220 ready\r\n", 0 },
		{ "AUTH TLS\r\n", "234 AUTH TLS OK.\r\n", 0 },
	};
	static const struct turn no[] = {
		{ NULL, "220 ready\r\n", 0 },
		{ "AUTH TLS\r\n", "530 Please login with USER and PASS.\r\n",
		    0 },
	};
	static const struct turn junk[] = {
		{ NULL, "220 ready\r\n", 0 },
		{ "AUTH TLS\r\n", "2345 eh\r\n", 0 },
	};

	agrees(STARTTLS_FTP, ok, N(ok));
	refuses(STARTTLS_FTP, no, N(no), "STARTTLS ftp: AUTH TLS refused");
	refuses(STARTTLS_FTP, junk, N(junk), "unexpected reply to AUTH TLS");
}

Test(pop3, agrees_and_refuses)
{
	static const struct turn ok[] = {
		{ NULL, "+OK POP3 ready\r\n", 0 },
		{ "STLS\r\n", "+OK Begin TLS negotiation\r\n", 0 },
	};
	static const struct turn no[] = {
		{ NULL, "+OK POP3 ready\r\n", 0 },
		{ "STLS\r\n", "-ERR not now\r\n", 0 },
	};
	static const struct turn greeting_err[] = {
		{ NULL, "-ERR go away\r\n", 0 },
	};
	static const struct turn imap[] = {
		{ NULL, "* OK IMAP4rev1", 0 },
	};

	agrees(STARTTLS_POP3, ok, N(ok));
	refuses(STARTTLS_POP3, no, N(no), "STARTTLS pop3: STLS refused");
	refuses(STARTTLS_POP3, greeting_err, N(greeting_err),
	    "unexpected greeting: '-ERR go away'");
	refuses(STARTTLS_POP3, imap, N(imap), "unexpected greeting");
}

Test(imap, agrees_and_refuses)
{
	static const struct turn ok[] = {
		{ NULL, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", 0 },
		/* Untagged lines come before our tag's answer. */
		{ "a1 STARTTLS\r\n", "* CAPABILITY IMAP4rev1 STARTTLS\r\n"
		    "* OK still here\r\na1 OK Begin TLS now\r\n", 0 },
	};
	static const struct turn no[] = {
		{ NULL, "* OK ready\r\n", 0 },
		{ "a1 STARTTLS\r\n", "a1 NO not today\r\n", 0 },
	};
	static const struct turn other_tag[] = {
		{ NULL, "* OK ready\r\n", 0 },
		{ "a1 STARTTLS\r\n", "* x\r\nb7 OK\r\n", 0 },
	};
	static const struct turn bye[] = {
		{ NULL, "* BYE overloaded\r\n", 0 },
	};
	static const struct turn smtp[] = {
		{ NULL, "220 mx", 0 },
	};

	agrees(STARTTLS_IMAP, ok, N(ok));
	refuses(STARTTLS_IMAP, no, N(no), "STARTTLS imap: STARTTLS refused");
	refuses(STARTTLS_IMAP, other_tag, N(other_tag),
	    "unexpected reply to STARTTLS: 'b7 OK'");
	refuses(STARTTLS_IMAP, bye, N(bye), "unexpected greeting");
	refuses(STARTTLS_IMAP, smtp, N(smtp), "unexpected greeting: '220 mx'");
}

/* ---- XMPP ----------------------------------------------------------- */

#define XMPP_OPEN	"<?xml version='1.0'?><stream:stream " \
			"xmlns='jabber:client' " \
			"xmlns:stream='http://etherx.jabber.org/streams' " \
			"to='mx.example.com' version='1.0'>"
#define XMPP_STARTTLS	"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
#define XMPP_STREAM	"<?xml version='1.0'?><stream:stream " \
			"xmlns:stream='http://etherx.jabber.org/streams' " \
			"id='x' version='1.0'>"

Test(xmpp, agrees_and_refuses)
{
	static const struct turn ok[] = {
		{ XMPP_OPEN, XMPP_STREAM "<stream:features><starttls "
		    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
		    "</starttls></stream:features>", 0 },
		{ XMPP_STARTTLS, "<proceed "
		    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", 0 },
	};
	static const struct turn no_tls[] = {
		{ XMPP_OPEN, XMPP_STREAM "<stream:features/>", 0 },
	};
	static const struct turn no[] = {
		{ XMPP_OPEN, XMPP_STREAM "<stream:features><starttls "
		    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
		    "</stream:features>", 0 },
		{ XMPP_STARTTLS, "<failure "
		    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", 0 },
	};
	static const struct turn error[] = {
		{ XMPP_OPEN, XMPP_STREAM "<stream:error><host-unknown/>", 0 },
	};

	agrees(STARTTLS_XMPP, ok, N(ok));
	refuses(STARTTLS_XMPP, no_tls, N(no_tls), "starttls not offered");
	refuses(STARTTLS_XMPP, no, N(no), "STARTTLS xmpp: starttls refused");
	refuses(STARTTLS_XMPP, error, N(error), "stream error");
}

/* ---- LDAP ----------------------------------------------------------- */

/* The ExtendedRequest for StartTLS (RFC 4511 4.14.1), as sent. */
static const char ldap_req[] = "\x30\x1d\x02\x01\x01\x77\x18\x80\x16"
    "1.3.6.1.4.1.1466.20037";

Test(ldap, agrees_and_refuses)
{
	/* ExtendedResponse: messageID 1, resultCode, matchedDN, message. */
	static const char ok[] = "\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00"
	    "\x04\x00\x04\x00";
	static const char no[] = "\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x02"
	    "\x04\x00\x04\x00";
	/* A long-form length, as some servers send. */
	static const char ok_long[] = "\x30\x81\x0c\x02\x01\x01\x78\x07\x0a"
	    "\x01\x00\x04\x00\x04\x00";
	static const char other_id[] = "\x30\x0c\x02\x01\x02\x78\x07\x0a"
	    "\x01\x00\x04\x00\x04\x00";
	static const char notice[] = "\x30\x0c\x02\x01\x00\x78\x07\x0a"
	    "\x01\x34\x04\x00\x04\x00";
	/* A BindResponse where the ExtendedResponse should be. */
	static const char bind[] = "\x30\x0c\x02\x01\x01\x61\x07\x0a\x01\x00"
	    "\x04\x00\x04\x00";
	struct turn	 t[1] = { { NULL, NULL, 0 } };
	struct starttls	 st;

	t[0].send = ldap_req;
	t[0].reply = ok;
	t[0].len = sizeof(ok) - 1;
	agrees(STARTTLS_LDAP, t, N(t));
	t[0].reply = ok_long;
	t[0].len = sizeof(ok_long) - 1;
	agrees(STARTTLS_LDAP, t, N(t));
	t[0].reply = no;
	t[0].len = sizeof(no) - 1;
	refuses(STARTTLS_LDAP, t, N(t), "STARTTLS ldap: refused with result "
	    "code 2");
	t[0].reply = bind;
	t[0].len = sizeof(bind) - 1;
	refuses(STARTTLS_LDAP, t, N(t), "not an LDAP extended response");
	/* A response to another message, or an unsolicited notice (0). */
	t[0].reply = other_id;
	t[0].len = sizeof(other_id) - 1;
	refuses(STARTTLS_LDAP, t, N(t), "STARTTLS ldap: response to message "
	    "2, not to the StartTLS request (1)");
	t[0].reply = notice;
	t[0].len = sizeof(notice) - 1;
	refuses(STARTTLS_LDAP, t, N(t), "response to message 0,");
	t[0].reply = "HTTP/1.0 400";
	t[0].len = 0;
	refuses(STARTTLS_LDAP, t, N(t), "not an LDAP extended response: "
	    "'HTTP/1.0 400'");

	/* Cut short: the hang-up quotes the bytes, escaped. */
	t[0].reply = ok;
	t[0].len = 3;
	cr_assert_eq(play(STARTTLS_LDAP, t, N(t), 0, &st), 0);
	cr_expect_eq(starttls_eof(&st), -1);
	cr_expect_str_eq(st.err, "STARTTLS ldap: the server closed the "
	    "connection after '0\\x0c\\x02'");
	starttls_free(&st);
}

/* ---- PostgreSQL ------------------------------------------------------ */

Test(postgres, agrees_and_refuses)
{
	/* SSLRequest: length 8, code 80877103. */
	static const char req[] = "\x00\x00\x00\x08\x04\xd2\x16\x2f";
	static const struct {
		const char	*reply;
		const char	*why;
	} no[] = {
		{ "N", "STARTTLS postgres: server does not accept TLS: 'N'" },
		{ "EFATAL", "not a PostgreSQL server" },
		{ "HTTP/1.1 400\r\n", "not a PostgreSQL server: "
		    "'HTTP/1.1 400'" },
		/*
		 * Bytes after the 'S', before TLS, are refused, whatever
		 * they are: a man in the middle's (CVE-2021-23222), or no
		 * PostgreSQL at all.
		 */
		{ "S\x16\x03\x03", "postgres: 3 bytes after the server's "
		    "go-ahead, before TLS (injected?): '\\x16\\x03\\x03'" },
		{ "SSH-2.0-OpenSSH_9.6\r\n", "20 bytes after the server's "
		    "go-ahead, before TLS (injected?): 'SH-2.0-OpenSSH_9.6'" },
	};
	struct starttls	 st;
	size_t		 i, len;

	/* The request starts with NUL bytes: compare it by hand. */
	cr_assert_eq(starttls_init(&st, STARTTLS_POSTGRES, "db"), 0);
	cr_assert_not_null(starttls_pending(&st, &len));
	cr_expect_eq(len, sizeof(req) - 1);
	cr_expect_eq(memcmp(starttls_pending(&st, &len), req, len), 0);
	/* A partial send leaves the rest queued. */
	starttls_sent(&st, 3);
	cr_assert_not_null(starttls_pending(&st, &len));
	cr_expect_eq(len, sizeof(req) - 4);
	starttls_sent(&st, len);
	cr_expect_null(starttls_pending(&st, &len));
	cr_expect_eq(starttls_feed(&st, "S", 1), 1);
	starttls_free(&st);

	for (i = 0; i < N(no); i++) {
		cr_assert_eq(starttls_init(&st, STARTTLS_POSTGRES, "db"), 0);
		cr_expect_eq(starttls_feed(&st, no[i].reply,
		    strlen(no[i].reply)), -1, "%s", no[i].reply);
		cr_expect(strstr(st.err, no[i].why) != NULL, "'%s' lacks "
		    "'%s'", st.err, no[i].why);
		starttls_free(&st);
	}
}

/*
 * Bytes after the go-ahead, in the read that brought it, are refused in
 * every dialogue: they would be taken for the first bytes of TLS, or
 * stand for a reply a man in the middle injected (CVE-2011-0411).
 */
Test(any, bytes_after_the_go_ahead_are_refused)
{
	static const struct turn smtp[] = {
		{ NULL, "220 mx\r\n", 0 },
		{ EHLO, "250-mx\r\n250 STARTTLS\r\n", 0 },
		{ "STARTTLS\r\n", "220 go\r\n250 injected\r\n", 0 },
	};
	static const struct turn ftp[] = {
		{ NULL, "220 ftp\r\n", 0 },
		{ "AUTH TLS\r\n", "234 go\r\nX", 0 },
	};
	static const struct turn pop3[] = {
		{ NULL, "+OK pop\r\n", 0 },
		{ "STLS\r\n", "+OK go\r\n+OK more\r\n", 0 },
	};
	static const struct turn imap[] = {
		{ NULL, "* OK ready\r\n", 0 },
		{ "a1 STARTTLS\r\n", "a1 OK go\r\n* BYE\r\n", 0 },
	};
	static const struct turn xmpp[] = {
		{ XMPP_OPEN, XMPP_STREAM "<stream:features><starttls "
		    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
		    "</stream:features>", 0 },
		{ XMPP_STARTTLS, "<proceed "
		    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><x/>", 0 },
	};
	/* An LDAP go-ahead, then a byte more. */
	static const char ldap_more[] = "\x30\x0c\x02\x01\x01\x78\x07\x0a"
	    "\x01\x00\x04\x00\x04\x00\x16";
	struct turn	 ldap[1] = { { ldap_req, ldap_more,
		sizeof(ldap_more) - 1 } };

	refuses(STARTTLS_SMTP, smtp, N(smtp), "STARTTLS smtp: 14 bytes "
	    "after the server's go-ahead, before TLS (injected?): "
	    "'250 injected'");
	refuses(STARTTLS_FTP, ftp, N(ftp), "1 bytes after");
	refuses(STARTTLS_POP3, pop3, N(pop3), "10 bytes after");
	refuses(STARTTLS_IMAP, imap, N(imap), "7 bytes after");
	refuses(STARTTLS_XMPP, xmpp, N(xmpp), "4 bytes after");
	refuses(STARTTLS_LDAP, ldap, N(ldap), "STARTTLS ldap: 1 bytes after "
	    "the server's go-ahead");
}

/* ---- every protocol ------------------------------------------------- */

/* The protocols with a dialogue. */
static const enum net_starttls protos[] = {
	STARTTLS_SMTP, STARTTLS_IMAP, STARTTLS_POP3, STARTTLS_FTP,
	STARTTLS_XMPP, STARTTLS_LDAP, STARTTLS_POSTGRES,
};

/* xorshift32: the same bytes on every run. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

Test(any, random_bytes_end_in_a_verdict)
{
	/* Bytes that steer the parsers somewhere before the noise. */
	static const char *const seeds[] = {
		"", "220", "220-", "250 STARTTLS\r\n", "* OK", "a1 ", "+OK",
		"-ERR", "0\x84", "0\x82\xff\xff", "<stream:features>", "S",
		"\r\n",
	};
	unsigned char	 buf[600];
	struct starttls	 st;
	uint32_t	 seed = 2463534242u;
	size_t		 p, i, k, len;
	int		 r;

	for (p = 0; p < N(protos); p++)
		for (i = 0; i < 3000; i++) {
			cr_assert_eq(starttls_init(&st, protos[p], "h"), 0);
			r = 0;
			for (k = 0; k < 4 && r == 0; k++) {
				const char *s = seeds[rnd(&seed) % N(seeds)];

				len = strlen(s);
				memcpy(buf, s, len);
				while (len < sizeof(buf) &&
				    rnd(&seed) % 24 != 0)
					buf[len++] = (unsigned char)
					    (rnd(&seed) % 4 == 0 ? '\n' :
					    rnd(&seed));
				r = starttls_feed(&st, buf, len);
				if (r == 0 && starttls_pending(&st, &len))
					starttls_sent(&st, len);
			}
			if (r == 0)
				r = starttls_eof(&st);
			cr_assert(r >= -1 && r <= 1);
			if (r < 0)
				cr_assert(st.err[0] != '\0');
			starttls_free(&st);
		}
}

Test(any, misuse_is_refused_not_a_crash)
{
	struct starttls	 st;

	memset(&st, 0, sizeof(st));
	cr_expect_eq(starttls_feed(&st, "220 x\r\n", 7), -1);
	cr_expect_str_eq(st.err, "STARTTLS: no dialogue under way");
	starttls_free(NULL);
	cr_assert_eq(starttls_init(&st, STARTTLS_SMTP, "mx"), 0);
	cr_expect_eq(starttls_feed(&st, NULL, 0), 0);
	starttls_free(&st);
	starttls_free(&st);
	cr_expect_eq(starttls_feed(&st, "220 x\r\n", 7), -1);
}

/* A plain-text greeting where TLS was expected names its protocol. */
Test(guess, greetings_name_their_protocol)
{
	static const struct {
		const char		*head;
		unsigned		 port;
		enum net_starttls	 want;
	} cases[] = {
		{ "220 mx.example.test ESMTP", 2525, STARTTLS_SMTP },
		{ "220-mx.example.test", 587, STARTTLS_SMTP },
		{ "220 ftp.example.test", 21, STARTTLS_FTP },
		{ "* OK IMAP4rev1", 1143, STARTTLS_IMAP },
		{ "+OK POP3 ready", 1110, STARTTLS_POP3 },
		{ "\x16\x03\x03\x00\x5a\x02", 443, STARTTLS_NONE },
		{ "2200", 25, STARTTLS_NONE },
		{ "HTTP/1.1 400", 80, STARTTLS_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(starttls_guess((const unsigned char *)
		    cases[i].head, strlen(cases[i].head), cases[i].port),
		    cases[i].want, "%s", cases[i].head);
}
