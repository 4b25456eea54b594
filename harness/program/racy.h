/* Which programs the kernel runs the same way every time. */
#ifndef CF_RACY_H
#define CF_RACY_H

#include <stddef.h>

#include "program.h"

/* 1 if the outcome may depend on timing: an SQPOLL thread, io-wq workers
 * (IOSQE_ASYNC, regular-file reads, link chains left open at a submit,
 * IOSQE_IO_DRAIN) or a timer that can fire mid-run.
 * why gets the first reason. */
int cf_program_racy(const struct cf_program *prog, char *why, size_t whylen);

#endif
