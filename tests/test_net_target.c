/*
 * test_net_target.c: live targets as text, with no network: host, port,
 * IPv6 and URL forms, the STARTTLS a port or scheme implies, --hosts
 * lists with garbage in them, and which arguments name targets.  Every
 * malformed form must be refused with a reason that names the fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "net.h"
#include "testlib.h"

static void
parse_ok(const char *spec, const char *sni, const char *connect,
    enum net_starttls st, struct net_target *t)
{
	char	 err[256] = "";

	cr_assert_eq(net_target_parse(spec, sni, connect, st, t, err,
	    sizeof(err)), 0, "%s: %s", spec, err);
}

static void
parse_bad(const char *spec, const char *connect, const char *why)
{
	struct net_target	 t;
	char			 err[256] = "";

	cr_expect_eq(net_target_parse(spec, NULL, connect, STARTTLS_AUTO, &t,
	    err, sizeof(err)), -1, "%s parsed", spec);
	cr_expect(strstr(err, why) != NULL, "%s: '%s' lacks '%s'", spec, err,
	    why);
}

Test(parse, host_and_port)
{
	struct net_target	 t;

	parse_ok("Example.COM", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.host, "example.com");
	cr_expect_eq(t.port, 443);
	cr_expect_str_eq(t.name, "example.com:443");
	cr_expect_str_eq(t.sni, "example.com");
	cr_expect_str_eq(t.spec, "Example.COM");
	cr_expect_eq(t.starttls, STARTTLS_NONE);
	cr_expect_not(t.host_is_ip);
	net_target_free(&t);

	parse_ok("www.example.com:8443", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_eq(t.port, 8443);
	cr_expect_str_eq(t.name, "www.example.com:8443");
	net_target_free(&t);
}

Test(parse, addresses_send_no_sni)
{
	struct net_target	 t;

	parse_ok("192.0.2.1", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect(t.host_is_ip);
	cr_expect_null(t.sni);
	cr_expect_str_eq(t.name, "192.0.2.1:443");
	net_target_free(&t);

	parse_ok("[2001:DB8::1]:8443", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.host, "2001:db8::1");
	cr_expect_eq(t.port, 8443);
	cr_expect_str_eq(t.name, "[2001:db8::1]:8443");
	cr_expect_null(t.sni);
	net_target_free(&t);

	parse_ok("::1", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.host, "::1");
	cr_expect_eq(t.port, 443);
	net_target_free(&t);

	parse_ok("[::1]", "given.example", NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.sni, "given.example");
	net_target_free(&t);

	/* An empty server name is as none (it used to be "out of memory"). */
	parse_ok("192.0.2.1", "", NULL, STARTTLS_AUTO, &t);
	cr_expect_null(t.sni);
	net_target_free(&t);
	parse_ok("www.example.com", "", NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.sni, "www.example.com");
	net_target_free(&t);
}

Test(parse, urls)
{
	struct net_target	 t;

	parse_ok("https://user:pw@www.example.com:8443/a/b?c#d", NULL, NULL,
	    STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.host, "www.example.com");
	cr_expect_eq(t.port, 8443);
	cr_expect_eq(t.starttls, STARTTLS_NONE);
	net_target_free(&t);

	parse_ok("HTTPS://example.com/", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_eq(t.port, 443);
	net_target_free(&t);

	parse_ok("https://[::1]:4443/", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.host, "::1");
	cr_expect_eq(t.port, 4443);
	net_target_free(&t);

	parse_ok("smtp://mail.example.com", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_eq(t.port, 25);
	cr_expect_eq(t.starttls, STARTTLS_SMTP);
	net_target_free(&t);
}

Test(parse, starttls_from_well_known_ports)
{
	static const struct {
		unsigned		 port;
		enum net_starttls	 p;
	} want[] = {
		{ 25, STARTTLS_SMTP }, { 587, STARTTLS_SMTP },
		{ 143, STARTTLS_IMAP }, { 110, STARTTLS_POP3 },
		{ 21, STARTTLS_FTP }, { 5222, STARTTLS_XMPP },
		{ 389, STARTTLS_LDAP }, { 5432, STARTTLS_POSTGRES },
		{ 443, STARTTLS_NONE }, { 465, STARTTLS_NONE },
	};
	struct net_target	 t;
	char			 spec[64];
	size_t			 i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(spec, sizeof(spec), "mx.example.com:%u",
		    want[i].port);
		parse_ok(spec, NULL, NULL, STARTTLS_AUTO, &t);
		cr_expect_eq(t.starttls, want[i].p, "%s", spec);
		net_target_free(&t);
	}
	/* An explicit choice wins over the port. */
	parse_ok("mx.example.com:25", NULL, NULL, STARTTLS_NONE, &t);
	cr_expect_eq(t.starttls, STARTTLS_NONE);
	net_target_free(&t);
	parse_ok("mx.example.com:2525", NULL, NULL, STARTTLS_SMTP, &t);
	cr_expect_eq(t.starttls, STARTTLS_SMTP);
	net_target_free(&t);
}

Test(parse, connect_keeps_the_name)
{
	struct net_target	 t;

	parse_ok("www.example.com", NULL, "192.0.2.7:4443", STARTTLS_AUTO,
	    &t);
	cr_expect_str_eq(t.host, "www.example.com");
	cr_expect_str_eq(t.sni, "www.example.com");
	cr_expect_str_eq(t.connect, "192.0.2.7");
	cr_expect_eq(t.connect_port, 4443);
	/* Labelled with the port connected to, not the 443 never tried. */
	cr_expect_eq(t.port, 4443);
	cr_expect_str_eq(t.name, "www.example.com:4443");
	net_target_free(&t);

	parse_ok("www.example.com:8443", NULL, "[2001:db8::5]",
	    STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.connect, "2001:db8::5");
	cr_expect_eq(t.connect_port, 0);
	cr_expect_eq(t.port, 8443);
	cr_expect_str_eq(t.name, "www.example.com:8443");
	net_target_free(&t);

	/* STARTTLS from the port connected to, else from the target's. */
	parse_ok("mx.example.com", NULL, "192.0.2.7:25", STARTTLS_AUTO, &t);
	cr_expect_eq(t.starttls, STARTTLS_SMTP);
	cr_expect_str_eq(t.name, "mx.example.com:25");
	net_target_free(&t);
	parse_ok("mx.example.com:587", NULL, "192.0.2.7:2525", STARTTLS_AUTO,
	    &t);
	cr_expect_eq(t.starttls, STARTTLS_SMTP);
	cr_expect_str_eq(t.name, "mx.example.com:2525");
	net_target_free(&t);
	parse_ok("[2001:db8::1]", NULL, "[2001:db8::2]:8443", STARTTLS_AUTO,
	    &t);
	cr_expect_str_eq(t.name, "[2001:db8::1]:8443");
	cr_expect_eq(t.starttls, STARTTLS_NONE);
	net_target_free(&t);
}

Test(parse, malformed_targets)
{
	parse_bad("", NULL, "no host");
	parse_bad("example.com:0", NULL, "bad port");
	parse_bad("example.com:65536", NULL, "bad port");
	parse_bad("example.com:https", NULL, "bad port");
	parse_bad("example.com:", NULL, "bad port");
	parse_bad("[::1", NULL, "missing ']'");
	parse_bad("[::1]x", NULL, "bad port");
	parse_bad("[example.com]:443", NULL, "not an IPv6");
	parse_bad("gopher://example.com", NULL, "unsupported URL scheme");
	parse_bad("exa mple.com", NULL, "space or control");
	parse_bad("bad..name", NULL, "not a host name");
	parse_bad("bad$name", NULL, "not a host name");
	parse_bad("https://", NULL, "no host");
	parse_bad("example.com", "[::1]:0", "bad port");
}

struct bad_lines {
	char	 where[8][128];
	char	 why[8][128];
	int	 n;
};

static void
collect_bad(const char *where, const char *reason, void *arg)
{
	struct bad_lines *b = arg;

	if (b->n < 8) {
		snprintf(b->where[b->n], sizeof(b->where[0]), "%s", where);
		snprintf(b->why[b->n], sizeof(b->why[0]), "%s", reason);
		b->n++;
	}
}

Test(parse, hosts_list)
{
	static const char list[] =
	    "# customer domains\n"
	    "\n"
	    "a.example.com\r\n"
	    "  b.example.com:8443   # staging\n"
	    "bad:99999\n"
	    "c.example.com 192.0.2.9\n"
	    "d.example.com 192.0.2.9 extra\n"
	    "[::1]:4443";
	struct net_targets	 l;
	struct bad_lines	 b;

	memset(&l, 0, sizeof(l));
	memset(&b, 0, sizeof(b));
	cr_assert_eq(net_targets_parse_list(list, sizeof(list) - 1, "hosts",
	    NULL, STARTTLS_AUTO, &l, collect_bad, &b), 0);
	cr_assert_eq(l.n, 4);
	cr_expect_str_eq(l.v[0].name, "a.example.com:443");
	cr_expect_str_eq(l.v[1].name, "b.example.com:8443");
	cr_expect_str_eq(l.v[2].connect, "192.0.2.9");
	cr_expect_str_eq(l.v[3].name, "[::1]:4443");
	cr_assert_eq(b.n, 2);
	cr_expect_str_eq(b.where[0], "hosts:5: bad:99999");
	cr_expect_str_eq(b.where[1], "hosts:7: d.example.com");
	cr_expect(strstr(b.why[1], "more than two fields") != NULL);
	net_targets_free(&l);
}

Test(parse, hosts_list_garbage)
{
	/* Blank, space-only and comment lines say nothing; junk is named. */
	static const char list[] =
	    "\n"
	    " \t \r\n"
	    "\t# indented comment\n"
	    "a.example.com\n"
	    "\x01\x1b[2Jx.example.com\n"
	    "junk\0with a NUL\n"
	    "\x1b]0;x://example.com\n"
	    "b.example.com";
	struct net_targets	 l;
	struct bad_lines	 b;

	memset(&l, 0, sizeof(l));
	memset(&b, 0, sizeof(b));
	cr_assert_eq(net_targets_parse_list(list, sizeof(list) - 1, "h",
	    NULL, STARTTLS_AUTO, &l, collect_bad, &b), 0);
	cr_assert_eq(l.n, 2);
	cr_expect_str_eq(l.v[0].name, "a.example.com:443");
	cr_expect_str_eq(l.v[1].name, "b.example.com:443");
	cr_assert_eq(b.n, 3);
	/* Control bytes reach no terminal: they are shown escaped. */
	cr_expect_str_eq(b.where[0], "h:5: \\x01\\x1b[2Jx.example.com");
	cr_expect(strstr(b.why[0], "control character") != NULL, "%s",
	    b.why[0]);
	cr_expect_str_eq(b.where[1], "h:6: junk\\x00with a NUL");
	cr_expect(strstr(b.why[1], "NUL") != NULL, "%s", b.why[1]);
	cr_expect_str_eq(b.where[2], "h:7: \\x1b]0;x://example.com");
	cr_expect_str_eq(b.why[2], "bad URL scheme");
	net_targets_free(&l);
}

Test(parse, argument_kinds)
{
	cr_expect_not(net_arg_is_target("-"));
	cr_expect_not(net_arg_is_target(fixture_path("chains/good-rsa.pem")));
	cr_expect_not(net_arg_is_target("missing.pem"));
	cr_expect_not(net_arg_is_target("some/dir/missing"));
	cr_expect(net_arg_is_target("example.com"));
	cr_expect(net_arg_is_target("example.com:443"));
	cr_expect(net_arg_is_target("[::1]:443"));
	cr_expect(net_arg_is_target("https://example.com/a/b"));
}

Test(parse, starttls_names)
{
	enum net_starttls	 p;

	cr_expect_eq(net_starttls_parse("SMTP", &p), 0);
	cr_expect_eq(p, STARTTLS_SMTP);
	cr_expect_eq(net_starttls_parse("postgres", &p), 0);
	cr_expect_eq(p, STARTTLS_POSTGRES);
	cr_expect_eq(net_starttls_parse("none", &p), 0);
	cr_expect_eq(p, STARTTLS_NONE);
	cr_expect_eq(net_starttls_parse("smtps", &p), -1);
	cr_expect_str_eq(net_starttls_name(STARTTLS_LDAP), "ldap");
	cr_expect_null(net_starttls_name(STARTTLS_NONE));
}

Test(parse, more_malformed_targets)
{
	char	 name[300];

	/* A label of 64 characters, then a name of 254: over the limits. */
	memset(name, 'a', 64);
	snprintf(name + 64, sizeof(name) - 64, ".example.com");
	parse_bad(name, NULL, "not a host name");
	memset(name, 'a', 254);
	name[254] = '\0';
	parse_bad(name, NULL, "longer than 253");
	parse_bad("[::1]:", NULL, "bad port");
	parse_bad("[::1]:99999", NULL, "bad port");
	parse_bad("[]:443", NULL, "no host");
	parse_bad("1.2.3.4:80:90", NULL, "not a host name or address");
	parse_bad("https://example.com:99999/", NULL, "bad port");
	parse_bad("ht tp://example.com", NULL, "bad URL scheme");
	parse_bad("https://exa\tmple.com/", NULL, "space or control");
	parse_bad("example.com", "bad$addr", "not a host name");
	parse_bad("example.com", "[::1", "missing ']'");
}

Test(parse, url_scheme_defaults)
{
	struct net_target	 t;

	/* The implicit-TLS schemes never start in plaintext. */
	parse_ok("ldaps://dir.example.com", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_eq(t.port, 636);
	cr_expect_eq(t.starttls, STARTTLS_NONE);
	net_target_free(&t);
	parse_ok("postgresql://db.example.com", NULL, NULL, STARTTLS_AUTO,
	    &t);
	cr_expect_eq(t.port, 5432);
	cr_expect_eq(t.starttls, STARTTLS_POSTGRES);
	net_target_free(&t);
	/* A port on the URL does not undo what its scheme implies. */
	parse_ok("imap://mail.example.com:1143", NULL, NULL, STARTTLS_AUTO,
	    &t);
	cr_expect_eq(t.port, 1143);
	cr_expect_eq(t.starttls, STARTTLS_IMAP);
	net_target_free(&t);
	/* An explicit --starttls wins over the scheme. */
	parse_ok("smtp://mail.example.com", NULL, NULL, STARTTLS_NONE, &t);
	cr_expect_eq(t.starttls, STARTTLS_NONE);
	net_target_free(&t);
	/* An empty --sni is no --sni. */
	parse_ok("www.example.com", "", NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.sni, "www.example.com");
	net_target_free(&t);
}

Test(parse, address_literals)
{
	cr_expect(net_host_is_ip("192.0.2.1"));
	cr_expect(net_host_is_ip("2001:db8::1"));
	cr_expect(net_host_is_ip("::ffff:192.0.2.1"));
	cr_expect_not(net_host_is_ip("[::1]"));
	cr_expect_not(net_host_is_ip("192.0.2.256"));
	cr_expect_not(net_host_is_ip("example.com"));
	cr_expect_not(net_host_is_ip(""));
}

Test(parse, hosts_list_empty_and_long_lines)
{
	char			 list[200], want[100];
	struct net_targets	 l;
	struct bad_lines	 b;
	int			 n;

	memset(&l, 0, sizeof(l));
	memset(&b, 0, sizeof(b));
	cr_assert_eq(net_targets_parse_list("", 0, "h", NULL, STARTTLS_AUTO,
	    &l, collect_bad, &b), 0);
	cr_expect_eq(l.n, 0);
	cr_expect_eq(b.n, 0);

	/* A long bad line is cut short and says so. */
	n = snprintf(list, sizeof(list), "x:0 # 1\ngopher://a.example.com/"
	    "%0*d\nlast.example.com", 60, 0);
	cr_assert_eq(net_targets_parse_list(list, (size_t)n, "h", NULL,
	    STARTTLS_SMTP, &l, collect_bad, &b), 0);
	cr_assert_eq(l.n, 1);
	cr_expect_str_eq(l.v[0].name, "last.example.com:443");
	cr_expect_eq(l.v[0].starttls, STARTTLS_SMTP);
	cr_assert_eq(b.n, 2);
	cr_expect_str_eq(b.where[0], "h:1: x:0");
	snprintf(want, sizeof(want), "h:2: %.60s...", list + 8);
	cr_expect_str_eq(b.where[1], want);
	cr_expect(strstr(b.why[1], "unsupported URL scheme") != NULL);
	net_targets_free(&l);
}

/* A fully qualified name's trailing dot is not sent in SNI (RFC 6066 3). */
Test(parse, trailing_dot_left_out_of_sni)
{
	struct net_target	 t;

	parse_ok("www.example.com.", NULL, NULL, STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.sni, "www.example.com");
	cr_expect_str_eq(t.spec, "www.example.com.");
	net_target_free(&t);

	parse_ok("https://www.example.com.:8443/x", "other.example.", NULL,
	    STARTTLS_AUTO, &t);
	cr_expect_str_eq(t.sni, "other.example");
	cr_expect_eq(t.port, 8443);
	net_target_free(&t);
}
