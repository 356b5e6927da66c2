/*
 * safetext.c: text from strangers made safe to show; see safetext.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "safetext.h"

#define ELLIPSIS	"..."

/*
 * The code point of the well-formed UTF-8 sequence at s (n bytes left)
 * in *cp and its length, or 0 when it is ill-formed (an overlong form, a
 * surrogate, above U+10FFFF, cut short).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char	 c = s[0], lo = 0x80, hi = 0xbf;
	unsigned long	 v;
	size_t		 need, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	for (i = 1; i < need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return need;
}

/* A code point that acts on the reader instead of being read. */
static int
is_hostile(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0xfffe || cp == 0xffff;
}

/*
 * The escape for the sequence of len bytes at s (code point cp, len 0:
 * an ill-formed byte) into esc, or 0 when it is shown as it is.
 */
static size_t
escape_one(const unsigned char *s, size_t len, unsigned long cp, char *esc,
    size_t esclen)
{
	int	 n;

	if (len == 0 || cp < 0x20 || cp == 0x7f)
		n = snprintf(esc, esclen, "\\x%02x", s[0]);
	else if (is_hostile(cp))
		n = snprintf(esc, esclen, "\\u%04lx", cp);
	else
		return 0;
	return n > 0 ? (size_t)n : 0;
}

/* Show s safely; see safetext.h. */
const char *
safetext(const char *str, char *buf, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	const char		*put;
	char			 esc[16];
	unsigned long		 cp;
	size_t			 i, n, seq, elen, off = 0;

	if (str == NULL)
		return NULL;
	n = strlen(str);
	for (i = 0; i < n; i += seq) {
		seq = utf8_decode(s + i, n - i, &cp);
		if (escape_one(s + i, seq, cp, esc, sizeof(esc)) > 0)
			break;
	}
	if (i == n)
		return str;
	for (i = 0; i < n; i += seq > 0 ? seq : 1) {
		seq = utf8_decode(s + i, n - i, &cp);
		put = esc;
		if ((elen = escape_one(s + i, seq, cp, esc, sizeof(esc))) == 0) {
			put = str + i;
			elen = seq;
		}
		if (off + elen + sizeof(ELLIPSIS) > len) {
			memcpy(buf + off, ELLIPSIS, sizeof(ELLIPSIS));
			return buf;
		}
		memcpy(buf + off, put, elen);
		off += elen;
	}
	buf[off] = '\0';
	return buf;
}
