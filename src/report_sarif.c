/*
 * report_sarif.c: SARIF 2.1.0 (OASIS), for code-scanning services.
 *
 * One run; the driver lists one rule per finding code of the catalog, in
 * catalog order (so ruleIndex is the finding id), with the title, the
 * advice as help text and the reference.  Results stream as targets
 * finish: one per finding, level from the catalog severity.  A file
 * input is located at its path (a relative URI as given, file:// for an
 * absolute path) with the certificate's 1-based position in the file as
 * a logical location; a database row or live host, which has no file,
 * at a logical location named by its domain or host:port and, as code
 * scanning services want a physical location for every result, at the
 * database file with the row's number as its line (a PostgreSQL
 * database as the relative path postgresql/HOST/DB) or at the relative
 * path live/TARGET ("://" in it becomes "/").  Each result has a
 * partialFingerprints entry that stays the same from run to run: a hash
 * of the code, the location and the certificate.  Targets that could
 * not be audited become tool execution notifications.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "report.h"
#include "util.h"

#define SARIF_SCHEMA	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/" \
			"errata01/os/schemas/sarif-schema-2.1.0.json"
/* Nesting of a result: root, "runs", the run, "results". */
#define RESULTS_DEPTH	4
/* Operational errors kept for the notifications; the rest are counted. */
#define MAX_NOTES	100

struct sarif_note {
	char		*source;	/* owned */
	char		*message;	/* owned */
};

struct sarif_state {
	size_t		 nresults;	/* results written so far */
	struct sarif_note notes[MAX_NOTES];
	size_t		 nnotes;
	size_t		 nerrors;	/* targets with an operational error */
};

/* Per-destination state; NULL when out of memory. */
void *
report_sarif_state_new(void)
{
	return calloc(1, sizeof(struct sarif_state));
}

/* Free what report_sarif_state_new made; NULL is fine. */
void
report_sarif_state_free(void *arg)
{
	struct sarif_state	*st = arg;
	size_t			 i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nnotes; i++) {
		free(st->notes[i].source);
		free(st->notes[i].message);
	}
	free(st);
}

static const char *
sarif_level(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

/* Pick up the document inside "results" after nresults results. */
static void
sarif_resume(struct jsonw *w, FILE *fp, size_t nresults)
{
	int	 i;

	jsonw_init(w, fp, 1);
	w->depth = RESULTS_DEPTH;
	for (i = 1; i < RESULTS_DEPTH; i++)
		w->first[i] = 0;
	w->first[RESULTS_DEPTH] = (nresults == 0);
}

static void
text_message(struct jsonw *w, const char *key, const char *text)
{
	jsonw_key(w, key);
	jsonw_object_begin(w);
	jsonw_kv_text(w, "text", text);
	jsonw_object_end(w);
}

/*
 * path as a URI reference (RFC 3986): bytes outside the unreserved and
 * path characters are percent-encoded; an absolute path becomes a
 * file:// URI.
 */
static void
path_uri(const char *path, char *buf, size_t len)
{
	static const char	 ok[] = "-._~/!$&'()*+,;=:@";
	const unsigned char	*p;
	size_t			 off = 0;

	if (path[0] == '/')
		off = (size_t)snprintf(buf, len, "file://");
	for (p = (const unsigned char *)path; *p != '\0' && off + 4 < len;
	    p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || (*p != '\0' &&
		    strchr(ok, *p) != NULL))
			buf[off++] = (char)*p;
		else
			off += (size_t)snprintf(buf + off, len - off, "%%%02X",
			    *p);
	}
	buf[off] = '\0';
}

static void
sarif_rule(struct jsonw *w, const struct finding_info *fi)
{
	char	 full[1024], md[2048];

	snprintf(full, sizeof(full), "%s.  Reference: %s.", fi->title,
	    fi->reference);
	snprintf(md, sizeof(md), "**%s** (%s)\n\n%s\n\nReference: %s.  "
	    "Run `chainaudit --explain %s` for this text.", fi->title,
	    severity_name(fi->severity), fi->advice, fi->reference, fi->code);
	jsonw_object_begin(w);
	jsonw_kv_string(w, "id", fi->code);
	jsonw_kv_string(w, "name", fi->code);
	text_message(w, "shortDescription", fi->title);
	text_message(w, "fullDescription", full);
	jsonw_key(w, "help");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "text", fi->advice);
	jsonw_kv_string(w, "markdown", md);
	jsonw_object_end(w);
	jsonw_key(w, "defaultConfiguration");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "level", sarif_level(fi->severity));
	jsonw_object_end(w);
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "reference", fi->reference);
	jsonw_kv_string(w, "severity", severity_name(fi->severity));
	jsonw_key(w, "tags");
	jsonw_array_begin(w);
	jsonw_string(w, "tls");
	jsonw_string(w, "x509");
	jsonw_array_end(w);
	jsonw_object_end(w);
	jsonw_object_end(w);
}

/*
 * The head: the tool with every rule of the catalog, then the opening of
 * "results".  Returns 0, or -1 when writing failed.
 */
int
report_sarif_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	struct jsonw	 w;
	size_t		 i;

	(void)state;
	jsonw_init(&w, fp, 1);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "$schema", SARIF_SCHEMA);
	jsonw_kv_string(&w, "version", "2.1.0");
	jsonw_key(&w, "runs");
	jsonw_array_begin(&w);
	jsonw_object_begin(&w);
	jsonw_key(&w, "tool");
	jsonw_object_begin(&w);
	jsonw_key(&w, "driver");
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "name", "chainaudit");
	jsonw_kv_string(&w, "version", opts->version);
	jsonw_key(&w, "rules");
	jsonw_array_begin(&w);
	for (i = 0; i < FIND__COUNT; i++)
		sarif_rule(&w, finding_info((enum finding_id)i));
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	jsonw_kv_string(&w, "columnKind", "unicodeCodePoints");
	jsonw_key(&w, "properties");
	jsonw_object_begin(&w);
	jsonw_kv_time(&w, "evaluatedAt", opts->now);
	jsonw_object_end(&w);
	jsonw_key(&w, "results");
	jsonw_array_begin(&w);
	return jsonw_status(&w);
}

/*
 * The artifact path of a target without a file, for its physical
 * location into buf, and its line: a database row is its database (a
 * PostgreSQL URI made a relative path, postgresql/HOST/DB) at the row's
 * number; a live target is live/TARGET at line 1.
 */
static long long
logical_path(const struct audit *a, char *buf, size_t len)
{
	const char *src = a->source != NULL ? a->source : "(input)";
	const char *end, *scheme;

	if (a->db_row == 0 || strncmp(src, "db:", 3) != 0) {
		src = a->tls != NULL && a->tls->target != NULL ?
		    a->tls->target : src;
		if ((scheme = strstr(src, "://")) != NULL)
			snprintf(buf, len, "live/%.*s/%s", (int)(scheme - src),
			    src, scheme + 3);
		else
			snprintf(buf, len, "live/%s", src);
		return 1;
	}
	src += 3;
	end = strrchr(src, ':');
	if (end == NULL)
		end = src + strlen(src);
	if ((scheme = strstr(src, "://")) != NULL && scheme < end)
		snprintf(buf, len, "%.*s/%.*s", (int)(scheme - src), src,
		    (int)(end - scheme - 3), scheme + 3);
	else
		snprintf(buf, len, "%.*s", (int)(end - src), src);
	return a->db_row;
}

/* A physicalLocation at path, with a region at line unless it is 0. */
static void
physical_location(struct jsonw *w, const char *path, long long line)
{
	char uri[3 * 1024 + 8];

	path_uri(path, uri, sizeof(uri));
	jsonw_key(w, "physicalLocation");
	jsonw_object_begin(w);
	jsonw_key(w, "artifactLocation");
	jsonw_object_begin(w);
	jsonw_kv_string(w, "uri", uri);
	jsonw_object_end(w);
	if (line > 0) {
		jsonw_key(w, "region");
		jsonw_object_begin(w);
		jsonw_kv_int(w, "startLine", line);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
}

/* The physical location of a target without a file; see above. */
static void
logical_physical(struct jsonw *w, const struct audit *a)
{
	char path[1024];
	long long line;

	line = logical_path(a, path, sizeof(path));
	physical_location(w, path, line);
}

/*
 * partialFingerprints: what identifies the finding from run to run
 * (the code, where: the source as given, or a database row's domain,
 * and the certificate), hashed.
 */
static void
sarif_fingerprint(struct jsonw *w, const struct audit *a,
    const struct finding_info *fi, const struct audit_cert *ac)
{
	unsigned char md[SHA256_LEN];
	char hex[SHA256_HEX_LEN], id[2048];

	snprintf(id, sizeof(id), "%s|%s|%s", fi->code, report_target_name(a),
	    ac != NULL && ac->sha256 != NULL ? ac->sha256 : "");
	jsonw_key(w, "partialFingerprints");
	jsonw_object_begin(w);
	if (sha256(id, strlen(id), md) == 0) {
		hex_encode(md, sizeof(md), hex);
		jsonw_kv_string(w, "chainauditFinding/v1", hex);
	}
	jsonw_object_end(w);
}

/* The location of a finding on certificate cert (1-based position, 0). */
static void
sarif_location(struct jsonw *w, const struct audit *a, size_t position)
{
	struct report_loc	 loc;
	char			 name[64], fq[sizeof(loc.uri) + 32];

	report_location(a, &loc);
	jsonw_key(w, "locations");
	jsonw_array_begin(w);
	jsonw_object_begin(w);
	if (loc.kind == LOC_FILE) {
		if (loc.entry > 0)
			position = loc.entry;
		physical_location(w, loc.uri, 0);
		if (position > 0) {
			snprintf(name, sizeof(name), "certificate %zu",
			    position);
			snprintf(fq, sizeof(fq), "%s#%zu", loc.uri, position);
			jsonw_key(w, "logicalLocations");
			jsonw_array_begin(w);
			jsonw_object_begin(w);
			jsonw_kv_string(w, "name", name);
			jsonw_kv_text(w, "fullyQualifiedName", fq);
			jsonw_kv_string(w, "kind", "object");
			jsonw_object_end(w);
			jsonw_array_end(w);
		}
	} else {
		logical_physical(w, a);
		jsonw_key(w, "logicalLocations");
		jsonw_array_begin(w);
		jsonw_object_begin(w);
		jsonw_kv_text(w, "name", loc.uri);
		jsonw_kv_text(w, "fullyQualifiedName", a->source);
		jsonw_kv_string(w, "kind", "resource");
		jsonw_object_end(w);
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
	jsonw_array_end(w);
}

/*
 * The revocation answers about certificate cert, as a result property
 * "revocation": [{"source", "status", ...}], when there are any.
 */
static void
sarif_revocation(struct jsonw *w, const struct audit *a, int cert)
{
	const struct audit_revocation	*r;
	size_t				 i;
	int				 open = 0;

	for (i = 0; i < a->nrevocations; i++) {
		r = &a->revocations[i];
		if (r->cert != cert || cert < 0)
			continue;
		if (!open) {
			jsonw_key(w, "revocation");
			jsonw_array_begin(w);
			open = 1;
		}
		jsonw_object_begin(w);
		jsonw_kv_string(w, "source", r->source);
		jsonw_kv_string(w, "status", r->status);
		jsonw_kv_text(w, "where", r->where);
		if (r->revoked_at != 0)
			jsonw_kv_time(w, "revokedAt", r->revoked_at);
		jsonw_kv_string(w, "reason", r->reason);
		jsonw_object_end(w);
	}
	if (open)
		jsonw_array_end(w);
}

static void
sarif_result(struct jsonw *w, const struct audit *a, const struct finding *f,
    const struct finding_info *fi)
{
	const struct audit_cert	*ac = NULL;
	size_t			 position = 0;
	char			 when[32];

	if (f->cert >= 0 && (size_t)f->cert < a->ncerts)
		ac = &a->certs[f->cert];
	if (ac != NULL && ac->presented_index >= 0)
		position = (size_t)ac->presented_index + 1;
	jsonw_object_begin(w);
	jsonw_kv_string(w, "ruleId", fi->code);
	jsonw_kv_int(w, "ruleIndex", (long long)f->id);
	jsonw_kv_string(w, "level", sarif_level(fi->severity));
	text_message(w, "message", f->message != NULL ? f->message :
	    fi->title);
	sarif_location(w, a, position);
	sarif_fingerprint(w, a, fi, ac);
	jsonw_key(w, "properties");
	jsonw_object_begin(w);
	jsonw_kv_text(w, "source", a->source);
	if (position > 0)
		jsonw_kv_int(w, "certificatePosition", (long long)position);
	if (ac != NULL && ac->sha256 != NULL) {
		jsonw_kv_string(w, "certificateSha256", ac->sha256);
		jsonw_kv_text(w, "certificateSubject",
		    audit_cert_subject(ac));
	}
	sarif_revocation(w, a, f->cert);
	jsonw_kv_text(w, "fix", finding_fix(f));
	if (f->deadline != 0) {
		time_format_iso8601(f->deadline, when, sizeof(when));
		jsonw_kv_string(w, "deadline", when);
	}
	jsonw_object_end(w);
	jsonw_object_end(w);
}

/* Keep an operational error for the notifications. */
static void
sarif_note(struct sarif_state *st, const struct audit *a)
{
	struct sarif_note	*n;

	st->nerrors++;
	if (st->nnotes >= MAX_NOTES)
		return;
	n = &st->notes[st->nnotes];
	n->source = strdup(a->source != NULL ? a->source : "(input)");
	n->message = strdup(a->error);
	if (n->source == NULL || n->message == NULL) {
		free(n->source);
		free(n->message);
		return;		/* still counted */
	}
	st->nnotes++;
}

/*
 * One result per finding of a.  Returns 0, or -1 when writing failed.
 */
int
report_sarif_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	struct sarif_state		*st = state;
	const struct finding_info	*fi;
	struct jsonw			 w;
	size_t				 i;

	(void)index;
	(void)opts;
	if (a->error != NULL)
		sarif_note(st, a);
	sarif_resume(&w, fp, st->nresults);
	for (i = 0; i < a->nfindings; i++) {
		if ((fi = finding_info(a->findings[i].id)) == NULL)
			continue;
		sarif_result(&w, a, &a->findings[i], fi);
		st->nresults++;
	}
	return jsonw_status(&w);
}

/*
 * Close "results"; the invocation says whether every target could be
 * audited, with a notification per target that could not (the first
 * MAX_NOTES of them).  Returns 0, or -1 when writing failed.
 */
int
report_sarif_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	struct sarif_state	*st = state;
	struct jsonw		 w;
	char			 more[128], uri[3 * 1024 + 8];
	size_t			 i;

	(void)opts;
	sarif_resume(&w, fp, st->nresults);
	jsonw_array_end(&w);
	jsonw_key(&w, "invocations");
	jsonw_array_begin(&w);
	jsonw_object_begin(&w);
	jsonw_kv_bool(&w, "executionSuccessful", s->errors == 0);
	jsonw_key(&w, "toolExecutionNotifications");
	jsonw_array_begin(&w);
	for (i = 0; i < st->nnotes; i++) {
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "level", "error");
		text_message(&w, "message", st->notes[i].message);
		jsonw_key(&w, "locations");
		jsonw_array_begin(&w);
		jsonw_object_begin(&w);
		jsonw_key(&w, "physicalLocation");
		jsonw_object_begin(&w);
		jsonw_key(&w, "artifactLocation");
		jsonw_object_begin(&w);
		path_uri(st->notes[i].source, uri, sizeof(uri));
		jsonw_kv_string(&w, "uri", uri);
		jsonw_object_end(&w);
		jsonw_object_end(&w);
		jsonw_object_end(&w);
		jsonw_array_end(&w);
		jsonw_object_end(&w);
	}
	if (st->nerrors > st->nnotes) {
		snprintf(more, sizeof(more), "%zu more targets could not be "
		    "audited", st->nerrors - st->nnotes);
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "level", "error");
		text_message(&w, "message", more);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "properties");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "targets", (long long)s->targets);
	jsonw_kv_int(&w, "failed", (long long)s->failed);
	jsonw_kv_int(&w, "errors", (long long)s->errors);
	jsonw_kv_int(&w, "trusted", (long long)s->trusted);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	jsonw_array_end(&w);
	jsonw_object_end(&w);	/* run */
	jsonw_array_end(&w);	/* runs */
	jsonw_object_end(&w);
	if (fflush(fp) != 0)
		return -1;
	return jsonw_status(&w);
}
