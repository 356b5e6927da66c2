/*
 * jsonw.c: a small streaming JSON writer (RFC 8259).
 *
 * The writer keeps one flag per nesting level (no member written yet) so
 * callers never place commas themselves.  Strings are written as UTF-8;
 * bytes that are not well-formed UTF-8 become U+FFFD, one replacement per
 * maximal ill-formed subsequence (Unicode 3.9, "best practice"), so the
 * document always parses whatever the certificate said.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jsonw.h"
#include "safetext.h"
#include "util.h"

static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */

static void
put(struct jsonw *w, const char *s, size_t len)
{
	if (len == 0)
		return;
	if (fwrite(s, 1, len, w->fp) != len)
		w->error = 1;
}

static void
put_str(struct jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

static void
newline(struct jsonw *w)
{
	int	 i;

	if (!w->pretty)
		return;
	put(w, "\n", 1);
	for (i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

/*
 * Called before any value or key: writes the comma and line break that
 * separate it from the previous member, unless it follows a key.
 */
static void
separate(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		put(w, ",", 1);
	w->first[w->depth] = 0;
	newline(w);
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes
 * available), or 0 when it is ill-formed; *bad is then set to the length
 * of the maximal ill-formed subpart to replace (at least 1).
 */
static size_t
utf8_len(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	size_t		 need, i;

	*bad = 1;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;	/* C0, C1, F5..FF, stray continuation */

	for (i = 1; i < need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need;
}

static void
escape(unsigned char c, char *esc, size_t len)
{
	switch (c) {
	case '"':
		snprintf(esc, len, "\\\"");
		break;
	case '\\':
		snprintf(esc, len, "\\\\");
		break;
	case '\n':
		snprintf(esc, len, "\\n");
		break;
	case '\r':
		snprintf(esc, len, "\\r");
		break;
	case '\t':
		snprintf(esc, len, "\\t");
		break;
	case '\b':
		snprintf(esc, len, "\\b");
		break;
	case '\f':
		snprintf(esc, len, "\\f");
		break;
	default:
		snprintf(esc, len, "\\u%04x", c);
		break;
	}
}

/*
 * Write the inside of a string: well-formed runs are copied as they are,
 * the rest escaped or replaced.
 */
static void
string_body(struct jsonw *w, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n = strlen(str), i = 0, start = 0, len, bad;
	char			 esc[8];

	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x80) {
			if ((len = utf8_len(s + i, n - i, &bad)) != 0) {
				i += len;
				continue;
			}
			put(w, str + start, i - start);
			put_str(w, replacement);
			i += bad;
			start = i;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
			i++;
			continue;
		}
		put(w, str + start, i - start);
		escape(c, esc, sizeof(esc));
		put_str(w, esc);
		start = ++i;
	}
	put(w, str + start, n - start);
}

/* A quoted, escaped string (a value or a key). */
static void
string(struct jsonw *w, const char *s)
{
	put(w, "\"", 1);
	string_body(w, s);
	put(w, "\"", 1);
}

/*
 * Set up w to write a document to fp (borrowed), indented when pretty.
 */
void
jsonw_init(struct jsonw *w, FILE *fp, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->pretty = pretty;
	w->first[0] = 1;
}

static void
nest_open(struct jsonw *w, const char *c)
{
	separate(w);
	if (w->depth + 1 >= JSONW_MAX_DEPTH) {
		w->error = 1;
		return;
	}
	put_str(w, c);
	w->depth++;
	w->first[w->depth] = 1;
}

static void
nest_close(struct jsonw *w, const char *c)
{
	int	 empty;

	if (w->depth == 0) {
		w->error = 1;
		return;
	}
	empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		newline(w);
	put_str(w, c);
	if (w->depth == 0 && w->pretty)
		put(w, "\n", 1);
}

/* Open an object as the next value. */
void
jsonw_object_begin(struct jsonw *w)
{
	nest_open(w, "{");
}

/* Close the innermost object. */
void
jsonw_object_end(struct jsonw *w)
{
	nest_close(w, "}");
}

/* Open an array as the next value. */
void
jsonw_array_begin(struct jsonw *w)
{
	nest_open(w, "[");
}

/* Close the innermost array. */
void
jsonw_array_end(struct jsonw *w)
{
	nest_close(w, "]");
}

/* Write the next member's key; the next call writes its value. */
void
jsonw_key(struct jsonw *w, const char *key)
{
	separate(w);
	string(w, key);
	put_str(w, w->pretty ? ": " : ":");
	w->after_key = 1;
}

/* A string value, escaped; NULL writes null. */
void
jsonw_string(struct jsonw *w, const char *s)
{
	if (s == NULL) {
		jsonw_null(w);
		return;
	}
	separate(w);
	string(w, s);
}

/* An integer value. */
void
jsonw_int(struct jsonw *w, long long v)
{
	separate(w);
	if (fprintf(w->fp, "%lld", v) < 0)
		w->error = 1;
}

/* true or false. */
void
jsonw_bool(struct jsonw *w, int v)
{
	separate(w);
	put_str(w, v ? "true" : "false");
}

/* null. */
void
jsonw_null(struct jsonw *w)
{
	separate(w);
	put_str(w, "null");
}

/* t as a "YYYY-MM-DDTHH:MM:SSZ" string. */
void
jsonw_time(struct jsonw *w, time_t t)
{
	char	 buf[32];

	time_format_iso8601(t, buf, sizeof(buf));
	jsonw_string(w, buf);
}

/* "key": "s" (or null when s is NULL). */
void
jsonw_kv_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

/*
 * Text a person reads (a name, a message, a source): shown as safetext
 * shows it, so a decoded string holds no control or bidirectional
 * character either.
 */
void
jsonw_text(struct jsonw *w, const char *s)
{
	char	 buf[SAFETEXT_LEN];

	jsonw_string(w, safetext(s, buf, sizeof(buf)));
}

/* "key": text */
void
jsonw_kv_text(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_text(w, s);
}

/* "key": v */
void
jsonw_kv_int(struct jsonw *w, const char *key, long long v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

/* "key": true|false */
void
jsonw_kv_bool(struct jsonw *w, const char *key, int v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

/* "key": "YYYY-MM-DDTHH:MM:SSZ" */
void
jsonw_kv_time(struct jsonw *w, const char *key, time_t t)
{
	jsonw_key(w, key);
	jsonw_time(w, t);
}

/* 0, or -1 when any write failed or the nesting was misused. */
int
jsonw_status(const struct jsonw *w)
{
	if (w->error || ferror(w->fp))
		return -1;
	return 0;
}
