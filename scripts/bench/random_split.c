/* Where the stability workload's wall time goes: test_exec_random's random
 * programs (same generator, same warm-up), each execution timed whole and
 * split by its acts' own start and end times (history version 3):
 * ring-1 cancels (a task1 or thread1 actor's cancel, which waits for its
 * CQE on the second ring up to CF_RING1_WAIT_NS), the other ops by kind,
 * and what lies outside every op act (ring start, teardown, the second
 * ring's teardown, ending tasks, release). Also how many ring-1 cancels
 * waited out their bound.
 *
 *   bench_random_split [EXECS]     (default 3000)
 *
 * Run by scripts/bench/bench_random_pair.sh. Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "backend.h"
#include "direct.h"
#include "executor.h"
#include "history.h"
#include "probe.h"
#include "program.h"
#include "../../tests/rng.h"

enum { S_RING1_CANCEL, S_CANCEL, S_QUEUE, S_COMPLETE, S_WAIT, S_CLOSE, S_OUTSIDE, S__COUNT };
static const char *const names[S__COUNT] = { "ring-1 cancel", "other cancel", "queue", "complete",
					     "wait", "close", "outside ops (start, teardowns, tasks)" };

static struct cf_history h;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int on_ring1(const struct cf_program *prog, unsigned actor)
{
	return actor && CF_ACTOR_ON_RING1(cf_actor_kind(prog->actors, actor));
}

int main(int argc, char **argv)
{
	long total = argc > 1 ? atol(argv[1]) : 3000, waited_out = 0, ring1_cancels = 0;
	uint64_t rng = 0x9e3779b97f4a7c15ull; /* test_exec_random's */
	double sum[S__COUNT] = { 0 }, wall = 0;

	if (!cf_probe()->usable) {
		printf("skip: %s\n", cf_probe()->why);
		return 77;
	}
	for (unsigned m = 0; m < CF_MODE__COUNT; m++)
		for (unsigned e = 0; e < 4; e++) {
			uint8_t hdr[2] = { (uint8_t)m, (uint8_t)e };
			struct cf_program prog;
			char why[256];

			cf_decode(hdr, sizeof(hdr), &prog);
			cf_execute(&prog, &h, why, sizeof(why));
		}
	(void)cf_direct_fd(NULL, 0);
	for (long i = 0; i < total; i++) {
		uint8_t bytes[160];
		size_t len = 2 + test_rng_next(&rng) % (sizeof(bytes) - 2);
		struct cf_program prog;
		char why[256];
		double t0, dt, in_ops = 0;

		for (size_t k = 0; k < len; k++)
			bytes[k] = (uint8_t)test_rng_next(&rng);
		cf_decode(bytes, len, &prog);
		t0 = now();
		cf_execute(&prog, &h, why, sizeof(why));
		dt = now() - t0;
		wall += dt;
		for (unsigned a = 0; a < h.nacts; a++) {
			const struct cf_act_rec *r = &h.acts[a];
			double d = (double)(r->t1 - r->t0) / 1e9;
			int s;

			if (r->kind != CF_ACT_OP)
				continue;
			switch (r->op_kind) {
			case CF_OP_CANCEL:
				s = on_ring1(&prog, r->actor) ? S_RING1_CANCEL : S_CANCEL;
				break;
			case CF_OP_QUEUE: s = S_QUEUE; break;
			case CF_OP_COMPLETE: s = S_COMPLETE; break;
			case CF_OP_CLOSE: s = S_CLOSE; break;
			default: s = S_WAIT; break;
			}
			if (s == S_RING1_CANCEL) {
				ring1_cancels++;
				waited_out += r->t1 - r->t0 >= CF_RING1_WAIT_NS / 2;
			}
			sum[s] += d;
			in_ops += d;
		}
		sum[S_OUTSIDE] += dt - in_ops;
	}
	printf("executions=%ld wall_s=%.2f ring1_cancels=%ld ring1_cancels_waited_out=%ld\n", total, wall,
	       ring1_cancels, waited_out);
	for (int s = 0; s < S__COUNT; s++)
		printf("share %.3f %s\n", wall > 0 ? sum[s] / wall : 0, names[s]);
	return 0;
}
