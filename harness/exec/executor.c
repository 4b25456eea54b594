/* cf_execute, the one op loop of the three families: picks the backend of
 * the program's family (backend.h), fills the common part of the history's
 * header, runs each op (complete itself, the rest through the backend) and
 * lets the backend settle after it, then tears down and releases. */
#include "executor.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "complete.h"
#include "resources.h"
#include "ring.h"

static struct cf_resources resources; /* one execution at a time per process */

void cf_execute_fresh_rings(int on)
{
	cf_ring_fresh_each_run(on);
}

static const struct cf_backend *backend_of(unsigned mode)
{
	switch (cf_mode_family(mode)) {
	case CF_FAMILY_AIO: return &cf_aio_backend;
	case CF_FAMILY_POSIX: return &cf_posix_backend;
	default: return &cf_uring_backend;
	}
}

static void fill_header(const struct cf_program *prog, struct cf_history *h)
{
	memset(h, 0, offsetof(struct cf_history, reqs));
	h->mode = prog->mode;
	h->entries = prog->entries;
	h->program_len = (uint16_t)cf_encode(prog, h->program, sizeof(h->program));
}

static int run_op(const struct cf_backend *be, struct cf_resources *rs,
		  const struct cf_op *op, unsigned act, unsigned index)
{
	switch (op->kind) {
	case CF_OP_QUEUE: return be->queue(op, act);
	case CF_OP_CANCEL: return be->cancel(op, act, index);
	case CF_OP_COMPLETE: return cf_complete(rs, be->family, op);
	case CF_OP_WAIT: return be->wait(op, act);
	case CF_OP_CLOSE: return be->close(op);
	}
	return -EINVAL;
}

static enum cf_run run_of(enum cf_status s)
{
	switch (s) {
	case CF_STATUS_OK: return CF_RUN_OK;
	case CF_STATUS_UNSUPPORTED: return CF_RUN_UNSUPPORTED;
	case CF_STATUS_FAILED: break;
	}
	return CF_RUN_HARNESS_ERROR;
}

enum cf_run cf_execute(const struct cf_program *prog, struct cf_history *h,
		       char *why, size_t whylen)
{
	const struct cf_backend *be = backend_of(prog->mode);
	struct cf_resources *rs = &resources;
	enum cf_status s;

	fill_header(prog, h);
	s = be->start(prog, h, rs, why, whylen);
	if (s != CF_STATUS_OK)
		return run_of(s);
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];
		unsigned act;

		if (op->kind == CF_OP_END)
			break;
		act = cf_history_begin_op(h, i, op);
		h->acts[act].res = run_op(be, rs, op, act, i);
		be->settle(act);
	}
	be->teardown();
	cf_res_teardown(rs);
	s = be->finish(why, whylen);
	if (s != CF_STATUS_OK)
		return run_of(s);
	if (h->cqes_lost) {
		snprintf(why, whylen, "more than %d %s: history incomplete", CF_MAX_CQES,
			 be->events);
		return CF_RUN_HARNESS_ERROR;
	}
	return CF_RUN_OK;
}
