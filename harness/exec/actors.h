/* The actor threads a1..a3 (docs/program-format.md, "Actors and race
 * groups"): a pool of three threads made once per process the first time a
 * program uses them and kept (idle, asleep) for later executions; an actor
 * of kind task is instead a child process made for one execution
 * (cf_actors_task_start), which takes the same jobs. a0, the
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
	/* A task has its own copy of memory: before the call, argsz bytes at
	 * arg and synclen bytes at sync are copied into it (same addresses),
	 * and arg is copied back after. Threads ignore these. */
	unsigned argsz, synclen;
	void *sync;
};
#define CF_TASK_ARG_MAX 1280
#define CF_TASK_SYNC_MAX 512

/* Make the pool if it is not there yet: 0 or -errno. */
int cf_actors_ready(void);
/* Run job on actor a (1..3) and wait for it. */
void cf_actors_run(unsigned a, struct cf_actor_job *job);
/* Race the jobs of the actors in mask (bit a; bit 0 = a0, run by the
 * caller): all wait at one barrier, then each spins and calls. Returns when
 * every job is done. */
void cf_actors_race(struct cf_actor_job jobs[CF_ACTORS], unsigned mask);
/* Task actors. Start: a child process (clone3 with CLONE_PIDFD |
 * CLONE_FILES, exit signal 0 so that no waitid(P_ALL) of the program sees
 * it, PR_SET_PDEATHSIG SIGKILL) that waits for jobs as the threads do;
 * 0 or -errno. The program's fds are its fds (one table). */
int cf_actors_task_start(unsigned a);
/* Is actor a a task made by cf_actors_task_start and not ended yet? */
int cf_actors_task_live(unsigned a);
/* End task a: it calls exit(0) (CF_TASK_EXIT), a0 sends it SIGKILL
 * (CF_TASK_KILL), or it execs /bin/true (CF_TASK_EXEC, cov3 branch: the
 * kernel cancels all its io_uring requests in begin_new_exec; 127 when the
 * exec failed); a0 reaps it through its pidfd, waiting at most 1 s, then
 * SIGKILL and 1 s more. Returns the wait status as a shell gives it (0,
 * 128 + signal), or -ETIMEDOUT (it is reaped later by cf_actors_end_tasks)
 * or -errno. */
enum { CF_TASK_EXIT, CF_TASK_KILL, CF_TASK_EXEC };
int cf_actors_task_end(unsigned a, int how);
/* End every live task (exit), reap every task, as above: after each
 * execution, also a failed one. Returns the number that had to be
 * killed or could not be reaped. */
int cf_actors_end_tasks(void);
/* In a child made by fork(2): the pool's threads and any task are the
 * parent's and did not come along; forget them (and the shared mapping,
 * which the parent still uses), so the next program makes its own. */
void cf_actors_forget(void);
/* Spin n iterations (the offset loop; also used to measure it). */
void cf_actors_spin(uint32_t n);

#endif
