/*
 * source.h: file inputs.  Expands FILE|DIR|- arguments into the list of
 * files to read (a directory is walked recursively for certificate file
 * names, in sorted order so runs are reproducible).
 */
#ifndef CHAINAUDIT_SOURCE_H
#define CHAINAUDIT_SOURCE_H

#include <stddef.h>

struct path_list {
	char	**v;		/* owned strings */
	size_t	  n, cap;
};

/*
 * Append the files arg stands for to out: arg itself for a file or "-",
 * every *.pem *.crt *.cer *.der *.p7b *.p7c below a directory.  Returns
 * 0, or -1 with the reason in err (no such file, a directory without a
 * single certificate file, unreadable directory).
 */
int	source_expand(const char *arg, struct path_list *out, char *err,
	    size_t errlen);

/* 1 when name ends in one of the certificate file extensions. */
int	source_is_cert_name(const char *name);

void	path_list_free(struct path_list *l);

#endif
