/*
 * report_jsonl.c: JSON Lines, one target object per line, written as
 * each target finishes so a consumer can follow a long run.
 *
 * Each line is the target object of the JSON report ($defs/target in
 * man/chainaudit-report.schema.json), compact, with no head or summary
 * line: a line is a whole target, and nothing else.
 */
#include <stddef.h>
#include <stdio.h>

#include "jsonw.h"
#include "report.h"

/* Nothing precedes the first line.  Returns 0. */
int
report_jsonl_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	(void)fp;
	(void)state;
	(void)opts;
	return 0;
}

/*
 * One line: a's target object, then a newline, flushed so a pipe sees
 * it now.  Returns 0, or -1 when writing failed.
 */
int
report_jsonl_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	struct jsonw	 w;

	(void)state;
	(void)index;
	jsonw_init(&w, fp, 0);
	report_json_target_object(&w, a, opts);
	if (fputc('\n', fp) == EOF || fflush(fp) != 0)
		return -1;
	return jsonw_status(&w);
}

/* Nothing follows the last line.  Returns 0, or -1 when a write failed. */
int
report_jsonl_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	(void)state;
	(void)s;
	(void)opts;
	if (fflush(fp) != 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}
