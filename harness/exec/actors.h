/* The actor threads a1..a3 (docs/program-format.md, "Actors and race
 * groups"): a pool of three threads made once per process the first time a
 * program uses them and kept (idle, asleep) for later executions. a0, the
 * harness thread, hands them work in two ways: one call at a time
 * (cf_actors_run: a0 waits for it), or a race (cf_actors_race: every
 * participant, a0 included, waits at one barrier, then spins its own
 * offset and makes its call). Times are CLOCK_MONOTONIC ns (clock.h). */
#ifndef CF_ACTORS_H
#define CF_ACTORS_H

#include <stdint.h>

#include "program.h"

struct cf_actor_job {
	int (*fn)(void *arg); /* the call; its result is the act's */
	void *arg;
	uint32_t spins;       /* spin iterations between the release and the call */
	int res;
	long long t0, t1;     /* just before and just after fn */
};

/* Make the pool if it is not there yet: 0 or -errno. */
int cf_actors_ready(void);
/* Run job on actor a (1..3) and wait for it. */
void cf_actors_run(unsigned a, struct cf_actor_job *job);
/* Race the jobs of the actors in mask (bit a; bit 0 = a0, run by the
 * caller): all wait at one barrier, then each spins and calls. Returns when
 * every job is done. */
void cf_actors_race(struct cf_actor_job jobs[CF_ACTORS], unsigned mask);
/* Spin n iterations (the offset loop; also used to measure it). */
void cf_actors_spin(uint32_t n);

#endif
