/*
 * net_target.h: live targets as text.  Parses "host", "host:port",
 * "[v6]:port" and URLs into a struct net_target, reads --hosts lists,
 * tells a target argument from a file argument, and names the STARTTLS
 * protocols, picking one from the port or URL scheme when not told.
 * Pure parsing: no sockets, no name lookups (net.h does those).
 *
 * Ownership follows util.h: a parsed target owns its strings until
 * net_target_free, a list owns its targets until net_targets_free.
 */
#ifndef CHAINAUDIT_NET_TARGET_H
#define CHAINAUDIT_NET_TARGET_H

#include <stddef.h>

#define NET_DEFAULT_PORT	443

enum net_starttls {
	STARTTLS_AUTO = 0,	/* from the port: 25/587 smtp, 143 imap... */
	STARTTLS_NONE,		/* TLS from the first byte */
	STARTTLS_SMTP,
	STARTTLS_IMAP,
	STARTTLS_POP3,
	STARTTLS_FTP,
	STARTTLS_XMPP,
	STARTTLS_LDAP,
	STARTTLS_POSTGRES,
};

/* One live target, parsed from "host", "host:port", "[v6]:port" or a URL. */
struct net_target {
	char		*spec;		/* owned: the text as given */
	char		*name;		/* owned: "host:port", "[::1]:443" */
	char		*host;		/* owned: host name or address, no [] */
	unsigned	 port;		/* the port connected to */
	int		 host_is_ip;	/* host is an address literal */
	char		*sni;		/* owned: server name to send or NULL */
	char		*connect;	/* owned: address to reach, or NULL */
	unsigned	 connect_port;	/* port for connect (0: port) */
	enum net_starttls starttls;	/* never STARTTLS_AUTO once parsed */
};

struct net_targets {
	struct net_target *v;		/* owned array */
	size_t		  n, cap;
};

/*
 * Parse one target (pure: no I/O).  sni, when not NULL, is the server
 * name to send; otherwise the host name is, and nothing for an address
 * literal.  connect, when not NULL, is "addr", "addr:port" or
 * "[v6]:port" to reach instead of the host; its port, when given, is
 * the target's port and name (the label says where the chain came
 * from).  starttls STARTTLS_AUTO picks from the port connected to, else
 * from the port the target names.  Returns 0 and fills t (to be freed with
 * net_target_free), or -1 with the reason in err.
 */
int	net_target_parse(const char *spec, const char *sni,
	    const char *connect, enum net_starttls starttls,
	    struct net_target *t, char *err, size_t errlen);
/* Free t's strings and zero it; t may be NULL. */
void	net_target_free(struct net_target *t);

/* Append t to list (moved: t is zeroed).  Returns 0 or -1. */
int	net_targets_add(struct net_targets *list, struct net_target *t);
/* Free every target of list and the array, and zero it; list may be NULL. */
void	net_targets_free(struct net_targets *list);

/*
 * Parse a --hosts list held in memory: one target per line, blanks and
 * '#' comments skipped, an optional second field naming the address to
 * connect to.  Good lines are appended to list; for each bad line, bad
 * is called with "origin:LINE: text" and the reason.  Returns 0, or -1
 * on allocation failure.
 */
int	net_targets_parse_list(const char *buf, size_t len, const char *origin,
	    const char *sni, enum net_starttls starttls,
	    struct net_targets *list,
	    void (*bad)(const char *where, const char *reason, void *arg),
	    void *arg);

/* Parse a --starttls name ("smtp", ..., "none").  Returns 0 or -1. */
int	net_starttls_parse(const char *s, enum net_starttls *out);
/* The protocol's name, or NULL for STARTTLS_NONE/AUTO. */
const char *net_starttls_name(enum net_starttls p);

/*
 * 1 when a command-line argument names a live target rather than a
 * file: it is not "-", no such file exists, and it has no '/' (unless
 * it is a URL) and no certificate file extension.
 */
int	net_arg_is_target(const char *arg);

/*
 * 1 when host is an IPv4 or IPv6 address literal (no brackets): such a
 * host needs no name lookup and gets no SNI.
 */
int	net_host_is_ip(const char *host);

#endif
