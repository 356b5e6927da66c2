/*
 * net.h: live TLS targets.  The only module with sockets and GnuTLS
 * sessions: it takes targets parsed by net_target.h, resolves names
 * without blocking, connects, speaks STARTTLS (starttls.h), does the
 * handshake and hands back the chain exactly as the server sent it, many
 * targets at once.  It never judges a chain.  Callers include only this
 * header: it brings net_target.h's targets and parsers with it.
 *
 * Ownership follows util.h: net_result fields are owned by net and valid
 * only during the sink call.
 */
#ifndef CHAINAUDIT_NET_H
#define CHAINAUDIT_NET_H

#include <stddef.h>

#include "net_target.h"
#include "pem.h"

#define NET_DEFAULT_CONCURRENCY	64
#define NET_DEFAULT_TIMEOUT_MS	10000

/* Which certificate to ask the server for (--all-keys asks for both). */
enum net_keytype {
	NET_KEY_ANY = 0,
	NET_KEY_ECDSA,
	NET_KEY_RSA,
};

/* What the caller asks for every target; resolved once from the options. */
struct net_params {
	unsigned	 concurrency;	/* handshakes in flight, >= 1 */
	unsigned	 timeout_ms;	/* per phase: resolve, connect, TLS */
	unsigned	 rate;		/* new connections per second per
					   address; 0: unlimited */
	int		 all_keys;	/* one handshake per key type */
	/*
	 * May handshake i (target i / per, key type i % per, per 2 under
	 * all_keys, else 1) start now?  Asked in order, on the loop's
	 * thread, again soon after a no; NULL: always.  The worker pool's
	 * window (pool_room) says no while its results could not be taken.
	 */
	int		(*admit)(size_t i, void *arg);
	void		*admit_arg;
};

/* What a handshake showed: plain strings, NULL when unknown. */
struct net_tls {
	const char	*target;	/* as given; host:port when --connect
					   named another port */
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
 * the target has no chain (DNS failure, refused, timeout, alert, ...),
 * or (--all-keys only) none is set and neither is: the server has no
 * certificate of this key type, and the other key type's handshake
 * found one, so there is nothing to report.
 */
struct net_result {
	const struct net_target	*target;	/* borrowed */
	const char		*source;	/* "host:port", "... (ECDSA)" */
	const char		*error;
	const struct der_list	*chain;
	struct net_tls		 tls;
	/*
	 * The OCSP response the server stapled (RFC 6066 8; every handshake
	 * asks for one), borrowed; NULL when it stapled none.
	 */
	const unsigned char	*staple;
	size_t			 staple_len;
	int			 none;
};

/*
 * Receives each finished target as it finishes; returns 0, or -1 to stop
 * the run: net_run then drops the targets in flight and returns -1.
 */
typedef int (*net_sink)(const struct net_result *r, void *arg);

/*
 * Audit-source side of the event loop: resolve, connect, STARTTLS and
 * handshake every target (params->concurrency at a time, in order, each
 * when params->admit allows), calling sink exactly once per target and
 * key type as each finishes.  Returns 0, or -1 when
 * the loop itself could not run (no memory, no threads); targets not yet
 * reported then get no call.
 */
int	net_run(const struct net_targets *targets,
	    const struct net_params *params, net_sink sink, void *arg);

#endif
