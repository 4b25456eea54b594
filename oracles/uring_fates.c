/* io_uring oracle, pass 2b: every request's fate. A canceled result needs
 * a cause (a cancel, teardown, its chain; never a close); link timeouts
 * expire only when their request did not finish; after teardown every
 * request has had its final CQE. */
#include "uring.h"

#include <errno.h>

#include "racy.h"

/* A request other than p with p's user_data that ended -ECANCELED at or
 * after act `from`; -1 none. The kernel's link timeout cancels by
 * user_data (io_req_task_link_timeout -> io_try_cancel), so it can hit
 * such a sibling instead of its own request (registry D30, D31). */
static int canceled_sibling(const struct model *m, int p, int from)
{
	for (unsigned q = 0; q < m->h->nreqs; q++)
		if ((int)q != p && cf_has_sqe(R(m, q)) && R(m, q)->req != CF_REQ_CANCEL &&
		    R(m, q)->user_data == R(m, p)->user_data && m->r[q].done &&
		    m->r[q].final_res == -ECANCELED && m->r[q].final_act >= from)
			return (int)q;
	return -1;
}

/* An expired link timeout whose request shares t's user_data, expired at
 * or before act `by`; -1 none. One in a chain that failed at submit never
 * armed (campaign seed 79, 18afc33d). */
static int expired_link_timeout_of_sibling(const struct model *m, int t, int by)
{
	for (unsigned k = 0; k < m->h->nreqs; k++) {
		int p = m->r[k].chain_prev;

		/* fired: -ETIME, or 1 when the cancel it makes counted a futex or
		 * waitid (seeds 143, 189) */
		/* or, with CQE_SKIP_SUCCESS, no CQE at all (a campaign, seed 41) */
		/* a silent one only once consumed (seed 521) */
		if (cf_is_link_timeout(R(m, k)->req) && !m->r[k].doomed &&
		    ((m->r[k].done && (m->r[k].final_res == -ETIME || m->r[k].final_res == 1) &&
		      m->r[k].final_act <= by) ||
		     (!m->r[k].done && (R(m, k)->sqe_flags & CF_SQE_SKIP) && R(m, k)->sub_act >= 0 &&
		      R(m, k)->sub_act <= by && !uring_long_link_timeout(m, (int)k))) &&
		    p >= 0 && p != t && R(m, p)->user_data == R(m, t)->user_data)
			return (int)k;
	}
	return -1;
}

/* Did the request ahead of t in its chain fail by the time t ended, or
 * its whole chain at submit? Then the chain is t's cause before any
 * sibling's link timeout (seed 523). */
static int chain_failed(const struct model *m, int t)
{
	int p = m->r[t].chain_prev;

	return m->r[t].doomed || (p >= 0 && m->r[p].done && !m->r[p].ambiguous && m->r[p].final_res < 0 &&
				  m->r[p].final_act <= m->r[t].final_act);
}

/* Can the chain that request t heads end t -ECANCELED: it failed at submit
 * (a member's prep), or t's link timeout follows it? A member that fails
 * later cannot: t has completed by then (campaign rediscovery run 5,
 * 18afc33d: a read heading an update, canceled by a sibling's link
 * timeout, D31). */
static int chain_may_cancel_head(const struct model *m, int t)
{
	if (m->r[t].doomed)
		return 1;
	for (unsigned k = (unsigned)t + 1; k < m->h->nreqs; k++)
		if (m->r[k].chain_prev == t)
			return cf_is_link_timeout(R(m, (int)k)->req);
	return 1; /* the next SQE went in by another submit: unknown */
}

/* Every -ECANCELED/-EINTR needs a cause: a matching cancel, teardown, or its chain. */
static void check_causes(struct model *m)
{
	const struct cf_history *h = m->h;

	for (unsigned t = 0; t < h->nreqs; t++) {
		const struct cf_req_rec *tr = R(m, t);
		const struct req_state *s = &m->r[t];
		int cause = 0, ended;

		if (!cf_has_sqe(tr) || tr->req == CF_REQ_CANCEL || !s->done || s->ambiguous ||
		    !cf_canceled_res(s->final_res))
			continue;
		m->j->checks++;
		if (s->claimed || (cf_links_next(tr) && chain_may_cancel_head(m, (int)t)) ||
		    cf_is_link_timeout(tr->req))
			continue;
		for (unsigned a = 0; a <= (unsigned)s->final_act && !cause; a++)
			cause = h->acts[a].kind == CF_ACT_END_CANCEL;
		/* exact: the cancels' claims say it all, but a silent cancel
		 * (odd=skip_success) with ALL claimed nothing: its count is
		 * unknown (uring_cancel_result) */
		for (unsigned c = 0; c < h->nreqs && !cause; c++) {
			int n = cf_ran_at(R(m, (int)c)), known; /* a deferred one: from here on */
			const struct cf_req_rec *cr = R(m, c);

			int res;

			/* claims decide in an exact program, unless the CQ overflowed
			 * between the cancel and t's CQE: then t's CQE may have
			 * waited in the overflow list, and claims by CQE order are
			 * loose (seed 545) */
			if (cr->req != CF_REQ_CANCEL || n < 0 || n > s->final_act ||
			    (m->exact && !(m->r[c].silent && cf_req_skips(cr)) &&
			     !cf_overflow_between(h, n, s->final_act)))
				continue;
			res = uring_cancel_result(m, (int)c, &known);
			cause = (!known || res >= 0 || res == -EALREADY) &&
				uring_reachable_by(m, (int)t, (int)c, n) &&
				cf_cancel_matches(m->h, cr, tr);
		}
		if (cause)
			continue;
		/* A task's exit (do_exit -> io_uring_files_cancel) leaves its
		 * requests to task work that a kworker runs, which cancels them
		 * (io_should_terminate_tw): a poll-armed request woken after the
		 * exit ends -ECANCELED. A timeout in no link and not held back by
		 * a DRAIN (the exit cancels the defer list) is spared: the exit
		 * kills only chains that hold a REQ_F_INFLIGHT request, and its
		 * expiry posts -ETIME whoever runs it (registry D41). */
		/* An exec (begin_new_exec -> io_uring_task_cancel) cancels every
		 * request of its task, a timeout in no link too (registry D47). */
		ended = cf_task_exit_of(h, (int)t, s->final_act);
		if (cf_task_end_is_exec(h, ended)) {
			report_on(m, INV_NO_COLLATERAL, "task-exec-cancels", 1, -1, (int)t,
				  "request %d (%s, ud 0x%llx), submitted by task a%u, ended %d after act %d: its task exec'd in act %d",
				  t, cf_req_name(tr->req), (unsigned long long)tr->user_data,
				  h->acts[tr->sub_act].actor, s->final_res, s->final_act, ended);
			continue;
		}
		if (ended >= 0 && !cf_plain_timeout(h, (int)t)) {
			report_on(m, INV_NO_COLLATERAL, "task-exit-cancels", 1, -1, (int)t,
				  "request %d (%s, ud 0x%llx), submitted by task a%u, ended %d after act %d: its task ended in act %d",
				  t, cf_req_name(tr->req), (unsigned long long)tr->user_data,
				  h->acts[tr->sub_act].actor, s->final_res, s->final_act, ended);
			continue;
		}
		if (ended >= 0)
			report_on(m, INV_NO_COLLATERAL, "exit-cancels-plain-timeout", 0, -1, (int)t,
				  "timeout %d (%s, ud 0x%llx) in no link ended %d after act %d with no cancel matching it: its task's exit (act %d) must not cancel it",
				  t, cf_req_name(tr->req), (unsigned long long)tr->user_data, s->final_res,
				  s->final_act, ended);
		else if (!chain_failed(m, (int)t) && expired_link_timeout_of_sibling(m, (int)t, s->final_act) >= 0)
			report_on(m, INV_NO_COLLATERAL, "canceled-by-sibling-link-timeout", 0, -1, (int)t,
				  "request %d (%s, ud 0x%llx) ended %d after act %d: only the expired link timeout %d of another request of its user_data can have done it",
				  t, cf_req_name(tr->req), (unsigned long long)tr->user_data, s->final_res,
				  s->final_act, expired_link_timeout_of_sibling(m, (int)t, s->final_act));
		else if (uring_behind_etime_success(m, (int)t))
			report(m, INV_TIMEOUT_ETIME_SUCCESS, NULL, 0,
			       "request %d (%s, ud 0x%llx), linked behind ETIME_SUCCESS timeout %d that expired, ended %d after act %d with no cancel matching it",
			       t, cf_req_name(tr->req), (unsigned long long)tr->user_data, s->chain_prev,
			       s->final_res, s->final_act);
		else if (s->chain_prev >= 0) /* its chain broke: no page says what follows */
			report_on(m, INV_NO_COLLATERAL, "chain-member-canceled", 1, -1, (int)t,
				  "request %d (%s, ud 0x%llx), linked behind request %d, ended %d after act %d with no cancel matching it",
				  t, cf_req_name(tr->req), (unsigned long long)tr->user_data, s->chain_prev,
				  s->final_res, s->final_act);
		else if (cf_uses_slot_fd(tr->req) && m->closed_at[tr->slot] >= 0 && m->closed_at[tr->slot] <= s->final_act)
			report(m, INV_CLOSE_NO_CANCEL, NULL, 0,
			       "request %d (%s on %s) ended %d after its fd was closed in act %d, with no cancel matching it",
			       t, cf_req_name(tr->req), cf_slot_name(tr->slot), s->final_res,
			       m->closed_at[tr->slot]);
		else
			report(m, INV_NO_COLLATERAL, NULL, 0,
			       "request %d (%s, ud 0x%llx) ended %d after act %d, but no cancel matched it",
			       t, cf_req_name(tr->req), (unsigned long long)tr->user_data, s->final_res,
			       s->final_act);
	}
}

static void check_link_timeouts(struct model *m)
{
	for (unsigned t = 0; t < m->h->nreqs; t++) {
		const struct cf_req_rec *tr = R(m, t);
		const struct req_state *s = &m->r[t];
		int p = s->chain_prev;

		if (!cf_is_link_timeout(tr->req) || !s->done || s->ambiguous || p < 0 || m->r[p].ambiguous)
			continue;
		m->j->checks++;
		if (s->final_res == -ETIME && uring_long_link_timeout(m, (int)t))
			report(m, INV_LINK_TIMEOUT, NULL, 0,
			       "60 s link timeout %u expired within the execution", t);
		if (s->final_res == -ETIME && m->r[p].done && !cf_canceled_res(m->r[p].final_res)) {
			int q = canceled_sibling(m, p, s->final_act);

			if (q >= 0)
				report_on(m, INV_LINK_TIMEOUT, "link-timeout-cancels-shared-ud", 0, -1, (int)t,
					  "link timeout %u expired, its request %d completed with %d, and request %d of the same user_data 0x%llx ended -ECANCELED instead",
					  t, p, m->r[p].final_res, q, (unsigned long long)R(m, p)->user_data);
			else
				report(m, INV_LINK_TIMEOUT, NULL, 0,
				       "link timeout %u expired but its request %d completed with %d, not canceled",
				       t, p, m->r[p].final_res);
		}
	}
}

static int stuck_open_chain_on_sqpoll(const struct model *m)
{
	if (m->h->mode != CF_MODE_SQPOLL)
		return 0;
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if (cf_has_sqe(R(m, i)) && R(m, i)->sub_act >= 0 && !m->r[i].silent &&
		    (!m->r[i].done || m->r[i].ambiguous) && cf_links_next(R(m, i)))
			return 1;
	return 0;
}

/* Requests that run in an io-wq worker (as racy.c classifies them). */
static int runs_in_iowq(const struct model *m, const struct cf_req_rec *r)
{
	return r->req != CF_REQ_CANCEL &&
	       cf_req_runs_in_iowq(r->req, r->slot, r->sqe_flags, m->h->iowq_files);
}

/* D14: on SQPOLL, a request linked behind a head that ran in io-wq stays in
 * flight (which of several requests sharing its user_data is unknown). */
static int stuck_behind_async_head_on_sqpoll(const struct model *m)
{
	if (m->h->mode != CF_MODE_SQPOLL)
		return 0;
	for (unsigned i = 0; i < m->h->nreqs; i++) {
		int p = m->r[i].chain_prev;

		/* a link timeout is taken off the chain: the member behind it
		 * follows the request the timeout guards */
		if (!cf_has_sqe(R(m, i)) || R(m, i)->sub_act < 0 || (m->r[i].done && !m->r[i].ambiguous))
			continue;
		/* any member ahead in io-wq: the chain runs on there (seed 176) */
		for (; p >= 0; p = m->r[p].chain_prev)
			if (!cf_is_link_timeout(R(m, p)->req) && runs_in_iowq(m, R(m, p)))
				return 1;
	}
	return 0;
}

/* Another request of i's user_data may post no CQE at all. */
static int ud_may_be_silent(const struct model *m, unsigned i)
{
	for (unsigned k = 0; k < m->h->nreqs; k++)
		if (k != i && cf_has_sqe(R(m, k)) && R(m, k)->user_data == R(m, i)->user_data &&
		    m->r[k].maysilent)
			return 1;
	return 0;
}

/* Is request i held by an IOSQE_IO_DRAIN (its own or an earlier SQE's)
 * that waits for a MULTISHOT timeout submitted before that DRAIN? A drain
 * waits for every earlier request to end, and what follows it waits in the
 * same defer list, which no cancel searches (seed 550). */
static int drained_behind_rearming_timeout(const struct model *m, unsigned i)
{
	int timeout = 0;

	for (unsigned k = 0; k <= i; k++) {
		if (!cf_has_sqe(R(m, k)) || R(m, k)->sub_act < 0)
			continue;
		if (timeout && (R(m, k)->sqe_flags & CF_SQE_DRAIN))
			return 1;
		timeout |= cf_rearming_multishot_timeout(m->h, k);
	}
	return 0;
}

int uring_held_by_rearming_timeout(const struct model *m, unsigned i)
{
	for (int p = m->r[i].chain_prev; p >= 0; p = m->r[p].chain_prev)
		if (cf_rearming_multishot_timeout(m->h, (unsigned)p))
			return 1;
	return cf_rearming_multishot_timeout(m->h, i) || drained_behind_rearming_timeout(m, i);
}

/* Every request the teardown left without a final CQE is a MULTISHOT
 * timeout that kept firing through it (D55), or waits behind one in its
 * chain (seed 528) or behind a DRAIN (seed 550). */
static int only_rearming_timeouts_left(const struct model *m)
{
	int any = 0;

	for (unsigned i = 0; i < m->h->nreqs; i++) {
		if (!cf_has_sqe(R(m, i)) || R(m, i)->sub_act < 0 || m->r[i].done || m->r[i].silent)
			continue;
		if (!uring_held_by_rearming_timeout(m, i))
			return 0;
		any = 1;
	}
	return any;
}

static void check_end(struct model *m)
{
	const struct cf_history *h = m->h;
	unsigned missing = 0, unconsumed = 0;

	for (unsigned i = 0; i < h->nreqs; i++) {
		if (!cf_has_sqe(R(m, i)))
			continue;
		if (R(m, i)->sub_act < 0)
			unconsumed++;
		else if (!m->r[i].done && !m->r[i].silent && !ud_may_be_silent(m, i))
			missing++; /* IOSQE_CQE_SKIP_SUCCESS: no CQE when it succeeds; a CQE
				    * shared by user_data may be the other's */
	}
	m->j->checks++;
	if (h->cqes_lost)
		return; /* the history itself is incomplete: a harness error, not a verdict */
	if (unconsumed)
		report(m, INV_EXACTLY_ONCE, NULL, 0,
		       "%u SQEs were never consumed by the kernel", unconsumed);
	if (missing)
		report(m, INV_ANY_REACHES_ALL, stuck_open_chain_on_sqpoll(m) ?
		       "sqpoll-open-chain-uncancelable" : stuck_behind_async_head_on_sqpoll(m) ?
		       "sqpoll-async-chain-uncancelable" : only_rearming_timeouts_left(m) ?
		       "multishot-timeout-rearm-uncancelable" : NULL, 0,
		       "%u requests had no final CQE after repeated ANY|ALL cancels (teardown)", missing);
}

void uring_check_fates(struct model *m)
{
	check_causes(m);
	check_link_timeouts(m);
	check_end(m);
}
