/* Description: the io_uring teardown's promises to the oracle
 * (docs/history-format.md, "What the teardown promises the oracle"): every
 * request accounted for when it ends, and no wait for nothing longer than
 * the first quiet bound where the executor knows what is outstanding. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "backend.h"
#include "check.h"
#include "load_text.h"
#include "executor.h"
#include "input.h"
#include "probe.h"

#define RUNS 20

static struct cf_history h;

/* The last end_drain's res: requests still without a final CQE. */
static int left_outstanding(void)
{
	for (int a = (int)h.nacts - 1; a >= 0; a--)
		if (h.acts[a].kind == CF_ACT_END_DRAIN)
			return h.acts[a].res;
	return -1;
}

/* Run text RUNS times: each run ends with every request accounted for, the
 * ring clean, no deadline hit; returns the largest quiet time of a run. */
static long long run(const char *name, const char *text, unsigned min_rounds)
{
	struct cf_program p;
	long long worst = 0;
	char why[256];

	if (load(text, &p) < 0) {
		cf_failures++;
		return -1;
	}
	for (int i = 0; i < RUNS; i++) {
		const struct cf_teardown_stats *st;
		enum cf_run r = cf_execute(&p, &h, why, sizeof(why));

		CHECK_EQ(r, CF_RUN_OK);
		CHECK_EQ(left_outstanding(), 0);
		CHECK_EQ(h.ring_reset, 1);
		for (unsigned a = 0; a < h.nacts; a++)
			CHECK_EQ(h.acts[a].unsettled, 0);
		st = cf_uring_teardown_stats();
		CHECK(st->rounds >= min_rounds);
		if (st->quiet_ns > worst)
			worst = st->quiet_ns;
	}
	printf("%s: worst quiet time %lld ns in %d runs\n", name, worst, RUNS);
	return worst;
}

/* IOSQE_CQE_SKIP_SUCCESS leaves CQEs the accounting cannot settle: a
 * failed skip_success request posts one of a user_data that others owe
 * too, so its count stays one short for good. Two rounds in which nothing
 * moved end the teardown there (before: all 16 rounds, 2 ms each). */
static void test_skip_success_stops(void)
{
	struct cf_program p;
	char why[256];

	if (load("cancelfuzz program 3\nring mode=coop entries=4\nwait submit n=2\n"
		 "queue link_timeout time=60s clock=mono ud=1 flags=hardlink|async|skip_success "
		 "count=3 tf=etime_success\n"
		 "queue link_timeout time=60s clock=mono ud=1 flags=0 count=0 tf=etime_success\n"
		 "queue link_timeout time=60s clock=mono ud=1 flags=fixed count=0 tf=etime_success\n"
		 "end\n", &p) < 0) {
		cf_failures++;
		return;
	}
	for (int i = 0; i < RUNS; i++) {
		unsigned drains = 0;

		CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
		for (unsigned a = 0; a < h.nacts; a++) {
			drains += h.acts[a].kind == CF_ACT_END_DRAIN;
			CHECK_EQ(h.acts[a].unsettled, 0);
		}
		CHECK_EQ(h.nreqs, 3 + 2); /* three link timeouts, two teardown cancels */
		CHECK_EQ(h.ncqes, 2);
		CHECK_EQ(drains, 2);
		CHECK_EQ(left_outstanding(), 1);
		CHECK_EQ(cf_uring_teardown_stats()->rounds, 2);
	}
	printf("skip-success: 2 rounds, 1 CQE never settled, in %d runs\n", RUNS);
}

/* After the rounds, a program with skip_success waits one quiet period
 * for a failed request's CQE still in task work - unless every request
 * has already posted its final CQE, skip_success ones too: then none can
 * come, and the teardown does not wait. */
static void test_skip_success_all_posted(void)
{
	static const char *const text[2] = {
		/* the read fails (-ECANCELED by the teardown): it posts */
		"cancelfuzz program 3\nring mode=default entries=8\n"
		"queue read slot=pipe0.r ud=1 flags=skip_success\nwait submit n=0\nend\n",
		/* the nop succeeds: silent, nobody can tell it from one in flight */
		"cancelfuzz program 3\nring mode=default entries=8\n"
		"queue nop slot=pipe0.r ud=1 flags=skip_success\nwait submit n=0\nend\n",
	};

	for (int k = 0; k < 2; k++) {
		struct cf_program p;
		char why[256];

		if (load(text[k], &p) < 0) {
			cf_failures++;
			return;
		}
		for (int i = 0; i < RUNS; i++) {
			CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
			CHECK_EQ(h.ncqes, (k == 0 ? 1u : 0u));
			if (k == 0)
				CHECK_EQ(h.cqes[0].res, -ECANCELED);
			CHECK_EQ(left_outstanding(), 0);
			CHECK_EQ(cf_uring_teardown_stats()->skip_waits, (k == 0 ? 0u : 1u));
		}
	}
	printf("skip-success-all-posted: no wait once every request posted, one otherwise, in %d runs\n",
	       RUNS);
}

int main(void)
{
	if (!cf_probe()->usable) {
		printf("skip: %s\n", cf_probe()->why);
		return 77;
	}
	/* The read behind a hard link is issued only once the futex wait ahead
	 * is canceled: the first round cannot see it, the second cancels it.
	 * Nothing is owed after the first round's CQE, so the wait for nothing
	 * between the two is the first quiet bound at most, not CF_QUIET_NS. */
	CHECK(run("hardlink", "cancelfuzz program 1\nring mode=default entries=8\n"
		  "queue futex_wait slot=pipe0.r ud=2 flags=hardlink\n"
		  "queue read slot=pipe0.r ud=1 flags=0\n"
		  "wait submit n=0\nend\n", 2) <= CF_QUIET_MIN_NS);
	/* DRAIN releases one request per completion: one round each, every
	 * request accounted for within the rounds; the waits for nothing grow
	 * 0.2, 0.4, 0.8 ms, not 2 ms each. */
	CHECK(run("drain", "cancelfuzz program 1\nring mode=default entries=8\n"
	    "queue read slot=pipe0.r ud=1 flags=0\n"
	    "queue read slot=pipe1.r ud=2 flags=drain\n"
	    "queue read slot=pipe1.r ud=3 flags=drain\n"
	    "queue read slot=pipe1.r ud=4 flags=drain\n"
	    "wait submit n=0\nend\n", 2) <= 7 * CF_QUIET_MIN_NS);
	/* DEFER_TASKRUN: the hard-linked read is issued only by task work the
	 * teardown runs itself before its second cancel. */
	CHECK(run("hardlink-defer", "cancelfuzz program 1\nring mode=defer entries=8\n"
		  "queue futex_wait slot=pipe0.r ud=2 flags=hardlink\n"
		  "queue read slot=pipe0.r ud=1 flags=0\n"
		  "wait submit n=0\nend\n", 2) <= CF_QUIET_MIN_NS);
	/* Actors: a DRAIN held back a read a1 submitted on a COOP_TASKRUN ring;
	 * the first round's cancel releases it, and its issue (and later its
	 * completion) is task work of a1, which nothing wakes a1 to run: the
	 * teardown gives the actors a turn before every round after the first
	 * (a 10-minute campaign, seed 36, and the rediscovery run saw requests
	 * of an idle actor outlive all 16 rounds). */
	{
		struct cf_program p;
		char why[256];

		if (load("cancelfuzz program 3\nring mode=coop entries=8\n"
			 "actors a1=thread a2=thread a3=thread\n"
			 "queue read slot=pipe0.r ud=1 flags=0\n"
			 "wait submit n=0\n"
			 "queue read slot=pipe1.r ud=2 flags=drain\n"
			 "wait submit n=0 @a1\nend\n", &p) < 0)
			cf_failures++;
		for (int i = 0; i < RUNS && !cf_failures; i++) {
			const struct cf_teardown_stats *st;

			CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
			CHECK_EQ(left_outstanding(), 0);
			st = cf_uring_teardown_stats();
			CHECK(st->rounds >= 2);
			/* one turn before each later round (and one more when that
			 * turn alone ended what was left) */
			CHECK(st->actor_turns == st->rounds - 1 || st->actor_turns == st->rounds);
		}
	}
	/* SQPOLL keeps the 2 ms bound (task work runs on the SQ thread, which
	 * may need more than one round to issue the read): the same chain is
	 * accounted for. */
	run("hardlink-sqpoll", "cancelfuzz program 1\nring mode=sqpoll entries=8\n"
		  "queue futex_wait slot=pipe0.r ud=2 flags=hardlink\n"
		  "queue read slot=pipe0.r ud=1 flags=0\n"
		  "wait submit n=0\nend\n", 2);
	/* A task that ended leaves its requests' task work to a kworker, a
	 * jiffy or more late: only while one of its requests is outstanding
	 * does a wait for nothing take CF_QUIET_TASK_NS. Here a0's chain is
	 * all that is left, and the waits are a0's own (before: 50 ms). */
	CHECK(run("hardlink-after-task-exit", "cancelfuzz program 3\nring mode=default entries=8\n"
		  "actors a1=task a2=thread a3=thread\n"
		  "wait exit n=0 @a1\n"
		  "queue futex_wait slot=pipe0.r ud=2 flags=hardlink\n"
		  "queue read slot=pipe0.r ud=1 flags=0\n"
		  "wait submit n=0\nend\n", 2) <= CF_QUIET_MIN_NS);
	/* The task's own read, poll-armed when it exits, woken by a0's write:
	 * its -ECANCELED comes from the kworker, and is waited for. */
	run("task-read-after-exit", "cancelfuzz program 3\nring mode=default entries=8\n"
	    "actors a1=task a2=thread a3=thread\n"
	    "queue read slot=pipe0.r ud=1 flags=0 @a1\n"
	    "wait submit n=0 @a1\n"
	    "wait exit n=0 @a1\n"
	    "complete write slot=pipe0.w len=2\n"
	    "end\n", 1);
	test_skip_success_stops();
	test_skip_success_all_posted();
	TEST_EXIT();
}
