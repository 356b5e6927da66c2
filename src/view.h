/*
 * view.h: the audit record's plain view (audit.h), filled from the
 * engine's certificates and path result once judging is done, so that
 * report writers read strings and numbers and never an engine type.
 */
#ifndef CHAINAUDIT_VIEW_H
#define CHAINAUDIT_VIEW_H

#include "audit.h"

/* Certificates listed beyond those the path and the findings name. */
#define VIEW_LIST_MAX	50

/*
 * Set a's plain fields from what the engine left in it: every listed
 * certificate's, the named stores' anchors, and a->path from a->paths
 * (the chosen path's nodes, its links with every candidate signature,
 * the other complete paths).  Which listed copy a certificate of the
 * path is, why each link's signature won and why the others were not
 * used are decided here.  Strings are borrowed from the certificates;
 * the path's arrays are one allocation, none without a chosen path.
 * Which certificates the reports list is decided here too: every one
 * the chosen path, its signatures, the other paths or a finding names,
 * and of the rest the first VIEW_LIST_MAX; the others are counted in
 * a->nunlisted, so a chain of 10,000 certificates makes a report of a
 * few hundred lines, not megabytes.  Filling again starts afresh.  Returns 0, or -1 on ENOMEM (a->path is
 * then empty).
 */
int	view_fill(struct audit *a);

#endif
