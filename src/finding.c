/*
 * finding.c: the findings catalog, expanded from finding.def into one
 * table indexed by enum finding_id.
 */
#include <stddef.h>
#include <string.h>

#include "finding.h"
#include "util.h"

static const struct finding_info catalog[FIND__COUNT] = {
#define FINDING(id, code, sev, title, ref, advice) \
	[FIND_##id] = { code, sev, title, ref, advice },
#include "finding.def"
#undef FINDING
};

static const char *const severity_names[] = {
	[SEV_NONE] = "none",
	[SEV_INFO] = "info",
	[SEV_WARNING] = "warning",
	[SEV_ERROR] = "error",
};

/*
 * The catalog entry for id, static; NULL when id is not a finding.
 */
const struct finding_info *
finding_info(enum finding_id id)
{
	if ((unsigned)id >= FIND__COUNT)
		return NULL;
	return &catalog[id];
}

/*
 * Look up the finding whose stable code is code.  Returns 0 and sets *id,
 * or -1 when no finding has that code.
 */
int
finding_by_code(const char *code, enum finding_id *id)
{
	size_t	 i;

	for (i = 0; i < FIND__COUNT; i++) {
		if (strcmp(catalog[i].code, code) == 0) {
			*id = (enum finding_id)i;
			return 0;
		}
	}
	return -1;
}

/* The code that word is a typo of, or NULL ("did you mean"). */
const char *
finding_suggest(const char *word)
{
	size_t i;

	for (i = 0; i < FIND__COUNT; i++)
		if (is_near_miss(word, catalog[i].code))
			return catalog[i].code;
	return NULL;
}

/*
 * The name of s as reports print it ("none", "info", "warning",
 * "error"): static.
 */
const char *
severity_name(enum severity s)
{
	if ((unsigned)s > SEV_ERROR)
		return "unknown";
	return severity_names[s];
}

/*
 * Parse a severity threshold as options give it: "error", "warning",
 * "info", or "never" (SEV_NONE: no finding reaches it).  Returns 0 and
 * sets *out, or -1 for any other text.
 */
int
severity_parse(const char *s, enum severity *out)
{
	if (strcmp(s, "error") == 0)
		*out = SEV_ERROR;
	else if (strcmp(s, "warning") == 0)
		*out = SEV_WARNING;
	else if (strcmp(s, "info") == 0)
		*out = SEV_INFO;
	else if (strcmp(s, "never") == 0)
		*out = SEV_NONE;
	else
		return -1;
	return 0;
}

/*
 * What to do about f: the text its check wrote with the specifics, else
 * the catalog's advice for its code; borrowed.
 */
const char *
finding_fix(const struct finding *f)
{
	const struct finding_info *fi;

	if (f->fix != NULL)
		return f->fix;
	fi = finding_info(f->id);
	return fi != NULL ? fi->advice : "";
}
