/*
 * dbhistory.c: --summary and --diff from main; see dbhistory.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbhistory.h"
#include "jsonw.h"
#include "report.h"
#include "safetext.h"
#include "store.h"
#include "util.h"

#define EXIT_TROUBLE	2

enum hist_format {
	HIST_TEXT,
	HIST_JSON,
	HIST_CSV,
};

/* What the writers share while the store walks a scan. */
struct hist {
	enum hist_format format;
	FILE		*fp;		/* borrowed: stdout */
	struct jsonw	 w;
	const char	*database;	/* borrowed: for the headers */
	/* --diff */
	int		 in_row;	/* JSON: a row's object is open */
	int		 row_state;	/* the current row's state */
	size_t		 same;		/* its unchanged findings (text) */
	int		 all;		/* --all */
	int64_t		 added, removed, changed, unchanged;
	int64_t		 new_findings, resolved, verdicts;
};

/* The CSV columns of --summary and of --diff, only ever added at the end. */
static const char *const summary_columns[] = {
	"group", "name", "severity", "findings", "rows", "failing", "errors",
};
static const char *const diff_columns[] = {
	"record", "change", "domain", "row_key", "row", "old_row", "verdict",
	"old_verdict", "issuer", "old_issuer", "chain_changed", "code",
	"severity", "certificate_sha256", "message",
};

static void
csv_header(FILE *fp, const char *const *cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		report_csv_field(fp, cols[i], i == 0);
	fputs("\r\n", fp);
}

static void
csv_int(FILE *fp, long long v, int present)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", v);
	report_csv_field(fp, present ? b : NULL, 0);
}

/* A scan's identity, as JSON members of an object under key. */
static void
json_scan(struct hist *h, const char *key, const struct store_scan *sc)
{
	jsonw_key(&h->w, key);
	jsonw_object_begin(&h->w);
	jsonw_kv_string(&h->w, "database", h->database);
	jsonw_kv_int(&h->w, "id", (long long)sc->id);
	jsonw_kv_string(&h->w, "status", sc->status);
	jsonw_kv_text(&h->w, "started", sc->started);
	jsonw_kv_time(&h->w, "evaluated_at", sc->evaluated_at);
	jsonw_kv_text(&h->w, "source", sc->source);
	jsonw_object_end(&h->w);
}

static void
text_scan(struct hist *h, const char *what, const struct store_scan *sc)
{
	char at[32];

	time_format_iso8601(sc->evaluated_at, at, sizeof(at));
	fprintf(h->fp, "%s scan %lld (%s, started %s, evaluated at %s)\n",
	    what, (long long)sc->id, sc->status, sc->started, at);
}

/* ---- --summary ---------------------------------------------------------------- */

static void
summary_code(const struct store_count *c, void *arg)
{
	struct hist *h = arg;

	switch (h->format) {
	case HIST_TEXT:
		fprintf(h->fp, "  %-28s %-8s %8lld %8lld\n", c->name,
		    c->severity, (long long)c->count, (long long)c->domains);
		break;
	case HIST_JSON:
		jsonw_object_begin(&h->w);
		jsonw_kv_string(&h->w, "code", c->name);
		jsonw_kv_string(&h->w, "severity", c->severity);
		jsonw_kv_int(&h->w, "findings", (long long)c->count);
		jsonw_kv_int(&h->w, "rows", (long long)c->domains);
		jsonw_object_end(&h->w);
		break;
	case HIST_CSV:
		report_csv_field(h->fp, "code", 1);
		report_csv_field(h->fp, c->name, 0);
		report_csv_field(h->fp, c->severity, 0);
		csv_int(h->fp, (long long)c->count, 1);
		csv_int(h->fp, (long long)c->domains, 1);
		csv_int(h->fp, 0, 0);
		csv_int(h->fp, 0, 0);
		fputs("\r\n", h->fp);
		break;
	}
}

static void
summary_issuer(const struct store_count *c, void *arg)
{
	struct hist *h = arg;
	char b[SAFETEXT_LEN];

	switch (h->format) {
	case HIST_TEXT:
		fprintf(h->fp, "  %8lld %8lld %8lld  %s\n",
		    (long long)c->count, (long long)c->domains,
		    (long long)c->errors, safetext(c->name, b, sizeof(b)));
		break;
	case HIST_JSON:
		jsonw_object_begin(&h->w);
		jsonw_kv_text(&h->w, "issuer", c->name);
		jsonw_kv_int(&h->w, "rows", (long long)c->count);
		jsonw_kv_int(&h->w, "failing", (long long)c->domains);
		jsonw_kv_int(&h->w, "errors", (long long)c->errors);
		jsonw_object_end(&h->w);
		break;
	case HIST_CSV:
		report_csv_field(h->fp, "issuer", 1);
		report_csv_field(h->fp, c->name, 0);
		report_csv_field(h->fp, NULL, 0);
		csv_int(h->fp, 0, 0);
		csv_int(h->fp, (long long)c->count, 1);
		csv_int(h->fp, (long long)c->domains, 1);
		csv_int(h->fp, (long long)c->errors, 1);
		fputs("\r\n", h->fp);
		break;
	}
}

/* Counts of scan sc by finding code and by issuing CA.  0 or -1. */
static int
write_summary(struct store *st, struct hist *h, const struct store_scan *sc,
    char *err, size_t errlen)
{
	int r;

	switch (h->format) {
	case HIST_TEXT:
		text_scan(h, "summary of", sc);
		fprintf(h->fp, "\nfindings by code:\n  %-28s %-8s %8s %8s\n",
		    "code", "severity", "findings", "rows");
		break;
	case HIST_JSON:
		jsonw_key(&h->w, "findings_by_code");
		jsonw_array_begin(&h->w);
		break;
	case HIST_CSV:
		csv_header(h->fp, summary_columns, sizeof(summary_columns) /
		    sizeof(summary_columns[0]));
		break;
	}
	if ((r = store_summary(st, sc->id, 0, summary_code, h, err,
	    errlen)) < 0)
		return -1;
	switch (h->format) {
	case HIST_TEXT:
		fprintf(h->fp, "\nrows by issuing CA:\n  %8s %8s %8s  %s\n",
		    "rows", "failing", "errors", "issuer");
		break;
	case HIST_JSON:
		jsonw_array_end(&h->w);
		jsonw_key(&h->w, "rows_by_issuer");
		jsonw_array_begin(&h->w);
		break;
	case HIST_CSV:
		break;
	}
	if (store_summary(st, sc->id, 1, summary_issuer, h, err, errlen) < 0)
		return -1;
	if (h->format == HIST_JSON)
		jsonw_array_end(&h->w);
	return 0;
}

/* ---- --diff ------------------------------------------------------------------- */

static const char *
row_change_name(int state)
{
	switch (state) {
	case 'a':
		return "added";
	case 'r':
		return "removed";
	case 'c':
		return "changed";
	default:
		return "unchanged";
	}
}

static const char *
finding_change_name(int state)
{
	return state == '+' ? "new" : state == '-' ? "resolved" : "unchanged";
}

/* Text: "[row 3, key 17]" after a row's domain. */
static void
text_row_place(FILE *fp, const struct store_change *c)
{
	char b[SAFETEXT_LEN];

	if (c->row_number > 0)
		fprintf(fp, " [row %lld", (long long)c->row_number);
	else
		fprintf(fp, " [old row %lld", (long long)c->old_row_number);
	if (c->row_key != NULL)
		fprintf(fp, ", key %s", safetext(c->row_key, b, sizeof(b)));
	fputs("]", fp);
}

/* Text: the unchanged findings of the row just shown, counted. */
static void
text_flush(struct hist *h)
{
	if (h->same > 0)
		fprintf(h->fp, "    = %zu unchanged finding%s\n", h->same,
		    h->same == 1 ? "" : "s");
	h->same = 0;
}

/* Text: a row's first character, by its state. */
static int
row_mark(int state)
{
	switch (state) {
	case 'a':
		return '+';
	case 'r':
		return '-';
	case 'c':
		return '~';
	default:
		return '=';
	}
}

static void
text_change(struct hist *h, const struct store_change *c)
{
	char b[SAFETEXT_LEN], b2[SAFETEXT_LEN];

	if (c->kind == 'f') {
		if (c->state == '=' && !h->all) {
			h->same++;
			return;
		}
		fprintf(h->fp, "    %c %-24s %-8s %s\n", c->state, c->code,
		    c->severity, safetext(c->message, b, sizeof(b)));
		return;
	}
	text_flush(h);
	fprintf(h->fp, "%c %s", row_mark(c->state),
	    safetext(c->domain, b, sizeof(b)));
	text_row_place(h->fp, c);
	if (c->state == 'a')
		fprintf(h->fp, ": new row, %s", c->verdict);
	else if (c->state == 'r')
		fprintf(h->fp, ": row removed, was %s", c->old_verdict);
	else if (strcmp(c->verdict, c->old_verdict) != 0)
		fprintf(h->fp, ": %s -> %s", c->old_verdict, c->verdict);
	else
		fprintf(h->fp, ": %s", c->verdict);
	if (c->state != 'r' && c->message != NULL && c->message[0] != '\0')
		fprintf(h->fp, " (%s)", safetext(c->message, b, sizeof(b)));
	fputc('\n', h->fp);
	if (c->chain_changed)
		fputs("    chain replaced\n", h->fp);
	if (c->state == 'c' && (c->issuer == NULL) != (c->old_issuer == NULL))
		fprintf(h->fp, "    issuing CA: %s -> %s\n",
		    c->old_issuer != NULL ? safetext(c->old_issuer, b,
		    sizeof(b)) : "(none)", c->issuer != NULL ?
		    safetext(c->issuer, b2, sizeof(b2)) : "(none)");
	else if (c->state == 'c' && c->issuer != NULL &&
	    strcmp(c->issuer, c->old_issuer) != 0)
		fprintf(h->fp, "    issuing CA: %s -> %s\n",
		    safetext(c->old_issuer, b, sizeof(b)),
		    safetext(c->issuer, b2, sizeof(b2)));
}

static void
json_change(struct hist *h, const struct store_change *c)
{
	if (c->kind == 'f') {
		jsonw_object_begin(&h->w);
		jsonw_kv_string(&h->w, "change",
		    finding_change_name(c->state));
		jsonw_kv_string(&h->w, "code", c->code);
		jsonw_kv_string(&h->w, "severity", c->severity);
		jsonw_kv_string(&h->w, "certificate_sha256", c->cert_sha256);
		jsonw_kv_text(&h->w, "message", c->message);
		jsonw_object_end(&h->w);
		return;
	}
	if (h->in_row) {
		jsonw_array_end(&h->w);
		jsonw_object_end(&h->w);
	}
	h->in_row = 1;
	jsonw_object_begin(&h->w);
	jsonw_kv_string(&h->w, "change", row_change_name(c->state));
	jsonw_kv_text(&h->w, "domain", c->domain);
	jsonw_kv_text(&h->w, "row_key", c->row_key);
	jsonw_key(&h->w, "row");
	if (c->row_number > 0)
		jsonw_int(&h->w, (long long)c->row_number);
	else
		jsonw_null(&h->w);
	jsonw_key(&h->w, "old_row");
	if (c->old_row_number > 0)
		jsonw_int(&h->w, (long long)c->old_row_number);
	else
		jsonw_null(&h->w);
	jsonw_kv_string(&h->w, "verdict", c->verdict);
	jsonw_kv_string(&h->w, "old_verdict", c->old_verdict);
	jsonw_kv_text(&h->w, "issuer", c->issuer);
	jsonw_kv_text(&h->w, "old_issuer", c->old_issuer);
	jsonw_kv_bool(&h->w, "chain_changed", c->chain_changed);
	jsonw_kv_text(&h->w, "error", c->state != 'r' ? c->message : NULL);
	jsonw_key(&h->w, "findings");
	jsonw_array_begin(&h->w);
}

static void
csv_change(struct hist *h, const struct store_change *c)
{
	FILE *fp = h->fp;
	int row = c->kind == 'r';

	report_csv_field(fp, row ? "row" : "finding", 1);
	report_csv_field(fp, row ? row_change_name(c->state) :
	    finding_change_name(c->state), 0);
	report_csv_field(fp, c->domain, 0);
	report_csv_field(fp, c->row_key, 0);
	csv_int(fp, (long long)c->row_number, c->row_number > 0);
	csv_int(fp, (long long)c->old_row_number, c->old_row_number > 0);
	report_csv_field(fp, c->verdict, 0);
	report_csv_field(fp, c->old_verdict, 0);
	report_csv_field(fp, row ? c->issuer : NULL, 0);
	report_csv_field(fp, row ? c->old_issuer : NULL, 0);
	csv_int(fp, c->chain_changed, row);
	report_csv_field(fp, c->code, 0);
	report_csv_field(fp, c->severity, 0);
	report_csv_field(fp, c->cert_sha256, 0);
	report_csv_field(fp, row && c->state == 'r' ? NULL : c->message, 0);
	fputs("\r\n", fp);
}

/* store_diff's callback: count, then write.  0, or -1 on a write error. */
static int
on_change(const struct store_change *c, void *arg)
{
	struct hist *h = arg;

	if (c->kind == 'r') {
		h->row_state = c->state;
		if (c->state == 'a')
			h->added++;
		else if (c->state == 'r')
			h->removed++;
		else if (c->state == 'c')
			h->changed++;
		if (c->state == 'c' && strcmp(c->verdict, c->old_verdict) != 0)
			h->verdicts++;
	} else if (c->state == '+')
		h->new_findings++;
	else if (c->state == '-')
		h->resolved++;
	switch (h->format) {
	case HIST_TEXT:
		text_change(h, c);
		break;
	case HIST_JSON:
		json_change(h, c);
		break;
	case HIST_CSV:
		csv_change(h, c);
		break;
	}
	return ferror(h->fp) ? -1 : 0;
}

/*
 * The scan --diff compares sc with: the latest complete scan of the
 * same table or query before it.  1 with *old, 0 after a diagnostic.
 */
static int
diff_base(struct store *st, const struct store_scan *sc,
    struct store_scan *old)
{
	char err[ERRBUF_LEN];
	int r;

	r = store_find_scan(st, FIND_SCAN_BEFORE, sc->source, NULL, sc->id,
	    old, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "chainaudit: %s\n", err);
	else if (r == 0)
		fprintf(stderr, "chainaudit: %s: --diff: no complete scan of "
		    "the same table or query before scan %lld\n",
		    store_results_name(st), (long long)sc->id);
	return r > 0;
}

/* What changed from old to sc.  0, or -1 with err. */
static int
write_diff(struct store *st, struct hist *h, const struct store_scan *sc,
    const struct store_scan *old, char *err, size_t errlen)
{
	struct store_pairing pr;
	int r;

	if (store_diff_pairing(st, sc->id, old->id, &pr, err, errlen) < 0)
		return -1;
	switch (h->format) {
	case HIST_TEXT:
		text_scan(h, "diff of", sc);
		text_scan(h, "against", old);
		if (pr.by_key)
			fputs("rows paired by row_key (the domain table's id, "
			    "or the query's row_key column)\n\n", h->fp);
		else
			fputs("rows paired by domain name and order: a scan "
			    "has rows without row_key (made before schema "
			    "version 6, or by a query without a row_key "
			    "column)\n\n", h->fp);
		break;
	case HIST_JSON:
		json_scan(h, "against", old);
		jsonw_kv_string(&h->w, "paired_by", pr.by_key ? "row_key" :
		    "domain");
		jsonw_key(&h->w, "rows");
		jsonw_array_begin(&h->w);
		break;
	case HIST_CSV:
		csv_header(h->fp, diff_columns, sizeof(diff_columns) /
		    sizeof(diff_columns[0]));
		break;
	}
	r = store_diff(st, sc->id, old->id, pr.by_key, h->all, on_change, h,
	    err, errlen);
	if (r < 0 && err[0] == '\0')
		snprintf(err, errlen, "%s: cannot write the diff",
		    store_results_name(st));
	if (r < 0)
		return -1;
	/* Rows neither added nor changed are unchanged, shown or not. */
	h->unchanged = pr.rows - h->added - h->changed;
	switch (h->format) {
	case HIST_TEXT:
		text_flush(h);
		fprintf(h->fp, "\nrows: %lld added, %lld removed, %lld "
		    "changed, %lld unchanged; findings: %lld new, %lld "
		    "resolved; verdicts: %lld changed\n",
		    (long long)h->added, (long long)h->removed,
		    (long long)h->changed, (long long)h->unchanged,
		    (long long)h->new_findings, (long long)h->resolved,
		    (long long)h->verdicts);
		break;
	case HIST_JSON:
		if (h->in_row) {
			jsonw_array_end(&h->w);
			jsonw_object_end(&h->w);
		}
		jsonw_array_end(&h->w);
		jsonw_key(&h->w, "counts");
		jsonw_object_begin(&h->w);
		jsonw_kv_int(&h->w, "rows_added", (long long)h->added);
		jsonw_kv_int(&h->w, "rows_removed", (long long)h->removed);
		jsonw_kv_int(&h->w, "rows_changed", (long long)h->changed);
		jsonw_kv_int(&h->w, "rows_unchanged",
		    (long long)h->unchanged);
		jsonw_kv_int(&h->w, "findings_new",
		    (long long)h->new_findings);
		jsonw_kv_int(&h->w, "findings_resolved",
		    (long long)h->resolved);
		jsonw_kv_int(&h->w, "verdicts_changed",
		    (long long)h->verdicts);
		jsonw_object_end(&h->w);
		break;
	case HIST_CSV:
		break;
	}
	return 0;
}

/* ---- the run ------------------------------------------------------------------ */

/*
 * The scan to read: --scan ID, which must exist, or the latest of any
 * status.  1 with *sc, or 0 after a diagnostic.
 */
static int
history_scan(struct store *st, const struct config *cfg,
    struct store_scan *sc)
{
	char err[ERRBUF_LEN];
	int r;

	r = store_find_scan(st, cfg->scan_id != 0 ? FIND_SCAN_ID :
	    FIND_SCAN_LATEST, NULL, NULL, (int64_t)cfg->scan_id, sc, err,
	    sizeof(err));
	if (r < 0)
		fprintf(stderr, "chainaudit: %s\n", err);
	else if (r == 0 && cfg->scan_id != 0)
		fprintf(stderr, "chainaudit: %s: --scan %lld: no such scan\n",
		    store_results_name(st), cfg->scan_id);
	else if (r == 0)
		fprintf(stderr, "chainaudit: %s: no scan yet (run chainaudit "
		    "--db first)\n", store_results_name(st));
	return r > 0;
}

int
dbhistory_run(const struct config *cfg)
{
	struct store *st;
	struct store_scan sc, old;
	struct hist h;
	char err[ERRBUF_LEN];
	int ret = EXIT_TROUBLE, ok;

	memset(&sc, 0, sizeof(sc));
	memset(&old, 0, sizeof(old));
	memset(&h, 0, sizeof(h));
	h.fp = stdout;
	h.all = cfg->diff_all;
	h.format = strcmp(cfg->format, "json") == 0 ? HIST_JSON :
	    strcmp(cfg->format, "csv") == 0 ? HIST_CSV : HIST_TEXT;
	if ((st = store_open(cfg->db, cfg->results, 1, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "chainaudit: %s\n", err);
		return EXIT_TROUBLE;
	}
	h.database = store_results_name(st);
	if (!history_scan(st, cfg, &sc) ||
	    (cfg->diff && !diff_base(st, &sc, &old)))
		goto out;
	err[0] = '\0';
	if (h.format == HIST_JSON) {
		jsonw_init(&h.w, h.fp, 1);
		jsonw_object_begin(&h.w);
		jsonw_kv_string(&h.w, "tool", "chainaudit");
		jsonw_kv_string(&h.w, "version", PACKAGE_VERSION);
		jsonw_kv_string(&h.w, "kind", cfg->diff ? "diff" : "summary");
		json_scan(&h, "scan", &sc);
	}
	ok = !cfg->summary || write_summary(st, &h, &sc, err,
	    sizeof(err)) == 0;
	if (ok && cfg->summary && cfg->diff)
		fputc('\n', h.fp);
	if (ok && cfg->diff)
		ok = write_diff(st, &h, &sc, &old, err, sizeof(err)) == 0;
	if (!ok) {
		fflush(h.fp);
		fprintf(stderr, "chainaudit: %s\n", err);
		goto out;
	}
	if (h.format == HIST_JSON) {
		jsonw_object_end(&h.w);
		fputc('\n', h.fp);
	}
	if (fflush(h.fp) != 0 || ferror(h.fp) ||
	    (h.format == HIST_JSON && jsonw_status(&h.w) < 0)) {
		fprintf(stderr, "chainaudit: (stdout): cannot write\n");
		goto out;
	}
	ret = 0;
out:
	store_scan_clear(&sc);
	store_scan_clear(&old);
	store_free(st);
	return ret;
}
