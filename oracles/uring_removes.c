/* io_uring oracle, pass 2c: POLL_REMOVE, TIMEOUT_REMOVE and the timeout
 * and link-timeout updates. Each names one request by user_data on its
 * opcode's own list, and the pages give it the cancel's outcomes:
 *   io_uring_prep_poll_remove(3): "Works like io_uring_prep_cancel(3) except
 *     only looks for poll requests. Apart from that, behavior is identical."
 *   io_uring_prep_timeout_update(3) (also timeout_remove): 0, -ENOENT "The
 *     timeout identified by user_data could not be found", -EALREADY "is
 *     already firing and cannot be canceled", -EINVAL, -EFAULT;
 *   io_uring_prep_timeout(3): "-ECANCELED The timeout was canceled by a
 *     removal request."
 * A successful remove claims the target it canceled (the fate pass then
 * finds the cause of its -ECANCELED); an update claims nothing.
 * poll_update (IORING_OP_POLL_REMOVE with IORING_POLL_UPDATE_EVENTS or
 * _USER_DATA in len) is on no page: by io_poll_remove() (io_uring/poll.c)
 * it finds the poll as POLL_REMOVE does (0, -ENOENT, -EALREADY), and on
 * success re-arms it with the new mask (the same user_data here) instead
 * of ending it; it fails prep (-EINVAL) for ADD_MULTI without an update
 * flag, or a mask without UPDATE_EVENTS (io_poll_remove_prep()). Without
 * update flags it is a POLL_REMOVE and judged as one. */
#include "uring.h"

#include <errno.h>

static const char *page_of(unsigned req)
{
	return req == CF_REQ_POLL_REMOVE	? "io_uring_prep_poll_remove(3)"
	       : req == CF_REQ_POLL_UPDATE ? "io_poll_remove() (io_uring/poll.c; no page)"
					   : "io_uring_prep_timeout_update(3)";
}

/* A remove that ends its target: POLL_REMOVE, TIMEOUT_REMOVE, and a
 * poll_update without update flags. */
static int ends_target(const struct model *m, int i)
{
	unsigned req = R(m, i)->req;

	return cf_req_shape(req) == CF_SHAPE_REMOVE ||
	       (req == CF_REQ_POLL_UPDATE && !cf_poll_update_rearms(m->h, (unsigned)i));
}

/* A cancel queued after remove i and consumed in its act n (so run after
 * it) that can match request t: t's claim in act n may be that cancel's. */
static int later_cancel_in_act(const struct model *m, int i, int n, unsigned t)
{
	for (unsigned c = (unsigned)i + 1; c < m->h->nreqs; c++)
		if (R(m, c)->req == CF_REQ_CANCEL && cf_has_sqe(R(m, c)) && R(m, c)->sub_act == n &&
		    cf_cancel_matches(m->h, R(m, c), R(m, t)))
			return 1;
	return 0;
}

/* Targets in flight when remove i ran in act n (queued ahead of it in the
 * same act, or earlier), unclaimed by a cancel; *sure: of those, the ones
 * that stayed pending past act n and then ended canceled, which no race
 * with their own completion explains. */
/* t's final CQE is not surely its own: it may still have been pending in
 * act n although the CQE given to it came earlier. */
static int unsure_in_flight(const struct model *m, int t, int i, int n)
{
	const struct cf_req_rec *tr = R(m, t);

	return m->r[t].ambiguous && cf_has_sqe(tr) && tr->sub_act >= 0 && !m->r[t].doomed &&
	       (tr->sub_act < n || (tr->sub_act == n && t < i));
}

static int find_targets(const struct model *m, int i, int n, int *cand, int *sure)
{
	int k = 0;

	*sure = 0;
	for (unsigned t = 0; t < m->h->nreqs; t++) {
		/* a target a later cancel claimed was still pending here */
		if (!cf_remove_matches(m->h, (unsigned)i, t) ||
		    !(uring_in_flight_at(m, (int)t, i, n) || unsure_in_flight(m, (int)t, i, n)) ||
		    (m->r[t].claimed && m->r[t].final_act <= n &&
		     !(m->r[t].final_act == n && later_cancel_in_act(m, i, n, t))))
			continue;
		cand[k++] = (int)t;
		/* one that may have succeeded silently (CQE_SKIP_SUCCESS) is not
		 * surely pending (seed 197) */
		/* nor one whose late CQE a CQ overflow may have held back (seed 512) */
		*sure += !m->r[t].ambiguous && m->r[t].chain_prev < 0 && !m->r[t].silent &&
			 (!m->r[t].done || (m->r[t].final_act > n && cf_canceled_res(m->r[t].final_res) &&
					    !cf_overflow_between(m->h, n, m->r[t].final_act)));
	}
	return k;
}

/* Every request remove i can find that was queued ahead of it had ended,
 * its final CQE visible, before act n (or there was none): whatever the
 * timing, nothing was left to find. */
static int all_ended_before(const struct model *m, int i, int n)
{
	for (unsigned t = 0; t < m->h->nreqs; t++) {
		int s = R(m, t)->sub_act;

		if (!cf_remove_matches(m->h, (unsigned)i, t) || s < 0 || s > n || (s == n && (int)t > i))
			continue;
		if (!m->r[t].done || m->r[t].ambiguous || m->r[t].final_act >= n)
			return 0;
	}
	return 1;
}

/* A successful remove: its target ends -ECANCELED, visible when the
 * submit returns (poll_remove: as a cancel's target; DEFER_TASKRUN posts it
 * at the next GETEVENTS, D08). */
static void check_removed(struct model *m, int i, int n, const int *cand, int k)
{
	int defer_late, deadline = uring_target_deadline(m, n, &defer_late);
	unsigned req = R(m, i)->req;

	for (int j = 0; j < k; j++) {
		int t = cand[j];

		if (!m->r[t].done || !cf_canceled_res(m->r[t].final_res) || m->r[t].ambiguous ||
		    m->r[t].claimed)
			continue;
		m->r[t].claimed = 1;
		m->j->checks++;
		if (m->exact && req != CF_REQ_TIMEOUT_REMOVE && m->r[t].final_act > deadline &&
		    !cf_overflow_between(m->h, n, m->r[t].final_act))
			report(m, INV_TARGET_CQE_AT_SUBMIT, NULL, 0,
			       "poll %d removed by request %d in act %d: its -ECANCELED only after act %d",
			       t, i, n, m->r[t].final_act);
		else if (m->r[t].final_act > n && defer_late)
			report_on(m, INV_TARGET_CQE_AT_SUBMIT, "defer-taskrun-late", 1, i, t,
				  "request %d removed by request %d in act %d: CQE only after act %d (DEFER_TASKRUN)",
				  t, i, n, m->r[t].final_act);
		return;
	}
	if (k == 0 && (m->exact || all_ended_before(m, i, n))) {
		m->j->checks++;
		report(m, INV_ENOENT, NULL, 0,
		       "%s request %d succeeded in act %d but nothing it can find (ud 0x%llx) was in flight",
		       cf_req_name(req), i, n, (unsigned long long)cf_remove_key(m->h, (unsigned)i));
	}
	if (!m->exact || k != 1 || m->r[cand[0]].ambiguous || m->r[cand[0]].claimed)
		return;
	m->j->checks++;
	if (!m->r[cand[0]].done || m->r[cand[0]].final_act > deadline || m->r[cand[0]].final_act < n)
		report(m, INV_TARGET_CQE_AT_SUBMIT, NULL, 0,
		       "%s request %d succeeded in act %d but request %d (%s, ud 0x%llx) %s",
		       cf_req_name(req), i, n, cand[0], cf_req_name(R(m, cand[0])->req),
		       (unsigned long long)R(m, cand[0])->user_data,
		       m->r[cand[0]].done ? "ended only later" : "never ended");
	else
		report(m, INV_CANCELED_RES, NULL, 0,
		       "%s request %d succeeded in act %d but request %d, its only target, ended %d, not -ECANCELED (%s: \"-ECANCELED The timeout was canceled by a removal request.\")",
		       cf_req_name(req), i, n, cand[0], m->r[cand[0]].final_res,
		       req != CF_REQ_TIMEOUT_REMOVE ? "io_uring_prep_poll_remove(3) via io_uring_prep_cancel(3)"
						    : "io_uring_prep_timeout(3)");
}

/* Where the act a remove ran in is not known (SQPOLL, io-wq, a DRAIN, a
 * chain) or its CQE may be another's: it may have canceled any one target
 * that ended canceled after it was queued. */
static int loose[CF_MAX_REQS], nloose; /* one judgement at a time */

/* Linked behind the request before it, as the kernel saw it: a chain left
 * open at a submit is cut there. -1 when not. */
static int linked_behind(const struct model *m, int i)
{
	int p = m->r[i].chain_prev;

	return p >= 0 && R(m, p)->sub_act == R(m, i)->sub_act ? p : -1;
}

static void claim_loose(struct model *m, int i)
{
	(void)m;
	loose[nloose++] = i; /* after the exact removes have claimed theirs */
}

/* A remove linked behind another request runs no earlier than that one's
 * final CQE; one it never reached is canceled with its chain. */
static void claim_loose_now(struct model *m, int i)
{
	int from = R(m, i)->act, p = linked_behind(m, i);

	if (!ends_target(m, i))
		return;
	/* SQPOLL: the SQ thread's batches are not seen; a remove that ended
	 * before the request ahead of it did was not linked behind it (the
	 * chain was cut where a batch ended; seed 189) */
	if (p >= 0 && m->h->mode == CF_MODE_SQPOLL && m->r[i].done && !m->r[i].ambiguous &&
	    (!m->r[p].done || m->r[i].final_act < m->r[p].final_act))
		p = -1;
	if (p >= 0 && !m->r[p].ambiguous) {
		/* a request ahead with CQE_SKIP_SUCCESS may have finished
		 * without a CQE: then the remove ran from its consumption on
		 * (seed 171) */
		if (!m->r[p].done && !m->r[p].silent)
			return;
		from = m->r[p].done ? m->r[p].final_act : R(m, i)->sub_act;
	}
	for (unsigned t = 0; t < m->h->nreqs; t++)
		if (cf_remove_matches(m->h, (unsigned)i, t) && !m->r[t].claimed && m->r[t].done &&
		    cf_canceled_res(m->r[t].final_res) && m->r[t].final_act >= from) {
			m->r[t].claimed = 1;
			return;
		}
}

/* A target that a cancel claimed and whose completion showed in act n: it
 * may still be in the kernel's lists, being completed, when the remove
 * runs (-EALREADY). */
static int completing(const struct model *m, int i, int n)
{
	for (unsigned t = 0; t < m->h->nreqs; t++)
		if (cf_remove_matches(m->h, (unsigned)i, t) && m->r[t].claimed && m->r[t].done &&
		    m->r[t].final_act == n && uring_in_flight_at(m, (int)t, i, n))
			return 1;
	return 0;
}

/* A poll_update that re-armed its only target t in act n (exact mode):
 * io_uring_prep_poll_update(3) replaces the mask the poll waits for, so
 * the update does not end it (a re-arm error would make the update's own
 * CQE -ECANCELED, the page says); with IORING_POLL_ADD_MULTI "this will
 * change the poll request from a singleshot to a multishot request", so a
 * single-shot target that then fires posts F_MORE. */
static void check_rearmed(struct model *m, int i, int n, int t)
{
	int defer_late, deadline = uring_target_deadline(m, n, &defer_late);
	unsigned spec = cf_req_spec(m->h, (unsigned)i);

	if (m->r[t].ambiguous || m->r[t].claimed || !m->r[t].done)
		return;
	m->j->checks++;
	if (cf_canceled_res(m->r[t].final_res) && m->r[t].final_act <= deadline) {
		m->r[t].claimed = 1; /* its cause, if not a promise kept */
		report(m, INV_POLL_UPDATE, NULL, 0,
		       "poll_update request %d re-armed poll %d in act %d (res 0), but the poll ended %d by act %d",
		       i, t, n, m->r[t].final_res, m->r[t].final_act);
		return;
	}
	if ((spec & CF_PU_MULTI) && (spec & CF_PU_EVENTS) && R(m, t)->req == CF_REQ_POLL &&
	    m->r[t].final_res > 0)
		report_on(m, INV_POLL_UPDATE, "poll-update-multi-ignored", 1, i, t,
			  "poll_update request %d with IORING_POLL_ADD_MULTI (act %d) succeeded, but poll %d stayed single-shot: it fired once (res %d) without IORING_CQE_F_MORE",
			  i, n, t, m->r[t].final_res);
}

static void check_one(struct model *m, int i)
{
	const struct cf_req_rec *r = R(m, i);
	const struct req_state *s = &m->r[i];
	unsigned spec = cf_req_spec(m->h, (unsigned)i);
	int n = r->sub_act, res = s->final_res, cand[CF_MAX_REQS], k, sure;

	if (n >= 0 && !s->done && s->silent) {
		claim_loose(m, i); /* IOSQE_CQE_SKIP_SUCCESS: it may have succeeded */
		return;
	}
	if (n < 0 || !s->done || s->doomed)
		return;
	if (s->ambiguous) {
		claim_loose(m, i);
		return;
	}
	if (res == -ECANCELED && (linked_behind(m, i) >= 0 || cf_links_next(r)))
		return; /* its chain failed: chain rules, not remove rules */
	if (r->sqe_flags & CF_SQE_DRAIN) {
		/* DRAIN: it may run after its act; and once a ring has seen
		 * CQE_SKIP_SUCCESS or a multishot, the kernel refuses DRAIN
		 * with -EOPNOTSUPP before it looks at any field (not judged) */
		if (res == 0)
			claim_loose(m, i);
		return;
	}
	m->j->checks++;
	/* sqe->ioprio, IOSQE_FIXED_FILE on TIMEOUT_REMOVE (which takes no
	 * file; POLL_REMOVE ignores it, 6.18), a poll_update's ADD_MULTI
	 * alone or mask without UPDATE_EVENTS */
	if (cf_prep_fails(m->h, (unsigned)i)) {
		if (res != -EINVAL)
			report(m, INV_INVALID_FIELDS, NULL, 0,
			       "%s request %d with %s set got %d, not -EINVAL (%s: \"One of the fields set in the SQE was invalid.\")",
			       cf_req_name(r->req), i,
			       (spec & CF_T_BAD) ? "sqe->ioprio"
			       : cf_req_shape(r->req) == CF_SHAPE_REMOVE && (spec & CF_R_LEN) ? "sqe->len"
			       : cf_req_shape(r->req) == CF_SHAPE_REMOVE && (spec & CF_R_BUF_INDEX) ? "sqe->buf_index"
			       : cf_req_shape(r->req) == CF_SHAPE_REMOVE && (spec & CF_R_SPLICE_FD) ? "sqe->splice_fd_in"
			       : cf_req_shape(r->req) == CF_SHAPE_REMOVE && (spec & CF_R_TFLAGS) ? "sqe->timeout_flags (IORING_TIMEOUT_ABS)"
			       : cf_req_shape(r->req) == CF_SHAPE_UPDATE && (cf_req_qflags(m->h, (unsigned)i) & CF_U_LEN) ? "sqe->len"
			       : cf_req_shape(r->req) == CF_SHAPE_UPDATE && (cf_req_qflags(m->h, (unsigned)i) & CF_U_ALLFLAGS) ? "every sqe->timeout_flags bit"
			       : r->req != CF_REQ_POLL_UPDATE ? "IOSQE_FIXED_FILE"
			       : (spec & CF_PU_MULTI) && !(spec & (CF_PU_EVENTS | CF_PU_USER_DATA))
				       ? "IORING_POLL_ADD_MULTI without an update flag"
				       : "poll32_events without IORING_POLL_UPDATE_EVENTS",
			       res, page_of(r->req));
		return;
	}
	/* waiting in io-wq (IOSQE_ASYNC), behind a DRAIN or its chain, a
	 * remove is a request a cancel (the teardown's too) can end */
	if (res == -ECANCELED && ((r->sqe_flags & (CF_SQE_ASYNC | CF_SQE_DRAIN)) || m->drain_seen_by[n] ||
				  linked_behind(m, i) >= 0 || uring_heads_open_chain(m, i) ||
				  m->h->mode == CF_MODE_SQPOLL))
		return;
	/* io_uring_prep_poll_update(3) lists -ECANCELED: a re-arm that failed */
	if (res != 0 && res != -ENOENT && res != -EALREADY &&
	    !(res == -ECANCELED && cf_poll_update_rearms(m->h, (unsigned)i))) {
		int exit_act = res == -EFAULT ? cf_efault_after_exit(m->h, i) : -1;

		if (exit_act >= 0)
			report_on(m, INV_DOCUMENTED_ERRORS, "task-exit-efault", 1, i, -1,
				  "%s request %d failed -EFAULT after its task ended in act %d",
				  cf_req_name(r->req), i, exit_act);
		else
			report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
			       "%s request %d got %d, which %s does not list", cf_req_name(r->req), i,
			       res, page_of(r->req));
		return;
	}
	if (r->sqe_flags & (CF_SQE_ASYNC | CF_SQE_DRAIN) || linked_behind(m, i) >= 0 ||
	    uring_heads_open_chain(m, i) || m->h->mode == CF_MODE_SQPOLL || m->drain_seen_by[n]) {
		if (res == 0) /* may run after the act that consumed it */
			claim_loose(m, i);
		return;
	}
	k = find_targets(m, i, n, cand, &sure);
	if (res == 0 && ends_target(m, i)) {
		check_removed(m, i, n, cand, k);
	} else if (res == 0 && k == 1 && m->exact && cf_poll_update_rearms(m->h, (unsigned)i)) {
		check_rearmed(m, i, n, cand[0]);
	} else if (res == 0 && k == 0 && (m->exact || all_ended_before(m, i, n))) {
		report(m, INV_ENOENT, NULL, 0,
		       "%s request %d succeeded in act %d but no request it can find (ud 0x%llx) was in flight",
		       cf_req_name(r->req), i, n, (unsigned long long)cf_remove_key(m->h, (unsigned)i));
	} else if (res == -ENOENT && sure > 0 && m->exact) {
		report(m, INV_ENOENT, NULL, 0,
		       "%s request %d got -ENOENT in act %d while %d requests with ud 0x%llx it can find were pending (%s: \"could not be located\"/\"could not be found\")",
		       cf_req_name(r->req), i, n, sure, (unsigned long long)cf_remove_key(m->h, (unsigned)i),
		       page_of(r->req));
	} else if (res == -EALREADY && k == 0 && m->exact && !completing(m, i, n)) {
		report(m, INV_ENOENT, NULL, 0,
		       "%s request %d got -EALREADY in act %d but nothing with ud 0x%llx was in flight",
		       cf_req_name(r->req), i, n, (unsigned long long)cf_remove_key(m->h, (unsigned)i));
	}
}

void uring_check_removes(struct model *m)
{
	nloose = 0;
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if (cf_is_remove_kind(R(m, i)->req) && cf_has_sqe(R(m, i)))
			check_one(m, (int)i);
	for (int k = 0; k < nloose; k++)
		claim_loose_now(m, loose[k]);
}

int uring_long_link_timeout(const struct model *m, int t)
{
	unsigned req = R(m, t)->req;

	return (req == CF_REQ_LINK_TIMEOUT_LONG ||
		(req == CF_REQ_LINK_TIMEOUT &&
		 (cf_req_spec(m->h, (unsigned)t) & (CF_T_TIME_MASK | CF_T_ABS)) == CF_DURATIONS - 1)) &&
	       !uring_updated(m, t);
}

int uring_updated(const struct model *m, int t)
{
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if (cf_req_shape(R(m, i)->req) == CF_SHAPE_UPDATE && cf_remove_matches(m->h, i, (unsigned)t) &&
		    (!m->r[i].done || m->r[i].final_res == 0 || m->r[i].ambiguous))
			return 1;
	return 0;
}
