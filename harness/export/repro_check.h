/* What a reproducer observed, and the checks that judge it.
 *
 * This file is two things at once: cancelfuzz export-c includes it to test
 * each check on the history it recorded, and copies its text verbatim into
 * every program it writes, which runs the same checks on what it observed.
 * So it includes only the C library and uses nothing of cancelfuzz.
 *
 * An act is one op of the program (act i is op i). Two pseudo acts follow:
 * act nacts, the teardown's submit of whatever SQEs the program left, and
 * act nacts + 1, the teardown's rounds of IORING_ASYNC_CANCEL_ANY|ALL sync
 * cancels (res[nacts + 1] is the first one's result). */
#ifndef REPRO_CHECK_H
#define REPRO_CHECK_H

#include <stdio.h>
#include <string.h>

#define OBS_MAX_ACTS 64
#define OBS_MAX_CQES 8192
#define OBS_MAX_RING1 256
#define OBS_CANCEL_UD 0xcf00000000000000ull /* user_data of the cancel SQE of op i: this | i */
#define OBS_ECANCELED 125
#define OBS_EINTR 4
#define OBS_ENOENT 2
#define OBS_EINVAL 22
#define OBS_EALREADY 114
#define OBS_ETIME 62
#define OBS_CQE_F_MORE 2 /* IORING_CQE_F_MORE */

struct obs_cqe {
	unsigned act;         /* first seen after this act */
	unsigned long long ud;
	int res;
	unsigned flags;       /* io_uring: the CQE's flags; native AIO: OBS_EV_COPIED or 0 */
	long long res2;       /* native AIO: io_event.res2 */
};
#define OBS_EV_COPIED 1 /* native AIO: the event io_cancel wrote into its result argument */
/* POSIX AIO: an event is a request (ud: the op that made it) finishing
 * (res: aio_return, res2: aio_error) or its notification arriving. */
#define OBS_PX_DONE 0x10
#define OBS_PX_SIGNAL 0x20
#define OBS_PX_THREAD 0x40
#define OBS_EBADF 9
#define OBS_ENOSYS 38
#define OBS_EINPROGRESS 115
#define OBS_NEVER 0x7fffffff

struct obs {
	unsigned nacts;                     /* the program's ops */
	int res[OBS_MAX_ACTS + 2];          /* each act's result (0 or -errno, or a count) */
	unsigned consumed[OBS_MAX_ACTS + 2]; /* SQEs the kernel had consumed by the end of the act */
	unsigned ncqes;
	struct obs_cqe cqe[OBS_MAX_CQES];   /* in CQ order */
	unsigned left;                      /* requests without a final CQE after the teardown */
	/* POSIX AIO, per act: */
	int fd[OBS_MAX_ACTS + 2];            /* the fd aio_cancel was given */
	int after[OBS_MAX_ACTS + 2];         /* aio_error of its aiocb right after aio_cancel, -1 */
	unsigned char changed[OBS_MAX_ACTS + 2]; /* aio_cancel changed the aiocb's public fields */
	unsigned char unsettled[OBS_MAX_ACTS + 2]; /* the act did not settle in time */
	/* io_uring: how many of cqe[] were in the CQ when the act's call
	 * returned (a0: when it looked right after) */
	unsigned seen_by[OBS_MAX_ACTS + 2];
	/* Programs with race groups: acts are numbered in the order they begin,
	 * which is not always the ops' order; op_of[act] is its op. */
	int renumbered;
	int op_of[OBS_MAX_ACTS + 2];
	/* io_uring: CQEs read from the second ring (thread1 actors), in the
	 * order read; res2 1 when its act lists them after ring 0's. No check
	 * reads them: they are the trace's. */
	unsigned nring1;
	struct obs_cqe ring1[OBS_MAX_RING1];
};

/* One cancel a check names: its op, and how its result is read. */
struct chk_cancel {
	int op;
	int sync;  /* io_uring_register_sync_cancel: the result is the op's; else its CQE's */
	int all;   /* ALL or ANY: the result is a count; else one request */
};

enum chk_kind {
	CHK_MANUAL = -1,    /* no automatic check: the trace is for a person to judge */
	CHK_RESULT,         /* the cancel's result breaks the rule `cond` */
	CHK_COUNT,          /* what cancels claimed vs requests that ended canceled */
	CHK_ENOENT_PENDING, /* -ENOENT while a request with `ud` was still pending */
	CHK_NO_CQE_BY,      /* a CQE the page promises by the end of act `by` is not there */
	CHK_LEFT,           /* requests still in flight after the ANY|ALL teardown */
	CHK_CANCELED_NOT_0, /* native AIO: io_cancel did cancel (an event of `ud` followed), but not 0 */
	CHK_NOT_COPIED,     /* native AIO: a successful io_cancel left its result buffer alone */
	CHK_CANCELED_BY,    /* a request with `ud` ended -ECANCELED by the end of act `by`,
			     * though no cancel of the program could match it */
	/* POSIX AIO: `ud` is the op that made a request; c[0].op an aio_cancel
	 * (or aio_error/aio_return) op; the rule is `cond`. */
	CHK_PX_CANCEL,      /* aio_cancel's result against the requests it names (`uds`) */
	CHK_PX_STATUS,      /* aio_error / aio_return of a request against its state */
	CHK_PX_NOTES,       /* request uds[0] finished once, notified the way `cond` says */
	CHK_PX_CAUSE,       /* request uds[0] ended ECANCELED at an act no cancel in c[] ran in */
	/* io_uring, by CQE: */
	CHK_NOT_CANCELED,   /* the cancel c[0] succeeded, but its matches (`uds`) ended otherwise in
			     * acts from..to, and fewer than it claimed ended -ECANCELED there */
	CHK_CQE_RULE,       /* a CQE of `uds` breaks the rule `cond` (multishot, exactly once,
			     * link timeout) */
	CHK_LATE_CQE,       /* the cancel c[0] (made by another thread than the request's, or
			     * racing in a group) succeeded, but no -ECANCELED CQE of uds[0]
			     * was in the CQ when the call of act `by` returned (the sync
			     * cancel, or the enter that submitted the cancel SQE); one
			     * came later (D32, D33) */
};

enum chk_cond {
	COND_NOT_0_OR_ERR, /* no multi-match flags: success must be 0 */
	COND_NOT_POSITIVE, /* ALL/ANY: success must be a positive count */
	COND_MORE_THAN_1,  /* without ALL at most the first match is canceled */
	COND_NOT_EINVAL,   /* an invalid field must give -EINVAL */
	COND_UNDOCUMENTED, /* an error the page does not list */
	COND_EINVAL,       /* native AIO: an iocb not canceled must give -EAGAIN, not -EINVAL */
	COND_NEVER_RAN,    /* a linked cancel SQE's own CQE is -ECANCELED: it never ran */
	/* native AIO io_cancel (CHK_RESULT): */
	COND_AIO_UNLISTED, /* not 0 nor an error the page lists (EAGAIN, EFAULT, EINVAL, ENOSYS;
			    * EINPROGRESS, D16) */
	COND_AIO_EFAULT,   /* result NULL ("no results"), a mapped iocb: -EFAULT */
	COND_AIO_NOT_EFAULT, /* an unmapped iocb on a live context: anything but -EFAULT */
	COND_AIO_NOT_EINVAL, /* a context that is not one: anything but -EINVAL */
	/* POSIX AIO aio_cancel (CHK_RESULT): */
	COND_PX_UNLISTED,  /* -1 with an errno the page does not list (it lists EBADF; ENOSYS) */
	COND_PX_NOT_EBADF, /* given fd -1, anything but -1/EBADF */
	COND_PX_EBADF,     /* given an open fd, -1/EBADF */
	/* CHK_PX_CANCEL: */
	COND_PX_ALLDONE,   /* AIO_ALLDONE exactly when none of its requests was in progress */
	COND_PX_CANCELED,  /* AIO_CANCELED exactly when it canceled every one in progress */
	COND_PX_NOTCANCELED, /* AIO_NOTCANCELED exactly when one is left running */
	COND_PX_ENDED_OTHER, /* a request it names finished during the call, not ECANCELED */
	COND_PX_LATER_CANCELED, /* AIO_NOTCANCELED, yet its request ended ECANCELED later */
	/* CHK_PX_STATUS: */
	COND_PX_AFTER_CANCELED,   /* aio_error right after the cancel of it: ECANCELED */
	COND_PX_AFTER_INPROGRESS, /* ... of one it left running: EINPROGRESS, aiocb unchanged */
	COND_PX_ERROR_INPROGRESS, /* aio_error op of a request in progress: EINPROGRESS */
	COND_PX_ERROR_CANCELED,   /* aio_error op of a canceled request: ECANCELED */
	COND_PX_RETURN_CANCELED,  /* aio_return op of a canceled request: -1 */
	COND_PX_EVENT_RETURN,     /* a canceled request's aio_return: -1 */
	/* CHK_PX_NOTES: the sigevent, + COND_PX_NOTIFY_NONE */
	COND_PX_NOTIFY_NONE, COND_PX_NOTIFY_SIGNAL, COND_PX_NOTIFY_THREAD,
	COND_PX_ONCE,             /* it finished exactly once */
	/* CHK_CQE_RULE: */
	COND_MORE_ON_CANCELED,  /* a -ECANCELED CQE with IORING_CQE_F_MORE */
	COND_MORE_ON_SINGLE,    /* IORING_CQE_F_MORE on a CQE of a single-shot request */
	COND_AFTER_FINAL,       /* a CQE after the final one (no F_MORE) of the request */
	COND_FOREIGN,           /* a CQE with a user_data no SQE of the program had */
	COND_BEFORE_SQE,        /* a CQE before the request's SQE (number `sqe`) was consumed */
	COND_UNCONSUMED,        /* fewer than `sqe` SQEs consumed by the end of the teardown */
	COND_LONG_TIMEOUT_FIRED, /* a 60 s link timeout ended -ETIME within the run */
	COND_TIMEOUT_AND_DONE,  /* the link timeout uds[0] ended -ETIME, but its request uds[1]
				 * completed with a result other than -ECANCELED/-EINTR */
	COND_TIMEOUT_SHARED_DONE, /* the link timeout uds[0] fired (-ETIME, or 1), yet more final CQEs
				 * of uds[1], the user_data its request shares with others,
				 * are not -ECANCELED/-EINTR than the `sqe` others can give */
	COND_FIRED_SINGLE,      /* a CQE of uds[0] with a positive res and no IORING_CQE_F_MORE:
				 * the poll a poll update with ADD_MULTI named fired single-shot */
};

enum chk_rel { REL_OVER /* claimed more than ended canceled */, REL_UNDER, REL_DIFFERENT };

struct chk {
	const char *invariant, *divergence, *page, *quote;
	const char *seen;          /* what cancelfuzz saw when it exported this program */
	int kind, cond, rel;
	struct chk_cancel c[4];
	unsigned nc;
	unsigned long long uds[8]; /* user_data of the requests it is about */
	unsigned nuds;
	int from, to;              /* CHK_COUNT: acts whose CQEs count */
	int by;                    /* CHK_NO_CQE_BY: the act by whose end the CQE is due */
	int sqe;                   /* CHK_NO_CQE_BY: -1, or the SQE (in submission order) that must
				    * have been consumed by `by` for the promise to apply */
	int canceled_only;         /* CHK_NO_CQE_BY: only a -ECANCELED/-EINTR CQE counts */
};

static int obs_canceled(int res)
{
	return res == -OBS_ECANCELED || res == -OBS_EINTR;
}

/* The cancel's result: the op's own for sync cancels, else its CQE's.
 * 0 when it has none (its CQE never came). */
static int obs_cancel_result(const struct obs *o, const struct chk_cancel *c, int *res)
{
	if (c->sync) {
		*res = o->res[c->op];
		return 1;
	}
	for (unsigned i = 0; i < o->ncqes; i++)
		if (o->cqe[i].ud == (OBS_CANCEL_UD | (unsigned long long)c->op)) {
			*res = o->cqe[i].res;
			return 1;
		}
	return 0;
}

static int chk_has_ud(const struct chk *k, unsigned long long ud)
{
	for (unsigned i = 0; i < k->nuds; i++)
		if (k->uds[i] == ud)
			return 1;
	return 0;
}

/* CQEs of the check's requests in acts from..to; if asked, only canceled
 * final ones (a -ECANCELED CQE with IORING_CQE_F_MORE ends nothing). */
static unsigned obs_count(const struct obs *o, const struct chk *k, int from, int to, int canceled)
{
	unsigned n = 0;

	for (unsigned i = 0; i < o->ncqes; i++)
		n += (int)o->cqe[i].act >= from && (int)o->cqe[i].act <= to &&
		     chk_has_ud(k, o->cqe[i].ud) &&
		     (!canceled || (obs_canceled(o->cqe[i].res) && !(o->cqe[i].flags & OBS_CQE_F_MORE)));
	return n;
}

/* "cancel at op 4", "sync cancel at op 7", or the teardown's. */
static const char *chk_who(const struct obs *o, const struct chk_cancel *c, char *buf, size_t n)
{
	if (c->op == (int)o->nacts + 1)
		return "the teardown's first sync ANY|ALL cancel";
	snprintf(buf, n, "%s at op %d", c->sync ? "sync cancel" : "cancel",
		 o->renumbered ? o->op_of[c->op] : c->op);
	return buf;
}

static const char *act_name(const struct obs *o, int act, char *buf, size_t n)
{
	if (act >= (int)o->nacts)
		snprintf(buf, n, "%s", act == (int)o->nacts ? "the teardown's submit" : "the teardown");
	else
		snprintf(buf, n, "op %d", o->renumbered ? o->op_of[act] : act);
	return buf;
}

/* The op act `act` is (a race group's acts begin at its release). */
static int obs_op(const struct obs *o, int act)
{
	return o->renumbered && act >= 0 && act < (int)o->nacts ? o->op_of[act] : act;
}

/* ---- POSIX AIO: a request is the op that made it ---- */

/* The act request u finished in (its first "done" event), OBS_NEVER if none;
 * *err its aio_error then, *ret its aio_return, *count how many it had. */
static int px_done(const struct obs *o, unsigned long long u, int *err, int *ret, unsigned *count)
{
	int act = OBS_NEVER;

	*err = OBS_EINPROGRESS;
	*ret = 0;
	*count = 0;
	for (unsigned i = 0; i < o->ncqes; i++) {
		if (o->cqe[i].ud != u || o->cqe[i].flags != OBS_PX_DONE)
			continue;
		if (!(*count)++) {
			act = (int)o->cqe[i].act;
			*err = (int)o->cqe[i].res2;
			*ret = o->cqe[i].res;
		}
	}
	return act;
}

/* Accepted before act n and not finished before it. */
static int px_in_progress_before(const struct obs *o, unsigned long long u, int n)
{
	int err, ret;
	unsigned count;

	return (int)u < n && o->res[u] == 0 && px_done(o, u, &err, &ret, &count) >= n;
}

static int px_unsettled(const struct obs *o)
{
	for (unsigned a = 0; a < o->nacts + 2; a++)
		if (o->unsettled[a])
			return 1;
	return 0;
}

static int px_broken(const struct chk *k, const struct obs *o, char *what, size_t n)
{
	int op = k->nc ? k->c[0].op : -1, res = op >= 0 ? o->res[op] : 0, err, ret, at;
	unsigned long long u = k->uds[0];
	/* the words name ops: a request by the op that made it */
	int opn = obs_op(o, op);
	unsigned long long un = (unsigned long long)obs_op(o, (int)u);
	unsigned count, ntargets = 0, ncanceled = 0, nleft = 0, nother = 0;

	switch (k->kind) {
	case CHK_PX_CANCEL:
		if (px_unsettled(o)) {
			snprintf(what, n, "an act did not settle in time: which requests were in progress is not known, not judged");
			return 0;
		}
		if (res < 0) {
			snprintf(what, n, "aio_cancel at op %d failed (%d): the rule does not apply", opn, res);
			return 0;
		}
		for (unsigned i = 0; i < k->nuds; i++) {
			if (!px_in_progress_before(o, k->uds[i], op))
				continue;
			at = px_done(o, k->uds[i], &err, &ret, &count);
			ntargets++;
			ncanceled += at == op && err == OBS_ECANCELED;
			nleft += at > op;
			nother += at == op && err != OBS_ECANCELED;
		}
		snprintf(what, n, "aio_cancel at op %d returned %d (0 AIO_CANCELED, 1 AIO_NOTCANCELED, 2 AIO_ALLDONE); of the requests it names %u were in progress, %u ended ECANCELED during the call, %u ended otherwise during it, %u were still running after it",
			 opn, res, ntargets, ncanceled, nother, nleft);
		switch (k->cond) {
		case COND_PX_ALLDONE:
			return (res == 2) != (ntargets == 0);
		case COND_PX_CANCELED:
			return (res == 0 && ntargets > 0 && ncanceled != ntargets) ||
			       (res != 0 && ntargets > 0 && nleft == 0 && ncanceled == ntargets);
		case COND_PX_NOTCANCELED:
			return (res == 1) != (nleft > 0);
		case COND_PX_ENDED_OTHER:
			return nother > 0;
		case COND_PX_LATER_CANCELED:
			at = px_done(o, u, &err, &ret, &count);
			snprintf(what, n, "aio_cancel at op %d returned %d; the request of op %llu ended %d after %s %d",
				 opn, res, un, err, at == OBS_NEVER ? "act" : "act", at);
			return res == 1 && at > op && at != OBS_NEVER && err == OBS_ECANCELED;
		}
		return 0;
	case CHK_PX_STATUS:
		at = px_done(o, u, &err, &ret, &count);
		switch (k->cond) {
		case COND_PX_AFTER_CANCELED:
			snprintf(what, n, "aio_cancel at op %d canceled the request of op %llu %s; aio_error right after gave %d, the page: ECANCELED (125)",
				 opn, un, at == op && err == OBS_ECANCELED ? "(it ended ECANCELED during the call)" : "(no: it did not end ECANCELED during the call)",
				 o->after[op]);
			return px_in_progress_before(o, u, op) && at == op && err == OBS_ECANCELED &&
			       o->after[op] != OBS_ECANCELED;
		case COND_PX_AFTER_INPROGRESS:
			snprintf(what, n, "aio_cancel at op %d left the request of op %llu %s; aio_error right after gave %d and the aiocb's fields %s; the page: EINPROGRESS (115), aiocb as it was",
				 opn, un, at > op ? "running" : "not running", o->after[op],
				 o->changed[op] ? "changed" : "did not change");
			return px_in_progress_before(o, u, op) && at > op &&
			       (o->after[op] != OBS_EINPROGRESS || o->changed[op]);
		case COND_PX_ERROR_INPROGRESS:
			snprintf(what, n, "aio_error at op %d of the request of op %llu, %s, gave %d; the page: EINPROGRESS (115)",
				 opn, un, at >= op ? "still in progress" : "finished", res);
			return !px_unsettled(o) && at >= op && o->res[u] == 0 && res != OBS_EINPROGRESS;
		case COND_PX_ERROR_CANCELED:
		case COND_PX_RETURN_CANCELED: {
			int want = k->cond == COND_PX_ERROR_CANCELED ? OBS_ECANCELED : -1;

			snprintf(what, n, "%s at op %d of the request of op %llu, %s, gave %d; the page: %d",
				 k->cond == COND_PX_ERROR_CANCELED ? "aio_error" : "aio_return", opn, un,
				 at < op && err == OBS_ECANCELED ? "canceled before" : "not canceled before", res, want);
			return !px_unsettled(o) && at < op && err == OBS_ECANCELED && res != want;
		}
		case COND_PX_EVENT_RETURN:
			snprintf(what, n, "the request of op %llu ended with aio_error %d and aio_return %d; the page: -1 once canceled",
				 un, err, ret);
			return at != OBS_NEVER && err == OBS_ECANCELED && ret != -1;
		}
		return 0;
	case CHK_PX_NOTES: {
		unsigned sig = 0, thr = 0, early = 0;

		at = px_done(o, u, &err, &ret, &count);
		for (unsigned i = 0; i < o->ncqes; i++) {
			if (o->cqe[i].ud != u)
				continue;
			sig += o->cqe[i].flags == OBS_PX_SIGNAL;
			thr += o->cqe[i].flags == OBS_PX_THREAD;
			early += o->cqe[i].flags != OBS_PX_DONE && (int)o->cqe[i].act < at;
		}
		if (k->cond == COND_PX_ONCE) {
			snprintf(what, n, "the request of op %llu finished %u times; the page: once", un, count);
			return count != 1 && o->res[u] == 0;
		}
		snprintf(what, n, "the request of op %llu (sigevent %s, aio_error %d at its end) got %u signals and %u threads, %u of them before it finished; the page: %s",
			 un, k->cond == COND_PX_NOTIFY_SIGNAL ? "SIGEV_SIGNAL" : k->cond == COND_PX_NOTIFY_THREAD ? "SIGEV_THREAD" : "SIGEV_NONE",
			 err, sig, thr, early,
			 k->cond == COND_PX_NOTIFY_SIGNAL ? "one signal" : k->cond == COND_PX_NOTIFY_THREAD ? "one thread" : "nothing");
		return count == 1 && (early > 0 || sig != (k->cond == COND_PX_NOTIFY_SIGNAL) ||
				      thr != (k->cond == COND_PX_NOTIFY_THREAD));
	}
	case CHK_PX_CAUSE: {
		int named;

		at = px_done(o, u, &err, &ret, &count);
		named = at == (int)o->nacts; /* the teardown cancels everything */
		for (unsigned i = 0; i < k->nc; i++)
			named |= k->c[i].op == at;
		snprintf(what, n, "the request of op %llu ended %d after act %d, where %s aio_cancel named it",
			 un, err, at, named ? "an" : "no");
		return at != OBS_NEVER && err == OBS_ECANCELED && !named;
	}
	}
	return 0;
}

/* io_uring: a CQE that breaks a rule about the CQEs of the check's requests. */
static int cqe_rule_broken(const struct chk *k, const struct obs *o, char *what, size_t n)
{
	unsigned long long u = k->uds[0];
	int final_seen = 0, lt_res = 1, req_res = 1;

	switch (k->cond) {
	case COND_UNCONSUMED:
		snprintf(what, n, "%u of the program's %d SQEs were consumed by the end of the teardown",
			 o->consumed[o->nacts + 1], k->sqe);
		return o->consumed[o->nacts + 1] < (unsigned)k->sqe;
	case COND_TIMEOUT_AND_DONE:
		for (unsigned i = 0; i < o->ncqes; i++) {
			if (o->cqe[i].flags & OBS_CQE_F_MORE)
				continue;
			if (o->cqe[i].ud == u && lt_res == 1)
				lt_res = o->cqe[i].res;
			if (o->cqe[i].ud == k->uds[1] && req_res == 1)
				req_res = o->cqe[i].res;
		}
		snprintf(what, n, "the link timeout with user_data 0x%llx ended %d, its request with user_data 0x%llx ended %d",
			 u, lt_res, k->uds[1], req_res);
		return lt_res == -OBS_ETIME && req_res != 1 && !obs_canceled(req_res);
	case COND_TIMEOUT_SHARED_DONE: {
		int done = 0, lt_seen = 0;

		for (unsigned i = 0; i < o->ncqes; i++) {
			if (o->cqe[i].flags & OBS_CQE_F_MORE)
				continue;
			if (o->cqe[i].ud == u && !lt_seen) {
				lt_res = o->cqe[i].res;
				lt_seen = 1;
			}
			done += o->cqe[i].ud == k->uds[1] && !obs_canceled(o->cqe[i].res);
		}
		snprintf(what, n, "the link timeout with user_data 0x%llx ended %d; %d CQEs of user_data 0x%llx completed otherwise than canceled, where the other requests sharing it can give %d",
			 u, lt_res, done, k->uds[1], k->sqe);
		/* fired: -ETIME, or 1 when its cancel by user_data counted a
		 * futex or waitid */
		return lt_seen && (lt_res == -OBS_ETIME || lt_res == 1) && done > k->sqe;
	}
	}
	for (unsigned i = 0; i < o->ncqes; i++) {
		const struct obs_cqe *q = &o->cqe[i];
		int more = !!(q->flags & OBS_CQE_F_MORE), mine = chk_has_ud(k, q->ud);
		char act[32];

		act_name(o, (int)q->act, act, sizeof(act));
		switch (k->cond) {
		case COND_MORE_ON_CANCELED:
			if (mine && more && q->res == -OBS_ECANCELED) {
				snprintf(what, n, "the CQE with user_data 0x%llx res -ECANCELED after %s has IORING_CQE_F_MORE",
					 q->ud, act);
				return 1;
			}
			break;
		case COND_MORE_ON_SINGLE:
			if (mine && more) {
				snprintf(what, n, "the CQE with user_data 0x%llx res %d after %s has IORING_CQE_F_MORE, though its request is single-shot",
					 q->ud, q->res, act);
				return 1;
			}
			break;
		case COND_AFTER_FINAL:
			if (mine && final_seen) {
				snprintf(what, n, "a CQE with user_data 0x%llx res %d after %s follows the request's final CQE",
					 q->ud, q->res, act);
				return 1;
			}
			final_seen |= mine && !more;
			break;
		case COND_FOREIGN:
			if (!mine && (q->ud & ~0xffull) != OBS_CANCEL_UD) {
				snprintf(what, n, "a CQE with user_data 0x%llx res %d after %s, a user_data no SQE of the program had",
					 q->ud, q->res, act);
				return 1;
			}
			break;
		case COND_BEFORE_SQE:
			if (mine && o->consumed[q->act] <= (unsigned)k->sqe) {
				snprintf(what, n, "a CQE with user_data 0x%llx res %d after %s, before its SQE was consumed",
					 q->ud, q->res, act);
				return 1;
			}
			break;
		case COND_FIRED_SINGLE:
			if (mine && !more && q->res > 0) {
				snprintf(what, n, "the CQE with user_data 0x%llx res %d after %s has no IORING_CQE_F_MORE: the poll stayed single-shot",
					 q->ud, q->res, act);
				return 1;
			}
			break;
		case COND_LONG_TIMEOUT_FIRED:
			if (mine && q->res == -OBS_ETIME) {
				snprintf(what, n, "the 60 s link timeout with user_data 0x%llx ended -ETIME after %s",
					 q->ud, act);
				return 1;
			}
			break;
		}
	}
	if (k->cond == COND_FOREIGN)
		snprintf(what, n, "every CQE has the user_data of an SQE of the program");
	else
		snprintf(what, n, "no CQE with user_data 0x%llx breaks the rule", u);
	return 0;
}

/* 1 when the observations break the check's promise; what gets what the
 * kernel did, in words. */
static int chk_broken(const struct chk *k, const struct obs *o, char *what, size_t n)
{
	const struct chk_cancel *c = &k->c[0];
	int res = 0, have = k->nc ? obs_cancel_result(o, c, &res) : 0;
	char who[64], act[32];
	unsigned got;

	chk_who(o, c, who, sizeof(who));

	what[0] = 0;
	switch (k->kind) {
	case CHK_RESULT:
		if (!have) {
			snprintf(what, n, "%s: its CQE never came", who);
			return 0;
		}
		switch (k->cond) {
		case COND_NOT_0_OR_ERR:
			snprintf(what, n, "%s (no ALL/ANY) returned %d; the page: 0 on success", who, res);
			return res > 0;
		case COND_NOT_POSITIVE:
			snprintf(what, n, "%s (ALL/ANY) returned %d; the page: a positive count on success",
				 who, res);
			return res == 0;
		case COND_MORE_THAN_1:
			snprintf(what, n, "%s (ANY without ALL) returned %d; the page: only the first match is canceled",
				 who, res);
			return res > 1;
		case COND_NOT_EINVAL:
			snprintf(what, n, "%s with an invalid field returned %d; the page: -EINVAL (-22)", who, res);
			return res != -OBS_EINVAL;
		case COND_UNDOCUMENTED:
			snprintf(what, n, "%s returned %d; the page lists -ENOENT, -EINVAL and -EALREADY", who, res);
			return res < 0 && res != -OBS_ENOENT && res != -OBS_EINVAL && res != -OBS_EALREADY &&
			       !(c->sync && res == -OBS_ETIME);
		case COND_EINVAL:
			snprintf(what, n, "io_cancel at op %d returned %d; the page: -EAGAIN (-11) when the iocb was not canceled",
				 obs_op(o, c->op), res);
			return res == -OBS_EINVAL;
		case COND_NEVER_RAN:
			snprintf(what, n, "%s (in a link chain) returned %d%s", who, res,
				 res == -OBS_ECANCELED ? ": it was canceled itself and never ran" : "");
			return res == -OBS_ECANCELED;
		case COND_AIO_UNLISTED:
			snprintf(what, n, "io_cancel at op %d returned %d; the page: 0, or -1 with EAGAIN, EFAULT, EINVAL or ENOSYS",
				 obs_op(o, c->op), res);
			return res != 0 && res != -11 && res != -14 && res != -OBS_EINVAL && res != -OBS_ENOSYS &&
			       res != -OBS_EINPROGRESS;
		case COND_AIO_EFAULT:
			snprintf(what, n, "io_cancel at op %d with result NULL returned %d; the page: NULL means no results are returned",
				 obs_op(o, c->op), res);
			return res == -14;
		case COND_AIO_NOT_EFAULT:
			snprintf(what, n, "io_cancel at op %d of an unmapped iocb returned %d; the page: -EFAULT (-14)",
				 obs_op(o, c->op), res);
			return res != -14;
		case COND_AIO_NOT_EINVAL:
			snprintf(what, n, "io_cancel at op %d on a context that is not one returned %d; the page: -EINVAL (-22)",
				 obs_op(o, c->op), res);
			return res != -OBS_EINVAL;
		case COND_PX_UNLISTED:
			snprintf(what, n, "aio_cancel at op %d returned %s%d; the page: AIO_CANCELED (0), AIO_NOTCANCELED (1), AIO_ALLDONE (2), or -1 with EBADF",
				 obs_op(o, c->op), res < 0 ? "-1 with errno " : "", res < 0 ? -res : res);
			return res != 0 && res != 1 && res != 2 && res != -OBS_EBADF && res != -OBS_ENOSYS;
		case COND_PX_NOT_EBADF:
			snprintf(what, n, "aio_cancel at op %d with fd %d returned %d; the page: -1 with EBADF (-9)",
				 obs_op(o, c->op), o->fd[c->op], res);
			return o->fd[c->op] == -1 && res != -OBS_EBADF;
		case COND_PX_EBADF:
			snprintf(what, n, "aio_cancel at op %d with the open fd %d returned %d (-1 with EBADF)",
				 obs_op(o, c->op), o->fd[c->op], res);
			return o->fd[c->op] >= 0 && res == -OBS_EBADF;
		}
		return 0;
	case CHK_COUNT: {
		int claimed = 0, ok = 1;

		for (unsigned i = 0; i < k->nc; i++) {
			int r;

			if (!obs_cancel_result(o, &k->c[i], &r) || r < 0)
				ok = 0;
			else
				claimed += k->c[i].all ? r : 1;
		}
		if (!ok) {
			snprintf(what, n, "not every cancel it names succeeded, starting with %s", who);
			return 0;
		}
		got = obs_count(o, k, k->from, k->to, 1);
		act_name(o, k->to, act, sizeof(act));
		if (k->nc == 1)
			snprintf(what, n, "%s returned %d, but %u requests it matches ended -ECANCELED by the end of %s",
				 who, res, got, act);
		else
			snprintf(what, n, "%u cancels, the first %s, all succeeded, claiming %d requests between them, but only %u requests they match ended -ECANCELED by the end of %s",
				 k->nc, who, claimed, got, act);
		return k->rel == REL_OVER ? claimed > (int)got
		       : k->rel == REL_UNDER ? claimed < (int)got : claimed != (int)got;
	}
	case CHK_ENOENT_PENDING:
		if (!have || res != -OBS_ENOENT) {
			snprintf(what, n, "%s returned %d, not -ENOENT", who, have ? res : 0);
			return 0;
		}
		/* pending: no CQE up to the cancel's op, one after it */
		got = obs_count(o, k, k->from, k->to, 0);
		snprintf(what, n, "%s returned -ENOENT, but the request with user_data 0x%llx %s",
			 who, k->uds[0],
			 got ? "had completed before it" : "was still pending: its CQE came only after that op");
		return got == 0 && obs_count(o, k, k->to + 1, (int)o->nacts + 1, 0) > 0;
	case CHK_NO_CQE_BY:
		act_name(o, k->by, act, sizeof(act));
		if (k->sqe >= 0 && o->consumed[k->by] <= (unsigned)k->sqe) {
			snprintf(what, n, "the SQE was not consumed by the end of %s: the promise does not apply", act);
			return 0;
		}
		if (k->nc && (!have || res < 0 || (c->all && res == 0))) {
			snprintf(what, n, "%s did not succeed: the promise does not apply", who);
			return 0;
		}
		got = obs_count(o, k, 0, k->by, k->canceled_only);
		if (k->nc)
			snprintf(what, n, "%s returned %d by the end of %s, but %s CQE with user_data 0x%llx%s was visible by then",
				 who, res, act, got ? "a" : "no", k->uds[0], k->canceled_only ? " and -ECANCELED" : "");
		else
			snprintf(what, n, "the SQE with user_data 0x%llx was consumed by the end of %s, but %s CQE of its own was visible by then",
				 k->uds[0], act, got ? "a" : "no");
		return got == 0;
	case CHK_CANCELED_NOT_0: {
		int other = 0; /* another io_cancel of the request (c[1..]) succeeded: that one canceled it */

		for (unsigned j = 1; j < k->nc; j++)
			other |= o->res[k->c[j].op] == 0 || o->res[k->c[j].op] == -115 /* EINPROGRESS */;
		got = obs_count(o, k, c->op, (int)o->nacts + 1, 0);
		snprintf(what, n, "io_cancel at op %d returned %d; the request with user_data 0x%llx %s; the page: 0 on success",
			 obs_op(o, c->op), res, k->uds[0],
			 other ? "was canceled by another io_cancel" : got ? "posted its event after it (it was canceled)"
								  : "posted no event after it");
		return res != 0 && got > 0 && !other && obs_count(o, k, 0, c->op - 1, 0) == 0;
	}
	case CHK_NOT_COPIED:
		got = 0;
		for (unsigned i = 0; i < o->ncqes; i++)
			got += (int)o->cqe[i].act == c->op && o->cqe[i].flags == OBS_EV_COPIED;
		snprintf(what, n, "io_cancel at op %d returned %d and %s its result argument",
			 obs_op(o, c->op), res, got ? "wrote an event into" : "did not write");
		return (res == 0 || res == -115 /* EINPROGRESS */) && got == 0;
	case CHK_LEFT:
		snprintf(what, n, "%u requests still had no final CQE after repeated IORING_ASYNC_CANCEL_ANY|ALL sync cancels",
			 o->left);
		return o->left > 0;
	case CHK_PX_CANCEL:
	case CHK_PX_STATUS:
	case CHK_PX_NOTES:
	case CHK_PX_CAUSE:
		return px_broken(k, o, what, n);
	case CHK_NOT_CANCELED: {
		unsigned otherwise = 0;
		int need;

		if (!have || res < 0 || (c->all && res == 0)) {
			snprintf(what, n, "%s %s: the promise does not apply", who,
				 have ? "did not succeed" : "has no result");
			return 0;
		}
		need = c->all ? res : 1;
		got = obs_count(o, k, k->from, k->to, 1);
		for (unsigned i = 0; i < o->ncqes; i++)
			otherwise += (int)o->cqe[i].act >= k->from && (int)o->cqe[i].act <= k->to &&
				     chk_has_ud(k, o->cqe[i].ud) && !obs_canceled(o->cqe[i].res) &&
				     !(o->cqe[i].flags & OBS_CQE_F_MORE);
		act_name(o, k->to, act, sizeof(act));
		snprintf(what, n, "%s returned %d, but by the end of %s %u requests it matches ended -ECANCELED and %u ended with another result",
			 who, res, act, got, otherwise);
		return (int)got < need && (int)(got + otherwise) >= need && otherwise > 0;
	}
	case CHK_CQE_RULE:
		return cqe_rule_broken(k, o, what, n);
	case CHK_CANCELED_BY:
		act_name(o, k->by, act, sizeof(act));
		got = obs_count(o, k, 0, k->by, 1);
		snprintf(what, n, "the request with user_data 0x%llx %s by the end of %s, though no cancel matched it",
			 k->uds[0], got ? "ended -ECANCELED" : "had not ended -ECANCELED", act);
		return got > 0;
	case CHK_LATE_CQE: {
		int late = -1;

		if (!have || res < 0 || (c->all && res == 0)) {
			snprintf(what, n, "%s %s: the promise does not apply", who,
				 have ? "did not succeed" : "has no result");
			return 0;
		}
		got = 0;
		for (unsigned i = 0; i < o->ncqes; i++) {
			if (o->cqe[i].ud != k->uds[0] || !obs_canceled(o->cqe[i].res) ||
			    (o->cqe[i].flags & OBS_CQE_F_MORE))
				continue;
			if (i < o->seen_by[k->by])
				got++;
			else if (late < 0)
				late = (int)o->cqe[i].act;
		}
		act_name(o, k->by, act, sizeof(act));
		if (got)
			snprintf(what, n, "%s returned %d, and the request with user_data 0x%llx had its -ECANCELED CQE in the CQ when the call of %s returned",
				 who, res, k->uds[0], act);
		else if (late < 0)
			snprintf(what, n, "%s returned %d, and the request with user_data 0x%llx got no -ECANCELED CQE in this run",
				 who, res, k->uds[0]);
		else {
			char later[32];

			snprintf(what, n, "%s returned %d, but when the call of %s returned the request with user_data 0x%llx had no -ECANCELED CQE in the CQ; it came later, seen by the end of %s",
				 who, res, act, k->uds[0], act_name(o, late, later, sizeof(later)));
		}
		return got == 0 && late >= 0;
	}
	}
	return 0;
}

#endif
