/*
 * report_json.c: the machine-readable report, schema version 1.
 *
 * The format is an interface: man/chainaudit-report.schema.json describes
 * it, and fields are only ever added.  One document per run: begin writes
 * the head and opens "targets", each target is streamed as it finishes,
 * end closes the array and writes the summary.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "report.h"
#include "util.h"

#define JSON_SCHEMA_VERSION	1

/* Nesting of a target object: root object, then the "targets" array. */
#define TARGETS_DEPTH		2

/*
 * Pick up the document inside the "targets" array; index says whether a
 * target precedes this one (and so a comma).
 */
static void
json_resume(struct jsonw *w, FILE *fp, size_t index)
{
	jsonw_init(w, fp, 1);
	w->depth = TARGETS_DEPTH;
	w->first[1] = 0;
	w->first[TARGETS_DEPTH] = (index == 0);
}

/* The hash of certificate i of a, or NULL for -1. */
static const char *
cert_hash(const struct audit *a, int i)
{
	return i >= 0 && (size_t)i < a->ncerts ? a->certs[i].sha256 : NULL;
}

static void
strength_obj(struct jsonw *w, const char *key, struct audit_strength s)
{
	jsonw_key(w, key);
	jsonw_object_begin(w);
	jsonw_kv_int(w, "bits", s.bits);
	jsonw_kv_bool(w, "broken_hash", s.broken);
	jsonw_object_end(w);
}

/*
 * Why the link's chosen candidate won, in a few words: measured against
 * the best other verified candidate.
 */
static void
chosen_because(const struct audit *a, const struct audit_link *l, char *buf,
    size_t len)
{
	const struct audit_cand	*best = NULL, *other = NULL;

	if (l->chosen >= 0)
		best = &a->path.cands[l->chosen];
	if (l->other >= 0)
		other = &a->path.cands[l->other];
	switch (l->because) {
	case BECAUSE_NONE:
		snprintf(buf, len, "no verified signature");
		break;
	case BECAUSE_ONLY:
		snprintf(buf, len, "only verified signature");
		break;
	case BECAUSE_ALGORITHM:
		snprintf(buf, len, "strongest verified signature (%s over %s)",
		    best->algorithm, other->algorithm);
		break;
	case BECAUSE_BITS:
		snprintf(buf, len, "strongest verified signature "
		    "(%u over %u bits)", best->strength.bits,
		    other->strength.bits);
		break;
	case BECAUSE_VALID_NOW:
	case BECAUSE_VALID_NOW_WEAKER:
		snprintf(buf, len, "%s verified signature on a certificate "
		    "valid now", l->because == BECAUSE_VALID_NOW ?
		    "equally strong" : "weaker");
		break;
	case BECAUSE_PRESENTED:
		snprintf(buf, len, "equally strong verified signature, "
		    "as presented");
		break;
	case BECAUSE_EQUAL:
		snprintf(buf, len, "equally strong verified signature");
		break;
	default:
		snprintf(buf, len, "chosen by path ranking");
		break;
	}
}

/* A live target's handshake: "tls", only for live targets. */
static void
json_tls(struct jsonw *w, const struct audit *a)
{
	const struct audit_tls	*t = a->tls;

	if (t == NULL)
		return;
	jsonw_key(w, "tls");
	jsonw_object_begin(w);
	jsonw_kv_text(w, "target", t->target);
	jsonw_kv_text(w, "address", t->address);
	jsonw_kv_text(w, "sni", t->sni);
	jsonw_kv_string(w, "starttls", t->starttls);
	jsonw_kv_string(w, "key_type", t->key_type);
	jsonw_kv_string(w, "protocol", t->protocol);
	jsonw_kv_string(w, "cipher_suite", t->cipher);
	jsonw_kv_string(w, "server_signature_algorithm", t->server_sign);
	jsonw_object_end(w);
}

/* Revocation answers: "revocation", only when something was asked. */
static void
json_revocation(struct jsonw *w, const struct audit *a)
{
	const struct audit_revocation	*r;
	size_t				 i;

	if (a->nrevocations == 0)
		return;
	jsonw_key(w, "revocation");
	jsonw_array_begin(w);
	for (i = 0; i < a->nrevocations; i++) {
		r = &a->revocations[i];
		jsonw_object_begin(w);
		jsonw_kv_string(w, "certificate", cert_hash(a, r->cert));
		jsonw_kv_string(w, "source", r->source);
		jsonw_kv_string(w, "status", r->status);
		jsonw_kv_text(w, "where", r->where);
		if (r->this_update != 0)
			jsonw_kv_time(w, "this_update", r->this_update);
		else
			jsonw_kv_string(w, "this_update", NULL);
		if (r->next_update != 0)
			jsonw_kv_time(w, "next_update", r->next_update);
		else
			jsonw_kv_string(w, "next_update", NULL);
		if (r->revoked_at != 0)
			jsonw_kv_time(w, "revoked_at", r->revoked_at);
		else
			jsonw_kv_string(w, "revoked_at", NULL);
		jsonw_kv_string(w, "reason", r->reason);
		jsonw_kv_text(w, "detail", r->detail);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/*
 * The listed certificates (view.h caps them), then how many were left
 * out, when any were.
 */
static void
json_certificates(struct jsonw *w, const struct audit *a)
{
	const struct audit_cert	*ac;
	size_t			 i, n = 0;

	jsonw_key(w, "certificates");
	jsonw_array_begin(w);
	for (i = 0; i < a->ncerts; i++) {
		ac = &a->certs[i];
		if (ac->unlisted)
			continue;
		jsonw_object_begin(w);
		jsonw_kv_int(w, "index", (long long)n++);
		jsonw_key(w, "presented_index");
		if (ac->presented_index >= 0)
			jsonw_int(w, ac->presented_index);
		else
			jsonw_null(w);
		jsonw_kv_string(w, "origin", origin_name(ac->origin));
		if (ac->sha256 != NULL) {
			jsonw_kv_text(w, "subject", audit_cert_subject(ac));
			jsonw_kv_text(w, "issuer", audit_cert_issuer(ac));
			jsonw_kv_string(w, "serial", ac->serial);
			jsonw_kv_string(w, "sha256", ac->sha256);
			jsonw_kv_string(w, "spki_sha256", ac->spki_sha256);
			jsonw_kv_time(w, "not_before", ac->not_before);
			jsonw_kv_time(w, "not_after", ac->not_after);
			jsonw_kv_string(w, "key_algorithm", ac->key_algorithm);
			jsonw_kv_int(w, "key_bits", ac->key_bits);
			jsonw_kv_string(w, "signature_algorithm",
			    ac->sig_algorithm);
			jsonw_kv_bool(w, "is_ca", ac->is_ca);
			jsonw_kv_bool(w, "self_issued", ac->self_issued);
			if (ac->alt_key_algorithm != NULL)
				jsonw_kv_string(w, "alt_key_algorithm",
				    ac->alt_key_algorithm);
			if (ac->alt_sig_algorithm != NULL)
				jsonw_kv_string(w, "alt_signature_algorithm",
				    ac->alt_sig_algorithm);
			if (ac->alt_self_signature != NULL)
				jsonw_kv_string(w, "alt_self_signature",
				    ac->alt_self_signature);
		}
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	if (a->nunlisted > 0)
		jsonw_kv_int(w, "certificates_not_listed",
		    (long long)a->nunlisted);
}

static void
json_candidate(struct jsonw *w, const struct audit *a,
    const struct audit_cand *c)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "certificate", cert_hash(a, c->cert));
	jsonw_kv_string(w, "issuer_certificate", cert_hash(a, c->issuer));
	jsonw_kv_string(w, "origin", origin_name(c->origin));
	jsonw_kv_string(w, "kind", c->alternative ? "alternative" : "primary");
	jsonw_kv_string(w, "signature_algorithm", c->algorithm);
	jsonw_kv_string(w, "status", c->status);
	jsonw_kv_int(w, "strength_bits", c->strength.bits);
	jsonw_kv_bool(w, "broken_hash", c->strength.broken);
	jsonw_kv_bool(w, "valid_now", c->valid_now);
	jsonw_kv_bool(w, "chosen", c->chosen);
	jsonw_object_end(w);
}

static void
json_link(struct jsonw *w, const struct audit *a, const struct audit_link *l)
{
	const struct audit_cand	*best = NULL;
	char			 why[256];
	size_t			 j;

	if (l->chosen >= 0)
		best = &a->path.cands[l->chosen];
	chosen_because(a, l, why, sizeof(why));

	jsonw_object_begin(w);
	jsonw_kv_string(w, "subject", cert_hash(a, l->subject));
	/* The certificate standing for the issuer node, as in "nodes". */
	jsonw_kv_string(w, "issuer", cert_hash(a, l->issuer));
	if (best != NULL) {
		jsonw_kv_string(w, "signature_algorithm", best->algorithm);
		jsonw_kv_int(w, "strength_bits", best->strength.bits);
		jsonw_kv_bool(w, "broken_hash", best->strength.broken);
	} else {
		jsonw_kv_string(w, "signature_algorithm", NULL);
		jsonw_key(w, "strength_bits");
		jsonw_null(w);
		jsonw_key(w, "broken_hash");
		jsonw_null(w);
	}
	jsonw_kv_string(w, "chosen_because", why);
	jsonw_key(w, "candidates");
	jsonw_array_begin(w);
	for (j = 0; j < l->ncands; j++)
		json_candidate(w, a, &a->path.cands[l->cand + j]);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/* "weakest_strength" of a path of nnodes nodes: null with no link. */
static void
json_weakest(struct jsonw *w, size_t nnodes, struct audit_strength weakest)
{
	if (nnodes > 1)
		strength_obj(w, "weakest_strength", weakest);
	else {
		jsonw_key(w, "weakest_strength");
		jsonw_null(w);
	}
}

static void
json_alternatives(struct jsonw *w, const struct audit *a)
{
	const struct audit_alt	*alt;
	size_t			 i, k;

	jsonw_key(w, "alternatives");
	jsonw_array_begin(w);
	for (k = 0; k < a->path.nalts; k++) {
		alt = &a->path.alts[k];
		jsonw_object_begin(w);
		jsonw_key(w, "nodes");
		jsonw_array_begin(w);
		for (i = 0; i < alt->nnodes; i++)
			jsonw_string(w, cert_hash(a,
			    a->path.nodes[alt->node + i].cert));
		jsonw_array_end(w);
		json_weakest(w, alt->nnodes, alt->weakest);
		jsonw_kv_bool(w, "complete", alt->complete);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

static void
json_path(struct jsonw *w, const struct audit *a)
{
	const struct audit_path		*p = &a->path;
	const struct audit_node		*n;
	size_t				 i;

	jsonw_key(w, "path");
	if (!p->chosen) {
		jsonw_null(w);
		return;
	}
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "complete", p->complete);
	jsonw_kv_bool(w, "trusted", p->complete);
	jsonw_kv_string(w, "anchor", p->complete && p->nnodes > 0 ?
	    cert_hash(a, p->nodes[p->nnodes - 1].cert) : NULL);
	json_weakest(w, p->nnodes, p->weakest);
	jsonw_kv_int(w, "paths_found", (long long)p->paths_found);
	jsonw_kv_int(w, "paths_explored", (long long)p->paths_explored);
	jsonw_kv_int(w, "signature_checks", (long long)p->sig_checks);
	jsonw_kv_bool(w, "search_capped", p->capped);

	jsonw_key(w, "nodes");
	jsonw_array_begin(w);
	for (i = 0; i < p->nnodes; i++) {
		n = &p->nodes[i];
		jsonw_object_begin(w);
		jsonw_kv_string(w, "certificate", cert_hash(a, n->cert));
		jsonw_kv_text(w, "subject", n->cert >= 0 ?
		    audit_cert_subject(&a->certs[n->cert]) : NULL);
		jsonw_kv_bool(w, "anchor", n->anchor);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);

	jsonw_key(w, "links");
	jsonw_array_begin(w);
	for (i = 0; i + 1 < p->nnodes; i++)
		json_link(w, a, &p->links[i]);
	jsonw_array_end(w);

	json_alternatives(w, a);
	jsonw_object_end(w);
}

/* Each named store's verdict: "trust_stores", only with named stores. */
static void
json_verdicts(struct jsonw *w, const struct audit *a)
{
	const struct audit_verdict *v;
	size_t i;

	if (a->nverdicts == 0)
		return;
	jsonw_key(w, "trust_stores");
	jsonw_array_begin(w);
	for (i = 0; i < a->nverdicts; i++) {
		v = &a->verdicts[i];
		jsonw_object_begin(w);
		jsonw_kv_string(w, "name", v->store->name);
		jsonw_kv_string(w, "as_of", v->store->as_of);
		jsonw_kv_bool(w, "trusted", v->trusted);
		jsonw_kv_string(w, "anchor", v->anchor_sha256);
		jsonw_kv_text(w, "anchor_subject", v->anchor_subject);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/* The run's named stores, the deciding one first (document head). */
static void
json_stores(struct jsonw *w, const struct report_opts *opts)
{
	const struct audit_store *st;
	size_t i;

	if (opts->nstores == 0)
		return;
	jsonw_key(w, "trust_stores");
	jsonw_array_begin(w);
	for (i = 0; i < opts->nstores; i++) {
		st = &opts->stores[i];
		jsonw_object_begin(w);
		jsonw_kv_string(w, "name", st->name);
		jsonw_kv_string(w, "as_of", st->as_of);
		jsonw_kv_text(w, "version", st->version);
		jsonw_kv_text(w, "note", st->note);
		jsonw_kv_bool(w, "decides", i == 0);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_kv_text(w, "trust_store_default", opts->store_default);
}

static void
json_findings(struct jsonw *w, const struct audit *a)
{
	const struct finding		*f;
	const struct finding_info	*fi;
	char				 when[32];
	size_t				 i;

	jsonw_key(w, "findings");
	jsonw_array_begin(w);
	for (i = 0; i < a->nfindings; i++) {
		f = &a->findings[i];
		fi = finding_info(f->id);
		jsonw_object_begin(w);
		jsonw_kv_string(w, "code", fi != NULL ? fi->code : NULL);
		jsonw_kv_string(w, "severity",
		    fi != NULL ? severity_name(fi->severity) : NULL);
		jsonw_kv_string(w, "certificate", cert_hash(a, f->cert));
		jsonw_kv_text(w, "message", f->message);
		jsonw_kv_string(w, "reference",
		    fi != NULL ? fi->reference : NULL);
		jsonw_kv_text(w, "fix", finding_fix(f));
		if (f->deadline != 0) {
			time_format_iso8601(f->deadline, when, sizeof(when));
			jsonw_kv_string(w, "deadline", when);
		} else
			jsonw_kv_string(w, "deadline", NULL);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/*
 * Start the document: the tool's name and version, the schema version,
 * the evaluation instant, and the opening of "targets".  Returns 0, or -1
 * when writing failed.
 */
int
report_json_begin(FILE *fp, void *state, const struct report_opts *opts)
{
	struct jsonw	 w;

	(void)state;
	jsonw_init(&w, fp, 1);
	jsonw_object_begin(&w);
	jsonw_key(&w, "chainaudit");
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "version", opts->version);
	jsonw_kv_int(&w, "schema", JSON_SCHEMA_VERSION);
	jsonw_object_end(&w);
	jsonw_kv_time(&w, "evaluated_at", opts->now);
	json_stores(&w, opts);
	jsonw_key(&w, "targets");
	jsonw_array_begin(&w);
	return jsonw_status(&w);
}

/*
 * Write one target object of the "targets" array: its verdict, its
 * certificates, the chosen path with every candidate of every link, and
 * its findings.  Returns 0, or -1 when writing failed.
 */
int
report_json_target(FILE *fp, void *state, const struct audit *a,
    size_t index, const struct report_opts *opts)
{
	struct jsonw	 w;

	(void)state;
	json_resume(&w, fp, index);
	report_json_target_object(&w, a, opts);
	return jsonw_status(&w);
}

/*
 * Write a as one target object ($defs/target of the schema) to w, at
 * whatever nesting w is in: the json writer's "targets" array, or a
 * line of its own for jsonl.
 */
void
report_json_target_object(struct jsonw *w, const struct audit *a,
    const struct report_opts *opts)
{
	jsonw_object_begin(w);
	jsonw_kv_text(w, "source", a->source);
	jsonw_kv_text(w, "host", a->host);
	jsonw_kv_text(w, "contact", a->contact);
	jsonw_kv_bool(w, "bundle_entry", a->bundle_entry);
	jsonw_kv_text(w, "error", a->error);
	jsonw_kv_string(w, "verdict", report_verdict(a, opts));
	jsonw_kv_string(w, "worst_severity", severity_name(a->worst));
	jsonw_kv_bool(w, "trusted", a->trusted);
	json_verdicts(w, a);
	json_tls(w, a);
	json_certificates(w, a);
	json_path(w, a);
	json_revocation(w, a);
	json_findings(w, a);
	jsonw_object_end(w);
}

/*
 * Close "targets" and finish the document with the run's summary.
 * Returns 0, or -1 when writing failed.
 */
int
report_json_end(FILE *fp, void *state, const struct report_summary *s,
    const struct report_opts *opts)
{
	struct jsonw	 w;

	(void)state;
	(void)opts;
	json_resume(&w, fp, s->targets);
	jsonw_array_end(&w);
	jsonw_key(&w, "summary");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "targets", (long long)s->targets);
	jsonw_kv_int(&w, "errors", (long long)s->errors);
	jsonw_kv_int(&w, "trusted", (long long)s->trusted);
	jsonw_kv_int(&w, "failed", (long long)s->failed);
	jsonw_key(&w, "findings");
	jsonw_object_begin(&w);
	jsonw_kv_int(&w, "error", (long long)s->by_severity[SEV_ERROR]);
	jsonw_kv_int(&w, "warning", (long long)s->by_severity[SEV_WARNING]);
	jsonw_kv_int(&w, "info", (long long)s->by_severity[SEV_INFO]);
	jsonw_object_end(&w);
	if (s->carried > 0) {
		jsonw_key(&w, "carried");
		jsonw_object_begin(&w);
		jsonw_kv_int(&w, "scan", s->carried_from);
		jsonw_kv_int(&w, "rows", (long long)s->carried);
		jsonw_kv_int(&w, "failed", (long long)s->carried_failed);
		jsonw_object_end(&w);
	}
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	if (fflush(fp) != 0)
		return -1;
	return jsonw_status(&w);
}
