/*
 * builtin.h: data compiled into the program from db/ (src/embed.sh makes
 * src/builtin_data.c at build time): the shipped distrust policy and the
 * distrusted CAs' certificates it refers to, and the SQLite schema with
 * its upgrade steps; and (in src/builtin_trust.c, apart because it is
 * big and changes rarely) the named trust stores' history.  Every array
 * is NUL-terminated, as embed.sh ends them.
 */
#ifndef CHAINAUDIT_BUILTIN_H
#define CHAINAUDIT_BUILTIN_H

#include <stddef.h>

extern const unsigned char builtin_distrust_tsv[];	/* db/distrust.tsv */
extern const size_t builtin_distrust_tsv_len;
extern const unsigned char builtin_distrust_certs[];	/* db/distrust-certs.pem */
extern const size_t builtin_distrust_certs_len;
extern const unsigned char builtin_schema_sql[];	/* db/schema.sql */
extern const size_t builtin_schema_sql_len;
extern const unsigned char builtin_upgrade_2_sql[];	/* db/upgrade-2.sql */
extern const size_t builtin_upgrade_2_sql_len;
extern const unsigned char builtin_upgrade_3_sql[];	/* db/upgrade-3.sql */
extern const size_t builtin_upgrade_3_sql_len;
extern const unsigned char builtin_upgrade_4_sql[];	/* db/upgrade-4.sql */
extern const size_t builtin_upgrade_4_sql_len;
extern const unsigned char builtin_schema_pg_sql[];	/* db/schema-pg.sql */
extern const size_t builtin_schema_pg_sql_len;
extern const unsigned char builtin_upgrade_5_sql[];	/* db/upgrade-5.sql */
extern const size_t builtin_upgrade_5_sql_len;
extern const unsigned char builtin_upgrade_6_sql[];	/* db/upgrade-6.sql */
extern const size_t builtin_upgrade_6_sql_len;
extern const unsigned char builtin_upgrade_6_pg_sql[];	/* db/upgrade-6-pg.sql */
extern const size_t builtin_upgrade_6_pg_sql_len;
extern const unsigned char builtin_upgrade_7_sql[];	/* db/upgrade-7.sql */
extern const size_t builtin_upgrade_7_sql_len;

/*
 * The known-CA corpus image (corpus.h), from db/known-cas.pem.  Linked
 * into the program only (src/known_cas_data.c), not into the engine
 * library: tests hand the engine an image of their own.
 */
extern const unsigned char known_cas_image[];
extern const unsigned char known_cas_image_end[];
/* Its SHA-256 in lowercase hex, taken at build time. */
extern const char known_cas_image_sha256[];

/* The named trust stores' history (truststores.h), from db/. */
extern const unsigned char builtin_trust_roots[];	/* trust-roots.pem */
extern const size_t builtin_trust_roots_len;
extern const unsigned char builtin_trust_history[];	/* trust-history.tsv */
extern const size_t builtin_trust_history_len;
extern const unsigned char builtin_trust_snapshots[];	/* trust-snapshots */
extern const size_t builtin_trust_snapshots_len;

struct distrust_policy;
struct trust_store;
struct tstore_db;

/*
 * Load the shipped distrust policy into p and its authorities'
 * certificates into store as a known-issuer pool (never trusted).  Bad
 * lines (there should be none) go to err.  Returns 0, or -1 when anything
 * failed.
 */
int	builtin_load_distrust(struct distrust_policy *p,
	    struct trust_store *store, void (*err)(const char *, void *),
	    void *arg);

/*
 * The shipped trust store history, parsed.  A bad line or certificate
 * (there should be none) goes to warn and is left out.  Returns the db
 * (free it with tstore_db_free), or NULL when memory ran out.
 */
struct tstore_db *builtin_truststores(void (*warn)(const char *, void *),
	    void *arg);

#endif
