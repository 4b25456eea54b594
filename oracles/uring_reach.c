/* io_uring oracle: when a request was in flight, and within reach of a
 * cancel (at the act it ran, or during the window a deferred cancel
 * waited), and by when the kernel must have posted what a cancel did. */
#include "uring.h"

/* Was t in flight, and reachable by a cancel, when cancel c ran in act n? */
int uring_in_flight_at(const struct model *m, int t, int c, int n)
{
	const struct cf_req_rec *tr = R(m, t);

	if (!cf_has_sqe(tr) || tr->sub_act < 0 || t == c || m->r[t].doomed)
		return 0;
	if (tr->sub_act > n || (tr->sub_act == n && t > c))
		return 0;
	if (m->r[t].done && m->r[t].final_act < n)
		return 0;
	return 1;
}

/* A cancel that may run after the act that submitted it: behind its chain,
 * in io-wq (IOSQE_ASYNC), or held back by a DRAIN ahead of it. */
/* c links the next SQE, but none came in the submit that consumed it: the
 * kernel hands a chain left open at a submit to io-wq. */
static int open_link_at_submit(const struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);

	if (!cf_links_next(r))
		return 0;
	for (unsigned k = (unsigned)c + 1; k < m->h->nreqs; k++)
		if (cf_has_sqe(R(m, k)))
			return R(m, k)->sub_act != r->sub_act;
	return 1;
}

int uring_cancel_deferred(const struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);

	return cf_has_sqe(r) && r->sub_act >= 0 &&
	       (m->r[c].chain_prev >= 0 || (r->odd & CF_ODD_ASYNC) || m->drain_seen_by[r->sub_act] ||
		m->r[c].late_enter || open_link_at_submit(m, c));
}

int uring_run_act(const struct model *m, int c)
{
	if (uring_cancel_deferred(m, c) && m->r[c].done && m->r[c].final_act > R(m, c)->sub_act)
		return m->r[c].final_act;
	return cf_ran_at(R(m, c));
}

int uring_runs_after(const struct model *m, int k, int c)
{
	int ak = uring_run_act(m, k), ac = uring_run_act(m, c);
	int dk = uring_cancel_deferred(m, k), dc = uring_cancel_deferred(m, c);

	return ak > ac || (ak == ac && (dk > dc || (dk == dc && k > c)));
}

/* Is t ahead of c in c's chain? Then it finished before c was issued. */
static int ahead_in_chain(const struct model *m, int t, int c)
{
	for (int p = m->r[c].chain_prev; p >= 0; p = m->r[p].chain_prev)
		if (p == t)
			return 1;
	return 0;
}

/* Could t have been in flight at some moment of acts n..last, while a
 * deferred cancel c was waiting to run? */
static int in_flight_during(const struct model *m, int t, int c, int n, int last)
{
	const struct cf_req_rec *tr = R(m, t);

	if (!cf_has_sqe(tr) || tr->sub_act < 0 || t == c || tr->sub_act > last || m->r[t].doomed ||
	    ahead_in_chain(m, t, c))
		return 0;
	return !(m->r[t].done && m->r[t].final_act < n);
}

/* in_flight_at, or in_flight_during the whole window of a deferred cancel. */
int uring_reachable_by(const struct model *m, int t, int c, int n)
{
	if (!uring_cancel_deferred(m, c))
		return uring_in_flight_at(m, t, c, n);
	return in_flight_during(m, t, c, n,
				m->r[c].done ? m->r[c].final_act : (int)m->h->nacts - 1);
}

/* An SQE cancel waiting behind a chain, an open link, io-wq or a DRAIN is
 * itself a pending request, and ANY reaches it. */
int uring_held_cancel_matched(const struct model *m, int c, int t)
{
	const struct cf_req_rec *tr = R(m, t);

	return (R(m, c)->cancel_flags & CF_CANCEL_F_ANY) && tr->req == CF_REQ_CANCEL &&
	       (uring_cancel_deferred(m, t) || cf_links_next(tr));
}

/* In flight for sure: not waiting behind its chain, not finished inside act n
 * by itself (which, submitted in the same act before c, it did before c ran). */
int uring_surely_in_flight(const struct model *m, int t, int n)
{
	int p = m->r[t].chain_prev;

	if (m->r[t].silent) /* it may have ended without a CQE */
		return 0;

	if (p >= 0 && !(m->r[p].done && !m->r[p].ambiguous && m->r[p].final_act < n))
		return 0;
	if (m->r[t].done && m->r[t].final_act == n && !cf_canceled_res(m->r[t].final_res))
		return 0;
	return 1;
}

/* Did the submit in act a stop early (an SQE failed before issue)? Then
 * io_uring_enter returns without waiting, and without running task work. */
static int short_submit(const struct model *m, unsigned a)
{
	for (unsigned i = 0; i < m->h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, i);

		if (cf_has_sqe(r) && r->act < a && (r->sub_act < 0 || r->sub_act > (int)a))
			return 1;
	}
	return 0;
}

/* The first act at or after n by whose end a canceled request's CQE must show. */
int uring_target_deadline(const struct model *m, int n, int *defer_late)
{
	const struct cf_history *h = m->h;

	*defer_late = 0;
	if (h->mode != CF_MODE_DEFER)
		return n;
	/* DEFER_TASKRUN: completions run only when the task enters with GETEVENTS */
	*defer_late = 1;
	for (unsigned a = (unsigned)n; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		if (act->kind == CF_ACT_END_DRAIN ||
		    (act->kind == CF_ACT_OP && act->op_kind == CF_OP_WAIT &&
		     ((act->a[CF_W_HOW] == CF_WAIT_SUBMIT_N && !short_submit(m, a)) ||
		      act->a[CF_W_HOW] == CF_WAIT_GETEVENTS)))
			return (int)a;
	}
	return (int)h->nacts - 1;
}

int uring_cancel_result(const struct model *m, int c, int *known)
{
	const struct cf_req_rec *r = R(m, c);

	*known = 1;
	if (!cf_has_sqe(r))
		return m->h->acts[r->act].res;
	if (!m->r[c].done) {
		*known = 0;
		return 0;
	}
	return m->r[c].final_res;
}
