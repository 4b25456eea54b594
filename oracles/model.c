/* The model predicates over recorded requests and closes (model.h). */
#include "model.h"

#include <errno.h>

int cf_links_next(const struct cf_req_rec *r)
{
	if (r->req == CF_REQ_CANCEL)
		return cf_has_sqe(r) && (r->odd & CF_ODD_LINK);
	return !!(r->sqe_flags & (CF_SQE_LINK | CF_SQE_HARDLINK));
}

int cf_is_link_timeout(unsigned req)
{
	return req == CF_REQ_LINK_TIMEOUT_LONG || req == CF_REQ_LINK_TIMEOUT_SHORT ||
	       req == CF_REQ_LINK_TIMEOUT;
}

int cf_is_futex_waitid(unsigned req)
{
	return req == CF_REQ_FUTEX_WAIT || req == CF_REQ_FUTEX_WAITV || req == CF_REQ_WAITID ||
	       req == CF_REQ_WAITID_ALL;
}

int cf_is_timeout(unsigned req)
{
	return req == CF_REQ_TIMEOUT_LONG || req == CF_REQ_TIMEOUT_SHORT || req == CF_REQ_TIMEOUT ||
	       req == CF_REQ_TIMEOUT_MULTI;
}

int cf_is_remove_kind(unsigned req)
{
	return req < CF_REQ__COUNT && (cf_req_shape(req) == CF_SHAPE_REMOVE ||
				       cf_req_shape(req) == CF_SHAPE_UPDATE ||
				       cf_req_shape(req) == CF_SHAPE_POLLUPD);
}

unsigned cf_req_spec(const struct cf_history *h, unsigned i)
{
	return h->acts[h->reqs[i].act].a[CF_Q_SLOT];
}

unsigned cf_req_qflags(const struct cf_history *h, unsigned i)
{
	return h->acts[h->reqs[i].act].a[CF_Q_FLAGS];
}

int cf_prep_fails(const struct cf_history *h, unsigned i)
{
	const struct cf_req_rec *r = &h->reqs[i];
	unsigned shape, spec;

	/* io_poll_add_prep: IORING_POLL_ADD_MULTI with CQE_SKIP_SUCCESS is
	 * -EINVAL (campaign seeds 81, 82: 10ace072) */
	if (r->req == CF_REQ_POLL_MULTI && (r->sqe_flags & CF_SQE_SKIP))
		return 1;
	if (r->req >= CF_REQ__COUNT || (shape = cf_req_shape(r->req)) == CF_SHAPE_SLOT)
		return 0;
	spec = cf_req_spec(h, i);
	if (spec & CF_T_BAD)
		return 1;
	/* cov3 branch: len, buf_index, splice_fd_in, and timeout_flags (which
	 * a POLL_REMOVE reads as poll32_events without UPDATE_EVENTS) */
	if (shape == CF_SHAPE_REMOVE && (spec & CF_R__MASK))
		return 1;
	if (shape == CF_SHAPE_UPDATE && (cf_req_qflags(h, i) & (CF_U_LEN | CF_U_ALLFLAGS)))
		return 1;
	if (shape == CF_SHAPE_POLLUPD) /* io_poll_remove_prep(); IOSQE_FIXED_FILE is ignored */
		return ((spec & CF_PU_MULTI) && !(spec & (CF_PU_EVENTS | CF_PU_USER_DATA))) ||
		       ((spec & CF_PU_POLLOUT) && !(spec & CF_PU_EVENTS));
	if (shape != CF_SHAPE_TIMER)
		return r->req != CF_REQ_POLL_REMOVE && (r->sqe_flags & CF_SQE_FIXED);
	return ((spec >> CF_T_CLOCK_SHIFT) & 3) == CF_CLOCK_BOTH ||
	       (r->req == CF_REQ_LINK_TIMEOUT && (cf_req_qflags(h, i) >> CF_SQE_COUNT_SHIFT) > 0);
}

int cf_drain_refused(const struct cf_history *h, unsigned i)
{
	const struct cf_req_rec *r = &h->reqs[i];

	if (!(r->sqe_flags & CF_SQE_DRAIN) || !cf_has_sqe(r) || r->sub_act < 0)
		return 0;
	for (unsigned j = 0; j <= i; j++) {
		const struct cf_req_rec *o = &h->reqs[j];

		if (cf_has_sqe(o) && o->ring == r->ring && o->sub_act >= 0 &&
		    (cf_req_skips(o) || (j < i && cf_req_is_multishot(o->req))))
			return 1;
	}
	return 0;
}

uint64_t cf_remove_key(const struct cf_history *h, unsigned i)
{
	return cf_ud_value(cf_req_spec(h, i) & CF_T_TARGET_MASK);
}

int cf_remove_matches(const struct cf_history *h, unsigned i, unsigned t)
{
	unsigned req = h->reqs[i].req, treq = h->reqs[t].req;

	if (h->reqs[t].user_data != cf_remove_key(h, i) || !cf_has_sqe(&h->reqs[t]))
		return 0;
	switch (req) {
	case CF_REQ_POLL_REMOVE:
	case CF_REQ_POLL_UPDATE:
		return treq == CF_REQ_POLL || treq == CF_REQ_POLL_MULTI;
	case CF_REQ_TIMEOUT_REMOVE:
	case CF_REQ_TIMEOUT_UPDATE:
		return cf_is_timeout(treq);
	case CF_REQ_LINK_TIMEOUT_UPDATE:
		return cf_is_link_timeout(treq);
	}
	return 0;
}

int cf_poll_update_rearms(const struct cf_history *h, unsigned i)
{
	return h->reqs[i].req == CF_REQ_POLL_UPDATE &&
	       (cf_req_spec(h, i) & (CF_PU_EVENTS | CF_PU_USER_DATA));
}

int cf_silent_cancel_succeeded(const struct cf_history *h, unsigned c)
{
	const struct cf_req_rec *r = &h->reqs[c];

	if (r->req != CF_REQ_CANCEL || !cf_has_sqe(r) || !(r->odd & CF_ODD_SKIP) || r->sub_act < 0 ||
	    cf_behind_link(h, c) || (r->cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)))
		return 0;
	for (unsigned t = 0; t < h->nreqs; t++)
		if (cf_is_futex_waitid(h->reqs[t].req) && cf_cancel_matches(h, r, &h->reqs[t]))
			return 0; /* their cancel counts 1 (D03) */
	return 1;
}

int cf_req_skips(const struct cf_req_rec *r)
{
	return r->req == CF_REQ_CANCEL ? cf_has_sqe(r) && (r->odd & CF_ODD_SKIP)
				       : !!(r->sqe_flags & CF_SQE_SKIP);
}

int cf_uses_file(unsigned req)
{
	return req != CF_REQ_NOP && !cf_is_timeout(req) && !cf_is_link_timeout(req) &&
	       !cf_is_futex_waitid(req) && !cf_is_remove_kind(req);
}

int cf_uses_slot_fd(unsigned req)
{
	return cf_uses_file(req) && !cf_req_is_direct(req);
}

int cf_canceled_res(int res)
{
	return res == -ECANCELED || res == -EINTR;
}

int cf_efault_res(int res)
{
	return res == -EFAULT;
}

/* Does t go through io-wq before it runs: IOSQE_ASYNC or DRAIN on itself,
 * or submitted once a DRAIN was seen (the kernel then drains what follows,
 * io_drain_req)? There a cancel finds any kind by io_wq_cancel_cb. */
static int via_iowq(const struct cf_history *h, const struct cf_req_rec *t)
{
	return (t->sqe_flags & (CF_SQE_ASYNC | CF_SQE_DRAIN)) ||
	       (t->sub_act >= 0 && cf_drain_by(h, t->sub_act));
}

/* Seen on 6.18: an OP-only cancel finds a waitid of another user_data.
 * Both spec levels match this way: where the pages differ (ANY alone) the
 * oracle's count checks carry the divergence tag. */
int cf_cancel_matches(const struct cf_history *h, const struct cf_req_rec *c,
		      const struct cf_req_rec *t)
{
	uint32_t f = c->cancel_flags;

	if (t->req == CF_REQ_CANCEL || cf_is_link_timeout(t->req) ||
	    (cf_is_remove_kind(t->req) && !via_iowq(h, t)))
		return 0; /* completes at once / lives on its chain, not on a cancel list */
	/* io_try_cancel() skips the timeout list when FD is set; a timeout in
	 * io-wq is found there by ANY. */
	if (f & CF_CANCEL_F_ANY)
		return !((f & CF_CANCEL_F_FD) && cf_is_timeout(t->req) && !via_iowq(h, t));
	if (f & CF_CANCEL_F_FD) { /* the O_DIRECT file is no slot: no FD key names it (cov3) */
		if (!cf_uses_file(t->req) || t->slot != c->slot || cf_req_is_direct(t->req))
			return 0;
	}
	if ((f & CF_CANCEL_F_OP) && cf_req_opcode(t->req) != cf_req_opcode(c->opreq))
		return 0;
	if ((f & CF_CANCEL_F_USERDATA) || !(f & (CF_CANCEL_F_FD | CF_CANCEL_F_OP)))
		return t->user_data == c->key_ud;
	return 1;
}

int cf_ran_at(const struct cf_req_rec *r)
{
	return cf_has_sqe(r) ? r->sub_act : (int)r->act;
}

int cf_behind_link(const struct cf_history *h, unsigned i)
{
	while (i-- > 0)
		if (cf_has_sqe(&h->reqs[i]))
			return cf_links_next(&h->reqs[i]);
	return 0;
}

int cf_in_chain(const struct cf_history *h, unsigned i)
{
	return cf_links_next(&h->reqs[i]) || cf_behind_link(h, i);
}

int cf_drain_by(const struct cf_history *h, int a)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].req != CF_REQ_CANCEL && (h->reqs[i].sqe_flags & CF_SQE_DRAIN) &&
		    h->reqs[i].sub_act >= 0 && h->reqs[i].sub_act <= a)
			return 1;
	return 0;
}

int cf_overflow_between(const struct cf_history *h, int from, int to)
{
	for (int a = from; a <= to && a < (int)h->nacts; a++)
		if (h->acts[a].overflow)
			return 1;
	return 0;
}

void cf_closes(const struct cf_history *h, int16_t closed_at[CF_SLOT__COUNT])
{
	for (unsigned s = 0; s < CF_SLOT__COUNT; s++)
		closed_at[s] = -1;
	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		/* an AIO close code past the slots (ctx, setup) closes no slot */
		if (act->kind == CF_ACT_OP && act->op_kind == CF_OP_CLOSE && act->res == 0 &&
		    act->a[CF_X_SLOT] < (cf_mode_family(h->mode) == CF_FAMILY_URING ? CF_SLOT__COUNT
										 : CF_SLOT_AIO_COUNT) &&
		    closed_at[act->a[CF_X_SLOT]] < 0)
			closed_at[act->a[CF_X_SLOT]] = (int16_t)a;
		/* `wait exit` of a thread1 actor closes the second ring's fd
		 * (docs/program-format.md; seed 534) */
		if (act->kind == CF_ACT_OP && act->op_kind == CF_OP_WAIT && act->a[CF_W_HOW] == CF_WAIT_EXIT &&
		    act->res >= 0 && act->actor && h->program_len >= CF_HEADER_BYTES &&
		    cf_actor_kind(h->program[2], act->actor) == CF_ACTOR_THREAD1 && closed_at[CF_SLOT_RING1] < 0)
			closed_at[CF_SLOT_RING1] = (int16_t)a;
	}
}

int cf_cq_filled_before(const struct cf_history *h, uint64_t ud)
{
	int fin = -1, reap = -1;
	unsigned n = 0;

	for (unsigned c = 0; c < h->ncqes && fin < 0; c++)
		if (h->cqes[c].user_data == ud && CF_CQE_FINAL(&h->cqes[c]))
			fin = (int)c;
	if (fin < 0)
		return 0;
	for (unsigned a = 0; a < h->cqes[fin].act; a++)
		if (h->acts[a].kind == CF_ACT_OP && h->acts[a].op_kind == CF_OP_WAIT &&
		    h->acts[a].a[CF_W_HOW] == CF_WAIT_REAP)
			reap = (int)a;
	for (int c = 0; c <= fin; c++)
		n += (int)h->cqes[c].act > reap;
	return n >= h->cq_entries || cf_overflow_between(h, 0, h->cqes[fin].act);
}

int cf_task_exit_of(const struct cf_history *h, int t, int by)
{
	int sub = t >= 0 && t < (int)h->nreqs ? h->reqs[t].sub_act : -1;
	unsigned a;

	if (sub < 0 || h->mode == CF_MODE_SQPOLL || h->program_len < CF_HEADER_BYTES ||
	    h->acts[sub].kind != CF_ACT_OP)
		return -1;
	a = h->acts[sub].actor;
	if (!a || cf_actor_kind(h->program[2], a) != CF_ACTOR_TASK)
		return -1;
	for (int e = sub + 1; e <= by && e < (int)h->nacts; e++)
		if (h->acts[e].kind == CF_ACT_OP && h->acts[e].op_kind == CF_OP_WAIT &&
		    h->acts[e].a[CF_W_HOW] == CF_WAIT_EXIT && h->acts[e].actor == a)
			return h->acts[e].res >= 0 ? e : -1;
	return -1;
}

int cf_rearming_multishot_timeout(const struct cf_history *h, unsigned t)
{
	int last = -1; /* the teardown's last cancel */

	if (t >= h->nreqs || h->reqs[t].req != CF_REQ_TIMEOUT_MULTI || h->reqs[t].sub_act < 0)
		return 0;
	for (unsigned a = 0; a < h->nacts; a++)
		if (h->acts[a].kind == CF_ACT_END_CANCEL)
			last = (int)a;
	/* an expiry with F_MORE (a MULTISHOT timeout's only kind of such CQE)
	 * after the last cancel: a timeout of this user_data outlived them all,
	 * whatever the other requests of the user_data posted (seeds 540, 542) */
	for (unsigned i = 0; last >= 0 && i < h->ncqes; i++)
		if (h->cqes[i].user_data == h->reqs[t].user_data && (int)h->cqes[i].act > last &&
		    h->cqes[i].res == -ETIME && (h->cqes[i].flags & CF_CQE_F_MORE))
			return 1;
	return 0;
}

int cf_efault_after_exit(const struct cf_history *h, int t)
{
	for (unsigned i = 0; t >= 0 && t < (int)h->nreqs && h->reqs[t].sub_act >= 0 && i < h->ncqes; i++)
		if (h->cqes[i].user_data == h->reqs[t].user_data && h->cqes[i].res == -EFAULT &&
		    (int)h->cqes[i].act >= h->reqs[t].sub_act)
			return cf_task_exit_of(h, t, (int)h->cqes[i].act);
	return -1;
}

int cf_task_end_is_exec(const struct cf_history *h, int e)
{
	return e >= 0 && e < (int)h->nacts && h->acts[e].kind == CF_ACT_OP && h->acts[e].op_kind == CF_OP_WAIT &&
	       h->acts[e].a[CF_W_HOW] == CF_WAIT_EXIT && !(h->acts[e].a[CF_W_N] & 1) && (h->acts[e].a[CF_W_N] & 2);
}

int cf_plain_timeout(const struct cf_history *h, int t)
{
	const struct cf_req_rec *r = &h->reqs[t];

	/* held back by a DRAIN it sits on the defer list, which the exit
	 * cancels (io_cancel_defer_files; seed 511) */
	return cf_is_timeout(r->req) && !cf_links_next(r) && !cf_behind_link(h, (unsigned)t) &&
	       !(r->sub_act >= 0 && cf_drain_by(h, r->sub_act));
}
