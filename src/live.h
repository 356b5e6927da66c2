/*
 * live.h: glue between a handshake (net.h) and the engine (audit.h),
 * shared by the live targets of main and the --db --live rows of scan:
 * which name a chain is checked against, and the handshake's facts as
 * the reports' tls object.  net.h knows no audits, audit.h no sockets.
 */
#ifndef CHAINAUDIT_LIVE_H
#define CHAINAUDIT_LIVE_H

#include "audit.h"
#include "net.h"

/*
 * The name a client of target would check the leaf against: the server
 * name sent, else the host (an address literal, checked against the
 * leaf's IP addresses).  Borrowed from target.
 */
const char *live_host(const struct net_target *target);

/* A copy of the handshake facts t for an audit (owned), or NULL. */
struct audit_tls *live_tls(const struct net_tls *t);

#endif
