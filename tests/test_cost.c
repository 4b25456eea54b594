/* Description: cost-aware scheduling charges a mode for the CPU its
 * executions cause: the shared SQ thread's polling after an SQPOLL
 * execution is SQPOLL's, not the next execution's (fuzzers/builtin.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "executor.h"
#include "input.h"
#include "mutate.h"
#include "probe.h"
#include "ring.h"

static struct cf_history h;

/* Admissions of `mode` out of n draws with a fixed seed. */
static unsigned admitted(const struct cf_mode_cost *c, unsigned mode, unsigned n)
{
	struct cf_rng r = { 0x5eedc057ull };
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		k += (unsigned)cf_cost_admit(c, &r, mode);
	return k;
}

/* Two modes that find the same per execution and cost the same on their
 * own thread: both admitted always, until SQPOLL is charged the SQ
 * thread's polling (here 8 times its executions' own CPU), which puts it
 * at (0.128 + 0.05) / (1.152 + 0.05) = 0.148 of the best mode's yield. */
static void test_charge(void)
{
	struct cf_mode_cost c = { 0 };

	for (int i = 0; i < 2 * CF_COST_WARMUP; i++) {
		cf_cost_note(&c, CF_MODE_DEFAULT, 0.001, i % 2);
		cf_cost_note(&c, CF_MODE_SQPOLL, 0.001, i % 2);
	}
	CHECK_EQ(admitted(&c, CF_MODE_SQPOLL, 10000), 10000);
	CHECK_EQ(admitted(&c, CF_MODE_DEFAULT, 10000), 10000);
	cf_cost_charge(&c, CF_MODE_SQPOLL, 8 * 2 * CF_COST_WARMUP * 0.001);
	CHECK_EQ(c.execs[CF_MODE_SQPOLL], 2 * CF_COST_WARMUP);
	CHECK_EQ(admitted(&c, CF_MODE_DEFAULT, 10000), 10000);
	CHECK_EQ(admitted(&c, CF_MODE_SQPOLL, 10000), 1510);
	cf_cost_charge(&c, CF_MODE__COUNT, 1.0); /* no such mode: nothing */
	cf_cost_charge(&c, CF_MODE_DEFAULT, -1.0); /* negative: nothing */
	CHECK_EQ(admitted(&c, CF_MODE_DEFAULT, 10000), 10000);
}

/* The SQ thread's clock is its own: it runs on while this thread sleeps
 * after an SQPOLL execution. */
static void test_sq_thread_clock(void)
{
	struct cf_program p;
	char err[256], why[256], path[4096];
	const char *src = getenv("CF_SOURCE_DIR");
	struct timespec pause = { 0, 50 * 1000000 };
	long long before, after;

	CHECK_EQ(cf_ring_sq_thread_cpu_ns(), -1); /* no SQPOLL ring yet */
	if (cf_probe()->mode_errno[CF_MODE_SQPOLL]) {
		printf("SQPOLL unsupported here: clock part skipped\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/corpora/seeds/004-basic-cancel-sqpoll.cfp",
		 src ? src : ".");
	if (cf_load_program(path, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		cf_failures++;
		return;
	}
	CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
	before = cf_ring_sq_thread_cpu_ns();
	nanosleep(&pause, NULL);
	after = cf_ring_sq_thread_cpu_ns();
	printf("SQ thread CPU: %lld ns, %lld ns more while this thread slept 50 ms\n", before,
	       after - before);
	CHECK(before > 0);
	CHECK(after > before);
	cf_ring_release_all();
	CHECK_EQ(cf_ring_sq_thread_cpu_ns(), -1);
}

/* SQPOLL programs are held back and run CF_SQ_BATCH in a row, in the
 * order they came; every other program runs at once; none is lost. */
static void test_sq_batch(void)
{
	static struct cf_sq_batch b;
	struct cf_program in, out;
	unsigned ran[64], nran = 0, longest = 0, run = 0;

	memset(&b, 0, sizeof(b));
	for (unsigned i = 0; i < 40; i++) {
		memset(&in, 0, sizeof(in));
		in.mode = i % 3 == 0 ? CF_MODE_SQPOLL : CF_MODE_DEFAULT;
		in.entries = (uint8_t)i; /* its number */
		if (!cf_sq_batch_hold(&b, &in))
			ran[nran++] = i;
		while (cf_sq_batch_next(&b, &out))
			ran[nran++] = out.entries;
	}
	for (unsigned k = 0, sq = 0; k < nran; k++) {
		run = ran[k] % 3 == 0 ? run + 1 : 0;
		longest = run > longest ? run : longest;
		if (ran[k] % 3 == 0) /* held ones keep their order */
			CHECK_EQ(ran[k], 3 * sq++);
	}
	CHECK_EQ(longest, CF_SQ_BATCH);
	/* 14 SQPOLL programs: whole batches ran, the rest still held (6 of 8) */
	CHECK_EQ(nran, 40u - 14u % CF_SQ_BATCH);
	CHECK_EQ(b.n, 14u % CF_SQ_BATCH);
}

int main(void)
{
	test_charge();
	test_sq_batch();
	if (!cf_probe()->usable) {
		printf("io_uring unusable here: %s\n", cf_probe()->why);
		TEST_EXIT();
	}
	test_sq_thread_clock();
	TEST_EXIT();
}
