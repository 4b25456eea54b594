/* The native AIO backend (mode aio, backend.h): each program op through
 * the raw syscalls io_setup, io_submit, io_cancel, io_getevents and
 * io_destroy, every io_event recorded from the context's ring the moment it
 * is there, then a teardown that accounts for every request and keeps or
 * destroys the context.
 *
 * Contexts are kept for the next execution of the same size once verified
 * clean (every request has its event, the ring is empty): io_destroy waits
 * for an RCU grace period, which would dominate the run time.
 *
 * Determinism: reads and writes on pipes, sockets and the eventfd carry
 * RWF_NOWAIT, so io_submit never blocks and finishes them at once. What the
 * kernel finishes later on its own (fsync in a workqueue, a canceled poll,
 * a poll whose fd became ready) is waited for, boundedly, before an act ends
 * ("settling"), so the act an event shows at does not depend on timing. */
#include "backend.h"

#include <errno.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "aio_model.h"
#include "clock.h"
#include "complete.h"
#include "probe.h"
#include "resources.h"

/* The ring the kernel maps at the ctx_id address (fs/aio.c; libaio reads
 * the same layout). Used only after its magic and header size check out. */
struct aio_ring_hdr {
	unsigned id, nr, head, tail;
	unsigned magic, compat_features, incompat_features, header_length;
	struct io_event io_events[];
};
#define AIO_RING_MAGIC 0xa10a10a1u

#define AIO_BUF 64             /* bytes a read asks for */
#define BAD_CTX 1              /* never a context id: ids are page addresses */
#define UNKNOWN_RWF (1u << 30) /* not an RWF_* flag */

struct aio_state {
	struct cf_history *h;
	struct cf_resources *rs;
	aio_context_t ctx;  /* the current context id; kept, stale, after io_destroy */
	int live;           /* ctx is alive and its ring mapped */
	struct aio_ring_hdr *ring;
	unsigned ring_seen; /* ring index of the next event to record */
	unsigned seen_total; /* events recorded from rings so far (free-running) */
	int ring_unsafe;    /* an io_destroy is racing: no actor may read the ring */
	struct cf_call *call; /* prepare (a0) of an op on an actor: fill it, make no call */
	unsigned ctx_first; /* requests made before this one went to an earlier context */
	void *bad_page;     /* mapped PROT_NONE: a pointer that faults */
	uint8_t events[CF_MAX_REQS];   /* events recorded per request */
	uint8_t expect[CF_MAX_REQS];   /* its event comes without outside help */
	/* Request i's iocb, iovec, buffer and result are iocb[mem[i]] ...: a
	 * race group's requests are renumbered in the order their calls ended
	 * (executor.c), but the kernel knows their memory by address. */
	uint8_t mem[CF_MAX_REQS];
	/* Memory the kernel reads or writes lives here. */
	struct iocb iocb[CF_MAX_REQS];
	struct iovec iov[CF_MAX_REQS];
	uint8_t buf[CF_MAX_REQS][AIO_BUF];
	struct iocb unsubmitted, copy;
	struct io_event result[CF_MAX_REQS + 1];
	struct io_event got[CF_AIO_GETEVENTS_NR];
	struct io_event got_by[CF_ACTORS][CF_AIO_GETEVENTS_NR]; /* io_getevents on an actor */
	struct iocb *list_by[CF_ACTORS][1];                     /* io_submit on an actor */
};

static struct aio_state state; /* one execution at a time per process */
static aio_context_t kept[4];  /* clean contexts, by entries code */

static long sys_result(long ret)
{
	return ret < 0 ? -errno : ret;
}

/* ---- history ---- */

/* Request i went to the current context and its event is not recorded. */
static int awaits_event(const struct aio_state *x, unsigned i)
{
	const struct cf_req_rec *r = &x->h->reqs[i];

	return r->req != CF_REQ_CANCEL && r->sub_act >= 0 && i >= x->ctx_first && !x->events[i];
}

static struct iocb *iocb_of(struct aio_state *x, unsigned req)
{
	return &x->iocb[x->mem[req]];
}

static int req_of_obj(struct aio_state *x, uint64_t obj)
{
	for (unsigned i = 0; i < x->h->nreqs; i++)
		if ((uint64_t)(uintptr_t)iocb_of(x, i) == obj)
			return (int)i;
	return -1;
}

static void record_event(struct aio_state *x, const struct io_event *ev, unsigned act,
			 enum cf_event_source source)
{
	struct cf_history *h = x->h;
	int req = req_of_obj(x, ev->obj);

	if (req >= 0 && x->events[req] < 255)
		x->events[req]++;
	if (h->ncqes >= CF_MAX_CQES) {
		h->cqes_lost = 1;
		return;
	}
	h->cqes[h->ncqes++] = (struct cf_cqe_rec){
		.user_data = ev->data, .res = (int32_t)ev->res, .res2 = ev->res2,
		.act = (uint16_t)act, .source = (uint8_t)source, .req = (int16_t)req,
	};
}

/* Record the events that appeared in the ring since the last look, at
 * most up to upto events recorded in all (seen_total; UINT_MAX: all). */
static void observe_upto(struct aio_state *x, unsigned act, unsigned upto)
{
	unsigned tail;

	if (!x->live || x->ring_unsafe)
		return;
	tail = __atomic_load_n(&x->ring->tail, __ATOMIC_ACQUIRE);
	while (x->ring_seen != tail && tail < x->ring->nr && (int)(upto - x->seen_total) > 0) {
		record_event(x, &x->ring->io_events[x->ring_seen], act, CF_EV_RING);
		x->ring_seen = (x->ring_seen + 1) % x->ring->nr;
		x->seen_total++;
	}
}

static void observe(struct aio_state *x, unsigned act)
{
	observe_upto(x, act, x->seen_total + 0x7fffffffu);
}

/* Events in the ring that io_getevents has not taken yet. */
static unsigned ring_available(const struct aio_state *x)
{
	unsigned head, tail;

	if (!x->live)
		return 0;
	head = __atomic_load_n(&x->ring->head, __ATOMIC_ACQUIRE);
	tail = __atomic_load_n(&x->ring->tail, __ATOMIC_ACQUIRE);
	return (tail + x->ring->nr - head) % x->ring->nr;
}

/* ---- settling ---- */

static int is_poll_ready(struct aio_state *x, const struct cf_req_rec *r)
{
	struct pollfd p = { .events = POLLIN };

	if (r->req != CF_AIO_POLL || x->rs->closed[r->slot])
		return 0;
	p.fd = cf_res_fd(x->rs, r->slot);
	return p.fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP));
}

/* Requests of the live context whose event is due but not recorded yet. */
static unsigned due(struct aio_state *x)
{
	unsigned n = 0;

	for (unsigned i = 0; i < x->h->nreqs; i++)
		if (awaits_event(x, i))
			n += x->expect[i] || is_poll_ready(x, &x->h->reqs[i]);
	return n;
}

/* Wait until every due event is in the ring, at most CF_SETTLE_BUDGET_MS. */
static void settle(struct aio_state *x, unsigned act)
{
	long long deadline = cf_now_ms() + CF_SETTLE_BUDGET_MS;

	for (;;) {
		observe(x, act);
		if (!x->live || due(x) == 0)
			return;
		if (cf_now_ms() >= deadline) {
			x->h->acts[act].unsettled = 1;
			return;
		}
		cf_pause_briefly();
	}
}

/* ---- ops ---- */

static int is_rw(unsigned cmd)
{
	return cmd == CF_AIO_PREAD || cmd == CF_AIO_PWRITE || cmd == CF_AIO_PREADV ||
	       cmd == CF_AIO_PWRITEV;
}

static int attach_context(struct aio_state *x, aio_context_t ctx)
{
	struct aio_ring_hdr *ring = (struct aio_ring_hdr *)(uintptr_t)ctx;

	if (ring->magic != AIO_RING_MAGIC || ring->header_length != sizeof(*ring) ||
	    ring->nr == 0 || ring->tail >= ring->nr)
		return -EPROTO;
	x->ctx = ctx;
	x->ring = ring;
	x->live = 1;
	x->ring_seen = ring->tail;
	return 0;
}

static void submitted(struct aio_state *x, unsigned id, unsigned act, long ret)
{
	struct cf_req_rec *r = &x->h->reqs[id];

	if (ret == 1) {
		r->sub_act = (int16_t)act;
		x->expect[id] = r->req == CF_AIO_FSYNC || r->req == CF_AIO_FDSYNC;
	}
}

static int do_submit(struct aio_state *x, const struct cf_op *op, unsigned act)
{
	unsigned cmd = op->a[CF_Q_REQ], slot = op->a[CF_Q_SLOT], flags = op->a[CF_Q_FLAGS];
	unsigned id = x->h->nreqs;
	struct cf_req_rec *r = cf_history_new_req(x->h, act, cmd);
	struct iocb *cb = &x->iocb[id], *list[1] = { cb };
	int fd = cf_res_fd(x->rs, slot);
	long ret;

	x->mem[id] = (uint8_t)id; /* the slots in use are 0..id-1, in some order */
	r->slot = (uint8_t)slot;
	r->slot_closed = x->rs->closed[slot];
	r->user_data = cf_ud_value(op->a[CF_Q_UD]);
	r->sqe_flags = (uint8_t)flags;
	memset(cb, 0, sizeof(*cb));
	cb->aio_data = r->user_data;
	cb->aio_lio_opcode = (uint16_t)cf_aio_cmd_code(cmd);
	cb->aio_fildes = (uint32_t)fd;
	x->iov[id] = (struct iovec){ x->buf[id], AIO_BUF };
	switch (cmd) {
	case CF_AIO_PREAD:
		cb->aio_buf = (uint64_t)(uintptr_t)x->buf[id];
		cb->aio_nbytes = AIO_BUF;
		break;
	case CF_AIO_PWRITE:
		cb->aio_buf = (uint64_t)(uintptr_t)"w";
		cb->aio_nbytes = 1;
		break;
	case CF_AIO_PREADV:
	case CF_AIO_PWRITEV:
		if (cmd == CF_AIO_PWRITEV)
			x->iov[id] = (struct iovec){ (void *)"w", 1 };
		cb->aio_buf = (uint64_t)(uintptr_t)&x->iov[id];
		cb->aio_nbytes = 1;
		break;
	case CF_AIO_POLL:
		cb->aio_buf = POLLIN;
		break;
	}
	/* A pipe, socket or eventfd would block io_submit itself; the regular
	 * file never blocks and refuses RWF_NOWAIT (-EOPNOTSUPP). */
	if (is_rw(cmd) && slot != CF_SLOT_FILE)
		cb->aio_rw_flags |= RWF_NOWAIT;
	if (flags & CF_AIOQ_BADRW)
		cb->aio_rw_flags |= UNKNOWN_RWF;
	if (flags & CF_AIOQ_RESERVED)
		cb->aio_reserved2 = 1;
	if (flags & CF_AIOQ_RESFD) {
		cb->aio_flags |= IOCB_FLAG_RESFD;
		cb->aio_resfd = (uint32_t)cf_res_fd(x->rs, CF_SLOT_EVENTFD);
	}
	if (x->call) { /* on an actor: the call is made there, submitted() after */
		x->list_by[x->call->op->actor][0] = cb;
		x->call->kind = CF_CALL_SYSCALL;
		x->call->nr = SYS_io_submit;
		x->call->arg[0] = (long)x->ctx;
		x->call->arg[1] = 1;
		x->call->arg[2] = (long)(uintptr_t)x->list_by[x->call->op->actor];
		return 0;
	}
	ret = sys_result(syscall(SYS_io_submit, x->ctx, 1L, list));
	submitted(x, id, act, ret);
	return (int)ret;
}

/* The latest submitted request with this user_data, or -1. */
static int latest_with_ud(const struct aio_state *x, uint64_t ud)
{
	for (int i = (int)x->h->nreqs - 1; i >= 0; i--) {
		const struct cf_req_rec *r = &x->h->reqs[i];

		if (r->req != CF_REQ_CANCEL && r->sub_act >= 0 && r->user_data == ud)
			return i;
	}
	return -1;
}

/* io_cancel with a result buffer filled with a pattern; an event is
 * recorded as copied when the pattern changed. */
static struct io_event cancel_pattern;

static void cancel_before(struct aio_state *x, struct io_event *result)
{
	memset(&cancel_pattern, 0xa5, sizeof(cancel_pattern));
	if (result && result != x->bad_page)
		*result = cancel_pattern;
}

static void cancel_after(struct aio_state *x, struct iocb *iocbp, struct io_event *result,
			 unsigned act, long ret)
{
	if (result && result != x->bad_page && memcmp(result, &cancel_pattern, sizeof(cancel_pattern)) != 0)
		record_event(x, result, act, CF_EV_COPIED);
	if ((ret == 0 || ret == -EINPROGRESS) && req_of_obj(x, (uintptr_t)iocbp) >= 0)
		x->expect[req_of_obj(x, (uintptr_t)iocbp)] = 1; /* its event is on the way */
}

static long cancel_call(struct aio_state *x, aio_context_t ctx, struct iocb *iocbp,
			struct io_event *result, unsigned act)
{
	long ret;

	cancel_before(x, result);
	ret = sys_result(syscall(SYS_io_cancel, ctx, iocbp, result));
	cancel_after(x, iocbp, result, act, ret);
	return ret;
}

static int do_cancel(struct aio_state *x, const struct cf_op *op, unsigned act)
{
	unsigned target = op->a[CF_C_API], flags = op->a[CF_C_FLAGS];
	unsigned id = x->h->nreqs;
	uint64_t ud = cf_ud_value(op->a[CF_C_UD]);
	int latest = latest_with_ud(x, ud);
	struct cf_req_rec *r = cf_history_new_req(x->h, act, CF_REQ_CANCEL);
	struct iocb *iocbp = &x->unsubmitted;
	struct io_event *result = &x->result[id];
	aio_context_t ctx;

	x->mem[id] = (uint8_t)id;
	r->api = (uint8_t)target;
	r->key_ud = ud;
	r->cancel_flags = flags;
	memset(&x->unsubmitted, 0, sizeof(x->unsubmitted));
	x->unsubmitted.aio_data = ud;
	x->unsubmitted.aio_lio_opcode = IOCB_CMD_POLL;
	x->unsubmitted.aio_buf = POLLIN;
	switch (target) {
	case CF_AIOT_IOCB:
		if (latest >= 0)
			iocbp = iocb_of(x, (unsigned)latest);
		r->target = (int16_t)latest;
		break;
	case CF_AIOT_BADPTR:
		iocbp = x->bad_page;
		break;
	case CF_AIOT_COPY:
		x->copy = latest >= 0 ? *iocb_of(x, (unsigned)latest) : x->unsubmitted;
		iocbp = &x->copy;
		r->target = (int16_t)latest;
		break;
	}
	if (flags & CF_AIOC_NULLRESULT)
		result = NULL;
	else if (flags & CF_AIOC_BADRESULT)
		result = x->bad_page;
	ctx = (flags & CF_AIOC_BADCTX) ? BAD_CTX : x->ctx;
	if (x->call) { /* on an actor: cancel_after() when it is done */
		cancel_before(x, result);
		x->call->kind = CF_CALL_SYSCALL;
		x->call->nr = SYS_io_cancel;
		x->call->arg[0] = (long)ctx;
		x->call->arg[1] = (long)(uintptr_t)iocbp;
		x->call->arg[2] = (long)(uintptr_t)result;
		return 0;
	}
	return (int)cancel_call(x, ctx, iocbp, result, act);
}

static int do_getevents(struct aio_state *x, const struct cf_op *op)
{
	/* static: on an actor the call reads them after this returns */
	static const struct timespec zero = { 0, 0 }, shortwait = { 0, CF_AIO_SHORT_NS };
	long n = op->a[CF_W_N], nr = CF_AIO_GETEVENTS_NR, min_nr = n;
	const struct timespec *ts = &zero;

	switch (op->a[CF_W_HOW]) {
	case CF_AIOW_SHORT:
		ts = &shortwait;
		break;
	case CF_AIOW_NULL:
		/* Without a timeout it would wait for events nothing will post. */
		if (x->live && ring_available(x) < (unsigned)n)
			return -EDEADLK;
		ts = NULL;
		break;
	case CF_AIOW_SMALL:
		min_nr = 0;
		nr = n;
		break;
	case CF_AIOW_INVAL:
		min_nr = n + 1;
		nr = n;
		break;
	}
	if (x->call) { /* on an actor: its own buffer; a blocked actor would hang the release */
		x->call->kind = CF_CALL_SYSCALL;
		x->call->nr = SYS_io_getevents;
		x->call->arg[0] = (long)x->ctx;
		x->call->arg[1] = min_nr;
		x->call->arg[2] = nr;
		x->call->arg[3] = (long)(uintptr_t)x->got_by[x->call->op->actor];
		x->call->arg[4] = (long)(uintptr_t)ts;
		if (op->a[CF_W_HOW] == CF_AIOW_NULL && x->call->op->group) {
			x->call->kind = CF_CALL_NONE; /* another racer may take the events it counts on */
			x->call->res = -EDEADLK;
		}
		return 0;
	}
	/* An io_uring ring of an earlier execution that is being destroyed
	 * sends a0 task work with TWA_SIGNAL (io_ring_exit_work), which ends
	 * an interruptible wait with -EINTR though no signal came: that is the
	 * harness's process, not the program (test_determinism saw it after
	 * io_uring programs, on main too; up to 5 in a row). Wait again then,
	 * at most 64 times; an -EINTR of a real signal (D28: a late
	 * SIGEV_SIGNAL, its handler ran) is the act's result as before. */
	for (int tries = 0;; tries++) {
		unsigned before = cf_px_signals_handled();
		long ret = sys_result(syscall(SYS_io_getevents, x->ctx, min_nr, nr, x->got, ts));

		if (ret != -EINTR || tries == 64 || cf_px_signals_handled() != before)
			return (int)ret;
	}
}

static void destroyed(struct aio_state *x, long ret);
static int set_up(struct aio_state *x, aio_context_t fresh, long ret, unsigned act);

static int do_close(struct aio_state *x, const struct cf_op *op)
{
	unsigned what = op->a[CF_X_SLOT];
	aio_context_t fresh;
	long ret;

	if (what < CF_AIO_SLOTS)
		return cf_res_close(x->rs, what);
	if (what == CF_AIO_CLOSE_DESTROY) {
		if (x->call) { /* on an actor: the ring goes away under the others */
			x->ring_unsafe = 1;
			x->call->kind = CF_CALL_SYSCALL;
			x->call->nr = SYS_io_destroy;
			x->call->arg[0] = (long)x->ctx;
			return 0;
		}
		ret = sys_result(syscall(SYS_io_destroy, x->ctx));
		destroyed(x, ret);
		return (int)ret;
	}
	/* io_setup: the live context's id makes the kernel refuse (*ctxp != 0). */
	fresh = x->live ? x->ctx : 0;
	if (x->call) {
		x->call->word = fresh;
		x->call->kind = CF_CALL_SYSCALL;
		x->call->nr = SYS_io_setup;
		x->call->arg[0] = (long)x->h->entries;
		x->call->arg[1] = (long)(uintptr_t)&x->call->word;
		return 0;
	}
	ret = sys_result(syscall(SYS_io_setup, (long)x->h->entries, &fresh));
	return set_up(x, fresh, ret, x->h->nacts); /* no request is of a later act */
}

static void destroyed(struct aio_state *x, long ret)
{
	if (ret == 0 && x->live) {
		x->live = 0; /* the kernel unmapped the ring */
		x->ring = NULL;
	}
}

/* io_setup, made as act `act`: the requests of later acts go to the new
 * context. In a race group they were recorded before the calls ran and
 * renumbered by when their calls ended: an io_submit that ended after the
 * setup, with the stale id that the new context took over, went to it
 * (campaign seed 80, 41afc506: the teardown never waited for its event). */
static int set_up(struct aio_state *x, aio_context_t fresh, long ret, unsigned act)
{
	if (ret == 0 && x->live) {
		syscall(SYS_io_destroy, fresh); /* a second context: not ours to keep */
	} else if (ret == 0) {
		x->ctx_first = x->h->nreqs;
		for (unsigned i = x->h->nreqs; i-- > 0 && x->h->reqs[i].act > act;)
			x->ctx_first = i;
		if (attach_context(x, fresh) < 0) {
			syscall(SYS_io_destroy, fresh);
			return -EPROTO;
		}
	}
	return (int)ret;
}

/* ---- teardown ---- */

static unsigned missing_events(const struct aio_state *x)
{
	unsigned n = 0;

	for (unsigned i = 0; i < x->h->nreqs; i++)
		n += x->live && awaits_event(x, i);
	return n;
}

static void teardown(struct aio_state *x)
{
	struct cf_history *h = x->h;
	unsigned act = cf_history_begin_act(h, CF_ACT_END_CANCEL, -1);
	long long deadline;
	int canceled = 0;

	for (unsigned i = 0; i < h->nreqs && x->live; i++) {
		long ret;

		if (!awaits_event(x, i) || x->expect[i])
			continue;
		ret = cancel_call(x, x->ctx, iocb_of(x, i), &x->result[CF_MAX_REQS], act);
		canceled += ret == 0 || ret == -EINPROGRESS;
	}
	h->acts[act].res = canceled;
	settle(x, act);

	act = cf_history_begin_act(h, CF_ACT_END_DRAIN, -1);
	deadline = cf_now_ms() + CF_DRAIN_BUDGET_MS;
	for (;;) {
		observe(x, act);
		if (missing_events(x) == 0 || cf_now_ms() >= deadline || h->cqes_lost)
			break;
		cf_pause_briefly();
	}
	h->acts[act].res = (int32_t)missing_events(x);
	h->ring_reset = h->acts[act].res == 0; /* clean; also when the program destroyed it */
	/* Take every event out of the ring so the context can be kept. */
	for (int rounds = 0; x->live && h->ring_reset && ring_available(x) > 0 && rounds < 64; rounds++) {
		struct timespec zero = { 0, 0 };

		if (syscall(SYS_io_getevents, x->ctx, 0L, (long)CF_AIO_GETEVENTS_NR, x->got, &zero) <= 0)
			break;
	}
	observe(x, act);
	h->ring_reset &= ring_available(x) == 0 && missing_events(x) == 0 && !h->cqes_lost;
	if (h->ring_reset && x->live) {
		kept[cf_entries_code(h->entries)] = x->ctx; /* clean: the next execution's */
		x->live = 0;
		return;
	}
	if (x->live) {
		act = cf_history_begin_act(h, CF_ACT_END_DESTROY, -1);
		h->acts[act].res = (int32_t)sys_result(syscall(SYS_io_destroy, x->ctx));
		x->live = 0;
	}
}

void cf_aio_forget(void)
{
	memset(kept, 0, sizeof(kept)); /* the child's mm has no AIO context */
}

/* A kept clean context of this size, or a new one. 0 or -errno. */
static long get_context(unsigned entries, aio_context_t *ctx)
{
	aio_context_t *k = &kept[cf_entries_code(entries)];

	*ctx = *k;
	*k = 0;
	if (*ctx) {
		struct aio_ring_hdr *ring = (struct aio_ring_hdr *)(uintptr_t)*ctx;

		if (ring->magic == AIO_RING_MAGIC && ring->head == ring->tail)
			return 0;
		syscall(SYS_io_destroy, *ctx);
		*ctx = 0;
	}
	return sys_result(syscall(SYS_io_setup, (long)entries, ctx));
}

static enum cf_status aio_start(const struct cf_program *prog, struct cf_history *h,
				 struct cf_resources *rs, char *why, size_t whylen)
{
	struct aio_state *x = &state;
	aio_context_t ctx = 0;
	long ret;

	/* Writes to a pipe whose reader is closed must give EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	cf_kernel_release(h->kernel, sizeof(h->kernel));
	memset(x, 0, offsetof(struct aio_state, iocb));
	x->h = h;
	x->rs = rs;
	ret = get_context(prog->entries, &ctx);
	if (ret == -ENOSYS || ret == -EPERM || ret == -EACCES) {
		snprintf(why, whylen, "native AIO is not usable here: io_setup gives %s",
			 strerror((int)-ret));
		return CF_STATUS_UNSUPPORTED;
	}
	if (ret < 0) {
		snprintf(why, whylen, "io_setup(%u) failed: %s (see /proc/sys/fs/aio-max-nr)",
			 prog->entries, strerror((int)-ret));
		return CF_STATUS_FAILED;
	}
	if (attach_context(x, ctx) < 0) {
		syscall(SYS_io_destroy, ctx);
		snprintf(why, whylen, "the AIO ring at the context address has an unknown layout");
		return CF_STATUS_FAILED;
	}
	h->aio_ring_nr = x->ring->nr;
	x->bad_page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->bad_page == MAP_FAILED) {
		syscall(SYS_io_destroy, ctx);
		snprintf(why, whylen, "cannot map a guard page: %s", strerror(errno));
		return CF_STATUS_FAILED;
	}
	cf_res_init(rs, NULL);
	return CF_STATUS_OK;
}

static int aio_queue(const struct cf_op *op, unsigned act)
{
	return do_submit(&state, op, act);
}

static int aio_cancel_op(const struct cf_op *op, unsigned act, unsigned index)
{
	(void)index;
	return do_cancel(&state, op, act);
}

static int aio_wait(const struct cf_op *op, unsigned act)
{
	(void)act;
	return do_getevents(&state, op);
}

static int aio_close(const struct cf_op *op)
{
	return do_close(&state, op);
}

static void aio_settle(unsigned act)
{
	settle(&state, act);
}

static void aio_teardown(void (*others)(void *arg), void *arg)
{
	(void)others; /* no actors in this family */
	(void)arg;
	teardown(&state);
}

/* ---- ops on actors (docs/program-format.md, "Actors in mode aio") ----
 * prepare (a0) records the request and fills the iocb as the op would,
 * but leaves the syscall to the call; fire (the actor) makes it and reads
 * how many events the ring holds then; post (a0) finishes what the op
 * would have done after its syscall and records the events the call saw. */

static void aio_prepare(const struct cf_op *op, unsigned act, unsigned index, struct cf_call *call)
{
	struct aio_state *x = &state;

	(void)index;
	cf_call_begin(call, op, act);
	x->call = call;
	switch (op->kind) {
	case CF_OP_QUEUE:
		call->res = do_submit(x, op, act);
		break;
	case CF_OP_CANCEL:
		call->res = do_cancel(x, op, act);
		break;
	case CF_OP_WAIT:
		call->res = do_getevents(x, op);
		break;
	case CF_OP_COMPLETE:
		cf_res_for_complete(x->rs, op->a[CF_D_SLOT]);
		call->kind = CF_CALL_COMPLETE;
		break;
	case CF_OP_CLOSE:
		if (op->a[CF_X_SLOT] < CF_AIO_SLOTS) {
			call->slot = op->a[CF_X_SLOT];
			call->fd = cf_res_close_begin(x->rs, call->slot);
			if (call->fd < 0)
				call->res = call->fd;
			else
				call->kind = CF_CALL_CLOSE;
		} else {
			call->res = do_close(x, op);
		}
		break;
	}
	x->call = NULL;
}

static int aio_fire(struct cf_call *call)
{
	struct aio_state *x = &state;
	long ret;

	switch (call->kind) {
	case CF_CALL_NONE:
		ret = call->res;
		break;
	case CF_CALL_SYSCALL:
		ret = sys_result(syscall(call->nr, call->arg[0], call->arg[1], call->arg[2],
					 call->arg[3], call->arg[4]));
		break;
	case CF_CALL_CLOSE:
		ret = close(call->fd) < 0 ? -errno : 0;
		break;
	case CF_CALL_COMPLETE:
		ret = cf_complete(x->rs, CF_FAMILY_AIO, call->op);
		break;
	case CF_CALL_ENTER:
		ret = 0; /* the executor's task-work turn: no io_uring here */
		break;
	default:
		ret = -EINVAL;
	}
	/* Events in the ring when the call returned, counted from a0's last
	 * look (a0 records nothing while a group races). Not while an
	 * io_destroy may be unmapping the ring. */
	call->cq_tail = x->seen_total;
	if (x->live && !x->ring_unsafe) {
		unsigned tail = __atomic_load_n(&x->ring->tail, __ATOMIC_ACQUIRE);

		if (tail < x->ring->nr)
			call->cq_tail += (tail + x->ring->nr - x->ring_seen) % x->ring->nr;
	}
	return (int)ret;
}

static void aio_post(struct cf_call *call, int pass)
{
	struct aio_state *x = &state;
	const struct cf_op *op = call->op;

	if (!op)
		return;
	/* First, for every call of the group: an io_destroy that succeeded
	 * unmapped the ring, whichever call's post comes first and reads it
	 * (two io_destroys racing, the second failing: seed 458) */
	if (pass == 0) {
		if (call->kind == CF_CALL_SYSCALL && call->nr == SYS_io_destroy)
			destroyed(x, call->res);
		return;
	}
	if (call->kind == CF_CALL_CLOSE)
		cf_res_close_end(x->rs, call->slot);
	if (call->kind == CF_CALL_SYSCALL) {
		long ret = call->res;
		int req = x->h->acts[call->act].req;

		switch (call->nr) {
		case SYS_io_submit:
			submitted(x, (unsigned)req, call->act, ret);
			break;
		case SYS_io_cancel:
			cancel_after(x, (struct iocb *)(uintptr_t)call->arg[1],
				     (struct io_event *)(uintptr_t)call->arg[2], call->act, ret);
			break;
		case SYS_io_destroy: /* destroyed() ran in pass 0 */
			x->ring_unsafe = 0;
			break;
		case SYS_io_setup:
			call->res = set_up(x, (aio_context_t)call->word, ret, call->act);
			x->h->acts[call->act].res = call->res;
			break;
		}
	}
	if (call->kind != CF_CALL_NONE)
		observe_upto(x, call->act, call->cq_tail);
}

static void aio_renumbered(const int16_t *map)
{
	struct aio_state *x = &state;
	uint8_t mem[CF_MAX_REQS], events[CF_MAX_REQS], expect[CF_MAX_REQS];

	for (unsigned i = 0; i < x->h->nreqs; i++) {
		mem[map[i]] = x->mem[i];
		events[map[i]] = x->events[i];
		expect[map[i]] = x->expect[i];
	}
	memcpy(x->mem, mem, x->h->nreqs);
	memcpy(x->events, events, x->h->nreqs);
	memcpy(x->expect, expect, x->h->nreqs);
}

static enum cf_status aio_finish(char *why, size_t whylen)
{
	(void)why;
	(void)whylen;
	munmap(state.bad_page, 4096);
	return CF_STATUS_OK;
}

const struct cf_backend cf_aio_backend = {
	.family = CF_FAMILY_AIO,
	.events = "events",
	.start = aio_start,
	.queue = aio_queue,
	.cancel = aio_cancel_op,
	.wait = aio_wait,
	.close = aio_close,
	.settle = aio_settle,
	.teardown = aio_teardown,
	.finish = aio_finish,
	.prepare = aio_prepare,
	.fire = aio_fire,
	.post = aio_post,
	.renumbered = aio_renumbered,
};
