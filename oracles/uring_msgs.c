/* IORING_OP_MSG_RING (cov3 branch): what a msg_ring request posts on the
 * ring it names, and its own result. io_uring_prep_msg_ring(3):
 *   "post a CQE on that ring where the target CQE res field will contain
 *    the content of len and the user_data of data"
 *   "Currently there are no valid flag modifiers, this field must contain 0."
 *   "-EBADFD The descriptor passed in fd does not refer to an io_uring file
 *    descriptor."
 * The executor sends data = cf_msg_ud(slot, op index) and len =
 * CF_MSG_LEN_BASE | op index, so each message names its sender; messages
 * posted on the second ring are recorded as if seen on ring 0. The other
 * passes never see a message (uring_view_ring0 hands them a copy of the
 * history without them): a message is no request's CQE.
 *
 * Cancel semantics: a MSG_RING of data posts its message and completes
 * while it is issued (io_msg_ring_data), so a cancel can find it only
 * while it waits in io-wq (IOSQE_ASYNC) or behind its chain; then it
 * ends -ECANCELED and posts no message. That is the ordinary reach rule of
 * the other passes; what is checked here is that a message comes exactly
 * when its sender succeeded. */
#include "uring.h"

#include <errno.h>

static int op_index_of(const struct cf_history *h, unsigned i)
{
	unsigned a = h->reqs[i].act;

	return a < h->nacts ? h->acts[a].op_index : -1;
}

static int is_msg_ring(unsigned req)
{
	return req == CF_REQ_MSG_RING || req == CF_REQ_MSG_RING_SKIP;
}

/* The msg_ring request that a message's user_data names, -1 none. */
static int sender_of(const struct cf_history *h, uint64_t ud)
{
	for (unsigned i = 0; i < h->nreqs; i++)
		if (is_msg_ring(h->reqs[i].req) && op_index_of(h, i) >= 0 &&
		    cf_msg_ud(h->reqs[i].slot, (unsigned)op_index_of(h, i)) == ud)
			return (int)i;
	return -1;
}

/* The results request i may end with, by the fd it names; 0 when any
 * (a fixed file, a slot closed at some point: its number may be reused). */
static int allowed_results(const struct model *m, unsigned i, int want[4], int *n)
{
	const struct cf_req_rec *r = R(m, (int)i);

	*n = 0;
	if (r->fixed || r->slot >= CF_SLOT__COUNT || r->slot_closed || m->closed_at[r->slot] >= 0)
		return 0;
	want[(*n)++] = -ECANCELED; /* in io-wq or behind its chain, a cancel or a failed link */
	if (r->slot == CF_SLOT_BADFD)
		want[(*n)++] = -EBADF;
	else if (!cf_slot_is_ring(r->slot))
		want[(*n)++] = -EBADFD;
	else if (r->req == CF_REQ_MSG_RING_SKIP) /* CQE_SKIP is for IORING_MSG_SEND_FD only */
		want[(*n)++] = -EINVAL;
	else
		want[(*n)++] = 0;
	return 1;
}

/* Judged only where nothing else can explain a result: no SQE flags (a
 * DRAIN may be refused -EOPNOTSUPP, a chain fail it, fixed files and
 * buffer selection change the fd), and a user_data no other request of
 * the program has (a shared one may carry another's CQE). Fuzzing found
 * each of these (cov3 campaigns). */
static int judged(const struct model *m, unsigned i)
{
	const struct cf_history *h = m->h;

	if (R(m, (int)i)->sqe_flags || m->r[i].ambiguous || cf_in_chain(h, i))
		return 0;
	for (unsigned k = 0; k < h->nreqs; k++)
		if (k != i && h->reqs[k].user_data == h->reqs[i].user_data)
			return 0;
	return 1;
}

static void check_result(struct model *m, unsigned i)
{
	const struct req_state *s = &m->r[i];
	int want[4], n, ok = 0;

	if (!s->done || !judged(m, i) || !allowed_results(m, i, want, &n))
		return;
	m->j->checks++;
	for (int k = 0; k < n; k++)
		ok |= s->final_res == want[k];
	/* run by the fallback task work after its task ended (D54; campaign
	 * seed 77, 26a53fa4: held by a DRAIN) */
	if (!ok && s->final_res == -EFAULT && cf_efault_after_exit(m->h, (int)i) >= 0)
		report_on(m, INV_DOCUMENTED_ERRORS, "task-exit-efault", 1, (int)i, -1,
			  "%s request %u, submitted by task a%u, failed -EFAULT after its task ended in act %d",
			  cf_req_name(R(m, (int)i)->req), i, m->h->acts[R(m, (int)i)->sub_act].actor,
			  cf_efault_after_exit(m->h, (int)i));
	else if (!ok)
		report(m, INV_MSG_RING_RESULT, NULL, 0,
		       "%s request %u (ud 0x%llx) to slot %s ended %d; only %d or -ECANCELED fit the fd it names",
		       cf_req_name(R(m, (int)i)->req), i, (unsigned long long)R(m, (int)i)->user_data,
		       cf_slot_name(R(m, (int)i)->slot), (int)s->final_res, want[1]);
}

/* Messages of request i in the full history h: how many, and the first
 * act one showed in (-1 none); a wrong res or flags is reported. */
static unsigned messages_of(struct model *m, const struct cf_history *h, unsigned i, int *first)
{
	int opi = op_index_of(m->h, i);
	uint64_t ud = cf_msg_ud(R(m, (int)i)->slot, (unsigned)opi);
	unsigned n = 0;

	*first = -1;
	for (unsigned c = 0; c < h->ncqes; c++) {
		const struct cf_cqe_rec *q = &h->cqes[c];

		if (q->user_data != ud)
			continue;
		if (*first < 0)
			*first = q->act;
		n++;
		if (q->res != (int32_t)(CF_MSG_LEN_BASE | (unsigned)opi) || q->flags != 0)
			report(m, INV_MSG_RING_DELIVERS, NULL, 0,
			       "the message of %s request %u after act %u has res %d flags 0x%x; it was sent with len %d and no flags",
			       cf_req_name(R(m, (int)i)->req), i, q->act, q->res, q->flags,
			       (int)(CF_MSG_LEN_BASE | (unsigned)opi));
	}
	return n;
}

static void check_delivery(struct model *m, const struct cf_history *h, unsigned i)
{
	const struct req_state *s = &m->r[i];
	const struct cf_req_rec *r = R(m, (int)i);
	int first, want, defer = m->h->mode == CF_MODE_DEFER;
	unsigned n = messages_of(m, h, i, &first);

	if (!judged(m, i))
		return; /* its CQE may be another request's, its result its chain's */

	if (!s->done) {
		/* no final CQE: a silent success (CQE_SKIP_SUCCESS) sends one
		 * message, anything else (lost CQEs) is judged elsewhere */
		if (n > 1)
			report(m, INV_MSG_RING_DELIVERS, NULL, 0,
			       "%u messages from %s request %u (ud 0x%llx) were posted; it sends one",
			       n, cf_req_name(r->req), i, (unsigned long long)r->user_data);
		return;
	}
	m->j->checks++;
	want = s->done && s->final_res == 0 && cf_slot_is_ring(r->slot) && r->req == CF_REQ_MSG_RING;
	if (n > 1 || (n == 1 && !want))
		report(m, INV_MSG_RING_DELIVERS, NULL, 0,
		       "%s request %u (ud 0x%llx, to %s) ended %d and %u messages from it were posted; one goes with success (0), none with a failure",
		       cf_req_name(r->req), i, (unsigned long long)r->user_data, cf_slot_name(r->slot),
		       (int)s->final_res, n);
	/* DEFER_TASKRUN: the message is task work of the target ring's
	 * submitter, run when it next asks for events; the harness does so
	 * for the second ring at the end only while its fd is open */
	/* DEFER_TASKRUN: the message is task work of the target's submitter,
	 * which the execution may end without running */
	else if (want && n == 0 && !defer)
		report(m, INV_MSG_RING_DELIVERS, NULL, 0,
		       "%s request %u (ud 0x%llx) succeeded (act %d), but no message of it reached %s",
		       cf_req_name(r->req), i, (unsigned long long)r->user_data, s->final_act,
		       cf_slot_name(r->slot));
	/* posted while it is issued, before its own CQE (io_post_aux_cqe):
	 * a message on ring 0 shows no later than its sender's CQE, unless
	 * it waits for a0's task work (DEFER_TASKRUN) */
	else if (want && n == 1 && r->slot == CF_SLOT_RING0 && !defer && first > s->final_act &&
		 !m->racy)
		report(m, INV_MSG_RING_DELIVERS, NULL, 0,
		       "%s request %u ended 0 after act %d, but its message on ring 0 showed only after act %d",
		       cf_req_name(r->req), i, s->final_act, first);
}

void uring_check_msgs(struct model *m, const struct cf_history *full)
{
	const struct cf_history *h = m->h;

	for (unsigned c = 0; c < full->ncqes; c++)
		/* the sender may be a request of the second ring (a thread1
		 * actor's msg_ring), which only the full history has */
		if (cf_is_msg_ud(full->cqes[c].user_data) && sender_of(full, full->cqes[c].user_data) < 0) {
			m->j->checks++;
			report(m, INV_MSG_RING_DELIVERS, NULL, 0,
			       "a message (ud 0x%llx, res %d) after act %u names no msg_ring request of the program",
			       (unsigned long long)full->cqes[c].user_data, full->cqes[c].res,
			       full->cqes[c].act);
		}
	for (unsigned i = 0; i < h->nreqs; i++) {
		if (!is_msg_ring(h->reqs[i].req) || op_index_of(h, i) < 0)
			continue;
		check_result(m, i);
		if (!full->cqes_lost)
			check_delivery(m, full, i);
	}
}
