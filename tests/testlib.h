/*
 * testlib.h: shared helpers for the Criterion suites.
 *
 * Fixtures are read from $CHAINAUDIT_SRCDIR/fixtures (set by make check;
 * defaults to "."), the program from $CHAINAUDIT_BIN, and the shared
 * real-world data from $CHAINAUDIT_SHARED (may be absent: tests that need
 * it skip with a message).
 */
#ifndef CHAINAUDIT_TESTLIB_H
#define CHAINAUDIT_TESTLIB_H

#include <sys/types.h>

#include <stddef.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "cert.h"
#include "pem.h"

/* $CHAINAUDIT_SRCDIR/rel, in a static buffer (valid until the next call). */
const char	*fixture_path(const char *rel);
/* Read a fixture into a new buffer (owned); aborts the test on failure. */
unsigned char	*fixture_read(const char *rel, size_t *len);
/* Decode a fixture file into a DER list; aborts the test on failure. */
void		 fixture_decode(const char *rel, struct der_list *out);
/* Parse the n-th (0-based) certificate of a fixture file; owned. */
struct cert	*fixture_cert(const char *rel, size_t n);

/* The shared data directory, or NULL when it is not there. */
const char	*shared_dir(void);

struct run_result {
	int	 status;	/* exit status, or 128+signal */
	char	*out;		/* owned: standard output */
	size_t	 outlen;
	char	*err;		/* owned: standard error */
	size_t	 errlen;
};

/*
 * Run the chainaudit binary with argv (NULL-terminated, without argv[0]),
 * optionally feeding stdin_data.  Aborts the test if it cannot be run.
 */
void	run_chainaudit(struct run_result *r, const char *const *argv,
	    const char *stdin_data);
void	run_result_free(struct run_result *r);
/* Expect err to be one line, "chainaudit: " first, holding needle. */
void	expect_one_line(const char *err, const char *needle);
/*
 * Run bin (a path, or a program name looked up in PATH) the same way.
 * Aborts the test when it cannot be executed.
 */
void	run_program(struct run_result *r, const char *bin,
	    const char *const *argv, const char *stdin_data);

/* Parse r->out as JSON; aborts the test when it does not parse. Owned. */
struct json_object *run_json(const struct run_result *r);

/*
 * The JSON target whose "source" ends with suffix, or NULL.  Borrowed
 * from root.
 */
struct json_object *json_target(struct json_object *root, const char *suffix);
/*
 * Run chainaudit with root_pem as the only trust anchor, --at at, JSON
 * out, the extra arguments (NULL-ended, may be NULL) and target; the
 * report (owned) and in *t its target whose source ends with suffix
 * (aborts the test when there is none).
 */
struct json_object *run_trusting(const char *root_pem, const char *at,
	    const char *const *extra, const char *target, const char *suffix,
	    struct run_result *r, struct json_object **t);
/* The string at key of o, or NULL when absent or not a string. */
const char *json_string_of(struct json_object *o, const char *key);
/* 1 when target t has a finding with code, 0 otherwise. */
int	json_has_finding(struct json_object *t, const char *code);
/* Number of findings with code in target t. */
int	json_count_finding(struct json_object *t, const char *code);

/*
 * Write a temporary PEM file holding, in the order of prefixes
 * (NULL-terminated), the certificate of the files srcs (NULL-terminated)
 * whose lower-case hex SHA-256 starts with each prefix.  Returns its
 * path, owned by the caller, who unlinks and frees it.  Aborts the test
 * when a prefix matches no certificate or two different ones.
 */
char	*pem_subset_tmp(const char *const *srcs, const char *const *prefixes);

/*
 * The finding codes of target t, sorted and joined with ',' (repeats
 * kept: "expired,sha1-only-link,sha1-only-link"), into buf.  Returns buf;
 * aborts the test when buf is too small.
 */
const char *json_finding_codes(struct json_object *t, char *buf, size_t len);

/*
 * The database scans' command line: the fixture roots, the demo's
 * distrust list, --db db, then extra (NULL-ended), into argv, which has
 * room for DEMO_SCAN_ARGS more than extra and the NULL.
 */
#define DEMO_SCAN_ARGS	9

/* A numeric macro's value as a string literal: STR(STORE_SCHEMA_VERSION). */
#define STR_(x)	#x
#define STR(x)	STR_(x)
void	demo_scan_args(const char **argv, const char *db,
	    const char *const *extra);
/* Run the program on that command line (at most 30 extra arguments). */
void	run_demo_scan(struct run_result *r, const char *db,
	    const char *const *extra);

/*
 * Start the program with args (NULL-ended, without argv[0]) without
 * waiting: standard output to /dev/null, standard error to errfile
 * (NULL: /dev/null).  Its pid; aborts the test when it cannot fork.
 */
pid_t	spawn_chainaudit(const char *const *args, const char *errfile);
/* The same on the database scans' command line (demo_scan_args). */
pid_t	spawn_demo_scan(const char *db, const char *const *extra,
	    const char *errfile);

/* chaindiff_sha256 of a fixture chain: what --live records as served. */
void	fixture_chain_sha256(const char *rel, char hex[SHA256_HEX_LEN]);
/* chainaudit --db db --notify, then extra (at most 12, NULL-ended). */
void	run_notify(struct run_result *r, const char *db,
	    const char *const *extra);

/*
 * A new directory /tmp/chainaudit-NAME-XXXXXX into dir (len bytes);
 * aborts the test on failure.  tmpdir_remove removes it and all in it.
 */
void	tmpdir_make(char *dir, size_t len, const char *name);
void	tmpdir_remove(const char *dir);

/* Run the SQL file srcrel (relative to the source tree) into the SQLite
 * file path; aborts the test on failure. */
void	db_load(const char *path, const char *srcrel);
/*
 * The demo database (db/demo.sql) made as dir/name, its path written to
 * path (len bytes) and returned; aborts the test on failure.
 */
const char *demo_db_make(char *path, size_t len, const char *dir,
	    const char *name);

/* Open the SQLite file path read-write (busy timeout 5 s); aborts on failure. */
sqlite3	*db_open_rw(const char *path);
/* Run sql on db; aborts the test when it fails. */
void	 db_exec(sqlite3 *db, const char *sql);
/*
 * Every row of sql on the file path, columns joined with '|' and rows
 * with '\n'; owned by the caller.
 */
char	*db_dump(const char *path, const char *sql);

#endif
