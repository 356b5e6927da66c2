/*
 * report_csv.c: one row per finding, for spreadsheets and scripts.
 *
 * RFC 4180: a header row, CRLF line ends, a field quoted when it holds a
 * comma, a double quote, CR or LF, quotes inside doubled.  Cells are safe
 * to open in a spreadsheet: none starts a formula (report_csv_field).  The columns
 * (documented in chainaudit(1), CSV OUTPUT) are only ever added at the
 * end.  A target with no finding still gets one row, with the finding
 * columns empty, so every target appears; a target that could not be
 * audited has verdict "error" and its reason in "message".
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "safetext.h"

static const char *const columns[] = {
	"source", "host", "verdict", "trusted", "code", "severity",
	"position", "subject", "sha256", "message", "reference",
};

#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

/*
 * A cell a spreadsheet would take for a formula (OWASP, "CSV
 * Injection"): one that starts with = + - @, a tab or a carriage return.
 */
static int
csv_is_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

/*
 * One field, NULL empty.  Its text is shown as safetext shows it; a cell
 * that would start a formula gets a leading single quote, as OWASP
 * recommends, and is quoted; so is one holding a comma, a double quote,
 * CR or LF (RFC 4180), quotes inside doubled.
 */
void
report_csv_field(FILE *fp, const char *s, int first)
{
	char		 buf[SAFETEXT_LEN];
	const char	*p;
	int		 formula;

	if (!first)
		fputc(',', fp);
	if (s == NULL)
		return;
	s = safetext(s, buf, sizeof(buf));
	formula = csv_is_formula(s);
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

/* The header row.  Returns 0, or -1 when writing failed. */
int
report_csv_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	size_t	 i;

	(void)state;
	(void)opts;
	for (i = 0; i < NCOLUMNS; i++)
		report_csv_field(fp, columns[i], i == 0);
	fputs("\r\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* The columns every row of a target shares. */
static void
csv_target_columns(FILE *fp, const struct audit *a,
    const struct report_opts *opts)
{
	report_csv_field(fp, a->source, 1);
	report_csv_field(fp, a->host, 0);
	report_csv_field(fp, report_verdict(a, opts), 0);
	report_csv_field(fp, a->trusted ? "true" : "false", 0);
}

/*
 * One row per finding of a (one row when it has none).  Returns 0, or -1
 * when writing failed.
 */
int
report_csv_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	const struct finding		*f;
	const struct finding_info	*fi;
	const struct audit_cert		*ac;
	char				 pos[24];
	size_t				 i;

	(void)state;
	(void)index;
	if (a->nfindings == 0 || a->error != NULL) {
		csv_target_columns(fp, a, opts);
		for (i = 4; i < NCOLUMNS; i++)
			report_csv_field(fp, i == 9 ? a->error : NULL, 0);
		fputs("\r\n", fp);
	}
	for (i = 0; i < a->nfindings; i++) {
		f = &a->findings[i];
		if ((fi = finding_info(f->id)) == NULL)
			continue;
		ac = NULL;
		if (f->cert >= 0 && (size_t)f->cert < a->ncerts)
			ac = &a->certs[f->cert];
		pos[0] = '\0';
		if (ac != NULL && ac->presented_index >= 0)
			snprintf(pos, sizeof(pos), "%d",
			    ac->presented_index + 1);
		csv_target_columns(fp, a, opts);
		report_csv_field(fp, fi->code, 0);
		report_csv_field(fp, severity_name(fi->severity), 0);
		report_csv_field(fp, pos, 0);
		report_csv_field(fp, ac != NULL ? audit_cert_subject(ac) : NULL, 0);
		report_csv_field(fp, ac != NULL ? ac->sha256 : NULL, 0);
		report_csv_field(fp, f->message != NULL ? f->message : fi->title, 0);
		report_csv_field(fp, fi->reference, 0);
		fputs("\r\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}

/* Nothing follows the rows.  Returns 0, or -1 when a write failed. */
int
report_csv_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	(void)state;
	(void)s;
	(void)opts;
	if (fflush(fp) != 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}
