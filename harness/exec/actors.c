/* The actor pool and its barrier (actors.h). Each actor sleeps on a futex
 * while idle; for a race it announces itself ready and spins on the
 * release word, so that the release reaches every participant within
 * nanoseconds of each other, and the program's offsets decide the order.
 * The last participant to arrive releases the others: no hand-off back to
 * a0, which sleeps meanwhile unless it is in the race itself.
 * Task actors are child processes: their mailbox, the ready count and the
 * release word live in one shared anonymous mapping, waited on with
 * process-shared futexes. */
#include "actors.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define TASK_FD_FLOOR 900 /* pidfds sit above the program's fd numbers */
#define TASK_REAP_MS 1000

enum { IDLE, ARMED, DONE };
enum { CMD_CALL, CMD_EXIT, CMD_EXEC };
#define TASK_EXEC_PATH "/bin/true" /* a program that exits 0 at once */

/* A task's mailbox (shared): the job and copies of what it points at. */
struct task_box {
	_Atomic uint32_t state;
	uint32_t cmd;
	int race;
	uint32_t gen;
	struct cf_actor_job job;
	unsigned char arg[CF_TASK_ARG_MAX];
	unsigned char sync[CF_TASK_SYNC_MAX];
};

struct shared {
	_Atomic uint32_t ready, release_gen, want;
	struct task_box box[CF_ACTORS];
};

static struct shared *sh;

struct task {
	pid_t pid;  /* 0: none */
	int pidfd;
	int live;   /* takes jobs */
};
static struct task tasks[CF_ACTORS];
static uint8_t task_armed[CF_ACTORS]; /* the actor's job went to a task */

struct actor {
	pthread_t thread;
	_Atomic uint32_t state; /* IDLE -> ARMED (a0) -> DONE (actor) -> IDLE (a0) */
	struct cf_actor_job *job;
	int race;               /* wait for the release before the call */
	uint32_t gen;           /* race: the release word's value before the release */
};

static struct actor actors[CF_ACTORS];
static int started;


static int shared_ready(void)
{
	void *p;

	if (sh)
		return 0;
	p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	sh = p;
	return 0;
}

static void futex_wait_shared(_Atomic uint32_t *w, uint32_t val, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAIT, val, ms > 0 ? &ts : NULL, NULL, 0);
}

static void futex_wake_shared(_Atomic uint32_t *w)
{
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static void futex_wait(_Atomic uint32_t *w, uint32_t val)
{
	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wait_ms(_Atomic uint32_t *w, uint32_t val, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	syscall(SYS_futex, (uint32_t *)w, FUTEX_WAIT_PRIVATE, val, &ts, NULL, 0);
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
	for (unsigned n = 1; atomic_load_explicit(&sh->release_gen, memory_order_acquire) == gen; n++)
		if (n % 256 == 0)
			sched_yield();
}

/* Arrive at a race's barrier: the last of its participants releases the
 * others (before, a0 did, once it was scheduled again); the rest spin. */
static void arrive(uint32_t gen)
{
	if (atomic_fetch_add_explicit(&sh->ready, 1, memory_order_acq_rel) + 1 ==
	    atomic_load_explicit(&sh->want, memory_order_acquire))
		atomic_store_explicit(&sh->release_gen, gen + 1, memory_order_release);
	else
		await_release(gen);
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
		if (me->race)
			arrive(me->gen);
		call(me->job);
		atomic_store_explicit(&me->state, DONE, memory_order_release);
		futex_wake(&me->state);
	}
	return NULL;
}

int cf_actors_ready(void)
{
	sigset_t all, old;
	int e = shared_ready();

	if (e < 0)
		return e;
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

void cf_actors_forget(void)
{
	for (unsigned a = 1; a < CF_ACTORS; a++)
		if (tasks[a].pid && tasks[a].pidfd >= 0)
			close(tasks[a].pidfd); /* the parent's task: not ours to wait for */
	memset(tasks, 0, sizeof(tasks));
	memset(task_armed, 0, sizeof(task_armed));
	memset(actors, 0, sizeof(actors));
	started = 0;
	sh = NULL; /* still mapped, still the parent's; a new one on first use */
}

static void arm_task(unsigned a, struct cf_actor_job *job, int race, uint32_t gen)
{
	struct task_box *b = &sh->box[a];

	b->cmd = CMD_CALL;
	b->race = race;
	b->gen = gen;
	b->job = *job;
	if (job->argsz <= CF_TASK_ARG_MAX)
		memcpy(b->arg, job->arg, job->argsz);
	else
		b->job.argsz = 0;
	if (job->sync && job->synclen <= CF_TASK_SYNC_MAX)
		memcpy(b->sync, job->sync, job->synclen);
	else
		b->job.synclen = 0;
	atomic_store_explicit(&b->state, ARMED, memory_order_release);
	futex_wake_shared(&b->state);
}

/* Wait for task a's job; a task that died meanwhile leaves res -ESRCH.
 * Returns 0 when the job ran. */
static int await_task(unsigned a, struct cf_actor_job *job)
{
	struct task_box *b = &sh->box[a];
	uint32_t s;

	while ((s = atomic_load_explicit(&b->state, memory_order_acquire)) != DONE) {
		struct pollfd p = { .fd = tasks[a].pidfd, .events = POLLIN };

		futex_wait_shared(&b->state, s, 100);
		if (atomic_load_explicit(&b->state, memory_order_acquire) != DONE &&
		    poll(&p, 1, 0) == 1) {
			tasks[a].live = 0; /* gone without finishing: reaped at the end */
			job->res = -ESRCH;
			job->t0 = job->t1 = cf_now_ns();
			atomic_store_explicit(&b->state, IDLE, memory_order_release);
			return -1;
		}
	}
	job->res = b->job.res;
	job->t0 = b->job.t0;
	job->t1 = b->job.t1;
	if (b->job.argsz)
		memcpy(job->arg, b->arg, b->job.argsz);
	atomic_store_explicit(&b->state, IDLE, memory_order_release);
	return 0;
}

static void arm(unsigned a, struct cf_actor_job *job, int race, uint32_t gen)
{
	task_armed[a] = (uint8_t)tasks[a].live;
	if (tasks[a].live) {
		arm_task(a, job, race, gen);
		return;
	}
	actors[a].job = job;
	actors[a].race = race;
	actors[a].gen = gen;
	atomic_store_explicit(&actors[a].state, ARMED, memory_order_release);
	futex_wake(&actors[a].state);
}

static void await_done(unsigned a, struct cf_actor_job *job)
{
	uint32_t s;

	if (task_armed[a]) {
		task_armed[a] = 0;
		await_task(a, job);
		return;
	}
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
	await_done(a, job);
}

/* A task of the race that died before it arrived never comes: counted in
 * for it, once (it may have arrived before it died: then the release
 * comes one arrival early, as when a0 waited for one fewer before). */
static void count_in_dead(unsigned mask, uint32_t gen, unsigned *dead)
{
	for (unsigned a = 1; a < CF_ACTORS; a++) {
		struct pollfd p = { .fd = tasks[a].pidfd, .events = POLLIN };

		if ((mask & (1u << a)) && task_armed[a] && tasks[a].live && !(*dead & (1u << a)) &&
		    atomic_load_explicit(&sh->box[a].state, memory_order_acquire) == ARMED &&
		    poll(&p, 1, 0) == 1) {
			tasks[a].live = 0;
			*dead |= 1u << a;
			if (atomic_fetch_add_explicit(&sh->ready, 1, memory_order_acq_rel) + 1 ==
			    atomic_load_explicit(&sh->want, memory_order_acquire))
				atomic_store_explicit(&sh->release_gen, gen + 1, memory_order_release);
		}
	}
}

/* a0 waits for actor a's race job: asleep until it is done, looking for
 * dead tasks every 100 ms while the barrier is not released. */
static void await_race_done(unsigned a, struct cf_actor_job *job, unsigned mask, uint32_t gen,
			    unsigned *dead)
{
	_Atomic uint32_t *w = task_armed[a] ? &sh->box[a].state : &actors[a].state;
	uint32_t s;

	while (atomic_load_explicit(&sh->release_gen, memory_order_acquire) == gen &&
	       (s = atomic_load_explicit(w, memory_order_acquire)) != DONE) {
		if (task_armed[a])
			futex_wait_shared(w, s, 100);
		else
			futex_wait_ms(w, s, 100);
		if (atomic_load_explicit(&sh->release_gen, memory_order_acquire) == gen)
			count_in_dead(mask, gen, dead);
	}
	await_done(a, job);
}

void cf_actors_race(struct cf_actor_job jobs[CF_ACTORS], unsigned mask)
{
	uint32_t gen = atomic_load_explicit(&sh->release_gen, memory_order_acquire);
	unsigned dead = 0;

	/* every participant, a0 too when it has a job, arrives at the barrier;
	 * a0 without a job sleeps until the jobs are done */
	atomic_store_explicit(&sh->ready, 0, memory_order_release);
	atomic_store_explicit(&sh->want, (unsigned)__builtin_popcount(mask & ((1u << CF_ACTORS) - 1)),
			      memory_order_release);
	for (unsigned a = 1; a < CF_ACTORS; a++)
		if (mask & (1u << a))
			arm(a, &jobs[a], 1, gen);
	if (mask & 1) {
		if (atomic_fetch_add_explicit(&sh->ready, 1, memory_order_acq_rel) + 1 ==
		    atomic_load_explicit(&sh->want, memory_order_acquire))
			atomic_store_explicit(&sh->release_gen, gen + 1, memory_order_release);
		for (unsigned n = 1; atomic_load_explicit(&sh->release_gen, memory_order_acquire) == gen; n++) {
			if (n % 256 == 0)
				sched_yield();
			if (n % (256 * 4096) == 0)
				count_in_dead(mask, gen, &dead);
		}
		call(&jobs[0]);
	}
	for (unsigned a = 1; a < CF_ACTORS; a++)
		if (mask & (1u << a))
			await_race_done(a, &jobs[a], mask, gen, &dead);
}

/* The task's loop: it has one thread (the one that cloned), its own copy
 * of memory and the harness's fd table; it makes only syscalls. */
static __attribute__((noreturn)) void task_main(unsigned a, pid_t parent)
{
	struct task_box *b = &sh->box[a];
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL); /* SIGKILL still lands */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		syscall(SYS_exit_group, 0);
	for (;;) {
		uint32_t s;

		while ((s = atomic_load_explicit(&b->state, memory_order_acquire)) != ARMED)
			futex_wait_shared(&b->state, s, 0);
		if (b->cmd == CMD_EXIT)
			syscall(SYS_exit_group, 0);
		if (b->cmd == CMD_EXEC) {
			static char *const argv[] = { (char *)TASK_EXEC_PATH, NULL };
			static char *const envp[] = { NULL };

			syscall(SYS_execve, TASK_EXEC_PATH, argv, envp);
			syscall(SYS_exit_group, 127);
		}
		if (b->job.synclen)
			memcpy(b->job.sync, b->sync, b->job.synclen);
		if (b->job.argsz)
			memcpy(b->job.arg, b->arg, b->job.argsz);
		if (b->race)
			arrive(b->gen);
		call(&b->job);
		if (b->job.argsz)
			memcpy(b->arg, b->job.arg, b->job.argsz);
		atomic_store_explicit(&b->state, DONE, memory_order_release);
		futex_wake_shared(&b->state);
	}
}

int cf_actors_task_start(unsigned a)
{
	struct clone_args args;
	int pidfd = -1, err = shared_ready();
	pid_t parent = getpid();
	long pid;

	if (err < 0)
		return err;
	if (a == 0 || a >= CF_ACTORS)
		return -EINVAL;
	if (tasks[a].pid)
		return tasks[a].live ? 0 : -ESRCH;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_PIDFD | CLONE_FILES;
	args.pidfd = (uintptr_t)&pidfd;
	args.exit_signal = 0; /* a "clone" child: waitid needs __WALL to see it */
	atomic_store_explicit(&sh->box[a].state, IDLE, memory_order_release);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return -errno;
	if (pid == 0)
		task_main(a, parent);
	{
		int high = fcntl(pidfd, F_DUPFD_CLOEXEC, TASK_FD_FLOOR);

		if (high >= 0) {
			close(pidfd);
			pidfd = high;
		}
	}
	tasks[a].pid = (pid_t)pid;
	tasks[a].pidfd = pidfd;
	tasks[a].live = 1;
	return 0;
}

int cf_actors_task_live(unsigned a)
{
	return a > 0 && a < CF_ACTORS && tasks[a].live;
}

/* Reap task a, waiting at most ms for it to end: its status or -ETIMEDOUT. */
static int reap(unsigned a, int ms)
{
	struct pollfd p = { .fd = tasks[a].pidfd, .events = POLLIN };
	siginfo_t si;
	int n;

	do
		n = poll(&p, 1, ms);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return -ETIMEDOUT;
	memset(&si, 0, sizeof(si));
	if (syscall(SYS_waitid, P_PIDFD, tasks[a].pidfd, &si, WEXITED | __WALL, NULL) < 0)
		return -errno;
	close(tasks[a].pidfd);
	memset(&tasks[a], 0, sizeof(tasks[a]));
	tasks[a].pidfd = -1;
	return si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
}

int cf_actors_task_end(unsigned a, int how)
{
	int ret;

	if (a == 0 || a >= CF_ACTORS || !tasks[a].pid)
		return -ESRCH;
	if (tasks[a].live && how != CF_TASK_KILL) {
		sh->box[a].cmd = how == CF_TASK_EXEC ? CMD_EXEC : CMD_EXIT;
		atomic_store_explicit(&sh->box[a].state, ARMED, memory_order_release);
		futex_wake_shared(&sh->box[a].state);
	} else if (syscall(SYS_pidfd_send_signal, tasks[a].pidfd, SIGKILL, NULL, 0) < 0 &&
		   errno != ESRCH) {
		return -errno;
	}
	tasks[a].live = 0;
	ret = reap(a, TASK_REAP_MS);
	if (ret == -ETIMEDOUT) {
		syscall(SYS_pidfd_send_signal, tasks[a].pidfd, SIGKILL, NULL, 0);
		if (reap(a, TASK_REAP_MS) == -ETIMEDOUT)
			return -ETIMEDOUT;
	}
	return ret;
}

int cf_actors_end_tasks(void)
{
	int bad = 0;

	for (unsigned a = 1; a < CF_ACTORS; a++) {
		int ret;

		if (!tasks[a].pid)
			continue;
		ret = cf_actors_task_end(a, tasks[a].live ? CF_TASK_EXIT : CF_TASK_KILL);
		bad += ret != 0;
	}
	return bad;
}
