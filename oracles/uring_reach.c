/* io_uring oracle: when a request was in flight, and within reach of a
 * cancel (at the act it ran, or during the window a deferred cancel
 * waited), and by when the kernel must have posted what a cancel did. */
#include "uring.h"

/* Is it unsure whether request p finished before act n: its final CQE may
 * be another's, or a final CQE of its user_data given to another may be
 * its own, or it may have finished silently (CQE_SKIP_SUCCESS: seed 541)? */
int uring_unsure_finished(const struct model *m, int p, int n)
{
	const struct cf_history *h = m->h;

	if (m->r[p].done && m->r[p].final_act < n)
		return m->r[p].ambiguous;
	if (m->r[p].silent)
		return 1;
	for (unsigned ci = 0; ci < h->ncqes && h->cqes[ci].act < n; ci++)
		if (h->cqes[ci].user_data == R(m, p)->user_data && CF_CQE_FINAL(&h->cqes[ci]) &&
		    !uring_cannot_carry(m, p, &h->cqes[ci]))
			return 1;
	return 0;
}

/* Is t surely still waiting behind its chain at the end of act `last`:
 * the request ahead of it, in a chain the kernel saw, surely had not
 * finished (link timeouts aside)? Then it was never issued by then. */
static int waiting_in_chain(const struct model *m, int t, int last)
{
	int p = m->r[t].chain_prev;

	if (p < 0 || R(m, p)->sub_act != R(m, t)->sub_act || m->h->mode == CF_MODE_SQPOLL ||
	    cf_is_link_timeout(R(m, t)->req) || cf_is_link_timeout(R(m, p)->req) ||
	    uring_unsure_finished(m, p, last + 1))
		return 0;
	return !(m->r[p].done && m->r[p].final_act <= last);
}

/* Is t a chain member whose chain and SQE cancel c came in the submit of
 * act n, c run inline? The request ahead of t completes by task work, and
 * that issues t, after the submit's SQEs: c cannot reach t (seed 526). */
static int issued_after_submit(const struct model *m, int t, int c, int n)
{
	int p = m->r[t].chain_prev;

	return p >= 0 && m->h->mode != CF_MODE_SQPOLL && cf_has_sqe(R(m, c)) &&
	       R(m, p)->sub_act == n && R(m, t)->sub_act == n && R(m, c)->sub_act == n &&
	       !cf_is_link_timeout(R(m, t)->req) && !uring_cancel_deferred(m, c);
}

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
	return !waiting_in_chain(m, t, n) && !issued_after_submit(m, t, c, n);
}

/* Does c head a chain left open at its submit? The kernel hands such a
 * chain to io-wq when the submit ends (io_submit_state_end), so its head
 * runs later, like one with IOSQE_ASYNC. */
int uring_heads_open_chain(const struct model *m, int c)
{
	int last = c;

	for (unsigned j = (unsigned)c + 1; j < m->h->nreqs; j++)
		if (m->r[j].chain_prev == last && R(m, j)->sub_act == R(m, c)->sub_act)
			last = (int)j;
	return cf_links_next(R(m, last));
}

/* A cancel that may run after the act that submitted it: behind its chain,
 * in io-wq (IOSQE_ASYNC, or a chain left open), or held back by a DRAIN
 * ahead of it. */
int uring_cancel_deferred(const struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);

	return cf_has_sqe(r) && r->sub_act >= 0 &&
	       (m->r[c].chain_prev >= 0 || (r->odd & CF_ODD_ASYNC) || m->drain_seen_by[r->sub_act] ||
		m->r[c].late_enter || uring_heads_open_chain(m, c));
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

/* Is t behind c in a chain the kernel saw (every link consumed by one
 * submit)? Then t is issued only after c finished. */
static int behind_in_chain(const struct model *m, int t, int c)
{
	for (int p = m->r[t].chain_prev, q = t; p >= 0 && R(m, p)->sub_act == R(m, q)->sub_act;
	     q = p, p = m->r[p].chain_prev)
		if (p == c)
			return 1;
	return 0;
}

/* Could t have been in flight at some moment of acts n..last, while a
 * deferred cancel c was waiting to run? */
static int in_flight_during(const struct model *m, int t, int c, int n, int last)
{
	const struct cf_req_rec *tr = R(m, t);

	if (!cf_has_sqe(tr) || tr->sub_act < 0 || t == c || tr->sub_act > last || m->r[t].doomed ||
	    ahead_in_chain(m, t, c) || behind_in_chain(m, t, c) || waiting_in_chain(m, t, last))
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

/* An SQE cancel (or a remove or update) waiting behind a chain, an open
 * link, io-wq or a DRAIN is itself a pending request, and ANY reaches it. */
int uring_held_cancel_matched(const struct model *m, int c, int t)
{
	const struct cf_req_rec *tr = R(m, t);

	if (!(R(m, c)->cancel_flags & CF_CANCEL_F_ANY) || !cf_has_sqe(tr))
		return 0;
	if (tr->req == CF_REQ_CANCEL)
		return uring_cancel_deferred(m, t) || cf_links_next(tr);
	/* a remove or update held the same way: behind its chain, in io-wq
	 * (IOSQE_ASYNC, a chain left open), or behind a DRAIN (seed 547) */
	return cf_is_remove_kind(tr->req) && tr->sub_act >= 0 &&
	       (m->r[t].chain_prev >= 0 || (tr->sqe_flags & (CF_SQE_ASYNC | CF_SQE_DRAIN)) ||
		m->drain_seen_by[tr->sub_act] || uring_heads_open_chain(m, t) || cf_links_next(tr));
}

int uring_race_horizon(const struct model *m, int n)
{
	const struct cf_history *h = m->h;

	/* An act on another actor (or in a race group): what it causes may be
	 * posted by the task work of the task that submitted the request,
	 * which runs when that task next returns from the kernel: by the next
	 * act of a0 that is in no race group (for a group, its release). */
	while (n >= 0 && (unsigned)n + 1 < h->nacts && h->acts[n].kind == CF_ACT_OP &&
	       (h->acts[n].actor || h->acts[n].group))
		n++;
	return n;
}

/* In flight for sure: not waiting behind its chain, not finished inside act n
 * by itself (which, submitted in the same act before c, it did before c ran).
 * For an act on an actor, not finished by itself before its horizon: it
 * may have completed (and left the cancel tables) while its CQE waited for
 * its task's task work. */
int uring_surely_in_flight(const struct model *m, int t, int n)
{
	int p = m->r[t].chain_prev;

	if (m->r[t].silent) /* it may have ended without a CQE */
		return 0;

	if (p >= 0 && !(m->r[p].done && !m->r[p].ambiguous && m->r[p].final_act < n))
		return 0;
	if (m->r[t].done && m->r[t].final_act >= n && m->r[t].final_act <= uring_race_horizon(m, n) &&
	    !cf_canceled_res(m->r[t].final_res))
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
	n = uring_race_horizon(m, n);
	if (h->mode != CF_MODE_DEFER)
		return n;
	/* DEFER_TASKRUN: completions run only when the task enters with GETEVENTS */
	*defer_late = 1;
	for (unsigned a = (unsigned)n; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		if (act->kind == CF_ACT_OP && act->actor)
			continue; /* another thread cannot run a0's deferred task work (SINGLE_ISSUER refuses it) */
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
		/* odd=skip_success, not behind a chain member: its silence
		 * is its success, and without ALL or ANY (or a futex/waitid
		 * match, D03) that is 0 (io_async_cancel fails, and so
		 * posts, every other result) */
		*known = m->r[c].silent && m->r[c].chain_prev < 0 &&
			 cf_silent_cancel_succeeded(m->h, (unsigned)c);
		return 0;
	}
	return m->r[c].final_res;
}
