/* The model of POSIX AIO cancelation (mode posix): aio_cancel(3) (page
 * 003). --spec doc reads the page literally; --spec kernel means the C
 * library's implementation (glibc: a request a helper thread has started
 * is not canceled; aio_cancel with an aiocb of another fd is -EINVAL).
 *
 * A request is "in progress before act n" when aio_read/aio_write/aio_fsync
 * accepted it before n and its "done" event is not before n. The targets
 * of a cancel are the in-progress requests it names: its aiocb's request
 * (when that is on the fd given), or with NULL every request on the fd.
 * Invariants: invariants.def; the skeleton it shares with the
 * native AIO oracle: family.c. */
#include <errno.h>
#include <string.h>

#include "aio_model.h"
#include "families.h"
#include "family.h"
#include "model.h"

#define AIO_CANCELED_RES 0
#define AIO_NOTCANCELED_RES 1
#define AIO_ALLDONE_RES 2

struct px_model {
	struct family f; /* first[] and count[]: the "done" events */
	uint8_t nnotes[CF_MAX_REQS][2]; /* signal, thread */
	int16_t first_note_act[CF_MAX_REQS];
	int16_t closed_at[CF_SLOT__COUNT];
};

static int done_act(const struct px_model *m, int i)
{
	return m->f.first[i] < 0 ? 0x7fff : m->f.h->cqes[m->f.first[i]].act;
}

static int done_err(const struct px_model *m, int i)
{
	return m->f.first[i] < 0 ? EINPROGRESS : (int)m->f.h->cqes[m->f.first[i]].res2;
}

/* Did request i end after act n's call returned (a race judge's placement,
 * CF_PX_DONE_AFTER_CALL, or at a later act)? During it? */
static int ended_after(const struct px_model *m, int i, int n)
{
	return done_act(m, i) > n ||
	       (done_act(m, i) == n && (m->f.h->cqes[m->f.first[i]].flags & CF_PX_DONE_AFTER_CALL));
}

static int ended_during(const struct px_model *m, int i, int n)
{
	return done_act(m, i) == n && !ended_after(m, i, n);
}

static int in_progress_before(const struct px_model *m, int i, int n)
{
	return family_submitted(R(m, i)) && R(m, i)->sub_act < n && done_act(m, i) >= n;
}

static int canceled_at(const struct px_model *m, int i, int n)
{
	return done_act(m, i) == n && done_err(m, i) == ECANCELED;
}

static void index_events(struct px_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned i = 0; i < CF_MAX_REQS; i++)
		m->first_note_act[i] = -1;
	for (unsigned c = 0; c < h->ncqes; c++) {
		const struct cf_cqe_rec *e = &h->cqes[c];
		int i = family_event_owner(&m->f, e);

		if (i < 0) {
			REPORT(m, INV_AIO_NOT_CANCELED_COMPLETES, NULL, 0,
			       "event after act %u for request %d, which was not accepted then",
			       e->act, e->req);
			continue;
		}
		if (e->source == CF_EV_DONE) {
			family_count_event(&m->f, i, c);
		} else {
			m->nnotes[i][e->source == CF_EV_THREAD]++;
			if (m->first_note_act[i] < 0)
				m->first_note_act[i] = (int16_t)e->act;
		}
	}
	cf_closes(h, m->closed_at);
}

/* Does cancel c (at act n) name request i? */
static int names(const struct px_model *m, int c, int i)
{
	const struct cf_req_rec *r = R(m, c);

	if (r->api == CF_PXC_NULL)
		return R(m, i)->fd_id == r->fd_id && r->fd_id >= 0;
	return i == r->target && R(m, i)->fd_id == r->fd_id;
}

/* 1: the fd passed is surely bad; 0: surely good; -1: cannot tell (the
 * aiocb's fd was closed later, and its number may have been reused). */
static int fd_bad(const struct px_model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	unsigned slot = r->slot;
	int n = r->act;

	if (r->fd_id < 0)
		return 1;
	if (r->api == CF_PXC_CB) {
		if (r->target < 0)
			return 1;
		slot = R(m, r->target)->slot;
	}
	return m->closed_at[slot] >= 0 && m->closed_at[slot] < n ? -1 : 0;
}

static void check_cancel(struct px_model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	int n = r->act, res = m->f.h->acts[n].res, bad = fd_bad(m, c);
	int ntargets = 0, ncanceled = 0, nleft = 0, mismatch;

	m->f.j->checks++;
	/* An aiocb never used names fd -1. */
	mismatch = r->api != CF_PXC_NULL && (r->target < 0 ? r->fd_id >= 0
						     : R(m, r->target)->fd_id != r->fd_id);
	if (res != AIO_CANCELED_RES && res != AIO_NOTCANCELED_RES && res != AIO_ALLDONE_RES &&
	    res != -EBADF && res != -ENOSYS) {
		if (res == -EINVAL && mismatch)
			REPORT_ON(m, INV_AIO_CANCEL_ERRORS, "aio-cancel-fd-mismatch-einval", 1, c, -1,
			       "aio_cancel request %d with an aiocb of another fd returned -EINVAL, which the page does not list", c);
		else
			REPORT(m, INV_AIO_CANCEL_ERRORS, NULL, 0,
			       "aio_cancel request %d returned %d", c, res);
		return;
	}
	if (bad == 1 && res != -EBADF)
		REPORT(m, INV_AIO_CANCEL_EBADF, NULL, 0,
		       "aio_cancel request %d with an invalid fd returned %d, not -1/EBADF", c, res);
	if (bad == 0 && res == -EBADF)
		REPORT(m, INV_AIO_CANCEL_EBADF, NULL, 0,
		       "aio_cancel request %d with a valid fd returned -1/EBADF", c);
	if (res < 0 || bad != 0)
		return;
	if (mismatch) {
		/* The page leaves another fd's aiocb open; glibc says -EINVAL. */
		REPORT_ON(m, INV_AIO_CANCEL_ERRORS, "aio-cancel-fd-mismatch-einval", 1, c, -1,
		       "aio_cancel request %d with an aiocb of another fd returned %d", c, res);
		return;
	}
	for (unsigned i = 0; i < m->f.h->nreqs; i++) {
		if (!names(m, c, (int)i) || !in_progress_before(m, (int)i, n))
			continue;
		ntargets++;
		ncanceled += canceled_at(m, (int)i, n);
		nleft += ended_after(m, (int)i, n);
		if (!canceled_at(m, (int)i, n) && ended_during(m, (int)i, n))
			REPORT(m, r->api == CF_PXC_NULL ? INV_AIO_CANCEL_NULL_ALL : INV_AIO_CANCEL_ONLY_AIOCB,
			       NULL, 0, "request %u, named by aio_cancel request %d, ended %d during the call",
			       i, c, done_err(m, (int)i));
	}
	/* The named aiocb, right after the call. */
	if (r->api != CF_PXC_NULL && r->target >= 0 && in_progress_before(m, r->target, n)) {
		m->f.j->checks++;
		if (canceled_at(m, r->target, n) && r->status_after != ECANCELED)
			REPORT(m, INV_AIO_CANCEL_STATUS, NULL, 0,
			       "aio_error() right after aio_cancel request %d canceled request %d gave %d, not ECANCELED",
			       c, r->target, r->status_after);
		/* In a race group the actor asks aio_error after its call, and a
		 * racing completion may have come in between: the final status
		 * then (docs/invariants.md, "Race groups"). */
		int late = m->f.h->acts[n].group && r->status_after == done_err(m, r->target);

		if (ended_after(m, r->target, n) && ((r->status_after != EINPROGRESS && !late) || r->cb_changed))
			REPORT(m, INV_AIO_CANCEL_INPROGRESS, NULL, 0,
			       "request %d, not canceled by aio_cancel request %d: aio_error() %d, aiocb %s",
			       r->target, c, r->status_after, r->cb_changed ? "changed" : "unchanged");
	}
	if (m->f.unsettled)
		return; /* "in progress" may have been caught half-way */
	if (res == AIO_ALLDONE_RES && ntargets > 0)
		REPORT(m, INV_AIO_CANCEL_ALLDONE, NULL, 0,
		       "aio_cancel request %d returned AIO_ALLDONE with %d of its requests in progress",
		       c, ntargets);
	if (res != AIO_ALLDONE_RES && ntargets == 0)
		REPORT(m, INV_AIO_CANCEL_ALLDONE, NULL, 0,
		       "aio_cancel request %d returned %d with none of its requests in progress",
		       c, res);
	if (res == AIO_CANCELED_RES && ntargets > 0 && ncanceled != ntargets)
		REPORT(m, INV_AIO_CANCEL_CANCELED, NULL, 0,
		       "aio_cancel request %d returned AIO_CANCELED but canceled %d of %d requests",
		       c, ncanceled, ntargets);
	if (res != AIO_CANCELED_RES && ntargets > 0 && nleft == 0 && ncanceled == ntargets)
		REPORT(m, INV_AIO_CANCEL_CANCELED, NULL, 0,
		       "aio_cancel request %d canceled all %d of its requests but returned %d",
		       c, ntargets, res);
	if (res == AIO_NOTCANCELED_RES && nleft == 0)
		REPORT(m, INV_AIO_CANCEL_NOTCANCELED, NULL, 0,
		       "aio_cancel request %d returned AIO_NOTCANCELED but left none of its requests running", c);
	if (res != AIO_NOTCANCELED_RES && nleft > 0)
		REPORT(m, INV_AIO_CANCEL_NOTCANCELED, NULL, 0,
		       "aio_cancel request %d returned %d but %d of its requests were still running",
		       c, res, nleft);
}

/* A canceled request needs a cancel that named it in the same act. */
static void check_causes(struct px_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned i = 0; i < h->nreqs; i++) {
		int n = done_act(m, (int)i), cause = 0;
		const struct cf_act_rec *act;

		if (!family_submitted(R(m, (int)i)) || done_err(m, (int)i) != ECANCELED || m->f.first[i] < 0)
			continue;
		m->f.j->checks++;
		act = &h->acts[n];
		cause = act->kind == CF_ACT_END_CANCEL ||
			(act->req >= 0 && R(m, act->req)->req == CF_REQ_CANCEL && names(m, act->req, (int)i));
		if (!cause)
			REPORT(m, INV_AIO_CANCEL_ONLY_AIOCB, NULL, 0,
			       "request %u ended ECANCELED after act %d, but no aio_cancel there named it", i, n);
		if (h->cqes[m->f.first[i]].res != -1)
			REPORT(m, INV_AIO_CANCEL_STATUS, NULL, 0,
			       "canceled request %u: aio_return() gave %d, not -1", i, h->cqes[m->f.first[i]].res);
	}
}

/* Every accepted request terminates once, notified the way its sigevent says. */
static void check_requests(struct px_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, (int)i);
		int canceled = done_err(m, (int)i) == ECANCELED;
		unsigned want_sig = r->sqe_flags == CF_PXN_SIGNAL, want_thr = r->sqe_flags == CF_PXN_THREAD;

		if (!family_submitted(r))
			continue;
		m->f.j->checks++;
		if (m->f.count[i] != 1 && !h->cqes_lost) {
			REPORT(m, INV_AIO_NOT_CANCELED_COMPLETES, NULL, 0,
			       "request %u (%s) terminated %u times", i,
			       cf_px_req_names[r->req % CF_PX_REQ__COUNT], m->f.count[i]);
			continue;
		}
		if (m->nnotes[i][0] != want_sig || m->nnotes[i][1] != want_thr ||
		    (m->first_note_act[i] >= 0 && m->first_note_act[i] < done_act(m, (int)i)))
			REPORT(m, canceled ? INV_AIO_CANCEL_NOTIFIES : INV_AIO_NOTIFY_KIND, NULL, 0,
			       "request %u (%s, notify %s%s) got %u signals and %u threads",
			       i, cf_px_req_names[r->req % CF_PX_REQ__COUNT],
			       cf_px_notify_names[r->sqe_flags % CF_PXN__COUNT],
			       canceled ? ", canceled" : "", m->nnotes[i][0], m->nnotes[i][1]);
	}
}

/* A request a cancel left running ends the usual way, not ECANCELED. */
static void check_not_canceled(struct px_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned c = 0; c < h->nreqs; c++) {
		const struct cf_req_rec *r = R(m, (int)c);
		int t = r->target, n = r->act;

		if (r->req != CF_REQ_CANCEL || r->api == CF_PXC_NULL || t < 0 ||
		    h->acts[n].res != AIO_NOTCANCELED_RES || !ended_after(m, t, n))
			continue;
		m->f.j->checks++;
		if (done_err(m, t) == ECANCELED)
			REPORT(m, INV_AIO_NOT_CANCELED_COMPLETES, NULL, 0,
			       "request %d, not canceled by aio_cancel request %u, later ended ECANCELED", t, c);
	}
}

/* The program's own aio_error / aio_return calls. */
static void check_status_calls(struct px_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned a = 0; a < h->nacts && !m->f.unsettled; a++) {
		const struct cf_act_rec *act = &h->acts[a];
		int t = -1;

		/* -EBUSY: the harness made no call (an aiocb another actor of
		 * the group was submitting, posix_exec.c) */
		if (act->kind != CF_ACT_OP || act->op_kind != CF_OP_WAIT || act->res == -EBUSY ||
		    (act->a[CF_W_HOW] != CF_PXW_ERROR && act->a[CF_W_HOW] != CF_PXW_RETURN))
			continue;
		/* the last request made on this aiocb; one that was refused rewrote it */
		for (unsigned i = 0; i < h->nreqs; i++)
			if (R(m, (int)i)->req != CF_REQ_CANCEL && R(m, (int)i)->user_data == act->a[CF_W_N] &&
			    R(m, (int)i)->act < a)
				t = (int)i;
		if (t < 0 || !family_submitted(R(m, t)))
			continue;
		m->f.j->checks++;
		if (act->a[CF_W_HOW] == CF_PXW_ERROR && done_act(m, t) >= (int)a && act->res != EINPROGRESS)
			REPORT(m, INV_AIO_CANCEL_INPROGRESS, NULL, 0,
			       "aio_error (act %u) of request %d in progress gave %d", a, t, act->res);
		if (done_act(m, t) < (int)a && done_err(m, t) == ECANCELED &&
		    act->res != (act->a[CF_W_HOW] == CF_PXW_ERROR ? ECANCELED : -1))
			REPORT(m, INV_AIO_CANCEL_STATUS, NULL, 0,
			       "%s (act %u) of canceled request %d gave %d",
			       act->a[CF_W_HOW] == CF_PXW_ERROR ? "aio_error" : "aio_return", a, t, act->res);
	}
}

void cf_posix_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	static struct px_model m; /* one judgement at a time */

	memset(&m, 0, sizeof(m));
	family_start(&m.f, h, spec, j);
	index_events(&m);
	for (unsigned i = 0; i < h->nreqs; i++)
		if (R(&m, (int)i)->req == CF_REQ_CANCEL)
			check_cancel(&m, (int)i);
	check_causes(&m);
	check_requests(&m);
	check_not_canceled(&m);
	check_status_calls(&m);
	cf_judge_verdict(j);
}
