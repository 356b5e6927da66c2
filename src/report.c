/*
 * report.c: the table of report writers and the run summary.
 */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "safetext.h"
#include "util.h"

#define STATELESS(fmt)	#fmt, NULL, NULL, report_##fmt##_begin,	\
	report_##fmt##_target, report_##fmt##_end
#define STATEFUL(fmt)	#fmt, report_##fmt##_state_new,		\
	report_##fmt##_state_free, report_##fmt##_begin,		\
	report_##fmt##_target, report_##fmt##_end

static const struct report_writer writers[] = {
	{ STATELESS(text) },
	{ STATELESS(json) },
	{ STATELESS(jsonl) },
	{ STATELESS(csv) },
	{ STATEFUL(sarif) },
	{ STATEFUL(junit) },
	{ STATEFUL(html) },
	{ STATEFUL(nagios) },
	{ STATEFUL(prometheus) },
};

#define NWRITERS	(sizeof(writers) / sizeof(writers[0]))

/*
 * The writer whose name is name, or NULL when there is none: static.
 */
const struct report_writer *
report_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NWRITERS; i++)
		if (strcmp(writers[i].name, name) == 0)
			return &writers[i];
	return NULL;
}

/* The format name word is a typo of, or NULL: static. */
const char *
report_suggest(const char *word)
{
	size_t i;

	for (i = 0; i < NWRITERS; i++)
		if (is_near_miss(word, writers[i].name))
			return writers[i].name;
	return NULL;
}

/*
 * The format names separated by ", " for usage messages: static.  Built
 * from the table so the two cannot drift apart.
 */
const char *
report_names(void)
{
	static char	 names[256];
	size_t		 i, off = 0;
	int		 n;

	names[0] = '\0';
	for (i = 0; i < NWRITERS && off < sizeof(names); i++) {
		n = snprintf(names + off, sizeof(names) - off, "%s%s",
		    i > 0 ? ", " : "", writers[i].name);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return names;
}

/*
 * Count one finished target into s: its findings by catalog severity,
 * whether it is trusted, and whether it failed (decided by the caller
 * against --fail-on).  A target with an operational error counts as an
 * error, not as a failure, so pass + fail + errors == targets.
 */
void
report_summary_add(struct report_summary *s, const struct audit *a,
    int failed)
{
	const struct finding_info	*fi;
	size_t				 i;

	s->targets++;
	if (a->error != NULL)
		s->errors++;
	else if (failed)
		s->failed++;
	if (a->trusted)
		s->trusted++;
	for (i = 0; i < a->nfindings; i++) {
		fi = finding_info(a->findings[i].id);
		if (fi != NULL && fi->severity <= SEV_ERROR)
			s->by_severity[fi->severity]++;
	}
}

/* Escape s for XML and HTML; see report.h. */
int
report_put_xml(FILE *fp, const char *str)
{
	char		 safe[SAFETEXT_LEN];
	const char	*s;

	if (str == NULL)
		return 0;
	/* Well-formed UTF-8 without controls from here: XML takes it all. */
	for (s = safetext(str, safe, sizeof(safe)); *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*s, fp);
			break;
		}
	}
	return ferror(fp) ? -1 : 0;
}

/* t as "YYYY-MM-DD" (UTC), or "?" when it has no calendar date. */
void
report_date(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

/* "pass", "fail" or "error" for a. */
const char *
report_verdict(const struct audit *a, const struct report_opts *opts)
{
	if (a->error != NULL)
		return "error";
	return audit_fails(a, opts->fail_on, opts->fail_never) ? "fail" : "pass";
}

/*
 * Where a came from.  A live handshake carries a->tls and is named by
 * the target as given; a database row has a source "db:FILE:DOMAIN" and
 * is named by its domain; anything else is a file as its reader spelled
 * it ("certs/a.pem", "bundle.pem#3" for the third entry of a bundle,
 * "(stdin)").
 */
void
report_location(const struct audit *a, struct report_loc *loc)
{
	const char	*src = a->source != NULL ? a->source : "(input)";
	const char	*hash, *colon, *p;
	unsigned long	 n;

	memset(loc, 0, sizeof(*loc));
	if (a->tls != NULL) {
		loc->kind = LOC_LOGICAL;
		snprintf(loc->uri, sizeof(loc->uri), "%s",
		    a->tls->target != NULL ? a->tls->target : src);
		return;
	}
	if (strncmp(src, "db:", 3) == 0) {
		loc->kind = LOC_LOGICAL;
		colon = strrchr(src + 3, ':');
		snprintf(loc->uri, sizeof(loc->uri), "%s",
		    colon != NULL ? colon + 1 : src + 3);
		return;
	}
	loc->kind = LOC_FILE;
	snprintf(loc->uri, sizeof(loc->uri), "%s", src);
	if (!a->bundle_entry || (hash = strrchr(src, '#')) == NULL)
		return;
	for (p = hash + 1; *p >= '0' && *p <= '9'; p++)
		continue;
	if (p == hash + 1 || *p != '\0')
		return;
	n = strtoul(hash + 1, NULL, 10);
	if ((size_t)(hash - src) < sizeof(loc->uri))
		loc->uri[hash - src] = '\0';
	loc->entry = n;
}

/* The earliest notAfter on a's chosen path; see report.h. */
int
report_path_not_after(const struct audit *a, time_t *t)
{
	const struct audit_node *n;
	size_t i;
	int have = 0;

	if (!a->path.chosen)
		return 0;
	for (i = 0; i < a->path.nnodes; i++) {
		n = &a->path.nodes[i];
		if (n->cert < 0 || (size_t)n->cert >= a->ncerts)
			continue;
		if (!have || a->certs[n->cert].not_after < *t)
			*t = a->certs[n->cert].not_after;
		have = 1;
	}
	return have;
}

/* a's name for monitoring; see report.h. */
const char *
report_target_name(const struct audit *a)
{
	const char *src = a->source != NULL ? a->source : "(input)";
	const char *colon;

	/* --all-keys audits a target once per key: one series each. */
	if (a->tls != NULL && a->tls->key_type != NULL &&
	    strcmp(a->tls->key_type, "any") != 0 && a->source != NULL)
		return a->source;
	if (a->tls != NULL && a->tls->target != NULL)
		return a->tls->target;
	if (strncmp(src, "db:", 3) == 0 &&
	    (colon = strrchr(src + 3, ':')) != NULL)
		return colon + 1;
	return src;
}

/* ---- destinations ------------------------------------------------------ */

struct report_out {
	const struct report_writer *writer;	/* static */
	void		*state;		/* owned, writer's */
	FILE		*fp;		/* owned unless borrowed */
	int		 borrowed;	/* fp belongs to the caller */
	char		*path;		/* owned copy, NULL for stdout */
	char		*tmp;		/* owned: temporary file, or NULL */
	int		 failed;	/* a write failed */
	int		 saved_errno;	/* why, when known */
};

static struct report_out *
out_new(const struct report_writer *w)
{
	struct report_out	*o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->writer = w;
	if (w->state_new != NULL && (o->state = w->state_new()) == NULL) {
		free(o);
		return NULL;
	}
	return o;
}

static void
out_free(struct report_out *o)
{
	if (o == NULL)
		return;
	if (o->writer->state_free != NULL)
		o->writer->state_free(o->state);
	free(o->path);
	free(o->tmp);
	free(o);
}

/*
 * Open a destination; see report.h.  The temporary file is made beside
 * the report so the final rename stays on one file system; it is created
 * 0600 by mkstemp and given the usual 0666 & ~umask before the rename.
 */
struct report_out *
report_out_open(const struct report_writer *w, const char *path, char *err,
    size_t errlen)
{
	struct report_out	*o = NULL;
	struct stat		 sb;
	int			 fd = -1, e;

	if ((o = out_new(w)) == NULL) {
		e = ENOMEM;
		goto fail;
	}
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		o->borrowed = 1;
		return o;
	}
	if ((o->path = strdup(path)) == NULL) {
		e = ENOMEM;
		goto fail;
	}
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		/* A device or pipe (/dev/stdout, a FIFO) is written as it is:
		 * renaming over it would replace it. */
		if (S_ISDIR(sb.st_mode)) {
			e = EISDIR;
			goto fail;
		}
		if ((o->fp = fopen(path, "w")) == NULL) {
			e = errno;
			goto fail;
		}
		return o;
	}
	if (stat(path, &sb) == 0 && (sb.st_mode & 0222) == 0) {
		/* Read-only: refuse to replace it, as > would (even root). */
		e = EACCES;
		goto fail;
	}
	if (asprintf(&o->tmp, "%s.XXXXXX", path) < 0) {
		o->tmp = NULL;
		e = ENOMEM;
		goto fail;
	}
	if ((fd = mkstemp(o->tmp)) < 0) {
		e = errno;
		free(o->tmp);
		o->tmp = NULL;
		goto fail;
	}
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		goto fail;
	}
	return o;
fail:
	if (o != NULL && o->tmp != NULL)
		unlink(o->tmp);
	out_free(o);
	snprintf(err, errlen, "%s", strerror(e));
	return NULL;
}

/* A destination over the caller's fp; see report.h. */
struct report_out *
report_out_stream(const struct report_writer *w, FILE *fp)
{
	struct report_out	*o;

	if ((o = out_new(w)) == NULL)
		return NULL;
	o->fp = fp;
	o->borrowed = 1;
	return o;
}

/* Record a failed call, keeping the first errno that explains it. */
static int
out_status(struct report_out *o, int r)
{
	if (r < 0 || ferror(o->fp)) {
		if (!o->failed)
			o->saved_errno = errno;
		o->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * The options as o sees them: colour goes to a file only when asked for
 * always, never because standard output happens to be a terminal.
 */
static const struct report_opts *
out_opts(const struct report_out *o, const struct report_opts *opts,
    struct report_opts *copy)
{
	if (o->path == NULL || opts->color == opts->color_files)
		return opts;
	*copy = *opts;
	copy->color = opts->color_files;
	return copy;
}

/* Run the writer's begin on o.  0, or -1 (remembered). */
int
report_out_begin(struct report_out *o, const struct report_opts *opts)
{
	struct report_opts	 copy;

	errno = 0;
	return out_status(o, o->writer->begin(o->fp, o->state,
	    out_opts(o, opts, &copy)));
}

/* Run the writer's target on o.  0, or -1 (remembered). */
int
report_out_target(struct report_out *o, const struct audit *a, size_t index,
    const struct report_opts *opts)
{
	struct report_opts	 copy;

	if (o->failed)
		return -1;	/* nothing more can make this report whole */
	errno = 0;
	return out_status(o, o->writer->target(o->fp, o->state, a, index,
	    out_opts(o, opts, &copy)));
}

/* Run the writer's end on o.  0, or -1 (remembered). */
int
report_out_end(struct report_out *o, const struct report_summary *s,
    const struct report_opts *opts)
{
	struct report_opts	 copy;

	if (o->failed)
		return -1;
	errno = 0;
	return out_status(o, o->writer->end(o->fp, o->state, s,
	    out_opts(o, opts, &copy)));
}

/* o's stream; see report.h. */
FILE *
report_out_file(struct report_out *o)
{
	return o->fp;
}

/* "(stdout)" or the path as given: borrowed. */
const char *
report_out_name(const struct report_out *o)
{
	return o->path != NULL ? o->path : "(stdout)";
}

/* The umask, read without changing it for good. */
static mode_t
current_umask(void)
{
	mode_t	 m = umask(022);

	umask(m);
	return m;
}

/* Finish o; see report.h. */
int
report_out_close(struct report_out *o, int commit, char *err, size_t errlen)
{
	int	 ok, e = 0;

	if (o == NULL)
		return 0;
	ok = commit && !o->failed;
	if (o->failed)
		e = o->saved_errno;
	errno = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		if (ok || e == 0)
			e = errno;
		ok = 0;
	}
	if (!o->borrowed) {
		errno = 0;
		if (ok && fsync(fileno(o->fp)) != 0 && errno != EINVAL) {
			e = errno;
			ok = 0;
		}
		if (fclose(o->fp) != 0 && ok) {
			e = errno;
			ok = 0;
		}
		if (o->tmp != NULL && ok &&
		    chmod(o->tmp, 0666 & ~current_umask()) != 0) {
			e = errno;
			ok = 0;
		}
		if (o->tmp != NULL && ok && rename(o->tmp, o->path) != 0) {
			e = errno;
			ok = 0;
		}
		if (o->tmp != NULL && !ok)
			unlink(o->tmp);
	}
	if (!ok)
		snprintf(err, errlen, "%s", e != 0 ? strerror(e) :
		    commit ? "write error" : "not completed");
	out_free(o);
	return ok ? 0 : -1;
}

/* The first member of every spooling writer's state. */
struct spool_head {
	FILE	*spool;		/* owned */
};

/*
 * A zeroed state of size bytes starting with a temporary spool file;
 * see report.h.
 */
void *
report_spool_state_new(size_t size)
{
	struct spool_head *st;

	if (size < sizeof(*st) || (st = calloc(1, size)) == NULL)
		return NULL;
	if ((st->spool = tmpfile()) == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

/*
 * Close the spool and free the state; NULL is fine.
 */
void
report_spool_state_free(void *state)
{
	struct spool_head *st = state;

	if (st == NULL)
		return;
	if (st->spool != NULL)
		fclose(st->spool);
	free(st);
}
