/* POSIX AIO executor (mode posix). */
#include "aio_exec.h"

#include <stdio.h>

enum cf_run cf_execute_posix(const struct cf_program *prog, struct cf_history *h,
			     char *why, size_t whylen)
{
	(void)prog;
	(void)h;
	snprintf(why, whylen, "mode posix is not implemented yet");
	return CF_RUN_UNSUPPORTED;
}
