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

static const char *
cert_hash(const struct cert *c)
{
	return c != NULL ? c->sha256_hex : NULL;
}

static const char *
kind_name(enum cand_kind k)
{
	return k == CAND_ALTERNATIVE ? "alternative" : "primary";
}

static const char *
cand_label(const struct candidate *c)
{
	return candidate_sig_name(c);
}

static void
strength_obj(struct jsonw *w, const char *key, struct strength s)
{
	jsonw_key(w, key);
	jsonw_object_begin(w);
	jsonw_kv_int(w, "bits", s.bits);
	jsonw_kv_bool(w, "broken_hash", strength_is_broken(s));
	jsonw_object_end(w);
}

/*
 * Why the link's chosen candidate won, in a few words: measured against
 * the best other verified candidate.
 */
static void
chosen_because(const struct link *l, char *buf, size_t len)
{
	const struct candidate	*best, *c, *other = NULL;
	size_t			 i;
	int			 cmp;

	if (l->best < 0 || (size_t)l->best >= l->ncands) {
		snprintf(buf, len, "no verified signature");
		return;
	}
	best = &l->cands[l->best];
	for (i = 0; i < l->ncands; i++) {
		c = &l->cands[i];
		if (c->status != SIG_VERIFIED || i == (size_t)l->best)
			continue;
		if (other == NULL || strength_cmp(c->strength,
		    other->strength) > 0)
			other = c;
	}
	if (other == NULL) {
		snprintf(buf, len, "only verified signature");
		return;
	}
	cmp = strength_cmp(best->strength, other->strength);
	if (cmp > 0 && strcmp(cand_label(best), cand_label(other)) != 0)
		snprintf(buf, len, "strongest verified signature (%s over %s)",
		    cand_label(best), cand_label(other));
	else if (cmp > 0)
		snprintf(buf, len, "strongest verified signature "
		    "(%u over %u bits)", best->strength.bits,
		    other->strength.bits);
	else if (best->valid_now && !other->valid_now)
		snprintf(buf, len, "%s verified signature on a certificate "
		    "valid now", cmp == 0 ? "equally strong" : "weaker");
	else if (cmp == 0 && best->origin == ORIGIN_PRESENTED &&
	    other->origin != ORIGIN_PRESENTED)
		snprintf(buf, len, "equally strong verified signature, "
		    "as presented");
	else if (cmp == 0)
		snprintf(buf, len, "equally strong verified signature");
	else
		snprintf(buf, len, "chosen by path ranking");
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
	jsonw_kv_string(w, "target", t->target);
	jsonw_kv_string(w, "address", t->address);
	jsonw_kv_string(w, "sni", t->sni);
	jsonw_kv_string(w, "starttls", t->starttls);
	jsonw_kv_string(w, "key_type", t->key_type);
	jsonw_kv_string(w, "protocol", t->protocol);
	jsonw_kv_string(w, "cipher_suite", t->cipher);
	jsonw_kv_string(w, "server_signature_algorithm", t->server_sign);
	jsonw_object_end(w);
}

static void
json_certificates(struct jsonw *w, const struct audit *a)
{
	const struct audit_cert	*ac;
	const struct cert	*c;
	size_t			 i;

	jsonw_key(w, "certificates");
	jsonw_array_begin(w);
	for (i = 0; i < a->ncerts; i++) {
		ac = &a->certs[i];
		c = ac->cert;
		jsonw_object_begin(w);
		jsonw_kv_int(w, "index", (long long)i);
		jsonw_key(w, "presented_index");
		if (ac->presented_index >= 0)
			jsonw_int(w, ac->presented_index);
		else
			jsonw_null(w);
		jsonw_kv_string(w, "origin", origin_name(ac->origin));
		if (c != NULL) {
			jsonw_kv_string(w, "subject", cert_subject(c));
			jsonw_kv_string(w, "issuer", cert_issuer(c));
			jsonw_kv_string(w, "serial", c->serial_hex);
			jsonw_kv_string(w, "sha256", c->sha256_hex);
			jsonw_kv_string(w, "spki_sha256", c->spki_sha256_hex);
			jsonw_kv_time(w, "not_before", c->not_before);
			jsonw_kv_time(w, "not_after", c->not_after);
			jsonw_kv_string(w, "key_algorithm", c->key_name);
			jsonw_kv_int(w, "key_bits", c->key_bits);
			jsonw_kv_string(w, "signature_algorithm", c->sig_name);
			jsonw_kv_bool(w, "is_ca", c->is_ca);
			jsonw_kv_bool(w, "self_issued", c->self_issued);
		}
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

static void
json_candidate(struct jsonw *w, const struct candidate *c, int chosen)
{
	jsonw_object_begin(w);
	jsonw_kv_string(w, "certificate", cert_hash(c->cert));
	jsonw_kv_string(w, "issuer_certificate", cert_hash(c->issuer));
	jsonw_kv_string(w, "origin", origin_name(c->origin));
	jsonw_kv_string(w, "kind", kind_name(c->kind));
	jsonw_kv_string(w, "signature_algorithm", candidate_sig_name(c));
	jsonw_kv_string(w, "status", sig_status_name(c->status));
	jsonw_kv_int(w, "strength_bits", c->strength.bits);
	jsonw_kv_bool(w, "broken_hash", strength_is_broken(c->strength));
	jsonw_kv_bool(w, "valid_now", c->valid_now);
	jsonw_kv_bool(w, "chosen", chosen);
	jsonw_object_end(w);
}

static void
json_link(struct jsonw *w, const struct path_result *r, const struct path *p,
    size_t i)
{
	const struct link	*l = &r->links[p->links[i]];
	const struct candidate	*best;
	const struct cert	*subj, *iss;
	char			 why[256];
	size_t			 j;

	best = path_chosen_candidate(r, p, i);
	subj = best != NULL ? best->cert : path_node_cert(r, p, i);
	/* The certificate standing for the issuer node, as in "nodes". */
	iss = path_node_cert(r, p, i + 1);
	chosen_because(l, why, sizeof(why));

	jsonw_object_begin(w);
	jsonw_kv_string(w, "subject", cert_hash(subj));
	jsonw_kv_string(w, "issuer", cert_hash(iss));
	if (best != NULL) {
		jsonw_kv_string(w, "signature_algorithm", candidate_sig_name(best));
		jsonw_kv_int(w, "strength_bits", best->strength.bits);
		jsonw_kv_bool(w, "broken_hash",
		    strength_is_broken(best->strength));
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
		json_candidate(w, &l->cands[j], (int)j == l->best);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

static void
json_weakest(struct jsonw *w, const struct path *p)
{
	if (p->len > 1)
		strength_obj(w, "weakest_strength", p->weakest);
	else {
		jsonw_key(w, "weakest_strength");
		jsonw_null(w);
	}
}

static void
json_path(struct jsonw *w, const struct audit *a)
{
	const struct path_result	*r = a->paths;
	const struct path		*p, *alt;
	size_t				 i, k;

	jsonw_key(w, "path");
	if (r == NULL || !r->have_chosen) {
		jsonw_null(w);
		return;
	}
	p = &r->chosen;
	jsonw_object_begin(w);
	jsonw_kv_bool(w, "complete", p->complete);
	jsonw_kv_bool(w, "trusted", p->complete);
	jsonw_kv_string(w, "anchor", p->complete && p->len > 0 ?
	    cert_hash(path_node_cert(r, p, p->len - 1)) : NULL);
	json_weakest(w, p);
	jsonw_kv_int(w, "paths_found", (long long)r->complete_paths);
	jsonw_kv_int(w, "paths_explored", (long long)r->paths_explored);
	jsonw_kv_int(w, "signature_checks", (long long)r->sig_checks);
	jsonw_kv_bool(w, "search_capped", r->capped);

	jsonw_key(w, "nodes");
	jsonw_array_begin(w);
	for (i = 0; i < p->len; i++) {
		const struct cert *c = path_node_cert(r, p, i);

		jsonw_object_begin(w);
		jsonw_kv_string(w, "certificate", cert_hash(c));
		jsonw_kv_string(w, "subject", c != NULL ? cert_subject(c) : NULL);
		jsonw_kv_bool(w, "anchor",
		    r->nodes[p->nodes[i]].anchor != NULL);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);

	jsonw_key(w, "links");
	jsonw_array_begin(w);
	for (i = 0; i + 1 < p->len; i++)
		json_link(w, r, p, i);
	jsonw_array_end(w);

	jsonw_key(w, "alternatives");
	jsonw_array_begin(w);
	for (k = 0; k < r->nalternatives; k++) {
		alt = &r->alternatives[k];
		jsonw_object_begin(w);
		jsonw_key(w, "nodes");
		jsonw_array_begin(w);
		for (i = 0; i < alt->len; i++)
			jsonw_string(w, cert_hash(path_node_cert(r, alt, i)));
		jsonw_array_end(w);
		json_weakest(w, alt);
		jsonw_kv_bool(w, "complete", alt->complete);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
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
		jsonw_kv_string(w, "anchor", cert_hash(v->anchor));
		jsonw_kv_string(w, "anchor_subject", v->anchor != NULL ?
		    cert_subject(v->anchor) : NULL);
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
		jsonw_kv_string(w, "version", st->version);
		jsonw_kv_string(w, "note", st->note);
		jsonw_kv_bool(w, "decides", i == 0);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_kv_string(w, "trust_store_default", opts->store_default);
}

static void
json_findings(struct jsonw *w, const struct audit *a)
{
	const struct finding		*f;
	const struct finding_info	*fi;
	const struct cert		*c;
	size_t				 i;

	jsonw_key(w, "findings");
	jsonw_array_begin(w);
	for (i = 0; i < a->nfindings; i++) {
		f = &a->findings[i];
		fi = finding_info(f->id);
		c = NULL;
		if (f->cert >= 0 && (size_t)f->cert < a->ncerts)
			c = a->certs[f->cert].cert;
		jsonw_object_begin(w);
		jsonw_kv_string(w, "code", fi != NULL ? fi->code : NULL);
		jsonw_kv_string(w, "severity",
		    fi != NULL ? severity_name(fi->severity) : NULL);
		jsonw_kv_string(w, "certificate", cert_hash(c));
		jsonw_kv_string(w, "message", f->message);
		jsonw_kv_string(w, "reference",
		    fi != NULL ? fi->reference : NULL);
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
	jsonw_kv_string(w, "source", a->source);
	jsonw_kv_string(w, "host", a->host);
	jsonw_kv_string(w, "contact", a->contact);
	jsonw_kv_bool(w, "bundle_entry", a->bundle_entry);
	jsonw_kv_string(w, "error", a->error);
	jsonw_kv_string(w, "verdict", report_verdict(a, opts));
	jsonw_kv_string(w, "worst_severity", severity_name(a->worst));
	jsonw_kv_bool(w, "trusted", a->trusted);
	json_verdicts(w, a);
	json_tls(w, a);
	json_certificates(w, a);
	json_path(w, a);
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
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	if (fflush(fp) != 0)
		return -1;
	return jsonw_status(&w);
}
