/* io_uring oracle, pass 2d: timeouts with a count, MULTISHOT timeouts and
 * ETIME_SUCCESS, by io_uring_prep_timeout(3) (liburing man page):
 *   "The timeout completion event will trigger if either the specified
 *   timeout has occurred, or the specified number of events to wait for
 *   have been posted to the CQ ring." A completion (res 0) needs a count
 *   and that many other CQEs; a 60 s relative timer never expires within
 *   an execution unless an update gave it a new time.
 *   "The completion flag IORING_CQE_F_MORE is set if more timeouts are
 *   expected. The value specified in count is the number of repeats." A
 *   MULTISHOT timeout with count n that ends by expiring posted exactly n
 *   CQEs, every one -ETIME, the last without F_MORE.
 * ETIME_SUCCESS ("will not sever dependent links") is judged with the
 * chain rules (uring_fates.c). */
#include "uring.h"

#include <errno.h>

/* The one request with an SQE that carries user_data ud? */
static int owns_ud(const struct model *m, int t)
{
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if ((int)i != t && cf_has_sqe(R(m, i)) && R(m, i)->user_data == R(m, t)->user_data)
			return 0;
	return 1;
}

/* CQEs of other requests that showed in acts from..to. */
static unsigned other_cqes(const struct model *m, int t, int from, int to)
{
	const struct cf_history *h = m->full; /* a message a msg_ring posted on ring 0 counts too (seed 555) */
	unsigned n = 0;

	for (unsigned c = 0; c < h->ncqes; c++)
		n += !h->cqes[c].ring && h->cqes[c].act >= from && h->cqes[c].act <= to &&
		     h->cqes[c].user_data != R(m, t)->user_data;
	return n;
}

/* A request that may have completed without a CQE (CQE_SKIP_SUCCESS): the
 * CQEs the program saw then undercount the completions. */
static int any_silent(const struct model *m)
{
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if (m->r[i].silent)
			return 1;
	return 0;
}

static void check_trigger(struct model *m, int t)
{
	const struct req_state *s = &m->r[t];
	unsigned spec = cf_req_spec(m->h, (unsigned)t), count = cf_req_qflags(m->h, (unsigned)t) >> CF_SQE_COUNT_SHIFT;
	unsigned req = R(m, t)->req;

	/* on SQPOLL the kernel may consume it before the act that saw it go:
	 * count from the act that queued it */
	int from = m->h->mode == CF_MODE_SQPOLL ? (int)R(m, t)->act : R(m, t)->sub_act;

	if (req == CF_REQ_TIMEOUT_LONG)
		spec = CF_DURATIONS - 1, count = 0;
	else if (req != CF_REQ_TIMEOUT)
		return;
	m->j->checks++;
	if (s->final_res == 0 && count == 0)
		report(m, INV_TIMEOUT_TRIGGER, NULL, 0,
		       "timeout %d without a count completed with 0 after act %d", t, s->final_act);
	else if (s->final_res == 0 && other_cqes(m, t, from, s->final_act) < count && !any_silent(m))
		report(m, INV_TIMEOUT_TRIGGER, NULL, 0,
		       "timeout %d with count %u completed with 0 after act %d, but only %u other CQEs showed since its submit (act %d)",
		       t, count, s->final_act, other_cqes(m, t, from, s->final_act), from);
	else if (s->final_res == -ETIME && (spec & (CF_T_TIME_MASK | CF_T_ABS)) == CF_DURATIONS - 1 &&
		 !uring_updated(m, t))
		report(m, INV_TIMEOUT_TRIGGER, NULL, 0,
		       "60 s timeout %d expired with -ETIME after act %d, within the execution", t, s->final_act);
}

/* Had at least as many CQEs as the CQ holds been posted, since the last
 * `wait reap` before it, when request t posted its final CQE? */
static int cq_filled(const struct model *m, int t)
{
	return cf_cq_filled_before(m->h, R(m, t)->user_data);
}

static void check_multishot(struct model *m, int t)
{
	const struct req_state *s = &m->r[t];
	unsigned count = cf_req_qflags(m->h, (unsigned)t) >> CF_SQE_COUNT_SHIFT, n = 0, bad = 0;

	for (unsigned c = 0; c < m->h->ncqes; c++)
		if (m->h->cqes[c].user_data == R(m, t)->user_data) {
			n++;
			bad += !CF_CQE_FINAL(&m->h->cqes[c]) && m->h->cqes[c].res != -ETIME;
		}
	m->j->checks++;
	if (bad)
		report(m, INV_TIMEOUT_MULTISHOT, NULL, 0,
		       "multishot timeout %d posted %u CQEs with F_MORE whose res is not -ETIME", t, bad);
	if (count > 0 && n > count && uring_updated(m, t))
		/* io_timeout_update() clears the field that counts the repeats */
		report_on(m, INV_TIMEOUT_MULTISHOT, "multishot-timeout-update-drops-count", 0, -1, t,
			  "multishot timeout %d with count %u posted %u CQEs after an update named it",
			  t, count, n);
	else if (s->final_res == -ETIME && (count == 0 || n < count) && cq_filled(m, t))
		/* the kernel ends a multishot timeout whose F_MORE CQE finds the CQ full */
		report_on(m, INV_TIMEOUT_MULTISHOT, "multishot-timeout-cq-full", 1, -1, t,
			  "multishot timeout %d (count %u) ended by expiring after %u CQEs, when the CQ had filled up",
			  t, count, n);
	else if (s->final_res == -ETIME && count > 0 && n != count)
		report(m, INV_TIMEOUT_MULTISHOT, NULL, 0,
		       "multishot timeout %d with count %u ended by expiring after %u CQEs", t, count, n);
	else if (s->final_res == -ETIME && count == 0)
		report(m, INV_TIMEOUT_MULTISHOT, NULL, 0,
		       "multishot timeout %d without a count (indefinite) posted a final -ETIME after act %d",
		       t, s->final_act);
	else if (count > 0 && n > count)
		report(m, INV_TIMEOUT_MULTISHOT, NULL, 0,
		       "multishot timeout %d with count %u posted %u CQEs", t, count, n);
}

void uring_check_timers(struct model *m)
{
	for (unsigned t = 0; t < m->h->nreqs; t++) {
		const struct req_state *s = &m->r[t];

		if (!cf_has_sqe(R(m, t)) || !s->done || s->ambiguous || s->doomed ||
		    (cf_req_spec(m->h, t) & CF_T_BAD) || !owns_ud(m, (int)t))
			continue;
		if (R(m, t)->req == CF_REQ_TIMEOUT_MULTI)
			check_multishot(m, (int)t);
		else
			check_trigger(m, (int)t);
	}
}

/* Request t sits behind an ETIME_SUCCESS timeout that expired: its chain
 * was not severed, so nothing but a cancel may end it -ECANCELED. */
int uring_behind_etime_success(const struct model *m, int t)
{
	int p = m->r[t].chain_prev;

	return p >= 0 && (R(m, p)->req == CF_REQ_TIMEOUT || R(m, p)->req == CF_REQ_TIMEOUT_MULTI) &&
	       (cf_req_spec(m->h, (unsigned)p) & CF_T_ETIME_SUCCESS) && !(cf_req_spec(m->h, (unsigned)p) & CF_T_BAD) &&
	       m->r[p].done && !m->r[p].ambiguous && m->r[p].final_res == -ETIME;
}
