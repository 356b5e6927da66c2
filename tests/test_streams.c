/*
 * test_streams.c: standard output and standard error as a CI log and a
 * person at a terminal see them.  Through one pipe for both (2>&1), no
 * diagnostic lands inside a report line, however the report's buffer
 * fills; through a pseudo-terminal, the progress line of a database
 * scan stays on screen while the scan runs, steps aside for each
 * diagnostic, and is erased only at the end.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "testlib.h"
#include "util.h"

#define ERASE	"\r\033[K"

static char tmpdir[64];

static void
make_tmpdir(void)
{
	tmpdir_make(tmpdir, sizeof(tmpdir), "streams");
}

static void
remove_tmpdir(void)
{
	tmpdir_remove(tmpdir);
}

TestSuite(streams, .init = make_tmpdir, .fini = remove_tmpdir,
    .timeout = 120);

/* Write n copies of fixture rel into tmpdir as PREFIX<i>SUFFIX. */
static void
copies(const char *rel, int n, const char *prefix, const char *suffix)
{
	unsigned char *buf;
	char path[256];
	size_t len;
	FILE *fp;
	int i;

	buf = fixture_read(rel, &len);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s%03d%s", tmpdir, prefix, i,
		    suffix);
		cr_assert_not_null(fp = fopen(path, "wb"));
		cr_assert_eq(fwrite(buf, 1, len, fp), len);
		fclose(fp);
	}
	free(buf);
}

/*
 * A directory of 300 good chains with 40 truncated files among them,
 * audited with standard output and standard error on one pipe: every
 * line is whole, a diagnostic or a report line, and every diagnostic
 * is there once.
 */
Test(streams, one_pipe_for_both_keeps_lines_whole)
{
	char root[512], *line, *save = NULL, *out;
	struct run_result r;
	const char *argv[16];
	int diags = 0, reports = 0;

	copies("chains/good-rsa.pem", 300, "a", ".pem");
	copies("bad/truncated.pem", 40, "a", "x.pem");
	snprintf(root, sizeof(root), "%s", fixture_path("ca/root-rsa.pem"));
	argv[0] = "-c";
	argv[1] = "exec \"$0\" \"$@\" 2>&1";
	argv[2] = getenv("CHAINAUDIT_BIN");
	argv[3] = "--no-system-ca";
	argv[4] = "--ca-file";
	argv[5] = root;
	argv[6] = "--at";
	argv[7] = "2016-03-01T00:00:00Z";
	argv[8] = tmpdir;
	argv[9] = NULL;
	cr_assert_not_null(argv[2]);
	run_program(&r, "/bin/sh", argv, NULL);
	cr_expect_eq(r.status, 2, "%s", r.err);
	out = strdup(r.out);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "chainaudit: ", 12) == 0) {
			diags++;
			cr_expect(strstr(line, "x.pem: truncated PEM block") !=
			    NULL, "a broken diagnostic: %s", line);
			continue;
		}
		reports++;
		cr_expect_null(strstr(line, "chainaudit:"),
		    "a diagnostic inside a report line: %s", line);
	}
	cr_expect_eq(diags, 40);
	cr_expect_gt(reports, 300 * 5);
	free(out);
	run_result_free(&r);
}

/*
 * Run argv (the program's arguments) on a pseudo-terminal, its output
 * (stderr and stdout both the terminal's) into *out: the exit status.
 */
static int
run_on_pty(const char *const *argv, char **out, size_t *outlen)
{
	const char *v[48];
	char buf[4096];
	FILE *mem;
	ssize_t n;
	pid_t pid;
	int master, status, i;

	v[0] = getenv("CHAINAUDIT_BIN");
	cr_assert_not_null(v[0]);
	for (i = 0; argv[i] != NULL && i < 46; i++)
		v[i + 1] = argv[i];
	v[i + 1] = NULL;
	cr_assert_not_null(mem = open_memstream(out, outlen));
	pid = forkpty(&master, NULL, NULL, NULL);
	cr_assert_geq(pid, 0, "forkpty: %s", strerror(errno));
	if (pid == 0) {
		execv(v[0], (char *const *)v);
		_exit(127);
	}
	/* Linux says EIO once the child's side is closed. */
	while ((n = read(master, buf, sizeof(buf))) > 0 ||
	    (n < 0 && errno == EINTR))
		if (n > 0)
			fwrite(buf, 1, (size_t)n, mem);
	close(master);
	fclose(mem);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* A scan of n wildcard rows, two of them garbage after the first. */
static const char *
scan_db(int n)
{
	static char path[256];
	unsigned char *pem;
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t len;

	snprintf(path, sizeof(path), "%s/scan.db", tmpdir);
	pem = fixture_read("chains/wildcard.pem", &len);
	db = db_open_rw(path);
	db_exec(db, "CREATE TABLE chainaudit_domains (id INTEGER PRIMARY KEY, "
	    "domain TEXT NOT NULL, chain_pem TEXT, contact TEXT)");
	db_exec(db, "INSERT INTO chainaudit_domains (domain, chain_pem) "
	    "VALUES ('n0.wild.example.test', NULL), "
	    "('n1.wild.example.test', 'garbage')");
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO chainaudit_domains "
	    "(domain, chain_pem) WITH RECURSIVE c(x) AS (SELECT 2 UNION ALL "
	    "SELECT x + 1 FROM c WHERE x < ?) SELECT 'n' || x || "
	    "'.wild.example.test', ? FROM c", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int(st, 1, n);
	sqlite3_bind_text(st, 2, (const char *)pem, (int)len, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(pem);
	return path;
}

/*
 * On a terminal, with the report going to a file: the progress line is
 * drawn, each diagnostic is written at the left edge after erasing it
 * and followed by the line drawn again, and the only erase not
 * followed by something drawn is the last thing written.
 */
Test(streams, progress_line_stays_until_the_end_on_a_terminal)
{
	const char *argv[32], *db = scan_db(2000);
	char report[256], *out = NULL, *p, *next;
	size_t len = 0;
	int status, draws = 0, diags = 0;

	snprintf(report, sizeof(report), "%s/report.jsonl", tmpdir);
	demo_scan_args(argv, db, (const char *const[]){ "--at",
	    "2016-03-01T00:00:00Z", "-f", "jsonl", "-o", report, NULL });
	status = run_on_pty(argv, &out, &len);
	cr_expect_eq(status, 2, "%s", out);
	cr_assert_gt(len, strlen(ERASE));
	cr_expect_str_eq(out + len - strlen(ERASE), ERASE,
	    "the line is erased at the end");
	for (p = strstr(out, ERASE); p != NULL; p = next) {
		p += strlen(ERASE);
		next = strstr(p, ERASE);
		if (*p >= '0' && *p <= '9') {
			cr_expect(strstr(p, " domains, ") != NULL);
			draws++;
		} else if (strncmp(p, "chainaudit: ", 12) == 0) {
			/* After a diagnostic, the line comes back. */
			diags++;
			cr_expect(next != NULL && next[strlen(ERASE)] >= '0' &&
			    next[strlen(ERASE)] <= '9',
			    "not drawn again after: %.80s", p);
		} else
			cr_expect_null(next, "erased, then nothing drawn, at "
			    "offset %zu of:\n%s", (size_t)(p - out), out);
	}
	cr_expect_geq(draws, 1, "%s", out);
	/* The first may come before anything was drawn. */
	cr_expect_geq(diags, 1, "%s", out);
	for (diags = 0, p = out; (p = strstr(p, "chainaudit: ")) != NULL; p++)
		diags++;
	cr_expect_eq(diags, 2, "%s", out);
	free(out);
}

/* Standard error not a terminal: no progress line at all. */
Test(streams, no_progress_line_without_a_terminal)
{
	const char *argv[32], *db = scan_db(50);
	struct run_result r;
	char report[256];

	snprintf(report, sizeof(report), "%s/report.jsonl", tmpdir);
	demo_scan_args(argv, db, (const char *const[]){ "--at",
	    "2016-03-01T00:00:00Z", "-f", "jsonl", "-o", report, NULL });
	run_chainaudit(&r, argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_null(strchr(r.err, '\r'), "%s", r.err);
	cr_expect_null(strchr(r.err, '\033'), "%s", r.err);
	run_result_free(&r);
}
