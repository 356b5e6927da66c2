/*
 * notify.c: --notify's shaping; see notify.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "jsonw.h"
#include "notify.h"
#include "report.h"
#include "util.h"

/* The code of a row that could not be audited (not a catalog code). */
#define NOT_AUDITED	"not-audited"

static const char *const columns[] = {
	"contact", "domain", "code", "severity", "deadline", "action",
	"certificate_sha256", "message", "row",
};

#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

/* One notice made plain: every field a string, none NULL but contact. */
struct notice {
	const char	*contact;	/* NULL: none */
	const char	*domain;
	const char	*code;
	const char	*severity;
	const char	*deadline;	/* "" : none */
	const char	*action;
	const char	*cert;		/* "" : the chain as a whole */
	const char	*message;
	char		 row[24];
	enum severity	 sev;
};

struct notify_state {
	const struct notify_opts *o;
	const struct store_scan *sc;
	FILE		*fp;
	struct jsonw	 w;
	char		 when[32];	/* the scan's evaluation instant */
	char		*contact;	/* owned: text: the group being written */
	int		 started;	/* text: a group was written */
	long		 count;
	long		 failing;	/* notices at or above --fail-on */
	int		 nomem;
};

/*
 * Whether n needs action, and its plain fields.  Findings below warning
 * need none.  The deadline is the finding's own date; an error without
 * one already breaks clients, as of the scan's evaluation.  The action
 * is the finding's stored fix, else (results written before schema
 * version 4) the catalog's advice for the code.
 */
static int
plain(const struct notify_state *ns, const struct store_notice *n,
    struct notice *out)
{
	const struct finding_info *fi = NULL;
	enum finding_id id;
	enum severity sev;

	if (n->severity == NULL || severity_parse(n->severity, &sev) < 0 ||
	    sev < SEV_WARNING)
		return 0;
	if (n->code != NULL && finding_by_code(n->code, &id) == 0)
		fi = finding_info(id);
	out->contact = n->contact;
	out->domain = n->domain != NULL ? n->domain : "";
	out->code = n->code != NULL ? n->code : NOT_AUDITED;
	out->severity = n->severity;
	out->sev = sev;
	out->deadline = n->deadline != NULL ? n->deadline :
	    sev == SEV_ERROR ? ns->when : "";
	if (n->fix != NULL)
		out->action = n->fix;
	else if (fi != NULL)
		out->action = fi->advice;
	else if (n->code == NULL)
		out->action = "The domain could not be audited (see the "
		    "message): check its stored chain, or that its server "
		    "answers, and scan again.";
	else
		out->action = "";
	out->cert = n->cert_sha256 != NULL ? n->cert_sha256 : "";
	out->message = n->message != NULL ? n->message : "";
	snprintf(out->row, sizeof(out->row), "%lld",
	    (long long)n->row_number);
	return 1;
}

/* ---- CSV ----------------------------------------------------------------- */

static void
csv_notice(FILE *fp, const struct notice *p)
{
	report_csv_field(fp, p->contact, 1);
	report_csv_field(fp, p->domain, 0);
	report_csv_field(fp, p->code, 0);
	report_csv_field(fp, p->severity, 0);
	report_csv_field(fp, p->deadline, 0);
	report_csv_field(fp, p->action, 0);
	report_csv_field(fp, p->cert, 0);
	report_csv_field(fp, p->message, 0);
	report_csv_field(fp, p->row, 0);
	fputs("\r\n", fp);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
json_notice(struct jsonw *w, const struct notice *p)
{
	jsonw_object_begin(w);
	jsonw_kv_text(w, "contact", p->contact);
	jsonw_kv_text(w, "domain", p->domain);
	jsonw_kv_int(w, "row", strtoll(p->row, NULL, 10));
	jsonw_kv_string(w, "code", p->code);
	jsonw_kv_string(w, "severity", p->severity);
	jsonw_kv_string(w, "deadline", p->deadline[0] != '\0' ? p->deadline :
	    NULL);
	jsonw_kv_text(w, "action", p->action);
	jsonw_kv_string(w, "certificate_sha256", p->cert[0] != '\0' ?
	    p->cert : NULL);
	jsonw_kv_text(w, "message", p->message);
	jsonw_object_end(w);
}

/* ---- text ---------------------------------------------------------------- */

/* s with control characters as \xNN: contacts and messages are data. */
static void
text_put(FILE *fp, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02x", *p);
		else
			fputc(*p, fp);
}

/* Start a contact's group when p's contact differs from the last. */
static int
text_group(struct notify_state *ns, const struct notice *p)
{
	const char *c = p->contact;

	if (ns->started && ((c == NULL && ns->contact == NULL) ||
	    (c != NULL && ns->contact != NULL && strcmp(c, ns->contact) == 0)))
		return 0;
	free(ns->contact);
	ns->contact = NULL;
	if (c != NULL && (ns->contact = strdup(c)) == NULL)
		return -1;
	fputs(ns->started ? "\n" : "", ns->fp);
	fputs("To: ", ns->fp);
	if (c != NULL)
		text_put(ns->fp, c);
	else
		fputs("(no contact)", ns->fp);
	fputs("\n", ns->fp);
	ns->started = 1;
	return 0;
}

static int
text_notice(struct notify_state *ns, const struct notice *p)
{
	FILE *fp = ns->fp;

	if (text_group(ns, p) < 0)
		return -1;
	fputs("\n  ", fp);
	text_put(fp, p->domain);
	fprintf(fp, ": %s (%s)", p->code, p->severity);
	if (p->deadline[0] != '\0')
		fprintf(fp, ", by %.10s", p->deadline);
	fputs("\n    ", fp);
	text_put(fp, p->message);
	fputs("\n    What to do: ", fp);
	text_put(fp, p->action);
	fputs("\n", fp);
	if (p->cert[0] != '\0')
		fprintf(fp, "    Certificate SHA-256: %s\n", p->cert);
	return 0;
}

/* ---- the walk ------------------------------------------------------------ */

static int
one(const struct store_notice *n, void *arg)
{
	struct notify_state *ns = arg;
	struct notice p;

	if (!plain(ns, n, &p))
		return 0;
	switch (ns->o->format) {
	case NOTIFY_CSV:
		csv_notice(ns->fp, &p);
		break;
	case NOTIFY_JSON:
		json_notice(&ns->w, &p);
		break;
	case NOTIFY_TEXT:
		if (text_notice(ns, &p) < 0) {
			ns->nomem = 1;
			return -1;
		}
		break;
	}
	ns->count++;
	if (!ns->o->fail_never && p.sev >= ns->o->fail_on)
		ns->failing++;
	return ferror(ns->fp) ? -1 : 0;
}

int
notify_format_parse(const char *name, enum notify_format *out)
{
	if (strcmp(name, "csv") == 0)
		*out = NOTIFY_CSV;
	else if (strcmp(name, "json") == 0)
		*out = NOTIFY_JSON;
	else if (strcmp(name, "text") == 0)
		*out = NOTIFY_TEXT;
	else
		return -1;
	return 0;
}

/* The document's head: the columns, or the scan the notices come from. */
static void
begin(struct notify_state *ns)
{
	size_t i;

	switch (ns->o->format) {
	case NOTIFY_CSV:
		for (i = 0; i < NCOLUMNS; i++)
			report_csv_field(ns->fp, columns[i], i == 0);
		fputs("\r\n", ns->fp);
		break;
	case NOTIFY_JSON:
		jsonw_init(&ns->w, ns->fp, 1);
		jsonw_object_begin(&ns->w);
		jsonw_kv_string(&ns->w, "tool", "chainaudit");
		jsonw_kv_string(&ns->w, "version", ns->o->version);
		jsonw_key(&ns->w, "scan");
		jsonw_object_begin(&ns->w);
		jsonw_kv_string(&ns->w, "database", ns->o->database);
		jsonw_kv_int(&ns->w, "id", (long long)ns->sc->id);
		jsonw_kv_string(&ns->w, "evaluated_at", ns->when);
		jsonw_kv_string(&ns->w, "source", ns->sc->source);
		jsonw_object_end(&ns->w);
		jsonw_key(&ns->w, "notices");
		jsonw_array_begin(&ns->w);
		break;
	case NOTIFY_TEXT:
		fprintf(ns->fp, "Certificate problems found by chainaudit, "
		    "scan %lld of ", (long long)ns->sc->id);
		text_put(ns->fp, ns->o->database);
		fprintf(ns->fp, " (as of %s)\n", ns->when);
		break;
	}
}

static void
end(struct notify_state *ns)
{
	switch (ns->o->format) {
	case NOTIFY_CSV:
		break;
	case NOTIFY_JSON:
		jsonw_array_end(&ns->w);
		jsonw_kv_int(&ns->w, "count", ns->count);
		jsonw_object_end(&ns->w);
		fputs("\n", ns->fp);
		break;
	case NOTIFY_TEXT:
		if (ns->count == 0)
			fputs("\nNothing needs action.\n", ns->fp);
		break;
	}
}

long
notify_write(struct store *st, const struct store_scan *sc,
    const struct notify_opts *o, FILE *fp, long *failing, char *err,
    size_t errlen)
{
	struct notify_state ns;
	long ret = -1;

	memset(&ns, 0, sizeof(ns));
	ns.o = o;
	ns.sc = sc;
	ns.fp = fp;
	time_format_iso8601(sc->evaluated_at, ns.when, sizeof(ns.when));
	begin(&ns);
	if (store_notices(st, sc->id, one, &ns, err, errlen) < 0) {
		if (ns.nomem)
			set_err(err, errlen, "out of memory");
		else if (ferror(fp))
			set_err(err, errlen, "write error");
		goto out;
	}
	end(&ns);
	if (fflush(fp) != 0 || ferror(fp) || (o->format == NOTIFY_JSON &&
	    jsonw_status(&ns.w) < 0)) {
		set_err(err, errlen, "write error");
		goto out;
	}
	*failing = ns.failing;
	ret = ns.count;
out:
	free(ns.contact);
	return ret;
}
