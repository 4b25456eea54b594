/* The kernel's own view of a run (replay --trace): the syscalls enter/exit
 * events of the native AIO calls and the io_uring:* tracepoints of this
 * process and its threads (plus the reads, writes, syncs and signals of the
 * C library's POSIX AIO helper threads), read raw from a private tracefs
 * instance and decoded through the events' format files. */
#ifndef CF_TRACE_H
#define CF_TRACE_H

#include <stddef.h>
#include <stdio.h>

#define CF_TRACE_MAX_RECORDS 20000 /* events kept per run; more are counted, not kept */

struct cf_trace;

/* Start recording. NULL, with a reason in why, when tracefs cannot be used
 * here (not root, not mountable, no instances); nothing is changed then. */
struct cf_trace *cf_trace_start(char *why, size_t whylen);
/* Stop, write the events as text lines to out (if not NULL), and undo every
 * change made to tracing (the instance is removed, tracefs unmounted if we
 * mounted it). Returns the number of events, or -1 with why filled. */
int cf_trace_finish(struct cf_trace *t, FILE *out, char *why, size_t whylen);

#endif
