/*
 * origin.h: where a certificate of a target's pool came from, as path
 * building ranks it and the audit record reports it.  Plain data, so the
 * record and its writers need no engine header for it.
 */
#ifndef CHAINAUDIT_ORIGIN_H
#define CHAINAUDIT_ORIGIN_H

enum origin {
	ORIGIN_PRESENTED = 0,	/* sent by the server / in the input */
	ORIGIN_EXTRA,		/* same input, not part of this chain */
	ORIGIN_INTERMEDIATE,	/* --intermediates, never trusted */
	ORIGIN_ANCHOR,		/* trust store */
	ORIGIN_AIA,		/* fetched from a caIssuers URL */
	ORIGIN_CORPUS,		/* the known-CA corpus, never trusted */
	ORIGIN_KNOWN,		/* the distrust policy's certificates; the
				   last: the least a path should lean on */
};

#endif
