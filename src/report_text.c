/*
 * report_text.c: the report for people.
 *
 * One block per target: a verdict line, the chosen path drawn as a tree
 * from the leaf up (each link says what signed it and which other
 * signatures were not used and why), then the findings.  Colour only when
 * asked; the layout never depends on it.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "safetext.h"
#include "view.h"
#include "util.h"

#define ANSI_RED	"\033[31m"
#define ANSI_GREEN	"\033[32m"
#define ANSI_YELLOW	"\033[33m"
#define ANSI_CYAN	"\033[36m"
#define ANSI_RESET	"\033[0m"

#define TREE_FIRST	"\xe2\x94\x8c"	/* ┌ */
#define TREE_MID	"\xe2\x94\x9c"	/* ├ */
#define TREE_LAST	"\xe2\x94\x94"	/* └ */
#define TREE_ONLY	"\xe2\x94\x80"	/* ─ */
#define TREE_BAR	"\xe2\x94\x82"	/* │ */
#define ARROW_DOWN	"\xe2\x86\x93"	/* ↓ */

#define NAME_LEN	SAFETEXT_LEN
#define NOTE_LEN	512

static const char *
color(const struct report_opts *opts, const char *code)
{
	return opts->color ? code : "";
}

static const char *
reset(const struct report_opts *opts)
{
	return opts->color ? ANSI_RESET : "";
}

/*
 * s as safetext shows it (certificate text and file names come from
 * strangers, and an ESC must not reach the terminal); NULL as "".
 */
static const char *
safe(const char *s, char *buf, size_t len)
{
	return s != NULL ? safetext(s, buf, len) : "";
}

static const char *
severity_color(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return ANSI_RED;
	case SEV_WARNING:
		return ANSI_YELLOW;
	case SEV_INFO:
		return ANSI_CYAN;
	default:
		return "";
	}
}

/*
 * "CN=value" for the first CN of an RFC 4514 string, or the whole DN
 * when it has none.  Escapes inside the value are kept as written.
 */
static const char *
dn_cn(const char *dn, char *buf, size_t len)
{
	const char	*p = dn, *v, *e;
	int		 at_start = 1;

	if (dn == NULL)
		return "(no name)";
	for (; *p != '\0'; p++) {
		if (at_start && strncasecmp(p, "CN=", 3) == 0) {
			v = p + 3;
			for (e = v; *e != '\0' && *e != ',' && *e != '+'; e++)
				if (*e == '\\' && e[1] != '\0')
					e++;
			snprintf(buf, len, "CN=%.*s", (int)(e - v), v);
			return buf;
		}
		at_start = 0;
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == ',' || *p == '+')
			at_start = 1;
		while (at_start && p[1] == ' ')
			p++;
	}
	return dn;
}

/* The name the tree shows: the CN, or the full DN when verbose. */
static const char *
display_name(const struct audit_cert *ac, const struct report_opts *opts,
    char *buf, size_t len)
{
	char		 tmp[NAME_LEN];
	const char	*s;

	if (ac == NULL || ac->sha256 == NULL)
		return "(unknown certificate)";
	if (opts->verbose)
		s = audit_cert_subject(ac);
	else
		s = dn_cn(audit_cert_subject(ac), tmp, sizeof(tmp));
	/* s may be tmp, which dies with this call: always answer buf. */
	if ((s = safe(s, buf, len)) != buf)
		snprintf(buf, len, "%s", s);
	return buf;
}

static void
format_date(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

static void
format_origin(enum origin o, int presented_index, char *buf, size_t len)
{
	switch (o) {
	case ORIGIN_PRESENTED:
		if (presented_index >= 0)
			snprintf(buf, len, "sent #%d", presented_index + 1);
		else
			snprintf(buf, len, "sent");
		break;
	case ORIGIN_EXTRA:
		snprintf(buf, len, "from the same input");
		break;
	case ORIGIN_INTERMEDIATE:
		snprintf(buf, len, "from --intermediates");
		break;
	case ORIGIN_KNOWN:
		snprintf(buf, len, "from the distrust policy");
		break;
	case ORIGIN_ANCHOR:
		snprintf(buf, len, "from trust store");
		break;
	case ORIGIN_AIA:
		snprintf(buf, len, "fetched from caIssuers");
		break;
	case ORIGIN_CORPUS:
		snprintf(buf, len, "not sent: from the known-CA corpus");
		break;
	default:
		snprintf(buf, len, "%s", origin_name(o));
		break;
	}
}

/* Entry i of a->certs, or NULL for -1 (a certificate not listed). */
static const struct audit_cert *
cert_at(const struct audit *a, int i)
{
	return i >= 0 && (size_t)i < a->ncerts ? &a->certs[i] : NULL;
}

/* Label of a candidate's algorithm, "alt " marking alternatives. */
static const char *
cand_label(const struct audit_cand *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", c->alternative ? "alt " : "",
	    c->algorithm);
	return buf;
}

static void
format_strength(struct audit_strength s, char *buf, size_t len)
{
	snprintf(buf, len, "%u bits%s", s.bits,
	    s.broken ? ", broken hash" : "");
}

/* "    [1 alternative not used: RSA-SHA1 (broken hash) weaker]" */
static void
format_alternatives(const struct audit *a, const struct audit_link *l,
    char *buf, size_t len)
{
	const struct audit_cand	*c;
	size_t			 i, n, off;
	int			 k, first = 1, chosen = l->chosen >= 0;
	char			 label[80];

	buf[0] = '\0';
	if (l->ncands < 2 && chosen)
		return;
	n = chosen ? l->ncands - 1 : l->ncands;
	if (n == 0)
		return;
	k = snprintf(buf, len, "    [%zu %s%s%s: ", n,
	    chosen ? "alternative" : "candidate", n == 1 ? "" : "s",
	    chosen ? " not used" : "");
	off = k > 0 ? (size_t)k : 0;
	for (i = 0; i < l->ncands && off < len; i++) {
		c = &a->path.cands[l->cand + i];
		if (c->chosen)
			continue;
		k = snprintf(buf + off, len - off, "%s%s%s %s",
		    first ? "" : "; ", cand_label(c, label, sizeof(label)),
		    c->strength.broken ? " (broken hash)" : "", c->not_used);
		first = 0;
		if (k < 0)
			break;
		off += (size_t)k;
	}
	if (off < len)
		snprintf(buf + off, len - off, "]");
}

static void
text_candidate(FILE *fp, const struct audit *a, const struct audit_cand *c)
{
	const struct audit_cert	*ac = cert_at(a, c->cert);
	char			 strength[48], origin[48], label[80];

	format_strength(c->strength, strength, sizeof(strength));
	format_origin(ac != NULL ? ac->origin : c->origin,
	    ac != NULL ? ac->presented_index : -1, origin, sizeof(origin));
	fprintf(fp, "  " TREE_BAR "     %s %s, %s, %s%s, cert %.12s, %s%s\n",
	    c->chosen ? "*" : "-", cand_label(c, label, sizeof(label)),
	    strength, c->status, c->valid_now ? "" : ", not valid now",
	    ac != NULL && ac->sha256 != NULL ? ac->sha256 : "?", origin,
	    c->chosen ? " (chosen)" : "");
}

static void
text_link(FILE *fp, const struct audit *a, size_t i,
    const struct report_opts *opts)
{
	const struct audit_link	*l = &a->path.links[i];
	const struct audit_cand	*best = NULL;
	char			 strength[48], note[NOTE_LEN], label[80];
	size_t			 j;

	if (l->chosen >= 0)
		best = &a->path.cands[l->chosen];
	if (opts->verbose)
		note[0] = '\0';
	else
		format_alternatives(a, l, note, sizeof(note));
	if (best != NULL) {
		format_strength(best->strength, strength, sizeof(strength));
		fprintf(fp, "  " TREE_BAR "   signed with %s (%s) by "
		    ARROW_DOWN "%s\n", cand_label(best, label, sizeof(label)),
		    strength, note);
	} else
		fprintf(fp, "  " TREE_BAR "   %sno verified signature%s by "
		    ARROW_DOWN "%s\n", color(opts, ANSI_RED), reset(opts),
		    note);
	if (opts->verbose)
		for (j = 0; j < l->ncands; j++)
			text_candidate(fp, a, &a->path.cands[l->cand + j]);
}

static void
text_node(FILE *fp, const struct audit *a, size_t i, const char *glyph,
    const struct report_opts *opts)
{
	const struct audit_node	*n = &a->path.nodes[i];
	const struct audit_cert	*ac = cert_at(a, n->cert);
	char			 name[NAME_LEN], from[48];
	char			 nb[16], na[16];
	const char		*state = "";

	if (ac == NULL || ac->sha256 == NULL) {
		fprintf(fp, "  %s (unknown certificate)\n", glyph);
		return;
	}
	format_origin(ac->origin, ac->presented_index, from, sizeof(from));

	fprintf(fp, "  %s %s  %s  ", glyph,
	    display_name(ac, opts, name, sizeof(name)), ac->key_label);
	if (n->anchor)
		fprintf(fp, "trust anchor");
	else {
		format_date(ac->not_before, nb, sizeof(nb));
		format_date(ac->not_after, na, sizeof(na));
		if (opts->now > ac->not_after)
			state = " (expired)";
		else if (opts->now < ac->not_before)
			state = " (not yet valid)";
		fprintf(fp, "valid %s..%s%s%s%s", nb, na,
		    *state != '\0' ? color(opts, ANSI_RED) : "", state,
		    *state != '\0' ? reset(opts) : "");
	}
	fprintf(fp, "  [%s]\n", from);
	if (ac->alt_key_algorithm == NULL && ac->alt_sig_algorithm == NULL)
		return;
	/* The hybrid extensions, under the node, inside the tree. */
	fprintf(fp, "  %s   hybrid: alternative key %s, alternative signature "
	    "%s", strcmp(glyph, TREE_LAST) == 0 || strcmp(glyph, TREE_ONLY) ==
	    0 ? " " : TREE_BAR, ac->alt_key_algorithm != NULL ?
	    ac->alt_key_algorithm : "none", ac->alt_sig_algorithm != NULL ?
	    ac->alt_sig_algorithm : "none");
	if (ac->alt_self_signature != NULL)
		fprintf(fp, " (own alternative signature: %s)",
		    ac->alt_self_signature);
	fputc('\n', fp);
}

static void
text_path(FILE *fp, const struct audit *a, const struct report_opts *opts)
{
	const struct audit_path		*p = &a->path;
	const struct audit_cert		*top;
	const char			*glyph, *dn;
	char				 name[NAME_LEN], tmp[NAME_LEN];
	size_t				 i, lines;

	if (!p->chosen)
		return;
	lines = p->nnodes + (p->complete ? 0 : 1);
	for (i = 0; i < p->nnodes; i++) {
		if (lines == 1)
			glyph = TREE_ONLY;
		else if (i == 0)
			glyph = TREE_FIRST;
		else if (i + 1 == lines)
			glyph = TREE_LAST;
		else
			glyph = TREE_MID;
		text_node(fp, a, i, glyph, opts);
		if (i + 1 < p->nnodes)
			text_link(fp, a, i, opts);
	}
	if (p->complete || p->nnodes == 0)
		return;
	top = cert_at(a, p->nodes[p->nnodes - 1].cert);
	if (p->broken_link)
		fprintf(fp, "  " TREE_LAST " (stops here: no signature from an "
		    "issuer verifies)\n");
	else if (top != NULL && top->self_issued)
		fprintf(fp, "  " TREE_LAST " (self-signed, not a trust "
		    "anchor)\n");
	else {
		if (top == NULL)
			dn = "?";
		else if (opts->verbose)
			dn = audit_cert_issuer(top);
		else
			dn = dn_cn(audit_cert_issuer(top), tmp, sizeof(tmp));
		fprintf(fp, "  " TREE_LAST " (no issuer found for %s)\n",
		    safe(dn, name, sizeof(name)));
	}
}

/* Certificates that were sent but are not part of the chosen path. */
static void
text_unused(FILE *fp, const struct audit *a, const struct report_opts *opts)
{
	const struct audit_cert		*ac;
	char				 name[NAME_LEN];
	size_t				 i;

	for (i = 0; i < a->ncerts; i++) {
		ac = &a->certs[i];
		if (ac->sha256 == NULL || ac->presented_index < 0 ||
		    ac->on_path || ac->unlisted)
			continue;
		fprintf(fp, "  - sent #%d %s: not on the path\n",
		    ac->presented_index + 1,
		    display_name(ac, opts, name, sizeof(name)));
	}
	if (a->nunlisted > 0)
		fprintf(fp, "  - %zu more certificate%s not listed (at most %d "
		    "beyond the path and the findings)\n", a->nunlisted,
		    a->nunlisted == 1 ? "" : "s", VIEW_LIST_MAX);
}

static void
text_findings(FILE *fp, const struct audit *a, const struct report_opts *opts)
{
	const struct finding		*f;
	const struct finding_info	*fi;
	const struct audit_cert		*ac;
	char				 name[NAME_LEN], msg[NAME_LEN];
	size_t				 i;

	for (i = 0; i < a->nfindings; i++) {
		f = &a->findings[i];
		if ((fi = finding_info(f->id)) == NULL)
			continue;
		ac = cert_at(a, f->cert);
		if (ac != NULL && ac->sha256 == NULL)
			ac = NULL;
		fprintf(fp, "  %s%-8s%s %-21s %s%s%s\n",
		    color(opts, severity_color(fi->severity)),
		    severity_name(fi->severity), reset(opts), fi->code,
		    ac != NULL ? display_name(ac, opts, name, sizeof(name)) : "",
		    ac != NULL ? ": " : "",
		    safe(f->message != NULL ? f->message : fi->title, msg,
		    sizeof(msg)));
		fprintf(fp, "  %-8s fix: %s\n", "", safe(finding_fix(f), msg,
		    sizeof(msg)));
	}
}

/*
 * A live target's handshake, one line: "  TLS1.3 TLS_AES_256_GCM_SHA384,
 * server signature RSA-PSS-RSAE-SHA256; 127.0.0.1:443, SNI example.com".
 */
static void
text_tls(FILE *fp, const struct audit *a)
{
	const struct audit_tls	*t = a->tls;
	char			 b[NAME_LEN];

	if (t == NULL)
		return;
	fprintf(fp, "  %s", safe(t->protocol ? t->protocol : "?", b,
	    sizeof(b)));
	fprintf(fp, " %s", safe(t->cipher ? t->cipher : "?", b, sizeof(b)));
	if (t->server_sign != NULL)
		fprintf(fp, ", server signature %s", safe(t->server_sign, b,
		    sizeof(b)));
	fprintf(fp, "; ");
	if (t->starttls != NULL)
		fprintf(fp, "STARTTLS %s, ", safe(t->starttls, b, sizeof(b)));
	fprintf(fp, "%s", safe(t->address ? t->address : "?", b, sizeof(b)));
	fprintf(fp, ", SNI %s", t->sni ? safe(t->sni, b, sizeof(b)) :
	    "(none)");
	if (t->key_type != NULL && strcmp(t->key_type, "any") != 0)
		fprintf(fp, ", %s certificate asked for",
		    safe(t->key_type, b, sizeof(b)));
	fprintf(fp, "\n");
}

/*
 * Revocation answers, one line each: "  revocation: example.com revoked
 * since 2024-01-02T00:00:00Z (keyCompromise), crl ca.crl".
 */
static void
text_revocation(FILE *fp, const struct audit *a)
{
	const struct audit_revocation	*r;
	char				 b[NAME_LEN], when[32];
	size_t				 i;

	for (i = 0; i < a->nrevocations; i++) {
		r = &a->revocations[i];
		fprintf(fp, "  revocation: %s %s", r->cert >= 0 &&
		    (size_t)r->cert < a->ncerts ? safe(a->certs[r->cert].
		    short_name, b, sizeof(b)) : "?", r->status);
		if (r->revoked_at != 0) {
			time_format_iso8601(r->revoked_at, when, sizeof(when));
			fprintf(fp, " since %s", when);
		}
		if (r->reason != NULL)
			fprintf(fp, " (%s)", r->reason);
		fprintf(fp, ", %s", r->source);
		if (r->where != NULL)
			fprintf(fp, " %s", safe(r->where, b, sizeof(b)));
		if (r->next_update != 0 && r->detail == NULL) {
			time_format_iso8601(r->next_update, when, sizeof(when));
			fprintf(fp, ", next update %s", when);
		}
		if (r->detail != NULL)
			fprintf(fp, ": %s", safe(r->detail, b, sizeof(b)));
		fprintf(fp, "\n");
	}
}

/* "mozilla as of 2017-07-27 (certifi 2017.07.27)" and any note. */
static void
text_store(FILE *fp, const struct audit_store *st)
{
	char b[NAME_LEN];

	fprintf(fp, "%s", safe(st->name, b, sizeof(b)));
	if (st->as_of != NULL)
		fprintf(fp, " as of %s", safe(st->as_of, b, sizeof(b)));
	if (st->version != NULL)
		fprintf(fp, " (%s)", safe(st->version, b, sizeof(b)));
	if (st->note != NULL)
		fprintf(fp, "; %s", safe(st->note, b, sizeof(b)));
}

/* "  trusted by: mozilla yes, apple yes, microsoft no" */
static void
text_verdicts(FILE *fp, const struct audit *a)
{
	size_t i;

	if (a->nverdicts < 2)
		return;
	fprintf(fp, "  trusted by:");
	for (i = 0; i < a->nverdicts; i++)
		fprintf(fp, "%s %s %s", i > 0 ? "," : "",
		    a->verdicts[i].store->name,
		    a->verdicts[i].trusted ? "yes" : "no");
	fprintf(fp, "\n");
}

static void
text_header(FILE *fp, const struct audit *a, const struct report_opts *opts)
{
	const struct audit_path		*p = &a->path;
	size_t				 nlinks;
	int				 fail = audit_fails(a, opts->fail_on,
					    opts->fail_never);
	char				 buf[NAME_LEN];

	fprintf(fp, "%s", safe(a->source != NULL ? a->source : "(input)",
	    buf, sizeof(buf)));
	if (a->host != NULL && (a->source == NULL ||
	    strcmp(a->host, a->source) != 0))
		fprintf(fp, " (%s)", safe(a->host, buf, sizeof(buf)));
	fprintf(fp, ": %s%s%s (%s", color(opts, fail ? ANSI_RED : ANSI_GREEN),
	    fail ? "FAIL" : "PASS", reset(opts),
	    a->trusted ? "trusted" : "untrusted");
	if (!p->chosen)
		fprintf(fp, ", no path");
	else {
		nlinks = p->nnodes > 0 ? p->nnodes - 1 : 0;
		if (!p->complete)
			fprintf(fp, ", incomplete path");
		fprintf(fp, ", %zu link%s", nlinks, nlinks == 1 ? "" : "s");
		if (nlinks > 0)
			fprintf(fp, ", weakest link %u bits%s", p->weakest.bits,
			    p->weakest.broken ? " (broken hash)" : "");
	}
	fprintf(fp, ")\n");
	if (a->contact != NULL)
		fprintf(fp, "  contact: %s\n", safe(a->contact, buf,
		    sizeof(buf)));
}

/*
 * With named trust stores, which version of which store decides, the
 * others checked, and why the first was chosen when nobody asked for
 * it, then a blank line; nothing otherwise.  Returns 0, or -1 when
 * writing failed.
 */
int
report_text_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	size_t i;

	(void)state;
	if (opts->nstores == 0 || opts->quiet)
		return 0;
	for (i = 0; i < opts->nstores; i++) {
		fprintf(fp, "%s", i == 0 ? "trust store: " : "also checked: ");
		text_store(fp, &opts->stores[i]);
		fprintf(fp, "\n");
	}
	if (opts->store_default != NULL)
		fprintf(fp, "  (%s)\n", opts->store_default);
	fprintf(fp, "\n");
	return ferror(fp) ? -1 : 0;
}

/*
 * Write one target: the verdict line, the chosen path as a tree, sent
 * certificates left off the path, and the findings, then a blank line.
 * A target with an operational error is one "source: ERROR: reason"
 * line.  Returns 0, or -1 when writing failed.
 */
int
report_text_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	char	 src[NAME_LEN], err[NAME_LEN];

	(void)state;
	(void)index;	/* targets stand alone in text */
	if (opts->quiet)
		return 0;	/* errors are on stderr already */
	if (a->error != NULL) {
		fprintf(fp, "%s: %sERROR%s: %s\n",
		    safe(a->source != NULL ? a->source : "(input)", src,
		    sizeof(src)), color(opts, ANSI_RED), reset(opts),
		    safe(a->error, err, sizeof(err)));
		text_findings(fp, a, opts);
		fprintf(fp, "\n");
		return ferror(fp) ? -1 : 0;
	}
	text_header(fp, a, opts);
	text_verdicts(fp, a);
	text_tls(fp, a);
	text_path(fp, a, opts);
	text_revocation(fp, a);
	text_unused(fp, a, opts);
	text_findings(fp, a, opts);
	fprintf(fp, "\n");
	return ferror(fp) ? -1 : 0;
}

/*
 * The run's one-line summary: targets by outcome, findings by severity.
 * Returns 0, or -1 when writing failed.
 */
int
report_text_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	size_t	 pass;

	(void)state;
	(void)opts;
	pass = s->targets >= s->failed + s->errors ?
	    s->targets - s->failed - s->errors : 0;
	fprintf(fp, "%zu target%s: %zu pass, %zu fail, %zu error%s; "
	    "findings: %zu error, %zu warning, %zu info\n",
	    s->targets, s->targets == 1 ? "" : "s", pass, s->failed,
	    s->errors, s->errors == 1 ? "" : "s",
	    s->by_severity[SEV_ERROR], s->by_severity[SEV_WARNING],
	    s->by_severity[SEV_INFO]);
	/* What the exit status also counts: the rows not shown above. */
	if (s->carried > 0)
		fprintf(fp, "%zu unchanged row%s not audited again, as in scan "
		    "%lld: %zu pass, %zu fail\n", s->carried,
		    s->carried == 1 ? "" : "s", s->carried_from,
		    s->carried - s->carried_failed, s->carried_failed);
	if (fflush(fp) != 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}
