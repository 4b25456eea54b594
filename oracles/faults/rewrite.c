/* Fault injection, the rewriters: each edits one event of a recorded
 * history the way a kernel bug would have shown it (faults.def says which
 * promise each breaks), using the oracles' model predicates (model.h).
 * Every fault looks for its first opportunity in history order, so the
 * same history and fault give the same result. CQEs stay grouped by act
 * in CQ order, as the recorder writes them. */
#include "faults.h"

#include <errno.h>
#include <string.h>

#include "aio_model.h"
#include "model.h"

/* ---- reading the history ---- */

static unsigned ud_users(const struct cf_history *h, uint64_t ud)
{
	unsigned n = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		n += cf_has_sqe(&h->reqs[i]) && h->reqs[i].user_data == ud;
	return n;
}

/* The one request with an SQE that carries ud; -1 for none or several. */
static int owner(const struct cf_history *h, uint64_t ud)
{
	if (ud_users(h, ud) != 1)
		return -1;
	for (unsigned i = 0; i < h->nreqs; i++)
		if (cf_has_sqe(&h->reqs[i]) && h->reqs[i].user_data == ud)
			return (int)i;
	return -1;
}

/* Index of request i's final CQE (it must own its user_data), -1 none. */
static int final_cqe(const struct cf_history *h, unsigned i)
{
	for (unsigned c = 0; c < h->ncqes; c++)
		if (h->cqes[c].user_data == h->reqs[i].user_data && CF_CQE_FINAL(&h->cqes[c]))
			return (int)c;
	return -1;
}

static int is_program_cancel(const struct cf_history *h, unsigned i)
{
	return h->reqs[i].req == CF_REQ_CANCEL && h->acts[h->reqs[i].act].kind == CF_ACT_OP;
}

/* Where a cancel's result is: the act's res for sync, else its CQE's; NULL when it has none. */
static int32_t *cancel_res(struct cf_history *h, unsigned i)
{
	int c;

	if (!cf_has_sqe(&h->reqs[i]))
		return &h->acts[h->reqs[i].act].res;
	c = final_cqe(h, i);
	return c >= 0 ? &h->cqes[c].res : NULL;
}

/* Does act a call into the kernel, so that completions can be posted? */
static int enters_kernel(const struct cf_history *h, unsigned a)
{
	const struct cf_act_rec *act = &h->acts[a];

	if (act->kind != CF_ACT_OP)
		return 1;
	if (act->op_kind == CF_OP_WAIT)
		return act->a[CF_W_HOW] != CF_WAIT_REAP;
	return act->op_kind == CF_OP_CANCEL && act->a[CF_C_API] == CF_CANCEL_SYNC;
}

static int next_enter_after(const struct cf_history *h, int a)
{
	for (unsigned n = (unsigned)a + 1; n < h->nacts; n++)
		if (enters_kernel(h, n))
			return (int)n;
	return -1;
}

/* ---- editing the CQE list ---- */

static void remove_cqe(struct cf_history *h, unsigned c)
{
	memmove(&h->cqes[c], &h->cqes[c + 1], (h->ncqes - c - 1) * sizeof(h->cqes[0]));
	h->ncqes--;
}

/* Insert after every CQE of rec.act and before the next act's. */
static int insert_cqe(struct cf_history *h, struct cf_cqe_rec rec)
{
	unsigned at = 0;

	if (h->ncqes >= CF_MAX_CQES)
		return -1;
	while (at < h->ncqes && h->cqes[at].act <= rec.act)
		at++;
	memmove(&h->cqes[at + 1], &h->cqes[at], (h->ncqes - at) * sizeof(h->cqes[0]));
	h->cqes[at] = rec;
	h->ncqes++;
	return (int)at;
}

static void move_cqe(struct cf_history *h, unsigned c, int act)
{
	struct cf_cqe_rec rec = h->cqes[c];

	remove_cqe(h, c);
	rec.act = (uint16_t)act;
	insert_cqe(h, rec); /* one removed, so there is room */
}

/* ---- the faults: each returns the act it changed, or -1 ---- */

static int drop_cqe(struct cf_history *h)
{
	for (unsigned c = 0; c < h->ncqes; c++) {
		int i = owner(h, h->cqes[c].user_data);
		int act = h->cqes[c].act;

		if (i < 0 || !CF_CQE_FINAL(&h->cqes[c]) || h->reqs[i].req == CF_REQ_CANCEL ||
		    cf_links_next(&h->reqs[i]))
			continue;
		remove_cqe(h, c);
		return act;
	}
	return -1;
}

static int dup_cqe(struct cf_history *h)
{
	for (unsigned c = 0; c < h->ncqes; c++) {
		int i = owner(h, h->cqes[c].user_data);

		if (i < 0 || !CF_CQE_FINAL(&h->cqes[c]) || cf_req_is_multishot(h->reqs[i].req))
			continue;
		return insert_cqe(h, h->cqes[c]) < 0 ? -1 : h->cqes[c].act;
	}
	return -1;
}

static int ghost_cqe(struct cf_history *h)
{
	uint64_t ud = CF_UD_CANCEL_BASE | 0xff; /* a cancel of op 255: cannot exist */
	int act = next_enter_after(h, -1);

	for (unsigned k = CF_UD_POOL; k-- > 0;) /* the first unused pool value */
		if (ud_users(h, cf_ud_value(k)) == 0)
			ud = cf_ud_value(k);
	if (act < 0)
		return -1;
	return insert_cqe(h, (struct cf_cqe_rec){ .user_data = ud, .act = (uint16_t)act }) < 0
		       ? -1 : act;
}

static int cqe_before_sqe(struct cf_history *h)
{
	if (h->mode == CF_MODE_SQPOLL)
		return -1; /* there the CQ may legitimately run ahead of the SQ head */
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		int c;

		if (!cf_has_sqe(r) || r->req == CF_REQ_CANCEL || r->sub_act <= (int)r->act ||
		    cf_req_is_multishot(r->req) || owner(h, r->user_data) != (int)i)
			continue;
		c = final_cqe(h, i);
		if (c < 0)
			continue;
		move_cqe(h, (unsigned)c, r->act);
		return r->act;
	}
	return -1;
}

static int all_count_plus_one(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int32_t *res;

		if (h->reqs[i].req != CF_REQ_CANCEL ||
		    !(h->reqs[i].cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY)))
			continue;
		res = cancel_res(h, i);
		if (!res || *res < 0 || cf_ran_at(&h->reqs[i]) < 0)
			continue;
		(*res)++;
		return cf_ran_at(&h->reqs[i]);
	}
	return -1;
}

static int more_on_final(struct cf_history *h)
{
	for (unsigned c = 0; c < h->ncqes; c++) {
		int i = owner(h, h->cqes[c].user_data);

		if (i < 0 || !cf_req_is_multishot(h->reqs[i].req) || !CF_CQE_FINAL(&h->cqes[c]) ||
		    h->cqes[c].res != -ECANCELED)
			continue;
		h->cqes[c].flags |= CF_CQE_F_MORE;
		return h->cqes[c].act;
	}
	return -1;
}

static int late_cancel_cqe(struct cf_history *h)
{
	if (h->mode == CF_MODE_SQPOLL)
		return -1; /* submission timing is not observable there */
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		int c, later;

		if (!is_program_cancel(h, i) || !cf_has_sqe(r) || r->sub_act < 0 || cf_in_chain(h, i) ||
		    (r->odd & CF_ODD_ASYNC) || cf_drain_by(h, r->sub_act))
			continue;
		c = final_cqe(h, i);
		if (c < 0 || h->cqes[c].act != r->sub_act)
			continue;
		later = next_enter_after(h, r->sub_act);
		if (later < 0 || cf_overflow_between(h, r->sub_act, later))
			continue;
		move_cqe(h, (unsigned)c, later);
		return later;
	}
	return -1;
}

/* The first CQE of act n that ends, -ECANCELED, a request cancel i matches. */
static int canceled_target_in(const struct cf_history *h, unsigned i, int n)
{
	for (unsigned c = 0; c < h->ncqes; c++) {
		int t = owner(h, h->cqes[c].user_data);

		if (h->cqes[c].act != n || t < 0 || !CF_CQE_FINAL(&h->cqes[c]) ||
		    !cf_canceled_res(h->cqes[c].res) || h->reqs[t].req == CF_REQ_CANCEL ||
		    h->reqs[t].sub_act < 0 || h->reqs[t].sub_act > n ||
		    !cf_cancel_matches(h, &h->reqs[i], &h->reqs[t]))
			continue;
		return (int)c;
	}
	return -1;
}

static int canceled_as_success(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		const int32_t *res;
		int c;

		if (!is_program_cancel(h, i) || !cf_has_sqe(&h->reqs[i]) || h->reqs[i].sub_act < 0)
			continue;
		res = cancel_res(h, i);
		if (!res || *res < 0)
			continue;
		c = canceled_target_in(h, i, h->reqs[i].sub_act);
		if (c < 0)
			continue;
		h->cqes[c].res = 0;
		return h->cqes[c].act;
	}
	return -1;
}

static int sync_returns_early(struct cf_history *h)
{
	if (h->mode == CF_MODE_DEFER || h->mode == CF_MODE_SQPOLL)
		return -1; /* completions there may rightly come after the call */
	for (unsigned i = 0; i < h->nreqs; i++) {
		int n = (int)h->reqs[i].act, c;

		if (cf_has_sqe(&h->reqs[i]) || h->acts[n].res < 0 || n + 1 >= (int)h->nacts)
			continue;
		c = canceled_target_in(h, i, n);
		if (c < 0)
			continue;
		move_cqe(h, (unsigned)c, n + 1);
		return n + 1;
	}
	return -1;
}

/* Request t, in flight at act n, can be ended there instead: its only CQE
 * after n is its final one, no later program cancel matched it (whose result
 * would then be wrong too), it is in no chain and owns its user_data. Returns
 * its final CQE, -1 when it does not qualify. */
static int early_victim(const struct cf_history *h, unsigned t, int n, int before_req)
{
	const struct cf_req_rec *r = &h->reqs[t];
	int c;

	if (!cf_has_sqe(r) || r->req == CF_REQ_CANCEL || cf_is_link_timeout(r->req) || cf_in_chain(h, t) ||
	    owner(h, r->user_data) != (int)t || r->sub_act < 0 || r->sub_act > n ||
	    (r->sub_act == n && (int)t > before_req))
		return -1;
	c = final_cqe(h, t);
	if (c < 0 || h->cqes[c].act <= n)
		return -1;
	for (unsigned k = 0; k < h->ncqes; k++)
		if (h->cqes[k].user_data == r->user_data && h->cqes[k].act > n && (int)k != c)
			return -1;
	for (unsigned i = 0; i < h->nreqs; i++)
		if (is_program_cancel(h, i) && cf_ran_at(&h->reqs[i]) > n &&
		    cf_ran_at(&h->reqs[i]) <= h->cqes[c].act && cf_cancel_matches(h, &h->reqs[i], r))
			return -1;
	return c;
}

/* The victim's CQE moves to act n as -ECANCELED. The teardown cancel that had
 * counted it finds one request fewer. */
static void cancel_early(struct cf_history *h, unsigned c, int n)
{
	int was = h->cqes[c].act;

	if (cf_canceled_res(h->cqes[c].res))
		for (int a = was; a >= 0; a--)
			if (h->acts[a].kind == CF_ACT_END_CANCEL) {
				if (h->acts[a].res > 0)
					h->acts[a].res--;
				break;
			}
	h->cqes[c].res = -ECANCELED;
	h->cqes[c].flags = 0;
	move_cqe(h, c, n);
}

static int cancel_non_matching(struct cf_history *h)
{
	int16_t closed_at[CF_SLOT__COUNT];

	cf_closes(h, closed_at);
	for (unsigned i = 0; i < h->nreqs; i++) {
		const int32_t *res;
		int n = cf_ran_at(&h->reqs[i]);

		if (!is_program_cancel(h, i) || n < 0 || !(res = cancel_res(h, i)) || *res < 0)
			continue;
		for (unsigned t = 0; t < h->nreqs; t++) {
			int c = early_victim(h, t, n, (int)i);

			if (c < 0 || cf_cancel_matches(h, &h->reqs[i], &h->reqs[t]) ||
			    closed_at[h->reqs[t].slot] >= 0)
				continue;
			cancel_early(h, (unsigned)c, n);
			return n;
		}
	}
	return -1;
}

static int close_cancels(struct cf_history *h)
{
	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		if (act->kind != CF_ACT_OP || act->op_kind != CF_OP_CLOSE || act->res != 0)
			continue;
		for (unsigned t = 0; t < h->nreqs; t++) {
			const struct cf_req_rec *r = &h->reqs[t];
			int c = early_victim(h, t, (int)a, (int)h->nreqs);

			if (c < 0 || r->slot != act->a[CF_X_SLOT] || !cf_uses_file(r->req) || r->fixed ||
			    r->slot_closed)
				continue;
			cancel_early(h, (unsigned)c, (int)a);
			return (int)a;
		}
	}
	return -1;
}

/* The first program cancel whose result is `from` (plain: no ALL/ANY) gets `to`. */
static int change_cancel_res(struct cf_history *h, int from, int to, int plain_only, int program_only)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int32_t *res;

		if (h->reqs[i].req != CF_REQ_CANCEL || (program_only && !is_program_cancel(h, i)) ||
		    (plain_only && (h->reqs[i].cancel_flags &
				    (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY))))
			continue;
		res = cancel_res(h, i);
		if (!res || *res != from || cf_ran_at(&h->reqs[i]) < 0)
			continue;
		*res = to;
		return cf_has_sqe(&h->reqs[i]) ? h->cqes[final_cqe(h, i)].act : (int)h->reqs[i].act;
	}
	return -1;
}

static int link_timeout_early(struct cf_history *h)
{
	for (unsigned c = 0; c < h->ncqes; c++) {
		int i = owner(h, h->cqes[c].user_data);

		if (i < 0 || h->reqs[i].req != CF_REQ_LINK_TIMEOUT_LONG || !cf_behind_link(h, (unsigned)i) ||
		    !CF_CQE_FINAL(&h->cqes[c]) || h->cqes[c].res == -ETIME)
			continue;
		h->cqes[c].res = -ETIME;
		return h->cqes[c].act;
	}
	return -1;
}

/* ---- race faults: only a concurrent cancel can show them ---- */

/* The act a program cancel ran in, when that act is in a race group; -1. */
static int race_act(const struct cf_history *h, unsigned i)
{
	int a = cf_ran_at(&h->reqs[i]);

	return is_program_cancel(h, i) && a >= 0 && h->acts[a].kind == CF_ACT_OP && h->acts[a].group
		       ? a : -1;
}

/* The completion won, and the cancel says it won too. */
static int race_both_win(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int32_t *res;
		int t, c;

		if (h->reqs[i].req != CF_REQ_CANCEL || race_act(h, i) < 0 ||
		    (h->reqs[i].cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY | CF_CANCEL_F_FD)))
			continue;
		res = cancel_res(h, i);
		t = owner(h, h->reqs[i].key_ud);
		c = t >= 0 ? final_cqe(h, (unsigned)t) : -1;
		/* the race itself: the target's CQE not seen before the cancel's act */
		if (!res || *res != -ENOENT || c < 0 || h->cqes[c].res < 0 ||
		    h->cqes[c].act < race_act(h, i))
			continue;
		*res = 0;
		return cf_has_sqe(&h->reqs[i]) ? h->cqes[final_cqe(h, i)].act : race_act(h, i);
	}
	return -1;
}

/* The target ends twice: its own result and -ECANCELED, whichever won. */
static int race_two_terminal(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		struct cf_cqe_rec rec;
		int t, c;

		if (h->reqs[i].req != CF_REQ_CANCEL || race_act(h, i) < 0 ||
		    (h->reqs[i].cancel_flags & (CF_CANCEL_F_ANY | CF_CANCEL_F_FD)))
			continue;
		t = owner(h, h->reqs[i].key_ud);
		c = t >= 0 ? final_cqe(h, (unsigned)t) : -1;
		if (c < 0 || h->reqs[t].req == CF_REQ_CANCEL)
			continue;
		rec = h->cqes[c];
		rec.res = rec.res == -ECANCELED ? 0 : -ECANCELED;
		if (insert_cqe(h, rec) < 0)
			return -1;
		return rec.act;
	}
	return -1;
}

/* Mode aio: two io_cancels of one iocb, the later of which found nothing,
 * both say they canceled it. */
static int aio_cancel_twice_wins(struct cf_history *h)
{
	if (cf_mode_family(h->mode) != CF_FAMILY_AIO)
		return -1;
	for (unsigned c = 0; c < h->nreqs; c++) {
		const struct cf_req_rec *r = &h->reqs[c];
		int32_t *res = &h->acts[r->act].res;

		if (!is_program_cancel(h, c) || r->api != CF_AIOT_IOCB || r->target < 0 ||
		    (*res != -EINVAL && *res != -EAGAIN))
			continue;
		for (unsigned b = 0; b < c; b++) {
			const struct cf_req_rec *w = &h->reqs[b];
			int32_t won = h->acts[w->act].res;

			if (is_program_cancel(h, b) && w->api == CF_AIOT_IOCB && w->target == r->target &&
			    (won == 0 || won == -EINPROGRESS)) {
				*res = won;
				return r->act;
			}
		}
	}
	return -1;
}

/* ---- remove, update and timer kinds ---- */

/* The first remove/update request of shape `shape` (or any, when -1) whose
 * own final CQE says `from`: now `to`. */
/* A remove or update with one of the fields the cov3 branch added set
 * (CF_R_*, CF_U_*), and not sqe->ioprio. */
static int reserved_field_set(const struct cf_history *h, unsigned i)
{
	unsigned shape = cf_req_shape(h->reqs[i].req);

	if (cf_req_spec(h, i) & CF_T_BAD)
		return 0;
	return (shape == CF_SHAPE_REMOVE && (cf_req_spec(h, i) & CF_R__MASK)) ||
	       (shape == CF_SHAPE_UPDATE && (cf_req_qflags(h, i) & (CF_U_LEN | CF_U_ALLFLAGS)));
}

/* bad_only: 1 only removes with sqe->ioprio, 2 only those with a field of
 * reserved_field_set. */
static int change_remove_res(struct cf_history *h, int shape, int from, int to, int bad_only)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c;

		if (!cf_is_remove_kind(h->reqs[i].req) || owner(h, h->reqs[i].user_data) != (int)i ||
		    (shape >= 0 && cf_req_shape(h->reqs[i].req) != (unsigned)shape) ||
		    (bad_only == 1 && !(cf_req_spec(h, i) & CF_T_BAD)) ||
		    (bad_only == 2 && !reserved_field_set(h, i)) || (c = final_cqe(h, i)) < 0 ||
		    h->cqes[c].res != from)
			continue;
		h->cqes[c].res = to;
		return h->cqes[c].act;
	}
	return -1;
}

/* An update that got -ENOENT because its target timeout had already fired
 * (the target's -ETIME showed before the update's CQE): it reports 0. */
static int update_fired_success(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c, t;

		if (h->reqs[i].req != CF_REQ_TIMEOUT_UPDATE || owner(h, h->reqs[i].user_data) != (int)i ||
		    (c = final_cqe(h, i)) < 0 || h->cqes[c].res != -ENOENT ||
		    (t = owner(h, cf_remove_key(h, i))) < 0 || !cf_is_timeout(h->reqs[t].req))
			continue;
		for (unsigned k = 0; k < (unsigned)c; k++)
			if (h->cqes[k].user_data == h->reqs[t].user_data && h->cqes[k].res == -ETIME &&
			    CF_CQE_FINAL(&h->cqes[k])) {
				h->cqes[c].res = 0;
				return h->cqes[c].act;
			}
	}
	return -1;
}

/* A poll_update that re-armed its single-shot poll (0): the poll's final
 * CQE becomes -ECANCELED, posted in the update's act, as if the update had
 * removed it. */
static int update_cancels_poll(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c, t, tc;

		if (!cf_poll_update_rearms(h, i) || owner(h, h->reqs[i].user_data) != (int)i ||
		    (c = final_cqe(h, i)) < 0 || h->cqes[c].res != 0 ||
		    (t = owner(h, cf_remove_key(h, i))) < 0 || h->reqs[t].req != CF_REQ_POLL ||
		    (tc = final_cqe(h, (unsigned)t)) < 0 || h->cqes[tc].act <= h->cqes[c].act ||
		    h->acts[h->cqes[tc].act].kind != CF_ACT_OP)
			continue;
		h->cqes[tc].res = -ECANCELED;
		move_cqe(h, (unsigned)tc, h->cqes[c].act);
		return h->cqes[c].act;
	}
	return -1;
}

/* A cancel with odd=skip_success that posted nothing (it succeeded)
 * posts its success after all: a CQE of res 0 in the act that consumed it. */
static int skip_cancel_posts(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = &h->reqs[i];

		if (!is_program_cancel(h, i) || !cf_req_skips(r) || r->sub_act < 0 ||
		    (r->cancel_flags & CF_CANCEL_F_ALL) || cf_behind_link(h, i) || final_cqe(h, i) >= 0)
			continue;
		if (insert_cqe(h, (struct cf_cqe_rec){ .user_data = r->user_data, .res = 0,
						      .act = (uint16_t)r->sub_act }) < 0)
			return -1;
		return r->sub_act;
	}
	return -1;
}

/* The target of a successful TIMEOUT_REMOVE fires instead of ending canceled. */
static int removed_timeout_fires(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c, t, tc;

		if (h->reqs[i].req != CF_REQ_TIMEOUT_REMOVE || owner(h, h->reqs[i].user_data) != (int)i ||
		    (c = final_cqe(h, i)) < 0 || h->cqes[c].res != 0 ||
		    (t = owner(h, cf_remove_key(h, i))) < 0 || (tc = final_cqe(h, (unsigned)t)) < 0 ||
		    h->cqes[tc].res != -ECANCELED)
			continue;
		h->cqes[tc].res = -ETIME;
		return h->cqes[tc].act;
	}
	return -1;
}

static int timeout_expires_early(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		unsigned spec = cf_req_spec(h, i);
		int c;

		if (!((h->reqs[i].req == CF_REQ_TIMEOUT &&
		       (spec & (CF_T_TIME_MASK | CF_T_ABS | CF_T_BAD)) == CF_DURATIONS - 1 &&
		       (spec >> CF_T_CLOCK_SHIFT & 3) != CF_CLOCK_BOTH) ||
		      h->reqs[i].req == CF_REQ_TIMEOUT_LONG) ||
		    owner(h, h->reqs[i].user_data) != (int)i || (c = final_cqe(h, i)) < 0 ||
		    h->cqes[c].res != -ECANCELED)
			continue;
		h->cqes[c].res = -ETIME;
		return h->cqes[c].act;
	}
	return -1;
}

/* A cancel on the second ring reports success for what only ring 0 holds:
 * the first thread1 act whose cancel (no ALL or ANY) found nothing returns
 * 0 instead. */
static int cross_ring_cancel(struct cf_history *h)
{
	uint8_t kinds = h->program_len >= CF_HEADER_BYTES ? h->program[2] : 0;

	for (unsigned a = 0; a < h->nacts; a++) {
		struct cf_act_rec *x = &h->acts[a];

		if (x->kind == CF_ACT_OP && x->op_kind == CF_OP_CANCEL && x->actor &&
		    CF_ACTOR_ON_RING1(cf_actor_kind(kinds, x->actor)) && x->res == -ENOENT &&
		    !(x->a[CF_C_FLAGS] & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY))) {
			x->res = 0;
			return (int)a;
		}
	}
	return -1;
}

/* A timeout in no link whose task exited before it expired is canceled by
 * the exit: its -ETIME becomes -ECANCELED (docs/program-format.md, "Added
 * by the actors branch"). */
static int exit_cancels_plain_timeout(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c;

		if (!cf_plain_timeout(h, (int)i) || owner(h, h->reqs[i].user_data) != (int)i ||
		    (c = final_cqe(h, i)) < 0 || h->cqes[c].res != -ETIME ||
		    cf_task_exit_of(h, (int)i, h->cqes[c].act) < 0)
			continue;
		h->cqes[c].res = -ECANCELED;
		return h->cqes[c].act;
	}
	return -1;
}

/* The last F_MORE CQE of a counted MULTISHOT timeout that expired becomes
 * its final CQE; the real final one is never posted. */
static int multishot_timeout_short(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c, last = -1;

		if (h->reqs[i].req != CF_REQ_TIMEOUT_MULTI || owner(h, h->reqs[i].user_data) != (int)i ||
		    (cf_req_qflags(h, i) >> CF_SQE_COUNT_SHIFT) == 0 || (c = final_cqe(h, i)) < 0 ||
		    h->cqes[c].res != -ETIME)
			continue;
		for (int k = 0; k < c; k++)
			if (h->cqes[k].user_data == h->reqs[i].user_data)
				last = k;
		if (last < 0)
			continue;
		h->cqes[last].flags &= ~CF_CQE_F_MORE;
		memmove(&h->cqes[c], &h->cqes[c + 1], (h->ncqes - (unsigned)c - 1) * sizeof(h->cqes[0]));
		h->ncqes--;
		return h->cqes[last].act;
	}
	return -1;
}

static int etime_success_severs(struct cf_history *h)
{
	for (unsigned i = 1; i < h->nreqs; i++) {
		unsigned p = i - 1;
		int c, pc;

		if ((h->reqs[p].req != CF_REQ_TIMEOUT && h->reqs[p].req != CF_REQ_TIMEOUT_MULTI) ||
		    !(cf_req_spec(h, p) & CF_T_ETIME_SUCCESS) || !cf_links_next(&h->reqs[p]) ||
		    owner(h, h->reqs[p].user_data) != (int)p || owner(h, h->reqs[i].user_data) != (int)i ||
		    (pc = final_cqe(h, p)) < 0 || h->cqes[pc].res != -ETIME ||
		    (c = final_cqe(h, i)) < 0 || h->cqes[c].res == -ECANCELED)
			continue;
		h->cqes[c].res = -ECANCELED;
		return h->cqes[c].act;
	}
	return -1;
}

/* A ring-0 cancel that found nothing (-ENOENT) takes a request of the
 * second ring that it matches by user_data and that was pending then (it
 * ended -ECANCELED later): the cancel reports 0 and the request's
 * -ECANCELED shows in the cancel's act. */
static int ring0_cancel_reaches_ring1(struct cf_history *h)
{
	for (unsigned k = 0; k < h->nreqs; k++) {
		int32_t *res;
		int at;

		if (!is_program_cancel(h, k) || h->reqs[k].ring || !(res = cancel_res(h, k)) || *res != -ENOENT ||
		    (h->reqs[k].cancel_flags & ~(uint32_t)CF_CANCEL_F_USERDATA))
			continue;
		at = cf_has_sqe(&h->reqs[k]) ? h->cqes[final_cqe(h, k)].act : (int)h->reqs[k].act;
		for (unsigned i = 0; i < h->nreqs; i++) {
			for (unsigned c = 0; c < h->ncqes; c++) {
				if (!h->reqs[i].ring || h->reqs[i].req == CF_REQ_CANCEL ||
				    h->reqs[i].user_data != h->reqs[k].key_ud || h->reqs[i].sub_act < 0 ||
				    h->reqs[i].sub_act > at || !h->cqes[c].ring ||
				    h->cqes[c].user_data != h->reqs[i].user_data || h->cqes[c].res != -ECANCELED ||
				    (int)h->cqes[c].act <= at)
					continue;
				*res = 0;
				move_cqe(h, c, at);
				return at;
			}
		}
	}
	return -1;
}

/* A cancel that got -ENOENT for an O_DIRECT request still in flight (its
 * CQE comes later, D46) reports 0, as if it had canceled it; the request
 * still completes with its data. */
static int odirect_cancel_claims_success(struct cf_history *h)
{
	for (unsigned k = 0; k < h->nreqs; k++) {
		int32_t *res;
		int c;

		if (!is_program_cancel(h, k) || h->reqs[k].ring || !cf_has_sqe(&h->reqs[k]) ||
		    !(res = cancel_res(h, k)) || *res != -ENOENT || (c = final_cqe(h, k)) < 0)
			continue;
		for (unsigned t = 0; t < h->nreqs; t++) {
			int q = cf_req_is_direct(h->reqs[t].req) && h->reqs[t].user_data == h->reqs[k].key_ud
					? final_cqe(h, t) : -1;

			if (q > c && h->cqes[q].res >= 0 && owner(h, h->reqs[t].user_data) == (int)t) {
				*res = 0;
				return h->cqes[c].act;
			}
		}
	}
	return -1;
}

/* A task's exec (wait exit n=2) also cancels a request a0 submitted,
 * pending then: its -ECANCELED (the teardown's) moves to the exec's act. */
static int exec_cancels_others(struct cf_history *h)
{
	for (unsigned e = 0; e < h->nacts; e++) {
		const struct cf_act_rec *x = &h->acts[e];

		if (x->kind != CF_ACT_OP || x->op_kind != CF_OP_WAIT || x->a[CF_W_HOW] != CF_WAIT_EXIT ||
		    !cf_task_end_is_exec(h, (int)e) || x->res < 0)
			continue;
		for (unsigned t = 0; t < h->nreqs; t++) {
			int c = final_cqe(h, t);

			if (h->reqs[t].req == CF_REQ_CANCEL || h->reqs[t].sub_act < 0 ||
			    (unsigned)h->reqs[t].sub_act >= e || h->acts[h->reqs[t].sub_act].actor != 0 ||
			    owner(h, h->reqs[t].user_data) != (int)t || c < 0 || h->cqes[c].act <= e ||
			    h->cqes[c].res != -ECANCELED)
				continue;
			move_cqe(h, (unsigned)c, (int)e);
			return (int)e;
		}
	}
	return -1;
}

/* The first message a msg_ring posted is lost. */
static int msg_ring_message_lost(struct cf_history *h)
{
	for (unsigned c = 0; c < h->ncqes; c++)
		if (cf_is_msg_ud(h->cqes[c].user_data)) {
			int act = h->cqes[c].act;

			remove_cqe(h, c);
			return act;
		}
	return -1;
}

/* A msg_ring to an fd that is no ring succeeds. */
static int msg_ring_not_a_ring_ok(struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c;

		if (h->reqs[i].req != CF_REQ_MSG_RING || cf_slot_is_ring(h->reqs[i].slot) ||
		    owner(h, h->reqs[i].user_data) != (int)i || (c = final_cqe(h, i)) < 0 ||
		    h->cqes[c].res != -EBADFD)
			continue;
		h->cqes[c].res = 0;
		return h->cqes[c].act;
	}
	return -1;
}

int cf_fault_family(unsigned fault, enum cf_family fam)
{
	if (fault == CF_FAULT_AIO_CANCEL_TWICE_WINS)
		return fam == CF_FAMILY_AIO;
	return fam == CF_FAMILY_URING;
}

void cf_fault_apply(unsigned fault, struct cf_history *h)
{
	int act = -1;

	if (fault == CF_FAULT_NONE || fault >= CF_FAULT__COUNT)
		return;
	snprintf(h->fault, sizeof(h->fault), "%s", cf_fault_name(fault));
	if (!h->cqes_lost) {
		switch ((enum cf_fault)fault) {
		case CF_FAULT_DROP_CQE: act = drop_cqe(h); break;
		case CF_FAULT_DUP_CQE: act = dup_cqe(h); break;
		case CF_FAULT_GHOST_CQE: act = ghost_cqe(h); break;
		case CF_FAULT_CQE_BEFORE_SQE: act = cqe_before_sqe(h); break;
		case CF_FAULT_ALL_COUNT_PLUS_ONE: act = all_count_plus_one(h); break;
		case CF_FAULT_MORE_ON_FINAL: act = more_on_final(h); break;
		case CF_FAULT_LATE_CANCEL_CQE: act = late_cancel_cqe(h); break;
		case CF_FAULT_CANCELED_AS_SUCCESS: act = canceled_as_success(h); break;
		case CF_FAULT_CANCEL_NON_MATCHING: act = cancel_non_matching(h); break;
		case CF_FAULT_CLOSE_CANCELS: act = close_cancels(h); break;
		case CF_FAULT_EINVAL_ACCEPTED: act = change_cancel_res(h, -EINVAL, 0, 0, 1); break;
		case CF_FAULT_ENOENT_WHILE_PENDING: act = change_cancel_res(h, 0, -ENOENT, 1, 1); break;
		case CF_FAULT_PLAIN_RETURNS_ONE: act = change_cancel_res(h, 0, 1, 1, 1); break;
		case CF_FAULT_UNDOCUMENTED_ERRNO: act = change_cancel_res(h, -ENOENT, -EIO, 0, 0); break;
		case CF_FAULT_SYNC_RETURNS_EARLY: act = sync_returns_early(h); break;
		case CF_FAULT_LINK_TIMEOUT_EARLY: act = link_timeout_early(h); break;
		case CF_FAULT_RACE_BOTH_WIN: act = race_both_win(h); break;
		case CF_FAULT_RACE_TWO_TERMINAL: act = race_two_terminal(h); break;
		case CF_FAULT_AIO_CANCEL_TWICE_WINS: act = aio_cancel_twice_wins(h); break;
		case CF_FAULT_REMOVE_SUCCESS_MISSING:
			act = change_remove_res(h, CF_SHAPE_REMOVE, -ENOENT, 0, 0);
			break;
		case CF_FAULT_UPDATE_FIRED_SUCCESS: act = update_fired_success(h); break;
		case CF_FAULT_REMOVED_TIMEOUT_FIRES: act = removed_timeout_fires(h); break;
		case CF_FAULT_BAD_REMOVE_ACCEPTED: act = change_remove_res(h, -1, -EINVAL, 0, 1); break;
		case CF_FAULT_RESERVED_FIELD_ACCEPTED: act = change_remove_res(h, -1, -EINVAL, 0, 2); break;
		case CF_FAULT_TIMEOUT_EXPIRES_EARLY: act = timeout_expires_early(h); break;
		case CF_FAULT_MULTISHOT_TIMEOUT_SHORT: act = multishot_timeout_short(h); break;
		case CF_FAULT_ETIME_SUCCESS_SEVERS: act = etime_success_severs(h); break;
		case CF_FAULT_UPDATE_CANCELS_POLL: act = update_cancels_poll(h); break;
		case CF_FAULT_SKIP_CANCEL_POSTS: act = skip_cancel_posts(h); break;
		case CF_FAULT_EXIT_CANCELS_PLAIN_TIMEOUT: act = exit_cancels_plain_timeout(h); break;
		case CF_FAULT_CROSS_RING_CANCEL: act = cross_ring_cancel(h); break;
		case CF_FAULT_MSG_RING_MESSAGE_LOST: act = msg_ring_message_lost(h); break;
		case CF_FAULT_EXEC_CANCELS_OTHERS: act = exec_cancels_others(h); break;
		case CF_FAULT_ODIRECT_CANCEL_CLAIMS_SUCCESS: act = odirect_cancel_claims_success(h); break;
		case CF_FAULT_RING0_CANCEL_REACHES_RING1: act = ring0_cancel_reaches_ring1(h); break;
		case CF_FAULT_MSG_RING_NOT_A_RING_OK: act = msg_ring_not_a_ring_ok(h); break;
		case CF_FAULT_NONE:
		case CF_FAULT__COUNT: break;
		}
	}
	h->fault_act = (int16_t)act;
}
