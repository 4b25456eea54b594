/* Litmus runs of a program with race groups (`cancelfuzz race`): run it N
 * times, sweeping each grouped op's offset over its window, and count the
 * outcome classes seen, each judged allowed or forbidden by the oracle; run
 * it once per sequential order of each group (no race: the ops one after
 * another on their actors) to learn outcomes that are certainly allowed,
 * and report those never observed (window coverage). docs/cli.md, "race". */
#ifndef CF_LITMUS_H
#define CF_LITMUS_H

#include <stdio.h>

#include "history.h"
#include "program.h"
#include "verdict.h"

#define CF_LITMUS_CLASSES 64 /* distinct outcome classes kept; more are counted as "other" */
#define CF_LITMUS_KEY 256
#define CF_LITMUS_ORDERS 24  /* sequential orders tried (4 actors in one group: 4!) */

struct cf_litmus_class {
	char key[CF_LITMUS_KEY]; /* results of the grouped ops, then every CQE (ud:res), sorted */
	unsigned count;          /* racing runs that showed it */
	unsigned sequential;     /* sequential orders that showed it (certainly allowed) */
	int verdict;             /* enum cf_verdict of the first run that showed it */
	char order[48];          /* the first sequential order that showed it, "" none */
	uint8_t offsets[CF_ACTORS]; /* offsets of the first racing run that showed it */
	char known[48];          /* the registered divergences it showed, "D04 D15" */
	char finding[448];       /* forbidden: the first finding, in words */
};

struct cf_litmus {
	unsigned runs, errors, other;
	unsigned norders;        /* sequential orders run */
	int sweep;               /* offsets swept (else fixed as written: the anchor) */
	unsigned nclasses;
	struct cf_litmus_class c[CF_LITMUS_CLASSES];
};

/* The program as run number r of n: each grouped op's offset swept. */
void cf_litmus_offsets(struct cf_program *prog, unsigned r, unsigned n);
/* The outcome class of a history of prog (key of CF_LITMUS_KEY bytes). */
void cf_litmus_key(const struct cf_history *h, char *key, size_t len);
/* Runs prog: `runs` racing runs (swept when sweep), then the sequential
 * orders. CF_RUN_* of the first run that could not run (then l is partial). */
int cf_litmus_run(const struct cf_program *prog, unsigned runs, int sweep, enum cf_spec spec,
		  struct cf_litmus *l, char *why, size_t whylen);
/* The histogram: text (litmus-style table) or JSON. */
void cf_litmus_print(const struct cf_litmus *l, const char *name, int json, FILE *out);
/* Classes judged forbidden that were observed. */
unsigned cf_litmus_forbidden(const struct cf_litmus *l);
/* Allowed classes (a sequential order showed them) never observed racing. */
unsigned cf_litmus_unseen(const struct cf_litmus *l);

#endif
