/* Ring cache (ring.h) and the few raw ring accesses liburing 2.3 does not expose. */
#include "ring.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

#define ENTRY_SIZES 4
static struct cf_ring *cache[CF_MODE__COUNT][ENTRY_SIZES];

uint32_t cf_mode_setup_flags(uint8_t mode)
{
	switch (mode) {
	case CF_MODE_COOP: return IORING_SETUP_COOP_TASKRUN;
	case CF_MODE_DEFER: return IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	case CF_MODE_SQPOLL: return IORING_SETUP_SQPOLL;
	case CF_MODE_SMALLCQ: return IORING_SETUP_CQSIZE;
	default: return 0;
	}
}

/* Every SQPOLL ring attaches to the SQ thread of this one (never used by a
 * program, kept for the life of the process): one poller instead of one per
 * ring size, and no new kernel thread when a ring is discarded. Only one
 * ring is in use at a time, so the poller serves just that one. -1 until the
 * first SQPOLL ring, or when the kernel refuses to share (then each ring
 * has its own thread, as before). AFL++ builds define CF_NO_SQ_ANCHOR and
 * never share: there the shared thread made the whole target 4x slower
 * (fuzzers/engines.cmake). */
static struct io_uring sq_anchor;
static int sq_anchor_state; /* 0 not tried, 1 live, -1 unavailable */
#define MAX_THREADS 256 /* threads looked at when the anchor is made */
static clockid_t sq_thread_clock; /* the shared SQ thread's CPU clock, when known */
static int sq_thread_clock_known;

/* The ids of this process's threads, at most max. */
static unsigned thread_ids(int *tids, unsigned max)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/task");
	unsigned n = 0;

	while (d && (e = readdir(d)) && n < max)
		if (atoi(e->d_name) > 0)
			tids[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	return n;
}

/* The anchor's SQ thread is the one thread that was not there before it
 * was made: setup makes it before it returns, and nothing else makes
 * threads meanwhile (the anchor's fdinfo names the process, not the
 * thread: its "SqThread:" is the tgid here; and the thread may not have
 * named itself "iou-sqp-" yet). Its CPU clock: Linux encodes a thread's
 * as ~tid << 3 | CPUCLOCK_PERTHREAD | CPUCLOCK_SCHED, readable by any
 * thread of the process. Not found (another thread came or went): no
 * clock, and its CPU stays counted where it is spent. */
static void find_sq_thread(const int *before, unsigned nbefore)
{
	int now[MAX_THREADS], tid = -1;
	unsigned n = thread_ids(now, MAX_THREADS), fresh = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned k = 0;

		while (k < nbefore && before[k] != now[i])
			k++;
		if (k == nbefore) {
			tid = now[i];
			fresh++;
		}
	}
	if (fresh == 1) {
		sq_thread_clock = (clockid_t)((~(unsigned)tid) << 3) | 6;
		sq_thread_clock_known = 1;
	}
}

long long cf_ring_sq_thread_cpu_ns(void)
{
	struct timespec t;

	if (sq_anchor_state != 1 || !sq_thread_clock_known ||
	    clock_gettime(sq_thread_clock, &t) != 0)
		return -1;
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int sq_anchor_fd(void)
{
	struct io_uring_params p;
	int before[MAX_THREADS];
	unsigned nbefore;

#ifdef CF_NO_SQ_ANCHOR
	sq_anchor_state = -1;
#endif
	if (sq_anchor_state == 0) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 1;
		nbefore = thread_ids(before, MAX_THREADS);
		sq_anchor_state = io_uring_queue_init_params(1, &sq_anchor, &p) == 0 ? 1 : -1;
		if (sq_anchor_state == 1 && nbefore < MAX_THREADS)
			find_sq_thread(before, nbefore);
	}
	return sq_anchor_state == 1 ? sq_anchor.ring_fd : -1;
}

static int ring_create(struct cf_ring *r, uint8_t mode, uint8_t entries)
{
	struct io_uring_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = cf_mode_setup_flags(mode);
	if (mode == CF_MODE_SQPOLL) {
		p.sq_thread_idle = 1; /* ms: an idle poller spins on a core we need */
		p.wq_fd = (uint32_t)sq_anchor_fd();
		if ((int)p.wq_fd >= 0)
			p.flags |= IORING_SETUP_ATTACH_WQ;
	}
	if (mode == CF_MODE_SMALLCQ)
		p.cq_entries = entries;
	ret = io_uring_queue_init_params(entries, &r->ring, &p);
	if (ret < 0)
		return ret;
	r->live = 1;
	r->mode = mode;
	r->entries = entries;
	r->setup_flags = p.flags;
	ret = io_uring_register_files_sparse(&r->ring, CF_FIXED_SLOTS);
	if (ret < 0) {
		io_uring_queue_exit(&r->ring);
		r->live = 0;
		return ret;
	}
	r->bufs = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->bufs == MAP_FAILED)
		r->bufs = NULL;
	return 0;
}

int cf_ring_make_second(struct cf_ring *r, uint8_t mode, uint8_t entries, int floor)
{
	struct io_uring_params p;
	int ret, high;

	memset(r, 0, sizeof(*r));
	memset(&p, 0, sizeof(p));
	p.flags = cf_mode_setup_flags(mode);
	if (mode == CF_MODE_SQPOLL)
		p.sq_thread_idle = 1;
	if (mode == CF_MODE_SMALLCQ)
		p.cq_entries = entries;
	ret = io_uring_queue_init_params(entries, &r->ring, &p);
	if (ret < 0)
		return ret;
	high = fcntl(r->ring.ring_fd, F_DUPFD_CLOEXEC, floor);
	if (high >= 0) {
		close(r->ring.ring_fd);
		r->ring.ring_fd = high;
		r->ring.enter_ring_fd = high;
	}
	r->live = 1;
	r->mode = mode;
	r->entries = entries;
	r->setup_flags = p.flags;
	return 0;
}

void cf_ring_end_second(struct cf_ring *r, int close_fd)
{
	if (!r->live)
		return;
	if (!close_fd)
		r->ring.ring_fd = r->ring.enter_ring_fd = -1; /* queue_exit's close is a no-op */
	io_uring_queue_exit(&r->ring);
	r->live = 0;
}

int cf_ring_get(uint8_t mode, uint8_t entries, struct cf_ring **out)
{
	unsigned code = cf_entries_code(entries);
	struct cf_ring *r;
	int ret;

	if (mode >= CF_MODE__COUNT)
		return -EINVAL;
	r = cache[mode][code];
	if (r && r->live) {
		*out = r;
		return 0;
	}
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return -ENOMEM;
		cache[mode][code] = r;
	}
	ret = ring_create(r, mode, entries);
	if (ret < 0)
		return ret;
	*out = r;
	return 0;
}

static int fresh_rings = -1; /* -1: not decided yet, CF_FRESH_RING decides */

void cf_ring_fresh_each_run(int on)
{
	fresh_rings = !!on;
}

/* A fresh ring rules out state carried from one execution to the next on a
 * reused ring, at the cost of a ring setup per execution. */
int cf_ring_fresh_wanted(void)
{
	if (fresh_rings < 0) {
		const char *v = getenv("CF_FRESH_RING");

		fresh_rings = v && *v && strcmp(v, "0") != 0;
	}
	return fresh_rings;
}

void cf_ring_discard(struct cf_ring *r)
{
	if (!r->live)
		return;
	io_uring_queue_exit(&r->ring);
	if (r->bufs)
		munmap(r->bufs, 4096);
	r->bufs = NULL;
	r->bufs_registered = 0;
	r->live = 0;
}

void cf_ring_release_all(void)
{
	for (int m = 0; m < CF_MODE__COUNT; m++)
		for (int e = 0; e < ENTRY_SIZES; e++) {
			if (!cache[m][e])
				continue;
			cf_ring_discard(cache[m][e]);
			free(cache[m][e]);
			cache[m][e] = NULL;
		}
	if (sq_anchor_state == 1)
		io_uring_queue_exit(&sq_anchor);
	sq_anchor_state = 0;
	sq_thread_clock_known = 0;
}

/* Unmapping and closing in the child leaves the parent's rings alone: the
 * files stay open through the parent's fds, and munmap is per process. */
void cf_ring_forget_all(void)
{
	cf_ring_release_all();
}

int cf_ring_refill_buffers(struct cf_ring *r)
{
	struct io_uring_buf_reg reg;
	int ret;

	if (!r->bufs)
		return -ENOMEM;
	if (r->bufs_registered) {
		io_uring_unregister_buf_ring(&r->ring, CF_BUF_GROUP);
		r->bufs_registered = 0;
	}
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)r->bufs;
	reg.ring_entries = CF_BUF_COUNT;
	reg.bgid = CF_BUF_GROUP;
	io_uring_buf_ring_init(r->bufs);
	ret = io_uring_register_buf_ring(&r->ring, &reg, 0);
	if (ret < 0)
		return ret;
	r->bufs_registered = 1;
	for (int i = 0; i < CF_BUF_COUNT; i++)
		io_uring_buf_ring_add(r->bufs, r->buf_mem[i], CF_BUF_SIZE, (unsigned short)i,
				      io_uring_buf_ring_mask(CF_BUF_COUNT), i);
	io_uring_buf_ring_advance(r->bufs, CF_BUF_COUNT);
	return 0;
}

unsigned cf_ring_flush_sq(struct cf_ring *r)
{
	struct io_uring_sq *sq = &r->ring.sq;
	unsigned tail = sq->sqe_tail;

	if (sq->sqe_head != tail) {
		sq->sqe_head = tail;
		io_uring_smp_store_release(sq->ktail, tail);
	}
	return tail - io_uring_smp_load_acquire(sq->khead);
}

unsigned cf_ring_sq_head(struct cf_ring *r)
{
	return io_uring_smp_load_acquire(r->ring.sq.khead);
}

unsigned cf_ring_cq_tail(struct cf_ring *r)
{
	return io_uring_smp_load_acquire(r->ring.cq.ktail);
}

int cf_ring_wait_sq_consumed(struct cf_ring *r, long long deadline_ns)
{
	while (cf_ring_flush_sq(r) > 0) {
		if (cf_now_ns() >= deadline_ns)
			return -ETIME;
		if (IO_URING_READ_ONCE(*r->ring.sq.kflags) & IORING_SQ_NEED_WAKEUP)
			syscall(__NR_io_uring_enter, r->ring.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP,
				NULL, 0);
		else
			sched_yield();
	}
	return 0;
}

int cf_ring_cq_overflow(struct cf_ring *r)
{
	return !!(IO_URING_READ_ONCE(*r->ring.sq.kflags) & IORING_SQ_CQ_OVERFLOW);
}

int cf_ring_enter(struct cf_ring *r, unsigned to_submit, unsigned min_complete,
		  unsigned flags, long long ts_ns)
{
	struct __kernel_timespec ts;
	struct io_uring_getevents_arg arg;
	void *argp = NULL;
	size_t argsz = 0;
	long ret;

	if (ts_ns > 0) {
		ts.tv_sec = ts_ns / 1000000000LL;
		ts.tv_nsec = ts_ns % 1000000000LL;
		memset(&arg, 0, sizeof(arg));
		arg.ts = (unsigned long)&ts;
		argp = &arg;
		argsz = sizeof(arg);
		flags |= IORING_ENTER_EXT_ARG;
	}
	if ((r->setup_flags & IORING_SETUP_SQPOLL) &&
	    (IO_URING_READ_ONCE(*r->ring.sq.kflags) & IORING_SQ_NEED_WAKEUP))
		flags |= IORING_ENTER_SQ_WAKEUP;
	ret = syscall(__NR_io_uring_enter, r->ring.ring_fd, to_submit, min_complete,
		      flags, argp, argsz);
	return ret < 0 ? -errno : (int)ret;
}
