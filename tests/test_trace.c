/* Description: replay --trace's recorder: the kernel's own events for a
 * native AIO program (io_submit, io_cancel returning -EINPROGRESS) and an
 * io_uring one, decoded from the raw buffers; afterwards tracing is as it
 * was (no instance left, tracefs mounted only if it was). Skips (77)
 * without root or tracefs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "executor.h"
#include "text.h"
#include "trace.h"

static struct cf_history h;

static int tracefs_mounted(void)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("/proc/self/mounts", "r");

	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, " /sys/kernel/tracing tracefs ") != NULL;
	if (f)
		fclose(f);
	return found;
}

/* The trace text of one program, or NULL when tracing is unavailable. */
static char *trace_of(const char *text)
{
	struct cf_program p;
	struct cf_trace *t;
	char err[256], why[256], *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int n;

	CHECK_EQ(cf_text_parse(text, strlen(text), "t.cfp", &p, err, sizeof(err)), 0);
	t = cf_trace_start(why, sizeof(why));
	if (!t) {
		printf("skip: %s\n", why);
		return NULL;
	}
	CHECK_EQ(cf_execute(&p, &h, err, sizeof(err)), CF_RUN_OK);
	mem = open_memstream(&buf, &len);
	n = cf_trace_finish(t, mem, why, sizeof(why));
	fclose(mem);
	CHECK(n > 0);
	return buf;
}

int main(void)
{
	int mounted_before = tracefs_mounted();
	char inst[128];
	struct stat st;
	char *aio, *uring;

	aio = trace_of("cancelfuzz program 2\nring mode=aio entries=8\n"
		       "io_submit poll slot=pipe0.r ud=1 flags=0\nio_cancel iocb ud=1 flags=0\n");
	if (!aio)
		return 77;
	CHECK(strstr(aio, "syscalls:sys_enter_io_submit") != NULL);
	CHECK(strstr(aio, "syscalls:sys_exit_io_cancel __syscall_nr=") != NULL);
	CHECK(strstr(aio, " ret=-115\n") != NULL); /* io_cancel: -EINPROGRESS */
	uring = trace_of("cancelfuzz program 1\nring mode=default entries=8\n"
			 "queue read slot=pipe0.r ud=1 flags=0\nwait submit n=0\n"
			 "cancel sqe64 flags=0 ud=1 slot=pipe0.r op=nop odd=0\nwait submit n=0\n");
	CHECK(uring && strstr(uring, "io_uring:io_uring_submit_req") != NULL);
	CHECK(uring && strstr(uring, "op_str=ASYNC_CANCEL") != NULL);
	CHECK(uring && strstr(uring, "res=-125") != NULL);
	/* Tracing is left as it was found. */
	CHECK_EQ(tracefs_mounted(), mounted_before);
	snprintf(inst, sizeof(inst), "/sys/kernel/tracing/instances/cancelfuzz-%ld", (long)getpid());
	CHECK(stat(inst, &st) != 0);
	if (cf_failures) {
		fprintf(stderr, "--- aio trace\n%s--- io_uring trace\n%s", aio, uring ? uring : "");
	}
	free(aio);
	free(uring);
	TEST_EXIT();
}
