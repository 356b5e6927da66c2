/*
 * truststores_list.c: --list-trust-stores, every named store with the
 * dates its history covers, as text or JSON, one writer each, chosen
 * from a table.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "truststores.h"

#define NOTE_LEN	128

/*
 * Text: one line per store, columns aligned; with --at a column for the
 * version in force then ("<" marks an instant before the history).
 */
static int
list_text(FILE *fp, const struct tstore_db *db, int at_set, time_t at,
    const char *system_file)
{
	const char *const *name;
	struct tstore_info in;
	struct tstore_version v;
	char at_col[TSTORE_DATE_LEN + 2];

	if (fprintf(fp, "%-10s %8s  %-10s  %-10s  %5s  %6s  %s%s\n", "NAME",
	    "VERSIONS", "FIRST", "LAST", "CERTS", "NEWEST",
	    at_set ? "AT --at      " : "", "SOURCE") < 0)
		return -1;
	for (name = tstore_names(); *name != NULL; name++) {
		if (tstore_info(db, *name, &in) < 0)
			return -1;
		at_col[0] = '\0';
		if (at_set && tstore_version_at(db, *name, at, &v) == 0)
			snprintf(at_col, sizeof(at_col), "%s%s",
			    v.pos == TSTORE_BEFORE ? "<" : "",
			    v.date != NULL ? v.date : "today");
		if (strcmp(*name, TSTORE_SYSTEM) == 0) {
			if (fprintf(fp, "%-10s %8s  %-10s  %-10s  %5s  %6s  ",
			    in.name, "-", "-", "-", "-", "-") < 0)
				return -1;
		} else if (fprintf(fp, "%-10s %8zu  %-10s  %-10s  %5zu  %6zu  ",
		    in.name, in.versions, in.first != NULL ? in.first : "-",
		    in.last != NULL ? in.last : "-", in.certs, in.newest) < 0)
			return -1;
		if (at_set && fprintf(fp, "%-11s  ", at_col) < 0)
			return -1;
		if (strcmp(*name, TSTORE_SYSTEM) == 0) {
			if (fprintf(fp, "%s (%s)\n", in.source,
			    system_file) < 0)
				return -1;
		} else if (fprintf(fp, "%s\n", in.source) < 0)
			return -1;
	}
	return 0;
}

/*
 * JSON: {"trust_stores": [...]}, one object per store; "at" only with
 * --at.  The system store has null dates and counts.
 */
static int
list_json(FILE *fp, const struct tstore_db *db, int at_set, time_t at,
    const char *system_file)
{
	const char *const *name;
	struct tstore_info in;
	struct tstore_version v;
	struct jsonw w;
	char note[NOTE_LEN];
	int system;

	jsonw_init(&w, fp, 1);
	jsonw_object_begin(&w);
	if (at_set)
		jsonw_kv_time(&w, "at", at);
	jsonw_key(&w, "trust_stores");
	jsonw_array_begin(&w);
	for (name = tstore_names(); *name != NULL; name++) {
		if (tstore_info(db, *name, &in) < 0)
			return -1;
		system = strcmp(*name, TSTORE_SYSTEM) == 0;
		jsonw_object_begin(&w);
		jsonw_kv_string(&w, "name", in.name);
		jsonw_kv_string(&w, "source", in.source);
		jsonw_kv_string(&w, "file", system ? system_file : NULL);
		jsonw_kv_int(&w, "versions", (long long)in.versions);
		jsonw_kv_string(&w, "first", in.first);
		jsonw_kv_string(&w, "last", in.last);
		jsonw_key(&w, "certificates");
		if (system)
			jsonw_null(&w);
		else
			jsonw_int(&w, (long long)in.certs);
		jsonw_key(&w, "newest_certificates");
		if (system)
			jsonw_null(&w);
		else
			jsonw_int(&w, (long long)in.newest);
		if (at_set && tstore_version_at(db, *name, at, &v) == 0) {
			tstore_version_note(&v, note, sizeof(note));
			jsonw_key(&w, "at_version");
			jsonw_object_begin(&w);
			jsonw_kv_string(&w, "as_of", v.date);
			jsonw_kv_string(&w, "version", *v.label != '\0' ?
			    v.label : NULL);
			jsonw_kv_string(&w, "note", *note != '\0' ? note :
			    NULL);
			jsonw_object_end(&w);
		}
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	if (fputc('\n', fp) == EOF)
		return -1;
	return jsonw_status(&w);
}

static const struct {
	const char	*name;
	int		(*write)(FILE *, const struct tstore_db *, int, time_t,
			    const char *);
} writers[] = {
	{ "text",	list_text },
	{ "json",	list_json },
};

/*
 * Write the listing in format; see truststores.h.
 */
int
tstore_list(FILE *fp, const struct tstore_db *db, const char *format,
    int at_set, time_t at, const char *system_file)
{
	size_t i;

	for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(writers[i].name, format) == 0)
			return writers[i].write(fp, db, at_set, at,
			    system_file);
	return -1;
}

int
tstore_list_format_is_known(const char *format)
{
	size_t i;

	for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(writers[i].name, format) == 0)
			return 1;
	return 0;
}
