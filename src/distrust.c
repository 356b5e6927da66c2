/*
 * distrust.c: load the distrust policy and match paths against it.
 */
#include <config.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "distrust.h"

/*
 * A scan matches every certificate of every row against the policy, and
 * nearly none match: prefix holds one bit per 16-bit prefix of every
 * entry's hash (SPKI or certificate), so a certificate whose two hashes
 * both miss it cannot match by key or certificate and is skipped without
 * walking the entries.  Name entries (user files only) are always walked.
 */
#define PREFIX_BITS	65536

struct distrust_policy {
	struct distrust_entry	*v;		/* owned array */
	size_t			 n, cap;
	unsigned		 vendors;	/* mask of vendors that apply */
	size_t			 nname;		/* MATCH_NAME entries */
	unsigned char		 prefix[PREFIX_BITS / 8];
	/*
	 * The entries by decision (entry_is_duplicate's fields), open
	 * addressing, index + 1 (0: empty), at most half full: a policy of
	 * 100,000 user lines loads in linear time.
	 */
	size_t			*set;
	size_t			 setcap;	/* a power of two, or 0 */
};

static unsigned
hash_prefix(const unsigned char *h)
{
	return (unsigned)h[0] << 8 | h[1];
}

/* 1 when some key or certificate entry may name c; see PREFIX_BITS. */
static int
may_match(const struct distrust_policy *p, const struct cert *c)
{
	unsigned a = hash_prefix(c->spki_sha256), b = hash_prefix(c->sha256);

	return p->nname > 0 || (p->prefix[a >> 3] & (1u << (a & 7))) ||
	    (p->prefix[b >> 3] & (1u << (b & 7)));
}

static const char *const vendor_names[VENDOR__COUNT] = {
	"chrome", "mozilla", "apple", "microsoft",
};

/* The rules with a cut-off, as the file spells them before ":TIME". */
static const struct {
	const char		*name;
	enum distrust_rule	 rule;
} dated_rules[] = {
	{ "issued-after",	RULE_ISSUED_AFTER },
	{ "issued-before",	RULE_ISSUED_BEFORE },
	{ "sct-after",		RULE_SCT_AFTER },
};

const char *
distrust_vendor_name(enum distrust_vendor v)
{
	return v < VENDOR__COUNT ? vendor_names[v] : "?";
}

/*
 * "all" or one vendor's name into a mask.  0, or -1 when unknown.
 */
int
distrust_vendor_parse(const char *s, unsigned *mask)
{
	size_t i;

	if (strcmp(s, "all") == 0) {
		*mask = VENDOR_ALL;
		return 0;
	}
	for (i = 0; i < VENDOR__COUNT; i++)
		if (strcmp(s, vendor_names[i]) == 0) {
			*mask = 1u << i;
			return 0;
		}
	return -1;
}

struct distrust_policy *
distrust_new(void)
{
	struct distrust_policy *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->vendors = VENDOR_ALL;
	return p;
}

void
distrust_free(struct distrust_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].ca);
		free(p->v[i].name);
		free(p->v[i].source);
	}
	free(p->v);
	free(p->set);
	free(p);
}

void
distrust_set_vendors(struct distrust_policy *p, unsigned mask)
{
	p->vendors = mask;
}

size_t
distrust_count(const struct distrust_policy *p)
{
	return p == NULL ? 0 : p->n;
}

/*
 * Every entry of the applicable vendors; see distrust.h.
 */
int
distrust_each(const struct distrust_policy *p,
    int (*fn)(const struct distrust_entry *, void *), void *arg)
{
	size_t i;
	int r;

	for (i = 0; p != NULL && i < p->n; i++)
		if ((p->vendors & (1u << p->v[i].vendor)) &&
		    (r = fn(&p->v[i], arg)) != 0)
			return r;
	return 0;
}

/*
 * "spki:HEX", "cert:HEX" or "name:TEXT" (lower case, as matched).
 */
void
distrust_match_text(const struct distrust_entry *e, char *buf, size_t len)
{
	char hex[SHA256_HEX_LEN];

	switch (e->match) {
	case MATCH_SPKI:
	case MATCH_CERT:
		hex_encode(e->hash, SHA256_LEN, hex);
		snprintf(buf, len, "%s:%s", e->match == MATCH_SPKI ? "spki" :
		    "cert", hex);
		break;
	case MATCH_NAME:
		snprintf(buf, len, "name:%s", e->name);
		break;
	}
}

/*
 * "all", "exempt" or "RULE:YYYY-MM-DDTHH:MM:SSZ".
 */
void
distrust_rule_text(const struct distrust_entry *e, char *buf, size_t len)
{
	char when[32];
	size_t i;

	if (e->rule == RULE_ALL || e->rule == RULE_EXEMPT) {
		snprintf(buf, len, "%s", e->rule == RULE_ALL ? "all" :
		    "exempt");
		return;
	}
	time_format_iso8601(e->date, when, sizeof(when));
	for (i = 0; i < sizeof(dated_rules) / sizeof(dated_rules[0]); i++)
		if (dated_rules[i].rule == e->rule)
			snprintf(buf, len, "%s:%s", dated_rules[i].name, when);
}

/*
 * The earliest instant after now at which an entry of the applicable
 * vendors takes effect, or 0 when none will: until then, matching at
 * any later instant gives what it gives at now.
 */
time_t
distrust_next_change(const struct distrust_policy *p, time_t now)
{
	time_t t = 0;
	size_t i;

	for (i = 0; p != NULL && i < p->n; i++)
		if ((p->vendors & (1u << p->v[i].vendor)) &&
		    p->v[i].effective > now && (t == 0 || p->v[i].effective < t))
			t = p->v[i].effective;
	return t;
}

static int
parse_hex64(const char *s, unsigned char out[SHA256_LEN])
{
	size_t i;
	unsigned v;

	if (strlen(s) != 2 * SHA256_LEN)
		return -1;
	for (i = 0; i < SHA256_LEN; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

static int
parse_match(const char *s, struct distrust_entry *e, int user)
{
	size_t i;

	if (strncmp(s, "spki:", 5) == 0) {
		e->match = MATCH_SPKI;
		return parse_hex64(s + 5, e->hash);
	}
	if (strncmp(s, "cert:", 5) == 0) {
		e->match = MATCH_CERT;
		return parse_hex64(s + 5, e->hash);
	}
	/* Names are the quick question, never the shipped policy's key. */
	if (user && strncmp(s, "name:", 5) == 0 && s[5] != '\0') {
		e->match = MATCH_NAME;
		if ((e->name = strdup(s + 5)) == NULL)
			return -1;
		for (i = 0; e->name[i] != '\0'; i++)
			e->name[i] = (char)tolower((unsigned char)e->name[i]);
		return 0;
	}
	return -1;
}

static int
parse_rule(const char *s, struct distrust_entry *e)
{
	size_t i, n;

	if (strcmp(s, "all") == 0) {
		e->rule = RULE_ALL;
		return 0;
	}
	if (strcmp(s, "exempt") == 0) {
		e->rule = RULE_EXEMPT;
		return 0;
	}
	for (i = 0; i < sizeof(dated_rules) / sizeof(dated_rules[0]); i++) {
		n = strlen(dated_rules[i].name);
		if (strncmp(s, dated_rules[i].name, n) == 0 && s[n] == ':') {
			e->rule = dated_rules[i].rule;
			return time_parse_iso8601(s + n + 1, &e->date);
		}
	}
	return -1;
}

/*
 * Parse one entry line (fields split in place).  Returns 0, 1 for a bad
 * line with the reason in why, -1 on ENOMEM.
 */
static int
parse_line(char *line, struct distrust_entry *e, int user, const char **why)
{
	char *f[7], *tok;
	size_t n = 0;
	unsigned mask;

	memset(e, 0, sizeof(*e));
	/* strtok would merge empty fields; count tabs by hand instead. */
	f[n++] = line;
	for (tok = line; *tok != '\0'; tok++)
		if (*tok == '\t') {
			*tok = '\0';
			if (n == 7)
				break;
			f[n++] = tok + 1;
		}
	if (n != 6) {
		*why = "expected 6 tab-separated fields: ca vendor effective "
		    "match rule source";
		return 1;
	}
	if (f[0][0] == '\0') {
		*why = "empty ca";
		return 1;
	}
	if (distrust_vendor_parse(f[1], &mask) < 0 || mask == VENDOR_ALL) {
		*why = "vendor is not chrome, mozilla, apple or microsoft";
		return 1;
	}
	e->vendor = (enum distrust_vendor)__builtin_ctz(mask);
	if (time_parse_iso8601(f[2], &e->effective) < 0) {
		*why = "effective is not a date (YYYY-MM-DD)";
		return 1;
	}
	if (parse_match(f[3], e, user) < 0) {
		free(e->name);
		e->name = NULL;
		*why = user ? "match is not spki:HEX64, cert:HEX64 or name:TEXT" :
		    "match is not spki:HEX64 or cert:HEX64";
		return 1;
	}
	if (parse_rule(f[4], e) < 0) {
		free(e->name);
		e->name = NULL;
		*why = "rule is not all, exempt, issued-after:TIME, "
		    "issued-before:TIME or sct-after:TIME";
		return 1;
	}
	e->ca = strdup(f[0]);
	e->source = strdup(f[5]);
	if (e->ca == NULL || e->source == NULL) {
		free(e->ca);
		free(e->source);
		free(e->name);
		return -1;
	}
	e->user = user;
	return 0;
}

/*
 * Do a and b make the same decision: vendor, match and rule with its
 * date?  The ca, effective date and source do not count: one key can
 * only be distrusted one way per vendor and rule, and a second line
 * saying it again (or otherwise) is a mistake to fix, not to merge.
 */
static int
entry_is_duplicate(const struct distrust_entry *a,
    const struct distrust_entry *b)
{
	if (a->vendor != b->vendor || a->rule != b->rule ||
	    a->match != b->match || a->date != b->date)
		return 0;
	if (a->match == MATCH_NAME)
		return strcmp(a->name, b->name) == 0;
	return memcmp(a->hash, b->hash, SHA256_LEN) == 0;
}

/* FNV-1a of the fields entry_is_duplicate compares. */
static size_t
decision_hash(const struct distrust_entry *e)
{
	uint64_t h = 14695981039346656037ULL;
	long long parts[4] = { e->vendor, e->rule, e->match,
	    (long long)e->date };
	const unsigned char *p;
	size_t i, len;

	for (i = 0; i < sizeof(parts); i++) {
		h ^= ((const unsigned char *)parts)[i];
		h *= 1099511628211ULL;
	}
	p = e->match == MATCH_NAME ? (const unsigned char *)e->name : e->hash;
	len = e->match == MATCH_NAME ? strlen(e->name) : SHA256_LEN;
	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The entry of p that e repeats, or NULL. */
static const struct distrust_entry *
find_duplicate(const struct distrust_policy *p,
    const struct distrust_entry *e)
{
	size_t i, mask;

	if (p->setcap == 0)
		return NULL;
	mask = p->setcap - 1;
	for (i = decision_hash(e) & mask; p->set[i] != 0; i = (i + 1) & mask)
		if (entry_is_duplicate(&p->v[p->set[i] - 1], e))
			return &p->v[p->set[i] - 1];
	return NULL;
}

/* Put entry idx of p into the set. */
static void
set_put(struct distrust_policy *p, size_t idx)
{
	size_t i, mask = p->setcap - 1;

	for (i = decision_hash(&p->v[idx]) & mask; p->set[i] != 0;
	    i = (i + 1) & mask)
		;
	p->set[i] = idx + 1;
}

/* Make room in the set for one more entry.  0, or -1 on ENOMEM. */
static int
set_reserve(struct distrust_policy *p)
{
	size_t *old = p->set, cap = p->setcap ? p->setcap * 2 : 64, i;

	if (2 * (p->n + 1) <= p->setcap)
		return 0;
	if ((p->set = calloc(cap, sizeof(*p->set))) == NULL) {
		p->set = old;
		return -1;
	}
	p->setcap = cap;
	for (i = 0; i < p->n; i++)
		set_put(p, i);
	free(old);
	return 0;
}

/*
 * Parse policy text; see distrust.h.
 */
int
distrust_parse(struct distrust_policy *p, const char *buf, size_t len,
    const char *origin, int user, void (*err)(const char *, void *),
    void *arg)
{
	struct distrust_entry e;
	const struct distrust_entry *dup;
	const char *why, *end, *nl;
	char *line = NULL, msg[512];
	unsigned lineno = 0;
	size_t l;
	int bad = 0, r;

	for (end = buf + len; buf < end; buf = nl + 1) {
		lineno++;
		if ((nl = memchr(buf, '\n', (size_t)(end - buf))) == NULL)
			nl = end;
		l = (size_t)(nl - buf);
		if (l > 0 && buf[l - 1] == '\r')
			l--;
		if (l == 0 || buf[0] == '#')
			continue;
		if ((line = malloc(l + 1)) == NULL)
			return -1;
		memcpy(line, buf, l);
		line[l] = '\0';
		r = parse_line(line, &e, user, &why);
		free(line);
		if (r < 0)
			return -1;
		if (r > 0) {
			bad++;
			snprintf(msg, sizeof(msg), "%s:%u: %s", origin, lineno,
			    why);
			if (err != NULL)
				err(msg, arg);
			continue;
		}
		if ((dup = find_duplicate(p, &e)) != NULL) {
			bad++;
			snprintf(msg, sizeof(msg), "%s:%u: duplicate of %s:%u "
			    "(the same vendor, match and rule)", origin, lineno,
			    dup->file, dup->line);
			if (err != NULL)
				err(msg, arg);
			free(e.ca);
			free(e.source);
			free(e.name);
			continue;
		}
		e.file = origin;
		e.line = lineno;
		if (array_reserve(&p->v, &p->cap, p->n + 1,
		    sizeof(*p->v)) < 0 || set_reserve(p) < 0) {
			free(e.ca);
			free(e.source);
			free(e.name);
			return -1;
		}
		if (e.match == MATCH_NAME)
			p->nname++;
		else
			p->prefix[hash_prefix(e.hash) >> 3] |=
			    1u << (hash_prefix(e.hash) & 7);
		p->v[p->n] = e;
		set_put(p, p->n++);
	}
	return bad;
}

/* Does entry e name certificate c (by key, certificate or name)? */
static int
entry_matches(const struct distrust_entry *e, const struct cert *c)
{
	switch (e->match) {
	case MATCH_SPKI:
		return memcmp(e->hash, c->spki_sha256, SHA256_LEN) == 0;
	case MATCH_CERT:
		return memcmp(e->hash, c->sha256, SHA256_LEN) == 0;
	case MATCH_NAME:
		/* "issuer CN contains startcom": who issued c. */
		return strcasestr(cert_issuer(c), e->name) != NULL;
	}
	return 0;
}

static int
entry_active(const struct distrust_policy *p, const struct distrust_entry *e,
    time_t now)
{
	return (p->vendors & (1u << e->vendor)) && now >= e->effective;
}

/* Is (ca, vendor) exempted by some exempt entry matching the path? */
static int
exempted(const struct distrust_policy *p, const struct distrust_query *q,
    const struct distrust_entry *e)
{
	const struct distrust_entry *x;
	size_t i, k;

	for (i = 0; i < p->n; i++) {
		x = &p->v[i];
		if (x->rule != RULE_EXEMPT || x->vendor != e->vendor ||
		    strcmp(x->ca, e->ca) != 0 || !entry_active(p, x, q->now))
			continue;
		for (k = 0; k < (q->npath > 0 ? q->npath : q->ncerts); k++)
			if (entry_matches(x, q->certs[k]))
				return 1;
	}
	return 0;
}

/* Does e's date rule hold for the leaf?  Sets *approx for SCT rules. */
static int
rule_holds(const struct distrust_entry *e, const struct cert *leaf,
    int *approx)
{
	time_t t;

	*approx = 0;
	switch (e->rule) {
	case RULE_ALL:
		return 1;
	case RULE_ISSUED_AFTER:
		return leaf->not_before > e->date;
	case RULE_ISSUED_BEFORE:
		return leaf->not_before < e->date;
	case RULE_SCT_AFTER:
		/*
		 * Chrome keys on the earliest embedded SCT; a certificate
		 * without one is judged by notBefore, and the report says so.
		 */
		if (leaf->nscts > 0)
			t = leaf->earliest_sct;
		else {
			t = leaf->not_before;
			*approx = 1;
		}
		return t > e->date;
	case RULE_EXEMPT:
		return 0;
	}
	return 0;
}

/*
 * Every applicable entry for the query; see distrust.h.
 */
int
distrust_match(const struct distrust_policy *p,
    const struct distrust_query *q,
    int (*fn)(const struct distrust_hit *, void *), void *arg)
{
	const struct distrust_entry *e;
	struct distrust_hit hit;
	size_t i, k;
	int approx, r;

	if (p == NULL)
		return 0;
	for (k = 0; k < q->ncerts; k++) {
		if (!may_match(p, q->certs[k]))
			continue;
		for (i = 0; i < p->n; i++) {
			e = &p->v[i];
			if (e->rule == RULE_EXEMPT || !entry_active(p, e, q->now) ||
			    !entry_matches(e, q->certs[k]) ||
			    !rule_holds(e, q->leaf, &approx) ||
			    exempted(p, q, e))
				continue;
			memset(&hit, 0, sizeof(hit));
			hit.entry = e;
			hit.cert = k;
			hit.name_based = e->match == MATCH_NAME;
			hit.sct_from_not_before = approx;
			if ((r = fn(&hit, arg)) != 0)
				return r;
		}
	}
	return 0;
}
