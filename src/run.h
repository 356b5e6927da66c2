/*
 * run.h: the run layer.  Every source makes targets (a file, standard
 * input, a handshake, a database row); every target goes through
 * run_target, the one way a chain is judged, to the sinks.
 *
 * Sources of files and of live hosts are here; database rows come from
 * scan.h, which calls run_target on its workers.
 */
#ifndef CHAINAUDIT_RUN_H
#define CHAINAUDIT_RUN_H

#include <stddef.h>

#include "engine.h"
#include "net.h"
#include "sinks.h"

/* Where a target came from. */
enum target_origin {
	TARGET_FILE = 0,	/* a file named on the command line */
	TARGET_STDIN,		/* "-" */
	TARGET_HANDSHAKE,	/* the chain a live server sent */
	TARGET_ROW,		/* a database row's stored chain */
};

/* What to judge: a chain, its name and origin; all borrowed. */
struct target {
	const char		*name;	/* as reports name it */
	enum target_origin	 origin;
	const struct der_list	*chain;	/* the certificates, as sent */
	const char		*host;	/* the name to check, NULL: the
					   engine's (--host) */
	int			 bundle; /* judge each certificate alone */
	const struct net_tls	*tls;	/* how a handshake went, or NULL */
	const char		*contact; /* a database row's, or NULL */
	/*
	 * A handshake asked for the server's OCSP response, and staple is
	 * what it stapled (NULL: nothing).
	 */
	int			 staple_asked;
	const unsigned char	*staple;
	size_t			 staple_len;
};

/*
 * pem_decode buf into out with e's run cache: a certificate block the
 * run has parsed before is not decoded again (certcache.h).  out borrows
 * from buf until it is judged.  0, or -1 on ENOMEM.
 */
int	run_decode(const struct engine *e, const unsigned char *buf,
	    size_t len, struct der_list *out);

/*
 * Judge t with e and hand every audit it gives (one, or one per bundle
 * entry) to sink, with the target's handshake facts and contact
 * attached.  Returns 0, or -1 on ENOMEM or when the sink stopped.
 */
int	run_target(const struct engine *e, const struct target *t,
	    audit_sink sink, void *arg);

/*
 * The files of the command line: each argument that is not a live
 * target, expanded (directories walked, "-" read from standard input),
 * judged in turn into s.  A file that cannot be read is an error target.
 */
void	run_files(const struct engine *e, char *const *args, size_t nargs,
	    int bundle, struct sinks *s);

/* The live targets of a run, as the options give them. */
struct run_hosts_opts {
	char *const	 *args;		/* the command line's arguments */
	size_t		  nargs;
	const char *const *lists;	/* --hosts files ("-": stdin) */
	size_t		  nlists;
	const char	 *sni;		/* --sni, or NULL */
	const char	 *connect;	/* --connect, or NULL */
	enum net_starttls starttls;
	struct net_params net;
	unsigned	  jobs;		/* audit threads; 0: one per core */
};

/*
 * The live targets: each argument that is one and each line of the host
 * lists, handshaken as net_run does on this thread, the chain each
 * server sent judged on o->jobs worker threads meanwhile, and reported
 * into s in input order (target, then key type).  A target that cannot
 * be parsed or reached is an error target.
 */
void	run_hosts(const struct engine *e, const struct run_hosts_opts *o,
	    struct sinks *s);

#endif
