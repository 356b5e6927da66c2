/*
 * store.c: SQLite domain rows in, scan results out; see store.h.
 */
#include <config.h>

#include <sys/stat.h>
#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include "builtin.h"
#include "readahead.h"
#include "store.h"
#include "store_pg.h"
#include "store_sql.h"

/* How long a locked database is waited for (man page, EXIT STATUS). */
#define BUSY_TIMEOUT_MS		2000
/*
 * Rows per transaction.  Each commit of the default rollback journal
 * creates, syncs and deletes a journal file: going from 256 rows to
 * 4096 cut the scan's writer thread by about 30% of its CPU
 * (bench/README).  The scan also commits every second, so an
 * interruption costs at most a second's rows, which --resume redoes.
 */
#define DEFAULT_BATCH		4096

#define DEFAULT_QUERY	"SELECT domain, chain_pem, contact, NULL, id AS " \
	STORE_KEY_COLUMN " FROM " STORE_DEFAULT_TABLE " ORDER BY id"

static int rebuild_results(sqlite3 *db, const char *name, char *err,
    size_t errlen);

/*
 * The upgrade steps: upgrades[v] takes version v to v + 1, running
 * before (when set; what SQL alone cannot do) and then sql.
 */
static const struct {
	const unsigned char	*sql;
	const size_t		*len;
	int			(*before)(sqlite3 *, const char *, char *,
				    size_t);
} upgrades[STORE_SCHEMA_VERSION] = {
	[1] = { builtin_upgrade_2_sql, &builtin_upgrade_2_sql_len, NULL },
	[2] = { builtin_upgrade_3_sql, &builtin_upgrade_3_sql_len, NULL },
	[3] = { builtin_upgrade_4_sql, &builtin_upgrade_4_sql_len, NULL },
	[4] = { builtin_upgrade_5_sql, &builtin_upgrade_5_sql_len, NULL },
	[5] = { builtin_upgrade_6_sql, &builtin_upgrade_6_sql_len, NULL },
	[6] = { builtin_upgrade_7_sql, &builtin_upgrade_7_sql_len,
	    rebuild_results },
};

enum stmt_id {
	ST_DOMAINS,		/* the reader's query */
	ST_ROW_DONE,
	ST_PREVIOUS,
	ST_RESULT,
	ST_FINDING,
	ST_CARRY,
	ST_CARRY_FINDINGS,
	ST__COUNT
};

struct store {
	struct store_pg	*pg;		/* owned: a PostgreSQL store, or NULL
					   and the rest is SQLite's */
	sqlite3		*in;		/* owned: the domain rows */
	sqlite3		*out;		/* owned, or == in: the results */
	char		*in_name;	/* owned: for messages */
	char		*out_name;	/* owned: for messages */
	sqlite3_stmt	*st[ST__COUNT];	/* owned, prepared on first use */
	int		 col[STORE_COL__COUNT];	/* of ST_DOMAINS */
	int		 migrated;	/* the results tables are current */
	int		 out_created;	/* --results made by this open */
	struct store_block spare;	/* owned: store_give_block's */
	int		 in_batch;	/* a write transaction is open */
	size_t		 batch_rows;	/* results in it */
};

/* "name: sqlite's message" into err. */
static void
db_err(char *err, size_t errlen, const char *name, sqlite3 *db)
{
	snprintf(err, errlen, "%s: %s", name, db != NULL ?
	    sqlite3_errmsg(db) : "out of memory");
}

/*
 * Run a statement of the results database to completion and reset it.
 * 0, or -1 with the database's error in err.
 */
static int
out_step(struct store *s, sqlite3_stmt *st, char *err, size_t errlen)
{
	int r = sqlite3_step(st);

	if (r != SQLITE_DONE)
		db_err(err, errlen, s->out_name, s->out);
	sqlite3_reset(st);
	return r == SQLITE_DONE ? 0 : -1;
}

/* Run sql (several statements allowed) on db.  0 or -1 with err. */
static int
exec_sql(sqlite3 *db, const char *name, const char *sql, char *err,
    size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		set_err(err, errlen, "%s: %s", name, msg != NULL ? msg :
		    sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static sqlite3 *
db_open(const char *path, int flags, char *err, size_t errlen)
{
	sqlite3 *db = NULL;

	/* A read-only input is read in large blocks (readahead.h). */
	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_FULLMUTEX,
	    (flags & SQLITE_OPEN_READONLY) ? readahead_vfs() : NULL) !=
	    SQLITE_OK) {
		db_err(err, errlen, path, db);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db, 0);
	/*
	 * No memory map for the input: every page a map touches stays
	 * resident and counts in the process's RSS, so a 1,000,000-row
	 * table (2.35 GB) would grow the peak from about 35 MB to the map's
	 * limit.  The read-ahead VFS saves the same system calls in 256 KB.
	 */
	return db;
}

/* 1 when a and b name the same existing file. */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return 1;
	if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * The results schema version: 0 when there are no chainaudit tables,
 * or -1 with err (not a database, locked, ...).
 */
static int
schema_version(sqlite3 *db, const char *name, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int v = -1, rc;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'table' AND name = 'chainaudit_meta'", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		db_err(err, errlen, name, db);
		goto out;
	}
	if (sqlite3_column_int(st, 0) == 0) {
		v = 0;
		goto out;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'", -1, &st, NULL) != SQLITE_OK) {
		db_err(err, errlen, name, db);
		st = NULL;
		goto out;
	}
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	if (rc != SQLITE_ROW || v < 1)
		set_err(err, errlen, "%s: chainaudit_meta holds no valid "
		    "schema_version", name);
out:
	sqlite3_finalize(st);
	return v;
}

/*
 * The results table's verdict CHECK as written up to version 6, and as
 * comparisons from version 7: SQLite evaluates an IN list of three or
 * more constants through a temporary table it builds on every insert
 * (EXPLAIN shows OpenEphemeral), and comparisons need none.  Both accept
 * the same values, so every row of the old table satisfies the new one.
 */
#define VERDICT_CHECK_IN	"verdict IN ('pass', 'fail', 'error')"
#define VERDICT_CHECK_EQ	"verdict = 'pass' OR verdict = 'fail' OR " \
	"verdict = 'error'"

/* A statement's text columns, each copied (sqlite3_mprintf'd). */
struct sql_list {
	char	**v;		/* owned, each sqlite3_free'd */
	size_t	  n;
};

static void
sql_list_free(struct sql_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		sqlite3_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Append column 0 of every row of sql to l.  0, or -1 with err. */
static int
sql_list_load(sqlite3 *db, const char *name, const char *sql,
    struct sql_list *l, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char **v;
	int rc = SQLITE_ERROR, ret = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
			goto out;
		l->v = v;
		if ((l->v[l->n] = sqlite3_mprintf("%s",
		    (const char *)sqlite3_column_text(st, 0))) == NULL)
			goto out;
		l->n++;
	}
	ret = rc == SQLITE_DONE ? 0 : -1;
out:
	if (ret < 0)
		db_err(err, errlen, name, db);
	sqlite3_finalize(st);
	return ret;
}

/*
 * Before upgrade-7.sql, inside migrate's transaction: SQLite cannot
 * alter a CHECK, so chainaudit_results is rebuilt from its own
 * definition with the verdict CHECK as comparisons.  Taking the
 * definition from the database rather than from a copy here keeps
 * whatever columns earlier versions added; ids and rows are copied as
 * they are, and the table's indexes and triggers, the user's own
 * included, are made again from their saved text.  legacy_alter_table
 * keeps the rename from rewriting other tables' references (the
 * findings' foreign key, the user's views) to the old table, which is
 * then dropped.  A table whose CHECK is not the one versions 1 to 6
 * wrote is left as it is.  0, or -1 with err.
 */
static int
rebuild_results(sqlite3 *db, const char *name, char *err, size_t errlen)
{
	struct sql_list def, deps;
	char *q;
	size_t i;
	int r, ret = -1;

	memset(&def, 0, sizeof(def));
	memset(&deps, 0, sizeof(deps));
	if ((q = sqlite3_mprintf("SELECT replace(sql, %Q, %Q) FROM "
	    "sqlite_schema WHERE type = 'table' AND name = "
	    "'chainaudit_results' AND instr(sql, %Q) > 0", VERDICT_CHECK_IN,
	    VERDICT_CHECK_EQ, VERDICT_CHECK_IN)) == NULL) {
		set_err(err, errlen, "%s: out of memory", name);
		return -1;
	}
	r = sql_list_load(db, name, q, &def, err, errlen);
	sqlite3_free(q);
	if (r < 0 || sql_list_load(db, name, "SELECT sql FROM sqlite_schema "
	    "WHERE tbl_name = 'chainaudit_results' AND type IN ('index', "
	    "'trigger') AND sql IS NOT NULL ORDER BY type, rowid", &deps,
	    err, errlen) < 0)
		goto out;
	if (def.n != 1) {
		ret = 0;
		goto out;
	}
	if (exec_sql(db, name, "PRAGMA legacy_alter_table = ON; "
	    "ALTER TABLE chainaudit_results RENAME TO "
	    "chainaudit_results_before_v7; PRAGMA legacy_alter_table = OFF",
	    err, errlen) < 0 ||
	    exec_sql(db, name, def.v[0], err, errlen) < 0 ||
	    exec_sql(db, name, "INSERT INTO chainaudit_results SELECT * FROM "
	    "chainaudit_results_before_v7; DROP TABLE "
	    "chainaudit_results_before_v7", err, errlen) < 0)
		goto out;
	for (i = 0; i < deps.n; i++)
		if (exec_sql(db, name, deps.v[i], err, errlen) < 0)
			goto out;
	ret = 0;
out:
	sqlite3_exec(db, "PRAGMA legacy_alter_table = OFF", NULL, NULL, NULL);
	sql_list_free(&def);
	sql_list_free(&deps);
	return ret;
}

/*
 * Create the results tables, or upgrade them one version at a time,
 * each step in a transaction of its own so a failed step leaves the
 * previous version whole.  0 or -1 with err.
 */
static int
migrate(sqlite3 *db, const char *name, char *err, size_t errlen)
{
	int v;

	if (exec_sql(db, name, "BEGIN IMMEDIATE", err, errlen) < 0)
		return -1;
	if ((v = schema_version(db, name, err, errlen)) < 0)
		goto fail;
	if (v > STORE_SCHEMA_VERSION) {
		set_err(err, errlen, "%s: results schema version %d is newer "
		    "than this chainaudit's (%d)", name, v,
		    STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (v == 0) {
		if (exec_sql(db, name, (const char *)builtin_schema_sql, err,
		    errlen) < 0)
			goto fail;
		return exec_sql(db, name, "COMMIT", err, errlen);
	}
	while (v < STORE_SCHEMA_VERSION) {
		if ((upgrades[v].before != NULL &&
		    upgrades[v].before(db, name, err, errlen) < 0) ||
		    exec_sql(db, name, (const char *)upgrades[v].sql, err,
		    errlen) < 0)
			goto fail;
		if (exec_sql(db, name, "COMMIT", err, errlen) < 0 ||
		    exec_sql(db, name, "BEGIN IMMEDIATE", err, errlen) < 0)
			return -1;
		if ((v = schema_version(db, name, err, errlen)) < 0)
			goto fail;
	}
	return exec_sql(db, name, "COMMIT", err, errlen);
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int schema_ready(struct store *s, char *err, size_t errlen);

struct store *
store_open(const char *db, const char *results, int history, char *err,
    size_t errlen)
{
	struct store *s;
	int shared, v;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		set_err(err, errlen, "%s: out of memory", db);
		return NULL;
	}
	if (store_pg_is_uri(db)) {
		if ((s->pg = store_pg_open(db, results, history, err,
		    errlen)) == NULL)
			goto fail;
		return s;
	}
	if (results != NULL && store_pg_is_uri(results)) {
		set_err(err, errlen, "%s: --results: PostgreSQL results need "
		    "--db on that database", db);
		goto fail;
	}
	if (history) {
		if (results != NULL)
			db = results;
		if ((s->in_name = strdup(db)) == NULL ||
		    (s->out_name = strdup(db)) == NULL) {
			set_err(err, errlen, "%s: out of memory", db);
			goto fail;
		}
		if ((s->in = db_open(db, SQLITE_OPEN_READONLY, err,
		    errlen)) == NULL)
			goto fail;
		s->out = s->in;
		if ((v = schema_version(s->in, db, err, errlen)) < 0)
			goto fail;
		if (v == 0) {
			set_err(err, errlen, "%s: no chainaudit scans here "
			    "(run chainaudit --db first)", db);
			goto fail;
		}
		if (v != STORE_SCHEMA_VERSION) {
			set_err(err, errlen, "%s: results schema version %d; "
			    "this chainaudit reads %d (a scan upgrades it)",
			    db, v, STORE_SCHEMA_VERSION);
			goto fail;
		}
		return s;
	}
	shared = results == NULL || same_file(db, results);
	if ((s->in_name = strdup(db)) == NULL ||
	    (s->out_name = strdup(shared ? db : results)) == NULL) {
		set_err(err, errlen, "%s: out of memory", db);
		goto fail;
	}
	if ((s->in = db_open(db, shared ? SQLITE_OPEN_READWRITE :
	    SQLITE_OPEN_READONLY, err, errlen)) == NULL)
		goto fail;
	if (shared)
		s->out = s->in;
	else {
		s->out_created = access(results, F_OK) < 0 && errno == ENOENT;
		if ((s->out = db_open(results, SQLITE_OPEN_READWRITE |
		    SQLITE_OPEN_CREATE, err, errlen)) == NULL)
			goto fail;
	}
	/*
	 * A file that is not a database shows here, named.  Results tables
	 * are made only once the domain query is known to read
	 * (store_domains_begin) or a scan is recorded: a --db that is
	 * empty, has no domain table or a bad --db-query leaves the --db
	 * and the --results file as they were.  Tables of an older version
	 * are upgraded, and a newer one refused, now.
	 */
	if ((v = schema_version(s->in, s->in_name, err, errlen)) < 0 ||
	    (!shared && (v = schema_version(s->out, s->out_name, err,
	    errlen)) < 0))
		goto fail;
	if (v > 0 && schema_ready(s, err, errlen) < 0)
		goto fail;
	return s;
fail:
	store_free(s);
	return NULL;
}

void
store_free(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	store_pg_free(s->pg);
	free(s->spare.mem);
	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	if (s->out != NULL && s->in_batch)
		sqlite3_exec(s->out, "ROLLBACK", NULL, NULL, NULL);
	if (s->out != NULL && s->out != s->in)
		sqlite3_close(s->out);
	/* A --results file made for a run refused before writing: gone. */
	if (s->out_created && !s->migrated)
		unlink(s->out_name);
	sqlite3_close(s->in);
	free(s->in_name);
	free(s->out_name);
	free(s);
}

const char *
store_results_name(const struct store *s)
{
	return s->pg != NULL ? store_pg_name(s->pg) : s->out_name;
}

int
store_is_shared(const struct store *s)
{
	return s->pg != NULL;
}

int
store_claim_read(const struct store *s)
{
	return s->pg != NULL && store_pg_claim_read(s->pg);
}

int
store_scan_attach(struct store *s, int64_t scan, unsigned lease, char *err,
    size_t errlen)
{
	if (s->pg != NULL)
		return store_pg_scan_attach(s->pg, scan, lease, err, errlen);
	return 0;
}

/* Create or upgrade the results tables once.  0 or -1 with err. */
static int
schema_ready(struct store *s, char *err, size_t errlen)
{
	if (s->migrated)
		return 0;
	if (migrate(s->out, s->out_name, err, errlen) < 0)
		return -1;
	s->migrated = 1;
	return 0;
}

/* The results statement id, prepared on first use.  NULL with err. */
static sqlite3_stmt *
out_stmt(struct store *s, enum stmt_id id, const char *sql, char *err,
    size_t errlen)
{
	if (s->st[id] == NULL && sqlite3_prepare_v3(s->out, sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &s->st[id], NULL) != SQLITE_OK) {
		db_err(err, errlen, s->out_name, s->out);
		s->st[id] = NULL;
		return NULL;
	}
	sqlite3_reset(s->st[id]);
	sqlite3_clear_bindings(s->st[id]);
	return s->st[id];
}

/*
 * Prepare a one-shot statement on the results database.  0, or -1 with
 * the database's error in err (*st then NULL).
 */
static int
out_prepare(struct store *s, const char *sql, sqlite3_stmt **st, char *err,
    size_t errlen)
{
	if (sqlite3_prepare_v2(s->out, sql, -1, st, NULL) == SQLITE_OK)
		return 0;
	db_err(err, errlen, s->out_name, s->out);
	*st = NULL;
	return -1;
}

/* ---- reading domains --------------------------------------------------- */

/* 1 when text holds nothing but blanks, semicolons and SQL comments. */
static int
is_empty_sql(const char *p)
{
	while (*p != '\0') {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == ';')
			p++;
		else if (p[0] == '-' && p[1] == '-')
			p += strcspn(p, "\n");
		else
			return 0;
	}
	return 1;
}

/* What the authorizer saw while a domain query was prepared. */
struct query_reads {
	char	 table[64];	/* a results table it reads, "" when none */
};

/*
 * sqlite3_set_authorizer's callback: note a read of one of chainaudit's
 * own tables (chainaudit_*, the domain table aside), views included,
 * since SQLite reports the tables under them.
 */
static int
note_reads(void *arg, int action, const char *a, const char *b,
    const char *dbname, const char *trigger)
{
	struct query_reads *q = arg;

	(void)b;
	(void)dbname;
	(void)trigger;
	if (action == SQLITE_READ && a != NULL && q->table[0] == '\0' &&
	    strncmp(a, "chainaudit_", 11) == 0 &&
	    strcmp(a, STORE_DEFAULT_TABLE) != 0)
		snprintf(q->table, sizeof(q->table), "%s", a);
	return SQLITE_OK;
}

/* 1 when path is a file of no bytes (what SQLite calls an empty database). */
static int
is_empty_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0;
}

/* Prepare query on the input, checked as store_domains_begin says. */
static sqlite3_stmt *
prepare_query(struct store *s, const char *query, char *err, size_t errlen)
{
	struct query_reads reads;
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int ncols, rc;

	memset(&reads, 0, sizeof(reads));
	if (s->out == s->in)
		sqlite3_set_authorizer(s->in, note_reads, &reads);
	rc = sqlite3_prepare_v2(s->in, query != NULL ? query : DEFAULT_QUERY,
	    -1, &st, &tail);
	sqlite3_set_authorizer(s->in, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (is_empty_file(s->in_name))
			set_err(err, errlen, "%s: an empty file: no domain "
			    "table to read (create %s from db/schema.sql, or "
			    "give a database with one)", s->in_name,
			    STORE_DEFAULT_TABLE);
		else if (query == NULL && strstr(sqlite3_errmsg(s->in),
		    "no such table") != NULL)
			set_err(err, errlen, "%s: no table %s (create it from "
			    "db/schema.sql, or read your own with --db-query)",
			    s->in_name, STORE_DEFAULT_TABLE);
		else
			set_err(err, errlen, "%s: %s%s", s->in_name,
			    query != NULL ? "--db-query: " : "",
			    sqlite3_errmsg(s->in));
		return NULL;
	}
	if (st == NULL) {
		set_err(err, errlen, "%s: --db-query: empty query",
		    s->in_name);
		return NULL;
	}
	ncols = sqlite3_column_count(st);
	if (!sqlite3_stmt_readonly(st) || ncols == 0 ||
	    !is_empty_sql(tail)) {
		set_err(err, errlen, "%s: --db-query: not a single SELECT "
		    "statement", s->in_name);
		goto fail;
	}
	if (ncols < 2) {
		set_err(err, errlen, "%s: --db-query: returns %d column; "
		    "needs the domain, the PEM chain and optionally a contact",
		    s->in_name, ncols);
		goto fail;
	}
	/*
	 * Rows stream while the scan writes its results into the same
	 * file: a query over them would read the scan's own output.
	 */
	if (reads.table[0] != '\0') {
		set_err(err, errlen, "%s: --db-query reads %s, where this scan "
		    "writes its results; write them elsewhere (--results "
		    "FILE) or query a copy", s->in_name, reads.table);
		goto fail;
	}
	return st;
fail:
	sqlite3_finalize(st);
	return NULL;
}

int
store_domains_begin(struct store *s, const char *query, char *err,
    size_t errlen)
{
	const char *names[64];
	sqlite3_stmt *st;
	int i, n, map[STORE_COL__COUNT];

	if (s->pg != NULL)
		return store_pg_domains_begin(s->pg, query, err, errlen);

	if ((st = prepare_query(s, query, err, errlen)) == NULL)
		return -1;
	/* Columns past the 64th are ignored: only the first five matter. */
	n = sqlite3_column_count(st);
	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	if (store_map_columns(names, n, map) < 0) {
		set_err(err, errlen, "%s: --db-query: besides %s, needs the "
		    "domain, the PEM chain and optionally a contact",
		    s->in_name, STORE_KEY_COLUMN);
		sqlite3_finalize(st);
		return -1;
	}
	if (schema_ready(s, err, errlen) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(s->st[ST_DOMAINS]);
	s->st[ST_DOMAINS] = st;
	memcpy(s->col, map, sizeof(s->col));
	return 0;
}

int64_t
store_count_domains(struct store *s, const char *query, char *err,
    size_t errlen)
{
	sqlite3_stmt *st = NULL;
	const char *q = query != NULL ? query : DEFAULT_QUERY;
	char *sql = NULL;
	int64_t n = -1;
	size_t len;

	if (s->pg != NULL)
		return store_pg_count_domains(s->pg, query, err, errlen);

	/* Validate first: the count must not run what begin refuses. */
	if ((st = prepare_query(s, query, err, errlen)) == NULL)
		return -1;
	sqlite3_finalize(st);
	st = NULL;
	/* A trailing ';' inside the parentheses would not parse. */
	for (len = strlen(q); len > 0 && strchr(" \t\r\n;", q[len - 1]);
	    len--)
		continue;
	if (asprintf(&sql, "SELECT count(*) FROM (%.*s\n)", (int)len, q) < 0) {
		sql = NULL;
		set_err(err, errlen, "%s: out of memory", s->in_name);
		goto out;
	}
	if (sqlite3_prepare_v2(s->in, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		db_err(err, errlen, s->in_name, s->in);
		goto out;
	}
	n = sqlite3_column_int64(st, 0);
out:
	sqlite3_finalize(st);
	free(sql);
	return n;
}

/* Column col of the row st stands on, or SQL NULL when col is -1. */
static void
column_field(sqlite3_stmt *st, int col, struct store_field *f)
{
	memset(f, 0, sizeof(*f));
	if (col < 0 || sqlite3_column_type(st, col) == SQLITE_NULL) {
		f->null = 1;
		return;
	}
	f->p = sqlite3_column_blob(st, col);
	f->len = (size_t)sqlite3_column_bytes(st, col);
}

int
store_next_domain(struct store *s, struct store_row *row, char *err,
    size_t errlen)
{
	sqlite3_stmt *st = s->st[ST_DOMAINS];
	struct store_field f[STORE_COL__COUNT];
	int rc, i;

	if (s->pg != NULL)
		return store_pg_next_domain(s->pg, row, &s->spare, err,
		    errlen);

	memset(row, 0, sizeof(*row));
	if (st == NULL) {
		set_err(err, errlen, "%s: no query started", s->in_name);
		return -1;
	}
	if ((rc = sqlite3_step(st)) == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		db_err(err, errlen, s->in_name, s->in);
		return -1;
	}
	row->number = 0;	/* the caller counts */
	for (i = 0; i < STORE_COL__COUNT; i++)
		column_field(st, s->col[i], &f[i]);
	if (store_row_fill(row, f, &s->spare) < 0) {
		set_err(err, errlen, "%s: out of memory", s->in_name);
		return -1;
	}
	return 1;
}

void
store_give_block(struct store *s, char *mem, size_t cap)
{
	free(s->spare.mem);
	s->spare.mem = mem;
	s->spare.cap = cap;
}

/* ---- scans ------------------------------------------------------------- */

static void
bind_time(sqlite3_stmt *st, int i, time_t t)
{
	char buf[32];

	time_format_iso8601(t, buf, sizeof(buf));
	sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

int
store_find_scan(struct store *s, enum store_find kind, const char *source,
    const char *policy_version, int64_t before, struct store_scan *out,
    char *err, size_t errlen)
{
	static const char *const where[] = {
		[FIND_SCAN_UNFINISHED] = "finished IS NULL AND source = ?1",
		[FIND_SCAN_BASE] = "status = 'complete' AND source = ?1 "
		    "AND policy_version = ?2",
		[FIND_SCAN_LATEST] = "1",
		[FIND_SCAN_BEFORE] = "status = 'complete' AND source = ?1 "
		    "AND id < ?3",
		[FIND_SCAN_OPEN] = "finished IS NULL",
		[FIND_SCAN_COMPLETE] = "status = 'complete'",
		[FIND_SCAN_ID] = "id = ?3",
	};
	sqlite3_stmt *st = NULL;
	char *sql = NULL;
	const char *t;
	int rc, ret = -1;

	if (s->pg != NULL)
		return store_pg_find_scan(s->pg, kind, source,
		    policy_version, before, out, err, errlen);
	/* No results tables: no scan, and none made to say so. */
	if (!s->migrated) {
		if ((rc = schema_version(s->out, s->out_name, err,
		    errlen)) <= 0)
			return rc;
		if (schema_ready(s, err, errlen) < 0)
			return -1;
	}

	if (asprintf(&sql, "SELECT id, evaluated_at, status, policy_version, "
	    "source, started, coalesce(base_scan, 0), arguments, options FROM "
	    "chainaudit_scans WHERE %s ORDER BY id DESC LIMIT 1",
	    where[kind]) < 0) {
		set_err(err, errlen, "%s: out of memory", s->out_name);
		return -1;
	}
	if (out_prepare(s, sql, &st, err, errlen) < 0)
		goto out;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, policy_version, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, before);
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		ret = 0;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		db_err(err, errlen, s->out_name, s->out);
		goto out;
	}
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->base_scan = sqlite3_column_int64(st, 6);
	t = (const char *)sqlite3_column_text(st, 1);
	if (t == NULL || time_parse_iso8601(t, &out->evaluated_at) < 0) {
		set_err(err, errlen, "%s: scan %lld: bad evaluated_at",
		    s->out_name, (long long)out->id);
		goto out;
	}
	snprintf(out->status, sizeof(out->status), "%s",
	    (const char *)sqlite3_column_text(st, 2));
	snprintf(out->policy_version, sizeof(out->policy_version), "%s",
	    (const char *)sqlite3_column_text(st, 3));
	out->source = xstrdup((const char *)sqlite3_column_text(st, 4));
	out->started = xstrdup((const char *)sqlite3_column_text(st, 5));
	t = (const char *)sqlite3_column_text(st, 7);
	out->arguments = t != NULL ? xstrdup(t) : NULL;
	out->options = xstrdup((const char *)sqlite3_column_text(st, 8));
	if (out->source == NULL || out->started == NULL ||
	    out->options == NULL ||
	    (t != NULL && out->arguments == NULL)) {
		store_scan_clear(out);
		set_err(err, errlen, "%s: out of memory", s->out_name);
		goto out;
	}
	ret = 1;
out:
	sqlite3_finalize(st);
	free(sql);
	return ret;
}

int64_t
store_scan_begin(struct store *s, const struct store_scan_info *info,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t id = -1;

	if (s->pg != NULL)
		return store_pg_scan_begin(s->pg, info, err, errlen);

	if (schema_ready(s, err, errlen) < 0 || out_prepare(s, "INSERT INTO chainaudit_scans "
	    "(started, evaluated_at, source, options, policy_version, "
	    "chainaudit_version, base_scan, arguments) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    &st, err, errlen) < 0)
		goto out;
	bind_time(st, 1, info->started);
	bind_time(st, 2, info->evaluated_at);
	sqlite3_bind_text(st, 3, info->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, info->options, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, info->policy_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, info->version, -1, SQLITE_STATIC);
	if (info->base_scan > 0)
		sqlite3_bind_int64(st, 7, info->base_scan);
	sqlite3_bind_text(st, 8, info->arguments, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_err(err, errlen, s->out_name, s->out);
		goto out;
	}
	id = sqlite3_last_insert_rowid(s->out);
out:
	sqlite3_finalize(st);
	return id;
}

int
store_scan_end(struct store *s, int64_t scan, int complete, time_t finished,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int ret = -1;

	if (s->pg != NULL)
		return store_pg_scan_end(s->pg, scan, complete, finished,
		    err, errlen);

	if (store_commit(s, err, errlen) < 0)
		return -1;
	if (out_prepare(s, "UPDATE chainaudit_scans SET "
	    "finished = ?2, status = ?3, "
	    "rows_read = (SELECT count(*) FROM chainaudit_results "
	    "    WHERE scan_id = ?1), "
	    "rows_audited = (SELECT count(*) FROM chainaudit_results "
	    "    WHERE scan_id = ?1 AND carried_from IS NULL), "
	    "rows_carried = (SELECT count(*) FROM chainaudit_results "
	    "    WHERE scan_id = ?1 AND carried_from IS NOT NULL), "
	    "rows_pass = (SELECT count(*) FROM chainaudit_results "
	    "    WHERE scan_id = ?1 AND verdict = 'pass'), "
	    "rows_fail = (SELECT count(*) FROM chainaudit_results "
	    "    WHERE scan_id = ?1 AND verdict = 'fail'), "
	    "rows_error = (SELECT count(*) FROM chainaudit_results "
	    "    WHERE scan_id = ?1 AND verdict = 'error'), "
	    "findings_error = (SELECT count(*) FROM chainaudit_findings "
	    "    WHERE scan_id = ?1 AND severity = 'error'), "
	    "findings_warning = (SELECT count(*) FROM chainaudit_findings "
	    "    WHERE scan_id = ?1 AND severity = 'warning'), "
	    "findings_info = (SELECT count(*) FROM chainaudit_findings "
	    "    WHERE scan_id = ?1 AND severity = 'info') "
	    "WHERE id = ?1", &st, err,
	    errlen) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, scan);
	if (complete)
		bind_time(st, 2, finished);
	sqlite3_bind_text(st, 3, complete ? "complete" : "interrupted", -1,
	    SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_err(err, errlen, s->out_name, s->out);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

/*
 * The domain (owned, into *domain) of scan's result for row number: 1,
 * 0 when there is none, -1 with err.
 */
static int
row_domain(struct store *s, int64_t scan, int64_t number, char **domain,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (s->pg != NULL)
		return store_pg_row_domain(s->pg, scan, number, domain, err,
		    errlen);
	if ((st = out_stmt(s, ST_ROW_DONE, "SELECT domain FROM "
	    "chainaudit_results WHERE scan_id = ? AND row_number = ? LIMIT 1",
	    err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, scan);
	sqlite3_bind_int64(st, 2, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (*domain = xstrdup((const char *)
	    sqlite3_column_text(st, 0))) == NULL) {
		set_err(err, errlen, "%s: out of memory", s->out_name);
		rc = SQLITE_NOMEM;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_err(err, errlen, s->out_name, s->out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
store_row_done(struct store *s, int64_t scan, int64_t number,
    const char *domain, char *err, size_t errlen)
{
	char *had = NULL;
	int r;

	if ((r = row_domain(s, scan, number, &had, err, errlen)) != 1)
		return r;
	if (strcmp(had, domain) != 0) {
		set_err(err, errlen, "%s: --resume: row %lld of the input is "
		    "now %s, but scan %lld audited %s there: rows were removed, "
		    "inserted or reordered since the scan began; start a new "
		    "scan (without --resume)", store_results_name(s),
		    (long long)number, domain, (long long)scan, had);
		r = -1;
	}
	free(had);
	return r;
}

int64_t
store_last_row(struct store *s, int64_t scan, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (s->pg != NULL)
		return store_pg_last_row(s->pg, scan, err, errlen);
	if (out_prepare(s, "SELECT coalesce(max(row_number), 0) FROM "
	    "chainaudit_results WHERE scan_id = ?", &st, err, errlen) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, scan);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		db_err(err, errlen, s->out_name, s->out);
	sqlite3_finalize(st);
	return n;
}

int
store_previous(struct store *s, int64_t base, const char *domain,
    const char *chain_sha256, time_t now, struct store_previous *prev,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (s->pg != NULL)
		return store_pg_previous(s->pg, base, domain, chain_sha256,
		    now, prev, err, errlen);

	if ((st = out_stmt(s, ST_PREVIOUS, "SELECT id, verdict FROM "
	    "chainaudit_results WHERE scan_id = ? AND domain = ? AND "
	    "chain_sha256 = ? AND verdict IN ('pass', 'fail') AND "
	    "recheck_after > ? ORDER BY id LIMIT 1", err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, base);
	sqlite3_bind_text(st, 2, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, chain_sha256, -1, SQLITE_STATIC);
	bind_time(st, 4, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		prev->result_id = sqlite3_column_int64(st, 0);
		prev->failed = strcmp((const char *)sqlite3_column_text(st, 1),
		    "fail") == 0;
	} else if (rc != SQLITE_DONE)
		db_err(err, errlen, s->out_name, s->out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- writing results ------------------------------------------------------ */

/* Open a batch when none is open.  0 or -1. */
static int
batch_begin(struct store *s, char *err, size_t errlen)
{
	if (s->in_batch)
		return 0;
	if (exec_sql(s->out, s->out_name, "BEGIN IMMEDIATE", err, errlen) < 0)
		return -1;
	s->in_batch = 1;
	s->batch_rows = 0;
	return 0;
}

/* Count one row into the batch; commit it when full. */
static int
batch_row(struct store *s, size_t batch, char *err, size_t errlen)
{
	if (++s->batch_rows >= (batch > 0 ? batch : DEFAULT_BATCH))
		return store_commit(s, err, errlen);
	return 0;
}

int
store_commit(struct store *s, char *err, size_t errlen)
{
	if (s->pg != NULL)
		return store_pg_commit(s->pg, err, errlen);
	if (!s->in_batch)
		return 0;
	if (exec_sql(s->out, s->out_name, "COMMIT", err, errlen) < 0)
		return -1;
	s->in_batch = 0;
	s->batch_rows = 0;
	return 0;
}

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

int
store_write_result(struct store *s, int64_t scan,
    const struct store_result *r, size_t batch, char *err, size_t errlen)
{
	sqlite3_stmt *st, *fs;
	int64_t id;
	size_t i;
	char when[32];

	if (s->pg != NULL)
		return store_pg_write_result(s->pg, scan, r, err, errlen);

	if (batch_begin(s, err, errlen) < 0 ||
	    (st = out_stmt(s, ST_RESULT, "INSERT INTO chainaudit_results "
	    "(scan_id, row_number, domain, contact, chain_sha256, verdict, "
	    "worst_severity, trusted, error, path, issuer, anchor, "
	    "recheck_after, source, served_chain_sha256, row_key) VALUES (?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err, errlen)) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(st, 1, scan);
	sqlite3_bind_int64(st, 2, r->row_number);
	sqlite3_bind_text(st, 3, r->domain, -1, SQLITE_STATIC);
	bind_opt_text(st, 4, r->contact);
	bind_opt_text(st, 5, r->chain_sha256);
	sqlite3_bind_text(st, 6, r->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->worst_severity, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, r->trusted);
	bind_opt_text(st, 9, r->error);
	bind_opt_text(st, 10, r->path);
	bind_opt_text(st, 11, r->issuer);
	bind_opt_text(st, 12, r->anchor);
	if (r->recheck_after != 0)
		bind_time(st, 13, r->recheck_after);
	sqlite3_bind_text(st, 14, r->live ? "live" : "stored", -1,
	    SQLITE_STATIC);
	bind_opt_text(st, 15, r->served_chain_sha256);
	bind_opt_text(st, 16, r->row_key);
	if (out_step(s, st, err, errlen) < 0)
		return -1;
	id = sqlite3_last_insert_rowid(s->out);
	for (i = 0; i < r->nfindings; i++) {
		if ((fs = out_stmt(s, ST_FINDING, "INSERT INTO "
		    "chainaudit_findings (result_id, scan_id, domain, code, "
		    "severity, cert_sha256, message, deadline, fix) VALUES (?, "
		    "?, ?, ?, ?, ?, ?, ?, ?)", err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(fs, 1, id);
		sqlite3_bind_int64(fs, 2, scan);
		sqlite3_bind_text(fs, 3, r->domain, -1, SQLITE_STATIC);
		sqlite3_bind_text(fs, 4, r->findings[i].code, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(fs, 5, r->findings[i].severity, -1,
		    SQLITE_STATIC);
		bind_opt_text(fs, 6, r->findings[i].cert_sha256);
		sqlite3_bind_text(fs, 7, r->findings[i].message, -1,
		    SQLITE_STATIC);
		if (r->findings[i].deadline != 0) {
			time_format_iso8601(r->findings[i].deadline, when,
			    sizeof(when));
			sqlite3_bind_text(fs, 8, when, -1, SQLITE_TRANSIENT);
		} else
			sqlite3_bind_null(fs, 8);
		bind_opt_text(fs, 9, r->findings[i].fix);
		if (sqlite3_step(fs) != SQLITE_DONE) {
			db_err(err, errlen, s->out_name, s->out);
			sqlite3_reset(fs);
			return -1;
		}
		sqlite3_reset(fs);
	}
	return batch_row(s, batch, err, errlen);
}

int
store_carry_result(struct store *s, int64_t scan, int64_t row_number,
    const char *contact, const char *row_key,
    const struct store_previous *prev, size_t batch, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int64_t id;

	if (s->pg != NULL)
		return store_pg_carry_result(s->pg, scan, row_number,
		    contact, row_key, prev, err, errlen);

	if (batch_begin(s, err, errlen) < 0 ||
	    (st = out_stmt(s, ST_CARRY, "INSERT INTO chainaudit_results "
	    "(scan_id, row_number, domain, contact, chain_sha256, verdict, "
	    "worst_severity, trusted, error, path, issuer, anchor, "
	    "recheck_after, carried_from, source, served_chain_sha256, "
	    "row_key) SELECT ?, ?, domain, ?, chain_sha256, verdict, "
	    "worst_severity, trusted, error, path, issuer, anchor, "
	    "recheck_after, coalesce(carried_from, scan_id), source, "
	    "served_chain_sha256, ? FROM chainaudit_results WHERE id = ?",
	    err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, scan);
	sqlite3_bind_int64(st, 2, row_number);
	bind_opt_text(st, 3, contact);
	bind_opt_text(st, 4, row_key);
	sqlite3_bind_int64(st, 5, prev->result_id);
	if (out_step(s, st, err, errlen) < 0)
		return -1;
	id = sqlite3_last_insert_rowid(s->out);
	if ((st = out_stmt(s, ST_CARRY_FINDINGS, "INSERT INTO "
	    "chainaudit_findings (result_id, scan_id, domain, code, severity, "
	    "cert_sha256, message, deadline, fix) SELECT ?, ?, domain, code, "
	    "severity, cert_sha256, message, deadline, fix FROM "
	    "chainaudit_findings WHERE result_id = ?", err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, scan);
	sqlite3_bind_int64(st, 3, prev->result_id);
	if (out_step(s, st, err, errlen) < 0)
		return -1;
	return batch_row(s, batch, err, errlen);
}

/* ---- reading past scans --------------------------------------------------- */

int
store_summary(struct store *s, int64_t scan, int by_issuer,
    void (*fn)(const struct store_count *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char by_code_sql[] =
	    "SELECT code, severity, count(*), count(DISTINCT result_id), 0 "
	    "FROM chainaudit_findings WHERE scan_id = ? "
	    "GROUP BY code, severity ORDER BY count(*) DESC, code";
	static const char by_issuer_sql[] =
	    "SELECT coalesce(issuer, '(none: not audited)'), NULL, count(*), "
	    "sum(verdict = 'fail'), sum(verdict = 'error') "
	    "FROM chainaudit_results WHERE scan_id = ? "
	    "GROUP BY 1 ORDER BY count(*) DESC, 1";
	struct store_count c;
	sqlite3_stmt *st = NULL;
	int rc, ret = -1;

	if (s->pg != NULL)
		return store_pg_summary(s->pg, scan, by_issuer, fn, arg, err,
		    errlen);

	if (out_prepare(s, by_issuer ? by_issuer_sql : by_code_sql, &st,
	    err, errlen) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.name = (const char *)sqlite3_column_text(st, 0);
		c.severity = (const char *)sqlite3_column_text(st, 1);
		c.count = sqlite3_column_int64(st, 2);
		c.domains = sqlite3_column_int64(st, 3);
		c.errors = sqlite3_column_int64(st, 4);
		fn(&c, arg);
	}
	if (rc != SQLITE_DONE) {
		db_err(err, errlen, s->out_name, s->out);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

int
store_diff_pairing(struct store *s, int64_t scan, int64_t old,
    struct store_pairing *out, char *err, size_t errlen)
{
	static const char sql[] = STORE_PAIRING_SQL("?1", "?2");
	sqlite3_stmt *st = NULL;
	int ret = -1;

	if (s->pg != NULL)
		return store_pg_diff_pairing(s->pg, scan, old, out, err,
		    errlen);
	if (out_prepare(s, sql, &st, err, errlen) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, scan);
	sqlite3_bind_int64(st, 2, old);
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_err(err, errlen, s->out_name, s->out);
		goto out;
	}
	out->rows = sqlite3_column_int64(st, 0);
	out->old_rows = sqlite3_column_int64(st, 1);
	out->by_key = sqlite3_column_int64(st, 2) == 0;
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

int
store_diff(struct store *s, int64_t scan, int64_t old, int by_key, int all,
    int (*fn)(const struct store_change *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char sql[] = STORE_DIFF_SQL("?1", "?2", "?3", "?4", "");
	struct store_change c;
	sqlite3_stmt *st = NULL;
	int rc, ret = -1;

	if (s->pg != NULL)
		return store_pg_diff(s->pg, scan, old, by_key, all, fn, arg,
		    err, errlen);

	if (out_prepare(s, sql, &st, err, errlen) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, scan);
	sqlite3_bind_int64(st, 2, old);
	sqlite3_bind_int(st, 3, by_key ? 1 : 0);
	sqlite3_bind_int(st, 4, all ? 1 : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
#define COL(k)	((const char *)sqlite3_column_text(st, (k)))
		c.kind = *COL(0);
		c.state = *COL(1);
		c.domain = COL(2);
		c.row_key = COL(3);
		c.row_number = sqlite3_column_int64(st, 4);
		c.old_row_number = sqlite3_column_int64(st, 5);
		c.verdict = COL(6);
		c.old_verdict = COL(7);
		c.issuer = COL(8);
		c.old_issuer = COL(9);
		c.chain_changed = sqlite3_column_int(st, 10);
		c.code = COL(11);
		c.severity = COL(12);
		c.cert_sha256 = COL(13);
		c.message = COL(14);
#undef COL
		if (fn(&c, arg) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		db_err(err, errlen, s->out_name, s->out);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}

/* ---- reading for --notify -------------------------------------------------- */

int
store_notices(struct store *s, int64_t scan,
    int (*fn)(const struct store_notice *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char sql[] = STORE_NOTICES_SQL("?1", "");
	struct store_notice n;
	sqlite3_stmt *st = NULL;
	int rc, ret = -1;

	if (s->pg != NULL)
		return store_pg_notices(s->pg, scan, fn, arg, err, errlen);
	if (out_prepare(s, sql, &st, err, errlen) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n.contact = (const char *)sqlite3_column_text(st, 0);
		n.domain = (const char *)sqlite3_column_text(st, 1);
		n.row_number = sqlite3_column_int64(st, 2);
		n.code = (const char *)sqlite3_column_text(st, 3);
		n.severity = (const char *)sqlite3_column_text(st, 4);
		n.deadline = (const char *)sqlite3_column_text(st, 5);
		n.fix = (const char *)sqlite3_column_text(st, 6);
		n.cert_sha256 = (const char *)sqlite3_column_text(st, 7);
		n.message = (const char *)sqlite3_column_text(st, 8);
		if (fn(&n, arg) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		db_err(err, errlen, s->out_name, s->out);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	return ret;
}
