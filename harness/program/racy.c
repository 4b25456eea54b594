/* Static classification of a program's sources of nondeterminism. */
#include "racy.h"

#include <stdio.h>

int cf_req_runs_in_iowq(unsigned req, unsigned slot, unsigned sqe_flags, unsigned iowq_files)
{
	int pipe = slot == CF_SLOT_PIPE0_R || slot == CF_SLOT_PIPE0_W || slot == CF_SLOT_PIPE1_R ||
		   slot == CF_SLOT_PIPE1_W;
	int rw = req == CF_REQ_READ || req == CF_REQ_WRITE;

	/* A write to the eventfd is punted to io-wq too (6.18: in 299 of
	 * 300 runs the teardown cancels it; once it ended -EINVAL). */
	/* an O_DIRECT transfer completes on the device's time (cov3): for the
	 * timing of its CQE it is as racy as io-wq */
	return req == CF_REQ_READ_FILE || req == CF_REQ_READV_DIRECT || req == CF_REQ_WRITEV_DIRECT ||
	       (sqe_flags & CF_SQE_ASYNC) ||
	       (slot == CF_SLOT_FILE && req != CF_REQ_NOP) ||
	       (slot == CF_SLOT_EVENTFD && req == CF_REQ_WRITE) ||
	       (rw && pipe && (iowq_files & CF_IOWQ_PIPE)) ||
	       (rw && slot == CF_SLOT_EVENTFD && (iowq_files & CF_IOWQ_EVENTFD));
}

int cf_program_racy(const struct cf_program *prog, char *why, size_t whylen)
{
	return cf_program_racy_on(prog, 0, why, whylen);
}

int cf_program_racy_on(const struct cf_program *prog, unsigned iowq_files, char *why, size_t whylen)
{
	for (unsigned i = 0; i < prog->nops; i++) {
		if (prog->ops[i].group) {
			snprintf(why, whylen, "op %u: races in group %u", i, prog->ops[i].group);
			return 1;
		}
	}
	return cf_program_kernel_racy_on(prog, iowq_files, why, whylen);
}

/* The ops in the order they run: an op of a race group runs at the `wait
 * go` that releases its group (executor.c), not where it is written; ops
 * never released do not run. */
static void run_order(const struct cf_program *prog, struct cf_program *out)
{
	int parked[CF_GROUPS][CF_MAX_OPS], nparked[CF_GROUPS] = { 0 };

	*out = *prog;
	out->nops = 0;
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];

		if (op->group && op->group < CF_GROUPS) {
			parked[op->group][nparked[op->group]++] = (int)i;
			continue;
		}
		if (cf_op_is_go(prog->mode, op) && op->a[CF_W_N] < CF_GROUPS) {
			unsigned g = op->a[CF_W_N];

			for (int k = 0; k < nparked[g]; k++)
				out->ops[out->nops++] = prog->ops[parked[g][k]];
			nparked[g] = 0;
		}
		out->ops[out->nops++] = *op;
	}
}

int cf_program_kernel_racy_on(const struct cf_program *prog, unsigned iowq_files, char *why, size_t whylen)
{
	static struct cf_program ordered; /* large: off the stack */

	run_order(prog, &ordered);
	prog = &ordered;
	/* The AIO executors settle every act (aio_exec.c, posix_exec.c). */
	if (cf_mode_family(prog->mode) != CF_FAMILY_URING)
		return 0;
	if (prog->mode == CF_MODE_SQPOLL) {
		snprintf(why, whylen, "SQPOLL thread submits on its own time");
		return 1;
	}
	int open_link = 0; /* the last SQE queued asks to link to one not queued yet */
	int may_stop = 0; /* an SQE queued since the last submit may fail before issue */
	int sq_unknown = 0; /* a submit may have left SQEs behind */
	unsigned pending = 0; /* SQEs queued since the last submit; a full SQ refuses more */
	int ring1_queued = 0; /* a thread1 actor queued a request on the second ring */

	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];
		int flushes = op->kind == CF_OP_END ||
			      (op->kind == CF_OP_WAIT && (op->a[CF_W_HOW] == CF_WAIT_SUBMIT ||
							  op->a[CF_W_HOW] == CF_WAIT_SUBMIT_N));

		/* The kernel hands a chain left open at the end of a submit to io-wq. */
		if (flushes && open_link) {
			snprintf(why, whylen, "op %u: submits a link chain left open (io-wq)", i);
			return 1;
		}
		/* A submit stops at an SQE the kernel fails before issue: those
		 * after it stay in the SQ and fill it, so which later SQE the SQ
		 * refuses, and where a chain is left open, is not known (seed 185) */
		if (flushes && may_stop)
			sq_unknown = 1;
		if (flushes) {
			pending = 0;
			may_stop = 0;
		}
		if (sq_unknown && op->kind == CF_OP_QUEUE &&
		    (op->a[CF_Q_FLAGS] & (CF_SQE_LINK | CF_SQE_HARDLINK))) {
			snprintf(why, whylen, "op %u: a link after a submit that may have stopped early", i);
			return 1;
		}
		if (cf_op_is_exit(prog->mode, op) && CF_ACTOR_IS_TASK(cf_actor_kind(prog->actors, op->actor))) {
			snprintf(why, whylen, "op %u: a task's exit leaves its requests' task work to a kworker", i);
			return 1;
		}
		/* cov3 branch: the second ring closed (a thread1 actor's exit, or
		 * close slot=ring1) after requests were queued on it: its exit
		 * work cancels them on its own time, and until then they may
		 * still complete (seed 624) */
		if (((cf_op_is_exit(prog->mode, op) && cf_actor_kind(prog->actors, op->actor) == CF_ACTOR_THREAD1) ||
		     (op->kind == CF_OP_CLOSE && op->a[CF_X_SLOT] == CF_SLOT_RING1)) && ring1_queued) {
			snprintf(why, whylen, "op %u: the second ring closes with requests of its own (its exit work runs on its own time)", i);
			return 1;
		}
		if (op->kind == CF_OP_QUEUE && op->actor &&
		    cf_actor_kind(prog->actors, op->actor) == CF_ACTOR_THREAD1)
			ring1_queued = 1;
		if ((op->kind == CF_OP_QUEUE ||
		     (op->kind == CF_OP_CANCEL && op->a[CF_C_API] != CF_CANCEL_SYNC)) &&
		    pending++ >= prog->entries)
			continue; /* -EBUSY: the SQ is full, nothing queued */
		if (op->kind == CF_OP_QUEUE) {
			unsigned req = op->a[CF_Q_REQ];

			open_link = !!(op->a[CF_Q_FLAGS] & (CF_SQE_LINK | CF_SQE_HARDLINK));
			if (op->a[CF_Q_FLAGS] & CF_SQE_DRAIN) {
				snprintf(why, whylen, "op %u: IOSQE_IO_DRAIN defers through task work or io-wq", i);
				return 1;
			}

			if (req == CF_REQ_WAITID_ALL) {
				snprintf(why, whylen, "op %u: waitid P_ALL may reap an earlier execution's child", i);
				return 1;
			}
			if (req == CF_REQ_TIMEOUT_SHORT || req == CF_REQ_LINK_TIMEOUT_SHORT) {
				snprintf(why, whylen, "op %u: a 1 ms timer", i);
				return 1;
			}
			if (cf_op_timer_fires(op)) {
				snprintf(why, whylen, "op %u: a timer that can fire (%s)", i, cf_req_name(req));
				return 1;
			}
			if (cf_req_runs_in_iowq(req, op->a[CF_Q_SLOT], op->a[CF_Q_FLAGS], iowq_files)) {
				snprintf(why, whylen, "op %u: runs in an io-wq worker", i);
				return 1;
			}
		}
		if (op->kind == CF_OP_COMPLETE && op->a[CF_D_WHAT] == CF_DO_WRITE &&
		    op->a[CF_D_SLOT] == CF_SLOT_TIMERFD) {
			snprintf(why, whylen, "op %u: arms the timerfd (a timer)", i);
			return 1;
		}
		if (op->kind == CF_OP_CANCEL && op->a[CF_C_API] != CF_CANCEL_SYNC) {
			open_link = !!(op->a[CF_C_ODD] & CF_ODD_LINK);
			/* fields the kernel refuses (-EINVAL, -EOPNOTSUPP), or cancel
			 * flags beyond the six the pages name */
			may_stop |= (op->a[CF_C_ODD] & (CF_ODD_OFF | CF_ODD_SPLICE_FD | CF_ODD_BUF_SELECT |
							 CF_ODD_IOPRIO)) ||
				    (op->a[CF_C_FLAGS] & ~0x3fu);
		}
		if (op->kind == CF_OP_QUEUE && cf_req_shape(op->a[CF_Q_REQ]) != CF_SHAPE_SLOT &&
		    (op->a[CF_Q_SLOT] & CF_T_BAD))
			may_stop = 1;
		if (op->kind == CF_OP_CANCEL && op->a[CF_C_API] != CF_CANCEL_SYNC &&
		    (op->a[CF_C_ODD] & CF_ODD_ASYNC)) {
			snprintf(why, whylen, "op %u: cancel punted to io-wq", i);
			return 1;
		}
	}
	if (open_link) {
		snprintf(why, whylen, "teardown submits a link chain left open (io-wq)");
		return 1;
	}
	return 0;
}
