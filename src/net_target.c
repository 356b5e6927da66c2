/*
 * net_target.c: live targets as text.  Every function here is pure
 * parsing: a target that names a host nobody can reach still parses, and
 * what cannot be parsed is refused before any connection starts, with a
 * reason that says what to fix.
 */
#include <config.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net_target.h"
#include "source.h"
#include "util.h"

#define HOST_MAX	253	/* RFC 1035 2.3.4: 255 octets on the wire */
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char		*name;
	enum net_starttls	 proto;
} starttls_names[] = {
	{ "none",	STARTTLS_NONE },
	{ "smtp",	STARTTLS_SMTP },
	{ "imap",	STARTTLS_IMAP },
	{ "pop3",	STARTTLS_POP3 },
	{ "ftp",	STARTTLS_FTP },
	{ "xmpp",	STARTTLS_XMPP },
	{ "ldap",	STARTTLS_LDAP },
	{ "postgres",	STARTTLS_POSTGRES },
};

/* Well-known ports that speak plaintext first. */
static const struct {
	unsigned		 port;
	enum net_starttls	 proto;
} starttls_ports[] = {
	{ 25, STARTTLS_SMTP }, { 587, STARTTLS_SMTP }, { 143, STARTTLS_IMAP },
	{ 110, STARTTLS_POP3 }, { 21, STARTTLS_FTP }, { 5222, STARTTLS_XMPP },
	{ 389, STARTTLS_LDAP }, { 5432, STARTTLS_POSTGRES },
};

/* URL schemes: their default port and whether they start in plaintext. */
static const struct {
	const char		*scheme;
	unsigned		 port;
	enum net_starttls	 proto;
} url_schemes[] = {
	{ "https", 443, STARTTLS_NONE }, { "smtps", 465, STARTTLS_NONE },
	{ "imaps", 993, STARTTLS_NONE }, { "pop3s", 995, STARTTLS_NONE },
	{ "ldaps", 636, STARTTLS_NONE }, { "ftps", 990, STARTTLS_NONE },
	{ "smtp", 25, STARTTLS_SMTP }, { "imap", 143, STARTTLS_IMAP },
	{ "pop3", 110, STARTTLS_POP3 }, { "ftp", 21, STARTTLS_FTP },
	{ "xmpp", 5222, STARTTLS_XMPP }, { "ldap", 389, STARTTLS_LDAP },
	{ "postgres", 5432, STARTTLS_POSTGRES },
	{ "postgresql", 5432, STARTTLS_POSTGRES },
};

/*
 * Parse a --starttls name; see net_target.h.
 */
int
net_starttls_parse(const char *s, enum net_starttls *out)
{
	size_t	 i;

	for (i = 0; i < NELEM(starttls_names); i++)
		if (strcasecmp(s, starttls_names[i].name) == 0) {
			*out = starttls_names[i].proto;
			return 0;
		}
	return -1;
}

/*
 * The name of a STARTTLS protocol, or NULL for none.
 */
const char *
net_starttls_name(enum net_starttls p)
{
	size_t	 i;

	if (p == STARTTLS_NONE || p == STARTTLS_AUTO)
		return NULL;
	for (i = 0; i < NELEM(starttls_names); i++)
		if (starttls_names[i].proto == p)
			return starttls_names[i].name;
	return NULL;
}

static int
parse_port(const char *s, size_t len, unsigned *out)
{
	unsigned long	 v = 0;
	size_t		 i;

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/*
 * 1 when host is an address literal; see net_target.h.
 */
int
net_host_is_ip(const char *host)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;

	return inet_pton(AF_INET, host, &a4) == 1 ||
	    inet_pton(AF_INET6, host, &a6) == 1;
}

/* A DNS name: letters, digits, '-', '_', '.', no empty label. */
static int
is_hostname(const char *s)
{
	size_t	 i, label = 0;

	if (*s == '\0' || strlen(s) > HOST_MAX)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

/*
 * Split "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal
 * (s, len) into a new host string (lower case) and a port (0: none).
 */
static int
split_hostport(const char *s, size_t len, char **host, unsigned *port,
    char *err, size_t errlen)
{
	const char	*h, *colon, *close;
	size_t		 hlen, i;
	char		*out;

	*port = 0;
	if (len > 0 && s[0] == '[') {
		if ((close = memchr(s, ']', len)) == NULL) {
			set_err(err, errlen, "missing ']' after IPv6 address");
			return -1;
		}
		h = s + 1;
		hlen = (size_t)(close - h);
		if ((size_t)(close - s) + 1 < len) {
			if (close[1] != ':' || parse_port(close + 2,
			    len - (size_t)(close - s) - 2, port) < 0) {
				set_err(err, errlen, "bad port after ']'");
				return -1;
			}
		}
	} else {
		h = s;
		hlen = len;
		colon = memchr(s, ':', len);
		/* Exactly one ':' separates a port; more is bare IPv6. */
		if (colon != NULL && memchr(colon + 1, ':',
		    len - (size_t)(colon - s) - 1) == NULL) {
			hlen = (size_t)(colon - s);
			if (parse_port(colon + 1, len - hlen - 1, port) < 0) {
				set_err(err, errlen, "bad port '%.*s' (1 to "
				    "65535)", (int)(len - hlen - 1), colon + 1);
				return -1;
			}
		}
	}
	if (hlen == 0) {
		set_err(err, errlen, "no host name");
		return -1;
	}
	if (hlen > HOST_MAX) {
		set_err(err, errlen, "host name longer than %d characters",
		    HOST_MAX);
		return -1;
	}
	if ((out = malloc(hlen + 1)) == NULL) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < hlen; i++)
		out[i] = (char)tolower((unsigned char)h[i]);
	out[hlen] = '\0';
	if (h != s && strchr(out, ':') == NULL) {
		set_err(err, errlen, "'[%s]' is not an IPv6 address", out);
		free(out);
		return -1;
	}
	if (!net_host_is_ip(out) && (strchr(out, ':') != NULL ||
	    !is_hostname(out))) {
		set_err(err, errlen, "'%s' is not a host name or address", out);
		free(out);
		return -1;
	}
	*host = out;
	return 0;
}

/*
 * name as SNI sends it: without the trailing dot of a fully qualified
 * name, which RFC 6066 3 leaves out (servers match "www.example.com",
 * and some refuse the dotted form).  Owned; NULL on ENOMEM.
 */
static char *
sni_name(const char *name)
{
	size_t	 len = strlen(name);

	if (len > 1 && name[len - 1] == '.' && name[len - 2] != '.')
		len--;
	return strndup(name, len);
}

/*
 * Parse one target; see net_target.h.
 */
int
net_target_parse(const char *spec, const char *sni, const char *connect,
    enum net_starttls starttls, struct net_target *t, char *err,
    size_t errlen)
{
	struct net_target	 n;
	const char		*auth = spec, *sep, *end, *at;
	enum net_starttls	 proto = STARTTLS_AUTO;
	unsigned		 defport = NET_DEFAULT_PORT;
	size_t			 i, slen;
	int			 r;

	memset(&n, 0, sizeof(n));
	if ((sep = strstr(spec, "://")) != NULL) {
		slen = (size_t)(sep - spec);
		for (i = 0; i < NELEM(url_schemes); i++)
			if (strlen(url_schemes[i].scheme) == slen &&
			    strncasecmp(spec, url_schemes[i].scheme,
			    slen) == 0)
				break;
		if (i == NELEM(url_schemes)) {
			/* Quote only what could be a scheme (RFC 3986 3.1). */
			for (at = spec; at < sep; at++)
				if (!isalnum((unsigned char)*at) &&
				    *at != '+' && *at != '-' && *at != '.')
					break;
			if (at < sep)
				set_err(err, errlen, "bad URL scheme");
			else
				set_err(err, errlen, "unsupported URL scheme "
				    "'%.*s'", (int)slen, spec);
			return -1;
		}
		defport = url_schemes[i].port;
		proto = url_schemes[i].proto;
		auth = sep + 3;
		end = auth + strcspn(auth, "/?#");
		/* user:password@ is not ours to use. */
		for (at = auth; at < end; at++)
			if (*at == '@')
				auth = at + 1;
	} else
		end = spec + strlen(spec);
	for (at = auth; at < end; at++)
		if ((unsigned char)*at <= ' ' || *at == 0x7f) {
			set_err(err, errlen, "space or control character in "
			    "target");
			return -1;
		}
	if (split_hostport(auth, (size_t)(end - auth), &n.host, &n.port, err,
	    errlen) < 0)
		return -1;
	if (n.port == 0)
		n.port = defport;
	n.host_is_ip = net_host_is_ip(n.host);

	if (connect != NULL && split_hostport(connect, strlen(connect),
	    &n.connect, &n.connect_port, err, errlen) < 0) {
		net_target_free(&n);
		return -1;
	}

	if (starttls != STARTTLS_AUTO)
		proto = starttls;
	/* The port really used, then the one the target names (a mapping). */
	for (i = 0; proto == STARTTLS_AUTO && i < NELEM(starttls_ports); i++)
		if (starttls_ports[i].port == n.connect_port)
			proto = starttls_ports[i].proto;
	for (i = 0; proto == STARTTLS_AUTO && i < NELEM(starttls_ports); i++)
		if (starttls_ports[i].port == n.port)
			proto = starttls_ports[i].proto;
	n.starttls = proto == STARTTLS_AUTO ? STARTTLS_NONE : proto;
	/* The label names the port connected to, not one never tried. */
	if (n.connect_port != 0)
		n.port = n.connect_port;
	if (sni != NULL && *sni != '\0')
		n.sni = sni_name(sni);
	else if (!n.host_is_ip)
		n.sni = sni_name(n.host);
	if (strchr(n.host, ':') != NULL)
		r = asprintf(&n.name, "[%s]:%u", n.host, n.port);
	else
		r = asprintf(&n.name, "%s:%u", n.host, n.port);
	if (r < 0)
		n.name = NULL;
	/* An empty sni is as none: the host name, or nothing for an address. */
	if (n.name == NULL || (n.sni == NULL && ((sni != NULL &&
	    *sni != '\0') || !n.host_is_ip)) || (n.spec = strdup(spec)) ==
	    NULL) {
		set_err(err, errlen, "out of memory");
		net_target_free(&n);
		return -1;
	}
	*t = n;
	return 0;
}

/*
 * Free a target's strings; see net_target.h.
 */
void
net_target_free(struct net_target *t)
{
	if (t == NULL)
		return;
	free(t->spec);
	free(t->name);
	free(t->host);
	free(t->sni);
	free(t->connect);
	memset(t, 0, sizeof(*t));
}

/*
 * Append t to list, moving it.
 */
int
net_targets_add(struct net_targets *list, struct net_target *t)
{
	if (array_reserve(&list->v, &list->cap, list->n + 1,
	    sizeof(*list->v)) < 0)
		return -1;
	list->v[list->n++] = *t;
	memset(t, 0, sizeof(*t));
	return 0;
}

/*
 * Free a list and its targets; see net_target.h.
 */
void
net_targets_free(struct net_targets *list)
{
	size_t	 i;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++)
		net_target_free(&list->v[i]);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

/*
 * Report a bad --hosts line as "origin:LINE: text", the text made
 * printable and cut short: a list may hold any bytes.  0, or -1 on
 * allocation failure.
 */
static int
list_bad(const char *origin, size_t lineno, const char *text, size_t len,
    const char *reason,
    void (*bad)(const char *where, const char *reason, void *arg),
    void *arg)
{
	char	 ex[300], *where;

	if (asprintf(&where, "%s:%zu: %s%s", origin, lineno,
	    text_excerpt((const unsigned char *)text, len, ex, sizeof(ex)),
	    len > TEXT_EXCERPT_MAX ? "..." : "") < 0)
		return -1;
	bad(where, reason, arg);
	free(where);
	return 0;
}

/*
 * Parse a --hosts list; see net_target.h.
 */
int
net_targets_parse_list(const char *buf, size_t len, const char *origin,
    const char *sni, enum net_starttls starttls, struct net_targets *list,
    void (*bad)(const char *where, const char *reason, void *arg),
    void *arg)
{
	struct net_target	 t;
	const char		*p = buf, *end = buf + len, *eol;
	char			*line = NULL, *f1, *f2, *f3, *save;
	char			 err[ERRBUF_LEN];
	size_t			 lineno = 0, ll;
	int			 rc = -1;

	while (p < end) {
		lineno++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		ll = (size_t)(eol - p);
		free(line);
		if ((line = malloc(ll + 1)) == NULL)
			goto out;
		memcpy(line, p, ll);
		line[ll] = '\0';
		p = eol + 1;
		if (memchr(line, '\0', ll) != NULL) {
			/* Binary junk: the string functions would see less. */
			f1 = line + strspn(line, " \t\r\v\f");
			if (list_bad(origin, lineno, f1, ll - (size_t)(f1 -
			    line), "NUL byte in line (not a text list?)", bad,
			    arg) < 0)
				goto out;
			continue;
		}
		if ((f1 = strchr(line, '#')) != NULL)
			*f1 = '\0';
		if ((f1 = strtok_r(line, " \t\r\v\f", &save)) == NULL)
			continue;
		f2 = strtok_r(NULL, " \t\r\v\f", &save);
		f3 = strtok_r(NULL, " \t\r\v\f", &save);
		if (f3 != NULL)
			snprintf(err, sizeof(err), "more than two fields "
			    "(target and connect address)");
		if (f3 != NULL || net_target_parse(f1, sni, f2, starttls, &t,
		    err, sizeof(err)) < 0) {
			if (list_bad(origin, lineno, f1, strlen(f1), err, bad,
			    arg) < 0)
				goto out;
			continue;
		}
		if (net_targets_add(list, &t) < 0) {
			net_target_free(&t);
			goto out;
		}
	}
	rc = 0;
out:
	free(line);
	return rc;
}

/*
 * 1 when arg names a live target, 0 when it names a file input.
 */
int
net_arg_is_target(const char *arg)
{
	struct stat	 st;

	if (strcmp(arg, "-") == 0 || *arg == '\0' || stat(arg, &st) == 0)
		return 0;
	if (strstr(arg, "://") != NULL)
		return 1;
	if (strchr(arg, '/') != NULL || source_is_cert_name(arg))
		return 0;
	return 1;
}
