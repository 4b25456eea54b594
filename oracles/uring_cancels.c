/* io_uring oracle, pass 2a: judges each cancel, sync or SQE, against the
 * requests in flight when it ran: its fields, its fd, its own CQE's time,
 * its result code and count, first-match-only, and the canceled CQEs of
 * the targets it claims. */
#include "uring.h"

#include <errno.h>

/* Could an accept have handed out an fd after the close at act `closed`
 * and before cancel ci ran at act n? A new fd takes the lowest free number,
 * which may be the one the closed slot had. An accept installs its fd after
 * the kernel consumed its SQE (before the cancel's, in submit order) and
 * before its CQE is seen, which a full CQ ring or deferred task work can
 * delay past the cancel (docs/open-gap-documented-errors.cfp). */
static int accept_may_reuse(const struct model *m, int closed, int ci, int n)
{
	const struct cf_history *h = m->h;

	for (unsigned t = 0; t < h->nreqs; t++) {
		const struct cf_req_rec *r = &h->reqs[t];

		if ((r->req != CF_REQ_ACCEPT && r->req != CF_REQ_ACCEPT_MULTI) || r->sub_act < 0 ||
		    r->sub_act > n || (r->sub_act == n && (int)t > ci))
			continue;
		/* with CQE_SKIP_SUCCESS its new fd is never posted (seed 179),
		 * and which of two such accepts posted a failure may be either
		 * (seed 509) */
		if (m->r[t].maysilent)
			return 1;
		for (unsigned c = 0; c < h->ncqes; c++)
			if (h->cqes[c].user_data == r->user_data && h->cqes[c].res >= 0 &&
			    h->cqes[c].act >= closed)
				return 1;
	}
	return 0;
}

/* 1: the fd the cancel names is bad when it runs; 2: it may be (closed
 * between queueing and the kernel consuming the SQE); 3: it was closed, but
 * an accept may have given its number to a new socket; 0: it is good. */
static int bad_fd(const struct model *m, int ci, int n)
{
	const struct cf_req_rec *c = R(m, ci);
	int closed, deferred;

	if (!(c->cancel_flags & CF_CANCEL_F_FD))
		return 0;
	if (c->slot == CF_SLOT_BADFD)
		return 1;
	/* the ring slots are never in the fixed-file table (the actors branch) */
	if (c->cancel_flags & CF_CANCEL_F_FD_FIXED)
		return cf_slot_is_ring(c->slot);
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
		return accept_may_reuse(m, closed, ci, n) ? 3 : 1;
	return closed >= 0 && closed == n ? 2 : 0;
}

static void check_fields(struct model *m, int c, int res)
{
	const struct cf_req_rec *r = R(m, c);
	int errs[4], n, ok = 0;

	if (!uring_field_errors(m, r, errs, &n))
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
		report_on(m, INV_INVALID_FIELDS, "buf-select-eopnotsupp", 1, c, -1,
		       "cancel request %d with IOSQE_BUFFER_SELECT got %d, not -EINVAL", c, res);
}

/* The cancel's own CQE must be there when the submit that carried it returns. */
static void check_cancel_cqe_time(struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	const struct req_state *s = &m->r[c];

	if (!cf_has_sqe(r) || r->sub_act < 0 || s->silent)
		return; /* IOSQE_CQE_SKIP_SUCCESS: no CQE owed */
	m->j->checks++;
	if (s->done && s->final_act == r->sub_act)
		return;
	/* Page 002 says the opposite of page 000 here: "Cancelation is
	 * asynchronous. The cancel request itself may take time to complete." */
	report_on(m, INV_CANCEL_CQE_AT_SUBMIT, "pages-disagree-cancel-timing", 1, c, -1,
		  "cancel request %d submitted in act %d: its CQE after act %d; page 002 allows that (\"Cancelation is asynchronous. The cancel request itself may take time to complete.\")",
		  c, r->sub_act, s->final_act);
	if (m->h->mode == CF_MODE_SQPOLL) /* the SQ thread consumes it when it runs */
		report_on(m, INV_CANCEL_CQE_AT_SUBMIT, "sqpoll-cancel-untimed", 1, c, -1,
			  "cancel request %d on SQPOLL: consumed by act %d, its CQE after act %d",
			  c, r->sub_act, s->final_act);
	else if (cf_overflow_between(m->h, r->sub_act, s->done ? s->final_act : r->sub_act))
		report_on(m, INV_CANCEL_CQE_AT_SUBMIT, "overflow-cqe-late", 1, c, -1,
			  "cancel request %d submitted in act %d: its CQE, held in the CQ overflow list, after act %d",
			  c, r->sub_act, s->final_act);
	else if (s->chain_prev >= 0 || (r->odd & CF_ODD_LINK))
		report_on(m, INV_CANCEL_CQE_AT_SUBMIT, "linked-cancel-late", 1, c, -1,
		       "cancel request %d in a link chain: CQE after act %d, submitted in act %d",
		       c, s->final_act, r->sub_act);
	else if (r->odd & CF_ODD_ASYNC)
		report_on(m, INV_CANCEL_CQE_AT_SUBMIT, "async-cancel-late", 1, c, -1,
		       "cancel request %d with IOSQE_ASYNC: CQE after act %d, submitted in act %d",
		       c, s->final_act, r->sub_act);
	else if (m->drain_seen_by[r->sub_act])
		report_on(m, INV_CANCEL_CQE_AT_SUBMIT, "drain-defers-cancel", 1, c, -1,
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
			 !cf_canceled_res(m->r[t].final_res) && uring_surely_in_flight(m, t, n - 1);
	}
	return count;
}

static unsigned task_of_act(const struct model *m, int a);

/* Did act a begin after act b ended? The teardown's acts carry no times:
 * they begin after every act of the program (seed 175). */
static int began_after(const struct model *m, int a, int b)
{
	const struct cf_act_rec *x = &m->h->acts[a], *y = &m->h->acts[b];

	if (x->kind != CF_ACT_OP)
		return a > b;
	/* the halves of a submit the race judge split are one call */
	if (y->kind == CF_ACT_OP && x->op_index >= 0 && x->op_index == y->op_index)
		return 0;
	return y->kind == CF_ACT_OP && x->t0 >= y->t1;
}



/* Can a cancel that ran in act n claim t with its CQE in time: t's final
 * CQE (if any) no earlier than n, and by the deadline, which for a request
 * another thread submitted is that thread's task work, any time later? */
static int claimable_in_time(const struct model *m, int t, int n)
{
	int defer_late, deadline;

	if (!m->r[t].done)
		return 1;
	if (m->r[t].final_act < n)
		return 0;
	if (task_of_act(m, R(m, t)->sub_act) != task_of_act(m, n))
		return 1;
	deadline = uring_target_deadline(m, n, &defer_late);
	/* seen in an act that began after the cancel's ended: late (D32, D33) */
	return m->r[t].final_act <= deadline &&
	       (m->r[t].final_act == n || !began_after(m, m->r[t].final_act, n));
}

/* Does a later successful cancel also match t, and can it take t in time?
 * Then an earlier cancel with a choice should leave t to it (two sync
 * cancels on two threads, seed 182). */
static int wanted_later(const struct model *m, int c, int t)
{
	for (unsigned k = 0; k < m->h->nreqs; k++) {
		int known, res;

		if (R(m, k)->req != CF_REQ_CANCEL || !uring_runs_after(m, (int)k, c) || !cf_cancel_matches(m->h, R(m, k), R(m, t)) ||
		    m->h->acts[R(m, k)->act].kind == CF_ACT_END_CANCEL || cf_ran_at(R(m, (int)k)) < 0 ||
		    !uring_reachable_by(m, t, (int)k, cf_ran_at(R(m, (int)k))))
			continue; /* the teardown takes whatever is left */
		res = uring_cancel_result(m, (int)k, &known);
		if (known && res >= 0 && claimable_in_time(m, t, uring_run_act(m, (int)k)))
			return 1;
		/* a cancel with CQE_SKIP_SUCCESS that posted nothing may have
		 * succeeded (seed 513) */
		if (!known && cf_req_skips(R(m, (int)k)) && m->r[k].silent)
			return 1;
	}
	return 0;
}

/* Did an earlier cancel with CQE_SKIP_SUCCESS that posted nothing (so may
 * have succeeded, count unknown) match t and reach it when it ran? Then a
 * later cancel with a choice should leave t to it (seed 518). */
static int taken_silently_before(const struct model *m, int c, int t)
{
	for (unsigned k = 0; k < m->h->nreqs; k++)
		if ((int)k != c && R(m, k)->req == CF_REQ_CANCEL && cf_req_skips(R(m, (int)k)) &&
		    m->r[k].silent && cf_ran_at(R(m, (int)k)) >= 0 && uring_runs_after(m, c, (int)k) &&
		    cf_cancel_matches(m->h, R(m, k), R(m, t)) &&
		    uring_reachable_by(m, t, (int)k, cf_ran_at(R(m, (int)k))))
			return 1;
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

/* One cancel as pass 2 sees it: what it asked, what it got, and the
 * matching requests within its reach when it ran. */
struct cancel {
	int c, n, res; /* the cancel, the act it ran in, its result */
	const struct cf_req_rec *r;
	uint32_t f;             /* its cancel flags */
	int all_k, all_d;       /* it counts every match: for the kernel (ALL or ANY), the page (ALL) */
	int deferred, exact;    /* ran after its submit; counts are checked exactly */
	int inflight[CF_MAX_REQS], upper; /* matches within reach */
	int sure, sure_unclaimed; /* surely in flight; of those, not claimed by an earlier cancel */
	int has_fw;             /* a futex_wait or waitid among the sure matches */
	int reach_fw;           /* ... among the matches within reach (D15: one pass takes all) */
	int ambiguous;          /* a match's CQE may be another request's */
	int maybe_in_flight;    /* out of reach only by a CQE that may be another's */
	int unsure_unclaimed;   /* within reach, not claimed, but not surely in flight */
	int claimed_here;       /* a match an earlier cancel canceled, its CQE not yet posted */
	int double_success, wrong_res; /* count findings that make the timing check moot */
};

/* Claims up to want requests on the cancel's slot that ended canceled
 * when or after it ran. */
static void claim_same_slot(struct model *m, const struct cancel *k, int want)
{
	for (unsigned t = 0; t < m->h->nreqs && want > 0 && k->res >= 0; t++) {
		const struct cf_req_rec *tr = R(m, (int)t);

		if (tr->req == CF_REQ_CANCEL || !cf_has_sqe(tr) || tr->slot != k->r->slot ||
		    m->r[t].claimed || !m->r[t].done || !cf_canceled_res(m->r[t].final_res) ||
		    m->r[t].final_act < k->n)
			continue;
		m->r[t].claimed = 1;
		want--;
	}
}

/* What needs no matching: invalid fields, a cancel canceled itself while
 * it waited, a bad fd. Returns 1 when that settles the cancel. */
static int check_before_matching(struct model *m, const struct cancel *k)
{
	const struct cf_req_rec *r = k->r;
	int c = k->c, res = k->res, errs[4], nerr, fd_state;

	check_fields(m, c, res);
	if (uring_field_errors(m, r, errs, &nerr))
		return 1;
	if (res == -ECANCELED && cf_has_sqe(r) &&
	    (m->r[c].chain_prev >= 0 || (r->odd & (CF_ODD_LINK | CF_ODD_ASYNC)))) {
		/* queued behind its chain or in io-wq, and canceled there */
		report_on(m, INV_CANCEL_CQE_AT_SUBMIT, (r->odd & CF_ODD_ASYNC) ? "async-cancel-late"
				: "linked-cancel-late", 1, c, -1,
		       "cancel request %d was itself canceled before it ran", c);
		return 1;
	}
	if (cf_has_sqe(r) && m->drain_seen_by[k->n] && res == -ECANCELED) {
		report_on(m, INV_CANCEL_CQE_AT_SUBMIT, "drain-defers-cancel", 1, c, -1,
		       "cancel request %d, deferred behind an IOSQE_IO_DRAIN request, was itself canceled", c);
		return 1;
	}
	fd_state = bad_fd(m, c, k->n);
	if (fd_state == 3 && res != -EBADF) {
		/* it looked up a socket the program never named: which requests
		 * that matches is unknown (seed 137); a success canceled requests
		 * that resolved the same number, so on the same slot (seed 140) */
		m->j->checks++;
		claim_same_slot(m, k, res > 0 ? res : 1);
		return 1;
	}
	if (fd_state == 1 || (fd_state >= 2 && res == -EBADF)) {
		int exit_act = res == -EFAULT ? cf_efault_after_exit(m->h, c) : -1;

		m->j->checks++;
		/* issued after its task ended, it failed before looking at the
		 * fd (D54; campaign seed 71, a614bf43) */
		if (exit_act >= 0)
			report_on(m, INV_DOCUMENTED_ERRORS, "task-exit-efault", 1, c, -1,
				  "cancel request %d, submitted by task a%u, failed -EFAULT after its task ended in act %d",
				  c, m->h->acts[r->sub_act].actor, exit_act);
		else if (res != -EBADF)
			report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
			       "cancel request %d by a closed or bad fd got %d, not -EBADF", c, res);
		else
			report_on(m, INV_DOCUMENTED_ERRORS, "cancel-fd-ebadf", 1, c, -1,
			       "%s cancel request %d by a closed or bad fd got -EBADF, not listed on the page",
			       r->api == CF_CANCEL_SYNC ? "sync" : "SQE", c);
		return 1;
	}
	if (r->api == CF_CANCEL_SYNC && (k->f & CF_CANCEL_F_ANY) &&
	    (k->f & (CF_CANCEL_F_FD | CF_CANCEL_F_OP)))
		report_on(m, INV_INVALID_FIELDS, "sync-accepts-fd-any", 1, c, -1,
		       "sync cancel (act %u) accepted ANY with FD or OP (res %d); the SQE form rejects it",
		       r->act, res);
	return 0;
}

/* The requests the cancel matches and could reach, how sure each is, and
 * whether its counts can be checked exactly. */
/* Did a poll_remove or timeout_remove take t away (res 0) before cancel c
 * ran in act n: consumed earlier, or earlier in the same submit? 1 surely
 * (t was its only match), -1 maybe (it had several: it removed one). */
static int removed_before(const struct model *m, int t, int c, int n)
{
	int maybe = 0;

	for (unsigned i = 0; i < m->h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, (int)i);
		int matches = 0;

		/* done with 0, or silent: with CQE_SKIP_SUCCESS its success posts
		 * nothing (seed 173) */
		if (!cf_has_sqe(r) || cf_req_shape(r->req) != CF_SHAPE_REMOVE || r->sub_act < 0 ||
		    !(r->sub_act < n || (r->sub_act == n && (int)i < c)) ||
		    !((m->r[i].done && m->r[i].final_res == 0) || m->r[i].silent) ||
		    !cf_remove_matches(m->h, i, (unsigned)t))
			continue;
		if (m->r[i].silent) {
			maybe = 1;
			continue;
		}
		for (unsigned u = 0; u < m->h->nreqs; u++)
			matches += cf_has_sqe(R(m, (int)u)) && cf_remove_matches(m->h, i, u);
		if (matches == 1 && !m->r[i].ambiguous)
			return 1;
		maybe = 1;
	}
	return maybe ? -1 : 0;
}

/* Did a cancel with CQE_SKIP_SUCCESS that posted nothing (it may have
 * succeeded) run before cancel c, and match t? */
static int silent_cancel_before(const struct model *m, int t, int c, int n)
{
	for (unsigned x = 0; x < m->h->nreqs; x++) {
		const struct cf_req_rec *r = R(m, (int)x);
		int ran = cf_ran_at(r);

		if ((int)x == c || r->req != CF_REQ_CANCEL || !cf_req_skips(r) || !m->r[x].silent || ran < 0 ||
		    !(ran < n || (ran == n && (int)x < c)))
			continue;
		if (cf_cancel_matches(m->h, r, R(m, t)))
			return 1;
	}
	return 0;
}

/* Was request t's slot (not a fixed file) closed before the kernel
 * consumed t's SQE, with an accept in the program? t then resolved its
 * number at issue, which an accepted socket may hold (campaign seed 80,
 * 74fc9456): an FD key cannot tell whether t is on the slot's file. */
static int number_reopened(const struct model *m, int t)
{
	const struct cf_req_rec *r = R(m, t);
	int closed = r->slot < CF_SLOT__COUNT ? m->closed_at[r->slot] : -1;

	if (r->fixed || closed < 0 || r->sub_act < 0 || closed >= r->sub_act)
		return 0;
	for (unsigned a = 0; a < m->h->nreqs; a++)
		if (R(m, (int)a)->req == CF_REQ_ACCEPT || R(m, (int)a)->req == CF_REQ_ACCEPT_MULTI)
			return 1;
	return 0;
}

static void find_matches(const struct model *m, struct cancel *k)
{
	for (unsigned t = 0; t < m->h->nreqs; t++) {
		int match = cf_cancel_matches(m->h, k->r, R(m, t)) || uring_held_cancel_matched(m, k->c, (int)t);

		if (match && (m->r[t].ambiguous || m->r[t].maysilent))
			k->ambiguous = 1; /* which CQE was whose, or whether it ran, is unknown:
					   * no exact claims */
		if (match && removed_before(m, (int)t, k->c, k->n) < 0)
			k->ambiguous = 1; /* a remove took one of several: which is unknown */
		if (match && silent_cancel_before(m, (int)t, k->c, k->n))
			k->ambiguous = 1; /* a cancel with CQE_SKIP_SUCCESS may have taken it (seed 504) */
		if (match && (k->f & CF_CANCEL_F_FD) && number_reopened(m, (int)t))
			k->ambiguous = 1; /* its fd named another file by then */
		if (!match || removed_before(m, (int)t, k->c, k->n) > 0)
			continue;
		if (!uring_reachable_by(m, (int)t, k->c, k->n)) {
			/* a CQE shared by several requests may have been another's */
			k->maybe_in_flight += m->r[t].ambiguous && cf_has_sqe(R(m, t)) &&
					      R(m, t)->sub_act >= 0 && R(m, t)->sub_act <= k->n;
			continue;
		}
		k->inflight[k->upper++] = (int)t;
		/* issued only once the request ahead finished, which shared
		 * user_data may leave unsure */
		if (m->r[t].chain_prev >= 0 && uring_unsure_finished(m, m->r[t].chain_prev, k->n))
			k->ambiguous = 1;
		k->reach_fw |= cf_is_futex_waitid(R(m, t)->req);
		/* canceled by an earlier cancel, completion not posted yet */
		k->claimed_here |= m->r[t].claimed && m->r[t].final_act >= k->n;
		if (!k->deferred && uring_surely_in_flight(m, (int)t, k->n)) {
			k->sure++;
			k->sure_unclaimed += !m->r[t].claimed;
			if (cf_is_futex_waitid(R(m, t)->req))
				k->has_fw = 1;
		} else {
			k->unsure_unclaimed += !m->r[t].claimed;
		}
	}
	/* With the CQ overflowing, a finished request may look in flight. */
	/* a race group's overflow shows at its release (seed 177) */
	k->exact = m->exact && !cf_overflow_between(m->h, 0, uring_race_horizon(m, k->n)) && !k->ambiguous &&
		   !k->deferred;
	k->all_k = !!(k->f & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)); /* the kernel counts for ALL and for ANY */
	k->all_d = !!(k->f & CF_CANCEL_F_ALL);           /* the page counts for ALL only */
}

/* The result code alone, for the flags. Returns 0 when it is not one the
 * pages list at all: nothing more is judged. */
static int check_result_code(struct model *m, const struct cancel *k)
{
	int c = k->c, res = k->res, all_k = k->all_k, all_d = k->all_d;
	uint32_t f = k->f;

	m->j->checks++;
	if (all_k ? res < 0 && res != -ENOENT && res != -EALREADY && res != -ETIME
		  : res != 0 && res != 1 && res != -ENOENT && res != -EALREADY && res != -ETIME) {
		int exit_act = res == -EFAULT ? cf_efault_after_exit(m->h, c) : -1;

		if (exit_act >= 0)
			report_on(m, INV_DOCUMENTED_ERRORS, "task-exit-efault", 1, c, -1,
				  "cancel request %d, submitted by task a%u, failed -EFAULT after its task ended in act %d",
				  c, m->h->acts[k->r->sub_act].actor, exit_act);
		else
			report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
			       "cancel request %d (flags 0x%x) returned %d", c, f, res);
		return 0;
	}
	if (res == -ETIME && k->r->api != CF_CANCEL_SYNC)
		report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
		       "cancel request %d returned -ETIME, which only a sync cancel can", c);
	else if (res == -ETIME)
		report_on(m, INV_DOCUMENTED_ERRORS, "sync-cancel-etime", 1, c, -1,
			  "sync cancel (act %u) timed out with -ETIME, which no page lists", k->r->act);
	if (f & (CF_CANCEL_F_USERDATA | CF_CANCEL_F_OP))
		report_on(m, INV_INVALID_FIELDS, "undocumented-cancel-flags", 1, c, -1,
			  "cancel request %d with %s%s%s (no page names them) was taken, res %d",
			  c, (f & CF_CANCEL_F_USERDATA) ? "USERDATA" : "",
			  (f & CF_CANCEL_F_USERDATA) && (f & CF_CANCEL_F_OP) ? "|" : "",
			  (f & CF_CANCEL_F_OP) ? "OP" : "", res);
	if (res == 1 && !all_k && !k->reach_fw && k->sure > 0 && k->exact) /* a futex or waitid within reach may be what it found (seed 193) */
		report(m, INV_RESULT_CODES, NULL, 0,
		       "cancel request %d without ALL returned 1 and matched no futex or waitid", c);
	if (res == 1 && !all_k && k->has_fw)
		report_on(m, INV_RESULT_CODES, "futex-waitid-count", 1, c, -1,
		       "cancel request %d of a futex_wait/waitid without ALL returned 1, not 0", c);
	if ((f & CF_CANCEL_F_ANY) && !(f & CF_CANCEL_F_ALL) && res > 1)
		report_on(m, INV_FIRST_MATCH_ONLY, "any-without-all", 1, c, -1,
		       "cancel request %d with ANY but not ALL canceled %d requests", c, res);
	if (all_d && res == 0) {
		report_on(m, INV_RESULT_CODES, "all-no-match-zero", 1, c, -1,
		       "cancel request %d with ALL matched nothing and returned 0, not -ENOENT", c);
		/* page 000 asks for the count found and canceled, page 002 for -ENOENT */
		report_on(m, INV_RESULT_CODES, "pages-disagree-no-match", 1, c, -1,
			  "cancel request %d with ALL found nothing: page 000 asks for the count (\"a positive value is returned indicating how many requests were found and canceled\"), page 002 for -ENOENT (\"res is -ENOENT if no matching request was found\")",
			  c);
	}
	if (all_k && res == 0 && !all_d && (f & CF_CANCEL_F_ANY))
		report_on(m, INV_RESULT_CODES, "all-no-match-zero", 1, c, -1,
		       "cancel request %d with ANY matched nothing and returned 0, not -ENOENT", c);
	return 1;
}

/* Bounds that hold however the CQEs are attributed: never more canceled
 * than matching in flight; -EALREADY needs a match; a success with one
 * sure match canceled that match. */
static void check_bounds(struct model *m, const struct cancel *k)
{
	int c = k->c, n = k->n, res = k->res;

	if (k->all_k && res > k->upper + k->maybe_in_flight && !m->racy && !cf_overflow_between(m->h, 0, n))
		report(m, INV_ALL_COUNT, NULL, 0,
		       "cancel request %d (flags 0x%x) returned %d; at most %d matching requests were in flight",
		       c, k->f, res, k->upper);
	if (k->exact && res == -EALREADY && k->sure == 0)
		report(m, INV_ENOENT, NULL, 0,
		       "cancel request %d returned -EALREADY but no matching request was in flight", c);
	if (k->exact && !k->all_k && res == 0 && k->sure_unclaimed == 1) {
		for (int i = 0; i < k->upper; i++) {
			int t = k->inflight[i];

			if (!m->r[t].claimed && uring_surely_in_flight(m, t, n) && m->r[t].done &&
			    m->r[t].final_act == n && !cf_canceled_res(m->r[t].final_res))
				report(m, INV_CANCELED_RES, NULL, 0,
				       "request %d, the only match of successful cancel request %d, ended %d, not -ECANCELED",
				       t, c, m->r[t].final_res);
		}
	}
}

/* FD|ANY (only the sync form takes it) does not search the timeout list
 * (io_try_cancel), though page 000 says ANY can "cancel any pending request
 * in the ring": a timeout it leaves pending is a divergence. */
static void check_fd_any_timeouts(struct model *m, const struct cancel *k)
{
	if (k->res < 0 || (k->f & (CF_CANCEL_F_FD | CF_CANCEL_F_ANY)) != (CF_CANCEL_F_FD | CF_CANCEL_F_ANY))
		return;
	for (unsigned t = 0; t < m->h->nreqs; t++) {
		const struct cf_req_rec *tr = R(m, t);

		if (!cf_is_timeout(tr->req) ||
		    (tr->sqe_flags & (CF_SQE_ASYNC | CF_SQE_DRAIN)) || m->r[t].ambiguous ||
		    !uring_in_flight_at(m, (int)t, k->c, k->n) || m->r[t].final_act == k->n)
			continue;
		report_on(m, INV_ANY_REACHES_ALL, "fd-any-skips-timeout", 1, k->c, (int)t,
			  "cancel request %d with FD|ANY (res %d) left timeout %u pending", k->c, k->res, t);
	}
}

/* Counts, exact where the program's timing is fixed: ALL's count, a plain
 * cancel's 0 or 1, -ENOENT. Sets double_success and wrong_res. */
/* Matches the cancel found running in io-wq: they end -EINTR (the worker
 * is signalled), and an ALL cancel does not count them (D45). */
static int running_in_iowq(const struct model *m, const struct cancel *k)
{
	int running = 0;

	for (int i = 0; i < k->upper; i++) {
		int t = k->inflight[i];

		running += !m->r[t].claimed && m->r[t].done && m->r[t].final_res == -EINTR &&
			   m->r[t].final_act >= k->n && uring_surely_in_flight(m, t, k->n);
	}
	return running;
}

static void check_exact_counts(struct model *m, struct cancel *k)
{
	int c = k->c, n = k->n, res = k->res, sure = k->sure, sure_unclaimed = k->sure_unclaimed;

	if (!k->exact)
		return;
	/* a match not surely in flight (issued behind a head whose CQE came
	 * in this act) may or may not count (seed 172) */
	if (k->all_k && res >= 0 && (res < sure_unclaimed || res > sure_unclaimed + k->unsure_unclaimed)) {
		k->double_success = res > sure_unclaimed + k->unsure_unclaimed && sure > sure_unclaimed;
		if (k->has_fw && res > 0 && res < sure_unclaimed)
			report_on(m, INV_ALL_COUNT, "futex-waitid-all-undercount", 0, c, -1,
			       "cancel request %d (flags 0x%x) returned %d but %d matching requests, futex_wait or waitid among them, were in flight",
			       c, k->f, res, sure_unclaimed);
		else if (res == sure_unclaimed - running_in_iowq(m, k))
			report_on(m, INV_ALL_COUNT, "all-count-skips-running", 1, c, -1,
				  "cancel request %d (flags 0x%x) returned %d; %d matching requests were in flight, %d of them interrupted while running in io-wq (-EINTR)",
				  c, k->f, res, sure_unclaimed, running_in_iowq(m, k));
		else if (k->double_success)
			report_on(m, INV_ENOENT, "double-cancel-success", 0, c, -1,
			       "cancel request %d counted %d but %d of the %d matching requests were already canceled",
			       c, res, sure - sure_unclaimed, sure);
		else
			report(m, INV_ALL_COUNT, NULL, 0,
			       "cancel request %d (flags 0x%x) returned %d; %d matching requests were in flight",
			       c, k->f, res, sure_unclaimed);
	}
	if (!k->all_k && (res == 0 || res == 1) && sure_unclaimed == 0) {
		int only = k->upper == 1 ? k->inflight[0] : -1, open = 0;

		/* a match within reach that no earlier cancel took, even if not
		 * surely in flight (issued behind a chain head that ended in this
		 * act), may be the one it canceled (seed 193) */
		for (int i = 0; i < k->upper; i++)
			open += !m->r[k->inflight[i]].claimed;
		k->double_success = sure > 0 && open == 0;
		if (k->double_success)
			report_on(m, INV_ENOENT, "double-cancel-success", 0, c, -1,
			       "cancel request %d succeeded but its only match was already canceled", c);
		else if (sure == 0 && only >= 0 && !m->r[only].claimed && m->r[only].done &&
			 m->r[only].final_act == n && !cf_canceled_res(m->r[only].final_res)) {
			k->wrong_res = 1;
			m->r[only].claimed = 1;
			report(m, INV_CANCELED_RES, NULL, 0,
			       "request %d, the only match of successful cancel request %d, ended %d, not -ECANCELED",
			       only, c, m->r[only].final_res);
		} else if (sure == 0 && k->upper == 0) /* matches that may be in flight (unsure) say nothing */
			report(m, INV_RESULT_CODES, NULL, 0,
			       "cancel request %d returned %d with no matching request in flight", c, res);
	}
	if (res == -ENOENT && sure_unclaimed > 0)
		report(m, INV_ENOENT, NULL, 0,
		       "cancel request %d returned -ENOENT while %d matching requests were in flight",
		       c, sure_unclaimed);
}

/* A plain cancel by user_data that found nothing, while a link timeout of
 * that user_data was pending: link timeouts are not on a cancel list. */
static void check_link_timeout_enoent(struct model *m, const struct cancel *k)
{
	const struct cf_req_rec *r = k->r;

	if (!(k->exact && k->res == -ENOENT && k->sure_unclaimed == 0 &&
	      !(k->f & (CF_CANCEL_F_ANY | CF_CANCEL_F_FD | CF_CANCEL_F_OP))))
		return;
	for (unsigned t = 0; t < m->h->nreqs; t++)
		if (cf_is_link_timeout(R(m, t)->req) && R(m, t)->user_data == r->key_ud &&
		    uring_in_flight_at(m, (int)t, k->c, k->n))
			report_on(m, INV_ENOENT, "link-timeout-not-cancelable", 1, k->c, (int)t,
			       "cancel request %d found no request with ud 0x%llx, though link timeout %u was pending",
			       k->c, (unsigned long long)r->key_ud, t);
}

/* Claims, for a successful cancel, up to want matches that ended canceled:
 * first those armed (not waiting behind their chain head), whose CQE is
 * surely theirs (not shared by user_data) and showed by the deadline, then
 * any that showed by the deadline, then the rest (a chain member's
 * -ECANCELED may come from its head failing, a late one from the
 * teardown). Returns how many; *by_deadline: how many showed by then. */
/* The thread (actor) whose io_uring_enter or sync cancel made act a. */
static unsigned task_of_act(const struct model *m, int a)
{
	return a >= 0 && (unsigned)a < m->h->nacts && m->h->acts[a].kind == CF_ACT_OP
		       ? m->h->acts[a].actor : 0;
}

/* How early in a claim pass match t comes for a cancel that ran in act
 * `ran`: by the act of its CQE (none yet: last), then, within an act, a
 * CQE that would be late for a request of the cancel's own task after the
 * rest. */
static int claim_key(const struct model *m, int t, int ran)
{
	int at = m->r[t].done ? m->r[t].final_act : INT16_MAX;
	int own_late = m->r[t].done && at > ran &&
		       task_of_act(m, R(m, t)->sub_act) == task_of_act(m, ran) &&
		       began_after(m, at, ran);

	return at * 2 + own_late;
}

/* Claims up to want of k's matches; past need (the count), only futex_waits
 * and waitids, which one pass cancels all of but counts as 1 (D15). */
static int claim_targets(struct model *m, const struct cancel *k, int need, int want, int deadline0,
			 int defer_late, int *by_deadline)
{
	int upper = k->upper, n = k->n, got = 0, order[CF_MAX_REQS];
	/* a deferred cancel (behind a DRAIN, a chain, io-wq) ran as late as its CQE */
	int ran = k->deferred ? uring_run_act(m, k->c) : n;

	/* within a pass, the match whose CQE came first: a later one more
	 * likely had another cause (another cancel, the teardown; seed 192);
	 * of CQEs in one act, first those whose timing needs no exemption
	 * (the same CQE may be any of them; seed 194) */
	for (int i = 0; i < upper; i++) {
		int t = k->inflight[i], j = i, key = claim_key(m, t, ran);

		for (; j > 0 && claim_key(m, order[j - 1], ran) > key; j--)
			order[j] = order[j - 1];
		order[j] = t;
	}

	/* passes: armed by the deadline; by the deadline; armed; any (a member
	 * whose chain broke has a cause of its own: seed 142) */
	for (int i = 0; i < 8 * upper && got < want; i++) {
		int t = order[i % upper], pass = i / upper / 2;
		int p = m->r[t].chain_prev;
		/* A request another thread submitted is completed by that thread's
		 * task work, which runs when that thread next leaves the kernel: an
		 * idle actor does so on its own time (a fuzzed program's teardown
		 * canceled a timeout a2 had submitted; its CQE came in end_drain). */
		int deadline = task_of_act(m, R(m, t)->sub_act) != task_of_act(m, n)
				       ? (int)m->h->nacts - 1 : deadline0;
		int armed = p < 0 || (m->r[p].done && !m->r[p].ambiguous && m->r[p].final_act < n);

		if (m->r[t].claimed || !m->r[t].done || !cf_canceled_res(m->r[t].final_res) ||
		    m->r[t].final_act < n ||
		    /* past its count, only D15's futex_waits and waitids (campaign
		     * seeds 50, 51: f791d061, a recv a DRAIN held) */
		    (got >= need && !cf_is_futex_waitid(R(m, t)->req)) ||
		    (i / upper % 2 == 0 && (wanted_later(m, k->c, t) || taken_silently_before(m, k->c, t))) ||
		    /* a match an earlier cancel took, its CQE not yet posted, may
		     * be what this one counted again (D02) rather than a target
		     * a later cancel wants (seed 529) */
		    (k->claimed_here && !k->all_k && wanted_later(m, k->c, t)) ||
		    (pass == 0 && !(armed && !m->r[t].ambiguous && m->r[t].final_act <= deadline)) ||
		    (pass == 1 && m->r[t].final_act > deadline) || (pass == 2 && !armed))
			continue;
		m->r[t].claimed = 1;
		got++;
		*by_deadline += m->r[t].final_act <= deadline;
		/* which match took which CQE is unknown, or the CQ overflowed (its
		 * CQEs wait in the overflow list, D23), or the cancel ran in io-wq
		 * at a time its own CQE only bounds, and its target's CQE waits for
		 * the task work of whoever submitted it (seed 520): no timing to
		 * judge, as check_targets does not either */
		if (k->ambiguous || k->deferred || cf_overflow_between(m->h, ran, m->r[t].final_act))
			continue;
		/* a match interrupted while it ran in io-wq ends -EINTR when its
		 * worker sees the signal: after the cancel returned, whoever made
		 * either (D57; s41's f791d061) */
		if (m->r[t].final_res == -EINTR) {
			if (m->r[t].final_act > ran && began_after(m, m->r[t].final_act, ran))
				report_on(m, INV_TARGET_CQE_AT_SUBMIT, "interrupted-target-late", 1, k->c, t,
					  "request %d, running in io-wq, interrupted by cancel %d in act %d: its -EINTR CQE only after act %d",
					  t, k->c, ran, m->r[t].final_act);
			continue;
		}
		if (m->r[t].final_act > ran && defer_late)
			report_on(m, INV_TARGET_CQE_AT_SUBMIT, "defer-taskrun-late", 1, k->c, t,
			       "request %d canceled by request %d in act %d: CQE only after act %d (DEFER_TASKRUN)",
			       t, k->c, ran, m->r[t].final_act);
		else if (m->r[t].final_act > ran && m->r[t].final_act <= deadline && /* D32, D33 */
			 began_after(m, m->r[t].final_act, ran)) /* seen in an act that began after */
			report_on(m, k->r->api == CF_CANCEL_SYNC ? INV_SYNC_CANCEL : INV_TARGET_CQE_AT_SUBMIT,
				  k->r->api == CF_CANCEL_SYNC ? "cross-task-sync-late" : "cross-task-target-late",
				  1, k->c, t,
				  "request %d canceled by request %d in act %d (another thread, or a race group): its CQE only after act %d, from its submitter's task work",
				  t, k->c, ran, m->r[t].final_act);
	}
	return got;
}

/* D34: a match that is a futex_wait with IOSQE_CQE_SKIP_SUCCESS
 * and never posted a CQE (its cancel path leaves the skip flag set, so the
 * -ECANCELED is dropped as if it were a success); -1 none. */
static int silent_futex_waitid(const struct model *m, const struct cancel *k)
{
	for (int i = 0; i < k->upper; i++) {
		const struct cf_req_rec *t = R(m, k->inflight[i]);

		int shared = 0;

		for (unsigned o = 0; o < m->h->nreqs; o++)
			shared |= (int)o != k->inflight[i] && cf_has_sqe(R(m, o)) &&
				  R(m, o)->user_data == t->user_data;
		if (m->r[k->inflight[i]].silent && (t->sqe_flags & CF_SQE_SKIP) &&
		    t->req == CF_REQ_FUTEX_WAIT && !shared)
			return k->inflight[i];
	}
	return -1;
}

/* A successful cancel's targets: claimed, then their canceled CQEs must
 * have shown by the deadline. */
static void check_targets(struct model *m, const struct cancel *k)
{
	const struct cf_req_rec *r = k->r;
	int c = k->c, n = k->n, res = k->res, upper = k->upper;
	/* D15: one futex/waitid pass cancels them all but counts as 1 */
	int need = k->all_k ? res : 1, want = k->all_k && k->reach_fw ? upper : need;
	/* a deferred cancel's targets are due from when it ran (seed 520) */
	int defer_late, deadline = uring_target_deadline(m, k->deferred ? uring_run_act(m, c) : n, &defer_late);
	int by_deadline = 0, got;

	got = claim_targets(m, k, need, want, deadline, defer_late, &by_deadline);
	/* Racy programs: io-wq work is canceled when the worker notices. */
	if (k->exact && !k->all_k && !(k->f & CF_CANCEL_F_ANY))
		check_first_match_only(m, c, k->inflight, upper, n, deadline);
	/* a silent match makes the cancel inexact, but D34's CQE never comes */
	if (!m->racy && !k->deferred && !k->double_success && !k->wrong_res && by_deadline < need &&
	    silent_futex_waitid(m, k) >= 0 && !cf_overflow_between(m->h, n, deadline)) {
		m->j->checks++;
		report_on(m, r->api == CF_CANCEL_SYNC ? INV_SYNC_CANCEL : INV_TARGET_CQE_AT_SUBMIT,
			  "skip-success-cancel-no-cqe", 0, c, silent_futex_waitid(m, k),
			  "cancel request %d (act %d) succeeded with %d, but request %d (%s with IOSQE_CQE_SKIP_SUCCESS) never posted its -ECANCELED CQE",
			  c, n, res, silent_futex_waitid(m, k), cf_req_name(R(m, silent_futex_waitid(m, k))->req));
		return;
	}
	if (m->racy || k->deferred || k->double_success || k->wrong_res || k->ambiguous ||
	    cf_overflow_between(m->h, n, deadline))
		return;
	m->j->checks++;
	if (by_deadline < need && k->claimed_here)
		report_on(m, INV_ENOENT, "double-cancel-success", 0, c, -1,
		       "cancel request %d succeeded with %d in act %d, but its match was already canceled by an earlier cancel (completion not yet posted); %d other matching requests stayed in flight",
		       c, res, n, upper - got);
	else if (by_deadline < need && by_deadline + ended_otherwise(m, k->inflight, upper, n, deadline) >= need)
		report(m, INV_CANCELED_RES, NULL, 0,
		       "cancel request %d (act %d) succeeded with %d, but its matches ended by act %d with results other than -ECANCELED/-EINTR",
		       c, n, res, deadline);
	else if (by_deadline < need)
		report(m, r->api == CF_CANCEL_SYNC ? INV_SYNC_CANCEL : INV_TARGET_CQE_AT_SUBMIT,
		       NULL, 0,
		       "cancel request %d (act %d) succeeded with %d but only %d canceled CQEs were visible by act %d",
		       c, n, res, by_deadline, deadline);
}

/* Cancel c, step by step; each step may end the judgement of c. */
/* D46 (cov3 branch): an O_DIRECT read or write is a bio in the block
 * layer, on no list a cancel searches, so the kernel answers -ENOENT while
 * it is in flight; page 000 keeps -ENOENT for a request it "could not
 * locate" and has -EALREADY for one that "has progressed far enough that
 * cancelation is no longer possible". In flight: its CQE comes after the
 * cancel's (SQE cancel: later in the CQ; sync: after its act). */
static void check_direct_success(struct model *m, const struct cancel *k);

static void check_direct_inflight(struct model *m, const struct cancel *k)
{
	const struct cf_history *h = m->h;
	int cpos = -1;

	if (k->res == 0)
		check_direct_success(m, k);
	if (k->res != -ENOENT)
		return;
	if (cf_has_sqe(k->r)) {
		for (unsigned q = 0; q < h->ncqes && cpos < 0; q++)
			if (h->cqes[q].user_data == k->r->user_data)
				cpos = (int)q;
		if (cpos < 0)
			return;
	}
	for (unsigned t = 0; t < h->nreqs; t++) {
		const struct cf_req_rec *tr = R(m, (int)t);
		int later = 0;

		if (!cf_req_is_direct(tr->req) || tr->sub_act < 0 || tr->sub_act > k->n ||
		    !cf_cancel_matches(h, k->r, tr) || m->r[t].ambiguous)
			continue;
		for (unsigned q = 0; q < h->ncqes; q++)
			if (h->cqes[q].user_data == tr->user_data && CF_CQE_FINAL(&h->cqes[q]))
				later = cf_has_sqe(k->r) ? (int)q > cpos : h->cqes[q].act > (unsigned)k->n;
		m->j->checks++;
		if (later)
			report_on(m, INV_ENOENT, "odirect-inflight-enoent", 1, k->c, (int)t,
				  "cancel request %d returned -ENOENT while %s request %u (ud 0x%llx), which it matches, was in flight: its CQE came after the cancel's",
				  k->c, cf_req_name(tr->req), t, (unsigned long long)tr->user_data);
	}
}

/* A plain cancel that succeeded (0) and matches only O_DIRECT requests
 * canceled one of them: it ends -ECANCELED (or -EINTR), whatever the
 * timing (the cov3 kinds are racy, so the general target checks are not
 * exact for them). */
static void check_direct_success(struct model *m, const struct cancel *k)
{
	const struct cf_history *h = m->h;
	unsigned matches = 0, canceled = 0;
	int ran_out = -1; /* a match that ended with its own result */

	/* a deferred cancel (behind a DRAIN, its chain, in io-wq) may have run
	 * after later requests were submitted: which it matched is unknown
	 * (campaign seed 66, faec2cdf, a DRAIN-held cancel and a futex_waitv
	 * submitted after it) */
	if (k->f & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY) || k->deferred)
		return;
	for (unsigned t = 0; t < h->nreqs; t++) {
		const struct cf_req_rec *tr = R(m, (int)t);

		if (tr->req == CF_REQ_CANCEL || !cf_has_sqe(tr) || tr->sub_act < 0 || tr->sub_act > k->n ||
		    !cf_cancel_matches(h, k->r, tr))
			continue;
		if (!cf_req_is_direct(tr->req) || m->r[t].ambiguous)
			return; /* another kind may be what it canceled; a shared ud hides which */
		matches++;
		canceled += m->r[t].done && cf_canceled_res(m->r[t].final_res);
		/* at any act: the wait ends once no cancel finds it, which for
		 * an O_DIRECT transfer is when io-wq hands its bio to the block
		 * layer, before it completes (campaign seed 65); DEFER_TASKRUN
		 * posts at a0's next GETEVENTS (seed 60) */
		/* (or, with CQE_SKIP_SUCCESS, silently: campaign seed 71) */
		if ((m->r[t].done && !cf_canceled_res(m->r[t].final_res)) || (!m->r[t].done && m->r[t].silent))
			ran_out = (int)t;
	}
	m->j->checks += matches > 0;
	/* io_sync_cancel: a match found running (-EALREADY) is waited for
	 * until no cancel finds it, then 0 (seed 551's history) */
	if (matches && !canceled && k->r->api == CF_CANCEL_SYNC && ran_out >= 0)
		report_on(m, INV_CANCELED_RES, "sync-cancel-waits-for-running", 1, k->c, ran_out,
			  "sync cancel request %d returned 0 after %s request %d, which it matches, ended %d%s on its own: it waited for the running request",
			  k->c, cf_req_name(R(m, ran_out)->req), ran_out, m->r[ran_out].final_res,
			  m->r[ran_out].done ? "" : " (silently, CQE_SKIP_SUCCESS)");
	else if (matches && !canceled)
		report(m, INV_CANCELED_RES, NULL, 0,
		       "cancel request %d returned 0, but none of the %u O_DIRECT requests it matches ended -ECANCELED",
		       k->c, matches);
}

static void check_one_cancel(struct model *m, int c)
{
	int known;
	struct cancel k = {
		.c = c,
		.r = R(m, c),
		.n = cf_ran_at(R(m, c)),
		.res = uring_cancel_result(m, c, &known),
		.f = R(m, c)->cancel_flags,
		.deferred = uring_cancel_deferred(m, c),
	};
	if (k.n < 0 || !known)
		return;
	/* odd=skip_success: a cancel that succeeds posts no CQE (0, or a
	 * count with ALL); only a failure clears the flag (req_set_fail) */
	if (cf_req_skips(k.r) && m->r[c].done) {
		m->j->checks++;
		if (k.res >= 0)
			report(m, INV_SKIP_SUCCESS, NULL, 0,
			       "cancel request %d with IOSQE_CQE_SKIP_SUCCESS succeeded (%d) and still posted a CQE after act %d",
			       c, k.res, m->r[c].final_act);
	}
	if (check_before_matching(m, &k))
		return;
	find_matches(m, &k);
	if (!check_result_code(m, &k))
		return;
	check_bounds(m, &k);
	check_fd_any_timeouts(m, &k);
	check_exact_counts(m, &k);
	check_link_timeout_enoent(m, &k);
	check_direct_inflight(m, &k);
	if (k.res >= 0)
		check_targets(m, &k);
}

/* A sync cancel made by another thread than a0 on a SINGLE_ISSUER ring
 * (mode defer): the kernel refuses every task but the ring's creator with
 * -EEXIST (io_uring_register(2)), and the refusal cancels nothing. 1 when
 * that is all there is to judge. */
static int single_issuer_refusal(struct model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	const struct cf_act_rec *act = &m->h->acts[r->act];

	if (r->api != CF_CANCEL_SYNC || m->h->mode != CF_MODE_DEFER || act->kind != CF_ACT_OP ||
	    act->actor == 0)
		return 0;
	m->j->checks++;
	if (act->res != -EEXIST)
		report(m, INV_DOCUMENTED_ERRORS, NULL, 0,
		       "sync cancel request %d from actor a%u on a SINGLE_ISSUER ring returned %d, not the refusal -EEXIST",
		       c, act->actor, act->res);
	return 1;
}

void uring_check_cancel(struct model *m, int c)
{
	if (single_issuer_refusal(m, c))
		return;
	check_cancel_cqe_time(m, c);
	check_one_cancel(m, c);
}
