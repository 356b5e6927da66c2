/*
 * test_report.c: the JSON writer, the findings catalog, and the text and
 * JSON report writers over audits built by hand (no path building: the
 * certificates come from fixtures, the paths are assembled here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "audit.h"
#include "finding.h"
#include "jsonw.h"
#include "path.h"
#include "report.h"
#include "safetext.h"
#include "testlib.h"
#include "view.h"

#define NOW_2016	((time_t)1456790400)	/* 2016-03-01T00:00:00Z */
#define FFFD		"\xef\xbf\xbd"

/* ---- helpers ---------------------------------------------------------- */

struct capture {
	FILE	*fp;
	char	*buf;
	size_t	 len;
};

static void
capture_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	cr_assert_not_null(c->fp);
}

/* Close the stream; c->buf holds the NUL-terminated output. */
static void
capture_close(struct capture *c)
{
	cr_assert_eq(fclose(c->fp), 0);
	c->fp = NULL;
}

/* Parse text strictly (and as UTF-8); aborts the test if it does not. */
static struct json_object *
parse_strict(const char *text)
{
	struct json_tokener	*tok;
	struct json_object	*o;
	enum json_tokener_error	 jerr;

	tok = json_tokener_new();
	cr_assert_not_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)strlen(text) + 1);
	jerr = json_tokener_get_error(tok);
	cr_assert_eq(jerr, json_tokener_success, "JSON does not parse: %s\n%s",
	    json_tokener_error_desc(jerr), text);
	json_tokener_free(tok);
	return o;
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v = NULL;

	cr_assert(json_object_object_get_ex(o, key, &v),
	    "missing field \"%s\"", key);
	return v;
}

static const char *
get_str(struct json_object *o, const char *key)
{
	struct json_object	*v = get(o, key);

	cr_assert(json_object_is_type(v, json_type_string),
	    "\"%s\" is not a string", key);
	return json_object_get_string(v);
}

static int64_t
get_int(struct json_object *o, const char *key)
{
	struct json_object	*v = get(o, key);

	cr_assert(json_object_is_type(v, json_type_int),
	    "\"%s\" is not an integer", key);
	return json_object_get_int64(v);
}

static int
get_bool(struct json_object *o, const char *key)
{
	struct json_object	*v = get(o, key);

	cr_assert(json_object_is_type(v, json_type_boolean),
	    "\"%s\" is not a boolean", key);
	return json_object_get_boolean(v);
}

static int
is_null(struct json_object *o, const char *key)
{
	return json_object_is_type(get(o, key), json_type_null);
}

static struct json_object *
get_idx(struct json_object *o, const char *key, size_t i)
{
	struct json_object	*a = get(o, key);

	cr_assert(json_object_is_type(a, json_type_array),
	    "\"%s\" is not an array", key);
	cr_assert_lt(i, json_object_array_length(a), "\"%s\"[%zu] missing",
	    key, i);
	return json_object_array_get_idx(a, i);
}

static size_t
get_len(struct json_object *o, const char *key)
{
	struct json_object	*a = get(o, key);

	cr_assert(json_object_is_type(a, json_type_array),
	    "\"%s\" is not an array", key);
	return json_object_array_length(a);
}

/*
 * A hand-built audit and the certificates it borrows.  audit_free() does
 * not free certificates it did not parse itself, so the test keeps them.
 */
struct fixture {
	struct audit	*a;
	struct cert	*certs[8];
	size_t		 ncerts;
};

static struct audit *
audit_new_by_hand(const char *source)
{
	struct audit	*a;

	/* audit_new: the source's name lives in the audit's own block. */
	a = audit_new(source);
	cr_assert_not_null(a);
	return a;
}

/* Parse the n-th certificate of rel and append it to a->certs. */
static const struct cert *
add_cert(struct fixture *fx, const char *rel, size_t n, enum origin o,
    int presented_index)
{
	struct audit		*a = fx->a;
	struct cert		*c;

	cr_assert_lt(fx->ncerts, sizeof(fx->certs) / sizeof(fx->certs[0]));
	c = fixture_cert(rel, n);
	fx->certs[fx->ncerts++] = c;
	cr_assert_eq(array_reserve(&a->certs, &a->certcap, a->ncerts + 1,
	    sizeof(*a->certs)), 0);
	a->certs[a->ncerts].cert = c;
	a->certs[a->ncerts].origin = o;
	a->certs[a->ncerts].presented_index = presented_index;
	a->ncerts++;
	if (presented_index >= 0)
		a->npresented++;
	if (a->leaf < 0)
		a->leaf = 0;
	return c;
}

static void
fixture_free(struct fixture *fx)
{
	size_t	 i;

	fx->a->paths = NULL;		/* assembled on the stack */
	audit_free(fx->a);
	for (i = 0; i < fx->ncerts; i++)
		cert_free(fx->certs[i]);
}

/*
 * good-rsa.pem sent misordered-ish, with findings of every severity; the
 * source and one message carry quotes, control characters and invalid
 * UTF-8 that the writers must escape.
 */
static void
fixture_findings(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = audit_new_by_hand("dir/\"odd\"\tname\x01\xff.pem");
	add_cert(fx, "chains/good-rsa.pem", 0, ORIGIN_PRESENTED, 0);
	add_cert(fx, "chains/good-rsa.pem", 1, ORIGIN_PRESENTED, 1);
	cr_assert_eq(audit_add_finding(fx->a, FIND_EXPIRED, 0,
	    "expired on %s", "2015-06-01"), 0);
	cr_assert_eq(audit_add_finding(fx->a, FIND_MISORDERED_CHAIN, -1,
	    "certificate #%d \"%s\" \x7f bad \xc0\xaf end\033[2J", 2,
	    "quoted"), 0);
	cr_assert_eq(audit_add_finding(fx->a, FIND_UNNECESSARY_ROOT, 1,
	    "root sent"), 0);
	fx->a->worst = SEV_ERROR;
}

/*
 * Path storage for a hand-built good-rsa chain: leaf -> int-rsa (the
 * SHA-256 copy chosen over the SHA-1 re-issue) -> root-rsa (anchor).
 */
struct handpath {
	struct path_result	 r;
	struct node		 nodes[3];
	const struct cert	*ncerts[3][2];
	enum origin		 norigins[3][2];
	struct link		 links[2];
	struct candidate	 cands0[1], cands1[2];
	size_t			 pnodes[3], plinks[2];
};

static void
handpath_build(struct handpath *h, struct fixture *fx, int complete)
{
	const struct cert	*leaf, *inter, *inter1, *root = NULL;
	size_t			 i, len = complete ? 3 : 1;

	memset(h, 0, sizeof(*h));
	leaf = fx->a->certs[0].cert;
	inter = fx->a->certs[1].cert;
	inter1 = add_cert(fx, "ca/int-rsa-sha1.pem", 0, ORIGIN_INTERMEDIATE,
	    -1);
	if (complete)
		root = add_cert(fx, "ca/root-rsa.pem", 0, ORIGIN_ANCHOR, -1);

	h->ncerts[0][0] = leaf;
	h->ncerts[1][0] = inter;
	h->ncerts[1][1] = inter1;
	h->ncerts[2][0] = root;
	h->norigins[1][1] = ORIGIN_INTERMEDIATE;
	h->norigins[2][0] = ORIGIN_ANCHOR;
	for (i = 0; i < 3; i++) {
		h->nodes[i].certs = h->ncerts[i];
		h->nodes[i].origins = h->norigins[i];
		h->nodes[i].ncerts = i == 1 ? 2 : 1;
	}
	h->nodes[2].anchor = root;

	h->cands0[0] = (struct candidate){ leaf, inter, ORIGIN_PRESENTED,
	    CAND_PRIMARY, SIG_VERIFIED, { HASH_STRONG, 112 }, 1, 1 };
	h->cands1[0] = (struct candidate){ inter1, root, ORIGIN_INTERMEDIATE,
	    CAND_PRIMARY, SIG_VERIFIED, { HASH_SHA1, 63 }, 1, 1 };
	h->cands1[1] = (struct candidate){ inter, root, ORIGIN_PRESENTED,
	    CAND_PRIMARY, SIG_VERIFIED, { HASH_STRONG, 128 }, 1, 1 };
	h->links[0] = (struct link){ 0, 1, h->cands0, 1, 0 };
	h->links[1] = (struct link){ 1, 2, h->cands1, 2, 1 };

	h->pnodes[0] = 0;
	h->pnodes[1] = 1;
	h->pnodes[2] = 2;
	h->plinks[0] = 0;
	h->plinks[1] = 1;

	h->r.nodes = h->nodes;
	h->r.nnodes = complete ? 3 : 1;
	h->r.links = h->links;
	h->r.nlinks = complete ? 2 : 0;
	h->r.chosen.nodes = h->pnodes;
	h->r.chosen.links = h->plinks;
	h->r.chosen.len = len;
	h->r.chosen.complete = complete;
	h->r.chosen.weakest = (struct strength){ HASH_STRONG, 112 };
	h->r.chosen.all_valid = 1;
	h->r.chosen.presented = complete ? 2 : 1;
	h->r.have_chosen = 1;
	h->r.complete_paths = complete ? 1 : 0;
	h->r.paths_explored = 3;
	h->r.sig_checks = 3;
	fx->a->paths = &h->r;
	fx->a->trusted = complete;
}

static char *
run_writer(const char *format, struct audit *const *audits, size_t n,
    const int *failed, int color, int verbose)
{
	const struct report_writer	*wr;
	struct report_opts		 opts;
	struct report_summary		 sum;
	struct capture			 cap;
	struct report_out		*o;
	char				 err[128];
	size_t				 i;

	memset(&opts, 0, sizeof(opts));
	memset(&sum, 0, sizeof(sum));
	opts.color = color;
	opts.verbose = verbose;
	opts.now = NOW_2016;
	opts.version = "9.9.9-test";
	opts.fail_on = SEV_ERROR;
	wr = report_find(format);
	cr_assert_not_null(wr);
	/* The audits are hand-built: judging would fill their views. */
	for (i = 0; i < n; i++)
		cr_assert_eq(view_fill(audits[i]), 0);
	capture_open(&cap);
	o = report_out_stream(wr, cap.fp);
	cr_assert_not_null(o);
	cr_assert_eq(report_out_begin(o, &opts), 0);
	for (i = 0; i < n; i++) {
		cr_assert_eq(report_out_target(o, audits[i], i, &opts), 0);
		report_summary_add(&sum, audits[i], failed[i]);
	}
	cr_assert_eq(report_out_end(o, &sum, &opts), 0);
	cr_assert_eq(report_out_close(o, 1, err, sizeof(err)), 0, "%s", err);
	capture_close(&cap);
	return cap.buf;
}

/* ---- jsonw ------------------------------------------------------------ */

/* What safetext shows for each kind of hostile character (safetext.h). */
Test(safetext, escapes_what_acts_on_the_reader)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "ESC\x1b[2J BEL\x07 DEL\x7f", "ESC\\x1b[2J BEL\\x07 DEL\\x7f" },
		{ "tab\tLF\nCR\r", "tab\\x09LF\\x0aCR\\x0d" },
		{ "C1 CSI\xc2\x9b NEL\xc2\x85", "C1 CSI\\u009b NEL\\u0085" },
		{ "rlo\xe2\x80\xae lro\xe2\x80\xad lre\xe2\x80\xaa",
		    "rlo\\u202e lro\\u202d lre\\u202a" },
		{ "lri\xe2\x81\xa6 pdi\xe2\x81\xa9 lrm\xe2\x80\x8e rlm\xe2\x80\x8f",
		    "lri\\u2066 pdi\\u2069 lrm\\u200e rlm\\u200f" },
		{ "alm\xd8\x9c ls\xe2\x80\xa8 ps\xe2\x80\xa9",
		    "alm\\u061c ls\\u2028 ps\\u2029" },
		{ "bad\xff overlong\xc0\xaf", "bad\\xff overlong\\xc0\\xaf" },
		{ "kept: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\x8b",
		    "kept: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\x8b" },
	};
	char		 buf[SAFETEXT_LEN], small[16];
	const char	*plain = "CN=example.com, O=\xc3\x89xample";
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(safetext(cases[i].in, buf, sizeof(buf)),
		    cases[i].out);
	/* Clean text is answered as it is, whatever its length. */
	cr_expect_eq(safetext(plain, small, sizeof(small)), plain);
	cr_expect_null(safetext(NULL, buf, sizeof(buf)));
	/* Cut short with "...", never in the middle of an escape. */
	cr_expect_str_eq(safetext("0123456789\x1b[2J", small, sizeof(small)),
	    "0123456789...");
	cr_expect_str_eq(safetext("01234567\x1b", small, sizeof(small)),
	    "01234567\\x1b");
}

Test(jsonw, escapes_every_string_validly)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "plain", "plain" },
		{ "q\"uote\\back/slash", "q\"uote\\back/slash" },
		{ "ctl\x01\x1f\n\r\t\b\f\x7f.", "ctl\x01\x1f\n\r\t\b\f\x7f." },
		{ "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		    "ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "bad\xff.", "bad" FFFD "." },
		{ "cont\x80\x80", "cont" FFFD FFFD },
		{ "trunc\xe2\x82.", "trunc" FFFD "." },
		{ "end\xf0\x9f\x98", "end" FFFD },
		{ "overlong\xc0\xaf", "overlong" FFFD FFFD },
		{ "overlong3\xe0\x80\xaf", "overlong3" FFFD FFFD FFFD },
		{ "surrogate\xed\xa0\x80", "surrogate" FFFD FFFD FFFD },
		{ "toobig\xf4\x90\x80\x80", "toobig" FFFD FFFD FFFD FFFD },
		{ "f5\xf5\x80", "f5" FFFD FFFD },
		{ "max\xf4\x8f\xbf\xbf", "max\xf4\x8f\xbf\xbf" },
	};
	struct json_object	*root, *v;
	struct capture		 cap;
	struct jsonw		 w;
	size_t			 i, n = sizeof(cases) / sizeof(cases[0]);
	const char		*p;

	capture_open(&cap);
	jsonw_init(&w, cap.fp, 0);
	jsonw_array_begin(&w);
	for (i = 0; i < n; i++)
		jsonw_string(&w, cases[i].in);
	jsonw_string(&w, NULL);
	jsonw_array_end(&w);
	cr_assert_eq(jsonw_status(&w), 0);
	capture_close(&cap);

	for (p = cap.buf; *p != '\0'; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f,
		    "raw control byte 0x%02x in output", (unsigned char)*p);
	cr_assert_not_null(strstr(cap.buf, "\\u0001"));
	cr_assert_not_null(strstr(cap.buf, "\\n"));

	root = parse_strict(cap.buf);
	cr_assert_eq(json_object_array_length(root), n + 1);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(root, i);
		cr_assert(json_object_is_type(v, json_type_string));
		cr_assert_str_eq(json_object_get_string(v), cases[i].out,
		    "case %zu", i);
	}
	cr_assert(json_object_is_type(json_object_array_get_idx(root, n),
	    json_type_null));
	json_object_put(root);
	free(cap.buf);
}

static void
write_sample(FILE *fp, int pretty)
{
	struct jsonw	 w;

	jsonw_init(&w, fp, pretty);
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "a", -1);
	jsonw_key(&w, "b");
	jsonw_array_begin(&w);
	jsonw_array_end(&w);
	jsonw_key(&w, "c");
	jsonw_object_begin(&w);
	jsonw_key(&w, "d");
	jsonw_array_begin(&w);
	jsonw_bool(&w, 1);
	jsonw_null(&w);
	jsonw_time(&w, NOW_2016);
	jsonw_array_end(&w);
	jsonw_key(&w, "e");
	jsonw_object_begin(&w);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	jsonw_kv_string(&w, "f", NULL);
	jsonw_object_end(&w);
	cr_assert_eq(jsonw_status(&w), 0);
}

Test(jsonw, pretty_and_compact_layout)
{
	struct capture	 cap;

	capture_open(&cap);
	write_sample(cap.fp, 1);
	capture_close(&cap);
	cr_assert_str_eq(cap.buf,
	    "{\n"
	    "  \"a\": -1,\n"
	    "  \"b\": [],\n"
	    "  \"c\": {\n"
	    "    \"d\": [\n"
	    "      true,\n"
	    "      null,\n"
	    "      \"2016-03-01T00:00:00Z\"\n"
	    "    ],\n"
	    "    \"e\": {}\n"
	    "  },\n"
	    "  \"f\": null\n"
	    "}\n");
	free(cap.buf);

	capture_open(&cap);
	write_sample(cap.fp, 0);
	capture_close(&cap);
	cr_assert_str_eq(cap.buf, "{\"a\":-1,\"b\":[],\"c\":{\"d\":[true,null,"
	    "\"2016-03-01T00:00:00Z\"],\"e\":{}},\"f\":null}");
	free(cap.buf);
}

Test(jsonw, unbalanced_close_is_an_error)
{
	struct capture	 cap;
	struct jsonw	 w;

	capture_open(&cap);
	jsonw_init(&w, cap.fp, 0);
	jsonw_object_end(&w);
	cr_assert_eq(jsonw_status(&w), -1);
	capture_close(&cap);
	free(cap.buf);
}

/* ---- catalog and writer table ---------------------------------------- */

Test(finding, catalog_is_complete_and_codes_round_trip)
{
	const struct finding_info	*fi;
	enum finding_id			 id;
	int				 i;

	for (i = 0; i < FIND__COUNT; i++) {
		fi = finding_info((enum finding_id)i);
		cr_assert_not_null(fi);
		cr_assert_not_null(fi->code);
		cr_assert_not_null(fi->title);
		cr_assert_not_null(fi->reference);
		cr_assert_not_null(fi->advice);
		cr_assert(fi->severity >= SEV_INFO &&
		    fi->severity <= SEV_ERROR);
		cr_assert_eq(finding_by_code(fi->code, &id), 0);
		cr_assert_eq((int)id, i);
	}
	cr_assert_null(finding_info(FIND__COUNT));
	cr_assert_eq(finding_by_code("expired", &id), 0);
	cr_assert_eq(id, FIND_EXPIRED);
	cr_assert_str_eq(finding_info(FIND_SHA1_ONLY_LINK)->code,
	    "sha1-only-link");
	cr_assert_eq(finding_by_code("no-such-code", &id), -1);
}

Test(finding, severity_names_and_parsing)
{
	enum severity	 s = SEV_INFO;

	cr_assert_str_eq(severity_name(SEV_NONE), "none");
	cr_assert_str_eq(severity_name(SEV_INFO), "info");
	cr_assert_str_eq(severity_name(SEV_WARNING), "warning");
	cr_assert_str_eq(severity_name(SEV_ERROR), "error");
	cr_assert_eq(severity_parse("error", &s), 0);
	cr_assert_eq(s, SEV_ERROR);
	cr_assert_eq(severity_parse("warning", &s), 0);
	cr_assert_eq(s, SEV_WARNING);
	cr_assert_eq(severity_parse("info", &s), 0);
	cr_assert_eq(s, SEV_INFO);
	cr_assert_eq(severity_parse("never", &s), 0);
	cr_assert_eq(s, SEV_NONE);
	cr_assert_eq(severity_parse("none", &s), -1);
	cr_assert_eq(severity_parse("ERROR", &s), -1);
	cr_assert_eq(severity_parse("", &s), -1);
	cr_assert_eq(s, SEV_NONE, "failed parse must not write *out");
}

Test(report, writer_table)
{
	cr_assert_not_null(report_find("text"));
	cr_assert_not_null(report_find("json"));
	cr_assert_str_eq(report_find("json")->name, "json");
	cr_assert_null(report_find("xml"));
	cr_assert_null(report_find(""));
	cr_assert_str_eq(report_names(),
	    "text, json, jsonl, csv, sarif, junit, html, nagios, prometheus");
	cr_assert_str_eq(report_suggest("prometeus"), "prometheus");
	cr_assert_null(report_suggest("xml"));
}

Test(report, summary_counts)
{
	struct report_summary	 s;
	struct fixture		 fx;
	struct audit		*err;

	memset(&s, 0, sizeof(s));
	fixture_findings(&fx);
	fx.a->trusted = 1;
	err = audit_error("gone.pem", "cannot read");
	cr_assert_not_null(err);
	report_summary_add(&s, fx.a, 1);
	report_summary_add(&s, err, 1);
	cr_assert_eq(s.targets, 2);
	cr_assert_eq(s.errors, 1);
	cr_assert_eq(s.failed, 1, "an error target is not also a failure");
	cr_assert_eq(s.trusted, 1);
	cr_assert_eq(s.by_severity[SEV_ERROR], 1);
	cr_assert_eq(s.by_severity[SEV_WARNING], 1);
	cr_assert_eq(s.by_severity[SEV_INFO], 1);
	audit_free(err);
	fixture_free(&fx);
}

/* ---- JSON report ------------------------------------------------------ */

Test(report_json, documented_fields_without_path)
{
	struct json_object	*root, *o, *t, *c, *f, *s;
	struct audit		*audits[3];
	struct fixture		 fx, fx2;
	const int		 failed[3] = { 1, 1, 0 };
	char			*out;

	fixture_findings(&fx);
	audits[0] = fx.a;
	audits[1] = audit_error("missing.pem", "missing.pem: No such file");
	cr_assert_not_null(audits[1]);
	memset(&fx2, 0, sizeof(fx2));
	fx2.a = audit_new_by_hand("warn.pem");
	fx2.a->host = strdup("warn.example.test");
	fx2.a->bundle_entry = 1;
	add_cert(&fx2, "chains/good-rsa.pem", 0, ORIGIN_PRESENTED, 0);
	cr_assert_eq(audit_add_finding(fx2.a, FIND_EXPIRING_SOON, 0,
	    "expires in 14 days"), 0);
	fx2.a->worst = SEV_WARNING;
	audits[2] = fx2.a;

	out = run_writer("json", audits, 3, failed, 0, 0);
	root = parse_strict(out);

	o = get(root, "chainaudit");
	cr_assert_str_eq(get_str(o, "version"), "9.9.9-test");
	cr_assert_eq(get_int(o, "schema"), 1);
	cr_assert_str_eq(get_str(root, "evaluated_at"),
	    "2016-03-01T00:00:00Z");
	cr_assert_eq(get_len(root, "targets"), 3);

	t = get_idx(root, "targets", 0);
	/* Control bytes and bad UTF-8 are shown escaped (safetext.h). */
	cr_assert_str_eq(get_str(t, "source"),
	    "dir/\"odd\"\\x09name\\x01\\xff.pem");
	cr_assert(is_null(t, "host"));
	cr_assert_eq(get_bool(t, "bundle_entry"), 0);
	cr_assert(is_null(t, "error"));
	cr_assert_str_eq(get_str(t, "verdict"), "fail");
	cr_assert_str_eq(get_str(t, "worst_severity"), "error");
	cr_assert_eq(get_bool(t, "trusted"), 0);
	cr_assert(is_null(t, "path"));

	cr_assert_eq(get_len(t, "certificates"), 2);
	c = get_idx(t, "certificates", 0);
	cr_assert_eq(get_int(c, "index"), 0);
	cr_assert_eq(get_int(c, "presented_index"), 0);
	cr_assert_str_eq(get_str(c, "origin"), origin_name(ORIGIN_PRESENTED));
	cr_assert_str_eq(get_str(c, "subject"), cert_subject(fx.certs[0]));
	cr_assert_str_eq(get_str(c, "issuer"), cert_issuer(fx.certs[0]));
	cr_assert_str_eq(get_str(c, "serial"), fx.certs[0]->serial_hex);
	cr_assert_str_eq(get_str(c, "sha256"), fx.certs[0]->sha256_hex);
	cr_assert_str_eq(get_str(c, "spki_sha256"),
	    fx.certs[0]->spki_sha256_hex);
	cr_assert_str_eq(get_str(c, "not_before"), "2015-01-01T00:00:00Z");
	cr_assert_str_eq(get_str(c, "not_after"), "2035-01-01T00:00:00Z");
	cr_assert_str_eq(get_str(c, "key_algorithm"), fx.certs[0]->key_name);
	cr_assert_eq(get_int(c, "key_bits"), 2048);
	cr_assert_str_eq(get_str(c, "signature_algorithm"),
	    fx.certs[0]->sig_name);
	cr_assert_eq(get_bool(c, "is_ca"), 0);
	cr_assert_eq(get_bool(c, "self_issued"), 0);
	c = get_idx(t, "certificates", 1);
	cr_assert_eq(get_int(c, "index"), 1);
	cr_assert_eq(get_bool(c, "is_ca"), 1);

	cr_assert_eq(get_len(t, "findings"), 3);
	f = get_idx(t, "findings", 0);
	cr_assert_str_eq(get_str(f, "code"), "expired");
	cr_assert_str_eq(get_str(f, "severity"), "error");
	cr_assert_str_eq(get_str(f, "certificate"), fx.certs[0]->sha256_hex);
	cr_assert_str_eq(get_str(f, "message"), "expired on 2015-06-01");
	cr_assert_str_eq(get_str(f, "reference"), "RFC 5280 4.1.2.5");
	f = get_idx(t, "findings", 1);
	cr_assert_str_eq(get_str(f, "code"), "misordered-chain");
	cr_assert_str_eq(get_str(f, "severity"), "warning");
	cr_assert(is_null(f, "certificate"));
	cr_assert_str_eq(get_str(f, "message"),
	    "certificate #2 \"quoted\" \\x7f bad \\xc0\\xaf end\\x1b[2J");
	f = get_idx(t, "findings", 2);
	cr_assert_str_eq(get_str(f, "severity"), "info");
	cr_assert_str_eq(get_str(f, "certificate"), fx.certs[1]->sha256_hex);

	t = get_idx(root, "targets", 1);
	cr_assert_str_eq(get_str(t, "source"), "missing.pem");
	cr_assert_str_eq(get_str(t, "verdict"), "error");
	cr_assert_str_eq(get_str(t, "error"), "missing.pem: No such file");
	cr_assert_str_eq(get_str(t, "worst_severity"), "none");
	cr_assert_eq(get_len(t, "certificates"), 0);
	cr_assert_eq(get_len(t, "findings"), 0);
	cr_assert(is_null(t, "path"));

	t = get_idx(root, "targets", 2);
	cr_assert_str_eq(get_str(t, "verdict"), "pass",
	    "warnings alone still pass");
	cr_assert_str_eq(get_str(t, "worst_severity"), "warning");
	cr_assert_str_eq(get_str(t, "host"), "warn.example.test");
	cr_assert_eq(get_bool(t, "bundle_entry"), 1);

	s = get(root, "summary");
	cr_assert_eq(get_int(s, "targets"), 3);
	cr_assert_eq(get_int(s, "errors"), 1);
	cr_assert_eq(get_int(s, "trusted"), 0);
	cr_assert_eq(get_int(s, "failed"), 1);
	o = get(s, "findings");
	cr_assert_eq(get_int(o, "error"), 1);
	cr_assert_eq(get_int(o, "warning"), 2);
	cr_assert_eq(get_int(o, "info"), 1);

	json_object_put(root);
	free(out);
	audit_free(audits[1]);
	fixture_free(&fx);
	fixture_free(&fx2);
}

Test(report_json, empty_run_is_one_document)
{
	struct json_object	*root;
	char			*out;

	out = run_writer("json", NULL, 0, NULL, 0, 0);
	root = parse_strict(out);
	cr_assert_eq(get_len(root, "targets"), 0);
	cr_assert_eq(get_int(get(root, "summary"), "targets"), 0);
	json_object_put(root);
	free(out);
}

Test(report_json, chosen_path_links_and_candidates)
{
	struct json_object	*root, *t, *p, *w, *n, *l, *c;
	struct audit		*audits[1];
	struct handpath		 h;
	struct fixture		 fx;
	const int		 failed[1] = { 0 };
	char			*out;

	memset(&fx, 0, sizeof(fx));
	fx.a = audit_new_by_hand("fixtures/chains/good-rsa.pem");
	add_cert(&fx, "chains/good-rsa.pem", 0, ORIGIN_PRESENTED, 0);
	add_cert(&fx, "chains/good-rsa.pem", 1, ORIGIN_PRESENTED, 1);
	handpath_build(&h, &fx, 1);
	audits[0] = fx.a;

	out = run_writer("json", audits, 1, failed, 0, 0);
	root = parse_strict(out);
	t = get_idx(root, "targets", 0);
	cr_assert_str_eq(get_str(t, "verdict"), "pass");
	cr_assert_eq(get_bool(t, "trusted"), 1);
	cr_assert_eq(get_len(t, "certificates"), 4);
	cr_assert_str_eq(get_str(get_idx(t, "certificates", 3), "origin"),
	    origin_name(ORIGIN_ANCHOR));
	cr_assert(is_null(get_idx(t, "certificates", 3), "presented_index"));

	p = get(t, "path");
	cr_assert_eq(get_bool(p, "complete"), 1);
	cr_assert_eq(get_bool(p, "trusted"), 1);
	cr_assert_str_eq(get_str(p, "anchor"), fx.certs[3]->sha256_hex);
	w = get(p, "weakest_strength");
	cr_assert_eq(get_int(w, "bits"), 112);
	cr_assert_eq(get_bool(w, "broken_hash"), 0);
	cr_assert_eq(get_int(p, "paths_found"), 1);
	cr_assert_eq(get_int(p, "paths_explored"), 3);
	cr_assert_eq(get_int(p, "signature_checks"), 3);
	cr_assert_eq(get_bool(p, "search_capped"), 0);

	cr_assert_eq(get_len(p, "nodes"), 3);
	n = get_idx(p, "nodes", 0);
	cr_assert_str_eq(get_str(n, "certificate"), fx.certs[0]->sha256_hex);
	cr_assert_str_eq(get_str(n, "subject"), cert_subject(fx.certs[0]));
	cr_assert_eq(get_bool(n, "anchor"), 0);
	n = get_idx(p, "nodes", 2);
	cr_assert_str_eq(get_str(n, "certificate"), fx.certs[3]->sha256_hex);
	cr_assert_eq(get_bool(n, "anchor"), 1);

	cr_assert_eq(get_len(p, "links"), 2);
	l = get_idx(p, "links", 0);
	cr_assert_str_eq(get_str(l, "subject"), fx.certs[0]->sha256_hex);
	cr_assert_str_eq(get_str(l, "issuer"), fx.certs[1]->sha256_hex);
	cr_assert_eq(get_int(l, "strength_bits"), 112);
	cr_assert_eq(strncmp(get_str(l, "chosen_because"), "only", 4), 0);
	cr_assert_eq(get_len(l, "candidates"), 1);

	l = get_idx(p, "links", 1);
	cr_assert_str_eq(get_str(l, "subject"), fx.certs[1]->sha256_hex);
	cr_assert_str_eq(get_str(l, "issuer"), fx.certs[3]->sha256_hex);
	cr_assert_str_eq(get_str(l, "signature_algorithm"),
	    fx.certs[1]->sig_name);
	cr_assert_eq(get_int(l, "strength_bits"), 128);
	cr_assert_eq(get_bool(l, "broken_hash"), 0);
	cr_assert_not_null(strstr(get_str(l, "chosen_because"), "strongest"));
	cr_assert_eq(get_len(l, "candidates"), 2);
	c = get_idx(l, "candidates", 0);
	cr_assert_str_eq(get_str(c, "certificate"), fx.certs[2]->sha256_hex);
	cr_assert_str_eq(get_str(c, "issuer_certificate"),
	    fx.certs[3]->sha256_hex);
	cr_assert_str_eq(get_str(c, "origin"),
	    origin_name(ORIGIN_INTERMEDIATE));
	cr_assert_str_eq(get_str(c, "kind"), "primary");
	cr_assert_str_eq(get_str(c, "signature_algorithm"),
	    fx.certs[2]->sig_name);
	cr_assert_str_eq(get_str(c, "status"), sig_status_name(SIG_VERIFIED));
	cr_assert_eq(get_int(c, "strength_bits"), 63);
	cr_assert_eq(get_bool(c, "broken_hash"), 1);
	cr_assert_eq(get_bool(c, "valid_now"), 1);
	cr_assert_eq(get_bool(c, "chosen"), 0);
	c = get_idx(l, "candidates", 1);
	cr_assert_eq(get_bool(c, "chosen"), 1);
	cr_assert_eq(get_bool(c, "broken_hash"), 0);
	cr_assert_eq(get_len(p, "alternatives"), 0);

	json_object_put(root);
	free(out);
	fixture_free(&fx);
}

Test(report_json, incomplete_path)
{
	struct json_object	*root, *p;
	struct audit		*audits[1];
	struct handpath		 h;
	struct fixture		 fx;
	const int		 failed[1] = { 1 };
	char			*out;

	memset(&fx, 0, sizeof(fx));
	fx.a = audit_new_by_hand("missing-int.pem");
	add_cert(&fx, "chains/good-rsa.pem", 0, ORIGIN_PRESENTED, 0);
	add_cert(&fx, "chains/good-rsa.pem", 1, ORIGIN_EXTRA, -1);
	handpath_build(&h, &fx, 0);
	cr_assert_eq(audit_add_finding(fx.a, FIND_INCOMPLETE_CHAIN, 0,
	    "no issuer"), 0);
	audits[0] = fx.a;

	out = run_writer("json", audits, 1, failed, 0, 0);
	root = parse_strict(out);
	p = get(get_idx(root, "targets", 0), "path");
	cr_assert_eq(get_bool(p, "complete"), 0);
	cr_assert_eq(get_bool(p, "trusted"), 0);
	cr_assert(is_null(p, "anchor"));
	cr_assert(is_null(p, "weakest_strength"));
	cr_assert_eq(get_len(p, "nodes"), 1);
	cr_assert_eq(get_len(p, "links"), 0);
	json_object_put(root);
	free(out);
	fixture_free(&fx);
}

/* ---- text report ------------------------------------------------------ */

Test(report_text, findings_and_no_colour_by_default)
{
	struct audit	*audits[2];
	struct fixture	 fx;
	const int	 failed[2] = { 1, 1 };
	char		*out;

	fixture_findings(&fx);
	audits[0] = fx.a;
	audits[1] = audit_error("missing.pem", "No such file or directory");
	cr_assert_not_null(audits[1]);

	out = run_writer("text", audits, 2, failed, 0, 0);
	cr_assert_null(strchr(out, '\033'), "ANSI escape without colour:\n%s",
	    out);
	cr_assert_not_null(strstr(out, ": FAIL (untrusted, no path)"), "%s",
	    out);
	cr_assert_not_null(strstr(out,
	    "  error    expired               CN=good.example.test: "
	    "expired on 2015-06-01\n"), "%s", out);
	cr_assert_not_null(strstr(out, "  warning  misordered-chain      "
	    "certificate #2"), "%s", out);
	cr_assert_not_null(strstr(out, " end\\x1b[2J\n"), "%s", out);
	cr_assert_not_null(strstr(out, "dir/\"odd\"\\x09name\\x01"), "%s",
	    out);
	cr_assert_not_null(strstr(out, "  info     unnecessary-root      "
	    "CN=Chainaudit Test Intermediate RSA: root sent\n"), "%s", out);
	cr_assert_not_null(strstr(out,
	    "missing.pem: ERROR: No such file or directory\n"), "%s", out);
	cr_assert_not_null(strstr(out, "2 targets: 0 pass, 1 fail, 1 error; "
	    "findings: 1 error, 1 warning, 1 info\n"), "%s", out);
	free(out);

	out = run_writer("text", audits, 2, failed, 1, 0);
	cr_assert_not_null(strstr(out, "\033[31merror"), "%s", out);
	cr_assert_not_null(strstr(out, "\033[33mwarning"), "%s", out);
	cr_assert_not_null(strstr(out, "\033[36minfo"), "%s", out);
	cr_assert_not_null(strstr(out, "\033[31mFAIL\033[0m"), "%s", out);
	cr_assert_not_null(strstr(out, "\033[31mERROR\033[0m"), "%s", out);
	free(out);

	audit_free(audits[1]);
	fixture_free(&fx);
}

Test(report_text, path_tree)
{
	struct audit	*audits[1];
	struct handpath	 h;
	struct fixture	 fx;
	const int	 failed[1] = { 0 };
	char		*out;

	memset(&fx, 0, sizeof(fx));
	fx.a = audit_new_by_hand("fixtures/chains/good-rsa.pem");
	add_cert(&fx, "chains/good-rsa.pem", 0, ORIGIN_PRESENTED, 0);
	add_cert(&fx, "chains/good-rsa.pem", 1, ORIGIN_PRESENTED, 1);
	handpath_build(&h, &fx, 1);
	audits[0] = fx.a;

	out = run_writer("text", audits, 1, failed, 0, 0);
	cr_assert_not_null(strstr(out, "fixtures/chains/good-rsa.pem: PASS "
	    "(trusted, 2 links, weakest link 112 bits)\n"), "%s", out);
	cr_assert_not_null(strstr(out, "  \xe2\x94\x8c CN=good.example.test  "
	    "RSA 2048  valid 2015-01-01..2035-01-01  [sent #1]\n"), "%s", out);
	cr_assert_not_null(strstr(out, "  \xe2\x94\x9c CN=Chainaudit Test "
	    "Intermediate RSA  RSA 2048  "), "%s", out);
	cr_assert_not_null(strstr(out, "  \xe2\x94\x94 CN=Chainaudit Test Root "
	    "RSA  RSA 4096  trust anchor  [from trust store]\n"), "%s", out);
	cr_assert_not_null(strstr(out, "[1 alternative not used: "), "%s", out);
	cr_assert_not_null(strstr(out, "(broken hash) weaker]"), "%s", out);
	cr_assert_not_null(strstr(out, "1 target: 1 pass, 0 fail, 0 errors"),
	    "%s", out);
	cr_assert_null(strchr(out, '\033'));
	free(out);

	/* Verbose: one line per candidate, full DNs. */
	out = run_writer("text", audits, 1, failed, 0, 1);
	cr_assert_not_null(strstr(out, cert_subject(fx.certs[0])), "%s", out);
	cr_assert_not_null(strstr(out, "(chosen)"), "%s", out);
	cr_assert_not_null(strstr(out, "from --intermediates"), "%s", out);
	cr_assert_null(strstr(out, "alternative not used"), "%s", out);
	free(out);

	fixture_free(&fx);
}

Test(report_text, incomplete_path_names_the_missing_issuer)
{
	struct audit	*audits[1];
	struct handpath	 h;
	struct fixture	 fx;
	const int	 failed[1] = { 1 };
	char		*out;

	memset(&fx, 0, sizeof(fx));
	fx.a = audit_new_by_hand("missing-int.pem");
	add_cert(&fx, "chains/good-rsa.pem", 0, ORIGIN_PRESENTED, 0);
	add_cert(&fx, "chains/good-rsa.pem", 1, ORIGIN_EXTRA, -1);
	handpath_build(&h, &fx, 0);
	cr_assert_eq(audit_add_finding(fx.a, FIND_INCOMPLETE_CHAIN, 0,
	    "no issuer"), 0);
	audits[0] = fx.a;

	out = run_writer("text", audits, 1, failed, 0, 0);
	cr_assert_not_null(strstr(out, "missing-int.pem: FAIL (untrusted, "
	    "incomplete path, 0 links)\n"), "%s", out);
	cr_assert_not_null(strstr(out, "  \xe2\x94\x8c CN=good.example.test"),
	    "%s", out);
	cr_assert_not_null(strstr(out, "  \xe2\x94\x94 (no issuer found for "
	    "CN=Chainaudit Test Intermediate RSA)\n"), "%s", out);
	free(out);
	fixture_free(&fx);
}
