/* Description: every check export-c writes without a by-hand fallback for
 * canceled-res, non-matching-untouched, close-does-not-cancel,
 * multishot-final, exactly-once, link-timeout, linked cancels that never
 * ran (D10), a cancel from another thread that returned before its
 * target's CQE was posted (D32, D33), native AIO io_cancel's results and the POSIX AIO rules can
 * fire: for each, a made-up observation that breaks the promise (chk_broken
 * 1, with the exact words the reproducer prints after BROKEN) and one that
 * keeps it (0). The reproducers run these very functions
 * (harness/export/repro_check.h is copied into them). Exit 0 pass, 1 fail. */
#include <stdlib.h>

#include "repro_check.h"

static int fails;
static struct obs o;

static void reset(unsigned nacts)
{
	memset(&o, 0, sizeof(o));
	o.nacts = nacts;
	for (unsigned a = 0; a < OBS_MAX_ACTS + 2; a++)
		o.fd[a] = o.after[a] = -1;
}

static void cqe(unsigned act, unsigned long long ud, int res, unsigned flags, long long res2)
{
	o.cqe[o.ncqes++] = (struct obs_cqe){ act, ud, res, flags, res2 };
}

/* want: 1 broken with these words, 0 held */
static void expect(const char *name, const struct chk *k, int want, const char *words)
{
	char what[512];
	int got = chk_broken(k, &o, what, sizeof(what));

	if (got != want || (words && strcmp(what, words) != 0)) {
		printf("FAIL %s: chk_broken %d (want %d): \"%s\"\n", name, got, want, what);
		if (words)
			printf("     want \"%s\"\n", words);
		fails++;
	}
}

static void uring_checks(void)
{
	struct chk k;

	/* canceled-res: a plain cancel succeeded, its match ended 0 */
	reset(5);
	k = (struct chk){ .kind = CHK_NOT_CANCELED, .nc = 1, .c = { { 2, 0, 0 } }, .nuds = 1,
			  .uds = { 1 }, .from = 2, .to = 4, .sqe = -1 };
	cqe(2, OBS_CANCEL_UD | 2, 0, 0, 0);
	cqe(2, 1, 0, 0, 0);
	expect("canceled-res broken", &k, 1,
	       "cancel at op 2 returned 0, but by the end of op 4 0 requests it matches ended -ECANCELED and 1 ended with another result");
	o.cqe[1].res = -OBS_ECANCELED;
	expect("canceled-res held", &k, 0, NULL);
	o.cqe[0].res = -OBS_ENOENT; /* a failed cancel promises nothing */
	o.cqe[1].res = 0;
	expect("canceled-res failed cancel", &k, 0, NULL);

	/* non-matching-untouched / close-does-not-cancel: -ECANCELED, no cancel matches */
	reset(3);
	k = (struct chk){ .kind = CHK_CANCELED_BY, .nuds = 1, .uds = { 1 }, .by = 2, .sqe = -1 };
	cqe(1, 1, -OBS_ECANCELED, 0, 0);
	expect("uncaused broken", &k, 1,
	       "the request with user_data 0x1 ended -ECANCELED by the end of op 2, though no cancel matched it");
	o.cqe[0].res = 64;
	expect("uncaused held", &k, 0, NULL);

	/* D33 (cross-task-sync-late): a sync cancel on another thread returned 0
	 * with its target's -ECANCELED CQE not yet in the CQ; it came by op 3 */
	reset(5);
	k = (struct chk){ .kind = CHK_LATE_CQE, .nc = 1, .c = { { 2, 1, 0 } }, .nuds = 1, .uds = { 1 },
			  .by = 2, .sqe = -1 };
	o.res[2] = 0;
	o.seen_by[2] = 0;
	cqe(3, 1, -OBS_ECANCELED, 0, 0);
	expect("late broken", &k, 1,
	       "sync cancel at op 2 returned 0, but when the call of op 2 returned the request with user_data 0x1 had no -ECANCELED CQE in the CQ; it came later, seen by the end of op 3");
	o.seen_by[2] = 1; /* in the CQ when the call returned */
	expect("late held", &k, 0,
	       "sync cancel at op 2 returned 0, and the request with user_data 0x1 had its -ECANCELED CQE in the CQ when the call of op 2 returned");
	o.seen_by[2] = 0;
	o.res[2] = -OBS_ENOENT; /* the write won: nothing promised */
	expect("late failed cancel", &k, 0, NULL);
	o.res[2] = 0;
	o.ncqes = 0; /* never canceled at all: another rule's business */
	expect("late never", &k, 0, NULL);
	/* a race group's acts renumbered: messages name the ops */
	o.renumbered = 1;
	o.op_of[2] = 4;
	o.op_of[3] = 2;
	cqe(3, 1, -OBS_ECANCELED, 0, 0);
	expect("late renumbered", &k, 1,
	       "sync cancel at op 4 returned 0, but when the call of op 4 returned the request with user_data 0x1 had no -ECANCELED CQE in the CQ; it came later, seen by the end of op 2");

	/* multishot-final */
	reset(3);
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_MORE_ON_CANCELED, .nuds = 1, .uds = { 1 }, .sqe = -1 };
	cqe(1, 1, 5, OBS_CQE_F_MORE, 0);
	cqe(2, 1, -OBS_ECANCELED, OBS_CQE_F_MORE, 0);
	expect("more-on-canceled broken", &k, 1,
	       "the CQE with user_data 0x1 res -ECANCELED after op 2 has IORING_CQE_F_MORE");
	o.cqe[1].flags = 0;
	expect("more-on-canceled held", &k, 0, NULL);
	k.cond = COND_AFTER_FINAL;
	cqe(2, 1, 7, OBS_CQE_F_MORE, 0);
	expect("after-final broken", &k, 1,
	       "a CQE with user_data 0x1 res 7 after op 2 follows the request's final CQE");
	o.ncqes = 2;
	expect("after-final held", &k, 0, NULL);
	k.cond = COND_MORE_ON_SINGLE;
	expect("more-on-single broken", &k, 1,
	       "the CQE with user_data 0x1 res 5 after op 1 has IORING_CQE_F_MORE, though its request is single-shot");
	o.cqe[0].flags = 0;
	expect("more-on-single held", &k, 0, NULL);

	/* exactly-once */
	reset(3);
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_AFTER_FINAL, .nuds = 1, .uds = { OBS_CANCEL_UD | 1 }, .sqe = -1 };
	cqe(1, OBS_CANCEL_UD | 1, 0, 0, 0);
	cqe(2, OBS_CANCEL_UD | 1, 0, 0, 0);
	expect("second final broken", &k, 1,
	       "a CQE with user_data 0xcf00000000000001 res 0 after op 2 follows the request's final CQE");
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_FOREIGN, .nuds = 2, .uds = { 1, 2 }, .sqe = -1 };
	expect("foreign held", &k, 0, "every CQE has the user_data of an SQE of the program");
	cqe(2, 0xdead, 0, 0, 0);
	expect("foreign broken", &k, 1,
	       "a CQE with user_data 0xdead res 0 after op 2, a user_data no SQE of the program had");
	reset(3);
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_BEFORE_SQE, .nuds = 1, .uds = { 1 }, .sqe = 0 };
	cqe(0, 1, 0, 0, 0);
	expect("before-sqe broken", &k, 1,
	       "a CQE with user_data 0x1 res 0 after op 0, before its SQE was consumed");
	o.consumed[0] = 1;
	expect("before-sqe held", &k, 0, NULL);
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_UNCONSUMED, .sqe = 2 };
	o.consumed[4] = 1;
	expect("unconsumed broken", &k, 1,
	       "1 of the program's 2 SQEs were consumed by the end of the teardown");
	o.consumed[4] = 2;
	expect("unconsumed held", &k, 0, NULL);

	/* link-timeout */
	reset(3);
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_LONG_TIMEOUT_FIRED, .nuds = 1, .uds = { 2 }, .sqe = -1 };
	cqe(1, 2, -OBS_ETIME, 0, 0);
	expect("long timeout broken", &k, 1,
	       "the 60 s link timeout with user_data 0x2 ended -ETIME after op 1");
	o.cqe[0].res = -OBS_ECANCELED;
	expect("long timeout held", &k, 0, NULL);
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_TIMEOUT_AND_DONE, .nuds = 2, .uds = { 2, 1 }, .sqe = -1 };
	o.cqe[0].res = -OBS_ETIME;
	cqe(1, 1, 3, 0, 0);
	expect("timeout and done broken", &k, 1,
	       "the link timeout with user_data 0x2 ended -62, its request with user_data 0x1 ended 3");
	o.cqe[1].res = -OBS_ECANCELED;
	expect("timeout and done held", &k, 0, NULL);
	/* D30/D31: the request shares user_data 1 with one that cannot complete */
	k = (struct chk){ .kind = CHK_CQE_RULE, .cond = COND_TIMEOUT_SHARED_DONE, .nuds = 2, .uds = { 2, 1 }, .sqe = 0 };
	cqe(3, 1, 1, 0, 0);
	expect("timeout and shared done broken", &k, 1,
	       "the link timeout with user_data 0x2 ended -62; 1 CQEs of user_data 0x1 completed otherwise than canceled, where the other requests sharing it can give 0");
	k.sqe = 1;
	expect("timeout and shared done held: the other can complete", &k, 0, NULL);
	k.sqe = 0;
	o.cqe[0].res = -OBS_ECANCELED;
	expect("timeout and shared done held: the timeout did not expire", &k, 0, NULL);
	/* it fired and its cancel by user_data counted a futex_wait: res 1 (F008) */
	o.cqe[0].res = 1;
	expect("timeout and shared done broken: the timeout posted 1", &k, 1,
	       "the link timeout with user_data 0x2 ended 1; 1 CQEs of user_data 0x1 completed otherwise than canceled, where the other requests sharing it can give 0");
	/* no CQE of the link timeout at all: it did not fire */
	o.cqe[0].ud = 7;
	expect("timeout and shared done held: no CQE of the timeout", &k, 0, NULL);
}

static void aio_checks(void)
{
	struct chk k;

	/* D10: a linked cancel SQE canceled with its chain */
	reset(3);
	k = (struct chk){ .kind = CHK_RESULT, .cond = COND_NEVER_RAN, .nc = 1, .c = { { 1, 0, 0 } }, .sqe = -1 };
	cqe(2, OBS_CANCEL_UD | 1, -OBS_ECANCELED, 0, 0);
	expect("never-ran broken", &k, 1, "cancel at op 1 (in a link chain) returned -125: it was canceled itself and never ran");
	o.cqe[0].res = -OBS_ENOENT;
	expect("never-ran held", &k, 0, NULL);

	/* native AIO io_cancel results */
	reset(3);
	k = (struct chk){ .kind = CHK_RESULT, .cond = COND_AIO_UNLISTED, .nc = 1, .c = { { 1, 1, 0 } }, .sqe = -1 };
	o.res[1] = -9;
	expect("aio unlisted broken", &k, 1,
	       "io_cancel at op 1 returned -9; the page: 0, or -1 with EAGAIN, EFAULT, EINVAL or ENOSYS");
	o.res[1] = -11;
	expect("aio unlisted held", &k, 0, NULL);
	k.cond = COND_AIO_EFAULT;
	o.res[1] = -14;
	expect("aio null-result broken", &k, 1,
	       "io_cancel at op 1 with result NULL returned -14; the page: NULL means no results are returned");
	k.cond = COND_AIO_NOT_EFAULT;
	expect("aio efault held", &k, 0, NULL);
	o.res[1] = -OBS_EINVAL;
	expect("aio efault broken", &k, 1, "io_cancel at op 1 of an unmapped iocb returned -22; the page: -EFAULT (-14)");
	k.cond = COND_AIO_NOT_EINVAL;
	expect("aio bad-ctx held", &k, 0, NULL);
	o.res[1] = -11;
	expect("aio bad-ctx broken", &k, 1,
	       "io_cancel at op 1 on a context that is not one returned -11; the page: -EINVAL (-22)");

	/* D16: an io_cancel that canceled its request returned -EINPROGRESS;
	 * with another io_cancel of it (two racing, seed 441), the one that
	 * succeeded canceled it, the other's failure is no success */
	reset(4);
	k = (struct chk){ .kind = CHK_CANCELED_NOT_0, .nc = 2, .c = { { 1, 1, 0 }, { 2, 1, 0 } },
			  .nuds = 1, .uds = { 1 }, .sqe = -1 };
	o.res[1] = -115;
	o.res[2] = -OBS_EINVAL;
	cqe(3, 1, 0, 0, 0);
	expect("aio canceled-not-0 broken", &k, 1,
	       "io_cancel at op 1 returned -115; the request with user_data 0x1 posted its event after it (it was canceled); the page: 0 on success");
	o.res[1] = -OBS_EINVAL;
	o.res[2] = -115;
	expect("aio canceled-not-0 other won", &k, 0,
	       "io_cancel at op 1 returned -22; the request with user_data 0x1 was canceled by another io_cancel; the page: 0 on success");
}

static void posix_checks(void)
{
	struct chk k;

	/* aio-cancel-errors (D19): -1/EINVAL */
	reset(3);
	k = (struct chk){ .kind = CHK_RESULT, .cond = COND_PX_UNLISTED, .nc = 1, .c = { { 2, 1, 0 } }, .sqe = -1 };
	o.res[2] = -OBS_EINVAL;
	expect("px unlisted broken", &k, 1,
	       "aio_cancel at op 2 returned -1 with errno 22; the page: AIO_CANCELED (0), AIO_NOTCANCELED (1), AIO_ALLDONE (2), or -1 with EBADF");
	o.res[2] = -OBS_EBADF;
	expect("px unlisted held", &k, 0, NULL);
	/* aio-cancel-ebadf */
	k.cond = COND_PX_NOT_EBADF;
	o.res[2] = 2;
	expect("px not-ebadf broken", &k, 1,
	       "aio_cancel at op 2 with fd -1 returned 2; the page: -1 with EBADF (-9)");
	o.fd[2] = 4;
	expect("px not-ebadf open fd", &k, 0, NULL);
	k.cond = COND_PX_EBADF;
	o.res[2] = -OBS_EBADF;
	expect("px ebadf broken", &k, 1, "aio_cancel at op 2 with the open fd 4 returned -9 (-1 with EBADF)");

	/* AIO_ALLDONE / AIO_CANCELED / AIO_NOTCANCELED against op 0's request */
	reset(3);
	k = (struct chk){ .kind = CHK_PX_CANCEL, .cond = COND_PX_ALLDONE, .nc = 1, .c = { { 1, 1, 0 } },
			  .nuds = 1, .uds = { 0 }, .sqe = -1 };
	o.res[1] = 2;
	cqe(1, 0, -1, OBS_PX_DONE, OBS_ECANCELED);
	expect("px alldone broken", &k, 1,
	       "aio_cancel at op 1 returned 2 (0 AIO_CANCELED, 1 AIO_NOTCANCELED, 2 AIO_ALLDONE); of the requests it names 1 were in progress, 1 ended ECANCELED during the call, 0 ended otherwise during it, 0 were still running after it");
	k.cond = COND_PX_CANCELED;
	expect("px canceled broken", &k, 1, NULL);
	o.res[1] = 0;
	expect("px canceled held", &k, 0, NULL);
	k.cond = COND_PX_NOTCANCELED;
	o.cqe[0].act = 3; /* still running after the call */
	expect("px notcanceled broken", &k, 1, NULL);
	o.res[1] = 1;
	expect("px notcanceled held", &k, 0, NULL);
	o.unsettled[0] = 1;
	o.res[1] = 0;
	expect("px unsettled not judged", &k, 0,
	       "an act did not settle in time: which requests were in progress is not known, not judged");
	o.unsettled[0] = 0;
	k.cond = COND_PX_ENDED_OTHER;
	o.cqe[0] = (struct obs_cqe){ 1, 0, 1, OBS_PX_DONE, 0 };
	expect("px ended-other broken", &k, 1, NULL);
	k.cond = COND_PX_LATER_CANCELED;
	o.res[1] = 1;
	o.cqe[0] = (struct obs_cqe){ 2, 0, -1, OBS_PX_DONE, OBS_ECANCELED };
	expect("px later-canceled broken", &k, 1,
	       "aio_cancel at op 1 returned 1; the request of op 0 ended 125 after act 2");

	/* status right after the cancel, and the program's aio_error */
	reset(3);
	k = (struct chk){ .kind = CHK_PX_STATUS, .cond = COND_PX_AFTER_CANCELED, .nc = 1, .c = { { 1, 1, 0 } },
			  .nuds = 1, .uds = { 0 }, .sqe = -1 };
	cqe(1, 0, -1, OBS_PX_DONE, OBS_ECANCELED);
	o.after[1] = OBS_EINPROGRESS;
	expect("px after-canceled broken", &k, 1,
	       "aio_cancel at op 1 canceled the request of op 0 (it ended ECANCELED during the call); aio_error right after gave 115, the page: ECANCELED (125)");
	o.after[1] = OBS_ECANCELED;
	expect("px after-canceled held", &k, 0, NULL);
	k.cond = COND_PX_AFTER_INPROGRESS;
	o.cqe[0].act = 3;
	o.after[1] = OBS_EINPROGRESS;
	o.changed[1] = 1;
	expect("px after-inprogress broken", &k, 1, NULL);
	o.changed[1] = 0;
	expect("px after-inprogress held", &k, 0, NULL);
	k.cond = COND_PX_ERROR_INPROGRESS;
	o.res[1] = 0;
	expect("px error-inprogress broken", &k, 1,
	       "aio_error at op 1 of the request of op 0, still in progress, gave 0; the page: EINPROGRESS (115)");
	k.cond = COND_PX_RETURN_CANCELED;
	k.c[0].op = 2;
	o.cqe[0].act = 1;
	o.res[2] = 0;
	expect("px return-canceled broken", &k, 1,
	       "aio_return at op 2 of the request of op 0, canceled before, gave 0; the page: -1");
	k.cond = COND_PX_EVENT_RETURN;
	o.cqe[0].res = 0;
	expect("px event-return broken", &k, 1,
	       "the request of op 0 ended with aio_error 125 and aio_return 0; the page: -1 once canceled");

	/* notifications and cause */
	reset(3);
	k = (struct chk){ .kind = CHK_PX_NOTES, .cond = COND_PX_NOTIFY_SIGNAL, .nuds = 1, .uds = { 0 }, .sqe = -1 };
	cqe(1, 0, -1, OBS_PX_DONE, OBS_ECANCELED);
	expect("px notes broken", &k, 1,
	       "the request of op 0 (sigevent SIGEV_SIGNAL, aio_error 125 at its end) got 0 signals and 0 threads, 0 of them before it finished; the page: one signal");
	cqe(1, 0, 0, OBS_PX_SIGNAL, 0);
	expect("px notes held", &k, 0, NULL);
	k.cond = COND_PX_ONCE;
	expect("px once held", &k, 0, NULL);
	cqe(2, 0, 0, OBS_PX_DONE, 0);
	expect("px once broken", &k, 1, "the request of op 0 finished 2 times; the page: once");
	k = (struct chk){ .kind = CHK_PX_CAUSE, .nuds = 1, .uds = { 0 }, .sqe = -1 };
	expect("px cause broken", &k, 1, "the request of op 0 ended 125 after act 1, where no aio_cancel named it");
	k.nc = 1;
	k.c[0].op = 1;
	expect("px cause held", &k, 0, NULL);
}

int main(void)
{
	uring_checks();
	aio_checks();
	posix_checks();
	printf("export_checks: %d failed\n", fails);
	return fails ? 1 : 0;
}
