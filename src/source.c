/*
 * source.c: expand FILE|DIR|- arguments into the files to read.
 *
 * Directories are walked recursively.  Symbolic links to files are
 * taken, symbolic links to directories are not followed, so a link loop
 * cannot make the walk run forever.  The files found under one argument
 * are sorted so that runs are reproducible.
 */
#include <config.h>

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "source.h"
#include "util.h"

static const char *const cert_exts[] = {
	".pem", ".crt", ".cer", ".der", ".p7b", ".p7c",
};

/* Certificate file extensions, matched without regard to case. */
int
source_is_cert_name(const char *name)
{
	const char	*base, *dot;
	size_t		 i;

	if (name == NULL)
		return 0;
	base = (base = strrchr(name, '/')) != NULL ? base + 1 : name;
	if ((dot = strrchr(base, '.')) == NULL || dot == base)
		return 0;
	for (i = 0; i < sizeof(cert_exts) / sizeof(cert_exts[0]); i++)
		if (strcasecmp(dot, cert_exts[i]) == 0)
			return 1;
	return 0;
}

/* Free the strings and the array; l is left empty. */
void
path_list_free(struct path_list *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Append s to l, taking ownership of it (freed on failure). */
static int
path_list_take(struct path_list *l, char *s)
{
	if (s == NULL)
		return -1;
	if (array_reserve(&l->v, &l->cap, l->n + 1, sizeof(l->v[0])) == -1) {
		free(s);
		return -1;
	}
	l->v[l->n++] = s;
	return 0;
}

/* strerror(e) starting in lower case, as chainaudit words its errors. */
static void
set_reason(char *err, size_t errlen, const char *prefix, int e)
{
	if (errlen == 0)
		return;
	if (prefix != NULL)
		snprintf(err, errlen, "%s: %s", prefix, strerror(e));
	else {
		snprintf(err, errlen, "%s", strerror(e));
		err[0] = (char)tolower((unsigned char)err[0]);
	}
}

/* dir/name as a new string, without doubling a trailing slash. */
static char *
path_join(const char *dir, const char *name)
{
	char	*s;
	size_t	 dl = strlen(dir), n;
	int	 slash = dl > 0 && dir[dl - 1] == '/';

	n = dl + !slash + strlen(name) + 1;
	if ((s = malloc(n)) == NULL)
		return NULL;
	snprintf(s, n, "%s%s%s", dir, slash ? "" : "/", name);
	return s;
}

static int
cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int	walk(const char *, int, struct path_list *, char *, size_t);

/*
 * Look at one directory entry: descend into a real directory, take a
 * certificate-named regular file or link to one, skip the rest.  An
 * entry that vanished or dangles is skipped, not an error.
 */
static int
walk_entry(const char *dir, const char *name, int depth,
    struct path_list *l, char *err, size_t errlen)
{
	struct stat	 st;
	char		*path;
	int		 rc = 0;

	if ((path = path_join(dir, name)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (lstat(path, &st) == -1)
		goto out;
	if (S_ISDIR(st.st_mode)) {
		rc = walk(path, depth + 1, l, err, errlen);
		goto out;
	}
	/* Links to directories are not followed: no cycles. */
	if (S_ISLNK(st.st_mode) && stat(path, &st) == -1)
		goto out;
	if (S_ISREG(st.st_mode) && source_is_cert_name(name)) {
		rc = path_list_take(l, path);
		path = NULL;
		if (rc == -1)
			snprintf(err, errlen, "out of memory");
	}
 out:
	free(path);
	return rc;
}

/*
 * Collect the certificate files below dir into l.  depth is 0 for the
 * directory the user named: its errors are bare reasons (the caller
 * names it), deeper ones name the subdirectory.
 */
static int
walk(const char *dir, int depth, struct path_list *l, char *err,
    size_t errlen)
{
	DIR		*d;
	struct dirent	*de;
	int		 rc = -1;

	if ((d = opendir(dir)) == NULL) {
		set_reason(err, errlen, depth > 0 ? dir : NULL, errno);
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				set_reason(err, errlen,
				    depth > 0 ? dir : NULL, errno);
				goto out;
			}
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (walk_entry(dir, de->d_name, depth, l, err, errlen) == -1)
			goto out;
	}
	rc = 0;
 out:
	closedir(d);
	return rc;
}

/*
 * Expand one argument.  Everything is gathered in a local list and moved
 * into out only once it is complete, so out is untouched on failure.
 */
int
source_expand(const char *arg, struct path_list *out, char *err,
    size_t errlen)
{
	struct path_list	 found = { NULL, 0, 0 };
	struct stat		 st;
	int			 rc = -1;

	if (strcmp(arg, "-") != 0 && stat(arg, &st) == -1) {
		set_reason(err, errlen, NULL, errno);
		goto out;
	}
	if (strcmp(arg, "-") == 0 || !S_ISDIR(st.st_mode)) {
		/* A file is taken whatever its name: the user named it. */
		if (path_list_take(&found, xstrdup(arg)) == -1) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	} else {
		if (walk(arg, 0, &found, err, errlen) == -1)
			goto out;
		if (found.n == 0) {
			snprintf(err, errlen,
			    "no certificate files in directory");
			goto out;
		}
		qsort(found.v, found.n, sizeof(found.v[0]), cmp_path);
	}

	if (array_reserve(&out->v, &out->cap, out->n + found.n,
	    sizeof(out->v[0])) == -1) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	memcpy(out->v + out->n, found.v, found.n * sizeof(found.v[0]));
	out->n += found.n;
	free(found.v);
	memset(&found, 0, sizeof(found));
	rc = 0;
 out:
	path_list_free(&found);
	return rc;
}
