/*
 * caname.c: one name per CA; see caname.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "caname.h"

#define VALUE_LEN	CA_NAME_LEN

/* The value of a hex digit, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Copy the value starting at p (up to an unescaped ',' or '+') into out
 * (len > 0) unescaped: "\," and the like, and "\XX" hex pairs.  Returns
 * where the value ends.
 */
static const char *
dn_value(const char *p, char *out, size_t len)
{
	size_t n = 0;
	int hi, lo, c;

	while (*p != '\0' && *p != ',' && *p != '+') {
		c = (unsigned char)*p++;
		if (c == '\\' && *p != '\0') {
			if ((hi = hexval(p[0])) >= 0 && p[1] != '\0' &&
			    (lo = hexval(p[1])) >= 0) {
				c = hi << 4 | lo;
				p += 2;
			} else
				c = (unsigned char)*p++;
		}
		if (n + 1 < len)
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return p;
}

/* The first value of attribute type (CN, O) in dn into out; 1, or 0. */
static int
dn_attr(const char *dn, const char *type, char *out, size_t len)
{
	const char *p = dn, *eq;
	size_t tlen = strlen(type);

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		eq = strchr(p, '=');
		if (eq == NULL)
			return 0;
		if ((size_t)(eq - p) == tlen && strncasecmp(p, type, tlen) == 0) {
			dn_value(eq + 1, out, len);
			return out[0] != '\0';
		}
		p = dn_value(eq + 1, out, len);
		if (*p != '\0')
			p++;
	}
	return 0;
}

/* s into buf, cut at a UTF-8 character boundary with "..." if need be. */
static const char *
put_cut(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s), keep;

	if (n < len) {
		memcpy(buf, s, n + 1);
		return buf;
	}
	keep = len - 4;
	while (keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80)
		keep--;
	memcpy(buf, s, keep);
	memcpy(buf + keep, "...", 4);
	return buf;
}

const char *
ca_name(const char *dn, char *buf, size_t len)
{
	char cn[VALUE_LEN], o[VALUE_LEN], both[2 * VALUE_LEN + 4];
	int has_cn, has_o;

	if (dn == NULL)
		return put_cut(buf, len, "?");
	has_cn = dn_attr(dn, "CN", cn, sizeof(cn));
	has_o = dn_attr(dn, "O", o, sizeof(o));
	if (has_cn && has_o && strstr(cn, o) == NULL) {
		snprintf(both, sizeof(both), "%s (%s)", cn, o);
		return put_cut(buf, len, both);
	}
	if (has_cn)
		return put_cut(buf, len, cn);
	if (has_o)
		return put_cut(buf, len, o);
	return put_cut(buf, len, dn);
}
