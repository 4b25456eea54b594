/* Behaviour feedback: what the kernel did in one history, as features the
 * engines steer by (not code coverage: which results, when, in which mode). */
#include "feedback.h"

#include <errno.h>

#include "model.h"

static unsigned res_class(int res)
{
	switch (res) {
	case 0: return 0;
	case 1: return 1;
	case -ENOENT: return 2;
	case -EALREADY: return 3;
	case -EINVAL: return 4;
	case -EBADF: return 5;
	case -ECANCELED: return 6;
	case -EINTR: return 7;
	case -ETIME: return 8;
	case -EAGAIN: return 9;
	}
	if (res > 1)
		return 10 + (res > 4);
	return 12 + ((unsigned)-res % 16);
}

static uint16_t mix(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	uint32_t x = a * 0x9e3779b1u ^ (b + 0x7f4a7c15u) * 0x85ebca6bu ^
		     (c + 0x165667b1u) * 0xc2b2ae35u ^ (d + 0x27d4eb2fu) * 0x27d4eb2du;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (uint16_t)x;
}

static void add(uint16_t *feat, unsigned *n, unsigned max, uint16_t f)
{
	for (unsigned i = 0; i < *n; i++)
		if (feat[i] == f)
			return;
	if (*n < max)
		feat[(*n)++] = f;
}

/* The fields of the queue op that made the request of user_data ud, minus
 * the target (which user_data it names is not a behaviour). */
static unsigned spec_class(const struct cf_history *h, uint64_t ud)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].user_data == ud && h->reqs[i].sub_act >= 0 && h->reqs[i].req < CF_REQ__COUNT) {
			const struct cf_act_rec *a = &h->acts[h->reqs[i].act];
			unsigned b = a->a[CF_Q_SLOT];

			if (cf_req_shape(h->reqs[i].req) != CF_SHAPE_TIMER)
				b &= ~(unsigned)CF_T_TARGET_MASK;
			return b | (a->a[CF_Q_FLAGS] >> CF_SQE_COUNT_SHIFT) << 8;
		}
	return 0;
}

unsigned cf_behaviour_features(const struct cf_history *h, uint16_t *feat, unsigned max)
{
	unsigned n = 0;

	for (unsigned c = 0; c < h->ncqes; c++) {
		const struct cf_cqe_rec *q = &h->cqes[c];
		unsigned kind = 255, delay = 0, flags = 0;

		for (unsigned i = 0; i < h->nreqs; i++)
			if (h->reqs[i].user_data == q->user_data && h->reqs[i].sub_act >= 0) {
				const struct cf_req_rec *r = &h->reqs[i];

				kind = r->req;
				delay = q->act > r->sub_act ? 1 + (q->act - r->sub_act > 2) : 0;
				flags = r->req == CF_REQ_CANCEL ? (r->cancel_flags & 0x3f) | (r->odd & CF_ODD_SKIP)
								: r->sqe_flags;
				break;
			}
		add(feat, &n, max, mix(1, kind | h->mode << 8, res_class(q->res) | delay << 8,
				       flags | (q->flags & 3) << 8 | (unsigned)q->source << 10 |
				       (unsigned)q->ring << 13)); /* ring 1: cov3 */
		/* remove, update and timer kinds: what their slot byte asks
		 * (duration, clock, flags) and a timer's count */
		if (kind < CF_REQ__COUNT && cf_req_shape(kind) != CF_SHAPE_SLOT && cf_mode_family(h->mode) == CF_FAMILY_URING)
			add(feat, &n, max, mix(6, kind | h->mode << 8, res_class(q->res) | (q->flags & 3) << 8,
					       spec_class(h, q->user_data)));
	}
	/* msg_ring messages (cov3 branch): which ring each was posted on, in
	 * which mode, and how long after its sender was submitted it showed
	 * (DEFER_TASKRUN holds it back as task work) */
	for (unsigned c = 0; c < h->ncqes && cf_mode_family(h->mode) == CF_FAMILY_URING; c++) {
		const struct cf_cqe_rec *q = &h->cqes[c];
		unsigned delay = 3;

		if (!cf_is_msg_ud(q->user_data))
			continue;
		for (unsigned i = 0; i < h->nreqs; i++)
			if ((h->reqs[i].req == CF_REQ_MSG_RING || h->reqs[i].req == CF_REQ_MSG_RING_SKIP) &&
			    h->reqs[i].sub_act >= 0 && cf_msg_ud(h->reqs[i].slot, (unsigned)h->acts[h->reqs[i].act].op_index) == q->user_data) {
				delay = q->act > h->reqs[i].sub_act ? 1 + (q->act - h->reqs[i].sub_act > 2) : 0;
				break;
			}
		add(feat, &n, max, mix(10, (unsigned)(q->user_data >> 8 & 0xff) | h->mode << 8, delay,
				       res_class(q->res)));
	}
	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		add(feat, &n, max, mix(2, act->kind | act->op_kind << 4 | h->mode << 8,
				       res_class(act->res), act->overflow));
		if (act->kind == CF_ACT_END_CANCEL)
			add(feat, &n, max, mix(3, h->mode, res_class(act->res), 0));
		/* AIO families: which iocb/aiocb a cancel named, how, and what it got */
		if (act->req >= 0 && h->reqs[act->req].req == CF_REQ_CANCEL &&
		    cf_mode_family(h->mode) != CF_FAMILY_URING)
			add(feat, &n, max, mix(5, h->mode, h->reqs[act->req].api |
					       h->reqs[act->req].cancel_flags << 4,
					       res_class(act->res) | (h->reqs[act->req].target >= 0) << 8));
	}
	add(feat, &n, max, mix(4, h->mode, h->ring_reset, h->nacts > 2 * CF_TEARDOWN_ROUNDS));
	/* A request with IOSQE_CQE_SKIP_SUCCESS (a cancel's odd=skip_success
	 * too) that posted nothing: it succeeded silently */
	for (unsigned i = 0; i < h->nreqs && cf_mode_family(h->mode) == CF_FAMILY_URING; i++) {
		const struct cf_req_rec *r = &h->reqs[i];
		int skip = r->req == CF_REQ_CANCEL ? r->api != CF_CANCEL_SYNC && (r->odd & CF_ODD_SKIP)
						   : !!(r->sqe_flags & CF_SQE_SKIP);
		int posted = 0;

		for (unsigned c = 0; c < h->ncqes && skip && !posted; c++)
			posted = h->cqes[c].user_data == r->user_data;
		if (skip && r->sub_act >= 0 && !posted)
			add(feat, &n, max, mix(7, r->req | h->mode << 8, r->cancel_flags & 0x3f, 0));
	}
	/* Actors (the actors branch): which kind of actor made each act and
	 * what it got (a task's exit status, a cancel on the second ring), and
	 * for each CQE of a request a task submitted, whether that task had
	 * ended by then (the exit's cancels, the kworker's task work). */
	if (cf_mode_family(h->mode) == CF_FAMILY_URING && h->program_len >= CF_HEADER_BYTES) {
		for (unsigned a = 0; a < h->nacts; a++) {
			const struct cf_act_rec *act = &h->acts[a];

			if (act->kind == CF_ACT_OP && act->actor)
				add(feat, &n, max, mix(9, cf_actor_kind(h->program[2], act->actor) |
							  act->op_kind << 2 | act->a[0] << 5,
						       res_class(act->res), h->mode));
		}
		for (unsigned c = 0; c < h->ncqes; c++)
			for (unsigned i = 0; i < h->nreqs; i++) {
				const struct cf_req_rec *r = &h->reqs[i];

				if (r->user_data != h->cqes[c].user_data || r->sub_act < 0 ||
				    !h->acts[r->sub_act].actor ||
				    cf_actor_kind(h->program[2], h->acts[r->sub_act].actor) != CF_ACTOR_TASK)
					continue;
				add(feat, &n, max, mix(8, r->req | h->mode << 8, res_class(h->cqes[c].res),
						       cf_task_exit_of(h, (int)i, h->cqes[c].act) >= 0));
				break;
			}
	}
	/* Race groups: the outcome class of each release, the order its calls
	 * ended in and what each returned, so the engines steer toward
	 * interleavings not seen yet (docs/fuzzing.md). */
	for (unsigned a = 0; a < h->nacts;) {
		uint32_t cls = 0;
		unsigned k = 0;

		while (a + k < h->nacts && h->acts[a + k].kind == CF_ACT_OP && h->acts[a + k].group &&
		       h->acts[a + k].group == h->acts[a].group)
			k++;
		if (k == 0) {
			a++;
			continue;
		}
		for (unsigned i = 0; i < k; i++)
			cls = cls * 0x01000193u ^ ((uint32_t)h->acts[a + i].op_index << 8 |
						   res_class(h->acts[a + i].res));
		add(feat, &n, max, mix(6, h->mode, cls, k));
		a += k;
	}
	return n;
}
