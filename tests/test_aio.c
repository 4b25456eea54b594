/* Description: the native AIO family (mode aio): exact text, text errors,
 * byte-identical histories run after run, and no fd, memory or context
 * left behind over many executions. Skips (77) where io_setup is refused. */
#include <dirent.h>
#include <errno.h>
#include <linux/aio_abi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "aio_model.h"
#include "check.h"
#include "same_runs.h"
#include "executor.h"
#include "history.h"
#include "oracle.h"
#include "rng.h"
#include "text.h"

#define RUNS 20

static struct cf_history h;

static char *print_text(const struct cf_program *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	CHECK_EQ(cf_text_print(p, mem), 0);
	fclose(mem);
	return buf;
}

static void test_text_exact(void)
{
	static const char text[] =
		"cancelfuzz program 2\n"
		"ring mode=aio entries=16\n"
		"io_submit poll slot=pipe0.r ud=0xffffffffffffffff flags=resfd|badrw\n"
		"io_cancel copy ud=3 flags=nullresult|badctx\n"
		"complete shutdown slot=sock0.b len=9\n"
		"io_getevents small n=7\n"
		"close slot=badfd\n"
		"io_destroy\n"
		"io_setup\n"
		"end\n";
	struct cf_program p;
	uint8_t bytes[CF_MAX_ENCODED];
	char err[256], *again;
	size_t n;

	CHECK_EQ(cf_text_parse(text, strlen(text), "a.cfp", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.mode, CF_MODE_AIO);
	CHECK_EQ(p.nops, 8);
	CHECK_EQ(p.ops[5].a[CF_X_SLOT], CF_AIO_CLOSE_DESTROY);
	CHECK_EQ(p.ops[6].a[CF_X_SLOT], CF_AIO_CLOSE_SETUP);
	again = print_text(&p);
	CHECK_STR(again, text);
	free(again);
	/* Bytes: mode 5, actors byte 0; unused cancel bytes 3..5 are 0 and stay 0. */
	n = cf_encode(&p, bytes, sizeof(bytes));
	CHECK_EQ(bytes[0], CF_MODE_AIO);
	CHECK_EQ(bytes[2], 0);
	CHECK(n > 3 + 5 + 7);
	CHECK_EQ(bytes[3 + 5 + 1 + 3], 0);
	/* Junk in bytes the family ignores decodes away. */
	{
		const uint8_t junk[] = { 12, 1, 0x3f, 0x04, 0x13, 0xff, 0xff, 0xff, 0xff, 0xff };
		cf_decode(junk, sizeof(junk), &p);
		CHECK_EQ(p.mode, CF_MODE_AIO);
		CHECK_EQ(p.ops[0].kind, CF_OP_CANCEL);
		CHECK_EQ(p.ops[0].a[CF_C_API], 0x13 % CF_AIOT__COUNT);
		CHECK_EQ(p.ops[0].a[CF_C_FLAGS], CF_AIOC__MASK);
		CHECK_EQ(p.ops[0].a[CF_C_SLOT], 0);
		CHECK_EQ(p.ops[0].a[CF_C_ODD], 0);
		again = print_text(&p);
		CHECK_STR(again, "cancelfuzz program 2\nring mode=aio entries=8\n"
			  "io_cancel copy ud=0xffffffffffffffff flags=nullresult|badresult|badctx\n");
		free(again);
	}
}

static void check_error(const char *text, const char *expected)
{
	struct cf_program p;
	char err[512];

	CHECK_EQ(cf_text_parse(text, strlen(text), "t.cfp", &p, err, sizeof(err)), -1);
	CHECK_STR(err, expected);
}

static void test_text_errors(void)
{
	check_error("cancelfuzz program 1\nring mode=aio\n",
		    "t.cfp:2: mode aio needs 'cancelfuzz program 2'");
	check_error("cancelfuzz program 2\nring mode=aio\nqueue read slot=pipe0.r\n",
		    "t.cfp:3: unknown statement 'queue' (mode aio has io_submit, io_cancel, complete, "
		    "io_getevents, wait go, close, io_destroy, io_setup, end)");
	check_error("cancelfuzz program 2\nring mode=aio\nio_destroy now\n",
		    "t.cfp:3: unexpected 'now' after io_destroy");
	check_error("cancelfuzz program 2\nring mode=aio\nclose slot=ctx\n",
		    "t.cfp:3: unknown slot 'ctx'");
	check_error("cancelfuzz program 2\nring mode=aio\nio_submit futex_wait\n",
		    "t.cfp:3: unknown aio command 'futex_wait'");
	check_error("cancelfuzz program 2\nring mode=aio\nio_cancel iocb flags=all\n",
		    "t.cfp:3: unknown io_cancel flag 'all'");
	check_error("cancelfuzz program 2\nring mode=aio\ncomplete futex_wake\n",
		    "t.cfp:3: unknown completion 'futex_wake'");
	check_error("cancelfuzz program 2\nio_submit poll\n",
		    "t.cfp:2: unknown statement 'io_submit'");
}

/* 150 random aio programs, each run RUNS times: byte-identical histories. */
static void test_determinism(void)
{
	uint64_t rng = 0x5eed0a10a10ull;
	unsigned differ = 0;

	for (int i = 0; i < 150 && differ < 3; i++) {
		struct cf_program p;
		char name[32];

		random_program_in_mode(&rng, CF_MODE_AIO, 100, &p);
		/* Race groups are racy by design; ops on a1..a3 outside groups
		 * run one at a time and must be deterministic too. */
		for (unsigned k = 0; k < p.nops; k++)
			p.ops[k].group = p.ops[k].at = 0;
		snprintf(name, sizeof(name), "aio program %d", i);
		differ += !same_every_run(&p, RUNS, name);
	}
	CHECK_EQ(differ, 0);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* AIO rings mapped in this process: one per live context. (The system-wide
 * /proc/sys/fs/aio-nr moves with other tests running in parallel.) */
static long aio_rings(void)
{
	char line[512];
	long n = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, "[aio]") != NULL;
	if (f)
		fclose(f);
	return n;
}

/* Many executions: fds and the process's AIO contexts stay flat,
 * every context is left clean, the oracle never sees a new finding. */
static void test_leaks(void)
{
	uint64_t rng = 0x1eafa10ull;
	int fds = -1;
	long nr = -1;
	unsigned unclean = 0, findings = 0;

	for (int i = 0; i < 3000; i++) {
		struct cf_program p;
		struct cf_judgement j;
		char why[256];

		random_program_in_mode(&rng, CF_MODE_AIO, 100, &p);
		CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
		unclean += !h.ring_reset;
		for (int level = 0; level < 2; level++) {
			cf_oracle_check(&h, level ? CF_SPEC_KERNEL : CF_SPEC_DOC, &j);
			if (j.verdict == CF_VERDICT_VIOLATION && findings++ < 3) {
				cf_history_write(&h, stderr);
				cf_judgement_print(&j, "random aio program", stderr);
			}
		}
		if (i == 300) {
			fds = count_fds();
			nr = aio_rings();
		}
	}
	printf("3000 aio executions: fds %d -> %d, AIO contexts %ld -> %ld, %u unclean, %u findings\n",
	       fds, count_fds(), nr, aio_rings(), unclean, findings);
	CHECK_EQ(count_fds(), fds);
	CHECK(nr >= 1 && nr <= 4); /* at most one kept per size */
	CHECK(aio_rings() <= 4);
	CHECK_EQ(unclean, 0);
	CHECK_EQ(findings, 0);
}

int main(void)
{
	aio_context_t ctx = 0;

	test_text_exact();
	test_text_errors();
	if (syscall(SYS_io_setup, 8L, &ctx) < 0) {
		printf("skip: io_setup: %s\n", strerror(errno));
		TEST_EXIT();
	}
	syscall(SYS_io_destroy, ctx);
	test_determinism();
	test_leaks();
	TEST_EXIT();
}
