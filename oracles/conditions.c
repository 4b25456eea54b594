/* The registry's conditions: for each registered divergence, what exactly
 * must have been seen in the history for a finding to carry its tag. They
 * read the recorded history only (results, flags, acts, user_data), not the
 * oracle's attribution, so a tag emitted for another behaviour (a model
 * mistake, or a kernel doing something new) fails its condition and the
 * finding is reported as NEW. c is the cancel the finding is about, t the
 * other request it names; -1 when the oracle did not say, and then some
 * cancel (or request) of the history must satisfy the condition. */
#include "verdict.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "aio_model.h"
#include "model.h"

/* ---- what the history shows of one request ---- */

/* The first act at or after from whose CQEs hold one with user_data ud
 * (and, if res_ok is set, with a result it accepts); -1 none. */
static int cqe_act(const struct cf_history *h, uint64_t ud, int from, int (*res_ok)(int))
{
	for (unsigned i = 0; i < h->ncqes; i++)
		if (h->cqes[i].user_data == ud && (int)h->cqes[i].act >= from &&
		    (!res_ok || res_ok(h->cqes[i].res)))
			return h->cqes[i].act;
	return -1;
}

/* A cancel's result: a sync cancel's act res, an SQE cancel's CQE (its
 * user_data is unique); *known 0 when none was recorded. */
static int cancel_res(const struct cf_history *h, int c, int *known)
{
	const struct cf_req_rec *r = &h->reqs[c];

	*known = 1;
	if (!cf_has_sqe(r) || h->mode == CF_MODE_AIO || h->mode == CF_MODE_POSIX)
		return h->acts[r->act].res;
	for (unsigned i = 0; i < h->ncqes; i++)
		if (h->cqes[i].user_data == r->user_data)
			return h->cqes[i].res;
	/* odd=skip_success, consumed, not behind a link, without ALL or
	 * ANY: no CQE is its success, 0 (uring_cancel_result) */
	*known = cf_silent_cancel_succeeded(h, (unsigned)c);
	return 0;
}

/* An SQE cancel whose CQE did not come in the act that consumed it, or
 * that was itself canceled. */
static int cancel_late(const struct cf_history *h, int c)
{
	const struct cf_req_rec *r = &h->reqs[c];
	int known, res = cancel_res(h, c, &known);

	return cf_has_sqe(r) && r->sub_act >= 0 &&
	       (!known || res == -ECANCELED || cqe_act(h, r->user_data, 0, NULL) != r->sub_act);
}

/* Request t was consumed before cancel c ran (in the same act: queued first). */
static int consumed_before(const struct cf_history *h, int t, int c)
{
	int n = cf_ran_at(&h->reqs[c]), s = h->reqs[t].sub_act;

	return cf_has_sqe(&h->reqs[t]) && s >= 0 && (s < n || (s == n && t < c));
}

/* Request t was consumed by the time cancel c could have run: before it,
 * or (an SQE cancel held back: chain, io-wq, DRAIN) by the act of its CQE. */
static int ran_with(const struct cf_history *h, int t, int c)
{
	const struct cf_req_rec *cr = &h->reqs[c];
	int at = cf_has_sqe(cr) ? cqe_act(h, cr->user_data, 0, NULL) : -1;

	return consumed_before(h, t, c) ||
	       (cf_has_sqe(&h->reqs[t]) && h->reqs[t].sub_act >= 0 && at >= 0 && h->reqs[t].sub_act <= at);
}

/* Some futex_wait or waitid that c matches had been consumed when c ran. */
static int matches_futex_waitid(const struct cf_history *h, int c)
{
	for (unsigned t = 0; t < h->nreqs; t++)
		if (cf_is_futex_waitid(h->reqs[t].req) &&
		    consumed_before(h, (int)t, c) && cf_cancel_matches(h, &h->reqs[c], &h->reqs[t]))
			return 1;
	return 0;
}

/* The SQE before request i (the one it may be linked behind), -1 none. */
static int sqe_before(const struct cf_history *h, int i)
{
	while (i-- > 0)
		if (cf_has_sqe(&h->reqs[i]))
			return i;
	return -1;
}

/* A link timeout not behind a request (itself not a link timeout) that
 * linked it in the same submit: the kernel fails its prep with -EINVAL. */
static int lone_link_timeout(const struct cf_history *h, int i)
{
	int p = sqe_before(h, i);

	return cf_is_link_timeout(h->reqs[i].req) && h->reqs[i].sub_act >= 0 &&
	       (p < 0 || !cf_links_next(&h->reqs[p]) || cf_is_link_timeout(h->reqs[p].req) ||
		h->reqs[p].sub_act != h->reqs[i].sub_act);
}

static int lone_link_timeouts(const struct cf_history *h, uint64_t ud, int act)
{
	int n = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		n += h->reqs[i].user_data == ud && h->reqs[i].sub_act == act && lone_link_timeout(h, (int)i);
	return n;
}

/* -EINVAL CQEs of user_data ud that showed in act act. */
static int einval_cqes(const struct cf_history *h, uint64_t ud, int act)
{
	int n = 0;

	for (unsigned i = 0; i < h->ncqes; i++)
		n += h->cqes[i].user_data == ud && h->cqes[i].act == act && h->cqes[i].res == -EINVAL;
	return n;
}

static int res_zero(int res)
{
	return res == 0;
}

/* ---- one condition per registry entry; NULL when it holds ---- */

static const char *d01(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);
	uint32_t f = h->reqs[c].cancel_flags;

	(void)t;
	return known && (f & CF_CANCEL_F_ANY) && !(f & CF_CANCEL_F_ALL) && res > 1 ? NULL
		: "a cancel with ANY and without ALL returned more than 1";
}

/* An earlier cancel succeeded for a request this one also matches. */
static const char *d02(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known), n = cf_ran_at(&h->reqs[c]);

	(void)t;
	if (!known || res < 0)
		return "the cancel succeeded";
	for (int e = 0; e < (int)h->nreqs; e++) {
		int ek, eres = cancel_res(h, e, &ek), en = cf_ran_at(&h->reqs[e]);

		/* an earlier cancel: it ran before c, or in c's act queued before it */
		if (e == c || h->reqs[e].req != CF_REQ_CANCEL || !ek || eres < 0 || en < 0 || en > n ||
		    (en == n && e > c))
			continue;
		for (unsigned x = 0; x < h->nreqs; x++)
			if (h->reqs[x].req != CF_REQ_CANCEL && ran_with(h, (int)x, e) &&
			    cf_cancel_matches(h, &h->reqs[e], &h->reqs[x]) &&
			    cf_cancel_matches(h, &h->reqs[c], &h->reqs[x]))
				return NULL;
	}
	return "an earlier successful cancel matched a request this cancel also matches";
}

static const char *d03(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res == 1 && !(h->reqs[c].cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)) &&
	       matches_futex_waitid(h, c) ? NULL
		: "a cancel without ALL/ANY returned 1 with a futex_wait or waitid among its matches";
}

static const char *d04(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res == 0 && (h->reqs[c].cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)) ? NULL
		: "a cancel with ALL or ANY returned 0";
}

/* The link timeout was armed (behind a request, not another link timeout,
 * that linked it in the same submit; its SQE did not fail with -EINVAL),
 * and the cancel by its user_data got -ENOENT while its chain was pending. */
static const char *d05(const struct cf_history *h, int c, int t)
{
	const struct cf_req_rec *cr = &h->reqs[c], *tr;
	int known, res = cancel_res(h, c, &known), p, n = cf_ran_at(cr), ended, others = 0, seen = 0;

	if (!known || res != -ENOENT || (cr->cancel_flags & (CF_CANCEL_F_ANY | CF_CANCEL_F_FD | CF_CANCEL_F_OP)))
		return "a cancel by user_data only returned -ENOENT";
	if (t < 0 || !cf_is_link_timeout(h->reqs[t].req) || h->reqs[t].user_data != cr->key_ud)
		return "a link timeout with the cancel's user_data";
	tr = &h->reqs[t];
	p = sqe_before(h, t);
	if (lone_link_timeout(h, t))
		return "the link timeout was armed: it followed a request that linked it in the same submit";
	if (einval_cqes(h, tr->user_data, tr->sub_act) > lone_link_timeouts(h, tr->user_data, tr->sub_act))
		return "the link timeout was armed: its SQE did not fail with -EINVAL";
	if (!consumed_before(h, t, c))
		return "the link timeout was submitted before the cancel ran";
	/* its chain pending: the request it guards had not ended (a CQE of
	 * its user_data before n beyond what others sharing it account for) */
	for (unsigned x = 0; x < h->nreqs; x++)
		others += (int)x != p && cf_has_sqe(&h->reqs[x]) &&
			  h->reqs[x].user_data == h->reqs[p].user_data && h->reqs[x].sub_act >= 0 &&
			  h->reqs[x].sub_act < n;
	for (unsigned i = 0; i < h->ncqes; i++)
		seen += h->cqes[i].user_data == h->reqs[p].user_data &&
			(int)h->cqes[i].act >= h->reqs[p].sub_act && (int)h->cqes[i].act < n &&
			CF_CQE_FINAL(&h->cqes[i]);
	ended = seen > others;
	return ended ? "the link timeout's request was still pending when the cancel ran" : NULL;
}

static const char *d06(const struct cf_history *h, int c, int t)
{
	const struct cf_req_rec *r = &h->reqs[c];
	int known, res = cancel_res(h, c, &known), closed;
	/* a deferred SQE cancel (DRAIN, chain, io-wq) runs as late as its CQE */
	int n = cf_has_sqe(r) ? cqe_act(h, r->user_data, 0, NULL) : (int)r->act;
	int16_t closed_at[CF_SLOT__COUNT];

	(void)t;
	cf_closes(h, closed_at); /* a close op, or a thread1 actor's exit (ring1) */
	closed = r->slot < CF_SLOT__COUNT && closed_at[r->slot] >= 0 && closed_at[r->slot] <= n;
	return known && res == -EBADF && (r->cancel_flags & CF_CANCEL_F_FD) &&
	       (r->slot == CF_SLOT_BADFD || r->slot_closed || closed ||
		((r->cancel_flags & CF_CANCEL_F_FD_FIXED) && cf_slot_is_ring(r->slot))) ? NULL
		: "a CANCEL_FD cancel of a closed or bad fd (or of a ring slot's empty fixed index) returned -EBADF";
}

static const char *d07(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res == -EOPNOTSUPP && (h->reqs[c].odd & CF_ODD_BUF_SELECT) ? NULL
		: "a cancel with IOSQE_BUFFER_SELECT returned -EOPNOTSUPP";
}

/* On a DEFER_TASKRUN ring a canceled request's CQE came after the act the
 * cancel ran in. */
static const char *d08(const struct cf_history *h, int c, int t)
{
	int n = cf_ran_at(&h->reqs[c]);

	if (h->mode != CF_MODE_DEFER)
		return "the ring is DEFER_TASKRUN";
	if (t >= 0 && cqe_act(h, h->reqs[t].user_data, n + 1, cf_canceled_res) < 0)
		return "a canceled CQE of the request's user_data came after the cancel's act";
	return NULL;
}

static const char *d09(const struct cf_history *h, int c, int t)
{
	const struct cf_req_rec *r = &h->reqs[c];

	(void)t;
	if (!cancel_late(h, c))
		return "the cancel's CQE came after its submit, or it was itself canceled";
	return cf_drain_by(h, r->sub_act) ? NULL
		: "an IOSQE_IO_DRAIN request was consumed at or before the cancel";
}

static const char *d10(const struct cf_history *h, int c, int t)
{
	(void)t;
	if (!cancel_late(h, c))
		return "the cancel's CQE came after its submit, or it was itself canceled";
	return cf_in_chain(h, (unsigned)c) ? NULL : "the cancel was in a link chain";
}

static const char *d11(const struct cf_history *h, int c, int t)
{
	(void)t;
	if (!cancel_late(h, c))
		return "the cancel's CQE came after its submit, or it was itself canceled";
	return (h->reqs[c].odd & CF_ODD_ASYNC) ? NULL : "the cancel had IOSQE_ASYNC";
}

static const char *d12(const struct cf_history *h, int c, int t)
{
	const struct cf_req_rec *r = &h->reqs[c];
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res >= 0 && r->api == CF_CANCEL_SYNC && (r->cancel_flags & CF_CANCEL_F_ANY) &&
	       (r->cancel_flags & (CF_CANCEL_F_FD | CF_CANCEL_F_OP)) ? NULL
		: "a sync cancel with ANY and FD or OP succeeded";
}

/* Teardown left requests without a final CQE on an SQPOLL ring. */
static int sqpoll_stuck(const struct cf_history *h)
{
	for (unsigned a = 0; a < h->nacts; a++)
		if (h->acts[a].kind == CF_ACT_END_DRAIN && h->acts[a].res > 0)
			return h->mode == CF_MODE_SQPOLL;
	return 0;
}

static const char *d13(const struct cf_history *h, int c, int t)
{
	(void)c;
	(void)t;
	if (!sqpoll_stuck(h))
		return "an SQPOLL ring's teardown left requests without a final CQE";
	for (unsigned i = 0; i < h->nreqs; i++)
		if (cf_has_sqe(&h->reqs[i]) && h->reqs[i].sub_act >= 0 && cf_links_next(&h->reqs[i]))
			return NULL;
	return "a consumed request left its IOSQE_IO_LINK chain open";
}

static const char *d14(const struct cf_history *h, int c, int t)
{
	(void)c;
	(void)t;
	if (!sqpoll_stuck(h))
		return "an SQPOLL ring's teardown left requests without a final CQE";
	for (unsigned i = 1; i < h->nreqs; i++) {
		if (!cf_has_sqe(&h->reqs[i]))
			continue;
		/* any member ahead in its chain (link timeouts are off the chain) */
		for (int p = sqe_before(h, (int)i); p >= 0 && cf_links_next(&h->reqs[p]); p = sqe_before(h, p)) {
			const struct cf_req_rec *pr = &h->reqs[p];

			if (pr->req != CF_REQ_CANCEL && !cf_is_link_timeout(pr->req) &&
			    (pr->req == CF_REQ_READ_FILE || (pr->sqe_flags & CF_SQE_ASYNC) || pr->slot == CF_SLOT_FILE))
				return NULL;
		}
	}
	return "a request was linked behind one that ran in io-wq";
}

static const char *d15(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res >= 1 && (h->reqs[c].cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)) &&
	       matches_futex_waitid(h, c) ? NULL
		: "a cancel with ALL or ANY counted at least 1 with a futex_wait or waitid among its matches";
}

/* The pages disagree: the cancel's CQE came late (page 000 forbids it,
 * page 002 allows it). */
static const char *d20(const struct cf_history *h, int c, int t)
{
	(void)t;
	return cancel_late(h, c) ? NULL
		: "the cancel's CQE came after its submit, or it was itself canceled";
}

static const char *d21(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res == 0 && (h->reqs[c].cancel_flags & CF_CANCEL_F_ALL) ? NULL
		: "a cancel with ALL returned 0";
}

static const char *d22(const struct cf_history *h, int c, int t)
{
	(void)t;
	return h->mode == CF_MODE_SQPOLL && cancel_late(h, c) ? NULL
		: "on an SQPOLL ring the cancel's CQE came after the act its SQE was consumed by";
}

static const char *d23(const struct cf_history *h, int c, int t)
{
	const struct cf_req_rec *r = &h->reqs[c];
	int at = cqe_act(h, r->user_data, 0, NULL);

	(void)t;
	return cancel_late(h, c) && cf_overflow_between(h, r->sub_act, at < 0 ? (int)h->nacts - 1 : at) ? NULL
		: "the CQ overflowed between the cancel's submit and its late CQE";
}

static const char *d24(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res == -ETIME && h->reqs[c].api == CF_CANCEL_SYNC ? NULL
		: "a sync cancel returned -ETIME";
}

static const char *d25(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	(void)t;
	return known && res != -EINVAL &&
	       (h->reqs[c].cancel_flags & (CF_CANCEL_F_USERDATA | CF_CANCEL_F_OP)) ? NULL
		: "a cancel with USERDATA or OP was not refused with -EINVAL";
}

/* Request t sat behind a request that linked it in the same submit (a
 * chain the kernel saw) and ended canceled. */
static const char *d26(const struct cf_history *h, int c, int t)
{
	int p;

	(void)c;
	if (t < 0 || !cf_has_sqe(&h->reqs[t]) || h->reqs[t].sub_act < 0)
		return "the finding names the request";
	p = sqe_before(h, t);
	if (p < 0 || !cf_links_next(&h->reqs[p]) ||
	    (h->reqs[p].sub_act != h->reqs[t].sub_act && h->mode != CF_MODE_SQPOLL))
		return "the request was linked behind another in the same submit";
	return cqe_act(h, h->reqs[t].user_data, h->reqs[t].sub_act, cf_canceled_res) >= 0 ? NULL
		: "a canceled CQE of the request's user_data";
}

static const char *d27(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);
	uint32_t f = h->reqs[c].cancel_flags;

	if (!known || res < 0 || !(f & CF_CANCEL_F_ANY) || !(f & CF_CANCEL_F_FD))
		return "a cancel with FD|ANY succeeded";
	if (t < 0 || !cf_is_timeout(h->reqs[t].req) ||
	    (h->reqs[t].sqe_flags & (CF_SQE_ASYNC | CF_SQE_DRAIN)) || !consumed_before(h, t, c))
		return "a timeout (armed, not in io-wq) was submitted before it ran";
	return NULL;
}

/* ---- the AIO families: the cancel is named when the oracle says so,
 * else some cancel of the history must show it ---- */

static int some_cancel(const struct cf_history *h, int c, int (*shows)(const struct cf_history *, int))
{
	if (c >= 0)
		return shows(h, c);
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].req == CF_REQ_CANCEL && shows(h, (int)i))
			return 1;
	return 0;
}

static int aio_einprogress_on_poll(const struct cf_history *h, int c)
{
	int t = h->reqs[c].target;

	return h->acts[h->reqs[c].act].res == -EINPROGRESS && t >= 0 && h->reqs[t].req == CF_AIO_POLL;
}

static int aio_nothing_copied(const struct cf_history *h, int c)
{
	int n = h->reqs[c].act;

	if (!aio_einprogress_on_poll(h, c) || (h->reqs[c].cancel_flags & CF_AIOC_NULLRESULT))
		return 0;
	for (unsigned e = 0; e < h->ncqes; e++)
		if (h->cqes[e].source == CF_EV_COPIED && h->cqes[e].act == n)
			return 0;
	return 1;
}

static int aio_einval_valid_args(const struct cf_history *h, int c)
{
	const struct cf_req_rec *r = &h->reqs[c];

	return h->acts[r->act].res == -EINVAL && r->api != CF_AIOT_BADPTR &&
	       !(r->cancel_flags & CF_AIOC_BADCTX);
}

static int px_mismatch_einval(const struct cf_history *h, int c)
{
	const struct cf_req_rec *r = &h->reqs[c];
	int mismatch = r->api != CF_PXC_NULL &&
		       (r->target < 0 ? r->fd_id >= 0 : h->reqs[r->target].fd_id != r->fd_id);

	return mismatch && h->acts[r->act].res == -EINVAL;
}

static const char *d28(const struct cf_history *h, int c, int t)
{
	(void)c;
	(void)t;
	for (unsigned a = 0; h->mode == CF_MODE_AIO && a < h->nacts; a++)
		if (h->acts[a].kind == CF_ACT_OP && h->acts[a].op_kind == CF_OP_WAIT && h->acts[a].res == -EINTR)
			return NULL;
	return "io_getevents returned -EINTR";
}

static const char *d29(const struct cf_history *h, int c, int t)
{
	(void)c;
	if (h->mode != CF_MODE_AIO || t < 0 || h->reqs[t].sub_act < 0)
		return "a native AIO request was submitted";
	for (unsigned e = 0; e < h->ncqes; e++)
		if (h->cqes[e].req == t)
			return "the request got no event";
	for (unsigned a = (unsigned)h->reqs[t].sub_act; a < h->nacts; a++)
		if (h->acts[a].kind == CF_ACT_OP && h->acts[a].op_kind == CF_OP_CLOSE &&
		    h->acts[a].a[CF_X_SLOT] == CF_AIO_CLOSE_DESTROY && h->acts[a].res == 0)
			return NULL;
	return "the program destroyed the request's context with io_destroy";
}

static const char *d34(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known);

	if (!known || res < 0)
		return "the cancel succeeded";
	if (t < 0 || h->reqs[t].req != CF_REQ_FUTEX_WAIT || !(h->reqs[t].sqe_flags & CF_SQE_SKIP) ||
	    !consumed_before(h, t, c))
		return "a futex_wait with IOSQE_CQE_SKIP_SUCCESS was submitted before the cancel ran";
	if (cqe_act(h, h->reqs[t].user_data, h->reqs[t].sub_act, NULL) >= 0)
		return "no CQE of its user_data came after it was submitted";
	return NULL;
}

static const char *d35(const struct cf_history *h, int c, int t)
{
	(void)c;
	if (t < 0 || h->reqs[t].req != CF_REQ_TIMEOUT_MULTI)
		return "the finding names a MULTISHOT timeout";
	if (cqe_act(h, h->reqs[t].user_data, 0, NULL) < 0 || !cf_cq_filled_before(h, h->reqs[t].user_data))
		return "as many CQEs as the CQ holds came, since the last reap, up to its final one";
	return NULL;
}

static const char *d36(const struct cf_history *h, int c, int t)
{
	unsigned n = 0, count;
	int updated = 0;

	(void)c;
	if (t < 0 || h->reqs[t].req != CF_REQ_TIMEOUT_MULTI)
		return "the finding names a MULTISHOT timeout";
	count = cf_req_qflags(h, (unsigned)t) >> CF_SQE_COUNT_SHIFT;
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].req == CF_REQ_TIMEOUT_UPDATE && cf_remove_key(h, i) == h->reqs[t].user_data &&
		    cqe_act(h, h->reqs[i].user_data, 0, res_zero) >= 0)
			updated = 1;
	for (unsigned k = 0; k < h->ncqes; k++)
		n += h->cqes[k].user_data == h->reqs[t].user_data;
	if (!updated || count == 0 || n <= count)
		return "an update of it succeeded, and it posted more CQEs than its count";
	return NULL;
}

/* c is a poll_update with UPDATE_EVENTS and ADD_MULTI that returned 0,
 * naming t, a single-shot poll whose CQEs (from c's act on) are one, with
 * a positive res and no F_MORE. */
/* Does a request of this kind never post a positive res (0 or an error:
 * a nop, connect, timer, msg_ring, futex_wait, waitid, remove)? */
static int never_positive(unsigned req)
{
	return req == CF_REQ_NOP || req == CF_REQ_CONNECT || req == CF_REQ_MSG_RING ||
	       req == CF_REQ_MSG_RING_SKIP || cf_is_timeout(req) || cf_is_futex_waitid(req) ||
	       cf_is_remove_kind(req);
}

static int timed_request(const struct cf_history *h, int k);

/* Was request k's slot closed before its SQE was consumed (not a fixed
 * file)? It fails -EBADF then (campaign seed 80, cde70e7c: closed between
 * its queue and the submit). */
static int closed_before_submit(const struct cf_history *h, unsigned k)
{
	const struct cf_req_rec *r = &h->reqs[k];

	if (r->slot_closed)
		return 1;
	for (int a = r->act; !r->fixed && a < r->sub_act; a++)
		if (h->acts[a].kind == CF_ACT_OP && h->acts[a].op_kind == CF_OP_CLOSE &&
		    h->acts[a].a[CF_X_SLOT] == r->slot && h->acts[a].res == 0)
			return 1;
	return 0;
}

/* Link timeout k posts no 1: no futex_wait or waitid has the user_data of
 * the request it guards, which its cancel searches for (D03; campaign
 * seed 77, cde70e7c: a nop's link timeout). */
static int lt_never_one(const struct cf_history *h, unsigned k)
{
	int p = timed_request(h, (int)k);

	if (!cf_is_link_timeout(h->reqs[k].req))
		return 0;
	for (unsigned i = 0; p >= 0 && i < h->nreqs; i++)
		if (cf_is_futex_waitid(h->reqs[i].req) && cf_has_sqe(&h->reqs[i]) &&
		    h->reqs[i].user_data == h->reqs[p].user_data)
			return 0;
	return 1;
}

static const char *d37(const struct cf_history *h, int c, int t)
{
	unsigned spec, n = 0, ok = 0, limit = UINT_MAX;

	if (c < 0 || h->reqs[c].req != CF_REQ_POLL_UPDATE)
		return "the finding names a poll_update";
	spec = cf_req_spec(h, (unsigned)c);
	if (!(spec & CF_PU_EVENTS) || !(spec & CF_PU_MULTI) || cqe_act(h, h->reqs[c].user_data, 0, res_zero) < 0)
		return "a poll_update with IORING_POLL_UPDATE_EVENTS | IORING_POLL_ADD_MULTI returned 0";
	if (t < 0 || h->reqs[t].req != CF_REQ_POLL || cf_remove_key(h, (unsigned)c) != h->reqs[t].user_data)
		return "the update named a single-shot poll";
	/* its CQEs: those of its user_data before another request with that
	 * user_data, one that can post a positive res, was consumed (seed
	 * 500; a waitid's is 0 or an error: seed 519, a nop's 0: seed 557;
	 * one on a slot closed before it was queued fails: seed 543) */
	for (unsigned k = 0; k < h->nreqs; k++)
		if ((int)k != t && (int)k != c && cf_has_sqe(&h->reqs[k]) &&
		    !never_positive(h->reqs[k].req) && !closed_before_submit(h, k) && !lt_never_one(h, k) &&
		    h->reqs[k].user_data == h->reqs[t].user_data &&
		    h->reqs[k].sub_act > h->reqs[t].sub_act && (unsigned)h->reqs[k].sub_act < limit)
			limit = (unsigned)h->reqs[k].sub_act;
	/* a poll's own CQEs carry its revents (> 0); another request of that
	 * user_data ends with an error (seed 503) */
	for (unsigned k = 0; k < h->ncqes; k++)
		if (h->cqes[k].user_data == h->reqs[t].user_data && h->cqes[k].act < limit &&
		    (h->cqes[k].res > 0 || (h->cqes[k].flags & CF_CQE_F_MORE))) {
			n++;
			ok += !(h->cqes[k].flags & CF_CQE_F_MORE);
		}
	return n == 1 && ok == 1 ? NULL : "the poll posted one CQE, with a positive res and no IORING_CQE_F_MORE";
}

static const char *d16(const struct cf_history *h, int c, int t)
{
	(void)t;
	return h->mode == CF_MODE_AIO && some_cancel(h, c, aio_einprogress_on_poll) ? NULL
		: "io_cancel of a pending IOCB_CMD_POLL returned -EINPROGRESS";
}

static const char *d17(const struct cf_history *h, int c, int t)
{
	(void)t;
	return h->mode == CF_MODE_AIO && some_cancel(h, c, aio_nothing_copied) ? NULL
		: "io_cancel canceled a poll (-EINPROGRESS) and copied no event into result";
}

static const char *d18(const struct cf_history *h, int c, int t)
{
	(void)t;
	return h->mode == CF_MODE_AIO && some_cancel(h, c, aio_einval_valid_args) ? NULL
		: "io_cancel with a mapped iocb and a live context returned -EINVAL";
}

static const char *d19(const struct cf_history *h, int c, int t)
{
	(void)t;
	return h->mode == CF_MODE_POSIX && some_cancel(h, c, px_mismatch_einval) ? NULL
		: "aio_cancel with an aiocb of another fd failed with EINVAL";
}

/* A link timeout that fired: -ETIME, or 1 when its cancel by user_data
 * counted a futex_wait or waitid (seed 189). */
static int lt_fired(int res) { return res == -ETIME || res == 1; }
static int is_ecanceled(int res) { return res == -ECANCELED; }
static int not_canceled(int res) { return !cf_canceled_res(res); }

/* Request p, the one link timeout k is linked behind in the same submit;
 * -1 when k is not an armed link timeout. */
static int timed_request(const struct cf_history *h, int k)
{
	int p;

	if (k < 0 || !cf_is_link_timeout(h->reqs[k].req) || h->reqs[k].sub_act < 0)
		return -1;
	p = sqe_before(h, k);
	return p >= 0 && cf_links_next(&h->reqs[p]) && h->reqs[p].sub_act == h->reqs[k].sub_act ? p : -1;
}

/* How many submitted requests (not cancels) have user_data ud. */
static int sharing(const struct cf_history *h, uint64_t ud)
{
	int n = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		n += h->reqs[i].req != CF_REQ_CANCEL && cf_has_sqe(&h->reqs[i]) && h->reqs[i].sub_act >= 0 &&
		     h->reqs[i].user_data == ud;
	return n;
}

/* How many final CQEs (no IORING_CQE_F_MORE) have user_data ud. */
static int finals_of(const struct cf_history *h, uint64_t ud)
{
	int n = 0;

	for (unsigned i = 0; i < h->ncqes; i++)
		n += h->cqes[i].user_data == ud && CF_CQE_FINAL(&h->cqes[i]);
	return n;
}

/* The submitted requests other than k with k's user_data and without
 * CQE_SKIP_SUCCESS: each posts one final CQE. */
static int loud_others(const struct cf_history *h, unsigned k)
{
	int n = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		n += i != k && cf_has_sqe(&h->reqs[i]) && h->reqs[i].sub_act >= 0 &&
		     h->reqs[i].user_data == h->reqs[k].user_data && !cf_req_skips(&h->reqs[i]);
	return n;
}

/* Did link timeout k fire: a CQE of -ETIME (or 1, its cancel of a futex
 * or waitid), or, with CQE_SKIP_SUCCESS, none at all (its cancel's success
 * posts nothing; pass-regress-silent-link-timeout-cancels-futex-sibling)? */
static int lt_fired_cqe(const struct cf_history *h, unsigned k)
{
	/* silent (CQE_SKIP_SUCCESS): no CQE of its user_data from its submit on
	 * (an earlier one is another request's: campaign seed 71), or no more
	 * final CQEs of it than the other requests of it without the flag,
	 * each of which posts one (campaign seed 77, 18afc33d: the siblings it
	 * canceled post theirs) */
	return cqe_act(h, h->reqs[k].user_data, 0, lt_fired) >= 0 ||
	       ((h->reqs[k].sqe_flags & CF_SQE_SKIP) &&
		(cqe_act(h, h->reqs[k].user_data, h->reqs[k].sub_act, NULL) < 0 ||
		 finals_of(h, h->reqs[k].user_data) <= loud_others(h, k)));
}

static const char *d30(const struct cf_history *h, int c, int t)
{
	int p = timed_request(h, t);

	(void)c;
	if (p < 0)
		return "the finding names a link timeout armed behind its request";
	if (cqe_act(h, h->reqs[t].user_data, 0, lt_fired) < 0)
		return "the link timeout expired (-ETIME, or 1 for a futex or waitid it canceled)";
	if (sharing(h, h->reqs[p].user_data) < 2)
		return "another request shares its request's user_data";
	return cqe_act(h, h->reqs[p].user_data, 0, is_ecanceled) >= 0 &&
	       cqe_act(h, h->reqs[p].user_data, 0, not_canceled) >= 0 ? NULL
		: "that user_data has one -ECANCELED CQE and one of a request that completed";
}

static const char *d31(const struct cf_history *h, int c, int t)
{
	(void)c;
	if (t < 0 || !cf_has_sqe(&h->reqs[t]) || h->reqs[t].sub_act < 0)
		return "the finding names the request";
	for (unsigned k = 0; k < h->nreqs; k++) {
		int p = timed_request(h, (int)k);

		if (p >= 0 && p != t && h->reqs[p].user_data == h->reqs[t].user_data &&
		    lt_fired_cqe(h, k))
			return cqe_act(h, h->reqs[t].user_data, 0, is_ecanceled) >= 0 ? NULL
				: "a -ECANCELED CQE of the request's user_data";
	}
	return "an expired link timeout of another request with the same user_data";
}

/* Was act a made by another thread than a0's, or in a race group? */
static int off_a0(const struct cf_history *h, int a)
{
	return a >= 0 && h->acts[a].kind == CF_ACT_OP && (h->acts[a].actor || h->acts[a].group);
}

/* D32, D33: the cancel and the request t it canceled were made by
 * different tasks (one of them on an actor's thread or in a race group),
 * and t got its canceled CQE only after the cancel's act. */
static const char *cross_task_late(const struct cf_history *h, int c, int t)
{
	int n = cf_ran_at(&h->reqs[c]), own;

	/* an SQE cancel held behind its chain runs, and posts, later: where its
	 * CQE came is where it ran, at the latest (and in whose act) */
	if (cf_has_sqe(&h->reqs[c]) && (own = cqe_act(h, h->reqs[c].user_data, 0, NULL)) > n)
		n = own;

	if (t < 0 || !cf_has_sqe(&h->reqs[t]) || h->reqs[t].sub_act < 0)
		return "the finding names the canceled request";
	/* on SQPOLL the SQ thread submits every request, whoever queued it */
	if (n < 0 || (!off_a0(h, n) && !off_a0(h, h->reqs[t].sub_act)) ||
	    (h->mode != CF_MODE_SQPOLL && off_a0(h, n) && off_a0(h, h->reqs[t].sub_act) &&
	     h->acts[n].actor == h->acts[h->reqs[t].sub_act].actor))
		return "the cancel and the request were made by different threads";
	return cqe_act(h, h->reqs[t].user_data, n + 1, cf_canceled_res) > n ? NULL
		: "a canceled CQE of the request after the cancel's act";
}

static const char *d32(const struct cf_history *h, int c, int t)
{
	return h->reqs[c].api != CF_CANCEL_SYNC ? cross_task_late(h, c, t) : "an SQE cancel";
}

static const char *d33(const struct cf_history *h, int c, int t)
{
	return h->reqs[c].api == CF_CANCEL_SYNC ? cross_task_late(h, c, t) : "a sync cancel";
}

static int is_eintr(int res) { return res == -EINTR; }

/* D45: an ALL (or ANY) cancel that succeeded, one of whose matches ended
 * -EINTR (interrupted while running in io-wq) after the cancel ran. */
static const char *d45(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known), n = cf_ran_at(&h->reqs[c]);

	(void)t;
	if (!known || res < 0 || !(h->reqs[c].cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)))
		return "an ALL or ANY cancel that succeeded";
	for (unsigned x = 0; x < h->nreqs; x++)
		if (cf_has_sqe(&h->reqs[x]) && h->reqs[x].req != CF_REQ_CANCEL &&
		    cf_cancel_matches(h, &h->reqs[c], &h->reqs[x]) &&
		    cqe_act(h, h->reqs[x].user_data, n, is_eintr) >= 0)
			return NULL;
	return "a match of the cancel ended -EINTR after it ran";
}

/* D41: request t was submitted by a task actor that a `wait exit` ended
 * before t's canceled CQE, and t is not a timeout in no link. */
static const char *d41(const struct cf_history *h, int c, int t)
{
	int at;

	(void)c;
	if (t < 0 || !cf_has_sqe(&h->reqs[t]) || h->reqs[t].sub_act < 0)
		return "the finding names the canceled request";
	/* the exit, then a canceled CQE of its user_data in or after it (an
	 * earlier one may be another request's: campaign seed 80, 2aa282fb) */
	at = cf_task_exit_of(h, t, (int)h->nacts - 1);
	if (at < 0 || cqe_act(h, h->reqs[t].user_data, at, cf_canceled_res) < 0)
		return "a task actor submitted it and a 'wait exit' ended that task before its canceled CQE";
	return cf_plain_timeout(h, t) ? "a request other than a timeout in no link" : NULL;
}

/* D54: request x (the cancel c, else t) posted -EFAULT after a 'wait exit'
 * ended the task actor that submitted it. */
static const char *d54(const struct cf_history *h, int c, int t)
{
	int x = t >= 0 ? t : c, at;

	if (x < 0 || !cf_has_sqe(&h->reqs[x]) || h->reqs[x].sub_act < 0)
		return "the finding names the failed request";
	at = cqe_act(h, h->reqs[x].user_data, h->reqs[x].sub_act, cf_efault_res);
	if (at < 0)
		return "the request posted -EFAULT";
	return cf_task_exit_of(h, x, at) >= 0 ? NULL
		: "a task actor submitted it and a 'wait exit' ended that task before its -EFAULT";
}

/* D55: a MULTISHOT timeout's user_data still expired (F_MORE) after the
 * teardown's last cancel. */
static const char *d55(const struct cf_history *h, int c, int t)
{
	(void)c;
	(void)t;
	for (unsigned i = 0; i < h->nreqs; i++)
		if (cf_rearming_multishot_timeout(h, i))
			return NULL;
	return "a MULTISHOT timeout whose user_data expired with F_MORE after the teardown's last cancel";
}

/* D47: request t was submitted by a task actor whose `wait exit` was an
 * exec, before t's canceled CQE. */
static const char *d47(const struct cf_history *h, int c, int t)
{
	int at;

	(void)c;
	if (t < 0 || !cf_has_sqe(&h->reqs[t]) || h->reqs[t].sub_act < 0)
		return "the finding names the canceled request";
	/* the exec, then a canceled CQE of its user_data in or after it (an
	 * earlier one may be another request's: campaign seed 72) */
	at = cf_task_exit_of(h, t, (int)h->nacts - 1);
	if (!cf_task_end_is_exec(h, at) || cqe_act(h, h->reqs[t].user_data, at, cf_canceled_res) < 0)
		return "a task actor submitted it and exec'd (wait exit n=2) before its canceled CQE";
	return NULL;
}

/* D46: cancel c returned -ENOENT, and t, an O_DIRECT request it matches,
 * posted its final CQE after c's CQE (SQE cancel) or after c's act (sync). */
static const char *d46(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known), cpos = -1, tpos = -1;

	if (!known || res != -ENOENT)
		return "a cancel that returned -ENOENT";
	if (t < 0 || !cf_req_is_direct(h->reqs[t].req) || !cf_cancel_matches(h, &h->reqs[c], &h->reqs[t]))
		return "an O_DIRECT request (readv_direct, writev_direct) the cancel matches";
	for (unsigned q = 0; q < h->ncqes; q++) {
		if (h->cqes[q].user_data == h->reqs[c].user_data && cpos < 0)
			cpos = (int)q;
		if (h->cqes[q].user_data == h->reqs[t].user_data && CF_CQE_FINAL(&h->cqes[q]))
			tpos = (int)q;
	}
	if (tpos < 0)
		return "the O_DIRECT request's final CQE";
	if (cf_has_sqe(&h->reqs[c]) ? tpos > cpos && cpos >= 0 : h->cqes[tpos].act > h->reqs[c].act)
		return NULL;
	return "the O_DIRECT request's CQE after the cancel's";
}

/* D57: request t ended -EINTR (interrupted in io-wq) in an act after
 * cancel c's. */
static const char *d57(const struct cf_history *h, int c, int t)
{
	int n = cf_ran_at(&h->reqs[c]);

	if (t < 0 || !cf_has_sqe(&h->reqs[t]) || h->reqs[t].sub_act < 0 || n < 0)
		return "the finding names the interrupted request";
	return cqe_act(h, h->reqs[t].user_data, n + 1, is_eintr) > n ? NULL
		: "an -EINTR CQE of the request after the cancel's act";
}

/* D56: sync cancel c returned 0, and t, which it matches, ended with a
 * result of its own (not canceled) by the time c returned. */
static const char *d56(const struct cf_history *h, int c, int t)
{
	int known, res = cancel_res(h, c, &known), at;

	if (h->reqs[c].api != CF_CANCEL_SYNC || !known || res != 0)
		return "a sync cancel that returned 0";
	if (t < 0 || !cf_has_sqe(&h->reqs[t]) || h->reqs[t].sub_act < 0 ||
	    !cf_cancel_matches(h, &h->reqs[c], &h->reqs[t]))
		return "a request the cancel matches";
	/* at any act after its submit: the wait ends once no cancel finds it
	 * (an O_DIRECT bio may still be in flight; DEFER_TASKRUN posts at
	 * a0's next GETEVENTS) */
	at = cqe_act(h, h->reqs[t].user_data, h->reqs[t].sub_act, not_canceled);
	if (at < 0 && (h->reqs[t].sqe_flags & CF_SQE_SKIP) &&
	    cqe_act(h, h->reqs[t].user_data, h->reqs[t].sub_act, cf_canceled_res) < 0)
		return NULL; /* it succeeded silently (CQE_SKIP_SUCCESS) */
	return at >= 0 ? NULL : "the request's own (not canceled) final CQE";
}

static const struct {
	const char *id;
	const char *(*holds)(const struct cf_history *h, int c, int t);
	int needs_cancel; /* the condition reads the cancel c (2: or a remove) */
} conditions[] = {
	{ "D01", d01, 1 }, { "D02", d02, 1 }, { "D03", d03, 1 }, { "D04", d04, 1 },
	{ "D05", d05, 1 }, { "D06", d06, 1 }, { "D07", d07, 1 }, { "D08", d08, 2 },
	{ "D09", d09, 1 }, { "D10", d10, 1 }, { "D11", d11, 1 }, { "D12", d12, 1 },
	{ "D13", d13, 0 }, { "D14", d14, 0 }, { "D15", d15, 1 }, { "D16", d16, 0 },
	{ "D17", d17, 0 }, { "D18", d18, 0 }, { "D19", d19, 0 }, { "D20", d20, 1 },
	{ "D21", d21, 1 }, { "D22", d22, 1 }, { "D23", d23, 1 }, { "D24", d24, 1 },
	{ "D25", d25, 1 }, { "D26", d26, 0 }, { "D27", d27, 1 }, { "D28", d28, 0 },
	{ "D29", d29, 0 }, { "D30", d30, 0 }, { "D31", d31, 0 }, { "D32", d32, 1 },
	{ "D33", d33, 1 }, { "D34", d34, 1 }, { "D35", d35, 0 }, { "D36", d36, 0 },
	{ "D37", d37, 2 }, { "D41", d41, 0 }, { "D45", d45, 1 }, { "D46", d46, 1 }, { "D47", d47, 0 },
	{ "D54", d54, 0 }, { "D55", d55, 0 }, { "D56", d56, 1 }, { "D57", d57, 1 },
};

int cf_divergence_has_condition(const char *id)
{
	for (size_t i = 0; id && i < sizeof(conditions) / sizeof(conditions[0]); i++)
		if (strcmp(conditions[i].id, id) == 0)
			return 1;
	return 0;
}

const char *cf_divergence_condition(const char *id, const struct cf_history *h, int c, int t)
{
	for (size_t i = 0; id && h && i < sizeof(conditions) / sizeof(conditions[0]); i++) {
		if (strcmp(conditions[i].id, id) != 0)
			continue;
		if (conditions[i].needs_cancel &&
		    (c < 0 || c >= (int)h->nreqs ||
		     (h->reqs[c].req != CF_REQ_CANCEL &&
		      !(conditions[i].needs_cancel == 2 && cf_is_remove_kind(h->reqs[c].req)))))
			return "the finding names the cancel it is about";
		if (t >= (int)h->nreqs)
			return "the finding names a request of the history";
		return conditions[i].holds(h, c, t);
	}
	return "the registry entry has a condition"; /* every entry needs one */
}
