/* What an actor op costs beyond its syscall: the pool's hand-off and
 * barrier (harness/exec/actors.c) against making the three threads anew
 * for each execution, the alternative issue 14 asked to measure.
 * Prints medians in ns. Built by bench.cmake as bench_actor_cost. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "actors.h"
#include "clock.h"

#define ROUNDS 2001

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

static void *idle(void *arg)
{
	return arg;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long median(long long *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

int main(void)
{
	static long long t[ROUNDS];
	struct cf_actor_job jobs[CF_ACTORS];
	long long t0;

	t0 = cf_now_ns();
	if (cf_actors_ready() < 0)
		return 1;
	printf("pool_start_ns=%lld\n", cf_now_ns() - t0);
	for (unsigned i = 0; i < ROUNDS; i++) {
		struct cf_actor_job job = { nothing, NULL, 0, 0, 0, 0 };

		t0 = cf_now_ns();
		cf_actors_run(1 + i % 3, &job);
		t[i] = cf_now_ns() - t0;
	}
	printf("handoff_ns=%lld\n", median(t, ROUNDS));
	for (unsigned i = 0; i < ROUNDS; i++) {
		for (unsigned a = 0; a < CF_ACTORS; a++)
			jobs[a] = (struct cf_actor_job){ nothing, NULL, 0, 0, 0, 0 };
		t0 = cf_now_ns();
		cf_actors_race(jobs, 0xe);
		t[i] = cf_now_ns() - t0;
	}
	printf("race3_ns=%lld\n", median(t, ROUNDS));
	for (unsigned i = 0; i < ROUNDS; i++) {
		struct cf_actor_job j2[CF_ACTORS] = { { nothing, NULL, 0, 0, 0, 0 },
						      { nothing, NULL, 0, 0, 0, 0 } };

		cf_actors_race(j2, 0x3);
		t[i] = j2[1].t0 - j2[0].t0;
		if (t[i] < 0)
			t[i] = -t[i];
	}
	printf("start_skew_a0_a1_ns=%lld\n", median(t, ROUNDS));
	for (unsigned i = 0; i < ROUNDS / 10; i++) {
		pthread_t th[3];

		t0 = cf_now_ns();
		for (unsigned a = 0; a < 3; a++)
			pthread_create(&th[a], NULL, idle, NULL);
		for (unsigned a = 0; a < 3; a++)
			pthread_join(th[a], NULL);
		t[i] = cf_now_ns() - t0;
	}
	printf("create_join3_ns=%lld\n", median(t, ROUNDS / 10));
	t0 = cf_now_ns();
	cf_actors_spin(255u * CF_SPIN_UNIT);
	printf("window_ns=%lld\n", cf_now_ns() - t0);
	return 0;
}
