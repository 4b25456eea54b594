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
#define OBS_CANCEL_UD 0xcf00000000000000ull /* user_data of the cancel SQE of op i: this | i */
#define OBS_ECANCELED 125
#define OBS_EINTR 4
#define OBS_ENOENT 2
#define OBS_EINVAL 22
#define OBS_EALREADY 114
#define OBS_ETIME 62

struct obs_cqe {
	unsigned act;         /* first seen after this act */
	unsigned long long ud;
	int res;
	unsigned flags;       /* io_uring: the CQE's flags; native AIO: OBS_EV_COPIED or 0 */
	long long res2;       /* native AIO: io_event.res2 */
};
#define OBS_EV_COPIED 1 /* native AIO: the event io_cancel wrote into its result argument */

struct obs {
	unsigned nacts;                     /* the program's ops */
	int res[OBS_MAX_ACTS + 2];          /* each act's result (0 or -errno, or a count) */
	unsigned consumed[OBS_MAX_ACTS + 2]; /* SQEs the kernel had consumed by the end of the act */
	unsigned ncqes;
	struct obs_cqe cqe[OBS_MAX_CQES];   /* in CQ order */
	unsigned left;                      /* requests without a final CQE after the teardown */
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
};

enum chk_cond {
	COND_NOT_0_OR_ERR, /* no multi-match flags: success must be 0 */
	COND_NOT_POSITIVE, /* ALL/ANY: success must be a positive count */
	COND_MORE_THAN_1,  /* without ALL at most the first match is canceled */
	COND_NOT_EINVAL,   /* an invalid field must give -EINVAL */
	COND_UNDOCUMENTED, /* an error the page does not list */
	COND_EINVAL,       /* native AIO: an iocb not canceled must give -EAGAIN, not -EINVAL */
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

/* CQEs of the check's requests in acts from..to, canceled ones only if asked. */
static unsigned obs_count(const struct obs *o, const struct chk *k, int from, int to, int canceled)
{
	unsigned n = 0;

	for (unsigned i = 0; i < o->ncqes; i++)
		n += (int)o->cqe[i].act >= from && (int)o->cqe[i].act <= to &&
		     chk_has_ud(k, o->cqe[i].ud) && (!canceled || obs_canceled(o->cqe[i].res));
	return n;
}

/* "cancel at op 4", "sync cancel at op 7", or the teardown's. */
static const char *chk_who(const struct obs *o, const struct chk_cancel *c, char *buf, size_t n)
{
	if (c->op == (int)o->nacts + 1)
		return "the teardown's first sync ANY|ALL cancel";
	snprintf(buf, n, "%s at op %d", c->sync ? "sync cancel" : "cancel", c->op);
	return buf;
}

static const char *act_name(const struct obs *o, int act, char *buf, size_t n)
{
	if (act >= (int)o->nacts)
		snprintf(buf, n, "%s", act == (int)o->nacts ? "the teardown's submit" : "the teardown");
	else
		snprintf(buf, n, "op %d", act);
	return buf;
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
				 c->op, res);
			return res == -OBS_EINVAL;
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
	case CHK_CANCELED_NOT_0:
		got = obs_count(o, k, c->op, (int)o->nacts + 1, 0);
		snprintf(what, n, "io_cancel at op %d returned %d; the request with user_data 0x%llx %s; the page: 0 on success",
			 c->op, res, k->uds[0], got ? "posted its event after it (it was canceled)" : "posted no event after it");
		return res != 0 && got > 0 && obs_count(o, k, 0, c->op - 1, 0) == 0;
	case CHK_NOT_COPIED:
		got = 0;
		for (unsigned i = 0; i < o->ncqes; i++)
			got += (int)o->cqe[i].act == c->op && o->cqe[i].flags == OBS_EV_COPIED;
		snprintf(what, n, "io_cancel at op %d returned %d and %s its result argument",
			 c->op, res, got ? "wrote an event into" : "did not write");
		return (res == 0 || res == -115 /* EINPROGRESS */) && got == 0;
	case CHK_LEFT:
		snprintf(what, n, "%u requests still had no final CQE after repeated IORING_ASYNC_CANCEL_ANY|ALL sync cancels",
			 o->left);
		return o->left > 0;
	case CHK_CANCELED_BY:
		act_name(o, k->by, act, sizeof(act));
		got = obs_count(o, k, 0, k->by, 1);
		snprintf(what, n, "the request with user_data 0x%llx %s by the end of %s, though no cancel matched it",
			 k->uds[0], got ? "ended -ECANCELED" : "had not ended -ECANCELED", act);
		return got > 0;
	}
	return 0;
}

#endif
