/*
 * report_prometheus.c: the Prometheus text exposition format (0.0.4),
 * for node_exporter's textfile collector.
 *
 * Every metric is named chainaudit_* and labelled by target; a metric's
 * samples must come together under its # HELP and # TYPE lines, so each
 * family is spooled to a temporary file of its own while targets
 * stream in and the families are written out at the end.  Label values
 * are escaped as the format says (backslash, double quote, newline).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "safetext.h"

enum family {
	FAM_NOT_AFTER,
	FAM_DAYS_LEFT,
	FAM_TRUSTED,
	FAM_VERDICT,
	FAM_BY_SEVERITY,
	FAM_FINDINGS,
	FAM__COUNT
};

static const struct {
	const char	*name;
	const char	*help;
} families[FAM__COUNT] = {
	[FAM_NOT_AFTER] = { "chainaudit_not_after_timestamp_seconds",
	    "Earliest notAfter of the certificates on the chosen path, in "
	    "Unix time." },
	[FAM_DAYS_LEFT] = { "chainaudit_days_left",
	    "Days from the evaluation time to the earliest notAfter on the "
	    "chosen path (negative: expired)." },
	[FAM_TRUSTED] = { "chainaudit_trusted",
	    "1 when a complete path to a trust anchor was found." },
	[FAM_VERDICT] = { "chainaudit_verdict",
	    "1 for the target's verdict (pass, fail or error), 0 for the "
	    "others." },
	[FAM_BY_SEVERITY] = { "chainaudit_findings_by_severity",
	    "Findings of the target by severity." },
	[FAM_FINDINGS] = { "chainaudit_findings",
	    "Findings of the target by code (chainaudit --explain CODE)." },
};

struct prom_state {
	FILE	*spool[FAM__COUNT];	/* owned */
};

void *
report_prometheus_state_new(void)
{
	struct prom_state *st;
	size_t i;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	for (i = 0; i < FAM__COUNT; i++)
		if ((st->spool[i] = tmpfile()) == NULL) {
			report_prometheus_state_free(st);
			return NULL;
		}
	return st;
}

void
report_prometheus_state_free(void *state)
{
	struct prom_state *st = state;
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < FAM__COUNT; i++)
		if (st->spool[i] != NULL)
			fclose(st->spool[i]);
	free(st);
}

/* A label value, escaped; bytes that are not text become '?'. */
static void
label_value(FILE *fp, const char *s)
{
	char shown[SAFETEXT_LEN];
	const unsigned char *p;

	/* C1 and bidirectional controls shown as \uXXXX (safetext). */
	s = safetext(s, shown, sizeof(shown));
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p < 0x20 || *p == 0x7f)
			fputc('?', fp);
		else
			fputc(*p, fp);
	}
}

/* The start of a sample: name{target="..." and an extra label or none. */
static void
sample(FILE *fp, enum family f, const char *target, const char *key,
    const char *value, const char *key2, const char *value2)
{
	fprintf(fp, "%s{target=\"", families[f].name);
	label_value(fp, target);
	fputc('"', fp);
	if (key != NULL) {
		fprintf(fp, ",%s=\"", key);
		label_value(fp, value);
		fputc('"', fp);
	}
	if (key2 != NULL) {
		fprintf(fp, ",%s=\"", key2);
		label_value(fp, value2);
		fputc('"', fp);
	}
	fputs("} ", fp);
}

int
report_prometheus_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	(void)fp;
	(void)state;
	(void)opts;
	return 0;
}

/* Spool a's samples, family by family. */
int
report_prometheus_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	static const char *const verdicts[] = { "pass", "fail", "error" };
	static const enum severity sevs[] = { SEV_ERROR, SEV_WARNING,
	    SEV_INFO };
	struct prom_state *st = state;
	const char *target = report_target_name(a), *verdict;
	size_t count[FIND__COUNT], bysev[SEV_ERROR + 1], i;
	time_t t;

	(void)fp;
	(void)index;
	memset(count, 0, sizeof(count));
	memset(bysev, 0, sizeof(bysev));
	if (report_path_not_after(a, &t)) {
		sample(st->spool[FAM_NOT_AFTER], FAM_NOT_AFTER, target, NULL,
		    NULL, NULL, NULL);
		fprintf(st->spool[FAM_NOT_AFTER], "%lld\n", (long long)t);
		sample(st->spool[FAM_DAYS_LEFT], FAM_DAYS_LEFT, target, NULL,
		    NULL, NULL, NULL);
		fprintf(st->spool[FAM_DAYS_LEFT], "%.2f\n",
		    (double)(t - opts->now) / 86400.0);
	}
	sample(st->spool[FAM_TRUSTED], FAM_TRUSTED, target, NULL, NULL, NULL,
	    NULL);
	fprintf(st->spool[FAM_TRUSTED], "%d\n", a->trusted ? 1 : 0);
	verdict = report_verdict(a, opts);
	for (i = 0; i < 3; i++) {
		sample(st->spool[FAM_VERDICT], FAM_VERDICT, target, "verdict",
		    verdicts[i], NULL, NULL);
		fprintf(st->spool[FAM_VERDICT], "%d\n",
		    strcmp(verdict, verdicts[i]) == 0);
	}
	for (i = 0; i < a->nfindings; i++) {
		count[a->findings[i].id]++;
		bysev[finding_info(a->findings[i].id)->severity]++;
	}
	for (i = 0; i < 3; i++) {
		sample(st->spool[FAM_BY_SEVERITY], FAM_BY_SEVERITY, target,
		    "severity", severity_name(sevs[i]), NULL, NULL);
		fprintf(st->spool[FAM_BY_SEVERITY], "%zu\n", bysev[sevs[i]]);
	}
	for (i = 0; i < FIND__COUNT; i++) {
		if (count[i] == 0)
			continue;
		sample(st->spool[FAM_FINDINGS], FAM_FINDINGS, target, "code",
		    finding_info((enum finding_id)i)->code, "severity",
		    severity_name(finding_info((enum finding_id)i)->severity));
		fprintf(st->spool[FAM_FINDINGS], "%zu\n", count[i]);
	}
	for (i = 0; i < FAM__COUNT; i++)
		if (ferror(st->spool[i]))
			return -1;
	return 0;
}

/* Every family: its HELP and TYPE, then its spooled samples. */
int
report_prometheus_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	struct prom_state *st = state;
	char buf[8192];
	size_t i, n;

	(void)s;
	(void)opts;
	for (i = 0; i < FAM__COUNT; i++) {
		fprintf(fp, "# HELP %s %s\n# TYPE %s gauge\n",
		    families[i].name, families[i].help, families[i].name);
		rewind(st->spool[i]);
		while ((n = fread(buf, 1, sizeof(buf), st->spool[i])) > 0)
			fwrite(buf, 1, n, fp);
		if (ferror(st->spool[i]))
			return -1;
	}
	if (fflush(fp) != 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}
