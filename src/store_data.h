/*
 * store_data.h: the records the store reads and writes, shared by its
 * two backends (store.c for SQLite, store_pg.c for PostgreSQL): domain
 * rows, scans, results, findings and what --summary, --diff and
 * --notify read back, with the few helpers both fill rows with.  The
 * operations on them are store.h's.
 */
#ifndef CHAINAUDIT_STORE_DATA_H
#define CHAINAUDIT_STORE_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

#define STORE_SCHEMA_VERSION	7
#define STORE_DEFAULT_TABLE	"chainaudit_domains"

/* ---- domain rows --------------------------------------------------- */

/*
 * One domain row, owned by the caller (store_row_free).  Its strings,
 * each NUL-terminated, are in one block, mem: one allocation a row.
 */
struct store_row {
	int64_t		 number;	/* position in the input, from 1;
					   0: the caller counts (SQLite) */
	char		*domain;	/* in mem; NULL when the column is NULL */
	unsigned char	*chain;		/* in mem; NULL: NULL */
	size_t		 chain_len;
	char		*contact;	/* in mem, may be NULL */
	char		*connect;	/* in mem: the address to reach instead
					   of the domain (--live), or NULL */
	char		 chain_sha256[SHA256_HEX_LEN]; /* "" for a NULL chain,
					   or until store_row_hash */
	char		*key;		/* in mem: the row's identity (the
					   default table's id, a query's
					   row_key column), or NULL */
	char		*mem;		/* owned: the strings above */
	size_t		 mem_cap;	/* mem's size, at least what they use */
};

/*
 * A row block to be filled again, mem of cap bytes (owned), or none
 * (mem NULL).  A block freed in another thread than the one that made
 * it costs glibc an arena lock and a consolidation; a scan hands its
 * rows' blocks back to its reader instead (scan.c, store_give_block).
 */
struct store_block {
	char		*mem;
	size_t		 cap;
};

void	store_row_free(struct store_row *r);

/* Where a domain query's columns are: an index, or -1 when absent. */
enum store_col {
	STORE_COL_DOMAIN,
	STORE_COL_CHAIN,
	STORE_COL_CONTACT,
	STORE_COL_CONNECT,
	STORE_COL_KEY,
	STORE_COL__COUNT
};

/* A domain row's column as read: its bytes, or null for SQL NULL. */
struct store_field {
	const void	*p;		/* borrowed */
	size_t		 len;
	int		 null;
};

/*
 * Set row's strings to copies of f, one per enum store_col, in one
 * block: spare's when it is big enough (spare is then empty), else a
 * new one.  spare may be NULL.  0, or -1 on ENOMEM (row empty).
 */
int	store_row_fill(struct store_row *row,
	    const struct store_field f[STORE_COL__COUNT],
	    struct store_block *spare);

/*
 * Set row's chain_sha256 from the chain's bytes, unless it is set (a
 * NULL chain leaves it ""): not done by the reader, which runs alone,
 * but by whichever thread first needs it (scan.c: the reader only for
 * --changed-only's lookup, else the row's worker).
 */
void	store_row_hash(struct store_row *row);

/* The name of the domain query column that gives the row's identity. */
#define STORE_KEY_COLUMN	"row_key"

/*
 * Map a domain query's n column names: the one named STORE_KEY_COLUMN
 * (any case, the first) is the row's identity, and the others are, in
 * order, the domain, the chain, the contact and the address to connect
 * to; further columns are ignored.  0, or -1 when fewer than two
 * columns are left for the domain and the chain.
 */
int	store_map_columns(const char *const *names, int n,
	    int map[STORE_COL__COUNT]);

/* ---- scans ------------------------------------------------------------- */

struct store_scan {
	int64_t		 id;
	int64_t		 base_scan;	/* --changed-only's, 0: none */
	time_t		 evaluated_at;
	char		 status[16];
	char		 policy_version[SHA256_HEX_LEN];
	char		*source;	/* owned */
	char		*started;	/* owned */
	char		*options;	/* owned: its policy text */
	char		*arguments;	/* owned: the results-shaping options
					   as given (cli_scan_args), NULL
					   for scans before schema 4 */
};

void	store_scan_clear(struct store_scan *sc);

/* Which scan to find. */
enum store_find {
	FIND_SCAN_UNFINISHED,	/* latest with finished NULL (--resume) */
	FIND_SCAN_BASE,		/* latest complete, same source and policy */
	FIND_SCAN_LATEST,	/* latest of any kind (--summary, --diff) */
	FIND_SCAN_BEFORE,	/* latest before id `before`, same source */
	FIND_SCAN_OPEN,		/* latest with finished NULL, any source
				   (--join) */
	FIND_SCAN_COMPLETE,	/* latest complete, any source (--notify) */
	FIND_SCAN_ID,		/* the scan whose id is `before` (--scan) */
};

/* What a new scan records about itself. */
struct store_scan_info {
	time_t		 started;
	time_t		 evaluated_at;
	const char	*source;
	const char	*options;
	const char	*arguments;	/* what --join takes, or NULL */
	const char	*policy_version;
	const char	*version;	/* chainaudit's */
	int64_t		 base_scan;	/* 0: none */
	size_t		 batch_rows;	/* PostgreSQL: rows a process claims
					   at a time, 0: the default */
};

/* A previous result that --changed-only may copy. */
struct store_previous {
	int64_t		 result_id;
	int		 failed;	/* its verdict was fail */
};

/* ---- results ------------------------------------------------------------ */

struct store_finding {
	const char	*code;
	const char	*severity;
	const char	*cert_sha256;	/* NULL: the chain as a whole */
	const char	*message;
	const char	*fix;		/* finding_fix: what to do */
	time_t		 deadline;	/* 0: none (struct finding) */
};

/* One result row; every string borrowed, NULL where the column is. */
struct store_result {
	int64_t		 row_number;
	const char	*domain;
	const char	*contact;
	const char	*row_key;	/* struct store_row's key */
	const char	*chain_sha256;
	const char	*verdict;	/* pass, fail, error */
	const char	*worst_severity;
	int		 trusted;
	const char	*error;
	const char	*path;
	const char	*issuer;
	const char	*anchor;
	time_t		 recheck_after;	/* 0: unknown */
	int		 live;		/* audits the served chain */
	const char	*served_chain_sha256;	/* live: chaindiff_sha256 */
	const struct store_finding *findings;
	size_t		 nfindings;
};

/* ---- past scans -------------------------------------------------------- */

/* A counted group of --summary. */
struct store_count {
	const char	*name;		/* a finding code or an issuer */
	const char	*severity;	/* findings only */
	int64_t		 count;		/* findings, or rows */
	int64_t		 domains;	/* rows with it, or failing rows */
	int64_t		 errors;	/* rows that could not be audited */
};

/* How --diff pairs the rows of two scans (store_diff_pairing). */
struct store_pairing {
	int		 by_key;	/* 1: by row_key, which every row of
					   both scans has; 0: by domain name */
	int64_t		 rows, old_rows;	/* results of each scan */
};

/* One record of --diff, borrowed for the call. */
struct store_change {
	char		 kind;		/* 'r' a row, 'f' a finding of the
					   row given just before */
	char		 state;		/* rows: 'a' added, 'r' removed, 'c'
					   changed, '=' unchanged; findings:
					   '+' new, '-' resolved, '=' same */
	const char	*domain;
	const char	*row_key;	/* NULL: none */
	int64_t		 row_number;	/* in scan; 0: removed */
	int64_t		 old_row_number;	/* in old; 0: added */
	const char	*verdict;	/* NULL: removed */
	const char	*old_verdict;	/* NULL: added */
	const char	*issuer;	/* rows: NULL where none */
	const char	*old_issuer;
	int		 chain_changed;	/* rows: the chain's bytes differ */
	const char	*code;		/* findings */
	const char	*severity;
	const char	*cert_sha256;	/* NULL: the chain as a whole */
	const char	*message;	/* a finding's; a row's error or NULL */
};

/* One finding of a scan as --notify reads it; borrowed for the call. */
struct store_notice {
	const char	*contact;	/* NULL: the row had none */
	const char	*domain;
	int64_t		 row_number;
	const char	*code;		/* NULL: the row could not be audited */
	const char	*severity;
	const char	*deadline;	/* ISO 8601, or NULL: none */
	const char	*fix;		/* NULL: none stored (before version 4) */
	const char	*cert_sha256;	/* NULL: the chain as a whole */
	const char	*message;	/* or the row's error */
};

#endif
