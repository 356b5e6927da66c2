/*
 * test_util.c: util (arrays, hex, SHA-256, excerpts, time, file
 * reading), arena and source (argument expansion).
 */
#include <config.h>

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "arena.h"
#include "source.h"
#include "util.h"
#include "testlib.h"

/* ---- arrays, hex, hashing ---------------------------------------------- */

/*
 * What path.c relies on: memory handed out never moves while the arena
 * grows chunk after chunk, comes zeroed and aligned, and a grown array
 * keeps its elements.
 */
Test(arena, pointers_stay_and_grown_arrays_keep)
{
	struct arena	 a;
	unsigned char	*first[64];
	long		*v = NULL;
	size_t		 cap = 0, i, k;

	arena_init(&a, NULL, 0, 64);
	for (i = 0; i < 64; i++) {
		first[i] = arena_alloc(&a, 1, 40);
		cr_assert_not_null(first[i]);
		cr_assert_eq((uintptr_t)first[i] % _Alignof(max_align_t), 0);
		for (k = 0; k < 40; k++)
			cr_assert_eq(first[i][k], 0, "not zeroed");
		memset(first[i], (int)i, 40);
	}
	for (i = 0; i < 1000; i++) {
		cr_assert_eq(arena_grow(&a, &v, &cap, i + 1, sizeof(*v)), 0);
		cr_assert_geq(cap, i + 1);
		v[i] = (long)i * 3;
	}
	for (i = 0; i < 1000; i++)
		cr_assert_eq(v[i], (long)i * 3);
	for (i = 0; i < 64; i++)
		for (k = 0; k < 40; k++)
			cr_assert_eq(first[i][k], (unsigned char)i,
			    "allocation %zu was overwritten", i);
	/* Big enough already: nothing moves. */
	first[0] = (unsigned char *)v;
	cr_assert_eq(arena_grow(&a, &v, &cap, 10, sizeof(*v)), 0);
	cr_assert_eq((unsigned char *)v, first[0]);
	/* A size that overflows is refused, not wrapped. */
	cr_assert_null(arena_alloc(&a, SIZE_MAX / 4, 8));
	arena_free(&a);
	cr_assert_null(a.head);
	/* Empty again and usable. */
	cr_assert_not_null(arena_alloc(&a, 0, 8));
	arena_free(&a);
	arena_free(NULL);
}

/* The caller's buffer when n fit, zeroed; calloc's memory beyond. */
Test(util, small_calloc_buffer_then_heap)
{
	size_t	 buf[4], *p;

	memset(buf, 0xff, sizeof(buf));
	p = small_calloc(buf, sizeof(buf), 4, sizeof(*p));
	cr_assert_eq(p, buf);
	cr_assert_eq(p[3], 0, "not zeroed");
	small_free(p, buf);
	p = small_calloc(buf, sizeof(buf), 5, sizeof(*p));
	cr_assert_not_null(p);
	cr_assert_neq(p, buf);
	cr_assert_eq(p[4], 0);
	small_free(p, buf);
	cr_assert_null(small_calloc(buf, sizeof(buf), SIZE_MAX / 2, 4));
}

/* The caller's buffer is handed out first, then chunks; never freed. */
Test(arena, buffer_first_then_chunks)
{
	max_align_t	 space[64 / sizeof(max_align_t)];
	unsigned char	*buf = (unsigned char *)space, *p, *q;
	struct arena	 a;

	memset(space, 0xff, sizeof(space));
	arena_init(&a, space, sizeof(space), 128);
	p = arena_alloc(&a, 3, 16);
	cr_assert(p >= buf && p + 48 <= buf + sizeof(space));
	cr_assert_eq(p[47], 0, "not zeroed");
	q = arena_alloc(&a, 2, 16);	/* 32 more: beyond the buffer */
	cr_assert_not_null(q);
	cr_assert(q < buf || q >= buf + sizeof(space));
	arena_free(&a);
	/* Empty again: the buffer is the first place once more. */
	cr_assert_eq(arena_alloc(&a, 1, 8), buf);
	arena_free(&a);
}

Test(util, array_reserve_grows_and_keeps)
{
	int	*v = NULL;
	size_t	 cap = 0, i;

	cr_assert_eq(array_reserve(&v, &cap, 3, sizeof(*v)), 0);
	cr_assert_not_null(v);
	cr_assert_geq(cap, 3);
	for (i = 0; i < 3; i++)
		v[i] = (int)i + 10;
	cr_assert_eq(array_reserve(&v, &cap, 1000, sizeof(*v)), 0);
	cr_assert_geq(cap, 1000);
	for (i = 0; i < 3; i++)
		cr_assert_eq(v[i], (int)i + 10);
	/* Already big enough: nothing moves. */
	i = cap;
	cr_assert_eq(array_reserve(&v, &cap, 5, sizeof(*v)), 0);
	cr_assert_eq(cap, i);
	free(v);
}

Test(util, array_reserve_overflow_leaves_array)
{
	int	*v = NULL, *old;
	size_t	 cap = 0;

	cr_assert_eq(array_reserve(&v, &cap, 4, sizeof(*v)), 0);
	old = v;
	cr_assert_eq(array_reserve(&v, &cap, SIZE_MAX / 2, sizeof(*v)), -1);
	cr_assert_eq(v, old);
	cr_assert_geq(cap, 4);
	free(v);
}

Test(util, hex_encode)
{
	const unsigned char	 in[] = { 0x00, 0xff, 0x1a, 0xb0 };
	char			 out[2 * sizeof(in) + 1];

	hex_encode(in, sizeof(in), out);
	cr_assert_str_eq(out, "00ff1ab0");
	hex_encode(in, 0, out);
	cr_assert_str_eq(out, "");
}

Test(util, sha256_known_answers)
{
	unsigned char	 md[SHA256_LEN];
	char		 hex[SHA256_HEX_LEN];

	cr_assert_eq(sha256("abc", 3, md), 0);
	hex_encode(md, sizeof(md), hex);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	cr_assert_eq(sha256("", 0, md), 0);
	hex_encode(md, sizeof(md), hex);
	cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

Test(util, xstrdup)
{
	char	*s;

	cr_assert_null(xstrdup(NULL));
	s = xstrdup("chain");
	cr_assert_str_eq(s, "chain");
	free(s);
}

Test(util, text_excerpt)
{
	static const unsigned char junk[] = "ok\x01\x1b[2J\xff\0z\r\nnext";
	unsigned char	 longer[100];
	char		 buf[300], small[8];

	/* Control and non-ASCII bytes are escaped; a line break ends it. */
	cr_expect_str_eq(text_excerpt(junk, sizeof(junk) - 1, buf,
	    sizeof(buf)), "ok\\x01\\x1b[2J\\xff\\x00z");
	memset(longer, 'a', sizeof(longer));
	cr_expect_eq(strlen(text_excerpt(longer, sizeof(longer), buf,
	    sizeof(buf))), TEXT_EXCERPT_MAX);
	/* A small buffer is cut short, never overrun. */
	cr_expect_str_eq(text_excerpt(junk, sizeof(junk) - 1, small,
	    sizeof(small)), "ok\\x01");
	cr_expect_str_eq(text_excerpt(junk, 0, buf, sizeof(buf)), "");
}

/* ---- time -------------------------------------------------------------- */

struct time_case {
	const char	*text;
	long long	 want;
};

Test(time, parse_valid)
{
	static const struct time_case	 cases[] = {
		{ "2016-01-01T00:00:00Z",	1451606400 },
		{ "2016-01-01",			1451606400 },
		{ "2016-01-01T00:00",		1451606400 },
		{ "2016-01-01T00:00Z",		1451606400 },
		{ "2016-01-01T00:00:00",	1451606400 },
		{ "2016-01-01T00:00:00+00:00",	1451606400 },
		{ "2016-01-01 00:00:00",	1451606400 },
		{ "2016-01-01 00:00",		1451606400 },
		{ "2016-03-01T00:00:00Z",	1456790400 },
		{ "2030-01-01T00:00:00Z",	1893456000 },
		{ "2016-02-29T12:34:56Z",	1456749296 },
		{ "2000-02-29",			951782400 },
		{ "2015-12-31T23:59:59Z",	1451606399 },
		{ "1970-01-01T00:00:00Z",	0 },
		{ "1969-12-31T23:59:59Z",	-1 },
		{ "2099-12-31T23:59:59Z",	4102444799LL },
		{ "@0",				0 },
		{ "@1456790400",		1456790400 },
		{ "@-1",			-1 },
	};
	time_t	 t;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = 42;
		cr_assert_eq(time_parse_iso8601(cases[i].text, &t), 0,
		    "rejected %s", cases[i].text);
		cr_assert_eq((long long)t, cases[i].want, "%s: %lld != %lld",
		    cases[i].text, (long long)t, cases[i].want);
	}
}

Test(time, parse_invalid)
{
	static const char *const	 cases[] = {
		"", "2016", "2016-01", "16-01-01", "2016-1-01", "2016-01-1",
		"2016-13-01", "2016-00-10", "2016-01-00", "2016-01-32",
		"2016-02-30", "2015-02-29", "1900-02-29", "2016-04-31",
		"2016/01/01", "2016-01-01x", "2016-01-01T", "2016-01-01T00",
		"2016-01-01T0:00", "2016-01-01T00:0", "2016-01-01T24:00",
		"2016-01-01T00:60", "2016-01-01T00:00:60",
		"2016-01-01T00:00:0", "2016-01-01T00:00:00ZZ",
		"2016-01-01T00:00:00Z ", " 2016-01-01", "2016-01-01 ",
		"2016-01-01Z", "2016-01-01T00:00:00+01:00",
		"2016-01-01T00:00:00+00", "2016-01-01T00:00:00.5Z",
		"2016-01-01T00:00:00Zjunk", "2016-01-01junk", "+2016-01-01",
		"@", "@-", "@12a", "@ 12", "@1.5", "@99999999999999999999999",
		"now",
	};
	time_t	 t;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = 42;
		cr_assert_eq(time_parse_iso8601(cases[i], &t), -1,
		    "accepted \"%s\"", cases[i]);
		cr_assert_eq(t, 42, "\"%s\" wrote the out-parameter",
		    cases[i]);
	}
	cr_assert_eq(time_parse_iso8601(NULL, &t), -1);
}

Test(time, format_and_round_trip)
{
	static const long long	 cases[] = {
		0, 1451606400, 1456790400, 1893456000, 951782400, 4102444799LL,
	};
	char	 buf[32];
	time_t	 t;
	size_t	 i;

	time_format_iso8601(1451606400, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2016-01-01T00:00:00Z");
	time_format_iso8601(1456749296, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2016-02-29T12:34:56Z");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		time_format_iso8601((time_t)cases[i], buf, 21);
		cr_assert_eq(strlen(buf), 20);
		cr_assert_eq(time_parse_iso8601(buf, &t), 0, "%s", buf);
		cr_assert_eq((long long)t, cases[i], "%s", buf);
	}
}

/* What time_format_iso8601 printed before its own loop: the oracle. */
static void
format_by_strftime(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, outlen, "?");
}

/*
 * The hand-made calendar equals gmtime_r + strftime: every edge of its
 * range (1000-01-01, the last second of 9999, just outside both; years
 * under 1000, which strftime does not pad), every day boundary of 1600-2400 around leap days, and a
 * million random instants over years 0-9999 and beyond.  Small buffers
 * and out-of-range times take strftime's path and say the same.
 */
Test(time, format_agrees_with_strftime)
{
	static const long long edges[] = {
		-30610224000LL, -30610224001LL, -62162035200LL,
		-62167219200LL,
		253402300799LL, 253402300800LL, 253402300801LL,
		-1, 0, 1, 86399, 86400, 951782399LL, 951782400LL,
		951868800LL, 4107542400LL, -2203891200LL, -12219292800LL,
		-62135596800LL, 1LL << 40, -(1LL << 40),
	};
	char got[64], want[64];
	unsigned long long x = 88172645463325252ULL;
	long long t;
	size_t i;

	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		time_format_iso8601((time_t)edges[i], got, sizeof(got));
		format_by_strftime((time_t)edges[i], want, sizeof(want));
		cr_assert_str_eq(got, want, "t = %lld", edges[i]);
	}
	/* Midnight and the second before it, 1600-01-01 to 2400-12-31. */
	for (t = -11676096000LL; t < 13601088000LL; t += 86400) {
		time_format_iso8601((time_t)t, got, sizeof(got));
		format_by_strftime((time_t)t, want, sizeof(want));
		cr_assert_str_eq(got, want, "t = %lld", t);
		time_format_iso8601((time_t)(t - 1), got, sizeof(got));
		format_by_strftime((time_t)(t - 1), want, sizeof(want));
		cr_assert_str_eq(got, want, "t = %lld", t - 1);
	}
	for (i = 0; i < 1000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		t = (long long)(x % 330000000000ULL) - 63000000000LL;
		time_format_iso8601((time_t)t, got, sizeof(got));
		format_by_strftime((time_t)t, want, sizeof(want));
		cr_assert_str_eq(got, want, "t = %lld", t);
	}
	/* Too small for the whole text: what strftime does with it. */
	time_format_iso8601(1451606400, got, 20);
	format_by_strftime(1451606400, want, 20);
	cr_assert_str_eq(got, want);
}

/* ---- file_read_all ----------------------------------------------------- */

Test(file, reads_whole_file)
{
	unsigned char	*buf = (unsigned char *)"x";
	size_t		 len = 7;
	char		 err[ERRBUF_LEN] = "";
	struct stat	 st;
	const char	*path = fixture_path("chains/good-rsa.pem");

	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(file_read_all(path, &buf, &len, err, sizeof(err)), 0,
	    "%s", err);
	cr_assert_eq(len, (size_t)st.st_size);
	cr_assert_eq(buf[len], '\0');
	cr_assert_eq(memcmp(buf, "-----BEGIN CERTIFICATE-----", 27), 0);
	free(buf);
}

Test(file, empty_file)
{
	unsigned char	*buf = NULL;
	size_t		 len = 7;
	char		 err[ERRBUF_LEN] = "";

	cr_assert_eq(file_read_all(fixture_path("bad/empty.pem"), &buf,
	    &len, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(len, 0);
	cr_assert_not_null(buf);
	cr_assert_eq(buf[0], '\0');
	free(buf);
}

Test(file, errors_are_bare_reasons)
{
	unsigned char	*buf = (unsigned char *)"sentinel";
	size_t		 len = 7;
	char		 err[ERRBUF_LEN] = "";

	cr_assert_eq(file_read_all(fixture_path("no/such.pem"), &buf, &len,
	    err, sizeof(err)), -1);
	cr_assert_str_eq(err, "no such file or directory");
	cr_assert_str_eq((char *)buf, "sentinel");
	cr_assert_eq(len, 7);

	cr_assert_eq(file_read_all(fixture_path("bad/no-certs"), &buf, &len,
	    err, sizeof(err)), -1);
	cr_assert_str_eq(err, "is a directory");
	cr_assert_str_eq((char *)buf, "sentinel");
}

static void
feed_stdin(void)
{
	FILE	*f;

	cr_redirect_stdin();
	f = cr_get_redirected_stdin();
	fputs("from standard input\n", f);
	fclose(f);
}

Test(file, dash_reads_stdin, .init = feed_stdin)
{
	unsigned char	*buf = NULL;
	size_t		 len = 0;
	char		 err[ERRBUF_LEN] = "";

	cr_assert_eq(file_read_all("-", &buf, &len, err, sizeof(err)), 0,
	    "%s", err);
	cr_assert_eq(len, 20);
	cr_assert_str_eq((char *)buf, "from standard input\n");
	free(buf);
}

/* ---- source ------------------------------------------------------------ */

Test(source, cert_names)
{
	static const char *const	 yes[] = {
		"a.pem", "A.PEM", "x.Crt", "x.cer", "dir/x.der", "b.p7b",
		"c.P7C", "a.key.pem", "/abs/path/leaf.crt",
	};
	static const char *const	 no[] = {
		"a.key", "pem", "a.pem.bak", "README.txt", ".pem", "dir/.crt",
		"a.pem/", "x.p7", "x.pemx", "", "a.pem.d/file",
	};
	size_t	 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		cr_assert_eq(source_is_cert_name(yes[i]), 1, "%s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert_eq(source_is_cert_name(no[i]), 0, "%s", no[i]);
	cr_assert_eq(source_is_cert_name(NULL), 0);
}

static void
assert_sorted_certs(const struct path_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		cr_assert(source_is_cert_name(l->v[i]), "%s", l->v[i]);
		cr_assert_null(strstr(l->v[i], "//"), "%s", l->v[i]);
		if (i > 0)
			cr_assert_lt(strcmp(l->v[i - 1], l->v[i]), 0,
			    "%s before %s", l->v[i - 1], l->v[i]);
	}
}

static int
has_path(const struct path_list *l, const char *suffix)
{
	size_t	 i, sl = strlen(suffix), pl;

	for (i = 0; i < l->n; i++) {
		pl = strlen(l->v[i]);
		if (pl >= sl && strcmp(l->v[i] + pl - sl, suffix) == 0)
			return 1;
	}
	return 0;
}

Test(source, chains_directory)
{
	struct path_list	 l = { NULL, 0, 0 };
	char			 err[ERRBUF_LEN] = "", dir[PATH_MAX];
	DIR			*d;
	struct dirent		*de;
	size_t			 want = 0;

	snprintf(dir, sizeof(dir), "%s", fixture_path("chains"));
	cr_assert_eq(source_expand(dir, &l, err, sizeof(err)), 0, "%s", err);

	/* Every certificate-named file of the (flat) directory, once. */
	d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d)) != NULL)
		if (source_is_cert_name(de->d_name))
			want++;
	closedir(d);
	cr_assert_eq(l.n, want);
	cr_assert_geq(l.n, 30);
	assert_sorted_certs(&l);
	cr_assert(has_path(&l, "/chains/good-rsa.pem"));
	cr_assert(has_path(&l, "/chains/good-rsa-leaf.der"));
	cr_assert(has_path(&l, "/chains/good-rsa.p7b"));
	cr_assert(has_path(&l, "/chains/good-rsa.p7c"));
	cr_assert_eq(strncmp(l.v[0], dir, strlen(dir)), 0);
	path_list_free(&l);
	cr_assert_null(l.v);
	cr_assert_eq(l.n, 0);
}

Test(source, bad_directory_is_filtered_and_recursive)
{
	struct path_list	 l = { NULL, 0, 0 };
	char			 err[ERRBUF_LEN] = "";

	cr_assert_eq(source_expand(fixture_path("bad/"), &l, err,
	    sizeof(err)), 0, "%s", err);
	assert_sorted_certs(&l);
	cr_assert(has_path(&l, "/bad/empty.pem"));
	cr_assert(has_path(&l, "/bad/garbage.der"));
	cr_assert(has_path(&l, "/bad/truncated.pem"));
	cr_assert(has_path(&l, "/bad/trailing-garbage.pem"));
	cr_assert_not(has_path(&l, "garbage.bin"));
	cr_assert_not(has_path(&l, "README.txt"));
	path_list_free(&l);
}

Test(source, directory_without_certs)
{
	struct path_list	 l = { NULL, 0, 0 };
	char			 err[ERRBUF_LEN] = "";

	cr_assert_eq(source_expand("-", &l, err, sizeof(err)), 0);
	cr_assert_eq(source_expand(fixture_path("bad/no-certs"), &l, err,
	    sizeof(err)), -1);
	cr_assert_str_eq(err, "no certificate files in directory");
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0], "-");
	path_list_free(&l);
}

Test(source, missing_file)
{
	struct path_list	 l = { NULL, 0, 0 };
	char			 err[ERRBUF_LEN] = "";

	cr_assert_eq(source_expand(fixture_path("chains/nope.pem"), &l, err,
	    sizeof(err)), -1);
	cr_assert_str_eq(err, "no such file or directory");
	cr_assert_eq(l.n, 0);
	cr_assert_null(l.v);
}

Test(source, file_and_dash_pass_through_in_order)
{
	struct path_list	 l = { NULL, 0, 0 };
	char			 err[ERRBUF_LEN] = "", path[PATH_MAX];

	/* A file is taken whatever its name; the caller asked for it. */
	snprintf(path, sizeof(path), "%s", fixture_path("bad/garbage.bin"));
	cr_assert_eq(source_expand(path, &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(source_expand("-", &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(source_expand(fixture_path("chains/good-rsa.pem"), &l,
	    err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(l.n, 3);
	cr_assert_str_eq(l.v[0], path);
	cr_assert_str_eq(l.v[1], "-");
	cr_assert_str_eq(l.v[2], fixture_path("chains/good-rsa.pem"));
	path_list_free(&l);
}

static void
touch(const char *dir, const char *rel)
{
	char	 p[PATH_MAX];
	FILE	*f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	cr_assert_not_null(f, "%s", p);
	fclose(f);
}

static void
mkdir_in(const char *dir, const char *rel)
{
	char	 p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	cr_assert_eq(mkdir(p, 0700), 0, "%s", p);
}

static void
symlink_in(const char *dir, const char *target, const char *rel)
{
	char	 p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	cr_assert_eq(symlink(target, p), 0, "%s", p);
}

static void
rm_tree(const char *dir)
{
	char	 cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(source, walk_sorts_recurses_and_skips_linked_dirs)
{
	static const char *const	 want[] = {
		"A.PEM", "b/y.crt", "file-link.pem", "sub.pem/w.der",
		"z/deep/deeper/v.p7c",
	};
	struct path_list	 l = { NULL, 0, 0 };
	char			 tmpl[] = "/tmp/chainaudit-src.XXXXXX";
	char			 p[PATH_MAX];
	char			 err[ERRBUF_LEN] = "";
	char			*dir;
	size_t			 i;

	dir = mkdtemp(tmpl);
	cr_assert_not_null(dir);
	touch(dir, "A.PEM");
	touch(dir, "notes.txt");
	touch(dir, "key.key");
	mkdir_in(dir, "b");
	touch(dir, "b/y.crt");
	symlink_in(dir, "..", "b/loop");		/* a cycle */
	symlink_in(dir, "b", "dirlink.pem");		/* linked directory */
	symlink_in(dir, "b/y.crt", "file-link.pem");	/* linked file */
	symlink_in(dir, "nowhere.pem", "dangling.pem");
	symlink_in(dir, "self.pem", "self.pem");	/* link to itself */
	mkdir_in(dir, "sub.pem");
	touch(dir, "sub.pem/w.der");
	mkdir_in(dir, "z");
	mkdir_in(dir, "z/deep");
	mkdir_in(dir, "z/deep/deeper");
	touch(dir, "z/deep/deeper/v.p7c");
	mkdir_in(dir, "empty");

	cr_assert_eq(source_expand(dir, &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(l.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < l.n; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, want[i]);
		cr_assert_str_eq(l.v[i], p);
	}
	path_list_free(&l);

	/* A link to a directory named on the command line is followed. */
	snprintf(p, sizeof(p), "%s/dirlink.pem", dir);
	cr_assert_eq(source_expand(p, &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0] + strlen(p), "/y.crt");
	path_list_free(&l);

	snprintf(p, sizeof(p), "%s/empty", dir);
	cr_assert_eq(source_expand(p, &l, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "no certificate files in directory");
	rm_tree(dir);
}

Test(source, unreadable_subdirectory)
{
	struct path_list	 l = { NULL, 0, 0 };
	char			 tmpl[] = "/tmp/chainaudit-src.XXXXXX";
	char			 p[PATH_MAX];
	char			 err[ERRBUF_LEN] = "";
	char			*dir;

	/*
	 * Root reads every directory: as root (CI), the test drops to
	 * nobody first.  Criterion runs each test in a process of its own,
	 * so nothing else runs as nobody.
	 */
	if (geteuid() == 0)
		cr_assert(setgroups(0, NULL) == 0 && setgid(65534) == 0 &&
		    setuid(65534) == 0, "cannot become nobody: %s",
		    strerror(errno));
	dir = mkdtemp(tmpl);
	cr_assert_not_null(dir);
	touch(dir, "a.pem");
	mkdir_in(dir, "locked");
	snprintf(p, sizeof(p), "%s/locked", dir);
	cr_assert_eq(chmod(p, 0), 0);
	cr_assert_eq(source_expand(dir, &l, err, sizeof(err)), -1);
	cr_assert_eq(l.n, 0);
	cr_assert_not_null(strstr(err, "/locked: "), "%s", err);
	chmod(p, 0700);
	rm_tree(dir);
}

Test(util, edit_distance_and_near_misses)
{
	cr_expect_eq(edit_distance("fromat", "format"), 2);
	cr_expect_eq(edit_distance("", "abc"), 3);
	cr_expect_eq(edit_distance("kitten", "sitting"), 3);
	cr_expect_eq(edit_distance("same", "same"), 0);
	cr_expect(is_near_miss("fromat", "format"));
	cr_expect(is_near_miss("jsn", "json"));
	cr_expect(!is_near_miss("xml", "html"));
	cr_expect(!is_near_miss("json", "json"), "no suggestion for a match");
}
