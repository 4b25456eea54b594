/* Which programs the kernel runs the same way every time. */
#ifndef CF_RACY_H
#define CF_RACY_H

#include <stddef.h>

#include "program.h"

/* Files whose reads and writes a kernel hands to io-wq because they lack
 * FMODE_NOWAIT (probed, harness/exec/probe.c). On 6.18 none of these; on
 * Debian's 6.1 pipes, so a read of an empty pipe blocks in a worker instead
 * of arming a poll, and its cancel races that worker. */
#define CF_IOWQ_PIPE    0x01
#define CF_IOWQ_EVENTFD 0x02

/* 1 if the outcome may depend on timing: a race group, an SQPOLL thread, io-wq workers
 * (IOSQE_ASYNC, regular-file reads, link chains left open at a submit,
 * IOSQE_IO_DRAIN, reads and writes of the files in iowq_files) or a timer
 * that can fire mid-run. why gets the first reason. */
int cf_program_racy_on(const struct cf_program *prog, unsigned iowq_files, char *why, size_t whylen);
/* The same without the program's own races (its race groups): only what
 * the kernel does on its own time. The oracle judges race groups by
 * trying the orders they allow (oracles/race.c) instead. */
int cf_program_kernel_racy_on(const struct cf_program *prog, unsigned iowq_files, char *why, size_t whylen);
/* The same for a kernel whose pipes and eventfds are NOWAIT (6.18). */
int cf_program_racy(const struct cf_program *prog, char *why, size_t whylen);
/* 1 if a request of this kind on this slot runs in io-wq on such a kernel. */
int cf_req_runs_in_iowq(unsigned req, unsigned slot, unsigned sqe_flags, unsigned iowq_files);

#endif
