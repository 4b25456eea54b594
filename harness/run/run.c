/* The pipeline: execute, inject the selected fault, judge, rank exit codes. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int severity(int code)
{
	switch (code) {
	case CF_EXIT_VIOLATION: return 4;
	case CF_EXIT_HARNESS: return 3;
	case CF_EXIT_BAD_INPUT: return 2;
	case CF_EXIT_UNSUPPORTED: return 1;
	default: return 0;
	}
}

int cf_exit_worse(int a, int b)
{
	return severity(a) >= severity(b) ? a : b;
}

enum cf_run cf_run_record(const struct cf_program *prog, struct cf_history *h,
			  char *why, size_t whylen)
{
	int fault = cf_fault_active();
	enum cf_run run;

	if (fault < 0) { /* the front end did not check CF_FAULT (cf_fault_active) */
		snprintf(why, whylen, "%s names no fault", CF_FAULT_ENV);
		return CF_RUN_HARNESS_ERROR;
	}
	run = cf_execute(prog, h, why, whylen);
	/* Faults rewrite io_uring histories (one, mode aio's); after the
	 * executor's accounting, so only the record changes. */
	if (run == CF_RUN_OK && cf_fault_family((unsigned)fault, cf_mode_family(prog->mode)))
		cf_fault_apply((unsigned)fault, h);
	return run;
}

int cf_run_judge(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	cf_oracle_check(h, spec, j);
	return j->verdict == CF_VERDICT_VIOLATION ? CF_EXIT_VIOLATION : CF_EXIT_PASS;
}

int cf_run_program(const struct cf_program *prog, enum cf_spec spec, struct cf_history *h,
		   struct cf_judgement *j, enum cf_run *run, char *why, size_t whylen)
{
	memset(j, 0, sizeof(*j));
	*run = cf_run_record(prog, h, why, whylen);
	switch (*run) {
	case CF_RUN_OK: return cf_run_judge(h, spec, j);
	case CF_RUN_UNSUPPORTED: return CF_EXIT_UNSUPPORTED;
	default: return CF_EXIT_HARNESS;
	}
}

int cf_run_cold(const struct cf_program *prog, enum cf_spec spec, cf_cold_fn fn, void *arg)
{
	static struct cf_history h; /* the child's copy is the one written */
	static struct cf_judgement j;
	char why[512] = "";
	enum cf_run run;
	int code, status;
	pid_t pid;

	if (!cf_execute_forkable(prog)) {
		code = cf_run_program(prog, spec, &h, &j, &run, why, sizeof(why));
		return fn(code, run, &h, &j, why, arg) & 0xff;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		cf_execute_forget_parent();
		code = cf_run_program(prog, spec, &h, &j, &run, why, sizeof(why));
		code = fn(code, run, &h, &j, why, arg);
		fflush(NULL);
		_exit(code & 0xff); /* no atexit handlers: they are the parent's */
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
}
