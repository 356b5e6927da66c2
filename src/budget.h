/*
 * budget.h: the work one audit may do, in estimated nanoseconds of CPU.
 * Every step whose cost an input controls draws on it before it runs:
 * a signature check at the price of its key (sig_verify_cost), a
 * name-constraint check at the price of its names times its subtrees,
 * each certificate a path search considers.  A step the budget cannot
 * pay for is not done, and what was cut is recorded so that the report
 * can say so: a cut audit never claims what it did not check.
 *
 * Prices are estimates, not measurements: the same input gets the same
 * verdict on any machine, at any load, whatever a cache holds.
 */
#ifndef CHAINAUDIT_BUDGET_H
#define CHAINAUDIT_BUDGET_H

#include <stddef.h>
#include <stdint.h>

/* What a cut stopped (bits of struct budget's cut). */
enum budget_cut {
	BUDGET_CUT_SIGNATURES = 1 << 0,	/* signature checks */
	BUDGET_CUT_NAMES = 1 << 1,	/* name-constraint checks */
	BUDGET_CUT_CERTS = 1 << 2,	/* certificates considered */
	BUDGET_CUT_PATHS = 1 << 3,	/* paths explored (a count bound) */
	BUDGET_CUT_SIG_COUNT = 1 << 4,	/* signature checks (a count bound) */
};

/* Default work per audit: about 0.2 s of CPU on a 2020s server core. */
#define BUDGET_DEFAULT_NS	200000000ULL

/* Estimated cost of one name compared with one subtree. */
#define BUDGET_NAME_PAIR_NS	40
/* Estimated cost of considering one certificate as a candidate issuer. */
#define BUDGET_CERT_NS		200

struct budget {
	uint64_t	left;	/* estimated nanoseconds left */
	uint64_t	spent;
	unsigned	cut;	/* enum budget_cut bits of work refused */
};

void	budget_init(struct budget *b, uint64_t ns);

/*
 * Pay ns for a step of kind what (an enum budget_cut bit): 1 when paid,
 * so the step may run; 0 when the budget cannot pay, recording what in
 * b->cut.  A NULL budget pays for everything.
 */
int	budget_spend(struct budget *b, uint64_t ns, unsigned what);

/*
 * What the cut bits name, as text for a report ("signature checks,
 * name-constraint checks"), into buf; returns buf.
 */
const char *budget_cut_text(unsigned cut, char *buf, size_t len);

#endif
