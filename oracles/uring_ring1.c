/* The second ring (cov3 branch, issue 15 item 3): requests a thread1 actor
 * queued there, their CQEs (recorded with ring=1 by the act that read
 * them), and the cancels thread1 actors made there (no request record: the
 * act's res is the result). The passes for ring 0 never see any of it
 * (uring_view_ring0); this file judges it with the rules that need no
 * timing model:
 *
 * - exactly-once: every consumed request gets exactly one final CQE on its
 *   ring (the harness's ring-1 teardown submits what is left, cancels
 *   ANY|ALL and reads until none is owed), none for a user_data no request
 *   of that ring has, none before its SQE was consumed;
 * - cancels stay on their ring (000: the cancel searches the ring it is
 *   submitted to): a ring-1 request ends -ECANCELED only by a ring-1
 *   cancel that matches it, its chain, the teardown or the ring's close;
 *   a ring-0 cancel never is the cause;
 * - a ring-1 cancel's result: 0 (or a count) only when a request it
 *   matches ended -ECANCELED in its act or later, -ENOENT only when none it
 *   matches was pending (a request that ended -ECANCELED later, and that
 *   no earlier ring-1 cancel matched, was pending then).
 *
 * Requests in a chain, removes, updates and timers on ring 1 are judged
 * by exactly-once only (their cancels come from their chain). */
#include "uring.h"

#include <errno.h>
#include <string.h>

#include "families.h"
#include "racy.h"

static int on_ring1_actor(const struct cf_history *h, const struct cf_act_rec *a)
{
	uint8_t kinds = h->program_len >= CF_HEADER_BYTES ? h->program[2] : 0;

	return a->kind == CF_ACT_OP && a->actor && CF_ACTOR_ON_RING1(cf_actor_kind(kinds, a->actor));
}

/* The final CQE of ring-1 request i (the first one of its user_data on
 * ring 1 without F_MORE that no earlier request of that user_data took),
 * or -1. */
static int final_of(const struct cf_history *h, unsigned i)
{
	unsigned before = 0, seen = 0;

	for (unsigned k = 0; k < i; k++)
		before += h->reqs[k].ring && h->reqs[k].req != CF_REQ_CANCEL &&
			  h->reqs[k].user_data == h->reqs[i].user_data && h->reqs[k].sub_act >= 0;
	for (unsigned c = 0; c < h->ncqes; c++) {
		const struct cf_cqe_rec *q = &h->cqes[c];

		if (!q->ring || q->user_data != h->reqs[i].user_data || (q->flags & CF_CQE_F_MORE))
			continue;
		if (seen++ == before)
			return (int)c;
	}
	return -1;
}

static int ring1_simple(const struct cf_history *h, unsigned i)
{
	const struct cf_req_rec *r = &h->reqs[i];

	return cf_req_shape(r->req) == CF_SHAPE_SLOT && !cf_is_link_timeout(r->req) &&
	       !cf_is_timeout(r->req) && !(r->sqe_flags & (CF_SQE_LINK | CF_SQE_HARDLINK | CF_SQE_SKIP));
}

/* Does any ring-1 request link? Chains make -ECANCELED of their own. */
static int ring1_has_chain(const struct cf_history *h)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].ring && (h->reqs[i].sqe_flags & (CF_SQE_LINK | CF_SQE_HARDLINK)))
			return 1;
	return 0;
}

/* The cancel record act a stands for (as do_cancel builds it). */
static struct cf_req_rec cancel_of(const struct cf_act_rec *a)
{
	struct cf_req_rec c;
	uint8_t b = a->a[CF_C_FLAGS];

	memset(&c, 0, sizeof(c));
	c.req = CF_REQ_CANCEL;
	c.api = a->a[CF_C_API];
	c.slot = a->a[CF_C_SLOT];
	c.opreq = a->a[CF_C_OPREQ];
	c.odd = a->a[CF_C_ODD];
	c.key_ud = cf_ud_value(a->a[CF_C_UD]);
	c.cancel_flags = (b & 0x7fu) | ((b & 0x80u) ? (1u << 31) : 0) |
			 (c.api == CF_CANCEL_SQEFD ? CF_CANCEL_F_FD : 0);
	return c;
}

static void check_exactly_once(struct model *m, const struct cf_history *h, int ring1_closed)
{
	int skip = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		skip |= h->reqs[i].ring && (h->reqs[i].sqe_flags & CF_SQE_SKIP);
	for (unsigned c = 0; c < h->ncqes; c++) {
		const struct cf_cqe_rec *q = &h->cqes[c];
		int owner = 0, early = 1;

		if (!q->ring || cf_is_msg_ud(q->user_data))
			continue;
		for (unsigned i = 0; i < h->nreqs; i++)
			if (h->reqs[i].ring && h->reqs[i].user_data == q->user_data) {
				owner = 1;
				early &= h->reqs[i].sub_act < 0 || h->reqs[i].sub_act > (int)q->act;
			}
		m->j->checks++;
		if (!owner)
			report(m, INV_EXACTLY_ONCE, NULL, 0,
			       "a CQE on the second ring (ud 0x%llx, res %d, after act %u) belongs to no request of that ring",
			       (unsigned long long)q->user_data, q->res, q->act);
		else if (early)
			report(m, INV_EXACTLY_ONCE, NULL, 0,
			       "a CQE on the second ring (ud 0x%llx, res %d) showed after act %u, before any request of that user_data there was submitted",
			       (unsigned long long)q->user_data, q->res, q->act);
	}
	for (unsigned i = 0; i < h->nreqs; i++) {
		unsigned want = 0, got = 0;
		int first = 1;

		if (!h->reqs[i].ring || h->reqs[i].req == CF_REQ_CANCEL)
			continue;
		for (unsigned k = 0; k < i; k++) /* one check per user_data */
			first &= !(h->reqs[k].ring && h->reqs[k].user_data == h->reqs[i].user_data);
		if (!first)
			continue;
		for (unsigned k = i; k < h->nreqs; k++)
			want += h->reqs[k].ring && h->reqs[k].user_data == h->reqs[i].user_data &&
				h->reqs[k].sub_act >= 0;
		for (unsigned c = 0; c < h->ncqes; c++)
			got += h->cqes[c].ring && h->cqes[c].user_data == h->reqs[i].user_data &&
			       !(h->cqes[c].flags & CF_CQE_F_MORE);
		m->j->checks++;
		/* fewer final CQEs than requests: the second ring's teardown reads
		 * for 100 ms at most, and no cancel ends block I/O or a task's
		 * work; only an excess is judged (cov3 fuzzing) */
		(void)ring1_closed;
		(void)skip;
		if (got > want)
			report(m, INV_EXACTLY_ONCE, NULL, 0,
			       "the second ring's requests of ud 0x%llx: %u submitted, %u final CQEs by the end of its teardown",
			       (unsigned long long)h->reqs[i].user_data, want, got);
	}
}

/* A ring-1 request that ended -ECANCELED: was there a cause on its ring
 * by the act its CQE was read in? */
static void check_causes(struct model *m, const struct cf_history *h, unsigned last_act)
{
	if (ring1_has_chain(h))
		return;
	for (unsigned i = 0; i < h->nreqs; i++) {
		int c = h->reqs[i].ring && h->reqs[i].req != CF_REQ_CANCEL && ring1_simple(h, i) ? final_of(h, i) : -1;
		int cause = 0;

		if (c < 0 || h->cqes[c].res != -ECANCELED)
			continue;
		m->j->checks++;
		if (h->cqes[c].act >= last_act || (m->closed_at[CF_SLOT_RING1] >= 0 &&
						   (unsigned)m->closed_at[CF_SLOT_RING1] <= h->cqes[c].act))
			continue; /* read at the teardown, or the ring was closed */
		for (unsigned a = 0; a <= h->cqes[c].act && !cause; a++) {
			struct cf_req_rec k;

			if (!on_ring1_actor(h, &h->acts[a]) || h->acts[a].op_kind != CF_OP_CANCEL ||
			    h->acts[a].res < 0 || h->reqs[i].sub_act < 0 || (unsigned)h->reqs[i].sub_act > a)
				continue;
			k = cancel_of(&h->acts[a]);
			cause = cf_cancel_matches(h, &k, &h->reqs[i]);
		}
		if (!cause)
			report(m, INV_NO_COLLATERAL, NULL, 0,
			       "request %u on the second ring (%s, ud 0x%llx) ended -ECANCELED after act %u, but no cancel on that ring matched it: a cancel of ring 0 reached it",
			       i, cf_req_name(h->reqs[i].req), (unsigned long long)h->reqs[i].user_data, h->cqes[c].act);
	}
}

/* Did a ring-1 cancel before act a, which did not fail, match request i?
 * Its -ECANCELED may then be that cancel's, read only later. */
static int taken_before(const struct cf_history *h, unsigned a, unsigned i)
{
	for (unsigned b = 0; b < a; b++) {
		struct cf_req_rec k;

		if (!on_ring1_actor(h, &h->acts[b]) || h->acts[b].op_kind != CF_OP_CANCEL ||
		    (h->acts[b].res < 0 && h->acts[b].res != -ETIME) || h->reqs[i].sub_act < 0 ||
		    (unsigned)h->reqs[i].sub_act > b)
			continue;
		k = cancel_of(&h->acts[b]);
		if (cf_cancel_matches(h, &k, &h->reqs[i]))
			return 1;
	}
	return 0;
}

static void check_cancels(struct model *m, const struct cf_history *h)
{
	int chains = ring1_has_chain(h);

	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *x = &h->acts[a];
		struct cf_req_rec k;
		unsigned matched = 0, taken_here = 0, taken_later = 0, pending_later = 0, odd = 0;
		int multi, res = x->res;

		if (!on_ring1_actor(h, x) || x->op_kind != CF_OP_CANCEL)
			continue;
		k = cancel_of(x);
		multi = !!(k.cancel_flags & (CF_CANCEL_F_ALL | CF_CANCEL_F_ANY));
		for (unsigned i = 0; i < h->nreqs; i++) {
			int c;

			if (!h->reqs[i].ring || h->reqs[i].req == CF_REQ_CANCEL || h->reqs[i].sub_act < 0 ||
			    (unsigned)h->reqs[i].sub_act > a || !cf_cancel_matches(h, &k, &h->reqs[i]))
				continue;
			matched++;
			odd |= !ring1_simple(h, i) || cf_req_runs_in_iowq(h->reqs[i].req, h->reqs[i].slot,
									  h->reqs[i].sqe_flags, h->iowq_files);
			c = final_of(h, i);
			if (c < 0 || (h->cqes[c].res != -ECANCELED && h->cqes[c].res != -EINTR) ||
			    h->cqes[c].act < a)
				continue;
			if (h->cqes[c].act == a)
				taken_here++;
			else
				taken_later++;
			if (h->cqes[c].act > a && h->cqes[c].res == -ECANCELED && !taken_before(h, a, i))
				pending_later++;
		}
		m->j->checks++;
		if (res < 0 && res != -ENOENT)
			continue; /* -EINVAL, -EALREADY, -EBADF: the fields and io-wq decide */
		if (res >= 0 && (res > 0 || !multi) && taken_here + taken_later == 0)
			report(m, INV_ENOENT, NULL, 0,
			       "act %u: a %s cancel on the second ring (a%u) returned %d, but no request of that ring it matches (%u) ended -ECANCELED: a cancel never reaches another ring's",
			       a, cf_cancel_api_name(x->a[CF_C_API]), x->actor, res, matched);
		else if (res == -ENOENT && pending_later && !chains && !odd)
			report(m, INV_ENOENT, NULL, 0,
			       "act %u: a %s cancel on the second ring (a%u) returned -ENOENT, but %u request(s) of that ring it matches were pending then (they ended -ECANCELED later)",
			       a, cf_cancel_api_name(x->a[CF_C_API]), x->actor, pending_later);
		/* no lower bound on an ALL/ANY count: a CQE on the second ring
		 * is read by whichever act reads next, so what one cancel read
		 * an earlier one may have canceled (cov3 fuzzing) */
	}
}

void uring_check_ring1(struct model *m, const struct cf_history *full)
{
	unsigned last = full->nacts ? full->nacts - 1 : 0;
	int closed = m->closed_at[CF_SLOT_RING1] >= 0;

	for (unsigned a = 0; a < full->nacts && !closed; a++) /* wait exit @a1 closes it too */
		closed = on_ring1_actor(full, &full->acts[a]) && full->acts[a].op_kind == CF_OP_WAIT &&
			 full->acts[a].a[CF_W_HOW] == CF_WAIT_EXIT && full->acts[a].res == 0;
	if (!full->cqes_lost)
		check_exactly_once(m, full, closed);
	check_causes(m, full, last);
	check_cancels(m, full);
}

/* The history the ring-0 passes judge: without msg_ring messages, and
 * without the second ring's requests and CQEs (requests renumbered). */
int uring_view_ring0(const struct cf_history *h, struct cf_history *out)
{
	int16_t map[CF_MAX_REQS];
	unsigned k = 0, n = 0;
	int any = 0;

	for (unsigned c = 0; c < h->ncqes; c++)
		any |= cf_is_msg_ud(h->cqes[c].user_data) || h->cqes[c].ring;
	for (unsigned i = 0; i < h->nreqs; i++)
		any |= h->reqs[i].ring;
	if (!any)
		return 0;
	*out = *h;
	for (unsigned c = 0; c < h->ncqes; c++)
		if (!cf_is_msg_ud(h->cqes[c].user_data) && !h->cqes[c].ring)
			out->cqes[k++] = h->cqes[c];
	out->ncqes = k;
	for (unsigned i = 0; i < h->nreqs; i++) {
		map[i] = h->reqs[i].ring ? -1 : (int16_t)n;
		if (!h->reqs[i].ring)
			out->reqs[n++] = h->reqs[i];
	}
	out->nreqs = n;
	for (unsigned a = 0; a < h->nacts; a++)
		if (h->acts[a].req >= 0)
			out->acts[a].req = map[h->acts[a].req];
	return 1;
}
