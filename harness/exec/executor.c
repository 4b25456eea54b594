/* cf_execute, the one op loop of the three families: picks the backend of
 * the program's family (backend.h), fills the common part of the history's
 * header, runs each op (complete itself, the rest through the backend) and
 * lets the backend settle after it, then tears down and releases. */
#include "executor.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "actors.h"
#include "backend.h"
#include "clock.h"
#include "complete.h"
#include "resources.h"
#include "ring.h"

static struct cf_resources resources; /* one execution at a time per process */

void cf_execute_fresh_rings(int on)
{
	cf_ring_fresh_each_run(on);
}

int cf_execute_forkable(const struct cf_program *prog)
{
	return cf_mode_family(prog->mode) != CF_FAMILY_POSIX;
}

void cf_execute_forget_parent(void)
{
	cf_ring_forget_all();
	cf_actors_forget();
	cf_aio_forget();
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

/* Ops on actors and race groups (docs/program-format.md, "Actors and
 * race groups"). */
struct actor_run {
	const struct cf_backend *be;
	struct cf_history *h;
	const struct cf_program *prog;
	long long t_base; /* the execution's start: acts' times count from here */
	int16_t parked[CF_GROUPS][CF_ACTORS]; /* op index + 1 of each parked op, 0 none */
	unsigned used; /* actors (bit a) that made a call in this execution */
	unsigned ended; /* task actors (bit a) that a `wait exit` ended */
	struct cf_call calls[CF_ACTORS];
};

static struct actor_run run; /* one execution at a time per process */

static int call_on_actor(void *arg)
{
	return run.be->fire(arg);
}

_Static_assert(sizeof(struct cf_call) <= CF_TASK_ARG_MAX, "a call fits a task's mailbox");
_Static_assert(sizeof(struct cf_resources) <= CF_TASK_SYNC_MAX, "the slots fit a task's mailbox");

static int is_task(const struct actor_run *r, unsigned actor)
{
	return actor && CF_ACTOR_IS_TASK(cf_actor_kind(r->prog->actors, actor));
}

/* Make task a if it is not there yet. A task1 needs the second ring first:
 * the child gets a copy of a0's memory when it is made, and with it the
 * ring's shared mappings (its SQ and CQ), which it could not map later. */
static int start_task(const struct actor_run *r, unsigned a)
{
	if (cf_actor_kind(r->prog->actors, a) == CF_ACTOR_TASK1 && r->be->task_ready &&
	    !cf_actors_task_live(a))
		r->be->task_ready(CF_ACTOR_TASK1);
	return cf_actors_task_start(a);
}

/* Why an op on actor a of this kind makes no call (-errno), or 0: a task
 * that a `wait exit` ended (-ESRCH); on a task, the actions that act on
 * a0's memory (the futex word, the execution's child: -EOPNOTSUPP). Else
 * the task is made now if it is not there yet (its error, if that fails). */
static int refused(const struct actor_run *r, const struct cf_op *op)
{
	unsigned a = op->actor, kind = cf_actor_kind(r->prog->actors, a);

	if (!CF_ACTOR_IS_TASK(kind))
		return 0; /* thread1: the backend puts its cancels and waits on the second ring */
	if (r->ended & (1u << a))
		return -ESRCH;
	if (op->kind == CF_OP_COMPLETE &&
	    (op->a[CF_D_WHAT] == CF_DO_FUTEX_WAKE || op->a[CF_D_WHAT] == CF_DO_CHILD_EXIT))
		return -EOPNOTSUPP;
	return start_task(r, a);
}

/* A job for actor a: a task gets copies of the call and of the slots. */
static struct cf_actor_job job_for(const struct actor_run *r, unsigned a, struct cf_call *call,
				   uint32_t spins)
{
	struct cf_actor_job job = { call_on_actor, call, spins, 0, 0, 0, 0, 0, NULL };

	if (is_task(r, a)) {
		job.argsz = sizeof(*call);
		job.sync = &resources;
		job.synclen = sizeof(resources);
	}
	return job;
}

static void stamp(struct actor_run *r, unsigned act, long long t0, long long t1)
{
	r->h->acts[act].t0 = t0 - r->t_base;
	r->h->acts[act].t1 = t1 - r->t_base;
}

/* One op on an actor, a0 waiting for it. */
static void run_on_actor(struct actor_run *r, const struct cf_op *op, unsigned act, unsigned i)
{
	struct cf_call *call = &r->calls[op->actor];
	struct cf_actor_job job;
	long long now = cf_now_ns();
	int err;

	if ((err = cf_actors_ready()) < 0 || (err = refused(r, op)) < 0) {
		r->h->acts[act].res = err;
		stamp(r, act, now, now);
		return;
	}
	r->be->prepare(op, act, i, call);
	if (call->kind == CF_CALL_NONE) {
		r->h->acts[act].res = call->res;
		stamp(r, act, now, cf_now_ns());
		return;
	}
	/* ring1=a0: a0 makes a thread1 actor's call on the second ring itself */
	if ((r->prog->actors & CF_ACTORS_RING1_BY_A0) &&
	    cf_actor_kind(r->prog->actors, op->actor) == CF_ACTOR_THREAD1) {
		call->res = r->be->fire(call);
		r->be->post(call, 0);
		r->be->post(call, 1);
		r->h->acts[act].res = call->res;
		stamp(r, act, now, cf_now_ns());
		return;
	}
	job = job_for(r, op->actor, call, 0);
	cf_actors_run(op->actor, &job);
	r->used |= 1u << op->actor;
	call->res = job.res;
	r->be->post(call, 0);
	r->be->post(call, 1);
	r->h->acts[act].res = job.res;
	stamp(r, act, job.t0, job.t1);
}

/* The group's acts (the n acts from acts[order[0]], in program order)
 * renumbered in the order their calls ended: the history lists what
 * happened in the order it was seen to finish (acts made without a call,
 * at preparation, end first). order[] and acts[] follow. */
static void order_by_end(struct actor_run *r, unsigned *order, unsigned *acts, unsigned n)
{
	unsigned perm[CF_ACTORS], first = n ? acts[order[0]] : 0;
	const struct cf_act_rec *A = &r->h->acts[first];

	for (unsigned k = 0; k < n; k++)
		perm[k] = k;
	for (unsigned x = 1; x < n; x++)
		for (unsigned y = x; y > 0 && A[perm[y]].t1 < A[perm[y - 1]].t1; y--) {
			unsigned t = perm[y];
			perm[y] = perm[y - 1];
			perm[y - 1] = t;
		}
	cf_history_reorder_acts(r->h, first, n, perm);
	{
		int16_t map[CF_MAX_REQS];

		cf_history_renumber_reqs(r->h, first, n, map);
		r->be->renumbered(map);
	}
	{
		unsigned old_order[CF_ACTORS];

		memcpy(old_order, order, n * sizeof(order[0]));
		for (unsigned k = 0; k < n; k++) {
			order[k] = old_order[perm[k]];
			acts[order[k]] = first + k;
			r->calls[order[k]].act = first + k; /* post records under the new number */
		}
	}
}

/* Before the teardown: every actor that made a call enters the ring once
 * with GETEVENTS (no act), so that task work queued for it runs now -
 * with COOP_TASKRUN nothing interrupts an idle thread to run it, and the
 * completions of requests it submitted would wait for its next enter,
 * maybe in a later execution (docs/history-format.md, version 3). */
static void actors_run_task_work(void *arg)
{
	struct actor_run *r = arg;

	for (unsigned a = 1; a < CF_ACTORS; a++) {
		static struct cf_call call; /* static: a task's copy is at the same address */
		struct cf_actor_job job = job_for(r, a, &call, 0);

		if (!(r->used & (1u << a)) || (is_task(r, a) && !cf_actors_task_live(a)))
			continue;
		memset(&call, 0, sizeof(call));
		call.kind = CF_CALL_ENTER;
		call.flags = IORING_ENTER_GETEVENTS;
		cf_actors_run(a, &job);
	}
}

/* `wait go n=g` (op go): the parked ops of group g get their acts in
 * program order and are prepared, then race from one barrier, each after
 * its offset; the go act comes last and is where what they made visible
 * is recorded. Its result: the calls released. */
static void release(struct actor_run *r, unsigned go, unsigned g)
{
	struct cf_actor_job jobs[CF_ACTORS];
	unsigned acts[CF_ACTORS], order[CF_ACTORS], n = 0, mask = 0, go_act;
	struct cf_history *h = r->h;
	long long t0;
	int err = 0;

	memset(jobs, 0, sizeof(jobs));
	for (unsigned a = 0; g < CF_GROUPS && a < CF_ACTORS; a++)
		if (r->parked[g][a])
			order[n++] = a;
	for (unsigned x = 1; x < n; x++) /* program order: at most 4, insertion sort */
		for (unsigned y = x; y > 0 && r->parked[g][order[y]] < r->parked[g][order[y - 1]]; y--) {
			unsigned t = order[y];
			order[y] = order[y - 1];
			order[y - 1] = t;
		}
	if (n)
		err = cf_actors_ready(); /* < 0: every op of the group is refused with it */
	for (unsigned k = 0; k < n; k++) {
		unsigned a = order[k], i = (unsigned)r->parked[g][a] - 1;
		const struct cf_op *op = &r->prog->ops[i];
		unsigned act = cf_history_begin_op(h, i, op);
		long long now = cf_now_ns();

		acts[a] = act;
		h->acts[act].actor = (uint8_t)a;
		h->acts[act].group = (uint8_t)g;
		h->acts[act].at = op->at;
		if (err < 0 || refused(r, op) < 0) {
			h->acts[act].res = err < 0 ? err : refused(r, op);
			stamp(r, act, now, now);
			continue;
		}
		r->be->prepare(op, act, i, &r->calls[a]);
		if (r->calls[a].kind == CF_CALL_NONE) {
			h->acts[act].res = r->calls[a].res;
			stamp(r, act, now, cf_now_ns());
			continue;
		}
		jobs[a] = job_for(r, a, &r->calls[a], (uint32_t)op->at * CF_SPIN_UNIT);
		mask |= 1u << a;
	}
	go_act = cf_history_begin_op(h, go, &r->prog->ops[go]);
	t0 = cf_now_ns();
	if (mask)
		cf_actors_race(jobs, mask);
	r->used |= mask;
	for (unsigned a = 0; a < CF_ACTORS; a++) {
		if (!(mask & (1u << a)))
			continue;
		r->calls[a].res = jobs[a].res;
		h->acts[acts[a]].res = jobs[a].res;
		stamp(r, acts[a], jobs[a].t0, jobs[a].t1);
	}
	order_by_end(r, order, acts, n);
	/* post in act order: the first enter that consumed SQEs owns them; a
	 * CQE is recorded under the first act after which every later-ending
	 * call could see it (so that CQEs stay in act order) */
	for (unsigned k = n; k-- > 0;) {
		unsigned a = order[k];

		if (!(mask & (1u << a)))
			continue;
		if (k + 1 < n && (mask & (1u << order[k + 1])) &&
		    (int)(r->calls[order[k + 1]].cq_tail - r->calls[a].cq_tail) < 0)
			r->calls[a].cq_tail = r->calls[order[k + 1]].cq_tail;
		if (k + 1 < n && (mask & (1u << order[k + 1])) &&
		    (int)(r->calls[order[k + 1]].sq_head - r->calls[a].sq_head) < 0)
			r->calls[a].sq_head = r->calls[order[k + 1]].sq_head;
	}
	for (int pass = 0; pass < 2; pass++)
		for (unsigned k = 0; k < n; k++)
			if (mask & (1u << order[k]))
				r->be->post(&r->calls[order[k]], pass);
	h->acts[go_act].res = __builtin_popcount(mask);
	stamp(r, go_act, t0, cf_now_ns());
	if (g < CF_GROUPS)
		memset(r->parked[g], 0, sizeof(r->parked[g]));
	r->be->settle(go_act);
}

/* `wait exit n=K @aA` (docs/program-format.md, "Added by the actors
 * branch"): task aA ends, by exit(0) (K even) or SIGKILL from a0 (K odd),
 * and a0 reaps it; a task not made yet is made first, so that the act
 * means the same whatever came before. Its result: 0, 137 (128 + SIGKILL)
 * or -errno; on a0 or a thread -EINVAL, on a task already ended -ESRCH. */
static void end_task(struct actor_run *r, const struct cf_op *op, unsigned act)
{
	long long t0 = cf_now_ns();
	int res;

	if (!is_task(r, op->actor))
		res = cf_actor_kind(r->prog->actors, op->actor) == CF_ACTOR_THREAD || !op->actor
			      ? -EINVAL : -ENOSYS;
	else if (r->ended & (1u << op->actor))
		res = -ESRCH;
	else if ((res = start_task(r, op->actor)) == 0) {
		t0 = cf_now_ns();
		/* n & 1: SIGKILL; else n & 2: exec (cov3 branch); else exit */
		res = cf_actors_task_end(op->actor, (op->a[CF_W_N] & 1) ? CF_TASK_KILL
						    : (op->a[CF_W_N] & 2) ? CF_TASK_EXEC : CF_TASK_EXIT);
		r->ended |= 1u << op->actor;
	}
	r->h->acts[act].res = res;
	stamp(r, act, t0, cf_now_ns());
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
	memset(&run, 0, sizeof(run));
	run.be = be;
	run.h = h;
	run.prog = prog;
	run.t_base = cf_now_ns();
	for (unsigned i = 0; i < prog->nops; i++) {
		const struct cf_op *op = &prog->ops[i];
		unsigned act;

		if (op->kind == CF_OP_END)
			break;
		if (op->group) { /* parked until its group's release */
			run.parked[op->group][op->actor] = (int16_t)(i + 1);
			continue;
		}
		if (be->prepare && cf_op_is_go(prog->mode, op)) {
			release(&run, i, op->a[CF_W_N]);
			continue;
		}
		act = cf_history_begin_op(h, i, op);
		h->acts[act].actor = op->actor;
		if (be->prepare && cf_op_is_exit(prog->mode, op) &&
		    cf_actor_kind(prog->actors, op->actor) != CF_ACTOR_THREAD1) {
			end_task(&run, op, act);
		} else if (op->actor && be->prepare) {
			run_on_actor(&run, op, act, i);
		} else {
			h->acts[act].t0 = cf_now_ns() - run.t_base;
			h->acts[act].res = run_op(be, rs, op, act, i);
			h->acts[act].t1 = cf_now_ns() - run.t_base;
		}
		be->settle(act);
	}
	if (be->fire && run.used)
		actors_run_task_work(&run);
	be->teardown(be->fire && run.used ? actors_run_task_work : NULL, &run);
	cf_actors_end_tasks(); /* no task outlives its execution */
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
