/*
 * test_docs.c: the interface as documented against the option table of
 * src/cli.c (cli_option), so that neither can drift: the manual's
 * SYNOPSIS and option list as groff renders them (and without a groff or
 * mandoc warning), --help (within 80 columns), and the bash and zsh
 * completion files driven by the real shells.  A tool that is missing
 * (groff, mandoc, zsh) skips its test and says so.
 */
#include <config.h>

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "cli.h"
#include "report.h"
#include "testlib.h"

static const char *
srcdir(void)
{
	const char *s = getenv("CHAINAUDIT_SRCDIR");

	return s != NULL ? s : ".";
}

/* 1 when name is an executable file in a directory of PATH. */
static int
on_path(const char *name)
{
	const char	*path = getenv("PATH"), *p, *colon;
	char		 file[4096];

	for (p = path != NULL ? path : ""; *p != '\0'; p = colon + 1) {
		colon = strchr(p, ':');
		if (colon == NULL)
			colon = p + strlen(p);
		snprintf(file, sizeof(file), "%.*s/%s", (int)(colon - p), p,
		    name);
		if (access(file, X_OK) == 0)
			return 1;
		if (*colon == '\0')
			break;
	}
	return 0;
}

/* The directory of the built program, for a PATH that finds it. */
static void
bin_dir(char *dir, size_t len)
{
	const char	*bin = getenv("CHAINAUDIT_BIN");
	char		*slash;

	cr_assert_not_null(bin, "CHAINAUDIT_BIN is not set");
	snprintf(dir, len, "%s", bin);
	cr_assert_not_null(slash = strrchr(dir, '/'));
	*slash = '\0';
}

/* 1 when word occurs in text delimited as a whole word (not a prefix). */
static int
has_word(const char *text, const char *word)
{
	const char	*p;
	size_t		 n = strlen(word);

	for (p = text; (p = strstr(p, word)) != NULL; p++)
		if ((p == text || !(isalnum((unsigned char)p[-1]) ||
		    p[-1] == '-')) && !(isalnum((unsigned char)p[n]) ||
		    p[n] == '-'))
			return 1;
	return 0;
}

/* 1 when a word "-xyz" of text bundles the short option letter. */
static int
has_short(const char *text, int letter)
{
	const char	*p;
	size_t		 n;

	for (p = text; (p = strchr(p, '-')) != NULL; p += 1) {
		if (p != text && !isspace((unsigned char)p[-1]) &&
		    p[-1] != '[')
			continue;
		n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (n > 0 && memchr(p + 1, letter, n) != NULL &&
		    !isalnum((unsigned char)p[1 + n]) && p[1 + n] != '-')
			return 1;
	}
	return 0;
}

/* 1 when "--name" or a short "-x" bundle is one of the table's. */
static int
is_option_word(const char *w, size_t n)
{
	const char	*name;
	size_t		 i, k;
	int		 letter;

	if (n >= 2 && w[1] == '-') {
		for (i = 0; (name = cli_option(i, &letter)) != NULL; i++)
			if (strlen(name) == n - 2 &&
			    strncmp(name, w + 2, n - 2) == 0)
				return 1;
		return 0;
	}
	for (k = 1; k < n; k++) {
		for (i = 0; (name = cli_option(i, &letter)) != NULL; i++)
			if (letter == w[k])
				break;
		if (name == NULL)
			return 0;
	}
	return 1;
}

/* The manual rendered by groff; skips when groff is absent. */
static void
render_manual(struct run_result *r)
{
	char	 page[4096];

	if (!on_path("groff"))
		cr_skip_test("groff is not installed (Debian: groff-base)");
	snprintf(page, sizeof(page), "%s/man/chainaudit.1", srcdir());
	run_program(r, "groff", (const char *const[]){ "-mandoc", "-Tascii",
	    "-ww", "-P-cbou", page, NULL }, NULL);
	cr_assert_eq(r->status, 0, "groff: %s", r->err);
}

/*
 * The SYNOPSIS names every option (short or long), and every word it
 * renders as an option is one: an operand set as a flag, as "-host" once
 * was, fails.  groff warns about nothing.
 */
Test(manual, synopsis_renders_every_option)
{
	struct run_result r;
	const char	*name, *start, *end, *p;
	char		*syn, dashed[64];
	size_t		 i, n;
	int		 letter;

	render_manual(&r);
	cr_expect_eq(r.errlen, 0, "groff warns:\n%s", r.err);
	cr_assert_not_null(start = strstr(r.out, "\nSYNOPSIS\n"));
	cr_assert_not_null(end = strstr(start, "\nDESCRIPTION\n"));
	syn = strndup(start, (size_t)(end - start));
	for (i = 0; (name = cli_option(i, &letter)) != NULL; i++) {
		snprintf(dashed, sizeof(dashed), "--%s", name);
		cr_expect(has_word(syn, dashed) ||
		    (letter != 0 && has_short(syn, letter)),
		    "SYNOPSIS lacks %s:%s", dashed, syn);
	}
	for (p = syn; (p = strchr(p, '-')) != NULL; p += n) {
		n = strspn(p, "-abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		if ((p > syn && !isspace((unsigned char)p[-1]) &&
		    p[-1] != '[') || n == 1)
			continue;	/* inside a word, or "-" for stdin */
		cr_expect(is_option_word(p, n), "SYNOPSIS renders '%.*s' as "
		    "an option:%s", (int)n, p, syn);
	}
	free(syn);
	run_result_free(&r);
}

/* Every option has its own entry in the option list. */
Test(manual, every_option_has_an_entry)
{
	struct run_result r;
	const char	*name;
	char		 re[256];
	regex_t		 rx;
	size_t		 i;
	int		 letter;

	render_manual(&r);
	for (i = 0; (name = cli_option(i, &letter)) != NULL; i++) {
		/* "     -f fmt, --format fmt" or "     --report fmt:file" */
		if (letter != 0)
			snprintf(re, sizeof(re), "^     (-%c[^,\n]*, )?--%s( |$)",
			    letter, name);
		else
			snprintf(re, sizeof(re), "^     --%s( |$)", name);
		cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE |
		    REG_NOSUB), 0);
		cr_expect_eq(regexec(&rx, r.out, 0, NULL, 0), 0,
		    "no entry for --%s in the manual", name);
		regfree(&rx);
	}
	run_result_free(&r);
}

/* mandoc's checker finds nothing at warning level or above. */
Test(manual, mandoc_lint_is_clean)
{
	struct run_result r;
	char		 p1[4096], p5[4096];

	if (!on_path("mandoc"))
		cr_skip_test("mandoc is not installed (Debian: mandoc)");
	snprintf(p1, sizeof(p1), "%s/man/chainaudit.1", srcdir());
	snprintf(p5, sizeof(p5), "%s/man/chainaudit-distrust.5", srcdir());
	run_program(&r, "mandoc", (const char *const[]){ "-Tlint",
	    "-Wwarning", p1, p5, NULL }, NULL);
	cr_expect_eq(r.status, 0, "mandoc -Tlint:\n%s%s", r.out, r.err);
	cr_expect_eq(r.outlen, 0, "mandoc -Tlint:\n%s", r.out);
	run_result_free(&r);
}

/* --help names every option, in lines a terminal shows whole. */
Test(help, every_option_within_80_columns)
{
	struct run_result r;
	const char	*name, *p, *nl;
	char		 dashed[64];
	size_t		 i;
	int		 letter;

	run_chainaudit(&r, (const char *const[]){ "--help", NULL }, NULL);
	cr_assert_eq(r.status, 0);
	for (i = 0; (name = cli_option(i, &letter)) != NULL; i++) {
		snprintf(dashed, sizeof(dashed), "--%s", name);
		cr_expect(has_word(r.out, dashed), "--help lacks %s", dashed);
	}
	for (p = r.out; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		cr_expect_leq(nl - p, 80, "--help line of %d columns: %.*s",
		    (int)(nl - p), (int)(nl - p), p);
	run_result_free(&r);
}

/*
 * The words a completion offered (one a line, up to a line starting
 * "-- end") hold every option of the table, long and short.
 */
static void
expect_every_option(const char *shell, const char *words)
{
	const char	*name;
	char		 w[64];
	size_t		 i;
	int		 letter;

	for (i = 0; (name = cli_option(i, &letter)) != NULL; i++) {
		snprintf(w, sizeof(w), "\n--%s\n", name);
		cr_expect_not_null(strstr(words, w), "%s does not offer --%s "
		    "in:\n%s", shell, name, words);
		snprintf(w, sizeof(w), "\n-%c\n", letter);
		cr_expect(letter == 0 || strstr(words, w) != NULL,
		    "%s does not offer -%c", shell, letter);
	}
}

/* The formats a completion offered, one a line: report_names(). */
static void
expect_formats(const char *shell, const char *words)
{
	char	 names[512], *n, *save;

	snprintf(names, sizeof(names), "%s", report_names());
	for (n = strtok_r(names, ", ", &save); n != NULL;
	    n = strtok_r(NULL, ", ", &save))
		cr_expect(has_word(words, n), "%s does not offer -f %s in:\n"
		    "%s", shell, n, words);
}

/* bash completion, with the program found on PATH as once installed. */
Test(completion, bash_offers_every_option_and_format)
{
	struct run_result r;
	char		 script[4096], dir[2048];
	const char	*sep;

	bin_dir(dir, sizeof(dir));
	snprintf(script, sizeof(script), "PATH='%s':$PATH; "
	    ". '%s/completions/chainaudit.bash'; "
	    "c() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _chainaudit; "
	    "printf '%%s\\n' \"${COMPREPLY[@]}\"; echo '-- end'; }; "
	    "echo; c chainaudit -; c chainaudit -f ''; "
	    "c chainaudit --starttls i", dir, srcdir());
	run_program(&r, "bash", (const char *const[]){ "-c", script, NULL },
	    NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(sep = strstr(r.out, "\n-- end\n"));
	expect_every_option("bash", r.out);
	expect_formats("bash", sep);
	cr_expect_not_null(strstr(sep, "-- end\nimap\n-- end\n"), "%s", sep);
	run_result_free(&r);
}

/*
 * zsh completion through zsh's own completion system in a pseudo-
 * terminal (tests/complete.zsh types the line and presses Tab).
 */
Test(completion, zsh_offers_every_option_and_format, .timeout = 60)
{
	struct run_result r;
	char		 script[4096], dir[2048], path[8192];
	const char	*sep, *old = getenv("PATH");

	if (!on_path("zsh"))
		cr_skip_test("zsh is not installed (Debian: zsh): the zsh "
		    "completion is not tested");
	bin_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s:%s", dir, old != NULL ? old : "");
	cr_assert_eq(setenv("PATH", path, 1), 0);
	snprintf(script, sizeof(script), "%s/tests/complete.zsh", srcdir());
	snprintf(dir, sizeof(dir), "%s/completions", srcdir());
	run_program(&r, "zsh", (const char *const[]){ "-f", script, dir,
	    "chainaudit -", "chainaudit -f ", "chainaudit --explain expi",
	    NULL }, NULL);
	cr_assert_eq(r.status, 0, "complete.zsh exit %d: %s", r.status,
	    r.err);
	cr_assert_not_null(sep = strstr(r.out, "\n-- end of chainaudit -\n"),
	    "%s", r.out);
	expect_every_option("zsh", r.out);
	expect_formats("zsh", sep);
	cr_expect_not_null(strstr(sep, "\nexpiring-soon\n"), "%s", sep);
	run_result_free(&r);
}
