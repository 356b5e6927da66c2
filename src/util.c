/*
 * util.c: small shared helpers (growable arrays, hex, hashing, time,
 * reading whole files, excerpts of untrusted text).
 */
#include <config.h>

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "util.h"

/*
 * Grow *v to hold at least n elements of size sz, doubling so that
 * appending one at a time stays linear.
 */
int
array_reserve(void *v, size_t *cap, size_t n, size_t sz)
{
	void	**pv = v;
	void	 *nv;
	size_t	  ncap;

	if (n <= *cap)
		return 0;
	if (sz == 0)
		return -1;
	ncap = *cap < 8 ? 8 : *cap;
	while (ncap < n) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / sz)
		return -1;
	if ((nv = realloc(*pv, ncap * sz)) == NULL)
		return -1;
	*pv = nv;
	*cap = ncap;
	return 0;
}

/* See util.h: buf when n elements fit, else calloc. */
void *
small_calloc(void *buf, size_t len, size_t n, size_t sz)
{
	if (sz != 0 && n <= len / sz) {
		memset(buf, 0, n * sz);
		return buf;
	}
	/* Refused here: calloc would too, but sanitizers call it a bug. */
	if (sz != 0 && n > SIZE_MAX / sz)
		return NULL;
	return calloc(n, sz);
}

/* Free p unless it is buf: see small_calloc. */
void
small_free(void *p, const void *buf)
{
	if (p != buf)
		free(p);
}

/* See util.h. */
void
str_copy(char *dst, size_t len, const char *src)
{
	size_t n;

	if (len == 0)
		return;
	n = strnlen(src, len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Lower-case hex of len bytes, NUL-terminated. */
void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* SHA-256 through GnuTLS; out is written only on success. */
int
sha256(const void *in, size_t len, unsigned char out[SHA256_LEN])
{
	unsigned char	 md[SHA256_LEN];

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, in, len, md) < 0)
		return -1;
	memcpy(out, md, sizeof(md));
	return 0;
}

/*
 * Read exactly n decimal digits at *sp into *out and advance *sp.
 * Returns 0, or -1 when fewer than n digits are there.
 */
static int
get_digits(const char **sp, int n, int *out)
{
	const char	*s = *sp;
	int		 i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*sp = s + n;
	*out = v;
	return 0;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int	 days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

/* "@EPOCH": an optional minus sign and decimal digits, nothing else. */
static int
parse_epoch(const char *s, time_t *out)
{
	long long	 v = 0;
	int		 neg = 0, d;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = *s - '0';
		if (v > (LLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg)
		v = -v;
	if ((long long)(time_t)v != v)
		return -1;
	*out = (time_t)v;
	return 0;
}

/*
 * Strict ISO 8601 / RFC 3339 subset in UTC: every field has its fixed
 * width, calendar fields are range-checked (no 2016-02-30), and nothing
 * may follow the optional zone designator.
 */
int
time_parse_iso8601(const char *s, time_t *out)
{
	struct tm	 tm;
	time_t		 t;
	int		 y, mo, d, h = 0, mi = 0, sec = 0;

	if (s == NULL)
		return -1;
	if (*s == '@')
		return parse_epoch(s + 1, out);

	if (get_digits(&s, 4, &y) == -1 || *s++ != '-' ||
	    get_digits(&s, 2, &mo) == -1 || *s++ != '-' ||
	    get_digits(&s, 2, &d) == -1)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;

	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (get_digits(&s, 2, &h) == -1 || *s++ != ':' ||
		    get_digits(&s, 2, &mi) == -1)
			return -1;
		if (*s == ':') {
			s++;
			if (get_digits(&s, 2, &sec) == -1)
				return -1;
		}
		if (h > 23 || mi > 59 || sec > 59)
			return -1;
		if (*s == 'Z' || *s == 'z')
			s++;
		else if (strncmp(s, "+00:00", 6) == 0)
			s += 6;
	}
	if (*s != '\0')
		return -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* The fields were checked, so -1 here is 1969-12-31T23:59:59. */
	if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31 &&
	    h == 23 && mi == 59 && sec == 59))
		return -1;
	*out = t;
	return 0;
}

/*
 * Seconds from 0000-03-01 to 1970-01-01, and the epoch's seconds of
 * 1000-01-01 and 10000-01-01: the years strftime's %Y writes in four
 * digits (it does not pad 0-999).
 */
#define ISO_EPOCH_OFFSET	62162035200LL
#define ISO_YEAR_1000		(-30610224000LL)
#define ISO_YEAR_10000		253402300800LL

/* n as exactly width decimal digits at out. */
static void
put_digits(char *out, unsigned n, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + n % 10);
		n /= 10;
	}
}

/*
 * "YYYY-MM-DDTHH:MM:SSZ"; an unrepresentable time comes out as "?".
 * Years 1000 to 9999 by hand (days to a civil date in the proleptic
 * Gregorian calendar, counted from 0000-03-01 so that the leap day ends
 * a year): a scan writes a time a row, and gmtime_r + strftime were 4%
 * of the writer's instructions.  Other times as strftime prints them
 * (tests/test_util.c holds the two side by side).
 */
void
time_format_iso8601(time_t t, char *out, size_t outlen)
{
	struct tm	 tm;
	long long	 s, days, era, doe, yoe, doy, mp, y, m, d, sod;

	if (outlen == 0)
		return;
	if (outlen >= 21 && (long long)t >= ISO_YEAR_1000 &&
	    (long long)t < ISO_YEAR_10000) {
		s = (long long)t + ISO_EPOCH_OFFSET;	/* from 0000-03-01 */
		days = s / 86400;
		sod = s % 86400;
		era = days / 146097;
		doe = days - era * 146097;
		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		mp = (5 * doy + 2) / 153;
		d = doy - (153 * mp + 2) / 5 + 1;
		m = mp < 10 ? mp + 3 : mp - 9;
		y = yoe + era * 400 + (m <= 2);
		put_digits(out, (unsigned)y, 4);
		out[4] = '-';
		put_digits(out + 5, (unsigned)m, 2);
		out[7] = '-';
		put_digits(out + 8, (unsigned)d, 2);
		out[10] = 'T';
		put_digits(out + 11, (unsigned)(sod / 3600), 2);
		out[13] = ':';
		put_digits(out + 14, (unsigned)(sod / 60 % 60), 2);
		out[16] = ':';
		put_digits(out + 17, (unsigned)(sod % 60), 2);
		out[19] = 'Z';
		out[20] = '\0';
		return;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, outlen, "?");
}

/*
 * The printf-style reason into err; see util.h.
 */
void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* strerror(e) with a lower-case first letter, as chainaudit words errors. */
static void
set_errno_reason(char *err, size_t errlen, int e)
{
	if (errlen == 0)
		return;
	snprintf(err, errlen, "%s", strerror(e));
	err[0] = (char)tolower((unsigned char)err[0]);
}

/*
 * Slurp a file descriptor.  Regular files are sized up front; pipes and
 * terminals grow the buffer as they go.  The buffer always has one byte
 * past the data, set to NUL, so text parsers may treat it as a string.
 */
int
file_read_all(const char *path, unsigned char **buf, size_t *len,
    char *err, size_t errlen)
{
	struct stat	 st;
	unsigned char	*b = NULL;
	size_t		 cap = 0, n = 0;
	ssize_t		 r;
	int		 fd = -1, rc = -1, close_fd = 0;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			set_errno_reason(err, errlen, errno);
			goto out;
		}
		close_fd = 1;
	}
	if (fstat(fd, &st) == -1) {
		set_errno_reason(err, errlen, errno);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory");
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX - 1) {
		if (array_reserve(&b, &cap, (size_t)st.st_size + 1, 1) == -1) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}

	for (;;) {
		if (cap - n < 2 &&
		    array_reserve(&b, &cap, n + 4096 + 1, 1) == -1) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			set_errno_reason(err, errlen, errno);
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';

	*buf = b;
	*len = n;
	b = NULL;
	rc = 0;
 out:
	if (close_fd)
		close(fd);
	free(b);
	return rc;
}

/* strdup that passes NULL through. */
char *
xstrdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return strdup(s);
}

/* Printable excerpt of untrusted bytes; see util.h. */
const char *
text_excerpt(const unsigned char *b, size_t len, char *buf, size_t blen)
{
	size_t	 i, o = 0;

	for (i = 0; i < len && o + 5 < blen && i < TEXT_EXCERPT_MAX; i++) {
		if (b[i] == '\r' || b[i] == '\n')
			break;
		if (b[i] < 0x20 || b[i] >= 0x7f)
			o += (size_t)snprintf(buf + o, blen - o, "\\x%02x",
			    b[i]);
		else
			buf[o++] = (char)b[i];
	}
	buf[o] = '\0';
	return buf;
}

/*
 * Levenshtein distance between a and b, for "did you mean": strings of
 * up to 63 bytes; SIZE_MAX when one is longer.
 */
size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, diag;
	size_t row[64];

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			prev = row[j];
			cur = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			diag = prev;
		}
	}
	return row[lb];
}

/* 1 when word is a near miss of name (a typo's distance), else 0. */
int
is_near_miss(const char *word, const char *name)
{
	size_t d = edit_distance(word, name);

	/* Short words get one edit: two would make "xml" a typo of "html". */
	return d > 0 && d <= (strlen(word) > 4 ? 2 : 1);
}
