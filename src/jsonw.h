/*
 * jsonw.h: a small streaming JSON writer.
 *
 * Tracks nesting and commas so writers only say what comes next; strings
 * are escaped per RFC 8259 (control characters as \uXXXX, invalid UTF-8
 * replaced by U+FFFD so output always parses).
 */
#ifndef CHAINAUDIT_JSONW_H
#define CHAINAUDIT_JSONW_H

#include <stdio.h>
#include <time.h>

#define JSONW_MAX_DEPTH	32

struct jsonw {
	FILE		*fp;		/* borrowed */
	int		 pretty;	/* indent two spaces per level */
	int		 depth;
	int		 first[JSONW_MAX_DEPTH];	/* no member yet at level */
	int		 after_key;
	int		 error;		/* a write failed */
};

void	jsonw_init(struct jsonw *w, FILE *fp, int pretty);
void	jsonw_object_begin(struct jsonw *w);
void	jsonw_object_end(struct jsonw *w);
void	jsonw_array_begin(struct jsonw *w);
void	jsonw_array_end(struct jsonw *w);
void	jsonw_key(struct jsonw *w, const char *key);
void	jsonw_string(struct jsonw *w, const char *s);	/* NULL -> null */
void	jsonw_int(struct jsonw *w, long long v);
void	jsonw_bool(struct jsonw *w, int v);
void	jsonw_null(struct jsonw *w);
/*
 * A string a person reads (a subject, a message, a source), with the
 * characters safetext.h escapes shown escaped.  NULL -> null.
 */
void	jsonw_text(struct jsonw *w, const char *s);
/* An ISO 8601 UTC instant as a string. */
void	jsonw_time(struct jsonw *w, time_t t);
/* key: value shorthands. */
void	jsonw_kv_string(struct jsonw *w, const char *key, const char *s);
void	jsonw_kv_text(struct jsonw *w, const char *key, const char *s);
void	jsonw_kv_int(struct jsonw *w, const char *key, long long v);
void	jsonw_kv_bool(struct jsonw *w, const char *key, int v);
void	jsonw_kv_time(struct jsonw *w, const char *key, time_t t);
/* 0, or -1 when any write failed. */
int	jsonw_status(const struct jsonw *w);

#endif
