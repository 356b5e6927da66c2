/*
 * engine.h: the run's engine, built once from the options before any
 * target is judged: the trust store (system, named stores as of the
 * evaluation time, --ca-file, --intermediates), the known-CA corpus, the
 * distrust policy, the --crl CRLs, the run-wide caches, the caIssuers
 * and OCSP fetcher, and the
 * narrow parameters judging reads (struct judge_params).  Read-only once
 * built, so every worker shares it.
 *
 * Ownership: the engine owns everything it built and frees it in
 * engine_close; audits borrow from it and must be freed first.
 */
#ifndef CHAINAUDIT_ENGINE_H
#define CHAINAUDIT_ENGINE_H

#include <stddef.h>
#include <time.h>

#include "judge.h"
#include "truststores.h"

/* What the engine is built from: main resolves it from the options. */
struct engine_opts {
	time_t		  now;		/* the evaluation time */
	time_t		  real_now;	/* the clock, read once by main */
	int		  at_set;	/* --at was given */
	time_t		  sha1_sunset;
	int		  sha1_never;
	unsigned	  warn_days;
	enum profile	  profile;	/* --profile */
	int		  strict_anchors;	/* --strict-anchors */
	int		  max_depth_set;	/* --max-depth */
	unsigned	  max_depth;
	const char	 *host;		/* --host, or NULL */
	/* borrowed arrays of borrowed strings */
	const char *const *ca_files;
	size_t		  nca_files;
	const char *const *intermediates;
	size_t		  nintermediates;
	const char *const *distrust_files;
	size_t		  ndistrust_files;
	const char *const *trust_stores;
	size_t		  ntrust_stores;
	int		  no_system_ca;
	int		  no_known_intermediates;
	/* borrowed: the known-CA corpus image (corpus.h), NULL: none */
	const unsigned char *corpus_image;
	size_t		  corpus_len;
	int		  no_builtin_distrust;
	unsigned	  distrust_vendors;
	int		  fetch_aia;
	const char	 *aia_cache;	/* --aia-cache, or NULL */
	unsigned	  timeout_ms;	/* per caIssuers fetch */
	/* borrowed array of borrowed strings: --crl files */
	const char *const *crl_files;
	size_t		  ncrl_files;
	int		  ocsp;		/* --ocsp: ask the leaf's responder */
};

#define STORE_NOTE_LEN	128

/*
 * The run's named trust stores (--trust-store, or the default for an old
 * --at), resolved once: what params.stores and the reports point into.
 */
struct named {
	struct tstore_db	*db;		/* owned; NULL when none */
	struct tstore_version	 v[TSTORE_COUNT];
	char			 notes[TSTORE_COUNT][STORE_NOTE_LEN];
	struct audit_store	 stores[TSTORE_COUNT];
	/* owned: the anchors of stores 1.. (store 0 is the run's store) */
	struct trust_store	*own[TSTORE_COUNT];
	size_t			 n;
	const char		*default_note;	/* static, or NULL */
};

struct engine {
	struct judge_params	 params;	/* points into the below */
	struct trust_store	*store;		/* owned */
	struct sig_cache	*sigs;		/* owned */
	struct cert_cache	*certs;		/* owned */
	struct corpus		*corpus;	/* owned, NULL: none */
	struct distrust_policy	*distrust;	/* owned */
	struct aia_fetcher	*aia;		/* owned, NULL: no fetching */
	struct suffix_list	*suffixes;	/* owned, NULL: built-in */
	struct crl_set		*crls;		/* owned, NULL: no --crl */
	struct named		 named;
	/* A user's trust file had certificates that did not parse. */
	int			 bad_input;
};

/*
 * Build e from o, reporting every problem on standard error before
 * failing.  Starts libcurl when fetching is asked for, so it must run
 * before any thread.  0, or -1 (e is then closed).
 */
int	engine_open(struct engine *e, const struct engine_opts *o);
void	engine_close(struct engine *e);

/*
 * --list-distrust and --list-trust-stores: what engine_open would load,
 * written to standard output as format.  0, or -1 after a diagnostic.
 */
int	engine_list_distrust(const struct engine_opts *o, const char *format);
int	engine_list_trust_stores(const struct engine_opts *o,
	    const char *format);

#endif
