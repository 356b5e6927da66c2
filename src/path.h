/*
 * path.h: path building over a target's pool.
 *
 * A node is an identity (subject DN, public key).  A certificate is a
 * signed edge from its issuer's node to its subject's node; a node may
 * have several (re-issues, cross-signs).  A link is one step of a path
 * (subject node -> issuer node) and every signature that could vouch for
 * it is a candidate.  A link uses its best verified candidate: one whose
 * certificate may sign certificates (when the subject is not the leaf)
 * first, then one valid at the evaluation time, then the strongest,
 * then one that was sent; the link's strength is that candidate's.
 * An issuer that may not sign certificates (not a CA) is still linked, so
 * that a report can say so.  Among complete paths the chosen one is
 * ranked by, in order: the fewest issuers that may not sign
 * certificates, the fewest certificates the distrust policy hits, the
 * fewest certificates outside their validity at the evaluation time, the
 * strongest weakest link, the fewest links, and the most certificates as
 * presented.
 */
#ifndef CHAINAUDIT_PATH_H
#define CHAINAUDIT_PATH_H

#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "budget.h"
#include "cert.h"
#include "origin.h"
#include "sig.h"
#include "trust.h"

enum cand_kind {
	CAND_PRIMARY = 0,	/* the certificate's own signature */
	CAND_ALTERNATIVE,	/* X.509 altSignatureValue (hybrid) */
};

struct candidate {
	const struct cert *cert;	/* borrowed: certificate for the subject */
	const struct cert *issuer;	/* borrowed: supplies the issuer key */
	enum origin	 origin;	/* where cert came from */
	enum cand_kind	 kind;
	enum sig_status	 status;
	struct strength	 strength;
	int		 valid_now;	/* cert is within its validity */
	int		 may_issue;	/* cert may sign certificates, or
					 * is the leaf's */
};

/*
 * Every array of a result (nodes, links, candidates, paths) lives in the
 * result's arena and goes with path_result_free: nothing in it is freed
 * alone.  A search makes a few dozen of them; one arena is one or two
 * allocations instead.
 */
struct link {
	size_t		  subject, issuer;	/* node indexes */
	struct candidate *cands;		/* in the result's arena */
	size_t		  ncands;
	int		  best;	/* index of the chosen candidate, -1: none */
};

struct node {
	const struct cert **certs;	/* arena array of borrowed certs */
	enum origin	   *origins;	/* arena, parallel to certs */
	size_t		    ncerts;
	const struct cert  *anchor;	/* borrowed; non-NULL: trusted node */
	int		    expanded;	/* issuers looked up */
	size_t		   *issuers;	/* arena: link indexes upward */
	size_t		    nissuers;
	size_t		    certcap, issuercap;	/* slots of the arrays */
};

struct path {
	size_t		*nodes;		/* arena: nodes[0] is the leaf's */
	size_t		*links;		/* arena: links[i] joins nodes[i], [i+1] */
	size_t		 len;		/* number of nodes */
	int		 complete;	/* ends at a trust anchor */
	struct strength	 weakest;	/* over links; anchor self-sig excluded */
	int		 all_valid;	/* every chosen cert valid at now */
	unsigned	 invalid;	/* chosen certs not valid at now */
	int		 presented;	/* chosen certificates that were sent */
	int		 broken_link;	/* partial: stops at a failed signature */
	int		 depth_cut;	/* partial: stopped by max_depth */
	unsigned	 distrusted;	/* certificates hit by the distrust policy */
	unsigned	 not_ca;	/* issuers that may not sign certs */
};

struct path_result;

struct path_params {
	time_t		 now;
	/*
	 * Optional: how many certificates of a complete path the distrust
	 * policy hits, so that a path avoiding a distrusted CA wins.
	 */
	unsigned	(*distrusted)(const struct path_result *,
			    const struct path *, void *);
	void		*distrusted_arg;
	unsigned	 max_depth;	/* nodes per path */
	unsigned	 max_paths;	/* complete or dead-end paths explored */
	unsigned	 max_sig_checks;
	size_t		 max_alternatives; /* complete paths kept for reports */
	/*
	 * The work a search may do (budget.h), in estimated nanoseconds:
	 * drawn from budget when it is set (borrowed: the audit's, shared
	 * by all its searches), else from a budget of max_work of its own.
	 */
	uint64_t	 max_work;
	struct budget	*budget;
};

struct path_input {
	const struct cert *leaf;		/* borrowed */
	const struct cert *const *presented;	/* borrowed, in sent order */
	size_t		   npresented;
	const struct cert *const *extra;	/* borrowed: same input, other certs */
	size_t		   nextra;
	/* borrowed: fetched from caIssuers URLs (ORIGIN_AIA), never trusted */
	const struct cert *const *fetched;
	size_t		   nfetched;
	const struct trust_store *store;	/* borrowed, may be NULL */
};

struct path_result {
	struct node	*nodes;		/* arena */
	size_t		 nnodes, nodecap;
	struct link	*links;		/* arena */
	size_t		 nlinks, linkcap;
	struct path	 chosen;	/* complete, or the best partial path */
	int		 have_chosen;
	struct path	*alternatives;	/* arena: other complete paths, ranked */
	size_t		 nalternatives, altcap;
	size_t		 complete_paths; /* complete paths found in all */
	size_t		 paths_explored;
	size_t		 sig_checks;
	int		 capped;	/* a work limit stopped the search */
	unsigned	 cut;		/* enum budget_cut: what was cut */
	uint64_t	 work;		/* estimated ns this search spent */
	struct arena	 mem;		/* owned: every array above */
};

/*
 * Defaults: depth 10, 2000 paths, 20000 signature checks, 8 kept, and
 * BUDGET_DEFAULT_NS of work.
 */
void	path_params_default(struct path_params *p, time_t now);

/*
 * Build every path from in->leaf up to a trust anchor, verify each
 * candidate signature (through cache, which may be NULL), and choose the
 * best.  Returns a new result (check have_chosen and chosen.complete) or
 * NULL on allocation failure.
 */
struct path_result *path_build(const struct path_input *in,
	    const struct path_params *params, struct sig_cache *cache);
void	path_result_free(struct path_result *r);

/* The signature algorithm's name of a candidate (primary or alternative). */
const char *candidate_sig_name(const struct candidate *c);

/* Where a certificate of r's graph came from: the most trusted source. */
enum origin path_cert_origin(const struct path_result *r, const struct cert *c);

/* The chosen candidate of link i of path p: borrowed. */
const struct candidate *path_chosen_candidate(const struct path_result *r,
	    const struct path *p, size_t i);

/* The certificate that stands for node i of path p (chosen or anchor). */
const struct cert *path_node_cert(const struct path_result *r,
	    const struct path *p, size_t i);

#endif
