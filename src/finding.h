/*
 * finding.h: the findings catalog (finding.def) and one finding.
 *
 * Findings are data: an expired leaf is a finding and the audit goes on.
 */
#ifndef CHAINAUDIT_FINDING_H
#define CHAINAUDIT_FINDING_H

#include <time.h>

enum severity {
	SEV_NONE = 0,
	SEV_INFO,
	SEV_WARNING,
	SEV_ERROR,
};

enum finding_id {
#define FINDING(id, code, sev, title, ref, advice) FIND_##id,
#include "finding.def"
#undef FINDING
	FIND__COUNT
};

struct finding_info {
	const char	*code;
	enum severity	 severity;
	const char	*title;
	const char	*reference;
	const char	*advice;
};

struct finding {
	enum finding_id	 id;
	int		 cert;		/* index into audit->certs, -1: none */
	char		*message;	/* owned, one line */
	/*
	 * Owned: what to do about this one, with its specifics (which
	 * certificate to replace, which intermediate to serve), or NULL
	 * for the catalog's advice; see finding_fix.
	 */
	char		*fix;
	/*
	 * When it breaks clients, or began to: the certificate's notAfter,
	 * the distrust decision's effective date, the SHA-1 sunset.  0: the
	 * finding has no date of its own.
	 */
	time_t		 deadline;
};

/* The catalog entry for id: static. */
const struct finding_info *finding_info(enum finding_id id);
/* Look a code up; returns 0 and *id, or -1 when unknown. */
int		 finding_by_code(const char *code, enum finding_id *id);
/* The code that word is a typo of, or NULL ("did you mean"). */
const char	*finding_suggest(const char *word);
const char	*severity_name(enum severity s);
/* Parse "error", "warning", "info" or "never" (SEV_NONE). 0 or -1. */
int		 severity_parse(const char *s, enum severity *out);
/* What to do about f: its own fix text, else the catalog's: borrowed. */
const char	*finding_fix(const struct finding *f);

#endif
