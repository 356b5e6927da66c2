/*
 * truststores.c: the named trust stores' history: parse it once, choose
 * a store's version at an instant, load that version's anchors.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "pem.h"
#include "truststores.h"

#define MSG_LEN		512
#define MAX_FIELDS	8

/*
 * The stores, in the order "all" lists them.  The history names them;
 * system is the one without a history.
 */
static const struct {
	const char	*name;
	const char	*source;
} store_table[] = {
	{ "mozilla",	"Mozilla's website roots as shipped by certifi "
			"(certifi/python-certifi)" },
	{ "chrome",	"Chrome Root Store, root_store.textproto v17 "
			"(chromium/chromium)" },
	{ "apple",	"Apple macOS roots as committed by sslyze "
			"(nabla-c0d3/sslyze)" },
	{ "microsoft",	"Microsoft Windows roots as committed by sslyze" },
	{ "android",	"Android (AOSP) roots as committed by sslyze" },
	{ "java",	"Oracle Java, from 2018-12-01 OpenJDK, as committed "
			"by sslyze" },
	{ TSTORE_SYSTEM, "the system's CA file as it is today" },
};
#define NSTORES	(sizeof(store_table) / sizeof(store_table[0]))
_Static_assert(NSTORES == TSTORE_COUNT, "TSTORE_COUNT is the table's size");

static const char *const store_names[] = {
	"mozilla", "chrome", "apple", "microsoft", "android", "java",
	TSTORE_SYSTEM, NULL
};

/* A certificate of the PEM: its block, found by its hash. */
struct ts_cert {
	char		 hex[SHA256_HEX_LEN];
	const char	*pem;		/* borrowed: BEGIN to END line */
	size_t		 pemlen;
};

struct ts_snap {
	char		 date[TSTORE_DATE_LEN];
	char		*label;		/* owned */
};

/* Snapshots from..to (indexes, inclusive) holding a certificate. */
struct ts_run {
	size_t		 from, to;
};

struct ts_row {
	size_t		 cert;		/* index in db->certs */
	struct ts_run	*runs;		/* owned */
	size_t		 nruns;
};

struct ts_store {
	struct ts_snap	*snaps;		/* owned, dates strictly rising */
	size_t		 nsnaps, snapcap;
	struct ts_row	*rows;		/* owned */
	size_t		 nrows, rowcap;
};

struct tstore_db {
	struct ts_cert	*certs;		/* owned, sorted by hex */
	size_t		 ncerts, certcap;
	struct ts_store	 stores[NSTORES];	/* by store_table index */
	struct tstore_sources names;	/* borrowed strings */
};

/* A line of a TSV or PEM buffer. */
struct line {
	const char	*p;
	size_t		 len;		/* without the line end */
	size_t		 no;		/* 1-based */
};

/*
 * 1 for a store name or "all"; see truststores.h.
 */
int
tstore_name_is_valid(const char *name)
{
	size_t i;

	if (strcmp(name, TSTORE_ALL) == 0)
		return 1;
	for (i = 0; i < NSTORES; i++)
		if (strcmp(store_table[i].name, name) == 0)
			return 1;
	return 0;
}

/*
 * The names in "all" order, NULL-terminated and static.
 */
const char *const *
tstore_names(void)
{
	return store_names;
}

/* The store_table index of name, or -1. */
static int
store_index(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NSTORES; i++)
		if (strlen(store_table[i].name) == len &&
		    memcmp(store_table[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static void warnf(void (*)(const char *, void *), void *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
warnf(void (*warn)(const char *, void *), void *arg, const char *fmt, ...)
{
	char msg[MSG_LEN];
	va_list ap;

	if (warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(msg, arg);
}

/* The next line of buf from *off; 0 at the end. */
static int
next_line(const char *buf, size_t len, size_t *off, struct line *l)
{
	const char *nl;

	if (*off >= len)
		return 0;
	l->p = buf + *off;
	if ((nl = memchr(l->p, '\n', len - *off)) == NULL) {
		l->len = len - *off;
		*off = len;
	} else {
		l->len = (size_t)(nl - l->p);
		*off += l->len + 1;
	}
	if (l->len > 0 && l->p[l->len - 1] == '\r')
		l->len--;
	l->no++;
	return 1;
}

/* Split a line at tabs into at most max fields.  Returns the count. */
static size_t
split_tabs(const struct line *l, const char **f, size_t *flen, size_t max)
{
	const char *p = l->p, *end = l->p + l->len, *tab;
	size_t n = 0;

	while (n < max) {
		tab = memchr(p, '\t', (size_t)(end - p));
		f[n] = p;
		flen[n] = (tab != NULL ? tab : end) - p;
		n++;
		if (tab == NULL)
			break;
		p = tab + 1;
	}
	return n;
}

/* 1 when s is "YYYY-MM-DD" in shape. */
static int
is_date(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	if (len != sizeof(shape) - 1)
		return 0;
	for (i = 0; i < len; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') :
		    s[i] != shape[i])
			return 0;
	return 1;
}

static int
is_hex64(const char *s, size_t len)
{
	size_t i;

	if (len != SHA256_HEX_LEN - 1)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int
cert_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ts_cert *)a)->hex,
	    ((const struct ts_cert *)b)->hex);
}

/* The index of the certificate named hex, or -1. */
static long
find_cert(const struct tstore_db *db, const char *hex)
{
	struct ts_cert key, *c;

	memcpy(key.hex, hex, sizeof(key.hex));
	c = bsearch(&key, db->certs, db->ncerts, sizeof(*db->certs),
	    cert_cmp);
	return c == NULL ? -1 : (long)(c - db->certs);
}

/*
 * Index the PEM: every "# sha256=HEX ..." line names the block that
 * follows it.  0, or -1 when memory ran out.
 */
static int
parse_roots(struct tstore_db *db, const char *buf, size_t len,
    void (*warn)(const char *, void *), void *arg)
{
	const char *origin = db->names.roots;
	struct line l;
	char hex[SHA256_HEX_LEN] = "";
	const char *begin = NULL;
	size_t off = 0, i, n, hexline = 0;

	memset(&l, 0, sizeof(l));
	while (next_line(buf, len, &off, &l)) {
		if (l.len > 9 && memcmp(l.p, "# sha256=", 9) == 0) {
			if (hex[0] != '\0')
				warnf(warn, arg, "%s:%zu: sha256=%s has no "
				    "certificate block: skipped", origin,
				    hexline, hex);
			hex[0] = '\0';
			for (n = 0; 9 + n < l.len && l.p[9 + n] != ' ' &&
			    l.p[9 + n] != '\t'; n++)
				continue;
			if (!is_hex64(l.p + 9, n)) {
				warnf(warn, arg, "%s:%zu: not a sha256= "
				    "line: skipped", origin, l.no);
				continue;
			}
			memcpy(hex, l.p + 9, n);
			hex[n] = '\0';
			hexline = l.no;
			continue;
		}
		if (l.len >= 27 && memcmp(l.p, "-----BEGIN CERTIFICATE-----",
		    27) == 0) {
			if (hex[0] == '\0')
				warnf(warn, arg, "%s:%zu: a certificate "
				    "without its '# sha256=' line: skipped",
				    origin, l.no);
			begin = hex[0] != '\0' ? l.p : NULL;
			continue;
		}
		if (begin == NULL || l.len < 25 ||
		    memcmp(l.p, "-----END CERTIFICATE-----", 25) != 0)
			continue;
		if (array_reserve(&db->certs, &db->certcap, db->ncerts + 1,
		    sizeof(*db->certs)) < 0)
			return -1;
		memcpy(db->certs[db->ncerts].hex, hex, sizeof(hex));
		db->certs[db->ncerts].pem = begin;
		db->certs[db->ncerts].pemlen = (size_t)(l.p + l.len - begin);
		db->ncerts++;
		begin = NULL;
		hex[0] = '\0';
	}
	if (hex[0] != '\0')
		warnf(warn, arg, "%s:%zu: sha256=%s has no certificate block: "
		    "skipped", origin, hexline, hex);
	qsort(db->certs, db->ncerts, sizeof(*db->certs), cert_cmp);
	for (i = 1, n = db->ncerts ? 1 : 0; i < db->ncerts; i++) {
		if (strcmp(db->certs[i].hex, db->certs[n - 1].hex) == 0) {
			warnf(warn, arg, "%s: sha256=%s appears twice: one "
			    "copy is used", origin, db->certs[i].hex);
			continue;
		}
		db->certs[n++] = db->certs[i];
	}
	db->ncerts = n;
	return 0;
}

/* store, date, label[, ...]: one snapshot per line, dates rising. */
static int
parse_snapshots(struct tstore_db *db, const char *buf, size_t len,
    void (*warn)(const char *, void *), void *arg)
{
	const char *origin = db->names.snapshots;
	const char *f[MAX_FIELDS];
	size_t flen[MAX_FIELDS], off = 0, nf;
	struct ts_store *st;
	struct ts_snap *sn;
	struct line l;
	int si;

	memset(&l, 0, sizeof(l));
	while (next_line(buf, len, &off, &l)) {
		if (l.len == 0 || l.p[0] == '#')
			continue;
		nf = split_tabs(&l, f, flen, MAX_FIELDS);
		if (nf < 3) {
			warnf(warn, arg, "%s:%zu: not store, date, label: "
			    "skipped", origin, l.no);
			continue;
		}
		if ((si = store_index(f[0], flen[0])) < 0 ||
		    strcmp(store_table[si].name, TSTORE_SYSTEM) == 0) {
			warnf(warn, arg, "%s:%zu: unknown store '%.*s': "
			    "skipped", origin, l.no, (int)flen[0], f[0]);
			continue;
		}
		st = &db->stores[si];
		if (!is_date(f[1], flen[1]) || (st->nsnaps > 0 &&
		    memcmp(f[1], st->snaps[st->nsnaps - 1].date, 10) <= 0)) {
			warnf(warn, arg, "%s:%zu: '%.*s' is not a date after "
			    "the store's previous snapshot: skipped", origin,
			    l.no, (int)flen[1], f[1]);
			continue;
		}
		if (array_reserve(&st->snaps, &st->snapcap, st->nsnaps + 1,
		    sizeof(*st->snaps)) < 0)
			return -1;
		sn = &st->snaps[st->nsnaps];
		memcpy(sn->date, f[1], 10);
		sn->date[10] = '\0';
		if ((sn->label = strndup(f[2], flen[2])) == NULL)
			return -1;
		st->nsnaps++;
	}
	return 0;
}

/* The index of the snapshot dated date in st, or -1. */
static long
find_snap(const struct ts_store *st, const char *date, size_t len)
{
	size_t lo = 0, hi = st->nsnaps, mid;
	int c;

	if (len != 10)
		return -1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = memcmp(st->snaps[mid].date, date, 10)) == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * "from..to;from..": runs of snapshot dates into row.  -1 when memory
 * ran out, 1 when the text is bad (why in err), 0 otherwise.
 */
static int
parse_runs(const struct ts_store *st, const char *s, size_t len,
    struct ts_row *row, char *err, size_t errlen)
{
	const char *end = s + len, *semi, *dots;
	size_t cap = 0;
	long from, to;

	while (s < end) {
		if ((semi = memchr(s, ';', (size_t)(end - s))) == NULL)
			semi = end;
		dots = memmem(s, (size_t)(semi - s), "..", 2);
		if (dots == NULL || (from = find_snap(st, s,
		    (size_t)(dots - s))) < 0) {
			snprintf(err, errlen, "'%.*s' does not start at a "
			    "snapshot date", (int)(semi - s), s);
			return 1;
		}
		if (dots + 2 == semi)
			to = (long)st->nsnaps - 1;
		else if ((to = find_snap(st, dots + 2,
		    (size_t)(semi - dots - 2))) < 0 || to < from) {
			snprintf(err, errlen, "'%.*s' does not end at a later "
			    "snapshot date", (int)(semi - s), s);
			return 1;
		}
		if (array_reserve(&row->runs, &cap, row->nruns + 1,
		    sizeof(*row->runs)) < 0)
			return -1;
		row->runs[row->nruns].from = (size_t)from;
		row->runs[row->nruns].to = (size_t)to;
		row->nruns++;
		s = semi < end ? semi + 1 : end;
	}
	if (row->nruns == 0) {
		snprintf(err, errlen, "no present interval");
		return 1;
	}
	return 0;
}

/* store, sha256, present_intervals: one row per (store, certificate). */
static int
parse_history(struct tstore_db *db, const char *buf, size_t len,
    void (*warn)(const char *, void *), void *arg)
{
	const char *origin = db->names.history;
	const char *f[MAX_FIELDS];
	char hex[SHA256_HEX_LEN], why[MSG_LEN];
	size_t flen[MAX_FIELDS], off = 0;
	struct ts_store *st;
	struct ts_row row;
	struct line l;
	long ci;
	int si, r;

	memset(&l, 0, sizeof(l));
	while (next_line(buf, len, &off, &l)) {
		if (l.len == 0 || l.p[0] == '#')
			continue;
		if (split_tabs(&l, f, flen, MAX_FIELDS) < 3) {
			warnf(warn, arg, "%s:%zu: not store, sha256, "
			    "intervals: skipped", origin, l.no);
			continue;
		}
		if ((si = store_index(f[0], flen[0])) < 0 ||
		    db->stores[si].nsnaps == 0) {
			warnf(warn, arg, "%s:%zu: store '%.*s' has no "
			    "snapshots: skipped", origin, l.no, (int)flen[0],
			    f[0]);
			continue;
		}
		st = &db->stores[si];
		if (!is_hex64(f[1], flen[1])) {
			warnf(warn, arg, "%s:%zu: '%.*s' is not a sha256: "
			    "skipped", origin, l.no, (int)flen[1], f[1]);
			continue;
		}
		memcpy(hex, f[1], flen[1]);
		hex[flen[1]] = '\0';
		if ((ci = find_cert(db, hex)) < 0) {
			warnf(warn, arg, "%s:%zu: sha256=%s is not in %s: "
			    "skipped", origin, l.no, hex, db->names.roots);
			continue;
		}
		memset(&row, 0, sizeof(row));
		row.cert = (size_t)ci;
		if ((r = parse_runs(st, f[2], flen[2], &row, why,
		    sizeof(why))) != 0) {
			free(row.runs);
			if (r < 0)
				return -1;
			warnf(warn, arg, "%s:%zu: %s: skipped", origin, l.no,
			    why);
			continue;
		}
		if (array_reserve(&st->rows, &st->rowcap, st->nrows + 1,
		    sizeof(*st->rows)) < 0) {
			free(row.runs);
			return -1;
		}
		st->rows[st->nrows++] = row;
	}
	return 0;
}

/*
 * Parse the three buffers; see truststores.h.
 */
struct tstore_db *
tstore_db_parse(const char *roots, size_t rootslen, const char *history,
    size_t historylen, const char *snapshots, size_t snapshotslen,
    const struct tstore_sources *names, void (*warn)(const char *, void *),
    void *arg)
{
	struct tstore_db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->names = *names;
	if (parse_roots(db, roots, rootslen, warn, arg) < 0 ||
	    parse_snapshots(db, snapshots, snapshotslen, warn, arg) < 0 ||
	    parse_history(db, history, historylen, warn, arg) < 0) {
		tstore_db_free(db);
		return NULL;
	}
	return db;
}

/*
 * Free db and all it owns (the buffers it was parsed from are the
 * caller's).  NULL is fine.
 */
void
tstore_db_free(struct tstore_db *db)
{
	size_t i, j;

	if (db == NULL)
		return;
	for (i = 0; i < NSTORES; i++) {
		for (j = 0; j < db->stores[i].nsnaps; j++)
			free(db->stores[i].snaps[j].label);
		free(db->stores[i].snaps);
		for (j = 0; j < db->stores[i].nrows; j++)
			free(db->stores[i].rows[j].runs);
		free(db->stores[i].rows);
	}
	free(db->certs);
	free(db);
}

/* t's day, "YYYY-MM-DD" (UTC), clamped to four-digit years. */
static void
day_of(time_t t, char day[TSTORE_DATE_LEN])
{
	struct tm tm;
	long year;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(day, TSTORE_DATE_LEN, "%s", t < 0 ? "0000-01-01" :
		    "9999-12-31");
		return;
	}
	year = (long)tm.tm_year + 1900;
	if (year < 0)
		snprintf(day, TSTORE_DATE_LEN, "0000-01-01");
	else if (year > 9999)
		snprintf(day, TSTORE_DATE_LEN, "9999-12-31");
	else
		snprintf(day, TSTORE_DATE_LEN, "%04ld-%02u-%02u", year,
		    (unsigned)(tm.tm_mon + 1) % 100,
		    (unsigned)tm.tm_mday % 100);
}

/*
 * The version of name in force at t; see truststores.h.
 */
int
tstore_version_at(const struct tstore_db *db, const char *name, time_t t,
    struct tstore_version *v)
{
	const struct ts_store *st;
	char day[TSTORE_DATE_LEN];
	size_t lo, hi, mid;
	int si;

	if ((si = store_index(name, strlen(name))) < 0)
		return -1;
	memset(v, 0, sizeof(*v));
	v->name = store_table[si].name;
	v->store = (size_t)si;
	if (strcmp(name, TSTORE_SYSTEM) == 0) {
		v->label = "";
		v->pos = TSTORE_TODAY;
		return 0;
	}
	st = &db->stores[si];
	if (st->nsnaps == 0)
		return -1;
	day_of(t, day);
	/* lo: the number of snapshots dated on or before day. */
	lo = 0;
	hi = st->nsnaps;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(st->snaps[mid].date, day) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		v->index = 0;
		v->pos = TSTORE_BEFORE;
	} else {
		v->index = lo - 1;
		v->pos = lo == st->nsnaps &&
		    strcmp(st->snaps[lo - 1].date, day) < 0 ?
		    TSTORE_AFTER : TSTORE_WITHIN;
	}
	v->date = st->snaps[v->index].date;
	v->label = st->snaps[v->index].label;
	v->first = st->snaps[0].date;
	v->last = st->snaps[st->nsnaps - 1].date;
	return 0;
}

/*
 * A few words on where v falls in its history, for reports; see
 * truststores.h.
 */
void
tstore_version_note(const struct tstore_version *v, char *buf, size_t len)
{
	switch (v->pos) {
	case TSTORE_BEFORE:
		snprintf(buf, len, "before the recorded history (first: %s)",
		    v->first);
		break;
	case TSTORE_AFTER:
		snprintf(buf, len, "the newest recorded version; later "
		    "changes are not known");
		break;
	case TSTORE_TODAY:
		snprintf(buf, len, "today's system file, whatever the "
		    "evaluation time");
		break;
	default:
		snprintf(buf, len, "%s", "");
		break;
	}
}

/* 1 when one of row's runs covers snapshot index. */
static int
row_in(const struct ts_row *row, size_t index)
{
	size_t i;

	for (i = 0; i < row->nruns; i++)
		if (row->runs[i].from <= index && index <= row->runs[i].to)
			return 1;
	return 0;
}

/*
 * Parse one certificate of the PEM into *out (owned).  1 done, 0 when it
 * does not parse or is not the one named (why in err), -1 when memory
 * ran out.
 */
static int
load_cert(const struct ts_cert *tc, struct cert **out, char *err,
    size_t errlen)
{
	struct der_list list;
	struct cert *c;
	int ret = -1;

	memset(&list, 0, sizeof(list));
	if (pem_decode((const unsigned char *)tc->pem, tc->pemlen,
	    &list) < 0)
		goto out;
	ret = 0;
	if (list.n != 1) {
		snprintf(err, errlen, "%s", list.nerrors > 0 ?
		    list.errors[0] : "not one certificate");
		goto out;
	}
	if ((c = cert_parse(list.v[0].der, list.v[0].len, err,
	    errlen)) == NULL)
		goto out;
	if (strcmp(c->sha256_hex, tc->hex) != 0) {
		snprintf(err, errlen, "its SHA-256 is %s", c->sha256_hex);
		cert_free(c);
		goto out;
	}
	*out = c;
	ret = 1;
out:
	der_list_free(&list);
	return ret;
}

/*
 * Add version v's certificates to store; see truststores.h.
 */
int
tstore_load(const struct tstore_db *db, const struct tstore_version *v,
    struct trust_store *store, enum trust_kind kind,
    void (*warn)(const char *, void *), void *arg)
{
	const struct ts_store *st;
	const struct ts_row *row;
	struct cert *c = NULL;
	char origin[128], err[ERRBUF_LEN];
	size_t i;
	int added = 0, r;

	if (v->store >= NSTORES || v->date == NULL)
		return 0;
	st = &db->stores[v->store];
	snprintf(origin, sizeof(origin), "%s trust store as of %s", v->name,
	    v->date);
	for (i = 0; i < st->nrows; i++) {
		row = &st->rows[i];
		if (!row_in(row, v->index))
			continue;
		if ((r = load_cert(&db->certs[row->cert], &c, err,
		    sizeof(err))) < 0)
			return -1;
		if (r == 0) {
			warnf(warn, arg, "%s: sha256=%s (%s %s): %s: skipped",
			    db->names.roots, db->certs[row->cert].hex,
			    v->name, v->date, err);
			continue;
		}
		if (trust_store_add_cert(store, c, kind, origin) < 0)
			return -1;
		added++;
	}
	return added;
}

/*
 * 1 when version v holds the certificate whose SHA-256 is sha.
 */
int
tstore_version_has(const struct tstore_db *db, const struct tstore_version *v,
    const unsigned char *sha)
{
	const struct ts_store *st;
	char hex[SHA256_HEX_LEN];
	long ci;
	size_t i;

	if (v->store >= NSTORES || v->date == NULL)
		return 0;
	hex_encode(sha, SHA256_LEN, hex);
	if ((ci = find_cert(db, hex)) < 0)
		return 0;
	st = &db->stores[v->store];
	for (i = 0; i < st->nrows; i++)
		if (st->rows[i].cert == (size_t)ci)
			return row_in(&st->rows[i], v->index);
	return 0;
}

/*
 * What the history records of store name; see truststores.h.
 */
int
tstore_info(const struct tstore_db *db, const char *name,
    struct tstore_info *info)
{
	const struct ts_store *st;
	size_t i;
	int si;

	if ((si = store_index(name, strlen(name))) < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	info->name = store_table[si].name;
	info->source = store_table[si].source;
	st = &db->stores[si];
	if (st->nsnaps == 0)
		return 0;
	info->versions = st->nsnaps;
	info->first = st->snaps[0].date;
	info->last = st->snaps[st->nsnaps - 1].date;
	info->certs = st->nrows;
	for (i = 0; i < st->nrows; i++)
		info->newest += row_in(&st->rows[i], st->nsnaps - 1);
	return 0;
}
