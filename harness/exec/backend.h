/* The interface between the one op loop (executor.c) and the three backends
 * that run ops on a kernel interface: io_uring (uring_exec.c), native AIO
 * (aio_exec.c) and POSIX AIO (posix_exec.c). An execution is
 *
 *   start -> for each op: queue | cancel | wait | close (complete is the
 *   same for all, complete.c) -> settle -> ... -> teardown -> [resources
 *   released] -> finish
 *
 * Each backend keeps the state of the one execution under way in the
 * process, so its entries take no state argument. */
#ifndef CF_BACKEND_H
#define CF_BACKEND_H

#include <stddef.h>
#include <string.h>

#include "abi.h"
#include "history.h"
#include "program.h"
#include "resources.h"

#define CF_SETTLE_BUDGET_MS 1000 /* an AIO act waits at most this long for its effects */
#define CF_DRAIN_BUDGET_MS 2000 /* teardown gives up after this long in all */
#define CF_QUIET_NS 2000000LL /* owed teardown CQEs are waited for at most this long without any CQE */
#define CF_QUIET_MIN_NS 200000LL /* the first quiet bound once nothing is owed; doubles per empty round */
#define CF_QUIET_TASK_NS 50000000LL /* every quiet bound once a task actor ended (kworker task work) */
#define CF_WAIT_TIMEOUT_NS 1000000LL /* "wait submit_wait" gives up after 1 ms */
#define CF_RING1_WAIT_NS 1000000000LL /* a ring-1 cancel's CQE: at most 1 s */

/* How a start or finish went. executor.c turns it into an enum cf_run:
 * that enum is executor.h's, and executor.h sits above this file. */
enum cf_status {
	CF_STATUS_OK,
	CF_STATUS_UNSUPPORTED, /* the family or setup mode is not available here */
	CF_STATUS_FAILED,      /* the harness failed */
};

/* The one syscall an op on an actor makes (docs/program-format.md,
 * "Actors and race groups"): filled by prepare (a0), made by fire (the
 * actor's thread), finished by post (a0). */
enum cf_call_kind {
	CF_CALL_NONE,     /* no syscall: prepare did it all (queue, SQE cancel, reap) */
	CF_CALL_ENTER,    /* io_uring_enter(to_submit, min_complete, flags, ts) */
	CF_CALL_REGISTER, /* IORING_REGISTER_SYNC_CANCEL */
	CF_CALL_CLOSE,    /* close(fd) */
	CF_CALL_COMPLETE, /* cf_complete */
	CF_CALL_RING1_CANCEL, /* io_uring_enter(ring 1, 1, 1, GETEVENTS): its SQE cancel, and that CQE's res */
	CF_CALL_SYSCALL,  /* syscall(nr, arg[0..4]): mode aio's io_submit, io_cancel, io_getevents, io_destroy, io_setup */
	CF_CALL_POSIX,    /* mode posix: the C library call of op (aio_read .. aio_suspend), made by the backend's fire */
};

#define CF_CALL_STASH 64 /* as many as the second ring's largest CQ (2 x 32 entries) */

struct cf_call {
	enum cf_call_kind kind;
	const struct cf_op *op;
	unsigned act, slot;
	int fd;
	unsigned to_submit, min_complete, flags;
	long long ts_ns;
	struct cf_sync_cancel_reg reg;
	int res; /* CF_CALL_NONE: the act's result */
	unsigned cq_tail; /* fire: the CQ tail right after the call; post: record CQEs up to it */
	unsigned sq_head; /* fire: the SQ head right after the call (which SQEs an enter consumed) */
	int ring1;        /* an enter of the second ring (actor kind thread1): ring 0's SQEs are not its */
	unsigned sqe_pos; /* CF_CALL_RING1_CANCEL: the cancel's SQE, as an SQ position of the second ring */
	/* CF_CALL_RING1_CANCEL: the other CQEs its wait read past (a request's,
	 * a message), for post to record: kept in the call, which a task copies
	 * back, since a task's writes to anything else stay in its own memory */
	struct { uint64_t ud; int32_t res; uint32_t flags; } stash[CF_CALL_STASH];
	unsigned nstash; /* may exceed CF_CALL_STASH: those beyond were lost */
	long nr, arg[5];  /* CF_CALL_SYSCALL */
	uint64_t word;    /* CF_CALL_SYSCALL: memory the call writes (io_setup's context id) */
};

/* prepare's first step in every backend: an empty call for op, act. */
static inline void cf_call_begin(struct cf_call *call, const struct cf_op *op, unsigned act)
{
	memset(call, 0, sizeof(*call));
	call->op = op;
	call->act = act;
	call->fd = -1;
}

struct cf_backend {
	enum cf_family family;
	const char *events; /* what its history's events are called in messages */
	/* Fill the family's part of h's header (executor.c filled the rest and
	 * zeroed it), make the ring or context ready, cf_res_init(rs) and keep
	 * rs for the execution. Anything but OK fills why and leaves nothing
	 * to tear down. */
	enum cf_status (*start)(const struct cf_program *prog, struct cf_history *h,
				struct cf_resources *rs, char *why, size_t whylen);
	/* One op each, as act number act (op number index): its result, a
	 * count or 0, or -errno. */
	int (*queue)(const struct cf_op *op, unsigned act);
	int (*cancel)(const struct cf_op *op, unsigned act, unsigned index);
	int (*wait)(const struct cf_op *op, unsigned act);
	int (*close)(const struct cf_op *op);
	/* After every op: record what the act made visible, waiting (boundedly)
	 * for what the kernel finishes on its own. */
	void (*settle)(unsigned act);
	/* The end acts: cancel what is left, drain, set h->ring_reset. The
	 * resources are still open. others (NULL: none) lets the actor threads
	 * that made calls run their pending task work; the teardown calls it
	 * before each round after the first, as it runs its own. */
	void (*teardown)(void (*others)(void *arg), void *arg);
	/* After cf_res_teardown: let go of the ring or context. FAILED with
	 * why when the harness cannot vouch for the execution. */
	enum cf_status (*finish)(char *why, size_t whylen);
	/* Ops on actors (NULL: the family has none). prepare: a0's part of op
	 * as act (records, SQE, fds), before any actor runs; fire: the call,
	 * on the actor's thread, its result (and cq_tail, sq_head); post: a0's
	 * part after the calls of a group (or the one call) are done, in act
	 * order, before settle, in two passes over the group: pass 0 gives
	 * each enter the SQEs it consumed, pass 1 closes, records the SQEs
	 * consumed otherwise (SQPOLL) and the CQEs up to cq_tail. */
	void (*prepare)(const struct cf_op *op, unsigned act, unsigned index, struct cf_call *call);
	int (*fire)(struct cf_call *call);
	void (*post)(struct cf_call *call, int pass);
	/* The history's requests were renumbered (map: old -> new). */
	void (*renumbered)(const int16_t *map);
	/* Before a task actor of this kind is made (NULL: nothing to do):
	 * io_uring makes the second ring for a task1, which must inherit it. */
	int (*task_ready)(unsigned kind);
};

/* What the last io_uring teardown waited for (uring_exec.c): its rounds,
 * the waits that ran out without a CQE ("quiet"), and the sum of the bounds
 * of those waits, i.e. the time spent waiting for nothing; and how often it
 * let the actor threads run their task work. For tests and benchmarks;
 * reset by every io_uring execution. */
struct cf_teardown_stats {
	unsigned rounds, quiet_waits, actor_turns;
	unsigned skip_waits; /* quiet waits after the rounds for skip_success failures */
	long long quiet_ns;
};
const struct cf_teardown_stats *cf_uring_teardown_stats(void);

/* SIGEV_SIGNAL notifications whose handler ran in this process
 * (posix_exec.c): the only signal a0 handles, so an -EINTR during which
 * this did not move came from io_uring task work (TWA_SIGNAL), not from a
 * signal. */
unsigned cf_px_signals_handled(void);

/* In a child made by fork(2): forget the kept clean AIO contexts
 * (aio_exec.c); an AIO context belongs to the process that made it. */
void cf_aio_forget(void);

extern const struct cf_backend cf_uring_backend; /* uring_exec.c */
extern const struct cf_backend cf_aio_backend;   /* aio_exec.c */
extern const struct cf_backend cf_posix_backend; /* posix_exec.c */

#endif
