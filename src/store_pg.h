/*
 * store_pg.h: the PostgreSQL half of store.h, for --db URI (any libpq
 * connection URI, postgresql:// or postgres://).  store.c dispatches
 * every store_* call here when the database is one; each function keeps
 * its store_* contract (store.h) and is documented there, except where
 * a comment below says how PostgreSQL differs.
 *
 * A PostgreSQL scan is shared: store_scan_begin copies the domain
 * query's rows into chainaudit_scan_rows and cuts them into batches
 * (chainaudit_batches); after store_scan_attach, store_next_domain
 * claims one batch at a time under a lease (SELECT ... FOR UPDATE SKIP
 * LOCKED) and the writer commits a batch's results in the transaction
 * that marks the batch done, only while this process still owns it.
 * The transaction that completes the last batch marks the scan
 * complete.  Any number of processes may attach to one scan.  While
 * attached, a thread renews this process's leases every third of a
 * lease, so a batch slower than its lease stays its own while the
 * process lives.  The domain query runs once, in the transaction that
 * creates the scan: it reads the results tables as they were before.
 *
 * Ownership: a struct store_pg owns its three connections (the reader
 * thread's, the writer thread's and the lease renewer's: a PGconn is
 * not shared between threads) and what they return; the only file that includes
 * libpq-fe.h is store_pg.c.
 */
#ifndef CHAINAUDIT_STORE_PG_H
#define CHAINAUDIT_STORE_PG_H

#include "store_data.h"

struct store_pg;

/* 1 when db names a PostgreSQL database (a libpq URI), else 0. */
int	store_pg_is_uri(const char *db);

/*
 * Connect to db (results: NULL or db itself; PostgreSQL results go into
 * the database the rows come from), creating or upgrading the tables
 * unless history is set.  NULL with a one-line reason naming db
 * (without its password) in err.
 */
struct store_pg *store_pg_open(const char *db, const char *results,
	    int history, char *err, size_t errlen);
void	store_pg_free(struct store_pg *s);
const char *store_pg_name(const struct store_pg *s);

int	store_pg_domains_begin(struct store_pg *s, const char *query,
	    char *err, size_t errlen);
int	store_pg_claim_read(const struct store_pg *s);
/* spare: as store_row_fill's (store_give_block's block). */
int	store_pg_next_domain(struct store_pg *s, struct store_row *row,
	    struct store_block *spare, char *err, size_t errlen);
int64_t	store_pg_count_domains(struct store_pg *s, const char *query,
	    char *err, size_t errlen);
int	store_pg_find_scan(struct store_pg *s, enum store_find kind,
	    const char *source, const char *policy_version, int64_t before,
	    struct store_scan *out, char *err, size_t errlen);
/* Also copies the rows of the query store_pg_domains_begin checked. */
int64_t	store_pg_scan_begin(struct store_pg *s,
	    const struct store_scan_info *info, char *err, size_t errlen);
int	store_pg_scan_attach(struct store_pg *s, int64_t scan,
	    unsigned lease, char *err, size_t errlen);
/* Rolls back an unfinished batch and gives up this process's claims. */
int	store_pg_scan_end(struct store_pg *s, int64_t scan, int complete,
	    time_t finished, char *err, size_t errlen);
/* The domain of scan's result for row number (owned): 1, 0 none, -1. */
int	store_pg_row_domain(struct store_pg *s, int64_t scan, int64_t number,
	    char **domain, char *err, size_t errlen);
int64_t	store_pg_last_row(struct store_pg *s, int64_t scan, char *err,
	    size_t errlen);
int	store_pg_previous(struct store_pg *s, int64_t base,
	    const char *domain, const char *chain_sha256, time_t now,
	    struct store_previous *prev, char *err, size_t errlen);
int	store_pg_write_result(struct store_pg *s, int64_t scan,
	    const struct store_result *r, char *err, size_t errlen);
int	store_pg_carry_result(struct store_pg *s, int64_t scan,
	    int64_t row_number, const char *contact, const char *row_key,
	    const struct store_previous *prev, char *err, size_t errlen);
/* Commits only a batch whose last row is written: see store.h. */
int	store_pg_commit(struct store_pg *s, char *err, size_t errlen);
int	store_pg_summary(struct store_pg *s, int64_t scan, int by_issuer,
	    void (*fn)(const struct store_count *, void *), void *arg,
	    char *err, size_t errlen);
int	store_pg_diff_pairing(struct store_pg *s, int64_t scan, int64_t old,
	    struct store_pairing *out, char *err, size_t errlen);
int	store_pg_diff(struct store_pg *s, int64_t scan, int64_t old,
	    int by_key, int all,
	    int (*fn)(const struct store_change *, void *), void *arg,
	    char *err, size_t errlen);

int	store_pg_notices(struct store_pg *s, int64_t scan,
	    int (*fn)(const struct store_notice *, void *), void *arg,
	    char *err, size_t errlen);

#endif
