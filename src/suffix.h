/*
 * suffix.h: the Public Suffix List (libpsl), for the rule that a
 * wildcard over a public suffix ("*.co.uk", "*.s3.amazonaws.com")
 * matches nothing (CA/B Baseline Requirements 3.2.2.6).
 *
 * Ownership: suffix_list_open returns a list the caller frees with
 * suffix_list_close; suffix_is_public reads it and keeps nothing.
 */
#ifndef CHAINAUDIT_SUFFIX_H
#define CHAINAUDIT_SUFFIX_H

struct suffix_list;

/*
 * The newest of libpsl's built-in list and the system's file
 * (/usr/share/publicsuffix), ICANN and private sections alike; NULL
 * when libpsl could load neither (or on ENOMEM), which suffix_is_public
 * takes as the built-in list.
 */
struct suffix_list *suffix_list_open(void);
/* Accepts NULL. */
void	suffix_list_close(struct suffix_list *l);

/*
 * 1 when domain (lower or upper case, no trailing dot) is a public
 * suffix: listed in either section.  Unlisted top-level names ("corp",
 * "internal") are not, so internal wildcards still match.  A NULL list
 * means libpsl's built-in one.
 */
int	suffix_is_public(const struct suffix_list *l, const char *domain);

#endif
