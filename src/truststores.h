/*
 * truststores.h: the named trust stores (--trust-store) over time: which
 * version of a vendor's root store was in force at an instant, and its
 * anchors.
 *
 * The history is data (db/trust-roots.pem, db/trust-history.tsv,
 * db/trust-snapshots.tsv, written by db/make-truststores.sh and compiled
 * in): tstore_db_parse reads it once, before any audit, into a struct
 * tstore_db that is read-only afterwards and so shared by every thread.
 * A store's version at an instant is its latest snapshot dated on or
 * before that instant's day, and a certificate is in that version when
 * one of its present intervals covers the snapshot.  Loading a version
 * parses that version's certificates only.
 *
 * The system store ("system") has no history: it is the system's CA file
 * as it is today, which the caller reads; this module only knows its name.
 */
#ifndef CHAINAUDIT_TRUSTSTORES_H
#define CHAINAUDIT_TRUSTSTORES_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "trust.h"

#define TSTORE_SYSTEM	"system"
#define TSTORE_ALL	"all"
#define TSTORE_DATE_LEN	11		/* "YYYY-MM-DD" and its NUL */
#define TSTORE_COUNT	7		/* store names, system included */

/* Where an instant falls in a store's recorded history. */
enum tstore_pos {
	TSTORE_WITHIN = 0,	/* a recorded version was in force */
	TSTORE_BEFORE,		/* before the first: the first is used */
	TSTORE_AFTER,		/* after the newest: the newest is used */
	TSTORE_TODAY,		/* system: today's file, whatever the instant */
};

/* One version of one store, as tstore_version_at chose it. */
struct tstore_version {
	const char	*name;		/* borrowed: static, "mozilla" */
	const char	*date;		/* borrowed from the db: "2017-07-27";
					   NULL for system */
	const char	*label;		/* borrowed: "certifi 2017.11.05", or
					   "" when the source names none */
	const char	*first, *last;	/* borrowed: the history's first and
					   newest dates; NULL for system */
	enum tstore_pos	 pos;
	size_t		 store, index;	/* which store and snapshot */
};

/* What --list-trust-stores shows of one store. */
struct tstore_info {
	const char	*name;		/* borrowed: static */
	const char	*source;	/* borrowed: static, one line */
	size_t		 versions;	/* snapshots recorded; 0 for system */
	const char	*first, *last;	/* borrowed; NULL for system */
	size_t		 certs;		/* certificates it ever held */
	size_t		 newest;	/* certificates in its newest version */
};

/* The names of the data: origins for messages (borrowed, static). */
struct tstore_sources {
	const char	*roots;		/* "built-in db/trust-roots.pem" */
	const char	*history;
	const char	*snapshots;
};

struct tstore_db;

/*
 * 1 when name is a store's name or "all", 0 otherwise.
 */
int	tstore_name_is_valid(const char *name);

/*
 * The store names in the order "all" lists them (the order of the
 * default and of --list-trust-stores): NULL-terminated, static.
 */
const char *const *tstore_names(void);

/*
 * Parse the history from memory: roots (the PEM), history and snapshots
 * (the TSVs), each borrowed and outliving the db.  A bad line, a history
 * row naming a certificate the PEM lacks or a date no snapshot has is
 * skipped, reported to warn (one line naming the source first; warn may
 * be NULL), and the rest is used.  Returns the db, or NULL when memory
 * ran out.
 */
struct tstore_db *tstore_db_parse(const char *roots, size_t rootslen,
	    const char *history, size_t historylen, const char *snapshots,
	    size_t snapshotslen, const struct tstore_sources *names,
	    void (*warn)(const char *, void *), void *arg);
void	tstore_db_free(struct tstore_db *db);

/*
 * The version of store name in force at t, into *v: the latest snapshot
 * dated on or before t's day (UTC); before the first, the first
 * (TSTORE_BEFORE); past the newest, the newest (TSTORE_AFTER).  For
 * "system", pos is TSTORE_TODAY and there are no dates.  Returns 0, or
 * -1 when name is unknown or its history holds no version.
 */
int	tstore_version_at(const struct tstore_db *db, const char *name,
	    time_t t, struct tstore_version *v);

/*
 * Why v's dates do not simply answer "as of t", in a few words for
 * reports ("before the recorded history (first: 2011-12-28)"), into buf;
 * "" when they do.
 */
void	tstore_version_note(const struct tstore_version *v, char *buf,
	    size_t len);

/*
 * Add the certificates of version v (not system) to store as kind.  A
 * certificate that does not parse, or whose hash is not the one the
 * history names, is skipped and reported to warn ("ROOTS: sha256=HEX
 * (mozilla 2017-07-27): reason: skipped"), and the rest is loaded.
 * Returns the number added, or -1 when memory ran out.
 */
int	tstore_load(const struct tstore_db *db, const struct tstore_version *v,
	    struct trust_store *store, enum trust_kind kind,
	    void (*warn)(const char *, void *), void *arg);

/*
 * 1 when the certificate whose SHA-256 is sha256 (raw bytes) is in
 * version v, 0 otherwise.
 */
int	tstore_version_has(const struct tstore_db *db,
	    const struct tstore_version *v, const unsigned char *sha256);

/* What the db records of store name into *info.  0, or -1 when unknown. */
int	tstore_info(const struct tstore_db *db, const char *name,
	    struct tstore_info *info);

/*
 * --list-trust-stores: every store, as text or json (format), on fp;
 * with at_set, also the version in force at at.  system_file names the
 * system store's file.  Returns 0, or -1 on a write error or an unknown
 * format.
 */
int	tstore_list(FILE *fp, const struct tstore_db *db, const char *format,
	    int at_set, time_t at, const char *system_file);

/* 1 when format is one --list-trust-stores writes, 0 otherwise. */
int	tstore_list_format_is_known(const char *format);

#endif
