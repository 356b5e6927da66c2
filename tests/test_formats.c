/*
 * test_formats.c: every report format of the built program on one fixed
 * run (tests/golden/ARGS): golden files, validation against the SARIF
 * 2.1.0 and JUnit schemas and chainaudit's own JSON Schema, a CSV round
 * trip, the HTML page rendered in headless Chromium; then destinations
 * that cannot be written, and the helpers the writers share.
 *
 * Validators are outside programs (python3 with jsonschema, xmllint,
 * chromium); a test whose program is missing skips and says which
 * Debian package provides it.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "audit.h"
#include "certkit.h"
#include "progress.h"
#include "report.h"
#include "testlib.h"
#include "util.h"

#define MAX_ARGS	64
#define NFORMATS	7

static const char *const formats[NFORMATS] = {
	"text", "json", "jsonl", "csv", "sarif", "junit", "html",
};

/* ---- helpers ---------------------------------------------------------- */

static const char *
srcdir(void)
{
	const char	*d = getenv("CHAINAUDIT_SRCDIR");

	return d != NULL && *d != '\0' ? d : ".";
}

static const char *
bin(void)
{
	static char	 path[4096];
	const char	*b = getenv("CHAINAUDIT_BIN");
	char		 cwd[2048];

	if (b != NULL && *b != '\0')
		return b;
	/* The tests chdir to the source tree: make the default absolute. */
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return "src/chainaudit";
	snprintf(path, sizeof(path), "%s/src/chainaudit", cwd);
	return path;
}

/* The whole file, NUL-terminated (owned); NULL when it cannot be read. */
static char *
slurp(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4097) {
			cap = cap * 2 + 8192;
			cr_assert_not_null(buf = realloc(buf, cap));
		}
		if ((n = fread(buf + len, 1, cap - len - 1, fp)) == 0)
			break;
		len += n;
	}
	fclose(fp);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/* s with every from replaced by to (owned). */
static char *
replace_all(const char *s, const char *from, const char *to)
{
	size_t	 nf = strlen(from), nt = strlen(to), n = 0;
	const char *p;
	char	*out, *o;

	for (p = s; (p = strstr(p, from)) != NULL; p += nf)
		n++;
	cr_assert_not_null(out = malloc(strlen(s) + n * nt + 1));
	for (o = out, p = s; *p != '\0';) {
		if (strncmp(p, from, nf) == 0) {
			memcpy(o, to, nt);
			o += nt;
			p += nf;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* 1 when name is an executable in PATH. */
static int
have_program(const char *name)
{
	const char	*path = getenv("PATH"), *p, *e;
	char		 full[4096];

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		snprintf(full, sizeof(full), "%.*s/%s", (int)(e - p), p, name);
		if (access(full, X_OK) == 0)
			return 1;
	}
	return 0;
}

static char *
make_tmpdir(void)
{
	char	*d;

	cr_assert_not_null(d = strdup("/tmp/chainaudit-formats.XXXXXX"));
	cr_assert_not_null(mkdtemp(d), "mkdtemp: %s", strerror(errno));
	return d;
}

/* Remove the files of d (one level) and d itself. */
static void
remove_tmpdir(char *d)
{
	DIR		*dir;
	struct dirent	*de;
	char		 p[4096];

	if ((dir = opendir(d)) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", d, de->d_name);
			chmod(p, 0600);
			unlink(p);
		}
		closedir(dir);
	}
	rmdir(d);
	free(d);
}

/* Names in d, sorted and joined with ' ' into buf. */
static const char *
dir_listing(const char *d, char *buf, size_t len)
{
	struct dirent	**list;
	int		  n, i;

	buf[0] = '\0';
	n = scandir(d, &list, NULL, alphasort);
	cr_assert_geq(n, 0, "scandir %s: %s", d, strerror(errno));
	for (i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.') {
			if (buf[0] != '\0')
				strncat(buf, " ", len - strlen(buf) - 1);
			strncat(buf, list[i]->d_name, len - strlen(buf) - 1);
		}
		free(list[i]);
	}
	free(list);
	return buf;
}

/* The arguments of tests/golden/ARGS; *strings owns them. */
static size_t
golden_args(const char **argv, size_t max, char **strings)
{
	char	*s, *line, *save = NULL;
	size_t	 n = 0;

	s = slurp("tests/golden/ARGS", NULL);
	cr_assert_not_null(s, "tests/golden/ARGS: %s", strerror(errno));
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		cr_assert_lt(n, max);
		argv[n++] = line;
	}
	*strings = s;
	return n;
}

static void
to_srcdir(void)
{
	static char	 bin_path[4096];

	/* Resolve the program before leaving the build directory. */
	snprintf(bin_path, sizeof(bin_path), "%s", bin());
	if (bin_path[0] != '/') {
		char cwd[2048];

		cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
		snprintf(bin_path, sizeof(bin_path), "%s/%s", cwd, bin());
	}
	setenv("CHAINAUDIT_BIN", bin_path, 1);
	cr_assert_eq(chdir(srcdir()), 0, "chdir %s: %s", srcdir(),
	    strerror(errno));
}

/*
 * The golden run: tests/golden/ARGS with one --report per format into
 * dir (report.FORMAT) and extra arguments.  Returns the exit status.
 */
static int
golden_run(const char *dir, const char *const *extra, struct run_result *r)
{
	const char	*argv[MAX_ARGS];
	char		*strings, spec[NFORMATS][512];
	size_t		 n, i;
	int		 status;

	to_srcdir();
	n = golden_args(argv, MAX_ARGS - 2 * NFORMATS - 8, &strings);
	for (i = 0; i < NFORMATS; i++) {
		snprintf(spec[i], sizeof(spec[i]), "%s:%s/report.%s",
		    formats[i], dir, formats[i]);
		argv[n++] = "--report";
		argv[n++] = spec[i];
	}
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
	status = r->status;
	free(strings);
	return status;
}

/* dir/report.FORMAT, in a static buffer. */
static const char *
report_path(const char *dir, const char *format)
{
	static char	 p[1024];

	snprintf(p, sizeof(p), "%s/report.%s", dir, format);
	return p;
}

/* ---- golden files ------------------------------------------------------ */

/* First differing line of a and b, for the failure message. */
static void
first_difference(const char *a, const char *b, char *buf, size_t len)
{
	size_t	 line = 1, i = 0, start = 0;

	while (a[i] != '\0' && a[i] == b[i]) {
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	snprintf(buf, len, "line %zu:\n  got:    %.160s\n  golden: %.160s",
	    line, a + start, b + start);
}

Test(golden, every_format_matches)
{
	struct run_result	 r;
	char			*dir = make_tmpdir(), *got, *want, *norm;
	char			 diff[512], gpath[256];
	size_t			 i;

	/* The run has an unreadable input on purpose: exit status 2. */
	cr_assert_eq(golden_run(dir, NULL, &r), 2, "exit %d, stderr:\n%s",
	    r.status, r.err);
	cr_expect_str_eq(r.err, "chainaudit: fixtures/bad/truncated.pem: "
	    "truncated PEM block (no END line) at block 1\n");
	for (i = 0; i < NFORMATS; i++) {
		got = slurp(report_path(dir, formats[i]), NULL);
		cr_assert_not_null(got, "no %s report", formats[i]);
		snprintf(gpath, sizeof(gpath), "tests/golden/report.%s",
		    formats[i]);
		want = slurp(gpath, NULL);
		cr_assert_not_null(want, "%s is missing (make golden)", gpath);
		norm = replace_all(got, PACKAGE_VERSION, "0.0.0-golden");
		if (strcmp(norm, want) != 0) {
			first_difference(norm, want, diff, sizeof(diff));
			cr_expect_fail("%s differs from %s (if the change is "
			    "meant, run make golden and review git diff): %s",
			    formats[i], gpath, diff);
		}
		free(norm);
		free(got);
		free(want);
	}
	/* stdout carries the --format text report, the same as report.text. */
	got = slurp(report_path(dir, "text"), NULL);
	cr_expect_str_eq(r.out, got);
	free(got);
	run_result_free(&r);
	remove_tmpdir(dir);
}

/* ---- schemas ------------------------------------------------------------ */

static const char validate_py[] =
"import json, sys\n"
"import jsonschema\n"
"kind, schema_path, doc_path = sys.argv[1:4]\n"
"schema = json.load(open(schema_path))\n"
"fc = jsonschema.FormatChecker()\n"
"if kind == 'sarif':\n"
"    v = jsonschema.Draft4Validator(schema, format_checker=fc)\n"
"    docs = [json.load(open(doc_path))]\n"
"elif kind == 'json':\n"
"    v = jsonschema.Draft202012Validator(schema, format_checker=fc)\n"
"    docs = [json.load(open(doc_path))]\n"
"else:\n"
"    target = {'$ref': '#/$defs/target', '$defs': schema['$defs']}\n"
"    v = jsonschema.Draft202012Validator(target, format_checker=fc)\n"
"    docs = [json.loads(l) for l in open(doc_path) if l.strip()]\n"
"    assert docs, 'no lines'\n"
"n = 0\n"
"for d in docs:\n"
"    for e in v.iter_errors(d):\n"
"        print('%s: %s at %s' % (doc_path, e.message, list(e.absolute_path)))\n"
"        n += 1\n"
"print('%d document(s), %d error(s)' % (len(docs), n))\n"
"sys.exit(1 if n else 0)\n";

static int
have_jsonschema(void)
{
	struct run_result	 r;
	static const char *const argv[] = { "-I", "-c", "import jsonschema",
		NULL };
	int			 ok;

	if (!have_program("python3"))
		return 0;
	run_program(&r, "python3", argv, NULL);
	ok = r.status == 0;
	run_result_free(&r);
	return ok;
}

static void
validate_json(const char *kind, const char *schema, const char *doc)
{
	struct run_result	 r;
	const char		*argv[] = { "-I", "-c", validate_py, kind, schema,
		doc, NULL };

	run_program(&r, "python3", argv, NULL);
	cr_expect_eq(r.status, 0, "%s does not validate against %s:\n%s%s",
	    doc, schema, r.out, r.err);
	run_result_free(&r);
}

Test(schema, sarif_json_and_jsonl_validate)
{
	struct run_result	 r;
	char			*dir, sarif[1024], json[1024], jsonl[1024];

	if (!have_jsonschema())
		cr_skip_test("python3 with jsonschema is not installed "
		    "(apt-get install python3-jsonschema)");
	dir = make_tmpdir();
	golden_run(dir, NULL, &r);
	run_result_free(&r);
	snprintf(sarif, sizeof(sarif), "%s", report_path(dir, "sarif"));
	snprintf(json, sizeof(json), "%s", report_path(dir, "json"));
	snprintf(jsonl, sizeof(jsonl), "%s", report_path(dir, "jsonl"));
	validate_json("sarif", "tests/schemas/sarif-2.1.0-subset.json", sarif);
	validate_json("json", "man/chainaudit-report.schema.json", json);
	validate_json("jsonl", "man/chainaudit-report.schema.json", jsonl);
	remove_tmpdir(dir);
}

Test(schema, junit_validates)
{
	struct run_result	 r;
	char			*dir, doc[1024];
	const char		*argv[] = { "--noout", "--schema",
		"tests/schemas/junit.xsd", doc, NULL };

	if (!have_program("xmllint"))
		cr_skip_test("xmllint is not installed "
		    "(apt-get install libxml2-utils)");
	dir = make_tmpdir();
	golden_run(dir, NULL, &r);
	run_result_free(&r);
	snprintf(doc, sizeof(doc), "%s", report_path(dir, "junit"));
	run_program(&r, "xmllint", argv, NULL);
	cr_expect_eq(r.status, 0, "JUnit report does not validate:\n%s",
	    r.err);
	run_result_free(&r);
	remove_tmpdir(dir);
}

/* The SARIF report says what the JSON report says, located. */
Test(schema, sarif_results_match_findings)
{
	struct run_result	 r;
	struct json_object	*sarif, *run, *rules, *results, *res, *v, *loc;
	char			*dir, *text;
	size_t			 i, with_position = 0;

	dir = make_tmpdir();
	golden_run(dir, NULL, &r);
	run_result_free(&r);
	text = slurp(report_path(dir, "sarif"), NULL);
	cr_assert_not_null(sarif = json_tokener_parse(text));
	run = json_object_array_get_idx(json_object_object_get(sarif, "runs"),
	    0);
	rules = json_object_object_get(json_object_object_get(
	    json_object_object_get(run, "tool"), "driver"), "rules");
	cr_assert_eq(json_object_array_length(rules), FIND__COUNT,
	    "one rule per catalog entry");
	for (i = 0; i < FIND__COUNT; i++)
		cr_expect_str_eq(json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(rules, i), "id")),
		    finding_info((enum finding_id)i)->code);
	results = json_object_object_get(run, "results");
	/* 4 error + 2 warning + 1 info findings in the golden run. */
	cr_expect_eq(json_object_array_length(results), 7);
	for (i = 0; i < json_object_array_length(results); i++) {
		res = json_object_array_get_idx(results, i);
		loc = json_object_array_get_idx(json_object_object_get(res,
		    "locations"), 0);
		v = json_object_object_get(json_object_object_get(
		    json_object_object_get(loc, "physicalLocation"),
		    "artifactLocation"), "uri");
		cr_expect_not_null(v);
		cr_expect(strncmp(json_object_get_string(v), "fixtures/", 9) ==
		    0, "uri %s", json_object_get_string(v));
		if (json_object_object_get(loc, "logicalLocations") != NULL)
			with_position++;
	}
	cr_expect_eq(with_position, 6, "the unparseable finding has no "
	    "certificate; every other one is located in its file");
	v = json_object_array_get_idx(json_object_object_get(run,
	    "invocations"), 0);
	cr_expect_not(json_object_get_boolean(json_object_object_get(v,
	    "executionSuccessful")));
	json_object_put(sarif);
	free(text);
	remove_tmpdir(dir);
}

/* ---- CSV round trip ------------------------------------------------------ */

#define CSV_MAX_FIELDS	16

struct csv_row {
	char	*f[CSV_MAX_FIELDS];
	size_t	 n;
};

/*
 * Parse RFC 4180 text strictly: CRLF record ends, quoted fields with
 * doubled quotes.  Returns the number of rows in rows (fields owned).
 */
static size_t
csv_parse(const char *s, struct csv_row *rows, size_t max)
{
	size_t	 nrows = 0, len;
	char	 field[4096];

	while (*s != '\0') {
		struct csv_row *row;

		cr_assert_lt(nrows, max);
		row = &rows[nrows++];
		row->n = 0;
		for (;;) {
			len = 0;
			if (*s == '"') {
				s++;
				for (;;) {
					cr_assert_neq(*s, '\0', "unterminated "
					    "quoted field");
					if (*s == '"' && s[1] == '"') {
						field[len++] = '"';
						s += 2;
					} else if (*s == '"') {
						s++;
						break;
					} else
						field[len++] = *s++;
					cr_assert_lt(len, sizeof(field));
				}
			} else {
				while (*s != ',' && *s != '\r' && *s != '\0') {
					cr_assert_neq(*s, '"', "bare quote");
					cr_assert_neq(*s, '\n', "bare LF");
					field[len++] = *s++;
					cr_assert_lt(len, sizeof(field));
				}
			}
			field[len] = '\0';
			cr_assert_lt(row->n, CSV_MAX_FIELDS);
			cr_assert_not_null(row->f[row->n++] = strdup(field));
			if (*s == ',') {
				s++;
				continue;
			}
			cr_assert(s[0] == '\r' && s[1] == '\n',
			    "record not ended by CRLF");
			s += 2;
			break;
		}
	}
	return nrows;
}

static void
csv_free(struct csv_row *rows, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < rows[i].n; j++)
			free(rows[i].f[j]);
}

Test(csv, round_trips_and_matches_json)
{
	static struct csv_row	 rows[256];
	static const char *const header[] = { "source", "host", "verdict",
		"trusted", "code", "severity", "position", "subject", "sha256",
		"message", "reference" };
	struct run_result	 r;
	struct json_object	*root, *targets, *t, *fs, *f, *e;
	char			*dir, *text, *jtext;
	size_t			 n, i, j, k, row = 1, nf;

	dir = make_tmpdir();
	golden_run(dir, NULL, &r);
	run_result_free(&r);
	text = slurp(report_path(dir, "csv"), NULL);
	jtext = slurp(report_path(dir, "json"), NULL);
	cr_assert_not_null(text);
	cr_assert_not_null(root = json_tokener_parse(jtext));
	n = csv_parse(text, rows, 256);
	cr_assert_geq(n, 1);
	cr_assert_eq(rows[0].n, sizeof(header) / sizeof(header[0]));
	for (i = 0; i < rows[0].n; i++)
		cr_expect_str_eq(rows[0].f[i], header[i]);
	targets = json_object_object_get(root, "targets");
	for (i = 0; i < json_object_array_length(targets); i++) {
		t = json_object_array_get_idx(targets, i);
		fs = json_object_object_get(t, "findings");
		nf = json_object_array_length(fs);
		e = json_object_object_get(t, "error");
		if (e != NULL && !json_object_is_type(e, json_type_null)) {
			/* An error row first, its reason in "message". */
			cr_assert_lt(row, n);
			cr_expect_str_eq(rows[row].f[2], "error");
			cr_expect_str_empty(rows[row].f[4]);
			cr_expect_str_eq(rows[row].f[9],
			    json_object_get_string(e));
			row++;
			if (nf == 0)
				continue;
		}
		for (k = 0; k < (nf > 0 ? nf : 1); k++, row++) {
			cr_assert_lt(row, n, "too few CSV rows");
			cr_assert_eq(rows[row].n, rows[0].n);
			cr_expect_str_eq(rows[row].f[0], json_object_get_string(
			    json_object_object_get(t, "source")));
			cr_expect_str_eq(rows[row].f[2], json_object_get_string(
			    json_object_object_get(t, "verdict")));
			if (nf == 0) {
				for (j = 4; j < 9; j++)
					cr_expect_str_empty(rows[row].f[j]);
				continue;
			}
			f = json_object_array_get_idx(fs, k);
			cr_expect_str_eq(rows[row].f[4], json_object_get_string(
			    json_object_object_get(f, "code")));
			cr_expect_str_eq(rows[row].f[9], json_object_get_string(
			    json_object_object_get(f, "message")));
		}
	}
	cr_expect_eq(row, n, "%zu CSV rows, %zu expected", n, row);
	csv_free(rows, n);
	json_object_put(root);
	free(text);
	free(jtext);
	remove_tmpdir(dir);
}

/* The CSV report of one audit that failed with error (owned). */
static char *
csv_of_error(const char *source, const char *error)
{
	const struct report_writer *w = report_find("csv");
	struct report_opts	 opts;
	struct report_summary	 sum;
	struct report_out	*o;
	struct audit		*a;
	char			*buf = NULL, err[128];
	size_t			 len = 0;
	FILE			*fp;

	memset(&opts, 0, sizeof(opts));
	memset(&sum, 0, sizeof(sum));
	opts.fail_on = SEV_ERROR;
	cr_assert_not_null(a = audit_error(source, "%s", error));
	cr_assert_not_null(fp = open_memstream(&buf, &len));
	cr_assert_not_null(o = report_out_stream(w, fp));
	cr_assert_eq(report_out_begin(o, &opts), 0);
	cr_assert_eq(report_out_target(o, a, 0, &opts), 0);
	cr_assert_eq(report_out_end(o, &sum, &opts), 0);
	cr_assert_eq(report_out_close(o, 1, err, sizeof(err)), 0);
	fclose(fp);
	audit_free(a);
	return buf;
}

/*
 * Hostile text survives the trip: commas and quotes as they are, CR and
 * LF shown escaped (safetext.h) so no cell spans lines.
 */
Test(csv, quotes_what_rfc4180_requires)
{
	static struct csv_row	 rows[8];
	char			*buf;

	buf = csv_of_error("dir/a,\"b\"\r\nc.pem", "bad \"input\", twice\n");
	cr_assert_eq(csv_parse(buf, rows, 8), 2, "%s", buf);
	cr_expect_str_eq(rows[1].f[0], "dir/a,\"b\"\\x0d\\x0ac.pem");
	cr_expect_str_eq(rows[1].f[2], "error");
	cr_expect_str_eq(rows[1].f[9], "bad \"input\", twice\\x0a");
	csv_free(rows, 2);
	free(buf);
}

/* ---- names that attack the reader ---------------------------------------- */

/*
 * A subject and a host name written to attack whoever opens the report:
 * a spreadsheet formula, terminal escapes (a title change, a screen
 * clear, BEL), a C1 CSI and a right-to-left override that would show
 * "exe.jpg" as "gpj.exe" reversed.
 */
#define EVIL_CN		"=HYPERLINK(\"http://evil.example/\",\"open\")" \
			"\x1b]0;owned\x07\x1b[2J\xe2\x80\xae" "gpj.exe"
#define EVIL_O		"@Evil\xc2\x9b" "31m Corp\xe2\x81\xa6"
#define EVIL_HOST	"=cmd|' /C calc'!A0\x1b[31m\xe2\x80\xae"

/* 1 when s holds a character the report must not pass on raw. */
static int
has_raw_hostile(const char *s)
{
	return strchr(s, '\x1b') != NULL || strchr(s, '\x07') != NULL ||
	    strstr(s, "\xe2\x80\xae") != NULL ||
	    strstr(s, "\xe2\x81\xa6") != NULL || strstr(s, "\xc2\x9b") != NULL;
}

/*
 * Run on file, evaluated at 2020-01-01 with nothing trusted and host
 * checked, one --report per format into dir (report.FORMAT).
 */
static void
hostile_run(struct run_result *r, const char *dir, const char *host,
    const char *file)
{
	const char	*argv[MAX_ARGS];
	char		 spec[NFORMATS][1100];
	size_t		 i, n = 0;

	argv[n++] = "--no-system-ca";
	argv[n++] = "--no-known-intermediates";
	argv[n++] = "--at";
	argv[n++] = "2020-01-01T00:00:00Z";
	argv[n++] = "-H";
	argv[n++] = host;
	argv[n++] = "--color";
	argv[n++] = "never";
	for (i = 0; i < NFORMATS; i++) {
		snprintf(spec[i], sizeof(spec[i]), "%s:%s/report.%s",
		    formats[i], dir, formats[i]);
		argv[n++] = "--report";
		argv[n++] = spec[i];
	}
	argv[n++] = file;
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
	cr_assert_eq(r->status, 1, "status %d: %s", r->status, r->err);
}

Test(hostile, names_are_shown_escaped_in_every_format)
{
	static struct csv_row	 rows[16];
	struct der_blob		 b;
	struct run_result	 r;
	char			*dir = make_tmpdir(), *out, leaf[1100];
	size_t			 i, j, n, nrows;
	FILE			*fp;

	b = certkit_der(&(struct certkit){ .cn = EVIL_CN, .org = EVIL_O,
	    .dns = { "www.example.com" } });
	snprintf(leaf, sizeof(leaf), "%s/leaf.der", dir);
	cr_assert_not_null(fp = fopen(leaf, "wb"));
	cr_assert_eq(fwrite(b.der, 1, b.len, fp), b.len);
	cr_assert_eq(fclose(fp), 0);
	free(b.der);

	hostile_run(&r, dir, EVIL_HOST, leaf);

	for (i = 0; i < NFORMATS; i++) {
		out = slurp(report_path(dir, formats[i]), NULL);
		cr_assert_not_null(out, "%s", formats[i]);
		cr_expect(!has_raw_hostile(out), "%s passes a control or "
		    "bidi character on:\n%s", formats[i], out);
		/* The override is shown, not hidden (JSON doubles the \). */
		cr_expect(strstr(out, "\\u202e") != NULL, "%s: %s",
		    formats[i], out);
		cr_expect(strstr(out, "\\x1b") != NULL, "%s: %s", formats[i],
		    out);
		if (strcmp(formats[i], "csv") == 0) {
			nrows = csv_parse(out, rows, 16);
			cr_assert_geq(nrows, 2);
			for (j = 1; j < nrows; j++) {
				cr_expect_str_eq(rows[j].f[1],
				    "'=cmd|' /C calc'!A0\\x1b[31m\\u202e");
				for (n = 0; n < rows[j].n; n++)
					cr_expect(strchr("=+-@",
					    rows[j].f[n][0]) == NULL ||
					    rows[j].f[n][0] == '\0',
					    "formula cell %s", rows[j].f[n]);
			}
			csv_free(rows, nrows);
		}
		free(out);
	}
	/* Subjects are shown whole: the C1 CSI and U+2066 of the O. */
	out = slurp(report_path(dir, "json"), NULL);
	cr_expect(strstr(out, "\\\\u009b31m Corp\\\\u2066") != NULL, "%s", out);
	free(out);
	run_result_free(&r);
	remove_tmpdir(dir);
}

/* The length of a SARIF log's tool section, which grows with the catalogue. */
static size_t
sarif_rules_size(const char *sarif)
{
	struct json_object	*root, *runs, *tool;
	size_t			 len;

	cr_assert_not_null(root = json_tokener_parse(sarif));
	cr_assert(json_object_object_get_ex(root, "runs", &runs));
	cr_assert(json_object_object_get_ex(json_object_array_get_idx(runs,
	    0), "tool", &tool));
	len = strlen(json_object_to_json_string_ext(tool,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	return len;
}

/*
 * A chain of 300 certificates (a leaf under 299 CAs, each named after the
 * next) makes a report of bounded size in every format: the path, the
 * findings' certificates and 50 more are listed, the rest counted.
 */
Test(hostile, huge_chain_is_listed_in_part)
{
	struct run_result	 r;
	struct json_object	*root, *t, *n;
	struct der_blob		 b;
	gnutls_datum_t		 der, pem;
	char			*dir = make_tmpdir(), *out, file[1100];
	char			 cn[32], issuer[32];
	size_t			 i, len;
	FILE			*fp;

	snprintf(file, sizeof(file), "%s/chain.pem", dir);
	cr_assert_not_null(fp = fopen(file, "wb"));
	for (i = 0; i < 300; i++) {
		snprintf(cn, sizeof(cn), "CA %zu", i);
		snprintf(issuer, sizeof(issuer), "CA %zu", i + 1);
		b = certkit_der(&(struct certkit){
		    .cn = i == 0 ? "www.example.com" : cn, .ca = i > 0,
		    .dns = { i == 0 ? "www.example.com" : NULL },
		    .issuer_cn = issuer });
		der.data = b.der;
		der.size = (unsigned)b.len;
		cr_assert_eq(gnutls_pem_base64_encode2("CERTIFICATE", &der,
		    &pem), 0);
		cr_assert_eq(fwrite(pem.data, 1, pem.size, fp), pem.size);
		gnutls_free(pem.data);
		free(b.der);
	}
	cr_assert_eq(fclose(fp), 0);

	hostile_run(&r, dir, "www.example.com", file);
	for (i = 0; i < NFORMATS; i++) {
		out = slurp(report_path(dir, formats[i]), &len);
		cr_assert_not_null(out, "%s", formats[i]);
		/*
		 * A few hundred bytes per certificate listed, at most, beyond
		 * SARIF's fixed rule table (one entry per catalogue code).
		 */
		if (strcmp(formats[i], "sarif") == 0)
			len -= sarif_rules_size(out);
		cr_expect_lt(len, 64 * 1024, "%s: %zu bytes", formats[i], len);
		if (strcmp(formats[i], "text") == 0)
			cr_expect_not_null(strstr(out, "  - 240 more "
			    "certificates not listed"), "%s", out);
		if (strcmp(formats[i], "json") == 0) {
			cr_assert_not_null(root = json_tokener_parse(out));
			t = json_object_array_get_idx(json_object_object_get(
			    root, "targets"), 0);
			cr_assert(json_object_object_get_ex(t,
			    "certificates_not_listed", &n), "%s", out);
			cr_expect_eq(json_object_get_int(n), 240);
			cr_expect_eq(json_object_array_length(
			    json_object_object_get(t, "certificates")), 60);
			json_object_put(root);
		}
		free(out);
	}
	run_result_free(&r);
	remove_tmpdir(dir);
}

/*
 * A leaf sent with 15 trust anchors, then the leaf 15 times more: ten
 * findings each for the anchors and the copies, then one counting the
 * rest of each, not one per certificate.
 */
Test(hostile, repeated_findings_are_counted)
{
	struct run_result	 r;
	struct json_object	*root, *t, *f;
	struct der_blob		 b[16];
	gnutls_datum_t		 der, pem;
	char			*dir = make_tmpdir(), file[1100], cas[1100];
	char			 cn[32];
	const char		*msg;
	size_t			 i, k, nroot = 0, ndup = 0;
	FILE			*fp, *ca;

	snprintf(file, sizeof(file), "%s/sent.pem", dir);
	snprintf(cas, sizeof(cas), "%s/cas.pem", dir);
	b[0] = certkit_der(&(struct certkit){ .cn = "www.example.com",
	    .dns = { "www.example.com" }, .issuer_cn = "Root 0" });
	for (i = 1; i < 16; i++) {
		snprintf(cn, sizeof(cn), "Root %zu", i - 1);
		b[i] = certkit_der(&(struct certkit){ .cn = cn, .ca = 1 });
	}
	cr_assert_not_null(fp = fopen(file, "w"));
	cr_assert_not_null(ca = fopen(cas, "w"));
	for (k = 0; k < 31; k++) {
		i = k < 16 ? k : 0;
		der.data = b[i].der;
		der.size = (unsigned)b[i].len;
		cr_assert_eq(gnutls_pem_base64_encode2("CERTIFICATE", &der,
		    &pem), 0);
		cr_assert_eq(fwrite(pem.data, 1, pem.size, fp), pem.size);
		if (k > 0 && k < 16)
			cr_assert_eq(fwrite(pem.data, 1, pem.size, ca),
			    pem.size);
		gnutls_free(pem.data);
	}
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(fclose(ca), 0);
	for (i = 0; i < 16; i++)
		free(b[i].der);

	run_chainaudit(&r, (const char *const[]){ "--no-system-ca",
	    "--ca-file", cas, "--no-known-intermediates", "--at",
	    "2020-01-01T00:00:00Z", "-f", "json", file, NULL }, NULL);
	cr_assert_not_null(root = json_tokener_parse(r.out), "%s", r.err);
	t = json_object_array_get_idx(json_object_object_get(root, "targets"),
	    0);
	for (i = 0; i < json_object_array_length(json_object_object_get(t,
	    "findings")); i++) {
		f = json_object_array_get_idx(json_object_object_get(t,
		    "findings"), i);
		msg = json_object_get_string(json_object_object_get(f,
		    "message"));
		if (strcmp(json_object_get_string(json_object_object_get(f,
		    "code")), "unnecessary-root") == 0)
			nroot++;
		else if (strcmp(json_object_get_string(json_object_object_get(
		    f, "code")), "duplicate-certificate") == 0)
			ndup++;
		else
			continue;
		if (strstr(msg, "more") != NULL)
			cr_expect(strcmp(msg, "5 more trust anchors are sent "
			    "(not listed one by one)") == 0 || strcmp(msg,
			    "5 more certificates are sent again (not listed "
			    "one by one)") == 0, "%s", msg);
	}
	cr_expect_eq(nroot, 11, "%s", r.out);
	cr_expect_eq(ndup, 11, "%s", r.out);
	json_object_put(root);
	run_result_free(&r);
	remove_tmpdir(dir);
}

/* Every character OWASP names starts a formula; each such cell is defused. */
Test(csv, formula_cells_are_neutralised)
{
	static const char *const starts[] = { "=1+2", "+1", "-1", "@SUM(A1)",
		"\t=1", "\r=1" };
	static struct csv_row	 rows[8];
	char			*buf, want[64];
	size_t			 i;

	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		buf = csv_of_error(starts[i], starts[i]);
		cr_assert_eq(csv_parse(buf, rows, 8), 2, "%s", buf);
		/* Tab and CR are shown escaped, which starts no formula. */
		if (starts[i][0] == '\t' || starts[i][0] == '\r')
			snprintf(want, sizeof(want), "\\x%02x%s",
			    starts[i][0], starts[i] + 1);
		else {
			snprintf(want, sizeof(want), "'%s", starts[i]);
			cr_expect_not_null(strstr(buf, "\"'"), "unquoted: %s",
			    buf);
		}
		cr_expect_str_eq(rows[1].f[0], want);
		cr_expect_str_eq(rows[1].f[9], want);
		csv_free(rows, 2);
		free(buf);
	}
}

/* ---- HTML in a browser --------------------------------------------------- */

/* Run headless Chromium on url with extra arguments; returns stdout. */
static char *
chromium(const char *profile, const char *const *extra)
{
	struct run_result	 r;
	const char		*argv[24];
	char			 data_dir[1100];
	size_t			 n = 0, i;
	char			*out;

	snprintf(data_dir, sizeof(data_dir), "--user-data-dir=%s", profile);
	argv[n++] = "--headless";
	argv[n++] = "--no-sandbox";
	argv[n++] = "--disable-gpu";
	argv[n++] = "--disable-quic";
	argv[n++] = "--no-first-run";
	argv[n++] = "--disable-background-networking";
	argv[n++] = "--disable-component-update";
	argv[n++] = "--disable-sync";
	argv[n++] = "--disable-dev-shm-usage";
	argv[n++] = data_dir;
	for (i = 0; extra[i] != NULL; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	run_program(&r, "chromium", argv, NULL);
	cr_assert_eq(r.status, 0, "chromium failed (%d):\n%s", r.status,
	    r.err);
	out = r.out;
	r.out = NULL;
	run_result_free(&r);
	return out;
}

/* The values of attribute attr on <tbody> elements that are shown. */
static size_t
tbody_attrs(const char *dom, const char *attr, char vals[][64], size_t max,
    size_t *hidden)
{
	const char	*p = dom, *end, *a;
	char		 key[64];
	size_t		 n = 0, len;

	*hidden = 0;
	snprintf(key, sizeof(key), " %s=\"", attr);
	while ((p = strstr(p, "<tbody class=\"target\"")) != NULL) {
		cr_assert_not_null(end = strchr(p, '>'));
		if ((a = strstr(p, " hidden")) != NULL && a < end) {
			(*hidden)++;
			p = end;
			continue;
		}
		cr_assert_not_null(a = strstr(p, key));
		cr_assert_lt(a, end);
		a += strlen(key);
		len = strcspn(a, "\"");
		cr_assert_lt(n, max);
		snprintf(vals[n++], 64, "%.*s", (int)len, a);
		p = end;
	}
	return n;
}

/* The number in <b id="id">N</b>. */
static long
dom_count(const char *dom, const char *id)
{
	char		 key[64];
	const char	*p;

	snprintf(key, sizeof(key), "id=\"%s\">", id);
	cr_assert_not_null(p = strstr(dom, key), "no #%s in the page", id);
	return strtol(p + strlen(key), NULL, 10);
}

Test(html, renders_sorts_and_filters_in_chromium, .timeout = 240)
{
	struct run_result	 r;
	char			 vals[32][64], url[1200], shot[1100], arg[1200];
	char			*dir, *profile, *dom, *png;
	size_t			 n, i, hidden, len;
	const char		*extra[6];

	if (!have_program("chromium"))
		cr_skip_test("chromium is not installed (apt-get install "
		    "chromium): the HTML report is not rendered");
	dir = make_tmpdir();
	profile = make_tmpdir();
	golden_run(dir, NULL, &r);
	run_result_free(&r);

	/* A screenshot: the page renders (look at it: make check keeps it). */
	snprintf(shot, sizeof(shot), "%s/report.png", dir);
	snprintf(arg, sizeof(arg), "--screenshot=%s", shot);
	snprintf(url, sizeof(url), "file://%s#open=all",
	    report_path(dir, "html"));
	extra[0] = arg;
	extra[1] = "--window-size=1280,2000";
	extra[2] = url;
	extra[3] = NULL;
	free(chromium(profile, extra));
	png = slurp(shot, &len);
	cr_assert_not_null(png, "no screenshot");
	cr_expect_gt(len, 10000, "screenshot of %zu bytes", len);
	cr_expect(memcmp(png, "\x89PNG", 4) == 0);
	free(png);

	/* The DOM after the page's script sorted it by leaf expiry. */
	snprintf(url, sizeof(url), "file://%s#sort=expiry",
	    report_path(dir, "html"));
	extra[0] = "--dump-dom";
	extra[1] = url;
	extra[2] = NULL;
	dom = chromium(profile, extra);
	cr_assert_not_null(strstr(dom, "data-ready=\"yes\""), "the script did "
	    "not run:\n%.2000s", dom);
	cr_expect_not_null(strstr(dom, "data-sorted=\"expiry\""));
	cr_expect_eq(dom_count(dom, "count-targets"), 8);
	cr_expect_eq(dom_count(dom, "count-pass"), 2);
	cr_expect_eq(dom_count(dom, "count-fail"), 5);
	cr_expect_eq(dom_count(dom, "count-error"), 1);
	cr_expect_eq(dom_count(dom, "count-sev-error"), 4);
	cr_expect_eq(dom_count(dom, "count-sev-warning"), 2);
	cr_expect_eq(dom_count(dom, "count-sev-info"), 1);
	cr_expect_eq(dom_count(dom, "code-expired"), 1);
	n = tbody_attrs(dom, "data-expiry", vals, 32, &hidden);
	cr_expect_eq(n, 8);
	cr_expect_eq(hidden, 0);
	/* Ascending, targets without a leaf last. */
	cr_expect_str_eq(vals[0], "2015-06-01", "expired leaf first");
	for (i = 1; i < n; i++)
		if (vals[i][0] != '\0')
			cr_expect_leq(strcmp(vals[i - 1], vals[i]), 0,
			    "row %zu (%s) sorts before row %zu (%s)", i - 1,
			    vals[i - 1], i, vals[i]);
		else
			cr_expect_eq(i, n - 1, "no-leaf row not last");
	free(dom);

	/* Sorted the other way by name, and filtered to failures. */
	snprintf(url, sizeof(url), "file://%s#sort=-source&verdict=fail",
	    report_path(dir, "html"));
	extra[1] = url;
	dom = chromium(profile, extra);
	n = tbody_attrs(dom, "data-source", vals, 32, &hidden);
	cr_expect_eq(n, 5, "fail filter shows %zu", n);
	cr_expect_eq(hidden, 3);
	cr_expect_eq(dom_count(dom, "shown"), 5);
	for (i = 1; i < n; i++)
		cr_expect_geq(strcmp(vals[i - 1], vals[i]), 0,
		    "not descending: %s, %s", vals[i - 1], vals[i]);
	free(dom);

	remove_tmpdir(profile);
	/* Keep the screenshot for people: tests/tmp is ignored by git. */
	if (mkdir("tests/tmp", 0755) == 0 || errno == EEXIST) {
		char keep[64];

		snprintf(keep, sizeof(keep), "tests/tmp/report-html.png");
		if (rename(shot, keep) != 0)
			(void)unlink(keep);
	}
	remove_tmpdir(dir);
}

Test(html, self_contained)
{
	struct run_result	 r;
	char			*dir = make_tmpdir(), *page;

	golden_run(dir, NULL, &r);
	run_result_free(&r);
	page = slurp(report_path(dir, "html"), NULL);
	cr_assert_not_null(page);
	cr_expect_null(strstr(page, "src=\""), "an external script or image");
	cr_expect_null(strstr(page, "<link"), "an external stylesheet");
	cr_expect_null(strstr(page, "url("), "a CSS url()");
	cr_expect_not_null(strstr(page, "default-src 'none'"));
	free(page);
	remove_tmpdir(dir);
}

/* ---- destinations that cannot be written ------------------------------- */

static const char *const fixture_run[] = { "--no-system-ca", "--ca-file",
	"fixtures/ca/root-rsa.pem", "--at", "2016-03-01T00:00:00Z",
	"fixtures/chains/", NULL };

/* fixture_run with extra arguments before it. */
static void
run_with(struct run_result *r, const char *const *extra)
{
	const char	*argv[MAX_ARGS];
	size_t		 n = 0, i;

	to_srcdir();
	for (i = 0; extra[i] != NULL; i++)
		argv[n++] = extra[i];
	for (i = 0; fixture_run[i] != NULL; i++)
		argv[n++] = fixture_run[i];
	argv[n] = NULL;
	run_chainaudit(r, argv, NULL);
}

Test(output, missing_directory)
{
	struct run_result	 r;
	char			*dir = make_tmpdir(), out[1100], ok[1100];
	char			 list[256];
	const char		*extra[] = { "--report", ok, "-f", "sarif", "-o",
		out, NULL };

	snprintf(out, sizeof(out), "%s/no/such/dir/r.sarif", dir);
	snprintf(ok, sizeof(ok), "csv:%s/r.csv", dir);
	run_with(&r, extra);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "r.sarif: cannot create the report: "
	    "No such file or directory"), "%s", r.err);
	cr_expect_str_empty(r.out);
	/* Nothing was audited, and the report that could be made is gone. */
	cr_expect_str_eq(dir_listing(dir, list, sizeof(list)), "");
	run_result_free(&r);
	remove_tmpdir(dir);
}

Test(output, read_only_file_is_kept)
{
	struct run_result	 r;
	char			*dir = make_tmpdir(), out[1100], spec[1200];
	char			*text, list[256];
	const char		*extra[] = { "--report", spec, NULL };
	FILE			*fp;

	snprintf(out, sizeof(out), "%s/r.xml", dir);
	snprintf(spec, sizeof(spec), "junit:%s", out);
	cr_assert_not_null(fp = fopen(out, "w"));
	fputs("precious\n", fp);
	fclose(fp);
	cr_assert_eq(chmod(out, 0444), 0);
	run_with(&r, extra);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "r.xml: cannot create the report: "
	    "Permission denied"), "%s", r.err);
	text = slurp(out, NULL);
	cr_expect_str_eq(text, "precious\n");
	cr_expect_str_eq(dir_listing(dir, list, sizeof(list)), "r.xml");
	free(text);
	run_result_free(&r);
	remove_tmpdir(dir);
}

Test(output, unknown_format)
{
	struct run_result	 r;
	const char		*extra[] = { "--report", "xml:r.xml", NULL };
	const char		*extra2[] = { "-f", "yaml", NULL };
	const char		*extra3[] = { "--report", "sarif", NULL };

	run_with(&r, extra);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "--report: 'xml' is not one of: text, "
	    "json, jsonl, csv, sarif, junit, html"), "%s", r.err);
	cr_expect_str_empty(r.out);
	run_result_free(&r);
	run_with(&r, extra2);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "--format: 'yaml' is not one of"));
	run_result_free(&r);
	run_with(&r, extra3);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "is not FORMAT:FILE"));
	run_result_free(&r);
	cr_expect_neq(access("r.xml", F_OK), 0);
}

/* Standard output on a full device. */
Test(output, full_stdout)
{
	struct run_result	 r;
	char			 cmd[2048];
	const char		*argv[] = { "-c", cmd, NULL };

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	to_srcdir();
	snprintf(cmd, sizeof(cmd), "'%s' --no-system-ca --ca-file "
	    "fixtures/ca/root-rsa.pem --at 2016-03-01T00:00:00Z "
	    "fixtures/chains/ >/dev/full", getenv("CHAINAUDIT_BIN"));
	run_program(&r, "/bin/sh", argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "chainaudit: (stdout): cannot write the "
	    "report: No space left on device\n");
	run_result_free(&r);
}

/*
 * A file system that fills up mid-report: a 16 KiB tmpfs, mounted in a
 * private user and mount namespace (unshare -rm), so no privilege is
 * needed where user namespaces are allowed; skipped where they are not.
 */
Test(output, disk_full_leaves_nothing)
{
	struct run_result	 r;
	char			*dir = make_tmpdir(), cmd[4096];
	const char		*argv[] = { "-rm", "sh", "-c", cmd, NULL };

	if (!have_program("unshare"))
		cr_skip_test("no unshare (util-linux)");
	to_srcdir();
	snprintf(cmd, sizeof(cmd), "mount -t tmpfs -o size=16k tmpfs '%s' || "
	    "exit 99; '%s' --no-system-ca --ca-file fixtures/ca/root-rsa.pem "
	    "--at 2016-03-01T00:00:00Z -f json -o '%s/r.json' --report "
	    "'html:%s/r.html' fixtures/chains/ > /dev/null; echo \"rc=$?\"; "
	    "ls -A '%s'; df -k '%s' | tail -1", dir, getenv("CHAINAUDIT_BIN"),
	    dir, dir, dir, dir);
	run_program(&r, "unshare", argv, NULL);
	if (r.status != 0) {
		run_result_free(&r);
		remove_tmpdir(dir);
		cr_skip_test("cannot mount a tmpfs in a user namespace here");
	}
	cr_expect(strncmp(r.out, "rc=2\n", 5) == 0, "out: %s", r.out);
	/* ls printed nothing: the next line is df's. */
	cr_expect(strncmp(r.out + 5, "tmpfs", 5) == 0, "left behind:\n%s",
	    r.out);
	cr_expect_not_null(strstr(r.err, "r.json: cannot write the report: "
	    "No space left on device"), "%s", r.err);
	run_result_free(&r);
	remove_tmpdir(dir);
}

/* Several reports and the summary line with --quiet, in one run. */
Test(output, quiet_prints_only_the_summary)
{
	struct run_result	 r;
	const char		*extra[] = { "-q", NULL };

	run_with(&r, extra);
	cr_expect_eq(r.status, 1);
	/* One line: "33 targets: ... info\n" (the counts are e2e's job). */
	cr_expect(strncmp(r.out, "33 targets: ", 12) == 0, "%s", r.out);
	cr_expect_eq(strchr(r.out, '\n'), r.out + strlen(r.out) - 1, "%s",
	    r.out);
	cr_expect_not_null(strstr(r.out, " info\n"), "%s", r.out);
	run_result_free(&r);
}

/* ---- shared helpers -------------------------------------------------- */

Test(helpers, location_of_each_kind_of_source)
{
	struct audit		 a;
	struct audit_tls	 tls;
	struct report_loc	 loc;

	memset(&a, 0, sizeof(a));
	a.source = "certs/site.pem";
	report_location(&a, &loc);
	cr_expect_eq(loc.kind, LOC_FILE);
	cr_expect_str_eq(loc.uri, "certs/site.pem");
	cr_expect_eq(loc.entry, 0);

	a.source = "ca/bundle.pem#12";
	a.bundle_entry = 1;
	report_location(&a, &loc);
	cr_expect_eq(loc.kind, LOC_FILE);
	cr_expect_str_eq(loc.uri, "ca/bundle.pem");
	cr_expect_eq(loc.entry, 12);

	a.source = "odd#name.pem";	/* a '#' in a name, not a bundle */
	a.bundle_entry = 0;
	report_location(&a, &loc);
	cr_expect_str_eq(loc.uri, "odd#name.pem");

	a.source = "db:hosting.db:www.example.com";
	report_location(&a, &loc);
	cr_expect_eq(loc.kind, LOC_LOGICAL);
	cr_expect_str_eq(loc.uri, "www.example.com");

	memset(&tls, 0, sizeof(tls));
	tls.target = "mail.example.com:25";
	a.source = "mail.example.com:25";
	a.tls = &tls;
	report_location(&a, &loc);
	cr_expect_eq(loc.kind, LOC_LOGICAL);
	cr_expect_str_eq(loc.uri, "mail.example.com:25");
}

Test(helpers, xml_escape)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	cr_assert_not_null(fp = open_memstream(&buf, &len));
	cr_assert_eq(report_put_xml(fp, "<a href=\"x\">&'\x01\xff\xc3\xa9"
	    "\tok"), 0);
	fclose(fp);
	cr_expect_str_eq(buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
	    "\\x01\\xff\xc3\xa9\\x09ok");
	free(buf);
}

Test(helpers, sarif_uri_is_percent_encoded)
{
	const struct report_writer *w = report_find("sarif");
	struct report_opts	 opts;
	struct report_summary	 sum;
	struct report_out	*o;
	struct audit		*a;
	char			*buf = NULL, err[128];
	size_t			 len = 0;
	FILE			*fp;

	memset(&opts, 0, sizeof(opts));
	memset(&sum, 0, sizeof(sum));
	opts.fail_on = SEV_ERROR;
	opts.version = "test";
	cr_assert_not_null(a = audit_error("/srv/my certs/a%b.pem", "gone"));
	cr_assert_eq(audit_add_finding(a, FIND_UNPARSEABLE, -1, "bad"), 0);
	sum.targets = sum.errors = 1;
	cr_assert_not_null(fp = open_memstream(&buf, &len));
	cr_assert_not_null(o = report_out_stream(w, fp));
	report_out_begin(o, &opts);
	report_out_target(o, a, 0, &opts);
	report_out_end(o, &sum, &opts);
	cr_assert_eq(report_out_close(o, 1, err, sizeof(err)), 0);
	fclose(fp);
	cr_expect_not_null(strstr(buf, "\"uri\": \"file:///srv/my%20certs/"
	    "a%25b.pem\""), "%s", buf);
	cr_expect_not_null(strstr(buf, "\"executionSuccessful\": false"));
	audit_free(a);
	free(buf);
}

Test(helpers, progress_line)
{
	struct progress	 p;
	char		 line[160], *buf = NULL;
	size_t		 len = 0;
	FILE		*fp;

	cr_assert_not_null(fp = open_memstream(&buf, &len));
	progress_init(&p, fp, "files", 100.0);
	progress_set_total(&p, 1000);
	progress_step(&p, 250, 7, 110.0);
	progress_format(&p, 110.0, line, sizeof(line));
	cr_expect_str_eq(line, "250/1000 files, 25/s, ETA 30s, 7 findings");
	progress_step(&p, 1, 0, 110.05);	/* too soon to redraw */
	progress_finish(&p);
	fclose(fp);
	cr_expect_str_eq(buf, "\r\033[K250/1000 files, 25/s, ETA 30s, "
	    "7 findings\r\033[K");
	free(buf);

	progress_init(&p, NULL, "domains", 0);	/* disabled: counts only */
	progress_step(&p, 3, 1, 5.0);
	progress_format(&p, 5.0, line, sizeof(line));
	cr_expect_str_eq(line, "3 domains, 1/s, 1 finding");
}

/* ---- monitoring: nagios and prometheus ------------------------------------- */

/*
 * Audit the fixture chains named (NULL-ended) with the fixture root
 * trusted, at the golden run's instant, in format fmt.
 */
static void
monitor_run(struct run_result *r, const char *fmt, const char *const *chains)
{
	const char *argv[MAX_ARGS];
	static char paths[8][1024];
	char root[1024];
	size_t n = 0, i;

	snprintf(root, sizeof(root), "%s/fixtures/ca/root-rsa.pem", srcdir());
	argv[n++] = "--no-system-ca";
	argv[n++] = "--ca-file";
	argv[n++] = root;
	argv[n++] = "--at";
	argv[n++] = "2016-03-01T00:00:00Z";
	argv[n++] = "--format";
	argv[n++] = fmt;
	for (i = 0; chains[i] != NULL && i < 8; i++) {
		if (chains[i][0] == '/' || strchr(chains[i], ':') != NULL)
			snprintf(paths[i], sizeof(paths[i]), "%s", chains[i]);
		else
			snprintf(paths[i], sizeof(paths[i]),
			    "%s/fixtures/chains/%s", srcdir(), chains[i]);
		argv[n++] = paths[i];
	}
	argv[n] = NULL;
	run_program(r, bin(), argv, NULL);
}

/* One status line, then the state, the text and the perfdata. */
static void
expect_nagios(const char *const *chains, int status, const char *start,
    const char *perf)
{
	struct run_result r;
	const char *bar;

	monitor_run(&r, "nagios", chains);
	cr_expect_eq(r.status, status, "exit %d, expected %d: %s%s", r.status,
	    status, r.out, r.err);
	cr_expect(strncmp(r.out, start, strlen(start)) == 0, "%s", r.out);
	cr_expect(strchr(r.out, '\n') == r.out + r.outlen - 1,
	    "not one line: %s", r.out);
	bar = strchr(r.out, '|');
	cr_assert_not_null(bar, "no performance data: %s", r.out);
	cr_expect_null(strchr(bar + 1, '|'), "%s", r.out);
	cr_expect(strncmp(bar + 1, perf, strlen(perf)) == 0, "perfdata %s",
	    bar + 1);
	run_result_free(&r);
}

Test(monitoring, nagios_states_and_exit_statuses)
{
	expect_nagios((const char *const[]){ "good-rsa.pem", NULL }, 0,
	    "CHAINAUDIT OK - 1 target, 0 failing, 0 not audited; first "
	    "expiry 2035-01-01", "days_left=6880;;;; errors=0;;;0; "
	    "warnings=0;;;0; info=0;;;0; targets=1;;;0;\n");
	expect_nagios((const char *const[]){ "good-rsa.pem",
	    "expiring-soon.pem", NULL }, 1, "CHAINAUDIT WARNING - ",
	    "days_left=14;;;; errors=0;;;0; warnings=1;");
	/* The first expiry is the one already past: negative days. */
	expect_nagios((const char *const[]){ "expiring-soon.pem",
	    "expired.pem", NULL }, 2, "CHAINAUDIT CRITICAL - ",
	    "days_left=-274;;;; errors=1;;;0; warnings=1;");
	/* Nothing could be audited: UNKNOWN, never OK. */
	expect_nagios((const char *const[]){ "127.0.0.1:1", NULL }, 3,
	    "CHAINAUDIT UNKNOWN - 127.0.0.1:1: ", "errors=0;;;0;");
}

Test(monitoring, nagios_usage_error_is_unknown)
{
	struct run_result r;
	static const char *const argv[] = { "--format", "nagios", "--at",
		"never", "x.pem", NULL };

	run_program(&r, bin(), argv, NULL);
	cr_expect_eq(r.status, 3, "%s", r.err);
	run_result_free(&r);
}

/* The Debian python3 that has prometheus_client, or NULL. */
static const char *
prometheus_python(void)
{
	static const char *const pythons[] = { "python3", "/usr/bin/python3" };
	static const char *const argv[] = { "-c",
		"import prometheus_client.parser", NULL };
	struct run_result r;
	size_t i;
	int ok;

	for (i = 0; i < 2; i++) {
		if (pythons[i][0] != '/' && !have_program(pythons[i]))
			continue;
		if (pythons[i][0] == '/' && access(pythons[i], X_OK) != 0)
			continue;
		run_program(&r, pythons[i], argv, NULL);
		ok = r.status == 0;
		run_result_free(&r);
		if (ok)
			return pythons[i];
	}
	return NULL;
}

/* Every sample as "name{label=value,...} value", sorted, by the parser. */
static const char parse_py[] =
"import sys\n"
"from prometheus_client.parser import text_string_to_metric_families\n"
"seen = set()\n"
"out = []\n"
"for fam in text_string_to_metric_families(open(sys.argv[1]).read()):\n"
"    assert fam.name not in seen, 'family twice: ' + fam.name\n"
"    seen.add(fam.name)\n"
"    assert fam.type == 'gauge', fam.name\n"
"    assert fam.documentation, fam.name\n"
"    for s in fam.samples:\n"
"        labels = ','.join('%s=%s' % kv for kv in sorted(s.labels.items()))\n"
"        out.append('%s{%s} %g' % (s.name, labels, s.value))\n"
"print('\\n'.join(sorted(out)))\n";

Test(monitoring, prometheus_exposition_parses)
{
	const char *py = prometheus_python();
	struct run_result r, p;
	char *dir, odd[1024], prom[1024], *src, *chain;
	const char *argv[4];
	size_t len;
	FILE *fp;

	if (py == NULL)
		cr_skip_test("python3 with prometheus_client is not installed "
		    "(apt-get install python3-prometheus-client)");
	dir = make_tmpdir();
	/* A target name a label must escape: quote, backslash, newline. */
	snprintf(odd, sizeof(odd), "%s/we\"ird\\na\nme.pem", dir);
	snprintf(prom, sizeof(prom), "%s/fixtures/chains/expired.pem",
	    srcdir());
	cr_assert_not_null(chain = slurp(prom, &len));
	cr_assert_not_null(fp = fopen(odd, "w"));
	fwrite(chain, 1, len, fp);
	fclose(fp);
	free(chain);
	monitor_run(&r, "prometheus", (const char *const[]){ "good-rsa.pem",
	    "expiring-soon.pem", odd, NULL });
	cr_expect_eq(r.status, 1, "%s", r.err);
	snprintf(prom, sizeof(prom), "%s/out.prom", dir);
	cr_assert_not_null(fp = fopen(prom, "w"));
	fwrite(r.out, 1, r.outlen, fp);
	fclose(fp);
	argv[0] = "-c";
	argv[1] = parse_py;
	argv[2] = prom;
	argv[3] = NULL;
	run_program(&p, py, argv, NULL);
	cr_assert_eq(p.status, 0, "the exposition does not parse:\n%s\n%s",
	    p.err, r.out);
	src = p.out;
	cr_expect(strstr(src, "chainaudit_days_left{target=") != NULL, "%s", src);
	cr_expect(strstr(src, "expiring-soon.pem} 14\n") != NULL, "%s", src);
	cr_expect(strstr(src, "chainaudit_not_after_timestamp_seconds{target="
	    ) != NULL, "%s", src);
	cr_expect(strstr(src, "good-rsa.pem} 2.05122e+09\n") != NULL, "%s",
	    src);
	/*
	 * The label came back exactly, quote and backslash and all, the
	 * newline shown as every report shows a control character (\x0a).
	 */
	snprintf(prom, sizeof(prom), "chainaudit_findings{code=expired,"
	    "severity=error,target=%s/we\"ird\\na\\x0ame.pem} 1\n", dir);
	cr_expect(strstr(src, prom) != NULL, "no %s in:\n%s", prom, src);
	snprintf(prom, sizeof(prom), "chainaudit_verdict{target=%s/we\"ird"
	    "\\na\\x0ame.pem,verdict=fail} 1\n", dir);
	cr_expect(strstr(src, prom) != NULL, "no %s in:\n%s", prom, src);
	cr_expect(strstr(src, "chainaudit_findings_by_severity{severity="
	    "warning,target=") != NULL, "%s", src);
	cr_expect(strstr(src, "chainaudit_trusted{target=") != NULL, "%s",
	    src);
	run_result_free(&p);
	run_result_free(&r);
	remove_tmpdir(dir);
}

/* ---- SARIF from a database scan ------------------------------------------- */

/* The demo database at dir/demo.db, scanned to dir/NAME as SARIF. */
static void
demo_sarif(const char *dir, const char *db, const char *name)
{
	struct run_result r;
	char out[1024];

	snprintf(out, sizeof(out), "%s/%s", dir, name);
	run_demo_scan(&r, db, (const char *const[]){ "--at",
	    "2016-03-01T00:00:00Z", "-f", "sarif", "-o", out, NULL });
	cr_expect_eq(r.status, 2, "%s", r.err);
	run_result_free(&r);
}

/* "uri|line|fingerprint" of every result of SARIF file path, joined. */
static char *
sarif_places(const char *path)
{
	struct json_object *root, *runs, *res, *r, *v, *loc, *pl;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp;

	cr_assert_not_null(root = json_object_from_file(path), "%s", path);
	cr_assert(json_object_object_get_ex(root, "runs", &runs));
	cr_assert(json_object_object_get_ex(json_object_array_get_idx(runs,
	    0), "results", &res));
	cr_assert_gt(json_object_array_length(res), 0);
	cr_assert_not_null(fp = open_memstream(&buf, &len));
	for (i = 0; i < json_object_array_length(res); i++) {
		r = json_object_array_get_idx(res, i);
		cr_assert(json_object_object_get_ex(r, "locations", &loc));
		loc = json_object_array_get_idx(loc, 0);
		cr_assert(json_object_object_get_ex(loc, "physicalLocation",
		    &pl), "result %zu has no physicalLocation", i);
		cr_assert(json_object_object_get_ex(pl, "artifactLocation", &v));
		cr_assert(json_object_object_get_ex(v, "uri", &v));
		fprintf(fp, "%s|", json_object_get_string(v));
		cr_assert(json_object_object_get_ex(pl, "region", &v));
		cr_assert(json_object_object_get_ex(v, "startLine", &v));
		fprintf(fp, "%d|", json_object_get_int(v));
		cr_assert(json_object_object_get_ex(r, "partialFingerprints",
		    &v));
		cr_assert(json_object_object_get_ex(v, "chainauditFinding/v1",
		    &v));
		fprintf(fp, "%s\n", json_object_get_string(v));
	}
	fclose(fp);
	json_object_put(root);
	return buf;
}

/*
 * Every result of a database scan has a physical location, the database
 * file at the row's number as its line, and a fingerprint that the next
 * scan repeats; the file validates against the SARIF 2.1.0 schema.
 */
Test(schema, sarif_of_a_database_scan_locates_every_result)
{
	char *dir, db[1024], a[1024], b[1024], *pa, *pb, *sql, want[1200];
	unsigned char *text;
	size_t len;
	char err[256];
	sqlite3 *h;

	dir = make_tmpdir();
	snprintf(db, sizeof(db), "%s/demo.db", dir);
	snprintf(a, sizeof(a), "%s/db/demo.sql", srcdir());
	cr_assert_eq(file_read_all(a, &text, &len, err, sizeof(err)), 0);
	h = db_open_rw(db);
	db_exec(h, (const char *)text);
	sqlite3_close(h);
	free(text);
	demo_sarif(dir, db, "a.sarif");
	demo_sarif(dir, db, "b.sarif");
	snprintf(a, sizeof(a), "%s/a.sarif", dir);
	snprintf(b, sizeof(b), "%s/b.sarif", dir);
	pa = sarif_places(a);
	pb = sarif_places(b);
	cr_expect_str_eq(pa, pb, "fingerprints or places changed");
	/* expired.example.test is the demo's sixth row. */
	sql = db_dump(db, "SELECT id FROM chainaudit_domains WHERE domain = "
	    "'expired.example.test'");
	cr_expect_str_eq(sql, "6\n");
	free(sql);
	snprintf(want, sizeof(want), "file://%s|6|", db);
	cr_expect(strstr(pa, want) != NULL, "no %s in:\n%s", want, pa);
	free(pa);
	free(pb);
	if (have_jsonschema()) {
		/* A VPATH build runs here in the build tree: from srcdir. */
		snprintf(want, sizeof(want), "%s/tests/schemas/"
		    "sarif-2.1.0-subset.json", srcdir());
		validate_json("sarif", want, a);
	}
	remove_tmpdir(dir);
}

/* The SARIF writer's report of one audit a, parsed (owned). */
static struct json_object *
sarif_of(struct audit *a)
{
	const struct report_writer *w = report_find("sarif");
	struct report_opts opts;
	struct report_summary sum;
	struct report_out *o;
	struct json_object *root;
	char *buf = NULL, err[128];
	size_t len = 0;
	FILE *fp;

	memset(&opts, 0, sizeof(opts));
	memset(&sum, 0, sizeof(sum));
	opts.version = "test";
	opts.fail_on = SEV_ERROR;
	cr_assert_not_null(fp = open_memstream(&buf, &len));
	cr_assert_not_null(o = report_out_stream(w, fp));
	cr_assert_eq(report_out_begin(o, &opts), 0);
	cr_assert_eq(report_out_target(o, a, 0, &opts), 0);
	cr_assert_eq(report_out_end(o, &sum, &opts), 0);
	cr_assert_eq(report_out_close(o, 1, err, sizeof(err)), 0, "%s", err);
	fclose(fp);
	cr_assert_not_null(root = json_tokener_parse(buf), "%s", buf);
	free(buf);
	return root;
}

/* The first result's physical location as "uri|line". */
static void
first_place(struct json_object *root, char *out, size_t len)
{
	struct json_object *v, *pl, *region;

	cr_assert(json_object_object_get_ex(root, "runs", &v));
	cr_assert(json_object_object_get_ex(json_object_array_get_idx(v, 0),
	    "results", &v));
	cr_assert(json_object_object_get_ex(json_object_array_get_idx(v, 0),
	    "locations", &v));
	cr_assert(json_object_object_get_ex(json_object_array_get_idx(v, 0),
	    "physicalLocation", &pl));
	cr_assert(json_object_object_get_ex(pl, "artifactLocation", &v));
	cr_assert(json_object_object_get_ex(v, "uri", &v));
	cr_assert(json_object_object_get_ex(pl, "region", &region));
	cr_assert(json_object_object_get_ex(region, "startLine", &region));
	snprintf(out, len, "%s|%d", json_object_get_string(v),
	    json_object_get_int(region));
}

/*
 * The documented relative paths for what has no file: a live target is
 * live/TARGET ("://" made "/"), a PostgreSQL row postgresql/HOST/DB at
 * the row's line; no scheme a code scanning service would refuse.
 */
Test(helpers, sarif_places_what_has_no_file)
{
	struct audit a;
	struct audit_tls tls;
	struct finding f;
	struct json_object *root;
	char got[512];

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	f.id = FIND_EXPIRED;
	f.cert = -1;
	f.message = "gone";
	a.findings = &f;
	a.nfindings = 1;
	a.leaf = -1;
	memset(&tls, 0, sizeof(tls));
	tls.target = "https://www.example.com:8443/login";
	a.source = tls.target;
	a.tls = &tls;
	root = sarif_of(&a);
	first_place(root, got, sizeof(got));
	cr_expect_str_eq(got, "live/https/www.example.com:8443/login|1");
	json_object_put(root);

	a.source = "db:postgresql://db.example:5432/hosting:www.example.com";
	a.db_row = 42;
	root = sarif_of(&a);
	first_place(root, got, sizeof(got));
	cr_expect_str_eq(got, "postgresql/db.example:5432/hosting|42");
	json_object_put(root);
}
