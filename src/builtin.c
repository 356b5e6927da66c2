/*
 * builtin.c: load the data compiled in from db/.
 */
#include <config.h>

#include "builtin.h"
#include "distrust.h"
#include "trust.h"
#include "truststores.h"

#define BUILTIN_ORIGIN	"built-in db/distrust.tsv"

/*
 * Load the shipped policy and its certificates; see builtin.h.
 */
int
builtin_load_distrust(struct distrust_policy *p, struct trust_store *store,
    void (*err)(const char *, void *), void *arg)
{
	char why[ERRBUF_LEN];

	if (distrust_parse(p, (const char *)builtin_distrust_tsv,
	    builtin_distrust_tsv_len, BUILTIN_ORIGIN, 0, err, arg) != 0)
		return -1;
	if (builtin_distrust_certs_len > 0 && trust_store_add_buffer(store,
	    builtin_distrust_certs, builtin_distrust_certs_len,
	    "built-in db/distrust-certs.pem", TRUST_KNOWN, NULL, why,
	    sizeof(why)) < 0) {
		if (err != NULL)
			err(why, arg);
		return -1;
	}
	return 0;
}

/*
 * Parse the shipped trust store history; see builtin.h.
 */
struct tstore_db *
builtin_truststores(void (*warn)(const char *, void *), void *arg)
{
	static const struct tstore_sources names = {
		"built-in db/trust-roots.pem",
		"built-in db/trust-history.tsv",
		"built-in db/trust-snapshots.tsv",
	};

	return tstore_db_parse((const char *)builtin_trust_roots,
	    builtin_trust_roots_len, (const char *)builtin_trust_history,
	    builtin_trust_history_len, (const char *)builtin_trust_snapshots,
	    builtin_trust_snapshots_len, &names, warn, arg);
}
