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

/* What a cold run's child does with its outcome (cf_run_cold): code is
 * cf_run_program's exit code, why its reason when run is not CF_RUN_OK.
 * The return value (0..255) becomes the child's exit status. */
typedef int (*cf_cold_fn)(int code, enum cf_run run, const struct cf_history *h,
			  const struct cf_judgement *j, const char *why, void *arg);

/* A cold run (race tries, docs/cli.md "--tries"): prog runs once in a
 * child made by fork(2) that starts without what this process keeps
 * between executions (cf_execute_forget_parent): its own ring, actor
 * threads, io-wq and task context, as in a fresh process. The child hands
 * its outcome to fn and exits with fn's value, which this returns; -errno
 * if no child could be made, or -EINTR if it died by a signal. Output the
 * child writes to stdio is flushed before it exits (and this process's
 * before the fork). A POSIX AIO program (cf_execute_forkable) runs in
 * this process instead, as a warm run. */
int cf_run_cold(const struct cf_program *prog, enum cf_spec spec, cf_cold_fn fn, void *arg);

#endif
