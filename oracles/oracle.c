/* The model. Pass 1 attributes every CQE to a request (by user_data; when
 * requests share one, count-level checks still hold and per-request checks
 * skip the ambiguous ones). Pass 2 judges each cancel against the requests
 * in flight when it ran, then every request's fate. Linear in the history
 * for a bounded number of requests (CF_MAX_REQS). */
#include "oracle.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "judge.h"
#include "model.h"
#include "racy.h"


struct req_state {
	uint8_t submitted, done, ambiguous, claimed;
	uint8_t doomed; /* its chain has a member that failed prep: never issued */
	int16_t final_act;
	int32_t final_res;
	int16_t chain_prev; /* the request this one is linked behind, -1 none */
	int16_t cqe;        /* its CQE for SQE cancels, -1 none */
};

struct model {
	const struct cf_history *h;
	enum cf_spec spec;
	struct cf_judgement *j;
	struct req_state r[CF_MAX_REQS];
	int racy, exact; /* exact: counts are checked exactly */
	int16_t closed_at[CF_SLOT__COUNT]; /* act that closed the slot's fd, -1 */
	uint8_t drain_seen_by[CF_MAX_ACTS]; /* an IO_DRAIN request was submitted at or before */
	uint32_t accepts_by[CF_MAX_ACTS]; /* accept CQEs with an fd seen up to and including act */
};

/* ---- findings ---- */

#define report(m, ...) cf_judge_report((m)->j, (m)->spec, __VA_ARGS__)

/* ---- what a request is ---- */

static const struct cf_req_rec *R(const struct model *m, int i)
{
	return &m->h->reqs[i];
}


/* ---- pass 1: attribute CQEs ---- */

static void mark_submitted(struct model *m, unsigned act)
{
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if (R(m, i)->sub_act == (int)act)
			m->r[i].submitted = 1;
}

/* An earlier final CQE shared by several requests went to a multishot one,
 * but an F_MORE now shows that one is still running: give that final CQE to
 * a single-shot request of the same user_data instead. */
static int swap_ambiguous(struct model *m, uint64_t ud)
{
	int multi = -1, single = -1;

	for (unsigned i = 0; i < m->h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, i);

		if (!m->r[i].ambiguous || !cf_has_sqe(r) || r->user_data != ud)
			continue;
		if (m->r[i].done && cf_req_is_multishot(r->req) && multi < 0)
			multi = (int)i;
		if (!m->r[i].done && m->r[i].submitted && !cf_req_is_multishot(r->req) && single < 0)
			single = (int)i;
	}
	if (multi < 0 || single < 0)
		return 0;
	m->r[single].done = 1;
	m->r[single].final_act = m->r[multi].final_act;
	m->r[single].final_res = m->r[multi].final_res;
	m->r[multi].done = 0;
	m->r[multi].final_act = -1;
	return 1;
}

static void attribute_cqe(struct model *m, unsigned ci)
{
	const struct cf_history *h = m->h;
	const struct cf_cqe_rec *c = &h->cqes[ci];
	int more = !CF_CQE_FINAL(c), cand[CF_MAX_REQS], n = 0, any_done = -1, single = -1;

	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, i);

		if (!cf_has_sqe(r) || r->user_data != c->user_data)
			continue;
		/* SQPOLL: the CQ tail may be read before the SQ head that covers it */
		if (!m->r[i].submitted && !(h->mode == CF_MODE_SQPOLL && r->act <= c->act))
			continue;
		if (m->r[i].done) {
			any_done = (int)i;
			continue;
		}
		if (more && !cf_req_is_multishot(r->req)) {
			single = (int)i;
			continue;
		}
		cand[n++] = (int)i;
	}
	if (more && c->res == -ECANCELED)
		report(m, INV_MULTISHOT_FINAL, NULL, 0,
		       "CQE ud=0x%llx res=-ECANCELED after act %u still has IORING_CQE_F_MORE",
		       (unsigned long long)c->user_data, c->act);
	if (n == 0 && more && single >= 0 && any_done >= 0 && swap_ambiguous(m, c->user_data))
		return;
	if (n == 0) {
		if (more && single >= 0)
			report(m, INV_MULTISHOT_FINAL, NULL, 0,
			       "CQE ud=0x%llx after act %u has IORING_CQE_F_MORE but request %d is single-shot",
			       (unsigned long long)c->user_data, c->act, single);
		else if (any_done >= 0 && cf_req_is_multishot(R(m, any_done)->req))
			report(m, INV_MULTISHOT_FINAL, NULL, 0,
			       "CQE ud=0x%llx res=%d after act %u follows the final CQE of multishot request %d",
			       (unsigned long long)c->user_data, c->res, c->act, any_done);
		else if (any_done >= 0)
			report(m, INV_EXACTLY_ONCE, NULL, 0,
			       "second final CQE ud=0x%llx res=%d after act %u for request %d",
			       (unsigned long long)c->user_data, c->res, c->act, any_done);
		else
			report(m, INV_EXACTLY_ONCE, NULL, 0,
			       "CQE ud=0x%llx res=%d after act %u belongs to no submitted request",
			       (unsigned long long)c->user_data, c->res, c->act);
		return;
	}
	if (n > 1)
		for (int k = 0; k < n; k++)
			m->r[cand[k]].ambiguous = 1;
	if (more)
		return;
	m->r[cand[0]].done = 1;
	m->r[cand[0]].final_act = (int16_t)c->act;
	m->r[cand[0]].final_res = c->res;
	if (R(m, cand[0])->req == CF_REQ_CANCEL)
		m->r[cand[0]].cqe = (int16_t)ci;
}

static void pass1(struct model *m)
{
	const struct cf_history *h = m->h;
	unsigned ci = 0;
	int prev_sqe = -1;

	for (unsigned i = 0; i < h->nreqs; i++) {
		m->r[i].final_act = -1;
		m->r[i].chain_prev = -1;
		m->r[i].cqe = -1;
		if (!cf_has_sqe(R(m, i)))
			continue;
		if (prev_sqe >= 0 && cf_links_next(R(m, prev_sqe)))
			m->r[i].chain_prev = (int16_t)prev_sqe;
		prev_sqe = (int)i;
	}
	for (unsigned a = 0; a < h->nacts; a++) {
		mark_submitted(m, a);
		for (; ci < h->ncqes && h->cqes[ci].act == a; ci++)
			attribute_cqe(m, ci);
	}
}

/* ---- pass 2: cancels ---- */

static int sub_act_of(const struct model *m, int i)
{
	const struct cf_req_rec *r = R(m, i);

	return cf_has_sqe(r) ? r->sub_act : r->act;
}

/* Was t in flight, and reachable by a cancel, when cancel c ran in act n? */
static int in_flight_at(const struct model *m, int t, int c, int n)
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
static int cancel_deferred(const struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);

	return cf_has_sqe(r) && r->sub_act >= 0 &&
	       (m->r[c].chain_prev >= 0 || (r->odd & CF_ODD_ASYNC) || m->drain_seen_by[r->sub_act]);
}

/* Could t have been in flight at some moment of acts n..last, while a
 * deferred cancel c was waiting to run? */
static int in_flight_during(const struct model *m, int t, int c, int n, int last)
{
	const struct cf_req_rec *tr = R(m, t);

	if (!cf_has_sqe(tr) || tr->sub_act < 0 || t == c || tr->sub_act > last || m->r[t].doomed)
		return 0;
	return !(m->r[t].done && m->r[t].final_act < n);
}

/* in_flight_at, or in_flight_during the whole window of a deferred cancel. */
static int reachable_by(const struct model *m, int t, int c, int n)
{
	if (!cancel_deferred(m, c))
		return in_flight_at(m, t, c, n);
	return in_flight_during(m, t, c, n,
				m->r[c].done ? m->r[c].final_act : (int)m->h->nacts - 1);
}

/* An SQE cancel waiting behind a chain, an open link, io-wq or a DRAIN is
 * itself a pending request, and ANY reaches it. */
static int held_cancel_matched(const struct model *m, int c, int t)
{
	const struct cf_req_rec *tr = R(m, t);

	return (R(m, c)->cancel_flags & CF_CANCEL_F_ANY) && tr->req == CF_REQ_CANCEL &&
	       (cancel_deferred(m, t) || cf_links_next(tr));
}

/* In flight for sure: not waiting behind its chain, not finished inside act n
 * by itself (which, submitted in the same act before c, it did before c ran). */
static int surely_in_flight(const struct model *m, int t, int n)
{
	int p = m->r[t].chain_prev;

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
static int target_deadline(const struct model *m, int n, int *defer_late)
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

static int overflow_between(const struct model *m, int from, int to)
{
	for (int a = from; a <= to && a < m->h->nacts; a++)
		if (m->h->acts[a].overflow)
			return 1;
	return 0;
}

static int cancel_result(const struct model *m, int c, int *known)
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

/* Errors the fields alone decide, before any matching. Returns 1 when the
 * result must be one of errs[] (kernel). */
static int field_errors(const struct model *m, const struct cf_req_rec *c, int errs[4], int *n)
{
	uint32_t f = c->cancel_flags, known = m->h->cancel_flags_supported;

	*n = 0;
	if (c->api == CF_CANCEL_SYNC) {
		if (c->odd & (CF_ODD_OFF | CF_ODD_SPLICE_FD))
			errs[(*n)++] = -EINVAL; /* pad fields */
		if (f & ~known)
			errs[(*n)++] = -EINVAL;
		return *n > 0;
	}
	if (c->odd & CF_ODD_BUF_SELECT)
		errs[(*n)++] = -EOPNOTSUPP;
	if ((c->odd & (CF_ODD_OFF | CF_ODD_SPLICE_FD | CF_ODD_IOPRIO)) || (f & ~known) ||
	    ((f & CF_CANCEL_F_FD) && (f & CF_CANCEL_F_ANY)) || ((f & CF_CANCEL_F_OP) && (f & CF_CANCEL_F_ANY)))
		errs[(*n)++] = -EINVAL;
	return *n > 0;
}

static int chain_next(const struct model *m, int k)
{
	for (unsigned j = (unsigned)k + 1; j < m->h->nreqs; j++)
		if (m->r[j].chain_prev == k)
			return (int)j;
	return -1;
}

/* A chain member that fails prep (a cancel with invalid fields) fails the
 * whole chain at submit: the others end -ECANCELED without being issued. */
static void mark_doomed_chains(struct model *m)
{
	const struct cf_history *h = m->h;
	int errs[4], n;

	for (unsigned i = 0; i < h->nreqs; i++) {
		int head = (int)i, doomed = 0;

		if (!cf_has_sqe(R(m, i)) || m->r[i].chain_prev >= 0 || !cf_links_next(R(m, i)))
			continue; /* i is not the head of a chain */
		for (int k = head; k >= 0; k = chain_next(m, k))
			doomed |= R(m, k)->req == CF_REQ_CANCEL && field_errors(m, R(m, k), errs, &n);
		for (int k = head; doomed && k >= 0; k = chain_next(m, k))
			m->r[k].doomed = 1;
	}
}

/* Did an accept hand out an fd in acts from..to? The kernel gives it the
 * lowest free number, which may be the one a closed slot had. */
static int accepted_between(const struct model *m, int from, int to)
{
	return m->accepts_by[to] > (from > 0 ? m->accepts_by[from - 1] : 0);
}

/* accepts_by[]: one pass over the CQEs, matched against the user_data of
 * the program's accepts. */
static void count_accepts(struct model *m)
{
	const struct cf_history *h = m->h;
	uint64_t uds[CF_MAX_REQS];
	unsigned nuds = 0, c = 0, count = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		if ((h->reqs[i].req == CF_REQ_ACCEPT || h->reqs[i].req == CF_REQ_ACCEPT_MULTI) &&
		    cf_has_sqe(&h->reqs[i]))
			uds[nuds++] = h->reqs[i].user_data;
	for (unsigned a = 0; a < h->nacts; a++) {
		for (; c < h->ncqes && h->cqes[c].act == a; c++)
			for (unsigned k = 0; k < nuds && h->cqes[c].res >= 0; k++)
				if (uds[k] == h->cqes[c].user_data) {
					count++;
					break;
				}
		m->accepts_by[a] = count;
	}
}

/* 1: the fd the cancel names is bad when it runs; 2: it may be (closed
 * between queueing and the kernel consuming the SQE); 0: it is good. */
static int bad_fd(const struct model *m, int ci, int n)
{
	const struct cf_req_rec *c = R(m, ci);
	int closed, deferred;

	if (!(c->cancel_flags & CF_CANCEL_F_FD))
		return 0;
	if (c->slot == CF_SLOT_BADFD)
		return 1;
	if (c->cancel_flags & CF_CANCEL_F_FD_FIXED)
		return 0;
	closed = m->closed_at[c->slot];
	if (c->slot_closed)
		return 1;
	/* An SQPOLL thread, a DRAIN ahead, a chain or io-wq may run the cancel
	 * after a close that came later in the program. */
	deferred = m->h->mode == CF_MODE_SQPOLL || (cf_has_sqe(c) && (m->drain_seen_by[n] ||
		   m->r[ci].chain_prev >= 0 || (c->odd & (CF_ODD_LINK | CF_ODD_ASYNC))));
	if (deferred && closed >= (int)c->act)
		return 2;
	if (closed >= 0 && closed < n)
		return accepted_between(m, closed, n) ? 2 : 1;
	return closed >= 0 && closed == n ? 2 : 0;
}

static void check_fields(struct model *m, int c, int res)
{
	const struct cf_req_rec *r = R(m, c);
	int errs[4], n, ok = 0;

	if (!field_errors(m, r, errs, &n))
		return;
	m->j->checks++;
	for (int i = 0; i < n; i++)
		ok |= res == errs[i];
	if (r->api == CF_CANCEL_SYNC) {
		if (!ok)
			report(m, INV_INVALID_FIELDS, NULL, 0,
			       "sync cancel (act %u) with invalid fields returned %d, not -EINVAL",
			       r->act, res);
		return;
	}
	if (!ok)
		report(m, INV_INVALID_FIELDS, NULL, 0,
		       "cancel request %d with invalid fields got res %d", c, res);
	else if (res != -EINVAL)
		report(m, INV_INVALID_FIELDS, "buf-select-eopnotsupp", 1,
		       "cancel request %d with IOSQE_BUFFER_SELECT got %d, not -EINVAL", c, res);
}

/* The cancel's own CQE must be there when the submit that carried it returns. */
static void check_cancel_cqe_time(struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	const struct req_state *s = &m->r[c];

	if (!cf_has_sqe(r) || r->sub_act < 0 || m->h->mode == CF_MODE_SQPOLL)
		return;
	m->j->checks++;
	if (s->done && s->final_act == r->sub_act)
		return;
	if (overflow_between(m, r->sub_act, s->done ? s->final_act : r->sub_act))
		return; /* in the overflow list: visible once the CQ has room */
	if (s->chain_prev >= 0 || (r->odd & CF_ODD_LINK))
		report(m, INV_CANCEL_CQE_AT_SUBMIT, "linked-cancel-late", 1,
		       "cancel request %d in a link chain: CQE after act %d, submitted in act %d",
		       c, s->final_act, r->sub_act);
	else if (r->odd & CF_ODD_ASYNC)
		report(m, INV_CANCEL_CQE_AT_SUBMIT, "async-cancel-late", 1,
		       "cancel request %d with IOSQE_ASYNC: CQE after act %d, submitted in act %d",
		       c, s->final_act, r->sub_act);
	else if (m->drain_seen_by[r->sub_act])
		report(m, INV_CANCEL_CQE_AT_SUBMIT, "drain-defers-cancel", 1,
		       "cancel request %d behind an IOSQE_IO_DRAIN request: CQE after act %d, submitted in act %d",
		       c, s->final_act, r->sub_act);
	else
		report(m, INV_CANCEL_CQE_AT_SUBMIT, NULL, 0,
		       "cancel request %d submitted in act %d: its CQE %s",
		       c, r->sub_act, s->done ? "came later" : "never came");
}

/* Unclaimed matches, armed when the cancel ran, that ended by the deadline
 * with something other than a canceled result: what a successful cancel's
 * targets look like when -ECANCELED is not delivered. */
static int ended_otherwise(const struct model *m, const int *inflight, int upper, int n,
			   int deadline)
{
	int count = 0;

	for (int k = 0; k < upper; k++) {
		int t = inflight[k];

		count += !m->r[t].claimed && m->r[t].done && !m->r[t].ambiguous &&
			 m->r[t].final_act >= n && m->r[t].final_act <= deadline &&
			 !cf_canceled_res(m->r[t].final_res) && surely_in_flight(m, t, n - 1);
	}
	return count;
}

/* Does a later successful cancel also match t? Then an earlier cancel with
 * a choice should leave t to it. */
static int wanted_later(const struct model *m, int c, int t)
{
	for (unsigned k = (unsigned)c + 1; k < m->h->nreqs; k++) {
		int known, res;

		if (R(m, k)->req != CF_REQ_CANCEL || !cf_cancel_matches(R(m, k), R(m, t)) ||
		    m->h->acts[R(m, k)->act].kind == CF_ACT_END_CANCEL || sub_act_of(m, (int)k) < 0 ||
		    !reachable_by(m, t, (int)k, sub_act_of(m, (int)k)))
			continue; /* the teardown takes whatever is left */
		res = cancel_result(m, (int)k, &known);
		if (known && res >= 0)
			return 1;
	}
	return 0;
}

/* Without ALL (or ANY) one match is canceled: any other armed match that
 * ended canceled by the deadline, and that no other cancel asked for, was
 * canceled by this one too. */
static void check_first_match_only(struct model *m, int c, const int *inflight, int upper,
				   int n, int deadline)
{
	int extra = 0;

	for (int k = 0; k < upper; k++) {
		int t = inflight[k], p = m->r[t].chain_prev;

		if (m->r[t].claimed || !m->r[t].done || m->r[t].ambiguous ||
		    !cf_canceled_res(m->r[t].final_res) || m->r[t].final_act < n ||
		    m->r[t].final_act > deadline || wanted_later(m, c, t) ||
		    (p >= 0 && !(m->r[p].done && !m->r[p].ambiguous && m->r[p].final_act < n)))
			continue;
		m->r[t].claimed = 1;
		extra++;
	}
	m->j->checks++;
	if (extra)
		report(m, INV_FIRST_MATCH_ONLY, NULL, 0,
		       "cancel request %d without ALL canceled %d more matching requests besides its first",
		       c, extra);
}

static void check_one_cancel(struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	int n = sub_act_of(m, c), known, res = cancel_result(m, c, &known);
	int upper = 0, sure = 0, sure_unclaimed = 0, has_fw = 0, all_k, all_d;
	int errs[4], nerr, deadline, defer_late, by_deadline = 0;
	int inflight[CF_MAX_REQS];
	uint32_t f = r->cancel_flags;
	int double_success = 0, exact, ambiguous = 0, claimed_here = 0, fd_state;
	int maybe_in_flight = 0, deferred = cancel_deferred(m, c), wrong_res = 0;

	if (n < 0 || !known)
		return;
	check_fields(m, c, res);
	if (field_errors(m, r, errs, &nerr))
		return;
	if (res == -ECANCELED && cf_has_sqe(r) &&
	    (m->r[c].chain_prev >= 0 || (r->odd & (CF_ODD_LINK | CF_ODD_ASYNC)))) {
		/* queued behind its chain or in io-wq, and canceled there */
		report(m, INV_CANCEL_CQE_AT_SUBMIT, (r->odd & CF_ODD_ASYNC) ? "async-cancel-late"
				: "linked-cancel-late", 1,
		       "cancel request %d was itself canceled before it ran", c);
		return;
	}
	if (cf_has_sqe(r) && m->drain_seen_by[n] && res == -ECANCELED) {
		report(m, INV_CANCEL_CQE_AT_SUBMIT, "drain-defers-cancel", 1,
		       "cancel request %d, deferred behind an IOSQE_IO_DRAIN request, was itself canceled", c);
		return;
	}
	fd_state = bad_fd(m, c, n);
	if (fd_state == 1 || (fd_state == 2 && res == -EBADF)) {
		m->j->checks++;
		if (res != -EBADF)
			report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
			       "cancel request %d by a closed or bad fd got %d, not -EBADF", c, res);
		else if (r->api != CF_CANCEL_SYNC)
			report(m, INV_DOCUMENTED_ERRORS, "cancel-fd-ebadf", 1,
			       "cancel request %d by a closed or bad fd got -EBADF, not listed on the page", c);
		return;
	}
	if (r->api == CF_CANCEL_SYNC && (f & CF_CANCEL_F_ANY) && (f & (CF_CANCEL_F_FD | CF_CANCEL_F_OP)))
		report(m, INV_INVALID_FIELDS, "sync-accepts-fd-any", 1,
		       "sync cancel (act %u) accepted ANY with FD or OP (res %d); the SQE form rejects it",
		       r->act, res);

	for (unsigned t = 0; t < m->h->nreqs; t++) {
		int match = cf_cancel_matches(r, R(m, t)) || held_cancel_matched(m, c, (int)t);

		if (m->r[t].ambiguous && match)
			ambiguous = 1; /* which CQE was whose is unknown: no exact claims */
		if (!match)
			continue;
		if (!reachable_by(m, (int)t, c, n)) {
			/* a CQE shared by several requests may have been another's */
			maybe_in_flight += m->r[t].ambiguous && cf_has_sqe(R(m, t)) &&
					   R(m, t)->sub_act >= 0 && R(m, t)->sub_act <= n;
			continue;
		}
		inflight[upper++] = (int)t;
		/* canceled by an earlier cancel, completion not posted yet */
		claimed_here |= m->r[t].claimed && m->r[t].final_act >= n;
		if (!deferred && surely_in_flight(m, (int)t, n)) {
			sure++;
			sure_unclaimed += !m->r[t].claimed;
			if (R(m, t)->req == CF_REQ_FUTEX_WAIT || R(m, t)->req == CF_REQ_WAITID)
				has_fw = 1;
		}
	}
	/* With the CQ overflowing, a finished request may look in flight. */
	exact = m->exact && !overflow_between(m, 0, n) && !ambiguous && !deferred;
	all_k = !!(f & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)); /* the kernel counts for ALL and for ANY */
	all_d = !!(f & CF_CANCEL_F_ALL);           /* the page counts for ALL only */
	m->j->checks++;

	/* Result codes allowed at all. */
	if (all_k ? res < 0 && res != -ENOENT && res != -EALREADY && res != -ETIME
		  : res != 0 && res != 1 && res != -ENOENT && res != -EALREADY && res != -ETIME) {
		report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
		       "cancel request %d (flags 0x%x) returned %d", c, f, res);
		return;
	}
	if (res == -ETIME && r->api != CF_CANCEL_SYNC)
		report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
		       "cancel request %d returned -ETIME, which only a sync cancel can", c);
	if (res == 1 && !all_k && !has_fw && sure > 0 && exact)
		report(m, INV_RESULT_CODES, NULL, 0,
		       "cancel request %d without ALL returned 1 and matched no futex or waitid", c);
	if (res == 1 && !all_k && has_fw)
		report(m, INV_RESULT_CODES, "futex-waitid-count", 1,
		       "cancel request %d of a futex_wait/waitid without ALL returned 1, not 0", c);
	if ((f & CF_CANCEL_F_ANY) && !(f & CF_CANCEL_F_ALL) && res > 1)
		report(m, INV_FIRST_MATCH_ONLY, "any-without-all", 1,
		       "cancel request %d with ANY but not ALL canceled %d requests", c, res);
	if (all_d && res == 0)
		report(m, INV_RESULT_CODES, "all-no-match-zero", 1,
		       "cancel request %d with ALL matched nothing and returned 0, not -ENOENT", c);
	if (all_k && res == 0 && !all_d && (f & CF_CANCEL_F_ANY))
		report(m, INV_RESULT_CODES, "all-no-match-zero", 1,
		       "cancel request %d with ANY matched nothing and returned 0, not -ENOENT", c);

	/* Attribution-free bound: never more canceled than matching in flight. */
	if (all_k && res > upper + maybe_in_flight && !m->racy && !overflow_between(m, 0, n))
		report(m, INV_ALL_COUNT, NULL, 0,
		       "cancel request %d (flags 0x%x) returned %d; at most %d matching requests were in flight",
		       c, f, res, upper);
	if (exact && res == -EALREADY && sure == 0)
		report(m, INV_ENOENT, NULL, 0,
		       "cancel request %d returned -EALREADY but no matching request was in flight", c);
	if (exact && !all_k && res == 0 && sure_unclaimed == 1) {
		for (int k = 0; k < upper; k++) {
			int t = inflight[k];

			if (!m->r[t].claimed && surely_in_flight(m, t, n) && m->r[t].done &&
			    m->r[t].final_act == n && !cf_canceled_res(m->r[t].final_res))
				report(m, INV_CANCELED_RES, NULL, 0,
				       "request %d, the only match of successful cancel request %d, ended %d, not -ECANCELED",
				       t, c, m->r[t].final_res);
		}
	}
	/* Counts, exact where the program's timing is fixed. */
	if (exact) {
		if (all_k && res >= 0 && res != sure_unclaimed) {
			double_success = res > sure_unclaimed && sure > sure_unclaimed;
			if (has_fw && res > 0 && res < sure_unclaimed)
				report(m, INV_ALL_COUNT, "futex-waitid-all-undercount", 0,
				       "cancel request %d (flags 0x%x) returned %d but %d matching requests, futex_wait or waitid among them, were in flight",
				       c, f, res, sure_unclaimed);
			else if (double_success)
				report(m, INV_ENOENT, "double-cancel-success", 0,
				       "cancel request %d counted %d but %d of the %d matching requests were already canceled",
				       c, res, sure - sure_unclaimed, sure);
			else
				report(m, INV_ALL_COUNT, NULL, 0,
				       "cancel request %d (flags 0x%x) returned %d; %d matching requests were in flight",
				       c, f, res, sure_unclaimed);
		}
		if (!all_k && (res == 0 || res == 1) && sure_unclaimed == 0) {
			int only = upper == 1 ? inflight[0] : -1;

			double_success = sure > 0;
			if (sure > 0)
				report(m, INV_ENOENT, "double-cancel-success", 0,
				       "cancel request %d succeeded but its only match was already canceled", c);
			else if (only >= 0 && !m->r[only].claimed && m->r[only].done &&
				 m->r[only].final_act == n && !cf_canceled_res(m->r[only].final_res)) {
				wrong_res = 1;
				m->r[only].claimed = 1;
				report(m, INV_CANCELED_RES, NULL, 0,
				       "request %d, the only match of successful cancel request %d, ended %d, not -ECANCELED",
				       only, c, m->r[only].final_res);
			} else if (upper == 0) /* matches that may be in flight (unsure) say nothing */
				report(m, INV_RESULT_CODES, NULL, 0,
				       "cancel request %d returned %d with no matching request in flight", c, res);
		}
		if (res == -ENOENT && sure_unclaimed > 0)
			report(m, INV_ENOENT, NULL, 0,
			       "cancel request %d returned -ENOENT while %d matching requests were in flight",
			       c, sure_unclaimed);
	}
	if (exact && res == -ENOENT && sure_unclaimed == 0 && !(f & (CF_CANCEL_F_ANY | CF_CANCEL_F_FD | CF_CANCEL_F_OP))) {
		for (unsigned t = 0; t < m->h->nreqs; t++)
			if (cf_is_link_timeout(R(m, t)->req) && R(m, t)->user_data == r->key_ud &&
			    in_flight_at(m, (int)t, c, n))
				report(m, INV_ENOENT, "link-timeout-not-cancelable", 1,
				       "cancel request %d found no request with ud 0x%llx, though link timeout %u was pending",
				       c, (unsigned long long)r->key_ud, t);
	}

	/* Claim and time the targets a success canceled. */
	if (res < 0)
		return;
	{
		/* D15: one futex/waitid pass cancels them all but counts as 1 */
		int need = all_k ? res : 1, want = all_k && has_fw ? upper : need, got = 0;

		deadline = target_deadline(m, n, &defer_late);
		/* Claim first the matches that were armed (not waiting behind their
		 * chain head), whose CQE is surely theirs (not shared by user_data)
		 * and showed by the deadline, then any that
		 * showed by the deadline, then the rest: a chain member's -ECANCELED
		 * may come from its head failing, a late one from the teardown. */
		for (int k = 0; k < 6 * upper && got < want; k++) {
			int t = inflight[k % upper], pass = k / upper / 2;
			int p = m->r[t].chain_prev;
			int armed = p < 0 || (m->r[p].done && !m->r[p].ambiguous && m->r[p].final_act < n);

			if (m->r[t].claimed || !m->r[t].done || !cf_canceled_res(m->r[t].final_res) ||
			    m->r[t].final_act < n ||
			    (k / upper % 2 == 0 && wanted_later(m, c, t)) ||
			    (pass == 0 && !(armed && !m->r[t].ambiguous && m->r[t].final_act <= deadline)) ||
			    (pass == 1 && m->r[t].final_act > deadline))
				continue;
			m->r[t].claimed = 1;
			got++;
			by_deadline += m->r[t].final_act <= deadline;
			if (m->r[t].final_act > n && defer_late)
				report(m, INV_TARGET_CQE_AT_SUBMIT, "defer-taskrun-late", 1,
				       "request %d canceled by request %d in act %d: CQE only after act %d (DEFER_TASKRUN)",
				       t, c, n, m->r[t].final_act);
		}
		/* Racy programs: io-wq work is canceled when the worker notices. */
		if (exact && !all_k && !(f & CF_CANCEL_F_ANY))
			check_first_match_only(m, c, inflight, upper, n, deadline);
		if (m->racy || deferred || double_success || wrong_res || ambiguous ||
		    overflow_between(m, n, deadline))
			return;
		m->j->checks++;
		if (by_deadline < need && claimed_here)
			report(m, INV_ENOENT, "double-cancel-success", 0,
			       "cancel request %d succeeded with %d in act %d, but its match was already canceled by an earlier cancel (completion not yet posted); %d other matching requests stayed in flight",
			       c, res, n, upper - got);
		else if (by_deadline < need && by_deadline + ended_otherwise(m, inflight, upper, n, deadline) >= need)
			report(m, INV_CANCELED_RES, NULL, 0,
			       "cancel request %d (act %d) succeeded with %d, but its matches ended by act %d with results other than -ECANCELED/-EINTR",
			       c, n, res, deadline);
		else if (by_deadline < need)
			report(m, r->api == CF_CANCEL_SYNC ? INV_SYNC_CANCEL : INV_TARGET_CQE_AT_SUBMIT,
			       NULL, 0,
			       "cancel request %d (act %d) succeeded with %d but only %d canceled CQEs were visible by act %d",
			       c, n, res, by_deadline, deadline);
	}
}

/* Every -ECANCELED/-EINTR needs a cause: a matching cancel, teardown, or its chain. */
static void check_causes(struct model *m)
{
	const struct cf_history *h = m->h;

	for (unsigned t = 0; t < h->nreqs; t++) {
		const struct cf_req_rec *tr = R(m, t);
		const struct req_state *s = &m->r[t];
		int cause = 0;

		if (!cf_has_sqe(tr) || tr->req == CF_REQ_CANCEL || !s->done || s->ambiguous ||
		    !cf_canceled_res(s->final_res))
			continue;
		m->j->checks++;
		if (s->claimed || s->chain_prev >= 0 || cf_links_next(tr) || cf_is_link_timeout(tr->req))
			continue;
		for (unsigned a = 0; a <= (unsigned)s->final_act && !cause; a++)
			cause = h->acts[a].kind == CF_ACT_END_CANCEL;
		for (unsigned c = 0; c < h->nreqs && !cause && !m->exact; c++) {
			int n = sub_act_of(m, (int)c), known;
			const struct cf_req_rec *cr = R(m, c);

			int res;

			if (cr->req != CF_REQ_CANCEL || n < 0 || n > s->final_act)
				continue;
			res = cancel_result(m, (int)c, &known);
			cause = (!known || res >= 0 || res == -EALREADY) &&
				reachable_by(m, (int)t, (int)c, n) &&
				cf_cancel_matches(cr, tr);
		}
		if (cause)
			continue;
		if (m->closed_at[tr->slot] >= 0 && m->closed_at[tr->slot] <= s->final_act)
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
		if (s->final_res == -ETIME && tr->req == CF_REQ_LINK_TIMEOUT_LONG)
			report(m, INV_LINK_TIMEOUT, NULL, 0,
			       "60 s link timeout %u expired within the execution", t);
		if (s->final_res == -ETIME && m->r[p].done && !cf_canceled_res(m->r[p].final_res))
			report(m, INV_LINK_TIMEOUT, NULL, 0,
			       "link timeout %u expired but its request %d completed with %d, not canceled",
			       t, p, m->r[p].final_res);
	}
}

static int stuck_open_chain_on_sqpoll(const struct model *m)
{
	if (m->h->mode != CF_MODE_SQPOLL)
		return 0;
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if (cf_has_sqe(R(m, i)) && R(m, i)->sub_act >= 0 &&
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

		if (cf_has_sqe(R(m, i)) && R(m, i)->sub_act >= 0 && p >= 0 && runs_in_iowq(m, R(m, p)) &&
		    (!m->r[i].done || m->r[i].ambiguous))
			return 1;
	}
	return 0;
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
		else if (!m->r[i].done)
			missing++;
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
		       "sqpoll-async-chain-uncancelable" : NULL, 0,
		       "%u requests had no final CQE after repeated ANY|ALL cancels (teardown)", missing);
}

void cf_oracle_check(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	static struct model m; /* large; one judgement at a time */
	struct cf_program prog;
	char why[128];

	/* The AIO families have models of their own. */
	if (cf_mode_family(h->mode) == CF_FAMILY_AIO) {
		cf_aio_oracle_check(h, spec, j);
		return;
	}
	if (cf_mode_family(h->mode) == CF_FAMILY_POSIX) {
		cf_posix_oracle_check(h, spec, j);
		return;
	}
	memset(j, 0, sizeof(*j));
	memset(&m, 0, sizeof(m));
	memcpy(j->fault, h->fault, sizeof(j->fault));
	m.h = h;
	m.spec = spec;
	m.j = j;
	cf_decode(h->program, h->program_len, &prog);
	m.racy = cf_program_racy_on(&prog, h->iowq_files, why, sizeof(why));
	m.exact = !m.racy && (h->mode == CF_MODE_DEFAULT || h->mode == CF_MODE_COOP ||
			      h->mode == CF_MODE_SMALLCQ);
	for (unsigned s = 0; s < CF_SLOT__COUNT; s++)
		m.closed_at[s] = -1;
	for (unsigned a = 0, drain = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		if (act->kind == CF_ACT_OP && act->op_kind == CF_OP_CLOSE && act->res == 0 &&
		    m.closed_at[act->a[CF_X_SLOT]] < 0)
			m.closed_at[act->a[CF_X_SLOT]] = (int16_t)a;
		for (unsigned i = 0; i < h->nreqs; i++)
			if (h->reqs[i].sub_act == (int)a && h->reqs[i].req != CF_REQ_CANCEL &&
			    (h->reqs[i].sqe_flags & CF_SQE_DRAIN))
				drain = 1;
		m.drain_seen_by[a] = (uint8_t)drain;
	}
	pass1(&m);
	mark_doomed_chains(&m);
	count_accepts(&m);
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].req == CF_REQ_CANCEL) {
			/* Teardown's own cancels are the harness's tool: kernel level only. */
			m.spec = h->acts[h->reqs[i].act].kind == CF_ACT_END_CANCEL ? CF_SPEC_KERNEL : spec;
			check_cancel_cqe_time(&m, (int)i);
			check_one_cancel(&m, (int)i);
		}
	m.spec = spec;
	check_causes(&m);
	check_link_timeouts(&m);
	check_end(&m);
	cf_judge_verdict(j);
}

void cf_judgement_print(const struct cf_judgement *j, const char *name, FILE *out)
{
	static const char *const verdicts[] = { "PASS", "KNOWN-DIVERGENCE", "VIOLATION" };

	fprintf(out, "%s %s (%u checks)", verdicts[j->verdict], name, j->checks);
	if (j->fault[0])
		fprintf(out, " INJECTED FAULT %s: not a kernel finding", j->fault);
	fputc('\n', out);
	for (unsigned i = 0; i < j->nfindings; i++) {
		const struct cf_finding *f = &j->f[i];

		fprintf(out, "  %s %s: %s\n", f->divergence ? f->divergence : "NEW",
			cf_invariant_name(f->invariant), f->detail);
		fprintf(out, "    page: %s: \"%s\"\n", cf_invariant_file(f->invariant),
			cf_invariant_quote(f->invariant));
	}
	if (j->dropped)
		fprintf(out, "  ... and %u more findings\n", j->dropped);
}
