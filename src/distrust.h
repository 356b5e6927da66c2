/*
 * distrust.h: the distrust policy: browser vendors' decisions to stop
 * trusting a CA, matched by key (SPKI SHA-256) or certificate, each with
 * its date rule and source.  The file format is chainaudit-distrust(5).
 *
 * A policy is loaded once and read-only afterwards; matching takes the
 * evaluation time as a parameter and never reads the clock.
 */
#ifndef CHAINAUDIT_DISTRUST_H
#define CHAINAUDIT_DISTRUST_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "cert.h"

enum distrust_vendor {
	VENDOR_CHROME = 0,
	VENDOR_MOZILLA,
	VENDOR_APPLE,
	VENDOR_MICROSOFT,
	VENDOR__COUNT
};

#define VENDOR_ALL	((1u << VENDOR__COUNT) - 1)

enum distrust_match {
	MATCH_SPKI = 0,		/* the key: SPKI SHA-256 */
	MATCH_CERT,		/* one certificate: its SHA-256 */
	MATCH_NAME,		/* a subject or issuer DN substring (user) */
};

enum distrust_rule {
	RULE_ALL = 0,		/* every certificate chaining through it */
	RULE_ISSUED_AFTER,	/* leaf notBefore strictly after date */
	RULE_ISSUED_BEFORE,	/* leaf notBefore strictly before date */
	RULE_SCT_AFTER,		/* leaf's earliest embedded SCT after date */
	RULE_EXEMPT,		/* cancels the same ca and vendor's entries */
};

struct distrust_entry {
	char			*ca;		/* owned: family and group key */
	enum distrust_vendor	 vendor;
	time_t			 effective;	/* applies from this instant */
	enum distrust_match	 match;
	unsigned char		 hash[SHA256_LEN]; /* SPKI or cert match */
	char			*name;		/* owned, lower case: name match */
	enum distrust_rule	 rule;
	time_t			 date;		/* the rule's cut-off */
	char			*source;	/* owned */
	const char		*file;		/* borrowed: where it was read */
	unsigned		 line;
	int			 user;		/* from --distrust, not built in */
};

struct distrust_policy;

struct distrust_policy *distrust_new(void);
void	distrust_free(struct distrust_policy *p);

/*
 * Parse policy text (the file format) from buf, naming it origin in
 * errors; entries are marked user when user is set.  Every bad line is
 * reported through err (one line, "origin:LINE: reason") and the parse
 * goes on; an entry with the vendor, match and rule (date included) of
 * one already in p, from this text or an earlier one, is a bad line too
 * ("duplicate of FILE:LINE").  Returns the number of bad lines, or -1 on
 * allocation failure.  origin must outlive the policy.
 */
int	distrust_parse(struct distrust_policy *p, const char *buf, size_t len,
	    const char *origin, int user,
	    void (*err)(const char *line, void *), void *arg);

/* Entries of these vendors only (a mask of 1 << vendor) apply. */
void	distrust_set_vendors(struct distrust_policy *p, unsigned mask);

size_t	distrust_count(const struct distrust_policy *p);
/*
 * Call fn on every entry of the applicable vendors, in the order they
 * were parsed, whatever their effective date.  Returns 0, or the first
 * non-zero value fn returns.
 */
int	distrust_each(const struct distrust_policy *p,
	    int (*fn)(const struct distrust_entry *, void *), void *arg);
/* An entry's match and rule fields as the file format spells them. */
void	distrust_match_text(const struct distrust_entry *e, char *buf,
	    size_t len);
void	distrust_rule_text(const struct distrust_entry *e, char *buf,
	    size_t len);
/* When an entry next takes effect after now (0: never); see distrust.c. */
time_t	distrust_next_change(const struct distrust_policy *p, time_t now);
const char *distrust_vendor_name(enum distrust_vendor v);
/* Parse "chrome", "mozilla", "apple", "microsoft" or "all" into a mask. */
int	distrust_vendor_parse(const char *s, unsigned *mask);

/* The certificates of a path as matching needs them. */
struct distrust_query {
	const struct cert *const *certs;	/* borrowed: leaf first */
	size_t		  ncerts;
	/*
	 * certs[0..npath) are the chosen path; any others were only
	 * presented.  Exemptions count on the path alone: a stray
	 * certificate must not cancel a finding.  0 means all are the path.
	 */
	size_t		  npath;
	const struct cert *leaf;		/* borrowed: dates, SCTs */
	time_t		  now;
};

struct distrust_hit {
	const struct distrust_entry *entry;	/* borrowed from the policy */
	size_t		 cert;		/* index into query certs */
	int		 name_based;	/* matched by name, not by key */
	int		 sct_from_not_before; /* no SCT: notBefore stood in */
};

/*
 * Every entry that applies to the query at q->now, exemptions honoured:
 * calls fn once per (certificate, entry) hit.  Returns 0, or the first
 * non-zero value fn returns.
 */
int	distrust_match(const struct distrust_policy *p,
	    const struct distrust_query *q,
	    int (*fn)(const struct distrust_hit *, void *), void *arg);

/*
 * --list-distrust (distrust_list.c): write the entries distrust_each
 * gives as format ("text": one TAB-separated line each, or "json").
 * Returns 0, or -1 on a write error.
 */
int	distrust_list(FILE *fp, const struct distrust_policy *p,
	    const char *format);
/* 1 when distrust_list writes format, 0 otherwise. */
int	distrust_list_format_is_known(const char *format);

#endif
