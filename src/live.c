/*
 * live.c: handshake facts for the engine's reports; see live.h.
 */
#include <config.h>

#include "live.h"

const char *
live_host(const struct net_target *target)
{
	return target->sni != NULL ? target->sni : target->host;
}

struct audit_tls *
live_tls(const struct net_tls *t)
{
	/* A borrowed view of t's strings: audit_tls_dup only reads it. */
	struct audit_tls view = {
		.target = (char *)t->target,
		.address = (char *)t->address,
		.sni = (char *)t->sni,
		.starttls = (char *)t->starttls,
		.key_type = (char *)t->key_type,
		.protocol = (char *)t->protocol,
		.cipher = (char *)t->cipher,
		.server_sign = (char *)t->server_sign,
	};

	return audit_tls_dup(&view);
}
