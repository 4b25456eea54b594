/* The io_uring backend (backend.h): each op on a real ring of the running
 * kernel, every SQE consumed and CQE posted recorded the moment it is seen,
 * then a teardown that accounts for every request and leaves the ring
 * verified clean for the next execution. */
#include "backend.h"

#include <errno.h>
#include <stddef.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "clock.h"
#include "complete.h"
#include "direct.h"
#include "executor.h"
#include "probe.h"
#include "resources.h"
#include "ring.h"

#define UD_BUCKETS (CF_UD_POOL + CF_MAX_OPS)

struct uring_state {
	struct cf_history *h;
	struct cf_ring *ring;
	struct cf_resources *rs;
	unsigned sq_base, cq_base;
	unsigned sqe_count, sub_seen, cq_seen;
	unsigned finals; /* final CQEs (no F_MORE) of known user_data seen so far */
	int chain_skip;  /* the chain being consumed has a CQE_SKIP_SUCCESS member */
	int16_t sqe_req[CF_MAX_REQS];
	uint16_t final_expected[UD_BUCKETS], final_seen[UD_BUCKETS];
	uint16_t silent_maybe[UD_BUCKETS]; /* consumed, may post no CQE (CQE_SKIP_SUCCESS) */
	uint8_t bufs_ready;
	long long quiet_ns; /* the teardown's bound on a wait when nothing is owed */
	void (*others)(void *arg); /* the actors' task work (backend.h teardown) */
	void *others_arg;
	const struct cf_program *prog;
	/* The second ring (actor kind thread1, slot ring1): 0 not made, 1
	 * live, 2 its fd closed by the program (still mapped). */
	uint8_t ring1_state;
	uint8_t tasks_ended; /* bit per task actor that ended (`wait exit`) */
	/* The second ring's SQEs in SQ order: request index, -1 a cancel
	 * (unrecorded); how many the kernel consumed so far (cov3 branch) */
	int16_t ring1_sqe_req[2 * CF_MAX_OPS];
	unsigned ring1_sqes, ring1_sub_seen;
	uint8_t direct_used; /* an O_DIRECT transfer was submitted: no cancel ends it, the device does (same bound) */
	struct cf_ring ring1;
	/* Memory the kernel reads or writes after submission lives here. */
	struct __kernel_timespec ts[CF_MAX_REQS];
	uint8_t buf[CF_MAX_REQS][CF_BUF_SIZE];
	siginfo_t winfo[CF_MAX_REQS];
	struct futex_waitv waitv[CF_MAX_REQS];
	struct msghdr msg[CF_MAX_REQS]; /* recvmsg_multi: no name, no control */
	struct iovec iov[CF_MAX_REQS];  /* readv_direct, writev_direct */
	uint8_t sigbuf[CF_MAX_REQS][CF_SIGINFO_SIZE]; /* a read on the signalfd slot */
};

static struct uring_state state; /* one execution at a time per process */
static struct cf_teardown_stats tstats;

const struct cf_teardown_stats *cf_uring_teardown_stats(void)
{
	return &tstats;
}

static int ud_bucket(uint64_t ud)
{
	if ((ud & 0xff00000000000000ull) == CF_UD_CANCEL_BASE &&
	    (ud & 0x00ffffffffffffffull) < CF_MAX_OPS)
		return CF_UD_POOL + (int)(ud & 0xff);
	for (unsigned i = 0; i < CF_UD_POOL; i++)
		if (cf_ud_value(i) == ud)
			return (int)i;
	return -1;
}

static int is_accept(unsigned req)
{
	return req == CF_REQ_ACCEPT || req == CF_REQ_ACCEPT_MULTI;
}

/* IOSQE_CQE_SKIP_SUCCESS on a request, or (odd=skip_success) on an SQE cancel. */
static int req_skips(const struct cf_req_rec *r)
{
	return r->req == CF_REQ_CANCEL ? r->api != CF_CANCEL_SYNC && (r->odd & CF_ODD_SKIP)
				       : !!(r->sqe_flags & CF_SQE_SKIP);
}

static void note_submitted_upto(struct uring_state *x, unsigned act, unsigned head)
{
	unsigned consumed = head - x->sq_base;

	while (x->sub_seen < consumed && x->sub_seen < x->sqe_count) {
		struct cf_req_rec *r = &x->h->reqs[x->sqe_req[x->sub_seen++]];
		int b = ud_bucket(r->user_data);

		int skip = req_skips(r);
		int links = r->req == CF_REQ_CANCEL ? !!(r->odd & CF_ODD_LINK)
						    : !!(r->sqe_flags & (CF_SQE_LINK | CF_SQE_HARDLINK));

		r->sub_act = (int16_t)act;
		/* IOSQE_CQE_SKIP_SUCCESS: no CQE is owed, one may come (a
		 * failure); the members linked behind it post none when it fails */
		if (b >= 0 && !skip && !x->chain_skip)
			x->final_expected[b]++;
		else if (b >= 0)
			x->silent_maybe[b]++;
		x->chain_skip = links && (x->chain_skip || skip);
	}
	/* a chain left open at the end of a submit is cut there: the next
	 * submit's chain owes its CQEs whatever this one skipped (seed 501; on
	 * SQPOLL the thread's batches are not seen) */
	if (!(x->ring->setup_flags & IORING_SETUP_SQPOLL))
		x->chain_skip = 0;
}

static void note_submitted(struct uring_state *x, unsigned act)
{
	note_submitted_upto(x, act, cf_ring_sq_head(x->ring));
}

static void record_cqe(struct uring_state *x, const struct io_uring_cqe *cqe, unsigned act)
{
	struct cf_history *h = x->h;
	int b = ud_bucket(cqe->user_data);

	if (b >= 0 && !(cqe->flags & IORING_CQE_F_MORE)) {
		x->final_seen[b]++;
		x->finals++;
	}
	if (cqe->res >= 0 && b >= 0 && b < CF_UD_POOL) {
		for (unsigned i = 0; i < h->nreqs; i++)
			if (is_accept(h->reqs[i].req) && h->reqs[i].user_data == cqe->user_data) {
				cf_res_note_accepted(x->rs, cqe->res);
				break;
			}
	}
	if (h->ncqes >= CF_MAX_CQES) {
		h->cqes_lost = 1;
		return;
	}
	h->cqes[h->ncqes++] = (struct cf_cqe_rec){
		.user_data = cqe->user_data, .res = cqe->res,
		.flags = cqe->flags, .act = (uint16_t)act,
	};
}

/* Record what became visible during action `act`: consumed SQEs, new CQEs. */
/* CQEs up to tail, under act; SQEs consumed are left to whoever entered. */
static void observe_upto(struct uring_state *x, unsigned act, unsigned tail)
{
	struct io_uring_cq *cq = &x->ring->ring.cq;

	while ((int)(tail - x->cq_seen) > 0) {
		record_cqe(x, &cq->cqes[x->cq_seen & *cq->kring_mask], act);
		x->cq_seen++;
	}
}

static void observe(struct uring_state *x, unsigned act)
{
	struct io_uring_cq *cq = &x->ring->ring.cq;
	unsigned tail;

	note_submitted(x, act);
	tail = cf_ring_cq_tail(x->ring);
	while (x->cq_seen != tail) {
		record_cqe(x, &cq->cqes[x->cq_seen & *cq->kring_mask], act);
		x->cq_seen++;
	}
	x->h->acts[act].overflow = (uint8_t)cf_ring_cq_overflow(x->ring);
}

static unsigned reap(struct uring_state *x)
{
	unsigned n = x->cq_seen - *x->ring->ring.cq.khead;

	io_uring_cq_advance(&x->ring->ring, n);
	return n;
}

/* Requests whose final CQE has not been seen, counting SQEs the kernel has
 * not consumed yet (SQPOLL consumes them on its own time). */
static unsigned outstanding(const struct uring_state *x)
{
	unsigned missing = x->sqe_count - x->sub_seen;

	for (int b = 0; b < UD_BUCKETS; b++) {
		/* a CQE_SKIP_SUCCESS request that failed posts a CQE of the same
		 * user_data as an owed one: that CQE settles nothing */
		unsigned want = x->final_expected[b] +
				(x->final_expected[b] ? x->silent_maybe[b] : 0);

		if (want > x->final_seen[b])
			missing += want - x->final_seen[b];
	}
	return missing;
}

/* What is still counted outstanding may never come: every SQE is consumed
 * and every user_data has had at least its owed final CQEs, so the rest
 * are CQEs IOSQE_CQE_SKIP_SUCCESS requests post only when they fail. */
static int only_silent_left(const struct uring_state *x)
{
	if (x->sub_seen < x->sqe_count)
		return 0;
	for (int b = 0; b < UD_BUCKETS; b++)
		if (x->final_seen[b] < x->final_expected[b])
			return 0;
	return 1;
}

/* Has every request of ring 0 posted its final CQE, those with
 * IOSQE_CQE_SKIP_SUCCESS (or behind one in a chain) too? Then no CQE of
 * theirs can come any more: every SQE is consumed, every user_data has
 * as many final CQEs as requests, every request has a user_data the
 * accounting knows, and no msg_ring (its message CQEs are no request's)
 * was queued on either ring. */
static int all_posted(const struct uring_state *x)
{
	const struct cf_history *h = x->h;

	if (x->sub_seen < x->sqe_count || outstanding(x) > 0)
		return 0;
	for (int b = 0; b < UD_BUCKETS; b++)
		if (x->silent_maybe[b] && x->final_seen[b] < x->final_expected[b] + x->silent_maybe[b])
			return 0;
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];

		if (r->req == CF_REQ_MSG_RING || r->req == CF_REQ_MSG_RING_SKIP)
			return 0;
		if (!r->ring && r->sub_act >= 0 && !(r->req == CF_REQ_CANCEL && r->api == CF_CANCEL_SYNC) &&
		    ud_bucket(r->user_data) < 0)
			return 0;
	}
	return 1;
}

/* Is a request an ended task submitted still without its final CQE (by
 * its user_data's count)? Its task work runs in a kworker (io_fallback_tw),
 * a jiffy or more late. */
static int ended_task_req_left(const struct uring_state *x)
{
	const struct cf_history *h = x->h;

	for (unsigned i = 0; x->tasks_ended && i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		int b = ud_bucket(r->user_data);

		if (r->sub_act < 0 || b < 0 || !(x->tasks_ended & (1u << h->acts[r->sub_act].actor)))
			continue;
		if (x->final_seen[b] < x->final_expected[b] + (x->final_expected[b] ? x->silent_maybe[b] : 0))
			return 1;
	}
	return 0;
}

static void claim_sqe(struct uring_state *x, const struct cf_history *h)
{
	x->sqe_req[x->sqe_count++] = (int16_t)(h->nreqs - 1);
}

static uint8_t map_sqe_flags(uint8_t f)
{
	uint8_t out = 0;

	if (f & CF_SQE_LINK) out |= IOSQE_IO_LINK;
	if (f & CF_SQE_HARDLINK) out |= IOSQE_IO_HARDLINK;
	if (f & CF_SQE_ASYNC) out |= IOSQE_ASYNC;
	if (f & CF_SQE_DRAIN) out |= IOSQE_IO_DRAIN;
	if (f & CF_SQE_FIXED) out |= IOSQE_FIXED_FILE;
	if (f & CF_SQE_SKIP) out |= IOSQE_CQE_SKIP_SUCCESS;
	return out;
}

static const clockid_t clock_ids[CF_CLOCK__COUNT] = {
	CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME, CLOCK_MONOTONIC,
};
static const uint32_t clock_flags[CF_CLOCK__COUNT] = {
	0, IORING_TIMEOUT_BOOTTIME, IORING_TIMEOUT_REALTIME,
	IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME, /* two clocks: -EINVAL */
};

/* A duration code as the kernel reads it: relative, or now + duration on
 * the clock the timer runs on (IORING_TIMEOUT_ABS). */
static void fill_time(struct __kernel_timespec *ts, unsigned code, int abs, unsigned clock)
{
	uint64_t ns = cf_duration_ns(code);

	if (abs) {
		struct timespec now;

		clock_gettime(clock_ids[clock], &now);
		ns += (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	}
	ts->tv_sec = (long long)(ns / 1000000000ull);
	ts->tv_nsec = (long long)(ns % 1000000000ull);
}

/* The remove, update and timer kinds: what their slot byte says
 * (program.h, enum cf_req_shape). */
static void prep_timer_kind(struct io_uring_sqe *sqe, const struct cf_op *op,
			    struct __kernel_timespec *ts)
{
	unsigned req = op->a[CF_Q_REQ], b = op->a[CF_Q_SLOT];
	uint64_t target = cf_ud_value(b & CF_T_TARGET_MASK);
	uint32_t tf;

	switch (cf_req_shape(req)) {
	case CF_SHAPE_POLLUPD: {
		/* io_poll_remove_prep: addr the target, len the update flags,
		 * off the new user_data, poll32_events the new mask */
		uint32_t pf = ((b & CF_PU_EVENTS) ? IORING_POLL_UPDATE_EVENTS : 0) |
			      ((b & CF_PU_USER_DATA) ? IORING_POLL_UPDATE_USER_DATA : 0) |
			      ((b & CF_PU_MULTI) ? IORING_POLL_ADD_MULTI : 0);

		io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, (void *)(uintptr_t)target, pf,
				 (b & CF_PU_USER_DATA) ? target : 0);
		sqe->poll32_events = (b & CF_PU_POLLOUT) ? POLLOUT : (b & CF_PU_EVENTS) ? POLLIN : 0;
		break;
	}
	case CF_SHAPE_REMOVE:
		io_uring_prep_rw(req == CF_REQ_POLL_REMOVE ? IORING_OP_POLL_REMOVE : IORING_OP_TIMEOUT_REMOVE,
				 sqe, -1, (void *)(uintptr_t)target, 0, 0);
		/* fields the prep functions check (cov3 branch) */
		if (b & CF_R_LEN)
			sqe->len = 8;
		if (b & CF_R_BUF_INDEX)
			sqe->buf_index = 1;
		if (b & CF_R_SPLICE_FD)
			sqe->splice_fd_in = 1;
		if (b & CF_R_TFLAGS)
			sqe->timeout_flags = IORING_TIMEOUT_ABS;
		break;
	case CF_SHAPE_UPDATE:
		fill_time(ts, (b >> CF_T_UPD_TIME_SHIFT) & CF_T_TIME_MASK, !!(b & CF_T_UPD_ABS),
			  CF_CLOCK_MONO);
		/* addr: the target's user_data, addr2 (off): the new time */
		io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, (void *)(uintptr_t)target, 0,
				 (uintptr_t)ts);
		/* a link-timeout update is an update too: without
		 * IORING_TIMEOUT_UPDATE the kernel takes it for a remove */
		sqe->timeout_flags = IORING_TIMEOUT_UPDATE |
				     (req == CF_REQ_LINK_TIMEOUT_UPDATE ? IORING_LINK_TIMEOUT_UPDATE : 0) |
				     ((b & CF_T_UPD_ABS) ? IORING_TIMEOUT_ABS : 0);
		if (op->a[CF_Q_FLAGS] & CF_U_LEN)
			sqe->len = 1;
		if (op->a[CF_Q_FLAGS] & CF_U_ALLFLAGS)
			sqe->timeout_flags = ~0u;
		break;
	case CF_SHAPE_TIMER: {
		unsigned clock = (b >> CF_T_CLOCK_SHIFT) & 3;

		fill_time(ts, b & CF_T_TIME_MASK, !!(b & CF_T_ABS), clock);
		tf = clock_flags[clock] | ((b & CF_T_ABS) ? IORING_TIMEOUT_ABS : 0) |
		     ((b & CF_T_ETIME_SUCCESS) ? IORING_TIMEOUT_ETIME_SUCCESS : 0) |
		     (req == CF_REQ_TIMEOUT_MULTI ? IORING_TIMEOUT_MULTISHOT : 0);
		/* len 1 timespec; off the count (a link timeout's must be 0) */
		io_uring_prep_rw(req == CF_REQ_LINK_TIMEOUT ? IORING_OP_LINK_TIMEOUT : IORING_OP_TIMEOUT,
				 sqe, -1, ts, 1, cf_queue_count(op));
		sqe->timeout_flags = tf;
		break;
	}
	}
	if (b & CF_T_BAD)
		sqe->ioprio = 1;
}

/* Pick the fd a request or cancel names: fixed index or the program's fd. */
#define RING1_FD_FLOOR 600 /* above the program's numbers, below the tasks' pidfds */

/* Make the second ring if it is not there yet: 0, or -errno (-EBADF once
 * the program closed it). */
static int ring1_ready(struct uring_state *x)
{
	int ret;

	if (x->ring1_state == 1 && x->rs->closed[CF_SLOT_RING1])
		x->ring1_state = 2;
	if (x->ring1_state)
		return x->ring1_state == 1 ? 0 : -EBADF;
	ret = cf_ring_make_second(&x->ring1, x->h->mode, x->h->entries, RING1_FD_FLOOR);
	if (ret < 0)
		return ret;
	x->ring1_state = 1;
	x->rs->ring1_fd = x->ring1.ring.ring_fd;
	return 0;
}

/* A CQE read from the second ring (a request's there, or a msg_ring's
 * message), recorded under act with ring=1. */
static void record_ring1_cqe(struct uring_state *x, uint64_t ud, int res, uint32_t flags, unsigned act)
{
	struct cf_history *h = x->h;

	if (h->ncqes >= CF_MAX_CQES) {
		h->cqes_lost = 1;
		return;
	}
	h->cqes[h->ncqes++] = (struct cf_cqe_rec){ .user_data = ud, .res = res, .flags = flags,
						   .act = (uint16_t)act, .req = -1, .ring = 1 };
}

static int is_cancel_ud(uint64_t ud)
{
	return (ud & 0xff00000000000000ull) == CF_UD_CANCEL_BASE;
}

/* SQEs of the second ring its enters consumed so far: their requests'
 * sub_act is act. */
static void note_ring1_submitted(struct uring_state *x, unsigned act)
{
	unsigned head;

	/* also once a thread1 actor's exit closed it (state 2): its rings stay
	 * mapped until ring1_end, and an SQPOLL thread may have consumed SQEs
	 * after the enter that queued them returned (blind rediscovery run,
	 * b6bc1b4b: never recorded, so their CQEs had no submitted request) */
	if (!x->ring1_state)
		return;
	head = cf_ring_sq_head(&x->ring1);
	while (x->ring1_sub_seen < head && x->ring1_sub_seen < x->ring1_sqes) {
		int i = x->ring1_sqe_req[x->ring1_sub_seen++];

		if (i >= 0)
			x->h->reqs[i].sub_act = (int16_t)act;
	}
}

/* Consume the second ring's visible CQEs, recording all but the CQEs of
 * ring-1 cancels (their results are their acts'). */
static unsigned ring1_collect(struct uring_state *x, unsigned act)
{
	struct io_uring_cqe *cqe;
	unsigned n = 0;

	while (io_uring_peek_cqe(&x->ring1.ring, &cqe) == 0 && cqe) {
		if (!is_cancel_ud(cqe->user_data))
			record_ring1_cqe(x, cqe->user_data, cqe->res, cqe->flags, act);
		io_uring_cqe_seen(&x->ring1.ring, cqe);
		n++;
	}
	return n;
}

/* Final CQEs owed on the second ring: consumed requests minus final CQEs
 * recorded from it. */
static unsigned ring1_owed(const struct uring_state *x)
{
	unsigned want = 0, got = 0;

	for (unsigned i = 0; i < x->h->nreqs; i++) /* CQE_SKIP_SUCCESS: none may come */
		want += x->h->reqs[i].ring && x->h->reqs[i].sub_act >= 0 &&
			!(x->h->reqs[i].sqe_flags & CF_SQE_SKIP);
	for (unsigned c = 0; c < x->h->ncqes; c++)
		got += x->h->cqes[c].ring && !cf_is_msg_ud(x->h->cqes[c].user_data) &&
		       !(x->h->cqes[c].flags & IORING_CQE_F_MORE);
	return want > got ? want - got : 0;
}

/* The second ring's teardown, a0's: submit what is left, cancel
 * everything (sync ANY|ALL), and read CQEs until every consumed request
 * has its final one, or 100 ms; what it reads is recorded under act. */
static void ring1_teardown(struct uring_state *x, unsigned act)
{
	struct cf_sync_cancel_reg reg;

	(void)cf_ring_enter(&x->ring1, cf_ring_flush_sq(&x->ring1), 0, 0, 0);
	note_ring1_submitted(x, act);
	if (!x->ring1_sqes)
		return;
	cf_sync_cancel_fill(&reg, 0, -1, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL, 0, 0);
	(void)syscall(__NR_io_uring_register, x->ring1.ring.ring_fd, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
	for (int round = 0; round < 20; round++) {
		if (x->others)
			x->others(x->others_arg); /* completions that are an actor's task work */
		(void)cf_ring_enter(&x->ring1, 0, ring1_owed(x) ? 1 : 0, IORING_ENTER_GETEVENTS,
				    ring1_owed(x) ? 5000000LL : 0);
		ring1_collect(x, act);
		if (!ring1_owed(x))
			break;
	}
}

static void ring1_end(struct uring_state *x)
{
	if (x->ring1_state) {
		unsigned last = x->h->nacts ? x->h->nacts - 1 : 0;

		/* DEFER_TASKRUN: a message is task work of the ring's
		 * submitter (a0, which made it) until a0 asks for events */
		if (x->ring1_state == 1 && !x->rs->closed[CF_SLOT_RING1]) {
			(void)cf_ring_enter(&x->ring1, 0, 0, IORING_ENTER_GETEVENTS, 0);
			ring1_teardown(x, last);
		}
		note_ring1_submitted(x, last); /* closed: what its SQ thread took */
		ring1_collect(x, last);
	}
	if (x->ring1_state)
		cf_ring_end_second(&x->ring1, x->ring1_state == 1 && !x->rs->closed[CF_SLOT_RING1]);
	x->ring1_state = 0;
	x->ring1_sqes = x->ring1_sub_seen = 0;
	x->rs->ring1_fd = -1;
}

static int slot_fd(struct uring_state *x, unsigned slot, int fixed)
{
	int fd = (slot == CF_SLOT_RING1 && ring1_ready(x) < 0) ? -1 : cf_res_fd(x->rs, slot);

	return fixed ? (int)slot : fd;
}

static void prep_request(struct uring_state *x, struct io_uring_sqe *sqe,
			 const struct cf_op *op, unsigned id)
{
	unsigned req = op->a[CF_Q_REQ];
	int fixed = !!(op->a[CF_Q_FLAGS] & CF_SQE_FIXED);
	int fd = cf_req_shape(req) == CF_SHAPE_SLOT ? slot_fd(x, op->a[CF_Q_SLOT], fixed) : -1;
	void *buf = x->buf[id];
	struct __kernel_timespec *ts = &x->ts[id];

	switch (req) {
	case CF_REQ_NOP:
		io_uring_prep_nop(sqe);
		break;
	case CF_REQ_READ:
		/* signalfd_read() refuses less than one struct signalfd_siginfo */
		if (op->a[CF_Q_SLOT] == CF_SLOT_SIGNALFD)
			io_uring_prep_read(sqe, fd, x->sigbuf[id], CF_SIGINFO_SIZE, 0);
		else
			io_uring_prep_read(sqe, fd, buf, CF_BUF_SIZE, 0);
		break;
	case CF_REQ_RECV:
		io_uring_prep_recv(sqe, fd, buf, CF_BUF_SIZE, 0);
		break;
	case CF_REQ_WRITE:
		io_uring_prep_write(sqe, fd, "w", 1, 0);
		break;
	case CF_REQ_POLL:
		io_uring_prep_poll_add(sqe, fd, POLLIN);
		break;
	case CF_REQ_POLL_MULTI:
		io_uring_prep_poll_multishot(sqe, fd, POLLIN);
		break;
	case CF_REQ_ACCEPT:
		io_uring_prep_accept(sqe, fd, NULL, NULL, SOCK_CLOEXEC);
		break;
	case CF_REQ_ACCEPT_MULTI:
		io_uring_prep_multishot_accept(sqe, fd, NULL, NULL, SOCK_CLOEXEC);
		break;
	case CF_REQ_RECV_MULTI:
		if (!x->bufs_ready && cf_ring_refill_buffers(x->ring) == 0)
			x->bufs_ready = 1;
		io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = CF_BUF_GROUP;
		break;
	case CF_REQ_RECVMSG_MULTI:
		/* IORING_OP_RECVMSG with IORING_RECV_MULTISHOT: each buffer holds
		 * a struct io_uring_recvmsg_out, then the payload */
		if (!x->bufs_ready && cf_ring_refill_buffers(x->ring) == 0)
			x->bufs_ready = 1;
		memset(&x->msg[id], 0, sizeof(x->msg[id]));
		io_uring_prep_recvmsg(sqe, fd, &x->msg[id], 0);
		sqe->ioprio |= IORING_RECV_MULTISHOT;
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = CF_BUF_GROUP;
		break;
	case CF_REQ_TIMEOUT_LONG:
	case CF_REQ_TIMEOUT_SHORT:
		*ts = req == CF_REQ_TIMEOUT_LONG ? (struct __kernel_timespec){ 60, 0 }
						 : (struct __kernel_timespec){ 0, 1000000 };
		io_uring_prep_timeout(sqe, ts, 0, 0);
		break;
	case CF_REQ_LINK_TIMEOUT_LONG:
	case CF_REQ_LINK_TIMEOUT_SHORT:
		*ts = req == CF_REQ_LINK_TIMEOUT_LONG ? (struct __kernel_timespec){ 60, 0 }
						      : (struct __kernel_timespec){ 0, 1000000 };
		io_uring_prep_link_timeout(sqe, ts, 0);
		break;
	case CF_REQ_FUTEX_WAIT:
		/* fd carries futex2 flags, off the expected value, addr3 the mask */
		io_uring_prep_rw(IORING_OP_FUTEX_WAIT, sqe, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE,
				 &x->rs->futex_word, 0, 0);
		sqe->addr3 = FUTEX_BITSET_MATCH_ANY;
		break;
	case CF_REQ_WAITID: {
		pid_t child = cf_res_child(x->rs);
		/* fd carries the pid, len the idtype, file_index the options */
		io_uring_prep_rw(IORING_OP_WAITID, sqe, child > 0 ? child : 0, NULL, P_PID,
				 (unsigned long)&x->winfo[id]);
		sqe->file_index = WEXITED;
		break;
	}
	case CF_REQ_READ_FILE:
		io_uring_prep_read(sqe, slot_fd(x, CF_SLOT_FILE, fixed), buf, CF_BUF_SIZE, 0);
		sqe->flags |= IOSQE_ASYNC;
		break;
	case CF_REQ_CONNECT:
		(void)cf_res_fd(x->rs, CF_SLOT_LISTENER); /* the listener is made on first use */
		io_uring_prep_connect(sqe, fd, (struct sockaddr *)&x->rs->listen_addr,
				      sizeof(x->rs->listen_addr));
		break;
	case CF_REQ_FUTEX_WAITV:
		/* one waiter on the futex word, expecting its value 0 */
		x->waitv[id] = (struct futex_waitv){ .val = 0, .uaddr = (uintptr_t)&x->rs->futex_word,
						     .flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE };
		io_uring_prep_rw(IORING_OP_FUTEX_WAITV, sqe, 0, &x->waitv[id], 1, 0);
		break;
	case CF_REQ_WAITID_ALL:
		/* any child (the execution's, started here if need be); WNOWAIT
		 * leaves it to the harness */
		(void)cf_res_child(x->rs);
		io_uring_prep_rw(IORING_OP_WAITID, sqe, 0, NULL, P_ALL, (unsigned long)&x->winfo[id]);
		sqe->file_index = WEXITED | WNOWAIT;
		break;
	case CF_REQ_READV_DIRECT:
	case CF_REQ_WRITEV_DIRECT: {
		/* one iovec of 64 KiB at chunk id % 64 of the O_DIRECT file: a
		 * bio the block layer completes, on no cancel list */
		int dfd = cf_direct_fd(NULL, 0);

		x->iov[id] = (struct iovec){ cf_direct_buf(id), CF_DIRECT_CHUNK };
		io_uring_prep_rw(req == CF_REQ_READV_DIRECT ? IORING_OP_READV : IORING_OP_WRITEV, sqe,
				 dfd, &x->iov[id], 1, (uint64_t)(id % CF_DIRECT_CHUNKS) * CF_DIRECT_CHUNK);
		sqe->flags |= map_sqe_flags(op->a[CF_Q_FLAGS] & ~CF_SQE_FIXED); /* its fd is no slot */
		io_uring_sqe_set_data64(sqe, cf_ud_value(op->a[CF_Q_UD]));
		return;
	}
	case CF_REQ_MSG_RING:
	case CF_REQ_MSG_RING_SKIP: {
		/* IORING_MSG_DATA: the named ring gets a CQE whose user_data and
		 * res say who sent it (cf_msg_ud); _SKIP asks for none there */
		unsigned opi = (unsigned)x->h->acts[x->h->reqs[id].act].op_index;

		io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, (void *)(uintptr_t)IORING_MSG_DATA,
				 CF_MSG_LEN_BASE | opi, cf_msg_ud(op->a[CF_Q_SLOT], opi));
		if (req == CF_REQ_MSG_RING_SKIP)
			sqe->msg_ring_flags = IORING_MSG_RING_CQE_SKIP;
		break;
	}
	default:
		prep_timer_kind(sqe, op, ts);
		break;
	}
	sqe->flags |= map_sqe_flags(op->a[CF_Q_FLAGS]);
	io_uring_sqe_set_data64(sqe, cf_ud_value(op->a[CF_Q_UD]));
}

/* A queue op on ring 0, or (on_ring1, a thread1 actor's) on the second ring. */
static int do_queue(struct uring_state *x, const struct cf_op *op, unsigned act, int on_ring1)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(on_ring1 ? &x->ring1.ring : &x->ring->ring);
	struct cf_req_rec *r;

	if (!sqe || (on_ring1 && x->ring1_sqes >= sizeof(x->ring1_sqe_req) / sizeof(x->ring1_sqe_req[0])))
		return -EBUSY; /* SQ full: no request is created */
	r = cf_history_new_req(x->h, act, op->a[CF_Q_REQ]);
	r->ring = (uint8_t)!!on_ring1;
	/* read_file always reads the regular file, whatever slot the op names;
	 * the remove, update and timer kinds name none (their slot byte is
	 * read from the act's arguments) */
	r->slot = r->req == CF_REQ_READ_FILE || cf_req_is_direct(r->req) ? CF_SLOT_FILE
		  : cf_req_shape(r->req) != CF_SHAPE_SLOT ? CF_SLOT_BADFD : op->a[CF_Q_SLOT];
	r->fixed = !!(op->a[CF_Q_FLAGS] & CF_SQE_FIXED) && !cf_req_is_direct(r->req);
	r->sqe_flags = op->a[CF_Q_FLAGS] & CF_SQE__MASK; /* a timer's count stays in its act */
	if (cf_req_is_direct(r->req))
		r->sqe_flags &= (uint8_t)~CF_SQE_FIXED; /* the O_DIRECT file is in no fixed table */
	r->slot_closed = x->rs->closed[r->slot];
	r->user_data = cf_ud_value(op->a[CF_Q_UD]);
	prep_request(x, sqe, op, x->h->nreqs - 1);
	if (on_ring1)
		x->ring1_sqe_req[x->ring1_sqes++] = (int16_t)(x->h->nreqs - 1);
	else
		claim_sqe(x, x->h);
	return 0;
}

static uint32_t map_cancel_flags(uint8_t b)
{
	return (b & 0x7fu) | ((b & 0x80u) ? (1u << 31) : 0);
}

/* The IORING_REGISTER_SYNC_CANCEL argument of a program's sync cancel:
 * both keys, the flags, the opcode when canceling by opcode, and the odd
 * fields asked for. */
void cf_sync_cancel_fill(struct cf_sync_cancel_reg *reg, uint64_t key, int fd, uint32_t flags,
			 unsigned opcode, unsigned odd)
{
	memset(reg, 0, sizeof(*reg));
	reg->addr = key;
	reg->fd = fd;
	reg->flags = flags;
	/* Before 6.6 the opcode byte is padding the kernel wants zero: writing
	 * it always made every sync cancel fail -EINVAL on 6.1. */
	if (flags & IORING_ASYNC_CANCEL_OP)
		reg->opcode = (uint8_t)opcode;
	reg->timeout.tv_sec = (odd & CF_ODD_BUF_SELECT) ? 0 : 1;
	if (odd & CF_ODD_OFF)
		reg->pad[0] = 1;
	if (odd & CF_ODD_SPLICE_FD)
		reg->pad2[0] = 1;
}

/* A cancel op: its request record, and its SQE or (sync) its syscall. With
 * call, a sync cancel's syscall is left to the actor: call is filled. */
static int do_cancel(struct uring_state *x, const struct cf_op *op, unsigned act, unsigned op_index,
		     struct cf_call *call)
{
	unsigned api = op->a[CF_C_API], odd = op->a[CF_C_ODD], slot = op->a[CF_C_SLOT];
	uint32_t flags = map_cancel_flags(op->a[CF_C_FLAGS]);
	uint64_t key = cf_ud_value(op->a[CF_C_UD]);
	int fixed = !!(flags & IORING_ASYNC_CANCEL_FD_FIXED);
	int fd = slot_fd(x, slot, fixed);
	int ring1 = call && call->ring1; /* on the second ring: no record, the act's res says it all */
	struct cf_ring *ring = ring1 ? &x->ring1 : x->ring;
	struct io_uring_sqe *sqe = NULL;
	struct cf_req_rec *r, unrecorded;

	if (api != CF_CANCEL_SYNC) {
		sqe = io_uring_get_sqe(&ring->ring);
		if (!sqe)
			return -EBUSY;
	}
	if (ring1) {
		memset(&unrecorded, 0, sizeof(unrecorded));
		r = &unrecorded;
	} else {
		r = cf_history_new_req(x->h, act, CF_REQ_CANCEL);
	}
	r->api = (uint8_t)api;
	r->slot = (uint8_t)slot;
	r->fixed = (uint8_t)fixed;
	r->opreq = op->a[CF_C_OPREQ];
	r->odd = (uint8_t)odd;
	r->slot_closed = x->rs->closed[slot];
	r->key_ud = key;
	r->cancel_flags = flags;
	if (api == CF_CANCEL_SYNC) {
		struct cf_sync_cancel_reg reg;
		long sret;

		cf_sync_cancel_fill(&reg, key, fd, flags, cf_req_opcode(r->opreq), odd);
		if (call) {
			call->kind = CF_CALL_REGISTER;
			call->fd = ring->ring.ring_fd;
			call->reg = reg;
			return 0;
		}
		sret = syscall(__NR_io_uring_register, x->ring->ring.ring_fd,
			       IORING_REGISTER_SYNC_CANCEL, &reg, 1);
		return sret < 0 ? -errno : (int)sret;
	}
	r->user_data = CF_UD_CANCEL_BASE | op_index;
	if (api == CF_CANCEL_SQE)
		io_uring_prep_cancel(sqe, (void *)(uintptr_t)key, (int)flags);
	else if (api == CF_CANCEL_SQEFD)
		io_uring_prep_cancel_fd(sqe, fd, flags);
	else
		io_uring_prep_cancel64(sqe, key, (int)flags);
	/* Both keys always present: the flags decide which the kernel reads. */
	sqe->addr = key;
	sqe->fd = fd;
	r->cancel_flags = sqe->cancel_flags;
	if (sqe->cancel_flags & IORING_ASYNC_CANCEL_OP)
		sqe->len = cf_req_opcode(r->opreq);
	if (odd & CF_ODD_OFF) sqe->off = 1;
	if (odd & CF_ODD_SPLICE_FD) sqe->splice_fd_in = 1;
	if (odd & CF_ODD_BUF_SELECT) sqe->flags |= IOSQE_BUFFER_SELECT;
	if (odd & CF_ODD_ASYNC) sqe->flags |= IOSQE_ASYNC;
	if (odd & CF_ODD_LINK) sqe->flags |= IOSQE_IO_LINK;
	if (odd & CF_ODD_IOPRIO) sqe->ioprio = 1;
	if (odd & CF_ODD_SKIP) sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	io_uring_sqe_set_data64(sqe, r->user_data);
	if (ring1) {
		if (x->ring1_sqes < sizeof(x->ring1_sqe_req) / sizeof(x->ring1_sqe_req[0]))
			x->ring1_sqe_req[x->ring1_sqes++] = -1;
		/* published here, by a0: a task1's copy of the ring's state does
		 * not know of the SQE (the SQ itself is shared) */
		call->to_submit = cf_ring_flush_sq(&x->ring1);
		call->sqe_pos = x->ring1.ring.sq.sqe_tail - 1;
		call->kind = CF_CALL_RING1_CANCEL;
		return 0;
	}
	claim_sqe(x, x->h);
	return 0;
}

static int do_wait(struct uring_state *x, const struct cf_op *op, unsigned act)
{
	switch (op->a[CF_W_HOW]) {
	case CF_WAIT_SUBMIT:
		return io_uring_submit(&x->ring->ring);
	case CF_WAIT_SUBMIT_N:
		return cf_ring_enter(x->ring, cf_ring_flush_sq(x->ring), op->a[CF_W_N],
				     IORING_ENTER_GETEVENTS, CF_WAIT_TIMEOUT_NS);
	case CF_WAIT_GETEVENTS:
		return cf_ring_enter(x->ring, 0, 0, IORING_ENTER_GETEVENTS, 0);
	case CF_WAIT_REAP:
		observe(x, act); /* CQEs that arrived since the last look come first */
		return (int)reap(x);
	}
	return -EINVAL;
}

/* What the teardown promises the oracle (docs/history-format.md, "What
 * the teardown promises the oracle"). Each round is: from the second on,
 * run the task's pending task work (DEFER_TASKRUN issues deferred requests
 * only then), one synchronous ANY|ALL cancel (end_cancel), and a drain
 * (end_drain) that
 *   - on an SQPOLL ring first waits for the poller to consume every SQE;
 *   - returns the moment nothing is outstanding;
 *   - while the cancel's CQEs are owed (N canceled: N final CQEs), sleeps in
 *     io_uring_enter for exactly those, each wait bounded by CF_QUIET_NS
 *     (the kernel's count is not a promise: D02);
 *   - once nothing is owed, waits for the next CQE at most the quiet bound:
 *     CF_QUIET_NS while the round has seen nothing move (its cancel found
 *     nothing, no CQE came), else a bound that starts at CF_QUIET_MIN_NS
 *     and doubles with every round that ends with requests outstanding,
 *     up to CF_QUIET_NS: a request in
 *     transit (task work, io-wq hand-off, poll re-arm) or issued behind a
 *     link or DRAIN raises no event to wait for, and the next round's
 *     cancel is what finds it (SQPOLL: CF_QUIET_NS from the start);
 *   - or ends at the deadline (end_drain says unsettled=1).
 * Two stricter rules made false findings in --spec kernel campaigns:
 * cancelling again at once whenever a CQE arrived used up the 16 rounds on
 * DRAIN chains, and waiting for the owed CQEs without the quiet bound hung
 * until the deadline when the kernel counted a request whose CQE it had
 * already posted (D02). A round in which nothing moved never ends sooner
 * than before, and the growing bound brings later rounds back to 2 ms,
 * while the common case, one request released by the first cancel, waits
 * 0.2 ms instead of 2 (tests/test_teardown.c). */
static int sqpoll(const struct uring_state *x)
{
	return !!(x->ring->setup_flags & IORING_SETUP_SQPOLL);
}

/* Run the task work pending for this task (min_complete 0: no wait) and
 * record what it posts under the act under way. */
static void run_task_work(struct uring_state *x, unsigned act)
{
	cf_ring_enter(x->ring, 0, 0, IORING_ENTER_GETEVENTS, 0);
	observe(x, act);
}

static int used_skip(const struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (req_skips(&h->reqs[i]))
			return 1;
	return 0;
}

static unsigned teardown_round(struct uring_state *x, int round, long long deadline_ns, int *late,
			       int *moved)
{
	struct cf_history *h = x->h;
	struct cf_sync_cancel_reg reg;
	struct cf_req_rec *r;
	unsigned act;
	unsigned finals0, canceled, cq_round;
	long ret;

	unsigned cq_start = x->cq_seen;

	*moved = 1;
	/* Not before the first: the program's last act decides what the
	 * teardown finds (seed 111: a CQE still in DEFER task work). */
	if (round > 0) {
		/* and the actors': with COOP_TASKRUN nothing wakes an idle actor
		 * to complete what the last cancel canceled of its requests */
		if (x->others) {
			x->others(x->others_arg);
			tstats.actor_turns++;
		}
		run_task_work(x, h->nacts - 1);
		if (outstanding(x) == 0)
			return 0;
	}
	act = cf_history_begin_act(h, CF_ACT_END_CANCEL, -1);
	tstats.rounds++;
	r = cf_history_new_req(x->h, act, CF_REQ_CANCEL);
	r->api = CF_CANCEL_SYNC;
	r->cancel_flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
	memset(&reg, 0, sizeof(reg));
	reg.flags = r->cancel_flags;
	reg.timeout.tv_nsec = 100000000;
	finals0 = x->finals;
	cq_round = x->cq_seen;
	ret = syscall(__NR_io_uring_register, x->ring->ring.ring_fd,
		      IORING_REGISTER_SYNC_CANCEL, &reg, 1);
	h->acts[act].res = ret < 0 ? -errno : (int)ret;
	canceled = ret > 0 ? (unsigned)ret : 0;
	observe(x, act);

	act = cf_history_begin_act(h, CF_ACT_END_DRAIN, -1);
	long long last_final_ns = cf_now_ns();
	unsigned finals_seen = x->finals;

	for (;;) {
		unsigned arrived, before, owed;
		long long left, bound;
		int got;

		observe(x, act);
		reap(x);
		/* with IOSQE_CQE_SKIP_SUCCESS nothing is owed, yet the requests
		 * the cancel counted each post a CQE: wait for those too */
		if ((outstanding(x) == 0 && (!used_skip(h) || x->finals - finals0 >= canceled)) ||
		    h->cqes_lost)
			break;
		left = deadline_ns - cf_now_ns();
		if (left <= 0) {
			*late = 1;
			break;
		}
		if (sqpoll(x) && x->sub_seen < x->sqe_count) {
			if (cf_ring_wait_sq_consumed(x->ring, deadline_ns) < 0)
				*late = 1;
			continue;
		}
		/* Wake for the CQEs the cancel owes (N canceled: N final CQEs), or
		 * for the next CQE once they are in; a quiet period without any
		 * CQE ends the round. The kernel's count is not a promise: it can
		 * count a request whose CQE was already posted (D02), so the owed
		 * CQEs are not waited for without the quiet bound. */
		arrived = x->finals - finals0;
		owed = arrived < canceled ? canceled - arrived : 0;
		before = x->cq_seen;
		/* Short only after something moved: a round whose cancel found
		 * nothing and that saw no CQE waits the full bound, as before. */
		bound = owed || (canceled == 0 && x->cq_seen == cq_round) ? CF_QUIET_NS
									 : x->quiet_ns;
		if (bound < CF_QUIET_TASK_NS && (ended_task_req_left(x) || x->direct_used))
			bound = CF_QUIET_TASK_NS;
		if (bound > left)
			bound = left;
		got = cf_ring_enter(x->ring, cf_ring_flush_sq(x->ring), owed ? owed : 1,
				    IORING_ENTER_GETEVENTS, bound);
		observe(x, act);
		if (got == -ETIME && x->cq_seen == before) {
			tstats.quiet_waits++;
			tstats.quiet_ns += bound;
			break;
		}
		/* a multishot (a periodic timeout) posting F_MORE CQEs is never
		 * quiet: a quiet period without a final CQE ends the round too */
		if (x->finals != finals_seen) {
			finals_seen = x->finals;
			last_final_ns = cf_now_ns();
		} else if (cf_now_ns() - last_final_ns > CF_QUIET_NS) {
			break;
		}
	}
	/* Each round that ends with requests outstanding makes the next wait for
	 * nothing twice as long (up to CF_QUIET_NS): what is in transit on a
	 * loaded machine gets as long as before in all, before the rounds run
	 * out. */
	if (outstanding(x) > 0)
		x->quiet_ns = x->quiet_ns * 2 < CF_QUIET_NS ? x->quiet_ns * 2 : CF_QUIET_NS;
	h->acts[act].res = (int32_t)outstanding(x);
	if (*late)
		h->acts[act].unsettled = 1;
	*moved = canceled > 0 || x->cq_seen != cq_start;
	return outstanding(x);
}

static void teardown(struct uring_state *x)
{
	struct cf_history *h = x->h;
	unsigned act = cf_history_begin_act(h, CF_ACT_END_SUBMIT, -1);
	int total = 0, ret = 0, late = 0;
	long long deadline_ns = cf_now_ns() + CF_DRAIN_BUDGET_MS * 1000000LL;

	/* SQPOLL: the released request's task work runs on the SQ thread, which
	 * a loaded machine may not schedule for milliseconds; short rounds there
	 * ran out and made any-all-cancels-everything findings no replay shows. */
	x->quiet_ns = sqpoll(x) ? CF_QUIET_NS : CF_QUIET_MIN_NS;
	/* A task actor that ended leaves the task work of its requests to a
	 * kworker (io_fallback_tw: a jiffy later, then a link's members a
	 * round after): a 120 s campaign saw a failed link member's CQE come
	 * after 16 rounds of 2 ms. While such a request is outstanding, the
	 * teardown waits longer for quiet. */
	x->tasks_ended = 0;
	x->direct_used = 0;
	for (unsigned i = 0; i < x->h->nreqs; i++) /* block I/O under load may take tens of ms (seed 623) */
		x->direct_used |= cf_req_is_direct(x->h->reqs[i].req) && !x->h->reqs[i].ring;
	for (unsigned a = 0; a < h->nacts; a++)
		if (h->acts[a].kind == CF_ACT_OP && h->acts[a].op_kind == CF_OP_WAIT &&
		    h->acts[a].a[CF_W_HOW] == CF_WAIT_EXIT && h->acts[a].res >= 0 &&
		    CF_ACTOR_IS_TASK(cf_actor_kind(x->prog->actors, h->acts[a].actor)))
			x->tasks_ended |= (uint8_t)(1u << h->acts[a].actor);

	for (int tries = 0; tries < 8 && cf_ring_flush_sq(x->ring) > 0; tries++) {
		ret = io_uring_submit(&x->ring->ring);
		if (ret < 0)
			break;
		total += ret;
		if (sqpoll(x))
			break; /* the poller consumes them on its own */
	}
	/* SQPOLL: the first cancel should see every request, so wait (spinning
	 * on the SQ head, never sleeping) until the poller consumed them all. */
	if (sqpoll(x) && cf_ring_wait_sq_consumed(x->ring, deadline_ns) < 0)
		late = 1;
	h->acts[act].res = ret < 0 ? ret : total;
	observe(x, act);
	/* Requests held back by DRAIN or links are issued only once those ahead
	 * complete, so each round may uncover new ones to cancel. */
	/* Two rounds in a row in which nothing moved (the cancel found
	 * nothing, no CQE came within the full quiet bound) while all that is
	 * counted outstanding is what IOSQE_CQE_SKIP_SUCCESS requests may
	 * never post end the teardown: the rounds after them found nothing
	 * either, and took 16 x 2 ms (15% of a campaign's wall time, 45
	 * executions in 15 s, 40 of them with skip_success). */
	for (int round = 0, still = 0; round < CF_TEARDOWN_ROUNDS && !late; round++) {
		int moved;

		if (teardown_round(x, round, deadline_ns, &late, &moved) == 0)
			break;
		still = !moved && only_silent_left(x) ? still + 1 : 0;
		if (still == 2)
			break;
	}
	/* With IOSQE_CQE_SKIP_SUCCESS nothing may be owed while a failed
	 * request's CQE still waits in task work (DEFER_TASKRUN runs it only
	 * at GETEVENTS): run it, and wait out one quiet period for more -
	 * unless every request, skip_success ones too, has already posted
	 * its final CQE: then none can come (a 30 s campaign spent 7.5% of
	 * its wall time in this wait with all of them in, and no CQE came). */
	for (int i = 0; i < 8 && used_skip(h) && !late && !all_posted(x); i++) {
		unsigned before = x->cq_seen;

		run_task_work(x, h->nacts - 1);
		tstats.skip_waits++;
		cf_ring_enter(x->ring, 0, 1, IORING_ENTER_GETEVENTS, CF_QUIET_NS);
		observe(x, h->nacts - 1);
		reap(x);
		if (x->cq_seen == before)
			break;
	}
	/* Nothing is owed, but CQEs nobody waits for (a failed request with
	 * IOSQE_CQE_SKIP_SUCCESS, a multishot's last F_MORE) may sit in the
	 * overflow list: flush them into the record. */
	for (int i = 0; i < 4 && cf_ring_cq_overflow(x->ring); i++) {
		run_task_work(x, h->nacts - 1);
		reap(x);
	}
}

static int used_drain(const struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].req != CF_REQ_CANCEL && (h->reqs[i].sqe_flags & CF_SQE_DRAIN))
			return 1;
	return 0;
}

static int ring_is_clean(struct uring_state *x)
{
	return outstanding(x) == 0 && cf_ring_flush_sq(x->ring) == 0 &&
	       cf_ring_sq_head(x->ring) - x->sq_base == x->sqe_count &&
	       *x->ring->ring.cq.khead == cf_ring_cq_tail(x->ring) &&
	       !cf_ring_cq_overflow(x->ring);
}

static int sigpipe_ignored;

static enum cf_status uring_start(const struct cf_program *prog, struct cf_history *h,
				  struct cf_resources *rs, char *why, size_t whylen)
{
	const struct cf_features *f = cf_probe();
	struct uring_state *x = &state;
	int ret;

	memset(&tstats, 0, sizeof(tstats));
	/* Writes to a pipe whose reader is closed must give EPIPE, not kill us. */
	if (!sigpipe_ignored) {
		signal(SIGPIPE, SIG_IGN);
		sigpipe_ignored = 1;
	}
	snprintf(h->kernel, sizeof(h->kernel), "%s", f->release);
	h->cancel_flags_supported = f->cancel_flags;
	h->has_futex = f->opcode[IORING_OP_FUTEX_WAIT];
	h->has_waitid = f->opcode[IORING_OP_WAITID];
	h->iowq_files = (uint8_t)f->iowq_files;
	if (!f->usable) {
		snprintf(why, whylen, "io_uring is not usable here: %s", f->why);
		return CF_STATUS_UNSUPPORTED;
	}
	if (f->mode_errno[prog->mode]) {
		snprintf(why, whylen, "setup mode %s is not supported by this kernel (%s)",
			 cf_mode_name(prog->mode), strerror(f->mode_errno[prog->mode]));
		return CF_STATUS_UNSUPPORTED;
	}
	if (cf_program_unsupported(prog, f, why, whylen))
		return CF_STATUS_UNSUPPORTED;
	memset(x, 0, offsetof(struct uring_state, ts));
	x->h = h;
	x->rs = rs;
	x->prog = prog;
	ret = cf_ring_get(prog->mode, prog->entries, &x->ring);
	if (ret < 0) {
		snprintf(why, whylen, "cannot create a %s ring: %s", cf_mode_name(prog->mode),
			 strerror(-ret));
		return CF_STATUS_FAILED;
	}
	h->sq_entries = x->ring->ring.sq.ring_entries;
	h->cq_entries = x->ring->ring.cq.ring_entries;
	h->ring_features = x->ring->ring.features;
	cf_res_init(rs, x->ring);
	x->sq_base = cf_ring_sq_head(x->ring);
	x->cq_seen = x->cq_base = cf_ring_cq_tail(x->ring);
	return CF_STATUS_OK;
}

static int uring_queue(const struct cf_op *op, unsigned act)
{
	return do_queue(&state, op, act, 0);
}

static int uring_cancel(const struct cf_op *op, unsigned act, unsigned index)
{
	return do_cancel(&state, op, act, index, NULL);
}

/* An op of a thread1 actor (docs/program-format.md, "Added by the actors
 * branch" and "Added by the cov3 branch"): queues, cancels and waits act
 * on the second ring (its requests are recorded with ring=1); `wait exit`
 * closes its fd; complete and close are the same as on any thread. */
static void prepare_ring1(struct uring_state *x, const struct cf_op *op, unsigned act, unsigned index,
			  struct cf_call *call)
{
	int err = ring1_ready(x);

	call->ring1 = 1;
	call->kind = CF_CALL_NONE;
	if (op->kind == CF_OP_QUEUE) { /* a request on the second ring (cov3 branch) */
		call->res = err < 0 ? err : do_queue(x, op, act, 1);
		return;
	}
	if (op->kind == CF_OP_COMPLETE || op->kind == CF_OP_CLOSE ||
	    (op->kind == CF_OP_WAIT && op->a[CF_W_HOW] == CF_WAIT_EXIT)) {
		unsigned slot = op->kind == CF_OP_WAIT ? CF_SLOT_RING1 : op->a[CF_X_SLOT];

		if (op->kind == CF_OP_COMPLETE) {
			call->ring1 = 0;
			cf_res_for_complete(x->rs, op->a[CF_D_SLOT]);
			call->kind = CF_CALL_COMPLETE;
			return;
		}
		if (slot == CF_SLOT_RING1 && err < 0) {
			call->res = err;
			return;
		}
		call->slot = slot;
		call->fd = cf_res_close_begin(x->rs, slot);
		if (call->fd < 0)
			call->res = call->fd;
		else
			call->kind = CF_CALL_CLOSE;
		return;
	}
	if (err < 0) {
		call->res = err;
		return;
	}
	if (op->kind == CF_OP_CANCEL) {
		call->res = do_cancel(x, op, act, index, call);
		if (call->res < 0)
			call->kind = CF_CALL_NONE;
		return;
	}
	switch (op->a[CF_W_HOW]) {
	case CF_WAIT_SUBMIT:
	case CF_WAIT_SUBMIT_N:
	case CF_WAIT_GETEVENTS:
		call->kind = CF_CALL_ENTER;
		call->to_submit = cf_ring_flush_sq(&x->ring1);
		if (op->a[CF_W_HOW] != CF_WAIT_SUBMIT) {
			call->flags = IORING_ENTER_GETEVENTS;
			call->min_complete = op->a[CF_W_HOW] == CF_WAIT_SUBMIT_N ? op->a[CF_W_N] : 0;
			call->ts_ns = op->a[CF_W_HOW] == CF_WAIT_SUBMIT_N ? CF_WAIT_TIMEOUT_NS : 0;
		}
		return;
	case CF_WAIT_REAP:
		call->res = (int)ring1_collect(x, act);
		return;
	}
	call->res = -EINVAL; /* go is a0's */
}

/* Ops on actors: backend.h. */
static void uring_prepare(const struct cf_op *op, unsigned act, unsigned index, struct cf_call *call)
{
	struct uring_state *x = &state;

	cf_call_begin(call, op, act);
	if (op->actor && CF_ACTOR_ON_RING1(cf_actor_kind(x->prog->actors, op->actor))) {
		prepare_ring1(x, op, act, index, call);
		return;
	}
	switch (op->kind) {
	case CF_OP_QUEUE:
		call->res = do_queue(x, op, act, 0);
		return;
	case CF_OP_CANCEL:
		call->res = do_cancel(x, op, act, index, call);
		if (call->res < 0)
			call->kind = CF_CALL_NONE;
		return;
	case CF_OP_COMPLETE:
		cf_res_for_complete(x->rs, op->a[CF_D_SLOT]);
		if (op->a[CF_D_WHAT] == CF_DO_CHILD_EXIT)
			cf_res_child(x->rs);
		call->kind = CF_CALL_COMPLETE;
		return;
	case CF_OP_CLOSE:
		call->slot = op->a[CF_X_SLOT];
		call->fd = cf_res_close_begin(x->rs, call->slot);
		if (call->fd < 0)
			call->res = call->fd;
		else
			call->kind = CF_CALL_CLOSE;
		return;
	case CF_OP_WAIT:
		call->kind = CF_CALL_ENTER;
		switch (op->a[CF_W_HOW]) {
		case CF_WAIT_SUBMIT:
			call->to_submit = cf_ring_flush_sq(x->ring);
			return;
		case CF_WAIT_SUBMIT_N:
			call->to_submit = cf_ring_flush_sq(x->ring);
			call->min_complete = op->a[CF_W_N];
			call->flags = IORING_ENTER_GETEVENTS;
			call->ts_ns = CF_WAIT_TIMEOUT_NS;
			return;
		case CF_WAIT_GETEVENTS:
			call->flags = IORING_ENTER_GETEVENTS;
			return;
		}
		call->kind = CF_CALL_NONE;
		call->res = do_wait(x, op, act); /* reap: no syscall */
		return;
	}
	call->res = -EINVAL;
}

static int uring_fire(struct cf_call *call)
{
	struct uring_state *x = &state;
	long ret;

	switch (call->kind) {
	case CF_CALL_NONE:
		ret = call->res;
		break;
	case CF_CALL_ENTER:
		ret = cf_ring_enter(call->ring1 ? &x->ring1 : x->ring, call->to_submit, call->min_complete,
				    call->flags, call->ts_ns);
		break;
	case CF_CALL_RING1_CANCEL: {
		/* the cancel's CQE; every other CQE visible on that CQ when the
		 * enter returned (its targets', messages) is kept for post,
		 * which records it */
		unsigned to_submit = call->to_submit; /* published by a0 (do_cancel) */
		/* odd=skip_success: a success posts no CQE; odd=link: the last
		 * SQE of a submit waits for a chain that never closes. Neither
		 * is a reason to wait long (-ETIME: no CQE came) */
		long long wait_ns = (call->op->a[CF_C_ODD] & (CF_ODD_SKIP | CF_ODD_LINK)) ? CF_WAIT_TIMEOUT_NS
											: CF_RING1_WAIT_NS;
		uint64_t own = CF_UD_CANCEL_BASE | (uint64_t)(call->op - x->prog->ops); /* do_cancel's user_data */
		/* The kernel stops a submit at an SQE that fails before it is
		 * issued and leaves the rest in the SQ: an SQE the enter did not
		 * consume posts nothing until another enter submits it. Outside a
		 * race group no other enter can come while this one waits, so
		 * the wait is over (-ETIME, as after the bound) the moment the
		 * enter returns short of it; an SQ thread consumes on its own
		 * time, so SQPOLL waits as before. */
		int may_consume_later = call->op->group || (x->ring1.setup_flags & IORING_SETUP_SQPOLL);

		for (int tries = 0; tries < 8; tries++) {
			struct io_uring_cqe *cqe = NULL;
			int saw_msg = 0;

			ret = cf_ring_enter(&x->ring1, to_submit, 1, IORING_ENTER_GETEVENTS, wait_ns);
			to_submit = 0;
			if (ret < 0 && ret != -ETIME)
				break;
			ret = -ETIME;
			while (io_uring_peek_cqe(&x->ring1.ring, &cqe) == 0 && cqe) {
				int msg = !is_cancel_ud(cqe->user_data); /* a request's or a message */

				/* another ring-1 cancel's late CQE: its act is over */
				if (!msg && cqe->user_data != own) {
					io_uring_cqe_seen(&x->ring1.ring, cqe);
					continue;
				}

				if (msg) {
					unsigned k = call->nstash++;

					if (k < CF_CALL_STASH) {
						call->stash[k].ud = cqe->user_data;
						call->stash[k].res = cqe->res;
						call->stash[k].flags = cqe->flags;
					}
				}
				if (!msg)
					ret = cqe->res;
				saw_msg |= msg;
				io_uring_cqe_seen(&x->ring1.ring, cqe);
			}
			if (!may_consume_later && (int)(cf_ring_sq_head(&x->ring1) - call->sqe_pos) <= 0)
				break; /* not consumed: no CQE of its can come */
			if (ret != -ETIME || !saw_msg) /* nothing but messages: wait again */
				break;
		}
		break;
	}
	case CF_CALL_REGISTER:
		ret = syscall(__NR_io_uring_register, call->fd, IORING_REGISTER_SYNC_CANCEL,
			      &call->reg, 1);
		ret = ret < 0 ? -errno : ret;
		break;
	case CF_CALL_CLOSE:
		ret = close(call->fd) < 0 ? -errno : 0;
		break;
	case CF_CALL_COMPLETE:
		ret = cf_complete(x->rs, CF_FAMILY_URING, call->op);
		break;
	default:
		ret = -EINVAL;
	}
	/* What was visible when the call returned (read before its end time). */
	call->sq_head = cf_ring_sq_head(x->ring);
	call->cq_tail = cf_ring_cq_tail(x->ring);
	return (int)ret;
}

static int uring_task_ready(unsigned kind)
{
	return kind == CF_ACTOR_TASK1 ? ring1_ready(&state) : 0;
}

static void uring_renumbered(const int16_t *map)
{
	for (unsigned k = 0; k < state.sqe_count; k++)
		state.sqe_req[k] = map[state.sqe_req[k]];
}

static void uring_post(struct cf_call *call, int pass)
{
	struct uring_state *x = &state;

	/* SQEs an actor's enter consumed are its act's: those the SQ head had
	 * passed when its enter returned (and no earlier enter claimed) */
	if (pass == 0) {
		/* SQPOLL: the poller consumes SQEs, not the enter (pass 1 says when) */
		if (call->kind == CF_CALL_ENTER && call->to_submit && call->res > 0 && !sqpoll(x) && !call->ring1)
			note_submitted_upto(x, call->act, call->sq_head);
		return;
	}
	if (call->kind == CF_CALL_CLOSE)
		cf_res_close_end(x->rs, call->slot);
	if (call->kind != CF_CALL_NONE) {
		/* consumed by no enter of the group (SQPOLL): seen by this act */
		note_submitted_upto(x, call->act, call->sq_head);
		observe_upto(x, call->act, call->cq_tail);
	}
	if (call->ring1)
		note_ring1_submitted(x, call->act);
	if (call->kind == CF_CALL_RING1_CANCEL) {
		for (unsigned k = 0; k < call->nstash && k < CF_CALL_STASH; k++)
			record_ring1_cqe(x, call->stash[k].ud, call->stash[k].res, call->stash[k].flags,
					 call->act);
		if (call->nstash > CF_CALL_STASH)
			x->h->cqes_lost = 1; /* more than the stash holds: the history is incomplete */
		call->nstash = 0;
	}
}


static int uring_wait(const struct cf_op *op, unsigned act)
{
	return do_wait(&state, op, act);
}

static int uring_close(const struct cf_op *op)
{
	if (op->a[CF_X_SLOT] == CF_SLOT_RING1 && ring1_ready(&state) < 0)
		return -EBADF;
	return cf_res_close(state.rs, op->a[CF_X_SLOT]);
}

static void uring_settle(unsigned act)
{
	observe(&state, act);
}

static void uring_teardown(void (*others)(void *arg), void *arg)
{
	state.others = others;
	state.others_arg = arg;
	teardown(&state);
	ring1_end(&state); /* its own teardown: submit, cancel ANY|ALL, read what is owed */
	state.h->ring_reset = (uint8_t)ring_is_clean(&state);
}

static int used_msg_ring(const struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].req == CF_REQ_MSG_RING || h->reqs[i].req == CF_REQ_MSG_RING_SKIP)
			return 1;
	return 0;
}

static enum cf_status uring_finish(char *why, size_t whylen)
{
	const struct cf_history *h = state.h;

	(void)why;
	(void)whylen;
	/* A ring that saw IOSQE_IO_DRAIN is not reused even when it looks clean:
	 * 60 s campaigns on reused rings reported ~30 findings that no fresh
	 * ring reproduced (late cancel CQEs), and 3 once these were dropped. */
	/* Nor one that saw IOSQE_CQE_SKIP_SUCCESS: a CQE nobody owes can still
	 * be on its way when the teardown ends. Nor an SQPOLL ring: 8 of 8
	 * 10-minute kernel campaigns on reused rings reported an SQPOLL request
	 * without a final CQE after teardown that no replay showed, 0 of 2 with
	 * fresh rings (docs/fuzzing.md); its SQ thread carries state across
	 * executions that the teardown cannot see. */
	/* Nor one a msg_ring posted to: under DEFER_TASKRUN its message is
	 * task work that may run only in the next execution (cov3 fuzzing:
	 * messages naming no request of the program). */
	if (!h->ring_reset || cf_ring_fresh_wanted() || used_drain(h) || used_skip(h) ||
	    used_msg_ring(h) || h->mode == CF_MODE_SQPOLL)
		cf_ring_discard(state.ring);
	return CF_STATUS_OK;
}

const struct cf_backend cf_uring_backend = {
	.family = CF_FAMILY_URING,
	.events = "CQEs",
	.start = uring_start,
	.queue = uring_queue,
	.cancel = uring_cancel,
	.wait = uring_wait,
	.close = uring_close,
	.settle = uring_settle,
	.teardown = uring_teardown,
	.finish = uring_finish,
	.prepare = uring_prepare,
	.fire = uring_fire,
	.post = uring_post,
	.renumbered = uring_renumbered,
	.task_ready = uring_task_ready,
};
