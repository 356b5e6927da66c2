/*
 * net.h: live TLS targets.  The only module with sockets and GnuTLS
 * sessions: it parses targets, resolves names without blocking, connects,
 * speaks STARTTLS, does the handshake and hands back the chain exactly as
 * the server sent it, many targets at once.  It never judges a chain.
 *
 * Ownership follows util.h: net_target_free, net_targets_free and
 * net_result fields are owned by net and valid only during the sink call.
 */
#ifndef CHAINAUDIT_NET_H
#define CHAINAUDIT_NET_H

#include <stddef.h>

#include "pem.h"

#define NET_DEFAULT_PORT	443
#define NET_DEFAULT_CONCURRENCY	64
#define NET_DEFAULT_TIMEOUT_MS	10000

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

/* Which certificate to ask the server for (--all-keys asks for both). */
enum net_keytype {
	NET_KEY_ANY = 0,
	NET_KEY_ECDSA,
	NET_KEY_RSA,
};

/* One live target, parsed from "host", "host:port", "[v6]:port" or a URL. */
struct net_target {
	char		*spec;		/* owned: the text as given */
	char		*name;		/* owned: "host:port", "[::1]:443" */
	char		*host;		/* owned: host name or address, no [] */
	unsigned	 port;
	int		 host_is_ip;	/* host is an address literal */
	char		*sni;		/* owned: server name to send, or NULL */
	char		*connect;	/* owned: address to reach, or NULL */
	unsigned	 connect_port;	/* port for connect (0: port) */
	enum net_starttls starttls;	/* never STARTTLS_AUTO once parsed */
};

struct net_targets {
	struct net_target *v;		/* owned array */
	size_t		  n, cap;
};

/* What the caller asks for every target; resolved once from the options. */
struct net_params {
	unsigned	 concurrency;	/* handshakes in flight, >= 1 */
	unsigned	 timeout_ms;	/* per phase: resolve, connect, TLS */
	unsigned	 rate;		/* new connections per second per
					   address; 0: unlimited */
	int		 all_keys;	/* one handshake per key type */
};

/* What a handshake showed: plain strings, NULL when unknown. */
struct net_tls {
	const char	*target;	/* the target as given */
	const char	*address;	/* "127.0.0.1:443" as connected */
	const char	*sni;		/* server name sent, NULL: none */
	const char	*starttls;	/* "smtp", ... or NULL */
	const char	*key_type;	/* "any", "ecdsa", "rsa" */
	const char	*protocol;	/* "TLS1.3" */
	const char	*cipher;	/* "TLS_AES_128_GCM_SHA256" */
	const char	*server_sign;	/* "RSA-PSS-RSAE-SHA256" */
};

/*
 * One finished target, valid during the sink call only.  error is NULL
 * and chain holds the certificates in the order sent, or error says why
 * the target has no chain (DNS failure, refused, timeout, alert, ...).
 */
struct net_result {
	const struct net_target	*target;	/* borrowed */
	const char		*source;	/* "host:port", "... (ECDSA)" */
	const char		*error;
	const struct der_list	*chain;
	struct net_tls		 tls;
};

/*
 * Receives each finished target as it finishes; returns 0, or -1 to stop
 * the run: net_run then drops the targets in flight and returns -1.
 */
typedef int (*net_sink)(const struct net_result *r, void *arg);

/*
 * Parse one target (pure: no I/O).  sni, when not NULL, is the server
 * name to send; otherwise the host name is, and nothing for an address
 * literal.  connect, when not NULL, is "addr", "addr:port" or
 * "[v6]:port" to reach instead of the host.  starttls STARTTLS_AUTO picks
 * from the port.  Returns 0 and fills t (to be freed with
 * net_target_free), or -1 with the reason in err.
 */
int	net_target_parse(const char *spec, const char *sni,
	    const char *connect, enum net_starttls starttls,
	    struct net_target *t, char *err, size_t errlen);
void	net_target_free(struct net_target *t);

/* Append t to list (moved: t is zeroed).  Returns 0 or -1. */
int	net_targets_add(struct net_targets *list, struct net_target *t);
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
 * Audit-source side of the event loop: resolve, connect, STARTTLS and
 * handshake every target (params->concurrency at a time), calling sink
 * once per target and key type as each finishes.  Returns 0, or -1 when
 * the loop itself could not run (no memory, no threads); targets not yet
 * reported then get no call.
 */
int	net_run(const struct net_targets *targets,
	    const struct net_params *params, net_sink sink, void *arg);

/*
 * 1 when a command-line argument names a live target rather than a
 * file: it is not "-", no such file exists, and it has no '/' (unless
 * it is a URL) and no certificate file extension.
 */
int	net_arg_is_target(const char *arg);

#endif
