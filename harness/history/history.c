/* Building a history: the records the executors append, and their names. */
#include "history.h"

#include <string.h>

const char *const cf_act_kind_names[CF_ACT__COUNT] = {
	"op", "end_submit", "end_cancel", "end_drain", "end_destroy",
};

const char *cf_act_kind_name(unsigned kind)
{
	return kind < CF_ACT__COUNT ? cf_act_kind_names[kind] : "?";
}

int cf_history_version(const struct cf_history *h)
{
	return cf_mode_family(h->mode) == CF_FAMILY_URING ? CF_HISTORY_VERSION_URING
							  : CF_HISTORY_VERSION;
}

unsigned cf_history_begin_act(struct cf_history *h, unsigned kind, int op_index)
{
	struct cf_act_rec *a = &h->acts[h->nacts];

	memset(a, 0, sizeof(*a));
	a->kind = (uint8_t)kind;
	a->op_index = (int16_t)op_index;
	a->req = -1;
	return h->nacts++;
}

unsigned cf_history_begin_op(struct cf_history *h, unsigned i, const struct cf_op *op)
{
	unsigned act = cf_history_begin_act(h, CF_ACT_OP, (int)i);

	h->acts[act].op_kind = op->kind;
	memcpy(h->acts[act].a, op->a, sizeof(op->a));
	return act;
}

struct cf_req_rec *cf_history_new_req(struct cf_history *h, unsigned act, unsigned req)
{
	struct cf_req_rec *r = &h->reqs[h->nreqs];

	memset(r, 0, sizeof(*r));
	r->req = (uint8_t)req;
	r->act = (uint16_t)act;
	r->sub_act = -1;
	r->target = -1;
	r->fd_id = -1;
	h->acts[act].req = (int16_t)h->nreqs;
	h->nreqs++;
	return r;
}
