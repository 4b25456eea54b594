/* Description: the POSIX AIO family (mode posix): exact text, text errors,
 * byte-identical histories run after run, and no fd, thread or memory left
 * behind over many executions (the C library's idle helper threads exit
 * within about a second; the test waits for that). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actors.h"
#include "aio_model.h"
#include "check.h"
#include "same_runs.h"
#include "executor.h"
#include "history.h"
#include "oracle.h"
#include "resources.h"
#include "rng.h"
#include "text.h"

#define RUNS 20

static struct cf_history h;

static void test_text(void)
{
	static const char text[] =
		"cancelfuzz program 2\n"
		"ring mode=posix entries=8\n"
		"aio_read slot=pipe0.r cb=0 notify=signal\n"
		"aio_write slot=sock0.b cb=7 notify=thread\n"
		"aio_fsync op=dsync slot=file cb=2 notify=none\n"
		"aio_fsync op=badop slot=file cb=3 notify=none\n"
		"aio_cancel null cb=0 slot=pipe0.r\n"
		"complete write slot=pipe0.w len=0\n"
		"aio_error cb=1\n"
		"aio_return cb=1\n"
		"aio_suspend how=short cb=4\n"
		"close slot=pipe0.w\n"
		"end\n";
	struct cf_program p;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *mem;

	CHECK_EQ(cf_text_parse(text, strlen(text), "p.cfp", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.mode, CF_MODE_POSIX);
	CHECK_EQ(p.ops[2].a[CF_Q_REQ], CF_PX_FDATASYNC);
	CHECK_EQ(p.ops[3].a[CF_Q_REQ], CF_PX_FSYNC_BADOP);
	CHECK_EQ(p.ops[8].a[CF_W_HOW], CF_PXW_SUSPEND_SHORT);
	mem = open_memstream(&buf, &len);
	CHECK_EQ(cf_text_print(&p, mem), 0);
	fclose(mem);
	CHECK_STR(buf, text);
	free(buf);
	/* aio_fsync without op= is O_SYNC */
	CHECK_EQ(cf_text_parse("cancelfuzz program 2\nring mode=posix\naio_fsync slot=file\n", 57,
			       "p.cfp", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.ops[0].a[CF_Q_REQ], CF_PX_FSYNC);
	CHECK_EQ(cf_text_parse("cancelfuzz program 2\nring mode=posix\naio_cancel cb cb=8\n", 56,
			       "p.cfp", &p, err, sizeof(err)), -1);
	CHECK_STR(err, "p.cfp:3: cb 8 out of range 0..7");
	CHECK_EQ(cf_text_parse("cancelfuzz program 2\nring mode=posix\naio_read op=sync\n", 54,
			       "p.cfp", &p, err, sizeof(err)), -1);
	CHECK_STR(err, "p.cfp:3: unknown key 'op' for aio_read");
}

static void test_determinism(void)
{
	uint64_t rng = 0x5eedb0517ull;
	unsigned differ = 0;

	for (int i = 0; i < 100 && differ < 3; i++) {
		struct cf_program p;
		char name[32];

		random_program_in_mode(&rng, CF_MODE_POSIX, 90, &p);
		/* Race groups are racy by design; ops on a1..a3 outside groups
		 * run one at a time and must be deterministic too. */
		for (unsigned k = 0; k < p.nops; k++)
			p.ops[k].group = p.ops[k].at = 0;
		snprintf(name, sizeof(name), "posix program %d", i);
		differ += !same_every_run(&p, RUNS, name);
	}
	CHECK_EQ(differ, 0);
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static int threads_at_start;

static void test_leaks(void)
{
	uint64_t rng = 0x1eafb0517ull;
	int fds = -1, threads_before = threads_at_start, max_threads = 0;
	unsigned unclean = 0, findings = 0, errors = 0;

	for (int i = 0; i < 2000; i++) {
		struct cf_program p;
		struct cf_judgement j;
		char why[256];

		random_program_in_mode(&rng, CF_MODE_POSIX, 90, &p);
		if (cf_execute(&p, &h, why, sizeof(why)) != CF_RUN_OK) {
			if (errors++ < 3)
				fprintf(stderr, "execution %d: %s\n", i, why);
			continue;
		}
		unclean += !h.ring_reset;
		for (int level = 0; level < 2; level++) {
			cf_oracle_check(&h, level ? CF_SPEC_KERNEL : CF_SPEC_DOC, &j);
			if (j.verdict == CF_VERDICT_VIOLATION && findings++ < 3) {
				cf_history_write(&h, stderr);
				cf_judgement_print(&j, "random posix program", stderr);
			}
		}
		if (i == 200)
			fds = count_dir("/proc/self/fd");
		if (count_dir("/proc/self/task") > max_threads)
			max_threads = count_dir("/proc/self/task");
	}
	/* Idle helper threads exit after aio_idle_time (1 s). */
	for (int k = 0; k < 50 && count_dir("/proc/self/task") > threads_before; k++)
		usleep(100000);
	printf("2000 posix executions: fds %d -> %d, threads %d -> at most %d -> %d, "
	       "%u unclean, %u findings, %u errors\n", fds, count_dir("/proc/self/fd"),
	       threads_before - 2, max_threads - 2, count_dir("/proc/self/task") - 2, unclean,
	       findings, errors);
	CHECK_EQ(count_dir("/proc/self/fd"), fds);
	CHECK_EQ(count_dir("/proc/self/task"), threads_before);
	CHECK(max_threads - 2 <= 40); /* 32 helpers, notification threads, main */
	CHECK_EQ(unclean, 0);
	CHECK_EQ(findings, 0);
	CHECK_EQ(errors, 0);
}

/* The teardown's closes (unblock) close only what the execution made; a
 * program's first close still makes every slot first (resources.c). */
static void test_teardown_close_makes_nothing(void)
{
	struct cf_resources rs;

	cf_res_init(&rs, NULL);
	CHECK(cf_res_fd(&rs, CF_SLOT_PIPE0_R) >= 0);
	CHECK_EQ(cf_res_close_made(&rs, CF_SLOT_PIPE0_W), 0);
	CHECK_EQ(rs.closed[CF_SLOT_PIPE0_W], 1);
	CHECK_EQ(rs.created[CF_SLOT_LISTENER], 0);
	CHECK_EQ(rs.created[CF_SLOT_SOCK0_A], 0);
	CHECK_EQ(rs.created[CF_SLOT_PIPE1_R], 0);
	CHECK_EQ(cf_res_close_made(&rs, CF_SLOT_PIPE0_W), -EBADF);
	CHECK_EQ(cf_res_close_made(&rs, CF_SLOT_SOCK0_A), -EBADF);
	CHECK_EQ(rs.created[CF_SLOT_SOCK0_A], 0);
	CHECK_EQ(cf_res_close(&rs, CF_SLOT_PIPE0_R), 0);
	CHECK_EQ(rs.created[CF_SLOT_LISTENER], 1);
	CHECK_EQ(rs.created[CF_SLOT_SOCK0_A], 1);
	cf_res_teardown(&rs);
}

/* Ops on actors outside a group, one at a time: exact results, the actor
 * of each act, and the done event under the act whose call saw it. */
static void test_actors(void)
{
	static const char text[] =
		"cancelfuzz program 3\n"
		"ring mode=posix entries=8\n"
		"actors a1=thread a2=thread a3=thread\n"
		"aio_read slot=pipe0.r cb=0 notify=none\n"
		"aio_read slot=pipe0.r cb=1 notify=signal\n"
		"aio_cancel cb cb=1 slot=pipe0.r @a1\n"
		"aio_error cb=1 @a2\n"
		"aio_return cb=1 @a3\n"
		"complete write slot=pipe0.w len=0 @a2\n"
		"aio_error cb=0 @a1\n"
		"end\n";
	struct cf_program p;
	struct cf_judgement j;
	char err[512];
	int done1 = -1, notes1 = 0;

	CHECK_EQ(cf_text_parse(text, strlen(text), "p.cfp", &p, err, sizeof(err)), 0);
	CHECK_EQ(cf_execute(&p, &h, err, sizeof(err)), CF_RUN_OK);
	CHECK_EQ(h.nacts, 9); /* 7 ops, end_cancel, end_drain */
	CHECK_EQ(h.acts[2].actor, 1);
	CHECK_EQ(h.acts[2].res, 0);      /* AIO_CANCELED: cb=1 was queued */
	CHECK_EQ(h.reqs[2].status_after, ECANCELED);
	CHECK_EQ(h.acts[3].actor, 2);
	CHECK_EQ(h.acts[3].res, ECANCELED);
	CHECK_EQ(h.acts[4].actor, 3);
	CHECK_EQ(h.acts[4].res, -1);
	CHECK_EQ(h.acts[5].res, 1);      /* one byte written */
	CHECK_EQ(h.acts[6].actor, 1);
	CHECK_EQ(h.acts[6].res, 0);      /* cb=0 read it */
	for (unsigned c = 0; c < h.ncqes; c++) {
		if (h.cqes[c].req == 1 && h.cqes[c].source == CF_EV_DONE)
			done1 = h.cqes[c].act;
		notes1 += h.cqes[c].req == 1 && h.cqes[c].source == CF_EV_SIGNAL;
	}
	CHECK_EQ(done1, 2); /* seen by a1's aio_error right after its cancel */
	CHECK_EQ(notes1, 1);
	cf_oracle_check(&h, CF_SPEC_KERNEL, &j);
	CHECK_EQ(j.verdict, CF_VERDICT_PASS);
}

/* Two actors of one group submit on one aiocb: the second in program
 * order is refused (-EBUSY, no request), as a reuse of an aiocb in use
 * is; so are aio_error and aio_cancel of that aiocb in the group. Before,
 * both went to the C library and the second rewrote the first's sigevent
 * (one request got two signals, the other none). */
static void test_group_same_aiocb(void)
{
	static const char text[] =
		"cancelfuzz program 3\n"
		"ring mode=posix entries=8\n"
		"actors a1=thread a2=thread a3=thread\n"
		"aio_read slot=pipe1.r cb=5 notify=signal group=1 at=0 @a2\n"
		"aio_read slot=pipe1.r cb=5 notify=signal group=1 at=0 @a3\n"
		"aio_error cb=5 group=1 at=0 @a1\n"
		"aio_cancel cb cb=5 slot=pipe1.r group=1 at=0\n"
		"wait go n=1\n"
		"end\n";
	struct cf_program p;
	struct cf_judgement j;
	char err[512];
	unsigned refused = 0, made = 0, signals = 0;

	CHECK_EQ(cf_text_parse(text, strlen(text), "p.cfp", &p, err, sizeof(err)), 0);
	CHECK_EQ(cf_execute(&p, &h, err, sizeof(err)), CF_RUN_OK);
	for (unsigned a = 0; a < 4; a++) {
		refused += h.acts[a].res == -EBUSY;
		made += h.acts[a].res == 0 && h.acts[a].actor == 2;
	}
	CHECK_EQ(refused, 3);
	CHECK_EQ(made, 1);
	CHECK_EQ(h.nreqs, 1);
	for (unsigned c = 0; c < h.ncqes; c++)
		signals += h.cqes[c].source == CF_EV_SIGNAL;
	CHECK_EQ(signals, 1);
	cf_oracle_check(&h, CF_SPEC_KERNEL, &j);
	CHECK_EQ(j.verdict, CF_VERDICT_PASS);
}

int main(void)
{
	/* The actor threads are made once and kept: count them from the start. */
	CHECK_EQ(cf_actors_ready(), 0);
	threads_at_start = count_dir("/proc/self/task");
	test_teardown_close_makes_nothing();
	test_text();
	test_determinism();
	test_leaks();
	test_actors();
	test_group_same_aiocb();
	TEST_EXIT();
}
