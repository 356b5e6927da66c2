/*
 * testlib.c: shared helpers for the Criterion suites: fixtures, running
 * the program, and reading its JSON report.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "cert.h"
#include "chaindiff.h"
#include "pem.h"
#include "util.h"
#include "testlib.h"

/* A run that takes longer than this is killed and fails the test. */
#define RUN_TIMEOUT_SEC	120

static const char *
srcdir(void)
{
	const char	*d = getenv("CHAINAUDIT_SRCDIR");

	return d != NULL && *d != '\0' ? d : ".";
}

/* $CHAINAUDIT_SRCDIR/fixtures/rel in a static buffer. */
const char *
fixture_path(const char *rel)
{
	static char	 buf[PATH_MAX];
	int		 n;

	n = snprintf(buf, sizeof(buf), "%s/fixtures/%s", srcdir(), rel);
	cr_assert(n >= 0 && (size_t)n < sizeof(buf),
	    "fixture path too long: %s", rel);
	return buf;
}

/* Read a fixture; the buffer is the caller's, NUL-terminated. */
unsigned char *
fixture_read(const char *rel, size_t *len)
{
	const char	*path = fixture_path(rel);
	unsigned char	*buf = NULL;
	char		 err[ERRBUF_LEN];

	if (file_read_all(path, &buf, len, err, sizeof(err)) == -1)
		cr_assert_fail("%s: %s", path, err);
	return buf;
}

/* Read and decode a fixture into out (zeroed first). */
void
fixture_decode(const char *rel, struct der_list *out)
{
	unsigned char	*buf;
	size_t		 len;
	int		 rc;

	memset(out, 0, sizeof(*out));
	buf = fixture_read(rel, &len);
	rc = pem_decode(buf, len, out);
	free(buf);
	cr_assert_eq(rc, 0, "%s: pem_decode ran out of memory", rel);
}

/* The n-th certificate of a fixture, parsed; the caller frees it. */
struct cert *
fixture_cert(const char *rel, size_t n)
{
	struct der_list	 list;
	struct cert	*c;
	char		 err[ERRBUF_LEN] = "";

	fixture_decode(rel, &list);
	cr_assert(n < list.n, "%s: no certificate %zu (file has %zu)",
	    rel, n, list.n);
	c = cert_parse(list.v[n].der, list.v[n].len, err, sizeof(err));
	der_list_free(&list);
	cr_assert_not_null(c, "%s: certificate %zu: %s", rel, n, err);
	return c;
}

/*
 * $CHAINAUDIT_SHARED, or srcdir/../shared when unset, if it is a
 * directory.
 */
const char *
shared_dir(void)
{
	static char	 buf[PATH_MAX];
	const char	*d = getenv("CHAINAUDIT_SHARED");
	struct stat	 st;
	int		 n;

	if (d == NULL || *d == '\0') {
		n = snprintf(buf, sizeof(buf), "%s/../shared", srcdir());
		if (n < 0 || (size_t)n >= sizeof(buf))
			return NULL;
		d = buf;
	}
	if (stat(d, &st) == -1 || !S_ISDIR(st.st_mode))
		return NULL;
	return d;
}

/* Make fd non-blocking and close-on-exec. */
static void
fd_setup(int fd, int nonblock)
{
	int	 fl;

	cr_assert(fcntl(fd, F_SETFD, FD_CLOEXEC) != -1, "fcntl: %s",
	    strerror(errno));
	if (nonblock) {
		fl = fcntl(fd, F_GETFL);
		cr_assert(fl != -1 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) != -1,
		    "fcntl: %s", strerror(errno));
	}
}

static void
make_pipe(int p[2])
{
	cr_assert(pipe(p) == 0, "pipe: %s", strerror(errno));
	fd_setup(p[0], 0);
	fd_setup(p[1], 0);
}

/* Append what fd has to *buf; 1 at end of file, 0 when more may come. */
static int
drain(int fd, char **buf, size_t *len, size_t *cap)
{
	ssize_t	 r;

	for (;;) {
		if (*cap - *len < 2) {
			cr_assert(array_reserve(buf, cap, *len + 4096 + 1,
			    1) == 0, "out of memory");
			(*buf)[*len] = '\0';
		}
		r = read(fd, *buf + *len, *cap - *len - 1);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			cr_assert_fail("read: %s", strerror(errno));
		}
		if (r == 0)
			return 1;
		*len += (size_t)r;
		(*buf)[*len] = '\0';
	}
}

/* Exec the program in the child; report an exec failure through ep. */
static void __attribute__((noreturn))
child(const char *bin, const char *const *argv, int in, int out, int err,
    int ep)
{
	const char	**av;
	size_t		  n, i;
	int		  e;

	for (n = 0; argv != NULL && argv[n] != NULL; n++)
		continue;
	if ((av = calloc(n + 2, sizeof(av[0]))) == NULL)
		_exit(127);
	av[0] = bin;
	for (i = 0; i < n; i++)
		av[i + 1] = argv[i];
	if (dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1 ||
	    dup2(err, STDERR_FILENO) == -1)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	execvp(bin, (char *const *)av);
	e = errno;
	if (write(ep, &e, sizeof(e)) == -1)
		_exit(127);
	_exit(127);
}

/*
 * Fork and exec $CHAINAUDIT_BIN with pipes on all three standard
 * streams, feed stdin_data, collect stdout and stderr until both close
 * (poll, so a chatty child cannot deadlock against our writes), and
 * reap it.
 */
void
run_chainaudit(struct run_result *r, const char *const *argv,
    const char *stdin_data)
{
	const char	*bin = getenv("CHAINAUDIT_BIN");

	if (bin == NULL || *bin == '\0')
		bin = "src/chainaudit";
	run_program(r, bin, argv, stdin_data);
}

/*
 * Run bin (a path, or a name looked up in PATH) as run_chainaudit runs
 * the program.
 */
void
run_program(struct run_result *r, const char *bin, const char *const *argv,
    const char *stdin_data)
{
	struct sigaction sa, osa;
	struct pollfd	 pfd[3];
	size_t		 inlen, inoff = 0, outcap = 0, errcap = 0;
	ssize_t		 w;
	time_t		 deadline;
	pid_t		 pid;
	int		 pin[2], pout[2], perr[2], pexec[2];
	int		 status, e, nfd, out_open = 1, err_open = 1;

	memset(r, 0, sizeof(*r));
	inlen = stdin_data != NULL ? strlen(stdin_data) : 0;

	make_pipe(pin);
	make_pipe(pout);
	make_pipe(perr);
	make_pipe(pexec);

	/* A child that exits without reading stdin must not kill us. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	cr_assert(sigaction(SIGPIPE, &sa, &osa) == 0, "sigaction: %s",
	    strerror(errno));

	if ((pid = fork()) == -1)
		cr_assert_fail("fork: %s", strerror(errno));
	if (pid == 0)
		child(bin, argv, pin[0], pout[1], perr[1], pexec[1]);

	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	close(pexec[1]);

	/* Exec succeeded when the close-on-exec pipe closes empty. */
	while ((w = read(pexec[0], &e, sizeof(e))) == -1 && errno == EINTR)
		continue;
	close(pexec[0]);
	if (w == (ssize_t)sizeof(e)) {
		close(pin[1]);
		close(pout[0]);
		close(perr[0]);
		waitpid(pid, &status, 0);
		sigaction(SIGPIPE, &osa, NULL);
		cr_assert_fail("cannot run %s: %s (set CHAINAUDIT_BIN)", bin,
		    strerror(e));
	}

	fd_setup(pin[1], 1);
	fd_setup(pout[0], 1);
	fd_setup(perr[0], 1);
	if (inlen == 0) {
		close(pin[1]);
		pin[1] = -1;
	}

	deadline = time(NULL) + RUN_TIMEOUT_SEC;
	while (out_open || err_open || pin[1] != -1) {
		nfd = 0;
		memset(pfd, 0, sizeof(pfd));
		pfd[0].fd = pin[1];
		pfd[0].events = POLLOUT;
		pfd[1].fd = out_open ? pout[0] : -1;
		pfd[1].events = POLLIN;
		pfd[2].fd = err_open ? perr[0] : -1;
		pfd[2].events = POLLIN;
		if (time(NULL) > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			sigaction(SIGPIPE, &osa, NULL);
			cr_assert_fail("%s did not finish in %d seconds", bin,
			    RUN_TIMEOUT_SEC);
		}
		if ((nfd = poll(pfd, 3, 1000)) == -1) {
			if (errno == EINTR)
				continue;
			cr_assert_fail("poll: %s", strerror(errno));
		}
		if (nfd == 0)
			continue;
		if (pin[1] != -1 && pfd[0].revents != 0) {
			w = write(pin[1], stdin_data + inoff, inlen - inoff);
			if (w > 0)
				inoff += (size_t)w;
			/* EPIPE: the child stopped reading; its call. */
			if ((w == -1 && errno != EAGAIN && errno != EINTR &&
			    errno != EWOULDBLOCK) || inoff == inlen) {
				close(pin[1]);
				pin[1] = -1;
			}
		}
		if (out_open && pfd[1].revents != 0 &&
		    drain(pout[0], &r->out, &r->outlen, &outcap)) {
			close(pout[0]);
			out_open = 0;
		}
		if (err_open && pfd[2].revents != 0 &&
		    drain(perr[0], &r->err, &r->errlen, &errcap)) {
			close(perr[0]);
			err_open = 0;
		}
	}

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			sigaction(SIGPIPE, &osa, NULL);
			cr_assert_fail("waitpid: %s", strerror(errno));
		}
	}
	sigaction(SIGPIPE, &osa, NULL);
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->status = 128 + WTERMSIG(status);
	else
		r->status = -1;

	/* Callers may treat both as strings even when nothing came. */
	if (r->out == NULL)
		r->out = calloc(1, 1);
	if (r->err == NULL)
		r->err = calloc(1, 1);
	cr_assert(r->out != NULL && r->err != NULL, "out of memory");
}

void
expect_one_line(const char *err, const char *needle)
{
	cr_expect(strncmp(err, "chainaudit: ", 12) == 0, "%s", err);
	cr_expect(strchr(err, '\n') == err + strlen(err) - 1,
	    "not one line: %s", err);
	cr_expect(strstr(err, needle) != NULL, "no '%s' in: %s", needle, err);
}

void
run_result_free(struct run_result *r)
{
	if (r == NULL)
		return;
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* Parse the whole of standard output as one JSON value. */
struct json_object *
run_json(const struct run_result *r)
{
	struct json_tokener	*tok;
	struct json_object	*o;
	enum json_tokener_error	 jerr;
	size_t			 end;

	cr_assert(r->outlen > 0 && r->outlen <= INT_MAX,
	    "no JSON on standard output (exit %d); stderr: %s", r->status,
	    r->err != NULL ? r->err : "");
	tok = json_tokener_new();
	cr_assert_not_null(tok, "out of memory");
	o = json_tokener_parse_ex(tok, r->out, (int)r->outlen);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o == NULL || jerr != json_tokener_success) {
		json_object_put(o);
		cr_assert_fail("standard output is not JSON (%s); stdout: %.*s",
		    json_tokener_error_desc(jerr), (int)r->outlen, r->out);
	}
	for (; end < r->outlen; end++)
		if (strchr(" \t\r\n", r->out[end]) == NULL) {
			json_object_put(o);
			cr_assert_fail("junk after the JSON at offset %zu",
			    end);
		}
	return o;
}

/* The member "key" of o when it is an array, else NULL. */
static struct json_object *
get_array(struct json_object *o, const char *key)
{
	struct json_object	*a;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &a) ||
	    !json_object_is_type(a, json_type_array))
		return NULL;
	return a;
}

/* String member key of o, or NULL. */
static const char *
get_string(struct json_object *o, const char *key)
{
	struct json_object	*s;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &s) ||
	    !json_object_is_type(s, json_type_string))
		return NULL;
	return json_object_get_string(s);
}

/* First entry of root.targets whose "source" ends with suffix. */
struct json_object *
json_target(struct json_object *root, const char *suffix)
{
	struct json_object	*a, *t;
	const char		*src;
	size_t			 i, n, sl, tl;

	if ((a = get_array(root, "targets")) == NULL)
		return NULL;
	sl = suffix != NULL ? strlen(suffix) : 0;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(a, i);
		if ((src = get_string(t, "source")) == NULL)
			continue;
		tl = strlen(src);
		if (tl >= sl && memcmp(src + tl - sl, suffix, sl) == 0)
			return t;
	}
	return NULL;
}

/* Number of t.findings[] whose "code" is code. */
int
json_count_finding(struct json_object *t, const char *code)
{
	struct json_object	*a;
	const char		*c;
	size_t			 i, n;
	int			 count = 0;

	if ((a = get_array(t, "findings")) == NULL || code == NULL)
		return 0;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		c = get_string(json_object_array_get_idx(a, i), "code");
		if (c != NULL && strcmp(c, code) == 0)
			count++;
	}
	return count;
}

/* 1 when t has at least one finding with code. */
int
json_has_finding(struct json_object *t, const char *code)
{
	return json_count_finding(t, code) > 0;
}

/* A certificate of some file, matched by its SHA-256 hex. */
struct subset_cert {
	unsigned char	*der;		/* borrowed from a der_list */
	size_t		 len;
	char		 hex[SHA256_HEX_LEN];
};

/*
 * Gather the certificates of srcs, then write those named by prefixes,
 * in that order, as PEM to a mkstemp file under $TMPDIR (or /tmp).
 */
char *
pem_subset_tmp(const char *const *srcs, const char *const *prefixes)
{
	struct der_list	*lists;
	struct subset_cert *all = NULL, *hit;
	unsigned char	 md[SHA256_LEN], *buf;
	gnutls_datum_t	 der, pem;
	const char	*tmpdir = getenv("TMPDIR");
	char		 err[ERRBUF_LEN], *path;
	size_t		 nsrc, nall = 0, allcap = 0, len, i, j, k, plen;
	FILE		*fp;
	int		 fd;

	for (nsrc = 0; srcs[nsrc] != NULL; nsrc++)
		continue;
	lists = calloc(nsrc + 1, sizeof(*lists));
	cr_assert_not_null(lists, "out of memory");
	for (i = 0; i < nsrc; i++) {
		if (file_read_all(srcs[i], &buf, &len, err, sizeof(err)) == -1)
			cr_assert_fail("%s: %s", srcs[i], err);
		cr_assert_eq(pem_decode(buf, len, &lists[i]), 0,
		    "%s: pem_decode ran out of memory", srcs[i]);
		free(buf);
		for (j = 0; j < lists[i].n; j++) {
			cr_assert(array_reserve(&all, &allcap, nall + 1,
			    sizeof(*all)) == 0, "out of memory");
			all[nall].der = lists[i].v[j].der;
			all[nall].len = lists[i].v[j].len;
			cr_assert(sha256(all[nall].der, all[nall].len, md) == 0,
			    "sha256 failed");
			hex_encode(md, SHA256_LEN, all[nall].hex);
			nall++;
		}
	}

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	plen = strlen(tmpdir) + sizeof("/chainaudit-test-XXXXXX.pem");
	cr_assert_not_null(path = malloc(plen), "out of memory");
	snprintf(path, plen, "%s/chainaudit-test-XXXXXX.pem", tmpdir);
	cr_assert((fd = mkstemps(path, 4)) != -1, "mkstemps %s: %s", path,
	    strerror(errno));
	cr_assert_not_null(fp = fdopen(fd, "w"), "fdopen: %s",
	    strerror(errno));

	for (i = 0; prefixes[i] != NULL; i++) {
		plen = strlen(prefixes[i]);
		hit = NULL;
		for (k = 0; k < nall; k++) {
			if (strncmp(all[k].hex, prefixes[i], plen) != 0)
				continue;
			cr_assert(hit == NULL || strcmp(hit->hex,
			    all[k].hex) == 0, "certificate prefix %s is "
			    "ambiguous: %s and %s", prefixes[i], hit->hex,
			    all[k].hex);
			hit = &all[k];
		}
		cr_assert_not_null(hit, "no certificate %s in the files given",
		    prefixes[i]);
		der.data = hit->der;
		der.size = (unsigned int)hit->len;
		cr_assert(gnutls_pem_base64_encode2("CERTIFICATE", &der,
		    &pem) == 0, "PEM encoding failed");
		cr_assert(fwrite(pem.data, 1, pem.size, fp) == pem.size,
		    "%s: write failed", path);
		gnutls_free(pem.data);
	}
	cr_assert(fclose(fp) == 0, "%s: %s", path, strerror(errno));

	for (i = 0; i < nsrc; i++)
		der_list_free(&lists[i]);
	free(lists);
	free(all);
	return path;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted codes of t.findings[], joined with ','. */
const char *
json_finding_codes(struct json_object *t, char *buf, size_t len)
{
	struct json_object	*a;
	const char		**codes = NULL, *c;
	size_t			 i, n = 0, off = 0, cl;

	cr_assert(len > 0, "no room for finding codes");
	buf[0] = '\0';
	if ((a = get_array(t, "findings")) == NULL)
		return buf;
	n = json_object_array_length(a);
	if (n == 0)
		return buf;
	codes = calloc(n, sizeof(*codes));
	cr_assert_not_null(codes, "out of memory");
	for (i = 0; i < n; i++) {
		c = get_string(json_object_array_get_idx(a, i), "code");
		codes[i] = c != NULL ? c : "(no code)";
	}
	qsort(codes, n, sizeof(*codes), cmp_str);
	for (i = 0; i < n; i++) {
		cl = strlen(codes[i]);
		cr_assert(off + cl + 2 <= len, "finding codes overflow %zu "
		    "bytes", len);
		if (i > 0)
			buf[off++] = ',';
		memcpy(buf + off, codes[i], cl);
		off += cl;
		buf[off] = '\0';
	}
	free(codes);
	return buf;
}

/* ---- SQLite ----------------------------------------------------------- */

sqlite3 *
db_open_rw(const char *path)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK, "%s", path);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

void
db_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK,
	    "%s: %s", sql, msg);
}

char *
db_dump(const char *path, const char *sql)
{
	sqlite3 *db = db_open_rw(path);
	sqlite3_stmt *st;
	const unsigned char *t;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int i;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			t = sqlite3_column_text(st, i);
			fprintf(fp, "%s%s", i ? "|" : "",
			    t != NULL ? (const char *)t : "NULL");
		}
		fputc('\n', fp);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(fp);
	return buf;
}

/*
 * The database scans' command line; see testlib.h.
 */
void
demo_scan_args(const char **argv, const char *db, const char *const *extra)
{
	static char roots[3][512];
	const char *src = getenv("CHAINAUDIT_SRCDIR");
	size_t n = 0, i;

	snprintf(roots[0], sizeof(roots[0]), "%s",
	    fixture_path("ca/root-rsa.pem"));
	snprintf(roots[1], sizeof(roots[1]), "%s",
	    fixture_path("ca/root-ec.pem"));
	snprintf(roots[2], sizeof(roots[2]), "%s/db/demo-distrust.tsv",
	    src != NULL ? src : ".");
	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = roots[0];
	argv[n++] = "--ca-file";
	argv[n++] = roots[1];
	argv[n++] = "--distrust";
	argv[n++] = roots[2];
	argv[n++] = "--db";
	argv[n++] = db;
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
}

void
run_demo_scan(struct run_result *r, const char *db, const char *const *extra)
{
	const char *argv[DEMO_SCAN_ARGS + 31];
	size_t n;

	for (n = 0; extra != NULL && extra[n] != NULL; n++)
		continue;
	cr_assert_leq(n, 30, "too many arguments");
	demo_scan_args(argv, db, extra);
	run_chainaudit(r, argv, NULL);
}

pid_t
spawn_chainaudit(const char *const *args, const char *errfile)
{
	const char *argv[DEMO_SCAN_ARGS + 32];
	const char *bin = getenv("CHAINAUDIT_BIN");
	size_t n = 0;
	pid_t pid;
	int fd;

	cr_assert_not_null(bin, "CHAINAUDIT_BIN is not set");
	argv[n++] = bin;
	while (*args != NULL && n + 1 < sizeof(argv) / sizeof(argv[0]))
		argv[n++] = *args++;
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		if (errfile != NULL)
			fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, STDERR_FILENO);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	cr_assert(pid > 0);
	return pid;
}

pid_t
spawn_demo_scan(const char *db, const char *const *extra, const char *errfile)
{
	const char *argv[DEMO_SCAN_ARGS + 31];

	demo_scan_args(argv, db, extra);
	return spawn_chainaudit(argv, errfile);
}

void
fixture_chain_sha256(const char *rel, char hex[SHA256_HEX_LEN])
{
	struct der_list l;

	fixture_decode(rel, &l);
	cr_assert_eq(chaindiff_sha256(&l, hex), 0);
	der_list_free(&l);
}

void
run_notify(struct run_result *r, const char *db, const char *const *extra)
{
	const char *argv[16];
	size_t n = 0, i;

	argv[n++] = "--db";
	argv[n++] = db;
	argv[n++] = "--notify";
	for (i = 0; extra != NULL && extra[i] != NULL; i++) {
		cr_assert_lt(n, 15, "too many arguments");
		argv[n++] = extra[i];
	}
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
}

void
tmpdir_make(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "/tmp/chainaudit-%s-XXXXXX", name);
	cr_assert_not_null(mkdtemp(dir), "mkdtemp %s", dir);
}

void
tmpdir_remove(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

struct json_object *
run_trusting(const char *root_pem, const char *at, const char *const *extra,
    const char *target, const char *suffix, struct run_result *r,
    struct json_object **t)
{
	const char *argv[40];
	struct json_object *root;
	size_t n = 0, i;

	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = root_pem;
	argv[n++] = "--at";
	argv[n++] = at;
	argv[n++] = "--format";
	argv[n++] = "json";
	for (i = 0; extra != NULL && extra[i] != NULL; i++) {
		cr_assert_lt(n, 38, "too many arguments");
		argv[n++] = extra[i];
	}
	argv[n++] = target;
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
	root = run_json(r);
	*t = json_target(root, suffix);
	cr_assert_not_null(*t, "no target %s in:\n%s\n%s", suffix, r->out,
	    r->err);
	return root;
}

const char *
json_string_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

void
db_load(const char *path, const char *srcrel)
{
	const char *src = getenv("CHAINAUDIT_SRCDIR");
	unsigned char *sql = NULL;
	char file[512], err[256];
	size_t len;
	sqlite3 *db;

	snprintf(file, sizeof(file), "%s/%s", src != NULL ? src : ".",
	    srcrel);
	cr_assert_eq(file_read_all(file, &sql, &len, err, sizeof(err)), 0,
	    "%s: %s", file, err);
	db = db_open_rw(path);
	db_exec(db, (const char *)sql);
	sqlite3_close(db);
	free(sql);
}

const char *
demo_db_make(char *path, size_t len, const char *dir, const char *name)
{
	snprintf(path, len, "%s/%s", dir, name);
	db_load(path, "db/demo.sql");
	return path;
}
