/* Where the time goes, by program class, and how far each class is from
 * what the kernel needs. Two parts, both run by scripts/bench/bench_classes.sh:
 *
 *   bench_classes campaign SECONDS SEEDS_DIR
 *     the built-in engine's default campaign loop (seed 1, swarm, 8 in 10
 *     programs mutated from the corpus, feedback on, --spec kernel), each
 *     execution timed and put in one class by static features: aio, posix,
 *     sqpoll, child (waitid or child_exit), timers (a 1 ms timer), io-wq
 *     (what cf_program_racy calls io-wq), default (default/coop/defer/smallcq,
 *     none of the above). Prints executions/s, behaviours, and per class the
 *     count, wall share, mean wall and CPU per execution. CPU is
 *     getrusage(RUSAGE_SELF): every thread of the process, io_uring's own
 *     iou-sqp and iou-wrk threads included (they are threads of the process).
 *
 *   bench_classes floor ROUNDS SEEDS_DIR
 *     per class one seed program, the harness (decode, execute, record, judge,
 *     features) against a hand-written loop issuing the same syscalls with
 *     event-driven waits only: it waits for the completions the program
 *     expects and never sleeps for a fixed time. Rounds alternate; medians.
 *
 * Not a test. */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <aio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "median.h"
#include "abi.h"
#include "backend.h"
#include "feedback.h"
#include "input.h"
#include "mutate.h"
#include "racy.h"
#include "ring.h"
#include "target.h"

enum cls { C_DEFAULT, C_SQPOLL, C_TIMERS, C_IOWQ, C_CHILD, C_AIO, C_POSIX, C__COUNT };
static const char *cls_name[C__COUNT] = { "default", "sqpoll", "timers", "io-wq",
					  "child", "aio", "posix" };

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The calling thread's CPU alone: what cpu_self() counts beyond it ran on
 * other threads (SQ pollers, io-wq workers, actors, POSIX helpers), which
 * may be spent after the execution that made them busy. */
static double cpu_thread(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "bench_classes: %s failed: %s\n", what, strerror(errno));
		exit(3);
	}
}

static int has_task(const struct cf_program *p)
{
	for (unsigned a = 1; a < CF_ACTORS; a++)
		if (cf_actor_kind(p->actors, a) == CF_ACTOR_TASK)
			return 1;
	return 0;
}

static enum cls classify(const struct cf_program *p)
{
	char why[160];
	int timer = 0, child = 0;

	if (cf_mode_family(p->mode) == CF_FAMILY_AIO)
		return C_AIO;
	if (cf_mode_family(p->mode) == CF_FAMILY_POSIX)
		return C_POSIX;
	if (p->mode == CF_MODE_SQPOLL)
		return C_SQPOLL;
	for (unsigned i = 0; i < p->nops && p->ops[i].kind != CF_OP_END; i++) {
		const struct cf_op *op = &p->ops[i];

		if (op->kind == CF_OP_QUEUE && op->a[CF_Q_REQ] == CF_REQ_WAITID)
			child = 1;
		if (op->kind == CF_OP_COMPLETE && op->a[CF_D_WHAT] == CF_DO_CHILD_EXIT)
			child = 1;
		if (op->kind == CF_OP_QUEUE && (op->a[CF_Q_REQ] == CF_REQ_TIMEOUT_SHORT ||
						op->a[CF_Q_REQ] == CF_REQ_LINK_TIMEOUT_SHORT))
			timer = 1;
	}
	if (child)
		return C_CHILD;
	if (timer)
		return C_TIMERS;
	if (cf_program_racy(p, why, sizeof(why)))
		return C_IOWQ;
	return C_DEFAULT;
}

/* ---- part 1: the campaign, timed per class ---- */

#define MAX_CORPUS 4096
#define SWARM_PERIOD 256

static struct cf_program corpus[MAX_CORPUS];
static unsigned ncorpus;
static uint8_t seen[1u << (CF_FEATURE_BITS - 3)];
static struct cf_outcome outcome;
static struct cf_history history;

static void add_corpus(struct cf_rng *rng, const struct cf_program *p)
{
	if (ncorpus < MAX_CORPUS)
		corpus[ncorpus++] = *p;
	else
		corpus[cf_rng_below(rng, MAX_CORPUS)] = *p;
}

static void load_dir(const char *dir, struct cf_rng *rng)
{
	char cmd[4300], path[4096], err[256];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "find '%s' -type f -name '*.cfp' | sort", dir);
	f = popen(cmd, "r");
	must(f != NULL, "find");
	while (fgets(path, sizeof(path), f)) {
		struct cf_program p;

		path[strcspn(path, "\n")] = '\0';
		if (cf_load_program(path, &p, err, sizeof(err)) == 0)
			add_corpus(rng, &p);
	}
	pclose(f);
}

static int campaign(double seconds, const char *seeds)
{
	struct cf_rng rng = { 1 };
	struct cf_swarm swarm;
	unsigned long long n[C__COUNT] = { 0 }, execs = 0, behaviours = 0, late = 0, kept = 0;
	unsigned long long quiet[C__COUNT] = { 0 }, rounds[C__COUNT] = { 0 };
	double quiet_s[C__COUNT] = { 0 }; /* time bounded by quiet waits that ran out */
	double wall[C__COUNT] = { 0 }, cpu[C__COUNT] = { 0 }, total = 0, t0, c0;
	double cpu_main[C__COUNT] = { 0 }, cpu_sq[C__COUNT] = { 0 };
	double ops_s[C__COUNT] = { 0 }; /* until the last op's act ended: the rest is teardown */
	/* across classes: programs with a race group, with a task actor */
	unsigned long long tag_n[2] = { 0 };
	double tag_wall[2] = { 0 }, tag_quiet[2] = { 0 }, tag_go[2] = { 0 };
	unsigned long long tag_rounds[2] = { 0 };

	/* CF_COST_AWARE=1: with the engine's cost-aware scheduling, as
	 * fuzzers/builtin.c runs it by default */
	static struct cf_mode_cost cost;
	static struct cf_sq_batch sq_batch; /* as the engine: SQPOLL in batches */
	int cost_aware = getenv("CF_COST_AWARE") && atoi(getenv("CF_COST_AWARE"));

	load_dir(seeds, &rng);
	cf_swarm_pick(&rng, &swarm);
	t0 = now();
	c0 = cpu_self();
	while (now() - t0 < seconds) {
		struct cf_program p;
		uint8_t bytes[CF_MAX_ENCODED];
		size_t len;
		double a, ca, cm;
		enum cls c;
		int fresh = 0;

		if (execs % SWARM_PERIOD == 0)
			cf_swarm_pick(&rng, &swarm);
		if (!cf_sq_batch_next(&sq_batch, &p)) {
			if (ncorpus && cf_rng_below(&rng, 10) < 8) {
				p = corpus[cf_rng_below(&rng, ncorpus)];
				cf_mutate(&rng, &swarm, &p);
			} else {
				cf_generate(&rng, &swarm, &p);
			}
			if (cost_aware && !cf_cost_admit(&cost, &rng, p.mode))
				continue;
			if (cf_sq_batch_hold(&sq_batch, &p))
				continue;
		}
		len = cf_encode(&p, bytes, sizeof(bytes));
		c = classify(&p);
		a = now();
		ca = cpu_self();
		cm = cpu_thread();
		long long sq0 = cf_ring_sq_thread_cpu_ns();
		double sq = 0;
		unsigned found = (unsigned)behaviours;

		cf_target_run(bytes, len, CF_SPEC_KERNEL, &outcome, &history);
		if (sq0 >= 0 && cf_ring_sq_thread_cpu_ns() >= sq0)
			sq = 1e-9 * (double)(cf_ring_sq_thread_cpu_ns() - sq0);
		cpu_sq[c] += sq;
		wall[c] += now() - a;
		{
			int64_t end = 0;

			for (unsigned i = 0; i < history.nacts; i++)
				if (history.acts[i].kind == CF_ACT_OP && history.acts[i].t1 > end)
					end = history.acts[i].t1;
			ops_s[c] += 1e-9 * (double)end;
		}
		for (int k = 0; k < 2; k++) {
			unsigned r = 0;

			if (k ? !has_task(&p) : !cf_program_has_groups(&p))
				continue;
			tag_n[k]++;
			tag_wall[k] += now() - a;
			if (outcome.run != CF_RUN_OK || cf_mode_family(p.mode) != CF_FAMILY_URING)
				continue;
			for (unsigned i = 0; i < history.nacts; i++) {
				const struct cf_act_rec *x = &history.acts[i];

				r += x->kind == CF_ACT_END_DRAIN;
				/* releases (`wait go`) and task ends (`wait exit`) */
				if (x->kind == CF_ACT_OP && x->op_kind == CF_OP_WAIT &&
				    (x->a[CF_W_HOW] == CF_WAIT_GO || x->a[CF_W_HOW] == CF_WAIT_EXIT))
					tag_go[k] += 1e-9 * (double)(x->t1 - x->t0);
			}
			tag_rounds[k] += r;
			tag_quiet[k] += 1e-9 * (double)cf_uring_teardown_stats()->quiet_ns;
		}
		cpu[c] += cpu_self() - ca;
		cpu_main[c] += cpu_thread() - cm;
		n[c]++;
		execs++;
		/* io_uring teardowns that ran into their deadline; rings kept clean;
		 * teardown rounds, and those that ended with requests still
		 * outstanding before the deadline (they waited out the quiet bound) */
		if (outcome.run == CF_RUN_OK && cf_mode_family(p.mode) == CF_FAMILY_URING) {
			for (unsigned k = 0; k < history.nacts; k++)
				if (history.acts[k].kind == CF_ACT_END_DRAIN) {
					rounds[c]++;
					quiet[c] += history.acts[k].res > 0 && !history.acts[k].unsettled;
					if (history.acts[k].res > 0 && !history.acts[k].unsettled &&
					    getenv("CF_SHOW_QUIET"))
						cf_history_write(&history, stderr);
				}
			for (unsigned k = 0; k < history.nacts; k++)
				if (history.acts[k].kind == CF_ACT_END_DRAIN && history.acts[k].unsettled) {
					late++;
					if (getenv("CF_SHOW_LATE"))
						cf_history_write(&history, stderr);
					break;
				}
			kept += history.ring_reset;
			quiet_s[c] += 1e-9 * (double)cf_uring_teardown_stats()->quiet_ns;
		}
		for (unsigned i = 0; i < outcome.nfeatures; i++) {
			unsigned f = outcome.features[i];

			if (!(seen[f >> 3] & (1u << (f & 7)))) {
				seen[f >> 3] |= (uint8_t)(1u << (f & 7));
				behaviours++;
				fresh = 1;
			}
		}
		if (fresh && outcome.run == CF_RUN_OK)
			add_corpus(&rng, &p);
		if (cost_aware) {
			double spent = cpu_self() - ca;

			cf_cost_charge(&cost, CF_MODE_SQPOLL, sq);
			cf_cost_note(&cost, p.mode, spent > sq ? spent - sq : 0,
				     (unsigned)behaviours - found);
		}
	}
	total = now() - t0;
	printf("campaign seconds=%.1f execs=%llu execs_per_sec=%.0f behaviours=%llu "
	       "cpu_us_per_exec=%.1f teardown_deadline_hits=%llu uring_rings_kept=%llu\n", total,
	       execs, execs / total, behaviours, 1e6 * (cpu_self() - c0) / (double)execs, late, kept);
	for (int c = 0; c < C__COUNT; c++)
		printf("class name=%s execs=%llu exec_share=%.3f wall_share=%.3f mean_us=%.1f "
		       "cpu_us=%.1f rounds_per_exec=%.2f quiet_per_exec=%.3f quiet_us=%.1f main_cpu_us=%.1f sq_thread_cpu_us=%.1f ops_us=%.1f\n", cls_name[c], n[c],
		       (double)n[c] / (double)execs, wall[c] / total,
		       n[c] ? 1e6 * wall[c] / (double)n[c] : 0.0,
		       n[c] ? 1e6 * cpu[c] / (double)n[c] : 0.0,
		       n[c] ? (double)rounds[c] / (double)n[c] : 0.0,
		       n[c] ? (double)quiet[c] / (double)n[c] : 0.0,
		       n[c] ? 1e6 * quiet_s[c] / (double)n[c] : 0.0,
		       n[c] ? 1e6 * cpu_main[c] / (double)n[c] : 0.0,
		       n[c] ? 1e6 * cpu_sq[c] / (double)n[c] : 0.0,
		       n[c] ? 1e6 * ops_s[c] / (double)n[c] : 0.0);
	for (int k = 0; k < 2; k++)
		printf("tag name=%s execs=%llu exec_share=%.3f wall_share=%.3f mean_us=%.1f "
		       "rounds_per_exec=%.2f quiet_us=%.1f go_exit_us=%.1f\n",
		       k ? "task-actor" : "race-group", tag_n[k], (double)tag_n[k] / (double)execs,
		       tag_wall[k] / total, tag_n[k] ? 1e6 * tag_wall[k] / (double)tag_n[k] : 0.0,
		       tag_n[k] ? (double)tag_rounds[k] / (double)tag_n[k] : 0.0,
		       tag_n[k] ? 1e6 * tag_quiet[k] / (double)tag_n[k] : 0.0,
		       tag_n[k] ? 1e6 * tag_go[k] / (double)tag_n[k] : 0.0);
	return 0;
}

/* ---- part 2: the floor, one seed per class, event-driven waits only ---- */

static struct io_uring ring_plain, ring_sqpoll;
static char buf[64];
static aio_context_t aio_ctx;

static void wait_cqes(struct io_uring *r, unsigned n)
{
	struct io_uring_cqe *cqe;

	for (unsigned i = 0; i < n; i++) {
		must(io_uring_wait_cqe(r, &cqe) == 0, "wait_cqe");
		io_uring_cqe_seen(r, cqe);
	}
}

static void end_uring(struct io_uring *r)
{
	struct cf_sync_cancel_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
	reg.timeout.tv_nsec = 100000000;
	syscall(__NR_io_uring_register, r->ring_fd, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
}

static void pipe_up(struct io_uring *r, int fds[2])
{
	must(pipe2(fds, O_CLOEXEC) == 0, "pipe");
	if (r)
		must(io_uring_register_files_update(r, 0, fds, 2) >= 0, "files_update");
}

static void pipe_down(struct io_uring *r, int fds[2])
{
	int none[2] = { -1, -1 };

	close(fds[0]);
	close(fds[1]);
	if (r)
		io_uring_register_files_update(r, 0, none, 2);
}

/* read, cancel it by user_data, both CQEs (001 and, on an SQPOLL ring, 004) */
static void read_cancel(struct io_uring *r)
{
	struct io_uring_sqe *sqe;
	int fds[2];

	pipe_up(r, fds);
	sqe = io_uring_get_sqe(r);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, 1);
	io_uring_submit(r);
	io_uring_prep_cancel64(io_uring_get_sqe(r), 1, 0);
	io_uring_submit_and_wait(r, 2);
	wait_cqes(r, 2);
	end_uring(r);
	pipe_down(r, fds);
}

static void floor_default(void) { read_cancel(&ring_plain); }
static void floor_sqpoll(void) { read_cancel(&ring_sqpoll); }

/* 023: read linked to a 1 ms link timeout that expires */
static void floor_timers(void)
{
	static struct __kernel_timespec ts = { 0, 1000000 };
	struct io_uring_sqe *sqe;
	int fds[2];

	pipe_up(&ring_plain, fds);
	sqe = io_uring_get_sqe(&ring_plain);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_IO_LINK;
	io_uring_prep_link_timeout(io_uring_get_sqe(&ring_plain), &ts, 0);
	io_uring_submit_and_wait(&ring_plain, 2);
	wait_cqes(&ring_plain, 2);
	end_uring(&ring_plain);
	pipe_down(&ring_plain, fds);
}

/* 011: an async read of a regular file in io-wq, then a cancel */
static void floor_iowq(void)
{
	static const char content[] = "cancelfuzz regular file content\n";
	struct io_uring_sqe *sqe;
	int fd = memfd_create("floor", MFD_CLOEXEC);

	must(fd >= 0 && write(fd, content, sizeof(content) - 1) > 0, "memfd");
	sqe = io_uring_get_sqe(&ring_plain);
	io_uring_prep_read(sqe, fd, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_ASYNC;
	sqe->user_data = 1;
	io_uring_submit(&ring_plain);
	for (int i = 0; i < 16; i++)
		io_uring_enter(ring_plain.ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL);
	io_uring_prep_cancel64(io_uring_get_sqe(&ring_plain), 1, 0);
	io_uring_submit_and_wait(&ring_plain, 2);
	wait_cqes(&ring_plain, 2);
	end_uring(&ring_plain);
	close(fd);
}

static int child_main(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* 042: a waitid request on a child, canceled; the child then killed and
 * its exit waited for on its pidfd */
static void floor_child(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	static siginfo_t info;
	struct io_uring_sqe *sqe;
	int pidfd = -1;
	pid_t pid = clone(child_main, stack + sizeof(stack), CLONE_VM | CLONE_PIDFD | SIGCHLD,
			  NULL, &pidfd);
	struct pollfd pfd;

	must(pid > 0, "clone");
	sqe = io_uring_get_sqe(&ring_plain);
	io_uring_prep_rw(IORING_OP_WAITID, sqe, pid, NULL, P_PID, (unsigned long)&info);
	sqe->file_index = WEXITED;
	sqe->user_data = 1;
	io_uring_submit(&ring_plain);
	io_uring_prep_cancel64(io_uring_get_sqe(&ring_plain), 1, 0);
	io_uring_submit_and_wait(&ring_plain, 2);
	wait_cqes(&ring_plain, 2);
	end_uring(&ring_plain);
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	pfd = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	poll(&pfd, 1, -1);
	waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED);
	close(pidfd);
}

/* 301: a native AIO poll, io_cancel, io_getevents for its event */
static void floor_aio(void)
{
	struct iocb cb, *cbs[1] = { &cb };
	struct io_event ev;
	int fds[2];

	pipe_up(NULL, fds);
	memset(&cb, 0, sizeof(cb));
	cb.aio_lio_opcode = IOCB_CMD_POLL;
	cb.aio_fildes = (uint32_t)fds[0];
	cb.aio_buf = POLLIN;
	cb.aio_data = 1;
	must(syscall(SYS_io_submit, aio_ctx, 1, cbs) == 1, "io_submit");
	syscall(SYS_io_cancel, aio_ctx, &cb, &ev);
	must(syscall(SYS_io_getevents, aio_ctx, 1, 1, &ev, NULL) == 1, "io_getevents");
	pipe_down(NULL, fds);
}

/* 201: two aio_reads on an empty pipe, aio_cancel of the second, its
 * error and return, then the first ended by EOF and waited for */
static void floor_posix(void)
{
	static struct aiocb cb[2];
	const struct aiocb *list[1] = { &cb[0] };
	int fds[2];

	pipe_up(NULL, fds);
	for (int i = 0; i < 2; i++) {
		memset(&cb[i], 0, sizeof(cb[i]));
		cb[i].aio_fildes = fds[0];
		cb[i].aio_buf = buf;
		cb[i].aio_nbytes = sizeof(buf);
		cb[i].aio_sigevent.sigev_notify = SIGEV_NONE;
		must(aio_read(&cb[i]) == 0, "aio_read");
	}
	aio_cancel(fds[0], &cb[1]);
	aio_error(&cb[1]);
	aio_return(&cb[1]);
	close(fds[1]);
	while (aio_error(&cb[0]) == EINPROGRESS)
		aio_suspend(list, 1, NULL);
	aio_return(&cb[0]);
	close(fds[0]);
}

static const struct {
	enum cls c;
	const char *seed;
	void (*floor)(void);
} cases[] = {
	{ C_DEFAULT, "001-basic-cancel-read.cfp", floor_default },
	{ C_SQPOLL, "004-basic-cancel-sqpoll.cfp", floor_sqpoll },
	{ C_TIMERS, "023-link-timeout-expires.cfp", floor_timers },
	{ C_IOWQ, "011-ealready-iowq-running.cfp", floor_iowq },
	{ C_CHILD, "042-cancel-waitid.cfp", floor_child },
	{ C_AIO, "301-aio-cancel-poll.cfp", floor_aio },
	{ C_POSIX, "201-aio-cancel-queued.cfp", floor_posix },
};


#define PER_ROUND 100
#define MAX_ROUNDS 64

static int floors(int rounds, const char *seeds)
{
	struct io_uring_params p;

	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;
	must(io_uring_queue_init(8, &ring_plain, 0) == 0, "ring");
	must(io_uring_register_files_sparse(&ring_plain, 16) == 0, "files");
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 1;
	must(io_uring_queue_init_params(8, &ring_sqpoll, &p) == 0, "sqpoll ring");
	must(io_uring_register_files_sparse(&ring_sqpoll, 16) == 0, "files");
	must(syscall(SYS_io_setup, 8, &aio_ctx) == 0, "io_setup");
	for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char path[4096], err[256];
		struct cf_program prog;
		uint8_t bytes[CF_MAX_ENCODED];
		size_t len;
		double wh[MAX_ROUNDS], wf[MAX_ROUNDS], ch[MAX_ROUNDS], cf[MAX_ROUNDS];

		snprintf(path, sizeof(path), "%s/%s", seeds, cases[k].seed);
		if (cf_load_program(path, &prog, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		len = cf_encode(&prog, bytes, sizeof(bytes));
		for (int r = 0; r < rounds; r++) {
			double t0 = now(), c0 = cpu_self();

			for (int i = 0; i < PER_ROUND; i++) {
				cf_target_run(bytes, len, CF_SPEC_KERNEL, &outcome, &history);
				if (outcome.run != CF_RUN_OK) {
					fprintf(stderr, "bench_classes: %s: %s\n", cases[k].seed,
						outcome.why);
					return 3;
				}
			}
			wh[r] = (now() - t0) * 1e6 / PER_ROUND;
			ch[r] = (cpu_self() - c0) * 1e6 / PER_ROUND;
			t0 = now();
			c0 = cpu_self();
			for (int i = 0; i < PER_ROUND; i++)
				cases[k].floor();
			wf[r] = (now() - t0) * 1e6 / PER_ROUND;
			cf[r] = (cpu_self() - c0) * 1e6 / PER_ROUND;
		}
		double mh = cf_median(wh, rounds), mf = cf_median(wf, rounds);
		double mch = cf_median(ch, rounds), mcf = cf_median(cf, rounds);

		printf("floor class=%s program=%s harness_us=%.1f floor_us=%.1f ratio=%.2f "
		       "harness_cpu_us=%.1f floor_cpu_us=%.1f cpu_ratio=%.2f\n",
		       cls_name[cases[k].c], cases[k].seed, mh, mf, mh / mf, mch, mcf, mch / mcf);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "campaign") == 0)
		return campaign(atof(argv[2]), argv[3]);
	if (argc == 4 && strcmp(argv[1], "floor") == 0)
		return floors(atoi(argv[2]), argv[3]);
	fprintf(stderr, "usage: bench_classes campaign SECONDS SEEDS_DIR\n"
			"       bench_classes floor ROUNDS SEEDS_DIR\n");
	return 2;
}
