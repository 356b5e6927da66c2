/*
 * report.h: report writers, one per format, chosen from a table.
 *
 * Writers see the audit record's plain fields only (audit.h, filled by
 * view.h): neither they nor this header include an engine header
 * (cert.h, path.h, sig.h, trust.h), so no GnuTLS type reaches them.
 * A report streams: begin once, target once per audit as it finishes,
 * end once with the run's summary.
 */
#ifndef CHAINAUDIT_REPORT_H
#define CHAINAUDIT_REPORT_H

#include <stdio.h>
#include <time.h>

#include "audit.h"

struct report_opts {
	int		 color;		/* ANSI colour on stdout (text only) */
	int		 color_files;	/* and in files (--color always) */
	int		 verbose;	/* every candidate, not only the chosen */
	time_t		 now;		/* evaluation instant */
	const char	*version;	/* chainaudit version string */
	enum severity	 fail_on;	/* a finding this severe fails */
	int		 fail_never;	/* --fail-on never */
	int		 quiet;		/* text: only the summary line */
	/*
	 * Borrowed: the named trust stores (--trust-store), the deciding
	 * one first; none when the run trusts the system store and
	 * --ca-file files as it always did.
	 */
	const struct audit_store *stores;
	size_t		 nstores;
	/* borrowed: why the first store was chosen unasked, or NULL */
	const char	*store_default;
};

struct report_summary {
	size_t		 targets;
	size_t		 errors;	/* targets with an operational error */
	size_t		 by_severity[SEV_ERROR + 1];	/* findings */
	size_t		 failed;	/* targets at or above --fail-on */
	size_t		 trusted;	/* targets with a complete path */
	/*
	 * --changed-only: rows whose previous result was copied, not
	 * audited (and so not among the targets), those of them that
	 * fail, and the scan they were copied from (0: none).
	 */
	size_t		 carried, carried_failed;
	long long	 carried_from;
};

/*
 * A writer is three calls over one destination.  Writers keep no global
 * state: what a format must gather before its end (JUnit's counts, the
 * HTML charts) lives in a per-destination state that state_new makes
 * (NULL for writers that need none) and state_free frees; it holds
 * compact summaries or a spool file, never whole audits.
 */
struct report_writer {
	const char	*name;
	void		*(*state_new)(void);
	void		(*state_free)(void *);
	int		(*begin)(FILE *, void *state,
			    const struct report_opts *);
	/* index counts the targets written before this one. */
	int		(*target)(FILE *, void *state, const struct audit *,
			    size_t index, const struct report_opts *);
	int		(*end)(FILE *, void *state,
			    const struct report_summary *,
			    const struct report_opts *);
};

/*
 * One report destination: a writer, its state and a stream.  A file is
 * written to a temporary file beside it and renamed over it only when
 * the report is complete, so a reader never sees half a report; on any
 * failure the temporary file is removed.  The caller serializes calls.
 */
struct report_out;

/*
 * Open a destination for w: path NULL or "-" is standard output.  On
 * failure returns NULL and puts the reason (strerror) in err.
 */
struct report_out *report_out_open(const struct report_writer *w,
	    const char *path, char *err, size_t errlen);
/* A destination over fp (borrowed, never closed), as tests use it. */
struct report_out *report_out_stream(const struct report_writer *w,
	    FILE *fp);
/* The writer's calls; a failure is remembered for report_out_close. */
int	report_out_begin(struct report_out *o, const struct report_opts *opts);
int	report_out_target(struct report_out *o, const struct audit *a,
	    size_t index, const struct report_opts *opts);
int	report_out_end(struct report_out *o, const struct report_summary *s,
	    const struct report_opts *opts);
/*
 * Finish and free o (NULL is fine).  When commit is set and every write
 * succeeded the report is flushed, synced and renamed into place and 0
 * returned; otherwise the temporary file is removed and -1 returned with
 * the reason in err ("No space left on device").
 */
int	report_out_close(struct report_out *o, int commit, char *err,
	    size_t errlen);
/*
 * The stream o writes to, for output that is not a report of audits
 * (--notify): borrowed from o, valid until report_out_close.
 */
FILE	*report_out_file(struct report_out *o);
/* The path as given, or "(stdout)": borrowed from o. */
const char *report_out_name(const struct report_out *o);

/*
 * Where a target comes from, for formats that locate results (SARIF):
 * a file (uri as given, cert_index the 1-based entry of a bundle, or 0)
 * or a logical name (a domain from a database, a live host).
 */
enum report_loc_kind {
	LOC_FILE,
	LOC_LOGICAL,
};

struct report_loc {
	enum report_loc_kind kind;
	char		 uri[1024];	/* LOC_FILE: the path; else the name */
	size_t		 entry;		/* LOC_FILE "path#N": N; else 0 */
};

/* Fill loc for a from its source; see report.c for the rules. */
void	report_location(const struct audit *a, struct report_loc *loc);

/*
 * Write s escaped for XML 1.0 and HTML text or attribute values: first
 * control and bidirectional characters as safetext.h shows them, then
 * & < > " ' as references.  NULL writes nothing.  Returns 0, or -1 on a
 * write error.
 */
int	report_put_xml(FILE *fp, const char *s);
/*
 * One CSV field of a row, after a comma unless first: its text as
 * safetext shows it, a cell that would start a spreadsheet formula
 * prefixed with a single quote (OWASP), quoted as RFC 4180 requires (a
 * comma, double quote, CR or LF; quotes doubled); NULL is an empty
 * field.  The CSV report's and --notify's.
 */
void	report_csv_field(FILE *fp, const char *s, int first);
/* A calendar date "YYYY-MM-DD" (UTC) of t into buf. */
void	report_date(time_t t, char *buf, size_t len);

/* "pass", "fail" or "error": the verdict every format prints. */
const char *report_verdict(const struct audit *a,
	    const struct report_opts *opts);

/* The writer called name, or NULL. */
const struct report_writer *report_find(const char *name);
/* The format name that word is a typo of, or NULL ("did you mean"). */
const char	*report_suggest(const char *word);
/* Comma-separated list of format names, for usage messages: static. */
const char	*report_names(void);

/* Count a's findings into s. */
void	report_summary_add(struct report_summary *s, const struct audit *a,
	    int failed);

/* The writers, one file each (report_FORMAT.c), listed in report.c. */
#define REPORT_WRITER_DECL(fmt)						\
int	report_##fmt##_begin(FILE *, void *, const struct report_opts *); \
int	report_##fmt##_target(FILE *, void *, const struct audit *, size_t, \
	    const struct report_opts *);				\
int	report_##fmt##_end(FILE *, void *, const struct report_summary *, \
	    const struct report_opts *);
REPORT_WRITER_DECL(text)
REPORT_WRITER_DECL(json)
REPORT_WRITER_DECL(jsonl)
REPORT_WRITER_DECL(csv)
REPORT_WRITER_DECL(sarif)
REPORT_WRITER_DECL(junit)
REPORT_WRITER_DECL(html)
REPORT_WRITER_DECL(nagios)
REPORT_WRITER_DECL(prometheus)
#undef REPORT_WRITER_DECL
/*
 * For writers that hold their output until the end: a zeroed state of
 * size bytes whose first member is FILE *spool, a new temporary file.
 * NULL on failure.  report_spool_state_free closes it and frees the state.
 */
void	*report_spool_state_new(size_t size);
void	 report_spool_state_free(void *state);

void	*report_sarif_state_new(void);
void	 report_sarif_state_free(void *);
void	*report_junit_state_new(void);
void	 report_junit_state_free(void *);
void	*report_html_state_new(void);
void	 report_html_state_free(void *);
void	*report_nagios_state_new(void);
void	 report_nagios_state_free(void *);
void	*report_prometheus_state_new(void);
void	 report_prometheus_state_free(void *);

/* A Nagios plugin's states, which are its exit statuses. */
enum nagios_state {
	NAGIOS_OK = 0,
	NAGIOS_WARNING = 1,
	NAGIOS_CRITICAL = 2,
	NAGIOS_UNKNOWN = 3,
};

/*
 * The state --format nagios reports for a run summarised in s: CRITICAL
 * with a finding of severity error, WARNING with a warning, UNKNOWN
 * when a target could not be audited (or none was) and nothing worse
 * was found, else OK.
 */
enum nagios_state report_nagios_state(const struct report_summary *s);

/*
 * The earliest notAfter of the certificates on a's chosen path into *t:
 * 1, or 0 when a has no chosen path.
 */
int	report_path_not_after(const struct audit *a, time_t *t);
/*
 * a's name for monitoring labels: a live target as given (its source,
 * "host:port (ECDSA)", when --all-keys audits it per key), a database
 * row's domain, else the source ("certs/a.pem", "bundle.pem#2"):
 * borrowed from a.
 */
const char *report_target_name(const struct audit *a);

struct jsonw;
/* One target object of the JSON schema ($defs/target), for json and jsonl. */
void	report_json_target_object(struct jsonw *w, const struct audit *a,
	    const struct report_opts *opts);

#endif
