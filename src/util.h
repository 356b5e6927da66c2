/*
 * util.h: small shared helpers (growable arrays, hex, hashing, time).
 *
 * Ownership rule for all of chainaudit: a function that returns a pointer
 * hands ownership to the caller, who releases it with the matching
 * x_free(); a struct field is owned unless its comment says "borrowed",
 * and every x_free() accepts NULL.
 */
#ifndef CHAINAUDIT_UTIL_H
#define CHAINAUDIT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SHA256_LEN	32
#define SHA256_HEX_LEN	(SHA256_LEN * 2 + 1)

/* An error message buffer handed down to parsers. */
#define ERRBUF_LEN	256

/*
 * Grow *v (an array of elements of size sz with *cap slots) so that it
 * holds at least n elements.  Returns 0, or -1 on allocation failure with
 * *v untouched.
 */
int	array_reserve(void *v, size_t *cap, size_t n, size_t sz);

/*
 * n zeroed elements of size sz: in buf (len bytes of the caller's, on
 * its stack) when they fit, as they do for the usual short chain, else
 * from calloc.  Release with small_free(p, buf), which frees only what
 * calloc gave.  NULL on ENOMEM.
 */
void	*small_calloc(void *buf, size_t len, size_t n, size_t sz);
/* Certificates of a chain the callers' small_calloc buffers hold. */
#define SMALL_CHAIN	8
void	 small_free(void *p, const void *buf);

/* Lower-case hex of len bytes into out (2 * len + 1 bytes). */
void	hex_encode(const unsigned char *in, size_t len, char *out);

/*
 * src into dst of len bytes, cut to fit and NUL-terminated (nothing
 * when len is 0): what snprintf(dst, len, "%s", src) writes, without
 * the format machinery a caller on a row's path pays for.
 */
void	str_copy(char *dst, size_t len, const char *src);

/* SHA-256 of len bytes into out (32 bytes).  Returns 0 or -1. */
int	sha256(const void *in, size_t len, unsigned char out[SHA256_LEN]);

/*
 * Parse an ISO 8601 instant in UTC: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z],
 * or YYYY-MM-DD HH:MM:SS.  Also accepts "@EPOCH".  Returns 0 and writes
 * *out, or -1 when the text is not such an instant.
 */
int	time_parse_iso8601(const char *s, time_t *out);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void	time_format_iso8601(time_t t, char *out, size_t outlen);

/*
 * Read the whole of a file (or standard input when path is "-") into a
 * new buffer.  Returns 0 and sets *buf (owned, NUL-terminated beyond
 * *len) and *len; -1 with a reason in err.
 */
int	file_read_all(const char *path, unsigned char **buf, size_t *len,
	    char *err, size_t errlen);

/* strdup that returns NULL for a NULL argument. */
char	*xstrdup(const char *s);

/*
 * Write the printf-style reason into err (errlen bytes, truncated), the
 * one-line error every "char *err, size_t errlen" parameter carries;
 * nothing when err is NULL or errlen 0.
 */
void	set_err(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* How many bytes of its input text_excerpt shows at most. */
#define TEXT_EXCERPT_MAX	60

/*
 * A printable excerpt of bytes from outside (a server's reply, a line of
 * a list) for a message: up to the first CR or LF and at most
 * TEXT_EXCERPT_MAX bytes, other control and non-ASCII bytes written as
 * \xNN so none reaches a terminal.  Writes buf (blen > 0; it is cut short
 * rather than overrun) and returns it.
 */
const char *text_excerpt(const unsigned char *b, size_t len, char *buf,
	    size_t blen);

/*
 * "Did you mean": the Levenshtein distance of a and b (each under 64
 * bytes, else SIZE_MAX), and whether word is within a typo of name (1
 * edit, 2 for words longer than four bytes).
 */
size_t	edit_distance(const char *a, const char *b);
int	is_near_miss(const char *word, const char *name);

#endif
