/* Speed against the syscall floor. For three seed programs, the harness
 * (decode, run on a real ring, record, judge, behaviour features) against a
 * hand-written loop that issues the same program's syscalls directly on the
 * same kind of ring: resources, one fixed-file update, the submits, the
 * teardown's sync ANY|ALL cancel, closes. Rounds alternate harness and floor
 * so drift hits both. Also: cost against program length. Not a test:
 * scripts/bench/bench_speed.sh runs it and writes docs/benchmarks.md. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "median.h"
#include "abi.h"
#include "input.h"
#include "mutate.h"
#include "target.h"

#define ROUNDS 10
#define PER_ROUND 200

static struct io_uring ring;
static struct cf_outcome outcome;
static struct cf_history history;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "bench_speed: %s failed: %s\n", what, strerror(errno));
		exit(3);
	}
}

static void submit(void)
{
	must(io_uring_submit(&ring) >= 0, "submit");
}

static void reap(void)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(&ring, head, cqe)
		n++;
	io_uring_cq_advance(&ring, n);
}

static void sync_cancel_all(void)
{
	struct cf_sync_cancel_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
	reg.timeout.tv_nsec = 100000000;
	syscall(__NR_io_uring_register, ring.ring_fd, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
	reap();
}

static void pair(int fds[2], int socket)
{
	must((socket ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)
		     : pipe2(fds, O_CLOEXEC)) == 0, "pipe/socketpair");
}

static void register_fds(const int *fds, unsigned n)
{
	must(io_uring_register_files_update(&ring, 0, (int *)fds, n) >= 0, "files_update");
}

static void close_all(int *fds, unsigned n)
{
	int none[16];

	for (unsigned i = 0; i < n; i++) {
		close(fds[i]);
		none[i] = -1;
	}
	register_fds(none, n);
}

static char buf[64];

/* 001: read on an empty pipe, cancel it by user_data. */
static void floor_001(void)
{
	int fds[2];
	struct io_uring_sqe *sqe;

	pair(fds, 0);
	register_fds(fds, 2);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	sqe->user_data = 1;
	submit();
	io_uring_prep_cancel64(io_uring_get_sqe(&ring), 1, 0);
	submit();
	reap();
	sync_cancel_all();
	close_all(fds, 2);
}

/* 013: four requests, three sharing user_data 2, one CANCEL_ALL by 2. */
static void floor_013(void)
{
	int fds[8];
	struct io_uring_sqe *sqe;

	pair(fds, 0);
	pair(fds + 2, 0);
	pair(fds + 4, 1);
	pair(fds + 6, 1);
	register_fds(fds, 8);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	sqe->user_data = 2;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recv(sqe, fds[4], buf, sizeof(buf), 0);
	sqe->user_data = 2;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(sqe, fds[2], POLLIN);
	sqe->user_data = 2;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fds[6], buf, sizeof(buf), 0);
	sqe->user_data = 3;
	submit();
	io_uring_prep_cancel64(io_uring_get_sqe(&ring), 2, IORING_ASYNC_CANCEL_ALL);
	submit();
	reap();
	sync_cancel_all();
	close_all(fds, 8);
}

/* 026: multishot poll, one write, cancel by user_data. */
static void floor_026(void)
{
	int fds[2];
	struct io_uring_sqe *sqe;

	pair(fds, 0);
	register_fds(fds, 2);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_poll_multishot(sqe, fds[0], POLLIN);
	sqe->user_data = 1;
	submit();
	must(write(fds[1], "c", 1) == 1, "write");
	reap();
	io_uring_prep_cancel64(io_uring_get_sqe(&ring), 1, 0);
	submit();
	reap();
	sync_cancel_all();
	close_all(fds, 2);
}

static const struct {
	const char *seed;
	void (*floor)(void);
} cases[] = {
	{ "001-basic-cancel-read.cfp", floor_001 },
	{ "013-cancel-all-shared-ud.cfp", floor_013 },
	{ "026-multishot-poll-cancel.cfp", floor_026 },
};

static void harness_run(const uint8_t *bytes, size_t len)
{
	cf_target_run(bytes, len, CF_SPEC_KERNEL, &outcome, NULL);
	if (outcome.run != CF_RUN_OK || outcome.j.verdict == CF_VERDICT_VIOLATION) {
		fprintf(stderr, "bench_speed: harness run failed: %s\n", outcome.why);
		exit(3);
	}
}

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}


/* Per round and per execution: wall and CPU (user + kernel, this thread)
 * microseconds of the harness, of cf_execute alone, and of the floor. The
 * median round is reported: other load on the machine hits single rounds. */
static void against_floor(const char *seeds)
{
	for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char path[4096], err[256], why[256];
		struct cf_program prog;
		uint8_t bytes[1024];
		size_t len;
		double wh[ROUNDS], we[ROUNDS], wf[ROUNDS], ch[ROUNDS], cf[ROUNDS];

		snprintf(path, sizeof(path), "%s/%s", seeds, cases[c].seed);
		if (cf_load_program(path, &prog, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			exit(2);
		}
		len = cf_encode(&prog, bytes, sizeof(bytes));
		for (int r = 0; r < ROUNDS; r++) {
			double t0 = now(), c0 = cpu_now();

			for (int i = 0; i < PER_ROUND; i++)
				harness_run(bytes, len);
			wh[r] = (now() - t0) * 1e6 / PER_ROUND;
			ch[r] = (cpu_now() - c0) * 1e6 / PER_ROUND;
			t0 = now();
			c0 = cpu_now();
			for (int i = 0; i < PER_ROUND; i++)
				cases[c].floor();
			wf[r] = (now() - t0) * 1e6 / PER_ROUND;
			cf[r] = (cpu_now() - c0) * 1e6 / PER_ROUND;
			t0 = now();
			for (int i = 0; i < PER_ROUND; i++)
				cf_execute(&prog, &history, why, sizeof(why));
			we[r] = (now() - t0) * 1e6 / PER_ROUND;
		}
		double mh = cf_median(wh, ROUNDS), mf = cf_median(wf, ROUNDS), mch = cf_median(ch, ROUNDS),
		       mcf = cf_median(cf, ROUNDS);

		printf("floor program=%s harness_us=%.1f execute_only_us=%.1f floor_us=%.1f ratio=%.2f "
		       "harness_cpu_us=%.1f floor_cpu_us=%.1f cpu_ratio=%.2f\n",
		       cases[c].seed, mh, cf_median(we, ROUNDS), mf, mh / mf, mch, mcf, mch / mcf);
	}
}

/* Generated non-racy default-mode programs of n ops: microseconds per execution. */
static void against_length(void)
{
	static const unsigned lengths[] = { 8, 16, 32, 64 };
	struct cf_swarm swarm;

	cf_swarm_all(&swarm);
	for (unsigned m = 0; m < CF_MODE__COUNT; m++)
		swarm.mode_on[m] = m == CF_MODE_DEFAULT;
	/* Real timers, io-wq and DRAIN would measure waiting, not the harness. */
	swarm.req_on[CF_REQ_TIMEOUT_SHORT] = swarm.req_on[CF_REQ_LINK_TIMEOUT_SHORT] = 0;
	swarm.req_on[CF_REQ_READ_FILE] = 0;
	for (unsigned l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
		struct cf_rng rng = { 0x5eed0000u + lengths[l] };
		double t = 0;
		unsigned runs = 0;

		while (runs < 2000) {
			struct cf_program p;
			uint8_t bytes[1024];
			size_t len;
			double t0;

			cf_generate(&rng, &swarm, &p);
			while (p.nops < lengths[l])
				cf_mutate(&rng, &swarm, &p);
			p.nops = (uint8_t)lengths[l];
			len = cf_encode(&p, bytes, sizeof(bytes));
			t0 = now();
			cf_target_run(bytes, len, CF_SPEC_KERNEL, &outcome, NULL);
			t += now() - t0;
			runs++;
		}
		printf("length ops=%u runs=%u us_per_exec=%.1f us_per_op=%.2f\n", lengths[l], runs,
		       1e6 * t / runs, 1e6 * t / runs / lengths[l]);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_speed SEEDS_DIR\n");
		return 2;
	}
	must(io_uring_queue_init(8, &ring, 0) == 0, "io_uring_queue_init");
	must(io_uring_register_files_sparse(&ring, 16) == 0, "register_files_sparse");
	against_floor(argv[1]);
	against_length();
	io_uring_queue_exit(&ring);
	return 0;
}
