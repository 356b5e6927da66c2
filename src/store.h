/*
 * store.h: SQLite in and out: domain rows in, scan results out, the
 * schema (db/schema.sql, compiled in) created and upgraded as needed.
 * The only module that includes sqlite3.h; it reads and writes plain
 * records and knows nothing of audits.  A --db that is a libpq URI
 * (postgresql://, postgres://) is handed whole to store_pg.c, which
 * keeps the same contracts save where a comment below says otherwise.
 *
 * The records it reads and writes, and the backends share, are in
 * store_data.h.
 *
 * Ownership: a struct store owns its connections, prepared statements
 * and the rows it hands out until store_row_free; strings passed in are
 * borrowed for the call.  One connection is used from the reader and
 * the writer thread of a scan (SQLite's serialized mode), each with its
 * own statements: store_next_domain and the lookups (store_row_done,
 * store_previous) from one thread, the writes from another.
 */
#ifndef CHAINAUDIT_STORE_H
#define CHAINAUDIT_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store_data.h"

struct store;

/*
 * Open the input database db and the results database results (NULL:
 * db itself), creating the results tables or upgrading them in place;
 * when the results go into an input that has no chainaudit tables yet,
 * only once its domain query reads (store_domains_begin) or a scan is
 * recorded, so that an empty or foreign --db is left untouched.
 * The input is opened read-only unless the results go into it; a
 * results file is created when missing, an input never is.  When
 * history is set nothing is written: only the results database (results,
 * or db) is opened, read-only, for reading past scans (--summary,
 * --diff).  Returns NULL with a one-line reason naming the file in err.
 */
struct store *store_open(const char *db, const char *results, int history,
	    char *err, size_t errlen);
void	store_free(struct store *s);

/* The name of the results database for messages: borrowed. */
const char *store_results_name(const struct store *s);

/* ---- reading domains --------------------------------------------------- */

/*
 * Start reading the domain rows of query (NULL: the default table, in
 * id order, its id the row identity).  A query must be a single
 * read-only statement returning at least two columns: the domain, the
 * PEM chain, optionally a contact and optionally an address to connect
 * to ("HOST[:PORT]", for --live), and, anywhere, a column named row_key
 * (store_map_columns); further columns are ignored.  0, or -1 with the reason in
 * err (not a SELECT, too few columns, no such table, an empty file,
 * locked, not a database; on SQLite, a query reading chainaudit's own
 * results tables in the file the results go to, which it would read
 * while the scan writes them).  Reading restarts from the first row.
 */
int	store_domains_begin(struct store *s, const char *query, char *err,
	    size_t errlen);

/*
 * The next row into *row (which the caller frees): 1, 0 at the end, or
 * -1 with the reason in err.  Rows stream: nothing is kept.
 */
int	store_next_domain(struct store *s, struct store_row *row, char *err,
	    size_t errlen);

/*
 * Give s a row block (mem of cap bytes, then s's) for store_next_domain
 * to fill when it is big enough; s keeps one, freeing any it had.
 */
void	store_give_block(struct store *s, char *mem, size_t cap);

/* The number of rows query would return (for the progress line); -1. */
int64_t	store_count_domains(struct store *s, const char *query, char *err,
	    size_t errlen);

/* ---- scans ------------------------------------------------------------- */

/*
 * Find a scan (source and policy_version matter only where the kind says
 * so).  1 and *out filled, 0 when there is none, -1 with err.
 */
int	store_find_scan(struct store *s, enum store_find kind,
	    const char *source, const char *policy_version, int64_t before,
	    struct store_scan *out, char *err, size_t errlen);

/*
 * Record a new running scan (committed at once); its id, or -1.  On
 * PostgreSQL the rows of the query store_domains_begin checked are
 * copied with it, cut into batches of info->batch_rows, so that any
 * process can work on the scan (store_scan_attach).
 */
int64_t	store_scan_begin(struct store *s, const struct store_scan_info *info,
	    char *err, size_t errlen);

/*
 * 1 when scans are shared (PostgreSQL): store_next_domain reads the rows
 * of an attached scan in batches claimed under a lease, results commit
 * with their batch, and the scan completes with its last batch, in
 * whichever process; 0 (SQLite) when rows stream from the domain query.
 */
int	store_is_shared(const struct store *s);

/*
 * 1 when every row this process has claimed is read, so that the next
 * store_next_domain claims more (shared stores); 0 otherwise, and
 * always on SQLite.  --live handshakes the rows it holds before it
 * claims more, rather than hold rows (its leases renewed) that other
 * processes could be working on.
 */
int	store_claim_read(const struct store *s);

/*
 * Work on scan from now on: on a shared store, read its unfinished
 * batches, each claimed for lease seconds (0: 60).  A no-op on SQLite.
 * 0, or -1 with err.
 */
int	store_scan_attach(struct store *s, int64_t scan, unsigned lease,
	    char *err, size_t errlen);

/*
 * Commit what is written, count the scan's rows and findings into its
 * row, and mark it complete (finished set) or interrupted.  0 or -1.
 * On a shared store only this process's part ends: its unfinished
 * batch is rolled back and its claims given up; the scan's row is the
 * last batch's business.
 */
int	store_scan_end(struct store *s, int64_t scan, int complete,
	    time_t finished, char *err, size_t errlen);

/*
 * 1 when scan already has a result for row number, named domain (the
 * row's domain, or "(row N)" for a NULL one): --resume skips the row;
 * 0 when it has none; -1 with err, also when its result there names
 * another domain: the input changed since the scan began (rows removed,
 * inserted or reordered), and going on would mix row numbers.
 */
int	store_row_done(struct store *s, int64_t scan, int64_t number,
	    const char *domain, char *err, size_t errlen);

/*
 * The highest row number scan has a result for (0: none), or -1 with
 * err: --resume checks that the input still has that many rows.
 */
int64_t	store_last_row(struct store *s, int64_t scan, char *err,
	    size_t errlen);

/*
 * 1 when base has a pass or fail result for domain with the same chain
 * hash that time alone cannot have changed by now (recheck_after is
 * later than now), filling *prev; 0 when the row must be audited; -1.
 */
int	store_previous(struct store *s, int64_t base, const char *domain,
	    const char *chain_sha256, time_t now, struct store_previous *prev,
	    char *err, size_t errlen);

/* ---- writing results ------------------------------------------------------ */

/*
 * Write one result of scan inside the current batch, opening one when
 * none is open and committing it once batch rows are in it (0: 4096).
 * 0, or -1 with err (the batch is then rolled back by store_free).
 */
int	store_write_result(struct store *s, int64_t scan,
	    const struct store_result *r, size_t batch, char *err,
	    size_t errlen);

/*
 * Copy the result prev (found by store_previous) into scan as row
 * row_number with the row's current contact and identity (row_key), in
 * the current batch.
 */
int	store_carry_result(struct store *s, int64_t scan, int64_t row_number,
	    const char *contact, const char *row_key,
	    const struct store_previous *prev,
	    size_t batch, char *err, size_t errlen);

/*
 * Commit the current batch, if any.  0, or -1 with err.  On a shared
 * store, only once the claimed batch's last row is written, with the
 * batch marked done (-1 when its lease was lost to another process).
 */
int	store_commit(struct store *s, char *err, size_t errlen);

/* ---- reading past scans --------------------------------------------------- */

/*
 * Call fn for the findings of scan grouped by code (by_issuer 0) or its
 * rows grouped by issuing CA (by_issuer 1), largest first.  0 or -1.
 */
int	store_summary(struct store *s, int64_t scan, int by_issuer,
	    void (*fn)(const struct store_count *, void *), void *arg,
	    char *err, size_t errlen);

/*
 * Fill *out for the scans scan and old.  0, or -1 with err.
 */
int	store_diff_pairing(struct store *s, int64_t scan, int64_t old,
	    struct store_pairing *out, char *err, size_t errlen);

/*
 * Pair the rows of scan with those of old, by row_key when by_key is
 * set, else by domain name, the nth row of a key with the nth (in row
 * order), and call fn for each row, in the order of scan's rows (a
 * removed row where it was in old), followed by its findings: new in
 * scan, resolved since old (findings match by code, certificate and
 * then message order), unchanged.  A row is changed when its verdict,
 * issuer or chain changed or a finding is new or resolved; an added
 * row's findings are all new, a removed row is given without its
 * findings.  Unchanged rows are skipped unless all is set.  Reads
 * only; the same order on SQLite and PostgreSQL.  0, or -1 with err;
 * fn returning non-zero stops the walk with -1 (err untouched).
 */
int	store_diff(struct store *s, int64_t scan, int64_t old, int by_key,
	    int all, int (*fn)(const struct store_change *, void *),
	    void *arg, char *err, size_t errlen);

/*
 * Call fn for every finding of scan, and for every row of it that could
 * not be audited (code NULL, severity "error", message the reason), by
 * contact (none last), domain, row, severity (error first) and code,
 * each as bytes: the same order on SQLite and PostgreSQL.  Reads only.
 * 0, or -1 with err; fn returning non-zero stops the walk with -1 (err
 * untouched).
 */
int	store_notices(struct store *s, int64_t scan,
	    int (*fn)(const struct store_notice *, void *), void *arg,
	    char *err, size_t errlen);

#endif
