/* The io_uring model predicates over recorded requests (model.h). */
#include "model.h"

#include <errno.h>

int cf_has_sqe(const struct cf_req_rec *r)
{
	return !(r->req == CF_REQ_CANCEL && r->api == CF_CANCEL_SYNC);
}

int cf_links_next(const struct cf_req_rec *r)
{
	if (r->req == CF_REQ_CANCEL)
		return cf_has_sqe(r) && (r->odd & CF_ODD_LINK);
	return !!(r->sqe_flags & (CF_SQE_LINK | CF_SQE_HARDLINK));
}

int cf_is_link_timeout(unsigned req)
{
	return req == CF_REQ_LINK_TIMEOUT_LONG || req == CF_REQ_LINK_TIMEOUT_SHORT;
}

int cf_uses_file(unsigned req)
{
	return req != CF_REQ_NOP && req != CF_REQ_TIMEOUT_LONG && req != CF_REQ_TIMEOUT_SHORT &&
	       !cf_is_link_timeout(req) && req != CF_REQ_FUTEX_WAIT && req != CF_REQ_WAITID;
}

int cf_canceled_res(int res)
{
	return res == -ECANCELED || res == -EINTR;
}

/* Seen on 6.18: an OP-only cancel finds a waitid of another user_data.
 * Both spec levels match this way: where the pages differ (ANY alone) the
 * oracle's count checks carry the divergence tag. */
int cf_cancel_matches(const struct cf_req_rec *c, const struct cf_req_rec *t)
{
	uint32_t f = c->cancel_flags;

	if (t->req == CF_REQ_CANCEL || cf_is_link_timeout(t->req))
		return 0; /* completes at once / lives on its chain, not on a cancel list */
	/* io_try_cancel() skips the timeout list when FD is set; a timeout with
	 * IOSQE_ASYNC, or released from a DRAIN, goes through io-wq, where ANY
	 * finds it. */
	if (f & CF_CANCEL_F_ANY)
		return !((f & CF_CANCEL_F_FD) &&
			 (t->req == CF_REQ_TIMEOUT_LONG || t->req == CF_REQ_TIMEOUT_SHORT) &&
			 !(t->sqe_flags & (CF_SQE_ASYNC | CF_SQE_DRAIN)));
	if (f & CF_CANCEL_F_FD) {
		if (!cf_uses_file(t->req) || t->slot != c->slot)
			return 0;
	}
	if ((f & CF_CANCEL_F_OP) && cf_req_opcode(t->req) != cf_req_opcode(c->opreq))
		return 0;
	if ((f & CF_CANCEL_F_USERDATA) || !(f & (CF_CANCEL_F_FD | CF_CANCEL_F_OP)))
		return t->user_data == c->key_ud;
	return 1;
}
