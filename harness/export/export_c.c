/* export-c: a program, run once through the pipeline, written out as C.
 *
 * The reproducer is three texts: a header comment (what it reproduces and
 * how to build it), the checks and observations (repro_check.h, verbatim),
 * the shared machinery (repro_runtime.c.in, verbatim), and between them the
 * parts made here: the program's settings, its ops as a table of text, the
 * checks as data, and run_program(), one block of calls per op (liburing,
 * raw AIO syscalls or the C library's POSIX AIO; on an actor, prepared for
 * its thread), in the order and with the arguments harness/exec uses.
 *
 * A check is chosen per finding from candidates its invariant allows (which
 * cancel, which requests, which window), and kept only if it holds on the
 * history just recorded: the reproducer tests what the oracle saw, in terms
 * a reader can follow without the oracle. */
#include "export_c.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aio_model.h"
#include "input.h"
#include "model.h"
#include "racy.h"
#include "repro_check.h"
#include "repro_text.h"
#include "run.h"
#include "text.h"

#define RACY_ATTEMPTS 10 /* runs a racy reproducer makes before it says "not reproduced" */
#define RACE_ATTEMPTS 20 /* runs a reproducer with race groups makes, all of them, counting */
#define EXPORT_RUNS 5    /* runs export-c makes of a racy program to see a finding (that a check can follow) */
#define MAX_CHECKS (CF_MAX_FINDINGS)

struct exporter {
	const char *path;
	enum cf_spec spec;
	struct cf_program prog;
	struct cf_history *h;
	struct cf_judgement j;
	unsigned nprog;  /* the program's acts: ops before `end` */
	int racy, aio;   /* aio: an AIO family (mode aio or posix), else io_uring */
	int posix;       /* POSIX AIO (mode posix) */
	char *lines[CF_MAX_OPS + 2]; /* the program's text, one line each */
	unsigned nlines;
	char *text;
	struct chk checks[MAX_CHECKS];
	const struct cf_finding *finding[MAX_CHECKS];
	unsigned nchecks, manual;
	/* Actors and race groups (every family): acts are numbered in the order
	 * the harness begins them (a group's ops at its release, before the
	 * go op's act), before it reorders a group's acts by when their calls
	 * ended; that order is the program's, so the reproducer's act i is
	 * the same op in every run. */
	int actors, groups;  /* ops on a1..a3; race groups */
	int renumbered;      /* some act is not its op's index */
	int act_of_op[CF_MAX_OPS];       /* -1: `end`, or parked and never released */
	int op_of_act[CF_MAX_OPS + 2];
	unsigned nacts;      /* the program's acts */
	unsigned op_line;    /* lines[op_line + i] is op i's text */
};

static struct cf_history history;
static struct obs recorded;

/* ---- the history as the reproducer would have observed it ---- */

/* The reproducer's act for history act a: the program's ops keep their
 * number; the teardown's submit is nprog, its cancel rounds nprog + 1. */
static int obs_act(const struct exporter *e, int a)
{
	unsigned first = e->aio ? CF_ACT_END_CANCEL : CF_ACT_END_SUBMIT;

	if (a >= 0 && (unsigned)a < e->nprog && e->renumbered)
		return e->act_of_op[e->h->acts[a].op_index];
	if (a < 0 || (unsigned)a < e->nprog)
		return a;
	return e->h->acts[a].kind == first ? (int)e->nprog : (int)e->nprog + 1;
}

/* A user_data as the reproducer gives it: a cancel SQE's carries its act
 * (the harness's, its op). */
static uint64_t obs_ud(const struct exporter *e, uint64_t ud)
{
	if (!e->renumbered || (ud & ~0xffull) != CF_UD_CANCEL_BASE || (ud & 0xff) >= CF_MAX_OPS ||
	    e->act_of_op[ud & 0xff] < 0)
		return ud;
	return OBS_CANCEL_UD | (unsigned)e->act_of_op[ud & 0xff];
}

/* The acts of the program as the harness begins them (executor.c): an op
 * in a race group at its group's release, in program order, then the go
 * op; an op still parked at the end has none. */
static void number_acts(struct exporter *e)
{
	int parked[CF_GROUPS][CF_ACTORS];
	unsigned act = 0;

	memset(parked, -1, sizeof(parked));
	e->actors = e->groups = e->renumbered = 0;
	for (unsigned i = 0; i < CF_MAX_OPS; i++)
		e->act_of_op[i] = -1;
	for (unsigned i = 0; i < e->prog.nops && e->prog.ops[i].kind != CF_OP_END; i++) {
		const struct cf_op *op = &e->prog.ops[i];

		e->actors |= op->actor != 0;
		if (op->group) {
			parked[op->group][op->actor] = (int)i;
			e->groups = 1;
			continue;
		}
		if (cf_op_is_go(e->prog.mode, op)) {
			unsigned g = op->a[CF_W_N];

			e->groups = 1; /* its release is written even with nothing parked (seed 558) */
			for (int next = 0; g < CF_GROUPS && next >= 0;) { /* program order */
				next = -1;
				for (unsigned a = 0; a < CF_ACTORS; a++)
					if (parked[g][a] >= 0 && (next < 0 || parked[g][a] < parked[g][next]))
						next = (int)a;
				if (next >= 0) {
					e->act_of_op[parked[g][next]] = (int)act++;
					parked[g][next] = -1;
				}
			}
		}
		e->act_of_op[i] = (int)act++;
	}
	e->nacts = act;
	for (unsigned i = 0; i < CF_MAX_OPS; i++)
		if (e->act_of_op[i] >= 0) {
			e->op_of_act[e->act_of_op[i]] = (int)i;
			e->renumbered |= e->act_of_op[i] != (int)i;
		}
}

static void observe_history(const struct exporter *e, struct obs *o)
{
	const struct cf_history *h = e->h;
	int first_cancel = 1;

	memset(o, 0, sizeof(*o));
	o->nacts = e->nprog;
	for (unsigned a = 0; a < OBS_MAX_ACTS + 2; a++)
		o->fd[a] = o->after[a] = -1;
	for (unsigned a = 0; a < h->nacts; a++) {
		int oa = obs_act(e, (int)a);

		if (h->acts[a].kind == CF_ACT_OP || h->acts[a].kind == CF_ACT_END_SUBMIT ||
		    h->acts[a].kind == (e->aio ? CF_ACT_END_DRAIN : CF_ACT_END_SUBMIT) ||
		    (h->acts[a].kind == CF_ACT_END_CANCEL && first_cancel))
			o->res[oa] = h->acts[a].res;
		first_cancel &= h->acts[a].kind != CF_ACT_END_CANCEL;
		if (h->acts[a].kind == CF_ACT_END_DRAIN)
			o->left = (unsigned)h->acts[a].res;
	}
	for (unsigned a = 0; a <= e->nprog + 1; a++)
		for (unsigned i = 0; i < h->nreqs; i++)
			o->consumed[a] += cf_has_sqe(&h->reqs[i]) && !h->reqs[i].ring && h->reqs[i].sub_act >= 0 &&
					  obs_act(e, h->reqs[i].sub_act) <= (int)a;
	if (!e->aio) { /* the reproducer's count: SQEs not consumed, and final CQEs owed by user_data */
		for (unsigned i = 0; i < h->nreqs; i++) {
			unsigned owed = 0, seen = 0;
			int first = 1;

			if (!cf_has_sqe(&h->reqs[i]) || h->reqs[i].ring) /* ring 1: the trace's only */
				continue;
			if (h->reqs[i].sub_act < 0) {
				o->left++;
				continue;
			}
			for (unsigned k = 0; k < i && first; k++)
				first = !(cf_has_sqe(&h->reqs[k]) && h->reqs[k].sub_act >= 0 &&
					  h->reqs[k].user_data == h->reqs[i].user_data);
			if (!first)
				continue;
			for (unsigned k = i; k < h->nreqs; k++)
				owed += cf_has_sqe(&h->reqs[k]) && h->reqs[k].sub_act >= 0 &&
					h->reqs[k].user_data == h->reqs[i].user_data;
			for (unsigned c = 0; c < h->ncqes; c++)
				seen += h->cqes[c].user_data == h->reqs[i].user_data && !h->cqes[c].ring &&
					CF_CQE_FINAL(&h->cqes[c]);
			o->left += owed > seen ? owed - seen : 0;
		}
	}
	/* the CQEs an act's call could see: those recorded under it or before */
	for (unsigned a = 0; !e->aio && a < h->nacts; a++) {
		unsigned seen = 0;

		for (unsigned c = 0; c < h->ncqes; c++)
			seen += h->cqes[c].act <= a && !h->cqes[c].ring;
		o->seen_by[obs_act(e, (int)a)] = seen;
	}
	o->renumbered = e->renumbered;
	for (unsigned a = 0; a < e->nprog && a < OBS_MAX_ACTS; a++)
		o->op_of[a] = e->op_of_act[a];
	for (unsigned a = 0; e->posix && a < h->nacts; a++)
		o->unsettled[obs_act(e, (int)a)] |= h->acts[a].unsettled && h->acts[a].kind != CF_ACT_END_DRAIN;
	for (unsigned i = 0; e->posix && i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];

		if (r->req != CF_REQ_CANCEL || r->act >= e->nprog)
			continue;
		o->fd[obs_act(e, r->act)] = r->fd_id; /* only its sign is read: -1 is a bad fd */
		o->after[obs_act(e, r->act)] = r->status_after;
		o->changed[obs_act(e, r->act)] = r->cb_changed;
	}
	for (unsigned c = 0; e->posix && c < h->ncqes && o->ncqes < OBS_MAX_CQES; c++) {
		const struct cf_cqe_rec *q = &h->cqes[c];
		unsigned kind = q->source == CF_EV_DONE ? OBS_PX_DONE
				: q->source == CF_EV_SIGNAL ? OBS_PX_SIGNAL : OBS_PX_THREAD;

		if (q->req < 0 || q->req >= (int)h->nreqs)
			continue;
		o->cqe[o->ncqes++] = (struct obs_cqe){ (unsigned)obs_act(e, q->act),
						       (unsigned)obs_act(e, h->reqs[q->req].act), q->res, kind,
						       q->res2 };
	}
	for (unsigned c = 0; !e->posix && c < h->ncqes && o->ncqes < OBS_MAX_CQES; c++)
		if (!h->cqes[c].ring) /* the second ring's are the trace's only */
			o->cqe[o->ncqes++] = (struct obs_cqe){
				(unsigned)obs_act(e, h->cqes[c].act), obs_ud(e, h->cqes[c].user_data),
				h->cqes[c].res,
				e->aio ? (h->cqes[c].source == CF_EV_COPIED ? OBS_EV_COPIED : 0) : h->cqes[c].flags,
				e->aio ? h->cqes[c].res2 : 0 };
}

/* ---- candidate checks, per invariant ---- */

/* The cancels a check may name: the program's, and the teardown's first
 * ANY|ALL (the reproducer records its result too). */
static int is_judged_cancel(const struct exporter *e, unsigned i)
{
	const struct cf_req_rec *r = &e->h->reqs[i];

	if (r->req != CF_REQ_CANCEL)
		return 0;
	if (e->h->acts[r->act].kind == CF_ACT_OP)
		return 1;
	for (unsigned a = e->nprog; a < r->act; a++)
		if (e->h->acts[a].kind == CF_ACT_END_CANCEL)
			return 0;
	return e->h->acts[r->act].kind == CF_ACT_END_CANCEL;
}

/* The reproducer's act a cancel ran in: its SQE's consuming act, or the
 * sync call's; -1 when its SQE was never consumed. */
static int cancel_act(const struct exporter *e, const struct cf_req_rec *r)
{
	return obs_act(e, cf_has_sqe(r) ? r->sub_act : r->act);
}

static int sqe_ordinal(const struct cf_history *h, unsigned i)
{
	int n = 0;

	for (unsigned k = 0; k < i; k++)
		n += cf_has_sqe(&h->reqs[k]);
	return n;
}

static struct chk_cancel cancel_of(const struct exporter *e, unsigned i)
{
	const struct cf_req_rec *r = &e->h->reqs[i];

	if (e->aio) /* io_cancel: the result is the call's, for one iocb */
		return (struct chk_cancel){ obs_act(e, r->act), 1, 0 };
	return (struct chk_cancel){ obs_act(e, r->act), r->api == CF_CANCEL_SYNC,
				    !!(r->cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)) };
}

static void add_ud(struct chk *k, uint64_t ud)
{
	for (unsigned i = 0; i < k->nuds; i++)
		if (k->uds[i] == ud)
			return;
	if (k->nuds < 8)
		k->uds[k->nuds++] = ud;
}

/* The user_data of every request cancel i can match. */
static void matching_uds(const struct exporter *e, unsigned i, struct chk *k)
{
	for (unsigned t = 0; t < e->h->nreqs; t++)
		if (cf_has_sqe(&e->h->reqs[t]) && e->h->reqs[t].req != CF_REQ_CANCEL &&
		    cf_cancel_matches(e->h, &e->h->reqs[i], &e->h->reqs[t]))
			add_ud(k, e->h->reqs[t].user_data);
}

static int invalid_fields(const struct cf_req_rec *r)
{
	uint32_t f = r->cancel_flags;
	int any_fd_op = (f & CF_CANCEL_F_ANY) && (f & (CF_CANCEL_F_FD | CF_CANCEL_F_OP));

	if (f & ~0x3fu)
		return 1; /* bits the uapi does not define */
	if (r->api == CF_CANCEL_SYNC)
		return (r->odd & (CF_ODD_OFF | CF_ODD_SPLICE_FD)) || any_fd_op;
	return (r->odd & (CF_ODD_OFF | CF_ODD_SPLICE_FD | CF_ODD_IOPRIO | CF_ODD_BUF_SELECT)) ||
	       any_fd_op;
}

/* Keeps k for finding f when it holds on the recorded history. */
static int try_check(struct exporter *e, const struct cf_finding *f, struct chk *k)
{
	char what[512];

	k->invariant = cf_invariant_name(f->invariant);
	k->divergence = f->divergence ? f->divergence : "";
	k->page = cf_invariant_file(f->invariant);
	k->quote = cf_invariant_quote(f->invariant);
	k->seen = f->detail;
	if (!chk_broken(k, &recorded, what, sizeof(what)))
		return 0;
	e->checks[e->nchecks] = *k;
	e->finding[e->nchecks++] = f;
	return 1;
}

static int try_result(struct exporter *e, const struct cf_finding *f, unsigned i, int cond)
{
	struct chk k = { .kind = CHK_RESULT, .cond = cond, .nc = 1, .sqe = -1 };

	k.c[0] = cancel_of(e, i);
	return try_check(e, f, &k);
}

/* Cancels' claims against the canceled CQEs of the requests they match,
 * from the first cancel's act to the widest window that still shows it:
 * over-claims may count the teardown's cancels too, the others only what
 * the program's own ops saw (the teardown cancels whatever is left). */
static int try_count(struct exporter *e, const struct cf_finding *f, const unsigned *ci,
		     unsigned n, int rel)
{
	struct chk k = { .kind = CHK_COUNT, .rel = rel, .sqe = -1 };

	for (unsigned x = 0; x < n; x++) {
		k.c[k.nc++] = cancel_of(e, ci[x]);
		matching_uds(e, ci[x], &k);
	}
	k.from = cancel_act(e, &e->h->reqs[ci[0]]);
	if (k.from < 0 || k.nuds == 0)
		return 0;
	for (k.to = (int)e->nprog - (rel == REL_OVER ? -1 : 1); k.to >= k.from; k.to--)
		if (try_check(e, f, &k))
			return 1;
	return 0;
}

/* Native AIO: the program destroyed its context before act n and set up
 * no new one since (close ctx / close setup ops, in order). */
static int ctx_dead_at(const struct exporter *e, unsigned n)
{
	int dead = 0;

	for (unsigned a = 0; a < n && a < e->nprog; a++)
		if (e->h->acts[a].op_kind == CF_OP_CLOSE && e->h->acts[a].res == 0) {
			if (e->h->acts[a].a[CF_X_SLOT] == CF_AIO_CLOSE_DESTROY)
				dead = 1;
			else if (e->h->acts[a].a[CF_X_SLOT] == CF_AIO_CLOSE_SETUP)
				dead = 0;
		}
	return dead;
}

/* Native AIO: each io_cancel of the program, on a live context or (for the
 * bad-context rule) not. */
static int aio_candidates(struct exporter *e, const struct cf_finding *f)
{
	const struct cf_history *h = e->h;

	if (f->invariant == INV_AIO_EXACTLY_ONCE && f->other >= 0) {
		/* a request that never got an event (D29) */
		struct chk k = { .kind = CHK_NO_CQE_BY, .sqe = -1, .by = (int)e->nprog + 1 };
		const struct cf_req_rec *t = &h->reqs[f->other];

		/* up to the next request of the same user_data, whose event would count */
		for (unsigned i = (unsigned)f->other + 1; i < h->nreqs; i++)
			if (h->reqs[i].req != CF_REQ_CANCEL && h->reqs[i].user_data == t->user_data &&
			    h->reqs[i].sub_act >= 0) {
				k.by = obs_act(e, h->reqs[i].sub_act) - 1;
				break;
			}
		add_ud(&k, t->user_data);
		return k.by >= 0 && try_check(e, f, &k);
	}
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		struct chk k = { .nc = 1, .sqe = -1 };

		if (r->req != CF_REQ_CANCEL || h->acts[r->act].kind != CF_ACT_OP)
			continue;
		/* a bogus or destroyed context: only the bad-context rule speaks */
		if (((r->cancel_flags & CF_AIOC_BADCTX) || ctx_dead_at(e, r->act)) !=
		    (f->invariant == INV_IO_CANCEL_BAD_CTX))
			continue;
		k.c[0] = cancel_of(e, i);
		add_ud(&k, r->key_ud);
		switch (f->invariant) {
		case INV_IO_CANCEL_ERRORS:
			k.kind = CHK_RESULT;
			k.cond = COND_AIO_UNLISTED;
			break;
		case INV_IO_CANCEL_NULL_RESULT:
			if (!(r->cancel_flags & CF_AIOC_NULLRESULT) || r->api == CF_AIOT_BADPTR)
				continue;
			k.kind = CHK_RESULT;
			k.cond = COND_AIO_EFAULT;
			break;
		case INV_IO_CANCEL_EFAULT:
			/* only where the context is surely live: a dead one may say -EINVAL */
			if (r->api != CF_AIOT_BADPTR || ctx_dead_at(e, r->act))
				continue;
			k.kind = CHK_RESULT;
			k.cond = COND_AIO_NOT_EFAULT;
			break;
		case INV_IO_CANCEL_BAD_CTX:
			if (r->api == CF_AIOT_BADPTR)
				continue;
			k.kind = CHK_RESULT;
			k.cond = COND_AIO_NOT_EINVAL;
			break;
		case INV_IO_CANCEL_RETURNS_0:
			k.kind = CHK_CANCELED_NOT_0;
			/* the program's other io_cancels of the request: one that
			 * succeeded canceled it (two racing in a group: seed 441) */
			for (unsigned o = 0; o < h->nreqs && k.nc < 4; o++)
				if (o != i && h->reqs[o].req == CF_REQ_CANCEL && h->acts[h->reqs[o].act].kind == CF_ACT_OP &&
				    h->reqs[o].api == r->api && h->reqs[o].key_ud == r->key_ud)
					k.c[k.nc++] = cancel_of(e, o);
			break;
		case INV_IO_CANCEL_RESULT:
			/* an unmapped result counts: writing it would have failed with -EFAULT */
			if (r->cancel_flags & CF_AIOC_NULLRESULT)
				continue;
			k.kind = CHK_NOT_COPIED;
			break;
		case INV_IO_CANCEL_EAGAIN:
			if (r->api == CF_AIOT_BADPTR)
				continue;
			k.kind = CHK_RESULT;
			k.cond = COND_EINVAL;
			break;
		default:
			return 0;
		}
		if (try_check(e, f, &k))
			return 1;
	}
	return 0;
}

/* POSIX AIO: does cancel c name request i (the oracle's reading: its
 * aiocb's request on the fd given, or with NULL every request on the fd)? */
static int px_names(const struct exporter *e, unsigned c, unsigned i)
{
	const struct cf_req_rec *r = &e->h->reqs[c], *t = &e->h->reqs[i];

	if (t->req == CF_REQ_CANCEL || t->sub_act < 0)
		return 0;
	if (r->api == CF_PXC_NULL)
		return t->fd_id == r->fd_id && r->fd_id >= 0;
	return (int)i == r->target && t->fd_id == r->fd_id;
}

static int px_try(struct exporter *e, const struct cf_finding *f, int kind, int cond, int op,
		  const unsigned long long *uds, unsigned nuds)
{
	struct chk k = { .kind = kind, .cond = cond, .sqe = -1 };

	if (op >= 0) {
		k.nc = 1;
		k.c[0] = (struct chk_cancel){ op, 1, 0 };
	}
	for (unsigned i = 0; i < nuds; i++)
		add_ud(&k, uds[i]);
	if (nuds > 8)
		return 0; /* more requests than a check can name */
	return try_check(e, f, &k);
}

/* The POSIX checks each rule of oracles/posix_oracle.c has, tried on every
 * aio_cancel, status call and request of the program. */
static int posix_candidates(struct exporter *e, const struct cf_finding *f)
{
	const struct cf_history *h = e->h;
	static const int notify_cond[] = { COND_PX_NOTIFY_NONE, COND_PX_NOTIFY_SIGNAL, COND_PX_NOTIFY_THREAD };

	for (unsigned c = 0; c < h->nreqs; c++) {
		const struct cf_req_rec *r = &h->reqs[c];
		int op = obs_act(e, r->act), t = r->target;
		unsigned long long uds[CF_MAX_REQS], tud = t >= 0 ? (unsigned)obs_act(e, h->reqs[t].act) : 0;
		unsigned nuds = 0;

		if (r->req != CF_REQ_CANCEL || r->act >= e->nprog)
			continue;
		for (unsigned i = 0; i < h->nreqs; i++)
			if (px_names(e, c, i))
				uds[nuds++] = (unsigned)obs_act(e, h->reqs[i].act);
		switch (f->invariant) {
		case INV_AIO_CANCEL_ERRORS:
			if (px_try(e, f, CHK_RESULT, COND_PX_UNLISTED, op, NULL, 0))
				return 1;
			break;
		case INV_AIO_CANCEL_EBADF:
			if (px_try(e, f, CHK_RESULT, COND_PX_NOT_EBADF, op, NULL, 0) ||
			    px_try(e, f, CHK_RESULT, COND_PX_EBADF, op, NULL, 0))
				return 1;
			break;
		case INV_AIO_CANCEL_ALLDONE:
		case INV_AIO_CANCEL_CANCELED:
		case INV_AIO_CANCEL_NOTCANCELED: {
			int cond = f->invariant == INV_AIO_CANCEL_ALLDONE ? COND_PX_ALLDONE
				   : f->invariant == INV_AIO_CANCEL_CANCELED ? COND_PX_CANCELED : COND_PX_NOTCANCELED;

			if (px_try(e, f, CHK_PX_CANCEL, cond, op, uds, nuds))
				return 1;
			break;
		}
		case INV_AIO_CANCEL_NULL_ALL:
		case INV_AIO_CANCEL_ONLY_AIOCB:
			if (px_try(e, f, CHK_PX_CANCEL, COND_PX_ENDED_OTHER, op, uds, nuds))
				return 1;
			break;
		case INV_AIO_CANCEL_STATUS:
			if (t >= 0 && px_try(e, f, CHK_PX_STATUS, COND_PX_AFTER_CANCELED, op, &tud, 1))
				return 1;
			break;
		case INV_AIO_CANCEL_INPROGRESS:
			if (t >= 0 && px_try(e, f, CHK_PX_STATUS, COND_PX_AFTER_INPROGRESS, op, &tud, 1))
				return 1;
			break;
		case INV_AIO_NOT_CANCELED_COMPLETES:
			if (t >= 0 && px_try(e, f, CHK_PX_CANCEL, COND_PX_LATER_CANCELED, op, &tud, 1))
				return 1;
			break;
		}
	}
	/* the program's aio_error / aio_return calls */
	for (unsigned a = 0; a < e->nprog; a++) {
		const struct cf_act_rec *act = &h->acts[a];
		int t = -1, how = act->a[CF_W_HOW];
		unsigned long long tud;

		if (act->op_kind != CF_OP_WAIT || (how != CF_PXW_ERROR && how != CF_PXW_RETURN))
			continue;
		for (unsigned i = 0; i < h->nreqs; i++)
			if (h->reqs[i].req != CF_REQ_CANCEL && h->reqs[i].user_data == act->a[CF_W_N] &&
			    h->reqs[i].act < a)
				t = (int)i;
		if (t < 0 || h->reqs[t].sub_act < 0)
			continue;
		tud = (unsigned)obs_act(e, h->reqs[t].act);
		if (f->invariant == INV_AIO_CANCEL_INPROGRESS && how == CF_PXW_ERROR &&
		    px_try(e, f, CHK_PX_STATUS, COND_PX_ERROR_INPROGRESS, obs_act(e, (int)a), &tud, 1))
			return 1;
		if (f->invariant == INV_AIO_CANCEL_STATUS &&
		    px_try(e, f, CHK_PX_STATUS, how == CF_PXW_ERROR ? COND_PX_ERROR_CANCELED : COND_PX_RETURN_CANCELED,
			   obs_act(e, (int)a), &tud, 1))
			return 1;
	}
	/* each request: how it ended, how it was notified, what canceled it */
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		unsigned long long ud = (unsigned)obs_act(e, r->act);
		struct chk k = { .kind = CHK_PX_CAUSE, .sqe = -1 };

		if (r->req == CF_REQ_CANCEL || r->sub_act < 0)
			continue;
		switch (f->invariant) {
		case INV_AIO_CANCEL_STATUS:
			if (px_try(e, f, CHK_PX_STATUS, COND_PX_EVENT_RETURN, -1, &ud, 1))
				return 1;
			break;
		case INV_AIO_CANCEL_NOTIFIES:
		case INV_AIO_NOTIFY_KIND:
			if (px_try(e, f, CHK_PX_NOTES, notify_cond[r->sqe_flags % 3], -1, &ud, 1))
				return 1;
			break;
		case INV_AIO_NOT_CANCELED_COMPLETES:
			if (px_try(e, f, CHK_PX_NOTES, COND_PX_ONCE, -1, &ud, 1))
				return 1;
			break;
		case INV_AIO_CANCEL_ONLY_AIOCB:
			add_ud(&k, ud);
			for (unsigned c = 0; c < h->nreqs; c++)
				if (h->reqs[c].req == CF_REQ_CANCEL && h->reqs[c].act < e->nprog && px_names(e, c, i)) {
					if (k.nc == 4)
						return 0; /* more cancels than a check can name */
					k.c[k.nc++] = (struct chk_cancel){ obs_act(e, h->reqs[c].act), 1, 0 };
				}
			if (try_check(e, f, &k))
				return 1;
			break;
		}
	}
	return 0;
}

/* ---- io_uring: checks over one request's CQEs ---- */

/* Requests (with an SQE, not cancels) that carry user_data ud. */
static unsigned ud_requests(const struct exporter *e, uint64_t ud, unsigned *single)
{
	unsigned n = 0;

	*single = 1;
	for (unsigned i = 0; i < e->h->nreqs; i++) {
		const struct cf_req_rec *r = &e->h->reqs[i];

		if (!cf_has_sqe(r) || r->req == CF_REQ_CANCEL || r->user_data != ud)
			continue;
		n++;
		*single &= !cf_req_is_multishot(r->req);
	}
	return n;
}

/* The SQE before request i in submission order, -1 for the first. */
static int sqe_before(const struct exporter *e, unsigned i)
{
	for (int k = (int)i - 1; k >= 0; k--)
		if (cf_has_sqe(&e->h->reqs[k]))
			return k;
	return -1;
}

/* Request i may end -ECANCELED without a cancel: it is in a chain (a link
 * breaks, a link timeout fires) or is a link timeout. */
static int chained(const struct exporter *e, unsigned i)
{
	int p = sqe_before(e, i);

	return cf_links_next(&e->h->reqs[i]) || cf_is_link_timeout(e->h->reqs[i].req) ||
	       (p >= 0 && cf_links_next(&e->h->reqs[p]));
}

/* No cancel of the program can match any request with user_data ud, and
 * none of them is in a chain: a -ECANCELED CQE of ud has no cause. */
static int uncaused(const struct exporter *e, uint64_t ud)
{
	const struct cf_history *h = e->h;

	for (unsigned t = 0; t < h->nreqs; t++) {
		if (!cf_has_sqe(&h->reqs[t]) || h->reqs[t].req == CF_REQ_CANCEL || h->reqs[t].user_data != ud)
			continue;
		if (chained(e, t))
			return 0;
		for (unsigned c = 0; c < h->nreqs; c++)
			if (h->reqs[c].req == CF_REQ_CANCEL && h->acts[h->reqs[c].act].kind == CF_ACT_OP &&
			    cf_cancel_matches(h, &h->reqs[c], &h->reqs[t]))
				return 0;
	}
	return 1;
}

/* How many requests with user_data ud, other than p, can end with anything
 * but -ECANCELED in this program: all but a read or recv of a pipe or
 * socketpair end that nothing writes into, closes or shuts down. */
static int can_complete(const struct exporter *e, uint64_t ud, int p)
{
	static const int peer[CF_SLOT__COUNT] = {
		[CF_SLOT_PIPE0_R] = CF_SLOT_PIPE0_W + 1, [CF_SLOT_PIPE1_R] = CF_SLOT_PIPE1_W + 1,
		[CF_SLOT_SOCK0_A] = CF_SLOT_SOCK0_B + 1, [CF_SLOT_SOCK0_B] = CF_SLOT_SOCK0_A + 1,
		[CF_SLOT_SOCK1_A] = CF_SLOT_SOCK1_B + 1, [CF_SLOT_SOCK1_B] = CF_SLOT_SOCK1_A + 1,
	};
	const struct cf_program *prog = &e->prog;
	int n = 0;

	for (unsigned t = 0; t < e->h->nreqs; t++) {
		const struct cf_req_rec *r = &e->h->reqs[t];
		int other, stuck;

		if ((int)t == p || !cf_has_sqe(r) || r->req == CF_REQ_CANCEL || r->user_data != ud)
			continue;
		other = peer[r->slot] - 1;
		stuck = (r->req == CF_REQ_READ || r->req == CF_REQ_RECV) && other >= 0;
		/* a futex wait on the word (always 0, as it expects) ends only by
		 * a wake, and the teardown cancels, it never wakes */
		if ((r->req == CF_REQ_FUTEX_WAIT || r->req == CF_REQ_FUTEX_WAITV) && !(r->sqe_flags & CF_SQE_FIXED)) {
			stuck = 1;
			for (unsigned i = 0; i < prog->nops; i++)
				if (prog->ops[i].kind == CF_OP_COMPLETE && prog->ops[i].a[CF_D_WHAT] == CF_DO_FUTEX_WAKE)
					stuck = 0;
			n += !stuck;
			continue;
		}
		for (unsigned i = 0; stuck && i < prog->nops; i++) {
			const struct cf_op *op = &prog->ops[i];

			if (op->kind == CF_OP_CLOSE && (op->a[CF_X_SLOT] == r->slot || op->a[CF_X_SLOT] == other))
				stuck = 0;
			if (op->kind == CF_OP_COMPLETE &&
			    (op->a[CF_D_SLOT] == r->slot || op->a[CF_D_SLOT] == other))
				stuck = 0;
			if (op->kind == CF_OP_QUEUE && op->a[CF_Q_SLOT] == other)
				stuck = 0;
		}
		n += !stuck;
	}
	return n;
}

/* Is a request with user_data ud linked to a link timeout? Then its
 * expiry is a cause for a -ECANCELED of ud (D31 needs more than that). */
static int guarded_by_link_timeout(const struct exporter *e, uint64_t ud)
{
	for (unsigned k = 0; k < e->h->nreqs; k++) {
		int p = sqe_before(e, k);

		if (cf_is_link_timeout(e->h->reqs[k].req) && p >= 0 && cf_links_next(&e->h->reqs[p]) &&
		    e->h->reqs[p].user_data == ud)
			return 1;
	}
	return 0;
}

static int try_rule(struct exporter *e, const struct cf_finding *f, int cond, uint64_t ud, uint64_t ud2,
		    int sqe)
{
	struct chk k = { .kind = CHK_CQE_RULE, .cond = cond, .sqe = sqe };

	if (cond != COND_FOREIGN && cond != COND_UNCONSUMED)
		add_ud(&k, ud);
	if (cond == COND_TIMEOUT_AND_DONE || cond == COND_TIMEOUT_SHARED_DONE)
		add_ud(&k, ud2);
	if (cond == COND_FOREIGN)
		for (unsigned i = 0; i < e->h->nreqs; i++)
			if (cf_has_sqe(&e->h->reqs[i]) && e->h->reqs[i].req != CF_REQ_CANCEL)
				add_ud(&k, e->h->reqs[i].user_data);
	return try_check(e, f, &k);
}

/* The CQE checks of multishot-final, exactly-once, link-timeout,
 * non-matching-untouched and close-does-not-cancel, per request. */
static int request_candidates(struct exporter *e, const struct cf_finding *f)
{
	const struct cf_history *h = e->h;
	unsigned nsqes = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		nsqes += cf_has_sqe(&h->reqs[i]);
	if (f->invariant == INV_EXACTLY_ONCE &&
	    (try_rule(e, f, COND_FOREIGN, 0, 0, -1) || try_rule(e, f, COND_UNCONSUMED, 0, 0, (int)nsqes)))
		return 1;
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		unsigned single, n;
		int p;

		if (!cf_has_sqe(r))
			continue;
		if (r->req == CF_REQ_CANCEL) { /* its own CQE: user_data OBS_CANCEL_UD | op */
			struct chk_cancel c = cancel_of(e, i);

			if (f->invariant == INV_EXACTLY_ONCE && h->acts[r->act].kind == CF_ACT_OP &&
			    (try_rule(e, f, COND_AFTER_FINAL, OBS_CANCEL_UD | (unsigned)c.op, 0, -1) ||
			     (e->prog.mode != CF_MODE_SQPOLL &&
			      try_rule(e, f, COND_BEFORE_SQE, OBS_CANCEL_UD | (unsigned)c.op, 0, sqe_ordinal(h, i)))))
				return 1;
			continue;
		}
		n = ud_requests(e, r->user_data, &single);
		switch (f->invariant) {
		case INV_MULTISHOT_FINAL:
			if (try_rule(e, f, COND_MORE_ON_CANCELED, r->user_data, 0, -1) ||
			    (single && try_rule(e, f, COND_MORE_ON_SINGLE, r->user_data, 0, -1)) ||
			    (n == 1 && try_rule(e, f, COND_AFTER_FINAL, r->user_data, 0, -1)))
				return 1;
			break;
		case INV_EXACTLY_ONCE:
			if (n == 1 && (try_rule(e, f, COND_AFTER_FINAL, r->user_data, 0, -1) ||
				       (e->prog.mode != CF_MODE_SQPOLL &&
					try_rule(e, f, COND_BEFORE_SQE, r->user_data, 0, sqe_ordinal(h, i)))))
				return 1;
			break;
		case INV_LINK_TIMEOUT:
			if (!cf_is_link_timeout(r->req) || n != 1)
				break;
			if (r->req == CF_REQ_LINK_TIMEOUT_LONG &&
			    try_rule(e, f, COND_LONG_TIMEOUT_FIRED, r->user_data, 0, -1))
				return 1;
			p = sqe_before(e, i);
			if (p < 0 || !cf_links_next(&h->reqs[p]) || h->reqs[p].req == CF_REQ_CANCEL)
				break;
			if (ud_requests(e, h->reqs[p].user_data, &single) == 1 &&
			    try_rule(e, f, COND_TIMEOUT_AND_DONE, r->user_data, h->reqs[p].user_data, -1))
				return 1;
			/* D30: the request shares its user_data; the others can give
			 * at most this many results but -ECANCELED */
			if (ud_requests(e, h->reqs[p].user_data, &single) > 1 &&
			    try_rule(e, f, COND_TIMEOUT_SHARED_DONE, r->user_data, h->reqs[p].user_data,
				     can_complete(e, h->reqs[p].user_data, p)))
				return 1;
			break;
		case INV_NO_COLLATERAL:
			/* D31: canceled in place of a request of its user_data whose
			 * link timeout expired; seen as that request completing */
			for (unsigned k = 0; k < h->nreqs && n > 1; k++)
				if (cf_is_link_timeout(h->reqs[k].req) && (p = sqe_before(e, k)) >= 0 &&
				    p != (int)i && cf_links_next(&h->reqs[p]) &&
				    h->reqs[p].user_data == r->user_data &&
				    try_rule(e, f, COND_TIMEOUT_SHARED_DONE, h->reqs[k].user_data,
					     r->user_data, can_complete(e, r->user_data, p)))
					return 1;
			/* fall through */
		case INV_CLOSE_NO_CANCEL:
			if (uncaused(e, r->user_data)) {
				struct chk k = { .kind = CHK_CANCELED_BY, .sqe = -1 };

				add_ud(&k, r->user_data);
				for (k.by = 0; k.by < (int)e->nprog; k.by++)
					if (try_check(e, f, &k))
						return 1;
			}
			break;
		}
	}
	return 0;
}

/* D32, D33 (oracles/conditions.c, cross_task_late): the cancel returned
 * - its sync call, or the enter that submitted its SQE (one held behind
 * its chain: where its own CQE came) - before the -ECANCELED CQE of the
 * request it canceled, which another thread had submitted, was posted. */
static int try_late(struct exporter *e, const struct cf_finding *f)
{
	const struct cf_history *h = e->h;
	const struct cf_req_rec *r = &h->reqs[f->cancel];
	struct chk k = { .kind = CHK_LATE_CQE, .nc = 1, .sqe = -1 };
	int n = cf_ran_at(r);

	for (unsigned c = 0; cf_has_sqe(r) && c < h->ncqes; c++)
		if (h->cqes[c].user_data == r->user_data) {
			n = (int)h->cqes[c].act > n ? (int)h->cqes[c].act : n;
			break;
		}
	if (n < 0 || f->other < 0 || (unsigned)f->other >= h->nreqs)
		return 0;
	k.by = obs_act(e, n);
	k.c[0] = cancel_of(e, (unsigned)f->cancel);
	add_ud(&k, h->reqs[f->other].user_data);
	return try_check(e, f, &k);
}

static int candidates(struct exporter *e, const struct cf_finding *f)
{
	const struct cf_history *h = e->h;

	if (f->tag && f->cancel >= 0 &&
	    (strcmp(f->tag, "cross-task-target-late") == 0 || strcmp(f->tag, "cross-task-sync-late") == 0) &&
	    try_late(e, f))
		return 1;
	if (e->posix)
		return posix_candidates(e, f);
	if (e->aio)
		return aio_candidates(e, f);

	if (f->invariant == INV_ANY_REACHES_ALL && f->other >= 0 && f->cancel >= 0) {
		/* a request an ANY cancel left pending (D27): no CQE by its act */
		struct chk k = { .kind = CHK_NO_CQE_BY, .sqe = -1,
				 .by = cancel_act(e, &h->reqs[f->cancel]) };

		add_ud(&k, h->reqs[f->other].user_data);
		return k.by >= 0 && try_check(e, f, &k);
	}
	if (f->invariant == INV_ANY_REACHES_ALL) {
		struct chk k = { .kind = CHK_LEFT, .sqe = -1 };
		return try_check(e, f, &k);
	}
	/* D37: the single-shot poll a poll update with ADD_MULTI named fired once */
	if (f->invariant == INV_POLL_UPDATE && f->other >= 0 && h->reqs[f->other].req == CF_REQ_POLL)
		return try_rule(e, f, COND_FIRED_SINGLE, h->reqs[f->other].user_data, 0, -1);
	if (f->invariant == INV_NO_COLLATERAL && f->other >= 0 &&
	    !guarded_by_link_timeout(e, h->reqs[f->other].user_data)) {
		/* a request canceled with no cancel matching it (D26): its -ECANCELED */
		struct chk k = { .kind = CHK_CANCELED_BY, .sqe = -1 };

		add_ud(&k, h->reqs[f->other].user_data);
		for (k.by = 0; k.by <= (int)e->nprog + 1; k.by++)
			if (try_check(e, f, &k))
				return 1;
		return 0;
	}
	if (f->invariant == INV_MULTISHOT_FINAL || f->invariant == INV_EXACTLY_ONCE ||
	    f->invariant == INV_LINK_TIMEOUT || f->invariant == INV_NO_COLLATERAL ||
	    f->invariant == INV_CLOSE_NO_CANCEL)
		return request_candidates(e, f);
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		uint32_t fl = r->cancel_flags;
		int all = !!(fl & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)), n;

		if (!is_judged_cancel(e, i) || (n = cancel_act(e, r)) < 0)
			continue;
		switch (f->invariant) {
		case INV_FIRST_MATCH_ONLY:
			if ((fl & CF_CANCEL_F_ANY) && !(fl & CF_CANCEL_F_ALL) &&
			    try_result(e, f, i, COND_MORE_THAN_1))
				return 1;
			if (!all && try_count(e, f, &i, 1, REL_UNDER))
				return 1;
			break;
		case INV_RESULT_CODES:
			if (try_result(e, f, i, all ? COND_NOT_POSITIVE : COND_NOT_0_OR_ERR))
				return 1;
			break;
		case INV_DOCUMENTED_ERRORS:
			if (try_result(e, f, i, COND_UNDOCUMENTED))
				return 1;
			break;
		case INV_INVALID_FIELDS:
			/* USERDATA and OP, on no page, are invalid fields there (D25) */
			if ((invalid_fields(r) || (fl & (CF_CANCEL_F_USERDATA | CF_CANCEL_F_OP))) &&
			    try_result(e, f, i, COND_NOT_EINVAL))
				return 1;
			break;
		case INV_ALL_COUNT:
			if (all && try_count(e, f, &i, 1, REL_DIFFERENT))
				return 1;
			break;
		case INV_ENOENT: {
			struct chk k = { .kind = CHK_ENOENT_PENDING, .nc = 1, .sqe = -1, .from = 0, .to = n };

			k.c[0] = cancel_of(e, i);
			add_ud(&k, r->key_ud);
			if (!(fl & (CF_CANCEL_F_ANY | CF_CANCEL_F_FD | CF_CANCEL_F_OP)) && try_check(e, f, &k))
				return 1;
			/* two successes for what only one of them could cancel */
			for (unsigned i2 = i + 1; i2 < h->nreqs; i2++) {
				unsigned pair[2] = { i, i2 };

				if (is_judged_cancel(e, i2) && cancel_act(e, &h->reqs[i2]) >= 0 &&
				    try_count(e, f, pair, 2, REL_OVER))
					return 1;
			}
			break;
		}
		case INV_CANCEL_CQE_AT_SUBMIT: {
			struct chk k = { .kind = CHK_NO_CQE_BY, .by = n, .sqe = sqe_ordinal(h, i) };

			if (!cf_has_sqe(r))
				break;
			add_ud(&k, obs_ud(e, r->user_data));
			if (try_check(e, f, &k))
				return 1;
			/* a linked cancel canceled with its chain (D10): it never ran */
			if ((r->odd & CF_ODD_LINK) || (sqe_before(e, i) >= 0 && cf_links_next(&h->reqs[sqe_before(e, i)])))
				if (try_result(e, f, i, COND_NEVER_RAN))
					return 1;
			break;
		}
		case INV_CANCELED_RES: {
			struct chk k = { .kind = CHK_NOT_CANCELED, .nc = 1, .sqe = -1, .from = n };

			if (h->acts[r->act].kind != CF_ACT_OP)
				break;
			k.c[0] = cancel_of(e, i);
			matching_uds(e, i, &k);
			for (k.to = (int)e->nprog - 1; k.nuds && k.to >= n; k.to--)
				if (try_check(e, f, &k))
					return 1;
			break;
		}
		case INV_TARGET_CQE_AT_SUBMIT:
		case INV_SYNC_CANCEL: {
			struct chk k = { .kind = CHK_NO_CQE_BY, .nc = 1, .by = n, .canceled_only = 1,
					 .sqe = cf_has_sqe(r) ? sqe_ordinal(h, i) : -1 };

			k.c[0] = cancel_of(e, i);
			matching_uds(e, i, &k);
			if (k.nuds && try_check(e, f, &k))
				return 1;
			break;
		}
		default:
			return 0;
		}
	}
	return 0;
}

static void choose_checks(struct exporter *e)
{
	for (unsigned i = 0; i < e->j.nfindings; i++) {
		const struct cf_finding *f = &e->j.f[i];
		struct chk *k = &e->checks[e->nchecks];

		if (candidates(e, f))
			continue;
		memset(k, 0, sizeof(*k));
		k->kind = CHK_MANUAL;
		k->sqe = -1;
		k->invariant = cf_invariant_name(f->invariant);
		k->divergence = f->divergence ? f->divergence : "";
		k->page = cf_invariant_file(f->invariant);
		k->quote = cf_invariant_quote(f->invariant);
		k->seen = f->detail;
		e->finding[e->nchecks++] = f;
		e->manual++;
	}
}

/* ---- writing C ---- */

/* A C string literal of s. */
static void put_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			fprintf(out, "\\%03o", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* Text inside a block comment: never closes it. */
static void put_comment_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		fputc(*s, out);
		if (*s == '*' && s[1] == '/')
			fputc(' ', out);
	}
}

static const char *const slot_enum[CF_SLOT__COUNT] = {
	"PIPE0_R", "PIPE0_W", "PIPE1_R", "PIPE1_W", "SOCK0_A", "SOCK0_B", "SOCK1_A", "SOCK1_B",
	"LISTENER", "CLIENT0", "CLIENT1", "EVENTFD", "FILE_", "BADFD", "SIGNALFD", "TIMERFD",
};

/* The program being written: a msg_ring's data names its op; a thread1
 * actor's ops go to the second ring. */
static const struct cf_op *ops_base;
static uint8_t prog_actors;

static int on_ring1(const struct cf_op *op)
{
	return op->actor && cf_actor_kind(prog_actors, op->actor) == CF_ACTOR_THREAD1;
}

/* What an SQE or sync cancel names for slot: fd_or_index() for a slot the
 * runtime makes; for ring0 and ring1 the ring's fd (the second ring made
 * on first need), or their fixed index, at which no file is registered
 * (the harness leaves it empty too: -EBADF). */
static void put_fd_expr(FILE *out, unsigned slot, int fixed)
{
	if (cf_slot_is_ring(slot) && fixed)
		fprintf(out, "%u /* %s's fixed index: empty */", slot, cf_slot_name(slot));
	else if (slot == CF_SLOT_RING0)
		fputs("ring.ring_fd", out);
	else if (slot == CF_SLOT_RING1)
		fputs("ring1_fd()", out);
	else
		fprintf(out, "fd_or_index(%s, %d)", slot_enum[slot], fixed);
}

static const char *setup_flags(unsigned mode)
{
	switch (mode) {
	case CF_MODE_COOP: return "IORING_SETUP_COOP_TASKRUN";
	case CF_MODE_DEFER: return "(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)";
	case CF_MODE_SQPOLL: return "IORING_SETUP_SQPOLL";
	case CF_MODE_SMALLCQ: return "IORING_SETUP_CQSIZE";
	default: return "0";
	}
}

static void put_sqe_flags(FILE *out, unsigned f)
{
	static const char *const names[] = { "IOSQE_IO_LINK", "IOSQE_IO_HARDLINK", "IOSQE_ASYNC",
					     "IOSQE_IO_DRAIN", "IOSQE_FIXED_FILE", "IOSQE_CQE_SKIP_SUCCESS" };

	for (unsigned b = 0; b < 6; b++)
		if (f & (1u << b))
			fprintf(out, "\t\tsqe->flags |= %s;\n", names[b]);
}

static void put_cancel_flags(FILE *out, uint32_t f)
{
	static const char *const names[] = { "IORING_ASYNC_CANCEL_ALL", "IORING_ASYNC_CANCEL_FD",
					     "IORING_ASYNC_CANCEL_ANY", "IORING_ASYNC_CANCEL_FD_FIXED",
					     "IORING_ASYNC_CANCEL_USERDATA", "IORING_ASYNC_CANCEL_OP" };
	int first = 1;

	for (unsigned b = 0; b < 32; b++) {
		if (!(f & (1u << b)))
			continue;
		fprintf(out, "%s", first ? "" : " | ");
		if (b < 6)
			fputs(names[b], out);
		else
			fprintf(out, "(1U << %u) /* not a flag the uapi defines */", b);
		first = 0;
	}
	if (first)
		fputc('0', out);
}

static uint32_t cancel_flags_of(const struct cf_op *op)
{
	uint8_t b = op->a[CF_C_FLAGS];

	return (b & 0x7fu) | ((b & 0x80u) ? (1u << 31) : 0);
}

/* The remove, update and timer kinds (their slot byte: program.h). */
static void put_timer_kind(FILE *out, const struct cf_op *op, unsigned i)
{
	static const char *const clocks[] = { "CLOCK_MONOTONIC", "CLOCK_BOOTTIME", "CLOCK_REALTIME",
					      "CLOCK_MONOTONIC" };
	static const char *const clock_flags[] = { "0", "IORING_TIMEOUT_BOOTTIME", "IORING_TIMEOUT_REALTIME",
						   "IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME" };
	unsigned req = op->a[CF_Q_REQ], b = op->a[CF_Q_SLOT];
	unsigned long long target = (unsigned long long)cf_ud_value(b & CF_T_TARGET_MASK);

	switch (cf_req_shape(req)) {
	case CF_SHAPE_POLLUPD:
		fprintf(out, "\t\t/* addr: the target; len: IORING_POLL_UPDATE_* flags; off: the new user_data */\n"
			"\t\tio_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, (void *)(uintptr_t)0x%llxull, %s%s%s0, 0x%llxull);\n"
			"\t\tsqe->poll32_events = %s;\n", target,
			(b & CF_PU_EVENTS) ? "IORING_POLL_UPDATE_EVENTS | " : "",
			(b & CF_PU_USER_DATA) ? "IORING_POLL_UPDATE_USER_DATA | " : "",
			(b & CF_PU_MULTI) ? "IORING_POLL_ADD_MULTI | " : "",
			(b & CF_PU_USER_DATA) ? target : 0ull,
			(b & CF_PU_POLLOUT) ? "POLLOUT" : (b & CF_PU_EVENTS) ? "POLLIN" : "0");
		break;
	case CF_SHAPE_REMOVE:
		fprintf(out, "\t\tio_uring_prep_rw(%s, sqe, -1, (void *)(uintptr_t)0x%llxull, 0, 0);\n",
			req == CF_REQ_POLL_REMOVE ? "IORING_OP_POLL_REMOVE" : "IORING_OP_TIMEOUT_REMOVE", target);
		if (b & CF_R_LEN) fputs("\t\tsqe->len = 8; /* a field the prep checks */\n", out);
		if (b & CF_R_BUF_INDEX) fputs("\t\tsqe->buf_index = 1; /* a field the prep checks */\n", out);
		if (b & CF_R_SPLICE_FD) fputs("\t\tsqe->splice_fd_in = 1; /* a field the prep checks */\n", out);
		if (b & CF_R_TFLAGS) fputs("\t\tsqe->timeout_flags = IORING_TIMEOUT_ABS; /* an update flag on a remove */\n", out);
		break;
	case CF_SHAPE_UPDATE:
		fprintf(out, "\t\tset_time(&ts[%u], %lluull, %d, CLOCK_MONOTONIC);\n", i,
			(unsigned long long)cf_duration_ns((b >> CF_T_UPD_TIME_SHIFT) & CF_T_TIME_MASK),
			!!(b & CF_T_UPD_ABS));
		fprintf(out, "\t\t/* addr: the target's user_data; addr2: the new time */\n"
			"\t\tio_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, (void *)(uintptr_t)0x%llxull, 0,\n"
			"\t\t\t\t (unsigned long)&ts[%u]);\n"
			"\t\tsqe->timeout_flags = IORING_TIMEOUT_UPDATE%s%s;\n", target, i,
			req == CF_REQ_LINK_TIMEOUT_UPDATE ? " | IORING_LINK_TIMEOUT_UPDATE" : "",
			(b & CF_T_UPD_ABS) ? " | IORING_TIMEOUT_ABS" : "");
		if (op->a[CF_Q_FLAGS] & CF_U_LEN) fputs("\t\tsqe->len = 1; /* a field the prep checks */\n", out);
		if (op->a[CF_Q_FLAGS] & CF_U_ALLFLAGS) fputs("\t\tsqe->timeout_flags = ~0u; /* every flag bit */\n", out);
		break;
	default: {
		unsigned clock = (b >> CF_T_CLOCK_SHIFT) & 3;

		fprintf(out, "\t\tset_time(&ts[%u], %lluull, %d, %s);\n", i,
			(unsigned long long)cf_duration_ns(b & CF_T_TIME_MASK), !!(b & CF_T_ABS), clocks[clock]);
		fprintf(out, "\t\t/* len 1: one timespec; off: the count */\n"
			"\t\tio_uring_prep_rw(%s, sqe, -1, &ts[%u], 1, %u);\n"
			"\t\tsqe->timeout_flags = %s%s%s%s;\n",
			req == CF_REQ_LINK_TIMEOUT ? "IORING_OP_LINK_TIMEOUT" : "IORING_OP_TIMEOUT", i,
			cf_queue_count(op), clock_flags[clock], (b & CF_T_ABS) ? " | IORING_TIMEOUT_ABS" : "",
			(b & CF_T_ETIME_SUCCESS) ? " | IORING_TIMEOUT_ETIME_SUCCESS" : "",
			req == CF_REQ_TIMEOUT_MULTI ? " | IORING_TIMEOUT_MULTISHOT" : "");
		break;
	}
	}
	if (b & CF_T_BAD)
		fputs("\t\tsqe->ioprio = 1; /* a field this opcode rejects */\n", out);
}

static void put_queue(FILE *out, const struct cf_op *op, unsigned i)
{
	unsigned req = op->a[CF_Q_REQ], flags = op->a[CF_Q_FLAGS];
	int fixed = !!(flags & CF_SQE_FIXED), r1 = on_ring1(op);
	unsigned long long ud = (unsigned long long)cf_ud_value(op->a[CF_Q_UD]);
	const char *claim = r1 ? "claim_sqe1" : "claim_sqe";

	if (r1) /* a thread1's queue: a0 writes the SQE on the second ring */
		fprintf(out, "\tsqe = get_sqe1();\n\tif (!sqe) {\n"
			"\t\tend_act(%u, ring1_ready() < 0 ? ring1_ready() : -EBUSY);\n\t} else {\n", i);
	else
		fprintf(out, "\tsqe = get_sqe();\n\tif (!sqe) {\n\t\tend_act(%u, -EBUSY);\n\t} else {\n", i);
	if (cf_req_shape(req) != CF_SHAPE_SLOT) {
		put_timer_kind(out, op, i);
		put_sqe_flags(out, flags & CF_SQE__MASK);
		fprintf(out, "\t\tio_uring_sqe_set_data64(sqe, 0x%llxull);\n\t\t%s(sqe);\n"
			"\t\tend_act(%u, 0);\n\t}\n", ud, claim, i);
		return;
	}
	if (!cf_req_is_direct(req)) {
		fputs("\t\tfd = ", out);
		put_fd_expr(out, op->a[CF_Q_SLOT], fixed);
		fputs(";\n", out);
	}
	switch (req) {
	case CF_REQ_NOP: fputs("\t\tio_uring_prep_nop(sqe);\n", out); break;
	case CF_REQ_READ:
		if (op->a[CF_Q_SLOT] == CF_SLOT_SIGNALFD)
			fprintf(out, "\t\tio_uring_prep_read(sqe, fd, sigbuf[%u], sizeof(sigbuf[%u]), 0);\n", i, i);
		else
			fprintf(out, "\t\tio_uring_prep_read(sqe, fd, buf[%u], BUF_SIZE, 0);\n", i);
		break;
	case CF_REQ_RECV:
		fprintf(out, "\t\tio_uring_prep_recv(sqe, fd, buf[%u], BUF_SIZE, 0);\n", i);
		break;
	case CF_REQ_WRITE: fputs("\t\tio_uring_prep_write(sqe, fd, \"w\", 1, 0);\n", out); break;
	case CF_REQ_POLL: fputs("\t\tio_uring_prep_poll_add(sqe, fd, POLLIN);\n", out); break;
	case CF_REQ_POLL_MULTI: fputs("\t\tio_uring_prep_poll_multishot(sqe, fd, POLLIN);\n", out); break;
	case CF_REQ_ACCEPT:
		fputs("\t\tio_uring_prep_accept(sqe, fd, NULL, NULL, SOCK_CLOEXEC);\n", out);
		fprintf(out, "\t\tnote_accept_ud(0x%llxull);\n", ud);
		break;
	case CF_REQ_ACCEPT_MULTI:
		fputs("\t\tio_uring_prep_multishot_accept(sqe, fd, NULL, NULL, SOCK_CLOEXEC);\n", out);
		fprintf(out, "\t\tnote_accept_ud(0x%llxull);\n", ud);
		break;
	case CF_REQ_RECV_MULTI:
		fputs("\t\tprovide_buffers();\n\t\tio_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);\n"
		      "\t\tsqe->flags |= IOSQE_BUFFER_SELECT;\n\t\tsqe->buf_group = BUF_GROUP;\n", out);
		break;
	case CF_REQ_RECVMSG_MULTI:
		fprintf(out, "\t\tprovide_buffers();\n\t\tmemset(&msg[%u], 0, sizeof(msg[%u]));\n"
			"\t\tio_uring_prep_recvmsg(sqe, fd, &msg[%u], 0);\n"
			"\t\tsqe->ioprio |= IORING_RECV_MULTISHOT;\n"
			"\t\tsqe->flags |= IOSQE_BUFFER_SELECT;\n\t\tsqe->buf_group = BUF_GROUP;\n", i, i, i);
		break;
	case CF_REQ_TIMEOUT_LONG:
	case CF_REQ_TIMEOUT_SHORT:
	case CF_REQ_LINK_TIMEOUT_LONG:
	case CF_REQ_LINK_TIMEOUT_SHORT: {
		int longer = req == CF_REQ_TIMEOUT_LONG || req == CF_REQ_LINK_TIMEOUT_LONG;

		fprintf(out, "\t\tts[%u].tv_sec = %d;\n\t\tts[%u].tv_nsec = %d;\n", i, longer ? 60 : 0, i,
			longer ? 0 : 1000000);
		if (req == CF_REQ_TIMEOUT_LONG || req == CF_REQ_TIMEOUT_SHORT)
			fprintf(out, "\t\tio_uring_prep_timeout(sqe, &ts[%u], 0, 0);\n", i);
		else
			fprintf(out, "\t\tio_uring_prep_link_timeout(sqe, &ts[%u], 0);\n", i);
		break;
	}
	case CF_REQ_FUTEX_WAIT:
		fputs("\t\t/* fd: futex2 flags; addr: the word; off: the value expected; addr3: the mask */\n"
		      "\t\tio_uring_prep_rw(IORING_OP_FUTEX_WAIT, sqe, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE,\n"
		      "\t\t\t\t &futex_word, 0, 0);\n\t\tsqe->addr3 = FUTEX_BITSET_MATCH_ANY;\n", out);
		break;
	case CF_REQ_WAITID:
		fprintf(out, "\t\t/* fd: the pid; len: idtype; addr2: the siginfo; file_index: options */\n"
			"\t\tpid = child_pid();\n"
			"\t\tio_uring_prep_rw(IORING_OP_WAITID, sqe, pid > 0 ? pid : 0, NULL, P_PID,\n"
			"\t\t\t\t (unsigned long)&winfo[%u]);\n\t\tsqe->file_index = WEXITED;\n", i);
		break;
	case CF_REQ_READ_FILE:
		fprintf(out, "\t\tio_uring_prep_read(sqe, fd_or_index(FILE_, %d), buf[%u], BUF_SIZE, 0);\n"
			"\t\tsqe->flags |= IOSQE_ASYNC;\n", fixed, i);
		break;
	case CF_REQ_CONNECT:
		fputs("\t\t(void)fd_of(LISTENER); /* the listener is made on first use */\n"
		      "\t\tio_uring_prep_connect(sqe, fd, (struct sockaddr *)&listen_addr, sizeof(listen_addr));\n",
		      out);
		break;
	case CF_REQ_FUTEX_WAITV:
		fprintf(out, "\t\twaitv[%u] = (struct futex_waitv){ .val = 0, .uaddr = (uintptr_t)&futex_word,\n"
			"\t\t\t\t.flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE };\n"
			"\t\tio_uring_prep_rw(IORING_OP_FUTEX_WAITV, sqe, 0, &waitv[%u], 1, 0);\n", i, i);
		break;
	case CF_REQ_WAITID_ALL:
		fprintf(out, "\t\t/* P_ALL; WNOWAIT leaves the child to the runtime */\n"
			"\t\t(void)child_pid();\n"
			"\t\tio_uring_prep_rw(IORING_OP_WAITID, sqe, 0, NULL, P_ALL, (unsigned long)&winfo[%u]);\n"
			"\t\tsqe->file_index = WEXITED | WNOWAIT;\n", i);
		break;
	case CF_REQ_MSG_RING:
	case CF_REQ_MSG_RING_SKIP: {
		/* as the harness sends it: data says who sent it (cf_msg_ud) */
		unsigned opi = (unsigned)(op - ops_base);

		fprintf(out, "\t\t/* IORING_MSG_DATA: the ring of fd gets a CQE with res len and user_data off */\n"
			"\t\tio_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, (void *)(uintptr_t)IORING_MSG_DATA,\n"
			"\t\t\t\t 0x%xu, 0x%llxull);\n", CF_MSG_LEN_BASE | opi,
			(unsigned long long)cf_msg_ud(op->a[CF_Q_SLOT], opi));
		if (req == CF_REQ_MSG_RING_SKIP)
			fputs("\t\tsqe->msg_ring_flags = IORING_MSG_RING_CQE_SKIP; /* no CQE there */\n", out);
		break;
	}
	case CF_REQ_READV_DIRECT:
	case CF_REQ_WRITEV_DIRECT:
		/* 64 KiB of the O_DIRECT file, which is no slot: never fixed */
		fprintf(out, "\t\tiov[%u] = (struct iovec){ direct_buf, DIRECT_CHUNK };\n"
			"\t\tio_uring_prep_rw(%s, sqe, direct_fd(), &iov[%u], 1, %uull * DIRECT_CHUNK);\n",
			i, req == CF_REQ_READV_DIRECT ? "IORING_OP_READV" : "IORING_OP_WRITEV", i,
			(unsigned)(op - ops_base) % 64);
		flags &= ~(unsigned)CF_SQE_FIXED;
		break;
	}
	put_sqe_flags(out, flags);
	fprintf(out, "\t\tio_uring_sqe_set_data64(sqe, 0x%llxull);\n\t\t%s(sqe);\n"
		"\t\tend_act(%u, 0);\n\t}\n", ud, claim, i);
}

/* A sync cancel's arguments after the call's name: key, fd, flags,
 * opcode, timeout and the odd fields, then ");". */
static void put_sync_args(FILE *out, const struct cf_op *op)
{
	unsigned odd = op->a[CF_C_ODD];

	fprintf(out, "0x%llxull, fd, ", (unsigned long long)cf_ud_value(op->a[CF_C_UD]));
	put_cancel_flags(out, cancel_flags_of(op));
	fprintf(out, ", %u /* opcode */,\n\t\t\t  %d /* timeout, s */, %d /* pad[0] */, %d /* pad2[0] */);\n",
		cf_req_opcode(op->a[CF_C_OPREQ]), (odd & CF_ODD_BUF_SELECT) ? 0 : 1, !!(odd & CF_ODD_OFF),
		!!(odd & CF_ODD_SPLICE_FD));
}

/* The SQE of an SQE cancel (sqe set, fd the cancel's), its user_data
 * OBS_CANCEL_UD | act: the lines inside the `else` of a get_sqe. */
static void put_cancel_sqe(FILE *out, const struct cf_op *op, unsigned i)
{
	unsigned api = op->a[CF_C_API], odd = op->a[CF_C_ODD];
	uint32_t flags = cancel_flags_of(op);
	unsigned long long key = (unsigned long long)cf_ud_value(op->a[CF_C_UD]);
	unsigned opcode = cf_req_opcode(op->a[CF_C_OPREQ]);

	if (api == CF_CANCEL_SQE)
		fprintf(out, "\t\tio_uring_prep_cancel(sqe, (void *)(uintptr_t)0x%llxull, (int)(", key);
	else if (api == CF_CANCEL_SQEFD)
		fputs("\t\tio_uring_prep_cancel_fd(sqe, fd, (", out);
	else
		fprintf(out, "\t\tio_uring_prep_cancel64(sqe, 0x%llxull, (int)(", key);
	put_cancel_flags(out, flags);
	fprintf(out, "));\n\t\t/* both keys always set: the flags decide which one the kernel reads */\n"
		"\t\tsqe->addr = 0x%llxull;\n\t\tsqe->fd = fd;\n", key);
	if (flags & CF_CANCEL_F_OP)
		fprintf(out, "\t\tsqe->len = %u; /* the opcode CANCEL_OP matches */\n", opcode);
	if (odd & CF_ODD_OFF) fputs("\t\tsqe->off = 1;\n", out);
	if (odd & CF_ODD_SPLICE_FD) fputs("\t\tsqe->splice_fd_in = 1;\n", out);
	if (odd & CF_ODD_BUF_SELECT) fputs("\t\tsqe->flags |= IOSQE_BUFFER_SELECT;\n", out);
	if (odd & CF_ODD_ASYNC) fputs("\t\tsqe->flags |= IOSQE_ASYNC;\n", out);
	if (odd & CF_ODD_LINK) fputs("\t\tsqe->flags |= IOSQE_IO_LINK;\n", out);
	if (odd & CF_ODD_IOPRIO) fputs("\t\tsqe->ioprio = 1;\n", out);
	if (odd & CF_ODD_SKIP) fputs("\t\tsqe->flags |= IOSQE_CQE_SKIP_SUCCESS;\n", out);
	fprintf(out, "\t\tio_uring_sqe_set_data64(sqe, 0x%llxull); /* OBS_CANCEL_UD | op */\n",
		(unsigned long long)OBS_CANCEL_UD | i);
}

static void put_cancel(FILE *out, const struct cf_op *op, unsigned i)
{
	uint32_t flags = cancel_flags_of(op);

	fputs("\tfd = ", out);
	put_fd_expr(out, op->a[CF_C_SLOT], !!(flags & CF_CANCEL_F_FD_FIXED));
	fputs(";\n", out);
	if (op->a[CF_C_API] == CF_CANCEL_SYNC) {
		fputs("\tret = sync_cancel(", out);
		put_sync_args(out, op);
		fprintf(out, "\tend_act(%u, ret);\n", i);
		return;
	}
	fprintf(out, "\tsqe = get_sqe();\n\tif (!sqe) {\n\t\tend_act(%u, -EBUSY);\n\t} else {\n", i);
	put_cancel_sqe(out, op, i);
	fprintf(out, "\t\tclaim_sqe(sqe);\n\t\tend_act(%u, 0);\n\t}\n", i);
}

static void put_op(FILE *out, const struct cf_op *op, unsigned i)
{
	unsigned slot = op->a[CF_D_SLOT], len = op->a[CF_D_LEN];

	switch (op->kind) {
	case CF_OP_QUEUE: put_queue(out, op, i); return;
	case CF_OP_CANCEL: put_cancel(out, op, i); return;
	case CF_OP_COMPLETE:
		switch (op->a[CF_D_WHAT]) {
		case CF_DO_WRITE: fprintf(out, "\tret = write_slot(%s, %u);\n", slot_enum[slot], 1 + len % 64); break;
		case CF_DO_CONNECT: fprintf(out, "\tret = connect_client(%s);\n", slot_enum[slot]); break;
		case CF_DO_FUTEX_WAKE: fprintf(out, "\tret = futex_wake(%u);\n", 1 + len % 4); break;
		case CF_DO_EVENTFD: fputs("\tret = write_eventfd();\n", out); break;
		case CF_DO_SHUTDOWN: fprintf(out, "\tret = shutdown_slot(%s);\n", slot_enum[slot]); break;
		case CF_DO_CHILD_EXIT: fputs("\tret = child_exit();\n", out); break;
		}
		break;
	case CF_OP_WAIT:
		switch (op->a[CF_W_HOW]) {
		case CF_WAIT_SUBMIT: fputs("\tret = wait_submit();\n", out); break;
		case CF_WAIT_SUBMIT_N: fprintf(out, "\tret = wait_submit_and_wait(%u);\n", op->a[CF_W_N]); break;
		case CF_WAIT_GETEVENTS: fputs("\tret = wait_getevents();\n", out); break;
		case CF_WAIT_REAP: fprintf(out, "\tret = wait_reap(%u);\n", i); break;
		}
		break;
	case CF_OP_CLOSE: fprintf(out, "\tret = close_slot(%s);\n", slot_enum[op->a[CF_X_SLOT]]); break;
	}
	fprintf(out, "\tend_act(%u, ret);\n", i);
}

/* ---- actors and race groups (repro_actors.c.in) ---- */

static const char *const call_kinds[] = {
	[CF_DO_WRITE] = "CALL_WRITE", [CF_DO_CONNECT] = "CALL_CONNECT", [CF_DO_FUTEX_WAKE] = "CALL_FUTEX_WAKE",
	[CF_DO_EVENTFD] = "CALL_EVENTFD", [CF_DO_SHUTDOWN] = "CALL_SHUTDOWN", [CF_DO_CHILD_EXIT] = "CALL_CHILD_EXIT",
};

static void put_slot(FILE *out, unsigned slot)
{
	if (slot < CF_SLOT__COUNT)
		fputs(slot_enum[slot], out);
	else
		fprintf(out, "%u", slot);
}

/* Whether op is a call an actor makes (else a0 makes it while preparing). */
static int actor_call(const struct cf_op *op)
{
	return (op->kind == CF_OP_CANCEL && op->a[CF_C_API] == CF_CANCEL_SYNC) ||
	       op->kind == CF_OP_COMPLETE || op->kind == CF_OP_CLOSE ||
	       (op->kind == CF_OP_WAIT && op->a[CF_W_HOW] != CF_WAIT_REAP);
}

/* Fills the struct call `c` for op (an actor's call) as act `act`. */
static void put_prep_call(FILE *out, const struct cf_op *op, unsigned act, const char *c)
{
	unsigned slot = op->a[CF_D_SLOT], len = op->a[CF_D_LEN];

	switch (op->kind) {
	case CF_OP_CANCEL:
		fputs("\tfd = ", out);
		put_fd_expr(out, op->a[CF_C_SLOT], !!(cancel_flags_of(op) & CF_CANCEL_F_FD_FIXED));
		fputs(";\n", out);
		fprintf(out, "\tprep_sync_cancel(%s, %u, ", c, act);
		put_sync_args(out, op);
		return;
	case CF_OP_COMPLETE:
		fprintf(out, "\tprep_complete(%s, %u, %s, ", c, act,
			op->a[CF_D_WHAT] < sizeof(call_kinds) / sizeof(call_kinds[0]) && call_kinds[op->a[CF_D_WHAT]]
				? call_kinds[op->a[CF_D_WHAT]] : "CALL_INVALID");
		put_slot(out, slot);
		fprintf(out, ", %u);\n", op->a[CF_D_WHAT] == CF_DO_FUTEX_WAKE ? 1 + len % 4 : 1 + len % 64);
		return;
	case CF_OP_CLOSE:
		fprintf(out, "\tprep_close(%s, %u, ", c, act);
		put_slot(out, op->a[CF_X_SLOT]);
		fputs(");\n", out);
		return;
	case CF_OP_WAIT:
		switch (op->a[CF_W_HOW]) {
		case CF_WAIT_SUBMIT:
			fprintf(out, "\tprep_enter(%s, %u, flush_sq(), 0, 0, 0);\n", c, act);
			return;
		case CF_WAIT_SUBMIT_N:
			fprintf(out, "\tprep_enter(%s, %u, flush_sq(), %u, IORING_ENTER_GETEVENTS, 1000000LL);\n", c,
				act, op->a[CF_W_N]);
			return;
		default:
			fprintf(out, "\tprep_enter(%s, %u, 0, 0, IORING_ENTER_GETEVENTS, 0);\n", c, act);
			return;
		}
	}
}

/* An op made by a0 while preparing a group: its result only. */
static void put_a0_part(FILE *out, const struct cf_op *op, unsigned act, int grouped)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (!mem)
		return;
	put_op(mem, op, act);
	fclose(mem);
	/* end_act observes; in a group the calls record what they saw */
	char *p = text;

	for (char *q; grouped && (q = strstr(p, "end_act(")); p = q + 8) {
		fwrite(p, 1, (size_t)(q - p), out);
		fputs("note_res(", out);
	}
	fputs(p, out);
	free(text);
}

/* The ops of group g, parked before go (their acts in program order), then
 * the release and the go op's act. */
static void put_release(FILE *out, const struct exporter *e, unsigned go, unsigned g)
{
	int prev = -1; /* the act of the previous release of g */

	for (unsigned i = 0; i < go; i++)
		if (cf_op_is_go(e->prog.mode, &e->prog.ops[i]) && e->prog.ops[i].a[CF_W_N] == g)
			prev = e->act_of_op[i];
	fprintf(out, "\tgroup_begin(&grp);\n");
	for (unsigned i = 0; i < go; i++) {
		const struct cf_op *op = &e->prog.ops[i];
		int act = e->act_of_op[i];
		char c[32];

		/* group 0 is no group: its release parks nothing (executor.c) */
		if (!op->group || op->group != g || act <= prev || act > e->act_of_op[go])
			continue;
		fprintf(out, "\t/* op %u (act %d): ", i, act);
		put_comment_text(out, e->lines[e->op_line + i]);
		fputs(" */\n", out);
		snprintf(c, sizeof(c), "&grp.calls[%u]", op->actor);
		if (actor_call(op))
			put_prep_call(out, op, (unsigned)act, c);
		else if (op->kind == CF_OP_WAIT)
			fprintf(out, "\tnote_res(%d, wait_reap(%d));\n", act, act);
		else
			put_a0_part(out, op, (unsigned)act, 1);
		fprintf(out, "\tgroup_add(&grp, %u, %u);\n", op->actor, op->at);
	}
	fprintf(out, "\tret = group_release(&grp);\n\tend_act(%d, ret);\n", e->act_of_op[go]);
}

/* An op without a group on actor a1..a3: its call on the actor, a0 waiting. */
/* An op of a thread1 actor without a group: queues, cancels and waits on
 * the second ring, `wait exit` closes it; a complete or close as any
 * thread's. */
static int put_ring1_op(FILE *out, const struct cf_op *op, unsigned act)
{
	unsigned a = op->actor;

	switch (op->kind) {
	case CF_OP_QUEUE:
		put_op(out, op, act); /* put_queue writes it on the second ring */
		return 1;
	case CF_OP_CANCEL:
		fputs("\tfd = ", out);
		put_fd_expr(out, op->a[CF_C_SLOT], !!(cancel_flags_of(op) & CF_CANCEL_F_FD_FIXED));
		fputs(";\n", out);
		if (op->a[CF_C_API] == CF_CANCEL_SYNC) {
			fprintf(out, "\tprep_sync_cancel1(&call, %u, ", act);
			put_sync_args(out, op);
		} else {
			fputs("\tsqe = get_sqe1();\n\tif (sqe) {\n", out);
			put_cancel_sqe(out, op, act);
			fprintf(out, "\t}\n\tprep_cancel1(&call, %u, sqe, ring1_ready() < 0 ? ring1_ready() : -EBUSY, %d);\n",
				act, !!(op->a[CF_C_ODD] & (CF_ODD_SKIP | CF_ODD_LINK)));
		}
		break;
	case CF_OP_WAIT:
		switch (op->a[CF_W_HOW]) {
		case CF_WAIT_SUBMIT: fprintf(out, "\tprep_enter1(&call, %u, 0, 0, 0);\n", act); break;
		case CF_WAIT_SUBMIT_N:
			fprintf(out, "\tprep_enter1(&call, %u, %u, IORING_ENTER_GETEVENTS, 1000000LL);\n", act,
				op->a[CF_W_N]);
			break;
		case CF_WAIT_GETEVENTS:
			fprintf(out, "\tprep_enter1(&call, %u, 0, IORING_ENTER_GETEVENTS, 0);\n", act);
			break;
		case CF_WAIT_REAP:
			fprintf(out, "\tret = wait_reap1(%u);\n\tend_act(%u, ret);\n", act, act);
			return 1;
		case CF_WAIT_EXIT: fprintf(out, "\tprep_exit1(&call, %u);\n", act); break;
		default: return 0;
		}
		break;
	default:
		return 0;
	}
	fprintf(out, "\tret = on_actor(%u, &call);\n\tend_act(%u, ret);\n", a, act);
	return 1;
}

static void put_on_actor(FILE *out, const struct cf_op *op, unsigned act)
{
	if (on_ring1(op) && put_ring1_op(out, op, act))
		return;
	if (!actor_call(op)) {
		put_a0_part(out, op, act, 0);
		return;
	}
	put_prep_call(out, op, act, "&call");
	fprintf(out, "\tret = on_actor(%u, &call);\n\tend_act(%u, ret);\n", op->actor, act);
}

/* Native AIO: one op's call as an expression of the machinery
 * (repro_aio.c.in); op i's request, if it makes one, is request act. */
static void put_aio_expr(FILE *out, const struct cf_op *op, unsigned act)
{
	static const char *const codes[] = { "IOCB_CMD_PREAD", "IOCB_CMD_PWRITE", "IOCB_CMD_FSYNC",
					     "IOCB_CMD_FDSYNC", "4 /* no such command */", "IOCB_CMD_POLL",
					     "IOCB_CMD_NOOP", "IOCB_CMD_PREADV", "IOCB_CMD_PWRITEV" };
	static const char *const targets[] = { "TARGET_IOCB", "TARGET_UNSUBMITTED", "TARGET_BADPTR",
					       "TARGET_COPY" };
	static const char *const hows[] = { "GETEVENTS_ZERO", "GETEVENTS_SHORT", "GETEVENTS_NULL",
					    "GETEVENTS_SMALL", "GETEVENTS_INVAL" };
	unsigned slot = op->a[CF_D_SLOT], len = op->a[CF_D_LEN];

	switch (op->kind) {
	case CF_OP_QUEUE: {
		unsigned code = cf_aio_cmd_code(op->a[CF_Q_REQ]);

		fprintf(out, "submit_iocb(%u, %s, %s, 0x%llxull, 0x%x /* flags */)", act,
			code < 9 ? codes[code] : "0", slot_enum[op->a[CF_Q_SLOT]],
			(unsigned long long)cf_ud_value(op->a[CF_Q_UD]), op->a[CF_Q_FLAGS]);
		break;
	}
	case CF_OP_CANCEL:
		fprintf(out, "cancel_iocb(%u, %s, 0x%llxull, 0x%x /* flags */)", act,
			targets[op->a[CF_C_API] % CF_AIOT__COUNT],
			(unsigned long long)cf_ud_value(op->a[CF_C_UD]), op->a[CF_C_FLAGS]);
		break;
	case CF_OP_COMPLETE:
		switch (op->a[CF_D_WHAT]) {
		case CF_FDO_WRITE: fprintf(out, "write_slot(%s, %u)", slot_enum[slot], 1 + len % 64); break;
		case CF_FDO_CONNECT: fprintf(out, "connect_client(%s)", slot_enum[slot]); break;
		case CF_FDO_EVENTFD: fputs("write_eventfd()", out); break;
		case CF_FDO_SHUTDOWN: fprintf(out, "shutdown_slot(%s)", slot_enum[slot]); break;
		default: fputs("-EINVAL /* not a complete op of the family */", out); break;
		}
		break;
	case CF_OP_WAIT:
		fprintf(out, "getevents(%s, %u)", hows[op->a[CF_W_HOW] % CF_AIOW__COUNT], op->a[CF_W_N]);
		break;
	case CF_OP_CLOSE:
		if (op->a[CF_X_SLOT] == CF_AIO_CLOSE_DESTROY)
			fputs("destroy_ctx()", out);
		else if (op->a[CF_X_SLOT] == CF_AIO_CLOSE_SETUP)
			fputs("setup_ctx()", out);
		else
			fprintf(out, "close_slot(%s)", slot_enum[op->a[CF_X_SLOT] % CF_SLOT__COUNT]);
		break;
	}
}

/* POSIX AIO: one op's call as an expression of the machinery
 * (repro_posix.c.in); its request, if it makes one, is request act. */
static void put_posix_expr(FILE *out, const struct cf_op *op, unsigned act)
{
	static const char *const reqs[] = { "PX_READ", "PX_WRITE", "PX_FSYNC", "PX_FDATASYNC",
					    "PX_FSYNC_BADOP" };
	static const char *const notify[] = { "NOTIFY_NONE", "NOTIFY_SIGNAL", "NOTIFY_THREAD" };
	static const char *const hows[] = { "CANCEL_CB", "CANCEL_NULL", "CANCEL_FD", "CANCEL_BADFD" };
	static const char *const waits[] = { "STATUS_ERROR", "STATUS_RETURN", "SUSPEND_ZERO",
					     "SUSPEND_SHORT", "SUSPEND_ALL" };
	unsigned slot = op->a[CF_D_SLOT], len = op->a[CF_D_LEN];

	switch (op->kind) {
	case CF_OP_QUEUE:
		fprintf(out, "px_submit(%u, %s, %s, %u /* aiocb */, %s)", act,
			reqs[op->a[CF_Q_REQ] % CF_PX_REQ__COUNT], slot_enum[op->a[CF_Q_SLOT] % CF_SLOT__COUNT],
			op->a[CF_Q_UD] % CF_PX_CBS, notify[op->a[CF_Q_FLAGS] % CF_PXN__COUNT]);
		break;
	case CF_OP_CANCEL:
		fprintf(out, "px_cancel(%u, %s, %u /* aiocb */, %s)", act,
			hows[op->a[CF_C_API] % CF_PXC__COUNT], op->a[CF_C_UD] % CF_PX_CBS,
			slot_enum[op->a[CF_C_SLOT] % CF_SLOT__COUNT]);
		break;
	case CF_OP_COMPLETE:
		switch (op->a[CF_D_WHAT]) {
		case CF_FDO_WRITE: fprintf(out, "write_slot(%s, %u)", slot_enum[slot], 1 + len % 64); break;
		case CF_FDO_CONNECT: fprintf(out, "connect_client(%s)", slot_enum[slot]); break;
		case CF_FDO_EVENTFD: fputs("write_eventfd()", out); break;
		case CF_FDO_SHUTDOWN: fprintf(out, "shutdown_slot(%s)", slot_enum[slot]); break;
		default: fputs("-EINVAL /* not a complete op of the family */", out); break;
		}
		break;
	case CF_OP_WAIT:
		fprintf(out, "px_status(%s, %u /* aiocb */)", waits[op->a[CF_W_HOW] % CF_PXW__COUNT],
			op->a[CF_W_N] % CF_PX_CBS);
		break;
	case CF_OP_CLOSE:
		fprintf(out, "px_close(%s)", slot_enum[op->a[CF_X_SLOT] % CF_SLOT__COUNT]);
		break;
	}
}

/* The AIO families: op as act `act`, made by a0. */
static void put_family_op(FILE *out, const struct exporter *e, const struct cf_op *op, unsigned act)
{
	fputs("\tret = ", out);
	if (e->posix)
		put_posix_expr(out, op, act);
	else
		put_aio_expr(out, op, act);
	fprintf(out, ";\n\tend_act(%u, ret);\n", act);
}

/* The AIO families: op's call as act `act` prepared in the struct call c
 * (repro_aio_actors.c.in), for an actor or a race group. */
static void put_family_prep(FILE *out, const struct exporter *e, const struct cf_op *op, unsigned act,
			    const char *c)
{
	static const char *const completes[] = { [CF_FDO_WRITE] = "CALL_WRITE", [CF_FDO_CONNECT] = "CALL_CONNECT",
						 [CF_FDO_EVENTFD] = "CALL_EVENTFD",
						 [CF_FDO_SHUTDOWN] = "CALL_SHUTDOWN" };
	unsigned what = op->a[CF_D_WHAT], x = op->a[CF_X_SLOT];
	int grouped = op->group != 0;

	if (op->kind == CF_OP_COMPLETE) {
		fprintf(out, "\tprep_complete(%s, %u, %d, %s, ", c, act, grouped,
			what < sizeof(completes) / sizeof(completes[0]) && completes[what] ? completes[what]
											 : "CALL_INVALID");
		put_slot(out, op->a[CF_D_SLOT] % CF_SLOT__COUNT);
		fprintf(out, ", %u);\n", 1 + op->a[CF_D_LEN] % 64);
		return;
	}
	if (op->kind == CF_OP_CLOSE && (e->posix || (x != CF_AIO_CLOSE_DESTROY && x != CF_AIO_CLOSE_SETUP))) {
		fprintf(out, "\tprep_close(%s, %u, %d, ", c, act, grouped);
		put_slot(out, x % CF_SLOT__COUNT);
		fputs(");\n", out);
		return;
	}
	fprintf(out, "\tprep_begin(%s, %u, %d);\n\tprep_end(%s, ", c, act, grouped, c);
	if (e->posix)
		put_posix_expr(out, op, act);
	else
		put_aio_expr(out, op, act);
	fputs(");\n", out);
}

/* The AIO families: the ops of group g parked before go (their acts in
 * program order), then the release and the go op's act. */
static void put_family_release(FILE *out, const struct exporter *e, unsigned go, unsigned g)
{
	int prev = -1; /* the act of the previous release of g */

	for (unsigned i = 0; i < go; i++)
		if (cf_op_is_go(e->prog.mode, &e->prog.ops[i]) && e->prog.ops[i].a[CF_W_N] == g)
			prev = e->act_of_op[i];
	fputs("\tgroup_begin(&grp);\n", out);
	for (unsigned i = 0; i < go; i++) {
		const struct cf_op *op = &e->prog.ops[i];
		int act = e->act_of_op[i];
		char c[32];

		if (!op->group || op->group != g || act <= prev || act > e->act_of_op[go])
			continue;
		fprintf(out, "\t/* op %u (act %d): ", i, act);
		put_comment_text(out, e->lines[e->op_line + i]);
		fputs(" */\n", out);
		snprintf(c, sizeof(c), "&grp.calls[%u]", op->actor);
		put_family_prep(out, e, op, (unsigned)act, c);
		fprintf(out, "\tgroup_add(&grp, %u, %u);\n", op->actor, op->at);
	}
	fprintf(out, "\tret = group_release(&grp);\n\tend_act(%d, ret);\n", e->act_of_op[go]);
}

static void put_check(FILE *out, const struct chk *k)
{
	static const char *const kinds[] = { "CHK_RESULT", "CHK_COUNT", "CHK_ENOENT_PENDING",
					     "CHK_NO_CQE_BY", "CHK_LEFT", "CHK_CANCELED_NOT_0",
					     "CHK_NOT_COPIED", "CHK_CANCELED_BY", "CHK_PX_CANCEL",
					     "CHK_PX_STATUS", "CHK_PX_NOTES", "CHK_PX_CAUSE",
					     "CHK_NOT_CANCELED", "CHK_CQE_RULE", "CHK_LATE_CQE" };
	static const char *const conds[] = {
		"COND_NOT_0_OR_ERR", "COND_NOT_POSITIVE", "COND_MORE_THAN_1", "COND_NOT_EINVAL",
		"COND_UNDOCUMENTED", "COND_EINVAL", "COND_NEVER_RAN", "COND_AIO_UNLISTED",
		"COND_AIO_EFAULT", "COND_AIO_NOT_EFAULT", "COND_AIO_NOT_EINVAL", "COND_PX_UNLISTED", "COND_PX_NOT_EBADF",
		"COND_PX_EBADF", "COND_PX_ALLDONE", "COND_PX_CANCELED", "COND_PX_NOTCANCELED",
		"COND_PX_ENDED_OTHER", "COND_PX_LATER_CANCELED", "COND_PX_AFTER_CANCELED",
		"COND_PX_AFTER_INPROGRESS", "COND_PX_ERROR_INPROGRESS", "COND_PX_ERROR_CANCELED",
		"COND_PX_RETURN_CANCELED", "COND_PX_EVENT_RETURN", "COND_PX_NOTIFY_NONE",
		"COND_PX_NOTIFY_SIGNAL", "COND_PX_NOTIFY_THREAD", "COND_PX_ONCE",
		"COND_MORE_ON_CANCELED", "COND_MORE_ON_SINGLE", "COND_AFTER_FINAL", "COND_FOREIGN",
		"COND_BEFORE_SQE", "COND_UNCONSUMED", "COND_LONG_TIMEOUT_FIRED", "COND_TIMEOUT_AND_DONE",
		"COND_TIMEOUT_SHARED_DONE", "COND_FIRED_SINGLE",
	};
	static const char *const rels[] = { "REL_OVER", "REL_UNDER", "REL_DIFFERENT" };

	fputs("\t{\n\t\t.invariant = ", out);
	put_str(out, k->invariant);
	fputs(",\n\t\t.divergence = ", out);
	put_str(out, k->divergence);
	fputs(",\n\t\t.page = ", out);
	put_str(out, k->page);
	fputs(",\n\t\t.quote = ", out);
	put_str(out, k->quote);
	fputs(",\n\t\t.seen = ", out);
	put_str(out, k->seen);
	fprintf(out, ",\n\t\t.kind = %s,", k->kind == CHK_MANUAL ? "CHK_MANUAL" : kinds[k->kind]);
	if (k->kind == CHK_RESULT || k->kind == CHK_PX_CANCEL || k->kind == CHK_PX_STATUS ||
	    k->kind == CHK_PX_NOTES || k->kind == CHK_CQE_RULE)
		fprintf(out, " .cond = %s,", conds[k->cond]);
	if (k->kind == CHK_COUNT)
		fprintf(out, " .rel = %s, .from = %d, .to = %d,", rels[k->rel], k->from, k->to);
	if (k->kind == CHK_NOT_CANCELED)
		fprintf(out, " .from = %d, .to = %d,", k->from, k->to);
	if (k->kind == CHK_ENOENT_PENDING)
		fprintf(out, " .from = %d, .to = %d,", k->from, k->to);
	if (k->kind == CHK_NO_CQE_BY)
		fprintf(out, " .by = %d, .canceled_only = %d,", k->by, k->canceled_only);
	if (k->kind == CHK_CANCELED_BY || k->kind == CHK_LATE_CQE)
		fprintf(out, " .by = %d,", k->by);
	fprintf(out, " .sqe = %d,\n", k->sqe);
	if (k->nc) {
		fprintf(out, "\t\t.nc = %u, .c = {", k->nc);
		for (unsigned i = 0; i < k->nc; i++)
			fprintf(out, " { .op = %d, .sync = %d, .all = %d },", k->c[i].op, k->c[i].sync, k->c[i].all);
		fputs(" },\n", out);
	}
	if (k->nuds) {
		fprintf(out, "\t\t.nuds = %u, .uds = {", k->nuds);
		for (unsigned i = 0; i < k->nuds; i++)
			fprintf(out, " 0x%llxull,", k->uds[i]);
		fputs(" },\n", out);
	}
	fputs("\t},\n", out);
}

static void put_cancel_name(FILE *out, const struct exporter *e, const struct chk_cancel *c)
{
	if (c->op == (int)e->nprog + 1)
		fputs("the teardown's first sync ANY|ALL cancel", out);
	else
		fprintf(out, "the %scancel at op %d", c->sync ? "sync " : "",
			e->renumbered && c->op >= 0 ? e->op_of_act[c->op] : c->op);
}

static void put_uds(FILE *out, const struct chk *k)
{
	fputs("user_data ", out);
	for (unsigned i = 0; i < k->nuds; i++)
		fprintf(out, "%s0x%llx", i ? ", " : "", k->uds[i]);
}

static void put_act_name(FILE *out, const struct exporter *e, int act)
{
	if (act < (int)e->nprog)
		fprintf(out, "op %d", e->renumbered && act >= 0 ? e->op_of_act[act] : act);
	else
		fputs(act == (int)e->nprog ? "the teardown's submit" : "the teardown", out);
}

/* The op act `act` is (a race group's acts begin at its release); an AIO
 * family's request is named by the act that made it. */
static int op_num(const struct exporter *e, int act)
{
	return e->renumbered && act >= 0 && act < (int)e->nprog ? e->op_of_act[act] : act;
}

/* The check in words, for the header comment. */
static void put_check_words(FILE *out, const struct exporter *e, const struct chk *k)
{
	static const char *const conds[] = {
		"(no ALL/ANY) returns more than 0", "(ALL/ANY) returns 0",
		"(ANY without ALL) returns more than 1",
		"carries an invalid field and returns anything but -EINVAL",
		"fails with an error the page does not list",
		"returns -EINVAL (for an iocb it did not cancel)",
		"(in a link chain) ends -ECANCELED itself: it never ran",
		"returns anything but 0, -EAGAIN, -EFAULT, -EINVAL, -ENOSYS\n *   (or -EINPROGRESS, D16)",
		"with result NULL (\"no results should be returned\") fails\n *   with -EFAULT",
		"of an unmapped iocb on a live context returns anything but\n *   -EFAULT",
		"on a context that is not one returns anything but -EINVAL",
		"returns -1 with an errno the page does not list (it lists EBADF; ENOSYS\n *   where unsupported), or a value other than AIO_CANCELED, AIO_NOTCANCELED\n *   and AIO_ALLDONE",
		"is given fd -1 and returns anything but -1 with EBADF",
		"is given an open fd and returns -1 with EBADF",
	};
	static const char *const px[] = {
		[COND_PX_ALLDONE] = "returns AIO_ALLDONE (2) while one of the requests it\n *   names was in progress, or anything else when none was",
		[COND_PX_CANCELED] = "returns AIO_CANCELED (0) but not every request it names\n *   that was in progress ended ECANCELED during the call, or returns something\n *   else although every one did",
		[COND_PX_NOTCANCELED] = "returns AIO_NOTCANCELED (1) while none of the requests\n *   it names is still running after it, or anything else while one is",
		[COND_PX_ENDED_OTHER] = "sees a request it names finish during the call with\n *   anything but ECANCELED",
		[COND_PX_LATER_CANCELED] = "returns AIO_NOTCANCELED, yet the request it names\n *   ends ECANCELED later",
		[COND_PX_AFTER_CANCELED] = "cancels the request it names (ECANCELED during the\n *   call), but aio_error right after does not give ECANCELED",
		[COND_PX_AFTER_INPROGRESS] = "leaves the request it names running, but aio_error\n *   right after does not give EINPROGRESS, or the aiocb's fields changed",
		[COND_PX_ERROR_INPROGRESS] = "(aio_error) does not give EINPROGRESS for a request\n *   still in progress",
		[COND_PX_ERROR_CANCELED] = "(aio_error) does not give ECANCELED for a canceled\n *   request",
		[COND_PX_RETURN_CANCELED] = "(aio_return) does not give -1 for a canceled request",
	};

	fputs(" *   Broken when ", out);
	switch (k->kind) {
	case CHK_RESULT:
		if (e->posix)
			fprintf(out, "the aio_cancel at op %d", op_num(e, k->c[0].op));
		else if (e->aio)
			fprintf(out, "the io_cancel at op %d", op_num(e, k->c[0].op));
		else
			put_cancel_name(out, e, &k->c[0]);
		fprintf(out, " %s.\n", conds[k->cond]);
		return;
	case CHK_COUNT:
		for (unsigned i = 0; i < k->nc; i++) {
			fputs(i ? " and " : "", out);
			put_cancel_name(out, e, &k->c[i]);
		}
		fprintf(out, "\n *   succeed%s and claim %s requests (a count for ALL/ANY, else 1)\n"
			" *   than end -ECANCELED with ", k->nc > 1 ? "" : "s",
			k->rel == REL_OVER ? "more" : k->rel == REL_UNDER ? "fewer" : "another number of");
		put_uds(out, k);
		fprintf(out, " from op %d to the end of ", k->from);
		put_act_name(out, e, k->to);
		fputs(".\n", out);
		return;
	case CHK_ENOENT_PENDING:
		put_cancel_name(out, e, &k->c[0]);
		fputs(" returns -ENOENT while the request with\n *   ", out);
		put_uds(out, k);
		fputs(" has no CQE yet (but gets one later).\n", out);
		return;
	case CHK_NO_CQE_BY:
		if (k->nc) {
			put_cancel_name(out, e, &k->c[0]);
			fputs(" succeeds but no -ECANCELED CQE with\n *   ", out);
			put_uds(out, k);
			fputs(" is visible by the end of ", out);
		} else {
			if ((k->uds[0] & ~0xffull) == OBS_CANCEL_UD)
				fprintf(out, "the cancel SQE of op %llu", k->uds[0] & 0xffull);
			else
				fprintf(out, "the SQE with user_data 0x%llx", k->uds[0]);
			fputs(" has been consumed but its own\n *   CQE is not visible by the end of ", out);
		}
		put_act_name(out, e, k->by);
		fputs(".\n", out);
		return;
	case CHK_PX_CANCEL:
	case CHK_PX_STATUS:
		if (k->cond == COND_PX_EVENT_RETURN) {
			fprintf(out, "the request of op %d ends ECANCELED but aio_return gives\n"
				" *   anything but -1.\n", op_num(e, (int)k->uds[0]));
			return;
		}
		fprintf(out, "the call at op %d %s.\n", op_num(e, k->c[0].op), px[k->cond]);
		if (k->kind == CHK_PX_CANCEL || k->cond >= COND_PX_ERROR_INPROGRESS)
			fputs(" *   (Not judged if an act did not settle: which requests were in progress\n"
			      " *   is then not known.)\n", out);
		if (k->kind == CHK_PX_CANCEL) {
			fputs(" *   The requests it names: those of ops", out);
			for (unsigned i = 0; i < k->nuds; i++)
				fprintf(out, " %d", op_num(e, (int)k->uds[i]));
			fputs(k->nuds ? ".\n" : " (none).\n", out);
		}
		return;
	case CHK_PX_NOTES:
		if (k->cond == COND_PX_ONCE)
			fprintf(out, "the request of op %d does not finish exactly once.\n", op_num(e, (int)k->uds[0]));
		else
			fprintf(out, "the request of op %d, once finished, gets other notifications\n"
				" *   than its sigevent (%s) asks for, or one before it finished.\n", op_num(e, (int)k->uds[0]),
				k->cond == COND_PX_NOTIFY_SIGNAL ? "SIGEV_SIGNAL: one signal"
				: k->cond == COND_PX_NOTIFY_THREAD ? "SIGEV_THREAD: one thread" : "SIGEV_NONE: none");
		return;
	case CHK_PX_CAUSE:
		fprintf(out, "the request of op %d ends ECANCELED after an act where no\n"
			" *   aio_cancel named it (those that do: ops", op_num(e, (int)k->uds[0]));
		for (unsigned i = 0; i < k->nc; i++)
			fprintf(out, " %d", op_num(e, k->c[i].op));
		fputs(k->nc ? "; and the teardown).\n" : " none; only the teardown).\n", out);
		return;
	case CHK_NOT_CANCELED:
		put_cancel_name(out, e, &k->c[0]);
		fputs(" succeeds, but from its op to the end of ", out);
		put_act_name(out, e, k->to);
		fputs("\n *   fewer requests it matches (", out);
		put_uds(out, k);
		fputs(") end -ECANCELED (or -EINTR)\n"
		      " *   than it claims (1, or its count for ALL/ANY), and the others end with\n"
		      " *   another result.\n", out);
		return;
	case CHK_CQE_RULE:
		switch (k->cond) {
		case COND_MORE_ON_CANCELED:
			fprintf(out, "a -ECANCELED CQE with user_data 0x%llx carries IORING_CQE_F_MORE\n"
				" *   (the final CQE of a multishot request must not).\n", k->uds[0]);
			break;
		case COND_MORE_ON_SINGLE:
			fprintf(out, "a CQE with user_data 0x%llx, whose requests are single-shot,\n"
				" *   carries IORING_CQE_F_MORE.\n", k->uds[0]);
			break;
		case COND_FIRED_SINGLE:
			fprintf(out, "the poll with user_data 0x%llx, updated with IORING_POLL_ADD_MULTI,\n"
				" *   fires with a final CQE (positive res, no IORING_CQE_F_MORE).\n", k->uds[0]);
			break;
		case COND_AFTER_FINAL:
			fprintf(out, "a CQE with user_data 0x%llx (one request has it) comes after\n"
				" *   that request's final CQE (one without IORING_CQE_F_MORE).\n", k->uds[0]);
			break;
		case COND_FOREIGN:
			fputs("a CQE carries a user_data no SQE of the program had (", out);
			put_uds(out, k);
			fputs(",\n *   and the cancel SQEs' own).\n", out);
			break;
		case COND_BEFORE_SQE:
			fprintf(out, "a CQE with user_data 0x%llx is visible at the end of an act\n"
				" *   by which its SQE (number %d in submission order) was not consumed.\n",
				k->uds[0], k->sqe);
			break;
		case COND_UNCONSUMED:
			fprintf(out, "fewer than the program's %d SQEs were consumed by the end\n"
				" *   of the teardown.\n", k->sqe);
			break;
		case COND_LONG_TIMEOUT_FIRED:
			fprintf(out, "the 60 s link timeout with user_data 0x%llx ends -ETIME within\n"
				" *   the run (a few seconds at most).\n", k->uds[0]);
			break;
		case COND_TIMEOUT_AND_DONE:
			fprintf(out, "the link timeout with user_data 0x%llx ends -ETIME, but the\n"
				" *   request it guards (user_data 0x%llx) completes with a result other\n"
				" *   than -ECANCELED/-EINTR.\n", k->uds[0], k->uds[1]);
			break;
		case COND_TIMEOUT_SHARED_DONE:
			fprintf(out, "the link timeout with user_data 0x%llx ends -ETIME (so the\n"
				" *   request it guards, of user_data 0x%llx, was canceled), yet more\n"
				" *   CQEs of that user_data complete otherwise than the %d other\n"
				" *   requests sharing it can give.\n", k->uds[0], k->uds[1], k->sqe);
			break;
		}
		return;
	case CHK_LATE_CQE:
		put_cancel_name(out, e, &k->c[0]);
		fprintf(out, " succeeds, but when the call of ");
		put_act_name(out, e, k->by);
		fprintf(out, " returns\n *   (%s) the request with user_data 0x%llx,\n"
			" *   submitted by another thread, has no -ECANCELED CQE in the CQ; one comes later.\n",
			k->c[0].sync ? "the sync cancel itself" : "the enter that submitted the cancel", k->uds[0]);
		return;
	case CHK_LEFT:
		fputs("a request still has no final CQE after the teardown's rounds\n"
		      " *   of IORING_ASYNC_CANCEL_ANY|ALL sync cancels.\n", out);
		return;
	case CHK_CANCELED_NOT_0:
		fprintf(out, "the io_cancel at op %d returns anything but 0 while the request\n"
			" *   with user_data 0x%llx posts its event only after it (it was canceled)",
			op_num(e, k->c[0].op), k->uds[0]);
		for (unsigned i = 1; i < k->nc; i++)
			fprintf(out, "%s%d", i == 1 ? ",\n *   and no other io_cancel of it (op " : ", op ",
				op_num(e, k->c[i].op));
		fputs(k->nc > 1 ? ") succeeded.\n" : ".\n", out);
		return;
	case CHK_NOT_COPIED:
		fprintf(out, "the io_cancel at op %d succeeds (0, or -EINPROGRESS) but leaves\n"
			" *   its result argument as it was (no event copied into it).\n", op_num(e, k->c[0].op));
		return;
	}
}

static void put_header(FILE *out, const struct exporter *e)
{
	if (e->posix)
		fputs("/* A reproducer written by cancelfuzz: self-contained (the C library's POSIX\n"
		      " * AIO and libc), it performs one cancelfuzz program and checks the promise\n"
		      " * of the man page that the C library and kernel broke when cancelfuzz ran it.\n"
		      " * Made by: cancelfuzz export-c", out);
	else
		fputs("/* A reproducer written by cancelfuzz: self-contained (liburing, raw syscalls\n"
		      " * and libc), it performs one cancelfuzz program and checks the promise of\n"
		      " * the man page that the kernel broke when cancelfuzz ran it.\n"
		      " * Made by: cancelfuzz export-c", out);
	if (e->spec == CF_SPEC_KERNEL)
		fputs(" --spec kernel", out);
	fputc(' ', out);
	put_comment_text(out, e->path);
	fputs("\n *\n", out);
	if (e->j.fault[0]) {
		fputs(" * INJECTED FAULT ", out);
		put_comment_text(out, e->j.fault);
		fputs(": cancelfuzz broke the promises below in its own record on\n"
		      " * purpose (docs/faults.md); the kernel did not, so this program should not\n"
		      " * reproduce them.\n", out);
	}
	if (e->nchecks == 0)
		fputs(" * It reproduces nothing: cancelfuzz judged this program PASS. It performs it\n"
		      " * and prints what the kernel did.\n", out);
	for (unsigned i = 0; i < e->nchecks; i++) {
		const struct chk *k = &e->checks[i];

		fprintf(out, " * Promise %u: %s%s%s (page %s):\n *   \"", i + 1, k->invariant,
			k->divergence[0] ? ", registered divergence " : "", k->divergence, k->page);
		put_comment_text(out, k->quote);
		fputs("\"\n *   cancelfuzz saw: ", out);
		put_comment_text(out, k->seen);
		fputc('\n', out);
		if (k->kind == CHK_MANUAL)
			fputs(" *   No automatic check for this invariant: the trace is printed, judge it by hand.\n",
			      out);
		else
			put_check_words(out, e, k);
	}
	if (e->nchecks)
		fputs(" * (\"cancelfuzz saw\" numbers requests and acts as `cancelfuzz replay` prints\n"
		      " * them; an op's act is its index, the checks below count in ops.)\n", out);
	fputs(" * Seen on Linux ", out);
	put_comment_text(out, e->h->kernel);
	if (e->posix)
		fprintf(out, ", POSIX AIO of the C library (%s).\n", e->h->libc);
	else if (e->aio)
		fprintf(out, ", native AIO, io_setup(%u).\n", e->prog.entries);
	else
		fprintf(out, ", setup mode %s, %u SQ entries.\n", cf_mode_name(e->prog.mode), e->prog.entries);
	if (e->groups)
		fprintf(out, " * The program is racy (its race groups let threads race): it runs %d times,\n"
			" * a fresh ring each time, and says in how many runs a promise broke.\n", RACE_ATTEMPTS);
	else if (e->racy)
		fprintf(out, " * The program is racy (timing decides some outcomes): it runs up to %d times\n"
			" * and stops at the first run that breaks a promise.\n", RACY_ATTEMPTS);
	fputs(" *\n", out);
	fputs(" * The program (cancelfuzz text form, docs/program-format.md):\n", out);
	for (unsigned l = 0; l < e->nlines; l++) {
		fputs(" *   ", out);
		put_comment_text(out, e->lines[l]);
		fputc('\n', out);
	}
	fputs(e->posix ? " *\n * Build: gcc -O2 -o repro repro.c -lrt -lpthread\n"
		       : e->actors || e->groups ? " *\n * Build: gcc -O2 -o repro repro.c -luring -lpthread\n"
		       : " *\n * Build: gcc -O2 -o repro repro.c -luring\n", out);
	fputs(e->prog.mode == CF_MODE_SQPOLL ? " * Run:   ./repro   (as root: SQPOLL needs it before Linux 5.11)\n"
					     : " * Run:   ./repro\n", out);
	fputs(" * Exit:  1 reproduced (a promise above was broken), 0 not reproduced,\n"
	      " *        4 a promise has no automatic check (read the trace), 3 the ring or\n"
	      " *        context could not be set up, 77 this kernel lacks a feature the\n"
	      " *        program needs.\n"
	      " *\n * Layout: the checks (what is observed, how a promise is judged), the\n"
	      " * resources, the machinery (ring or AIO context, one act at a time, the\n"
	      " * teardown), main(), then run_program(): one block per op, the same\n"
	      " * syscalls with the same arguments cancelfuzz made. */\n", out);
}

static int write_c(struct exporter *e, FILE *out)
{
	unsigned needed_cflags = 0;
	int opcodes[CF_REQ__COUNT + 2], nopc = 0, sqe_cancel = 0, direct = 0, ring1 = 0;

	for (unsigned i = 0; i < e->prog.nops && i < CF_MAX_OPS; i++) {
		const struct cf_op *op = &e->prog.ops[i];

		if (e->act_of_op[i] < 0)
			continue; /* `end`, or never released: no call */
		if (op->kind == CF_OP_QUEUE) {
			int opc = (int)cf_req_opcode(op->a[CF_Q_REQ]), seen = 0;

			for (int k = 0; k < nopc; k++)
				seen |= opcodes[k] == opc;
			if (!seen)
				opcodes[nopc++] = opc;
		}
		if (op->kind == CF_OP_CANCEL) {
			needed_cflags |= cancel_flags_of(op) & 0x3fu;
			if (op->a[CF_C_API] == CF_CANCEL_SQEFD)
				needed_cflags |= CF_CANCEL_F_FD;
			sqe_cancel |= op->a[CF_C_API] != CF_CANCEL_SYNC;
		}
	}
	ops_base = e->prog.ops;
	prog_actors = e->prog.actors;
	for (unsigned i = 0; i < e->prog.nops && i < CF_MAX_OPS; i++)
		ring1 |= e->act_of_op[i] >= 0 && (on_ring1(&e->prog.ops[i]) ||
						  cf_op_slot(&e->prog.ops[i]) == CF_SLOT_RING1);
	for (unsigned i = 0; i < e->prog.nops && i < CF_MAX_OPS; i++)
		direct |= e->act_of_op[i] >= 0 && e->prog.ops[i].kind == CF_OP_QUEUE &&
			  cf_req_is_direct(e->prog.ops[i].a[CF_Q_REQ]);
	if (sqe_cancel)
		opcodes[nopc++] = 14; /* IORING_OP_ASYNC_CANCEL */
	if (e->aio)
		needed_cflags = 0;
	put_header(out, e);
	fputs("#define _GNU_SOURCE\n", out);
	fprintf(out, "#define RING_MODE \"%s\"\n#define RING_FLAGS %s\n#define RING_ENTRIES %u\n",
		cf_mode_name(e->prog.mode), setup_flags(e->prog.mode), e->prog.entries);
	fprintf(out, "#define NOPS %u\n#define ATTEMPTS %d\n#define COUNT_RUNS %d\n#define NEEDED_CANCEL_FLAGS 0x%xu\n",
		e->nprog, e->groups ? RACE_ATTEMPTS : e->racy ? RACY_ATTEMPTS : 1, e->groups, needed_cflags);
	if (!e->aio)
		fprintf(out, "#define DIRECT_FILE %d /* an O_DIRECT file on a block device */\n"
			"#define RING1 %d /* the second ring: thread1 actors, the ring1 slot */\n", direct, ring1);
	fputc('\n', out);
	fputs(cf_repro_check_text, out);
	fputs("\n/* ---- This program: its ops, what it needs, the promises it checks ---- */\n\n", out);
	fputs("static const char *const op_text[NOPS + 1] = {\n", out);
	for (unsigned a = 0; a < e->nprog; a++) {
		fputc('\t', out);
		put_str(out, e->lines[e->op_line + (e->renumbered ? (unsigned)e->op_of_act[a] : a)]);
		fputs(",\n", out);
	}
	fputs("\t\"\",\n};\n\n", out);
	if (e->renumbered) {
		fputs("/* The op each act is (a race group's acts begin at its release). */\n"
		      "static const int op_of_act[NOPS] = {", out);
		for (unsigned a = 0; a < e->nprog; a++)
			fprintf(out, " %d,", e->op_of_act[a]);
		fputs(" };\n\n", out);
	}
	if (!e->aio) {
		fputs("static const int needed_opcodes[] = {", out);
		for (int k = 0; k < nopc; k++)
			fprintf(out, " %d,", opcodes[k]);
		fputs(" -1 };\n\n", out);
	}
	fputs("static const struct chk checks[] = {\n", out);
	for (unsigned i = 0; i < e->nchecks; i++)
		put_check(out, &e->checks[i]);
	if (e->nchecks == 0)
		fputs("\t{ .invariant = \"\", .kind = CHK_MANUAL }, /* none: not used */\n", out);
	fprintf(out, "};\nstatic const unsigned nchecks = %u;\n\nstatic void run_program(void);\n\n", e->nchecks);
	fputs(cf_repro_slots_text, out);
	fputc('\n', out);
	if (e->actors || e->groups) {
		fputs(cf_repro_pool_text, out);
		fputc('\n', out);
	}
	fputs(e->posix ? cf_repro_posix_text : e->aio ? cf_repro_aio_text : cf_repro_runtime_text, out);
	fputc('\n', out);
	if (e->actors || e->groups) {
		fputs(e->aio ? cf_repro_aio_actors_text : cf_repro_actors_text, out);
		fputc('\n', out);
	}
	fputs(cf_repro_main_text, out);
	fputs("\n/* ---- The program: one block per op; act i is op i ---- */\n"
	      "static void run_program(void)\n{\n", out);
	if (e->aio)
		fputs("\tint ret MAYBE_UNUSED;\n", out);
	else
		fputs("\tstruct io_uring_sqe *sqe MAYBE_UNUSED;\n\tint fd MAYBE_UNUSED, ret MAYBE_UNUSED;\n"
		      "\tpid_t pid MAYBE_UNUSED;\n", out);
	if (e->actors || e->groups)
		fputs("\tstruct call call MAYBE_UNUSED;\n\tstatic struct group grp MAYBE_UNUSED;\n\n"
		      "\tif ((ret = actors_start()) < 0) {\n"
		      "\t\tprintf(\"ERROR: cannot make the actor threads: %s\\n\", strerror(-ret));\n"
		      "\t\texit(3);\n\t}\n", out);
	if (e->renumbered)
		fputs("\tobs.renumbered = 1;\n\tmemcpy(obs.op_of, op_of_act, sizeof(op_of_act));\n", out);
	for (unsigned i = 0; i < e->prog.nops && e->prog.ops[i].kind != CF_OP_END; i++) {
		const struct cf_op *op = &e->prog.ops[i];
		int act = e->act_of_op[i];

		if (act < 0 || op->group)
			continue; /* never released, or made at its group's release */
		fprintf(out, "\n\t/* op %u", i);
		if (act != (int)i)
			fprintf(out, " (act %d)", act);
		fputs(": ", out);
		put_comment_text(out, e->lines[e->op_line + i]);
		fputs(" */\n", out);
		if (e->aio && cf_op_is_go(e->prog.mode, op)) {
			put_family_release(out, e, i, op->a[CF_W_N]);
		} else if (e->aio && op->actor) {
			put_family_prep(out, e, op, (unsigned)act, "&call");
			fprintf(out, "\tret = on_actor(%u, &call);\n\tend_act(%d, ret);\n", op->actor, act);
		} else if (e->aio) {
			put_family_op(out, e, op, (unsigned)act);
		} else if (cf_op_is_go(e->prog.mode, op))
			put_release(out, e, i, op->a[CF_W_N]);
		else if (op->actor)
			put_on_actor(out, op, (unsigned)act);
		else
			put_op(out, op, (unsigned)act);
	}
	if (!e->aio && (e->actors || e->groups))
		fputs("\n\t/* the actors run the task work queued for them (no act) */\n\tactors_task_work();\n", out);
	fputs("}\n", out);
	return ferror(out) ? -1 : 0;
}

/* ---- the command ---- */

static int program_lines(struct exporter *e)
{
	size_t len = 0;
	FILE *mem = open_memstream(&e->text, &len);
	char *p;

	if (!mem || cf_text_print(&e->prog, mem) < 0 || fclose(mem) != 0)
		return -1;
	for (p = e->text; *p && e->nlines < CF_MAX_OPS + 2;) {
		char *nl = strchr(p, '\n');

		e->lines[e->nlines++] = p;
		if (!nl)
			break;
		*nl = 0;
		p = nl + 1;
	}
	/* the magic line, the ring line and, with actors, the actors line */
	e->op_line = e->nlines > 2 && strncmp(e->lines[2], "actors ", 7) == 0 ? 3 : 2;
	return 0;
}

/* The program's ops, what the recorded run showed, the checks that follow it. */
static void prepare_checks(struct exporter *e)
{
	e->nprog = 0;
	while (e->nprog < e->h->nacts && e->h->acts[e->nprog].kind == CF_ACT_OP)
		e->nprog++;
	e->nchecks = e->manual = 0;
	observe_history(e, &recorded);
	choose_checks(e);
}

int cf_export_c(const char *path, enum cf_spec spec, const char *out)
{
	static struct exporter e;
	static struct cf_history first; /* a racy program's first run with a finding */
	int have_first = 0;
	char why[256], err[512];
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int code = CF_EXIT_PASS;

	memset(&e, 0, sizeof(e));
	e.path = path;
	e.spec = spec;
	e.h = &history;
	if (cf_load_program(path, &e.prog, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return CF_EXIT_BAD_INPUT;
	}
	for (unsigned a = 1; cf_program_uses_actors(&e.prog) && a < CF_ACTORS; a++) {
		unsigned kind = cf_actor_kind(e.prog.actors, a);

		if (kind == CF_ACTOR_THREAD || kind == CF_ACTOR_THREAD1)
			continue;
		/* the reproducer's actors are threads, on either ring */
		fprintf(stderr, "%s: export-c writes thread actors only: a%u is a %s (a forked task); replay it, or race it, instead\n",
			path, a, cf_actor_kind_name(kind));
		return CF_EXIT_BAD_INPUT;
	}
	/* a thread1 actor's ops run on its thread, one at a time: not made by
	 * a0 (ring1=a0), not released in a race group */
	prog_actors = e.prog.actors;
	for (unsigned i = 0; i < e.prog.nops && cf_mode_family(e.prog.mode) == CF_FAMILY_URING; i++)
		if (on_ring1(&e.prog.ops[i]) && ((e.prog.actors & CF_ACTORS_RING1_BY_A0) || e.prog.ops[i].group)) {
			fprintf(stderr, "%s: export-c writes thread1 actors only outside race groups and without ring1=a0 (op %u); replay it, or race it, instead\n",
				path, i);
			return CF_EXIT_BAD_INPUT;
		}
	/* The ring slots may be named by a request or a cancel, not closed or
	 * written (the harness refuses ring0's close -EPERM, the reproducer's
	 * slots would say -EBADF); `wait exit` only on a thread1 (it closes the
	 * second ring). */
	for (unsigned i = 0; i < e.prog.nops && cf_mode_family(e.prog.mode) == CF_FAMILY_URING; i++) {
		const struct cf_op *op = &e.prog.ops[i];
		unsigned slot = cf_op_slot(op);

		if ((cf_op_is_exit(e.prog.mode, op) && !on_ring1(op)) ||
		    (cf_slot_is_ring(slot) && (op->kind == CF_OP_CLOSE || op->kind == CF_OP_COMPLETE))) {
			fprintf(stderr, "%s: export-c writes neither a close or write of a ring slot, nor 'wait exit' but a thread1's (op %u); replay it, or race it, instead\n",
				path, i);
			return CF_EXIT_BAD_INPUT;
		}
	}
	e.posix = cf_mode_family(e.prog.mode) == CF_FAMILY_POSIX;
	e.aio = e.posix || cf_mode_family(e.prog.mode) == CF_FAMILY_AIO;
	number_acts(&e);
	e.racy = cf_program_racy(&e.prog, why, sizeof(why));
	/* a race shows its finding in some runs only: a group gets more */
	for (int run = 0; run < (e.groups ? RACE_ATTEMPTS : e.racy ? EXPORT_RUNS : 1); run++) {
		enum cf_run r = cf_run_record(&e.prog, e.h, why, sizeof(why));

		if (r == CF_RUN_UNSUPPORTED) {
			fprintf(stderr, "%s: unsupported here: %s\n", path, why);
			return CF_EXIT_UNSUPPORTED;
		}
		if (r != CF_RUN_OK) {
			fprintf(stderr, "%s: harness error: %s\n", path, why);
			return CF_EXIT_HARNESS;
		}
		cf_run_judge(e.h, spec, &e.j);
		if (!e.j.nfindings)
			continue;
		prepare_checks(&e);
		if (e.manual == 0)
			break;
		/* a racy program: another run may show its finding in a way a check
		 * can follow; else the first run that showed one is exported */
		if (!have_first) {
			first = history;
			have_first = 1;
		}
	}
	if (have_first && (e.manual || e.j.nfindings == 0)) {
		history = first;
		cf_run_judge(e.h, spec, &e.j);
	}
	prepare_checks(&e);
	if (program_lines(&e) < 0 || e.nlines < e.op_line + e.nprog) {
		fprintf(stderr, "%s: cannot print the program as text\n", path);
		free(e.text);
		return CF_EXIT_HARNESS;
	}
	mem = open_memstream(&buf, &len);
	if (!mem || write_c(&e, mem) < 0 || fclose(mem) != 0) {
		fprintf(stderr, "%s: cannot format the C program\n", path);
		free(e.text);
		free(buf);
		return CF_EXIT_HARNESS;
	}
	if (out) {
		if (cf_write_file_atomic(out, buf, len, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			code = CF_EXIT_HARNESS;
		}
	} else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		code = CF_EXIT_HARNESS;
	}
	if (e.j.fault[0])
		fprintf(stderr, "%s: injected fault %s: its findings are not the kernel's, the reproducer should not reproduce them\n",
			path, e.j.fault);
	if (code == CF_EXIT_PASS && e.nchecks == 0)
		fprintf(stderr, "%s: no finding at --spec %s: the program only prints what it observes\n",
			path, spec == CF_SPEC_DOC ? "doc" : "kernel");
	for (unsigned i = 0; code == CF_EXIT_PASS && i < e.nchecks; i++)
		if (e.checks[i].kind == CHK_MANUAL) {
			fprintf(stderr, "%s: %s has no automatic check: the reproducer prints its trace and exits 4\n",
				path, e.checks[i].invariant);
			code = CF_EXIT_HARNESS;
		}
	free(e.text);
	free(buf);
	return code;
}
