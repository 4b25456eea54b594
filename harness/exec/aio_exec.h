/* Executors of the AIO families, called by cf_execute for modes aio and posix. */
#ifndef CF_AIO_EXEC_H
#define CF_AIO_EXEC_H

#include "executor.h"

/* Linux native AIO through the raw syscalls (harness/exec/aio_exec.c). */
enum cf_run cf_execute_aio(const struct cf_program *prog, struct cf_history *h,
			   char *why, size_t whylen);
/* POSIX AIO of the C library (harness/exec/posix_exec.c). */
enum cf_run cf_execute_posix(const struct cf_program *prog, struct cf_history *h,
			     char *why, size_t whylen);

#endif
