/* Fault injection between the kernel and the history: on request, one
 * recorded event is rewritten so that exactly one documented promise is
 * broken, to prove the oracle and the engines catch it. The kernel runs for
 * real and the executor's own accounting sees the real CQEs; only the history
 * the oracle reads is changed. Off unless selected (--fault NAME, CF_FAULT). */
#ifndef CF_FAULTS_H
#define CF_FAULTS_H

#include <stdio.h>

#include "history.h"
#include "verdict.h"

enum cf_fault {
	CF_FAULT_NONE,
#define X(id, name, inv, what) id,
#include "faults.def"
#undef X
	CF_FAULT__COUNT
};

#define CF_FAULT_ENV "CF_FAULT"

const char *cf_fault_name(unsigned fault);
/* The invariant (enum cf_invariant) that must report the fault. */
unsigned cf_fault_invariant(unsigned fault);
const char *cf_fault_what(unsigned fault);
/* CF_FAULT_NONE for "" or "none", -1 for an unknown name. */
int cf_fault_lookup(const char *name);

/* Select for this process (the CLI's --fault); wins over CF_FAULT. -1 for
 * an unknown name: nothing is selected, and the caller says so
 * (cf_fault_print_unknown). */
int cf_fault_select(const char *name);
/* The fault in effect: the one selected, else CF_FAULT read once from the
 * environment. -1 when CF_FAULT names no fault: a front end checks this
 * before it runs anything, prints cf_fault_print_unknown(stderr, NULL) and
 * exits 2. */
int cf_fault_active(void);
/* "unknown fault 'NAME'; valid faults: ..." on out; NAME NULL: the value
 * of CF_FAULT, and the line starts "CF_FAULT: ". */
void cf_fault_print_unknown(FILE *out, const char *name);
/* "name  invariant  what" for every fault. */
void cf_fault_list(FILE *out);

/* Rewrite h as if the kernel had the fault (rewrite.c); records it in h->fault and
 * h->fault_act (-1: no opportunity in this execution). No-op for NONE. */
void cf_fault_apply(unsigned fault, struct cf_history *h);
/* Does the fault rewrite histories of this family (io_uring: all but
 * aio-cancel-twice-wins; mode aio: that one only)? */
int cf_fault_family(unsigned fault, enum cf_family fam);
/* Does j hold a new (unregistered) finding on the fault's invariant? */
int cf_fault_caught(unsigned fault, const struct cf_judgement *j);

#endif
