/*
 * safetext.h: text from strangers made safe to show.
 *
 * A certificate's subject, a file name, a database row or a server's
 * reply can hold characters that act on whoever reads a report rather
 * than being read: ESC and BEL drive a terminal, a bidirectional
 * override (U+202E) reorders what a reviewer sees, a line separator
 * forges a line.  Every report writer shows such text through this one
 * function, so all formats neutralise the same characters the same way.
 */
#ifndef CHAINAUDIT_SAFETEXT_H
#define CHAINAUDIT_SAFETEXT_H

#include <stddef.h>

/* A buffer that holds any name or message a writer shows. */
#define SAFETEXT_LEN	4096

/*
 * s as it may be shown: C0 controls and DEL as "\xNN", a byte that is
 * not well-formed UTF-8 as "\xNN", C1 controls (U+0080..U+009F), the
 * bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069), the line and paragraph separators (U+2028, U+2029)
 * and the noncharacters U+FFFE and U+FFFF (which XML forbids) as
 * "\uXXXX"; everything else as it is.  What it answers is well-formed
 * UTF-8 without a control character, fit for XML, JSON and terminals.  Returns s itself when
 * nothing needs escaping (no copy, no length limit), else buf (len > 8)
 * holding the escaped text, cut short with "..." when it does not fit.
 * NULL stays NULL.
 */
const char	*safetext(const char *s, char *buf, size_t len);

#endif
