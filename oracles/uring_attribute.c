/* io_uring oracle, pass 1: which CQE belongs to which request (by
 * user_data, in CQ order; requests that share a user_data are marked
 * ambiguous), reporting CQEs that belong to none or break multishot's
 * F_MORE rule, and which requests sit in a link chain that fails as a
 * whole. */
#include "uring.h"

#include <errno.h>
#include <string.h>

/* Errors the fields alone decide, before any matching. Returns 1 when the
 * result must be one of errs[] (kernel). */
int uring_field_errors(const struct model *m, const struct cf_req_rec *c, int errs[4], int *n)
{
	uint32_t f = c->cancel_flags, known = m->h->cancel_flags_supported;

	*n = 0;
	if (c->api == CF_CANCEL_SYNC) {
		if (c->odd & (CF_ODD_OFF | CF_ODD_SPLICE_FD))
			errs[(*n)++] = -EINVAL; /* pad fields */
		if (f & ~known)
			errs[(*n)++] = -EINVAL;
		return *n > 0;
	}
	if (c->odd & CF_ODD_BUF_SELECT)
		errs[(*n)++] = -EOPNOTSUPP;
	if ((c->odd & (CF_ODD_OFF | CF_ODD_SPLICE_FD | CF_ODD_IOPRIO)) || (f & ~known) ||
	    ((f & CF_CANCEL_F_FD) && (f & CF_CANCEL_F_ANY)) || ((f & CF_CANCEL_F_OP) && (f & CF_CANCEL_F_ANY)))
		errs[(*n)++] = -EINVAL;
	return *n > 0;
}

static void mark_submitted(struct model *m, unsigned act)
{
	for (unsigned i = 0; i < m->h->nreqs; i++)
		if (R(m, i)->sub_act == (int)act)
			m->r[i].submitted = 1;
}

/* An earlier final CQE shared by several requests went to a multishot one,
 * but an F_MORE now shows that one is still running: give that final CQE to
 * a single-shot request of the same user_data instead. */
static int swap_ambiguous(struct model *m, uint64_t ud)
{
	int multi = -1, single = -1;

	for (unsigned i = 0; i < m->h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, i);

		if (!m->r[i].ambiguous || !cf_has_sqe(r) || r->user_data != ud)
			continue;
		if (m->r[i].done && cf_req_is_multishot(r->req) && multi < 0)
			multi = (int)i;
		if (!m->r[i].done && m->r[i].submitted && !cf_req_is_multishot(r->req) && single < 0)
			single = (int)i;
	}
	if (multi < 0 || single < 0)
		return 0;
	m->r[single].done = 1;
	m->r[single].final_act = m->r[multi].final_act;
	m->r[single].final_res = m->r[multi].final_res;
	m->r[multi].done = 0;
	m->r[multi].final_act = -1;
	return 1;
}

/* A chain member is issued only once the request ahead of it has finished,
 * so it cannot own a CQE while that request surely has none (it got no CQE
 * and none shared by user_data may have been its). Link timeouts are the
 * exception (one that fires posts -ETIME before its request's -ECANCELED),
 * so neither a link timeout nor a member behind one is barred, and only a
 * chain the kernel saw is: both consumed by one submit (a chain left open
 * at a submit is cut there), and not on SQPOLL, whose consumption acts are
 * only approximate. A request ahead with IOSQE_CQE_SKIP_SUCCESS may have
 * finished silently (seed 184). */
/* Does a final CQE of request p's user_data, one p could post, come after
 * act `act`, more of them than the other requests of that user_data still
 * owe (not done, without CQE_SKIP_SUCCESS)? Then p had not finished by
 * then. (A multishot poll sharing a silent connect's user_data owes the
 * one later -ECANCELED: seed 517.) */
static int final_cqe_later(const struct model *m, int p, unsigned act)
{
	int later = 0, owed = 0;

	for (unsigned ci = 0; ci < m->h->ncqes; ci++) {
		const struct cf_cqe_rec *c = &m->h->cqes[ci];

		later += c->act > act && c->user_data == R(m, p)->user_data && CF_CQE_FINAL(c) &&
			 !(c->res >= 0 && !cf_req_is_multishot(R(m, p)->req));
	}
	for (unsigned q = 0; q < m->h->nreqs; q++)
		owed += (int)q != p && cf_has_sqe(R(m, q)) && R(m, q)->sub_act >= 0 &&
			R(m, q)->user_data == R(m, p)->user_data && !m->r[q].done &&
			/* a multishot's last CQE is no success: it posts with
			 * CQE_SKIP_SUCCESS too (campaign seed 82, 431a6daf) */
			(!(R(m, q)->sqe_flags & CF_SQE_SKIP) || cf_req_is_multishot(R(m, q)->req)) &&
			/* a link timeout posts whatever its request does
			 * (campaign seed 75, b790d264) */
			(m->r[q].chain_prev < 0 || cf_is_link_timeout(R(m, q)->req));
	return later > owed;
}

static int may_own(const struct model *m, int i, unsigned act)
{
	int p = m->r[i].chain_prev;

	/* a request with IOSQE_CQE_SKIP_SUCCESS finishes without a CQE */
	/* a silent cancel (odd=skip_success) too (seed 527) */
	return p < 0 || m->r[p].done || m->r[p].ambiguous || m->h->mode == CF_MODE_SQPOLL ||
	       (cf_req_skips(R(m, p)) && !final_cqe_later(m, p, act)) ||
	       R(m, p)->sub_act != R(m, i)->sub_act || cf_is_link_timeout(R(m, i)->req) ||
	       cf_is_link_timeout(R(m, p)->req);
}

/* Drops the candidates that cannot own the CQE, when one that can remains.
 * Returns the new count. */
static int drop_waiting_members(const struct model *m, int *cand, int n, unsigned act)
{
	int kept = 0;

	for (int k = 0; k < n; k++)
		kept += may_own(m, cand[k], act);
	if (kept == 0 || kept == n)
		return n;
	kept = 0;
	for (int k = 0; k < n; k++)
		if (may_own(m, cand[k], act))
			cand[kept++] = cand[k];
	return kept;
}

static int lone_link_timeout(const struct model *m, int i);
static int chain_fails_at_submit(const struct model *m, int k);

/* What a futex_wait or waitid can end with (io_uring/futex.c, waitid.c):
 * 0 when woken, or an error of its own, of its fields or of a cancel;
 * never -ETIME, which is its link timeout's (seed 556). */
static int futex_waitid_res(int res)
{
	switch (res) {
	case 0: case -EAGAIN: case -EINVAL: case -EFAULT: case -ECANCELED: case -ENOMEM:
	case -EINTR: case -ECHILD: case -ESRCH: case -EOPNOTSUPP:
		return 1;
	}
	return 0;
}

/* A request that moves data or waits for readiness: a transfer, a poll, an
 * accept, a nop. */
static int moves_data(unsigned req)
{
	switch (req) {
	case CF_REQ_NOP: case CF_REQ_READ: case CF_REQ_RECV: case CF_REQ_WRITE: case CF_REQ_POLL:
	case CF_REQ_POLL_MULTI: case CF_REQ_ACCEPT: case CF_REQ_ACCEPT_MULTI: case CF_REQ_RECV_MULTI:
	case CF_REQ_READ_FILE: case CF_REQ_RECVMSG_MULTI: case CF_REQ_READV_DIRECT: case CF_REQ_WRITEV_DIRECT:
		return 1;
	}
	return 0;
}

/* Results a request's final CQE cannot carry: a poll's is its revents
 * (never 0) or an error; a futex_wait's or waitid's is 0 or one of its
 * errors (never a socket's -ENOTSOCK); a timeout's is an error; only a
 * request on a file can fail -EBADF. */
static int impossible_res(unsigned req, int res)
{
	if (res == -EBADF)
		return !cf_uses_file(req);
	/* -ENOENT and -EALREADY are a cancel's (and a remove's, or a link
	 * timeout's, which post their cancel's), -ETIME a timer's: no
	 * transfer, poll or accept posts them (a connect's -EALREADY is its
	 * own; pass-regress-msg-ring-cqe-in-overflow-list gave a read_file a
	 * poll_remove's -ENOENT, and a read then took a link timeout's -ETIME) */
	if ((res == -ENOENT || res == -EALREADY || res == -ETIME) && moves_data(req))
		return 1;
	/* -EBADFD is a msg_ring's: its fd is no io_uring (campaign seed 71) */
	if (res == -EBADFD)
		return req != CF_REQ_MSG_RING && req != CF_REQ_MSG_RING_SKIP;
	/* a poll's is its revents or an error; -ETIME is its link timeout's */
	if (req == CF_REQ_POLL || req == CF_REQ_POLL_MULTI)
		return res == 0 || res == -ETIME;
	if (cf_is_futex_waitid(req))
		return !futex_waitid_res(res);
	/* a pure timer (count 0): -ETIME, or an error; a MULTISHOT timeout's
	 * count is its repeats, each -ETIME (io_uring_prep_timeout(3);
	 * pass-regress-multishot-timeout-posts-no-zero): neither posts 0 */
	if (req == CF_REQ_TIMEOUT_LONG || req == CF_REQ_TIMEOUT_SHORT || req == CF_REQ_TIMEOUT_MULTI)
		return res >= 0 || res == -ENOENT || res == -EALREADY ||
		       /* the fixed kinds' fields are valid: no -EINVAL (seed 560) */
		       (res == -EINVAL && req != CF_REQ_TIMEOUT_MULTI);
	/* no timeout posts a cancel's -ENOENT or -EALREADY, which a link
	 * timeout posts when its request was gone (campaign seed 70) */
	if (req == CF_REQ_TIMEOUT && (res == -ENOENT || res == -EALREADY))
		return 1;
	/* a link timeout posts its cancel's result, or -ETIME for 0
	 * (io_req_task_link_timeout): 1 when it canceled a futex_wait or
	 * waitid, whose cancels count (D03; seed 143) */
	if (cf_is_link_timeout(req))
		return res == 0 || res > 1; /* (a count of one at most: no ALL) */
	/* removes and updates post 0 or an error of their own
	 * (io_poll_remove, io_timeout_remove): not found, already firing,
	 * bad fields or address, their chain failed, DRAIN refused (seed 199) */
	if (cf_is_remove_kind(req))
		return res != 0 && res != -ENOENT && res != -EALREADY && res != -EINVAL &&
		       res != -EFAULT && res != -ECANCELED && res != -EOPNOTSUPP;
	/* an O_DIRECT transfer moves its whole 64 KiB, or fails (cov3) */
	if (cf_req_is_direct(req))
		return res >= 0 && res != CF_DIRECT_BYTES;
	/* a msg_ring posts 0 or an error of its own (io_msg_ring,
	 * io_msg_ring_data), never a cancel's -ENOENT or -EALREADY; with
	 * CQE_SKIP, which IORING_MSG_DATA refuses, never 0 either (seed 548) */
	if (req == CF_REQ_MSG_RING || req == CF_REQ_MSG_RING_SKIP)
		return res > 0 || res == -ENOENT || res == -EALREADY ||
		       (req == CF_REQ_MSG_RING_SKIP && res == 0);
	return 0;
}

/* Has the program woken what a futex_wait or waitid waits for by the end
 * of act `act`? A futex_wait ends 0 only once a futex_wake woke a waiter,
 * a waitid only once the child was let exit; the teardown may do either. */
/* By the end of act `act`: did the teardown's cancels begin (from then on
 * it may cancel anything, and what the resources' release does shows in
 * its last act), or did the program complete `what` on `slot` (any slot
 * for -1; a futex_wake only if it woke someone)? end_submit only submits
 * what the program left (seed 502). */
static int done_by(const struct model *m, unsigned act, unsigned what, int slot)
{
	const struct cf_history *h = m->h;

	for (unsigned a = 0; a <= act && a < h->nacts; a++) {
		const struct cf_act_rec *x = &h->acts[a];

		if (x->kind == CF_ACT_END_SUBMIT)
			continue;
		if (x->kind != CF_ACT_OP || x->op_index < 0)
			return 1;
		if (x->op_kind == CF_OP_COMPLETE && x->a[CF_D_WHAT] == what &&
		    (slot < 0 || x->a[CF_D_SLOT] == (unsigned)slot) && (what != CF_DO_FUTEX_WAKE || x->res > 0))
			return 1;
	}
	return 0;
}

static int woken_by(const struct model *m, unsigned req, unsigned act)
{
	return done_by(m, act, req == CF_REQ_FUTEX_WAIT || req == CF_REQ_FUTEX_WAITV ? CF_DO_FUTEX_WAKE
										 : CF_DO_CHILD_EXIT, -1);
}

/* Is the fd of request i (by number, not fixed) surely bad when the kernel
 * looks it up, at issue: closed before its submit, and no accept can have
 * handed the number out again (seed 128)? Then it can only fail. SQPOLL's
 * submit acts are only approximate. */
static int fd_surely_bad(const struct model *m, int i)
{
	const struct cf_req_rec *r = R(m, i);
	int closed;

	if (!cf_uses_slot_fd(r->req) || r->fixed || m->h->mode == CF_MODE_SQPOLL || r->sub_act < 0)
		return 0;
	if (r->slot == CF_SLOT_BADFD)
		return 1;
	closed = m->closed_at[r->slot];
	if (closed < 0 || (!r->slot_closed && closed >= r->sub_act))
		return 0;
	for (unsigned t = 0; t < m->h->nreqs; t++)
		if ((R(m, t)->req == CF_REQ_ACCEPT || R(m, t)->req == CF_REQ_ACCEPT_MULTI) &&
		    cf_has_sqe(R(m, t)))
			return 0;
	return 1;
}

/* Is request i's fd (by number, not fixed) open from its queueing to the
 * end of the execution? */
static int fd_never_closed(const struct model *m, int i)
{
	const struct cf_req_rec *r = R(m, i);

	return cf_uses_file(r->req) && !r->fixed && r->slot != CF_SLOT_BADFD && !r->slot_closed &&
	       m->closed_at[r->slot] < 0;
}

/* Did request i's file surely stay a socket: a socket slot, by fixed index,
 * never closed, or consumed before its close (the request holds the file
 * from then on; SQPOLL's consumption acts are only approximate)? Then it
 * cannot fail -ENOTSOCK (seed 187). */
static int surely_socket(const struct model *m, int i)
{
	const struct cf_req_rec *r = R(m, i);
	int closed;

	if (!cf_uses_file(r->req) || r->slot < CF_SLOT_SOCK0_A || r->slot > CF_SLOT_CLIENT1)
		return 0;
	closed = m->closed_at[r->slot];
	if (r->fixed || (closed < 0 && !r->slot_closed))
		return 1;
	return !r->slot_closed && m->h->mode != CF_MODE_SQPOLL && r->sub_act >= 0 && r->sub_act < closed;
}

/* Is request i's file surely not a socket: a pipe end, the eventfd, the
 * file, the signalfd, timerfd or a ring, held as surely_socket holds one?
 * Then an accept, recv or connect on it fails (-ENOTSOCK): it never posts
 * a result >= 0 (seed 530). */
static int surely_not_socket(const struct model *m, int i)
{
	const struct cf_req_rec *r = R(m, i);
	int closed = m->closed_at[r->slot];

	if (!cf_uses_file(r->req) || (r->slot >= CF_SLOT_SOCK0_A && r->slot <= CF_SLOT_CLIENT1) ||
	    r->slot == CF_SLOT_BADFD || r->slot >= CF_SLOT__COUNT)
		return 0;
	if (r->fixed || (closed < 0 && !r->slot_closed))
		return 1;
	if (!r->slot_closed && m->h->mode != CF_MODE_SQPOLL && r->sub_act >= 0 && r->sub_act < closed)
		return 1;
	/* closed: its number is free (-EBADF) unless an accept made a socket
	 * with it, so no accept consumed by then (seed 539) */
	for (unsigned t = 0; t < m->h->nreqs; t++)
		if ((int)t != i && (R(m, t)->req == CF_REQ_ACCEPT || R(m, t)->req == CF_REQ_ACCEPT_MULTI) &&
		    R(m, t)->sub_act >= 0 && (r->sub_act < 0 || R(m, t)->sub_act <= r->sub_act))
			return 0;
	return m->h->mode != CF_MODE_SQPOLL && r->sub_act >= 0;
}

static int socket_only(unsigned req)
{
	return req == CF_REQ_ACCEPT || req == CF_REQ_ACCEPT_MULTI || req == CF_REQ_RECV ||
	       req == CF_REQ_RECV_MULTI || req == CF_REQ_RECVMSG_MULTI || req == CF_REQ_CONNECT;
}

/* Can the request fail -EBADF on an open fd, because the fd was not opened
 * for what it does (a read on a pipe's write end)? Polls, accepts,
 * receives and connects cannot: a wrong kind of file gives them another
 * error (seed 533). */
static int checks_access_mode(unsigned req)
{
	return req != CF_REQ_POLL && req != CF_REQ_POLL_MULTI && req != CF_REQ_ACCEPT &&
	       req != CF_REQ_ACCEPT_MULTI && req != CF_REQ_RECV && req != CF_REQ_RECV_MULTI &&
	       req != CF_REQ_RECVMSG_MULTI && req != CF_REQ_CONNECT;
}

/* The end a pipe read end or socketpair end reads from; -1 for others. */
static int peer_of(unsigned slot)
{
	switch (slot) {
	case CF_SLOT_PIPE0_R: return CF_SLOT_PIPE0_W;
	case CF_SLOT_PIPE1_R: return CF_SLOT_PIPE1_W;
	case CF_SLOT_SOCK0_A: return CF_SLOT_SOCK0_B;
	case CF_SLOT_SOCK0_B: return CF_SLOT_SOCK0_A;
	case CF_SLOT_SOCK1_A: return CF_SLOT_SOCK1_B;
	case CF_SLOT_SOCK1_B: return CF_SLOT_SOCK1_A;
	}
	return -1;
}

/* Can a read or recv of request i end 0 (end of file) by the end of act
 * `act`? Only once the peer end was closed or shut down for writing, or the
 * teardown began; the program's writes always carry at least one byte. */
static int eof_possible(const struct model *m, int i, unsigned act)
{
	const struct cf_req_rec *r = R(m, i);
	int peer = peer_of(r->slot);

	if ((r->req != CF_REQ_READ && r->req != CF_REQ_RECV) || r->fixed || peer < 0)
		return 1;
	return (m->closed_at[peer] >= 0 && (unsigned)m->closed_at[peer] <= act) ||
	       done_by(m, act, CF_DO_SHUTDOWN, peer);
}

/* Can a request of this kind make another end -ECANCELED? A cancel can;
 * a kind added later counts as one until someone says otherwise. */
static int may_cancel_others(unsigned req)
{
	switch (req) {
	case CF_REQ_NOP: case CF_REQ_READ: case CF_REQ_RECV: case CF_REQ_WRITE: case CF_REQ_POLL:
	case CF_REQ_POLL_MULTI: case CF_REQ_ACCEPT: case CF_REQ_ACCEPT_MULTI: case CF_REQ_RECV_MULTI:
	case CF_REQ_TIMEOUT_LONG: case CF_REQ_TIMEOUT_SHORT: case CF_REQ_FUTEX_WAIT: case CF_REQ_WAITID:
	case CF_REQ_READ_FILE: case CF_REQ_RECVMSG_MULTI: case CF_REQ_MSG_RING: case CF_REQ_MSG_RING_SKIP:
	case CF_REQ_CONNECT: case CF_REQ_FUTEX_WAITV: case CF_REQ_WAITID_ALL: case CF_REQ_READV_DIRECT:
	case CF_REQ_WRITEV_DIRECT: case CF_REQ_TIMEOUT_UPDATE: case CF_REQ_LINK_TIMEOUT_UPDATE:
		return 0; /* (a poll update may end the poll it re-arms; removes end their target) */
	}
	return 1;
}

/* May request k end request i? A link timeout cancels its own request by
 * user_data, so another of that user_data too (D30); a timer cancels
 * nothing; the other kinds are not told apart. */
static int may_cancel(const struct model *m, int k, int i)
{
	unsigned req = R(m, k)->req;
	int p = m->r[k].chain_prev;

	/* (one in a chain that fails at submit never arms: campaign seed 77,
	 * 5a8e8aed) */
	if (cf_is_link_timeout(req))
		return p >= 0 && !chain_fails_at_submit(m, k) && R(m, p)->user_data == R(m, i)->user_data;
	if (req == CF_REQ_TIMEOUT || req == CF_REQ_TIMEOUT_MULTI)
		return 0;
	/* a remove or update ends only a request of the kind it names, with its
	 * key, and none when its prep fails (campaign seed 80, 5a8e8aed) */
	if (cf_is_remove_kind(req))
		return !cf_prep_fails(m->h, (unsigned)k) && cf_remove_matches(m->h, (unsigned)k, (unsigned)i);
	return may_cancel_others(req);
}

/* Did cancel k fail (its own CQE, whose user_data no other request has,
 * or a sync cancel's return)? Then it canceled nothing (campaign seed 81,
 * 5a8e8aed: a cancel refused -EOPNOTSUPP). */
static int cancel_failed(const struct model *m, int k)
{
	const struct cf_req_rec *r = R(m, k);

	if (!cf_has_sqe(r))
		return m->h->acts[r->act].res < 0;
	for (unsigned c = 0; c < m->h->ncqes; c++)
		if (m->h->cqes[c].user_data == r->user_data)
			return m->h->cqes[c].res < 0;
	return 0;
}

/* Can request i have ended -ECANCELED by the end of act `act`? Only with a
 * cause: its chain (a member failed, a link timeout fired), a cancel queued
 * by then that matches it, or the teardown. */
static int cancel_possible(const struct model *m, int i, unsigned act)
{
	const struct cf_history *h = m->h;
	const struct cf_req_rec *r = R(m, i);

	if (m->r[i].chain_prev >= 0 || cf_links_next(r) || m->h->mode == CF_MODE_SQPOLL)
		return 1;
	if (done_by(m, act, CF_DO__COUNT, -1)) /* the teardown began */
		return 1;
	for (unsigned k = 0; k < h->nreqs; k++) {
		const struct cf_req_rec *x = R(m, (int)k);

		if (x->act > act)
			continue;
		if (x->req == CF_REQ_CANCEL ? cf_cancel_matches(h, x, r) && !cancel_failed(m, (int)k)
					    : may_cancel(m, (int)k, i))
			return 1;
	}
	return 0;
}

/* Can a read or recv of request i return data by the end of act `act`?
 * Only once something was written into its peer end: a program write, or
 * a request on the peer end (the teardown aside). */
static int data_possible(const struct model *m, int i, unsigned act)
{
	const struct cf_req_rec *r = R(m, i);
	const struct cf_history *h = m->h;
	int peer = peer_of(r->slot);

	if (r->req != CF_REQ_READ && r->req != CF_REQ_RECV)
		return 1;
	/* a client socket's peer is the socket an accept made, which no slot
	 * names: only a write to a closed slot's number that the accept took
	 * again can reach it (campaign seed 73) */
	if ((r->slot == CF_SLOT_CLIENT0 || r->slot == CF_SLOT_CLIENT1) && !r->fixed) {
		for (unsigned s = 0; s < CF_SLOT__COUNT; s++)
			if (m->closed_at[s] >= 0 && (unsigned)m->closed_at[s] <= act)
				return 1;
		return r->slot_closed || h->mode == CF_MODE_SQPOLL;
	}
	if (peer < 0 || done_by(m, act, CF_DO_WRITE, peer))
		return 1;
	for (unsigned k = 0; k < h->nreqs; k++)
		if (R(m, (int)k)->slot == (unsigned)peer && R(m, (int)k)->req != CF_REQ_CANCEL &&
		    R(m, (int)k)->sub_act >= 0 && (unsigned)R(m, (int)k)->sub_act <= act)
			return 1;
	return 0;
}

/* Did a `complete write` arm the timerfd slot by the end of act `act`? */
static int timerfd_armed_by(const struct model *m, unsigned act)
{
	for (unsigned a = 0; a <= act && a < m->h->nacts; a++) {
		const struct cf_act_rec *x = &m->h->acts[a];

		if (x->kind == CF_ACT_OP && x->op_kind == CF_OP_COMPLETE && x->a[CF_D_WHAT] == CF_DO_WRITE &&
		    x->a[CF_D_SLOT] == CF_SLOT_TIMERFD && x->res >= 0)
			return 1;
	}
	return 0;
}

/* The signalfd slot never becomes readable (nothing sends SIGURG), the
 * timerfd slot only once a `complete write` armed it, and neither takes a
 * write(2). A request on one (its file, not a number reused after a
 * close) can only fail or be canceled until then. */
static int never_ready(const struct model *m, int i, unsigned act)
{
	const struct cf_req_rec *r = R(m, i);

	/* (a cancel's slot is its key: it waits for nothing; campaign seed
	 * 78, 10ace072) */
	return (r->slot == CF_SLOT_SIGNALFD || (r->slot == CF_SLOT_TIMERFD && !timerfd_armed_by(m, act))) &&
	       cf_uses_file(r->req) && r->req != CF_REQ_READ_FILE && r->req != CF_REQ_CANCEL &&
	       (r->fixed || fd_never_closed(m, i));
}

/* Physical impossibilities: request i cannot have posted CQE c whatever
 * the kernel did wrong (its result, or its timing against the program's
 * own writes, wakes and closes). */
/* Was a request that remove or update i can find (its kind, its key)
 * queued by the end of act `act` (consumed, except on SQPOLL)? */
static int target_submitted(const struct model *m, int i, unsigned act)
{
	for (unsigned t = 0; t < m->h->nreqs; t++)
		if (cf_remove_matches(m->h, (unsigned)i, t) && R(m, t)->act <= act &&
		    (m->h->mode == CF_MODE_SQPOLL || (R(m, t)->sub_act >= 0 && (unsigned)R(m, t)->sub_act <= act)))
			return 1;
	return 0;
}

/* Was the slot's file opened for what the request does: a read of a pipe's
 * read end, a write of its write end (seed 546)? */
static int opened_for(unsigned req, unsigned slot)
{
	if (req == CF_REQ_READ)
		return slot == CF_SLOT_PIPE0_R || slot == CF_SLOT_PIPE1_R;
	if (req == CF_REQ_WRITE)
		return slot == CF_SLOT_PIPE0_W || slot == CF_SLOT_PIPE1_W;
	return 0;
}

/* Is some futex_wait or waitid of the program submitted with user_data ud? */
static int futex_waitid_with_ud(const struct model *m, uint64_t ud)
{
	for (unsigned k = 0; k < m->h->nreqs; k++)
		if (cf_has_sqe(R(m, k)) && cf_is_futex_waitid(R(m, k)->req) && R(m, k)->user_data == ud &&
		    R(m, k)->sub_act >= 0)
			return 1;
	return 0;
}

static int surely_not(const struct model *m, int i, const struct cf_cqe_rec *c)
{
	unsigned req = R(m, i)->req;

	if (impossible_res(req, c->res))
		return 1;
	if (c->res >= 0 && (fd_surely_bad(m, i) || never_ready(m, i, c->act)))
		return 1;
	if (c->res == 0 && !eof_possible(m, i, c->act))
		return 1;
	if (c->res > 0 && !data_possible(m, i, c->act))
		return 1;
	if (c->res == -EBADF && fd_never_closed(m, i) &&
	    (!checks_access_mode(req) || opened_for(req, R(m, i)->slot)))
		return 1;
	if (c->res == -ENOTSOCK && surely_socket(m, i))
		return 1;
	/* an accepted socket's fd: the harness holds fds 0-2 (resources.c),
	 * so a 1 or 2 is another request's count (campaign seed 62) */
	if (c->res >= 0 && c->res < 3 && (req == CF_REQ_ACCEPT || req == CF_REQ_ACCEPT_MULTI))
		return 1;
	if (c->res >= 0 && socket_only(req) && surely_not_socket(m, i))
		return 1;
	/* a fixed file: index == slot, registered when the slot was made, and
	 * a close of the slot leaves the table's reference (seed 508); only
	 * the wrong access mode (a write on a read end) fails (campaign seed
	 * 76, 10ace072) */
	if (c->res == -EBADF && R(m, i)->fixed && cf_uses_file(req) && R(m, i)->slot < CF_SLOT_BADFD &&
	    (!checks_access_mode(req) || opened_for(req, R(m, i)->slot)))
		return 1;
	/* a timeout without a count is a pure timer: -ETIME, with
	 * IORING_TIMEOUT_ETIME_SUCCESS too ("The posted CQE result code will
	 * still contain -ETIME", io_uring_prep_timeout(3); seeds 174, 515) */
	if (c->res >= 0 && req == CF_REQ_TIMEOUT && (cf_req_qflags(m->h, (unsigned)i) >> CF_SQE_COUNT_SHIFT) == 0)
		return 1;
	/* a remove or update succeeds only on a request of the kind it looks
	 * for, with its key, submitted by then (seed 535) */
	if (c->res == 0 && cf_is_remove_kind(req) && !target_submitted(m, i, c->act))
		return 1;
	/* a remove or update whose fields its prep refuses (sqe->ioprio set,
	 * ...) posts -EINVAL, outside a DRAIN (which may refuse it first) and
	 * a chain (campaign seed 70, 5a8e8aed) */
	if (cf_is_remove_kind(req) && c->res != -EINVAL && cf_prep_fails(m->h, (unsigned)i) &&
	    !(R(m, i)->sqe_flags & CF_SQE_DRAIN) && !cf_in_chain(m->h, (unsigned)i))
		return 1;
	/* a remove, update, timeout or link timeout fails -EOPNOTSUPP only
	 * for IOSQE_IO_DRAIN on a ring that saw CQE_SKIP_SUCCESS or a
	 * multishot: their preps refuse with -EINVAL (seed 198; campaign
	 * seed 74, 5a8e8aed) */
	if (c->res == -EOPNOTSUPP && !(R(m, i)->sqe_flags & CF_SQE_DRAIN) &&
	    (cf_is_remove_kind(req) || cf_is_timeout(req) || cf_is_link_timeout(req)))
		return 1;
	/* IOSQE_CQE_SKIP_SUCCESS: a success posts nothing; only a failure
	 * (req_set_fail) clears the skip. Reads and writes may fail with a
	 * short count (res >= 0) in a chain, so they are left out (seed 195). */
	if (c->res >= 0 && (R(m, i)->sqe_flags & CF_SQE_SKIP) && R(m, i)->req != CF_REQ_CANCEL &&
	    !cf_req_is_multishot(req) && req != CF_REQ_READ && req != CF_REQ_WRITE &&
	    req != CF_REQ_RECV && req != CF_REQ_READ_FILE)
		return 1;
	/* a msg_ring of data completes while it is issued: outside io-wq, a
	 * chain, a DRAIN's hold and SQPOLL its CQE shows in the act that
	 * submitted it (or, the CQ full then, when the overflow list is
	 * flushed), and a silent one (CQE_SKIP_SUCCESS) posts nothing later
	 * (cov3 fuzzing; seed 548; pass-regress-msg-ring-cqe-in-overflow-list) */
	if ((req == CF_REQ_MSG_RING || req == CF_REQ_MSG_RING_SKIP) && m->h->mode != CF_MODE_SQPOLL &&
	    !(R(m, i)->sqe_flags & (CF_SQE_ASYNC | CF_SQE_LINK | CF_SQE_HARDLINK | CF_SQE_DRAIN)) &&
	    !cf_behind_link(m->h, (unsigned)i) && R(m, i)->sub_act >= 0 &&
	    !m->drain_seen_by[R(m, i)->sub_act] && !m->h->acts[R(m, i)->sub_act].overflow &&
	    m->h->acts[R(m, i)->sub_act].actor == 0 && !m->h->acts[R(m, i)->sub_act].group &&
	    c->act != (unsigned)R(m, i)->sub_act)
		return 1;
	/* a lone link timeout (none ahead of it in its submit, or another
	 * link timeout: io_link_timeout_prep) fails at prep: it never fires
	 * (campaign seed 62, 6f65edd7) and is never pending, so no cancel
	 * ends it either (blind rediscovery run, a614bf43) */
	if (lone_link_timeout(m, i) && (c->res == -ETIME || c->res == -ENOENT || c->res == -EALREADY ||
					c->res == -ECANCELED || c->res >= 0))
		return 1;
	/* a link timeout's 1 is the count of the futex_wait or waitid its
	 * cancel by its request's user_data found (D03): none has it, no 1
	 * (campaign seed 76, 5a8e8aed: a cancel's link timeout) */
	if (cf_is_link_timeout(req) && c->res == 1 &&
	    (m->r[i].chain_prev < 0 || !futex_waitid_with_ud(m, R(m, m->r[i].chain_prev)->user_data)))
		return 1;
	/* a 60 s link timeout does not fire in an execution: no -ETIME, nor
	 * what the cancel of its request would give then (seed 552) */
	if (cf_is_link_timeout(req) && (c->res == -ETIME || c->res == -ENOENT || c->res == -EALREADY || c->res == 1) &&
	    uring_long_link_timeout(m, i))
		return 1;
	/* waitid P_ALL may reap any child, an earlier execution's too */
	return c->res == 0 && cf_is_futex_waitid(req) && req != CF_REQ_WAITID_ALL &&
	       !woken_by(m, req, c->act);
}

/* A result with no cause the model knows of: -ECANCELED with no cancel,
 * chain or teardown that could have done it. Kernels have bugs of that
 * kind, so this only orders the candidates (the attribution search falls
 * back on them when every other choice leads nowhere). */
static int without_cause(const struct model *m, int i, const struct cf_cqe_rec *c)
{
	return c->res == -ECANCELED && !cancel_possible(m, i, c->act);
}

int uring_cannot_carry(const struct model *m, int i, const struct cf_cqe_rec *c)
{
	return surely_not(m, i, c) || without_cause(m, i, c);
}

/* Several candidates need not make a CQE ambiguous: when as many identical
 * CQEs (user_data, res, flags) follow one another in CQ order (nothing
 * between them is attributed knowing only some have ended) and no other
 * unfinished request of that user_data could carry the result, every
 * candidate ends there with that result, whichever CQE is whose (two
 * futex_waits of one user_data woken by one futex_wake). */
static int interchangeable(const struct model *m, unsigned ci, const int *cand, int n)
{
	const struct cf_history *h = m->h;
	const struct cf_cqe_rec *c = &h->cqes[ci];
	int same = 0;

	for (unsigned j = ci; j < h->ncqes && h->cqes[j].act == c->act && h->cqes[j].user_data == c->user_data &&
			      h->cqes[j].res == c->res && h->cqes[j].flags == c->flags; j++)
		same++;
	if (same < n)
		return 0;
	for (unsigned i = 0; i < h->nreqs; i++) {
		int listed = 0;

		if (!cf_has_sqe(R(m, i)) || R(m, i)->user_data != c->user_data || m->r[i].done)
			continue;
		for (int k = 0; k < n; k++)
			listed |= cand[k] == (int)i;
		if (!listed && !uring_cannot_carry(m, (int)i, c))
			return 0;
	}
	return 1;
}

/* A lone link timeout's CQE is -EINVAL in the act that consumed it: when it
 * is among the candidates for such a CQE, the CQE is its own. Not with
 * IOSQE_IO_DRAIN: on a ring that saw CQE_SKIP_SUCCESS or a multishot it
 * fails -EOPNOTSUPP first (seed 198). */
static int lone_link_timeout_owner(const struct model *m, const struct cf_cqe_rec *c,
				   const int *cand, int n)
{
	for (int k = 0; c->res == -EINVAL && k < n; k++)
		if (lone_link_timeout(m, cand[k]) && R(m, cand[k])->sub_act == (int)c->act &&
		    !(R(m, cand[k])->sqe_flags & CF_SQE_DRAIN))
			return cand[k];
	return -1;
}

/* The attribution is a search. A final CQE that several requests can carry
 * is a choice point; the first pass takes the earliest candidate, as a
 * person would. A CQE no request can carry (every candidate physically
 * impossible, or none at all) is a dead end, and the search goes back to
 * the latest choice point that has an alternative left, up to a budget;
 * if none leads through, the first pass stands and its reports with it.
 * A pass that leads through but gives some -ECANCELED to a request nothing
 * could have canceled is a last resort too: the search goes on from that
 * CQE for one that explains every cancel, and keeps the first pass that
 * led through when none does (seed 551).
 * Alternatives proven dead end are not counted as ambiguity. */
#define SEARCH_BUDGET 64

static struct {
	int quiet;                    /* a trial pass: report nothing */
	int dead_end;                 /* first CQE of this pass no request can carry, -1 */
	int dead_ud_known;            /* the dead end is about one user_data: */
	uint64_t dead_ud;             /* this one */
	int uncaused;                 /* first CQE given to a request without a cause, -1 */
	uint8_t through[CF_MAX_CQES]; /* the choices of the first pass that led through */
	uint8_t choice[CF_MAX_CQES];  /* the alternative each choice point takes */
	uint8_t alts[CF_MAX_CQES];    /* how many it had (1: no choice) */
} search;

#define note(m, ...) do { if (!search.quiet) report(m, __VA_ARGS__); } while (0)

/* A dead end at CQE ci (the CQE count: after the last CQE) that only the
 * choices for CQEs of user_data ud can undo (known), or any choice. */
static void dead_end_of(unsigned ci, int known, uint64_t ud)
{
	if (search.dead_end >= 0)
		return;
	search.dead_end = (int)ci;
	search.dead_ud_known = known;
	search.dead_ud = ud;
}

/* No request of its user_data can carry CQE ci: only the choices among
 * that user_data's requests led there. */
static void dead_end(const struct cf_history *h, unsigned ci)
{
	dead_end_of(ci, 1, h->cqes[ci].user_data);
}

/* Orders the candidates: those with a known cause first, then those
 * without (-ECANCELED with nothing that could cancel them). Returns how
 * many have a cause (the first tier); *n drops the physically impossible,
 * unless none is left (a dead end: all stay, as before the search). */
static int order_candidates(const struct model *m, unsigned ci, int *cand, int *n)
{
	const struct cf_cqe_rec *c = &m->h->cqes[ci];
	int caused[CF_MAX_REQS], uncaused[CF_MAX_REQS], nc = 0, nu = 0;

	if (!CF_CQE_FINAL(c))
		return *n;
	for (int k = 0; k < *n; k++) {
		if (surely_not(m, cand[k], c))
			continue;
		if (without_cause(m, cand[k], c))
			uncaused[nu++] = cand[k];
		else
			caused[nc++] = cand[k];
	}
	if (nc + nu == 0) {
		dead_end(m->h, ci);
		return *n;
	}
	memcpy(cand, caused, sizeof(int) * (size_t)nc);
	memcpy(cand + nc, uncaused, sizeof(int) * (size_t)nu);
	*n = nc + nu;
	return nc ? nc : nu;
}

static void attribute_cqe(struct model *m, unsigned ci)
{
	const struct cf_history *h = m->h;
	const struct cf_cqe_rec *c = &h->cqes[ci];
	int more = !CF_CQE_FINAL(c), cand[CF_MAX_REQS], n = 0, any_done = -1, single = -1;
	int tier, pick = 0, from, to, same, owner = -1;

	search.alts[ci] = 1;
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, i);

		if (!cf_has_sqe(r) || r->user_data != c->user_data)
			continue;
		/* SQPOLL: the CQ tail may be read before the SQ head that covers it */
		if (!m->r[i].submitted && !(h->mode == CF_MODE_SQPOLL && r->act <= c->act))
			continue;
		if (m->r[i].done) {
			any_done = (int)i;
			continue;
		}
		if (more && !cf_req_is_multishot(r->req)) {
			single = (int)i;
			continue;
		}
		cand[n++] = (int)i;
	}
	if (more && c->res == -ECANCELED)
		note(m, INV_MULTISHOT_FINAL, NULL, 0,
		     "CQE ud=0x%llx res=-ECANCELED after act %u still has IORING_CQE_F_MORE",
		     (unsigned long long)c->user_data, c->act);
	if (n == 0 && more && single >= 0 && any_done >= 0 && swap_ambiguous(m, c->user_data))
		return;
	if (n == 0) {
		dead_end(h, ci);
		if (more && single >= 0)
			note(m, INV_MULTISHOT_FINAL, NULL, 0,
			     "CQE ud=0x%llx after act %u has IORING_CQE_F_MORE but request %d is single-shot",
			     (unsigned long long)c->user_data, c->act, single);
		else if (any_done >= 0 && cf_req_is_multishot(R(m, any_done)->req))
			note(m, INV_MULTISHOT_FINAL, NULL, 0,
			     "CQE ud=0x%llx res=%d after act %u follows the final CQE of multishot request %d",
			     (unsigned long long)c->user_data, c->res, c->act, any_done);
		else if (any_done >= 0)
			note(m, INV_EXACTLY_ONCE, NULL, 0,
			     "second final CQE ud=0x%llx res=%d after act %u for request %d",
			     (unsigned long long)c->user_data, c->res, c->act, any_done);
		else
			note(m, INV_EXACTLY_ONCE, NULL, 0,
			     "CQE ud=0x%llx res=%d after act %u belongs to no submitted request",
			     (unsigned long long)c->user_data, c->res, c->act);
		return;
	}
	n = drop_waiting_members(m, cand, n, c->act);
	tier = order_candidates(m, ci, cand, &n);
	/* the lone link timeout comes first; the others stay for the search:
	 * its -EINVAL need not be the first of its user_data (seed 551) */
	if (CF_CQE_FINAL(c) && (owner = lone_link_timeout_owner(m, c, cand, n)) >= 0)
		for (int k = 0; k < n; k++)
			if (cand[k] == owner) {
				cand[k] = cand[0];
				cand[0] = owner;
			}
	same = !more && n > 1 && interchangeable(m, ci, cand, tier);
	if (!more && n > 1 && !same) {
		search.alts[ci] = (uint8_t)(n < 255 ? n : 255);
		pick = search.choice[ci] < n ? search.choice[ci] : n - 1;
	}
	/* the alternatives still alive in the picked one's tier are ambiguous;
	 * those before it were dead ends; a lone link timeout's CQE is not */
	from = more ? 0 : pick;
	to = more || pick < tier ? tier : n;
	if (to - from > 1 && !same && owner < 0)
		for (int k = from; k < to; k++)
			m->r[cand[k]].ambiguous = 1;
	if (more)
		return;
	if (search.uncaused < 0 && without_cause(m, cand[pick], c))
		search.uncaused = (int)ci;
	m->r[cand[pick]].done = 1;
	m->r[cand[pick]].final_act = (int16_t)c->act;
	m->r[cand[pick]].final_res = c->res;
	if (R(m, cand[pick])->req == CF_REQ_CANCEL)
		m->r[cand[pick]].cqe = (int16_t)ci;
}

/* IOSQE_CQE_SKIP_SUCCESS: a request that succeeds posts no CQE, and when a
 * chain member that carries it fails, the members behind it post none. */
static void mark_silent(struct model *m)
{
	for (unsigned i = 0; i < m->h->nreqs; i++) {
		int skip = 0;

		if (!cf_has_sqe(R(m, i)) || R(m, i)->sub_act < 0)
			continue;
		for (int k = (int)i; k >= 0 && !skip; k = m->r[k].chain_prev)
			skip = cf_req_skips(R(m, k));
		m->r[i].maysilent = (uint8_t)skip;
		m->r[i].silent = (uint8_t)(skip && !m->r[i].done);
	}
}

static void one_pass(struct model *m)
{
	const struct cf_history *h = m->h;
	unsigned ci = 0;
	int prev_sqe = -1;

	search.dead_end = search.uncaused = -1;
	for (unsigned i = 0; i < h->nreqs; i++) {
		m->r[i].submitted = m->r[i].done = m->r[i].ambiguous = 0;
		m->r[i].final_act = -1;
		m->r[i].final_res = 0;
		m->r[i].chain_prev = -1;
		m->r[i].cqe = -1;
		if (!cf_has_sqe(R(m, i)))
			continue;
		/* a chain left open at a submit is cut there (io_submit_state_end):
		 * only SQEs one submit consumed are linked (SQPOLL's consumption
		 * acts are only approximate: there any; seed 196) */
		if (prev_sqe >= 0 && cf_links_next(R(m, prev_sqe)) &&
		    (h->mode == CF_MODE_SQPOLL || R(m, prev_sqe)->sub_act == R(m, i)->sub_act))
			m->r[i].chain_prev = (int16_t)prev_sqe;
		prev_sqe = (int)i;
	}
	for (unsigned a = 0; a < h->nacts; a++) {
		mark_submitted(m, a);
		for (; ci < h->ncqes && h->cqes[ci].act == a; ci++)
			attribute_cqe(m, ci);
	}
	mark_silent(m);
}

/* The latest choice point before the dead end with an alternative left:
 * take it, and the first alternative at every later one. A dead end of one
 * user_data jumps back to the latest choice among that user_data's CQEs
 * first: choices for other user_data cannot undo it, and trying them all
 * spent the budget before reaching the one that could (campaign seed 72,
 * b790d264). */
static int backtrack(const struct cf_history *h)
{
	for (int pass = !search.dead_ud_known; pass < 2; pass++)
		for (int ci = search.dead_end - 1; ci >= 0; ci--)
			if (search.choice[ci] + 1 < search.alts[ci] &&
			    (pass || h->cqes[ci].user_data == search.dead_ud)) {
				search.choice[ci]++;
				memset(search.choice + ci + 1, 0, h->ncqes - (unsigned)ci - 1);
				return 1;
			}
	return 0;
}

/* A request with no CQE_SKIP_SUCCESS on itself or ahead in its chain
 * always posts a final CQE (a remove or update its result, or anything
 * -ECANCELED with its chain; the teardown ends the rest): a pass that
 * leaves one without a CQE gave its CQE to another request, a dead end at
 * the end of the CQEs (seeds 510, 536; pass-regress-d55-ud-shared-with-
 * failed-removes). When no pass leads through
 * (a request the teardown could not end), the first pass stands. */
static void unposted_final(const struct model *m)
{
	const struct cf_history *h = m->h;

	if (search.dead_end >= 0 || h->cqes_lost)
		return;
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, (int)i);

		if (cf_has_sqe(r) && r->sub_act >= 0 && !m->r[i].maysilent && !m->r[i].doomed && !m->r[i].done &&
		    !uring_held_by_rearming_timeout(m, i)) { /* D55: no cancel ends it */
			dead_end_of(h->ncqes, 1, r->user_data);
			return;
		}
	}
}

void uring_attribute(struct model *m)
{
	const struct cf_history *h = m->h;
	int tries = 0;

	int through = 0;

	memset(search.choice, 0, h->ncqes);
	search.quiet = 1;
	one_pass(m);
	unposted_final(m);
	for (;;) {
		if (search.dead_end < 0 && search.uncaused < 0)
			break; /* every CQE carried, every cancel explained */
		if (search.dead_end < 0) {
			if (!through) /* leads through: the fallback */
				memcpy(search.through, search.choice, h->ncqes);
			through = 1;
			/* what could have canceled it may be of any user_data */
			dead_end_of((unsigned)search.uncaused, 0, 0);
		}
		if (tries++ >= SEARCH_BUDGET || !backtrack(h)) {
			if (through)
				memcpy(search.choice, search.through, h->ncqes);
			else /* nothing better: the first pass stands */
				memset(search.choice, 0, h->ncqes);
			break;
		}
		one_pass(m);
		unposted_final(m);
	}
	search.quiet = 0;
	one_pass(m);
}

/* The next member of k's chain, as the kernel saw it: linked behind k and
 * consumed by the same submit (a chain left open at a submit is cut). */
static int chain_next(const struct model *m, int k)
{
	for (unsigned j = (unsigned)k + 1; j < m->h->nreqs; j++)
		if (m->r[j].chain_prev == k)
			return R(m, j)->sub_act == R(m, k)->sub_act ? (int)j : -1;
	return -1;
}

/* A link timeout is armed only behind a request that linked it in the same
 * submit and is not itself a link timeout (io_link_timeout_prep); a lone
 * one fails prep with -EINVAL and is never pending. */
static int lone_link_timeout(const struct model *m, int i)
{
	int p = m->r[i].chain_prev;

	return cf_is_link_timeout(R(m, i)->req) && R(m, i)->sub_act >= 0 &&
	       (p < 0 || cf_is_link_timeout(R(m, p)->req) || R(m, p)->sub_act != R(m, i)->sub_act);
}

/* A lone link timeout fails the chain the kernel sees it in: the members
 * consumed with it ahead of it (behind another link timeout), itself, and
 * those it links (with IOSQE_IO_LINK it starts a failed chain). */
static void mark_lone_link_timeouts(struct model *m)
{
	for (unsigned i = 0; i < m->h->nreqs; i++) {
		int from = (int)i;

		if (!lone_link_timeout(m, (int)i))
			continue;
		while (m->r[from].chain_prev >= 0 &&
		       R(m, m->r[from].chain_prev)->sub_act == R(m, from)->sub_act)
			from = m->r[from].chain_prev;
		for (int k = from; k >= 0; k = chain_next(m, k))
			m->r[k].doomed = 1;
	}
}

/* A chain member that fails prep (a cancel with invalid fields, a lone link
 * timeout) fails the whole chain at submit: the others end -ECANCELED
 * without being issued. */
void uring_mark_doomed_chains(struct model *m)
{
	const struct cf_history *h = m->h;
	int errs[4], n;

	mark_lone_link_timeouts(m);
	/* An SQE that fails prep ends the enter that carried it (a lone link
	 * timeout only when it does not start a chain); the SQEs after it that
	 * the same act consumed went in by a later enter (the teardown's
	 * end_submit loops), after task work ran. */
	for (unsigned i = 0; i < h->nreqs; i++) {
		const struct cf_req_rec *r = R(m, i);

		if (!cf_has_sqe(r) || r->sub_act < 0 ||
		    !((r->req == CF_REQ_CANCEL && uring_field_errors(m, r, errs, &n)) || cf_prep_fails(m->h, i) ||
		      (lone_link_timeout(m, (int)i) && !cf_links_next(r))))
			continue;
		for (unsigned k = i + 1; k < h->nreqs; k++)
			if (cf_has_sqe(R(m, k)) && R(m, k)->sub_act == r->sub_act)
				m->r[k].late_enter = 1;
	}

	for (unsigned i = 0; i < h->nreqs; i++)
		if (cf_has_sqe(R(m, i)) && (m->r[i].chain_prev >= 0 || cf_links_next(R(m, i))) &&
		    chain_fails_at_submit(m, (int)i))
			m->r[i].doomed = 1;
}

/* Is k in a chain one of whose members fails its prep (a cancel with bad
 * fields, cf_prep_fails, a lone link timeout) or is refused at init (a
 * DRAIN the ring no longer allows)? The whole chain fails at submit then. */
static int chain_fails_at_submit(const struct model *m, int k)
{
	int errs[4], n;

	while (m->r[k].chain_prev >= 0)
		k = m->r[k].chain_prev;
	for (; k >= 0; k = chain_next(m, k))
		if ((R(m, k)->req == CF_REQ_CANCEL && uring_field_errors(m, R(m, k), errs, &n)) ||
		    cf_prep_fails(m->h, (unsigned)k) || lone_link_timeout(m, k) ||
		    cf_drain_refused(m->h, (unsigned)k))
			return 1;
	return 0;
}
