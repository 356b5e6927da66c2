/*
 * store_pg.c: PostgreSQL domain rows in, scan results out, scans shared
 * by many processes through leased batches; see store_pg.h.
 */
#include <config.h>

#include <sys/random.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "builtin.h"
#include "store_pg.h"
#include "store_sql.h"

/*
 * Rows per claimed batch when the scan's creator does not say: large
 * enough that the claim and the completing commit (two round trips and
 * a fsync) are small next to the rows' inserts, small enough that a
 * killed process loses little and a table of a few thousand rows still
 * spreads over several processes.
 */
#define DEFAULT_BATCH_ROWS	1000
#define DEFAULT_LEASE		60	/* seconds, --lease */
#define CONNECT_TIMEOUT		"10"	/* seconds, unless the URI says */
/* Any constant: serializes schema creation between processes. */
#define SCHEMA_LOCK		"7236051279"

#define DEFAULT_QUERY	"SELECT domain, chain_pem, contact, NULL, id AS " \
	STORE_KEY_COLUMN " FROM " STORE_DEFAULT_TABLE " ORDER BY id"

/* The statements prepared on the writer's connection, by name. */
enum wstmt {
	WS_RESULT,
	WS_CARRY,
	WS__COUNT
};

/* A batch the reader claimed, waiting for the writer to complete it. */
struct claim {
	int		 batch_no;
	int64_t		 first_row, last_row;
};

struct store_pg {
	PGconn		*rd;		/* owned: reader thread (rows, lookups) */
	PGconn		*wr;		/* owned: main then writer thread */
	char		*uri;		/* owned: as given, for the renewer */
	char		*name;		/* owned: the URI without password */
	char		*query;		/* owned: checked by domains_begin */
	int		 ncols;		/* its columns */
	int		 col[STORE_COL__COUNT];	/* where they are */
	int		 chain_bytea;	/* its chain column is bytea */
	char		 owner[128];	/* host:pid:nonce, this process */
	int64_t		 scan;		/* attached to, 0: none */
	unsigned	 lease;		/* seconds */
	int		 migrated;	/* the tables are current */
	int		 prepared[WS__COUNT];

	/* reader side */
	PGresult	*rows;		/* owned: the claimed batch's rows */
	int		 rowi;		/* next of rows */

	/* between reader and writer, under lock */
	pthread_mutex_t	 lock;
	struct claim	*claims;	/* owned: claimed, not yet completed */
	size_t		 nclaims, claims_cap;

	/* the lease renewer: its thread, its connection, when to stop */
	PGconn		*hb;		/* owned: the renewer's connection */
	pthread_t	 hb_thread;
	int		 hb_running;	/* hb_thread is to be joined */
	int		 hb_stop;	/* under lock */
	pthread_cond_t	 hb_wake;	/* with lock: hb_stop was set */

	/* writer side */
	int		 in_tx;		/* a batch's transaction is open */
	struct claim	 cur;		/* the batch it completes */
	int64_t		 last_written;	/* row number */
};

static void renewer_stop(struct store_pg *s);

int
store_pg_is_uri(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0;
}

/*
 * The URI for messages: a password, in the authority or as a parameter,
 * becomes "***", since messages end up in logs.  NULL on ENOMEM.
 */
static char *
display_name(const char *uri)
{
	char *s, *p, *at, *colon, *end;
	size_t len = strlen(uri);

	/* Room for two "***" over passwords of one or two characters. */
	if ((s = malloc(len + 5)) == NULL)
		return NULL;
	memcpy(s, uri, len + 1);
	if ((p = strstr(s, "://")) != NULL) {
		p += 3;
		end = p + strcspn(p, "/?");
		at = memchr(p, '@', (size_t)(end - p));
		colon = at != NULL ? memchr(p, ':', (size_t)(at - p)) : NULL;
		if (colon != NULL && at - colon > 1) {
			memmove(colon + 4, at, strlen(at) + 1);
			memcpy(colon + 1, "***", 3);
		}
	}
	if ((p = strstr(s, "password=")) != NULL) {
		p += 9;
		end = p + strcspn(p, "&");
		memmove(p + 3, end, strlen(end) + 1);
		memcpy(p, "***", 3);
	}
	return s;
}

/*
 * "NAME: the server's or libpq's message" on one line: the primary
 * message of res when there is one, else the connection's, its lines
 * joined.
 */
static void
pg_err(const struct store_pg *s, PGconn *c, const PGresult *res,
    const char *what, char *err, size_t errlen)
{
	const char *m = NULL;
	char *line;

	if (res != NULL)
		m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (m == NULL || *m == '\0')
		m = c != NULL ? PQerrorMessage(c) : "out of memory";
	if ((line = strdup(m)) == NULL) {
		set_err(err, errlen, "%s: out of memory", s->name);
		return;
	}
	/* libpq's further lines are hints ("Is the server running ..."). */
	line[strcspn(line, "\n")] = '\0';
	set_err(err, errlen, "%s: %s%s", s->name, what != NULL ? what : "",
	    line);
	free(line);
}

/*
 * Run sql with text parameters on c.  The result when its status is
 * want (the caller clears it), or NULL with err.
 */
static PGresult *
pq_run(struct store_pg *s, PGconn *c, const char *sql, int n,
    const char *const *vals, ExecStatusType want, char *err, size_t errlen)
{
	PGresult *res;

	res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	if (res != NULL && PQresultStatus(res) == want)
		return res;
	pg_err(s, c, res, NULL, err, errlen);
	PQclear(res);
	return NULL;
}

/* A statement without a result.  0 or -1 with err. */
static int
pq_cmd(struct store_pg *s, PGconn *c, const char *sql, int n,
    const char *const *vals, char *err, size_t errlen)
{
	PGresult *res;

	if ((res = pq_run(s, c, sql, n, vals, PGRES_COMMAND_OK, err,
	    errlen)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Rows changed by res's command. */
static long long
pq_changed(PGresult *res)
{
	return strtoll(PQcmdTuples(res), NULL, 10);
}

/* Roll back whatever c has open; errors are the caller's already. */
static void
pq_rollback(PGconn *c)
{
	PQclear(PQexec(c, "ROLLBACK"));
}

/* Notices (and libpq's own, such as a server's FATAL) stay unsaid. */
static void
no_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *
pq_connect(struct store_pg *s, const char *uri, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"connect_timeout", "application_name", "dbname", NULL
	};
	const char *vals[] = { CONNECT_TIMEOUT, "chainaudit", uri, NULL };
	PGconn *c;
	PGresult *res;

	/* Later keys win: the URI's own settings override ours. */
	c = PQconnectdbParams(keys, vals, 1);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		pg_err(s, c, NULL, NULL, err, errlen);
		PQfinish(c);
		return NULL;
	}
	/* Errors come back with results; stderr is for our one line. */
	PQsetNoticeProcessor(c, no_notices, NULL);
	res = PQexec(c, "SET client_min_messages = warning");
	PQclear(res);
	return c;
}

/*
 * The results schema version: 0 when there are no chainaudit tables,
 * or -1 with err.
 */
static int
schema_version(struct store_pg *s, PGconn *c, char *err, size_t errlen)
{
	PGresult *res;
	int v;

	if ((res = pq_run(s, c, "SELECT to_regclass('chainaudit_meta') "
	    "IS NULL", 0, NULL, PGRES_TUPLES_OK, err, errlen)) == NULL)
		return -1;
	v = PQgetvalue(res, 0, 0)[0] == 't' ? 0 : -2;
	PQclear(res);
	if (v == 0)
		return 0;
	if ((res = pq_run(s, c, "SELECT value FROM chainaudit_meta WHERE "
	    "key = 'schema_version'", 0, NULL, PGRES_TUPLES_OK, err,
	    errlen)) == NULL)
		return -1;
	v = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : -1;
	PQclear(res);
	if (v < 1) {
		set_err(err, errlen, "%s: chainaudit_meta holds no valid "
		    "schema_version", s->name);
		return -1;
	}
	return v;
}

/* Run sql (several statements) on c.  0 or -1 with err. */
static int
pq_script(struct store_pg *s, PGconn *c, const char *sql, char *err,
    size_t errlen)
{
	PGresult *res = PQexec(c, sql);

	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_err(s, c, res, NULL, err, errlen);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/*
 * Create the tables when there are none, or upgrade them in place,
 * under an advisory lock so that processes starting together do it
 * once, in one transaction.  Version 3 is the first PostgreSQL schema;
 * the later steps are SQLite's own (db/upgrade-N.sql, the same SQL on
 * both).  0 or -1 with err.
 */
static int
migrate(struct store_pg *s, char *err, size_t errlen)
{
	PGresult *res;
	int v;

	if (pq_cmd(s, s->wr, "BEGIN", 0, NULL, err, errlen) < 0)
		return -1;
	if ((res = pq_run(s, s->wr, "SELECT pg_advisory_xact_lock("
	    SCHEMA_LOCK ")", 0, NULL, PGRES_TUPLES_OK, err, errlen)) == NULL)
		goto fail;
	PQclear(res);
	if ((v = schema_version(s, s->wr, err, errlen)) < 0)
		goto fail;
	if (v > STORE_SCHEMA_VERSION) {
		set_err(err, errlen, "%s: results schema version %d is newer "
		    "than this chainaudit's (%d)", s->name, v,
		    STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (v > 0 && v < 3) {
		set_err(err, errlen, "%s: results schema version %d has no "
		    "PostgreSQL upgrade", s->name, v);
		goto fail;
	}
	if (v == 0 && pq_script(s, s->wr,
	    (const char *)builtin_schema_pg_sql, err, errlen) < 0)
		goto fail;
	if (v == 3 && pq_script(s, s->wr,
	    (const char *)builtin_upgrade_4_sql, err, errlen) < 0)
		goto fail;
	if ((v == 3 || v == 4) && pq_script(s, s->wr,
	    (const char *)builtin_upgrade_5_sql, err, errlen) < 0)
		goto fail;
	if (v >= 3 && v <= 5 && (pq_script(s, s->wr,
	    (const char *)builtin_upgrade_6_sql, err, errlen) < 0 ||
	    pq_script(s, s->wr, (const char *)builtin_upgrade_6_pg_sql, err,
	    errlen) < 0))
		goto fail;
	if (v >= 3 && v <= 6 && pq_script(s, s->wr,
	    (const char *)builtin_upgrade_7_sql, err, errlen) < 0)
		goto fail;
	return pq_cmd(s, s->wr, "COMMIT", 0, NULL, err, errlen);
fail:
	pq_rollback(s->wr);
	return -1;
}

/* Create or upgrade the tables once.  0 or -1 with err. */
static int
schema_ready(struct store_pg *s, char *err, size_t errlen)
{
	if (s->migrated)
		return 0;
	if (migrate(s, err, errlen) < 0)
		return -1;
	s->migrated = 1;
	return 0;
}

struct store_pg *
store_pg_open(const char *db, const char *results, int history, char *err,
    size_t errlen)
{
	struct store_pg *s;
	char host[64];
	unsigned char nonce[8];
	char hex[17];
	int v;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->name = display_name(db)) == NULL) {
		set_err(err, errlen, "%s: out of memory", db);
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->hb_wake, NULL);
	s->lease = DEFAULT_LEASE;
	if ((s->uri = strdup(db)) == NULL) {
		set_err(err, errlen, "%s: out of memory", s->name);
		goto fail;
	}
	if (results != NULL && strcmp(results, db) != 0) {
		set_err(err, errlen, "%s: --results: PostgreSQL results go "
		    "into the --db database itself; leave --results out",
		    s->name);
		goto fail;
	}
	/* Unique per process and run: a claim names its claimant. */
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce))
		memset(nonce, 0, sizeof(nonce));
	hex_encode(nonce, sizeof(nonce), hex);
	snprintf(s->owner, sizeof(s->owner), "%s:%ld:%s", host,
	    (long)getpid(), hex);

	if ((s->wr = pq_connect(s, db, err, errlen)) == NULL)
		goto fail;
	if (history) {
		if ((v = schema_version(s, s->wr, err, errlen)) < 0)
			goto fail;
		if (v == 0) {
			set_err(err, errlen, "%s: no chainaudit scans here "
			    "(run chainaudit --db first)", s->name);
			goto fail;
		}
		if (v != STORE_SCHEMA_VERSION) {
			set_err(err, errlen, "%s: results schema version %d; "
			    "this chainaudit reads %d (a scan upgrades it)",
			    s->name, v, STORE_SCHEMA_VERSION);
			goto fail;
		}
		return s;
	}
	/*
	 * The tables are made (or upgraded) only once the domain query is
	 * known to read, or a scan is recorded: a database without a domain
	 * table is left as it was.
	 */
	if ((s->rd = pq_connect(s, db, err, errlen)) == NULL)
		goto fail;
	return s;
fail:
	store_pg_free(s);
	return NULL;
}

void
store_pg_free(struct store_pg *s)
{
	if (s == NULL)
		return;
	renewer_stop(s);
	PQclear(s->rows);
	/* An open batch is rolled back by the server when we hang up. */
	PQfinish(s->rd);
	PQfinish(s->wr);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->hb_wake);
	free(s->claims);
	free(s->query);
	free(s->uri);
	free(s->name);
	free(s);
}

const char *
store_pg_name(const struct store_pg *s)
{
	return s->name;
}

/* ---- reading domains --------------------------------------------------- */

/* The query without trailing blanks and semicolons; NULL on ENOMEM. */
static char *
trimmed_query(const char *q)
{
	size_t len;

	for (len = strlen(q); len > 0 && strchr(" \t\r\n;", q[len - 1]);
	    len--)
		continue;
	return strndup(q, len);
}

/*
 * 1 when q reads: preparing refuses several statements, and a
 * statement returning no columns fails later checks, but an INSERT ...
 * RETURNING must not run as the domain query.
 */
static int
is_select(const char *q)
{
	static const char *const verbs[] = { "select", "with", "values",
	    "table" };
	size_t i;

	q += strspn(q, " \t\r\n(");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncasecmp(q, verbs[i], strlen(verbs[i])) == 0)
			return 1;
	return 0;
}

int
store_pg_domains_begin(struct store_pg *s, const char *query, char *err,
    size_t errlen)
{
	PGresult *res = NULL, *desc = NULL;
	const char *state, *names[64];
	char *q;
	int ret = -1, i, ncols, map[STORE_COL__COUNT];

	if ((q = trimmed_query(query != NULL ? query : DEFAULT_QUERY)) ==
	    NULL) {
		set_err(err, errlen, "%s: out of memory", s->name);
		return -1;
	}
	/* Preparing checks it is one statement and names its columns. */
	res = PQprepare(s->rd, "", q, 0, NULL);
	state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
	    NULL;
	if (query == NULL && state != NULL && strcmp(state, "42P01") == 0) {
		/* undefined_table */
		set_err(err, errlen, "%s: no table %s (create it as "
		    "db/schema-pg.sql does, or read your own with --db-query)",
		    s->name, STORE_DEFAULT_TABLE);
		goto out;
	}
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_err(s, s->rd, res, query != NULL ? "--db-query: " : NULL,
		    err, errlen);
		goto out;
	}
	desc = PQdescribePrepared(s->rd, "");
	if (desc == NULL || PQresultStatus(desc) != PGRES_COMMAND_OK) {
		pg_err(s, s->rd, desc, "--db-query: ", err, errlen);
		goto out;
	}
	if (PQnfields(desc) == 0 || !is_select(q)) {
		set_err(err, errlen, "%s: --db-query: not a single SELECT "
		    "statement", s->name);
		goto out;
	}
	if (PQnfields(desc) < 2) {
		set_err(err, errlen, "%s: --db-query: returns %d column; "
		    "needs the domain, the PEM chain and optionally a contact",
		    s->name, PQnfields(desc));
		goto out;
	}
	ncols = PQnfields(desc) < 64 ? PQnfields(desc) : 64;
	for (i = 0; i < ncols; i++)
		names[i] = PQfname(desc, i);
	if (store_map_columns(names, ncols, map) < 0) {
		set_err(err, errlen, "%s: --db-query: besides %s, needs the "
		    "domain, the PEM chain and optionally a contact", s->name,
		    STORE_KEY_COLUMN);
		goto out;
	}
	if (schema_ready(s, err, errlen) < 0)
		goto out;
	s->ncols = PQnfields(desc);
	memcpy(s->col, map, sizeof(s->col));
	/* BYTEAOID */
	s->chain_bytea = PQftype(desc, map[STORE_COL_CHAIN]) == 17;
	free(s->query);
	s->query = q;
	q = NULL;
	ret = 0;
out:
	PQclear(res);
	PQclear(desc);
	free(q);
	return ret;
}

int64_t
store_pg_count_domains(struct store_pg *s, const char *query, char *err,
    size_t errlen)
{
	PGresult *res;
	char scan[24], *q = NULL, *sql = NULL;
	const char *vals[1];
	int64_t n = -1;

	/* Attached, the rows left are those of the unfinished batches. */
	if (s->scan > 0) {
		snprintf(scan, sizeof(scan), "%lld", (long long)s->scan);
		vals[0] = scan;
		if ((res = pq_run(s, s->rd, "SELECT coalesce(sum(last_row - "
		    "first_row + 1), 0) FROM chainaudit_batches WHERE "
		    "scan_id = $1 AND NOT done", 1, vals, PGRES_TUPLES_OK, err,
		    errlen)) == NULL)
			return -1;
		n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		return n;
	}
	if ((q = trimmed_query(query != NULL ? query : DEFAULT_QUERY)) ==
	    NULL || asprintf(&sql, "SELECT count(*) FROM (%s\n) AS q", q) < 0) {
		sql = NULL;
		set_err(err, errlen, "%s: out of memory", s->name);
		goto out;
	}
	if ((res = pq_run(s, s->rd, sql, 0, NULL, PGRES_TUPLES_OK, err,
	    errlen)) == NULL)
		goto out;
	n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
out:
	free(q);
	free(sql);
	return n;
}

/* A binary-format text or bytea field as read, or SQL NULL. */
static void
field_get(const PGresult *res, int row, int col, struct store_field *f)
{
	memset(f, 0, sizeof(*f));
	if (PQgetisnull(res, row, col)) {
		f->null = 1;
		return;
	}
	f->p = PQgetvalue(res, row, col);
	f->len = (size_t)PQgetlength(res, row, col);
}

/* A binary int8 field. */
static int64_t
field_int8(const PGresult *res, int row, int col)
{
	const unsigned char *p = (const unsigned char *)PQgetvalue(res, row,
	    col);
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

/*
 * 1 when batch c is still this process's and not done, 0 when another
 * process holds or finished it, -1 when the server cannot say.
 */
static int
batch_is_ours(struct store_pg *s, const struct claim *c, char *err,
    size_t errlen)
{
	PGresult *res;
	char scan[24], bno[16];
	const char *vals[3];
	int r;

	snprintf(scan, sizeof(scan), "%lld", (long long)s->scan);
	snprintf(bno, sizeof(bno), "%d", c->batch_no);
	vals[0] = scan;
	vals[1] = bno;
	vals[2] = s->owner;
	if ((res = pq_run(s, s->rd, "SELECT 1 FROM chainaudit_batches WHERE "
	    "scan_id = $1 AND batch_no = $2 AND owner = $3 AND NOT done", 3,
	    vals, PGRES_TUPLES_OK, err, errlen)) == NULL)
		return -1;
	r = PQntuples(res) == 1;
	PQclear(res);
	return r;
}

/*
 * Claim the first batch nobody holds (or whose lease ran out), and
 * fetch its rows into s->rows.  1 claimed, 0 none claimable now, -1.
 */
static int
claim_batch(struct store_pg *s, int *left, double *wait, char *err,
    size_t errlen)
{
	PGresult *res;
	struct claim c;
	char scan[24], lease[16], bno[16], first[24], last[24];
	const char *vals[4];

	snprintf(scan, sizeof(scan), "%lld", (long long)s->scan);
	snprintf(lease, sizeof(lease), "%u", s->lease);
	vals[0] = scan;
	vals[1] = s->owner;
	if (pq_cmd(s, s->rd, "BEGIN", 0, NULL, err, errlen) < 0)
		return -1;
	/*
	 * Never our own batch: one whose lease ran out may still be in our
	 * writer's hands, and reading it twice would write it twice.
	 */
	if ((res = pq_run(s, s->rd, "SELECT batch_no, first_row, last_row "
	    "FROM chainaudit_batches WHERE scan_id = $1 AND NOT done AND "
	    "(lease_until IS NULL OR lease_until < now()) AND "
	    "owner IS DISTINCT FROM $2 ORDER BY batch_no LIMIT 1 "
	    "FOR UPDATE SKIP LOCKED", 2, vals, PGRES_TUPLES_OK, err,
	    errlen)) == NULL)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		if (pq_cmd(s, s->rd, "COMMIT", 0, NULL, err, errlen) < 0)
			return -1;
		/* What others hold, and how soon a lease of theirs ends. */
		if ((res = pq_run(s, s->rd, "SELECT count(*), coalesce("
		    "extract(epoch FROM min(lease_until) - now()), 0) FROM "
		    "chainaudit_batches WHERE scan_id = $1 AND NOT done AND "
		    "owner IS DISTINCT FROM $2", 2, vals, PGRES_TUPLES_OK, err,
		    errlen)) == NULL)
			return -1;
		*left = atoi(PQgetvalue(res, 0, 0));
		*wait = strtod(PQgetvalue(res, 0, 1), NULL);
		PQclear(res);
		return 0;
	}
	c.batch_no = atoi(PQgetvalue(res, 0, 0));
	c.first_row = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	c.last_row = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
	PQclear(res);
	snprintf(bno, sizeof(bno), "%d", c.batch_no);
	vals[2] = lease;
	vals[3] = bno;
	if (pq_cmd(s, s->rd, "UPDATE chainaudit_batches SET owner = $2, "
	    "lease_until = now() + make_interval(secs => $3::int) "
	    "WHERE scan_id = $1 AND batch_no = $4", 4, vals, err, errlen) < 0 ||
	    pq_cmd(s, s->rd, "COMMIT", 0, NULL, err, errlen) < 0)
		goto fail;

	pthread_mutex_lock(&s->lock);
	if (array_reserve(&s->claims, &s->claims_cap, s->nclaims + 1,
	    sizeof(*s->claims)) < 0) {
		pthread_mutex_unlock(&s->lock);
		set_err(err, errlen, "%s: out of memory", s->name);
		return -1;
	}
	s->claims[s->nclaims++] = c;
	pthread_mutex_unlock(&s->lock);

	snprintf(first, sizeof(first), "%lld", (long long)c.first_row);
	snprintf(last, sizeof(last), "%lld", (long long)c.last_row);
	vals[1] = first;
	vals[2] = last;
	/* Binary results: the chain's bytes as stored, unescaped. */
	res = PQexecParams(s->rd, "SELECT row_number, domain, chain, "
	    "contact, connect, row_key FROM chainaudit_scan_rows WHERE "
	    "scan_id = $1 "
	    "AND row_number BETWEEN $2 AND $3 ORDER BY row_number", 3, NULL,
	    vals, NULL, NULL, 1);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_err(s, s->rd, res, NULL, err, errlen);
		PQclear(res);
		return -1;
	}
	if (PQntuples(res) != c.last_row - c.first_row + 1) {
		PQclear(res);
		/*
		 * Held up between the claim and this read (stopped, or
		 * starved) past the lease: another process took the batch,
		 * and the scan's end took the rows with it.  Said as the
		 * lease it is, not as rows gone astray.
		 */
		if (batch_is_ours(s, &c, err, errlen) == 0)
			set_err(err, errlen, "%s: scan %lld: the lease on rows "
			    "%lld to %lld ran out (--lease %u) and another "
			    "process took them before this one read them",
			    s->name, (long long)s->scan,
			    (long long)c.first_row, (long long)c.last_row,
			    s->lease);
		else
			set_err(err, errlen, "%s: scan %lld: rows %lld to %lld "
			    "of batch %d are missing from chainaudit_scan_rows",
			    s->name, (long long)s->scan,
			    (long long)c.first_row, (long long)c.last_row,
			    c.batch_no);
		return -1;
	}
	s->rows = res;
	s->rowi = 0;
	return 1;
fail:
	pq_rollback(s->rd);
	return -1;
}

int
store_pg_claim_read(const struct store_pg *s)
{
	return s->rows == NULL || s->rowi >= PQntuples(s->rows);
}

int
store_pg_next_domain(struct store_pg *s, struct store_row *row,
    struct store_block *spare, char *err, size_t errlen)
{
	struct store_field f[STORE_COL__COUNT];
	struct timespec ts;
	double wait;
	int r, left, i, c;

	memset(row, 0, sizeof(*row));
	if (s->scan == 0) {
		set_err(err, errlen, "%s: no scan attached", s->name);
		return -1;
	}
	while (s->rows == NULL || s->rowi >= PQntuples(s->rows)) {
		PQclear(s->rows);
		s->rows = NULL;
		if ((r = claim_batch(s, &left, &wait, err, errlen)) < 0)
			return -1;
		if (r == 1)
			break;
		if (left == 0)
			return 0;
		/*
		 * Others hold the rest: wait for them to finish, or for a
		 * lease to run out (a process that died), and look again.
		 */
		if (wait < 0.1)
			wait = 0.1;
		if (wait > 1)
			wait = 1;
		ts.tv_sec = (time_t)wait;
		ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
		if (nanosleep(&ts, NULL) < 0 && errno == EINTR)
			return 0;	/* a signal: the scan stops */
	}
	i = s->rowi++;
	row->number = field_int8(s->rows, i, 0);
	/* Columns 1 to 5 are the STORE_COL_* ones, in order. */
	for (c = 0; c < STORE_COL__COUNT; c++)
		field_get(s->rows, i, 1 + c, &f[c]);
	if (store_row_fill(row, f, spare) < 0) {
		set_err(err, errlen, "%s: out of memory", s->name);
		return -1;
	}
	return 1;
}

/* ---- scans ------------------------------------------------------------- */

int
store_pg_find_scan(struct store_pg *s, enum store_find kind,
    const char *source, const char *policy_version, int64_t before,
    struct store_scan *out, char *err, size_t errlen)
{
	static const char *const where[] = {
		[FIND_SCAN_UNFINISHED] = "finished IS NULL AND source = $1",
		[FIND_SCAN_BASE] = "status = 'complete' AND source = $1 "
		    "AND policy_version = $2",
		[FIND_SCAN_LATEST] = "true",
		[FIND_SCAN_BEFORE] = "status = 'complete' AND source = $1 "
		    "AND id < $2",
		[FIND_SCAN_OPEN] = "finished IS NULL",
		[FIND_SCAN_COMPLETE] = "status = 'complete'",
		[FIND_SCAN_ID] = "id = $1",
	};
	PGresult *res = NULL;
	char *sql = NULL, id[24];
	const char *vals[2] = { source, NULL };
	int n = 0, ret = -1;

	switch (kind) {
	case FIND_SCAN_UNFINISHED:
		n = 1;
		break;
	case FIND_SCAN_BASE:
		vals[1] = policy_version;
		n = 2;
		break;
	case FIND_SCAN_BEFORE:
		snprintf(id, sizeof(id), "%lld", (long long)before);
		vals[1] = id;
		n = 2;
		break;
	case FIND_SCAN_ID:
		snprintf(id, sizeof(id), "%lld", (long long)before);
		vals[0] = id;
		n = 1;
		break;
	default:
		break;
	}
	/* No tables: no scan, and none made to say so (history opens none). */
	if (!s->migrated && s->rd != NULL) {
		if ((ret = schema_version(s, s->wr, err, errlen)) <= 0)
			return ret;
		ret = -1;
		if (schema_ready(s, err, errlen) < 0)
			return -1;
	}
	if (asprintf(&sql, "SELECT id, evaluated_at, status, policy_version, "
	    "source, started, coalesce(base_scan, 0), arguments, options FROM "
	    "chainaudit_scans WHERE %s ORDER BY id DESC LIMIT 1",
	    where[kind]) < 0) {
		set_err(err, errlen, "%s: out of memory", s->name);
		return -1;
	}
	if ((res = pq_run(s, s->wr, sql, n, vals, PGRES_TUPLES_OK, err,
	    errlen)) == NULL)
		goto out;
	if (PQntuples(res) == 0) {
		ret = 0;
		goto out;
	}
	memset(out, 0, sizeof(*out));
	out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	out->base_scan = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
	if (time_parse_iso8601(PQgetvalue(res, 0, 1), &out->evaluated_at) < 0) {
		set_err(err, errlen, "%s: scan %lld: bad evaluated_at",
		    s->name, (long long)out->id);
		goto out;
	}
	snprintf(out->status, sizeof(out->status), "%s",
	    PQgetvalue(res, 0, 2));
	snprintf(out->policy_version, sizeof(out->policy_version), "%s",
	    PQgetvalue(res, 0, 3));
	out->source = xstrdup(PQgetvalue(res, 0, 4));
	out->started = xstrdup(PQgetvalue(res, 0, 5));
	if (!PQgetisnull(res, 0, 7))
		out->arguments = xstrdup(PQgetvalue(res, 0, 7));
	out->options = xstrdup(PQgetvalue(res, 0, 8));
	if (out->source == NULL || out->started == NULL ||
	    out->options == NULL ||
	    (!PQgetisnull(res, 0, 7) && out->arguments == NULL)) {
		store_scan_clear(out);
		set_err(err, errlen, "%s: out of memory", s->name);
		goto out;
	}
	ret = 1;
out:
	PQclear(res);
	free(sql);
	return ret;
}

/*
 * The statement that copies the checked query's rows into
 * chainaudit_scan_rows ($1 the scan), its columns named c1, c2, ...
 * and taken where s->col says.  Owned; NULL on ENOMEM.
 */
static char *
copy_sql(const struct store_pg *s)
{
	char *names = NULL, *tmp, *sql, col[STORE_COL__COUNT][48];
	int i;

	for (i = 1; i <= s->ncols; i++) {
		if (asprintf(&tmp, "%s%sc%d", names != NULL ? names : "",
		    names != NULL ? ", " : "", i) < 0) {
			free(names);
			return NULL;
		}
		free(names);
		names = tmp;
	}
	for (i = 0; i < STORE_COL__COUNT; i++)
		if (s->col[i] < 0)
			snprintf(col[i], sizeof(col[i]), "NULL");
		else if (i == STORE_COL_CHAIN && !s->chain_bytea)
			snprintf(col[i], sizeof(col[i]),
			    "convert_to(q.c%d::text, 'UTF8')", s->col[i] + 1);
		else
			snprintf(col[i], sizeof(col[i]), "q.c%d%s",
			    s->col[i] + 1, i == STORE_COL_CHAIN ? "" : "::text");
	if (asprintf(&sql, "INSERT INTO chainaudit_scan_rows (scan_id, "
	    "row_number, domain, chain, contact, connect, row_key) SELECT $1, "
	    "row_number() OVER (), %s, %s, %s, %s, %s FROM (%s\n) AS q(%s)",
	    col[STORE_COL_DOMAIN], col[STORE_COL_CHAIN],
	    col[STORE_COL_CONTACT], col[STORE_COL_CONNECT],
	    col[STORE_COL_KEY], s->query, names) < 0)
		sql = NULL;
	free(names);
	return sql;
}

int64_t
store_pg_scan_begin(struct store_pg *s, const struct store_scan_info *info,
    char *err, size_t errlen)
{
	PGresult *res = NULL;
	char started[32], evaluated[32], base[24], id[24], per[24], nrows[24];
	char *copy = NULL;
	const char *vals[8];
	long long n;
	int64_t scan = -1;

	if (s->query == NULL) {
		set_err(err, errlen, "%s: no query checked", s->name);
		return -1;
	}
	if (schema_ready(s, err, errlen) < 0)
		return -1;
	time_format_iso8601(info->started, started, sizeof(started));
	time_format_iso8601(info->evaluated_at, evaluated, sizeof(evaluated));
	snprintf(base, sizeof(base), "%lld", (long long)info->base_scan);
	vals[0] = started;
	vals[1] = evaluated;
	vals[2] = info->source;
	vals[3] = info->options;
	vals[4] = info->policy_version;
	vals[5] = info->version;
	vals[6] = info->base_scan > 0 ? base : NULL;
	vals[7] = info->arguments;
	/*
	 * The scan, its rows and its batches appear together: a --join
	 * never finds a scan without them.
	 */
	if (pq_cmd(s, s->wr, "BEGIN", 0, NULL, err, errlen) < 0)
		return -1;
	if ((res = pq_run(s, s->wr, "INSERT INTO chainaudit_scans "
	    "(started, evaluated_at, source, options, policy_version, "
	    "chainaudit_version, base_scan, arguments) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8) RETURNING id", 8, vals, PGRES_TUPLES_OK, err, errlen)) ==
	    NULL)
		goto fail;
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	/*
	 * Copy the rows, numbered in the query's order; the query's extra
	 * columns are dropped, a text chain becomes its UTF-8 bytes.
	 */
	if ((copy = copy_sql(s)) == NULL) {
		set_err(err, errlen, "%s: out of memory", s->name);
		goto fail;
	}
	vals[0] = id;
	res = PQexecParams(s->wr, copy, 1, NULL, vals, NULL, NULL, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_err(s, s->wr, res, info->source != NULL &&
		    strcmp(info->source, STORE_DEFAULT_TABLE) != 0 ?
		    "--db-query: " : NULL, err, errlen);
		PQclear(res);
		goto fail;
	}
	n = pq_changed(res);
	PQclear(res);
	snprintf(per, sizeof(per), "%zu", info->batch_rows > 0 ?
	    info->batch_rows : (size_t)DEFAULT_BATCH_ROWS);
	snprintf(nrows, sizeof(nrows), "%lld", n);
	vals[1] = per;
	vals[2] = nrows;
	if (pq_cmd(s, s->wr, "INSERT INTO chainaudit_batches (scan_id, "
	    "batch_no, first_row, last_row) SELECT $1, g, (g - 1) * $2::bigint "
	    "+ 1, least(g * $2::bigint, $3::bigint) FROM generate_series(1, "
	    "($3::bigint + $2::bigint - 1) / $2::bigint) AS g", 3, vals, err,
	    errlen) < 0)
		goto fail;
	/* No rows: nothing will complete it. */
	if (n == 0 && pq_cmd(s, s->wr, "UPDATE chainaudit_scans SET "
	    "finished = started, status = 'complete' WHERE id = $1", 1, vals,
	    err, errlen) < 0)
		goto fail;
	if (pq_cmd(s, s->wr, "COMMIT", 0, NULL, err, errlen) < 0)
		goto out;
	scan = strtoll(id, NULL, 10);
	goto out;
fail:
	pq_rollback(s->wr);
out:
	free(copy);
	return scan;
}

/* ---- renewing leases ------------------------------------------------------ */

/*
 * The renewer's thread: every third of a lease, extend the lease of
 * every batch this process holds and has not completed, so that a batch
 * slower than its lease (slow servers under --live, a busy machine)
 * stays this process's while it is alive.  It renews only batches still
 * its own: one whose lease ran out while this process was stopped, and
 * that another process claimed meanwhile, stays the other's (the claim
 * changed the owner), and the writer's completion then fails as it
 * must.  A failed renewal is not fatal: the lease may then run out,
 * which complete_batch reports.
 */
static void *
renewer(void *arg)
{
	struct store_pg *s = arg;
	struct timespec until;
	char id[24], lease[16];
	const char *vals[3] = { id, s->owner, lease };
	long ms = (long)s->lease * 1000 / 3;

	snprintf(id, sizeof(id), "%lld", (long long)s->scan);
	snprintf(lease, sizeof(lease), "%u", s->lease);
	pthread_mutex_lock(&s->lock);
	while (!s->hb_stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ms / 1000;
		until.tv_nsec += ms % 1000 * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		if (pthread_cond_timedwait(&s->hb_wake, &s->lock, &until) !=
		    ETIMEDOUT || s->hb_stop)
			continue;
		pthread_mutex_unlock(&s->lock);
		/*
		 * SKIP LOCKED: a batch our writer is completing, or one
		 * another process is claiming, is not waited for; the
		 * others are renewed all the same.
		 */
		PQclear(PQexecParams(s->hb, "UPDATE chainaudit_batches SET "
		    "lease_until = now() + make_interval(secs => $3::int) "
		    "WHERE (scan_id, batch_no) IN (SELECT scan_id, batch_no "
		    "FROM chainaudit_batches WHERE scan_id = $1 AND owner = $2 "
		    "AND NOT done FOR UPDATE SKIP LOCKED)", 3, NULL, vals, NULL,
		    NULL, 0));
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Stop the renewer, if it runs, and hang up its connection. */
static void
renewer_stop(struct store_pg *s)
{
	if (s->hb_running) {
		pthread_mutex_lock(&s->lock);
		s->hb_stop = 1;
		pthread_cond_signal(&s->hb_wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->hb_thread, NULL);
		s->hb_running = 0;
	}
	PQfinish(s->hb);
	s->hb = NULL;
}

int
store_pg_scan_attach(struct store_pg *s, int64_t scan, unsigned lease,
    char *err, size_t errlen)
{
	renewer_stop(s);
	s->scan = scan;
	if (lease > 0)
		s->lease = lease;
	/* A connection of its own: the others are in open transactions. */
	if ((s->hb = pq_connect(s, s->uri, err, errlen)) == NULL)
		return -1;
	s->hb_stop = 0;
	if (pthread_create(&s->hb_thread, NULL, renewer, s) != 0) {
		set_err(err, errlen, "%s: cannot start a thread", s->name);
		return -1;
	}
	s->hb_running = 1;
	return 0;
}

int
store_pg_scan_end(struct store_pg *s, int64_t scan, int complete,
    time_t finished, char *err, size_t errlen)
{
	char id[24];
	const char *vals[2];

	(void)finished;
	renewer_stop(s);
	/*
	 * The scan is complete when its last batch is, whoever did it.
	 * Here only what this process leaves unfinished is undone: its
	 * open batch, and its claims, so that others need not wait for
	 * their leases.  With the connection gone the server rolled the
	 * batch back; the claims need a connection again.
	 */
	if (s->in_tx) {
		pq_rollback(s->wr);
		s->in_tx = 0;
		/* Every row read was written: its batch must have completed. */
		if (complete) {
			set_err(err, errlen, "%s: scan %lld: rows %lld to %lld "
			    "were not all written; rolled back", s->name,
			    (long long)scan, (long long)s->cur.first_row,
			    (long long)s->cur.last_row);
			return -1;
		}
	}
	/* A lost connection: try once more, so others need not wait. */
	if (PQstatus(s->wr) != CONNECTION_OK)
		PQreset(s->wr);
	if (PQstatus(s->wr) != CONNECTION_OK)
		return 0;
	snprintf(id, sizeof(id), "%lld", (long long)scan);
	vals[0] = id;
	vals[1] = s->owner;
	PQclear(PQexecParams(s->wr, "UPDATE chainaudit_batches SET owner = "
	    "NULL, lease_until = NULL WHERE scan_id = $1 AND owner = $2 AND "
	    "NOT done", 2, NULL, vals, NULL, NULL, 0));
	return 0;
}

int
store_pg_row_domain(struct store_pg *s, int64_t scan, int64_t number,
    char **domain, char *err, size_t errlen)
{
	PGresult *res;
	char id[24], row[24];
	const char *vals[2] = { id, row };
	int r = 0;

	snprintf(id, sizeof(id), "%lld", (long long)scan);
	snprintf(row, sizeof(row), "%lld", (long long)number);
	if ((res = pq_run(s, s->rd, "SELECT domain FROM chainaudit_results "
	    "WHERE scan_id = $1 AND row_number = $2 LIMIT 1", 2, vals,
	    PGRES_TUPLES_OK, err, errlen)) == NULL)
		return -1;
	if (PQntuples(res) > 0) {
		if ((*domain = strdup(PQgetvalue(res, 0, 0))) == NULL) {
			set_err(err, errlen, "%s: out of memory", s->name);
			r = -1;
		} else
			r = 1;
	}
	PQclear(res);
	return r;
}

int64_t
store_pg_last_row(struct store_pg *s, int64_t scan, char *err,
    size_t errlen)
{
	PGresult *res;
	char id[24];
	const char *vals[1] = { id };
	int64_t n;

	snprintf(id, sizeof(id), "%lld", (long long)scan);
	if ((res = pq_run(s, s->rd, "SELECT coalesce(max(row_number), 0) "
	    "FROM chainaudit_results WHERE scan_id = $1", 1, vals,
	    PGRES_TUPLES_OK, err, errlen)) == NULL)
		return -1;
	n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return n;
}

int
store_pg_previous(struct store_pg *s, int64_t base, const char *domain,
    const char *chain_sha256, time_t now, struct store_previous *prev,
    char *err, size_t errlen)
{
	PGresult *res;
	char id[24], at[32];
	const char *vals[4] = { id, domain, chain_sha256, at };
	int r = 0;

	snprintf(id, sizeof(id), "%lld", (long long)base);
	time_format_iso8601(now, at, sizeof(at));
	if ((res = pq_run(s, s->rd, "SELECT id, verdict FROM "
	    "chainaudit_results WHERE scan_id = $1 AND domain = $2 AND "
	    "chain_sha256 = $3 AND verdict IN ('pass', 'fail') AND "
	    "recheck_after > $4 ORDER BY id LIMIT 1", 4, vals,
	    PGRES_TUPLES_OK, err, errlen)) == NULL)
		return -1;
	if (PQntuples(res) > 0) {
		prev->result_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		prev->failed = strcmp(PQgetvalue(res, 0, 1), "fail") == 0;
		r = 1;
	}
	PQclear(res);
	return r;
}

/* ---- writing results ------------------------------------------------------ */

/*
 * Complete the open batch: mark it done while we still own it, and the
 * scan complete when no batch is left, in the transaction that holds
 * the batch's results.  0, or -1 with err (rolled back: a lease lost
 * leaves the batch to its new owner).
 */
static int
complete_batch(struct store_pg *s, char *err, size_t errlen)
{
	PGresult *res;
	char id[24], bno[16];
	const char *vals[3];

	snprintf(id, sizeof(id), "%lld", (long long)s->scan);
	snprintf(bno, sizeof(bno), "%d", s->cur.batch_no);
	vals[0] = id;
	vals[1] = bno;
	vals[2] = s->owner;
	if ((res = pq_run(s, s->wr, "UPDATE chainaudit_batches SET done = "
	    "true, lease_until = NULL WHERE scan_id = $1 AND batch_no = $2 "
	    "AND owner = $3 AND NOT done", 3, vals, PGRES_COMMAND_OK, err,
	    errlen)) == NULL)
		goto fail;
	if (pq_changed(res) != 1) {
		PQclear(res);
		set_err(err, errlen, "%s: scan %lld: the lease on rows %lld "
		    "to %lld ran out (--lease %u) and another process took "
		    "them; this process's results for them are rolled back",
		    s->name, (long long)s->scan, (long long)s->cur.first_row,
		    (long long)s->cur.last_row, s->lease);
		goto fail;
	}
	PQclear(res);
	/*
	 * Whoever completes the last batch completes the scan.  The row
	 * lock orders the completing transactions, so the last of two
	 * finishing together sees the other's batch done: exactly one
	 * marks it, and none can miss it.  NO KEY UPDATE: the results'
	 * foreign keys hold KEY SHARE on the row, which FOR UPDATE would
	 * wait for, and two such waits deadlock.
	 */
	if ((res = pq_run(s, s->wr, "SELECT 1 FROM chainaudit_scans WHERE "
	    "id = $1 FOR NO KEY UPDATE", 1, vals, PGRES_TUPLES_OK, err,
	    errlen)) == NULL)
		goto fail;
	PQclear(res);
	if ((res = pq_run(s, s->wr, "UPDATE chainaudit_scans SET "
	    "finished = to_char(now() AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), status = 'complete', "
	    "rows_read = r.n, rows_audited = r.audited, "
	    "rows_carried = r.carried, rows_pass = r.pass, "
	    "rows_fail = r.fail, rows_error = r.error, "
	    "findings_error = f.error, findings_warning = f.warning, "
	    "findings_info = f.info "
	    "FROM (SELECT count(*) AS n, "
	    "  count(*) FILTER (WHERE carried_from IS NULL) AS audited, "
	    "  count(*) FILTER (WHERE carried_from IS NOT NULL) AS carried, "
	    "  count(*) FILTER (WHERE verdict = 'pass') AS pass, "
	    "  count(*) FILTER (WHERE verdict = 'fail') AS fail, "
	    "  count(*) FILTER (WHERE verdict = 'error') AS error "
	    "  FROM chainaudit_results WHERE scan_id = $1) AS r, "
	    " (SELECT count(*) FILTER (WHERE severity = 'error') AS error, "
	    "  count(*) FILTER (WHERE severity = 'warning') AS warning, "
	    "  count(*) FILTER (WHERE severity = 'info') AS info "
	    "  FROM chainaudit_findings WHERE scan_id = $1) AS f "
	    "WHERE id = $1 AND finished IS NULL AND NOT EXISTS (SELECT 1 "
	    "FROM chainaudit_batches WHERE scan_id = $1 AND NOT done)", 1,
	    vals, PGRES_COMMAND_OK, err, errlen)) == NULL)
		goto fail;
	if (pq_changed(res) == 1 && pq_cmd(s, s->wr, "DELETE FROM "
	    "chainaudit_scan_rows WHERE scan_id = $1", 1, vals, err,
	    errlen) < 0) {
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	s->in_tx = 0;
	return pq_cmd(s, s->wr, "COMMIT", 0, NULL, err, errlen);
fail:
	s->in_tx = 0;
	pq_rollback(s->wr);
	return -1;
}

/*
 * Before writing row: complete the open batch when row is not in it
 * (its rows come in order, all of them before the next batch's), and
 * open the transaction of the batch holding row.  0 or -1 with err.
 */
static int
batch_for(struct store_pg *s, int64_t row, char *err, size_t errlen)
{
	/* A batch taken over from a dead process may come with lower rows. */
	if (s->in_tx && (row < s->cur.first_row || row > s->cur.last_row) &&
	    complete_batch(s, err, errlen) < 0)
		return -1;
	if (s->in_tx)
		return 0;
	pthread_mutex_lock(&s->lock);
	if (s->nclaims == 0 || row < s->claims[0].first_row ||
	    row > s->claims[0].last_row) {
		pthread_mutex_unlock(&s->lock);
		set_err(err, errlen, "%s: scan %lld: row %lld is in no batch "
		    "this process claimed", s->name, (long long)s->scan,
		    (long long)row);
		return -1;
	}
	s->cur = s->claims[0];
	memmove(s->claims, s->claims + 1, (s->nclaims - 1) *
	    sizeof(*s->claims));
	s->nclaims--;
	pthread_mutex_unlock(&s->lock);
	if (pq_cmd(s, s->wr, "BEGIN", 0, NULL, err, errlen) < 0)
		return -1;
	s->in_tx = 1;
	return 0;
}

/* Prepare statement id on the writer's connection once. */
static int
prepare(struct store_pg *s, enum wstmt id, const char *sql, char *err,
    size_t errlen)
{
	static const char *const names[] = { "ca_result", "ca_carry" };
	PGresult *res;

	if (s->prepared[id])
		return 0;
	res = PQprepare(s->wr, names[id], sql, 0, NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_err(s, s->wr, res, NULL, err, errlen);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	s->prepared[id] = 1;
	return 0;
}

/* A prepared statement's run.  0 or -1 with err. */
static int
run_prepared(struct store_pg *s, enum wstmt id, int n,
    const char *const *vals, char *err, size_t errlen)
{
	static const char *const names[] = { "ca_result", "ca_carry" };
	PGresult *res;

	res = PQexecPrepared(s->wr, names[id], n, vals, NULL, NULL, 0);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_err(s, s->wr, res, NULL, err, errlen);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* A growing string: a text[] literal being built. */
struct text_buf {
	char	*s;		/* owned */
	size_t	 len, cap;
};

static int
buf_put(struct text_buf *b, const char *p, size_t n)
{
	if (array_reserve(&b->s, &b->cap, b->len + n + 1, 1) < 0)
		return -1;
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Append one element of a text[] literal ("{...}"), NULL for NULL. */
static int
array_add(struct text_buf *b, const char *v)
{
	const char *p;

	if (buf_put(b, b->len > 1 ? "," : "", b->len > 1) < 0)
		return -1;
	if (v == NULL)
		return buf_put(b, "NULL", 4);
	if (buf_put(b, "\"", 1) < 0)
		return -1;
	for (p = v; *p != '\0'; p++)
		if (((*p == '"' || *p == '\\') && buf_put(b, "\\", 1) < 0) ||
		    buf_put(b, p, 1) < 0)
			return -1;
	return buf_put(b, "\"", 1);
}

int
store_pg_write_result(struct store_pg *s, int64_t scan,
    const struct store_result *r, char *err, size_t errlen)
{
	struct text_buf a[6];
	char id[24], row[24], trusted[4], recheck[32], when[32];
	const char *vals[22];
	size_t i, k;
	int ret = -1, oom = 0;

	memset(a, 0, sizeof(a));
	if (batch_for(s, r->row_number, err, errlen) < 0 ||
	    prepare(s, WS_RESULT,
	    "WITH r AS (INSERT INTO chainaudit_results (scan_id, row_number, "
	    "domain, contact, chain_sha256, verdict, worst_severity, trusted, "
	    "error, path, issuer, anchor, recheck_after, source, "
	    "served_chain_sha256, row_key) VALUES ($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, $12, $13, $14, $15, $22) RETURNING id) "
	    "INSERT INTO chainaudit_findings (result_id, scan_id, domain, "
	    "code, severity, cert_sha256, message, deadline, fix) "
	    "SELECT r.id, $1, $3, f.code, f.severity, f.cert, f.msg, "
	    "f.deadline, f.fix FROM r, "
	    "unnest($16::text[], $17::text[], $18::text[], $19::text[], "
	    "$20::text[], $21::text[]) "
	    "AS f(code, severity, cert, msg, deadline, fix)", err, errlen) < 0)
		return -1;
	for (k = 0; k < 6; k++)
		oom |= buf_put(&a[k], "{", 1);
	for (i = 0; i < r->nfindings; i++) {
		oom |= array_add(&a[0], r->findings[i].code);
		oom |= array_add(&a[1], r->findings[i].severity);
		oom |= array_add(&a[2], r->findings[i].cert_sha256);
		oom |= array_add(&a[3], r->findings[i].message);
		if (r->findings[i].deadline != 0)
			time_format_iso8601(r->findings[i].deadline, when,
			    sizeof(when));
		oom |= array_add(&a[4], r->findings[i].deadline != 0 ? when :
		    NULL);
		oom |= array_add(&a[5], r->findings[i].fix);
	}
	for (k = 0; k < 6; k++)
		oom |= buf_put(&a[k], "}", 1);
	if (oom) {
		set_err(err, errlen, "%s: out of memory", s->name);
		goto out;
	}
	snprintf(id, sizeof(id), "%lld", (long long)scan);
	snprintf(row, sizeof(row), "%lld", (long long)r->row_number);
	snprintf(trusted, sizeof(trusted), "%d", r->trusted ? 1 : 0);
	if (r->recheck_after != 0)
		time_format_iso8601(r->recheck_after, recheck,
		    sizeof(recheck));
	vals[0] = id;
	vals[1] = row;
	vals[2] = r->domain;
	vals[3] = r->contact;
	vals[4] = r->chain_sha256;
	vals[5] = r->verdict;
	vals[6] = r->worst_severity;
	vals[7] = trusted;
	vals[8] = r->error;
	vals[9] = r->path;
	vals[10] = r->issuer;
	vals[11] = r->anchor;
	vals[12] = r->recheck_after != 0 ? recheck : NULL;
	vals[13] = r->live ? "live" : "stored";
	vals[14] = r->served_chain_sha256;
	for (k = 0; k < 6; k++)
		vals[15 + k] = a[k].s;
	vals[21] = r->row_key;
	if (run_prepared(s, WS_RESULT, 22, vals, err, errlen) < 0)
		goto out;
	s->last_written = r->row_number;
	ret = 0;
out:
	for (k = 0; k < 6; k++)
		free(a[k].s);
	return ret;
}

int
store_pg_carry_result(struct store_pg *s, int64_t scan, int64_t row_number,
    const char *contact, const char *row_key,
    const struct store_previous *prev, char *err, size_t errlen)
{
	char id[24], row[24], from[24];
	const char *vals[5] = { id, row, contact, from, row_key };

	if (batch_for(s, row_number, err, errlen) < 0 ||
	    prepare(s, WS_CARRY,
	    "WITH r AS (INSERT INTO chainaudit_results (scan_id, row_number, "
	    "domain, contact, chain_sha256, verdict, worst_severity, trusted, "
	    "error, path, issuer, anchor, recheck_after, carried_from, source, "
	    "served_chain_sha256, row_key) SELECT $1, $2, domain, $3, "
	    "chain_sha256, verdict, worst_severity, trusted, error, path, "
	    "issuer, anchor, recheck_after, coalesce(carried_from, scan_id), "
	    "source, served_chain_sha256, $5 FROM chainaudit_results WHERE "
	    "id = $4 RETURNING id) "
	    "INSERT INTO chainaudit_findings (result_id, scan_id, domain, "
	    "code, severity, cert_sha256, message, deadline, fix) SELECT r.id, "
	    "$1, f.domain, f.code, f.severity, f.cert_sha256, f.message, "
	    "f.deadline, f.fix FROM r, "
	    "chainaudit_findings f WHERE f.result_id = $4", err, errlen) < 0)
		return -1;
	snprintf(id, sizeof(id), "%lld", (long long)scan);
	snprintf(row, sizeof(row), "%lld", (long long)row_number);
	snprintf(from, sizeof(from), "%lld", (long long)prev->result_id);
	if (run_prepared(s, WS_CARRY, 5, vals, err, errlen) < 0)
		return -1;
	s->last_written = row_number;
	return 0;
}

int
store_pg_commit(struct store_pg *s, char *err, size_t errlen)
{
	/*
	 * Results commit only with their batch's completion: committed
	 * without it, another process would write them again.
	 */
	if (s->in_tx && s->last_written == s->cur.last_row)
		return complete_batch(s, err, errlen);
	return 0;
}

/* ---- reading past scans --------------------------------------------------- */

int
store_pg_summary(struct store_pg *s, int64_t scan, int by_issuer,
    void (*fn)(const struct store_count *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char by_code_sql[] =
	    "SELECT code, severity, count(*), count(DISTINCT result_id), 0 "
	    "FROM chainaudit_findings WHERE scan_id = $1 "
	    "GROUP BY code, severity ORDER BY count(*) DESC, code COLLATE \"C\"";
	static const char by_issuer_sql[] =
	    "SELECT coalesce(issuer, '(none: not audited)'), NULL, count(*), "
	    "count(*) FILTER (WHERE verdict = 'fail'), "
	    "count(*) FILTER (WHERE verdict = 'error') "
	    "FROM chainaudit_results WHERE scan_id = $1 "
	    "GROUP BY 1 ORDER BY count(*) DESC, "
	    "coalesce(issuer, '(none: not audited)') COLLATE \"C\"";
	struct store_count c;
	PGresult *res;
	char id[24];
	const char *vals[1] = { id };
	int i;

	snprintf(id, sizeof(id), "%lld", (long long)scan);
	if ((res = pq_run(s, s->wr, by_issuer ? by_issuer_sql : by_code_sql,
	    1, vals, PGRES_TUPLES_OK, err, errlen)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		c.name = PQgetvalue(res, i, 0);
		c.severity = PQgetisnull(res, i, 1) ? NULL :
		    PQgetvalue(res, i, 1);
		c.count = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		c.domains = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		c.errors = strtoll(PQgetvalue(res, i, 4), NULL, 10);
		fn(&c, arg);
	}
	PQclear(res);
	return 0;
}

int
store_pg_diff_pairing(struct store_pg *s, int64_t scan, int64_t old,
    struct store_pairing *out, char *err, size_t errlen)
{
	static const char sql[] = STORE_PAIRING_SQL("$1::bigint",
	    "$2::bigint");
	PGresult *res;
	char id[24], oid[24];
	const char *vals[2] = { id, oid };

	snprintf(id, sizeof(id), "%lld", (long long)scan);
	snprintf(oid, sizeof(oid), "%lld", (long long)old);
	if ((res = pq_run(s, s->wr, sql, 2, vals, PGRES_TUPLES_OK, err,
	    errlen)) == NULL)
		return -1;
	out->rows = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	out->old_rows = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	out->by_key = strtoll(PQgetvalue(res, 0, 2), NULL, 10) == 0;
	PQclear(res);
	return 0;
}

int
store_pg_diff(struct store_pg *s, int64_t scan, int64_t old, int by_key,
    int all, int (*fn)(const struct store_change *, void *), void *arg,
    char *err, size_t errlen)
{
	/* "C" ordering is SQLite's byte order. */
	static const char sql[] = STORE_DIFF_SQL("$1::bigint", "$2::bigint",
	    "$3::int", "$4::int", " COLLATE \"C\"");
	struct store_change c;
	PGresult *res = NULL;
	char id[24], oid[24];
	const char *vals[4] = { id, oid, by_key ? "1" : "0", all ? "1" : "0" };
	int ret = -1, stopped = 0;

	snprintf(id, sizeof(id), "%lld", (long long)scan);
	snprintf(oid, sizeof(oid), "%lld", (long long)old);
	/* Row by row: a diff of millions of rows is not held at once. */
	if (!PQsendQueryParams(s->wr, sql, 4, NULL, vals, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(s->wr)) {
		pg_err(s, s->wr, NULL, NULL, err, errlen);
		return -1;
	}
	while ((res = PQgetResult(s->wr)) != NULL) {
		if (PQresultStatus(res) == PGRES_SINGLE_TUPLE && !stopped) {
#define COL(k)	(PQgetisnull(res, 0, (k)) ? NULL : PQgetvalue(res, 0, (k)))
			c.kind = PQgetvalue(res, 0, 0)[0];
			c.state = PQgetvalue(res, 0, 1)[0];
			c.domain = COL(2);
			c.row_key = COL(3);
			c.row_number = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
			c.old_row_number = strtoll(PQgetvalue(res, 0, 5),
			    NULL, 10);
			c.verdict = COL(6);
			c.old_verdict = COL(7);
			c.issuer = COL(8);
			c.old_issuer = COL(9);
			c.chain_changed = atoi(PQgetvalue(res, 0, 10));
			c.code = COL(11);
			c.severity = COL(12);
			c.cert_sha256 = COL(13);
			c.message = COL(14);
#undef COL
			/* The rest is read and dropped: the connection
			   must be idle again. */
			stopped = fn(&c, arg) != 0;
		} else if (PQresultStatus(res) == PGRES_TUPLES_OK)
			ret = stopped ? -1 : 0;
		else if (PQresultStatus(res) != PGRES_SINGLE_TUPLE) {
			pg_err(s, s->wr, res, NULL, err, errlen);
			ret = -1;
			stopped = 1;
		}
		PQclear(res);
	}
	return stopped ? -1 : ret;
}

/* ---- reading for --notify -------------------------------------------------- */

int
store_pg_notices(struct store_pg *s, int64_t scan,
    int (*fn)(const struct store_notice *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char sql[] = STORE_NOTICES_SQL("$1", " COLLATE \"C\"");
	struct store_notice n;
	PGresult *res;
	char id[24];
	const char *vals[1] = { id };
	int i, ret = -1;

	snprintf(id, sizeof(id), "%lld", (long long)scan);
	if ((res = pq_run(s, s->wr, sql, 1, vals, PGRES_TUPLES_OK, err,
	    errlen)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
#define COL(k)	(PQgetisnull(res, i, (k)) ? NULL : PQgetvalue(res, i, (k)))
		n.contact = COL(0);
		n.domain = COL(1);
		n.row_number = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		n.code = COL(3);
		n.severity = COL(4);
		n.deadline = COL(5);
		n.fix = COL(6);
		n.cert_sha256 = COL(7);
		n.message = COL(8);
#undef COL
		if (fn(&n, arg) != 0)
			goto out;
	}
	ret = 0;
out:
	PQclear(res);
	return ret;
}
