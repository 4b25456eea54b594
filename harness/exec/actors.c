/* The actor pool and its barrier (actors.h). Each actor sleeps on a futex
 * while idle; for a race it announces itself ready and spins on the
 * release word, so that the release reaches every participant within
 * nanoseconds of each other, and the program's offsets decide the order. */
#include "actors.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

enum { IDLE, ARMED, DONE };

struct actor {
	pthread_t thread;
	_Atomic uint32_t state; /* IDLE -> ARMED (a0) -> DONE (actor) -> IDLE (a0) */
	struct cf_actor_job *job;
	int race;               /* wait for the release before the call */
	uint32_t gen;           /* race: the release word's value before the release */
};

static struct actor actors[CF_ACTORS];
static _Atomic uint32_t ready, release_gen;
static int started;

static void futex_wait(_Atomic uint32_t *w, uint32_t val)
{
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void cf_actors_spin(uint32_t n)
{
	for (volatile uint32_t i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory");
}

/* Wait for the release word to move past gen. Spins, yielding now and
 * then: the machine may have fewer cores than participants. */
static void await_release(uint32_t gen)
{
	for (unsigned n = 1; atomic_load_explicit(&release_gen, memory_order_acquire) == gen; n++)
		if (n % 256 == 0)
			sched_yield();
}

static void call(struct cf_actor_job *job)
{
	cf_actors_spin(job->spins);
	job->t0 = cf_now_ns();
	job->res = job->fn(job->arg);
	job->t1 = cf_now_ns();
}

static void *actor_main(void *arg)
{
	struct actor *me = arg;

	for (;;) {
		uint32_t s;

		while ((s = atomic_load_explicit(&me->state, memory_order_acquire)) != ARMED)
			futex_wait(&me->state, s);
		if (me->race) {
			/* a0 bumps release_gen only after every participant is ready */
			atomic_fetch_add_explicit(&ready, 1, memory_order_acq_rel);
			await_release(me->gen);
		}
		call(me->job);
		atomic_store_explicit(&me->state, DONE, memory_order_release);
		futex_wake(&me->state);
	}
	return NULL;
}

int cf_actors_ready(void)
{
	sigset_t all, old;

	if (started)
		return 0;
	/* Actors take no signals: those are a0's (SIGPIPE is ignored, POSIX
	 * AIO's signal is waited for by a0). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (unsigned a = 1; a < CF_ACTORS; a++) {
		int err = pthread_create(&actors[a].thread, NULL, actor_main, &actors[a]);

		if (err) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			return -err; /* the threads made so far stay idle; tried again next time */
		}
		pthread_detach(actors[a].thread);
		started = (int)a == CF_ACTORS - 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

static void arm(unsigned a, struct cf_actor_job *job, int race, uint32_t gen)
{
	actors[a].job = job;
	actors[a].race = race;
	actors[a].gen = gen;
	atomic_store_explicit(&actors[a].state, ARMED, memory_order_release);
	futex_wake(&actors[a].state);
}

static void await_done(unsigned a)
{
	uint32_t s;

	while ((s = atomic_load_explicit(&actors[a].state, memory_order_acquire)) != DONE)
		futex_wait(&actors[a].state, s);
	atomic_store_explicit(&actors[a].state, IDLE, memory_order_release);
}

void cf_actors_run(unsigned a, struct cf_actor_job *job)
{
	if (a == 0 || a >= CF_ACTORS) {
		call(job);
		return;
	}
	arm(a, job, 0, 0);
	await_done(a);
}

void cf_actors_race(struct cf_actor_job jobs[CF_ACTORS], unsigned mask)
{
	uint32_t gen = atomic_load_explicit(&release_gen, memory_order_acquire);
	unsigned want = 0;

	atomic_store_explicit(&ready, 0, memory_order_release);
	for (unsigned a = 1; a < CF_ACTORS; a++)
		if (mask & (1u << a)) {
			arm(a, &jobs[a], 1, gen);
			want++;
		}
	while (atomic_load_explicit(&ready, memory_order_acquire) < want)
		sched_yield();
	atomic_store_explicit(&release_gen, gen + 1, memory_order_release);
	if (mask & 1)
		call(&jobs[0]);
	for (unsigned a = 1; a < CF_ACTORS; a++)
		if (mask & (1u << a))
			await_done(a);
}
