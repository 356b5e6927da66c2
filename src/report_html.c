/*
 * report_html.c: one self-contained HTML page for people.
 *
 * Summary counts by verdict, severity and finding code; inline SVG charts
 * (findings by code, share of chains per issuing CA, leaf expiry over the
 * next twelve months); a sortable, filterable table of targets, each
 * expanding to its chain drawn leaf to anchor with the chosen signature
 * on every link.  No external assets: CSS, script and charts are inline
 * and a Content-Security-Policy forbids loading anything.
 *
 * The charts and counts need every target before they can be drawn, the
 * table comes after them, so the table rows are spooled to an unnamed
 * temporary file and copied in at the end.  The state holds only
 * counters: memory does not grow with the number of targets.  The table
 * shows at most HTML_MAX_ROWS targets (the counts and charts cover all).
 *
 * The page honours a URL fragment, "#sort=KEY" ("-KEY" descending),
 * "verdict=fail", "q=TEXT" and "open=all", joined with '&': the test
 * suite uses it to check the sorting in a real browser.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "caname.h"
#include "report.h"
#include "util.h"

#define HTML_MAX_ROWS	10000
#define MAX_CAS		24	/* issuing CAs named; the rest are "other" */
#define MONTHS		12
#define CN_LEN		256
/*
 * A chart label's lines: at most this many characters each (about what
 * the 210 pixels left of the bars hold at 12 pixels), a label of more
 * wrapped over as many lines as it needs (at most LABEL_LINES), never
 * cut off at the figure's edge.
 */
#define LABEL_CHARS	30
#define LABEL_LINES	24

struct ca_count {
	char		 name[CA_NAME_LEN];
	size_t		 n;
};

struct html_state {
	FILE		*spool;		/* owned, first member: tbody rows */
	size_t		 rows;		/* tbody elements spooled */
	size_t		 targets;
	size_t		 pass, fail, error;
	size_t		 by_code[FIND__COUNT];
	struct ca_count	 cas[MAX_CAS];
	size_t		 ncas, ca_other, ca_total;
	size_t		 expired, month[MONTHS], later;
};

/* Per-destination state with its spool; NULL on failure. */
void *
report_html_state_new(void)
{
	return report_spool_state_new(sizeof(struct html_state));
}

/* Free the state and its spool; NULL is fine. */
void
report_html_state_free(void *arg)
{
	report_spool_state_free(arg);
}

/* Nothing is written before the counts are known.  Returns 0. */
int
report_html_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	(void)fp;
	(void)state;
	(void)opts;
	return 0;
}

/* The CN of an RFC 4514 DN (escapes kept), or the whole DN. */
static const char *
dn_cn(const char *dn, char *buf, size_t len)
{
	const char	*p, *e;
	int		 at_start = 1;

	if (dn == NULL)
		return "?";
	for (p = dn; *p != '\0'; p++) {
		if (at_start && strncasecmp(p, "CN=", 3) == 0) {
			for (e = p + 3; *e != '\0' && *e != ',' && *e != '+';
			    e++)
				if (*e == '\\' && e[1] != '\0')
					e++;
			snprintf(buf, len, "%.*s", (int)(e - p - 3), p + 3);
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
	snprintf(buf, len, "%s", dn);
	return buf;
}

/* The leaf's entry, or NULL when there is none. */
static const struct audit_cert *
leaf_cert(const struct audit *a)
{
	if (a->leaf < 0 || (size_t)a->leaf >= a->ncerts ||
	    a->certs[a->leaf].sha256 == NULL)
		return NULL;
	return &a->certs[a->leaf];
}

/* Months from the month of now to the month of t (negative: before). */
static long
month_offset(time_t now, time_t t)
{
	struct tm	 a, b;

	if (gmtime_r(&now, &a) == NULL || gmtime_r(&t, &b) == NULL)
		return -1;
	return ((long)b.tm_year - a.tm_year) * 12 + (b.tm_mon - a.tm_mon);
}

static void
count_ca(struct html_state *st, const char *name)
{
	size_t	 i;

	st->ca_total++;
	for (i = 0; i < st->ncas; i++)
		if (strcmp(st->cas[i].name, name) == 0) {
			st->cas[i].n++;
			return;
		}
	if (st->ncas == MAX_CAS) {
		st->ca_other++;
		return;
	}
	snprintf(st->cas[st->ncas].name, CA_NAME_LEN, "%s", name);
	st->cas[st->ncas++].n = 1;
}

/* Fold a into the counters the charts are drawn from. */
static void
html_count(struct html_state *st, const struct audit *a,
    const struct report_opts *opts)
{
	const struct finding_info	*fi;
	const struct audit_cert		*leaf;
	char				 ca[CA_NAME_LEN];
	long				 m;
	size_t				 i;

	st->targets++;
	if (a->error != NULL)
		st->error++;
	else if (audit_fails(a, opts->fail_on, opts->fail_never))
		st->fail++;
	else
		st->pass++;
	for (i = 0; i < a->nfindings; i++)
		if ((fi = finding_info(a->findings[i].id)) != NULL)
			st->by_code[a->findings[i].id]++;
	if ((leaf = leaf_cert(a)) == NULL)
		return;
	count_ca(st, ca_name(audit_cert_issuer(leaf), ca, sizeof(ca)));
	if (leaf->not_after < opts->now)
		st->expired++;
	else if ((m = month_offset(opts->now, leaf->not_after)) >= 0 &&
	    m < MONTHS)
		st->month[m]++;
	else
		st->later++;
}

static void
html_node(FILE *sp, const struct audit *a, const struct audit_node *n,
    const struct report_opts *opts)
{
	const struct audit_cert	*c = NULL;
	char			 cn[CN_LEN], nb[16], na[16];

	if (n->cert >= 0 && a->certs[n->cert].sha256 != NULL)
		c = &a->certs[n->cert];
	fprintf(sp, "<li class=\"node%s\">", n->anchor ? " anchor" : "");
	if (c == NULL) {
		fputs("<b>(unknown certificate)</b></li>\n", sp);
		return;
	}
	fputs("<b>", sp);
	report_put_xml(sp, dn_cn(audit_cert_subject(c), cn, sizeof(cn)));
	fputs("</b> <span class=\"dim\">", sp);
	report_put_xml(sp, c->key_label);
	fputs("</span><br><span class=\"dim\">", sp);
	if (n->anchor)
		fputs("trust anchor", sp);
	else {
		report_date(c->not_before, nb, sizeof(nb));
		report_date(c->not_after, na, sizeof(na));
		fprintf(sp, "valid %s &rarr; %s%s", nb, na,
		    opts->now > c->not_after ? " <em>(expired)</em>" :
		    opts->now < c->not_before ? " <em>(not yet valid)</em>" :
		    "");
	}
	fprintf(sp, " &middot; sha256 %.16s&hellip;</span></li>\n",
	    c->sha256);
}

static void
html_link(FILE *sp, const struct audit *a, const struct audit_link *l)
{
	const struct audit_cand	*best;

	if (l->chosen < 0) {
		fputs("<li class=\"link bad\">&darr; no verified signature"
		    "</li>\n", sp);
		return;
	}
	best = &a->path.cands[l->chosen];
	fprintf(sp, "<li class=\"link%s\">&darr; signed with <b>%s%s</b> "
	    "(%u bits%s)", best->strength.broken ? " weak" : "",
	    best->alternative ? "alt " : "", best->algorithm,
	    best->strength.bits,
	    best->strength.broken ? ", broken hash" : "");
	if (l->ncands > 1)
		fprintf(sp, " <span class=\"dim\">of %zu candidate "
		    "signatures</span>", l->ncands);
	fputs("</li>\n", sp);
}

/* The chosen path drawn leaf first, anchor last. */
static void
html_chain(FILE *sp, const struct audit *a, const struct report_opts *opts)
{
	const struct audit_path	*p = &a->path;
	size_t			 i;

	if (!p->chosen) {
		fputs("<p class=\"dim\">No path.</p>\n", sp);
		return;
	}
	fputs("<ol class=\"chain\">\n", sp);
	for (i = 0; i < p->nnodes; i++) {
		html_node(sp, a, &p->nodes[i], opts);
		if (i + 1 < p->nnodes)
			html_link(sp, a, &p->links[i]);
	}
	if (!p->complete)
		fprintf(sp, "<li class=\"link bad\">&darr; %s</li>\n",
		    p->broken_link ? "stops here: no signature from an issuer "
		    "verifies" : "no trusted issuer found");
	fputs("</ol>\n", sp);
}

static void
html_findings(FILE *sp, const struct audit *a)
{
	const struct finding_info	*fi;
	const struct finding		*f;
	size_t				 i;

	if (a->error != NULL) {
		fputs("<p class=\"sev-error\">", sp);
		report_put_xml(sp, a->error);
		fputs("</p>\n", sp);
	}
	if (a->nfindings == 0)
		return;
	fputs("<ul class=\"findings\">\n", sp);
	for (i = 0; i < a->nfindings; i++) {
		f = &a->findings[i];
		if ((fi = finding_info(f->id)) == NULL)
			continue;
		fprintf(sp, "<li><span class=\"chip sev-%s\">%s</span> "
		    "<code>%s</code> ", severity_name(fi->severity),
		    severity_name(fi->severity), fi->code);
		report_put_xml(sp, f->message != NULL ? f->message : fi->title);
		fputs(" <span class=\"dim\">(", sp);
		report_put_xml(sp, fi->reference);
		fputs(")</span></li>\n", sp);
	}
	fputs("</ul>\n", sp);
}

/* One tbody: the summary row and the hidden chain row. */
static void
html_row(FILE *sp, const struct audit *a, size_t index,
    const struct report_opts *opts)
{
	const struct finding_info	*fi;
	const struct audit_cert		*leaf = leaf_cert(a);
	const char			*verdict = report_verdict(a, opts);
	char				 exp[16] = "", cn[CA_NAME_LEN] = "";
	size_t				 i;

	if (leaf != NULL) {
		report_date(leaf->not_after, exp, sizeof(exp));
		ca_name(audit_cert_issuer(leaf), cn, sizeof(cn));
	}
	fprintf(sp, "<tbody class=\"target\" data-index=\"%zu\" "
	    "data-verdict=\"%s\" data-severity=\"%d\" data-findings=\"%zu\" "
	    "data-trusted=\"%s\" data-expiry=\"%s\" data-source=\"", index,
	    verdict, (int)a->worst, a->nfindings, a->trusted ? "yes" : "no",
	    exp);
	report_put_xml(sp, a->source);
	fputs("\" data-issuer=\"", sp);
	report_put_xml(sp, cn);
	fputs("\">\n<tr class=\"row\"><td><button type=\"button\" "
	    "class=\"toggle\" aria-expanded=\"false\">&#9656;</button> ", sp);
	report_put_xml(sp, a->source);
	fprintf(sp, "</td><td><span class=\"chip v-%s\">%s</span></td>"
	    "<td>%s</td><td>%s</td><td>", verdict, verdict,
	    a->worst == SEV_NONE ? "&ndash;" : severity_name(a->worst),
	    a->trusted ? "yes" : "no");
	for (i = 0; i < a->nfindings; i++)
		if ((fi = finding_info(a->findings[i].id)) != NULL)
			fprintf(sp, "<span class=\"chip sev-%s\">%s</span> ",
			    severity_name(fi->severity), fi->code);
	fprintf(sp, "</td><td>%s</td><td>", *exp != '\0' ? exp : "&ndash;");
	report_put_xml(sp, cn);
	fputs("</td></tr>\n<tr class=\"detail\" hidden><td colspan=\"7\">\n",
	    sp);
	html_chain(sp, a, opts);
	html_findings(sp, a);
	fputs("</td></tr>\n</tbody>\n", sp);
}

/*
 * Count a for the charts and spool its table row (up to HTML_MAX_ROWS).
 * Returns 0, or -1 when writing the spool failed.
 */
int
report_html_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	struct html_state	*st = state;

	(void)fp;
	html_count(st, a, opts);
	if (st->rows >= HTML_MAX_ROWS)
		return 0;
	st->rows++;
	html_row(st->spool, a, index, opts);
	return ferror(st->spool) ? -1 : 0;
}

static const char html_head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
"style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
"<title>chainaudit report</title>\n<style>\n"
"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;"
"background:#fff}\n"
"h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.2em 0 .4em}\n"
".dim{color:#666}.cards{display:flex;flex-wrap:wrap;gap:.8em}\n"
".card{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;"
"min-width:6em}\n.card b{display:block;font-size:1.6em}\n"
".charts{display:flex;flex-wrap:wrap;gap:1.5em}\n"
".charts figure{margin:0;border:1px solid #eee;border-radius:6px;"
"padding:.6em}\nfigcaption{font-weight:600;margin-bottom:.3em}\n"
"table{border-collapse:collapse;width:100%}\n"
"th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid #eee;"
"vertical-align:top}\n"
"th{cursor:pointer;user-select:none;background:#f6f6f6}\n"
"th[aria-sort=ascending]::after{content:' \\25B4'}"
"th[aria-sort=descending]::after{content:' \\25BE'}\n"
".chip{display:inline-block;border-radius:3px;padding:0 .35em;"
"font-size:.85em;margin:1px 0;color:#fff;background:#888}\n"
".sev-error,.v-fail,.v-error{background:#c0392b}"
".sev-warning{background:#d68910}.sev-info{background:#2e86c1}"
".v-pass{background:#239b56}\n"
"p.sev-error{background:none;color:#c0392b}\n"
".toggle{border:none;background:none;cursor:pointer;font-size:1em;"
"padding:0 .2em}\n"
"tr.detail td{background:#fafafa}\n"
"ol.chain{list-style:none;padding:0;margin:.4em 0}\n"
"ol.chain .node{border:1px solid #bbb;border-radius:6px;padding:.3em .6em;"
"background:#fff;max-width:48em}\n"
"ol.chain .node.anchor{border-color:#239b56;border-width:2px}\n"
"ol.chain .link{margin-left:1.5em;padding:.25em .6em;"
"border-left:3px solid #239b56}\n"
"ol.chain .link.weak{border-left-color:#d68910}"
"ol.chain .link.bad{border-left-color:#c0392b;color:#c0392b}\n"
".controls{margin:.5em 0}.controls input{width:20em}\n"
"footer{margin-top:2em;font-size:.85em;color:#666}\n"
"#codes{margin-top:1em;width:auto}#codes td:first-child{white-space:nowrap}\n"
"</style>\n</head>\n<body>\n";

static const char html_script[] =
"<script>\n"
"(function () {\n"
"  'use strict';\n"
"  var table = document.getElementById('targets');\n"
"  var q = document.getElementById('q');\n"
"  var verdict = document.getElementById('verdict');\n"
"  var shown = document.getElementById('shown');\n"
"  var rank = { error: 0, fail: 1, pass: 2 };\n"
"  function bodies() { return Array.prototype.slice.call(table.tBodies); }\n"
"  function key(b, k) {\n"
"    var v = b.getAttribute('data-' + k) || '';\n"
"    if (k === 'severity' || k === 'findings') return Number(v);\n"
"    if (k === 'verdict') return rank[v];\n"
"    return v.toLowerCase();\n"
"  }\n"
"  function sortBy(k, desc) {\n"
"    var bs = bodies();\n"
"    bs.sort(function (a, b) {\n"
"      var x = key(a, k), y = key(b, k), c;\n"
"      if (x === '' && y !== '') return 1;\n"
"      if (y === '' && x !== '') return -1;\n"
"      c = x < y ? -1 : x > y ? 1 : 0;\n"
"      if (desc) c = -c;\n"
"      return c || a.getAttribute('data-index') - b.getAttribute('data-index');\n"
"    });\n"
"    bs.forEach(function (b) { table.appendChild(b); });\n"
"    table.setAttribute('data-sorted', (desc ? '-' : '') + k);\n"
"    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {\n"
"      if (th.getAttribute('data-key') === k)\n"
"        th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');\n"
"      else th.removeAttribute('aria-sort');\n"
"    });\n"
"  }\n"
"  function filter() {\n"
"    var text = q.value.toLowerCase(), v = verdict.value, n = 0;\n"
"    bodies().forEach(function (b) {\n"
"      var ok = (!v || b.getAttribute('data-verdict') === v) &&\n"
"        (!text || b.textContent.toLowerCase().indexOf(text) >= 0);\n"
"      b.hidden = !ok;\n"
"      if (ok) n++;\n"
"    });\n"
"    shown.textContent = String(n);\n"
"  }\n"
"  function expand(b, open) {\n"
"    b.rows[1].hidden = !open;\n"
"    b.querySelector('.toggle').setAttribute('aria-expanded', String(open));\n"
"    b.querySelector('.toggle').innerHTML = open ? '&#9662;' : '&#9656;';\n"
"  }\n"
"  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {\n"
"    th.addEventListener('click', function () {\n"
"      var k = th.getAttribute('data-key');\n"
"      sortBy(k, table.getAttribute('data-sorted') === k);\n"
"    });\n"
"  });\n"
"  table.addEventListener('click', function (e) {\n"
"    var t = e.target.closest('tr.row');\n"
"    if (t) expand(t.parentNode, t.parentNode.rows[1].hidden);\n"
"  });\n"
"  q.addEventListener('input', filter);\n"
"  verdict.addEventListener('change', filter);\n"
"  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {\n"
"    var i = kv.indexOf('='), k = kv.slice(0, i),\n"
"      v = decodeURIComponent(kv.slice(i + 1));\n"
"    if (i < 0) return;\n"
"    if (k === 'sort') sortBy(v.replace(/^-/, ''), v.charAt(0) === '-');\n"
"    else if (k === 'q') q.value = v;\n"
"    else if (k === 'verdict') verdict.value = v;\n"
"    else if (k === 'open' && v === 'all')\n"
"      bodies().forEach(function (b) { expand(b, true); });\n"
"  });\n"
"  filter();\n"
"  document.body.setAttribute('data-ready', 'yes');\n"
"})();\n"
"</script>\n";

static void
card(FILE *fp, const char *id, const char *label, size_t n)
{
	fprintf(fp, "<div class=\"card\"><b id=\"%s\">%zu</b>%s</div>\n", id,
	    n, label);
}

/*
 * Break label s into lines of at most LABEL_CHARS characters, at spaces
 * where it can, inside a longer word (at a character boundary) where it
 * must: the byte offset and length of each into off and len (room for
 * LABEL_LINES; the last line takes whatever is left).  Returns the number
 * of lines, at least 1.
 */
static size_t
label_lines(const char *s, size_t *off, size_t *len)
{
	size_t n = 0, start = 0, i, chars, space;

	for (;;) {
		chars = 0;
		space = 0;
		for (i = start; s[i] != '\0'; i++) {
			if (((unsigned char)s[i] & 0xc0) == 0x80)
				continue;
			if (chars == LABEL_CHARS) {
				if (s[i] == ' ')
					space = i;
				break;
			}
			if (s[i] == ' ')
				space = i;
			chars++;
		}
		off[n] = start;
		if (s[i] == '\0' || n + 1 == LABEL_LINES) {
			len[n] = strlen(s + start);
			return n + 1;
		}
		if (space > start) {
			len[n++] = space - start;
			start = space + 1;
		} else {
			len[n++] = i - start;
			start = i;
		}
	}
}

/* The height of a bar's row for a label of nlines lines. */
static int
row_height(size_t nlines)
{
	return nlines > 1 ? (int)nlines * 14 + 8 : 22;
}

/*
 * Horizontal bars: labels[i] with values[i], scaled to the largest; a
 * long label is wrapped over several lines (label_lines), its whole
 * text also its tooltip.
 */
static void
hbars(FILE *fp, const char *const *labels, const size_t *values, size_t n,
    size_t total, const char *color)
{
	size_t	 i, k, max = 1, lines, off[LABEL_LINES], len[LABEL_LINES];
	int	 y, height = 4, top;
	char	 line[CA_NAME_LEN];

	for (i = 0; i < n; i++) {
		if (values[i] > max)
			max = values[i];
		height += row_height(label_lines(labels[i], off, len));
	}
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" "
	    "height=\"%d\" role=\"img\">\n", height);
	for (i = 0, top = 2; i < n; i++) {
		lines = label_lines(labels[i], off, len);
		y = top + (row_height(lines) - 22) / 2;
		fprintf(fp, "<text x=\"210\" y=\"%d\" text-anchor=\"end\" "
		    "font-size=\"12\">", top + 14);
		if (lines > 1) {
			fputs("<title>", fp);
			report_put_xml(fp, labels[i]);
			fputs("</title>", fp);
			for (k = 0; k < lines; k++) {
				snprintf(line, sizeof(line), "%.*s",
				    (int)len[k], labels[i] + off[k]);
				fprintf(fp, "<tspan x=\"210\" dy=\"%d\">",
				    k == 0 ? 0 : 14);
				report_put_xml(fp, line);
				fputs("</tspan>", fp);
			}
		} else
			report_put_xml(fp, labels[i]);
		fprintf(fp, "</text><rect x=\"216\" y=\"%d\" width=\"%zu\" "
		    "height=\"16\" fill=\"%s\"/><text x=\"%zu\" y=\"%d\" "
		    "font-size=\"12\">%zu", y + 2, values[i] * 240 / max, color,
		    220 + values[i] * 240 / max, y + 14, values[i]);
		if (total > 0)
			fprintf(fp, " (%zu%%)", (values[i] * 100 + total / 2) /
			    total);
		fputs("</text>\n", fp);
		top += row_height(lines);
	}
	fputs("</svg>\n", fp);
}

static void
chart_codes(FILE *fp, const struct html_state *st)
{
	const char	*labels[FIND__COUNT];
	size_t		 values[FIND__COUNT], i, n = 0;

	for (i = 0; i < FIND__COUNT; i++) {
		if (st->by_code[i] == 0)
			continue;
		labels[n] = finding_info((enum finding_id)i)->code;
		values[n++] = st->by_code[i];
	}
	fputs("<figure id=\"chart-codes\"><figcaption>Findings by code"
	    "</figcaption>\n", fp);
	if (n == 0)
		fputs("<p class=\"dim\">No findings.</p>\n", fp);
	else
		hbars(fp, labels, values, n, 0, "#c0392b");
	fputs("</figure>\n", fp);
}

static void
chart_cas(FILE *fp, const struct html_state *st)
{
	const char	*labels[MAX_CAS + 1];
	size_t		 values[MAX_CAS + 1], i, n = 0;

	for (i = 0; i < st->ncas; i++) {
		labels[n] = st->cas[i].name;
		values[n++] = st->cas[i].n;
	}
	if (st->ca_other > 0) {
		labels[n] = "(other CAs)";
		values[n++] = st->ca_other;
	}
	fputs("<figure id=\"chart-cas\"><figcaption>Chains per issuing CA"
	    "</figcaption>\n", fp);
	if (n == 0)
		fputs("<p class=\"dim\">No chains.</p>\n", fp);
	else
		hbars(fp, labels, values, n, st->ca_total, "#2e86c1");
	fputs("</figure>\n", fp);
}

/* Expired, then one bar per month from the month of now. */
static void
chart_expiry(FILE *fp, const struct html_state *st,
    const struct report_opts *opts)
{
	struct tm	 tm;
	size_t		 v[MONTHS + 1], i, max = 1, h;
	char		 label[16];
	int		 x, y, mon, year;

	v[0] = st->expired;
	for (i = 0; i < MONTHS; i++)
		v[i + 1] = st->month[i];
	for (i = 0; i <= MONTHS; i++)
		if (v[i] > max)
			max = v[i];
	if (gmtime_r(&opts->now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	fputs("<figure id=\"chart-expiry\"><figcaption>Leaf expiry, next 12 "
	    "months</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"560\" height=\"190\" role=\"img\">\n", fp);
	for (i = 0; i <= MONTHS; i++) {
		h = v[i] * 120 / max;
		x = 10 + (int)i * 42;
		y = 150 - (int)h;
		if (i == 0)
			snprintf(label, sizeof(label), "expired");
		else {
			mon = (tm.tm_mon + (int)i - 1) % 12;
			year = tm.tm_year + 1900 + (tm.tm_mon + (int)i - 1) / 12;
			snprintf(label, sizeof(label), "%04d-%02d", year,
			    mon + 1);
		}
		fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"34\" height=\"%zu\" "
		    "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\" "
		    "text-anchor=\"middle\">%zu</text><text x=\"%d\" y=\"168\" "
		    "font-size=\"9\" text-anchor=\"middle\">%s</text>\n", x, y,
		    h, i == 0 ? "#c0392b" : "#d68910", x + 17, y - 4, v[i],
		    x + 17, label);
	}
	fprintf(fp, "</svg>\n<p class=\"dim\">%zu later, %zu without a leaf."
	    "</p></figure>\n", st->later, st->targets - st->ca_total);
}

static void
summary_codes(FILE *fp, const struct html_state *st)
{
	const struct finding_info	*fi;
	size_t				 i;

	fputs("<table id=\"codes\"><thead><tr><th>code</th><th>severity</th>"
	    "<th>findings</th><th>meaning</th></tr></thead><tbody>\n", fp);
	for (i = 0; i < FIND__COUNT; i++) {
		if (st->by_code[i] == 0)
			continue;
		fi = finding_info((enum finding_id)i);
		fprintf(fp, "<tr><td><code>%s</code></td><td><span class=\"chip "
		    "sev-%s\">%s</span></td><td id=\"code-%s\">%zu</td><td>",
		    fi->code, severity_name(fi->severity),
		    severity_name(fi->severity), fi->code, st->by_code[i]);
		report_put_xml(fp, fi->title);
		fputs(". <span class=\"dim\">", fp);
		report_put_xml(fp, fi->advice);
		fputs("</span></td></tr>\n", fp);
	}
	fputs("</tbody></table>\n", fp);
}

/*
 * The page: head, counts, charts, then the spooled table and the script.
 * Returns 0, or -1 when reading the spool or writing failed.
 */
int
report_html_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	struct html_state	*st = state;
	char			 when[32], buf[8192];
	size_t			 n;

	time_format_iso8601(opts->now, when, sizeof(when));
	fputs(html_head, fp);
	fprintf(fp, "<h1>chainaudit report</h1>\n<p class=\"dim\">Evaluated "
	    "at %s; failing at %s.</p>\n", when, opts->fail_never ?
	    "never" : severity_name(opts->fail_on));
	fputs("<h2>Summary</h2>\n<div class=\"cards\">\n", fp);
	card(fp, "count-targets", "targets", s->targets);
	card(fp, "count-pass", "pass", st->pass);
	card(fp, "count-fail", "fail", st->fail);
	card(fp, "count-error", "could not be audited", st->error);
	card(fp, "count-trusted", "trusted", s->trusted);
	card(fp, "count-sev-error", "error findings",
	    s->by_severity[SEV_ERROR]);
	card(fp, "count-sev-warning", "warning findings",
	    s->by_severity[SEV_WARNING]);
	card(fp, "count-sev-info", "info findings", s->by_severity[SEV_INFO]);
	fputs("</div>\n", fp);
	summary_codes(fp, st);
	fputs("<h2>Charts</h2>\n<div class=\"charts\">\n", fp);
	chart_codes(fp, st);
	chart_cas(fp, st);
	chart_expiry(fp, st, opts);
	fputs("</div>\n<h2>Targets</h2>\n<div class=\"controls\">"
	    "<input id=\"q\" type=\"search\" placeholder=\"filter: name, code, "
	    "CA&hellip;\"> <select id=\"verdict\"><option value=\"\">every "
	    "verdict</option><option value=\"fail\">fail</option><option "
	    "value=\"error\">error</option><option value=\"pass\">pass"
	    "</option></select> ", fp);
	fprintf(fp, "<span id=\"shown\">%zu</span> of %zu shown", st->rows,
	    st->rows);
	if (st->targets > st->rows)
		fprintf(fp, " (the table holds the first %zu of %zu targets; "
		    "counts and charts cover all)", st->rows, st->targets);
	fputs("</div>\n<table id=\"targets\"><thead><tr>"
	    "<th data-key=\"source\">target</th>"
	    "<th data-key=\"verdict\">verdict</th>"
	    "<th data-key=\"severity\">worst</th>"
	    "<th data-key=\"trusted\">trusted</th>"
	    "<th data-key=\"findings\">findings</th>"
	    "<th data-key=\"expiry\">leaf expires</th>"
	    "<th data-key=\"issuer\">issuing CA</th></tr></thead>\n", fp);
	if (fflush(st->spool) != 0 || fseek(st->spool, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), st->spool)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			return -1;
	if (ferror(st->spool))
		return -1;
	fputs("</table>\n", fp);
	fputs("<footer>chainaudit ", fp);
	report_put_xml(fp, opts->version);
	fputs(" &middot; click a row for its chain, a column to sort</footer>\n",
	    fp);
	fputs(html_script, fp);
	fputs("</body>\n</html>\n", fp);
	if (fflush(fp) != 0)
		return -1;
	return ferror(fp) ? -1 : 0;
}
