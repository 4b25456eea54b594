/* The model of Linux native AIO cancelation (mode aio): io_cancel(2)
 * (page 001) and Tracee's io_cancel page (page 004), at two levels. At
 * --spec doc the pages are read literally; at --spec kernel the oracle
 * expects what fs/aio.c does: io_cancel finds only requests with a cancel
 * method (IOCB_CMD_POLL) still in the context's active list, returns
 * -EINPROGRESS for them and posts their event (res 0) to the ring; anything
 * else it does not find is -EINVAL. Invariants: invariants.def; the
 * skeleton it shares with the POSIX oracle: family.c. */
#include <errno.h>
#include <string.h>

#include "aio_model.h"
#include "families.h"
#include "family.h"

struct aio_model {
	struct family f; /* first[] and count[]: every event, ring or copied */
	int16_t gen_start[CF_MAX_ACTS];   /* per act: the act that made the current context */
	int16_t destroyed_at[CF_MAX_ACTS]; /* per context start act: act of its io_destroy, -1 */
};

static int is_op(const struct cf_act_rec *a, unsigned kind)
{
	return a->kind == CF_ACT_OP && a->op_kind == kind;
}

/* Context lifetimes: act 0's context is the one made before the program;
 * each successful "io_setup" op starts another, each io_destroy ends one. */
static void map_contexts(struct aio_model *m)
{
	const struct cf_history *h = m->f.h;
	int start = 0;

	for (unsigned a = 0; a < h->nacts; a++)
		m->destroyed_at[a] = -1;
	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];
		int destroy = (is_op(act, CF_OP_CLOSE) && act->a[CF_X_SLOT] == CF_AIO_CLOSE_DESTROY) ||
			      act->kind == CF_ACT_END_DESTROY;

		m->gen_start[a] = (int16_t)start;
		if (destroy && act->res == 0 && m->destroyed_at[start] < 0)
			m->destroyed_at[start] = (int16_t)a;
		if (is_op(act, CF_OP_CLOSE) && act->a[CF_X_SLOT] == CF_AIO_CLOSE_SETUP &&
		    act->res == 0 && m->destroyed_at[start] >= 0)
			start = (int)a + 1; /* the new context serves the acts after this one */
	}
}

/* Is the context current at act n alive during it (not yet destroyed)? */
static int ctx_alive(const struct aio_model *m, int n)
{
	int d = m->destroyed_at[m->gen_start[n]];

	return d < 0 || d > n;
}

/* Submitted before act n to the context current at n, with no event before n. */
static int live_at(const struct aio_model *m, int t, int n)
{
	const struct cf_req_rec *r;
	int e;

	if (t < 0)
		return 0;
	r = R(m, t);
	e = m->f.first[t];
	if (!family_submitted(r) || r->sub_act >= n || m->gen_start[r->sub_act] != m->gen_start[n])
		return 0;
	return ctx_alive(m, n) && (e < 0 || m->f.h->cqes[e].act >= n);
}

/* The race horizon of act n (docs/invariants.md, "Race groups", mode
 * aio): for an act in a race group, its release (the first act after it in
 * no group, the `wait go`); else n. */
static int race_horizon(const struct aio_model *m, int n)
{
	const struct cf_history *h = m->f.h;

	while (n >= 0 && (unsigned)n + 1 < h->nacts && h->acts[n].kind == CF_ACT_OP && h->acts[n].group)
		n++;
	return n;
}

static int cancel_won(const struct aio_model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	int res = m->f.h->acts[r->act].res;

	return r->req == CF_REQ_CANCEL && r->api == CF_AIOT_IOCB && r->target >= 0 &&
	       m->f.h->acts[r->act].kind == CF_ACT_OP && (res == 0 || res == -EINPROGRESS);
}

/* Did an io_cancel racing act n (same race group) cancel request t? Its
 * win takes t off the active list at once; t's event may come much later,
 * or never if a racing io_destroy frees the ring first. */
static int racer_canceled(const struct aio_model *m, int t, int n)
{
	const struct cf_history *h = m->f.h;
	unsigned g = h->acts[n].group;
	int lo = n, hi = n;

	if (!g)
		return 0;
	while (lo > 0 && h->acts[lo - 1].kind == CF_ACT_OP && h->acts[lo - 1].group)
		lo--;
	while ((unsigned)hi + 1 < h->nacts && h->acts[hi + 1].kind == CF_ACT_OP && h->acts[hi + 1].group)
		hi++;
	for (int a = lo; a <= hi; a++)
		if (a != n && h->acts[a].group == g && h->acts[a].req >= 0 &&
		    cancel_won(m, h->acts[a].req) && R(m, h->acts[a].req)->target == t)
			return 1;
	return 0;
}

/* Live at n for sure: live, and for a cancel in a race group not ended by
 * its horizon. A poll that a racing write woke leaves the context's active
 * list (aio_poll_complete_work: list_del_init under ctx_lock) before its
 * event is in the ring, so an io_cancel in that window does not find it
 * though its event comes after the cancel returned. */
static int surely_live_at(const struct aio_model *m, int t, int n)
{
	int e, hz = race_horizon(m, n);

	if (!live_at(m, t, n) || racer_canceled(m, t, n))
		return 0;
	e = m->f.first[t];
	return hz == n || e < 0 || m->f.h->cqes[e].act > hz;
}

static void count_events(struct aio_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned c = 0; c < h->ncqes; c++) {
		const struct cf_cqe_rec *e = &h->cqes[c];
		int i = family_event_owner(&m->f, e);

		if (i == FAMILY_NO_REQUEST)
			REPORT(m, INV_AIO_EXACTLY_ONCE, NULL, 0,
			       "event ud=0x%llx res=%d after act %u belongs to no iocb of the program",
			       (unsigned long long)e->user_data, e->res, e->act);
		else if (i == FAMILY_NOT_ACCEPTED)
			REPORT(m, INV_AIO_EXACTLY_ONCE, NULL, 0,
			       "event for request %d after act %u, which io_submit did not accept then",
			       e->req, e->act);
		else
			family_count_event(&m->f, i, c);
	}
}

/* A copied result must be the target's event, and then the only one. */
static void check_copied(struct aio_model *m, int c, int n)
{
	const struct cf_history *h = m->f.h;

	for (unsigned e = 0; e < h->ncqes; e++) {
		const struct cf_cqe_rec *ev = &h->cqes[e];

		if (ev->source != CF_EV_COPIED || ev->act != n)
			continue;
		m->f.j->checks++;
		if (ev->req != R(m, c)->target)
			REPORT(m, INV_IO_CANCEL_RESULT, NULL, 0,
			       "io_cancel request %d copied the event of request %d, not of its iocb %d",
			       c, ev->req, R(m, c)->target);
	}
}

static int copied_at(const struct aio_model *m, int n)
{
	for (unsigned e = 0; e < m->f.h->ncqes; e++)
		if (m->f.h->cqes[e].source == CF_EV_COPIED && m->f.h->cqes[e].act == n)
			return 1;
	return 0;
}

static void check_cancel(struct aio_model *m, int c)
{
	const struct cf_req_rec *r = R(m, c);
	int n = r->act, res = m->f.h->acts[n].res, t = r->target;
	int badptr = r->api == CF_AIOT_BADPTR;
	int ctx_ok = !(r->cancel_flags & CF_AIOC_BADCTX) && ctx_alive(m, n);
	int found = r->api == CF_AIOT_IOCB && live_at(m, t, n) && R(m, t)->req == CF_AIO_POLL;
	/* in a race: a target its racer ended may or may not be found */
	int either = found && !surely_live_at(m, t, n);

	m->f.j->checks++;
	check_copied(m, c, n);
	if (res != 0 && res != -EAGAIN && res != -EFAULT && res != -EINVAL && res != -ENOSYS &&
	    res != -EINPROGRESS) {
		REPORT(m, INV_IO_CANCEL_ERRORS, NULL, 0,
		       "io_cancel request %d returned %d, not 0 or a listed error", c, res);
		return;
	}
	if ((r->cancel_flags & CF_AIOC_NULLRESULT) && res == -EFAULT && !badptr)
		REPORT(m, INV_IO_CANCEL_NULL_RESULT, NULL, 0,
		       "io_cancel request %d with result NULL failed with -EFAULT", c);
	if (badptr) {
		/* The kernel reads iocb->aio_key before it looks the context up. */
		if (res != -EFAULT && !(res == -EINVAL && !ctx_ok && m->f.spec == CF_SPEC_DOC))
			REPORT(m, INV_IO_CANCEL_EFAULT, NULL, 0,
			       "io_cancel request %d of an unmapped iocb returned %d, not -EFAULT", c, res);
		return;
	}
	if (!ctx_ok) {
		if (res != -EINVAL)
			REPORT(m, INV_IO_CANCEL_BAD_CTX, NULL, 0,
			       "io_cancel request %d with %s context returned %d, not -EINVAL", c,
			       (r->cancel_flags & CF_AIOC_BADCTX) ? "a bogus" : "a destroyed", res);
		return;
	}
	if (either && (res == -EAGAIN || res == -EINVAL))
		found = 0; /* the racer won: judged as not found */
	if (!found) {
		/* Finished, already canceled, never submitted, a copy, or no cancel method. */
		if (res == -EINVAL)
			REPORT_ON(m, INV_IO_CANCEL_EAGAIN, "io-cancel-einval-not-canceled", 1, c, -1,
			       "io_cancel request %d of an iocb it could not cancel returned -EINVAL, not -EAGAIN", c);
		else if (res != -EAGAIN)
			REPORT(m, INV_IO_CANCEL_EAGAIN, NULL, 0,
			       "io_cancel request %d of an iocb that was not cancelable returned %d", c, res);
		return;
	}
	/* A live IOCB_CMD_POLL: the kernel cancels it. */
	if (res == -EINPROGRESS) {
		REPORT_ON(m, INV_IO_CANCEL_RETURNS_0, "io-cancel-einprogress", 1, c, -1,
		       "io_cancel request %d canceled request %d and returned -EINPROGRESS, not 0", c, t);
		if (!(r->cancel_flags & CF_AIOC_NULLRESULT) && !copied_at(m, n))
			REPORT_ON(m, INV_IO_CANCEL_RESULT, "io-cancel-result-unused", 1, c, -1,
			       "io_cancel request %d left result untouched; request %d's event went to the ring", c, t);
	} else if (res == 0) {
		if (!(r->cancel_flags & CF_AIOC_NULLRESULT) && !copied_at(m, n))
			REPORT(m, INV_IO_CANCEL_RESULT, NULL, 0,
			       "io_cancel request %d returned 0 but copied no event", c);
	} else if (!(res == -EFAULT && (r->cancel_flags & CF_AIOC_BADRESULT))) {
		REPORT(m, INV_IO_CANCEL_RETURNS_0, NULL, 0,
		       "io_cancel request %d of pending poll request %d returned %d", c, t, res);
	}
}

/* Every accepted iocb gets one event: in the ring or copied by io_cancel.
 * Requests of a context the program destroyed may get none. */
static void check_exactly_once(struct aio_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, (int)i);
		int d;

		if (!family_submitted(r))
			continue;
		m->f.j->checks++;
		d = m->destroyed_at[m->gen_start[r->sub_act]];
		if (m->f.count[i] > 1)
			REPORT(m, INV_AIO_EXACTLY_ONCE, NULL, 0,
			       "request %u (%s ud 0x%llx) got %u events", i, cf_aio_cmd_names[r->req % CF_AIO_CMD__COUNT],
			       (unsigned long long)r->user_data, m->f.count[i]);
		else if (m->f.count[i] == 0 && !(d >= 0 && h->acts[d].kind == CF_ACT_OP) && !h->cqes_lost)
			REPORT(m, INV_AIO_EXACTLY_ONCE, NULL, 0,
			       "request %u (%s ud 0x%llx) never got an event", i,
			       cf_aio_cmd_names[r->req % CF_AIO_CMD__COUNT], (unsigned long long)r->user_data);
		else if (m->f.count[i] == 0 && !h->cqes_lost) /* page 001 names no exception */
			REPORT_ON(m, INV_AIO_EXACTLY_ONCE, "destroyed-context-no-event", 1, -1, (int)i,
				  "request %u (%s ud 0x%llx) got no event: the program destroyed its context (act %d)",
				  i, cf_aio_cmd_names[r->req % CF_AIO_CMD__COUNT],
				  (unsigned long long)r->user_data, d);
	}
}

/* One submission is canceled at most once: after an io_cancel that
 * canceled it (0, or -EINPROGRESS, D16), any other io_cancel of it finds
 * nothing to cancel (-EAGAIN; -EINVAL at --spec kernel, D18). Checked on
 * the results alone, so no order of a race group can explain two wins
 * (seed 441). */
static void check_cancel_once(struct aio_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned c = 0; c < h->nreqs; c++) {
		if (!cancel_won(m, (int)c))
			continue;
		m->f.j->checks++;
		for (unsigned b = 0; b < c; b++)
			if (cancel_won(m, (int)b) && R(m, (int)b)->target == R(m, (int)c)->target) {
				REPORT(m, INV_IO_CANCEL_ONCE, NULL, 0,
				       "io_cancel requests %u and %u both report request %d canceled (%d, %d)",
				       b, c, R(m, (int)c)->target, h->acts[R(m, (int)b)->act].res,
				       h->acts[R(m, (int)c)->act].res);
				break;
			}
	}
}

/* A poll event with res 0 is a canceled poll: something must have canceled it. */
static void check_causes(struct aio_model *m)
{
	const struct cf_history *h = m->f.h;

	for (unsigned e = 0; e < h->ncqes; e++) {
		const struct cf_cqe_rec *ev = &h->cqes[e];
		int cause = 0;

		if (ev->req < 0 || R(m, ev->req)->req != CF_AIO_POLL || ev->res != 0)
			continue;
		m->f.j->checks++;
		for (unsigned a = 0; a <= ev->act && !cause; a++) {
			const struct cf_act_rec *act = &h->acts[a];
			const struct cf_req_rec *c = act->req >= 0 ? R(m, act->req) : NULL;

			cause = act->kind == CF_ACT_END_CANCEL ||
				(c && c->req == CF_REQ_CANCEL && c->target == ev->req &&
				 c->api == CF_AIOT_IOCB && (act->res == 0 || act->res == -EINPROGRESS));
		}
		if (!cause)
			REPORT(m, INV_IO_CANCEL_ONLY_TARGET, NULL, 0,
			       "poll request %d ended canceled (res 0) after act %u, but no io_cancel named its iocb",
			       ev->req, ev->act);
	}
}

/* io_getevents with timeout 0 takes what is there: min(available, nr). */
static void check_getevents(struct aio_model *m)
{
	const struct cf_history *h = m->f.h;
	int avail = 0, start = -1, debt = 0;
	unsigned e = 0;

	for (unsigned a = 0; a < h->nacts; a++) {
		const struct cf_act_rec *act = &h->acts[a];

		if (m->gen_start[a] != start) {
			start = m->gen_start[a];
			avail = 0; /* a new context, a new ring */
			debt = 0;
		}
		/* In a race group an io_getevents may take an event that the act
		 * order lists after it (a0 records events when it looks again, at
		 * the release): not checked exactly, and what it took ahead is
		 * paid by the next events recorded (debt). */
		if (is_op(act, CF_OP_WAIT) && ctx_alive(m, (int)a) && !m->f.unsettled && !act->group &&
		    (act->a[CF_W_HOW] == CF_AIOW_ZERO || act->a[CF_W_HOW] == CF_AIOW_SMALL)) {
			int nr = act->a[CF_W_HOW] == CF_AIOW_ZERO ? CF_AIO_GETEVENTS_NR : act->a[CF_W_N];
			int want = avail < nr ? avail : nr;

			m->f.j->checks++;
			/* -EINTR: a signal was pending (a POSIX AIO SIGEV_SIGNAL
			 * notification can arrive late); nothing was taken. */
			if (act->res == -EINTR)
				REPORT(m, INV_AIO_GETEVENTS_DRAINS, "getevents-eintr", 1,
				       "io_getevents (act %u, timeout 0) returned -EINTR with %d events completed",
				       a, avail);
			else if (act->res != want && act->res != -EINTR)
				REPORT(m, INV_AIO_GETEVENTS_DRAINS, NULL, 0,
				       "io_getevents (act %u, timeout 0, nr %d) returned %d with %d events completed",
				       a, nr, act->res, avail);
		}
		for (; e < h->ncqes && h->cqes[e].act == a; e++)
			if (h->cqes[e].source == CF_EV_RING) {
				if (debt > 0)
					debt--;
				else
					avail++;
			}
		if (is_op(act, CF_OP_WAIT) && act->res > 0 && act->a[CF_W_HOW] != CF_AIOW_GO)
			avail -= act->res; /* a release's res counts the calls it released */
		if (avail < 0 && act->group)
			debt += -avail;
		if (avail < 0)
			avail = 0;
	}
}

void cf_aio_oracle(const struct cf_history *h, enum cf_spec spec, struct cf_judgement *j)
{
	static struct aio_model m; /* large; one judgement at a time */

	memset(&m, 0, sizeof(m));
	family_start(&m.f, h, spec, j);
	map_contexts(&m);
	count_events(&m);
	for (unsigned i = 0; i < h->nreqs; i++)
		if (R(&m, (int)i)->req == CF_REQ_CANCEL)
			check_cancel(&m, (int)i);
	check_exactly_once(&m);
	check_cancel_once(&m);
	check_causes(&m);
	check_getevents(&m);
	cf_judge_verdict(j);
}
