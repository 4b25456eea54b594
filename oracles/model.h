/* What an io_uring request recorded in a history is, by the kernel's rules,
 * and when the program closed its fds: the predicates the oracles judge by
 * and fault injection edits by. */
#ifndef CF_MODEL_H
#define CF_MODEL_H

#include "history.h"

/* Cancel flag bits as recorded (the uapi IORING_ASYNC_CANCEL_* values). */
#define CF_CANCEL_F_ALL      (1u << 0)
#define CF_CANCEL_F_FD       (1u << 1)
#define CF_CANCEL_F_ANY      (1u << 2)
#define CF_CANCEL_F_FD_FIXED (1u << 3)
#define CF_CANCEL_F_USERDATA (1u << 4)
#define CF_CANCEL_F_OP       (1u << 5)

/* Submitted as an SQE (every request but a sync cancel). Inline: pass 1
 * asks it of every request for every CQE. */
static inline int cf_has_sqe(const struct cf_req_rec *r)
{
	return !(r->req == CF_REQ_CANCEL && r->api == CF_CANCEL_SYNC);
}
/* Its SQE links the next one (IOSQE_IO_LINK or IO_HARDLINK). */
int cf_links_next(const struct cf_req_rec *r);
int cf_is_link_timeout(unsigned req);
/* futex_wait, futex_waitv, waitid, waitid_all: the requests whose cancel
 * the kernel counts as 1 (D03) and that take no file. */
int cf_is_futex_waitid(unsigned req);
/* A TIMEOUT request (any duration, count or MULTISHOT), not a link timeout. */
int cf_is_timeout(unsigned req);
/* POLL_REMOVE, TIMEOUT_REMOVE, a timeout or link-timeout update: requests
 * that name another by user_data and complete at once. */
int cf_is_remove_kind(unsigned req);
/* A remove, update or timer request whose fields the kernel refuses at
 * prep (-EINVAL): sqe->ioprio, two clocks, a link timeout's count,
 * IOSQE_FIXED_FILE on TIMEOUT_REMOVE; or a multishot poll with
 * CQE_SKIP_SUCCESS. Like a cancel with bad fields, it
 * fails the chain it is in. */
int cf_prep_fails(const struct cf_history *h, unsigned i);
/* The slot byte of the queue op that made request i (its shape's fields). */
unsigned cf_req_spec(const struct cf_history *h, unsigned i);
/* Request i carries IOSQE_IO_DRAIN on a ring where it or an SQE before it
 * set IOSQE_CQE_SKIP_SUCCESS or was a multishot: io_init_req refuses it
 * (-EOPNOTSUPP), and like a failed prep that fails the chain it is in. */
int cf_drain_refused(const struct cf_history *h, unsigned i);
/* The flags byte of that op (a timer's count sits in its top bits). */
unsigned cf_req_qflags(const struct cf_history *h, unsigned i);
/* The user_data a remove or update request i names. */
uint64_t cf_remove_key(const struct cf_history *h, unsigned i);
/* Can remove/update request i find request t (its opcode's list, its key)? */
int cf_remove_matches(const struct cf_history *h, unsigned i, unsigned t);
/* A poll_update with IORING_POLL_UPDATE_EVENTS or _USER_DATA: on success
 * it re-arms its target instead of ending it (io_poll_remove()); without
 * them it is a POLL_REMOVE. */
int cf_poll_update_rearms(const struct cf_history *h, unsigned i);
/* IOSQE_CQE_SKIP_SUCCESS on its SQE: a request's skip_success, an SQE
 * cancel's odd=skip_success. */
int cf_req_skips(const struct cf_req_rec *r);
/* SQE cancel c has odd=skip_success, was consumed, and posted no CQE: its
 * result is a success, known to be 0 when it has neither ALL nor ANY (a
 * count), is not linked behind another SQE (a failed member ahead silences
 * it) and matches no futex_wait or waitid (whose cancel returns 1, D03). */
int cf_silent_cancel_succeeded(const struct cf_history *h, unsigned c);
/* Works on the slot's file, so CANCEL_FD can match it. */
int cf_uses_file(unsigned req);
/* ... through its slot's fd, which the program may close: not an O_DIRECT
 * transfer, whose file is the executor's own (recorded as slot `file`). */
int cf_uses_slot_fd(unsigned req);
/* A result that says "canceled": -ECANCELED, or -EINTR for the waits that
 * the kernel ends that way. */
int cf_canceled_res(int res);
int cf_efault_res(int res);
/* Does cancel c match request t (both of h)? io_cancel_req_match() for
 * every list, futex and waitid included. */
int cf_cancel_matches(const struct cf_history *h, const struct cf_req_rec *c,
		      const struct cf_req_rec *t);

/* The act a request ran in: its SQE's consumption (-1 never), or its own
 * act for a sync cancel. */
int cf_ran_at(const struct cf_req_rec *r);
/* Request i sits behind a link: the SQE before it links the next one. */
int cf_behind_link(const struct cf_history *h, unsigned i);
/* Task actors (docs/program-format.md, "Added by the actors branch"): the
 * `wait exit` act, at or before act `by` and successful, that ended the
 * task actor whose io_uring_enter consumed request t's SQE; -1 none, and
 * always -1 on SQPOLL (the SQ thread submits every request there). */
int cf_task_exit_of(const struct cf_history *h, int t, int by);
/* A timeout (timeout, timeout_multi, timeout_short, timeout_long) in no
 * link: its SQE neither links the next one nor sits behind a link, and no
 * DRAIN holds it back. */
int cf_plain_timeout(const struct cf_history *h, int t);
/* The act of the 'wait exit' that ended t's task before t posted -EFAULT
 * (its issue ran as task work in the exiting task: D54); -1 none. */
int cf_efault_after_exit(const struct cf_history *h, int t);
/* Is t a MULTISHOT timeout whose user_data still expired (-ETIME with
 * F_MORE) after the teardown's last cancel, so one alive through all the
 * cancels (D55)? */
int cf_rearming_multishot_timeout(const struct cf_history *h, unsigned t);
/* Is act e (a `wait exit` cf_task_exit_of found) an exec (n & 3 == 2,
 * cov3 branch), which cancels every request of its task? */
int cf_task_end_is_exec(const struct cf_history *h, int e);
/* Request i is in a link chain: it links the next SQE or sits behind a link. */
int cf_in_chain(const struct cf_history *h, unsigned i);
/* A request with IOSQE_IO_DRAIN was consumed at or before act a. */
int cf_drain_by(const struct cf_history *h, int a);
/* The CQ overflowed in some act from..to. */
int cf_overflow_between(const struct cf_history *h, int from, int to);

/* At least cq_entries CQEs were posted, since the last `wait reap` act
 * before it, up to and including the final CQE of user_data ud, or the CQ
 * overflowed by then. */
int cf_cq_filled_before(const struct cf_history *h, uint64_t ud);

/* closed_at[s]: the act of the first successful close of slot s, -1 none. */
void cf_closes(const struct cf_history *h, int16_t closed_at[CF_SLOT__COUNT]);

#endif
