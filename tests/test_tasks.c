/* Description: task actors and the second ring (docs/program-format.md,
 * "Added by the actors branch"; task1: a task on the second ring): a task is another process that runs a0's
 * jobs on copies of its memory, is never seen by a plain waitid(P_ALL),
 * ends as the program says (0 for exit, 137 for SIGKILL) and is always
 * reaped, by `wait exit` or after the teardown; a cancel on the second ring
 * finds nothing there. */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actors.h"
#include "backend.h"
#include "check.h"
#include "load_text.h"
#include "executor.h"
#include "input.h"

static struct cf_history h;

/* Children of ours of any kind (__WALL), without reaping: 0 none. */
static int children_left(void)
{
	siginfo_t si;

	si.si_pid = 0;
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0)
		return errno == ECHILD ? 0 : -errno;
	return 1; /* a live or dead child exists (si_pid 0 when none has exited) */
}

struct probe {
	int pid;     /* set by the job: the pid it ran in */
	int doubled; /* set by the job from `in` */
	int in;
};

static struct probe probe;
static int sync_word; /* copied into the task before every job */

static int job_fn(void *arg)
{
	struct probe *p = arg;

	p->pid = (int)getpid();
	p->doubled = 2 * p->in + sync_word;
	return 42;
}

static void test_task_jobs(void)
{
	struct cf_actor_job job = { job_fn, &probe, 0, 0, 0, 0, sizeof(probe), sizeof(sync_word), &sync_word };
	siginfo_t si;

	CHECK_EQ(cf_actors_ready(), 0);
	CHECK_EQ(cf_actors_task_start(2), 0);
	CHECK(cf_actors_task_live(2));
	/* exit signal 0: a plain waitid(P_ALL) (the program's waitid_all) sees no child */
	CHECK_EQ(waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT), -1);
	CHECK_EQ(errno, ECHILD);
	CHECK_EQ(children_left(), 1);
	probe.in = 20;
	sync_word = 3;
	cf_actors_run(2, &job);
	CHECK_EQ(job.res, 42);
	CHECK(probe.pid != (int)getpid()); /* another process */
	CHECK_EQ(probe.doubled, 43);       /* the arg and the sync word went in, the arg came back */
	CHECK(job.t1 >= job.t0);
	CHECK_EQ(cf_actors_task_end(2, 0), 0); /* exit(0) */
	CHECK(!cf_actors_task_live(2));
	CHECK_EQ(children_left(), 0);
	CHECK_EQ(cf_actors_task_end(2, 0), -ESRCH);

	CHECK_EQ(cf_actors_task_start(3), 0);
	CHECK_EQ(cf_actors_task_end(3, 1), 137); /* SIGKILL */
	CHECK_EQ(children_left(), 0);

	/* cov3 branch: exec of /bin/true, which exits 0 */
	CHECK_EQ(cf_actors_task_start(3), 0);
	CHECK_EQ(cf_actors_task_end(3, CF_TASK_EXEC), 0);
	CHECK_EQ(children_left(), 0);

	CHECK_EQ(cf_actors_task_start(1), 0); /* left live: ended with the others */
	CHECK_EQ(cf_actors_end_tasks(), 0);
	CHECK_EQ(children_left(), 0);
}

/* The act of op index i. */
static const struct cf_act_rec *act_of(int i)
{
	for (unsigned a = 0; a < h.nacts; a++)
		if (h.acts[a].kind == CF_ACT_OP && h.acts[a].op_index == i)
			return &h.acts[a];
	return NULL;
}

static void test_programs(void)
{
	static const char tasks[] =
		"cancelfuzz program 3\n"
		"actors a1=task a2=task a3=thread1\n"
		"queue read slot=pipe0.r ud=1 flags=0\n"
		"wait submit n=0 @a1\n"
		"wait exit n=1 @a2\n"        /* a task not made yet: made, then killed */
		"wait submit n=0 @a2\n"      /* after its exit: refused */
		"complete futex_wake slot=pipe0.r len=0 @a1\n" /* a0's memory: refused */
		"wait exit n=0 @a3\n"        /* thread1: closes the second ring */
		"cancel sync flags=0 ud=1 slot=pipe0.r op=nop odd=0 @a3\n" /* ring closed */
		"close slot=ring0\n"         /* the harness's ring: refused */
		"end\n";
	static const char ring1[] =
		"cancelfuzz program 3\n"
		"actors a1=thread1 a2=thread a3=thread\n"
		"queue read slot=pipe0.r ud=1 flags=0\n"
		"wait submit n=0\n"
		"cancel sqe64 flags=0 ud=1 slot=pipe0.r op=nop odd=0 @a1\n"
		"cancel sync flags=all ud=1 slot=pipe0.r op=nop odd=0 @a1\n"
		"queue nop slot=pipe0.r ud=2 flags=0 @a1\n"
		"end\n";
	struct cf_program p;
	char why[256];

	if (load(tasks, &p) < 0) {
		cf_failures++;
		return;
	}
	CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
	CHECK_EQ(act_of(1)->res, 1);        /* the task's submit */
	CHECK_EQ(act_of(2)->res, 137);
	CHECK_EQ(act_of(3)->res, -ESRCH);
	CHECK_EQ(act_of(4)->res, -EOPNOTSUPP);
	CHECK_EQ(act_of(5)->res, 0);
	CHECK_EQ(act_of(6)->res, -EBADF);
	CHECK_EQ(act_of(7)->res, -EPERM);
	CHECK_EQ(children_left(), 0);       /* a1 was never ended: reaped after the teardown */

	if (load(ring1, &p) < 0) {
		cf_failures++;
		return;
	}
	CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
	CHECK_EQ(act_of(2)->res, -ENOENT);  /* the read is ring 0's */
	CHECK_EQ(act_of(3)->res, 0);        /* ALL: nothing there (D04) */
	/* cov3 branch: a thread1 queue puts its request on the second ring,
	 * recorded with ring=1 (it was refused, -EOPNOTSUPP) */
	CHECK_EQ(act_of(4)->res, 0);
	CHECK(act_of(4)->req >= 0 && h.reqs[act_of(4)->req].ring == 1);
	CHECK_EQ(act_of(2)->req, -1);       /* a ring-1 cancel has no request record */
	for (unsigned c = 0; c < h.ncqes; c++) {
		if (h.cqes[c].user_data == 1)
			CHECK(h.acts[h.cqes[c].act].kind != CF_ACT_OP); /* canceled by the teardown only */
		if (h.cqes[c].user_data == 2) /* the nop, read by the second ring's teardown */
			CHECK(h.cqes[c].ring == 1 && h.cqes[c].res == 0);
	}
}

/* task1: a task whose cancels and waits go to the second ring, made
 * before it so that the child shares its mappings. */
static void test_task1(void)
{
	static const char task1[] =
		"cancelfuzz program 3\n"
		"actors a1=task1 a2=thread a3=thread\n"
		"queue read slot=pipe0.r ud=1 flags=0\n"
		"wait submit n=0\n"
		"cancel sqe64 flags=0 ud=1 slot=pipe0.r op=nop odd=0 @a1\n"
		"cancel sync flags=all ud=1 slot=pipe0.r op=nop odd=0 @a1\n"
		"queue nop slot=pipe0.r ud=2 flags=0 @a1\n"
		"wait getevents n=0 @a1\n"
		"complete futex_wake slot=pipe0.r len=0 @a1\n"
		"wait exit n=0 @a1\n"
		"cancel sync flags=0 ud=1 slot=pipe0.r op=nop odd=0 @a1\n"
		"end\n";
	struct cf_program p;
	char why[256];

	if (load(task1, &p) < 0) {
		cf_failures++;
		return;
	}
	for (int run = 0; run < 3; run++) { /* again: nothing of the last execution stays */
		CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
		CHECK_EQ(act_of(2)->res, -ENOENT);  /* an SQE cancel on the second ring, from the child */
		CHECK_EQ(act_of(2)->req, -1);
		CHECK_EQ(act_of(3)->res, 0);        /* ALL: nothing there (D04) */
		CHECK_EQ(act_of(4)->res, 0);        /* its queue goes to the second ring (cov3) */
		CHECK_EQ(act_of(5)->res, 1);        /* the child's enter reaps the nop's CQE */
		CHECK_EQ(act_of(6)->res, -EOPNOTSUPP); /* a0's futex word: a task's refusal */
		CHECK_EQ(act_of(7)->res, 0);        /* a task's exit, not a thread's -EINVAL */
		CHECK_EQ(act_of(8)->res, -ESRCH);
		CHECK_EQ(children_left(), 0);
	}
}

/* A task1 cancel waits on the second ring for its own CQE: the CQEs it
 * reads past are recorded under its act (a task's own memory is a copy,
 * so they travel back in the call), and an SQE of its that the enter left
 * in the SQ (the submit stopped at a request that failed before issue)
 * ends the wait at once, -ETIME, instead of after the bound. */
static void test_task1_cancel_wait(void)
{
	static const char past[] =
		"cancelfuzz program 3\n"
		"actors a1=task1 a2=thread a3=thread\n"
		"queue nop slot=pipe0.r ud=2 flags=0 @a1\n"
		"cancel sqe64 flags=0 ud=5 slot=pipe0.r op=nop odd=0 @a1\n"
		"end\n";
	static const char stuck[] =
		"cancelfuzz program 3\n"
		"actors a1=task1 a2=thread a3=thread\n"
		"queue timeout_remove target=1 ud=3 flags=0 bad=tflags @a1\n"
		"cancel sqe64 flags=0 ud=5 slot=pipe0.r op=nop odd=0 @a1\n"
		"end\n";
	struct cf_program p;
	char why[256];
	int seen;

	seen = 0;
	if (load(past, &p) < 0) {
		cf_failures++;
		return;
	}
	CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
	CHECK_EQ(act_of(1)->res, -ENOENT);
	for (unsigned c = 0; c < h.ncqes; c++)
		if (h.cqes[c].user_data == 2) {
			CHECK(h.cqes[c].ring == 1 && h.cqes[c].res == 0);
			CHECK_EQ(h.cqes[c].act, (unsigned)(act_of(1) - h.acts));
			seen++;
		}
	CHECK_EQ(seen, 1);

	if (load(stuck, &p) < 0) {
		cf_failures++;
		return;
	}
	CHECK_EQ(cf_execute(&p, &h, why, sizeof(why)), CF_RUN_OK);
	CHECK_EQ(act_of(1)->res, -ETIME);
	CHECK(act_of(1)->t1 - act_of(1)->t0 < CF_RING1_WAIT_NS / 2); /* not the bound's wait */
	seen = 0;
	for (unsigned c = 0; c < h.ncqes; c++)
		seen += h.cqes[c].user_data == 3 && h.cqes[c].ring == 1 && h.cqes[c].res == -EINVAL;
	CHECK_EQ(seen, 1);
}

static int a0_ran;

static int a0_fn(void *arg)
{
	(void)arg;
	a0_ran++;
	return 7;
}

/* A task of a race that died before the barrier never arrives: the race
 * still releases the others, ends, and the task's job says -ESRCH; with
 * a0 in the race (it waits at the barrier) and without (it sleeps). */
static void test_race_dead_task(void)
{
	for (unsigned with_a0 = 0; with_a0 < 2; with_a0++) {
		struct cf_actor_job jobs[CF_ACTORS];
		struct cf_actor_job one = { job_fn, &probe, 0, 0, 0, 0, sizeof(probe), 0, NULL };
		struct probe other = { 0, 0, 5 };
		siginfo_t si;
		int pid;

		CHECK_EQ(cf_actors_ready(), 0);
		CHECK_EQ(cf_actors_task_start(1), 0);
		probe.pid = 0;
		cf_actors_run(1, &one);
		pid = probe.pid;
		CHECK(pid > 0 && pid != (int)getpid());
		CHECK_EQ(kill(pid, SIGKILL), 0);
		CHECK_EQ(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT | __WALL), 0); /* dead, not reaped */
		memset(jobs, 0, sizeof(jobs));
		jobs[0] = (struct cf_actor_job){ a0_fn, NULL, 0, 0, 0, 0, 0, 0, NULL };
		jobs[1] = (struct cf_actor_job){ job_fn, &probe, 0, 0, 0, 0, sizeof(probe), 0, NULL };
		jobs[2] = (struct cf_actor_job){ job_fn, &other, 0, 0, 0, 0, 0, 0, NULL };
		a0_ran = 0;
		cf_actors_race(jobs, (with_a0 ? 1u : 0u) | 0x6u);
		CHECK_EQ(jobs[1].res, -ESRCH);
		CHECK_EQ(jobs[2].res, 42);
		CHECK_EQ(other.doubled, 10 + sync_word);
		CHECK_EQ(a0_ran, (int)with_a0);
		if (with_a0)
			CHECK_EQ(jobs[0].res, 7);
		CHECK_EQ(cf_actors_end_tasks(), 1); /* it had to be reaped dead */
		CHECK_EQ(children_left(), 0);
	}
}

int main(void)
{
	test_task_jobs();
	test_race_dead_task();
	test_programs();
	test_task1();
	test_task1_cancel_wait();
	TEST_EXIT();
}
