/* io_uring oracle, pass 1: which CQE belongs to which request (by
 * user_data, in CQ order; requests that share a user_data are marked
 * ambiguous), reporting CQEs that belong to none or break multishot's
 * F_MORE rule, and which requests sit in a link chain that fails as a
 * whole. */
#include "uring.h"

#include <errno.h>

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
 * only approximate. */
static int may_own(const struct model *m, int i)
{
	int p = m->r[i].chain_prev;

	return p < 0 || m->r[p].done || m->r[p].ambiguous || m->h->mode == CF_MODE_SQPOLL ||
	       R(m, p)->sub_act != R(m, i)->sub_act || cf_is_link_timeout(R(m, i)->req) ||
	       cf_is_link_timeout(R(m, p)->req);
}

/* Drops the candidates that cannot own the CQE, when one that can remains.
 * Returns the new count. */
static int drop_waiting_members(const struct model *m, int *cand, int n)
{
	int kept = 0;

	for (int k = 0; k < n; k++)
		kept += may_own(m, cand[k]);
	if (kept == 0 || kept == n)
		return n;
	kept = 0;
	for (int k = 0; k < n; k++)
		if (may_own(m, cand[k]))
			cand[kept++] = cand[k];
	return kept;
}

static int lone_link_timeout(const struct model *m, int i);

/* Results a request's final CQE cannot carry: a poll's is its revents
 * (never 0) or an error; a futex_wait's or waitid's is 0 or an error; only
 * a request on a file can fail -EBADF. */
static int impossible_res(unsigned req, int res)
{
	if (res == -EBADF)
		return !cf_uses_file(req);
	if (req == CF_REQ_POLL || req == CF_REQ_POLL_MULTI)
		return res == 0;
	if (cf_is_futex_waitid(req))
		return res > 0;
	return 0;
}

/* Drops the candidates that cannot carry the CQE's result, when one that
 * can remains. */
static int drop_impossible(const struct model *m, const struct cf_cqe_rec *c, int *cand, int n)
{
	int kept = 0;

	if (!CF_CQE_FINAL(c))
		return n;
	for (int k = 0; k < n; k++)
		kept += !impossible_res(R(m, cand[k])->req, c->res);
	if (kept == 0 || kept == n)
		return n;
	kept = 0;
	for (int k = 0; k < n; k++)
		if (!impossible_res(R(m, cand[k])->req, c->res))
			cand[kept++] = cand[k];
	return kept;
}

/* A lone link timeout's CQE is -EINVAL in the act that consumed it: when it
 * is among the candidates for such a CQE, the CQE is its own. */
static int lone_link_timeout_owner(const struct model *m, const struct cf_cqe_rec *c,
				   const int *cand, int n)
{
	for (int k = 0; c->res == -EINVAL && k < n; k++)
		if (lone_link_timeout(m, cand[k]) && R(m, cand[k])->sub_act == (int)c->act)
			return cand[k];
	return -1;
}

static void attribute_cqe(struct model *m, unsigned ci)
{
	const struct cf_history *h = m->h;
	const struct cf_cqe_rec *c = &h->cqes[ci];
	int more = !CF_CQE_FINAL(c), cand[CF_MAX_REQS], n = 0, any_done = -1, single = -1;

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
		report(m, INV_MULTISHOT_FINAL, NULL, 0,
		       "CQE ud=0x%llx res=-ECANCELED after act %u still has IORING_CQE_F_MORE",
		       (unsigned long long)c->user_data, c->act);
	if (n == 0 && more && single >= 0 && any_done >= 0 && swap_ambiguous(m, c->user_data))
		return;
	if (n == 0) {
		if (more && single >= 0)
			report(m, INV_MULTISHOT_FINAL, NULL, 0,
			       "CQE ud=0x%llx after act %u has IORING_CQE_F_MORE but request %d is single-shot",
			       (unsigned long long)c->user_data, c->act, single);
		else if (any_done >= 0 && cf_req_is_multishot(R(m, any_done)->req))
			report(m, INV_MULTISHOT_FINAL, NULL, 0,
			       "CQE ud=0x%llx res=%d after act %u follows the final CQE of multishot request %d",
			       (unsigned long long)c->user_data, c->res, c->act, any_done);
		else if (any_done >= 0)
			report(m, INV_EXACTLY_ONCE, NULL, 0,
			       "second final CQE ud=0x%llx res=%d after act %u for request %d",
			       (unsigned long long)c->user_data, c->res, c->act, any_done);
		else
			report(m, INV_EXACTLY_ONCE, NULL, 0,
			       "CQE ud=0x%llx res=%d after act %u belongs to no submitted request",
			       (unsigned long long)c->user_data, c->res, c->act);
		return;
	}
	n = drop_waiting_members(m, cand, n);
	n = drop_impossible(m, c, cand, n);
	if (CF_CQE_FINAL(c) && lone_link_timeout_owner(m, c, cand, n) >= 0) {
		cand[0] = lone_link_timeout_owner(m, c, cand, n);
		n = 1;
	}
	if (n > 1)
		for (int k = 0; k < n; k++)
			m->r[cand[k]].ambiguous = 1;
	if (more)
		return;
	m->r[cand[0]].done = 1;
	m->r[cand[0]].final_act = (int16_t)c->act;
	m->r[cand[0]].final_res = c->res;
	if (R(m, cand[0])->req == CF_REQ_CANCEL)
		m->r[cand[0]].cqe = (int16_t)ci;
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
			skip = R(m, k)->req != CF_REQ_CANCEL && (R(m, k)->sqe_flags & CF_SQE_SKIP);
		m->r[i].maysilent = (uint8_t)skip;
		m->r[i].silent = (uint8_t)(skip && !m->r[i].done);
	}
}

void uring_attribute(struct model *m)
{
	const struct cf_history *h = m->h;
	unsigned ci = 0;
	int prev_sqe = -1;

	for (unsigned i = 0; i < h->nreqs; i++) {
		m->r[i].final_act = -1;
		m->r[i].chain_prev = -1;
		m->r[i].cqe = -1;
		if (!cf_has_sqe(R(m, i)))
			continue;
		if (prev_sqe >= 0 && cf_links_next(R(m, prev_sqe)))
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

	for (unsigned i = 0; i < h->nreqs; i++) {
		int head = (int)i, doomed = 0;

		if (!cf_has_sqe(R(m, i)) || m->r[i].chain_prev >= 0 || !cf_links_next(R(m, i)))
			continue; /* i is not the head of a chain */
		for (int k = head; k >= 0; k = chain_next(m, k))
			doomed |= (R(m, k)->req == CF_REQ_CANCEL && uring_field_errors(m, R(m, k), errs, &n)) ||
				  cf_prep_fails(m->h, (unsigned)k);
		for (int k = head; doomed && k >= 0; k = chain_next(m, k))
			m->r[k].doomed = 1;
	}
}
