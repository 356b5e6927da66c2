/*
 * distrust_list.c: --list-distrust, the active distrust policy as text
 * or JSON, one writer each, chosen from a table.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "distrust.h"
#include "jsonw.h"
#include "safetext.h"

/* Room for "name:" and a whole policy line's match field. */
#define FIELD_LEN	1024

/*
 * The effective date as the shipped file writes it (YYYY-MM-DD) when it
 * is a midnight, else the whole instant.
 */
static void
effective_text(time_t t, char *buf, size_t len)
{
	time_format_iso8601(t, buf, len);
	if (t % 86400 == 0 && len > 10)
		buf[10] = '\0';
}

/*
 * Text: the six fields of chainaudit-distrust(5) and where the entry was
 * read, TAB-separated, so "cut -f1-6" gives back a policy file.
 */
static int
text_entry(const struct distrust_entry *e, void *arg)
{
	FILE *fp = arg;
	char eff[32], match[FIELD_LEN], rule[64];
	char ca[SAFETEXT_LEN], source[SAFETEXT_LEN], file[SAFETEXT_LEN];

	effective_text(e->effective, eff, sizeof(eff));
	distrust_match_text(e, match, sizeof(match));
	distrust_rule_text(e, rule, sizeof(rule));
	/* A user's policy file may hold anything: shown escaped. */
	return fprintf(fp, "%s\t%s\t%s\t%s\t%s\t%s\t%s:%u\n",
	    safetext(e->ca, ca, sizeof(ca)), distrust_vendor_name(e->vendor),
	    eff, match, rule, safetext(e->source, source, sizeof(source)),
	    safetext(e->file, file, sizeof(file)), e->line) < 0 ? -1 : 0;
}

static int
list_text(FILE *fp, const struct distrust_policy *p)
{
	if (fputs("# ca\tvendor\teffective\tmatch\trule\tsource\torigin\n",
	    fp) == EOF)
		return -1;
	return distrust_each(p, text_entry, fp) != 0 ? -1 : 0;
}

static int
json_entry(const struct distrust_entry *e, void *arg)
{
	struct jsonw *w = arg;
	char match[FIELD_LEN], rule[64];

	distrust_match_text(e, match, sizeof(match));
	distrust_rule_text(e, rule, sizeof(rule));
	jsonw_object_begin(w);
	jsonw_kv_text(w, "ca", e->ca);
	jsonw_kv_string(w, "vendor", distrust_vendor_name(e->vendor));
	jsonw_kv_time(w, "effective", e->effective);
	jsonw_kv_string(w, "match", match);
	jsonw_kv_string(w, "rule", rule);
	jsonw_kv_text(w, "source", e->source);
	jsonw_kv_text(w, "file", e->file);
	jsonw_kv_int(w, "line", e->line);
	jsonw_kv_bool(w, "user", e->user);
	jsonw_object_end(w);
	return jsonw_status(w);
}

/*
 * JSON: {"distrust_policy": {"entries": [...]}}, one object per entry
 * with the fields of the text listing (effective as a whole instant).
 */
static int
list_json(FILE *fp, const struct distrust_policy *p)
{
	struct jsonw w;

	jsonw_init(&w, fp, 1);
	jsonw_object_begin(&w);
	jsonw_key(&w, "distrust_policy");
	jsonw_object_begin(&w);
	jsonw_key(&w, "entries");
	jsonw_array_begin(&w);
	if (distrust_each(p, json_entry, &w) != 0)
		return -1;
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	return jsonw_status(&w);
}

static const struct {
	const char	*name;
	int		(*write)(FILE *, const struct distrust_policy *);
} writers[] = {
	{ "text",	list_text },
	{ "json",	list_json },
};

/*
 * Write the listing of p in format; see distrust.h.
 */
int
distrust_list(FILE *fp, const struct distrust_policy *p, const char *format)
{
	size_t i;

	for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(writers[i].name, format) == 0)
			return writers[i].write(fp, p);
	return -1;
}

int
distrust_list_format_is_known(const char *format)
{
	size_t i;

	for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(writers[i].name, format) == 0)
			return 1;
	return 0;
}
