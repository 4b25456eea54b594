/* The one pipeline every front end calls (the CLI, the fuzz target, triage):
 * program -> execution -> injected fault (if any) -> judgement -> exit code. */
#ifndef CF_RUN_H
#define CF_RUN_H

#include <stddef.h>

#include "executor.h"
#include "faults.h"
#include "oracle.h"

/* Exit codes of every cancelfuzz tool, clear of 124-128+n (timeout(1), signals). */
enum cf_exit {
	CF_EXIT_PASS = 0,
	CF_EXIT_VIOLATION = 1, /* an invariant was violated: a finding */
	CF_EXIT_BAD_INPUT = 2,
	CF_EXIT_HARNESS = 3,   /* the harness, not the kernel, failed */
	CF_EXIT_UNSUPPORTED = 77,
};

/* The more severe of two exit codes: violation, harness error, bad input,
 * unsupported, pass. */
int cf_exit_worse(int a, int b);

/* Runs prog and applies the active fault (cf_fault_active) to what was
 * recorded: h is then the history the judge is meant to see. */
enum cf_run cf_run_record(const struct cf_program *prog, struct cf_history *h,
			  char *why, size_t whylen);
/* Judges h at spec into j; returns CF_EXIT_PASS or CF_EXIT_VIOLATION. */
int cf_run_judge(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j);
/* cf_run_record then, when the program ran, cf_run_judge (j is zeroed
 * otherwise). Returns the exit code the outcome calls for. */
int cf_run_program(const struct cf_program *prog, enum cf_spec spec, struct cf_history *h,
		   struct cf_judgement *j, enum cf_run *run, char *why, size_t whylen);

#endif
