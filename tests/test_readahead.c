/*
 * test_readahead.c: the read-ahead VFS (src/readahead.c) on real SQLite
 * files: a read-only connection through it reads exactly what the
 * default VFS reads, in rollback-journal and WAL mode, and sees what
 * another connection committed between its read transactions (also
 * after a checkpoint rewrote the database file), so the block it keeps
 * is never stale.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "readahead.h"
#include "testlib.h"

#define NROWS	3000		/* about 10 MB: some 40 blocks of 256 KB */
#define ROWLEN	3000

TestSuite(readahead, .timeout = 60);

static sqlite3 *
open_db(const char *path, int flags, const char *vfs)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open_v2(path, &db, flags, vfs), SQLITE_OK,
	    "%s: %s", path, db != NULL ? sqlite3_errmsg(db) : "no memory");
	return db;
}

static void
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK,
	    "%s: %s", sql, msg != NULL ? msg : "");
}

/* Row i's text, tagged so that an update shows: "<tag>:<i>:" + filler. */
static void
row_text(char *buf, int i, int tag)
{
	int n = snprintf(buf, ROWLEN + 1, "%d:%d:", tag, i), k;

	for (k = n; k < ROWLEN; k++)
		buf[k] = (char)('a' + (i * 7 + k) % 26);
	buf[ROWLEN] = '\0';
}

/* A table t(id, body) of n rows in journal mode mode. */
static void
make_table(const char *path, const char *mode, int n)
{
	sqlite3 *db = open_db(path, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	sqlite3_stmt *st;
	char sql[64], body[ROWLEN + 1];
	int i;

	snprintf(sql, sizeof(sql), "PRAGMA journal_mode = %s", mode);
	exec(db, sql);
	exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);"
	    "BEGIN");
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?, ?)",
	    -1, &st, NULL), SQLITE_OK);
	for (i = 1; i <= n; i++) {
		row_text(body, i, 0);
		sqlite3_bind_int(st, 1, i);
		sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	exec(db, "COMMIT");
	sqlite3_close(db);
}

/*
 * Read every row in one read transaction: checks each row's text is the
 * one tagged tag_of(id) and returns how many rows there were.
 */
static int
read_all(sqlite3 *db, int (*tag_of)(int))
{
	sqlite3_stmt *st;
	char want[ROWLEN + 1];
	int n = 0, id;

	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id, body FROM t ORDER BY "
	    "id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int(st, 0);
		row_text(want, id, tag_of(id));
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 1),
		    want, "row %d", id);
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

static int
tag_none(int id)
{
	(void)id;
	return 0;
}

/* After the update below: every 10th row from 10 on is tagged 1. */
static int
tag_updated(int id)
{
	return id >= 10 && id % 10 == 0 ? 1 : 0;
}

static void
update_rows(sqlite3 *db, int n)
{
	sqlite3_stmt *st;
	char body[ROWLEN + 1];
	int i;

	exec(db, "BEGIN");
	cr_assert_eq(sqlite3_prepare_v2(db, "UPDATE t SET body = ? WHERE "
	    "id = ?", -1, &st, NULL), SQLITE_OK);
	for (i = 10; i <= n; i += 10) {
		row_text(body, i, 1);
		sqlite3_bind_text(st, 1, body, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, i);
		cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	exec(db, "COMMIT");
}

/*
 * The read-only reader through the VFS reads the table, a writer
 * changes it (and in WAL mode checkpoints it into the database file),
 * and the reader's next transaction sees the change.
 */
static void
reader_sees_writes(const char *mode, int n)
{
	char dir[512], path[600];
	sqlite3 *ro, *rw;

	tmpdir_make(dir, sizeof(dir), "readahead");
	snprintf(path, sizeof(path), "%s/in.db", dir);
	make_table(path, mode, n);
	cr_assert_not_null(readahead_vfs());
	ro = open_db(path, SQLITE_OPEN_READONLY, readahead_vfs());
	cr_assert_eq(read_all(ro, tag_none), n);
	/* Twice: the second pass starts with a block already kept. */
	cr_assert_eq(read_all(ro, tag_none), n);

	rw = open_db(path, SQLITE_OPEN_READWRITE, NULL);
	update_rows(rw, n);
	if (strcmp(mode, "wal") == 0)
		exec(rw, "PRAGMA wal_checkpoint(TRUNCATE)");
	cr_assert_eq(read_all(ro, tag_updated), n);
	exec(rw, "DELETE FROM t WHERE id > 15");
	if (strcmp(mode, "wal") == 0)
		exec(rw, "PRAGMA wal_checkpoint(TRUNCATE)");
	else
		exec(rw, "VACUUM");	/* the file shrinks */
	cr_assert_eq(read_all(ro, tag_updated), 15);
	sqlite3_close(rw);
	sqlite3_close(ro);
	tmpdir_remove(dir);
}

/*
 * A small table lies in one block, which the reader keeps from one
 * transaction to the next unless the VFS drops it; a large one in many.
 */
Test(readahead, rollback_journal_reader_sees_commits)
{
	reader_sees_writes("delete", 40);
	reader_sees_writes("delete", NROWS);
}

Test(readahead, wal_reader_sees_commits_and_checkpoints)
{
	reader_sees_writes("wal", 40);
	reader_sees_writes("wal", NROWS);
}

/* The VFS's bytes are the default VFS's, byte for byte, page by page. */
Test(readahead, same_bytes_as_default_vfs)
{
	char dir[512], path[600];
	sqlite3 *a, *b;
	sqlite3_stmt *sa, *sb;
	int n = 0;

	tmpdir_make(dir, sizeof(dir), "readahead");
	snprintf(path, sizeof(path), "%s/in.db", dir);
	make_table(path, "delete", NROWS);
	a = open_db(path, SQLITE_OPEN_READONLY, readahead_vfs());
	b = open_db(path, SQLITE_OPEN_READONLY, NULL);
	/* sqlite_dbpage would need a build option: compare every value. */
	cr_assert_eq(sqlite3_prepare_v2(a, "SELECT id, body FROM t ORDER BY "
	    "body DESC", -1, &sa, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(b, "SELECT id, body FROM t ORDER BY "
	    "body DESC", -1, &sb, NULL), SQLITE_OK);
	while (sqlite3_step(sa) == SQLITE_ROW) {
		cr_assert_eq(sqlite3_step(sb), SQLITE_ROW);
		cr_assert_eq(sqlite3_column_int(sa, 0),
		    sqlite3_column_int(sb, 0));
		cr_assert_str_eq((const char *)sqlite3_column_text(sa, 1),
		    (const char *)sqlite3_column_text(sb, 1));
		n++;
	}
	cr_assert_eq(sqlite3_step(sb), SQLITE_DONE);
	cr_assert_eq(n, NROWS);
	cr_assert_eq(sqlite3_exec(a, "PRAGMA integrity_check", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_finalize(sa);
	sqlite3_finalize(sb);
	sqlite3_close(a);
	sqlite3_close(b);
	tmpdir_remove(dir);
}

/* Opening what is not there fails as it does without the VFS. */
Test(readahead, missing_file_fails_cleanly)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open_v2("/nonexistent/dir/in.db", &db,
	    SQLITE_OPEN_READONLY, readahead_vfs()), SQLITE_CANTOPEN);
	sqlite3_close(db);
}

/* A file that is not a database: the error SQLite gives, not a crash. */
Test(readahead, not_a_database)
{
	char dir[512], path[600];
	sqlite3 *db;
	FILE *f;
	int i;

	tmpdir_make(dir, sizeof(dir), "readahead");
	snprintf(path, sizeof(path), "%s/junk.db", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	for (i = 0; i < 100000; i++)
		fputs("not sqlite ", f);
	fclose(f);
	db = open_db(path, SQLITE_OPEN_READONLY, readahead_vfs());
	cr_assert_eq(sqlite3_exec(db, "SELECT * FROM sqlite_master", NULL,
	    NULL, NULL), SQLITE_NOTADB);
	sqlite3_close(db);
	tmpdir_remove(dir);
}
