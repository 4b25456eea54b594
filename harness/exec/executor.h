/* Runs a program on the running kernel (io_uring, native AIO or POSIX AIO,
 * by the program's mode) and records its history. */
#ifndef CF_EXECUTOR_H
#define CF_EXECUTOR_H

#include "abi.h"
#include "history.h"
#include "program.h"

enum cf_run {
	CF_RUN_OK,          /* the program ran to its end */
	CF_RUN_UNSUPPORTED, /* io_uring or this setup mode is not available here */
	CF_RUN_HARNESS_ERROR,
};

/* why gets a one-line reason for anything but CF_RUN_OK. */
enum cf_run cf_execute(const struct cf_program *prog, struct cf_history *h,
		       char *why, size_t whylen);
/* A new io_uring ring for every execution (on) or the cached ring of the
 * mode and size (off). Default: off, or on when CF_FRESH_RING=1. */
void cf_execute_fresh_rings(int on);
/* Can a child made by fork(2) run prog the way a fresh process would?
 * Not a POSIX AIO program: the C library keeps its helper threads' state
 * across fork, and a child believes threads that stayed in the parent. */
int cf_execute_forkable(const struct cf_program *prog);
/* In a child made by fork(2), before its first execution: forget what the
 * parent kept for later executions (cached rings, the SQPOLL anchor, the
 * actor threads, clean AIO contexts), so that the child's executions start
 * as a fresh process's first one does. */
void cf_execute_forget_parent(void);

/* The IORING_REGISTER_SYNC_CANCEL argument for a cancel op: key, fd, flags,
 * the opcode of the request kind it names, and its odd fields (CF_ODD_*). */
void cf_sync_cancel_fill(struct cf_sync_cancel_reg *reg, uint64_t key, int fd, uint32_t flags,
			 unsigned opcode, unsigned odd);

#endif
