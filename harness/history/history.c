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

int cf_history_has_actors(const struct cf_history *h)
{
	struct cf_program prog;

	if (!cf_mode_has_actors(h->mode))
		return 0;
	cf_decode(h->program, h->program_len, &prog);
	return cf_program_uses_actors(&prog);
}

int cf_history_version(const struct cf_history *h)
{
	if (cf_history_has_actors(h))
		return CF_HISTORY_VERSION_ACTORS;
	return cf_mode_family(h->mode) == CF_FAMILY_URING ? CF_HISTORY_VERSION_URING : CF_HISTORY_VERSION;
}

void cf_history_reorder_acts(struct cf_history *h, unsigned first, unsigned n, const unsigned *perm)
{
	struct cf_act_rec old[CF_ACTORS + 1];
	unsigned to[CF_ACTORS + 1]; /* old relative position -> new act number */
	uint16_t last = 0;

	if (n > CF_ACTORS + 1 || first + n > h->nacts)
		return;
	memcpy(old, &h->acts[first], n * sizeof(old[0]));
	for (unsigned k = 0; k < n; k++) {
		h->acts[first + k] = old[perm[k]];
		to[perm[k]] = first + k;
	}
#define MOVED(a) ((unsigned)(a) >= first && (unsigned)(a) < first + n)
	for (unsigned i = 0; i < h->nreqs; i++) {
		if (MOVED(h->reqs[i].act))
			h->reqs[i].act = (uint16_t)to[h->reqs[i].act - first];
		if (h->reqs[i].sub_act >= 0 && MOVED(h->reqs[i].sub_act))
			h->reqs[i].sub_act = (int16_t)to[h->reqs[i].sub_act - first];
	}
	for (unsigned c = 0; c < h->ncqes; c++) {
		if (MOVED(h->cqes[c].act))
			h->cqes[c].act = (uint16_t)to[h->cqes[c].act - first];
		if (h->cqes[c].act < last)
			h->cqes[c].act = last;
		last = h->cqes[c].act;
	}
#undef MOVED
}

int cf_history_split_act(struct cf_history *h, unsigned a, unsigned k)
{
	unsigned consumed = 0;

	for (unsigned i = 0; i < h->nreqs; i++)
		consumed += h->reqs[i].sub_act == (int)a;
	if (a >= h->nacts || h->nacts >= CF_MAX_ACTS || k == 0 || k >= consumed || h->acts[a].res < (int)k)
		return -1;
	memmove(&h->acts[a + 1], &h->acts[a], (h->nacts - a) * sizeof(h->acts[0]));
	h->nacts++;
	h->acts[a].t1 = h->acts[a].t0;
	h->acts[a].res = (int32_t)k;
	h->acts[a + 1].t0 = h->acts[a + 1].t1;
	h->acts[a + 1].res -= (int32_t)k;
	h->acts[a + 1].req = -1;
	for (unsigned i = 0, n = 0; i < h->nreqs; i++) {
		if (h->reqs[i].act > a)
			h->reqs[i].act++;
		if (h->reqs[i].sub_act == (int)a && n++ >= k)
			h->reqs[i].sub_act++;
		else if (h->reqs[i].sub_act > (int)a)
			h->reqs[i].sub_act++;
	}
	for (unsigned c = 0; c < h->ncqes; c++)
		if (h->cqes[c].act >= a)
			h->cqes[c].act++;
	if (h->fault_act > (int)a)
		h->fault_act++;
	return 0;
}

void cf_history_renumber_reqs(struct cf_history *h, unsigned first, unsigned n, int16_t *map)
{
	int16_t ids[CF_MAX_REQS], sorted[CF_MAX_REQS], to[CF_MAX_REQS];
	struct cf_req_rec old[CF_MAX_REQS];
	unsigned m = 0;

	for (unsigned i = 0; i < h->nreqs; i++) {
		to[i] = (int16_t)i;
		if (h->reqs[i].act >= first && h->reqs[i].act < first + n)
			ids[m++] = (int16_t)i;
	}
	memcpy(sorted, ids, m * sizeof(ids[0]));
	for (unsigned x = 1; x < m; x++) /* by act, then by number: at most a few */
		for (unsigned y = x; y > 0 && h->reqs[sorted[y]].act < h->reqs[sorted[y - 1]].act; y--) {
			int16_t t = sorted[y];
			sorted[y] = sorted[y - 1];
			sorted[y - 1] = t;
		}
	memcpy(old, h->reqs, h->nreqs * sizeof(old[0]));
	for (unsigned k = 0; k < m; k++) {
		h->reqs[ids[k]] = old[sorted[k]];
		to[sorted[k]] = ids[k];
	}
	for (unsigned a = 0; a < h->nacts; a++)
		if (h->acts[a].req >= 0)
			h->acts[a].req = to[h->acts[a].req];
	for (unsigned i = 0; i < h->nreqs; i++)
		if (h->reqs[i].target >= 0 && (unsigned)h->reqs[i].target < h->nreqs)
			h->reqs[i].target = to[h->reqs[i].target];
	for (unsigned c = 0; c < h->ncqes; c++)
		if (h->cqes[c].req >= 0 && (unsigned)h->cqes[c].req < h->nreqs)
			h->cqes[c].req = to[h->cqes[c].req];
	if (map)
		memcpy(map, to, h->nreqs * sizeof(to[0]));
}

int cf_acts_overlap(const struct cf_history *h, unsigned a, unsigned b)
{
	const struct cf_act_rec *x = &h->acts[a], *y = &h->acts[b];

	if (a == b || !x->group || x->group != y->group)
		return 0;
	return x->t0 <= y->t1 && y->t0 <= x->t1;
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
